import Foundation
import Testing

@testable import Geo

@Suite("Risk heat map (issue 4)")
struct SVGRiskHeatMapTests {
    func chart(_ risks: [SVGRiskHeatMap.Risk], rightToLeft: Bool = false) -> SVGRiskHeatMap {
        let levels = ["low", "medium", "high", "very_high", "unacceptable"]
        func level(_ score: Int) -> Int {
            switch score {
            case ...4: 0;
            case 5...9: 1;
            case 10...14: 2;
            case 15...19: 3;
            default: 4
            }
        }
        var map = SVGRiskHeatMap(
            likelihoods: ["Very unlikely", "Unlikely", "Moderately likely", "Likely", "Very likely"],
            impacts: ["Negligible", "Minor", "Moderate", "Severe", "Critical"],
            cells: (1...5).map { l in (1...5).map { i in level(l * i) } }, levels: levels,
            colours: SVGRiskHeatMap.fiveLevelColours, risks: risks, title: "Risks <now>")
        map.rightToLeft = rightToLeft
        return map
    }

    func counts(_ svg: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for part in svg.components(separatedBy: "data-likelihood=\"").dropFirst() {
            let l = part.prefix { $0.isNumber }
            let i = part.components(separatedBy: "data-impact=\"")[1].prefix { $0.isNumber }
            let n = Int(part.components(separatedBy: "data-count=\"")[1].prefix { $0.isNumber })!
            out["\(l)x\(i)"] = n
        }
        return out
    }

    @Test("every cell is drawn with its level's colour; the counts add up to the risks; titles name them, escaped")
    func cells() {
        let svg = chart([
            .init(likelihood: 4, impact: 4, title: "Ambush <script>"),
            .init(likelihood: 4, impact: 4, title: "Looting"),
            .init(likelihood: 1, impact: 2, title: "Flood"), .init(likelihood: 9, impact: 1, title: "Off the matrix"),
        ]).render().markup
        let cells = counts(svg)
        #expect(cells.count == 25)
        #expect(
            cells["4x4"] == 2 && cells["1x2"] == 1 && cells.values.reduce(0, +) == 3,
            "a risk outside the matrix is not drawn")
        #expect(svg.contains("Likely × Severe: very_high — Ambush &lt;script&gt;; Looting</title>"))
        #expect(!svg.contains("<script>") && svg.contains("<title>Risks &lt;now&gt;</title>"))
        #expect(
            svg.contains("fill=\"#d73027\" stroke=\"#fff\" stroke-width=\"2\" data-likelihood=\"4\" data-impact=\"4\""))
    }

    @Test("right to left, the impact axis runs from the right, and the likelihood labels sit on the right")
    func rightToLeft() {
        func x(_ svg: String, impact: Int) -> Double {
            let part = svg.components(separatedBy: "data-impact=\"\(impact)\"")[0]
            let rect = part.components(separatedBy: "<rect x=\"").last!
            return Double(rect.prefix { $0 != "\"" })!
        }
        let ltr = chart([]).render().markup, rtl = chart([], rightToLeft: true).render().markup
        #expect(x(ltr, impact: 1) < x(ltr, impact: 5))
        #expect(x(rtl, impact: 1) > x(rtl, impact: 5))
        #expect(rtl.contains("text-anchor=\"start\" font-size=\"12\">Very likely</text>"))
        #expect(ltr.contains("text-anchor=\"end\" font-size=\"12\">Very likely</text>"))
    }

    @Test("a cell counted by the caller shows the count, names the risks given, and says there are more")
    func givenCounts() {
        var map = chart((1...3).map { SVGRiskHeatMap.Risk(likelihood: 2, impact: 3, title: "Risk \($0)") })
        map.counts[(2 - 1) * 5 + 3 - 1] = 12
        let svg = map.render().markup
        #expect(counts(svg)["2x3"] == 12)
        #expect(svg.contains("Risk 1; Risk 2; Risk 3; …</title>"))
        #expect(svg.contains(">12</text>"))
        #expect(counts(svg).values.reduce(0, +) == 12)
    }
}
