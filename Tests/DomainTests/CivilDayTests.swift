import Domain
import Foundation
import Testing

@Suite("Civil days without Calendar")
struct CivilDayTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    @Test("every day from 1900 to 2100 converts both ways as Foundation's Gregorian calendar says")
    func agreesWithCalendar() {
        let first = CivilDay.daysSinceEpoch(year: 1900, month: 1, day: 1)
        let last = CivilDay.daysSinceEpoch(year: 2100, month: 12, day: 31)
        #expect(first == -25_567 && last == 47_846)
        var mismatches: [Int] = []
        for days in first...last {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400)
            let c = Self.utc.dateComponents([.year, .month, .day], from: date)
            let civil = CivilDay.civil(daysSinceEpoch: days)
            if civil.year != c.year || civil.month != c.month || civil.day != c.day
                || CivilDay.daysSinceEpoch(year: civil.year, month: civil.month, day: civil.day) != days
                || (civil.day == 1
                    && CivilDay.daysInMonth(year: civil.year, month: civil.month)
                        != Self.utc.range(of: .day, in: .month, for: date)?.count)
            {
                mismatches.append(days)
            }
        }
        #expect(mismatches.isEmpty)
    }

    @Test("months outside 1–12 have no length; leap years follow the Gregorian rule")
    func monthLengths() {
        #expect(CivilDay.daysInMonth(year: 2024, month: 0) == nil)
        #expect(CivilDay.daysInMonth(year: 2024, month: 13) == nil)
        #expect(CivilDay.daysInMonth(year: 2000, month: 2) == 29)
        #expect(CivilDay.daysInMonth(year: 1900, month: 2) == 28)
        #expect(CivilDay.daysInMonth(year: 2023, month: 2) == 28)
        #expect(CivilDay.padded(7, 2) == "07" && CivilDay.padded(2026, 4) == "2026" && CivilDay.padded(-5, 2) == "-05")
    }
}
