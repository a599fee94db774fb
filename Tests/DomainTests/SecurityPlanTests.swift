import Domain
import Foundation
import Testing

@Suite("Security plan clocks (issue 4, domain), with a controllable clock")
struct SecurityPlanTests {
    func day(_ text: String) -> Date { try! Date(text + "T12:00:00Z", strategy: .iso8601) }
    var start: Date { day("2026-01-01") }

    func states(_ deadlines: [PlanDeadline]) -> [String] {
        deadlines.map {
            "\($0.kind.rawValue) \($0.state.rawValue) \(ISO8601DateFormatter().string(from: $0.dueAt).prefix(10))"
        }
    }

    @Test("a plan is due within 14 days of the start: open, then overdue; approved in time it is met, after it late")
    func exists() {
        let none = PlanHistory(kind: .riskRegister)
        #expect(
            states(PlanClock.deadlines(for: none, operationStart: start, phaseChanges: [], now: day("2026-01-10"))) == [
                "exists open 2026-01-15"
            ])
        #expect(
            states(PlanClock.deadlines(for: none, operationStart: start, phaseChanges: [], now: day("2026-01-16"))) == [
                "exists overdue 2026-01-15"
            ])
        let inTime = PlanHistory(kind: .riskRegister, firstApprovedAt: day("2026-01-12"))
        #expect(
            states(PlanClock.deadlines(for: inTime, operationStart: start, phaseChanges: [], now: day("2026-02-01")))
                == ["exists met 2026-01-15", "review open 2026-07-12"])
        let late = PlanHistory(kind: .riskRegister, firstApprovedAt: day("2026-01-20"))
        #expect(
            states(PlanClock.deadlines(for: late, operationStart: start, phaseChanges: [], now: day("2026-02-01")))
                == ["exists late 2026-01-15", "review open 2026-07-20"])
    }

    @Test("a review is due six months after the last one, or when the phase changes, whichever comes first")
    func review() {
        let plan = PlanHistory(
            kind: .welcomeBrief, firstApprovedAt: day("2026-01-12"), lastReviewedAt: day("2026-03-01"))
        #expect(
            states(PlanClock.deadlines(for: plan, operationStart: start, phaseChanges: [], now: day("2026-09-02")))
                == ["exists met 2026-01-15", "review overdue 2026-09-01"])
        // A phase change before the last review asks nothing; one after it asks for a review at once.
        let changed = PlanClock.deadlines(
            for: plan, operationStart: start, phaseChanges: [day("2026-02-01"), day("2026-04-10")],
            now: day("2026-04-11"))
        #expect(states(changed) == ["exists met 2026-01-15", "review overdue 2026-04-10"])
        // Allowing a week after a change is a setting.
        let week = PlanClock.deadlines(
            for: plan, operationStart: start, phaseChanges: [day("2026-04-10")], now: day("2026-04-11"),
            rules: PlanRules(reviewAfterPhaseChangeDays: 7))
        #expect(states(week) == ["exists met 2026-01-15", "review open 2026-04-17"])
    }

    @Test("the evacuation and relocation plans need a yearly approval; the others do not")
    func yearly() {
        for kind in SecurityPlanKind.allCases {
            let plan = PlanHistory(kind: kind, firstApprovedAt: day("2026-01-12"), lastReviewedAt: day("2026-12-01"))
            let kinds = PlanClock.deadlines(for: plan, operationStart: start, phaseChanges: [], now: day("2027-01-13"))
                .map(\.kind)
            #expect(kinds.contains(.yearlyApproval) == (kind == .medicalEvacuation || kind == .relocation), "\(kind)")
        }
        let relocation = PlanHistory(
            kind: .relocation, firstApprovedAt: day("2026-01-12"), lastReviewedAt: day("2026-12-01"),
            lastYearlyApprovalAt: nil)
        #expect(
            states(
                PlanClock.deadlines(for: relocation, operationStart: start, phaseChanges: [], now: day("2027-01-13")))
                == ["exists met 2026-01-15", "review open 2027-06-01", "yearly_approval overdue 2027-01-12"])
        let renewed = PlanHistory(
            kind: .relocation, firstApprovedAt: day("2026-01-12"), lastReviewedAt: day("2026-12-01"),
            lastYearlyApprovalAt: day("2027-01-05"))
        #expect(
            states(PlanClock.deadlines(for: renewed, operationStart: start, phaseChanges: [], now: day("2027-01-13")))
                .last
                == "yearly_approval open 2028-01-05")
    }
}
