import Domain
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Flow monitoring through the pages")
struct FlowPageTests {
    func signedIn(_ app: Application, _ user: UserRecord) async throws -> Browser {
        try await Browser.signedIn(app, user)
    }

    func point(_ app: Application, _ fixture: Fixture, _ name: String, audience: AudienceLevel) async throws
        -> SiteRecord
    {
        try await SiteStore(app.db).create(
            try SiteDraft(name: name, type: .flowMonitoringPoint, latitude: 21.98, longitude: 31.35, audience: audience)
                .validated(),
            areaPcode: nil, grants: .init(), in: fixture.operation.id,
            actorID: fixture.users[.migrationCoordinator]!.id, now: Date())
    }

    func tally(_ point: SiteRecord, _ overrides: [String: String] = [:]) -> [String: String] {
        var form = [
            "point": point.id.uuidString, "date": DateText.day(Date().addingTimeInterval(-86_400)), "from": "06:00",
            "to": "18:00",
            "direction": "incoming", "total": "42", "bins[f_18_59]": "10", "bins[m_18_59]": "12", "bins[f_0_4]": "5",
            "nationality": "sdn", "origin_country": "SDN", "origin_area": "SD01", "next_destination": "Aswan",
            "final_destination": "Cairo",
            "transport": "bus", "vulnerable[uasc]": "2", "vulnerable[older_people]": "",
            "reasons[]": "conflict_violence",
        ]
        for (key, value) in overrides { form[key] = value }
        return form
    }

    @Test(
        "a coordinator describes the point; an enumerator records a tally on the phone form and is given an empty one for the next",
        arguments: TestDatabases.kinds)
    func record(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let argeen = try await point(app, fixture, "FMP Argeen", audience: .ifrcAndNationalSociety)
            let coordinator = try await signedIn(app, fixture.users[.migrationCoordinator]!)
            #expect(
                try await coordinator.post(
                    "/operations/SDN-TEST/flows/points/\(argeen.id.uuidString)",
                    [
                        "point_type": "border_crossing_point", "movements[]": "incoming",
                        "operating_hours": "06:00–18:00", "transport_modes[]": "bus",
                    ]
                ).status == .seeOther)

