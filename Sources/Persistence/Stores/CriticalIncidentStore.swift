import Domain
import FluentKit
import Foundation
import SQLKit

/// A critical incident as stored.
public struct CriticalIncidentRecord: Sendable, Hashable {
    public struct Consultation: Sendable, Hashable {
        public let contact: String
        public let at: Date
        public let advice: String
    }
    public struct Activation: Sendable, Hashable {
        public let activated: Bool
        public let decidedBy: String
        public let at: Date
        public let reason: String
    }
    public struct StandDown: Sendable, Hashable {
        public let at: Date
        public let by: String
        public let note: String
    }
    public struct Review: Sendable, Hashable {
        public let lessons: String
        public let followed: ProceduresFollowed
        public let planChanges: String
        public let at: Date
    }

    public let id: UUID
    public let operationID: OperationID
    public let number: Int
    public let draft: CriticalIncidentDraft
    public let gsu: Consultation?
    public let activation: Activation?
    public let cimPlanVersion: Int?
    public let rollCallID: RollCallID?
    public let standDown: StandDown?
    public let review: Review?
    public let createdBy: UserID?
    public let createdAt: Date
    public let updatedAt: Date
    public var isOpen: Bool { standDown == nil }
}

/// One entry of the crisis log. Never edited: a correction is a later entry pointing to it.
public struct CrisisLogEntry: Sendable, Hashable {
    public let id: UUID
    public let sequence: Int
    public let kind: CrisisLogKind
    public let at: Date
    public let text: String
    public let decidedBy: String
    public let reason: String
    public let owner: String
    public let dueAt: Date?
    public let attendees: String
    public let refersTo: UUID?
    public let recordedBy: UserID?
    public let recordedAt: Date
}

/// A member of the crisis team, from the CIM plan, with their call-out's state.
public struct CrisisTeamMember: Sendable, Hashable {
    public let id: UUID
    public let name: String
    public let role: String
    public let phone: String
    public let email: String
    public let userID: UserID?
    public let recipientID: AlertRecipientID?
    public let acknowledgedAt: Date?
    /// The call-out's messages to them.
    public let deliveries: [(channel: AlertChannel, state: DeliveryState, reason: String)]

    public static func == (a: Self, b: Self) -> Bool { a.id == b.id && a.acknowledgedAt == b.acknowledgedAt }
    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// A person involved, with what is known of them.
public struct InvolvedPerson: Sendable, Hashable {
    public let id: UUID
    public let personID: PersonID?
    public let name: String
    public let status: InvolvedStatus
    public let familyLiaison: String
    public let note: String
    public let updatedAt: Date
}

/// Critical incidents (issue 17, SECURITY.md §3.1.6): the first call, the escalation, the team, the
/// people involved, the append-only crisis log, stand-down and review. Restricted: the security
/// roles and the team members see them (`CrisisScope`, `VisibilityFilter.criticalIncidents`). Every
/// change and every log entry goes into the hash-chained audit trail with its words, so the log can be
/// checked against the chain (`bearing audit verify`).
public struct CriticalIncidentStore: Sendable {
    static let kind = "critical_incident"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    // MARK: The first call

