import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// The protection-risk register through the pages and the API (issue 18, part 2).
@Suite("Protection-risk register")
struct ProtectionRiskTests {
    static let code = "/operations/SDN-TEST"

    static func form(_ title: String, _ extra: [String: String] = [:]) -> [String: String] {
        var form = [
            "title": title, "category": "movement_restrictions", "subtype": "pushback", "context": "border_area",
            "phase": "at_borders", "groups[0]": "REF", "groups[1]": "HST", "vulnerabilities[0]": "sc",
            "capacities[0]": "phone_access", "likelihood": "4", "severity": "4", "next_review": "2099-01-01",
        ]
        for (key, value) in extra { form[key] = value }
        return form
    }

    static func input(_ title: String = "Matrix protection risk") -> ProtectionRiskInput {
        var input = ProtectionRiskInput()
        input.title = title
        input.category = "gender_based_violence"
        input.context = "self_settled_camp"
        input.phase = "destination"
        input.groups = ["IDP"]
        input.likelihood = "3"
        input.severity = "4"
        return input
    }

    @Test(
        "the coordinator records risks with mitigations linked to activities; the score is worked out on the page; the heat map counts them; each name finds its risks",
        arguments: TestDatabases.kinds)
    func register(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            let activity = try await ActivityStore(app.db).create(
                try ActivityTests.input().decoded().draft, scope: scope, actorID: nil, now: Date())
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            var form = Self.form("Pushbacks at the crossing")
            form["mitigations[0][description]"] = "Protection desk at the HSP"
            form["mitigations[0][owner]"] = "SRCS focal point"
            form["mitigations[0][due]"] = "2020-01-01"
            form["mitigations[0][status]"] = "in_progress"
            form["mitigations[0][activities][0]"] = activity.id.uuidString
            let created = try await coordinator.post(Self.code + "/protection-risks", form)
            #expect(created.status == .seeOther, "\(created.body)")
            let location = try #require(created.headers.first(name: .location))
            let page = try await coordinator.get(location)
            #expect(page.status == .ok)
            // 4 × 4 = 16; border area +10 %, at borders +10 %, one vulnerability +5 %, one capacity −5 %: +20 % → 19.
            #expect(page.body.contains("4 × 4 = 16"))
            #expect(page.body.contains("= +20 % → 19"))
            #expect(page.body.contains("<strong dir=\"ltr\">19</strong>"))
            #expect(page.body.contains("Very high"))
            #expect(page.body.contains("Pushback"))
            #expect(page.body.contains("Matrix activity"), "the mitigation names its activity")
            #expect(page.body.contains("class=\"tag overdue\""), "a mitigation past its day is overdue")
            let risks = try await ProtectionRiskStore(app.db).list(in: scope)
            let pushbacks = try #require(risks.first)
            #expect(pushbacks.exposure == 19 && pushbacks.level == 3)
            #expect(
                try await ProtectionRiskStore(app.db).risks(mitigatedBy: activity.id, in: scope).map(\.id) == [
                    pushbacks.id
                ])
            // Two more: GBV in a self-settled camp, discrimination in a town.
            #expect(
                try await coordinator.post(
                    Self.code + "/protection-risks",
                    Self.form(
                        "GBV at water points",
                        [
                            "category": "gender_based_violence", "subtype": "", "context": "self_settled_camp",
                            "phase": "destination",
                        ])
                ).status == .seeOther)
            #expect(
                try await coordinator.post(
                    Self.code + "/protection-risks",
                    Self.form(
                        "Turned away from clinics",
                        ["category": "discrimination", "subtype": "", "context": "urban", "phase": "long_term"])
                ).status == .seeOther)
            // Found by name: refoulement finds the pushbacks, abuse the GBV, neglect the discrimination.
            for (name, found, absent) in [
                ("refoulement", "Pushbacks at the crossing", "GBV at water points"),
                ("abuse", "GBV at water points", "Pushbacks at the crossing"),
                ("exploitation", "GBV at water points", "Turned away from clinics"),
                ("neglect", "Turned away from clinics", "GBV at water points"),
                ("discrimination", "Turned away from clinics", "Pushbacks at the crossing"),
            ] {
                let list = try await coordinator.get(Self.code + "/protection-risks?concern=\(name)")
                let table = try #require(list.body.range(of: "id=\"register\"")).upperBound
                #expect(list.body[table...].contains(found), "\(name) finds \(found)")
                #expect(!list.body[table...].contains(absent), "\(name) does not find \(absent)")
            }
            // The heat map: one risk at border area × at borders, as a cell and in its table.
            let register = try await coordinator.get(Self.code + "/protection-risks")
            #expect(register.body.contains("data-likelihood=\"2\" data-impact=\"3\" data-count=\"1\""))
            #expect(register.body.contains("id=\"heat-table\""))
            #expect(register.body.contains("How exposure is scored"))
            // Bad input: every problem by its field, nothing stored.
            let bad = try await coordinator.post(
                Self.code + "/protection-risks",
                Self.form(
                    "", ["category": "torture", "likelihood": "9", "groups[0]": "", "groups[1]": "XYZ"]))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("This field is required"))
            #expect(bad.body.contains("This sub-type belongs under another GPC risk"))
            #expect(bad.body.contains("This value is outside the risk matrix"))
            #expect(bad.body.contains("Say which groups are exposed"))
            var foreign = Self.form("Foreign activity")
            foreign["mitigations[0][description]"] = "X"
            foreign["mitigations[0][owner]"] = "Y"
            foreign["mitigations[0][activities][0]"] = UUID().uuidString
            let refused = try await coordinator.post(Self.code + "/protection-risks", foreign)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("An activity named is not in this operation"))
            #expect(try await ProtectionRiskStore(app.db).list(in: scope).count == 3)
            // An edit over a stale version is refused; a current one is kept as a new version.
            let edit = location + "/edit"
            let version = try await coordinator.editVersion(edit)
            var changed = Self.form("Pushbacks at the crossing", ["likelihood": "2", "version": version])
            changed["mitigations[0][description]"] = "Protection desk at the HSP"
            changed["mitigations[0][owner]"] = "SRCS focal point"
            #expect(try await coordinator.post(edit, changed).status == .seeOther)
            #expect(try await coordinator.post(edit, changed).status == .conflict)
            let versions = try await ProtectionRiskStore(app.db).versions(of: pushbacks.id, in: scope)
            #expect(versions.map(\.change) == ["updated", "created"])
            // Closing needs a reason; a closed risk leaves the heat map.
            #expect(
                try await coordinator.post(location + "/close", ["closing_note": " "]).status == .unprocessableEntity)
            #expect(
                try await coordinator.post(location + "/close", ["closing_note": "Crossing closed"]).status == .seeOther
            )
            #expect(
                !(try await coordinator.get(Self.code + "/protection-risks").body.contains(
                    "data-likelihood=\"2\" data-impact=\"3\" data-count=\"1\"")))
            #expect(try await coordinator.post(location + "/reopen", [:]).status == .seeOther)
        }
    }

    @Test(
        "what changed since a day: new, raised, lowered, closed and overdue mitigations; a new method re-scores every risk and says so",
        arguments: TestDatabases.kinds)
    func changesAndMethod(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            let store = ProtectionRiskStore(app.db)
            let method = ExposureMethod.standard
            let now = Date()
            let old = now.addingTimeInterval(-20 * 86_400)
            func draft(_ title: String, _ likelihood: Int) throws -> ProtectionRiskDraft {
                var input = Self.input(title)
                input.likelihood = String(likelihood)
                input.mitigations = [.init(description: "Patrols", owner: "SRCS", due: "2020-02-02")]
                return try input.draft(method: method, knownAreas: [], knownActivities: [])
            }
            let raised = try await store.create(
                try draft("Raised", 2), method: method, scope: scope, actorID: nil, now: old)
            let lowered = try await store.create(
                try draft("Lowered", 5), method: method, scope: scope, actorID: nil, now: old)
            let closed = try await store.create(
                try draft("Closed", 3), method: method, scope: scope, actorID: nil, now: old)
            let before = now.addingTimeInterval(-10 * 86_400)
            _ = try await store.update(
                raised.id, with: try draft("Raised", 5), method: method, scope: scope, actorID: nil, now: before)
            _ = try await store.update(
                lowered.id, with: try draft("Lowered", 1), method: method, scope: scope, actorID: nil, now: before)
            _ = try await store.setClosed(closed.id, note: "Gone", scope: scope, actorID: nil, now: before)
            _ = try await store.create(try draft("New", 3), method: method, scope: scope, actorID: nil, now: before)
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            let since = DateText.day(now.addingTimeInterval(-15 * 86_400))
            let page = try await staff.get(Self.code + "/protection-risks/changes?since=\(since)")
            #expect(page.status == .ok)
            func section(_ id: String) -> Substring {
                guard let start = page.body.range(of: "id=\"\(id)\""),
                    let end = page.body.range(of: "</section>", range: start.upperBound..<page.body.endIndex)
                else { return "" }
                return page.body[start.upperBound..<end.lowerBound]
            }
            #expect(section("raised").contains("Raised"))
            #expect(section("lowered").contains("Lowered"))
            #expect(section("closed").contains("Closed"))
            #expect(section("new").contains("New"))
            #expect(section("overdue").contains("Patrols"))
            // A day to come is read as now: nothing moved since, and the overdue mitigation is still due.
            let quiet = try await staff.get(
                Self.code + "/protection-risks/changes?since=\(DateText.day(now.addingTimeInterval(86_400 * 2)))")
            #expect(!quiet.body.contains("id=\"raised\"") && !quiet.body.contains("id=\"new\""))
            #expect(quiet.body.contains("id=\"overdue\""))
            // A new method (detention counts double): every risk it moves is re-scored, with a version.
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            var next = ExposureMethod.standard
            next.contextAdjustments["self_settled_camp"] = 100
            let saved = try await coordinator.post(
                Self.code + "/protection-risks/settings",
                ["key": "protection_exposure_method", "json": SettingsJSON.encode(next)])
            #expect(saved.status == .seeOther, "\(saved.body)")
            let rescored = try #require(try await store.find(raised.id, in: scope))
            #expect(rescored.exposure == 25)
            #expect(try await store.versions(of: raised.id, in: scope).first?.change == "rescored")
            // A bad method is refused whole, with what is wrong; the stored one stays.
            var bad = next
            bad.levelFloors = [5, 1, 10, 15, 20]
            bad.contextAdjustments["ocean"] = 10
            let refused = try await coordinator.post(
                Self.code + "/protection-risks/settings",
                ["key": "protection_exposure_method", "json": SettingsJSON.encode(bad)])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("level floors start at 1"))
            #expect(refused.body.contains("“ocean” is not a context"))
            #expect(
                try await SettingsStore(app.db).load(ProtectionRiskSettings.self, operationID: fixture.operation.id)
                    .method
                    == next)
            // Only the keepers set the method.
            #expect(try await staff.get(Self.code + "/protection-risks/settings").status == .forbidden)
        }
    }

    @Test("the API: list with filters, read, POST, PATCH keeping what it leaves out, If-Match; the documented shapes")
    func api() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let api = PopulationAPITests()
            let browser = Browser(app)
            var coordinator = try await api.token(app, fixture.users[.migrationCoordinator]!)
            coordinator.contentType = .json
            let base = "/api/v1\(Self.code)/protection-risks"
            let body: [String: AnyCodable] = [
                "title": "Extortion on the road north", "category": "theft_extortion", "subtype": "extortion_on_route",
                "context": "rural", "phase": "in_transit", "groups": ["MIT", "REF"], "capacities": ["resources"],
                "likelihood": 4, "severity": 3,
                "mitigations": AnyCodable([
                    ["description": "Safe-route information", "owner": "SRCS CEA", "due_on": "2099-01-01"]
                ]),
            ]
            let created = try await browser.json(.POST, base, headers: coordinator, body)
            #expect(created.status == .created, "\(created.body)")
            let spec = try OpenAPIValidator(data: Data(try await browser.get("/api/v1/openapi.json").body.utf8))
            try api.check(spec, created, "post", "/operations/{code}/protection-risks")
            // 4 × 3 = 12; rural +5 %, in transit +10 %, one capacity −5 %: +10 % → 13.2 → 13, high.
            #expect(created.body.contains("\"exposure\":13") && created.body.contains("\"level\":\"high\""))
            let location = try #require(created.headers.first(name: .location))
            let read = try await browser.get(location, headers: coordinator)
            try api.check(spec, read, "get", "/operations/{code}/protection-risks/{id}")
            var headers = coordinator
            headers.replaceOrAdd(name: .ifMatch, value: "\"stale\"")
            #expect(
                try await browser.json(.PATCH, location, headers: headers, ["severity": 5]).status
                    == .preconditionFailed)
            headers.replaceOrAdd(name: .ifMatch, value: "*")
            let patched = try await browser.json(.PATCH, location, headers: headers, ["severity": 5])
            #expect(patched.status == .ok, "\(patched.body)")
            try api.check(spec, patched, "patch", "/operations/{code}/protection-risks/{id}")
            #expect(patched.body.contains("Safe-route information") && patched.body.contains("\"severity\":5"))
            let wrong: [String: AnyCodable] = ["likelihood": -1, "context": "sea"]
            let bad = try await browser.json(.PATCH, location, headers: headers, wrong)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("likelihood") && bad.body.contains("context"))
            let list = try await browser.get(base + "?concern=exploitation", headers: coordinator)
            try api.check(spec, list, "get", "/operations/{code}/protection-risks")
            #expect(!list.body.contains("Extortion on the road north"))
            #expect(try await browser.get(base + "?context=rural", headers: coordinator).body.contains("Extortion"))
            #expect(try await browser.get(base + "?phase=nowhere", headers: coordinator).status == .badRequest)
            #expect(try await browser.get(base + "?include_closed=AAA", headers: coordinator).status == .badRequest)
            #expect(try await browser.get(base + "?context=%C2%A0", headers: coordinator).status == .badRequest)
            #expect(try await browser.get(base + "?include_closed=true", headers: coordinator).status == .ok)
            var staff = try await api.token(app, fixture.users[.staff]!)
            staff.contentType = .json
            #expect(try await browser.json(.POST, base, headers: staff, body).status == .forbidden)
            #expect(try await browser.get(base, headers: staff).body.contains("Extortion on the road north"))
            let partner = try await api.token(app, fixture.users[.partner]!)
            let refused = try await browser.get(base, headers: partner)
            #expect(refused.status == .forbidden && !refused.body.contains("Extortion"))
        }
    }
}
