import Domain
import Foundation
import Interop
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Security plans through the pages")
struct PlanPageTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../Fixtures"
    ).standardized

    func signedIn(_ app: Application, _ user: UserRecord) async throws -> Browser {
        try await Browser.signedIn(app, user)
    }

    func document(_ name: String) throws -> Data { try Data(contentsOf: Self.fixtures.appendingPathComponent(name)) }

    @Test(
        "the coordinator writes the relocation plan with assembly points and a Word document; the HeOps approves it; the clock is met",
        arguments: TestDatabases.kinds)
    func relocation(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinatorUser = fixture.users[.securityCoordinator]!
            let site = try await SiteStore(app.db).create(
                try SiteDraft(
                    name: "Port Sudan delegation", type: .office, latitude: 19.6, longitude: 37.2, audience: .ifrcOnly
                ).validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: coordinatorUser.id, now: Date())
            let coordinator = try await signedIn(app, coordinatorUser)
            let clocks = try await coordinator.get("/operations/SDN-TEST/plans")
            #expect(clocks.status == .ok && clocks.body.contains("Relocation Plan"))
            #expect(clocks.body.contains("First approved version: <strong>"))

            let form = try await coordinator.get("/operations/SDN-TEST/plans/relocation/new")
            #expect(
                form.body.contains("name=\"assembly_points[]\" value=\"\(site.id.uuidString)\"")
                    && form.body.contains("name=\"triggers[orange]\""))
            let saved = try await coordinator.postMultipart(
                "/operations/SDN-TEST/plans/relocation",
                [
                    "content": "Relocation to Port Sudan by road.", "assembly_points[]": site.id.uuidString,
                    "routes": "Khartoum – Atbara – Port Sudan\nKassala – Port Sudan",
                    "triggers[orange]": "Fighting within 10 km of the office",
                    "who_goes": "International staff and dependants", "who_stays": "National staff who choose to stay",
                    "transport": "Four Land Cruisers",
                ], file: (filename: "relocation-plan.docx", data: try document("relocation-plan.docx")))
            #expect(saved.status == .seeOther)
            var page = try await coordinator.get("/operations/SDN-TEST/plans/relocation")
            #expect(page.body.contains("Version 1</strong> · Draft"))
            #expect(page.body.contains(">relocation-plan.docx</a>"))
            #expect(
                page.body.contains("<li>Port Sudan delegation</li>")
                    && page.body.contains("Orange: Fighting within 10 km of the office"))
            // The document comes back byte for byte, as a download.
            let store = PlanStore(app.db)
            let version = try #require(try await store.versions(of: .relocation, in: fixture.operation.id).first)
            let attachment = try #require(try await store.attachments(of: [version.id]).first)
            let download = try await coordinator.get(
                "/operations/SDN-TEST/plans/attachments/\(attachment.id.uuidString)")
            #expect(download.status == .ok)
            #expect(
                download.headers.first(name: .contentDisposition)?.hasPrefix(
                    "attachment; filename=\"relocation-plan.docx\"") == true)
            #expect(download.headers.first(name: .contentType) == AttachmentType.docx.contentType)
            let original = try document("relocation-plan.docx")
            #expect(attachment.sha256 == Hex.sha256(original) && attachment.size == Int64(original.count))
            #expect(download.headers.first(name: .contentLength) == String(original.count))
            let stored = (app.bearingConfig.dataDirectory as NSString).appendingPathComponent(
                "attachments/\(attachment.sha256)")
            #expect(FileManager.default.contents(atPath: stored) == original)

            // Another version cannot be started while this one is open.
            #expect(
                try await coordinator.postMultipart("/operations/SDN-TEST/plans/relocation", ["content": "Second"])
                    .status == .conflict)
            #expect(
                try await coordinator.post(
                    "/operations/SDN-TEST/plans/relocation/versions/\(version.id.uuidString)/submit", [:]
                ).status == .seeOther)
            // The author cannot approve; a coordinator is not the senior manager anyway.
            let refused = try await coordinator.post(
                "/operations/SDN-TEST/plans/relocation/versions/\(version.id.uuidString)/approve", [:])
            #expect(refused.status == .forbidden)
            let heops = try await signedIn(app, fixture.users[.headOfOperations]!)
            #expect(
                try await heops.post(
                    "/operations/SDN-TEST/plans/relocation/versions/\(version.id.uuidString)/approve", [:]
                ).status == .seeOther)
            page = try await heops.get("/operations/SDN-TEST/plans/relocation")
            #expect(page.body.contains("Version 1</strong> · Approved"))
            let deadlines = try #require(
                page.body.components(separatedBy: "<ul class=\"plain\" id=\"deadlines\">").last?.components(
                    separatedBy: "</ul>"
                ).first)
            #expect(deadlines.contains("First approved version: <strong>Done in time</strong>"))
            #expect(
                deadlines.contains("Next review: <strong>Due</strong>")
                    && deadlines.contains("Yearly approval: <strong>Due</strong>"))

            // The yearly approval names both approvers; a review may not be dated in the future.
            let missing = try await coordinator.post(
                "/operations/SDN-TEST/plans/relocation/events",
                ["event": "yearly_approval", "occurred_on": DateText.day(Date()), "rsc": "A. Rahman"])
            #expect(
                missing.status == .unprocessableEntity
                    && missing.body.contains("Name who approved for the Regional Security Coordinator and for the GSU.")
            )
            #expect(
                try await coordinator.post(
                    "/operations/SDN-TEST/plans/relocation/events",
                    ["event": "review", "occurred_on": "2999-01-01"]
                ).status == .unprocessableEntity)
            #expect(
                try await coordinator.post(
                    "/operations/SDN-TEST/plans/relocation/events",
                    [
                        "event": "yearly_approval", "occurred_on": DateText.day(Date()), "rsc": "A. Rahman",
                        "gsu": "B. Berg",
                    ]
                ).status == .seeOther)
            page = try await heops.get("/operations/SDN-TEST/plans/relocation")
            #expect(
                page.body.contains("Regional Security Coordinator: A. Rahman")
                    && page.body.contains("Global Security Unit: B. Berg"))
            // The welcome brief has no yearly approval.
            #expect(
                !(try await heops.get("/operations/SDN-TEST/plans/security_welcome_brief")).body.contains(
                    "value=\"yearly_approval\""))
        }
    }

    @Test(
        "an attachment that is not what its name says, too large, or of another type is refused, and nothing is stored",
        arguments: [TestDatabases.Kind.sqlite])
    func badAttachments(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind, adjust: { $0.maxUploadBytes = 4096 }) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await signedIn(app, fixture.users[.securityCoordinator]!)
            let path = "/operations/SDN-TEST/plans/medical_evacuation"
            let cases: [(String, Data, String)] = [
                ("not-a-pdf.pdf", try document("not-a-pdf.pdf"), "The file&#39;s content is not what its name says"),
                ("plan.exe", Data("MZ".utf8), "Attach a PDF or a Word (.docx) document."),
                (
                    "big.pdf", Data("%PDF-1.4\n".utf8) + Data(repeating: 0x20, count: 5000),
                    "The file is larger than the limit."
                ),
                (
                    "relocation-plan.pdf", try document("relocation-plan.docx"),
                    "The file&#39;s content is not what its name says"
                ),
            ]
            for (name, data, message) in cases {
                let page = try await coordinator.postMultipart(
                    path, ["content": ""], file: (filename: name, data: data))
                #expect(page.status == .unprocessableEntity || page.status == .payloadTooLarge, "\(name)")
                #expect(page.body.contains(message) || page.status == .payloadTooLarge, "\(name): \(message)")
            }
            // neither text nor document
            #expect(try await coordinator.postMultipart(path, ["content": "  "]).status == .unprocessableEntity)
            #expect(try await PlanStore(app.db).versions(of: .medicalEvacuation, in: fixture.operation.id).isEmpty)
            let attachments = (app.bearingConfig.dataDirectory as NSString).appendingPathComponent("attachments")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: attachments)) ?? []).isEmpty)
            // A real PDF is taken, with no text needed.
            let saved = try await coordinator.postMultipart(
                path, ["content": ""], file: (filename: "medevac-plan.pdf", data: try document("medevac-plan.pdf")))
            #expect(saved.status == .seeOther)
            #expect(try await PlanStore(app.db).versions(of: .medicalEvacuation, in: fixture.operation.id).count == 1)
        }
    }

    @Test(
        "the CIM plan's team needs names, roles and phones; who may read and write the plans",
        arguments: [TestDatabases.Kind.sqlite])
    func cimAndAccess(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = try await signedIn(app, fixture.users[.securityCoordinator]!)
            let path = "/operations/SDN-TEST/plans/critical_incident_management"
            let bad = try await coordinator.postMultipart(
                path, ["content": "CIMT", "team[0][name]": "Hana Osman", "team[0][role]": "CIMT lead"])
            #expect(
                bad.status == .unprocessableEntity
                    && bad.body.contains("Each team member needs a name, a role in the team and a phone number."))
            #expect(bad.body.contains("value=\"Hana Osman\""))
            let good = try await coordinator.postMultipart(
                path,
                [
                    "content": "CIMT", "team[0][name]": "Hana Osman", "team[0][role]": "CIMT lead",
                    "team[0][phone]": "+249 91 000 0001", "team[0][email]": "hana@example.org",
                ])
            #expect(good.status == .seeOther)
            #expect(try await coordinator.get(path).body.contains("<td dir=\"ltr\">+249 91 000 0001</td>"))
            for role in [Role.nationalSocietyFocalPoint, .partner] {
                let browser = try await signedIn(app, fixture.users[role]!)
                #expect(try await browser.get("/operations/SDN-TEST/plans").status == .forbidden, "\(role)")
                #expect(try await browser.get(path).status == .forbidden, "\(role)")
            }
            let staff = try await signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get(path).status == .ok)
            #expect(try await staff.postMultipart(path, ["content": "x"]).status == .forbidden)
            let outsider = try await signedIn(app, fixture.outsider)
            #expect(try await outsider.get("/operations/SDN-TEST/plans").status == .notFound)
        }
    }
}
