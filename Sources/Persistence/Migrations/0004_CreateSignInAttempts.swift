import FluentKit
import SQLKit

struct CreateSignInAttempts: AsyncMigration {
    var name: String { "0004_create_sign_in_attempts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sign_in_attempts")
            .field("id", .uuid, .identifier(auto: false))
            .field("email", .string, .required)
            .field("client_address", .string, .required)
            .field("succeeded", .bool, .required)
            .field("attempted_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "ix_sign_in_attempts_email")
            .on("sign_in_attempts").column("email").column("attempted_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sign_in_attempts").delete()
    }
}
