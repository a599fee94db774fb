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
                in operation: UUID
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

            for (role, user) in fixture.users {
                let viewer = try await fixture.viewer(db, user)
                let scope = try #require(AccessPolicy.scope(in: fixture.operation.id.uuidString, for: viewer))
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
            }
            // Hand-checked expectations, so a policy bug cannot hide behind itself.
            let partner = try await fixture.viewer(db, fixture.users[.partner]!)
            let partnerScope = try #require(AccessPolicy.scope(in: fixture.operation.id.uuidString, for: partner))
            #expect(
                Set(try await sites.all(in: partnerScope).map(\.name))
                    == ["site public", "restricted to partner role"])
            let ns = try await fixture.viewer(db, fixture.users[.nationalSocietyFocalPoint]!)
            let nsScope = try #require(AccessPolicy.scope(in: fixture.operation.id.uuidString, for: ns))
            #expect(
                Set(try await sites.all(in: nsScope).map(\.name))
                    == ["site public", "site movement", "site ifrc_ns", "restricted, creator only"])
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
                    in: fixture.operation.id.uuidString, for: try await fixture.viewer(db, coordinator)))
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
