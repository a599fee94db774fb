@testable import App
import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@Suite("Account and audit pages")
struct AccountAndAuditPageTests {
    @Test("a personal token is shown once, stored only as a hash, works for the API, and can be revoked", arguments: TestDatabases.kinds)
    func tokens(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            _ = try await browser.signIn(fixture.users[.staff]!.email, Fixture.password)
            _ = try await browser.get("/account")
            let created = try await browser.post("/account/tokens", ["name": "laptop", "days": "30"])
            let secret = try #require(created.body.firstMatch(of: /brg_[0-9a-f]{64}/).map { String($0.output) })
            let stored = try await TokenStore(app.db).list(userID: fixture.users[.staff]!.id)
            #expect(stored.count == 1)
            #expect(stored[0].tokenHash == TokenStore.hash(secret))
            #expect(stored[0].tokenHash != secret)
            #expect(!(try await browser.get("/account")).body.contains(secret), "shown once only")
            #expect(try await browser.get("/api/v1/operations", headers: ["Authorization": "Bearer \(secret)"]).status == .ok)
            _ = try await browser.post("/account/tokens/\(stored[0].id.uuidString)/revoke", [:])
            #expect(try await browser.get("/api/v1/operations", headers: ["Authorization": "Bearer \(secret)"]).status == .unauthorized)
        }
    }

    @Test("the HeOps reads who changed what; others may not; hidden records keep their values hidden", arguments: TestDatabases.kinds)
    func audit(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let security = fixture.users[.securityCoordinator]!
            let scope = AccessPolicy.scope(in: fixture.operation.id.uuidString, for: try await fixture.viewer(app, security))!
            let store = SiteStore(app.db)
            var draft = try SiteDraft(name: "Guesthouse A", type: .residence, latitude: 15, longitude: 32, audience: .ifrcOnly).validated()
            let site = try await store.create(draft, areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: security.id)
            draft.name = "Guesthouse B"
            _ = try await store.update(site.id, with: draft, areaPcode: nil, grants: .init(), scope: scope, actorID: security.id)
            let secret = try SiteDraft(name: "Safe room", type: .residence, latitude: 15, longitude: 32, audience: .restricted).validated()
            _ = try await store.create(secret, areaPcode: nil, grants: .init(roles: [.securityCoordinator]), in: fixture.operation.id, actorID: security.id)

            let heops = Browser(app)
            _ = try await heops.signIn(fixture.users[.headOfOperations]!.email, Fixture.password)
            let page = try await heops.get("/operations/SDN-TEST/audit")
            #expect(page.status == .ok)
            #expect(page.body.contains("Guesthouse A"))
            #expect(page.body.contains("Guesthouse B"))
            #expect(page.body.contains(security.email))
            #expect(!page.body.contains("Safe room"), "the HeOps is not named on the restricted site")
            let history = try await heops.get("/operations/SDN-TEST/sites/\(site.id.uuidString)/audit")
            #expect(history.status == .ok)
            #expect(history.body.contains("Guesthouse A"))
            // From the value before to the value after, the arrow points the way the page reads.
            #expect(history.body.contains("<del dir=\"auto\">Guesthouse A</del> → <ins dir=\"auto\">Guesthouse B</ins>"))
            _ = try await heops.post("/language", ["lang": "ar", "back": "/"])
            let arabic = try await heops.get("/operations/SDN-TEST/sites/\(site.id.uuidString)/audit")
            #expect(arabic.body.contains("<del dir=\"auto\">Guesthouse A</del> ← <ins dir=\"auto\">Guesthouse B</ins>"))

            let staff = Browser(app)
            _ = try await staff.signIn(fixture.users[.staff]!.email, Fixture.password)
            #expect(try await staff.get("/operations/SDN-TEST/audit").status == .forbidden)
            #expect(try await staff.get("/operations/SDN-TEST/sites/\(site.id.uuidString)/audit").status == .forbidden)
        }
    }
}
