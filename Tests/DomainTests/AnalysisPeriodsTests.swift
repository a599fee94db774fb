import Domain
import Foundation
import Testing

@Suite("Analysis periods and area roll-up")
struct AnalysisPeriodsTests {
    func day(_ text: String) -> Date { try! Date(text + "T00:00:00Z", strategy: .iso8601) }

    @Test("weeks start on Monday and months on the 1st, in UTC; empty periods are listed too")
    func labels() {
        // 2026-11-23 is a Monday; 2026-01-01 a Thursday (ISO week of 2025-12-29).
        #expect(
            AnalysisPeriods.labels(.week, from: day("2026-11-18"), to: day("2026-12-01")) == [
                "2026-11-16", "2026-11-23", "2026-11-30",
            ])
        #expect(
            AnalysisPeriods.labels(.week, from: day("2026-01-01"), to: day("2026-01-06")) == [
                "2025-12-29", "2026-01-05",
            ])
        #expect(
            AnalysisPeriods.labels(.month, from: day("2025-11-15"), to: day("2026-02-01")) == [
                "2025-11", "2025-12", "2026-01",
            ])
        #expect(AnalysisPeriods.labels(.month, from: day("2026-02-01"), to: day("2026-02-01")).isEmpty)
    }

    @Test("the period before has the same length; the change is in percent, none from zero")
    func previousAndChange() {
        let before = AnalysisPeriods.previous(from: day("2026-03-01"), to: day("2026-03-31"))
        #expect(before.from == day("2026-01-30") && before.to == day("2026-03-01"))
        #expect(AnalysisPeriods.change(from: 4, to: 6) == 50)
        #expect(AnalysisPeriods.change(from: 4, to: 1) == -75)
        #expect(AnalysisPeriods.change(from: 0, to: 3) == nil)
    }

    @Test("an area rolls up through its parents to the chosen level; unknown codes stay as they are")
    func hierarchy() {
        let areas = AreaHierarchy([("SD", 0, nil), ("SD01", 1, "SD"), ("SD01001", 2, "SD01"), ("SD02", 1, "SD")])
        #expect(areas.ancestor(of: "SD01001", atLevel: 1) == "SD01")
        #expect(areas.ancestor(of: "SD01001", atLevel: 0) == "SD")
        #expect(areas.ancestor(of: "SD01", atLevel: 2) == "SD01")
        #expect(areas.ancestor(of: "XX99", atLevel: 1) == "XX99")
        #expect(areas.levels == [0, 1, 2])
    }

    @Test("the early warning flags a rise against the area's own baseline, not a steady rate")
    func earlyWarning() {
        let rule = EarlyWarningRule()
        // 6 in 28 days after 2 in the 182 before: expected about 0.5 (the floor), p far below 0.05.
        let rise = rule.evaluate(recent: 6, baseline: 2)
        #expect(rise.flagged && rise.pValue < 0.001)
        // 6 in 28 days after 39 in 182 (the same rate): expected 6, not significant.
        let steady = rule.evaluate(recent: 6, baseline: 39)
        #expect(!steady.flagged && abs(steady.expected - 6) < 1e-9)
        // Two incidents are never enough, however quiet the area was.
        #expect(!rule.evaluate(recent: 2, baseline: 0).flagged)
        #expect(rule.statement.contains("Poisson") && rule.statement.contains("28") && rule.statement.contains("182"))
    }
}

@Suite("Flow trends")
struct FlowTrendsTests {
    @Test("the trailing seven-day mean starts on the seventh day and moves with the window")
    func movingAverage() {
        let values = [7, 7, 7, 7, 7, 7, 7, 14, 0]
        let averages = FlowTrends.movingAverage(values)
        #expect(averages.prefix(6).allSatisfy { $0 == nil })
        #expect(averages[6] == 7 && averages[7] == 8 && averages[8] == 7)
        #expect(FlowTrends.movingAverage([1, 2], window: 0) == [nil, nil])
    }

    @Test("the days between two dates, both included, in UTC")
    func days() {
        let from = AnalysisPeriods.calendar.date(from: DateComponents(year: 2024, month: 2, day: 27, hour: 23))!
        let to = AnalysisPeriods.calendar.date(from: DateComponents(year: 2024, month: 3, day: 1, hour: 1))!
        #expect(FlowTrends.days(from: from, to: to) == ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"])
    }
}
