import Fluent
import Domain
import Foundation
import Persistence
import Vapor

/// Checks a password, with throttling that holds across app servers (attempts live in the database).
struct SignInService {
    let request: Request

    enum Outcome {
        case signedIn(UserRow)
        case wrongCredentials
        case throttled(until: Date)
    }

    func signIn(email: String, password: String, now: Date = Date()) async throws -> Outcome {
        let config = request.application.bearingConfig
        let attempts = SignInAttemptStore(request.db)
        let since = now.addingTimeInterval(-config.throttleWindow)
        let byEmail = try await attempts.recentFailures(email: email, since: since)
        let byAddress = try await attempts.recentFailures(clientAddress: request.clientAddress, since: since)
        // Per account, and per client address (four times as many, for shared offices behind one NAT).
        for (failures, limit) in [(byEmail, config.maxFailedSignIns), (byAddress, config.maxFailedSignIns * 4)] {
            if failures.count >= limit, let latest = failures.latest {
                return .throttled(until: latest.addingTimeInterval(config.throttleWindow))
            }
        }
        let user = try await UserStore(request.db).find(email: email)
        // Hash even for unknown accounts, so response time does not reveal which e-mails exist.
        let hash = user?.passwordHash ?? Self.dummyHash
        let matches = (try? await request.password.async.verify(password, created: hash)) ?? false
        let succeeded = matches && user != nil && user?.isDisabled == false
        try await attempts.record(email: email, clientAddress: request.clientAddress, succeeded: succeeded, now: now)
        guard succeeded, let user else { return .wrongCredentials }
        // Housekeeping where it costs least: expired sessions, and attempts older than 30 days
        // (kept that long so a coordinator can look back at a burst of failures).
        try await SessionStore(request.db).purgeExpired(now: now)
        try await attempts.purge(before: now.addingTimeInterval(-30 * 86400))
        return .signedIn(user)
    }

    /// A bcrypt hash of a random string, for the unknown-account path.
    static let dummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5sPEAs/1Qy1ACc7oUXBOyYrZbv5uGSu"
}
