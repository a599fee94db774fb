import Foundation
import Testing

@testable import Domain

@Suite("Briefs: periods, the issue rules, schedules, comparison")
struct BriefRulesTests {
    static func day(_ text: String) -> Date { DateText.day(text)! }

    @Test("a period that ends before it starts, or runs over a year, is refused with the field named")
    func periods() throws {
        #expect(throws: ValidationErrors.self) {
            try ReportPeriod(first: Self.day("2026-12-06"), last: Self.day("2026-11-30"))
        }
        do {
            _ = try ReportPeriod.read(first: "2026-12-06", last: "2026-11-30")
            Issue.record("a reversed period was accepted")
        } catch { #expect(error.message(for: "period_last")?.messageKey == "briefs.period_reversed") }
        do {
            _ = try ReportPeriod.read(first: "2025-01-01", last: "2026-12-06")
            Issue.record("a period of two years was accepted")
        } catch { #expect(error.message(for: "period_last")?.messageKey == "briefs.period_too_long") }
        do {
            _ = try ReportPeriod.read(first: "yesterday", last: "")
            Issue.record("no days were accepted")
        } catch {
            #expect(error.message(for: "period_first") != nil && error.message(for: "period_last") != nil)
        }
        let week = try ReportPeriod.read(first: "2026-11-30", last: "2026-12-06")
        #expect(week.dayCount == 7)
        #expect(DateText.day(week.previous.first) == "2026-11-23" && DateText.day(week.previous.last) == "2026-11-29")
    }

    @Test("the default period runs from the day after the last brief to today, else a week")
    func defaultPeriod() {
        let today = Self.day("2026-12-06")
        let after = ReportPeriod.following(lastEnded: Self.day("2026-11-29"), today: today)
        #expect(DateText.day(after.first) == "2026-11-30" && DateText.day(after.last) == "2026-12-06")
        let first = ReportPeriod.following(lastEnded: nil, today: today)
        #expect(DateText.day(first.first) == "2026-11-30")
        let sameDay = ReportPeriod.following(lastEnded: today, today: today)
        #expect(sameDay.dayCount == 7)
    }

    @Test("the period's moments follow the operation's clock")
    func instants() throws {
        let period = try ReportPeriod.read(first: "2026-11-30", last: "2026-12-06")
        let (start, end) = period.instants(OperationTime(identifier: "Africa/Khartoum")!)
        #expect(DateText.minute(start) == "2026-11-29 22:00 UTC" && DateText.minute(end) == "2026-12-06 22:00 UTC")
    }

    @Test("issuing: once, never to named people, and wider than the content allows only when confirmed")
    func issue() throws {
        #expect(throws: BriefWorkflow.Refusal.alreadyIssued) {
            try BriefWorkflow.checkIssue(state: .issued, audience: .ifrcOnly, floor: .ifrcOnly, confirmedWider: true)
        }
        #expect(throws: BriefWorkflow.Refusal.restrictedAudience) {
            try BriefWorkflow.checkIssue(state: .draft, audience: .restricted, floor: .ifrcOnly, confirmedWider: false)
        }
        #expect(throws: BriefWorkflow.Refusal.audienceWider(allowed: .ifrcOnly)) {
            try BriefWorkflow.checkIssue(state: .draft, audience: .movement, floor: .ifrcOnly, confirmedWider: false)
        }
        try BriefWorkflow.checkIssue(state: .draft, audience: .movement, floor: .ifrcOnly, confirmedWider: true)
        try BriefWorkflow.checkIssue(state: .draft, audience: .ifrcOnly, floor: .movement, confirmedWider: false)
    }

    @Test("a reader's lens: sections by each area's own rule, at the reader's widest clearance")
    func lens() {
        let operation = OperationID(UUID())
        func viewer(_ role: Role) -> Viewer {
            Viewer(userID: UserID(UUID()), isSystemAdministrator: false, roles: [operation: role])
        }
        let heops = AccessPolicy.briefLens(in: operation, for: viewer(.headOfOperations), reachesEveryone: true)!
        #expect(heops.level == .ifrcOnly && heops.sections == Set(BriefSection.allCases))
        let migration = AccessPolicy.briefLens(
            in: operation, for: viewer(.migrationCoordinator), reachesEveryone: false)!
        #expect(!migration.sections.contains(.people) && !migration.sections.contains(.alerts))
        #expect(migration.sections.contains(.scenarios) && migration.sections.contains(.referrals))
        let ns = AccessPolicy.briefLens(in: operation, for: viewer(.nationalSocietyFocalPoint), reachesEveryone: false)!
        #expect(ns.level == .ifrcAndNationalSociety && !ns.sections.contains(.plans))
        let partner = AccessPolicy.briefLens(in: operation, for: viewer(.partner), reachesEveryone: false)!
        #expect(
            partner.level == .public && !partner.sections.contains(.meetings) && partner.sections.contains(.incidents))
        #expect(heops.widened(to: .movement).sections.allSatisfy { $0.fixedFloor <= .movement })
        #expect(AccessPolicy.briefLens(in: OperationID(UUID()), for: viewer(.staff), reachesEveryone: false) == nil)
        // Recommendations: each coordinator their own, the HeOps both, nobody else.
        #expect(AccessPolicy.canWriteRecommendations(.security, as: .securityCoordinator))
        #expect(!AccessPolicy.canWriteRecommendations(.security, as: .migrationCoordinator))
        #expect(AccessPolicy.canWriteRecommendations(.migration, as: .headOfOperations))
        #expect(!AccessPolicy.canWriteRecommendations(.migration, as: .staff))
    }

    @Test("a schedule in a time zone that does not exist, or at no time, is refused with the field named")
    func scheduleInput() throws {
        var input = BriefScheduleInput()
        input.kind = "weekly"
        input.weekday = "1"
        input.time = "06:00"
        input.timeZone = "Mars/Olympus_Mons"
        input.listID = UUID().uuidString
        do {
            _ = try input.decoded()
            Issue.record("an unknown time zone was accepted")
        } catch { #expect(error.message(for: "time_zone")?.messageKey == "error.time_zone") }
        input.timeZone = "Africa/Khartoum"
        input.time = "25:00"
        input.weekday = "8"
        do {
            _ = try input.decoded()
            Issue.record("25:00 on day 8 was accepted")
        } catch {
            #expect(error.message(for: "time") != nil && error.message(for: "weekday") != nil)
        }
        input.time = "06:00"
        input.weekday = "1"
        input.kind = "handover"
        #expect(throws: ValidationErrors.self) { try input.decoded() }
        input.kind = "weekly"
        let schedule = try input.decoded()
        #expect(schedule.minuteOfDay == 360 && schedule.time.identifier == "Africa/Khartoum")
    }

    @Test("the next run is the next such weekday at that wall-clock time, across a summer-time change")
    func nextRun() throws {
        var input = BriefScheduleInput()
        input.kind = "weekly"
        input.weekday = "1"
        input.time = "06:00"
        input.timeZone = "Europe/Berlin"
        input.listID = UUID().uuidString
        let schedule = try input.decoded()
        // Saturday 2026-03-28; Berlin moves to summer time on Sunday 29 March.
        let saturday = DateText.time("2026-03-28T12:00:00Z")!
        #expect(DateText.minute(schedule.nextRun(after: saturday)) == "2026-03-30 04:00 UTC")
        let winter = DateText.time("2026-12-05T12:00:00Z")!
        #expect(DateText.minute(schedule.nextRun(after: winter)) == "2026-12-07 05:00 UTC")
        // At the run itself, the next is a week later.
        let run = schedule.nextRun(after: winter)
        #expect(DateText.minute(schedule.nextRun(after: run)) == "2026-12-14 05:00 UTC")
        #expect(BriefScheduleDraft.weekday(of: Self.day("2026-12-07")) == 1)
        let period = schedule.period(at: run, lastEnded: nil)
        #expect(DateText.day(period.first) == "2026-11-30" && DateText.day(period.last) == "2026-12-06")
        let since = schedule.period(at: run, lastEnded: Self.day("2026-12-02"))
        #expect(DateText.day(since.first) == "2026-12-03" && DateText.day(since.last) == "2026-12-06")
    }

    @Test("what changed between two issues: figures moved, added and gone; the same ones counted")
    func comparison() {
        func content(_ values: [(String, Double)]) -> BriefContent {
            BriefContent(
                sections: [
                    .init(
                        key: "security.incidents", part: .security, title: "Incidents",
                        items: values.map { .init(key: $0.0, label: $0.0, value: $0.1, display: String(Int($0.1))) },
                        floor: .public)
                ], generatedAt: Date())
        }
        let older = content([("reported", 4), ("all", 10), ("gone", 1)])
        let newer = content([("reported", 8), ("all", 10), ("new", 2)])
        let compared = BriefComparison.between(older, newer)
        #expect(compared.unchanged == 1)
        #expect(compared.changes.contains { $0.label == "reported" && $0.delta == 4 && $0.before == "4" })
        #expect(compared.changes.contains { $0.label == "new" && $0.before == nil })
        #expect(compared.changes.contains { $0.label == "gone" && $0.after == nil })
        #expect(newer.floor == .public)
    }
}
