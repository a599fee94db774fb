import Domain
import FluentKit
import Foundation
import Persistence
import SQLKit
import StoreTestSupport
import Testing

@Suite("Incidents in the database")
struct IncidentStoreTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func draft(_ title: String, audience: AudienceLevel) -> IncidentDraft {
        var casualties = Casualties()
        casualties[.killed, .national, .male] = 2
        casualties[.injured, .international, .female] = 1
        return IncidentDraft(
            title: title, description: "Two staff stopped; العربية", category: .violence, subtype: .shooting,
            occurredAt: now.addingTimeInterval(-7200), timePrecision: .minute, knownAt: now.addingTimeInterval(-3600),
            latitude: 15.5007, longitude: 32.5599, areaPcode: "SD01001", placeName: "Jebel Awlia road",
            geoPrecision: .exact, locationType: .road, affected: [.staff, .assets], casualties: casualties,
            actorType: .nonStateArmedGroup, means: .firearm, context: .ambush, motive: .unknown, severity: .critical,
            followUpActions: [
                .init(
                    action: "Suspend road movement", owner: "Security Coordinator",
                    dueOn: now.addingTimeInterval(86400))
            ],
            proceduresFollowed: true, verification: .unverified, source: .staffReport, reporterHidden: true,
            audience: audience)
    }

    @Test(
        "an incident reads back whole, numbered per operation, with its first report and an audit entry",
        arguments: TestDatabases.kinds)
    func roundTrip(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let staff = fixture.users[.staff]!
            let store = IncidentStore(db)
            let first = try await store.create(
                try draft("Ambush on the Jebel Awlia road", audience: .ifrcOnly).validated(now: now),
                reporterID: staff.id, in: fixture.operation.id, actorID: staff.id, now: now)
            let second = try await store.create(
                try draft("Second", audience: .ifrcOnly).validated(now: now),
                reporterID: staff.id, in: fixture.operation.id, actorID: staff.id, now: now)
            #expect(first.number == 1 && second.number == 2)
            #expect(first.serious && first.status == .reported)
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(db, staff)))
            let found = try #require(try await store.find(first.id, in: scope))
            #expect(found.draft == first.draft)
            #expect(found.draft.casualties.total(.killed) == 2 && found.draft.casualties.total() == 3)
            #expect(found.draft.followUpActions.map(\.owner) == ["Security Coordinator"])
            #expect(found.serious && found.reporterID == staff.id && found.draft.reporterHidden)
            let reports = try await store.reports(of: first.id)
            #expect(reports.map(\.type) == [.immediate] && reports.first?.summary == "Two staff stopped; العربية")
            let audit = try await AuditStore(db).entries(recordKind: "incident", recordID: first.id.uuidString)
            #expect(audit.count == 1)
            let changes = try JSONDecoder().decode(
                [String: [String?]].self, from: Data(try #require(audit.first?.changes).utf8))
            #expect(changes["title"]?.last == "Ambush on the Jebel Awlia road")
            #expect(changes["killed_national_male"]?.last == "2")
            #expect(changes["detained_national_female"] == nil)  // zero cells are left out of the history
            #expect(changes["reporter_hidden"]?.last == "yes")
            #expect(changes["latitude"]?.last == "15.5007")
            let due = DateText.day(now.addingTimeInterval(86400))
            #expect(changes["follow_up"]?.last == "Suspend road movement — Security Coordinator (due \(due))")
            // A site's id is kept as its UUID, and no site as nothing: a typed id never reads "Optional(…)" or "nil".
            #expect(!(audit.first?.changes.contains("Optional(") ?? true) && (changes["site_id"]?.last ?? nil) == nil)
            let site = try await SiteStore(db).create(
                try SiteDraft(name: "Office", type: .office, latitude: 15.5, longitude: 32.5, audience: .ifrcOnly)
                    .validated(), areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: staff.id,
                now: now)
            var atSite = try draft("At the office", audience: .ifrcOnly)
            atSite.siteID = site.id
            let third = try await store.create(
                try atSite.validated(now: now), reporterID: staff.id, in: fixture.operation.id, actorID: staff.id,
                now: now)
            let thirdAudit = try await AuditStore(db).entries(recordKind: "incident", recordID: third.id.uuidString)
            let thirdChanges = try JSONDecoder().decode(
                [String: [String?]].self, from: Data(try #require(thirdAudit.first?.changes).utf8))
            #expect(thirdChanges["site_id"]?.last == site.id.uuidString)
        }
    }

    @Test(
        """
        reports due come earliest deadline first: serious and other incidents read in deadline order \
        and merged by the reporting clock
        """, arguments: TestDatabases.kinds)
    func dueOrder(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let coordinator = fixture.users[.securityCoordinator]!
            let store = IncidentStore(db)
            // (hours ago it happened, hours ago it became known, serious): occurred-at order is not deadline order.
            let plan: [(Double, Double?, Bool)] = [
                (50, nil, false), (30, nil, true), (40, 2, true), (20, nil, false), (60, 50, false), (10, nil, true),
            ]
            for (i, (occurred, known, serious)) in plan.enumerated() {
                var d = IncidentDraft(
                    title: "due \(i)", category: .crime, occurredAt: now.addingTimeInterval(-occurred * 3600),
                    knownAt: known.map { now.addingTimeInterval(-$0 * 3600) }, areaPcode: "SD01", audience: .ifrcOnly)
                d.particularlySensitive = serious
                _ = try await store.create(
                    try d.validated(now: now), reporterID: coordinator.id, in: fixture.operation.id,
                    actorID: coordinator.id, now: now)
            }
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(db, coordinator)))
            let due = try await store.awaitingRegionalReport(in: scope, limit: 10)
            let expected = due.sorted {
                ($0.deadline(at: now).dueAt, $0.number) < ($1.deadline(at: now).dueAt, $1.number)
            }
            #expect(due.map(\.title) == expected.map(\.title))
            // Due, in hours from now: 1 at −6 (serious, 30 h ago), 0 and 4 at −2 (4 counts from when it became known),
            // 5 at +14, 2 at +22 (serious, known 2 h ago), 3 at +28.
            #expect(due.map(\.title) == ["due 1", "due 0", "due 4", "due 5", "due 2", "due 3"])
            #expect(try await store.awaitingRegionalReport(in: scope, limit: 2).map(\.title) == ["due 1", "due 0"])
        }
    }

    @Test("lists and lookups show each role only the incidents the policy allows", arguments: TestDatabases.kinds)
    func visibility(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let coordinator = fixture.users[.securityCoordinator]!
            let store = IncidentStore(db)
            var created: [IncidentRecord] = []
            for level in AudienceLevel.allCases {
                created.append(
                    try await store.create(
                        try draft("incident \(level.rawValue)", audience: level).validated(now: now),
                        reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id, now: now))
            }
            for (role, user) in fixture.users {
                let viewer = try await fixture.viewer(db, user)
                let scope = try #require(AccessPolicy.scope(in: fixture.operation.id, for: viewer))
                let expected = Set(created.filter { AccessPolicy.canView($0.access, by: viewer) }.map(\.id))
                let page = try await store.list(in: scope, page: Paging(page: 1, perPage: 50))
                #expect(Set(page.items.map(\.id)) == expected, "list for \(role)")
                #expect(page.total == expected.count, "count for \(role)")
                // The web list pages without counting: two at a time until no page follows.
                var browsed: [IncidentID] = []
                var pageNumber = 1
                while true {
                    let page = try await store.browse(in: scope, page: Paging(page: pageNumber, perPage: 2))
                    browsed += page.items.map(\.id)
                    #expect(
                        page.items.count == min(2, expected.count - (pageNumber - 1) * 2),
                        "page \(pageNumber) for \(role)")
                    guard page.hasMore else { break }
                    pageNumber += 1
                }
                #expect(browsed.count == expected.count && Set(browsed) == expected, "browse for \(role)")
                #expect(
                    try await store.countAwaitingRegionalReport(in: scope) == expected.count,
                    "reports due for \(role)")
                // Bounded, the count stops at the bound and never counts what the scope hides.
                for bound in [0, 1, expected.count, expected.count + 3] {
                    #expect(
                        try await store.countAwaitingRegionalReport(in: scope, upTo: bound)
                            == min(bound, expected.count), "reports due up to \(bound) for \(role)")
                }
                for incident in created {
                    #expect(
                        (try await store.find(incident.id, in: scope) != nil) == expected.contains(incident.id),
                        "lookup by \(role)")
                }
            }
            // Hand-checked: a partner sees only the public one; the restricted one its creator and security.
            for role in [Role.securityCoordinator, .headOfOperations] {
                let viewer = try await fixture.viewer(db, fixture.users[role]!)
                let scope = try #require(AccessPolicy.scope(in: fixture.operation.id, for: viewer))
                #expect(
                    try await store.list(in: scope, page: Paging(page: 1, perPage: 50)).items
                        .contains { $0.draft.title == "incident restricted" })
            }
            let staffScope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(db, fixture.users[.staff]!)))
            #expect(
                !(try await store.list(in: staffScope, page: Paging(page: 1, perPage: 50)).items
                    .contains { $0.draft.title == "incident restricted" }))
            let partner = try await fixture.viewer(db, fixture.users[.partner]!)
            let partnerScope = try #require(AccessPolicy.scope(in: fixture.operation.id, for: partner))
            #expect(
                try await store.list(in: partnerScope, page: Paging(page: 1, perPage: 50)).items.map(\.draft.title)
                    == ["incident public"])
        }
    }
}

