import Domain
import Fluent
import Foundation
import Geo
import Interop
import Persistence
import Vapor
import Views

/// The EPoA's activities for people on the move: reach against target by sector and area, acute
/// beside protracted; the form; the 3W in CSV and HXL. Every member reads them; the migration
/// coordinator and the HeOps keep them (`AccessPolicy.canManageActivities`).
struct ActivityController {
    func activities(_ req: Request) -> Activities { Activities(database: req.db, areaShapes: req.areaShapes) }

    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewActivities)
        let scope = try context.requireScope()
        let records = try await ActivityStore(req.db).all(in: scope)
        let names = try await req.areaShapes.names(for: context.operation, language: req.language, on: req.db)
        let rows = try await activities(req).threeW(records, operation: context.operation, language: req.language)
        // Each record's JSON columns read once: `draft` decodes them on every access.
        let drafts = records.map(\.draft)
        /// Targets and reach summed by label, acute beside protracted; `parts` splits a record's
        /// figures among labels (one sector or area; several population types).
        func sums(_ parts: (ActivityDraft, ThreeWExport.Row) -> [(label: String, targeted: Int, reached: Int)])
            -> [ActivityList.Model.Sum]
        {
            var acute: [String: (Int, Int)] = [:]
            var protracted: [String: (Int, Int)] = [:]
            for ((record, draft), row) in zip(zip(records, drafts), rows) {
                for part in parts(draft, row) {
                    if record.phase == ResponsePhase.protracted.rawValue {
                        protracted[part.label, default: (0, 0)].0 += part.targeted
                        protracted[part.label, default: (0, 0)].1 += part.reached
                    } else {
                        acute[part.label, default: (0, 0)].0 += part.targeted
                        acute[part.label, default: (0, 0)].1 += part.reached
                    }
                }
            }
            return Set(acute.keys).union(protracted.keys).sorted().map { key in
                ActivityList.Model.Sum(
                    label: key, acute: (acute[key]?.0 ?? 0, acute[key]?.1 ?? 0),
                    protracted: (protracted[key]?.0 ?? 0, protracted[key]?.1 ?? 0))
            }
        }
        // The sums cover every activity; the list shows a page of them (an EPoA of thousands of
        // activities would otherwise weigh megabytes on a field connection).
        let perPage = 100
        let pageNumber = max(1, min(req.query[Int.self, at: "page"] ?? 1, records.count / perPage + 1))
        let shown = zip(records, drafts).dropFirst((pageNumber - 1) * perPage).prefix(perPage)
        // The protection risks each shown activity mitigates, for those who read the register.
        let mitigated =
            AccessPolicy.canViewProtectionRisks(in: context.operation.id, by: context.viewer)
            ? try await ProtectionRiskStore(req.db).mitigatedRisks(by: shown.map { $0.0.id }, in: scope) : [:]
        var model = ActivityList.Model(
            code: context.operation.code,
            rows: shown.map { record, draft in
                var row = ActivityList.Model.Row(
                    id: record.id, draft: draft,
                    area: "\(names[record.areaPcode] ?? record.areaPcode) (\(record.areaPcode))")
                row.mitigates = (mitigated[record.id] ?? []).map { ($0.id, $0.number, $0.title) }
                return row
            },
            bySector: sums { d, _ in [(req.t(d.sector.labelKey), d.targeted, d.reached)] },
            byArea: sums { d, row in
                [(row.adm1Name.isEmpty ? row.adm1Code : "\(row.adm1Name) (\(row.adm1Code))", d.targeted, d.reached)]
            },
            byType: sums { d, _ in
                // By the types the activity states figures for; what it does not break down is
                // summed apart, so that the column adds up to the sector table's.
                let types = PopulationType.allCases.filter { d.targetedByType[$0] != nil || d.reachedByType[$0] != nil }
                var parts = types.map { (req.t($0.labelKey), d.targetedByType[$0] ?? 0, d.reachedByType[$0] ?? 0) }
                let rest = (
                    d.targeted - d.targetedByType.values.reduce(0, +), d.reached - d.reachedByType.values.reduce(0, +)
                )
                if rest.0 > 0 || rest.1 > 0 {
                    parts.append((req.t("activities_type_unstated"), max(0, rest.0), max(0, rest.1)))
                }
                return parts
            },
            asOf: req.now, canManage: AccessPolicy.canManageActivities(in: context.operation.id, by: context.viewer))
        if !model.bySector.isEmpty {
            // Stacked: those reached, then those still to reach, so that each bar stands as high as
            // its target (or its reach, when above).
            let targeted = model.bySector.map { $0.acute.targeted + $0.protracted.targeted }
            let reached = model.bySector.map { $0.acute.reached + $0.protracted.reached }
            var chart = SVGBarChart(
                // The chart's labels are short (a period's width); the table below names each sector in full.
                labels: model.bySector.map { $0.label.count > 14 ? String($0.label.prefix(13)) + "…" : $0.label },
                series: [
                    SVGBarChart.Series(name: req.t("field_reached"), values: reached, colour: "#08519c"),
                    SVGBarChart.Series(
                        name: req.t("activities_still_to_reach"),
                        values: zip(targeted, reached).map { max(0, $0 - $1) }, colour: "#c6dbef"),
                ], title: req.t("activities_by_sector"))
            chart.number = DecimalText.grouped
            model.chart = chart.render()
        }
        model.page = pageNumber
        model.hasMore = records.count > pageNumber * perPage
        model.warning = req.session.data["activity_warning"]
        req.session.data["activity_warning"] = nil
        let page = model
        return Page.render(req, title: req.t("activities_title")) { ActivityList.view(page, $0) }
    }

    /// The 3W: `format=csv` or `hxl`.
    func export(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewActivities)
        let scope = try context.requireScope()
        guard let format = req.query[String.self, at: "format"].flatMap(IncidentExchange.Format.init(rawValue:)),
            format != .geojson
        else { throw Abort(.badRequest, reason: "format: choose csv or hxl.") }
        let rows = try await activities(req).threeW(
            try await ActivityStore(req.db).all(in: scope), operation: context.operation, language: "en")
        let text = ThreeWExport.text(rows, format: format)
        return ExportDownload.response(format: format, operation: context.operation, holding: "3w", on: req.now) {
            try await $0(text)
        }
    }

    struct Submitted: Content {
        var name: String?; var kind: String?; var sector: String?; var area: String?; var site: String?
        var populationTypes: [String]?; var phase: String?; var startOn: String?; var endOn: String?
        var implementer: String?; var targeted: String?; var reached: String?
        var targetedBins: [String: String]?; var reachedBins: [String: String]?; var continues: String?
        var targetedByType: [String: String]?; var reachedByType: [String: String]?; var version: String?

        enum CodingKeys: String, CodingKey {
            case name, kind, sector, area, site, phase, implementer, targeted, reached, continues, version
            case populationTypes = "population_types", startOn = "start_on", endOn = "end_on"
            case targetedBins = "targeted_bins", reachedBins = "reached_bins"
            case targetedByType = "targeted_by_type", reachedByType = "reached_by_type"
        }

        /// The form always shows every field: what it leaves empty is empty. Bins left blank are
        /// dropped; the breakdown is UNHCR's when any bin is filled.
        var input: ActivityInput {
            var input = ActivityInput()
            input.name = name ?? ""
            input.kind = kind ?? ""
            input.sector = sector ?? ""
            input.area = area ?? ""
            input.site = site ?? ""
            input.populationTypes = populationTypes ?? []
            input.phase = phase ?? ""
            input.startOn = startOn ?? ""
            input.endOn = endOn ?? ""
            input.implementer = implementer ?? ""
            input.targeted = targeted ?? ""
            input.reached = reached ?? ""
            input.targetedBins = (targetedBins ?? [:]).filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
            input.reachedBins = (reachedBins ?? [:]).filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
            let filled = Dictionary(
                uniqueKeysWithValues: (input.targetedBins.keys.map { ($0, 1) } + input.reachedBins.keys.map { ($0, 1) })
                    .reduce(into: [String: Int]()) { $0[$1.0] = 1 }.map { ($0.key, $0.value) })
            input.scheme = DisaggregationScheme.inferred(from: filled).rawValue
            input.targetedByType = (targetedByType ?? [:]).filter {
                !$0.value.trimmingCharacters(in: .whitespaces).isEmpty
            }
            input.reachedByType = (reachedByType ?? [:]).filter {
                !$0.value.trimmingCharacters(in: .whitespaces).isEmpty
            }
            input.continues = continues ?? ""
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageActivities)
        var values = ActivityInput()
        values.startOn = DateText.day(req.now)
        return try await renderForm(req, context, values: values, errors: [:], id: nil)
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageActivities)
        let scope = try context.requireScope()
        let input = try req.content.decode(Submitted.self).input
        do {
            let (draft, warnings) = try await activities(req).checked(
                input, operation: context.operation, scope: scope,
                visibleSites: try await context.visibleSites(on: req.db))
            _ = try await ActivityStore(req.db).create(
                draft, scope: scope, actorID: context.current.user.id, now: req.now)
            Page.flash("activities.saved", on: req)
            if let warning = warnings.first { req.session.data["activity_warning"] = warning.message }
            return req.redirect(to: SiteURL.activities(.value(context.operation.code)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: input, errors: errors.messages(in: req), id: nil, status: .unprocessableEntity)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageActivities)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let record = try await ActivityStore(req.db).find(id, in: try context.requireScope())
        else { throw PageError(.notFound, key: "error.not_found") }
        return try await renderForm(
            req, context, values: ActivityInput(record.draft), errors: [:], id: id,
            version: EditVersion.token(record.updatedAt))
    }

    func update(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageActivities)
        let scope = try context.requireScope()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            try await ActivityStore(req.db).find(id, in: scope) != nil
        else { throw PageError(.notFound, key: "error.not_found") }
        let form = try req.content.decode(Submitted.self)
        let input = form.input
        do {
            let (draft, warnings) = try await activities(req).checked(
                input, operation: context.operation, scope: scope,
                visibleSites: try await context.visibleSites(on: req.db), editing: id)
            _ = try await ActivityStore(req.db).update(
                id, with: draft, scope: scope, actorID: context.current.user.id, expecting: form.version ?? "",
                now: req.now)
            Page.flash("activities.saved", on: req)
            if let warning = warnings.first { req.session.data["activity_warning"] = warning.message }
            return req.redirect(to: SiteURL.activities(.value(context.operation.code)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: input, errors: errors.messages(in: req), id: id, version: form.version ?? "",
                status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            return try await renderForm(
                req, context, values: input, errors: ["version": req.t("error.stale")], id: id,
                version: form.version ?? "", status: .conflict)
        }
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, values: ActivityInput, errors: [String: String], id: UUID?,
        version: String = "", status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let (shapes, _) = try await req.areaShapes.shapes(for: context.operation, on: req.db)
        let names = try await req.areaShapes.names(for: context.operation, language: req.language, on: req.db)
        let acute = try await ActivityStore(req.db).all(in: try context.requireScope(), phase: .acute)
        let model = ActivityForm.Model(
            code: context.operation.code, id: id, values: values, errors: errors, version: version,
            areas: shapes.filter { $0.row.level > 0 }.map {
                (pcode: $0.row.pcode, name: names[$0.row.pcode] ?? $0.row.pcode)
            }
            .sorted { $0.pcode < $1.pcode },
            sites: try await context.visibleSites(on: req.db).map { (id: $0.id, name: $0.name) },
            acuteActivities: acute.filter { $0.id != id }.map { (id: $0.id, name: $0.name) })
        return Page.render(req, title: req.t(id == nil ? "activities_new" : "activities_edit"), status: status) {
            ActivityForm.view(model, $0)
        }
    }
}
