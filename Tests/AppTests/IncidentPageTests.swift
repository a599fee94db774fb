import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Reporting incidents through the pages")
struct IncidentPageTests {
    func signedIn(_ app: Application, _ user: UserRecord) async throws -> Browser {
        let browser = Browser(app)
        let page = try await browser.signIn(user.email, Fixture.password)
        #expect(page.status == .seeOther)
        return browser
    }

    func form(_ overrides: [String: String] = [:]) -> [String: String] {
        var fields = [
            "title": "Ambush on the Jebel Awlia road", "category": "violence", "subtype": "shooting",
            "occurred_at": DateText.formTime(Date().addingTimeInterval(-3600)), "latitude": "15.5007",
            "longitude": "32.5599",
            "area_pcode": "SD01001", "location_type": "road", "affected[]": "staff",
            "casualties[kidnapped_national_male]": "1",
            "severity": "critical", "audience": "ifrc", "reporter_hidden": "on",
            "description": "Two staff stopped at gunpoint",
            "follow_up[0][action]": "Suspend road movement", "follow_up[0][owner]": "Security Coordinator",
            "follow_up[0][due]": "2020-01-31",
            "follow_up[1][action]": "Brief all drivers", "follow_up[1][owner]": "Logistics", "follow_up[2][action]": "",
        ]
        for (key, value) in overrides { fields[key] = value }
        return fields
    }

    @Test(
        "only the reporter may show their name again: not the edit form, not a PUT that leaves the field out, not anyone else's PUT",
        arguments: TestDatabases.kinds)
    func reporterStaysHidden(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let reporter = fixture.users[.staff]!
            let migration = fixture.users[.migrationCoordinator]!
            let browser = try await signedIn(app, reporter)
            #expect(try await browser.get("/operations/SDN-TEST/incidents/new").status == .ok)
            let created = try await browser.post(
                "/operations/SDN-TEST/incidents", form(["audience": "movement", "reporter_hidden_offered": "1"]))
            #expect(created.status == .seeOther)
            let id = try #require(created.location?.split(separator: "/").last.map(String.init))
            let store = IncidentStore(app.db)
            func stored() async throws -> IncidentRecord {
                let scope = try #require(
                    AccessPolicy.scope(
                        in: fixture.operation.id,
                        for: try await fixture.viewer(app, fixture.users[.securityCoordinator]!)))
                return try #require(try await store.find(IncidentID(UUID(uuidString: id)!), in: scope))
            }
            #expect(try await stored().draft.reporterHidden)
            let path = "/operations/SDN-TEST/incidents/\(id)"

