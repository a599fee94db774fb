import Foundation

/// The one place days and times are read from text and written as text: ISO 8601, in UTC, as
/// the forms, the API, the importers and the exports all use them. Built on `CivilDay`, without
/// `DateFormatter` or `Calendar`, which cost microseconds a call and accept more than they should.
public enum DateText {
    /// "2026-11-23" (month and day may have one digit) as the start of that day in UTC; nil unless
    /// it is a real day of a year from 1 to 9999.
    public static func day(_ text: String) -> Date? {
        guard let days = days(Substring(text.trimmingCharacters(in: .whitespaces))) else { return nil }
        return Date(timeIntervalSince1970: Double(days) * 86_400)
    }

    /// A time in UTC: "2026-11-23T14:05", "2026-11-23 14:05", either with ":ss" (and a fraction), or a day alone
    /// (its first minute). After a "T", an ISO 8601 zone may follow: "Z", "+03:00" or "-0130"
    /// (the time is then moved to UTC).
    public static func time(_ text: String) -> Date? {
        var trimmed = Substring(text.trimmingCharacters(in: .whitespaces))
        var offset = 0
        if let t = trimmed.firstIndex(of: "T") {
            let clock = trimmed[trimmed.index(after: t)...]
            if clock.hasSuffix("Z") {
                trimmed = trimmed.dropLast()
            } else if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
                let zone = clock[clock.index(after: sign)...]
                let digits = zone.count == 5 && zone.dropFirst(2).first == ":" ? zone.prefix(2) + zone.suffix(2) : zone
                guard digits.count == 4, let hours = number(Substring(digits.prefix(2))),
                    let minutes = number(Substring(digits.suffix(2))), hours < 24, minutes < 60
                else { return nil }
                offset = (hours * 3_600 + minutes * 60) * (clock[sign] == "+" ? 1 : -1)
                trimmed = trimmed[..<sign]
            }
        }
        guard let local = localTime(trimmed) else { return nil }
        // A zone may move the moment out of years 1–9999, which nothing could write back.
        let moved = local.addingTimeInterval(Double(-offset))
        return split(moved) == nil ? nil : moved
    }

    static func localTime(_ trimmed: Substring) -> Date? {
        let parts = trimmed.split(separator: trimmed.contains("T") ? "T" : " ", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let days = days(parts[0]) else { return nil }
        var seconds = 0
        if parts.count == 2 {
            let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(clock.count), clock.prefix(2).allSatisfy({ $0.count == 2 }),
                let hour = number(clock[0]), let minute = number(clock[1]), hour < 24, minute < 60
            else { return nil }
            // Seconds may carry a fraction ("09.123", as JavaScript and the gateways write them).
            var fraction = 0.0
            var secondText = clock.count == 3 ? clock[2] : "00"
            if let dot = secondText.firstIndex(of: ".") {
                let digits = secondText[secondText.index(after: dot)...]
                guard (1...9).contains(digits.count), let value = number(digits) else { return nil }
                fraction = Double(value) / pow(10, Double(digits.count))
                secondText = secondText[..<dot]
            }
            guard secondText.count == 2, let second = number(secondText), second < 60 else { return nil }
            seconds = hour * 3_600 + minute * 60 + second
            return Date(timeIntervalSince1970: Double(days) * 86_400 + Double(seconds) + fraction)
        }
        return Date(timeIntervalSince1970: Double(days) * 86_400 + Double(seconds))
    }

    /// "2026-11-23".
    public static func day(_ date: Date) -> String {
        guard let (days, _) = split(date) else { return "—" }
        let c = CivilDay.civil(daysSinceEpoch: days)
        return CivilDay.padded(c.year, 4) + "-" + CivilDay.padded(c.month, 2) + "-" + CivilDay.padded(c.day, 2)
    }

    /// "2026-11-23 14:05 UTC": how a page shows a moment.
    public static func minute(_ date: Date) -> String {
        guard let (_, seconds) = split(date) else { return "—" }
        return day(date) + " " + CivilDay.padded(seconds / 3_600, 2) + ":" + CivilDay.padded(seconds % 3_600 / 60, 2)
            + " UTC"
    }

    /// "2026-11-23T14:05": what a `datetime-local` input expects, in UTC.
    public static func formTime(_ date: Date) -> String {
        guard let (_, seconds) = split(date) else { return "" }
        return day(date) + "T" + CivilDay.padded(seconds / 3_600, 2) + ":" + CivilDay.padded(seconds % 3_600 / 60, 2)
    }

    /// Whole days since 1970 and seconds into the day; nil outside years 1 to 9999 (or not finite).
    static func split(_ date: Date) -> (days: Int, seconds: Int)? {
        let t = date.timeIntervalSince1970
        guard t.isFinite, t >= -62_135_596_800, t < 253_402_300_800 else { return nil }
        let days = Int((t / 86_400).rounded(.down))
        return (days, Int(t - Double(days) * 86_400))
    }

    /// "YYYY-M(M)-D(D)" as days since 1970.
    static func days(_ text: Substring) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            let year = number(parts[0]), let month = number(parts[1]), let day = number(parts[2]), year >= 1,
            let length = CivilDay.daysInMonth(year: year, month: month), (1...length).contains(day)
        else { return nil }
        return CivilDay.daysSinceEpoch(year: year, month: month, day: day)
    }

    /// ASCII digits only (no sign, no spaces, no grouping) as a number: the one whole-number reader's.
    static func number(_ text: Substring) -> Int? { WholeNumber.parse(text) }
}
