import Foundation
import Testing

@testable import Geo

@Suite("The flow map")
struct SVGFlowMapTests {
    static let point = FlowMapRequest.Node(
        id: "p:1", name: "FMP <Joda>", coordinate: Coordinate(longitude: 32.75, latitude: 11.25), kind: .point)
    static let southSudan = FlowMapRequest.Node(
        id: "c:SSD", name: "South Sudan", coordinate: CountryPoints.points["SSD"]!, kind: .place)
    static let egypt = FlowMapRequest.Node(
        id: "c:EGY", name: "Egypt", coordinate: CountryPoints.points["EGY"]!, kind: .place)

    static func numbers(_ text: String) -> [Double] {
        text.split(whereSeparator: { " ,".contains($0) }).compactMap { Double($0) }
    }

    @Test(
        "arrow widths are proportional to the people they carry, and each arrow ends at its target",
        .enabled(if: TestData.available, TestData.skipMessage))
    func widthsAndDirections() throws {
        let outline = TestData.sudanAdmin0.map {
            MapArea(id: $0["adm0_pcode"], name: $0["adm0_name"], level: 0, geometry: $0.geometry)
        }
        #expect(outline.count == 1)
        let svg = SVGFlowMap.text(
            FlowMapRequest(
                areas: outline, nodes: [Self.point, Self.southSudan, Self.egypt],
                links: [
                    .init(from: "c:SSD", to: "p:1", people: 1_000, kind: .arriving),
                    .init(from: "p:1", to: "c:EGY", people: 250, kind: .onward),
                    .init(from: "c:XXX", to: "p:1", people: 5_000, kind: .arriving),
                ],  // an unknown place is not drawn
                title: "Flows & more", ariaLabel: "Flow map"))
        let doc = SVGDocument(svg)
        #expect(doc.parseError == nil)
        #expect(svg.contains("FMP &lt;Joda&gt;") && !svg.contains("<Joda>"))
        let links = doc.all("g").filter { ($0.attributes["class"] ?? "").hasPrefix("flow-link") }
        #expect(
            links.map { $0.attributes["data-people"] } == ["1000", "250"],
            "largest first; the unknown place's link is left out")
        let paths = doc.all("path").filter { doc.parent(of: $0)?.attributes["class"]?.hasPrefix("flow-link") == true }
        let widths = paths.compactMap { $0.attributes["stroke-width"].flatMap(Double.init) }
        #expect(widths.count == 2)
        #expect(abs(widths[0] / widths[1] - 4) < 0.1, "1,000 people draw four times as wide as 250: \(widths)")
        // The onward arrow's tip is at Egypt's circle, not at the point.
        let egyptTitle = try #require(
            doc.all("title").first { $0.text == "Egypt" && doc.parent(of: $0)?.name == "circle" })
        let egypt = try #require(doc.parent(of: egyptTitle))
        let (ex, ey) = (Double(egypt.attributes["cx"]!)!, Double(egypt.attributes["cy"]!)!)
        let heads = doc.all("polygon").filter { doc.parent(of: $0)?.attributes["class"] == "flow-link flow-onward" }
        let tip = Self.numbers(try #require(heads.first?.attributes["points"]))
        #expect(hypot(tip[0] - ex, tip[1] - ey) < 12, "the arrowhead points at the destination")
        let start = Self.numbers(
            try #require(paths.last?.attributes["d"]?.dropFirst().split(separator: "Q").first.map(String.init)))
        #expect(hypot(start[0] - ex, start[1] - ey) > 100, "the onward line starts far from Egypt, at the point")
        // Legend: the colours, and the widths of the largest, half and a quarter.
        #expect(svg.contains(">1000</text>") && svg.contains(">500</text>") && svg.contains(">250</text>"))
        #expect(!svg.contains("flow-omitted"))
    }

    @Test("only the largest links are drawn; the rest are counted; right-to-left and empty maps")
    func omittedRightToLeftAndEmpty() {
        var nodes = [Self.point]
        var links: [FlowMapRequest.Link] = []
        for (i, code) in ["SSD", "EGY", "ETH", "TCD", "LBY", "ERI"].enumerated() {
            nodes.append(.init(id: "c:\(code)", name: code, coordinate: CountryPoints.points[code]!, kind: .place))
            links.append(.init(from: "c:\(code)", to: "p:1", people: 100 * (i + 1), kind: .arriving))
        }
        var request = FlowMapRequest(areas: [], nodes: nodes, links: links, title: "خريطة", ariaLabel: "خريطة")
        request.maxLinks = 4
        request.rightToLeft = true
        request.omittedText = "{count} / {people}"
        request.number = { "n\($0)" }
        let svg = SVGFlowMap.text(request)
        let doc = SVGDocument(svg)
        #expect(doc.parseError == nil)
        #expect(doc.all("g").filter { ($0.attributes["class"] ?? "").hasPrefix("flow-link") }.count == 4)
        #expect(svg.contains(">2 / n300</text>"), "the two smallest (100 + 200 people) are counted, not drawn")
        #expect(doc.all("svg").first?.attributes["direction"] == "rtl")
        let legend = doc.all("text", inGroupClass: "flow-legend").compactMap { $0.attributes["x"].flatMap(Double.init) }
        #expect(!legend.isEmpty && legend.allSatisfy { $0 > 480 }, "the legend starts on the right: \(legend)")

        var empty = FlowMapRequest(areas: [], nodes: [Self.point], links: [], title: "t", ariaLabel: "t")
        empty.emptyText = "Nothing to draw"
        let nothing = SVGFlowMap.text(empty)
        #expect(SVGDocument(nothing).parseError == nil && nothing.contains(">Nothing to draw</text>"))
    }

    @Test(
        "each country's point lies inside its Natural Earth outline",
        .enabled(if: TestData.available, TestData.skipMessage))
    func countryPointsInside() {
        var checked = 0
        for country in TestData.naturalEarth {
            let code = country["ISO_A3"] == "-99" ? country["ADM0_A3"] : country["ISO_A3"]
            guard let point = CountryPoints.points[code] else { continue }
            // Points are written to 0.01°; a very thin country may lose that much.
            let near = [(0.0, 0.0), (0.01, 0), (-0.01, 0), (0, 0.01), (0, -0.01)].contains {
                country.geometry.contains(
                    Coordinate(longitude: point.longitude + $0.0, latitude: point.latitude + $0.1))
            }
            #expect(near, "\(code) at \(point)")
            checked += 1
        }
        #expect(checked >= 170)
    }
}
