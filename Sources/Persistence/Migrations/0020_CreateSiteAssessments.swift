import FluentKit
import SQLKit

/// Site security assessments (issue 4): one site against a checklist (office, warehouse,
/// residence), the answers and the checklist as it stood (so an edited checklist does not change
/// an old score), the score, findings, and recommendations with owners and due dates.
struct CreateSiteAssessments: AsyncMigration {
    var name: String { "0020_create_site_assessments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("site_assessments")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("site_id", .uuid, .required, .references("sites", "id", onDelete: .cascade))
            .field("checklist_kind", .string, .required)
            .field("checklist", .string, .required)  // JSON, the items as answered
            .field("assessed_on", .datetime, .required)
            .field("answers", .string, .required)  // JSON: item code → answer
            .field("findings", .string, .required)
            .field("score", .double)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_site_assessments_site").on("site_assessments").column("site_id").column(
            "assessed_on"
        ).run()
        try await database.schema("site_recommendations")
            .field("id", .uuid, .identifier(auto: false))
            .field("assessment_id", .uuid, .required, .references("site_assessments", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("text", .string, .required)
            .field("owner", .string, .required)
            .field("due_on", .datetime, .required)
            .field("done", .bool, .required)
            .create()
        try await sql.create(index: "ix_site_recommendations_assessment").on("site_recommendations").column(
            "assessment_id"
        ).run()
    }

    func revert(on database: any Database) async throws {
        for table in ["site_recommendations", "site_assessments"] { try await database.schema(table).delete() }
    }
}
