import Domain
import FluentKit
import Foundation
import SQLKit
import StoreTestSupport
import Testing

@testable import Persistence

@Suite("Flow tallies in the database")
struct FlowStoreTests {
    @Test(
        "whether a reader sees any flow-monitoring point: exactly when the list of points is not empty, for every role",
        arguments: TestDatabases.kinds)
    func hasPoints(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let store = FlowStore(db)
            func agree(_ what: String) async throws -> [Role: Bool] {
                var seen: [Role: Bool] = [:]
                for (role, user) in fixture.users {
                    guard
                        let scope = AccessPolicy.scope(
                            in: fixture.operation.id, for: try await fixture.viewer(db, user))
                    else { continue }
                    let has = try await store.hasPoints(in: scope)
                    #expect(has == !(try await store.points(in: scope)).isEmpty, "\(what), \(role)")
                    seen[role] = has
                }
                return seen
            }
            #expect(try await agree("no site").values.allSatisfy { !$0 })
            // A point its creator alone may see: seen by some, not by others.
            let creator = fixture.users[.nationalSocietyFocalPoint]!
            _ = try await SiteStore(db).create(
                try SiteDraft(
                    name: "FMP hidden", type: .flowMonitoringPoint, latitude: 12, longitude: 32,
                    audience: .restricted
                ).validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: creator.id, now: Date())
            let restricted = try await agree("a restricted point")
            #expect(restricted[.nationalSocietyFocalPoint] == true && restricted[.partner] == false)
            // An office no one described as a point is none; described, it is one for everyone who sees it.
            let coordinator = fixture.users[.migrationCoordinator]!
            let office = try await SiteStore(db).create(
                try SiteDraft(name: "Office", type: .office, latitude: 12, longitude: 32, audience: .public)
                    .validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: coordinator.id, now: Date())
            #expect(try await agree("an office").filter(\.value).count == restricted.filter(\.value).count)
            let scope = try #require(
                AccessPolicy.scope(in: fixture.operation.id, for: try await fixture.viewer(db, coordinator)))
            try await store.setProfile(
                FlowPointProfile(
                    pointType: .borderCrossing, movements: [.incoming], operatingHours: "", transportModes: []),
                of: office.id, scope: scope, actorID: coordinator.id, now: Date())
            #expect(try await agree("an office described as a point").values.allSatisfy { $0 })
        }
    }

    /// The fixture's migration coordinator, a flow-monitoring point, and the coordinator's scope.
    func setUp(_ db: any Database) async throws -> (coordinator: UserRecord, point: SiteRecord, scope: Scope) {
        let fixture = try await StoreFixture.make(db)
        let coordinator = fixture.users[.migrationCoordinator]!
        let point = try await SiteStore(db).create(
            try SiteDraft(
                name: "FMP Joda", type: .flowMonitoringPoint, latitude: 11.9, longitude: 32.7,
                audience: .ifrcAndNationalSociety
            ).validated(),
            areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: coordinator.id, now: Date())
        let scope = try #require(
            AccessPolicy.scope(
                in: fixture.operation.id, for: try await fixture.viewer(db, coordinator)))
        return (coordinator, point, scope)
    }

    @Test(
        """
        sex × age and vulnerabilities are summed from their columns; migration 0026 fills them from the JSON \
        of tallies recorded before
        """, arguments: TestDatabases.kinds)
    func countColumns(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let (coordinator, point, scope) = try await setUp(db)
            let store = FlowStore(db)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            _ = try await store.record(
                try FlowObservationDraft(
                    pointID: point.id, windowStart: start, windowEnd: start.addingTimeInterval(3600),
                    direction: .incoming,
                    total: 30, scheme: .unhcr, bins: ["f_0_4": 4, "m_60": 2, "f_other": 1],
                    vulnerable: [.unaccompaniedOrSeparatedChildren: 3, .traffickingRisk: 1]
                ).validated(now: start),
                scope: scope, actorID: coordinator.id, now: start)
            _ = try await store.record(
                try FlowObservationDraft(
                    pointID: point.id, windowStart: start, windowEnd: start.addingTimeInterval(3600),
                    direction: .outgoing,
                    total: 20, scheme: .sex, bins: ["f": 12, "m": 8],
                    vulnerable: [.unaccompaniedOrSeparatedChildren: 5]
                ).validated(now: start),
                scope: scope, actorID: coordinator.id, now: start)
            let selection = FlowStore.Selection(from: start.addingTimeInterval(-60), to: start.addingTimeInterval(60))
            func check() async throws {
                let profile = try await store.profile(in: scope, selection)
                #expect(profile.bins == ["f_0_4": 4, "m_60": 2, "f_other": 1], "only UNHCR's bins make the pyramid")
                #expect(profile.disaggregatedPeople == 30 && profile.people == 50)
                #expect(profile.vulnerable == [.unaccompaniedOrSeparatedChildren: 8, .traffickingRisk: 1])
                // Every count column of the tallies themselves, as the JSON says.
                var query = db.sql.select().from("flow_observations")
                for column in AddFlowCountColumns.columns.map(\.column) {
                    query = query.column(SQLRaw("CAST(SUM(\(column)) AS BIGINT)"), as: column)
                }
                let row = try #require(try await query.first())
                let expected = [
                    "c_f_0_4": 4, "c_m_60": 2, "c_f_other": 1, "c_f": 12, "c_m": 8, "v_uasc": 8,
                    "v_trafficking_risk": 1,
                ]
                for column in AddFlowCountColumns.columns.map(\.column) {
                    #expect(try row.decode(column: column, as: Int.self) == expected[column, default: 0], "\(column)")
                }
            }
            try await check()
            // As if the tallies were recorded before 0026: the columns gone, then added back and filled from the JSON.
            let migration = AddFlowCountColumns()
            // On one connection, as the migrator runs them (SQLite's other pooled connections may still hold the
            // old schema).
            try await db.withConnection { connection in
                try await migration.revert(on: connection)
                try await migration.prepare(on: connection)
            }
            try await check()
        }
    }

    @Test(
        "the export reads every tally once, batch after batch, in window order, ties broken by id",
        arguments: TestDatabases.kinds)
    func keysetBatches(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let (coordinator, point, scope) = try await setUp(db)
            let store = FlowStore(db)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            var ids: [FlowObservationID] = []
            // Seven tallies over three windows: several share a window_start, so the id decides.
            for i in 0..<7 {
                let at = start.addingTimeInterval(Double(i % 3) * 3600)
                let draft = try FlowObservationDraft(
                    pointID: point.id, windowStart: at, windowEnd: at.addingTimeInterval(600), direction: .incoming,
                    total: i + 1
                ).validated(now: start.addingTimeInterval(86_400))
                ids.append(try await store.record(draft, scope: scope, actorID: coordinator.id, now: Date()).id)
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
                #expect(
                    a.id.uuidString.lowercased() > b.id.uuidString.lowercased() || kind == .sqlite,
                    "ties by id, descending")
            }
        }
    }

    @Test(
        """
        the per-day summaries follow every tally recorded and corrected; migration 0027 builds the same \
        from the tallies
        """, arguments: TestDatabases.kinds)
    func summaries(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let (coordinator, point, scope) = try await setUp(db)
            let store = FlowStore(db)
            let day = AnalysisPeriods.calendar.startOfDay(for: Date(timeIntervalSince1970: 1_790_000_000))
            func tally(
                _ total: Int, hour: Double, from country: String?, to destination: String?, bins: [String: Int] = [:]
            ) throws -> FlowObservationDraft {
                try FlowObservationDraft(
                    pointID: point.id, windowStart: day.addingTimeInterval(hour * 3600),
                    windowEnd: day.addingTimeInterval(hour * 3600 + 600), direction: .incoming, total: total,
                    scheme: bins.isEmpty ? .notDisaggregated : .unhcr, bins: bins,
                    originCountry: country, finalDestination: destination
                ).validated(now: day.addingTimeInterval(86_400 * 2))
            }
            _ = try await store.record(
                try tally(10, hour: 6, from: "SSD", to: "Kosti", bins: ["f_18_59": 4]),
                scope: scope, actorID: coordinator.id, now: Date())
            _ = try await store.record(
                try tally(5, hour: 8, from: "SSD", to: "Kosti"),
                scope: scope, actorID: coordinator.id, now: Date())
            // The next day, one tally without origin or destination.
            let next = try await store.record(
                try tally(7, hour: 30, from: nil, to: nil),
                scope: scope, actorID: coordinator.id, now: Date())
            let both = FlowStore.Selection(from: day, to: day.addingTimeInterval(2 * 86_400))
            func state() async throws -> (daily: [String], routes: [String], profile: String) {
                let daily = try await store.daily(in: scope, both)
                    .map { "\($0.day) \($0.direction.rawValue) \($0.total)" }.sorted()
                let routes = try await store.movements(in: scope, both)
                    .map { "\($0.originCountry ?? "–")→\($0.destination ?? "–") \($0.total)" }.sorted()
                let p = try await store.profile(in: scope, both)
                return (daily, routes, "\(p.people) \(p.disaggregatedPeople) \(p.bins)")
            }
            let first = try await state()
            #expect(
                first.daily == [
                    "\(DateText.day(day)) incoming 15",
                    "\(DateText.day(day.addingTimeInterval(86_400))) incoming 7",
                ])
            #expect(first.routes == ["SSD→Kosti 15", "–→– 7"])
            #expect(first.profile == "22 10 [\"f_18_59\": 4]")
            #expect(
                try await store.originDestination(in: scope, both)
                    .map { "\($0.origin)→\($0.destination) \($0.total)" }.sorted() == ["?→? 7", "SSD→Kosti 15"])
            // Corrected from a file: the next day's tally now has 9 people from Ethiopia; the old route is gone.
            let outcome = try await store.importTally(
                try tally(9, hour: 30, from: "ETH", to: "Gedaref"), id: next.id, scope: scope, actorID: coordinator.id,
                now: Date())
            #expect(outcome == .updated)
            let corrected = try await state()
            #expect(
                corrected.daily == [
                    "\(DateText.day(day)) incoming 15",
                    "\(DateText.day(day.addingTimeInterval(86_400))) incoming 9",
                ])
            #expect(corrected.routes == ["ETH→Gedaref 9", "SSD→Kosti 15"])
            #expect(corrected.profile == "24 10 [\"f_18_59\": 4]")
            // The summaries built from the tallies, as for a database that had tallies before 0027, are the same.
            let migration = CreateFlowSummaries()
            try await db.withConnection { connection in
                try await migration.revert(on: connection)
                try await migration.prepare(on: connection)
            }
            let rebuilt = try await state()
            #expect(
                rebuilt.daily == corrected.daily && rebuilt.routes == corrected.routes
                    && rebuilt.profile == corrected.profile)
            // And again by `bearing maintenance rebuild-flow-summaries`, over rows spoilt by hand.
            try await db.sql.raw("UPDATE flow_daily SET people = 0").run()
            try await store.rebuildSummaries()
            let repaired = try await state()
            #expect(
                repaired.daily == corrected.daily && repaired.routes == corrected.routes
                    && repaired.profile == corrected.profile)
        }
    }
}
