import Foundation

/// Holt's linear trend method (double exponential smoothing) with a prediction interval: the
/// projection a scenario is offered as a starting point (issue 5; MIGRATION.md names no method,
/// so this one is stated on the page). Level ℓ and trend b are updated for each observation y:
/// ℓ = αy + (1 − α)(ℓ + b), b = β(ℓ − ℓ₋₁) + (1 − β)b. α and β are chosen on a 0.1 grid to
/// minimise the squared one-step-ahead errors; the h-step interval is ±z·σ·√(1 + Σⱼ₌₁ʰ⁻¹ α²(1 + jβ)²)
/// (Hyndman & Athanasopoulos, *Forecasting: principles and practice*, 8.7), σ the errors' standard deviation.
public struct HoltForecast: Sendable, Hashable, Codable {
    public var alpha: Double
    public var beta: Double
    public var level: Double
    public var trend: Double
    /// Standard deviation of the one-step-ahead errors.
    public var sigma: Double
    public var observations: Int

    public struct Point: Sendable, Hashable, Codable {
        public var step: Int
        public var value: Double
        public var low: Double
        public var high: Double
        public init(step: Int, value: Double, low: Double, high: Double) {
            self.step = step; self.value = value; self.low = low; self.high = high
        }
    }

    /// The fit to `series`, or nil with fewer than four observations (too few to say anything).
    public static func fit(_ series: [Double]) -> HoltForecast? {
        guard series.count >= 4 else { return nil }
        var best: HoltForecast?
        var bestError = Double.infinity
        for a in stride(from: 0.1, through: 0.9, by: 0.1) {
            for b in stride(from: 0.1, through: 0.9, by: 0.1) {
                var level = series[0]
                var trend = series[1] - series[0]
                var squared = 0.0
                for y in series.dropFirst() {
                    let forecast = level + trend
                    squared += (y - forecast) * (y - forecast)
                    let previous = level
                    level = a * y + (1 - a) * (level + trend)
                    trend = b * (level - previous) + (1 - b) * trend
                }
                if squared < bestError {
                    bestError = squared
                    let sigma = (squared / Double(series.count - 1)).squareRoot()
                    best = HoltForecast(
                        alpha: a, beta: b, level: level, trend: trend, sigma: sigma, observations: series.count)
                }
            }
        }
        return best
    }

    /// The next `steps` values with their interval (z = 1.96: 95 %); counts of people are never below zero.
    public func forecast(_ steps: Int, z: Double = 1.96) -> [Point] {
        (1...max(1, steps)).map { h in
            let value = level + Double(h) * trend
            var variance = 1.0
            if h > 1 { for j in 1..<h { variance += alpha * alpha * (1 + Double(j) * beta) * (1 + Double(j) * beta) } }
            let margin = z * sigma * variance.squareRoot()
            return Point(step: h, value: max(0, value), low: max(0, value - margin), high: max(0, value + margin))
        }
    }
}
