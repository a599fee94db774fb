import Domain
import Foundation
import Testing
import Views

@Suite("Flow monitoring views")
struct FlowViewTests {
    typealias F = ViewFixtures

    static let profile = FlowPointProfile(
        pointType: .borderCrossing, movements: [.incoming, .outgoing], operatingHours: "06:00–18:00",
        transportModes: [.bus])

    static func list(_ text: String, empty: Bool) -> FlowList.Model {
        .init(
            code: F.operationCode,
            points: empty
                ? []
                : [
                    .init(id: F.id(1), name: text, profile: Self.profile),
                    .init(id: F.id(2), name: "Gallabat", profile: nil),
                ],
            tallies: empty
                ? []
                : [
                    .init(
                        windowStart: F.moment, point: text, direction: .incoming, total: 120, nationality: "SDN",
                        origin: "SDN · Khartoum", destination: text, vulnerable: 7),
                    .init(
                        windowStart: F.moment, point: "Gallabat", direction: .transit, total: 3, nationality: nil,
                        origin: nil, destination: nil, vulnerable: 0),
                ],
            point: empty ? nil : F.id(1), page: empty ? 1 : 2, hasMore: !empty, canRecord: !empty, canDescribe: !empty,
            report: empty ? [] : [text, "12 tallies imported"])
    }

    static func form(_ text: String, errors: [String: String]) -> TallyForm.Model {
        var values = TallyForm.Values()
        values.point = F.id(1).uuidString
        values.date = "2026-11-23"
        values.from = "06:00"
        values.to = "18:00"
        values.direction = "incoming"
        values.total = errors.isEmpty ? "" : "x"
        values.bins = ["f_0_4": "3", "m_18_59": text]
        values.nationality = text
        values.originArea = text
        values.vulnerable = ["uasc": "2"]
        values.reasons = ["conflict_violence"]
        values.notes = text
        return .init(
            code: F.operationCode, points: [(id: F.id(1), name: text), (id: F.id(2), name: "Gallabat")],
            values: values,
            errors: errors, countries: [(code: "SDN", name: "Sudan"), (code: "TCD", name: text)])
    }

    @Test(
        "The tallies, the tally form and a point's description, in English and Arabic",
        arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(FlowList.view(Self.list("", empty: true), page), "list-empty-\(language)")
        F.snapshot(FlowList.view(Self.list("Adre", empty: false), page), "list-\(language)")
        F.snapshot(TallyForm.view(Self.form("Sudanese", errors: [:]), page), "form-\(language)")
        F.snapshot(
            TallyForm.view(
                Self.form("Sudanese", errors: ["total": "Not a whole number.", "bins": "Not a whole number."]), page),
            "form-refused-\(language)")
        F.snapshot(
            FlowPointForm.view(.init(code: F.operationCode, id: F.id(1), name: "Adre", profile: nil), page),
            "point-new-\(language)")
        F.snapshot(
            FlowPointForm.view(.init(code: F.operationCode, id: F.id(1), name: "Adre", profile: Self.profile), page),
            "point-\(language)")
    }

    @Test("Hostile text in every field is escaped")
    func hostile() {
        let page = F.chrome("ar")
        for text in F.hostile {
            F.expectShownEscaped(text, in: FlowList.view(Self.list(text, empty: false), page))
            F.expectShownEscaped(text, in: TallyForm.view(Self.form(text, errors: ["notes": text]), page))
            F.expectShownEscaped(
                text, in: FlowPointForm.view(.init(code: F.operationCode, id: F.id(1), name: text, profile: nil), page)
            )
        }
    }
}
