import Domain
import Foundation
import Geo
import Persistence
import Vapor
import Views

/// The flow analysis: people per day or week by direction with a 7-day moving average and the
/// change against the period before, totals per point, origin → destination, sex × age and the
/// share of people in vulnerable situations. Every figure says where it comes from and when.
struct FlowAnalysisController {
    struct Context: Encodable {
        let code: String; let from: String; let to: String; let period: String; let pointOptions: HTMLFragment; let chart: String
        let rows: HTMLFragment; let summary: HTMLFragment; let points: HTMLFragment; let matrix: HTMLFragment; let hasMatrix: Bool
        let pyramid: String; let hasPyramid: Bool; let vulnerable: HTMLFragment; let source: String; let error: String?
        let flowMap: String; let unplaced: HTMLFragment; let hasUnplaced: Bool; let mapQuery: String
    }

    func page(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        var problem: String?
        let query: FlowQuery
        do { query = try FlowQuery.parse(req.url.query) } catch {
            problem = error.errors.map(\.message).joined(separator: " ")  // they quote the value given, so they stay in English
            query = try FlowQuery.parse(nil)
        }
        let report = try await FlowAnalysisService(database: req.db).analyse(query, operation: context.operation, scope: scope, on: req)
        let directions = FlowDirection.allCases
        func count(_ period: FlowAnalysisService.Report.Period, _ direction: FlowDirection) -> Int {
            switch direction { case .incoming: period.incoming; case .outgoing: period.outgoing; case .transit: period.transit }
        }
        let colours: [FlowDirection: String] = [.incoming: "#1f78b4", .outgoing: "#e31a1c", .transit: "#6a3d9a"]
        var chart = SVGBarChart(labels: report.series.map(\.period), series: directions.map { direction in
            SVGBarChart.Series(name: req.t(direction.labelKey), values: report.series.map { count($0, direction) }, colour: colours[direction]!)
        }, title: req.t("flow_analysis.chart"))
        chart.width = 720
        var rows = HTMLFragment()
        for period in report.series.reversed() {
            rows.markup("<tr><td dir=\"ltr\" class=\"nowrap\">")
            rows.text(period.period)
            rows.markup("</td>")
            for direction in directions {
                rows.markup("<td class=\"score\">")
                rows.text(count(period, direction))
                rows.markup("</td>")
            }
            rows.markup("<td class=\"score\"><strong>")
            rows.text(period.total)
            rows.markup("</strong></td><td class=\"score\">")
            if query.weekly {
                rows.text(period.changePercent.map { Self.percent($0) } ?? "—")
            } else {
                rows.text(period.movingAverage.map { DecimalText.fixed($0, digits: 1) } ?? "—")
            }
            rows.markup("</td></tr>")
        }
        // The period against the one before, per direction.
        var summary = HTMLFragment()
        for direction in report.directions {
            summary.markup("<li>")
            summary.text(req.t("flow_direction.\(direction.direction)"))
            summary.markup(": <strong>")
            summary.text(direction.people)
            summary.markup("</strong> (")
            summary.text(req.t("flow_analysis.before").replacingOccurrences(of: "{count}", with: String(direction.previous)))
            summary.markup(", ")
            summary.text(direction.changePercent.map { Self.percent($0) } ?? "—")
            summary.markup(")</li>")
        }
        var perPoint = HTMLFragment()
        for point in report.points {
            perPoint.markup("<tr><td>")
            perPoint.text(point.name)
            perPoint.markup("</td>")
            for n in [point.incoming, point.outgoing, point.transit] {
                perPoint.markup("<td class=\"score\">")
                perPoint.text(n)
                perPoint.markup("</td>")
            }
            perPoint.markup("</tr>")
        }
        // Origin → destination: the ten largest origins and destinations.
        let pairs = report.originDestination
        func largest(_ key: KeyPath<FlowAnalysisService.Report.Pair, String>) -> [String] {
            Dictionary(grouping: pairs, by: { $0[keyPath: key] }).mapValues { $0.reduce(0) { $0 + $1.people } }
                .sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10).map(\.key)
        }
        let origins = largest(\.origin), destinations = largest(\.destination)
        // A country code is named in the reader's language with the code after it; other places as written.
        func place(_ text: String) -> String { Countries.name(text, in: req.language).map { "\($0) (\(text))" } ?? text }
        var matrix = HTMLFragment()
        if !pairs.isEmpty {
            matrix.tableHead([req.t("flow_analysis.origin_destination")] + destinations.map(place))
            matrix.markup("<tbody>")
            for origin in origins {
                matrix.markup("<tr><th scope=\"row\">")
                matrix.text(place(origin))
                matrix.markup("</th>")
                for destination in destinations {
                    matrix.markup("<td class=\"score\">")
                    matrix.text(pairs.first { $0.origin == origin && $0.destination == destination }?.people ?? 0)
                    matrix.markup("</td>")
                }
                matrix.markup("</tr>")
            }
            matrix.markup("</tbody>")
        }
        // Sex × age, and people in vulnerable situations.
        let profile = report.profile
        let ages = ["0_4", "5_11", "12_17", "18_59", "60", "other"]
        let pyramid = SVGPyramid(rows: ages.map { age in
            SVGPyramid.Row(label: req.t("flows.age_\(age)"), men: profile.sexAge["m_\(age)"] ?? 0, women: profile.sexAge["f_\(age)"] ?? 0)
        }, title: req.t("flow_analysis.pyramid"), menLabel: req.t("flows.men"), womenLabel: req.t("flows.women"))
        var vulnerable = HTMLFragment()
        for row in profile.vulnerable {
            vulnerable.markup("<tr><td>")
            vulnerable.text(req.t("vulnerability.\(row.situation)"))
            vulnerable.markup("</td><td class=\"score\">")
            vulnerable.text(row.people)
            vulnerable.markup("</td><td class=\"score\">")
            vulnerable.text(row.sharePercent.map { DecimalText.fixed($0, digits: 1) + " %" } ?? "—")
            vulnerable.markup("</td></tr>")
        }
        // The flow map, and what could not be put on it.
        let flowMap = try await FlowMapService(request: req).svg(report.flowMap, operation: context.operation)
        var unplaced = HTMLFragment()
        for row in report.flowMap.unplaced.prefix(12) {
            unplaced.markup("<li>")
            unplaced.text(row.place)
            unplaced.markup(": ")
            unplaced.text(DecimalText.grouped(Int64(row.people)))
            unplaced.markup("</li>")
        }
        let points = try await FlowStore(req.db).points(in: scope)
        var pointOptions = HTMLFragment()
        pointOptions.options([("", req.t("all"), report.query.point == nil)] + points.map { ($0.site.id.uuidString, $0.site.name, $0.site.id == report.query.point) })
        let source = req.t("flow_analysis.source")
            .replacingOccurrences(of: "{count}", with: String(report.source.points))
            .replacingOccurrences(of: "{from}", with: report.source.from).replacingOccurrences(of: "{to}", with: report.source.to)
        return try await Page.render("flow-analysis", Context(
            code: context.operation.code, from: report.query.from, to: report.query.to, period: report.query.period,
            pointOptions: pointOptions, chart: chart.render().markup, rows: rows, summary: summary, points: perPoint, matrix: matrix, hasMatrix: !pairs.isEmpty,
            pyramid: pyramid.render().markup, hasPyramid: profile.disaggregatedPeople > 0, vulnerable: vulnerable, source: source, error: problem,
            flowMap: flowMap.markup, unplaced: unplaced, hasUnplaced: !report.flowMap.unplaced.isEmpty, mapQuery: query.queryString),
            title: req.t("flow_analysis.title"), for: req, status: problem == nil ? .ok : .unprocessableEntity)
    }

    /// `GET …/flows/map.svg`: the flow map alone, to download or put in a report.
    func map(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let query: FlowQuery
        do { query = try FlowQuery.parse(req.url.query) } catch {
            throw Abort(.badRequest, reason: error.description)
        }
        // Only the map's own query, not the whole analysis.
        let points = try await FlowStore(req.db).points(in: scope)
        var selection = query.selection
        selection.point = query.point.flatMap { id in points.contains { $0.site.id == id } ? id : nil }
        let service = FlowMapService(request: req)
        let places = try await service.places(context.operation, scope: scope, selection: selection, points: points)
        let svg = try await service.svg(FlowAnalysisService.flowMap(places), operation: context.operation)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"flow-map-\(context.operation.code).svg\"")
        return Response(status: .ok, headers: headers, body: .init(string: svg.markup))
    }

    static func percent(_ value: Double) -> String { (value > 0 ? "+" : "") + DecimalText.fixed(value, digits: 0) + " %" }
}
