import ArgumentParser
import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Write a consistent copy of the SQLite database while Bearing runs.",
        discussion:
            "Example: bearing backup /media/usb/bearing-2026-11-23.sqlite (on PostgreSQL use pg_dump; see below)")
    @ArgumentParser.Argument(help: "Where to write the backup (must not exist).") var path: String

    func run() async throws {
        let config = try AppConfig.fromEnvironment()
        if config.database.isPostgres { throw ValidationError(Self.postgresAdvice) }
        if FileManager.default.fileExists(atPath: path) {
            throw ValidationError("\(path) already exists; choose a new file name.")
        }
        try await withApplication { app in
            guard let sql = app.db as? any SQLDatabase else { return }
            // VACUUM INTO is SQLite's online backup: a consistent snapshot, written while others read and write.
            try await sql.raw("VACUUM INTO \(bind: path)").run()
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("Backup written to \(path) (\(size / 1024) KB).")
    }

    static let postgresAdvice = """
        This Bearing uses PostgreSQL: back it up with PostgreSQL's own tools, e.g.
          pg_dump --format=custom --file=bearing.dump "$DATABASE_URL"
        and restore into an empty database with
          pg_restore --dbname="$DATABASE_URL" --clean --if-exists bearing.dump
        """
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Replace the SQLite database with a backup (stop `bearing serve` first).",
        discussion: "Example: bearing restore /media/usb/bearing-2026-11-23.sqlite")
    @ArgumentParser.Argument(help: "A backup written by `bearing backup`.") var path: String

    func run() async throws {
        let config = try AppConfig.fromEnvironment()
        guard case .sqlite(let target) = config.database else { throw ValidationError(BackupCommand.postgresAdvice) }
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("No such file: \(path).") }
        // Check the backup opens and is a Bearing database before touching the live file.
        var backupConfig = config
        backupConfig.database = .sqlite(path: path)
        let check = try await withApplication(config: backupConfig) { app -> Int in
            guard let sql = app.db as? any SQLDatabase else { return 0 }
            return try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()?.decode(
                column: "n", as: Int.self) ?? 0
        }
        guard check > 0 else { throw ValidationError("\(path) is not a Bearing backup (no migrations recorded).") }
        let fm = FileManager.default
        if fm.fileExists(atPath: target) {
            let aside = target + ".before-restore-\(Int(SystemClock().now().timeIntervalSince1970))"
            // The write-ahead log holds the latest changes: it moves with the file it belongs to.
            for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: target + suffix) {
                try fm.moveItem(atPath: target + suffix, toPath: aside + suffix)
            }
            print("The current database was kept as \(aside).")
        }
        try fm.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try fm.copyItem(atPath: path, toPath: target)
        print("Restored \(path) to \(target). Start Bearing again; `bearing audit verify` checks the audit chain.")
    }
}
