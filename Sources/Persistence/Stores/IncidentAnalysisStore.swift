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
        /// Calendar years (UTC), labelled 2026.
        case year

        /// The time precisions an event needs to be placed in one bucket of this period.
        var placeablePrecisions: [String] {
            let finest: [TimePrecision] =
                switch self {
                case .week: [.minute, .day, .week]
                case .month: [.minute, .day, .week, .month]
                case .year: TimePrecision.allCases
                }
            return finest.map(\.rawValue)
        }
    }

    public struct Count: Sendable, Hashable {
        public let bucket: String
        public let category: IncidentCategory
        /// `own` or the context source's name.
        public let origin: String
        public let count: Int
    }

    public struct Result: Sendable {
        public var counts: [Count] = []
        /// Context events left out because their date is coarser than the period (a month-only
        /// date cannot be placed in a week) or because the source says not to trend them.
        public var leftOut = 0
    }

    /// Counts by period, category and origin. Context events are counted only when their date is
    /// precise enough for the period and their source does not exclude them from trends.
    public func counts(in scope: Scope, filter: IncidentFilter, by period: Period) async throws -> Result {
        let sql = database.sql
        var result = Result()
        let n = SQLFunction("COUNT", args: SQLLiteral.all)
        if filter.includesOwn {
            let query = filter.own(
                sql.select().column(Self.bucket("occurred_at", period, sql), as: "bucket").column("category")
                    .column(n, as: "n").from("incidents"), scope: scope)
            for row in try await query.groupBy(SQLIdentifier("bucket")).groupBy("category").all() {
                result.counts.append(
                    Count(
                        bucket: try row.decode(column: "bucket", as: String.self), category: try Self.category(row),
                        origin: ContextEvent.Source.ownName, count: try row.decode(column: "n", as: Int.self)))
            }
        }
        guard filter.includesContext else { return result }
        let counted = filter.context(
            sql.select().column(Self.bucket("occurred_on", period, sql), as: "bucket").column("category")
                .column("source").column(n, as: "n").from("context_events"), scope: scope
        )
        .where("time_precision", .in, period.placeablePrecisions).where("excluded_from_trends", .equal, false)
        for row in try await counted.groupBy(SQLIdentifier("bucket")).groupBy("category").groupBy("source").all() {
            result.counts.append(
                Count(
                    bucket: try row.decode(column: "bucket", as: String.self), category: try Self.category(row),
                    origin: try row.decode(column: "source", as: String.self),
                    count: try row.decode(column: "n", as: Int.self)))
        }
        let all =
            try await filter.context(sql.select().column(n, as: "n").from("context_events"), scope: scope).first()?
            .decode(column: "n", as: Int.self) ?? 0
        result.leftOut =
            all - result.counts.filter { $0.origin != ContextEvent.Source.ownName }.reduce(0) { $0 + $1.count }
        return result
    }

    static func category(_ row: any SQLRow) throws -> IncidentCategory {
        IncidentCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .securityBreach
    }

    /// One admin area's figures: `area` is the incident's own (deepest) P-code, nil when unplaced.
    public struct AreaCount: Sendable, Hashable {
        public let area: String?
        public let category: IncidentCategory
        public let count: Int
    }

    /// Incidents by admin area and category, own and context together (context events that
    /// their source keeps out of trends are not counted).
    public func areaCategoryCounts(in scope: Scope, filter: IncidentFilter) async throws -> [AreaCount] {
        var counts: [AreaCount] = []
        try await eachTable(scope, filter) { builder, _ in
            builder.column("area_pcode").column("category").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .groupBy("area_pcode").groupBy("category")
        } row: { row in
            counts.append(
                AreaCount(
                    area: try row.decode(column: "area_pcode", as: String?.self), category: try Self.category(row),
                    count: try row.decode(column: "n", as: Int.self)))
        }
        return counts
    }

    /// People harmed: the casualty cells summed, and the general fatalities context sources count.
    public func casualties(in scope: Scope, filter: IncidentFilter) async throws -> (
        casualties: Casualties, fatalities: Int
    ) {
        var total = Casualties()
        var fatalities = 0
        try await eachTable(scope, filter) { builder, table in
            // Cast: PostgreSQL sums BIGINT columns to NUMERIC.
            for cell in Casualties.Cell.all {
                builder.column(SQLRaw("CAST(COALESCE(SUM(\(cell.key)), 0) AS BIGINT)"), as: cell.key)
            }
            if table == "context_events" {
                builder.column(SQLRaw("CAST(COALESCE(SUM(fatalities), 0) AS BIGINT)"), as: "fatalities")
            }
            return builder
        } row: { row in
            for cell in Casualties.Cell.all { total[cell] += try row.decode(column: cell.key, as: Int.self) }
            if let f = try? row.decode(column: "fatalities", as: Int.self) { fatalities += f }
        }
        return (total, fatalities)
    }

    /// Incidents per admin area in two windows, for the early warning: [recentStart, end) and
    /// [baselineStart, recentStart). The filter's own dates are ignored: the windows are the test's.
    public func areaWindows(in scope: Scope, filter: IncidentFilter, baselineStart: Date, recentStart: Date, end: Date)
        async throws
        -> [String?: (recent: Int, baseline: Int)]
    {
        var windows = filter
        windows.from = baselineStart
        windows.to = end
        var result: [String?: (recent: Int, baseline: Int)] = [:]
        try await eachTable(scope, windows) { builder, table in
            let date = table == "incidents" ? "occurred_at" : "occurred_on"
            let recent: SQLQueryString = "SUM(CASE WHEN \(ident: date) >= \(bind: recentStart) THEN 1 ELSE 0 END)"
            let baseline: SQLQueryString = "SUM(CASE WHEN \(ident: date) < \(bind: recentStart) THEN 1 ELSE 0 END)"
            return builder.column("area_pcode").column(recent, as: "recent").column(baseline, as: "baseline").groupBy(
                "area_pcode")
        } row: { row in
            let area = try row.decode(column: "area_pcode", as: String?.self)
            let before = result[area] ?? (0, 0)
            result[area] = (
                before.recent + (try row.decode(column: "recent", as: Int?.self) ?? 0),
                before.baseline + (try row.decode(column: "baseline", as: Int?.self) ?? 0)
            )
        }
        return result
    }

    /// Runs one aggregate over own incidents and over context events (those a source keeps out of
    /// trends excepted), each through the filter and the scope.
    func eachTable(
        _ scope: Scope, _ filter: IncidentFilter, build: (SQLSelectBuilder, String) -> SQLSelectBuilder,
        row: (any SQLRow) throws -> Void
    ) async throws {
        let sql = database.sql
        if filter.includesOwn {
            for r in try await build(filter.own(sql.select().from("incidents"), scope: scope), "incidents").all() {
                try row(r)
            }
        }
        if filter.includesContext {
            let query = build(filter.context(sql.select().from("context_events"), scope: scope), "context_events")
                .where("excluded_from_trends", .equal, false)
            for r in try await query.all() { try row(r) }
        }
    }

    /// The period label of a timestamp column, in each dialect. SQLite keeps dates as Unix seconds.
    static func bucket(_ column: String, _ period: Period, _ sql: any SQLDatabase) -> any SQLExpression {
        switch (period, sql.isPostgres) {
        case (.week, true): SQLRaw("to_char(date_trunc('week', \(column) AT TIME ZONE 'UTC'), 'YYYY-MM-DD')")
        case (.month, true): SQLRaw("to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM')")
        case (.year, true): SQLRaw("to_char(\(column) AT TIME ZONE 'UTC', 'YYYY')")
        // 1970-01-05 (345,600 s after the epoch) was a Monday; weeks are counted from there.
        case (.week, false):
            SQLRaw("date(CAST((\(column) - 345600) / 604800 AS INTEGER) * 604800 + 345600, 'unixepoch')")
        case (.month, false): SQLRaw("strftime('%Y-%m', \(column), 'unixepoch')")
        case (.year, false): SQLRaw("strftime('%Y', \(column), 'unixepoch')")
        }
    }
}

