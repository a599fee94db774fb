import FluentKit
import SQLKit

/// The security risk register (issue 4): per-operation settings an administrator edits (risk
/// matrix, threat catalogue, rules, and later phases, plans and MSR, as JSON under a key, so a new
/// setting needs no migration), risks with their measures, the incidents that evidence them, every
/// version of each risk (what "what changed since …" reads), and the reports issued to the HeOps.
/// Levels are stored as the matrix gave them when written, so the register sorts and filters in
/// SQL; changing the matrix re-levels every risk and records a version for each that moved.
struct CreateRiskRegister: AsyncMigration {
    var name: String { "0016_create_risk_register" }

    func prepare(on database: any Database) async throws {
        try await database.schema("operation_settings")
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("setting_key", .string, .required)
            .field("value", .string, .required)  // JSON
            .field("updated_at", .datetime, .required)
            .field("updated_by", .uuid, .references("users", "id", onDelete: .setNull))
            .compositeIdentifier(over: "operation_id", "setting_key")
            .create()

        try await database.schema("risks")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)  // per operation: "risk 7"
            .field("title", .string, .required)
            .field("threat", .string, .required)
            .field("targets", .string, .required)  // comma-separated RiskTarget values
            .field("vulnerabilities", .string, .required)
            .field("area_pcodes", .string, .required)  // comma-separated; empty: the whole operation
            .field("likelihood", .int, .required)
            .field("impact", .int, .required)
            .field("inherent_level", .int, .required)
            .field("residual_likelihood", .int)
            .field("residual_impact", .int)
            .field("residual_level", .int)
            .field("level", .int, .required)  // residual when assessed, else inherent: what the register ranks by
            .field("acceptance_by", .string)
            .field("acceptance_on", .datetime)
            .field("acceptance_rationale", .string)
            .field("programme_criticality", .string)
            .field("next_review", .datetime, .required)
            .field("closed_at", .datetime)
            .field("closed_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("closing_note", .string)
            .field("version", .int, .required)
            .field("audience", .string, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "operation_id", "number")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_risks_register").on("risks").column("operation_id").column("closed_at").column(
            "level"
        ).run()

        try await database.schema("risk_measures")
            .field("id", .uuid, .identifier(auto: false))
            .field("risk_id", .uuid, .required, .references("risks", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("description", .string, .required)
            .field("owner", .string, .required)
            .field("due_on", .datetime)
            .field("status", .string, .required)
            .field("strategy", .string, .required)
            .field("tags", .string, .required)  // comma-separated, lower case
            .create()
        try await sql.create(index: "ix_risk_measures_risk").on("risk_measures").column("risk_id").column("position")
            .run()

        try await database.schema("risk_incidents")
            .field("risk_id", .uuid, .required, .references("risks", "id", onDelete: .cascade))
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("linked_at", .datetime, .required)
            .field("linked_by", .uuid, .references("users", "id", onDelete: .setNull))
            .compositeIdentifier(over: "risk_id", "incident_id")
            .create()
        try await sql.create(index: "ix_risk_incidents_incident").on("risk_incidents").column("incident_id").run()

        try await database.schema("risk_versions")
            .field("id", .uuid, .identifier(auto: false))
            .field("risk_id", .uuid, .required, .references("risks", "id", onDelete: .cascade))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("recorded_at", .datetime, .required)
            .field("actor_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("change", .string, .required)  // created, updated, closed, reopened, releveled
            .field("level", .int, .required)
            .field("closed", .bool, .required)
            .field("snapshot", .string, .required)  // the whole risk as JSON, measures included
            .unique(on: "risk_id", "version")
            .create()
        try await sql.create(index: "ix_risk_versions_asof").on("risk_versions").column("operation_id").column(
            "recorded_at"
        ).run()

        try await database.schema("risk_reports")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("since", .datetime, .required)
            .field("issued_at", .datetime, .required)
            .field("recommendations", .string, .required)
            .field("audience", .string, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .unique(on: "operation_id", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in [
            "risk_reports", "risk_versions", "risk_incidents", "risk_measures", "risks", "operation_settings",
        ] {
            try await database.schema(table).delete()
        }
    }
}
