import FluentKit
import SQLKit

/// Messages from SMS and WhatsApp gateways (issue 21): the gateways an operation receives from
/// (each with its own webhook address and secret), the untriaged inbox, and the replies sent.
struct CreateInbox: AsyncMigration {
    var name: String { "0046_create_inbox" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("inbound_gateways")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("secret", .string, .required)  // the gateway's token or shared secret: it signs each request
            .field("active", .bool, .required)
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("inbound_messages")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("gateway_id", .uuid, .required, .references("inbound_gateways", "id", onDelete: .cascade))
            .field("external_id", .string, .required)  // the gateway's id: a retried delivery is stored once
            .field("sender", .string, .required)
            .field("sender_name", .string)
            .field("person_id", .uuid, .references("people", "id", onDelete: .setNull))  // matched by phone
            .field("recipient", .string)
            .field("text", .string, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("media", .string, .required)  // JSON list of links or media ids
            .field("sent_at", .datetime)
            .field("received_at", .datetime, .required)
            .field("state", .string, .required)  // untriaged, incident, check_in, location, archived
            .field("outcome", .string)  // the page of what it became, or the reason it was archived
            .field("triaged_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("triaged_at", .datetime)
            .unique(on: "gateway_id", "external_id")
            .create()
        try await sql.create(index: "ix_inbound_messages_inbox").on("inbound_messages").column("operation_id")
            .column("state").column("received_at").run()
        // The rate limits count a sender's and a gateway's recent messages.
        try await sql.create(index: "ix_inbound_messages_sender").on("inbound_messages").column("gateway_id")
            .column("sender").column("received_at").run()
        try await sql.create(index: "ix_inbound_messages_gateway").on("inbound_messages").column("gateway_id")
            .column("received_at").run()

        try await database.schema("inbound_replies")
            .field("id", .uuid, .identifier(auto: false))
            .field("message_id", .uuid, .required, .references("inbound_messages", "id", onDelete: .cascade))
            .field("text", .string, .required)
            .field("sent_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("status", .string, .required)  // sent, failed, then what the gateway reports
            .field("error", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["inbound_replies", "inbound_messages", "inbound_gateways"] {
            try await database.schema(table).delete()
        }
    }
}
