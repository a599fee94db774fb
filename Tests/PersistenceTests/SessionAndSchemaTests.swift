import Domain
import FluentKit
import Foundation
import Persistence
import SQLKit
import StoreTestSupport
import Testing

// "SQLite runs in WAL mode with foreign keys on" tests how the app opens its database (App's
// `configureDatabase` and `prepareDatabase`), so it is in AppTests (DatabaseSetupTests).
@Suite("Sessions and schema")
struct SessionAndSchemaTests {
    @Test("an expired session is gone; a live one reads back", arguments: TestDatabases.kinds)
    func sessionExpiry(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let store = SessionStore(db)
            let now = Date()
            try await store.create(
                id: "live", userID: nil, data: ["k": "v"], expiresAt: now.addingTimeInterval(60), now: now)
            try await store.create(id: "old", userID: nil, data: [:], expiresAt: now.addingTimeInterval(-1), now: now)
            #expect(try await store.findSignedIn(id: "live", now: now)?.session.data == ["k": "v"])
            #expect(try await store.findSignedIn(id: "live", now: now)?.user == nil)
            #expect(try await store.findSignedIn(id: "old", now: now) == nil)
            #expect(try await store.findSignedIn(id: "unknown", now: now) == nil)
            try await store.create(
                id: "stale", userID: nil, data: [:], expiresAt: now.addingTimeInterval(-5), now: now)
            try await store.purgeExpired(now: now)
            let left = try await (db as! any SQLDatabase).select().column("id").from("web_sessions").all()
                .map { try $0.decode(column: "id", as: String.self) }
            #expect(left == ["live"])
        }
    }

    @Test("a session reads back with its account and every membership in one query", arguments: TestDatabases.kinds)
    func sessionWithAccount(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let store = SessionStore(db)
            let user = fixture.users[.securityCoordinator]!
            let second = try await OperationStore(db).create(
                try OperationDraft(code: "SDN-TWO", name: "Second", countries: ["SDN"]).validated(),
                actorID: fixture.admin.id, now: Date())
            try await OperationStore(db).setMember(
                operationID: second.id, userID: user.id, role: .staff, actorID: fixture.admin.id, now: Date())
            try await store.create(
                id: "s1", userID: user.id, data: ["user_id": user.id.uuidString],
                expiresAt: Date().addingTimeInterval(60), now: Date())
            let loaded = try #require(try await store.findSignedIn(id: "s1", now: Date()))
            #expect(loaded.user == (try await UserStore(db).find(id: user.id)))
            let viewer = UserStore.viewer(for: try #require(loaded.user), memberships: loaded.memberships)
            #expect(viewer == (try await UserStore(db).viewer(for: user)))
            #expect(viewer.role(in: fixture.operation.id) == .securityCoordinator)
            #expect(viewer.role(in: second.id) == .staff)
        }
    }

    @Test("every migration is recorded under its explicit name", arguments: TestDatabases.kinds)
    func migrationsNamed(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let sql = db as! any SQLDatabase
            let names = try await sql.select().column("name").from("_fluent_migrations").all()
                .map { try $0.decode(column: "name", as: String.self) }
            #expect(names.sorted() == BearingMigrations.names.sorted())
            #expect(
                BearingMigrations.names.allSatisfy {
                    $0.range(of: #"^\d{4}_[a-z_]+$"#, options: .regularExpression) != nil
                })
        }
    }
}

@Suite("Sign-in attempts")
struct SignInAttemptTests {
    @Test("failures count until a success, and old attempts are purged", arguments: TestDatabases.kinds)
    func attempts(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let store = SignInAttemptStore(db)
            let now = Date()
            try await store.record(
                email: "A@x.org", clientAddress: "10.0.0.1", succeeded: false, now: now.addingTimeInterval(-40 * 86400))
            try await store.record(
                email: "a@x.org", clientAddress: "10.0.0.1", succeeded: false, now: now.addingTimeInterval(-30))
            try await store.record(
                email: "a@x.org", clientAddress: "10.0.0.1", succeeded: false, now: now.addingTimeInterval(-20))
            #expect(try await store.recentFailures(email: "a@x.org", since: now.addingTimeInterval(-900)).count == 2)
            try await store.record(
                email: "a@x.org", clientAddress: "10.0.0.1", succeeded: true, now: now.addingTimeInterval(-10))
            #expect(try await store.recentFailures(email: "a@x.org", since: now.addingTimeInterval(-900)).count == 0)
            #expect(
                try await store.recentFailures(
                    email: "a@x.org", since: now.addingTimeInterval(-50 * 86400)
                ).count == 0)
            try await store.purge(before: now.addingTimeInterval(-30 * 86400))
            let rows = try await (db as! any SQLDatabase).select().column("id").from("sign_in_attempts").all()
            #expect(rows.count == 3)
        }
    }
}
