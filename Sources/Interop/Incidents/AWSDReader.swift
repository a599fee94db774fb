import Domain
import Foundation

/// Why a source file cannot be read at all (as opposed to problems with single rows).
public struct SourceFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads an Aid Worker Security Database export (Humanitarian Outcomes): the current schema with
/// "detained" columns and the older one without them, with or without the HXL tag row after the
/// header (SECURITY.md §3.4.3). Rows stream through `each`, so memory stays flat on large exports.
public enum AWSDReader {
    public struct Summary: Sendable, Equatable {
        public var rowsRead = 0
        public var eventsRead = 0
        public var hadHXLRow = false
        public var hasDetainedColumns = false
        public var problems: [ImportProblem] = []
    }

    static let requiredColumns = [
        "Incident ID", "Year", "Month", "Day", "Country Code", "Country", "Nationals killed",
        "Nationals wounded", "Nationals kidnapped", "Internationals killed", "Internationals wounded",
        "Internationals kidnapped", "Means of attack", "Attack context", "Location", "Latitude",
        "Longitude", "Motive", "Actor type",
    ]

    public static func read(contentsOf url: URL, each: (ContextEvent) async throws -> Void) async throws -> Summary {
        try await read(try SourceCSV.open(url), each: each)
    }

    public static func read(string: String, each: (ContextEvent) async throws -> Void) async throws -> Summary {
        try await read(CSVRows(string: string), each: each)
    }

    static func read(_ reader: CSVRows, each: (ContextEvent) async throws -> Void) async throws -> Summary {
        guard let header = try SourceCSV.next(reader)?.map({ $0.trimmedASCIIWhitespace }) else {
            throw SourceFileError("The file is empty: an AWSD export starts with a header row.")
        }
        let missing = requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw SourceFileError("This is not an AWSD export: the header lacks \(missing.joined(separator: ", ")).")
        }
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
        var summary = Summary()
        summary.hasDetainedColumns = index["Nationals detained"] != nil && index["Internationals detained"] != nil
        var rowNumber = 1
        while let cells = try SourceCSV.next(reader) {
            rowNumber = reader.recordNumber
            if rowNumber == 2, cells.first?.hasPrefix("#") == true {
                summary.hadHXLRow = true
                continue
            }
            if cells.allSatisfy({ $0.trimmedASCIIWhitespace.isEmpty }) { continue }
            summary.rowsRead += 1
            var row = Row(cells: cells, index: index, number: rowNumber)
            if let event = row.event(detained: summary.hasDetainedColumns) {
                try await each(event)
                summary.eventsRead += 1
            }
            summary.problems += row.problems
        }
        return summary
    }

    /// One data row and what went wrong with it.
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
            return value.isEmpty ? nil : value
        }

        mutating func count(_ column: String) -> Int? {
            guard let value = text(column) else { return 0 }
            guard let number = WholeNumber.parse(value) else {
                problems.append(
                    ImportProblem(
                        row: self.number, field: column, severity: .rejected, message: "“\(value)” is not a count."))
                return nil
            }
            return number
        }

        mutating func event(detained: Bool) -> ContextEvent? {
            let rejectedBefore = problems.count
            guard let id = text("Incident ID") else {
                problems.append(
                    ImportProblem(row: number, field: "Incident ID", severity: .rejected, message: "No incident id."))
                return nil
            }
            guard let yearText = text("Year"), let year = Int(yearText), SourceDates.years.contains(year) else {
                problems.append(
                    ImportProblem(
                        row: number, field: "Year", severity: .rejected,
                        message: "No valid year: “\(text("Year") ?? "")”."))
                return nil
            }
            var date = DateComponents(year: year)
            var precision = TimePrecision.year
            if let month = text("Month").flatMap(Int.init), (1...12).contains(month) {
                date.month = month
                precision = .month
                if let dayText = text("Day") {
                    guard let day = Int(dayText), SourceDates.day(year: year, month: month, day: day) != nil else {
                        problems.append(
                            ImportProblem(
                                row: number, field: "Day", severity: .rejected,
                                message: "\(year)-\(month)-\(dayText) is not a date."))
                        return nil
                    }
                    date.day = day
                    precision = .day
                }
            }
            var casualties = Casualties()
            let harms: [(Casualties.Harm, String)] =
                [(.killed, "killed"), (.injured, "wounded"), (.kidnapped, "kidnapped")]
                + (detained ? [(.detained, "detained")] : [])
            for (harm, word) in harms {
                for (nationality, prefix) in [
                    (Casualties.Nationality.national, "Nationals"), (.international, "Internationals"),
                ] {
                    guard let n = count("\(prefix) \(word)") else { continue }
                    casualties[harm, nationality, .unknown] = n  // AWSD gives sex only for the total
                }
            }
            guard problems.count == rejectedBefore else { return nil }
            checkTotals(casualties)
            let (latitude, longitude) = SourceCoordinates.checked(
                latitude: text("Latitude"), longitude: text("Longitude"), row: number, field: "Latitude",
                problems: &problems)
            let mapped = AWSDVocabulary.means(text("Means of attack"))
            var original: [String: String] = [:]
            for (name, i) in index where i < cells.count && !cells[i].isEmpty { original[name] = cells[i] }
            return ContextEvent(
                source: .awsd, sourceID: id, occurredOn: date, timePrecision: precision,
                countryCode: text("Country Code"),
                countryName: text("Country"), admin1: text("Region"), admin2: text("District"), admin3: text("City"),
                latitude: latitude, longitude: longitude, geoPrecision: nil, category: mapped.category,
                subtype: mapped.subtype, means: mapped.means,
                context: AWSDVocabulary.context(text("Attack context")),
                locationType: AWSDVocabulary.location(text("Location")),
                actorType: AWSDVocabulary.actor(text("Actor type")), actorName: text("Actor name"),
                motive: AWSDVocabulary.motive(text("Motive")),
                verification: AWSDVocabulary.verification(text("Verified")),
                casualties: casualties, description: text("Details"), original: original)
        }

        /// AWSD's totals must agree with its parts; a disagreement is kept, with a warning.
        mutating func checkTotals(_ casualties: Casualties) {
            let total = casualties.total()
            if let stated = text("Total affected").flatMap(Int.init), stated != total {
                problems.append(
                    ImportProblem(
                        row: number, field: "Total affected", severity: .warning,
                        message: "Total affected is \(stated) but the counts add up to \(total)."))
            }
            let sexes = ["Gender Male", "Gender Female", "Gender Unknown"].compactMap { text($0).flatMap(Int.init) }
            if sexes.count == 3, sexes.saturatingSum() != total {
                problems.append(
                    ImportProblem(
                        row: number, field: "Gender Male", severity: .warning,
                        message:
                            "Male + female + unknown is \(sexes.saturatingSum()) but the counts add up to \(total)."))
            }
        }
    }
}

