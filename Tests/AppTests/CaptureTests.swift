import Domain
import FluentKit
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import App

/// Issue 21, the server's half of offline capture: an entry queued on a device carries a client id
/// the server keeps with the record it made, in one transaction.
@Suite("Entries made offline: one record per client id, the first kept, never under another account")
struct CaptureTests {
    static let code = "/operations/SDN-TEST"

    struct Answer: Decodable {
        let state: String
        let location: String?
        let message: String?
        let errors: [String: String]?
    }

    /// Posts `form` as the queue's sender does: its header, JSON asked for, the session's token.
    static func send(_ browser: Browser, _ path: String, _ form: [String: String]) async throws -> (
        Browser.Page, Answer?
    ) {
        var fields = form
        if fields["_csrf"] == nil, let token = browser.csrf { fields["_csrf"] = token }
        let encoded = fields
        let page = try await browser.send(
            .POST, path, headers: ["X-Bearing-Capture": "1", "Accept": "application/json"]
        ) { req in try req.content.encode(encoded, as: .urlEncodedForm) }
        return (page, try? JSONDecoder().decode(Answer.self, from: page.data))
    }

    static func entry(_ id: String, _ user: UserRecord, at: Date? = nil) -> [String: String] {
        var fields = ["client_id": id, "client_account": user.id.uuidString]
        if let at { fields["captured_at"] = at.ISO8601Format() }
        return fields
    }

    static func incidentForm(_ title: String) -> [String: String] {
        [
            "title": title, "category": "violence", "subtype": "shooting",
            "occurred_at": DateText.formTime(Date().addingTimeInterval(-3_600)), "latitude": "15.5007",
            "longitude": "32.5599", "area_pcode": "SD01001", "location_type": "road", "severity": "moderate",
            "audience": "ifrc",
        ]
    }

