import FluentKit
import SQLKit

/// Who may read a past version of a risk: its own audience (NULL), or a wider one when the person
/// who widened the risk chose to publish its earlier wording. Widening a risk must not show the
/// text written for a narrower circle to the new readers unless someone decided it may.
struct AddRiskVersionReadableAudience: AsyncMigration {
    var name: String { "0030_add_risk_version_readable_audience" }

    func prepare(on database: any Database) async throws {
        try await database.schema("risk_versions").field("readable_audience", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("risk_versions").deleteField("readable_audience").update()
    }
}
