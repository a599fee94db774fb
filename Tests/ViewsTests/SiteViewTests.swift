import Domain
import Foundation
import Testing
import Views

@Suite("Site views")
struct SiteViewTests {
    typealias F = ViewFixtures

    static func list(_ rows: [SiteList.Model.Row], search: String = "", page: Int = 1) -> SiteList.Model {
        SiteList.Model(
            code: F.operationCode, rows: rows, type: rows.isEmpty ? nil : .office, search: search,
            paging: PagePosition(page: page, pageCount: 3, total: 120), canCreate: !rows.isEmpty)
    }

    static let typicalRows = [
        SiteList.Model.Row(
            id: F.id(1), name: "Khartoum office", type: .office, area: "Khartoum (SD01)", latitude: 15.5007,
            longitude: 32.5599, audience: .ifrcOnly),
        SiteList.Model.Row(
            id: F.id(2), name: "مستودع بورتسودان", type: .warehouse, area: nil, latitude: 19.6158,
            longitude: 37.2164, audience: .restricted),
    ]

    static func show(name: String, text: String, assessments: Bool, canChange: Bool) -> SitePage.Model {
        SitePage.Model(
            code: F.operationCode, id: F.id(1), name: name, type: .residence, latitude: 15.5, longitude: 32.5,
            areaPath: assessments ? ["Khartoum (SD01)", text] : [], contactName: text, contactPhone: "+249 912 345 678",
            notes: text, audience: .restricted, map: F.map, warning: assessments ? text : nil,
            assessments: assessments
                ? [
                    .init(id: F.id(3), day: "2026-11-02", kind: .residence, score: 72, openRecommendations: 3),
                    .init(id: F.id(4), day: "2026-10-01", kind: .office, score: nil, openRecommendations: 0),
                ] : [],
            canChange: canChange, canAudit: canChange, canAssess: canChange)
    }

    static func form(new: Bool, text: String, errors: [String: String], stale: Bool) -> SiteForm.Model {
        var values = SiteForm.Values()
        values.name = text
        values.latitude = "15.5"
        values.contactName = text
        values.notes = text
        values.grantRoles = [Role.staff.rawValue]
        let notice =
            stale
            ? StaleNotice(stored: SiteForm.Values(), submitted: values, strings: Strings(F.catalog, language: "en"))
            : nil
        return SiteForm.Model(
            code: F.operationCode, id: new ? nil : F.id(1), values: values, errors: errors,
            version: new ? "" : "1733300000000", stale: notice)
    }

    @Test("The site list: empty, typical, in English and Arabic", arguments: ViewFixtures.languages)
    func list(language: String) {
        let page = F.chrome(language)
        F.snapshot(Layout.document(page, body: SiteList.view(Self.list([]), page)), "empty-\(language)")
        F.snapshot(
            Layout.document(
                page, body: SiteList.view(Self.list(Self.typicalRows, search: "office & co", page: 2), page)),
            "typical-\(language)")
    }

    @Test(
        "A site: without assessments and read-only, then with them and every action", arguments: ViewFixtures.languages)
    func show(language: String) {
        let page = F.chrome(language, flash: "Site saved.")
        F.snapshot(
            SitePage.view(Self.show(name: "Residence", text: "", assessments: false, canChange: false), page),
            "empty-\(language)")
        F.snapshot(
            SitePage.view(
                Self.show(name: "Residence", text: "Gate on the east side", assessments: true, canChange: true), page),
            "typical-\(language)")
    }

    @Test(
        "The site form: new and empty, then an edit refused with errors and a stale notice",
        arguments: ViewFixtures.languages)
    func form(language: String) {
        let page = F.chrome(language)
        F.snapshot(SiteForm.view(Self.form(new: true, text: "", errors: [:], stale: false), page), "new-\(language)")
        F.snapshot(
            SiteForm.view(
                Self.form(new: false, text: "Compound B", errors: ["latitude": "Not a number: x"], stale: true), page),
            "refused-\(language)")
    }

    @Test("Hostile text in every field is escaped on every site view")
    func hostile() {
        let page = F.chrome("ar")
        for text in F.hostile {
            let row = SiteList.Model.Row(
                id: F.id(5), name: text, type: .other, area: text, latitude: 0, longitude: 0, audience: .movement)
            let pages = [
                SiteList.view(Self.list([row], search: text), page),
                SitePage.view(Self.show(name: text, text: text, assessments: true, canChange: true), page),
                SiteForm.view(Self.form(new: false, text: text, errors: ["name": text], stale: true), page),
            ]
            for html in pages {
                F.expectShownEscaped(text, in: html)
            }
        }
    }
}
