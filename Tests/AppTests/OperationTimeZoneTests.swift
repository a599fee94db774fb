import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// An operation's time zone, from its settings to the forms that take times and the pages that show them.
@Suite("An operation's own clock")
struct OperationTimeZoneTests {
    func signedIn(_ app: Application, _ user: UserRecord) async throws -> Browser {
        let browser = Browser(app)
        let page = try await browser.signIn(user.email, Fixture.password)
        #expect(page.status == .seeOther)
        return browser
    }

    static func fields(_ zone: String) -> [String: String] {
        ["name": "Sudan test", "countries": "SDN", "emergency_type": "complex_emergency", "time_zone": zone]
    }

    @Test(
        "the HeOps sets the zone by its IANA name; incidents and tallies are entered and shown on it, stored in UTC",
        arguments: TestDatabases.kinds)
    func clock(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let heops = try await signedIn(app, fixture.users[.headOfOperations]!)
            #expect(try await heops.get("/operations/SDN-TEST/edit").status == .ok)
            // A fixed offset or a made-up name is refused, with the field named; nothing changes.
            for bad in ["GMT+3", "Khartoum"] {
                let refused = try await heops.post("/operations/SDN-TEST/edit", Self.fields(bad))
                #expect(
                    refused.status == .unprocessableEntity && refused.body.contains("IANA name"),
                    "\(bad): \(refused.status) \(refused.body.components(separatedBy: "<main").last?.prefix(600) ?? "")"
                )
            }
            #expect(try await OperationStore(app.db).find(code: "SDN-TEST")?.timeZone == "UTC")
            #expect(
                try await heops.post("/operations/SDN-TEST/edit", Self.fields("Africa/Khartoum")).status == .seeOther)
            #expect(try await OperationStore(app.db).find(code: "SDN-TEST")?.timeZone == "Africa/Khartoum")
            #expect(
                try await heops.get("/operations/SDN-TEST/edit").body.contains(
                    "name=\"time_zone\" list=\"time-zones\" required autocomplete=\"off\" aria-describedby=\"time-zone-help\" value=\"Africa/Khartoum\""
                ))

            // An incident reported at 17:14 Khartoum time (UTC+2) is stored at 15:14 UTC and shown as 17:14.
            let staff = try await signedIn(app, fixture.users[.staff]!)
            let form = try await staff.get("/operations/SDN-TEST/incidents/new")
            #expect(form.status == .ok)
            #expect(form.body.contains("When it happened (Africa/Khartoum)"))
            let created = try await staff.post(
                "/operations/SDN-TEST/incidents",
                [
                    "title": "Checkpoint delay", "category": "violence", "subtype": "armed_threat",
                    "occurred_at": "2026-11-20T17:14", "latitude": "15.5", "longitude": "32.5",
                    "location_type": "checkpoint", "severity": "moderate",
                    "audience": "ifrc",
                ])
            #expect(created.status == .seeOther, "\(created.body.prefix(400))")
            let location = try #require(created.location)
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(app, fixture.users[.staff]!)))
            let stored = try #require(
                try await IncidentStore(app.db).find(
                    IncidentID(UUID(uuidString: String(location.split(separator: "/").last!))!), in: scope))
            #expect(stored.draft.occurredAt == DateText.time("2026-11-20T15:14Z"))
            let page = try await staff.get(location)
            #expect(page.body.contains("2026-11-20 17:14 UTC+2"))
            // The reporting deadline, which others elsewhere act on, has UTC beside it.
            #expect(page.body.contains(" UTC+2</span> <span dir=\"ltr\">(") && page.body.contains(" UTC)</span>"))
            // Its edit form gives the time back as it was entered.
            #expect(try await staff.get(location + "/edit").body.contains("value=\"2026-11-20T17:14\""))
            // A tally counted from 06:00 to 18:00 Khartoum time is the window 04:00–16:00 UTC.
            let point = try await SiteStore(app.db).create(
                try SiteDraft(
                    name: "FMP Argeen", type: .flowMonitoringPoint, latitude: 21.98, longitude: 31.35,
                    audience: .ifrcOnly
                )
                .validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id,
                actorID: fixture.users[.migrationCoordinator]!.id, now: Date())
            let tallyForm = try await staff.get("/operations/SDN-TEST/flows/new?point=\(point.id.uuidString)")
            #expect(tallyForm.body.contains("Times on the operation&#39;s clock (Africa/Khartoum)."))
            let saved = try await staff.post(
                "/operations/SDN-TEST/flows",
                [
                    "point": point.id.uuidString, "date": "2026-11-20", "from": "06:00", "to": "18:00",
                    "direction": "incoming", "total": "40",
                ])
            #expect(saved.status == .seeOther)
            let tallies = try await FlowStore(app.db).observations(in: scope, page: Paging(page: 1, perPage: 5)).items
            #expect(tallies.first?.draft.windowStart == DateText.time("2026-11-20T04:00Z"))
            #expect(tallies.first?.draft.windowEnd == DateText.time("2026-11-20T16:00Z"))
            #expect(try await staff.get("/operations/SDN-TEST/flows").body.contains("2026-11-20 06:00 UTC+2"))
            // The API keeps UTC, and names the zone.
            let token = try await TokenStore(app.db).create(
                userID: fixture.users[.staff]!.id, name: "test", expiresAt: Date() + 86_400, now: Date()
            ).secret
            let auth: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            let api = try await staff.get(
                "/api/v1/operations/SDN-TEST/incidents/\(stored.id.uuidString)", headers: auth)
            #expect(api.body.contains("2026-11-20T15:14:00Z"), "\(api.body.prefix(300))")
            let operation = try await staff.get("/api/v1/operations/SDN-TEST", headers: auth).body
            #expect(operation.replacingOccurrences(of: "\\/", with: "/").contains("\"time_zone\":\"Africa/Khartoum\""))
        }
    }
}
