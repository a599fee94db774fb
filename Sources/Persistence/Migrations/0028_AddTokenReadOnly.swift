import FluentKit
import SQLKit

/// API tokens that may only read: a script that reports needs no right to change anything.
/// Earlier tokens keep every right of their owner (they were made so), and expire at the maximum
/// lifetime from their creation (TokenStore).
struct AddTokenReadOnly: AsyncMigration {
    var name: String { "0028_add_token_read_only" }

    func prepare(on database: any Database) async throws {
        try await database.schema("api_tokens").field("read_only", .bool, .required, .custom("DEFAULT FALSE")).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").deleteField("read_only").update()
    }
}
