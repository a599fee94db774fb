import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// Two people open the same record and both save: the second save is refused with both versions
/// shown and the second person's text still in the form; saving again then applies it.
@Suite("Lost updates")
struct LostUpdateTests {
    /// The coordinator and the HeOps both edit `field` through the form at `edit`; returns nothing, expects everything.
    func race(
        _ app: Application, _ fixture: Fixture, edit: String, field: String, multipart: Bool = false,
        stored: () async throws -> String
    ) async throws {
        let first = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
        let second = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
        let action = edit.split(separator: "?").first.map(String.init) ?? edit
        func submit(_ browser: Browser, _ page: Browser.Page, _ value: String) async throws -> Browser.Page {
            var fields = FormReader.fields(in: page.body, action: action)
            #expect(fields["version"]?.isEmpty == false, "the form carries its version: \(action)")
            fields[field] = value
            return multipart ? try await browser.postMultipart(action, fields) : try await browser.post(action, fields)
        }
        let formA = try await first.get(edit)
        let formB = try await second.get(edit)
        #expect(formA.status == .ok && formB.status == .ok)
        #expect(try await submit(first, formA, "Saved first by the coordinator").status == .seeOther)
        let refused = try await submit(second, formB, "Saved second by the HeOps")
        #expect(refused.status == .conflict, "\(action)")
        #expect(refused.body.contains("id=\"stale-edit\""))
        #expect(
            refused.body.contains("Saved first by the coordinator")
                && refused.body.contains("Saved second by the HeOps"), "both versions shown")
        #expect(try await stored() == "Saved first by the coordinator", "the first save stands")
        // Saving again from the refused page (its newer version, the HeOps's text kept) goes through.
        let again = try await submit(second, refused, FormReader.fields(in: refused.body, action: action)[field] ?? "")
        #expect(again.status == .seeOther)
        #expect(try await stored() == "Saved second by the HeOps")
    }

    @Test(
        "a site, an incident, a risk and a plan: the second of two saves is refused, nothing lost",
        arguments: TestDatabases.kinds)
    func forms(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = fixture.users[.securityCoordinator]!
            let scope = try #require(
                AccessPolicy.scope(in: fixture.operation.id, for: try await fixture.viewer(app, coordinator))
            )
            let site = try await SiteStore(app.db).create(
                try SiteDraft(name: "Office", type: .office, latitude: 15.5, longitude: 32.5, audience: .movement)
                    .validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: coordinator.id, now: Date())
            try await race(app, fixture, edit: "/operations/SDN-TEST/sites/\(site.id.uuidString)/edit", field: "name") {
                try await SiteStore(app.db).find(site.id, in: scope)?.name ?? ""
            }
            let incident = try await IncidentStore(app.db).create(
                try IncidentDraft(
                    title: "Checkpoint delay", category: .crime, occurredAt: Date().addingTimeInterval(-600),
                    latitude: 15.5, longitude: 32.5, audience: .ifrcOnly
                ).validated(now: Date()),
                reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id, now: Date())
            try await race(
                app, fixture, edit: "/operations/SDN-TEST/incidents/\(incident.id.uuidString)/edit", field: "title"
            ) {
                try await IncidentStore(app.db).find(incident.id, in: scope)?.draft.title ?? ""
            }
            let risk = try await RiskStore(app.db).create(
                try RiskDraft(
                    title: "Road ambush", threat: "crime", targets: [.people], likelihood: 3, impact: 3,
                    nextReview: Date().addingTimeInterval(86_400 * 30), audience: .ifrcOnly
                ).validated(now: Date()),
                in: fixture.operation.id, matrix: .srm, actorID: coordinator.id, now: Date())
            try await race(app, fixture, edit: "/operations/SDN-TEST/risks/\(risk.id.uuidString)/edit", field: "title")
            {
                try await RiskStore(app.db).find(risk.id, in: scope)?.draft.title ?? ""
            }
            let plan = try await PlanStore(app.db).createDraft(
                PlanDraft(kind: .regulations, content: "Curfew at 18:00"),
                in: fixture.operation.id, actorID: coordinator.id, now: Date())
            try await race(
                app, fixture,
                edit: "/operations/SDN-TEST/plans/security_regulations/versions/\(plan.id.uuidString)/edit",
                field: "content", multipart: true
            ) {
                try await PlanStore(app.db).version(plan.id, in: fixture.operation.id)?.draft.content ?? ""
            }
        }
    }

    @Test(
        "the API: a PUT or PATCH needs If-Match (428 without), a stale one is refused (412), the answer carries the new ETag",
        arguments: TestDatabases.kinds)
    func api(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = fixture.users[.securityCoordinator]!
            let site = try await SiteStore(app.db).create(
                try SiteDraft(name: "Office", type: .office, latitude: 15.5, longitude: 32.5, audience: .movement)
                    .validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: coordinator.id, now: Date())
            let token = try await TokenStore(app.db).create(
                userID: coordinator.id, name: "t", expiresAt: Date() + 86_400, now: Date()
            ).secret
            let browser = Browser(app)
            let path = "/api/v1/operations/SDN-TEST/sites/\(site.id.uuidString)"
            func send(_ method: HTTPMethod, _ body: String?, ifMatch: String?) async throws -> Browser.Page {
                var headers: HTTPHeaders = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
                if let ifMatch { headers.add(name: .ifMatch, value: ifMatch) }
                return try await browser.send(method, path, headers: headers) { req in
                    if let body { req.body = ByteBuffer(string: body) }
                }
            }
            let read = try await send(.GET, nil, ifMatch: nil)
            let etag = try #require(read.headers.first(name: .eTag))
            #expect(try await send(.PATCH, #"{"name":"No version"}"#, ifMatch: nil).status == .preconditionRequired)
            let saved = try await send(.PATCH, #"{"name":"First"}"#, ifMatch: etag)
            #expect(saved.status == .ok)
            let newTag = try #require(saved.headers.first(name: .eTag))
            #expect(newTag != etag)
            let stale = try await send(.PATCH, #"{"name":"Second"}"#, ifMatch: etag)
            #expect(
                stale.status == .preconditionFailed && stale.body.contains("stale_version")
                    && stale.body.contains(newTag.replacingOccurrences(of: "\"", with: "\\\"")))
            #expect(
                try await SiteStore(app.db).find(
                    site.id,
                    in: try #require(
                        AccessPolicy.scope(
                            in: fixture.operation.id,
                            for: try await fixture.viewer(app, coordinator))))?.name == "First")
            #expect(
                try await send(.PATCH, #"{"name":"Second"}"#, ifMatch: "W/" + newTag).status == .ok,
                "a weak tag names the same version")
        }
    }
}
