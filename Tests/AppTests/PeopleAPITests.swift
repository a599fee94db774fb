import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("The personnel register through the JSON API")
struct PeopleAPITests {
    @Test(
        "people are added, read, changed with If-Match and located as documented; bad input is refused by field; a person changes only their own contacts",
        arguments: TestDatabases.kinds)
    func people(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, office) = try await PeoplePageTests.setUp(app)
            let api = PopulationAPITests()
            let browser = Browser(app)
            let spec = try OpenAPIValidator(data: Data(try await browser.get("/api/v1/openapi.json").body.utf8))
            let coordinator = try await api.token(app, fixture.users[.securityCoordinator]!)
            let staffUser = fixture.users[.staff]!
            let base = "/api/v1/operations/SDN-TEST/people"

            let bad = try await browser.json(
                .POST, base, headers: coordinator,
                ["full_name": "", "category": "spy", "arrival": "2026-12-01", "planned_departure": "2026-11-01"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("full_name") && bad.body.contains("category"))
            let created = try await browser.json(
                .POST, base, headers: coordinator,
                [
                    "full_name": "Tomás Rivera", "category": "delegate", "mobile_phone": "0912345678",
                    "satellite_phone": "+8821 6400 00012", "languages": ["Spanish", "English"],
                    "account_id": .init(stringLiteral: staffUser.id.uuidString), "relocation_priority": 2,
                ])
            #expect(created.status == .created, "\(created.body)")
            try api.check(spec, created, "post", "/operations/{code}/people")
            #expect(created.body.contains(#""e164":"+249912345678""#))
            let id = try #require(
                (try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])?["id"] as? String)

            let listed = try await browser.get(base, headers: coordinator)
            try api.check(spec, listed, "get", "/operations/{code}/people")
            let shown = try await browser.get(base + "/\(id)", headers: coordinator)
            try api.check(spec, shown, "get", "/operations/{code}/people/{id}")
            let etag = try #require(shown.headers.first(name: .eTag))

            // A change without If-Match is refused; with it, only the fields sent change.
            let unversioned = try await browser.json(
                .PATCH, base + "/\(id)", headers: coordinator, ["function": "Fleet"])
            #expect(unversioned.status == .preconditionRequired)
            var versioned = coordinator
            versioned.replaceOrAdd(name: .ifMatch, value: etag)
            let patched = try await browser.json(.PATCH, base + "/\(id)", headers: versioned, ["function": "Fleet"])
            #expect(patched.status == .ok, "\(patched.body)")
            try api.check(spec, patched, "patch", "/operations/{code}/people/{id}")
            #expect(patched.body.contains(#""function":"Fleet""#) && patched.body.contains(#""relocation_priority":2"#))
            #expect(
                try await browser.json(.PATCH, base + "/\(id)", headers: versioned, ["function": "x"]).status
                    == .preconditionFailed)

            // The person, through their own token: their record only, their contacts only.
            let staff = try await api.token(app, staffUser)
            let own = try await browser.get(base, headers: staff)
            #expect(own.body.contains("Tomás Rivera") && own.body.contains(#""total":1"#))
            var staffVersioned = staff
            staffVersioned.replaceOrAdd(name: .ifMatch, value: "*")
            let renamed = try await browser.json(
                .PATCH, base + "/\(id)", headers: staffVersioned,
                ["full_name": "Someone", "mobile_phone": "+249 99 000 0000"])
            #expect(
                renamed.status == .ok && renamed.body.contains("Tomás Rivera") && renamed.body.contains("+249990000000")
            )

            // Where: one of a site, an area or a point; a bad point refused; the history kept.
            let point = try await browser.json(
                .POST, base + "/\(id)/location", headers: staff,
                ["latitude": 15.5, "longitude": 36.5, "precision_m": 25.5])
            #expect(point.status == .created, "\(point.body)")
            try api.check(spec, point, "post", "/operations/{code}/people/{id}/location")
            #expect(point.body.contains(#""area_pcode":"SD11""#) && point.body.contains(#""source":"self""#))
            let two = try await browser.json(
                .POST, base + "/\(id)/location", headers: coordinator,
                ["site_id": .init(stringLiteral: office.id.uuidString), "area_pcode": "SD11"])
            #expect(two.status == .unprocessableEntity)
            let site = try await browser.json(
                .POST, base + "/\(id)/location", headers: coordinator,
                ["site_id": .init(stringLiteral: office.id.uuidString)])
            #expect(site.status == .created && site.body.contains(#""source":"radio_room""#))
            let whereabouts = try await browser.get(base + "/\(id)/location", headers: coordinator)
            try api.check(spec, whereabouts, "get", "/operations/{code}/people/{id}/location")
            #expect(
                whereabouts.body.contains(#""freshness":"current""#) && whereabouts.body.contains(#""kind":"point""#))
            let count = try await browser.get(base + "/headcount", headers: coordinator)
            try api.check(spec, count, "get", "/operations/{code}/people/headcount")
            #expect(count.body.contains(#""total":1"#) && count.body.contains(#""key":"SD11""#))
            #expect(try await browser.get(base + "/headcount", headers: staff).status == .forbidden)
        }
    }
}