            // The migration coordinator may edit the incident, but is not offered the box.
            let other = try await signedIn(app, migration)
            let edit = try await other.get(path + "/edit")
            #expect(edit.status == .ok)
            #expect(
                !edit.body.contains("name=\"reporter_hidden\"") && edit.body.contains("id=\"reporter-hidden-note\""))
            #expect(
                try await other.post(
                    path + "/edit",
                    form([
                        "audience": "movement", "reporter_hidden": "", "title": "Edited",
                        "version": try await other.editVersion(path + "/edit"),
                    ]).filter { $0.key != "reporter_hidden" }
                ).status == .seeOther)
            #expect(try await stored().draft.reporterHidden, "a form without the box keeps the reporter hidden")
            #expect(try await stored().draft.title == "Edited")
            let forced = try await other.post(
                path + "/edit",
                form([
                    "audience": "movement", "reporter_hidden_offered": "1",
                    "version": try await other.editVersion(path + "/edit"),
                ]).filter { $0.key != "reporter_hidden" })
            #expect(forced.status == .forbidden)
            #expect(try await stored().draft.reporterHidden)

            // Through the API: a PUT without the field keeps it; one that turns it off is refused.
            let token = try await TokenStore(app.db).create(
                userID: migration.id, name: "t", expiresAt: Date() + 86_400, now: Date()
            ).secret
            func put(_ extra: String) async throws -> Browser.Page {
                let body =
                    #"{"title":"Edited by API","category":"violence","occurred_at":"2026-01-02T10:00:00Z","latitude":15.5,"longitude":32.5,"audience":"movement""#
                    + extra + "}"
                let current = try await other.get(
                    "/api/v1/operations/SDN-TEST/incidents/\(id)", headers: ["Authorization": "Bearer \(token)"])
                return try await other.send(
                    .PUT, "/api/v1/operations/SDN-TEST/incidents/\(id)",
                    headers: [
                        "Authorization": "Bearer \(token)", "Content-Type": "application/json",
                        "If-Match": current.headers.first(name: .eTag) ?? "",
                    ]
                ) { req in
                    req.body = ByteBuffer(string: body)
                }
            }
            let kept = try await put("")
            #expect(kept.status == .ok, "\(kept.body)")
            #expect(kept.body.contains(#""reporter_hidden":true"#) && !kept.body.contains(reporter.id.uuidString))
            #expect(try await stored().draft.reporterHidden)
            let refused = try await put(#","reporter_hidden":false"#)
            #expect(refused.status == .forbidden && refused.body.contains("reporter_hidden"))
            #expect(try await stored().draft.reporterHidden)
            #expect(try await stored().draft.title == "Edited by API")

            // The reporter is offered the box and may untick it.
            let own = try await browser.get(path + "/edit")
            #expect(own.body.contains("name=\"reporter_hidden\""))
            #expect(
                try await browser.post(
                    path + "/edit",
                    form([
                        "audience": "movement", "reporter_hidden_offered": "1",
                        "version": try await browser.editVersion(path + "/edit"),
                    ]).filter { $0.key != "reporter_hidden" }
                ).status == .seeOther)
            #expect(try await stored().draft.reporterHidden == false)
        }
    }

    @Test(
        "the dashboard lists the ten most urgent reports due and links to the rest; the reports-due page pages through all of them by deadline",
        arguments: TestDatabases.kinds)
    func reportsDue(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = fixture.users[.securityCoordinator]!
            let store = IncidentStore(app.db)
            let now = Date()
            // 55 unreported incidents, every third serious, happening an hour apart: deadline order is not creation order.
            for i in 0..<55 {
                var draft = IncidentDraft(
                    title: "Due \(i)", category: .crime, occurredAt: now.addingTimeInterval(-Double(i * 3_600 + 60)),
                    areaPcode: "SD01", audience: .ifrcOnly)
                draft.particularlySensitive = i % 3 == 0
                _ = try await store.create(
                    try draft.validated(now: now), reporterID: coordinator.id, in: fixture.operation.id,
                    actorID: coordinator.id, now: now)
            }
            let scope = try #require(
                AccessPolicy.scope(in: fixture.operation.id, for: try await fixture.viewer(app, coordinator))
            )
            let expected = try await store.awaitingRegionalReport(in: scope, limit: 100).map(\.title)
            #expect(expected.count == 55)
            // The order itself is the store's test (IncidentStoreTests.dueOrder); here the pages must follow it.
            /// The titles listed on the reports-due page, in order.
            func titles(_ html: String) -> [String] {
                guard let list = html.range(of: "id=\"reports-due\">") else { return [] }
                return String(html[list.upperBound...]).components(separatedBy: "</ul>")[0]
                    .components(separatedBy: "<bdi>").dropFirst().map { String($0.prefix { $0 != "<" }) }
            }

            let browser = try await signedIn(app, coordinator)
            let dashboard = try await browser.get("/operations/SDN-TEST")
            let section = try #require(dashboard.body.range(of: "id=\"tile-reports-due\">"))
            let listed = String(dashboard.body[section.lowerBound...]).components(separatedBy: "</section>")[0]
                .components(separatedBy: "<bdi>").dropFirst().map { String($0.prefix { $0 != "<" }) }
            #expect(listed == Array(expected.prefix(10)))
            #expect(
                dashboard.body.contains(
                    "<a href=\"/operations/SDN-TEST/incidents/due\" id=\"reports-due-more\">All reports due (45 more)</a>"
                ))

            let first = try await browser.get("/operations/SDN-TEST/incidents/due")
            #expect(first.status == .ok)
            #expect(
                first.body.contains("<p id=\"reports-due-count\">Reports due: 55, the earliest deadline first.</p>"))
            #expect(titles(first.body) == Array(expected.prefix(50)))
            #expect(first.body.contains("href=\"/operations/SDN-TEST/incidents/due?page=2\""))
            let second = try await browser.get("/operations/SDN-TEST/incidents/due?page=2")
            #expect(titles(second.body) == Array(expected.dropFirst(50)))
            #expect(
                !second.body.contains("due?page=3\"")
                    && second.body.contains("href=\"/operations/SDN-TEST/incidents/due?page=1\""))
            #expect(second.body.contains("Reports due: 55,"))
            let beyond = try await browser.get("/operations/SDN-TEST/incidents/due?page=9")
            #expect(beyond.status == .ok && titles(beyond.body).isEmpty)
            let far = try await browser.get("/operations/SDN-TEST/incidents/due?page=500000")
            #expect(far.status == .ok && titles(far.body).isEmpty && far.body.contains("Reports due: 55,"))
        }
    }

    @Test(
        "staff report an incident; it shows with its 24-hour deadline, on the list and the dashboard; a hidden reporter stays hidden",
        arguments: [TestDatabases.Kind.sqlite])
    func report(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let staff = try await signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get("/operations/SDN-TEST/incidents/new").status == .ok)
            let created = try await staff.post("/operations/SDN-TEST/incidents", form())
            #expect(created.status == .seeOther)
            let location = try #require(created.location)
            let page = try await staff.get(location)
            #expect(page.status == .ok)
            #expect(page.body.contains("Ambush on the Jebel Awlia road"))
            #expect(page.body.contains("Written report to the GSU (serious incident)"))  // kidnapping: serious
            #expect(page.body.contains("deadline-open"))
            #expect(
                page.body.contains(
                    "Suspend road movement — Security Coordinator · Due <span dir=\"ltr\">2020-01-31</span> <strong class=\"tag serious\">Overdue</strong>"
                ))
            #expect(page.body.contains("Brief all drivers — Logistics"))
            #expect(page.body.contains(">staff<"))  // the reporter sees their own name
            #expect(
                try await staff.get("/operations/SDN-TEST/incidents").body.contains("Ambush on the Jebel Awlia road"))
            #expect(try await staff.get("/operations/SDN-TEST").body.contains("Ambush on the Jebel Awlia road"))

            let security = try await signedIn(app, fixture.users[.securityCoordinator]!)
            #expect(try await security.get(location).body.contains(">staff<"))
            let migration = try await signedIn(app, fixture.users[.migrationCoordinator]!)
            let seenByOther = try await migration.get(location)
            #expect(seenByOther.status == .ok)
            #expect(!seenByOther.body.contains(">staff<") && seenByOther.body.contains("Reporter not shown"))

            // A partner may not see an IFRC-only incident: not on the list, and its page is "not found".
            let partner = try await signedIn(app, fixture.users[.partner]!)
            #expect(!(try await partner.get("/operations/SDN-TEST/incidents").body.contains("Ambush")))
            #expect(try await partner.get(location).status == .notFound)
            #expect(!(try await partner.get("/operations/SDN-TEST").body.contains("Ambush")))
            #expect(try await partner.get("/operations/SDN-TEST/incidents/new").status == .forbidden)

            // The security coordinator ticks the first action off; the change is versioned.
            _ = try await security.get(location)
            #expect(try await security.post(location + "/actions/0/done", ["done": "yes"]).status == .seeOther)
            let ticked = try await security.get(location)
            #expect(
                ticked.body.contains("<li class=\"done\">Suspend road movement")
                    && !ticked.body.contains("Overdue</strong>"))
            #expect(try await security.post(location + "/actions/7/done", ["done": "yes"]).status == .notFound)
            let heops = try await signedIn(app, fixture.users[.headOfOperations]!)
            let history = try await heops.get(location + "/audit")
            #expect(
                history.body.contains("Suspend road movement — Security Coordinator (due 2020-01-31) ✓"),
                "the tick is in the history")
            // The edit form lists both actions and room for more; saving it keeps them.
            let edit = try await staff.get(location + "/edit")
            #expect(
                edit.body.contains("value=\"Brief all drivers\"") && edit.body.contains("name=\"follow_up[3][action]\"")
            )
            #expect(edit.body.contains("name=\"follow_up[0][done]\" value=\"on\" checked"))
        }
    }

    @Test(
        "security steps the follow-up; the reporter adds reports; the regional report stops the clock",
        arguments: [TestDatabases.Kind.sqlite])
    func followUp(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let staff = try await signedIn(app, fixture.users[.staff]!)
            _ = try await staff.get("/operations/SDN-TEST/incidents/new")
            let location = try #require(try await staff.post("/operations/SDN-TEST/incidents", form()).location)
            // Staff may not move the follow-up; the security coordinator may, one step at a time.
            _ = try await staff.get(location)
            #expect(try await staff.post(location + "/status", ["status": "verified"]).status == .forbidden)
            let security = try await signedIn(app, fixture.users[.securityCoordinator]!)
            #expect(try await security.get(location).body.contains("Mark as verified"))
            #expect(try await security.post(location + "/status", ["status": "closed"]).status == .unprocessableEntity)
            #expect(try await security.post(location + "/status", ["status": "verified"]).status == .seeOther)
            let verified = try await security.get(location)
            #expect(verified.body.contains(">Verified<") && verified.body.contains("Mark as analysed"))

            // The reporter adds the written report sent to the region: the deadline is met.
            _ = try await staff.get(location)
            #expect(
                try await staff.post(location + "/reports", ["type": "update", "summary": " "]).status
                    == .unprocessableEntity)
            #expect(
                try await staff.post(
                    location + "/reports",
                    [
                        "type": "update", "summary": "Written report sent to RSC and GSU",
                        "sent_to_region": "on",
                    ]
                ).status == .seeOther)
            let page = try await staff.get(location)
            #expect(page.body.contains("deadline-met") && page.body.contains("Written report sent to RSC and GSU"))
            #expect(!page.body.contains("name=\"sent_to_region\""))  // already sent
            let dashboard = try await staff.get("/operations/SDN-TEST").body
            let due = dashboard.components(separatedBy: "id=\"tile-reports-due\"").last?.components(
                separatedBy: "</section>")[0]
            #expect(due?.contains("No report that you may see is due.") == true && due?.contains("Ambush") == false)
            // A partner can neither see nor add to it.
            let partner = try await signedIn(app, fixture.users[.partner]!)
            _ = try await partner.get("/operations/SDN-TEST")
            #expect(
                try await partner.post(location + "/reports", ["type": "update", "summary": "x"]).status == .notFound)
        }
    }

    @Test(
        "the reporter edits the incident; the edit is versioned; others may not", arguments: [TestDatabases.Kind.sqlite]
    )
    func edit(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let ns = try await signedIn(app, fixture.users[.nationalSocietyFocalPoint]!)
            _ = try await ns.get("/operations/SDN-TEST/incidents/new")
            let location = try #require(
                try await ns.post("/operations/SDN-TEST/incidents", form(["audience": "ifrc_ns"])).location)
            let editForm = try await ns.get(location + "/edit")
            #expect(editForm.status == .ok && editForm.body.contains("value=\"Ambush on the Jebel Awlia road\""))
            #expect(editForm.body.contains("name=\"casualties[kidnapped_national_male]\" value=\"1\""))
            #expect(
                try await ns.post(
                    location + "/edit",
                    form([
                        "audience": "ifrc_ns", "title": "Ambush near Jebel Awlia (corrected)",
                        "version": try await ns.editVersion(location + "/edit"),
                    ])
                ).status == .seeOther)
            #expect(try await ns.get(location).body.contains("Ambush near Jebel Awlia (corrected)"))
            #expect(
                try await ns.post(location + "/edit", form(["audience": "ifrc_ns", "title": ""])).status
                    == .unprocessableEntity)
            // Narrowing it to IFRC only would hide it from its own reporter: refused.
            #expect(try await ns.post(location + "/edit", form(["audience": "ifrc"])).status == .forbidden)
            // Another member who did not report it, without a coordinating role, may not edit it.
            let staff = try await signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get(location + "/edit").status == .forbidden)
            // The HeOps reads the version history: the title before and after.
            let heops = try await signedIn(app, fixture.users[.headOfOperations]!)
            let history = try await heops.get(location + "/audit")
            #expect(history.status == .ok)
            #expect(
                history.body.contains("Ambush on the Jebel Awlia road")
                    && history.body.contains("Ambush near Jebel Awlia (corrected)"))
        }
    }

    @Test("a bad report names every problem and stores nothing", arguments: [TestDatabases.Kind.sqlite])
    func badReport(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let staff = try await signedIn(app, fixture.users[.staff]!)
            _ = try await staff.get("/operations/SDN-TEST/incidents/new")
            let page = try await staff.post(
                "/operations/SDN-TEST/incidents",
                form([
                    "title": " ", "subtype": "collision", "occurred_at": "yesterday-ish", "latitude": "north",
                    "casualties[killed_national_male]": "-2", "follow_up[0][owner]": "",
                    "follow_up[1][due]": "31/12/2026",
                ]))
            #expect(page.status == .unprocessableEntity)
            for message in [
                "This field is required", "This kind does not belong to the chosen category.",
                "Use a date and time like 2026-11-23 14:30.", "Counts are whole numbers from 0 to 100,000.",
                "Every follow-up action needs an owner.", "Use a date like 2026-11-23.",
            ] {
                #expect(page.body.contains(message), "\(message)")
            }
            #expect(page.body.contains("value=\"north\""))  // what was typed is kept
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(app, fixture.users[.staff]!)))
            #expect(try await IncidentStore(app.db).list(in: scope, page: Paging(page: 1, perPage: 10)).total == 0)
        }
    }

    @Test(
        "the operation audit hides incidents the reader may not see, and a hidden reporter's name",
        arguments: [TestDatabases.Kind.sqlite])
    func audit(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let ns = try await signedIn(app, fixture.users[.nationalSocietyFocalPoint]!)
            _ = try await ns.get("/operations/SDN-TEST/incidents/new")
            #expect(
                try await ns.post(
                    "/operations/SDN-TEST/incidents",
                    form(["title": "Only mine and security's", "audience": "restricted"])
                ).status == .seeOther)
            let seen = try await ns.post(
                "/operations/SDN-TEST/incidents", form(["title": "Seen by the IFRC and NS", "audience": "ifrc_ns"]))
            #expect(seen.status == .seeOther)
            let seenHistory = try #require(seen.location) + "/audit"
            // A restricted site the security coordinator made, naming the HeOps but not staff.
            let coordinator = fixture.users[.securityCoordinator]!
            let safeHouse = try await SiteStore(app.db).create(
                try SiteDraft(
                    name: "Safe house Kassala", type: .residence, latitude: 15.45, longitude: 36.4,
                    audience: .restricted
                ).validated(),
                areaPcode: nil, grants: .init(roles: [.headOfOperations]), in: fixture.operation.id,
                actorID: coordinator.id, now: Date())
            // Security sees both, and who reported.
            let heops = try await signedIn(app, fixture.users[.headOfOperations]!)
            let full = try await heops.get("/operations/SDN-TEST/audit")
            #expect(full.body.contains("Only mine and security&#39;s") && full.body.contains("Seen by the IFRC and NS"))
            #expect(full.body.contains(fixture.users[.nationalSocietyFocalPoint]!.email))
            // The HeOps, named on the site, reads its entry: the site, its name and who made it.
            #expect(full.body.contains(safeHouse.id.uuidString) && full.body.contains("Safe house Kassala"))
            #expect(full.body.contains(coordinator.email))
            // An administrator who is staff in the operation reads the audit trail, but sees neither
            // the restricted incident's values nor the name of a reporter who asked to stay hidden.
            try await OperationStore(app.db).setMember(
                operationID: fixture.operation.id, userID: fixture.admin.id, role: .staff, actorID: fixture.admin.id,
                now: Date())
            let admin = try await signedIn(app, fixture.admin)
            let audit = try await admin.get("/operations/SDN-TEST/audit")
            #expect(audit.status == .ok)
            #expect(!audit.body.contains("Only mine and security"))
            #expect(audit.body.contains("Seen by the IFRC and NS"))
            // Nor the hidden incident's id: its entries say only that some incident changed.
            let securityScope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id,
                    for: try await fixture.viewer(app, fixture.users[.securityCoordinator]!)))
            let incidents = try await IncidentStore(app.db).list(in: securityScope, page: Paging(page: 1, perPage: 10))
            let hiddenID = try #require(incidents.items.first { $0.draft.title == "Only mine and security's" }?.id)
            #expect(full.body.contains(hiddenID.uuidString))
            #expect(!audit.body.contains(hiddenID.uuidString))
            #expect(!audit.body.contains(fixture.users[.nationalSocietyFocalPoint]!.email))
            #expect(audit.body.contains("Reporter not shown"))
            // Nor the restricted site the staff administrator may not see: not its id, its name, or who made it.
            #expect(!audit.body.contains(safeHouse.id.uuidString))
            #expect(!audit.body.contains("Safe house Kassala"))
            #expect(!audit.body.contains(coordinator.email))
            // The incident's own history page keeps the reporter unnamed too.
            let history = try await admin.get(seenHistory)
            #expect(history.status == .ok && history.body.contains("Seen by the IFRC and NS"))
            #expect(
                !history.body.contains(fixture.users[.nationalSocietyFocalPoint]!.email)
                    && history.body.contains("Reporter not shown"))
            #expect(try await heops.get(seenHistory).body.contains(fixture.users[.nationalSocietyFocalPoint]!.email))
            #expect(audit.body.contains("incident"))
        }
    }
}

