import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// Generates a document's content from live data (issue 20): each section for the period, through
/// a lens (the audience records are counted through, and the sections the reader may read), in the
/// document's language. Pages, the issue step and the scheduled runs share it; it needs no request.
struct BriefGenerator {
    let app: Application
    let operation: OperationRecord
    let period: ReportPeriod
    let language: ProductLanguage
    let now: Date
    let t: Strings

    typealias Cell = BriefContent.Cell

    /// Tables list at most this many rows; the rest are counted, with a link to them all.
    static let rows = 10

    init(app: Application, operation: OperationRecord, period: ReportPeriod, language: ProductLanguage, now: Date) {
        self.app = app
        self.operation = operation
        self.period = period
        self.language = language
        self.now = now
        self.t = Strings(app.catalog, language: language.rawValue, clock: operation.time)
    }

    var db: any Database { app.db }
    var code: Parameter<String> { .value(operation.code) }
    var bounds: (start: Date, end: Date) { period.instants(operation.time) }
    /// The end of the period, or now if the period runs on: states ("overdue") are read at that moment.
    var asOf: Date { min(bounds.end, now) }
    var asOfDay: String { operation.time.day(asOf.addingTimeInterval(-1)) }

    // MARK: The document

    /// The content of a document of `kind` as `lens` reads it, each section's floor its fixed floor
    /// (`withFloors` measures the data's).
    func content(_ kind: BriefKind, lens: BriefLens) async throws -> BriefContent {
        var sections: [BriefContent.Section] = []
        let names = try await app.areaShapes.names(for: operation, language: language.rawValue, on: db)
        for part in kind.parts {
            for section in BriefSection.of(part) where lens.sections.contains(section) {
                if let built = try await build(section, lens: lens, names: names) { sections.append(built) }
            }
        }
        return BriefContent(sections: sections, generatedAt: now)
    }

    /// The content with each section's floor measured: the widest audience that, counting through
    /// its own eyes, reads the section exactly as `lens` does (never wider than the kind allows).
    func withFloors(_ content: BriefContent, lens: BriefLens) async throws -> BriefContent {
        var result = content
        let names = try await app.areaShapes.names(for: operation, language: language.rawValue, on: db)
        for index in result.sections.indices {
            guard let section = BriefSection(rawValue: result.sections[index].key) else { continue }
            var floor = section.fixedFloor
            if section.dependsOnAudience {
                floor = lens.level
                for level in AudienceLevel.allCases where level >= section.fixedFloor && level < lens.level {
                    let wider = lens.widened(to: level)
                    guard wider.sections.contains(section),
                        let seen = try await build(section, lens: wider, names: names)
                    else { continue }
                    if seen.items == result.sections[index].items {
                        floor = level
                        break
                    }
                }
            }
            result.sections[index].floor = floor
        }
        return result
    }

    func build(_ section: BriefSection, lens: BriefLens, names: [String: String]) async throws
        -> BriefContent.Section?
    {
        let scope = AccessPolicy.audienceScope(in: operation.id, audience: lens.level)
        let items: [BriefContent.Item]
        switch section {
        case .incidents: items = try await incidents(scope)
        case .earlyWarnings: items = try await earlyWarnings(scope, names: names)
        case .serious: items = try await serious(scope, names: names)
        case .reportsOverdue: items = try await reportsOverdue(scope)
        case .risks: items = try await riskChanges(scope)
        case .phases: items = try await phases(names: names)
        case .plans: items = try await plans()
        case .compliance: items = try await compliance()
        case .people: items = try await people()
        case .movements: items = try await movements()
        case .criticalIncidents: items = try await criticalIncidents()
        case .alerts: items = try await alerts()
        case .flows: items = try await flows(scope)
        case .displacement: items = try await displacement()
        case .scenarios: items = try await scenarios()
        case .protectionRisks: items = try await protectionRisks(scope)
        case .referrals: items = try await referrals()
        case .reach: items = try await reach(scope)
        case .products: items = try await products(scope)
        case .meetings: items = try await meetings(scope)
        case .actionPoints: items = try await actionPoints(scope)
        default:
            guard let handover = try await handover(section, scope: scope, names: names) else { return nil }
            items = handover
        }
        return BriefContent.Section(
            key: section.rawValue, part: section.part, title: t(section.labelKey), items: items,
            floor: section.fixedFloor)
    }

    // MARK: Helpers

    func figure(
        _ key: String, _ label: String, _ value: Int, previous: Int? = nil, source: String, link: SiteURL? = nil,
        query: [(String, String)] = [], tone: BriefContent.Tone? = nil, asOf: String? = nil, note: String? = nil
    ) -> BriefContent.Item {
        BriefContent.Item(
            key: key, label: label, value: Double(value), display: ProductWorkflow.grouped(value),
            previous: previous.map(Double.init),
            previousDisplay: previous.map(ProductWorkflow.grouped), tone: tone,
            source: source, asOf: asOf ?? asOfDay, link: link.map { $0.path(query: query) }, note: note)
    }

