import FluentKit
import SQLKit

/// The personnel register (issue 16): the people under IFRC security responsibility with their
/// contacts and relocation details, where each was last confirmed (the current place on the row,
/// every confirmation kept in `person_locations`), the security focal points the HeOps names to
/// read it, and roll-calls with each person's answer. No passport or ID numbers, by design.
struct CreatePersonnelRegister: AsyncMigration {
    var name: String { "0033_create_personnel_register" }

    func prepare(on database: any Database) async throws {
        try await database.schema("people")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("full_name", .string, .required)
            .field("category", .string, .required)
            .field("organisation", .string, .required)
            .field("job_function", .string, .required)
            .field("origin", .string, .required)
            .field("languages", .string, .required)  // one per line
            .field("phones", .string, .required)  // JSON: [{kind, text, e164}]
            .field("radio_call_sign", .string, .required)
            .field("email", .string)  // lower-cased
            .field("emergency_contact_name", .string, .required)
            .field("emergency_contact_phone", .string)  // JSON: {kind, text, e164}
            .field("arrival_at", .datetime)
            .field("planned_departure_at", .datetime)
            .field("residence_site_id", .uuid, .references("sites", "id", onDelete: .setNull))
            .field("assembly_point_site_id", .uuid, .references("sites", "id", onDelete: .setNull))
            .field("relocation_group", .string, .required)
            .field("relocation_priority", .int)
            .field("user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("external_id", .string)
            .field("left_at", .datetime)  // left the operation: out of the headcount, kept for the record
            // The place last confirmed; the history is in person_locations.
            .field("location_kind", .string)  // site, area, point
            .field("location_site_id", .uuid, .references("sites", "id", onDelete: .setNull))
            .field("location_area_pcode", .string)
            .field("location_latitude", .double)
            .field("location_longitude", .double)
            .field("location_precision_m", .int)
            .field("location_confirmed_at", .datetime)
            .field("location_confirmed_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("location_source", .string)
            .field("location_note", .string)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("updated_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_people_operation_name").on("people").column("operation_id").column(
            "full_name"
        ).run()
        // What a second import matches by, and one record per account: unique where given (a
        // partial index, on both SQLite and PostgreSQL).
        for column in ["email", "external_id", "user_id"] {
            try await sql.raw(
                """
                CREATE UNIQUE INDEX ux_people_\(unsafeRaw: column) ON people (operation_id, \(unsafeRaw: column)) \
                WHERE \(unsafeRaw: column) IS NOT NULL
                """
            ).run()
        }

        try await database.schema("person_locations")
            .field("id", .uuid, .identifier(auto: false))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("site_id", .uuid, .references("sites", "id", onDelete: .setNull))
            .field("area_pcode", .string)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("precision_m", .int)
            .field("confirmed_at", .datetime, .required)
            .field("confirmed_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("source", .string, .required)
            .field("note", .string, .required)
            .create()
        try await sql.create(index: "ix_person_locations_person").on("person_locations").column("person_id").column(
            "confirmed_at"
        ).run()

        try await database.schema("security_focal_points")
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("granted_at", .datetime, .required)
            .field("granted_by", .uuid, .references("users", "id", onDelete: .setNull))
            .compositeIdentifier(over: "operation_id", "user_id")
            .create()

        try await database.schema("roll_calls")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("area_pcode", .string, .required)
            .field("reason", .string, .required)
            .field("opened_at", .datetime, .required)
            .field("opened_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("closed_at", .datetime)
            .field("closed_by", .uuid, .references("users", "id", onDelete: .setNull))
            .unique(on: "operation_id", "number")
            .create()
        try await database.schema("roll_call_people")
            .field("roll_call_id", .uuid, .required, .references("roll_calls", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("answer", .string, .required)
            .field("answered_at", .datetime)
            .field("answered_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("note", .string, .required)
            .compositeIdentifier(over: "roll_call_id", "person_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["roll_call_people", "roll_calls", "security_focal_points", "person_locations", "people"] {
            try await database.schema(table).delete()
        }
    }
}
