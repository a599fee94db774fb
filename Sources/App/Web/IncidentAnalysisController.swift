import Domain
import Foundation
import Geo
import Interop
import Persistence
import Vapor
import Views

/// The incident analysis page and the streamed exports, with one filter (`IncidentQuery`) and
/// the viewer's scope for everything shown or written.
struct IncidentAnalysisController {
    static let seriesColours = ["#b3261e", "#1f5f8b", "#e0a030", "#3c8d40", "#7b4fa0", "#555555"]

    struct AnalysisContext: Encodable {
        let code: String
        let form: HTMLFragment
        let errors: [String]
        let summary: String
        let chart: HTMLFragment
        let leftOut: String?
        let categories: HTMLFragment
        let areaTable: HTMLFragment
        let casualties: HTMLFragment
        let fatalities: String?
        let warningStatement: String
        let warnings: HTMLFragment
        let hasWarnings: Bool
        let exportQuery: String
        let exportFields: HTMLFragment
        let hasIncidents: Bool
    }

    func page(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        var errors: [String] = []
        let query: IncidentQuery
        do { query = try IncidentQuery.parse(req.url.query, now: req.now) } catch {
            errors = error.errors.map(\.message)  // they quote the value given, so they stay in English
            query = try IncidentQuery.parse(nil, now: req.now)
        }
        let report = try await IncidentAnalysisService(database: req.db).analyse(
            query, operation: context.operation, scope: scope, language: req.language)
        let code = context.operation.code
        func sourceName(_ origin: String) -> String { req.strings.sourceName(origin) }
        func number(_ value: Int) -> String { String(value) }
        func change(_ percent: Double?) -> String {
            guard let percent else { return "—" }
            return (percent > 0 ? "+" : "") + String(Int(percent.rounded())) + " %"
        }

        let form = try await Self.filterForm(query, operation: context.operation, areaLevel: report.areaLevel, on: req)

        // The chart: one stacked bar per week or month, one colour per source.
        let chart = SVGBarChart(
            labels: report.buckets,
            series: report.origins.enumerated().map { i, origin in
                SVGBarChart.Series(name: sourceName(origin), values: report.buckets.map { bucket in
                    report.series.first { $0.bucket == bucket && $0.origin == origin }?.count ?? 0
                }, colour: Self.seriesColours[i % Self.seriesColours.count])
            },
            title: req.t("analysis.chart_title_\(query.period.rawValue)"))
        var chartHTML = HTMLFragment()
        chartHTML.svg(chart.render())

        var categories = HTMLFragment()
        for row in report.categories {
            categories.markup("<tr><td>")
            categories.text(IncidentCategory(rawValue: row.category).map { req.t($0.labelKey) } ?? row.category)
            categories.markup("</td><td class=\"num\">")
            categories.text(row.count)
            categories.markup("</td><td class=\"num\">")
            categories.text(row.previous)
            categories.markup("</td><td class=\"num\"><bdi dir=\"ltr\">")
            categories.text(change(row.changePercent))
            categories.markup("</bdi></td></tr>")
        }

        // Area × category: the categories that occur, as columns.
        let shown = IncidentCategory.allCases.filter { c in report.areas.contains { $0.byCategory[c.rawValue] != nil } }
        var areaTable = HTMLFragment()
        areaTable.markup("<thead><tr><th scope=\"col\">")
        areaTable.text(req.t("field_area"))
        areaTable.markup("</th>")
        for category in shown {
            areaTable.markup("<th scope=\"col\">")
            areaTable.text(req.t(category.labelKey))
            areaTable.markup("</th>")
        }
        areaTable.markup("<th scope=\"col\">")
        areaTable.text(req.t("analysis.total"))
        areaTable.markup("</th></tr></thead><tbody>")
        for area in report.areas {
            areaTable.markup("<tr><th scope=\"row\">")
            if let pcode = area.pcode {
                areaTable.text(area.name)
                areaTable.markup(" <span class=\"code\" dir=\"ltr\">")
                areaTable.text(pcode)
                areaTable.markup("</span>")
            } else {
                areaTable.text(req.t("analysis.unplaced"))
            }
            areaTable.markup("</th>")
            for category in shown {
                areaTable.markup("<td class=\"num\">")
                areaTable.text(area.byCategory[category.rawValue] ?? 0)
                areaTable.markup("</td>")
            }
            areaTable.markup("<td class=\"num\"><strong>")
            areaTable.text(area.total)
            areaTable.markup("</strong></td></tr>")
        }
        areaTable.markup("</tbody>")

        var casualties = HTMLFragment()
        for harm in report.casualties {
            casualties.markup("<tr><th scope=\"row\">")
            casualties.text(Casualties.Harm(rawValue: harm.harm).map { req.t($0.labelKey) } ?? harm.harm)
            casualties.markup("</th>")
            for value in [harm.national, harm.international, harm.female, harm.male, harm.unknownSex, harm.total] {
                casualties.markup("<td class=\"num\">")
                casualties.text(value)
                casualties.markup("</td>")
            }
            casualties.markup("</tr>")
        }

        var warnings = HTMLFragment()
        for warning in report.earlyWarning.areas.prefix(25) {
            warnings.markup(warning.flagged ? "<tr class=\"flagged\"><th scope=\"row\">" : "<tr><th scope=\"row\">")
            warnings.text(warning.name)
            warnings.markup(" <span class=\"code\" dir=\"ltr\">")
            warnings.text(warning.pcode)
            warnings.markup("</span></th><td class=\"num\">")
            warnings.text(warning.recent)
            warnings.markup("</td><td class=\"num\" dir=\"ltr\">")
            warnings.text(String(format: "%.2f", warning.expected))
            warnings.markup("</td><td class=\"num\" dir=\"ltr\">")
            warnings.text(warning.pValue < 0.001 ? "< 0.001" : String(format: "%.3f", warning.pValue))
            warnings.markup("</td><td>")
            warnings.text(warning.flagged ? req.t("analysis.flagged") : "—")
            warnings.markup("</td></tr>")
        }

        // The export form repeats the filters as hidden fields, so the file holds what the page shows.
        var exportFields = HTMLFragment()
        for key in query.values.keys.sorted() where key != "round" {
            for value in query.values[key] ?? [] {
                exportFields.markup("<input type=\"hidden\" name=\"")
                exportFields.text(key)
                exportFields.markup("\" value=\"")
                exportFields.text(value)
                exportFields.markup("\">")
            }
        }

        let summary = req.t("analysis.summary")
            .replacingOccurrences(of: "{total}", with: number(report.total))
            .replacingOccurrences(of: "{previous}", with: number(report.previousTotal))
            .replacingOccurrences(of: "{change}", with: "\u{2066}" + change(report.changePercent) + "\u{2069}")  // isolated: reads the same in Arabic
        let rule = report.earlyWarning
        let statement = req.t("analysis.warning_statement")
            .replacingOccurrences(of: "{recent}", with: String(rule.recentDays))
            .replacingOccurrences(of: "{baseline}", with: String(rule.baselineDays))
            .replacingOccurrences(of: "{alpha}", with: String(rule.alpha))
            .replacingOccurrences(of: "{minimum}", with: String(rule.minimumCount))
            .replacingOccurrences(of: "{end}", with: rule.windowEnd)
        return try await Page.render("incident-analysis", AnalysisContext(
            code: code, form: form, errors: errors, summary: summary, chart: chartHTML,
            leftOut: report.leftOutOfSeries > 0 ? req.t("analysis.left_out").replacingOccurrences(of: "{count}", with: String(report.leftOutOfSeries)) : nil,
            categories: categories, areaTable: areaTable, casualties: casualties,
            fatalities: report.fatalities > 0 ? req.t("analysis.fatalities").replacingOccurrences(of: "{count}", with: String(report.fatalities)) : nil,
            warningStatement: statement, warnings: warnings, hasWarnings: !report.earlyWarning.areas.isEmpty,
            exportQuery: query.queryString, exportFields: exportFields, hasIncidents: report.total > 0),
            title: req.t("analysis.title"), for: req)
    }

