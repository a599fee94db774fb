import Domain
import FluentKit
import SQLKit

/// Secrets every app server of one database shares, made once here: the key that signs the
/// sign-in form's CSRF cookie, so that anonymous visitors need no stored session.
struct CreateInstanceSecrets: AsyncMigration {
    var name: String { "0029_create_instance_secrets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("instance_secrets")
            .field("name", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
        try await (database as! any SQLDatabase).insert(into: "instance_secrets").columns("name", "value")
            .values(SQLBind(InstanceSecretStore.csrfKey), SQLBind(Hex.random(byteCount: 32))).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("instance_secrets").delete()
    }
}
