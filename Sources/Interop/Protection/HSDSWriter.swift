import Domain
import Foundation
import ZIPFoundation

/// The directory written as Open Referral HSDS 3.0: the CSV tables (in a ZIP, or one by one) and
/// the API's nested JSON (a page of full services). Entries that share an HSDS service id are
/// grouped back into one service delivered at each of their locations. The humanitarian additions
/// travel as `attributes` of Bearing's own taxonomy (`HSDSReader.taxonomyName`), which the reader
/// takes back.
public enum HSDSWriter {
    /// One directory entry as stored.
    public struct Entry: Sendable {
        public var serviceID: String
        public var organizationID: String
        public var locationID: String?
        public var linkID: String?
        public var draft: ServiceDraft
        public var lastModified: Date

        public init(
            serviceID: String, organizationID: String, locationID: String?, linkID: String?, draft: ServiceDraft,
            lastModified: Date
        ) {
            self.serviceID = serviceID
            self.organizationID = organizationID
            self.locationID = locationID
            self.linkID = linkID
            self.draft = draft
            self.lastModified = lastModified
        }
    }

    /// A table: its file name, header and rows.
    public struct Table: Sendable, Equatable {
        public var name: String
        public var header: [String]
        public var rows: [[String]] = []
    }

    /// The codes of Bearing's taxonomy terms.
    static let termCodes: Set<String> = [
        "accepts_referrals", "consent_required", "population_type", "sector", "referral_focal_point",
    ]

    static func id(_ parts: String...) -> String {
        Hex.uuid(named: parts.joined(separator: "/")).uuidString.lowercased()
    }

