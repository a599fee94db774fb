import Foundation

/// A document generated on a schedule ("every Monday at 06:00, operation time") and sent by e-mail
/// to a distribution list. The time is a wall-clock time in the schedule's zone, so it follows
/// summer time; the period of each run is the days since the last issue of its kind (a week when
/// there is none) up to the day before.
public struct BriefScheduleDraft: Sendable, Hashable {
    public var kind: BriefKind
    /// ISO weekday: 1 is Monday, 7 Sunday.
    public var weekday: Int
    /// Minutes after midnight on the zone's clock.
    public var minuteOfDay: Int
    public var time: OperationTime
    public var language: ProductLanguage
    public var audience: AudienceLevel
    public var listID: UUID
    public var active: Bool

    public init(
        kind: BriefKind, weekday: Int, minuteOfDay: Int, time: OperationTime, language: ProductLanguage,
        audience: AudienceLevel, listID: UUID, active: Bool = true
    ) {
        self.kind = kind
        self.weekday = weekday
        self.minuteOfDay = minuteOfDay
        self.time = time
        self.language = language
        self.audience = audience
        self.listID = listID
        self.active = active
    }

    /// "06:00".
    public var clockText: String { CivilDay.padded(minuteOfDay / 60, 2) + ":" + CivilDay.padded(minuteOfDay % 60, 2) }

    /// The first run after `moment`: the next such weekday and wall-clock time in the zone. A time a
    /// summer-time change skips runs at the same wall time read with the offset before the change.
    public func nextRun(after moment: Date) -> Date {
        let today = time.calendarDay(moment)
        for ahead in 0...8 {
            let day = today.addingTimeInterval(Double(ahead) * 86_400)
            guard Self.weekday(of: day) == weekday,
                let run = time.time(DateText.day(day) + "T" + clockText), run > moment
            else { continue }
            return run
        }
        // Unreachable: a week always holds the weekday.
        return moment.addingTimeInterval(7 * 86_400)
    }

    /// The ISO weekday of a stored day (its midnight in UTC).
    public static func weekday(of day: Date) -> Int {
        let days = Int((day.timeIntervalSince1970 / 86_400).rounded(.down))
        return ((days % 7 + 7 + 3) % 7) + 1
    }

    /// The period a run at `run` reports on: from the day after the last issue of its kind ended
    /// (`lastEnded`; a week when there is none) up to the day before the run's day.
    public func period(at run: Date, lastEnded: Date?) -> ReportPeriod {
        ReportPeriod.following(lastEnded: lastEnded, today: time.calendarDay(run).addingTimeInterval(-86_400))
    }
}

/// A schedule as typed; `decoded` checks every field.
public struct BriefScheduleInput: Sendable, Hashable {
    public var kind = ""
    public var weekday = ""
    public var time = ""
    public var timeZone = ""
    public var language = ""
    public var audience = ""
    public var listID = ""
    public var active = ""

    public init() {}

    public func decoded() throws(ValidationErrors) -> BriefScheduleDraft {
        var read = FieldReader()
        let kind = read.choice(kind, "kind", BriefKind.self)
        if kind == .handover {
            read.errors.add("kind", key: "briefs.schedule_handover", "A handover pack is made once, not on a schedule.")
        }
        if read.trimmed(self.kind) == nil { read.errors.add("kind", key: "error.required", "Choose a kind.") }
        var weekday: Int?
        if let text = read.trimmed(self.weekday) {
            if let n = WholeNumber.parse(Substring(text)), (1...7).contains(n) {
                weekday = n
            } else {
                read.errors.add(
                    "weekday", key: "briefs.weekday", "A weekday from 1 (Monday) to 7 (Sunday), not '\(text)'.")
            }
        } else {
            read.errors.add("weekday", key: "error.required", "Choose a weekday.")
        }
        var minute: Int?
        if let text = read.trimmed(time) {
            let parts = text.split(separator: ":")
            if parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let h = WholeNumber.parse(parts[0]),
                let m = WholeNumber.parse(parts[1]), (0..<24).contains(h), (0..<60).contains(m)
            {
                minute = h * 60 + m
            } else {
                read.errors.add("time", key: "briefs.time", "A time of day as HH:MM (24 hours), not '\(text)'.")
            }
        } else {
            read.errors.add("time", key: "error.required", "Give the time of day.")
        }
        var zone: OperationTime?
        if let text = read.trimmed(timeZone) {
            zone = OperationTime(identifier: text)
            if zone == nil {
                read.errors.add(
                    "time_zone", key: "error.time_zone",
                    "Unknown time zone '\(text)': give an IANA name such as Africa/Khartoum.")
            }
        } else {
            read.errors.add("time_zone", key: "error.required", "Choose a time zone.")
        }
        let language = read.choice(language, "language", ProductLanguage.self) ?? .en
        let audience = read.choice(audience, "audience", AudienceLevel.self) ?? .ifrcOnly
        if audience == .restricted {
            read.errors.add(
                "audience", key: "briefs.audience_restricted", BriefWorkflow.Refusal.restrictedAudience.message)
        }
        let list = read.identifier(listID, "list_id")
        if read.trimmed(listID) == nil {
            read.errors.add("list_id", key: "products.list_required", "Choose a distribution list.")
        }
        let active = read.yesNo(active, "active") ?? true
        try read.errors.throwIfAny()
        return BriefScheduleDraft(
            kind: kind!, weekday: weekday!, minuteOfDay: minute!, time: zone!, language: language, audience: audience,
            listID: list!, active: active)
    }
}
