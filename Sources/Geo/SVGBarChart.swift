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

    public init(labels: [String], series: [Series], title: String) {
        self.labels = labels
        self.series = series
        self.title = title
    }

    /// A top value for the axis: 1, 2 or 5 times a power of ten, at least the largest bar.
    static func niceTop(_ value: Int) -> Int {
        guard value > 0 else { return 1 }
        var magnitude = 1
        while magnitude * 10 <= value { magnitude *= 10 }
        for step in [1, 2, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    public func render() -> SVG { SVG(markup: markup()) }

    func markup() -> String {
        let left = 40.0, right = 8.0, top = 12.0, bottom = 46.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let totals = labels.indices.map { i in series.reduce(0) { $0 + (i < $1.values.count ? $1.values[i] : 0) } }
        let maxValue = Self.niceTop(totals.max() ?? 0)
        let slot = labels.isEmpty ? plotWidth : plotWidth / Double(labels.count)
        let barWidth = max(1, slot * 0.8)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" direction=\"ltr\" role=\"img\" aria-label=\"\(SVGText.escape(title))\" class=\"chart\">"
        svg += "<title>\(SVGText.escape(title))</title>"
        // Axis with three ticks: 0, half, top.
        for tick in [0, maxValue / 2, maxValue] {
            let y = top + plotHeight - Double(tick) / Double(maxValue) * plotHeight
            svg +=
                "<line x1=\"\(SVGText.number1(left))\" y1=\"\(SVGText.number1(y))\" x2=\"\(SVGText.number1(width - right))\" y2=\"\(SVGText.number1(y))\" stroke=\"#ccc\" stroke-width=\"1\"/>"
            svg +=
                "<text x=\"\(SVGText.number1(left - 4))\" y=\"\(SVGText.number1(y + 4))\" text-anchor=\"end\" font-size=\"12\">\(tick)</text>"
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