    /// Every table, in HSDS 3.0's names and columns (the ones Bearing fills).
    public static func tables(_ entries: [Entry]) -> [Table] {
        var organizations = Table(name: "organizations", header: ["id", "name", "description", "email", "website"])
        var services = Table(
            name: "services",
            header: [
                "id", "organization_id", "name", "description", "url", "email", "status", "fees_description",
                "eligibility_description", "minimum_age", "maximum_age", "assured_date", "assurer_email",
                "last_modified",
            ])
        var locations = Table(
            name: "locations", header: ["id", "location_type", "organization_id", "name", "latitude", "longitude"])
        var addresses = Table(
            name: "addresses",
            header: [
                "id", "location_id", "address_1", "city", "state_province", "postal_code", "country", "address_type",
            ])
        var links = Table(name: "service_at_location", header: ["id", "service_id", "location_id", "description"])
        var phones = Table(
            name: "phones", header: ["id", "service_id", "service_at_location_id", "number", "type", "description"])
        var schedules = Table(
            name: "schedules",
            header: [
                "id", "service_id", "service_at_location_id", "freq", "byday", "opens_at", "closes_at", "description",
            ])
        var languages = Table(name: "languages", header: ["id", "service_id", "name", "code"])
        var taxonomies = Table(name: "taxonomies", header: ["id", "name", "description", "uri", "version"])
        var terms = Table(
            name: "taxonomy_terms", header: ["id", "code", "name", "description", "taxonomy", "taxonomy_id"])
        var attributes = Table(
            name: "attributes", header: ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"])

        let taxonomyID = id("taxonomy", HSDSReader.taxonomyName)
        taxonomies.rows.append([
            taxonomyID, HSDSReader.taxonomyName,
            "Humanitarian additions to HSDS kept by Bearing: whether a service accepts referrals and asks for consent, the population types and IFRC sectors it serves, and its referral focal point.",
            "", "1",
        ])
        for code in termCodes.sorted() {
            terms.rows.append([
                id("term", code), code, code.replacingOccurrences(of: "_", with: " "), "", HSDSReader.taxonomyName,
                taxonomyID,
            ])
        }

        var seenOrganizations = Set<String>()
        var seenLocations = Set<String>()
        let grouped = Dictionary(grouping: entries, by: \.serviceID)
        var order: [String] = []
        for entry in entries where !order.contains(entry.serviceID) { order.append(entry.serviceID) }
        for serviceID in order {
            let group = grouped[serviceID] ?? []
            guard let first = group.first else { continue }
            let draft = first.draft
            if seenOrganizations.insert(first.organizationID).inserted {
                organizations.rows.append([first.organizationID, draft.organization, "", "", ""])
            }
            services.rows.append([
                serviceID, first.organizationID, draft.name, draft.description ?? "", draft.url ?? "",
                draft.email ?? "",
                draft.status.rawValue, draft.fees ?? "", draft.eligibility ?? "",
                draft.minimumAge.map(String.init) ?? "",
                draft.maximumAge.map(String.init) ?? "", draft.lastVerifiedOn.map(DateText.day) ?? "",
                draft.verifiedBy ?? "",
                ISO8601DateFormatter().string(from: group.map(\.lastModified).max() ?? first.lastModified),
            ])
            for language in draft.languages {
                let code = language.count <= 3 && language.allSatisfy(\.isLetter) ? language.lowercased() : ""
                languages.rows.append([
                    id(serviceID, "language", language), serviceID, code.isEmpty ? language : "", code,
                ])
            }
            func attribute(_ code: String, _ value: String) {
                attributes.rows.append([
                    id(serviceID, "attribute", code, value), serviceID, id("term", code), "service", "service", value,
                ])
            }
            attribute("accepts_referrals", draft.acceptsReferrals ? "yes" : "no")
            attribute("consent_required", draft.consentRequired ? "yes" : "no")
            for type in draft.populationTypes { attribute("population_type", type.rawValue) }
            for sector in draft.sectors { attribute("sector", sector.rawValue) }
            if let focal = draft.referralFocalPoint { attribute("referral_focal_point", focal) }
            // One location: its phones and hours are the service's. Several: each location's own.
            let perLocation = group.count > 1
            for entry in group {
                let linkID = entry.linkID ?? (entry.locationID.map { id(serviceID, "at", $0) })
                if let location = entry.draft.location {
                    let locationID = entry.locationID ?? id(serviceID, "location")
                    if seenLocations.insert(locationID).inserted {
                        locations.rows.append([
                            locationID, "physical", entry.organizationID, location.name,
                            location.latitude.map { DecimalText.fixed($0, digits: 6) } ?? "",
                            location.longitude.map { DecimalText.fixed($0, digits: 6) } ?? "",
                        ])
                        if let address = location.address {
                            addresses.rows.append([
                                id(locationID, "address"), locationID, address, "", "", "", "", "physical",
                            ])
                        }
                    }
                    links.rows.append([linkID ?? id(serviceID, "at", locationID), serviceID, locationID, ""])
                }
                guard perLocation || entry.serviceID == first.serviceID && entry.linkID == first.linkID else {
                    continue
                }
                let owner = perLocation ? ("", linkID ?? "") : (serviceID, "")
                for (n, phone) in entry.draft.phones.enumerated() {
                    phones.rows.append([
                        id(serviceID, linkID ?? "", "phone", String(n)), owner.0, owner.1, phone.number,
                        phone.kind.rawValue,
                        phone.note ?? "",
                    ])
                }
                for (n, slot) in entry.draft.hours.enumerated() {
                    schedules.rows.append([
                        id(serviceID, linkID ?? "", "schedule", String(n)), owner.0, owner.1, "WEEKLY",
                        slot.days.map(\.rawValue).joined(separator: ","), slot.opensAt + ":00", slot.closesAt + ":00",
                        n == 0 ? entry.draft.hoursNote ?? "" : "",
                    ])
                }
                if entry.draft.hours.isEmpty, let note = entry.draft.hoursNote {
                    schedules.rows.append([
                        id(serviceID, linkID ?? "", "schedule", "note"), owner.0, owner.1, "", "", "", "", note,
                    ])
                }
            }
        }
        return [
            organizations, services, locations, addresses, links, phones, schedules, languages, taxonomies, terms,
            attributes,
        ]
    }

    /// One table as CSV (RFC 4180, CRLF). A value a spreadsheet would run as a formula is defused,
    /// except a phone number (digits and + ( ) - . / only), which cannot call anything.
    public static func csv(_ table: Table) -> String {
        var out = FlowExchange.line(table.header)
        for row in table.rows {
            var line = ""
            for (n, cell) in row.enumerated() {
                if n > 0 { line += "," }
                let safe = cell.range(of: #"^\+?[0-9 ()\-./]+$"#, options: .regularExpression) != nil
                IncidentExchange.appendQuoted(safe ? cell : IncidentExchange.defused(cell), to: &line, defuse: false)
            }
            out += line + "\r\n"
        }
        return out
    }

    /// Every table as a CSV file in one ZIP.
    public static func zip(_ entries: [Entry]) throws -> Data {
        let archive: Archive
        do { archive = try Archive(data: Data(), accessMode: .create) } catch {
            throw HSDSReader.Failure.unreadable("the ZIP archive could not be made")
        }
        for table in tables(entries) {
            let bytes = Data(csv(table).utf8)
            try archive.addEntry(
                with: table.name + ".csv", type: .file, uncompressedSize: Int64(bytes.count),
                compressionMethod: .deflate,
                provider: { position, size in bytes.subdata(in: Int(position)..<Int(position) + size) })
        }
        return archive.data ?? Data()
    }

    /// The API's shape: a page of full services (`contents`), each with its organization, phones,
    /// schedules, languages, attributes and locations nested.
    public static func json(_ entries: [Entry]) throws -> Data {
        let all = tables(entries)
        func rows(_ name: String) -> [[String: String]] {
            guard let table = all.first(where: { $0.name == name }) else { return [] }
            return table.rows.map { row in
                var object: [String: String] = [:]
                for (key, value) in Swift.zip(table.header, row) where !value.isEmpty { object[key] = value }
                return object
            }
        }
        let organizations = Dictionary(
            rows("organizations").map { ($0["id"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let locations = Dictionary(rows("locations").map { ($0["id"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let addresses = Dictionary(grouping: rows("addresses"), by: { $0["location_id"] ?? "" })
        let terms = Dictionary(rows("taxonomy_terms").map { ($0["id"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let phones = rows("phones")
        let schedules = rows("schedules")
        let languages = rows("languages")
        let attributes = rows("attributes")
        let links = rows("service_at_location")
        func scrub(_ row: [String: String], _ keys: String...) -> [String: Any] {
            var out: [String: Any] = row
            for key in keys { out[key] = nil }
            return out
        }
        var contents: [[String: Any]] = []
        for service in rows("services") {
            let id = service["id"] ?? ""
            var object: [String: Any] = scrub(service, "organization_id")
            for key in ["minimum_age", "maximum_age"] {
                if let age = service[key].flatMap({ Int($0) }) { object[key] = age }
            }
            object["organization"] = organizations[service["organization_id"] ?? ""] ?? [:]
            object["phones"] = phones.filter { $0["service_id"] == id }.map { scrub($0, "service_id") }
            object["schedules"] = schedules.filter { $0["service_id"] == id }.map { scrub($0, "service_id") }
            object["languages"] = languages.filter { $0["service_id"] == id }.map { scrub($0, "service_id") }
            object["attributes"] = attributes.filter { $0["link_id"] == id }.map { row -> [String: Any] in
                var out = scrub(row, "link_id")
                out["taxonomy_term"] = terms[row["taxonomy_term_id"] ?? ""] ?? [:]
                return out
            }
            object["service_at_locations"] = links.filter { $0["service_id"] == id }.map { link -> [String: Any] in
                let linkID = link["id"] ?? ""
                var out = scrub(link, "service_id", "location_id")
                var location: [String: Any] = locations[link["location_id"] ?? ""] ?? [:]
                for key in ["latitude", "longitude"] {
                    if let value = (location[key] as? String).flatMap(Double.init) { location[key] = value }
                }
                location["addresses"] = (addresses[link["location_id"] ?? ""] ?? []).map { scrub($0, "location_id") }
                out["location"] = location
                out["phones"] = phones.filter { $0["service_at_location_id"] == linkID }.map {
                    scrub($0, "service_at_location_id")
                }
                out["schedules"] = schedules.filter { $0["service_at_location_id"] == linkID }.map {
                    scrub($0, "service_at_location_id")
                }
                return out
            }
            contents.append(object)
        }
        let page: [String: Any] = [
            "total_items": contents.count, "total_pages": 1, "page_number": 1, "size": contents.count,
            "first_page": true, "last_page": true, "empty": contents.isEmpty, "contents": contents,
        ]
        return try JSONSerialization.data(withJSONObject: page, options: [.sortedKeys, .prettyPrinted])
    }
}
