import Domain
import Foundation
import Persistence
import SQLKit
import TestFiles
import TestSupport
import Testing
import Vapor

@testable import App

/// Needs assessments and the import of KoBo and ODK submissions (issue 18, part 1), on the real
/// files in shared/data/kobo and a field-shaped export.
@Suite("Needs assessments", .enabled(if: SharedDataFolder.url != nil, "shared/data not found"))
struct AssessmentTests {
    static let code = "/operations/SDN-TEST"

    static func kobo(_ name: String) throws -> Data {
        try Data(contentsOf: SharedDataFolder.url!.appendingPathComponent("kobo/" + name))
    }

    static func form(_ title: String, _ extra: [String: String] = [:]) -> [String: String] {
        var form = [
            "title": title, "start_on": "2026-05-01", "end_on": "2026-05-03", "method": "household_survey",
            "team": "SRCS Gedaref branch", "groups[0]": "REF", "groups[1]": "HST",
            "findings[0][sector]": "health", "findings[0][severity]": "4",
            "findings[0][text]": "Clinics at the transit centre turn away people without papers",
            "need_counts": "HST, DS-PM, f_18_59, 4\nREF, SC-UC, m_12_17, 7",
        ]
        for (key, value) in extra { form[key] = value }
        return form
    }

    /// A field-shaped KoBo CSV: the group, sex, age, specific needs and priority needs by name, a
    /// household size, and one row with a need that is not a UNHCR code.
    static let fieldExport = """
        start;end;population_group;resp_sex;resp_age;specific_needs;priority_needs;hh_size;comment;_uuid;_submission_time
        2026-05-01T09:00:00.000+02:00;;refugee;female;34;SC-UC SV-VA;health protection_gender_and_inclusion;5;Lives near the river;u-1;2026-05-01T09:10:00
        2026-05-01T10:00:00.000+02:00;;refugee;male;16;SC-UC;health;1;;u-2;2026-05-01T10:10:00
        2026-05-02T10:00:00.000+02:00;;host;female;45;DS-PM;livelihoods_and_basic_needs;6;;u-3;2026-05-02T10:10:00
        2026-05-02T11:00:00.000+02:00;;refugee;female;29;SV-VA WR-WR;health;4;;u-4;2026-05-02T11:10:00
        2026-05-02T12:00:00.000+02:00;;refugee;female;31;WR-WR;shelter_housing_and_settlements;3;;u-5;2026-05-02T12:10:00
        2026-05-03T09:00:00.000+02:00;;refugee;female;22;SC-UC;health;2;;u-6;2026-05-03T09:10:00
        2026-05-03T10:00:00.000+02:00;;refugee;male;40;XX-YY;health;2;;u-7;2026-05-03T10:10:00
        2026-05-03T11:00:00.000+02:00;;alien;male;40;;health;2;;u-8;2026-05-03T11:10:00

        """

    func create(_ browser: Browser, _ title: String = "Rapid needs assessment, Gedaref") async throws -> String {
        let created = try await browser.post(Self.code + "/assessments", Self.form(title))
        #expect(created.status == .seeOther, "\(created.body)")
        return try #require(created.headers.first(name: .location))
    }

