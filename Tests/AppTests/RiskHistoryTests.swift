import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// A restricted risk widened later: its earlier wording stays with the circle it was written for,
/// in issued reports and in its history, unless the person who widened it published it.
@Suite("Earlier wording of a widened risk")
struct RiskHistoryTests {
    @Test(
        "a report issued while a risk was restricted shows the new readers its current title, not the restricted one; publishing shows it",
        arguments: TestDatabases.kinds)
    func widened(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let coordinator = fixture.users[.securityCoordinator]!
            let store = RiskStore(app.db)
            let scope = try #require(
                AccessPolicy.scope(in: fixture.operation.id, for: try await fixture.viewer(app, coordinator))
            )
            func risk(_ title: String) async throws -> RiskRecord {
                try await store.create(
                    try RiskDraft(
                        title: title, threat: "crime", targets: [.people], likelihood: 3, impact: 3,
                        nextReview: Date().addingTimeInterval(86_400 * 30), audience: .restricted
                    ).validated(now: Date()),
                    in: fixture.operation.id, matrix: .srm, actorID: coordinator.id,
                    now: Date().addingTimeInterval(-120))
            }
            let kept = try await risk("Informant in the Kassala office")
            let published = try await risk("Driver reporting to the militia")
            let report = try await store.issueReport(
                since: Date().addingTimeInterval(-3_600), recommendations: "Review weekly",
                audience: .movement, in: fixture.operation.id, actorID: coordinator.id,
                now: Date().addingTimeInterval(-60))
            for (record, title, publish) in [
                (kept, "Office security review", false), (published, "Vehicle movement review", true),
            ] {
                var draft = record.draft
                draft.title = title
                draft.audience = .movement
                _ = try await store.update(
                    record.id, with: try draft.validated(now: Date()), matrix: .srm, scope: scope,
                    actorID: coordinator.id,
                    publishingHistory: publish, now: Date())
            }
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            let page = try await staff.get("/operations/SDN-TEST/risks/reports/\(report.id.uuidString)")
            #expect(page.status == .ok)
            #expect(!page.body.contains("Informant in the Kassala office"), "the restricted wording stays restricted")
            #expect(page.body.contains("Office security review"), "the risk is named by its current title")
            #expect(page.body.contains("Driver reporting to the militia"), "published by the one who widened it")
            // The coordinator, who could read it then, still reads the report as it was.
            let own = try await Browser.signedIn(app, coordinator).get(
                "/operations/SDN-TEST/risks/reports/\(report.id.uuidString)")
            #expect(own.body.contains("Informant in the Kassala office"))
            // The risk's own audit history: the HeOps (named on restricted risks) reads every value; an administrator who
            // is staff in the operation reads the change that widened it, not what was written before.
            let heops = try await Browser.signedIn(app, fixture.users[.headOfOperations]!)
            #expect(
                try await heops.get("/operations/SDN-TEST/risks/\(kept.id.uuidString)/audit").body.contains(
                    "Informant in the Kassala office"))
            try await OperationStore(app.db).setMember(
                operationID: fixture.operation.id, userID: fixture.admin.id, role: .staff, actorID: fixture.admin.id,
                now: Date())
            let admin = try await Browser.signedIn(app, fixture.admin)
            let history = try await admin.get("/operations/SDN-TEST/risks/\(kept.id.uuidString)/audit")
            #expect(history.status == .ok)
            #expect(!history.body.contains("Informant in the Kassala office"))
            // Nor in the risk's versions (its page's history): the restricted one keeps its wording and its
            // author to the circle it was written for.
            let staffScope = try #require(
                AccessPolicy.scope(
                    in: fixture.operation.id, for: try await fixture.viewer(app, fixture.users[.staff]!)))
            let first = try #require(try await store.versions(of: kept.id, in: staffScope).last)
            #expect(first.version == 1 && first.actorID == nil && first.draft.title == "Office security review")
            let coordinators = try #require(try await store.versions(of: kept.id, in: scope).last)
            #expect(
                coordinators.actorID == coordinator.id && coordinators.draft.title == "Informant in the Kassala office")
            // Nor on the operation's audit trail, which lists the same entries among the others.
            let trail = try await admin.get("/operations/SDN-TEST/audit")
            #expect(trail.status == .ok)
            #expect(!trail.body.contains("Informant in the Kassala office"))
            #expect(
                try await heops.get("/operations/SDN-TEST/audit").body.contains("Informant in the Kassala office"))
        }
    }
}
