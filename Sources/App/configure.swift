import Domain
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Persistence
import SQLKit
import Vapor
import Views

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    private struct CatalogKey: StorageKey { typealias Value = Catalog }
    private struct ClockKey: StorageKey { typealias Value = any WallClock }

    /// The configuration this application was started with.
    public var bearingConfig: AppConfig {
        get { storage[ConfigKey.self]! }
        set { storage[ConfigKey.self] = newValue }
    }

    /// The time every rule is judged at: the system clock unless a test or command set another.
    public var wallClock: any WallClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }

    /// UI strings in every language.
    var catalog: Catalog {
        get { storage[CatalogKey.self]! }
        set { storage[CatalogKey.self] = newValue }
    }
}

/// Where templates, styles and translations live (bundled with the App module).
/// JSON as the API speaks it: snake_case keys, ISO 8601 dates, keys sorted so answers are stable.
/// Vapor 4 keeps one content configuration for the whole process, so it is set here, once, where
/// the application is configured, and not as a side effect of registering routes.
func useAPIJSON() {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys]
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    ContentConfiguration.global.use(decoder: decoder, for: .json)
}

enum BundledResources {
    static var bundleDirectory: String { Bundle.module.bundleURL.path + "/" }
    static var directory: String { bundleDirectory + "Resources/" }
}

/// Wires databases, migrations, views, sessions, middleware and routes.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.bearingConfig = config
    app.catalog = try Catalog.bundled()
    // Request logs at info cost throughput; errors are still logged.
    if app.environment != .development { app.logger.logLevel = .notice }
    if let level = config.logLevel { app.logger.logLevel = level }

    try configureDatabase(app, config: config)
    app.migrations.add(BearingMigrations.all)

    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    // Forms and API bodies are small; only the upload routes accept files (routes.swift), read
    // after the session and the CSRF token are checked.
    app.routes.defaultMaxBodySize = ByteCount(integerLiteral: AppConfig.maxFormBytes)

    // Styles, scripts and translations ship inside the module bundle, wherever the binary runs.
    app.directory = DirectoryConfiguration(workingDirectory: BundledResources.bundleDirectory)

    app.sessions.use { app in DatabaseSessionDriver(lifetime: app.bearingConfig.sessionLifetime) }
    app.prepareInstanceKeys()
    app.sessions.configuration = SessionsConfiguration(cookieName: "bearing-session") { id in
        HTTPCookies.Value(
            string: id.string, expires: nil, maxAge: nil, domain: nil, path: "/",
            isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    app.middleware = Middlewares()
    app.metrics = Metrics()
    app.middleware.use(MetricsMiddleware())
    app.middleware.use(app.inFlightRequests)
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ErrorPageMiddleware(environment: app.environment))
    app.middleware.use(StreamedResponsesMiddleware())
    app.middleware.use(AssetMiddleware())
    // gzip for text (NIO's compressor; brotli has no implementation among the mirror's packages).
    app.http.server.configuration.responseCompression = .enabledForCompressibleTypes

    app.mapCaches = MapCaches()
    useAPIJSON()
    try routes(app)
}

/// Points Fluent at SQLite (the default) or PostgreSQL.
func configureDatabase(_ app: Application, config: AppConfig) throws {
    switch config.database {
    case .sqlite(let path):
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
    case .postgres(let url):
        var configuration = try SQLPostgresConfiguration(url: url)
        // Local and CI servers speak plain TCP; a URL may ask for TLS with sslmode=require.
        if !url.contains("sslmode=require") { configuration.coreConfiguration.tls = .disable }
        // Four connections per event loop, not Fluent's one: after PostgreSQL restarted under load, a
        // loop's pool of one kept making its requests wait out the 10 s pool timeout (drill-pg-restart.py;
        // BENCHMARKS.md, "PostgreSQL restarted under load").
        app.databases.use(
            .postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, sqlLogLevel: .debug), as: .psql)
    }
}

/// Turns on write-ahead logging on SQLite: readers no longer block the writer. WAL is a property
/// of the database file, so once is enough; foreign keys are switched on by the driver per connection.
func prepareDatabase(_ app: Application) async throws {
    guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
    try await sql.raw("PRAGMA journal_mode=WAL").run()
    // SQLite has one writer. Each event loop holds its own connection, and the job worker writes
    // beside the requests, so a writer that finds the file locked waits for it (up to 5 s) instead
    // of failing at once with "database is locked". busy_timeout belongs to a connection: set it on
    // the one each loop keeps (the pool holds them for the process's life).
    for loop in app.eventLoopGroup.makeIterator() {
        if let connection = app.databases.database(logger: app.logger, on: loop) as? any SQLDatabase {
            try await connection.raw("PRAGMA busy_timeout = 5000").run()
        }
    }
}

/// Whether every migration has run, and which have not.
func pendingMigrations(_ app: Application) async throws -> [String] {
    guard let sql = app.db as? any SQLDatabase else { return [] }
    let applied: Set<String>
    do {
        applied = Set(
            try await sql.select().column("name").from("_fluent_migrations").all()
                .map { try $0.decode(column: "name", as: String.self) })
    } catch {
        applied = []  // no migrations table yet: everything is pending
    }
    return BearingMigrations.names.filter { !applied.contains($0) }
}
