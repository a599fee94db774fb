import Foundation

/// Which way a group moves through a flow-monitoring point (MIGRATION.md §3.4).
public enum FlowDirection: String, CaseIterable, Sendable, Codable, Hashable {
    case incoming, outgoing, transit
    public var labelKey: String { "flow_direction.\(rawValue)" }
}

/// What a flow-monitoring point is (MIGRATION.md §3.4, the export keys and the DTM list).
public enum FlowPointType: String, CaseIterable, Sendable, Codable, Hashable {
    case borderCrossing = "border_crossing_point", transitCentre = "transit_centre", busStation = "bus_station", port,
        airport
    case checkpoint, humanitarianServicePoint = "hsp", internalTransitPoint = "internal_transit_point", areaOfInterest =
        "area_of_interest"
    public var labelKey: String { "flow_point_type.\(rawValue)" }
}

public enum TransportMode: String, CaseIterable, Sendable, Codable, Hashable {
    case foot, bus, car, truck, train, boat, plane, other
    public var labelKey: String { "transport.\(rawValue)" }
}

/// Reasons for movement (MIGRATION.md §3.4); several may be given.
public enum MovementReason: String, CaseIterable, Sendable, Codable, Hashable {
    case economic, conflictViolence = "conflict_violence", naturalDisaster = "natural_disaster", familyReunification =
        "family_reunification"
    case education, health, seasonal, other
    public var labelKey: String { "movement_reason.\(rawValue)" }
}

/// People in vulnerable situations counted in a group (MIGRATION.md §3.4, as aggregate counts).
public enum FlowVulnerability: String, CaseIterable, Sendable, Codable, Hashable {
    case unaccompaniedOrSeparatedChildren = "uasc", pregnantOrLactating = "pregnant_lactating", olderPeople =
        "older_people"
    case disability, seriousMedical = "serious_medical", traffickingRisk = "trafficking_risk"
    public var labelKey: String { "vulnerability.\(rawValue)" }
}

/// A disaggregation scheme of flow counts (MIGRATION.md §3.3): the bins are the scheme's own and
/// are never converted to another's.
public enum DisaggregationScheme: String, CaseIterable, Sendable, Codable, Hashable {
    /// Only the number of people.
    case notDisaggregated = "none"
    /// Women and men.
    case sex
    /// UNHCR's: women and men × 0–4, 5–11, 12–17, 18–59, 60+, age unknown.
    case unhcr

    public var bins: [String] {
        switch self {
        case .notDisaggregated: []
        case .sex: ["f", "m"]
        case .unhcr: Self.unhcrBins
        }
    }

    /// UNHCR's age brackets as the bins and the forms name them (0–4, 5–11, 12–17, 18–59, 60+, not known):
    /// the one list the tally and figure forms, the pyramid and the bins are made from.
    public static let unhcrAgeBrackets = ["0_4", "5_11", "12_17", "18_59", "60", "other"]

    /// Women then men, each across the age brackets: `f_0_4` … `m_other`.
    static let unhcrBins = ["f", "m"].flatMap { sex in unhcrAgeBrackets.map { "\(sex)_\($0)" } }
    public var labelKey: String { "scheme.\(rawValue)" }

    /// The scheme whose bins were filled in: UNHCR's when any age bin is, sex when only the two
    /// sexes are, none otherwise.
    public static func inferred(from bins: [String: Int]) -> DisaggregationScheme {
        if DisaggregationScheme.unhcr.bins.contains(where: { bins[$0] != nil }) { return .unhcr }
        if bins["f"] != nil || bins["m"] != nil { return .sex }
        return .notDisaggregated
    }
}

/// One tally at a flow-monitoring point: a group (or the people counted in a window) moving one
/// way, with where they come from and go to, how, why, and who among them is vulnerable.
public struct FlowObservationDraft: Sendable, Hashable {
    public var pointID: SiteID
    public var windowStart: Date
    public var windowEnd: Date
    public var direction: FlowDirection
    public var total: Int
    public var scheme: DisaggregationScheme
    public var bins: [String: Int]
    /// ISO3, or UNHCR's UNK (unknown) and XXA (stateless).
    public var nationality: String?
    public var originCountry: String?
    /// An admin area's P-code or a place's name.
    public var originArea: String?
    public var lastTransit: String?
    public var nextDestination: String?
    public var finalDestination: String?
    public var transport: TransportMode?
    public var vulnerable: [FlowVulnerability: Int]
    public var reasons: Set<MovementReason>
    public var notes: String

