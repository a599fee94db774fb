import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// A page's or an API call's view of the operation's referrals: the reader's reach
/// (`AccessPolicy.referralScope`), if any, and whether they may read the figures.
struct ReferralContext {
    let context: OperationContext
    /// nil for a reader who reaches no referral (they may still read the figures).
    let scope: ReferralScope?
    let canSeeFigures: Bool

    var operation: OperationRecord { context.operation }

    /// Non-members (administrators included) learn nothing exists (404); members who may read
    /// neither referrals nor figures (partners) are refused (403).
    static func load(_ req: Request) async throws -> ReferralContext {
        let context = try await OperationContext.load(req)
        guard context.role != nil else { throw PageError(.notFound, key: "error.not_found") }
        let named = try await ReferralStore(req.db).isCaseWorker(
            context.viewer.userID, operationID: context.operation.id)
        let scope = AccessPolicy.referralScope(in: context.operation.id, for: context.viewer, isNamedCaseWorker: named)
        let figures = AccessPolicy.canSeeReferralAggregates(in: context.operation.id, by: context.viewer)
        guard scope != nil || figures else { throw PageError(.forbidden, key: "error.forbidden") }
        return ReferralContext(context: context, scope: scope, canSeeFigures: figures)
    }

    /// The scope, or 403 for a reader who sees only the figures.
    func requireScope() throws -> ReferralScope {
        guard let scope else { throw PageError(.forbidden, key: "error.forbidden") }
        return scope
    }
}

/// Making referrals: the checks beyond the decoder, which need the directory and the members.
struct ReferralService {
    let database: any Database

    /// Who may follow up a referral (named caseworkers and the coordinator), and who may approve
    /// one made without consent (the coordinator), by account.
    struct People: Sendable {
        var caseWorkers: [(id: UserID, name: String)] = []
        var approvers: [(id: UserID, name: String)] = []
        var names: [UserID: String] = [:]
    }

    func people(of operationID: OperationID) async throws -> People {
        let members = try await OperationStore(database).members(of: operationID)
        let named = Set(try await ReferralStore(database).caseWorkers(operationID: operationID))
        var people = People()
        for member in members {
            let role = Role(rawValue: member.role)
            people.names[member.userId] = member.displayName
            if AccessPolicy.canFollowUpReferrals(role, isNamedCaseWorker: named.contains(member.userId)) {
                people.caseWorkers.append((member.userId, member.displayName))
            }
            if AccessPolicy.canApproveReferralOverride(role) {
                people.approvers.append((member.userId, member.displayName))
            }
        }
        return people
    }

    /// The draft the decoder gives, checked against the directory and the members: the service must
    /// take referrals now; an override's approver must be one who may approve; the caseworker one
    /// who may follow referrals up. Every problem at once.
    func checked(_ input: ReferralInput, scope: ReferralScope, member: Scope, now: Date) async throws
        -> (ReferralDraft, ServiceRecord)
    {
        var errors = ValidationErrors()
        var draft: ReferralDraft?
        do { draft = try input.decoded(today: now) } catch { errors = error }
        var service: ServiceRecord?
        if let id = UUID(uuidString: input.service.trimmingCharacters(in: .whitespaces)) {
            service = try await ServiceStore(database).find(ServiceID(rawValue: id), in: member)
            if service == nil {
                errors.add("service", key: "error.choose", "No such service in the operation's directory.")
            } else if service?.takesReferrals == false {
                errors.add(
                    "service", key: "error.service_no_referrals",
                    "\(service?.name ?? "The service") does not take referrals now (it is not active, or has not agreed to receive them)."
                )
            }
        }
        let people = try await people(of: scope.operationID)
        if let approver = draft?.overrideApprover, !people.approvers.contains(where: { $0.id == approver }) {
            errors.add(
                "override_approver", key: "error.override_approver",
                "Only the Migration & Displacement Coordinator approves a referral without consent.")
        }
        if let worker = draft?.assignedTo, !people.caseWorkers.contains(where: { $0.id == worker }) {
            errors.add(
                "assigned_to", key: "error.choose", "Only a named caseworker or the coordinator follows up referrals.")
        }
        try errors.throwIfAny()
        return (draft!, service!)
    }

    /// The figures as their reader may see them: exact for the coordinator, suppressed under 5 for others.
    static func figureRows(_ aggregates: [ReferralAggregate], suppressed: Bool) -> [ReferralFigures.Model.Row] {
        aggregates.map { aggregate in
            let counts = ReferralStatus.allCases.map { aggregate.byStatus[$0] ?? 0 }
            let (cells, total) =
                suppressed ? SmallCells.row(counts) : (counts.map(String.init), String(aggregate.total))
            // A median over fewer than 5 accepted referrals is suppressed too: it describes them.
            let median = aggregate.medianDaysToAcceptance.map { DecimalText.fixed($0, digits: 1) } ?? "–"
            return ReferralFigures.Model.Row(
                service: aggregate.serviceName, counts: cells, total: total,
                medianDays: suppressed && SmallCells.isSuppressed(aggregate.daysToAcceptance.count)
                    ? "<\(SmallCells.threshold)" : median)
        }
    }

}
