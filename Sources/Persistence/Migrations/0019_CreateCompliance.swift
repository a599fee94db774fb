import FluentKit
import SQLKit

/// MSR compliance (issue 4): assessments of the operation or one office against the requirement
/// catalogue, a finding per requirement with its evidence; written exemptions with their expiry;
/// and the annual compliance pack's written approval by the senior manager.
struct CreateCompliance: AsyncMigration {
    var name: String { "0019_create_compliance" }

    func prepare(on database: any Database) async throws {
        try await database.schema("compliance_assessments")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)
            // an office; null: the whole operation
            .field("site_id", .uuid, .references("sites", "id", onDelete: .setNull))
            .field("assessed_on", .datetime, .required)
            .field("phase", .string, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .unique(on: "operation_id", "number")
            .create()
        try await database.schema("compliance_findings")
            .field("assessment_id", .uuid, .required, .references("compliance_assessments", "id", onDelete: .cascade))
            .field("requirement_code", .string, .required)
            .field("status", .string, .required)
            .field("evidence", .string, .required)
            .compositeIdentifier(over: "assessment_id", "requirement_code")
            .create()
        try await database.schema("compliance_exemptions")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("requirement_code", .string, .required)
            .field("granted_by", .string, .required)
            .field("reason", .string, .required)
            .field("written_reason", .string, .required)
            .field("granted_on", .datetime, .required)
            .field("expires_on", .datetime, .required)
            .field("recorded_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("compliance_packs")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("statement", .string, .required)
            .field("approved_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("approved_at", .datetime, .required)
            .unique(on: "operation_id", "year")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["compliance_packs", "compliance_exemptions", "compliance_findings", "compliance_assessments"] {
            try await database.schema(table).delete()
        }
    }
}
