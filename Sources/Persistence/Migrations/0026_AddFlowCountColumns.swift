import FluentKit
import SQLKit

/// The tallies' sex × age bins and vulnerability counts as integer columns beside their JSON:
/// the analysis sums them over a million tallies, and would otherwise call `json_extract`
/// eighteen times a row. The JSON stays what a tally reads back; the columns are filled on
/// every write. Also an index in the export's order, so it reads by keyset without sorting.
struct AddFlowCountColumns: AsyncMigration {
    var name: String { "0026_add_flow_count_columns" }

    /// Column → the JSON column and key it comes from.
    static let columns: [(column: String, json: String, key: String)] =
        (DisaggregationBins.unhcr + DisaggregationBins.sex).map { ("c_\($0)", "bins", $0) }
        + DisaggregationBins.vulnerabilities.map { ("v_\($0)", "vulnerable", $0) }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let postgres = sql.dialect.name == "postgresql"
        for column in Self.columns {
            try await sql.raw(
                "ALTER TABLE flow_observations ADD COLUMN \(unsafeRaw: column.column) BIGINT NOT NULL DEFAULT 0"
            ).run()
        }
        // Tallies recorded before: their counts copied from the JSON, one statement per JSON column.
        for source in ["bins", "vulnerable"] {
            let sets = Self.columns.filter { $0.json == source }.map { c in
                postgres
                    ? "\(c.column) = COALESCE((\(source)::json->>'\(c.key)')::bigint, 0)"
                    : "\(c.column) = COALESCE(json_extract(\(source), '$.\(c.key)'), 0)"
            }.joined(separator: ", ")
            try await sql.raw("UPDATE flow_observations SET \(unsafeRaw: sets) WHERE \(unsafeRaw: source) IS NOT NULL")
                .run()
        }
        try await sql.create(index: "ix_flow_observations_export").on("flow_observations")
            .column("operation_id").column("window_start").column("id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "ix_flow_observations_export").run()
        for column in Self.columns {
            try await sql.raw("ALTER TABLE flow_observations DROP COLUMN \(unsafeRaw: column.column)").run()
        }
    }
}

/// The bin and vulnerability keys as the migration knows them: spelled out here, not read from
/// Domain, so that a later change of the vocabulary cannot change what this migration did.
enum DisaggregationBins {
    static let unhcr = [
        "f_0_4", "f_5_11", "f_12_17", "f_18_59", "f_60", "f_other", "m_0_4", "m_5_11", "m_12_17", "m_18_59", "m_60",
        "m_other",
    ]
    static let sex = ["f", "m"]
    static let vulnerabilities = [
        "uasc", "pregnant_lactating", "older_people", "disability", "serious_medical", "trafficking_risk",
    ]
}
