import Domain
import Foundation
import Testing

@Suite("Referral rules")
struct ReferralRulesTests {
    static let today = DateText.day("2026-12-04")!
    static let service = ServiceID(rawValue: UUID())

    static func valid() -> ReferralInput {
        var input = ReferralInput()
        input.personRef = "HSP-KS-0042"
        input.service = service.uuidString
        input.consent = "given"
        input.consentBy = "HSP volunteer"
        input.consentOn = "2026-12-03"
        input.needs = ["sc-uc", "LP-RR"]
        return input
    }

    @Test("a referral with consent: a reference, never a name unless the person agreed to be named")
    func consent() throws {
        let draft = try Self.valid().decoded(today: Self.today)
        #expect(draft.personRef == "HSP-KS-0042")
        #expect(draft.needs == [.unaccompanied, .refoulement])
        #expect(draft.personName == nil)
        var named = Self.valid()
        named.personName = "Amina"
        let errors = try #require(throws: ValidationErrors.self) { try named.decoded(today: Self.today) }
        #expect(errors.errors.map(\.field) == ["person_name"])
        named.nameConsent = "yes"
        #expect(try named.decoded(today: Self.today).personName == "Amina")
        var nameLike = Self.valid()
        nameLike.personRef = "Amina Yusuf"
        #expect(throws: ValidationErrors.self) { try nameLike.decoded(today: Self.today) }
    }

    @Test("without consent: a reason and an approver, or no referral; with consent neither is kept")
    func override() throws {
        var input = Self.valid()
        input.consent = "not_possible"
        let errors = try #require(throws: ValidationErrors.self) { try input.decoded(today: Self.today) }
        #expect(Set(errors.errors.compactMap(\.field)) == ["override_reason", "override_approver"])
        input.overrideReason = "Unaccompanied child, no guardian"
        input.overrideApprover = UUID().uuidString
        let draft = try input.decoded(today: Self.today)
        #expect(draft.consent == .notPossible && draft.overrideApprover != nil)
        input.consent = "given"
        let given = try input.decoded(today: Self.today)
        #expect(given.overrideReason == nil && given.overrideApprover == nil)
        input.consent = ""
        #expect(throws: ValidationErrors.self) { try input.decoded(today: Self.today) }
        input.consent = "given"
        input.consentOn = "2026-12-05"
        let future = try #require(throws: ValidationErrors.self) { try input.decoded(today: Self.today) }
        #expect(future.errors.map(\.field) == ["consent_on"])
    }

    @Test("an RFL referral holds the tracing case number and nothing else")
    func rfl() throws {
        var input = Self.valid()
        input.rfl = "yes"
        input.tracingAgency = "icrc"
        input.tracingCaseNumber = "ICRC-SD-2026-0001"
        input.needNote = "Looking for her brother, last seen in Gedaref"
        input.nameConsent = "yes"
        input.personName = "Amina"
        let errors = try #require(throws: ValidationErrors.self) { try input.decoded(today: Self.today) }
        #expect(Set(errors.errors.compactMap(\.field)) == ["need_note", "person_name"])
        input.needNote = ""
        input.personName = ""
        let draft = try input.decoded(today: Self.today)
        #expect(draft.rfl && draft.tracingAgency == .icrc && draft.tracingCaseNumber == "ICRC-SD-2026-0001")
        input.tracingCaseNumber = ""
        #expect(throws: ValidationErrors.self) { try input.decoded(today: Self.today) }
        var notRFL = Self.valid()
        notRFL.tracingCaseNumber = "X-1"
        #expect(throws: ValidationErrors.self) { try notRFL.decoded(today: Self.today) }
    }

    @Test("the lifecycle: draft → sent → accepted or declined → completed or closed; nothing after the end")
    func lifecycle() {
        #expect(ReferralStatus.draft.next == [.sent, .closed])
        #expect(ReferralStatus.sent.next == [.accepted, .declined, .closed])
        #expect(ReferralStatus.accepted.next == [.completed, .closed])
        for end in [ReferralStatus.completed, .closed, .withdrawn] {
            #expect(end.next.isEmpty && !end.isOpen)
        }
        #expect(ReferralStatus.sent.isOpen && !ReferralStatus.declined.isOpen)
    }

    @Test("small cells: 1 to 4 suppressed, 0 and 5 shown")
    func smallCells() {
        #expect([0, 1, 4, 5, 12].map(SmallCells.text) == ["0", "<5", "<5", "5", "12"])
    }

    @Test("secondary suppression: one hidden cell beside a shown total would be the total less the rest")
    func secondarySuppression() {
        // 2 alone would be 17 − 6 − 9: the smallest other non-zero cell is hidden too.
        #expect(SmallCells.row([6, 2, 0, 9]).cells == ["<5", "<5", "0", "9"])
        #expect(SmallCells.row([6, 2, 0, 9]).total == "17")
        // Two hidden already, or a hidden total: nothing more to hide.
        #expect(SmallCells.row([3, 2, 9]).cells == ["<5", "<5", "9"])
        #expect(SmallCells.row([3, 0, 0]) == (["<5", "0", "0"], "<5"))
        #expect(SmallCells.row([0, 0, 0]) == (["0", "0", "0"], "0"))
    }
}
