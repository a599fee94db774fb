import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// For every role × audience level × kind of access (page, list, search, map, export, API list,
/// API record), a site is visible exactly when the access policy says so.
@Suite("Access matrix over HTTP")
struct AccessMatrixHTTPTests {
    /// Every member role, an administrator who is not a member and an outsider, each signed in
    /// with a browser and holding an API token.
    static func everyone(_ app: Application, _ fixture: Fixture) async throws
        -> [(label: String, viewer: Viewer, browser: Browser, auth: HTTPHeaders)]
    {
        var people = fixture.users.map { ($0.key.rawValue, $0.value) }
        people.append(("admin (not a member)", fixture.admin))
        people.append(("outsider", fixture.outsider))
        var signedIn: [(label: String, viewer: Viewer, browser: Browser, auth: HTTPHeaders)] = []
        for (label, user) in people {
            let browser = Browser(app)
            #expect(try await browser.signIn(user.email, Fixture.password).status == .seeOther)
            let token = try await TokenStore(app.db).create(
                userID: user.id, name: "test", expiresAt: Date() + 86_400, now: Date()
            ).secret
            signedIn.append((label, try await fixture.viewer(app, user), browser, ["Authorization": "Bearer \(token)"]))
        }
        return signedIn
    }

    /// What the operation's audit trail (`/operations/{code}/audit`, `AdminController.operationAudit`)
    /// answers `viewer`: the page to those who may read it, 403 to other members, and 404 to whoever
    /// may not see the operation at all (`OperationContext.load`).
    static func auditStatus(_ operationID: OperationID, _ viewer: Viewer) -> HTTPStatus {
        if AccessPolicy.canReadAudit(of: operationID, by: viewer) { return .ok }
        return AccessPolicy.canViewOperation(operationID, by: viewer) ? .forbidden : .notFound
    }

    /// What a record's history (`…/{id}/audit`, `AdminController.recordAudit`) answers: as the trail,
    /// then 404 when the record is hidden from the reader (an administrator who is not a member has
    /// no scope, so sees no record).
    static func historyStatus(_ operationID: OperationID, _ viewer: Viewer, visible: Bool) -> HTTPStatus {
        let trail = auditStatus(operationID, viewer)
        return trail == .ok && !visible ? .notFound : trail
    }

