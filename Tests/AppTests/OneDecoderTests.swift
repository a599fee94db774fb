import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// The web form and the API read an incident, or a site, through the same decoder: the same
/// input gives the same stored record, and the same bad input the same field errors.
@Suite("One decoder for the form and the API")
struct OneDecoderTests {
    static let now = Date()
    static let when = DateText.formTime(now.addingTimeInterval(-2 * 3_600))

    static let incidentForm: [String: String] = [
        "title": "Convoy stopped at Soba bridge", "category": "violence", "subtype": "shooting", "occurred_at": when,
        "time_precision": "day", "latitude": "15.5007", "longitude": "32.5599", "place_name": "Soba bridge",
        "location_type": "road", "affected[]": "staff", "casualties[injured_national_female]": "2",
        "actor_type": "non_state_armed_group",
        "severity": "high", "immediate_actions": "Convoy turned back", "procedures_followed": "yes",
        "verification": "verified", "source": "staff_report", "audience": "ifrc",
        "description": "Shots fired in the air",
        "follow_up[0][action]": "Brief drivers", "follow_up[0][owner]": "Logistics", "follow_up[0][due]": "2026-12-10",
    ]

    static let incidentJSON = """
        {"title":"Convoy stopped at Soba bridge","category":"violence","subtype":"shooting","occurred_at":"\(when):00Z",
         "time_precision":"day","latitude":15.5007,"longitude":32.5599,"place_name":"Soba bridge","location_type":"road",
         "affected":["staff"],"casualties":{"injured_national_female":2},"actor_type":"non_state_armed_group","severity":"high",
         "immediate_actions":"Convoy turned back","procedures_followed":true,"verification":"verified",
         "source":"staff_report","audience":"ifrc","description":"Shots fired in the air",
         "follow_up":[{"action":"Brief drivers","owner":"Logistics","due_on":"2026-12-10"}]}
        """

    static func token(_ app: Application, _ user: UserRecord) async throws -> HTTPHeaders {
        let secret = try await TokenStore(app.db).create(
            userID: user.id, name: "t", expiresAt: Date() + 86_400, now: Date()
        ).secret
        return ["Authorization": "Bearer \(secret)", "Content-Type": "application/json"]
    }

