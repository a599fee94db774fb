import Foundation

/// Trend arithmetic for flows: a trailing moving average and the days of a period (the change
/// against the period before is `AnalysisPeriods.change`).
public enum FlowTrends {
    /// The trailing mean over `window` values for each position; nil until `window` values exist.
    public static func movingAverage(_ values: [Int], window: Int = 7) -> [Double?] {
        guard window > 0 else { return values.map { _ in nil } }
        var result: [Double?] = []
        var sum = 0
        for (i, value) in values.enumerated() {
            sum += value
            if i >= window { sum -= values[i - window] }
            result.append(i + 1 >= window ? Double(sum) / Double(window) : nil)
        }
        return result
    }

    /// Every day from `from` to `to` (UTC), as YYYY-MM-DD: the x axis, with days without tallies.
    public static func days(from: Date, to: Date) -> [String] {
        var days: [String] = []
        var day = AnalysisPeriods.calendar.startOfDay(for: from)
        let last = AnalysisPeriods.calendar.startOfDay(for: to)
        while day <= last, days.count < 3_700 {
            days.append(DateText.day(day))
            day = day.addingTimeInterval(86_400)
        }
        return days
    }
}
