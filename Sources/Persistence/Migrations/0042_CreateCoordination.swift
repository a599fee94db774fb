import FluentKit
import SQLKit

/// The stakeholder registry and the coordination log (issue 19): organisations and the people in
/// them, each with an audience (contacts are personal data); meetings with their attendees from the
/// registry, the members who represented the IFRC, and their action points.
struct CreateCoordination: AsyncMigration {
    var name: String { "0042_create_coordination" }

    func prepare(on database: any Database) async throws {
        try await database.schema("stakeholders")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("kind", .string, .required)  // organisation | person
            .field("name", .string, .required)
            .field("name_key", .string, .required)  // the name folded: how duplicates are found
            .field("acronym", .string)
            .field("actor_type", .string, .required)
            .field("organisation_id", .uuid, .references("stakeholders", "id", onDelete: .setNull))
            .field("position", .string)
            .field("mandate", .string)
            .field("topic", .string, .required)
            .field("relation", .string, .required)
            .field("influence", .int, .required)
            .field("interest", .int, .required)
            .field("owner_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("last_verified_on", .datetime)
            .field("emails", .string, .required)  // JSON: ["…", …]
            .field("phones", .string, .required)  // JSON: ["number, kind, note", …]
            .field("website", .string)
            .field("address", .string)
            .field("notes", .string)
            .field("audience", .string, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        // The registry is read by name, all of it or one kind: each order has its index (25,000 entries
        // sorted for every page cost 60 ms; BENCHMARKS.md).
        try await sql.create(index: "ix_stakeholders_registry").on("stakeholders").column("operation_id")
            .column("name_key").run()
        try await sql.create(index: "ix_stakeholders_kind").on("stakeholders").column("operation_id")
            .column("kind").column("name_key").run()
        try await sql.create(index: "ix_stakeholders_organisation").on("stakeholders").column("organisation_id").run()

        try await database.schema("meetings")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("forum", .string, .required)
            .field("held_on", .datetime, .required)
            .field("place", .string)
            .field("ifrc_represented", .bool, .required)
            .field("representative_note", .string)
            .field("notes", .string)
            .field("decisions", .string, .required)  // JSON: ["…", …]
            .field("audience", .string, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_meetings_log").on("meetings").column("operation_id").column("held_on").run()

        try await database.schema("meeting_attendees")
            .field("meeting_id", .uuid, .required, .references("meetings", "id", onDelete: .cascade))
            .field("stakeholder_id", .uuid, .required, .references("stakeholders", "id", onDelete: .cascade))
            .compositeIdentifier(over: "meeting_id", "stakeholder_id")
            .create()
        try await sql.create(index: "ix_meeting_attendees_stakeholder").on("meeting_attendees")
            .column("stakeholder_id").run()

        try await database.schema("meeting_representatives")
            .field("meeting_id", .uuid, .required, .references("meetings", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .compositeIdentifier(over: "meeting_id", "user_id")
            .create()

        try await database.schema("meeting_actions")
            .field("id", .uuid, .identifier(auto: false))
            .field("meeting_id", .uuid, .required, .references("meetings", "id", onDelete: .cascade))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("text", .string, .required)
            .field("owner_user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("owner_stakeholder_id", .uuid, .references("stakeholders", "id", onDelete: .setNull))
            .field("due_on", .datetime, .required)
            .field("status", .string, .required)
            .field("done_on", .datetime)
            .field("updated_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_meeting_actions_due").on("meeting_actions").column("operation_id")
            .column("status").column("due_on").run()
        try await sql.create(index: "ix_meeting_actions_meeting").on("meeting_actions").column("meeting_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["meeting_actions", "meeting_representatives", "meeting_attendees", "meetings", "stakeholders"] {
            try await database.schema(table).delete()
        }
    }
}
