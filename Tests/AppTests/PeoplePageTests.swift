import Domain
import Foundation
import Geo
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("The personnel register through the pages")
struct PeoplePageTests {
    static let base = "/operations/SDN-TEST/people"

    /// The fixture with Kassala state (SD11) around the town, and an office there.
    static func setUp(_ app: Application) async throws -> (Fixture, SiteRecord) {
        let fixture = try await Fixture.make(app)
        let square = MultiPolygon(
            Polygon(exterior: [
                Coordinate(longitude: 36, latitude: 15), Coordinate(longitude: 37, latitude: 15),
                Coordinate(longitude: 37, latitude: 16), Coordinate(longitude: 36, latitude: 15),
            ]))
        _ = try await AreaStore(app.db).importAreas(
            [AdminAreaInput(level: 1, pcode: "SD11", parentPcode: nil, name: "Kassala", names: [:], geometry: square)],
            into: fixture.operation.id, actorID: nil, now: Date())
        let office = try await SiteStore(app.db).create(
            try SiteDraft(name: "Kassala office", type: .office, latitude: 15.45, longitude: 36.4, audience: .movement)
                .validated(), areaPcode: "SD11", grants: .init(), in: fixture.operation.id,
            actorID: fixture.users[.securityCoordinator]!.id, now: Date())
        return (fixture, office)
    }

