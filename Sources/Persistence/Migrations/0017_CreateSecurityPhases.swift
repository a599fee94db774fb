import FluentKit
import SQLKit

/// Security phases per area (issue 4): declarations with their justification and indicators, the
/// approvals each needs (kept as they stood when declared, so a later change of the rules does not
/// move a declaration's goal posts), the approvals given, and who in the operation holds which
/// approving authority (the senior manager is the HeOps unless named otherwise; the Head of GSU
/// and the Regional Director are named by whoever manages the operation).
struct CreateSecurityPhases: AsyncMigration {
    var name: String { "0017_create_security_phases" }

    func prepare(on database: any Database) async throws {
        try await database.schema("phase_declarations")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("area_pcode", .string, .required)
            .field("from_phase", .string)  // in force when declared; null for the area's first
            .field("to_phase", .string, .required)
            .field("justification", .string, .required)
            .field("indicators", .string, .required)  // one per line
            .field("required_approvals", .string, .required)  // comma-separated PhaseAuthority values
            .field("notify", .string, .required)  // comma-separated PhaseRecipient values
            .field("notified", .string, .required)  // recipient=ISO date, comma-separated
            .field("status", .string, .required)  // pending, in_force, withdrawn
            .field("declared_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("declared_at", .datetime, .required)
            .field("in_force_at", .datetime)
            .field("closed_at", .datetime)  // withdrawn
            .field("closed_by", .uuid, .references("users", "id", onDelete: .setNull))
            .unique(on: "operation_id", "number")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_phase_declarations_area").on("phase_declarations")
            .column("operation_id").column("area_pcode").column("status").column("in_force_at").run()

        try await database.schema("phase_approvals")
            .field("declaration_id", .uuid, .required, .references("phase_declarations", "id", onDelete: .cascade))
            .field("authority", .string, .required)
            .field("user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("approved_at", .datetime, .required)
            .compositeIdentifier(over: "declaration_id", "authority")
            .create()

        try await database.schema("phase_authorities")
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("authority", .string, .required)
            .field("granted_at", .datetime, .required)
            .field("granted_by", .uuid, .references("users", "id", onDelete: .setNull))
            .compositeIdentifier(over: "operation_id", "user_id", "authority")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["phase_authorities", "phase_approvals", "phase_declarations"] {
            try await database.schema(table).delete()
        }
    }
}
