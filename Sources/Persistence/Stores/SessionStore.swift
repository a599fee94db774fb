import FluentKit
import Foundation
import SQLKit

/// Browser sessions, kept in the database so that any app server can serve any request.
public struct SessionStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public struct Session: Sendable, Hashable {
        public var id: String
        public var userID: UUID?
        public var data: [String: String]
        public var expiresAt: Date
    }

    public func create(id: String, userID: UUID?, data: [String: String], expiresAt: Date, now: Date = Date()) async throws {
        try await database.sql.insert(into: "web_sessions")
            .columns("id", "user_id", "data", "created_at", "expires_at")
            .values(SQLBind(id), SQLBind(userID), SQLBind(try Self.encode(data)), SQLBind(now), SQLBind(expiresAt))
            .run()
    }

    /// The session, unless it has expired (expired ones are deleted on sight).
    public func find(id: String, now: Date = Date()) async throws -> Session? {
        guard let row = try await database.sql.select().column("*").from("web_sessions").where("id", .equal, id).first()
        else { return nil }
        let expiresAt = try row.decode(column: "expires_at", as: Date.self)
        if expiresAt <= now {
            try await delete(id: id)
            return nil
        }
        let data = try row.decode(column: "data", as: String.self)
        return Session(
            id: id, userID: try row.decode(column: "user_id", as: UUID?.self),
            data: (try? JSONDecoder().decode([String: String].self, from: Data(data.utf8))) ?? [:],
            expiresAt: expiresAt)
    }

    public func update(id: String, userID: UUID?, data: [String: String], expiresAt: Date) async throws {
        try await database.sql.update("web_sessions").set("user_id", to: userID).set("data", to: try Self.encode(data))
            .set("expires_at", to: expiresAt).where("id", .equal, id).run()
    }

    public func delete(id: String) async throws {
        try await database.sql.delete(from: "web_sessions").where("id", .equal, id).run()
    }

    /// Removes every expired session; returns nothing, it is housekeeping.
    public func purgeExpired(now: Date = Date()) async throws {
        try await database.sql.delete(from: "web_sessions").where("expires_at", .lessThanOrEqual, now).run()
    }

    static func encode(_ data: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(data), as: UTF8.self)
    }
}
