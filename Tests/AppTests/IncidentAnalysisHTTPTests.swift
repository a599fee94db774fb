import Domain
import Foundation
import Interop
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Incident analysis, map and exports over HTTP")
struct IncidentAnalysisHTTPTests {
    func day(_ text: String, hour: Int = 10) -> Date {
        try! Date(text + String(format: "T%02d:00:00Z", hour), strategy: .iso8601)
    }

    /// North Darfur (SD02) rises in June; Khartoum (SD01) has one incident a month.
    func seed(_ app: Application, _ fixture: Fixture) async throws {
        let coordinator = fixture.users[.securityCoordinator]!
        var plan: [(String, String, IncidentCategory, Casualties)] = []
        for date in ["2026-06-10", "2026-06-12", "2026-06-15", "2026-06-20", "2026-06-25", "2026-06-28", "2026-03-01"] {
            plan.append((date, "SD02", .violence, Casualties()))
        }
        var harmed = Casualties()
        harmed[.killed, .national, .male] = 1
        harmed[.injured, .international, .female] = 2
        for (i, month) in ["01", "02", "03", "04", "05", "06"].enumerated() {
            plan.append(("2026-\(month)-15", "SD01", .crime, i == 5 ? harmed : Casualties()))
        }
        for (date, area, category, casualties) in plan {
            let draft = try IncidentDraft(
                title: "\(category.rawValue) in \(area) on \(date)", category: category, occurredAt: day(date),
                latitude: area == "SD01" ? 15.5 : 13.6,
                longitude: area == "SD01" ? 32.55 : 25.35, areaPcode: area, casualties: casualties, audience: .ifrcOnly
            ).validated(now: day("2026-07-01"))
            _ = try await IncidentStore(app.db).create(
                draft, reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id,
                now: day("2026-07-01"))
        }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    func token(_ app: Application, _ user: UserRecord) async throws -> HTTPHeaders {
        [
            "Authorization":
                "Bearer \(try await TokenStore(app.db).create(userID: user.id, name: "test", expiresAt: Date() + 86_400, now: Date()).secret)"
        ]
    }

    @Test(
        "the API's analysis: months, change against the period before, casualties, and the early warning",
        arguments: TestDatabases.kinds)
    func analysis(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            try await seed(app, fixture)
            let browser = Browser(app)
            let auth = try await token(app, fixture.users[.staff]!)
            let response = try await browser.get(
                "/api/v1/operations/SDN-TEST/incidents/analysis?from=2026-04-01&to=2026-06-30&period=month",
                headers: auth)
            #expect(response.status == .ok)
            let report = try Self.decoder.decode(IncidentAnalysisService.Report.self, from: Data(response.body.utf8))
            #expect(report.buckets == ["2026-04", "2026-05", "2026-06"])
            #expect(report.series.map(\.count) == [1, 1, 7] && report.origins == ["own"])
            #expect(report.total == 9 && report.previousTotal == 4 && report.changePercent == 125)
            #expect(report.categories.first { $0.category == "violence" }.map { "\($0.count)/\($0.previous)" } == "6/1")
            #expect(report.areas.map { "\($0.pcode ?? "-")=\($0.total)" } == ["SD02=6", "SD01=3"])
            let killed = try #require(report.casualties.first { $0.harm == "killed" })
            let injured = try #require(report.casualties.first { $0.harm == "injured" })
            #expect(killed.national == 1 && killed.male == 1 && injured.international == 2 && injured.female == 2)
            // The last 28 days up to 30 June against the 182 before: SD02 rose, SD01 did not.
            let warning = report.earlyWarning
            #expect(warning.windowEnd == "2026-06-30" && warning.recentDays == 28 && warning.baselineDays == 182)
            #expect(
                warning.areas.map { "\($0.pcode):\($0.recent)/\($0.baseline):\($0.flagged)" } == [
                    "SD02:6/1:true", "SD01:1/5:false",
                ])
            // A short period counts by week, weeks starting on Monday.
            let weekly = try Self.decoder.decode(
                IncidentAnalysisService.Report.self,
                from: Data(
                    try await browser.get(
                        "/api/v1/operations/SDN-TEST/incidents/analysis?from=2026-06-01&to=2026-06-30&category=violence",
                        headers: auth
                    ).body.utf8))
            #expect(weekly.query.period == "week" && weekly.buckets.first == "2026-06-01" && weekly.total == 6)
            #expect(weekly.series.map(\.count) == [0, 2, 2, 2, 0], "Wed 10 + Fri 12, Mon 15 + Sat 20, Thu 25 + Sun 28")
            // Bad choices are named, field by field.
            let bad = try await browser.get(
                "/api/v1/operations/SDN-TEST/incidents/analysis?from=2026-13-01&category=riot&level=9", headers: auth)
            #expect(bad.status == .badRequest)
            #expect(
                bad.body.contains("from: “2026-13-01” is not a date (YYYY-MM-DD).")
                    && bad.body.contains("category: “riot” is not a known value."))
            #expect(bad.body.contains("\"field\":\"level\""))
            // An empty value is not given (the filter form sends its empty fields), as the API document says; a value
            // of spaces is given, and is not a number (schemathesis sent `round=`, then the document did not allow it).
            let empty = try await browser.get(
                "/api/v1/operations/SDN-TEST/incidents/export?format=csv&round=&level=", headers: auth)
            #expect(empty.status == .ok)
            for query in ["round=%20", "round=%203", "level=%20", "area=%20", "from=%202026-01-01"] {
                let spaced = try await browser.get(
                    "/api/v1/operations/SDN-TEST/incidents/analysis?\(query)", headers: auth)
                #expect(spaced.status == .badRequest, "\(query)")
            }
        }
    }

    @Test(
        "the page shows the same figures and names its statistic; exports follow the filter and round coordinates",
        arguments: [TestDatabases.Kind.sqlite])
    func pageAndExports(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            try await seed(app, fixture)
            let browser = Browser(app)
            _ = try await browser.signIn(fixture.users[.headOfOperations]!.email, Fixture.password)
            let page = try await browser.get(
                "/operations/SDN-TEST/incidents/analysis?from=2026-04-01&to=2026-06-30&period=month")
            #expect(page.status == .ok)
            #expect(
                page.body.contains(
                    "9 incidents in this period; 4 in the period of the same length before (\u{2066}+125 %\u{2069})."))
            #expect(
                page.body.contains("Statistic: one-sided Poisson test.")
                    && page.body.contains("the 28 days up to 2026-06-30"))
            #expect(page.body.contains("<tr class=\"flagged\"><th scope=\"row\">SD02"))
            #expect(page.body.contains("<svg") && page.body.contains("role=\"img\""))
            let wrong = try await browser.get("/operations/SDN-TEST/incidents/analysis?to=soon")
            #expect(wrong.status == .ok && wrong.body.contains("to: “soon” is not a date (YYYY-MM-DD)."))

            let csv = try await browser.get(
                "/operations/SDN-TEST/incidents/export?format=csv&category=violence&round=1&from=2026-01-01&to=2026-06-30"
            )
            #expect(csv.headers.first(name: .contentDisposition)?.contains("SDN-TEST-incidents-") == true)
            let lines = csv.body.split(separator: "\r\n")
            #expect(lines.count == 1 + 7 && lines.dropFirst().allSatisfy { $0.contains(",13.6,25.4,") })
            let hxl = try await browser.get(
                "/operations/SDN-TEST/incidents/export?format=hxl&from=2026-01-01&to=2026-06-30")
            var events: [ContextEvent] = []
            _ = try await HXLIncidentReader.read(string: hxl.body, source: .init(rawValue: "back")) {
                events.append($0)
            }
            #expect(events.count == 13 && events.reduce(0) { $0 + $1.casualties.total() } == 3)
            #expect(try await browser.get("/operations/SDN-TEST/incidents/export?format=xlsx").status == .badRequest)

            let map = try await browser.get("/operations/SDN-TEST/incidents/map?from=2026-01-01&to=2026-06-30")
            #expect(map.body.contains("13 incidents, each shown where it happened."))
            let areasOnly = try await browser.get(
                "/operations/SDN-TEST/incidents/map?from=2026-01-01&to=2026-06-30&show=areas")
            #expect(!areasOnly.body.contains("data-site-id=") && areasOnly.status == .ok)
            #expect(!map.body.contains("have no coordinates"))
            // One without coordinates: counted in its area, said apart from the points, in both views.
            let coordinator = fixture.users[.securityCoordinator]!
            _ = try await IncidentStore(app.db).create(
                try IncidentDraft(
                    title: "No coordinates", category: .crime, occurredAt: day("2026-03-01"), areaPcode: "SD01",
                    audience: .ifrcOnly
                ).validated(now: day("2026-07-01")),
                reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id, now: Date())
            for path in ["", "&show=areas"] {
                let withUnlocated = try await browser.get(
                    "/operations/SDN-TEST/incidents/map?from=2026-01-01&to=2026-06-30" + path)
                #expect(
                    withUnlocated.body.contains("1 incidents have no coordinates and are counted only in the areas."),
                    "map\(path)")
            }
            #expect(
                try await browser.get("/operations/SDN-TEST/incidents/map?from=2026-01-01&to=2026-06-30").body
                    .contains("13 incidents, each shown where it happened."))
        }
    }

    @Test(
        "published incidents are uploaded by the security coordinator, reconciled on re-upload, refused whole when unreadable",
        .enabled(if: SharedData.isAvailable, "../shared/data not found"), arguments: [TestDatabases.Kind.sqlite])
    func uploadSources(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let security = Browser(app)
            _ = try await security.signIn(fixture.users[.securityCoordinator]!.email, Fixture.password)
            #expect(
                try await security.get("/operations/SDN-TEST/incidents/sources").body.contains("id=\"context-upload\""))
            let afghanistan = try SharedData.data("awsd/awsd_2025-08_afghanistan.csv")
            // The operation is Sudan's: Afghan events are left out unless every country is kept.
            let sudanOnly = try await security.upload(
                "/operations/SDN-TEST/incidents/sources", file: afghanistan, filename: "awsd.csv",
                fields: ["format": "awsd"])
            #expect(
                sudanOnly.status == .ok && sudanOnly.body.contains("added: 0")
                    && sudanOnly.body.contains("(left out): 617"))
            let first = try await security.upload(
                "/operations/SDN-TEST/incidents/sources", file: afghanistan, filename: "awsd.csv",
                fields: ["format": "awsd", "all_countries": "on"])
            #expect(
                first.body.contains("awsd.csv: AWSD export") && first.body.contains("added: 617")
                    && first.body.contains("rejected: 0"))
            let again = try await security.upload(
                "/operations/SDN-TEST/incidents/sources", file: afghanistan, filename: "awsd.csv",
                fields: ["format": "awsd", "all_countries": "on"])
            #expect(again.body.contains("added: 0") && again.body.contains("unchanged: 617"))
            #expect(again.body.contains("<td class=\"num\">617</td>"))
            let wrong = try await security.upload(
                "/operations/SDN-TEST/incidents/sources", file: Data("a,b\n1,2\n".utf8), filename: "x.csv",
                fields: ["format": "acled"])
            #expect(
                wrong.status == .unprocessableEntity && wrong.body.contains("x.csv: This is not an ACLED export")
                    && wrong.body.contains("Nothing was imported."))
            let noFormat = try await security.upload(
                "/operations/SDN-TEST/incidents/sources", file: afghanistan, filename: "awsd.csv",
                fields: ["format": "pdf"])
            #expect(noFormat.status == .unprocessableEntity)
            // Other roles see what is imported but may not import.
            let staff = Browser(app)
            _ = try await staff.signIn(fixture.users[.staff]!.email, Fixture.password)
            let page = try await staff.get("/operations/SDN-TEST/incidents/sources")
            #expect(page.status == .ok && !page.body.contains("id=\"context-upload\"") && page.body.contains("617"))
            #expect(
                try await staff.upload(
                    "/operations/SDN-TEST/incidents/sources", file: afghanistan, filename: "awsd.csv",
                    fields: ["format": "awsd"]
                ).status == .forbidden)
            // The analysis can now count them, with or without own incidents.
            let analysis = try await staff.get("/operations/SDN-TEST/incidents/analysis?from=1997-01-01&source=awsd")
            #expect(analysis.body.contains(">617 incidents in this period;"))
        }
    }

    @Test(
        "published and own incidents recorded before the boundaries are placed in areas when the boundaries arrive; a re-import then changes nothing",
        .enabled(if: SharedData.isAvailable, "../shared/data not found"), arguments: TestDatabases.kinds)
    func boundariesAfterEvents(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let awsd = SharedData.url("awsd/awsd_2025-08_hxl.csv")
            let service = ContextImportService(database: app.db, areaShapes: app.areaShapes)
            let first = try await service.importFile(
                awsd, format: .awsd, into: fixture.operation, actorID: nil, now: Date())
            #expect(first.stored.added == 414)
            func placed() async throws -> Int {
                try await (app.db as! any SQLDatabase).raw(
                    "SELECT COUNT(*) AS n FROM context_events WHERE area_pcode IS NOT NULL"
                )
                .first()?.decode(column: "n", as: Int.self) ?? -1
            }
            #expect(try await placed() == 0, "no boundaries yet")
            // Own incidents reported before the boundaries, all at the same point in Khartoum (SD01).
            let coordinator = fixture.users[.securityCoordinator]!
            let store = IncidentStore(app.db)
            func report(_ title: String, area: String?, precision: GeoPrecision, audience: AudienceLevel = .ifrcOnly)
                async throws -> IncidentID
            {
                let draft = try IncidentDraft(
                    title: title, category: .crime, occurredAt: Date().addingTimeInterval(-600), latitude: 15.5007,
                    longitude: 32.5599, areaPcode: area, geoPrecision: precision, audience: audience
                ).validated(now: Date())
                return try await store.create(
                    draft, reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id, now: Date()
                ).id
            }
            let unplaced = try await report("no area, exact point", area: nil, precision: .exact)
            let approximate = try await report("no area, approximate point", area: nil, precision: .province)
            let elsewhere = try await report("an area that does not contain the point", area: "SD15", precision: .exact)
            let shared = try await report(
                "no area, exact point, public", area: nil, precision: .exact, audience: .public)
            // The import's report counts only the incidents its reader may see: a count discloses too.
            func scope(_ role: Role) async throws -> Scope {
                try #require(
                    AccessPolicy.scope(
                        in: fixture.operation.id, for: try await fixture.viewer(app, fixture.users[role]!)))
            }
            let viewers = [
                "sdn_admin0.geojson": try await scope(.securityCoordinator),
                "sdn_admin1.geojson": try await scope(.partner),
            ]
            func area(_ id: IncidentID) async throws -> String? {
                try await (app.db as! any SQLDatabase).raw("SELECT area_pcode FROM incidents WHERE id = \(bind: id)")
                    .first()?.decode(column: "area_pcode", as: String?.self)
            }
            let boundaries = BoundaryImportService(database: app.db)
            for file in ["sdn_admin0.geojson", "sdn_admin1.geojson"] {
                let operation = try #require(try await OperationStore(app.db).find(code: fixture.operation.code))
                let outcome = try await boundaries.importFile(
                    try SharedData.data("boundaries/sdn/\(file)"), level: nil, into: operation, actorID: nil,
                    viewer: viewers[file], maxBytes: 50 << 20, now: Date())
                #expect(outcome.imported)
                if file == "sdn_admin1.geojson" {
                    #expect(outcome.eventsRelocated > 300, "events move from admin 0 down to their state")
                }
                if file == "sdn_admin0.geojson" {
                    #expect(outcome.incidentsPlaced == 3, "the three incidents without an area get the country")
                    #expect(try await area(unplaced) == "SD")
                    #expect(try await area(approximate) == "SD")
                    #expect(try await area(shared) == "SD")
                } else {
                    #expect(
                        outcome.incidentsPlaced == 1,
                        "the two exact points move down to their state; the partner may see one")
                    #expect(try await area(unplaced) == "SD01")
                    #expect(try await area(shared) == "SD01")
                    #expect(
                        try await area(approximate) == "SD",
                        "an approximate point is not placed more precisely than it is")
                }
                #expect(try await area(elsewhere) == "SD15", "an area someone gave is kept")
            }
            // Each move is in the incident's history.
            let history = try await (app.db as! any SQLDatabase).raw(
                "SELECT changes FROM audit_log WHERE record_kind = 'incident' AND record_id = \(bind: unplaced.uuidString) ORDER BY sequence"
            )
            .all().map { try $0.decode(column: "changes", as: String.self) }
            #expect(history.filter { $0.contains("area_pcode") && $0.contains("SD01") }.count == 1, "\(history)")
            #expect(history.count == 3, "reported, placed in the country, placed in the state")
            // Published events moved by the new boundaries: one audited change per import, with how many.
            let placements = try await (app.db as! any SQLDatabase).raw(
                "SELECT changes FROM audit_log WHERE record_kind = 'context_import' AND record_id = 'placement' ORDER BY sequence"
            )
            .all().map { try $0.decode(column: "changes", as: String.self) }
            #expect(
                placements.count == 2 && placements.allSatisfy { $0.contains("events_placed_in_new_areas") },
                "\(placements)")
            let located =
                try await (app.db as! any SQLDatabase).raw(
                    "SELECT COUNT(*) AS n FROM context_events WHERE latitude IS NOT NULL"
                )
                .first()?.decode(column: "n", as: Int.self) ?? 0
            let inSudan = try await placed()
            // Events before South Sudan's independence lie outside today's Sudan, and a few have no coordinates.
            #expect(inSudan > 300 && inSudan <= located)
            let khartoum =
                try await (app.db as! any SQLDatabase).raw(
                    "SELECT COUNT(*) AS n FROM context_events WHERE area_pcode = 'SD01'"
                )
                .first()?.decode(column: "n", as: Int.self) ?? 0
            #expect(khartoum > 0)
            let operation = try #require(try await OperationStore(app.db).find(code: fixture.operation.code))
            let again = try await service.importFile(awsd, format: .awsd, into: operation, actorID: nil, now: Date())
            #expect(
                again.stored.unchanged == 414 && again.stored.updated == 0,
                "the area is not part of what the source said")
        }
    }
}
