import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// The dashboard as each demo account opens it in the morning: the tiles of its role, what each
/// holds, and nothing it may not see.
@Suite("Operation dashboard per role")
struct DashboardTests {
    /// The tile ids on a page, in order.
    static func tiles(_ html: String) -> [String] {
        html.components(separatedBy: "<section class=\"tile\" id=\"tile-").dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
    }

    /// One tile's HTML.
    static func tile(_ id: String, in html: String) -> String {
        html.components(separatedBy: "id=\"tile-\(id)\"").dropFirst().first?.components(separatedBy: "</section>")[0]
            ?? ""
    }

    static func signedIn(_ app: Application, _ who: String) async throws -> Browser {
        let browser = Browser(app)
        let page = try await browser.signIn("\(who)@demo.bearing.test", "bearing-demo-\(who)")
        #expect(page.status == .seeOther, "\(who) signs in")
        return browser
    }

    @Test("each role gets its own picture: security, migration or both, and what waits for its approval")
    func perRole() async throws {
        try await withTestApp(.sqlite) { app in
            _ = try await Demo.load(app)
            let security = [
                "phases", "approvals", "people", "reports-due", "serious-incidents", "early-warnings",
                "risks-for-review",
                "plans-due", "exemptions-expiring",
            ]
            let migration = ["flow-trend", "new-figures", "scenarios"]
            // The HeOps, the coordinators, staff, a partner, and the Head of GSU (staff holding an authority).
            // Field movements head the dashboard of those who keep the register, and of members
            // travelling on one (the demo's migration coordinator and staff member).
            // Overdue action points of coordination meetings: every member of the Movement.
            let expected: [(String, [String])] = [
                ("heops", ["movements"] + security + migration + ["action-points"]),
                ("security", ["movements"] + security.filter { $0 != "approvals" } + ["action-points"]),
                ("migration", ["movements", "phases", "people", "reports-due"] + migration + ["action-points"]),
                ("staff", ["movements", "phases", "people", "reports-due", "serious-incidents", "action-points"]),
                ("ns", ["phases", "people", "reports-due", "serious-incidents", "action-points"]),
                // Partners: nothing of the duty of care, nor of the coordination log.
                ("partner", ["phases", "serious-incidents"]),
                ("gsu", ["phases", "approvals", "people", "reports-due", "serious-incidents", "action-points"]),
            ]
            for (who, tiles) in expected {
                let page = try await Self.signedIn(app, who).get("/operations/SDN-DEMO")
                #expect(page.status == .ok)
                #expect(Self.tiles(page.body) == tiles, "\(who)")
                // The dashboard names no one by address; the members are on the operation's own page.
                #expect(!page.body.contains("@demo.bearing.test"), "\(who)")
                #expect(page.body.contains("href=\"/operations/SDN-DEMO/about\""), "\(who)")
            }
            // The demo's overdue action points, each to those who may see its meeting: the security
            // cell's (IFRC only) not to the National Society's focal point.
            let ns = Self.tile("action-points", in: try await Self.signedIn(app, "ns").get("/operations/SDN-DEMO").body)
            #expect(ns.contains("Draft the referral pathway") && !ns.contains("movement SOP"))
            let coordinator = Self.tile(
                "action-points", in: try await Self.signedIn(app, "security").get("/operations/SDN-DEMO").body)
            #expect(
                coordinator.contains("Update the movement SOP") && coordinator.contains("Draft the referral pathway"))
            let heops = try await Self.signedIn(app, "heops").get("/operations/SDN-DEMO").body
            // The phases in force, the worst first, and the declaration the HeOps cannot approve
            // (it waits for the Head of GSU) counted, not offered.
            let phases = Self.tile("phases", in: heops)
            let red = try #require(phases.range(of: "Red")), yellow = try #require(phases.range(of: "Yellow"))
            #expect(phases.contains("North Darfur") && red.lowerBound < yellow.lowerBound)
            #expect(phases.contains("1 declaration(s) waiting for approval"))
            #expect(!Self.tile("approvals", in: heops).contains("South Darfur"))
            let gsu = try await Self.signedIn(app, "gsu").get("/operations/SDN-DEMO").body
            #expect(Self.tile("approvals", in: gsu).contains("South Darfur to Orange"))
            // Partners see the phases, not the declarations behind them.
            let partner = try await Self.signedIn(app, "partner").get("/operations/SDN-DEMO").body
            #expect(Self.tile("phases", in: partner).contains("North Darfur"))
            #expect(!partner.contains("#pending"))
            // Risks whose review comes within the fortnight (the demo's two), earliest first.
            let risks = Self.tile("risks-for-review", in: heops)
            #expect(risks.contains(">R1</span>") && risks.contains(">R2</span>") && !risks.contains(">R3</span>"))
            #expect(Self.tile("exemptions-expiring", in: heops).contains(">6.2</span>"))
            #expect(Self.tile("plans-due", in: heops).contains("/operations/SDN-DEMO/plans/"))
            // The flows: the last seven days against the seven before, at every point.
            let flows = Self.tile("flow-trend", in: heops)
            #expect(flows.contains("<th scope=\"row\">Incoming</th>") && flows.contains("/flows/analysis?from="))
            // An early warning links to the incident map of the same window, framed on the area.
            let warnings = Self.tile("early-warnings", in: heops)
            let link = try #require(
                warnings.components(separatedBy: "<a href=\"").dropFirst().first?.prefix { $0 != "\"" })
            #expect(link.contains("/incidents/map?from=") && link.contains("&amp;area=SD"))
            let browser = try await Self.signedIn(app, "heops")
            let map = try await browser.get(String(link).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(map.status == .ok)
            #expect(map.body.contains("<title>North Darfur: ") && !map.body.contains("<title>Khartoum: "))
        }
    }
}

