import Domain
import Fluent
import Foundation
import Interop
import Persistence
import TestFiles
import TestSupport
import Testing

@Suite("Incident counts for analysis")
struct IncidentAnalysisTests {
    func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test("weekly and monthly counts by category, through the viewer's scope", arguments: TestDatabases.kinds)
    func own(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = fixture.users[.securityCoordinator]!
            let store = IncidentStore(app.db)
            let now = date("2026-11-25T12:00:00Z")
            for (when, category, audience) in [
                ("2026-11-16T10:00:00Z", IncidentCategory.crime, AudienceLevel.ifrcOnly),  // Monday
                ("2026-11-22T23:00:00Z", .crime, .ifrcOnly),  // Sunday, same week
                ("2026-11-23T00:30:00Z", .crime, .ifrcOnly),  // next Monday
                ("2026-11-23T08:00:00Z", .vehicleAccident, .ifrcOnly),
                ("2026-10-31T23:59:00Z", .crime, .ifrcOnly),  // October
                ("2026-11-24T08:00:00Z", .crime, .restricted),  // not for staff
            ] {
                let draft = try IncidentDraft(title: "t", category: category, occurredAt: date(when), areaPcode: "SD01", audience: audience).validated(now: now)
                _ = try await store.create(draft, reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id, now: now)
            }
            let analysis = IncidentAnalysisStore(app.db)
            let filter = IncidentFilter(from: date("2026-10-01T00:00:00Z"), to: date("2026-12-01T00:00:00Z"), sources: ["own"])
            let staffScope = try #require(AccessPolicy.scope(in: fixture.operation.id.uuidString, for: try await fixture.viewer(app, fixture.users[.staff]!)))
            let weekly = try await analysis.counts(in: staffScope, filter: filter, by: .week).counts
            func table(_ counts: [IncidentAnalysisStore.Count]) -> [String: Int] {
                Dictionary(uniqueKeysWithValues: counts.map { ("\($0.bucket) \($0.category.rawValue)", $0.count) })
            }
            #expect(table(weekly) == ["2026-10-26 crime": 1, "2026-11-16 crime": 2, "2026-11-23 crime": 1, "2026-11-23 vehicle_accident": 1])
            let monthly = try await analysis.counts(in: staffScope, filter: filter, by: .month).counts
            #expect(table(monthly) == ["2026-10 crime": 1, "2026-11 crime": 3, "2026-11 vehicle_accident": 1])
            // The security coordinator also counts the restricted one; a category filter narrows.
            let securityScope = try #require(AccessPolicy.scope(in: fixture.operation.id.uuidString, for: try await fixture.viewer(app, coordinator)))
            var crimes = filter
            crimes.categories = [.crime]
            #expect(table(try await analysis.counts(in: securityScope, filter: crimes, by: .month).counts) == ["2026-10 crime": 1, "2026-11 crime": 4])
        }
    }

    @Test("context events count beside own ones; dates coarser than the period are left out, and said so",
          .enabled(if: SharedDataFolder.url != nil, "../shared/data not found"), arguments: TestDatabases.kinds)
    func context(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            var events: [ContextEvent] = []
            _ = try AWSDReader.read(contentsOf: try #require(SharedDataFolder.url).appendingPathComponent("awsd/awsd_2025-08_afghanistan.csv")) { events.append($0) }
            _ = try await ContextEventStore(app.db).importEvents(events, source: .awsd, into: fixture.operation.id, actorID: nil)
            let scope = try #require(AccessPolicy.scope(in: fixture.operation.id.uuidString, for: try await fixture.viewer(app, fixture.users[.partner]!)))
            let filter = IncidentFilter(from: date("1997-01-01T00:00:00Z"), to: date("2026-01-01T00:00:00Z"), sources: ["awsd"])
            let monthly = try await IncidentAnalysisStore(app.db).counts(in: scope, filter: filter, by: .month)
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
            let weekly = try await IncidentAnalysisStore(app.db).counts(in: scope, filter: filter, by: .week)
            #expect(weekly.leftOut == events.filter { $0.timePrecision == .year || $0.timePrecision == .month }.count)
        }
    }
}
