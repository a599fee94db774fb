/// People harmed, by what happened to them, nationality category and sex (SECURITY.md §3.4.1;
/// AWSD and SiND count the same way). Totals are derived, never entered, so they always agree.
public struct Casualties: Sendable, Hashable, Codable {
    public enum Harm: String, CaseIterable, Sendable, Codable, Hashable {
        case killed, injured, kidnapped, detained
        public var labelKey: String { "harm.\(rawValue)" }
    }
    public enum Nationality: String, CaseIterable, Sendable, Codable, Hashable {
        case national, international
        public var labelKey: String { "nationality.\(rawValue)" }
    }
    public enum Sex: String, CaseIterable, Sendable, Codable, Hashable {
        case female, male, unknown
        public var labelKey: String { "sex.\(rawValue)" }
    }
    public struct Cell: Sendable, Hashable, Codable {
        public let harm: Harm
        public let nationality: Nationality
        public let sex: Sex
        public init(_ harm: Harm, _ nationality: Nationality, _ sex: Sex) {
            self.harm = harm
            self.nationality = nationality
            self.sex = sex
        }
        /// A stable column name, e.g. `killed_national_female`.
        public var key: String { "\(harm.rawValue)_\(nationality.rawValue)_\(sex.rawValue)" }
        public static let all: [Cell] = Harm.allCases.flatMap { harm in
            Nationality.allCases.flatMap { nationality in Sex.allCases.map { Cell(harm, nationality, $0) } }
        }
    }

    /// Non-zero cells only.
    public private(set) var counts: [Cell: Int] = [:]

    public init(_ counts: [Cell: Int] = [:]) {
        for (cell, count) in counts { self[cell] = count }
    }

    public subscript(_ cell: Cell) -> Int {
        // Most records count nobody: no hashing then (an export reads 24 cells a row).
        get { counts.isEmpty ? 0 : counts[cell] ?? 0 }
        set { counts[cell] = newValue == 0 ? nil : newValue }
    }

    public subscript(_ harm: Harm, _ nationality: Nationality, _ sex: Sex) -> Int {
        get { self[Cell(harm, nationality, sex)] }
        set { self[Cell(harm, nationality, sex)] = newValue }
    }

    public func total(_ harm: Harm? = nil, nationality: Nationality? = nil, sex: Sex? = nil) -> Int {
        counts.reduce(0) { sum, entry in
            let cell = entry.key
            let matches =
                (harm == nil || cell.harm == harm) && (nationality == nil || cell.nationality == nationality)
                && (sex == nil || cell.sex == sex)
            return matches ? sum.saturatingAdding(entry.value) : sum
        }
    }

    public var isEmpty: Bool { counts.isEmpty }

    /// Problems with the counts, by cell key (counts are whole people, never negative or absurd).
    public func problems() -> [String] {
        counts.filter { $0.value < 0 || $0.value > 100_000 }.map(\.key.key).sorted()
    }
}
