import Domain
import Fluent
import Foundation
import Persistence
import Vapor

/// Checks a password, with throttling that holds across app servers (attempts live in the database).
struct SignInService {
    let request: Request

    enum Outcome {
        case signedIn(UserRecord)
        case wrongCredentials
        case throttled(until: Date)
    }

    func signIn(email: String, password: String, now: Date) async throws -> Outcome {
        let config = request.application.bearingConfig
        let attempts = SignInAttemptStore(request.db)
        // Failures count for a day: were they forgotten sooner than the longest wait, the doubling
        // would start again for an attacker who waits it out.
        let since = now.addingTimeInterval(-86_400)
        let address = request.clientAddress
        let throttle = SignInThrottle.standard(freeTries: config.maxFailedSignIns, cap: config.throttleWindow)
        if let until = throttle.until(
            accountAtAddress: try await attempts.recentFailures(email: email, clientAddress: address, since: since),
            account: try await attempts.recentFailures(email: email, since: since),
            address: try await attempts.recentFailures(clientAddress: address, since: since), now: now)
        {
            return .throttled(until: until)
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