    static func count(_ app: Application, _ table: String) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(
            column: "n", as: Int.self)
            ?? -1
    }

    @Test(
        "an incident sent twice makes one record and answers with it; different content under the same id keeps the first; refused entries keep nothing and may be sent again corrected",
        arguments: TestDatabases.kinds)
    func incidentReplays(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let staff = fixture.users[.staff]!
            let browser = try await Browser.signedIn(app, staff)
            _ = try await browser.get(Self.code + "/incidents/new")
            let before = try await Self.count(app, "incidents")
            let id = UUID().uuidString
            let form = Self.incidentForm("Checkpoint stop, sent offline").merging(Self.entry(id, staff)) { $1 }

            let (first, created) = try await Self.send(browser, Self.code + "/incidents", form)
            #expect(first.status == .created && created?.state == "created")
            let location = try #require(created?.location)
            #expect(location.hasPrefix(Self.code + "/incidents/"))
            #expect(try await Self.count(app, "incidents") == before + 1)

            // The answer was lost on the way: sent again, and again with a new session token.
            let (second, replayed) = try await Self.send(browser, Self.code + "/incidents", form)
            #expect(second.status == .ok && replayed?.state == "replayed" && replayed?.location == location)
            _ = try await browser.get(Self.code)
            let (third, _) = try await Self.send(browser, Self.code + "/incidents", form)
            #expect(third.status == .ok)
            #expect(try await Self.count(app, "incidents") == before + 1)

            // Different content under the same id: the first kept, the conflict said, nothing changed.
            var changed = form
            changed["title"] = "Checkpoint stop, edited on the device"
            let (conflict, kept) = try await Self.send(browser, Self.code + "/incidents", changed)
            #expect(conflict.status == .conflict && kept?.state == "conflict" && kept?.location == location)
            let page = try await browser.get(location)
            #expect(page.body.contains("Checkpoint stop, sent offline") && !page.body.contains("edited on the device"))

            // Refused by the server: the reason by field, nothing kept; corrected, the same id goes through.
            let refusedID = UUID().uuidString
            var bad = Self.incidentForm("").merging(Self.entry(refusedID, staff)) { $1 }
            let (refusal, refused) = try await Self.send(browser, Self.code + "/incidents", bad)
            #expect(refusal.status == .unprocessableEntity && refused?.state == "refused")
            #expect(refused?.errors?["title"] != nil)
            #expect(try await Self.count(app, "incidents") == before + 1)
            bad["title"] = "Corrected on the device"
            let (corrected, made) = try await Self.send(browser, Self.code + "/incidents", bad)
            #expect(corrected.status == .created && made?.state == "created")
            #expect(try await Self.count(app, "incidents") == before + 2)

            // Without the script the form posts as a page, as before: a redirect to the record.
            let plain = try await browser.post(Self.code + "/incidents", Self.incidentForm("Posted as a page"))
            #expect(plain.status == .seeOther && plain.location?.hasPrefix(Self.code + "/incidents/") == true)
        }
    }

    @Test(
        "the same entry arriving twice at once makes one record",
        arguments: TestDatabases.kinds)
    func sentTwiceAtOnce(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let staff = fixture.users[.staff]!
            let browser = try await Browser.signedIn(app, staff)
            _ = try await browser.get(Self.code + "/incidents/new")
            let before = try await Self.count(app, "incidents")
            let form = Self.incidentForm("Sent from two tabs").merging(Self.entry(UUID().uuidString, staff)) { $1 }
            let states = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await Self.send(browser, Self.code + "/incidents", form).1?.state ?? "none" }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(states.filter { $0 == "created" }.count == 1, "\(states)")
            #expect(states.filter { $0 == "replayed" }.count == 5, "\(states)")
            #expect(try await Self.count(app, "incidents") == before + 1)
        }
    }

    @Test(
        "an entry queued by another account, without a token, or with a malformed id is refused and stores nothing",
        arguments: TestDatabases.kinds)
    func refusedBeforeTheForm(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let staff = fixture.users[.staff]!
            let coordinator = fixture.users[.securityCoordinator]!
            let browser = try await Browser.signedIn(app, coordinator)
            _ = try await browser.get(Self.code + "/incidents/new")
            let before = try await Self.count(app, "incidents")

            let other = Self.incidentForm("Queued by the staff member").merging(Self.entry(UUID().uuidString, staff)) {
                $1
            }
            let (page, answer) = try await Self.send(browser, Self.code + "/incidents", other)
            #expect(page.status == .forbidden && answer?.state == "refused")
            #expect(answer?.message?.contains("another account") == true)

            let malformed = Self.incidentForm("Bad id").merging(Self.entry("x'; DROP", coordinator)) { $1 }
            let (bad, badAnswer) = try await Self.send(browser, Self.code + "/incidents", malformed)
            #expect(bad.status == .badRequest && badAnswer?.errors?["client_id"] != nil)

            var late = Self.incidentForm("Bad time").merging(Self.entry(UUID().uuidString, coordinator)) { $1 }
            late["captured_at"] = "yesterday"
            let (badTime, timeAnswer) = try await Self.send(browser, Self.code + "/incidents", late)
            #expect(badTime.status == .badRequest && timeAnswer?.errors?["captured_at"] != nil)

            var noToken = Self.incidentForm("No token").merging(Self.entry(UUID().uuidString, coordinator)) { $1 }
            noToken["_csrf"] = "not-the-token"
            let (forged, forgedAnswer) = try await Self.send(browser, Self.code + "/incidents", noToken)
            #expect(forged.status == .forbidden && forgedAnswer?.state == "refused")
            #expect(try await Self.count(app, "incidents") == before)

            // Signed out: the queue's sender learns it from the state and keeps its entries.
            let stranger = Browser(app)
            let state = try await stranger.get("/capture/state", headers: ["Accept": "application/json"])
            #expect(state.status == .unauthorized)
            let mine = try await browser.get("/capture/state", headers: ["Accept": "application/json"])
            #expect(mine.status == .ok && mine.body.contains(coordinator.id.uuidString))
            #expect(mine.headers.first(name: .cacheControl) == "no-store")
        }
    }

    @Test(
        "a tally sent twice is one tally; an identical tally is held for confirmation, then sent anyway",
        arguments: TestDatabases.kinds)
    func tallies(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let enumerator = fixture.users[.migrationCoordinator]!
            let point = try await FlowPageTests().point(app, fixture, "FMP Argeen", audience: .movement)
            let browser = try await Browser.signedIn(app, enumerator)
            _ = try await browser.get(Self.code + "/flows/new")
            let form = FlowPageTests().tally(point).merging(Self.entry(UUID().uuidString, enumerator)) { $1 }
            let (first, created) = try await Self.send(browser, Self.code + "/flows", form)
            #expect(first.status == .created && created?.location?.contains("saved=") == true)
            let (_, replayed) = try await Self.send(browser, Self.code + "/flows", form)
            #expect(replayed?.state == "replayed" && replayed?.location == created?.location)
            #expect(try await Self.count(app, "flow_observations") == 1)

            // The same counts from another entry: held, with the field to confirm.
            var again = form
            again["client_id"] = UUID().uuidString
            let (held, heldAnswer) = try await Self.send(browser, Self.code + "/flows", again)
            #expect(held.status == .conflict && heldAnswer?.state == "refused")
            #expect(heldAnswer?.errors?["confirm_duplicate"] != nil)
            again["confirm_duplicate"] = "on"
            let (sent, _) = try await Self.send(browser, Self.code + "/flows", again)
            #expect(sent.status == .created)
            #expect(try await Self.count(app, "flow_observations") == 2)
        }
    }

    @Test(
        "a location made offline counts from when it was made: it joins the history and replaces no newer one; a check-in likewise; a replay after the movement closed still answers with the record",
        arguments: TestDatabases.kinds)
    func madeEarlier(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, office, port, tomas, _) = try await MovementPageTests.setUp(app)
            let staff = fixture.users[.staff]!
            let browser = try await Browser.signedIn(app, staff)
            let keeper = AccessPolicy.operatorPersonnelScope(in: fixture.operation.id)
            let now = Date()

            // Confirmed by the radio room an hour ago; the phone's entry from two hours ago arrives now.
            try await PersonStore(app.db).confirmLocation(
                of: tomas.id, place: .site(office.id), areaPcode: nil, source: .radioRoom, note: "", scope: keeper,
                now: now.addingTimeInterval(-3_600))
            _ = try await browser.get(Self.code + "/people/me")
            let path = Self.code + "/people/\(tomas.id.uuidString)/location"
            let form = ["source": "self", "site": port.id.uuidString].merging(
                Self.entry(UUID().uuidString, staff, at: now.addingTimeInterval(-7_200))
            ) { $1 }
            let (sent, answer) = try await Self.send(browser, path, form)
            #expect(sent.status == .created && answer?.location?.hasSuffix("/people/me?saved=1") == true)
            let current = try #require(try await PersonStore(app.db).find(tomas.id, in: keeper)?.location)
            #expect(current.place == .site(office.id), "an older entry replaced the newer confirmation")
            let history = try await (app.db as! any SQLDatabase).raw(
                "SELECT confirmed_at FROM person_locations WHERE person_id = \(bind: tomas.id) AND site_id = \(bind: port.id)"
            ).all()
            let confirmed = try #require(history.first).decode(column: "confirmed_at", as: Date.self)
            #expect(abs(confirmed.timeIntervalSince(now.addingTimeInterval(-7_200))) < 1)

            // A device clock a month behind is believed only a week back.
            let stale = Self.entry(UUID().uuidString, staff, at: now.addingTimeInterval(-30 * 86_400))
            _ = try await Self.send(
                browser, path, ["source": "self", "site": port.id.uuidString].merging(stale) { $1 })
            let oldest = try await (app.db as! any SQLDatabase).raw(
                "SELECT MIN(confirmed_at) AS at FROM person_locations WHERE person_id = \(bind: tomas.id)"
            ).first()?.decode(column: "at", as: Date.self)
            #expect(try #require(oldest) > now.addingTimeInterval(-ClientEntry.oldestBelieved - 60))

            // A movement within Red Sea, approved at once; the arrival made offline half an hour ago.
            let coordinator = keeper.acting(as: fixture.users[.securityCoordinator]!.id)
            let movement = try await MovementPageTests.approvedMovement(
                app, keeper: coordinator, tomas: tomas, from: port, departure: now.addingTimeInterval(-3 * 3_600),
                arrival: now.addingTimeInterval(3_600), requestedAt: now.addingTimeInterval(-4 * 3_600))
            let movementPath = Self.code + "/movements/\(movement.id.uuidString)"
            _ = try await browser.get(movementPath)
            let arrival = ["check_in": "arrived", "note": "Made offline"].merging(
                Self.entry(UUID().uuidString, staff, at: now.addingTimeInterval(-1_800))
            ) { $1 }
            let (arrived, made) = try await Self.send(browser, movementPath + "/check-ins", arrival)
            #expect(arrived.status == .created && made?.location == movementPath)
            let at = try await (app.db as! any SQLDatabase).raw(
                "SELECT at FROM movement_check_ins WHERE movement_id = \(bind: movement.id) AND kind = 'arrived'"
            ).first()?.decode(column: "at", as: Date.self)
            #expect(abs(try #require(at).timeIntervalSince(now.addingTimeInterval(-1_800))) < 1)
            // The movement is closed now; the same entry again is still answered with its record.
            let (again, replayed) = try await Self.send(browser, movementPath + "/check-ins", arrival)
            #expect(again.status == .ok && replayed?.state == "replayed")
            // A new entry for the closed movement is refused with the reason, on the entry.
            let late = ["check_in": "arrived"].merging(Self.entry(UUID().uuidString, staff)) { $1 }
            let (closed, refused) = try await Self.send(browser, movementPath + "/check-ins", late)
            #expect(closed.status == .conflict && refused?.state == "refused")
            #expect(refused?.errors?.values.contains { $0.contains("no more check-ins") } == true)
        }
    }

    @Test(
        "styles and scripts under their hashed path are kept a year; pages are gzip-compressed; the capture pages are marked for the service worker"
    )
    func lightOnASlowLink() async throws {
        try await withTestApp(.sqlite) { app in
            let fixture = try await Fixture.make(app)
            let browser = try await Browser.signedIn(app, fixture.users[.staff]!)
            let form = try await browser.get(Self.code + "/incidents/new")
            #expect(form.headers.first(name: OfflinePageMiddleware.header) == "capture")
            #expect(form.body.contains("data-capture=") && form.body.contains("id=\"sync\""))
            #expect(try await browser.get(Self.code).headers.first(name: OfflinePageMiddleware.header) == nil)

            let stylesheet = try #require(
                form.body.firstMatch(of: /href="(\/assets\/[0-9a-f]{16}\/bearing\.css)"/).map { String($0.1) })
            let css = try await browser.get(stylesheet)
            #expect(
                css.status == .ok && css.headers.first(name: .cacheControl) == "public, max-age=31536000, immutable")
            #expect(css.headers.first(name: .contentType)?.hasPrefix("text/css") == true)
            let tag = try #require(css.headers.first(name: .eTag))
            #expect(try await browser.get(stylesheet, headers: ["If-None-Match": tag]).status == .notModified)
            let outdated = try await browser.get("/assets/0000000000000000/bearing.css")
            #expect(outdated.status == .ok && outdated.headers.first(name: .cacheControl) == "no-cache")
            #expect(try await browser.get("/assets/0000000000000000/nothing.js").status == .notFound)

            let worker = try await browser.get("/sw.js")
            #expect(
                worker.status == .ok && worker.body.contains(stylesheet) && worker.body.contains("addEventListener"))
            #expect(worker.headers.first(name: .cacheControl) == "no-cache")
            #expect(try await Browser(app).get("/offline").status == .ok)

            // Compression happens in the HTTP server's pipeline: asked of a running server.
            let live = try await browser.send(
                .GET, Self.code + "/incidents/new", headers: ["Accept-Encoding": "gzip"], live: true
            ) { _ in }
            #expect(live.headers.first(name: .contentEncoding) == "gzip")
            // A streamed export arrives whole, uncompressed (the compressor cut streamed bodies short).
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            _ = try await coordinator.get(Self.code + "/incidents/new")
            #expect(
                try await coordinator.post(Self.code + "/incidents", Self.incidentForm("Exported whole")).status
                    == .seeOther)
            let export = try await coordinator.send(
                .GET, Self.code + "/incidents/export?format=csv", headers: ["Accept-Encoding": "gzip"], live: true
            ) { _ in }
            #expect(export.status == .ok && export.headers.first(name: .contentEncoding) == nil)
            #expect(export.body.hasPrefix("source,id,date") && export.body.contains("Exported whole"))
        }
    }

    @Test(
        "access matrix: the queue grants no one more than the form does; an id is one account's own (another's answer names none of its records); the state names only the caller",
        arguments: TestDatabases.kinds)
    func matrix(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let people = try await AccessMatrixHTTPTests.everyone(app, fixture)
            let shared = UUID().uuidString
            var locations: [String: String] = [:]
            for person in people {
                _ = try await person.browser.get("/")
                let state = try await person.browser.get("/capture/state")
                #expect(state.status == .ok, "\(person.label)")
                #expect(state.body.contains(person.viewer.userID.uuidString), "\(person.label)")
                for other in people where other.viewer.userID != person.viewer.userID {
                    #expect(!state.body.contains(other.viewer.userID.uuidString), "\(person.label)")
                }
                // As a page, then queued: the same decision.
                _ = try await person.browser.get(Self.code + "/incidents/new")
                let plain = try await person.browser.post(
                    Self.code + "/incidents", Self.incidentForm("Plain \(person.label)"))
                let account = ["client_id": shared, "client_account": person.viewer.userID.uuidString]
                let (queued, answer) = try await Self.send(
                    person.browser, Self.code + "/incidents",
                    Self.incidentForm("Queued \(person.label)").merging(account) { $1 })
                if plain.status == .seeOther {
                    #expect(queued.status == .created && answer?.state == "created", "\(person.label)")
                    locations[person.label] = answer?.location
                } else {
                    #expect(queued.status == plain.status && answer?.state == "refused", "\(person.label)")
                    #expect(answer?.location == nil, "\(person.label)")
                }
            }
            // The same client id from every account: each its own record, none answered with another's.
            #expect(Set(locations.values).count == locations.count)
            #expect(locations.count >= 4)
        }
    }
}