@Suite("Incident follow-up in the database")
struct IncidentFollowUpTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// A small incident reported by the security coordinator, with their store and scope.
    func carHitAWall(_ db: any Database) async throws -> (
        coordinator: UserRecord, store: IncidentStore, scope: Scope, draft: IncidentDraft, created: IncidentRecord
    ) {
        let fixture = try await StoreFixture.make(db)
        let coordinator = fixture.users[.securityCoordinator]!
        let store = IncidentStore(db)
        let scope = try #require(
            AccessPolicy.scope(in: fixture.operation.id, for: try await fixture.viewer(db, coordinator)))
        let draft = try IncidentDraft(
            title: "Car hit a wall", category: .vehicleAccident, subtype: .singleVehicle,
            occurredAt: now.addingTimeInterval(-3600), areaPcode: "SD01", audience: .ifrcOnly
        ).validated(now: now)
        let created = try await store.create(
            draft, reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id, now: now)
        return (coordinator, store, scope, draft, created)
    }

    @Test(
        "a save in the same millisecond as the last is refused: the version would not change, and a save based on the older one would then overwrite it unseen",
        arguments: TestDatabases.kinds)
    func sameMillisecond(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let (coordinator, store, scope, draft, created) = try await carHitAWall(db)
            // Two editors read the same version.
            let read = EditVersion.token(created.updatedAt)
            var first = draft
            first.title = "First editor's title"
            var second = draft
            second.title = "Second editor's title"
            // The first saves 0.3 ms after the record was made: refused, or the version would stay the same.
            await #expect(throws: DomainError.self) {
                _ = try await store.update(
                    created.id, with: first, scope: scope, actorID: coordinator.id, expecting: read,
                    now: now.addingTimeInterval(0.0003))
            }
            // Sent again two milliseconds later, it is saved, under a new version.
            let saved = try await store.update(
                created.id, with: first, scope: scope, actorID: coordinator.id, expecting: read,
                now: now.addingTimeInterval(0.002))
            #expect(EditVersion.token(saved.updatedAt) != read)
            // The second editor, still on the version both read, is refused: nothing is overwritten.
            await #expect(throws: DomainError.self) {
                _ = try await store.update(
                    created.id, with: second, scope: scope, actorID: coordinator.id, expecting: read,
                    now: now.addingTimeInterval(0.0024))
            }
            #expect(try await store.find(created.id, in: scope)?.draft.title == "First editor's title")
        }
    }

    @Test(
        "edits, status steps and reports are stored and audited; the regional report stops the clock",
        arguments: TestDatabases.kinds)
    func followUp(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let (coordinator, store, scope, draft, created) = try await carHitAWall(db)
            #expect(!created.serious)
            #expect(created.deadline(at: now).state == .open && created.deadline(at: now).kind == .regionalReport)
            #expect(created.deadline(at: now.addingTimeInterval(48 * 3600)).state == .overdue)
            #expect(try await store.awaitingRegionalReport(in: scope).map(\.id) == [created.id])
            #expect(
                try await store.awaitingRegionalReport(in: scope).first?.deadline(at: now)
                    == created.deadline(at: now))

            // An edit that makes it serious moves it to the 24-hour clock, and is versioned.
            var edited = draft
            edited.seriousInjury = true
            edited.casualties[.injured, .national, .male] = 1
            let updated = try await store.update(
                created.id, with: edited, scope: scope, actorID: coordinator.id, now: now.addingTimeInterval(60))
            #expect(updated.serious && updated.deadline(at: now).kind == .seriousWrittenReport)
            #expect(try await store.find(created.id, in: scope)?.serious == true)

            // Status goes one step at a time.
            await #expect(throws: DomainError.self) {
                _ = try await store.changeStatus(
                    created.id, to: .closed, scope: scope, actorID: coordinator.id, now: Date())
            }
            let verified = try await store.changeStatus(
                created.id, to: .verified, scope: scope, actorID: coordinator.id, now: now.addingTimeInterval(120))
            #expect(verified.status == .verified && verified.statusChangedBy == coordinator.id)

            // A written report to the region stops the clock; a later one does not move it.
            _ = try await store.addReport(
                to: created.id, type: .update, summary: "Driver treated at clinic", sentToRegion: false,
                scope: scope, actorID: coordinator.id, now: now.addingTimeInterval(600))
            _ = try await store.addReport(
                to: created.id, type: .update, summary: "Written report to RSC and GSU", sentToRegion: true,
                scope: scope, actorID: coordinator.id, now: now.addingTimeInterval(3600))
            _ = try await store.addReport(
                to: created.id, type: .postIncident, summary: "Post-incident analysis", sentToRegion: true,
                scope: scope, actorID: coordinator.id, now: now.addingTimeInterval(7200))
            let found = try #require(try await store.find(created.id, in: scope))
            #expect(found.reportedToRegionAt == now.addingTimeInterval(3600))
            #expect(found.deadline(at: now.addingTimeInterval(99 * 3600)).state == .met)
            #expect(
                try await store.reports(of: created.id).map(\.type)
                    == [.immediate, .update, .update, .postIncident])
            #expect(try await store.awaitingRegionalReport(in: scope).isEmpty)
            await #expect(throws: DomainError.self) {
                _ = try await store.addReport(
                    to: created.id, type: .update, summary: "  ", sentToRegion: false, scope: scope,
                    actorID: coordinator.id, now: Date())
            }

            // The history: create, the edit with before and after, the status step, three reports.
            let audit = try await AuditStore(db).entries(recordKind: "incident", recordID: created.id.uuidString)
            #expect(audit.map(\.action) == [.update, .update, .update, .update, .update, .create])
            let edit = try JSONDecoder().decode([String: [String?]].self, from: Data(audit[4].changes.utf8))
            #expect(edit["serious_injury"] == ["no", "yes"])
            #expect(edit["injured_national_male"] == [nil, "1"])  // zero cells are not written out
            #expect(edit["title"] == nil)  // unchanged fields are not repeated
        }
    }
}
