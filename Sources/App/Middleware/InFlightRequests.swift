import NIOConcurrencyHelpers
import Vapor

/// Counts the requests being handled, so that shutdown can wait for them. A handler whose client
/// has gone away keeps running after the server stops accepting connections; if the databases
/// closed under it, it would stop the process with a crash report instead of a clean exit.
final class InFlightRequests: AsyncMiddleware, Sendable {
    private let count = NIOLockedValueBox(0)

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        count.withLockedValue { $0 += 1 }
        defer { count.withLockedValue { $0 -= 1 } }
        return try await next.respond(to: request)
    }

    var current: Int { count.withLockedValue { $0 } }

    /// Returns once no request is being handled, or when `timeout` has passed; true if drained.
    @discardableResult
    func drain(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while current > 0 {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}

extension Application {
    private struct InFlightKey: StorageKey { typealias Value = InFlightRequests }

    /// The requests this application is handling right now.
    var inFlightRequests: InFlightRequests {
        if let existing = storage[InFlightKey.self] { return existing }
        let created = InFlightRequests()
        storage[InFlightKey.self] = created
        return created
    }
}
