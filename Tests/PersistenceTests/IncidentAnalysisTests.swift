import Domain
import FluentKit
import Foundation
import Interop
import Persistence
import SQLKit
import StoreTestSupport
import TestFiles
import Testing

@Suite("Incident counts for analysis")
struct IncidentAnalysisTests {
    func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    /// The AWSD export for Afghanistan, August 2025, as context events.
    func afghanistanEvents() async throws -> [ContextEvent] {
        var events: [ContextEvent] = []
        let file = try #require(SharedDataFolder.url).appendingPathComponent("awsd/awsd_2025-08_afghanistan.csv")
        _ = try await AWSDReader.read(contentsOf: file) { events.append($0) }
        return events
    }

    @Test("weekly and monthly counts by category, through the viewer's scope", arguments: TestDatabases.kinds)
    func own(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let coordinator = fixture.users[.securityCoordinator]!
            let store = IncidentStore(db)
            let now = date("2026-11-25T12:00:00Z")
            for (when, category, audience) in [
                ("2026-11-16T10:00:00Z", IncidentCategory.crime, AudienceLevel.ifrcOnly),  // Monday
                ("2026-11-22T23:00:00Z", .crime, .ifrcOnly),  // Sunday, same week
                ("2026-11-23T00:30:00Z", .crime, .ifrcOnly),  // next Monday
                ("2026-11-23T08:00:00Z", .vehicleAccident, .ifrcOnly),
                ("2026-10-31T23:59:00Z", .crime, .ifrcOnly),  // October
                ("2026-11-24T08:00:00Z", .crime, .restricted),  // not for staff
            ] {
                let draft = try IncidentDraft(
                    title: "t", category: category, occurredAt: date(when), areaPcode: "SD01", audience: audience
                ).validated(now: now)
                _ = try await store.create(
                    draft, reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id, now: now)
            }
            let analysis = IncidentAnalysisStore(db)
            let filter = IncidentFilter(
                from: date("2026-10-01T00:00:00Z"), to: date("2026-12-01T00:00:00Z"), sources: ["own"])
            let staffScope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(db, fixture.users[.staff]!)))
            let weekly = try await analysis.counts(in: staffScope, filter: filter, by: .week).counts
            func table(_ counts: [IncidentAnalysisStore.Count]) -> [String: Int] {
                Dictionary(uniqueKeysWithValues: counts.map { ("\($0.bucket) \($0.category.rawValue)", $0.count) })
            }
            #expect(
                table(weekly) == [
                    "2026-10-26 crime": 1, "2026-11-16 crime": 2, "2026-11-23 crime": 1,
                    "2026-11-23 vehicle_accident": 1,
                ])
            let monthly = try await analysis.counts(in: staffScope, filter: filter, by: .month).counts
            #expect(table(monthly) == ["2026-10 crime": 1, "2026-11 crime": 3, "2026-11 vehicle_accident": 1])
            // The security coordinator also counts the restricted one; a category filter narrows.
            let securityScope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(db, coordinator)))
            var crimes = filter
            crimes.categories = [.crime]
            #expect(
                table(try await analysis.counts(in: securityScope, filter: crimes, by: .month).counts)
                    == ["2026-10 crime": 1, "2026-11 crime": 4])
        }
    }

    @Test(
        "context events count beside own ones; dates coarser than the period are left out, and said so",
        .enabled(if: SharedDataFolder.url != nil, "../shared/data not found"), arguments: TestDatabases.kinds)
    func context(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let events = try await afghanistanEvents()
            _ = try await ContextEventStore(db).importEvents(
                events, source: .awsd, into: fixture.operation.id, actorID: nil, now: Date())
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(db, fixture.users[.partner]!)))
            let filter = IncidentFilter(
                from: date("1997-01-01T00:00:00Z"), to: date("2026-01-01T00:00:00Z"), sources: ["awsd"])
            let monthly = try await IncidentAnalysisStore(db).counts(in: scope, filter: filter, by: .month)
            // Expected from the file itself: events known to the month or day, by month.
            var expected: [String: Int] = [:]
            for event in events where event.timePrecision != .year {
                let key = String(format: "%04d-%02d", event.occurredOn.year!, event.occurredOn.month!)
                expected[key, default: 0] += 1
            }
            var got: [String: Int] = [:]
            for count in monthly.counts { got[count.bucket, default: 0] += count.count }
            #expect(got == expected)
            #expect(monthly.leftOut == events.filter { $0.timePrecision == .year }.count)
            #expect(monthly.counts.allSatisfy { $0.origin == "awsd" })
            let weekly = try await IncidentAnalysisStore(db).counts(in: scope, filter: filter, by: .week)
            #expect(weekly.leftOut == events.filter { $0.timePrecision == .year || $0.timePrecision == .month }.count)
        }
    }

    @Test(
        "map squares add up to the located events at every size; events a later import dropped are not counted",
        .enabled(if: SharedDataFolder.url != nil, "../shared/data not found"), arguments: TestDatabases.kinds)
    func squaresAndMissing(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let events = try await afghanistanEvents()
            _ = try await ContextEventStore(db).importEvents(
                events, source: .awsd, into: fixture.operation.id, actorID: nil, now: Date())
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(db, fixture.users[.partner]!)))
            let map = IncidentMapStore(db)
            let all = IncidentFilter()
            let (located, unlocated) = try await map.counts(in: scope, filter: all)
            #expect(located == events.filter { $0.latitude != nil }.count && located + unlocated == 617)
            for size: Double in [0.25, 1, 4] {
                let squares = try await map.squares(in: scope, filter: all, size: size)
                #expect(squares.reduce(0) { $0 + $1.count } == located, "squares of \(size)°")
            }
            #expect(
                try await map.squares(in: scope, filter: all, size: 4).count
                    < (try await map.squares(in: scope, filter: all, size: 0.25).count))
            #expect(try await map.points(in: scope, filter: all).count == located)
            // A newer export without the 2024 events: they are kept, marked missing, and no longer counted.
            let stats = IncidentAnalysisStore(db)
            let before = try await stats.stats(in: scope, filter: all, by: .year, defaultCountry: nil)
            let kept = events.filter { $0.occurredOn.year != 2024 }
            let result = try await ContextEventStore(db).importEvents(
                kept, source: .awsd, into: fixture.operation.id, actorID: nil, now: Date())
            #expect(result.disappeared == events.count - kept.count && result.disappeared > 0)
            let after = try await stats.stats(in: scope, filter: all, by: .year, defaultCountry: nil)
            #expect(before.rows.contains { $0.key == ["2024"] } && !after.rows.contains { $0.key == ["2024"] })
            #expect(after.rows.filter { $0.key != ["2024"] } == before.rows.filter { $0.key != ["2024"] })
            #expect(
                try await map.counts(in: scope, filter: all).located
                    + (try await map.counts(in: scope, filter: all).unlocated) == kept.count)
            let byCountry = try await stats.stats(in: scope, filter: all, by: .countryYear, defaultCountry: nil)
            #expect(Set(byCountry.rows.map { $0.key[0] }) == ["AFG"])
        }
    }

    @Test(
        "the command line's unnamed scope never reads a restricted incident, in Swift and in SQL",
        arguments: TestDatabases.kinds)
    func unnamedScope(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let coordinator = fixture.users[.securityCoordinator]!
            var created: [IncidentRecord] = []
            for audience in AudienceLevel.allCases {
                let draft = try IncidentDraft(
                    title: "CLI \(audience.rawValue)", category: .crime, occurredAt: Date().addingTimeInterval(-60),
                    areaPcode: "SD01", audience: audience
                ).validated(now: Date())
                created.append(
                    try await IncidentStore(db).create(
                        draft, reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id,
                        now: Date()))
            }
            // Name the staff role on the restricted incident: the unnamed scope is staff-cleared, yet must still
            // not read it.
            let restricted = try #require(created.first { $0.draft.audience == .restricted })
            try await (db as! any SQLDatabase).insert(into: "record_grants")
                .columns("id", "record_kind", "record_id", "role")
                .values(SQLBind(UUID()), SQLBind("incident"), SQLBind(restricted.id), SQLBind("staff")).run()
            let staffScope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(db, fixture.users[.staff]!)))
            #expect(
                try await IncidentStore(db).find(restricted.id, in: staffScope) != nil,
                "a named staff member does see it")
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            var exported: [String] = []
            try await IncidentExchangeStore(db).records(
                in: scope, filter: IncidentFilter(sources: ["own"]), defaultCountry: "SDN"
            ) { batch in
                exported += batch.compactMap(\.title)
            }
            #expect(Set(exported) == Set(created.filter { scope.contains($0.access) }.map(\.draft.title)))
            #expect(exported.count == 4 && !exported.contains("CLI restricted"))
            #expect(!created.contains { $0.draft.audience == .restricted && scope.contains($0.access) })
        }
    }
}
