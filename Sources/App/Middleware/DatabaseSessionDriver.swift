import Domain
import Fluent
import Foundation
import Persistence
import Vapor

/// Keeps sessions in the database, so any app server can serve any request and a restart signs
/// nobody out.
struct DatabaseSessionDriver: AsyncSessionDriver {
    let lifetime: TimeInterval

    /// Only a signed-in session is stored (anonymous requests write nothing); the web middleware
    /// does not touch the session of an anonymous visitor, so this is a safety net.
    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        // 32 random bytes: unguessable session ids.
        let id = SessionID(string: Hex.random(byteCount: 32))
        guard data["user_id"] != nil else { return id }
        try await SessionStore(request.db).create(
            id: id.string, userID: data["user_id"].flatMap(UUID.init(uuidString:)).map(UserID.init(rawValue:)),
            data: data.snapshot,
            expiresAt: request.now.addingTimeInterval(lifetime), now: request.now)
        return id
    }

    /// What a request read, so that an unchanged session is not written back on every request.
    struct Loaded: StorageKey { typealias Value = SessionStore.Session }
    /// The account read with the session, so that `WebUserLoader` needs no query of its own.
    struct LoadedAccount: StorageKey { typealias Value = SessionStore.SignedIn }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        guard let signedIn = try await SessionStore(request.db).findSignedIn(id: sessionID.string, now: request.now)
        else { return nil }
        request.storage[Loaded.self] = signedIn.session
        request.storage[LoadedAccount.self] = signedIn
        return SessionData(initialData: signedIn.session.data)
    }

    /// Writes changed data at once; an unchanged session only every few minutes, to slide its expiry.
    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        if let loaded = request.storage[Loaded.self], loaded.id == sessionID.string, loaded.data == data.snapshot,
            loaded.expiresAt.timeIntervalSince(request.now) > lifetime - 300
        {
            return sessionID
        }
        try await SessionStore(request.db).update(
            id: sessionID.string, userID: data["user_id"].flatMap(UUID.init(uuidString:)).map(UserID.init(rawValue:)),
            data: data.snapshot,
            expiresAt: request.now.addingTimeInterval(lifetime))
        return sessionID
    }

    /// A cookie whose session was never found (expired, or never stored) has nothing to delete.
    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        guard request.storage[Loaded.self]?.id == sessionID.string else { return }
        try await SessionStore(request.db).delete(id: sessionID.string)
    }
}
