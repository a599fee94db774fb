import Domain
import FluentKit
import Foundation
import Geo
import SQLKit
import StoreTestSupport
import Testing

@testable import Persistence

@Suite("Security phases in the database")
struct PhaseStoreTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// The fixture's operation with two states of Sudan's boundaries, SD01 (Khartoum) and SD02 (North Darfur).
    func setUp(_ db: any Database) async throws -> StoreFixture {
        let fixture = try await StoreFixture.make(db)
        let square = MultiPolygon(
            Polygon(exterior: [
                Coordinate(longitude: 32, latitude: 15), Coordinate(longitude: 33, latitude: 15),
                Coordinate(longitude: 33, latitude: 16), Coordinate(longitude: 32, latitude: 15),
            ]))
        _ = try await AreaStore(db).importAreas(
            ["SD01", "SD02", "SD03"].map {
                AdminAreaInput(level: 1, pcode: $0, parentPcode: nil, name: $0, names: [:], geometry: square)
            },
            into: fixture.operation.id, actorID: nil, now: Date())
        return fixture
    }

    @Test(
        """
        White and Yellow are in force when the senior manager declares them; Orange waits for the Head of GSU; \
        nobody approves their own
        """, arguments: TestDatabases.kinds)
    func approvalChain(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await setUp(db)
            let op = fixture.operation.id
            let store = PhaseStore(db)
            let rules = PhaseRules.ifrc
            let heops = fixture.users[.headOfOperations]!.id
            let security = fixture.users[.securityCoordinator]!.id
            let gsu = fixture.users[.staff]!.id  // a member named Head of GSU for the test
            let director = fixture.users[.migrationCoordinator]!.id
            let heopsHeld = try await store.authorities(of: heops, role: .headOfOperations, in: op)
            #expect(heopsHeld == [.seniorManager])

            let yellow = try await store.declare(
                areaPcode: "sd01", phase: "yellow", justification: "Looting near the market",
                indicators: ["Rising crime"], rules: rules, declarer: heops, declarerAuthorities: heopsHeld,
                in: op, now: now)
            #expect(
                yellow.status == .inForce && yellow.areaPcode == "SD01" && yellow.from == nil
                    && yellow.notify == [.regionalSecurityCoordinator, .globalSecurityUnit])

            // Declared by the coordinator, Orange needs the Head of GSU; it is pending, never in force.
            let orange = try await store.declare(
                areaPcode: "SD01", phase: "orange", justification: "Clashes in Omdurman",
                indicators: ["Armed confrontations"], rules: rules, declarer: security,
                declarerAuthorities: [], in: op, now: now.addingTimeInterval(60))
            #expect(orange.status == .pending && orange.from == "yellow" && orange.missing == [.headOfGSU])
            #expect(try await store.inForce(in: op)["SD01"]?.to == "yellow")
            await #expect(throws: DomainError.self) {  // one pending declaration per area
                try await store.declare(
                    areaPcode: "SD01", phase: "red", justification: "x", indicators: ["y"],
                    rules: rules, declarer: security, declarerAuthorities: [], in: op, now: Date())
            }
            // The HeOps does not hold the Head of GSU's authority.
            await #expect(throws: DomainError.self) {
                try await store.approve(orange.id, by: heops, holding: heopsHeld, as: .headOfGSU, in: op, now: Date())
            }
            try await store.grant(.headOfGSU, to: gsu, in: op, actorID: heops, now: Date())
            let gsuHeld = try await store.authorities(of: gsu, role: .staff, in: op)
            #expect(gsuHeld == [.headOfGSU])
            let approved = try await store.approve(
                orange.id, by: gsu, holding: gsuHeld, as: .headOfGSU, in: op, now: now.addingTimeInterval(120))
            #expect(approved.status == .inForce)
            #expect(try await store.inForce(in: op)["SD01"]?.to == "orange")
            await #expect(throws: DomainError.self) {  // already in force
                try await store.approve(orange.id, by: gsu, holding: gsuHeld, as: .headOfGSU, in: op, now: Date())
            }

            // Red needs the Regional Director and the Head of GSU.
            try await store.grant(.regionalDirector, to: director, in: op, actorID: heops, now: Date())
            let red = try await store.declare(
                areaPcode: "SD01", phase: "red", justification: "Attack on the office",
                indicators: ["Direct attack on RCRC premises"], rules: rules, declarer: security,
                declarerAuthorities: [], in: op, now: now.addingTimeInterval(180))
            #expect(red.missing == [.regionalDirector, .headOfGSU])
            _ = try await store.approve(
                red.id, by: gsu, holding: gsuHeld, as: .headOfGSU, in: op, now: now.addingTimeInterval(200))
            #expect(try await store.inForce(in: op)["SD01"]?.to == "orange")
            let inForce = try await store.approve(
                red.id, by: director, holding: [.regionalDirector], as: .regionalDirector, in: op,
                now: now.addingTimeInterval(240))
            #expect(inForce.status == .inForce && inForce.approvals.count == 2)

            // Down from Red to Yellow: the senior manager's approval (given by declaring), and Red's two.
            let down = try await store.declare(
                areaPcode: "SD01", phase: "yellow", justification: "Front line moved away", indicators: [],
                rules: rules, declarer: heops, declarerAuthorities: heopsHeld, in: op, now: now.addingTimeInterval(300))
            #expect(down.status == .pending && down.missing == [.regionalDirector, .headOfGSU])

            // A declarer who holds the Head of GSU's authority may not give it to their own declaration.
            try await store.grant(.headOfGSU, to: security, in: op, actorID: heops, now: Date())
            let own = try await store.declare(
                areaPcode: "SD02", phase: "orange", justification: "Siege of El Fasher",
                indicators: ["Armed confrontations"], rules: rules, declarer: security,
                declarerAuthorities: [.headOfGSU], in: op, now: now)
            #expect(own.status == .pending)
            do {
                _ = try await store.approve(
                    own.id, by: security, holding: [.headOfGSU], as: .headOfGSU, in: op, now: Date())
                Issue.record("approving one's own declaration was allowed")
            } catch let error as DomainError {
                #expect(error.messageKey == "error.phase_own")
            }
            try await store.withdraw(own.id, actorID: security, in: op, now: Date())
            #expect(try await store.pending(in: op).map(\.areaPcode) == ["SD01"])
            #expect(try await store.history(in: op, areaPcode: "SD02").first?.status == .withdrawn)

            try await store.markNotified(yellow.id, .globalSecurityUnit, actorID: security, in: op, now: now)
            #expect(try await store.find(yellow.id, in: op)?.notified[.globalSecurityUnit] == now)
            let audit = try await AuditStore(db).entries(
                recordKind: "phase_declaration", recordID: orange.id.uuidString)
            #expect(audit.count == 2)
            #expect(try await store.history(in: op).count == 5)
            // What the plans' clocks read of it: when declarations came into force, newest first, as the history.
            let changes = try await store.phaseChanges(in: op)
            #expect(changes == (try await store.history(in: op, limit: 1_000)).compactMap(\.inForceAt))
            #expect(changes.count == 3 && changes == changes.sorted(by: >))
            #expect(
                try await store.phaseChanges(in: op, limit: 3)
                    == (try await store.history(in: op, limit: 3)).compactMap(\.inForceAt))
        }
    }

    @Test("bad declarations are refused with the field named, and nothing is stored", arguments: TestDatabases.kinds)
    func badInput(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await setUp(db)
            let op = fixture.operation.id
            let store = PhaseStore(db)
            let heops = fixture.users[.headOfOperations]!.id
            func declare(
                _ area: String, _ phase: String, _ justification: String, _ indicators: [String]
            ) async throws {
                _ = try await store.declare(
                    areaPcode: area, phase: phase, justification: justification, indicators: indicators,
                    rules: .ifrc, declarer: heops, declarerAuthorities: [.seniorManager], in: op, now: Date())
            }
            await #expect(throws: DomainError.self) { try await declare("SD99", "yellow", "x", ["y"]) }
            await #expect(throws: ValidationErrors.self) { try await declare("SD01", "black", "x", ["y"]) }
            await #expect(throws: ValidationErrors.self) { try await declare("SD01", "orange", "  ", ["y"]) }
            await #expect(throws: ValidationErrors.self) { try await declare("SD01", "orange", "Clashes", []) }
            #expect(try await store.history(in: op).isEmpty)
            await #expect(throws: DomainError.self) {
                try await store.grant(.headOfGSU, to: fixture.outsider.id, in: op, actorID: heops, now: Date())
            }
        }
    }
}

