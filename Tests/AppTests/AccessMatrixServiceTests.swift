import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

extension AccessMatrixHTTPTests {
    /// What a path of the referral directory answers `viewer`: to members what `allowed` lets them
    /// do, 403 to other members, 404 to whoever is not a member (administrators included: the
    /// directory is the operation's record, not an account setting).
    static func directoryStatus(
        _ operationID: OperationID, _ viewer: Viewer, allowed: (OperationID, Viewer) -> Bool, success: HTTPStatus
    ) -> HTTPStatus {
        guard viewer.role(in: operationID) != nil else { return .notFound }
        return allowed(operationID, viewer) ? success : .forbidden
    }

    @Test(
        "the referral directory: every member reads it (pages, map, export, pathway, API), its keepers alone write it, non-members see nothing",
        arguments: TestDatabases.kinds)
    func serviceDirectory(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let operation = fixture.operation.id
            let scope = AccessPolicy.unnamedOperatorScope(in: operation)
            let site = try await SiteStore(app.db).create(
                try SiteDraft(
                    name: "HSP Matrix", type: .humanitarianServicePoint, latitude: 15.4, longitude: 36.4,
                    audience: .public
                )
                .validated(), areaPcode: nil, grants: .init(), in: operation,
                actorID: fixture.users[.securityCoordinator]!.id, now: Date())
            var input = ServiceInput()
            input.organization = "SRCS"
            input.name = "Matrix service"
            input.locationName = "HSP Matrix"
            input.latitude = "15.4"
            input.longitude = "36.4"
            let service = try await ServiceStore(app.db).create(
                try input.decoded(), areaPcode: nil, scope: scope, actorID: nil, now: Date())
            let code = "/operations/SDN-TEST"
            let path = code + "/services/\(service.id.uuidString)"
            let api = "/api/v1" + path
            let hsds = Data(#"{"id":"s1","name":"Uploaded","organization":{"id":"o1","name":"Org"}}"#.utf8)
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture) {
                let member = viewer.role(in: operation) != nil
                let read = Self.directoryStatus(
                    operation, viewer, allowed: AccessPolicy.canViewServiceDirectory, success: .ok)
                func write(_ success: HTTPStatus) -> HTTPStatus {
                    Self.directoryStatus(
                        operation, viewer, allowed: AccessPolicy.canManageServiceDirectory, success: success)
                }
                let list = try await browser.get(code + "/services")
                #expect(list.status == read, "list for \(label)")
                #expect(list.body.contains("Matrix service") == member, "list body for \(label)")
                let page = try await browser.get(path)
                #expect(page.status == read, "page for \(label)")
                #expect(page.body.contains("Matrix service") == member, "page body for \(label)")
                #expect(
                    try await browser.get(code + "/map.svg").body.contains("Matrix service") == member,
                    "map for \(label)")
                let export = try await browser.get(code + "/services/export?format=json")
                #expect(export.status == read, "export for \(label)")
                #expect(export.body.contains("Matrix service") == member, "export body for \(label)")
                let pathway = try await browser.get(code + "/sites/\(site.id.uuidString)/pathway")
                #expect(pathway.status == read, "pathway for \(label)")
                #expect(pathway.body.contains("Matrix service") == member, "pathway body for \(label)")
                // The pages that write.
                #expect(try await browser.get(code + "/services/new").status == write(.ok), "new for \(label)")
                #expect(try await browser.get(path + "/edit").status == write(.ok), "edit for \(label)")
                #expect(try await browser.get(code + "/services/import").status == write(.ok), "import for \(label)")
                let created = try await browser.post(
                    code + "/services", ["organization": "X", "name": "By \(label)", "consent_required": "yes"])
                #expect(created.status == write(.seeOther), "create for \(label)")
                let version = EditVersion.token(
                    try #require(try await ServiceStore(app.db).find(service.id, in: scope)).updatedAt)
                let changed = try await browser.post(
                    path + "/edit", ["name": "Matrix service", "organization": "SRCS \(label)", "version": version])
                #expect(changed.status == write(.seeOther), "change for \(label)")
                let uploaded = try await browser.upload(code + "/services/import", file: hsds, filename: "one.json")
                #expect(uploaded.status == write(.ok), "upload for \(label)")
                // The API.
                let apiList = try await browser.get(
                    api.replacingOccurrences(of: "/\(service.id.uuidString)", with: ""), headers: auth)
                #expect(apiList.status == read, "API list for \(label)")
                #expect(apiList.body.contains("Matrix service") == member, "API list body for \(label)")
                let apiOne = try await browser.get(api, headers: auth)
                #expect(apiOne.status == read, "API service for \(label)")
                var headers = auth
                headers.contentType = .json
                let apiCreated = try await browser.json(
                    .POST, "/api/v1\(code)/services", headers: headers,
                    ["organization": "Y", "name": .init(stringLiteral: "API by \(label)")])
                #expect(apiCreated.status == write(.created), "API create for \(label)")
                headers.replaceOrAdd(name: .ifMatch, value: "*")
                let apiPatched = try await browser.json(.PATCH, api, headers: headers, ["fees": "None"])
                #expect(apiPatched.status == write(.ok), "API change for \(label)")
            }
            // Deleting last: whoever may not, cannot.
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture)
            where !AccessPolicy.canManageServiceDirectory(in: operation, by: viewer) {
                let expected: HTTPStatus = viewer.role(in: operation) == nil ? .notFound : .forbidden
                // The signed-in session's form token, so that a refusal is the policy's, not the token's.
                _ = try await browser.get("/")
                #expect(try await browser.post(path + "/delete", [:]).status == expected, "delete for \(label)")
                #expect(
                    try await browser.send(.DELETE, api, headers: auth) { _ in }.status == expected,
                    "API delete for \(label)")
            }
            #expect(try await ServiceStore(app.db).find(service.id, in: scope) != nil)
            // Exactly the keepers' writes are stored.
            let keepers = fixture.users.keys.filter { [.migrationCoordinator, .headOfOperations].contains($0) }.count
            let all = try await ServiceStore(app.db).all(in: scope)
            #expect(all.filter { $0.name.hasPrefix("By ") }.count == keepers)
            #expect(all.filter { $0.name.hasPrefix("API by ") }.count == keepers)
        }
    }
}

