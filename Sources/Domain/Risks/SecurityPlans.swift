import Foundation

/// The six IFRC security plans (MSR Part 2, SECURITY.md §3.1.3).
public enum SecurityPlanKind: String, CaseIterable, Sendable, Codable, Hashable {
    case riskRegister = "security_risk_register"
    /// Security Regulations & Acknowledgement of Risk, with Field Movement Control.
    case regulations = "security_regulations"
    case medicalEvacuation = "medical_evacuation"
    case relocation
    case welcomeBrief = "security_welcome_brief"
    case criticalIncidentManagement = "critical_incident_management"
    public var labelKey: String { "plan.\(rawValue)" }
}

/// The plans' clocks (SECURITY.md §3.1.9) as data an administrator can change.
public struct PlanRules: Sendable, Codable, Hashable {
    /// Every plan exists (approved) within this many days of the operation's start.
    public var dueWithinDays: Int
    /// Every plan is reviewed at least this often…
    public var reviewEveryMonths: Int
    /// …and again this many days after the security phase of the operation changed.
    public var reviewAfterPhaseChangeDays: Int
    /// These plans need the regional security coordinator's and the GSU's approval every year.
    public var yearlyApproval: Set<SecurityPlanKind>

    public init(
        dueWithinDays: Int = 14, reviewEveryMonths: Int = 6, reviewAfterPhaseChangeDays: Int = 0,
        yearlyApproval: Set<SecurityPlanKind> = [.medicalEvacuation, .relocation]
    ) {
        self.dueWithinDays = dueWithinDays; self.reviewEveryMonths = reviewEveryMonths
        self.reviewAfterPhaseChangeDays = reviewAfterPhaseChangeDays; self.yearlyApproval = yearlyApproval
    }

    public static let ifrc = PlanRules()

    enum CodingKeys: String, CodingKey {
        case dueWithinDays = "due_within_days", reviewEveryMonths = "review_every_months"
        case reviewAfterPhaseChangeDays = "review_after_phase_change_days", yearlyApproval = "yearly_approval"
    }
}

/// What the clocks need to know of one plan.
public struct PlanHistory: Sendable, Hashable {
    public var kind: SecurityPlanKind
    /// When a version was first approved; nil while there is none.
    public var firstApprovedAt: Date?
    /// The latest review (approving a new version counts as one).
    public var lastReviewedAt: Date?
    /// The latest yearly approval by the regional security coordinator and the GSU.
    public var lastYearlyApprovalAt: Date?

    public init(
        kind: SecurityPlanKind, firstApprovedAt: Date? = nil, lastReviewedAt: Date? = nil,
        lastYearlyApprovalAt: Date? = nil
    ) {
        self.kind = kind; self.firstApprovedAt = firstApprovedAt; self.lastReviewedAt = lastReviewedAt
        self.lastYearlyApprovalAt = lastYearlyApprovalAt
    }
}

/// One clock of one plan and where it stands.
public struct PlanDeadline: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The first approved version, within 14 days of the start.
        case exists
        /// The periodic review, or the review after a phase change.
        case review
        /// The yearly approval of the evacuation and relocation plans.
        case yearlyApproval = "yearly_approval"
        public var labelKey: String { "plan_deadline.\(rawValue)" }
    }
    /// The same states as the incident clocks: open, overdue, met, late.
    public typealias State = ReportingDeadline.State

    public let plan: SecurityPlanKind
    public let kind: Kind
    public let dueAt: Date
    public let state: State

    public init(plan: SecurityPlanKind, kind: Kind, dueAt: Date, state: State) {
        self.plan = plan
        self.kind = kind
        self.dueAt = dueAt
        self.state = state
    }
}

/// The plans' deadlines at a moment.
public enum PlanClock {
    static func adding(months: Int, to date: Date) -> Date {
        AnalysisPeriods.calendar.date(byAdding: .month, value: months, to: date) ?? date
    }

    /// `plan`'s deadlines: whether it exists in time; once it does, its next review (the sooner of
    /// the periodic one and the one a later phase change calls for); and for the evacuation and
    /// relocation plans, the next yearly approval.
    public static func deadlines(
        for plan: PlanHistory, operationStart: Date, phaseChanges: [Date], now: Date, rules: PlanRules = .ifrc
    ) -> [PlanDeadline] {
        let due = operationStart.addingTimeInterval(Double(rules.dueWithinDays) * 86_400)
        guard let approved = plan.firstApprovedAt else {
            return [PlanDeadline(plan: plan.kind, kind: .exists, dueAt: due, state: now > due ? .overdue : .open)]
        }
        var deadlines = [
            PlanDeadline(plan: plan.kind, kind: .exists, dueAt: due, state: approved <= due ? .met : .late)
        ]
        let reviewed = max(plan.lastReviewedAt ?? approved, approved)
        var reviewDue = adding(months: rules.reviewEveryMonths, to: reviewed)
        if let change = phaseChanges.filter({ $0 > reviewed }).min() {
            reviewDue = min(reviewDue, change.addingTimeInterval(Double(rules.reviewAfterPhaseChangeDays) * 86_400))
        }
        deadlines.append(
            PlanDeadline(plan: plan.kind, kind: .review, dueAt: reviewDue, state: now > reviewDue ? .overdue : .open))
        if rules.yearlyApproval.contains(plan.kind) {
            let yearlyDue = adding(months: 12, to: max(plan.lastYearlyApprovalAt ?? approved, approved))
            deadlines.append(
                PlanDeadline(
                    plan: plan.kind, kind: .yearlyApproval, dueAt: yearlyDue, state: now > yearlyDue ? .overdue : .open)
            )
        }
        return deadlines
    }
}
