import Foundation

/// Where a durable job stands.
public enum JobState: String, CaseIterable, Sendable, Codable, Hashable {
    /// Waiting for its time, or for a retry.
    case pending
    /// Claimed by a worker until its lease ends; a worker that died leaves it to be taken up again.
    case running
    case done
    /// Out of attempts: shown with its last error, never dropped.
    case failed
}

/// How long a failed job waits before its next attempt: doubling from `base`, at most `ceiling`.
public struct JobBackoff: Sendable, Hashable {
    public var base: TimeInterval
    public var ceiling: TimeInterval
    public init(base: TimeInterval = 30, ceiling: TimeInterval = 3_600) {
        self.base = base; self.ceiling = ceiling
    }

    /// The wait after the `attempt`-th attempt failed (1 for the first).
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        return min(ceiling, base * pow(2, exponent))
    }
}
