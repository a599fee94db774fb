@testable import App
import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@Suite("Displacement figures through the pages", .enabled(if: SharedData.isAvailable, "needs ../shared/data"))
struct PopulationPageTests {
    @Test("the migration coordinator uploads figures; the page shows the stock over time with its sources, rates per 100,000, and exports them",
          arguments: TestDatabases.kinds)
    func page(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            let adm1 = try Data(contentsOf: SharedData.url("population/caf_admpop_adm1_2015_v2.csv"))
            let uploaded = try await coordinator.postMultipart("/operations/SDN-TEST/population", ["format": "cod-ps"],
                                                               file: (filename: "caf_admpop_adm1_2015_v2.csv", data: adm1))
            #expect(uploaded.status == .ok && uploaded.body.contains("rows read: 17") && uploaded.body.contains("figures added: 17"))
            // IDPs in two provinces the same year, from a partner's HXL sheet.
            let hxl = """
                #adm1+name,#adm1+code,#date+reported,#affected+idps+ind,#meta+source
                Ouaka,CF43,2015-12-31,"34,787",Government
                Bangui,CF71,2015-12-31,83908,Government
                """
            let second = try await coordinator.postMultipart("/operations/SDN-TEST/population", ["format": "hxl"],
                                                             file: (filename: "idps_2015.csv", data: Data(hxl.utf8)))
            #expect(second.body.contains("figures added: 2"), "\(second.body)")
            let page = try await coordinator.get("/operations/SDN-TEST/population?type=IDP&type=POP")
            #expect(page.status == .ok)
            #expect(page.body.contains("<tr><td dir=\"ltr\">2015</td><td class=\"score\">118\u{202F}695</td><td class=\"score\">4\u{202F}953\u{202F}014</td><td><small>Government"))
            // Rates: 34,787 IDPs in Ouaka's 347,873 inhabitants is 10,000 per 100,000.
            #expect(page.body.contains("<td>Ouaka (CF43)</td><td>Internally displaced people</td><td dir=\"ltr\">2015</td><td class=\"score\">34\u{202F}787</td><td class=\"score\">347\u{202F}873</td><td class=\"score\"><strong>10000</strong></td>"))
            let csv = try await coordinator.get("/operations/SDN-TEST/population/export?type=IDP&format=hxl")
            let lines = csv.body.split(separator: "\r\n").map(String.init)
            #expect(lines[1].hasPrefix("#meta+id,#meta+source,#meta+x_method,#population_group+code,#loc+type,#loc+code,#loc+name,#loc+name+i_ar"))
            #expect(!lines[1].contains("#date+year") && lines.count == 4)
            #expect(lines.contains { $0.hasPrefix("idps_2015,government,,IDP,admin_area,CF71,Bangui,,,,2015,2015-12-31,,2015-12-31,83908,") })

            // Who may do what: every member reads; only the migration coordinator and the HeOps import.
            let partner = try await Browser.signedIn(app, fixture.users[.partner]!)
            #expect(try await partner.get("/operations/SDN-TEST/population").status == .ok)
            #expect(try await partner.postMultipart("/operations/SDN-TEST/population", ["format": "cod-ps"],
                                                    file: (filename: "x.csv", data: adm1)).status == .forbidden)
            let outsider = try await Browser.signedIn(app, fixture.outsider)
            #expect(try await outsider.get("/operations/SDN-TEST/population").status == .notFound)
            let wrong = try await coordinator.postMultipart("/operations/SDN-TEST/population", ["format": "unhcr-population"],
                                                            file: (filename: "x.csv", data: adm1))
            #expect(wrong.status == .unprocessableEntity && wrong.body.contains("lacks the columns"))
        }
    }
}
