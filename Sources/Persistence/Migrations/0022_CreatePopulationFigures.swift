import FluentKit
import SQLKit

/// Displacement figures (stock), issue 5: a number of people of one population type at a
/// location and date, with its source, method, round and reporting date, its breakdown as the
/// source published it (JSON, labels kept), and the dataset and key a re-import updates by.
struct CreatePopulationFigures: AsyncMigration {
    var name: String { "0022_create_population_figures" }

    func prepare(on database: any Database) async throws {
        try await database.schema("population_figures")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("dataset", .string, .required)
            .field("source_key", .string, .required)
            .field("source", .string, .required)
            .field("method", .string)
            .field("population_type", .string, .required)
            .field("location_kind", .string, .required)
            .field("location_code", .string, .required)
            .field("location_name", .string, .required)
            .field("origin_iso3", .string)
            .field("asylum_iso3", .string)
            .field("year", .int, .required)
            .field("reference_date", .datetime)
            .field("round", .int)
            .field("reporting_date", .datetime)
            .field("total", .int64, .required)
            .field("scheme", .string)
            .field("breakdown", .string)
            .field("content_hash", .string, .required)
            .field("imported_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "operation_id", "dataset", "source_key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_population_figures_stats").on("population_figures")
            .column("operation_id").column("population_type").column("year").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("population_figures").delete()
    }
}
