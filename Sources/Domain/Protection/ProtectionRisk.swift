import Foundation

/// The Global Protection Cluster's 15 protection risks (MIGRATION.md §3.7), in the GPC's order.
/// Stored by key; `number` is the GPC's own.
public enum ProtectionRiskCategory: String, CaseIterable, Sendable, Codable, Hashable {
    case abductionDetention = "abduction_detention"
    case attacksOnCivilians = "attacks_on_civilians"
    case familySeparation = "family_separation"
    case forcedMarriage = "forced_marriage"
    case discrimination
    case disinformation
    case childRecruitment = "child_recruitment"
    case genderBasedViolence = "gender_based_violence"
    case legalIdentity = "legal_identity"
    case explosiveOrdnance = "explosive_ordnance"
    case psychologicalAbuse = "psychological_abuse"
    case theftExtortion = "theft_extortion"
    case torture
    case trafficking
    case movementRestrictions = "movement_restrictions"

    public var number: Int { Self.allCases.firstIndex(of: self)! + 1 }
    public var labelKey: String { "gpc_risk.\(rawValue)" }
}

/// Migration-specific sub-types kept under a GPC risk (MIGRATION.md §3.7). Where each sits is our
/// mapping, to be validated by a protection adviser, as the source says.
public enum MigrationRiskSubtype: String, CaseIterable, Sendable, Codable, Hashable {
    case refoulement, pushback
    case collectiveExpulsion = "collective_expulsion"
    case immigrationDetention = "immigration_detention"
    case smugglingViolence = "smuggling_violence"
    case extortionOnRoute = "extortion_on_route"
    case deathsOnRoute = "deaths_on_route"

    public var category: ProtectionRiskCategory {
        switch self {
        case .refoulement, .pushback, .collectiveExpulsion: .movementRestrictions
        case .immigrationDetention: .abductionDetention
        case .smugglingViolence: .attacksOnCivilians
        case .extortionOnRoute: .theftExtortion
        // Deaths and disappearances on the route (IOM's Missing Migrants) sit nearest to GPC 1's
        // "disappearance"; none of the 15 names them.
        case .deathsOnRoute: .abductionDetention
        }
    }
    public var labelKey: String { "risk_subtype.\(rawValue)" }
}

/// Where people are exposed (the role profile's contexts, MIGRATION.md §3.7).
public enum ProtectionContext: String, CaseIterable, Sendable, Codable, Hashable {
    case camp
    case selfSettledCamp = "self_settled_camp"
    case collectiveCentre = "collective_centre"
    case transitCentre = "transit_centre"
    case urban, rural
    case borderArea = "border_area"
    case detention
    public var labelKey: String { "protection_context.\(rawValue)" }
}

/// Where on the journey (IFRC Smart Practices: origin → borders → camps → arrival → long-term → return).
public enum JourneyPhase: String, CaseIterable, Sendable, Codable, Hashable {
    case origin, departure
    case atBorders = "at_borders"
    case inTransit = "in_transit"
    case destination
    case longTerm = "long_term"
    case `return`
    public var labelKey: String { "journey_phase.\(rawValue)" }
}

/// What people have that lowers their exposure (the role profile's capacities).
public enum ProtectionCapacity: String, CaseIterable, Sendable, Codable, Hashable {
    case resources, networks, documentation, language
    case phoneAccess = "phone_access"
    public var labelKey: String { "protection_capacity.\(rawValue)" }
}

/// Individual vulnerabilities a risk bears on: UNHCR's specific-needs categories (§3.5), and
/// LGBTIQ+ people, whom the role profile names and UNHCR's codes do not.
public enum VulnerabilityGroup: String, CaseIterable, Sendable, Codable, Hashable {
    case childAtRisk = "cr", unaccompaniedOrSeparated = "sc", disability = "ds", seriousMedical = "sm"
    case familyUnity = "fu", legalProtection = "lp", tortureSurvivor = "tr", sgbvSurvivor = "sv"
    case womanAtRisk = "wr", olderPerson = "er", singleParent = "sp", lgbtiq
    public var labelKey: String { "need_category.\(rawValue)" }
}