/// Yearly, monthly or per-country totals of incidents and people harmed: the figures
/// `bearing stats incidents` prints and the analysis page sums.
extension IncidentAnalysisStore {
    public enum Grouping: String, Sendable, CaseIterable {
        case year, month
        case countryYear = "country,year"
        /// The key columns, as `bearing stats` names them.
        public var keyColumns: [String] {
            switch self {
            case .year: ["year"]
            case .month: ["month"]
            case .countryYear: ["country_iso3", "year"]
            }
        }
        public var period: Period { self == .month ? .month : .year }
    }

    public struct Totals: Sendable, Hashable {
        public var incidents = 0
        public var killed = 0
        public var injured = 0
        public var kidnapped = 0
        public var detained = 0
        public var affected = 0
        public init() {}
        mutating func add(_ other: Totals) {
            incidents += other.incidents; killed += other.killed; injured += other.injured
            kidnapped += other.kidnapped; detained += other.detained; affected += other.affected
        }
    }

    public struct StatsRow: Sendable, Hashable {
        public let key: [String]
        public var totals: Totals
    }

    public struct Stats: Sendable {
        public var rows: [StatsRow] = []
        /// Context events whose date is too coarse for the grouping (a year-only date by month),
        /// or that their source says not to count in trends.
        public var leftOut = 0
    }

