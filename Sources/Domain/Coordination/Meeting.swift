import Foundation

/// The coordination meetings the two roles attend.
public enum MeetingKind: String, CaseIterable, Sendable, Codable, Hashable {
    case cluster, sector
    case workingGroup = "working_group"
    /// UNDSS's security cell.
    case securityCell = "security_cell"
    case insoBriefing = "inso_briefing"
    case bilateral
    case fieldVisit = "field_visit"

    public var labelKey: String { "meeting_kind.\(rawValue)" }
}

public enum ActionStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case open, done

    public var labelKey: String { "action_status.\(rawValue)" }
}

/// Who carries an action point: a member of the team, or a stakeholder of the registry.
public enum ActionOwner: Sendable, Hashable, Codable {
    case member(UserID)
    case stakeholder(StakeholderID)

    /// "user:<id>" or "stakeholder:<id>", as forms and the API write it.
    public var text: String {
        switch self {
        case .member(let id): "user:" + id.uuidString
        case .stakeholder(let id): "stakeholder:" + id.uuidString
        }
    }

    public init?(text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let id = UUID(uuidString: parts[1]) else { return nil }
        switch parts[0] {
        case "user": self = .member(UserID(id))
        case "stakeholder": self = .stakeholder(StakeholderID(id))
        default: return nil
        }
    }
}

/// An action point as entered.
public struct MeetingActionDraft: Sendable, Hashable, Codable {
    /// Set for an action already stored: its id is kept through an edit of the meeting.
    public var id: MeetingActionID?
    public var text: String
    public var owner: ActionOwner
    public var dueOn: Date
    public var status: ActionStatus
    public var doneOn: Date?

    public init(
        id: MeetingActionID? = nil, text: String, owner: ActionOwner, dueOn: Date, status: ActionStatus = .open,
        doneOn: Date? = nil
    ) {
        self.id = id
        self.text = text
        self.owner = owner
        self.dueOn = dueOn
        self.status = status
        self.doneOn = doneOn
    }

    /// Open and past its day (the day itself is still in time).
    public func isOverdue(today: Date) -> Bool { status == .open && dueOn < today }
}

/// A meeting as entered, checked before it is stored.
public struct MeetingDraft: Sendable, Hashable, Codable {
    public var kind: MeetingKind
    /// The forum: "Protection Sector, Gedaref", "UNDSS security cell, Kassala".
    public var forum: String
    /// The day, on the operation's calendar.
    public var heldOn: Date
    public var place: String?
    /// Who attended, from the registry.
    public var attendeeIDs: [StakeholderID]
    public var ifrcRepresented: Bool
    /// The members who represented the IFRC.
    public var representativeIDs: [UserID]
    /// Representatives who are not members of the operation in Bearing ("SRCS branch volunteer").
    public var representativeNote: String?
    public var notes: String?
    public var decisions: [String]
    public var actions: [MeetingActionDraft]
    public var audience: AudienceLevel

    public init(
        kind: MeetingKind, forum: String, heldOn: Date, place: String? = nil, attendeeIDs: [StakeholderID] = [],
        ifrcRepresented: Bool, representativeIDs: [UserID] = [], representativeNote: String? = nil,
        notes: String? = nil, decisions: [String] = [], actions: [MeetingActionDraft] = [],
        audience: AudienceLevel = .ifrcOnly
    ) {
        self.kind = kind
        self.forum = forum
        self.heldOn = heldOn
        self.place = place
        self.attendeeIDs = attendeeIDs
        self.ifrcRepresented = ifrcRepresented
        self.representativeIDs = representativeIDs
        self.representativeNote = representativeNote
        self.notes = notes
        self.decisions = decisions
        self.actions = actions
        self.audience = audience
    }
}

/// One action point as given.
public struct MeetingActionInput: Codable, Sendable, Equatable {
    public var id = ""
    public var text = ""
    /// "user:<id>" or "stakeholder:<id>".
    public var owner = ""
    /// "YYYY-MM-DD".
    public var dueOn = ""
    public var status = ActionStatus.open.rawValue
    public var doneOn = ""

    public init(
        id: String = "", text: String = "", owner: String = "", dueOn: String = "", status: String = "open",
        doneOn: String = ""
    ) {
        self.id = id
        self.text = text
        self.owner = owner
        self.dueOn = dueOn
        self.status = status
        self.doneOn = doneOn
    }

