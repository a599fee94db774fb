import Domain
import FluentKit
import Foundation
import SQLKit

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
                decoding = Task { try page.rows.map(Self.contextRecord) }
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
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        func optionalText(_ column: String) throws -> String? {
            try row.decodeOptional(column: column, as: String.self)
        }
        var casualties = Casualties()
        // Parsed by hand, byte by byte: `split` into substrings and `Int(_:)` cost 3 % more of a
        // million-row export (17.2–17.8 s against 18.1–18.3 s, measured 2026-11-27).
        let list = try row.decode(column: "cells", as: String.self)
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
        for (cell, count) in zip(Casualties.Cell.all, counts) { casualties[cell] = count }
        return IncidentExchangeRecord(
            source: try text("source"), id: try text("source_id"),
            occurredAt: try row.decode(column: "occurred_on", as: Date.self),
            timePrecision: TimePrecision(rawValue: try text("time_precision")) ?? .year,
            countryISO3: try optionalText("country_iso3"),
            admin1: try optionalText("admin1"), admin2: try optionalText("admin2"),
            areaPcode: try optionalText("area_pcode"),
            latitude: try row.decodeOptional(column: "latitude", as: Double.self),
            longitude: try row.decodeOptional(column: "longitude", as: Double.self),
            geoPrecision: try optionalText("geo_precision").flatMap(GeoPrecision.init(rawValue:)),
            locationType: IncidentLocationType(rawValue: try text("location_type")) ?? .unknown,
            category: IncidentCategory(rawValue: try text("category")) ?? .violence,
            subtype: try optionalText("subtype").flatMap(IncidentSubtype.init(rawValue:)),
            actorType: ActorType(rawValue: try text("actor_type")) ?? .unknown,
            actorName: try optionalText("actor_name"),
            means: IncidentMeans(rawValue: try text("means")) ?? .unknown,
            context: IncidentContext(rawValue: try text("context")) ?? .unknown,
            motive: IncidentMotive(rawValue: try text("motive")) ?? .unknown,
            verification: VerificationStatus(rawValue: try text("verification")) ?? .unverified, casualties: casualties,
            fatalities: try row.decodeOptional(column: "fatalities", as: Int.self),
            description: try optionalText("description"))
    }
}

/// A stored value this code cannot read back: a schema or data fault, never the user's input.
struct StoredValueError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
