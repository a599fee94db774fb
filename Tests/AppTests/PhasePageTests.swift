import Domain
import Foundation
import Geo
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Security phases through the pages")
struct PhasePageTests {
    func signedIn(_ app: Application, _ user: UserRecord) async throws -> Browser {
        try await Browser.signedIn(app, user)
    }

    /// Two states side by side, and a locality inside the first.
    func setUp(_ app: Application) async throws -> Fixture {
        let fixture = try await Fixture.make(app)
        func square(_ x: Double, _ y: Double, _ size: Double) -> MultiPolygon {
            MultiPolygon(
                Polygon(exterior: [
                    Coordinate(longitude: x, latitude: y), Coordinate(longitude: x + size, latitude: y),
                    Coordinate(longitude: x + size, latitude: y + size), Coordinate(longitude: x, latitude: y + size),
                    Coordinate(longitude: x, latitude: y),
                ]))
        }
        _ = try await AreaStore(app.db).importAreas(
            [
                AdminAreaInput(
                    level: 1, pcode: "SD01", parentPcode: nil, name: "Khartoum", names: ["ar": "الخرطوم"],
                    geometry: square(32, 15, 1)),
                AdminAreaInput(
                    level: 1, pcode: "SD02", parentPcode: nil, name: "North Darfur", names: [:],
                    geometry: square(24, 13, 2)),
                AdminAreaInput(
                    level: 2, pcode: "SD01001", parentPcode: "SD01", name: "Jebel Awlia", names: [:],
                    geometry: square(32.2, 15.1, 0.3)),
            ], into: fixture.operation.id, actorID: nil, now: Date())
        return fixture
    }

