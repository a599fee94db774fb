import Domain
import FluentKit
import Foundation
import SQLKit

/// What the overdue reminders already named to whom (migration 0036), so each item is named once.
public struct ReminderStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// The keys of `keys` not yet sent to `userID`.
    public func unsent(_ keys: [String], to userID: UserID) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        var sent = Set<String>()
        // In slices: an operation's overdue items can outnumber a statement's bound parameters.
        for slice in stride(from: 0, to: keys.count, by: 500) {
            let part = Array(keys[slice..<min(keys.count, slice + 500)])
            for row in try await database.sql.select().column("key").from("reminders_sent").where(
                "user_id", .equal, userID
            )
            .where("key", .in, part).all() {
                sent.insert(try row.decode(column: "key", as: String.self))
            }
        }
        return Set(keys).subtracting(sent)
    }

    public func markSent(_ keys: [String], to userID: UserID, now: Date) async throws {
        for key in Set(keys) {
            try await database.sql.insert(into: "reminders_sent").columns("key", "user_id", "sent_at")
                .values(SQLBind(key), SQLBind(userID), SQLBind(now)).ignoringConflicts(with: ["key", "user_id"]).run()
        }
    }
}
