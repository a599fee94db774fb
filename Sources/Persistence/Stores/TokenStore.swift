import Domain
import FluentKit
import Foundation
import SQLKit

/// Personal API tokens. Only a SHA-256 of the token is stored; the token is shown once.
public struct TokenStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public struct Token: Codable, Sendable, Hashable {
        public var id: APITokenID
        public var userId: UserID
        public var name: String
        public var tokenHash: String
        public var createdAt: Date
        public var expiresAt: Date?
        public var lastUsedAt: Date?
        /// May only read (GET): no create, change or delete through the API.
        public var readOnly: Bool

        /// When the token stops working: its own expiry, or for a token made before every token had
        /// one, `maximumLifetime` after its creation.
        public func expiry(maximumLifetime: TimeInterval) -> Date {
            expiresAt ?? createdAt.addingTimeInterval(maximumLifetime)
        }

        enum CodingKeys: String, CodingKey {
            case id
            case userId = "user_id"
            case name
            case tokenHash = "token_hash"
            case createdAt = "created_at"
            case expiresAt = "expires_at"
            case lastUsedAt = "last_used_at"
            case readOnly = "read_only"
        }
    }

    /// Tokens are prefixed so that secret scanners recognise them.
    public static let prefix = "brg_"

    public static func hash(_ token: String) -> String {
        Hex.sha256(token)
    }

    /// Creates a token and returns its secret (shown to the user once) with the stored record.
    /// Every token expires; the caller bounds `expiresAt` by the instance's maximum.
    public func create(userID: UserID, name: String, expiresAt: Date, readOnly: Bool = false, now: Date) async throws
        -> (
            secret: String, token: Token
        )
    {
        let secret = Self.prefix + Hex.random(byteCount: 32)
        let token = Token(
            id: APITokenID(UUID()), userId: userID, name: name, tokenHash: Self.hash(secret), createdAt: now,
            expiresAt: expiresAt,
            lastUsedAt: nil, readOnly: readOnly)
        try await database.writing { db in
            try await db.sql.insert(into: "api_tokens").model(token).run()
            try await AuditStore(db).append(
                actorID: userID, operationID: nil, recordKind: "api_token", recordID: token.id.uuidString,
                action: .create,
                after: [
                    "name": name, "read_only": String(readOnly),
                    "expires_at": ISO8601DateFormatter().string(from: expiresAt),
                ],
                at: now)
        }
        return (secret, token)
    }

    /// The active account a token belongs to, with the token, or nil for an unknown, expired or
    /// disabled one. A token made before tokens had to expire lasts `maximumLifetime` from its creation.
    public func account(forSecret secret: String, maximumLifetime: TimeInterval, now: Date) async throws -> (
        user: UserRecord, token: Token
    )? {
        let hash = Self.hash(secret)
        guard
            let token = try await database.sql.select().column("*").from("api_tokens")
                .where("token_hash", .equal, hash).first()?.decodeRow(Token.self)
        else { return nil }
        if token.expiry(maximumLifetime: maximumLifetime) <= now { return nil }
        guard let user = try await UserStore(database).find(id: token.userId), !user.isDisabled else { return nil }
        // "Last used" to the minute is enough; a write on every API call would serialise SQLite.
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try await database.sql.update("api_tokens").set("last_used_at", to: now).where("id", .equal, token.id).run()
        }
        return (user, token)
    }

    /// Ends every token of an account (a password reset, a disabled account), inside the caller's transaction.
    static func revokeAll(userID: UserID, on db: any Database) async throws {
        try await db.sql.delete(from: "api_tokens").where("user_id", .equal, userID).run()
    }

    public func list(userID: UserID) async throws -> [Token] {
        try await database.sql.select().column("*").from("api_tokens").where("user_id", .equal, userID)
            .orderBy("created_at", .descending).all().map { try $0.decodeRow(Token.self) }
    }

    public func revoke(id: APITokenID, userID: UserID, now: Date) async throws {
        try await database.writing { db in
            try await db.sql.delete(from: "api_tokens").where("id", .equal, id).where("user_id", .equal, userID).run()
            try await AuditStore(db).append(
                actorID: userID, operationID: nil, recordKind: "api_token", recordID: id.uuidString, action: .delete,
                at: now)
        }
    }
}
