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
                    after = (record.draft.occurredAt, record.id)
                }
                try await each(batch)
                if rows.count < batchSize { break }
            }
        }
        if filter.includesContext {
            var after: (Date, UUID)?
            while true {
                let query = filter.context(sql.select().column("*").from("context_events"), scope: scope)
                let rows = try await Self.keyset(query, after: after, date: "occurred_on", limit: batchSize, sql: sql)
                guard !rows.isEmpty else { break }
                var batch: [IncidentExchangeRecord] = []
                for row in rows {
                    batch.append(try Self.contextRecord(row))
                    after = (try row.decode(column: "occurred_on", as: Date.self), try row.decode(column: "id", as: UUID.self))
                }
                try await each(batch)
                if rows.count < batchSize { break }
            }
        }
    }

    static func keyset(_ query: SQLSelectBuilder, after: (Date, UUID)?, date: String, limit: Int, sql: any SQLDatabase) async throws -> [any SQLRow] {
        if let after {
            query.where("(\(ident: date), id) > (\(bind: after.0), \(bind: after.1))" as SQLQueryString)
        }
        return try await query.orderBy(date).orderBy("id").limit(limit).all()
    }

    static func exchange(_ record: IncidentRecord, defaultCountry: String?) -> IncidentExchangeRecord {
        let d = record.draft
        let country = d.areaPcode.flatMap { Countries.alpha3ByAlpha2[String($0.prefix(2)).uppercased()] } ?? defaultCountry
        return IncidentExchangeRecord(
            source: ContextEvent.Source.ownName, id: String(record.number), occurredAt: d.occurredAt, timePrecision: d.timePrecision,
            countryISO3: country, areaPcode: d.areaPcode, latitude: d.latitude, longitude: d.longitude, geoPrecision: d.geoPrecision,
            locationType: d.locationType, category: d.category, subtype: d.subtype, actorType: d.actorType, actorName: d.actorName,
            means: d.means, context: d.context, motive: d.motive, severity: d.severity, serious: record.serious,
            verification: d.verification, status: record.status, casualties: d.casualties, title: d.title, description: d.description)
    }

    static func contextRecord(_ row: any SQLRow) throws -> IncidentExchangeRecord {
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        func optionalText(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        var casualties = Casualties()
        for cell in Casualties.Cell.all { casualties[cell] = try row.decode(column: cell.key, as: Int.self) }
        return IncidentExchangeRecord(
            source: try text("source"), id: try text("source_id"), occurredAt: try row.decode(column: "occurred_on", as: Date.self),
            timePrecision: TimePrecision(rawValue: try text("time_precision")) ?? .year, countryISO3: try optionalText("country_iso3"),
            admin1: try optionalText("admin1"), admin2: try optionalText("admin2"), areaPcode: try optionalText("area_pcode"),
            latitude: try row.decode(column: "latitude", as: Double?.self), longitude: try row.decode(column: "longitude", as: Double?.self),
            geoPrecision: try optionalText("geo_precision").flatMap(GeoPrecision.init(rawValue:)),
            locationType: IncidentLocationType(rawValue: try text("location_type")) ?? .unknown,
            category: IncidentCategory(rawValue: try text("category")) ?? .violence,
            subtype: try optionalText("subtype").flatMap(IncidentSubtype.init(rawValue:)),
            actorType: ActorType(rawValue: try text("actor_type")) ?? .unknown, actorName: try optionalText("actor_name"),
            means: IncidentMeans(rawValue: try text("means")) ?? .unknown, context: IncidentContext(rawValue: try text("context")) ?? .unknown,
            motive: IncidentMotive(rawValue: try text("motive")) ?? .unknown,
            verification: VerificationStatus(rawValue: try text("verification")) ?? .unverified, casualties: casualties,
            fatalities: try row.decode(column: "fatalities", as: Int?.self), description: try optionalText("description"))
    }
}
