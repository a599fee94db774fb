import App
import Fluent
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@Suite("Sessions and schema")
struct SessionAndSchemaTests {
    @Test("an expired session is gone; a live one reads back", arguments: TestDatabases.kinds)
    func sessionExpiry(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let store = SessionStore(app.db)
            let now = Date()
            try await store.create(id: "live", userID: nil, data: ["k": "v"], expiresAt: now.addingTimeInterval(60), now: now)
            try await store.create(id: "old", userID: nil, data: [:], expiresAt: now.addingTimeInterval(-1), now: now)
            #expect(try await store.find(id: "live", now: now)?.data == ["k": "v"])
            #expect(try await store.find(id: "old", now: now) == nil)
        }
    }

    @Test("SQLite runs in WAL mode with foreign keys on")
    func sqlitePragmas() async throws {
        try await withTestApp(.sqlite) { app in
            let sql = app.db as! any SQLDatabase
            let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            #expect(mode == "wal")
            let keys = try await sql.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self)
            #expect(keys == 1)
        }
    }

    @Test("every migration is recorded under its explicit name", arguments: TestDatabases.kinds)
    func migrationsNamed(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let sql = app.db as! any SQLDatabase
            let names = try await sql.select().column("name").from("_fluent_migrations").all().map { try $0.decode(column: "name", as: String.self) }
            #expect(names.sorted() == BearingMigrations.names.sorted())
            #expect(BearingMigrations.names.allSatisfy { $0.range(of: #"^\d{4}_[a-z_]+$"#, options: .regularExpression) != nil })
        }
    }
}
