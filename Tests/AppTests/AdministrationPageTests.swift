import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Administration pages: operations, members, accounts")
struct AdministrationPageTests {
    @Test(
        "creating an operation names every bad field, keeps what was typed, and stores nothing",
        arguments: TestDatabases.kinds)
    func operationForm(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let admin = Browser(app)
            _ = try await admin.signIn(fixture.admin.email, Fixture.password)
            _ = try await admin.get("/operations/new")
            let bad = try await admin.post(
                "/operations",
                [
                    "code": "sdn 2026!", "name": "Sudan", "countries": "SDN, XYZ",
                    "emergency_type": "complex_emergency",
                    "glide": "2026", "appeal": "appeal", "start_date": "23/11/2026",
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains(#"value="sdn 2026!""#))
            for message in ["Use a date like 2026-11-23."] { #expect(bad.body.contains(message)) }
            #expect(try await OperationStore(app.db).find(code: "SDN 2026!") == nil)
            let fields = try await admin.post(
                "/operations",
                [
                    "code": "sdn 2026!", "name": "Sudan", "countries": "SDN, XYZ",
                    "emergency_type": "complex_emergency",
                    "glide": "2026", "appeal": "appeal",
                ])
            for message in [
                "Use 2–32 letters", "Unknown ISO 3166 alpha-3", "A GLIDE number looks like",
                "An IFRC appeal code looks like",
            ] {
                #expect(fields.body.contains(message), "\(message)")
            }
            let good = try await admin.post(
                "/operations",
                [
                    "code": "sdn-2026", "name": "Sudan 2026", "countries": "sdn, tcd",
                    "emergency_type": "population_movement",
                    "glide": "CE-2023-000076-SDN", "appeal": "MDRSD033", "start_date": "2026-11-23",
                ])
            #expect(good.status == .seeOther)
            #expect(good.location == "/operations/SDN-2026")
            let stored = try #require(try await OperationStore(app.db).find(code: "SDN-2026"))
            #expect(stored.countryCodes == ["SDN", "TCD"])
            #expect(stored.startDate == "2026-11-23")
            // Only administrators create operations.
            let staff = Browser(app)
            _ = try await staff.signIn(fixture.users[.staff]!.email, Fixture.password)
            #expect(try await staff.get("/operations/new").status == .forbidden)
        }
    }

    @Test("the HeOps edits the operation and its members; staff may not", arguments: TestDatabases.kinds)
    func members(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let heops = Browser(app)
            _ = try await heops.signIn(fixture.users[.headOfOperations]!.email, Fixture.password)
            _ = try await heops.get("/operations/SDN-TEST/edit")
            let edited = try await heops.post(
                "/operations/SDN-TEST/edit", ["name": "Sudan (renamed)", "countries": "SDN", "emergency_type": "flood"])
            #expect(edited.status == .seeOther)
            #expect(try await OperationStore(app.db).find(code: "SDN-TEST")?.name == "Sudan (renamed)")
            _ = try await heops.get("/operations/SDN-TEST")
            #expect(
                try await heops.post(
                    "/operations/SDN-TEST/members", ["email": fixture.outsider.email, "role": "partner"]
                ).status == .seeOther)
            let viewer = try await fixture.viewer(app, fixture.outsider)
            #expect(viewer.role(in: fixture.operation.id) == .partner)
            _ = try await heops.post("/operations/SDN-TEST/members/remove", ["user_id": fixture.outsider.id.uuidString])
            #expect(try await fixture.viewer(app, fixture.outsider).role(in: fixture.operation.id) == nil)

            let staff = Browser(app)
            _ = try await staff.signIn(fixture.users[.staff]!.email, Fixture.password)
            _ = try await staff.get("/operations/SDN-TEST")
            #expect(
                try await staff.post(
                    "/operations/SDN-TEST/members", ["email": fixture.outsider.email, "role": "heops"]
                ).status == .forbidden)
            #expect(try await staff.get("/operations/SDN-TEST/edit").status == .forbidden)
            // Someone outside the operation does not learn that it exists.
            let outsider = Browser(app)
            _ = try await outsider.signIn(fixture.outsider.email, Fixture.password)
            #expect(try await outsider.get("/operations/SDN-TEST").status == .notFound)
        }
    }

