import Foundation
import Interop
import TestSupport
import Testing

/// `bearing import services` and `bearing export services` with Open Referral's examples.
@Suite(
    "Service directory on the command line",
    .enabled(
        if: CommandLine.binary != nil && SharedData.isAvailable,
        "build the bearing executable first (swift build), with ../shared/data beside the repository"))
struct ServiceCommandLineTests {
    @Test(
        "HSDS 1.1 and 3.0 imported, a re-import changes nothing, the export reads back whole; a broken file stores nothing"
    )
    func importAndExport() throws {
        let (folder, run, stdout) = PopulationCommandLineTests.session()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try run("migrate").code == 0)
        #expect(try run("operations", "create", "--code", "SDN-1", "--name", "Sudan", "--countries", "SDN").code == 0)
        let sample = SharedData.url("hsds/v1.1-sample").path
        let first = try run("import", "services", "--format", "hsds", sample, "--operation", "SDN-1")
        #expect(first.code == 0)
        #expect(
            first.out.contains("HSDS 1.1: 13 service(s) read: 13 added, 0 updated, 0 unchanged, 0 not imported."),
            "\(first.out)")
        let again = try run("import", "services", sample, "--operation", "SDN-1")
        #expect(again.out.contains("0 added, 0 updated, 13 unchanged"), "\(again.out)")
        let v3 = try run("import", "services", SharedData.url("hsds/v3.0/csv").path, "--operation", "SDN-1")
        #expect(v3.out.contains("HSDS 3.0: 1 service(s) read: 1 added"), "\(v3.out)")
        #expect(v3.out.contains("locations.csv row 2, latitude:"), "\(v3.out)")

        let zip = folder.appendingPathComponent("directory.zip")
        #expect(
            try run("export", "services", "--operation", "SDN-1", "--format", "hsds-zip", "--output", zip.path).code
                == 0)
        let read = try HSDSReader.read(url: zip)
        #expect(read.entries.count == 14)
        #expect(read.problems.isEmpty, "\(read.problems)")
        let json = try stdout("export", "services", "--operation", "SDN-1", "--format", "hsds-json")
        #expect(try HSDSReader.read(data: Data(json.utf8), name: "x.json").entries.count == 14)
        let table = try stdout(
            "export", "services", "--operation", "SDN-1", "--format", "hsds-csv", "--table", "organizations")
        #expect(table.hasPrefix("id,name,description,email,website"))
        #expect(table.contains("Sanctuary Example City"))
        // Re-importing the export changes nothing: the HSDS ids it carries are the ones stored.
        let back = try run("import", "services", zip.path, "--operation", "SDN-1")
        #expect(back.out.contains("0 added, 0 updated, 14 unchanged"), "\(back.out)")

        let broken = folder.appendingPathComponent("broken.json")
        try Data("{ not json".utf8).write(to: broken)
        let refused = try run("import", "services", broken.path, "--operation", "SDN-1")
        #expect(refused.code != 0)
        #expect(
            refused.out.contains("The file could not be read: not valid JSON. Nothing was imported."), "\(refused.out)")
    }
}
