import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Site security assessments through the pages")
struct SiteAssessmentPageTests {
    func signedIn(_ app: Application, _ user: UserRecord) async throws -> Browser {
        try await Browser.signedIn(app, user)
    }

    /// Every item of the default `kind` checklist answered `answer`, except those in `overrides`.
    func answers(_ kind: SiteChecklistKind, _ answer: ChecklistAnswer, _ overrides: [String: ChecklistAnswer] = [:])
        -> [String: String]
    {
        var form = ["kind": kind.rawValue, "assessed_on": DateText.day(Date())]
        for item in SiteChecklist.defaults[kind]!.items {
            form["answers[\(item.code)]"] = (overrides[item.code] ?? answer).rawValue
        }
        return form
    }

    @Test(
        "a warehouse is assessed with its checklist; the weighted score, findings and recommendations show on its page and in the comparison",
        arguments: TestDatabases.kinds)
    func assess(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinatorUser = fixture.users[.securityCoordinator]!
            let sites = SiteStore(app.db)
            let warehouse = try await sites.create(
                try SiteDraft(
                    name: "Logistics Hub Port Sudan", type: .warehouse, latitude: 19.59, longitude: 37.19,
                    audience: .ifrcOnly
                ).validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: coordinatorUser.id, now: Date())
            let office = try await sites.create(
                try SiteDraft(
                    name: "Kassala office", type: .office, latitude: 15.45, longitude: 36.4, audience: .ifrcOnly
                ).validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: coordinatorUser.id, now: Date())
            let coordinator = try await signedIn(app, coordinatorUser)
            let base = "/operations/SDN-TEST/sites/\(warehouse.id.uuidString)/assessments"
            let form = try await coordinator.get(base + "/new")
            #expect(
                form.body.contains("name=\"answers[stock]\"")
                    && form.body.contains("<option value=\"warehouse\" selected>"))

            // One item unanswered, and a recommendation without an owner: refused, all said at once, nothing stored.
            var bad = answers(.warehouse, .yes)
            bad["answers[fire]"] = ""
            bad["recommendations[0][text]"] = "Replace the extinguishers"
            bad["recommendations[0][due]"] = DateText.day(Date().addingTimeInterval(14 * 86_400))
            let refused = try await coordinator.post(base, bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.body.contains("Answer every item (not applicable is an answer).")
                    && refused.body.contains("Each recommendation needs what is to be done"))
            #expect(refused.body.contains("value=\"Replace the extinguishers\""))

            // Essential stock control missing (weight 3), lighting partly (weight 2), power not applicable.
            var good = answers(.warehouse, .yes, ["stock": .no, "lighting": .partly, "power": .notApplicable])
            good["findings"] = "Keys to the stock room held by three people."
            good["recommendations[0][text]"] = "One key holder and a key register"
            good["recommendations[0][owner]"] = "Logistics Coordinator"
            good["recommendations[0][due]"] = DateText.day(Date().addingTimeInterval(-86_400))
            // A due date before the assessment is refused; the day of the assessment is fine.
            #expect(try await coordinator.post(base, good).status == .unprocessableEntity)
            good["recommendations[0][due]"] = DateText.day(Date())
            let saved = try await coordinator.post(base, good)
            #expect(saved.status == .seeOther)
            let page = try await coordinator.get(try #require(saved.headers.first(name: .location)))
            // Weights: 10 common items (3+3+2+2+3+2+3+[power n/a]+2+2 = 22) and stock 3 + loading 2 → 27; missing: stock 3, half of lighting 1.
            let expected = Int((Double(27 - 3 - 1) / 27 * 100).rounded())
            #expect(page.body.contains("value=\"\(expected)\"></meter> \(expected)"))
            #expect(
                page.body.contains("Keys to the stock room held by three people.")
                    && page.body.contains("One key holder and a key register"))
            #expect(page.body.contains("<tr class=\"late\"><td>Stock under lock"))

            _ = try await coordinator.post(
                "/operations/SDN-TEST/sites/\(office.id.uuidString)/assessments", answers(.office, .yes))
            let sitePage = try await coordinator.get("/operations/SDN-TEST/sites/\(warehouse.id.uuidString)")
            #expect(
                sitePage.body.contains("<section id=\"security-assessments\">")
                    && sitePage.body.contains("<td>\(expected)</td><td>1</td>"))
            let comparison = try await coordinator.get("/operations/SDN-TEST/sites/assessments")
            let table = try #require(comparison.body.components(separatedBy: "id=\"site-comparison\"").last)
            let order = ["Logistics Hub Port Sudan", "Kassala office"].map { table.range(of: $0)?.lowerBound }
            #expect(order[0] != nil && order[1] != nil && order[0]! < order[1]!)  // lowest score first

            // Marking the recommendation done.
            let assessmentID = try #require(
                saved.headers.first(name: .location)?.split(separator: "/").last.map(String.init))
            #expect(
                try await coordinator.post("\(base)/\(assessmentID)/recommendations/0", ["done": "yes"]).status
                    == .seeOther)
            #expect(try await coordinator.get("\(base)/\(assessmentID)").body.contains("<td>Done <form"))
        }
    }

    @Test(
        "a site's assessments are as visible as the site; only security roles assess",
        arguments: [TestDatabases.Kind.sqlite])
    func access(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinatorUser = fixture.users[.securityCoordinator]!
            let residence = try await SiteStore(app.db).create(
                try SiteDraft(
                    name: "Guesthouse Kassala", type: .residence, latitude: 15.45, longitude: 36.4, audience: .ifrcOnly
                ).validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: coordinatorUser.id, now: Date())
            let coordinator = try await signedIn(app, coordinatorUser)
            let base = "/operations/SDN-TEST/sites/\(residence.id.uuidString)/assessments"
            let saved = try await coordinator.post(base, answers(.residence, .yes))
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers.first(name: .location))
            let staff = try await signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get(location).status == .ok)
            #expect(try await staff.post(base, answers(.residence, .yes)).status == .forbidden)
            for role in [Role.nationalSocietyFocalPoint, .partner] {
                let browser = try await signedIn(app, fixture.users[role]!)
                #expect(try await browser.get(location).status == .notFound, "\(role)")
                #expect(
                    !(try await browser.get("/operations/SDN-TEST/sites/assessments")).body.contains(
                        "Guesthouse Kassala"), "\(role)")
            }
        }
    }
}
