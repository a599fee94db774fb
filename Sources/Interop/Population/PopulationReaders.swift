import Domain
import Foundation

/// What a population file's reading found besides the figures: rows read and the problems, each
/// naming its row (the header being 1) and column.
public struct PopulationReadReport: Sendable {
    public var rowsRead = 0
    public var problems: [ImportProblem] = []
    /// Rows that were combined with an earlier row of the same key (COD-PS's doubled Bangui).
    public var merged: [String] = []
    public var rejectedRows: Int { Set(problems.filter { $0.severity == .rejected }.map(\.row)).count }
    public init() {}
}

/// Readers of the population files Bearing imports. Each streams its CSV and hands the figures
/// over in batches, so the file is never held whole in memory.
public enum PopulationReaders {
    public typealias Sink = ([PopulationFigure]) async throws -> Void
    static let batchSize = 2_000

    /// A file's header as column positions, or a refusal naming the columns missing.
    struct Header {
        let index: [String: Int]
        init(_ fields: [String], required: [String], file: String) throws {
            var index: [String: Int] = [:]
            for (i, name) in fields.enumerated() { index[name.trimmingCharacters(in: .whitespaces)] = i }
            let missing = required.filter { index[$0] == nil }
            guard missing.isEmpty else {
                throw SourceFileError(
                    "\(file) lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")): is it the right file for this format?"
                )
            }
            self.index = index
        }
        func value(_ row: [String], _ name: String) -> String {
            guard let i = index[name], i < row.count else { return "" }
            return row[i].trimmingCharacters(in: .whitespaces)
        }
    }

    /// A count cell: empty is "not reported" (nil); a whole number as `WholeNumber` reads it, with
    /// or without its thousands grouped ("448,465", "448 465"; "1,2345" is a typo), is the count;
    /// anything else is a problem of the row.
    static func count(_ text: String) -> Int64?? {
        if text.isEmpty { return .some(nil) }
        guard let value = WholeNumber.parse(grouped: text) else { return nil }
        return .some(Int64(value))
    }

    static func country(_ text: String, row: Int, column: String, problems: inout [ImportProblem]) -> String? {
        let code = text.uppercased()
        guard code.count == 3, PopulationCountries.isKnown(code) else {
            problems.append(
                ImportProblem(
                    row: row, field: column, severity: .rejected,
                    message: "“\(text)” is not an ISO 3166 alpha-3 country code (nor UNHCR's UNK, XXA or TIB)."))
            return nil
        }
        return code
    }

    static func year(_ text: String, row: Int, problems: inout [ImportProblem]) -> Int? {
        guard let year = Int(text), (1900...2100).contains(year) else {
            problems.append(
                ImportProblem(row: row, field: "year", severity: .rejected, message: "“\(text)” is not a year."))
            return nil
        }
        return year
    }

    /// The year and the ISO3 countries of origin and asylum that both UNHCR files give each row.
    static func yearAndCountries(_ header: Header, _ row: [String], line: Int, problems: inout [ImportProblem]) -> (
        Int?, String?, String?
    ) {
        (
            year(header.value(row, "year"), row: line, problems: &problems),
            country(header.value(row, "coo_iso"), row: line, column: "coo_iso", problems: &problems),
            country(header.value(row, "coa_iso"), row: line, column: "coa_iso", problems: &problems)
        )
    }

    // MARK: UNHCR population statistics

    /// The count columns of UNHCR's population statistics and the type each counts.
    public static let unhcrPopulationColumns: [(column: String, type: PopulationType)] = [
        ("refugees", .refugees), ("asylum_seekers", .asylumSeekers), ("returned_refugees", .returnedRefugees),
        ("idps", .idps),
        ("returned_idps", .returnedIDPs), ("stateless", .stateless), ("ooc", .othersOfConcern),
        ("oip", .otherInNeedOfProtection),
        ("hst", .hostCommunity),
    ]

    /// UNHCR's population statistics (one row per year × origin × asylum, a column per type):
    /// a figure per type the row reports, keyed by year, origin and asylum as ISO3, since UNHCR's
    /// own country codes differ from ISO (its AUS is Austria). Zero counts are passed on too, so a
    /// re-import can set a number back to zero; the store does not keep a zero it never had.
    public static func unhcrPopulation(_ url: URL, dataset: String, sink: Sink) async throws -> PopulationReadReport {
        let rows = try SourceCSV.open(url)
        guard let first = try SourceCSV.next(rows) else { throw SourceFileError("\(url.lastPathComponent) is empty.") }
        let header = try Header(
            first,
            required: ["year", "coo_iso", "coa_iso", "coo_name", "coa_name"] + unhcrPopulationColumns.map(\.column),
            file: url.lastPathComponent)
        var report = PopulationReadReport()
        var batch: [PopulationFigure] = []
        batch.reserveCapacity(batchSize)
        while let row = try SourceCSV.next(rows) {
            report.rowsRead += 1
            let line = rows.recordNumber
            var problems: [ImportProblem] = []
            let (year, origin, asylum) = yearAndCountries(header, row, line: line, problems: &problems)
            var counts: [(PopulationType, Int64)] = []
            for (column, type) in unhcrPopulationColumns {
                let text = header.value(row, column)
                guard let parsed = count(text) else {
                    problems.append(
                        ImportProblem(
                            row: line, field: column, severity: .rejected,
                            message: "“\(text)” is not a count of people."))
                    continue
                }
                if let value = parsed { counts.append((type, value)) }
            }
            guard problems.isEmpty, let year, let origin, let asylum else { report.problems += problems; continue }
            let location = FigureLocation(kind: .country, code: asylum, name: header.value(row, "coa_name"))
            for (type, value) in counts {
                batch.append(
                    PopulationFigure(
                        dataset: dataset, key: "\(year)|\(origin)|\(asylum)|\(type.rawValue)", source: .unhcr,
                        method: nil, populationType: type,
                        location: location, originISO3: origin, asylumISO3: asylum, year: year, total: value))
            }
            if batch.count >= batchSize { try await sink(batch); batch.removeAll(keepingCapacity: true) }
        }
        if !batch.isEmpty { try await sink(batch) }
        return report
    }

    // MARK: UNHCR demographics

    public static let unhcrDemographicBins = [
        "f_0_4", "f_5_11", "f_12_17", "f_18_59", "f_60", "f_other",
        "m_0_4", "m_5_11", "m_12_17", "m_18_59", "m_60", "m_other",
    ]

    /// UNHCR's demographics (one row per year × origin × asylum × type × location): the total
    /// with its breakdown by sex and age under UNHCR's bins, labels as published. A row whose
    /// bins are all zero but whose total is not is "not disaggregated" (kept without bins); one
    /// whose breakdown is larger than its total, or whose bins do not add up to its sex totals, is
    /// refused with the numbers.
    public static func unhcrDemographics(_ url: URL, dataset: String, sink: Sink) async throws -> PopulationReadReport {
        let rows = try SourceCSV.open(url)
        guard let first = try SourceCSV.next(rows) else { throw SourceFileError("\(url.lastPathComponent) is empty.") }
        let header = try Header(
            first,
            required: [
                "year", "coo_iso", "coa_iso", "coa_name", "pop_type", "location", "loc_type", "acc_type",
                "f_total", "m_total", "total",
            ] + unhcrDemographicBins, file: url.lastPathComponent)
        var report = PopulationReadReport()
        var batch: [PopulationFigure] = []
        while let row = try SourceCSV.next(rows) {
            report.rowsRead += 1
            let line = rows.recordNumber
            var problems: [ImportProblem] = []
            let (year, origin, asylum) = yearAndCountries(header, row, line: line, problems: &problems)
            let typeText = header.value(row, "pop_type")
            let type = PopulationType(rawValue: typeText.uppercased())
            if type == nil || type == .migrantsInTransit || type == .totalPopulation {
                problems.append(
                    ImportProblem(
                        row: line, field: "pop_type", severity: .rejected,
                        message:
                            "“\(typeText)” is not a UNHCR population type (REF, ASY, OIP, IDP, RET, RDP, STA, OOC, HST)."
                    ))
            }
            var numbers: [String: Int64] = [:]
            for column in unhcrDemographicBins + ["f_total", "m_total", "total"] {
                let text = header.value(row, column)
                guard let parsed = count(text), let value = parsed else {
                    problems.append(
                        ImportProblem(
                            row: line, field: column, severity: .rejected,
                            message: "“\(text)” is not a count of people."))
                    continue
                }
                numbers[column] = value
            }
            if problems.isEmpty {
                let female = unhcrDemographicBins.filter { $0.hasPrefix("f_") }.reduce(Int64(0)) { $0 + numbers[$1]! }
                let male = unhcrDemographicBins.filter { $0.hasPrefix("m_") }.reduce(Int64(0)) { $0 + numbers[$1]! }
                let (fTotal, mTotal, total) = (numbers["f_total"]!, numbers["m_total"]!, numbers["total"]!)
                if female != fTotal || male != mTotal {
                    problems.append(
                        ImportProblem(
                            row: line, field: "f_total", severity: .rejected,
                            message:
                                "The age bins add up to \(female) women and \(male) men, but f_total and m_total say \(fTotal) and \(mTotal)."
                        ))
                } else if fTotal + mTotal > total {
                    problems.append(
                        ImportProblem(
                            row: line, field: "total", severity: .rejected,
                            message: "The breakdown by sex (\(fTotal + mTotal)) is larger than the total (\(total))."))
                }
            }
            guard problems.isEmpty, let year, let origin, let asylum, let type else {
                report.problems += problems; continue
            }
            let location = header.value(row, "location")
            let disaggregated = numbers["f_total"]! + numbers["m_total"]! > 0
            let bins =
                disaggregated
                ? (unhcrDemographicBins + ["f_total", "m_total"]).map { FigureBin($0, numbers[$0]!) } : []
            batch.append(
                PopulationFigure(
                    dataset: dataset,
                    key: [
                        String(year), origin, asylum, type.rawValue, location, header.value(row, "loc_type"),
                        header.value(row, "acc_type"),
                    ].joined(separator: "|"),
                    source: .unhcr, populationType: type,
                    location: FigureLocation(
                        kind: .place, code: asylum, name: location.isEmpty ? header.value(row, "coa_name") : location),
                    originISO3: origin, asylumISO3: asylum, year: year, total: numbers["total"]!,
                    scheme: disaggregated ? "unhcr" : nil, breakdown: bins))
            if batch.count >= batchSize { try await sink(batch); batch.removeAll(keepingCapacity: true) }
        }
        if !batch.isEmpty { try await sink(batch) }
        return report
    }

    // MARK: COD-PS (OCHA common operational dataset, population statistics)

    /// An admin population file as OCHA publishes them per country (e.g. caf_admpop_adm2_2015_v2):
    /// the deepest `AdmN_Pcode` column names the area; `T_TL` is the total, the other number
    /// columns its breakdown under their own labels. Numbers may carry thousands separators. A
    /// P-code listed twice is combined (its counts added) and said in the report: the Central
    /// African file lists Bangui twice, and the two rows add up to the province's total.
    public static func codPopulation(_ url: URL, dataset: String, year: Int, sink: Sink) async throws
        -> PopulationReadReport
    {
        let rows = try SourceCSV.open(url)
        guard let first = try SourceCSV.next(rows) else { throw SourceFileError("\(url.lastPathComponent) is empty.") }
        // Column names vary in case between levels (Adm1_pcode, Adm1_Pcode).
        let lowered = first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let level = (1...5).reversed().first(where: { lowered.contains("adm\($0)_pcode") }) else {
            throw SourceFileError("\(url.lastPathComponent) has no AdmN_Pcode column: it is not a COD-PS file.")
        }
        let header = try Header(lowered, required: ["adm\(level)_pcode", "t_tl"], file: url.lastPathComponent)
        let nameColumn = "adm\(level)_name"
        let adminColumns = Set((0...5).flatMap { ["adm\($0)_pcode", "adm\($0)_name", "adm\($0)_ref_name"] })
        let binColumns = first.indices.filter { !adminColumns.contains(lowered[$0]) && lowered[$0] != "t_tl" }
        var report = PopulationReadReport()
        var byKey: [String: (figure: PopulationFigure, line: Int)] = [:]
        var order: [String] = []
        while let row = try SourceCSV.next(rows) {
            report.rowsRead += 1
            let line = rows.recordNumber
            var problems: [ImportProblem] = []
            let pcode = header.value(row, "adm\(level)_pcode").uppercased()
            if pcode.isEmpty {
                problems.append(
                    ImportProblem(
                        row: line, field: first[header.index["adm\(level)_pcode"]!], severity: .rejected,
                        message: "No P-code."))
            }
            let totalText = header.value(row, "t_tl")
            let total = count(totalText) ?? nil
            if total == nil {
                problems.append(
                    ImportProblem(
                        row: line, field: "T_TL", severity: .rejected,
                        message: "“\(totalText)” is not a count of people."))
            }
            var bins: [FigureBin] = []
            for i in binColumns where i < row.count {
                let text = row[i].trimmingCharacters(in: .whitespaces)
                guard let parsed = count(text) else {
                    problems.append(
                        ImportProblem(
                            row: line, field: first[i], severity: .rejected,
                            message: "“\(text)” is not a count of people."))
                    continue
                }
                if let value = parsed { bins.append(FigureBin(first[i].trimmingCharacters(in: .whitespaces), value)) }
            }
            guard problems.isEmpty, let total else { report.problems += problems; continue }
            if let earlier = byKey[pcode] {
                var combined = earlier.figure
                combined.total += total
                for bin in bins {
                    if let j = combined.breakdown.firstIndex(where: { $0.label == bin.label }) {
                        combined.breakdown[j].count += bin.count
                    } else {
                        combined.breakdown.append(bin)
                    }
                }
                byKey[pcode] = (combined, earlier.line)
                report.merged.append(
                    "\(pcode) (\(header.value(row, nameColumn))) is listed on rows \(earlier.line) and \(line): the two were added together, \(combined.total) people."
                )
                continue
            }
            byKey[pcode] = (
                PopulationFigure(
                    dataset: dataset, key: pcode, source: .government, method: .estimate,
                    populationType: .totalPopulation,
                    location: FigureLocation(kind: .adminArea, code: pcode, name: header.value(row, nameColumn)),
                    year: year, total: total,
                    scheme: bins.isEmpty ? nil : "cod-ps", breakdown: bins), line
            )
            order.append(pcode)
        }
        try await sink(order.compactMap { byKey[$0]?.figure })
        return report
    }
}
