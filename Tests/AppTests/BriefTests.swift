import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// The HeOps's documents through the pages (issue 20): generated from live data, edited, issued
/// once and frozen, new versions, the series compared, the Word file opened by LibreOffice.
@Suite("Briefs")
struct BriefTests {
    static let code = "/operations/SDN-TEST"

    /// A serious IFRC-only incident this week and a public one: the first keeps a brief IFRC-only.
    static func incidents(_ app: Application, _ fixture: Fixture) async throws {
        let coordinator = fixture.users[.securityCoordinator]!
        for (title, audience, killed) in [("Convoy ambushed", AudienceLevel.ifrcOnly, 1), ("Market theft", .public, 0)]
        {
            let draft = try IncidentDraft(
                title: title, category: .crime, occurredAt: Date().addingTimeInterval(-3_600), latitude: 15.5,
                longitude: 32.5, areaPcode: "SD01", seriousInjury: killed == 1, audience: audience
            ).validated(now: Date())
            _ = try await IncidentStore(app.db).create(
                draft, reporterID: coordinator.id, in: fixture.operation.id, actorID: coordinator.id, now: Date())
        }
    }

    static func today() -> String { DateText.day(Date()) }
    static func weekAgo() -> String { DateText.day(Date().addingTimeInterval(-6 * 86_400)) }

