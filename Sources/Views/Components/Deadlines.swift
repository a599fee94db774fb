import Domain
import Foundation

/// An incident whose report is still due: what the dashboard and the reports-due page list.
public struct DueItem: Sendable {
    public let id: IncidentID
    public let number: Int
    public let title: String
    /// The deadline as it stands at the moment the page is drawn.
    public let deadline: ReportingDeadline

    public init(id: IncidentID, number: Int, title: String, deadline: ReportingDeadline) {
        self.id = id
        self.number = number
        self.title = title
        self.deadline = deadline
    }
}

extension Strings {
    /// "Overdue 2026-11-23 14:05 UTC" while a report is still due; "Met" or "Late" once it was made.
    public func deadline(_ deadline: ReportingDeadline) -> String {
        switch deadline.state {
        case .open, .overdue: self(deadline.state.labelKey) + " " + deadlineTime(deadline.dueAt)
        case .met, .late: self(deadline.state.labelKey)
        }
    }
}

extension HTML {
    /// One report due as a list item: number, title, the deadline's state, when it falls due and what is due.
    public mutating func dueItem(_ item: DueItem, code: String, _ t: Strings) {
        markup(item.deadline.state == .overdue ? "<li class=\"overdue\"><a href=\"" : "<li><a href=\"")
        url(.incident(.value(code), .value(item.id)))
        markup("\"><span dir=\"ltr\">")
        text(item.number)
        markup("</span> · <bdi>")
        text(item.title)
        markup("</bdi></a> — <strong>")
        text(t(item.deadline.state.labelKey))
        markup("</strong> ")
        deadlineTime(item.deadline.dueAt, t)
        markup(" (")
        text(t(item.deadline.kind.labelKey))
        markup(")</li>")
    }

    /// A deadline's time on the operation's clock and in UTC: each part stays whole and reads left
    /// to right, but the two may go on two lines on a phone.
    public mutating func deadlineTime(_ date: Date, _ t: Strings) {
        let parts = t.deadlineTime(date).components(separatedBy: " (")
        markup("<span dir=\"ltr\">")
        text(parts[0])
        markup("</span>")
        if parts.count > 1 {
            markup(" <span dir=\"ltr\">(")
            text(parts.dropFirst().joined(separator: " ("))
            markup("</span>")
        }
    }
}
