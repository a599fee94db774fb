import Domain
import Foundation

/// Reads ACLED event exports (SECURITY.md §3.4.4): the current lower-case column list and the
/// older upper-case one, in UTF-8 or Windows-1252. ACLED data may not be redistributed, so the
/// tests build small files in its published shape.
public enum ACLEDReader {
    public struct Summary: Sendable, Equatable {
        public var rowsRead = 0
        public var eventsRead = 0
        public var encoding = "UTF-8"
        public var problems: [ImportProblem] = []
    }

    static let requiredColumns = [
        "event_id_cnty", "event_date", "event_type", "sub_event_type", "country", "latitude", "longitude",
    ]

    /// Reads the file as a stream, so a million-row export takes little memory. A file that is
    /// not valid UTF-8 is read as Windows-1252, the encoding of ACLED's older Excel-made exports:
    /// it is first transcoded, chunk by chunk, into a temporary UTF-8 file.
    public static func read(contentsOf url: URL, each: (ContextEvent) async throws -> Void) async throws -> Summary {
        let (utf8URL, encoding, temporary) = try SourceText.utf8File(url)
        defer { if temporary { try? FileManager.default.removeItem(at: utf8URL) } }
        return try await read(try SourceCSV.open(utf8URL), encoding: encoding, each: each)
    }

    public static func read(data: Data, each: (ContextEvent) async throws -> Void) async throws -> Summary {
        var encoding = "UTF-8"
        var text: String
        if let utf8 = String(data: data, encoding: .utf8) {
            text = utf8
        } else if let latin = String(data: data, encoding: .windowsCP1252) {
            text = latin
            encoding = "Windows-1252"
        } else {
            throw SourceFileError("The file is neither UTF-8 nor Windows-1252 text.")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try await read(CSVRows(string: text), encoding: encoding, each: each)
    }

    static func read(_ reader: CSVRows, encoding: String, each: (ContextEvent) async throws -> Void) async throws
        -> Summary
    {
        guard let rawHeader = try SourceCSV.next(reader) else {
            throw SourceFileError("The file is empty: an ACLED export starts with a header row.")
        }
        // A byte-order mark may survive as the first character of the first column's name.
        let originalHeader = rawHeader.enumerated().map {
            $0.offset == 0 && $0.element.hasPrefix("\u{FEFF}") ? String($0.element.dropFirst()) : $0.element
        }
        let header = originalHeader.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw SourceFileError("This is not an ACLED export: the header lacks \(missing.joined(separator: ", ")).")
        }
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
        var summary = Summary(encoding: encoding)
        var rowNumber = 1
        // An export repeats a few dozen type pairs and actor names: map each once (a bounded cache,
        // so a file of made-up names cannot grow it without end).
        var mappings:
            [String: (category: IncidentCategory, subtype: IncidentSubtype?, means: IncidentMeans, excluded: Bool)] =
                [:]
        var actors: [String: ActorType] = [:]
        while let cells = try SourceCSV.next(reader) {
            rowNumber = reader.recordNumber
            if cells.allSatisfy({ $0.trimmedASCIIWhitespace.isEmpty }) { continue }
            summary.rowsRead += 1
            func text(_ column: String) -> String? {
                guard let i = index[column], i < cells.count else { return nil }
                let value = cells[i].trimmedASCIIWhitespace
                return value.isEmpty ? nil : value
            }
            guard let id = text("event_id_cnty") else {
                summary.problems.append(
                    ImportProblem(row: rowNumber, field: "event_id_cnty", severity: .rejected, message: "No event id."))
                continue
            }
            guard let day = parseDate(text("event_date")) else {
                summary.problems.append(
                    ImportProblem(
                        row: rowNumber, field: "event_date", severity: .rejected,
                        message: "No valid date: “\(text("event_date") ?? "")”."))
                continue
            }
            var fatalities: Int?
            if let value = text("fatalities") {
                guard let n = WholeNumber.parse(value) else {
                    summary.problems.append(
                        ImportProblem(
                            row: rowNumber, field: "fatalities", severity: .rejected,
                            message: "“\(value)” is not a count."))
                    continue
                }
                fatalities = n
            }
            let (latitude, longitude) = SourceCoordinates.checked(
                latitude: text("latitude"), longitude: text("longitude"), row: rowNumber, field: "latitude",
                problems: &summary.problems)
            let (eventType, subEventType) = (text("event_type"), text("sub_event_type"))
            let pair = (eventType ?? "") + "\u{1F}" + (subEventType ?? "")
            let mapped = mappings[pair] ?? ACLEDVocabulary.map(eventType: eventType, subEventType: subEventType)
            if mappings.count < 1_000 { mappings[pair] = mapped }
            let inter1 = text("inter1")
            let actorType = actors[inter1 ?? ""] ?? ACLEDVocabulary.actor(inter1)
            if actors.count < 1_000 { actors[inter1 ?? ""] = actorType }
            var original: [String: String] = [:]
            for (i, name) in originalHeader.enumerated() where i < cells.count && !cells[i].isEmpty {
                original[name] = cells[i]
            }
            var event = ContextEvent(
                source: .acled, sourceID: id, occurredOn: day,
                timePrecision: ACLEDVocabulary.timePrecision(text("time_precision")),
                countryCode: text("iso"), countryName: text("country"), admin1: text("admin1"), admin2: text("admin2"),
                admin3: text("admin3"), latitude: latitude, longitude: longitude,
                geoPrecision: ACLEDVocabulary.geoPrecision(text("geo_precision")), category: mapped.category,
                subtype: mapped.subtype,
                means: mapped.means, context: .unknown, locationType: .unknown, actorType: actorType,
                actorName: text("actor1"), motive: .unknown, verification: .unverified, casualties: Casualties(),
                description: text("notes"), original: original)
            event.fatalities = fatalities
            event.excludedFromTrends = mapped.excluded
            try await each(event)
            summary.eventsRead += 1
        }
        return summary
    }

