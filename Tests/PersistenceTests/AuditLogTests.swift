import Domain
import FluentKit
import Foundation
import Persistence
import SQLKit
import StoreTestSupport
import Testing

@Suite("Audit log")
struct AuditLogTests {
    @Test("every change is logged with before and after, and the chain verifies", arguments: TestDatabases.kinds)
    func logged(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let actor = fixture.users[.securityCoordinator]!
            let scope = AccessPolicy.scope(
                in: fixture.operation.id, for: try await fixture.viewer(db, actor))!
            let store = SiteStore(db)
            let draft = try SiteDraft(
                name: "Kassala office", type: .office, latitude: 15.45, longitude: 36.4, audience: .ifrcOnly
            ).validated()
            let site = try await store.create(
                draft, areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: actor.id, now: Date())
            var changed = draft
            changed.name = "Kassala sub-office"
            _ = try await store.update(
                site.id, with: changed, areaPcode: nil, grants: .init(), scope: scope, actorID: actor.id, now: Date())
            try await store.delete(site.id, scope: scope, actorID: actor.id, now: Date())

            let entries = try await AuditStore(db).entries(recordKind: "site", recordID: site.id.uuidString)
            #expect(entries.map(\.action) == [.delete, .update, .create])
            #expect(entries.allSatisfy { $0.actorID == actor.id.uuidString })
            let update = try JSONDecoder().decode([String: [String?]].self, from: Data(entries[1].changes.utf8))
            #expect(update == ["name": ["Kassala office", "Kassala sub-office"]])
            let (checked, broken) = try await AuditStore(db).verify()
            #expect(broken == nil)
            #expect(checked > 10)
        }
    }

    @Test("the database refuses to change or delete audit entries", arguments: TestDatabases.kinds)
    func appendOnly(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            _ = try await StoreFixture.make(db)
            let sql = db as! any SQLDatabase
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE audit_log SET actor_id = 'intruder' WHERE sequence = 1").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("DELETE FROM audit_log WHERE sequence = 2").run()
            }
        }
    }

    @Test(
        "tampering by someone with database access is found at the first broken entry",
        arguments: TestDatabases.kinds)
    func tampering(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            _ = try await StoreFixture.make(db)
            let sql = db as! any SQLDatabase
            // An attacker with database rights can drop the guard; the hash chain still tells.
            if sql.dialect.name == "postgresql" {
                try await sql.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change").run()
            } else {
                try await sql.raw("DROP TRIGGER audit_log_no_update").run()
                try await sql.raw("DROP TRIGGER audit_log_no_delete").run()
            }
            try await sql.raw("UPDATE audit_log SET changes = '{}' WHERE sequence = 4").run()
            let altered = try await AuditStore(db).verify()
            #expect(altered.firstBreak?.sequence == 4)
            #expect(altered.checked == 3)
        }
    }

    @Test(
        """
        a checkpoint kept outside the database finds the newest entries deleted, or the tail rewritten \
        with its hashes recomputed
        """, arguments: TestDatabases.kinds)
    func checkpoints(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            _ = try await StoreFixture.make(db)
            let sql = db as! any SQLDatabase
            let store = AuditStore(db)
            let kept = try #require(try await store.checkpoint(now: Date()))
            #expect(
                try AuditCheckpoint.parse("# kept on paper\n" + kept.line + "\n")
                    == [
                        AuditCheckpoint(
                            sequence: kept.sequence, hash: kept.hash,
                            at: AuditCheckpoint.parse(kept.line)[0].at)
                    ])
            #expect(throws: DomainError.self) {
                try AuditCheckpoint.parse("bearing-audit-checkpoint 12 nothex 2026-01-01T00:00:00Z")
            }
            #expect(try await store.disagreements(with: [kept]).isEmpty)
            if sql.dialect.name == "postgresql" {
                try await sql.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change").run()
            } else {
                try await sql.raw("DROP TRIGGER audit_log_no_update").run()
                try await sql.raw("DROP TRIGGER audit_log_no_delete").run()
            }
            // The tail rewritten from entry 4 on, every hash after it recomputed: the chain alone verifies.
            let tail = try await sql.raw("SELECT * FROM audit_log WHERE sequence >= 4 ORDER BY sequence").all()
            let entries = try tail.map { row in
                (
                    try row.decode(column: "sequence", as: Int64.self),
                    try row.decode(column: "occurred_at", as: Date.self),
                    try row.decode(column: "actor_id", as: String?.self),
                    try row.decode(column: "operation_id", as: String?.self),
                    try row.decode(column: "record_kind", as: String.self),
                    try row.decode(column: "record_id", as: String.self),
                    AuditEntry.Action(rawValue: try row.decode(column: "action", as: String.self))!,
                    try row.decode(column: "changes", as: String.self)
                )
            }
            var previous = try #require(
                try await sql.raw("SELECT hash FROM audit_log WHERE sequence = 3").first()?
                    .decode(column: "hash", as: String.self))
            for (n, entry) in entries.enumerated() {
                let changes = n == 0 ? "{}" : entry.7
                let hash = AuditChain.hash(
                    previousHash: previous, sequence: entry.0, occurredAt: entry.1, actorID: entry.2,
                    operationID: entry.3, recordKind: entry.4, recordID: entry.5, action: entry.6, changes: changes)
                try await sql.raw(
                    """
                    UPDATE audit_log SET changes = \(bind: changes), previous_hash = \(bind: previous), \
                    hash = \(bind: hash) WHERE sequence = \(bind: entry.0)
                    """
                ).run()
                previous = hash
            }
            #expect(try await store.verify().firstBreak == nil, "a rewritten tail verifies on its own")
            #expect(try await store.disagreements(with: [kept]).first?.contains("rewritten") == true)
            // The newest entries deleted.
            try await sql.raw("DELETE FROM audit_log WHERE sequence > \(bind: kept.sequence - 2)").run()
            #expect(try await store.verify().firstBreak == nil, "a truncated chain verifies on its own")
            #expect(try await store.disagreements(with: [kept]).first?.contains("removed") == true)
        }
    }
}
