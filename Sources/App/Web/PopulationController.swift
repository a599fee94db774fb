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
    struct Context: Encodable {
        let code: String; let datasets: HTMLFragment; let hasDatasets: Bool; let typeBoxes: HTMLFragment; let datasetOptions: HTMLFragment
        let location: String; let chart: String; let stock: HTMLFragment; let stockHead: HTMLFragment; let hasStock: Bool; let figures: HTMLFragment
        let rates: HTMLFragment; let hasRates: Bool; let canImport: Bool; let canViewScenarios: Bool; let formatOptions: HTMLFragment; let report: [String]; let query: String
        let entry: HTMLFragment; let entryOpen: Bool
    }

    /// A figure entered by hand on the page (the API takes the same fields as JSON).
    struct EntryForm: Content {
        var populationType: String?; var location: String?; var referenceDate: String?; var total: String?; var source: String?
        var method: String?; var round: String?; var reportingDate: String?; var originIso3: String?; var breakdown: [String: String]?
        enum CodingKeys: String, CodingKey {
            case location, total, source, method, round, breakdown
            case populationType = "population_type", referenceDate = "reference_date", reportingDate = "reporting_date", originIso3 = "origin_iso3"
        }
    }

    static let defaultTypes: [PopulationType] = [.refugees, .asylumSeekers, .idps, .returnedRefugees, .returnedIDPs, .migrantsInTransit]

    func index(_ req: Request) async throws -> Response { try await render(req, report: []) }

    func render(_ req: Request, report: [String], status: HTTPResponseStatus = .ok, entry: EntryForm? = nil, entryErrors: [String: String] = [:]) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canViewPopulationFigures(in: context.operation.id.uuidString, by: context.viewer) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        let store = PopulationStore(req.db)
        let (query, queryString) = Self.query(req)
        let datasets = try await store.datasets(in: context.operation.id)
        var datasetList = HTMLFragment()
        for dataset in datasets {
            datasetList.markup("<li><span dir=\"ltr\">")
            datasetList.text(dataset.name)
            datasetList.markup("</span>: ")
            datasetList.text(req.t("population.figures_n").replacingOccurrences(of: "{count}", with: String(dataset.figures)))
            datasetList.markup("</li>")
        }
        let stockRows = try await store.stockOverTime(in: context.operation.id, query)
        let years = Array(Set(stockRows.map(\.year))).sorted().suffix(25)
        let types = query.types.filter { type in stockRows.contains { $0.type == type } }
        let palette = ["#1f78b4", "#e31a1c", "#33a02c", "#ff7f00", "#6a3d9a", "#b15928", "#a6cee3", "#fb9a99", "#b2df8a", "#cab2d6", "#ffff99"]
        var chart = SVGBarChart(labels: years.map(String.init), series: types.enumerated().map { i, type in
            SVGBarChart.Series(name: req.t(type.labelKey), values: years.map { year in
                Int(clamping: stockRows.first { $0.year == year && $0.type == type }?.total ?? 0)
            }, colour: palette[i % palette.count])
        }, title: req.t("population.chart"))
        chart.width = 720
        var head = HTMLFragment()
        head.tableHead([req.t("population.year")] + types.map { "\(req.t($0.labelKey)) (\($0.rawValue))" } + [req.t("population.sources")])
        var stock = HTMLFragment()
        for year in years.reversed() {
            stock.markup("<tr><td dir=\"ltr\">")
            stock.text(year)
            stock.markup("</td>")
            for type in types {
                stock.markup("<td class=\"score\">")
                stock.text(DecimalText.grouped(stockRows.first { $0.year == year && $0.type == type }?.total))
                stock.markup("</td>")
            }
            let rows = stockRows.filter { $0.year == year }
            stock.markup("<td><small>")
            stock.text(Set(rows.flatMap { $0.sources.split(separator: ",").map(String.init) }).sorted().map { req.t("figure_source.\($0)") }.joined(separator: ", "))
            if let reported = rows.compactMap(\.reported).max() {
                stock.markup(" · <span dir=\"ltr\">")
                stock.text(DateText.day(reported))
                stock.markup("</span>")
            }
            stock.markup("</small></td></tr>")
        }
        var figures = HTMLFragment()
        for stored in try await store.figures(in: context.operation.id, query, limit: 50) {
            Self.figureRow(stored.figure, req, into: &figures)
        }
        var rates = HTMLFragment()
        let rateRows = try await store.rates(in: context.operation.id, query)
        for (figure, population, per100k) in rateRows {
            rates.markup("<tr><td>")
            rates.text("\(figure.location.name) (\(figure.location.code))")
            rates.markup("</td><td>")
            rates.text(req.t(figure.populationType.labelKey))
            rates.markup("</td><td dir=\"ltr\">")
            rates.text(figure.year)
            rates.markup("</td><td class=\"score\">")
            rates.text(DecimalText.grouped(figure.total))
            rates.markup("</td><td class=\"score\">")
            rates.text(DecimalText.grouped(population))
            rates.markup("</td><td class=\"score\"><strong>")
            rates.text(DecimalText.fixed(per100k, digits: 0))
            rates.markup("</strong></td></tr>")
        }
        var typeBoxes = HTMLFragment()
        for type in PopulationType.allCases {
            typeBoxes.markup("<label class=\"check\"><input type=\"checkbox\" name=\"type\" value=\"")
            typeBoxes.text(type.rawValue)
            typeBoxes.markup(query.types.contains(type) ? "\" checked> " : "\"> ")
            typeBoxes.text(type.rawValue)
            typeBoxes.markup("</label>")
        }
        var datasetOptions = HTMLFragment()
        datasetOptions.options([("", req.t("all"), query.dataset == nil)] + datasets.map { ($0.name, $0.name, $0.name == query.dataset) })
        var formats = HTMLFragment()
        formats.options(PopulationImportService.Format.allCases.map { ($0.rawValue, req.t("population_format.\($0.rawValue.replacingOccurrences(of: "-", with: "_"))"), false) })
        return try await Page.render("population", Context(
            code: context.operation.code, datasets: datasetList, hasDatasets: !datasets.isEmpty, typeBoxes: typeBoxes, datasetOptions: datasetOptions,
            location: query.location ?? "", chart: chart.render().markup, stock: stock, stockHead: head, hasStock: !stockRows.isEmpty, figures: figures,
            rates: rates, hasRates: !rateRows.isEmpty,
            canImport: AccessPolicy.canImportPopulationFigures(in: context.operation.id.uuidString, by: context.viewer),
            canViewScenarios: AccessPolicy.canViewScenarios(in: context.operation.id.uuidString, by: context.viewer), formatOptions: formats,
            report: report, query: queryString, entry: Self.entryFields(entry ?? EntryForm(), errors: entryErrors, req), entryOpen: entry != nil),
            title: req.t("population.title"), for: req, status: status)
    }

    /// The fields of the hand-entry form, with what was wrong beside each.
    static func entryFields(_ values: EntryForm, errors: [String: String], _ req: Request) -> HTMLFragment {
        var out = HTMLFragment()
        func error(_ field: String) {
            guard let message = errors[field] else { return }
            out.markup("<p class=\"field-error\" id=\"error-")
            out.text(field)
            out.markup("\">")
            out.text(message)
            out.markup("</p>")
        }
        /// `attributes` are written as given: callers pass literals only.
        func input(_ name: String, _ label: String, _ value: String?, type: StaticString = "text", attributes: StaticString = "") {
            out.markup("<label for=\"entry-")
            out.text(name)
            out.markup("\">")
            out.text(req.t(label))
            out.markup("</label><input id=\"entry-")
            out.text(name)
            out.markup("\" name=\"")
            out.text(name)
            out.markup("\" type=\"")
            out.markup(type)
            out.markup("\"")
            out.markup(attributes)
            out.markup(" value=\"")
            out.text(value ?? "")
            if errors[name] != nil {
                out.markup("\" aria-invalid=\"true\" aria-describedby=\"error-")
                out.text(name)
            }
            out.markup("\">")
            error(name)
        }
        func select(_ name: String, _ label: String, _ options: [(String, String)], _ value: String?) {
            out.markup("<label for=\"entry-")
            out.text(name)
            out.markup("\">")
            out.text(req.t(label))
            out.markup("</label><select id=\"entry-")
            out.text(name)
            out.markup("\" name=\"")
            out.text(name)
            out.markup("\">")
            out.options(options.map { ($0.0, $0.1, $0.0 == (value ?? "")) })
            out.markup("</select>")
            error(name)
        }
        select("population_type", "population.types", PopulationType.allCases.map { ($0.rawValue, "\(req.t($0.labelKey)) (\($0.rawValue))") },
               values.populationType ?? PopulationType.idps.rawValue)
        input("location", "population.entry_location", values.location, attributes: " required dir=\"auto\" placeholder=\"SD01001, SSD, Gedaref town\"")
        input("reference_date", "population.entry_date", values.referenceDate, type: "date", attributes: " required dir=\"ltr\"")
        input("total", "flows.people", values.total, attributes: " required inputmode=\"numeric\" pattern=\"[0-9 ,]*\" dir=\"ltr\"")
        select("source", "population.sources", FigureSource.allCases.map { ($0.rawValue, req.t("figure_source.\($0.rawValue)")) }, values.source ?? "own")
        select("method", "population.entry_method", [("", "—")] + FigureMethod.allCases.map { ($0.rawValue, req.t("figure_method.\($0.rawValue)")) }, values.method)
        input("round", "population.entry_round", values.round, attributes: " inputmode=\"numeric\" size=\"4\" dir=\"ltr\"")
        input("reporting_date", "population.entry_reported", values.reportingDate, type: "date", attributes: " dir=\"ltr\"")
        input("origin_iso3", "population.entry_origin", values.originIso3, attributes: " size=\"4\" maxlength=\"3\" dir=\"ltr\" placeholder=\"SSD\"")
        // Women and men × UNHCR's age brackets, as on the tally form; optional.
        out.markup("<fieldset><legend>")
        out.text(req.t("population.entry_breakdown"))
        out.markup("</legend><table class=\"bins\"><thead><tr><td></td><th scope=\"col\" dir=\"ltr\">0–4</th><th scope=\"col\" dir=\"ltr\">5–11</th><th scope=\"col\" dir=\"ltr\">12–17</th><th scope=\"col\" dir=\"ltr\">18–59</th><th scope=\"col\" dir=\"ltr\">60+</th><th scope=\"col\">?</th></tr></thead><tbody>")
        out.sexAgeRows(field: "breakdown", values: values.breakdown ?? [:], req.strings)
        out.markup("</tbody></table>")
        error("breakdown")
        out.markup("</fieldset>")
        return out
    }

    /// `POST …/population/figures`: a figure entered on the page.
    func enter(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canImportPopulationFigures(in: context.operation.id.uuidString, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let form = try req.content.decode(EntryForm.self)
        var resolver = try await PlaceResolver(req, context.operation, scope: try context.requireScope(), points: [])
        do {
            let entry = try FigureEntryService.entry(FigureEntryService.Fields(
                populationType: form.populationType ?? "", location: form.location ?? "", referenceDate: form.referenceDate ?? "", total: form.total ?? "",
                source: form.source, method: form.method, round: form.round, reportingDate: form.reportingDate, originISO3: form.originIso3,
                breakdown: (form.breakdown ?? [:]).filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }), resolver: &resolver)
            let (outcome, stored) = try await FigureEntryService.save(entry, context: context, on: req.db)
            let f = stored.figure
            Page.flash("population.entry_\(outcome)", on: req)
            let place = f.location.kind == .country || f.location.kind == .adminArea ? f.location.code : f.location.name
            return req.redirect(to: "/operations/\(context.operation.code)/population?location=\(place.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&type=\(f.populationType.rawValue)#figures")
        } catch let errors as ValidationErrors {
            return try await render(req, report: [], status: .unprocessableEntity, entry: form, entryErrors: errors.messages(in: req))
        }
    }

    /// One figure as a table row: what, where, when, how many, from whom, how.
    static func figureRow(_ f: PopulationFigure, _ req: Request, into out: inout HTMLFragment) {
        out.markup("<tr><td>")
        out.text("\(req.t(f.populationType.labelKey)) (\(f.populationType.rawValue))")
        out.markup("</td><td>")
        out.text(f.location.name.isEmpty ? f.location.code : "\(f.location.name) (\(f.location.code))")
        if let origin = f.originISO3 {
            out.markup(" <small>")
            out.text(req.t("population.from").replacingOccurrences(of: "{country}", with: origin))
            out.markup("</small>")
        }
        out.markup("</td><td dir=\"ltr\" class=\"nowrap\">")
        out.text(f.referenceDate.map(DateText.day) ?? String(f.year))
        out.markup("</td><td class=\"score\">")
        out.text(DecimalText.grouped(f.total))
        out.markup("</td><td><small>")
        out.text([req.t("figure_source.\(f.source.rawValue)"), f.method.map { req.t("figure_method.\($0.rawValue)") }, f.round.map { "#\($0)" }, f.dataset]
            .compactMap { $0 }.joined(separator: " · "))
        out.markup("</small></td></tr>")
    }

    /// The page's filter from the query string, and the query string to repeat it.
    static func query(_ req: Request) -> (PopulationStore.Query, String) {
        let dataset = (try? req.query.get(String.self, at: "dataset")).flatMap { $0.isEmpty ? nil : $0 }
        let location = (try? req.query.get(String.self, at: "location")).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let given = (try? req.query.get([String].self, at: "type")) ?? []
        let types = given.compactMap(PopulationType.init(rawValue:))
        var parts: [String] = []
        if let dataset { parts.append("dataset=\(dataset.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") }
        if let location { parts.append("location=\(location.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") }
        parts += types.map { "type=\($0.rawValue)" }
        return (PopulationStore.Query(dataset: dataset, location: location, types: types.isEmpty ? defaultTypes : types), parts.joined(separator: "&"))
    }

    // MARK: Import

    struct UploadForm: Content { var format: String? }

    func upload(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canImportPopulationFigures(in: context.operation.id.uuidString, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return try await StreamedUpload.with(req, maxBytes: req.application.bearingConfig.maxUploadBytes + 1_000_000) { upload in
            let form = try upload.decode(UploadForm.self)
            guard let format = PopulationImportService.Format(rawValue: form.format ?? ""), let file = upload.file, file.size > 0 else {
                return try await render(req, report: [req.t("boundaries.no_file")], status: .unprocessableEntity)
            }
            do {
                let report = try await PopulationImportService(database: req.db).importFile(
                    file.url, format: format, year: nil, into: context.operation, actorID: context.current.user.id)
                return try await render(req, report: ["\(file.filename): " + report.lines[0]] + report.lines.dropFirst(),
                                        status: report.stored.added + report.stored.updated + report.stored.unchanged > 0 || report.read.rejectedRows == 0 ? .ok : .unprocessableEntity)
            } catch let error as SourceFileError {
                return try await render(req, report: ["\(file.filename): \(error.message) \(req.t("population.nothing_imported"))"], status: .unprocessableEntity)
            }
        }
    }

    // MARK: Export

    /// The figures of the page's filter as CSV, HXL or GeoJSON (`FigureExchange`).
    func export(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canViewPopulationFigures(in: context.operation.id.uuidString, by: context.viewer) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        guard let format = req.query[String.self, at: "format"].flatMap(IncidentExchange.Format.init(rawValue:)) else {
            throw Abort(.badRequest, reason: "format: choose csv, hxl or geojson.")
        }
        let (query, _) = Self.query(req)
        let exporter = PopulationExportService(database: req.db)
        let operation = context.operation
        return ExportDownload.response(format: format, operation: operation, holding: "population") { emit in
            try await exporter.figures(of: operation, query, format: format, emit: emit)
        }
    }
}
