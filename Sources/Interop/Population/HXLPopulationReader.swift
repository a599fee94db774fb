import Domain
import Foundation

/// Any HXL-tagged CSV of displacement figures, mapped by hashtag (MIGRATION.md §3.2): a column
/// `#affected` or `#population` counts a population type named by its attributes (`+idps`,
/// `+refugees`, `+asylum_seekers`, `+returnees`, `+stateless`, `+host`, `+migrants`) or, in a long
/// file, by a `#population_group+code` column; columns of the same count with sex or age
/// attributes (`+f`, `+m`, `+children`, `+age0_4`) are its breakdown, kept under their hashtags.
/// The place is the deepest `#adm1`–`#adm5` code, else `#loc+code`, else `#country+code`; the day
/// `#date` (an ISO date: a bare year or month number is not a date).
public enum HXLPopulationReader {
    typealias Hashtag = HXL.Hashtag

    /// Attributes that make a count a breakdown rather than a total.
    static let breakdownAttributes: Set<String> = [
        "f", "m", "i", "infants", "children", "adolescents", "adults", "elderly",
    ]
    static func isBreakdown(_ attributes: Set<String>) -> Bool {
        !attributes.isDisjoint(with: breakdownAttributes) || attributes.contains { $0.hasPrefix("age") }
    }

    /// The population type a count's attributes name, if any.
    static func type(_ attributes: Set<String>) -> PopulationType? {
        if attributes.contains("returnees") || attributes.contains("returned") {
            return attributes.contains("idps") ? .returnedIDPs : .returnedRefugees
        }
        if attributes.contains("idps") { return .idps }
        if attributes.contains("refugees") { return .refugees }
        if attributes.contains("asylum_seekers") || attributes.contains("x_asylum_seekers")
            || attributes.contains("asylum")
        {
            return .asylumSeekers
        }
        if attributes.contains("stateless") { return .stateless }
        if attributes.contains("host") { return .hostCommunity }
        if attributes.contains("migrants") { return .migrantsInTransit }
        if attributes.contains("oip") { return .otherInNeedOfProtection }
        if attributes.contains("ooc") { return .othersOfConcern }
        return nil
    }

