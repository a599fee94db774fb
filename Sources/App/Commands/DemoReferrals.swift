import Domain
import Foundation
import Persistence
import Vapor

/// The demo's referrals: the SRCS focal point named a caseworker; a month of referrals from the
/// Humanitarian Service Points to the directory's services, at every step, one RFL referral (a
/// case number only), one made without consent for a child on the coordinator's approval, one
/// whose consent was withdrawn.
enum DemoReferrals {
    static func load(
        _ app: Application, operation: OperationRecord, coordinator: UserID, caseWorker: UserID?, now: Date
    ) async throws {
        let store = ReferralStore(app.db)
        let all = AccessPolicy.operatorReferralScope(in: operation.id)
        guard try await store.list(in: all, page: Paging(page: 1, perPage: 1)).total == 0 else { return }
        if let caseWorker {
            try await store.setCaseWorker(caseWorker, named: true, operationID: operation.id, by: coordinator, now: now)
        }
        let services = try await ServiceStore(app.db).all(
            in: AccessPolicy.unnamedOperatorScope(in: operation.id), filter: .init(takesReferrals: true))
        func service(_ fragment: String) -> ServiceRecord? { services.first { $0.name.contains(fragment) } }
        let plan: [(String, String, [SpecificNeed], ReferralUrgency, [ReferralStatus], Double)] = [
            ("Psychosocial", "HSP-WH-0012", [.tortureImpairment], .medium, [.sent, .accepted, .completed], 1.5),
            ("Psychosocial", "HSP-WH-0019", [.witnessOfViolence], .low, [.sent, .accepted], 2.0),
            ("Emergency and maternity", "HSP-PS-0003", [.critical], .high, [.sent, .accepted, .completed], 0.2),
            ("Emergency and maternity", "HSP-PS-0007", [.chronicIllness], .medium, [.sent, .accepted], 0.5),
            ("Emergency and maternity", "HSP-PS-0011", [.malnutrition], .high, [.sent, .accepted], 0.3),
            ("Emergency and maternity", "HSP-PS-0014", [.otherMedical], .medium, [.sent, .accepted], 0.8),
            ("Emergency and maternity", "HSP-PS-0021", [.mentalIllness], .medium, [.sent, .declined, .closed], 1.0),
            ("Registration", "HSP-PS-0030", [.noDocuments], .medium, [.sent, .accepted], 3.0),
            ("Registration", "HSP-PS-0031", [.noDocuments, .refoulement], .high, [.sent], 0),
            ("Legal aid", "HSP-KS-0040", [.noDocuments], .low, [.sent, .accepted, .completed], 6.0),
            ("GBV", "HSP-GD-0050", [.sgbv], .high, [.sent, .accepted], 0.1),
            ("Child protection", "HSP-KS-0061", [.unaccompanied], .high, [.sent, .accepted], 0.5),
            ("Psychosocial", "HSP-GL-0070", [.womanAtRisk], .medium, [], 0),
        ]
        let coordinatorScope = all.acting(as: coordinator)
        for (n, (fragment, reference, needs, urgency, steps, days)) in plan.enumerated() {
            guard let target = service(fragment) else { continue }
            let start = now.addingTimeInterval(-Double(30 - n * 2) * 86_400)
            // The child referred without consent (no guardian to give it), on the coordinator's approval.
            let child = needs.contains(.unaccompanied)
            let draft = ReferralDraft(
                personRef: reference, serviceID: target.id, needs: needs, urgency: urgency,
                consent: child ? .notPossible : .given, consentBy: "HSP volunteer", consentOn: start,
                overrideReason: child ? "Unaccompanied child without a guardian; best-interests procedure." : nil,
                overrideApprover: child ? coordinator : nil, followUpOn: start.addingTimeInterval(7 * 86_400),
                assignedTo: n % 3 == 0 ? caseWorker : coordinator)
            let scope = n % 3 == 0 && caseWorker != nil ? all.acting(as: caseWorker) : coordinatorScope
            let row = try await store.create(draft, serviceName: target.name, scope: scope, now: start)
            var at = start.addingTimeInterval(3_600)
            for step in steps {
                at = at.addingTimeInterval(step == .accepted ? days * 86_400 : 86_400)
                _ = try await store.move(
                    row.id, to: step, note: step == .completed ? "Seen by the service; no further need." : nil,
                    scope: scope,
                    now: min(at, now))
            }
        }
        // RFL: a case number at the National Society, nothing else.
        if let rfl = service("Restoring Family Links") {
            let draft = ReferralDraft(
                personRef: "HSP-KS-0080", serviceID: rfl.id, needs: [.tracing], urgency: .medium, consent: .given,
                consentBy: "RFL volunteer", consentOn: now.addingTimeInterval(-5 * 86_400), rfl: true,
                tracingAgency: .nationalSociety, tracingCaseNumber: "SRCS-RFL-2026-0142")
            let row = try await store.create(
                draft, serviceName: rfl.name, scope: coordinatorScope, now: now.addingTimeInterval(-5 * 86_400))
            _ = try await store.move(
                row.id, to: .sent, note: nil, scope: coordinatorScope, now: now.addingTimeInterval(-4 * 86_400))
        }
        // Consent withdrawn: stopped, the name erased.
        if let legal = service("Legal aid") {
            let draft = ReferralDraft(
                personRef: "HSP-KS-0090", personName: "Named with consent", serviceID: legal.id, needs: [.noDocuments],
                consent: .given, consentBy: "Caseworker", consentOn: now.addingTimeInterval(-3 * 86_400))
            let row = try await store.create(
                draft, serviceName: legal.name, scope: coordinatorScope, now: now.addingTimeInterval(-3 * 86_400))
            _ = try await store.withdrawConsent(
                row.id, note: "The person asked by phone to stop.", scope: coordinatorScope,
                now: now.addingTimeInterval(-86_400))
        }
    }
}
