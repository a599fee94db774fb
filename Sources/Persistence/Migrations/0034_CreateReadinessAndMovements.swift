import FluentKit
import SQLKit

/// Duty of care, second part (issue 16): who manages a team and who relocates, documents and grab
/// bag confirmed; briefings (arrival, welcome brief, travel, relocation plan) and trainings per
/// person; training sessions given to National Society personnel (counted, not named); and field
/// movements with their passengers, approvals by phase, refusals and check-ins.
struct CreateReadinessAndMovements: AsyncMigration {
    var name: String { "0034_create_readiness_and_movements" }

    func prepare(on database: any Database) async throws {
        try await database.schema("people")
            .field("manages_team", .bool, .required, .custom("DEFAULT false"))
            .update()
        try await database.schema("people").field("relocation_choice", .string).update()
        try await database.schema("people").field("grab_bag_confirmed_at", .datetime).update()

        try await database.schema("person_briefings")
            .field("id", .uuid, .identifier(auto: false))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("given_at", .datetime, .required)
            .field("given_by", .string, .required)
            .field("plan_version", .int)
            .field("area_pcode", .string)
            .field("note", .string, .required)
            .field("recorded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("recorded_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_person_briefings_person").on("person_briefings").column("person_id")
            .column("kind").run()

        try await database.schema("person_trainings")
            .field("id", .uuid, .identifier(auto: false))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("course", .string, .required)
            .field("completed_on", .datetime, .required)
            .field("expires_on", .datetime)
            .field("evidence", .string, .required)
            .field("recorded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("recorded_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_person_trainings_person").on("person_trainings").column("person_id").run()

        try await database.schema("training_sessions")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("topic", .string, .required)
            .field("held_on", .datetime, .required)
            .field("place", .string, .required)
            .field("trainers", .string, .required)
            .field("participants", .string, .required)  // JSON: [{national_society, female, male, other}]
            .field("total", .int, .required)
            .field("recorded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("recorded_at", .datetime, .required)
            .create()

        try await database.schema("movements")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("purpose", .string, .required)
            .field("driver_id", .uuid, .references("people", "id", onDelete: .setNull))
            .field("vehicles", .string, .required)
            .field("route", .string, .required)  // JSON: [RoutePoint], origin first
            .field("route_areas", .string, .required)  // the P-codes the route crosses, comma-separated
            .field("departure_at", .datetime, .required)
            .field("expected_arrival_at", .datetime, .required)
            .field("radio_channel", .string, .required)
            .field("satellite_phone", .string, .required)
            .field("status", .string, .required)
            .field("highest_phase", .string)
            .field("required_approvals", .string, .required)  // comma-separated MovementAuthority
            .field("refusals", .string, .required)  // JSON: the reasons a request was refused
            .field("requested_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("requested_at", .datetime, .required)
            .field("overdue_resolved_at", .datetime)
            .field("overdue_resolved_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("overdue_note", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "operation_id", "number")
            .create()
        try await sql.create(index: "ix_movements_board").on("movements").column("operation_id").column("status")
            .column("expected_arrival_at").run()
        try await database.schema("movement_passengers")
            .field("movement_id", .uuid, .required, .references("movements", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .compositeIdentifier(over: "movement_id", "person_id")
            .create()
        try await sql.create(index: "ix_movement_passengers_person").on("movement_passengers").column("person_id").run()
        try await database.schema("movement_approvals")
            .field("movement_id", .uuid, .required, .references("movements", "id", onDelete: .cascade))
            .field("authority", .string, .required)
            .field("user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("approved_at", .datetime, .required)
            .compositeIdentifier(over: "movement_id", "authority")
            .create()
        try await database.schema("movement_check_ins")
            .field("id", .uuid, .identifier(auto: false))
            .field("movement_id", .uuid, .required, .references("movements", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("waypoint", .int)
            .field("at", .datetime, .required)
            .field("recorded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("source", .string, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("note", .string, .required)
            .create()
        try await sql.create(index: "ix_movement_check_ins_movement").on("movement_check_ins").column("movement_id")
            .column("at").run()
    }

    func revert(on database: any Database) async throws {
        for table in [
            "movement_check_ins", "movement_approvals", "movement_passengers", "movements", "training_sessions",
            "person_trainings", "person_briefings",
        ] {
            try await database.schema(table).delete()
        }
        for field in ["grab_bag_confirmed_at", "relocation_choice", "manages_team"] {
            try await database.schema("people").deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}
