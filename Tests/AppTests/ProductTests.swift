import Domain
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import App

/// Advocacy products through the pages, the API and a real SMTP server (issue 19, part 3).
@Suite("Advocacy products")
struct ProductTests {
    static let code = "/operations/SDN-TEST"

    /// One EPoA activity (400 reached of 1,000), so that `reach.people` and `reach.target` resolve.
    @discardableResult
    static func activity(_ app: Application, _ fixture: Fixture, reached: String = "400") async throws -> ActivityRecord
    {
        var input = ActivityInput()
        input.name = "HSP at Gallabat"
        input.kind = "hsp"
        input.sector = "migration_and_displacement"
        input.area = "SD12"
        input.populationTypes = ["REF"]
        input.startOn = "2026-05-01"
        input.implementer = "SRCS"
        input.targeted = "1000"
        input.reached = reached
        return try await ActivityStore(app.db).create(
            try input.decoded().draft, scope: AccessPolicy.unnamedOperatorScope(in: fixture.operation.id), actorID: nil,
            now: Date())
    }

    static func form(_ body: String, audience: String = "ifrc_ns") -> [String: String] {
        [
            "kind": "humanitarian_update", "title": "Eastern border update", "language": "en", "body": body,
            "evidence": "concern_or_incident, barriers_to_access, 37, SRCS feedback desk, 2026-11",
            "audience": audience, "intended_for": "Donors in Port Sudan",
        ]
    }

