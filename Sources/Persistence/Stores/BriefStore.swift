import Domain
import FluentKit
import Foundation
import SQLKit

/// A document as stored: its draft (period, language, narrative, recommendations) and, once issued,
/// its content frozen with the audience it was issued to.
public struct BriefRecord: Sendable, Hashable {
    public var id: BriefID
    public var operationID: OperationID
    public var number: Int
    public var edition: Int
    public var supersedes: BriefID?
    public var state: BriefState
    public var draft: BriefDraft
    public var audience: AudienceLevel
    public var audienceConfirmed: Bool
    public var contentFloor: AudienceLevel?
    public var content: BriefContent?
    public var issuedBy: UserID?
    public var issuedAt: Date?
    public var scheduleID: BriefScheduleID?
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date

    public var kind: BriefKind { draft.kind }
}

/// The documents of an operation: drafted, edited, issued once (then frozen), and each issued one's
/// files. Reads go through `VisibilityFilter.briefs`.
public struct BriefStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    static let kind = "brief"
    static let notFound = DomainError(.notFound, key: "error.not_found", "No such document.")

    static func refused(_ refusal: BriefWorkflow.Refusal) -> DomainError {
        DomainError(.conflict, field: "state", key: refusal.key, refusal.message)
    }

    // MARK: Writing

    /// A new draft, next in its kind's series; or, with `newVersionOf`, the next edition of an issued
    /// document (same number), starting from its text.
    public func create(
        _ draft: BriefDraft, newVersionOf: BriefRecord? = nil, scheduleID: BriefScheduleID? = nil, scope: Scope,
        actorID: UserID?, now: Date
    ) async throws -> BriefRecord {
        let id = BriefID(UUID())
        try await database.writing { db in
            let sql = db.sql
            if sql.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(7243020)").run() }
            var number: Int
            var edition = 1
            if let original = newVersionOf {
                number = original.number
                edition =
                    (try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("edition")), as: "n")
                        .from("briefs").where("operation_id", .equal, scope.operationID)
                        .where("kind", .equal, original.kind.rawValue).where("number", .equal, number).first()?
                        .decode(column: "n", as: Int?.self) ?? 0) + 1
            } else {
                number =
                    (try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("number")), as: "n")
                        .from("briefs").where("operation_id", .equal, scope.operationID)
                        .where("kind", .equal, draft.kind.rawValue).first()?.decode(column: "n", as: Int?.self) ?? 0)
                    + 1
            }
            let columns: [(String, SQLBind)] = [
                ("id", SQLBind(id)), ("operation_id", SQLBind(scope.operationID)),
                ("kind", SQLBind(draft.kind.rawValue)), ("number", SQLBind(number)), ("edition", SQLBind(edition)),
                ("supersedes_id", SQLBind(newVersionOf?.id)), ("state", SQLBind(BriefState.draft.rawValue)),
                ("language", SQLBind(draft.language.rawValue)), ("period_first", SQLBind(draft.period.first)),
                ("period_last", SQLBind(draft.period.last)),
                ("audience", SQLBind((newVersionOf?.audience ?? .ifrcOnly).rawValue)),
                ("audience_confirmed", SQLBind(false)), ("narrative", SQLBind(draft.narrative)),
                ("recommendations", SQLBind(try Self.json(Self.keyed(draft.recommendations)))),
                ("schedule_id", SQLBind(scheduleID)), ("created_by", SQLBind(actorID)),
                ("created_at", SQLBind(now)), ("updated_at", SQLBind(now)),
            ]
            try await sql.insert(into: "briefs").columns(columns.map(\.0)).values(columns.map(\.1)).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create, after: Self.snapshot(draft, number: number, edition: edition, state: .draft), at: now)
        }
        guard let record = try await find(id, in: scope) else { throw Self.notFound }
        return record
    }

    /// Saves the writers' part of a draft. Refused once issued (a new version is drafted instead),
    /// and when someone saved it since `version` was read.
    public func update(
        _ id: BriefID, draft: BriefDraft, scope: Scope, actorID: UserID?, expecting version: String?, now: Date
    ) async throws -> BriefRecord {
        try await database.writing { db in
            guard let before = try await BriefStore(db).find(id, in: scope) else { throw Self.notFound }
            guard before.state == .draft else { throw Self.refused(.alreadyIssued) }
            try await db.sql.requireVersion(version, of: "briefs", id: id, what: "document", now: now)
            try await db.sql.update("briefs").set("language", to: draft.language.rawValue)
                .set("period_first", to: draft.period.first).set("period_last", to: draft.period.last)
                .set("narrative", to: draft.narrative)
                .set("recommendations", to: try Self.json(Self.keyed(draft.recommendations))).set("updated_at", to: now)
                .where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update,
                before: Self.snapshot(before.draft, number: before.number, edition: before.edition, state: .draft),
                after: Self.snapshot(draft, number: before.number, edition: before.edition, state: .draft), at: now)
        }
        guard let record = try await find(id, in: scope) else { throw Self.notFound }
        return record
    }

    /// Issues a draft with its content as generated now: frozen from then on. The workflow is
    /// checked again here, in the transaction, so a document is never issued twice.
    public func issue(
        _ id: BriefID, content: BriefContent, audience: AudienceLevel, confirmedWider: Bool, scope: Scope,
        actorID: UserID?, now: Date
    ) async throws -> BriefRecord {
        try await database.writing { db in
            guard let before = try await BriefStore(db).find(id, in: scope) else { throw Self.notFound }
            do {
                try BriefWorkflow.checkIssue(
                    state: before.state, audience: audience, floor: content.floor, confirmedWider: confirmedWider)
            } catch let refusal as BriefWorkflow.Refusal { throw Self.refused(refusal) }
            // The state is the guard: of two issuers at once, the second changes no row.
            let changed = try await db.sql.update("briefs").set("state", to: BriefState.issued.rawValue)
                .set("content", to: try Self.json(content)).set("content_floor", to: content.floor.rawValue)
                .set("audience", to: audience.rawValue).set("audience_confirmed", to: audience < content.floor)
                .set("issued_by", to: actorID).set("issued_at", to: now).set("updated_at", to: now)
                .where("id", .equal, id).where("state", .equal, BriefState.draft.rawValue)
                .returning("id").all()
            guard !changed.isEmpty else { throw Self.refused(.alreadyIssued) }
            var after = Self.snapshot(before.draft, number: before.number, edition: before.edition, state: .issued)
            after["audience"] = audience.rawValue
            after["content_floor"] = content.floor.rawValue
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: ["state": BriefState.draft.rawValue], after: after, at: now)
        }
        guard let record = try await find(id, in: scope) else { throw Self.notFound }
        return record
    }

    /// Discards a draft; an issued document is kept for good.
    public func discard(_ id: BriefID, scope: Scope, actorID: UserID?, now: Date) async throws {
        try await database.writing { db in
            guard let before = try await BriefStore(db).find(id, in: scope) else { throw Self.notFound }
            guard before.state == .draft else { throw Self.refused(.alreadyIssued) }
            try await db.sql.delete(from: "briefs").where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .delete,
                before: Self.snapshot(before.draft, number: before.number, edition: before.edition, state: .draft),
                at: now)
        }
    }

    // MARK: Reading

    public func find(_ id: BriefID, in scope: Scope) async throws -> BriefRecord? {
        guard
            let row = try await database.sql.select().column("*").from("briefs").where("id", .equal, id)
                .where(VisibilityFilter.briefs(scope)).first()
        else { return nil }
        return try Self.record(row)
    }

    public struct Filter: Sendable, Hashable {
        public var kind: BriefKind?
        public init(kind: BriefKind? = nil) { self.kind = kind }
    }

    /// One page of documents: drafts first, then the issued ones, the latest first.
    public func list(in scope: Scope, filter: Filter = Filter(), page: Paging) async throws -> ResultPage<BriefRecord> {
        let rows = try await database.sql.page(
            page, from: "briefs",
            filter: { builder in
                builder.where(VisibilityFilter.briefs(scope))
                if let kind = filter.kind { builder.where("kind", .equal, kind.rawValue) }
                return builder
            },
            order: {
                $0.orderBy("state").orderBy("period_last", .descending).orderBy("number", .descending)
                    .orderBy("edition", .descending).orderBy("id")
            }, decode: { $0 })
        return ResultPage(
            items: try rows.items.map(Self.record), page: rows.page, perPage: rows.perPage, total: rows.total)
    }

    /// The issued documents of a kind that `scope` may read, in the order they were issued: the series.
    public func series(_ kind: BriefKind, in scope: Scope) async throws -> [BriefRecord] {
        try await database.sql.select().column("*").from("briefs").where(VisibilityFilter.briefs(scope))
            .where("kind", .equal, kind.rawValue).where("state", .equal, BriefState.issued.rawValue)
            .orderBy("issued_at").orderBy("id").all().map(Self.record)
    }

    /// The last day covered by the latest issued document of a kind (any audience: only a date).
    public func lastIssuedDay(_ kind: BriefKind, in operationID: OperationID) async throws -> Date? {
        try await database.sql.select().column(SQLFunction("MAX", args: SQLIdentifier("period_last")), as: "d")
            .from("briefs").where("operation_id", .equal, operationID).where("kind", .equal, kind.rawValue)
            .where("state", .equal, BriefState.issued.rawValue).first()?.decode(column: "d", as: Date?.self)
    }

    /// The operation a document belongs to: how a job, which has no reader, finds its way back.
    public func operation(of id: BriefID) async throws -> OperationID? {
        try await database.sql.select().column("operation_id").from("briefs").where("id", .equal, id).first()?
            .decode(column: "operation_id", as: OperationID.self)
    }

    // MARK: Files

    /// A file made from an issued document (it never changes, so it is made once).
    public func file(_ id: BriefID, format: String) async throws -> Data? {
        try await database.sql.select().column("bytes").from("brief_files").where("brief_id", .equal, id)
            .where("format", .equal, format).first()?.decode(column: "bytes", as: Data.self)
    }

    public func saveFile(_ id: BriefID, format: String, bytes: Data, now: Date) async throws {
        try await database.writing { db in
            try await db.sql.delete(from: "brief_files").where("brief_id", .equal, id).where("format", .equal, format)
                .run()
            try await db.sql.insert(into: "brief_files").columns("brief_id", "format", "bytes", "created_at")
                .values(SQLBind(id), SQLBind(format), SQLBind(bytes), SQLBind(now)).run()
        }
    }

    // MARK: Rows

    static func json<T: Encodable>(_ value: T) throws -> String { try StoredJSON.encode(value) }

    /// `{"security": "…"}`: a dictionary keyed by an enum would encode as an array.
    static func keyed(_ recommendations: [BriefRole: String]) -> [String: String] {
        Dictionary(recommendations.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    static func record(_ row: any SQLRow) throws -> BriefRecord {
        let kind = BriefKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .weekly
        let first = try row.decode(column: "period_first", as: Date.self)
        let last = try row.decode(column: "period_last", as: Date.self)
        let recommendations =
            (try? StoredJSON.decode(
                [String: String].self, try row.decode(column: "recommendations", as: String.self))) ?? [:]
        let draft = BriefDraft(
            kind: kind,
            period: (try? ReportPeriod(first: first, last: last))
                ?? ReportPeriod.following(
                    lastEnded: nil, today: last),
            language: ProductLanguage(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
            narrative: try row.decode(column: "narrative", as: String.self),
            recommendations: Dictionary(
                recommendations.compactMap { key, value in BriefRole(rawValue: key).map { ($0, value) } },
                uniquingKeysWith: { a, _ in a }))
        return BriefRecord(
            id: try row.decode(column: "id", as: BriefID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            number: try row.decode(column: "number", as: Int.self),
            edition: try row.decode(column: "edition", as: Int.self),
            supersedes: try row.decode(column: "supersedes_id", as: BriefID?.self),
            state: BriefState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft, draft: draft,
            audience: AudienceLevel(rawValue: try row.decode(column: "audience", as: String.self)) ?? .ifrcOnly,
            audienceConfirmed: try row.decode(column: "audience_confirmed", as: Bool.self),
            contentFloor: try row.decode(column: "content_floor", as: String?.self).flatMap(AudienceLevel.init),
            content: try row.decode(column: "content", as: String?.self).flatMap {
                try? StoredJSON.decode(BriefContent.self, $0)
            },
            issuedBy: try row.decode(column: "issued_by", as: UserID?.self),
            issuedAt: try row.decode(column: "issued_at", as: Date?.self),
            scheduleID: try row.decode(column: "schedule_id", as: BriefScheduleID?.self),
            createdBy: try row.decode(column: "created_by", as: UserID?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    /// What the audit trail keeps: the document's place and period, never its text (a draft's
    /// wording may say what its later audience may not read).
    static func snapshot(_ d: BriefDraft, number: Int, edition: Int, state: BriefState) -> [String: String?] {
        [
            "kind": d.kind.rawValue, "number": String(number), "edition": String(edition), "state": state.rawValue,
            "period": DateText.day(d.period.first) + "/" + DateText.day(d.period.last), "language": d.language.rawValue,
        ]
    }
}
