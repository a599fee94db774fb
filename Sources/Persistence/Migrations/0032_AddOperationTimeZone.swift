import FluentKit
import SQLKit

/// Each operation's time zone (an IANA name): forms take times on the operation's clock and pages
/// show them so, stored in UTC as before. Operations made before keep UTC, which is what they showed.
struct AddOperationTimeZone: AsyncMigration {
    var name: String { "0032_add_operation_time_zone" }

    func prepare(on database: any Database) async throws {
        try await database.schema("operations").field("time_zone", .string, .required, .custom("DEFAULT 'UTC'"))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("operations").deleteField("time_zone").update()
    }
}
