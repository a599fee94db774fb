import Domain
import FluentKit
import Foundation
import SQLKit
import SQLiteNIO

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

        public init(
            added: Int = 0, updated: Int = 0, unchanged: Int = 0, disappeared: Int = 0, duplicatesInFile: Int = 0
        ) {
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
        _ events: [ContextEvent], source: ContextEvent.Source, into operationID: OperationID, actorID: UserID?,
        now: Date,
        areaAt: @escaping @Sendable (_ longitude: Double, _ latitude: Double) -> String? = { _, _ in nil }
    ) async throws -> ImportResult {
        try await importStream(source: source, into: operationID, actorID: actorID, now: now, areaAt: areaAt) { add in
            for event in events { try await add(event) }
        }
    }

    /// Streams a whole export of one source into the operation and reconciles it with what is
    /// stored, in one transaction. `produce` hands over events one by one; they go in batches to a
    /// staging table, and the database compares: memory stays flat whatever the file's size.
    /// New keys are added, changed content (or a key back after being missing) is updated, the
    /// same content left alone, and stored keys the export lacks are marked missing. A key twice
    /// in the export counts once, the last one winning.
    public func importStream(
        source: ContextEvent.Source, into operationID: OperationID, actorID: UserID?, now: Date,
        areaAt: @escaping @Sendable (_ longitude: Double, _ latitude: Double) -> String? = { _, _ in nil },
        produce: @escaping @Sendable (_ add: (ContextEvent) async throws -> Void) async throws -> Void
    ) async throws -> ImportResult {
        let result = try await database.writing { db in
            let sql = db.sql
            let staging = "context_import"
            let names = Self.allColumnNames
            let list = names.joined(separator: ", ")
            // The first import of a source has nothing to reconcile with.
            let direct =
                try await sql.select().column(SQLLiteral.numeric("1"), as: "x").from("context_events")
                .where("operation_id", .equal, operationID).where("source", .equal, source.rawValue).limit(1).first()
                == nil
            func count(_ query: SQLQueryString) async throws -> Int {
                try await sql.raw("SELECT COUNT(*) AS n FROM \(query)").first()?.decode(column: "n", as: Int.self) ?? 0
            }
            let same: SQLQueryString = "e.operation_id = \(bind: operationID) AND e.event_key = s.event_key"
            var offered = 0
            var result = ImportResult()
            var ids = RandomUUIDs()
            func row(_ event: ContextEvent) -> [BulkValue] {
                let area = event.longitude.flatMap { lon in event.latitude.flatMap { areaAt(lon, $0) } }
                return Self.row(event, id: ids.next(), areaPcode: area, operationID: operationID, now: now)
            }
            if let copy = try await PostgresBulkCopy(db) {
                // PostgreSQL: COPY into a staging table even on a first import, since COPY has no
                // ON CONFLICT; the numbering keeps the file's order, so the last of a key twice wins.
                try await sql.raw("CREATE TEMP TABLE \(unsafeRaw: staging) (LIKE context_events) ON COMMIT DROP").run()
                try await sql.raw(
                    "ALTER TABLE \(unsafeRaw: staging) ADD COLUMN import_order BIGINT GENERATED ALWAYS AS IDENTITY"
                ).run()
                try await copy.copy(into: staging, columns: names, logger: db.logger) { add in
                    try await produce { event in
                        guard event.source == source else { return }
                        offered += 1
                        try await add(row(event))
                    }
                }
                try await sql.raw(
                    "CREATE INDEX \(unsafeRaw: staging)_key ON \(unsafeRaw: staging) (event_key, import_order)"
                )
                .run()
                try await sql.raw(
                    """
                    DELETE FROM \(unsafeRaw: staging) a USING \(unsafeRaw: staging) b
                    WHERE b.event_key = a.event_key AND b.import_order > a.import_order
                    """
                ).run()
                if direct {
                    try await sql.raw(
                        "INSERT INTO context_events (\(unsafeRaw: list)) SELECT \(unsafeRaw: list) FROM \(unsafeRaw: staging)"
                    ).run()
                    result.added = try await count("\(unsafeRaw: staging)")
                    result.duplicatesInFile = offered - result.added
                } else {
                    // A temporary table has no statistics until asked; the comparisons join on it.
                    try await sql.raw("ANALYZE \(unsafeRaw: staging)").run()
                    try await reconcile(staging, result: &result)
                }
            } else if let sqlite = db as? any SQLiteDatabase {
                // SQLite: straight into the table on a first import, else into a private copy of
                // its shape; an upsert on the unique key makes the last of a key twice win.
                if !direct {
                    try await sql.raw("DROP TABLE IF EXISTS temp.\(unsafeRaw: staging)").run()
                    try await sql.raw("CREATE TEMP TABLE \(unsafeRaw: staging) AS SELECT * FROM context_events WHERE 0")
                        .run()
                    try await sql.raw(
                        "CREATE UNIQUE INDEX \(unsafeRaw: staging)_key ON \(unsafeRaw: staging) (event_key)"
                    ).run()
                }
                let conflictKeys = direct ? ["operation_id", "event_key"] : ["event_key"]
                let updates = names.filter { !conflictKeys.contains($0) && $0 != "id" }
                    .map { "\"\($0)\" = excluded.\"\($0)\"" }
                var insert = try await SQLiteBulkInsert(
                    database: sqlite, table: direct ? "context_events" : staging, columns: names,
                    suffix: "ON CONFLICT (\(conflictKeys.map { "\"\($0)\"" }.joined(separator: ", "))) DO UPDATE SET "
                        + updates.joined(separator: ", "))
                do {
                    try await produce { event in
                        guard event.source == source else { return }
                        offered += 1
                        try await insert.append(row(event))
                    }
                    try await insert.finish()
                } catch {
                    await insert.abandon()
                    throw error
                }
                if direct {
                    result.added = try await count(
                        "context_events WHERE operation_id = \(bind: operationID) AND source = \(bind: source.rawValue)"
                    )
                    result.duplicatesInFile = offered - result.added
                } else {
                    try await reconcile(staging, result: &result)
                }
            } else {
                throw BulkWriteUnsupported(database: db)
            }

            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "context_import", recordID: source.rawValue,
                action: .update,
                after: [
                    "added": String(result.added), "updated": String(result.updated),
                    "unchanged": String(result.unchanged),
                    "disappeared": String(result.disappeared),
                ], at: now)
            return result

            /// Compares the staged export with what is stored, and applies the difference.
            func reconcile(_ staging: String, result: inout ImportResult) async throws {
                let staged = try await count("\(unsafeRaw: staging)")
                result.duplicatesInFile = offered - staged
                result.unchanged = try await count(
                    "\(unsafeRaw: staging) s JOIN context_events e ON \(same) AND e.content_hash = s.content_hash AND e.missing_since IS NULL"
                )
                result.updated = try await count(
                    "\(unsafeRaw: staging) s JOIN context_events e ON \(same) AND (e.content_hash <> s.content_hash OR e.missing_since IS NOT NULL)"
                )
                result.added = staged - result.unchanged - result.updated
                let mine: SQLQueryString = "operation_id = \(bind: operationID) AND source = \(bind: source.rawValue)"
                result.disappeared = try await count(
                    "context_events e WHERE e.\(mine) AND e.missing_since IS NULL AND NOT EXISTS (SELECT 1 FROM \(unsafeRaw: staging) s WHERE s.event_key = e.event_key)"
                )

                // Changed (or back): every content column from the staging row.
                let assignments = Self.columnNames.map { "\($0) = s.\($0)" }.joined(separator: ", ")
                try await sql.raw(
                    """
                    UPDATE context_events SET \(unsafeRaw: assignments), content_hash = s.content_hash, last_seen_at = \(bind: now), missing_since = NULL
                    FROM \(unsafeRaw: staging) s WHERE context_events.operation_id = \(bind: operationID) AND context_events.event_key = s.event_key
                    AND (context_events.content_hash <> s.content_hash OR context_events.missing_since IS NOT NULL)
                    """
                ).run()
                if result.unchanged > 0 {
                    try await sql.raw(
                        """
                        UPDATE context_events SET last_seen_at = \(bind: now) WHERE \(mine) AND missing_since IS NULL
                        AND event_key IN (SELECT event_key FROM \(unsafeRaw: staging))
                        """
                    ).run()
                }
                if result.disappeared > 0 {
                    try await sql.raw(
                        """
                        UPDATE context_events SET missing_since = \(bind: now) WHERE \(mine) AND missing_since IS NULL
                        AND NOT EXISTS (SELECT 1 FROM \(unsafeRaw: staging) s WHERE s.event_key = context_events.event_key)
                        """
                    ).run()
                }
                if result.added > 0 {
                    try await sql.raw(
                        """
                        INSERT INTO context_events (\(unsafeRaw: list)) SELECT \(unsafeRaw: names.map { "s." + $0 }.joined(separator: ", "))
                        FROM \(unsafeRaw: staging) s WHERE NOT EXISTS (SELECT 1 FROM context_events e WHERE \(same))
                        """
                    ).run()
                }
                if !sql.isPostgres { try await sql.raw("DROP TABLE temp.\(unsafeRaw: staging)").run() }
            }
        }
        // Fresh statistics after a large change, so the planner keeps choosing the covering indexes.
        // On PostgreSQL, VACUUM also marks the new pages all-visible, without which the analysis
        // reads every row from the table instead of the index alone (350 ms instead of 50–80 ms a
        // year of a million events, until autovacuum comes by). It visits only pages that changed.
        if database.sql.isPostgres && !database.inTransaction {
            try await database.sql.raw("VACUUM (ANALYZE) context_events").run()
        } else if !database.sql.isPostgres {
            try await database.sql.raw("PRAGMA optimize").run()
        }
        return result
    }

    /// Places every event with coordinates in the operation's admin areas again, after the
    /// boundaries changed; returns how many moved. Pages through the events by id, so memory
    /// stays flat, and updates each page's moves per area in one statement.
    /// Published events are reference data by the thousand: the placement is audited as one change
    /// of the operation's context events (how many moved), not an entry an event.
    public func placeEvents(
        operationID: OperationID, actorID: UserID? = nil, now: Date,
        areaAt: @Sendable (_ longitude: Double, _ latitude: Double) -> String?,
        pageSize: Int = 5_000
    ) async throws -> Int {
        let sql = database.sql
        var after: UUID?
        var moved = 0
        while true {
            let query = sql.select().columns("id", "latitude", "longitude", "area_pcode").from("context_events")
                .where("operation_id", .equal, operationID).where("latitude", .isNot, SQLLiteral.null)
                .where("longitude", .isNot, SQLLiteral.null)
            if let after { query.where("id", .greaterThan, after) }
            let rows = try await query.orderBy("id").limit(pageSize).all()
            guard let last = rows.last else { break }
            var byArea: [String?: [UUID]] = [:]
            for row in rows {
                let area = areaAt(
                    try row.decode(column: "longitude", as: Double.self),
                    try row.decode(column: "latitude", as: Double.self))
                if area != (try row.decode(column: "area_pcode", as: String?.self)) {
                    byArea[area, default: []].append(try row.decode(column: "id", as: UUID.self))
                }
            }
            for (area, ids) in byArea {
                try await sql.update("context_events").set("area_pcode", to: area).where("id", .in, ids).run()
                moved += ids.count
            }
            after = try last.decode(column: "id", as: UUID.self)
            if rows.count < pageSize { break }
        }
        if moved > 0 {
            try await AuditStore(database).append(
                actorID: actorID, operationID: operationID, recordKind: "context_import", recordID: "placement",
                action: .update, after: ["events_placed_in_new_areas": String(moved)], at: now)
        }
        return moved
    }

    /// The context sources the operation has imported, by name.
    public func sources(operationID: OperationID) async throws -> [String] {
        // A loose index scan: one index seek per source, not a pass over a million events.
        try await database.sql.raw(
            """
            WITH RECURSIVE s(source) AS (
              SELECT MIN(source) FROM context_events WHERE operation_id = \(bind: operationID)
              UNION ALL
              SELECT (SELECT MIN(source) FROM context_events WHERE operation_id = \(bind: operationID) AND source > s.source)
              FROM s WHERE s.source IS NOT NULL)
            SELECT source FROM s WHERE source IS NOT NULL
            """
        ).all().map { try $0.decode(column: "source", as: String.self) }
    }

    /// How many events of `source` the operation holds, and how many of them are marked missing.
    public func counts(source: ContextEvent.Source, operationID: OperationID) async throws -> (total: Int, missing: Int)
    {
        let rows = try await database.sql.select().column("missing_since").from("context_events")
            .where("operation_id", .equal, operationID).where("source", .equal, source.rawValue).all()
        let missing = try rows.filter { try $0.decode(column: "missing_since", as: Date?.self) != nil }.count
        return (rows.count, missing)
    }

    static let columnNames: [String] =
        [
            "source", "source_id", "event_key", "occurred_on", "time_precision", "country_code",
            "country_name", "admin1", "admin2", "admin3", "latitude", "longitude", "geo_precision", "category",
            "subtype", "means",
            "context", "location_type", "actor_type", "actor_name", "motive", "verification", "fatalities",
            "excluded_from_trends",
            "description", "original", "country_iso3", "area_pcode",
        ] + Casualties.Cell.all.map(\.key)

    /// Every column of a stored row: identity and bookkeeping, then the content columns.
    static let allColumnNames =
        ["id", "operation_id", "content_hash", "first_imported_at", "last_seen_at"] + columnNames

    /// An event as a row in `allColumnNames` order. The content hash covers every column the
    /// source gives, so a changed value or original row is an update on re-import.
    static func row(_ e: ContextEvent, id: UUID, areaPcode: String?, operationID: OperationID, now: Date)
        -> [BulkValue]
    {
        let key = e.key
        let start = Date(
            timeIntervalSince1970: Double(
                86_400
                    * CivilDay.daysSinceEpoch(
                        year: e.occurredOn.year ?? 1970, month: e.occurredOn.month ?? 1, day: e.occurredOn.day ?? 1)))
        let original = JSONText.object(e.original)
        // The hash covers what the source said, not the admin area: areas follow the operation's
        // boundaries and are re-placed when those change (`placeEvents`).
        var texts: [String?] = [
            e.source.rawValue, e.sourceID, key, nil, e.timePrecision.rawValue, e.countryCode, e.countryName, e.admin1,
            e.admin2,
            e.admin3, e.latitude.map { String($0) }, e.longitude.map { String($0) }, e.geoPrecision?.rawValue,
            e.category.rawValue,
            e.subtype?.rawValue, e.means.rawValue, e.context.rawValue, e.locationType.rawValue, e.actorType.rawValue,
            e.actorName,
            e.motive.rawValue, e.verification.rawValue, e.fatalities.map { String($0) },
            e.excludedFromTrends ? "1" : "0",
            e.description, original, e.countryISO3,
        ]
        texts[3] = String(Int(start.timeIntervalSince1970))
        let cells = Casualties.Cell.all.map { e.casualties[$0] }
        var hashed = ""
        hashed.reserveCapacity(original.utf8.count + 512)
        for text in texts { hashed += text ?? "\u{1}"; hashed += "\u{1F}" }
        for (i, cell) in cells.enumerated() { if i > 0 { hashed += "," }; hashed += String(cell) }
        let hash = Hex.sha256(hashed)
        var row: [BulkValue] = [.uuid(id), .uuid(operationID.rawValue), .text(hash), .date(now), .date(now)]
        row.reserveCapacity(allColumnNames.count)
        row += [
            .text(e.source.rawValue), .text(e.sourceID), .text(key), .date(start), .text(e.timePrecision.rawValue),
            BulkValue(e.countryCode), BulkValue(e.countryName), BulkValue(e.admin1), BulkValue(e.admin2),
            BulkValue(e.admin3), BulkValue(e.latitude), BulkValue(e.longitude), BulkValue(e.geoPrecision?.rawValue),
            .text(e.category.rawValue), BulkValue(e.subtype?.rawValue), .text(e.means.rawValue),
            .text(e.context.rawValue), .text(e.locationType.rawValue), .text(e.actorType.rawValue),
            BulkValue(e.actorName), .text(e.motive.rawValue), .text(e.verification.rawValue), BulkValue(e.fatalities),
            .bool(e.excludedFromTrends), BulkValue(e.description), .text(original), BulkValue(e.countryISO3),
            BulkValue(areaPcode),
        ]
        for cell in cells { row.append(.integer(cell)) }
        return row
    }
}
