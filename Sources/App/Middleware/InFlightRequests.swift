import NIOConcurrencyHelpers
import Vapor

/// The requests being handled, so that shutdown can wait for them and name any it gave up on. A
/// handler whose client has gone away keeps running after the server stops accepting connections;
/// if the databases closed under it, it would stop the process with a crash report instead of a
/// clean exit.
final class InFlightRequests: AsyncMiddleware, Sendable {
    private struct Running { let what: String; let since: ContinuousClock.Instant }
    private let running = NIOLockedValueBox([ObjectIdentifier: Running]())

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let key = ObjectIdentifier(request)
        let entry = Running(what: "\(request.method) \(request.url.path) (\(request.id))", since: .now)
        running.withLockedValue { $0[key] = entry }
        defer { _ = running.withLockedValue { $0.removeValue(forKey: key) } }
        return try await next.respond(to: request)
    }

    var current: Int { running.withLockedValue { $0.count } }

    /// The requests still running, oldest first: method, path (no query: it may name people), request
    /// id and how long each has run, for the log when shutdown gives up waiting.
    var stillRunning: [String] {
        let now = ContinuousClock.now
        return running.withLockedValue { Array($0.values) }.sorted { $0.since < $1.since }.map {
            "\($0.what), \((now - $0.since).components.seconds) s"
        }
    }

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
