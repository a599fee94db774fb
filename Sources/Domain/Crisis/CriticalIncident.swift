import Foundation

/// How grave a critical incident is, in the older IFRC protocol's three levels (SECURITY.md §3.1.6).
public enum CriticalIncidentLevel: String, CaseIterable, Sendable, Codable, Hashable {
    case minor, significant, major
    public var labelKey: String { "ci_level.\(rawValue)" }
}

/// Is there an immediate risk to life? Step 4 of the CIM procedure; "unknown" is an answer.
public enum RiskToLife: String, CaseIterable, Sendable, Codable, Hashable {
    case yes, no, unknown
    public var labelKey: String { "risk_to_life.\(rawValue)" }
}

/// What is known of a person involved.
public enum InvolvedStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case unknown, safe, injured, missing, detained, deceased
    public var labelKey: String { "involved_status.\(rawValue)" }
}

/// What a crisis log entry records. A correction is an entry of any kind that points to the one
/// it corrects; an action is closed by an `actionDone` entry that points to it. Nothing is edited.
public enum CrisisLogKind: String, CaseIterable, Sendable, Codable, Hashable {
    case information, decision, action
    case actionDone = "action_done"
    case meeting
    public var labelKey: String { "crisis_log.\(rawValue)" }
}

/// The first call, checked: the 5 Ws, the caller, the agreed call-back, the risk to life and the level.
public struct CriticalIncidentDraft: Sendable, Hashable {
    public var whoPeople: [PersonID]
    public var whoText: String
    public var what: String
    public var whereText: String
    public var areaPcode: String?
    public var occurredAt: Date
    public var knownAt: Date
    public var why: String
    public var callerName: String
    public var callerPhone: String
    public var callBackAt: Date
    public var riskToLife: RiskToLife
    public var level: CriticalIncidentLevel
    public var incidentID: IncidentID?
    /// Report it as an incident too, in this category ("created from it").
    public var createIncident: IncidentCategory?

    public init(
        whoPeople: [PersonID] = [], whoText: String = "", what: String, whereText: String, areaPcode: String? = nil,
        occurredAt: Date, knownAt: Date, why: String = "", callerName: String, callerPhone: String, callBackAt: Date,
        riskToLife: RiskToLife, level: CriticalIncidentLevel, incidentID: IncidentID? = nil,
        createIncident: IncidentCategory? = nil
    ) {
        self.whoPeople = whoPeople
        self.whoText = whoText
        self.what = what
        self.whereText = whereText
        self.areaPcode = areaPcode
        self.occurredAt = occurredAt
        self.knownAt = knownAt
        self.why = why
        self.callerName = callerName
        self.callerPhone = callerPhone
        self.callBackAt = callBackAt
        self.riskToLife = riskToLife
        self.level = level
        self.incidentID = incidentID
        self.createIncident = createIncident
    }

    /// The CIM procedure's call-back: at most 30 minutes is the rule; we refuse only the past and
    /// anything beyond a day, which is no longer a call-back.
    public static let defaultCallBackMinutes = 30
}

/// The first call as given by the form, the API or a script, as text. `decoded(clock:now:)` is the
/// one decoder they share.
public struct CriticalIncidentInput: Codable, Sendable, Equatable {
    public var whoPeople: [String] = []
    public var whoText = ""
    public var what = ""
    public var whereText = ""
    public var areaPcode = ""
    /// Times on the operation's clock ("2026-12-05T14:30"), or ISO 8601 with a zone.
    public var occurredAt = ""
    public var knownAt = ""
    public var why = ""
    public var callerName = ""
    public var callerPhone = ""
    /// A time, or empty with `callBackMinutes`.
    public var callBackAt = ""
    public var callBackMinutes = ""
    public var riskToLife = ""
    public var level = ""
    public var incidentID = ""
    /// An incident category: also report it as an incident (instead of linking one).
    public var incidentCategory = ""

    public init() {}

