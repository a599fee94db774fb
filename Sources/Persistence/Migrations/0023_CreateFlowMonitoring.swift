import FluentKit
import SQLKit

/// Flow monitoring (issue 5): what a flow-monitoring point is (a site's profile: type, movements
/// observed, hours, transport), and the tallies recorded there, each with its window, direction,
/// count and breakdown under a named scheme, where people come from and go, how, why, and who among
/// them is vulnerable (aggregate counts, no personal data).
struct CreateFlowMonitoring: AsyncMigration {
    var name: String { "0023_create_flow_monitoring" }

    func prepare(on database: any Database) async throws {
        try await database.schema("flow_points")
            .field("site_id", .uuid, .identifier(auto: false), .references("sites", "id", onDelete: .cascade))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("point_type", .string, .required)
            .field("movements", .string, .required)  // comma-separated FlowDirection values
            .field("operating_hours", .string, .required)
            .field("transport_modes", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("flow_observations")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("point_id", .uuid, .required, .references("sites", "id", onDelete: .cascade))
            .field("window_start", .datetime, .required)
            .field("window_end", .datetime, .required)
            .field("direction", .string, .required)
            .field("total", .int, .required)
            .field("scheme", .string, .required)
            .field("bins", .string)  // JSON object, the scheme's bin → count
            .field("nationality", .string)
            .field("origin_country", .string)
            .field("origin_area", .string)
            .field("last_transit", .string)
            .field("next_destination", .string)
            .field("final_destination", .string)
            .field("transport", .string)
            .field("vulnerable", .string)  // JSON object, vulnerability → count
            .field("reasons", .string, .required)  // comma-separated MovementReason values
            .field("notes", .string, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_flow_observations_point").on("flow_observations")
            .column("operation_id").column("point_id").column("window_start").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["flow_observations", "flow_points"] { try await database.schema(table).delete() }
    }
}
