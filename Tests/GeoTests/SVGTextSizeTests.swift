import Foundation
import Testing

@testable import Geo

/// Pages show every map and chart at its own size (`width` and `height` equal to the viewBox), never
/// shrunk; so a text's font size in the drawing is the size it is read at, and none may be below 12.
@Suite("Text in maps and charts")
struct SVGTextSizeTests {
    /// Every `<text>`'s font size (its own, else the nearest ancestor's) and the drawn size's
    /// agreement with the viewBox.
    static func check(_ svg: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let document = SVGDocument(svg)
        #expect(document.parseError == nil, "\(what)", sourceLocation: sourceLocation)
        guard let root = document.elements.first else { return }
        let box = (root.attributes["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
        #expect(
            box.count == 4 && Double(root.attributes["width"] ?? "") == box[2]
                && Double(root.attributes["height"] ?? "") == box[3],
            "\(what): drawn at its own size", sourceLocation: sourceLocation)
        let texts = document.elements.filter { $0.name == "text" }
        #expect(!texts.isEmpty, "\(what) has text", sourceLocation: sourceLocation)
        for text in texts {
            var size: Double?
            for element in [text] + text.ancestors.reversed().map({ document.elements[$0] }) {
                if let value = element.attributes["font-size"].flatMap(Double.init) {
                    size = value
                    break
                }
            }
            let shown = size.map { String($0) } ?? "no size"
            #expect((size ?? 0) >= 12, "\(what): “\(text.text)” at \(shown)", sourceLocation: sourceLocation)
        }
    }

    static let areas = [
        MapArea(
            id: "A", name: "Area A", level: 1,
            geometry: MultiPolygon(Polygon(exterior: TestData.square(30, 10, 31, 11)))),
        MapArea(
            id: "B", name: "Area B", level: 1,
            geometry: MultiPolygon(Polygon(exterior: TestData.square(31, 10, 32, 11)))),
    ]

    @Test("maps at any width: labels, legend, clusters and scale bar are at least 12 units, the drawing its own size")
    func maps() {
        for width in [320.0, 480, 720, 960] {
            let request = MapRequest(
                areas: Self.areas,
                sites: [
                    MapSite(
                        id: "s", name: "Camp", category: "camp", coordinate: Coordinate(longitude: 30.5, latitude: 10.5)
                    )
                ],
                clusters: [MapCluster(coordinate: Coordinate(longitude: 31.5, latitude: 10.5), count: 12, title: "12")],
                extraLegend: [MapCategoryStyle(category: "class-0", label: "1–4", shape: .square, fill: "#fee")],
                categories: [MapCategoryStyle(category: "camp", label: "Camp", shape: .triangle, fill: "#080")],
                title: "Map", width: width)
            Self.check(SVGMapRenderer.render(request).markup, "map at \(width)")
            let flow = FlowMapRequest(
                areas: Self.areas,
                nodes: [
                    .init(
                        id: "p", name: "Point", coordinate: Coordinate(longitude: 30.5, latitude: 10.5), kind: .point),
                    .init(
                        id: "c", name: "Place", coordinate: Coordinate(longitude: 31.5, latitude: 10.5), kind: .place),
                ], links: [.init(from: "c", to: "p", people: 100, kind: .arriving)], title: "Flows", ariaLabel: "Flows")
            var sized = flow
            sized.width = width
            Self.check(SVGFlowMap.render(sized).markup, "flow map at \(width)")
        }
    }

    @Test("charts: bars, pyramid, projection and the risk matrix")
    func charts() {
        let bars = SVGBarChart(
            labels: ["2026-W01", "2026-W02"], series: [.init(name: "Own", values: [3, 4], colour: "#b3261e")],
            title: "Incidents")
        Self.check(bars.render().markup, "bar chart")
        let pyramid = SVGPyramid(
            rows: [.init(label: "0–4", men: 5, women: 6)], title: "Sex and age", menLabel: "Men", womenLabel: "Women")
        Self.check(pyramid.render().markup, "pyramid")
        let projection = SVGProjectionChart(
            labels: ["2026-09", "2026-10"], projected: [100, 110], low: [80, 85], high: [120, 135], actual: [95, nil],
            title: "Projection", projectedLabel: "Projected", intervalLabel: "95 %", actualLabel: "Counted")
        Self.check(projection.render().markup, "projection")
        let heat = SVGRiskHeatMap(
            likelihoods: ["1", "2", "3", "4", "5"], impacts: ["1", "2", "3", "4", "5"],
            cells: (1...5).map { _ in (1...5).map { _ in 0 } }, levels: ["low"],
            colours: SVGRiskHeatMap.fiveLevelColours, risks: [.init(likelihood: 2, impact: 3, title: "Risk")],
            title: "Risks")
        Self.check(heat.render().markup, "risk matrix")
    }
}
