import FluentKit
import SQLKit

/// Needs assessments (issue 18, part 1): the assessment as entered, the submissions imported from
/// KoBo or ODK (only the mapped fields and the closed answers: never free text), each import with
/// its counts and reasons, and the column mapping saved per form for the next import.
struct CreateNeedsAssessments: AsyncMigration {
    var name: String { "0041_create_needs_assessments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("needs_assessments")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("title", .string, .required)
            .field("area_pcode", .string)
            .field("site_id", .uuid, .references("sites", "id", onDelete: .setNull))
            .field("start_on", .datetime, .required)
            .field("end_on", .datetime)
            .field("method", .string, .required)
            .field("team", .string, .required)
            .field("groups", .string, .required)  // JSON: ["REF", "HST"]
            .field("findings", .string, .required)  // JSON: [{sector, severity, text}]
            .field("need_counts", .string, .required)  // JSON: [{group, need, bin, count}]
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "operation_id", "number")
            .create()

        try await database.schema("assessment_imports")
            .field("id", .uuid, .identifier(auto: false))
            .field("assessment_id", .uuid, .required, .references("needs_assessments", "id", onDelete: .cascade))
            .field("form_key", .string, .required)
            .field("file_name", .string, .required)
            .field("format", .string, .required)
            .field("added", .int, .required)
            .field("already_there", .int, .required)
            .field("rejected", .int, .required)
            .field("report", .string, .required)  // JSON: the mapping used, the problems (the first 500)
            .field("imported_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("imported_at", .datetime, .required)
            .create()

        try await database.schema("assessment_responses")
            .field("id", .uuid, .identifier(auto: false))
            .field("assessment_id", .uuid, .required, .references("needs_assessments", "id", onDelete: .cascade))
            .field("import_id", .uuid, .required, .references("assessment_imports", "id", onDelete: .cascade))
            .field("submission_id", .string, .required)  // _uuid, instanceID or KEY; a row's digest without one
            .field("submitted_at", .datetime)
            .field("area_pcode", .string)
            .field("population_group", .string, .required)
            .field("sex", .string)
            .field("age_bracket", .string)
            .field("needs", .string, .required)  // space-separated UNHCR codes
            .field("priority_sectors", .string, .required)
            .field("household_size", .int)
            .field("answers", .string, .required)  // JSON: closed answers only
            .unique(on: "assessment_id", "submission_id")
            .create()

        try await database.schema("assessment_form_mappings")
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("form_key", .string, .required)
            .field("mapping", .string, .required)  // JSON: field → column
            .field("columns", .string, .required)  // JSON: the columns of the last file, to choose from
            .field("updated_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("updated_at", .datetime, .required)
            .compositeIdentifier(over: "operation_id", "form_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["assessment_form_mappings", "assessment_responses", "assessment_imports", "needs_assessments"] {
            try await database.schema(table).delete()
        }
    }
}
