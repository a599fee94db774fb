import Domain
import Foundation
import Geo
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Field movements, briefings and trainings through the pages and the API")
struct MovementPageTests {
    static let code = "/operations/SDN-TEST"

    /// Kassala (SD11) in Orange, Red Sea (SD10) without a phase, a site in each, and two people:
    /// Tomás (the staff member's own record) and Amira, who arrived 30 hours ago and was never briefed.
    static func setUp(_ app: Application) async throws -> (
        Fixture, office: SiteRecord, port: SiteRecord, tomas: PersonRecord, amira: PersonRecord
    ) {
        let (fixture, office) = try await PeoplePageTests.setUp(app)
        let op = fixture.operation.id
        let square = MultiPolygon(
            Polygon(exterior: [
                Coordinate(longitude: 37, latitude: 19), Coordinate(longitude: 38, latitude: 19),
                Coordinate(longitude: 38, latitude: 20), Coordinate(longitude: 37, latitude: 19),
            ]))
        _ = try await AreaStore(app.db).importAreas(
            [AdminAreaInput(level: 1, pcode: "SD10", parentPcode: nil, name: "Red Sea", names: [:], geometry: square)],
            into: op, actorID: nil, now: Date())
        let port = try await SiteStore(app.db).create(
            try SiteDraft(name: "Port office", type: .office, latitude: 19.6, longitude: 37.2, audience: .movement)
                .validated(), areaPcode: "SD10", grants: .init(), in: op,
            actorID: fixture.users[.securityCoordinator]!.id, now: Date())
        // Orange in Kassala: declared by the coordinator, approved by a member named Head of GSU.
        let phases = PhaseStore(app.db)
        let gsu = fixture.users[.nationalSocietyFocalPoint]!.id
        try await phases.grant(.headOfGSU, to: gsu, in: op, actorID: fixture.users[.headOfOperations]!.id, now: Date())
        let orange = try await phases.declare(
            areaPcode: "SD11", phase: "orange", justification: "Shooting on the Kassala road",
            indicators: ["Armed clashes"],
            rules: PhaseRules.ifrc, declarer: fixture.users[.securityCoordinator]!.id, declarerAuthorities: [], in: op,
            now: Date())
        _ = try await phases.approve(orange.id, by: gsu, holding: [.headOfGSU], as: .headOfGSU, in: op, now: Date())
        let keeper = AccessPolicy.operatorPersonnelScope(in: op)
        let tomas = try await PersonStore(app.db).create(
            try PersonDraft(
                fullName: "Tomás Rivera", category: .delegate, arrivalAt: Date().addingTimeInterval(-40 * 86_400),
                userID: fixture.users[.staff]!.id
            ).validated(), scope: keeper, now: Date())
        let amira = try await PersonStore(app.db).create(
            try PersonDraft(
                fullName: "Amira Salih", category: .ifrcStaff, arrivalAt: Date().addingTimeInterval(-30 * 3_600)
            )
            .validated(), scope: keeper, now: Date())
        return (fixture, office, port, tomas, amira)
    }

    /// Tomás briefed and trained, then a movement of his within Red Sea (no phase), approved at once.
    static func approvedMovement(
        _ app: Application, keeper: PersonnelScope, tomas: PersonRecord, from port: SiteRecord, departure: Date,
        arrival: Date, requestedAt: Date
    ) async throws -> MovementRecord {
        let readiness = ReadinessStore(app.db)
        _ = try await readiness.recordBriefing(
            Briefing(kind: .arrival, givenAt: Date().addingTimeInterval(-86_400), givenBy: "SO"), for: tomas.id,
            scope: keeper, now: Date())
        try await readiness.recordTraining(
            TrainingRecord(
                course: "stay_safe_personal", completedOn: Date().addingTimeInterval(-86_400), expiresOn: nil,
                evidence: ""),
            for: tomas.id, scope: keeper, now: Date())
        let draft = try MovementDraft(
            purpose: "Port run", passengers: [tomas.id],
            route: [RoutePoint(site: port.id), RoutePoint(latitude: 19.7, longitude: 37.5)],
            departureAt: departure, expectedArrivalAt: arrival
        ).validated()
        let decision = try await MovementService.decide(draft, areas: ["SD10"], scope: keeper, on: app.db)
        return try await MovementStore(app.db).request(
            draft, decision: decision, routeAreas: ["SD10"], scope: keeper, now: requestedAt)
    }

