import Domain
import FluentKit
import Foundation
import Persistence
import SQLKit
import StoreTestSupport
import Testing

@Suite("Visibility in SQL matches the access policy")
struct VisibilityMatrixTests {
    /// One site per audience level, plus restricted sites naming a user, a role, or created by a member.
    @Test(
        "every role sees in lists, lookups, maps and counts exactly what the policy allows",
        arguments: TestDatabases.kinds)
    func matrix(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let other = try await OperationStore(db).create(
                try OperationDraft(code: "OTHER", name: "Other", countries: ["TCD"]).validated(), actorID: nil,
                now: Date())
            let creator = fixture.users[.securityCoordinator]!
            let sites = SiteStore(db)
            var created: [(SiteRecord, RecordAccess)] = []
            func add(
                _ name: String, _ audience: AudienceLevel, grants: SiteStore.Grants = .init(), by user: UserRecord,
                in operation: OperationID
            ) async throws {
                let draft = try SiteDraft(name: name, type: .office, latitude: 15, longitude: 32, audience: audience)
                    .validated()
                let site = try await sites.create(
                    draft, areaPcode: nil, grants: grants, in: operation, actorID: user.id, now: Date())
                created.append((site, try await sites.access(of: site)))
            }
            for level in AudienceLevel.allCases where level != .restricted {
                try await add("site \(level.rawValue)", level, by: creator, in: fixture.operation.id)
            }
            try await add(
                "restricted to staff user", .restricted, grants: .init(userIDs: [fixture.users[.staff]!.id]),
                by: creator, in: fixture.operation.id)
            try await add(
                "restricted to partner role", .restricted, grants: .init(roles: [.partner]),
                by: creator, in: fixture.operation.id)
            try await add(
                "restricted, creator only", .restricted, by: fixture.users[.nationalSocietyFocalPoint]!,
                in: fixture.operation.id)
            // A public site of another operation must never show up.
            try await add("other operation", .public, by: creator, in: other.id)

            // One flow tally at each site, as visible as its site. Each is imported, so it carries the
            // content key an identical import is matched by, by someone who sees the site: its creator,
            // or in the other operation a member of it (the creator is not).
            let flows = FlowStore(db)
            let otherMember = try await UserStore(db).create(
                email: "other-heops@test.org", displayName: "Other HeOps",
                passwordHash: StoreFixture.placeholderPasswordHash, isAdmin: false, actorID: fixture.admin.id,
                now: Date())
            try await OperationStore(db).setMember(
                operationID: other.id, userID: otherMember.id, role: .headOfOperations, actorID: fixture.admin.id,
                now: Date())
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            func tally(at point: SiteID) throws -> FlowObservationDraft {
                try FlowObservationDraft(
                    pointID: point, windowStart: start, windowEnd: start.addingTimeInterval(3600),
                    direction: .incoming, total: 12
                ).validated(now: start)
            }
            var tallies: [(record: FlowObservationRecord, draft: FlowObservationDraft, access: RecordAccess)] = []
            for (site, access) in created {
                let recorder: UserRecord
                if site.operationId == other.id {
                    recorder = otherMember
                } else {
                    recorder = try #require(fixture.users.values.first { $0.id == site.createdBy })
                }
                let scope = try #require(
                    AccessPolicy.scope(
                        in: site.operationId, for: try await fixture.viewer(db, recorder)))
                let draft = try tally(at: site.id)
                #expect(
                    try await flows.importTally(draft, id: nil, scope: scope, actorID: recorder.id, now: Date())
                        == .added, "tally at \(site.name)")
                let recorded = try await flows.observations(
                    in: scope, point: site.id, page: Paging(page: 1, perPage: 10))
                #expect(recorded.items.count == 1, "one tally at \(site.name)")
                tallies.append((try #require(recorded.items.first), draft, access))
            }
            // What importing `draft` without an id answers through `scope`: its outcome, or the refusal.
            func importing(_ draft: FlowObservationDraft, scope: Scope, actorID: UserID) async throws
                -> Result<FlowStore.ImportOutcome, DomainError>
            {
                do {
                    return .success(
                        try await flows.importTally(draft, id: nil, scope: scope, actorID: actorID, now: Date()))
                } catch let error as DomainError {
                    return .failure(error)
                }
            }

            for (role, user) in fixture.users {
                let viewer = try await fixture.viewer(db, user)
                let scope = try #require(AccessPolicy.scope(in: fixture.operation.id, for: viewer))
                let expected = Set(created.filter { AccessPolicy.canView($0.1, by: viewer) }.map(\.0.id))
                let firstPage = try await sites.list(in: scope, page: Paging(page: 1, perPage: 200))
                let listed = Set(firstPage.items.map(\.id))
                // The total shown beside a list counts only visible rows, on every page and past the last.
                let secondPage = try await sites.list(in: scope, page: Paging(page: 2, perPage: 2))
                let pastEnd = try await sites.list(in: scope, page: Paging(page: 99, perPage: 2))
                #expect(
                    firstPage.total == expected.count && secondPage.total == expected.count
                        && pastEnd.total == expected.count,
                    "totals for \(role)")
                #expect(
                    secondPage.items.map(\.id) == Array(firstPage.items.map(\.id).dropFirst(2).prefix(2)),
                    "page 2 for \(role)")
                #expect(pastEnd.items.isEmpty)
                let all = Set(try await sites.all(in: scope).map(\.id))
                let mapped = try await sites.mapPoints(in: scope)
                #expect(Set(mapped.map(\.id)) == expected && mapped.count == expected.count, "map points for \(role)")
                let searched = Set(
                    try await sites.list(
                        in: scope, filter: .init(search: "SITE"), page: Paging(page: 1, perPage: 200)
                    ).items.map(\.id))
                #expect(listed == expected, "list for \(role)")
                #expect(all == expected, "map/export set for \(role)")
                #expect(
                    searched
                        == Set(
                            created.filter { expected.contains($0.0.id) && $0.0.name.hasPrefix("site") }
                                .map(\.0.id)), "search for \(role)")
                for (site, _) in created {
                    let found = try await sites.find(site.id, in: scope)
                    #expect((found != nil) == expected.contains(site.id), "lookup of \(site.name) by \(role)")
                }

                // Tallies: exactly those at the sites the role sees, in the list, the export's batches and
                // a lookup by id.
                let visibleTallies = Set(
                    tallies.filter { AccessPolicy.canView($0.access, by: viewer) }.map(\.record.id))
                let observed = try await flows.observations(in: scope, page: Paging(page: 1, perPage: 200)).items
                #expect(
                    Set(observed.map(\.id)) == visibleTallies && observed.count == visibleTallies.count,
                    "tallies listed for \(role)")
                let batched = try await flows.batch(in: scope, point: nil, after: nil, limit: 200)
                #expect(
                    Set(batched.map(\.id)) == visibleTallies && batched.count == visibleTallies.count,
                    "tallies exported for \(role)")
                // Importing a tally again: "unchanged" where the role sees the one already there. A hidden
                // one's point is hidden too, so the import is refused exactly as for a point that does not
                // exist; never "unchanged", which would tell that the hidden tally is there.
                let unknownPoint = try await importing(try tally(at: SiteID(UUID())), scope: scope, actorID: user.id)
                guard case .failure(let refusal) = unknownPoint else {
                    Issue.record("a tally at no point was not refused for \(role): \(unknownPoint)")
                    continue
                }
                #expect(refusal.field == "point", "the refusal names the point for \(role)")
                for (record, draft, _) in tallies {
                    let visible = visibleTallies.contains(record.id)
                    let what = "tally at \(draft.pointID) for \(role)"
                    #expect((try await flows.observation(record.id, in: scope) != nil) == visible, "lookup of \(what)")
                    let again = try await importing(draft, scope: scope, actorID: user.id)
                    #expect(again == (visible ? .success(.unchanged) : unknownPoint), "import again of \(what)")
                }
                let after = try await flows.observations(in: scope, page: Paging(page: 1, perPage: 200)).items
                #expect(Set(after.map(\.id)) == visibleTallies, "no tally added by importing again for \(role)")
            }
            // Hand-checked expectations, so a policy bug cannot hide behind itself.
            let partner = try await fixture.viewer(db, fixture.users[.partner]!)
            let partnerScope = try #require(AccessPolicy.scope(in: fixture.operation.id, for: partner))
            #expect(
                Set(try await sites.all(in: partnerScope).map(\.name))
                    == ["site public", "restricted to partner role"])
            let ns = try await fixture.viewer(db, fixture.users[.nationalSocietyFocalPoint]!)
            let nsScope = try #require(AccessPolicy.scope(in: fixture.operation.id, for: ns))
            #expect(
                Set(try await sites.all(in: nsScope).map(\.name))
                    == ["site public", "site movement", "site ifrc_ns", "restricted, creator only"])
            // And for tallies: the partner's are those at its two sites.
            let partnerPoints = Set(
                created.filter { ["site public", "restricted to partner role"].contains($0.0.name) }.map(\.0.id))
            #expect(
                Set(
                    try await flows.observations(in: partnerScope, page: Paging(page: 1, perPage: 200)).items.map(
                        \.draft.pointID)) == partnerPoints)
            #expect(partnerPoints.count == 2)
        }
    }

    @Test("a site reads back exactly as written, every field, through each read path", arguments: TestDatabases.kinds)
    func roundTrip(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let coordinator = fixture.users[.securityCoordinator]!
            let draft = try SiteDraft(
                name: "Kosti way station", type: .transitCentre, latitude: 13.1629, longitude: 32.6635,
                contactName: "Amal", contactPhone: "+249 91 000 0000", notes: "Open 08–18; العربية",
                audience: .ifrcOnly
            ).validated()
            let sites = SiteStore(db)
            let created = try await sites.create(
                draft, areaPcode: "SD06001", grants: .init(), in: fixture.operation.id, actorID: coordinator.id,
                now: Date())
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(db, coordinator)))
            let found = try #require(try await sites.find(created.id, in: scope))
            // The hand-written decoder agrees with the Codable one on every column.
            let viaCodable = try #require(
                try await (db as! any SQLDatabase).select().column("*").from("sites")
                    .where("id", .equal, created.id).first()
            ).decode(model: SiteRecord.self)
            #expect(found == viaCodable)
            #expect(found.name == "Kosti way station" && found.type == "transit_centre" && found.areaPcode == "SD06001")
            #expect(
                found.contactName == "Amal" && found.contactPhone == "+249 91 000 0000"
                    && found.notes == "Open 08–18; العربية")
            #expect(found.latitude == 13.1629 && found.longitude == 32.6635 && found.createdBy == coordinator.id)
            #expect(try await sites.list(in: scope, page: Paging(page: 1, perPage: 10)).items == [found])
            #expect(try await sites.all(in: scope) == [found])
            let point = try #require(try await sites.mapPoints(in: scope).first)
            #expect(
                point.id == found.id && point.name == found.name && point.latitude == found.latitude
                    && point.longitude == found.longitude && point.updatedAt == found.updatedAt
                    && point.siteType == .transitCentre)
        }
    }

    @Test(
        "operation lists follow the policy: administrators all, members theirs, outsiders none",
        arguments: TestDatabases.kinds)
    func operations(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            _ = try await OperationStore(db).create(
                try OperationDraft(code: "OTHER", name: "Other", countries: ["TCD"]).validated(), actorID: nil,
                now: Date())
            let store = OperationStore(db)
            #expect(
                try await store.list(visibleTo: try await fixture.viewer(db, fixture.admin)).map(\.code)
                    == ["OTHER", "SDN-TEST"])
            #expect(
                try await store.list(visibleTo: try await fixture.viewer(db, fixture.users[.partner]!)).map(\.code)
                    == ["SDN-TEST"])
            #expect(try await store.list(visibleTo: try await fixture.viewer(db, fixture.outsider)).isEmpty)
        }
    }
}
