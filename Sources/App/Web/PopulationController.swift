import Domain
import Foundation
import Geo
import Interop
import Persistence
import Vapor
import Views

/// Displacement figures: the stock over time by population type with its sources and dates, the
/// figures themselves, rates per 100,000 where the whole population is known, the imports (UNHCR,
/// DTM, HXL, COD-PS) and the exports (CSV, HXL). Figures are for every member of the operation.
struct PopulationController {
    /// A figure entered by hand on the page (the API takes the same fields as JSON).
    struct EntryForm: Content {
        var populationType: String?; var location: String?; var referenceDate: String?; var total: String?
        var source: String?; var method: String?; var round: String?; var reportingDate: String?
        var originIso3: String?; var breakdown: [String: String]?
        enum CodingKeys: String, CodingKey {
            case location, total, source, method, round, breakdown
            case populationType = "population_type", referenceDate = "reference_date", reportingDate = "reporting_date"
            case originIso3 = "origin_iso3"
        }

        /// The form as the one decoder reads it (the API gives the same fields as JSON).
        var input: FigureInput {
            var input = FigureInput()
            input.populationType = populationType ?? ""
            input.location = location ?? ""
            input.referenceDate = referenceDate ?? ""
            input.total = total ?? ""
            input.source = source ?? ""
            input.method = method ?? ""
            input.round = round ?? ""
            input.reportingDate = reportingDate ?? ""
            input.originISO3 = originIso3 ?? ""
            input.breakdown = breakdown ?? [:]
            return input
        }
    }

    static let defaultTypes: [PopulationType] = [
        .refugees, .asylumSeekers, .idps, .returnedRefugees, .returnedIDPs,
        .migrantsInTransit,
    ]

    /// The stock chart's colours, a population type each in the filter's order.
    static let palette = [
        "#1f78b4", "#e31a1c", "#33a02c", "#ff7f00", "#6a3d9a", "#b15928", "#a6cee3", "#fb9a99",
        "#b2df8a", "#cab2d6", "#ffff99",
    ]

    func index(_ req: Request) async throws -> Response { try await render(req, report: []) }

    func render(
        _ req: Request, report: [String], status: HTTPResponseStatus = .ok, entry: EntryForm? = nil,
        entryErrors: [String: String] = [:]
    ) async throws -> Response {
        let context = try await OperationContext.load(req)
        let operationID = context.operation.id
        guard AccessPolicy.canViewPopulationFigures(in: operationID, by: context.viewer) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        let store = PopulationStore(req.db)
        let (query, filter) = Self.query(req)
        let datasets = try await store.datasets(in: context.operation.id)
        let stockRows = try await store.stockOverTime(in: context.operation.id, query)
        let figures = try await store.figures(in: context.operation.id, query, limit: 50)
        let rates = try await store.rates(in: context.operation.id, query)
        let model = PopulationPage.Model(
            code: context.operation.code, report: report, datasets: datasets, dataset: query.dataset,
            location: query.location ?? "", types: query.types, filter: filter,
            stock: Self.stock(stockRows, types: query.types, req),
            rates: rates.map { rate in
                let f = rate.figure
                return PopulationPage.Model.Rate(
                    place: f.location.name, code: f.location.code, type: f.populationType,
                    year: f.year, people: f.total, population: rate.population,
                    per100k: rate.per100k)
            },
            figures: figures.map { Self.figure($0.figure) },
            canViewScenarios: AccessPolicy.canViewScenarios(in: operationID, by: context.viewer),
            canImport: AccessPolicy.canImportPopulationFigures(in: operationID, by: context.viewer),
            formats: PopulationImportService.Format.allCases.map(\.rawValue),
            entry: Self.values(entry ?? EntryForm()), entryErrors: entryErrors, entryOpen: entry != nil)
        return Page.render(req, title: req.t("population.title"), status: status) { PopulationPage.view(model, $0) }
    }

    /// The stock over time: the last 25 years with figures, newest first, a column per population
    /// type of the filter that has any; nil when nothing matches.
    static func stock(
        _ rows: [(year: Int, type: PopulationType, total: Int64, sources: String, reported: Date?)],
        types chosen: [PopulationType], _ req: Request
    ) -> PopulationPage.Model.Stock? {
        guard !rows.isEmpty else { return nil }
        let years = Array(Set(rows.map(\.year))).sorted().suffix(25)
        let types = chosen.filter { type in rows.contains { $0.type == type } }
        func total(_ year: Int, _ type: PopulationType) -> Int64? {
            rows.first { $0.year == year && $0.type == type }?.total
        }
        var chart = SVGBarChart(
            labels: years.map { String($0) },
            series: types.enumerated().map { i, type in
                SVGBarChart.Series(
                    name: req.t(type.labelKey), values: years.map { Int(clamping: total($0, type) ?? 0) },
                    colour: palette[i % palette.count])
            }, title: req.t("population.chart"))
        chart.width = 720
        chart.number = DecimalText.grouped
        return PopulationPage.Model.Stock(
            chart: chart.render(), types: types,
            years: years.reversed().map { year in
                let inYear = rows.filter { $0.year == year }
                return PopulationPage.Model.Stock.Year(
                    year: year, totals: types.map { total(year, $0) },
                    sources: Set(inYear.flatMap { $0.sources.split(separator: ",").map(String.init) }).sorted(),
                    reported: inYear.compactMap(\.reported).max())
            })
    }

