/// A population pyramid as standalone SVG: one row per age bracket, youngest at the bottom, men
/// to the left and women to the right of a shared axis, each bar's count and share written beside
/// it. Both halves use the same scale, so the shape is honest.
public struct SVGPyramid: Sendable {
    public struct Row: Sendable {
        public let label: String
        public let men: Int
        public let women: Int
        public init(label: String, men: Int, women: Int) { self.label = label; self.men = men; self.women = women }
    }

    /// Rows from the youngest bracket to the oldest (and "unknown" last, drawn on top).
    public let rows: [Row]
    public let title: String
    public let menLabel: String
    public let womenLabel: String
    public var width = 560.0
    public var menColour = "#2166ac"
    public var womenColour = "#b2182b"

    public init(rows: [Row], title: String, menLabel: String, womenLabel: String) {
        self.rows = rows; self.title = title; self.menLabel = menLabel; self.womenLabel = womenLabel
    }

    public func render() -> SVG { SVG(markup: markup()) }

    func markup() -> String {
        let rowHeight = 26.0, top = 28.0, bottom = 22.0, numberRoom = 92.0
        // The age labels sit between the halves; the column is as wide as the longest (Arabic ones are long).
        let labelWidth = max(64, Double(rows.map(\.label.count).max() ?? 0) * 7.0 + 12)
        let height = top + Double(rows.count) * rowHeight + bottom
        let centre = width / 2
        let half = max(20, centre - labelWidth / 2 - numberRoom)
        let largest = max(1, rows.map { max($0.men, $0.women) }.max() ?? 1)
        let total = SVGBarChart.total(rows.flatMap { [$0.men, $0.women] })
        func share(_ n: Int) -> String {
            guard total > 0 else { return "" }
            let tenths = Int((Double(n) * 1000 / Double(total)).rounded())
            return " (\(tenths / 10).\(tenths % 10) %)"
        }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" direction=\"ltr\" role=\"img\" aria-label=\"\(SVGText.escape(title))\" class=\"chart pyramid\" font-size=\"12\">"
        svg += "<title>\(SVGText.escape(title))</title>"
        svg +=
            "<text x=\"\(SVGText.number1(centre - labelWidth / 2 - 4))\" y=\"14\" text-anchor=\"end\" font-weight=\"bold\" fill=\"\(SVGText.colour(menColour, fallback: "#555"))\">\(SVGText.escape(menLabel))</text>"
        svg +=
            "<text x=\"\(SVGText.number1(centre + labelWidth / 2 + 4))\" y=\"14\" font-weight=\"bold\" fill=\"\(SVGText.colour(womenColour, fallback: "#555"))\">\(SVGText.escape(womenLabel))</text>"
        for (i, row) in rows.enumerated() {
            // The first row (youngest) at the bottom.
            let y = top + Double(rows.count - 1 - i) * rowHeight
            let barHeight = rowHeight * 0.72
            let menWidth = Double(row.men) / Double(largest) * half,
                womenWidth = Double(row.women) / Double(largest) * half
            let menX = centre - labelWidth / 2 - menWidth, womenX = centre + labelWidth / 2
            svg += "<g class=\"pyramid-row\" data-men=\"\(row.men)\" data-women=\"\(row.women)\">"
            svg +=
                "<rect x=\"\(SVGText.number1(menX))\" y=\"\(SVGText.number1(y))\" width=\"\(SVGText.number1(menWidth))\" height=\"\(SVGText.number1(barHeight))\" fill=\"\(SVGText.colour(menColour, fallback: "#555"))\"><title>\(SVGText.escape("\(menLabel) \(row.label): \(row.men)"))</title></rect>"
            svg +=
                "<rect x=\"\(SVGText.number1(womenX))\" y=\"\(SVGText.number1(y))\" width=\"\(SVGText.number1(womenWidth))\" height=\"\(SVGText.number1(barHeight))\" fill=\"\(SVGText.colour(womenColour, fallback: "#555"))\"><title>\(SVGText.escape("\(womenLabel) \(row.label): \(row.women)"))</title></rect>"
            let textY = y + barHeight * 0.72
            svg +=
                "<text x=\"\(SVGText.number1(centre))\" y=\"\(SVGText.number1(textY))\" text-anchor=\"middle\">\(SVGText.escape(row.label))</text>"
            svg +=
                "<text x=\"\(SVGText.number1(menX - 4))\" y=\"\(SVGText.number1(textY))\" text-anchor=\"end\" fill=\"#333\">\(row.men)\(share(row.men))</text>"
            svg +=
                "<text x=\"\(SVGText.number1(womenX + womenWidth + 4))\" y=\"\(SVGText.number1(textY))\" fill=\"#333\">\(row.women)\(share(row.women))</text>"
            svg += "</g>"
        }
        let axisY = top + Double(rows.count) * rowHeight
        svg +=
            "<line x1=\"\(SVGText.number1(centre - labelWidth / 2 - half))\" y1=\"\(SVGText.number1(axisY))\" x2=\"\(SVGText.number1(centre - labelWidth / 2))\" y2=\"\(SVGText.number1(axisY))\" stroke=\"#999\"/>"
        svg +=
            "<line x1=\"\(SVGText.number1(centre + labelWidth / 2))\" y1=\"\(SVGText.number1(axisY))\" x2=\"\(SVGText.number1(centre + labelWidth / 2 + half))\" y2=\"\(SVGText.number1(axisY))\" stroke=\"#999\"/>"
        return svg + "</svg>"
    }
}