    /// The filter form the analysis and the map share: GET, so a view can be bookmarked and shared.
    static func filterForm(_ query: IncidentQuery, operation: OperationRow, areaLevel: Int?, on req: Request) async throws -> HTMLFragment {
        let sources = try await ContextEventStore(req.db).sources(operationID: operation.id)
        let (shapes, _) = try await AreaShapeCache.shared.shapes(for: operation, on: req.db)
        let names = try await AreaShapeCache.shared.names(for: operation, language: req.language, on: req.db)
        func sourceName(_ origin: String) -> String { req.strings.sourceName(origin) }
        let from = query.fromDay, to = query.toDay
        // The filter form: GET, so a view can be bookmarked and shared.
        var form = HTMLFragment()
        form.markup("<div class=\"filters\"><label>")
        form.text(req.t("analysis.from"))
        form.markup(" <input type=\"date\" name=\"from\" dir=\"ltr\" value=\"")
        form.text(from)
        form.markup("\"></label> <label>")
        form.text(req.t("analysis.to"))
        form.markup(" <input type=\"date\" name=\"to\" dir=\"ltr\" value=\"")
        form.text(to)
        form.markup("\"></label> <label>")
        form.text(req.t("analysis.period"))
        form.markup(" <select name=\"period\">")
        form.options(AnalysisPeriods.Unit.allCases.map { ($0.rawValue, req.t("analysis.period_\($0.rawValue)"), $0 == query.period) })
        form.markup("</select></label> <label>")
        form.text(req.t("field_area"))
        form.markup(" <select name=\"area\"><option value=\"\">")
        form.text(req.t("analysis.all_areas"))
        form.markup("</option>")
        let areaOptions = shapes.filter { $0.row.level <= 2 && $0.row.level >= 1 }.map(\.row)
            .sorted { ($0.level, names[$0.pcode] ?? $0.name) < ($1.level, names[$1.pcode] ?? $1.name) }
        form.options(areaOptions.map { ($0.pcode, ($0.level == 2 ? "· " : "") + (names[$0.pcode] ?? $0.name), $0.pcode == query.filter.areaPcode) })
        form.markup("</select></label> <label>")
        form.text(req.t("analysis.level"))
        form.markup(" <select name=\"level\">")
        let levels = AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) }).levels
        form.options(levels.map { (String($0), req.t("analysis.admin_level") + " " + String($0), $0 == areaLevel) })
        form.markup("</select></label></div><fieldset><legend>")
        form.text(req.t("analysis.sources"))
        form.markup("</legend>")
        for origin in [ContextEvent.Source.ownName] + sources {
            form.markup("<label class=\"check\"><input type=\"checkbox\" name=\"source\" value=\"")
            form.text(origin)
            form.markup(query.filter.sources?.contains(origin) ?? true ? "\" checked> " : "\"> ")
            form.text(sourceName(origin))
            form.markup("</label> ")
        }
        form.markup("</fieldset><fieldset><legend>")
        form.text(req.t("field_category"))
        form.markup("</legend>")
        for category in IncidentCategory.allCases {
            form.markup("<label class=\"check\"><input type=\"checkbox\" name=\"category\" value=\"")
            form.text(category.rawValue)
            form.markup(query.filter.categories?.contains(category) ?? false ? "\" checked> " : "\"> ")
            form.text(req.t(category.labelKey))
            form.markup("</label> ")
        }
        form.markup("</fieldset><div class=\"filters\"><label>")
        form.text(req.t("field_actor_type"))
        form.markup(" <select name=\"actor\"><option value=\"\">")
        form.text(req.t("analysis.any"))
        form.markup("</option>")
        form.options(ActorType.allCases.map { ($0.rawValue, req.t($0.labelKey), query.filter.actorTypes?.contains($0) ?? false) })
        form.markup("</select></label> <label>")
        form.text(req.t("field_severity"))
        form.markup(" <select name=\"severity\"><option value=\"\">")
        form.text(req.t("analysis.any"))
        form.markup("</option>")
        form.options(IncidentSeverity.allCases.map { ($0.rawValue, req.t($0.labelKey), query.filter.severities?.contains($0) ?? false) })
        form.markup("</select></label></div>")

        return form
    }

    // MARK: Map

    struct MapContext: Encodable {
        let code: String
        let form: HTMLFragment
        let errors: [String]
        let map: HTMLFragment
        let drawnText: String?
        let unplacedText: String?
        let areasOnly: Bool
        let queryString: String
    }

    /// `GET …/incidents/map?…filters&show=areas`: the choropleth, with points or counted squares.
    func map(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        var errors: [String] = []
        let query: IncidentQuery
        do { query = try IncidentQuery.parse(req.url.query, now: req.now) } catch {
            errors = error.errors.map(\.message)
            query = try IncidentQuery.parse(nil, now: req.now)
        }
        let areasOnly = req.query[String.self, at: "show"] == "areas"
        let result = try await IncidentMapService(request: req).render(query, operation: context.operation, scope: scope, areasOnly: areasOnly)
        var form = try await Self.filterForm(query, operation: context.operation, areaLevel: result.level, on: req)
        form.markup("<div class=\"filters\"><label>")
        form.text(req.t("map.mode"))
        form.markup(" <select name=\"show\">")
        form.options([("", req.t("map.mode_auto"), !areasOnly), ("areas", req.t("map.mode_areas"), areasOnly)])
        form.markup("</select></label></div>")
        var map = HTMLFragment()
        map.svg(result.svg)
        var drawnText: String?
        if !areasOnly, result.located > 0 {
            drawnText = result.squareSize.map { size in
                req.t("map.grid").replacingOccurrences(of: "{count}", with: String(result.drawnTotal))
                    .replacingOccurrences(of: "{size}", with: size.formatted(.number.precision(.fractionLength(0...2)).locale(Locale(identifier: "en_US_POSIX"))))
            } ?? req.t("map.points").replacingOccurrences(of: "{count}", with: String(result.drawnTotal))
        }
        return try await Page.render("incident-map", MapContext(
            code: context.operation.code, form: form, errors: errors, map: map, drawnText: drawnText,
            unplacedText: result.unlocated > 0 ? req.t("map.unplaced").replacingOccurrences(of: "{count}", with: String(result.unlocated)) : nil,
            areasOnly: areasOnly, queryString: query.queryString),
            title: req.t("incident_map.title"), for: req)
    }

    // MARK: Exports

    /// `GET …/incidents/export?format=csv|hxl|geojson&round=N&…filters`: streamed, through the
    /// viewer's scope; the same writer as `bearing export incidents`.
    func export(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let format = req.query[String.self, at: "format"].flatMap(IncidentExchange.Format.init(rawValue:)) else {
            throw Abort(.badRequest, reason: "format: choose csv, hxl or geojson.")
        }
        let query: IncidentQuery
        do { query = try IncidentQuery.parse(req.url.query, now: req.now) } catch { throw Abort(.badRequest, reason: error.description) }
        return IncidentDownload.response(format: format, query: query, operation: context.operation, scope: scope, on: req)
    }
}
