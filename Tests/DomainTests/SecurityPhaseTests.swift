import Domain
import Foundation
import Testing

@Suite("Security phase declarations and their approval chain (issue 4, domain)")
struct SecurityPhaseTests {
    let manager = UserID(UUID()), gsuHead = UserID(UUID()), director = UserID(UUID()), coordinator = UserID(UUID())
    let at = Date(timeIntervalSince1970: 1_795_000_000)

    func declaration(from: String?, to: String, by: UserID? = nil) -> PhaseDeclaration {
        PhaseDeclaration(
            areaPcode: "SD11", from: from, to: to, justification: "Clashes near Kassala town",
            indicatorsMet: ["armed clashes within 10 km"], declaredBy: by ?? manager, declaredAt: at)
    }

    @Test(
        "the IFRC chain: White and Yellow by the senior manager, Orange by the Head of GSU, Red by the Regional Director and the Head of GSU"
    )
    func chain() {
        let rules = PhaseRules.ifrc
        #expect(rules.problems().isEmpty)
        #expect(rules.requiredApprovals(from: nil, to: "white") == [.seniorManager])
        #expect(rules.requiredApprovals(from: "white", to: "yellow") == [.seniorManager])
        #expect(rules.requiredApprovals(from: "yellow", to: "orange") == [.headOfGSU])
        #expect(rules.requiredApprovals(from: "orange", to: "red") == [.regionalDirector, .headOfGSU])
        #expect(rules.recipients(of: "yellow") == [.regionalSecurityCoordinator, .globalSecurityUnit])
    }

    @Test("a downgrade from Orange or Red needs the same approvals as the upgrade did")
    func downgrades() {
        let rules = PhaseRules.ifrc
        #expect(rules.requiredApprovals(from: "red", to: "orange") == [.regionalDirector, .headOfGSU])
        #expect(rules.requiredApprovals(from: "orange", to: "yellow") == [.seniorManager, .headOfGSU])
        #expect(rules.requiredApprovals(from: "red", to: "white") == [.seniorManager, .regionalDirector, .headOfGSU])
        #expect(rules.requiredApprovals(from: "yellow", to: "white") == [.seniorManager])
    }

    @Test("a declaration waits as pending until every approval is in, and is never in force before")
    func pendingUntilApproved() throws {
        var red = try declaration(from: "orange", to: "red", by: coordinator).validated()
        #expect(red.status(.ifrc) == .pending(missing: [.regionalDirector, .headOfGSU]))
        red = try red.approved(by: gsuHead, holding: [.headOfGSU], as: .headOfGSU, at: at)
        #expect(red.status(.ifrc) == .pending(missing: [.regionalDirector]))
        red = try red.approved(by: director, holding: [.regionalDirector], as: .regionalDirector, at: at)
        #expect(red.status(.ifrc) == .inForce)
        // Yellow declared by the senior manager is in force with their own approval.
        let yellow = try declaration(from: "white", to: "yellow").validated()
            .approved(by: manager, holding: [.seniorManager], as: .seniorManager, at: at)
        #expect(yellow.status(.ifrc) == .inForce)
    }