/// The role profile's names for protection risks (refoulement, neglect, discrimination, abuse,
/// exploitation): a coordinator finds risks by these words, which the GPC list does not use.
public enum ProtectionConcern: String, CaseIterable, Sendable, Codable, Hashable {
    case refoulement, neglect, discrimination, abuse, exploitation
    public var labelKey: String { "protection_concern.\(rawValue)" }
}

/// Which risks a concern's name finds: those under these GPC risks, and those of these sub-types.
public struct ConcernMapping: Sendable, Codable, Hashable {
    public var categories: [ProtectionRiskCategory]
    public var subtypes: [MigrationRiskSubtype]
    public init(categories: [ProtectionRiskCategory] = [], subtypes: [MigrationRiskSubtype] = []) {
        self.categories = categories; self.subtypes = subtypes
    }
}

/// How a protection risk's exposure is scored: likelihood × severity, adjusted by the stated
/// modifiers, then read into a level. Every parameter is a setting, and the page writes the method
/// out with them, because no published method exists to cite (MIGRATION.md §3.7: "what existing
/// tools lack"). The defaults are ours, to be set by the operation's protection adviser.
public struct ExposureMethod: Sendable, Codable, Hashable {
    /// Likelihood steps, least likely first (catalogue keys); step 1 is `likelihoods[0]`.
    public var likelihoods: [String]
    /// Severity steps, least severe first.
    public var severities: [String]
    /// Percent added for the context (missing: 0).
    public var contextAdjustments: [String: Int]
    /// Percent added for the journey phase (missing: 0).
    public var phaseAdjustments: [String: Int]
    /// Percent added per vulnerability group affected, up to `vulnerabilityCap` in all.
    public var perVulnerability: Int
    public var vulnerabilityCap: Int
    /// Percent taken off per capacity present (a positive number), up to `capacityCap` in all.
    public var perCapacity: Int
    public var capacityCap: Int
    /// Level names, lowest first (catalogue keys), and the score from which each starts.
    public var levels: [String]
    public var levelFloors: [Int]

    public init(
        likelihoods: [String], severities: [String], contextAdjustments: [String: Int],
        phaseAdjustments: [String: Int], perVulnerability: Int, vulnerabilityCap: Int, perCapacity: Int,
        capacityCap: Int, levels: [String], levelFloors: [Int]
    ) {
        self.likelihoods = likelihoods; self.severities = severities
        self.contextAdjustments = contextAdjustments; self.phaseAdjustments = phaseAdjustments
        self.perVulnerability = perVulnerability; self.vulnerabilityCap = vulnerabilityCap
        self.perCapacity = perCapacity; self.capacityCap = capacityCap
        self.levels = levels; self.levelFloors = levelFloors
    }

    enum CodingKeys: String, CodingKey {
        case likelihoods, severities, levels
        case contextAdjustments = "context_adjustments", phaseAdjustments = "phase_adjustments"
        case perVulnerability = "per_vulnerability", vulnerabilityCap = "vulnerability_cap"
        case perCapacity = "per_capacity", capacityCap = "capacity_cap", levelFloors = "level_floors"
    }

    public static let standard = ExposureMethod(
        likelihoods: ["very_unlikely", "unlikely", "moderately_likely", "likely", "very_likely"],
        severities: ["negligible", "minor", "moderate", "severe", "critical"],
        contextAdjustments: [
            ProtectionContext.detention.rawValue: 20, ProtectionContext.borderArea.rawValue: 10,
            ProtectionContext.selfSettledCamp.rawValue: 10, ProtectionContext.transitCentre.rawValue: 10,
            ProtectionContext.rural.rawValue: 5,
        ],
        phaseAdjustments: [
            JourneyPhase.atBorders.rawValue: 10, JourneyPhase.inTransit.rawValue: 10,
            JourneyPhase.departure.rawValue: 5, JourneyPhase.return.rawValue: 5,
        ],
        perVulnerability: 5, vulnerabilityCap: 15, perCapacity: 5, capacityCap: 15,
        levels: ["low", "medium", "high", "very_high", "unacceptable"], levelFloors: [1, 5, 10, 15, 20])

