import FluentKit
import SQLKit

/// The referral directory (issue 18): one row per service at a location (or at none), in the shape
/// of Open Referral HSDS with the humanitarian additions. The HSDS ids are kept so that an export
/// groups the rows back into services and a re-import updates what it imported before
/// (`import_key`: the HSDS service id and service-at-location id).
struct CreateServiceDirectory: AsyncMigration {
    var name: String { "0037_create_service_directory" }

    func prepare(on database: any Database) async throws {
        try await database.schema("services")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("import_key", .string, .required)
            .field("hsds_service_id", .string, .required)
            .field("hsds_organization_id", .string, .required)
            .field("hsds_location_id", .string)
            .field("hsds_link_id", .string)
            .field("organization", .string, .required)
            .field("name", .string, .required)
            .field("description", .string)
            .field("status", .string, .required)
            .field("url", .string)
            .field("email", .string)
            .field("phones", .string, .required)  // JSON: ["number, kind, note", …]
            .field("hours", .string, .required)  // JSON: ["MO-FR 08:00-16:00", …]
            .field("hours_note", .string)
            .field("eligibility", .string)
            .field("minimum_age", .int)
            .field("maximum_age", .int)
            .field("languages", .string, .required)  // JSON: ["ar", "en", …]
            .field("fees", .string)
            .field("accepts_referrals", .bool, .required)
            .field("consent_required", .bool, .required)
            .field("referral_focal_point", .string)
            .field("population_types", .string, .required)  // JSON: ["REF", "HST", …]
            .field("sectors", .string, .required)  // JSON: ["health", …]
            .field("last_verified_on", .datetime)
            .field("verified_by", .string)
            .field("location_name", .string)
            .field("address", .string)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("area_pcode", .string)
            .field("site_id", .uuid, .references("sites", "id", onDelete: .setNull))
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "operation_id", "import_key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_services_operation_name").on("services").column("operation_id")
            .column("name").run()
        try await sql.create(index: "ix_services_site").on("services").column("site_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("services").delete()
    }
}
