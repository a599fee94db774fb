import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// Referrals through the pages and the API (issue 18, part 4): who reaches which, the rules that
/// refuse a referral, the steps, and the figures that leave the desk.
@Suite("Referrals")
struct ReferralTests {
    static let code = "/operations/SDN-TEST"

    /// An operation with two services (one takes referrals, one does not) and the staff member
    /// named a caseworker by the coordinator.
    static func setUp(_ app: Application) async throws -> (Fixture, taking: ServiceRecord, notTaking: ServiceRecord) {
        let fixture = try await Fixture.make(app)
        let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
        var input = ServiceInput()
        input.organization = "SRCS"
        input.name = "Psychosocial support"
        input.acceptsReferrals = "yes"
        let taking = try await ServiceStore(app.db).create(
            try input.decoded(), areaPcode: nil, scope: scope, actorID: nil, now: Date())
        input.name = "Water trucking"
        input.acceptsReferrals = "no"
        let notTaking = try await ServiceStore(app.db).create(
            try input.decoded(), areaPcode: nil, scope: scope, actorID: nil, now: Date())
        let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
        #expect(
            try await coordinator.post(
                code + "/referrals/case-workers", ["user": fixture.users[.staff]!.id.uuidString, "named": "yes"]
            ).status == .seeOther)
        return (fixture, taking, notTaking)
    }

    static func form(_ service: ServiceRecord, _ reference: String, _ extra: [String: String] = [:]) -> [String: String]
    {
        var form = [
            "person_ref": reference, "service": service.id.uuidString, "needs[]": "SC-UC", "urgency": "high",
            "consent": "given", "consent_by": "HSP volunteer", "consent_on": "2026-01-02",
        ]
        for (key, value) in extra { form[key] = value }
        return form
    }

    @Test(
        "a caseworker's referral: refused rules, then draft → sent → accepted → completed; consent withdrawn erases the name",
        arguments: TestDatabases.kinds)
    func flow(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, taking, notTaking) = try await Self.setUp(app)
            let worker = try await Browser.signedIn(app, fixture.users[.staff]!)
            // Refused: a service that takes no referrals; no consent and no approval; a non-coordinator approver.
            let closed = try await worker.post(Self.code + "/referrals", Self.form(notTaking, "HSP-1"))
            #expect(closed.status == .unprocessableEntity)
            #expect(closed.body.contains("does not take referrals now"))
            let noConsent = try await worker.post(
                Self.code + "/referrals", Self.form(taking, "HSP-1", ["consent": "refused"]))
            #expect(noConsent.status == .unprocessableEntity)
            #expect(noConsent.body.contains("say why the referral goes ahead"))
            let wrongApprover = try await worker.post(
                Self.code + "/referrals",
                Self.form(
                    taking, "HSP-1",
                    [
                        "consent": "not_possible", "override_reason": "Child",
                        "override_approver": fixture.users[.staff]!.id.uuidString,
                    ]))
            #expect(wrongApprover.status == .unprocessableEntity)
            let scope = AccessPolicy.operatorReferralScope(in: fixture.operation.id)
            #expect(try await ReferralStore(app.db).list(in: scope, page: Paging(page: 1, perPage: 10)).total == 0)
            // Made, with the person's name (they agreed), approved without consent by the coordinator.
            let made = try await worker.post(
                Self.code + "/referrals",
                Self.form(
                    taking, "HSP-0042",
                    [
                        "consent": "not_possible", "override_reason": "Unaccompanied child",
                        "override_approver": fixture.users[.migrationCoordinator]!.id.uuidString, "name_consent": "yes",
                        "person_name": "Amina",
                    ]))
            #expect(made.status == .seeOther)
            let path = try #require(made.location)
            let page = try await worker.get(path)
            #expect(page.body.contains("HSP-0042") && page.body.contains("Amina"))
            for step in ["sent", "accepted"] {
                #expect(try await worker.post(path + "/status", ["to": step]).status == .seeOther)
            }
            #expect(try await worker.post(path + "/status", ["to": "draft"]).status == .unprocessableEntity)
            #expect(try await worker.post(path + "/withdraw", ["note": "Asked by phone"]).status == .seeOther)
            let withdrawn = try #require(
                try await ReferralStore(app.db).list(in: scope, page: Paging(page: 1, perPage: 10)).items.first)
            #expect(withdrawn.referralStatus == .withdrawn)
            #expect(withdrawn.personName == nil)
            #expect(try await worker.post(path + "/status", ["to": "completed"]).status == .unprocessableEntity)
            #expect(try await worker.post(path + "/withdraw", [:]).status == .conflict)
            let steps = try await ReferralStore(app.db).events(of: withdrawn.id, in: scope).map(\.to)
            #expect(steps == [.draft, .sent, .accepted, .withdrawn])
            // The audit trail's reader (the HeOps) sees that something changed, never what.
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            let audit = try await heops.get(Self.code + "/audit")
            #expect(audit.status == .ok)
            #expect(
                !audit.body.contains("HSP-0042") && !audit.body.contains("Amina")
                    && !audit.body.contains("Unaccompanied"))
        }
    }

    @Test(
        "figures: exact for the coordinator, counts under 5 suppressed for the rest of the Movement and in every export"
    )
    func figures() async throws {
        try await withTestApp { app in
            let (fixture, taking, _) = try await Self.setUp(app)
            let scope = AccessPolicy.operatorReferralScope(in: fixture.operation.id)
            let draft = try Self.input(taking, "A").decoded(today: Date())
            for n in 0..<7 {
                let row = try await ReferralStore(app.db).create(
                    ReferralDraft(
                        personRef: "P-\(n)", serviceID: taking.id, consent: .given, consentBy: "x",
                        consentOn: draft.consentOn), serviceName: taking.name, scope: scope, now: Date())
                if n < 3 {
                    _ = try await ReferralStore(app.db).move(row.id, to: .sent, note: nil, scope: scope, now: Date())
                }
            }
            let coordinator = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            let exact = try await coordinator.get(Self.code + "/referrals/figures")
            #expect(
                exact.body.contains("<td class=\"number\" dir=\"ltr\">3</td>")
                    && exact.body.contains("<td class=\"number\" dir=\"ltr\">4</td>")
            )
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            #expect(try await heops.get(Self.code + "/referrals").location == Self.code + "/referrals/figures")
            let suppressed = try await heops.get(Self.code + "/referrals/figures")
            #expect(
                suppressed.body.contains("&lt;5") && suppressed.body.contains("<td class=\"number\" dir=\"ltr\">7</td>")
            )
            #expect(!suppressed.body.contains("P-1"))
            let csv = try await coordinator.get(Self.code + "/referrals/figures.csv")
            #expect(csv.body.contains("Psychosocial support,<5,<5,0,0,0,0,0,7,–"), "\(csv.body)")
            let partner = try await Browser.signedIn(app, fixture.users[.partner]!)
            #expect(try await partner.get(Self.code + "/referrals/figures").status == .forbidden)
        }
    }

    static func input(_ service: ServiceRecord, _ reference: String) -> ReferralInput {
        var input = ReferralInput()
        input.personRef = reference
        input.service = service.id.uuidString
        input.consent = "given"
        input.consentBy = "x"
        input.consentOn = "2026-01-01"
        return input
    }

    @Test(
        "the API: the coordinator and caseworkers make and move referrals; others read the figures only",
        arguments: TestDatabases.kinds)
    func api(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, taking, notTaking) = try await Self.setUp(app)
            let api = PopulationAPITests()
            let browser = Browser(app)
            var coordinator = try await api.token(app, fixture.users[.migrationCoordinator]!)
            coordinator.contentType = .json
            let base = "/api/v1\(Self.code)/referrals"
            let refused = try await browser.json(
                .POST, base, headers: coordinator,
                [
                    "person_ref": "API-1", "service_id": .init(stringLiteral: notTaking.id.uuidString),
                    "consent": "given",
                    "consent_by": "x", "consent_on": "2026-01-01",
                ])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("service"))
            let created = try await browser.json(
                .POST, base, headers: coordinator,
                [
                    "person_ref": "API-1", "service_id": .init(stringLiteral: taking.id.uuidString), "consent": "given",
                    "consent_by": "x", "consent_on": "2026-01-01", "needs": ["FU-TR"], "rfl": true,
                    "tracing_agency": "national_society", "tracing_case_number": "SRCS-RFL-1",
                ])
            #expect(created.status == .created, "\(created.body)")
            let spec = try OpenAPIValidator(data: Data(try await browser.get("/api/v1/openapi.json").body.utf8))
            try api.check(spec, created, "post", "/operations/{code}/referrals")
            let location = try #require(created.headers.first(name: .location))
            let sent = try await browser.json(.POST, location + "/status", headers: coordinator, ["to": "sent"])
            #expect(sent.status == .ok)
            try api.check(spec, sent, "post", "/operations/{code}/referrals/{id}/status")
            #expect(sent.body.contains("\"status\":\"sent\""))
            #expect(
                try await browser.json(.POST, location + "/status", headers: coordinator, ["to": "draft"]).status
                    == .conflict)
            #expect(try await browser.get(base, headers: coordinator).body.contains("SRCS-RFL-1"))
            let heops = try await api.token(app, fixture.users[.headOfOperations]!)
            #expect(try await browser.get(base, headers: heops).status == .forbidden)
            #expect(try await browser.get(location, headers: heops).status == .notFound)
            let figures = try await browser.get(base + "/figures", headers: heops)
            #expect(figures.status == .ok)
            try api.check(spec, figures, "get", "/operations/{code}/referrals/figures")
            #expect(figures.body.contains("\"suppressed\":true") && figures.body.contains("<5"))
            #expect(!figures.body.contains("API-1"))
            let partner = try await api.token(app, fixture.users[.partner]!)
            #expect(try await browser.get(base + "/figures", headers: partner).status == .forbidden)
            let outsider = try await api.token(app, fixture.outsider)
            #expect(try await browser.get(base + "/figures", headers: outsider).status == .notFound)
        }
    }
}
