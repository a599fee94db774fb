import FluentKit

struct CreateMemberships: AsyncMigration {
    var name: String { "0006_create_memberships" }

    func prepare(on database: any Database) async throws {
        try await database.schema("memberships")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "operation_id", "user_id", name: "uq_memberships_operation_user")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("memberships").delete()
    }
}
