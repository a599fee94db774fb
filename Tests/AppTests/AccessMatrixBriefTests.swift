import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// The HeOps's documents for every role and outsider: issued ones by their audience, drafts to
/// their writers; a restricted record never counted or named in any; the budget to IFRC readers.
@Suite("Access matrix: briefs and the security budget")
struct AccessMatrixBriefTests {
    @Test(
        "briefs: the list, the page, print, Word, the comparison and the budget answer exactly whom the policy lets in",
        arguments: TestDatabases.kinds)
    func briefs(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let operation = fixture.operation.id
            let heops = fixture.users[.headOfOperations]!
            let coordinator = fixture.users[.securityCoordinator]!
            // Three serious incidents: public, IFRC-only, and restricted.
            for (title, audience) in [
                ("Public matrix incident", AudienceLevel.public), ("IFRC matrix incident", .ifrcOnly),
                ("Restricted matrix incident", .restricted),
            ] {
                let draft = try IncidentDraft(
                    title: title, category: .crime, occurredAt: Date().addingTimeInterval(-3_600), latitude: 15.5,
                    longitude: 32.5, areaPcode: "SD01", seriousInjury: true, audience: audience
                ).validated(now: Date())
                // A restricted incident names the security roles (`rolesNamedOnIncident`): the HeOps sees it.
                _ = try await IncidentStore(app.db).create(
                    draft, reporterID: coordinator.id, in: operation, actorID: coordinator.id, now: Date())
            }
            let scope = AccessPolicy.scope(in: operation, for: try await fixture.viewer(app, heops))!
            let store = BriefStore(app.db)
            let lens = AccessPolicy.operatorBriefLens()
            let period = ReportPeriod.following(lastEnded: nil, today: fixture.operation.time.calendarDay(Date()))
            var briefs: [BriefRecord] = []
            for audience in AudienceLevel.allCases where audience != .restricted {
                let record = try await store.create(
                    BriefDraft(kind: .weekly, period: period), scope: scope, actorID: heops.id, now: Date())
                // Generated as its audience reads it: its content allows exactly that audience.
                let generator = BriefGenerator(
                    app: app, operation: fixture.operation, period: period, language: .en, now: Date())
                let wider = lens.widened(to: audience)
                let content = try await generator.withFloors(
                    try await generator.content(.weekly, lens: wider), lens: wider)
                briefs.append(
                    try await store.issue(
                        record.id, content: content, audience: audience, confirmedWider: false, scope: scope,
                        actorID: heops.id, now: Date()))
            }
            briefs.append(
                try await store.create(
                    BriefDraft(kind: .securitySitrep, period: period), scope: scope, actorID: heops.id, now: Date()))
            let code = "/operations/SDN-TEST"
            for (label, viewer, browser, _) in try await AccessMatrixHTTPTests.everyone(app, fixture) {
                let role = viewer.role(in: operation)
                let list = try await browser.get(code + "/briefs")
                #expect(list.status == (role == nil ? .notFound : .ok), "list for \(label)")
                for brief in briefs {
                    let visible =
                        role != nil
                        && (brief.state == .issued
                            ? AccessPolicy.canViewIssuedBrief(
                                audience: brief.audience, operationID: operation, by: viewer)
                            : AccessPolicy.readsBriefDrafts(role!))
                    let path = code + "/briefs/" + brief.id.uuidString
                    #expect(list.body.contains(brief.id.uuidString) == visible, "\(brief.audience) listed for \(label)")
                    let page = try await browser.get(path)
                    #expect(page.status == (visible ? .ok : .notFound), "\(brief.audience) page for \(label)")
                    #expect(!page.body.contains("Restricted matrix incident"), "restricted incident for \(label)")
                    if visible, brief.state == .issued {
                        #expect(
                            page.body.contains("IFRC matrix incident") == (brief.audience == .ifrcOnly),
                            "IFRC-only incident in a \(brief.audience) brief for \(label)")
                        #expect(page.body.contains("Public matrix incident"), "public incident for \(label)")
                    }
                    let print = try await browser.get(path + "/print")
                    #expect(print.status == (visible ? .ok : .notFound), "\(brief.audience) print for \(label)")
                    if brief.state == .issued {
                        let word = try await browser.get(path + "/brief.docx")
                        #expect(word.status == (visible ? .ok : .notFound), "\(brief.audience) Word for \(label)")
                        let compare = try await browser.get(path + "/compare?with=" + briefs[0].id.uuidString)
                        let both =
                            visible
                            && AccessPolicy.canViewIssuedBrief(
                                audience: briefs[0].audience, operationID: operation, by: viewer)
                        #expect(compare.status == (both ? .ok : .notFound), "\(brief.audience) comparison for \(label)")
                    }
                }
                let writes = role.map { _ in AccessPolicy.canWriteBriefs(in: operation, by: viewer) }
                let created = try await browser.post(
                    code + "/briefs", ["kind": "weekly", "period_first": "2026-11-30", "period_last": "2026-12-06"])
                #expect(
                    created.status == (writes == nil ? .notFound : writes! ? .seeOther : .forbidden),
                    "create for \(label)")
                let budget = try await browser.get(code + "/budget")
                let readsBudget = AccessPolicy.canViewSecurityBudget(in: operation, by: viewer)
                #expect(
                    budget.status == (role == nil ? .notFound : readsBudget ? .ok : .forbidden), "budget for \(label)")
                let csv = try await browser.get(code + "/budget/budget.csv")
                #expect(
                    csv.status == (role == nil ? .notFound : readsBudget ? .ok : .forbidden), "budget CSV for \(label)")
                let keepsBudget = AccessPolicy.canWriteSecurityBudget(in: operation, by: viewer)
                let proposed = try await browser.post(code + "/budget/propose", ["months": "6"])
                #expect(
                    proposed.status == (role == nil ? .notFound : keepsBudget ? .seeOther : .forbidden),
                    "budget proposal for \(label)")
                // A schedule: the writers only (a bad list is a 422 for them, a 403 for everyone else).
                let scheduled = try await browser.post(
                    code + "/briefs/schedules",
                    ["schedule_kind": "weekly", "weekday": "1", "time": "06:00", "time_zone": "UTC", "list_id": "x"])
                #expect(
                    scheduled.status
                        == (writes == nil ? .notFound : writes! ? .unprocessableEntity : .forbidden),
                    "schedule for \(label)")
            }
        }
    }
}
