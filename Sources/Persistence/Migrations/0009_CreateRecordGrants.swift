import FluentKit
import SQLKit

struct CreateRecordGrants: AsyncMigration {
    var name: String { "0009_create_record_grants" }

    func prepare(on database: any Database) async throws {
        // One row per person or role named on a restricted record (exactly one of the two is set).
        try await database.schema("record_grants")
            .field("id", .uuid, .identifier(auto: false))
            .field("record_kind", .string, .required)
            .field("record_id", .uuid, .required)
            .field("user_id", .uuid, .references("users", "id", onDelete: .cascade))
            .field("role", .string)
            .create()
        try await (database as! any SQLDatabase).create(index: "ix_record_grants_record")
            .on("record_grants").column("record_kind").column("record_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("record_grants").delete()
    }
}
