import Domain
import FluentKit
import SQLKit

/// Alerts and the durable jobs that deliver them (issue 17): a jobs table every worker shares
/// (claimed with a lease, on PostgreSQL with `FOR UPDATE SKIP LOCKED`); alerts with their texts and
/// audience; one row per person reached and one per message sent to them, with its state and
/// reason; the answers given with the one-time links; and the monitor's checks of each channel.
struct CreateJobsAndAlerts: AsyncMigration {
    var name: String { "0035_create_jobs_and_alerts" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("jobs")
            .field("id", .uuid, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("payload", .string, .required)  // JSON, the job kind's own shape
            // One job per thing to do: a second enqueue of the same key is ignored.
            .field("idempotency_key", .string, .required)
            .field("operation_id", .uuid, .references("operations", "id", onDelete: .cascade))
            .field("state", .string, .required)
            .field("run_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("lease_until", .datetime)
            .field("worker", .string)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("finished_at", .datetime)
            .unique(on: "idempotency_key")
            .create()
        try await sql.create(index: "ix_jobs_due").on("jobs").column("state").column("run_at").run()

        try await database.schema("alerts")
            .field("id", .uuid, .identifier(auto: false))
            .field("operation_id", .uuid, .required, .references("operations", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("severity", .string, .required)
            .field("category", .string, .required)
            .field("texts", .string, .required)  // JSON: [AlertText]
            .field("audience", .string, .required)  // JSON: AlertAudience
            .field("channels", .string, .required)  // comma-separated AlertChannel
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .unique(on: "operation_id", "number")
            .create()
        try await sql.create(index: "ix_alerts_operation").on("alerts").column("operation_id").column("created_at")
            .run()

        try await database.schema("alert_recipients")
            .field("id", .uuid, .identifier(auto: false))
            .field("alert_id", .uuid, .required, .references("alerts", "id", onDelete: .cascade))
            // A person of the register; nil for a contact outside it (a CIMT member from the CIM plan).
            .field("person_id", .uuid, .references("people", "id", onDelete: .cascade))
            .field("name", .string)
            // The person's account when the alert went out: they may read it.
            .field("user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("language", .string, .required)
            .field("answer", .string)
            .field("answered_at", .datetime)
            .field("help_handled_at", .datetime)
            .field("help_handled_by", .uuid, .references("users", "id", onDelete: .setNull))
            .unique(on: "alert_id", "person_id")
            .create()
        try await sql.create(index: "ix_alert_recipients_user").on("alert_recipients").column("user_id").run()

        try await database.schema("alert_deliveries")
            .field("id", .uuid, .identifier(auto: false))
            .field("alert_id", .uuid, .required, .references("alerts", "id", onDelete: .cascade))
            .field("recipient_id", .uuid, .required, .references("alert_recipients", "id", onDelete: .cascade))
            .field("channel", .string, .required)
            .field("address", .string, .required)
            .field("state", .string, .required)
            .field("reason", .string, .required)
            .field("attempts", .int, .required)
            .field("sent_at", .datetime)
            .field("updated_at", .datetime, .required)
            .unique(on: "recipient_id", "channel")
            .create()
        try await sql.create(index: "ix_alert_deliveries_alert").on("alert_deliveries").column("alert_id")
            .column("state").run()
        // The monitor reads the deliveries of the last days by time.
        try await sql.create(index: "ix_alert_deliveries_updated").on("alert_deliveries").column("updated_at").run()

        try await database.schema("channel_checks")
            .field("id", .uuid, .identifier(auto: false))
            .field("channel", .string, .required)
            .field("checked_at", .datetime, .required)
            .field("ok", .bool, .required)
            .field("detail", .string, .required)
            .create()
        try await sql.create(index: "ix_channel_checks").on("channel_checks").column("channel").column("checked_at")
            .run()

        // Signs the one-time acknowledgement links, so none needs a secret stored per recipient.
        try await sql.insert(into: "instance_secrets").columns("name", "value")
            .values(SQLBind(InstanceSecretStore.acknowledgementKey), SQLBind(Hex.random(byteCount: 32))).run()
    }

    func revert(on database: any Database) async throws {
        for table in ["channel_checks", "alert_deliveries", "alert_recipients", "alerts", "jobs"] {
            try await database.schema(table).delete()
        }
        try await (database as! any SQLDatabase).delete(from: "instance_secrets")
            .where("name", .equal, InstanceSecretStore.acknowledgementKey).run()
    }
}
