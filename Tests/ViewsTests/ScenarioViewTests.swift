import Domain
import Foundation
import Geo
import Testing
import Views

@Suite("Scenario views")
struct ScenarioViewTests {
    typealias F = ViewFixtures

    static let rows = [
        ProjectionRow(month: "2026-10", value: 12_400, low: 9_000, high: 15_800, actual: 13_050),
        ProjectionRow(month: "2026-11", value: 13_100, low: 8_700, high: 17_500, actual: nil),
    ]

    static func values(_ text: String) -> ScenarioValues {
        var values = ScenarioValues()
        values.name = text
        values.assumptions = text
        values.figures = ["REF_3_acute": "1200", "IDP_6_protracted": text]
        return values
    }

    static func list(_ text: String, empty: Bool) -> ScenarioList.Model {
        .init(
            code: F.operationCode,
            scenarios: empty ? [] : [.init(id: F.id(1), name: text, kind: .worst, updated: "2026-11-20")],
            projection: empty
                ? nil
                : .init(
                    method: text, cumulative: [(months: 3, value: 37_000, low: 28_000, high: 46_000)], rows: Self.rows),
            canWrite: !empty, types: [.refugees, .idps], values: Self.values(empty ? "" : text),
            errors: empty ? [:] : ["figures": text])
    }

    static func page(_ text: String, projection: Bool, open: Bool) -> ScenarioPage.Model {
        .init(
            code: F.operationCode, id: F.id(1), name: text, kind: .mostLikely, assumptions: text, triggers: text,
            figures: projection ? [.init(type: .refugees, months: 3, phase: .acute, people: 1_200)] : [],
            projection: projection ? .init(method: text, madeOn: "2026-09-30", chart: F.map, rows: Self.rows) : nil,
            canWrite: open, types: [.refugees], values: Self.values(text), errors: open ? ["name": text] : [:],
            editOpen: open)
    }

    @Test("The scenarios and one scenario, in English and Arabic", arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(ScenarioList.view(Self.list("", empty: true), page), "list-empty-\(language)")
        F.snapshot(ScenarioList.view(Self.list("Worst case: border closes", empty: false), page), "list-\(language)")
        F.snapshot(
            ScenarioPage.view(Self.page("Most likely", projection: false, open: false), page), "page-plain-\(language)")
        F.snapshot(ScenarioPage.view(Self.page("Most likely", projection: true, open: true), page), "page-\(language)")
    }

    @Test("Hostile text in every field is escaped")
    func hostile() {
        let page = F.chrome("en")
        for text in F.hostile {
            F.expectShownEscaped(text, in: ScenarioList.view(Self.list(text, empty: false), page))
            F.expectShownEscaped(text, in: ScenarioPage.view(Self.page(text, projection: true, open: true), page))
        }
    }
}