    /// The highest score the scales allow; an adjusted score never goes above it.
    public var maximum: Int { max(1, likelihoods.count * severities.count) }

    /// What is wrong with an edited method, one line per problem; empty when it can be used.
    public func problems() -> [String] {
        var problems: [String] = []
        if likelihoods.isEmpty || severities.isEmpty || levels.isEmpty {
            problems.append("The method needs at least one likelihood, one severity and one level.")
        }
        if levelFloors.count != levels.count {
            problems.append("Give one level floor per level (\(levels.count)).")
        } else if levelFloors.first != 1 || zip(levelFloors, levelFloors.dropFirst()).contains(where: { $0 >= $1 }) {
            problems.append("The level floors start at 1 and rise (e.g. 1, 5, 10, 15, 20).")
        }
        for key in contextAdjustments.keys where ProtectionContext(rawValue: key) == nil {
            problems.append(
                "“\(key)” is not a context (\(ProtectionContext.allCases.map(\.rawValue).joined(separator: ", "))).")
        }
        for key in phaseAdjustments.keys where JourneyPhase(rawValue: key) == nil {
            problems.append(
                "“\(key)” is not a journey phase (\(JourneyPhase.allCases.map(\.rawValue).joined(separator: ", "))).")
        }
        let all = Array(contextAdjustments.values) + Array(phaseAdjustments.values)
        if all.contains(where: { !(-90...200).contains($0) }) {
            problems.append("An adjustment is a percent between -90 and 200.")
        }
        if !(0...100).contains(perVulnerability) || !(0...200).contains(vulnerabilityCap)
            || !(0...100).contains(perCapacity)
            || !(0...90).contains(capacityCap)
        {
            problems.append(
                "Per vulnerability and per capacity are 0–100 %; the vulnerability cap 0–200 %, the capacity cap 0–90 %."
            )
        }
        return problems
    }

    /// The level index of a score: the last level whose floor it reaches.
    public func level(ofScore score: Int) -> Int {
        max(0, (levelFloors.lastIndex { $0 <= score }) ?? 0)
    }
}

/// A risk's exposure as the method works it out, step by step, for the page to write out.
public struct Exposure: Sendable, Hashable {
    /// One stated modifier and what it adds (negative: takes off), in percent.
    public struct Part: Sendable, Hashable {
        public let key: String
        public let percent: Int
    }
    public let likelihood: Int
    public let severity: Int
    public let parts: [Part]
    /// The sum of the parts, never below -90 %.
    public let adjustment: Int
    /// The adjusted product, rounded, before it is kept within the scale.
    public let uncapped: Int
    public let score: Int
    public let level: Int

    public var base: Int { likelihood * severity }

    public init(
        likelihood: Int, severity: Int, context: ProtectionContext, phase: JourneyPhase, vulnerabilities: Int,
        capacities: Int, method: ExposureMethod
    ) {
        self.likelihood = likelihood
        self.severity = severity
        var parts: [Part] = []
        if let c = method.contextAdjustments[context.rawValue], c != 0 {
            parts.append(Part(key: context.labelKey, percent: c))
        }
        if let p = method.phaseAdjustments[phase.rawValue], p != 0 {
            parts.append(Part(key: phase.labelKey, percent: p))
        }
        if vulnerabilities > 0, method.perVulnerability > 0 {
            parts.append(
                Part(
                    key: "protection_risks.vulnerabilities_part",
                    percent: min(method.vulnerabilityCap, vulnerabilities * method.perVulnerability)))
        }
        if capacities > 0, method.perCapacity > 0 {
            parts.append(
                Part(
                    key: "protection_risks.capacities_part",
                    percent: -min(method.capacityCap, capacities * method.perCapacity)))
        }
        self.parts = parts
        adjustment = max(-90, parts.map(\.percent).reduce(0, +))
        // Whole numbers, rounded half up: the page shows the product and the reader can redo it.
        uncapped = (likelihood * severity * (100 + adjustment) + 50) / 100
        score = min(method.maximum, max(1, uncapped))
        level = method.level(ofScore: score)
    }
}

