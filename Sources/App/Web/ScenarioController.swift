import Domain
import Foundation
import Geo
import Persistence
import Vapor
import Views

/// Planning scenarios: best, most likely, worst, with assumptions, triggers and planning figures by
/// population type, horizon and phase; offered a projection of the observed arrivals (Holt's
/// linear trend, stated on the page) as a starting point, later drawn against what happened.
struct ScenarioController {
    static let planningTypes: [PopulationType] = [.migrantsInTransit, .refugees, .asylumSeekers, .idps, .returnedRefugees]

    /// People counted arriving (incoming) per calendar month at the points `scope` may see, for
    /// the `months` months before the current one (the current is not complete).
    static func monthlyArrivals(_ req: Request, scope: Scope, months: Int = 12, now: Date = Date()) async throws -> (labels: [String], values: [Int]) {
        let start = AnalysisPeriods.start(of: .month, containing: now)
        let from = AnalysisPeriods.calendar.date(byAdding: .month, value: -months, to: start)!
        let labels = AnalysisPeriods.labels(.month, from: from, to: start)
        let daily = try await FlowStore(req.db).daily(in: scope, FlowStore.Selection(from: from, to: start))
        var byMonth: [String: Int] = [:]
        for row in daily where row.direction == .incoming { byMonth[String(row.day.prefix(7)), default: 0] += row.total }
        return (labels, labels.map { byMonth[$0] ?? 0 })
    }

    /// The projection of the next twelve months from the observed arrivals, if there are enough.
    static func projection(_ req: Request, scope: Scope, now: Date = Date()) async throws -> ScenarioDraft.Projection? {
        let observed = try await monthlyArrivals(req, scope: scope, now: now)
        // Months before the first with any arrival are before monitoring began, not zero arrivals.
        let series = observed.values.drop { $0 == 0 }.map(Double.init)
        guard let fit = HoltForecast.fit(Array(series)) else { return nil }
        let first = AnalysisPeriods.label(.month, AnalysisPeriods.start(of: .month, containing: now))
        return ScenarioDraft.Projection(
            series: req.t("scenarios.series_arrivals"), method: req.t("scenarios.method")
                .replacingOccurrences(of: "{count}", with: String(series.count))
                .replacingOccurrences(of: "{alpha}", with: DecimalText.fixed(fit.alpha, digits: 1))
                .replacingOccurrences(of: "{beta}", with: DecimalText.fixed(fit.beta, digits: 1)),
            madeOn: now, firstMonth: first, points: fit.forecast(12))
    }

    /// The operation, once the reader may see its scenarios, and the scope their figures are summed in.
    static func reader(_ req: Request) async throws -> (OperationContext, Scope) {
        let context = try await OperationContext.load(req)
        let operationID = context.operation.id.uuidString
        guard AccessPolicy.canViewScenarios(in: operationID, by: context.viewer) else { throw PageError(.notFound, key: "error.not_found") }
        return (context, AccessPolicy.scenarioScope(in: operationID))
    }

    struct IndexContext: Encodable {
        let code: String; let scenarios: HTMLFragment; let hasScenarios: Bool; let projection: HTMLFragment; let hasProjection: Bool
        let method: String; let cumulative: HTMLFragment; let canWrite: Bool; let kinds: HTMLFragment; let grid: HTMLFragment
        let errors: [String: String]; let values: ScenarioForm
    }

    func index(_ req: Request) async throws -> Response { try await render(req, form: ScenarioForm(), errors: [:]) }

