import Domain
import FluentKit
import Foundation
import SQLKit

/// One entry of the stakeholder registry, as stored.
public struct StakeholderRecord: Sendable, Hashable {
    public var id: StakeholderID
    public var operationID: OperationID
    public var draft: StakeholderDraft
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date

    public var access: RecordAccess {
        RecordAccess(
            operationID: operationID, audience: draft.audience, createdBy: createdBy,
            namedUserIDs: AccessPolicy.namedOnStakeholder(ownerID: draft.ownerID))
    }

    /// "UNHCR", or the name when there is no acronym.
    public var shortName: String { draft.acronym ?? draft.name }
}

/// The stakeholder registry of an operation: organisations and the people in them, for both roles.
/// Every read goes through `VisibilityFilter.stakeholders`: the role reads the network, and each
/// entry's audience (restricted: its author and the member who owns the relationship).
public struct StakeholderStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    static let kind = "stakeholder"

    /// Filters for the registry.
    public struct Filter: Sendable, Hashable {
        /// The security network (security and both) or the migration actors (migration and both).
        public var view: StakeholderTopic?
        public var kind: StakeholderKind?
        public var group: StakeholderGroup?
        public var actorType: StakeholderType?
        public var ownerID: UserID?
        /// Entries not verified since this day (or never).
        public var unverifiedSince: Date?
        public var organisationID: StakeholderID?
        public var search = ""
        public init(
            view: StakeholderTopic? = nil, kind: StakeholderKind? = nil, group: StakeholderGroup? = nil,
            actorType: StakeholderType? = nil, ownerID: UserID? = nil, unverifiedSince: Date? = nil,
            organisationID: StakeholderID? = nil, search: String = ""
        ) {
            self.view = view
            self.kind = kind
            self.group = group
            self.actorType = actorType
            self.ownerID = ownerID
            self.unverifiedSince = unverifiedSince
            self.organisationID = organisationID
            self.search = search
        }
    }

    /// The name as duplicates are found: case, accents, punctuation and spacing ignored.
    public static func nameKey(_ name: String) -> String {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        return folded.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined()
    }

    // MARK: Writing

    /// Adds an entry; the caller has checked `AccessPolicy.canManageNetwork` and `checkReferences`.
    public func create(_ draft: StakeholderDraft, scope: Scope, actorID: UserID?, now: Date) async throws
        -> StakeholderRecord
    {
        try await database.writing { db in
            try await StakeholderStore(db).checkReferences(draft, scope: scope, excluding: nil)
            return try await Self.insert(draft, scope: scope, actorID: actorID, now: now, on: db)
        }
    }

    static func insert(_ draft: StakeholderDraft, scope: Scope, actorID: UserID?, now: Date, on db: any Database)
        async throws -> StakeholderRecord
    {
        let record = StakeholderRecord(
            id: StakeholderID(UUID()), operationID: scope.operationID, draft: draft, createdBy: actorID,
            createdAt: now, updatedAt: now)
        var columns = Self.columns(draft)
        columns += [
            ("id", SQLBind(record.id)), ("operation_id", SQLBind(scope.operationID)),
            ("created_by", SQLBind(actorID)), ("created_at", SQLBind(now)), ("updated_at", SQLBind(now)),
        ]
        try await db.sql.insert(into: "stakeholders").columns(columns.map(\.0)).values(columns.map(\.1)).run()
        // A new entry has no grants to replace; only a restricted one names anybody.
        if draft.audience == .restricted {
            try await SiteStore.replaceGrants(
                on: db, kind: kind, recordID: record.id,
                grants: .init(userIDs: AccessPolicy.namedOnStakeholder(ownerID: draft.ownerID)))
        }
        try await AuditStore(db).append(
            actorID: actorID, operationID: scope.operationID, recordKind: kind, recordID: record.id.uuidString,
            action: .create, after: snapshot(draft), at: now)
        return record
    }

    /// Changes an entry; a stale `version` is refused.
    public func update(
        _ id: StakeholderID, with draft: StakeholderDraft, scope: Scope, actorID: UserID?, expecting version: String?,
        now: Date
    ) async throws -> StakeholderRecord {
        try await database.writing { db in
            let store = StakeholderStore(db)
            guard let before = try await store.find(id, in: scope) else { throw Self.notFound }
            try await db.sql.requireVersion(version, of: "stakeholders", id: id, what: "stakeholder", now: now)
            try await store.checkReferences(draft, scope: scope, excluding: id)
            return try await Self.replace(before, with: draft, actorID: actorID, now: now, on: db)
        }
    }

    static func replace(
        _ before: StakeholderRecord, with draft: StakeholderDraft, actorID: UserID?, now: Date, on db: any Database
    ) async throws -> StakeholderRecord {
        var after = before
        after.draft = draft
        after.updatedAt = now
        let update = db.sql.update("stakeholders")
        for (column, value) in Self.columns(draft) + [("updated_at", SQLBind(now))] {
            update.set(SQLIdentifier(column), to: value)
        }
        try await update.where("id", .equal, before.id).run()
        try await SiteStore.replaceGrants(
            on: db, kind: kind, recordID: before.id,
            grants: .init(userIDs: AccessPolicy.namedOnStakeholder(ownerID: draft.ownerID)))
        try await AuditStore(db).append(
            actorID: actorID, operationID: before.operationID, recordKind: kind, recordID: before.id.uuidString,
            action: .update, before: snapshot(before.draft), after: snapshot(draft), at: now)
        return after
    }

    /// "Verified today": the entry was checked and still holds.
    public func markVerified(_ id: StakeholderID, on day: Date, scope: Scope, actorID: UserID?, now: Date) async throws
    {
        try await database.writing { db in
            guard let before = try await StakeholderStore(db).find(id, in: scope) else { throw Self.notFound }
            var draft = before.draft
            draft.lastVerifiedOn = day
            _ = try await Self.replace(before, with: draft, actorID: actorID, now: now, on: db)
        }
    }

    /// Removes an entry. Its people stay, without an organisation; its attendance of meetings goes
    /// with it, and action points it carried keep their text without an owner.
    public func delete(_ id: StakeholderID, scope: Scope, actorID: UserID?, now: Date) async throws {
        try await database.writing { db in
            guard let before = try await StakeholderStore(db).find(id, in: scope) else { throw Self.notFound }
            try await db.sql.update("stakeholders").set("organisation_id", to: SQLLiteral.null)
                .where("organisation_id", .equal, id).run()
            try await db.sql.delete(from: "record_grants").where("record_kind", .equal, Self.kind)
                .where("record_id", .equal, id).run()
            try await db.sql.delete(from: "stakeholders").where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: before.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .delete, before: Self.snapshot(before.draft), at: now)
        }
    }

    /// Merges `duplicate` into `kept`: the fields `kept` lacks are filled from the duplicate, the
    /// contacts joined, the duplicate's people, meetings and action points moved over; then the
    /// duplicate goes. Both must be in scope.
    public func merge(_ duplicate: StakeholderID, into kept: StakeholderID, scope: Scope, actorID: UserID?, now: Date)
        async throws -> StakeholderRecord
    {
        guard duplicate != kept else {
            throw DomainError(
                .invalid, field: "merge", key: "error.merge_self", "An entry cannot be merged into itself.")
        }
        return try await database.writing { db in
            let store = StakeholderStore(db)
            guard let keep = try await store.find(kept, in: scope), let dup = try await store.find(duplicate, in: scope)
            else { throw Self.notFound }
            let merged = Self.merged(keep.draft, with: dup.draft)
            let after = try await Self.replace(keep, with: merged, actorID: actorID, now: now, on: db)
            try await db.sql.update("stakeholders").set("organisation_id", to: SQLBind(kept))
                .where("organisation_id", .equal, duplicate).run()
            // Attendance moves unless the kept entry attended the same meeting already.
            try await db.sql.raw(
                """
                UPDATE meeting_attendees SET stakeholder_id = \(bind: kept) WHERE stakeholder_id = \(bind: duplicate) \
                AND meeting_id NOT IN (SELECT meeting_id FROM meeting_attendees WHERE stakeholder_id = \(bind: kept))
                """
            ).run()
            try await db.sql.update("meeting_actions").set("owner_stakeholder_id", to: SQLBind(kept))
                .where("owner_stakeholder_id", .equal, duplicate).run()
            try await db.sql.delete(from: "record_grants").where("record_kind", .equal, Self.kind)
                .where("record_id", .equal, duplicate).run()
            try await db.sql.delete(from: "stakeholders").where("id", .equal, duplicate).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: dup.operationID, recordKind: Self.kind, recordID: duplicate.uuidString,
                action: .delete, before: Self.snapshot(dup.draft), after: ["merged_into": kept.uuidString], at: now)
            return after
        }
    }

    /// The kept entry with what it lacks taken from the other: empty texts filled, contacts joined,
    /// the later verification kept. Its own kind, audience and owner stand.
    public static func merged(_ kept: StakeholderDraft, with other: StakeholderDraft) -> StakeholderDraft {
        var out = kept
        out.acronym = kept.acronym ?? other.acronym
        out.organisationID = kept.organisationID ?? other.organisationID
        out.position = kept.position ?? other.position
        out.mandate = kept.mandate ?? other.mandate
        out.ownerID = kept.ownerID ?? other.ownerID
        out.website = kept.website ?? other.website
        out.address = kept.address ?? other.address
        if let notes = other.notes, notes != kept.notes {
            out.notes = [kept.notes, notes].compactMap { $0 }.joined(separator: "\n\n")
        }
        for email in other.emails where !out.emails.contains(where: { $0.lowercased() == email.lowercased() }) {
            out.emails.append(email)
        }
        for phone in other.phones where !out.phones.contains(where: { digits($0.number) == digits(phone.number) }) {
            out.phones.append(phone)
        }
        switch (kept.lastVerifiedOn, other.lastVerifiedOn) {
        case (let a?, let b?): out.lastVerifiedOn = max(a, b)
        case (nil, let b): out.lastVerifiedOn = b
        default: break
        }
        return out
    }

    static func digits(_ number: String) -> String { number.filter(\.isNumber) }

    /// The organisation is an organisation of this operation the writer sees; the owner is a member.
    public func checkReferences(_ draft: StakeholderDraft, scope: Scope, excluding id: StakeholderID?) async throws {
        var errors = ValidationErrors()
        if let organisationID = draft.organisationID {
            if organisationID == id {
                errors.add(
                    "organisation_id", key: "error.organisation_self", "An entry cannot be its own organisation.")
            } else if let organisation = try await find(organisationID, in: scope) {
                if organisation.draft.kind != .organisation {
                    errors.add(
                        "organisation_id", key: "error.organisation_person",
                        "\(organisation.draft.name) is a person, not an organisation.")
                }
            } else {
                errors.add(
                    "organisation_id", key: "error.organisation_unknown",
                    "No organisation with this id in this operation's registry.")
            }
        }
        if let ownerID = draft.ownerID, try await !Self.isMember(ownerID, of: scope.operationID, on: database.sql) {
            errors.add(
                "owner_id", key: "error.owner_not_member", "The relationship's owner must be a member of the operation."
            )
        }
        try errors.throwIfAny()
    }

    static func isMember(_ userID: UserID, of operationID: OperationID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("user_id").from("memberships").where("user_id", .equal, userID)
            .where("operation_id", .equal, operationID).first() != nil
    }

    static let notFound = DomainError(.notFound, key: "error.not_found", "No such stakeholder.")

    // MARK: Import

    /// One checked entry of an import: new, an update of `existing`, or a duplicate of it.
    public struct Imported: Sendable {
        public var origin: String
        public var draft: StakeholderDraft
        /// The entry it updates (its id in the file) or duplicates (the same name).
        public var existing: StakeholderID?
        /// The fields the file gives: a merge changes those only.
        public var given: Set<String>
        /// For a person: the organisation named in the file that is itself new in this import.
        public var newOrganisationKey: String?
        public init(
            origin: String, draft: StakeholderDraft, existing: StakeholderID?, given: Set<String>,
            newOrganisationKey: String? = nil
        ) {
            self.origin = origin
            self.draft = draft
            self.existing = existing
            self.given = given
            self.newOrganisationKey = newOrganisationKey
        }
    }

    public struct ImportCounts: Sendable, Hashable {
        public var added = 0
        public var merged = 0
        public var unchanged = 0
        public init() {}
    }

    /// Stores an import in one transaction. A person whose organisation is new in the same file is
    /// linked to it once it is made. Entries with `existing` are merged into it: the fields the file
    /// gives replace the stored ones, contacts are joined.
    public func importEntries(_ entries: [Imported], scope: Scope, actorID: UserID?, now: Date) async throws
        -> ImportCounts
    {
        try await database.writing { db in
            let store = StakeholderStore(db)
            var counts = ImportCounts()
            var made: [String: StakeholderID] = [:]
            // Organisations first, so that their people can point at them.
            let ordered =
                entries.filter { $0.draft.kind == .organisation } + entries.filter { $0.draft.kind == .person }
            for var entry in ordered {
                if let key = entry.newOrganisationKey { entry.draft.organisationID = made[key] }
                if let existing = entry.existing, let stored = try await store.find(existing, in: scope) {
                    let next = Self.overlaid(stored.draft, with: entry.draft, given: entry.given)
                    if next == stored.draft {
                        counts.unchanged += 1
                    } else {
                        try await store.checkReferences(next, scope: scope, excluding: existing)
                        _ = try await Self.replace(stored, with: next, actorID: actorID, now: now, on: db)
                        counts.merged += 1
                    }
                    if entry.draft.kind == .organisation { made[Self.nameKey(entry.draft.name)] = existing }
                } else {
                    try await store.checkReferences(entry.draft, scope: scope, excluding: nil)
                    let record = try await Self.insert(entry.draft, scope: scope, actorID: actorID, now: now, on: db)
                    if entry.draft.kind == .organisation { made[Self.nameKey(entry.draft.name)] = record.id }
                    counts.added += 1
                }
            }
            return counts
        }
    }

    /// The stored entry with the file's fields laid over it: what the file gives replaces, contacts join.
    static func overlaid(_ stored: StakeholderDraft, with file: StakeholderDraft, given: Set<String>)
        -> StakeholderDraft
    {
        var out = stored
        if given.contains("name") { out.name = file.name }
        if given.contains("acronym") { out.acronym = file.acronym }
        if given.contains("actor_type") { out.actorType = file.actorType }
        if given.contains("organisation") { out.organisationID = file.organisationID ?? stored.organisationID }
        if given.contains("position") { out.position = file.position }
        if given.contains("mandate") { out.mandate = file.mandate }
        if given.contains("topic") { out.topic = file.topic }
        if given.contains("relation") { out.relation = file.relation }
        if given.contains("influence") { out.influence = file.influence }
        if given.contains("interest") { out.interest = file.interest }
        if given.contains("owner") { out.ownerID = file.ownerID ?? stored.ownerID }
        if given.contains("last_verified_on"), let day = file.lastVerifiedOn {
            out.lastVerifiedOn = max(stored.lastVerifiedOn ?? day, day)
        }
        if given.contains("website") { out.website = file.website }
        if given.contains("address") { out.address = file.address }
        if given.contains("notes") { out.notes = file.notes }
        // A file may only narrow who sees an entry: widening is a decision made on the entry itself.
        if given.contains("audience"), file.audience > stored.audience { out.audience = file.audience }
        let contacts = merged(
            out,
            with: StakeholderDraft(
                kind: file.kind, name: file.name, actorType: file.actorType, emails: file.emails, phones: file.phones))
        out.emails = contacts.emails
        out.phones = contacts.phones
        return out
    }

    // MARK: Reading

    /// The entry, if `scope` may see it.
    public func find(_ id: StakeholderID, in scope: Scope) async throws -> StakeholderRecord? {
        try await database.sql.select().column("*").from("stakeholders").where("id", .equal, id)
            .where(VisibilityFilter.stakeholders(scope)).first().map(Self.record)
    }

    /// The entries of `ids` that `scope` may see, by id.
    public func find(_ ids: [StakeholderID], in scope: Scope) async throws -> [StakeholderID: StakeholderRecord] {
        var out: [StakeholderID: StakeholderRecord] = [:]
        let unique = Array(Set(ids))
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            for row in try await database.sql.select().column("*").from("stakeholders").where("id", .in, chunk)
                .where(VisibilityFilter.stakeholders(scope)).all()
            {
                let record = try Self.record(row)
                out[record.id] = record
            }
        }
        return out
    }

    /// Entries `scope` may see whose name or acronym is `text` (case, accents and spacing ignored):
    /// how a typed attendee is found.
    public func matching(_ text: String, in scope: Scope) async throws -> [StakeholderRecord] {
        let key = Self.nameKey(text)
        guard !key.isEmpty else { return [] }
        let candidates = try await database.sql.select().column("*").from("stakeholders")
            .where(VisibilityFilter.stakeholders(scope))
            .where(group: {
                $0.where("name_key", .equal, key).orWhere(
                    SQLFunction("LOWER", args: SQLIdentifier("acronym")), .equal,
                    SQLBind(text.trimmingCharacters(in: .whitespaces).lowercased()))
            })
            .orderBy("name_key").limit(50).all().map(Self.record)
        return candidates.filter { Self.nameKey($0.draft.name) == key || $0.draft.acronym.map(Self.nameKey) == key }
    }

    /// One page of the registry: organisations and people by name.
    public func list(in scope: Scope, filter: Filter = Filter(), page: Paging) async throws
        -> ResultPage<StakeholderRecord>
    {
        try await database.sql.page(
            page, from: "stakeholders", filter: { Self.filtered($0, scope, filter) },
            order: { $0.orderBy("name_key").orderBy("id") }, decode: Self.record)
    }

    /// Every entry `filter` keeps, by name (the export, the map, the handover pack).
    public func all(in scope: Scope, filter: Filter = Filter()) async throws -> [StakeholderRecord] {
        try await Self.filtered(database.sql.select().column("*").from("stakeholders"), scope, filter)
            .orderBy("name_key").orderBy("id").all().map(Self.record)
    }

    static func filtered(_ builder: SQLSelectBuilder, _ scope: Scope, _ filter: Filter) -> SQLSelectBuilder {
        builder.where(VisibilityFilter.stakeholders(scope))
        if let view = filter.view, view != .both {
            builder.where("topic", .in, [view.rawValue, StakeholderTopic.both.rawValue])
        }
        if let kind = filter.kind { builder.where("kind", .equal, kind.rawValue) }
        if let actorType = filter.actorType { builder.where("actor_type", .equal, actorType.rawValue) }
        if let group = filter.group {
            builder.where("actor_type", .in, StakeholderType.allCases.filter { $0.group == group }.map(\.rawValue))
        }
        if let owner = filter.ownerID { builder.where("owner_id", .equal, owner) }
        if let organisation = filter.organisationID { builder.where("organisation_id", .equal, organisation) }
        if let day = filter.unverifiedSince {
            builder.where(group: {
                $0.where("last_verified_on", .is, SQLLiteral.null).orWhere("last_verified_on", .lessThan, day)
            })
        }
        let search = filter.search.trimmingCharacters(in: .whitespaces)
        if !search.isEmpty {
            let key = SQLBind("%" + SiteStore.escapeLike(nameKey(search)) + "%")
            let plain = SQLBind("%" + SiteStore.escapeLike(search.lowercased()) + "%")
            builder.where(group: { group in
                group.where("name_key", .like, key)
                    .orWhere(SQLFunction("LOWER", args: SQLIdentifier("acronym")), .like, plain)
                    .orWhere(SQLFunction("LOWER", args: SQLIdentifier("position")), .like, plain)
            })
        }
        return builder
    }

    /// How many entries `filter` keeps.
    public func count(in scope: Scope, filter: Filter = Filter()) async throws -> Int {
        try await Self.filtered(
            database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("stakeholders"),
            scope, filter
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The influence × interest map: how many entries `filter` keeps in each cell, and the first
    /// names there by name.
    public struct MapCell: Sendable, Hashable {
        public let influence: Int
        public let interest: Int
        public var count: Int
        public var names: [String]
    }

    public func positions(in scope: Scope, filter: Filter = Filter(), namesPerCell: Int = 6) async throws -> [MapCell] {
        // One reading: each cell's count and its first names by name (a window function, in SQLite
        // and PostgreSQL alike), rather than a query per cell.
        let ranked = Self.filtered(
            database.sql.select().columns("influence", "interest", "name", "acronym")
                .column(
                    SQLRaw("ROW_NUMBER() OVER (PARTITION BY influence, interest ORDER BY name_key, id)"), as: "rank"
                )
                .column(SQLRaw("COUNT(*) OVER (PARTITION BY influence, interest)"), as: "n").from("stakeholders"),
            scope, filter)
        let rows = try await database.sql.select().columns("influence", "interest", "name", "acronym", "n")
            .from(SQLAlias(SQLGroupExpression(ranked.query), as: SQLIdentifier("ranked")))
            .where("rank", .lessThanOrEqual, SQLBind(namesPerCell)).orderBy("influence").orderBy("interest")
            .orderBy("rank").all()
        var cells: [String: MapCell] = [:]
        var order: [String] = []
        for row in rows {
            let influence = try row.decode(column: "influence", as: Int.self)
            let interest = try row.decode(column: "interest", as: Int.self)
            let key = "\(influence)|\(interest)"
            if cells[key] == nil {
                order.append(key)
                cells[key] = MapCell(
                    influence: influence, interest: interest, count: try row.decode(column: "n", as: Int.self),
                    names: [])
            }
            cells[key]?.names.append(
                try row.decode(column: "acronym", as: String?.self) ?? row.decode(column: "name", as: String.self))
        }
        return order.compactMap { cells[$0] }
    }

    // MARK: Views

    /// Records that the reader looked at (or exported) the contacts of these entries: who looked at
    /// whom, and when, as for the personnel register.
    public func recordView(of ids: [StakeholderID], what: String, scope: Scope, now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await AuditStore(database).append(
            actorID: scope.userID, operationID: scope.operationID, recordKind: "stakeholder_view", recordID: what,
            action: what.hasPrefix("export") ? .export : .view,
            after: [
                "stakeholders": ids.map(\.uuidString).sorted().joined(separator: ", "), "count": String(ids.count),
            ],
            at: now)
    }

    // MARK: Rows

    static func columns(_ d: StakeholderDraft) -> [(String, SQLBind)] {
        [
            ("kind", SQLBind(d.kind.rawValue)), ("name", SQLBind(d.name)), ("name_key", SQLBind(nameKey(d.name))),
            ("acronym", SQLBind(d.acronym)), ("actor_type", SQLBind(d.actorType.rawValue)),
            ("organisation_id", SQLBind(d.organisationID)), ("position", SQLBind(d.position)),
            ("mandate", SQLBind(d.mandate)), ("topic", SQLBind(d.topic.rawValue)),
            ("relation", SQLBind(d.relation.rawValue)), ("influence", SQLBind(d.influence)),
            ("interest", SQLBind(d.interest)), ("owner_id", SQLBind(d.ownerID)),
            ("last_verified_on", SQLBind(d.lastVerifiedOn)), ("emails", SQLBind(ServiceRecord.json(d.emails))),
            ("phones", SQLBind(ServiceRecord.json(d.phones.map(\.line)))), ("website", SQLBind(d.website)),
            ("address", SQLBind(d.address)), ("notes", SQLBind(d.notes)), ("audience", SQLBind(d.audience.rawValue)),
        ]
    }

    static func record(_ row: any SQLRow) throws -> StakeholderRecord {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func optional(_ c: String) throws -> String? { try row.decode(column: c, as: String?.self) }
        // Stored values were checked on the way in; one a later release no longer reads falls back
        // (the narrowest audience for an unknown audience) rather than breaking the page.
        let draft = StakeholderDraft(
            kind: StakeholderKind(rawValue: try text("kind")) ?? .organisation, name: try text("name"),
            acronym: try optional("acronym"), actorType: StakeholderType(rawValue: try text("actor_type")) ?? .ingo,
            organisationID: try row.decode(column: "organisation_id", as: StakeholderID?.self),
            position: try optional("position"), mandate: try optional("mandate"),
            topic: StakeholderTopic(rawValue: try text("topic")) ?? .both,
            relation: IFRCRelation(rawValue: try text("relation")) ?? .none,
            influence: try row.decode(column: "influence", as: Int.self),
            interest: try row.decode(column: "interest", as: Int.self),
            ownerID: try row.decode(column: "owner_id", as: UserID?.self),
            lastVerifiedOn: try row.decode(column: "last_verified_on", as: Date?.self),
            emails: ServiceRecord.list(try text("emails")),
            phones: ServiceRecord.list(try text("phones")).compactMap { try? ServicePhone.parse($0).get() },
            website: try optional("website"), address: try optional("address"), notes: try optional("notes"),
            audience: AudienceLevel(rawValue: try text("audience")) ?? .restricted)
        return StakeholderRecord(
            id: try row.decode(column: "id", as: StakeholderID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self), draft: draft,
            createdBy: try row.decode(column: "created_by", as: UserID?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    static func snapshot(_ d: StakeholderDraft) -> [String: String?] {
        [
            "kind": d.kind.rawValue, "name": d.name, "acronym": d.acronym, "actor_type": d.actorType.rawValue,
            "organisation_id": d.organisationID?.uuidString, "position": d.position, "mandate": d.mandate,
            "topic": d.topic.rawValue, "relation": d.relation.rawValue, "influence": String(d.influence),
            "interest": String(d.interest), "owner_id": d.ownerID?.uuidString,
            "last_verified_on": d.lastVerifiedOn.map(DateText.day), "emails": d.emails.joined(separator: ", "),
            "phones": d.phones.map(\.line).joined(separator: " | "), "website": d.website, "address": d.address,
            "notes": d.notes, "audience": d.audience.rawValue,
        ]
    }
}
