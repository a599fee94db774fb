import Domain
import Foundation
import Testing

@Suite("Security phase declarations and their approval chain (issue 4, domain)")
struct SecurityPhaseTests {
    let manager = UUID(), gsuHead = UUID(), director = UUID(), coordinator = UUID()
    let at = Date(timeIntervalSince1970: 1_795_000_000)

    func declaration(from: String?, to: String, by: UUID? = nil) -> PhaseDeclaration {
        PhaseDeclaration(areaPcode: "SD11", from: from, to: to, justification: "Clashes near Kassala town",
                         indicatorsMet: ["armed clashes within 10 km"], declaredBy: by ?? manager, declaredAt: at)
    }

    @Test("the IFRC chain: White and Yellow by the senior manager, Orange by the Head of GSU, Red by the Regional Director and the Head of GSU")
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

    @Test("refused, nothing changed: an approval without the authority, one not needed, one given twice, and one's own where a second person is required")
    func refusals() throws {
        let orange = try declaration(from: "yellow", to: "orange", by: gsuHead).validated()
        func refusal(_ body: () throws(DomainError) -> PhaseDeclaration) -> String? {
            do { _ = try body(); return nil } catch { return error.messageKey }
        }
        #expect(refusal { () throws(DomainError) in try orange.approved(by: coordinator, holding: [], as: .headOfGSU, at: at) } == "error.phase_authority")
        #expect(refusal { () throws(DomainError) in try orange.approved(by: director, holding: [.regionalDirector], as: .regionalDirector, at: at) } == "error.phase_not_needed")
        #expect(refusal { () throws(DomainError) in try orange.approved(by: gsuHead, holding: [.headOfGSU], as: .headOfGSU, at: at) } == "error.phase_own")
        let approved = try orange.approved(by: UUID(), holding: [.headOfGSU], as: .headOfGSU, at: at)
        #expect(refusal { () throws(DomainError) in try approved.approved(by: UUID(), holding: [.headOfGSU], as: .headOfGSU, at: at) } == "error.phase_already")
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
        #expect(rules.problems() == ["Phase orange names nobody who approves it.", "A rule names purple, which is not a phase."])
    }
}
