import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Scenarios through the pages")
struct ScenarioPageTests {
    @Test(
        "a projection of the monthly arrivals is offered, kept with the scenario, and drawn against what was counted",
        arguments: TestDatabases.kinds)
    func scenario(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let migration = fixture.users[.migrationCoordinator]!
            let browser = try await Browser.signedIn(app, migration)
            // Too little to project yet.
            #expect(try await browser.get("/operations/SDN-TEST/scenarios").body.contains("Too few months of arrivals"))

            let point = try await SiteStore(app.db).create(
                try SiteDraft(
                    name: "FMP Joda", type: .flowMonitoringPoint, latitude: 11.9, longitude: 32.7,
                    audience: .ifrcAndNationalSociety
                ).validated(),
                areaPcode: nil, grants: .init(), in: fixture.operation.id, actorID: migration.id, now: Date())
            let scope = try #require(
                AccessPolicy.scope(in: fixture.operation.id, for: try await fixture.viewer(app, migration)))
            // Six past months of arrivals rising by 100 a month: 100, 200, … 600 (one tally on the 10th of each).
            let thisMonth = AnalysisPeriods.start(of: .month, containing: Date())
            for (i, monthsAgo) in (1...6).reversed().enumerated() {
                let day = AnalysisPeriods.calendar.date(
                    byAdding: .day, value: 9,
                    to: AnalysisPeriods.calendar.date(byAdding: .month, value: -monthsAgo, to: thisMonth)!)!
                _ = try await FlowStore(app.db).record(
                    try FlowObservationDraft(
                        pointID: point.id, windowStart: day, windowEnd: day.addingTimeInterval(3600),
                        direction: .incoming, total: 100 * (i + 1)
                    ).validated(now: Date()),
                    scope: scope, actorID: migration.id, now: Date())
            }
            // A restricted point the coordinator is named on: its arrivals are never summed into a scenario's figures,
            // which every reader of scenarios sees.
            let hidden = try await SiteStore(app.db).create(
                try SiteDraft(
                    name: "Safe house", type: .flowMonitoringPoint, latitude: 12, longitude: 32, audience: .restricted
                ).validated(),
                areaPcode: nil, grants: .init(roles: [.migrationCoordinator]), in: fixture.operation.id,
                actorID: migration.id, now: Date())
            let lastMonth = AnalysisPeriods.calendar.date(
                byAdding: .day, value: 9, to: AnalysisPeriods.calendar.date(byAdding: .month, value: -1, to: thisMonth)!
            )!
            _ = try await FlowStore(app.db).record(
                try FlowObservationDraft(
                    pointID: hidden.id, windowStart: lastMonth, windowEnd: lastMonth.addingTimeInterval(3600),
                    direction: .incoming, total: 50_000
                ).validated(now: Date()),
                scope: scope, actorID: migration.id, now: Date())
            let index = try await browser.get("/operations/SDN-TEST/scenarios")
            // A straight line: next month 700, then 800 and 900; 3 months: 2,400.
            #expect(index.body.contains("Holt&#39;s linear trend (double exponential smoothing) on 6 months"))
            #expect(index.body.contains("<li>3 months: <strong>2\u{202F}400</strong> (2\u{202F}400–2\u{202F}400)</li>"))