    public func decoded(clock: OperationTime, now: Date) throws(ValidationErrors) -> CriticalIncidentDraft {
        var errors = ValidationErrors()
        func text(_ value: String, _ field: String, max: Int, required: Bool, key: String, _ message: String)
            -> String
        {
            let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if required && t.isEmpty { errors.add(field, key: key, message) }
            if t.count > max { errors.add(field, key: "error.too_long", "At most \(max) characters.") }
            return t
        }
        func time(_ value: String, _ field: String) -> Date? {
            let t = value.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty else { return nil }
            guard let date = clock.time(t) else {
                errors.add(field, key: "error.datetime", "Give a date and time, e.g. 2026-12-05T14:30.")
                return nil
            }
            return date
        }
        let what = text(
            self.what, "what", max: 4_000, required: true, key: "error.ci_what",
            "Say what happened, what was done and who is hurt.")
        let whereText = text(
            self.whereText, "where_text", max: 500, required: true, key: "error.ci_where", "Say where it happened.")
        let whoText = text(self.whoText, "who_text", max: 1_000, required: false, key: "", "")
        let why = text(self.why, "why", max: 2_000, required: false, key: "", "")
        let callerName = text(
            self.callerName, "caller_name", max: 200, required: true, key: "error.ci_caller",
            "Who is calling? Write their name.")
        let callerPhone = text(
            self.callerPhone, "caller_phone", max: 60, required: true, key: "error.ci_caller_phone",
            "The number to call them back on.")
        var people: [PersonID] = []
        for value in whoPeople where !value.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let uuid = UUID(uuidString: value.trimmingCharacters(in: .whitespaces)) else {
                errors.add("who_people", key: "error.alert_person", "A person named is not in the register.")
                break
            }
            if !people.contains(PersonID(uuid)) { people.append(PersonID(uuid)) }
        }
        if people.isEmpty && whoText.isEmpty {
            errors.add(
                "who_text", key: "error.ci_who", "Who is involved? Choose from the register or write their names.")
        }
        let occurred = time(occurredAt, "occurred_at")
        if occurred == nil && errors.message(for: "occurred_at") == nil {
            errors.add("occurred_at", key: "error.ci_when", "When did it happen?")
        }
        let known = time(knownAt, "known_at") ?? now
        if let occurred, occurred > now.addingTimeInterval(300) {
            errors.add("occurred_at", key: "error.ci_future", "This time is in the future.")
        }
        if let occurred, known < occurred {
            errors.add("known_at", key: "error.ci_known_before", "It cannot have become known before it happened.")
        }
        var callBack: Date?
        if let at = time(callBackAt, "call_back_at") {
            callBack = at
        } else if errors.message(for: "call_back_at") == nil {
            let minutesText = callBackMinutes.trimmingCharacters(in: .whitespaces)
            if minutesText.isEmpty {
                callBack = now.addingTimeInterval(Double(CriticalIncidentDraft.defaultCallBackMinutes) * 60)
            } else if let minutes = WholeNumber.parse(Substring(minutesText)), minutes >= 1, minutes <= 1_440 {
                callBack = now.addingTimeInterval(Double(minutes) * 60)
            } else {
                errors.add(
                    "call_back_minutes", key: "error.ci_call_back_minutes", "Minutes from now, from 1 to 1,440.")
            }
        }
        if let callBack {
            if callBack <= now {
                errors.add(
                    "call_back_at", key: "error.ci_call_back_past",
                    "The call-back time has passed: agree a time to come.")
            } else if callBack > now.addingTimeInterval(86_400) {
                errors.add("call_back_at", key: "error.ci_call_back_far", "A call-back is within the next 24 hours.")
            }
        }
        let risk = RiskToLife(rawValue: riskToLife.trimmingCharacters(in: .whitespaces))
        if risk == nil {
            errors.add("risk_to_life", key: "error.ci_risk", "Is there a risk to life: yes, no or unknown?")
        }
        let level = CriticalIncidentLevel(rawValue: self.level.trimmingCharacters(in: .whitespaces))
        if level == nil { errors.add("level", key: "error.ci_level", "Choose the level: minor, significant or major.") }
        var incident: IncidentID?
        let incidentText = incidentID.trimmingCharacters(in: .whitespaces)
        if !incidentText.isEmpty {
            if let uuid = UUID(uuidString: incidentText) {
                incident = IncidentID(uuid)
            } else {
                errors.add(
                    "incident_id", key: "error.ci_incident", "The incident chosen is not one of this operation's.")
            }
        }
        var create: IncidentCategory?
        let categoryText = incidentCategory.trimmingCharacters(in: .whitespaces)
        if !categoryText.isEmpty {
            create = IncidentCategory(rawValue: categoryText)
            if create == nil {
                errors.add("incident_category", key: "error.incident_category", "Choose a category from the list.")
            } else if incident != nil {
                errors.add(
                    "incident_category", key: "error.ci_incident_both",
                    "Link an incident or report a new one, not both.")
            }
        }
        let area = areaPcode.trimmingCharacters(in: .whitespaces).uppercased()
        try errors.throwIfAny()
        return CriticalIncidentDraft(
            whoPeople: people, whoText: whoText, what: what, whereText: whereText, areaPcode: area.isEmpty ? nil : area,
            occurredAt: occurred!, knownAt: known, why: why, callerName: callerName, callerPhone: callerPhone,
            callBackAt: callBack!, riskToLife: risk!, level: level!, incidentID: incident, createIncident: create)
    }
}

