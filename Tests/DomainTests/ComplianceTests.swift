import Domain
import Foundation
import Testing

@Suite("MSR compliance: scores per part and exemptions (issue 4, domain)")
struct ComplianceTests {
    func day(_ text: String) -> Date { try! Date(text + "T00:00:00Z", strategy: .iso8601) }

    @Test("the default catalogue covers the seven parts with unique codes, and its staffing requirements are marked")
    func catalogue() {
        let codes = MSRRequirement.defaults.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(Set(MSRRequirement.defaults.map(\.part)) == Set(1...7))
        #expect(MSRRequirement.defaults.filter(\.isStaffing).map(\.code) == ["6.2", "6.3"])
        #expect(!MSRRequirement.defaults.first { $0.code == "6.2" }!.applies(in: "yellow"))
        #expect(MSRRequirement.defaults.first { $0.code == "6.2" }!.applies(in: "red"))
    }

    @Test(
        "a part scores met whole, partly met half, not met and unassessed nothing; not applicable and phase-bound requirements are left out"
    )
    func scores() {
        let assessment = ComplianceAssessment(
            assessedOn: day("2026-06-01"), phase: "yellow",
            findings: [
                .init(requirement: "2.1", status: .met), .init(requirement: "2.2", status: .partlyMet),
                .init(requirement: "2.3", status: .notMet), .init(requirement: "2.4", status: .notApplicable),
                // 2.5 not assessed: counts as not met.
                .init(requirement: "6.1", status: .met), .init(requirement: "6.3", status: .met),
                .init(requirement: "4.4", status: .notMet),  // Orange/Red only: left out in Yellow
            ])
        let scores = assessment.scores()
        #expect(scores[2] == .some(38))  // (1 + 0.5 + 0 + 0) / 4
        #expect(scores[6] == .some(100))  // 6.2 does not apply in Yellow
        #expect(scores[4] == .some(0))  // 4.1–4.3 unassessed; 4.4 left out
        // In Red, the full-time security delegate counts, and is missing.
        let red = ComplianceAssessment(assessedOn: day("2026-06-01"), phase: "red", findings: assessment.findings)
        #expect(red.scores()[6] == .some(67))
        // A part whose only requirements are not applicable has no score.
        let none = ComplianceAssessment(
            assessedOn: day("2026-06-01"), phase: "yellow",
            findings: [
                .init(requirement: "7.1", status: .notApplicable), .init(requirement: "7.2", status: .notApplicable),
            ])
        #expect(none.scores()[7] == .some(nil))
    }

    @Test("an exemption in force that day takes its requirement out of the score; an expired one does not")
    func exemptions() throws {
        let red = ComplianceAssessment(
            assessedOn: day("2026-06-01"), phase: "red",
            findings: [
                .init(requirement: "6.1", status: .met), .init(requirement: "6.3", status: .met),
            ])
        #expect(red.scores()[6] == .some(67))
        let exemption = try ComplianceExemption(
            requirement: "6.2", grantedBy: "Head of GSU", reason: .operational,
            writtenReason: "Recruitment under way; RSC covers remotely",
            grantedOn: day("2026-05-01"), expiresOn: day("2026-07-01")
        ).validated()
        #expect(red.scores(exemptions: [exemption])[6] == .some(100))
        let later = ComplianceAssessment(assessedOn: day("2026-07-02"), phase: "red", findings: red.findings)
        #expect(later.scores(exemptions: [exemption])[6] == .some(67))
    }

    @Test("an exemption is written, named, dated to expire, and never for financial reasons on staffing")
    func exemptionRules() {
        let financial = ComplianceExemption(
            requirement: "6.2", grantedBy: "Head of GSU", reason: .financial,
            writtenReason: "No budget", grantedOn: day("2026-05-01"), expiresOn: day("2026-07-01"))
        do {
            _ = try financial.validated()
            Issue.record("a financial exemption from a staffing requirement was accepted")
        } catch {
            #expect(
                error.message(for: "reason")?.message
                    == "A staffing requirement (6.2) is never waived for financial reasons.")
        }
        // The same reason on a requirement that is not about staffing is a decision for the GSU, not a rule breach.
        #expect(throws: Never.self) {
            try ComplianceExemption(
                requirement: "2.5", grantedBy: "Head of GSU", reason: .financial, writtenReason: "Radios on order",
                grantedOn: day("2026-05-01"), expiresOn: day("2026-07-01")
            ).validated()
        }
        let sloppy = ComplianceExemption(
            requirement: "9.9", grantedBy: " ", reason: .other, writtenReason: "",
            grantedOn: day("2026-05-01"), expiresOn: day("2026-05-01"))
        do {
            _ = try sloppy.validated()
            Issue.record("an unwritten exemption was accepted")
        } catch {
            #expect(
                Set(error.errors.compactMap(\.field)) == ["requirement", "granted_by", "written_reason", "expires_on"])
        }
    }
}
