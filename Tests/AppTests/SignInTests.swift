import Domain
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Signing in, sessions and CSRF")
struct SignInTests {
    @Test(
        "signing in gives an HttpOnly, SameSite=Lax session cookie and the operations page",
        arguments: TestDatabases.kinds)
    func signIn(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            let first = try await browser.get("/")
            #expect(first.status == .seeOther)
            #expect(first.location?.hasPrefix("/sign-in") == true)
            let page = try await browser.signIn(fixture.users[.staff]!.email, Fixture.password)
            #expect(page.status == .seeOther)
            #expect(page.location == "/")
            let cookie = try #require(page.headers[.setCookie].first { $0.hasPrefix("bearing-session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"), "plain HTTP in tests")
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.body.contains(#"data-signed-in="true""#))
            #expect(home.body.contains("SDN-TEST"))
        }
    }

    @Test("after signing in, `next` leads only to a path inside Bearing")
    func nextStaysInside() async throws {
        try await withTestApp(.sqlite) { app in
            let fixture = try await Fixture.make(app)
            let outside = [
                "/\t/example.org", "//example.org", "/\\example.org", "https://example.org", "/\n/example.org",
                "/ /example.org",
                "/\u{0}/x", "javascript:alert(1)", "/é",
            ]
            for next in outside + ["/operations/SDN-TEST/sites?q=a%20b"] {
                let browser = Browser(app)
                try await browser.get("/sign-in")
                let page = try await browser.post(
                    "/sign-in", ["email": fixture.users[.staff]!.email, "password": Fixture.password, "next": next])
                #expect(page.status == .seeOther, "next \(next.debugDescription): \(page.status)")
                let expected = outside.contains(next) ? "/" : next
                #expect(page.location == expected, "next \(next.debugDescription) led to \(page.location ?? "nowhere")")
            }
            // The form carries `next` from the query: the browser decodes %09 into a tab, which must not survive.
            let form = try await Browser(app).get("/sign-in?next=/%09/example.org")
            #expect(!form.body.contains("example.org"))
        }
    }

    @Test("Secure cookies when Bearing is served over HTTPS")
    func secureCookie() async throws {
        try await withTestApp(.sqlite, adjust: { $0.secureCookies = true }) { app in
            let fixture = try await Fixture.make(app)
            let page = try await Browser(app).signIn(fixture.users[.staff]!.email, Fixture.password)
            #expect(page.headers[.setCookie].contains { $0.hasPrefix("bearing-session=") && $0.contains("Secure") })
        }
    }

