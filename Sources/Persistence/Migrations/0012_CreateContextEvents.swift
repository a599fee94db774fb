import Domain
import FluentKit
import SQLKit

/// Incidents published by others (AWSD, SiND, ACLED), imported per operation as context. Kept
/// apart from own incidents; the same casualty columns, so analysis can add both or either.
struct CreateContextEvents: AsyncMigration {
    var name: String { "0012_create_context_events" }

    func prepare(on database: any Database) async throws {
        var events = database.schema("context_events")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("source", .string, .required)
            .field("source_id", .string, .required)
            .field("event_key", .string, .required)  // ContextEvent.key: the source id is not unique alone
            .field("content_hash", .string, .required)  // tells a changed record on re-import
            .field("occurred_on", .datetime, .required)  // start of the day, month or year it is known to
            .field("time_precision", .string, .required)
            .field("country_code", .string)
            .field("country_name", .string)
            .field("admin1", .string)
            .field("admin2", .string)
            .field("admin3", .string)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("geo_precision", .string)
            .field("category", .string, .required)
            .field("subtype", .string)
            .field("means", .string, .required)
            .field("context", .string, .required)
            .field("location_type", .string, .required)
            .field("actor_type", .string, .required)
            .field("actor_name", .string)
            .field("motive", .string, .required)
            .field("verification", .string, .required)
            .field("fatalities", .int)
            .field("excluded_from_trends", .bool, .required)
            .field("description", .string)
            .field("original", .string, .required)  // JSON of the source row, as given
            .field("first_imported_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("missing_since", .datetime)  // set when a newer export no longer has it
        for cell in Casualties.Cell.all {
            events = events.field(
                .definition(
                    name: .key(FieldKey(stringLiteral: cell.key)), dataType: .int,
                    constraints: [.required, .custom("DEFAULT 0")]))
        }
        try await events.unique(on: "operation_id", "event_key").create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_context_events_operation_occurred").on("context_events")
            .column("operation_id").column("occurred_on").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("context_events").delete()
    }
}
