import Foundation
import Testing

@testable import Geo

@Suite("SVG charts and counted map squares")
struct SVGBarChartTests {
    @Test("bars stack by series, the axis top is a round number, and every text is escaped")
    func stackedBars() throws {
        let chart = SVGBarChart(
            labels: ["2026-10", "2026-11"],
            series: [
                .init(name: "Own <b>", values: [3, 0], colour: "#b3261e"),
                .init(name: "AWSD", values: [4, 2], colour: "javascript:x"),
            ],
            title: "Incidents & more")
        let svg = chart.render().markup
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.contains("Own &lt;b&gt;") && !svg.contains("<b>"))
        #expect(svg.contains("<title>Incidents &amp; more</title>"))
        #expect(
            svg.components(separatedBy: "<rect x=").count - 1 == 3 + 2, "three bars of values and two legend swatches")
        #expect(!svg.contains("javascript"), "an invalid colour falls back")
        #expect(svg.contains(">10</text>"), "7 rounds up to an axis of 10")
        #expect(
            SVGBarChart.niceTop(0) == 1 && SVGBarChart.niceTop(7) == 10 && SVGBarChart.niceTop(11) == 20
                && SVGBarChart.niceTop(250) == 500)
    }

    @Test("counted squares on a map carry their counts, which add up to the total drawn")
    func clusters() {
        let square = MultiPolygon(polygons: [
            Polygon(exterior: [
                Coordinate(longitude: 30, latitude: 10), Coordinate(longitude: 34, latitude: 10),
                Coordinate(longitude: 34, latitude: 14),
                Coordinate(longitude: 30, latitude: 14), Coordinate(longitude: 30, latitude: 10),
            ])
        ])
        var area = MapArea(id: "SD01", name: "Area: 9", level: 1, geometry: square)
        area.fill = "#fb6a4a"
        let svg = SVGMapRenderer.text(
            MapRequest(
                areas: [area],
                clusters: [
                    .init(coordinate: Coordinate(longitude: 31, latitude: 11), count: 7, title: "7"),
                    .init(coordinate: Coordinate(longitude: 33, latitude: 13), count: 2, title: "2"),
                ],
                extraLegend: [MapCategoryStyle(category: "class-0", label: "1–9", shape: .square, fill: "#fb6a4a")],
                title: "Incidents"))
        let counts = svg.components(separatedBy: "data-count=\"").dropFirst().compactMap {
            Int($0.prefix { $0.isNumber })
        }
        #expect(counts.sorted() == [2, 7] && counts.reduce(0, +) == 9)
        #expect(svg.contains("fill=\"#fb6a4a\"><title>Area: 9</title>"), "the choropleth fill")
        #expect(svg.contains(">1–9</text>"), "the class in the legend, without a count")
    }
}

@Suite("Chart axes: a tick is never cut, and no value traps")
struct ChartAxisTests {
    static let grouped: @Sendable (Int) -> String = { value in
        let digits = String(value)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "\u{202F}" }
            out.append(c)
        }
        return out
    }

    /// The left edge of each tick's text, at about 7 units a character (12-unit digits are narrower).
    static func tickEdges(_ svg: String) -> [(text: String, edge: Double)] {
        svg.components(separatedBy: "<text x=\"").dropFirst().compactMap { part in
            guard part.contains("text-anchor=\"end\""), let x = Double(part.prefix { $0 != "\"" }),
                let open = part.firstIndex(of: ">"), let close = part.firstIndex(of: "<")
            else { return nil }
            let text = String(part[part.index(after: open)..<close])
            return (text, x - 7 * Double(text.count))
        }
    }

    @Test("millions of people: the axis writes them grouped and makes room for the widest")
    func millions() {
        var chart = SVGBarChart(
            labels: ["2023", "2024"],
            series: [.init(name: "IDPs", values: [3_600_000, 11_500_000], colour: "#08519c")],
            title: "Displaced")
        chart.number = Self.grouped
        let svg = chart.render().markup
        #expect(svg.contains(">20\u{202F}000\u{202F}000</text>") && svg.contains(">10\u{202F}000\u{202F}000</text>"))
        let edges = Self.tickEdges(svg)
        #expect(edges.count == 3)
        #expect(edges.allSatisfy { $0.edge >= 0 }, "every tick whole: \(edges)")
        // The old fixed margin of 40 would have started "20 000 000" at about -34.
        var projection = SVGProjectionChart(
            labels: ["2026-09", "2026-10"], projected: [1_200_000, 1_300_000], low: [1_000_000, 1_000_000],
            high: [1_500_000, 1_700_000], actual: [1_100_000, nil], title: "Projection", projectedLabel: "Projected",
            intervalLabel: "95 %", actualLabel: "Counted")
        projection.number = Self.grouped
        let projected = projection.render().markup
        #expect(projected.contains(">2\u{202F}000\u{202F}000</text>"))
        #expect(Self.tickEdges(projected).allSatisfy { $0.edge >= 0 })
        // Small numbers keep the old margins: the plot does not move.
        #expect(
            SVGBarChart(labels: ["a"], series: [.init(name: "n", values: [7], colour: "#000")], title: "t")
                .render().markup.contains("<line x1=\"40\" "))
    }

    @Test("values at the edge of Int, or not numbers, draw instead of trapping")
    func extremes() {
        #expect(SVGBarChart.niceTop(Int.max) == Int.max)
        #expect(
            SVGBarChart.whole(.nan) == 0 && SVGBarChart.whole(.infinity) == .max && SVGBarChart.whole(-1e30) == .min
                && SVGBarChart.whole(2.5) == 3 && SVGBarChart.whole(-2.4) == -2)
        #expect(SVGBarChart.total([Int.max, 1, -5]) == .max && SVGBarChart.total([3, -5, 4]) == 7)
        #expect(SVGBarChart.niceTop(3_000_000_000_000_000_000) == 5_000_000_000_000_000_000)
        #expect(SVGBarChart.niceTop(6_000_000_000_000_000_000) == 6_000_000_000_000_000_000)
        let huge = SVGBarChart(
            labels: ["a"],
            series: [
                .init(name: "x", values: [Int.max], colour: "#000"),
                .init(name: "y", values: [Int.max], colour: "#111"),
                .init(name: "z", values: [-5], colour: "#222"),
            ], title: "t"
        ).render().markup
        #expect(huge.hasSuffix("</svg>"))
        let odd = SVGProjectionChart(
            labels: ["m"], projected: [.infinity], low: [.nan], high: [1e30], actual: [nil], title: "t",
            projectedLabel: "p", intervalLabel: "i", actualLabel: "a"
        ).render().markup
        #expect(odd.hasSuffix("</svg>"))
        let pyramid = SVGPyramid(
            rows: [.init(label: "0–4", men: Int.max, women: Int.max), .init(label: "5–11", men: 3, women: -1)],
            title: "t", menLabel: "Men", womenLabel: "Women"
        ).render().markup
        #expect(pyramid.hasSuffix("</svg>"))
    }
}