    @Test(
        "a request is refused with its reasons until the travellers are briefed and trained; Orange waits for the Security Coordinator; check-ins follow it to its arrival",
        arguments: TestDatabases.kinds)
    func requestToArrival(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, office, port, tomas, amira) = try await Self.setUp(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            #expect(try await coordinator.get(Self.code + "/movements/new").status == .ok)
            func form(_ passengers: [PersonRecord], from: SiteRecord, to: SiteRecord, hours: (Double, Double) = (1, 4))
                -> [String: String]
            {
                var f = [
                    "purpose": "Health post supervision", "route[0]": "site:\(from.id.uuidString)", "route[1]": "",
                    "route[2]": "", "route[3]": "site:\(to.id.uuidString)",
                    "departure": OperationTime.utc.formTime(Date().addingTimeInterval(hours.0 * 3_600)),
                    "expected_arrival": OperationTime.utc.formTime(Date().addingTimeInterval(hours.1 * 3_600)),
                ]
                for (index, person) in passengers.enumerated() { f["passengers[\(index)]"] = person.id.uuidString }
                return f
            }
            // Bad input: arrives before it departs, no passenger: said by field, nothing stored.
            var bad = form([], from: port, to: office)
            bad["expected_arrival"] = OperationTime.utc.formTime(Date())
            let refusedForm = try await coordinator.post(Self.code + "/movements", bad)
            #expect(refusedForm.status == .unprocessableEntity)
            #expect(
                refusedForm.body.contains("Choose the passengers") && refusedForm.body.contains("after the departure"))

