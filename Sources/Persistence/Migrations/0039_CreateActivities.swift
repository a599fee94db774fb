import FluentKit
import SQLKit

/// EPoA activities for people on the move (issue 18, part 5): what, which sector, where (an admin
/// area, and a site), for whom, in which phase, by whom; targets and reach, broken down by a named
/// sex × age scheme and by population type.
struct CreateActivities: AsyncMigration {
    var name: String { "0039_create_activities" }

    func prepare(on database: any Database) async throws {
        try await database.schema("activities")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("sector", .string, .required)
            .field("area_pcode", .string, .required)
            .field("site_id", .uuid, .references("sites", "id", onDelete: .setNull))
            .field("population_types", .string, .required)  // JSON: ["REF", "HST", …]
            .field("phase", .string, .required)
            .field("start_on", .datetime, .required)
            .field("end_on", .datetime)
            .field("implementer", .string, .required)
            .field("scheme", .string, .required)
            .field("targeted", .int64, .required)
            .field("reached", .int64, .required)
            .field("targeted_bins", .string, .required)  // JSON: {"f_0_4": 120, …}
            .field("reached_bins", .string, .required)
            .field("targeted_by_type", .string, .required)  // JSON: {"REF": 300, …}
            .field("reached_by_type", .string, .required)
            .field("continues_id", .uuid, .references("activities", "id", onDelete: .setNull))
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_activities_operation_sector").on("activities").column("operation_id")
            .column("sector").column("area_pcode").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("activities").delete()
    }
}
