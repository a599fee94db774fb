import Foundation

/// An incident as given, field by field, before it is checked: what the web form posts, what the
/// API's JSON says, written as text. `draft(now:)` is the one decoder both share, so the same
/// input gives the same draft, or the same field errors, whichever way it came in.
///
/// Empty text means "not given": a choice not given takes its default (unknown, moderate, …),
/// except the category and the audience, which must be chosen. An unknown code is an error, never
/// silently replaced.
public struct IncidentInput: Codable, Sendable, Equatable {
    /// One follow-up row: what, who, by when (a day), and whether it is done.
    public struct FollowUp: Codable, Sendable, Equatable {
        public var action: String
        public var owner: String
        public var due: String
        public var done: Bool

        public init(action: String = "", owner: String = "", due: String = "", done: Bool = false) {
            self.action = action
            self.owner = owner
            self.due = due
            self.done = done
        }

        public var isBlank: Bool {
            [action, owner, due].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
    }

    public var title = ""
    public var description = ""
    public var category = ""
    public var subtype = ""
    /// A time in UTC: "2026-11-23T14:30" as a form sends it, or ISO 8601 with a zone.
    public var occurredAt = ""
    public var timePrecision = ""
    public var knownAt = ""
    /// Decimal degrees; a comma is read as the decimal point.
    public var latitude = ""
    public var longitude = ""
    public var areaPcode = ""
    public var placeName = ""
    public var geoPrecision = ""
    public var locationType = ""
    public var affected: [String] = []
    /// Casualty cell key (`killed_national_female`) → whole number.
    public var casualties: [String: String] = [:]
    public var actorType = ""
    public var actorName = ""
    public var means = ""
    public var context = ""
    public var motive = ""
    public var severity = ""
    public var seriousInjury = false
    public var particularlySensitive = false
    public var nearMiss = false
    public var immediateActions = ""
    public var followUp: [FollowUp] = []
    /// Not on the web form: nil leaves it to the caller (an edit keeps what is stored).
    public var lessonsLearned: String?
    /// "yes", "no", or empty while unknown.
    public var proceduresFollowed = ""
    public var verification = ""
    public var source = ""
    public var reporterHidden = false
    public var audience = ""

    public init() {}

    /// A new report as the form first shows it: happening now, every choice at its default, seen
    /// by IFRC staff.
    public static func newReport(at now: Date, clock: OperationTime = .utc) -> IncidentInput {
        var input = IncidentInput()
        input.occurredAt = clock.formTime(now)
        input.timePrecision = TimePrecision.minute.rawValue
        input.geoPrecision = GeoPrecision.exact.rawValue
        input.locationType = IncidentLocationType.unknown.rawValue
        input.actorType = ActorType.unknown.rawValue
        input.means = IncidentMeans.unknown.rawValue
        input.context = IncidentContext.unknown.rawValue
        input.motive = IncidentMotive.unknown.rawValue
        input.severity = IncidentSeverity.moderate.rawValue
        input.verification = VerificationStatus.unverified.rawValue
        input.source = IncidentSource.staffReport.rawValue
        input.audience = AudienceLevel.ifrcOnly.rawValue
        return input
    }

    /// Verification and source as security judged them: what `stored` has (an edit), or a new
    /// report's (unverified, a staff report). For readers `AccessPolicy.canJudgeIncidentReports` refuses.
    public mutating func keepJudgement(of stored: IncidentDraft?) {
        verification = (stored?.verification ?? .unverified).rawValue
        source = (stored?.source ?? .staffReport).rawValue
    }

    /// The input that gives back a stored incident: what an edit form starts from, its times on
    /// `clock` (the operation's, for a form; UTC for the API).
    public init(_ d: IncidentDraft, clock: OperationTime = .utc) {
        title = d.title
        description = d.description ?? ""
        category = d.category.rawValue
        subtype = d.subtype?.rawValue ?? ""
        occurredAt = clock.formTime(d.occurredAt)
        timePrecision = d.timePrecision.rawValue
        knownAt = d.knownAt.map(clock.formTime) ?? ""
        latitude = d.latitude.map { String($0) } ?? ""
        longitude = d.longitude.map { String($0) } ?? ""
        areaPcode = d.areaPcode ?? ""
        placeName = d.placeName ?? ""
        geoPrecision = d.geoPrecision.rawValue
        locationType = d.locationType.rawValue
        affected = AffectedGroup.allCases.filter(d.affected.contains).map(\.rawValue)
        for (cell, count) in d.casualties.counts { casualties[cell.key] = String(count) }
        actorType = d.actorType.rawValue
        actorName = d.actorName ?? ""
        means = d.means.rawValue
        context = d.context.rawValue
        motive = d.motive.rawValue
        severity = d.severity.rawValue
        seriousInjury = d.seriousInjury
        particularlySensitive = d.particularlySensitive
        nearMiss = d.nearMiss
        immediateActions = d.immediateActions ?? ""
        followUp = d.followUpActions.map {
            FollowUp(action: $0.action, owner: $0.owner, due: $0.dueOn.map(DateText.day) ?? "", done: $0.done)
        }
        lessonsLearned = d.lessonsLearned
        proceduresFollowed = d.proceduresFollowed.map { $0 ? "yes" : "no" } ?? ""
        verification = d.verification.rawValue
        source = d.source.rawValue
        reporterHidden = d.reporterHidden
        audience = d.audience.rawValue
    }

