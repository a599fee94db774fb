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

    func page(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let (query, errors) = try Self.query(req)
        let report = try await IncidentAnalysisService(database: req.db, areaShapes: req.areaShapes).analyse(
            query, operation: context.operation, scope: scope, language: req.language, now: req.now)
        // The chart: one stacked bar per week or month, one colour per source.
        var chart = SVGBarChart(
            labels: report.buckets,
            series: report.origins.enumerated().map { i, origin in
                SVGBarChart.Series(
                    name: req.strings.sourceName(origin),
                    values: report.buckets.map { bucket in
                        report.series.first { $0.bucket == bucket && $0.origin == origin }?.count ?? 0
                    }, colour: Self.seriesColours[i % Self.seriesColours.count])
            },
            title: req.t("analysis.chart_title_\(query.period.rawValue)"))
        chart.number = DecimalText.grouped
        let chartTable = ChartData(
            rowHeading: req.t("risks_period"), columns: chart.series.map(\.name),
            rows: chart.labels.indices.map { i in (chart.labels[i], chart.series.map { $0.values[i] }) })
        let warning = report.earlyWarning
        let model = IncidentAnalysisPage.Model(
            code: context.operation.code,
            filters: try await Self.filters(query, operation: context.operation, areaLevel: report.areaLevel, on: req),
            errors: errors, total: report.total, previousTotal: report.previousTotal,
            changePercent: report.changePercent,
            partial: AccessPolicy.seesPartialPicture(in: context.operation.id, by: context.viewer),
            chart: chart.render(), chartTable: chartTable, leftOutOfSeries: report.leftOutOfSeries,
            categories: report.categories.map {
                .init(category: $0.category, count: $0.count, previous: $0.previous, changePercent: $0.changePercent)
            },
            areas: report.areas.map {
                .init(pcode: $0.pcode, name: $0.name, total: $0.total, byCategory: $0.byCategory)
            },
            casualties: report.casualties.map {
                .init(
                    harm: $0.harm, counts: [$0.national, $0.international, $0.female, $0.male, $0.unknownSex, $0.total])
            },
            fatalities: report.fatalities,
            rule: EarlyWarningRule(
                recentDays: warning.recentDays, baselineDays: warning.baselineDays, alpha: warning.alpha,
                minimumCount: warning.minimumCount),
            windowEnd: warning.windowEnd,
            warnings: warning.areas.map {
                .init(
                    pcode: $0.pcode, name: $0.name, recent: $0.recent, expected: $0.expected, pValue: $0.pValue,
                    flagged: $0.flagged)
            },
            query: query.queryItems)
        return Page.render(req, title: req.t("analysis.title")) { IncidentAnalysisPage.view(model, $0) }
    }

    /// The query the page was asked for; when it cannot be read, the default view and why
    /// (the messages quote the value given, so they stay in English).
    static func query(_ req: Request) throws -> (IncidentQuery, [String]) {
        do { return (try IncidentQuery.parse(req.url.query, now: req.now), []) } catch {
            return (try IncidentQuery.parse(nil, now: req.now), error.errors.map(\.message))
        }
    }

    /// The filter form's choices, which the analysis and the map share.
    static func filters(_ query: IncidentQuery, operation: OperationRecord, areaLevel: Int?, on req: Request)
        async throws
        -> IncidentFilterForm
    {
        let sources = try await ContextEventStore(req.db).sources(operationID: operation.id)
        let (shapes, _) = try await req.areaShapes.shapes(for: operation, on: req.db)
        let names = try await req.areaShapes.names(for: operation, language: req.language, on: req.db)
        let areas = shapes.map(\.row).filter { (1...2).contains($0.level) }
            .map { IncidentFilterForm.Area(pcode: $0.pcode, name: names[$0.pcode] ?? $0.name, level: $0.level) }
            .sorted { ($0.level, $0.name) < ($1.level, $1.name) }
        return IncidentFilterForm(
            from: query.fromDay, to: query.toDay, period: query.period, areas: areas, area: query.filter.areaPcode,
            levels: AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) }).levels,
            level: areaLevel,
            sources: [ContextEvent.Source.ownName] + sources, chosenSources: query.filter.sources,
            categories: query.filter.categories, actorTypes: query.filter.actorTypes,
            severities: query.filter.severities)
    }

    // MARK: Map

    /// `GET …/incidents/map?…filters&show=areas`: the choropleth, with points or counted squares.
    func map(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let (query, errors) = try Self.query(req)
        let areasOnly = req.query[String.self, at: "show"] == "areas"
        let result = try await IncidentMapService(request: req).render(
            query, operation: context.operation, scope: scope, areasOnly: areasOnly)
        var drawn: String?
        if !areasOnly, result.located > 0 {
            drawn =
                result.squareSize.map { size in
                    req.t("map.grid").replacingOccurrences(of: "{count}", with: String(result.drawnTotal))
                        .replacingOccurrences(
                            of: "{size}",
                            with: size.formatted(
                                .number.precision(.fractionLength(0...2)).locale(Locale(identifier: "en_US_POSIX"))))
                } ?? req.t("map.points").replacingOccurrences(of: "{count}", with: String(result.drawnTotal))
        }
        let model = IncidentMapPage.Model(
            code: context.operation.code,
            filters: try await Self.filters(query, operation: context.operation, areaLevel: result.level, on: req),
            errors: errors, areasOnly: areasOnly, map: result.svg, drawn: drawn, unplaced: result.unlocated,
            query: query.queryItems,
            noneVisible: result.located + result.unlocated == 0
                && AccessPolicy.seesPartialPicture(in: context.operation.id, by: context.viewer))
        return Page.render(req, title: req.t("incident_map.title")) { IncidentMapPage.view(model, $0) }
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
        do { query = try IncidentQuery.parse(req.url.query, now: req.now) } catch {
            throw Abort(.badRequest, reason: error.description)
        }
        return IncidentDownload.response(
            format: format, query: query, operation: context.operation, scope: scope, on: req)
    }
}