/// A mitigation of a protection risk: who does what by when, and the EPoA activities that carry it out.
public struct ProtectionMitigation: Sendable, Codable, Hashable {
    public var description: String
    public var owner: String
    public var dueOn: Date?
    public var status: MeasureStatus
    public var activityIDs: [UUID]
    public init(
        description: String, owner: String, dueOn: Date? = nil, status: MeasureStatus = .planned,
        activityIDs: [UUID] = []
    ) {
        self.description = description; self.owner = owner; self.dueOn = dueOn; self.status = status
        self.activityIDs = activityIDs
    }
    public var isOpen: Bool { status == .planned || status == .inProgress }
}

/// One protection risk, set against one context and one journey phase: the exposure depends on
/// both, so the same GPC risk in a border area and in a camp is two entries, scored apart.
public struct ProtectionRiskDraft: Sendable, Codable, Hashable {
    public var title: String
    public var category: ProtectionRiskCategory
    public var subtype: MigrationRiskSubtype?
    public var context: ProtectionContext
    public var phase: JourneyPhase
    /// Admin areas (P-codes); none means the whole operation.
    public var areaPcodes: [String]
    /// What happens, to whom, by whom: the evidence in words.
    public var description: String
    public var groups: [PopulationType]
    public var vulnerabilities: [VulnerabilityGroup]
    public var capacities: [ProtectionCapacity]
    public var likelihood: Int
    public var severity: Int
    public var mitigations: [ProtectionMitigation]
    public var nextReview: Date?

    public init(
        title: String, category: ProtectionRiskCategory, subtype: MigrationRiskSubtype? = nil,
        context: ProtectionContext, phase: JourneyPhase, areaPcodes: [String] = [], description: String = "",
        groups: [PopulationType], vulnerabilities: [VulnerabilityGroup] = [], capacities: [ProtectionCapacity] = [],
        likelihood: Int, severity: Int, mitigations: [ProtectionMitigation] = [], nextReview: Date? = nil
    ) {
        self.title = title; self.category = category; self.subtype = subtype; self.context = context
        self.phase = phase; self.areaPcodes = areaPcodes; self.description = description; self.groups = groups
        self.vulnerabilities = vulnerabilities; self.capacities = capacities; self.likelihood = likelihood
        self.severity = severity; self.mitigations = mitigations; self.nextReview = nextReview
    }

    public func exposure(_ method: ExposureMethod) -> Exposure {
        Exposure(
            likelihood: likelihood, severity: severity, context: context, phase: phase,
            vulnerabilities: vulnerabilities.count, capacities: capacities.count, method: method)
    }