    @Test(
        "an assessment with its findings and counts; KoBo submissions imported by name, each rejected row with its reason, a re-import adds nothing; results by group, host community beside, small counts suppressed for readers",
        arguments: TestDatabases.kinds)
    func fieldImport(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            // Bad input: every field said, nothing stored.
            let bad = try await coordinator.post(
                Self.code + "/assessments",
                Self.form(
                    "",
                    ["end_on": "2026-04-01", "need_counts": "HST, XX, f_18_59, 4", "groups[0]": "POP", "groups[1]": ""])
            )
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("The last day comes before the first"))
            #expect(bad.body.contains("A count line is not"))
            let location = try await create(coordinator)
            let page = try await coordinator.get(location)
            #expect(page.body.contains("Clinics at the transit centre"))
            // Import: mapped by names; two rows refused with their reasons.
            let imported = try await coordinator.postMultipart(
                location + "/import", ["format": "kobo"], file: ("survey.csv", Data(Self.fieldExport.utf8)))
            #expect(imported.status == .seeOther, "\(imported.body)")
            let after = try await coordinator.get(location)
            #expect(after.body.contains("6 submissions added, 0 already there, 2 not imported"))
            #expect(after.body.contains("Row 8, needs: “XX-YY” is not a UNHCR specific-needs code"))
            #expect(after.body.contains("Row 9, group: “alien” is not a population group"))
            #expect(after.body.contains("resp_sex (by its name)"))
            // Results by group: refugees, then the host community beside them, exact for the coordinator.
            let results = try #require(after.body.range(of: "id=\"results\"")).upperBound
            let table = String(after.body[results...].prefix(6_000))
            #expect(table.contains("<th scope=\"col\">Refugees</th><th scope=\"col\">Host community</th>"))
            #expect(
                table.contains(
                    "Respondents</th><td class=\"number\" dir=\"ltr\">5</td><td class=\"number\" dir=\"ltr\">1</td>"))
            #expect(
                table.contains(
                    "People in their households</th><td class=\"number\" dir=\"ltr\">15</td><td class=\"number\" dir=\"ltr\">6</td>"
                )
            )
            // SC-UC: 3 by submissions and 7 entered by the assessors; DS-PM 1 and 4 entered for the hosts.
            #expect(
                table.contains(
                    "SC-UC · Unaccompanied child</th><td class=\"number\" dir=\"ltr\">10</td><td class=\"number\" dir=\"ltr\">0</td>"
                ))
            #expect(table.contains("DS-PM"))
            #expect(after.body.contains("id=\"needs-by-sex-age\""))
            #expect(after.body.contains("Source: 6 submissions from KoBoToolbox, submitted 2026-05-01 to 2026-05-03."))
            // A staff member reads the same table with counts under 5 suppressed; no row's reasons.
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            let read = try await staff.get(location)
            let staffTable = String(
                read.body[try #require(read.body.range(of: "id=\"results\"")).upperBound...].prefix(6_000))
            #expect(
                staffTable.contains(
                    "Respondents</th><td class=\"number\" dir=\"ltr\">&lt;5</td><td class=\"number\" dir=\"ltr\">&lt;5</td>"
                ))
            #expect(!read.body.contains("Row 8"))
            #expect(read.body.contains("Counts under 5 are shown as"))
            // The same export again adds nothing.
            _ = try await coordinator.postMultipart(
                location + "/import", ["format": "kobo"], file: ("survey.csv", Data(Self.fieldExport.utf8)))
            #expect(
                try await coordinator.get(location).body.contains(
                    "0 submissions added, 6 already there, 2 not imported"))
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            let record = try #require(try await AssessmentStore(app.db).list(in: scope).first)
            #expect(try await AssessmentStore(app.db).figures(of: record.id, in: scope).total == 6)
            // Free text is never kept.
            let kept = try await (app.db as! any SQLDatabase).raw("SELECT answers FROM assessment_responses").all()
            #expect(!kept.isEmpty)
            for row in kept { #expect(!(try row.decode(column: "answers", as: String.self)).contains("river")) }
            // Only the keepers import; outsiders see nothing.
            #expect(
                try await staff.postMultipart(
                    location + "/import", ["format": "kobo"], file: ("survey.csv", Data(Self.fieldExport.utf8))
                ).status == .forbidden)
            let outsider = try await Browser.signedIn(app, fixture.outsider)
            #expect(try await outsider.get(location).status == .notFound)
        }
    }

    @Test(
        "KoBo's own files: the XLS export with its XLSForm (select_multiple kept, the form's changed questions said), the CSV export with its HXL row and labels, answers outside the choices refused"
    )
    func koboFiles() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            let location = try await create(coordinator)
            // No group column and none named: refused whole, nothing stored.
            let refused = try await coordinator.postMultipart(
                location + "/import", ["format": "kobo"],
                file: ("data.xlsx", try Self.kobo("kobocruncher_sample_data.xlsx")))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("No column gives the respondents"))
            #expect(refused.body.contains("Nothing was imported"))
            // With its form and a group for the file.
            let imported = try await coordinator.postMultipart(
                location + "/import", ["format": "kobo", "group": "REF"],
                file: ("data.xlsx", try Self.kobo("kobocruncher_sample_data.xlsx")),
                files: [(name: "form", filename: "form.xlsx", data: try Self.kobo("kobocruncher_sample_xlsform.xlsx"))])
            #expect(imported.status == .seeOther, "\(imported.body)")
            let page = try await coordinator.get(location)
            #expect(page.body.contains("5 submissions added, 0 already there, 0 not imported"))
            // The form changed after the data: its "date" question has no column.
            #expect(page.body.contains("The form has questions the export does not: date"))
            #expect(page.body.contains("HHSize (by its name)"))
            let answers = try await (app.db as! any SQLDatabase).raw("SELECT answers FROM assessment_responses").all()
                .map {
                    try $0.decode(column: "answers", as: String.self)
                }
            #expect(
                answers.contains {
                    $0.contains("\"profile/reason\":[\"accomodation\",\"employment\",\"education\",\"community\"]")
                })
            // KPI's CSV export: labels as answers, the HXL row, ";" — checked against the form's labels.
            let second = try await create(coordinator, "Animal census")
            var csv = String(decoding: try Self.kobo("kpi_animales_export_default.csv"), as: UTF8.self)
            let ok = try await coordinator.postMultipart(
                second + "/import", ["format": "kobo", "group": "HST"], file: ("export.csv", Data(csv.utf8)),
                files: [
                    (
                        name: "form", filename: "form.json",
                        data: try Self.kobo("kpi_animales_asset_and_submissions.json")
                    )
                ])
            #expect(ok.status == .seeOther, "\(ok.body)")
            #expect(
                try await coordinator.get(second).body.contains("3 submissions added, 0 already there, 0 not imported"))
            // An answer outside the form's choices: that row refused with its reason, the others kept.
            csv = csv.replacingOccurrences(
                of: "\"Radial\";\"0\";\"1\";\"0\";\"3\";\"Yes\"", with: "\"Radial\";\"0\";\"1\";\"0\";\"3\";\"Perhaps\""
            )
            let third = try await create(coordinator, "Animal census again")
            _ = try await coordinator.postMultipart(
                third + "/import", ["format": "kobo", "group": "HST"], file: ("export.csv", Data(csv.utf8)),
                files: [
                    (
                        name: "form", filename: "form.json",
                        data: try Self.kobo("kpi_animales_asset_and_submissions.json")
                    )
                ])
            let outside = try await coordinator.get(third)
            #expect(outside.body.contains("2 submissions added, 0 already there, 1 not imported"))
            #expect(outside.body.contains("Row 4, Do_you_have_body_flu_intracellular_space: “Perhaps” is not a choice"))
        }
    }

    @Test(
        "the mapping is shown, changed and saved for the form's next import; a re-import then adds the rows it refused")
    func mapping() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            let location = try await create(coordinator)
            // The group sits in a column no name or hashtag announces: every row falls to the file's group…
            let export = Self.fieldExport.replacingOccurrences(of: "population_group", with: "q7")
                .replacingOccurrences(of: "alien", with: "host")
            _ = try await coordinator.postMultipart(
                location + "/import", ["format": "odk", "group": "MIT"], file: ("survey.csv", Data(export.utf8)))
            let first = try await coordinator.get(location)
            #expect(first.body.contains("7 submissions added"))
            #expect(first.body.contains("id=\"mapping\""))
            let key = try #require(
                first.body.range(of: "name=\"form_key\" value=\"").map {
                    first.body[$0.upperBound...].prefix { $0 != "\"" }
                })
            // …until the coordinator maps q7 to the group.
            let saved = try await coordinator.post(
                location + "/mapping", ["form_key": String(key), "columns[group]": "q7", "columns[sex]": "resp_sex"])
            #expect(saved.status == .seeOther)
            let bad = try await coordinator.post(
                location + "/mapping", ["form_key": String(key), "columns[group]": "nope"])
            #expect(bad.status == .unprocessableEntity)
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            let stored = try #require(try await AssessmentStore(app.db).mapping(forForm: String(key), in: scope))
            #expect(stored.mapping[.group] == "q7")
            // A new assessment with the same form uses the saved mapping.
            let second = try await create(coordinator, "Second round")
            _ = try await coordinator.postMultipart(
                second + "/import", ["format": "odk"], file: ("survey.csv", Data(export.utf8)))
            let page = try await coordinator.get(second)
            #expect(page.body.contains("q7 (saved for this form)"))
            #expect(page.body.contains("<th scope=\"col\">Refugees</th><th scope=\"col\">Host community</th>"))
        }
    }

    @Test("the API lists assessments and their results by group (suppressed for readers), and records one")
    func api() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let api = PopulationAPITests()
            let browser = Browser(app)
            var coordinator = try await api.token(app, fixture.users[.migrationCoordinator]!)
            coordinator.contentType = .json
            let base = "/api/v1\(Self.code)/assessments"
            let body: [String: AnyCodable] = [
                "title": "Border crossing KII", "start_on": "2026-05-01", "method": "key_informants",
                "team": "SRCS", "groups": ["MIT", "HST"],
                "need_counts": ["MIT, SC-UC, m_12_17, 12", "HST, ER-NF, f_60, 3"],
            ]
            let created = try await browser.json(.POST, base, headers: coordinator, body)
            #expect(created.status == .created, "\(created.body)")
            let spec = try OpenAPIValidator(data: Data(try await browser.get("/api/v1/openapi.json").body.utf8))
            try api.check(spec, created, "post", "/operations/{code}/assessments")
            let location = try #require(created.headers.first(name: .location))
            let read = try await browser.get(location, headers: coordinator)
            try api.check(spec, read, "get", "/operations/{code}/assessments/{id}")
            #expect(read.body.contains("\"cells\":[\"12\",\"0\"]") && read.body.contains("\"exact\":true"))
            try api.check(
                spec, try await browser.get(base, headers: coordinator), "get", "/operations/{code}/assessments")
            let partner = try await api.token(app, fixture.users[.partner]!)
            let partnerRead = try await browser.get(location, headers: partner)
            #expect(partnerRead.status == .ok)
            #expect(
                partnerRead.body.contains("\"cells\":[\"0\",\"<5\"]") && partnerRead.body.contains("\"exact\":false"))
            var staff = try await api.token(app, fixture.users[.staff]!)
            staff.contentType = .json
            #expect(try await browser.json(.POST, base, headers: staff, body).status == .forbidden)
            let wrong: [String: AnyCodable] = [
                "title": "", "start_on": "yesterday", "method": "séance", "groups": ["POP"],
            ]
            let refused = try await browser.json(.POST, base, headers: coordinator, wrong)
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.body.contains("start_on") && refused.body.contains("method") && refused.body.contains("groups"))
        }
    }
}

