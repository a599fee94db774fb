import Domain
import Foundation
import Testing

@Suite("Duty of care: phone numbers, the person decoder, locations, the headcount, who reaches the register")
struct DutyOfCareTests {
    @Test(
        "numbers are read as E.164: international as given, national with the country's code, the trunk 0 dropped",
        arguments: [
            ("+249 91 234 5678", nil, "+249912345678"),
            ("00249-91-234-5678", nil, "+249912345678"),
            ("091 234 5678", "SDN", "+249912345678"),
            ("91 234 5678", "SDN", "+249912345678"),
            ("(202) 555-0142", "USA", "+12025550142"),
            ("1 202 555 0142", "USA", "+12025550142"),
            ("+8821 6 4000 0012", nil, "+8821640000012"),
            ("+870 7725 12345", nil, "+870772512345"),
            ("06 12 34 56 78", "FRA", "+33612345678"),
        ] as [(String, String?, String)])
    func readable(text: String, country: String?, expected: String) {
        let number = PhoneNumber(kind: .mobile, reading: text, country: country)
        #expect(number.e164 == expected)
        #expect(number.text == text, "the text as given is kept")
        #expect(number.dialled == expected)
    }

    @Test(
        "a number that cannot be read keeps its text and says so",
        arguments: [
            ("091 234 5678", nil),  // national, the country unknown
            ("ask the radio room", "SDN"),
            ("+249 91 234 5678 ext. 12", nil),
            ("0912", "SDN"),  // too short for Sudan
            ("+999 1234 5678", nil),  // no such calling code
            ("+", nil),
        ] as [(String, String?)])
    func unreadable(text: String, country: String?) {
        let number = PhoneNumber(kind: .other, reading: text, country: country)
        #expect(number.e164 == nil)
        #expect(number.text == text.trimmingCharacters(in: .whitespaces))
    }

    func input(_ edit: (inout PersonInput) -> Void) -> PersonInput {
        var input = PersonInput()
        input.fullName = "Amira Salih"
        input.category = "ifrc_staff"
        input.origin = "national"
        edit(&input)
        return input
    }

    @Test("the decoder reads a person, numbers with the operation's country, times on its clock")
    func decodes() throws {
        let clock = try #require(OperationTime(identifier: "Africa/Khartoum"))
        let draft = try input {
            $0.mobilePhone = "0912345678"
            $0.satellitePhone = "+8821 6400 00012"
            $0.otherPhone = "office, ask for Amira"
            $0.languages = "Arabic, English, "
            $0.email = " Amira.Salih@IFRC.org "
            $0.arrival = "2026-11-20 08:00"
            $0.plannedDeparture = "2027-02-01"
            $0.relocationPriority = "2"
        }.decoded(clock: clock, country: "SDN")
        #expect(draft.phones.map(\.e164) == ["+249912345678", "+8821640000012", nil])
        #expect(draft.unreadablePhones.map(\.text) == ["office, ask for Amira"])
        #expect(draft.languages == ["Arabic", "English"])
        #expect(draft.email == "amira.salih@ifrc.org")
        // 08:00 in Khartoum (UTC+2) is 06:00 UTC.
        #expect(draft.arrivalAt == DateText.time("2026-11-20T06:00Z"))
        #expect(draft.relocationPriority == 2)
        // A National Society volunteer with no origin given is national; anyone else international.
        let volunteer = try input {
            $0.category = "ns_volunteer"
            $0.origin = ""
        }.decoded(clock: .utc, country: nil)
        #expect(volunteer.origin == .national)
        let visitor = try input {
            $0.category = "visitor"
            $0.origin = ""
        }.decoded(clock: .utc, country: nil)
        #expect(visitor.origin == .international)
    }

