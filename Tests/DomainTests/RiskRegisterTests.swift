import Domain
import Foundation
import Testing

@Suite("Risk matrix and risk entries (issue 4, domain)")
struct RiskRegisterTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
    var nextMonth: Date { now.addingTimeInterval(30 * 86_400) }

    @Test("the SRM default matrix: five steps each way, levels from the product, monotonic, no problems")
    func defaultMatrix() {
        let m = RiskMatrix.srm
        #expect(m.problems().isEmpty)
        #expect(m.likelihoods.count == 5 && m.impacts.count == 5)
        #expect(m.levelKey(likelihood: 1, impact: 1) == "low")
        #expect(m.levelKey(likelihood: 1, impact: 5) == "medium")  // 5
        #expect(m.levelKey(likelihood: 3, impact: 4) == "high")  // 12
        #expect(m.levelKey(likelihood: 4, impact: 4) == "very_high")  // 16
        #expect(m.levelKey(likelihood: 5, impact: 4) == "unacceptable")  // 20
        #expect(m.levelKey(likelihood: 5, impact: 5) == "unacceptable")
        #expect(m.level(likelihood: 0, impact: 3) == nil && m.level(likelihood: 3, impact: 6) == nil)
        for l in 1...5 {
            for i in 1...5 { #expect(m.level(likelihood: l, impact: i) == m.level(likelihood: i, impact: l)) }
        }
    }

    @Test("an edited matrix that is the wrong shape, names a missing level or goes down is refused, each problem said")
    func editedMatrix() {
        var m = RiskMatrix.srm
        m.cells[2][3] = 0  // likelihood 3, impact 4 lower than impact 3 before it and than likelihood 2 below it
        #expect(
            m.problems() == [
                "likelihood 3, impact 4 is lower than the less severe impact before it.",
                "likelihood 3, impact 4 is lower than the less likely combination below it.",
            ])
        m = RiskMatrix.srm
        m.cells[0][0] = 9
        #expect(m.problems() == ["likelihood 1, impact 1: level 9 does not exist (0–4)."])
        m = RiskMatrix.srm
        m.cells.removeLast()
        #expect(m.problems() == ["The cells must form 5 rows (likelihoods) of 5 (impacts)."])
        m = RiskMatrix.srm
        m.levels[1] = "low"
        #expect(m.problems() == ["A level is named twice."])
        // A 3 × 3 matrix of an administrator's own is fine when it is consistent.
        let small = RiskMatrix(
            likelihoods: ["rare", "possible", "likely"], impacts: ["minor", "major", "severe"],
            levels: ["low", "high"], cells: [[0, 0, 1], [0, 1, 1], [1, 1, 1]])
        #expect(small.problems().isEmpty && small.levelKey(likelihood: 2, impact: 2) == "high")
    }

    func draft() -> RiskDraft {
        RiskDraft(
            title: "  Ambush on the Kassala road ", threat: "armed_conflict", targets: [.people, .assets],
            vulnerabilities: "Unarmoured vehicles", areaPcodes: ["SD11"], likelihood: 4, impact: 4,
            measures: [
                MitigationMeasure(
                    description: "Convoy rules", owner: "Security Coordinator", dueOn: nextMonth,
                    strategy: .protection, tags: [" Movement "])
            ],
            residualLikelihood: 2, residualImpact: 4, nextReview: nextMonth)
    }

    @Test("a complete risk is kept with its text trimmed and its levels from the matrix")
    func validRisk() throws {
        let risk = try draft().validated(now: now)
        #expect(risk.title == "Ambush on the Kassala road")
        #expect(risk.measures[0].tags == ["movement"])
        #expect(risk.inherentLevel(.srm).map { RiskMatrix.srm.levels[$0] } == "very_high")
        #expect(risk.residualLevel(.srm).map { RiskMatrix.srm.levels[$0] } == "medium")
    }

    @Test(
        "a likelihood or impact outside the matrix, an unknown threat, a review date in the past: each refused with its field"
    )
    func badInput() {
        var d = draft()
        d.likelihood = 6
        d.impact = 0
        d.threat = "dragons"
        d.targets = []
        d.nextReview = now.addingTimeInterval(-2 * 86_400)
        d.residualImpact = nil
        d.measures.append(MitigationMeasure(description: "", owner: "", strategy: .acceptance))
        #expect(throws: ValidationErrors.self) { try d.validated(now: now) }
        do {
            _ = try d.validated(now: now)
            Issue.record("accepted a risk outside the matrix")
        } catch {
            let fields = Set(error.errors.compactMap(\.field))
            #expect(
                fields == [
                    "likelihood", "impact", "threat", "targets", "next_review", "residual_impact", "measures[1]",
                ])
            #expect(
                error.message(for: "likelihood")?.message
                    == "6 is outside the matrix: use 1 (very_unlikely) to 5 (very_likely).")
        }
    }

    @Test("accepting a residual risk of high or above needs the programme's criticality; lower does not")
    func acceptance() throws {
        var d = draft()
        d.residualLikelihood = 3
        d.residualImpact = 4  // 12: high
        d.acceptance = RiskAcceptance(
            decidedBy: "Head of Operations", decidedOn: now, rationale: "Life-saving distribution")
        do {
            _ = try d.validated(now: now)
            Issue.record("accepted a high residual risk without programme criticality")
        } catch {
            #expect(
                error.message(for: "programme_criticality")?.message
                    == "A residual risk of high may only be accepted with the programme's criticality (PC1–PC4).")
        }
        d.programmeCriticality = .pc1
        #expect(try d.validated(now: now).acceptance?.decidedBy == "Head of Operations")
        // Medium residual risk: no criticality needed.
        d.programmeCriticality = nil
        d.residualLikelihood = 2
        #expect(try d.validated(now: now).programmeCriticality == nil)
        // The threshold is data: from "very_high" up, a high residual risk needs no criticality.
        d.residualLikelihood = 3
        #expect(throws: Never.self) { try d.validated(rules: RiskRules(criticalityFromLevel: "very_high"), now: now) }
        // An acceptance names who and why, is not dated ahead, and follows a residual assessment.
        d.acceptance = RiskAcceptance(decidedBy: " ", decidedOn: now.addingTimeInterval(86_400), rationale: "")
        d.residualLikelihood = nil
        d.residualImpact = nil
        do {
            _ = try d.validated(now: now)
            Issue.record("accepted without who, why or a residual assessment")
        } catch {
            #expect(
                error.errors.map(\.messageKey).sorted() == [
                    "error.future", "error.risk_acceptance", "error.risk_acceptance_residual",
                ])
        }
    }
}
