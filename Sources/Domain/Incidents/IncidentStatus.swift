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

    /// The one step a follow-up button offers: the next one, or reopening a closed incident.
    public var offeredStep: IncidentStatus? { self == .closed ? .analysed : next }

    /// What the button for `offeredStep` says: reopening reads "Reopen", not "Mark as analysed".
    public var offeredStepLabelKey: String? {
        guard let step = offeredStep else { return nil }
        return self == .closed ? "incident_step.reported" : "incident_step.\(step.rawValue)"
    }
}
