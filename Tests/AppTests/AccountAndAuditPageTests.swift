import Domain
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Account and audit pages")
struct AccountAndAuditPageTests {
    @Test(
        "a personal token is shown once, stored only as a hash, works for the API, and can be revoked",
        arguments: TestDatabases.kinds)
    func tokens(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            _ = try await browser.signIn(fixture.users[.staff]!.email, Fixture.password)
            _ = try await browser.get("/account")
            let created = try await browser.post(
                "/account/tokens", ["name": "laptop", "days": "30", "password": Fixture.password])
            let secret = try #require(created.body.firstMatch(of: /brg_[0-9a-f]{64}/).map { String($0.output) })
            let stored = try await TokenStore(app.db).list(userID: fixture.users[.staff]!.id)
            #expect(stored.count == 1)
            #expect(stored[0].tokenHash == TokenStore.hash(secret))
            #expect(stored[0].tokenHash != secret)
            #expect(!(try await browser.get("/account")).body.contains(secret), "shown once only")
            #expect(
                try await browser.get("/api/v1/operations", headers: ["Authorization": "Bearer \(secret)"]).status
                    == .ok)
            _ = try await browser.post("/account/tokens/\(stored[0].id.uuidString)/revoke", [:])
            #expect(
                try await browser.get("/api/v1/operations", headers: ["Authorization": "Bearer \(secret)"]).status
                    == .unauthorized)
        }
    }

    @Test(
        "a token asks for the password again, always expires (the maximum at most), may be read-only, and ends with a password reset or a disabled account",
        arguments: TestDatabases.kinds)
    func tokenLimits(kind: TestDatabases.Kind) async throws {
        try await withTestApp(
            kind,
            adjust: {
                $0.tokenDefaultDays = 30; $0.tokenMaximumDays = 60
            }
        ) { app in
            let fixture = try await Fixture.make(app)
            let staff = fixture.users[.staff]!
            let browser = try await Browser.signedIn(app, staff)
            let form = try await browser.get("/account")
            #expect(form.body.contains(#"max="60" value="30""#))
            #expect(try await browser.post("/account/tokens", ["name": "no password"]).status == .unprocessableEntity)
            #expect(
                try await browser.post("/account/tokens", ["name": "wrong", "password": "not it"]).status
                    == .unprocessableEntity)
            let tooLong = try await browser.post(
                "/account/tokens", ["name": "long", "days": "61", "password": Fixture.password])
            #expect(tooLong.status == .unprocessableEntity && tooLong.body.contains("1 to 60 days"))
            #expect(try await TokenStore(app.db).list(userID: staff.id).isEmpty, "no token was made")

            func secret(_ page: Browser.Page) throws -> String {
                try #require(page.body.firstMatch(of: /brg_[0-9a-f]{64}/).map { String($0.output) })
            }
            let reader = try secret(
                try await browser.post("/account/tokens", ["name": "reports", "password": Fixture.password]))
            let writer = try secret(
                try await browser.post(
                    "/account/tokens", ["name": "sync", "password": Fixture.password, "access": "write", "days": "60"]))
            let tokens = try await TokenStore(app.db).list(userID: staff.id)
            let readerToken = try #require(tokens.first { $0.name == "reports" })
            #expect(readerToken.readOnly && tokens.first { $0.name == "sync" }?.readOnly == false)
            let expiry = try #require(readerToken.expiresAt).timeIntervalSince(readerToken.createdAt)
            #expect(abs(expiry - 30 * 86_400) < 5, "the default lifetime")

            func call(_ method: HTTPMethod, _ token: String) async throws -> Browser.Page {
                try await Browser(app).send(
                    method, "/api/v1/operations/SDN-TEST/sites",
                    headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
                ) { req in
                    if method == .POST {
                        req.body = ByteBuffer(
                            string:
                                #"{"name":"Office","type":"office","latitude":15.5,"longitude":32.5,"audience":"movement"}"#
                        )
                    }
                }
            }
            #expect(try await call(.GET, reader).status == .ok)
            let refused = try await call(.POST, reader)
            #expect(refused.status == .forbidden && refused.body.contains("read_only_token"))
            #expect(try await call(.POST, writer).status == .created)

            // A token made before tokens had to expire lasts the maximum from its creation.
            let old = try await TokenStore(app.db).create(
                userID: staff.id, name: "old", expiresAt: Date() + 86_400, now: Date())
            try await (app.db as! any SQLDatabase).update("api_tokens").set("expires_at", to: Date?.none)
                .set("created_at", to: Date().addingTimeInterval(-61 * 86_400)).where("id", .equal, old.token.id).run()
            #expect(try await call(.GET, old.secret).status == .unauthorized)

            // A password reset ends every token; so does disabling the account.
            try await UserStore(app.db).setPasswordHash(
                staff.id, try await app.password.async.hash("another long secret"), actorID: nil, now: Date())
            #expect(try await call(.GET, reader).status == .unauthorized)
            #expect(try await call(.GET, writer).status == .unauthorized)
            let partner = fixture.users[.partner]!
            let partnerToken = try await TokenStore(app.db).create(
                userID: partner.id, name: "p", expiresAt: Date() + 86_400, now: Date()
            ).secret
            #expect(try await call(.GET, partnerToken).status == .ok)
            try await UserStore(app.db).setDisabled(partner.id, true, actorID: nil, now: Date())
            try await UserStore(app.db).setDisabled(partner.id, false, actorID: nil, now: Date())
            #expect(
                try await call(.GET, partnerToken).status == .unauthorized,
                "re-enabling the account does not bring its tokens back")
        }
    }

    @Test(
        "the HeOps reads who changed what; others may not; hidden records keep their values hidden",
        arguments: TestDatabases.kinds)
    func audit(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let security = fixture.users[.securityCoordinator]!
            let scope = AccessPolicy.scope(
                in: fixture.operation.id, for: try await fixture.viewer(app, security))!
            let store = SiteStore(app.db)
            var draft = try SiteDraft(
                name: "Guesthouse A", type: .residence, latitude: 15, longitude: 32, audience: .ifrcOnly
            ).validated()
            let site = try await store.create(
                draft, areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: security.id, now: Date())
            draft.name = "Guesthouse B"
            _ = try await store.update(
                site.id, with: draft, areaPcode: nil, grants: .init(), scope: scope, actorID: security.id, now: Date())
            let secret = try SiteDraft(
                name: "Safe room", type: .residence, latitude: 15, longitude: 32, audience: .restricted
            ).validated()
            _ = try await store.create(
                secret, areaPcode: nil, grants: .init(roles: [.securityCoordinator]), in: fixture.operation.id,
                actorID: security.id, now: Date())

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
            #expect(
                history.body.contains("<del dir=\"auto\">Guesthouse A</del> → <ins dir=\"auto\">Guesthouse B</ins>"))
            _ = try await heops.post("/language", ["lang": "ar", "back": "/"])
            let arabic = try await heops.get("/operations/SDN-TEST/sites/\(site.id.uuidString)/audit")
            #expect(arabic.body.contains("<del dir=\"auto\">Guesthouse A</del> ← <ins dir=\"auto\">Guesthouse B</ins>"))

            let staff = Browser(app)
            _ = try await staff.signIn(fixture.users[.staff]!.email, Fixture.password)
            #expect(try await staff.get("/operations/SDN-TEST/audit").status == .forbidden)
            #expect(try await staff.get("/operations/SDN-TEST/sites/\(site.id.uuidString)/audit").status == .forbidden)
        }
    }

    @Test(
        "an administrator outside the operation reads that changes happened, never the values of plans, phases or compliance they may not read",
        arguments: TestDatabases.kinds)
    func auditValuesFollowTheRecord(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let security = fixture.users[.securityCoordinator]!
            _ = try await PlanStore(app.db).createDraft(
                PlanDraft(kind: .regulations, content: "Safe house behind the Kassala market, key with the guard"),
                in: fixture.operation.id, actorID: security.id, now: Date())
            _ = try await ScenarioStore(app.db).create(
                ScenarioDraft(name: "Worst case: Kassala corridor", kind: .worst), in: fixture.operation.id,
                actorID: security.id, now: Date())
            let admin = try await Browser.signedIn(app, fixture.admin)
            #expect(
                try await admin.get("/operations/SDN-TEST/plans").status == .notFound,
                "the administrator may not read plans")
            let outside = try await admin.get("/operations/SDN-TEST/audit")
            #expect(outside.status == .ok)
            #expect(outside.body.contains("security_plan"), "the change is listed")
            #expect(
                !outside.body.contains("Kassala market") && !outside.body.contains("Kassala corridor"),
                "its values are not")
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            let inside = try await heops.get("/operations/SDN-TEST/audit")
            #expect(
                inside.body.contains("Kassala market") && inside.body.contains("Kassala corridor"),
                "the HeOps reads plans and scenarios")
        }
    }
}
