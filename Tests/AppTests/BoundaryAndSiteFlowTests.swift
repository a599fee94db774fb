import Domain
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import App

@Suite(
    "Importing boundaries and adding sites through the pages",
    .enabled(if: SharedData.isAvailable, "../shared/data is not beside the repository"))
struct BoundaryAndSiteFlowTests {
    func heops(_ app: Application, _ fixture: Fixture, live: Bool = false) async throws -> Browser {
        let browser = Browser(app, liveUploads: live)
        _ = try await browser.signIn(fixture.users[.headOfOperations]!.email, Fixture.password)
        _ = try await browser.get("/operations/SDN-TEST/boundaries")
        return browser
    }

    @Test(
        "uploads of Sudan admin 0–2 report 1 / 19 / 189 and a site resolves to its locality",
        arguments: TestDatabases.kinds)
    func uploadAndSite(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            // Over real HTTP: uploads stream, and the CSRF check must still read the form.
            let browser = try await heops(app, fixture, live: true)
            for (level, count) in [(0, 1), (1, 19), (2, 189)] {
                let page = try await browser.upload(
                    "/operations/SDN-TEST/boundaries",
                    file: try SharedData.data("boundaries/sdn/sdn_admin\(level).geojson"),
                    filename: "sdn_admin\(level).geojson")
                #expect(page.status == .ok)
                #expect(page.body.contains(#"data-imported="true""#))
                #expect(
                    page.body.contains(#"<li data-level="\#(level)">Admin level \#(level): <strong>\#(count)</strong>"#)
                )
            }
            _ = try await browser.get("/operations/SDN-TEST/sites/new")
            let created = try await browser.post(
                "/operations/SDN-TEST/sites",
                [
                    "name": "Khartoum office", "type": "office", "latitude": "15.5007", "longitude": "32.5599",
                    "audience": "ifrc",
                    "contact_name": "Duty officer", "contact_phone": "+249 91 000 0000", "notes": "Ground floor",
                ])
            #expect(created.status == .seeOther)
            let site = try await browser.get(try #require(created.location))
            #expect(site.body.contains("SD01001"), "Khartoum's coordinates fall in Jebel Awlia locality (SD01001)")
            #expect(site.body.contains("(SD01)"))
            #expect(!site.body.contains("outside every admin area"))
            // An incident reported with coordinates only is placed in the same locality; an unknown
            // P-code is refused, by the form and by the API.
            _ = try await browser.get("/operations/SDN-TEST/incidents/new")
            let incident = try await browser.post(
                "/operations/SDN-TEST/incidents",
                [
                    "title": "Shots heard near the office", "category": "act_of_war", "subtype": "crossfire",
                    "occurred_at": "2026-11-20T22:10", "latitude": "15.5007", "longitude": "32.5599",
                    "audience": "ifrc",
                ])
            #expect(incident.status == .seeOther)
            #expect(try await browser.get(try #require(incident.location)).body.contains("SD01001"))
            let unknown = try await browser.post(
                "/operations/SDN-TEST/incidents",
                [
                    "title": "Somewhere", "category": "crime", "occurred_at": "2026-11-20T22:10", "area_pcode": "SD99",
                    "audience": "ifrc",
                ])
            #expect(
                unknown.status == .unprocessableEntity
                    && unknown.body.contains("No admin area of this operation has this P-code."))
            // Arabic names of areas are shown on the Arabic page.
            _ = try await browser.post("/language", ["lang": "ar", "back": created.location!])
            let arabic = try await browser.get(created.location!)
            #expect(arabic.body.contains(#"<html lang="ar" dir="rtl">"#))
            #expect(arabic.body.contains("الخرطوم"))
        }
    }

    @Test("a site outside every area is accepted with a warning", arguments: TestDatabases.kinds)
    func outside(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = try await heops(app, fixture)
            _ = try await browser.upload(
                "/operations/SDN-TEST/boundaries", file: try SharedData.data("boundaries/sdn/sdn_admin0.geojson"),
                filename: "a0.geojson")
            _ = try await browser.get("/operations/SDN-TEST/sites/new")
            let created = try await browser.post(
                "/operations/SDN-TEST/sites",
                [
                    "name": "N'Djamena liaison office", "type": "office", "latitude": "12.1348", "longitude": "15.0557",
                    "audience": "ifrc",
                ])
            #expect(created.status == .seeOther)
            let site = try await browser.get(created.location!)
            #expect(site.body.contains("outside every admin area"))
        }
    }

    @Test("bad files get a clear message and leave the stored areas as they were", arguments: TestDatabases.kinds)
    func badFiles(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind, adjust: { $0.maxUploadBytes = 1_000_000 }) { app in
            let fixture = try await Fixture.make(app)
            let browser = try await heops(app, fixture)
            _ = try await browser.upload(
                "/operations/SDN-TEST/boundaries", file: try SharedData.data("boundaries/sdn/sdn_admin0.geojson"),
                filename: "a0.geojson")
            let cases: [(String, Data, String)] = [
                ("truncated.geojson", Data(#"{"type": "FeatureCollection", "features": ["#.utf8), "not valid JSON"),
                (
                    "utm.geojson",
                    Data(
                        #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:32636"}},"features":[]}"#
                            .utf8), "EPSG:32636"
                ),
                (
                    "big.geojson", try SharedData.data("boundaries/sdn/sdn_admin2.geojson"),
                    "larger than the upload limit (1 MB)"
                ),
                (
                    "ne.geojson", try SharedData.data("boundaries/naturalearth/ne_110m_admin_0_countries.geojson"),
                    "Sudan"
                ),
            ]
            for (name, data, message) in cases {
                let page = try await browser.upload("/operations/SDN-TEST/boundaries", file: data, filename: name)
                #expect(page.status == (name == "big.geojson" ? .payloadTooLarge : .unprocessableEntity), "\(name)")
                #expect(page.body.contains(message), "\(name) should mention \(message)")
                #expect(
                    try await AreaStore(app.db).countsByLevel(operationID: fixture.operation.id) == [0: 1],
                    "\(name) changed nothing")
            }
        }
    }

    @Test(
        "the boundary import moves every site but counts only those its importer may see, each move in the site's history",
        arguments: TestDatabases.kinds)
    func hiddenSitesNotCounted(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let staff = fixture.users[.staff]!
            var ids: [SiteID] = []
            for (name, audience) in [("Residence", AudienceLevel.restricted), ("Office", .movement)] {
                let draft = try SiteDraft(
                    name: name, type: .office, latitude: 15.5, longitude: 32.5, audience: audience
                ).validated()
                let grants = audience == .restricted ? SiteStore.Grants(userIDs: [staff.id]) : SiteStore.Grants()
                ids.append(
                    try await SiteStore(app.db).create(
                        draft, areaPcode: nil, grants: grants, in: fixture.operation.id, actorID: staff.id, now: Date()
                    ).id)
            }
            let browser = try await heops(app, fixture)
            let page = try await browser.upload(
                "/operations/SDN-TEST/boundaries", file: try SharedData.data("boundaries/sdn/sdn_admin0.geojson"),
                filename: "a0.geojson")
            #expect(page.status == .ok)
            #expect(
                page.body.contains("sites re-assigned&#58; 1;") || page.body.contains("sites re-assigned: 1;"),
                "the HeOps is told of the office only")
            for id in ids {
                let area = try await (app.db as! any SQLDatabase).raw(
                    "SELECT area_pcode FROM sites WHERE id = \(bind: id)"
                ).first()?.decode(column: "area_pcode", as: String?.self)
                #expect(area == "SD", "both sites moved")
                let history = try await (app.db as! any SQLDatabase).raw(
                    "SELECT changes FROM audit_log WHERE record_kind = 'site' AND record_id = \(bind: id.uuidString) AND changes LIKE '%area_pcode%'"
                ).all()
                #expect(history.count == 1, "the move is audited")
            }
        }
    }

    @Test(
        "no area becomes its own parent, nor the parent of the area above it, and a refused file changes nothing",
        arguments: TestDatabases.kinds)
    func parentCycles(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = try await heops(app, fixture)
            func file(_ properties: String) -> Data {
                Data(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"#.utf8)
                    + Data(properties.utf8)
                    + Data(
                        #"},"geometry":{"type":"Polygon","coordinates":[[[32,15],[33,15],[33,16],[32,16],[32,15]]]}}]}"#
                            .utf8)
            }
            func upload(_ properties: String, level: String) async throws -> Browser.Page {
                try await browser.upload(
                    "/operations/SDN-TEST/boundaries", file: file(properties), filename: "areas.geojson",
                    fields: ["level": level])
            }
            #expect(try await upload(#""adm0_pcode":"SD","adm0_name":"Sudan""#, level: "0").status == .ok)
            #expect(
                try await upload(#""adm1_pcode":"SD01","adm1_name":"Khartoum","adm0_pcode":"SD""#, level: "1").status
                    == .ok)
            let before = try await AreaStore(app.db).list(operationID: fixture.operation.id).items.map {
                "\($0.pcode)<\($0.parentPcode ?? "-")@\($0.level)"
            }
            #expect(before == ["SD<-@0", "SD01<SD@1"])
            // A level that is not one of 0–4 is refused, not silently replaced by the detected one.
            for bad in ["x", "+1", "7"] {
                #expect(
                    try await upload(#""adm1_pcode":"SD02","adm1_name":"Gezira","adm0_pcode":"SD""#, level: bad).status
                        == .unprocessableEntity, "\(bad)")
            }
            let cases: [(String, String, String)] = [
                (
                    #""adm1_pcode":"SD01","adm1_name":"Khartoum","adm0_pcode":"SD01""#, "1",
                    "SD01 would be its own parent"
                ),
                (
                    #""adm2_pcode":"SD","adm2_name":"Sudan","adm1_pcode":"SD01""#, "2",
                    "SD01 (level 1) would have SD (level 2) as its parent"
                ),
            ]
            for (properties, level, message) in cases {
                let page = try await upload(properties, level: level)
                #expect(page.status == .unprocessableEntity, "\(message)")
                #expect(page.body.contains(message), "the page says \(message)")
                let after = try await AreaStore(app.db).list(operationID: fixture.operation.id).items.map {
                    "\($0.pcode)<\($0.parentPcode ?? "-")@\($0.level)"
                }
                #expect(after == before, "nothing changed")
            }
        }
    }

    @Test("missing and wrong form fields are named, and nothing is stored", arguments: TestDatabases.kinds)
    func formErrors(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = try await heops(app, fixture)
            _ = try await browser.get("/operations/SDN-TEST/sites/new")
            let page = try await browser.post(
                "/operations/SDN-TEST/sites",
                ["name": "", "type": "office", "latitude": "north", "longitude": "", "audience": "ifrc"])
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("Latitude must be between -90 and 90"))
            #expect(page.body.contains(#"value="north""#), "what was typed is kept")
            let scope = AccessPolicy.scope(
                in: fixture.operation.id,
                for: try await fixture.viewer(app, fixture.users[.headOfOperations]!))!
            #expect(try await SiteStore(app.db).all(in: scope).isEmpty)
        }
    }

    @Test("hostile text is escaped on every page and in the map", arguments: [TestDatabases.Kind.sqlite])
    func hostile(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = try await heops(app, fixture)
            let evil = #""><script>alert(1)</script><img src=x onerror=alert(2)>"#
            _ = try await browser.get("/operations/SDN-TEST/sites/new")
            let created = try await browser.post(
                "/operations/SDN-TEST/sites",
                [
                    "name": evil, "type": "camp", "latitude": "15", "longitude": "32", "audience": "public",
                    "notes": evil, "contact_name": evil,
                ])
            #expect(created.status == .seeOther)
            // A member whose name is hostile too: the dashboard's member list is built in Swift.
            let member = try await UserStore(app.db).create(
                email: "evil@test.org", displayName: evil, passwordHash: "x", isAdmin: false, actorID: fixture.admin.id,
                now: Date())
            try await OperationStore(app.db).setMember(
                operationID: fixture.operation.id, userID: member.id, role: .staff, actorID: fixture.admin.id,
                now: Date())
            for path in [
                created.location!, "/operations/SDN-TEST/sites", "/operations/SDN-TEST", "/operations/SDN-TEST/map.svg",
                "/operations/SDN-TEST/audit",
            ] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.body.contains("<script>"), "\(path)")
                #expect(!page.body.contains("<img src=x"), "\(path)")
            }
            // The text is shown, escaped, not dropped.
            #expect(
                try await browser.get("/operations/SDN-TEST/sites").body.contains(
                    "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(
                try await browser.get("/operations/SDN-TEST/about").body.contains(
                    "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }
}
