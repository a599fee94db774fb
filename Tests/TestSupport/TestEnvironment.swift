import App
import Domain
import Fluent
import Foundation
import Persistence
import SQLKit
// TestDatabases, TestSkipped, StoreFixture and the PostgreSQL lock live in StoreTestSupport (the store
// tests use them without Vapor); re-exported so the app's tests keep reaching them through TestSupport.
@_exported import StoreTestSupport
import TestFiles
import Vapor
import VaporTesting

/// Where the real test data lives: `../shared/data` beside the repository.
public enum SharedData {
    public static let root: URL = SharedDataFolder.url ?? URL(fileURLWithPath: "/nonexistent/shared/data")

    public static var isAvailable: Bool { SharedDataFolder.url != nil }

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public static func data(_ relative: String) throws -> Data { try Data(contentsOf: url(relative)) }
}

/// A configured, migrated application on a fresh database, shut down afterwards.
public func withTestApp<T>(
    _ kind: TestDatabases.Kind = .sqlite, adjust: (inout AppConfig) -> Void = { _ in },
    _ body: (Application) async throws -> T
) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var config = AppConfig(
        database: .sqlite(path: folder.appendingPathComponent("test.sqlite").path), dataDirectory: folder.path,
        bcryptCost: 4)
    if kind == .postgres {
        guard let url = TestDatabases.postgresURL else { throw TestSkipped() }
        config.database = .postgres(url: url)
    }
    adjust(&config)
    let settings = config
    // The same lock as the store tests' `withTestDatabase`: one PostgreSQL database, one test at a time.
    // Taken before the app is made and released however this ends, even when the app fails to start.
    return try await withPostgresLock(kind == .postgres) {
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config: settings)
            if kind == .postgres, let sql = app.db as? any SQLDatabase { try await resetPostgresSchema(sql) }
            try await prepareAndMigrate(app)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

/// Fixtures: accounts with roles in one operation.
public struct Fixture: Sendable {
    public let operation: OperationRecord
    public let users: [Role: UserRecord]
    public let admin: UserRecord
    public let outsider: UserRecord
    public static let password = "correct horse battery"

    /// One operation, one member per role, a system administrator and a non-member: `StoreFixture`'s
    /// accounts, each with a real hash of `password` so the browser tests can sign in.
    public static func make(_ app: Application, code: String = "SDN-TEST") async throws -> Fixture {
        let hash = try await app.password.async.hash(password)
        let made = try await StoreFixture.make(app.db, code: code, passwordHash: hash)
        return Fixture(operation: made.operation, users: made.users, admin: made.admin, outsider: made.outsider)
    }

    public func viewer(_ app: Application, _ user: UserRecord) async throws -> Viewer {
        try await UserStore(app.db).viewer(for: user)
    }
}
