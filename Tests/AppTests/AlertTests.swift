import Domain
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import App

@Suite(
    "Alerts delivered through a real SMTP server and a real gateway receiver, answered with one-time links",
    .enabled(if: DeliverySinks.available, "python3 with aiosmtpd is needed (pip install aiosmtpd)"))
struct AlertTests {
    static let code = "/operations/SDN-TEST"

    struct People {
        let amira: PersonRecord, tomas: PersonRecord, dana: PersonRecord, away: PersonRecord
    }

    /// In Kassala (SD11), at the office: Amira (reads Arabic, e-mail and mobile), Tomás (the staff
    /// member's own record, Spanish), Dana (no address at all). Away: Yusuf, somewhere else.
    static func setUp(_ app: Application) async throws -> (Fixture, SiteRecord, People) {
        let (fixture, office) = try await PeoplePageTests.setUp(app)
        let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
        let store = PersonStore(app.db)
        func person(_ name: String, languages: [String], email: String?, mobile: String?, user: UserID?) async throws
            -> PersonRecord
        {
            try await store.create(
                try PersonDraft(
                    fullName: name, category: .delegate, languages: languages,
                    phones: mobile.map { [PhoneNumber(kind: .mobile, text: $0, e164: $0)] } ?? [], email: email,
                    arrivalAt: Date().addingTimeInterval(-10 * 86_400), userID: user
                ).validated(), scope: keeper, now: Date())
        }
        let amira = try await person(
            "Amira Salih", languages: ["ar", "en"], email: "amira@ifrc.test", mobile: "+249912345678", user: nil)
        let tomas = try await person(
            "Tomás Rivera", languages: ["es"], email: "tomas@ifrc.test", mobile: nil,
            user: fixture.users[.staff]!.id)
        let dana = try await person("Dana Idris", languages: [], email: nil, mobile: nil, user: nil)
        let away = try await person("Yusuf Adam", languages: ["en"], email: "yusuf@ifrc.test", mobile: nil, user: nil)
        for p in [amira, tomas, dana] {
            _ = try await store.confirmLocation(
                of: p.id, place: .site(office.id), areaPcode: "SD11", source: .radioRoom, note: "", scope: keeper,
                now: Date())
        }
        _ = try await store.confirmLocation(
            of: away.id, place: .point(latitude: 4.85, longitude: 31.6, precisionMeters: 50), areaPcode: nil,
            source: .radioRoom, note: "", scope: keeper, now: Date())
        return (fixture, office, People(amira: amira, tomas: tomas, dana: dana, away: away))
    }

    static func smtp(_ sink: MailSink) -> SMTPSettings {
        SMTPSettings(
            host: "127.0.0.1", port: sink.port, security: .startTLS, username: MailSink.user,
            password: MailSink.password, from: "alerts@bearing.test", caFile: sink.certificate, timeout: 5)
    }

    static func drain(_ app: Application) async throws {
        let worker = JobWorker(app: app)
        while try await worker.runOnce() > 0 {}
    }