    @Test(
        "refused, nothing changed: an approval without the authority, one not needed, one given twice, and one's own where a second person is required"
    )
    func refusals() throws {
        let orange = try declaration(from: "yellow", to: "orange", by: gsuHead).validated()
        func refusal(_ body: () throws(DomainError) -> PhaseDeclaration) -> String? {
            do { _ = try body(); return nil } catch { return error.messageKey }
        }
        #expect(
            refusal { () throws(DomainError) in
                try orange.approved(by: coordinator, holding: [], as: .headOfGSU, at: at)
            } == "error.phase_authority")
        #expect(
            refusal { () throws(DomainError) in
                try orange.approved(by: director, holding: [.regionalDirector], as: .regionalDirector, at: at)
            } == "error.phase_not_needed")
        #expect(
            refusal { () throws(DomainError) in
                try orange.approved(by: gsuHead, holding: [.headOfGSU], as: .headOfGSU, at: at)
            } == "error.phase_own")
        let approved = try orange.approved(by: UserID(UUID()), holding: [.headOfGSU], as: .headOfGSU, at: at)
        #expect(
            refusal { () throws(DomainError) in
                try approved.approved(by: UserID(UUID()), holding: [.headOfGSU], as: .headOfGSU, at: at)
            } == "error.phase_already")
        #expect(orange.approvals.isEmpty && orange.status(.ifrc) == .pending(missing: [.headOfGSU]))
        // A senior manager who declares a downgrade from Orange gives their own approval; the Head of GSU's is still needed.
        let down = try declaration(from: "orange", to: "yellow").validated()
            .approved(by: manager, holding: [.seniorManager], as: .seniorManager, at: at)
        #expect(down.status(.ifrc) == .pending(missing: [.headOfGSU]))
    }

    @Test("a declaration names a known phase, a change, its reason, and for an upgrade the indicators met")
    func validation() {
        var d = declaration(from: "yellow", to: "purple")
        d.justification = "  "
        d.indicatorsMet = [" "]
        do {
            _ = try d.validated()
            Issue.record("accepted an unknown phase without a reason")
        } catch {
            #expect(Set(error.errors.compactMap(\.field)) == ["phase", "justification"])
        }
        d = declaration(from: "yellow", to: "yellow")
        #expect(throws: ValidationErrors.self) { try d.validated() }
        d = declaration(from: "yellow", to: "orange")
        d.indicatorsMet = []
        do {
            _ = try d.validated()
            Issue.record("accepted an upgrade without indicators")
        } catch {
            #expect(error.message(for: "indicators")?.messageKey == "error.phase_indicators")
        }
        // A downgrade needs a reason, not indicators.
        d = declaration(from: "orange", to: "yellow")
        d.indicatorsMet = []
        #expect(throws: Never.self) { try d.validated() }
    }

    @Test("edited rules with a phase nobody approves, or a rule for a phase that does not exist, are refused")
    func editedRules() {
        var rules = PhaseRules.ifrc
        rules.rules["orange"]?.approvals = []
        rules.rules["purple"] = .init(approvals: [.seniorManager], notify: [])
        #expect(
            rules.problems() == [
                "Phase orange names nobody who approves it.", "A rule names purple, which is not a phase.",
                "Phase orange must keep the approval of head_of_gsu (the IFRC minimum).",
            ])
    }

    @Test(
        "the IFRC floor cannot be configured away: Red keeps both approvals, Orange the Head of GSU's, a phase above Red needs Red's, the order stays"
    )
    func floor() {
        var lowered = PhaseRules.ifrc
        lowered.rules["red"]?.approvals = [.seniorManager]
        #expect(
            lowered.problems() == [
                "Phase red must keep the approval of head_of_gsu and regional_director (the IFRC minimum)."
            ])
        // Even rules stored before the floor existed never ask for less.
        #expect(
            lowered.requiredApprovals(from: "orange", to: "red") == [.seniorManager, .regionalDirector, .headOfGSU])
        var added = PhaseRules.ifrc
        added.phases.append("black")
        added.rules["black"] = .init(approvals: [.seniorManager], notify: [])
        #expect(
            added.problems() == [
                "Phase black must keep the approval of head_of_gsu and regional_director (the IFRC minimum)."
            ])
        #expect(added.requiredApprovals(from: "yellow", to: "black").isSuperset(of: [.regionalDirector, .headOfGSU]))
        added.rules["black"]?.approvals = [.regionalDirector, .headOfGSU, .seniorManager]
        #expect(added.problems().isEmpty, "adding approvers is allowed")
        var reordered = PhaseRules.ifrc
        reordered.phases = ["white", "yellow", "red", "orange"]
        #expect(
            reordered.problems().contains("The IFRC phases white, yellow, orange, red must all be kept, in this order.")
        )
        var dropped = PhaseRules.ifrc
        dropped.phases.removeLast()
        dropped.rules["red"] = nil
        #expect(dropped.problems() == ["The IFRC phases white, yellow, orange, red must all be kept, in this order."])
    }

    @Test("Red's two approvals are two people, neither the declarer nor the senior manager")
    func twoPeople() throws {
        func refusal(_ body: () throws(DomainError) -> PhaseDeclaration) -> String? {
            do { _ = try body(); return nil } catch { return error.messageKey }
        }
        let red = try declaration(from: "orange", to: "red", by: coordinator).validated()
        let both: Set<PhaseAuthority> = [.headOfGSU, .regionalDirector]
        let once = try red.approved(by: director, holding: both, as: .regionalDirector, at: at)
        #expect(
            refusal { () throws(DomainError) in try once.approved(by: director, holding: both, as: .headOfGSU, at: at) }
                == "error.phase_same_person")
        #expect(
            refusal { () throws(DomainError) in
                try red.approved(
                    by: manager, holding: [.seniorManager, .headOfGSU], as: .headOfGSU, at: at,
                    seniorManagers: [manager])
            } == "error.phase_senior_manager")
        // A downgrade from Red needs three approvals from three people.
        let down = try declaration(from: "red", to: "yellow").validated()
            .approved(by: manager, holding: [.seniorManager, .regionalDirector], as: .seniorManager, at: at)
        #expect(
            refusal { () throws(DomainError) in
                try down.approved(
                    by: manager, holding: [.seniorManager, .regionalDirector], as: .regionalDirector, at: at)
            } == "error.phase_own")
        let full = try down.approved(by: director, holding: [.regionalDirector], as: .regionalDirector, at: at)
            .approved(by: gsuHead, holding: [.headOfGSU], as: .headOfGSU, at: at)
        #expect(full.status(.ifrc) == .inForce)
    }

    @Test("nobody is named to an approving authority that would let one person approve twice")
    func grants() {
        let user = UserID(UUID())
        func key(
            _ authority: PhaseAuthority, holding held: Set<PhaseAuthority> = [], actor: Bool = false,
            senior: Bool = false
        ) -> String? {
            PhaseDeclaration.grantProblem(authority, to: user, holding: held, isActor: actor, isSeniorManager: senior)?
                .messageKey
        }
        #expect(key(.headOfGSU) == nil && key(.regionalDirector) == nil && key(.seniorManager) == nil)
        #expect(key(.headOfGSU, actor: true) == "error.phase_holder_self")
        #expect(key(.regionalDirector, senior: true) == "error.phase_holder_senior")
        #expect(key(.regionalDirector, holding: [.headOfGSU]) == "error.phase_holder_both")
        #expect(key(.headOfGSU, holding: [.headOfGSU]) == nil, "naming again what one holds changes nothing")
        #expect(key(.seniorManager, holding: [.regionalDirector]) == "error.phase_holder_senior")
    }
}
