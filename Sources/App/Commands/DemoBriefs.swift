import Domain
import Foundation
import Persistence
import Vapor

/// The demo's HeOps weekly briefs: three issued, one a week, each with the coordinators'
/// recommendations, and this week's still a draft, so that the series, the comparison and the
/// files can be tried at once.
enum DemoBriefs {
    static let recommendations: [(security: String, migration: String, narrative: String)] = [
        (
            "Keep the Gallabat road closed to IFRC vehicles after dark.\nRe-brief the new arrivals on the Kassala relocation plan.",
            "Open a second help point at Gallabat before the next rise in arrivals.",
            "Arrivals at the eastern border rose; two incidents on the Gallabat road."
        ),
        (
            "Review the guards' contract at the Kassala warehouse.",
            "Ask the Protection Sector to follow up the pushbacks reported at Gallabat.",
            "A calmer week on the roads; flows held steady."
        ),
        (
            "Test the satellite phones of every vehicle this week.",
            "Share the humanitarian update with the donors in Port Sudan.",
            "The humanitarian update was approved; the border stays open."
        ),
    ]

    static func load(_ app: Application, operation: OperationRecord, heops: UserID, now: Date) async throws {
        let viewer = Viewer(userID: heops, isSystemAdministrator: false, roles: [operation.id: .headOfOperations])
        guard let scope = AccessPolicy.scope(in: operation.id, for: viewer) else { return }
        let store = BriefStore(app.db)
        guard try await store.list(in: scope, page: Paging(page: 1, perPage: 1)).total == 0 else { return }
        let lens = AccessPolicy.operatorBriefLens()
        let today = operation.time.calendarDay(now)
        // The weeks before this one, oldest first; each issued the morning after it ended.
        for (index, words) in recommendations.enumerated() {
            let weeksAgo = Double(recommendations.count - index)
            let last = today.addingTimeInterval(-weeksAgo * 7 * 86_400)
            let period = try ReportPeriod(first: last.addingTimeInterval(-6 * 86_400), last: last)
            let issuedAt = min(now, period.instants(operation.time).end.addingTimeInterval(6 * 3_600))
            let draft = BriefDraft(
                kind: .weekly, period: period, language: .en, narrative: words.narrative,
                recommendations: [.security: words.security, .migration: words.migration])
            let record = try await store.create(draft, scope: scope, actorID: heops, now: issuedAt)
            let generator = BriefGenerator(
                app: app, operation: operation, period: period, language: .en, now: issuedAt)
            let content = try await generator.withFloors(try await generator.content(.weekly, lens: lens), lens: lens)
            _ = try await store.issue(
                record.id, content: content, audience: .ifrcOnly, confirmedWider: false, scope: scope, actorID: heops,
                now: issuedAt)
        }
        let period = ReportPeriod.following(lastEnded: today.addingTimeInterval(-7 * 86_400), today: today)
        _ = try await store.create(
            BriefDraft(
                kind: .weekly, period: period, language: .en,
                recommendations: [.security: "Keep the night curfew on the Gallabat road."]),
            scope: scope, actorID: heops, now: now)
    }
}
