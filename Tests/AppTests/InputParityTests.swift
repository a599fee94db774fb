import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// The one decoder per kind of input (issue 14): the same tally or figure through the web form and
/// through the API is stored alike, and the same bad one is refused on the same fields.
@Suite("The same tally or figure through the form and the API")
struct InputParityTests {
    func token(_ app: Application, _ user: UserRecord) async throws -> HTTPHeaders {
        let secret = try await TokenStore(app.db).create(
            userID: user.id, name: "t", expiresAt: Date() + 86_400, now: Date()
        ).secret
        return ["Authorization": "Bearer \(secret)"]
    }

    /// The fields an API refusal names.
    static func fields(ofAPI page: Browser.Page) throws -> Set<String> {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
        let details = (root["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []
        return Set(details.compactMap { $0["field"] as? String })
    }

    /// A form as its body is posted (`bins[f_0_4]=5&reasons[]=…`).
    static func encoded(_ form: [String: String]) -> String {
        form.map { key, value in "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
    }

    @Test("a tally on the phone form and the same in JSON are stored alike; a bad one is refused on the same fields")
    func tally() async throws {
        try await withTestApp(.sqlite) { app in
            let fixture = try await Fixture.make(app)
            let staff = try #require(fixture.users[.staff])
            let coordinator = try #require(fixture.users[.migrationCoordinator])
            let site = try SiteDraft(
                name: "FMP Argeen", type: .flowMonitoringPoint, latitude: 21.98, longitude: 31.35,
                audience: .ifrcOnly
            ).validated()
            let point = try await SiteStore(app.db).create(
                site, areaPcode: nil, grants: .init(),
                in: fixture.operation.id, actorID: coordinator.id, now: Date())
            let day = DateText.day(Date().addingTimeInterval(-86_400))
            let form = [
                "point": point.id.uuidString, "date": day, "from": "06:00", "to": "18:00", "direction": "outgoing",
                "total": "40", "bins[f_18_59]": "10", "bins[m_18_59]": "12", "bins[f_0_4]": "5", "bins[m_0_4]": "",
                "nationality": "sdn", "origin_country": "SDN", "origin_area": "SD01", "last_transit": "Wadi Halfa",
                "next_destination": "Aswan", "final_destination": "EGY", "transport": "bus", "vulnerable[uasc]": "2",
                "vulnerable[older_people]": "3", "reasons[]": "conflict_violence", "notes": "Crossed at night",
            ]
            let json: [String: AnyCodable] = [
                "point_id": .init(stringLiteral: point.id.uuidString),
                "window_start": .init(stringLiteral: "\(day)T06:00:00Z"),
                "window_end": .init(stringLiteral: "\(day)T18:00:00Z"), "direction": "outgoing", "total": 40,
                "bins": ["f_18_59": 10, "m_18_59": 12, "f_0_4": 5], "nationality": "SDN", "origin_country": "SDN",
                "origin_area": "SD01", "last_transit": "Wadi Halfa", "next_destination": "Aswan",
                "final_destination": "EGY", "transport": "bus", "vulnerable": ["uasc": 2, "older_people": 3],
                "reasons": ["conflict_violence"], "notes": "Crossed at night",
            ]
            let browser = try await Browser.signedIn(app, staff)
            let api = Browser(app)
            let headers = try await token(app, staff)
            let page = "/operations/SDN-TEST/flows", endpoint = "/api/v1/operations/SDN-TEST/flows"
            #expect(try await browser.post(page, form).status == .seeOther)
            let recorded = try await api.json(.POST, endpoint, headers: headers, json)
            #expect(recorded.status == .created, "\(recorded.body)")
            let viewer = try await fixture.viewer(app, staff)
            let scope = try #require(AccessPolicy.scope(in: fixture.operation.id, for: viewer))
            func stored() async throws -> [FlowObservationRecord] {
                try await FlowStore(app.db).observations(in: scope, page: Paging(page: 1, perPage: 10)).items
            }
            let both = try await stored()
            #expect(both.count == 2)
            #expect(both.first?.draft == both.last?.draft, "the same draft both ways")
            #expect(both.first?.draft.scheme == .unhcr && both.first?.draft.vulnerable[.olderPeople] == 3)

            // The same mistakes both ways: the same fields refused, nothing stored.
            var badForm = form
            badForm["direction"] = "sideways"
            badForm["bins[x_1]"] = "3"
            badForm["reasons[]"] = "boredom"
            badForm["transport"] = "camel"
            badForm["vulnerable[uasc]"] = "50"
            badForm["nationality"] = "ZZZ"
            var badJSON = json
            badJSON["direction"] = "sideways"
            badJSON["bins"] = ["f_18_59": 10, "m_18_59": 12, "f_0_4": 5, "x_1": 3]
            badJSON["reasons"] = ["boredom"]
            badJSON["transport"] = "camel"
            badJSON["vulnerable"] = ["uasc": 50, "older_people": 3]
            badJSON["nationality"] = "ZZZ"
            #expect(try await browser.post(page, badForm).status == .unprocessableEntity)
            let refused = try await api.json(.POST, endpoint, headers: headers, badJSON)
            #expect(refused.status == .unprocessableEntity)
            // The form's page does not name its fields; its input, read as the app reads the form, does.
            let posted = try URLEncodedFormDecoder().decode(FlowController.Submitted.self, from: Self.encoded(badForm))
            var formFields: Set<String> = []
            do { _ = try posted.input.draft(now: Date()) } catch let error as ValidationErrors {
                formFields = Set(error.errors.compactMap(\.field))
            }
            let expected: Set<String> = [
                "direction", "bins", "reasons", "transport", "vulnerable[uasc]", "nationality",
            ]
            #expect(formFields == expected)
            #expect(try Self.fields(ofAPI: refused) == expected, "\(refused.body)")
            #expect(try await stored().count == 2)
        }
    }

    @Test("a figure entered on the page and the same in JSON are one figure; a bad one is refused on the same fields")
    func figure() async throws {
        try await withTestApp(.sqlite) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try #require(fixture.users[.migrationCoordinator])
            let browser = try await Browser.signedIn(app, coordinator)
            let api = Browser(app)
            let headers = try await token(app, coordinator)
            let page = "/operations/SDN-TEST/population/figures"
            let endpoint = "/api/v1/operations/SDN-TEST/population/figures"
            let described = DateText.day(Date().addingTimeInterval(-30 * 86_400))
            let reported = DateText.day(Date().addingTimeInterval(-20 * 86_400))
            let form = [
                "population_type": "ref", "location": "ssd", "reference_date": described, "total": "1,200",
                "source": "government", "method": "registration", "round": "2", "reporting_date": reported,
                "origin_iso3": "sdn", "breakdown[f_0_4]": "100", "breakdown[m_0_4]": "90", "breakdown[f_5_11]": "",
            ]
            let json: [String: AnyCodable] = [
                "population_type": "REF", "location": "SSD", "reference_date": .init(stringLiteral: described),
                "total": 1_200, "source": "government", "method": "registration", "round": 2,
                "reporting_date": .init(stringLiteral: reported), "origin_iso3": "SDN",
                "breakdown": ["f_0_4": 100, "m_0_4": 90],
            ]
            func stored() async throws -> [PopulationStore.StoredFigure] {
                let own = PopulationStore.Query(dataset: FigureEntry.dataset)
                return try await PopulationStore(app.db).figures(in: fixture.operation.id, own, limit: 10)
            }
            #expect(try await browser.post(page, form).status == .seeOther)
            // The same entry again is unchanged: every value the API read is the one the page stored.
            let again = try await api.json(.POST, endpoint, headers: headers, json)
            #expect(again.status == .ok && again.body.contains(#""outcome":"unchanged""#), "\(again.body)")
            let one = try await stored()
            #expect(one.count == 1 && one.first?.figure.total == 1_200 && one.first?.figure.breakdown.count == 2)

            // The same mistakes both ways: the page marks the fields the API names.
            let badForm = [
                "population_type": "XYZ", "location": "", "reference_date": "1 Nov", "total": "10", "source": "rumour",
                "method": "guess", "round": "0", "reporting_date": "soon", "origin_iso3": "QQQ",
                "breakdown[f_0_4]": "11", "breakdown[x_9]": "1",
            ]
            let badJSON: [String: AnyCodable] = [
                "population_type": "XYZ", "location": "", "reference_date": "1 Nov", "total": 10, "source": "rumour",
                "method": "guess", "round": 0, "reporting_date": "soon", "origin_iso3": "QQQ",
                "breakdown": ["f_0_4": 11, "x_9": 1],
            ]
            let refusedPage = try await browser.post(page, badForm)
            #expect(refusedPage.status == .unprocessableEntity)
            let marked = Set(refusedPage.body.matches(of: /id="error-([a-z0-9_]+)"/).map { String($0.output.1) })
            let refused = try await api.json(.POST, endpoint, headers: headers, badJSON)
            #expect(refused.status == .unprocessableEntity)
            let expected: Set<String> = [
                "population_type", "location", "reference_date", "source", "method", "round",
                "reporting_date", "origin_iso3", "breakdown",
            ]
            #expect(marked == expected)
            #expect(try Self.fields(ofAPI: refused) == expected, "\(refused.body)")
            #expect(try await stored().count == 1)
        }
    }
}
