import App
import Fluent
import Foundation
import SQLKit
import TestSupport
import Testing
import Vapor

// Moved from PersistenceTests (SessionAndSchemaTests): WAL and foreign keys are how the app opens its
// SQLite database (`configureDatabase`, `prepareDatabase`), so this runs through `withTestApp`.
@Suite("The app's database set-up")
struct DatabaseSetupTests {
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
}
