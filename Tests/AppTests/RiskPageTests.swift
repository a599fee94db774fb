import Domain
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor
import Views

@testable import App

@Suite("The risk register through the pages")
struct RiskPageTests {
    func signedIn(_ app: Application, _ user: UserRecord) async throws -> Browser {
        try await Browser.signedIn(app, user)
    }

    static func form(_ overrides: [String: String] = [:]) -> [String: String] {
        var fields = [
            "title": "Detention of staff at checkpoints", "threat": "armed_conflict", "targets[]": "people",
            "vulnerabilities": "National staff without ID letters", "area_pcodes": "", "likelihood": "4", "impact": "4",
            "measures[0][description]": "ID letters for every driver", "measures[0][owner]": "HR",
            "measures[0][due]": "2020-01-31",
            "measures[0][status]": "in_progress", "measures[0][strategy]": "acceptance",
            "measures[0][tags]": "documents, drivers",
            "measures[1][description]": "", "residual_likelihood": "", "residual_impact": "",
            "next_review": DateText.day(Date().addingTimeInterval(30 * 86_400)), "audience": "ifrc",
        ]
        for (key, value) in overrides { fields[key] = value }
        return fields
    }

    func riskID(_ page: Browser.Page) throws -> String {
        let location = try #require(page.headers.first(name: .location))
        return try #require(location.split(separator: "/").last.map(String.init))
    }

