import Domain
import Fluent
import Foundation
import Geo
import Persistence
import Vapor
import Views

/// The protection-risk register (issue 18, part 2): GPC's risks with their migration sub-types,
/// each against a context and a journey phase, scored for exposure by the operation's method;
/// the heat map of context × phase, what changed since a day, and the method's settings. The
/// Movement reads it (`AccessPolicy.canViewProtectionRisks`); the migration coordinator and the
/// HeOps keep it.
struct ProtectionRiskController {
    // MARK: Register

    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewProtectionRisks)
        let scope = try context.requireScope()
        let settings = try await SettingsStore(req.db).load(
            ProtectionRiskSettings.self, operationID: context.operation.id)
        let concern = req.query[String.self, at: "concern"].flatMap(ProtectionConcern.init(rawValue:))
        let filter = ProtectionRiskStore.Filter(
            includeClosed: req.query[String.self, at: "closed"] == "on",
            concern: concern.map(settings.mapping),
            category: req.query[String.self, at: "category"].flatMap(ProtectionRiskCategory.init(rawValue:)),
            context: req.query[String.self, at: "context"].flatMap(ProtectionContext.init(rawValue:)),
            phase: req.query[String.self, at: "phase"].flatMap(JourneyPhase.init(rawValue:)))
        let store = ProtectionRiskStore(req.db)
        let records = try await store.list(in: scope, filter: filter)
        var heatFilter = filter
        heatFilter.includeClosed = false
        let cells = try await store.heatMap(in: scope, filter: heatFilter)
        let now = req.now
        let t = req.strings
        let meaning = concern.map { concern -> String in
            let mapping = settings.mapping(concern)
            let parts =
                mapping.categories.map { "GPC \($0.number) (\(t($0.labelKey)))" }
                + mapping.subtypes.map { t($0.labelKey) }
            return t("protection_risks.concern_finds").replacingOccurrences(of: "{name}", with: t(concern.labelKey))
                + " " + (parts.isEmpty ? "–" : parts.joined(separator: "; "))
        }
        var model = ProtectionRiskRegister.Model(
            code: context.operation.code, method: settings.method,
            rows: records.map { r in
                let open = r.draft.mitigations.filter(\.isOpen)
                return ProtectionRiskRegister.Model.Row(
                    id: r.id, number: r.number, draft: r.draft, exposure: r.exposure, level: r.level,
                    openMitigations: open.count,
                    overdueMitigations: open.filter { ($0.dueOn ?? .distantFuture) < now }.count,
                    closed: r.closedAt != nil)
            },
            heatMap: Self.heatMap(
                cells, open: records.filter { $0.closedAt == nil }, method: settings.method, t),
            concern: concern, concernMeaning: meaning ?? "", category: filter.category, context: filter.context,
            phase: filter.phase, includeClosed: filter.includeClosed, asOf: now,
            canManage: AccessPolicy.canManageProtectionRisks(in: context.operation.id, by: context.viewer))
        model.heatTable = ChartData(
            rowHeading: t("field_protection_context"), columns: JourneyPhase.allCases.map { t($0.labelKey) },
            rows: ProtectionContext.allCases.map { context in
                (
                    t(context.labelKey),
                    JourneyPhase.allCases.map { phase in
                        cells.first { $0.context == context && $0.phase == phase }?.count ?? 0
                    }
                )
            })
        let page = model
        return Page.render(req, title: req.t("protection_risks_title")) { ProtectionRiskRegister.view(page, $0) }
    }

    /// Contexts down the side (in the register's order, the first at the top), journey phases
    /// along the bottom; each cell coloured by the highest level among its open risks, with their number.
    static func heatMap(
        _ cells: [ProtectionHeatCell], open: [ProtectionRiskRecord], method: ExposureMethod, _ t: Strings
    ) -> SVG {
        let contexts = ProtectionContext.allCases, phases = JourneyPhase.allCases
        func row(_ context: ProtectionContext) -> Int { contexts.count - contexts.firstIndex(of: context)! }
        func column(_ phase: JourneyPhase) -> Int { phases.firstIndex(of: phase)! + 1 }
        var levels = Array(repeating: Array(repeating: -1, count: phases.count), count: contexts.count)
        var counts: [Int: Int] = [:]
        for cell in cells {
            levels[row(cell.context) - 1][column(cell.phase) - 1] = cell.highestLevel
            counts[(row(cell.context) - 1) * phases.count + column(cell.phase) - 1] = cell.count
        }
        let labels = RiskLabels(method, t)
        var map = SVGRiskHeatMap(
            likelihoods: contexts.reversed().map { t($0.labelKey) }, impacts: phases.map { t($0.labelKey) },
            cells: levels, levels: labels.levels,
            colours: method.levels.indices.map {
                SVGRiskHeatMap.fiveLevelColours[RiskLabels.step($0, levelCount: method.levels.count)]
            },
            risks: open.prefix(2_000).map {
                SVGRiskHeatMap.Risk(
                    likelihood: row($0.draft.context), impact: column($0.draft.phase), title: $0.draft.title)
            },
            title: t("protection_risks.heat_map"))
        map.counts = counts
        map.likelihoodTitle = t("field_protection_context")
        map.impactTitle = t("field_journey_phase")
        map.rightToLeft = t.rightToLeft
        map.sideWidth = 200
        map.slantedColumnLabels = true
        map.ordered = false
        return map.render()
    }

    // MARK: One risk

    static func load(_ req: Request, _ context: OperationContext) async throws -> ProtectionRiskRecord {
        guard let raw = req.parameters.get("id"), let uuid = UUID(uuidString: raw),
            let record = try await ProtectionRiskStore(req.db).find(
                ProtectionRiskID(uuid), in: try context.requireScope())
        else { throw PageError(.notFound, key: "error.not_found") }
        return record
    }

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewProtectionRisks)
        let scope = try context.requireScope()
        let risk = try await Self.load(req, context)
        let settings = try await SettingsStore(req.db).load(
            ProtectionRiskSettings.self, operationID: context.operation.id)
        let activities = Dictionary(
            try await ActivityStore(req.db).all(in: scope).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let names = try await req.areaShapes.names(for: context.operation, language: req.language, on: req.db)
        let versions = try await ProtectionRiskStore(req.db).versions(of: risk.id, in: scope)
        var actors: [UserID: String] = [:]
        for id in Set(versions.compactMap(\.actorID)) {
            actors[id] = try await UserStore(req.db).find(id: id)?.displayName
        }
        let now = req.now
        let model = ProtectionRiskPage.Model(
            code: context.operation.code, id: risk.id, number: risk.number, draft: risk.draft,
            method: settings.method, exposure: risk.draft.exposure(settings.method),
            areas: risk.draft.areaPcodes.map { pcode in names[pcode].map { "\($0) (\(pcode))" } ?? pcode },
            mitigations: risk.draft.mitigations.map { m in
                ProtectionRiskPage.Model.Mitigation(
                    mitigation: m, activities: m.activityIDs.compactMap { id in activities[id].map { (id, $0) } },
                    overdue: m.isOpen && (m.dueOn ?? .distantFuture) < now)
            },
            history: versions.map {
                .init(
                    at: $0.recordedAt, change: $0.change, exposure: $0.exposure, level: $0.level,
                    actor: $0.actorID.flatMap { actors[$0] })
            },
            closedAt: risk.closedAt, closingNote: risk.closingNote,
            canManage: AccessPolicy.canManageProtectionRisks(in: context.operation.id, by: context.viewer))
        return Page.render(req, title: risk.draft.title) { ProtectionRiskPage.view(model, $0) }
    }

    // MARK: Form

    struct MitigationRow: Content {
        var description: String?; var owner: String?; var due: String?; var status: String?; var activities: [String]?
    }

    struct Submitted: Content {
        var title: String?; var category: String?; var subtype: String?; var context: String?; var phase: String?
        var areaPcodes: String?; var description: String?; var groups: [String]?; var vulnerabilities: [String]?
        var capacities: [String]?; var likelihood: String?; var severity: String?; var nextReview: String?
        var mitigations: [String: MitigationRow]?; var version: String?

        enum CodingKeys: String, CodingKey {
            case title, category, subtype, context, phase, description, groups, vulnerabilities, capacities
            case likelihood, severity, mitigations, version
            case areaPcodes = "area_pcodes", nextReview = "next_review"
        }

        /// The form shows every field: what it leaves out is empty. Mitigation rows in the order
        /// the form numbered them, the blank spare rows left out.
        var input: ProtectionRiskInput {
            var input = ProtectionRiskInput()
            input.title = title ?? ""
            input.category = category ?? ""
            input.subtype = subtype ?? ""
            input.context = context ?? ""
            input.phase = phase ?? ""
            input.areaPcodes = areaPcodes ?? ""
            input.description = description ?? ""
            input.groups = groups ?? []
            input.vulnerabilities = vulnerabilities ?? []
            input.capacities = capacities ?? []
            input.likelihood = likelihood ?? ""
            input.severity = severity ?? ""
            input.nextReview = nextReview ?? ""
            input.mitigations = (mitigations ?? [:]).compactMap { key, row in Int(key).map { ($0, row) } }
                .sorted { $0.0 < $1.0 }
                .map { _, row in
                    ProtectionRiskInput.Mitigation(
                        description: row.description ?? "", owner: row.owner ?? "", due: row.due ?? "",
                        status: row.status ?? MeasureStatus.planned.rawValue, activities: row.activities ?? [])
                }
                .filter { !$0.isBlank }
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageProtectionRisks)
        var values = ProtectionRiskInput()
        values.nextReview = DateText.day(req.now.addingTimeInterval(30 * 86_400))
        return try await renderForm(req, context, values: values, errors: [:], id: nil)
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageProtectionRisks)
        let scope = try context.requireScope()
        let input = try req.content.decode(Submitted.self).input
        let settings = try await SettingsStore(req.db).load(
            ProtectionRiskSettings.self, operationID: context.operation.id)
        do {
            let draft = try await ProtectionRisks.checked(input, method: settings.method, scope: scope, on: req.db)
            let risk = try await ProtectionRiskStore(req.db).create(
                draft, method: settings.method, scope: scope, actorID: context.current.user.id, now: req.now)
            Page.flash("risks.created", on: req)
            return req.redirect(to: SiteURL.protectionRisk(.value(context.operation.code), .value(risk.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: input, errors: errors.messages(in: req), id: nil, status: .unprocessableEntity)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageProtectionRisks)
        let risk = try await Self.load(req, context)
        return try await renderForm(
            req, context, values: ProtectionRiskInput(risk.draft), errors: [:], id: risk.id,
            version: EditVersion.token(risk.updatedAt))
    }

    func update(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageProtectionRisks)
        let scope = try context.requireScope()
        let risk = try await Self.load(req, context)
        let form = try req.content.decode(Submitted.self)
        let input = form.input
        let settings = try await SettingsStore(req.db).load(
            ProtectionRiskSettings.self, operationID: context.operation.id)
        do {
            let draft = try await ProtectionRisks.checked(input, method: settings.method, scope: scope, on: req.db)
            _ = try await ProtectionRiskStore(req.db).update(
                risk.id, with: draft, method: settings.method, scope: scope, actorID: context.current.user.id,
                expecting: form.version ?? "", now: req.now)
            Page.flash("risks.saved", on: req)
            return req.redirect(to: SiteURL.protectionRisk(.value(context.operation.code), .value(risk.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: input, errors: errors.messages(in: req), id: risk.id,
                version: form.version ?? "", status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            return try await renderForm(
                req, context, values: input, errors: ["version": req.t("error.stale")], id: risk.id,
                version: form.version ?? "", status: .conflict)
        }
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, values: ProtectionRiskInput, errors: [String: String],
        id: ProtectionRiskID?, version: String = "", status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let settings = try await SettingsStore(req.db).load(
            ProtectionRiskSettings.self, operationID: context.operation.id)
        let model = ProtectionRiskForm.Model(
            code: context.operation.code, id: id, values: values, errors: errors, version: version,
            method: settings.method,
            activities: try await ActivityStore(req.db).all(in: try context.requireScope()).map { ($0.id, $0.name) })
        return Page.render(
            req, title: req.t(id == nil ? "protection_risks_new" : "protection_risks_edit"), status: status
        ) { ProtectionRiskForm.view(model, $0) }
    }

    struct CloseForm: Content {
        var closingNote: String?
        enum CodingKeys: String, CodingKey { case closingNote = "closing_note" }
    }

    func close(_ req: Request) async throws -> Response { try await setClosed(req, closing: true) }
    func reopen(_ req: Request) async throws -> Response { try await setClosed(req, closing: false) }

    func setClosed(_ req: Request, closing: Bool) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageProtectionRisks)
        let risk = try await Self.load(req, context)
        let note = closing ? (try req.content.decode(CloseForm.self).closingNote ?? "") : nil
        // A closing without its reason is refused by the store, said on the error page.
        _ = try await ProtectionRiskStore(req.db).setClosed(
            risk.id, note: note, scope: try context.requireScope(), actorID: context.current.user.id, now: req.now)
        Page.flash(closing ? "risks.closed_flash" : "risks.reopened", on: req)
        return req.redirect(to: SiteURL.protectionRisk(.value(context.operation.code), .value(risk.id)).path)
    }

    // MARK: What changed

    func changes(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewProtectionRisks)
        let scope = try context.requireScope()
        let settings = try await SettingsStore(req.db).load(
            ProtectionRiskSettings.self, operationID: context.operation.id)
        let now = req.now
        // By default the last week; a day given is read as its start, never after now.
        let since = min(
            req.query[String.self, at: "since"].flatMap(DateText.day) ?? now.addingTimeInterval(-7 * 86_400), now)
        let changes = try await ProtectionRiskStore(req.db).changes(since: since, until: now, in: scope)
        let model = ProtectionRiskChangesPage.Model(
            code: context.operation.code, since: since, until: now, method: settings.method, changes: changes)
        return Page.render(req, title: req.t("risks_changes")) { ProtectionRiskChangesPage.view(model, $0) }
    }

    // MARK: Settings

    func settings(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageProtectionRisks)
        return try await renderSettings(req, context, edited: nil)
    }

    func saveSettings(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageProtectionRisks)
        let form = try req.content.decode(SecuritySettingsController.SaveForm.self)
        guard let key = ProtectionRiskSettings.Key(rawValue: form.key ?? "") else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        do {
            try await SettingsStore(req.db).save(
                ProtectionRiskSettings.self, key, json: form.json ?? "", operationID: context.operation.id,
                actorID: context.current.user.id, now: req.now)
            Page.flash("settings.saved", on: req)
            return req.redirect(
                to: SiteURL.protectionRiskSettings(.value(context.operation.code)).path + "#" + key.rawValue)
        } catch let errors as ValidationErrors {
            let message = errors.errors.map(\.message).joined(separator: " ")
            return try await renderSettings(
                req, context, edited: (key.rawValue, form.json ?? "", message), status: .unprocessableEntity)
        }
    }

    func renderSettings(
        _ req: Request, _ context: OperationContext, edited: SecuritySettingsController.Edited?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let settings = try await SettingsStore(req.db).load(
            ProtectionRiskSettings.self, operationID: context.operation.id)
        let code = context.operation.code
        var model = SecuritySettingsPage.Model(
            code: code,
            entries: ProtectionRiskSettings.Key.allCases.map { key in
                let isEdited = edited?.key == key.rawValue
                return .init(
                    key: key.rawValue, labelKey: key.labelKey, json: isEdited ? edited!.json : settings.json(key),
                    error: isEdited ? edited!.error : nil)
            })
        model.action = .protectionRiskSettings(.value(code))
        model.register = (titleKey: "protection_risks_title", url: .protectionRisks(.value(code)))
        let page = model
        return Page.render(req, title: req.t("settings.title"), status: status) { SecuritySettingsPage.view(page, $0) }
    }
}
