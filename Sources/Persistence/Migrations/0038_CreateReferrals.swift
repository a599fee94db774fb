import FluentKit
import SQLKit

/// Referrals (issue 18): a person, by a pseudonymous reference, sent to a service of the directory
/// with their consent (or a recorded override), through draft → sent → accepted or declined →
/// completed or closed; every step in `referral_events`. `referral_case_workers` are the accounts
/// the migration coordinator names to make and follow up referrals.
struct CreateReferrals: AsyncMigration {
    var name: String { "0038_create_referrals" }

    func prepare(on database: any Database) async throws {
        try await database.schema("referral_case_workers")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("named_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("named_at", .datetime, .required)
            .unique(on: "operation_id", "user_id")
            .create()
        try await database.schema("referrals")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("person_ref", .string, .required)
            .field("person_name", .string)
            .field("service_id", .uuid, .references("services", "id", onDelete: .setNull))
            // The service's name when referred: the referral stays readable if the entry is removed.
            .field("service_name", .string, .required)
            .field("needs", .string, .required)  // JSON: ["SC-UC", …]
            .field("need_note", .string)
            .field("urgency", .string, .required)
            .field("consent", .string, .required)
            .field("consent_by", .string, .required)
            .field("consent_on", .datetime, .required)
            .field("override_reason", .string)
            .field("override_approver", .uuid, .references("users", "id", onDelete: .setNull))
            .field("rfl", .bool, .required)
            .field("tracing_agency", .string)
            .field("tracing_case_number", .string)
            .field("status", .string, .required)
            .field("follow_up_on", .datetime)
            .field("outcome", .string)
            .field("assigned_to", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("answered_at", .datetime)
            .field("closed_at", .datetime)
            .field("updated_at", .datetime, .required)
            .unique(on: "operation_id", "number")
            .create()
        try await database.schema("referral_events")
            .field("id", .uuid, .identifier(auto: false))
            .field("referral_id", .uuid, .required, .references("referrals", "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("actor_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("note", .string)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_referrals_service").on("referrals").column("operation_id").column("service_id")
            .run()
        try await sql.create(index: "ix_referral_events_referral").on("referral_events").column("referral_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("referral_events").delete()
        try await database.schema("referrals").delete()
        try await database.schema("referral_case_workers").delete()
    }
}
