import Domain
import Foundation
import Testing
import Views

@Suite("Security phase views")
struct PhaseViewTests {
    typealias F = ViewFixtures

    static func model(_ text: String, details: Bool) -> PhasesPage.Model {
        .init(
            code: F.operationCode, settings: .defaults, map: details ? F.map : nil,
            inForce: details
                ? [
                    .init(pcode: "SD01", area: text, phase: "orange", since: "2026-11-01 08:00 UTC"),
                    .init(pcode: "SD02", area: "Gezira (SD02)", phase: "white", since: "2026-10-01 08:00 UTC"),
                ] : [],
            pending: details
                ? [
                    .init(
                        id: F.id(1), number: 7, area: text, from: "orange", to: "red", justification: text,
                        indicators: [text],
                        approvals: [
                            .init(authority: .headOfGSU, given: nil, canGive: true),
                            .init(
                                authority: .seniorManager, given: (by: text, at: "2026-11-22 10:00 UTC"), canGive: false
                            ),
                        ],
                        notify: [
                            (recipient: .globalSecurityUnit, at: nil),
                            (recipient: .regionalSecurityCoordinator, at: "2026-11-22 11:00 UTC"),
                        ])
                ]
                : nil,
            history: details
                ? [
                    .init(
                        number: 6, area: text, from: nil, to: "orange", status: "in_force", at: "2026-11-01 08:00 UTC",
                        by: text,
                        justification: text)
                ] : nil,
            holders: details
                ? [
                    .init(authority: .seniorManager, userID: F.id(2), name: "HeOps", explicit: false),
                    .init(authority: .headOfGSU, userID: F.id(3), name: text, explicit: true),
                ] : nil,
            members: [(id: F.id(2), name: text)], areaFilter: details ? "SD01" : "", canDeclare: details,
            canGrant: details,
            error: details ? nil : text)
    }

    @Test(
        "The phases as a partner sees them and as the coordinator does, in English and Arabic",
        arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(PhasesPage.view(Self.model("Not allowed.", details: false), page), "outline-\(language)")
        F.snapshot(PhasesPage.view(Self.model("Khartoum (SD01)", details: true), page), "details-\(language)")
    }

    @Test("Hostile text in every field is escaped")
    func hostile() {
        for text in F.hostile {
            F.expectShownEscaped(text, in: PhasesPage.view(Self.model(text, details: true), F.chrome("ar")))
        }
    }
}
