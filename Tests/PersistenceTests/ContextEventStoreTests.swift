import Domain
import FluentKit
import Foundation
import Interop
import Persistence
import SQLKit
import StoreTestSupport
import TestFiles
import Testing

@Suite(
    "Context events in the database",
    .enabled(if: SharedDataFolder.url != nil, "../shared/data not found; real-data tests skipped"))
struct ContextEventStoreTests {
    @Test(
        """
        re-importing a newer AWSD export adds, updates, keeps and reports what disappeared; \
        nothing is duplicated
        """, arguments: TestDatabases.kinds)
    func reconcile(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            var events: [ContextEvent] = []
            let file = try #require(SharedDataFolder.url).appendingPathComponent("awsd/awsd_2025-08_afghanistan.csv")
            _ = try await AWSDReader.read(contentsOf: file) {
                events.append($0)
            }
            let store = ContextEventStore(db)
            let operation = fixture.operation.id
            let first = try await store.importEvents(
                events, source: .awsd, into: operation, actorID: fixture.admin.id, now: Date())
            #expect(first == .init(added: 617, updated: 0, unchanged: 0, disappeared: 0, duplicatesInFile: 0))
            // The same file again changes nothing.
            let again = try await store.importEvents(
                events, source: .awsd, into: operation, actorID: fixture.admin.id, now: Date())
            #expect(again == .init(added: 0, updated: 0, unchanged: 617, disappeared: 0, duplicatesInFile: 0))
            // A "newer export": one event corrected, one gone, one new, and one listed twice.
            var newer = events
            newer[0].casualties[.injured, .national, .unknown] += 1
            let dropped = newer.remove(at: 1)
            var fresh = events[2]
            fresh.sourceID = "999999"
            newer.append(fresh)
            newer.append(newer[5])
            let third = try await store.importEvents(
                newer, source: .awsd, into: operation, actorID: fixture.admin.id, now: Date())
            #expect(third == .init(added: 1, updated: 1, unchanged: 615, disappeared: 1, duplicatesInFile: 1))
            #expect(try await store.counts(source: .awsd, operationID: operation) == (total: 618, missing: 1))
            // The stored row carries the correction and keeps the original values.
            let sql = db as! any SQLDatabase
            let row = try #require(
                try await sql.select().column("*").from("context_events")
                    .where("event_key", .equal, events[0].key).first())
            #expect(
                try row.decode(column: "injured_national_unknown", as: Int.self)
                    == events[0].casualties[.injured, .national, .unknown] + 1)
            #expect(
                try row.decode(column: "original", as: String.self)
                    .contains("\"Incident ID\":\"\(events[0].sourceID)\""))
            let gone = try #require(
                try await sql.select().column("missing_since").from("context_events")
                    .where("event_key", .equal, dropped.key).first())
            #expect(try gone.decode(column: "missing_since", as: Date?.self) != nil)
            // Back again in a later export: present once more, counted as updated.
            let fourth = try await store.importEvents(
                events + [fresh], source: .awsd, into: operation, actorID: fixture.admin.id, now: Date())
            #expect(fourth.updated == 2 && fourth.added == 0 && fourth.disappeared == 0)
            #expect(try await store.counts(source: .awsd, operationID: operation) == (total: 618, missing: 0))
        }
    }
}
