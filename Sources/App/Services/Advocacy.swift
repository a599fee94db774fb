import Domain
import Fluent
import Foundation
import Persistence
import Views

/// A product's live figures: each placeholder resolved from Bearing's data as it stands, counted
/// through what the product's audience may see (a public update never counts an IFRC-only incident),
/// with its source and date. What cannot be resolved says why.
struct ProductFigures {
    let database: any Database

    struct Resolution: Sendable {
        var values: [String: FigureValue] = [:]
        var problems: [PlaceholderProblem] = []
    }

    /// The catalogue the sources are written from: the product's own language.
    let catalog: Catalog

    func resolve(_ draft: ProductDraft, operation: OperationRecord, now: Date) async throws -> Resolution {
        let t = Strings(catalog, language: draft.language.rawValue, clock: operation.time)
        var resolution = Resolution()
        let scope = AccessPolicy.audienceScope(in: operation.id, audience: draft.audience)
        let today = operation.time.calendarDay(now)
        for result in FigurePlaceholder.scan(draft.body) {
            switch result {
            case .failure(let problem): resolution.problems.append(problem)
            case .success(let placeholder):
                guard resolution.values[placeholder.token] == nil else { continue }
                do {
                    resolution.values[placeholder.token] = try await value(
                        placeholder, operation: operation, scope: scope, audience: draft.audience, today: today, t: t)
                } catch let problem as PlaceholderProblem {
                    resolution.problems.append(problem)
                }
            }
        }
        return resolution
    }