    @Test("nothing leaks through pages, lists, search, the map, or the API", arguments: TestDatabases.kinds)
    func matrix(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let creator = fixture.users[.securityCoordinator]!
            var sites: [(row: SiteRecord, access: RecordAccess)] = []
            for level in AudienceLevel.allCases {
                let draft = try SiteDraft(
                    name: "Matrix [\(level.rawValue)]", type: .office, latitude: 15.5, longitude: 32.5, audience: level
                ).validated()
                let grants = level == .restricted ? SiteStore.Grants(roles: [.staff]) : SiteStore.Grants()
                let row = try await SiteStore(app.db).create(
                    draft, areaPcode: nil, grants: grants, in: fixture.operation.id, actorID: creator.id, now: Date())
                sites.append((row, try await SiteStore(app.db).access(of: row)))
            }
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture) {
                let list = try await browser.get("/operations/SDN-TEST/sites")
                let search = try await browser.get("/operations/SDN-TEST/sites?q=matrix")
                let map = try await browser.get("/operations/SDN-TEST/map.svg")
                let dashboard = try await browser.get("/operations/SDN-TEST")
                let details = try await browser.get("/operations/SDN-TEST/about")
                let apiList = try await browser.get("/api/v1/operations/SDN-TEST/sites?per_page=200", headers: auth)
                // Members' e-mail addresses: inside the Movement, not to partners.
                let contacts = AccessPolicy.canSeeMemberContacts(in: fixture.operation.id, by: viewer)
                // The operation itself is seen by its members and administrators; others get 404.
                #expect(
                    dashboard.status
                        == (AccessPolicy.canViewOperation(fixture.operation.id, by: viewer)
                            ? .ok : .notFound),
                    "dashboard for \(label)")
                #expect(details.status == dashboard.status, "details for \(label)")
                if dashboard.status == .ok {
                    #expect(
                        details.body.contains(fixture.users[.securityCoordinator]!.email) == contacts,
                        "member e-mails for \(label)")
                    #expect(!dashboard.body.contains("@"), "no e-mail on the dashboard for \(label)")
                }
                for site in sites {
                    let visible = AccessPolicy.canView(site.access, by: viewer)
                    let what = "\(label) / \(site.row.audience)"
                    let page = try await browser.get("/operations/SDN-TEST/sites/\(site.row.id.uuidString)")
                    #expect(page.status == (visible ? .ok : .notFound), "page \(what)")
                    #expect(list.body.contains(site.row.name) == visible, "list \(what)")
                    #expect(search.body.contains(site.row.name) == visible, "search \(what)")
                    #expect(map.body.contains("data-site-id=\"\(site.row.id.uuidString)\"") == visible, "map \(what)")
                    #expect(
                        details.body.contains("data-site-id=\"\(site.row.id.uuidString)\"") == visible,
                        "details map \(what)")
                    #expect(apiList.body.contains(site.row.id.uuidString) == visible, "API list \(what)")
                    let apiShow = try await browser.get(
                        "/api/v1/operations/SDN-TEST/sites/\(site.row.id.uuidString)", headers: auth)
                    #expect(apiShow.status == (visible ? .ok : .notFound), "API record \(what)")
                    // The site's history, and its security assessments: nothing of a hidden site.
                    let sitePath = "/operations/SDN-TEST/sites/\(site.row.id.uuidString)"
                    let history = try await browser.get(sitePath + "/audit")
                    #expect(
                        history.status
                            == Self.historyStatus(fixture.operation.id, viewer, visible: visible),
                        "history \(what)")
                    #expect(visible || !history.body.contains(site.row.name), "history's name \(what)")
                    // The new-assessment form: the site first (404), then the right to assess (403).
                    let assessing = AccessPolicy.canAssessSites(in: fixture.operation.id, by: viewer)
                    #expect(
                        try await browser.get(sitePath + "/assessments/new").status
                            == (visible ? (assessing ? .ok : .forbidden) : .notFound),
                        "new assessment form \(what)")
                    if !visible {
                        // Posting an assessment of a hidden site answers as for a site that does not exist.
                        _ = try await browser.get("/")
                        let assessment = try await browser.post(sitePath + "/assessments", ["kind": "office"])
                        #expect(assessment.status == .notFound, "assessment of a hidden site \(what)")
                        let missing = try await browser.post(
                            "/operations/SDN-TEST/sites/\(UUID().uuidString)/assessments", ["kind": "office"])
                        #expect(missing.status == assessment.status, "hidden as if missing \(what)")
                    }
                }
            }
            // Hand-written spot checks of the matrix.
            let partner = try await fixture.viewer(app, fixture.users[.partner]!)
            #expect(sites.filter { AccessPolicy.canView($0.access, by: partner) }.map(\.row.audience) == ["public"])
            let staff = try await fixture.viewer(app, fixture.users[.staff]!)
            #expect(sites.filter { AccessPolicy.canView($0.access, by: staff) }.count == 5)
        }
    }

    @Test(
        "no incident leaks through its page, the list, the dashboard, the reports due, the history, the analysis, the map, the exports or the API",
        arguments: TestDatabases.kinds)
    func incidents(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let reporter = fixture.users[.nationalSocietyFocalPoint]!
            // Every incident has a follow-up action, so ticking one off can be tried on each.
            let followUp = IncidentDraft.FollowUpAction(action: "Check the compound gate", owner: "Logistics")
            var incidents: [IncidentRecord] = []
            for level in AudienceLevel.allCases where level != .ifrcOnly {  // an NS focal point cannot report IFRC-only
                let draft = try IncidentDraft(
                    title: "Incident matrix [\(level.rawValue)]", category: .crime, subtype: .theft,
                    occurredAt: Date().addingTimeInterval(-600),
                    latitude: 15.5, longitude: 32.5, areaPcode: "SD01", followUpActions: [followUp],
                    reporterHidden: true, audience: level
                ).validated(now: Date())
                incidents.append(
                    try await IncidentStore(app.db).create(
                        draft, reporterID: reporter.id, in: fixture.operation.id, actorID: reporter.id, now: Date()))
            }
            let coordinator = fixture.users[.securityCoordinator]!
            incidents.append(
                try await IncidentStore(app.db).create(
                    try IncidentDraft(
                        title: "Incident matrix [ifrc]", category: .crime, occurredAt: Date().addingTimeInterval(-600),
                        latitude: 15.6, longitude: 32.4, areaPcode: "SD01", followUpActions: [followUp],
                        audience: .ifrcOnly
                    ).validated(now: Date()),
                    reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id, now: Date()))
            // The HeOps sees every incident here (cleared for IFRC-only, named on restricted ones): what
            // the write attempts below are read back through.
            let everything = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id,
                    for: try await fixture.viewer(app, fixture.users[.headOfOperations]!)))
            for incident in incidents {
                #expect(try await IncidentStore(app.db).find(incident.id, in: everything) != nil)
            }
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture) {
                let list = try await browser.get("/operations/SDN-TEST/incidents")
                let dashboard = try await browser.get("/operations/SDN-TEST")
                let details = try await browser.get("/operations/SDN-TEST/about")
                let due = try await browser.get("/operations/SDN-TEST/incidents/due")
                let audit = try await browser.get("/operations/SDN-TEST/audit")
                let apiList = try await browser.get("/api/v1/operations/SDN-TEST/incidents?per_page=200", headers: auth)
                // The analysis, the map and the exports, on the web and through the API.
                let analysisPage = try await browser.get("/operations/SDN-TEST/incidents/analysis")
                let mapPage = try await browser.get("/operations/SDN-TEST/incidents/map")
                let csv = try await browser.get("/operations/SDN-TEST/incidents/export?format=csv")
                let apiAnalysis = try await browser.get("/api/v1/operations/SDN-TEST/incidents/analysis", headers: auth)
                let apiExport = try await browser.get(
                    "/api/v1/operations/SDN-TEST/incidents/export?format=geojson", headers: auth)
                let visibleCount = incidents.filter { AccessPolicy.canView($0.access, by: viewer) }.count
                // The trail answers as `auditStatus` says, so its checks below cannot quietly be skipped.
                #expect(audit.status == Self.auditStatus(fixture.operation.id, viewer), "audit \(label)")
                if viewer.role(in: fixture.operation.id) == nil {
                    for (name, page) in [
                        ("reports due", due), ("analysis", analysisPage), ("map", mapPage), ("export", csv),
                        ("API analysis", apiAnalysis), ("API export", apiExport),
                    ] {
                        #expect(page.status == .notFound, "\(name) for \(label)")
                    }
                } else {
                    #expect(
                        due.body.contains("<p id=\"reports-due-count\">Reports due: \(visibleCount),"),
                        "reports-due count for \(label)")
                    // Those who see part of the records get their count without a comparison, and no
                    // map of zeros.
                    let partial = AccessPolicy.seesPartialPicture(in: fixture.operation.id, by: viewer)
                    #expect(
                        analysisPage.body.contains(
                            partial
                                ? ">\(visibleCount) incidents that you may see in this period."
                                : ">\(visibleCount) incidents in this period;"),
                        "analysis count for \(label)")
                    #expect(partial != analysisPage.body.contains("Period before"), "comparison for \(label)")
                    #expect(
                        partial && visibleCount == 0
                            ? mapPage.body.contains("id=\"map-none\"") && !mapPage.body.contains("<svg")
                            : mapPage.body.contains(">\(visibleCount) incidents, each shown where it happened."),
                        "map count for \(label)")
                    let report = try #require(
                        try JSONSerialization.jsonObject(with: Data(apiAnalysis.body.utf8)) as? [String: Any])
                    #expect(report["total"] as? Int == visibleCount, "API analysis total for \(label)")
                    let warnings = ((report["early_warning"] as? [String: Any])?["areas"] as? [[String: Any]]) ?? []
                    #expect(
                        warnings.reduce(0) { $0 + ($1["recent"] as? Int ?? 0) } == visibleCount,
                        "early warning counts for \(label)")
                    let features =
                        (try JSONSerialization.jsonObject(with: Data(apiExport.body.utf8)) as? [String: Any])?[
                            "features"] as? [Any]
                    #expect(features?.count == visibleCount, "API export rows for \(label)")
                    #expect(csv.body.split(separator: "\r\n").count == visibleCount + 1, "CSV export rows for \(label)")
                }
                for incident in incidents {
                    let visible = AccessPolicy.canView(incident.access, by: viewer)
                    let what = "\(label) / \(incident.draft.audience.rawValue)"
                    let path = "/operations/SDN-TEST/incidents/\(incident.id.uuidString)"
                    #expect(try await browser.get(path).status == (visible ? .ok : .notFound), "page \(what)")
                    #expect(try await browser.get(path + "/edit").status != .ok || visible, "edit page \(what)")
                    #expect(list.body.contains(incident.draft.title) == visible, "list \(what)")
                    // Never on the dashboard unless visible; where the role has the reports-due tile, there.
                    let onDashboard = dashboard.body.contains(incident.draft.title)
                    #expect(!onDashboard || visible, "dashboard \(what)")
                    if viewer.role(in: fixture.operation.id).map(DashboardTile.tiles(for:))?.contains(.reportsDue)
                        == true
                    {
                        #expect(onDashboard == visible, "dashboard's reports due \(what)")
                    }
                    #expect(due.body.contains(incident.draft.title) == visible, "reports-due page \(what)")
                    #expect(apiList.body.contains(incident.id.uuidString) == visible, "API list \(what)")
                    #expect(csv.body.contains(incident.draft.title) == visible, "CSV export \(what)")
                    #expect(apiExport.body.contains(incident.draft.title) == visible, "API export \(what)")
                    #expect(
                        mapPage.body.contains("data-site-id=\"\(incident.id.uuidString)\"") == visible, "map \(what)")
                    let apiShow = try await browser.get(
                        "/api/v1/operations/SDN-TEST/incidents/\(incident.id.uuidString)", headers: auth)
                    #expect(apiShow.status == (visible ? .ok : .notFound), "API record \(what)")
                    // The audit trail is for the HeOps and administrators; values only of what they may see.
                    if audit.status == .ok {
                        #expect(!audit.body.contains(incident.draft.title) || visible, "audit \(what)")
                        #expect(!audit.body.contains(incident.id.uuidString) || visible, "audit's record id \(what)")
                    }
                    // The timeline through the API and the history page: requested for hidden incidents too.
                    let timeline = try await browser.get(
                        "/api/v1/operations/SDN-TEST/incidents/\(incident.id.uuidString)/reports", headers: auth)
                    #expect(timeline.status == (visible ? .ok : .notFound), "API reports \(what)")
                    let history = try await browser.get(path + "/audit")
                    #expect(
                        history.status == Self.historyStatus(fixture.operation.id, viewer, visible: visible),
                        "history \(what)")
                    #expect(history.status != .ok || visible, "history of a hidden incident \(what)")
                    #expect(visible || !timeline.body.contains(incident.draft.title), "title in API reports \(what)")
                    #expect(visible || !history.body.contains(incident.draft.title), "title in history \(what)")
                    // A hidden reporter is named only to security roles (and the reporter).
                    if visible {
                        let page = try await browser.get(path)
                        let seesReporter = AccessPolicy.canSeeReporter(
                            of: incident.access, reporterID: incident.reporterID,
                            hidden: incident.draft.reporterHidden, by: viewer)
                        let reporterName =
                            incident.reporterID == reporter.id ? reporter.displayName : coordinator.displayName
                        #expect(page.body.contains(">\(reporterName)<") == seesReporter, "reporter on page \(what)")
                        // Who reported, by id in the API and by e-mail in the history, on every path.
                        let identity = incident.reporterID == reporter.id ? reporter : coordinator
                        func names(_ body: String) -> Bool {
                            body.contains(identity.id.uuidString) || body.contains(identity.email)
                        }
                        #expect(names(apiShow.body) == seesReporter, "API record's reporter \(what)")
                        #expect(timeline.status == .ok)
                        #expect(names(timeline.body) == seesReporter, "API reports' author \(what)")
                        if history.status == .ok {
                            #expect(names(history.body) == seesReporter, "history's actor \(what)")
                        }
                        #expect(!names(csv.body) && !names(apiExport.body), "exports never name a reporter \(what)")
                    } else {
                        // Changing an incident one may not see: the status, a report, a follow-up action.
                        // Each answers as for an incident that does not exist, and nothing is written.
                        _ = try await browser.get("/")
                        let missing = "/operations/SDN-TEST/incidents/\(UUID().uuidString)"
                        let writes: [(suffix: String, form: [String: String])] = [
                            ("/status", ["status": IncidentStatus.verified.rawValue]),
                            ("/reports", ["type": IncidentReportType.update.rawValue, "summary": "Written blind"]),
                            ("/actions/0/done", ["done": "yes"]),
                        ]
                        for (suffix, form) in writes {
                            let answer = try await browser.post(path + suffix, form)
                            #expect(answer.status == .notFound, "POST \(suffix) \(what)")
                            #expect(
                                try await browser.post(missing + suffix, form).status == answer.status,
                                "POST \(suffix) answers as if missing \(what)")
                        }
                        let stored = try #require(try await IncidentStore(app.db).find(incident.id, in: everything))
                        #expect(stored.status == .reported, "status unchanged \(what)")
                        #expect(stored.draft.followUpActions.map(\.done) == [false], "action not ticked \(what)")
                        #expect(
                            try await IncidentStore(app.db).reports(of: incident.id).count == 1,
                            "no report added \(what)")
                        let entries = try await AuditStore(app.db).entries(
                            recordKind: "incident", recordID: incident.id.uuidString)
                        #expect(entries.count == 1, "no change audited \(what)")
                    }
                }
            }
            // Hand-written spot checks: a partner sees only the public one; security sees the restricted one.
            let partner = try await fixture.viewer(app, fixture.users[.partner]!)
            #expect(
                incidents.filter { AccessPolicy.canView($0.access, by: partner) }.map(\.draft.audience) == [.public])
            let security = try await fixture.viewer(app, coordinator)
            #expect(incidents.filter { AccessPolicy.canView($0.access, by: security) }.count == 5)
            let staff = try await fixture.viewer(app, fixture.users[.staff]!)
            #expect(
                !incidents.filter { AccessPolicy.canView($0.access, by: staff) }.contains {
                    $0.draft.audience == .restricted
                })
        }
    }

    @Test(
        "no risk leaks through the register, its heat map, its page, its history, the what-changed view, a report, an incident's page or the audit trail",
        arguments: TestDatabases.kinds)
    func risks(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = fixture.users[.securityCoordinator]!
            let store = RiskStore(app.db)
            let incident = try await IncidentStore(app.db).create(
                try IncidentDraft(
                    title: "Public incident", category: .crime, occurredAt: Date().addingTimeInterval(-600),
                    areaPcode: "SD01",
                    audience: .public
                ).validated(now: Date()),
                reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id, now: Date())
            let securityScope = try #require(
                AccessPolicy.scope(in: fixture.operation.id, for: try await fixture.viewer(app, coordinator))
            )
            var risks: [RiskRecord] = []
            for level in AudienceLevel.allCases {
                let draft = try RiskDraft(
                    title: "Risk matrix [\(level.rawValue)]", threat: "crime", targets: [.people], likelihood: 3,
                    impact: 3,
                    nextReview: Date().addingTimeInterval(86_400 * 30), audience: level
                ).validated(now: Date())
                let risk = try await store.create(
                    draft, in: fixture.operation.id, matrix: .srm, actorID: coordinator.id, now: Date())
                _ = try await store.link(
                    risk.id, toIncidentNumber: incident.number, scope: securityScope, actorID: coordinator.id,
                    now: Date())
                risks.append(risk)
            }
            let report = try await store.issueReport(
                since: Date().addingTimeInterval(-86_400), recommendations: "Recommendations [public]",
                audience: .public, in: fixture.operation.id, actorID: coordinator.id, now: Date())
            for (label, viewer, browser, _) in try await Self.everyone(app, fixture) {
                let member = viewer.role(in: fixture.operation.id) != nil
                let register = try await browser.get("/operations/SDN-TEST/risks")
                // Since yesterday: by default the view starts at the last report, issued after the risks.
                let changes = try await browser.get(
                    "/operations/SDN-TEST/risks/changes?since=\(DateText.day(Date().addingTimeInterval(-86_400)))")
                let reportPage = try await browser.get("/operations/SDN-TEST/risks/reports/\(report.id.uuidString)")
                let incidentPage = try await browser.get("/operations/SDN-TEST/incidents/\(incident.id.uuidString)")
                let audit = try await browser.get("/operations/SDN-TEST/audit")
                for page in [register, changes, reportPage, incidentPage] {
                    #expect(page.status == (member ? .ok : .notFound), "\(label)")
                }
                #expect(audit.status == Self.auditStatus(fixture.operation.id, viewer), "audit \(label)")
                let managesRisks = AccessPolicy.canManageRisks(in: fixture.operation.id, by: viewer)
                _ = try await browser.get("/")
                let visibleCount = risks.filter { AccessPolicy.canView($0.access, by: viewer) }.count
                if member {
                    #expect(register.body.contains("Risks: \(visibleCount)"), "register count for \(label)")
                    #expect(
                        register.body.contains(
                            "data-likelihood=\"3\" data-impact=\"3\" data-count=\"\(visibleCount)\""),
                        "heat map for \(label)")
                }
                for risk in risks {
                    let visible = AccessPolicy.canView(risk.access, by: viewer)
                    let what = "\(label) / \(risk.draft.audience.rawValue)"
                    let path = "/operations/SDN-TEST/risks/\(risk.id.uuidString)"
                    #expect(try await browser.get(path).status == (visible ? .ok : .notFound), "page \(what)")
                    let history = try await browser.get(path + "/audit")
                    #expect(history.status == .ok ? visible : true, "history \(what)")
                    #expect(
                        history.status == Self.historyStatus(fixture.operation.id, viewer, visible: visible),
                        "history's status \(what)")
                    #expect(register.body.contains(risk.draft.title) == visible, "register \(what)")
                    #expect(changes.body.contains(risk.draft.title) == visible, "what changed \(what)")
                    #expect(reportPage.body.contains(risk.draft.title) == visible, "report \(what)")
                    #expect(incidentPage.body.contains(risk.draft.title) == visible, "incident page \(what)")
                    if audit.status == .ok {
                        #expect(!audit.body.contains(risk.draft.title) || visible, "audit \(what)")
                        #expect(!audit.body.contains(risk.id.uuidString) || visible, "audit's record id \(what)")
                    }
                    if !visible {
                        // Closing a risk one may not see. `RiskController.close` asks for the right to manage
                        // risks before it looks the risk up: members without it get 403 whatever the id,
                        // those without a scope 404; either way the answer is the one for a missing risk.
                        let closing = ["closing_note": "Closed blind"]
                        let answer = try await browser.post(path + "/close", closing)
                        #expect(
                            answer.status == (member && !managesRisks ? .forbidden : .notFound), "close \(what)")
                        #expect(
                            try await browser.post(
                                "/operations/SDN-TEST/risks/\(UUID().uuidString)/close", closing
                            ).status == answer.status,
                            "close answers as if missing \(what)")
                        let stored = try #require(try await store.find(risk.id, in: securityScope))
                        #expect(stored.closedAt == nil && stored.closingNote == nil, "still open \(what)")
                        let entries = try await AuditStore(app.db).entries(
                            recordKind: "risk", recordID: risk.id.uuidString)
                        #expect(entries.count == 2, "only its creation and its link audited \(what)")
                    }
                }
            }
        }
    }

    @Test("a partner cannot create or change sites; a coordinator can", arguments: TestDatabases.kinds)
    func changing(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let form = [
                "name": "Partner office", "type": "office", "latitude": "15.5", "longitude": "32.5",
                "audience": "public",
            ]
            let partner = Browser(app)
            _ = try await partner.signIn(fixture.users[.partner]!.email, Fixture.password)
            _ = try await partner.get("/operations/SDN-TEST")
            #expect(try await partner.post("/operations/SDN-TEST/sites", form).status == .forbidden)
            let coordinator = Browser(app)
            _ = try await coordinator.signIn(fixture.users[.migrationCoordinator]!.email, Fixture.password)
            _ = try await coordinator.get("/operations/SDN-TEST/sites/new")
            let created = try await coordinator.post("/operations/SDN-TEST/sites", form)
            #expect(created.status == .seeOther)
            let id = try #require(created.location?.split(separator: "/").last.map(String.init))
            _ = try await partner.get("/operations/SDN-TEST")
            #expect(try await partner.post("/operations/SDN-TEST/sites/\(id)/delete", [:]).status == .forbidden)
            #expect(try await partner.get("/operations/SDN-TEST/sites/\(id)").status == .ok)

            // A restricted site names roles through the form's checkboxes.
            let restricted = try await coordinator.post(
                "/operations/SDN-TEST/sites",
                [
                    "name": "Safe house", "type": "residence", "latitude": "15.5", "longitude": "32.5",
                    "audience": "restricted",
                    "grant_roles[]": "partner",
                ])
            let restrictedID = try #require(restricted.location?.split(separator: "/").last.map(String.init))
            #expect(
                try await partner.get("/operations/SDN-TEST/sites/\(restrictedID)").status == .ok, "named role sees it")
            let staff = Browser(app)
            _ = try await staff.signIn(fixture.users[.staff]!.email, Fixture.password)
            #expect(
                try await staff.get("/operations/SDN-TEST/sites/\(restrictedID)").status == .notFound,
                "unnamed role does not")
            // The edit form shows the named roles ticked, so saving it keeps them.
            let edit = try await coordinator.get("/operations/SDN-TEST/sites/\(restrictedID)/edit")
            #expect(edit.body.contains(#"value="partner" checked"#))
            #expect(!edit.body.contains(#"value="staff" checked"#))
        }
    }

    /// The colleague's number (+249 91 777 8888) as a page may print it: E.164 in a link, or grouped.
    /// Not "777" alone, which a random id or token may hold.
    static func showsColleaguePhone(_ body: String) -> Bool {
        body.contains("+249917778888") || body.contains("917 778 888")
    }

    @Test(
        "the personnel register: keepers reach everyone, a member only their own record, partners and outsiders nothing, on every page, export, roll-call and API path",
        arguments: TestDatabases.kinds)
    func personnel(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, office) = try await PeoplePageTests.setUp(app)
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
            let store = PersonStore(app.db)
            // A colleague with no account, and a record of their own for every member but the partner.
            let colleague = try await store.create(
                try PersonDraft(
                    fullName: "Colleague Amira", category: .ifrcStaff,
                    phones: [PhoneNumber(kind: .mobile, reading: "+249 91 777 8888", country: nil)]
                ).validated(), scope: keeper, now: Date())
            _ = try await store.confirmLocation(
                of: colleague.id, place: .site(office.id), areaPcode: nil, source: .radioRoom, note: "", scope: keeper,
                now: Date())
            var own: [UserID: PersonID] = [:]
            for (role, user) in fixture.users where role != .partner {
                own[user.id] =
                    try await store.create(
                        try PersonDraft(fullName: "Own \(role.rawValue)", category: .delegate, userID: user.id)
                            .validated(),
                        scope: keeper, now: Date()
                    ).id
            }
            let call = try await RollCallStore(app.db).open(
                areaPcode: "SD11", reason: "Matrix", scope: keeper, now: Date())
            // A movement of the colleague's (briefed and trained, so approved): visible to keepers, not to other members.
            _ = try await ReadinessStore(app.db).recordBriefing(
                Briefing(kind: .arrival, givenAt: Date(), givenBy: "SO"), for: colleague.id, scope: keeper, now: Date())
            try await ReadinessStore(app.db).recordTraining(
                TrainingRecord(course: "stay_safe_personal", completedOn: Date(), expiresOn: nil, evidence: ""),
                for: colleague.id, scope: keeper, now: Date())
            let trip = try MovementDraft(
                purpose: "Matrix trip", passengers: [colleague.id],
                route: [RoutePoint(site: office.id), RoutePoint(area: "SD11")], departureAt: Date(),
                expectedArrivalAt: Date().addingTimeInterval(3_600)
            ).validated()
            let movement = try await MovementStore(app.db).request(
                trip, decision: try await MovementService.decide(trip, areas: ["SD11"], scope: keeper, on: app.db),
                routeAreas: ["SD11"], scope: keeper, now: Date())
            let code = "/operations/SDN-TEST"
            let everyone = try await Self.everyone(app, fixture)
            for (label, viewer, browser, auth) in everyone {
                let reach = AccessPolicy.personnelReach(in: fixture.operation.id, by: viewer, isNamedFocalPoint: false)
                let member = viewer.role(in: fixture.operation.id) != nil
                // What a page answers: keepers' pages to keepers; 403 to other members; 404 to non-members.
                let keepersPage: HTTPStatus = reach == .everyone ? .ok : member ? .forbidden : .notFound
                for path in [
                    "/people/new", "/people/headcount", "/people/contacts", "/people/export?format=csv",
                    "/people/export?format=vcf", "/roll-calls/\(call.id.uuidString)", "/people/readiness",
                    "/people/sessions", "/people/relocation?area=SD11",
                ] {
                    let page = try await browser.get(code + path)
                    #expect(page.status == keepersPage, "\(path) for \(label)")
                    #expect(reach == .everyone || !page.body.contains("Colleague Amira"), "\(path) body for \(label)")
                }
                let register = try await browser.get(code + "/people")
                #expect(
                    register.status
                        == (reach == .everyone ? .ok : reach == .own ? .seeOther : member ? .forbidden : .notFound),
                    "register for \(label)")
                #expect(register.body.contains("Colleague Amira") == (reach == .everyone), "register body for \(label)")
                #expect(Self.showsColleaguePhone(register.body) == (reach == .everyone), "register phone for \(label)")
                let colleaguePage = try await browser.get(code + "/people/\(colleague.id.uuidString)")
                #expect(
                    colleaguePage.status
                        == (reach == .everyone ? .ok : reach == .own ? .notFound : member ? .forbidden : .notFound),
                    "colleague for \(label)")
                // Movements: the board and the request form to every member who reaches the register
                // (a member sees the movements they travel on); the colleague's movement to keepers.
                let reaches: HTTPStatus = reach == PersonnelReach.none ? (member ? .forbidden : .notFound) : .ok
                let board = try await browser.get(code + "/movements")
                #expect(board.status == reaches, "movements for \(label)")
                #expect(board.body.contains("Matrix trip") == (reach == .everyone), "movements body for \(label)")
                #expect(try await browser.get(code + "/movements/new").status == reaches, "new movement for \(label)")
                let trip = try await browser.get(code + "/movements/\(movement.id.uuidString)")
                #expect(
                    trip.status == (reach == .everyone ? .ok : reach == .own ? .notFound : reaches),
                    "movement for \(label)")
                _ = try await browser.get("/")
                let checkIn = try await browser.post(
                    code + "/movements/\(movement.id.uuidString)/check-ins", ["check_in": "departed"])
                #expect(
                    (checkIn.status == .seeOther) == (reach == .everyone) && checkIn.status.code < 500,
                    "check-in for \(label)")
                let apiMovements = try await browser.get("/api/v1\(code)/movements", headers: auth)
                #expect(apiMovements.status == reaches, "API movements for \(label)")
                #expect(
                    apiMovements.body.contains("Matrix trip") == (reach == .everyone), "API movements body for \(label)"
                )
                let me = try await browser.get(code + "/people/me")
                #expect(
                    me.status == (reach == PersonnelReach.none ? (member ? .forbidden : .notFound) : .ok),
                    "me for \(label)")
                #expect(
                    !me.body.contains("Colleague Amira") && !Self.showsColleaguePhone(me.body), "me body for \(label)")
                if let mine = own[viewer.userID] {
                    #expect(
                        try await browser.get(code + "/people/\(mine.uuidString)").status == .ok, "own for \(label)")
                }
                let dashboard = try await browser.get(code)
                #expect(
                    !dashboard.body.contains("Colleague Amira") && !Self.showsColleaguePhone(dashboard.body),
                    "dashboard for \(label)")
                #expect(
                    dashboard.body.contains("id=\"tile-people\"") == (reach != PersonnelReach.none), "tile for \(label)"
                )
                // Writing: another's location, a person, a roll-call answer, a focal point.
                _ = try await browser.get("/")
                let moved = try await browser.post(
                    code + "/people/\(colleague.id.uuidString)/location", ["area": "SD11"])
                #expect(
                    moved.status
                        == (reach == .everyone
                            ? .seeOther : reach == .own ? .notFound : member ? .forbidden : .notFound),
                    "location for \(label)")
                let added = try await browser.post(code + "/people", ["full_name": "Intruder", "category": "visitor"])
                #expect((added.status == .seeOther) == (reach == .everyone), "add for \(label)")
                let answered = try await browser.post(
                    code + "/roll-calls/\(call.id.uuidString)/answers",
                    ["person": colleague.id.uuidString, "answer": "safe"])
                #expect((answered.status == .seeOther) == (reach == .everyone), "answer for \(label)")
                let naming = try await browser.post(
                    code + "/people/focal-points", ["user": fixture.users[.staff]!.id.uuidString, "named": "no"])
                #expect(
                    (naming.status == .seeOther)
                        == AccessPolicy.canNameSecurityFocalPoints(in: fixture.operation.id, by: viewer),
                    "focal point for \(label)")
                // The API: the same reach.
                let apiList = try await browser.get("/api/v1\(code)/people", headers: auth)
                #expect(
                    apiList.status == (reach == PersonnelReach.none ? (member ? .forbidden : .notFound) : .ok),
                    "API list for \(label)")
                #expect(apiList.body.contains("Colleague Amira") == (reach == .everyone), "API list body for \(label)")
                let apiPerson = try await browser.get("/api/v1\(code)/people/\(colleague.id.uuidString)", headers: auth)
                #expect(
                    apiPerson.status
                        == (reach == .everyone ? .ok : member && reach == PersonnelReach.none ? .forbidden : .notFound),
                    "API person for \(label)")
                let apiWhere = try await browser.get(
                    "/api/v1\(code)/people/\(colleague.id.uuidString)/location", headers: auth)
                #expect(apiWhere.status == apiPerson.status, "API location for \(label)")
                let apiCount = try await browser.get("/api/v1\(code)/people/headcount", headers: auth)
                #expect(
                    apiCount.status == (reach == .everyone ? .ok : member ? .forbidden : .notFound),
                    "API headcount for \(label)")
                #expect(reach == .everyone || !apiCount.body.contains("Colleague"), "API headcount body for \(label)")

                // The colleague's record, changed every way there is: a keeper's path (303 or 200),
                // else 404 for a member who reaches only their own, 403 for a partner, 404 outside.
                let refused: HTTPStatus = reach == .own ? .notFound : member ? .forbidden : .notFound
                let person = code + "/people/\(colleague.id.uuidString)"
                let edit = try await browser.get(person + "/edit")
                #expect(edit.status == (reach == .everyone ? .ok : refused), "edit form for \(label)")
                #expect(reach == .everyone || !Self.showsColleaguePhone(edit.body), "edit form body for \(label)")
                let version = try await browser.editVersion(person + "/edit")
                for (path, form) in [
                    ("/edit", ["function": "Matrix \(label)", "version": version]),
                    ("/briefings", ["kind": "travel_briefing", "given_by": "Matrix", "area": "SD11"]),
                    ("/trainings", ["course": "first_aid", "completed_on": "2026-01-10"]),
                    ("/grab-bag", [:]), ("/left", [:]), ("/left", [:]),
                ] {
                    let answer = try await browser.post(person + path, form)
                    #expect(answer.status == (reach == .everyone ? .seeOther : refused), "\(path) for \(label)")
                }
                // Opening a roll-call of an area already called: refused as a conflict to keepers only.
                let reopen = try await browser.post(code + "/roll-calls", ["area": "SD11", "reason": "again"])
                #expect(
                    reopen.status == (reach == .everyone ? .unprocessableEntity : member ? .forbidden : .notFound),
                    "roll-call for \(label)")
                // Approving the colleague's movement (approved already): a conflict for the coordinator, who
                // holds that authority; refused to everyone else.
                let approve = try await browser.post(
                    code + "/movements/\(movement.id.uuidString)/approvals", ["authority": "security_coordinator"])
                #expect(
                    approve.status
                        == (viewer.role(in: fixture.operation.id) == .securityCoordinator
                            ? .conflict : reach == .everyone ? .forbidden : refused),
                    "approval for \(label)")
                let resolve = try await browser.post(
                    code + "/movements/\(movement.id.uuidString)/resolve", ["note": "Reached by radio"])
                #expect(resolve.status == (reach == .everyone ? .seeOther : refused), "resolution for \(label)")
                // The API's writes and the movement's record and check-ins.
                var anyVersion = auth
                anyVersion.replaceOrAdd(name: .ifMatch, value: "*")
                let patch = try await browser.json(
                    .PATCH, "/api/v1\(code)/people/\(colleague.id.uuidString)", headers: anyVersion,
                    ["function": .init(stringLiteral: "API \(label)")])
                #expect(patch.status == (reach == .everyone ? .ok : refused), "API change for \(label)")
                let created = try await browser.json(
                    .POST, "/api/v1\(code)/people", headers: auth, ["full_name": .init(stringLiteral: "API \(label)")])
                #expect(
                    created.status == (reach == .everyone ? .created : member ? .forbidden : .notFound),
                    "API add for \(label)")
                let located = try await browser.json(
                    .POST, "/api/v1\(code)/people/\(colleague.id.uuidString)/location", headers: auth,
                    ["area_pcode": "SD11"])
                #expect(located.status == (reach == .everyone ? .created : refused), "API location for \(label)")
                let apiMovement = try await browser.get(
                    "/api/v1\(code)/movements/\(movement.id.uuidString)", headers: auth)
                #expect(apiMovement.status == (reach == .everyone ? .ok : refused), "API movement for \(label)")
                let apiCheckIns = try await browser.get(
                    "/api/v1\(code)/movements/\(movement.id.uuidString)/check-ins", headers: auth)
                #expect(apiCheckIns.status == apiMovement.status, "API check-ins for \(label)")
                let apiCheckIn = try await browser.json(
                    .POST, "/api/v1\(code)/movements/\(movement.id.uuidString)/check-ins", headers: auth,
                    ["kind": "waypoint", "waypoint": 1])
                #expect(apiCheckIn.status == (reach == .everyone ? .created : refused), "API check-in for \(label)")
            }
            let stored = try #require(try await store.find(colleague.id, in: keeper))
            #expect(stored.leftAt == nil, "left twice: back")
            #expect(stored.draft.function.hasPrefix("API "), "only a keeper's change stands")
            // Closing the roll-call and cancelling a movement not yet under way: everyone else first, then a keeper.
            let waiting = try await MovementStore(app.db).request(
                trip, decision: try await MovementService.decide(trip, areas: ["SD11"], scope: keeper, on: app.db),
                routeAreas: ["SD11"], scope: keeper, now: Date())
            for (label, viewer, browser, _) in everyone.sorted(by: { a, _ in
                AccessPolicy.personnelReach(in: fixture.operation.id, by: a.viewer, isNamedFocalPoint: false)
                    != .everyone
            }) {
                let reach = AccessPolicy.personnelReach(in: fixture.operation.id, by: viewer, isNamedFocalPoint: false)
                let member = viewer.role(in: fixture.operation.id) != nil
                let refused: HTTPStatus = reach == .own ? .notFound : member ? .forbidden : .notFound
                _ = try await browser.get("/")
                let close = try await browser.post(code + "/roll-calls/\(call.id.uuidString)/close", [:])
                let cancel = try await browser.post(code + "/movements/\(waiting.id.uuidString)/cancel", [:])
                if reach == .everyone {
                    #expect([.seeOther, .conflict].contains(close.status), "close for \(label)")
                    #expect([.seeOther, .conflict].contains(cancel.status), "cancel for \(label)")
                } else {
                    #expect(close.status == (member ? .forbidden : .notFound), "close for \(label)")
                    #expect(cancel.status == refused, "cancel for \(label)")
                }
            }
            #expect(try await RollCallStore(app.db).find(call.id, scope: keeper)?.isOpen == false)
            #expect(try await MovementStore(app.db).find(waiting.id, in: keeper)?.status == .cancelled)
            // A staff member named a focal point by the HeOps reaches everyone.
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            _ = try await heops.post(
                code + "/people/focal-points", ["user": fixture.users[.staff]!.id.uuidString, "named": "yes"])
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get(code + "/people").body.contains("Colleague Amira"))
            // A partner cannot be named.
            let partner = try await heops.post(
                code + "/people/focal-points", ["user": fixture.users[.partner]!.id.uuidString, "named": "yes"])
            #expect(partner.status.code >= 400)
            #expect(!(try await store.isFocalPoint(fixture.users[.partner]!.id, in: fixture.operation.id)))
        }
    }

    @Test(
        "alerts: keepers read every alert, its recipients and figures, and send; a recipient reads the alert sent to them and nothing about the others; other members nothing; on the pages and the API",
        arguments: TestDatabases.kinds)
    func alerts(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, office) = try await PeoplePageTests.setUp(app)
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
            let store = PersonStore(app.db)
            let colleague = try await store.create(
                try PersonDraft(fullName: "Colleague Amira", category: .ifrcStaff, email: "amira@ifrc.test")
                    .validated(), scope: keeper, now: Date())
            _ = try await store.confirmLocation(
                of: colleague.id, place: .site(office.id), areaPcode: "SD11", source: .radioRoom, note: "",
                scope: keeper, now: Date())
            var own: [UserID: PersonID] = [:]
            for (role, user) in fixture.users where role != .partner {
                own[user.id] =
                    try await store.create(
                        try PersonDraft(fullName: "Own \(role.rawValue)", category: .delegate, userID: user.id)
                            .validated(), scope: keeper, now: Date()
                    ).id
            }
            let staffRecord = own[fixture.users[.staff]!.id]!
            let draft = AlertDraft(
                texts: [AlertText(language: "en", title: "Matrix alert", body: "")], severity: .severe,
                category: .security, audience: AlertAudience(personIDs: [colleague.id, staffRecord]), channels: [.email]
            )
            let recipients = try await AlertAudienceService(database: app.db).recipients(
                of: draft, operationID: fixture.operation.id, people: keeper,
                sites: AccessPolicy.unnamedOperatorScope(in: fixture.operation.id), now: Date())
            let alert = try await AlertStore(app.db).create(draft, recipients: recipients, scope: keeper, now: Date())
            let colleagueRow = try #require(
                try await AlertStore(app.db).recipients(of: alert.id, in: keeper).first { $0.personID == colleague.id })
            _ = try await AlertStore(app.db).answer(colleagueRow.id, .needHelp, now: Date())
            let code = "/operations/SDN-TEST"
            let path = code + "/alerts/\(alert.id.uuidString)"
            let before = try await AlertStore(app.db).list(in: keeper).count
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture) {
                let reach = AccessPolicy.personnelReach(in: fixture.operation.id, by: viewer, isNamedFocalPoint: false)
                let member = viewer.role(in: fixture.operation.id) != nil
                let isRecipient = viewer.userID == fixture.users[.staff]!.id
                let noReach: HTTPStatus = member ? .forbidden : .notFound
                let list = try await browser.get(code + "/alerts")
                #expect(list.status == (reach == PersonnelReach.none ? noReach : .ok), "alerts for \(label)")
                #expect(
                    list.body.contains("Matrix alert") == (reach == .everyone || isRecipient),
                    "alerts body for \(label)")
                let page = try await browser.get(path)
                let pageStatus: HTTPStatus =
                    reach == PersonnelReach.none ? noReach : (reach == .everyone || isRecipient) ? .ok : .notFound
                #expect(page.status == pageStatus, "alert for \(label)")
                #expect(page.body.contains("Colleague Amira") == (reach == .everyone), "alert recipients for \(label)")
                let counts = try await browser.get(path + "/counts.json")
                #expect(
                    counts.status == (reach == .everyone ? .ok : reach == PersonnelReach.none ? noReach : .notFound),
                    "alert counts for \(label)")
                let form = try await browser.get(code + "/alerts/new")
                #expect(
                    form.status == (reach == .everyone ? .ok : member ? .forbidden : .notFound),
                    "alert form for \(label)")
                let dashboard = try await browser.get(code)
                #expect(
                    dashboard.body.contains("Colleague Amira") == (reach == .everyone),
                    "alarm on dashboard for \(label)")
                if reach != .everyone {
                    let sent = try await browser.post(
                        code + "/alerts",
                        [
                            "title_en": "Intruder", "severity": "minor", "category": "other", "areas[0]": "SD11",
                            "channels[0]": "email",
                        ])
                    #expect(sent.status == (member ? .forbidden : .notFound), "send for \(label)")
                    let handled = try await browser.post(
                        path + "/help-handled", ["recipient": colleagueRow.id.uuidString])
                    #expect(handled.status.code >= 400, "help handled for \(label)")
                }
                // The API.
                let apiList = try await browser.get("/api/v1\(code)/alerts", headers: auth)
                #expect(apiList.status == (reach == PersonnelReach.none ? noReach : .ok), "API alerts for \(label)")
                #expect(
                    apiList.body.contains("Matrix alert") == (reach == .everyone || isRecipient),
                    "API alerts body for \(label)")
                let apiOne = try await browser.get("/api/v1\(code)/alerts/\(alert.id.uuidString)", headers: auth)
                #expect(apiOne.status == pageStatus, "API alert for \(label)")
                #expect(
                    apiOne.body.contains("Colleague Amira") == (reach == .everyone), "API alert recipients for \(label)"
                )
                if reach != .everyone {
                    var headers = auth
                    headers.contentType = .json
                    let posted = try await browser.send(.POST, "/api/v1\(code)/alerts", headers: headers) {
                        try $0.content.encode(
                            ["texts": [["language": "en", "title": "Intruder"]]] as [String: [[String: String]]])
                    }
                    #expect(posted.status == (member ? .forbidden : .notFound), "API send for \(label)")
                }
            }
            #expect(try await AlertStore(app.db).list(in: keeper).count == before, "nobody but a keeper sent an alert")
            #expect(
                try await AlertStore(app.db).openAlarms(in: keeper).count == 1,
                "only a keeper takes a call for help in hand")
        }
    }

    @Test(
        "critical incidents: the security roles reach every one, a member named on the crisis team theirs, everyone else none; on the pages, every write and the API; the call-out is on no alerts page",
        arguments: TestDatabases.kinds)
    func criticalIncidents(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, _, amira) = try await CriticalIncidentTests.setUp(app)
            // Someone of the register not involved: only those who keep the register may read their name.
            _ = try await PersonStore(app.db).create(
                try PersonDraft(fullName: "Uninvolved Zed", category: .delegate).validated(),
                scope: AccessPolicy.operatorPersonnelScope(in: fixture.operation.id), now: Date())
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            let code = "/operations/SDN-TEST"
            var form = CriticalIncidentTests.firstCall(amira)
            form["what"] = "Matrix crisis"
            let path = try #require(try await coordinator.post(code + "/critical-incidents", form).location)
            // Activated: the CIM plan's team names the staff member's account.
            _ = try await coordinator.post(
                path + "/activation", ["activate": "yes", "decided_by": "HeOps", "reason": "Test"])
            let scope = AccessPolicy.operatorCrisisScope(in: fixture.operation.id)
            let record = try #require(try await CriticalIncidentStore(app.db).list(in: scope).first)
            let before = try await CriticalIncidentStore(app.db).log(of: record.id, in: scope).count
            var writes = 0
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture) {
                let role = viewer.role(in: fixture.operation.id)
                let security = role.map(AccessPolicy.isSecurityRole) ?? false
                let onTeam = viewer.userID == fixture.users[.staff]!.id
                let reaches = security || onTeam
                let list = try await browser.get(code + "/critical-incidents")
                #expect(list.status == (role == nil ? .notFound : .ok), "list for \(label)")
                #expect(list.body.contains("Matrix crisis") == reaches, "list body for \(label)")
                for suffix in ["", "/print"] {
                    let page = try await browser.get(path + suffix)
                    #expect(page.status == (reaches ? .ok : .notFound), "\(suffix) for \(label)")
                    #expect(page.body.contains("Amira Salih") == reaches, "\(suffix) body for \(label)")
                    #expect(
                        page.body.contains("Uninvolved Zed") == (security && suffix.isEmpty),
                        "\(suffix) register names for \(label)")
                }
                // A team member who does not keep the register neither opens a roll-call nor names people from it.
                if onTeam {
                    #expect(try await browser.post(path + "/roll-call", ["area": "SD11"]).status == .forbidden)
                    #expect(
                        try await browser.post(path + "/people", ["person": amira.id.uuidString, "status": "safe"])
                            .status
                            == .forbidden)
                }
                #expect(
                    try await browser.get(code).body.contains("Matrix crisis") == (reaches && role != nil),
                    "dashboard for \(label)")
                let form = try await browser.get(code + "/critical-incidents/new")
                #expect(
                    form.status == (security ? .ok : role == nil ? .notFound : .forbidden),
                    "first call form for \(label)")
                // Every write of the desk.
                let posts: [(String, [String: String])] = [
                    ("/log", ["kind": "information", "text": "Matrix entry by \(label)"]),
                    ("/gsu", ["gsu_contact": "GSU", "gsu_advice": "Advice"]),
                    ("/people", ["name": "Someone", "status": "safe"]),
                    ("", ["call_back_minutes": "20"]),
                    ("/activation", ["activate": "no", "decided_by": "x", "reason": "y"]),
                ]
                for (suffix, body) in posts {
                    let status = try await browser.post(path + suffix, body).status
                    if reaches {
                        #expect(status == .seeOther, "POST \(suffix) for \(label)")
                        writes += 1
                    } else {
                        #expect(status == .notFound, "POST \(suffix) for \(label)")
                    }
                }
                // The desk's other writes (run for the reachers in CriticalIncidentTests): never for the others.
                if !reaches {
                    for (suffix, body) in [
                        ("/roll-call", ["area": "SD11"]), ("/stand-down", ["by": "Intruder"]),
                        ("/review", ["lessons": "x", "followed": "yes"]),
                    ] {
                        #expect(
                            try await browser.post(path + suffix, body).status == .notFound,
                            "POST \(suffix) for \(label)")
                    }
                }
                // The API.
                let apiList = try await browser.get("/api/v1\(code)/critical-incidents", headers: auth)
                #expect(apiList.status == (role == nil ? .notFound : .ok), "API list for \(label)")
                #expect(apiList.body.contains("Matrix crisis") == reaches, "API list body for \(label)")
                let apiOne = try await browser.get(
                    "/api/v1\(code)/critical-incidents/\(record.id.uuidString)", headers: auth)
                #expect(apiOne.status == (reaches ? .ok : .notFound), "API incident for \(label)")
                let apiLog = try await browser.get(
                    "/api/v1\(code)/critical-incidents/\(record.id.uuidString)/log", headers: auth)
                #expect(apiLog.status == (reaches ? .ok : .notFound), "API log for \(label)")
                var headers = auth
                headers.contentType = .json
                let appended = try await browser.send(
                    .POST, "/api/v1\(code)/critical-incidents/\(record.id.uuidString)/log", headers: headers
                ) { try $0.content.encode(["kind": "information", "text": "API entry"]) }
                #expect(appended.status == (reaches ? .created : .notFound), "API log entry for \(label)")
                if reaches { writes += 1 }
                // The call-out alert shows on no alerts page.
                #expect(
                    !(try await browser.get(code + "/alerts")).body.contains("CIMT activated"), "alerts for \(label)")
            }
            let after = try await CriticalIncidentStore(app.db).log(of: record.id, in: scope).count
            #expect(after == before + writes, "every refused write left the log as it was")
            #expect(
                try await CriticalIncidentStore(app.db).find(record.id, in: scope)?.isOpen == true,
                "nobody stood it down")
        }
    }
}
