import CSV
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing

/// Runs the real `bearing` executable, as an operator would, on a fresh SQLite folder.
@Suite("Command line", .enabled(if: CommandLine.binary != nil, "build the bearing executable first (swift build)"))
struct CommandLineTests {
    @Test("on a fresh data folder every command works without `migrate` first, and an error says \"Error:\" once")
    func freshFolder() throws {
        for first in [
            ["operations", "create", "--code", "SDN-NEW", "--name", "Sudan", "--countries", "SDN"],
            ["stats", "incidents", "--operation", "SDN-NEW"],
            ["operations", "list"],
        ] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "bearing-cli-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try CommandLine.run(first, env: ["BEARING_DATA_DIR": folder.path, "BEARING_BCRYPT_COST": "4"])
            #expect(!result.out.contains("no such table"), "\(first.joined(separator: " ")): \(result.out)")
            #expect(!result.out.lowercased().contains("error: error"), "\(first.joined(separator: " ")): \(result.out)")
            if first[0] == "operations" { #expect(result.code == 0, "\(result.out)") }
            if first[0] == "stats" {
                #expect(
                    result.code != 0 && result.out.contains("SDN-NEW"), "an unknown operation is named: \(result.out)")
            }
        }
    }

    @Test("audit checkpoint appends a line to a file kept elsewhere; verify against it finds removed entries")
    func auditCheckpoint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = ["BEARING_DATA_DIR": folder.path, "BEARING_BCRYPT_COST": "4"]
        func run(_ args: String...) throws -> (code: Int32, out: String) { try CommandLine.run(args, env: env) }
        #expect(try run("operations", "create", "--code", "SDN-CP", "--name", "Sudan", "--countries", "SDN").code == 0)
        let kept = folder.appendingPathComponent("checkpoints.txt").path
        let line = try run("audit", "checkpoint", "--append", kept)
        #expect(line.code == 0 && line.out.hasPrefix("bearing-audit-checkpoint "))
        #expect(
            try run("operations", "create", "--code", "SDN-CP2", "--name", "Sudan 2", "--countries", "SDN").code == 0)
        #expect(try run("audit", "checkpoint", "--append", kept).code == 0)
        #expect(try String(contentsOfFile: kept, encoding: .utf8).split(separator: "\n").count == 2)
        let ok = try run("audit", "verify", "--checkpoints", kept)
        #expect(ok.code == 0 && ok.out.contains("agrees with 2 checkpoint(s)"), "\(ok.out)")
        // Someone with the database file drops the guard and deletes the newest entries.
        let database = folder.appendingPathComponent("bearing.sqlite").path
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DROP TRIGGER audit_log_no_delete'); c.execute('DELETE FROM audit_log WHERE sequence = (SELECT MAX(sequence) FROM audit_log)'); c.commit()",
            database,
        ]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)
        #expect(try run("audit", "verify").code == 0, "the chain alone cannot tell")
        let broken = try run("audit", "verify", "--checkpoints", kept)
        #expect(broken.code == 1 && broken.out.contains("entries were removed"), "\(broken.out)")
        let unreadable = try run("audit", "verify", "--checkpoints", folder.appendingPathComponent("none.txt").path)
        #expect(unreadable.code != 0 && unreadable.out.contains("Cannot read"))
    }

    @Test("migrate, accounts, operations, boundaries, demo twice, backup, restore and audit verify")
    func operatorSession() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = [
            "BEARING_DATA_DIR": folder.path, "BEARING_BCRYPT_COST": "4", "BEARING_PASSWORD": "a long enough secret",
        ]
        func run(_ args: String...) throws -> (code: Int32, out: String) { try CommandLine.run(args, env: env) }

        #expect(try run("migrate").out.contains("Applied \(BearingMigrations.names.count) migration(s)"))
        #expect(try run("migrate").out.contains("up to date"))
        #expect(try run("users", "create", "--email", "amina@example.org", "--name", "Amina", "--admin").code == 0)
        let duplicate = try run("users", "create", "--email", "AMINA@example.org", "--name", "Again")
        #expect(duplicate.code != 0)
        #expect(duplicate.out.contains("already exists"))
        let badOperation = try run("operations", "create", "--code", "x", "--name", "Bad", "--countries", "ZZZ")
        #expect(badOperation.code != 0)
        #expect(badOperation.out.contains("ZZZ"))
        #expect(
            try run(
                "operations", "create", "--code", "SDN-CLI", "--name", "Sudan", "--countries", "SDN", "--heops",
                "amina@example.org"
            ).code == 0)
        #expect(try run("operations", "list").out.contains("SDN-CLI"))

        if SharedData.isAvailable {
            let admin0 = try run(
                "import", "boundaries", SharedData.url("boundaries/sdn/sdn_admin0.geojson").path, "--operation",
                "SDN-CLI")
            #expect(admin0.code == 0)
            #expect(admin0.out.contains("admin level 0: 1 feature(s)"))
            let ne = try run(
                "import", "boundaries",
                SharedData.url("boundaries/naturalearth/ne_110m_admin_0_countries.geojson").path, "--operation",
                "SDN-CLI")
            #expect(ne.code == 1)
            #expect(ne.out.contains("(Sudan, SDN): invalid geometry"))
            #expect(ne.out.contains("nothing was imported"))

            let sind = try run(
                "import", "incidents", "--format", "sind", SharedData.url("sind/aidWorkerKIKA.json").path,
                "--operation", "SDN-CLI")
            #expect(sind.code == 0 && sind.out.contains("rows read: 1299") && sind.out.contains("rejected: 0"))
            let wrongKind = try run(
                "import", "incidents", "--format", "awsd", SharedData.url("sind/schema.csv").path, "--operation",
                "SDN-CLI")
            #expect(
                wrongKind.code != 0 && wrongKind.out.contains("This is not an AWSD export")
                    && wrongKind.out.contains("Nothing was imported."))
        }

        let demo = try run("demo")
        #expect(demo.out.contains("partner@demo.bearing.test  bearing-demo-partner  (partner)"))
        let sitesAfterFirst = try run("operations", "list").out
        #expect(try run("demo").code == 0, "running the demo twice is safe")
        #expect(try run("operations", "list").out == sitesAfterFirst)
        #expect(
            try run("users", "list").out.components(separatedBy: "\n").filter { $0.contains("@demo.bearing.test") }
                .count == 9)

        // The flow analysis of the demo's month of tallies, as the API gives it: by day and by week the same people.
        func analyse(_ args: String...) throws -> [String: Any] {
            let result = try CommandLine.run(
                ["analyse", "flows", "--operation", "SDN-DEMO"] + args, env: env, standardErrorToo: false)
            #expect(result.code == 0)
            return try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        }
        func people(_ report: [String: Any]) -> (series: Int, directions: Int) {
            (
                (report["series"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["total"] as? Int ?? 0) },
                (report["directions"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["people"] as? Int ?? 0) }
            )
        }
        let daily = try analyse("--as", "migration@demo.bearing.test")
        let weekly = try analyse("--as", "migration@demo.bearing.test", "--period", "week")
        #expect(
            (daily["series"] as? [Any])?.count == 30
                && (daily["query"] as? [String: Any])?["period"] as? String == "day")
        #expect(
            people(daily).series > 0 && people(daily).series == people(daily).directions
                && people(weekly).series == people(daily).series)
        let links = ((daily["flow_map"] as? [String: Any])?["links"] as? [[String: Any]]) ?? []
        #expect(links.contains { $0["to"] as? String == "c:EGY" && $0["kind"] as? String == "onward" })
        let badPeriod = try run("analyse", "flows", "--operation", "SDN-DEMO", "--period", "fortnight")
        #expect(badPeriod.code != 0 && badPeriod.out.contains("period: “fortnight” is not day or week."))

        // The demo's tallies exported as HXL, then read back: every tally is known by its id, none added, none changed.
        let exported = try CommandLine.run(
            ["export", "flows", "--operation", "SDN-DEMO", "--format", "hxl"], env: env, standardErrorToo: false)
        #expect(exported.code == 0)
        let exportLines = exported.out.split(whereSeparator: \.isNewline)  // CSV lines end in CR LF
        #expect(
            exportLines.count > 2 && exportLines[0].hasPrefix("id,point,point_code,")
                && exportLines[1].hasPrefix("#meta+id,#loc+name,#loc+code,"))
        let tallies = exportLines.count - 2
        let flowFile = folder.appendingPathComponent("flows.hxl.csv")
        try exported.out.write(to: flowFile, atomically: true, encoding: .utf8)
        let reimport = try run("import", "flows", "--format", "hxl", flowFile.path, "--operation", "SDN-DEMO")
        #expect(
            reimport.out.contains(
                "rows read: \(tallies)\n  added: 0\n  updated: 0\n  unchanged: \(tallies)\n  rejected: 0"),
            "\(reimport.out)")
        let asPartner = try CommandLine.run(
            ["export", "flows", "--operation", "SDN-DEMO", "--format", "csv", "--as", "partner@demo.bearing.test"],
            env: env, standardErrorToo: false)
        #expect(
            asPartner.code == 0 && asPartner.out.split(whereSeparator: \.isNewline).count == 1,
            "a partner sees no flow point: the header alone")
        #expect(
            try run("export", "flows", "--operation", "SDN-DEMO", "--format", "csv", "--point", "gate-1").out.contains(
                "--point gate-1 is not a point id."))

        let backup = folder.appendingPathComponent("backup.sqlite").path
        #expect(try run("backup", backup).out.contains("Backup written"))
        #expect(FileManager.default.fileExists(atPath: backup))
        #expect(try run("backup", backup).code != 0, "an existing file is never overwritten")
        #expect(try run("users", "disable", "--email", "amina@example.org").code == 0)
        #expect(try run("restore", backup).out.contains("Restored"))
        #expect(
            try run("users", "list").out.contains("amina@example.org\tAmina\tadmin\tactive"),
            "the restore brought back the state of the backup")
        let verify = try run("audit", "verify")
        #expect(verify.code == 0)
        #expect(verify.out.contains("chain intact"))
    }
}