extension AssessmentTests {
    /// An ODK Central CSV export as Central writes it: "," separated, groups joined with "-",
    /// `SubmissionDate` first, the instance id in `meta-instanceID` and `KEY`.
    static let odkCentral = """
        SubmissionDate,start,end,respondent-population_group,respondent-resp_sex,respondent-resp_age,needs-specific_needs,meta-instanceID,KEY,SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion
        2026-05-02T08:12:40.217Z,2026-05-02T10:01:00.000+02:00,2026-05-02T10:09:00.000+02:00,idp,f,27,SV-VA WR-WR,uuid:0a1b,uuid:0a1b,5,enumerator1,0,0,,,collect:abc,0,2026050101
        2026-05-02T09:40:02.510Z,2026-05-02T11:20:00.000+02:00,2026-05-02T11:31:00.000+02:00,host,m,64,ER-NF,uuid:0a1c,uuid:0a1c,5,enumerator1,0,0,,,collect:abc,0,2026050101

        """

    @Test(
        "ODK Central: its CSV (\",\", \"-\" between groups, KEY) and its OData JSON (nested groups, __id) read by the same import"
    )
    func odk() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            let location = try await create(coordinator, "ODK round")
            let csv = try await coordinator.postMultipart(
                location + "/import", ["format": "odk"], file: ("central.csv", Data(Self.odkCentral.utf8)))
            #expect(csv.status == .seeOther, "\(csv.body)")
            var page = try await coordinator.get(location)
            #expect(page.body.contains("2 submissions added, 0 already there, 0 not imported"), "\(page.body)")
            #expect(page.body.contains("respondent-population_group (by its name)"))
            #expect(page.body.contains("ODK"))
            let odata = """
                {"@odata.context": "https://central.example/v1/projects/1/forms/round.svc/$metadata#Submissions",
                 "value": [
                  {"__id": "uuid:0a1b", "respondent": {"population_group": "idp", "resp_sex": "f", "resp_age": 27},
                   "needs": {"specific_needs": "SV-VA WR-WR"}, "__system": {"submissionDate": "2026-05-02T08:12:40.217Z"}},
                  {"__id": "uuid:0a1d", "respondent": {"population_group": "refugee", "resp_sex": "m", "resp_age": 9},
                   "needs": {"specific_needs": "SC-UC"}, "__system": {"submissionDate": "2026-05-03T08:00:00.000Z"}}
                 ]}
                """
            let second = try await create(coordinator, "ODK round, OData")
            _ = try await coordinator.postMultipart(
                second + "/import", ["format": "odk"], file: ("round.json", Data(odata.utf8)))
            page = try await coordinator.get(second)
            #expect(page.body.contains("2 submissions added, 0 already there, 0 not imported"), "\(page.body)")
            #expect(page.body.contains("__id (by its name)"))
            #expect(page.body.contains("respondent/population_group (by its name)"))
        }
    }
}