    public init(
        pointID: SiteID, windowStart: Date, windowEnd: Date, direction: FlowDirection, total: Int,
        scheme: DisaggregationScheme = .notDisaggregated,
        bins: [String: Int] = [:], nationality: String? = nil, originCountry: String? = nil, originArea: String? = nil,
        lastTransit: String? = nil, nextDestination: String? = nil, finalDestination: String? = nil,
        transport: TransportMode? = nil,
        vulnerable: [FlowVulnerability: Int] = [:], reasons: Set<MovementReason> = [], notes: String = ""
    ) {
        self.pointID = pointID; self.windowStart = windowStart; self.windowEnd = windowEnd; self.direction = direction;
        self.total = total
        self.scheme = scheme; self.bins = bins; self.nationality = nationality; self.originCountry = originCountry;
        self.originArea = originArea
        self.lastTransit = lastTransit; self.nextDestination = nextDestination; self.finalDestination = finalDestination
        self.transport = transport; self.vulnerable = vulnerable; self.reasons = reasons; self.notes = notes
    }

    /// The draft with its text trimmed and codes upper-cased, or every problem at once.
    public func validated(now: Date) throws(ValidationErrors) -> FlowObservationDraft {
        var d = self
        var errors = ValidationErrors()
        func clean(_ text: String?) -> String? { text?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        d.nationality = clean(nationality)?.uppercased()
        d.originCountry = clean(originCountry)?.uppercased()
        d.originArea = clean(originArea); d.lastTransit = clean(lastTransit)
        d.nextDestination = clean(nextDestination); d.finalDestination = clean(finalDestination)
        d.notes = notes.trimmingCharacters(in: .whitespacesAndNewlines)
        if total < 0 { errors.add("total", key: "error.flow_count", "The number of people cannot be negative.") }
        if total > 1_000_000 {
            errors.add("total", key: "error.flow_count", "More than a million people in one tally: check the number.")
        }
        if windowEnd < windowStart {
            errors.add("window_end", key: "error.flow_window", "The observation ends before it starts.")
        }
        if windowEnd.timeIntervalSince(windowStart) > 7 * 86_400 {
            errors.add("window_end", key: "error.flow_window_long", "An observation window is at most seven days.")
        }
        if windowStart > now.addingTimeInterval(600) {
            errors.add("window_start", key: "error.future", "The observation cannot start in the future.")
        }
        for bin in d.bins.keys where !scheme.bins.contains(bin) {
            errors.add("bins", key: "error.flow_bin", "“\(bin)” is not a bin of the \(scheme.rawValue) scheme.")
        }
        if d.bins.values.contains(where: { $0 < 0 }) {
            errors.add("bins", key: "error.flow_count", "A count cannot be negative.")
        }
        let broken = d.bins.values.saturatingSum()
        if broken > total {
            errors.add(
                "bins", key: "error.flow_breakdown",
                "The breakdown by sex and age (\(broken)) is larger than the number of people (\(total)).")
        }
        for (vulnerability, count) in d.vulnerable {
            if count < 0 {
                errors.add(
                    "vulnerable[\(vulnerability.rawValue)]", key: "error.flow_count", "A count cannot be negative.")
            }
            if count > total {
                errors.add(
                    "vulnerable[\(vulnerability.rawValue)]", key: "error.flow_vulnerable",
                    "\(count) people in a vulnerable situation out of \(total) in the group.")
            }
        }
        d.vulnerable = d.vulnerable.filter { $0.value > 0 }
        for (field, code) in [("nationality", d.nationality), ("origin_country", d.originCountry)] {
            if let code, !PopulationCountries.isKnown(code) {
                errors.add(
                    field, key: "error.country_code", "“\(code)” is not an ISO 3166 alpha-3 country code (or UNK, XXA)."
                )
            }
        }
        if d.notes.count > 2_000 {
            errors.add("notes", key: "error.too_long", "The notes are longer than 2,000 characters.")
        }
        try errors.throwIfAny()
        return d
    }
}

/// What a site that is a flow-monitoring point records about itself.
public struct FlowPointProfile: Sendable, Hashable {
    public var pointType: FlowPointType
    public var movements: Set<FlowDirection>
    public var operatingHours: String
    public var transportModes: Set<TransportMode>
    public init(
        pointType: FlowPointType, movements: Set<FlowDirection>, operatingHours: String,
        transportModes: Set<TransportMode>
    ) {
        self.pointType = pointType; self.movements = movements; self.operatingHours = operatingHours;
        self.transportModes = transportModes
    }
}
