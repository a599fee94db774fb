import Domain
import FluentKit
import SQLKit

/// Own security incidents (SECURITY.md §3.4.1), their follow-up actions and their timeline of
/// reports. Casualties are one integer column per harm × nationality × sex, so analysis sums
/// columns in SQL instead of parsing documents. Edits are versioned by the audit log.
struct CreateIncidents: AsyncMigration {
    var name: String { "0011_create_incidents" }

    func prepare(on database: any Database) async throws {
        var incidents = database.schema("incidents")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)  // per operation, for people: "incident 14"
            .field("title", .string, .required)
            .field("description", .string)
            .field("category", .string, .required)
            .field("subtype", .string)
            .field("occurred_at", .datetime, .required)
            .field("time_precision", .string, .required)
            .field("known_at", .datetime)
            .field("site_id", .uuid, .references("sites", "id", onDelete: .setNull))
            .field("latitude", .double)
            .field("longitude", .double)
            .field("area_pcode", .string)
            .field("place_name", .string)
            .field("geo_precision", .string, .required)
            .field("location_type", .string, .required)
            .field("affected", .string, .required)  // comma-separated AffectedGroup values
        for cell in Casualties.Cell.all {
            incidents = incidents.field(
                .definition(
                    name: .key(FieldKey(stringLiteral: cell.key)), dataType: .int,
                    constraints: [.required, .custom("DEFAULT 0")]))
        }
        try await incidents
            .field("actor_type", .string, .required)
            .field("actor_name", .string)
            .field("means", .string, .required)
            .field("context", .string, .required)
            .field("motive", .string, .required)
            .field("severity", .string, .required)
            .field("serious", .bool, .required)  // derived when written: death, kidnapping, serious injury, sensitive
            .field("serious_injury", .bool, .required)
            .field("particularly_sensitive", .bool, .required)
            .field("near_miss", .bool, .required)
            .field("immediate_actions", .string)
            .field("lessons_learned", .string)
            .field("procedures_followed", .bool)
            .field("verification", .string, .required)
            .field("source", .string, .required)
            .field("reporter_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("reporter_hidden", .bool, .required)
            .field("reported_to_region_at", .datetime)  // the report that stops the IFRC clock
            .field("status", .string, .required)
            .field("status_changed_at", .datetime, .required)
            .field("status_changed_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("audience", .string, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "operation_id", "number")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_incidents_operation_occurred").on("incidents").column("operation_id").column(
            "occurred_at"
        ).run()
        try await sql.create(index: "ix_incidents_operation_area").on("incidents").column("operation_id").column(
            "area_pcode"
        ).run()

        try await database.schema("incident_actions")
            .field("id", .uuid, .identifier(auto: false))
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("action", .string, .required)
            .field("owner", .string, .required)
            .field("due_on", .datetime)
            .field("done", .bool, .required)
            .create()

        try await database.schema("incident_reports")
            .field("id", .uuid, .identifier(auto: false))
            .field("incident_id", .uuid, .required, .references("incidents", "id", onDelete: .cascade))
            .field("report_type", .string, .required)
            .field("reported_at", .datetime, .required)
            .field("author_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("summary", .string, .required)
            .create()
        try await sql.create(index: "ix_incident_reports_incident").on("incident_reports").column("incident_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("incident_reports").delete()
        try await database.schema("incident_actions").delete()
        try await database.schema("incidents").delete()
    }
}
