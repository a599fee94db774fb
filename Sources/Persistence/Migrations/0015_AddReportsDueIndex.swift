import FluentKit
import SQLKit

/// The dashboard's reports due, read in deadline order straight from an index. Within one class
/// (serious or not) the deadline is the clock's start plus a constant, and the clock starts when
/// the incident became known (`known_at` is never before `occurred_at`: the draft refuses it), so
/// this index lists each class in deadline order and the store merges the two. The index also
/// carries what the visibility rule reads, so counting the reports due never touches the table.
/// It replaces 0014's index in occurred-at order, which made the dashboard sort every unreported
/// incident (about 2,000 in the 100,000-incident benchmark) on each view.
struct AddReportsDueIndex: AsyncMigration {
    var name: String { "0015_add_reports_due_index" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw(
            """
            CREATE INDEX ix_incidents_reports_due ON incidents
            (operation_id, serious, (COALESCE(known_at, occurred_at)), number, audience, created_by, id)
            WHERE reported_to_region_at IS NULL
            """
        ).run()
        // IF EXISTS: an early form of 0014 (never deployed) did not create it.
        try await sql.drop(index: "ix_incidents_unreported").ifExists().run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw(
            """
            CREATE INDEX ix_incidents_unreported ON incidents (operation_id, occurred_at, known_at, serious, audience, created_by, id)
            WHERE reported_to_region_at IS NULL
            """
        ).run()
        try await sql.drop(index: "ix_incidents_reports_due").run()
    }
}
