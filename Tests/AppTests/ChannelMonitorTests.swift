import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("The delivery monitor: a channel that stopped is said on the dashboard and on /health")
struct ChannelMonitorTests {
    @Test(
        "an SMTP server that cannot be reached, nothing delivered in N days while people are present, too many failures today, a monitor that stopped running"
    )
    func monitor() async throws {
        try await withTestApp(adjust: {
            // Nothing listens there: the server is down.
            $0.smtp = SMTPSettings(
                host: "127.0.0.1", port: Browser.freePort(), security: .startTLS, username: nil, password: nil,
                from: "alerts@bearing.test", timeout: 2)
            $0.monitorQuietDays = 7
            $0.monitorFailurePercent = 20
        }) { app in
            let (fixture, _, people) = try await AlertTests.setUp(app)
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
            let draft = AlertDraft(
                texts: [AlertText(language: "en", title: "T", body: "")], severity: .minor, category: .other,
                audience: AlertAudience(everyone: true), channels: [.email])
            // Today: 3 of 5 messages failed (the fifth to a contact outside the register).
            let seeds = (0..<5).map { i in
                AlertRecipientSeed(
                    personID: i < 4 ? [people.amira.id, people.tomas.id, people.dana.id, people.away.id][i] : nil,
                    name: "Contact \(i)", userID: nil, language: "en", email: "p\(i)@ifrc.test", mobile: nil)
            }
            let alert = try await AlertStore(app.db).create(draft, recipients: seeds, scope: keeper, now: Date())
            let rows = try await AlertStore(app.db).recipients(of: alert.id, in: keeper)
            #expect(rows.count == 5)
            let deliveries = try await JobStore(app.db).claim(worker: "t", limit: 10, lease: 60, now: Date())
            for (i, job) in deliveries.enumerated() {
                try await AlertStore(app.db).record(
                    delivery: UUID(uuidString: job.payload)!, state: i < 3 ? .failed : .sent, reason: "", now: Date())
            }
            try await ChannelMonitor(app: app).check(now: Date())
            let email = try #require(try await AlertStore(app.db).latestChecks().first { $0.channel == .email })
            #expect(!email.ok)
            // Stored as codes, so each reader gets them in their own language.
            #expect(email.detail == "unreachable; failing 60 20")
            #expect(ChannelProblem.parse(email.detail) == [.unreachable, .failing(percent: 60, threshold: 20)])
            // The gateway is not configured and no alert asked for it: no verdict.
            #expect(try await AlertStore(app.db).latestChecks().allSatisfy { $0.channel == .email })

            // Shown to the security roles and on /health; not to others.
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            #expect(
                try await coordinator.get("/operations/SDN-TEST").body.contains("the SMTP server cannot be reached"))
            #expect(
                try await coordinator.get("/operations/SDN-TEST").body.contains(
                    "E-mail: the SMTP server cannot be reached or refused the sign-in, 60 % of today’s messages failed (above 20 %)"
                ))
            _ = try await coordinator.post("/language", ["lang": "ar", "back": "/"])
            let arabic = try await coordinator.get("/operations/SDN-TEST").body
            #expect(
                arabic.contains(
                    "البريد الإلكتروني: تعذّر الوصول إلى خادم البريد (SMTP) أو رفض تسجيل الدخول، فشلت 60 % من رسائل اليوم (أكثر من 20 %)"
                ))
            #expect(!arabic.contains("cannot be reached"))
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            #expect(!(try await staff.get("/operations/SDN-TEST")).body.contains("SMTP"))
            let health = try await Browser(app).get("/health")
            #expect(health.status == .ok && health.body.hasPrefix("ok\ndatabase: ok\n"))
            #expect(
                health.body.contains(
                    "\nalerts: 1 problem(s)\nwarning: alerts email: the SMTP server cannot be reached or refused the sign-in; 60 % of today's messages failed (above 20 %)\n"
                ))

            // Eight days later, nothing delivered since, people present: the quiet rule speaks.
            try await ChannelMonitor(app: app).check(now: Date().addingTimeInterval(8 * 86_400))
            let quiet = try #require(try await AlertStore(app.db).latestChecks().first { $0.channel == .email })
            #expect(ChannelProblem.parse(quiet.detail).contains(.quiet(days: 7)))
            // And when the monitor itself stops, that is said too.
            let stale = try await ChannelMonitor.status(app.db, now: Date().addingTimeInterval(8 * 86_400 + 4 * 3_600))
            #expect(stale.contains { $0.channel == nil && $0.problems == [.monitorSilent(hours: 4)] })
        }
    }

    @Test("/health says the database, the jobs and the alert channels; a due job nobody takes is a warning")
    func health() async throws {
        try await withTestApp { app in
            var health = try await Browser(app).get("/health")
            #expect(health.status == .ok)
            #expect(health.body == "ok\ndatabase: ok\njobs: 0 due; 0 failed in the last 24 hours\nalerts: ok\n")
            #expect(health.headers.first(name: .cacheControl) == "no-store")
            _ = try await JobStore(app.db).enqueue(
                kind: "test", payload: "", key: "health-test", operationID: nil,
                runAt: Date().addingTimeInterval(-20 * 60), now: Date())
            health = try await Browser(app).get("/health")
            #expect(health.status == .ok)
            #expect(health.body.contains("\njobs: 1 due; 0 failed in the last 24 hours\n"))
            #expect(health.body.contains("warning: jobs: the oldest due job has waited 20 minutes"))
            // Out of attempts: a failed job is said too, for a day.
            let claimed = try #require(
                try await JobStore(app.db).claim(worker: "health-test", limit: 1, lease: 60, now: Date()).first)
            try await JobStore(app.db).fail(
                claimed, worker: "health-test", error: "test", permanent: true, backoff: JobBackoff(), now: Date())
            health = try await Browser(app).get("/health")
            #expect(health.body.contains("\njobs: 0 due; 1 failed in the last 24 hours\n"))
            #expect(health.body.contains("warning: jobs: 1 failed in the last 24 hours (bearing jobs list)"))
        }
    }
}
