import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

extension AccessMatrixHTTPTests {
    @Test(
        "referrals: the coordinator reaches every one, a named caseworker theirs, no one else any (the HeOps reads figures); on the pages, every write and the API",
        arguments: TestDatabases.kinds)
    func referrals(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, taking, _) = try await ReferralTests.setUp(app)
            let operation = fixture.operation.id
            let coordinatorID = fixture.users[.migrationCoordinator]!.id
            // The coordinator's referral, followed up by the coordinator: the named caseworker does not reach it.
            let scope = AccessPolicy.operatorReferralScope(in: operation)
            let theirs = try await ReferralStore(app.db).create(
                try ReferralTests.input(taking, "MATRIX-C").decoded(today: Date()), serviceName: taking.name,
                scope: scope.acting(as: coordinatorID), now: Date())
            // The caseworker's own.
            let worker = try await Browser.signedIn(app, fixture.users[.staff]!)
            let mine = try #require(
                try await worker.post("/operations/SDN-TEST/referrals", ReferralTests.form(taking, "MATRIX-W")).location
            )
            let code = "/operations/SDN-TEST"
            let named = Set(try await ReferralStore(app.db).caseWorkers(operationID: operation))
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture) {
                let role = viewer.role(in: operation)
                let coordinator = role == .migrationCoordinator
                let caseWorker = named.contains(viewer.userID) && !coordinator
                let figures = AccessPolicy.canSeeReferralAggregates(in: operation, by: viewer)
                let reaches = coordinator || caseWorker
                let list = try await browser.get(code + "/referrals")
                let expectedList: HTTPStatus =
                    role == nil ? .notFound : reaches ? .ok : figures ? .seeOther : .forbidden
                #expect(list.status == expectedList, "list for \(label)")
                #expect(list.body.contains("MATRIX-W") == reaches, "list body (own) for \(label)")
                #expect(list.body.contains("MATRIX-C") == coordinator, "list body (coordinator's) for \(label)")
                // One referral's page and every write on it.
                for (path, reached) in [
                    (code + "/referrals/\(theirs.id.uuidString)", coordinator), (mine, reaches),
                ] {
                    let page = try await browser.get(path)
                    let hidden: HTTPStatus = role == nil ? .notFound : (figures || caseWorker ? .notFound : .forbidden)
                    #expect(page.status == (reached ? .ok : hidden), "\(path) for \(label)")
                    #expect(page.body.contains("MATRIX") == reached, "\(path) body for \(label)")
                    if !reached {
                        for (suffix, body) in [
                            ("/status", ["to": "sent"]), ("/follow-up", ["follow_up_on": "2026-12-31"]),
                            ("/withdraw", ["note": "x"]), ("/assign", ["to": viewer.userID.uuidString]),
                        ] {
                            #expect(
                                try await browser.post(path + suffix, body).status == hidden, "\(suffix) for \(label)")
                        }
                    }
                }
                // Making a referral.
                let form = try await browser.get(code + "/referrals/new")
                #expect(
                    form.status == (reaches ? .ok : role == nil ? .notFound : .forbidden), "new form for \(label)")
                let made = try await browser.post(code + "/referrals", ReferralTests.form(taking, "BY-\(label)"))
                #expect(
                    made.status == (reaches ? .seeOther : role == nil ? .notFound : .forbidden), "create for \(label)")
                // Figures and their export.
                let figurePage = try await browser.get(code + "/referrals/figures")
                #expect(
                    figurePage.status == (role == nil ? .notFound : figures ? .ok : .forbidden), "figures for \(label)")
                #expect(!figurePage.body.contains("MATRIX"), "figures body for \(label)")
                let figureCSV = try await browser.get(code + "/referrals/figures.csv")
                #expect(figureCSV.status == figurePage.status, "figures CSV for \(label)")
                #expect(!figureCSV.body.contains("MATRIX"), "figures CSV body for \(label)")
                let apiFigures = try await browser.get("/api/v1\(code)/referrals/figures", headers: auth)
                #expect(apiFigures.status == figurePage.status, "API figures for \(label)")
                #expect(!apiFigures.body.contains("MATRIX"), "API figures body for \(label)")
                // Naming caseworkers: the coordinator only.
                let workers = try await browser.get(code + "/referrals/case-workers")
                #expect(
                    workers.status == (coordinator ? .ok : role == nil ? .notFound : .forbidden),
                    "caseworkers for \(label)")
                // The API.
                let apiList = try await browser.get("/api/v1\(code)/referrals", headers: auth)
                #expect(
                    apiList.status == (reaches ? .ok : role == nil ? .notFound : .forbidden), "API list for \(label)")
                #expect(apiList.body.contains("MATRIX-C") == coordinator, "API list body for \(label)")
                let apiOne = try await browser.get("/api/v1\(code)/referrals/\(theirs.id.uuidString)", headers: auth)
                #expect(
                    apiOne.status
                        == (coordinator
                            ? .ok : role == nil ? .notFound : (figures || caseWorker) ? .notFound : .forbidden),
                    "API referral for \(label)")
                // A step through the API on the coordinator's referral: nobody else moves it (the
                // coordinator's own steps are in ReferralTests; the draft is checked below).
                if !coordinator {
                    var json = auth
                    json.contentType = .json
                    let step = try await browser.json(
                        .POST, "/api/v1\(code)/referrals/\(theirs.id.uuidString)/status", headers: json,
                        ["to": "closed"])
                    #expect(step.status == apiOne.status, "API step for \(label)")
                }
            }
            // Nobody outside moved the coordinator's referral.
            let stored = try #require(try await ReferralStore(app.db).find(theirs.id, in: scope))
            #expect(stored.referralStatus == .draft && stored.followUpOn == nil)
            let made = try await ReferralStore(app.db).list(in: scope, page: Paging(page: 1, perPage: 100)).items
            #expect(Set(made.filter { $0.personRef.hasPrefix("BY-") }.map(\.personRef)).count == 2)
        }
    }
}
