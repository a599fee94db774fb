import Foundation
import TestSupport
import Testing

/// `bearing import people`, `bearing export people` and `bearing headcount` on a fresh data folder.
@Suite(
    "The personnel register on the command line",
    .enabled(if: CommandLine.binary != nil, "build the bearing executable first (swift build)"))
struct PeopleCommandLineTests {
    @Test("a roster imports with its reasons, a second import updates, the export reads back, the headcount counts")
    func roster() throws {
        let (folder, run, stdout) = PopulationCommandLineTests.session()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(try run("migrate").code == 0)
        #expect(try run("operations", "create", "--code", "SDN-1", "--name", "Sudan", "--countries", "SDN").code == 0)
        let file = folder.appendingPathComponent("roster.csv")
        try """
        Full name,Category,Mobile,E-mail,Staff ID,Arrival,National ID\r
        Amira Salih,IFRC staff,0912345678,amira@ifrc.org,S-1,2026-11-20,123\r
        Omer Ali,driver,0911111111,omer@ifrc.org,S-2,2026-11-20,456\r
        Hawa Ali,volunteer,,,S-3,2026-11-01,\r
        """.write(to: file, atomically: true, encoding: .utf8)
        let first = try run("import", "people", file.path, "--operation", "SDN-1")
        #expect(first.code == 0, "\(first.out)")
        #expect(first.out.contains("roster.csv: 2 added, 0 updated, 0 unchanged, 1 not imported."), "\(first.out)")
        #expect(first.out.contains("Line 3 not imported: category: Unknown category 'driver'"), "\(first.out)")
        #expect(first.out.contains("Column “National ID” left out") && !first.out.contains("123"))
        let second = try run("import", "people", file.path, "--operation", "SDN-1")
        #expect(second.out.contains("0 added, 0 updated, 2 unchanged, 1 not imported."), "\(second.out)")
        // Unknown operation or account: said, nothing imported.
        #expect(try run("import", "people", file.path, "--operation", "NOPE").code != 0)
        #expect(try run("import", "people", file.path, "--operation", "SDN-1", "--as", "nobody@x.org").code != 0)

        let csv = try stdout("export", "people", "--operation", "SDN-1", "--format", "csv")
        #expect(csv.hasPrefix("Full name,Category,Origin,") && csv.contains("Amira Salih,ifrc_staff,international"))
        #expect(csv.contains("+249912345678"))
        let vcf = try stdout("export", "people", "--operation", "SDN-1", "--format", "vcf")
        #expect(vcf.components(separatedBy: "BEGIN:VCARD").count == 3 && vcf.contains("FN:Hawa Ali"))
        let exported = folder.appendingPathComponent("export.csv")
        try csv.write(to: exported, atomically: true, encoding: .utf8)
        #expect(
            try run("import", "people", exported.path, "--operation", "SDN-1").out.contains(
                "0 added, 0 updated, 2 unchanged"))

        let count = try stdout("headcount", "--operation", "SDN-1")
        #expect(count.contains("SDN-1: 2 present, 0 stale, 2 never located."), "\(count)")
        #expect(count.contains("Never located:\n  Amira Salih\n  Hawa Ali"))
    }
}
