import FluentKit

struct CreateOperations: AsyncMigration {
    var name: String { "0005_create_operations" }

    func prepare(on database: any Database) async throws {
        try await database.schema("operations")
            .field("id", .uuid, .identifier(auto: false))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("countries", .string, .required)  // ISO3 codes, comma-separated
            .field("emergency_type", .string, .required)
            .field("glide_number", .string)
            .field("appeal_code", .string)
            .field("start_date", .string)  // yyyy-MM-dd: a calendar day, not an instant
            .field("heops_user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("boundaries_version", .int, .required)  // bumped on every boundary import
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "code", name: "uq_operations_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("operations").delete()  // loses every operation
    }
}
