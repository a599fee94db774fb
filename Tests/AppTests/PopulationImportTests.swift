@testable import App
import Domain
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@Suite("Population figures in the database", .enabled(if: SharedData.isAvailable, "needs ../shared/data"))
struct PopulationImportTests {
    @Test("a re-import updates what changed, keeps what did not, and sets a figure back to zero; the breakdown keeps the source's labels",
          arguments: TestDatabases.kinds)
    func reimport(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let service = PopulationImportService(database: app.db)
            let demographics = SharedData.url("unhcr/unhcr_demographics.csv")
            let first = try await service.importFile(demographics, format: .unhcrDemographics, year: nil, into: fixture.operation)
            #expect(first.stored.added == 20_771 && first.read.rejectedRows == 0)
            #expect(try await service.importFile(demographics, format: .unhcrDemographics, year: nil, into: fixture.operation).stored.unchanged == 20_771)

            // A file with two of the rows changed: one count revised, one set to zero.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-pop-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let header = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst"
            let url = folder.appendingPathComponent("unhcr_population.csv")
            try "\(header)\n2024,Sudan,SUD,SDN,Chad,CHD,TCD,1000,20,0,0,0,0,0,,0\n".write(to: url, atomically: true, encoding: .utf8)
            #expect(try await service.importFile(url, format: .unhcrPopulation, year: nil, into: fixture.operation).stored.added == 2)
            try "\(header)\n2024,Sudan,SUD,SDN,Chad,CHD,TCD,1200,0,0,0,0,0,0,,0\n".write(to: url, atomically: true, encoding: .utf8)
            let revised = try await service.importFile(url, format: .unhcrPopulation, year: nil, into: fixture.operation)
            #expect(revised.stored.updated == 2 && revised.stored.added == 0 && revised.stored.zerosSkipped == 6)
            let stats = try await PopulationStore(app.db).stats(in: fixture.operation.id, by: .yearOrigin, types: [.refugees, .asylumSeekers],
                                                                 dataset: "unhcr_population")
            #expect(stats.map { "\($0.year) \($0.country ?? "") \($0.totals[.refugees] ?? -1) \($0.totals[.asylumSeekers] ?? -1)" } == ["2024 SDN 1200 0"])

            // The COD-PS breakdown, with its own labels and Bangui's two rows added together.
            let cod = try await service.importFile(SharedData.url("population/caf_admpop_adm2_2015_v2.csv"), format: .codPS, year: nil,
                                                   into: fixture.operation)
            #expect(cod.stored.added == 72 && cod.read.merged.count == 1)
            let bangui = try #require(try await (app.db as! any SQLDatabase).select().columns("total", "breakdown", "year", "population_type")
                .from("population_figures").where("location_code", .equal, "CF711").first())
            #expect(try bangui.decode(column: "total", as: Int64.self) == 839_081)
            #expect(try bangui.decode(column: "year", as: Int.self) == 2015)
            #expect(try bangui.decode(column: "breakdown", as: String.self)
                    == #"[["T_TF",427931],["T_TM",411150],["Enfants_00_18",422897],["Adultes_19_59",387655],["Agees_60plus",28528]]"#)
        }
    }
}