@Suite("The dashboard's early-warning cache")
struct EarlyWarningCacheTests {
    @Test("a reader's warnings are read again after a minute, and never shared with another reader or role")
    func cache() async throws {
        let cache = EarlyWarningCache()
        let operation = OperationID(UUID())
        let amal = EarlyWarningCache.Key(
            operation: operation, reader: UserID(UUID()), role: .headOfOperations, language: "en")
        let partner = EarlyWarningCache.Key(
            operation: operation, reader: amal.reader, role: .partner, language: "en")
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let computed = Counter()
        func read(_ key: EarlyWarningCache.Key, at moment: Date) async throws -> Date {
            try await cache.entry(key, now: moment) {
                await computed.add()
                return ([], moment, moment)
            }.at
        }
        #expect(try await read(amal, at: start) == start)
        #expect(try await read(amal, at: start + 59) == start)  // within the minute: kept
        #expect(try await read(partner, at: start + 59) == start + 59)  // another role: read afresh
        #expect(try await read(amal, at: start + 61) == start + 61)  // a minute later: read again
        #expect(await computed.value == 3)
    }

    @Test("readers who miss together wait for one read; a failed read is not kept")
    func oneReadAtOnce() async throws {
        let cache = EarlyWarningCache()
        let key = EarlyWarningCache.Key(
            operation: OperationID(UUID()), reader: UserID(UUID()), role: .headOfOperations, language: "en")
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let computed = Counter()
        let release = Gate()
        let moments = try await withThrowingTaskGroup(of: Date.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.entry(key, now: start) {
                        await computed.add()
                        await release.wait()
                        return ([], start, start)
                    }.at
                }
            }
            // Every reader has asked before the first read may finish.
            while await cache.isReading(key) == false { await Task.yield() }
            try await Task.sleep(for: .milliseconds(50))
            await release.open()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(moments == Array(repeating: start, count: 20))
        #expect(await computed.value == 1)

        struct Failed: Error {}
        let failing = EarlyWarningCache.Key(
            operation: key.operation, reader: UserID(UUID()), role: .headOfOperations, language: "en")
        await #expect(throws: Failed.self) { try await cache.entry(failing, now: start) { throw Failed() } }
        #expect(try await cache.entry(failing, now: start) { ([], start, start) }.at == start)
    }

    actor Counter {
        var value = 0
        func add() { value += 1 }
    }

    /// Holds readers until opened.
    actor Gate {
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        func wait() async {
            guard !isOpen else { return }
            await withCheckedContinuation { waiters.append($0) }
        }
        func open() {
            isOpen = true
            waiters.forEach { $0.resume() }
            waiters = []
        }
    }
}
