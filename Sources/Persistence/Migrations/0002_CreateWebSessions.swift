import FluentKit
import SQLKit

struct CreateWebSessions: AsyncMigration {
    var name: String { "0002_create_web_sessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("web_sessions")
            .field("id", .string, .identifier(auto: false))
            .field("user_id", .uuid, .references("users", "id", onDelete: .cascade))
            .field("data", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "ix_web_sessions_expires_at")
            .on("web_sessions").column("expires_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("web_sessions").delete()  // signs everybody out
    }
}
