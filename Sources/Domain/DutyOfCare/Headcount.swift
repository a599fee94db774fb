import Foundation

/// How sure the register is of where a person is.
public enum LocationFreshness: String, Sendable, Hashable, CaseIterable {
    case current, stale, unknown
    public var labelKey: String { "freshness.\(rawValue)" }
}

/// "Where is everyone?": the people present in an operation counted by area, site and security
/// phase, with those whose location is stale or unknown listed by name to be called.
public struct Headcount: Sendable, Hashable {
    /// One person as the count needs them.
    public struct Entry: Sendable, Hashable {
        public let personID: PersonID
        public let name: String
        public let siteID: SiteID?
        public let areaPcode: String?
        public let confirmedAt: Date?
        public init(personID: PersonID, name: String, siteID: SiteID?, areaPcode: String?, confirmedAt: Date?) {
            self.personID = personID
            self.name = name
            self.siteID = siteID
            self.areaPcode = areaPcode
            self.confirmedAt = confirmedAt
        }
    }

    public struct Group: Sendable, Hashable {
        /// A P-code, a site id, or a phase name; empty for "none" (no area, no site, no phase declared).
        public let key: String
        public let total: Int
        public let stale: Int
    }

    public let total: Int
    public let byArea: [Group]
    public let bySite: [Group]
    public let byPhase: [Group]
    /// Located, but not confirmed for longer than the operation allows; oldest first.
    public let stale: [Entry]
    /// Never located.
    public let unknown: [Entry]

    /// `phase` gives the phase in force where a P-code lies (the area's own, or its parent's).
    public init(entries: [Entry], now: Date, staleAfterHours: Int, phase: (String) -> String?) {
        func freshness(_ e: Entry) -> LocationFreshness {
            guard let at = e.confirmedAt else { return .unknown }
            return now.timeIntervalSince(at) > Double(staleAfterHours) * 3_600 ? .stale : .current
        }
        func groups(_ key: (Entry) -> String) -> [Group] {
            var totals: [String: (Int, Int)] = [:]
            for e in entries where e.confirmedAt != nil {
                let k = key(e)
                totals[k, default: (0, 0)].0 += 1
                if freshness(e) == .stale { totals[k, default: (0, 0)].1 += 1 }
            }
            // Largest first; "none" last.
            return totals.map { Group(key: $0.key, total: $0.value.0, stale: $0.value.1) }
                .sorted { ($0.key.isEmpty ? 1 : 0, -$0.total, $0.key) < ($1.key.isEmpty ? 1 : 0, -$1.total, $1.key) }
        }
        total = entries.count
        byArea = groups { $0.areaPcode ?? "" }
        bySite = groups { $0.siteID?.uuidString ?? "" }
        byPhase = groups { $0.areaPcode.flatMap(phase) ?? "" }
        stale = entries.filter { freshness($0) == .stale }.sorted {
            ($0.confirmedAt!, $0.name) < ($1.confirmedAt!, $1.name)
        }
        unknown = entries.filter { $0.confirmedAt == nil }.sorted { $0.name < $1.name }
    }
}

/// A person's answer in a roll-call.
public enum RollCallAnswer: String, CaseIterable, Sendable, Codable, Hashable {
    case safe
    case needsHelp = "needs_help"
    /// Tried, not reached; also where everyone starts.
    case notReached = "not_reached"
    public var labelKey: String { "roll_call_answer.\(rawValue)" }
}