    /// Totals by `grouping` over own incidents (through `scope`) and the named context sources;
    /// `sources` nil means every source. Own incidents are placed in a country by the P-code of
    /// their admin area (OCHA P-codes start with the ISO alpha-2 code), else `defaultCountry`.
    /// Context events marked missing by a later import are not counted.
    public func stats(in scope: Scope, filter: IncidentFilter, by grouping: Grouping, defaultCountry: String?)
        async throws -> Stats
    {
        let sql = database.sql
        var merged: [[String]: Totals] = [:]
        func harm(_ harm: Casualties.Harm) -> String {
            Casualties.Cell.all.filter { $0.harm == harm }.map(\.key).joined(separator: " + ")
        }
        // PostgreSQL sums BIGINT columns to NUMERIC; the cast keeps every sum an integer on both databases.
        func sum(_ expression: String) -> String { "CAST(SUM(\(expression)) AS BIGINT)" }
        let sums =
            "\(sum(harm(.killed))) AS killed, \(sum(harm(.injured))) AS injured, \(sum(harm(.kidnapped))) AS kidnapped, "
            + "\(sum(harm(.detained))) AS detained, COUNT(*) AS n"
        func totals(_ row: any SQLRow, fatalities: Bool) throws -> Totals {
            var t = Totals()
            t.incidents = try row.decode(column: "n", as: Int.self)
            let extra = fatalities ? try row.decode(column: "fatalities", as: Int?.self) ?? 0 : 0
            t.killed = (try row.decode(column: "killed", as: Int?.self) ?? 0) + extra
            t.injured = try row.decode(column: "injured", as: Int?.self) ?? 0
            t.kidnapped = try row.decode(column: "kidnapped", as: Int?.self) ?? 0
            t.detained = try row.decode(column: "detained", as: Int?.self) ?? 0
            t.affected = t.killed + t.injured + t.kidnapped + t.detained
            return t
        }
        let bucket = Self.bucket
        if filter.includesOwn {
            let query = filter.own(
                sql.select().column(bucket("occurred_at", grouping.period, sql), as: "bucket")
                    .column(SQLRaw("substr(area_pcode, 1, 2)"), as: "cc").column(SQLRaw(sums)).from("incidents"),
                scope: scope
            )
            .groupBy(SQLIdentifier("bucket")).groupBy(SQLIdentifier("cc"))
            for row in try await query.all() {
                let year = try row.decode(column: "bucket", as: String.self)
                let iso3 =
                    try row.decode(column: "cc", as: String?.self).flatMap { Countries.alpha3ByAlpha2[$0.uppercased()] }
                    ?? defaultCountry ?? ""
                let key = grouping == .countryYear ? [iso3, year] : [year]
                merged[key, default: Totals()].add(try totals(row, fatalities: false))
            }
        }
        var stats = Stats()
        if filter.includesContext {
            func filtered(_ builder: SQLSelectBuilder) -> SQLSelectBuilder {
                filter.context(builder.from("context_events"), scope: scope)
            }
            let query = filtered(
                sql.select().column(bucket("occurred_on", grouping.period, sql), as: "bucket")
                    .column("country_iso3").column(SQLRaw(sums + ", \(sum("COALESCE(fatalities, 0)")) AS fatalities"))
            )
            .where("time_precision", .in, grouping.period.placeablePrecisions).where(
                "excluded_from_trends", .equal, false
            )
            .groupBy(SQLIdentifier("bucket")).groupBy("country_iso3")
            var counted = 0
            for row in try await query.all() {
                let year = try row.decode(column: "bucket", as: String.self)
                let iso3 = try row.decode(column: "country_iso3", as: String?.self) ?? ""
                let key = grouping == .countryYear ? [iso3, year] : [year]
                let t = try totals(row, fatalities: true)
                counted += t.incidents
                merged[key, default: Totals()].add(t)
            }
            let all =
                try await filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")).first()?
                .decode(column: "n", as: Int.self) ?? 0
            stats.leftOut = all - counted
        }
        stats.rows = merged.map { StatsRow(key: $0.key, totals: $0.value) }.sorted {
            $0.key.lexicographicallyPrecedes($1.key)
        }
        return stats
    }
}
