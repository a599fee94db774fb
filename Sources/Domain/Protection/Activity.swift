import Foundation

/// The response phase an activity belongs to (the role profile): the first months, or the long run.
public enum ResponsePhase: String, CaseIterable, Sendable, Codable, Hashable {
    case acute, protracted
    public var labelKey: String { "response_phase.\(rawValue)" }
}

/// What kind of activity, as the EPoA's migration entries name them (MIGRATION.md §3.11).
public enum ActivityKind: String, CaseIterable, Sendable, Codable, Hashable {
    case hsp, rfl, referrals, information, psychosocial, health, cash, legal, communityEngagement = "cea"
    case advocacy, capacity, coordination, other
    public var labelKey: String { "activity_kind.\(rawValue)" }
}

/// An EPoA activity for people on the move, as entered, checked before it is stored.
public struct ActivityDraft: Sendable, Hashable {
    public var name: String
    public var kind: ActivityKind
    public var sector: IFRCSector
    /// The admin area it runs in (its P-code), for the 3W's `#adm1+code`.
    public var areaPcode: String
    public var siteID: SiteID?
    public var populationTypes: [PopulationType]
    public var phase: ResponsePhase
    public var startOn: Date
    public var endOn: Date?
    /// The National Society or partner that carries it out (`#org`).
    public var implementer: String
    /// How targets and reach are broken down by sex and age (named: none, sex, UNHCR's brackets).
    public var scheme: DisaggregationScheme
    public var targeted: Int
    public var reached: Int
    /// Targets and reach by the scheme's bins ("f_0_4"…), when broken down.
    public var targetedBins: [String: Int]
    public var reachedBins: [String: Int]
    /// Targets and reach by population type, when known.
    public var targetedByType: [PopulationType: Int]
    public var reachedByType: [PopulationType: Int]
    /// Activities this one carries on from (acute → protracted).
    public var continues: ActivityDraftLink?

    public init(
        name: String, kind: ActivityKind, sector: IFRCSector, areaPcode: String, siteID: SiteID? = nil,
        populationTypes: [PopulationType], phase: ResponsePhase, startOn: Date, endOn: Date? = nil,
        implementer: String, scheme: DisaggregationScheme = .notDisaggregated, targeted: Int, reached: Int = 0,
        targetedBins: [String: Int] = [:], reachedBins: [String: Int] = [:],
        targetedByType: [PopulationType: Int] = [:], reachedByType: [PopulationType: Int] = [:],
        continues: ActivityDraftLink? = nil
    ) {
        self.name = name
        self.kind = kind
        self.sector = sector
        self.areaPcode = areaPcode
        self.siteID = siteID
        self.populationTypes = populationTypes
        self.phase = phase
        self.startOn = startOn
        self.endOn = endOn
        self.implementer = implementer
        self.scheme = scheme
        self.targeted = targeted
        self.reached = reached
        self.targetedBins = targetedBins
        self.reachedBins = reachedBins
        self.targetedByType = targetedByType
        self.reachedByType = reachedByType
        self.continues = continues
    }

    /// Reach as a share of the target, or nil without a target.
    public var progress: Double? { targeted > 0 ? Double(reached) / Double(targeted) : nil }
}

/// The acute-phase activity a protracted one carries on (by its id, as text: the store resolves it).
public struct ActivityDraftLink: Sendable, Hashable {
    public var id: UUID
    public init(id: UUID) { self.id = id }
}

/// What a save said without refusing it: reach far above target is a warning (a typo, or a target
/// to revise), not an error.
public struct ActivityWarning: Sendable, Hashable {
    public let field: String
    public let message: String
}