    @Test(
        "a coordinator adds a person; bad input is said field by field; an unreadable number is kept and flagged; the person keeps their own contacts",
        arguments: TestDatabases.kinds)
    func addAndEdit(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, office) = try await Self.setUp(app)
            let staffUser = fixture.users[.staff]!
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            #expect(try await coordinator.get(Self.base + "/new").status == .ok)
            var form = [
                "full_name": "", "category": "delegate", "origin": "international", "arrival": "2026-12-01T08:00",
                "planned_departure": "2026-11-01T08:00", "mobile_phone": "0912345678", "email": "tomas@ifrc",
            ]
            let refused = try await coordinator.post(Self.base, form)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Give the person") && refused.body.contains("before the arrival"))
            #expect(refused.body.contains("value=\"0912345678\""), "what was typed is kept")
            #expect(
                try await PersonStore(app.db).all(in: AccessPolicy.operatorPersonnelScope(in: fixture.operation.id))
                    .isEmpty)

            form["full_name"] = "Tomás Rivera"
            form["planned_departure"] = "2027-02-01T08:00"
            form["email"] = "Tomas.Rivera@IFRC.org"
            form["satellite_phone"] = "+8821 6400 00012"
            form["other_phone"] = "ask the radio room"
            form["account"] = staffUser.id.uuidString
            form["residence"] = office.id.uuidString
            let saved = try await coordinator.post(Self.base, form)
            #expect(saved.status == .seeOther)
            let path = try #require(saved.location)
            let page = try await coordinator.get(path)
            #expect(page.body.contains("href=\"tel:+249912345678\"") && page.body.contains("+249 912 345 678"))
            #expect(page.body.contains("ask the radio room") && page.body.contains("not a readable number"))
            #expect(page.body.contains("Kept as written") && page.body.contains("tomas.rivera@ifrc.org"))

            // The staff member reaches their own record and changes how to reach them, nothing else.
            let staff = try await Browser.signedIn(app, staffUser)
            #expect(try await staff.get(path).status == .ok)
            let own = try await staff.get(path + "/edit")
            #expect(
                own.status == .ok && !own.body.contains("name=\"full_name\"")
                    && own.body.contains("name=\"mobile_phone\""))
            let version = try await staff.editVersion(path + "/edit")
            let changed = try await staff.post(
                path + "/edit",
                [
                    "full_name": "Someone Else", "category": "visitor", "mobile_phone": "+249 99 000 0000",
                    "version": version,
                ])
            #expect(changed.status == .seeOther)
            let after = try await coordinator.get(path)
            #expect(after.body.contains("<h1>Tomás Rivera</h1>") && after.body.contains("+249 990 000 000"))
            #expect(after.body.contains("Delegate"))
            // Saving on a version someone else has since changed shows both, and saves nothing.
            let late = try await coordinator.post(
                path + "/edit", ["full_name": "Tomás R.", "mobile_phone": "0911111111", "version": version])
            #expect(late.status == .conflict && late.body.contains("Someone else"))
        }
    }

    @Test(
        "where they are: one tap by the person, the radio room by the coordinator, the headcount, a roll-call until closed, every view audited",
        arguments: TestDatabases.kinds)
    func whereabouts(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, office) = try await Self.setUp(app)
            let staffUser = fixture.users[.staff]!
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
            let store = PersonStore(app.db)
            let tomas = try await store.create(
                try PersonDraft(
                    fullName: "Tomás Rivera", category: .delegate, residenceSiteID: office.id, userID: staffUser.id
                )
                .validated(), scope: keeper, now: Date())
            let amira = try await store.create(
                try PersonDraft(
                    fullName: "Amira Salih", category: .ifrcStaff,
                    phones: [PhoneNumber(kind: .mobile, reading: "+249 91 111 2222", country: nil)]
                ).validated(), scope: keeper, now: Date())
            let never = try await store.create(
                try PersonDraft(fullName: "Claire Dubois", category: .visitor).validated(), scope: keeper, now: Date())

            // The person, in one tap: the residence is offered first.
            let staff = try await Browser.signedIn(app, staffUser)
            let me = try await staff.get(Self.base + "/me")
            #expect(me.body.contains("I am at Kassala office") && !me.body.contains("Amira"))
            let tap = try await staff.post(
                Self.base + "/\(tomas.id.uuidString)/location", ["site": office.id.uuidString, "source": "self"])
            #expect(tap.location == Self.base + "/me?saved=1")
            #expect(try await staff.get(tap.location!).body.contains("your location is recorded"))
            // Not anyone else's, and not as the radio room.
            let other = try await staff.post(
                Self.base + "/\(amira.id.uuidString)/location", ["area": "SD11", "source": "radio_room"])
            #expect(other.status == .notFound)
            #expect(try await store.find(tomas.id, in: keeper)?.location?.source == .person)

            // The radio room: a point with its precision, placed in its area by the boundaries.
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            _ = try await coordinator.get(Self.base + "/\(amira.id.uuidString)")
            let bad = try await coordinator.post(
                Self.base + "/\(amira.id.uuidString)/location", ["latitude": "95", "longitude": "36.4"])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("latitude"))
            let radio = try await coordinator.post(
                Self.base + "/\(amira.id.uuidString)/location",
                ["latitude": "15.5", "longitude": "36.5", "precision": "50", "note": "Called from the checkpoint"])
            #expect(radio.status == .seeOther)
            let stored = try #require(try await store.find(amira.id, in: keeper)?.location)
            #expect(stored.areaPcode == "SD11" && stored.source == .radioRoom)

            // The headcount: by area and site, the never located listed by name with how to reach them.
            let count = try await coordinator.get(Self.base + "/headcount")
            #expect(count.body.contains("3 people present: 0 with a stale location, 1 never located."))
            #expect(count.body.contains("Kassala (SD11)</td><td class=\"num\">2</td>"))
            #expect(count.body.contains("Claire Dubois"))
            // A roll-call of SD11: Tomás and Amira, not Claire (never located).
            let opened = try await coordinator.post(
                "/operations/SDN-TEST/roll-calls", ["area": "SD11", "reason": "Shooting reported"])
            let callPath = try #require(opened.location)
            let call = try await coordinator.get(callPath)
            #expect(
                call.body.contains("Tomás Rivera") && call.body.contains("Amira Salih") && !call.body.contains("Claire")
            )
            #expect(call.body.contains("<li data-answer=\"not_reached\"><strong>2</strong>"))
            _ = try await coordinator.post(
                callPath + "/answers",
                ["person": amira.id.uuidString, "answer": "needs_help", "note": "Car broke down"])
            let counted = try await coordinator.get(callPath)
            #expect(
                counted.body.contains("<li data-answer=\"needs_help\"><strong>1</strong>")
                    && counted.body.contains("Car broke down"))
            #expect(try await coordinator.get("/operations/SDN-TEST").body.contains("needs help 1"))
            _ = try await coordinator.post(callPath + "/close", [:])
            let closed = try await coordinator.post(
                callPath + "/answers", ["person": tomas.id.uuidString, "answer": "safe"])
            #expect(closed.status == .conflict)
            // The staff member reaches no roll-call.
            #expect(try await staff.get(callPath).status == .forbidden)

            // Who looked at whom: the coordinator's views of Amira, and of the headcount's call list.
            let entries = try await AuditStore(app.db).entries(
                operationID: fixture.operation.id, page: Paging(page: 1, perPage: 200)
            ).items.filter { $0.recordKind == "personnel_view" }
            let coordinatorID = fixture.users[.securityCoordinator]!.id.uuidString
            #expect(
                entries.contains {
                    $0.recordID == "person" && $0.actorID == coordinatorID && $0.changes.contains(amira.id.uuidString)
                })
            #expect(entries.contains { $0.recordID == "headcount" && $0.changes.contains(never.id.uuidString) })
            #expect(entries.contains { $0.recordID == "own" && $0.actorID == staffUser.id.uuidString })
            // The trail shows the HeOps who looked; an administrator who is not a member sees no names.
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            let trail = try await heops.get("/operations/SDN-TEST/audit?per_page=200")
            #expect(trail.body.contains("viewed") && trail.body.contains("Amira Salih"))
            let admin = try await Browser.signedIn(app, fixture.admin)
            let adminTrail = try await admin.get("/operations/SDN-TEST/audit?per_page=200")
            #expect(
                adminTrail.status == .ok && !adminTrail.body.contains("Amira Salih")
                    && !adminTrail.body.contains("+249"))
        }
    }

    @Test(
        "a roster imports with a reason for every line it refuses; a second import updates and never duplicates; exports read back",
        arguments: TestDatabases.kinds)
    func importAndExport(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, _) = try await Self.setUp(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            _ = try await coordinator.get(Self.base)
            let roster = """
                Full name,Category,Mobile,E-mail,Staff ID,Arrival,Passport number\r
                Ingrid Larsen,ERU,+47 912 34 567,ingrid@redcross.no,NO-7,2026-11-20,N1234567\r
                ,delegate,+249911111111,nobody@ifrc.org,X-1,2026-11-20,\r
                Grace Wanjiru,rdrt,0712 345 678,grace@krcs.or.ke,KE-2,31/11/2026,\r
                Ingrid L.,surge,+47 912 34 567,ingrid@redcross.no,NO-8,2026-11-20,\r
                Hawa Ali,volunteer,call the branch,,SD-3,2026-11-01,\r
                """
            let first = try await coordinator.upload(
                Self.base + "/import", file: Data(roster.utf8), filename: "roster.csv")
            #expect(first.status == .ok)
            for line in [
                "roster.csv: 2 added, 0 updated, 0 unchanged, 3 not imported.",
                "Line 3 not imported: full_name: Give the person",
                "Line 4 not imported: arrival: “31/11/2026” is not a date",
                "Line 5 not imported: the same person as line 2 (e-mail ingrid@redcross.no).",
                "Line 6: the number “call the branch” could not be read; kept as written.",
                "Column “Passport number” left out",
            ] {
                #expect(
                    first.body.contains(line.replacingOccurrences(of: "“", with: "&#8220;"))
                        || first.body.contains(line), "\(line)")
            }
            #expect(!first.body.contains("N1234567"))
            let scope = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
            #expect(
                try await PersonStore(app.db).all(in: scope).map(\.draft.fullName) == ["Hawa Ali", "Ingrid Larsen"])

            let corrected = """
                Full name,Category,Mobile,E-mail,Staff ID,Arrival\r
                Ingrid Larsen,ERU,+47 912 34 567,ingrid@redcross.no,NO-7,2026-11-20\r
                Hawa Ali,volunteer,0912345678,,SD-3,2026-11-01\r
                """
            let second = try await coordinator.upload(
                Self.base + "/import", file: Data(corrected.utf8), filename: "roster.csv")
            #expect(second.body.contains("roster.csv: 0 added, 1 updated, 1 unchanged, 0 not imported."))
            #expect(try await PersonStore(app.db).all(in: scope).count == 2)

            // The exports: CSV that an import reads back as the same people, and vCard.
            let csv = try await coordinator.get(Self.base + "/export?format=csv")
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(csv.body.contains("Hawa Ali,ns_volunteer,national,") && csv.body.contains("+249912345678"))
            let again = try await coordinator.upload(
                Self.base + "/import", file: Data(csv.body.utf8), filename: "export.csv")
            #expect(again.body.contains("export.csv: 0 added, 0 updated, 2 unchanged, 0 not imported."))
            let vcf = try await coordinator.get(Self.base + "/export?format=vcf")
            #expect(
                vcf.body.components(separatedBy: "BEGIN:VCARD").count == 3
                    && vcf.body.contains("TEL;TYPE=CELL,VOICE:+4791234567"))
            #expect(try await coordinator.get(Self.base + "/export?format=xlsx").status == .badRequest)
            let exports = try await AuditStore(app.db).entries(
                operationID: fixture.operation.id, page: Paging(page: 1, perPage: 200)
            ).items.filter { $0.recordKind == "personnel_view" && $0.action == .export }
            #expect(Set(exports.map(\.recordID)) == ["export_csv", "export_vcf"])
            // The 24/7 list: one table a place, numbers large, confidential on every printed page.
            let list = try await coordinator.get(Self.base + "/contacts")
            #expect(list.body.contains("CONFIDENTIAL") && list.body.contains("location unknown (2)"))
            #expect(list.body.contains("href=\"tel:+249912345678\""))
        }
    }
}