    public init(_ d: MeetingActionDraft) {
        id = d.id?.uuidString ?? ""
        text = d.text
        owner = d.owner.text
        dueOn = DateText.day(d.dueOn)
        status = d.status.rawValue
        doneOn = d.doneOn.map(DateText.day) ?? ""
    }

    var isBlank: Bool {
        [id, text, owner, dueOn, doneOn].allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }
}

/// A meeting as given, before it is checked: the form and the API's JSON. `decoded()` is the one
/// decoder; a change starts from the stored meeting's input, so a field left out keeps its value.
public struct MeetingInput: Codable, Sendable, Equatable {
    public var kind = ""
    public var forum = ""
    /// "YYYY-MM-DD".
    public var heldOn = ""
    public var place = ""
    public var attendeeIDs: [String] = []
    /// "yes" or "no".
    public var ifrcRepresented = ""
    public var representativeIDs: [String] = []
    public var representativeNote = ""
    public var notes = ""
    /// One decision a line.
    public var decisions: [String] = []
    public var actions: [MeetingActionInput] = []
    public var audience = AudienceLevel.ifrcOnly.rawValue

    public init() {}

    public init(_ d: MeetingDraft) {
        kind = d.kind.rawValue
        forum = d.forum
        heldOn = DateText.day(d.heldOn)
        place = d.place ?? ""
        attendeeIDs = d.attendeeIDs.map(\.uuidString)
        ifrcRepresented = d.ifrcRepresented ? "yes" : "no"
        representativeIDs = d.representativeIDs.map(\.uuidString)
        representativeNote = d.representativeNote ?? ""
        notes = d.notes ?? ""
        decisions = d.decisions
        actions = d.actions.map(MeetingActionInput.init)
        audience = d.audience.rawValue
    }

