import Domain
import FluentKit
import Foundation
import SQLKit

/// Context events of an operation. An import reconciles a whole export of one source with what
/// is stored: new events are added, changed ones updated, the same ones left alone, and those the
/// export no longer has are marked missing (kept, since an analysis may already rest on them).
public struct ContextEventStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public struct ImportResult: Sendable, Equatable {
        public var added = 0
        public var updated = 0
        public var unchanged = 0
        /// Stored events of this source that the export no longer has.
        public var disappeared = 0
        /// Events that appeared twice in the export with the same key; the last one counts.
        public var duplicatesInFile = 0

        public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0, disappeared: Int = 0, duplicatesInFile: Int = 0) {
            self.added = added
            self.updated = updated
            self.unchanged = unchanged
            self.disappeared = disappeared
            self.duplicatesInFile = duplicatesInFile
        }
    }

    /// Reconciles `events` (one source's whole export) with the operation's stored events of that
    /// source, in one transaction: either all of it lands or none.
    public func importEvents(
        _ events: [ContextEvent], source: ContextEvent.Source, into operationID: UUID, actorID: UUID?, now: Date = Date(),
        areaAt: @escaping @Sendable (_ longitude: Double, _ latitude: Double) -> String? = { _, _ in nil }
    ) async throws -> ImportResult {
        var result = ImportResult()  // counts duplicates in the file; the transaction counts the rest
        var latest: [String: ContextEvent] = [:]
        var order: [String] = []
        for event in events where event.source == source {
            if latest[event.key] == nil { order.append(event.key) } else { result.duplicatesInFile += 1 }
            latest[event.key] = event
        }
        let (latestFinal, orderFinal, duplicates) = (latest, order, result.duplicatesInFile)
        return try await database.transaction { db in
            let (latest, order) = (latestFinal, orderFinal)
            var result = ImportResult()
            result.duplicatesInFile = duplicates
            let sql = db.sql
            var stored: [String: (id: UUID, hash: String, missing: Bool)] = [:]
            for row in try await sql.select().columns("id", "event_key", "content_hash", "missing_since").from("context_events")
                .where("operation_id", .equal, operationID).where("source", .equal, source.rawValue).all() {
                stored[try row.decode(column: "event_key", as: String.self)] = (
                    try row.decode(column: "id", as: UUID.self), try row.decode(column: "content_hash", as: String.self),
                    try row.decode(column: "missing_since", as: Date?.self) != nil)
            }
            var inserts: [[any SQLExpression]] = []
            for key in order {
                guard let event = latest[key] else { continue }
                let columns = Self.columns(event, areaPcode: event.longitude.flatMap { lon in event.latitude.flatMap { areaAt(lon, $0) } })
                let hash = Hex.sha256(columns.map { "\($0.0)=\(Self.text($0.1))" }.joined(separator: "\u{1F}"))
                if let existing = stored[key] {
                    if existing.hash == hash && !existing.missing {
                        result.unchanged += 1
                        try await sql.update("context_events").set("last_seen_at", to: now).where("id", .equal, existing.id).run()
                    } else {
                        // Changed, or back after being missing from an earlier export.
                        result.updated += 1
                        let update = sql.update("context_events")
                        for (column, value) in columns { update.set(SQLIdentifier(column), to: SQLBind(value)) }
                        try await update.set("content_hash", to: hash).set("last_seen_at", to: now).set("missing_since", to: Date?.none)
                            .where("id", .equal, existing.id).run()
                    }
                } else {
                    result.added += 1
                    var row: [any SQLExpression] = [SQLBind(UUID()), SQLBind(operationID), SQLBind(hash), SQLBind(now), SQLBind(now)]
                    row += columns.map { SQLBind($0.1) }
                    inserts.append(row)
                }
            }
            // Batched multi-row inserts: one statement per few hundred rows, not one per event.
            let names = ["id", "operation_id", "content_hash", "first_imported_at", "last_seen_at"] + Self.columnNames
            for batch in stride(from: 0, to: inserts.count, by: 200).map({ Array(inserts[$0..<min($0 + 200, inserts.count)]) }) {
                let insert = sql.insert(into: "context_events").columns(names)
                for row in batch { insert.values(row) }
                try await insert.run()
            }
            let gone = stored.filter { latest[$0.key] == nil && !$0.value.missing }
            result.disappeared = gone.count
            for (_, value) in gone {
                try await sql.update("context_events").set("missing_since", to: now).where("id", .equal, value.id).run()
            }
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "context_import", recordID: source.rawValue, action: .update,
                after: ["added": String(result.added), "updated": String(result.updated), "unchanged": String(result.unchanged),
                        "disappeared": String(result.disappeared)], at: now)
            return result
        }
    }

    /// The context sources the operation has imported, by name.
    public func sources(operationID: UUID) async throws -> [String] {
        try await database.sql.select().distinct().column("source").from("context_events")
            .where("operation_id", .equal, operationID).orderBy("source").all()
            .map { try $0.decode(column: "source", as: String.self) }
    }

    /// How many events of `source` the operation holds, and how many of them are marked missing.
    public func counts(source: ContextEvent.Source, operationID: UUID) async throws -> (total: Int, missing: Int) {
        let rows = try await database.sql.select().column("missing_since").from("context_events")
            .where("operation_id", .equal, operationID).where("source", .equal, source.rawValue).all()
        let missing = try rows.filter { try $0.decode(column: "missing_since", as: Date?.self) != nil }.count
        return (rows.count, missing)
    }

    static let columnNames: [String] = ["source", "source_id", "event_key", "occurred_on", "time_precision", "country_code",
        "country_name", "admin1", "admin2", "admin3", "latitude", "longitude", "geo_precision", "category", "subtype", "means",
        "context", "location_type", "actor_type", "actor_name", "motive", "verification", "fatalities", "excluded_from_trends",
        "description", "original", "country_iso3", "area_pcode"] + Casualties.Cell.all.map(\.key)

    /// The stored columns of an event, in `columnNames` order.
    static func columns(_ e: ContextEvent, areaPcode: String?) -> [(String, any Encodable & Sendable)] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: e.occurredOn.year, month: e.occurredOn.month ?? 1, day: e.occurredOn.day ?? 1)) ?? Date(timeIntervalSince1970: 0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let original = (try? encoder.encode(e.original)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let values: [any Encodable & Sendable] = [
            e.source.rawValue, e.sourceID, e.key, start, e.timePrecision.rawValue, e.countryCode, e.countryName, e.admin1, e.admin2,
            e.admin3, e.latitude, e.longitude, e.geoPrecision?.rawValue, e.category.rawValue, e.subtype?.rawValue, e.means.rawValue,
            e.context.rawValue, e.locationType.rawValue, e.actorType.rawValue, e.actorName, e.motive.rawValue, e.verification.rawValue,
            e.fatalities, e.excludedFromTrends, e.description, original, e.countryISO3, areaPcode,
        ] + Casualties.Cell.all.map { e.casualties[$0] }
        return Array(zip(columnNames, values))
    }

    static func text(_ value: any Encodable & Sendable) -> String {
        IncidentStore.text(value) ?? "∅"
    }
}
