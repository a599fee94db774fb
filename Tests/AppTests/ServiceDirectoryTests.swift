import Domain
import Foundation
import Interop
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// The referral directory through the pages, the API and the command line (issue 18, part 3).
@Suite("Service directory")
struct ServiceDirectoryTests {
    static let code = "/operations/SDN-TEST"

    static func form(_ name: String, _ extra: [String: String] = [:]) -> [String: String] {
        var form = [
            "organization": "Sudanese Red Crescent Society", "name": name, "status": "active",
            "accepts_referrals": "yes", "consent_required": "yes", "phones": "+249 91 200 1001, voice, Duty officer",
            "hours": "SU-TH 08:00-16:00", "languages": "ar, ti", "sectors[]": "health", "population_types[]": "REF",
            "location_name": "HSP Kassala", "latitude": "15.44", "longitude": "36.40",
        ]
        for (key, value) in extra { form[key] = value }
        return form
    }

    @Test(
        "the coordinator adds a service; everyone in the operation reads it; a change that leaves consent out keeps it",
        arguments: TestDatabases.kinds)
    func pages(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            let created = try await coordinator.post(Self.code + "/services", Self.form("Psychosocial support"))
            #expect(created.status == .seeOther)
            let path = try #require(created.location)
            let page = try await coordinator.get(path)
            #expect(page.status == .ok)
            #expect(page.body.contains("Psychosocial support"))
            #expect(page.body.contains("tel:+2499120010"))
            #expect(page.body.contains("Sun–Thu"))
            // A refused form keeps what was typed and names the field.
            let refused = try await coordinator.post(
                Self.code + "/services", Self.form("Bad", ["hours": "every day", "email": "nobody"]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("every day"))
            #expect(refused.body.contains("Hours are written as days and times"))
            // A partner reads the directory and its map, but cannot add to it.
            let partner = try await Browser.signedIn(app, fixture.users[.partner]!)
            #expect(try await partner.get(Self.code + "/services").body.contains("Psychosocial support"))
            #expect(try await partner.get(Self.code + "/services/new").status == .forbidden)
            #expect(
                try await partner.post(Self.code + "/services", Self.form("Intruder")).status == .forbidden)
            // An update that leaves "consent required" out keeps it.
            let version = try await coordinator.editVersion(path + "/edit")
            var change = Self.form("Psychosocial support and safe space")
            change["consent_required"] = nil
            change["version"] = version
            #expect(try await coordinator.post(path + "/edit", change).status == .seeOther)
            let stored = try #require(
                try await ServiceStore(app.db).all(in: AccessPolicy.unnamedOperatorScope(in: fixture.operation.id))
                    .first)
            #expect(stored.name == "Psychosocial support and safe space")
            #expect(stored.consentRequired)
            // A place taken away is cleared, not kept.
            var noPlace = change
            noPlace["version"] = try await coordinator.editVersion(path + "/edit")
            for key in ["location_name", "latitude", "longitude", "address", "site_id"] { noPlace[key] = "" }
            #expect(try await coordinator.post(path + "/edit", noPlace).status == .seeOther)
            let placeless = try #require(
                try await ServiceStore(app.db).find(
                    stored.id, in: AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)))
            #expect(placeless.locationName == nil && placeless.latitude == nil && placeless.areaPcode == nil)
            // Two saves from the same version: the second is told what changed.
            var late = Self.form("Late change")
            late["version"] = version
            #expect(try await coordinator.post(path + "/edit", late).status == .conflict)
            // Filters: by sector, and only those that take referrals now.
            #expect(try await coordinator.get(Self.code + "/services?sector=health").body.contains("safe space"))
            #expect(!(try await coordinator.get(Self.code + "/services?sector=education").body.contains("safe space")))
            // Removed: gone from the list, kept in the audit trail.
            #expect(try await coordinator.post(path + "/delete", [:]).status == .seeOther)
            #expect(!(try await coordinator.get(Self.code + "/services").body.contains("safe space")))
            let trail = try await AuditStore(app.db).entries(recordKind: "service", recordID: stored.id.uuidString)
            #expect(trail.map(\.action) == [.delete, .update, .update, .create])
        }
    }

    @Test(
        "an HSDS file uploaded: every service read, a re-import changes nothing, a bad file stores nothing and says why",
        .enabled(if: SharedData.isAvailable))
    func importPage() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            let file = try SharedData.data("hsds/v3.0/json/tabular.json")
            let first = try await coordinator.upload(
                Self.code + "/services/import", file: file, filename: "tabular.json")
            #expect(first.status == .ok)
            #expect(first.body.contains("tabular.json: HSDS 3.0: 1 service(s) read: 1 added, 0 updated, 0 unchanged"))
            #expect(first.body.contains("is not a latitude and longitude"))
            let again = try await coordinator.upload(
                Self.code + "/services/import", file: file, filename: "tabular.json")
            #expect(again.body.contains("0 added, 0 updated, 1 unchanged"))
            let bad = try await coordinator.upload(
                Self.code + "/services/import", file: Data("{ not json".utf8), filename: "broken.json")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("broken.json: The file could not be read: not valid JSON."))
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            #expect(try await ServiceStore(app.db).count(in: scope) == 1)
            // The download reads back as the same directory.
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            let zip = try await staff.get(Self.code + "/services/export?format=zip")
            #expect(zip.status == .ok)
            #expect(zip.headers.contentType?.description.hasPrefix("application/zip") == true)
            let read = try HSDSReader.read(data: zip.data, name: "x.zip")
            #expect(read.entries.map(\.serviceID) == ["ac148810-d857-441c-9679-408f346de14b"])
            let one = try await staff.get(Self.code + "/services/export?format=csv&table=phones")
            #expect(one.body.hasPrefix("id,service_id,service_at_location_id,number,type,description"))
            #expect(try await staff.get(Self.code + "/services/export?format=pdf").status == .badRequest)
            #expect(
                try await staff.upload(Self.code + "/services/import", file: file, filename: "t.json").status
                    == .forbidden)
        }
    }

    @Test("a site's referral pathway: the services there, in its area, nearby and by phone; inactive ones left out")
    func pathway() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            let site = try await SiteStore(app.db).create(
                try SiteDraft(
                    name: "HSP Gallabat", type: .humanitarianServicePoint, latitude: 12.96, longitude: 36.15,
                    audience: .public
                )
                .validated(), areaPcode: nil, grants: .init(), in: fixture.operation.id,
                actorID: fixture.users[.securityCoordinator]!.id, now: Date())
            for (name, extra) in [
                ("At the HSP", ["site_id": site.id.uuidString, "latitude": "12.96", "longitude": "36.15"]),
                ("Clinic in Metema", ["latitude": "12.95", "longitude": "36.20", "location_name": "Metema"]),
                ("Far away in Port Sudan", ["latitude": "19.6", "longitude": "37.2", "location_name": "Port Sudan"]),
                ("Helpline", ["latitude": "", "longitude": "", "location_name": ""]),
                ("Closed clinic", ["status": "temporarily closed", "latitude": "12.95", "longitude": "36.16"]),
            ] {
                #expect(
                    try await coordinator.post(Self.code + "/services", Self.form(name, extra)).status == .seeOther,
                    "\(name)")
            }
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            let page = try await staff.get(Self.code + "/sites/\(site.id.uuidString)/pathway")
            #expect(page.status == .ok)
            for shown in ["At the HSP", "Clinic in Metema", "Helpline"] {
                #expect(page.body.contains(shown), "\(shown)")
            }
            for hidden in ["Far away in Port Sudan", "Closed clinic"] {
                #expect(!page.body.contains(hidden), "\(hidden)")
            }
            let km = ServiceDirectory.kilometres(12.96, 36.15, 12.95, 36.20)
            #expect(page.body.contains(DecimalText.fixed(km, digits: 1) + " km"))
            // A site the reader may not see has no pathway for them.
            let hidden = try await SiteStore(app.db).create(
                try SiteDraft(
                    name: "Residence", type: .residence, latitude: 12.9, longitude: 36.1, audience: .restricted
                )
                .validated(), areaPcode: nil, grants: .init(), in: fixture.operation.id,
                actorID: fixture.users[.securityCoordinator]!.id, now: Date())
            #expect(try await staff.get(Self.code + "/sites/\(hidden.id.uuidString)/pathway").status == .notFound)
        }
    }

    @Test(
        "the API: members read, the coordinator writes; PATCH keeps what it leaves out", arguments: TestDatabases.kinds)
    func api(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            func token(_ role: Role) async throws -> HTTPHeaders {
                let secret = try await TokenStore(app.db).create(
                    userID: fixture.users[role]!.id, name: "t", expiresAt: Date() + 3600, now: Date()
                ).secret
                var headers: HTTPHeaders = ["Authorization": "Bearer \(secret)"]
                headers.contentType = .json
                return headers
            }
            let browser = Browser(app)
            let body: [String: AnyCodable] = [
                "organization": "UNHCR", "name": "Registration", "accepts_referrals": true,
                "phones": ["+249 91 300 2001"], "hours": ["SU-TH 08:00-16:00"],
                "sectors": ["protection_gender_and_inclusion"],
                "population_types": ["REF", "ASY"], "location_name": "Reception centre", "latitude": 19.63,
                "longitude": 37.21,
            ]
            let staff = try await browser.json(
                .POST, "/api/v1\(Self.code)/services", headers: try await token(.staff), body)
            #expect(staff.status == .forbidden)
            let coordinator = try await token(.migrationCoordinator)
            let created = try await browser.json(.POST, "/api/v1\(Self.code)/services", headers: coordinator, body)
            #expect(created.status == .created, "\(created.body)")
            let api = PopulationAPITests()
            let spec = try OpenAPIValidator(data: Data(try await browser.get("/api/v1/openapi.json").body.utf8))
            try api.check(spec, created, "post", "/operations/{code}/services")
            let location = try #require(created.headers.first(name: .location))
            #expect(created.body.contains("\"consent_required\":true"))
            let partner = try await browser.get(location, headers: try await token(.partner))
            #expect(partner.status == .ok)
            let etag = try #require(partner.headers.first(name: .eTag))
            var headers = coordinator
            headers.replaceOrAdd(name: .ifMatch, value: etag)
            let patched = try await browser.send(.PATCH, location, headers: headers) {
                try $0.content.encode(["name": "Registration and documentation"])
            }
            #expect(patched.status == .ok, "\(patched.body)")
            try api.check(spec, patched, "patch", "/operations/{code}/services/{id}")
            #expect(patched.body.contains("\"consent_required\":true"))
            #expect(patched.body.contains("\"accepts_referrals\":true"))
            #expect(patched.body.contains("Reception centre"))
            let refused = try await browser.send(.PATCH, location, headers: headers) {
                try $0.content.encode(["hours": ["always"]])
            }
            #expect(refused.status == .preconditionFailed || refused.status == .unprocessableEntity)
            let list = try await browser.get(
                "/api/v1\(Self.code)/services?accepts_referrals=true", headers: try await token(.staff))
            #expect(list.body.contains("Registration and documentation"))
            try api.check(spec, list, "get", "/operations/{code}/services")
            #expect(
                try await browser.get("/api/v1\(Self.code)/services?sector=nope", headers: coordinator).status
                    == .badRequest)
            #expect(
                try await browser.send(.DELETE, location, headers: try await token(.partner)) { _ in }.status
                    == .forbidden)
            #expect(try await browser.send(.DELETE, location, headers: coordinator) { _ in }.status == .noContent)
            #expect(try await browser.get(location, headers: coordinator).status == .notFound)
        }
    }
}