    /// The draft with its text trimmed, or every problem at once, each naming its field.
    public func validated(
        method: ExposureMethod, knownAreas: Set<String>?, knownActivities: Set<UUID>?
    ) throws(ValidationErrors) -> ProtectionRiskDraft {
        var d = self
        var errors = ValidationErrors()
        d.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        d.description = description.trimmingCharacters(in: .whitespacesAndNewlines)
        if d.title.isEmpty { errors.add("title", key: "error.required", "Give the risk a title.") }
        if d.title.count > 200 {
            errors.add("title", key: "error.too_long", "The title is longer than 200 characters.")
        }
        if d.description.count > 10_000 {
            errors.add("description", key: "error.too_long", "The description is longer than 10,000 characters.")
        }
        if let subtype, subtype.category != category {
            errors.add(
                "subtype", key: "error.risk_subtype",
                "“\(subtype.rawValue)” belongs under GPC risk \(subtype.category.number), not \(category.number).")
        }
        var seen = Set<String>()
        d.areaPcodes = areaPcodes.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
        if let knownAreas {
            let unknown = d.areaPcodes.filter { !knownAreas.contains($0) }
            if !unknown.isEmpty {
                errors.add(
                    "area_pcodes", key: "error.risk_area",
                    "Not an admin area of this operation: \(unknown.joined(separator: ", ")).")
            }
        }
        if groups.isEmpty {
            errors.add(
                "groups", key: "error.protection_groups",
                "Say which groups are exposed (host community included where it is).")
        }
        if groups.contains(.totalPopulation) {
            errors.add("groups", key: "error.choice", "“POP” is a whole population, not a group exposed to a risk.")
        }
        d.groups = PopulationType.allCases.filter { $0 != .totalPopulation && groups.contains($0) }
        d.vulnerabilities = VulnerabilityGroup.allCases.filter(vulnerabilities.contains)
        d.capacities = ProtectionCapacity.allCases.filter(capacities.contains)
        for (value, field, steps) in [
            (likelihood, "likelihood", method.likelihoods), (severity, "severity", method.severities),
        ] where !(1...max(1, steps.count)).contains(value) {
            errors.add(
                field, key: "error.risk_scale",
                "\(value) is outside the scale: use 1 (\(steps.first ?? "")) to \(steps.count) (\(steps.last ?? "")).")
        }
        d.mitigations = mitigations.map { m in
            var m = m
            m.description = m.description.trimmingCharacters(in: .whitespacesAndNewlines)
            m.owner = m.owner.trimmingCharacters(in: .whitespacesAndNewlines)
            var seen = Set<UUID>()
            m.activityIDs = m.activityIDs.filter { seen.insert($0).inserted }
            return m
        }
        for (i, m) in d.mitigations.enumerated() {
            let field = "mitigations[\(i)]"
            if m.description.isEmpty || m.owner.isEmpty {
                errors.add(
                    field, key: "error.risk_measure", "Mitigation \(i + 1) needs what is to be done and who owns it.")
            }
            if m.description.count > 2_000 || m.owner.count > 200 {
                errors.add(
                    field, key: "error.too_long", "Mitigation \(i + 1) is too long (2,000 characters, owner 200).")
            }
            if let knownActivities, m.activityIDs.contains(where: { !knownActivities.contains($0) }) {
                errors.add(
                    field, key: "error.protection_activity",
                    "Mitigation \(i + 1) names an activity that is not in this operation's EPoA.")
            }
        }
        try errors.throwIfAny()
        return d
    }
}

/// The protection-risk register's settings: the exposure method and what each of the role
/// profile's names finds. Stored per operation like the security risk settings.
public struct ProtectionRiskSettings: Sendable, Hashable, SettingsGroup {
    public enum Key: String, CaseIterable, Sendable, SettingsKey {
        case method = "protection_exposure_method", concerns = "protection_concerns"
    }

    public var method: ExposureMethod
    public var concerns: [ProtectionConcern: ConcernMapping]

    public init(method: ExposureMethod = .standard, concerns: [ProtectionConcern: ConcernMapping] = Self.roleProfile) {
        self.method = method; self.concerns = concerns
    }

    public static let defaults = ProtectionRiskSettings()

    /// MIGRATION.md §3.7's table. Refoulement is found by its sub-types rather than all of GPC 15,
    /// which also holds sieges and displacement inside a country: neither is refoulement.
    public static let roleProfile: [ProtectionConcern: ConcernMapping] = [
        .refoulement: ConcernMapping(subtypes: [.refoulement, .pushback, .collectiveExpulsion]),
        .neglect: ConcernMapping(categories: [.discrimination, .psychologicalAbuse]),
        .discrimination: ConcernMapping(categories: [.discrimination]),
        .abuse: ConcernMapping(categories: [.genderBasedViolence, .psychologicalAbuse, .torture]),
        .exploitation: ConcernMapping(categories: [.trafficking, .genderBasedViolence]),
    ]

