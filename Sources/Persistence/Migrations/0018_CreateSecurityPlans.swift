import FluentKit
import SQLKit

/// The six IFRC security plans (issue 4): every version with its status and who moved it (written,
/// sent for review, approved), its text and structured part (relocation, CIM) as JSON, documents
/// attached to a version (the bytes are files under the data folder, named by their SHA-256), and
/// the reviews and yearly approvals recorded between versions, which the plans' clocks read.
struct CreateSecurityPlans: AsyncMigration {
    var name: String { "0018_create_security_plans" }

    func prepare(on database: any Database) async throws {
        try await database.schema("plan_versions")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("plan_kind", .string, .required)
            .field("version", .int, .required)
            .field("status", .string, .required)  // draft, in_review, approved, superseded
            .field("content", .string, .required)
            .field("structured", .string)  // JSON: RelocationPlan or CIMPlan
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("submitted_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("submitted_at", .datetime)
            .field("approved_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("approved_at", .datetime)
            .unique(on: "operation_id", "plan_kind", "version")
            .create()

        try await database.schema("plan_events")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("plan_kind", .string, .required)
            .field("event", .string, .required)  // review, yearly_approval
            .field("occurred_on", .datetime, .required)
            .field("approvers", .string, .required)  // yearly approval: "rsc=<name>\ngsu=<name>"
            .field("note", .string, .required)
            .field("recorded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("recorded_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_plan_events_plan").on("plan_events").column("operation_id").column("plan_kind")
            .column("occurred_on").run()

        try await database.schema("plan_attachments")
            .field("id", .uuid, .identifier(auto: false))
            .field("plan_version_id", .uuid, .required, .references("plan_versions", "id", onDelete: .cascade))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int64, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("uploaded_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_plan_attachments_version").on("plan_attachments").column("plan_version_id")
            .run()
    }

    func revert(on database: any Database) async throws {
        for table in ["plan_attachments", "plan_events", "plan_versions"] { try await database.schema(table).delete() }
    }
}