    @Test(
        "a brief's life: generated for its reader, edited, refused wider than its content, issued once, frozen, a new version, compared",
        arguments: TestDatabases.kinds)
    func life(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            try await Self.incidents(app, fixture)
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            // Bad input: the period reversed.
            let reversed = try await heops.post(
                Self.code + "/briefs",
                ["kind": "weekly", "period_first": Self.today(), "period_last": Self.weekAgo(), "language": "en"])
            #expect(reversed.status == .unprocessableEntity && reversed.body.contains("ends before it starts"))
            let created = try await heops.post(
                Self.code + "/briefs",
                ["kind": "weekly", "period_first": Self.weekAgo(), "period_last": Self.today(), "language": "en"])
            #expect(created.status == .seeOther)
            let path = try #require(created.location)
            let draft = try await heops.get(path).body
            #expect(draft.contains("Serious incidents") && draft.contains("Convoy ambushed"))
            #expect(draft.contains("Flows against the previous period") && draft.contains("Action points overdue"))
            // Every link of the document leads to a page (a figure's source is one click away).
            let article = String(draft[draft.range(of: "<article class=\"brief\"")!.lowerBound...])
            let links = Set(
                article.matches(of: /href="([^"]+)"/).map {
                    String($0.output.1).replacingOccurrences(of: "&amp;", with: "&")
                })
            #expect(links.count > 15)
            for link in links.sorted() {
                #expect(try await heops.get(link).status == .ok, "\(link)")
            }
            // The writers' part: the HeOps writes both recommendations.
            let version = try #require(FormReader.fields(in: draft, action: path)["version"])
            let saved = try await heops.post(
                path,
                [
                    "narrative": "Arrivals rose at Gallabat.", "security_recommendations": "Close the road at night.",
                    "migration_recommendations": "Open a second help point.", "version": version,
                ])
            #expect(saved.status == .seeOther)
            // A stale save is refused, not lost silently.
            #expect(try await heops.post(path, ["narrative": "Other words.", "version": version]).status == .conflict)
            // The migration coordinator's save cannot change the security recommendations.
            let migration = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            let page = try await migration.get(path).body
            #expect(!page.contains("name=\"security_recommendations\""))
            let fresh = try #require(FormReader.fields(in: page, action: path)["version"])
            _ = try await migration.post(
                path,
                ["security_recommendations": "Nothing.", "narrative": "Arrivals rose at Gallabat.", "version": fresh])
            #expect(try await heops.get(path).body.contains("Close the road at night."))
            // Issued to the Movement: the IFRC-only incident keeps the content IFRC-only.
            let wider = try await heops.post(path + "/issue", ["audience": "movement"])
            #expect(wider.status == .unprocessableEntity && wider.body.contains("id=\"audience-wider\""))
            let issued = try await heops.post(path + "/issue", ["audience": "ifrc"])
            #expect(issued.status == .seeOther)
            #expect(try await heops.post(path + "/issue", ["audience": "ifrc"]).status == .conflict)
            // Frozen: an edit is refused; the record keeps its content, audience and issuer.
            #expect(try await heops.post(path, ["narrative": "Changed.", "version": version]).status == .conflict)
            let id = try #require(UUID(uuidString: String(path.split(separator: "/").last!)))
            let everything = AccessPolicy.audienceScope(in: fixture.operation.id, audience: .ifrcOnly)
            let record = try #require(try await BriefStore(app.db).find(BriefID(id), in: everything))
            #expect(record.state == .issued && record.audience == .ifrcOnly && record.contentFloor == .ifrcOnly)
            #expect(record.issuedBy == fixture.users[.headOfOperations]!.id)
            #expect(record.content?.section("security.serious")?.floor == .ifrcOnly)
            #expect(record.content?.section("migration.displacement")?.floor == .public)
            // Who reads it: staff yes (cleared for IFRC-only); the National Society's focal point and
            // partners not; nobody but the writers sees a draft.
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get(path).status == .ok)
            let ns = try await Browser.signedIn(app, fixture.users[.nationalSocietyFocalPoint]!)
            #expect(try await ns.get(path).status == .notFound)
            #expect(try await ns.get(Self.code + "/briefs").body.contains("Convoy") == false)
            // A new version: the same number, edition 2, a draft again; issued at the Movement with
            // the wider audience confirmed, its readers include the focal point.
            let next = try await heops.post(path + "/version", [:])
            let nextPath = try #require(next.location)
            #expect(nextPath != path)
            #expect(try await staff.get(nextPath).status == .notFound)
            let confirmed = try await heops.post(
                nextPath + "/issue", ["audience": "movement", "confirm_wider": "yes"])
            #expect(confirmed.status == .seeOther)
            let second = try await ns.get(nextPath)
            #expect(second.status == .ok && second.body.contains("version 2"))
            #expect(second.body.contains("wider audience confirmed by the issuer"))
            // The series: the second issue links back and compares with the first.
            let compare = try await heops.get(nextPath + "/compare?with=" + id.uuidString)
            #expect(compare.status == .ok && compare.body.contains("No figure changed between these two issues"))
            // Partners see none of it.
            let partner = try await Browser.signedIn(app, fixture.users[.partner]!)
            #expect(try await partner.get(nextPath).status == .notFound)
            #expect(try await partner.post(Self.code + "/briefs", ["kind": "weekly"]).status == .forbidden)
            #expect(try await staff.post(Self.code + "/briefs", ["kind": "weekly"]).status == .forbidden)
        }
    }

    @Test(
        "the Word file and the PDF of an issued brief open (LibreOffice, pdftotext) with their text, in English and in Arabic"
    )
    func word() async throws {
        try await withTestApp(.sqlite) { app in
            let fixture = try await Fixture.make(app)
            try await Self.incidents(app, fixture)
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            for (language, expected) in [("en", "Serious incidents"), ("ar", "الحوادث الخطيرة")] {
                let created = try await heops.post(
                    Self.code + "/briefs",
                    [
                        "kind": "security_sitrep", "period_first": Self.weekAgo(), "period_last": Self.today(),
                        "language": language,
                    ])
                let path = try #require(created.location)
                #expect(try await heops.get(path + "/brief.docx").status == .conflict)  // not issued yet
                _ = try await heops.post(path + "/issue", ["audience": "ifrc"])
                let file = try await heops.get(path + "/brief.docx")
                #expect(file.status == .ok)
                #expect(file.headers.first(name: .contentDisposition)?.contains(".docx") == true)
                let bytes = file.data
                #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
                // The same bytes the second time: the file is made once.
                #expect(try await heops.get(path + "/brief.docx").data == bytes)
                // The PDF, printed by Chromium from the print page, read back by pdftotext.
                if BriefPDF.chromium() != nil, OfficeFiles.tool("pdftotext") != nil {
                    let pdf = try await heops.get(path + "/brief.pdf")
                    #expect(pdf.status == .ok && pdf.data.starts(with: Array("%PDF".utf8)))
                    let printed = try #require(try OfficeFiles.text(ofPDF: pdf.data))
                    #expect(printed.contains(expected) && printed.contains("Convoy ambushed"))
                    #expect(printed.contains("IFRC only") || language != "en")
                } else {
                    print("SKIPPED: Chromium or pdftotext is not installed; the PDF was not made.")
                }
                guard let text = try OfficeFiles.text(ofWord: bytes) else {
                    print("SKIPPED: LibreOffice (soffice) and pdftotext are not installed; the .docx was not opened.")
                    continue
                }
                #expect(text.contains(expected))
                #expect(text.contains("Convoy ambushed"))
                #expect(text.contains("SDN-TEST") || text.contains(fixture.operation.name))
            }
        }
    }
}

