import Domain
import FluentKit
import SQLKit

/// Critical incident management (issue 17): the first call (the 5 Ws, the caller, the call-back,
/// the risk to life, the level), the escalation (GSU consulted, the CIMT activation decision), the
/// team taken from the approved CIM plan (each alerted, their acknowledgement tracked through the
/// alert), the people involved with their status and family liaison, the append-only crisis log,
/// stand-down and the after-action review. Alerts learn their purpose (an alert, or a CIMT call-out);
/// the overdue reminders remember what they named to whom.
struct CreateCriticalIncidents: AsyncMigration {
    var name: String { "0036_create_critical_incidents" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("critical_incidents")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("level", .string, .required)
            .field("risk_to_life", .string, .required)
            .field("who_text", .string, .required)
            .field("what", .string, .required)
            .field("where_text", .string, .required)
            .field("area_pcode", .string)
            .field("occurred_at", .datetime, .required)
            .field("known_at", .datetime, .required)
            .field("why", .string, .required)
            .field("caller_name", .string, .required)
            .field("caller_phone", .string, .required)
            .field("call_back_at", .datetime, .required)
            .field("incident_id", .uuid, .references("incidents", "id", onDelete: .setNull))
            .field("gsu_contact", .string)
            .field("gsu_consulted_at", .datetime)
            .field("gsu_advice", .string)
            .field("cimt_activated", .bool)
            .field("cimt_decided_by", .string)
            .field("cimt_decided_at", .datetime)
            .field("cimt_reason", .string)
            .field("cim_plan_version", .int)
            .field("roll_call_id", .uuid, .references("roll_calls", "id", onDelete: .setNull))
            .field("stood_down_at", .datetime)
            .field("stood_down_by", .string)
            .field("stand_down_note", .string)
            .field("review_lessons", .string)
            .field("review_followed", .string)
            .field("review_plan_changes", .string)
            .field("reviewed_at", .datetime)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "operation_id", "number")
            .create()

        try await database.schema("critical_incident_team")
            .field("id", .uuid, .identifier(auto: false))
            .field(
                "critical_incident_id", .uuid, .required, .references("critical_incidents", "id", onDelete: .cascade)
            )
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("phone", .string, .required)
            .field("email", .string, .required)
            // The member's Bearing account, found by e-mail: they read and write the incident.
            .field("user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("alert_recipient_id", .uuid, .references("alert_recipients", "id", onDelete: .setNull))
            .create()
        try await sql.create(index: "ix_critical_incident_team_user").on("critical_incident_team").column("user_id")
            .run()
        try await sql.create(index: "ix_critical_incident_team_incident").on("critical_incident_team")
            .column("critical_incident_id").run()

        try await database.schema("critical_incident_people")
            .field("id", .uuid, .identifier(auto: false))
            .field(
                "critical_incident_id", .uuid, .required, .references("critical_incidents", "id", onDelete: .cascade)
            )
            .field("person_id", .uuid, .references("people", "id", onDelete: .setNull))
            .field("name", .string, .required)
            .field("status", .string, .required)
            .field("family_liaison", .string, .required)
            .field("note", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()

        try await database.schema("crisis_log")
            .field("id", .uuid, .identifier(auto: false))
            .field(
                "critical_incident_id", .uuid, .required, .references("critical_incidents", "id", onDelete: .cascade)
            )
            .field("sequence", .int, .required)
            .field("kind", .string, .required)
            .field("at", .datetime, .required)
            .field("text", .string, .required)
            .field("decided_by", .string, .required)
            .field("reason", .string, .required)
            .field("owner", .string, .required)
            .field("due_at", .datetime)
            .field("attendees", .string, .required)
            .field("refers_to", .uuid)
            .field("recorded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("recorded_at", .datetime, .required)
            .unique(on: "critical_incident_id", "sequence")
            .create()

        // The overdue reminders already sent, so each item is named to each person once.
        try await database.schema("reminders_sent")
            .field("key", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("sent_at", .datetime, .required)
            .compositeIdentifier(over: "key", "user_id")
            .create()

        try await database.schema("alerts")
            .field("purpose", .string, .required, .custom("DEFAULT 'alert'"))
            .update()
        try await database.schema("alerts").field("critical_incident_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        for table in [
            "reminders_sent", "crisis_log", "critical_incident_people", "critical_incident_team", "critical_incidents",
        ] {
            try await database.schema(table).delete()
        }
        try await database.schema("alerts").deleteField("critical_incident_id").update()
        try await database.schema("alerts").deleteField("purpose").update()
    }
}
