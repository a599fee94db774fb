import Domain
import FluentKit
import Foundation
import Interop
import SQLKit
import SQLiteNIO
import StoreTestSupport
import TestFiles
import Testing

@testable import Persistence

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

/// The bulk path (SQLiteNIO binds, PostgreSQL COPY) must store each value exactly as SQLKit binds
/// the same Swift value, or every other query would miss or misread imported events.
@Suite(
    "Context events written in bulk",
    .enabled(if: SharedDataFolder.url != nil, "../shared/data not found; real-data tests skipped"))
struct ContextEventBulkTests {
    static func awsdEvents() async throws -> [ContextEvent] {
        var events: [ContextEvent] = []
        let file = try #require(SharedDataFolder.url).appendingPathComponent("awsd/awsd_2025-08_afghanistan.csv")
        _ = try await AWSDReader.read(contentsOf: file) { events.append($0) }
        return events
    }

    /// 1,300 events: more than two statements' worth, with the text COPY and SQL must escape.
    static func manyEvents() async throws -> [ContextEvent] {
        let base = try await awsdEvents()
        return (0..<1_300).map { i in
            var event = base[i % base.count]
            event.sourceID = "bulk-\(i)"
            return event
        }
    }

    @Test(
        "every value reads back as SQLKit binds it: text COPY must escape, dates, UUIDs, NULLs",
        arguments: TestDatabases.kinds)
    func valuesAsSQLKitBindsThem(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            var events = try await Self.manyEvents()
            let awkward = [
                "tab\there", "line\nbreak", "carriage\r\nreturn", #"back\slash \N and \\N"#, "\"quoted\", 'single'",
                "هجوم على قافلة إغاثة", "emoji 🚑 and NUL-free", "",
            ]
            for (i, text) in awkward.enumerated() {
                events[i].description = text
                events[i].actorName = text
                events[i].original["note"] = text
            }
            events[20].description = nil
            events[20].latitude = -12.345678901
            events[20].longitude = nil
            events[21].excludedFromTrends = true
            events[21].fatalities = 0
            events[22].fatalities = nil
            events[23].occurredOn = DateComponents(year: 1969, month: 12, day: 31)
            let now = Date(timeIntervalSince1970: 1_764_000_000.123_456_7)
            let store = ContextEventStore(db)
            let result = try await store.importEvents(
                events, source: .awsd, into: fixture.operation.id, actorID: fixture.admin.id, now: now)
            #expect(result == .init(added: 1_300))
            let sql = db as! any SQLDatabase
            // UUIDs and dates compare equal to SQLKit's own binds of the same values.
            let same = try #require(
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM context_events WHERE operation_id = \(bind: fixture.operation.id)
                    AND first_imported_at = \(bind: now) AND last_seen_at = \(bind: now)
                    """
                ).first())
            #expect(try same.decode(column: "n", as: Int.self) == 1_300)
            for event in events.prefix(30) {
                let start = Date(
                    timeIntervalSince1970: Double(
                        86_400
                            * CivilDay.daysSinceEpoch(
                                year: event.occurredOn.year ?? 1970, month: event.occurredOn.month ?? 1,
                                day: event.occurredOn.day ?? 1)))
                let row = try #require(
                    try await sql.select().column("*").from("context_events")
                        .where("event_key", .equal, event.key).where("occurred_on", .equal, start).first(),
                    "\(event.key) stored with occurred_on \(start)")
                #expect(try row.decode(column: "description", as: String?.self) == event.description)
                #expect(try row.decode(column: "actor_name", as: String?.self) == event.actorName)
                #expect(try row.decode(column: "latitude", as: Double?.self) == event.latitude)
                #expect(try row.decode(column: "longitude", as: Double?.self) == event.longitude)
                #expect(try row.decode(column: "fatalities", as: Int?.self) == event.fatalities)
                #expect(try row.decode(column: "excluded_from_trends", as: Bool.self) == event.excludedFromTrends)
                #expect(try row.decode(column: "country_iso3", as: String?.self) == event.countryISO3)
                #expect(try row.decode(column: "first_imported_at", as: Date.self).timeIntervalSince(now) < 0.000_001)
                let original = try row.decode(column: "original", as: String.self)
                let decoded = try JSONDecoder().decode([String: String].self, from: Data(original.utf8))
                #expect(decoded == event.original)
                for cell in Casualties.Cell.all {
                    #expect(try row.decode(column: cell.key, as: Int.self) == event.casualties[cell])
                }
            }
            // The same file again: every hash and value read back as it was written.
            let again = try await store.importEvents(
                events, source: .awsd, into: fixture.operation.id, actorID: fixture.admin.id, now: now)
            #expect(again == .init(unchanged: 1_300))
        }
    }

    @Test("a key twice in a first import counts once, the last one winning", arguments: TestDatabases.kinds)
    func lastOfTwinsWins(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            var events = try await Self.manyEvents()
            var twin = events[7]
            twin.description = "the later listing"
            events.append(twin)
            let result = try await ContextEventStore(db).importEvents(
                events, source: .awsd, into: fixture.operation.id, actorID: fixture.admin.id, now: Date())
            #expect(result == .init(added: 1_300, duplicatesInFile: 1))
            let row = try #require(
                try await (db as! any SQLDatabase).select().column("description").from("context_events")
                    .where("event_key", .equal, twin.key).first())
            #expect(try row.decode(column: "description", as: String?.self) == "the later listing")
        }
    }

    struct ReaderFailed: Error {}

    @Test("COPY's text: escapes, UUIDs as SQLKit spells them, dates to the microsecond, infinity rather than a trap")
    func copyText() {
        func text(_ value: BulkValue) -> String {
            var buffer = ByteBuffer()
            value.writeCopyText(to: &buffer)
            return buffer.readString(length: buffer.readableBytes) ?? ""
        }
        #expect(text(.text("a\tb\\c\nd\re")) == #"a\tb\\c\nd\re"#)
        #expect(text(.null) == #"\N"#)
        let id = UUID()
        #expect(text(.uuid(id)) == id.uuidString)
        #expect(text(.date(Date(timeIntervalSince1970: -0.5))) == "1969-12-31 23:59:59.500000+00")
        #expect(text(.date(Date(timeIntervalSince1970: 1_764_000_000.25))) == "2025-11-24 16:00:00.250000+00")
        #expect(text(.date(Date(timeIntervalSince1970: 1e300))) == "infinity")
        #expect(text(.date(Date(timeIntervalSince1970: -1e300))) == "-infinity")
    }

    @Test(
        "the export read below SQLKit gives exactly the records the keyset pages give, with the same filter",
        arguments: TestDatabases.kinds)
    func exportPathsAgree(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            var events = try await Self.manyEvents()
            events[3].description = "tab\there, \"quoted\"\nهجوم"
            events[4].latitude = nil
            events[5].fatalities = nil
            _ = try await ContextEventStore(db).importEvents(
                events, source: .awsd, into: fixture.operation.id, actorID: nil, now: Date())
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            let store = IncidentExchangeStore(db)
            for filter in [
                IncidentFilter(sources: ["awsd"]),
                IncidentFilter(from: Date(timeIntervalSince1970: 1_700_000_000), sources: ["awsd"]),
            ] {
                var fast: [IncidentExchangeRecord] = []
                var batches = 0
                try await store.records(in: scope, filter: filter, defaultCountry: nil, batchSize: 500) {
                    fast += $0
                    batches += 1
                }
                var paged: [IncidentExchangeRecord] = []
                try await store.contextByKeyset(in: scope, filter: filter, batchSize: 500) { paged += $0 }
                #expect(fast == paged)
                #expect(!fast.isEmpty && batches == (fast.count + 499) / 500)
            }
            // Another operation's events are never in the export.
            let other = AccessPolicy.unnamedOperatorScope(in: OperationID(UUID()))
            var none = 0
            try await store.records(in: other, filter: IncidentFilter(sources: ["awsd"]), defaultCountry: nil) {
                none += $0.count
            }
            #expect(none == 0)
        }
    }

    @Test("on SQLite, rows go through one statement prepared once (SQLiteNIO's handle is still reachable)")
    func oneStatementOnSQLite() async throws {
        try await withTestDatabase(.sqlite) { db in
            try await db.transaction { db in
                let sqlite = try #require(db as? any SQLiteDatabase)
                var insert = try await SQLiteBulkInsert(
                    database: sqlite, table: "context_events", columns: ["id"], suffix: "")
                #expect(insert.reusesOneStatement)
                try await insert.finish()
            }
        }
    }

    @Test("a row SQLite refuses fails the import with SQLite's message, and nothing is stored")
    func refusedRow() async throws {
        try await withTestDatabase(.sqlite) { db in
            let sql = db as! any SQLDatabase
            try await sql.raw("CREATE TABLE bulk_probe (a TEXT NOT NULL, b INTEGER)").run()
            let error = await #expect(throws: SQLiteBulkError.self) {
                try await db.transaction { db in
                    var insert = try await SQLiteBulkInsert(
                        database: db as! any SQLiteDatabase, table: "bulk_probe", columns: ["a", "b"], suffix: "")
                    for i in 0..<2_000 { try await insert.append([i == 1_500 ? .null : .text("\(i)"), .integer(i)]) }
                    try await insert.finish()
                }
            }
            #expect(error?.description.contains("NOT NULL constraint failed: bulk_probe.a") == true)
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM bulk_probe").first()?.decode(
                column: "n", as: Int.self)
            #expect(count == 0)
        }
    }

    @Test("a file that fails half-way stores nothing, and the next import runs", arguments: TestDatabases.kinds)
    func failureStoresNothing(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let events = try await Self.manyEvents()
            let store = ContextEventStore(db)
            for firstImport in [true, false] {
                if !firstImport {
                    _ = try await store.importEvents(
                        Array(events.prefix(10)), source: .awsd, into: fixture.operation.id, actorID: nil, now: Date())
                }
                await #expect(throws: ReaderFailed.self) {
                    try await store.importStream(source: .awsd, into: fixture.operation.id, actorID: nil, now: Date()) {
                        add in
                        for (i, event) in events.enumerated() {
                            if i == 1_000 { throw ReaderFailed() }
                            try await add(event)
                        }
                    }
                }
                #expect(
                    try await store.counts(source: .awsd, operationID: fixture.operation.id).total
                        == (firstImport ? 0 : 10))
            }
            let result = try await store.importEvents(
                events, source: .awsd, into: fixture.operation.id, actorID: nil, now: Date())
            #expect(result == .init(added: 1_290, unchanged: 10))
        }
    }
}
