import Domain
import FluentKit
import Foundation
import SQLKit

/// An action point as stored, with its meeting.
public struct MeetingActionRecord: Sendable, Hashable {
    public var id: MeetingActionID
    public var meetingID: MeetingID
    public var text: String
    /// nil when the owner is a registry entry the reader may not see (or was removed).
    public var owner: ActionOwner?
    public var dueOn: Date
    public var status: ActionStatus
    public var doneOn: Date?
    public var forum: String
    public var meetingKind: MeetingKind
    public var heldOn: Date

    public func isOverdue(today: Date) -> Bool { status == .open && dueOn < today }
}

/// A meeting as one reader sees it.
public struct MeetingRecord: Sendable, Hashable {
    public var id: MeetingID
    public var operationID: OperationID
    /// What the reader may see and edit: attendees they see, action points whose owner they see.
    public var draft: MeetingDraft
    /// Every action point, in order; an owner the reader may not see is nil.
    public var actions: [MeetingActionRecord]
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date

    public var access: RecordAccess {
        RecordAccess(
            operationID: operationID, audience: draft.audience, createdBy: createdBy,
            namedUserIDs: Set(draft.representativeIDs))
    }
}

/// The coordination log: meetings, their attendees from the registry, who represented the IFRC,
/// decisions and action points. Reads go through `VisibilityFilter.meetings` (restricted: the
/// author and the representatives); attendees and action owners are named only where the reader
/// may see their registry entry, and an edit keeps those the editor may not see.
public struct MeetingStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    static let kind = "meeting"
    static let notFound = DomainError(.notFound, key: "error.not_found", "No such meeting.")

    public struct Filter: Sendable, Hashable {
        public var kind: MeetingKind?
        public var from: Date?
        public var until: Date?
        public var attendee: StakeholderID?
        public var search = ""
        public init(
            kind: MeetingKind? = nil, from: Date? = nil, until: Date? = nil, attendee: StakeholderID? = nil,
            search: String = ""
        ) {
            self.kind = kind
            self.from = from
            self.until = until
            self.attendee = attendee
            self.search = search
        }
    }

    // MARK: Writing

    /// Records a meeting; the caller has checked `AccessPolicy.canRecordMeetings` and `canCreate`.
    public func create(_ draft: MeetingDraft, scope: Scope, actorID: UserID?, now: Date) async throws -> MeetingRecord {
        let id = MeetingID(UUID())
        try await database.writing { db in
            try await MeetingStore(db).checkReferences(draft, scope: scope)
            var columns = Self.columns(draft)
            columns += [
                ("id", SQLBind(id)), ("operation_id", SQLBind(scope.operationID)), ("created_by", SQLBind(actorID)),
                ("created_at", SQLBind(now)), ("updated_at", SQLBind(now)),
            ]
            try await db.sql.insert(into: "meetings").columns(columns.map(\.0)).values(columns.map(\.1)).run()
            try await Self.replaceLinks(
                of: id, draft: draft, keptAttendees: [], keptActions: [], scope: scope, now: now, on: db)
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create, after: Self.snapshot(draft), at: now)
        }
        guard let record = try await find(id, in: scope) else { throw Self.notFound }
        return record
    }

    /// Changes a meeting. Attendees and action points the editor may not see are kept as they were.
    public func update(
        _ id: MeetingID, with draft: MeetingDraft, scope: Scope, actorID: UserID?, expecting version: String?, now: Date
    ) async throws -> MeetingRecord {
        try await database.writing { db in
            let store = MeetingStore(db)
            guard let before = try await store.find(id, in: scope) else { throw Self.notFound }
            try await db.sql.requireVersion(version, of: "meetings", id: id, what: "meeting", now: now)
            try await store.checkReferences(draft, scope: scope)
            let visibleAttendees = Set(before.draft.attendeeIDs)
            let allAttendees = try await db.sql.select().column("stakeholder_id").from("meeting_attendees")
                .where("meeting_id", .equal, id).all().map {
                    try $0.decode(column: "stakeholder_id", as: StakeholderID.self)
                }
            let keptAttendees = allAttendees.filter { !visibleAttendees.contains($0) }
            let keptActions = before.actions.filter { $0.owner == nil }.map(\.id)
            let update = db.sql.update("meetings")
            for (column, value) in Self.columns(draft) + [("updated_at", SQLBind(now))] {
                update.set(SQLIdentifier(column), to: value)
            }
            try await update.where("id", .equal, id).run()
            try await Self.replaceLinks(
                of: id, draft: draft, keptAttendees: keptAttendees, keptActions: keptActions, scope: scope, now: now,
                on: db)
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before.draft), after: Self.snapshot(draft), at: now)
        }
        guard let record = try await find(id, in: scope) else { throw Self.notFound }
        return record
    }

    /// Marks an action point done (on `day`) or open again.
    public func setAction(
        _ actionID: MeetingActionID, status: ActionStatus, day: Date, scope: Scope, actorID: UserID?, now: Date
    ) async throws -> MeetingActionRecord {
        try await database.writing { db in
            guard let action = try await MeetingStore(db).action(actionID, in: scope) else {
                throw DomainError(.notFound, key: "error.not_found", "No such action point.")
            }
            try await db.sql.update("meeting_actions").set("status", to: status.rawValue)
                .set("done_on", to: SQLBind(status == .done ? day : nil)).set("updated_at", to: now)
                .where("id", .equal, actionID).run()
            try await db.sql.update("meetings").set("updated_at", to: now).where("id", .equal, action.meetingID).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind,
                recordID: action.meetingID.uuidString, action: .update,
                before: ["action": action.text, "action_status": action.status.rawValue],
                after: ["action": action.text, "action_status": status.rawValue], at: now)
            var after = action
            after.status = status
            after.doneOn = status == .done ? day : nil
            return after
        }
    }

    public func delete(_ id: MeetingID, scope: Scope, actorID: UserID?, now: Date) async throws {
        try await database.writing { db in
            guard let before = try await MeetingStore(db).find(id, in: scope) else { throw Self.notFound }
            for table in ["meeting_actions", "meeting_attendees", "meeting_representatives"] {
                try await db.sql.delete(from: table).where("meeting_id", .equal, id).run()
            }
            try await db.sql.delete(from: "record_grants").where("record_kind", .equal, Self.kind)
                .where("record_id", .equal, id).run()
            try await db.sql.delete(from: "meetings").where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .delete, before: Self.snapshot(before.draft), at: now)
        }
    }

    /// Attendees and action owners are entries of this operation's registry that the writer may see;
    /// representatives and member owners are members of the operation. An attendee from another
    /// operation is refused by name of the field, never by the other operation's entry.
    func checkReferences(_ draft: MeetingDraft, scope: Scope) async throws {
        var errors = ValidationErrors()
        let stakeholders =
            draft.attendeeIDs
            + draft.actions.compactMap {
                if case .stakeholder(let id) = $0.owner { id } else { nil }
            }
        let visible = try await StakeholderStore(database).find(stakeholders, in: scope)
        let unknownAttendees = draft.attendeeIDs.filter { visible[$0] == nil }
        if !unknownAttendees.isEmpty {
            errors.add(
                "attendee_ids", key: "error.attendee_unknown",
                "Not in this operation's registry: " + unknownAttendees.map(\.uuidString).joined(separator: ", ") + ".")
        }
        let roles = Dictionary(
            try await database.sql.select().columns("user_id", "role").from("memberships")
                .where("operation_id", .equal, scope.operationID).all().map {
                    (try $0.decode(column: "user_id", as: UserID.self), try $0.decode(column: "role", as: String.self))
                }, uniquingKeysWith: { a, _ in a })
        let members = Set(roles.keys)
        // The IFRC is represented by the Movement: a partner speaks for their own organisation.
        let strangers = draft.representativeIDs.filter {
            !(roles[$0].flatMap(Role.init(rawValue:)).map(AccessPolicy.canRepresentIFRC) ?? false)
        }
        if !strangers.isEmpty {
            errors.add(
                "representative_ids", key: "error.representative_not_member",
                "A representative must be a member of the operation from the Movement: "
                    + strangers.map(\.uuidString).joined(separator: ", ") + ".")
        }
        for (n, action) in draft.actions.enumerated() {
            switch action.owner {
            case .member(let user) where !members.contains(user):
                errors.add(
                    "actions", key: "error.action_owner", "Action \(n + 1): the owner is not a member of the operation."
                )
            case .stakeholder(let id) where visible[id] == nil:
                errors.add(
                    "actions", key: "error.action_owner",
                    "Action \(n + 1): the owner is not in this operation's registry.")
            default: break
            }
        }
        try errors.throwIfAny()
    }

    static func replaceLinks(
        of id: MeetingID, draft: MeetingDraft, keptAttendees: [StakeholderID], keptActions: [MeetingActionID],
        scope: Scope, now: Date, on db: any Database
    ) async throws {
        try await db.sql.delete(from: "meeting_attendees").where("meeting_id", .equal, id).run()
        for attendee in Array(Set(draft.attendeeIDs + keptAttendees)).sorted(by: { $0.uuidString < $1.uuidString }) {
            try await db.sql.insert(into: "meeting_attendees").columns("meeting_id", "stakeholder_id")
                .values(SQLBind(id), SQLBind(attendee)).run()
        }
        try await db.sql.delete(from: "meeting_representatives").where("meeting_id", .equal, id).run()
        for user in draft.representativeIDs {
            try await db.sql.insert(into: "meeting_representatives").columns("meeting_id", "user_id")
                .values(SQLBind(id), SQLBind(user)).run()
        }
        try await SiteStore.replaceGrants(
            on: db, kind: kind, recordID: id, grants: .init(userIDs: Set(draft.representativeIDs)))
        // Action points keep their ids: an edit that rewords one does not make it a new one.
        let existing = Set(
            try await db.sql.select().column("id").from("meeting_actions").where("meeting_id", .equal, id).all().map {
                try $0.decode(column: "id", as: MeetingActionID.self)
            })
        let kept = Set(keptActions)
        let posted = Set(draft.actions.compactMap(\.id))
        let removed = existing.subtracting(posted).subtracting(kept)
        if !removed.isEmpty {
            try await db.sql.delete(from: "meeting_actions").where("id", .in, Array(removed)).run()
        }
        for (position, action) in draft.actions.enumerated() {
            var ownerUser: UserID?
            var ownerStakeholder: StakeholderID?
            switch action.owner {
            case .member(let user): ownerUser = user
            case .stakeholder(let s): ownerStakeholder = s
            }
            let values: [(String, SQLBind)] = [
                ("position", SQLBind(position)), ("text", SQLBind(action.text)), ("owner_user_id", SQLBind(ownerUser)),
                ("owner_stakeholder_id", SQLBind(ownerStakeholder)), ("due_on", SQLBind(action.dueOn)),
                ("status", SQLBind(action.status.rawValue)), ("done_on", SQLBind(action.doneOn)),
                ("updated_at", SQLBind(now)),
            ]
            if let actionID = action.id, existing.contains(actionID), !kept.contains(actionID) {
                let update = db.sql.update("meeting_actions")
                for (column, value) in values { update.set(SQLIdentifier(column), to: value) }
                try await update.where("id", .equal, actionID).run()
            } else {
                let all =
                    values + [
                        ("id", SQLBind(MeetingActionID(UUID()))), ("meeting_id", SQLBind(id)),
                        ("operation_id", SQLBind(scope.operationID)),
                    ]
                try await db.sql.insert(into: "meeting_actions").columns(all.map(\.0)).values(all.map(\.1)).run()
            }
        }
    }

    // MARK: Reading

    public func find(_ id: MeetingID, in scope: Scope) async throws -> MeetingRecord? {
        guard
            let row = try await database.sql.select().column("*").from("meetings").where("id", .equal, id)
                .where(VisibilityFilter.meetings(scope)).first()
        else { return nil }
        return try await records([row], scope: scope).first
    }

    /// One page of the log, the latest first.
    public func list(in scope: Scope, filter: Filter = Filter(), page: Paging) async throws -> ResultPage<MeetingRecord>
    {
        let rows = try await database.sql.page(
            page, from: "meetings", filter: { Self.filtered($0, scope, filter) },
            order: { $0.orderBy("held_on", .descending).orderBy("created_at", .descending).orderBy("id") },
            decode: { $0 })
        return ResultPage(
            items: try await records(rows.items, scope: scope), page: rows.page, perPage: rows.perPage,
            total: rows.total)
    }

    /// Every meeting `filter` keeps, the latest first (the handover pack, participation).
    public func all(in scope: Scope, filter: Filter = Filter()) async throws -> [MeetingRecord] {
        let rows = try await Self.filtered(database.sql.select().column("*").from("meetings"), scope, filter)
            .orderBy("held_on", .descending).orderBy("created_at", .descending).orderBy("id").all()
        return try await records(rows, scope: scope)
    }

    /// Who was at each forum: from every meeting the reader may see.
    public func participation(in scope: Scope, since: Date? = nil) async throws -> [ForumParticipation] {
        let rows = try await Self.filtered(
            database.sql.select().columns("kind", "forum", "held_on", "ifrc_represented").from("meetings"), scope,
            Filter(from: since)
        ).all()
        return ForumParticipation.tally(
            try rows.compactMap { row in
                guard let kind = MeetingKind(rawValue: try row.decode(column: "kind", as: String.self)) else {
                    return nil
                }
                return (
                    kind, try row.decode(column: "forum", as: String.self),
                    try row.decode(column: "held_on", as: Date.self),
                    try row.decode(column: "ifrc_represented", as: Bool.self)
                )
            })
    }

    static func filtered(_ builder: SQLSelectBuilder, _ scope: Scope, _ filter: Filter) -> SQLSelectBuilder {
        builder.where(VisibilityFilter.meetings(scope))
        if let kind = filter.kind { builder.where("kind", .equal, kind.rawValue) }
        if let from = filter.from { builder.where("held_on", .greaterThanOrEqual, from) }
        if let until = filter.until { builder.where("held_on", .lessThan, until) }
        if let attendee = filter.attendee {
            builder.where(
                SQLQueryString(
                    "EXISTS (SELECT 1 FROM meeting_attendees ma WHERE ma.meeting_id = meetings.id AND ma.stakeholder_id = \(bind: attendee))"
                ))
        }
        let search = filter.search.trimmingCharacters(in: .whitespaces).lowercased()
        if !search.isEmpty {
            let pattern = SQLBind("%" + SiteStore.escapeLike(search) + "%")
            builder.where(group: { group in
                group.where(SQLFunction("LOWER", args: SQLIdentifier("forum")), .like, pattern)
                    .orWhere(SQLFunction("LOWER", args: SQLIdentifier("place")), .like, pattern)
            })
        }
        return builder
    }

    // MARK: Action points

    public struct ActionFilter: Sendable, Hashable {
        public var status: ActionStatus?
        /// Open and due before this day.
        public var overdueOn: Date?
        public var ownerUserID: UserID?
        public init(status: ActionStatus? = nil, overdueOn: Date? = nil, ownerUserID: UserID? = nil) {
            self.status = status
            self.overdueOn = overdueOn
            self.ownerUserID = ownerUserID
        }
    }

    /// Action points of the meetings the reader may see, the earliest due first.
    public func actions(in scope: Scope, filter: ActionFilter = ActionFilter(), limit: Int = 500) async throws
        -> [MeetingActionRecord]
    {
        let query = actionQuery(scope, filter).orderBy(SQLColumn("due_on", table: "a")).orderBy(
            SQLColumn("held_on", table: "m")
        )
        .orderBy(SQLColumn("position", table: "a")).limit(limit)
        return try await actionRecords(try await query.all(), scope: scope)
    }

    public func countActions(in scope: Scope, filter: ActionFilter) async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("meeting_actions"), as: SQLIdentifier("a")))
            .join(
                SQLAlias(SQLIdentifier("meetings"), as: SQLIdentifier("m")), method: SQLJoinMethod.inner,
                on: SQLColumn("meeting_id", table: "a"), .equal, SQLColumn("id", table: "m")
            )
            .where(Self.actionPredicate(scope, filter)).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func actionQuery(_ scope: Scope, _ filter: ActionFilter) -> SQLSelectBuilder {
        database.sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("a")))
            .column(SQLColumn("forum", table: "m")).column(SQLColumn("kind", table: "m"))
            .column(SQLColumn("held_on", table: "m"))
            .from(SQLAlias(SQLIdentifier("meeting_actions"), as: SQLIdentifier("a")))
            .join(
                SQLAlias(SQLIdentifier("meetings"), as: SQLIdentifier("m")), method: SQLJoinMethod.inner,
                on: SQLColumn("meeting_id", table: "a"), .equal, SQLColumn("id", table: "m")
            )
            .where(Self.actionPredicate(scope, filter))
    }

    static func actionPredicate(_ scope: Scope, _ filter: ActionFilter) -> SQLQueryString {
        var query: SQLQueryString =
            "a.operation_id = \(bind: scope.operationID) AND \(VisibilityFilter.meetings(scope, table: "m"))"
        if let status = filter.status { query = query + " AND a.status = \(bind: status.rawValue)" }
        if let day = filter.overdueOn {
            query = query + " AND a.status = \(bind: ActionStatus.open.rawValue) AND a.due_on < \(bind: day)"
        }
        if let owner = filter.ownerUserID { query = query + " AND a.owner_user_id = \(bind: owner)" }
        return query
    }

    /// The action point, if its meeting is one `scope` may see.
    public func action(_ id: MeetingActionID, in scope: Scope) async throws -> MeetingActionRecord? {
        let rows = try await actionQuery(scope, ActionFilter()).where(SQLColumn("id", table: "a"), .equal, SQLBind(id))
            .all()
        return try await actionRecords(rows, scope: scope).first
    }

    /// Action rows with their owners resolved through the reader's scope.
    func actionRecords(_ rows: [any SQLRow], scope: Scope) async throws -> [MeetingActionRecord] {
        let stakeholderIDs = try rows.compactMap {
            try $0.decode(column: "owner_stakeholder_id", as: StakeholderID?.self)
        }
        let visible = try await StakeholderStore(database).find(stakeholderIDs, in: scope)
        return try rows.map { row in
            var owner: ActionOwner?
            if let user = try row.decode(column: "owner_user_id", as: UserID?.self) {
                owner = .member(user)
            } else if let s = try row.decode(column: "owner_stakeholder_id", as: StakeholderID?.self), visible[s] != nil
            {
                owner = .stakeholder(s)
            }
            return MeetingActionRecord(
                id: try row.decode(column: "id", as: MeetingActionID.self),
                meetingID: try row.decode(column: "meeting_id", as: MeetingID.self),
                text: try row.decode(column: "text", as: String.self), owner: owner,
                dueOn: try row.decode(column: "due_on", as: Date.self),
                status: ActionStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
                doneOn: try row.decode(column: "done_on", as: Date?.self),
                forum: try row.decode(column: "forum", as: String.self),
                meetingKind: MeetingKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .bilateral,
                heldOn: try row.decode(column: "held_on", as: Date.self))
        }
    }

    /// Meetings with their attendees, representatives and action points, as `scope` sees them.
    func records(_ rows: [any SQLRow], scope: Scope) async throws -> [MeetingRecord] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: MeetingID.self) }
        var attendees: [MeetingID: [StakeholderID]] = [:]
        var representatives: [MeetingID: [UserID]] = [:]
        var actions: [MeetingID: [MeetingActionRecord]] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let attendeeRows = try await database.sql.select().columns("meeting_id", "stakeholder_id")
                .from("meeting_attendees").where("meeting_id", .in, chunk).all()
            let visible = try await StakeholderStore(database).find(
                try attendeeRows.map { try $0.decode(column: "stakeholder_id", as: StakeholderID.self) }, in: scope)
            for row in attendeeRows {
                let stakeholder = try row.decode(column: "stakeholder_id", as: StakeholderID.self)
                // An attendee the reader may not see is not named, nor counted.
                guard visible[stakeholder] != nil else { continue }
                attendees[try row.decode(column: "meeting_id", as: MeetingID.self), default: []].append(stakeholder)
            }
            for row in try await database.sql.select().columns("meeting_id", "user_id").from("meeting_representatives")
                .where("meeting_id", .in, chunk).all()
            {
                representatives[try row.decode(column: "meeting_id", as: MeetingID.self), default: []].append(
                    try row.decode(column: "user_id", as: UserID.self))
            }
            let actionRows = try await actionQuery(scope, ActionFilter()).where(
                SQLColumn("meeting_id", table: "a"), .in, SQLBind.group(chunk)
            )
            .orderBy(SQLColumn("position", table: "a")).all()
            for action in try await actionRecords(actionRows, scope: scope) {
                actions[action.meetingID, default: []].append(action)
            }
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: MeetingID.self)
            let meetingActions = actions[id] ?? []
            let draft = MeetingDraft(
                kind: MeetingKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .bilateral,
                forum: try row.decode(column: "forum", as: String.self),
                heldOn: try row.decode(column: "held_on", as: Date.self),
                place: try row.decode(column: "place", as: String?.self),
                attendeeIDs: attendees[id] ?? [],
                ifrcRepresented: try row.decode(column: "ifrc_represented", as: Bool.self),
                representativeIDs: (representatives[id] ?? []).sorted { $0.uuidString < $1.uuidString },
                representativeNote: try row.decode(column: "representative_note", as: String?.self),
                notes: try row.decode(column: "notes", as: String?.self),
                decisions: ServiceRecord.list(try row.decode(column: "decisions", as: String.self)),
                actions: meetingActions.compactMap { a in
                    a.owner.map {
                        MeetingActionDraft(
                            id: a.id, text: a.text, owner: $0, dueOn: a.dueOn, status: a.status, doneOn: a.doneOn)
                    }
                },
                audience: AudienceLevel(rawValue: try row.decode(column: "audience", as: String.self)) ?? .restricted)
            return MeetingRecord(
                id: id, operationID: try row.decode(column: "operation_id", as: OperationID.self), draft: draft,
                actions: meetingActions, createdBy: try row.decode(column: "created_by", as: UserID?.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                updatedAt: try row.decode(column: "updated_at", as: Date.self))
        }
    }

    static func columns(_ d: MeetingDraft) -> [(String, SQLBind)] {
        [
            ("kind", SQLBind(d.kind.rawValue)), ("forum", SQLBind(d.forum)), ("held_on", SQLBind(d.heldOn)),
            ("place", SQLBind(d.place)), ("ifrc_represented", SQLBind(d.ifrcRepresented)),
            ("representative_note", SQLBind(d.representativeNote)), ("notes", SQLBind(d.notes)),
            ("decisions", SQLBind(ServiceRecord.json(d.decisions))), ("audience", SQLBind(d.audience.rawValue)),
        ]
    }

    /// What the audit trail keeps of a meeting: its facts, decisions and action points; attendees
    /// by id (the registry names them for those who may see them).
    static func snapshot(_ d: MeetingDraft) -> [String: String?] {
        [
            "kind": d.kind.rawValue, "forum": d.forum, "held_on": DateText.day(d.heldOn), "place": d.place,
            "ifrc_represented": String(d.ifrcRepresented),
            "representatives": d.representativeIDs.map(\.uuidString).joined(separator: ", "),
            "representative_note": d.representativeNote, "notes": d.notes,
            "decisions": d.decisions.joined(separator: " | "),
            "actions": d.actions.map { "\($0.text) (\(DateText.day($0.dueOn)), \($0.status.rawValue))" }
                .joined(separator: " | "),
            "audience": d.audience.rawValue,
        ]
    }
}