extension CommandLineTests {
    @Test(
        "on PostgreSQL, a command on a schema that is behind says to run bearing migrate; after it, the command works",
        .enabled(if: TestDatabases.postgresURL != nil, "BEARING_TEST_POSTGRES_URL is not set"))
    func postgresSchemaBehind() async throws {
        try await withTestApp(.postgres) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("DROP SCHEMA public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "bearing-cli-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let env = [
                "BEARING_DATA_DIR": folder.path, "BEARING_BCRYPT_COST": "4",
                "DATABASE_URL": try #require(TestDatabases.postgresURL),
            ]
            let refused = try CommandLine.run(["demo"], env: env)
            #expect(refused.code != 0)
            #expect(refused.out.contains("\(BearingMigrations.names.count) migration(s) pending"))
            #expect(refused.out.contains("Run `bearing migrate` first"))
            #expect(try CommandLine.run(["migrate"], env: env).code == 0)
            let loaded = try CommandLine.run(["demo"], env: env)
            #expect(loaded.code == 0)
            #expect(loaded.out.contains("heops@demo.bearing.test"))
        }
    }

    @Test(
        "import, stats and export of incidents keep the command-line contract",
        .enabled(if: SharedData.isAvailable, "../shared/data not found"))
    func incidentCommands() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = ["BEARING_DATA_DIR": folder.path, "BEARING_BCRYPT_COST": "4"]
        func run(_ args: String...) throws -> (code: Int32, out: String) { try CommandLine.run(args, env: env) }
        func stdout(_ args: String...) throws -> String {
            try CommandLine.run(args, env: env, standardErrorToo: false).out
        }
        #expect(try run("migrate").code == 0)
        for code in ["AFG-A", "AFG-B", "AFG-C"] {
            #expect(try run("operations", "create", "--code", code, "--name", code, "--countries", "AFG").code == 0)
        }
        let afghanistan = SharedData.url("awsd/awsd_2025-08_afghanistan.csv").path
        let full = SharedData.url("awsd/awsd_2025-08_hxl.csv").path

