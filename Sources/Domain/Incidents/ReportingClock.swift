import Foundation

/// IFRC reporting deadlines (SECURITY.md §3.1.5, §3.1.9): personnel report to their manager at once;
/// a serious incident (death, serious injury, kidnapping, particularly sensitive) goes to the Global
/// Security Unit by phone immediately and in writing within 24 hours; every other incident goes to
/// the regional security coordinator within 48 hours. The hours are parameters so that an
/// administrator can change them without a release.
public struct ReportingRules: Sendable, Hashable, Codable {
    public var seriousWrittenReportHours: Int
    public var regionalReportHours: Int

    public init(seriousWrittenReportHours: Int = 24, regionalReportHours: Int = 48) {
        self.seriousWrittenReportHours = seriousWrittenReportHours
        self.regionalReportHours = regionalReportHours
    }

    public static let ifrc = ReportingRules()
}

/// One deadline of one incident and where it stands at a given moment.
public struct ReportingDeadline: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Serious incidents: written report to the GSU (copy to the RSC).
        case seriousWrittenReport = "serious_written_report"
        /// All other incidents: report to the regional security coordinator.
        case regionalReport = "regional_report"
        public var labelKey: String { "deadline.\(rawValue)" }
    }
    public enum State: String, Sendable, Hashable {
        /// Not done yet, still in time.
        case open
        /// Not done and past due.
        case overdue
        /// Done in time.
        case met
        /// Done, but after the deadline.
        case late
        public var labelKey: String { "deadline_state.\(rawValue)" }
    }

    public let kind: Kind
    public let dueAt: Date
    public let doneAt: Date?
    public let state: State

    /// Time left (negative when overdue); nil once done.
    public func remaining(at now: Date) -> TimeInterval? { doneAt == nil ? dueAt.timeIntervalSince(now) : nil }
}

public enum ReportingClock {
    /// The deadline an incident is under. The clock starts when the incident became known (nobody
    /// can report earlier), or when it happened if that is all there is.
    public static func deadline(
        serious: Bool, occurredAt: Date, knownAt: Date?, reportedAt: Date?, now: Date, rules: ReportingRules = .ifrc
    ) -> ReportingDeadline {
        let start = max(knownAt ?? occurredAt, occurredAt)
        let kind: ReportingDeadline.Kind = serious ? .seriousWrittenReport : .regionalReport
        let hours = serious ? rules.seriousWrittenReportHours : rules.regionalReportHours
        let due = start.addingTimeInterval(TimeInterval(hours) * 3600)
        let state: ReportingDeadline.State
        if let reportedAt {
            state = reportedAt <= due ? .met : .late
        } else {
            state = now <= due ? .open : .overdue
        }
        return ReportingDeadline(kind: kind, dueAt: due, doneAt: reportedAt, state: state)
    }
}
