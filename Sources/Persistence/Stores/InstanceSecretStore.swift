import FluentKit
import SQLKit

/// Secrets shared by every app server of one database (migration 0029).
public struct InstanceSecretStore: Sendable {
    public static let csrfKey = "csrf_key"
    /// Signs alerts' one-time acknowledgement links (migration 0035).
    public static let acknowledgementKey = "ack_key"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public func value(_ name: String) async throws -> String? {
        try await database.sql.select().column("value").from("instance_secrets").where("name", .equal, name).first()?
            .decode(column: "value", as: String.self)
    }
}
