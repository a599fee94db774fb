import Domain
import FluentKit
import Foundation
import SQLKit

/// Browser sessions, kept in the database so that any app server can serve any request.
public struct SessionStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public struct Session: Sendable, Hashable {
        public var id: String
        public var userID: UserID?
        public var data: [String: String]
        public var expiresAt: Date
    }

    public func create(id: String, userID: UserID?, data: [String: String], expiresAt: Date, now: Date) async throws {
        try await database.sql.insert(into: "web_sessions")
            .columns("id", "user_id", "data", "created_at", "expires_at")
            .values(SQLBind(id), SQLBind(userID), SQLBind(try Self.encode(data)), SQLBind(now), SQLBind(expiresAt))
            .run()
    }

    /// A session with its signed-in account and the account's roles, read in one round trip
    /// (this runs on every page view).
    public struct SignedIn: Sendable {
        public var session: Session
        /// Nil when the session has no user or the user no longer exists.
        public var user: UserRecord?
        /// Operation id → role name, as stored in `memberships`.
        public var memberships: [(operationID: OperationID, role: String)]
    }

    /// The session, its account and memberships; nil when unknown or expired (expired ones are deleted).
    public func findSignedIn(id: String, now: Date) async throws -> SignedIn? {
        let userColumns = UserRecord.CodingKeys.allCases.map { "u.\($0.rawValue) AS u_\($0.rawValue)" }.joined(
            separator: ", ")
        let rows = try await database.sql.raw(
            """
            SELECT s.user_id AS s_user_id, s.data AS s_data, s.expires_at AS s_expires_at, \(unsafeRaw: userColumns),
                   m.operation_id AS m_operation_id, m.role AS m_role
            FROM web_sessions s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN memberships m ON m.user_id = u.id
            WHERE s.id = \(bind: id)
            """
        ).all()
        guard let first = rows.first else { return nil }
        let expiresAt = try first.decode(column: "s_expires_at", as: Date.self)
        if expiresAt <= now {
            try await delete(id: id)
            return nil
        }
        let data = try first.decode(column: "s_data", as: String.self)
        let session = Session(
            id: id, userID: try first.decode(column: "s_user_id", as: UserID?.self),
            data: (try? JSONDecoder().decode([String: String].self, from: Data(data.utf8))) ?? [:],
            expiresAt: expiresAt)
        guard try first.decode(column: "u_id", as: UUID?.self) != nil else {
            return SignedIn(session: session, user: nil, memberships: [])
        }
        let user = try first.decode(model: UserRecord.self, prefix: "u_")
        let memberships = try rows.compactMap { row -> (operationID: OperationID, role: String)? in
            guard let operation = try row.decode(column: "m_operation_id", as: OperationID?.self) else { return nil }
            return (operation, try row.decode(column: "m_role", as: String.self))
        }
        return SignedIn(session: session, user: user, memberships: memberships)
    }

    public func update(id: String, userID: UserID?, data: [String: String], expiresAt: Date) async throws {
        try await database.sql.update("web_sessions").set("user_id", to: userID).set("data", to: try Self.encode(data))
            .set("expires_at", to: expiresAt).where("id", .equal, id).run()
    }

    public func delete(id: String) async throws {
        try await database.sql.delete(from: "web_sessions").where("id", .equal, id).run()
    }

    /// Removes every expired session; returns nothing, it is housekeeping.
    public func purgeExpired(now: Date) async throws {
        try await database.sql.delete(from: "web_sessions").where("expires_at", .lessThanOrEqual, now).run()
    }

    static func encode(_ data: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(data), as: UTF8.self)
    }
}