    static func dayStart(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// The checked meeting; every problem at once. A meeting may be recorded up to a day ahead of
    /// `today` (a time zone apart), not later.
    public func decoded(today: Date? = nil) throws(ValidationErrors) -> MeetingDraft {
        var read = FieldReader()
        let kind = read.choice(self.kind, "kind", MeetingKind.self)
        if read.trimmed(self.kind) == nil {
            read.errors.add(
                "kind", key: "error.required",
                "The kind of meeting is required; one of: "
                    + MeetingKind.allCases.map(\.rawValue).joined(separator: ", ")
                    + ".")
        }
        let forum = read.limited(self.forum, "forum", 200)
        if forum == nil { read.errors.add("forum", key: "error.required", "The forum is required (1–200 characters).") }
        let heldOn = read.day(self.heldOn, "held_on", notAfter: today.map { $0.addingTimeInterval(86_400) })
        if read.trimmed(self.heldOn) == nil {
            read.errors.add("held_on", key: "error.required", "The day of the meeting is required.")
        }
        let place = read.limited(self.place, "place", 200)
        var attendees: [StakeholderID] = []
        for text in attendeeIDs where read.trimmed(text) != nil {
            if let id = read.identifier(text, "attendee_ids").map(StakeholderID.init(rawValue:)),
                !attendees.contains(id)
            {
                attendees.append(id)
            }
        }
        if attendees.count > 500 { read.errors.add("attendee_ids", key: "error.too_many", "At most 500 attendees.") }
        let represented = read.yesNo(ifrcRepresented, "ifrc_represented")
        if represented == nil, read.errors.message(for: "ifrc_represented") == nil {
            read.errors.add(
                "ifrc_represented", key: "error.required", "Say whether the IFRC was represented (yes or no).")
        }
        var representatives: [UserID] = []
        for text in representativeIDs where read.trimmed(text) != nil {
            if let id = read.identifier(text, "representative_ids").map(UserID.init(rawValue:)),
                !representatives.contains(id)
            {
                representatives.append(id)
            }
        }
        let representativeNote = read.limited(self.representativeNote, "representative_note", 300)
        if represented == true, representatives.isEmpty, representativeNote == nil {
            read.errors.add(
                "representative_ids", key: "error.representative_required",
                "Say who represented the IFRC: a member, or a name in the note.")
        }
        if represented == false, !representatives.isEmpty {
            read.errors.add(
                "representative_ids", key: "error.representative_not_represented",
                "The IFRC was not represented, yet representatives are named.")
        }
        let notes = read.limited(self.notes, "notes", 20_000)
        var decisions: [String] = []
        for line in self.decisions.flatMap({ $0.split(whereSeparator: \.isNewline) }) {
            guard let decision = read.limited(String(line), "decisions", 1000) else { continue }
            decisions.append(decision)
        }
        if decisions.count > 100 { read.errors.add("decisions", key: "error.too_many", "At most 100 decisions.") }
        var actions: [MeetingActionDraft] = []
        // Every row's problems in one message: the form shows one message a field.
        var rows = FieldReader()
        for (n, action) in self.actions.enumerated() where !action.isBlank {
            let label = "Action \(n + 1)"
            var row = FieldReader()
            let id = row.identifier(action.id, label).map(MeetingActionID.init(rawValue:))
            let text = row.limited(action.text, label, 1000)
            if text == nil { row.errors.add(label, key: "", "say what is to be done") }
            let owner = ActionOwner(text: action.owner)
            if owner == nil { row.errors.add(label, key: "", "choose who carries it (a member or a stakeholder)") }
            let due = row.day(action.dueOn, label)
            if row.trimmed(action.dueOn) == nil { row.errors.add(label, key: "", "the day it is due is required") }
            let status = row.choice(action.status.isEmpty ? "open" : action.status, label, ActionStatus.self)
            let doneOn = row.day(action.doneOn, label, notAfter: today.map { $0.addingTimeInterval(86_400) })
            for problem in row.errors.errors { rows.errors.add("actions", key: "", "\(label): \(problem.message)") }
            if row.errors.isEmpty, let text, let owner, let due, let status {
                actions.append(
                    MeetingActionDraft(
                        id: id, text: text, owner: owner, dueOn: due, status: status,
                        doneOn: status == .done ? (doneOn ?? today.map(Self.dayStart)) : nil))
            }
        }
        if !rows.errors.isEmpty {
            read.errors.add(
                "actions", key: "error.actions", rows.errors.errors.map(\.message).joined(separator: "; ") + ".")
        }
        if actions.count > 200 { read.errors.add("actions", key: "error.too_many", "At most 200 action points.") }
        let audience = read.choice(self.audience, "audience", AudienceLevel.self)
        try read.errors.throwIfAny()
        return MeetingDraft(
            kind: kind ?? .bilateral, forum: forum ?? "", heldOn: heldOn ?? Date(timeIntervalSince1970: 0),
            place: place,
            attendeeIDs: attendees, ifrcRepresented: represented ?? false, representativeIDs: representatives,
            representativeNote: representativeNote, notes: notes, decisions: decisions, actions: actions,
            audience: audience ?? .ifrcOnly)
    }
}

/// How often the IFRC was at one forum's meetings: the answer to "was IFRC represented?".
public struct ForumParticipation: Sendable, Hashable {
    public let kind: MeetingKind
    public let forum: String
    public var held = 0
    public var represented = 0
    public var lastHeld: Date?
    public var lastRepresented: Date?

    public init(kind: MeetingKind, forum: String) {
        self.kind = kind
        self.forum = forum
    }

    /// Groups meetings by forum (kind and name, the name's case ignored), most recent forum first.
    public static func tally(_ meetings: [(kind: MeetingKind, forum: String, heldOn: Date, represented: Bool)])
        -> [ForumParticipation]
    {
        var byForum: [String: ForumParticipation] = [:]
        for m in meetings {
            let key = m.kind.rawValue + "|" + m.forum.lowercased()
            var entry = byForum[key] ?? ForumParticipation(kind: m.kind, forum: m.forum)
            entry.held += 1
            entry.lastHeld = max(entry.lastHeld ?? m.heldOn, m.heldOn)
            if m.represented {
                entry.represented += 1
                entry.lastRepresented = max(entry.lastRepresented ?? m.heldOn, m.heldOn)
            }
            byForum[key] = entry
        }
        return byForum.values.sorted {
            ($0.lastHeld ?? .distantPast, $1.forum) > ($1.lastHeld ?? .distantPast, $0.forum)
        }
    }
}
