import Domain
import Foundation
import Testing

@Suite("Validation of drafts")
struct ValidationTests {
    @Test("an operation draft reports every bad field at once, with the field named")
    func operationErrors() {
        let draft = OperationDraft(code: "x", name: " ", countries: ["SDN", "XXX"], glideNumber: "FL-26", appealCode: "123")
        do {
            _ = try draft.validated()
            Issue.record("expected errors")
        } catch {
            #expect(Set(error.errors.compactMap(\.field)) == ["code", "name", "countries", "glide", "appeal"])
            #expect(error.message(for: "countries")?.message.contains("XXX") == true)
        }
    }

    @Test("a valid operation draft is normalised")
    func operationNormalised() throws {
        let draft = try OperationDraft(
            code: " sdn-2026 ", name: " Sudan ", countries: OperationDraft.parseCountries("sdn, tcd;SDN"),
            glideNumber: "ce-2023-000076-sdn", appealCode: "mdrsd033").validated()
        #expect(draft.code == "SDN-2026")
        #expect(draft.name == "Sudan")
        #expect(draft.countries == ["SDN", "TCD"])
        #expect(draft.glideNumber == "CE-2023-000076-SDN")
        #expect(draft.appealCode == "MDRSD033")
    }

    @Test("site coordinates must be WGS 84 degrees, and a phone number looks like one")
    func siteErrors() {
        let draft = SiteDraft(name: "Office", type: .office, latitude: 95, longitude: -200, contactPhone: "call me", audience: .public)
        do {
            _ = try draft.validated()
            Issue.record("expected errors")
        } catch {
            #expect(Set(error.errors.compactMap(\.field)) == ["latitude", "longitude", "contact_phone"])
        }
        #expect(throws: ValidationErrors.self) {
            try SiteDraft(name: "No coordinates", type: .camp, latitude: nil, longitude: nil, audience: .public).validated()
        }
    }
}
