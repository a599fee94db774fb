/// The follow-up of an incident: reported → verified → analysed → closed. Each step is taken by
/// someone at some time; a closed incident may be reopened for analysis when new facts arrive.
public enum IncidentStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case reported, verified, analysed, closed

    public var labelKey: String { "incident_status.\(rawValue)" }

    /// The next step, if any.
    public var next: IncidentStatus? {
        switch self {
        case .reported: .verified
        case .verified: .analysed
        case .analysed: .closed
        case .closed: nil
        }
    }

    /// Steps go forward one at a time; the only way back is reopening a closed incident.
    public func canMove(to target: IncidentStatus) -> Bool {
        target == next || (self == .closed && target == .analysed)
    }
}
