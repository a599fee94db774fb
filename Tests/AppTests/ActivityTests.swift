import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// EPoA activities through the pages, the API and the 3W (issue 18, part 5).
@Suite("EPoA activities")
struct ActivityTests {
    static let code = "/operations/SDN-TEST"

    static func form(_ name: String, _ extra: [String: String] = [:]) -> [String: String] {
        var form = [
            "name": name, "kind": "hsp", "sector": "migration_and_displacement", "area": "SD12",
            "population_types[]": "REF", "phase": "acute", "start_on": "2026-05-01", "implementer": "SRCS",
            "targeted": "1000", "reached": "400",
        ]
        for (key, value) in extra { form[key] = value }
        return form
    }

    static func input() -> ActivityInput {
        var input = ActivityInput()
        input.name = "Matrix activity"
        input.kind = "hsp"
        input.area = "SD12"
        input.populationTypes = ["REF"]
        input.startOn = "2026-05-01"
        input.implementer = "SRCS"
        input.targeted = "100"
        return input
    }

    @Test(
        "the coordinator adds activities; reach above target warns; bad counts are refused; everyone reads the 3W",
        arguments: TestDatabases.kinds)
    func pages(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            #expect(
                try await coordinator.post(Self.code + "/activities", Self.form("HSP Gallabat")).status == .seeOther)
            // Reach at twice the target is saved, with a warning on the next page.
            let high = try await coordinator.post(Self.code + "/activities", Self.form("Cash", ["reached": "2500"]))
            #expect(high.status == .seeOther)
            let list = try await coordinator.get(Self.code + "/activities")
            #expect(list.body.contains("id=\"activity-warning\"") && list.body.contains("2500"))
            #expect(list.body.contains("HSP Gallabat") && list.body.contains("40 %"))
            #expect(list.body.contains("id=\"reach-chart\"><svg"))
            // Negative counts and a breakdown that does not add up: refused, what was typed kept.
            let refused = try await coordinator.post(
                Self.code + "/activities",
                Self.form(
                    "Bad", ["targeted": "-3", "reached": "10", "reached_bins[f_0_4]": "4", "reached_bins[m_0_4]": "5"]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("value=\"-3\""))
            // A breakdown by sex and age makes the total.
            let binned = try await coordinator.post(
                Self.code + "/activities",
                Self.form(
                    "RFL",
                    [
                        "reached": "", "reached_bins[f_18_59]": "30", "reached_bins[m_18_59]": "20",
                        "targeted_by_type[REF]": "700", "reached_by_type[REF]": "40", "reached_by_type[HST]": "",
                    ]))
            #expect(binned.status == .seeOther)
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            let rfl = try #require(try await ActivityStore(app.db).all(in: scope).first { $0.name == "RFL" })
            #expect(rfl.reached == 50 && rfl.draft.scheme == .unhcr && rfl.draft.reachedBins["f_18_59"] == 30)
            #expect(rfl.draft.targetedByType == [.refugees: 700] && rfl.draft.reachedByType == [.refugees: 40])
            // Reach by population type: the refugees' figures, and what no activity broke down by type
            // (the HSP's and the cash activity's, and the rest of this one's: 2,300 targeted, 2,910 reached) apart.
            let page = try await coordinator.get(Self.code + "/activities")
            let byType = try #require(page.body.range(of: "id=\"reach-by-type\"")).upperBound
            let table = String(page.body[byType...].prefix(2_000))
            #expect(
                table.contains(
                    "Refugees</th><td class=\"number\">700</td><td class=\"number\">40</td>"))
            #expect(
                table.contains(
                    "Type not stated</th><td class=\"number\">2300</td><td class=\"number\">2910</td>"))
            // More by type than in all: refused, field by field.
            let tooMany = try await coordinator.post(
                Self.code + "/activities", Self.form("Too many", ["reached_by_type[REF]": "401"]))
            #expect(tooMany.status == .unprocessableEntity)
            // Carried into the protracted phase: both phases side by side by sector.
            let version = try await coordinator.editVersion(Self.code + "/activities/\(rfl.id.uuidString)/edit")
            var edit = Self.form("RFL", ["reached": "60", "version": version, "phase": "protracted"])
            edit["reached_bins[f_18_59]"] = "30"
            edit["reached_bins[m_18_59]"] = "30"
            #expect(
                try await coordinator.post(Self.code + "/activities/\(rfl.id.uuidString)/edit", edit).status
                    == .seeOther)
            #expect(try await ActivityStore(app.db).find(rfl.id, in: scope)?.phase == "protracted")
            // Every member reads the page and the 3W; only the keepers write.
            let partner = try await Browser.signedIn(app, fixture.users[.partner]!)
            let hxl = try await partner.get(Self.code + "/activities/3w?format=hxl")
            #expect(hxl.status == .ok)
            #expect(hxl.body.contains("#org+impl,#sector,#adm1+code"))
            #expect(hxl.body.contains("HSP Gallabat"))
            #expect(try await partner.get(Self.code + "/activities/new").status == .forbidden)
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.post(Self.code + "/activities", Self.form("Intruder")).status == .forbidden)
            let outsider = try await Browser.signedIn(app, fixture.outsider)
            #expect(try await outsider.get(Self.code + "/activities").status == .notFound)
            #expect(try await outsider.get(Self.code + "/activities/3w?format=csv").status == .notFound)
        }
    }

    @Test("the list of activities is paged a hundred at a time; the sums above it count every one")
    func paging() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            for i in 0..<105 {
                var input = Self.input()
                input.name = "Paged \(i)"
                _ = try await ActivityStore(app.db).create(
                    try input.decoded().draft, scope: scope, actorID: nil, now: Date())
            }
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            let first = try await staff.get(Self.code + "/activities")
            let rows = { (body: String) in body.components(separatedBy: "<tr><th scope=\"row\">Paged ").count - 1 }
            #expect(rows(first.body) == 100)
            #expect(first.body.contains("/activities?page=2"))
            // 105 activities of 100 targeted each: the sector's sum counts them all.
            #expect(first.body.contains("<td class=\"number\">10500</td>"))
            let second = try await staff.get(Self.code + "/activities?page=2")
            #expect(rows(second.body) == 5 && !second.body.contains("/activities?page=3"))
            #expect(try await staff.get(Self.code + "/activities?page=99").status == .ok)
        }
    }

    @Test("the API: bins and reach by population type; PATCH keeps what it leaves out; the keepers alone write")
    func api() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let api = PopulationAPITests()
            let browser = Browser(app)
            var coordinator = try await api.token(app, fixture.users[.migrationCoordinator]!)
            coordinator.contentType = .json
            let base = "/api/v1\(Self.code)/activities"
            let body: [String: AnyCodable] = [
                "name": "Information on safe routes", "kind": "information",
                "sector": "community_engagement_and_accountability",
                "area_pcode": "SD10", "population_types": ["MIT", "HST"], "phase": "acute", "start_on": "2026-05-01",
                "implementer": "SRCS", "targeted": 2000, "reached": 500,
            ]
            let created = try await browser.json(.POST, base, headers: coordinator, body)
            #expect(created.status == .created, "\(created.body)")
            let spec = try OpenAPIValidator(data: Data(try await browser.get("/api/v1/openapi.json").body.utf8))
            try api.check(spec, created, "post", "/operations/{code}/activities")
            let location = try #require(created.headers.first(name: .location))
            var headers = coordinator
            headers.replaceOrAdd(name: .ifMatch, value: "*")
            let patched = try await browser.json(.PATCH, location, headers: headers, ["reached": 900])
            #expect(patched.status == .ok, "\(patched.body)")
            try api.check(spec, patched, "patch", "/operations/{code}/activities/{id}")
            try api.check(
                spec, try await browser.get(base, headers: coordinator), "get", "/operations/{code}/activities")
            #expect(patched.body.contains("\"reached\":900") && patched.body.contains("\"targeted\":2000"))
            #expect(patched.body.contains("Information on safe routes"))
            let negative = try await browser.json(.PATCH, location, headers: headers, ["reached": -1])
            #expect(negative.status == .unprocessableEntity)
            var staff = try await api.token(app, fixture.users[.staff]!)
            staff.contentType = .json
            #expect(try await browser.json(.POST, base, headers: staff, body).status == .forbidden)
            #expect(try await browser.get(base, headers: staff).body.contains("Information on safe routes"))
            // A phase outside the vocabulary, a stray space included, is refused, as the document says.
            #expect(try await browser.get(base + "?phase=%C2%A0", headers: staff).status == .badRequest)
            #expect(try await browser.get(base + "?phase=", headers: staff).status == .ok)
        }
    }
}