@Suite("Phase definitions: no note to developers reaches a page")
struct PhasePlaceholderMigrationTests {
    @Test(
        "migration 0031 empties the shipped placeholder descriptions an operation saved, and keeps what anyone wrote",
        arguments: TestDatabases.kinds)
    func emptiesPlaceholders(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let coordinator = fixture.users[.securityCoordinator]!
            var catalogue = PhaseDefinition.ifrc
            catalogue[0].description = PhaseDefinition.retiredPlaceholders[0]
            catalogue[1].description = PhaseDefinition.retiredPlaceholders[1]
            catalogue[2].description = "Written by the coordinator: no movement after dark."
            let store = SettingsStore(db)
            try await store.save(
                PhaseSettings.self, .catalogue, json: PhaseSettings(catalogue: catalogue).json(.catalogue),
                operationID: fixture.operation.id, actorID: coordinator.id, now: Date())
            #expect(
                try await store.load(PhaseSettings.self, operationID: fixture.operation.id).catalogue[0].description
                    == PhaseDefinition.retiredPlaceholders[0])

            try await EmptyPhasePlaceholders().prepare(on: db)

            let after = try await store.load(PhaseSettings.self, operationID: fixture.operation.id).catalogue
            #expect(after.map(\.description) == ["", "", catalogue[2].description, catalogue[3].description])
            #expect(after.map(\.indicators) == catalogue.map(\.indicators))
            // The defaults never carried them either.
            #expect(!PhaseDefinition.ifrc.contains { $0.description.contains("not retrieved") })
        }
    }
}