    /// "2024-01-15" (current exports) or "15 January 2024" (older ones).
    static func parseDate(_ text: String?) -> DateComponents? {
        guard let text else { return nil }
        let iso = text.split(separator: "-").compactMap { Int($0) }
        if iso.count == 3 { return SourceDates.day(year: iso[0], month: iso[1], day: iso[2]) }
        let words = text.split(separator: " ")
        let months = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december",
        ]
        if words.count == 3, let day = Int(words[0]), let year = Int(words[2]),
            let month = months.firstIndex(of: words[1].lowercased())
        {
            return SourceDates.day(year: year, month: month + 1, day: day)
        }
        return nil
    }
}

enum ACLEDVocabulary {
    static func map(eventType: String?, subEventType: String?) -> (
        category: IncidentCategory, subtype: IncidentSubtype?, means: IncidentMeans, excluded: Bool
    ) {
        let event = AWSDVocabulary.fold(eventType)
        switch AWSDVocabulary.fold(subEventType) {
        case "armed clash": return (.actOfWar, .crossfire, .firearm, false)
        case "government regains territory", "non-state actor overtakes territory":
            return (.actOfWar, .militaryAggression, .unknown, false)
        case "air/drone strike": return (.actOfWar, .aerialBombardment, .aerialBombardment, false)
        case "shelling/artillery/missile attack": return (.actOfWar, .shelling, .shelling, false)
        case "remote explosive/landmine/ied", "suicide bomb", "grenade":
            return (.violence, .explosiveAttack, .explosive, false)
        case "chemical weapon": return (.actOfWar, .militaryAggression, .unknown, false)
        case "sexual violence": return (.violence, .sexualViolence, .bodilyForce, false)
        case "abduction/forced disappearance": return (.crime, .kidnapping, .unknown, false)
        case "attack": return (.violence, nil, .unknown, false)
        case "mob violence": return (.violence, .bodilyAssault, .bodilyForce, false)
        case "violent demonstration": return (.propertyAttack, .vandalism, .unknown, false)
        case "looting/property destruction":
            return (.propertyAttack, .looting, .unknown, event == "strategic developments")
        case "arrests": return (.violence, nil, .unknown, true)
        default:
            if event == "protests" { return (.harassment, nil, .none, false) }
            if event == "strategic developments" { return (.actOfWar, nil, .unknown, true) }
            return (.violence, nil, .unknown, false)
        }
    }

    /// ACLED: 1 = the day, 2 = the week, 3 = the month.
    static func timePrecision(_ value: String?) -> TimePrecision {
        switch value {
        case "1": .day;
        case "2": .week;
        case "3": .month;
        default: .day
        }
    }

    /// ACLED: 1 = the place, 2 = near it / part of a region, 3 = a larger region.
    static func geoPrecision(_ value: String?) -> GeoPrecision? {
        switch value {
        case "1": .exact;
        case "2": .within25km;
        case "3": .province;
        default: nil
        }
    }

    /// `inter1` as a code (older exports) or a name (current ones).
    static func actor(_ value: String?) -> ActorType {
        switch AWSDVocabulary.fold(value) {
        case "1", "state forces": .hostState
        case "2", "3", "4", "rebel group", "political militia", "identity militia": .nonStateArmedGroup
        case "5", "6", "rioters", "protesters": .communityMembers
        case "7", "civilians": .unaffiliated
        case "8", "external/other forces": .foreignForces
        default: .unknown
        }
    }
}
