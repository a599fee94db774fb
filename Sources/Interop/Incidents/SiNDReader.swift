import Domain
import Foundation

/// Reads Insecurity Insight's Security in Numbers aid-worker JSON ("KIKA": killed, injured,
/// kidnapped, arrested; SECURITY.md §3.4.5). Counts arrive as strings; "Geo Precision" comes with
/// and without a trailing space. SiND gives nationality and sex per harm separately, not crossed:
/// when one nationality holds the whole count, the sexes are placed in it; otherwise the
/// nationalities are kept and the sex is unknown (the split stays in the original values).
public enum SiNDReader {
    public struct Summary: Sendable, Equatable {
        public var rowsRead = 0
        public var eventsRead = 0
        public var problems: [ImportProblem] = []
    }

    public static func read(contentsOf url: URL, each: (ContextEvent) async throws -> Void) async throws -> Summary {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw SourceFileError("Cannot read \(url.lastPathComponent).") }
        return try await read(data: data, each: each)
    }

    public static func read(data: Data, each: (ContextEvent) async throws -> Void) async throws -> Summary {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw SourceFileError("This is not JSON: \(error.localizedDescription)")
        }
        guard let rows = json as? [[String: Any]] else {
            throw SourceFileError("A SiND export is a JSON array of events; this is \(type(of: json)).")
        }
        if let first = rows.first, first["SiND Event ID"] == nil || first["Date"] == nil {
            throw SourceFileError(
                "This is not a SiND aid-worker export: the first event has no “SiND Event ID” or “Date”.")
        }
        var summary = Summary()
        for (offset, row) in rows.enumerated() {
            summary.rowsRead += 1
            var reader = Row(values: row, number: offset + 1)
            if let event = reader.event() {
                try await each(event)
                summary.eventsRead += 1
            }
            summary.problems += reader.problems
        }
        return summary
    }

    struct Row {
        let values: [String: Any]
        let number: Int
        var problems: [ImportProblem] = []

        init(values: [String: Any], number: Int) {
            self.values = values
            self.number = number
        }

        func text(_ key: String) -> String? {
            switch values[key] {
            case let string as String:
                let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed.isEmpty ? nil : trimmed
            case let number as NSNumber: return number.stringValue
            default: return nil
            }
        }

        mutating func count(_ key: String) -> Int? {
            guard let value = text(key) else { return 0 }
            guard let n = WholeNumber.parse(value) else {
                problems.append(
                    ImportProblem(row: number, field: key, severity: .rejected, message: "“\(value)” is not a count."))
                return nil
            }
            return n
        }

        mutating func event() -> ContextEvent? {
            let before = problems.count
            guard let id = text("SiND Event ID") else {
                problems.append(
                    ImportProblem(row: number, field: "SiND Event ID", severity: .rejected, message: "No event id."))
                return nil
            }
            let parts = (text("Date") ?? "").split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, let day = SourceDates.day(year: parts[0], month: parts[1], day: parts[2]) else {
                problems.append(
                    ImportProblem(
                        row: number, field: "Date", severity: .rejected,
                        message: "No valid date: “\(text("Date") ?? "")”."))
                return nil
            }
            var casualties = Casualties()
            for (harm, word) in [
                (Casualties.Harm.killed, "Killed"), (.injured, "Injured"), (.kidnapped, "Kidnapped"),
                (.detained, "Arrested"),
            ] {
                guard let total = count("Aid Workers \(word)"), let national = count("National Aid Workers \(word)"),
                    let international = count("International Aid Workers \(word)"),
                    let female = count("Female Aid Workers \(word)"),
                    let male = count("Male Aid Workers \(word)")
                else { continue }
                guard total > 0 else { continue }
                var nationals = national
                if national + international < total {
                    problems.append(
                        ImportProblem(
                            row: number, field: "Aid Workers \(word)", severity: .warning,
                            message:
                                "\(total - national - international) of \(total) have no nationality; counted as national."
                        ))
                    nationals = total - international
                } else if national + international > total {
                    problems.append(
                        ImportProblem(
                            row: number, field: "Aid Workers \(word)", severity: .warning,
                            message:
                                "National + international (\(national + international)) exceed the total (\(total)); the total is kept."
                        ))
                    nationals = max(0, total - international)
                }
                let internationals = total - nationals
                let sexesFit = female + male <= total
                if sexesFit && (nationals == 0 || internationals == 0) {
                    let nationality: Casualties.Nationality = internationals == 0 ? .national : .international
                    casualties[harm, nationality, .female] = female
                    casualties[harm, nationality, .male] = male
                    casualties[harm, nationality, .unknown] = total - female - male
                } else {
                    casualties[harm, .national, .unknown] = nationals
                    casualties[harm, .international, .unknown] = internationals
                }
            }
            guard !problems[before...].contains(where: { $0.severity == .rejected }) else { return nil }
            let (latitude, longitude) = SourceCoordinates.checked(
                latitude: text("Latitude"), longitude: text("Longitude"), row: number, field: "Latitude",
                problems: &problems)
            let means = SiNDVocabulary.means(text("Weapon Carried/Used"))
            let (category, subtype) = SiNDVocabulary.category(casualties: casualties, means: means)
            var original: [String: String] = [:]
            for key in values.keys { if let value = text(key) { original[key] = value } }
            return ContextEvent(
                source: .sind, sourceID: id, occurredOn: day,
                timePrecision: .day, countryCode: text("Country ISO"), countryName: text("Country"),
                admin1: text("Admin 1"),
                admin2: nil, admin3: nil, latitude: latitude, longitude: longitude,
                geoPrecision: SiNDVocabulary.geoPrecision(text("Geo Precision")), category: category, subtype: subtype,
                means: means,
                context: .unknown, locationType: SiNDVocabulary.location(text("Location of Incident")),
                actorType: SiNDVocabulary.actor(text("Reported Perpetrator")),
                actorName: text("Reported Perpetrator Name"),
                motive: .unknown, verification: .unverified, casualties: casualties,
                description: text("Event Description"),
                original: original)
        }
    }
}

