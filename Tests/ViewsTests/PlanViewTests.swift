import Domain
import Foundation
import Testing
import Views

@Suite("Security plan views")
struct PlanViewTests {
    typealias F = ViewFixtures

    static let deadlines =
        PlanClock.deadlines(
            for: PlanHistory(kind: .relocation), operationStart: F.moment, phaseChanges: [],
            now: F.moment.addingTimeInterval(30 * 86_400))
        + PlanClock.deadlines(
            for: PlanHistory(kind: .relocation, firstApprovedAt: F.moment, lastReviewedAt: F.moment),
            operationStart: F.moment, phaseChanges: [], now: F.moment)

    static func overview(empty: Bool) -> PlansOverview.Model {
        .init(
            code: F.operationCode,
            rows: SecurityPlanKind.allCases.map { kind in
                .init(
                    kind: kind, approved: empty || kind == .relocation ? nil : (version: 2, on: "2026-03-01"),
                    open: empty ? nil : (version: 3, status: .inReview),
                    deadlines: kind == .relocation ? Self.deadlines : [])
            }, canEditSettings: !empty)
    }

    static func page(_ text: String, kind: SecurityPlanKind, empty: Bool) -> PlanPage.Model {
        let content = PlanContent(
            version: 2, status: .approved, text: "# " + text + "\n\n- one\n- **two**",
            relocation: kind == .relocation
                ? .init(
                    assemblyPoints: [text, "Site not visible to you"], routes: [text, "North road"],
                    triggers: [(phase: "Orange", text: text)], whoGoes: text, whoStays: "", transport: "Two cars")
                : nil,
            team: kind == .criticalIncidentManagement
                ? [CIMPlan.Member(name: text, role: "Lead", phone: "+249 1", email: "a@b.org")] : [])
        return .init(
            code: F.operationCode, kind: kind, deadlines: empty ? [] : Self.deadlines, current: empty ? nil : content,
            versions: empty
                ? []
                : [
                    .init(
                        id: F.id(1), number: 3, status: .inReview, createdBy: text, createdAt: "2026-11-20 10:00 UTC",
                        approved: nil,
                        attachments: [(id: F.id(4), filename: text, size: Int64(1_300_000))], canEdit: false,
                        canSubmit: false, canSendBack: true,
                        canApprove: true),
                    .init(
                        id: F.id(2), number: 2, status: .approved, createdBy: "Amal",
                        createdAt: "2026-03-01 10:00 UTC",
                        approved: (by: text, at: "2026-03-02 09:00 UTC"), attachments: [], canEdit: false,
                        canSubmit: false,
                        canSendBack: false, canApprove: false),
                    .init(
                        id: F.id(3), number: 4, status: .draft, createdBy: "Amal", createdAt: "2026-11-22 10:00 UTC",
                        approved: nil,
                        attachments: [(id: F.id(5), filename: "plan.pdf", size: Int64(2_000))], canEdit: true,
                        canSubmit: true, canSendBack: false,
                        canApprove: false),
                ],
            events: empty
                ? []
                : [
                    .init(
                        day: "2026-06-01", event: "yearly_approval",
                        approvers: [(role: .regionalSecurityCoordinator, name: text)],
                        note: text, recordedBy: "Amal")
                ],
            canWrite: !empty, canNew: empty, yearly: kind == .relocation, today: "2026-11-23", error: empty ? nil : text
        )
    }

    static func form(_ text: String, kind: SecurityPlanKind, editing: Bool) -> PlanForm.Model {
        .init(
            code: F.operationCode, kind: kind, editing: editing ? F.id(1) : nil, content: text,
            sites: [
                Choice(value: F.id(2).uuidString, label: text, selected: true),
                Choice(value: F.id(3).uuidString, label: "Office", selected: false),
            ],
            routes: text, triggers: [(phase: "orange", label: "Orange", text: text)], whoGoes: text, whoStays: "",
            transport: "",
            team: [
                CIMPlan.Member(name: text, role: "Lead", phone: "+249", email: ""),
                CIMPlan.Member(name: "", role: "", phone: ""),
            ],
            errors: editing ? ["content": text, "team[0]": "Needs a phone."] : [:], maxMB: 20,
            version: editing ? "1733300000000" : nil,
            stale: editing
                ? StaleNotice(
                    stored: ["content": "old"], submitted: ["content": text],
                    strings: Strings(F.catalog, language: "en")) : nil)
    }

    @Test("Overview, plan and form, in English and Arabic", arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(PlansOverview.view(Self.overview(empty: true), page), "overview-empty-\(language)")
        F.snapshot(PlansOverview.view(Self.overview(empty: false), page), "overview-\(language)")
        F.snapshot(PlanPage.view(Self.page("", kind: .riskRegister, empty: true), page), "plan-empty-\(language)")
        F.snapshot(
            PlanPage.view(Self.page("Relocation to Port Sudan", kind: .relocation, empty: false), page),
            "plan-relocation-\(language)")
        F.snapshot(
            PlanPage.view(Self.page("Crisis team", kind: .criticalIncidentManagement, empty: false), page),
            "plan-cim-\(language)")
        F.snapshot(PlanForm.view(Self.form("", kind: .riskRegister, editing: false), page), "form-new-\(language)")
        F.snapshot(
            PlanForm.view(Self.form("Move by road", kind: .relocation, editing: true), page),
            "form-relocation-\(language)")
        F.snapshot(
            PlanForm.view(Self.form("Team", kind: .criticalIncidentManagement, editing: false), page),
            "form-cim-\(language)")
    }

    @Test("Hostile text in every field is escaped")
    func hostile() {
        let page = F.chrome("en")
        for text in F.hostile {
            for kind in [SecurityPlanKind.relocation, .criticalIncidentManagement] {
                F.expectShownEscaped(text, in: PlanPage.view(Self.page(text, kind: kind, empty: false), page))
                F.expectShownEscaped(text, in: PlanForm.view(Self.form(text, kind: kind, editing: true), page))
            }
        }
    }
}
