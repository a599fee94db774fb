import Domain
import Foundation
import Geo
import Persistence
import Vapor
import Views

/// The security risk register: the register with its heat map, the risk form, the risk page with
/// its measures, incidents and history, the "what changed since …" view and the reports issued
/// from it. Every read goes through the viewer's scope; writes need `AccessPolicy.canManageRisks`.
struct RiskController {
    static let perPage = 50

    // MARK: Register

    struct RegisterContext: Encodable {
        let code: String; let heatMap: String; let rows: HTMLFragment; let hasRisks: Bool; let count: String
        let canManage: Bool; let canSettings: Bool; let area: String; let includeClosed: Bool
        let page: Int; let prevPage: Int?; let nextPage: Int?; let filterQuery: String
    }

    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let area = (try? req.query.get(String.self, at: "area"))?.trimmingCharacters(in: .whitespaces).uppercased() ?? ""
        let includeClosed = (try? req.query.get(String.self, at: "closed")) == "on"
        let filter = RiskStore.Filter(includeClosed: includeClosed, areaPcode: area.isEmpty ? nil : area)
        let paging = try req.paging(perPage: Self.perPage)
        let store = RiskStore(req.db)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        let now = Date()
        let result = try await store.list(in: scope, filter: filter, now: now, page: paging)
        let mapped = try await store.heatMap(in: scope, filter: RiskStore.Filter(areaPcode: filter.areaPcode))
        let labels = Labels(settings.matrix, req)
        let code = context.operation.code
        var rows = HTMLFragment()
        let today = AnalysisPeriods.calendar.startOfDay(for: now)
        for risk in result.items {
            rows.markup(risk.closed ? "<tr class=\"closed\"><td dir=\"ltr\">" : "<tr><td dir=\"ltr\">")
            rows.text(risk.number)
            rows.markup("</td><td><a href=\"/operations/")
            rows.text(code)
            rows.markup("/risks/")
            rows.text(risk.id.uuidString)
            rows.markup("\">")
            rows.text(risk.title)
            rows.markup("</a>")
            if risk.closed {
                rows.markup(" <span class=\"tag\">")
                rows.text(req.t("risks.closed"))
                rows.markup("</span>")
            }
            rows.markup("</td><td>")
            rows.text(Self.threatLabel(risk.threat, settings, req))
            rows.markup("</td><td dir=\"ltr\" class=\"code\">")
            rows.text(risk.areaPcodes.isEmpty ? "—" : risk.areaPcodes.joined(separator: ", "))
            rows.markup("</td><td>")
            Self.levelTag(risk.inherentLevel, labels, into: &rows)
            rows.markup("</td><td>")
            if let residual = risk.residualLevel { Self.levelTag(residual, labels, into: &rows) } else { rows.text(req.t("risks.not_assessed")) }
            if risk.accepted {
                rows.markup(" <span class=\"tag\">")
                rows.text(req.t("risks.accepted"))
                rows.markup("</span>")
            }
            rows.markup("</td><td>")
            rows.text(risk.openMeasures)
            if risk.overdueMeasures > 0 {
                rows.markup(" <strong class=\"overdue\">(")
                rows.text(req.t("risks.overdue_count").replacingOccurrences(of: "{count}", with: String(risk.overdueMeasures)))
                rows.markup(")</strong>")
            }
            rows.markup(risk.nextReview < today && !risk.closed ? "</td><td dir=\"ltr\" class=\"nowrap overdue\">" : "</td><td dir=\"ltr\" class=\"nowrap\">")
            rows.text(DateText.day(risk.nextReview))
            rows.markup("</td></tr>")
        }
        var query = "area=\(area.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        if includeClosed { query += "&closed=on" }
        return try await Page.render("risks", RegisterContext(
            code: code, heatMap: Self.heatMap(mapped, settings.matrix, labels, req), rows: rows, hasRisks: !result.items.isEmpty,
            count: req.t("risks.count").replacingOccurrences(of: "{count}", with: String(result.total)),
            canManage: AccessPolicy.canManageRisks(in: context.operation.id.uuidString, by: context.viewer),
            canSettings: AccessPolicy.canEditSecuritySettings(in: context.operation.id.uuidString, by: context.viewer),
            area: area, includeClosed: includeClosed, page: paging.page, prevPage: paging.previous,
            nextPage: paging.page < result.pageCount ? paging.page + 1 : nil, filterQuery: query),
            title: req.t("risks.title"), for: req)
    }

    /// The matrix's names in the reader's language: the catalogue's where it has the default
    /// keys, the key itself for a scale an administrator renamed.
    struct Labels {
        let likelihoods: [String]
        let impacts: [String]
        let levels: [String]
        let levelKeys: [String]
        init(_ matrix: RiskMatrix, _ req: Request) {
            likelihoods = matrix.likelihoods.map { req.t("risk_likelihood.\($0)", or: $0) }
            impacts = matrix.impacts.map { req.t("risk_impact.\($0)", or: $0) }
            levels = matrix.levels.map { req.t("risk_level.\($0)", or: $0) }
            levelKeys = matrix.levels
        }
        func level(_ index: Int) -> String { levels.indices.contains(index) ? levels[index] : "?" }
        /// A CSS class for the level: its position on a five-step ramp, whatever the matrix calls it.
        func levelClass(_ index: Int) -> String {
            let steps = max(1, levels.count - 1)
            return "level-\(min(4, max(0, (index * 4 + steps / 2) / steps)))"
        }
    }

    static func levelTag(_ index: Int, _ labels: Labels, into out: inout HTMLFragment) {
        out.markup("<span class=\"level ")
        out.text(labels.levelClass(index))
        out.markup("\">")
        out.text(labels.level(index))
        out.markup("</span>")
    }

    static func threatLabel(_ key: String, _ settings: RiskSettings, _ req: Request) -> String {
        req.t("threat.\(key)", or: settings.threat(key)?.label ?? key)
    }

    /// The heat map of open risks where they stand now: residual where assessed, else inherent.
    static func heatMap(_ cells: [RiskStore.HeatMapCell], _ matrix: RiskMatrix, _ labels: Labels, _ req: Request) -> String {
        let colours = SVGRiskHeatMap.fiveLevelColours
        let steps = max(1, matrix.levels.count - 1)
        var map = SVGRiskHeatMap(
            likelihoods: labels.likelihoods, impacts: labels.impacts, cells: matrix.cells, levels: labels.levels,
            colours: matrix.levels.indices.map { colours[min(4, ($0 * 4 + steps / 2) / steps)] },
            risks: cells.flatMap { cell in
                cell.risks.map { SVGRiskHeatMap.Risk(likelihood: cell.likelihood, impact: cell.impact, title: "\($0.number) · \($0.title)") }
            },
            title: req.t("risks.heat_map"))
        for cell in cells where (1...matrix.impacts.count).contains(cell.impact) {
            map.counts[(cell.likelihood - 1) * matrix.impacts.count + cell.impact - 1] = cell.count
        }
        map.likelihoodTitle = req.t("field_likelihood")
        map.impactTitle = req.t("field_impact")
        map.rightToLeft = Catalog.rightToLeft.contains(req.language)
        return map.render().markup
    }

    // MARK: Form

    struct MeasureRow: Content {
        var description: String?; var owner: String?; var due: String?; var status: String?; var strategy: String?; var tags: String?
        var isBlank: Bool { [description, owner, due, tags].allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty } }
    }

    struct RiskForm: Content {
        var title: String?; var threat: String?; var targets: [String]?; var vulnerabilities: String?; var areaPcodes: String?
        var likelihood: String?; var impact: String?; var residualLikelihood: String?; var residualImpact: String?
        var acceptanceBy: String?; var acceptanceOn: String?; var acceptanceRationale: String?; var programmeCriticality: String?
        var nextReview: String?; var audience: String?; var measures: [String: MeasureRow]?; var version: String?
        /// On a save that widens the audience: show the earlier wording to the new readers too.
        var publishHistory: String?

        var measureRows: [MeasureRow] {
            (measures ?? [:]).compactMap { key, row in Int(key).map { ($0, row) } }.sorted { $0.0 < $1.0 }.map(\.1)
        }

        enum CodingKeys: String, CodingKey {
            case title, threat, targets, vulnerabilities, likelihood, impact, audience, measures, version
            case areaPcodes = "area_pcodes", residualLikelihood = "residual_likelihood", residualImpact = "residual_impact"
            case acceptanceBy = "acceptance_by", acceptanceOn = "acceptance_on", acceptanceRationale = "acceptance_rationale"
            case programmeCriticality = "programme_criticality", nextReview = "next_review", publishHistory = "publish_history"
        }
    }

    struct FormContext: Encodable {
        let code: String; let action: String; let isNew: Bool; let values: RiskForm; let errors: [String: String]
        let threats: HTMLFragment; let targets: HTMLFragment; let likelihoods: HTMLFragment; let impacts: HTMLFragment
        let residualLikelihoods: HTMLFragment; let residualImpacts: HTMLFragment; let criticalities: HTMLFragment
        let audiences: HTMLFragment; let measureRows: HTMLFragment; let matrixHelp: String
        /// The version the form is based on (in `values`), and what someone else saved when a save came too late.
        let version: String?; let stale: StaleNotice?
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        var values = RiskForm()
        values.nextReview = DateText.day(Date().addingTimeInterval(30 * 86_400))
        values.audience = AudienceLevel.ifrcOnly.rawValue
        return try await renderForm(req, context, values: values, errors: [:], editing: nil)
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let form = try req.content.decode(RiskForm.self)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        do {
            let draft = try await Self.draft(form, settings: settings, context: context, req: req)
            let risk = try await RiskStore(req.db).create(draft, in: context.operation.id, matrix: settings.matrix, actorID: context.current.user.id)
            Page.flash("risks.created", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/risks/\(risk.id.uuidString)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, context, values: form, errors: Self.formMessages(errors, req), editing: nil, status: .unprocessableEntity)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        var values = Self.values(risk.draft)
        values.version = EditVersion.token(risk.updatedAt)
        return try await renderForm(req, context, values: values, errors: [:], editing: risk.id)
    }

    func update(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        let form = try req.content.decode(RiskForm.self)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        do {
            let draft = try await Self.draft(form, settings: settings, context: context, req: req)
            _ = try await RiskStore(req.db).update(risk.id, with: draft, matrix: settings.matrix, scope: try context.requireScope(),
                                                   actorID: context.current.user.id, expecting: form.version ?? "",
                                                   publishingHistory: form.publishHistory != nil)
            Page.flash("risks.saved", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/risks/\(risk.id.uuidString)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, context, values: form, errors: Self.formMessages(errors, req), editing: risk.id,
                                        status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let stored = try await Self.load(req, context)
            var values = form
            values.version = EditVersion.token(stored.updatedAt)
            return try await renderForm(req, context, values: values, errors: [:], editing: risk.id,
                                        stale: StaleNotice(stored: Self.values(stored.draft), submitted: form, strings: req.strings), status: .conflict)
        }
    }

    /// Field messages keyed as the form names its fields: the draft says `measures[2]`, which the form uses as is.
    static func formMessages(_ errors: ValidationErrors, _ req: Request) -> [String: String] { errors.messages(in: req) }

    static func draft(_ form: RiskForm, settings: RiskSettings, context: OperationContext, req: Request) async throws -> RiskDraft {
        var errors = ValidationErrors()
        func int(_ text: String?, _ field: String, required: Bool) -> Int? {
            let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if required { errors.add(field, key: "error.required", "Choose a value.") }
                return nil
            }
            guard let value = Int(trimmed) else { errors.add(field, key: "error.number", "“\(trimmed)” is not a whole number."); return nil }
            return value
        }
        func day(_ text: String?, _ field: String) -> Date? {
            let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard let date = DateText.time(trimmed) else {
                errors.add(field, key: "error.date", "“\(trimmed)” is not a date (YYYY-MM-DD)."); return nil
            }
            return date
        }
        let likelihood = int(form.likelihood, "likelihood", required: true)
        let impact = int(form.impact, "impact", required: true)
        let residualLikelihood = int(form.residualLikelihood, "residual_likelihood", required: false)
        let residualImpact = int(form.residualImpact, "residual_impact", required: false)
        let nextReview = day(form.nextReview, "next_review")
        if nextReview == nil, (form.nextReview ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add("next_review", key: "error.required", "Give the date of the next review.")
        }
        var targets = Set<RiskTarget>()
        for raw in form.targets ?? [] where !raw.isEmpty {
            guard let target = RiskTarget(rawValue: raw) else { errors.add("targets", key: "error.choice", "“\(raw)” is not a choice."); continue }
            targets.insert(target)
        }
        var measures: [MitigationMeasure] = []
        for (i, row) in form.measureRows.filter({ !$0.isBlank }).enumerated() {
            let field = "measures[\(i)]"
            guard let status = MeasureStatus(rawValue: row.status ?? MeasureStatus.planned.rawValue),
                  let strategy = MitigationStrategy(rawValue: row.strategy ?? MitigationStrategy.protection.rawValue) else {
                errors.add(field, key: "error.choice", "Measure \(i + 1) has a status or strategy that is not a choice."); continue
            }
            measures.append(MitigationMeasure(
                description: row.description ?? "", owner: row.owner ?? "", dueOn: day(row.due, field), status: status, strategy: strategy,
                tags: (row.tags ?? "").split(separator: ",").map(String.init)))
        }
        var acceptance: RiskAcceptance?
        let acceptanceBy = (form.acceptanceBy ?? "").trimmingCharacters(in: .whitespaces)
        let acceptanceRationale = (form.acceptanceRationale ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let acceptanceOn = day(form.acceptanceOn, "acceptance")
        if !acceptanceBy.isEmpty || !acceptanceRationale.isEmpty || acceptanceOn != nil {
            acceptance = RiskAcceptance(decidedBy: acceptanceBy, decidedOn: acceptanceOn ?? Date(), rationale: acceptanceRationale)
        }
        var criticality: ProgrammeCriticality?
        if let raw = form.programmeCriticality, !raw.isEmpty {
            criticality = ProgrammeCriticality(rawValue: raw)
            if criticality == nil { errors.add("programme_criticality", key: "error.choice", "“\(raw)” is not a choice.") }
        }
        let audience = AudienceLevel(rawValue: form.audience ?? "") ?? .ifrcOnly
        let draft = RiskDraft(
            title: form.title ?? "", threat: form.threat ?? "", targets: targets, vulnerabilities: form.vulnerabilities ?? "",
            areaPcodes: (form.areaPcodes ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" || $0.isNewline }).map(String.init),
            likelihood: likelihood ?? 0, impact: impact ?? 0, measures: measures, residualLikelihood: residualLikelihood,
            residualImpact: residualImpact, acceptance: acceptance, programmeCriticality: criticality, nextReview: nextReview ?? .distantFuture,
            audience: audience)
        let known = try await AreaStore(req.db).pcodes(operationID: context.operation.id)
        do {
            let valid = try draft.validated(matrix: settings.matrix, rules: settings.rules, threats: settings.threats, knownAreas: known)
            try errors.throwIfAny()
            return valid
        } catch let more {
            // Both sets at once, the form's own (unreadable values) first, so a field shows its first problem.
            var all = errors
            for error in more.errors where !all.errors.contains(where: { $0.field == error.field }) { all.errors.append(error) }
            throw all
        }
    }

    static func values(_ d: RiskDraft) -> RiskForm {
        var form = RiskForm()
        form.title = d.title; form.threat = d.threat; form.targets = d.targets.map(\.rawValue); form.vulnerabilities = d.vulnerabilities
        form.areaPcodes = d.areaPcodes.joined(separator: ", "); form.likelihood = String(d.likelihood); form.impact = String(d.impact)
        form.residualLikelihood = d.residualLikelihood.map(String.init); form.residualImpact = d.residualImpact.map(String.init)
        form.acceptanceBy = d.acceptance?.decidedBy; form.acceptanceOn = d.acceptance.map { DateText.day($0.decidedOn) }
        form.acceptanceRationale = d.acceptance?.rationale; form.programmeCriticality = d.programmeCriticality?.rawValue
        form.nextReview = DateText.day(d.nextReview); form.audience = d.audience.rawValue
        var rows: [String: MeasureRow] = [:]
        for (i, m) in d.measures.enumerated() {
            rows[String(i)] = MeasureRow(description: m.description, owner: m.owner, due: m.dueOn.map(DateText.day), status: m.status.rawValue,
                                         strategy: m.strategy.rawValue, tags: m.tags.joined(separator: ", "))
        }
        form.measures = rows
        return form
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, values: RiskForm, errors: [String: String], editing: UUID?, stale: StaleNotice? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        let labels = Labels(settings.matrix, req)
        let code = context.operation.code
        func options(_ values: [(String, String)], selected: String?, blank: String? = nil) -> HTMLFragment {
            var html = HTMLFragment()
            html.options((blank.map { [("", $0, (selected ?? "").isEmpty)] } ?? []) + values.map { ($0.0, $0.1, $0.0 == selected) })
            return html
        }
        var threats = HTMLFragment()
        for threatClass in ThreatClass.allCases {
            let members = settings.threats.filter { $0.threatClass == threatClass }
            guard !members.isEmpty else { continue }
            threats.markup("<optgroup label=\"")
            threats.text(req.t(threatClass.labelKey))
            threats.markup("\">")
            threats.options(members.map { ($0.key, Self.threatLabel($0.key, settings, req), $0.key == values.threat) })
            threats.markup("</optgroup>")
        }
        var targets = HTMLFragment()
        for target in RiskTarget.allCases {
            targets.markup("<label class=\"check\"><input type=\"checkbox\" name=\"targets[]\" value=\"")
            targets.text(target.rawValue)
            targets.markup((values.targets ?? []).contains(target.rawValue) ? "\" checked> " : "\"> ")
            targets.text(req.t("risk_target.\(target.rawValue)"))
            targets.markup("</label>")
        }
        let likelihoods = labels.likelihoods.enumerated().map { (String($0.offset + 1), "\($0.offset + 1) · \($0.element)") }
        let impacts = labels.impacts.enumerated().map { (String($0.offset + 1), "\($0.offset + 1) · \($0.element)") }
        let notAssessed = req.t("risks.not_assessed")
        var rows = HTMLFragment()
        let given = values.measureRows.filter { !$0.isBlank }
        for (i, row) in (given + Array(repeating: MeasureRow(), count: given.isEmpty ? 2 : 1)).enumerated() {
            Self.measureRow(i, row, error: errors["measures[\(i)]"], req: req, into: &rows)
        }
        let audiences = AudienceLevel.allCases.map { ($0.rawValue, req.t($0.labelKey)) }
        return try await Page.render("risk-form", FormContext(
            code: code, action: editing.map { "/operations/\(code)/risks/\($0.uuidString)/edit" } ?? "/operations/\(code)/risks",
            isNew: editing == nil, values: values, errors: errors, threats: threats, targets: targets,
            likelihoods: options(likelihoods, selected: values.likelihood, blank: "—"),
            impacts: options(impacts, selected: values.impact, blank: "—"),
            residualLikelihoods: options(likelihoods, selected: values.residualLikelihood, blank: notAssessed),
            residualImpacts: options(impacts, selected: values.residualImpact, blank: notAssessed),
            criticalities: options(ProgrammeCriticality.allCases.map { ($0.rawValue, req.t("criticality.\($0.rawValue)")) },
                                   selected: values.programmeCriticality, blank: "—"),
            audiences: options(audiences, selected: values.audience), measureRows: rows,
            matrixHelp: req.t("risks.criticality_help").replacingOccurrences(of: "{level}", with: req.t("risk_level.\(settings.rules.criticalityFromLevel)", or: settings.rules.criticalityFromLevel)),
            version: editing == nil ? nil : values.version, stale: stale),
            title: req.t(editing == nil ? "risks.new" : "risks.edit"), for: req, status: status)
    }

    /// One measure's fieldset: what, who, by when, status, strategy, tags.
    static func measureRow(_ i: Int, _ row: MeasureRow, error: String?, req: Request, into out: inout HTMLFragment) {
        let prefix = "measures[\(i)]"
        out.markup("<fieldset class=\"measure\"><legend>")
        out.text(req.t("risks.measure_n").replacingOccurrences(of: "{count}", with: String(i + 1)))
        out.markup("</legend>")
        func input(_ name: String, _ label: String, _ value: String?, type: StaticString = "text", ltr: Bool = false) {
            out.markup("<label>")
            out.text(req.t(label))
            out.markup(" <input type=\"")
            out.markup(type)
            out.markup("\" name=\"")
            out.text("\(prefix)[\(name)]")
            out.markup(ltr ? "\" dir=\"ltr\" value=\"" : "\" value=\"")
            out.text(value ?? "")
            out.markup("\"></label>")
        }
        input("description", "field_measure", row.description)
        input("owner", "field_owner", row.owner)
        input("due", "field_due", row.due, type: "date", ltr: true)
        out.markup("<label>")
        out.text(req.t("field_measure_status"))
        out.markup(" <select name=\"")
        out.text("\(prefix)[status]")
        out.markup("\">")
        out.options(MeasureStatus.allCases.map { ($0.rawValue, req.t("measure_status.\($0.rawValue)"), $0.rawValue == (row.status ?? "planned")) })
        out.markup("</select></label><label>")
        out.text(req.t("field_strategy"))
        out.markup(" <select name=\"")
        out.text("\(prefix)[strategy]")
        out.markup("\">")
        out.options(MitigationStrategy.allCases.map { ($0.rawValue, req.t("strategy.\($0.rawValue)"), $0.rawValue == (row.strategy ?? "protection")) })
        out.markup("</select></label>")
        input("tags", "field_tags", row.tags)
        if let error {
            out.markup("<p class=\"field-error\">")
            out.text(error)
            out.markup("</p>")
        }
        out.markup("</fieldset>")
    }

    // MARK: Risk page

    struct RiskContext: Encodable {
        let code: String; let id: String; let number: Int; let title: String; let threat: String; let threatClass: String
        let targets: String; let vulnerabilities: String; let areas: String; let inherent: HTMLFragment; let residual: HTMLFragment
        let acceptance: String?; let criticality: String?; let nextReview: String; let reviewOverdue: Bool; let audience: String
        let closed: Bool; let closingNote: String?; let measures: HTMLFragment; let hasMeasures: Bool
        let incidents: HTMLFragment; let hasIncidents: Bool; let history: HTMLFragment; let canManage: Bool; let canAudit: Bool
    }

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let risk = try await Self.load(req, context)
        let store = RiskStore(req.db)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        let labels = Labels(settings.matrix, req)
        let d = risk.draft
        let code = context.operation.code
        let canManage = AccessPolicy.canManageRisks(in: context.operation.id.uuidString, by: context.viewer)
        let now = Date()
        func position(_ likelihood: Int, _ impact: Int, _ level: Int) -> HTMLFragment {
            var html = HTMLFragment()
            Self.levelTag(level, labels, into: &html)
            html.markup(" <small>")
            let l = labels.likelihoods.indices.contains(likelihood - 1) ? labels.likelihoods[likelihood - 1] : String(likelihood)
            let i = labels.impacts.indices.contains(impact - 1) ? labels.impacts[impact - 1] : String(impact)
            html.text("\(l) × \(i)")
            html.markup("</small>")
            return html
        }
        var residual = HTMLFragment()
        if let rl = d.residualLikelihood, let ri = d.residualImpact, let level = risk.residualLevel {
            residual = position(rl, ri, level)
        } else {
            residual.text(req.t("risks.not_assessed"))
        }
        var measures = HTMLFragment()
        for m in d.measures {
            let overdue = (m.status == .planned || m.status == .inProgress) && (m.dueOn.map { $0 < now } ?? false)
            measures.markup(overdue ? "<tr class=\"late\"><td>" : "<tr><td>")
            measures.text(m.description)
            if !m.tags.isEmpty {
                measures.markup(" <small>")
                measures.text(m.tags.map { "#\($0)" }.joined(separator: " "))
                measures.markup("</small>")
            }
            measures.markup("</td><td>")
            measures.text(m.owner)
            measures.markup(overdue ? "</td><td dir=\"ltr\" class=\"nowrap overdue\">" : "</td><td dir=\"ltr\" class=\"nowrap\">")
            measures.text(m.dueOn.map(DateText.day) ?? "—")
            measures.markup("</td><td>")
            measures.text(req.t("measure_status.\(m.status.rawValue)"))
            measures.markup("</td><td>")
            measures.text(req.t("strategy.\(m.strategy.rawValue)"))
            measures.markup("</td></tr>")
        }
        var incidents = HTMLFragment()
        let linked = try await store.linkedIncidents(of: risk.id, in: scope)
        for incident in linked {
            incidents.markup("<li><a href=\"/operations/")
            incidents.text(code)
            incidents.markup("/incidents/")
            incidents.text(incident.id.uuidString)
            incidents.markup("\"><span dir=\"ltr\">")
            incidents.text(incident.number)
            incidents.markup("</span> · <bdi>")
            incidents.text(incident.title)
            incidents.markup("</bdi></a>")
            if canManage {
                incidents.markup(" <form method=\"post\" class=\"inline\" action=\"/operations/")
                incidents.text(code)
                incidents.markup("/risks/")
                incidents.text(risk.id.uuidString)
                incidents.markup("/incidents/")
                incidents.text(incident.id.uuidString)
                incidents.markup("/unlink\"><input type=\"hidden\" name=\"_csrf\" value=\"")
                incidents.text(CSRFMiddleware.token(for: req))
                incidents.markup("\"><button type=\"submit\">")
                incidents.text(req.t("risks.unlink"))
                incidents.markup("</button></form>")
            }
            incidents.markup("</li>")
        }
        var history = HTMLFragment()
        let versions = try await store.versions(of: risk.id, in: scope)
        var names: [UUID: String] = [:]
        for id in Set(versions.compactMap(\.actorID)) { names[id] = try await UserStore(req.db).find(id: id)?.displayName }
        for (i, version) in versions.enumerated() {
            history.markup("<li><span dir=\"ltr\">")
            history.text(DateText.minute(version.recordedAt))
            history.markup("</span> · <strong>")
            history.text(req.t("risk_change.\(version.change.rawValue)"))
            history.markup("</strong> · ")
            let previous = versions.indices.contains(i + 1) ? versions[i + 1].level : nil
            if let previous, previous != version.level {
                Self.levelTag(previous, labels, into: &history)
                history.markup(Catalog.rightToLeft.contains(req.language) ? " ← " : " → ")
            }
            Self.levelTag(version.level, labels, into: &history)
            if let actor = version.actorID.flatMap({ names[$0] }) {
                history.markup(" · ")
                history.text(actor)
            }
            history.markup("</li>")
        }
        let threat = settings.threat(d.threat)
        var areaNames: [String] = []
        for pcode in d.areaPcodes {
            let area = try await AreaStore(req.db).find(operationID: context.operation.id, pcode: pcode)
            areaNames.append(area.map { "\($0.name(in: req.language)) (\(pcode))" } ?? pcode)
        }
        return try await Page.render("risk", RiskContext(
            code: code, id: risk.id.uuidString, number: risk.number, title: d.title, threat: Self.threatLabel(d.threat, settings, req),
            threatClass: threat.map { req.t($0.threatClass.labelKey) } ?? "—",
            targets: RiskTarget.allCases.filter(d.targets.contains).map { req.t("risk_target.\($0.rawValue)") }.joined(separator: ", "),
            vulnerabilities: d.vulnerabilities, areas: d.areaPcodes.isEmpty ? req.t("risks.whole_operation") : areaNames.joined(separator: ", "),
            inherent: position(d.likelihood, d.impact, risk.inherentLevel), residual: residual,
            acceptance: d.acceptance.map { "\($0.decidedBy), \(DateText.day($0.decidedOn)): \($0.rationale)" },
            criticality: d.programmeCriticality.map { req.t("criticality.\($0.rawValue)") }, nextReview: DateText.day(d.nextReview),
            reviewOverdue: risk.closedAt == nil && d.nextReview < AnalysisPeriods.calendar.startOfDay(for: now),
            audience: req.t(d.audience.labelKey), closed: risk.closedAt != nil, closingNote: risk.closingNote,
            measures: measures, hasMeasures: !d.measures.isEmpty, incidents: incidents, hasIncidents: !linked.isEmpty, history: history,
            canManage: canManage, canAudit: AccessPolicy.canReadAudit(of: context.operation.id.uuidString, by: context.viewer)),
            title: d.title, for: req)
    }

    // MARK: Close, reopen, link

    struct CloseForm: Content { var closingNote: String?; enum CodingKeys: String, CodingKey { case closingNote = "closing_note" } }

    func close(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        let form = try req.content.decode(CloseForm.self)
        _ = try await RiskStore(req.db).setClosed(risk.id, note: form.closingNote ?? "", scope: try context.requireScope(),
                                                  actorID: context.current.user.id)
        Page.flash("risks.closed_flash", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)/risks/\(risk.id.uuidString)")
    }

    func reopen(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        _ = try await RiskStore(req.db).setClosed(risk.id, note: nil, scope: try context.requireScope(), actorID: context.current.user.id)
        Page.flash("risks.reopened", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)/risks/\(risk.id.uuidString)")
    }

    struct LinkForm: Content { var incidentNumber: String?; enum CodingKeys: String, CodingKey { case incidentNumber = "incident_number" } }

    func link(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        let form = try req.content.decode(LinkForm.self)
        guard let number = Int((form.incidentNumber ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw DomainError(.invalid, field: "incident_number", key: "error.risk_link_incident", "Give an incident number.")
        }
        _ = try await RiskStore(req.db).link(risk.id, toIncidentNumber: number, scope: try context.requireScope(), actorID: context.current.user.id)
        Page.flash("risks.linked", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)/risks/\(risk.id.uuidString)#incidents")
    }

    func unlink(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let risk = try await Self.load(req, context)
        guard let incidentID = req.parameters.get("incident").flatMap(UUID.init(uuidString:)) else { throw PageError(.notFound, key: "error.not_found") }
        try await RiskStore(req.db).unlink(risk.id, incidentID: incidentID, scope: try context.requireScope(), actorID: context.current.user.id)
        return req.redirect(to: "/operations/\(context.operation.code)/risks/\(risk.id.uuidString)#incidents")
    }

    // MARK: What changed, reports

    struct ChangesContext: Encodable {
        let code: String; let since: String; let until: String; let sections: HTMLFragment; let isEmpty: Bool
        let canManage: Bool; let reports: HTMLFragment; let hasReports: Bool; let audiences: HTMLFragment; let error: String?
    }

    /// The register's changes since a date (by default the last report, or thirty days), and the
    /// form that issues them as a report with recommendations.
    func changes(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let store = RiskStore(req.db)
        let reports = try await store.reports(in: scope)
        let now = Date()
        var since = reports.first?.issuedAt ?? AnalysisPeriods.calendar.startOfDay(for: now.addingTimeInterval(-30 * 86_400))
        var error: String?
        if let text = try? req.query.get(String.self, at: "since"), !text.isEmpty {
            if let parsed = DateText.time(text), parsed < now { since = parsed } else { error = req.t("error.report_since") }
        }
        let changes = try await store.changes(since: since, until: now, in: scope)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        var list = HTMLFragment()
        for report in reports {
            list.markup("<li><a href=\"/operations/")
            list.text(context.operation.code)
            list.markup("/risks/reports/")
            list.text(report.id.uuidString)
            list.markup("\">")
            list.text(req.t("risks.report_n").replacingOccurrences(of: "{count}", with: String(report.number)))
            list.markup("</a> · <span dir=\"ltr\">")
            list.text(DateText.minute(report.issuedAt))
            list.markup("</span></li>")
        }
        var audiences = HTMLFragment()
        audiences.options(AudienceLevel.allCases.map { ($0.rawValue, req.t($0.labelKey), $0 == .ifrcOnly) })
        return try await Page.render("risk-changes", ChangesContext(
            code: context.operation.code, since: Self.sinceText(since), until: DateText.minute(now),
            sections: Self.sections(changes, Labels(settings.matrix, req), prefix: "", req), isEmpty: changes.isEmpty,
            canManage: AccessPolicy.canManageRisks(in: context.operation.id.uuidString, by: context.viewer),
            reports: list, hasReports: !reports.isEmpty, audiences: audiences, error: error),
            title: req.t("risks.changes"), for: req, status: error == nil ? .ok : .unprocessableEntity)
    }

    /// "2026-11-01" for a midnight, else the minute: what the since field shows and accepts back.
    static func sinceText(_ date: Date) -> String {
        AnalysisPeriods.calendar.startOfDay(for: date) == date ? DateText.day(date) : DateText.formTime(date)
    }

    struct IssueForm: Content { var since: String?; var recommendations: String?; var audience: String? }

    func issue(_ req: Request) async throws -> Response {
        let context = try await requireManager(req)
        let form = try req.content.decode(IssueForm.self)
        guard let since = DateText.time(form.since ?? "") else {
            throw DomainError(.invalid, field: "since", key: "error.report_since", "The period's start is not a date.")
        }
        let report = try await RiskStore(req.db).issueReport(
            since: since, recommendations: form.recommendations ?? "", audience: AudienceLevel(rawValue: form.audience ?? "") ?? .ifrcOnly,
            in: context.operation.id, actorID: context.current.user.id)
        Page.flash("risks.report_issued", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)/risks/reports/\(report.id.uuidString)")
    }

    struct ReportContext: Encodable {
        let code: String; let operationName: String; let title: String; let since: String; let until: String; let author: String
        let sections: HTMLFragment; let isEmpty: Bool; let recommendations: String; let audience: String
    }

    /// The printable report: recomputed from the versions for its reader, as of its issue.
    func report(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let id = req.parameters.get("report").flatMap(UUID.init(uuidString:)),
              let report = try await RiskStore(req.db).report(id, in: scope) else { throw PageError(.notFound, key: "error.not_found") }
        let changes = try await RiskStore(req.db).changes(since: report.since, until: report.issuedAt, in: scope)
        let settings = try await SettingsStore(req.db).load(RiskSettings.self, operationID: context.operation.id)
        let author = try await report.createdBy.asyncMap { try await UserStore(req.db).find(id: $0)?.displayName } ?? nil
        let title = req.t("risks.report_n").replacingOccurrences(of: "{count}", with: String(report.number))
        return try await Page.render("risk-report", ReportContext(
            code: context.operation.code, operationName: context.operation.name, title: title, since: DateText.minute(report.since),
            until: DateText.minute(report.issuedAt), author: author ?? "—",
            sections: Self.sections(changes, Labels(settings.matrix, req), prefix: "../", req), isEmpty: changes.isEmpty,
            recommendations: report.recommendations, audience: req.t(report.audience.labelKey)),
            title: title, for: req)
    }

    /// The five lists of a "what changed" view, each with its heading; empty lists are left out.
    /// Links are relative (`prefix` is "" from the what-changed view, "../" from a report): a
    /// report of hundreds of changes does not repeat the operation's path on every line.
    static func sections(_ changes: RiskChanges, _ labels: Labels, prefix: StaticString, _ req: Request) -> HTMLFragment {
        var html = HTMLFragment()
        func section(_ id: StaticString, _ heading: String, _ items: [(RiskState, Int?)]) {
            guard !items.isEmpty else { return }
            html.markup("<section class=\"change\" id=\"")
            html.markup(id)
            html.markup("\"><h2>")
            html.text(heading)
            html.markup("</h2><ul>")
            for (risk, from) in items {
                html.markup("<li><a href=\"")
                html.markup(prefix)
                html.text(risk.id.uuidString)
                html.markup("\"><bdi>")
                html.text(risk.title)
                html.markup("</bdi></a> — ")
                if let from {
                    levelTag(from, labels, into: &html)
                    html.markup(Catalog.rightToLeft.contains(req.language) ? " ← " : " → ")
                }
                levelTag(risk.level, labels, into: &html)
                html.markup("</li>")
            }
            html.markup("</ul></section>")
        }
        section("raised", req.t("risks.raised"), changes.raised.map { ($0.risk, $0.from) })
        section("new", req.t("risks.new_risks"), changes.new.map { ($0, nil) })
        section("lowered", req.t("risks.lowered"), changes.lowered.map { ($0.risk, $0.from) })
        section("closed", req.t("risks.closed_risks"), changes.closed.map { ($0, nil) })
        if !changes.overdue.isEmpty {
            html.markup("<section class=\"change\" id=\"overdue\"><h2>")
            html.text(req.t("risks.measures_overdue"))
            html.markup("</h2><table class=\"list\">")
            html.tableHead([req.t("field_measure"), req.t("field_owner"), req.t("field_due"), req.t("risks.risk")])
            html.markup("<tbody>")
            for item in changes.overdue {
                html.markup("<tr><td>")
                html.text(item.measure)
                html.markup("</td><td>")
                html.text(item.owner)
                html.markup("</td><td dir=\"ltr\">")
                html.text(DateText.day(item.dueOn))
                html.markup("</td><td><bdi>")
                html.text(item.risk)
                html.markup("</bdi></td></tr>")
            }
            html.markup("</tbody></table></section>")
        }
        return html
    }

    // MARK: Access

    func requireManager(_ req: Request) async throws -> OperationContext {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        guard AccessPolicy.canManageRisks(in: context.operation.id.uuidString, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return context
    }

    /// The risk in the path, or 404 when the viewer may not see it.
    static func load(_ req: Request, _ context: OperationContext) async throws -> RiskRecord {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let risk = try await RiskStore(req.db).find(id, in: try context.requireScope()),
              risk.operationID == context.operation.id
        else { throw PageError(.notFound, key: "error.not_found") }
        return risk
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension Request {
    /// The catalogue's text for `key`, or `fallback` when the catalogue has none (a name an
    /// administrator gave in the settings).
    func t(_ key: String, or fallback: String) -> String {
        catalog.lookup(key, language) ?? fallback
    }
}