            // Amira was never briefed; Tomás has no Stay Safe and no travel briefing for Orange Kassala.
            let first = try await coordinator.post(
                Self.code + "/movements", form([amira, tomas], from: port, to: office))
            let firstPage = try await coordinator.get(try #require(first.location))
            #expect(firstPage.body.contains("Amira Salih has not had the security briefing"))
            #expect(firstPage.body.contains("Tomás Rivera lacks a valid Stay Safe: personal security"))
            #expect(firstPage.body.contains("Tomás Rivera has had no RSC or GSU briefing for travel to Kassala (SD11)"))
            #expect(!firstPage.body.contains("name=\"check_in\""), "a refused movement takes no check-in")

            // The coordinator records what was missing, on Tomás's page.
            let person = Self.code + "/people/\(tomas.id.uuidString)"
            _ = try await coordinator.get(person)
            #expect(
                try await coordinator.post(person + "/briefings", ["kind": "security_briefing", "given_by": "Samuel"])
                    .status == .seeOther)
            #expect(
                try await coordinator.post(
                    person + "/briefings", ["kind": "travel_briefing", "given_by": "RSC Africa", "area": "SD11"]
                ).status == .seeOther)
            let noCourse = try await coordinator.post(
                person + "/trainings", ["course": "juggling", "completed_on": "2026-01-10"])
            #expect(noCourse.status == .unprocessableEntity)
            #expect(
                try await coordinator.post(
                    person + "/trainings",
                    [
                        "course": "stay_safe_personal",
                        "completed_on": DateText.day(Date().addingTimeInterval(-90 * 86_400)),
                        "evidence": "certificate 118",
                    ]
                ).status == .seeOther)
            let trained = try await coordinator.get(person)
            #expect(trained.body.contains("Stay Safe: personal security") && trained.body.contains("certificate 118"))

            // Tomás requests his own movement: Orange waits for the Security Coordinator.
            _ = try await staff.get(Self.code + "/movements/new")
            let requested = try await staff.post(Self.code + "/movements", form([tomas], from: port, to: office))
            let path = try #require(requested.location)
            let waiting = try await staff.get(path)
            #expect(waiting.body.contains("waiting for approval") && waiting.body.contains("Security Coordinator"))
            #expect(try await staff.post(path + "/check-ins", ["check_in": "departed"]).status == .conflict)
            // The HeOps does not hold the coordinator's authority; the coordinator approves.
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            _ = try await heops.get(path)
            #expect(
                try await heops.post(path + "/approvals", ["authority": "security_coordinator"]).status == .forbidden)
            _ = try await coordinator.get(path)
            #expect(
                try await coordinator.post(path + "/approvals", ["authority": "security_coordinator"]).status
                    == .seeOther)

            // Check-ins by the traveller, in one tap; the last one also places him at the office.
            _ = try await staff.get(path)
            #expect(try await staff.post(path + "/check-ins", ["check_in": "departed"]).status == .seeOther)
            #expect(
                try await staff.post(path + "/check-ins", ["check_in": "arrived", "note": "All well"]).status
                    == .seeOther)
            let arrived = try await staff.get(path)
            #expect(
                arrived.body.contains("arrived") && arrived.body.contains("All well")
                    && arrived.body.contains("by the traveller"))
            let closed = try await staff.post(path + "/check-ins", ["check_in": "arrived"])
            #expect(closed.status == .conflict && closed.body.contains("no more check-ins"))
            let where_ = try #require(
                try await PersonStore(app.db).find(
                    tomas.id, in: AccessPolicy.operatorPersonnelScope(in: fixture.operation.id))?
                    .location)
            #expect(where_.place == .site(office.id) && where_.source == .checkIn)
        }
    }

    @Test(
        "an overdue movement heads the dashboard with its passengers and last point until resolved; who sees movements",
        arguments: TestDatabases.kinds)
    func overdueAndReach(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, _, port, tomas, _) = try await Self.setUp(app)
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
                .acting(as: fixture.users[.securityCoordinator]!.id)
            let readiness = ReadinessStore(app.db)
            _ = try await readiness.recordBriefing(
                Briefing(kind: .arrival, givenAt: Date().addingTimeInterval(-86_400), givenBy: "SO"), for: tomas.id,
                scope: keeper, now: Date())
            try await readiness.recordTraining(
                TrainingRecord(
                    course: "stay_safe_personal", completedOn: Date().addingTimeInterval(-86_400), expiresOn: nil,
                    evidence: ""),
                for: tomas.id, scope: keeper, now: Date())
            // Within Red Sea (no phase): approved at once; left three hours ago, due two hours ago.
            let draft = try MovementDraft(
                purpose: "Port run", passengers: [tomas.id],
                route: [RoutePoint(site: port.id), RoutePoint(latitude: 19.7, longitude: 37.5)],
                departureAt: Date().addingTimeInterval(-3 * 3_600),
                expectedArrivalAt: Date().addingTimeInterval(-2 * 3_600)
            ).validated()
            let decision = try await MovementService.decide(draft, areas: ["SD10"], scope: keeper, on: app.db)
            let movement = try await MovementStore(app.db).request(
                draft, decision: decision, routeAreas: ["SD10"], scope: keeper,
                now: Date().addingTimeInterval(-4 * 3_600))
            #expect(movement.status == .approved)
            _ = try await MovementStore(app.db).checkIn(
                .departed, waypoint: nil, latitude: nil, longitude: nil, areaPcode: nil, note: "", source: .radioRoom,
                of: movement.id, scope: keeper, now: Date().addingTimeInterval(-3 * 3_600))

            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            let dashboard = try await coordinator.get(Self.code)
            #expect(dashboard.body.contains("id=\"overdue-movements\"") && dashboard.body.contains("Tomás Rivera"))
            #expect(dashboard.body.contains("Departed · Port office"))
            let path = Self.code + "/movements/\(movement.id.uuidString)"
            let page = try await coordinator.get(path)
            #expect(page.body.contains("id=\"resolve\""))
            #expect(try await coordinator.post(path + "/resolve", ["note": ""]).status == .unprocessableEntity)
            let resolved = try await coordinator.post(
                path + "/resolve",
                [
                    "note": "Reached by radio: flat tyre, safe.",
                    "expected_arrival": OperationTime.utc.formTime(Date().addingTimeInterval(3_600)),
                ])
            #expect(resolved.status == .seeOther)
            #expect(!(try await coordinator.get(Self.code).body.contains("id=\"overdue-movements\"")))
            #expect(try await coordinator.get(path).body.contains("flat tyre"))

            // Who sees it: keepers and the traveller; not another member; partners nothing.
            for (role, expected) in [
                (Role.staff, HTTPStatus.ok), (.migrationCoordinator, .notFound), (.partner, .forbidden),
                (.headOfOperations, .ok),
            ] {
                let browser = try await Browser.signedIn(app, fixture.users[role]!)
                #expect(try await browser.get(path).status == expected, "\(role)")
                let board = try await browser.get(Self.code + "/movements")
                #expect(board.body.contains("Port run") == (expected == .ok), "board for \(role)")
            }

            // The API: the board, a request, a check-in, as documented.
            let api = PopulationAPITests()
            let spec = try OpenAPIValidator(data: Data(try await coordinator.get("/api/v1/openapi.json").body.utf8))
            let token = try await api.token(app, fixture.users[.securityCoordinator]!)
            let list = try await coordinator.get("/api/v1\(Self.code)/movements", headers: token)
            try api.check(spec, list, "get", "/operations/{code}/movements")
            #expect(list.body.contains(#""status":"underway""#))
            let posted = try await coordinator.json(
                .POST, "/api/v1\(Self.code)/movements", headers: token,
                [
                    "purpose": "Airport", "passengers": [.init(stringLiteral: tomas.id.uuidString)],
                    "route": [.init(stringLiteral: "site:\(port.id.uuidString)"), "19.43, 37.23"],
                    "departure": "2030-01-01T08:00:00Z", "expected_arrival": "2030-01-01T09:00:00Z",
                ])
            #expect(posted.status == .created, "\(posted.body)")
            try api.check(spec, posted, "post", "/operations/{code}/movements")
            let checkIn = try await coordinator.json(
                .POST, "/api/v1\(Self.code)/movements/\(movement.id.uuidString)/check-ins", headers: token,
                ["kind": "arrived", "latitude": 19.7, "longitude": 37.5, "note": "In"])
            #expect(checkIn.status == .created)
            try api.check(spec, checkIn, "post", "/operations/{code}/movements/{id}/check-ins")
            let again = try await coordinator.json(
                .POST, "/api/v1\(Self.code)/movements/\(movement.id.uuidString)/check-ins", headers: token,
                ["kind": "arrived"])
            #expect(again.status == .conflict)
            let partnerToken = try await api.token(app, fixture.users[.partner]!)
            #expect(
                try await coordinator.get("/api/v1\(Self.code)/movements", headers: partnerToken).status == .forbidden)
        }
    }

    @Test(
        "readiness: the newcomer not briefed within 24 hours and the missing training show; sessions are counted; the relocation list groups who goes",
        arguments: TestDatabases.kinds)
    func readiness(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, office, _, tomas, amira) = try await Self.setUp(app)
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
            for person in [tomas, amira] {
                _ = try await PersonStore(app.db).confirmLocation(
                    of: person.id, place: .site(office.id), areaPcode: nil, source: .radioRoom, note: "", scope: keeper,
                    now: Date())
            }
            var relocating = tomas.draft
            relocating.relocation = .relocates
            relocating.relocationGroup = "Kassala A"
            _ = try await PersonStore(app.db).update(tomas.id, with: relocating, scope: keeper, now: Date())
            _ = try await ReadinessStore(app.db).recordBriefing(
                Briefing(kind: .arrival, givenAt: Date().addingTimeInterval(-86_400), givenBy: "SO"), for: tomas.id,
                scope: keeper, now: Date())
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            let page = try await coordinator.get(Self.code + "/people/readiness")
            #expect(page.body.contains("2 newcomer(s)") == false)
            #expect(page.body.contains("1 newcomer(s) not briefed within 24 hours"))
            #expect(page.body.contains("Stay Safe: personal security"))
            #expect(try await coordinator.get(Self.code).body.contains("1 newcomer(s) not briefed within 24 hours"))

            _ = try await coordinator.get(Self.code + "/people/sessions")
            let bad = try await coordinator.post(
                Self.code + "/people/sessions",
                [
                    "topic": "Stay Safe", "held_on": "2026-11-30", "participants[0][national_society]": "SRCS",
                    "participants[0][female]": "many",
                ])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("whole numbers"))
            #expect(bad.body.contains("value=\"many\""))
            let good = try await coordinator.post(
                Self.code + "/people/sessions",
                [
                    "topic": "Stay Safe", "held_on": "2026-11-30", "place": "Kassala",
                    "participants[0][national_society]": "SRCS", "participants[0][female]": "11",
                    "participants[0][male]": "14",
                ])
            #expect(good.status == .seeOther)
            #expect(
                try await coordinator.get(Self.code + "/people/sessions").body.contains(
                    "1 session(s), 25 participants in all."))

            let list = try await coordinator.get(Self.code + "/people/relocation?area=SD11")
            #expect(list.body.contains("Relocates (1)") && list.body.contains("Kassala A"))
            #expect(list.body.contains("Not decided (1)") && list.body.contains("Amira Salih"))
            #expect(list.body.contains("CONFIDENTIAL"))
            // Staff reach none of these pages; the person confirms their own grab bag.
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            for path in ["/people/readiness", "/people/sessions", "/people/relocation"] {
                #expect(try await staff.get(Self.code + path).status == .forbidden, "\(path)")
            }
            _ = try await staff.get(Self.code + "/people/me")
            #expect(
                try await staff.post(Self.code + "/people/\(tomas.id.uuidString)/grab-bag", [:]).status == .seeOther)
            #expect(
                try await staff.post(Self.code + "/people/\(amira.id.uuidString)/grab-bag", [:]).status == .notFound)
            #expect(
                try await staff.post(
                    Self.code + "/people/\(tomas.id.uuidString)/briefings",
                    ["kind": "travel_briefing", "given_by": "me"]
                ).status == .forbidden)
        }
    }
}