extension AccessMatrixHTTPTests {
    @Test(
        "EPoA activities: every member reads the page, the 3W and the API; the keepers alone write; non-members see nothing"
    )
    func activities() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let operation = fixture.operation.id
            let scope = AccessPolicy.unnamedOperatorScope(in: operation)
            let activity = try await ActivityStore(app.db).create(
                try ActivityTests.input().decoded().draft, scope: scope, actorID: nil, now: Date())
            let code = "/operations/SDN-TEST"
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture) {
                let member = viewer.role(in: operation) != nil
                let read: HTTPStatus = member ? .ok : .notFound
                func write(_ success: HTTPStatus) -> HTTPStatus {
                    Self.directoryStatus(operation, viewer, allowed: AccessPolicy.canManageActivities, success: success)
                }
                let page = try await browser.get(code + "/activities")
                #expect(page.status == read, "page for \(label)")
                #expect(page.body.contains("Matrix activity") == member, "page body for \(label)")
                let threeW = try await browser.get(code + "/activities/3w?format=csv")
                #expect(threeW.status == read, "3W for \(label)")
                #expect(threeW.body.contains("Matrix activity") == member, "3W body for \(label)")
                #expect(try await browser.get(code + "/activities/new").status == write(.ok), "new for \(label)")
                #expect(
                    try await browser.get(code + "/activities/\(activity.id.uuidString)/edit").status == write(.ok),
                    "edit for \(label)")
                let made = try await browser.post(code + "/activities", ActivityTests.form("By \(label)"))
                #expect(made.status == write(.seeOther), "create for \(label)")
                let edit = code + "/activities/\(activity.id.uuidString)/edit"
                var change = ActivityTests.form("Matrix activity", ["reached": "7"])
                change["version"] =
                    AccessPolicy.canManageActivities(in: operation, by: viewer)
                    ? try await browser.editVersion(edit) : "x"
                #expect(try await browser.post(edit, change).status == write(.seeOther), "change for \(label)")
                var json = auth
                json.contentType = .json
                json.replaceOrAdd(name: .ifMatch, value: "*")
                let patched = try await browser.json(
                    .PATCH, "/api/v1\(code)/activities/\(activity.id.uuidString)", headers: json, ["reached": 3])
                #expect(patched.status == write(.ok), "API change for \(label)")
                let api = try await browser.get("/api/v1\(code)/activities", headers: auth)
                #expect(api.status == read, "API for \(label)")
                #expect(api.body.contains("Matrix activity") == member, "API body for \(label)")
            }
            let all = try await ActivityStore(app.db).all(in: scope)
            #expect(all.filter { $0.name.hasPrefix("By ") }.count == 2)
            // Only the keepers' API changes reached the activity.
            #expect(try await ActivityStore(app.db).find(activity.id, in: scope)?.reached == 3)
        }
    }
}

