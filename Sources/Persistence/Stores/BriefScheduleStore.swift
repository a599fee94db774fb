import Domain
import FluentKit
import Foundation
import SQLKit

public struct BriefScheduleRecord: Sendable, Hashable {
    public let id: BriefScheduleID
    public let operationID: OperationID
    public let draft: BriefScheduleDraft
    public let nextRunAt: Date
    public let lastRunAt: Date?
    public let lastBriefID: BriefID?
    public let lastError: String?
    public let createdBy: UserID?
}

/// One e-mail recipient of a document sent by a schedule.
public struct BriefRecipientRecord: Sendable, Hashable {
    public let id: UUID
    public let briefID: BriefID
    public let name: String
    public let address: String?
    public let status: String
    public let error: String?
    public let sentAt: Date?
}

/// The documents' schedules, their runs, and each run's e-mail recipients. Each run is a durable job
/// (`job`) keyed by the schedule and the moment, queued when the schedule is made and by each run for
/// the next: a restart loses none and none runs twice.
public struct BriefScheduleStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public static let job = "briefs.scheduled"
    public static let emailJob = "briefs.email"
    static let kind = "brief_schedule"

    /// A new schedule and its first run's job, in one transaction.
    public func create(
        _ draft: BriefScheduleDraft, operationID: OperationID, actorID: UserID?, now: Date
    ) async throws -> BriefScheduleRecord {
        let id = BriefScheduleID(UUID())
        let next = draft.nextRun(after: now)
        try await database.writing { db in
            let columns: [(String, SQLBind)] = [
                ("id", SQLBind(id)), ("operation_id", SQLBind(operationID)), ("kind", SQLBind(draft.kind.rawValue)),
                ("weekday", SQLBind(draft.weekday)), ("minute_of_day", SQLBind(draft.minuteOfDay)),
                ("time_zone", SQLBind(draft.time.identifier)), ("language", SQLBind(draft.language.rawValue)),
                ("audience", SQLBind(draft.audience.rawValue)), ("list_id", SQLBind(draft.listID)),
                ("active", SQLBind(draft.active)), ("next_run_at", SQLBind(next)), ("created_by", SQLBind(actorID)),
                ("created_at", SQLBind(now)), ("updated_at", SQLBind(now)),
            ]
            try await db.sql.insert(into: "brief_schedules").columns(columns.map(\.0)).values(columns.map(\.1)).run()
            try await Self.enqueueRun(id, at: next, operationID: operationID, on: db, now: now)
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create,
                after: [
                    "kind": draft.kind.rawValue, "weekday": String(draft.weekday), "time": draft.clockText,
                    "time_zone": draft.time.identifier, "audience": draft.audience.rawValue,
                ], at: now)
        }
        guard let record = try await find(id, in: operationID) else {
            throw DomainError(.notFound, key: "error.not_found", "No such schedule.")
        }
        return record
    }

    static func enqueueRun(
        _ id: BriefScheduleID, at run: Date, operationID: OperationID, on db: any Database, now: Date
    ) async throws {
        let stamp = String(Int(run.timeIntervalSince1970))
        _ = try await JobStore(db).enqueue(
            kind: job, payload: id.uuidString + "|" + stamp, key: "brief-schedule:\(id.uuidString):\(stamp)",
            operationID: operationID, runAt: run, maxAttempts: 3, now: now)
    }

    /// Stops a schedule: its queued run then finds it stopped and does nothing.
    public func stop(_ id: BriefScheduleID, in operationID: OperationID, actorID: UserID?, now: Date) async throws {
        try await database.writing { db in
            try await db.sql.update("brief_schedules").set("active", to: false).set("updated_at", to: now)
                .where("id", .equal, id).where("operation_id", .equal, operationID).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: ["active": "yes"], after: ["active": "no"], at: now)
        }
    }

    public func find(_ id: BriefScheduleID, in operationID: OperationID? = nil) async throws -> BriefScheduleRecord? {
        let query = database.sql.select().column("*").from("brief_schedules").where("id", .equal, id)
        if let operationID { query.where("operation_id", .equal, operationID) }
        return try await query.first().flatMap(Self.record)
    }

    public func list(in operationID: OperationID) async throws -> [BriefScheduleRecord] {
        try await database.sql.select().column("*").from("brief_schedules").where("operation_id", .equal, operationID)
            .orderBy("active", .descending).orderBy("created_at").all().compactMap(Self.record)
    }

    /// Records a run (the document made, or why none was sent) and queues the next, in one transaction.
    public func recordRun(
        _ id: BriefScheduleID, briefID: BriefID?, error: String?, next: Date, operationID: OperationID, now: Date
    ) async throws {
        try await database.writing { db in
            try await db.sql.update("brief_schedules").set("last_run_at", to: now).set("last_brief_id", to: briefID)
                .set("last_error", to: error).set("next_run_at", to: next).set("updated_at", to: now)
                .where("id", .equal, id).run()
            try await Self.enqueueRun(id, at: next, operationID: operationID, on: db, now: now)
        }
    }

    // MARK: Recipients

    /// The recipients of a document sent by e-mail, each with a queued job (those without an address
    /// are recorded as such), in one transaction.
    public func queueEmails(
        _ briefID: BriefID, recipients: [(name: String, stakeholderID: StakeholderID?, address: String?)],
        operationID: OperationID, now: Date
    ) async throws {
        try await database.writing { db in
            for recipient in recipients {
                let id = UUID()
                try await db.sql.insert(into: "brief_recipients").columns(
                    "id", "brief_id", "stakeholder_id", "name", "address", "status", "created_at"
                )
                .values(
                    SQLBind(id), SQLBind(briefID), SQLBind(recipient.stakeholderID), SQLBind(recipient.name),
                    SQLBind(recipient.address), SQLBind(recipient.address == nil ? "no_address" : "queued"),
                    SQLBind(now)
                ).run()
                if recipient.address != nil {
                    _ = try await JobStore(db).enqueue(
                        kind: Self.emailJob, payload: id.uuidString, key: "brief-email:\(id.uuidString)",
                        operationID: operationID, runAt: now, now: now)
                }
            }
        }
    }

    public func recipient(_ id: UUID) async throws -> BriefRecipientRecord? {
        try await database.sql.select().column("*").from("brief_recipients").where("id", .equal, id).first().map(
            Self.recipient)
    }

    public func recipients(of briefID: BriefID) async throws -> [BriefRecipientRecord] {
        try await database.sql.select().column("*").from("brief_recipients").where("brief_id", .equal, briefID)
            .orderBy("name").all().map(Self.recipient)
    }

    public func markRecipient(_ id: UUID, sent: Bool, error: String?, now: Date) async throws {
        try await database.sql.update("brief_recipients").set("status", to: sent ? "sent" : "failed")
            .set("error", to: error).set("sent_at", to: sent ? now : nil).where("id", .equal, id).run()
    }

    static func recipient(_ row: any SQLRow) throws -> BriefRecipientRecord {
        BriefRecipientRecord(
            id: try row.decode(column: "id", as: UUID.self),
            briefID: try row.decode(column: "brief_id", as: BriefID.self),
            name: try row.decode(column: "name", as: String.self),
            address: try row.decode(column: "address", as: String?.self),
            status: try row.decode(column: "status", as: String.self),
            error: try row.decode(column: "error", as: String?.self),
            sentAt: try row.decode(column: "sent_at", as: Date?.self))
    }

    static func record(_ row: any SQLRow) throws -> BriefScheduleRecord? {
        guard let kind = BriefKind(rawValue: try row.decode(column: "kind", as: String.self)),
            let time = OperationTime(identifier: try row.decode(column: "time_zone", as: String.self))
        else { return nil }
        return BriefScheduleRecord(
            id: try row.decode(column: "id", as: BriefScheduleID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            draft: BriefScheduleDraft(
                kind: kind, weekday: try row.decode(column: "weekday", as: Int.self),
                minuteOfDay: try row.decode(column: "minute_of_day", as: Int.self), time: time,
                language: ProductLanguage(rawValue: try row.decode(column: "language", as: String.self)) ?? .en,
                audience: AudienceLevel(rawValue: try row.decode(column: "audience", as: String.self)) ?? .ifrcOnly,
                listID: try row.decode(column: "list_id", as: UUID.self),
                active: try row.decode(column: "active", as: Bool.self)),
            nextRunAt: try row.decode(column: "next_run_at", as: Date.self),
            lastRunAt: try row.decode(column: "last_run_at", as: Date?.self),
            lastBriefID: try row.decode(column: "last_brief_id", as: BriefID?.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            createdBy: try row.decode(column: "created_by", as: UserID?.self))
    }
}