    func value(
        _ p: FigurePlaceholder, operation: OperationRecord, scope: Scope, audience: AudienceLevel, today: Date,
        t: Strings
    ) async throws -> FigureValue {
        func source(_ key: String, _ values: [String: String]) -> String {
            values.reduce(t("figure_source." + key)) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        func fail(_ reason: String) -> PlaceholderProblem { PlaceholderProblem(token: p.token, reason: reason) }
        func days(_ fallback: Int) throws -> Int {
            guard let text = p.parameters["days"] else { return fallback }
            guard let n = WholeNumber.parse(Substring(text)), (1...3660).contains(n) else {
                throw fail("days is a whole number from 1 to 3660")
            }
            return n
        }
        func area() throws -> String? {
            guard let text = p.parameters["area"]?.uppercased() else { return nil }
            guard text.range(of: #"^[A-Z]{2,3}[0-9A-Z]*$"#, options: .regularExpression) != nil else {
                throw fail("area is a P-code (SD05) or a country (SDN)")
            }
            return text
        }
        switch p.name {
        case .displacementStock:
            var types = PopulationType.allCases.filter { $0 != .totalPopulation }
            if let text = p.parameters["type"] {
                guard let type = PopulationType(rawValue: text.uppercased()) else {
                    throw fail("type is one of " + PopulationType.allCases.map(\.rawValue).joined(separator: ", "))
                }
                types = [type]
            }
            let rows = try await PopulationStore(database).stockOverTime(
                in: operation.id, .init(location: try area(), types: types))
            guard let year = rows.map(\.year).max() else {
                throw fail("no displacement figures of this kind in the operation")
            }
            let latest = rows.filter { $0.year == year }
            let total = latest.reduce(Int64(0)) { $0 + $1.total }
            let sources = Set(latest.flatMap { $0.sources.split(separator: ",").map(String.init) }).sorted()
            return FigureValue(
                token: p.token, value: Int(clamping: total),
                source: source("displacement", ["year": String(year), "sources": sources.joined(separator: ", ")]),
                asOf: latest.compactMap(\.reported).max() ?? today)
        case .flowArrivals:
            let span = try days(7)
            var direction: FlowDirection?
            if let text = p.parameters["direction"] {
                guard let chosen = FlowDirection(rawValue: text) else {
                    throw fail("direction is one of " + FlowDirection.allCases.map(\.rawValue).joined(separator: ", "))
                }
                direction = chosen
            }
            let points = try await FlowStore(database).points(in: scope)
            guard !points.isEmpty else { throw fail("no flow-monitoring point this audience may see") }
            let daily = try await FlowStore(database).daily(
                in: scope,
                .init(from: today.addingTimeInterval(-Double(span - 1) * 86_400), to: today.addingTimeInterval(86_400)))
            let total = daily.filter { direction == nil || $0.direction == direction }.reduce(0) { $0 + $1.total }
            return FigureValue(
                token: p.token, value: total,
                source: source("flows", ["points": String(points.count), "days": String(span)]), asOf: today)
        case .incidents:
            let span = try days(30)
            let filter = IncidentFilter(
                from: today.addingTimeInterval(-Double(span - 1) * 86_400), to: today.addingTimeInterval(86_400),
                sources: [ContextEvent.Source.ownName], areaPcode: try area())
            let counts = try await IncidentAnalysisStore(database).areaCategoryCounts(in: scope, filter: filter)
            return FigureValue(
                token: p.token, value: counts.reduce(0) { $0 + $1.count },
                source: source("incidents", ["days": String(span)]), asOf: today)
        case .protectionRisks:
            // The register is never shared outside the Movement: nor are its counts.
            guard audience >= .movement else { throw fail("protection risks are not counted in a public product") }
            var minimum = 1
            if let text = p.parameters["min_level"] {
                guard let n = WholeNumber.parse(Substring(text)), (1...10).contains(n) else {
                    throw fail("min_level is a level's number, 1 being the lowest")
                }
                minimum = n
            }
            let open = try await ProtectionRiskStore(database).list(in: scope).filter { $0.level + 1 >= minimum }
            return FigureValue(
                token: p.token, value: open.count, source: source("protection_risks", [:]), asOf: today)
        case .reach, .target:
            var sector: IFRCSector?
            if let text = p.parameters["sector"] {
                guard let chosen = IFRCSector(rawValue: text) else {
                    throw fail("sector is one of " + IFRCSector.allCases.map(\.rawValue).joined(separator: ", "))
                }
                sector = chosen
            }
            let activities = try await ActivityStore(database).all(in: scope).filter {
                sector == nil || $0.sector == sector?.rawValue
            }
            guard !activities.isEmpty else { throw fail("no EPoA activity of this kind in the operation") }
            let total = activities.reduce(0) { $0 + (p.name == .reach ? $1.reached : $1.targeted) }
            return FigureValue(
                token: p.token, value: total,
                source: source("activities", ["count": String(activities.count)]),
                asOf: min(activities.map(\.updatedAt).max().map(operation.time.calendarDay) ?? today, today))
        }
    }
}

/// What the products' pages, API and e-mails share.
enum Advocacy {
    /// The e-mail of an approved product: its frozen text, then the figures' sources and the
    /// community feedback it cites, then where it comes from.
    static func emailText(
        title: String, body: String, figures: [FigureValue], evidence: [FeedbackCitation], approvedAt: Date?,
        audience: AudienceLevel, operation: String, t: Strings
    ) -> String {
        var lines = [title, String(repeating: "=", count: min(title.count, 60)), "", body, ""]
        if !figures.isEmpty {
            lines.append(t("products_figures") + ":")
            for figure in figures {
                lines.append(
                    "- " + ProductWorkflow.grouped(figure.value) + " — " + figure.source + " ("
                        + DateText.day(figure.asOf)
                        + ")")
            }
            lines.append("")
        }
        if !evidence.isEmpty {
            lines.append(t("products_evidence") + ":")
            for citation in evidence {
                lines.append(
                    "- " + t(citation.type.labelKey) + " / " + t("feedback_category." + citation.category) + ": "
                        + String(citation.count) + " — " + citation.source + (citation.period.map { " (\($0))" } ?? ""))
            }
            lines.append("")
        }
        lines.append(
            operation + " · " + t(audience.labelKey)
                + (approvedAt.map { " · " + t("products_approved_on") + " " + DateText.day($0) } ?? ""))
        return lines.joined(separator: "\n")
    }

    /// The recipients of a distribution: a list's entries (each with the address the channel uses),
    /// or members' accounts for sharing in Bearing.
    static func recipients(
        channel: DistributionChannel, entries: [StakeholderRecord], members: [MemberRecord]
    ) -> [RecipientDraft] {
        if channel == .bearing {
            return members.map { RecipientDraft(userID: $0.userId, name: $0.displayName, address: $0.email) }
        }
        return entries.map { entry in
            let address: String? =
                switch channel {
                case .email: entry.draft.emails.first
                case .whatsapp:
                    (entry.draft.phones.first { $0.kind == .cell || $0.kind == .text } ?? entry.draft.phones.first)?
                        .number
                case .print, .meeting, .bearing: nil
                }
            return RecipientDraft(stakeholderID: entry.id, name: entry.shortName, address: address)
        }
    }
}
