import FluentKit
import SQLKit

/// The HeOps's documents (issue 20): weekly briefs, sitreps, migration updates and handover packs,
/// drafted then issued with their generated content frozen as JSON; the files made from an issued
/// one (kept: it never changes); schedules that generate and send them; each e-mail recipient of a
/// sending; and the security lines of the Emergency Appeal budget.
struct CreateBriefs: AsyncMigration {
    var name: String { "0044_create_briefs" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("briefs")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("number", .int, .required)  // in the series of its kind; a new version keeps it
            .field("edition", .int, .required)  // 1, then 2 for a new version of an issued one …
            .field("supersedes_id", .uuid, .references("briefs", "id", onDelete: .setNull))
            .field("state", .string, .required)
            .field("language", .string, .required)
            .field("period_first", .datetime, .required)
            .field("period_last", .datetime, .required)
            .field("audience", .string, .required)
            .field("audience_confirmed", .bool, .required)  // the issuer confirmed an audience wider than the content's
            .field("content_floor", .string)  // at issue: the widest audience the content allowed
            .field("narrative", .string, .required)
            .field("recommendations", .string, .required)  // JSON: {"security": "…", "migration": "…"}
            .field("content", .string)  // JSON, at issue: BriefContent
            .field("issued_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("issued_at", .datetime)
            .field("schedule_id", .uuid)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "operation_id", "kind", "number", "edition")
            .create()
        try await sql.create(index: "ix_briefs_series").on("briefs").column("operation_id").column("kind")
            .column("state").column("issued_at").run()

        try await database.schema("brief_files")
            .field("brief_id", .uuid, .required, .references("briefs", "id", onDelete: .cascade))
            .field("format", .string, .required)
            .field("bytes", .data, .required)
            .field("created_at", .datetime, .required)
            .compositeIdentifier(over: "brief_id", "format")
            .create()

        try await database.schema("brief_schedules")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("weekday", .int, .required)  // ISO: 1 Monday … 7 Sunday
            .field("minute_of_day", .int, .required)  // on the zone's clock
            .field("time_zone", .string, .required)
            .field("language", .string, .required)
            .field("audience", .string, .required)
            .field("list_id", .uuid, .required, .references("distribution_lists", "id", onDelete: .cascade))
            .field("active", .bool, .required)
            .field("next_run_at", .datetime, .required)
            .field("last_run_at", .datetime)
            .field("last_brief_id", .uuid, .references("briefs", "id", onDelete: .setNull))
            .field("last_error", .string)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_brief_schedules_due").on("brief_schedules").column("active")
            .column("next_run_at").run()

        try await database.schema("brief_recipients")
            .field("id", .uuid, .identifier(auto: false))
            .field("brief_id", .uuid, .required, .references("briefs", "id", onDelete: .cascade))
            .field("stakeholder_id", .uuid, .references("stakeholders", "id", onDelete: .setNull))
            .field("name", .string, .required)
            .field("address", .string)
            .field("status", .string, .required)  // queued, sent, failed, no_address
            .field("error", .string)
            .field("sent_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_brief_recipients_brief").on("brief_recipients").column("brief_id").run()

        try await database.schema("budget_lines")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("category", .string, .required)
            .field("basis", .string)  // the proposal's key ("guards:site:…"); nil for a line added by hand
            .field("description", .string, .required)
            .field("quantity", .double, .required)
            .field("unit", .string, .required)
            .field("unit_cost", .double)
            .field("currency", .string, .required)
            .field("driver", .string, .required)  // the requirement that drives it, cited
            .field("edited", .bool, .required)  // changed by the coordinator: a new proposal leaves it
            .field("position", .int, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("updated_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_budget_lines_operation").on("budget_lines").column("operation_id")
            .column("position").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["budget_lines", "brief_recipients", "brief_schedules", "brief_files", "briefs"] {
            try await database.schema(table).delete()
        }
    }
}