    @Test(
        "a wrong password says so and signs nobody in; disabled accounts cannot sign in", arguments: TestDatabases.kinds
    )
    func wrongPassword(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            let page = try await browser.signIn(fixture.users[.staff]!.email, "not the password")
            #expect(page.status == .unauthorized)
            #expect(page.body.contains("The e-mail or password is not right."))
            #expect(try await browser.get("/").status == .seeOther)
            try await UserStore(app.db).setDisabled(fixture.users[.partner]!.id, true, actorID: nil, now: Date())
            #expect(
                try await Browser(app).signIn(fixture.users[.partner]!.email, Fixture.password).status == .unauthorized)
        }
    }

    @Test(
        "after five failures the account is paused at that address with a clear message, even with the right password",
        arguments: TestDatabases.kinds)
    func throttling(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let email = fixture.users[.staff]!.email
            for _ in 0..<5 { _ = try await Browser(app).signIn(email, "wrong") }
            let page = try await Browser(app).signIn(email, Fixture.password)
            #expect(page.status == .tooManyRequests)
            #expect(page.body.contains("Too many failed attempts"))
            // Another account is not affected.
            #expect(try await Browser(app).signIn(fixture.users[.partner]!.email, Fixture.password).status == .seeOther)
        }
    }

    @Test(
        "one address spraying many accounts is slowed, and a valid account's success from it does not clear its failures"
    )
    func spraying() async throws {
        try await withTestApp(.sqlite) { app in
            let fixture = try await Fixture.make(app)
            for i in 0..<20 {
                #expect(try await Browser(app).signIn("nobody\(i)@test.org", "guess").status == .unauthorized)
                if i % 5 == 2 {
                    #expect(
                        try await Browser(app).signIn(fixture.users[.staff]!.email, Fixture.password).status
                            == .seeOther)
                }
            }
            let next = try await Browser(app).signIn(fixture.users[.partner]!.email, Fixture.password)
            #expect(next.status == .tooManyRequests)
            #expect(next.body.contains("Wait before trying again") && next.body.contains(" s)"))
        }
    }

    @Test("the client's address comes from X-Forwarded-For only behind a trusted proxy, read from the right")
    func forwardedFor() throws {
        #expect(
            ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"], trustedProxies: [])
                == "203.0.113.9")
        #expect(
            ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["198.51.100.1"], trustedProxies: ["10.0.0.2"])
                == "198.51.100.1")
        // A client's own header is the leftmost part: only the hop the proxy appended counts.
        #expect(
            ClientAddress.resolve(
                peer: "10.0.0.2", forwardedFor: ["1.2.3.4, 198.51.100.1"], trustedProxies: ["10.0.0.2"])
                == "198.51.100.1")
        #expect(
            ClientAddress.resolve(
                peer: "10.0.0.2", forwardedFor: ["198.51.100.1, 10.0.0.3"], trustedProxies: ["10.0.0.2", "10.0.0.3"])
                == "198.51.100.1")
        #expect(
            ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["not an address"], trustedProxies: ["10.0.0.2"])
                == "10.0.0.2")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: [], trustedProxies: ["10.0.0.2"]) == "10.0.0.2")
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["198.51.100.1"], trustedProxies: []) == "unknown")
        #expect(throws: AppConfig.Invalid.self) {
            try AppConfig.fromEnvironment(["BEARING_TRUSTED_PROXIES": "10.0.0.2, proxy.local"])
        }
        #expect(
            try AppConfig.fromEnvironment(["BEARING_TRUSTED_PROXIES": "10.0.0.2, ::1"]).trustedProxies == [
                "10.0.0.2", "::1",
            ])
    }

    @Test(
        "anonymous requests write nothing: no session row, no session cookie; the sign-in form's token is a signed cookie",
        arguments: TestDatabases.kinds)
    func anonymousWritesNothing(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let sql = app.db as! any SQLDatabase
            func rows(_ table: String) async throws -> Int {
                try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(
                    column: "n", as: Int.self) ?? -1
            }
            let auditBefore = try await rows("audit_log")
            for path in ["/", "/sign-in", "/operations/SDN-TEST", "/sign-in?next=/operations", "/nowhere"] {
                for _ in 0..<5 {
                    let page = try await Browser(app).get(path)
                    #expect(
                        !page.headers[.setCookie].contains { $0.hasPrefix("bearing-session=") },
                        "no session cookie for \(path)")
                }
            }
            // A stale session cookie is dropped without a write either.
            let stale = try await Browser(app).get("/", headers: ["Cookie": "bearing-session=0123456789abcdef"])
            #expect(stale.status == .seeOther && stale.location?.contains("expired=1") == true)
            let visitor = Browser(app)
            let form = try await visitor.get("/sign-in")
            #expect(form.headers[.setCookie].contains { $0.hasPrefix("bearing-csrf=") && $0.contains("HttpOnly") })
            #expect(try await visitor.post("/language", ["lang": "fr", "back": "/sign-in"]).status == .seeOther)
            #expect(
                try await visitor.get("/sign-in").body.contains(#"<html lang="fr""#), "the choice is kept in a cookie")
            #expect(try await rows("web_sessions") == 0)
            #expect(try await rows("audit_log") == auditBefore)

            // The token must match the cookie, and the cookie must carry the key's signature.
            let forged = Browser(app)
            _ = try await forged.get("/sign-in")
            let token = try #require(forged.csrf)
            let nonce = String(token.split(separator: ".")[0])
            let unsigned = nonce + "." + String(repeating: "0", count: 64)
            for (cookie, field) in [(token, "x"), (unsigned, unsigned), ("", token)] {
                let page = try await Browser(app).send(.POST, "/sign-in", headers: ["Cookie": "bearing-csrf=\(cookie)"])
                { req in
                    try req.content.encode(
                        ["email": fixture.users[.staff]!.email, "password": Fixture.password, "_csrf": field],
                        as: .urlEncodedForm)
                }
                #expect(page.status == .forbidden, "cookie \(cookie.prefix(8)) with field \(field.prefix(8))")
            }
            #expect(try await rows("web_sessions") == 0)
            // Signing in writes the one session.
            #expect(try await visitor.signIn(fixture.users[.staff]!.email, Fixture.password).status == .seeOther)
            #expect(try await rows("web_sessions") == 1)
            #expect(try await visitor.get("/").status == .ok)
        }
    }

    @Test(
        "only upload routes take large bodies, and only after the session and the token: the sign-in form refuses a big one"
    )
    func bodyLimits() async throws {
        try await withTestApp(.sqlite) { app in
            let fixture = try await Fixture.make(app)
            let big = String(repeating: "a", count: 3 * 1024 * 1024)
            let visitor = Browser(app)
            _ = try await visitor.get("/sign-in")
            #expect(
                try await visitor.post("/sign-in", ["email": "x@test.org", "password": big]).status == .payloadTooLarge)
            // An upload route without a token in its address reads no more than a form's body.
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            let page = try await heops.send(.POST, "/operations/SDN-TEST/boundaries") { req in
                req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=x")
                req.body = ByteBuffer(string: big)
            }
            #expect(page.status == .payloadTooLarge)
            // Anonymous, with a token in the address: sent to sign in, the file unread.
            let anonymous = Browser(app)
            _ = try await anonymous.get("/sign-in")
            let redirected = try await anonymous.send(
                .POST, "/operations/SDN-TEST/boundaries?_csrf=\(anonymous.csrf ?? "")"
            ) { req in
                req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=x")
                req.body = ByteBuffer(string: big)
            }
            #expect(redirected.status == .seeOther && redirected.location?.hasPrefix("/sign-in") == true)
        }
    }

    @Test("a form without the session's CSRF token is refused and changes nothing", arguments: TestDatabases.kinds)
    func csrf(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            _ = try await browser.signIn(fixture.admin.email, Fixture.password)
            let forged = try await browser.post(
                "/operations",
                ["code": "FORGED", "name": "x", "countries": "SDN", "emergency_type": "flood", "_csrf": "stale-token"])
            #expect(forged.status == .forbidden)
            #expect(forged.body.contains("This form has expired"))
            let missing = try await browser.post(
                "/operations", ["code": "FORGED", "name": "x", "countries": "SDN", "emergency_type": "flood"],
                csrf: false)
            #expect(missing.status == .forbidden)
            #expect(try await OperationStore(app.db).find(code: "FORGED") == nil)
        }
    }

    @Test("an expired session sends the user to sign in with a message", arguments: TestDatabases.kinds)
    func expired(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            _ = try await browser.signIn(fixture.users[.staff]!.email, Fixture.password)
            #expect(try await browser.get("/").status == .ok)
            // Age every session past its expiry, as the clock would.
            try await (app.db as! any SQLDatabase).update("web_sessions").set(
                "expires_at", to: Date(timeIntervalSinceNow: -60)
            ).run()
            let page = try await browser.get("/operations/SDN-TEST")
            #expect(page.status == .seeOther)
            #expect(page.location?.contains("expired=1") == true)
            let signIn = try await browser.get(page.location!)
            #expect(signIn.body.contains("Your session has expired"))
        }
    }
}
