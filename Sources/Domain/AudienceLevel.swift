/// Who may see a record, from the widest to the narrowest circle.
///
/// Follows IFRC GO's visibility choices (public / RCRC Movement / IFRC & NS / IFRC only) and adds
/// `restricted`: only the people and roles named on the record (domain/SECURITY.md §4.3).
public enum AudienceLevel: String, CaseIterable, Codable, Sendable, Hashable, Comparable {
    case `public` = "public"
    case movement = "movement"
    case ifrcAndNationalSociety = "ifrc_ns"
    case ifrcOnly = "ifrc"
    case restricted = "restricted"

    /// Narrower circles have higher ranks.
    public var rank: Int {
        switch self {
        case .public: 0
        case .movement: 1
        case .ifrcAndNationalSociety: 2
        case .ifrcOnly: 3
        case .restricted: 4
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    public var labelKey: String { "audience.\(rawValue)" }
}