/// One entry of the crisis log as written, checked.
public struct CrisisLogDraft: Sendable, Hashable {
    public var kind: CrisisLogKind
    /// When it happened (by default when it is written).
    public var at: Date
    public var text: String
    /// Decisions: who decided, and why.
    public var decidedBy: String
    public var reason: String
    /// Actions: who does it, by when.
    public var owner: String
    public var dueAt: Date?
    /// Meetings: who was there (the decisions are the text).
    public var attendees: String
    /// The entry this one corrects, or the action it closes (`actionDone`).
    public var refersTo: UUID?

    public init(
        kind: CrisisLogKind, at: Date, text: String, decidedBy: String = "", reason: String = "", owner: String = "",
        dueAt: Date? = nil, attendees: String = "", refersTo: UUID? = nil
    ) {
        self.kind = kind
        self.at = at
        self.text = text
        self.decidedBy = decidedBy
        self.reason = reason
        self.owner = owner
        self.dueAt = dueAt
        self.attendees = attendees
        self.refersTo = refersTo
    }
}

/// A log entry as given, as text; the one decoder of the form and the API.
public struct CrisisLogInput: Codable, Sendable, Equatable {
    public var kind = ""
    public var at = ""
    public var text = ""
    public var decidedBy = ""
    public var reason = ""
    public var owner = ""
    public var dueAt = ""
    public var attendees = ""
    /// The id of the entry corrected, or of the action done.
    public var refersTo = ""

    public init() {}

    public func decoded(clock: OperationTime, now: Date) throws(ValidationErrors) -> CrisisLogDraft {
        var errors = ValidationErrors()
        let kind = CrisisLogKind(rawValue: self.kind.trimmingCharacters(in: .whitespaces))
        if kind == nil {
            errors.add("kind", key: "error.crisis_kind", "Information, decision, action, action done or meeting?")
        }
        let text = self.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { errors.add("text", key: "error.crisis_text", "Write what is to be recorded.") }
        if text.count > 4_000 { errors.add("text", key: "error.too_long", "At most 4000 characters.") }
        var at = now
        let atText = self.at.trimmingCharacters(in: .whitespaces)
        if !atText.isEmpty {
            if let parsed = clock.time(atText) {
                at = parsed
                if parsed > now.addingTimeInterval(300) {
                    errors.add("at", key: "error.ci_future", "This time is in the future.")
                }
            } else {
                errors.add("at", key: "error.datetime", "Give a date and time, e.g. 2026-12-05T14:30.")
            }
        }
        func field(_ value: String, _ name: String, max: Int) -> String {
            let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.count > max { errors.add(name, key: "error.too_long", "At most \(max) characters.") }
            return t
        }
        let decidedBy = field(self.decidedBy, "decided_by", max: 200)
        let reason = field(self.reason, "reason", max: 2_000)
        let owner = field(self.owner, "owner", max: 200)
        let attendees = field(self.attendees, "attendees", max: 2_000)
        var due: Date?
        let dueText = dueAt.trimmingCharacters(in: .whitespaces)
        if !dueText.isEmpty {
            due = clock.time(dueText)
            if due == nil {
                errors.add("due_at", key: "error.datetime", "Give a date and time, e.g. 2026-12-05T14:30.")
            }
        }
        var refersTo: UUID?
        let refText = self.refersTo.trimmingCharacters(in: .whitespaces)
        if !refText.isEmpty {
            refersTo = UUID(uuidString: refText)
            if refersTo == nil {
                errors.add("refers_to", key: "error.crisis_refers", "The entry named is not in this log.")
            }
        }
        switch kind {
        case .decision:
            if decidedBy.isEmpty { errors.add("decided_by", key: "error.crisis_decided_by", "Who decided?") }
            if reason.isEmpty { errors.add("reason", key: "error.crisis_reason", "Why was it decided?") }
        case .action:
            if owner.isEmpty { errors.add("owner", key: "error.crisis_owner", "Who will do it?") }
        case .actionDone:
            if refersTo == nil && errors.message(for: "refers_to") == nil {
                errors.add("refers_to", key: "error.crisis_action_done", "Which action was done?")
            }
        case .meeting:
            if attendees.isEmpty { errors.add("attendees", key: "error.crisis_attendees", "Who attended?") }
        case .information, nil: break
        }
        try errors.throwIfAny()
        return CrisisLogDraft(
            kind: kind!, at: at, text: text, decidedBy: decidedBy, reason: reason, owner: owner, dueAt: due,
            attendees: attendees, refersTo: refersTo)
    }
}

/// The after-action review, written once the team stood down.
public enum ProceduresFollowed: String, CaseIterable, Sendable, Codable, Hashable {
    case yes, partly, no
    public var labelKey: String { "procedures_followed.\(rawValue)" }
}