    func render(_ req: Request, form: ScenarioForm, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let (context, scope) = try await Self.reader(req)
        let code = context.operation.code
        var list = HTMLFragment()
        let scenarios = try await ScenarioStore(req.db).list(in: context.operation.id)
        for scenario in scenarios {
            list.markup("<li><a href=\"/operations/")
            list.text(code)
            list.markup("/scenarios/")
            list.text(scenario.id.uuidString)
            list.markup("\">")
            list.text(scenario.draft.name)
            list.markup("</a> · ")
            list.text(req.t(scenario.draft.kind.labelKey))
            list.markup(" · <span dir=\"ltr\">")
            list.text(DateText.day(scenario.updatedAt))
            list.markup("</span></li>")
        }
        let projection = try await Self.projection(req, scope: scope)
        var table = HTMLFragment()
        var cumulative = HTMLFragment()
        if let projection {
            Self.projectionRows(projection, actual: [:], req, into: &table)
            for horizon in ScenarioDraft.horizons {
                let points = projection.points.prefix(horizon)
                cumulative.markup("<li>")
                cumulative.text(req.t("scenarios.next_months").replacingOccurrences(of: "{count}", with: String(horizon)))
                cumulative.markup(": <strong>")
                cumulative.text(DecimalText.grouped(Int64(points.reduce(0) { $0 + $1.value }.rounded())))
                cumulative.markup("</strong> (")
                cumulative.text(DecimalText.grouped(Int64(points.reduce(0) { $0 + $1.low }.rounded())))
                cumulative.markup("–")
                cumulative.text(DecimalText.grouped(Int64(points.reduce(0) { $0 + $1.high }.rounded())))
                cumulative.markup(")</li>")
            }
        }
        let (kinds, grid) = Self.formParts(form, req)
        return try await Page.render("scenarios", IndexContext(
            code: code, scenarios: list, hasScenarios: !scenarios.isEmpty, projection: table, hasProjection: projection != nil,
            method: projection?.method ?? "", cumulative: cumulative,
            canWrite: AccessPolicy.canWriteScenarios(in: context.operation.id.uuidString, by: context.viewer), kinds: kinds, grid: grid,
            errors: errors, values: form),
            title: req.t("scenarios.title"), for: req, status: status)
    }

    /// The kind's options and the planning-figures grid (type × horizon × phase) of the form, filled from `form`.
    static func formParts(_ form: ScenarioForm, _ req: Request) -> (kinds: HTMLFragment, grid: HTMLFragment) {
        var kinds = HTMLFragment()
        kinds.options(ScenarioDraft.Kind.allCases.map { ($0.rawValue, req.t($0.labelKey), $0.rawValue == (form.kind ?? "most_likely")) })
        var grid = HTMLFragment()
        grid.tableHead([req.t("population.types")] + ScenarioDraft.horizons.flatMap { h in
            ScenarioDraft.Phase.allCases.map { "\(req.t("scenarios.next_months").replacingOccurrences(of: "{count}", with: String(h))) · \(req.t($0.labelKey))" }
        })
        grid.markup("<tbody>")
        for type in Self.planningTypes {
            grid.markup("<tr><th scope=\"row\">")
            grid.text(req.t(type.labelKey))
            grid.markup("</th>")
            for horizon in ScenarioDraft.horizons {
                for phase in ScenarioDraft.Phase.allCases {
                    let name = "\(type.rawValue)_\(horizon)_\(phase.rawValue)"
                    grid.markup("<td><input inputmode=\"numeric\" size=\"6\" name=\"figures[")
                    grid.text(name)
                    grid.markup("]\" aria-label=\"")
                    grid.text("\(req.t(type.labelKey)), \(horizon), \(req.t(phase.labelKey))")
                    grid.markup("\" value=\"")
                    grid.text(form.figures?[name] ?? "")
                    grid.markup("\"></td>")
                }
            }
            grid.markup("</tr>")
        }
        grid.markup("</tbody>")
        return (kinds, grid)
    }

