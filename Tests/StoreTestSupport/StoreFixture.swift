import Domain
import FluentKit
import Foundation
import Persistence

/// Accounts with roles in one operation, made through the stores alone: one operation, one member
/// per role, a system administrator and a non-member. TestSupport's `Fixture.make(app)` makes the
/// same through here, so both leave the same rows and the same audit entries, in the same order.
public struct StoreFixture: Sendable {
    public let operation: OperationRecord
    public let users: [Role: UserRecord]
    public let admin: UserRecord
    public let outsider: UserRecord

    /// Every account's stored password hash when none is given. Store tests never sign in, so it
    /// need not be a real hash (the web app's fixture passes a bcrypt hash of its password).
    public static let placeholderPasswordHash = "not-a-hash: store tests never sign in"

    public static func make(
        _ db: any Database, code: String = "SDN-TEST",
        passwordHash hash: String = StoreFixture.placeholderPasswordHash
    ) async throws -> StoreFixture {
        let store = UserStore(db)
        let admin = try await store.create(
            email: "admin@test.org", displayName: "Admin", passwordHash: hash, isAdmin: true, actorID: nil, now: Date())
        let outsider = try await store.create(
            email: "outsider@test.org", displayName: "Outsider", passwordHash: hash, isAdmin: false, actorID: nil,
            now: Date())
        let operation = try await OperationStore(db).create(
            try OperationDraft(code: code, name: "Sudan test", countries: ["SDN"]).validated(), actorID: admin.id,
            now: Date())
        var users: [Role: UserRecord] = [:]
        for role in Role.allCases {
            let user = try await store.create(
                email: "\(role.rawValue)@test.org", displayName: role.rawValue, passwordHash: hash, isAdmin: false,
                actorID: admin.id, now: Date())
            try await OperationStore(db).setMember(
                operationID: operation.id, userID: user.id, role: role, actorID: admin.id, now: Date())
            users[role] = user
        }
        return StoreFixture(operation: operation, users: users, admin: admin, outsider: outsider)
    }

    /// The access policy's view of `user`, from the memberships stored in `db`.
    public func viewer(_ db: any Database, _ user: UserRecord) async throws -> Viewer {
        try await UserStore(db).viewer(for: user)
    }
}
