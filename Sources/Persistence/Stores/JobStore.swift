import Domain
import FluentKit
import Foundation
import SQLKit

/// A durable job as stored.
public struct JobRecord: Sendable, Hashable {
    public let id: JobID
    public let kind: String
    public let payload: String
    public let idempotencyKey: String
    public let operationID: OperationID?
    public var state: JobState
    public var runAt: Date
    public var attempts: Int
    public let maxAttempts: Int
    public var leaseUntil: Date?
    public var worker: String?
    public var lastError: String?
    public let createdAt: Date
    public var finishedAt: Date?
}

/// The durable jobs table (issue 17): alert deliveries, reminders and the channel monitor. Any
/// number of workers share it. A worker claims due jobs with a lease; on PostgreSQL the claim skips
/// rows another worker holds (`FOR UPDATE SKIP LOCKED`), on SQLite the database's single writer
/// serialises claims. A job whose lease ran out (its worker died) is claimed again. Only the worker
/// holding a job may finish it, so a worker that lost its lease cannot overwrite the new owner's result.
public struct JobStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// Adds a job unless one with the same key exists; true when added. Call inside the transaction
    /// that makes the thing to do, so both commit or neither.
    @discardableResult
    public func enqueue(
        kind: String, payload: String, key: String, operationID: OperationID?, runAt: Date, maxAttempts: Int = 8,
        now: Date
    ) async throws -> Bool {
        let before = try await database.sql.select().column("id").from("jobs").where("idempotency_key", .equal, key)
            .first()
        guard before == nil else { return false }
        try await database.sql.insert(into: "jobs").columns(
            "id", "kind", "payload", "idempotency_key", "operation_id", "state", "run_at", "attempts", "max_attempts",
            "created_at"
        ).values(
            SQLBind(JobID(UUID())), SQLBind(kind), SQLBind(payload), SQLBind(key), SQLBind(operationID),
            SQLBind(JobState.pending.rawValue), SQLBind(runAt), SQLBind(0), SQLBind(maxAttempts), SQLBind(now)
        ).ignoringConflicts(with: ["idempotency_key"]).run()
        return true
    }

    /// Claims up to `limit` due jobs for `worker` until `now + lease`, oldest due first: pending ones
    /// whose time has come, and running ones whose lease ran out.
    public func claim(worker: String, limit: Int, lease: TimeInterval, now: Date) async throws -> [JobRecord] {
        let sql = database.sql
        let lock = sql.isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await sql.raw(
            """
            UPDATE jobs SET state = 'running', worker = \(bind: worker), lease_until = \(bind: now.addingTimeInterval(lease)),
            attempts = attempts + 1
            WHERE id IN (SELECT id FROM jobs WHERE (state = 'pending' AND run_at <= \(bind: now))
            OR (state = 'running' AND lease_until < \(bind: now)) ORDER BY run_at LIMIT \(literal: max(1, limit))\(unsafeRaw: lock))
            RETURNING *
            """
        ).all()
        return try rows.map(Self.record).sorted { ($0.runAt, $0.createdAt) < ($1.runAt, $1.createdAt) }
    }

    /// Extends the lease of the jobs `worker` still holds; false if it lost one of them.
    public func renew(_ ids: [JobID], worker: String, until: Date) async throws -> Bool {
        guard !ids.isEmpty else { return true }
        let rows = try await database.sql.update("jobs").set("lease_until", to: until)
            .where("id", .in, ids).where("worker", .equal, worker).where("state", .equal, JobState.running.rawValue)
            .returning("id").all()
        return rows.count == ids.count
    }

    /// Marks a job done, if `worker` still holds it.
    public func complete(_ id: JobID, worker: String, now: Date) async throws {
        try await database.sql.update("jobs").set("state", to: JobState.done.rawValue).set("finished_at", to: now)
            .set("lease_until", to: SQLLiteral.null).set("last_error", to: SQLLiteral.null)
            .where("id", .equal, id).where("worker", .equal, worker).where("state", .equal, JobState.running.rawValue)
            .run()
    }

    /// Records a failed attempt: another try after the backoff while attempts remain, else failed
    /// for good. `permanent` failures (an address that can never work) are not retried.
    public func fail(
        _ job: JobRecord, worker: String, error: String, permanent: Bool = false, backoff: JobBackoff, now: Date
    ) async throws {
        let final = permanent || job.attempts >= job.maxAttempts
        var update = database.sql.update("jobs").set("last_error", to: String(error.prefix(500)))
            .set("lease_until", to: SQLLiteral.null)
        if final {
            update = update.set("state", to: JobState.failed.rawValue).set("finished_at", to: now)
        } else {
            update = update.set("state", to: JobState.pending.rawValue)
                .set("run_at", to: now.addingTimeInterval(backoff.delay(afterAttempt: job.attempts)))
        }
        try await update.where("id", .equal, job.id).where("worker", .equal, worker)
            .where("state", .equal, JobState.running.rawValue).run()
    }

    /// Jobs in `states`, soonest first (most recently finished first for done and failed).
    public func list(states: Set<JobState>, operationID: OperationID? = nil, limit: Int = 200) async throws
        -> [JobRecord]
    {
        var query = database.sql.select().column("*").from("jobs").where("state", .in, states.map(\.rawValue))
        if let operationID { query = query.where("operation_id", .equal, operationID) }
        return try await query.orderBy("run_at").limit(limit).all().map(Self.record)
    }

    /// How many jobs are in each state, per kind.
    public func counts() async throws -> [String: [JobState: Int]] {
        let rows = try await database.sql.select().column("kind").column("state")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("jobs").groupBy("kind").groupBy("state")
            .all()
        var counts: [String: [JobState: Int]] = [:]
        for row in rows {
            guard let state = JobState(rawValue: try row.decode(column: "state", as: String.self)) else { continue }
            counts[try row.decode(column: "kind", as: String.self), default: [:]][state] = try row.decode(
                column: "n", as: Int.self)
        }
        return counts
    }

    /// What the health check says of the jobs: how many are due now, since when the oldest has
    /// waited, and how many ran out of attempts since `failedSince`.
    public func backlog(now: Date, failedSince: Date) async throws -> (due: Int, oldestDue: Date?, failed: Int) {
        let due = try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("MIN", args: SQLColumn("run_at")), as: "oldest").from("jobs")
            .where("state", .equal, JobState.pending.rawValue).where("run_at", .lessThanOrEqual, now).first()
        let failed = try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("jobs").where("state", .equal, JobState.failed.rawValue)
            .where("finished_at", .greaterThanOrEqual, failedSince).first()
        return (
            try due?.decode(column: "n", as: Int.self) ?? 0, try due?.decode(column: "oldest", as: Date?.self),
            try failed?.decode(column: "n", as: Int.self) ?? 0
        )
    }

    public func find(key: String) async throws -> JobRecord? {
        try await database.sql.select().column("*").from("jobs").where("idempotency_key", .equal, key).first()
            .map(Self.record)
    }

    static func record(_ row: any SQLRow) throws -> JobRecord {
        JobRecord(
            id: try row.decode(column: "id", as: JobID.self), kind: try row.decode(column: "kind", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            idempotencyKey: try row.decode(column: "idempotency_key", as: String.self),
            operationID: try row.decode(column: "operation_id", as: OperationID?.self),
            state: JobState(rawValue: try row.decode(column: "state", as: String.self)) ?? .failed,
            runAt: try row.decode(column: "run_at", as: Date.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
            leaseUntil: try row.decode(column: "lease_until", as: Date?.self),
            worker: try row.decode(column: "worker", as: String?.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            finishedAt: try row.decode(column: "finished_at", as: Date?.self))
    }
}