/// An activity as given (the form, the API), before it is checked: the one decoder both share.
/// Counts are text, read as whole numbers from 0; bins by the scheme's names ("f_0_4", "m_60").
public struct ActivityInput: Sendable, Equatable, Encodable {
    public var name = ""
    public var kind = ActivityKind.other.rawValue
    public var sector = IFRCSector.migration.rawValue
    public var area = ""
    public var site = ""
    public var populationTypes: [String] = []
    public var phase = ResponsePhase.acute.rawValue
    public var startOn = ""
    public var endOn = ""
    public var implementer = ""
    public var scheme = DisaggregationScheme.notDisaggregated.rawValue
    public var targeted = ""
    public var reached = ""
    public var targetedBins: [String: String] = [:]
    public var reachedBins: [String: String] = [:]
    public var targetedByType: [String: String] = [:]
    public var reachedByType: [String: String] = [:]
    public var continues = ""

    public init() {}

    /// The input that gives back a stored activity.
    public init(_ draft: ActivityDraft) {
        name = draft.name
        kind = draft.kind.rawValue
        sector = draft.sector.rawValue
        area = draft.areaPcode
        site = draft.siteID?.uuidString ?? ""
        populationTypes = draft.populationTypes.map(\.rawValue)
        phase = draft.phase.rawValue
        startOn = DateText.day(draft.startOn)
        endOn = draft.endOn.map(DateText.day) ?? ""
        implementer = draft.implementer
        scheme = draft.scheme.rawValue
        targeted = String(draft.targeted)
        reached = String(draft.reached)
        targetedBins = draft.targetedBins.mapValues(String.init)
        reachedBins = draft.reachedBins.mapValues(String.init)
        reachedByType = Dictionary(
            uniqueKeysWithValues: draft.reachedByType.map { ($0.key.rawValue, String($0.value)) })
        continues = draft.continues?.id.uuidString ?? ""
    }