extension AccessMatrixHTTPTests {
    @Test(
        "the protection-risk register: the Movement reads its pages, heat map, changes and API; partners nothing; its keepers alone write and set the method",
        arguments: TestDatabases.kinds)
    func protectionRisks(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let operation = fixture.operation.id
            let scope = AccessPolicy.unnamedOperatorScope(in: operation)
            let store = ProtectionRiskStore(app.db)
            let activity = try await ActivityStore(app.db).create(
                try ActivityTests.input().decoded().draft, scope: scope, actorID: nil, now: Date())
            var input = ProtectionRiskTests.input()
            input.mitigations = [.init(description: "Desk", owner: "SRCS", activities: [activity.id.uuidString])]
            let risk = try await store.create(
                try input.draft(method: .standard, knownAreas: [], knownActivities: [activity.id]),
                method: .standard, scope: scope, actorID: nil, now: Date())
            let code = "/operations/SDN-TEST"
            let path = code + "/protection-risks/\(risk.id.uuidString)"
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture) {
                let reads = AccessPolicy.canViewProtectionRisks(in: operation, by: viewer)
                let read = Self.directoryStatus(
                    operation, viewer, allowed: AccessPolicy.canViewProtectionRisks, success: .ok)
                func write(_ success: HTTPStatus) -> HTTPStatus {
                    Self.directoryStatus(
                        operation, viewer, allowed: AccessPolicy.canManageProtectionRisks, success: success)
                }
                for page in [code + "/protection-risks", path, code + "/protection-risks/changes?since=2000-01-01"] {
                    let answer = try await browser.get(page)
                    #expect(answer.status == read, "\(page) for \(label)")
                    #expect(answer.body.contains("Matrix protection risk") == reads, "\(page) body for \(label)")
                }
                // An activity names the risks it mitigates to the register's readers only.
                #expect(
                    try await browser.get(code + "/activities").body.contains("Matrix protection risk") == reads,
                    "activities for \(label)")
                // The dashboard links to the register only for its readers.
                let dashboard = try await browser.get(code)
                #expect(dashboard.body.contains("id=\"protection-risks\"") == reads, "dashboard for \(label)")
                #expect(try await browser.get(code + "/protection-risks/new").status == write(.ok), "new for \(label)")
                #expect(try await browser.get(path + "/edit").status == write(.ok), "edit for \(label)")
                #expect(
                    try await browser.get(code + "/protection-risks/settings").status == write(.ok),
                    "settings for \(label)")
                let made = try await browser.post(
                    code + "/protection-risks", ProtectionRiskTests.form("By \(label)"))
                #expect(made.status == write(.seeOther), "create for \(label)")
                let version = EditVersion.token(try #require(try await store.find(risk.id, in: scope)).updatedAt)
                let changed = try await browser.post(
                    path + "/edit",
                    ProtectionRiskTests.form(
                        "Matrix protection risk",
                        [
                            "version": version, "category": "trafficking", "subtype": "",
                            "mitigations[0][description]": "Desk", "mitigations[0][owner]": "SRCS",
                            "mitigations[0][activities][0]": activity.id.uuidString,
                        ]))
                #expect(changed.status == write(.seeOther), "change for \(label)")
                #expect(
                    try await browser.post(
                        code + "/protection-risks/settings",
                        ["key": "protection_concerns", "json": ProtectionRiskSettings.defaults.json(.concerns)]
                    ).status == write(.seeOther), "method for \(label)")
                var json = auth
                json.contentType = .json
                json.replaceOrAdd(name: .ifMatch, value: "*")
                let patched = try await browser.json(
                    .PATCH, "/api/v1" + path, headers: json, ["severity": 2])
                let apiWrite: HTTPStatus =
                    viewer.role(in: operation) == nil ? .notFound : !reads ? .forbidden : write(.ok)
                #expect(patched.status == apiWrite, "API change for \(label)")
                let apiRead: HTTPStatus = viewer.role(in: operation) == nil ? .notFound : reads ? .ok : .forbidden
                for url in ["/api/v1\(code)/protection-risks", "/api/v1" + path] {
                    let answer = try await browser.get(url, headers: auth)
                    #expect(answer.status == apiRead, "\(url) for \(label)")
                    #expect(answer.body.contains("Matrix protection risk") == reads, "\(url) body for \(label)")
                }
                // The audit trail's values follow the register's readers.
                #expect(
                    AccessPolicy.canReadAuditedValues(ofKind: "protection_risk", in: operation, by: viewer) == reads,
                    "audit values for \(label)")
            }
            let all = try await store.list(in: scope)
            #expect(all.filter { $0.draft.title.hasPrefix("By ") }.count == 2)
            let final = try #require(try await store.find(risk.id, in: scope))
            // Only the keepers' changes reached the risk.
            #expect(final.draft.category == .trafficking && final.draft.severity == 2)
        }
    }
}

