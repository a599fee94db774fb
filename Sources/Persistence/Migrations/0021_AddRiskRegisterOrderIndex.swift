import FluentKit
import SQLKit

/// The register in its own order (highest level first, then by number), carrying what the
/// visibility rule reads: a page of the register walks the index and stops after fifty, and its
/// count never touches the table (BENCHMARKS.md: the register at 500 risks, step 4).
struct AddRiskRegisterOrderIndex: AsyncMigration {
    var name: String { "0021_add_risk_register_order_index" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw(
            """
            CREATE INDEX ix_risks_register_order ON risks (operation_id, closed_at, level DESC, number, audience, created_by, id)
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "ix_risks_register_order").run()
    }
}
