import Domain
import Foundation
import Testing

@Suite("Holt's linear trend")
struct HoltForecastTests {
    @Test("a straight line is projected on the same line, with no error and so no width")
    func line() throws {
        let fit = try #require(HoltForecast.fit([100, 110, 120, 130, 140, 150]))
        #expect(abs(fit.trend - 10) < 1e-9 && fit.sigma < 1e-9)
        let next = fit.forecast(3)
        #expect(next.map { ($0.value * 1000).rounded() / 1000 } == [160, 170, 180])
        #expect(next.allSatisfy { abs($0.high - $0.low) < 1e-6 })
    }

    @Test("noise widens the interval, more with each step ahead; counts never go below zero")
    func interval() throws {
        let fit = try #require(HoltForecast.fit([50, 62, 48, 70, 55, 80, 60, 85]))
        let next = fit.forecast(6)
        #expect(fit.sigma > 0)
        for (a, b) in zip(next, next.dropFirst()) { #expect((b.high - b.low) > (a.high - a.low)) }
        #expect(next.allSatisfy { $0.low <= $0.value && $0.value <= $0.high && $0.low >= 0 })
        let falling = try #require(HoltForecast.fit([40, 30, 20, 10]))
        #expect(falling.forecast(4).allSatisfy { $0.value >= 0 && $0.low >= 0 })
    }

    @Test("fewer than four observations give no projection")
    func tooShort() {
        #expect(HoltForecast.fit([1, 2, 3]) == nil)
    }
}
