/// A stacked bar chart as standalone SVG: one bar per period, one colour per series (own
/// incidents, each context source). Drawn by our own code like the maps; every text is escaped.
/// Bars stack in series order; the tallest bar sets the scale, with a rounded top tick.
public struct SVGBarChart: Sendable {
    public struct Series: Sendable {
        public let name: String
        public let values: [Int]
        public let colour: String
        public init(name: String, values: [Int], colour: String) {
            self.name = name
            self.values = values
            self.colour = colour
        }
    }

    public let labels: [String]
    public let series: [Series]
    public let title: String
    public var width = 720.0
    public var height = 260.0
    /// How the axis writes a number (thousands grouped the way the page does).
    public var number: @Sendable (Int) -> String = { String($0) }

    public init(labels: [String], series: [Series], title: String) {
        self.labels = labels
        self.series = series
        self.title = title
    }

    /// A top value for the axis: 1, 2 or 5 times a power of ten, at least the largest bar.
    /// Past 10^18 the next round number does not fit an Int: the value itself is the top.
    static func niceTop(_ value: Int) -> Int {
        guard value > 0 else { return 1 }
        var magnitude = 1
        while magnitude <= Int.max / 10, magnitude * 10 <= value { magnitude *= 10 }
        for step in [1, 2, 5, 10] {
            let (top, overflow) = step.multipliedReportingOverflow(by: magnitude)
            if overflow { return value }
            if top >= value { return top }
        }
        return value
    }

    public func render() -> SVG { SVG(markup: markup()) }

    func markup() -> String {
        let right = 8.0, top = 12.0, bottom = 46.0
        let totals = labels.indices.map { i in Self.total(series.map { i < $0.values.count ? $0.values[i] : 0 }) }
        let maxValue = Self.niceTop(totals.max() ?? 0)
        let axis = ValueAxis(top: maxValue, minimumLeft: 40, number: number)
        let left = axis.left
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let slot = labels.isEmpty ? plotWidth : plotWidth / Double(labels.count)
        let barWidth = max(1, slot * 0.8)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" direction=\"ltr\" role=\"img\" aria-label=\"\(SVGText.escape(title))\" class=\"chart\">"
        svg += "<title>\(SVGText.escape(title))</title>"
        // Axis with three ticks: 0, half, top.
        for (tick, text) in axis.ticks {
            let y = top + plotHeight - Double(tick) / Double(maxValue) * plotHeight
            svg +=
                "<line x1=\"\(SVGText.number1(left))\" y1=\"\(SVGText.number1(y))\" x2=\"\(SVGText.number1(width - right))\" y2=\"\(SVGText.number1(y))\" stroke=\"#ccc\" stroke-width=\"1\"/>"
            svg +=
                "<text x=\"\(SVGText.number1(left - 4))\" y=\"\(SVGText.number1(y + 4))\" text-anchor=\"end\" font-size=\"12\">\(SVGText.escape(text))</text>"
        }
        // Label every n-th period so labels never overlap (about 66 px each at 12 px).
        let every = max(1, Int((66.0 / slot).rounded(.up)))
        for (i, label) in labels.enumerated() {
            let x = left + Double(i) * slot + (slot - barWidth) / 2
            var base = top + plotHeight
            for s in series {
                let value = i < s.values.count ? s.values[i] : 0
                guard value > 0 else { continue }
                let h = Double(value) / Double(maxValue) * plotHeight
                base -= h
                svg +=
                    "<rect x=\"\(SVGText.number1(x))\" y=\"\(SVGText.number1(base))\" width=\"\(SVGText.number1(barWidth))\" height=\"\(SVGText.number1(h))\" fill=\"\(SVGText.colour(s.colour, fallback: "#555"))\">"
                svg += "<title>\(SVGText.escape(label)) · \(SVGText.escape(s.name)): \(value)</title></rect>"
            }
            if i % every == 0 {
                svg +=
                    "<text x=\"\(SVGText.number1(x + barWidth / 2))\" y=\"\(SVGText.number1(top + plotHeight + 14))\" text-anchor=\"middle\" font-size=\"12\">\(SVGText.escape(label))</text>"
            }
        }
        // Legend.
        var x = left
        for s in series {
            svg +=
                "<rect x=\"\(SVGText.number1(x))\" y=\"\(SVGText.number1(height - 16))\" width=\"10\" height=\"10\" fill=\"\(SVGText.colour(s.colour, fallback: "#555"))\"/>"
            svg +=
                "<text x=\"\(SVGText.number1(x + 14))\" y=\"\(SVGText.number1(height - 7))\" font-size=\"12\">\(SVGText.escape(s.name))</text>"
            x += 24 + Double(s.name.count) * 7.5
        }
        return svg + "</svg>"
    }
}

extension SVGBarChart {
    /// A drawn value as a whole number: rounded and held to Int's range (infinity included), 0 when it
    /// is not a number. Values come from imports and projections: converting them must never trap.
    public static func whole(_ value: Double) -> Int {
        guard !value.isNaN else { return 0 }
        return value >= 9.2e18 ? .max : value <= -9.2e18 ? .min : Int(value.rounded())
    }

    /// `values` summed, Int.max instead of trapping; what is below zero counts as zero.
    static func total(_ values: some Sequence<Int>) -> Int {
        values.reduce(0) { sum, n in
            let (next, overflow) = sum.addingReportingOverflow(max(0, n))
            return overflow ? .max : next
        }
    }
}

/// A chart's value axis: three ticks (0, half, top) written as the page writes numbers, and the left
/// margin their widest text needs, so that "10 000 000" is never cut to "0 000 000".
struct ValueAxis {
    let ticks: [(value: Int, text: String)]
    let left: Double

    /// About 7 units a character at 12 units (digits are narrower), plus the 4 between text and plot.
    init(top: Int, minimumLeft: Double, number: (Int) -> String) {
        ticks = [0, top / 2, top].map { ($0, number($0)) }
        left = max(minimumLeft, 8 + 7 * Double(ticks.map(\.text.count).max() ?? 1))
    }
}