/// AWSD's values onto Bearing's vocabularies. Values are compared trimmed and case-folded, since
/// exports carry "Landmine " and "Host State" beside "Host state"; unknown values map to unknown.
enum AWSDVocabulary {
    static func fold(_ value: String?) -> String {
        (value ?? "").lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func means(_ value: String?) -> (category: IncidentCategory, subtype: IncidentSubtype?, means: IncidentMeans)
    {
        switch fold(value) {
        case "shooting": (.violence, .shooting, .firearm)
        case "kidnapping", "kidnap-killing": (.crime, .kidnapping, .unknown)
        case "bodily assault": (.violence, .bodilyAssault, .bodilyForce)
        case "aerial bombardment": (.actOfWar, .aerialBombardment, .aerialBombardment)
        case "shelling": (.actOfWar, .shelling, .shelling)
        case "landmine": (.actOfWar, .landmineUXO, .landmine)
        case "vehicle-born ied", "roadside ied", "other explosives", "body-borne ied", "complex attack":
            (.violence, .explosiveAttack, .explosive)
        case "rape/sexual assault": (.violence, .sexualViolence, .bodilyForce)
        case "detention/arrest": (.violence, nil, .unknown)
        default: (.violence, nil, .unknown)
        }
    }

    static func context(_ value: String?) -> IncidentContext {
        switch fold(value) {
        case "ambush": .ambush
        case "combat/crossfire": .combatOrCrossfire
        case "individual attack": .individualAttack
        case "raid": .raid
        case "mob violence": .mobViolence
        case "detention": .detention
        default: .unknown
        }
    }

    static func location(_ value: String?) -> IncidentLocationType {
        switch fold(value) {
        case "road": .road
        case "public location": .publicLocation
        case "project site": .projectSite
        case "home": .home
        case "office/compound": .officeOrCompound
        case "custody": .custody
        default: .unknown
        }
    }

    static func actor(_ value: String?) -> ActorType {
        let folded = fold(value)
        if folded.hasPrefix("non-state armed group") { return .nonStateArmedGroup }
        switch folded {
        case "host state", "state: unknown": return .hostState
        case "police or paramilitary": return .policeOrParamilitary
        case "foreign or coalition forces": return .foreignForces
        case "criminal": return .criminal
        case "aid recipient": return .aidRecipient
        case "staff member": return .staffMember
        case "unaffiliated": return .unaffiliated
        default: return .unknown
        }
    }

    static func motive(_ value: String?) -> IncidentMotive {
        IncidentMotive(rawValue: fold(value)) ?? .unknown
    }

    static func verification(_ value: String?) -> VerificationStatus {
        switch fold(value) {
        case "yes": .verified
        case "archived": .archived
        default: .unverified  // "Pending", blanks and typos
        }
    }
}