        let first = try run("import", "incidents", "--format", "awsd", afghanistan, "--operation", "AFG-A")
        #expect(first.code == 0)
        #expect(first.out.contains("added: 617\n  updated: 0\n  unchanged: 0\n  rejected: 0"), "\(first.out)")
        #expect(
            try run("import", "incidents", "--format", "awsd", afghanistan, "--operation", "AFG-A").out.contains(
                "added: 0\n  updated: 0\n  unchanged: 617"))
        let whole = try run("import", "incidents", "--format", "awsd", full, "--operation", "AFG-B")
        #expect(
            whole.out.contains("added: 617")
                && whole.out.contains("outside the operation's countries or of no known country (left out): 4337"))

        // The Afghanistan file equals the Afghanistan subset of the whole export.
        let byCountryYear = try stdout("stats", "incidents", "--operation", "AFG-A", "--by", "country,year")
        #expect(
            byCountryYear
                == (try stdout("stats", "incidents", "--operation", "AFG-B", "--source", "awsd", "--by", "country,year"))
        )
        #expect(byCountryYear.hasPrefix("country_iso3,year,incidents,killed,injured,kidnapped,detained,affected\n"))

        // The yearly figures equal a plain reading of the CSV.
        var expected: [String: [Int]] = [:]
        let reader = try CSVReader(stream: try #require(InputStream(fileAtPath: full)), hasHeaderRow: true)
        let header = try #require(reader.headerRow)
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name)) }
        let (year, country) = (try column("Year"), try column("Country Code"))
        let counted = try ["Total killed", "Total wounded", "Total kidnapped", "Total detained", "Total affected"].map(
            column)
        while let row = reader.next() {
            guard row[country] == "AF" else { continue }
            var totals = expected[row[year], default: [0, 0, 0, 0, 0, 0]]
            totals[0] += 1
            for (i, index) in counted.enumerated() { totals[i + 1] += Int(row[index]) ?? 0 }
            expected[row[year]] = totals
        }
        let plain =
            "year,incidents,killed,injured,kidnapped,detained,affected\n"
            + expected.keys.sorted().map { ([$0] + expected[$0]!.map(String.init)).joined(separator: ",") + "\n" }
            .joined()
        #expect(try stdout("stats", "incidents", "--operation", "AFG-B", "--by", "year") == plain)
        let json = try JSONSerialization.jsonObject(
            with: Data(
                try stdout("stats", "incidents", "--operation", "AFG-B", "--by", "month", "--format", "json").utf8))
        let months = try #require(json as? [[String: Any]])
        #expect(
            months.first?.keys.sorted() == [
                "affected", "detained", "incidents", "injured", "kidnapped", "killed", "month",
            ])
        // A regional view keeps every country; AWSD's 52 year-only dates cannot be counted by month.
        #expect(try run("operations", "create", "--code", "WORLD", "--name", "All", "--countries", "AFG").code == 0)
        #expect(
            try run("import", "incidents", "--format", "awsd", full, "--operation", "WORLD", "--all-countries").out
                .contains("added: 4954"))
        #expect(
            try run("stats", "incidents", "--operation", "WORLD", "--by", "month").out.contains(
                "52 context event(s) not counted: their date is coarser than a month"))
        #expect(
            try stdout("stats", "incidents", "--operation", "WORLD", "--by", "country,year").split(separator: "\n")
                .dropFirst()
                .reduce(0) { $0 + Int($1.split(separator: ",", omittingEmptySubsequences: false)[2])! } == 4954)
        #expect(
            try stdout("stats", "incidents", "--operation", "AFG-B", "--source", "own", "--by", "year")
                == "year,incidents,killed,injured,kidnapped,detained,affected\n")

        // Export as HXL, import that file as a generic HXL source: the same figures.
        let exported = folder.appendingPathComponent("afg-awsd.csv")
        try Data(try stdout("export", "incidents", "--operation", "AFG-B", "--format", "hxl").utf8).write(to: exported)
        let again = try run("import", "incidents", "--format", "hxl", exported.path, "--operation", "AFG-C")
        #expect(
            again.out.contains("HXL incidents, source “afg-awsd.csv”") && again.out.contains("added: 617")
                && again.out.contains("rejected: 0"))
        #expect(
            try stdout("stats", "incidents", "--operation", "AFG-C", "--source", "afg-awsd.csv", "--by", "country,year")
                == byCountryYear)
        let geojson = try JSONSerialization.jsonObject(
            with: Data(
                try stdout(
                    "export", "incidents", "--operation", "AFG-C", "--format", "geojson", "--round-coordinates", "2"
                ).utf8))
        let features = try #require((geojson as? [String: Any])?["features"] as? [[String: Any]])
        #expect(features.count == 617)
        let point = features.compactMap { ($0["geometry"] as? [String: Any])?["coordinates"] as? [Double] }.first ?? []
        #expect(point.count == 2 && point.allSatisfy { ($0 * 100).rounded() == $0 * 100 })

        // A row with a reason, a file that cannot be read, a file of another kind.
        let bad = folder.appendingPathComponent("bad.csv")
        try Data("#event+id,#date+occurred,#event+category\n1,2025-13-01,crime\n2,2025-01-01,crime\n".utf8).write(
            to: bad)
        let partial = try run("import", "incidents", "--format", "hxl", bad.path, "--operation", "AFG-C")
        #expect(partial.code == 0 && partial.out.contains("added: 1") && partial.out.contains("rejected: 1"))
        #expect(partial.out.contains("row 2, date: rejected: “2025-13-01” is not a date"))
        let missing = try run(
            "import", "incidents", "--format", "acled", folder.appendingPathComponent("nothing.csv").path,
            "--operation", "AFG-C")
        #expect(missing.code != 0 && missing.out.contains("cannot be read"))
        let wrong = try run("import", "incidents", "--format", "hxl", afghanistan, "--operation", "AFG-C")
        #expect(wrong.code != 0 && wrong.out.contains("not an HXL file") && wrong.out.contains("Nothing was imported."))
        #expect(
            try stdout("stats", "incidents", "--operation", "AFG-C", "--source", "bad.csv", "--by", "year").hasSuffix(
                "2025,1,0,0,0,0,0\n"))
    }
}

extension CommandLine {
    /// The debug build of `bearing` beside the test bundle's build folder.
    static let binary: URL? = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let candidate = root.appendingPathComponent(".build/debug/bearing")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }()

    static func run(_ arguments: [String], env: [String: String], standardErrorToo: Bool = true) throws -> (
        code: Int32, out: String
    ) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "DATABASE_URL" }.merging(env) {
            $1
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = standardErrorToo ? pipe : FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
