import Domain
import FluentKit
import Foundation
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// Reads own incidents and context events as exchange records for the exports, in batches
/// (keyset paging on date and id), so an export of a million incidents holds one batch in memory.
public struct IncidentExchangeStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// Calls `each` with successive batches: own incidents first, then context events, each by date.
    public func records(
        in scope: Scope, filter: IncidentFilter, defaultCountry: String?, batchSize: Int = 1_000,
        each: ([IncidentExchangeRecord]) async throws -> Void
    ) async throws {
        let sql = database.sql
        if filter.includesOwn {
            var after: (Date, UUID)?
            while true {
                let query = filter.own(sql.select().column("*").from("incidents"), scope: scope)
                let rows = try await Self.keyset(query, after: after, date: "occurred_at", limit: batchSize, sql: sql)
                guard !rows.isEmpty else { break }
                var batch: [IncidentExchangeRecord] = []
                for row in rows {
                    let record = try IncidentStore.record(row)
                    batch.append(Self.exchange(record, defaultCountry: defaultCountry))
                    after = (record.draft.occurredAt, record.id.rawValue)
                }
                try await each(batch)
                if rows.count < batchSize { break }
            }
        }
        if filter.includesContext {
            let query = filter.context(
                sql.select().columns(Self.contextColumns).column(Self.cellsList, as: "cells").from("context_events"),
                scope: scope)
            if let sqlite = database as? any SQLiteDatabase,
                try await Self.contextOnSQLite(
                    sqlite, query.orderBy("occurred_on").orderBy("id"), sql: sql, batchSize: batchSize, each: each)
            {
                return
            }
            try await contextByKeyset(in: scope, filter: filter, batchSize: batchSize, each: each)
        }
    }

    /// SQLite: one statement for the whole export, stepped a batch at a time on the thread pool
    /// while the caller writes the batch before (`SQLiteCursor` says why). The query is the same
    /// SQLKit query, with the same filter and scope, serialised. False when SQLiteNIO hides its
    /// connection's handle; then nothing was read.
    static func contextOnSQLite(
        _ sqlite: any SQLiteDatabase, _ query: SQLSelectBuilder, sql: any SQLDatabase, batchSize: Int,
        each: ([IncidentExchangeRecord]) async throws -> Void
    ) async throws -> Bool {
        var serializer = SQLSerializer(database: sql)
        query.query.serialize(to: &serializer)
        let encoder = SQLiteDataEncoder()
        let binds = try serializer.binds.map { try encoder.encode($0) }
        let text = serializer.sql
        // The connection is held for the whole export; `each` runs within that call, one batch at a time.
        // The pool may release its task (and so this box) a moment after the call returns: the box lets
        // go of `each` before `withoutActuallyEscaping` checks that it did not escape.
        return try await withoutActuallyEscaping(each) { each in
            let writer = BorrowedWriter(each)
            defer { writer.release() }
            return try await sqlite.withConnection { connection in
                guard let cursor = try SQLiteCursor.open(connection: connection, sql: text, binds: binds) else {
                    return false
                }
                @Sendable func read() async throws -> [IncidentExchangeRecord] {
                    try await NIOThreadPool.singleton.runIfActive {
                        try cursor.next(batchSize) { try contextRecord($0) }
                    }
                }
                var reading = Task { try await read() }
                do {
                    while true {
                        let batch = try await reading.value
                        let more = batch.count == batchSize
                        if more { reading = Task { try await read() } }
                        if !batch.isEmpty { try await writer.write(batch) }
                        if !more { break }
                    }
                } catch {
                    // Nothing may still be stepping the statement when it is finalized.
                    _ = try? await reading.value
                    cursor.finalize()
                    throw error
                }
                cursor.finalize()
                return true
            }
        }
    }

    /// Context events in keyset pages (PostgreSQL, or SQLite without its handle).
    func contextByKeyset(
        in scope: Scope, filter: IncidentFilter, batchSize: Int, each: ([IncidentExchangeRecord]) async throws -> Void
    ) async throws {
        let sql = database.sql
        // Only the exported columns (not the source's original row, the widest). Three stages
        // overlap, so the two cores share the work: while the caller writes one batch, the next
        // is decoded and the one after it read (its keyset start is known once the rows before
        // it are). At most two batches ahead, so a slow reader of the export keeps memory flat.
        @Sendable func read(after: (Date, UUID)?) async throws -> (rows: [any SQLRow], next: (Date, UUID)?) {
            let query = filter.context(
                sql.select().columns(Self.contextColumns).column(Self.cellsList, as: "cells")
                    .from("context_events"), scope: scope)
            let rows = try await Self.keyset(query, after: after, date: "occurred_on", limit: batchSize, sql: sql)
            guard rows.count == batchSize, let last = rows.last else { return (rows, nil) }
            return (
                rows,
                (
                    try last.decode(column: "occurred_on", as: Date.self),
                    try last.decode(column: "id", as: UUID.self)
                )
            )
        }
        var reading: Task<(rows: [any SQLRow], next: (Date, UUID)?), any Error>? = Task {
            try await read(after: nil)
        }
        var decoding: Task<[IncidentExchangeRecord], any Error>?
        func advance() async throws {
            guard let current = reading else { decoding = nil; return }
            let page = try await current.value
            reading = page.next.map { after in Task { try await read(after: after) } }
            decoding = Task { try page.rows.map { try Self.contextRecord($0) } }
        }
        do {
            try await advance()
            while let current = decoding {
                let records = try await current.value
                try await advance()
                guard !records.isEmpty else { break }
                try await each(records)
            }
        } catch {
            // Nothing may still be reading when the caller's connection or transaction ends.
            _ = try? await decoding?.value
            _ = try? await reading?.value
            throw error
        }
    }

    static let contextColumns = [
        "id", "source", "source_id", "occurred_on", "time_precision", "country_iso3", "admin1", "admin2",
        "area_pcode", "latitude", "longitude", "geo_precision", "location_type", "category", "subtype", "actor_type",
        "actor_name",
        "means", "context", "motive", "verification", "fatalities", "description",
    ]

    /// The casualty cells as one text, "0,2,0,…" in `Casualties.Cell.all` order: one value to
    /// decode instead of 24 (decoding by column name is most of what reading a row costs).
    /// `||` turns integers into text on both databases.
    static let cellsList = SQLRaw(Casualties.Cell.all.map { "\"\($0.key)\"" }.joined(separator: " || ',' || "))

    static func keyset(_ query: SQLSelectBuilder, after: (Date, UUID)?, date: String, limit: Int, sql: any SQLDatabase)
        async throws -> [any SQLRow]
    {
        if let after {
            query.where("(\(ident: date), id) > (\(bind: after.0), \(bind: after.1))" as SQLQueryString)
        }
        return try await query.orderBy(date).orderBy("id").limit(limit).all()
    }

    static func exchange(_ record: IncidentRecord, defaultCountry: String?) -> IncidentExchangeRecord {
        let d = record.draft
        let country =
            d.areaPcode.flatMap { Countries.alpha3ByAlpha2[String($0.prefix(2)).uppercased()] } ?? defaultCountry
        return IncidentExchangeRecord(
            source: ContextEvent.Source.ownName, id: String(record.number), occurredAt: d.occurredAt,
            timePrecision: d.timePrecision,
            countryISO3: country, areaPcode: d.areaPcode, latitude: d.latitude, longitude: d.longitude,
            geoPrecision: d.geoPrecision,
            locationType: d.locationType, category: d.category, subtype: d.subtype, actorType: d.actorType,
            actorName: d.actorName,
            means: d.means, context: d.context, motive: d.motive, severity: d.severity, serious: record.serious,
            verification: d.verification, status: record.status, casualties: d.casualties, title: d.title,
            description: d.description)
    }

    static func contextRecord(_ row: any SQLRow) throws -> IncidentExchangeRecord {
        try contextRecord(ByName(row: row))
    }

    /// A context event from its exported columns, read by position: `contextColumns`, then the cells.
    static func contextRecord(_ row: some ExportColumns) throws -> IncidentExchangeRecord {
        func text(_ column: Int) throws -> String {
            guard let value = try row.text(column) else {
                throw StoredValueError("context_events.\(contextColumns[column]) is NULL")
            }
            return value
        }
        var casualties = Casualties()
        // Parsed by hand, byte by byte: `split` into substrings and `Int(_:)` cost 3 % more of a
        // million-row export (17.2–17.8 s against 18.1–18.3 s, measured 2026-11-27).
        let list = try text(contextColumns.count)
        var counts: [Int] = []
        counts.reserveCapacity(Casualties.Cell.all.count)
        var current: Int?
        for byte in list.utf8 {
            if byte == 0x2C, let value = current {
                counts.append(value)
                current = nil
            } else if (0x30...0x39).contains(byte) {
                current = (current ?? 0) * 10 + Int(byte - 0x30)
            } else {
                throw StoredValueError("context_events casualty cells: “\(list)” is not a list of counts")
            }
        }
        if let current { counts.append(current) }
        guard counts.count == Casualties.Cell.all.count else {
            throw StoredValueError("context_events casualty cells: “\(list)”")
        }
        for (cell, count) in zip(Casualties.Cell.all, counts) where count != 0 { casualties[cell] = count }
        guard let occurredOn = try row.date(3) else { throw StoredValueError("context_events.occurred_on is NULL") }
        return IncidentExchangeRecord(
            source: try text(1), id: try text(2), occurredAt: occurredOn,
            timePrecision: TimePrecision(rawValue: try text(4)) ?? .year,
            countryISO3: try row.text(5), admin1: try row.text(6), admin2: try row.text(7), areaPcode: try row.text(8),
            latitude: try row.double(9), longitude: try row.double(10),
            geoPrecision: try row.text(11).flatMap(GeoPrecision.init(rawValue:)),
            locationType: IncidentLocationType(rawValue: try text(12)) ?? .unknown,
            category: IncidentCategory(rawValue: try text(13)) ?? .violence,
            subtype: try row.text(14).flatMap(IncidentSubtype.init(rawValue:)),
            actorType: ActorType(rawValue: try text(15)) ?? .unknown,
            actorName: try row.text(16),
            means: IncidentMeans(rawValue: try text(17)) ?? .unknown,
            context: IncidentContext(rawValue: try text(18)) ?? .unknown,
            motive: IncidentMotive(rawValue: try text(19)) ?? .unknown,
            verification: VerificationStatus(rawValue: try text(20)) ?? .unverified, casualties: casualties,
            fatalities: try row.int(21),
            description: try row.text(22))
    }

    /// An SQLKit row read by position: the position's column name, decoded.
    struct ByName: ExportColumns {
        let row: any SQLRow
        func name(_ column: Int) -> String { column < contextColumns.count ? contextColumns[column] : "cells" }
        func text(_ column: Int) throws -> String? { try row.decodeOptional(column: name(column), as: String.self) }
        func double(_ column: Int) throws -> Double? { try row.decodeOptional(column: name(column), as: Double.self) }
        func int(_ column: Int) throws -> Int? { try row.decodeOptional(column: name(column), as: Int.self) }
        func date(_ column: Int) throws -> Date? { try row.decodeOptional(column: name(column), as: Date.self) }
    }
}

/// The columns of an exported row, by position.
protocol ExportColumns {
    func text(_ column: Int) throws -> String?
    func double(_ column: Int) throws -> Double?
    func int(_ column: Int) throws -> Int?
    func date(_ column: Int) throws -> Date?
}

extension SQLiteCursor.Row: ExportColumns {
    /// SQLite holds dates as seconds since 1970 (SQLiteNIO's representation).
    func date(_ column: Int) -> Date? { double(column).map(Date.init(timeIntervalSince1970:)) }
}

/// The caller's writer lent to the connection's closure, which must be `Sendable` and escaping
/// though it runs within the call, one batch at a time; released before the loan ends.
private final class BorrowedWriter: @unchecked Sendable {
    private var each: (([IncidentExchangeRecord]) async throws -> Void)?
    init(_ each: @escaping ([IncidentExchangeRecord]) async throws -> Void) { self.each = each }
    func write(_ batch: [IncidentExchangeRecord]) async throws { try await each?(batch) }
    func release() { each = nil }
}

/// A stored value this code cannot read back: a schema or data fault, never the user's input.
struct StoredValueError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