/// A projection drawn against what happened: the projected values as a line inside its prediction
/// interval (a shaded band), and the actual values as bars for the periods that are over.
public struct SVGProjectionChart: Sendable {
    public let labels: [String]
    public let projected: [Double]
    public let low: [Double]
    public let high: [Double]
    /// nil for a period not over yet (nothing to compare).
    public let actual: [Int?]
    public let title: String
    public let projectedLabel: String
    public let intervalLabel: String
    public let actualLabel: String
    public var width = 720.0
    public var height = 280.0
    /// How the axis writes a number (thousands grouped the way the page does).
    public var number: @Sendable (Int) -> String = { String($0) }

    public init(
        labels: [String], projected: [Double], low: [Double], high: [Double], actual: [Int?], title: String,
        projectedLabel: String, intervalLabel: String, actualLabel: String
    ) {
        self.labels = labels; self.projected = projected; self.low = low; self.high = high; self.actual = actual;
        self.title = title
        self.projectedLabel = projectedLabel; self.intervalLabel = intervalLabel; self.actualLabel = actualLabel
    }

    public func render() -> SVG { SVG(markup: markup()) }

    func markup() -> String {
        let right = 8.0, top = 12.0, bottom = 50.0
        let count = labels.count
        let largest = max(high.max() ?? 0, projected.max() ?? 0, Double(actual.compactMap { $0 }.max() ?? 0))
        // A projection past Int's range (or not a number) is drawn against Int.max, not trapped on.
        let axisTop = SVGBarChart.niceTop(SVGBarChart.whole(largest.rounded(.up)))
        let maxValue = Double(axisTop)
        let axis = ValueAxis(top: axisTop, minimumLeft: 48, number: number)
        let left = axis.left
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let slot = count == 0 ? plotWidth : plotWidth / Double(count)
        func x(_ i: Int) -> Double { left + (Double(i) + 0.5) * slot }
        /// A projected value as people: "—" when the projection is not a number.
        func whole(_ v: Double) -> String { v.isFinite ? number(SVGBarChart.whole(v)) : "—" }
        func y(_ v: Double) -> Double { top + plotHeight - max(0, v) / maxValue * plotHeight }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" direction=\"ltr\" role=\"img\" aria-label=\"\(SVGText.escape(title))\" class=\"chart projection\" font-size=\"12\">"
        svg += "<title>\(SVGText.escape(title))</title>"
        for (tick, text) in axis.ticks {
            let ty = y(Double(tick))
            svg +=
                "<line x1=\"\(SVGText.number1(left))\" y1=\"\(SVGText.number1(ty))\" x2=\"\(SVGText.number1(width - right))\" y2=\"\(SVGText.number1(ty))\" stroke=\"#ccc\"/>"
            svg +=
                "<text x=\"\(SVGText.number1(left - 4))\" y=\"\(SVGText.number1(ty + 4))\" text-anchor=\"end\">\(SVGText.escape(text))</text>"
        }
        // The actual periods as bars, behind the projection.
        let barWidth = max(1, slot * 0.6)
        for (i, value) in actual.enumerated() {
            guard let value, i < count else { continue }
            let by = y(Double(value))
            svg +=
                "<rect class=\"actual\" data-value=\"\(value)\" x=\"\(SVGText.number1(x(i) - barWidth / 2))\" y=\"\(SVGText.number1(by))\" width=\"\(SVGText.number1(barWidth))\" height=\"\(SVGText.number1(top + plotHeight - by))\" fill=\"#08519c\"><title>\(SVGText.escape("\(labels[i]) · \(actualLabel): \(value)"))</title></rect>"
        }
        let n = min(count, projected.count, low.count, high.count)
        if n > 0 {
            var band = ""
            for i in 0..<n { band += "\(SVGText.number1(x(i))),\(SVGText.number1(y(high[i]))) " }
            for i in stride(from: n - 1, through: 0, by: -1) {
                band += "\(SVGText.number1(x(i))),\(SVGText.number1(y(low[i]))) "
            }
            svg +=
                "<polygon class=\"interval\" points=\"\(band.trimmingWhitespace)\" fill=\"#9ecae1\" fill-opacity=\"0.45\"/>"
            var line = ""
            for i in 0..<n {
                line += "\(i == 0 ? "M" : "L")\(SVGText.number1(x(i))) \(SVGText.number1(y(projected[i])))"
            }
            svg +=
                "<path class=\"projected\" d=\"\(line)\" fill=\"none\" stroke=\"#3182bd\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
            for i in 0..<n {
                svg +=
                    "<circle cx=\"\(SVGText.number1(x(i)))\" cy=\"\(SVGText.number1(y(projected[i])))\" r=\"2.5\" fill=\"#3182bd\"><title>\(SVGText.escape("\(labels[i]) · \(projectedLabel): \(whole(projected[i])) (\(whole(low[i]))–\(whole(high[i])))"))</title></circle>"
            }
        }
        let every = max(1, Int((60.0 / slot).rounded(.up)))
        for (i, label) in labels.enumerated() where i % every == 0 {
            svg +=
                "<text x=\"\(SVGText.number1(x(i)))\" y=\"\(SVGText.number1(top + plotHeight + 14))\" text-anchor=\"middle\">\(SVGText.escape(label))</text>"
        }
        // Legend: the line, the band, the bars.
        let ly = height - 12
        var lx = left
        svg +=
            "<line x1=\"\(SVGText.number1(lx))\" y1=\"\(SVGText.number1(ly - 4))\" x2=\"\(SVGText.number1(lx + 18))\" y2=\"\(SVGText.number1(ly - 4))\" stroke=\"#3182bd\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
        svg +=
            "<text x=\"\(SVGText.number1(lx + 22))\" y=\"\(SVGText.number1(ly))\">\(SVGText.escape(projectedLabel))</text>"
        lx += 30 + Double(projectedLabel.count) * 6.5
        svg +=
            "<rect x=\"\(SVGText.number1(lx))\" y=\"\(SVGText.number1(ly - 9))\" width=\"14\" height=\"10\" fill=\"#9ecae1\" fill-opacity=\"0.45\"/>"
        svg +=
            "<text x=\"\(SVGText.number1(lx + 18))\" y=\"\(SVGText.number1(ly))\">\(SVGText.escape(intervalLabel))</text>"
        lx += 26 + Double(intervalLabel.count) * 6.5
        svg +=
            "<rect x=\"\(SVGText.number1(lx))\" y=\"\(SVGText.number1(ly - 9))\" width=\"10\" height=\"10\" fill=\"#08519c\"/>"
        svg +=
            "<text x=\"\(SVGText.number1(lx + 14))\" y=\"\(SVGText.number1(ly))\">\(SVGText.escape(actualLabel))</text>"
        return svg + "</svg>"
    }
}