    public static func read(_ url: URL, dataset: String, sink: PopulationReaders.Sink) async throws
        -> PopulationReadReport
    {
        let reader = try SourceCSV.open(url)
        let columns = try HXL.columns(reader, example: "#date,#adm1+code,#affected+idps")
        let tags = columns.tags
        func column(_ tag: String, _ required: Set<String> = [], excluding: Set<String> = []) -> Int? {
            tags.indices.first { i in
                guard let t = tags[i], t.tag == tag else { return false }
                return required.isSubset(of: t.attributes) && t.attributes.isDisjoint(with: excluding)
            }
        }
        // Where: the deepest admin code, else a location code, else the country.
        var place: (code: Int, name: Int?, kind: FigureLocation.Kind)?
        for level in (1...5).reversed() {
            if let code = column("#adm\(level)", ["code"]) ?? column("#adm\(level)", ["v_pcode"]) {
                place = (code, column("#adm\(level)", ["name"]), .adminArea)
                break
            }
        }
        if place == nil, let code = column("#loc", ["code"]) { place = (code, column("#loc", ["name"]), .place) }
        let countryColumn = column("#country", ["code"], excluding: ["origin", "dest"])
        if place == nil, let countryColumn {
            place = (countryColumn, column("#country", ["name"], excluding: ["origin", "dest"]), .country)
        }
        guard let place else {
            throw SourceFileError(
                "The HXL file has no column tagged #adm1+code (or #adm2 … #adm5, #loc+code, #country+code).")
        }
        guard
            let dateColumn = column("#date", ["reported"]) ?? column(
                "#date", [], excluding: ["start", "end", "year", "month"]) ?? column("#date", ["end"])
        else {
            throw SourceFileError("The HXL file has no column tagged #date (the day the figure describes).")
        }
        let groupColumn = column("#population_group", ["code"])
        // The counts: a total per type, and its breakdown columns.
        struct Count { var total: Int; var bins: [Int] }
        var counts: [PopulationType: Count] = [:]
        var longTotal: Int?
        var longBins: [Int] = []
        for (i, tag) in tags.enumerated() {
            guard let tag, tag.tag == "#affected" || tag.tag == "#population", !tag.attributes.contains("hh") else {
                continue
            }
            if groupColumn != nil && type(tag.attributes) == nil {
                if isBreakdown(tag.attributes) { longBins.append(i) } else if longTotal == nil { longTotal = i }
                continue
            }
            guard let type = type(tag.attributes) else { continue }
            if isBreakdown(tag.attributes) {
                counts[type, default: Count(total: -1, bins: [])].bins.append(i)
            } else if counts[type]?.total ?? -1 < 0 {
                counts[type, default: Count(total: i, bins: [])].total = i
            }
        }
        counts = counts.filter { $0.value.total >= 0 }
        guard !counts.isEmpty || (groupColumn != nil && longTotal != nil) else {
            throw SourceFileError(
                "The HXL file has no count of a population type (e.g. #affected+idps, #population+refugees, or #population with #population_group+code)."
            )
        }
        let originColumn = column("#country", ["code", "origin"])
        let roundColumn = column("#round", ["code"]) ?? column("#x_round")
        let methodColumn = column("#assessment", ["type"])
        let sourceColumn = column("#meta", ["source"])
        var report = PopulationReadReport()
        var batch: [PopulationFigure] = []
        while let cells = try SourceCSV.next(reader) {
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            report.rowsRead += 1
            let line = reader.recordNumber
            func cell(_ i: Int?) -> String {
                i.flatMap { $0 < cells.count ? cells[$0].trimmingCharacters(in: .whitespaces) : nil } ?? ""
            }
            func label(_ i: Int) -> String { tags[i]?.spec ?? "column \(i + 1)" }
            var problems: [ImportProblem] = []
            let code = cell(place.code).uppercased()
            if code.isEmpty {
                problems.append(
                    ImportProblem(row: line, field: label(place.code), severity: .rejected, message: "No place code."))
            }
            let dateText = cell(dateColumn)
            let date = DTMReader.date(dateText)
            if date == nil || dateText.count < 10 {
                problems.append(
                    ImportProblem(
                        row: line, field: label(dateColumn), severity: .rejected,
                        message:
                            "“\(dateText)” is not a date (YYYY-MM-DD); a year or month number alone does not say the day."
                    ))
            }
            var origin: String?
            if let originColumn, !cell(originColumn).isEmpty {
                origin = PopulationReaders.country(
                    cell(originColumn), row: line, column: label(originColumn), problems: &problems)
            }
            var country: String?
            if let countryColumn, !cell(countryColumn).isEmpty {
                country = PopulationReaders.country(
                    cell(countryColumn), row: line, column: label(countryColumn), problems: &problems)
            }
            func number(_ i: Int) -> Int64?? {
                let text = cell(i)
                guard let parsed = PopulationReaders.count(text) else {
                    problems.append(
                        ImportProblem(
                            row: line, field: label(i), severity: .rejected,
                            message: "“\(text)” is not a count of people."))
                    return nil
                }
                return .some(parsed)
            }
            var figures: [(PopulationType, Int64, [FigureBin])] = []
            if let groupColumn, let longTotal {
                let codeText = cell(groupColumn).uppercased()
                if let type = PopulationType(rawValue: codeText), let total = number(longTotal), let value = total {
                    let bins = longBins.compactMap { i in (number(i) ?? nil).map { FigureBin(label(i), $0) } }
                    figures.append((type, value, bins))
                } else if PopulationType(rawValue: codeText) == nil {
                    problems.append(
                        ImportProblem(
                            row: line, field: label(groupColumn), severity: .rejected,
                            message:
                                "“\(codeText)” is not a population type (\(PopulationType.allCases.map(\.rawValue).joined(separator: ", ")))."
                        ))
                }
            }
            for (type, count) in counts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                // empty: this type not reported here
                guard let total = number(count.total), let value = total else { continue }
                let bins = count.bins.compactMap { i in (number(i) ?? nil).map { FigureBin(label(i), $0) } }
                figures.append((type, value, bins))
            }
            for (type, total, bins) in figures {
                // A breakdown larger than its total cannot be: sexes alone, or ages alone, must fit.
                let bySex = bins.filter { ["#affected", "#population"].contains(Hashtag($0.label)?.tag ?? "") }
                    .filter { label in
                        Hashtag(label.label).map { !$0.attributes.isDisjoint(with: ["f", "m", "i"]) } ?? false
                    }
                let sexes = bySex.map(\.count).saturatingSum()
                if sexes > total {
                    problems.append(
                        ImportProblem(
                            row: line, field: type.rawValue, severity: .rejected,
                            message: "The breakdown by sex (\(sexes)) is larger than the total (\(total))."))
                }
            }
            report.problems += problems
            guard !problems.contains(where: { $0.severity == .rejected }), let date else { continue }
            let round = WholeNumber.parse(cell(roundColumn))
            let method = DTMReader.methods[cell(methodColumn).uppercased()]
            let sourceText = cell(sourceColumn).lowercased()
            let source: FigureSource =
                sourceText.contains("unhcr")
                ? .unhcr
                : sourceText.contains("dtm") || sourceText.contains("iom")
                    ? .dtm
                    : sourceText.contains("government") || sourceText.contains("ministry") ? .government : .other
            let location = FigureLocation(kind: place.kind, code: code, name: cell(place.name))
            for (type, total, bins) in figures {
                batch.append(
                    PopulationFigure(
                        dataset: dataset,
                        key: [type.rawValue, code, DateText.day(date), origin ?? "", round.map(String.init) ?? ""]
                            .joined(separator: "|"),
                        source: source, method: method, populationType: type, location: location, originISO3: origin,
                        asylumISO3: country ?? (place.kind == .country ? code : nil),
                        year: AnalysisPeriods.calendar.component(.year, from: date),
                        referenceDate: date, round: round, reportingDate: date, total: total,
                        scheme: bins.isEmpty ? nil : "hxl", breakdown: bins))
            }
            if batch.count >= PopulationReaders.batchSize {
                try await sink(batch); batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await sink(batch) }
        return report
    }
}
