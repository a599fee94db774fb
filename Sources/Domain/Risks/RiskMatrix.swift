/// The likelihood × impact matrix of the security risk assessment (SECURITY.md §3.2), kept as data
/// so that an administrator can change its scales, levels and cells without a release: the IFRC
/// and UN texts behind the defaults are partly unverified.
public struct RiskMatrix: Sendable, Codable, Hashable {
    /// Likelihood steps, least likely first: step 1 is `likelihoods[0]`. Catalogue keys.
    public var likelihoods: [String]
    /// Impact steps, least severe first.
    public var impacts: [String]
    /// Risk levels, lowest first.
    public var levels: [String]
    /// `cells[likelihood - 1][impact - 1]` is the index in `levels` of that combination.
    public var cells: [[Int]]

    public init(likelihoods: [String], impacts: [String], levels: [String], cells: [[Int]]) {
        self.likelihoods = likelihoods
        self.impacts = impacts
        self.levels = levels
        self.cells = cells
    }

    /// The UN SRM scales (Very Unlikely … Very Likely; Negligible … Critical) and levels (Low …
    /// Unacceptable). The SRM Manual's own cells were not available to us: each cell here is the
    /// product likelihood × impact read as Low 1–4, Medium 5–9, High 10–14, Very High 15–19,
    /// Unacceptable 20–25, which keeps the matrix symmetric and monotonic. Verify and edit.
    public static let srm: RiskMatrix = {
        let levels = ["low", "medium", "high", "very_high", "unacceptable"]
        func level(_ score: Int) -> Int {
            switch score {
            case ...4: 0;
            case 5...9: 1;
            case 10...14: 2;
            case 15...19: 3;
            default: 4
            }
        }
        return RiskMatrix(
            likelihoods: ["very_unlikely", "unlikely", "moderately_likely", "likely", "very_likely"],
            impacts: ["negligible", "minor", "moderate", "severe", "critical"],
            levels: levels,
            cells: (1...5).map { likelihood in (1...5).map { impact in level(likelihood * impact) } })
    }()

    /// The level index of a combination, or nil when either step is outside the scales.
    public func level(likelihood: Int, impact: Int) -> Int? {
        guard (1...likelihoods.count).contains(likelihood), (1...impacts.count).contains(impact),
            cells.indices.contains(likelihood - 1), cells[likelihood - 1].indices.contains(impact - 1)
        else { return nil }
        return cells[likelihood - 1][impact - 1]
    }

    /// The level's key, e.g. "high".
    public func levelKey(likelihood: Int, impact: Int) -> String? {
        level(likelihood: likelihood, impact: impact).flatMap { levels.indices.contains($0) ? levels[$0] : nil }
    }

    /// What is wrong with an edited matrix, one line per problem; empty when it can be used.
    /// A more likely or more severe combination may never be a lower level.
    public func problems() -> [String] {
        var problems: [String] = []
        if likelihoods.isEmpty || impacts.isEmpty || levels.isEmpty {
            problems.append("The matrix needs at least one likelihood, one impact and one level.")
            return problems
        }
        for (name, list) in [("likelihood", likelihoods), ("impact", impacts), ("level", levels)] {
            if Set(list).count != list.count { problems.append("A \(name) is named twice.") }
            if list.contains(where: { $0.trimmedASCIIWhitespace.isEmpty }) { problems.append("A \(name) has no name.") }
        }
        guard cells.count == likelihoods.count, cells.allSatisfy({ $0.count == impacts.count }) else {
            problems.append(
                "The cells must form \(likelihoods.count) rows (likelihoods) of \(impacts.count) (impacts).")
            return problems
        }
        for (l, row) in cells.enumerated() {
            for (i, value) in row.enumerated() {
                let cell = "likelihood \(l + 1), impact \(i + 1)"
                if !levels.indices.contains(value) {
                    problems.append("\(cell): level \(value) does not exist (0–\(levels.count - 1)).")
                    continue
                }
                if i > 0, levels.indices.contains(row[i - 1]), value < row[i - 1] {
                    problems.append("\(cell) is lower than the less severe impact before it.")
                }
                if l > 0, levels.indices.contains(cells[l - 1][i]), value < cells[l - 1][i] {
                    problems.append("\(cell) is lower than the less likely combination below it.")
                }
            }
        }
        return problems
    }
}
