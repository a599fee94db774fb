import Foundation
import Testing

@testable import Geo

@Suite("Population pyramid and projection charts")
struct SVGPyramidTests {
    @Test("men to the left and women to the right on one scale, youngest at the bottom, shares of the whole written")
    func pyramid() throws {
        let svg = SVGPyramid(
            rows: [.init(label: "0–4", men: 50, women: 100), .init(label: "60+ <old>", men: 25, women: 0)],
            title: "Sex & age", menLabel: "Men", womenLabel: "Women"
        ).render().markup
        let doc = SVGDocument(svg)
        #expect(doc.parseError == nil)
        #expect(svg.contains("60+ &lt;old&gt;") && svg.contains("Sex &amp; age"))
        let rows = doc.all("g").filter { $0.attributes["class"] == "pyramid-row" }
        #expect(rows.map { $0.attributes["data-men"] } == ["50", "25"])
        let bars = doc.all("rect")
        func number(_ e: SVGDocument.Element, _ key: String) -> Double { Double(e.attributes[key] ?? "") ?? -1 }
        let (men0, women0, men1) = (bars[0], bars[1], bars[2])
        #expect(
            abs(number(women0, "width") - 2 * number(men0, "width")) < 0.2, "100 women draw twice as wide as 50 men")
        #expect(abs(number(men0, "width") - 2 * number(men1, "width")) < 0.2)
        #expect(
            number(men0, "x") + number(men0, "width") < 280 && number(women0, "x") > 280,
            "men left of the centre, women right")
        #expect(number(men0, "y") > number(men1, "y"), "the youngest row is the lowest")
        #expect(svg.contains(">100 (57.1 %)</text>") && svg.contains(">50 (28.6 %)</text>"), "shares of the 175 people")
    }

    @Test("the projection is a line in its band; actual bars only where the period is over")
    func projection() throws {
        let chart = SVGProjectionChart(
            labels: ["2026-09", "2026-10", "2026-11"], projected: [100, 110, 120], low: [80, 85, 90],
            high: [120, 135, 150],
            actual: [95, 130, nil], title: "Projected & counted", projectedLabel: "Projected", intervalLabel: "95 %",
            actualLabel: "Counted")
        let svg = chart.render().markup
        let doc = SVGDocument(svg)
        #expect(doc.parseError == nil)
        #expect(
            doc.all("rect").filter { $0.attributes["class"] == "actual" }.map { $0.attributes["data-value"] } == [
                "95", "130",
            ])
        let band = try #require(doc.all("polygon").first { $0.attributes["class"] == "interval" }?.attributes["points"])
        #expect(band.split(separator: " ").count == 6, "three highs and three lows")
        let line = try #require(doc.all("path").first { $0.attributes["class"] == "projected" }?.attributes["d"])
        #expect(line.filter { $0 == "L" }.count == 2)
        // The top tick is a round number above the highest value (150 → 200).
        #expect(svg.contains(">200</text>"))
    }
}