    @Test(
        "a coordinator assesses a risk, edits it, links an incident, closes it; each step is on its page and in its history",
        arguments: TestDatabases.kinds)
    func lifecycle(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = fixture.users[.securityCoordinator]!
            let browser = try await signedIn(app, coordinator)
            let form = try await browser.get("/operations/SDN-TEST/risks/new")
            #expect(form.status == .ok && form.body.contains("<optgroup label=\"Physical\">"))
            let created = try await browser.post("/operations/SDN-TEST/risks", Self.form())
            #expect(created.status == .seeOther)
            let id = try riskID(created)
            let page = try await browser.get("/operations/SDN-TEST/risks/\(id)")
            #expect(page.body.contains("<bdi>Detention of staff at checkpoints</bdi>"))
            #expect(
                page.body.contains(
                    "<dd id=\"inherent\"><span class=\"level level-3\">Very high</span> <small>Likely × Severe</small></dd>"
                ))
            #expect(page.body.contains("<dd id=\"residual\">Not assessed</dd>"))
            #expect(
                page.body.contains(
                    "<tr class=\"late\"><td>ID letters for every driver <small>#documents #drivers</small>"))
            #expect(page.body.contains("Whole operation"))

            // Residual risk high, accepted without a programme criticality: refused, nothing changed.
            let accept = Self.form([
                "residual_likelihood": "3", "residual_impact": "4", "acceptance_by": "HeOps",
                "acceptance_on": DateText.day(Date()), "acceptance_rationale": "Programme is life-saving",
            ])
            let refused = try await browser.post(
                "/operations/SDN-TEST/risks/\(id)/edit",
                accept.merging(["version": try await browser.editVersion("/operations/SDN-TEST/risks/\(id)/edit")]) {
                    $1
                })
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.body.contains(
                    "A residual risk this high may only be accepted with the programme&#39;s criticality (PC1–PC4)."))
            #expect(
                refused.body.contains("value=\"Programme is life-saving\"")
                    || refused.body.contains(">Programme is life-saving</textarea>"))
            var withCriticality = accept
            withCriticality["programme_criticality"] = "pc1"
            withCriticality["version"] = try await browser.editVersion("/operations/SDN-TEST/risks/\(id)/edit")
            #expect(
                try await browser.post("/operations/SDN-TEST/risks/\(id)/edit", withCriticality).status == .seeOther)
            // A form that leaves the audience out is refused, never saved with a default audience.
            var withoutAudience = withCriticality
            withoutAudience["audience"] = nil
            withoutAudience["version"] = try await browser.editVersion("/operations/SDN-TEST/risks/\(id)/edit")
            #expect(
                try await browser.post("/operations/SDN-TEST/risks/\(id)/edit", withoutAudience).status
                    == .unprocessableEntity)
            let accepted = try await browser.get("/operations/SDN-TEST/risks/\(id)")
            #expect(accepted.body.contains("<dd id=\"residual\"><span class=\"level level-2\">High</span>"))
            #expect(accepted.body.contains("HeOps, \(DateText.day(Date())): Programme is life-saving"))

            // Link an incident by its number; one the coordinator cannot see is refused.
            let incident = try await IncidentStore(app.db).create(
                try IncidentDraft(
                    title: "Driver held for six hours", category: .crime, occurredAt: Date().addingTimeInterval(-7200),
                    areaPcode: "SD01", affected: [.staff]
                ).validated(now: Date()),
                reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id, now: Date())
            #expect(
                try await browser.post(
                    "/operations/SDN-TEST/risks/\(id)/incidents", ["incident_number": "\(incident.number)"]
                ).status == .seeOther)
            #expect(
                try await browser.post("/operations/SDN-TEST/risks/\(id)/incidents", ["incident_number": "77"]).status
                    == .unprocessableEntity)
            let linked = try await browser.get("/operations/SDN-TEST/risks/\(id)")
            #expect(linked.body.contains("<bdi>Driver held for six hours</bdi>"))
            let incidentPage = try await browser.get("/operations/SDN-TEST/incidents/\(incident.id.uuidString)")
            #expect(
                incidentPage.body.contains("<section id=\"risks\">")
                    && incidentPage.body.contains("<bdi>Detention of staff at checkpoints</bdi>"))

            #expect(
                try await browser.post("/operations/SDN-TEST/risks/\(id)/close", ["closing_note": ""]).status
                    == .unprocessableEntity)
            #expect(
                try await browser.post(
                    "/operations/SDN-TEST/risks/\(id)/close", ["closing_note": "Checkpoints removed"]
                ).status == .seeOther)
            let closed = try await browser.get("/operations/SDN-TEST/risks/\(id)")
            #expect(closed.body.contains("id=\"closed-tag\"") && closed.body.contains("Checkpoints removed"))
            #expect(closed.body.contains("id=\"reopen-risk\""))
            // History, newest first: closed, updated (very high → high), created.
            let history = try #require(
                closed.body.components(separatedBy: "<section id=\"history\">").last?.components(
                    separatedBy: "</section>"
                ).first)
            let changes = history.components(separatedBy: "<strong>").dropFirst().map {
                String($0.prefix { $0 != "<" })
            }
            #expect(changes == ["Closed", "Updated", "Created"])
            #expect(
                history.contains(
                    "<span class=\"level level-3\">Very high</span> → <span class=\"level level-2\">High</span>"))
            let register = try await browser.get("/operations/SDN-TEST/risks")
            #expect(register.body.contains("Risks: 0"))
            let withClosed = try await browser.get("/operations/SDN-TEST/risks?closed=on")
            #expect(withClosed.body.contains("Risks: 1") && withClosed.body.contains("<tr class=\"closed\">"))
            let audit = try await AuditStore(app.db).entries(recordKind: "risk", recordID: id)
            #expect(audit.count == 4)  // created, updated, linked, closed (the refused edit left nothing)
        }
    }

    @Test("bad input is refused with the field named, and nothing is stored", arguments: [TestDatabases.Kind.sqlite])
    func badInput(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let browser = try await signedIn(app, fixture.users[.headOfOperations]!)
            let cases: [([String: String], String)] = [
                (["likelihood": "9"], "This value is outside the risk matrix."),
                (["impact": "x"], "Give a whole number."),
                (["next_review": "2020-01-01"], "The next review cannot be in the past."),
                (["next_review": "soon"], "Use a date like 2026-11-23."),
                (["threat": "aliens"], "Choose a threat from the operation&#39;s catalogue."),
                (["targets[]": ""], "Say what is at risk"),
                (["area_pcodes": "SD99"], "One of these P-codes is not an admin area of this operation."),
                (["residual_likelihood": "2"], "Assess the residual likelihood and impact together."),
                (["measures[0][owner]": ""], "A measure needs what is to be done and who owns it."),
                (["title": ""], "This field is required"),
            ]
            for (overrides, message) in cases {
                let page = try await browser.post("/operations/SDN-TEST/risks", Self.form(overrides))
                #expect(page.status == .unprocessableEntity, "\(overrides)")
                #expect(page.body.contains(message), "\(overrides): \(message)")
            }
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id,
                    for: try await fixture.viewer(app, fixture.users[.headOfOperations]!)))
            #expect(
                try await RiskStore(app.db).list(
                    in: scope, filter: .init(includeClosed: true), now: Date(), page: Paging(page: 1, perPage: 10)
                ).total == 0)
        }
    }

    @Test(
        "staff read the register but cannot write it; focal points and partners see no IFRC-only risk; outsiders get 404",
        arguments: TestDatabases.kinds)
    func writeAccess(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await signedIn(app, fixture.users[.securityCoordinator]!)
            let id = try riskID(try await coordinator.post("/operations/SDN-TEST/risks", Self.form()))
            for role in [Role.staff, .migrationCoordinator, .nationalSocietyFocalPoint, .partner] {
                let browser = try await signedIn(app, fixture.users[role]!)
                #expect(try await browser.get("/operations/SDN-TEST/risks/new").status == .forbidden, "\(role)")
                #expect(
                    try await browser.post("/operations/SDN-TEST/risks", Self.form()).status == .forbidden, "\(role)")
                // Refused before the risk is looked up, so the answer says nothing of whether it exists.
                #expect(
                    try await browser.post("/operations/SDN-TEST/risks/\(id)/close", ["closing_note": "x"]).status
                        == .forbidden, "\(role)")
                #expect(try await browser.get("/operations/SDN-TEST/security-settings").status == .forbidden, "\(role)")
                let register = try await browser.get("/operations/SDN-TEST/risks")
                #expect(register.status == .ok)
                // IFRC only: not the National Society's focal point, nor a partner.
                #expect(
                    register.body.contains("Detention of staff at checkpoints")
                        == [.staff, .migrationCoordinator].contains(role), "\(role)")
                #expect(!register.body.contains("id=\"new-risk\""), "\(role)")
            }
            let outsider = try await signedIn(app, fixture.outsider)
            #expect(try await outsider.get("/operations/SDN-TEST/risks").status == .notFound)
            #expect(try await outsider.get("/operations/SDN-TEST/risks/\(id)").status == .notFound)
        }
    }

    @Test(
        "what changed since a date, issued as a report with recommendations, printable and the same on later days",
        arguments: TestDatabases.kinds)
    func report(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let heops = try await signedIn(app, fixture.users[.headOfOperations]!)
            let raised = try riskID(
                try await heops.post(
                    "/operations/SDN-TEST/risks",
                    Self.form(["title": "Raised later", "likelihood": "1", "impact": "1"])))
            // Back-date the first version, so the risk existed before the period.
            try await (app.db as! any SQLDatabase).update("risk_versions").set(
                "recorded_at", to: Date().addingTimeInterval(-10 * 86_400)
            ).run()
            #expect(
                try await heops.post(
                    "/operations/SDN-TEST/risks/\(raised)/edit",
                    Self.form([
                        "title": "Raised later", "likelihood": "5", "impact": "5",
                        "version": try await heops.editVersion("/operations/SDN-TEST/risks/\(raised)/edit"),
                    ])
                ).status == .seeOther)
            _ = try await heops.post("/operations/SDN-TEST/risks", Self.form(["title": "Brand new"]))
            let since = DateText.day(Date().addingTimeInterval(-5 * 86_400))
            let view = try await heops.get("/operations/SDN-TEST/risks/changes?since=\(since)")
            #expect(view.status == .ok)
            let raisedSection = try #require(
                view.body.components(separatedBy: "<section class=\"change\" id=\"raised\">").last?.components(
                    separatedBy: "</section>"
                ).first)
            #expect(
                raisedSection.contains(
                    "<bdi>Raised later</bdi></a> — <span class=\"level level-0\">Low</span> → <span class=\"level level-4\">Unacceptable</span>"
                ))
            #expect(
                view.body.contains("<section class=\"change\" id=\"new\">")
                    && view.body.contains("<bdi>Brand new</bdi>"))
            #expect(view.body.contains("id=\"overdue\""))  // the form's measure was due in 2020
            #expect(
                try await heops.get("/operations/SDN-TEST/risks/changes?since=2999-01-01").status
                    == .unprocessableEntity)

            // A report whose audience is left out is refused, not issued to a default audience.
            #expect(
                try await heops.post("/operations/SDN-TEST/risks/reports", ["since": since, "recommendations": "x"])
                    .status == .unprocessableEntity)
            let issued = try await heops.post(
                "/operations/SDN-TEST/risks/reports",
                ["since": since, "recommendations": "Suspend night movement.\nRe-brief drivers.", "audience": "ifrc"])
            #expect(issued.status == .seeOther)
            let location = try #require(issued.headers.first(name: .location))
            let report = try await heops.get(location)
            #expect(report.body.contains("<h1>Security risk report 1 · Sudan test</h1>"))
            #expect(report.body.contains("<p class=\"notes\">Suspend night movement.\nRe-brief drivers.</p>"))
            #expect(
                report.body.contains("<bdi>Raised later</bdi>")
                    && report.body.contains("<script src=\"\(SiteURL.printScript.path)\" defer></script>"))
            // A later change does not rewrite an issued report.
            _ = try await heops.post("/operations/SDN-TEST/risks", Self.form(["title": "After the report"]))
            #expect(!(try await heops.get(location)).body.contains("After the report"))
            let staff = try await signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get(location).status == .ok)
            let partner = try await signedIn(app, fixture.users[.partner]!)
            #expect(try await partner.get(location).status == .notFound)
            #expect(
                try await staff.post("/operations/SDN-TEST/risks/reports", ["since": since, "recommendations": "x"])
                    .status == .forbidden)
        }
    }

    @Test(
        "the settings page saves a valid matrix and refuses a broken one with what is wrong",
        arguments: [TestDatabases.Kind.sqlite])
    func settings(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await signedIn(app, fixture.users[.securityCoordinator]!)
            let page = try await coordinator.get("/operations/SDN-TEST/security-settings")
            #expect(page.status == .ok && page.body.contains("&quot;very_unlikely&quot;"))
            let broken = try await coordinator.post(
                "/operations/SDN-TEST/security-settings", ["key": "risk_matrix", "json": "{\"likelihoods\": []}"])
            #expect(broken.status == .unprocessableEntity)
            #expect(broken.body.contains("is missing at the top level"))
            let threats =
                #"[{"key": "armed_conflict", "class": "physical"}, {"key": "landmines", "class": "physical", "label": "Landmines and UXO"}]"#
            #expect(
                try await coordinator.post(
                    "/operations/SDN-TEST/security-settings", ["key": "risk_threats", "json": threats]
                ).status == .seeOther)
            let form = try await coordinator.get("/operations/SDN-TEST/risks/new")
            #expect(form.body.contains("<option value=\"landmines\">Landmines and UXO</option>"))
            #expect(!form.body.contains("value=\"terrorism\""))
            let heops = try await signedIn(app, fixture.users[.headOfOperations]!)
            #expect(try await heops.get("/operations/SDN-TEST/security-settings").status == .ok)
            let audit = try await AuditStore(app.db).entries(
                operationID: fixture.operation.id, page: Paging(page: 1, perPage: 5))
            #expect(audit.items.first?.recordKind == "operation_settings")
        }
    }
}
