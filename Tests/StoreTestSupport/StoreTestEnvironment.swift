@_exported import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Persistence
@_exported import SQLKit

// Store tests open a database and run the migrations with FluentKit alone: no Vapor `Application`,
// no `configure`, no routes. The web app's tests (TestSupport's `withTestApp`) share the kinds of
// database below and the PostgreSQL lock, so both kinds of test can run in one test process.

/// Which database the persistence and API tests run on: SQLite always; PostgreSQL when
/// `BEARING_TEST_POSTGRES_URL` is set (CI sets it). A missing URL is said out loud, once.
public enum TestDatabases {
    public static let postgresURL: String? = {
        let url = ProcessInfo.processInfo.environment["BEARING_TEST_POSTGRES_URL"]
        if url == nil || url?.isEmpty == true {
            FileHandle.standardError.write(
                Data(
                    ("note: BEARING_TEST_POSTGRES_URL is not set: the PostgreSQL runs of the persistence and API tests "
                        + "are skipped (CI sets it).\n").utf8))
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

/// Thrown when a PostgreSQL run is asked for and no PostgreSQL is configured.
public struct TestSkipped: Error {
    public init() {}
}

/// Serialises the PostgreSQL tests: they share one database, reset before each test. One lock for
/// the whole test process: the store tests and the web app's tests (`withTestApp`) both take it.
package actor PostgresLock {
    package static let shared = PostgresLock()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    package func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    package func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}

/// Runs `body` holding the PostgreSQL lock when `on` (a PostgreSQL run), and releases it afterwards
/// whether `body` returned or threw: a test that fails to start its database or app must not keep
/// the lock, or every later PostgreSQL test would wait for it forever. Without `on`, just `body`.
package func withPostgresLock<T>(_ on: Bool, _ body: () async throws -> T) async throws -> T {
    guard on else { return try await body() }
    await PostgresLock.shared.acquire()
    do {
        let result = try await body()
        await PostgresLock.shared.release()
        return result
    } catch {
        await PostgresLock.shared.release()
        throw error
    }
}

/// Empties the shared PostgreSQL test database: its `public` schema dropped and made again, before
/// the migrations run. Called with the lock held (`withPostgresLock`).
package func resetPostgresSchema(_ sql: any SQLDatabase) async throws {
    try await sql.raw("DROP SCHEMA public CASCADE").run()
    try await sql.raw("CREATE SCHEMA public").run()
}

/// A fresh, migrated database: a new SQLite file, or the shared PostgreSQL database with its
/// `public` schema dropped and made again. `body` gets the database; afterwards the connections
/// are closed and the SQLite file removed, whether `body` succeeded or not.
///
/// Set up as the app sets up its own (`configureDatabase`, `prepareAndMigrate` in App): SQLite in
/// WAL mode with foreign keys on (the driver's default), PostgreSQL over plain TCP unless the URL
/// says `sslmode=require`, and every migration of `BearingMigrations.all` run by FluentKit's
/// `Migrator`, recorded in `_fluent_migrations`.
public func withTestDatabase<T>(
    _ kind: TestDatabases.Kind = .sqlite, _ body: (any Database) async throws -> T
) async throws -> T {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("bearing-store-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    // NIO's process-wide event loops and blocking pool, as Vapor's `Application` uses by default.
    // They are never shut down; what is ours to close is the connection pools of `databases`.
    let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
    switch kind {
    case .sqlite:
        let path = folder.appendingPathComponent("test.sqlite").path
        databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
    case .postgres:
        guard let url = TestDatabases.postgresURL else { throw TestSkipped() }
        var configuration = try SQLPostgresConfiguration(url: url)
        // Local and CI servers speak plain TCP; a URL may ask for TLS with sslmode=require.
        if !url.contains("sslmode=require") { configuration.coreConfiguration.tls = .disable }
        databases.use(.postgres(configuration: configuration, sqlLogLevel: .debug), as: .psql)
    }
    return try await withPostgresLock(kind == .postgres) {
        do {
            let database = try await migratedDatabase(databases, kind: kind)
            let result = try await body(database)
            await databases.shutdownAsync()
            return result
        } catch {
            await databases.shutdownAsync()
            throw error
        }
    }
}

/// The default database of `databases`, emptied (PostgreSQL), in WAL mode (SQLite), and migrated.
private func migratedDatabase(_ databases: Databases, kind: TestDatabases.Kind) async throws -> any Database {
    // Quiet as the app is outside development (`configure`): errors still show, SQL and migrations do not.
    var logger = Logger(label: "bearing.store-tests")
    logger.logLevel = .notice
    let eventLoop = databases.eventLoopGroup.any()
    guard let database = databases.database(logger: logger, on: eventLoop) else {
        throw StoreTestSetupError("the test database could not be opened")
    }
    guard let sql = database as? any SQLDatabase else {
        throw StoreTestSetupError("the test database is not an SQL database")
    }
    switch kind {
    case .postgres:
        try await resetPostgresSchema(sql)
    case .sqlite:
        // As App's `prepareDatabase`: WAL is a property of the file, so once is enough.
        try await sql.raw("PRAGMA journal_mode=WAL").run()
    }
    let migrations = Migrations()
    migrations.add(BearingMigrations.all)
    let migrator = Migrator(
        databases: databases, migrations: migrations, logger: logger, on: eventLoop, migrationLogLevel: .debug)
    // What Fluent's `autoMigrate()` does, without an `Application`.
    try await migrator.setupIfNeeded().get()
    try await migrator.prepareBatch().get()
    return database
}

/// The test database could not be set up.
struct StoreTestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
