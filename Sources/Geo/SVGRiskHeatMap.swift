/// The risk matrix as a heat map (issue 4): likelihood up the side, most likely at the top; impact
/// along the bottom, most severe at the far end (the right, or the left when the page reads right
/// to left). Each cell has its level's colour and the number of risks in it; its title names them.
/// Drawn by our own code like the maps; every text is escaped.
public struct SVGRiskHeatMap: Sendable {
    public struct Risk: Sendable {
        public let likelihood: Int
        public let impact: Int
        public let title: String
        public init(likelihood: Int, impact: Int, title: String) {
            self.likelihood = likelihood; self.impact = impact; self.title = title
        }
    }

    public let likelihoods: [String]
    public let impacts: [String]
    /// `cells[likelihood - 1][impact - 1]` is an index in `levels` and `colours`.
    public let cells: [[Int]]
    public let levels: [String]
    public let colours: [String]
    public let risks: [Risk]
    public let title: String
    public var likelihoodTitle = "Likelihood"
    public var impactTitle = "Impact"
    public var rightToLeft = false
    public var maxNamesPerCell = 8
    /// How many risks each cell holds, by `(likelihood - 1) * impacts.count + impact - 1`, when
    /// `risks` lists only the first of them (a caller that read just the names it will show).
    public var counts: [Int: Int] = [:]
    /// Room for the row labels; longer names (the protection register's contexts) need more.
    public var sideWidth = 140.0
    /// Column labels slanted, for names longer than a cell is wide (the journey phases).
    public var slantedColumnLabels = false
    /// Whether the axes run from less to more (likelihood, impact), which the arrows say; the
    /// protection register's contexts and phases do not.
    public var ordered = true

    public init(
        likelihoods: [String], impacts: [String], cells: [[Int]], levels: [String], colours: [String], risks: [Risk],
        title: String
    ) {
        self.likelihoods = likelihoods; self.impacts = impacts; self.cells = cells; self.levels = levels
        self.colours = colours; self.risks = risks; self.title = title
    }

    /// Colours for five levels, light to dark, readable with black and white numbers.
    public static let fiveLevelColours = ["#1a9850", "#fee08b", "#fdae61", "#d73027", "#67001f"]

    public func render() -> SVG { SVG(markup: markup()) }

