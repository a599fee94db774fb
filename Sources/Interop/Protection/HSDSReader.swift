import Domain
import Foundation
import ZIPFoundation

/// Open Referral's Human Services Data Specification (MIGRATION.md §1.6, §3.13), read into the
/// directory's one decoder (`ServiceInput`). Every shape the field exchanges is read into the same
/// tables first: the CSV tables of HSDS 3.0 (a folder or a ZIP), the older 1.1 tables (renamed and
/// converted), the "tabular" JSON, and the API's nested JSON (one service, a list, a page).
///
/// Bearing keeps one directory entry per service at a location; an HSDS service delivered at
/// several locations becomes one entry per location, each keeping the HSDS ids, and the export
/// (`HSDSWriter`) groups them back into one service.
public enum HSDSReader {
    /// What one file (or folder) gave.
    public struct Result: Sendable {
        public var entries: [Entry] = []
        public var problems: [Problem] = []
        /// "3.0" or "1.1", as the table names show.
        public var version = "3.0"
    }

    /// One service at one location (or at none), ready for the decoder.
    public struct Entry: Sendable, Equatable {
        public var serviceID: String
        public var organizationID: String
        public var locationID: String?
        public var linkID: String?
        public var input: ServiceInput
        /// Where it came from, for messages: "services.csv row 3".
        public var origin: String
    }

