import Domain
import Fluent
import Foundation
import Interop
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

// Moved from PersistenceTests: these import through the app's `BoundaryImportService`, not a store.
@Suite(
    "Boundary import with real COD-AB data",
    .enabled(if: SharedData.isAvailable, "../shared/data is not beside the repository"))
struct BoundaryImportTests {
    @Test(
        "Sudan admin 0, 1 and 2 import as 1 / 19 / 189 areas with parents and Arabic names",
        arguments: TestDatabases.kinds)
    func sudan(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            for level in 0...2 {
                let outcome = try await importFile(app, "boundaries/sdn/sdn_admin\(level).geojson", fixture.operation)
                #expect(outcome.imported, "admin \(level): \(outcome.report.problems.map(\.description))")
            }
            let areas = AreaStore(app.db)
            #expect(try await areas.countsByLevel(operationID: fixture.operation.id) == [0: 1, 1: 19, 2: 189])
            let states = Set(try await areas.list(operationID: fixture.operation.id, level: 1).items.map(\.pcode))
            let localities = try await areas.list(operationID: fixture.operation.id, level: 2).items
            #expect(localities.allSatisfy { $0.parentPcode.map(states.contains) == true })
            let kassala = try #require(try await areas.find(operationID: fixture.operation.id, pcode: "SD11"))
            #expect(kassala.name == "Kassala")
            #expect(kassala.name(in: "ar") == "كسلا")
            // Importing the same file again updates in place; nothing is duplicated.
            let again = try await importFile(app, "boundaries/sdn/sdn_admin1.geojson", fixture.operation)
            #expect(again.stored?.updated == 19 && again.stored?.inserted == 0)
            #expect(try await areas.countsByLevel(operationID: fixture.operation.id) == [0: 1, 1: 19, 2: 189])
        }
    }

    @Test(
        "Natural Earth is refused whole because Sudan's polygon intersects itself; nothing is stored",
        arguments: TestDatabases.kinds)
    func naturalEarth(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let outcome = try await importFile(
                app, "boundaries/naturalearth/ne_110m_admin_0_countries.geojson", fixture.operation)
            #expect(!outcome.imported)
            #expect(outcome.report.featuresPerLevel == [0: 177])
            let invalid = outcome.report.problems.filter { $0.kind == .invalidGeometry }
            #expect(invalid.map(\.featureName) == ["Sudan"])
            #expect(try await AreaStore(app.db).countsByLevel(operationID: fixture.operation.id).isEmpty)
        }
    }

    @Test("a locality file before its states is refused with every orphan named", arguments: TestDatabases.kinds)
    func orphans(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let outcome = try await importFile(app, "boundaries/sdn/sdn_admin2.geojson", fixture.operation)
            #expect(!outcome.imported)
            #expect(outcome.report.problems.filter { $0.kind == .orphanParent }.count == 189)
            #expect(try await AreaStore(app.db).countsByLevel(operationID: fixture.operation.id).isEmpty)
        }
    }

    func importFile(
        _ app: Application, _ path: String, _ operation: OperationRecord
    ) async throws -> BoundaryImportService.Outcome {
        let fresh = try await OperationStore(app.db).find(id: operation.id)!
        return try await BoundaryImportService(database: app.db).importFile(
            try SharedData.data(path), level: nil, into: fresh, actorID: nil, viewer: nil, maxBytes: 50_000_000,
            now: Date())
    }
}
