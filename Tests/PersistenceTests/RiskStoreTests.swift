import Domain
import FluentKit
import Foundation
import Persistence
import SQLKit
import StoreTestSupport
import Testing

@Suite("The risk register in the database")
struct RiskStoreTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    var day: TimeInterval { 86_400 }

    func draft(
        _ title: String, likelihood: Int = 4, impact: Int = 4, audience: AudienceLevel = .ifrcOnly,
        measures: [MitigationMeasure] = [], at moment: Date? = nil
    ) throws -> RiskDraft {
        try RiskDraft(
            title: title, threat: "armed_conflict", targets: [.people, .assets],
            vulnerabilities: "Soft-skin vehicles", areaPcodes: ["sd01"], likelihood: likelihood,
            impact: impact, measures: measures, nextReview: (moment ?? now).addingTimeInterval(30 * day),
            audience: audience
        )
        .validated(now: moment ?? now)
    }

    func scope(_ db: any Database, _ fixture: StoreFixture, _ role: Role) async throws -> Scope {
        try #require(
            AccessPolicy.scope(
                in: fixture.operation.id, for: try await fixture.viewer(db, fixture.users[role]!)))
    }

    @Test(
        "a risk reads back whole with its measures; each change is a version and an audit entry",
        arguments: TestDatabases.kinds)
    func roundTrip(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let security = fixture.users[.securityCoordinator]!
            let store = RiskStore(db)
            let measure = MitigationMeasure(
                description: "Two-vehicle convoys", owner: "Fleet", dueOn: now.addingTimeInterval(7 * day),
                strategy: .protection, tags: [" Convoys "])
            let created = try await store.create(
                try draft("Crossfire on the Jebel Awlia road", measures: [measure]),
                in: fixture.operation.id, matrix: .srm, actorID: security.id, now: now)
            #expect(created.number == 1 && created.inherentLevel == 3 && created.level == 3)  // 4 × 4 = 16: very high
            let staffScope = try await scope(db, fixture, .staff)
            let found = try #require(try await store.find(created.id, in: staffScope))
            #expect(found.draft == created.draft)
            #expect(found.draft.areaPcodes == ["SD01"] && found.draft.measures.first?.tags == ["convoys"])

            var lowered = found.draft
            lowered.residualLikelihood = 2
            lowered.residualImpact = 3
            let updated = try await store.update(
                created.id, with: lowered, matrix: .srm, scope: staffScope, actorID: security.id,
                now: now.addingTimeInterval(day))
            #expect(updated.residualLevel == 1 && updated.level == 1 && updated.version == 2)
            let closed = try await store.setClosed(
                created.id, note: "Road reopened under escort", scope: staffScope, actorID: security.id,
                now: now.addingTimeInterval(2 * day))
            #expect(closed.closedAt != nil && closed.version == 3)
            await #expect(throws: DomainError.self) {
                try await store.setClosed(
                    created.id, note: "again", scope: staffScope, actorID: security.id, now: Date())
            }
            let versions = try await store.versions(of: created.id, in: staffScope)
            #expect(versions.map(\.change) == [.closed, .updated, .created])
            #expect(versions.map(\.level) == [1, 1, 3])
            #expect(versions.last?.draft.measures == [found.draft.measures[0]])
            let audit = try await AuditStore(db).entries(recordKind: "risk", recordID: created.id.uuidString)
            #expect(audit.count == 3)
            #expect(audit.last?.changes.contains("very_high") == true)
            // The register hides closed risks unless asked.
            #expect(try await store.list(in: staffScope, now: Date(), page: Paging(page: 1, perPage: 50)).total == 0)
            #expect(
                try await store.list(
                    in: staffScope, filter: .init(includeClosed: true), now: Date(), page: Paging(page: 1, perPage: 50)
                ).total == 1)
        }
    }

    @Test(
        """
        what changed since a date: new, raised, lowered, closed, and measures overdue at the end of the period
        """, arguments: TestDatabases.kinds)
    func changes(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let actor = fixture.users[.headOfOperations]!.id
            let scope = try await scope(db, fixture, .headOfOperations)
            let store = RiskStore(db)
            let op = fixture.operation.id
            let lowered = try await store.create(
                try draft("Lowered", likelihood: 4, impact: 4), in: op, matrix: .srm, actorID: actor, now: now)
            let raised = try await store.create(
                try draft("Raised", likelihood: 1, impact: 2), in: op, matrix: .srm, actorID: actor, now: now)
            let closing = try await store.create(
                try draft("Closing", likelihood: 3, impact: 3), in: op, matrix: .srm, actorID: actor, now: now)
            let same = try await store.create(
                try draft("Unchanged", likelihood: 2, impact: 2), in: op, matrix: .srm, actorID: actor, now: now)
            let since = now.addingTimeInterval(day)
            let later = now.addingTimeInterval(3 * day)
            var l = lowered.draft; l.likelihood = 1; l.impact = 1
            _ = try await store.update(lowered.id, with: l, matrix: .srm, scope: scope, actorID: actor, now: later)
            var r = raised.draft; r.likelihood = 5; r.impact = 5
            _ = try await store.update(raised.id, with: r, matrix: .srm, scope: scope, actorID: actor, now: later)
            _ = try await store.setClosed(
                closing.id, note: "No longer present", scope: scope, actorID: actor, now: later)
            let overdue = MitigationMeasure(
                description: "Hibernation stock", owner: "Logistics", dueOn: later.addingTimeInterval(-day),
                status: .inProgress, strategy: .protection)
            let done = MitigationMeasure(
                description: "Done already", owner: "Admin", dueOn: later.addingTimeInterval(-day),
                status: .done, strategy: .acceptance)
            _ = try await store.create(
                try draft("New", likelihood: 3, impact: 2, measures: [overdue, done], at: later),
                in: op, matrix: .srm, actorID: actor, now: later)
            let until = later.addingTimeInterval(day)
            let changes = try await store.changes(since: since, until: until, in: scope)
            #expect(changes.new.map(\.title) == ["New"])
            #expect(
                changes.raised.map(\.risk.title) == ["Raised"] && changes.raised.first?.from == 0
                    && changes.raised.first?.risk.level == 4)
            #expect(changes.lowered.map(\.risk.title) == ["Lowered"])
            #expect(changes.closed.map(\.title) == ["Closing"])
            #expect(changes.overdue.map(\.measure) == ["Hibernation stock"])
            // Before the updates the register was as created: nothing had changed since `now`.
            let early = try await store.changes(since: now, until: since, in: scope)
            #expect(early.isEmpty)
            _ = same
        }
    }

    @Test("the visibility rule holds for risks, their history, links and reports", arguments: TestDatabases.kinds)
    func visibility(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let op = fixture.operation.id
            let security = fixture.users[.securityCoordinator]!
            let store = RiskStore(db)
            let restricted = try await store.create(
                try draft("Informant inside the compound", audience: .restricted),
                in: op, matrix: .srm, actorID: security.id, now: now)
            let extortion = try await store.create(
                try draft("Checkpoint extortion"), in: op, matrix: .srm, actorID: security.id, now: now)
            let staff = try await scope(db, fixture, .staff)
            let heops = try await scope(db, fixture, .headOfOperations)
            let partner = try await scope(db, fixture, .partner)
            #expect(try await store.find(restricted.id, in: staff) == nil)
            #expect(try await store.find(restricted.id, in: heops) != nil)  // security always reads restricted risks
            #expect(try await store.find(extortion.id, in: partner) == nil)
            let page = Paging(page: 1, perPage: 50)
            #expect(
                try await store.list(in: staff, now: Date(), page: page).items.map(\.title) == ["Checkpoint extortion"])
            #expect(try await store.list(in: heops, now: Date(), page: page).total == 2)
            #expect(try await store.list(in: partner, now: Date(), page: page).total == 0)
            await #expect(throws: DomainError.self) { try await store.versions(of: restricted.id, in: staff) }
            let later = now.addingTimeInterval(86_400)
            #expect(
                try await store.changes(since: now.addingTimeInterval(-86_400), until: later, in: staff).new
                    .map(\.title) == ["Checkpoint extortion"])

            // An incident the viewer cannot see cannot be linked, nor named through a link.
            let incidents = IncidentStore(db)
            let incidentDraft = IncidentDraft(
                title: "Shots near the office", category: .violence, occurredAt: now.addingTimeInterval(-3600),
                areaPcode: "SD01", affected: [.staff], audience: .restricted)
            let hidden = try await incidents.create(
                try incidentDraft.validated(now: now), reporterID: security.id, in: op, actorID: security.id, now: now)
            let securityScope = try await scope(db, fixture, .securityCoordinator)
            _ = try await store.link(
                extortion.id, toIncidentNumber: hidden.number, scope: securityScope, actorID: security.id, now: now)
            _ = try await store.link(  // once only
                extortion.id, toIncidentNumber: hidden.number, scope: securityScope, actorID: security.id, now: now)
            #expect(
                try await store.linkedIncidents(of: extortion.id, in: securityScope).map(\.number)
                    == [hidden.number])
            #expect(try await store.linkedIncidents(of: extortion.id, in: staff).isEmpty)
            #expect(
                try await store.risks(linkedTo: hidden.id, in: securityScope).map(\.title)
                    == ["Checkpoint extortion"])
            await #expect(throws: DomainError.self) {
                try await store.link(
                    extortion.id, toIncidentNumber: hidden.number, scope: staff, actorID: fixture.users[.staff]!.id,
                    now: Date())
            }
            await #expect(throws: DomainError.self) {
                try await store.link(
                    extortion.id, toIncidentNumber: 999, scope: securityScope, actorID: security.id, now: Date())
            }

            let report = try await store.issueReport(
                since: now.addingTimeInterval(-86_400), recommendations: "Suspend night movement.",
                audience: .ifrcOnly, in: op, actorID: security.id, now: later)
            #expect(try await store.report(report.id, in: staff)?.recommendations == "Suspend night movement.")
            #expect(try await store.report(report.id, in: partner) == nil)
            #expect(try await store.reports(in: partner).isEmpty)
        }
    }

    @Test("the heat map counts every open risk per cell and names only the highest few", arguments: TestDatabases.kinds)
    func heatMap(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let actor = fixture.users[.securityCoordinator]!.id
            let store = RiskStore(db)
            for n in 1...10 {
                _ = try await store.create(
                    try draft("Cell risk \(n)", likelihood: 3, impact: 3), in: fixture.operation.id, matrix: .srm,
                    actorID: actor, now: now)
            }
            // Residual risk moves a risk to its residual cell; a closed one leaves the map.
            var moved = try draft("Moved by its measures", likelihood: 3, impact: 3)
            moved.residualLikelihood = 1
            moved.residualImpact = 2
            _ = try await store.create(moved, in: fixture.operation.id, matrix: .srm, actorID: actor, now: now)
            let closed = try await store.create(
                try draft("Closed", likelihood: 5, impact: 5), in: fixture.operation.id, matrix: .srm, actorID: actor,
                now: now)
            let security = try await scope(db, fixture, .securityCoordinator)
            _ = try await store.setClosed(closed.id, note: "Gone", scope: security, actorID: actor, now: now)
            let cells = try await store.heatMap(in: security)
            #expect(cells.map { "\($0.likelihood)×\($0.impact)=\($0.count)" } == ["1×2=1", "3×3=10"])
            #expect(cells.last?.risks.map(\.number) == Array(1...8))
            #expect(try await store.heatMap(in: try await scope(db, fixture, .partner)).isEmpty)
        }
    }

    @Test(
        "a new matrix re-levels every risk and records a version; a bad one is refused and changes nothing",
        arguments: TestDatabases.kinds)
    func matrixChange(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let op = fixture.operation.id
            let actor = fixture.users[.securityCoordinator]!.id
            let store = RiskStore(db)
            let settings = SettingsStore(db)
            let risk = try await store.create(
                try draft("Road ambush", likelihood: 3, impact: 3), in: op, matrix: .srm, actorID: actor, now: now)
            #expect(risk.level == 1)

            var cautious = RiskMatrix.srm
            cautious.cells = (1...5).map { l in (1...5).map { i in min(4, (l * i) / 4) } }  // 3 × 3 = 9 → 2: high
            let json = String(decoding: try JSONEncoder().encode(cautious), as: UTF8.self)
            let saved = try await settings.save(
                RiskSettings.self, .matrix, json: json, operationID: op, actorID: actor,
                now: now.addingTimeInterval(60))
            #expect(saved.matrix == cautious)
            #expect(try await settings.load(RiskSettings.self, operationID: op).matrix == cautious)
            let scope = try await scope(db, fixture, .securityCoordinator)
            #expect(try await store.find(risk.id, in: scope)?.level == 2)
            #expect(try await store.versions(of: risk.id, in: scope).first?.change == .releveled)
            let audited = try await AuditStore(db).entries(recordKind: "risk", recordID: risk.id.uuidString)
            #expect(
                audited.first?.changes.contains(#""level":["1","2"]"#) == true,
                "the re-levelling is in the audit log: \(audited.first?.changes ?? "")")

            var broken = cautious
            broken.cells[4][4] = 0  // the most likely, most severe cell lower than its neighbours
            let brokenJSON = String(decoding: try JSONEncoder().encode(broken), as: UTF8.self)
            await #expect(throws: ValidationErrors.self) {
                try await settings.save(
                    RiskSettings.self, .matrix, json: brokenJSON, operationID: op, actorID: actor, now: Date())
            }
            await #expect(throws: ValidationErrors.self) {
                try await settings.save(
                    RiskSettings.self, .rules, json: #"{"criticality_from_level": "extreme"}"#, operationID: op,
                    actorID: actor, now: Date())
            }
            await #expect(throws: ValidationErrors.self) {
                try await settings.save(
                    RiskSettings.self, .threats, json: "[{\"key\": \"x\"", operationID: op, actorID: actor, now: Date())
            }
            #expect(try await settings.load(RiskSettings.self, operationID: op).matrix == cautious)
            #expect(try await store.find(risk.id, in: scope)?.level == 2)
        }
    }
}