    @Test(
        "a product's life: live figures and the one that does not resolve, review by area, a new version cleared again, approval by the HeOps freezing the figures, a variant, distribution",
        arguments: TestDatabases.kinds)
    func life(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            try await Self.activity(app, fixture)
            let migration = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            _ = try await migration.get(Self.code + "/products/new")
            var form = Self.form(
                "# Update\n\nReached {{reach.people}} of {{reach.target}}; {{displacement.stock type=IDP}} displaced.")
            form["evidence"] = "gossip, rumours, 3, market"
            let refused = try await migration.post(Self.code + "/products", form)
            #expect(refused.status == .unprocessableEntity && refused.body.contains("the type is one of"))
            form = Self.form(
                "# Update\n\nReached {{reach.people}} of {{reach.target}}; {{displacement.stock type=IDP}} displaced.")
            let created = try await migration.post(Self.code + "/products", form)
            #expect(created.status == .seeOther)
            let path = try #require(created.location)
            let draft = try await migration.get(path).body
            #expect(draft.contains("Reached 400 of 1,000"))
            #expect(draft.contains("id=\"unresolved\"") && draft.contains("displacement.stock type=IDP"))
            // Review: the author is no reviewer; a reviewer must be cleared for the audience.
            let users = fixture.users
            func reviewers(_ technical: UserID, _ protection: UserID, _ communications: UserID) -> [String: String] {
                [
                    "reviewer_technical": technical.uuidString, "reviewer_protection": protection.uuidString,
                    "reviewer_communications": communications.uuidString,
                ]
            }
            #expect(
                try await migration.post(
                    path + "/submit",
                    reviewers(
                        users[.migrationCoordinator]!.id, users[.nationalSocietyFocalPoint]!.id, users[.staff]!.id)
                ).status == .unprocessableEntity)
            #expect(
                try await migration.post(
                    path + "/submit", reviewers(users[.securityCoordinator]!.id, users[.partner]!.id, users[.staff]!.id)
                ).status == .unprocessableEntity)
            #expect(
                try await migration.post(
                    path + "/submit",
                    reviewers(users[.securityCoordinator]!.id, users[.nationalSocietyFocalPoint]!.id, users[.staff]!.id)
                ).status == .seeOther)
            // The NS focal point reviews a product it may see; a partner never sees the draft.
            let ns = try await Browser.signedIn(app, users[.nationalSocietyFocalPoint]!)
            #expect(try await ns.get(path).body.contains("id=\"review-form\""))
            let partner = try await Browser.signedIn(app, users[.partner]!)
            #expect(try await partner.get(path).status == .notFound)
            #expect(!(try await partner.get(Self.code + "/products").body.contains("Eastern border update")))
            let security = try await Browser.signedIn(app, users[.securityCoordinator]!)
            let staff = try await Browser.signedIn(app, users[.staff]!)
            _ = try await security.get(path)
            _ = try await staff.get(path)
            #expect(
                try await ns.post(path + "/review", ["area": "technical", "verdict": "cleared"]).status == .forbidden)
            #expect(
                try await security.post(path + "/review", ["area": "technical", "verdict": "cleared"]).status
                    == .seeOther)
            #expect(
                try await ns.post(
                    path + "/review",
                    ["area": "protection", "verdict": "comment", "comment": "Cite the sector's figure."]
                ).status == .seeOther)
            #expect(
                try await staff.post(path + "/review", ["area": "communications", "verdict": "cleared"]).status
                    == .seeOther)
            // The HeOps cannot approve: protection is not cleared, a figure does not resolve.
            let heops = try await Browser.signedIn(app, users[.headOfOperations]!)
            let waiting = try await heops.get(path).body
            #expect(waiting.contains("id=\"approval-blocked\"") && waiting.contains("Not cleared yet: Protection"))
            // In the reader's language, areas and all: no English sentence inside an Arabic page.
            _ = try await heops.post("/language", ["lang": "ar", "back": "/"])
            let arabicWaiting = try await heops.get(path).body
            #expect(arabicWaiting.contains("لم تتم الموافقة بعد: الحماية") && !arabicWaiting.contains("Not cleared"))
            _ = try await heops.post("/language", ["lang": "en", "back": "/"])
            #expect(waiting.contains("Cite the sector"))
            #expect(try await heops.post(path + "/approve", [:]).status == .conflict)
            _ = try await ns.get(path)
            #expect(
                try await ns.post(path + "/review", ["area": "protection", "verdict": "cleared"]).status == .seeOther)
            #expect(
                try await heops.post(path + "/approve", [:]).status == .conflict, "the figure still does not resolve")
            // A new version without it: the reviewers clear it again.
            let edit = try await migration.get(path + "/edit")
            let version = try #require(FormReader.fields(in: edit.body, action: path + "/edit")["version"])
            var next = Self.form("# Update\n\nReached {{reach.people}} of {{reach.target}}.")
            next["version"] = version
            #expect(try await migration.post(path + "/edit", next).status == .seeOther)
            #expect(try await heops.post(path + "/approve", [:]).status == .conflict, "version 2 is not cleared yet")
            for (browser, area) in [(security, "technical"), (ns, "protection"), (staff, "communications")] {
                _ = try await browser.get(path)
                #expect(
                    try await browser.post(path + "/review", ["area": area, "verdict": "cleared"]).status == .seeOther)
            }
            _ = try await heops.get(path)
            #expect(try await heops.post(path + "/approve", [:]).status == .seeOther)
            // Frozen: more reach later changes nothing; the text never changes again.
            try await Self.activity(app, fixture, reached: "600")
            let approved = try await staff.get(path).body
            #expect(approved.contains("Reached 400 of 1,000") && approved.contains("Figures as approved"))
            #expect(try await migration.get(path + "/edit").status == .conflict)
            #expect(try await migration.post(path + "/edit", next).status == .conflict)
            #expect(try await staff.get(path + "/email").body.contains("class=\"email-body\""))
            let email = try await staff.get(path + "/email?format=text")
            #expect(email.headers.contentType?.description.hasPrefix("text/plain") == true)
            #expect(email.body.contains("Reached 400 of 1,000.") && email.body.contains("SRCS feedback desk"))
            #expect(email.body.contains("EPoA activities for people on the move (1)"))
            let print = try await staff.get(path + "/print").body
            #expect(
                print.contains("print-frame") && print.contains("Reached 400 of 1,000") && !print.contains("draft-mark")
            )
            // An Arabic variant, linked both ways.
            let variantForm = try await migration.get(
                Self.code + "/products/new?variant_of=\(path.split(separator: "/").last!)&language=ar")
            #expect(
                variantForm.body.contains("name=\"variant_of\"")
                    && variantForm.body.contains("Reached {{reach.people}}"))
            var arabic = Self.form("وصلنا إلى {{reach.people}} شخصاً.")
            arabic["language"] = "ar"
            arabic["title"] = "تحديث الحدود الشرقية"
            arabic["variant_of"] = String(path.split(separator: "/").last!)
            let variant = try await migration.post(Self.code + "/products", arabic)
            #expect(variant.status == .seeOther)
            let english = try await migration.get(path).body
            #expect(english.contains("id=\"variants\"") && english.contains("Arabic"))
            let variantPage = try await migration.get(try #require(variant.location)).body
            #expect(
                variantPage.contains("dir=\"rtl\"") && variantPage.contains("وصلنا إلى 1,000 شخصاً"),
                "live in draft: both activities")
            // Distribution: not of a draft; to a list built from the registry.
            #expect(
                try await migration.post(variant.location! + "/distribute", ["channel": "print"]).status == .conflict)
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            _ = try await StakeholderStore(app.db).create(
                NetworkTests.entry("UN Refugee Agency", acronym: "UNHCR"), scope: scope, actorID: nil, now: Date())
            var nrc = NetworkTests.entry("Norwegian Refugee Council", acronym: "NRC")
            nrc.emails = []
            _ = try await StakeholderStore(app.db).create(nrc, scope: scope, actorID: nil, now: Date())
            _ = try await migration.get(Self.code + "/products/lists")
            let badList = try await migration.post(
                Self.code + "/products/lists", ["name": "Sector", "members": "UNHCR\nNobody"])
            #expect(badList.status == .unprocessableEntity && badList.body.contains("“Nobody” is not in the registry"))
            #expect(
                try await migration.post(
                    Self.code + "/products/lists", ["name": "Protection Sector", "members": "UNHCR\nNRC"]
                )
                .status == .seeOther)
            let list = try #require(try await AdvocacyStore(app.db).lists(in: scope).first)
            _ = try await migration.get(path)
            #expect(
                try await migration.post(
                    path + "/distribute", ["channel": "email", "audience": "public", "list_id": list.id.uuidString]
                )
                .status == .unprocessableEntity, "wider than the product's audience")
            #expect(
                try await migration.post(path + "/distribute", ["channel": "email", "audience": "ifrc_ns"]).status
                    == .unprocessableEntity, "no list")
            #expect(
                try await migration.post(
                    path + "/distribute",
                    [
                        "channel": "email", "audience": "ifrc_ns", "list_id": list.id.uuidString,
                        "note": "Sector meeting",
                    ]
                ).status == .seeOther)
            let distributed = try await migration.get(path).body
            #expect(distributed.contains("unrefugeeagency@example.org") && distributed.contains("queued"))
            #expect(distributed.contains("no address"))
            let id = ProductID(UUID(uuidString: String(path.split(separator: "/").last!))!)
            let recipients = try await AdvocacyStore(app.db).distributions(of: id).flatMap(\.recipients)
            #expect(recipients.map(\.status).sorted() == ["no_address", "queued"])
            let jobs = try await (app.db as! any SQLDatabase).select().column("kind").from("jobs").where(
                "kind", .equal, AdvocacyStore.emailJob
            ).all()
            #expect(jobs.count == 1)
            // Sharing with members in Bearing: only those cleared for the audience (not a partner).
            #expect(
                try await migration.post(
                    path + "/distribute",
                    ["channel": "bearing", "audience": "ifrc_ns", "member_ids[0]": users[.partner]!.id.uuidString]
                ).status == .unprocessableEntity)
        }
    }

    @Test(
        "an approved product e-mailed through a real SMTP server: its frozen text, in its language, once per recipient",
        .enabled(if: DeliverySinks.available, "python3 with aiosmtpd is needed (pip install aiosmtpd)"))
    func email() async throws {
        let sink = try MailSink()
        defer { sink.stop() }
        try await withTestApp(adjust: { $0.smtp = AlertTests.smtp(sink) }) { app in
            let fixture = try await Fixture.make(app)
            try await Self.activity(app, fixture)
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            let store = AdvocacyStore(app.db)
            let users = fixture.users
            let product = try await store.create(
                ProductDraft(
                    kind: .humanitarianUpdate, title: "الحدود الشرقية", language: .ar,
                    body: "وصلنا إلى {{reach.people}} شخصاً.",
                    audience: .ifrcAndNationalSociety), scope: scope, actorID: users[.migrationCoordinator]!.id,
                now: Date())
            let reviewers: [ReviewArea: UserID] = [
                .technical: users[.securityCoordinator]!.id, .protection: users[.nationalSocietyFocalPoint]!.id,
                .communications: users[.staff]!.id,
            ]
            _ = try await store.submit(product.id, reviewers: reviewers, scope: scope, actorID: nil, now: Date())
            for (area, user) in reviewers {
                _ = try await store.review(
                    product.id, area: area, verdict: .cleared, comment: nil, scope: scope, actorID: user, now: Date())
            }
            let context = ProductContext(
                context: OperationContext(
                    operation: fixture.operation,
                    current: CurrentUser(
                        user: users[.headOfOperations]!,
                        viewer: try await fixture.viewer(app, users[.headOfOperations]!))),
                scope: scope, members: [])
            let request = Request(application: app, on: app.eventLoopGroup.next())
            _ = try await ProductController.approve(product, context, request)
            let entry = try await StakeholderStore(app.db).create(
                NetworkTests.entry("UNHCR Gedaref"), scope: scope, actorID: nil, now: Date())
            _ = try await store.distribute(
                product.id, channel: .email, list: nil, audience: .ifrcAndNationalSociety, note: nil,
                recipients: Advocacy.recipients(channel: .email, entries: [entry], members: []), scope: scope,
                actorID: nil, now: Date())
            let worker = JobWorker(app: app)
            #expect(try await worker.runOnce() == 1)
            #expect(try await worker.runOnce() == 0, "sent once")
            let mails = sink.messages()
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.envelopeTo == "unhcrgedaref@example.org")
            #expect(mail.subject == "الحدود الشرقية" && mail.text.contains("وصلنا إلى 400 شخصاً."))
            #expect(mail.messageID.hasSuffix("@bearing.advocacy>"))
            let recipients = try await store.distributions(of: product.id).flatMap(\.recipients)
            #expect(recipients.map(\.status) == ["sent"])
        }
    }

    @Test(
        "the API: a product written, versioned with If-Match, reviewed and approved by steps; the author's approval and an unapproved distribution refused",
        arguments: TestDatabases.kinds)
    func api(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            try await Self.activity(app, fixture)
            let browser = Browser(app)
            let spec = try OpenAPIValidator(data: Data(try await browser.get("/api/v1/openapi.json").body.utf8))
            let api = PopulationAPITests()
            let users = fixture.users
            func headers(_ role: Role) async throws -> HTTPHeaders {
                var h = try await api.token(app, users[role]!)
                h.contentType = .json
                return h
            }
            let base = "/api/v1" + Self.code + "/products"
            let heops = try await headers(.headOfOperations)
            let created = try await browser.json(
                .POST, base, headers: heops,
                ["kind": "issue_brief", "title": "Brief", "body": "{{reach.people}} reached", "audience": "ifrc_ns"])
            #expect(created.status == .created, "\(created.body)")
            try api.check(spec, created, "post", "/operations/{code}/products")
            #expect(created.body.contains("\"text\":\"400 reached\""))
            let path = try #require(created.location)
            var stale = heops
            stale.replaceOrAdd(name: .ifMatch, value: "\"0\"")
            #expect(try await browser.json(.PATCH, path, headers: stale, ["title": "x"]).status == .preconditionFailed)
            var fresh = heops
            fresh.replaceOrAdd(name: .ifMatch, value: created.headers.first(name: .eTag) ?? "")
            let patched = try await browser.json(.PATCH, path, headers: fresh, ["title": "Brief v2"])
            #expect(patched.status == .ok && patched.body.contains("\"version\":2"))
            try api.check(spec, patched, "patch", "/operations/{code}/products/{id}")
            let submit = try await browser.json(
                .POST, path + "/actions", headers: heops,
                [
                    "action": "submit",
                    "reviewers": .init([
                        "technical": users[.securityCoordinator]!.id.uuidString,
                        "protection": users[.migrationCoordinator]!.id.uuidString,
                        "communications": users[.staff]!.id.uuidString,
                    ]),
                ])
            #expect(submit.status == .ok, "\(submit.body)")
            try api.check(spec, submit, "post", "/operations/{code}/products/{id}/actions")
            for role in [Role.securityCoordinator, .migrationCoordinator, .staff] {
                let area =
                    role == .securityCoordinator
                    ? "technical" : role == .migrationCoordinator ? "protection" : "communications"
                let reviewed = try await browser.json(
                    .POST, path + "/actions", headers: try await headers(role),
                    ["action": "review", "area": .init(stringLiteral: area), "verdict": "cleared"])
                #expect(reviewed.status == .ok, "\(reviewed.body)")
            }
            let own = try await browser.json(.POST, path + "/actions", headers: heops, ["action": "approve"])
            #expect(own.status == .conflict && own.body.contains("author does not approve"))
            let early = try await browser.json(
                .POST, path + "/actions", headers: heops, ["action": "distribute", "channel": "print", "list_id": "x"])
            #expect(early.status == .conflict || early.status == .unprocessableEntity)
            #expect(
                try await browser.json(
                    .POST, path + "/actions", headers: try await headers(.staff), ["action": "approve"]
                ).status == .forbidden)
            #expect(
                try await browser.json(.POST, path + "/actions", headers: heops, ["action": "publish"]).status
                    == .unprocessableEntity)
            let list = try await browser.get(base + "?state=in_review", headers: heops)
            try api.check(spec, list, "get", "/operations/{code}/products")
            #expect(list.body.contains("Brief v2"))
            // A partner lists nothing it was not given.
            let partner = try await browser.get(base, headers: try await api.token(app, users[.partner]!))
            #expect(partner.status == .ok && !partner.body.contains("Brief"))
        }
    }
}
