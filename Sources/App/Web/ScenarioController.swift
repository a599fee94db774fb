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
    static let planningTypes: [PopulationType] = [
        .migrantsInTransit, .refugees, .asylumSeekers, .idps, .returnedRefugees,
    ]

    /// The projection of the next twelve months from the observed arrivals, if there are enough.
    static func projection(_ req: Request, scope: Scope) async throws -> ScenarioDraft.Projection? {
        let now = req.now
        let observed = try await ScenarioFigures.monthlyArrivals(req, scope: scope)
        // Months before the first with any arrival are before monitoring began, not zero arrivals.
        let series = observed.values.drop { $0 == 0 }.map(Double.init)
        guard let fit = HoltForecast.fit(Array(series)) else { return nil }
        let first = AnalysisPeriods.label(.month, AnalysisPeriods.start(of: .month, containing: now))
        return ScenarioDraft.Projection(
            series: req.t("scenarios.series_arrivals"),
            method: req.t("scenarios.method")
                .replacingOccurrences(of: "{count}", with: String(series.count))
                .replacingOccurrences(of: "{alpha}", with: DecimalText.fixed(fit.alpha, digits: 1))
                .replacingOccurrences(of: "{beta}", with: DecimalText.fixed(fit.beta, digits: 1)),
            madeOn: now, firstMonth: first, points: fit.forecast(12))
    }

    /// The operation, once the reader may see its scenarios, and the scope their figures are summed in.
    static func reader(_ req: Request) async throws -> (OperationContext, Scope) {
        let context = try await OperationContext.load(req)
        let operationID = context.operation.id
        guard AccessPolicy.canViewScenarios(in: operationID, by: context.viewer) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        return (context, AccessPolicy.scenarioScope(in: operationID))
    }

    func index(_ req: Request) async throws -> Response { try await render(req, form: ScenarioForm(), errors: [:]) }

    func render(_ req: Request, form: ScenarioForm, errors: [String: String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let (context, scope) = try await Self.reader(req)
        let scenarios = try await ScenarioStore(req.db).list(in: context.operation.id)
        let projection = try await Self.projection(req, scope: scope).map { projection in
            ScenarioList.Model.Projection(
                method: projection.method,
                cumulative: ScenarioDraft.horizons.map { horizon in
                    let points = projection.points.prefix(horizon)
                    return (
                        months: horizon, value: Int64(points.reduce(0) { $0 + $1.value }.rounded()),
                        low: Int64(points.reduce(0) { $0 + $1.low }.rounded()),
                        high: Int64(points.reduce(0) { $0 + $1.high }.rounded())
                    )
                },
                rows: ScenarioFigures.projectionRows(projection, actual: [:]))
        }
        let model = ScenarioList.Model(
            code: context.operation.code,
            scenarios: scenarios.map {
                .init(id: $0.id, name: $0.draft.name, kind: $0.draft.kind, updated: DateText.day($0.updatedAt))
            },
            projection: projection,
            canWrite: AccessPolicy.canWriteScenarios(in: context.operation.id, by: context.viewer),
            types: Self.planningTypes, values: Self.values(form), errors: errors)
        return Page.render(req, title: req.t("scenarios.title"), status: status) { ScenarioList.view(model, $0) }
    }

    /// The form's fields as typed, to show them again.
    static func values(_ form: ScenarioForm) -> ScenarioValues {
        var values = ScenarioValues()
        values.name = form.name ?? ""
        values.kind = form.kind ?? ScenarioDraft.Kind.mostLikely.rawValue
        values.assumptions = form.assumptions ?? ""
        values.triggers = form.triggers ?? ""
        values.figures = form.figures ?? [:]
        return values
    }

    /// The form's scenario (without a projection), or what is wrong with it.
    static func draft(_ form: ScenarioForm) throws(ValidationErrors) -> ScenarioDraft {
        var errors = ValidationErrors()
        var figures: [ScenarioDraft.PlanningFigure] = []
        for (name, text) in form.figures ?? [:] where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = name.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let type = PopulationType(rawValue: String(parts[0])) else { continue }
            let rest = parts[1].split(separator: "_", maxSplits: 1)
            guard rest.count == 2, let horizon = WholeNumber.parse(rest[0]),
                let phase = ScenarioDraft.Phase(rawValue: String(rest[1]))
            else { continue }
            // Planning figures are copied from reports: "2,400" as well as "2400".
            guard let people = WholeNumber.parse(grouped: text) else {
                errors.add("figures", key: "error.number", "“\(text)” is not a whole number.")
                continue
            }
            figures.append(.init(populationType: type, horizonMonths: horizon, phase: phase, people: people))
        }
        try errors.throwIfAny()
        return try ScenarioDraft(
            name: form.name ?? "", kind: ScenarioDraft.Kind(rawValue: form.kind ?? "") ?? .other,
            assumptions: form.assumptions ?? "", triggers: form.triggers ?? "", figures: figures
        ).validated()
    }

    /// The form filled from a scenario, to revise it.
    static func form(_ d: ScenarioDraft) -> ScenarioForm {
        ScenarioForm(
            name: d.name, kind: d.kind.rawValue, assumptions: d.assumptions, triggers: d.triggers,
            figures: Dictionary(
                uniqueKeysWithValues: d.figures.map {
                    ("\($0.populationType.rawValue)_\($0.horizonMonths)_\($0.phase.rawValue)", String($0.people))
                }))
    }

    struct ScenarioForm: Content {
        var name: String?; var kind: String?; var assumptions: String?; var triggers: String?;
        var figures: [String: String]?; var keepProjection: String?
        enum CodingKeys: String, CodingKey {
            case name, kind, assumptions, triggers, figures; case keepProjection = "keep_projection"
        }
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canWriteScenarios(in: context.operation.id, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let form = try req.content.decode(ScenarioForm.self)
        do {
            var draft = try Self.draft(form)
            draft.projection =
                form.keepProjection == "on"
                ? try await Self.projection(req, scope: AccessPolicy.scenarioScope(in: context.operation.id))
                : nil
            let record = try await ScenarioStore(req.db).create(
                draft, in: context.operation.id, actorID: context.current.user.id, now: req.now)
            Page.flash("scenarios.saved", on: req)
            return req.redirect(to: SiteURL.scenario(.value(context.operation.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await render(req, form: form, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    func show(_ req: Request) async throws -> Response { try await show(req, form: nil, errors: [:]) }

    func show(_ req: Request, form: ScenarioForm?, errors: [String: String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let (context, scope) = try await Self.reader(req)
        guard let id = req.pathID(as: ScenarioID.self),
            let scenario = try await ScenarioStore(req.db).find(id, in: context.operation.id)
        else { throw PageError(.notFound, key: "error.not_found") }
        let d = scenario.draft
        var projection: ScenarioPage.Model.Projection?
        if let made = d.projection {
            // What happened since: the arrivals counted in the projected months that are over.
            let observed = try await ScenarioFigures.monthlyArrivals(req, scope: scope, months: 24)
            let actual = Dictionary(uniqueKeysWithValues: zip(observed.labels, observed.values))
            let rows = ScenarioFigures.projectionRows(made, actual: actual)
            // Only the months that are over have an actual figure to compare.
            let current = AnalysisPeriods.label(.month, AnalysisPeriods.start(of: .month, containing: req.now))
            var chart = SVGProjectionChart(
                labels: rows.map(\.month), projected: made.points.map(\.value), low: made.points.map(\.low),
                high: made.points.map(\.high),
                actual: rows.map { $0.month < current ? actual[$0.month] ?? 0 : nil },
                title: req.t("scenarios.against_actual"),
                projectedLabel: req.t("scenarios.projected"), intervalLabel: req.t("scenarios.interval"),
                actualLabel: req.t("scenarios.actual"))
            chart.number = DecimalText.grouped
            projection = .init(
                method: "\(made.series). \(made.method)", madeOn: DateText.day(made.madeOn), chart: chart.render(),
                rows: rows)
        }
        let model = ScenarioPage.Model(
            code: context.operation.code, id: scenario.id, name: d.name, kind: d.kind, assumptions: d.assumptions,
            triggers: d.triggers,
            figures: d.figures.sorted {
                ($0.populationType.rawValue, $0.horizonMonths, $0.phase.rawValue) < (
                    $1.populationType.rawValue, $1.horizonMonths, $1.phase.rawValue
                )
            }.map { .init(type: $0.populationType, months: $0.horizonMonths, phase: $0.phase, people: $0.people) },
            projection: projection,
            canWrite: AccessPolicy.canWriteScenarios(in: context.operation.id, by: context.viewer),
            types: Self.planningTypes, values: Self.values(form ?? Self.form(d)), errors: errors, editOpen: form != nil)
        return Page.render(req, title: d.name, status: status) { ScenarioPage.view(model, $0) }
    }

    /// `POST …/scenarios/{id}`: the scenario revised; its starting projection is kept.
    func update(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canWriteScenarios(in: context.operation.id, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        guard let id = req.pathID(as: ScenarioID.self) else { throw PageError(.notFound, key: "error.not_found") }
        let form = try req.content.decode(ScenarioForm.self)
        do {
            guard
                try await ScenarioStore(req.db).update(
                    id, to: try Self.draft(form), in: context.operation.id, actorID: context.current.user.id,
                    now: req.now) != nil
            else {
                throw PageError(.notFound, key: "error.not_found")
            }
            Page.flash("scenarios.saved", on: req)
            return req.redirect(to: SiteURL.scenario(.value(context.operation.code), .value(id)).path)
        } catch let errors as ValidationErrors {
            return try await show(req, form: form, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }
}