            let refused = try await browser.post(
                "/operations/SDN-TEST/scenarios",
                ["name": "Most likely", "kind": "most_likely", "figures[MIT_3_acute]": "lots"])
            #expect(refused.status == .unprocessableEntity && refused.body.contains("Give a whole number."))
            let saved = try await browser.post(
                "/operations/SDN-TEST/scenarios",
                [
                    "name": "Fighting spreads to White Nile", "kind": "worst", "assumptions": "Kosti cut off",
                    "triggers": "Shelling of Kosti",
                    "figures[MIT_3_acute]": "2,400", "figures[REF_12_protracted]": "15000", "keep_projection": "on",
                ])
            #expect(saved.status == .seeOther)
            let page = try await browser.get(try #require(saved.headers.first(name: .location)))
            #expect(page.body.contains("Fighting spreads to White Nile <small>(Worst case)</small>"))
            #expect(
                page.body.contains(
                    "<td>Migrants in transit</td><td>3 months</td><td>Acute</td><td class=\"score\">2\u{202F}400</td>"))
            #expect(
                page.body.contains(
                    "<td class=\"score\">700</td><td class=\"score\">700–700</td><td class=\"score\">—</td>"))
            #expect(
                page.body.contains("<figure class=\"chart\"><svg") && page.body.contains("class=\"chart projection\""))
            #expect(!page.body.contains("class=\"actual\""), "no projected month is over yet")
            // A scenario made three months ago: its projected months are over, and what was counted stands beside them.
            let firstMonth = AnalysisPeriods.label(
                .month, AnalysisPeriods.calendar.date(byAdding: .month, value: -3, to: thisMonth)!)
            var points: [HoltForecast.Point] = []
            for step in 1...3 {
                let value = Double(300 + 50 * step)
                points.append(HoltForecast.Point(step: step, value: value, low: 250, high: value + 100))
            }
            let madeOn = AnalysisPeriods.calendar.date(byAdding: .month, value: -3, to: thisMonth)!
            let projection = ScenarioDraft.Projection(
                series: "Arrivals", method: "Holt", madeOn: madeOn, firstMonth: firstMonth, points: points)
            let draft = try ScenarioDraft(name: "Made in the spring", kind: .mostLikely, projection: projection)
                .validated()
            let earlier = try await ScenarioStore(app.db).create(
                draft, in: fixture.operation.id, actorID: migration.id, now: Date())
            let drawn = try await browser.get("/operations/SDN-TEST/scenarios/\(earlier.id.uuidString)")
            let bars = drawn.body.components(separatedBy: "class=\"actual\" data-value=\"").dropFirst().map {
                $0.prefix { $0.isNumber }
            }
            #expect(bars == ["400", "500", "600"], "the arrivals of three, two and one months ago")

            // Revised: new figures and assumptions; the projection it started from is kept; a bad figure changes nothing.
            let path = try #require(saved.headers.first(name: .location))
            #expect(
                page.body.contains("<details id=\"revise-scenario\">") && page.body.contains("value=\"15000\""),
                "the form is filled from the scenario")
            let revised = try await browser.post(
                path,
                [
                    "name": "Fighting spreads to White Nile", "kind": "most_likely",
                    "assumptions": "Kosti cut off for a month",
                    "triggers": "Shelling of Kosti", "figures[MIT_3_acute]": "3,000",
                ])
            #expect(revised.status == .seeOther)
            let after = try await browser.get(path)
            #expect(
                after.body.contains("<small>(Most likely)</small>") && after.body.contains("Kosti cut off for a month"))
            #expect(
                after.body.contains("<td class=\"score\">3\u{202F}000</td>") && !after.body.contains("15\u{202F}000"))
            #expect(after.body.contains("class=\"chart projection\""), "the starting projection is kept")
            let wrong = try await browser.post(path, ["name": "", "kind": "worst", "figures[MIT_3_acute]": "many"])
            #expect(
                wrong.status == .unprocessableEntity && wrong.body.contains("<details id=\"revise-scenario\" open>"))
            #expect(try await browser.get(path).body.contains("Kosti cut off for a month"), "nothing changed")
            let partner = try await Browser.signedIn(app, fixture.users[.partner]!)
            // Partners do not see scenarios: a kept projection sums tallies of IFRC-only points.
            #expect(try await partner.get("/operations/SDN-TEST/scenarios").status == .notFound)
            #expect(try await partner.get(path).status == .notFound)
            #expect(!(try await partner.get("/operations/SDN-TEST/population").body.contains("id=\"scenarios\"")))
            #expect(
                try await partner.post("/operations/SDN-TEST/scenarios", ["name": "x", "kind": "best"]).status
                    == .forbidden)
            #expect(try await partner.post(path, ["name": "x", "kind": "best"]).status == .forbidden)
            #expect(!(try await partner.get(path).body.contains("revise-scenario")))
            // Nor does the NS focal point (README, "Who sees what"), though they may record tallies; staff do.
            let focalPoint = try await Browser.signedIn(app, fixture.users[.nationalSocietyFocalPoint]!)
            #expect(try await focalPoint.get("/operations/SDN-TEST/scenarios").status == .notFound)
            #expect(try await focalPoint.get(path).status == .notFound)
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get(path).status == .ok)
        }
    }
}
