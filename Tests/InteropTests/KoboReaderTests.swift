import Domain
import Foundation
import Interop
import TestFiles
import Testing

/// KoBoToolbox forms and exports read from the real files in shared/data/kobo (issue 18, part 1).
@Suite("KoBo and ODK forms and exports", .enabled(if: SharedDataFolder.url != nil, "shared/data not found"))
struct KoboReaderTests {
    static func kobo(_ name: String) throws -> Data {
        try Data(contentsOf: SharedDataFolder.url!.appendingPathComponent("kobo/" + name))
    }

    @Test(
        "an XLSForm (.xlsx): questions with their group paths, select_multiple and its list, the repeat, trailing spaces trimmed"
    )
    func xlsform() throws {
        let form = try KoboReader.form(try Self.kobo("kobocruncher_sample_xlsform.xlsx"), name: "sample.xlsx")
        let reason = try #require(form.questions.first { $0.name == "reason" })
        #expect(reason.path == "profile/reason")
        #expect(reason.kind == .selectMultiple)
        let list = try #require(reason.list)
        #expect(form.choices[list]?.contains("safety") == true)
        #expect(form.choices[list]?.count == 9)
        #expect(form.questions.contains { $0.name == "today" }, "the name “today   ” is read without its spaces")
        let age = try #require(form.questions.first { $0.name == "age" })
        #expect(age.path == "members/age")
        #expect(form.choices.values.map(\.count).reduce(0, +) == 21)
    }

    @Test("a large, messy real XLSForm: both spellings of the types, groups closed either way")
    func protectionForm() throws {
        let form = try KoboReader.form(
            try Self.kobo("kobocruncher_protection_phone_survey_xlsform.xlsx"), name: "phone.xlsx")
        #expect(form.questions.filter { $0.kind == .selectOne }.count >= 130)
        #expect(form.questions.filter { $0.kind == .selectMultiple }.count == 2)
        // Every select names a list the choices sheet has.
        for q in form.questions where q.kind == .selectOne || q.kind == .selectMultiple {
            #expect(q.list.flatMap { form.choices[$0] } != nil, "\(q.path) → \(q.list ?? "-")")
        }
    }

    @Test("KoBo's XLS export: the first sheet, group separator '.', blank trailing rows dropped")
    func xlsExport() throws {
        let table = try KoboReader.submissions(try Self.kobo("kobocruncher_sample_data.xlsx"), name: "data.xlsx")
        let rows = try table.rows.all()
        #expect(rows.count == 5)
        #expect(table.columns.contains("profile.reason") && table.columns.contains("_uuid"))
        let form = try KoboReader.form(try Self.kobo("kobocruncher_sample_xlsform.xlsx"), name: "sample.xlsx")
        #expect(form.question(forColumn: "profile.reason")?.question.path == "profile/reason")
        #expect(form.question(forColumn: "profile.reason.safety")?.choice == "safety")
    }

    @Test("KoBo's CSV export: ';', every field quoted, the HXL row taken out as the columns' hashtags")
    func csvExport() throws {
        let table = try KoboReader.submissions(try Self.kobo("kpi_animales_export_default.csv"), name: "export.csv")
        let rows = try table.rows.all()
        #expect(rows.count == 3)
        #expect(table.rows.rowNumber == 5, "the header, the HXL row, then three submissions")
        #expect(table.columns.first == "start" && table.columns.contains("_uuid"), "\(table.columns.prefix(3))")
        let symmetry = try #require(table.columns.firstIndex(of: "What kind of symmetry do you have?"))
        #expect(table.hxl[symmetry] == "#symmetry")
        #expect(rows[0][symmetry] == "Spherical Radial Bilateral")
    }

    @Test("JSON: the form and its submissions in one file (KPI, formpack), repeats counted, groups as paths")
    func json() throws {
        let formpack = try KoboReader.submissions(
            try Self.kobo("formpack_hxl_grouped_repeatable.json"), name: "formpack.json")
        #expect(try formpack.rows.all().count == 6)
        #expect(formpack.columns.contains("household_visit/houshold_member_repeat/count"))
        let form = try #require(formpack.form)
        #expect(form.questions.first { $0.name == "household_location" }?.hxl == "#loc+name")
        let kpi = try KoboReader.submissions(try Self.kobo("kpi_animales_asset_and_submissions.json"), name: "kpi.json")
        #expect(try kpi.rows.all().count == 3)
        let kpiForm = try #require(kpi.form)
        #expect(kpiForm.formID == "Identificaci_n_de_animales")
        let symmetry = try #require(kpiForm.questions.first { $0.kind == .selectMultiple })
        #expect(
            symmetry.hxl == "#symmetry" && symmetry.path == "external_characteristics/What_kind_of_symmetry_do_you_have"
        )
    }

    @Test("bad files are refused with what is wrong")
    func refusals() {
        #expect(throws: KoboReader.Failure.self) { try KoboReader.form(Data("nope".utf8), name: "x.txt") }
        #expect(throws: KoboReader.Failure.self) { try KoboReader.submissions(Data("{\"a\":1}".utf8), name: "x.json") }
        #expect(throws: KoboReader.Failure.self) {
            try KoboReader.submissions(Data([0x50, 0x4B, 0x03, 0x04, 0, 0]), name: "x.xlsx")
        }
    }
}
