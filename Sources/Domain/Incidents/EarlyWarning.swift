import Foundation

/// The early-warning test of the incident analysis: is an area's recent incident count
/// significantly above its own baseline?
///
/// Statistic: a one-sided Poisson test. The baseline rate is the area's mean count per day over
/// the baseline window, scaled to the recent window's length (a floor keeps an area with no past
/// incidents from flagging on a single one). The recent count is significant when
/// P(X ≥ observed | baseline rate) < α and it reaches a minimum count. The defaults, stated on the
/// analysis page, are the last 28 days against the 182 days before them, α = 0.05, at least 3.
public struct EarlyWarningRule: Sendable, Hashable, Codable {
    public var recentDays: Int
    public var baselineDays: Int
    public var alpha: Double
    public var minimumCount: Int
    /// The smallest baseline rate per recent window, so that "never before" is not infinitely surprising.
    public var minimumExpected: Double

    public init(
        recentDays: Int = 28, baselineDays: Int = 182, alpha: Double = 0.05, minimumCount: Int = 3,
        minimumExpected: Double = 0.5
    ) {
        self.recentDays = recentDays
        self.baselineDays = baselineDays
        self.alpha = alpha
        self.minimumCount = minimumCount
        self.minimumExpected = minimumExpected
    }

    /// The statistic and its parameters in words, for the page that shows the list.
    public var statement: String {
        "One-sided Poisson test: incidents in the last \(recentDays) days against the rate of the \(baselineDays) days before them; "
            + "flagged when p < \(alpha) and at least \(minimumCount) incidents."
    }

    public struct Finding: Sendable, Hashable {
        public let observed: Int
        public let expected: Double
        public let pValue: Double
        public let flagged: Bool
        /// Observed ÷ expected.
        public var ratio: Double { observed == 0 ? 0 : Double(observed) / expected }
    }

    /// Tests one area: `recent` incidents in the recent window, `baseline` in the baseline window.
    public func evaluate(recent: Int, baseline: Int) -> Finding {
        let expected = max(minimumExpected, Double(baseline) / Double(baselineDays) * Double(recentDays))
        let p = Self.poissonUpperTail(atLeast: recent, mean: expected)
        return Finding(observed: recent, expected: expected, pValue: p, flagged: recent >= minimumCount && p < alpha)
    }

    /// P(X ≥ k) for X ~ Poisson(mean), summed in log space so large counts do not overflow.
    public static func poissonUpperTail(atLeast k: Int, mean: Double) -> Double {
        guard k > 0 else { return 1 }
        guard mean > 0 else { return 0 }
        var cdf = 0.0
        var logTerm = -mean  // log P(X = 0)
        for i in 0..<k {
            if i > 0 { logTerm += log(mean) - log(Double(i)) }
            cdf += exp(logTerm)
        }
        return max(0, min(1, 1 - cdf))
    }
}
