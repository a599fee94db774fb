import FluentKit
import Foundation
import SQLKit

/// Failed sign-ins, counted in the database so that throttling holds across app servers.
public struct SignInAttemptStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public func record(email: String, clientAddress: String, succeeded: Bool, now: Date = Date()) async throws {
        try await database.sql.insert(into: "sign_in_attempts")
            .columns("id", "email", "client_address", "succeeded", "attempted_at")
            .values(SQLBind(UUID()), SQLBind(UserStore.normalise(email: email)), SQLBind(clientAddress),
                    SQLBind(succeeded), SQLBind(now))
            .run()
    }

    /// Failures for this e-mail since `since`, and since its last success.
    public func recentFailures(email: String, since: Date) async throws -> (count: Int, latest: Date?) {
        try await failures(column: "email", value: UserStore.normalise(email: email), since: since)
    }

    /// Failures from this client address since `since`.
    public func recentFailures(clientAddress: String, since: Date) async throws -> (count: Int, latest: Date?) {
        try await failures(column: "client_address", value: clientAddress, since: since)
    }

    private func failures(column: String, value: String, since: Date) async throws -> (count: Int, latest: Date?) {
        let sql = database.sql
        // A success resets the count: only failures after the latest success matter.
        let lastSuccess = try await sql.select().column("attempted_at").from("sign_in_attempts")
            .where(SQLIdentifier(column), .equal, SQLBind(value)).where("succeeded", .equal, true)
            .where("attempted_at", .greaterThanOrEqual, since)
            .orderBy("attempted_at", .descending).limit(1).first()?.decode(column: "attempted_at", as: Date.self)
        let rows = try await sql.select().column("attempted_at").from("sign_in_attempts")
            .where(SQLIdentifier(column), .equal, SQLBind(value)).where("succeeded", .equal, false)
            .where("attempted_at", .greaterThanOrEqual, max(since, lastSuccess ?? since))
            .orderBy("attempted_at", .descending).all()
        let latest = try rows.first?.decode(column: "attempted_at", as: Date.self)
        return (rows.count, latest)
    }

    /// Forgets attempts older than `before`.
    public func purge(before: Date) async throws {
        try await database.sql.delete(from: "sign_in_attempts").where("attempted_at", .lessThan, before).run()
    }
}
