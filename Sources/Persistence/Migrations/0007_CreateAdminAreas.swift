import FluentKit
import SQLKit

struct CreateAdminAreas: AsyncMigration {
    var name: String { "0007_create_admin_areas" }

    func prepare(on database: any Database) async throws {
        try await database.schema("admin_areas")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("level", .int, .required)
            .field("pcode", .string, .required)
            .field("parent_pcode", .string)
            .field("name", .string, .required)
            .field("names", .string, .required)  // JSON object: language → name
            .field("geometry", .string, .required)  // GeoJSON MultiPolygon coordinates, WGS 84
            .field("min_lon", .double, .required)
            .field("min_lat", .double, .required)
            .field("max_lon", .double, .required)
            .field("max_lat", .double, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "operation_id", "pcode", name: "uq_admin_areas_operation_pcode")
            .create()
        try await (database as! any SQLDatabase).create(index: "ix_admin_areas_operation_level")
            .on("admin_areas").column("operation_id").column("level").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("admin_areas").delete()
    }
}
