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
