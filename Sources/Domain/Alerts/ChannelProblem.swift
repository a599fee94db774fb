/// What the delivery monitor found wrong with an alert channel. Stored as codes with their numbers
/// ("unreachable; failing 60 20"), never as sentences, so each reader sees it in their own language
/// and /health in English.
public enum ChannelProblem: Sendable, Hashable {
    /// Not configured on this server, and alerts asked for it.
    case notConfigured
    /// The SMTP server cannot be reached or refused the sign-in.
    case unreachable
    /// Nothing delivered in `days` days while people are in a register.
    case quiet(days: Int)
    /// `percent` % of today's messages failed, above the `threshold` % the server allows.
    case failing(percent: Int, threshold: Int)
    /// The monitor itself has not run for `hours` hours.
    case monitorSilent(hours: Int)
    /// A stored text this version does not read (a verdict written before the codes): shown as written.
    case other(String)

    /// The problems of one verdict, as stored.
    public static func stored(_ problems: [ChannelProblem]) -> String {
        problems.map(\.code).joined(separator: separator)
    }

    /// The problems a stored verdict holds; a part it does not read is kept as `.other`.
    public static func parse(_ stored: String) -> [ChannelProblem] {
        stored.components(separatedBy: separator).filter { !$0.isEmpty }.map { part in
            let words = part.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let numbers = words.dropFirst().compactMap { Int($0) }
            guard numbers.count == words.count - 1 else { return .other(part) }
            switch (words[0], numbers.count) {
            case ("not_configured", 0): return .notConfigured
            case ("unreachable", 0): return .unreachable
            case ("quiet", 1): return .quiet(days: numbers[0])
            case ("failing", 2): return .failing(percent: numbers[0], threshold: numbers[1])
            case ("monitor_silent", 1): return .monitorSilent(hours: numbers[0])
            default: return .other(part)
            }
        }
    }

    private static let separator = "; "

    private var code: String {
        switch self {
        case .notConfigured: "not_configured"
        case .unreachable: "unreachable"
        case .quiet(let days): "quiet \(days)"
        case .failing(let percent, let threshold): "failing \(percent) \(threshold)"
        case .monitorSilent(let hours): "monitor_silent \(hours)"
        case .other(let text): text
        }
    }

    /// The catalogue key of its sentence, and the values that fill it; nil for `.other`.
    public var message: (key: String, values: [String: Int])? {
        switch self {
        case .notConfigured: ("channel_problem.not_configured", [:])
        case .unreachable: ("channel_problem.unreachable", [:])
        case .quiet(let days): ("channel_problem.quiet", ["{days}": days])
        case .failing(let percent, let threshold):
            ("channel_problem.failing", ["{percent}": percent, "{threshold}": threshold])
        case .monitorSilent(let hours): ("channel_problem.monitor_silent", ["{hours}": hours])
        case .other: nil
        }
    }

    /// In English, for /health and the logs.
    public var english: String {
        switch self {
        case .notConfigured: "not configured on this server, and alerts asked for it"
        case .unreachable: "the SMTP server cannot be reached or refused the sign-in"
        case .quiet(let days): "no message delivered in \(days) days while the operation is active"
        case .failing(let percent, let threshold):
            "\(percent) % of today's messages failed (above \(threshold) %)"
        case .monitorSilent(let hours): "the delivery monitor has not run for \(hours) hours"
        case .other(let text): text
        }
    }
}
