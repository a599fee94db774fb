import Domain
import Foundation
import Geo
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Displacement figures through the pages", .enabled(if: SharedData.isAvailable, "needs ../shared/data"))
struct PopulationPageTests {
    @Test(
        "the migration coordinator uploads figures; the page shows the stock over time with its sources, rates per 100,000, and exports them",
        arguments: TestDatabases.kinds)
    func page(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            let adm1 = try Data(contentsOf: SharedData.url("population/caf_admpop_adm1_2015_v2.csv"))
            let uploaded = try await coordinator.postMultipart(
                "/operations/SDN-TEST/population", ["format": "cod-ps"],
                file: (filename: "caf_admpop_adm1_2015_v2.csv", data: adm1))
            #expect(
                uploaded.status == .ok && uploaded.body.contains("rows read: 17")
                    && uploaded.body.contains("figures added: 17"))
            // IDPs in two provinces the same year, from a partner's HXL sheet.
            let hxl = """
                #adm1+name,#adm1+code,#date+reported,#affected+idps+ind,#meta+source
                Ouaka,CF43,2015-12-31,"34,787",Government
                Bangui,CF71,2015-12-31,83908,Government
                """
            let second = try await coordinator.postMultipart(
                "/operations/SDN-TEST/population", ["format": "hxl"],
                file: (filename: "idps_2015.csv", data: Data(hxl.utf8)))
            #expect(second.body.contains("figures added: 2"), "\(second.body)")
            let page = try await coordinator.get("/operations/SDN-TEST/population?type=IDP&type=POP")
            #expect(page.status == .ok)
            #expect(
                page.body.contains(
                    "<tr><td dir=\"ltr\">2015</td><td class=\"score\">118\u{202F}695</td><td class=\"score\">4\u{202F}953\u{202F}014</td><td><small>Government"
                ))
            // Rates: 34,787 IDPs in Ouaka's 347,873 inhabitants is 10,000 per 100,000.
            #expect(
                page.body.contains(
                    "<td>Ouaka (CF43)</td><td>Internally displaced people</td><td dir=\"ltr\">2015</td><td class=\"score\">34\u{202F}787</td><td class=\"score\">347\u{202F}873</td><td class=\"score\"><strong>10000</strong></td>"
                ))
            let csv = try await coordinator.get("/operations/SDN-TEST/population/export?type=IDP&format=hxl")
            let lines = csv.body.split(separator: "\r\n").map(String.init)
            #expect(
                lines[1].hasPrefix(
                    "#meta+id,#meta+source,#meta+x_method,#population_group+code,#loc+type,#loc+code,#loc+name,#loc+name+i_ar"
                ))
            #expect(!lines[1].contains("#date+year") && lines.count == 4)
            #expect(
                lines.contains {
                    $0.hasPrefix(
                        "idps_2015,government,,IDP,admin_area,CF71,Bangui,,,,2015,2015-12-31,,2015-12-31,83908,")
                })

            // Who may do what: every member reads; only the migration coordinator and the HeOps import.
            let partner = try await Browser.signedIn(app, fixture.users[.partner]!)
            #expect(try await partner.get("/operations/SDN-TEST/population").status == .ok)
            #expect(
                try await partner.postMultipart(
                    "/operations/SDN-TEST/population", ["format": "cod-ps"],
                    file: (filename: "x.csv", data: adm1)
                ).status == .forbidden)
            let outsider = try await Browser.signedIn(app, fixture.outsider)
            #expect(try await outsider.get("/operations/SDN-TEST/population").status == .notFound)
            let wrong = try await coordinator.postMultipart(
                "/operations/SDN-TEST/population", ["format": "unhcr-population"],
                file: (filename: "x.csv", data: adm1))
            #expect(wrong.status == .unprocessableEntity && wrong.body.contains("lacks the columns"))
        }
    }

    @Test(
        "a figure entered by hand is kept, corrected on a second entry, refused by field when wrong; GeoJSON puts known places on the map",
        arguments: TestDatabases.kinds)
    func entryAndGeoJSON(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            let form = [
                "population_type": "REF", "location": "ssd", "reference_date": "2026-11-01", "total": "1,200",
                "source": "government",
                "method": "registration", "round": "2", "breakdown[f_0_4]": "100", "breakdown[m_0_4]": "",
                "origin_iso3": "sdn",
            ]
            let saved = try await coordinator.post("/operations/SDN-TEST/population/figures", form)
            #expect(saved.status == .seeOther, "\(saved.body)")
            #expect(
                saved.headers.first(name: .location) == "/operations/SDN-TEST/population?location=SSD&type=REF#figures")
            let after = try await coordinator.get("/operations/SDN-TEST/population?location=SSD&type=REF")
            #expect(after.body.contains("The figure is added."))
            #expect(
                after.body.contains(
                    "<td>Refugees (REF)</td><td>South Sudan (SSD) <small>from SDN</small></td><td dir=\"ltr\" class=\"nowrap\">2026-11-01</td><td class=\"score\">1\u{202F}200</td><td><small>Government · Registration · #2 · own_entries</small></td>"
                ),
                "\(after.body.components(separatedBy: "id=\"figures\"").last?.prefix(800) ?? "")")
            var corrected = form
            corrected["total"] = "1300"
            _ = try await coordinator.post("/operations/SDN-TEST/population/figures", corrected)
            #expect(
                try await coordinator.get("/operations/SDN-TEST/population?location=SSD&type=REF").body.contains(
                    "The figure is corrected."))
            let stored = try await PopulationStore(app.db).figures(
                in: fixture.operation.id, .init(dataset: FigureEntry.dataset), limit: 10)
            #expect(stored.map(\.figure.total) == [1_300], "corrected, not added twice")
            _ = try await coordinator.post(
                "/operations/SDN-TEST/population/figures",
                ["population_type": "IDP", "location": "Gedaref town", "reference_date": "2026-11-02", "total": "0"])
            // A country written in Arabic by a reader of Arabic is found, and stored under its English name like every other source's.
            _ = try await coordinator.post("/language", ["lang": "ar", "back": "/"])
            let egypt = try await coordinator.post(
                "/operations/SDN-TEST/population/figures",
                ["population_type": "REF", "location": "مصر", "reference_date": "2026-11-02", "total": "40"])
            #expect(egypt.status == .seeOther)
            _ = try await coordinator.post("/language", ["lang": "en", "back": "/"])
            let inEgypt = try await PopulationStore(app.db).figures(
                in: fixture.operation.id, .init(dataset: FigureEntry.dataset, location: "EGY"), limit: 10)
            #expect(
                inEgypt.map { [$0.figure.location.kind.rawValue, $0.figure.location.code, $0.figure.location.name] }
                    == [["country", "EGY", "Egypt"]])
            // Wrong input: each field says what is wrong, the values stay, nothing is stored.
            let bad = try await coordinator.post(
                "/operations/SDN-TEST/population/figures",
                [
                    "population_type": "XYZ", "location": " ", "reference_date": "1 Nov", "total": "many",
                    "breakdown[f_0_4]": "-",
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("<details id=\"figure-entry\" open>"))
            for field in ["population_type", "reference_date", "total", "breakdown"] {
                #expect(bad.body.contains("id=\"error-\(field)\""), "\(field)")
            }
            #expect(bad.body.contains("value=\"many\""))
            let tooMany = try await coordinator.post(
                "/operations/SDN-TEST/population/figures",
                [
                    "population_type": "IDP", "location": "SD01", "reference_date": "2026-11-01", "total": "10",
                    "breakdown[f_0_4]": "11",
                ])
            #expect(tooMany.status == .unprocessableEntity && tooMany.body.contains("id=\"error-breakdown\""))
            #expect(
                try await PopulationStore(app.db).figures(
                    in: fixture.operation.id, .init(dataset: FigureEntry.dataset), limit: 10
                ).count == 3)
            let partner = try await Browser.signedIn(app, fixture.users[.partner]!)
            #expect(try await partner.post("/operations/SDN-TEST/population/figures", form).status == .forbidden)
            #expect(!(try await partner.get("/operations/SDN-TEST/population").body.contains("figure-entry-form")))

            // GeoJSON: the country's point for South Sudan (and Egypt); no geometry for a place Bearing cannot locate.
            let geo = try await coordinator.get(
                "/operations/SDN-TEST/population/export?type=REF&type=IDP&format=geojson")
            #expect(geo.status == .ok)
            let root = try #require(try JSONSerialization.jsonObject(with: Data(geo.body.utf8)) as? [String: Any])
            let features = try #require(root["features"] as? [[String: Any]])
            #expect(root["type"] as? String == "FeatureCollection" && features.count == 3)
            let refugees = try #require(
                features.first { ($0["properties"] as? [String: Any])?["location_code"] as? String == "SSD" })
            let coordinates = try #require((refugees["geometry"] as? [String: Any])?["coordinates"] as? [Double])
            let ssd = try #require(CountryPoints.points["SSD"])
            #expect(abs(coordinates[0] - ssd.longitude) < 0.00001 && abs(coordinates[1] - ssd.latitude) < 0.00001)
            let properties = try #require(refugees["properties"] as? [String: Any])
            #expect(
                properties["total"] as? Int == 1_300 && (properties["breakdown"] as? [String: Int]) == ["f_0_4": 100])
            #expect(
                properties["origin_iso3"] as? String == "SDN" && properties["reference_date"] as? String == "2026-11-01"
            )
            let idps = try #require(
                features.first { ($0["properties"] as? [String: Any])?["population_type"] as? String == "IDP" })
            #expect(idps["geometry"] is NSNull && (idps["properties"] as? [String: Any])?["total"] as? Int == 0)
        }
    }
}