    func markup() -> String {
        let cell = 64.0, side = sideWidth, top = 28.0, bottom = slantedColumnLabels ? 176.0 : 76.0
        let columns = impacts.count, rows = likelihoods.count
        let width = side + Double(columns) * cell + 16, height = top + Double(rows) * cell + bottom + 24
        let gridLeft = rightToLeft ? 16.0 : side
        func x(impact: Int) -> Double {  // the cell's left edge; impact 1…n
            gridLeft + Double(rightToLeft ? columns - impact : impact - 1) * cell
        }
        func y(likelihood: Int) -> Double { top + Double(rows - likelihood) * cell }
        var titles: [Int: [String]] = [:]
        for risk in risks
        where (1...max(1, rows)).contains(risk.likelihood) && (1...max(1, columns)).contains(risk.impact) {
            titles[(risk.likelihood - 1) * columns + risk.impact - 1, default: []].append(risk.title)
        }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" direction=\"ltr\" role=\"img\" "
            + "aria-label=\"\(SVGText.escape(title))\" class=\"heatmap\"><title>\(SVGText.escape(title))</title>"
        for likelihood in 1...max(1, rows) where rows > 0 {
            for impact in 1...max(1, columns) where columns > 0 {
                let level =
                    cells.indices.contains(likelihood - 1) && cells[likelihood - 1].indices.contains(impact - 1)
                    ? cells[likelihood - 1][impact - 1] : -1
                // A cell without a level (nothing there) stays pale.
                let colour =
                    colours.indices.contains(level)
                    ? SVGText.colour(colours[level], fallback: "#cccccc") : level < 0 ? "#f2f2f2" : "#cccccc"
                let names = titles[(likelihood - 1) * columns + impact - 1] ?? []
                let count = max(names.count, counts[(likelihood - 1) * columns + impact - 1] ?? 0)
                let levelName = levels.indices.contains(level) ? levels[level] : level < 0 ? "–" : "?"
                let (cx, cy) = (x(impact: impact), y(likelihood: likelihood))
                svg +=
                    "<rect x=\"\(SVGText.number1(cx))\" y=\"\(SVGText.number1(cy))\" width=\"\(Int(cell))\" height=\"\(Int(cell))\" fill=\"\(colour)\" "
                    + "stroke=\"#fff\" stroke-width=\"2\" data-likelihood=\"\(likelihood)\" data-impact=\"\(impact)\" data-count=\"\(count)\">"
                svg +=
                    "<title>\(SVGText.escape(likelihoods[likelihood - 1])) × \(SVGText.escape(impacts[impact - 1])): \(SVGText.escape(levelName))"
                // The first names only: a register of hundreds of risks would otherwise weigh more
                // than the page around it; the number in the cell says how many there are.
                if !names.isEmpty {
                    svg += " — " + names.prefix(maxNamesPerCell).map(SVGText.escape).joined(separator: "; ")
                    if count > min(names.count, maxNamesPerCell) { svg += "; …" }
                }
                svg += "</title></rect>"
                if count > 0 {
                    let ink = level >= 3 ? "#fff" : "#000"
                    svg +=
                        "<text x=\"\(SVGText.number1(cx + cell / 2))\" y=\"\(SVGText.number1(cy + cell / 2 + 6))\" text-anchor=\"middle\" "
                        + "font-size=\"18\" font-weight=\"bold\" fill=\"\(ink)\">\(count)</text>"
                }
            }
        }
        // Likelihood labels beside the rows, impact labels under the columns, each axis named.
        for likelihood in 1...max(1, rows) where rows > 0 {
            let labelX = rightToLeft ? gridLeft + Double(columns) * cell + 8 : side - 8
            svg +=
                "<text x=\"\(SVGText.number1(labelX))\" y=\"\(SVGText.number1(y(likelihood: likelihood) + cell / 2 + 4))\" "
                + "text-anchor=\"\(rightToLeft ? "start" : "end")\" font-size=\"12\">\(SVGText.escape(likelihoods[likelihood - 1]))</text>"
        }
        for impact in 1...max(1, columns) where columns > 0 {
            let labelX = x(impact: impact) + cell / 2, labelY = top + Double(rows) * cell + 16
            if slantedColumnLabels {
                // Turned 40° and ending under its column (starting there, right to left).
                svg +=
                    "<text x=\"\(SVGText.number1(labelX))\" y=\"\(SVGText.number1(labelY))\" text-anchor=\"\(rightToLeft ? "start" : "end")\" "
                    + "transform=\"rotate(\(rightToLeft ? 40 : -40) \(SVGText.number1(labelX)) \(SVGText.number1(labelY)))\" "
                    + "font-size=\"12\">\(SVGText.escape(impacts[impact - 1]))</text>"
            } else {
                svg +=
                    "<text x=\"\(SVGText.number1(labelX))\" y=\"\(SVGText.number1(labelY))\" "
                    + "text-anchor=\"middle\" font-size=\"12\">\(SVGText.escape(impacts[impact - 1]))</text>"
            }
        }
        let arrowAcross = ordered ? (rightToLeft ? " ←" : " →") : "", arrowUp = ordered ? " ↑" : ""
        svg +=
            "<text x=\"\(SVGText.number1(gridLeft + Double(columns) * cell / 2))\" y=\"\(SVGText.number1(top + Double(rows) * cell + bottom - 36))\" "
            + "text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">\(SVGText.escape(impactTitle))\(arrowAcross)</text>"
        svg +=
            "<text x=\"\(SVGText.number1(rightToLeft ? width - 8 : 8))\" y=\"\(SVGText.number1(top - 10))\" text-anchor=\"\(rightToLeft ? "end" : "start")\" "
            + "font-size=\"13\" font-weight=\"bold\">\(SVGText.escape(likelihoodTitle))\(arrowUp)</text>"
        // Legend: the levels, lowest first, in reading order.
        var legendX = rightToLeft ? width - 16 : 16.0
        let legendY = height - 20
        for (i, level) in levels.enumerated() {
            let colour = colours.indices.contains(i) ? SVGText.colour(colours[i], fallback: "#cccccc") : "#cccccc"
            let textWidth = Double(level.count) * 7 + 24
            let swatchX = rightToLeft ? legendX - 10 : legendX
            svg +=
                "<rect x=\"\(SVGText.number1(swatchX))\" y=\"\(SVGText.number1(legendY - 10))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            svg +=
                "<text x=\"\(SVGText.number1(rightToLeft ? swatchX - 4 : swatchX + 14))\" y=\"\(SVGText.number1(legendY))\" "
                + "text-anchor=\"\(rightToLeft ? "end" : "start")\" font-size=\"12\">\(SVGText.escape(level))</text>"
            legendX += rightToLeft ? -textWidth : textWidth
        }
        return svg + "</svg>"
    }
}