@Suite("The incident report on a phone")
struct IncidentReportFieldTests {
    @Test(
        "staff's form leaves out the coordinator's fields and they cannot be posted; areas are picked by name; the emergency numbers dial",
        arguments: [TestDatabases.Kind.sqlite])
    func reporting(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let staff = Browser(app)
            #expect(try await staff.signIn(fixture.users[.staff]!.email, Fixture.password).status == .seeOther)
            let coordinator = Browser(app)
            #expect(
                try await coordinator.signIn(fixture.users[.securityCoordinator]!.email, Fixture.password).status
                    == .seeOther)
            // No numbers yet: the coordinator is told where to set them; staff see no empty promise.
            let unset = try await coordinator.get("/operations/SDN-TEST/incidents/new")
            #expect(unset.body.contains("id=\"emergency-numbers-unset\""))
            #expect(!(try await staff.get("/operations/SDN-TEST/incidents/new")).body.contains("emergency-numbers"))
            _ = try await coordinator.get("/operations/SDN-TEST/security-settings")
            #expect(
                try await coordinator.post(
                    "/operations/SDN-TEST/security-settings",
                    [
                        "key": "emergency_contacts",
                        "json": #"[{"name": "GSU 24/7", "phone": "+41 22 730 4222"}]"#,
                    ]
                ).status == .seeOther)
            let bad = try await coordinator.post(
                "/operations/SDN-TEST/security-settings",
                ["key": "emergency_contacts", "json": #"[{"name": "GSU", "phone": "call me"}]"#])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("is not a phone number"))

            let form = try await staff.get("/operations/SDN-TEST/incidents/new")
            #expect(form.body.contains("<a class=\"button\" href=\"tel:+41227304222\"><bdi>GSU 24/7</bdi>"))
            #expect(!form.body.contains("name=\"verification\"") && !form.body.contains("name=\"source\""))
            #expect(form.body.contains("<select id=\"area_pcode\" name=\"area_pcode\">"))
            #expect(form.body.contains("data-category=\"crime\"") && form.body.contains("id=\"locate\" hidden"))
            #expect(!form.body.contains("placeholder=\"15.5007\""))
            let coordinatorForm = try await coordinator.get("/operations/SDN-TEST/incidents/new")
            #expect(coordinatorForm.body.contains("name=\"verification\""))

            // Staff who post a verification anyway get an unverified staff report; their edit keeps
            // what security set.
            let created = try await staff.post(
                "/operations/SDN-TEST/incidents",
                [
                    "title": "Stone thrown at a vehicle", "category": "property_attack", "subtype": "vandalism",
                    "occurred_at": DateText.formTime(Date().addingTimeInterval(-3600)), "latitude": "15.5",
                    "longitude": "32.5", "severity": "low", "audience": "ifrc", "verification": "verified",
                    "source": "media",
                ])
            #expect(created.status == .seeOther)
            let id = try #require(created.location?.split(separator: "/").last.map(String.init))
            let scope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(app, fixture.users[.securityCoordinator]!)))
            let store = IncidentStore(app.db)
            var stored = try #require(try await store.find(IncidentID(UUID(uuidString: id)!), in: scope))
            #expect(stored.draft.verification == .unverified && stored.draft.source == .staffReport)
            var judged = stored.draft
            judged.verification = .verified
            judged.source = .officialReport
            _ = try await store.update(
                stored.id, with: judged, scope: scope, actorID: fixture.users[.securityCoordinator]!.id,
                expecting: EditVersion.token(stored.updatedAt), now: Date())
            let edit = try await staff.get("/operations/SDN-TEST/incidents/\(id)/edit")
            let version = try #require(
                edit.body.components(separatedBy: "name=\"version\" value=\"").last?.prefix { $0 != "\"" })
            #expect(
                try await staff.post(
                    "/operations/SDN-TEST/incidents/\(id)/edit",
                    [
                        "title": "Stone thrown at a vehicle, windscreen broken", "category": "property_attack",
                        "subtype": "vandalism", "occurred_at": DateText.formTime(stored.draft.occurredAt),
                        "latitude": "15.5", "longitude": "32.5", "severity": "low", "audience": "ifrc",
                        "version": String(version), "verification": "disputed",
                    ]
                ).status == .seeOther)
            stored = try #require(try await store.find(stored.id, in: scope))
            #expect(stored.draft.title.hasSuffix("windscreen broken"))
            #expect(stored.draft.verification == .verified && stored.draft.source == .officialReport)
        }
    }
}