extension AccessMatrixHTTPTests {
    @Test(
        "needs assessments: every member reads the list, the results and the API, exact only for their keepers; the keepers alone record, import and map; non-members see nothing",
        arguments: TestDatabases.kinds)
    func assessments(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let operation = fixture.operation.id
            let scope = AccessPolicy.unnamedOperatorScope(in: operation)
            var input = NeedsAssessmentInput()
            input.title = "Matrix assessment"
            input.startOn = "2026-05-01"
            input.method = "key_informants"
            input.groups = ["REF", "HST"]
            input.needCounts = "REF, SC-UC, f_12_17, 3\nHST, DS-PM, m_18_59, 9"
            let record = try await AssessmentStore(app.db).create(
                try input.draft(knownAreas: []), scope: scope, actorID: nil, now: Date())
            let code = "/operations/SDN-TEST"
            let path = code + "/assessments/\(record.id.uuidString)"
            let export = Data("_uuid;population_group\nm-1;refugee\n".utf8)
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture) {
                let member = viewer.role(in: operation) != nil
                let exact = AccessPolicy.seesExactAssessmentFigures(in: operation, by: viewer)
                let read = Self.directoryStatus(
                    operation, viewer, allowed: AccessPolicy.canViewAssessments, success: .ok)
                func write(_ success: HTTPStatus) -> HTTPStatus {
                    Self.directoryStatus(
                        operation, viewer, allowed: AccessPolicy.canManageAssessments, success: success)
                }
                let list = try await browser.get(code + "/assessments")
                #expect(list.status == read, "list for \(label)")
                #expect(list.body.contains("Matrix assessment") == member, "list body for \(label)")
                let page = try await browser.get(path)
                #expect(page.status == read, "page for \(label)")
                #expect(page.body.contains("Matrix assessment") == member, "page body for \(label)")
                // The 3 unaccompanied girls: exact for the keepers, "<5" for every other reader.
                if member {
                    #expect(
                        page.body.contains("<td class=\"number\" dir=\"ltr\">3</td>") == exact, "exact for \(label)")
                    #expect(page.body.contains("&lt;5") == !exact, "suppressed for \(label)")
                }
                let api = try await browser.get("/api/v1" + path, headers: auth)
                #expect(api.status == read, "API for \(label)")
                #expect(api.body.contains("\"exact\":\(exact)") == member, "API exactness for \(label)")
                #expect(try await browser.get(code + "/assessments/new").status == write(.ok), "new for \(label)")
                #expect(try await browser.get(path + "/edit").status == write(.ok), "edit for \(label)")
                let made = try await browser.post(code + "/assessments", AssessmentTests.form("By \(label)"))
                #expect(made.status == write(.seeOther), "create for \(label)")
                let imported = try await browser.postMultipart(
                    path + "/import", ["format": "kobo"], file: ("x.csv", export))
                #expect(imported.status == write(.seeOther), "import for \(label)")
                #expect(
                    AccessPolicy.canReadAuditedValues(ofKind: "assessment_import", in: operation, by: viewer) == member,
                    "audit values for \(label)")
            }
            #expect(
                try await AssessmentStore(app.db).list(in: scope).filter { $0.draft.title.hasPrefix("By ") }.count == 2)
            #expect(try await AssessmentStore(app.db).figures(of: record.id, in: scope).total == 1)
        }
    }
}
