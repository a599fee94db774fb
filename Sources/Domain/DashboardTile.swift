/// One part of an operation's dashboard: something that may need the reader's attention today.
/// Which tiles a reader gets follows their role; whether a tile's content is shown at all is still
/// the access policy's decision, made for each tile by what it reads.
public enum DashboardTile: String, CaseIterable, Sendable, Hashable {
    /// Field movements: the overdue ones first, with their passengers and last known point, until
    /// someone resolves them; then those on the road.
    case movements
    /// The phase in force in each area, and declarations waiting for approval.
    case phases
    /// What waits for the reader's own approval (phase declarations, plan versions).
    case approvals
    /// Duty of care: for those who keep the personnel register, the headcount and the open
    /// roll-calls; for everyone else, where they last said they were.
    case people
    /// Incident reports still due to the region.
    case reportsDue = "reports_due"
    /// Serious incidents of the last days.
    case seriousIncidents = "serious_incidents"
    /// Areas whose recent incident count is significantly above their own baseline.
    case earlyWarnings = "early_warnings"
    /// Open risks whose review date has come or comes within the window.
    case risksForReview = "risks_for_review"
    /// Security plans due, or due for review or yearly approval, within the window.
    case plansDue = "plans_due"
    /// MSR compliance exemptions that expire within the window.
    case exemptionsExpiring = "exemptions_expiring"
    /// People counted at the monitoring points, against the period before.
    case flowTrend = "flow_trend"
    /// Displacement figures imported or updated lately.
    case newFigures = "new_figures"
    /// Each scenario's projection against the arrivals counted since.
    case scenarios
    /// Action points of coordination meetings past their due day.
    case actionPoints = "action_points"

    /// The security picture: what the Security Coordinator opens the day with.
    static let security: [DashboardTile] = [
        .movements, .phases, .approvals, .people, .reportsDue, .seriousIncidents, .earlyWarnings, .risksForReview,
        .plansDue,
        .exemptionsExpiring,
    ]
    /// The population picture: what the Migration & Displacement Coordinator opens the day with.
    static let migration: [DashboardTile] = [.flowTrend, .newFigures, .scenarios]

    /// The tiles for `role`, in the order the page shows them. The HeOps gets both pictures; the
    /// coordinators their own (phases and reports due concern everyone); staff and the National
    /// Society the phases, their reports due and serious incidents; partners what tells them how
    /// dangerous an area is, and nothing of the duty of care. Anyone holding a phase authority is shown what waits for it.
    public static func tiles(for role: Role) -> [DashboardTile] {
        switch role {
        case .headOfOperations: security + migration + [.actionPoints]
        case .securityCoordinator: security + [.actionPoints]
        case .migrationCoordinator:
            [.movements, .phases, .approvals, .people, .reportsDue] + migration + [.actionPoints]
        case .staff, .nationalSocietyFocalPoint:
            [.movements, .phases, .approvals, .people, .reportsDue, .seriousIncidents, .actionPoints]
        case .partner: [.phases, .seriousIncidents]
        }
    }

    /// Days of the dashboard's "recent" window (serious incidents, the flow trend) and of its
    /// "coming up" window (reviews, plans, exemptions).
    public static let recentDays = 7
    public static let comingDays = 14
}
