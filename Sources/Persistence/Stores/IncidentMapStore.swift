import Domain
import FluentKit
import Foundation
import SQLKit

/// What the incident map draws, through the viewer's scope and the analysis filter: light points
/// when there are few, or counts per grid square when there are many. A square's count is the
/// number of incidents in it, so the squares add up to the incidents with coordinates.
public struct IncidentMapStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public struct Point: Sendable, Hashable {
        /// The incident's id (own) or nil (context events have no page).
        public let id: UUID?
        public let origin: String
        /// The incident number (own) or the source's id (context).
        public let reference: String
        public let title: String?
        public let category: IncidentCategory
        public let latitude: Double
        public let longitude: Double
        public let occurredAt: Date
    }

    public struct Square: Sendable, Hashable {
        /// The mean position of the incidents in the square, where its circle is drawn.
        public let latitude: Double
        public let longitude: Double
        public let count: Int
    }

    /// How many incidents pass the filter with and without coordinates.
    public func counts(in scope: Scope, filter: IncidentFilter) async throws -> (located: Int, unlocated: Int) {
        var located = 0, unlocated = 0
        try await IncidentAnalysisStore(database).eachTable(scope, filter) { builder, _ in
            builder.column(SQLRaw("CASE WHEN latitude IS NULL OR longitude IS NULL THEN 0 ELSE 1 END"), as: "located")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").groupBy(SQLIdentifier("located"))
        } row: { row in
            let n = try row.decode(column: "n", as: Int.self)
            if try row.decode(column: "located", as: Int.self) == 1 { located += n } else { unlocated += n }
        }
        return (located, unlocated)
    }

    /// Every incident with coordinates, as points; call when `counts` says they are few.
    public func points(in scope: Scope, filter: IncidentFilter) async throws -> [Point] {
        var points: [Point] = []
        let sql = database.sql
        if filter.includesOwn {
            let rows = try await filter.own(
                sql.select().columns("id", "number", "title", "category", "latitude", "longitude", "occurred_at")
                    .from("incidents"), scope: scope
            ).where("latitude", .isNot, SQLLiteral.null).where("longitude", .isNot, SQLLiteral.null).all()
            for row in rows {
                points.append(
                    Point(
                        id: try row.decode(column: "id", as: UUID.self), origin: ContextEvent.Source.ownName,
                        reference: String(try row.decode(column: "number", as: Int.self)),
                        title: try row.decode(column: "title", as: String.self),
                        category: try IncidentAnalysisStore.category(row),
                        latitude: try row.decode(column: "latitude", as: Double.self),
                        longitude: try row.decode(column: "longitude", as: Double.self),
                        occurredAt: try row.decode(column: "occurred_at", as: Date.self)))
            }
        }
        if filter.includesContext {
            let rows = try await filter.context(
                sql.select().columns("source", "source_id", "category", "latitude", "longitude", "occurred_on")
                    .from("context_events"), scope: scope
            ).where("excluded_from_trends", .equal, false)
                .where("latitude", .isNot, SQLLiteral.null).where("longitude", .isNot, SQLLiteral.null).all()
            for row in rows {
                points.append(
                    Point(
                        id: nil, origin: try row.decode(column: "source", as: String.self),
                        reference: try row.decode(column: "source_id", as: String.self),
                        title: nil, category: try IncidentAnalysisStore.category(row),
                        latitude: try row.decode(column: "latitude", as: Double.self),
                        longitude: try row.decode(column: "longitude", as: Double.self),
                        occurredAt: try row.decode(column: "occurred_on", as: Date.self)))
            }
        }
        return points
    }

    /// Incidents with coordinates counted per square of `size` degrees, aggregated in SQL.
    public func squares(in scope: Scope, filter: IncidentFilter, size: Double) async throws -> [Square] {
        // Shifted to positive values so that CAST truncation is floor on both databases.
        let row = "CAST((latitude + 90) / \(size) AS INTEGER)", column = "CAST((longitude + 180) / \(size) AS INTEGER)"
        var merged: [String: (lat: Double, lon: Double, n: Int)] = [:]
        try await IncidentAnalysisStore(database).eachTable(scope, filter) { builder, _ in
            builder.column(SQLRaw(row), as: "gy").column(SQLRaw(column), as: "gx")
                .column(SQLFunction("SUM", args: SQLIdentifier("latitude")), as: "lat_sum")
                .column(SQLFunction("SUM", args: SQLIdentifier("longitude")), as: "lon_sum")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .where("latitude", .isNot, SQLLiteral.null).where("longitude", .isNot, SQLLiteral.null)
                .groupBy(SQLIdentifier("gy")).groupBy(SQLIdentifier("gx"))
        } row: { r in
            let key = "\(try r.decode(column: "gy", as: Int.self))/\(try r.decode(column: "gx", as: Int.self))"
            let before = merged[key] ?? (0, 0, 0)
            merged[key] = (
                before.lat + (try r.decode(column: "lat_sum", as: Double.self)),
                before.lon + (try r.decode(column: "lon_sum", as: Double.self)),
                before.n + (try r.decode(column: "n", as: Int.self))
            )
        }
        return merged.values.map {
            Square(latitude: $0.lat / Double($0.n), longitude: $0.lon / Double($0.n), count: $0.n)
        }
        .sorted { $0.count > $1.count }
    }
}
