import FluentKit
import SQLKit

/// Planning scenarios (issue 5): name, kind, assumptions, triggers, the planning figures by
/// population type, horizon and phase, and the projection the scenario started from (both JSON:
/// read whole with their scenario, never queried by their parts).
struct CreateScenarios: AsyncMigration {
    var name: String { "0024_create_scenarios" }

    func prepare(on database: any Database) async throws {
        try await database.schema("scenarios")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("assumptions", .string, .required)
            .field("triggers", .string, .required)
            .field("figures", .string, .required)
            .field("projection", .string)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("scenarios").delete() }
}