    /// The checked draft; every problem at once, each named by its field (`occurred_at`,
    /// `casualties.killed_national_female`, `follow_up[0].due_on`), with the draft's own rules.
    /// A time without a zone is on `clock` (the operation's, for a form; UTC for the API).
    public func draft(now: Date, clock: OperationTime = .utc) throws(ValidationErrors) -> IncidentDraft {
        var errors = ValidationErrors()
        func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ field: String, _ fallback: T?) -> T?
        where T.RawValue == String {
            guard !text.isEmpty else {
                if fallback == nil {
                    errors.add(field, key: "error.choose", "Choose a \(field): one of \(Self.list(T.self)).")
                }
                return fallback
            }
            if let value = T(rawValue: text) { return value }
            errors.add(field, key: "error.choose", "Unknown \(field) '\(text)'; one of: \(Self.list(T.self)).")
            return fallback
        }
        func time(_ text: String, _ field: String) -> Date? {
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            if let date = clock.time(text) { return date }
            errors.add(field, key: "error.datetime", "'\(text)' is not a date and time such as 2026-11-23T14:30Z.")
            return nil
        }
        func degrees(_ text: String, _ field: String) -> Double? {
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            if let value = DecimalText.double(text) { return value }
            errors.add(field, key: "error.\(field)", "'\(text)' is not in decimal degrees, e.g. 15.5007.")
            return nil
        }

        let category: IncidentCategory? = choice(category, "category", nil)
        let subtype: IncidentSubtype? = subtype.isEmpty ? nil : choice(subtype, "subtype", nil)
        let occurredAt = time(occurredAt, "occurred_at")
        if self.occurredAt.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add("occurred_at", key: "error.datetime", "When it happened is required, e.g. 2026-11-23T14:30Z.")
        }
        let knownAt = time(knownAt, "known_at")
        var casualties = Casualties()
        for (key, text) in self.casualties.sorted(by: { $0.key < $1.key }) {
            guard let cell = Casualties.Cell.all.first(where: { $0.key == key }) else {
                errors.add(
                    "casualties.\(key)", key: "error.choose",
                    "Unknown casualty cell '\(key)'; e.g. killed_national_female.")
                continue
            }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            if let count = WholeNumber.parse(trimmed) {
                casualties[cell] = count
            } else {
                errors.add(cell.key, key: "error.count", "'\(text)' is not a whole number of people (0 to 100,000).")
            }
        }
        var affected: Set<AffectedGroup> = []
        for group in self.affected {
            if let value = AffectedGroup(rawValue: group) {
                affected.insert(value)
            } else {
                errors.add(
                    "affected", key: "error.choose",
                    "Unknown affected group '\(group)'; one of: \(Self.list(AffectedGroup.self)).")
            }
        }
        var actions: [IncidentDraft.FollowUpAction] = []
        // Errors name a row by its place in the input (the API's array, the form's rows).
        for (index, row) in followUp.enumerated() where !row.isBlank {
            var due: Date?
            if !row.due.trimmingCharacters(in: .whitespaces).isEmpty {
                due = DateText.day(row.due)
                if due == nil {
                    errors.add(
                        "follow_up[\(index)].due_on", key: "error.date", "'\(row.due)' is not a day such as 2026-11-30."
                    )
                }
            }
            // A due day with nothing to do: said, not silently dropped as the draft drops empty rows.
            if row.action.trimmingCharacters(in: .whitespaces).isEmpty
                && row.owner.trimmingCharacters(in: .whitespaces).isEmpty
            {
                errors.add(
                    "follow_up[\(index)].action", key: "error.required", "Say what is to be done, and who does it.")
                continue
            }
            actions.append(.init(action: row.action, owner: row.owner, dueOn: due, done: row.done))
        }
        let procedures: Bool?
        switch proceduresFollowed {
        case "yes": procedures = true
        case "no": procedures = false
        case "": procedures = nil
        default:
            procedures = nil
            errors.add(
                "procedures_followed", key: "error.choose",
                "Unknown procedures_followed '\(proceduresFollowed)'; yes, no or empty.")
        }
        let draft = IncidentDraft(
            title: title, description: description, category: category ?? .securityBreach, subtype: subtype,
            occurredAt: occurredAt ?? now, timePrecision: choice(timePrecision, "time_precision", .minute) ?? .minute,
            knownAt: knownAt, latitude: degrees(latitude, "latitude"), longitude: degrees(longitude, "longitude"),
            areaPcode: areaPcode, placeName: placeName,
            geoPrecision: choice(geoPrecision, "geo_precision", .exact) ?? .exact,
            locationType: choice(locationType, "location_type", .unknown) ?? .unknown,
            affected: affected, casualties: casualties,
            actorType: choice(actorType, "actor_type", .unknown) ?? .unknown, actorName: actorName,
            means: choice(means, "means", .unknown) ?? .unknown,
            context: choice(context, "context", .unknown) ?? .unknown,
            motive: choice(motive, "motive", .unknown) ?? .unknown,
            severity: choice(severity, "severity", .moderate) ?? .moderate,
            seriousInjury: seriousInjury, particularlySensitive: particularlySensitive, nearMiss: nearMiss,
            immediateActions: immediateActions, followUpActions: actions, lessonsLearned: lessonsLearned,
            proceduresFollowed: procedures,
            verification: choice(verification, "verification", .unverified) ?? .unverified,
            source: choice(source, "source", .staffReport) ?? .staffReport,
            reporterHidden: reporterHidden,
            audience: choice(audience, "audience", nil) ?? .restricted)
        // The draft's own rules run too, so every problem shows at once (one message a field).
        let checked: IncidentDraft
        do { checked = try draft.validated(now: now) } catch {
            errors.merge(error)
            throw errors
        }
        try errors.throwIfAny()
        return checked
    }

    static func list<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> String where T.RawValue == String {
        T.allCases.map(\.rawValue).joined(separator: ", ")
    }
}