    @Test(
        "the form says what is wrong field by field; the people chosen get it by e-mail over STARTTLS in their language; the link answers once; a call for help reaches the coordinator",
        arguments: TestDatabases.kinds)
    func emailAndAnswers(kind: TestDatabases.Kind) async throws {
        let sink = try MailSink()
        defer { sink.stop() }
        try await withTestApp(
            kind,
            adjust: {
                $0.smtp = Self.smtp(sink)
                $0.publicURL = "http://bearing.test"
            }
        ) { app in
            let (fixture, _, people) = try await Self.setUp(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            #expect(try await coordinator.get(Self.code + "/alerts/new").status == .ok)

            // Bad input: no title, nobody chosen, no channel; a radius of 900 km.
            let refused = try await coordinator.post(
                Self.code + "/alerts",
                [
                    "severity": "severe", "category": "security", "latitude": "15.4", "longitude": "36.4",
                    "radius_km": "900",
                ])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Write the alert’s title in at least one language."))
            #expect(refused.body.contains("The radius is more than 0 and at most 500 km."))
            #expect(refused.body.contains("Send it by e-mail, SMS, or both."))
            // A choice that selects nobody present is refused, not sent to no one.
            let nobody = try await coordinator.post(
                Self.code + "/alerts",
                [
                    "title_en": "Curfew", "severity": "severe", "category": "security", "latitude": "0",
                    "longitude": "0", "radius_km": "5", "channels[0]": "email",
                ])
            #expect(nobody.status == .unprocessableEntity)
            #expect(nobody.body.contains("No one present in the register matches this choice"))
            #expect(
                try await AlertStore(app.db).list(in: AccessPolicy.operatorPersonnelScope(in: fixture.operation.id))
                    .isEmpty)

            let sent = try await coordinator.post(
                Self.code + "/alerts",
                [
                    "title_en": "Curfew from 18:00", "body_en": "Stay at your residence until further notice.",
                    "title_ar": "حظر التجول من الساعة 18:00", "body_ar": "ابقوا في مساكنكم حتى إشعار آخر.",
                    "severity": "severe", "category": "security", "areas[0]": "SD11", "channels[0]": "email",
                ])
            #expect(sent.status == .seeOther)
            let alertPath = try #require(sent.location)
            try await Self.drain(app)

            let mails = try await sink.waitFor(2)
            #expect(mails.count == 2)
            let toAmira = try #require(mails.first { $0.envelopeTo == "amira@ifrc.test" })
            #expect(toAmira.language == "ar")
            #expect(toAmira.subject.contains("حظر التجول من الساعة 18:00"))
            #expect(toAmira.text.contains("ابقوا في مساكنكم"))
            let toTomas = try #require(mails.first { $0.envelopeTo == "tomas@ifrc.test" })
            #expect(toTomas.language == "en")  // Spanish is not among the alert's languages
            #expect(toTomas.subject == "[Severe] Curfew from 18:00")
            #expect(!mails.contains { $0.envelopeTo.contains("yusuf") })  // outside the area

            // The coordinator's page: who got it, who could not (Dana has no address), live figures.
            let page = try await coordinator.get(alertPath)
            #expect(page.body.contains("Dana Idris") && page.body.contains("No e-mail address in the register."))
            let counts = try await coordinator.get(alertPath + "/counts.json")
            let figures = try JSONDecoder().decode([String: Int].self, from: Data(counts.body.utf8))
            #expect(figures["email.sent"] == 2 && figures["email.failed"] == 1 && figures["recipients"] == 3)

            // Tomás, a recipient, reads the alert but not who else received it.
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            let own = try await staff.get(alertPath)
            #expect(own.status == .ok && own.body.contains("Curfew from 18:00"))
            #expect(!own.body.contains("Amira") && !own.body.contains("Dana") && !own.body.contains("amira@"))
            #expect(try await staff.get(alertPath + "/counts.json").status == .notFound)
            #expect(try await staff.get(Self.code + "/alerts/new").status == .forbidden)
            // A partner reaches no alert; the migration coordinator received none.
            let partner = try await Browser.signedIn(app, fixture.users[.partner]!)
            #expect(try await partner.get(alertPath).status != .ok)
            let migration = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            #expect(try await migration.get(alertPath).status == .notFound)

            // Amira's link, opened without signing in: the alert in Arabic and two buttons; opening changes nothing.
            let link = try #require(
                toAmira.text.split(separator: "\n").first { $0.hasPrefix("http://bearing.test/ack/") })
            let path = String(link.dropFirst("http://bearing.test".count))
            let anonymous = Browser(app)
            let opened = try await anonymous.get(path)
            #expect(
                opened.status == .ok && opened.body.contains("ابقوا في مساكنكم") && opened.body.contains("need_help"))
            // In the message's language: the buttons too, and the page's direction.
            #expect(opened.body.contains("أنا بأمان") && opened.body.contains("dir=\"rtl\""))
            #expect(
                try await AlertStore(app.db).openAlarms(
                    in: AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
                ).isEmpty)
            let help = try await anonymous.post(path, ["answer": "need_help"])
            #expect(help.status == .ok)
            // Replayed, even with another answer: nothing changes.
            let replay = try await anonymous.post(path, ["answer": "safe"])
            // Said in the message's language (Arabic for Amira).
            #expect(replay.status == .ok && replay.body.contains("سبق استخدام هذا الرابط"))
            let alarms = try await AlertStore(app.db).openAlarms(
                in: AccessPolicy.operatorPersonnelScope(in: fixture.operation.id))
            #expect(alarms.map(\.name) == ["Amira Salih"])
            // Forged: a changed code, or another recipient's id with Amira's code.
            var forged = path
            forged.removeLast()
            forged += path.hasSuffix("A") ? "B" : "A"
            #expect(try await anonymous.get(forged).status == .notFound)
            #expect(try await anonymous.post(forged, ["answer": "safe"]).status == .notFound)
            let tomasLink = try #require(
                toTomas.text.split(separator: "\n").first { $0.hasPrefix("http://bearing.test/ack/") })
            let swapped =
                "/ack/" + tomasLink.split(separator: "/").last!.split(separator: ".")[0] + "."
                + path.split(separator: ".").last!
            #expect(try await anonymous.get(String(swapped)).status == .notFound)
            #expect(try await anonymous.get("/ack/nonsense").status == .notFound)

            // The call for help is on the coordinator's dashboard, not on the staff member's.
            let dashboard = try await coordinator.get(Self.code)
            #expect(dashboard.body.contains("Asking for help") && dashboard.body.contains("Amira Salih"))
            #expect(!(try await staff.get(Self.code)).body.contains("Asking for help"))
            let handled = try await coordinator.post(
                alertPath + "/help-handled", ["recipient": alarms[0].recipientID.uuidString])
            #expect(handled.status == .seeOther)
            #expect(!(try await coordinator.get(Self.code)).body.contains("Asking for help"))

            // The audit trail has the alert and the answer, its values for the security roles only.
            let entries = try await AuditStore(app.db).entries(
                recordKind: "alert", recordID: alertPath.split(separator: "/").last!.description)
            #expect(entries.count >= 3)
            let viewer = try await UserStore(app.db).viewer(for: fixture.users[.migrationCoordinator]!)
            #expect(AccessPolicy.canReadAuditedValues(ofKind: "alert", in: fixture.operation.id, by: viewer) == false)
        }
    }

    @Test(
        "a refused address fails for good with the server's words; a server that is down leaves messages queued with the reason, then failed after the last attempt, the alert kept"
    )
    func failuresAreVisible() async throws {
        let sink = try MailSink(refusing: ["tomas@ifrc.test"])
        try await withTestApp(adjust: { $0.smtp = Self.smtp(sink) }) { app in
            let (fixture, _, people) = try await Self.setUp(app)
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
            var input = AlertInput()
            input.severity = "moderate"
            input.category = "safety"
            input.texts = [.init(language: "en", title: "Road closed", body: "")]
            input.people = [people.amira.id.uuidString, people.tomas.id.uuidString]
            input.channels = ["email"]
            let draft = try input.decoded(phases: PhaseRules.ifrc.phases)
            let recipients = try await AlertAudienceService(database: app.db).recipients(
                of: draft, operationID: fixture.operation.id, people: keeper,
                sites: AccessPolicy.unnamedOperatorScope(in: fixture.operation.id), now: Date())
            let first = try await AlertStore(app.db).create(draft, recipients: recipients, scope: keeper, now: Date())
            try await Self.drain(app)
            let mails = try await sink.waitFor(1)
            #expect(mails.map(\.envelopeTo) == ["amira@ifrc.test"])
            let rows = try await AlertStore(app.db).recipients(of: first.id, in: keeper)
            let tomas = try #require(rows.first { $0.personID == people.tomas.id }?.deliveries.first)
            #expect(tomas.state == .failed && tomas.reason.contains("550") && tomas.reason.contains("tomas@ifrc.test"))
            #expect(rows.first { $0.personID == people.amira.id }?.deliveries.first?.state == .sent)

            // The server goes down: the message stays queued, the reason shown, the job waits to retry.
            sink.stop()
            // A seed is one recipient of one alert: the second alert gets its own.
            let second = try await AlertStore(app.db).create(
                draft,
                recipients: [
                    AlertRecipientSeed(
                        personID: people.amira.id, userID: nil, language: "en", email: "amira@ifrc.test", mobile: nil)
                ], scope: keeper, now: Date())
            try await Self.drain(app)
            var delivery = try #require(
                try await AlertStore(app.db).recipients(of: second.id, in: keeper).first?.deliveries.first)
            #expect(
                delivery.state == .queued && delivery.reason.contains("Cannot reach the SMTP server"), "\(delivery)")
            let pending = try await JobStore(app.db).list(states: [.pending])
            #expect(pending.count == 1 && pending[0].attempts == 1 && pending[0].runAt > Date().addingTimeInterval(20))
            // At the last attempt it fails for good, visibly; nothing is deleted.
            try await (app.db as! any SQLDatabase).update("jobs").set("attempts", to: 7).set(
                "run_at", to: Date().addingTimeInterval(-1)
            )
            .run()
            try await Self.drain(app)
            delivery = try #require(
                try await AlertStore(app.db).recipients(of: second.id, in: keeper).first?.deliveries.first)
            #expect(delivery.state == .failed && delivery.attempts == 2)
            let failed = try await JobStore(app.db).list(states: [.failed])
            // Two for good: Tomás's refused address, and this one.
            #expect(
                failed.count == 2
                    && failed.filter { $0.lastError?.contains("Cannot reach the SMTP server") == true }.count == 1)
            #expect(try await AlertStore(app.db).find(second.id, in: keeper) != nil)
        }
    }

    @Test(
        "the gateway gets a signed JSON message, checked by a real receiver; a receiver that refuses the signature fails the message with its answer"
    )
    func gateway() async throws {
        let receiver = try GatewaySink()
        defer { receiver.stop() }
        try await withTestApp(adjust: {
            $0.gateway = GatewaySettings(url: receiver.url, secret: receiver.secret)
            $0.publicURL = "https://bearing.example.org"
        }) { app in
            let (fixture, _, people) = try await Self.setUp(app)
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
            var input = AlertInput()
            input.severity = "extreme"
            input.category = "security"
            input.texts = [.init(language: "en", title: "Shelter in place", body: "Shooting near the market.")]
            input.people = [people.amira.id.uuidString, people.tomas.id.uuidString]
            input.channels = ["sms"]
            let draft = try input.decoded(phases: PhaseRules.ifrc.phases)
            let recipients = try await AlertAudienceService(database: app.db).recipients(
                of: draft, operationID: fixture.operation.id, people: keeper,
                sites: AccessPolicy.unnamedOperatorScope(in: fixture.operation.id), now: Date())
            let alert = try await AlertStore(app.db).create(draft, recipients: recipients, scope: keeper, now: Date())
            try await Self.drain(app)
            let got = receiver.messages()
            #expect(got.count == 1)
            #expect(got.first?["to"] as? String == "+249912345678")
            #expect((got.first?["text"] as? String)?.contains("https://bearing.example.org/ack/") == true)
            #expect(got.first?["idempotency_key"] as? String == got.first?["id"] as? String)
            let rows = try await AlertStore(app.db).recipients(of: alert.id, in: keeper)
            #expect(
                rows.first { $0.personID == people.tomas.id }?.deliveries.first?.reason
                    == "No mobile number that can be read in the register.")
        }
        // The same message signed with the wrong secret: the receiver says 401; failed for good, with the answer.
        try await withTestApp(adjust: {
            $0.gateway = GatewaySettings(url: receiver.url, secret: "not-the-shared-secret-at-all")
        }) { app in
            let (fixture, _, people) = try await Self.setUp(app)
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
            let draft = AlertDraft(
                texts: [AlertText(language: "en", title: "Test", body: "")], severity: .minor, category: .other,
                audience: AlertAudience(personIDs: [people.amira.id]), channels: [.sms])
            let alert = try await AlertStore(app.db).create(
                draft,
                recipients: [
                    .init(personID: people.amira.id, userID: nil, language: "en", email: nil, mobile: "+249912345678")
                ],
                scope: keeper, now: Date())
            try await Self.drain(app)
            let delivery = try #require(
                try await AlertStore(app.db).recipients(of: alert.id, in: keeper).first?.deliveries.first)
            #expect(delivery.state == .failed && delivery.reason.contains("401"))
        }
    }

    @Test(
        "a worker that died holding a job: after the lease another takes it up; a message recorded as sent is not sent again"
    )
    func restartSendsOnce() async throws {
        let sink = try MailSink()
        defer { sink.stop() }
        try await withTestApp(adjust: {
            $0.smtp = Self.smtp(sink)
            $0.jobLease = 2
        }) { app in
            let (fixture, _, people) = try await Self.setUp(app)
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
            let draft = AlertDraft(
                texts: [AlertText(language: "en", title: "Check in", body: "")], severity: .minor, category: .other,
                audience: AlertAudience(personIDs: [people.amira.id, people.tomas.id]), channels: [.email])
            let recipients = try await AlertAudienceService(database: app.db).recipients(
                of: draft, operationID: fixture.operation.id, people: keeper,
                sites: AccessPolicy.unnamedOperatorScope(in: fixture.operation.id), now: Date())
            let alert = try await AlertStore(app.db).create(draft, recipients: recipients, scope: keeper, now: Date())
            // A worker claims both messages and dies; one had been recorded as sent just before.
            let claimed = try await JobStore(app.db).claim(worker: "dead", limit: 10, lease: 2, now: Date())
            #expect(claimed.count == 2)
            let sentBefore = try #require(UUID(uuidString: claimed[0].payload))
            try await AlertStore(app.db).record(delivery: sentBefore, state: .sent, reason: "", now: Date())
            // While the lease holds, nobody else takes them.
            #expect(try await JobWorker(app: app).runOnce() == 0)
            try await Task.sleep(for: .seconds(2.2))
            try await Self.drain(app)
            let mails = try await sink.waitFor(1, seconds: 5)
            #expect(mails.count == 1)
            let counts = try await AlertStore(app.db).counts(of: [alert.id], in: keeper)[alert.id]
            #expect(counts?.count(.email, .sent) == 2)
            #expect(try await JobStore(app.db).list(states: [.pending, .running]).isEmpty)
            // The dead worker's late word changes nothing.
            try await JobStore(app.db).fail(
                claimed[1], worker: "dead", error: "late", backoff: JobBackoff(), now: Date())
            #expect(try await JobStore(app.db).list(states: [.failed, .pending]).isEmpty)
        }
    }

    @Test(
        "at the call-back time agreed on a critical incident, whoever took the call gets an e-mail; a time agreed since replaces it"
    )
    func callBackReminder() async throws {
        let sink = try MailSink()
        defer { sink.stop() }
        try await withTestApp(adjust: { $0.smtp = Self.smtp(sink) }) { app in
            let (fixture, _, _) = try await Self.setUp(app)
            let coordinator = fixture.users[.securityCoordinator]!
            let scope = try #require(
                AccessPolicy.crisisScope(in: fixture.operation.id, for: try await fixture.viewer(app, coordinator)))
            let soon = Date().addingTimeInterval(1.5)
            let record = try await CriticalIncidentStore(app.db).open(
                CriticalIncidentDraft(
                    whoText: "A driver", what: "Stopped at a checkpoint", whereText: "km 20", occurredAt: Date(),
                    knownAt: Date(), callerName: "Omer", callerPhone: "+249 91 555 0101", callBackAt: soon,
                    riskToLife: .unknown, level: .significant), names: [:], scope: scope, now: Date())
            func schedule(_ at: Date) async throws {
                let stamp = String(Int(at.timeIntervalSince1970))
                try await JobStore(app.db).enqueue(
                    kind: CriticalIncidentService.callBackJob, payload: "\(record.id.uuidString)|\(stamp)",
                    key: "cim-call-back:\(record.id.uuidString):\(stamp)", operationID: fixture.operation.id, runAt: at,
                    now: Date())
            }
            try await schedule(soon)
            try await Task.sleep(for: .seconds(2))
            try await Self.drain(app)
            let mails = try await sink.waitFor(1, seconds: 5)
            #expect(mails.count == 1)
            #expect(mails.first?.envelopeTo == coordinator.email)
            #expect(mails.first?.subject == "Call back now: critical incident 1")
            #expect(mails.first?.text.contains("Call back Omer on +249 91 555 0101") == true)
            // Another time agreed: the reminder of the first one, still queued, sends nothing.
            let later = Date().addingTimeInterval(1.2)
            try await schedule(later)
            try await CriticalIncidentStore(app.db).setCallBack(
                record.id, at: Date().addingTimeInterval(3_600), scope: scope, now: Date())
            try await Task.sleep(for: .seconds(1.5))
            try await Self.drain(app)
            #expect(sink.messages().count == 1)
            #expect(try await JobStore(app.db).list(states: [.pending, .running, .failed]).isEmpty)
        }
    }

    @Test(
        "overdue reminders: each security role gets one e-mail naming what went overdue (an arrival not briefed in 24 hours), and never the same item twice"
    )
    func overdueReminders() async throws {
        let sink = try MailSink()
        defer { sink.stop() }
        try await withTestApp(adjust: { $0.smtp = Self.smtp(sink) }) { app in
            let (fixture, _, _) = try await Self.setUp(app)
            // Everyone in the register arrived ten days ago; nobody is briefed.
            try await OverdueReminders(app: app).run(now: Date())
            let mails = try await sink.waitFor(2, seconds: 5)
            #expect(
                Set(mails.map(\.envelopeTo))
                    == [fixture.users[.securityCoordinator]!.email, fixture.users[.headOfOperations]!.email])
            #expect(mails.allSatisfy { $0.subject == "Bearing SDN-TEST: 4 overdue" })
            #expect(mails.allSatisfy { $0.text.contains("Amira Salih arrived") && $0.text.contains("is not briefed") })
            // The next hour: nothing new, nothing sent.
            try await OverdueReminders(app: app).run(now: Date().addingTimeInterval(3_600))
            try await Task.sleep(for: .milliseconds(300))
            #expect(sink.messages().count == 2)
        }
    }

    @Test(
        "a batch is held past half its lease while the worker still owns it, and given up once another worker took it")
    func leaseHeld() async throws {
        try await withTestApp(adjust: { $0.jobLease = 60 }) { app in
            let start = Date()
            app.wallClock = FixedClock(start)
            let jobs = JobStore(app.db)
            for i in 0..<3 {
                try await jobs.enqueue(
                    kind: "k", payload: "\(i)", key: "k\(i)", operationID: nil, runAt: start, now: start)
            }
            let worker = JobWorker(app: app)
            let held = try await jobs.claim(worker: worker.name, limit: 10, lease: 60, now: start)
            var lease = JobWorker.Lease(worker: worker, since: start)
            // Before half the lease: nothing to do.
            app.wallClock = FixedClock(start.addingTimeInterval(20))
            #expect(try await lease.hold(held))
            #expect(
                try await jobs.list(states: [.running]).allSatisfy {
                    abs(($0.leaseUntil ?? start).timeIntervalSince(start.addingTimeInterval(60))) < 0.01
                })
            // Past half: held for another lease from now.
            app.wallClock = FixedClock(start.addingTimeInterval(40))
            #expect(try await lease.hold(held))
            #expect(
                try await jobs.list(states: [.running]).allSatisfy {
                    abs(($0.leaseUntil ?? start).timeIntervalSince(start.addingTimeInterval(100))) < 0.01
                })
            // Another worker took one (its lease had run out): the batch stops.
            try await (app.db as! any SQLDatabase).update("jobs").set("worker", to: "other").where(
                "payload", .equal, "2"
            )
            .run()
            app.wallClock = FixedClock(start.addingTimeInterval(80))
            #expect(!(try await lease.hold(held)))
        }
    }
}
