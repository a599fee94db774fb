import FluentKit
import SQLKit

struct CreateSites: AsyncMigration {
    var name: String { "0008_create_sites" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sites")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("type", .string, .required)
            .field("latitude", .double, .required)
            .field("longitude", .double, .required)
            .field("area_pcode", .string)  // deepest admin area containing the point, if any
            .field("contact_name", .string)
            .field("contact_phone", .string)
            .field("notes", .string)
            .field("audience", .string, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "ix_sites_operation_audience")
            .on("sites").column("operation_id").column("audience").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sites").delete()
    }
}