    /// Opens a critical incident from the first call, with the people involved and the log's first
    /// entry (the call itself, written down: step 1 of the procedure).
    public func open(
        _ draft: CriticalIncidentDraft, names: [PersonID: String], scope: CrisisScope, now: Date,
        wording w: CrisisWording = .english
    ) async throws -> CriticalIncidentRecord {
        guard AccessPolicy.canOpenCriticalIncident(through: scope) else {
            throw DomainError(.forbidden, key: "error.forbidden", "Only the security roles open a critical incident.")
        }
        var errors = ValidationErrors()
        if let area = draft.areaPcode,
            try await AreaStore(database).find(operationID: scope.operationID, pcode: area) == nil
        {
            errors.add(
                "area_pcode", key: "error.pcode_unknown", "No admin area of this operation has the P-code \(area).")
        }
        if let incident = draft.incidentID,
            try await database.sql.select().column("id").from("incidents").where("id", .equal, incident)
                .where("operation_id", .equal, scope.operationID).first() == nil
        {
            errors.add("incident_id", key: "error.ci_incident", "The incident chosen is not one of this operation's.")
        }
        if draft.whoPeople.contains(where: { names[$0] == nil }) {
            errors.add("who_people", key: "error.alert_person", "A person named is not in the register.")
        }
        try errors.throwIfAny()
        let id = UUID()
        try await database.writing { db in
            let sql = db.sql
            let number = try await sql.nextNumber(in: "critical_incidents", operationID: scope.operationID)
            try await sql.insert(into: "critical_incidents").columns(
                "id", "operation_id", "number", "level", "risk_to_life", "who_text", "what", "where_text", "area_pcode",
                "occurred_at", "known_at", "why", "caller_name", "caller_phone", "call_back_at", "incident_id",
                "created_by", "created_at", "updated_at"
            ).values(
                SQLBind(id), SQLBind(scope.operationID), SQLBind(number), SQLBind(draft.level.rawValue),
                SQLBind(draft.riskToLife.rawValue), SQLBind(draft.whoText), SQLBind(draft.what),
                SQLBind(draft.whereText), SQLBind(draft.areaPcode), SQLBind(draft.occurredAt), SQLBind(draft.knownAt),
                SQLBind(draft.why), SQLBind(draft.callerName), SQLBind(draft.callerPhone), SQLBind(draft.callBackAt),
                SQLBind(draft.incidentID), SQLBind(scope.actorID), SQLBind(now), SQLBind(now)
            ).run()
            for person in draft.whoPeople {
                try await Self.insertPerson(
                    sql, incident: id, personID: person, name: names[person] ?? "", status: .unknown, liaison: "",
                    note: "", now: now)
            }
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create,
                after: [
                    "number": String(number), "level": draft.level.rawValue, "risk_to_life": draft.riskToLife.rawValue,
                    "call_back_at": DateText.minute(draft.callBackAt),
                ], at: now)
            let who = (draft.whoPeople.compactMap { names[$0] } + [draft.whoText]).filter { !$0.isEmpty }
                .joined(separator: ", ")
            let summary = [
                w.text(
                    "first_call",
                    [
                        "caller": draft.callerName, "phone": draft.callerPhone, "who": who, "what": draft.what,
                        "where": draft.whereText, "occurred": w.time(draft.occurredAt), "known": w.time(draft.knownAt),
                    ]),
                draft.why.isEmpty ? "" : w.text("first_call_why", ["why": draft.why]),
                w.text(
                    "first_call_end",
                    [
                        "risk": w.label(draft.riskToLife.labelKey), "level": w.label(draft.level.labelKey),
                        "call_back": w.time(draft.callBackAt),
                    ]),
            ].filter { !$0.isEmpty }.joined(separator: "\n")
            _ = try await Self.append(
                CrisisLogDraft(kind: .information, at: draft.knownAt, text: summary), to: id, sql: sql, db: db,
                scope: scope, now: now)
        }
        guard let record = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such critical incident.")
        }
        return record
    }

    public func list(in scope: CrisisScope) async throws -> [CriticalIncidentRecord] {
        try await database.sql.select().column("*").from("critical_incidents")
            .where(VisibilityFilter.criticalIncidents(scope)).orderBy("created_at", .descending).limit(200).all()
            .map(Self.record)
    }

    public func find(_ id: UUID, in scope: CrisisScope) async throws -> CriticalIncidentRecord? {
        try await database.sql.select().column("*").from("critical_incidents").where("id", .equal, id)
            .where(VisibilityFilter.criticalIncidents(scope)).first().map(Self.record)
    }

    /// The open critical incidents with a call-back due, for the reminders.
    public func callBackDue(_ id: UUID) async throws -> (
        operationID: OperationID, number: Int, at: Date, caller: String, phone: String, createdBy: UserID?
    )? {
        guard
            let row = try await database.sql.select().column("*").from("critical_incidents").where("id", .equal, id)
                .where("stood_down_at", .is, SQLLiteral.null).first()
        else { return nil }
        return (
            try row.decode(column: "operation_id", as: OperationID.self),
            try row.decode(column: "number", as: Int.self),
            try row.decode(column: "call_back_at", as: Date.self),
            try row.decode(column: "caller_name", as: String.self),
            try row.decode(column: "caller_phone", as: String.self),
            try row.decode(column: "created_by", as: UserID?.self)
        )
    }

    // MARK: The log

    public func log(of id: UUID, in scope: CrisisScope) async throws -> [CrisisLogEntry] {
        guard try await find(id, in: scope) != nil else { return [] }
        return try await database.sql.select().column("*").from("crisis_log").where("critical_incident_id", .equal, id)
            .orderBy("sequence").all().map(Self.entry)
    }

    /// Adds an entry at the end of the log. It may correct an earlier entry of this log, or close one
    /// of its actions; it never changes them.
    @discardableResult
    public func append(_ draft: CrisisLogDraft, to id: UUID, scope: CrisisScope, now: Date) async throws
        -> CrisisLogEntry
    {
        guard try await find(id, in: scope) != nil else {
            throw DomainError(.notFound, key: "error.not_found", "No such critical incident.")
        }
        return try await database.writing { db in
            try await Self.append(draft, to: id, sql: db.sql, db: db, scope: scope, now: now)
        }
    }

    static func append(
        _ draft: CrisisLogDraft, to id: UUID, sql: any SQLDatabase, db: any Database, scope: CrisisScope, now: Date
    ) async throws -> CrisisLogEntry {
        if let target = draft.refersTo {
            guard
                let row = try await sql.select().column("kind").from("crisis_log").where("id", .equal, target)
                    .where("critical_incident_id", .equal, id).first()
            else {
                throw DomainError(
                    .invalid, field: "refers_to", key: "error.crisis_refers", "The entry named is not in this log.")
            }
            if draft.kind == .actionDone {
                guard try row.decode(column: "kind", as: String.self) == CrisisLogKind.action.rawValue else {
                    throw DomainError(
                        .invalid, field: "refers_to", key: "error.crisis_not_action",
                        "The entry named is not an action.")
                }
                let done = try await sql.select().column("id").from("crisis_log").where("refers_to", .equal, target)
                    .where("kind", .equal, CrisisLogKind.actionDone.rawValue).first()
                guard done == nil else {
                    throw DomainError(
                        .conflict, field: "refers_to", key: "error.crisis_done_already", "This action is already done.")
                }
            }
        }
        // Serialised per incident: on PostgreSQL the incident's row is locked; SQLite has one writer.
        if sql.isPostgres {
            _ = try await sql.select().column("id").from("critical_incidents").where("id", .equal, id).for(.update)
                .first()
        }
        let last =
            try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("sequence")), as: "n")
            .from("crisis_log").where("critical_incident_id", .equal, id).first()?.decode(column: "n", as: Int?.self)
            ?? 0
        let entryID = UUID()
        let sequence = last + 1
        try await sql.insert(into: "crisis_log").columns(
            "id", "critical_incident_id", "sequence", "kind", "at", "text", "decided_by", "reason", "owner", "due_at",
            "attendees", "refers_to", "recorded_by", "recorded_at"
        ).values(
            SQLBind(entryID), SQLBind(id), SQLBind(sequence), SQLBind(draft.kind.rawValue), SQLBind(draft.at),
            SQLBind(draft.text), SQLBind(draft.decidedBy), SQLBind(draft.reason), SQLBind(draft.owner),
            SQLBind(draft.dueAt), SQLBind(draft.attendees), SQLBind(draft.refersTo), SQLBind(scope.actorID),
            SQLBind(now)
        ).run()
        try await sql.update("critical_incidents").set("updated_at", to: now).where("id", .equal, id).run()
        // The entry's every word goes into the chain: the log can be checked against it.
        var values: [String: String?] = [
            "log_entry": String(sequence), "entry_id": entryID.uuidString, "kind": draft.kind.rawValue,
            "at": DateText.minute(draft.at), "text": draft.text,
        ]
        if !draft.decidedBy.isEmpty { values["decided_by"] = draft.decidedBy }
        if !draft.reason.isEmpty { values["reason"] = draft.reason }
        if !draft.owner.isEmpty { values["owner"] = draft.owner }
        if let due = draft.dueAt { values["due_at"] = DateText.minute(due) }
        if !draft.attendees.isEmpty { values["attendees"] = draft.attendees }
        if let target = draft.refersTo { values["refers_to"] = target.uuidString }
        try await AuditStore(db).append(
            actorID: scope.actorID, operationID: scope.operationID, recordKind: kind, recordID: id.uuidString,
            action: .update, after: values, at: now)
        return CrisisLogEntry(
            id: entryID, sequence: sequence, kind: draft.kind, at: draft.at, text: draft.text,
            decidedBy: draft.decidedBy, reason: draft.reason, owner: draft.owner, dueAt: draft.dueAt,
            attendees: draft.attendees, refersTo: draft.refersTo, recordedBy: scope.actorID, recordedAt: now)
    }

    /// The next call-back agreed with the caller (after each call, another).
    public func setCallBack(
        _ id: UUID, at: Date, scope: CrisisScope, now: Date, wording w: CrisisWording = .english
    ) async throws {
        guard at > now, at <= now.addingTimeInterval(86_400) else {
            throw DomainError(
                .invalid, field: "call_back_at", key: "error.ci_call_back_past",
                "The call-back time has passed: agree a time to come.")
        }
        try await change(id, scope: scope, now: now) { sql in
            try await sql.update("critical_incidents").set("call_back_at", to: at).where("id", .equal, id).run()
            return CrisisLogDraft(
                kind: .information, at: now, text: w.text("next_call_back", ["time": w.time(at)]))
        }
    }

    // MARK: Escalation

    /// The GSU was consulted: who, when, their advice; kept on the incident and written in the log.
    public func recordGSU(
        _ id: UUID, contact: String, at: Date, advice: String, scope: CrisisScope, now: Date,
        wording w: CrisisWording = .english
    ) async throws {
        try await change(id, scope: scope, now: now) { sql in
            try await sql.update("critical_incidents").set("gsu_contact", to: contact).set("gsu_consulted_at", to: at)
                .set("gsu_advice", to: advice).where("id", .equal, id).run()
            return CrisisLogDraft(
                kind: .information, at: at, text: w.text("gsu", ["contact": contact, "advice": advice]))
        }
    }

    /// The CIMT activation decision. When activated, the team is taken from the approved CIM plan
    /// (`team`, with the accounts found by e-mail); it is taken once, the first time.
    public func decideActivation(
        _ id: UUID, activate: Bool, decidedBy: String, at: Date, reason: String, team: [CIMPlan.Member],
        planVersion: Int?, accounts: [String: UserID], scope: CrisisScope, now: Date,
        wording w: CrisisWording = .english
    ) async throws {
        try await change(id, scope: scope, now: now) { sql in
            try await sql.update("critical_incidents").set("cimt_activated", to: activate)
                .set("cimt_decided_by", to: decidedBy).set("cimt_decided_at", to: at).set("cimt_reason", to: reason)
                .set("cim_plan_version", to: planVersion).where("id", .equal, id).run()
            let existing = try await sql.select().column("id").from("critical_incident_team")
                .where("critical_incident_id", .equal, id).first()
            if activate && existing == nil {
                for (position, member) in team.enumerated() {
                    try await sql.insert(into: "critical_incident_team").columns(
                        "id", "critical_incident_id", "position", "name", "role", "phone", "email", "user_id"
                    ).values(
                        SQLBind(UUID()), SQLBind(id), SQLBind(position), SQLBind(member.name), SQLBind(member.role),
                        SQLBind(member.phone), SQLBind(member.email),
                        SQLBind(accounts[member.email.lowercased()])
                    ).run()
                }
            }
            return CrisisLogDraft(
                kind: .decision, at: at,
                text: activate
                    ? planVersion.map { w.text("cimt_activated_plan", ["version": String($0)]) }
                        ?? w.text("cimt_activated", [:])
                    : w.text("cimt_not_activated", [:]),
                decidedBy: decidedBy, reason: reason)
        }
    }

    /// The call-out alert's recipient for each team member (by the member's row id).
    public func linkCallOut(_ recipients: [UUID: AlertRecipientID]) async throws {
        for (member, recipient) in recipients {
            try await database.sql.update("critical_incident_team").set("alert_recipient_id", to: recipient)
                .where("id", .equal, member).run()
        }
    }

    public func team(of id: UUID, in scope: CrisisScope) async throws -> [CrisisTeamMember] {
        guard try await find(id, in: scope) != nil else { return [] }
        let rows = try await database.sql.select().column(aliased("t.*")).column(aliased("r.answered_at"))
            .from(SQLAlias(SQLIdentifier("critical_incident_team"), as: SQLIdentifier("t")))
            .join(
                SQLAlias(SQLIdentifier("alert_recipients"), as: SQLIdentifier("r")), method: SQLJoinMethod.left,
                on: "r.id = t.alert_recipient_id" as SQLQueryString
            )
            .where(aliased("t.critical_incident_id"), .equal, SQLBind(id)).orderBy(aliased("t.position"))
            .all()
        var members: [CrisisTeamMember] = []
        for row in rows {
            let recipient = try row.decode(column: "alert_recipient_id", as: AlertRecipientID?.self)
            var deliveries: [(channel: AlertChannel, state: DeliveryState, reason: String)] = []
            if let recipient {
                for d in try await database.sql.select().column("channel").column("state").column("reason")
                    .from("alert_deliveries").where("recipient_id", .equal, recipient).orderBy("channel").all()
                {
                    guard let channel = AlertChannel(rawValue: try d.decode(column: "channel", as: String.self)),
                        let state = DeliveryState(rawValue: try d.decode(column: "state", as: String.self))
                    else { continue }
                    deliveries.append((channel, state, try d.decode(column: "reason", as: String.self)))
                }
            }
            members.append(
                CrisisTeamMember(
                    id: try row.decode(column: "id", as: UUID.self),
                    name: try row.decode(column: "name", as: String.self),
                    role: try row.decode(column: "role", as: String.self),
                    phone: try row.decode(column: "phone", as: String.self),
                    email: try row.decode(column: "email", as: String.self),
                    userID: try row.decode(column: "user_id", as: UserID?.self), recipientID: recipient,
                    acknowledgedAt: try row.decode(column: "answered_at", as: Date?.self), deliveries: deliveries))
        }
        return members
    }

    // MARK: People involved

    public func people(of id: UUID, in scope: CrisisScope) async throws -> [InvolvedPerson] {
        guard try await find(id, in: scope) != nil else { return [] }
        return try await database.sql.select().column("*").from("critical_incident_people")
            .where("critical_incident_id", .equal, id).orderBy("name").all().map {
                InvolvedPerson(
                    id: try $0.decode(column: "id", as: UUID.self),
                    personID: try $0.decode(column: "person_id", as: PersonID?.self),
                    name: try $0.decode(column: "name", as: String.self),
                    status: InvolvedStatus(rawValue: try $0.decode(column: "status", as: String.self)) ?? .unknown,
                    familyLiaison: try $0.decode(column: "family_liaison", as: String.self),
                    note: try $0.decode(column: "note", as: String.self),
                    updatedAt: try $0.decode(column: "updated_at", as: Date.self))
            }
    }

    /// Adds a person involved (`row` nil) or records what is now known of one; the change is written
    /// in the log too, so the log tells how their status moved.
    public func setPerson(
        _ row: UUID?, in id: UUID, personID: PersonID?, name: String, status: InvolvedStatus, liaison: String,
        note: String, scope: CrisisScope, now: Date, wording w: CrisisWording = .english
    ) async throws {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let liaison = String(liaison.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        let note = String(note.trimmingCharacters(in: .whitespacesAndNewlines).prefix(1_000))
        let before = try await people(of: id, in: scope).first { $0.id == row }
        if row != nil && before == nil {
            throw DomainError(.notFound, key: "error.not_found", "No such person in this incident.")
        }
        let shown = before?.name ?? name
        guard !shown.isEmpty, shown.count <= 200 else {
            throw DomainError(.invalid, field: "name", key: "error.ci_person_name", "Write the person's name.")
        }
        try await change(id, scope: scope, now: now) { sql in
            if let row {
                try await sql.update("critical_incident_people").set("status", to: status.rawValue)
                    .set("family_liaison", to: liaison).set("note", to: note).set("updated_at", to: now)
                    .where("id", .equal, row).run()
            } else {
                try await Self.insertPerson(
                    sql, incident: id, personID: personID, name: shown, status: status, liaison: liaison, note: note,
                    now: now)
            }
            var text =
                before.map {
                    w.text(
                        "person_status",
                        ["name": shown, "from": w.label($0.status.labelKey), "to": w.label(status.labelKey)])
                } ?? w.text("person_new", ["name": shown, "to": w.label(status.labelKey)])
            if !liaison.isEmpty && liaison != before?.familyLiaison {
                text += "; " + w.text("person_liaison", ["liaison": liaison])
            }
            if !note.isEmpty && note != before?.note { text += "; \(note)" }
            return CrisisLogDraft(kind: .information, at: now, text: text)
        }
    }

    static func insertPerson(
        _ sql: any SQLDatabase, incident: UUID, personID: PersonID?, name: String, status: InvolvedStatus,
        liaison: String, note: String, now: Date
    ) async throws {
        try await sql.insert(into: "critical_incident_people").columns(
            "id", "critical_incident_id", "person_id", "name", "status", "family_liaison", "note", "updated_at"
        ).values(
            SQLBind(UUID()), SQLBind(incident), SQLBind(personID), SQLBind(name), SQLBind(status.rawValue),
            SQLBind(liaison), SQLBind(note), SQLBind(now)
        ).run()
    }

    public func linkRollCall(
        _ id: UUID, rollCall: RollCallID, area: String, scope: CrisisScope, now: Date,
        wording w: CrisisWording = .english
    ) async throws {
        try await change(id, scope: scope, now: now) { sql in
            try await sql.update("critical_incidents").set("roll_call_id", to: rollCall).where("id", .equal, id).run()
            return CrisisLogDraft(
                kind: .action, at: now, text: w.text("roll_call", ["area": area]), owner: w.label("ci_owner_security"))
        }
    }

    // MARK: Stand-down and review

    public func standDown(
        _ id: UUID, by: String, at: Date, note: String, scope: CrisisScope, now: Date,
        wording w: CrisisWording = .english
    ) async throws {
        guard let record = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such critical incident.")
        }
        guard record.isOpen else {
            throw DomainError(.conflict, key: "error.ci_stood_down", "The team has already stood down.")
        }
        try await change(id, scope: scope, now: now) { sql in
            try await sql.update("critical_incidents").set("stood_down_at", to: at).set("stood_down_by", to: by)
                .set("stand_down_note", to: note).where("id", .equal, id).run()
            return CrisisLogDraft(
                kind: .decision, at: at, text: w.text("stood_down", [:]) + (note.isEmpty ? "" : " \(note)"),
                decidedBy: by, reason: note.isEmpty ? "Stand-down" : note)
        }
    }

    /// The after-action review, once the team stood down; its changes to the plans are shown on the
    /// CIM plan until they are taken into its next version.
    public func review(
        _ id: UUID, lessons: String, followed: ProceduresFollowed, planChanges: String, scope: CrisisScope, now: Date,
        wording w: CrisisWording = .english
    ) async throws {
        guard let record = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such critical incident.")
        }
        guard !record.isOpen else {
            throw DomainError(.conflict, key: "error.ci_review_open", "Review once the team has stood down.")
        }
        let lessons = lessons.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !lessons.isEmpty, lessons.count <= 8_000, planChanges.count <= 8_000 else {
            throw DomainError(.invalid, field: "lessons", key: "error.ci_lessons", "Write the lessons learned.")
        }
        try await change(id, scope: scope, now: now) { sql in
            try await sql.update("critical_incidents").set("review_lessons", to: lessons)
                .set("review_followed", to: followed.rawValue)
                .set("review_plan_changes", to: planChanges.trimmingCharacters(in: .whitespacesAndNewlines))
                .set("reviewed_at", to: now).where("id", .equal, id).run()
            return CrisisLogDraft(
                kind: .information, at: now,
                text: w.text("review", ["followed": w.label(followed.labelKey), "lessons": lessons])
                    + (planChanges.isEmpty ? "" : " " + w.text("review_changes", ["changes": planChanges])))
        }
    }

    /// Reviews whose changes to the plans wait for the CIM plan's next version (those reviewed since
    /// the plan's current version was approved), for its page.
    public func planChanges(in operationID: OperationID, since: Date?) async throws -> [(
        number: Int, changes: String, at: Date
    )] {
        var query = database.sql.select().column("number").column("review_plan_changes").column("reviewed_at")
            .from("critical_incidents").where("operation_id", .equal, operationID)
            .where("reviewed_at", .isNot, SQLLiteral.null).where("review_plan_changes", .notEqual, "")
        if let since { query = query.where("reviewed_at", .greaterThan, since) }
        return try await query.orderBy("reviewed_at").all().map {
            (
                try $0.decode(column: "number", as: Int.self),
                try $0.decode(column: "review_plan_changes", as: String.self),
                try $0.decode(column: "reviewed_at", as: Date.self)
            )
        }
    }

    /// One change to the incident and its log entry, in one transaction, or nothing.
    private func change(
        _ id: UUID, scope: CrisisScope, now: Date,
        _ body: @Sendable @escaping (any SQLDatabase) async throws -> CrisisLogDraft
    ) async throws {
        guard try await find(id, in: scope) != nil else {
            throw DomainError(.notFound, key: "error.not_found", "No such critical incident.")
        }
        try await database.writing { db in
            let entry = try await body(db.sql)
            _ = try await Self.append(entry, to: id, sql: db.sql, db: db, scope: scope, now: now)
        }
    }

    static func entry(_ row: any SQLRow) throws -> CrisisLogEntry {
        CrisisLogEntry(
            id: try row.decode(column: "id", as: UUID.self), sequence: try row.decode(column: "sequence", as: Int.self),
            kind: CrisisLogKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .information,
            at: try row.decode(column: "at", as: Date.self), text: try row.decode(column: "text", as: String.self),
            decidedBy: try row.decode(column: "decided_by", as: String.self),
            reason: try row.decode(column: "reason", as: String.self),
            owner: try row.decode(column: "owner", as: String.self),
            dueAt: try row.decode(column: "due_at", as: Date?.self),
            attendees: try row.decode(column: "attendees", as: String.self),
            refersTo: try row.decode(column: "refers_to", as: UUID?.self),
            recordedBy: try row.decode(column: "recorded_by", as: UserID?.self),
            recordedAt: try row.decode(column: "recorded_at", as: Date.self))
    }

    static func record(_ row: any SQLRow) throws -> CriticalIncidentRecord {
        func string(_ c: String) throws -> String? { try row.decode(column: c, as: String?.self) }
        func date(_ c: String) throws -> Date? { try row.decode(column: c, as: Date?.self) }
        let draft = CriticalIncidentDraft(
            whoPeople: [], whoText: try string("who_text") ?? "", what: try string("what") ?? "",
            whereText: try string("where_text") ?? "", areaPcode: try string("area_pcode"),
            occurredAt: try row.decode(column: "occurred_at", as: Date.self),
            knownAt: try row.decode(column: "known_at", as: Date.self), why: try string("why") ?? "",
            callerName: try string("caller_name") ?? "", callerPhone: try string("caller_phone") ?? "",
            callBackAt: try row.decode(column: "call_back_at", as: Date.self),
            riskToLife: RiskToLife(rawValue: try string("risk_to_life") ?? "") ?? .unknown,
            level: CriticalIncidentLevel(rawValue: try string("level") ?? "") ?? .major,
            incidentID: try row.decode(column: "incident_id", as: IncidentID?.self))
        var gsu: CriticalIncidentRecord.Consultation?
        if let at = try date("gsu_consulted_at") {
            gsu = .init(contact: try string("gsu_contact") ?? "", at: at, advice: try string("gsu_advice") ?? "")
        }
        var activation: CriticalIncidentRecord.Activation?
        if let activated = try row.decode(column: "cimt_activated", as: Bool?.self),
            let at = try date("cimt_decided_at")
        {
            activation = .init(
                activated: activated, decidedBy: try string("cimt_decided_by") ?? "", at: at,
                reason: try string("cimt_reason") ?? "")
        }
        var standDown: CriticalIncidentRecord.StandDown?
        if let at = try date("stood_down_at") {
            standDown = .init(at: at, by: try string("stood_down_by") ?? "", note: try string("stand_down_note") ?? "")
        }
        var review: CriticalIncidentRecord.Review?
        if let at = try date("reviewed_at") {
            review = .init(
                lessons: try string("review_lessons") ?? "",
                followed: ProceduresFollowed(rawValue: try string("review_followed") ?? "") ?? .partly,
                planChanges: try string("review_plan_changes") ?? "", at: at)
        }
        return CriticalIncidentRecord(
            id: try row.decode(column: "id", as: UUID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            number: try row.decode(column: "number", as: Int.self), draft: draft, gsu: gsu, activation: activation,
            cimPlanVersion: try row.decode(column: "cim_plan_version", as: Int?.self),
            rollCallID: try row.decode(column: "roll_call_id", as: RollCallID?.self), standDown: standDown,
            review: review, createdBy: try row.decode(column: "created_by", as: UserID?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
