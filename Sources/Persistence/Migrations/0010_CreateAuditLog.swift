import FluentKit
import SQLKit

struct CreateAuditLog: AsyncMigration {
    var name: String { "0010_create_audit_log" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_log")
            .field("sequence", .int64, .identifier(auto: false))
            .field("occurred_at", .datetime, .required)
            .field("actor_id", .string)
            .field("operation_id", .string)
            .field("record_kind", .string, .required)
            .field("record_id", .string, .required)
            .field("action", .string, .required)
            .field("changes", .string, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_audit_log_record").on("audit_log").column("record_kind").column("record_id")
            .run()
        try await sql.create(index: "ix_audit_log_operation").on("audit_log").column("operation_id").run()
        // Append-only in the database itself, not just by convention.
        switch sql.dialect.name {
        case "postgresql":
            try await sql.raw(
                """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                """
            ).run()
        default:
            try await sql.raw(
                """
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log").run()
            try await sql.raw("DROP FUNCTION IF EXISTS audit_log_append_only()").run()
        }
        try await database.schema("audit_log").delete()  // loses the audit trail
    }
}
