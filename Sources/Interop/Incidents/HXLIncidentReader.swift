import Domain
import Foundation

/// Reads any HXL-tagged CSV of incidents whose columns carry the hashtags of Bearing's exchange
/// format (`IncidentExchange.columns`): Bearing's own HXL exports, or a partner's sheet tagged the
/// same way. Columns are found by hashtag, not by header text, in any order; untagged and unknown
/// columns are kept in the original values. The source is named after the file.
public enum HXLIncidentReader {
    public struct Summary: Sendable, Equatable {
        public var rowsRead = 0
        public var eventsRead = 0
        public var problems: [ImportProblem] = []
    }

    typealias Hashtag = HXL.Hashtag

    public static func read(contentsOf url: URL, source: ContextEvent.Source, each: (ContextEvent) async throws -> Void)
        async throws -> Summary
    {
        try await read(try SourceCSV.open(url), source: source, each: each)
    }

    public static func read(string: String, source: ContextEvent.Source, each: (ContextEvent) async throws -> Void)
        async throws -> Summary
    {
        try await read(CSVRows(string: string), source: source, each: each)
    }

    static func read(_ reader: CSVRows, source: ContextEvent.Source, each: (ContextEvent) async throws -> Void)
        async throws -> Summary
    {
        let columns = try HXL.columns(reader, example: "#date,#country+code,#event+category")
        let (headers, tags) = (columns.headers, columns.tags)
        var rowNumber = reader.recordNumber
        var columnOf: [Hashtag: Int] = [:]
        for (i, tag) in tags.enumerated() { if let tag, columnOf[tag] == nil { columnOf[tag] = i } }
        var index: [String: Int] = [:]  // exchange header → file column
        for column in IncidentExchange.columns {
            if let tag = Hashtag(column.hxl), let i = columnOf[tag] { index[column.header] = i }
        }
        // A bare #date is read as the date of the event when the file has no #date+occurred.
        if index["date"] == nil, let i = columnOf.first(where: { $0.key.tag == "#date" })?.value { index["date"] = i }
        let missing = ["date", "category"].filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw SourceFileError(
                "The HXL file has no column tagged \(missing.map { $0 == "date" ? "#date+occurred" : "#event+category" }.joined(separator: " or "))."
            )
        }
        let names = tags.enumerated().map { i, tag in
            i < headers.count && !headers[i].isEmpty ? headers[i] : (tag.map(\.spec) ?? "column \(i + 1)")
        }
        var summary = Summary()
        while let cells = try SourceCSV.next(reader) {
            rowNumber = reader.recordNumber
            if cells.allSatisfy({ $0.trimmedASCIIWhitespace.isEmpty }) { continue }
            summary.rowsRead += 1
            var row = Row(cells: cells, index: index, number: rowNumber)
            if let event = row.event(source: source, names: names) {
                try await each(event)
                summary.eventsRead += 1
            }
            summary.problems += row.problems
        }
        return summary
    }

    struct Row {
        let cells: [String]
        let index: [String: Int]
        let number: Int
        var problems: [ImportProblem] = []

        init(cells: [String], index: [String: Int], number: Int) {
            self.cells = cells
            self.index = index
            self.number = number
        }

        func text(_ column: String) -> String? {
            guard let i = index[column], i < cells.count else { return nil }
            let value = cells[i].trimmedASCIIWhitespace
            // Undo the apostrophe our exports put before text a spreadsheet would run as a formula.
            if value.count > 1, value.hasPrefix("'"), let second = value.dropFirst().unicodeScalars.first,
                "=+-@".unicodeScalars.contains(second)
            {
                return String(value.dropFirst())
            }
            return value.isEmpty ? nil : value
        }

        mutating func reject(_ field: String, _ message: String) {
            problems.append(ImportProblem(row: number, field: field, severity: .rejected, message: message))
        }

        mutating func warn(_ field: String, _ message: String) {
            problems.append(ImportProblem(row: number, field: field, severity: .warning, message: message))
        }

        mutating func count(_ column: String) -> Int?? {
            guard let value = text(column) else { return .some(nil) }
            guard let number = WholeNumber.parse(value) else {
                reject(column, "“\(value)” is not a count.")
                return nil
            }
            return .some(number)
        }

        /// A vocabulary value: ours as written, or unknown with a warning.
        mutating func value<V: RawRepresentable>(_ column: String, _ fallback: V) -> V where V.RawValue == String {
            guard let raw = text(column) else { return fallback }
            if let value = V(rawValue: raw.lowercased()) { return value }
            warn(
                column,
                "“\(raw)” is not one of Bearing's \(column.replacingOccurrences(of: "_", with: " ")) values; read as \(fallback.rawValue)."
            )
            return fallback
        }

        mutating func event(source: ContextEvent.Source, names: [String]) -> ContextEvent? {
            let rejectedBefore = problems.count
            guard let (day, precision) = date() else { return nil }
            guard let categoryText = text("category"),
                let category = IncidentCategory(rawValue: categoryText.lowercased())
            else {
                reject(
                    "category",
                    "“\(text("category") ?? "")” is not an incident category (\(IncidentCategory.allCases.map(\.rawValue).joined(separator: ", ")))."
                )
                return nil
            }
            var subtype: IncidentSubtype?
            if let subtypeText = text("subtype") {
                subtype = IncidentSubtype(rawValue: subtypeText.lowercased())
                if subtype?.category != category {
                    warn("subtype", "“\(subtypeText)” is not a sub-type of \(category.rawValue); left out.")
                    subtype = nil
                }
            }
            var casualties = Casualties()
            var hasCells = false
            for cell in Casualties.Cell.all {
                guard let n = count(cell.key) else { continue }
                if let n { casualties[cell] = n; hasCells = true }
            }
            let fatalitiesCount = count("fatalities")
            var totals: [(String, Int)] = []
            for column in ["killed", "injured", "kidnapped", "detained", "affected"] {
                if let n = count(column), let n { totals.append((column, n)) }
            }
            guard problems.count == rejectedBefore, let fatalities = fatalitiesCount else { return nil }
            var fatalitiesValue = fatalities
            if !hasCells, fatalities == nil, let killed = totals.first(where: { $0.0 == "killed" })?.1, killed > 0 {
                fatalitiesValue = killed  // a sheet with totals only: people killed, not split by nationality
            }
            let record = IncidentExchangeRecord(
                source: source.rawValue, id: "", occurredAt: .distantPast, timePrecision: precision,
                category: category, casualties: casualties, fatalities: fatalitiesValue)
            let computed = [
                "killed": record.killedTotal, "injured": casualties.total(.injured),
                "kidnapped": casualties.total(.kidnapped),
                "detained": casualties.total(.detained), "affected": record.affectedTotal,
            ]
            for (column, stated) in totals where hasCells || fatalities != nil || column != "killed" {
                if let sum = computed[column], sum != stated {
                    warn(column, "\(column) is \(stated) but the counts add up to \(sum).")
                }
            }
            let (latitude, longitude) = SourceCoordinates.checked(
                latitude: text("latitude"), longitude: text("longitude"), row: number, field: "latitude",
                problems: &problems)
            var original: [String: String] = [:]
            for (i, cell) in cells.enumerated() where i < names.count && !cell.isEmpty { original[names[i]] = cell }
            // Without an id, the row's content identifies it: the same row imported again is unchanged.
            let id = text("id") ?? "row-" + Hex.sha256(cells.joined(separator: "\u{1F}")).prefix(16)
            var event = ContextEvent(
                source: source, sourceID: id, occurredOn: day, timePrecision: precision,
                countryCode: text("country_iso3"),
                countryName: nil, admin1: text("admin1"), admin2: text("admin2"), admin3: nil, latitude: latitude,
                longitude: longitude,
                geoPrecision: value("geo_precision", GeoPrecision.exact), category: category, subtype: subtype,
                means: value("means", IncidentMeans.unknown), context: value("context", IncidentContext.unknown),
                locationType: value("location_type", IncidentLocationType.unknown),
                actorType: value("actor_type", ActorType.unknown),
                actorName: text("actor_name"), motive: value("motive", IncidentMotive.unknown),
                verification: value("verification", VerificationStatus.unverified), casualties: casualties,
                description: [text("title"), text("description")].compactMap { $0 }.joined(separator: ": ").nilIfEmpty,
                original: original)
            if text("geo_precision") == nil { event.geoPrecision = nil }
            event.fatalities = fatalitiesValue
            return event
        }

        /// 2026-11-20T14:30Z, 2026-11-20, 2026-11 or 2026, with the precision the text shows.
        mutating func date() -> (DateComponents, TimePrecision)? {
            guard let raw = text("date") else {
                reject("date", "No date.")
                return nil
            }
            let datePart = raw.split(separator: "T").first.map(String.init) ?? raw
            let parts = datePart.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            var result: (DateComponents, TimePrecision)?
            switch parts.count {
            case 1: if let y = parts[0], SourceDates.years.contains(y) { result = (DateComponents(year: y), .year) }
            case 2:
                if let y = parts[0], let m = parts[1], SourceDates.years.contains(y), (1...12).contains(m) {
                    result = (DateComponents(year: y, month: m), .month)
                }
            case 3:
                if let y = parts[0], let m = parts[1], let d = parts[2],
                    let day = SourceDates.day(year: y, month: m, day: d)
                {
                    result = (day, .day)
                }
            default: break
            }
            guard var found = result else {
                reject("date", "“\(raw)” is not a date (2026-11-20, 2026-11 or 2026).")
                return nil
            }
            // A week- or minute-precise date is written as its day; the precision column says which.
            if found.1 == .day, let stated = text("time_precision").flatMap(TimePrecision.init(rawValue:)),
                stated == .week || stated == .minute
            {
                found.1 = stated
            }
            return found
        }
    }
}
