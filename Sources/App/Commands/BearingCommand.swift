import ArgumentParser
import Domain
import Fluent
import Foundation
import Interop
import NIOCore
import NIOPosix
import Persistence
import Vapor

/// `bearing`: one executable, one subcommand per task.
public struct BearingCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bearing",
        abstract: "Bearing: the security and migration coordinators' desk for an emergency operation.",
        discussion: """
            Data location: BEARING_DATA_DIR (default ./bearing-data, SQLite) or DATABASE_URL (postgres://…).
            Example: bearing serve --demo
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UsersCommand.self, OperationsCommand.self, DemoCommand.self,
            ImportCommand.self, StatsCommand.self, AnalyseCommand.self, ExportCommand.self, BackupCommand.self,
            RestoreCommand.self, AuditCommand.self, HeadcountCommand.self, AlertsCommand.self, JobsCommand.self,
            MaintenanceCommand.self, BriefsCommand.self,
        ])
    public init() {}
}

/// Starts an application with the configured database (or `config`), without serving HTTP.
func withApplication<T>(
    config: AppConfig? = nil, arguments: [String] = ["bearing"], migrating: Bool = false,
    _ body: (Application) async throws -> T
) async throws -> T {
    let config = try config ?? AppConfig.fromEnvironment()
    let name = ProcessInfo.processInfo.environment["BEARING_ENV"] ?? "production"
    let app = try await Application.make(Environment(name: name, arguments: arguments))
    do {
        try await configure(app, config: config)
        // A command on a fresh or older SQLite file brings it up to date, as `serve` does; on
        // PostgreSQL it names the pending migrations instead (see requireCurrentSchema).
        if !migrating {
            if config.database.isPostgres {
                try await requireCurrentSchema(app, config: config)
            } else {
                try await migrate(app)
            }
        }
        let result = try await body(app)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

/// On PostgreSQL, refuses to work on a schema that is behind, saying what to run. Several app
/// servers share PostgreSQL, so schema changes are a deliberate, separate step (`bearing migrate`);
/// the embedded SQLite database is brought up to date by the commands that need it.
func requireCurrentSchema(_ app: Application, config: AppConfig) async throws {
    guard config.database.isPostgres else { return }
    let pending = try await pendingMigrations(app)
    if !pending.isEmpty {
        throw ValidationError(
            "The PostgreSQL schema is behind (\(pending.count) migration(s) pending: \(pending.joined(separator: ", "))). Run `bearing migrate` first."
        )
    }
}

/// Runs pending migrations, turning on WAL first on SQLite.
func migrate(_ app: Application) async throws {
    try await prepareAndMigrate(app)
}

/// Turns on WAL (SQLite) and runs every pending migration.
public func prepareAndMigrate(_ app: Application) async throws {
    try await prepareDatabase(app)
    try await app.autoMigrate()
}

extension AppConfig.DatabaseLocation {
    var isPostgres: Bool { if case .postgres = self { true } else { false } }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the web app and API.",
        discussion: "Example: bearing serve --hostname 0.0.0.0 --port 8080 --demo")

    @ArgumentParser.Option(help: "Address to listen on.") var hostname = "127.0.0.1"
    @ArgumentParser.Option(help: "Port to listen on.") var port = 8080
    @ArgumentParser.Flag(help: "Load the demo operation and accounts when the database is empty.") var demo = false

    func run() async throws {
        let config = try AppConfig.fromEnvironment()
        let name = ProcessInfo.processInfo.environment["BEARING_ENV"] ?? "production"
        let app = try await Application.make(
            Environment(
                name: name, arguments: ["bearing", "serve", "--hostname", hostname, "--port", String(port)]))
        // Async code then runs on the event loops that serve the requests, without a hop to Swift's
        // own pool and back at every await: the one change of the session that touched the incident
        // list, whose p99 went from 49–64 ms to 41–48 ms (BENCHMARKS.md, issue 22 "3 and 5"). Safe
        // here: nothing in Bearing blocks on a future with `wait()`.
        if !NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() {
            app.logger.notice("SwiftNIO's event loops could not become the concurrency executor; using Swift's own.")
        }
        do {
            try await configure(app, config: config)
            if config.database.isPostgres {
                try await requireCurrentSchema(app, config: config)
            } else {
                try await migrate(app)
            }
            if demo {
                if try await Demo.isEmpty(app.db) {
                    let accounts = try await Demo.load(app)
                    Demo.print(accounts)
                } else {
                    print("The database is not empty: the demo was not loaded (run `bearing demo` to add it anyway).")
                }
            }
            app.startJobWorker()
            app.lifecycle.use(WALCheckpoints())
            try await app.execute()
            // Stop accepting requests, then let the ones still running finish before the databases
            // close under them.
            await app.server.shutdown()
            if !(await app.inFlightRequests.drain(timeout: .seconds(10))) {
                let running = app.inFlightRequests.stillRunning
                app.logger.warning(
                    "Stopping with \(running.count) request(s) still running after 10 s: \(running.joined(separator: "; "))"
                )
            }
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Bring the database schema up to date.",
        discussion: "Example: DATABASE_URL=postgres://bearing@db/bearing bearing migrate")

    func run() async throws {
        try await withApplication(migrating: true) { app in
            let pending = try await pendingMigrations(app)
            try await migrate(app)
            print(
                pending.isEmpty
                    ? "The schema is up to date."
                    : "Applied \(pending.count) migration(s): \(pending.joined(separator: ", "))")
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Load the demo operation, sites and accounts (safe to run twice).",
        discussion: "Example: bearing demo")

    func run() async throws {
        try await withApplication { app in
            Demo.print(try await Demo.load(app))
        }
    }
}

/// What every `bearing import …` command does around its importer: refuse a file it cannot read,
/// find the operation, run the import, and print the importer's report (its first line after the
/// file's name, the others indented), or why nothing was imported.
func importAndReport(
    _ file: String, operation code: String, _ run: (Application, OperationRecord) async throws -> [String]
) async throws {
    guard FileManager.default.isReadableFile(atPath: file) else {
        print("\(file): cannot be read. Nothing was imported.")
        throw ExitCode(1)
    }
    let lines: [String]
    do {
        lines = try await withApplication { app in
            guard let operation = try await OperationStore(app.db).find(code: code) else {
                throw ValidationError("No operation with code \(code).")
            }
            return try await run(app, operation)
        }
    } catch let error as SourceFileError {
        print("\(file): \(error.message) Nothing was imported.")
        throw ExitCode(1)
    }
    print("\(file): " + (lines.first ?? ""))
    lines.dropFirst().forEach { print("  " + $0) }
}
