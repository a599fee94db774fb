import Domain
import Foundation
import Geo
import Persistence
import Vapor
import Views

/// The security risk register: the register with its heat map, the risk form, the risk page with
/// its measures, incidents and history, the "what changed since …" view and the reports issued
/// from it. Every read goes through the viewer's scope; writes need `AccessPolicy.canManageRisks`.
/// Every name a page shows is read here, before the page is drawn.
struct RiskController {
    static let perPage = 50

    // MARK: Register

    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let area = ((try? req.query.get(String.self, at: "area")) ?? "").trimmingCharacters(in: .whitespaces)
            .uppercased()
        let includeClosed = (try? req.query.get(String.self, at: "closed")) == "on"
        let filter = RiskStore.Filter(includeClosed: includeClosed, areaPcode: area.isEmpty ? nil : area)
        let paging = try req.paging(perPage: Self.perPage)
        let store = RiskStore(req.db)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        let now = req.now
        let result = try await store.list(in: scope, filter: filter, now: now, page: paging)
        let mapped = try await store.heatMap(in: scope, filter: RiskStore.Filter(areaPcode: filter.areaPcode))
        let today = AnalysisPeriods.calendar.startOfDay(for: now)
        let rows = result.items.map { risk in
            RiskRegister.Model.Row(
                id: risk.id, number: risk.number, title: risk.title, threat: risk.threat, areaPcodes: risk.areaPcodes,
                inherentLevel: risk.inherentLevel, residualLevel: risk.residualLevel, accepted: risk.accepted,
                openMeasures: risk.openMeasures, overdueMeasures: risk.overdueMeasures, nextReview: risk.nextReview,
                reviewOverdue: risk.nextReview < today && !risk.closed, closed: risk.closed)
        }
        let operationID = context.operation.id
        let model = RiskRegister.Model(
            code: context.operation.code, settings: settings, rows: rows, total: result.total,
            heatMap: Self.heatMap(mapped, settings.matrix, req.strings), area: area, includeClosed: includeClosed,
            page: paging.page, hasMore: paging.page < result.pageCount,
            canManage: AccessPolicy.canManageRisks(in: operationID, by: context.viewer),
            canEditSettings: AccessPolicy.canEditSecuritySettings(in: operationID, by: context.viewer))
        return Page.render(req, title: RiskRegister.title(req.strings)) { RiskRegister.view(model, $0) }
    }

    /// The heat map of open risks where they stand now: residual where assessed, else inherent.
    static func heatMap(_ cells: [RiskStore.HeatMapCell], _ matrix: RiskMatrix, _ t: Strings) -> SVG {
        let labels = RiskLabels(matrix, t)
        let colours = SVGRiskHeatMap.fiveLevelColours
        var map = SVGRiskHeatMap(
            likelihoods: labels.likelihoods, impacts: labels.impacts, cells: matrix.cells, levels: labels.levels,
            colours: matrix.levels.indices.map { colours[RiskLabels.step($0, levelCount: matrix.levels.count)] },
            risks: cells.flatMap { cell in
                cell.risks.map {
                    SVGRiskHeatMap.Risk(
                        likelihood: cell.likelihood, impact: cell.impact,
                        title: "\($0.number) · \($0.title)")
                }
            },
            title: t("risks.heat_map"))
        for cell in cells where (1...matrix.impacts.count).contains(cell.impact) {
            map.counts[(cell.likelihood - 1) * matrix.impacts.count + cell.impact - 1] = cell.count
        }
        map.likelihoodTitle = t("field_likelihood")
        map.impactTitle = t("field_impact")
        map.rightToLeft = t.rightToLeft
        return map.render()
    }

    // MARK: Form

    struct MeasureRow: Content {
        var description: String?; var owner: String?; var due: String?; var status: String?; var strategy: String?
        var tags: String?
    }

    /// The form as posted. Also what a stale save's notice compares, field by field.
    struct Submitted: Content {
        var title: String?; var threat: String?; var targets: [String]?; var vulnerabilities: String?
        var areaPcodes: String?; var likelihood: String?; var impact: String?; var residualLikelihood: String?
        var residualImpact: String?; var acceptanceBy: String?; var acceptanceOn: String?
        var acceptanceRationale: String?; var programmeCriticality: String?; var nextReview: String?
        var audience: String?; var measures: [String: MeasureRow]?; var version: String?
        /// On a save that widens the audience: show the earlier wording to the new readers too.
        var publishHistory: String?

        /// The risk as given: a field left out is empty; measure rows in the order the form numbered
        /// them, blank ones (the form's spare rows) left out.
        var input: RiskInput {
            var input = RiskInput()
            input.title = title ?? ""
            input.threat = threat ?? ""
            input.targets = targets ?? []
            input.vulnerabilities = vulnerabilities ?? ""
            input.areaPcodes = areaPcodes ?? ""
            input.likelihood = likelihood ?? ""
            input.impact = impact ?? ""
            input.residualLikelihood = residualLikelihood ?? ""
            input.residualImpact = residualImpact ?? ""
            input.acceptanceBy = acceptanceBy ?? ""
            input.acceptanceOn = acceptanceOn ?? ""
            input.acceptanceRationale = acceptanceRationale ?? ""
            input.programmeCriticality = programmeCriticality ?? ""
            input.nextReview = nextReview ?? ""
            input.audience = audience ?? ""
            input.measures = (measures ?? [:]).compactMap { key, row in Int(key).map { ($0, row) } }.sorted {
                $0.0 < $1.0
            }
            .map { _, row in
                RiskInput.Measure(
                    description: row.description ?? "", owner: row.owner ?? "", due: row.due ?? "",
                    status: row.status ?? MeasureStatus.planned.rawValue,
                    strategy: row.strategy ?? MitigationStrategy.protection.rawValue, tags: row.tags ?? "")
            }
            .filter { !$0.isBlank }
            return input
        }

        enum CodingKeys: String, CodingKey {
            case title, threat, targets, vulnerabilities, likelihood, impact, audience, measures, version
            case areaPcodes = "area_pcodes", residualLikelihood = "residual_likelihood"
            case residualImpact = "residual_impact", acceptanceBy = "acceptance_by", acceptanceOn = "acceptance_on"
            case acceptanceRationale = "acceptance_rationale", programmeCriticality = "programme_criticality"
            case nextReview = "next_review", publishHistory = "publish_history"
        }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        return try await renderForm(req, context, values: .newRisk(at: req.now), errors: [:], editing: nil)
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let form = try req.content.decode(Submitted.self)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        do {
            let draft = try form.input.draft(
                settings: settings, knownAreas: try await AreaStore(req.db).pcodes(operationID: context.operation.id),
                now: req.now)
            let risk = try await RiskStore(req.db).create(
                draft, in: context.operation.id, matrix: settings.matrix,
                actorID: context.current.user.id, now: req.now)
            Page.flash("risks.created", on: req)
            return req.redirect(to: SiteURL.risk(.value(context.operation.code), .value(risk.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: form.input, errors: errors.messages(in: req),
                editing: nil, status: .unprocessableEntity)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        return try await renderForm(
            req, context, values: RiskInput(risk.draft), errors: [:], editing: risk.id,
            version: EditVersion.token(risk.updatedAt))
    }

    func update(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        let form = try req.content.decode(Submitted.self)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        do {
            let draft = try form.input.draft(
                settings: settings, knownAreas: try await AreaStore(req.db).pcodes(operationID: context.operation.id),
                now: req.now)
            _ = try await RiskStore(req.db).update(
                risk.id, with: draft, matrix: settings.matrix,
                scope: try context.requireScope(), actorID: context.current.user.id,
                expecting: form.version ?? "",
                publishingHistory: form.publishHistory != nil, now: req.now)
            Page.flash("risks.saved", on: req)
            return req.redirect(to: SiteURL.risk(.value(context.operation.code), .value(risk.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: form.input, errors: errors.messages(in: req),
                editing: risk.id, version: form.version ?? "", status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let stored = try await Self.load(req, context)
            let stale = StaleNotice(stored: RiskInput(stored.draft), submitted: form.input, strings: req.strings)
            return try await renderForm(
                req, context, values: form.input, errors: [:], editing: risk.id,
                version: EditVersion.token(stored.updatedAt), stale: stale, status: .conflict)
        }
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, values: RiskInput, errors: [String: String], editing: RiskID?,
        version: String = "", stale: StaleNotice? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        let model = RiskForm.Model(
            code: context.operation.code, id: editing, values: values, errors: errors,
            settings: settings, version: editing == nil ? nil : version, stale: stale)
        return Page.render(req, title: RiskForm.title(model, req.strings), status: status) { RiskForm.view(model, $0) }
    }

    // MARK: Risk page

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let risk = try await Self.load(req, context)
        let store = RiskStore(req.db)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        let d = risk.draft
        let now = req.now
        let linked = try await store.linkedIncidents(of: risk.id, in: scope)
        let versions = try await store.versions(of: risk.id, in: scope)
        var names: [UserID: String] = [:]
        for id in Set(versions.compactMap(\.actorID)) {
            names[id] = try await UserStore(req.db).find(id: id)?.displayName
        }
        var areaNames: [String] = []
        for pcode in d.areaPcodes {
            let area = try await AreaStore(req.db).find(operationID: context.operation.id, pcode: pcode)
            areaNames.append(area.map { "\($0.name(in: req.language)) (\(pcode))" } ?? pcode)
        }
        var residual: (likelihood: Int, impact: Int, level: Int)?
        if let likelihood = d.residualLikelihood, let impact = d.residualImpact, let level = risk.residualLevel {
            residual = (likelihood: likelihood, impact: impact, level: level)
        }
        // A measure not done and past its day is overdue.
        let measures = d.measures.map { m in
            RiskPage.Model.Measure(
                description: m.description, owner: m.owner, tags: m.tags, dueOn: m.dueOn, status: m.status,
                strategy: m.strategy,
                overdue: (m.status == .planned || m.status == .inProgress) && (m.dueOn.map { $0 < now } ?? false))
        }
        let history = versions.map { version in
            RiskPage.Model.Change(
                at: version.recordedAt, change: version.change.rawValue, level: version.level,
                actor: version.actorID.flatMap { names[$0] })
        }
        let operationID = context.operation.id
        let model = RiskPage.Model(
            code: context.operation.code, id: risk.id, number: risk.number, title: d.title, settings: settings,
            threat: d.threat, targets: d.targets, vulnerabilities: d.vulnerabilities, areas: areaNames,
            inherent: (likelihood: d.likelihood, impact: d.impact, level: risk.inherentLevel), residual: residual,
            acceptance: d.acceptance, criticality: d.programmeCriticality, nextReview: d.nextReview,
            reviewOverdue: risk.closedAt == nil && d.nextReview < AnalysisPeriods.calendar.startOfDay(for: now),
            audience: d.audience, closed: risk.closedAt != nil, closingNote: risk.closingNote, measures: measures,
            incidents: linked.map { RiskPage.Model.Incident(id: $0.id, number: $0.number, title: $0.title) },
            history: history, canManage: AccessPolicy.canManageRisks(in: operationID, by: context.viewer),
            canAudit: AccessPolicy.canReadAudit(of: operationID, by: context.viewer))
        return Page.render(req, title: d.title) { RiskPage.view(model, $0) }
    }

    // MARK: Close, reopen, link

    struct CloseForm: Content {
        var closingNote: String?
        enum CodingKeys: String, CodingKey { case closingNote = "closing_note" }
    }

    func close(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        let form = try req.content.decode(CloseForm.self)
        _ = try await RiskStore(req.db).setClosed(
            risk.id, note: form.closingNote ?? "",
            scope: try context.requireScope(), actorID: context.current.user.id, now: req.now)
        Page.flash("risks.closed_flash", on: req)
        return req.redirect(to: SiteURL.risk(.value(context.operation.code), .value(risk.id)).path)
    }

    func reopen(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        _ = try await RiskStore(req.db).setClosed(
            risk.id, note: nil, scope: try context.requireScope(),
            actorID: context.current.user.id, now: req.now)
        Page.flash("risks.reopened", on: req)
        return req.redirect(to: SiteURL.risk(.value(context.operation.code), .value(risk.id)).path)
    }

    struct LinkForm: Content {
        var incidentNumber: String?
        enum CodingKeys: String, CodingKey { case incidentNumber = "incident_number" }
    }

    func link(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        let form = try req.content.decode(LinkForm.self)
        guard let number = WholeNumber.parse((form.incidentNumber ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw DomainError(
                .invalid, field: "incident_number", key: "error.risk_link_incident",
                "Give an incident number.")
        }
        _ = try await RiskStore(req.db).link(
            risk.id, toIncidentNumber: number, scope: try context.requireScope(),
            actorID: context.current.user.id, now: req.now)
        Page.flash("risks.linked", on: req)
        return req.redirect(to: SiteURL.risk(.value(context.operation.code), .value(risk.id)).path + "#incidents")
    }

    func unlink(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        guard let incidentID = req.pathID("incident", as: IncidentID.self) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        try await RiskStore(req.db).unlink(
            risk.id, incidentID: incidentID, scope: try context.requireScope(),
            actorID: context.current.user.id, now: req.now)
        return req.redirect(to: SiteURL.risk(.value(context.operation.code), .value(risk.id)).path + "#incidents")
    }

    // MARK: What changed, reports

    /// The register's changes since a date (by default the last report, or thirty days), and the
    /// form that issues them as a report with recommendations.
    func changes(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let store = RiskStore(req.db)
        let reports = try await store.reports(in: scope)
        let now = req.now
        var since =
            reports.first?.issuedAt
            ?? AnalysisPeriods.calendar.startOfDay(for: now.addingTimeInterval(-30 * 86_400))
        var error: String?
        if let text = try? req.query.get(String.self, at: "since"), !text.isEmpty {
            if let parsed = DateText.time(text), parsed < now {
                since = parsed
            } else {
                error = req.t("error.report_since")
            }
        }
        let changes = try await store.changes(since: since, until: now, in: scope)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        let model = RiskChangesPage.Model(
            code: context.operation.code, since: since, until: now, matrix: settings.matrix, changes: changes,
            reports: reports.map { RiskChangesPage.Model.Report(id: $0.id, number: $0.number, issuedAt: $0.issuedAt) },
            canManage: AccessPolicy.canManageRisks(in: context.operation.id, by: context.viewer),
            error: error)
        let status: HTTPResponseStatus = error == nil ? .ok : .unprocessableEntity
        return Page.render(req, title: RiskChangesPage.title(req.strings), status: status) {
            RiskChangesPage.view(model, $0)
        }
    }

    struct IssueForm: Content { var since: String?; var recommendations: String?; var audience: String? }

    func issue(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let form = try req.content.decode(IssueForm.self)
        guard let since = DateText.time(form.since ?? "") else {
            throw DomainError(.invalid, field: "since", key: "error.report_since", "The period's start is not a date.")
        }
        // Never a default: a report whose audience was left out must not be issued to IFRC staff.
        guard let audience = AudienceLevel(rawValue: form.audience ?? "") else {
            throw DomainError(.invalid, field: "audience", key: "error.choose", "Choose who may read the report.")
        }
        let report = try await RiskStore(req.db).issueReport(
            since: since, recommendations: form.recommendations ?? "", audience: audience,
            in: context.operation.id, actorID: context.current.user.id, now: req.now)
        Page.flash("risks.report_issued", on: req)
        return req.redirect(to: SiteURL.riskReport(.value(context.operation.code), .value(report.id)).path)
    }

    /// The printable report: recomputed from the versions for its reader, as of its issue.
    func report(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let id = req.pathID("report", as: RiskReportID.self),
            let report = try await RiskStore(req.db).report(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        let changes = try await RiskStore(req.db).changes(since: report.since, until: report.issuedAt, in: scope)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        let author =
            try await report.createdBy.asyncMap {
                try await UserStore(req.db).find(id: $0)?.displayName
            } ?? nil
        let model = RiskReportPage.Model(
            code: context.operation.code, operationName: context.operation.name, number: report.number,
            since: report.since, issuedAt: report.issuedAt, author: author, matrix: settings.matrix, changes: changes,
            recommendations: report.recommendations, audience: report.audience)
        return Page.render(req, title: RiskReportPage.title(model, req.strings)) { RiskReportPage.view(model, $0) }
    }

    // MARK: Access

    func requireManager(_ req: Request) async throws -> OperationContext {
        try await OperationContext.load(req, requiring: AccessPolicy.canManageRisks(in:by:))
    }

    /// The risk in the path, or 404 when the viewer may not see it.
    static func load(_ req: Request, _ context: OperationContext) async throws -> RiskRecord {
        guard let id = req.pathID(as: RiskID.self),
            let risk = try await RiskStore(req.db).find(id, in: try context.requireScope()),
            risk.operationID == context.operation.id
        else { throw PageError(.notFound, key: "error.not_found") }
        return risk
    }
}
