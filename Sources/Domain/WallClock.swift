import Foundation

/// The time, passed in wherever a rule depends on it (a deadline, an expiry, "overdue"), so that no
/// rule calls `Date()` itself and tests can fix the moment. (Swift's own `Clock` measures durations.)
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The machine's clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock stopped at one moment, for tests and for commands that replay a day.
public struct FixedClock: WallClock {
    public let moment: Date
    public init(_ moment: Date) { self.moment = moment }
    public func now() -> Date { moment }
}