    /// The checked draft and its warnings (reach above `warnAbove` × target); every problem at once,
    /// each named by its field.
    public func decoded(warnAbove factor: Double = 1.5) throws(ValidationErrors) -> (
        draft: ActivityDraft, warnings: [ActivityWarning]
    ) {
        var errors = ValidationErrors()
        func trimmed(_ text: String) -> String? { text.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        func count(_ text: String, _ field: String) -> Int? {
            guard let value = trimmed(text) else { return nil }
            guard let number = WholeNumber.parse(grouped: value), number >= 0, number <= 100_000_000 else {
                errors.add(
                    field, key: "error.people_count",
                    "A count is a whole number of people from 0 to 100,000,000, not '\(value)'.")
                return nil
            }
            return number
        }
        let name = trimmed(self.name)
        if name == nil || (name?.count ?? 0) > 200 {
            errors.add("name", key: "error.required", "The activity, in 1–200 characters, is required.")
        }
        let kind = ActivityKind(rawValue: kind)
        if kind == nil { errors.add("kind", key: "error.choose", "Unknown kind of activity '\(self.kind)'.") }
        let sector = IFRCSector(rawValue: sector)
        if sector == nil { errors.add("sector", key: "error.choose", "Unknown sector '\(self.sector)'.") }
        let area = trimmed(self.area)?.uppercased()
        if area?.range(of: #"^[A-Z]{2,3}[0-9A-Z]{0,12}$"#, options: .regularExpression) == nil {
            errors.add("area", key: "error.area", "The admin area (its P-code, e.g. SD11) is required.")
        }
        let site = trimmed(self.site)
        let siteID = site.flatMap { UUID(uuidString: $0) }.map { SiteID(rawValue: $0) }
        if site != nil, siteID == nil { errors.add("site", key: "error.choose", "Not a site: \(site ?? "")") }
        var types: [PopulationType] = []
        for text in populationTypes where trimmed(text) != nil {
            if let type = PopulationType(rawValue: text.uppercased()), type != .totalPopulation {
                if !types.contains(type) { types.append(type) }
            } else {
                errors.add("population_types", key: "error.choose", "Unknown population type '\(text)'.")
            }
        }
        if types.isEmpty {
            errors.add("population_types", key: "error.required", "Say whom the activity is for (population types).")
        }
        let phase = ResponsePhase(rawValue: phase)
        if phase == nil { errors.add("phase", key: "error.choose", "The phase is acute or protracted.") }
        let start = trimmed(startOn).flatMap(DateText.day)
        if start == nil { errors.add("start_on", key: "error.date", "The first day (YYYY-MM-DD) is required.") }
        var end: Date?
        if let text = trimmed(endOn) {
            end = DateText.day(text)
            if end == nil {
                errors.add("end_on", key: "error.date", "Not a day (YYYY-MM-DD): \(text)")
            } else if let start, let end, end < start {
                errors.add("end_on", key: "error.date_order", "The last day comes before the first.")
            }
        }
        let implementer = trimmed(self.implementer)
        if implementer == nil || (implementer?.count ?? 0) > 200 {
            errors.add(
                "implementer", key: "error.required", "Who carries it out (National Society or partner) is required.")
        }
        let scheme = DisaggregationScheme(rawValue: scheme)
        if scheme == nil { errors.add("scheme", key: "error.choose", "Unknown breakdown '\(self.scheme)'.") }
        func bins(_ given: [String: String], _ field: String) -> [String: Int] {
            var out: [String: Int] = [:]
            for (bin, text) in given.sorted(by: { $0.key < $1.key }) {
                guard let value = count(text, field) else { continue }
                if !(scheme ?? .notDisaggregated).bins.contains(bin) {
                    errors.add(field, key: "error.bin", "'\(bin)' is not a bin of the breakdown chosen.")
                } else {
                    out[bin] = value
                }
            }
            return out
        }
        let targetedBins = bins(targetedBins, "targeted_bins")
        let reachedBins = bins(reachedBins, "reached_bins")
        // A total given beside its bins must be their sum; without it, the bins make it.
        func total(_ text: String, _ bins: [String: Int], _ field: String) -> Int {
            let sum = bins.values.reduce(0, +)
            guard let given = count(text, field) else { return sum }
            if !bins.isEmpty, given != sum {
                errors.add(
                    field, key: "error.bin_sum", "The total (\(given)) is not the sum of its breakdown (\(sum)).")
            }
            return given
        }
        let targeted = total(self.targeted, targetedBins, "targeted")
        let reached = total(self.reached, reachedBins, "reached")
        // By population type: each count of a type of the activity, adding up to no more than the total.
        func byType(_ given: [String: String], _ field: String, total: Int) -> [PopulationType: Int] {
            var out: [PopulationType: Int] = [:]
            for (text, value) in given.sorted(by: { $0.key < $1.key }) {
                guard let number = count(value, field) else { continue }
                guard let type = PopulationType(rawValue: text.uppercased()), type != .totalPopulation else {
                    errors.add(field, key: "error.choose", "Unknown population type '\(text)'.")
                    continue
                }
                out[type] = number
            }
            if out.values.reduce(0, +) > total {
                errors.add(
                    field, key: "error.bin_sum",
                    "The counts by population type add up to more than the total (\(total)).")
            }
            return out
        }
        let targetedByType = byType(targetedByType, "targeted_by_type", total: targeted)
        let reachedByType = byType(reachedByType, "reached_by_type", total: reached)
        let continues = trimmed(self.continues).flatMap { UUID(uuidString: $0) }.map(ActivityDraftLink.init)
        if trimmed(self.continues) != nil, continues == nil {
            errors.add("continues", key: "error.choose", "Not an activity: \(self.continues)")
        }
        try errors.throwIfAny()
        var warnings: [ActivityWarning] = []
        if targeted > 0, Double(reached) > Double(targeted) * factor {
            warnings.append(
                ActivityWarning(
                    field: "reached",
                    message:
                        "Reach (\(reached)) is more than \(DecimalText.fixed(factor, digits: 1)) times the target (\(targeted)): check both."
                ))
        }
        return (
            ActivityDraft(
                name: name ?? "", kind: kind ?? .other, sector: sector ?? .migration, areaPcode: area ?? "",
                siteID: siteID, populationTypes: types, phase: phase ?? .acute, startOn: start ?? Date(), endOn: end,
                implementer: implementer ?? "", scheme: scheme ?? .notDisaggregated, targeted: targeted,
                reached: reached, targetedBins: targetedBins, reachedBins: reachedBins,
                targetedByType: targetedByType, reachedByType: reachedByType,
                continues: continues), warnings
        )
    }
}
