import Domain
import FluentKit
import Foundation
import SQLKit

/// Counts for the incident analysis, aggregated in SQL: own incidents through the viewer's scope,
/// and context events of the operation (published data, seen by every member).
public struct IncidentAnalysisStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public enum Period: String, Sendable, CaseIterable {
        /// ISO weeks, starting on Monday (UTC); labelled by that Monday, e.g. 2026-11-16.
        case week
        /// Calendar months (UTC), labelled 2026-11.
        case month
    }

    public enum Origin: Hashable, Sendable {
        case own
        case context(ContextEvent.Source)
        public var label: String {
            switch self {
            case .own: "own"
            case .context(let source): source.rawValue
            }
        }
    }

    public struct Filter: Sendable {
        public var from: Date
        public var to: Date
        public var origins: Set<Origin>
        public var categories: Set<IncidentCategory>?
        public init(from: Date, to: Date, origins: Set<Origin> = [.own], categories: Set<IncidentCategory>? = nil) {
            self.from = from
            self.to = to
            self.origins = origins
            self.categories = categories
        }
    }

    public struct Count: Sendable, Hashable {
        public let bucket: String
        public let category: IncidentCategory
        public let origin: String
        public let count: Int
    }

    public struct Result: Sendable {
        public var counts: [Count] = []
        /// Context events left out because their date is coarser than the period (a month-only
        /// date cannot be placed in a week) or because the source says not to trend them.
        public var leftOut = 0
    }

    public func counts(in scope: Scope, filter: Filter, by period: Period) async throws -> Result {
        let sql = database.sql
        var result = Result()
        if filter.origins.contains(.own) {
            let query = sql.select().column(Self.bucket("occurred_at", period, sql), as: "bucket").column("category")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("incidents")
                .where(VisibilityFilter.predicate(scope, table: "incidents", kind: IncidentStore.kind))
                .where("occurred_at", .greaterThanOrEqual, filter.from).where("occurred_at", .lessThan, filter.to)
            if let categories = filter.categories { query.where("category", .in, categories.map(\.rawValue).sorted()) }
            for row in try await query.groupBy(SQLIdentifier("bucket")).groupBy("category").all() {
                result.counts.append(Count(
                    bucket: try row.decode(column: "bucket", as: String.self),
                    category: IncidentCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .securityBreach,
                    origin: Origin.own.label, count: try row.decode(column: "n", as: Int.self)))
            }
        }
        let sources = filter.origins.compactMap { origin -> String? in
            if case .context(let source) = origin { return source.rawValue }
            return nil
        }.sorted()
        guard !sources.isEmpty else { return result }
        let precise = (period == .week ? [TimePrecision.minute, .day, .week] : [.minute, .day, .week, .month]).map(\.rawValue)
        func context(_ builder: SQLSelectBuilder) -> SQLSelectBuilder {
            builder.from("context_events").where(VisibilityFilter.contextEvents(scope)).where("source", .in, sources)
                .where("occurred_on", .greaterThanOrEqual, filter.from).where("occurred_on", .lessThan, filter.to)
            if let categories = filter.categories { builder.where("category", .in, categories.map(\.rawValue).sorted()) }
            return builder
        }
        let counted = context(sql.select().column(Self.bucket("occurred_on", period, sql), as: "bucket").column("category").column("source")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"))
            .where("time_precision", .in, precise).where("excluded_from_trends", .equal, false)
        for row in try await counted.groupBy(SQLIdentifier("bucket")).groupBy("category").groupBy("source").all() {
            result.counts.append(Count(
                bucket: try row.decode(column: "bucket", as: String.self),
                category: IncidentCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .securityBreach,
                origin: try row.decode(column: "source", as: String.self), count: try row.decode(column: "n", as: Int.self)))
        }
        let all = try await context(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")).first()?
            .decode(column: "n", as: Int.self) ?? 0
        result.leftOut = all - result.counts.filter { $0.origin != Origin.own.label }.reduce(0) { $0 + $1.count }
        return result
    }

    /// The period label of a timestamp column, in each dialect. SQLite keeps dates as Unix seconds.
    static func bucket(_ column: String, _ period: Period, _ sql: any SQLDatabase) -> any SQLExpression {
        switch (period, sql.isPostgres) {
        case (.week, true): SQLRaw("to_char(date_trunc('week', \(column) AT TIME ZONE 'UTC'), 'YYYY-MM-DD')")
        case (.month, true): SQLRaw("to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM')")
        // 1970-01-05 (345,600 s after the epoch) was a Monday; weeks are counted from there.
        case (.week, false): SQLRaw("date(CAST((\(column) - 345600) / 604800 AS INTEGER) * 604800 + 345600, 'unixepoch')")
        case (.month, false): SQLRaw("strftime('%Y-%m', \(column), 'unixepoch')")
        }
    }
}
