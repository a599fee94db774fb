import Domain
import FluentKit
import Foundation
import SQLKit

/// The client ids of entries sent from a device's offline queue (migration 0045).
public struct ClientSubmissionStore: Sendable {
    public struct Stored: Sendable, Equatable {
        public let kind: String
        public let digest: String
        public let location: String
    }

    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public func find(_ clientID: String, of userID: UserID) async throws -> Stored? {
        guard
            let row = try await database.sql.select().columns("kind", "digest", "location").from("client_submissions")
                .where("user_id", .equal, SQLBind(userID)).where("client_id", .equal, SQLBind(clientID)).first()
        else { return nil }
        return Stored(
            kind: try row.decode(column: "kind", as: String.self),
            digest: try row.decode(column: "digest", as: String.self),
            location: try row.decode(column: "location", as: String.self))
    }

    /// Records the id with the record it made; call in the record's transaction. False when the id
    /// was recorded first by another request (the same entry sent twice at once): the caller rolls
    /// its record back and answers with the first.
    public func record(
        _ clientID: String, of userID: UserID, kind: String, digest: String, location: String, capturedAt: Date?,
        now: Date
    ) async throws -> Bool {
        let rows = try await database.sql.insert(into: "client_submissions")
            .columns("user_id", "client_id", "kind", "digest", "location", "captured_at", "created_at")
            .values(
                SQLBind(userID), SQLBind(clientID), SQLBind(kind), SQLBind(digest), SQLBind(location),
                SQLBind(capturedAt), SQLBind(now)
            )
            .ignoringConflicts(with: ["user_id", "client_id"]).returning("client_id").all()
        return !rows.isEmpty
    }
}