    /// Why a row, or a value of it, was not taken. `skipped` rows are left out; otherwise the row
    /// was taken without the value named.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public let table: String
        /// The row in the file, the header being 1 (in JSON: the item's position from 1).
        public let row: Int
        public let field: String?
        public let reason: String
        public let skipped: Bool
        public var description: String {
            (table.hasSuffix(".csv") ? "\(table) row \(row)" : "\(table) item \(row)") + (field.map { ", \($0)" } ?? "")
                + ": \(reason)"
                + (skipped ? " (row not imported)" : "")
        }
    }

    /// The failures that stop a read before any row is looked at.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case noServices
        case notHSDS(String)

        public var description: String {
            switch self {
            case .unreadable(let why): "The file could not be read: \(why)."
            case .noServices: "No services table (services.csv, or services in the JSON) was found."
            case .notHSDS(let why): "Not an HSDS file: \(why)."
            }
        }
    }

    /// The code of Bearing's own taxonomy, whose terms carry the humanitarian additions as HSDS attributes.
    public static let taxonomyName = "bearing-humanitarian"

    /// A table as rows of named values, with each row's number in its file.
    struct Table {
        var rows: [(number: Int, values: [String: String])] = []
    }

    // MARK: Entry points

    /// A folder of CSV tables, a ZIP of them, or a JSON file.
    public static func read(url: URL) throws -> Result {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw Failure.unreadable("no such file: \(url.lastPathComponent)")
        }
        if isFolder.boolValue {
            var tables: [String: Table] = [:]
            let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            for file in files where file.lowercased().hasSuffix(".csv") {
                tables[normalisedName(file)] = try csvTable(CSVRows(url: url.appendingPathComponent(file)), file)
            }
            return try assemble(tables)
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw Failure.unreadable(url.lastPathComponent) }
        return try read(data: data, name: url.lastPathComponent)
    }

    /// A ZIP of CSV tables, a JSON document, or one CSV table (services alone), told apart by their first bytes.
    /// `maxUnpacked`: what a ZIP's tables may unpack to in all (a directory is small; a few KB of
    /// deflate can claim gigabytes).
    public static func read(data: Data, name: String, maxUnpacked: Int = 200_000_000) throws -> Result {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try readZIP(data, maxUnpacked: maxUnpacked) }
        let first = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) })
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return try readJSON(data) }
        guard let text = String(data: data, encoding: .utf8) else { throw Failure.unreadable("not UTF-8 text") }
        return try assemble(["services": try csvTable(CSVRows(string: text), name)])
    }

    static func readZIP(_ data: Data, maxUnpacked: Int) throws -> Result {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw Failure.unreadable("not a readable ZIP archive")
        }
        var tables: [String: Table] = [:]
        let tooLarge = Failure.unreadable("its tables unpack to more than \(maxUnpacked / 1_000_000) MB")
        let limit = UInt64(maxUnpacked)
        // Refused before any is read when the sizes it declares add up to too much.
        let csvEntries = archive.filter { $0.type == .file && $0.path.lowercased().hasSuffix(".csv") }
        guard csvEntries.reduce(UInt64(0), { min($0 + min($1.uncompressedSize, limit + 1), limit + 1) }) <= limit else {
            throw tooLarge
        }
        var unpacked = 0
        for entry in csvEntries {
            var bytes = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    // The sizes in the ZIP's directory are the sender's word: the bytes are counted too.
                    unpacked += chunk.count
                    guard unpacked <= maxUnpacked else { throw tooLarge }
                    bytes.append(chunk)
                }
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure.unreadable("\(entry.path) could not be unpacked")
            }
            guard let text = String(data: bytes, encoding: .utf8) else {
                throw Failure.unreadable("\(entry.path) is not UTF-8 text")
            }
            let file = (entry.path as NSString).lastPathComponent
            tables[normalisedName(file)] = try csvTable(CSVRows(string: text), file)
        }
        return try assemble(tables)
    }

    /// "services_at_location.csv" → "service_at_location" (1.1's names to 3.0's), lower case, no extension.
    static func normalisedName(_ file: String) -> String {
        let base = file.lowercased().replacingOccurrences(of: ".csv", with: "")
        return ["services_at_location": "service_at_location", "physical_addresses": "addresses"][base] ?? base
    }

    static func csvTable(_ rows: CSVRows, _ file: String) throws -> Table {
        var table = Table()
        do {
            guard let header = try rows.next()?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
                return table
            }
            while let cells = try rows.next() {
                if cells.allSatisfy({ $0.isEmpty }) { continue }
                var values: [String: String] = [:]
                for (name, cell) in zip(header, cells) where !cell.isEmpty { values[name] = cell }
                table.rows.append((rows.recordNumber, values))
            }
        } catch CSVRows.Failure.notUTF8(let row) {
            throw Failure.unreadable("\(file) row \(row) is not UTF-8")
        }
        return table
    }

    // MARK: JSON

    static func readJSON(_ data: Data) throws -> Result {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw Failure.unreadable("not valid JSON")
        }
        var tables: [String: Table] = [:]
        if let dictionary = object as? [String: Any], dictionary.keys.contains(where: { $0.hasSuffix(".csv") }) {
            // The "tabular" shape: every table as an array, keyed by its CSV file's name.
            for (file, value) in dictionary {
                guard let rows = value as? [[String: Any]] else { continue }
                var table = Table()
                for (n, row) in rows.enumerated() { table.rows.append((n + 1, flat(row))) }
                tables[normalisedName(file)] = table
            }
            return try assemble(tables, csv: false)
        }
        let services: [[String: Any]]
        if let dictionary = object as? [String: Any], let contents = dictionary["contents"] as? [[String: Any]] {
            services = contents
        } else if let dictionary = object as? [String: Any], dictionary["name"] != nil {
            services = [dictionary]
        } else if let array = object as? [[String: Any]] {
            services = array
        } else {
            throw Failure.notHSDS("expected a service, a list of services, a page with 'contents', or tabular JSON")
        }
        func add(_ name: String, _ row: [String: Any], _ extra: [String: String] = [:]) {
            var values = flat(row)
            for (key, value) in extra where values[key] == nil { values[key] = value }
            // Nested JSON repeats a row (an organization under each of its services, a schedule under
            // the service and its location): once is enough.
            if let id = values["id"],
                tables[name]?.rows.contains(where: { $0.values["id"] == id }) == true
            {
                return
            }
            tables[name, default: Table()].rows.append(((tables[name]?.rows.count ?? 0) + 1, values))
        }
        for service in services {
            let serviceID = string(service["id"]) ?? UUID().uuidString
            var serviceExtra: [String: String] = [:]
            if let organization = service["organization"] as? [String: Any] {
                add("organizations", organization)
                serviceExtra["organization_id"] = string(organization["id"])
            }
            add("services", service, serviceExtra)
            for phone in service["phones"] as? [[String: Any]] ?? [] { add("phones", phone, ["service_id": serviceID]) }
            for schedule in service["schedules"] as? [[String: Any]] ?? [] {
                add("schedules", schedule, ["service_id": serviceID])
            }
            for language in service["languages"] as? [[String: Any]] ?? [] {
                add("languages", language, ["service_id": serviceID])
            }
            for attribute in service["attributes"] as? [[String: Any]] ?? [] {
                if let term = attribute["taxonomy_term"] as? [String: Any] { add("taxonomy_terms", term) }
                add("attributes", attribute, ["link_id": serviceID, "link_type": "service"])
            }
            for link in service["service_at_locations"] as? [[String: Any]] ?? [] {
                let linkID = string(link["id"]) ?? UUID().uuidString
                var linkExtra = ["service_id": serviceID, "id": linkID]
                if let location = link["location"] as? [String: Any] {
                    let locationID = string(location["id"]) ?? UUID().uuidString
                    linkExtra["location_id"] = locationID
                    add("locations", location, ["id": locationID])
                    for address in location["addresses"] as? [[String: Any]] ?? [] {
                        add("addresses", address, ["location_id": locationID])
                    }
                }
                add("service_at_location", link, linkExtra)
                for phone in link["phones"] as? [[String: Any]] ?? [] {
                    add("phones", phone, ["service_at_location_id": linkID])
                }
                for schedule in link["schedules"] as? [[String: Any]] ?? [] {
                    add("schedules", schedule, ["service_at_location_id": linkID])
                }
            }
        }
        return try assemble(tables, csv: false)
    }

    /// A JSON object's scalar values as text; nested objects and arrays are left to the caller.
    static func flat(_ row: [String: Any]) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in row { if let text = string(value), !text.isEmpty { values[key.lowercased()] = text } }
        return values
    }

    static func string(_ value: Any?) -> String? {
        guard let value, !(value is [Any]), !(value is [String: Any]) else { return nil }
        return JSONValue(foundation: value).stringValue
    }

    // MARK: Assembly

    /// Joins the tables into entries, checking each foreign key the directory relies on.
    static func assemble(_ tables: [String: Table], csv: Bool = true) throws -> Result {
        guard let services = tables["services"], !services.rows.isEmpty || tables.keys.contains("services") else {
            throw Failure.noServices
        }
        var result = Result()
        result.version =
            tables["regular_schedules"] != nil
                || tables["service_at_location"] == nil
                    && tables["services_taxonomy"] != nil
            ? "1.1" : "3.0"
        func problem(_ table: String, _ row: Int, _ field: String?, _ reason: String, skipped: Bool) {
            let name = csv ? table : table.replacingOccurrences(of: ".csv", with: "")
            result.problems.append(Problem(table: name, row: row, field: field, reason: reason, skipped: skipped))
        }
        func index(_ name: String) -> [String: [String: String]] {
            var byID: [String: [String: String]] = [:]
            for row in tables[name]?.rows ?? [] {
                guard let id = row.values["id"] else {
                    problem("\(name).csv", row.number, "id", "no id", skipped: true)
                    continue
                }
                if byID[id] != nil {
                    problem("\(name).csv", row.number, "id", "the id \(id) is given twice", skipped: true)
                    continue
                }
                byID[id] = row.values
            }
            return byID
        }
        let organizations = index("organizations")
        let locations = index("locations")
        var serviceRows: [String: (number: Int, values: [String: String])] = [:]
        for row in services.rows {
            guard let id = row.values["id"] else {
                problem("services.csv", row.number, "id", "no id", skipped: true)
                continue
            }
            guard serviceRows[id] == nil else {
                problem("services.csv", row.number, "id", "the id \(id) is given twice", skipped: true)
                continue
            }
            guard let organization = row.values["organization_id"] else {
                problem("services.csv", row.number, "organization_id", "no organization", skipped: true)
                continue
            }
            guard organizations[organization] != nil else {
                problem(
                    "services.csv", row.number, "organization_id",
                    "the organization \(organization) is in no row of organizations.csv", skipped: true)
                continue
            }
            serviceRows[id] = row
        }
        for row in tables["locations"]?.rows ?? [] {
            if let organization = row.values["organization_id"], organizations[organization] == nil {
                problem(
                    "locations.csv", row.number, "organization_id",
                    "the organization \(organization) is in no row of organizations.csv; the location is kept",
                    skipped: false)
            }
        }
        // service_at_location: each link must name a service and a location that exist.
        var links: [String: [(id: String, location: String, number: Int)]] = [:]
        var linkServices: [String: String] = [:]
        var linkLocations: [String: String] = [:]
        for row in tables["service_at_location"]?.rows ?? [] {
            let id = row.values["id"] ?? UUID().uuidString
            guard let service = row.values["service_id"], serviceRows[service] != nil else {
                problem(
                    "service_at_location.csv", row.number, "service_id",
                    "the service \(row.values["service_id"] ?? "(none)") is in no row of services.csv", skipped: true)
                continue
            }
            guard let location = row.values["location_id"], locations[location] != nil else {
                problem(
                    "service_at_location.csv", row.number, "location_id",
                    "the location \(row.values["location_id"] ?? "(none)") is in no row of locations.csv",
                    skipped: true)
                continue
            }
            links[service, default: []].append((id, location, row.number))
            linkServices[id] = service
            linkLocations[id] = location
        }
        // Rows that belong to a service, directly or through one of its links or its location.
        func owners(_ table: String, _ row: (number: Int, values: [String: String])) -> (
            services: Set<String>, links: Set<String>
        )? {
            let values = row.values
            if let link = values["service_at_location_id"] {
                guard let service = linkServices[link] else {
                    problem(
                        "\(table).csv", row.number, "service_at_location_id",
                        "the service at location \(link) is in no row of service_at_location.csv", skipped: true)
                    return nil
                }
                return ([], [link])
            }
            if let service = values["service_id"] {
                guard serviceRows[service] != nil else {
                    problem(
                        "\(table).csv", row.number, "service_id",
                        "the service \(service) is in no row of services.csv", skipped: true)
                    return nil
                }
                return ([service], [])
            }
            if let location = values["location_id"] {
                guard locations[location] != nil else {
                    problem(
                        "\(table).csv", row.number, "location_id",
                        "the location \(location) is in no row of locations.csv", skipped: true)
                    return nil
                }
                return ([], Set(linkLocations.filter { $0.value == location }.map(\.key)))
            }
            if let organization = values["organization_id"] {
                guard organizations[organization] != nil else {
                    problem(
                        "\(table).csv", row.number, "organization_id",
                        "the organization \(organization) is in no row of organizations.csv", skipped: true)
                    return nil
                }
                // An organization's phone reaches each of its services.
                return (Set(serviceRows.filter { $0.value.values["organization_id"] == organization }.map(\.key)), [])
            }
            problem("\(table).csv", row.number, nil, "belongs to no service, location or organization", skipped: true)
            return nil
        }
        // Per service (all its locations) and per link (that location only).
        var phones: [String: [String]] = [:]
        var hours: [String: [String]] = [:]
        var notes: [String: [String]] = [:]
        var languages: [String: [String]] = [:]
        func add(
            _ lines: inout [String: [String]], _ owner: (services: Set<String>, links: Set<String>), _ line: String
        ) {
            for service in owner.services { lines[service, default: []].append(line) }
            for link in owner.links { lines["link:" + link, default: []].append(line) }
        }
        for row in tables["phones"]?.rows ?? [] {
            guard let owner = owners("phones", row) else { continue }
            guard var number = row.values["number"] else {
                problem("phones.csv", row.number, "number", "no number", skipped: true)
                continue
            }
            // A quoted number ("\"+44 …\"", as in HSDS 3.0's own example) is read without its quotes.
            number = number.trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
            let kind = row.values["type"].map { $0.lowercased() }
            var line = number
            if let kind, PhoneKind(rawValue: kind) != nil { line += ", " + kind } else { line += ", voice" }
            if let note = row.values["description"]?.replacingOccurrences(of: "\n", with: " ") {
                line += ", " + note
            }
            if case .failure(let failure) = ServicePhone.parse(line) {
                problem("phones.csv", row.number, "number", failure.reason, skipped: true)
                continue
            }
            add(&phones, owner, line)
        }
        for row in (tables["schedules"]?.rows ?? []) + (tables["regular_schedules"]?.rows ?? []) {
            let table = tables["regular_schedules"] != nil ? "regular_schedules" : "schedules"
            guard let owner = owners(table, row) else { continue }
            var days: [String] = []
            if let weekday = row.values["weekday"] {
                guard let number = WholeNumber.parse(weekday), let day = Weekday(number: number) else {
                    problem(
                        "\(table).csv", row.number, "weekday", "not a weekday from 1 to 7: \(weekday)", skipped: true)
                    continue
                }
                days = [day.rawValue]
            } else if let byday = row.values["byday"] {
                days = byday.uppercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            if let opens = row.values["opens_at"], let closes = row.values["closes_at"], !days.isEmpty {
                let line = days.joined(separator: ",") + " " + opens + "-" + closes
                if case .failure(let failure) = ServiceHours.parse(line) {
                    problem("\(table).csv", row.number, "opens_at", failure.reason, skipped: false)
                } else {
                    add(&hours, owner, line)
                }
            }
            if let description = row.values["description"] { add(&notes, owner, description) }
        }
        for row in tables["languages"]?.rows ?? [] {
            // A phone's language says what is spoken on that line: the service speaks it too.
            var row = row
            if row.values["service_id"] == nil, row.values["location_id"] == nil, row.values["phone_id"] != nil {
                continue
            }
            row.values["phone_id"] = nil
            guard let owner = owners("languages", row) else { continue }
            guard let language = row.values["code"] ?? row.values["name"] ?? row.values["language"] else {
                problem("languages.csv", row.number, "name", "no language", skipped: true)
                continue
            }
            add(&languages, owner, language)
        }
        var eligibility: [String: [String]] = [:]
        for row in tables["eligibility"]?.rows ?? [] {
            guard let owner = owners("eligibility", row), let text = row.values["eligibility"] else { continue }
            add(&eligibility, owner, text)
        }
        var addresses: [String: String] = [:]
        for row in tables["addresses"]?.rows ?? [] {
            guard let location = row.values["location_id"], locations[location] != nil else {
                problem(
                    "addresses.csv", row.number, "location_id",
                    "the location \(row.values["location_id"] ?? "(none)") is in no row of locations.csv",
                    skipped: true)
                continue
            }
            let parts = [
                "address_1", "address_2", "address_3", "address_4", "city", "region", "state_province",
                "postal_code", "country",
            ].compactMap { row.values[$0] }
            if addresses[location] == nil, !parts.isEmpty { addresses[location] = parts.joined(separator: ", ") }
        }
        let extensions = humanitarianAttributes(tables, problem: problem)

        for row in services.rows {
            guard let serviceID = row.values["id"], let service = serviceRows[serviceID], service.number == row.number
            else { continue }
            let values = service.values
            let organizationID = values["organization_id"] ?? ""
            var input = ServiceInput()
            input.organization = organizations[organizationID]?["name"] ?? ""
            input.name = values["name"] ?? ""
            input.description = values["description"] ?? ""
            input.status = values["status"] ?? ServiceStatus.active.rawValue
            input.url = values["url"] ?? ""
            input.email = values["email"] ?? ""
            input.eligibility = ([values["eligibility_description"]].compactMap { $0 } + (eligibility[serviceID] ?? []))
                .joined(separator: "; ")
            input.minimumAge = values["minimum_age"] ?? ""
            input.maximumAge = values["maximum_age"] ?? ""
            input.fees = values["fees_description"] ?? ""
            input.lastVerifiedOn = values["assured_date"].map { String($0.prefix(10)) } ?? ""
            input.verifiedBy = values["assurer_email"] ?? ""
            // HSDS has no "accepts referrals" or "consent": unless Bearing's attributes say so, a
            // service from elsewhere is not a referral destination and asks for consent.
            input.acceptsReferrals = "no"
            input.consentRequired = "yes"
            if let own = extensions[serviceID] {
                if let value = own["accepts_referrals"]?.first { input.acceptsReferrals = value }
                if let value = own["consent_required"]?.first { input.consentRequired = value }
                input.populationTypes = own["population_type"] ?? []
                input.sectors = own["sector"] ?? []
                input.referralFocalPoint = own["referral_focal_point"]?.first ?? ""
            }
            let places = links[serviceID] ?? []
            let origin = csv ? "services.csv row \(service.number)" : "services item \(service.number)"
            func entry(link: (id: String, location: String, number: Int)?) -> Entry {
                var input = input
                let key = link.map { "link:" + $0.id }
                input.phones = (phones[serviceID] ?? []) + (key.flatMap { phones[$0] } ?? [])
                input.hours = (hours[serviceID] ?? []) + (key.flatMap { hours[$0] } ?? [])
                input.hoursNote = Array(Set((notes[serviceID] ?? []) + (key.flatMap { notes[$0] } ?? []))).sorted()
                    .joined(separator: " ")
                input.languages = (languages[serviceID] ?? []) + (key.flatMap { languages[$0] } ?? [])
                if let link, let location = locations[link.location] {
                    input.locationName = location["name"] ?? location["alternate_name"] ?? "Location \(link.location)"
                    input.address = addresses[link.location] ?? ""
                    if let lat = location["latitude"], let lon = location["longitude"] {
                        if let y = DecimalText.double(lat), let x = DecimalText.double(lon), (-90...90).contains(y),
                            (-180...180).contains(x)
                        {
                            input.latitude = lat
                            input.longitude = lon
                        } else {
                            let row = tables["locations"]?.rows.first { $0.values["id"] == link.location }?.number ?? 0
                            problem(
                                "locations.csv", row, "latitude",
                                "the point (\(lat), \(lon)) is not a latitude and longitude in degrees; the location is kept without it",
                                skipped: false)
                        }
                    }
                }
                return Entry(
                    serviceID: serviceID, organizationID: organizationID, locationID: link?.location, linkID: link?.id,
                    input: input, origin: origin)
            }
            if places.isEmpty {
                result.entries.append(entry(link: nil))
            } else {
                for link in places { result.entries.append(entry(link: link)) }
            }
        }
        // A location row reported once, however many services it serves.
        result.problems = result.problems.reduce(into: []) { kept, problem in
            if !kept.contains(problem) { kept.append(problem) }
        }
        return result
    }

    /// Bearing's own attributes (accepts referrals, consent, population types, sectors, focal point),
    /// by service id. Attributes of other taxonomies are left alone.
    static func humanitarianAttributes(
        _ tables: [String: Table], problem: (String, Int, String?, String, Bool) -> Void
    ) -> [String: [String: [String]]] {
        var codes: [String: String] = [:]
        for row in tables["taxonomy_terms"]?.rows ?? [] {
            guard let id = row.values["id"], let code = row.values["code"] else { continue }
            let taxonomy = row.values["taxonomy"] ?? row.values["taxonomy_id"] ?? ""
            if taxonomy == taxonomyName || HSDSWriter.termCodes.contains(code) { codes[id] = code }
        }
        var found: [String: [String: [String]]] = [:]
        for row in tables["attributes"]?.rows ?? [] {
            guard let term = row.values["taxonomy_term_id"], let code = codes[term] else { continue }
            guard let service = row.values["link_id"], let value = row.values["value"] else {
                problem(
                    "attributes.csv", row.number, "value", "an attribute of \(code) without a service or a value", false
                )
                continue
            }
            found[service, default: [:]][code, default: []].append(value)
        }
        return found
    }
}
