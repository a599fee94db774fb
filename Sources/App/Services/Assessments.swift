import Domain
import Fluent
import Foundation
import Persistence
import Views

/// A needs assessment's results by group, as rows of text: what the page and the API show. The
/// host community stands beside the displaced; counts under 5 are suppressed for readers who do
/// not keep assessments (`AccessPolicy.seesExactAssessmentFigures`).
enum Assessments {
    /// The groups in the order the table shows them: those the assessment covered or the submissions
    /// name, the host community last so that it reads beside the others.
    static func groups(_ record: AssessmentRecord, _ figures: AssessmentFigures) -> [PopulationType] {
        let named = Set(record.draft.groups).union(figures.groups.keys).union(record.draft.needCounts.map(\.group))
        return PopulationType.allCases.filter { named.contains($0) && $0 != .hostCommunity }
            + (named.contains(.hostCommunity) ? [.hostCommunity] : [])
    }

    static func results(
        _ record: AssessmentRecord, _ figures: AssessmentFigures, exact: Bool, _ t: Strings
    ) -> AssessmentPage.Model.Results {
        let groups = groups(record, figures)
        func group(_ type: PopulationType) -> AssessmentFigures.Group { figures.groups[type] ?? .init() }
        // The counts the assessors entered are added to the submissions' (needs only).
        var needs: [PopulationType: [SpecificNeed: Int]] = [:]
        var needBins: [PopulationType: [SpecificNeed: [String: Int]]] = [:]
        for type in groups {
            needs[type] = group(type).needs
            needBins[type] = group(type).needsBySexAge
        }
        for count in record.draft.needCounts {
            needs[count.group, default: [:]][count.need, default: 0] += count.count
            needBins[count.group, default: [:]][count.need, default: [:]][count.bin, default: 0] += count.count
        }
        var rows: [AssessmentPage.Model.Results.Row] = []
        func add(_ label: String, _ counts: [Int], section: String, suppressRow: Bool = false) {
            guard counts.contains(where: { $0 > 0 }) else { return }
            let cells =
                exact
                ? counts.map(String.init)
                : suppressRow ? SmallCells.row(counts).cells : counts.map(SmallCells.text)
            rows.append(.init(section: section, label: label, cells: cells))
        }
        add(
            t("assessments.respondents"), groups.map { group($0).respondents }, section: "respondents",
            suppressRow: true)
        add(t("assessments.people"), groups.map { group($0).people }, section: "respondents")
        let bins =
            ["f", "m"].flatMap { sex in DisaggregationScheme.unhcrAgeBrackets.map { "\(sex)_\($0)" } } + ["unknown"]
        func binLabel(_ bin: String) -> String {
            if bin == "unknown" { return t("sex_unknown") }
            let sex = bin.hasPrefix("f_") ? t("flows.women") : t("flows.men")
            return sex + " " + t("flows.age_" + bin.dropFirst(2))
        }
        for bin in bins {
            add(binLabel(bin), groups.map { group($0).bySexAge[bin] ?? 0 }, section: "sex_age")
        }
        for need in SpecificNeed.allCases {
            add(
                need.rawValue + " · " + t(need.labelKey), groups.map { needs[$0]?[need] ?? 0 }, section: "needs")
        }
        for sector in IFRCSector.allCases {
            add(t(sector.labelKey), groups.map { group($0).prioritySectors[sector] ?? 0 }, section: "priorities")
        }
        // Each need by sex and age, group by group: UNHCR's brackets across.
        var needRows: [AssessmentPage.Model.Results.Row] = []
        let needColumns = bins.filter { bin in
            groups.contains { type in needBins[type]?.values.contains { ($0[bin] ?? 0) > 0 } ?? false }
        }
        for type in groups {
            for need in SpecificNeed.allCases {
                guard let byBin = needBins[type]?[need], byBin.values.contains(where: { $0 > 0 }) else { continue }
                let counts = needColumns.map { byBin[$0] ?? 0 }
                needRows.append(
                    .init(
                        section: type.rawValue, label: t(type.labelKey) + " · " + need.rawValue,
                        cells: exact ? counts.map(String.init) : SmallCells.row(counts).cells))
            }
        }
        return .init(
            groups: groups.map { t($0.labelKey) }, rows: rows, needColumns: needColumns.map(binLabel),
            needRows: needRows, exact: exact)
    }
}
