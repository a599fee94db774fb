import Domain
import Foundation
import Geo

/// The flow analysis: people per day or week by direction, the period against the one before,
/// totals per point, origin → destination, the flow map, sex × age and people in vulnerable
/// situations. Every figure says where it comes from and when.
public enum FlowAnalysisPage {
    public struct Model: Sendable {
        public struct Period: Sendable {
            public let label: String
            public let incoming: Int
            public let outgoing: Int
            public let transit: Int
            public let total: Int
            /// Weekly: the change against the week before; daily: the 7-day moving average.
            public let trend: String

            public init(label: String, incoming: Int, outgoing: Int, transit: Int, total: Int, trend: String) {
                self.label = label
                self.incoming = incoming
                self.outgoing = outgoing
                self.transit = transit
                self.total = total
                self.trend = trend
            }
        }

        public struct Direction: Sendable {
            public let direction: String
            public let people: Int
            public let previous: Int
            public let change: String

            public init(direction: String, people: Int, previous: Int, change: String) {
                self.direction = direction
                self.people = people
                self.previous = previous
                self.change = change
            }
        }

        public let code: String
        public let from: String
        public let to: String
        public let weekly: Bool
        public let points: [Choice]
        public let source: String
        public let error: String?
        public let directions: [Direction]
        public let chart: SVG
        /// Newest first.
        public let periods: [Period]
        public let perPoint: [(name: String, incoming: Int, outgoing: Int, transit: Int)]
        /// Origins down, destinations across (already named), people in each cell; nil when nothing was counted.
        public let matrix: (origins: [String], destinations: [String], people: [[Int]])?
        public let flowMap: SVG
        public let mapQuery: [(String, String)]
        public let unplaced: [(place: String, people: Int)]
        /// The sex × age pyramid and its figures.
        public let pyramid: (svg: SVG, table: ChartData)?
        public let vulnerable: [(situation: String, people: Int, share: String)]
        /// The reader sees part of the tallies by design: counts without a comparison with the period
        /// before, and no table of zeros when none is visible.
        public var partial = false