    func table(
        _ key: String, _ label: String, columns: [String], rows: [[BriefContent.Cell]], source: String,
        link: SiteURL? = nil, total: Int? = nil
    ) -> BriefContent.Item {
        let shown = Array(rows.prefix(Self.rows))
        return BriefContent.Item(
            key: key, label: label, source: source, asOf: asOfDay, link: link?.path,
            table: BriefContent.Table(columns: columns, rows: shown, more: max(0, (total ?? rows.count) - shown.count)))
    }

    func note(_ key: String, _ text: String) -> BriefContent.Item { BriefContent.Item(key: key, label: text) }

    var periodQuery: [(String, String)] {
        [("from", DateText.day(period.first)), ("to", DateText.day(period.last))]
    }

    func day(_ date: Date) -> String { operation.time.day(date) }

    /// "from → to", pointing the way the document reads.
    var arrow: String { language.rightToLeft ? " ← " : " → " }

    // MARK: Security

    func incidents(_ scope: Scope) async throws -> [BriefContent.Item] {
        let (start, end) = bounds
        let previous = period.previous.instants(operation.time)
        func count(_ from: Date, _ to: Date, own: Bool) async throws -> Int {
            let filter = IncidentFilter(from: from, to: to, sources: own ? [ContextEvent.Source.ownName] : nil)
            return try await IncidentAnalysisStore(db).areaCategoryCounts(in: scope, filter: filter)
                .reduce(0) { $0 + $1.count }
        }
        let own = try await count(start, end, own: true)
        let ownBefore = try await count(previous.start, previous.end, own: true)
        let all = try await count(start, end, own: false)
        let allBefore = try await count(previous.start, previous.end, own: false)
        // Eight weeks of reported incidents, to see the trend the period sits in.
        let weeks = try await IncidentAnalysisStore(db).counts(
            in: scope,
            filter: IncidentFilter(
                from: end.addingTimeInterval(-56 * 86_400), to: end, sources: [ContextEvent.Source.ownName]),
            by: .week)
        var byWeek: [String: Int] = [:]
        for c in weeks.counts { byWeek[c.bucket, default: 0] += c.count }
        // Every week shown, those without an incident as zero.
        let labels =
            byWeek.isEmpty
            ? []
            : AnalysisPeriods.labels(
                .week, from: AnalysisPeriods.start(of: .week, containing: end.addingTimeInterval(-56 * 86_400)),
                to: end)
        var items = [
            figure(
                "reported", t("brief_item.incidents_reported"), own, previous: ownBefore,
                source: t("brief_source.incidents"), link: .incidents(code), query: periodQuery),
            figure(
                "all_sources", t("brief_item.incidents_all_sources"), all, previous: allBefore,
                source: t("brief_source.incidents_all"), link: .incidentAnalysis(code), query: periodQuery),
        ]
        if !labels.isEmpty {
            var chart = BriefContent.Item(
                key: "weekly", label: t("brief_item.incidents_weekly"), source: t("brief_source.incidents"),
                asOf: asOfDay, link: SiteURL.incidentAnalysis(code).path)
            chart.chart = BriefContent.Chart(
                labels: labels,
                series: [
                    .init(name: t("brief_item.incidents_reported"), values: labels.map { Double(byWeek[$0] ?? 0) })
                ])
            items.append(chart)
        }
        return items
    }