    @Test(
        "administrators create and disable accounts; a disabled account is signed out", arguments: TestDatabases.kinds)
    func accounts(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let admin = Browser(app)
            _ = try await admin.signIn(fixture.admin.email, Fixture.password)
            _ = try await admin.get("/admin/users")
            let weak = try await admin.post(
                "/admin/users", ["email": "new@test.org", "name": "New", "password": "short"])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.body.contains("at least 10 characters"))
            let created = try await admin.post(
                "/admin/users", ["email": "new@test.org", "name": "New", "password": "long enough secret"])
            #expect(created.status == .ok)
            #expect(created.body.contains("Account created"))
            let user = try #require(try await UserStore(app.db).find(email: "new@test.org"))

            let other = Browser(app)
            _ = try await other.signIn("new@test.org", "long enough secret")
            #expect(try await other.get("/").status == .ok)
            _ = try await admin.post("/admin/users/\(user.id.uuidString)/disabled", ["disabled": "1"])
            #expect(try await UserStore(app.db).find(id: user.id)?.isDisabled == true)
            #expect(try await other.get("/").status == .seeOther, "the disabled account's session ended")
            #expect(
                try await admin.post("/admin/users/\(fixture.admin.id.uuidString)/disabled", ["disabled": "1"]).status
                    == .unprocessableEntity)
        }
    }

    @Test("the chosen language is remembered on the account", arguments: [TestDatabases.Kind.sqlite])
    func language(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            _ = try await browser.signIn(fixture.users[.staff]!.email, Fixture.password)
            _ = try await browser.get("/")
            _ = try await browser.post("/language", ["lang": "es", "back": "/"])
            #expect(try await UserStore(app.db).find(id: fixture.users[.staff]!.id)?.language == "es")
            let again = Browser(app)
            _ = try await again.signIn(fixture.users[.staff]!.email, Fixture.password)
            let page = try await again.get("/")
            #expect(page.body.contains(#"<html lang="es" dir="ltr">"#))
            #expect(page.body.contains("Operaciones"))
        }
    }

    @Test(
        "?lang= chooses the language from a link: kept on the session and the account when signed in, in a cookie when not; the browser's language decides the first visit",
        arguments: [TestDatabases.Kind.sqlite])
    func languageFromTheQuery(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let staff = fixture.users[.staff]!
            let browser = Browser(app)
            _ = try await browser.signIn(staff.email, Fixture.password)
            let arabic = try await browser.get("/?lang=ar")
            #expect(arabic.body.contains(#"<html lang="ar" dir="rtl">"#))
            // The next page, without the query, stays Arabic; the account remembers it.
            #expect(try await browser.get("/").body.contains(#"<html lang="ar" dir="rtl">"#))
            #expect(try await UserStore(app.db).find(id: staff.id)?.language == "ar")
            // A language that is not offered is ignored, never an error.
            let unknown = try await browser.get("/?lang=xx")
            #expect(unknown.status == .ok && unknown.body.contains(#"<html lang="ar" dir="rtl">"#))

            // Signed out: the sign-in page in the language asked for, kept in a cookie for the next visit.
            let visitor = Browser(app)
            let signIn = try await visitor.get("/sign-in?lang=fr")
            #expect(signIn.body.contains(#"<html lang="fr" dir="ltr">"#))
            #expect(signIn.headers[.setCookie].contains { $0.hasPrefix("bearing-lang=fr") })
            #expect(try await visitor.get("/sign-in").body.contains(#"<html lang="fr" dir="ltr">"#))
            // A first visit without either: the browser's Accept-Language.
            let spanish = try await Browser(app).get(
                "/sign-in", headers: ["Accept-Language": "es-ES,es;q=0.9,en;q=0.5"])
            #expect(spanish.body.contains(#"<html lang="es" dir="ltr">"#))
        }
    }

}
