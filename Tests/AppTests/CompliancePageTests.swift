import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("MSR compliance through the pages")
struct CompliancePageTests {
    func signedIn(_ app: Application, _ user: UserRecord) async throws -> Browser {
        try await Browser.signedIn(app, user)
    }

    /// Every requirement of the default catalogue with `status`, except those given in `overrides`.
    func assessment(
        _ status: ComplianceStatus, _ overrides: [String: ComplianceStatus] = [:], date: String,
        phase: String = "yellow"
    ) -> [String: String] {
        var form = ["assessed_on": date, "phase": phase, "site": ""]
        for requirement in MSRRequirement.defaults {
            form["status[\(requirement.code)]"] = (overrides[requirement.code] ?? status).rawValue
            form["evidence[\(requirement.code)]"] = "Checked \(requirement.code)"
        }
        return form
    }

    @Test(
        "assessments give a score per part with its trend; exemptions are written and never financial for staffing; the senior manager approves the pack",
        arguments: TestDatabases.kinds)
    func lifecycle(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await signedIn(app, fixture.users[.securityCoordinator]!)
            let today = DateText.day(Date())
            let lastMonth = DateText.day(Date().addingTimeInterval(-30 * 86_400))
            let form = try await coordinator.get("/operations/SDN-TEST/compliance/assessments/new")
            #expect(form.status == .ok && form.body.contains("name=\"status[6.2]\""))
            // Orange-only requirements are not applicable in White, and preselected so.
            #expect(form.body.contains("<option value=\"not_applicable\" selected>Not applicable</option>"))
            // IFRC's own requirement texts in the reader's language; the codes stay as they are.
            let arabic = try await coordinator.get("/operations/SDN-TEST/compliance/assessments/new?lang=ar")
            #expect(arabic.body.contains("تقييم حالي للمخاطر الأمنية وسجل للمخاطر الأمنية"))
            #expect(!arabic.body.contains("A current security risk assessment and security risk register"))
            _ = try await coordinator.get("/operations/SDN-TEST/compliance/assessments/new?lang=en")

            var incomplete = assessment(.met, date: lastMonth)
            incomplete["status[2.3]"] = ""
            let refused = try await coordinator.post("/operations/SDN-TEST/compliance/assessments", incomplete)
            #expect(refused.status == .unprocessableEntity && refused.body.contains("Give every requirement a status."))
            #expect(refused.body.contains("value=\"Checked 2.3\""))  // what was typed stays

            // Part 2 half met a month ago; fully met today.
            let first = try await coordinator.post(
                "/operations/SDN-TEST/compliance/assessments",
                assessment(
                    .met, ["2.1": .notMet, "2.2": .notMet, "2.3": .partlyMet, "2.4": .partlyMet], date: lastMonth))
            #expect(first.status == .seeOther)
            let shown = try await coordinator.get(try #require(first.headers.first(name: .location)))
            #expect(
                shown.body.contains("<li>Part 2: <strong>40</strong></li>")
                    && shown.body.contains("<li>Part 1: <strong>100</strong></li>"))
            #expect(
                try await coordinator.post("/operations/SDN-TEST/compliance/assessments", assessment(.met, date: today))
                    .status == .seeOther)
            let index = try await coordinator.get("/operations/SDN-TEST/compliance")
            #expect(
                index.body.contains("<td class=\"score\">100 <span class=\"up\" title=\"Before: 40\">▲</span></td>"))

            // Exemptions.
            func exemption(_ code: String, _ reason: String) -> [String: String] {
                [
                    "requirement": code, "granted_by": "Head of GSU", "reason": reason,
                    "written_reason": "Recruitment under way",
                    "granted_on": today, "expires_on": DateText.day(Date().addingTimeInterval(90 * 86_400)),
                ]
            }
            let financial = try await coordinator.post(
                "/operations/SDN-TEST/compliance/exemptions", exemption("6.2", "financial"))
            #expect(
                financial.status == .unprocessableEntity
                    && financial.body.contains("A staffing requirement is never waived for financial reasons."))
            var backwards = exemption("6.2", "operational")
            backwards["expires_on"] = DateText.day(Date().addingTimeInterval(-86_400))
            #expect(
                try await coordinator.post("/operations/SDN-TEST/compliance/exemptions", backwards).status
                    == .unprocessableEntity)
            #expect(
                try await coordinator.post(
                    "/operations/SDN-TEST/compliance/exemptions", exemption("6.2", "operational")
                ).status == .seeOther)
            #expect(try await ComplianceStore(app.db).exemptions(in: fixture.operation.id).count == 1)

            // The pack: the coordinator may not approve it; the HeOps (the senior manager) does, once.
            let pack = try await coordinator.get("/operations/SDN-TEST/compliance/pack")
            #expect(
                pack.body.contains("Security Risk Register") && pack.body.contains("None approved")
                    && pack.body.contains("id=\"not-approved\""))
            #expect(!pack.body.contains("id=\"approve-pack\""))
            let year = AnalysisPeriods.calendar.component(.year, from: Date())
            #expect(
                try await coordinator.post(
                    "/operations/SDN-TEST/compliance/pack", ["year": "\(year)", "statement": "Approved"]
                ).status == .forbidden)
            let heops = try await signedIn(app, fixture.users[.headOfOperations]!)
            #expect(
                try await heops.post("/operations/SDN-TEST/compliance/pack", ["year": "\(year)", "statement": " "])
                    .status == .unprocessableEntity)
            #expect(
                try await heops.post(
                    "/operations/SDN-TEST/compliance/pack",
                    ["year": "\(year)", "statement": "I have reviewed the annexes and approve them."]
                ).status == .seeOther)
            let approved = try await heops.get("/operations/SDN-TEST/compliance/pack?year=\(year)")
            #expect(
                approved.body.contains("I have reviewed the annexes and approve them.")
                    && !approved.body.contains("id=\"approve-pack\""))
            #expect(
                try await heops.post("/operations/SDN-TEST/compliance/pack", ["year": "\(year)", "statement": "Again"])
                    .status == .conflict)
        }
    }

    @Test(
        "compliance is for IFRC personnel: the focal point and partners are refused, outsiders get 404, staff read but do not write",
        arguments: [TestDatabases.Kind.sqlite])
    func access(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            for role in [Role.nationalSocietyFocalPoint, .partner] {
                let browser = try await signedIn(app, fixture.users[role]!)
                #expect(try await browser.get("/operations/SDN-TEST/compliance").status == .forbidden, "\(role)")
                #expect(try await browser.get("/operations/SDN-TEST/compliance/pack").status == .forbidden, "\(role)")
            }
            let staff = try await signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get("/operations/SDN-TEST/compliance").status == .ok)
            #expect(
                try await staff.post(
                    "/operations/SDN-TEST/compliance/assessments", assessment(.met, date: DateText.day(Date()))
                ).status == .forbidden)
            let outsider = try await signedIn(app, fixture.outsider)
            #expect(try await outsider.get("/operations/SDN-TEST/compliance").status == .notFound)
        }
    }

    @Test(
        "an office's assessment is seen only by those who may see the office; an office cannot be named blind",
        arguments: TestDatabases.kinds)
    func officeAssessmentsFollowTheOffice(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinatorUser = fixture.users[.securityCoordinator]!
            let office = try await SiteStore(app.db).create(
                try SiteDraft(
                    name: "Safe-house office", type: .office, latitude: 15.6, longitude: 32.5, audience: .restricted
                ).validated(), areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: coordinatorUser.id,
                now: Date())
            let coordinator = try await signedIn(app, coordinatorUser)
            _ = try await coordinator.get("/operations/SDN-TEST/compliance/assessments/new")
            var form = assessment(.met, date: DateText.day(Date()))
            form["site"] = office.id.uuidString
            let created = try await coordinator.post("/operations/SDN-TEST/compliance/assessments", form)
            #expect(created.status == .seeOther)
            let page = try #require(created.headers.first(name: .location))
            #expect(try await coordinator.get(page).body.contains("Safe-house office"))
            #expect(try await coordinator.get("/operations/SDN-TEST/compliance").body.contains(page))

            // Staff read compliance, but not this office: not its assessment, not in the list.
            let staff = try await signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get(page).status == .notFound)
            let list = try await staff.get("/operations/SDN-TEST/compliance")
            #expect(list.status == .ok && !list.body.contains(page))
            // The HeOps, who may write compliance but is not named on the office, cannot assess it blind.
            let heops = try await signedIn(app, fixture.users[.headOfOperations]!)
            _ = try await heops.get("/operations/SDN-TEST/compliance/assessments/new")
            #expect(
                try await heops.post("/operations/SDN-TEST/compliance/assessments", form).status
                    == .unprocessableEntity)
            var garbage = form
            garbage["site"] = "not-an-id"
            #expect(
                try await heops.post("/operations/SDN-TEST/compliance/assessments", garbage).status
                    == .unprocessableEntity)
        }
    }
}
