import Foundation
import Persistence
import TestSupport
import Testing

/// Runs the real `bearing` executable, as an operator would, on a fresh SQLite folder.
@Suite("Command line", .enabled(if: CommandLine.binary != nil, "build the bearing executable first (swift build)"))
struct CommandLineTests {
    @Test("migrate, accounts, operations, boundaries, demo twice, backup, restore and audit verify")
    func operatorSession() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = ["BEARING_DATA_DIR": folder.path, "BEARING_BCRYPT_COST": "4", "BEARING_PASSWORD": "a long enough secret"]
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
        #expect(try run("operations", "create", "--code", "SDN-CLI", "--name", "Sudan", "--countries", "SDN", "--heops", "amina@example.org").code == 0)
        #expect(try run("operations", "list").out.contains("SDN-CLI"))

        if SharedData.isAvailable {
            let admin0 = try run("import", "boundaries", SharedData.url("boundaries/sdn/sdn_admin0.geojson").path, "--operation", "SDN-CLI")
            #expect(admin0.code == 0)
            #expect(admin0.out.contains("admin level 0: 1 feature(s)"))
            let ne = try run("import", "boundaries", SharedData.url("boundaries/naturalearth/ne_110m_admin_0_countries.geojson").path, "--operation", "SDN-CLI")
            #expect(ne.code == 1)
            #expect(ne.out.contains("(Sudan, SDN): invalid geometry"))
            #expect(ne.out.contains("nothing was imported"))

            let awsd = SharedData.url("awsd/awsd_2025-08_afghanistan.csv").path
            let firstImport = try run("import", "incidents", "--source", "awsd", awsd, "--operation", "SDN-CLI")
            #expect(firstImport.code == 0)
            #expect(firstImport.out.contains("rows read: 617; events: 617; rejected rows: 0"))
            #expect(firstImport.out.contains("added: 617; updated: 0; unchanged: 0; disappeared since the last import: 0"))
            #expect(try run("import", "incidents", "--source", "awsd", awsd, "--operation", "SDN-CLI").out.contains("added: 0; updated: 0; unchanged: 617"))
            let sind = try run("import", "incidents", "--source", "sind", SharedData.url("sind/aidWorkerKIKA.json").path, "--operation", "SDN-CLI")
            #expect(sind.code == 0 && sind.out.contains("added: 1299"))
            let wrongKind = try run("import", "incidents", "--source", "awsd", SharedData.url("sind/schema.csv").path, "--operation", "SDN-CLI")
            #expect(wrongKind.code != 0 && wrongKind.out.contains("This is not an AWSD export") && wrongKind.out.contains("Nothing was imported."))
        }

        let demo = try run("demo")
        #expect(demo.out.contains("partner@demo.bearing.test  bearing-demo-partner  (partner)"))
        let sitesAfterFirst = try run("operations", "list").out
        #expect(try run("demo").code == 0, "running the demo twice is safe")
        #expect(try run("operations", "list").out == sitesAfterFirst)
        #expect(try run("users", "list").out.components(separatedBy: "\n").filter { $0.contains("@demo.bearing.test") }.count == 7)

        let backup = folder.appendingPathComponent("backup.sqlite").path
        #expect(try run("backup", backup).out.contains("Backup written"))
        #expect(FileManager.default.fileExists(atPath: backup))
        #expect(try run("backup", backup).code != 0, "an existing file is never overwritten")
        #expect(try run("users", "disable", "--email", "amina@example.org").code == 0)
        #expect(try run("restore", backup).out.contains("Restored"))
        #expect(try run("users", "list").out.contains("amina@example.org\tAmina\tadmin\tactive"), "the restore brought back the state of the backup")
        let verify = try run("audit", "verify")
        #expect(verify.code == 0)
        #expect(verify.out.contains("chain intact"))
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

    static func run(_ arguments: [String], env: [String: String]) throws -> (code: Int32, out: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "DATABASE_URL" }.merging(env) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
