import Domain
import Foundation
import Interop
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Population figures in the database", .enabled(if: SharedData.isAvailable, "needs ../shared/data"))
struct PopulationImportTests {
    @Test(
        "a re-import updates what changed, keeps what did not, and sets a figure back to zero; the breakdown keeps the source's labels",
        arguments: TestDatabases.kinds)
    func reimport(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let service = PopulationImportService(database: app.db)
            let demographics = SharedData.url("unhcr/unhcr_demographics.csv")
            let first = try await service.importFile(
                demographics, format: .unhcrDemographics, year: nil, into: fixture.operation, now: Date())
            #expect(first.stored.added == 20_771 && first.read.rejectedRows == 0)
            #expect(
                try await service.importFile(
                    demographics, format: .unhcrDemographics, year: nil, into: fixture.operation, now: Date()
                ).stored.unchanged == 20_771)

            // A file with two of the rows changed: one count revised, one set to zero.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "bearing-pop-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let header =
                "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst"
            let url = folder.appendingPathComponent("unhcr_population.csv")
            try "\(header)\n2024,Sudan,SUD,SDN,Chad,CHD,TCD,1000,20,0,0,0,0,0,,0\n".write(
                to: url, atomically: true, encoding: .utf8)
            #expect(
                try await service.importFile(
                    url, format: .unhcrPopulation, year: nil, into: fixture.operation, now: Date()
                ).stored.added == 2)
            try "\(header)\n2024,Sudan,SUD,SDN,Chad,CHD,TCD,1200,0,0,0,0,0,0,,0\n".write(
                to: url, atomically: true, encoding: .utf8)
            let revised = try await service.importFile(
                url, format: .unhcrPopulation, year: nil, into: fixture.operation, now: Date())
            #expect(revised.stored.updated == 2 && revised.stored.added == 0 && revised.stored.zerosSkipped == 6)
            let stats = try await PopulationStore(app.db).stats(
                in: fixture.operation.id, by: .yearOrigin, types: [.refugees, .asylumSeekers],
                dataset: "unhcr_population")
            #expect(
                stats.map {
                    "\($0.year) \($0.country ?? "") \($0.totals[.refugees] ?? -1) \($0.totals[.asylumSeekers] ?? -1)"
                } == ["2024 SDN 1200 0"])

            // The COD-PS breakdown, with its own labels and Bangui's two rows added together.
            let cod = try await service.importFile(
                SharedData.url("population/caf_admpop_adm2_2015_v2.csv"), format: .codPS, year: nil,
                into: fixture.operation, now: Date())
            #expect(cod.stored.added == 72 && cod.read.merged.count == 1)
            let bangui = try #require(
                try await (app.db as! any SQLDatabase).select().columns("total", "breakdown", "year", "population_type")
                    .from("population_figures").where("location_code", .equal, "CF711").first())
            #expect(try bangui.decode(column: "total", as: Int64.self) == 839_081)
            #expect(try bangui.decode(column: "year", as: Int.self) == 2015)
            #expect(
                try bangui.decode(column: "breakdown", as: String.self)
                    == #"[["T_TF",427931],["T_TM",411150],["Enfants_00_18",422897],["Adultes_19_59",387655],["Agees_60plus",28528]]"#
            )
        }
    }

    @Test(
        "a key listed twice, in the same batch or a later one, is stored once with the last value and reported",
        arguments: TestDatabases.kinds)
    func listedTwice(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            func figure(_ key: String, _ total: Int64) -> PopulationFigure {
                PopulationFigure(
                    dataset: "twice", key: key, source: .government, populationType: .idps,
                    location: FigureLocation(kind: .place, code: key, name: key), year: 2026, total: total)
            }
            // Two batches of the store's size and more, handed over 300 at a time: k1 twice in the first batch (the second
            // before the first is written), k2 in the first and again in the last with another value, k3 the same twice.
            var figures = (0..<(PopulationStore.batchSize * 2 + 10)).map { figure("k\($0)", 100) }
            figures.insert(figure("k1", 111), at: 5)
            figures.append(figure("k2", 222))
            figures.append(figure("k3", 100))
            let store = PopulationStore(app.db)
            let batches = stride(from: 0, to: figures.count, by: 300).map {
                Array(figures[$0..<min($0 + 300, figures.count)])
            }
            let result = try await store.importFigures(into: fixture.operation.id, dataset: "twice", now: Date()) {
                sink in
                for batch in batches { try await sink(batch) }
            }
            #expect(result.added == PopulationStore.batchSize * 2 + 10)
            #expect(result.duplicatesInFile == 3 && result.updated == 1 && result.unchanged == 1)
            let stored = try await store.figures(in: fixture.operation.id, .init(dataset: "twice"), limit: 5_000)
            #expect(stored.count == PopulationStore.batchSize * 2 + 10)
            let totals = Dictionary(uniqueKeysWithValues: stored.map { ($0.figure.key, $0.figure.total) })
            #expect(totals["k1"] == 111 && totals["k2"] == 222 && totals["k3"] == 100 && totals["k4"] == 100)
            let lastThree = Array(figures.suffix(3))
            let again = try await store.importFigures(into: fixture.operation.id, dataset: "twice", now: Date()) {
                sink in try await sink(lastThree)
            }
            #expect(
                again.unchanged == 3 && again.added == 0 && again.updated == 0 && again.duplicatesInFile == 0,
                "k1009, k2 (222) and k3 as stored")
            // The import that changed figures is in the audit log, by whom and how much; the one that changed nothing is not.
            let actor = fixture.users[.migrationCoordinator]!.id
            let changed = figure("k7", 7)
            _ = try await store.importFigures(into: fixture.operation.id, dataset: "twice", actorID: actor, now: Date())
            { sink in try await sink([changed]) }
            let audit = try await (app.db as! any SQLDatabase).raw(
                "SELECT actor_id, action, changes FROM audit_log WHERE record_kind = \(bind: PopulationStore.auditKind) AND record_id = 'twice' ORDER BY sequence"
            )
            .all().map {
                (
                    try $0.decode(column: "actor_id", as: String?.self),
                    try $0.decode(column: "action", as: String.self), try $0.decode(column: "changes", as: String.self)
                )
            }
            #expect(audit.count == 2)
            #expect(audit.first?.1 == "create" && audit.first?.2.contains("\"1010\"") == true, "\(audit)")
            #expect(
                audit.last?.0 == actor.uuidString && audit.last?.1 == "update"
                    && audit.last?.2.contains("updated") == true)
        }
    }

    /// A file in a temporary folder, removed by the caller's `defer`.
    func file(_ name: String, _ text: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test(
        "DTM API v3 JSON and its CSV (with HDX's HXL row) import the same figures; bad records are refused with their reason",
        arguments: TestDatabases.kinds)
    func dtm(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "bearing-dtm-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            // Synthetic records in DTM's shape (DTM's data may not be redistributed).
            let json = try file(
                "dtm.json",
                """
                {"result": [
                 {"id": 1, "operation": "Sudan crisis", "admin0Name": "Sudan", "admin0Pcode": "SDN", "admin1Name": "North Darfur", "admin1Pcode": "SD02",
                  "admin2Name": null, "admin2Pcode": null, "numPresentIdpInd": 1068882.0, "reportingDate": "2025-06-30T00:00:00", "roundNumber": 18,
                  "displacementReason": "Conflict; insecurity", "numberMales": 500000, "numberFemales": 560000, "assessmentType": "BA",
                  "idpOriginAdmin1Name": "Not available"},
                 {"id": 2, "operation": "Sudan crisis", "admin0Name": "Sudan", "admin0Pcode": "SDN", "admin1Name": "Khartoum", "admin1Pcode": "SD01",
                  "admin2Name": "Jebel Awlia", "admin2Pcode": "SD01001", "numPresentIdpInd": 2300, "reportingDate": "2025-06-30T00:00:00",
                  "roundNumber": 18, "displacementReason": "Conflict", "numberMales": null, "numberFemales": null, "assessmentType": "ETT"},
                 {"id": 3, "operation": "Sudan crisis", "admin0Pcode": "SDN", "admin1Pcode": "SD03", "numPresentIdpInd": "many",
                  "reportingDate": "2025-06-30T00:00:00", "roundNumber": 18, "assessmentType": "BA"},
                 {"id": 4, "operation": "Sudan crisis", "admin0Pcode": "SDN", "admin1Pcode": "SD04", "numPresentIdpInd": 100,
                  "numberMales": 80, "numberFemales": 70, "reportingDate": "2025-06-30T00:00:00", "roundNumber": 18, "assessmentType": "BA"},
                 {"id": 5, "operation": "Sudan crisis", "admin0Pcode": "SDN", "admin1Pcode": "SD05", "numPresentIdpInd": 100,
                  "reportingDate": "2025-02-30T00:00:00", "roundNumber": 18, "assessmentType": "BA"}
                ], "statusCode": 200, "isSuccess": true, "errorMessages": [], "totalRecordsCount": 5}
                """, in: folder)
            let service = PopulationImportService(database: app.db)
            let first = try await service.importFile(
                json, format: .dtm, year: nil, into: fixture.operation, now: Date())
            #expect(first.stored.added == 2 && first.read.rejectedRows == 3)
            let lines = first.lines.joined(separator: "\n")
            #expect(lines.contains("row 3, numPresentIdpInd: rejected: record 3: “many” is not a count of people."))
            #expect(
                lines.contains(
                    "row 4, numberMales: rejected: record 4: Men and women (150) are more than the IDPs counted (100).")
            )
            #expect(lines.contains("row 5, reportingDate: rejected: record 5: “2025-02-30T00:00:00” is not a date."))

            // The same two records as HDX's CSV: nothing new.
            let csv = try file(
                "dtm.csv",
                """
                id,operation,admin0Name,admin0Pcode,admin1Name,admin1Pcode,admin2Name,admin2Pcode,adminLevel,numPresentIdpInd,reportingDate,roundNumber,displacementReason,numberMales,numberFemales,assessmentType
                #id+code,#operation+name,#country+name,#country+code,#adm1+name,#adm1+code,#adm2+name,#adm2+code,#adm+level,#affected+idps,#date+reported,#round+code,#cause+type,#affected+idps+m,#affected+idps+f,#assessment+type
                1,Sudan crisis,Sudan,SDN,North Darfur,SD02,,,1,1068882,2025-06-30T00:00:00,18,Insecurity;Conflict,500000,560000,BA
                2,Sudan crisis,Sudan,SDN,Khartoum,SD01,Jebel Awlia,SD01001,2,2300,2025-06-30T00:00:00,18,Conflict,,,ETT
                """, in: folder)
            let again = try await service.importFile(csv, format: .dtm, year: nil, into: fixture.operation, now: Date())
            #expect(
                again.read.rowsRead == 2 && again.stored.unchanged == 2 && again.stored.added == 0, "\(again.lines)")
            let stats = try await PopulationStore(app.db).stats(
                in: fixture.operation.id, by: .yearAsylum, types: [.idps], dataset: "dtm")
            #expect(stats.map { "\($0.year) \($0.country ?? "") \($0.totals[.idps] ?? 0)" } == ["2025 SDN 1071182"])
        }
    }

    @Test(
        "an HXL file, wide (a column per type) or long (#population_group+code), imports by hashtag; bad rows are refused",
        arguments: [TestDatabases.Kind.sqlite])
    func hxl(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "bearing-hxl-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let wide = try file(
                "partner_figures.csv",
                """
                Figures shared by a partner
                State,P-code,Date,IDPs,IDP women,IDP men,Refugees,Source
                #adm1+name,#adm1+code,#date+reported,#affected+idps+ind,#affected+idps+f,#affected+idps+m,#population+refugees,#meta+source
                Khartoum,SD01,2025-05-31,"12,000",6500,5500,300,Ministry of Social Development
                Gedaref,SD12,2025-05-31,8000,4000,4500,,Ministry of Social Development
                Kassala,SD11,5,100,,,,Ministry of Social Development
                Sennar,SD14,2025-05-31,n/a,,,,Ministry of Social Development
                """, in: folder)
            let service = PopulationImportService(database: app.db)
            let report = try await service.importFile(
                wide, format: .hxl, year: nil, into: fixture.operation, now: Date())
            let lines = report.lines.joined(separator: "\n")
            #expect(report.stored.added == 2 && report.read.rejectedRows == 3, "\(lines)")
            #expect(
                lines.contains("row 5, IDP: rejected: The breakdown by sex (8500) is larger than the total (8000)."))
            #expect(
                lines.contains("“5” is not a date (YYYY-MM-DD); a year or month number alone does not say the day."))
            #expect(lines.contains("row 7, #affected+idps+ind: rejected: “n/a” is not a count of people."))
            let stats = try await PopulationStore(app.db).stats(
                in: fixture.operation.id, by: .year, types: [.idps, .refugees], dataset: "partner_figures")
            #expect(stats.first?.totals == [.idps: 12_000, .refugees: 300])

            let long = try file(
                "long.csv",
                """
                #country+code,#country+code+origin,#date,#population_group+code,#population+ind,#population+f,#population+m
                TCD,SDN,2025-12-31,REF,1000,600,400
                TCD,SDN,2025-12-31,ASY,50,,
                TCD,SDN,2025-12-31,XYZ,5,,
                """, in: folder)
            let longReport = try await service.importFile(
                long, format: .hxl, year: nil, into: fixture.operation, now: Date())
            #expect(longReport.stored.added == 2 && longReport.read.rejectedRows == 1)
            let byOrigin = try await PopulationStore(app.db).stats(
                in: fixture.operation.id, by: .yearOrigin, types: [.refugees, .asylumSeekers], dataset: "long")
            #expect(
                byOrigin.map {
                    "\($0.year) \($0.country ?? "") \($0.totals[.refugees] ?? 0) \($0.totals[.asylumSeekers] ?? 0)"
                } == ["2025 SDN 1000 50"])
            await #expect(throws: SourceFileError.self) {
                try await service.importFile(
                    try file("plain.csv", "a,b\n1,2\n", in: folder), format: .hxl, year: nil, into: fixture.operation,
                    now: Date())
            }
        }
    }
}
