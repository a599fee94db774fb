import App
import Domain
import Fluent
import Foundation
import TestFiles
import Persistence
import SQLKit
import Vapor
import VaporTesting

/// Where the real test data lives: `../shared/data` beside the repository.
public enum SharedData {
    public static let root: URL = SharedDataFolder.url ?? URL(fileURLWithPath: "/nonexistent/shared/data")

    public static var isAvailable: Bool { SharedDataFolder.url != nil }

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public static func data(_ relative: String) throws -> Data { try Data(contentsOf: url(relative)) }
}

/// Which database the persistence and API tests run on: SQLite always; PostgreSQL when
/// `BEARING_TEST_POSTGRES_URL` is set (CI sets it). A missing URL is said out loud, once.
public enum TestDatabases {
    public static let postgresURL: String? = {
        let url = ProcessInfo.processInfo.environment["BEARING_TEST_POSTGRES_URL"]
        if url == nil || url?.isEmpty == true {
            FileHandle.standardError.write(Data("note: BEARING_TEST_POSTGRES_URL is not set: the PostgreSQL runs of the persistence and API tests are skipped (CI sets it).\n".utf8))
            return nil
        }
        return url
    }()

    public enum Kind: String, Sendable, CustomStringConvertible, CaseIterable {
        case sqlite, postgres
        public var description: String { rawValue }
    }

    /// The kinds to run: always SQLite, PostgreSQL when configured.
    public static var kinds: [Kind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

/// Serialises the PostgreSQL tests: they share one database, reset before each test.
actor PostgresLock {
    static let shared = PostgresLock()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}

/// A configured, migrated application on a fresh database, shut down afterwards.
public func withTestApp<T>(
    _ kind: TestDatabases.Kind = .sqlite, adjust: (inout AppConfig) -> Void = { _ in },
    _ body: (Application) async throws -> T
) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var config = AppConfig(database: .sqlite(path: folder.appendingPathComponent("test.sqlite").path), dataDirectory: folder.path, bcryptCost: 4)
    if kind == .postgres {
        guard let url = TestDatabases.postgresURL else { throw TestSkipped() }
        config.database = .postgres(url: url)
        await PostgresLock.shared.acquire()
    }
    adjust(&config)
    let app = try await Application.make(.testing)
    do {
        try await configure(app, config: config)
        if kind == .postgres, let sql = app.db as? any SQLDatabase {
            try await sql.raw("DROP SCHEMA public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        }
        try await prepareAndMigrate(app)
        let result = try await body(app)
        try await app.asyncShutdown()
        if kind == .postgres { await PostgresLock.shared.release() }
        return result
    } catch {
        try? await app.asyncShutdown()
        if kind == .postgres { await PostgresLock.shared.release() }
        throw error
    }
}

public struct TestSkipped: Error {}

/// Fixtures: accounts with roles in one operation.
public struct Fixture: Sendable {
    public let operation: OperationRow
    public let users: [Role: UserRow]
    public let admin: UserRow
    public let outsider: UserRow
    public static let password = "correct horse battery"

    /// One operation, one member per role, a system administrator and a non-member.
    public static func make(_ app: Application, code: String = "SDN-TEST") async throws -> Fixture {
        let hash = try await app.password.async.hash(password)
        let store = UserStore(app.db)
        let admin = try await store.create(email: "admin@test.org", displayName: "Admin", passwordHash: hash, isAdmin: true, actorID: nil)
        let outsider = try await store.create(email: "outsider@test.org", displayName: "Outsider", passwordHash: hash, isAdmin: false, actorID: nil)
        let operation = try await OperationStore(app.db).create(
            try OperationDraft(code: code, name: "Sudan test", countries: ["SDN"]).validated(), actorID: admin.id)
        var users: [Role: UserRow] = [:]
        for role in Role.allCases {
            let user = try await store.create(
                email: "\(role.rawValue)@test.org", displayName: role.rawValue, passwordHash: hash, isAdmin: false, actorID: admin.id)
            try await OperationStore(app.db).setMember(operationID: operation.id, userID: user.id, role: role, actorID: admin.id)
            users[role] = user
        }
        return Fixture(operation: operation, users: users, admin: admin, outsider: outsider)
    }

    public func viewer(_ app: Application, _ user: UserRow) async throws -> Viewer {
        try await UserStore(app.db).viewer(for: user)
    }
}