    func earlyWarnings(_ scope: Scope, names: [String: String]) async throws -> [BriefContent.Item] {
        let (shapes, _) = try await app.areaShapes.shapes(for: operation, on: db)
        let hierarchy = AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) })
        let level = hierarchy.levels.contains(1) ? 1 : hierarchy.levels.first
        let found = try await IncidentAnalysisService(database: db, areaShapes: app.areaShapes).earlyWarnings(
            scope: scope, filter: IncidentFilter(), rule: EarlyWarningRule(), names: names,
            rolled: { pcode in
                guard let pcode, let level else { return pcode }
                return hierarchy.ancestor(of: pcode, atLevel: level)
            }, to: bounds.end, now: asOf)
        let flagged = found.warnings.filter(\.flagged)
        let rows = flagged.map { w in
            [
                Cell(w.name, link: SiteURL.incidentMap(code).path(query: [("area", w.pcode)])),
                Cell(String(w.recent)), Cell(String(format: "%.1f", w.expected)),
            ]
        }
        guard !rows.isEmpty else {
            return [note("none", t("brief_item.early_warnings_none"))]
        }
        return [
            table(
                "areas", t("brief_item.early_warnings"),
                columns: [t("brief_column.area"), t("brief_column.recent"), t("brief_column.expected")], rows: rows,
                source: t("brief_source.early_warning"), link: .incidentAnalysis(code))
        ]
    }

    func serious(_ scope: Scope, names: [String: String]) async throws -> [BriefContent.Item] {
        let (start, end) = bounds
        let (items, _) = try await IncidentStore(db).recentSerious(in: scope, since: start, until: end, limit: 500)
        let rows = items.map { i in
            [
                Cell("#\(i.number)", link: SiteURL.incident(code, .value(i.id)).path),
                Cell(i.title), Cell(day(i.occurredAt)), Cell(i.areaPcode.map { names[$0] ?? $0 } ?? "—"),
            ]
        }
        var out = [
            figure(
                "count", t("brief_item.serious_count"), items.count, source: t("brief_source.incidents"),
                link: .incidents(code), query: periodQuery + [("serious", "yes")],
                tone: items.isEmpty ? nil : .attention)
        ]
        if !rows.isEmpty {
            out.append(
                table(
                    "list", t("brief_item.serious_list"),
                    columns: [
                        t("brief_column.number"), t("brief_column.title"), t("brief_column.day"),
                        t("brief_column.area"),
                    ], rows: rows, source: t("brief_source.incidents"), link: .incidents(code)))
        }
        return out
    }

    func reportsOverdue(_ scope: Scope) async throws -> [BriefContent.Item] {
        let due = try await IncidentStore(db).awaitingRegionalReport(in: scope, limit: 500)
            .filter { $0.deadline(at: asOf).state == .overdue }
        var out = [
            figure(
                "count", t("brief_item.reports_overdue"), due.count, source: t("brief_source.reporting_clock"),
                link: .incidentsDue(code), tone: due.isEmpty ? .good : .attention)
        ]
        if !due.isEmpty {
            out.append(
                table(
                    "list", t("brief_item.reports_overdue_list"),
                    columns: [t("brief_column.number"), t("brief_column.title"), t("brief_column.day")],
                    rows: due.map {
                        [
                            Cell("#\($0.number)", link: SiteURL.incident(code, .value($0.id)).path), Cell($0.title),
                            Cell(day($0.occurredAt)),
                        ]
                    }, source: t("brief_source.reporting_clock"), link: .incidentsDue(code)))
        }
        return out
    }

    func riskChanges(_ scope: Scope) async throws -> [BriefContent.Item] {
        let settings = try await SettingsStore(db).load(RiskSettings.self, operationID: operation.id)
        let labels = RiskLabels(settings.matrix, t)
        let changes = try await RiskStore(db).changes(since: bounds.start, until: asOf, in: scope)
        return riskItems(
            changes, labels: labels, source: t("brief_source.risk_register"),
            link: { SiteURL.risk(code, .value($0)).path }, changesLink: .riskChanges(code))
    }

    /// A register's changes as figures and one table: the security register's and the protection risks'.
    func riskItems<ID: Hashable & Sendable>(
        _ changes: RiskChanges<ID>, labels: RiskLabels, source: String, link: (ID) -> String, changesLink: SiteURL
    ) -> [BriefContent.Item] {
        let query = [("since", DateText.day(period.first))]
        var out = [
            figure(
                "new", t("brief_item.risks_new"), changes.new.count, source: source, link: changesLink, query: query),
            figure(
                "raised", t("brief_item.risks_raised"), changes.raised.count, source: source, link: changesLink,
                query: query, tone: changes.raised.isEmpty ? nil : .attention),
            figure(
                "lowered", t("brief_item.risks_lowered"), changes.lowered.count, source: source, link: changesLink,
                query: query),
            figure(
                "closed", t("brief_item.risks_closed"), changes.closed.count, source: source, link: changesLink,
                query: query),
            figure(
                "overdue_measures", t("brief_item.measures_overdue"), changes.overdue.count, source: source,
                link: changesLink, query: query, tone: changes.overdue.isEmpty ? .good : .attention),
        ]
        var rows: [[BriefContent.Cell]] = []
        for move in changes.raised {
            rows.append([
                Cell(move.risk.title, link: link(move.risk.id)), Cell(t("brief_change.raised")),
                Cell(labels.level(move.from) + arrow + labels.level(move.risk.level)),
            ])
        }
        for move in changes.lowered {
            rows.append([
                Cell(move.risk.title, link: link(move.risk.id)), Cell(t("brief_change.lowered")),
                Cell(labels.level(move.from) + arrow + labels.level(move.risk.level)),
            ])
        }
        for risk in changes.new {
            rows.append([
                Cell(risk.title, link: link(risk.id)), Cell(t("brief_change.new")), Cell(labels.level(risk.level)),
            ])
        }
        if !rows.isEmpty {
            out.append(
                table(
                    "moves", t("brief_item.risks_changed"),
                    columns: [t("brief_column.risk"), t("brief_column.change"), t("brief_column.level")], rows: rows,
                    source: source, link: changesLink))
        }
        return out
    }

    func phases(names: [String: String]) async throws -> [BriefContent.Item] {
        let store = PhaseStore(db)
        let inForce = try await store.inForce(in: operation.id)
        let pending = try await store.pending(in: operation.id)
        let (start, end) = bounds
        let declared = try await store.history(in: operation.id, limit: 1_000).filter {
            ($0.declaredAt >= start && $0.declaredAt < end) || ($0.inForceAt.map { $0 >= start && $0 < end } ?? false)
        }
        func phase(_ name: String?) -> String { name.map { t.phase($0) } ?? "—" }
        var out = [
            figure(
                "declared", t("brief_item.phases_declared"), declared.count, source: t("brief_source.phases"),
                link: .phases(code)),
            figure(
                "pending", t("brief_item.phases_pending"), pending.count, source: t("brief_source.phases"),
                link: .phases(code), tone: pending.isEmpty ? nil : .attention),
        ]
        let rows = (declared + pending.filter { p in !declared.contains { $0.id == p.id } }).map { d in
            [
                Cell(names[d.areaPcode] ?? d.areaPcode), Cell(phase(d.from) + arrow + phase(d.to)),
                Cell(t("phase_status.\(d.status.rawValue)")), Cell(day(d.inForceAt ?? d.declaredAt)),
            ]
        }
        if !rows.isEmpty {
            out.append(
                table(
                    "declarations", t("brief_item.phase_declarations"),
                    columns: [
                        t("brief_column.area"), t("brief_column.phase"), t("brief_column.status"),
                        t("brief_column.day"),
                    ], rows: rows, source: t("brief_source.phases"), link: .phases(code)))
        }
        let current = inForce.values.sorted {
            (names[$0.areaPcode] ?? $0.areaPcode) < (names[$1.areaPcode] ?? $1.areaPcode)
        }
        if !current.isEmpty {
            out.append(
                table(
                    "in_force", t("brief_item.phases_in_force"),
                    columns: [t("brief_column.area"), t("brief_column.phase"), t("brief_column.since")],
                    rows: current.map {
                        [
                            Cell(names[$0.areaPcode] ?? $0.areaPcode), Cell(phase($0.to)),
                            Cell(day($0.inForceAt ?? $0.declaredAt)),
                        ]
                    }, source: t("brief_source.phases"), link: .phases(code)))
        }
        return out
    }

    func plans() async throws -> [BriefContent.Item] {
        let horizon = asOf.addingTimeInterval(14 * 86_400)
        let all: [PlanDeadline] = try await PlanDeadlines.all(of: operation, in: db, now: asOf).values.flatMap { $0 }
        let deadlines = all.filter { d in
            d.state == PlanDeadline.State.overdue || (d.state == PlanDeadline.State.open && d.dueAt < horizon)
        }.sorted { $0.dueAt < $1.dueAt }
        let overdue = deadlines.filter { $0.state == PlanDeadline.State.overdue }.count
        var out = [
            figure(
                "overdue", t("brief_item.plans_overdue"), overdue, source: t("brief_source.plans"),
                link: .plans(code), tone: overdue == 0 ? .good : .attention),
            figure(
                "due", t("brief_item.plans_due"), deadlines.count - overdue, source: t("brief_source.plans"),
                link: .plans(code)),
        ]
        if !deadlines.isEmpty {
            out.append(
                table(
                    "clocks", t("brief_item.plan_clocks"),
                    columns: [
                        t("brief_column.plan"), t("brief_column.deadline"), t("brief_column.due"),
                        t("brief_column.status"),
                    ],
                    rows: deadlines.map {
                        [
                            Cell(t($0.plan.labelKey), link: SiteURL.plan(code, .value($0.plan)).path),
                            Cell(t($0.kind.labelKey)), Cell(day($0.dueAt)),
                            Cell(t("deadline_state.\($0.state.rawValue)")),
                        ]
                    }, source: t("brief_source.plans"), link: .plans(code)))
        }
        return out
    }

    func compliance() async throws -> [BriefContent.Item] {
        let today = operation.time.calendarDay(asOf)
        let horizon = today.addingTimeInterval(30 * 86_400)
        let exemptions = try await ComplianceStore(db).exemptions(in: operation.id).map(\.exemption)
        let expiring = exemptions.filter { $0.isActive(on: today) && $0.expiresOn < horizon }
            .sorted { $0.expiresOn < $1.expiresOn }
        let scope = AccessPolicy.audienceScope(in: operation.id, audience: .ifrcOnly)
        let settings = try await SettingsStore(db).load(ComplianceSettings.self, operationID: operation.id)
        let assessments = try await ComplianceStore(db).assessments(in: scope, limit: 500)
        let (start, end) = bounds
        let recent = assessments.filter { $0.assessment.assessedOn >= start && $0.assessment.assessedOn < end }
        var out = [
            figure(
                "assessed", t("brief_item.compliance_assessed"), recent.count, source: t("brief_source.compliance"),
                link: .compliance(code)),
            figure(
                "expiring", t("brief_item.exemptions_expiring"), expiring.count, source: t("brief_source.compliance"),
                link: .compliance(code), tone: expiring.isEmpty ? nil : .attention),
        ]
        if let latest = assessments.first {
            let scores = latest.assessment.scores(catalogue: settings.catalogue, exemptions: exemptions).values
                .compactMap { $0 }
            if !scores.isEmpty {
                let mean = Int((scores.reduce(0, +) / Double(scores.count) * 100).rounded())
                var item = figure(
                    "score", t("brief_item.compliance_score"), mean, source: t("brief_source.compliance"),
                    link: .compliance(code), asOf: day(latest.assessment.assessedOn))
                item.display = "\(mean) %"
                out.append(item)
            }
        }
        if !expiring.isEmpty {
            out.append(
                table(
                    "exemptions", t("brief_item.exemptions_expiring"),
                    columns: [t("brief_column.requirement"), t("brief_column.expires")],
                    rows: expiring.map { [Cell($0.requirement), Cell(DateText.day($0.expiresOn))] },
                    source: t("brief_source.compliance"), link: .compliance(code)))
        }
        return out
    }

    func people() async throws -> [BriefContent.Item] {
        let keeper = AccessPolicy.operatorPersonnelScope(in: operation.id)
        let present = try await PersonStore(db).all(in: keeper).filter { $0.isPresent(at: asOf) }
        let briefed = Dictionary(
            try await ReadinessStore(db).briefings(in: keeper).filter { $0.briefing.kind == .arrival }.map {
                ($0.personID, $0.briefing.givenAt)
            }, uniquingKeysWith: { a, _ in a })
        let notBriefed = present.filter {
            if case .overdue = ArrivalBriefing.state(arrival: $0.draft.arrivalAt, briefedAt: briefed[$0.id], now: asOf)
            {
                return true
            }
            return false
        }
        let today = operation.time.calendarDay(asOf)
        let presentIDs = Set(present.map(\.id))
        let trainings = try await ReadinessStore(db).trainings(in: keeper).filter { presentIDs.contains($0.personID) }
        // A course counts as expired when its latest record has expired.
        var latest: [String: TrainingRecordRow] = [:]
        for row in trainings {
            let key = row.personID.uuidString + "|" + row.record.course
            if let seen = latest[key], seen.record.completedOn >= row.record.completedOn { continue }
            latest[key] = row
        }
        let expired = latest.values.filter { ($0.record.expiresOn.map { $0 < today }) ?? false }
        let byID = Dictionary(present.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out = [
            figure(
                "present", t("brief_item.people_present"), present.count, source: t("brief_source.personnel"),
                link: .people(code)),
            figure(
                "not_briefed", t("brief_item.people_not_briefed"), notBriefed.count,
                source: t("brief_source.readiness"), link: .readiness(code),
                tone: notBriefed.isEmpty ? .good : .attention),
            figure(
                "expired_trainings", t("brief_item.trainings_expired"), expired.count,
                source: t("brief_source.readiness"), link: .readiness(code),
                tone: expired.isEmpty ? .good : .attention),
        ]
        var rows: [[BriefContent.Cell]] = notBriefed.map {
            [
                Cell($0.draft.fullName, link: SiteURL.person(code, .value($0.id)).path),
                Cell(t("brief_item.not_briefed")),
            ]
        }
        rows += expired.sorted { $0.record.course < $1.record.course }.compactMap { row in
            guard let person = byID[row.personID] else { return nil }
            return [
                Cell(person.draft.fullName, link: SiteURL.person(code, .value(person.id)).path),
                Cell(row.record.course + " · " + (row.record.expiresOn.map(DateText.day) ?? "")),
            ]
        }
        if !rows.isEmpty {
            out.append(
                table(
                    "gaps", t("brief_item.people_gaps"), columns: [t("brief_column.person"), t("brief_column.gap")],
                    rows: rows, source: t("brief_source.readiness"), link: .readiness(code)))
        }
        return out
    }

    func movements() async throws -> [BriefContent.Item] {
        let keeper = AccessPolicy.operatorPersonnelScope(in: operation.id)
        let grace = try await SettingsStore(db).load(MovementSettings.self, operationID: operation.id).graceMinutes
        let (start, end) = bounds
        let board = try await MovementStore(db).board(in: keeper, closedSince: start)
        // Went overdue in the period: the expected arrival and grace passed within it, and the
        // movement had not arrived by then.
        let wentOverdue = board.filter { m in
            let deadline = m.draft.expectedArrivalAt.addingTimeInterval(Double(grace) * 60)
            guard deadline >= start, deadline < end, deadline < asOf else { return false }
            let arrived = m.checkIns.filter { $0.kind == .arrived }.map(\.at).min()
            return arrived.map { $0 > deadline } ?? (m.status != .cancelled)
        }
        let overdueNow = board.filter { $0.isOverdue(now: asOf, graceMinutes: grace) }
        var out = [
            figure(
                "went_overdue", t("brief_item.movements_went_overdue"), wentOverdue.count,
                source: t("brief_source.movements"), link: .movements(code),
                tone: wentOverdue.isEmpty ? .good : .attention),
            figure(
                "overdue_now", t("brief_item.movements_overdue_now"), overdueNow.count,
                source: t("brief_source.movements"), link: .movements(code),
                tone: overdueNow.isEmpty ? .good : .attention),
        ]
        if !wentOverdue.isEmpty {
            out.append(
                table(
                    "list", t("brief_item.movements_went_overdue"),
                    columns: [t("brief_column.number"), t("brief_column.purpose"), t("brief_column.expected")],
                    rows: wentOverdue.map {
                        [
                            Cell("#\($0.number)", link: SiteURL.movement(code, .value($0.id)).path),
                            Cell($0.draft.purpose), Cell(operation.time.minute($0.draft.expectedArrivalAt)),
                        ]
                    }, source: t("brief_source.movements"), link: .movements(code)))
        }
        return out
    }

    func criticalIncidents() async throws -> [BriefContent.Item] {
        let all = try await CriticalIncidentStore(db).list(in: AccessPolicy.operatorCrisisScope(in: operation.id))
        let (start, end) = bounds
        let opened = all.filter { $0.createdAt >= start && $0.createdAt < end }
        let ongoing = all.filter { $0.createdAt < end && ($0.standDown.map { $0.at >= asOf } ?? true) }
        var out = [
            figure(
                "opened", t("brief_item.crises_opened"), opened.count, source: t("brief_source.crises"),
                link: .criticalIncidents(code), tone: opened.isEmpty ? nil : .attention),
            figure(
                "ongoing", t("brief_item.crises_ongoing"), ongoing.count, source: t("brief_source.crises"),
                link: .criticalIncidents(code)),
        ]
        let shown = (opened + ongoing.filter { o in !opened.contains { $0.id == o.id } })
        if !shown.isEmpty {
            out.append(
                table(
                    "list", t("brief_item.crises_list"),
                    columns: [
                        t("brief_column.number"), t("brief_column.level"), t("brief_column.day"),
                        t("brief_column.status"),
                    ],
                    rows: shown.map {
                        [
                            Cell("#\($0.number)"), Cell(t($0.draft.level.labelKey)), Cell(day($0.draft.occurredAt)),
                            Cell(t($0.isOpen ? "brief_state_open" : "brief_state_stood_down")),
                        ]
                    }, source: t("brief_source.crises"), link: .criticalIncidents(code)))
        }
        return out
    }

    func alerts() async throws -> [BriefContent.Item] {
        let (start, end) = bounds
        let counts = try await BriefFigureStore(db).alertDeliveries(in: operation.id, from: start, to: end)
        let sent = counts.filter { $0.state == "sent" }.reduce(0) { $0 + $1.count }
        let failed = counts.filter { $0.state == "failed" }.reduce(0) { $0 + $1.count }
        let waiting = counts.filter { $0.state != "sent" && $0.state != "failed" }.reduce(0) { $0 + $1.count }
        let problems = try await ChannelMonitor.status(db, now: asOf)
        var out = [
            figure("sent", t("brief_item.alerts_sent"), sent, source: t("brief_source.alerts"), link: .alerts(code)),
            figure(
                "failed", t("brief_item.alerts_failed"), failed, source: t("brief_source.alerts"), link: .alerts(code),
                tone: failed == 0 ? .good : .attention),
            figure(
                "waiting", t("brief_item.alerts_waiting"), waiting, source: t("brief_source.alerts"),
                link: .alerts(code)),
        ]
        if !problems.isEmpty {
            out.append(
                note(
                    "channels",
                    t("brief_item.channels_failing") + " "
                        + problems.map { found in
                            (found.channel.map { t($0.labelKey) + ": " } ?? "")
                                + found.problems.map(t.channelProblem).joined(separator: t("list_separator"))
                        }.joined(separator: " · ")))
        }
        return out
    }

    // MARK: Migration

    func flows(_ scope: Scope) async throws -> [BriefContent.Item] {
        let (start, end) = bounds
        let previous = period.previous.instants(operation.time)
        let store = FlowStore(db)
        let now = try await store.daily(in: scope, .init(from: start, to: end))
        let before = try await store.daily(in: scope, .init(from: previous.start, to: previous.end))
        var out: [BriefContent.Item] = []
        for direction in FlowDirection.allCases {
            let a = now.filter { $0.direction == direction }.reduce(0) { $0 + $1.total }
            let b = before.filter { $0.direction == direction }.reduce(0) { $0 + $1.total }
            out.append(
                figure(
                    direction.rawValue, t("brief_item.flows_" + direction.rawValue), a, previous: b,
                    source: t("brief_source.flows"), link: .flowAnalysis(code), query: periodQuery))
        }
        var byDay: [String: Int] = [:]
        for row in now where row.direction == .incoming { byDay[row.day, default: 0] += row.total }
        if !byDay.isEmpty {
            let labels = byDay.keys.sorted()
            var chart = BriefContent.Item(
                key: "daily", label: t("brief_item.flows_daily"), source: t("brief_source.flows"), asOf: asOfDay,
                link: SiteURL.flowAnalysis(code).path(query: periodQuery))
            chart.chart = BriefContent.Chart(
                labels: labels,
                series: [.init(name: t("brief_item.flows_incoming"), values: labels.map { Double(byDay[$0] ?? 0) })])
            out.append(chart)
        }
        return out
    }

    func displacement() async throws -> [BriefContent.Item] {
        let rows = try await PopulationStore(db).stockOverTime(
            in: operation.id, .init(types: PopulationType.allCases.filter { $0 != .totalPopulation }))
        guard let year = rows.map(\.year).max() else { return [note("none", t("brief_item.displacement_none"))] }
        let latest = rows.filter { $0.year == year }
        let previous = rows.filter { $0.year == year - 1 }
        var out: [BriefContent.Item] = []
        for row in latest.sorted(by: { $0.total > $1.total }) {
            let before = previous.first { $0.type == row.type }.map { Int(clamping: $0.total) }
            out.append(
                figure(
                    row.type.rawValue, t(row.type.labelKey), Int(clamping: row.total), previous: before,
                    source: row.sources.split(separator: ",").joined(separator: ", ") + " (\(year))",
                    link: .population(code), asOf: row.reported.map(DateText.day)))
        }
        return out
    }

    func scenarios() async throws -> [BriefContent.Item] {
        let (start, end) = bounds
        let scope = AccessPolicy.scenarioScope(in: operation.id)
        let counted = try await FlowStore(db).daily(in: scope, .init(from: start, to: end))
            .filter { $0.direction == .incoming }.reduce(0) { $0 + $1.total }
        var rows: [[BriefContent.Cell]] = []
        for scenario in try await ScenarioStore(db).list(in: operation.id) {
            guard let projection = scenario.draft.projection else { continue }
            let monthly = ScenarioFigures.projectionRows(projection, actual: [:])
            // The projection's monthly arrivals spread over the period's days.
            var projected = 0.0
            var day = period.first
            while day <= period.last {
                let month = String(DateText.day(day).prefix(7))
                if let row = monthly.first(where: { $0.month == month }) {
                    let days = Double(
                        CivilDay.daysInMonth(
                            year: Int(month.prefix(4)) ?? 2000, month: Int(month.suffix(2)) ?? 1) ?? 30)
                    projected += Double(row.value) / days
                }
                day = day.addingTimeInterval(86_400)
            }
            guard projected > 0 else { continue }
            let difference = (Double(counted) - projected) / projected * 100
            rows.append([
                Cell(scenario.draft.name, link: SiteURL.scenario(code, .value(scenario.id)).path),
                Cell(t(scenario.draft.kind.labelKey)), Cell(ProductWorkflow.grouped(Int(projected.rounded()))),
                Cell(ProductWorkflow.grouped(counted)), Cell(DecimalText.signedPercent(difference)),
            ])
        }
        guard !rows.isEmpty else { return [note("none", t("brief_item.scenarios_none"))] }
        return [
            table(
                "against_actuals", t("brief_item.scenarios_against_actuals"),
                columns: [
                    t("brief_column.scenario"), t("brief_column.kind"), t("brief_column.projected"),
                    t("brief_column.counted"), t("brief_column.difference"),
                ], rows: rows, source: t("brief_source.scenarios"), link: .scenarios(code))
        ]
    }

    func protectionRisks(_ scope: Scope) async throws -> [BriefContent.Item] {
        let settings = try await SettingsStore(db).load(ProtectionRiskSettings.self, operationID: operation.id)
        let labels = RiskLabels(settings.method, t)
        let changes = try await ProtectionRiskStore(db).changes(since: bounds.start, until: asOf, in: scope)
        return riskItems(
            changes, labels: labels, source: t("brief_source.protection_risks"),
            link: { SiteURL.protectionRisk(code, .value($0)).path }, changesLink: .protectionRiskChanges(code))
    }

    func referrals() async throws -> [BriefContent.Item] {
        let (start, end) = bounds
        let figures = try await BriefFigureStore(db).referrals(in: operation.id, from: start, to: end)
        // Never a person; small counts suppressed, as in every referral figure that leaves the coordinator.
        func item(_ key: String, _ label: String, _ n: Int) -> BriefContent.Item {
            var item = figure(key, label, n, source: t("brief_source.referrals"), link: .referralFigures(code))
            if SmallCells.isSuppressed(n) {
                item.value = nil
                item.display = SmallCells.text(n)
                item.note = t("brief_item.small_counts")
            }
            return item
        }
        return [
            item("made", t("brief_item.referrals_made"), figures.made),
            item("accepted", t("brief_item.referrals_accepted"), figures.accepted),
            item("declined", t("brief_item.referrals_declined"), figures.declined),
            item("open", t("brief_item.referrals_open"), figures.open),
        ]
    }

    func reach(_ scope: Scope) async throws -> [BriefContent.Item] {
        let activities = try await ActivityStore(db).all(in: scope)
        guard !activities.isEmpty else { return [note("none", t("brief_item.reach_none"))] }
        var bySector: [String: (reached: Int, targeted: Int)] = [:]
        for a in activities {
            let sum = bySector[a.sector] ?? (0, 0)
            bySector[a.sector] = (sum.reached + a.reached, sum.targeted + a.targeted)
        }
        let reached = activities.reduce(0) { $0 + $1.reached }
        let targeted = activities.reduce(0) { $0 + $1.targeted }
        var total = figure(
            "reached", t("brief_item.reach_people"), reached, source: t("brief_source.activities"),
            link: .activities(code))
        total.note = t("brief_item.reach_of_target").replacingOccurrences(
            of: "{target}", with: ProductWorkflow.grouped(targeted)
        )
        .replacingOccurrences(of: "{percent}", with: targeted > 0 ? String(reached * 100 / targeted) : "—")
        return [
            total,
            table(
                "by_sector", t("brief_item.reach_by_sector"),
                columns: [
                    t("brief_column.sector"), t("brief_column.reached"), t("brief_column.targeted"),
                    t("brief_column.percent"),
                ],
                rows: bySector.keys.sorted().map { sector in
                    let s = bySector[sector]!
                    return [
                        Cell(t("sector.\(sector)")), Cell(ProductWorkflow.grouped(s.reached)),
                        Cell(ProductWorkflow.grouped(s.targeted)),
                        Cell(s.targeted > 0 ? "\(s.reached * 100 / s.targeted) %" : "—"),
                    ]
                }, source: t("brief_source.activities"), link: .activities(code)),
        ]
    }

    func products(_ scope: Scope) async throws -> [BriefContent.Item] {
        let (start, end) = bounds
        let issued = try await BriefFigureStore(db).productsApproved(in: scope, from: start, to: end)
        var out = [
            figure(
                "issued", t("brief_item.products_issued"), issued.count, source: t("brief_source.products"),
                link: .products(code))
        ]
        if !issued.isEmpty {
            out.append(
                table(
                    "list", t("brief_item.products_issued"),
                    columns: [t("brief_column.title"), t("brief_column.kind"), t("brief_column.day")],
                    rows: issued.map {
                        [
                            Cell($0.title, link: SiteURL.product(code, .value($0.id)).path),
                            Cell(t("product_kind.\($0.kind)")), Cell(day($0.approvedAt)),
                        ]
                    }, source: t("brief_source.products"), link: .products(code)))
        }
        return out
    }

    // MARK: Coordination

    func meetings(_ scope: Scope) async throws -> [BriefContent.Item] {
        let meetings = try await MeetingStore(db).all(
            in: scope, filter: .init(from: period.first, until: period.last.addingTimeInterval(86_400)))
        let represented = meetings.filter(\.draft.ifrcRepresented).count
        var out = [
            figure(
                "held", t("brief_item.meetings_held"), meetings.count, source: t("brief_source.meetings"),
                link: .meetings(code), query: periodQuery),
            figure(
                "represented", t("brief_item.meetings_represented"), represented, source: t("brief_source.meetings"),
                link: .meetingParticipation(code)),
        ]
        if !meetings.isEmpty {
            out.append(
                table(
                    "list", t("brief_item.meetings_list"),
                    columns: [t("brief_column.day"), t("brief_column.forum"), t("brief_column.kind")],
                    rows: meetings.map {
                        [
                            Cell(DateText.day($0.draft.heldOn)),
                            Cell($0.draft.forum, link: SiteURL.meeting(code, .value($0.id)).path),
                            Cell(t($0.draft.kind.labelKey)),
                        ]
                    }, source: t("brief_source.meetings"), link: .meetings(code)))
        }
        return out
    }

    func actionPoints(_ scope: Scope) async throws -> [BriefContent.Item] {
        let today = operation.time.calendarDay(asOf)
        let filter = MeetingStore.ActionFilter(status: .open, overdueOn: today)
        let overdue = try await MeetingStore(db).actions(in: scope, filter: filter, limit: 500)
        var out = [
            figure(
                "overdue", t("brief_item.actions_overdue"), overdue.count, source: t("brief_source.meetings"),
                link: .actionPoints(code), tone: overdue.isEmpty ? .good : .attention)
        ]
        if !overdue.isEmpty {
            out.append(
                table(
                    "list", t("brief_item.actions_overdue"),
                    columns: [t("brief_column.action"), t("brief_column.forum"), t("brief_column.due")],
                    rows: overdue.map {
                        [
                            Cell($0.text), Cell($0.forum, link: SiteURL.meeting(code, .value($0.meetingID)).path),
                            Cell(DateText.day($0.dueOn)),
                        ]
                    }, source: t("brief_source.meetings"), link: .actionPoints(code)))
        }
        return out
    }
}