/// Opens office files with the tools a partner's machine would: LibreOffice converts a .docx to
/// PDF, poppler's pdftotext reads it back. nil when they are not installed.
enum OfficeFiles {
    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func text(ofPDF bytes: Data) throws -> String? {
        guard let pdftotext = tool("pdftotext") else { return nil }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("brief.pdf")
        try bytes.write(to: pdf)
        #expect(try run(pdftotext, [pdf.path, folder.appendingPathComponent("brief.txt").path]) == 0)
        return try String(contentsOf: folder.appendingPathComponent("brief.txt"), encoding: .utf8)
    }

    static func text(ofWord bytes: Data) throws -> String? {
        guard let soffice = tool("soffice"), let pdftotext = tool("pdftotext") else { return nil }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-docx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let docx = folder.appendingPathComponent("brief.docx")
        try bytes.write(to: docx)
        // Its own profile folder, so that two runs never share LibreOffice's lock.
        let profile = "-env:UserInstallation=file://" + folder.appendingPathComponent("profile").path
        #expect(
            try run(soffice, [profile, "--headless", "--convert-to", "pdf", "--outdir", folder.path, docx.path]) == 0)
        let pdf = folder.appendingPathComponent("brief.pdf")
        #expect(try run(pdftotext, ["-layout", pdf.path, folder.appendingPathComponent("brief.txt").path]) == 0)
        return try String(contentsOf: folder.appendingPathComponent("brief.txt"), encoding: .utf8)
    }
}