    public func mapping(_ concern: ProtectionConcern) -> ConcernMapping { concerns[concern] ?? ConcernMapping() }

    public func json(_ key: Key) -> String {
        switch key {
        case .method: SettingsJSON.encode(method)
        case .concerns:
            SettingsJSON.encode(Dictionary(uniqueKeysWithValues: concerns.map { ($0.key.rawValue, $0.value) }))
        }
    }

    public func replacing(_ key: Key, json: String) throws(ValidationErrors) -> ProtectionRiskSettings {
        var next = self
        switch key {
        case .method: next.method = try SettingsJSON.decode(ExposureMethod.self, json, field: key.rawValue)
        case .concerns:
            let raw = try SettingsJSON.decode([String: ConcernMapping].self, json, field: key.rawValue)
            var errors = ValidationErrors()
            var concerns: [ProtectionConcern: ConcernMapping] = [:]
            for (name, mapping) in raw {
                if let concern = ProtectionConcern(rawValue: name) {
                    concerns[concern] = mapping
                } else {
                    errors.add(
                        key.rawValue, key: "error.settings_invalid",
                        "“\(name)” is not one of \(ProtectionConcern.allCases.map(\.rawValue).joined(separator: ", "))."
                    )
                }
            }
            try errors.throwIfAny()
            next.concerns = concerns
        }
        var errors = ValidationErrors()
        for problem in next.method.problems() { errors.add(key.rawValue, key: "error.settings_invalid", problem) }
        try errors.throwIfAny()
        return next
    }
}

/// A protection risk as given, before it is checked: the form's and the API's fields as text.
/// `draft(…)` is the one decoder of a protection risk.
public struct ProtectionRiskInput: Codable, Sendable, Equatable {
    public struct Mitigation: Codable, Sendable, Equatable {
        public var description = ""
        public var owner = ""
        public var due = ""
        public var status = MeasureStatus.planned.rawValue
        /// Activity ids.
        public var activities: [String] = []
        public init(
            description: String = "", owner: String = "", due: String = "",
            status: String = MeasureStatus.planned.rawValue, activities: [String] = []
        ) {
            self.description = description; self.owner = owner; self.due = due; self.status = status
            self.activities = activities
        }
        public var isBlank: Bool {
            [description, owner, due].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
                && activities.isEmpty
        }
    }

    public var title = ""
    public var category = ""
    public var subtype = ""
    public var context = ""
    public var phase = ""
    public var areaPcodes = ""
    public var description = ""
    public var groups: [String] = []
    public var vulnerabilities: [String] = []
    public var capacities: [String] = []
    public var likelihood = ""
    public var severity = ""
    public var nextReview = ""
    public var mitigations: [Mitigation] = []

    public init() {}

    public init(_ d: ProtectionRiskDraft) {
        title = d.title
        category = d.category.rawValue
        subtype = d.subtype?.rawValue ?? ""
        context = d.context.rawValue
        phase = d.phase.rawValue
        areaPcodes = d.areaPcodes.joined(separator: ", ")
        description = d.description
        groups = d.groups.map(\.rawValue)
        vulnerabilities = d.vulnerabilities.map(\.rawValue)
        capacities = d.capacities.map(\.rawValue)
        likelihood = String(d.likelihood)
        severity = String(d.severity)
        nextReview = d.nextReview.map(DateText.day) ?? ""
        mitigations = d.mitigations.map {
            Mitigation(
                description: $0.description, owner: $0.owner, due: $0.dueOn.map(DateText.day) ?? "",
                status: $0.status.rawValue, activities: $0.activityIDs.map(\.uuidString))
        }
    }

