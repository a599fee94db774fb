import Domain
import FluentKit
import Foundation
import SQLKit

/// Accounts and their operation roles.
public struct UserStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// E-mail addresses are compared case-insensitively; we store them lower-cased.
    public static func normalise(email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Creates an account. Throws `DomainError.conflict` when the e-mail is taken.
    @discardableResult
    public func create(
        email: String, displayName: String, passwordHash: String, isAdmin: Bool, language: String = "en",
        actorID: UserID?, now: Date
    ) async throws -> UserRecord {
        let email = Self.normalise(email: email)
        if try await find(email: email) != nil {
            throw DomainError(
                .conflict, field: "email", key: "error.email_taken", "An account with \(email) already exists.")
        }
        let user = UserRecord(
            id: UserID(UUID()), email: email, displayName: displayName, passwordHash: passwordHash, isAdmin: isAdmin,
            language: language, disabledAt: nil, createdAt: now, updatedAt: now)
        try await database.writing { db in
            try await db.sql.insert(into: "users").model(user).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: nil, recordKind: "user", recordID: user.id.uuidString, action: .create,
                after: ["email": email, "display_name": displayName, "is_admin": String(isAdmin)], at: now)
        }
        return user
    }

    public func find(email: String) async throws -> UserRecord? {
        try await database.sql.select().column("*").from("users")
            .where("email", .equal, Self.normalise(email: email)).first()?.decodeRow(UserRecord.self)
    }

    public func find(id: UserID) async throws -> UserRecord? {
        try await database.sql.select().column("*").from("users").where("id", .equal, id).first()?.decodeRow(
            UserRecord.self)
    }

    /// All accounts, by e-mail.
    public func list(page: Paging = Paging(page: 1, perPage: 200, maxPerPage: 1000)) async throws -> ResultPage<
        UserRecord
    > {
        try await database.sql.page(
            page, from: "users", filter: { $0 }, order: { $0.orderBy("email") },
            decode: { try $0.decodeRow(UserRecord.self) })
    }

    /// Disables or re-enables an account; disabling also ends its sessions.
    public func setDisabled(_ userID: UserID, _ disabled: Bool, actorID: UserID?, now: Date) async throws {
        guard let user = try await find(id: userID) else {
            throw DomainError(.notFound, key: "error.not_found", "No such user.")
        }
        try await database.writing { db in
            try await db.sql.update("users").set("disabled_at", to: disabled ? now : nil).set("updated_at", to: now)
                .where("id", .equal, userID).run()
            if disabled {
                try await db.sql.delete(from: "web_sessions").where("user_id", .equal, userID).run()
                try await TokenStore.revokeAll(userID: userID, on: db)
            }
            try await AuditStore(db).append(
                actorID: actorID, operationID: nil, recordKind: "user", recordID: userID.uuidString, action: .update,
                before: ["disabled": String(user.isDisabled)], after: ["disabled": String(disabled)], at: now)
        }
    }

    /// Replaces the password hash and ends every session and API token of the account.
    public func setPasswordHash(_ userID: UserID, _ hash: String, actorID: UserID?, now: Date) async throws {
        guard try await find(id: userID) != nil else {
            throw DomainError(.notFound, key: "error.not_found", "No such user.")
        }
        try await database.writing { db in
            try await db.sql.update("users").set("password_hash", to: hash).set("updated_at", to: now)
                .where("id", .equal, userID).run()
            try await db.sql.delete(from: "web_sessions").where("user_id", .equal, userID).run()
            try await TokenStore.revokeAll(userID: userID, on: db)
            // The hash itself never goes into the audit log.
            try await AuditStore(db).append(
                actorID: actorID, operationID: nil, recordKind: "user", recordID: userID.uuidString, action: .update,
                before: ["password": "(set)"], after: ["password": "(reset)"], at: now)
        }
    }

    public func setLanguage(_ userID: UserID, _ language: String) async throws {
        try await database.sql.update("users").set("language", to: language).where("id", .equal, userID).run()
    }

    /// The access-relevant view of an account: its roles in every operation.
    public func viewer(for user: UserRecord) async throws -> Viewer {
        let rows = try await database.sql.select().column("operation_id").column("role").from("memberships")
            .where("user_id", .equal, user.id).all()
        return Self.viewer(
            for: user,
            memberships: try rows.map {
                (
                    try $0.decode(column: "operation_id", as: OperationID.self),
                    try $0.decode(column: "role", as: String.self)
                )
            })
    }

    /// The access policy's view of an account, from its stored memberships (unknown role names are ignored).
    public static func viewer(for user: UserRecord, memberships: [(operationID: OperationID, role: String)]) -> Viewer {
        var roles: [OperationID: Role] = [:]
        for membership in memberships {
            if let role = Role(rawValue: membership.role) { roles[membership.operationID] = role }
        }
        return Viewer(userID: user.id, isSystemAdministrator: user.isAdmin, roles: roles)
    }
}
