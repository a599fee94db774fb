import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

extension AccessMatrixHTTPTests {
    @Test(
        "the stakeholder registry and the meetings: every path answers each viewer as the policy says, and lists exactly the entries and meetings `canView` lets them see",
        arguments: TestDatabases.kinds)
    func network(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let operation = fixture.operation.id
            let owner = fixture.users[.staff]!
            let author = fixture.users[.securityCoordinator]!
            let authorScope = try #require(
                AccessPolicy.scope(in: operation, for: try await fixture.viewer(app, author)))
            // One entry and one meeting at each audience; the restricted ones name the staff member.
            var entries: [AudienceLevel: StakeholderRecord] = [:]
            var meetings: [AudienceLevel: MeetingRecord] = [:]
            for audience in AudienceLevel.allCases {
                entries[audience] = try await StakeholderStore(app.db).create(
                    NetworkTests.entry(
                        "Entry \(audience.rawValue) matrix", audience: audience,
                        owner: audience == .restricted ? owner.id : nil), scope: authorScope, actorID: author.id,
                    now: Date())
                meetings[audience] = try await MeetingStore(app.db).create(
                    MeetingDraft(
                        kind: .bilateral, forum: "Meeting \(audience.rawValue) matrix", heldOn: Date(),
                        ifrcRepresented: true,
                        representativeIDs: audience == .restricted ? [owner.id] : [author.id],
                        actions: [
                            MeetingActionDraft(
                                text: "Action \(audience.rawValue) matrix", owner: .member(author.id),
                                dueOn: Date().addingTimeInterval(-3 * 86_400))
                        ], audience: audience), scope: authorScope, actorID: author.id, now: Date())
            }
            let code = "/operations/SDN-TEST"
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture) {
                let member = viewer.role(in: operation) != nil
                let reads = AccessPolicy.canViewNetwork(in: operation, by: viewer)
                let keeps = AccessPolicy.canManageNetwork(in: operation, by: viewer)
                let records = AccessPolicy.canRecordMeetings(in: operation, by: viewer)
                func status(_ allowed: Bool, _ success: HTTPStatus = .ok) -> HTTPStatus {
                    member ? (allowed ? success : .forbidden) : .notFound
                }
                for path in [
                    "/stakeholders", "/stakeholders/map", "/stakeholders/export?format=csv",
                    "/stakeholders/export?format=vcf", "/stakeholders/handover", "/meetings", "/meetings/participation",
                    "/action-points?show=all",
                ] {
                    let page = try await browser.get(code + path)
                    #expect(page.status == status(reads), "\(path) for \(label)")
                    for audience in AudienceLevel.allCases {
                        let entryVisible = reads && AccessPolicy.canView(entries[audience]!.access, by: viewer)
                        let meetingVisible = reads && AccessPolicy.canView(meetings[audience]!.access, by: viewer)
                        if path.hasPrefix("/stakeholders") && !path.hasSuffix("/map") {
                            #expect(
                                page.body.contains("Entry \(audience.rawValue) matrix") == entryVisible,
                                "\(path) entry \(audience) for \(label)")
                        }
                        if path.hasPrefix("/meetings") || path.hasPrefix("/action-points")
                            || path.hasSuffix("/handover")
                        {
                            let text =
                                path.hasPrefix("/action-points")
                                ? "Action \(audience.rawValue) matrix" : "Meeting \(audience.rawValue) matrix"
                            #expect(
                                page.body.contains(text) == meetingVisible, "\(path) meeting \(audience) for \(label)")
                        }
                    }
                }
                for audience in AudienceLevel.allCases {
                    let entry = entries[audience]!, meeting = meetings[audience]!
                    let entryVisible = reads && AccessPolicy.canView(entry.access, by: viewer)
                    let meetingVisible = reads && AccessPolicy.canView(meeting.access, by: viewer)
                    func one(_ visible: Bool) -> HTTPStatus {
                        member ? (reads ? (visible ? .ok : .notFound) : .forbidden) : .notFound
                    }
                    let entryPage = try await browser.get(code + "/stakeholders/\(entry.id.uuidString)")
                    #expect(entryPage.status == one(entryVisible), "entry \(audience) for \(label)")
                    let meetingPage = try await browser.get(code + "/meetings/\(meeting.id.uuidString)")
                    #expect(meetingPage.status == one(meetingVisible), "meeting \(audience) for \(label)")
                    let apiEntry = try await browser.get(
                        "/api/v1\(code)/stakeholders/\(entry.id.uuidString)", headers: auth)
                    #expect(apiEntry.status == one(entryVisible), "API entry \(audience) for \(label)")
                    let apiMeeting = try await browser.get(
                        "/api/v1\(code)/meetings/\(meeting.id.uuidString)", headers: auth)
                    #expect(apiMeeting.status == one(meetingVisible), "API meeting \(audience) for \(label)")
                    // The dashboard's overdue actions: the meetings one sees, no others.
                    if member {
                        let dashboard = try await browser.get(code).body
                        #expect(
                            dashboard.contains("Action \(audience.rawValue) matrix") == meetingVisible,
                            "dashboard action \(audience) for \(label)")
                    }
                }
                for (path, expected) in [
                    ("/stakeholders", status(reads)), ("/meetings", status(reads)), ("/action-points", status(reads)),
                ] {
                    let list = try await browser.get("/api/v1\(code)\(path)", headers: auth)
                    #expect(list.status == expected, "API \(path) for \(label)")
                    for audience in AudienceLevel.allCases {
                        let text =
                            path == "/stakeholders"
                            ? "Entry \(audience.rawValue) matrix"
                            : path == "/meetings"
                                ? "Meeting \(audience.rawValue) matrix" : "Action \(audience.rawValue) matrix"
                        let record = path == "/stakeholders" ? entries[audience]!.access : meetings[audience]!.access
                        #expect(
                            list.body.contains(text) == (reads && AccessPolicy.canView(record, by: viewer)),
                            "API \(path) \(audience) for \(label)")
                    }
                }
                // The writing paths.
                #expect(
                    try await browser.get(code + "/stakeholders/new").status == status(keeps), "new entry for \(label)")
                #expect(
                    try await browser.get(code + "/stakeholders/import").status == status(keeps), "import for \(label)")
                #expect(
                    try await browser.get(code + "/meetings/new").status == status(records), "new meeting for \(label)")
                let created = try await browser.post(
                    code + "/stakeholders", ["name": "By \(label)", "actor_type": "ingo", "audience": "movement"])
                #expect(created.status == status(keeps, .seeOther), "create entry for \(label)")
                var headers = auth
                headers.contentType = .json
                let apiCreated = try await browser.json(
                    .POST, "/api/v1\(code)/stakeholders", headers: headers,
                    ["name": .init(stringLiteral: "API by \(label)"), "actor_type": "ingo", "audience": "movement"])
                #expect(apiCreated.status == status(keeps, .created), "API create entry for \(label)")
            }
            // Exactly the keepers' writes are stored.
            let keepers = fixture.users.values.filter { user in
                AccessPolicy.canManageNetwork(
                    in: operation,
                    by: Viewer(
                        userID: user.id, isSystemAdministrator: false,
                        roles: [operation: fixture.users.first { $0.value.id == user.id }!.key]))
            }.count
            let all = try await StakeholderStore(app.db).all(in: AccessPolicy.unnamedOperatorScope(in: operation))
            #expect(all.filter { $0.draft.name.hasPrefix("By ") }.count == keepers)
            #expect(all.filter { $0.draft.name.hasPrefix("API by ") }.count == keepers)
        }
    }

    @Test(
        "VisibilityFilter's SQL for the registry and the meetings agrees with AccessPolicy.canView for every role and audience",
        arguments: TestDatabases.kinds)
    func networkFilter(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let operation = fixture.operation.id
            let author = fixture.users[.migrationCoordinator]!
            let authorScope = try #require(
                AccessPolicy.scope(in: operation, for: try await fixture.viewer(app, author)))
            for audience in AudienceLevel.allCases {
                for named in [nil, fixture.users[.nationalSocietyFocalPoint]!.id] {
                    _ = try await StakeholderStore(app.db).create(
                        NetworkTests.entry("E \(audience.rawValue) \(named == nil)", audience: audience, owner: named),
                        scope: authorScope, actorID: author.id, now: Date())
                }
            }
            let all = try await StakeholderStore(app.db).all(in: authorScope)
            #expect(all.count == 10)
            for user in Array(fixture.users.values) + [fixture.admin, fixture.outsider] {
                let viewer = try await fixture.viewer(app, user)
                guard let scope = AccessPolicy.scope(in: operation, for: viewer) else { continue }
                let seen = Set(try await StakeholderStore(app.db).all(in: scope).map(\.id))
                for record in all {
                    let expected =
                        AccessPolicy.canViewNetwork(in: operation, by: viewer)
                        && AccessPolicy.canView(record.access, by: viewer)
                    #expect(
                        seen.contains(record.id) == expected,
                        "\(record.draft.name) for \(viewer.role(in: operation)?.rawValue ?? "-")")
                }
            }
        }
    }
}