            let enumerator = try await signedIn(app, fixture.users[.nationalSocietyFocalPoint]!)
            let form = try await enumerator.get("/operations/SDN-TEST/flows/new?point=\(argeen.id.uuidString)")
            #expect(
                form.status == .ok
                    && form.body.contains("<option value=\"\(argeen.id.uuidString)\" selected>FMP Argeen</option>"))
            // The day offered is one whose 06:00 shift has begun, whatever the hour: never refused as "in the future".
            let offered = try #require(
                form.body.components(separatedBy: "id=\"date\" name=\"date\" type=\"date\" value=\"").last?.prefix(10))
            let shift = try #require(DateText.time("\(offered) 06:00"))
            #expect(shift <= Date() && Date().timeIntervalSince(shift) < 86_400 + 6 * 3600, "offered \(offered)")
            // The point sees only arrivals: the form starts on that direction.
            #expect(form.body.contains("value=\"incoming\" checked"))
            // Nationality and origin are chosen by name; the code is what is sent.
            #expect(form.body.contains("<option value=\"SDN\">Sudan</option>"))
            let saved = try await enumerator.post("/operations/SDN-TEST/flows", tally(argeen))
            let next = try #require(saved.headers.first(name: .location))
            #expect(
                saved.status == .seeOther
                    && next.hasPrefix(
                        "/operations/SDN-TEST/flows/new?point=\(argeen.id.uuidString)&direction=incoming&saved=")
            )
            // The next empty form says what was saved, with links to it and to the analysis, and keeps
            // the point and the direction.
            let confirmation = try await enumerator.get(next)
            #expect(
                confirmation.body.contains("id=\"tally-saved\"")
                    && confirmation.body.contains("Saved: 42 people incoming at FMP Argeen,")
                    && confirmation.body.contains("/operations/SDN-TEST/flows?point=\(argeen.id.uuidString)")
                    && confirmation.body.contains("value=\"incoming\" checked"))
            // The same count entered again is not saved silently: the form asks first.
            let again = try await enumerator.post("/operations/SDN-TEST/flows", tally(argeen))
            #expect(again.status == .conflict && again.body.contains("id=\"duplicate-warning\""))
            #expect(again.body.contains("value=\"42\""))  // what was typed is still there
            // A night shift: 18:00 to 06:00 runs past midnight.
            #expect(
                try await enumerator.post(
                    "/operations/SDN-TEST/flows",
                    tally(
                        argeen,
                        [
                            "from": "18:00", "to": "06:00", "total": "7",
                            "bins[f_18_59]": "", "bins[m_18_59]": "", "bins[f_0_4]": "",
                        ])
                ).status == .seeOther)
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(app, fixture.users[.staff]!)))
            let stored = try await FlowStore(app.db).observations(in: scope, page: Paging(page: 1, perPage: 10)).items
            #expect(stored.count == 2)  // the repeated count was not saved
            let night = try #require(stored.first { $0.draft.total == 7 })
            #expect(
                night.draft.windowEnd.timeIntervalSince(night.draft.windowStart) == 12 * 3600
                    && night.draft.scheme == .notDisaggregated)
            let day = try #require(stored.first { $0.draft.total == 42 })
            #expect(day.draft.scheme == .unhcr && day.draft.bins == ["f_18_59": 10, "m_18_59": 12, "f_0_4": 5])
            #expect(day.draft.nationality == "SDN" && day.draft.vulnerable == [.unaccompaniedOrSeparatedChildren: 2])
            #expect(
                day.draft.reasons == [.conflictViolence] && day.draft.transport == .bus
                    && day.draft.finalDestination == "Cairo")

            // Confirmed as a second count, it is saved.
            #expect(
                try await enumerator.post(
                    "/operations/SDN-TEST/flows", tally(argeen, ["confirm_duplicate": "on"])
                ).status == .seeOther)
            #expect(
                try await FlowStore(app.db).observations(in: scope, page: Paging(page: 1, perPage: 10)).items.count == 3
            )

            let list = try await coordinator.get("/operations/SDN-TEST/flows")
            #expect(list.body.contains("Border crossing point · Incoming · 06:00–18:00"))
            #expect(list.body.contains("<td class=\"score\">42</td>") && list.body.contains("SDN · SD01 → Cairo"))
        }
    }

    @Test(
        "bad tallies are refused with what is wrong, and nothing is stored; partners may not record; tallies are as visible as their point",
        arguments: [TestDatabases.Kind.sqlite])
    func refusals(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let argeen = try await point(app, fixture, "FMP Argeen", audience: .ifrcAndNationalSociety)
            let staff = try await signedIn(app, fixture.users[.staff]!)
            let cases: [([String: String], String)] = [
                (["total": "10"], "The breakdown by sex and age is larger than the number of people."),
                (["total": "abc"], "Give a whole number."),
                (["total": ""], "This field is required"),
                (["vulnerable[uasc]": "50"], "More people in a vulnerable situation than in the group."),
                (["nationality": "ZZZ"], "This is not an ISO 3166 alpha-3 country code."),
                (["date": "2999-01-01"], "This time is in the future."),
                (["point": UUID().uuidString], "Choose the flow-monitoring point."),
                (["direction": "sideways"], "This is not one of the choices."),
            ]
            for (overrides, message) in cases {
                let page = try await staff.post("/operations/SDN-TEST/flows", tally(argeen, overrides))
                #expect(page.status == .unprocessableEntity, "\(overrides)")
                #expect(page.body.contains(message), "\(overrides): \(message)")
            }
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(app, fixture.users[.staff]!)))
            #expect(
                try await FlowStore(app.db).observations(in: scope, page: Paging(page: 1, perPage: 10)).items.isEmpty)

            #expect(try await staff.post("/operations/SDN-TEST/flows", tally(argeen)).status == .seeOther)
            let partner = try await signedIn(app, fixture.users[.partner]!)
            #expect(try await partner.post("/operations/SDN-TEST/flows", tally(argeen)).status == .forbidden)
            // The point is for the Movement's eyes (IFRC & NS): a partner sees neither it nor its tallies.
            let list = try await partner.get("/operations/SDN-TEST/flows")
            #expect(
                list.status == .ok && !list.body.contains("FMP Argeen")
                    && !list.body.contains("<td class=\"score\">42</td>"))
            #expect(
                try await staff.post(
                    "/operations/SDN-TEST/flows/points/\(argeen.id.uuidString)", ["point_type": "port"]
                ).status == .forbidden)
        }
    }

    @Test(
        "the analysis sums tallies per day and direction, averages seven days, compares with the period before, and crosses origin and destination",
        arguments: TestDatabases.kinds)
    func analysis(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let argeen = try await point(app, fixture, "FMP Argeen", audience: .ifrcAndNationalSociety)
            let store = FlowStore(app.db)
            let user = fixture.users[.staff]!
            let scope = try #require(
                AccessPolicy.scope(in: fixture.operation.id, for: try await fixture.viewer(app, user)))
            let today = AnalysisPeriods.calendar.startOfDay(for: Date())
            // Fourteen days of 10 people leaving for Egypt, a day of 5 arriving, and 7 a day in the fortnight before.
            for daysAgo in 1...28 {
                let start = today.addingTimeInterval(Double(-daysAgo) * 86_400 + 8 * 3600)
                let total = daysAgo <= 14 ? 10 : 7
                _ = try await store.record(
                    try FlowObservationDraft(
                        pointID: argeen.id, windowStart: start, windowEnd: start.addingTimeInterval(3600),
                        direction: .outgoing, total: total,
                        scheme: .unhcr, bins: ["f_18_59": 3, "m_18_59": 3], originCountry: "SDN",
                        finalDestination: "EGY",
                        vulnerable: [.olderPeople: 1]
                    ).validated(now: Date()), scope: scope, actorID: user.id, now: Date())
            }
            _ = try await store.record(
                try FlowObservationDraft(
                    pointID: argeen.id, windowStart: today.addingTimeInterval(-86_400 + 9 * 3600),
                    windowEnd: today.addingTimeInterval(-86_400 + 10 * 3600),
                    direction: .incoming, total: 5, nationality: "EGY", finalDestination: "Khartoum"
                ).validated(now: Date()), scope: scope, actorID: user.id, now: Date())
            let browser = try await signedIn(app, user)
            let from = DateText.day(today.addingTimeInterval(-14 * 86_400)),
                to = DateText.day(today.addingTimeInterval(-86_400))
            let page = try await browser.get("/operations/SDN-TEST/flows/analysis?from=\(from)&to=\(to)")
            #expect(page.status == .ok)
            let summary = try #require(
                page.body.components(separatedBy: "<section id=\"summary\">").last?.components(
                    separatedBy: "</section>"
                ).first)
            // 14 × 10 now, 14 × 7 before: +43 %.
            #expect(summary.contains("Outgoing: <strong>140</strong> (before: 98, +43 %)"))
            #expect(summary.contains("Incoming: <strong>5</strong> (before: 0, —)"))
            // The last day: 10 out and 5 in, and the seven-day average of the daily totals (6 × 10 + 15) / 7.
            #expect(
                page.body.contains(
                    "<tr><td dir=\"ltr\" class=\"nowrap\">\(to)</td><td class=\"score\">5</td><td class=\"score\">10</td><td class=\"score\">0</td><td class=\"score\"><strong>15</strong></td><td class=\"score\">10.7</td></tr>"
                ))
            #expect(page.body.contains("<th scope=\"row\">Sudan (SDN)</th><td class=\"score\">140</td>"))
            #expect(
                page.body.contains("<th scope=\"col\">Egypt (EGY)</th><th scope=\"col\">Khartoum</th>"),
                "destinations named like origins")
            #expect(page.body.contains("Older people</td><td class=\"score\">14</td><td class=\"score\">9.7 %</td>"))
            #expect(page.body.contains("id=\"pyramid\"><h2>Sex and age</h2>\n<figure class=\"chart\"><svg"))
            // The flow map: Sudan → the point → Egypt for the 140 leaving, Egypt → the point for the 5 arriving; Khartoum is
            // no area of this operation (it has no boundaries), so it is named under the map instead of guessed.
            let map = try #require(
                page.body.components(separatedBy: "<section id=\"flow-map\">").last?.components(
                    separatedBy: "</section>"
                ).first)
            #expect(
                map.contains(
                    "<g class=\"flow-link flow-arriving\" data-people=\"140\"><title>Sudan → FMP Argeen: 140</title>"))
            #expect(
                map.contains(
                    "<g class=\"flow-link flow-onward\" data-people=\"140\"><title>FMP Argeen → Egypt: 140</title>"))
            #expect(
                map.contains(
                    "<g class=\"flow-link flow-arriving\" data-people=\"5\"><title>Egypt → FMP Argeen: 5</title>"))
            #expect(map.components(separatedBy: "class=\"flow-link ").count - 1 == 3)
            #expect(map.contains("<ul id=\"flow-unplaced\"><li>Khartoum: 5</li></ul>"))
            // The map alone, to download: the same links.
            let svg = try await browser.get("/operations/SDN-TEST/flows/map.svg?from=\(from)&to=\(to)")
            #expect(svg.status == .ok && svg.headers.contentType?.subType == "svg+xml" && svg.body.hasPrefix("<svg"))
            #expect(
                svg.body.components(separatedBy: "class=\"flow-link ").count - 1 == 3
                    && svg.body.contains("data-people=\"140\""))
            #expect(try await browser.get("/operations/SDN-TEST/flows/map.svg?from=soon").status == .badRequest)
            // In Arabic the countries are named in Arabic, on the map and in the origin → destination table.
            _ = try await browser.post("/language", ["lang": "ar", "back": "/"])
            let arabic = try await browser.get("/operations/SDN-TEST/flows/analysis?from=\(from)&to=\(to)")
            #expect(
                arabic.body.contains("<title>FMP Argeen → مصر: 140</title>")
                    && arabic.body.contains("<th scope=\"row\">السودان (SDN)</th>")
                    && arabic.body.contains("<th scope=\"col\">مصر (EGY)</th>"))
            _ = try await browser.post("/language", ["lang": "en", "back": "/"])
            let weekly = try await browser.get("/operations/SDN-TEST/flows/analysis?from=\(from)&to=\(to)&period=week")
            #expect(weekly.status == .ok && weekly.body.contains("Week (from Monday)"))
            // A partner sees the page, but none of the point's tallies.
            let partner = try await signedIn(app, fixture.users[.partner]!)
            let hidden = try await partner.get("/operations/SDN-TEST/flows/analysis?from=\(from)&to=\(to)")
            #expect(hidden.status == .ok && hidden.body.contains("Outgoing: <strong>0</strong>"))
            #expect(!hidden.body.contains("flow-link") && hidden.body.contains("No tally of this period names a place"))
            #expect(
                !(try await partner.get("/operations/SDN-TEST/flows/map.svg?from=\(from)&to=\(to)").body.contains(
                    "flow-link")))
        }
    }

    @Test(
        "the tallies export as CSV, HXL (observed counts, ISO dates, no notes) and GeoJSON, only what the reader may see"
    )
    func export() async throws {
        try await withTestApp(.sqlite) { app in
            let fixture = try await Fixture.make(app)
            let argeen = try await point(app, fixture, "FMP Argeen", audience: .ifrcAndNationalSociety)
            let staff = try await signedIn(app, fixture.users[.staff]!)
            var form = tally(argeen)
            form["notes"] = "=HYPERLINK(\"x\") told us her name"
            #expect(try await staff.post("/operations/SDN-TEST/flows", form).status == .seeOther)
            let csv = try await staff.get("/operations/SDN-TEST/flows/export?format=csv")
            let lines = csv.body.split(separator: "\r\n").map(String.init)
            #expect(
                lines.count == 2
                    && lines[0].hasPrefix(
                        "id,point,point_code,latitude,longitude,window_start,window_end,direction,people,scheme,f_0_4")
            )
            #expect(
                lines[1].contains(
                    ",incoming,42,unhcr,5,,,10,,,,,,12,,,,,SDN,SDN,SD01,,Aswan,Cairo,bus,2,,,,,,conflict_violence"))
            #expect(!csv.body.contains("told us her name"))
            let hxl = try await staff.get("/operations/SDN-TEST/flows/export?format=hxl")
            let tags = hxl.body.split(separator: "\r\n")[1]
            #expect(
                tags.hasPrefix(
                    "#meta+id,#loc+name,#loc+code,#geo+lat,#geo+lon,#date+start,#date+end,#x_direction,#population+ind+x_observed,#meta+x_scheme,#population+ind+x_observed+f+age0_4"
                ))
            #expect(!tags.contains("#affected") && !tags.contains("#date+month"))
            let geojson = try await staff.get("/operations/SDN-TEST/flows/export?format=geojson")
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(geojson.body.utf8)) as? [String: Any])
            let feature = try #require((parsed["features"] as? [[String: Any]])?.first)
            #expect((feature["properties"] as? [String: Any])?["people"] as? Int == 42)
            #expect(((feature["geometry"] as? [String: Any])?["coordinates"] as? [Double]) == [31.35, 21.98])
            let partner = try await signedIn(app, fixture.users[.partner]!)
            #expect(
                try await partner.get("/operations/SDN-TEST/flows/export?format=csv").body.split(separator: "\r\n")
                    .count == 1)
        }
    }

    @Test(
        "an export imported back changes nothing; an edited row updates its tally; bad rows are refused with their reason",
        arguments: TestDatabases.kinds)
    func importBack(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let argeen = try await point(app, fixture, "FMP Argeen", audience: .ifrcAndNationalSociety)
            let staff = try await signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.post("/operations/SDN-TEST/flows", tally(argeen)).status == .seeOther)
            #expect(
                try await staff.post(
                    "/operations/SDN-TEST/flows", tally(argeen, ["direction": "outgoing", "total": "30"])
                ).status == .seeOther)
            let hxl = try await staff.get("/operations/SDN-TEST/flows/export?format=hxl").body
            let again = try await staff.postMultipart(
                "/operations/SDN-TEST/flows/import", ["format": "hxl"],
                file: (filename: "flows.hxl.csv", data: Data(hxl.utf8)))
            #expect(again.status == .ok)
            var page = again
            #expect(
                page.body.contains(
                    "flows.hxl.csv: rows read: 2</li><li>added: 0</li><li>updated: 0</li><li>unchanged: 2</li><li>rejected: 0</li>"
                ), "\(page.body)")

            // The same tallies as CSV, one edited, one broken, one at a point nobody has, and one without an id (new).
            let exported = try await staff.get("/operations/SDN-TEST/flows/export?format=csv").body.split(
                separator: "\r\n"
            ).map(String.init)
            // Rows in a known order: the incoming tally of 42, then the outgoing one of 30.
            var lines = [
                exported[0], try #require(exported.first { $0.contains(",incoming,42,") }),
                try #require(exported.first { $0.contains(",outgoing,30,") }),
            ]
            lines[1] = lines[1].replacingOccurrences(of: ",42,", with: ",45,")
            lines[2] = lines[2].replacingOccurrences(of: ",outgoing,30,", with: ",sideways,30,")
            let header = lines[0].split(separator: ",").map(String.init)
            var unknown = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            unknown[header.firstIndex(of: "id")!] = ""
            unknown[header.firstIndex(of: "point")!] = "FMP Nowhere"
            unknown[header.firstIndex(of: "point_code")!] = ""
            var fresh = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fresh[header.firstIndex(of: "id")!] = ""
            fresh[header.firstIndex(of: "people")!] = "99"
            let csv =
                ([lines[0], lines[1], lines[2], unknown.joined(separator: ","), fresh.joined(separator: ",")]).joined(
                    separator: "\r\n") + "\r\n"
            page = try await staff.postMultipart(
                "/operations/SDN-TEST/flows/import", ["format": "csv"],
                file: (filename: "edited.csv", data: Data(csv.utf8)))
            #expect(
                try await staff.get("/operations/SDN-TEST/flows").body.contains("edited.csv") == false,
                "the report is not kept for later pages")
            #expect(
                page.body.contains(
                    "edited.csv: rows read: 4</li><li>added: 1</li><li>updated: 1</li><li>unchanged: 0</li><li>rejected: 2</li>"
                ), "\(page.body)")
            #expect(page.body.contains("row 3, direction: rejected: “sideways” is not incoming, outgoing or transit."))
            #expect(
                page.body.contains(
                    "row 4, point: rejected: No flow-monitoring point “FMP Nowhere” that you can see in this operation."
                ))
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(app, fixture.users[.staff]!)))
            let totals = try await FlowStore(app.db).observations(in: scope, page: Paging(page: 1, perPage: 10)).items
                .map(\.draft.total).sorted()
            #expect(totals == [30, 45, 99])

            // Someone else's tally is not the National Society focal point's to change from a file: refused, it stays as it was.
            let focal = try await signedIn(app, fixture.users[.nationalSocietyFocalPoint]!)
            let theirs =
                [lines[0], lines[1].replacingOccurrences(of: ",45,", with: ",50,")].joined(separator: "\r\n") + "\r\n"
            let refused = try await focal.postMultipart(
                "/operations/SDN-TEST/flows/import", ["format": "csv"],
                file: (filename: "theirs.csv", data: Data(theirs.utf8)))
            #expect(
                refused.body.contains(
                    "theirs.csv: rows read: 1</li><li>added: 0</li><li>updated: 0</li><li>unchanged: 0</li><li>rejected: 1</li>"
                ), "\(refused.body)")
            #expect(
                refused.body.contains(
                    "row 2, id: rejected: This tally was recorded by someone else; only they, or a coordinator, may change it."
                ))
            #expect(
                try await FlowStore(app.db).observations(in: scope, page: Paging(page: 1, perPage: 10)).items.map(
                    \.draft.total
                ).sorted() == [30, 45, 99])

            // A file of 250 bad rows: the first 100 problems are listed, the rest counted; nothing stored, no session grows.
            let bad = ([lines[0]] + (0..<250).map { _ in lines[2] }).joined(separator: "\r\n") + "\r\n"
            let many = try await staff.postMultipart(
                "/operations/SDN-TEST/flows/import", ["format": "csv"],
                file: (filename: "bad.csv", data: Data(bad.utf8)))
            #expect(many.body.contains("rows read: 250</li>") && many.body.contains("rejected: 250</li>"))
            #expect(many.body.components(separatedBy: "is not incoming, outgoing or transit").count - 1 == 100)
            #expect(many.body.contains("… and 150 more problem(s)"))
            let sessions = try await (app.db as! any SQLDatabase).raw("SELECT data FROM web_sessions").all().map {
                try $0.decode(column: "data", as: String.self)
            }
            #expect(sessions.allSatisfy { !$0.contains("is not incoming") })
        }
    }
}
