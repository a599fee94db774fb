import Foundation

/// Times as an operation lives them: entered and shown in its time zone (an IANA name chosen for
/// the operation), stored in UTC. Offsets come from the system's time zone database, so summer
/// time and changes of a country's offset are followed.
public struct OperationTime: Sendable, Hashable {
    public let zone: TimeZone
    /// The IANA name, as chosen.
    public let identifier: String

    public static let utc = OperationTime(identifier: "UTC")!

    /// IANA names to offer ("UTC" first): the system's list, which may lack a few recent names
    /// (it has "Asia/Calcutta", not "Asia/Kolkata"); any name its database knows is accepted.
    public static let identifiers: [String] =
        ["UTC"] + TimeZone.knownTimeZoneIdentifiers.filter { $0 != "UTC" }.sorted()

    /// The zone with that IANA name ("Africa/Khartoum"), as the system's time zone database knows
    /// it; nil for anything else, fixed offsets such as "GMT+3" included (they do not follow a
    /// country's changes).
    public init?(identifier: String) {
        let name = identifier.trimmingCharacters(in: .whitespaces)
        guard name.range(of: #"^[A-Za-z]+(/[A-Za-z0-9_+-]+)*$"#, options: .regularExpression) != nil,
            let zone = TimeZone(identifier: name), zone.identifier == name || name == "UTC"
        else { return nil }
        self.zone = zone
        self.identifier = name
    }

    /// Seconds east of UTC at `date`.
    public func offset(at date: Date) -> Int { zone.secondsFromGMT(for: date) }

    /// "UTC", "UTC+2", "UTC+5:30", "UTC-3" at `date`.
    public func offsetLabel(at date: Date) -> String {
        let seconds = offset(at: date)
        guard seconds != 0 else { return "UTC" }
        let minutes = abs(seconds) / 60
        let hours = "UTC" + (seconds > 0 ? "+" : "-") + String(minutes / 60)
        return minutes % 60 == 0 ? hours : hours + ":" + CivilDay.padded(minutes % 60, 2)
    }

    /// The moment as the operation's wall clock shows it, counted as if it were UTC.
    func local(_ date: Date) -> Date { date.addingTimeInterval(Double(offset(at: date))) }

    /// "2026-12-05 17:14 UTC+2".
    public func minute(_ date: Date) -> String {
        String(DateText.minute(local(date)).dropLast(4)) + " " + offsetLabel(at: date)
    }

    /// "2026-12-05 17:14 UTC+2 (15:14 UTC)": where the moment matters to people in other zones
    /// (a reporting deadline); the plain UTC time when the operation keeps UTC.
    public func minuteWithUTC(_ date: Date) -> String {
        guard offset(at: date) != 0 else { return DateText.minute(date) }
        let utc = DateText.minute(date)
        let sameDay = DateText.day(local(date)) == DateText.day(date)
        return minute(date) + " (" + (sameDay ? String(utc.dropFirst(11)) : utc) + ")"
    }

    /// The operation's day of `date`, "2026-12-05".
    public func day(_ date: Date) -> String { DateText.day(local(date)) }

    /// The operation's calendar day at `date`, as days are stored (its midnight in UTC): what "due
    /// today" and "overdue" compare with.
    public func calendarDay(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (local(date).timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// The value of a `datetime-local` field: "2026-12-05T17:14" on the operation's clock.
    public func formTime(_ date: Date) -> String { DateText.formTime(local(date)) }

    /// A time as a person entered it: with an explicit zone ("…Z", "…+03:00") as it says; without
    /// one, on the operation's clock. A wall-clock time that a summer-time change skips is read
    /// with the offset before the change; one that occurs twice, as the first.
    public func time(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let t = trimmed.firstIndex(of: "T"),
            trimmed[t...].contains(where: { $0 == "Z" || $0 == "+" || $0 == "-" })
        {
            return DateText.time(trimmed)
        }
        guard let wall = DateText.time(trimmed) else { return nil }
        // The wall time read with the offsets in force a day before and a day after; a reading is
        // right when the zone has that offset at the moment it gives.
        let before = offset(at: wall.addingTimeInterval(-86_400)), after = offset(at: wall.addingTimeInterval(86_400))
        let readings = [before, after].map { wall.addingTimeInterval(-Double($0)) }
            .filter { $0.addingTimeInterval(Double(offset(at: $0))) == wall }
        return readings.min() ?? wall.addingTimeInterval(-Double(before))
    }
}
