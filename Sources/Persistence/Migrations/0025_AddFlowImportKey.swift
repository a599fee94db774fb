import FluentKit
import SQLKit

/// Tallies imported from a file carry a key made of their content, so that importing the same
/// file again adds nothing (tallies with an id, from Bearing's own export, are matched by it).
struct AddFlowImportKey: AsyncMigration {
    var name: String { "0025_add_flow_import_key" }

    func prepare(on database: any Database) async throws {
        try await database.schema("flow_observations").field("import_key", .string).update()
        try await (database as! any SQLDatabase).raw(
            """
            CREATE UNIQUE INDEX ix_flow_observations_import_key ON flow_observations (operation_id, import_key) WHERE import_key IS NOT NULL
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "ix_flow_observations_import_key").run()
        try await database.schema("flow_observations").deleteField("import_key").update()
    }
}
