import Foundation

/// One security phase as the operation describes it (SECURITY.md §3.1.4: "code, colour,
/// description, indicator list, requirements list, approvers"; the approvers are `PhaseRules`).
public struct PhaseDefinition: Sendable, Codable, Hashable {
    public var key: String
    /// A CSS colour (#rrggbb) for the phase map and tags.
    public var colour: String
    public var description: String
    /// Indicators any one of which may justify the phase.
    public var indicators: [String]
    /// The minimum security requirements that apply in the phase.
    public var requirements: [String]

    public init(key: String, colour: String, description: String, indicators: [String], requirements: [String]) {
        self.key = key; self.colour = colour; self.description = description; self.indicators = indicators;
        self.requirements = requirements
    }

    public var labelKey: String { "phase.\(key)" }

    /// The descriptions the first releases shipped for White, Yellow and Orange: a note to replace
    /// them, never a definition. Migration 0031 empties them where an operation saved them.
    public static let retiredPlaceholders = [
        "Normal situation: the general security risk is low. (IFRC definition not retrieved: replace with the GSU text.)",
        "Heightened tension: the general security risk is raised. (IFRC definition not retrieved: replace with the GSU text.)",
        "Emergency: the general security risk is high. (IFRC definition not retrieved: replace with the GSU text.)",
    ]

    /// The four IFRC phases. Red's definition and indicators are IFRC Stay Safe's (verified); the
    /// requirements are MSR Part 6's for Orange and Red. White, Yellow and Orange's own definitions
    /// were not retrieved (SECURITY.md §3.1.4 [U]), so they are empty: the Security Coordinator
    /// writes them in the operation's settings, and readers see nothing until then.
    public static let ifrc: [PhaseDefinition] = [
        PhaseDefinition(
            key: "white", colour: "#f4f4f4",
            description: "",
            indicators: [],
            requirements: [
                "Security risk assessment and register up to date", "Security regulations signed by all personnel",
                "Newcomers briefed within 24 hours of arrival", "Personnel location record accessible 24/7",
            ]),
        PhaseDefinition(
            key: "yellow", colour: "#ffd43b",
            description: "",
            indicators: ["Rising crime or unrest affecting the population", "Incidents near IFRC premises or routes"],
            requirements: ["Field movement control for every movement", "Contingency and relocation plans reviewed"]),
        PhaseDefinition(
            key: "orange", colour: "#fd7e14",
            description: "",
            indicators: ["Armed confrontations in or near the area", "Direct threats against humanitarian personnel"],
            requirements: [
                "At least one full-time qualified Security Delegate (GSU written exemption only; never for financial reasons)",
                "RSC or GSU briefing before travel to the area",
                "An acting manager (CIMT lead) appointed when the senior manager is out of the country",
                "Senior manager completes SCM training within 12 months of deployment",
            ]),
        PhaseDefinition(
            key: "red", colour: "#c92a2a",
            description:
                "The overall security risk is extreme: widespread violence and/or attacks impacting humanitarian personnel; conditions do not allow IFRC to continue working (except the SRA and related work). Travel to red areas requires GSU approval on behalf of the SG.",
            indicators: [
                "Widespread armed confrontations", "Violent attacks on or impacting IFRC/RCRC/humanitarian personnel",
                "Violent attacks on the public", "Governments advising their nationals to leave",
                "Diplomatic and humanitarian organisations relocating or evacuating",
                "Direct attack on RCRC personnel or premises", "Total breakdown of law and order",
            ],
            requirements: [
                "Operations suspended where the Orange/Red requirements cannot be met",
                "At least one full-time qualified Security Delegate, and a full-time security officer at sub-offices",
                "Travel to the area only with GSU approval on behalf of the SG",
                "An acting manager (CIMT lead) appointed when the senior manager is out of the country",
            ]),
    ]
}

/// The phases' data an administrator may change: the approval chain (`PhaseRules`) and what each
/// phase means (`PhaseDefinition`). Stored per operation like `RiskSettings`.
public struct PhaseSettings: Sendable, Hashable, SettingsGroup {
    public enum Key: String, CaseIterable, Sendable, SettingsKey {
        case rules = "phase_rules", catalogue = "phase_catalogue"
    }

    public var rules: PhaseRules
    public var catalogue: [PhaseDefinition]

    public init(rules: PhaseRules = .ifrc, catalogue: [PhaseDefinition] = PhaseDefinition.ifrc) {
        self.rules = rules; self.catalogue = catalogue
    }

    public static let defaults = PhaseSettings()

    public func definition(_ phase: String) -> PhaseDefinition? { catalogue.first { $0.key == phase } }

    public func json(_ key: Key) -> String {
        switch key {
        case .rules: SettingsJSON.encode(rules)
        case .catalogue: SettingsJSON.encode(catalogue)
        }
    }

    public func replacing(_ key: Key, json: String) throws(ValidationErrors) -> PhaseSettings {
        var next = self
        switch key {
        case .rules: next.rules = try SettingsJSON.decode(PhaseRules.self, json, field: key.rawValue)
        case .catalogue: next.catalogue = try SettingsJSON.decode([PhaseDefinition].self, json, field: key.rawValue)
        }
        var errors = ValidationErrors()
        for problem in next.problems() { errors.add(key.rawValue, key: "error.settings_invalid", problem) }
        try errors.throwIfAny()
        return next
    }

    public func problems() -> [String] {
        var problems = rules.problems()
        for phase in rules.phases where definition(phase) == nil {
            problems.append("The catalogue does not describe phase \(phase).")
        }
        for definition in catalogue {
            if !rules.phases.contains(definition.key) {
                problems.append("The catalogue describes \(definition.key), which is not a phase.")
            }
            if definition.colour.range(of: "^#[0-9a-fA-F]{6}$", options: .regularExpression) == nil {
                problems.append("Phase \(definition.key): the colour must be like #ffd43b.")
            }
        }
        return problems
    }
}