    @Test("bad input is refused field by field, every problem at once")
    func refuses() {
        do {
            _ = try input {
                $0.fullName = "  "
                $0.category = "spy"
                $0.arrival = "20/11/2026"
                $0.email = "amira at ifrc"
                $0.relocationPriority = "12"
                $0.residence = "not-an-id"
            }.decoded(clock: .utc, country: "SDN")
            Issue.record("accepted")
        } catch {
            let fields = Set(error.errors.compactMap(\.field))
            #expect(fields == ["full_name", "category", "arrival", "email", "relocation_priority", "residence"])
            #expect(error.message(for: "arrival")?.message.contains("20/11/2026") == true)
        }
        // A departure before the arrival.
        #expect(throws: ValidationErrors.self) {
            try input {
                $0.arrival = "2026-12-01"
                $0.plannedDeparture = "2026-11-30"
            }.decoded(clock: .utc, country: nil)
        }
    }

    @Test("a location is one of a site, an area or coordinates with their precision")
    func locations() throws {
        let site = UUID()
        #expect(try LocationInput(site: site.uuidString).decoded().place == .site(SiteID(site)))
        #expect(try LocationInput(area: " sd11 ").decoded().place == .area("SD11"))
        var point = LocationInput(latitude: "15,45", longitude: "36.4")
        point.precision = "12.4"
        #expect(try point.decoded().place == .point(latitude: 15.45, longitude: 36.4, precisionMeters: 13))
        for bad in [
            LocationInput(), LocationInput(site: site.uuidString, area: "SD11"),
            LocationInput(latitude: "91", longitude: "0"),
            LocationInput(latitude: "15.4", longitude: ""), LocationInput(area: "SD11; DROP TABLE"),
        ] {
            #expect(throws: ValidationErrors.self, "\(bad)") { try bad.decoded() }
        }
    }

    @Test("the headcount counts by area, site and phase, and lists the stale and the never located")
    func headcount() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let office = SiteID(UUID())
        func entry(_ name: String, site: SiteID?, area: String?, hoursAgo: Double?) -> Headcount.Entry {
            Headcount.Entry(
                personID: PersonID(UUID()), name: name, siteID: site, areaPcode: area,
                confirmedAt: hoursAgo.map { now.addingTimeInterval(-$0 * 3_600) })
        }
        let count = Headcount(
            entries: [
                entry("A", site: office, area: "SD11", hoursAgo: 1),
                entry("B", site: office, area: "SD11", hoursAgo: 30),
                entry("C", site: nil, area: "SD10", hoursAgo: 2), entry("D", site: nil, area: nil, hoursAgo: 50),
                entry("E", site: nil, area: nil, hoursAgo: nil),
            ], now: now, staleAfterHours: 24, phase: { $0 == "SD11" ? "orange" : nil })
        #expect(count.total == 5)
        #expect(count.byArea.map { "\($0.key):\($0.total)/\($0.stale)" } == ["SD11:2/1", "SD10:1/0", ":1/1"])
        #expect(count.bySite.map { "\($0.key):\($0.total)" } == ["\(office.uuidString):2", ":2"])
        #expect(count.byPhase.map { "\($0.key):\($0.total)" } == ["orange:2", ":2"])
        #expect(count.stale.map(\.name) == ["D", "B"])
        #expect(count.unknown.map(\.name) == ["E"])
    }

    @Test("who reaches the register: keepers everyone, members their own, partners and outsiders no one")
    func reach() {
        let operation = OperationID(UUID())
        for role in Role.allCases {
            let viewer = Viewer(userID: UserID(UUID()), isSystemAdministrator: false, roles: [operation: role])
            let reach = AccessPolicy.personnelReach(in: operation, by: viewer, isNamedFocalPoint: false)
            switch role {
            case .securityCoordinator, .headOfOperations: #expect(reach == .everyone, "\(role)")
            case .partner: #expect(reach == PersonnelReach.none, "\(role)")
            default: #expect(reach == .own, "\(role)")
            }
            // Named a focal point: everyone, except a partner, who never reads it.
            let named = AccessPolicy.personnelReach(in: operation, by: viewer, isNamedFocalPoint: true)
            #expect(named == (role == .partner ? PersonnelReach.none : .everyone), "\(role) named")
            // The scope carries the same decision into queries.
            let scope = AccessPolicy.personnelScope(in: operation, for: viewer, isNamedFocalPoint: false)
            #expect((scope == nil) == (reach == PersonnelReach.none))
            if let scope {
                #expect(scope.contains(operationID: operation, userID: viewer.userID))
                #expect(scope.contains(operationID: operation, userID: UserID(UUID())) == (reach == .everyone))
                #expect(!scope.contains(operationID: OperationID(UUID()), userID: viewer.userID))
            }
        }
        let admin = Viewer(userID: UserID(UUID()), isSystemAdministrator: true, roles: [:])
        #expect(AccessPolicy.personnelReach(in: operation, by: admin, isNamedFocalPoint: true) == PersonnelReach.none)
        // Audited personal data: the security roles only; not an administrator who is not a member.
        #expect(AccessPolicy.canReadAuditedValues(ofKind: "person", in: operation, by: admin) == false)
        let heops = Viewer(userID: UserID(UUID()), isSystemAdministrator: false, roles: [operation: .headOfOperations])
        #expect(AccessPolicy.canReadAuditedValues(ofKind: "personnel_view", in: operation, by: heops) == true)
    }
}
