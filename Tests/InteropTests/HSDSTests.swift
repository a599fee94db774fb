import Domain
import Foundation
import Interop
import TestFiles
import Testing

/// Open Referral HSDS read and written, on Open Referral's own examples (shared/data/hsds).
@Suite("HSDS service directories", .enabled(if: SharedDataFolder.url != nil, "shared/data not found"))
struct HSDSTests {
    static func hsds(_ path: String) -> URL { SharedDataFolder.url!.appendingPathComponent("hsds/" + path) }

    @Test("HSDS 3.0 tables: the service with its organization, place, phone, hours and languages; broken keys named")
    func version3() throws {
        let read = try HSDSReader.read(url: Self.hsds("v3.0/csv"))
        #expect(read.version == "3.0")
        let entry = try #require(read.entries.first)
        #expect(read.entries.count == 1)
        #expect(entry.serviceID == "ac148810-d857-441c-9679-408f346de14b")
        #expect(entry.linkID == "e94c9f38-1e8f-4564-91d4-d53501ab1765")
        #expect(entry.input.organization == "Example Organization Inc.")
        #expect(entry.input.name == "Community Counselling")
        #expect(entry.input.locationName == "MyCity Civic Center")
        #expect(entry.input.address.hasPrefix("1-30 Main Street"))
        // The example's number is wrapped in quote characters; the number itself is kept.
        #expect(entry.input.phones.first?.hasPrefix("+44 1234 234567, voice") == true)
        #expect(entry.input.hours == ["TH,FR 10:00:00-18:00:00"])
        #expect(entry.input.phones.count == 1)
        #expect(entry.input.languages == ["ur"])
        #expect(entry.input.minimumAge == "12")
        #expect(entry.input.lastVerifiedOn == "2005-01-01")
        // HSDS says nothing of referrals or consent: not a referral destination, consent asked.
        #expect(entry.input.acceptsReferrals == "no")
        #expect(entry.input.consentRequired == "yes")
        let draft = try entry.input.decoded()
        #expect(draft.hours == [ServiceHours(days: [.thursday, .friday], opensAt: "10:00", closesAt: "18:00")])
        // Latitude 100 is no latitude: the place is kept without its point, and the file says so.
        #expect(draft.location?.latitude == nil)
        let problems = read.problems.map(\.description)
        #expect(problems.contains { $0.hasPrefix("locations.csv row 2, latitude:") && $0.contains("(100, 101)") })
        #expect(
            problems.contains {
                $0.hasPrefix("locations.csv row 2, organization_id:")
                    && $0.contains("985e4a42-bd9f-4edc-911d-0243a4640aca is in no row of organizations.csv")
            })
        #expect(read.problems.allSatisfy { !$0.skipped })
    }

    @Test("HSDS 1.1 sample: renamed tables, weekday numbers, phones of an organization reach its services")
    func version11() throws {
        let read = try HSDSReader.read(url: Self.hsds("v1.1-sample"))
        #expect(read.version == "1.1")
        #expect(read.entries.count == 13)
        #expect(Set(read.entries.map(\.serviceID)).count == 13)
        let helpline = try #require(read.entries.first { $0.input.name == "Never Homeless Helpline" })
        #expect(helpline.input.organization == "Sanctuary Example City")
        #expect(helpline.input.hours.count >= 3)
        let days = try helpline.input.decoded().hours.flatMap(\.days)
        #expect(days.contains(.monday) && days.contains(.wednesday))
        #expect(helpline.input.eligibility.contains("adult"))
        #expect(helpline.input.languages.contains("English"))
        // The Cross Trust's two phones are the organization's: its services list them.
        let cross = read.entries.filter { $0.input.organization.contains("Cross") }
        #expect(!cross.isEmpty)
        #expect(cross.allSatisfy { $0.input.phones.contains { $0.hasPrefix("(223) 346 12361, textphone") } })
        // Every entry passes the one decoder.
        for entry in read.entries { _ = try entry.input.decoded() }
        // Three services are inactive in the sample, and stay so.
        #expect(read.entries.filter { $0.input.status == "inactive" }.count == 3)
    }

    @Test("the API's JSON (one service, a page, tabular) reads as the CSV tables do")
    func json() throws {
        let csv = try #require(try HSDSReader.read(url: Self.hsds("v3.0/csv")).entries.first)
        // The list holds summaries: the organization and the service, without places, phones or hours.
        let list = try HSDSReader.read(url: Self.hsds("v3.0/json/service_list.json"))
        #expect(list.entries.map(\.input.name) == [csv.input.name])
        #expect(list.entries.first?.input.organization == csv.input.organization)
        for file in ["service_full.json", "tabular.json"] {
            let read = try HSDSReader.read(url: Self.hsds("v3.0/json/" + file))
            let entry = try #require(read.entries.first, "\(file)")
            #expect(read.entries.count == 1, "\(file)")
            #expect(entry.serviceID == csv.serviceID, "\(file)")
            #expect(entry.input.organization == csv.input.organization, "\(file)")
            #expect(entry.input.name == csv.input.name, "\(file)")
            #expect(entry.input.locationName == csv.input.locationName, "\(file)")
            #expect(entry.input.phones.first?.hasPrefix("+44 1234 234567") == true, "\(file)")
            #expect(entry.input.hours == csv.input.hours, "\(file)")
            #expect(entry.input.minimumAge == "12", "\(file)")
        }
    }

    @Test("broken foreign keys: each row named with its reason and left out; the rest is read")
    func brokenKeys() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hsds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for table in ["organizations", "locations", "services_at_location", "phones", "regular_schedules"] {
            try FileManager.default.copyItem(
                at: Self.hsds("v1.1-sample/\(table).csv"), to: folder.appendingPathComponent("\(table).csv"))
        }
        var services = try String(contentsOf: Self.hsds("v1.1-sample/services.csv"), encoding: .utf8)
        // A service whose organization does not exist.
        services += "bad-service,no-such-organization,,Orphan service,,,,,active,,,,,,,\n"
        try services.write(to: folder.appendingPathComponent("services.csv"), atomically: true, encoding: .utf8)
        var links = try String(contentsOf: folder.appendingPathComponent("services_at_location.csv"), encoding: .utf8)
        links += "bad-link,c89eb05c-62dd-4b64-b494-0cc347b6ea7f,no-such-location,\n"
        try links.write(
            to: folder.appendingPathComponent("services_at_location.csv"), atomically: true, encoding: .utf8)
        var phones = try String(contentsOf: folder.appendingPathComponent("phones.csv"), encoding: .utf8)
        phones += "bad-phone,,no-such-service,,,,+249 91 000 0000,,voice,,,\n"
        try phones.write(to: folder.appendingPathComponent("phones.csv"), atomically: true, encoding: .utf8)

        let read = try HSDSReader.read(url: folder)
        #expect(read.entries.count == 13)
        #expect(!read.entries.contains { $0.serviceID == "bad-service" })
        let problems = read.problems.filter(\.skipped).map(\.description)
        #expect(
            problems.contains(
                "services.csv row 15, organization_id: the organization no-such-organization is in no row of organizations.csv (row not imported)"
            ))
        #expect(
            problems.contains(
                "service_at_location.csv row 15, location_id: the location no-such-location is in no row of locations.csv (row not imported)"
            ))
        #expect(
            problems.contains(
                "phones.csv row 7, service_id: the service no-such-service is in no row of services.csv (row not imported)"
            ))
        // The service the broken link named still has its good location.
        #expect(read.entries.filter { $0.serviceID == "c89eb05c-62dd-4b64-b494-0cc347b6ea7f" }.count == 1)
    }

    @Test("files that are no HSDS are refused as a whole, with the reason")
    func unreadable() throws {
        #expect(throws: HSDSReader.Failure.unreadable("not valid JSON")) {
            try HSDSReader.read(data: Data("{ nope".utf8), name: "x.json")
        }
        #expect(throws: HSDSReader.Failure.self) {
            try HSDSReader.read(data: Data(#"{"type":"FeatureCollection"}"#.utf8), name: "x.json")
        }
        #expect(throws: HSDSReader.Failure.unreadable("not a readable ZIP archive")) {
            try HSDSReader.read(data: Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0]), name: "x.zip")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hsds-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: HSDSReader.Failure.noServices) { try HSDSReader.read(url: folder) }
    }

    static func entry(_ n: Int, location: Bool = true) throws -> HSDSWriter.Entry {
        var input = ServiceInput()
        input.organization = n % 2 == 0 ? "Sudanese Red Crescent Society" : "UNHCR"
        input.name = "Service \(n)"
        input.phones = ["+249 91 200 100\(n), voice, Duty, 24/7", "+249 91 200 200\(n), text"]
        input.hours = ["SU-TH 08:00-16:00", "SA 09:00-12:00"]
        input.hoursNote = "Closed on public holidays."
        input.languages = ["ar", "ti"]
        input.acceptsReferrals = "yes"
        input.consentRequired = n == 1 ? "no" : "yes"
        input.referralFocalPoint = "Focal point \(n)"
        input.populationTypes = ["REF", "HST"]
        input.sectors = ["health", "protection_gender_and_inclusion"]
        input.lastVerifiedOn = "2026-11-0\(n)"
        input.verifiedBy = "coordinator@example.org"
        input.eligibility = "Anyone on the move"
        input.minimumAge = "0"
        input.maximumAge = "17"
        if location {
            input.locationName = "Place \(n)"
            input.address = "Street \(n), Kassala"
            input.latitude = "15.45"
            input.longitude = "36.4"
        }
        return HSDSWriter.Entry(
            serviceID: "service-\(n)", organizationID: "org-\(n % 2)", locationID: location ? "place-\(n)" : nil,
            linkID: location ? "link-\(n)" : nil, draft: try input.decoded(),
            lastModified: Date(timeIntervalSince1970: 1_764_000_000))
    }

    @Test("written and read back, as a ZIP of tables and as JSON: every field and every humanitarian addition returns")
    func roundTrip() throws {
        let entries = try (1...3).map { try Self.entry($0) } + [try Self.entry(4, location: false)]
        for data in [try HSDSWriter.zip(entries), try HSDSWriter.json(entries)] {
            let read = try HSDSReader.read(data: data, name: "export")
            #expect(read.problems.isEmpty, "\(read.problems)")
            #expect(read.entries.count == entries.count)
            for original in entries {
                let back = try #require(read.entries.first { $0.serviceID == original.serviceID })
                #expect(back.organizationID == original.organizationID)
                #expect(back.linkID == original.linkID)
                #expect(back.locationID == original.locationID)
                #expect(try back.input.decoded() == original.draft)
            }
        }
        // An organization is written once, however many services it provides.
        let organizations = try #require(HSDSWriter.tables(entries).first { $0.name == "organizations" })
        #expect(organizations.rows.count == 2)
    }

    @Test("a ZIP whose tables unpack to more than the limit is refused, whole")
    func unpackLimit() throws {
        let zip = try HSDSWriter.zip((1...3).map { try Self.entry($0) })
        #expect(try HSDSReader.read(data: zip, name: "ok.zip").entries.count == 3)
        #expect(throws: HSDSReader.Failure.self) { try HSDSReader.read(data: zip, name: "big.zip", maxUnpacked: 1_000) }
    }

    @Test("a service at two places: one service, two locations, each with its own phones and hours")
    func severalPlaces() throws {
        var first = try Self.entry(1)
        var second = try Self.entry(1)
        second.locationID = "place-b"
        second.linkID = "link-b"
        second.draft.location?.name = "Second place"
        second.draft.phones = [ServicePhone(number: "+249 91 999 9999")]
        first.draft.hours = [ServiceHours(days: [.monday], opensAt: "08:00", closesAt: "12:00")]
        let tables = HSDSWriter.tables([first, second])
        #expect(tables.first { $0.name == "services" }?.rows.count == 1)
        #expect(tables.first { $0.name == "service_at_location" }?.rows.count == 2)
        let read = try HSDSReader.read(data: try HSDSWriter.zip([first, second]), name: "two.zip")
        #expect(read.entries.count == 2)
        let back = try #require(read.entries.first { $0.linkID == "link-b" })
        #expect(try back.input.decoded().phones == [ServicePhone(number: "+249 91 999 9999")])
        #expect(try read.entries.first { $0.linkID == "link-1" }?.input.decoded().hours == first.draft.hours)
    }

    @Test("CSV: a phone number stays as it is; text a spreadsheet would run is defused")
    func csvCells() throws {
        var entry = try Self.entry(1)
        entry.draft.description = "=HYPERLINK(\"http://evil\",\"click\")"
        let csv = HSDSWriter.csv(try #require(HSDSWriter.tables([entry]).first { $0.name == "phones" }))
        #expect(csv.contains(",+249 91 200 1001,voice,"))
        let services = HSDSWriter.csv(try #require(HSDSWriter.tables([entry]).first { $0.name == "services" }))
        #expect(services.contains("\"'=HYPERLINK("))
    }
}