/// SiND's values onto Bearing's vocabularies (compared case-folded, spaces collapsed).
enum SiNDVocabulary {
    static func means(_ value: String?) -> IncidentMeans {
        let v = AWSDVocabulary.fold(value)
        if v.hasPrefix("aerial bomb") { return .aerialBombardment }
        if v.contains("ied") || v.contains("explosive") || v.contains("grenade") { return .explosive }
        switch v {
        case "firearms": return .firearm
        case "knife", "machete": return .bladedWeapon
        case "fist and foot", "unarmed perpetrator": return .bodilyForce
        case "shelling", "missile", "rocket": return .shelling
        case "mine": return .landmine
        case "arson": return .arson
        default: return .unknown
        }
    }

    static func category(casualties: Casualties, means: IncidentMeans) -> (IncidentCategory, IncidentSubtype?) {
        if casualties.total(.kidnapped) > 0 { return (.crime, .kidnapping) }
        switch means {
        case .firearm: return (.violence, .shooting)
        case .aerialBombardment: return (.actOfWar, .aerialBombardment)
        case .shelling: return (.actOfWar, .shelling)
        case .landmine: return (.actOfWar, .landmineUXO)
        case .explosive: return (.violence, .explosiveAttack)
        case .arson: return (.propertyAttack, .arson)
        case .bodilyForce, .bladedWeapon: return (.violence, .bodilyAssault)
        default: return (.violence, casualties.total(.killed) > 0 ? .killing : nil)
        }
    }

    /// "(2) 25 km precision", "(3) District, …", "(4) Province, …", "(5) Linear feature …", "(6) Country".
    static func geoPrecision(_ value: String?) -> GeoPrecision? {
        switch AWSDVocabulary.fold(value).prefix(3) {
        case "(1)": .exact
        case "(2)": .within25km
        case "(3)", "(5)": .district
        case "(4)": .province
        case "(6)": .country
        default: nil
        }
    }

    static func actor(_ value: String?) -> ActorType {
        switch AWSDVocabulary.fold(value) {
        case "nsa": .nonStateArmedGroup
        case "host government: military": .hostState
        case "police": .policeOrParamilitary
        case "criminal": .criminal
        case "foreign forces: military": .foreignForces
        case "civilian": .unaffiliated
        case "camp resident", "community member": .communityMembers
        case "staff worker": .staffMember
        default: .unknown
        }
    }

    static func location(_ value: String?) -> IncidentLocationType {
        switch AWSDVocabulary.fold(value) {
        case "road": .road
        case "home": .home
        case "compound or office building": .officeOrCompound
        case "project site": .projectSite
        case "health building": .healthFacility
        case "open space": .openSpace
        case "idp refugee camp": .camp
        case "checkpoint": .checkpoint
        case "warehouse": .warehouse
        case "airstrip": .airstrip
        case "public building": .publicLocation
        default: .unknown
        }
    }
}
