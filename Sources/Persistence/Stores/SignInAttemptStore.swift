import Domain
import FluentKit
import Foundation
import SQLKit

/// Failed sign-ins, counted in the database so that throttling holds across app servers.
public struct SignInAttemptStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public func record(email: String, clientAddress: String, succeeded: Bool, now: Date) async throws {
        try await database.sql.insert(into: "sign_in_attempts")
            .columns("id", "email", "client_address", "succeeded", "attempted_at")
            .values(
                SQLBind(UUID()), SQLBind(UserStore.normalise(email: email)), SQLBind(clientAddress),
                SQLBind(succeeded), SQLBind(now)
            )
            .run()
    }

    /// Failures for this e-mail from this address since `since`, and since the account's last
    /// success from that address.
    public func recentFailures(email: String, clientAddress: String, since: Date) async throws
        -> SignInThrottle.Failures
    {
        try await failures(
            ["email": UserStore.normalise(email: email), "client_address": clientAddress], since: since,
            resetBySuccess: true)
    }

    /// Failures for this e-mail from anywhere since `since`, and since the account's last success.
    public func recentFailures(email: String, since: Date) async throws -> SignInThrottle.Failures {
        try await failures(["email": UserStore.normalise(email: email)], since: since, resetBySuccess: true)
    }

    /// Failures from this client address against any account since `since`. Never reset by a
    /// success: one valid account must not clear the failures against others.
    public func recentFailures(clientAddress: String, since: Date) async throws -> SignInThrottle.Failures {
        try await failures(["client_address": clientAddress], since: since, resetBySuccess: false)
    }

    private func failures(_ match: [String: String], since: Date, resetBySuccess: Bool) async throws
        -> SignInThrottle.Failures
    {
        let sql = database.sql
        func matching(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            match.keys.sorted().reduce(query) { $0.where(SQLIdentifier($1), .equal, SQLBind(match[$1]!)) }
        }
        var start = since
        if resetBySuccess,
            let lastSuccess = try await matching(sql.select().column("attempted_at").from("sign_in_attempts"))
                .where("succeeded", .equal, true).where("attempted_at", .greaterThanOrEqual, since)
                .orderBy("attempted_at", .descending).limit(1).first()?.decode(column: "attempted_at", as: Date.self)
        {
            start = max(since, lastSuccess)
        }
        let row = try await matching(
            sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .column(SQLFunction("MAX", args: SQLIdentifier("attempted_at")), as: "latest").from("sign_in_attempts")
        )
        .where("succeeded", .equal, false).where("attempted_at", .greaterThanOrEqual, start).first()
        return SignInThrottle.Failures(
            count: try row?.decode(column: "n", as: Int.self) ?? 0,
            latest: try row?.decode(column: "latest", as: Date?.self))
    }

    /// Forgets attempts older than `before`.
    public func purge(before: Date) async throws {
        try await database.sql.delete(from: "sign_in_attempts").where("attempted_at", .lessThan, before).run()
    }
}
