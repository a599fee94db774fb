import Foundation

/// How long sign-in waits after failures: a delay that doubles with each failure past a few free
/// ones, capped, counted separately per account and address, per account and per address. An
/// attacker elsewhere slows only themself; the owner at their own address is never locked out for
/// long (the account-wide delay is capped at a minute); one valid account cannot clear another's
/// failures, since an address's count is never reset by a success.
public struct SignInThrottle: Sendable, Hashable {
    public struct Rule: Sendable, Hashable {
        /// Failures allowed before any wait.
        public var free: Int
        /// The first wait, doubled for each further failure.
        public var base: TimeInterval
        public var cap: TimeInterval
        public init(free: Int, base: TimeInterval, cap: TimeInterval) {
            self.free = free; self.base = base; self.cap = cap
        }

        /// The wait after `failures` failures.
        public func wait(after failures: Int) -> TimeInterval {
            guard failures >= free else { return 0 }
            let doublings = min(failures - free, 30)  // 2^30 × base is past any cap; no overflow
            return min(cap, base * Double(1 << doublings))
        }
    }

    /// The same account from the same address: the owner's own mistakes, or one attacker.
    public var accountAtAddress: Rule
    /// The account from anywhere (many addresses against one account): capped low, the owner shares it.
    public var account: Rule
    /// The address against any account (one address spraying many accounts).
    public var address: Rule

    public init(accountAtAddress: Rule, account: Rule, address: Rule) {
        self.accountAtAddress = accountAtAddress; self.account = account; self.address = address
    }

    /// The defaults: five free tries per account and address, then 30 s doubling to 15 min; twenty
    /// per account from anywhere, then 5 s doubling to a minute; twenty per address, then 30 s to 15 min.
    public static func standard(freeTries: Int = 5, cap: TimeInterval = 15 * 60) -> SignInThrottle {
        SignInThrottle(
            accountAtAddress: Rule(free: freeTries, base: 30, cap: cap),
            account: Rule(free: freeTries * 4, base: 5, cap: 60),
            address: Rule(free: freeTries * 4, base: 30, cap: cap))
    }

    public struct Failures: Sendable, Hashable {
        public var count: Int
        public var latest: Date?
        public init(count: Int, latest: Date?) { self.count = count; self.latest = latest }
    }

    /// Until when sign-in must wait, or nil when it may go ahead now.
    public func until(accountAtAddress pair: Failures, account: Failures, address: Failures, now: Date) -> Date? {
        let waits: [(Failures, Rule)] = [(pair, accountAtAddress), (account, self.account), (address, self.address)]
        let until = waits.compactMap { failures, rule in
            failures.latest.map { $0.addingTimeInterval(rule.wait(after: failures.count)) }
        }.max()
        return until.flatMap { $0 > now ? $0 : nil }
    }
}