    @Test("the same incident through the form and the API is stored the same", arguments: [TestDatabases.Kind.sqlite])
    func sameIncident(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let staff = fixture.users[.staff]!
            let browser = Browser(app)
            #expect(try await browser.signIn(staff.email, Fixture.password).status == .seeOther)
            _ = try await browser.get("/operations/SDN-TEST/incidents/new")
            let posted = try await browser.post("/operations/SDN-TEST/incidents", Self.incidentForm)
            #expect(posted.status == .seeOther)
            let headers = try await Self.token(app, staff)
            let sent = try await Browser(app).send(.POST, "/api/v1/operations/SDN-TEST/incidents", headers: headers) {
                req in
                req.body = ByteBuffer(string: Self.incidentJSON)
            }
            #expect(sent.status == .created, "\(sent.body)")
            let scope = try #require(
                AccessPolicy.scope(in: fixture.operation.id, for: try await fixture.viewer(app, staff)))
            var stored: [IncidentRecord] = []
            for item in try await IncidentStore(app.db).list(in: scope, page: Paging(page: 1, perPage: 10)).items {
                stored.append(try #require(try await IncidentStore(app.db).find(item.id, in: scope)))
            }
            try #require(stored.count == 2)
            #expect(stored[0].draft == stored[1].draft)
            #expect(stored[0].draft.casualties.total() == 2 && stored[0].draft.followUpActions.count == 1)
            #expect(stored[0].draft.proceduresFollowed == true)
        }
    }

    @Test("the same bad incident gives the same field errors through the form's and the API's decoding")
    func sameIncidentErrors() throws {
        let form =
            "title=&category=nonsense&subtype=shooting&occurred_at=yesterday&latitude=north"
            + "&casualties%5Bkilled_national_male%5D=-2&affected%5B%5D=donkeys&audience=ifrc"
            + "&follow_up%5B0%5D%5Baction%5D=Call&follow_up%5B0%5D%5Bowner%5D=Me&follow_up%5B0%5D%5Bdue%5D=31%2F12"
        let posted = try URLEncodedFormDecoder().decode(IncidentController.Posted.self, from: form)
        let json = """
            {"title":"","category":"nonsense","subtype":"shooting","occurred_at":"yesterday","latitude":null,
             "casualties":{"killed_national_male":-2},"affected":["donkeys"],"audience":"ifrc",
             "follow_up":[{"action":"Call","owner":"Me","due_on":"31/12"}]}
            """
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let sent = try decoder.decode(APIDTO.IncidentInput.self, from: Data(json.utf8))
        func fields(_ input: IncidentInput) -> [String] {
            do {
                _ = try input.draft(now: Self.now)
                return []
            } catch {
                return error.errors.compactMap(\.field).sorted()
            }
        }
        var viaForm = posted.input
        viaForm.latitude = ""  // the API cannot send "north" for a number: its JSON decoding refuses it first
        let formFields = fields(viaForm), apiFields = fields(IncidentAPI.input(sent))
        #expect(formFields == apiFields)
        for field in ["title", "category", "occurred_at", "killed_national_male", "affected", "follow_up[0].due_on"] {
            #expect(formFields.contains(field), "\(field)")
        }
        // And the form's own refusal of a latitude it cannot read.
        #expect(fields(posted.input).contains("latitude"))
    }

    @Test(
        "the same site through the form and the API is stored the same, and the same bad one refused the same",
        arguments: [TestDatabases.Kind.sqlite])
    func sameSite(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let security = fixture.users[.securityCoordinator]!
            let browser = Browser(app)
            #expect(try await browser.signIn(security.email, Fixture.password).status == .seeOther)
            _ = try await browser.get("/operations/SDN-TEST/sites/new")
            let posted = try await browser.post(
                "/operations/SDN-TEST/sites",
                [
                    "name": "Guest house 2", "type": "residence", "latitude": "15.6", "longitude": "32.53",
                    "contact_name": "Amal",
                    "contact_phone": "+249 912 000 111", "notes": "Gate code with the guard", "audience": "restricted",
                ])
            #expect(posted.status == .seeOther)
            let headers = try await Self.token(app, security)
            let json =
                #"{"name":"Guest house 2","type":"residence","latitude":15.6,"longitude":32.53,"contact_name":"Amal","#
                + #""contact_phone":"+249 912 000 111","notes":"Gate code with the guard","audience":"restricted"}"#
            let sent = try await Browser(app).send(.POST, "/api/v1/operations/SDN-TEST/sites", headers: headers) {
                req in
                req.body = ByteBuffer(string: json)
            }
            #expect(sent.status == .created, "\(sent.body)")
            let scope = try #require(
                AccessPolicy.scope(in: fixture.operation.id, for: try await fixture.viewer(app, security)))
            let sites = try await SiteStore(app.db).list(in: scope, page: Paging(page: 1, perPage: 10)).items
                .filter { $0.name == "Guest house 2" }
            try #require(sites.count == 2)
            #expect(sites[0].input() == sites[1].input())
            #expect(sites[0].areaPcode == sites[1].areaPcode)

            // Bad: an unknown type and audience and no name, the same fields refused on both paths.
            let refused = try await browser.post(
                "/operations/SDN-TEST/sites",
                [
                    "name": " ", "type": "castle", "latitude": "15.6", "longitude": "32.53", "audience": "everyone",
                ])
            #expect(refused.status == .unprocessableEntity)
            let bad = try await Browser(app).send(.POST, "/api/v1/operations/SDN-TEST/sites", headers: headers) { req in
                req.body = ByteBuffer(
                    string: #"{"name":" ","type":"castle","latitude":15.6,"longitude":32.53,"audience":"everyone"}"#)
            }
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains(#""field":"type""#) && bad.body.contains(#""field":"audience""#))
        }
    }

    @Test("the same bad site gives the same field errors through the form's and the API's decoding")
    func sameSiteErrors() throws {
        let posted = try URLEncodedFormDecoder().decode(
            SiteController.Submitted.self,
            from: "name=+&type=castle&latitude=15.6&longitude=200&audience=everyone&contact_phone=call+me")
        let json =
            #"{"name":" ","type":"castle","latitude":15.6,"longitude":200,"audience":"everyone","contact_phone":"call me"}"#
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let sent = try decoder.decode(APIDTO.SiteInput.self, from: Data(json.utf8))
        func fields(_ input: SiteInput) -> [String] {
            do {
                _ = try input.decoded()
                return []
            } catch {
                return error.errors.compactMap(\.field).sorted()
            }
        }
        #expect(fields(posted.input) == ["audience", "type"])
        #expect(fields(posted.input) == fields(sent.input))
        // Once type and audience are known, the draft's own rules, again the same on both paths.
        var form = posted.input, api = sent.input
        (form.type, form.audience, api.type, api.audience) = ("residence", "ifrc", "residence", "ifrc")
        #expect(fields(form) == ["contact_phone", "longitude", "name"])
        #expect(fields(form) == fields(api))
    }
}
