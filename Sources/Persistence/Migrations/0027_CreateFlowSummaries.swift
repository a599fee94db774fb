import FluentKit
import SQLKit

/// Per point and day, what the flow analysis reads instead of every tally: people and tallies by
/// direction with the sex × age and vulnerability sums (`flow_daily`), and people by origin and
/// destination (`flow_routes`). A year of a million tallies is a few thousand rows of the first;
/// scanning the tallies took seconds per query (BENCHMARKS.md). The store keeps both up to date in
/// the transaction that writes a tally; this migration builds them for the tallies already there.
/// Missing origins and destinations are '' here, so that the unique keys treat them as equal.
struct CreateFlowSummaries: AsyncMigration {
    var name: String { "0027_create_flow_summaries" }

    static let counts =
        (DisaggregationBins.unhcr + DisaggregationBins.sex).map { "c_\($0)" }
        + DisaggregationBins.vulnerabilities.map { "v_\($0)" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        var daily = database.schema("flow_daily")
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("point_id", .uuid, .required, .references("sites", "id", onDelete: .cascade))
            .field("day", .string, .required)  // YYYY-MM-DD, UTC, of the window's start
            .field("direction", .string, .required)
            .field("tallies", .int64, .required)
            .field("people", .int64, .required)
            .field("disaggregated", .int64, .required)  // people in tallies under UNHCR's scheme
        for column in Self.counts { daily = daily.field(.string(column), .int64, .required) }
        try await daily.unique(on: "point_id", "day", "direction").create()
        try await database.schema("flow_routes")
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("point_id", .uuid, .required, .references("sites", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("origin_area", .string, .required)
            .field("origin_country", .string, .required)  // the origin country, else the nationality
            .field("destination", .string, .required)  // the final destination, else the next
            .field("people", .int64, .required)
            .unique(on: "point_id", "day", "origin_area", "origin_country", "destination")
            .create()
        try await sql.create(index: "ix_flow_daily_operation_day").on("flow_daily").column("operation_id").column("day")
            .run()
        try await sql.create(index: "ix_flow_routes_operation_day").on("flow_routes").column("operation_id").column(
            "day"
        ).run()

        try await Self.fill(on: sql)
    }

    /// Sums every tally into the (empty) summaries. Also what `FlowStore.rebuildSummaries` runs after
    /// tallies were written outside Bearing (a benchmark's generator, a repair): one definition of them.
    static func fill(on sql: any SQLDatabase) async throws {
        let day =
            sql.dialect.name == "postgresql"
            ? "to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD')" : "date(window_start, 'unixepoch')"
        let sums = Self.counts.map { "SUM(\($0))" }.joined(separator: ", ")
        try await sql.raw(
            """
            INSERT INTO flow_daily (operation_id, point_id, day, direction, tallies, people, disaggregated, \(unsafeRaw: Self.counts.joined(separator: ", ")))
            SELECT operation_id, point_id, \(unsafeRaw: day), direction, COUNT(*), SUM(total), SUM(CASE WHEN scheme = 'unhcr' THEN total ELSE 0 END), \(unsafeRaw: sums)
            FROM flow_observations GROUP BY operation_id, point_id, \(unsafeRaw: day), direction
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO flow_routes (operation_id, point_id, day, origin_area, origin_country, destination, people)
            SELECT operation_id, point_id, \(unsafeRaw: day), COALESCE(origin_area, ''), COALESCE(origin_country, nationality, ''),
                   COALESCE(final_destination, next_destination, ''), SUM(total)
            FROM flow_observations
            GROUP BY operation_id, point_id, \(unsafeRaw: day), COALESCE(origin_area, ''), COALESCE(origin_country, nationality, ''),
                     COALESCE(final_destination, next_destination, '')
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        for table in ["flow_routes", "flow_daily"] { try await database.schema(table).delete() }
    }
}
