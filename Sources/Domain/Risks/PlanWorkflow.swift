import Foundation

/// A step of a plan version's workflow: draft → in review (`submit`), in review → draft
/// (`sendBack`), in review → approved (`approve`, which supersedes the version approved before).
public enum PlanStep: String, Sendable, CaseIterable {
    case submit, sendBack = "send_back", approve
}

extension PlanStatus {
    /// The status `step` moves a version to, or why it may not. Approval is the senior manager's,
    /// never by the version's author: someone else approves (SECURITY.md §3.1).
    public func after(
        _ step: PlanStep, by actorID: UserID, author: UserID?, approverAuthorities: Set<PhaseAuthority>
    ) throws(DomainError) -> PlanStatus {
        switch (step, self) {
        case (.submit, .draft): return .inReview
        case (.sendBack, .inReview): return .draft
        case (.approve, .inReview):
            guard approverAuthorities.contains(.seniorManager) else {
                throw DomainError(
                    .forbidden, key: "error.plan_approver", "Only the senior manager approves a security plan.")
            }
            guard author != actorID else {
                throw DomainError(
                    .forbidden, key: "error.plan_own", "A plan is approved by someone other than the one who wrote it.")
            }
            return .approved
        default:
            throw DomainError(
                .conflict, key: "error.plan_step",
                "A version that is \(rawValue) cannot be moved this way (\(step.rawValue)).")
        }
    }
}

/// What is recorded about a plan in force between versions.
public enum PlanEvent: String, Sendable, CaseIterable {
    /// The plan was reviewed and still holds.
    case review
    /// The yearly approval of an evacuation or relocation plan by the RSC and the GSU.
    case yearlyApproval = "yearly_approval"

    /// Every problem with recording this event: not in the future, a yearly approval only for the
    /// plans that need one and naming both approvers, a note of at most 5,000 characters, and an
    /// approved version to review at all.
    public func problems(
        of kind: SecurityPlanKind, on day: Date, approvers: [PhaseRecipient: String], note: String, rules: PlanRules,
        hasApprovedVersion: Bool, now: Date
    ) -> ValidationErrors {
        var errors = ValidationErrors()
        if day > now.addingTimeInterval(600) {
            errors.add("occurred_on", key: "error.future", "The date cannot be in the future.")
        }
        if self == .yearlyApproval {
            if !rules.yearlyApproval.contains(kind) {
                errors.add("event", key: "error.plan_yearly_not_needed", "This plan has no yearly approval.")
            }
            if approvers[.regionalSecurityCoordinator] == nil || approvers[.globalSecurityUnit] == nil {
                errors.add(
                    "approvers", key: "error.plan_yearly_approvers",
                    "Name who approved for the Regional Security Coordinator and for the GSU.")
            }
        }
        if note.count > 5_000 { errors.add("note", key: "error.too_long", "The note is longer than 5,000 characters.") }
        if !hasApprovedVersion {
            errors.add(
                "event", key: "error.plan_none_approved", "There is no approved version to review or approve yet.")
        }
        return errors
    }
}