    /// The checked draft, or every problem at once: unreadable values first, then the draft's rules.
    public func draft(
        method: ExposureMethod, knownAreas: Set<String>?, knownActivities: Set<UUID>?
    ) throws(ValidationErrors) -> ProtectionRiskDraft {
        var errors = ValidationErrors()
        func choice<T: RawRepresentable>(_ type: T.Type, _ text: String, _ field: String, required: Bool) -> T?
        where T.RawValue == String {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if required { errors.add(field, key: "error.choose", "Choose a value.") }
                return nil
            }
            guard let value = T(rawValue: trimmed) else {
                errors.add(field, key: "error.choice", "“\(trimmed)” is not a choice.")
                return nil
            }
            return value
        }
        func choices<T: RawRepresentable>(_ type: T.Type, _ texts: [String], _ field: String) -> [T]
        where T.RawValue == String {
            texts.filter { !$0.isEmpty }.compactMap { choice(type, $0, field, required: false) }
        }
        func number(_ text: String, _ field: String) -> Int? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                errors.add(field, key: "error.required", "Choose a value.")
                return nil
            }
            guard let value = WholeNumber.parse(trimmed) else {
                errors.add(field, key: "error.number", "“\(trimmed)” is not a whole number.")
                return nil
            }
            return value
        }
        func day(_ text: String, _ field: String) -> Date? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard let date = DateText.day(trimmed) else {
                errors.add(field, key: "error.date", "“\(trimmed)” is not a date (YYYY-MM-DD).")
                return nil
            }
            return date
        }
        let category = choice(ProtectionRiskCategory.self, category, "category", required: true)
        let subtype = choice(MigrationRiskSubtype.self, subtype, "subtype", required: false)
        let context = choice(ProtectionContext.self, context, "context", required: true)
        let phase = choice(JourneyPhase.self, phase, "phase", required: true)
        let likelihood = number(likelihood, "likelihood")
        let severity = number(severity, "severity")
        let nextReview = day(nextReview, "next_review")
        var mitigations: [ProtectionMitigation] = []
        for (i, row) in self.mitigations.filter({ !$0.isBlank }).enumerated() {
            let field = "mitigations[\(i)]"
            let status = MeasureStatus(rawValue: row.status)
            if status == nil {
                errors.add(field, key: "error.choice", "Mitigation \(i + 1) has a status that is not a choice.")
            }
            var ids: [UUID] = []
            for raw in row.activities where !raw.isEmpty {
                guard let id = UUID(uuidString: raw) else {
                    errors.add(field, key: "error.protection_activity", "“\(raw)” is not an activity's id.")
                    continue
                }
                ids.append(id)
            }
            mitigations.append(
                ProtectionMitigation(
                    description: row.description, owner: row.owner, dueOn: day(row.due, field),
                    status: status ?? .planned, activityIDs: ids))
        }
        let draft = ProtectionRiskDraft(
            title: title, category: category ?? .abductionDetention, subtype: subtype,
            context: context ?? .camp, phase: phase ?? .origin,
            areaPcodes: areaPcodes.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" || $0.isNewline })
                .map(String.init),
            description: description, groups: choices(PopulationType.self, groups, "groups"),
            vulnerabilities: choices(VulnerabilityGroup.self, vulnerabilities, "vulnerabilities"),
            capacities: choices(ProtectionCapacity.self, capacities, "capacities"),
            likelihood: likelihood ?? 1, severity: severity ?? 1, mitigations: mitigations, nextReview: nextReview)
        // A subtype under another risk is only worth saying once both were readable.
        let checkedSubtype = category != nil
        do {
            let valid = try draft.validated(method: method, knownAreas: knownAreas, knownActivities: knownActivities)
            try errors.throwIfAny()
            return valid
        } catch let more {
            var all = errors
            all.errors += more.errors.filter { checkedSubtype || $0.field != "subtype" }
            throw all
        }
    }
}
