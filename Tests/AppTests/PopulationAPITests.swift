import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Flows and displacement figures through the JSON API")
struct PopulationAPITests {
    func check(_ spec: OpenAPIValidator, _ page: Browser.Page, _ method: String, _ path: String) throws {
        let schema = try spec.responseSchema(method: method, path: path, status: String(page.status.code))
        let json = try JSONSerialization.jsonObject(with: Data(page.body.utf8), options: .fragmentsAllowed)
        let problems = spec.problems(json, against: schema)
        #expect(problems.isEmpty, "\(method.uppercased()) \(path) \(page.status.code): \(problems.map(\.description))")
    }

    func token(_ app: Application, _ user: UserRecord) async throws -> HTTPHeaders {
        [
            "Authorization":
                "Bearer \(try await TokenStore(app.db).create(userID: user.id, name: "t", expiresAt: Date() + 86_400, now: Date()).secret)"
        ]
    }

    @Test(
        "tallies are recorded, listed and analysed as documented; bad ones are refused by field; partners neither see nor record",
        arguments: TestDatabases.kinds)
    func flows(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let point = try await SiteStore(app.db).create(
                try SiteDraft(
                    name: "FMP Argeen", type: .flowMonitoringPoint, latitude: 21.98, longitude: 31.35,
                    audience: .ifrcOnly
                ).validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id,
                actorID: fixture.users[.migrationCoordinator]!.id, now: Date())
            let browser = Browser(app)
            let spec = try OpenAPIValidator(data: Data(try await browser.get("/api/v1/openapi.json").body.utf8))
            let staff = try await token(app, fixture.users[.staff]!)
            let today = AnalysisPeriods.calendar.startOfDay(for: Date())
            let day = DateText.day(today.addingTimeInterval(-86_400))
            let recorded = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/flows", headers: staff,
                [
                    "point_id": .init(stringLiteral: point.id.uuidString),
                    "window_start": .init(stringLiteral: "\(day)T06:00:00Z"),
                    "window_end": .init(stringLiteral: "\(day)T18:00:00Z"), "direction": "outgoing", "total": 40,
                    "bins": ["f_18_59": 10, "m_18_59": 12, "f_0_4": 5], "origin_country": "SDN",
                    "final_destination": "EGY",
                    "vulnerable": ["uasc": 2, "older_people": 3], "reasons": ["conflict_violence"], "transport": "bus",
                ])
            #expect(recorded.status == .created, "\(recorded.body)")
            try check(spec, recorded, "post", "/operations/{code}/flows")
            #expect(
                recorded.body.contains(#""f_18_59":10"#) && recorded.body.contains(#""older_people":3"#)
                    && recorded.body.contains(#""scheme":"unhcr""#))
            // Every problem at once, by field; nothing stored.
            let bad = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/flows", headers: staff,
                [
                    "point_id": .init(stringLiteral: point.id.uuidString), "window_start": "yesterday",
                    "window_end": .init(stringLiteral: "\(day)T18:00:00Z"),
                    "direction": "sideways", "total": 5, "bins": ["x_1": 3], "reasons": ["boredom"],
                ])
            #expect(bad.status == .unprocessableEntity)
            try check(spec, bad, "post", "/operations/{code}/flows")
            for field in ["window_start", "direction", "bins", "reasons"] {
                #expect(bad.body.contains(#""field":"\#(field)""#), "\(field): \(bad.body)")
            }
            let tooMany = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/flows", headers: staff,
                [
                    "point_id": .init(stringLiteral: point.id.uuidString),
                    "window_start": .init(stringLiteral: "\(day)T06:00:00Z"),
                    "window_end": .init(stringLiteral: "\(day)T07:00:00Z"), "direction": "incoming", "total": 5,
                    "bins": ["f": 4, "m": 4],
                ])
            #expect(
                tooMany.status == .unprocessableEntity
                    && tooMany.body.contains("is larger than the number of people (5)"))
            let list = try await browser.get("/api/v1/operations/SDN-TEST/flows", headers: staff)
            try check(spec, list, "get", "/operations/{code}/flows")
            #expect(list.body.contains(#""total":1"#))
            let points = try await browser.get("/api/v1/operations/SDN-TEST/flows/points", headers: staff)
            try check(spec, points, "get", "/operations/{code}/flows/points")
            #expect(points.body.contains("FMP Argeen"))
            let analysis = try await browser.get(
                "/api/v1/operations/SDN-TEST/flows/analysis?from=\(day)&to=\(day)", headers: staff)
            #expect(analysis.status == .ok)
            try check(spec, analysis, "get", "/operations/{code}/flows/analysis")
            #expect(analysis.body.contains(#"{"change_percent":"#) == false, "the first period has no change to show")
            #expect(analysis.body.contains(#""direction":"outgoing","people":40,"previous":0"#))
            #expect(analysis.body.contains(#""kind":"onward","people":40"#) && analysis.body.contains(#""id":"c:EGY""#))
            #expect(analysis.body.contains(#""sex_age":{"f_0_4":5,"f_18_59":10,"m_18_59":12}"#))
            let badQuery = try await browser.get(
                "/api/v1/operations/SDN-TEST/flows/analysis?from=soon&period=fortnight", headers: staff)
            #expect(
                badQuery.status == .badRequest && badQuery.body.contains(#""field":"from""#)
                    && badQuery.body.contains(#""field":"period""#))
            try check(spec, badQuery, "get", "/operations/{code}/flows/analysis")
            // A partner may not record, and the IFRC-only point's tallies are not theirs to see.
            let partner = try await token(app, fixture.users[.partner]!)
            let refused = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/flows", headers: partner,
                [
                    "point_id": .init(stringLiteral: point.id.uuidString),
                    "window_start": .init(stringLiteral: "\(day)T06:00:00Z"),
                    "window_end": .init(stringLiteral: "\(day)T07:00:00Z"), "direction": "incoming", "total": 5,
                ])
            #expect(refused.status == .forbidden)
            try check(spec, refused, "post", "/operations/{code}/flows")
            #expect(
                try await browser.get("/api/v1/operations/SDN-TEST/flows", headers: partner).body.contains(
                    #""total":0"#))
            let partnerAnalysis = try await browser.get(
                "/api/v1/operations/SDN-TEST/flows/analysis?from=\(day)&to=\(day)", headers: partner)
            #expect(partnerAnalysis.body.contains(#""links":[]"#) && !partnerAnalysis.body.contains("FMP Argeen"))
            let outsider = try await browser.get(
                "/api/v1/operations/SDN-TEST/flows", headers: try await token(app, fixture.outsider))
            #expect(outsider.status == .notFound)
            try check(spec, outsider, "get", "/operations/{code}/flows")
        }
    }

    @Test(
        "a figure entered by hand is added, then unchanged, then corrected; bad ones are refused by field; stats sum it",
        arguments: TestDatabases.kinds)
    func figures(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            let spec = try OpenAPIValidator(data: Data(try await browser.get("/api/v1/openapi.json").body.utf8))
            let coordinator = try await token(app, fixture.users[.migrationCoordinator]!)
            let body: [String: AnyCodable] = [
                "population_type": "IDP", "location": "Gedaref town", "reference_date": "2026-11-01", "total": 1_200,
                "source": "government", "round": 3, "breakdown": ["f_0_4": 100, "m_0_4": 90],
            ]
            let added = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/population/figures", headers: coordinator, body)
            #expect(added.status == .created, "\(added.body)")
            try check(spec, added, "post", "/operations/{code}/population/figures")
            #expect(
                added.body.contains(#""outcome":"added""#) && added.body.contains(#""kind":"place""#)
                    && added.body.contains(#""label":"f_0_4""#))
            let again = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/population/figures", headers: coordinator, body)
            #expect(again.status == .ok && again.body.contains(#""outcome":"unchanged""#))
            var corrected = body
            corrected["total"] = 1_250
            let updated = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/population/figures", headers: coordinator, corrected)
            #expect(
                updated.status == .ok && updated.body.contains(#""outcome":"updated""#)
                    && updated.body.contains(#""total":1250"#))
            // A zero entered by hand is kept: it says nobody is there any more.
            let zero = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/population/figures", headers: coordinator,
                ["population_type": "REF", "location": "SSD", "reference_date": "2026-11-01", "total": 0])
            #expect(
                zero.status == .created && zero.body.contains(#""kind":"country""#)
                    && zero.body.contains(#""code":"SSD""#))
            let bad = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/population/figures", headers: coordinator,
                [
                    "population_type": "XYZ", "location": "", "reference_date": "2099-01-01", "total": 10,
                    "origin_iso3": "QQQ", "breakdown": ["f_0_4": 11],
                ])
            #expect(bad.status == .unprocessableEntity)
            try check(spec, bad, "post", "/operations/{code}/population/figures")
            #expect(bad.body.contains(#""field":"population_type""#))
            let bad2 = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/population/figures", headers: coordinator,
                [
                    "population_type": "IDP", "location": "", "reference_date": "2099-01-01", "total": 10,
                    "origin_iso3": "QQQ", "breakdown": ["f_0_4": 11],
                ])
            #expect(bad2.status == .unprocessableEntity)
            for field in ["location", "reference_date", "origin_iso3", "breakdown"] {
                #expect(bad2.body.contains(#""field":"\#(field)""#), "\(field): \(bad2.body)")
            }
            let staff = try await browser.json(
                .POST, "/api/v1/operations/SDN-TEST/population/figures",
                headers: try await token(app, fixture.users[.staff]!), body)
            #expect(staff.status == .forbidden)
            // Listed, filtered and summed; members see figures, outsiders do not.
            let list = try await browser.get(
                "/api/v1/operations/SDN-TEST/population/figures?type=IDP", headers: coordinator)
            try check(spec, list, "get", "/operations/{code}/population/figures")
            #expect(list.body.contains(#""total":1250"#) && !list.body.contains(#""population_type":"REF""#))
            let stats = try await browser.get(
                "/api/v1/operations/SDN-TEST/population/stats?by=year&population_type=IDP,REF", headers: coordinator)
            try check(spec, stats, "get", "/operations/{code}/population/stats")
            #expect(stats.body.contains(#""rows":[{"totals":{"IDP":1250,"REF":0},"year":2026}]"#), "\(stats.body)")
            let stock = try await browser.get(
                "/api/v1/operations/SDN-TEST/population/stock?type=IDP,REF", headers: coordinator)
            try check(spec, stock, "get", "/operations/{code}/population/stock")
            #expect(
                stock.body.contains(#"{"population_type":"IDP","sources":["government"],"total":1250,"year":2026}"#),
                "\(stock.body)")
            #expect(stock.body.contains(#""rates":[]"#), "no whole-population figure, no rate")
            let badStats = try await browser.get(
                "/api/v1/operations/SDN-TEST/population/stats?by=decade", headers: coordinator)
            #expect(badStats.status == .badRequest)
            try check(spec, badStats, "get", "/operations/{code}/population/stats")
            let partner = try await browser.get(
                "/api/v1/operations/SDN-TEST/population/figures",
                headers: try await token(app, fixture.users[.partner]!))
            #expect(partner.status == .ok && partner.body.contains("Gedaref town"))
            let outsider = try await browser.get(
                "/api/v1/operations/SDN-TEST/population/figures", headers: try await token(app, fixture.outsider))
            #expect(outsider.status == .notFound)
            try check(spec, outsider, "get", "/operations/{code}/population/figures")
        }
    }
}
