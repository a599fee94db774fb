import Domain
import FluentKit
import Foundation
import SQLKit

/// Writes and reads the append-only, hash-chained audit log.
public struct AuditStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// Appends one entry; call inside the transaction that makes the change, after the change,
    /// so the entry commits or rolls back with it.
    public func append(
        actorID: UserID?, operationID: OperationID?, recordKind: String, recordID: String, action: AuditEntry.Action,
        before: [String: String?] = [:], after: [String: String?] = [:], at now: Date
    ) async throws {
        let sql = database.sql
        // Serialise writers so that two app servers never fork the chain.
        if sql.isPostgres {
            try await sql.raw("SELECT pg_advisory_xact_lock(7243017)").run()
        }
        let last = try await Self.newest(sql)
        let previousSequence = last?.sequence ?? 0
        let previousHash = last?.hash ?? AuditChain.genesis
        let occurredAt = AuditChain.normalise(now)
        let changes = AuditChain.changes(before: before, after: after)
        let sequence = previousSequence + 1
        let hash = AuditChain.hash(
            previousHash: previousHash, sequence: sequence, occurredAt: occurredAt, actorID: actorID?.uuidString,
            operationID: operationID?.uuidString, recordKind: recordKind, recordID: recordID, action: action,
            changes: changes)
        try await sql.insert(into: "audit_log")
            .columns(
                "sequence", "occurred_at", "actor_id", "operation_id", "record_kind", "record_id", "action",
                "changes", "previous_hash", "hash"
            )
            .values(
                SQLBind(sequence), SQLBind(occurredAt), SQLBind(actorID?.uuidString), SQLBind(operationID?.uuidString),
                SQLBind(recordKind), SQLBind(recordID), SQLBind(action.rawValue), SQLBind(changes),
                SQLBind(previousHash), SQLBind(hash)
            )
            .run()
    }

    /// Entries about one record, newest first.
    public func entries(recordKind: String, recordID: String) async throws -> [AuditEntry] {
        try await database.sql.select().column("*").from("audit_log")
            .where("record_kind", .equal, recordKind).where("record_id", .equal, recordID)
            .orderBy("sequence", .descending).all().map(Self.entry)
    }

    /// Entries about one operation, newest first, one page at a time.
    public func entries(operationID: OperationID, page: Paging) async throws -> ResultPage<AuditEntry> {
        try await database.sql.page(
            page, from: "audit_log", filter: { $0.where("operation_id", .equal, operationID.uuidString) },
            order: { $0.orderBy("sequence", .descending) }, decode: Self.entry)
    }

    /// The newest entry's place in the chain: what a checkpoint writes down.
    public func checkpoint(now: Date) async throws -> AuditCheckpoint? {
        try await Self.newest(database.sql).map { AuditCheckpoint(sequence: $0.sequence, hash: $0.hash, at: now) }
    }

    /// The newest entry's sequence number and hash; nil while the log is empty.
    static func newest(_ sql: any SQLDatabase) async throws -> (sequence: Int64, hash: String)? {
        guard
            let row = try await sql.select().columns("sequence", "hash").from("audit_log")
                .orderBy("sequence", .descending).limit(1).first()
        else { return nil }
        return (try row.decode(column: "sequence", as: Int64.self), try row.decode(column: "hash", as: String.self))
    }

    /// What the log no longer agrees with, checkpoint by checkpoint: entries removed after one
    /// (the log ends before it) or rewritten up to one (its entry's hash differs).
    public func disagreements(with checkpoints: [AuditCheckpoint]) async throws -> [String] {
        let last = try await Self.newest(database.sql)?.sequence ?? 0
        var problems: [String] = []
        let stamp = ISO8601DateFormatter()
        for checkpoint in checkpoints {
            let when = stamp.string(from: checkpoint.at)
            guard checkpoint.sequence <= last else {
                problems.append(
                    "entries were removed: the log ends at \(last), but the checkpoint of \(when) saw entry \(checkpoint.sequence)"
                )
                continue
            }
            let hash = try await database.sql.select().column("hash").from("audit_log").where(
                "sequence", .equal, checkpoint.sequence
            )
            .first()?.decode(column: "hash", as: String.self)
            if hash != checkpoint.hash {
                problems.append(
                    "entries up to \(checkpoint.sequence) were rewritten: its hash is not the one the checkpoint of \(when) wrote down"
                )
            }
        }
        return problems
    }

    /// Walks the whole chain in batches and returns the first broken link, if any, and the count.
    public func verify(batchSize: Int = 5000) async throws -> (checked: Int, firstBreak: AuditChain.Break?) {
        var checked = 0
        var after: Int64 = 0
        var previousHash = AuditChain.genesis
        var expected: Int64 = 1
        while true {
            let rows = try await database.sql.select().column("*").from("audit_log")
                .where("sequence", .greaterThan, after).orderBy("sequence", .ascending).limit(batchSize).all()
            if rows.isEmpty { return (checked, nil) }
            let batch = try rows.map(Self.entry)
            // Continue the chain across batches by checking the link to the previous batch here.
            if let first = batch.first {
                if first.sequence != expected {
                    return (
                        checked,
                        .init(
                            sequence: first.sequence,
                            reason: "sequence jumps from \(expected - 1) to \(first.sequence) (an entry was removed)")
                    )
                }
                if first.previousHash != previousHash {
                    return (
                        checked,
                        .init(sequence: first.sequence, reason: "previous-hash does not match the entry before it")
                    )
                }
            }
            if let broken = AuditChain.verify(rebased: batch) {
                return (checked + batch.prefix { $0.sequence < broken.sequence }.count, broken)
            }
            checked += batch.count
            guard let last = batch.last else { return (checked, nil) }
            after = last.sequence
            previousHash = last.hash
            expected = after + 1
        }
    }

    static func entry(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            sequence: try row.decode(column: "sequence", as: Int64.self),
            occurredAt: try row.decode(column: "occurred_at", as: Date.self),
            actorID: try row.decode(column: "actor_id", as: String?.self),
            operationID: try row.decode(column: "operation_id", as: String?.self),
            recordKind: try row.decode(column: "record_kind", as: String.self),
            recordID: try row.decode(column: "record_id", as: String.self),
            action: AuditEntry.Action(rawValue: try row.decode(column: "action", as: String.self)) ?? .update,
            changes: try row.decode(column: "changes", as: String.self),
            previousHash: try row.decode(column: "previous_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }
}
