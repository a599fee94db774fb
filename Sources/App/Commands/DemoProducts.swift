import Domain
import Foundation
import Persistence
import Vapor

/// The demo's advocacy: a humanitarian update on the eastern border in English and Arabic,
/// reviewed, approved by the HeOps with its figures frozen, and handed out at the Protection
/// Sector; and key messages on pushbacks still in review, one figure not resolving (the operation
/// holds no IDP figures for Gedaref), so that approval waits.
enum DemoProducts {
    static let update = """
        # Eastern border: arrivals, protection and the response

        In the last seven days, {{flows.counted days=7}} people were counted at the three flow-monitoring points, most of them leaving for Egypt and Ethiopia.

        ## Protection
        - {{protection_risks.open}} protection risks are open in the register: pushbacks at Gallabat, family separation at the crossings, extortion on the road north.
        - Children separated in the crowds are referred to UNICEF's case-management partner within 24 hours.

        ## The response
        The Sudanese Red Crescent and its partners have reached {{reach.people}} people of the {{reach.target}} planned: Humanitarian Service Points at Gallabat and Argeen, RFL calls, and cash for onward travel.

        ## What we ask
        1. Keep the border open to people seeking protection.
        2. Fund the HSPs through the end of the dry season.
        """

    static let updateArabic = """
        # الحدود الشرقية: الوافدون والحماية والاستجابة

        خلال الأيام السبعة الماضية، أُحصي {{flows.counted days=7}} شخصاً في نقاط رصد التدفق الثلاث، ومعظمهم متجهون إلى مصر وإثيوبيا.

        ## الحماية
        - في السجل {{protection_risks.open}} من مخاطر الحماية المفتوحة: الإعادة القسرية عند القلابات، وتفرّق الأسر عند المعابر، والابتزاز على الطريق شمالاً.
        - يُحال الأطفال المنفصلون عن ذويهم إلى شريك اليونيسف في إدارة الحالات خلال 24 ساعة.

        ## الاستجابة
        وصل الهلال الأحمر السوداني وشركاؤه إلى {{reach.people}} شخصاً من أصل {{reach.target}} مخطط لهم: نقاط الخدمات الإنسانية في القلابات وأرقين، ومكالمات إعادة الروابط العائلية، والنقد لمواصلة الرحلة.

        ## ما نطلبه
        1. إبقاء الحدود مفتوحة أمام طالبي الحماية.
        2. تمويل نقاط الخدمات الإنسانية حتى نهاية موسم الجفاف.
        """

    static let keyMessages = """
        # Key messages: pushbacks at the eastern border

        1. People fleeing Sudan must be able to ask for protection at the border, whatever their documents.
        2. Pushbacks separate families: children have been found alone on both sides of the crossing.
        3. {{displacement.stock type=IDP area=SD05}} people are displaced in Gedaref State, and more arrive each week.
        4. The Red Cross Red Crescent serves everyone at its Humanitarian Service Points, without reporting anyone to the authorities.
        """

    static func load(
        _ app: Application, operation: OperationRecord, migration: UserID, security: UserID, heops: UserID,
        staff: UserID, ns: UserID, now: Date
    ) async throws {
        let scope = AccessPolicy.unnamedOperatorScope(in: operation.id)
        let store = AdvocacyStore(app.db)
        guard try await store.list(in: scope, page: Paging(page: 1, perPage: 1)).total == 0 else { return }
        let evidence = [
            FeedbackCitation(
                type: .concern, category: "barriers_to_access", count: 37, source: "SRCS feedback desk, Gallabat HSP",
                period: "2026-11"),
            FeedbackCitation(
                type: .request, category: "request_for_information", count: 112,
                source: "SRCS hotline and HSP desks", period: "2026-11"),
        ]
        let reviewers: [ReviewArea: UserID] = [.technical: security, .protection: ns, .communications: staff]
        func approve(_ product: ProductRecord, at moment: Date) async throws -> ProductRecord {
            var current = try await store.submit(
                product.id, reviewers: reviewers, scope: scope, actorID: migration, now: moment)
            for (area, reviewer) in reviewers {
                current = try await store.review(
                    product.id, area: area, verdict: .cleared, comment: nil, scope: scope, actorID: reviewer,
                    now: moment)
            }
            let resolution = try await ProductFigures(database: app.db, catalog: app.catalog).resolve(
                current.draft, operation: operation, now: moment)
            return try await store.approve(
                product.id, figures: current.draft.placeholders.compactMap { resolution.values[$0.token] },
                unresolved: resolution.problems, scope: scope, actorID: heops, now: moment)
        }
        let written = now.addingTimeInterval(-3 * 86_400)
        let english = try await store.create(
            ProductDraft(
                kind: .humanitarianUpdate, title: "Eastern border: humanitarian update", language: .en, body: update,
                intendedFor: "Movement partners and donors in Port Sudan", evidence: evidence,
                audience: .ifrcAndNationalSociety), scope: scope, actorID: migration, now: written)
        _ = try await approve(english, at: written.addingTimeInterval(86_400))
        let arabic = try await store.create(
            ProductDraft(
                kind: .humanitarianUpdate, title: "الحدود الشرقية: تحديث إنساني", language: .ar, body: updateArabic,
                intendedFor: "شركاء الحركة والمانحون في بورتسودان", evidence: evidence,
                audience: .ifrcAndNationalSociety),
            variantOf: english.id, scope: scope, actorID: migration, now: written.addingTimeInterval(3_600))
        _ = try await approve(arabic, at: written.addingTimeInterval(90_000))
        // Handed out at the Protection Sector, to the sector's members in the registry.
        let registry = StakeholderStore(app.db)
        var members: [StakeholderID] = []
        for name in ["UNHCR", "IOM", "UNICEF", "NRC", "SRCS", "David Mwangi", "Amna Khalid"] {
            if let entry = try await registry.matching(name, in: scope).first { members.append(entry.id) }
        }
        let list = try await store.createList(
            name: "Protection Sector, Gedaref", members: members, scope: scope, actorID: migration, now: written)
        let entries = try await registry.find(members, in: scope).values.sorted { $0.draft.name < $1.draft.name }
        for (channel, product) in [(DistributionChannel.meeting, english.id), (.whatsapp, arabic.id)] {
            _ = try await store.distribute(
                product, channel: channel, list: list, audience: .ifrcAndNationalSociety,
                note: "Protection Sector meeting, Gedaref",
                recipients: Advocacy.recipients(channel: channel, entries: entries, members: []), scope: scope,
                actorID: migration, now: written.addingTimeInterval(2 * 86_400))
        }
        // Key messages in review: technical cleared, protection asked for a change.
        let messages = try await store.create(
            ProductDraft(
                kind: .keyMessages, title: "Key messages: pushbacks at the eastern border", language: .en,
                body: keyMessages, intendedFor: "Meetings with COR and the border authorities",
                audience: .ifrcAndNationalSociety),
            scope: scope, actorID: migration, now: now.addingTimeInterval(-86_400))
        _ = try await store.submit(
            messages.id, reviewers: reviewers, scope: scope, actorID: migration, now: now.addingTimeInterval(-80_000))
        _ = try await store.review(
            messages.id, area: .technical, verdict: .cleared, comment: nil, scope: scope, actorID: security,
            now: now.addingTimeInterval(-60_000))
        _ = try await store.review(
            messages.id, area: .protection, verdict: .comment,
            comment:
                "Message 2: say “children have been found alone” only with the sector's agreed figure, or drop it.",
            scope: scope, actorID: ns, now: now.addingTimeInterval(-50_000))
    }
}