        public init(
            code: String, from: String, to: String, weekly: Bool, points: [Choice], source: String, error: String?,
            directions: [Direction], chart: SVG, periods: [Period],
            perPoint: [(name: String, incoming: Int, outgoing: Int, transit: Int)],
            matrix: (origins: [String], destinations: [String], people: [[Int]])?, flowMap: SVG,
            mapQuery: [(String, String)],
            unplaced: [(place: String, people: Int)], pyramid: (svg: SVG, table: ChartData)?,
            vulnerable: [(situation: String, people: Int, share: String)]
        ) {
            self.code = code
            self.from = from
            self.to = to
            self.weekly = weekly
            self.points = points
            self.source = source
            self.error = error
            self.directions = directions
            self.chart = chart
            self.periods = periods
            self.perPoint = perPoint
            self.matrix = matrix
            self.flowMap = flowMap
            self.mapQuery = mapQuery
            self.unplaced = unplaced
            self.pyramid = pyramid
            self.vulnerable = vulnerable
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("flows_title"), .flows(code))])
        html.markup("<h1>")
        html.text(t("flow_analysis_title"))
        html.markup("</h1>\n")
        html.alert(m.error)
        html.markup("<form id=\"flow-filter\" method=\"get\" action=\"")
        html.url(.flowAnalysis(code))
        html.markup("\" class=\"inline\">\n  <label for=\"from\">")
        html.text(t("flows_from"))
        html.markup("</label> <input id=\"from\" name=\"from\" type=\"date\"")
        html.attribute("value", m.from)
        html.markup(" dir=\"ltr\">\n  <label for=\"to\">")
        html.text(t("flows_to"))
        html.markup("</label> <input id=\"to\" name=\"to\" type=\"date\"")
        html.attribute("value", m.to)
        html.markup(" dir=\"ltr\">\n  <label for=\"point\">")
        html.text(t("flows_point"))
        html.markup("</label> <select id=\"point\" name=\"point\">")
        html.options(m.points)
        html.markup("</select>\n  <label for=\"period\">")
        html.text(t("flow_analysis_period"))
        html.markup("</label>\n  <select id=\"period\" name=\"period\">")
        html.options([
            Choice(value: "day", label: t("flow_analysis_day"), selected: !m.weekly),
            Choice(value: "week", label: t("flow_analysis_week"), selected: m.weekly),
        ])
        html.markup("</select>\n  <button type=\"submit\">")
        html.text(t("analysis_apply"))
        html.markup("</button>\n</form>\n<p id=\"flow-source\"><small>")
        html.text(m.source)
        html.markup("</small></p>\n<section id=\"summary\"><h2>")
        html.text(t(m.partial ? "flow_analysis_this_period" : "flow_analysis_against_before"))
        html.markup("</h2><ul>")
        for direction in m.directions {
            html.markup("<li>")
            html.text(t("flow_direction." + direction.direction))
            html.markup(": <strong>")
            html.text(direction.people)
            html.markup("</strong>")
            if !m.partial {
                html.markup(" (")
                html.text(
                    t("flow_analysis.before").replacingOccurrences(of: "{count}", with: String(direction.previous))
                        + ", " + direction.change)
                html.markup(")")
            }
            html.markup("</li>")
        }
        html.markup("</ul></section>\n")
        if m.partial && m.directions.allSatisfy({ $0.people == 0 }) {
            html.markup("<p id=\"flow-none\">")
            html.text(t("flows_none"))
            html.markup("</p>\n")
        } else {
            html.markup("<figure class=\"chart\">")
            html.svg(m.chart)
            html.markup("</figure>\n<table class=\"list\" id=\"flow-trend\">\n")
            html.tableHead([
                t(m.weekly ? "flow_analysis_week" : "flow_analysis_day"), t("flow_direction_incoming"),
                t("flow_direction_outgoing"),
                t("flow_direction_transit"), t("flow_analysis_total"),
                t(m.weekly ? "flow_analysis_change" : "flow_analysis_average"),
            ])
            html.markup("\n<tbody>")
            for period in m.periods {
                html.markup("<tr><td dir=\"ltr\" class=\"nowrap\">")
                html.text(period.label)
                html.markup("</td>")
                for n in [period.incoming, period.outgoing, period.transit] {
                    html.markup("<td class=\"score\">")
                    html.text(n)
                    html.markup("</td>")
                }
                html.markup("<td class=\"score\"><strong>")
                html.text(period.total)
                html.markup("</strong></td><td class=\"score\">")
                html.text(period.trend)
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table>\n")
        }
        html.markup("<section id=\"per-point\"><h2>")
        html.text(t("flows_points"))
        html.markup("</h2>\n<table class=\"list\">")
        html.tableHead([
            t("flows_point"), t("flow_direction_incoming"), t("flow_direction_outgoing"), t("flow_direction_transit"),
        ])
        html.markup("\n<tbody>")
        for point in m.perPoint {
            html.markup("<tr><td>")
            html.text(point.name)
            html.markup("</td>")
            for n in [point.incoming, point.outgoing, point.transit] {
                html.markup("<td class=\"score\">")
                html.text(n)
                html.markup("</td>")
            }
            html.markup("</tr>")
        }
        html.markup("</tbody></table></section>\n<section id=\"od-matrix\"><h2>")
        html.text(t("flow_analysis_origin_destination"))
        html.markup("</h2>\n")
        if let matrix = m.matrix {
            html.markup("<table class=\"list\">")
            html.tableHead([t("flow_analysis.origin_destination")] + matrix.destinations)
            html.markup("<tbody>")
            for (origin, row) in zip(matrix.origins, matrix.people) {
                html.markup("<tr><th scope=\"row\">")
                html.text(origin)
                html.markup("</th>")
                for people in row {
                    html.markup("<td class=\"score\">")
                    html.text(people)
                    html.markup("</td>")
                }
                html.markup("</tr>")
            }
            html.markup("</tbody></table>")
        } else {
            html.paragraph(t("flows_none"))
        }
        html.markup("</section>\n<section id=\"flow-map\"><h2>")
        html.text(t("flow_analysis_map"))
        html.markup("</h2>\n<figure class=\"map\">")
        html.svg(m.flowMap)
        html.markup("<figcaption><small>")
        html.text(t("flow_analysis_map_note"))
        html.markup("</small> <a href=\"")
        html.text(SiteURL.flowMap(code).path(query: m.mapQuery))
        html.markup("\" download>")
        html.text(t("flow_analysis_map_download"))
        html.markup("</a></figcaption></figure>\n")
        html.tableLink("od-matrix", t)
        if !m.unplaced.isEmpty {
            html.paragraph(t("flow_analysis_map_unplaced"))
            html.markup("<ul id=\"flow-unplaced\">")
            for row in m.unplaced {
                html.markup("<li>")
                html.text(row.place + ": " + DecimalText.grouped(Int64(row.people)))
                html.markup("</li>")
            }
            html.markup("</ul>")
        }
        html.markup("</section>\n<div class=\"grid halves\">\n<section id=\"pyramid\"><h2>")
        html.text(t("flow_analysis_pyramid"))
        html.markup("</h2>\n")
        if let pyramid = m.pyramid {
            html.markup("<figure class=\"chart\">")
            html.svg(pyramid.svg)
            html.markup("</figure>")
            html.chartTable(pyramid.table, id: "pyramid-table", t)
        } else {
            html.paragraph(t("flow_analysis_no_breakdown"))
        }
        html.markup("</section>\n<section id=\"vulnerable\"><h2>")
        html.text(t("flows_vulnerable"))
        html.markup("</h2>\n<table class=\"list\"><tbody>")
        for row in m.vulnerable {
            html.markup("<tr><td>")
            html.text(t("vulnerability." + row.situation))
            html.markup("</td><td class=\"score\">")
            html.text(row.people)
            html.markup("</td><td class=\"score\">")
            html.text(row.share)
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table></section>\n</div>\n")
        return html
    }
}
