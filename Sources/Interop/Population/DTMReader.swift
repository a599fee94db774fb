import Domain
import Foundation

/// IOM DTM's displacement figures (API v3, MIGRATION.md §1.2): the JSON the API returns (an
/// envelope with the records in `result`, or a bare array) and the CSV HDX publishes (the same
/// fields as columns, often with an HXL row under the header). A record is the IDPs present in an
/// admin area at a reporting date and round, found by an assessment (BA, ETT or SA). DTM data may
/// not be redistributed: the tests use small files made in its shape.
public enum DTMReader {
    /// One DTM record, whatever file it came from: field name → text.
    typealias Record = [String: String]

    public static func json(_ url: URL, dataset: String, sink: PopulationReaders.Sink) async throws
        -> PopulationReadReport
    {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw SourceFileError("Cannot open \(url.lastPathComponent).") }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            throw SourceFileError("\(url.lastPathComponent) is not JSON.")
        }
        let items: [Any]
        if let envelope = parsed as? [String: Any] {
            if let success = envelope["isSuccess"] as? Bool, !success {
                let messages =
                    (envelope["errorMessages"] as? [Any])?.compactMap { $0 as? String }.joined(separator: "; ") ?? ""
                throw SourceFileError("The DTM API answered with an error\(messages.isEmpty ? "" : ": \(messages)").")
            }
            guard let result = envelope["result"] as? [Any] else {
                throw SourceFileError("\(url.lastPathComponent) has no “result” list: it is not a DTM API v3 answer.")
            }
            items = result
        } else if let array = parsed as? [Any] {
            items = array
        } else {
            throw SourceFileError("\(url.lastPathComponent) is neither a DTM API answer nor a list of records.")
        }
        var records: [(Int, Record)] = []
        for (i, item) in items.enumerated() {
            guard let object = item as? [String: Any] else { continue }
            records.append((i + 1, object.mapValues { JSONValue(foundation: $0).stringValue ?? "" }))
        }
        return try await read(records, dataset: dataset, rowLabel: "record", sink: sink)
    }

    public static func csv(_ url: URL, dataset: String, sink: PopulationReaders.Sink) async throws
        -> PopulationReadReport
    {
        let rows = try SourceCSV.open(url)
        guard let header = try SourceCSV.next(rows) else { throw SourceFileError("\(url.lastPathComponent) is empty.") }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.contains("numPresentIdpInd"), names.contains("reportingDate") else {
            throw SourceFileError(
                "\(url.lastPathComponent) has no numPresentIdpInd or reportingDate column: it is not a DTM file.")
        }
        var records: [(Int, Record)] = []
        while let row = try SourceCSV.next(rows) {
            // HDX's files carry an HXL row under the header: not a record.
            if row.first?.hasPrefix("#") == true { continue }
            var record: Record = [:]
            for (i, name) in names.enumerated() where i < row.count {
                record[name] = row[i].trimmingCharacters(in: .whitespaces)
            }
            records.append((rows.recordNumber, record))
        }
        return try await read(records, dataset: dataset, rowLabel: "row", sink: sink)
    }

    static let methods: [String: FigureMethod] = [
        "BA": .dtmBaseline, "ETT": .dtmEventTracking, "SA": .dtmSiteAssessment,
    ]

    static func read(_ records: [(Int, Record)], dataset: String, rowLabel: String, sink: PopulationReaders.Sink)
        async throws -> PopulationReadReport
    {
        var report = PopulationReadReport()
        var batch: [PopulationFigure] = []
        for (line, record) in records {
            report.rowsRead += 1
            var problems: [ImportProblem] = []
            func text(_ field: String) -> String {
                let value = record[field]?.trimmingCharacters(in: .whitespaces) ?? ""
                return value.lowercased() == "not available" || value.lowercased() == "null" ? "" : value
            }
            func number(_ field: String, required: Bool) -> Int64? {
                let raw = text(field)
                if raw.isEmpty {
                    if required {
                        problems.append(
                            ImportProblem(row: line, field: field, severity: .rejected, message: "No count."))
                    }
                    return nil
                }
                // The API gives whole numbers, sometimes as 1068882.0.
                guard let value = Double(raw), value >= 0, value == value.rounded(), value < 1e15 else {
                    problems.append(
                        ImportProblem(
                            row: line, field: field, severity: .rejected, message: "“\(raw)” is not a count of people.")
                    )
                    return nil
                }
                return Int64(value)
            }
            let total = number("numPresentIdpInd", required: true)
            let males = number("numberMales", required: false)
            let females = number("numberFemales", required: false)
            if let total, (males ?? 0) + (females ?? 0) > total {
                problems.append(
                    ImportProblem(
                        row: line, field: "numberMales", severity: .rejected,
                        message:
                            "Men and women (\((males ?? 0) + (females ?? 0))) are more than the IDPs counted (\(total))."
                    ))
            }
            let dateText = text("reportingDate")
            let date = Self.date(dateText)
            if date == nil {
                problems.append(
                    ImportProblem(
                        row: line, field: "reportingDate", severity: .rejected, message: "“\(dateText)” is not a date.")
                )
            }
            let round = Int(text("roundNumber")) ?? Int(Double(text("roundNumber")) ?? -1)
            let assessment = text("assessmentType").uppercased()
            let method = methods[assessment]
            if !assessment.isEmpty && method == nil {
                problems.append(
                    ImportProblem(
                        row: line, field: "assessmentType", severity: .warning,
                        message: "“\(assessment)” is not BA, ETT or SA; kept without a method."))
            }
            let admin0 = text("admin0Pcode").uppercased()
            let deepest = [("admin2Pcode", "admin2Name"), ("admin1Pcode", "admin1Name")].first { !text($0.0).isEmpty }
            let location: FigureLocation?
            if let (code, name) = deepest {
                location = FigureLocation(kind: .adminArea, code: text(code).uppercased(), name: text(name))
            } else if admin0.count == 3 {
                location = FigureLocation(kind: .country, code: admin0, name: text("admin0Name"))
            } else {
                location = nil
                problems.append(
                    ImportProblem(
                        row: line, field: "admin0Pcode", severity: .rejected, message: "No admin area or country code.")
                )
            }
            if admin0.count == 3, !PopulationCountries.isKnown(admin0) {
                problems.append(
                    ImportProblem(
                        row: line, field: "admin0Pcode", severity: .rejected,
                        message: "“\(admin0)” is not an ISO 3166 alpha-3 country code."))
            }
            let rejected = problems.contains { $0.severity == .rejected }
            report.problems += problems.map {
                var p = $0; p.message = "\(rowLabel == "record" ? "record \(line): " : "")\(p.message)"; return p
            }
            guard !rejected, let total, let date, let location else { continue }
            // The same admin area, day, round and assessment can carry one figure per displacement reason.
            let reasons = text("displacementReason").split(separator: ";").map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            .filter { !$0.isEmpty }.sorted().joined(separator: ";")
            var bins: [FigureBin] = []
            if let males { bins.append(FigureBin("numberMales", males)) }
            if let females { bins.append(FigureBin("numberFemales", females)) }
            batch.append(
                PopulationFigure(
                    dataset: dataset,
                    key: [
                        text("operation"), location.code, DateText.day(date), round >= 0 ? String(round) : "",
                        assessment, reasons,
                    ]
                    .joined(separator: "|"),
                    source: .dtm, method: method, populationType: .idps, location: location, originISO3: nil,
                    asylumISO3: admin0.count == 3 ? admin0 : nil,
                    year: AnalysisPeriods.calendar.component(.year, from: date), referenceDate: date,
                    round: round >= 0 ? round : nil, reportingDate: date, total: total,
                    scheme: bins.isEmpty ? nil : "dtm", breakdown: bins))
            if batch.count >= PopulationReaders.batchSize {
                try await sink(batch); batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await sink(batch) }
        return report
    }

    /// "2017-09-30T00:00:00", "2017-09-30T00:00:00Z" or "2017-09-30", as a UTC day.
    static func date(_ text: String) -> Date? {
        let day = text.prefix(10)
        let parts = day.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            let components = SourceDates.day(year: y, month: m, day: d)
        else { return nil }
        return AnalysisPeriods.calendar.date(from: components)
    }
}
