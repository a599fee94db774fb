import Domain
import FluentKit
import Foundation
import SQLKit

/// Empties the three phase descriptions the first releases shipped as notes to developers ("IFRC
/// definition not retrieved: replace with the GSU text") wherever an operation saved its phase
/// catalogue with them, so no page shows them. A description anyone wrote is left as it is.
struct EmptyPhasePlaceholders: AsyncMigration {
    var name: String { "0031_empty_phase_placeholders" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        for placeholder in PhaseDefinition.retiredPlaceholders {
            // The catalogue is stored as JSON; the placeholder is one string value in it.
            let quoted = String(decoding: try JSONEncoder().encode(placeholder), as: UTF8.self)
            try await sql.raw(
                """
                UPDATE operation_settings SET value = REPLACE(value, \(bind: quoted), '""') \
                WHERE setting_key = 'phase_catalogue'
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {}
}
