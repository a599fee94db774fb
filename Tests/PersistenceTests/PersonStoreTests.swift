import Domain
import FluentKit
import Foundation
import Geo
import SQLKit
import StoreTestSupport
import Testing

@testable import Persistence

@Suite("The personnel register in the database")
struct PersonStoreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func setUp(_ db: any Database) async throws -> StoreFixture {
        let fixture = try await StoreFixture.make(db)
        let square = MultiPolygon(
            Polygon(exterior: [
                Coordinate(longitude: 36, latitude: 15), Coordinate(longitude: 37, latitude: 15),
                Coordinate(longitude: 37, latitude: 16), Coordinate(longitude: 36, latitude: 15),
            ]))
        _ = try await AreaStore(db).importAreas(
            [
                AdminAreaInput(
                    level: 1, pcode: "SD11", parentPcode: nil, name: "Kassala", names: [:], geometry: square),
                AdminAreaInput(
                    level: 2, pcode: "SD11001", parentPcode: "SD11", name: "Kassala town", names: [:], geometry: square),
                AdminAreaInput(
                    level: 1, pcode: "SD10", parentPcode: nil, name: "Red Sea", names: [:], geometry: square),
            ], into: fixture.operation.id, actorID: nil, now: now)
        return fixture
    }

    func scope(_ db: any Database, _ fixture: StoreFixture, _ role: Role, named: Bool = false) async throws
        -> PersonnelScope?
    {
        AccessPolicy.personnelScope(
            in: fixture.operation.id, for: try await fixture.viewer(db, fixture.users[role]!), isNamedFocalPoint: named)
    }

    func person(_ name: String, email: String? = nil, id: String? = nil, user: UserID? = nil) throws -> PersonDraft {
        try PersonDraft(
            fullName: name, category: .delegate,
            phones: [PhoneNumber(kind: .mobile, reading: "+249 91 234 5678", country: nil)], email: email,
            userID: user, externalID: id
        ).validated()
    }

    @Test(
        "keepers reach everyone, a member only their own record, and what they may change of it",
        arguments: TestDatabases.kinds)
    func reach(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await setUp(db)
            let store = PersonStore(db)
            let keeper = try #require(try await scope(db, fixture, .securityCoordinator))
            let staffUser = fixture.users[.staff]!
            let own = try await store.create(
                try person("Tomás Rivera", email: "tomas@ifrc.org", user: staffUser.id), scope: keeper, now: now)
            let other = try await store.create(try person("Amira Salih"), scope: keeper, now: now)
            let staff = try #require(try await scope(db, fixture, .staff))
            #expect(try await store.all(in: staff).map(\.id) == [own.id])
            #expect(try await store.find(other.id, in: staff) == nil)
            #expect(try await store.all(in: keeper).count == 2)
            // Staff may not add people, nor change who they are to IFRC.
            await #expect(throws: DomainError.self) { try await store.create(try person("X"), scope: staff, now: now) }
            var changed = own.draft
            changed.fullName = "Someone Else"
            changed.category = .visitor
            changed.phones = [PhoneNumber(kind: .mobile, reading: "+249 99 000 0000", country: nil)]
            let saved = try await store.update(own.id, with: changed, scope: staff, now: now)
            #expect(saved.draft.fullName == "Tomás Rivera" && saved.draft.category == .delegate)
            #expect(saved.draft.phones.first?.e164 == "+249990000000")
            // A staff member named a focal point reaches everyone; partners never.
            try await store.setFocalPoint(
                staffUser.id, named: true, in: fixture.operation.id, actorID: fixture.users[.headOfOperations]!.id,
                now: now)
            #expect(try await store.isFocalPoint(staffUser.id, in: fixture.operation.id))
            await #expect(throws: DomainError.self) {
                try await store.setFocalPoint(
                    fixture.users[.partner]!.id, named: true, in: fixture.operation.id,
                    actorID: fixture.users[.headOfOperations]!.id, now: now)
            }
            #expect(try await scope(db, fixture, .partner, named: true) == nil)
            // One record per account; an account must be a member.
            await #expect(throws: ValidationErrors.self) {
                try await store.create(try person("Twin", user: staffUser.id), scope: keeper, now: now)
            }
            await #expect(throws: ValidationErrors.self) {
                try await store.create(try person("Stranger", user: fixture.outsider.id), scope: keeper, now: now)
            }
            await #expect(throws: ValidationErrors.self) {
                try await store.create(try person("Same mail", email: "tomas@ifrc.org"), scope: keeper, now: now)
            }
        }
    }

    @Test(
        "a second import updates people matched by id or e-mail and never duplicates them",
        arguments: TestDatabases.kinds)
    func reimport(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await setUp(db)
            let store = PersonStore(db)
            let keeper = try #require(try await scope(db, fixture, .headOfOperations))
            let first = try await store.importPeople(
                [
                    try person("A", email: "a@ifrc.org", id: "S-1"), try person("B", email: "b@ifrc.org"),
                    try person("C"),
                ],
                scope: keeper, now: now)
            #expect(first == .init(created: 3, updated: 0, unchanged: 0))
            var renamed = try person("A. Adams", email: "a.adams@ifrc.org", id: "S-1")  // matched by id, new e-mail
            renamed.function = "Delegate"
            let second = try await store.importPeople(
                [renamed, try person("B", email: "b@ifrc.org"), try person("D", email: "d@ifrc.org")], scope: keeper,
                now: now)
            #expect(second == .init(created: 1, updated: 1, unchanged: 1))
            let all = try await store.all(in: keeper)
            #expect(all.map(\.draft.fullName) == ["A. Adams", "B", "C", "D"])
            // Each change is in the audit trail, with what it was before.
            let entries = try await AuditStore(db).entries(
                recordKind: "person", recordID: all[0].id.uuidString)
            #expect(entries.map(\.action) == [.update, .create])
            #expect(entries[0].changes.contains("a.adams@ifrc.org") && entries[0].changes.contains("a@ifrc.org"))
        }
    }

    @Test(
        "a location is confirmed with its area, kept in the history, and a roll-call counts the area's people until closed",
        arguments: TestDatabases.kinds)
    func locationsAndRollCall(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await setUp(db)
            let store = PersonStore(db)
            let keeper = try #require(try await scope(db, fixture, .securityCoordinator))
            let office = try await SiteStore(db).create(
                try SiteDraft(
                    name: "Kassala office", type: .office, latitude: 15.45, longitude: 36.4, audience: .movement
                )
                .validated(), areaPcode: "SD11001", grants: .init(), in: fixture.operation.id,
                actorID: fixture.users[.securityCoordinator]!.id, now: now)
            let a = try await store.create(try person("A"), scope: keeper, now: now)
            let b = try await store.create(try person("B"), scope: keeper, now: now)
            let c = try await store.create(try person("C"), scope: keeper, now: now)
            _ = try await store.confirmLocation(
                of: a.id, place: .site(office.id), areaPcode: nil, source: .radioRoom, note: "", scope: keeper,
                now: now.addingTimeInterval(-7_200))
            let point = try await store.confirmLocation(
                of: a.id, place: .point(latitude: 15.5, longitude: 36.5, precisionMeters: 20), areaPcode: "SD11",
                source: .person, note: "On the road", scope: keeper, now: now)
            #expect(point.areaPcode == "SD11")
            _ = try await store.confirmLocation(
                of: b.id, place: .area("SD10"), areaPcode: nil, source: .radioRoom, note: "", scope: keeper, now: now)
            await #expect(throws: DomainError.self) {
                try await store.confirmLocation(
                    of: c.id, place: .area("XX99"), areaPcode: nil, source: .radioRoom, note: "", scope: keeper,
                    now: now)
            }
            let stored = try #require(try await store.find(a.id, in: keeper))
            #expect(stored.location?.place == .point(latitude: 15.5, longitude: 36.5, precisionMeters: 20))
            let history = try await store.history(of: a.id, in: keeper)
            #expect(history.map(\.place) == [point.place, .site(office.id)])
            #expect(history.last?.areaPcode == "SD11001", "a site's area is the site's own")

            let calls = RollCallStore(db)
            let call = try await calls.open(
                areaPcode: "sd11", reason: "Shooting near the checkpoint", scope: keeper, now: now)
            #expect(call.lines.map(\.name) == ["A"], "SD11 and the areas inside it; not B in SD10, not C never located")
            await #expect(throws: DomainError.self) {
                try await calls.open(areaPcode: "SD11", reason: "again", scope: keeper, now: now)
            }
            try await calls.answer(.needsHelp, for: a.id, in: call.id, note: "Car broke down", scope: keeper, now: now)
            // A person not in this roll-call cannot be answered for.
            await #expect(throws: DomainError.self) {
                try await calls.answer(.safe, for: b.id, in: call.id, note: "", scope: keeper, now: now)
            }
            #expect(try await calls.find(call.id, scope: keeper)?.counts == [.needsHelp: 1])
            let staff = try #require(try await scope(db, fixture, .staff))
            #expect(try await calls.find(call.id, scope: staff) == nil)
            try await calls.close(call.id, scope: keeper, now: now)
            await #expect(throws: DomainError.self) {
                try await calls.answer(.safe, for: a.id, in: call.id, note: "", scope: keeper, now: now)
            }
            #expect(try await calls.openCalls(in: keeper).isEmpty)
        }
    }

    @Test(
        "a movement refuses a passenger of another operation; check-ins stop when it is closed; overdue until resolved",
        arguments: TestDatabases.kinds)
    func movements(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await setUp(db)
            let keeper = try #require(try await scope(db, fixture, .securityCoordinator))
            let store = PersonStore(db)
            let here = try await store.create(try person("Here"), scope: keeper, now: now)
            let other = try await OperationStore(db).create(
                try OperationDraft(code: "TCD-TEST", name: "Chad", countries: ["TCD"]).validated(), actorID: nil,
                now: now)
            let away = try await store.create(
                try person("Away"), scope: AccessPolicy.operatorPersonnelScope(in: other.id), now: now)
            let route = [RoutePoint(area: "SD11"), RoutePoint(area: "SD10")]
            // Through areas with no phase and for nobody to check: nothing refused, nothing to approve.
            let open = MovementDecision.decide(
                travellers: [], areas: [], phases: [], settings: .defaults, training: .defaults, departure: now)
            await #expect(throws: ValidationErrors.self) {
                try await MovementStore(db).request(
                    try MovementDraft(
                        purpose: "x", passengers: [here.id, away.id], route: route, departureAt: now,
                        expectedArrivalAt: now + 3_600
                    ).validated(), decision: open, routeAreas: ["SD11", "SD10"], scope: keeper, now: now)
            }
            let movement = try await MovementStore(db).request(
                try MovementDraft(
                    purpose: "Run", passengers: [here.id], route: route, departureAt: now,
                    expectedArrivalAt: now + 3_600
                ).validated(), decision: open, routeAreas: ["SD11", "SD10"], scope: keeper, now: now)
            #expect(movement.status == .approved && movement.number == 1)
            #expect(!movement.isOverdue(now: now + 3_600 + 59 * 60, graceMinutes: 60))
            #expect(movement.isOverdue(now: now + 3_600 + 61 * 60, graceMinutes: 60))
            try await MovementStore(db).resolveOverdue(
                movement.id, note: "Delayed, safe", newExpectedArrival: now + 4 * 3_600, scope: keeper,
                now: now + 2 * 3_600)
            let resolved = try #require(try await MovementStore(db).find(movement.id, in: keeper))
            #expect(!resolved.isOverdue(now: now + 2 * 3_600, graceMinutes: 60))
            #expect(resolved.isOverdue(now: now + 5.5 * 3_600, graceMinutes: 60), "overdue again past the new arrival")
            // The waypoint's place moves the traveller; arrival closes it.
            _ = try await MovementStore(db).checkIn(
                .arrived, waypoint: nil, latitude: nil, longitude: nil, areaPcode: nil, note: "", source: .radioRoom,
                of: movement.id, scope: keeper, now: now + 3 * 3_600)
            #expect(try await store.find(here.id, in: keeper)?.location?.place == .area("SD10"))
            await #expect(throws: DomainError.self) {
                try await MovementStore(db).checkIn(
                    .waypoint, waypoint: 0, latitude: nil, longitude: nil, areaPcode: nil, note: "", source: .api,
                    of: movement.id, scope: keeper, now: now + 4 * 3_600)
            }
            // Other members do not see it; the traveller would.
            let staff = try #require(try await scope(db, fixture, .staff))
            #expect(try await MovementStore(db).find(movement.id, in: staff) == nil)
        }
    }

    @Test("the phones column reads back exactly what was written, escapes included, without JSONDecoder")
    func phoneColumn() {
        let phones = [
            PhoneNumber(kind: .mobile, reading: "+249 91 234 5678", country: nil),
            PhoneNumber(kind: .other, text: "ask \"Omer\" \\ the radio room\n/ext", e164: nil),
            PhoneNumber(kind: .satellite, text: "فاطمة +8821", e164: nil),
        ]
        let text = PersonStore.json(phones)
        #expect(PhoneColumn.parse(text) == phones)
        #expect(PersonStore.phones(text) == phones)
        #expect(PersonStore.phones("[]").isEmpty)
        // What the reader does not expect goes to JSONDecoder, and still reads.
        let unicode = #"[{"e164":null,"kind":"other","text":"caf\u00e9"}]"#
        #expect(PhoneColumn.parse(unicode) == nil)
        #expect(PersonStore.phones(unicode).first?.text == "café")
        #expect(PhoneColumn.parse("[{\"kind\":\"mobile\"}]") == nil, "no text: not a phone")
    }
}
