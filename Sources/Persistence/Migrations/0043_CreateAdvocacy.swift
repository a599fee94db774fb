import FluentKit
import SQLKit

/// Advocacy products (issue 19, part 3): each product's versions, the reviewers named per area and
/// their reviews, the figures frozen at approval, and the distributions (to lists built from the
/// stakeholder registry, or to members' accounts) with a row per recipient.
struct CreateAdvocacy: AsyncMigration {
    var name: String { "0043_create_advocacy" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("advocacy_products")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("language", .string, .required)
            .field("variant_group", .uuid, .required)  // the product's variants in other languages share it
            .field("state", .string, .required)
            .field("audience", .string, .required)
            .field("version", .int, .required)
            .field("frozen_figures", .string)  // JSON, at approval: [FigureValue]
            .field("approved_body", .string)  // the text with the figures in it, as approved
            .field("approved_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("approved_at", .datetime)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "operation_id", "number")
            .create()
        try await sql.create(index: "ix_advocacy_products_variants").on("advocacy_products").column("variant_group")
            .run()

        try await database.schema("advocacy_versions")
            .field("id", .uuid, .identifier(auto: false))
            .field("product_id", .uuid, .required, .references("advocacy_products", "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("draft", .string, .required)  // JSON: ProductDraft
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .unique(on: "product_id", "version")
            .create()

        try await database.schema("advocacy_reviewers")
            .field("product_id", .uuid, .required, .references("advocacy_products", "id", onDelete: .cascade))
            .field("area", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .compositeIdentifier(over: "product_id", "area")
            .create()
        try await sql.create(index: "ix_advocacy_reviewers_user").on("advocacy_reviewers").column("user_id").run()

        try await database.schema("advocacy_reviews")
            .field("id", .uuid, .identifier(auto: false))
            .field("product_id", .uuid, .required, .references("advocacy_products", "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("area", .string, .required)
            .field("reviewer_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("verdict", .string, .required)
            .field("comment", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_advocacy_reviews_product").on("advocacy_reviews").column("product_id").run()

        try await database.schema("distribution_lists")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("distribution_list_members")
            .field("list_id", .uuid, .required, .references("distribution_lists", "id", onDelete: .cascade))
            .field("stakeholder_id", .uuid, .required, .references("stakeholders", "id", onDelete: .cascade))
            .compositeIdentifier(over: "list_id", "stakeholder_id")
            .create()

        try await database.schema("advocacy_distributions")
            .field("id", .uuid, .identifier(auto: false))
            .field("product_id", .uuid, .required, .references("advocacy_products", "id", onDelete: .cascade))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("channel", .string, .required)
            .field("list_id", .uuid, .references("distribution_lists", "id", onDelete: .setNull))
            .field("list_name", .string)
            .field("audience", .string, .required)
            .field("note", .string)
            .field("sent_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("sent_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_advocacy_distributions_product").on("advocacy_distributions")
            .column("product_id").run()

        try await database.schema("advocacy_recipients")
            .field("id", .uuid, .identifier(auto: false))
            .field("distribution_id", .uuid, .required, .references("advocacy_distributions", "id", onDelete: .cascade))
            .field("product_id", .uuid, .required, .references("advocacy_products", "id", onDelete: .cascade))
            .field("stakeholder_id", .uuid, .references("stakeholders", "id", onDelete: .setNull))
            .field("user_id", .uuid, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("address", .string)
            .field("status", .string, .required)  // recorded | queued | sent | failed | no_address
            .field("error", .string)
            .field("sent_at", .datetime)
            .create()
        try await sql.create(index: "ix_advocacy_recipients_product").on("advocacy_recipients").column("product_id")
            .column("user_id").run()
        try await sql.create(index: "ix_advocacy_recipients_distribution").on("advocacy_recipients")
            .column("distribution_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in [
            "advocacy_recipients", "advocacy_distributions", "distribution_list_members", "distribution_lists",
            "advocacy_reviews", "advocacy_reviewers", "advocacy_versions", "advocacy_products",
        ] {
            try await database.schema(table).delete()
        }
    }
}
