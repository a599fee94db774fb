import FluentKit
import SQLKit

/// Entries made offline carry an id their device made (issue 21). One row per account and id,
/// written in the same transaction as the record it made, so a replay finds the record and never
/// makes a second; the content's digest tells a replay from different content under the same id.
struct CreateClientSubmissions: AsyncMigration {
    var name: String { "0045_create_client_submissions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("client_submissions")
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("client_id", .string, .required)
            .field("kind", .string, .required)  // incident, flow, check_in, location
            .field("digest", .string, .required)  // SHA-256 of the posted fields, less the CSRF token
            .field("location", .string, .required)  // the page of the record made
            .field("captured_at", .datetime)  // when the device says the entry was made
            .field("created_at", .datetime, .required)
            .compositeIdentifier(over: "user_id", "client_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("client_submissions").delete()
    }
}
