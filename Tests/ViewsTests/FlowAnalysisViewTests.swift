import Domain
import Foundation
import Geo
import Testing
import Views

@Suite("Flow analysis view")
struct FlowAnalysisViewTests {
    typealias F = ViewFixtures

    static func model(_ text: String, empty: Bool, weekly: Bool) -> FlowAnalysisPage.Model {
        .init(
            code: F.operationCode, from: "2026-11-01", to: "2026-11-23", weekly: weekly,
            points: [
                Choice(value: "", label: "All", selected: true),
                Choice(value: F.id(1).uuidString, label: text, selected: false),
            ],
            source: text, error: empty ? text : nil,
            directions: empty ? [] : [.init(direction: "incoming", people: 1_200, previous: 900, change: "+33 %")],
            chart: F.map,
            periods: empty
                ? []
                : [
                    .init(
                        label: "2026-11-23", incoming: 40, outgoing: 3, transit: 0, total: 43,
                        trend: weekly ? "+5 %" : "38.4")
                ],
            perPoint: empty ? [] : [(name: text, incoming: 1_200, outgoing: 80, transit: 12)],
            matrix: empty
                ? nil
                : (origins: [text, "Khartoum"], destinations: ["Chad (TCD)", text], people: [[120, 4], [0, 7]]),
            flowMap: F.map,
            mapQuery: [("from", "2026-11-01"), ("to", "2026-11-23"), ("period", weekly ? "week" : "day")],
            unplaced: empty ? [] : [(place: text, people: 12_345)],
            pyramid: empty
                ? nil
                : (F.map, ChartData(rowHeading: "Age", columns: ["Men", "Women"], rows: [(text, [4, 5])])),
            vulnerable: empty ? [] : [(situation: "uasc", people: 14, share: "1.2 %")])
    }

    @Test("Nothing counted yet, and a typical week, in English and Arabic", arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(FlowAnalysisPage.view(Self.model("bad from", empty: true, weekly: false), page), "empty-\(language)")
        F.snapshot(FlowAnalysisPage.view(Self.model("Adre", empty: false, weekly: true), page), "typical-\(language)")
        // A reader who sees part of the tallies and none of them here: no comparison, no table of zeros.
        var partial = Self.model("Adre", empty: false, weekly: false)
        partial.partial = true
        F.snapshot(FlowAnalysisPage.view(partial, page), "partial-\(language)")
        var partialEmpty = Self.model("", empty: true, weekly: false)
        partialEmpty.partial = true
        F.snapshot(FlowAnalysisPage.view(partialEmpty, page), "partial-empty-\(language)")
    }

    @Test("Hostile text is escaped")
    func hostile() {
        for text in F.hostile {
            F.expectShownEscaped(
                text, in: FlowAnalysisPage.view(Self.model(text, empty: false, weekly: false), F.chrome("en")))
        }
    }
}
