import Domain
import Foundation
import Testing
import Views

@Suite("Compliance views")
struct ComplianceViewTests {
    typealias F = ViewFixtures

    static func overview(_ text: String, empty: Bool, canWrite: Bool) -> ComplianceOverview.Model {
        .init(
            code: F.operationCode, parts: [1, 2, 3],
            assessments: empty
                ? []
                : [
                    .init(
                        id: F.id(1), day: "2026-11-20", scope: text, phase: "orange",
                        scores: [(score: 80, previous: 70), (score: 50, previous: 60), (score: nil, previous: nil)]),
                    .init(
                        id: F.id(2), day: "2026-10-20", scope: nil, phase: "custom_phase",
                        scores: [(score: 70, previous: nil), (score: 60, previous: nil), (score: 100, previous: nil)]),
                ],
            exemptions: empty
                ? []
                : [
                    .init(
                        requirement: "3.1.2", reason: .financial, writtenReason: text, grantedBy: text,
                        from: "2026-10-01", to: "2027-03-31", active: true),
                    .init(
                        requirement: "4.2", reason: .other, writtenReason: "Old", grantedBy: "RSC", from: "2025-01-01",
                        to: "2025-12-31", active: false),
                ],
            requirements: [(code: "3.1.2", text: text), (code: "4.2", text: "Radio checks")], canWrite: canWrite,
            today: "2026-11-23",
            error: empty ? nil : text)
    }

    static func form(_ text: String, errors: [String: String]) -> ComplianceAssessmentForm.Model {
        .init(
            code: F.operationCode,
            requirements: [
                .init(part: 1, code: "1.1", text: text, phases: ["Orange", "Red"], chosen: "met", evidence: text),
                .init(part: 1, code: "1.2", text: "Register reviewed", phases: [], chosen: "", evidence: ""),
                .init(part: 2, code: "2.1", text: "Briefing", phases: [], chosen: "not_applicable", evidence: ""),
            ],
            sites: [
                Choice(value: "", label: "Whole operation", selected: true),
                Choice(value: F.id(3).uuidString, label: text, selected: false),
            ],
            phases: [
                Choice(value: "yellow", label: "Yellow", selected: false),
                Choice(value: "orange", label: "Orange", selected: true),
            ],
            assessedOn: "2026-11-23", errors: errors)
    }

    static func page(_ text: String) -> ComplianceAssessmentPage.Model {
        .init(
            code: F.operationCode, number: 4, day: "2026-11-20", scope: text, phase: "orange",
            scores: [(part: 1, score: 80), (part: 2, score: nil)],
            findings: [
                .init(code: "1.1", text: text, status: .met, exempt: false, evidence: text),
                .init(code: "1.2", text: "Register", status: .notMet, exempt: true, evidence: ""),
            ])
    }

    static func pack(_ text: String, approved: Bool) -> CompliancePack.Model {
        .init(
            code: F.operationCode, operationName: text, year: 2026,
            annexes: SecurityPlanKind.allCases.enumerated().map {
                .init(kind: $1, approvedVersion: $0 % 2 == 0 ? 2 : nil, approvedOn: "2026-03-01")
            },
            risks: 14, assessedOn: approved ? "2026-11-20" : nil, scores: [(part: 1, score: 80)],
            exemptions: [.init(requirement: "3.1.2", writtenReason: text, grantedBy: text, expires: "2027-03-31")],
            approval: approved ? .init(statement: text, by: "Head of Operations", at: "2026-12-01 09:00 UTC") : nil,
            canApprove: !approved, error: approved ? nil : text)
    }

    @Test("Overview, form, assessment and pack, in English and Arabic", arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(
            ComplianceOverview.view(Self.overview("", empty: true, canWrite: false), page), "overview-empty-\(language)"
        )
        F.snapshot(
            ComplianceOverview.view(Self.overview("Khartoum office", empty: false, canWrite: true), page),
            "overview-\(language)")
        F.snapshot(
            ComplianceAssessmentForm.view(
                Self.form("Security focal point named", errors: ["status[1.2]": "Give it a status."]), page),
            "form-\(language)")
        F.snapshot(ComplianceAssessmentPage.view(Self.page("Khartoum office"), page), "assessment-\(language)")
        F.snapshot(CompliancePack.view(Self.pack("Sudan", approved: false), page), "pack-open-\(language)")
        F.snapshot(CompliancePack.view(Self.pack("Sudan", approved: true), page), "pack-approved-\(language)")
    }

    @Test("Hostile text in every field is escaped")
    func hostile() {
        let page = F.chrome("ar")
        for text in F.hostile {
            for html in [
                ComplianceOverview.view(Self.overview(text, empty: false, canWrite: true), page),
                ComplianceAssessmentForm.view(Self.form(text, errors: ["site": text]), page),
                ComplianceAssessmentPage.view(Self.page(text), page),
                CompliancePack.view(Self.pack(text, approved: true), page),
                CompliancePack.view(Self.pack(text, approved: false), page),
            ] {
                F.expectShownEscaped(text, in: html)
            }
        }
    }
}