    /// The form's scenario (without a projection), or what is wrong with it.
    static func draft(_ form: ScenarioForm) throws(ValidationErrors) -> ScenarioDraft {
        var errors = ValidationErrors()
        var figures: [ScenarioDraft.PlanningFigure] = []
        for (name, text) in form.figures ?? [:] where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = name.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let type = PopulationType(rawValue: String(parts[0])) else { continue }
            let rest = parts[1].split(separator: "_", maxSplits: 1)
            guard rest.count == 2, let horizon = Int(rest[0]), let phase = ScenarioDraft.Phase(rawValue: String(rest[1])) else { continue }
            let digits = text.filter { !$0.isWhitespace && $0 != "," && $0 != "\u{202F}" }
            guard let people = Int(digits) else {
                errors.add("figures", key: "error.number", "“\(text)” is not a whole number.")
                continue
            }
            figures.append(.init(populationType: type, horizonMonths: horizon, phase: phase, people: people))
        }
        try errors.throwIfAny()
        return try ScenarioDraft(name: form.name ?? "", kind: ScenarioDraft.Kind(rawValue: form.kind ?? "") ?? .other,
                                 assumptions: form.assumptions ?? "", triggers: form.triggers ?? "", figures: figures).validated()
    }

    /// The form filled from a scenario, to revise it.
    static func form(_ d: ScenarioDraft) -> ScenarioForm {
        ScenarioForm(name: d.name, kind: d.kind.rawValue, assumptions: d.assumptions, triggers: d.triggers,
                     figures: Dictionary(uniqueKeysWithValues: d.figures.map { ("\($0.populationType.rawValue)_\($0.horizonMonths)_\($0.phase.rawValue)", String($0.people)) }))
    }

    /// The projection month by month, with the actual arrivals where they are known.
    static func projectionRows(_ projection: ScenarioDraft.Projection, actual: [String: Int], _ req: Request, into out: inout HTMLFragment) {
        let start = DateText.time(projection.firstMonth + "-01") ?? Date()
        for point in projection.points {
            let month = AnalysisPeriods.label(.month, AnalysisPeriods.calendar.date(byAdding: .month, value: point.step - 1, to: start)!)
            out.markup("<tr><td dir=\"ltr\">")
            out.text(month)
            out.markup("</td><td class=\"score\">")
            out.text(DecimalText.grouped(Int64(point.value.rounded())))
            out.markup("</td><td class=\"score\">")
            out.text("\(DecimalText.grouped(Int64(point.low.rounded())))–\(DecimalText.grouped(Int64(point.high.rounded())))")
            out.markup("</td><td class=\"score\">")
            out.text(actual[month].map { DecimalText.grouped(Int64($0)) } ?? "—")
            out.markup("</td></tr>")
        }
    }

    struct ScenarioForm: Content {
        var name: String?; var kind: String?; var assumptions: String?; var triggers: String?; var figures: [String: String]?; var keepProjection: String?
        enum CodingKeys: String, CodingKey { case name, kind, assumptions, triggers, figures; case keepProjection = "keep_projection" }
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canWriteScenarios(in: context.operation.id.uuidString, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let form = try req.content.decode(ScenarioForm.self)
        do {
            var draft = try Self.draft(form)
            draft.projection = form.keepProjection == "on"
                ? try await Self.projection(req, scope: AccessPolicy.scenarioScope(in: context.operation.id.uuidString)) : nil
            let record = try await ScenarioStore(req.db).create(draft, in: context.operation.id, actorID: context.current.user.id)
            Page.flash("scenarios.saved", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/scenarios/\(record.id.uuidString)")
        } catch let errors as ValidationErrors {
            return try await render(req, form: form, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    struct ShowContext: Encodable {
        let code: String; let name: String; let kind: String; let assumptions: String; let triggers: String; let figures: HTMLFragment
        let hasFigures: Bool; let projection: HTMLFragment; let hasProjection: Bool; let method: String; let madeOn: String; let chart: String
        let id: String; let canWrite: Bool; let values: ScenarioForm; let kinds: HTMLFragment; let grid: HTMLFragment; let errors: [String: String]
        let editOpen: Bool
    }

    func show(_ req: Request) async throws -> Response { try await show(req, form: nil, errors: [:]) }

    func show(_ req: Request, form: ScenarioForm?, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let (context, scope) = try await Self.reader(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let scenario = try await ScenarioStore(req.db).find(id, in: context.operation.id) else { throw PageError(.notFound, key: "error.not_found") }
        let d = scenario.draft
        var figures = HTMLFragment()
        for figure in d.figures.sorted(by: { ($0.populationType.rawValue, $0.horizonMonths, $0.phase.rawValue) < ($1.populationType.rawValue, $1.horizonMonths, $1.phase.rawValue) }) {
            figures.markup("<tr><td>")
            figures.text(req.t(figure.populationType.labelKey))
            figures.markup("</td><td>")
            figures.text(req.t("scenarios.next_months").replacingOccurrences(of: "{count}", with: String(figure.horizonMonths)))
            figures.markup("</td><td>")
            figures.text(req.t(figure.phase.labelKey))
            figures.markup("</td><td class=\"score\">")
            figures.text(DecimalText.grouped(Int64(figure.people)))
            figures.markup("</td></tr>")
        }
        var rows = HTMLFragment()
        var chart = ""
        if let projection = d.projection {
            // What happened since: the arrivals counted in the projected months that are over.
            let observed = try await Self.monthlyArrivals(req, scope: scope, months: 24)
            let actual = Dictionary(uniqueKeysWithValues: zip(observed.labels, observed.values))
            Self.projectionRows(projection, actual: actual, req, into: &rows)
            let start = DateText.time(projection.firstMonth + "-01") ?? Date()
            let months = projection.points.map { AnalysisPeriods.label(.month, AnalysisPeriods.calendar.date(byAdding: .month, value: $0.step - 1, to: start)!) }
            // Only the months that are over have an actual figure to compare.
            let current = AnalysisPeriods.label(.month, AnalysisPeriods.start(of: .month, containing: Date()))
            let svg = SVGProjectionChart(
                labels: months, projected: projection.points.map(\.value), low: projection.points.map(\.low), high: projection.points.map(\.high),
                actual: months.map { $0 < current ? actual[$0] ?? 0 : nil }, title: req.t("scenarios.against_actual"),
                projectedLabel: req.t("scenarios.projected"), intervalLabel: req.t("scenarios.interval"), actualLabel: req.t("scenarios.actual"))
            chart = svg.render().markup
        }
        let values = form ?? Self.form(d)
        let (kinds, grid) = Self.formParts(values, req)
        return try await Page.render("scenario", ShowContext(
            code: context.operation.code, name: d.name, kind: req.t(d.kind.labelKey), assumptions: d.assumptions, triggers: d.triggers,
            figures: figures, hasFigures: !d.figures.isEmpty, projection: rows, hasProjection: d.projection != nil,
            method: d.projection.map { "\($0.series). \($0.method)" } ?? "", madeOn: d.projection.map { DateText.day($0.madeOn) } ?? "", chart: chart,
            id: scenario.id.uuidString, canWrite: AccessPolicy.canWriteScenarios(in: context.operation.id.uuidString, by: context.viewer),
            values: values, kinds: kinds, grid: grid, errors: errors, editOpen: form != nil),
            title: d.name, for: req, status: status)
    }

    /// `POST …/scenarios/{id}`: the scenario revised; its starting projection is kept.
    func update(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canWriteScenarios(in: context.operation.id.uuidString, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageError(.notFound, key: "error.not_found") }
        let form = try req.content.decode(ScenarioForm.self)
        do {
            guard try await ScenarioStore(req.db).update(id, to: try Self.draft(form), in: context.operation.id, actorID: context.current.user.id) != nil else {
                throw PageError(.notFound, key: "error.not_found")
            }
            Page.flash("scenarios.saved", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/scenarios/\(id.uuidString)")
        } catch let errors as ValidationErrors {
            return try await show(req, form: form, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }
}
