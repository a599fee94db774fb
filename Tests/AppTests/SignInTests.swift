@testable import App
import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@Suite("Signing in, sessions and CSRF")
struct SignInTests {
    @Test("signing in gives an HttpOnly, SameSite=Lax session cookie and the operations page", arguments: TestDatabases.kinds)
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
            let outside = ["/\t/example.org", "//example.org", "/\\example.org", "https://example.org", "/\n/example.org", "/ /example.org",
                           "/\u{0}/x", "javascript:alert(1)", "/é"]
            for next in outside + ["/operations/SDN-TEST/sites?q=a%20b"] {
                let browser = Browser(app)
                try await browser.get("/sign-in")
                let page = try await browser.post("/sign-in", ["email": fixture.users[.staff]!.email, "password": Fixture.password, "next": next])
                #expect(page.status == .seeOther)
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

    @Test("a wrong password says so and signs nobody in; disabled accounts cannot sign in", arguments: TestDatabases.kinds)
    func wrongPassword(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            let page = try await browser.signIn(fixture.users[.staff]!.email, "not the password")
            #expect(page.status == .unauthorized)
            #expect(page.body.contains("The e-mail or password is not right."))
            #expect(try await browser.get("/").status == .seeOther)
            try await UserStore(app.db).setDisabled(fixture.users[.partner]!.id, true, actorID: nil)
            #expect(try await Browser(app).signIn(fixture.users[.partner]!.email, Fixture.password).status == .unauthorized)
        }
    }

    @Test("after five failures the account is paused with a clear message, even with the right password", arguments: TestDatabases.kinds)
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

    @Test("a form without the session's CSRF token is refused and changes nothing", arguments: TestDatabases.kinds)
    func csrf(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            _ = try await browser.signIn(fixture.admin.email, Fixture.password)
            let forged = try await browser.post("/operations", ["code": "FORGED", "name": "x", "countries": "SDN", "emergency_type": "flood", "_csrf": "stale-token"])
            #expect(forged.status == .forbidden)
            #expect(forged.body.contains("This form has expired"))
            let missing = try await browser.post("/operations", ["code": "FORGED", "name": "x", "countries": "SDN", "emergency_type": "flood"], csrf: false)
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
            try await (app.db as! any SQLDatabase).update("web_sessions").set("expires_at", to: Date(timeIntervalSinceNow: -60)).run()
            let page = try await browser.get("/operations/SDN-TEST")
            #expect(page.status == .seeOther)
            #expect(page.location?.contains("expired=1") == true)
            let signIn = try await browser.get(page.location!)
            #expect(signIn.body.contains("Your session has expired"))
        }
    }
}

import SQLKit
