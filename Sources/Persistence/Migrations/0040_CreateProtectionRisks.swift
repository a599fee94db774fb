import FluentKit
import SQLKit

/// The protection-risk register (issue 18, part 2): risks under GPC's 15 with their migration
/// sub-types, each against a context and a journey phase, scored for exposure; every version of
/// each (what "what changed since …" reads); and the EPoA activities that carry out a mitigation,
/// so that an activity's page can say which risks it mitigates.
struct CreateProtectionRisks: AsyncMigration {
    var name: String { "0040_create_protection_risks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("protection_risks")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)  // per operation: "protection risk 7"
            .field("title", .string, .required)
            .field("category", .string, .required)  // GPC risk key
            .field("subtype", .string)
            .field("context", .string, .required)
            .field("phase", .string, .required)
            .field("likelihood", .int, .required)
            .field("severity", .int, .required)
            .field("exposure", .int, .required)  // the adjusted score, by the settings at the last save
            .field("level", .int, .required)
            .field("next_review", .datetime)
            .field("facts", .string, .required)  // the whole draft as JSON, mitigations included
            .field("closed_at", .datetime)
            .field("closing_note", .string)
            .field("version", .int, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "operation_id", "number")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_protection_risks_register").on("protection_risks").column("operation_id")
            .column("closed_at").column("level").run()

        try await database.schema("protection_risk_versions")
            .field("id", .uuid, .identifier(auto: false))
            .field("risk_id", .uuid, .required, .references("protection_risks", "id", onDelete: .cascade))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("recorded_at", .datetime, .required)
            .field("actor_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("change", .string, .required)
            .field("level", .int, .required)
            .field("exposure", .int, .required)
            .field("closed", .bool, .required)
            .field("snapshot", .string, .required)
            .unique(on: "risk_id", "version")
            .create()
        try await sql.create(index: "ix_protection_risk_versions_asof").on("protection_risk_versions")
            .column("operation_id").column("recorded_at").run()

        try await database.schema("protection_risk_activities")
            .field("risk_id", .uuid, .required, .references("protection_risks", "id", onDelete: .cascade))
            .field("activity_id", .uuid, .required, .references("activities", "id", onDelete: .cascade))
            .compositeIdentifier(over: "risk_id", "activity_id")
            .create()
        try await sql.create(index: "ix_protection_risk_activities_activity").on("protection_risk_activities")
            .column("activity_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["protection_risk_activities", "protection_risk_versions", "protection_risks"] {
            try await database.schema(table).delete()
        }
    }
}
