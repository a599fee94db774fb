import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("JSON API and its OpenAPI document")
struct APITests {
    func validator(_ browser: Browser) async throws -> OpenAPIValidator {
        let doc = try await browser.get("/api/v1/openapi.json")
        #expect(doc.status == .ok)
        return try OpenAPIValidator(data: Data(doc.body.utf8))
    }

    func check(_ validator: OpenAPIValidator, _ page: Browser.Page, _ method: String, _ path: String) throws {
        let schema = try validator.responseSchema(method: method, path: path, status: String(page.status.code))
        let json = try JSONSerialization.jsonObject(with: Data(page.body.utf8), options: .fragmentsAllowed)
        let problems = validator.problems(json, against: schema)
        #expect(problems.isEmpty, "\(method.uppercased()) \(path) \(page.status.code): \(problems.map(\.description))")
    }

    @Test("the document's incident vocabularies are the code's")
    func vocabularies() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Sources/App/Resources/openapi.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let incident = try #require((schemas["Incident"] as? [String: Any])?["properties"] as? [String: Any])
        func values(_ property: String) -> [String] {
            ((incident[property] as? [String: Any])?["enum"] as? [Any] ?? []).compactMap { $0 as? String }
        }
        #expect(values("category") == IncidentCategory.allCases.map(\.rawValue))
        #expect(values("subtype") == IncidentSubtype.allCases.map(\.rawValue))
        #expect(values("actor_type") == ActorType.allCases.map(\.rawValue))
        #expect(values("means") == IncidentMeans.allCases.map(\.rawValue))
        #expect(values("context") == IncidentContext.allCases.map(\.rawValue))
        #expect(values("motive") == IncidentMotive.allCases.map(\.rawValue))
        #expect(values("location_type") == IncidentLocationType.allCases.map(\.rawValue))
        #expect(values("time_precision") == TimePrecision.allCases.map(\.rawValue))
        #expect(values("geo_precision") == GeoPrecision.allCases.map(\.rawValue))
        #expect(values("severity") == IncidentSeverity.allCases.map(\.rawValue))
        #expect(values("verification") == VerificationStatus.allCases.map(\.rawValue))
        #expect(values("source") == IncidentSource.allCases.map(\.rawValue))
        #expect(values("status") == IncidentStatus.allCases.map(\.rawValue))
        #expect(values("audience") == AudienceLevel.allCases.map(\.rawValue))
    }

    @Test("real responses match the OpenAPI document, errors included", arguments: TestDatabases.kinds)
    func conformance(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let user = fixture.users[.securityCoordinator]!
            let token = try await TokenStore(app.db).create(
                userID: user.id, name: "test", expiresAt: Date() + 86_400, now: Date()
            ).secret
            let adminToken = try await TokenStore(app.db).create(
                userID: fixture.admin.id, name: "test", expiresAt: Date() + 86_400, now: Date()
            ).secret
            let auth: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            let browser = Browser(app)
            let spec = try await validator(browser)
            let created = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/sites", headers: auth,
                ["name": "API office", "type": "office", "audience": "ifrc", "latitude": 15.6, "longitude": 32.5])
            #expect(created.status == .created)
            try check(spec, created, "post", "/operations/{code}/sites")
            let id = try #require(created.headers.first(name: .location)?.split(separator: "/").last.map(String.init))
            let shown = try await browser.get("/api/v1/operations/SDN-TEST/sites/\(id)", headers: auth)
            try check(spec, shown, "get", "/operations/{code}/sites/{id}")
            var versioned = auth
            versioned.add(name: .ifMatch, value: try #require(shown.headers.first(name: .eTag)))
            let unversioned = try await browser.json(
                .PATCH, "/api/v1/operations/SDN-TEST/sites/\(id)", headers: auth, ["name": "No version"])
            #expect(unversioned.status == .preconditionRequired)
            try check(spec, unversioned, "patch", "/operations/{code}/sites/{id}")
            let patched = try await browser.json(
                .PATCH, "/api/v1/operations/SDN-TEST/sites/\(id)", headers: versioned,
                ["name": "API office (moved)", "latitude": 15.7])
            #expect(patched.status == .ok)
            try check(spec, patched, "patch", "/operations/{code}/sites/{id}")
            #expect(
                patched.body.contains("API office (moved)") && patched.body.contains("15.7")
                    && patched.body.contains(#""type":"office""#))
            let stale = try await browser.json(
                .PATCH, "/api/v1/operations/SDN-TEST/sites/\(id)", headers: versioned, ["name": "Stale"])
            #expect(stale.status == .preconditionFailed)
            try check(spec, stale, "patch", "/operations/{code}/sites/{id}")
            versioned.replaceOrAdd(name: .ifMatch, value: try #require(patched.headers.first(name: .eTag)))
            let badPatch = try await browser.json(
                .PATCH, "/api/v1/operations/SDN-TEST/sites/\(id)", headers: versioned, ["longitude": 200])
            #expect(badPatch.status == .unprocessableEntity)
            try check(spec, badPatch, "patch", "/operations/{code}/sites/{id}")
            let partnerToken = try await TokenStore(app.db).create(
                userID: fixture.users[.partner]!.id, name: "p", expiresAt: Date() + 86_400, now: Date()
            ).secret
            let partnerDelete = try await browser.send(
                .DELETE, "/api/v1/operations/SDN-TEST/sites/\(id)", headers: ["Authorization": "Bearer \(partnerToken)"]
            ) { _ in }
            #expect(partnerDelete.status == .notFound, "an IFRC-only site does not exist for a partner")
            // A partner may create no site: told so before its body is read, whatever the body holds (schemathesis
            // sent a phone of spaces and got the field errors of a request it could never make).
            let partnerCreate = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/sites", headers: ["Authorization": "Bearer \(partnerToken)"],
                [
                    "name": "x", "type": "office", "latitude": 15, "longitude": 32, "contact_phone": " 0(-",
                    "audience": "public",
                ])
            #expect(partnerCreate.status == .forbidden)
            try check(spec, partnerCreate, "post", "/operations/{code}/sites")
            let partnerReport = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/incidents", headers: ["Authorization": "Bearer \(partnerToken)"],
                ["title": " ", "category": "riot"])
            #expect(partnerReport.status == .forbidden)
            try check(spec, partnerReport, "post", "/operations/{code}/incidents")
            try check(spec, try await browser.get("/api/v1/operations", headers: auth), "get", "/operations")
            try check(
                spec, try await browser.get("/api/v1/operations/SDN-TEST", headers: auth), "get", "/operations/{code}")
            try check(
                spec, try await browser.get("/api/v1/operations/SDN-TEST/areas", headers: auth), "get",
                "/operations/{code}/areas")
            let list = try await browser.get("/api/v1/operations/SDN-TEST/sites?per_page=1", headers: auth)
            try check(spec, list, "get", "/operations/{code}/sites")
            #expect(list.body.contains(#""per_page":1"#))
            try check(
                spec, try await browser.get("/api/v1/operations/SDN-TEST/sites/\(id)", headers: auth), "get",
                "/operations/{code}/sites/{id}")
            try check(
                spec, try await browser.get("/api/v1/users", headers: ["Authorization": "Bearer \(adminToken)"]), "get",
                "/users")

            // Incidents: report, list, read; bad input; what a partner and a non-security role get.
            let staffToken = try await TokenStore(app.db).create(
                userID: fixture.users[.staff]!.id, name: "s", expiresAt: Date() + 86_400, now: Date()
            ).secret
            let staffAuth: HTTPHeaders = ["Authorization": "Bearer \(staffToken)"]
            let reported = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/incidents", headers: staffAuth,
                [
                    "title": "Convoy stopped", "category": "harassment", "subtype": "intimidation",
                    "occurred_at": "2026-11-20T08:15:00Z",
                    "area_pcode": "SD01001", "casualties": ["detained_national_male": 2], "audience": "ifrc",
                    "reporter_hidden": true,
                    "affected": ["staff", "assets"],
                ])
            #expect(reported.status == .created)
            try check(spec, reported, "post", "/operations/{code}/incidents")
            #expect(reported.body.contains(#""detained_national_male":2"#) && reported.body.contains(#""number":1"#))
            let incidentID = try #require(
                reported.headers.first(name: .location)?.split(separator: "/").last.map(String.init))
            let asSecurity = try await browser.get("/api/v1/operations/SDN-TEST/incidents/\(incidentID)", headers: auth)
            try check(spec, asSecurity, "get", "/operations/{code}/incidents/{id}")
            #expect(asSecurity.body.contains(fixture.users[.staff]!.id.uuidString))
            let migrationToken = try await TokenStore(app.db).create(
                userID: fixture.users[.migrationCoordinator]!.id, name: "m", expiresAt: Date() + 86_400, now: Date()
            ).secret
            let asOther = try await browser.get(
                "/api/v1/operations/SDN-TEST/incidents/\(incidentID)",
                headers: ["Authorization": "Bearer \(migrationToken)"])
            #expect(
                asOther.status == .ok && !asOther.body.contains("reporter_id")
                    && !asOther.body.contains(fixture.users[.staff]!.id.uuidString))
            try check(
                spec, try await browser.get("/api/v1/operations/SDN-TEST/incidents", headers: auth), "get",
                "/operations/{code}/incidents")
            let badIncident = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/incidents", headers: staffAuth,
                [
                    "title": "x", "category": "weather", "occurred_at": "last week", "audience": "ifrc",
                ])
            #expect(badIncident.status == .unprocessableEntity)
            try check(spec, badIncident, "post", "/operations/{code}/incidents")
            #expect(badIncident.body.contains("category") && badIncident.body.contains("occurred_at"))
            let partnerGet = try await browser.get(
                "/api/v1/operations/SDN-TEST/incidents/\(incidentID)",
                headers: ["Authorization": "Bearer \(partnerToken)"])
            #expect(partnerGet.status == .notFound)
            try check(spec, partnerGet, "get", "/operations/{code}/incidents/{id}")
            let admin: HTTPHeaders = ["Authorization": "Bearer \(adminToken)"]
            let newOperation = try await browser.json(
                .POST, "/api/v1/operations", headers: admin,
                ["code": "TCD-2026", "name": "Chad", "countries": ["TCD"], "emergency_type": "population_movement"])
            #expect(newOperation.status == .created)
            try check(spec, newOperation, "post", "/operations")
            let taken = try await browser.json(
                .POST, "/api/v1/operations", headers: admin, ["code": "TCD-2026", "name": "Chad", "countries": ["TCD"]])
            #expect(taken.status == .conflict)
            try check(spec, taken, "post", "/operations")
            let newUser = try await browser.json(
                .POST, "/api/v1/users", headers: admin,
                ["email": "new@test.org", "display_name": "New", "password": "long enough password"])
            #expect(newUser.status == .created)
            try check(spec, newUser, "post", "/users")
            let weak = try await browser.json(
                .POST, "/api/v1/users", headers: admin,
                ["email": "weak@test.org", "display_name": "Weak", "password": "short"])
            #expect(weak.status == .unprocessableEntity)
            try check(spec, weak, "post", "/users")
            let notAdmin = try await browser.json(
                .POST, "/api/v1/users", headers: auth,
                ["email": "x@test.org", "display_name": "X", "password": "long enough password"])
            #expect(notAdmin.status == .forbidden)
            // Errors: each documented, each JSON with a code and a message.
            let unauthenticated = try await browser.get("/api/v1/operations")
            #expect(unauthenticated.status == .unauthorized)
            try check(spec, unauthenticated, "get", "/operations")
            let badToken = try await browser.get("/api/v1/operations", headers: ["Authorization": "Bearer brg_nope"])
            #expect(badToken.body.contains(#""code":"invalid_token""#))
            let missing = try await browser.get("/api/v1/operations/NOPE", headers: auth)
            #expect(missing.status == .notFound)
            try check(spec, missing, "get", "/operations/{code}")
            let forbidden = try await browser.get("/api/v1/users", headers: auth)
            #expect(forbidden.status == .forbidden)
            try check(spec, forbidden, "get", "/users")
            let badPage = try await browser.get("/api/v1/operations/SDN-TEST/sites?per_page=5000", headers: auth)
            #expect(badPage.status == .badRequest)
            try check(spec, badPage, "get", "/operations/{code}/sites")
            let invalid = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/sites", headers: auth,
                ["name": "", "type": "office", "audience": "ifrc", "latitude": 95, "longitude": 32.5])
            #expect(invalid.status == .unprocessableEntity)
            try check(spec, invalid, "post", "/operations/{code}/sites")
            #expect(invalid.body.contains(#""field":"latitude""#))
            let deleted = try await browser.send(.DELETE, "/api/v1/operations/SDN-TEST/sites/\(id)", headers: auth) {
                _ in
            }
            #expect(deleted.status == .noContent)
            #expect(try await browser.get("/api/v1/operations/SDN-TEST/sites/\(id)", headers: auth).status == .notFound)
        }
    }

    @Test(
        "incident follow-up through the API: update, status, reports, analysis and export, each as documented",
        arguments: TestDatabases.kinds)
    func incidentFollowUp(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            let spec = try await validator(browser)
            func auth(_ role: Role) async throws -> HTTPHeaders {
                [
                    "Authorization":
                        "Bearer \(try await TokenStore(app.db).create(userID: fixture.users[role]!.id, name: "t", expiresAt: Date() + 86_400, now: Date()).secret)"
                ]
            }
            let (staff, security, partner) = (
                try await auth(.staff), try await auth(.securityCoordinator), try await auth(.partner)
            )
            func send(_ method: HTTPMethod, _ path: String, _ headers: HTTPHeaders, _ json: String) async throws
                -> Browser.Page
            {
                var headers = headers
                if method == .PUT {  // based on the version a GET just read
                    let current = try await browser.get(path, headers: headers)
                    if let tag = current.headers.first(name: .eTag) { headers.replaceOrAdd(name: .ifMatch, value: tag) }
                }
                return try await browser.send(method, path, headers: headers) { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(string: json)
                }
            }
            let base = "/api/v1/operations/SDN-TEST/incidents"
            let body =
                #"{"title":"Checkpoint delay","category":"harassment","occurred_at":"2026-11-20T08:15:00Z","area_pcode":"SD01001","audience":"ifrc","#
            let created = try await send(
                .POST, base, staff,
                body
                    + #""follow_up":[{"action":"Call the checkpoint commander","owner":"Security","due_on":"2026-11-25"}]}"#
            )
            #expect(created.status == .created)
            try check(spec, created, "post", "/operations/{code}/incidents")
            #expect(created.body.contains(#""due_on":"2026-11-25T00:00:00Z""#))
            let id = try #require(created.headers.first(name: .location)?.split(separator: "/").last.map(String.init))

            let updated = try await send(
                .PUT, "\(base)/\(id)", staff,
                body.replacingOccurrences(of: "Checkpoint delay", with: "Checkpoint delay, 3 hours")
                    + #""follow_up":[{"action":"Call the checkpoint commander","owner":"Security","due_on":"2026-11-25","done":true}]}"#
            )
            #expect(updated.status == .ok)
            try check(spec, updated, "put", "/operations/{code}/incidents/{id}")
            #expect(updated.body.contains("Checkpoint delay, 3 hours") && updated.body.contains(#""done":true"#))
            let badUpdate = try await send(
                .PUT, "\(base)/\(id)", staff, body + #""follow_up":[{"action":"x","owner":"","due_on":"soon"}]}"#)
            #expect(badUpdate.status == .unprocessableEntity && badUpdate.body.contains("follow_up[0].due_on"))
            try check(spec, badUpdate, "put", "/operations/{code}/incidents/{id}")

            let byStaff = try await send(.POST, "\(base)/\(id)/status", staff, #"{"status":"verified"}"#)
            #expect(byStaff.status == .forbidden)
            try check(spec, byStaff, "post", "/operations/{code}/incidents/{id}/status")
            let verified = try await send(.POST, "\(base)/\(id)/status", security, #"{"status":"verified"}"#)
            #expect(verified.status == .ok && verified.body.contains(#""status":"verified""#))
            try check(spec, verified, "post", "/operations/{code}/incidents/{id}/status")
            let skipped = try await send(.POST, "\(base)/\(id)/status", security, #"{"status":"reported"}"#)
            #expect(skipped.status == .unprocessableEntity)
            try check(spec, skipped, "post", "/operations/{code}/incidents/{id}/status")

            let report = try await send(
                .POST, "\(base)/\(id)/reports", staff,
                #"{"type":"update","summary":"Released after 3 hours.","sent_to_region":true}"#)
            #expect(report.status == .created)
            try check(spec, report, "post", "/operations/{code}/incidents/{id}/reports")
            let timeline = try await browser.get("\(base)/\(id)/reports", headers: staff)
            try check(spec, timeline, "get", "/operations/{code}/incidents/{id}/reports")
            #expect(timeline.body.contains("Released after 3 hours."))
            let afterReport = try await browser.get("\(base)/\(id)", headers: security)
            #expect(
                !afterReport.body.contains(#""reported_to_region_at":null"#), "the regional report stopped the clock")
            let unknownType = try await send(.POST, "\(base)/\(id)/reports", staff, #"{"type":"rumour","summary":"x"}"#)
            #expect(unknownType.status == .unprocessableEntity)
            try check(spec, unknownType, "post", "/operations/{code}/incidents/{id}/reports")
            let hidden = try await browser.get("\(base)/\(id)/reports", headers: partner)
            #expect(hidden.status == .notFound)
            try check(spec, hidden, "get", "/operations/{code}/incidents/{id}/reports")

            let analysis = try await browser.get("\(base)/analysis?from=2026-11-01&to=2026-11-30", headers: security)
            #expect(analysis.status == .ok && analysis.body.contains(#""total":1"#))
            try check(spec, analysis, "get", "/operations/{code}/incidents/analysis")
            let badAnalysis = try await browser.get("\(base)/analysis?period=fortnight", headers: security)
            #expect(badAnalysis.status == .badRequest)
            try check(spec, badAnalysis, "get", "/operations/{code}/incidents/analysis")
            let export = try await browser.get("\(base)/export?format=hxl", headers: security)
            #expect(export.status == .ok && export.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(export.body.contains("#event+category") && export.body.contains("Checkpoint delay, 3 hours"))
            let badExport = try await browser.get("\(base)/export?format=pdf", headers: security)
            #expect(badExport.status == .badRequest)
            try check(spec, badExport, "get", "/operations/{code}/incidents/export")
        }
    }

    @Test("a disabled account's token stops working", arguments: TestDatabases.kinds)
    func disabledToken(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let user = fixture.users[.staff]!
            let token = try await TokenStore(app.db).create(
                userID: user.id, name: "t", expiresAt: Date() + 86_400, now: Date()
            ).secret
            let browser = Browser(app)
            #expect(
                try await browser.get("/api/v1/operations", headers: ["Authorization": "Bearer \(token)"]).status == .ok
            )
            try await UserStore(app.db).setDisabled(user.id, true, actorID: nil, now: Date())
            #expect(
                try await browser.get("/api/v1/operations", headers: ["Authorization": "Bearer \(token)"]).status
                    == .unauthorized)
        }
    }
}

extension Browser {
    /// Sends a JSON body.
    func json(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, _ body: [String: AnyCodable]) async throws
        -> Browser.Page
    {
        try await send(method, path, headers: headers) { req in try req.content.encode(body, as: .json) }
    }
}

/// Mixed-type JSON bodies for requests.
struct AnyCodable: Encodable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByDictionaryLiteral, Sendable
{
    let value: any Encodable & Sendable
    init(booleanLiteral value: Bool) { self.value = value }
    init(dictionaryLiteral elements: (String, Int)...) { self.value = Dictionary(uniqueKeysWithValues: elements) }
    init(stringLiteral value: String) { self.value = value }
    init(arrayLiteral elements: String...) { self.value = elements }
    init(floatLiteral value: Double) { self.value = value }
    init(integerLiteral value: Int) { self.value = value }
    /// Any other encodable value, e.g. an array of objects.
    init(_ value: any Encodable & Sendable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
