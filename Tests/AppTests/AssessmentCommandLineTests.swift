import Foundation
import Interop
import TestSupport
import Testing

/// `bearing import assessments` with KoBo's own files (issue 18, parts 1 and 7).
@Suite(
    "Needs assessments on the command line",
    .enabled(
        if: CommandLine.binary != nil && SharedData.isAvailable,
        "build the bearing executable first (swift build), with ../shared/data beside the repository"))
struct AssessmentCommandLineTests {
    @Test(
        "a KoBo XLS export with its XLSForm into a new assessment: the mapping and the form's mismatch printed; a re-import adds nothing; a bad file stores nothing"
    )
    func importKobo() throws {
        let (folder, run, _) = PopulationCommandLineTests.session()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try run("migrate").code == 0)
        #expect(try run("operations", "create", "--code", "SDN-1", "--name", "Sudan", "--countries", "SDN").code == 0)
        let data = SharedData.url("kobo/kobocruncher_sample_data.xlsx").path
        let form = SharedData.url("kobo/kobocruncher_sample_xlsform.xlsx").path
        let first = try run(
            "import", "assessments", "--format", "kobo", data, "--form", form, "--operation", "SDN-1", "--title",
            "Why people left", "--group", "REF", "--start-on", "2022-05-01")
        #expect(first.code == 0, "\(first.out)")
        #expect(first.out.contains("5 submissions added, 0 already there, 0 not imported"), "\(first.out)")
        #expect(first.out.contains("household_size ← profile.HHSize (name)"), "\(first.out)")
        #expect(first.out.contains("The form has questions the export does not: date"), "\(first.out)")
        let again = try run(
            "import", "assessments", "--format", "kobo", data, "--form", form, "--operation", "SDN-1", "--assessment",
            "1", "--group", "REF")
        #expect(again.out.contains("0 submissions added, 5 already there"), "\(again.out)")
        // Neither an assessment nor a title; a file that is not an export; no group anywhere.
        #expect(try run("import", "assessments", "--format", "odk", data, "--operation", "SDN-1").code != 0)
        let broken = folder.appendingPathComponent("broken.xlsx")
        try Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]).write(to: broken)
        let refused = try run(
            "import", "assessments", "--format", "kobo", broken.path, "--operation", "SDN-1", "--assessment", "1",
            "--group", "REF")
        #expect(refused.code != 0 && refused.out.contains("Nothing was imported"), "\(refused.out)")
        let noGroup = try run(
            "import", "assessments", "--format", "kobo", data, "--operation", "SDN-1", "--assessment", "1")
        #expect(noGroup.code != 0 && noGroup.out.contains("No column gives the respondents' group"), "\(noGroup.out)")
    }
}
