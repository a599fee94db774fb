import Domain
import Foundation
import Geo
import Persistence
import Vapor

/// The flow analysis: people per day or week by direction with a 7-day moving average and the
/// change against the period before, totals per point, origin → destination, sex × age and the
/// share of people in vulnerable situations. Every figure says where it comes from and when.
struct FlowAnalysisController {
    struct Context: Encodable {
        let code: String; let from: String; let to: String; let period: String; let pointOptions: HTMLFragment; let chart: String
        let rows: HTMLFragment; let summary: HTMLFragment; let points: HTMLFragment; let matrix: HTMLFragment; let hasMatrix: Bool
        let pyramid: String; let hasPyramid: Bool; let vulnerable: HTMLFragment; let source: String; let error: String?
        let flowMap: String; let unplaced: HTMLFragment; let hasUnplaced: Bool
    }

    func page(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let store = FlowStore(req.db)
        let now = Date()
        var error: String?
        let today = AnalysisPeriods.calendar.startOfDay(for: now)
        var from = today.addingTimeInterval(-29 * 86_400)
        var to = today
        if let text = try? req.query.get(String.self, at: "from"), !text.isEmpty {
            if let date = IncidentController.parseTime(text) { from = date } else { error = req.t("error.date") }
        }
        if let text = try? req.query.get(String.self, at: "to"), !text.isEmpty {
            if let date = IncidentController.parseTime(text) { to = date } else { error = req.t("error.date") }
        }
        if to < from { (from, to) = (to, from) }
        let weekly = (try? req.query.get(String.self, at: "period")) == "week"
        let points = try await store.points(in: scope)
        let point = (try? req.query.get(String.self, at: "point")).flatMap(UUID.init(uuidString:)).flatMap { id in points.contains { $0.site.id == id } ? id : nil }
        let end = to.addingTimeInterval(86_400)  // the last day included
        let selection = FlowStore.Selection(from: from, to: end, point: point)
        let daily = try await store.daily(in: scope, selection)
        let previousWindow = AnalysisPeriods.previous(from: from, to: end)
        let previous = try await store.daily(in: scope, FlowStore.Selection(from: previousWindow.from, to: previousWindow.to, point: point))

        // Per day (or week) and direction.
        let days = FlowTrends.days(from: from, to: to)
        var byDay: [String: [FlowDirection: Int]] = [:]
        for row in daily { byDay[row.day, default: [:]][row.direction, default: 0] += row.total }
        let labels: [String]
        var series: [FlowDirection: [Int]] = [:]
        if weekly {
            labels = AnalysisPeriods.labels(.week, from: from, to: end)
            // Each day's week once (parsing a day per week per direction cost seconds over a year).
            var weekOf: [String: String] = [:]
            var day = AnalysisPeriods.calendar.startOfDay(for: from)
            for label in days {
                weekOf[label] = AnalysisPeriods.label(.week, AnalysisPeriods.start(of: .week, containing: day))
                day = day.addingTimeInterval(86_400)
            }
            var byWeek: [String: [FlowDirection: Int]] = [:]
            for (label, values) in byDay { if let week = weekOf[label] { for (d, n) in values { byWeek[week, default: [:]][d, default: 0] += n } } }
            for direction in FlowDirection.allCases { series[direction] = labels.map { byWeek[$0]?[direction] ?? 0 } }
        } else {
            labels = days
            for direction in FlowDirection.allCases { series[direction] = days.map { byDay[$0]?[direction] ?? 0 } }
        }
        let totals = labels.indices.map { i in FlowDirection.allCases.reduce(0) { $0 + (series[$1]?[i] ?? 0) } }
        let averages = FlowTrends.movingAverage(totals, window: 7)
        let colours: [FlowDirection: String] = [.incoming: "#1f78b4", .outgoing: "#e31a1c", .transit: "#6a3d9a"]
        var chart = SVGBarChart(labels: labels, series: FlowDirection.allCases.map {
            SVGBarChart.Series(name: req.t($0.labelKey), values: series[$0] ?? [], colour: colours[$0]!)
        }, title: req.t("flow_analysis.chart"))
        chart.width = 720
        var rows = HTMLFragment()
        for (i, label) in labels.enumerated().reversed() {
            rows.markup("<tr><td dir=\"ltr\" class=\"nowrap\">")
            rows.text(label)
            rows.markup("</td>")
            for direction in FlowDirection.allCases {
                rows.markup("<td class=\"score\">")
                rows.text(series[direction]?[i] ?? 0)
                rows.markup("</td>")
            }
            rows.markup("<td class=\"score\"><strong>")
            rows.text(totals[i])
            rows.markup("</strong></td><td class=\"score\">")
            if weekly {
                rows.text(i > 0 ? (AnalysisPeriods.change(from: totals[i - 1], to: totals[i]).map { Self.percent($0) } ?? "—") : "—")
            } else {
                rows.text(averages[i].map { DecimalText.fixed($0, digits: 1) } ?? "—")
            }
            rows.markup("</td></tr>")
        }
        // The period against the one before, per direction.
        var summary = HTMLFragment()
        for direction in FlowDirection.allCases {
            let now = daily.filter { $0.direction == direction }.reduce(0) { $0 + $1.total }
            let before = previous.filter { $0.direction == direction }.reduce(0) { $0 + $1.total }
            summary.markup("<li>")
            summary.text(req.t(direction.labelKey))
            summary.markup(": <strong>")
            summary.text(now)
            summary.markup("</strong> (")
            summary.text(req.t("flow_analysis.before").replacingOccurrences(of: "{count}", with: String(before)))
            summary.markup(", ")
            summary.text(AnalysisPeriods.change(from: before, to: now).map { Self.percent($0) } ?? "—")
            summary.markup(")</li>")
        }
        // Per point.
        var perPoint = HTMLFragment()
        let names = Dictionary(uniqueKeysWithValues: points.map { ($0.site.id, $0.site.name) })
        var pointTotals: [UUID: [FlowDirection: Int]] = [:]
        for row in daily { pointTotals[row.pointID, default: [:]][row.direction, default: 0] += row.total }
        for (id, values) in pointTotals.sorted(by: { (names[$0.key] ?? "") < (names[$1.key] ?? "") }) {
            perPoint.markup("<tr><td>")
            perPoint.text(names[id] ?? "—")
            perPoint.markup("</td>")
            for direction in FlowDirection.allCases {
                perPoint.markup("<td class=\"score\">")
                perPoint.text(values[direction] ?? 0)
                perPoint.markup("</td>")
            }
            perPoint.markup("</tr>")
        }
        // Origin → destination: the ten largest origins and destinations.
        let pairs = try await store.originDestination(in: scope, selection)
        let origins = Dictionary(grouping: pairs, by: \.origin).mapValues { $0.reduce(0) { $0 + $1.total } }.sorted { $0.value > $1.value }.prefix(10).map(\.key)
        let destinations = Dictionary(grouping: pairs, by: \.destination).mapValues { $0.reduce(0) { $0 + $1.total } }.sorted { $0.value > $1.value }
            .prefix(10).map(\.key)
        var matrix = HTMLFragment()
        if !pairs.isEmpty {
            matrix.tableHead([req.t("flow_analysis.origin_destination")] + destinations)
            matrix.markup("<tbody>")
            for origin in origins {
                matrix.markup("<tr><th scope=\"row\">")
                matrix.text(Countries.names[origin].map { "\($0) (\(origin))" } ?? origin)
                matrix.markup("</th>")
                for destination in destinations {
                    matrix.markup("<td class=\"score\">")
                    matrix.text(pairs.first { $0.origin == origin && $0.destination == destination }?.total ?? 0)
                    matrix.markup("</td>")
                }
                matrix.markup("</tr>")
            }
            matrix.markup("</tbody>")
        }
        // Sex × age, and people in vulnerable situations.
        let profile = try await store.profile(in: scope, selection)
        let ages = ["0_4", "5_11", "12_17", "18_59", "60", "other"]
        var pyramid = SVGBarChart(labels: ages.map { req.t("flows.age_\($0)") }, series: [
            SVGBarChart.Series(name: req.t("flows.women"), values: ages.map { profile.bins["f_\($0)"] ?? 0 }, colour: "#b2182b"),
            SVGBarChart.Series(name: req.t("flows.men"), values: ages.map { profile.bins["m_\($0)"] ?? 0 }, colour: "#2166ac"),
        ], title: req.t("flow_analysis.pyramid"))
        pyramid.width = 560
        var vulnerable = HTMLFragment()
        for vulnerability in FlowVulnerability.allCases {
            let n = profile.vulnerable[vulnerability] ?? 0
            vulnerable.markup("<tr><td>")
            vulnerable.text(req.t(vulnerability.labelKey))
            vulnerable.markup("</td><td class=\"score\">")
            vulnerable.text(n)
            vulnerable.markup("</td><td class=\"score\">")
            vulnerable.text(profile.people > 0 ? Self.share(n, of: profile.people) : "—")
            vulnerable.markup("</td></tr>")
        }
        // The flow map, and what could not be put on it.
        let flowMap = try await FlowMapService(request: req).render(context, scope: scope, selection: selection, points: points, width: 960)
        var unplaced = HTMLFragment()
        for (place, people) in flowMap.unplaced.prefix(12) {
            unplaced.markup("<li>")
            unplaced.text(place)
            unplaced.markup(": ")
            unplaced.text(PopulationController.number(Int64(people)))
            unplaced.markup("</li>")
        }
        var pointOptions = HTMLFragment()
        pointOptions.options([("", req.t("all"), point == nil)] + points.map { ($0.site.id.uuidString, $0.site.name, $0.site.id == point) })
        let source = req.t("flow_analysis.source")
            .replacingOccurrences(of: "{count}", with: String(points.count))
            .replacingOccurrences(of: "{from}", with: AnalysisPeriods.day(from)).replacingOccurrences(of: "{to}", with: AnalysisPeriods.day(to))
        return try await Page.render("flow-analysis", Context(
            code: context.operation.code, from: AnalysisPeriods.day(from), to: AnalysisPeriods.day(to), period: weekly ? "week" : "day",
            pointOptions: pointOptions, chart: chart.render(), rows: rows, summary: summary, points: perPoint, matrix: matrix, hasMatrix: !pairs.isEmpty,
            pyramid: pyramid.render(), hasPyramid: profile.disaggregatedPeople > 0, vulnerable: vulnerable, source: source, error: error,
            flowMap: flowMap.svg, unplaced: unplaced, hasUnplaced: !flowMap.unplaced.isEmpty),
            title: req.t("flow_analysis.title"), for: req, status: error == nil ? .ok : .unprocessableEntity)
    }

    static func percent(_ value: Double) -> String { (value > 0 ? "+" : "") + DecimalText.fixed(value, digits: 0) + " %" }
    static func share(_ n: Int, of total: Int) -> String { DecimalText.fixed(Double(n) / Double(total) * 100, digits: 1) + " %" }
}