    /// One figure as the page lists it.
    static func figure(_ f: PopulationFigure) -> PopulationPage.Model.Figure {
        .init(
            type: f.populationType, place: f.location.name, code: f.location.code, origin: f.originISO3,
            referenceDate: f.referenceDate, year: f.year, total: f.total, source: f.source, method: f.method,
            round: f.round, dataset: f.dataset)
    }

    /// The hand-entry form's fields as typed, to show them again (an empty form for nothing typed).
    static func values(_ form: EntryForm) -> PopulationPage.EntryValues {
        var values = PopulationPage.EntryValues()
        values.populationType = form.populationType ?? PopulationType.idps.rawValue
        values.location = form.location ?? ""
        values.referenceDate = form.referenceDate ?? ""
        values.total = form.total ?? ""
        values.source = form.source ?? FigureSource.own.rawValue
        values.method = form.method ?? ""
        values.round = form.round ?? ""
        values.reportingDate = form.reportingDate ?? ""
        values.originIso3 = form.originIso3 ?? ""
        values.breakdown = form.breakdown ?? [:]
        return values
    }

    /// `POST …/population/figures`: a figure entered on the page.
    func enter(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canImportPopulationFigures(in: context.operation.id, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let form = try req.content.decode(EntryForm.self)
        var resolver = try await PlaceResolver(req, context.operation, scope: try context.requireScope(), points: [])
        do {
            let entry = try form.input.draft(now: req.now) { resolver.figureLocation(for: $0) }
            let (outcome, stored) = try await FigureEntryService.save(entry, context: context, on: req.db, now: req.now)
            let f = stored.figure
            Page.flash("population.entry_\(outcome)", on: req)
            let place = f.location.kind == .country || f.location.kind == .adminArea ? f.location.code : f.location.name
            return req.redirect(
                to: SiteURL.population(.value(context.operation.code))
                    .path(query: [("location", place), ("type", f.populationType.rawValue)]) + "#figures")
        } catch let errors as ValidationErrors {
            return try await render(
                req, report: [], status: .unprocessableEntity, entry: form,
                entryErrors: errors.messages(in: req))
        }
    }

    /// The page's filter from the query string, and the filter as given, to repeat it in links.
    static func query(_ req: Request) -> (PopulationStore.Query, [(String, String)]) {
        let dataset = (try? req.query.get(String.self, at: "dataset")).flatMap { $0.isEmpty ? nil : $0 }
        let location = (try? req.query.get(String.self, at: "location"))
            .map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let given = (try? req.query.get([String].self, at: "type")) ?? []
        let types = given.compactMap(PopulationType.init(rawValue:))
        var filter: [(String, String)] = []
        if let dataset { filter.append(("dataset", dataset)) }
        if let location { filter.append(("location", location)) }
        filter += types.map { ("type", $0.rawValue) }
        let chosen = types.isEmpty ? defaultTypes : types
        return (PopulationStore.Query(dataset: dataset, location: location, types: chosen), filter)
    }

    // MARK: Import

    struct UploadForm: Content { var format: String? }

    func upload(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canImportPopulationFigures(in: context.operation.id, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let maxBytes = req.application.bearingConfig.maxUploadBytes + 1_000_000
        return try await StreamedUpload.with(req, maxBytes: maxBytes) { upload in
            let form = try upload.decode(UploadForm.self)
            guard let format = PopulationImportService.Format(rawValue: form.format ?? ""), let file = upload.file,
                file.size > 0
            else {
                return try await render(req, report: [req.t("boundaries.no_file")], status: .unprocessableEntity)
            }
            do {
                let report = try await PopulationImportService(database: req.db).importFile(
                    file.url, format: format, year: nil, into: context.operation, actorID: context.current.user.id,
                    now: req.now)
                let stored = report.stored.added + report.stored.updated + report.stored.unchanged
                let lines: [String] = ["\(file.filename): " + report.lines[0]] + report.lines.dropFirst()
                let accepted = stored > 0 || report.read.rejectedRows == 0
                return try await render(req, report: lines, status: accepted ? .ok : .unprocessableEntity)
            } catch let error as SourceFileError {
                let line = "\(file.filename): \(error.message) \(req.t("population.nothing_imported"))"
                return try await render(req, report: [line], status: .unprocessableEntity)
            }
        }
    }

    // MARK: Export

    /// The figures of the page's filter as CSV, HXL or GeoJSON (`FigureExchange`).
    func export(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canViewPopulationFigures(in: context.operation.id, by: context.viewer) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        guard let format = req.query[String.self, at: "format"].flatMap(IncidentExchange.Format.init(rawValue:)) else {
            throw Abort(.badRequest, reason: "format: choose csv, hxl or geojson.")
        }
        let (query, _) = Self.query(req)
        let exporter = PopulationExportService(database: req.db, areaShapes: req.areaShapes)
        let operation = context.operation
        return ExportDownload.response(format: format, operation: operation, holding: "population", on: req.now) {
            emit in
            try await exporter.figures(of: operation, query, format: format, emit: emit)
        }
    }
}