extension AccessMatrixHTTPTests {
    @Test(
        "advocacy products: drafts to those who write them, their authors and reviewers; approved ones by audience; a partner only what was shared with them",
        arguments: TestDatabases.kinds)
    func products(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let operation = fixture.operation.id
            let store = AdvocacyStore(app.db)
            let author = fixture.users[.migrationCoordinator]!.id
            // The author's scope reads every one of them, the restricted included.
            let scope = try #require(
                AccessPolicy.scope(
                    in: operation, for: try await fixture.viewer(app, fixture.users[.migrationCoordinator]!)))
            let staffReviewer = fixture.users[.staff]!.id
            var products: [ProductRecord] = []
            for audience in AudienceLevel.allCases {
                for approved in [false, true] {
                    var record = try await store.create(
                        ProductDraft(
                            kind: .keyMessages,
                            title: "Product \(audience.rawValue) \(approved ? "approved" : "draft") matrix",
                            language: .en, body: "Text", audience: audience),
                        scope: scope, actorID: author, now: Date())
                    if approved || audience == .ifrcAndNationalSociety {
                        // Reviewed by the staff member (and so readable by them in drafting).
                        record = try await store.submit(
                            record.id,
                            reviewers: [
                                .technical: staffReviewer, .protection: fixture.users[.securityCoordinator]!.id,
                                .communications: fixture.users[.headOfOperations]!.id,
                            ],
                            scope: scope, actorID: author, now: Date())
                    }
                    if approved {
                        for (area, user) in record.reviewers {
                            record = try await store.review(
                                record.id, area: area, verdict: .cleared, comment: nil, scope: scope, actorID: user,
                                now: Date())
                        }
                        record = try await store.approve(
                            record.id, figures: [], unresolved: [], scope: scope,
                            actorID: fixture.users[.headOfOperations]!.id,
                            now: Date())
                    }
                    products.append(record)
                }
            }
            // The public approved one is shared with the partner in Bearing.
            let shared = products.first { $0.draft.audience == .public && $0.state == .approved }!
            _ = try await store.distribute(
                shared.id, channel: .bearing, list: nil, audience: .public, note: nil,
                recipients: [RecipientDraft(userID: fixture.users[.partner]!.id, name: "Partner", address: nil)],
                scope: scope,
                actorID: author, now: Date())
            products = try await products.asyncMap { try await store.find($0.id, in: scope) ?? $0 }
            let code = "/operations/SDN-TEST"
            for (label, viewer, browser, auth) in try await Self.everyone(app, fixture) {
                let member = viewer.role(in: operation) != nil
                let list = try await browser.get(code + "/products")
                #expect(list.status == (member ? .ok : .notFound), "list for \(label)")
                let apiList = try await browser.get("/api/v1\(code)/products", headers: auth)
                for product in products {
                    let visible = AccessPolicy.canViewProduct(
                        product.access, approved: product.state == .approved, reviewers: Set(product.reviewers.values),
                        sharedWith: product.sharedWith, by: viewer)
                    #expect(
                        list.body.contains(product.draft.title) == visible, "\(product.draft.title) listed for \(label)"
                    )
                    #expect(
                        apiList.body.contains(product.draft.title) == visible,
                        "\(product.draft.title) in the API for \(label)")
                    let page = try await browser.get(code + "/products/\(product.id.uuidString)")
                    #expect(page.status == (visible ? .ok : .notFound), "\(product.draft.title) page for \(label)")
                    let email = try await browser.get(code + "/products/\(product.id.uuidString)/email")
                    #expect(email.status == (visible ? .ok : .notFound), "\(product.draft.title) e-mail for \(label)")
                }
                #expect(
                    try await browser.get(code + "/products/new").status
                        == (member
                            ? (AccessPolicy.canWriteProducts(in: operation, by: viewer) ? .ok : .forbidden)
                            : .notFound),
                    "new product for \(label)")
            }
        }
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
