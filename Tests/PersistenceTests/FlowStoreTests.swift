import Domain
import Fluent
import Foundation
@testable import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@Suite("Flow tallies in the database")
struct FlowStoreTests {
    @Test("sex × age and vulnerabilities are summed from their columns; migration 0026 fills them from the JSON of tallies recorded before",
          arguments: TestDatabases.kinds)
    func countColumns(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = fixture.users[.migrationCoordinator]!
            let point = try await SiteStore(app.db).create(
                try SiteDraft(name: "FMP Joda", type: .flowMonitoringPoint, latitude: 11.9, longitude: 32.7, audience: .ifrcAndNationalSociety).validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: coordinator.id)
            let scope = try #require(AccessPolicy.scope(in: fixture.operation.id.uuidString, for: try await fixture.viewer(app, coordinator)))
            let store = FlowStore(app.db)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            _ = try await store.record(try FlowObservationDraft(
                pointID: point.id, windowStart: start, windowEnd: start.addingTimeInterval(3600), direction: .incoming, total: 30, scheme: .unhcr,
                bins: ["f_0_4": 4, "m_60": 2, "f_other": 1], vulnerable: [.unaccompaniedOrSeparatedChildren: 3, .traffickingRisk: 1]).validated(now: start),
                scope: scope, actorID: coordinator.id, now: start)
            _ = try await store.record(try FlowObservationDraft(
                pointID: point.id, windowStart: start, windowEnd: start.addingTimeInterval(3600), direction: .outgoing, total: 20, scheme: .sex,
                bins: ["f": 12, "m": 8], vulnerable: [.unaccompaniedOrSeparatedChildren: 5]).validated(now: start),
                scope: scope, actorID: coordinator.id, now: start)
            let selection = FlowStore.Selection(from: start.addingTimeInterval(-60), to: start.addingTimeInterval(60))
            func check() async throws {
                let profile = try await store.profile(in: scope, selection)
                #expect(profile.bins == ["f_0_4": 4, "m_60": 2, "f_other": 1], "only UNHCR's bins make the pyramid")
                #expect(profile.disaggregatedPeople == 30 && profile.people == 50)
                #expect(profile.vulnerable == [.unaccompaniedOrSeparatedChildren: 8, .traffickingRisk: 1])
                let row = try #require(try await app.db.sql.select().column(SQLRaw("CAST(SUM(c_f) AS BIGINT) AS f")).column(SQLRaw("CAST(SUM(c_m_60) AS BIGINT) AS m60"))
                    .from("flow_observations").first())
                #expect(try row.decode(column: "f", as: Int.self) == 12 && row.decode(column: "m60", as: Int.self) == 2)
            }
            try await check()
            // As if the tallies were recorded before 0026: the columns gone, then added back and filled from the JSON.
            let migration = AddFlowCountColumns()
            // On one connection, as the migrator runs them (SQLite's other pooled connections may still hold the old schema).
            try await app.db.withConnection { connection in
                try await migration.revert(on: connection)
                try await migration.prepare(on: connection)
            }
            try await check()
        }
    }

    @Test("the export reads every tally once, batch after batch, in window order, ties broken by id", arguments: TestDatabases.kinds)
    func keysetBatches(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = fixture.users[.migrationCoordinator]!
            let point = try await SiteStore(app.db).create(
                try SiteDraft(name: "FMP Joda", type: .flowMonitoringPoint, latitude: 11.9, longitude: 32.7, audience: .ifrcAndNationalSociety).validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: coordinator.id)
            let scope = try #require(AccessPolicy.scope(in: fixture.operation.id.uuidString, for: try await fixture.viewer(app, coordinator)))
            let store = FlowStore(app.db)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            var ids: [UUID] = []
            // Seven tallies over three windows: several share a window_start, so the id decides.
            for i in 0..<7 {
                let at = start.addingTimeInterval(Double(i % 3) * 3600)
                ids.append(try await store.record(try FlowObservationDraft(pointID: point.id, windowStart: at, windowEnd: at.addingTimeInterval(600),
                                                                           direction: .incoming, total: i + 1).validated(now: start.addingTimeInterval(86_400)),
                                                  scope: scope, actorID: coordinator.id).id)
            }
            var read: [FlowObservationRecord] = []
            while true {
                let batch = try await store.batch(in: scope, point: nil, after: read.last, limit: 2)
                read += batch
                if batch.count < 2 { break }
            }
            #expect(read.count == 7 && Set(read.map(\.id)) == Set(ids), "each tally once")
            let starts = read.map(\.draft.windowStart)
            #expect(starts == starts.sorted(by: >), "newest window first")
            for (a, b) in zip(read, read.dropFirst()) where a.draft.windowStart == b.draft.windowStart {
                #expect(a.id.uuidString.lowercased() > b.id.uuidString.lowercased() || kind == .sqlite, "ties by id, descending")
            }
        }
    }
}