/// Schedules through a real SMTP server: generated at the operation's wall-clock time, issued at the
/// schedule's audience and e-mailed to the list once; refused content kept as a draft, nothing sent.
@Suite("Brief schedules")
struct BriefScheduleTests {
    @Test(
        "a schedule runs at its time in the operation's zone, issues and e-mails the list once, queues the next; content wider than allowed stays a draft",
        .enabled(if: DeliverySinks.available, "python3 with aiosmtpd is needed (pip install aiosmtpd)"))
    func run() async throws {
        let sink = try MailSink()
        defer { sink.stop() }
        try await withTestApp(adjust: { $0.smtp = AlertTests.smtp(sink) }) { app in
            let fixture = try await Fixture.make(app)
            try await BriefTests.incidents(app, fixture)
            let scope = AccessPolicy.unnamedOperatorScope(in: fixture.operation.id)
            let entry = try await StakeholderStore(app.db).create(
                NetworkTests.entry("UNHCR Gedaref"), scope: scope, actorID: nil, now: Date())
            let list = try await AdvocacyStore(app.db).createList(
                name: "Security cell", members: [entry.id], scope: scope, actorID: nil, now: Date())
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            // The run is tomorrow at 06:00 in Khartoum, whatever the hour here.
            let khartoum = OperationTime(identifier: "Africa/Khartoum")!
            let tomorrow = khartoum.calendarDay(Date()).addingTimeInterval(86_400)
            let form: [String: String] = [
                "schedule_kind": "security_sitrep", "weekday": String(BriefScheduleDraft.weekday(of: tomorrow)),
                "time": "06:00", "time_zone": "Africa/Mars", "schedule_language": "en", "audience": "ifrc",
                "list_id": list.id.uuidString,
            ]
            let refused = try await heops.post(BriefTests.code + "/briefs/schedules", form)
            #expect(refused.status == .unprocessableEntity && refused.body.contains("IANA name"))
            var good = form
            good["time_zone"] = "Africa/Khartoum"
            #expect(try await heops.post(BriefTests.code + "/briefs/schedules", good).status == .seeOther)
            var wide = good
            wide["audience"] = "movement"
            #expect(try await heops.post(BriefTests.code + "/briefs/schedules", wide).status == .seeOther)
            let schedules = try await BriefScheduleStore(app.db).list(in: fixture.operation.id)
            #expect(schedules.count == 2)
            let run = try #require(schedules.first?.nextRunAt)
            #expect(khartoum.minute(run).hasPrefix(DateText.day(tomorrow) + " 06:00"))
            // Nothing before its time; at its time, both run; the e-mail goes out once.
            app.wallClock = FixedClock(run.addingTimeInterval(-60))
            #expect(try await JobWorker(app: app).runOnce() == 0)
            app.wallClock = FixedClock(run.addingTimeInterval(30))
            #expect(try await JobWorker(app: app).runOnce() == 2)
            #expect(try await JobWorker(app: app).runOnce() == 1)
            #expect(try await JobWorker(app: app).runOnce() == 0)
            let mails = sink.messages()
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.envelopeTo == "unhcrgedaref@example.org")
            #expect(mail.subject.contains("Security sitrep") && mail.text.contains("Convoy ambushed"))
            #expect(mail.messageID.hasSuffix("@bearing.briefs>"))
            let after = try await BriefScheduleStore(app.db).list(in: fixture.operation.id)
            let issued = try #require(after.first { $0.draft.audience == .ifrcOnly })
            let held = try #require(after.first { $0.draft.audience == .movement })
            #expect(issued.lastError == nil && issued.nextRunAt == run.addingTimeInterval(7 * 86_400))
            #expect(held.lastError?.contains("confirm") == true)
            let operator_ = AccessPolicy.scheduleScope(in: fixture.operation.id)
            let sentID = try #require(issued.lastBriefID)
            let sent = try #require(try await BriefStore(app.db).find(sentID, in: operator_))
            #expect(sent.state == .issued && sent.scheduleID == issued.id)
            #expect(try await BriefScheduleStore(app.db).recipients(of: sent.id).map(\.status) == ["sent"])
            let heldID = try #require(held.lastBriefID)
            let draft = try #require(try await BriefStore(app.db).find(heldID, in: operator_))
            #expect(draft.state == .draft)
            // Stopped, the next run does nothing (signed in now: the session has no week to wait).
            app.wallClock = FixedClock(Date())
            let stop = try await heops.post(BriefTests.code + "/briefs/schedules/\(issued.id.uuidString)/stop", [:])
            #expect(stop.status == .seeOther)
            app.wallClock = FixedClock(run.addingTimeInterval(7 * 86_400 + 30))
            _ = try await JobWorker(app: app).runOnce()
            #expect(sink.messages().count == 1)
            // Only the writers schedule.
            app.wallClock = FixedClock(Date())
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.post(BriefTests.code + "/briefs/schedules", good).status == .forbidden)
        }
    }
}