    @Test(
        "the HeOps declares Yellow (in force at once); the coordinator's Orange waits for the Head of GSU, who approves it; the map follows",
        arguments: TestDatabases.kinds)
    func declareAndApprove(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await setUp(app)
            let heops = try await signedIn(app, fixture.users[.headOfOperations]!)
            let yellow = try await heops.post(
                "/operations/SDN-TEST/phases",
                [
                    "area_pcode": "SD01", "phase": "yellow", "justification": "Looting in the markets",
                    "indicators[]": "Rising crime or unrest affecting the population",
                ])
            #expect(yellow.status == .seeOther)
            var page = try await heops.get("/operations/SDN-TEST/phases")
            #expect(page.body.contains("Khartoum (SD01)"))
            // Its locality takes the state's phase on the map, drawn at the deepest declared level (here 1).
            #expect(page.body.contains("fill=\"#ffd43b\"><title>Khartoum: Yellow</title>"))
            #expect(page.body.contains("<title>North Darfur</title>"))

            let coordinator = try await signedIn(app, fixture.users[.securityCoordinator]!)
            let orange = try await coordinator.post(
                "/operations/SDN-TEST/phases",
                [
                    "area_pcode": "sd01", "phase": "orange", "justification": "Clashes in Omdurman",
                    "other_indicators": "Shelling near the office",
                ])
            #expect(orange.status == .seeOther)
            page = try await coordinator.get("/operations/SDN-TEST/phases")
            let pending = try #require(
                page.body.components(separatedBy: "<section id=\"pending\">").last?.components(
                    separatedBy: "</section>"
                ).first)
            #expect(pending.contains("Clashes in Omdurman") && pending.contains("Shelling near the office"))
            // nobody here may approve it
            #expect(pending.contains("<li class=\"missing\">… Head of the Global Security Unit</li>"))
            // pending: the map is still Yellow
            #expect(page.body.contains("fill=\"#ffd43b\"><title>Khartoum: Yellow</title>"))
            let again = try await coordinator.post(
                "/operations/SDN-TEST/phases",
                [
                    "area_pcode": "SD01", "phase": "red", "justification": "x",
                    "indicators[]": "Widespread armed confrontations",
                ])
            #expect(
                again.status == .conflict && again.body.contains("A declaration for this area is waiting for approval"))

            // The HeOps names a staff member Head of GSU for the operation; they approve.
            let staff = fixture.users[.staff]!
            #expect(
                try await heops.post(
                    "/operations/SDN-TEST/phases/authorities",
                    ["user": staff.id.uuidString, "authority": "head_of_gsu"]
                ).status == .seeOther)
            let declaration = try #require(try await PhaseStore(app.db).pending(in: fixture.operation.id).first)
            let approver = try await signedIn(app, staff)
            let form = try await approver.get("/operations/SDN-TEST/phases")
            #expect(form.body.contains("Approve as Head of the Global Security Unit"))
            // The HeOps does not hold that authority: refused, nothing changed.
            let refused = try await heops.post(
                "/operations/SDN-TEST/phases/\(declaration.id.uuidString)/approve", ["authority": "head_of_gsu"])
            #expect(
                refused.status == .forbidden
                    && refused.body.contains("You do not hold the authority this approval needs."))
            #expect(
                try await approver.post(
                    "/operations/SDN-TEST/phases/\(declaration.id.uuidString)/approve", ["authority": "head_of_gsu"]
                ).status == .seeOther)
            page = try await heops.get("/operations/SDN-TEST/phases")
            #expect(
                page.body.contains("fill=\"#fd7e14\"><title>Khartoum: Orange</title>")
                    && page.body.contains("No declaration is waiting for approval."))
            #expect(try await PhaseStore(app.db).inForce(in: fixture.operation.id)["SD01"]?.to == "orange")
        }
    }

    @Test(
        "bad declarations are refused with what is wrong; only security roles declare; partners see the map but not the declarations",
        arguments: [TestDatabases.Kind.sqlite])
    func refusals(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await setUp(app)
            let heops = try await signedIn(app, fixture.users[.headOfOperations]!)
            let cases: [([String: String], String)] = [
                (
                    ["area_pcode": "SD99", "phase": "yellow", "justification": "x"],
                    "not an admin area of this operation"
                ),
                (
                    ["area_pcode": "SD01", "phase": "black", "justification": "x"],
                    "This is not one of the operation&#39;s phases."
                ),
                (["area_pcode": "SD01", "phase": "orange", "justification": "  "], "Say why the phase changes."),
                (
                    ["area_pcode": "SD01", "phase": "orange", "justification": "Clashes"],
                    "Name the indicators met that call for this phase."
                ),
            ]
            for (form, message) in cases {
                let page = try await heops.post("/operations/SDN-TEST/phases", form)
                #expect(page.status == .unprocessableEntity, "\(form)")
                #expect(page.body.contains(message), "\(form): \(message)")
            }
            #expect(try await PhaseStore(app.db).history(in: fixture.operation.id).isEmpty)
            #expect(
                try await heops.post(
                    "/operations/SDN-TEST/phases",
                    [
                        "area_pcode": "SD02", "phase": "yellow", "justification": "Secret reason",
                        "other_indicators": "Armed robbery on the road",
                    ]
                ).status == .seeOther)
            for role in [Role.staff, .migrationCoordinator, .nationalSocietyFocalPoint, .partner] {
                let browser = try await signedIn(app, fixture.users[role]!)
                #expect(
                    try await browser.post(
                        "/operations/SDN-TEST/phases", ["area_pcode": "SD01", "phase": "yellow", "justification": "x"]
                    ).status
                        == .forbidden, "\(role)")
                let page = try await browser.get("/operations/SDN-TEST/phases")
                #expect(page.status == .ok, "\(role)")
                #expect(
                    page.body.contains("fill=\"#ffd43b\"><title>North Darfur: Yellow</title>"), "\(role) sees the map")
                #expect(page.body.contains("Secret reason") == (role != .partner), "\(role) and the justification")
                #expect(!page.body.contains("id=\"declare-phase\""), "\(role)")
            }
            let outsider = try await signedIn(app, fixture.outsider)
            #expect(try await outsider.get("/operations/SDN-TEST/phases").status == .notFound)
            // Only whoever manages the operation names approvers.
            let coordinator = try await signedIn(app, fixture.users[.securityCoordinator]!)
            #expect(
                try await coordinator.post(
                    "/operations/SDN-TEST/phases/authorities",
                    ["user": fixture.users[.staff]!.id.uuidString, "authority": "head_of_gsu"]
                ).status == .forbidden)
        }
    }

    @Test(
        "a phase without a definition shows nothing to readers and tells those who may write it where; no placeholder reaches a page",
        arguments: TestDatabases.kinds)
    func emptyDefinitions(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await setUp(app)
            for role in Role.allCases {
                let page = try await signedIn(app, fixture.users[role]!).get("/operations/SDN-TEST/phases")
                #expect(page.status == .ok, "\(role)")
                #expect(!page.body.contains("not retrieved") && !page.body.contains("replace with"), "\(role)")
                let writes = role == .securityCoordinator || role == .headOfOperations
                // White, Yellow and Orange have no definition until the Security Coordinator writes one.
                #expect(
                    page.body.components(separatedBy: "Not written yet").count - 1 == (writes ? 3 : 0), "\(role)")
                #expect(page.body.contains("href=\"/operations/SDN-TEST/security-settings\"") == writes, "\(role)")
                // Red's is the IFRC's own, shown to every member.
                #expect(page.body.contains("The overall security risk is extreme"), "\(role)")
            }
        }
    }

}
