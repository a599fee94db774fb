import Domain
import Foundation
import Testing
import Views

@Suite("Site assessment views")
struct SiteAssessmentViewTests {
    typealias F = ViewFixtures

    static func comparison(_ text: String, rows: Bool) -> SiteAssessmentComparison.Model {
        .init(
            code: F.operationCode,
            rows: rows
                ? [
                    .init(
                        siteID: F.id(1), assessmentID: F.id(2), siteName: text, siteType: .office, kind: .office,
                        day: "2026-11-02",
                        score: 64, openRecommendations: 3, overdueRecommendations: 1),
                    .init(
                        siteID: F.id(3), assessmentID: F.id(4), siteName: "Residence", siteType: .residence,
                        kind: .residence,
                        day: "2026-10-12", score: nil, openRecommendations: 0, overdueRecommendations: 0),
                ] : [])
    }

    static func form(_ text: String, errors: [String: String]) -> SiteAssessmentForm.Model {
        .init(
            code: F.operationCode, siteID: F.id(1), siteName: text, kind: .office,
            items: [.init("perimeter", text, weight: 3), .init("guards", "Guards are briefed")],
            answers: ["perimeter": "partly"], assessedOn: "2026-11-02", findings: text,
            recommendations: errors.isEmpty ? [] : [.init(text: text, owner: text, due: "")], errors: errors)
    }

    static func page(_ text: String, canWrite: Bool, empty: Bool) -> SiteAssessmentPage.Model {
        .init(
            code: F.operationCode, siteID: F.id(1), siteName: text, assessmentID: F.id(2), kind: .warehouse,
            day: "2026-11-02",
            score: empty ? nil : 81,
            answers: empty ? [] : [(text: text, answer: .no), (text: "Fire extinguishers", answer: nil)],
            findings: empty ? "" : text,
            recommendations: empty
                ? []
                : [
                    .init(text: text, owner: text, due: "2026-11-09", done: false, overdue: true),
                    .init(text: "Lights", owner: "Admin", due: "2026-12-01", done: true, overdue: false),
                ],
            canWrite: canWrite)
    }

    @Test(
        "Comparison, form and assessment, empty and typical, in English and Arabic", arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(
            SiteAssessmentComparison.view(Self.comparison("", rows: false), page), "comparison-empty-\(language)")
        F.snapshot(
            SiteAssessmentComparison.view(Self.comparison("Khartoum office", rows: true), page),
            "comparison-\(language)")
        F.snapshot(SiteAssessmentForm.view(Self.form("Office", errors: [:]), page), "form-\(language)")
        F.snapshot(
            SiteAssessmentForm.view(Self.form("Office", errors: ["recommendations[0]": "Needs a due date."]), page),
            "form-refused-\(language)")
        F.snapshot(
            SiteAssessmentPage.view(Self.page("Warehouse", canWrite: false, empty: true), page),
            "page-empty-\(language)")
        F.snapshot(
            SiteAssessmentPage.view(Self.page("Warehouse", canWrite: true, empty: false), page), "page-\(language)")
    }

    @Test("Hostile text in every field is escaped")
    func hostile() {
        let page = F.chrome("en")
        for text in F.hostile {
            for html in [
                SiteAssessmentComparison.view(Self.comparison(text, rows: true), page),
                SiteAssessmentForm.view(Self.form(text, errors: ["answers": text]), page),
                SiteAssessmentPage.view(Self.page(text, canWrite: true, empty: false), page),
            ] {
                F.expectShownEscaped(text, in: html)
            }
        }
    }
}
