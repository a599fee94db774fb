import Foundation

/// Threat classes of GISF's *Security to go* (SECURITY.md §3.3).
public enum ThreatClass: String, CaseIterable, Sendable, Codable, Hashable {
    case physical, organisational, environmental
    public var labelKey: String { "threat_class.\(rawValue)" }
}

/// A threat of the operation's catalogue. The catalogue is data an administrator edits; these are
/// the defaults: the UN's five categories (SECURITY.md §3.2) and GISF's examples per class (§3.3).
public struct ThreatDefinition: Sendable, Codable, Hashable {
    public var key: String
    public var threatClass: ThreatClass
    /// The name shown for a threat an administrator added; the defaults have translated names.
    public var label: String?
    public init(_ key: String, _ threatClass: ThreatClass, label: String? = nil) {
        self.key = key; self.threatClass = threatClass; self.label = label
    }
    public var labelKey: String { "threat.\(key)" }
    enum CodingKeys: String, CodingKey { case key, threatClass = "class", label }

    public static let defaults: [ThreatDefinition] = [
        .init("armed_conflict", .physical), .init("terrorism", .physical), .init("crime", .physical),
        .init("civil_unrest", .physical), .init("kidnapping", .physical), .init("gender_based_violence", .physical),
        .init("legal_challenge", .organisational), .init("corruption", .organisational),
        .init("reputational", .organisational),
        .init("natural_hazard", .environmental), .init("health_medical", .environmental),
        .init("road_accident", .environmental),
        .init("stress", .environmental),
    ]
}

/// What a risk threatens (issue 4: people, assets, programmes, reputation).
public enum RiskTarget: String, CaseIterable, Sendable, Codable, Hashable {
    case people, assets, programmes, reputation
}

/// The three security strategies (SECURITY.md §3.1.8); "pillars" and other labels are free tags.
public enum MitigationStrategy: String, CaseIterable, Sendable, Codable, Hashable {
    case acceptance, protection, deterrence
}

public enum MeasureStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case planned, inProgress = "in_progress", done, dropped
}

/// UN Programme Criticality, PC1 (highest) to PC4 (SECURITY.md §3.2).
public enum ProgrammeCriticality: String, CaseIterable, Sendable, Codable, Hashable {
    case pc1, pc2, pc3, pc4
}

/// Rules of the risk register that are data, not code.
public struct RiskRules: Sendable, Codable, Hashable {
    /// From this level up, accepting a residual risk needs a programme criticality (SRM: high or above).
    public var criticalityFromLevel: String
    public init(criticalityFromLevel: String = "high") { self.criticalityFromLevel = criticalityFromLevel }
    enum CodingKeys: String, CodingKey { case criticalityFromLevel = "criticality_from_level" }
    public static let srm = RiskRules()
}

/// A mitigation measure of a risk: who does what by when, with which strategy.
public struct MitigationMeasure: Sendable, Codable, Hashable {
    public var description: String
    public var owner: String
    public var dueOn: Date?
    public var status: MeasureStatus
    public var strategy: MitigationStrategy
    public var tags: [String]
    public init(
        description: String, owner: String, dueOn: Date? = nil, status: MeasureStatus = .planned,
        strategy: MitigationStrategy, tags: [String] = []
    ) {
        self.description = description; self.owner = owner; self.dueOn = dueOn; self.status = status
        self.strategy = strategy; self.tags = tags
    }
}

/// The signed decision to accept a residual risk (GISF: an explicit record, SECURITY.md §3.3).
public struct RiskAcceptance: Sendable, Codable, Hashable {
    public var decidedBy: String
    public var decidedOn: Date
    public var rationale: String
    public init(decidedBy: String, decidedOn: Date, rationale: String) {
        self.decidedBy = decidedBy; self.decidedOn = decidedOn; self.rationale = rationale
    }
}

/// One risk of an operation's security risk assessment, as entered: threat, what is at risk,
/// likelihood × impact before and after the measures, the acceptance decision, the next review.
public struct RiskDraft: Sendable, Codable, Hashable {
    public var title: String
    public var threat: String
    public var targets: Set<RiskTarget>
    public var vulnerabilities: String
    /// The admin areas the risk applies to; none means the whole operation.
    public var areaPcodes: [String]
    public var likelihood: Int
    public var impact: Int
    public var measures: [MitigationMeasure]
    public var residualLikelihood: Int?
    public var residualImpact: Int?
    public var acceptance: RiskAcceptance?
    public var programmeCriticality: ProgrammeCriticality?
    public var nextReview: Date
    /// Who may read the risk. A security risk assessment names weaknesses: IFRC only by default.
    public var audience: AudienceLevel

    public init(
        title: String, threat: String, targets: Set<RiskTarget>, vulnerabilities: String = "",
        areaPcodes: [String] = [],
        likelihood: Int, impact: Int, measures: [MitigationMeasure] = [], residualLikelihood: Int? = nil,
        residualImpact: Int? = nil, acceptance: RiskAcceptance? = nil,
        programmeCriticality: ProgrammeCriticality? = nil,
        nextReview: Date, audience: AudienceLevel = .ifrcOnly
    ) {
        self.title = title; self.threat = threat; self.targets = targets; self.vulnerabilities = vulnerabilities
        self.areaPcodes = areaPcodes; self.likelihood = likelihood; self.impact = impact; self.measures = measures
        self.residualLikelihood = residualLikelihood; self.residualImpact = residualImpact; self.acceptance = acceptance
        self.programmeCriticality = programmeCriticality; self.nextReview = nextReview; self.audience = audience
    }

    /// The level the register ranks the risk by: the residual one once assessed, else the inherent one.
    public func effectiveLevel(_ matrix: RiskMatrix) -> Int? { residualLevel(matrix) ?? inherentLevel(matrix) }

    /// The inherent level's index in `matrix.levels`.
    public func inherentLevel(_ matrix: RiskMatrix) -> Int? { matrix.level(likelihood: likelihood, impact: impact) }

    /// The residual level's index, once the residual likelihood and impact are assessed.
    public func residualLevel(_ matrix: RiskMatrix) -> Int? {
        guard let residualLikelihood, let residualImpact else { return nil }
        return matrix.level(likelihood: residualLikelihood, impact: residualImpact)
    }

    /// The draft with its text trimmed, or every problem at once, each naming its field.
    public func validated(
        matrix: RiskMatrix = .srm, rules: RiskRules = .srm, threats: [ThreatDefinition] = ThreatDefinition.defaults,
        knownAreas: Set<String>? = nil, now: Date
    ) throws(ValidationErrors) -> RiskDraft {
        var d = self
        var errors = ValidationErrors()
        d.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        d.vulnerabilities = vulnerabilities.trimmingCharacters(in: .whitespacesAndNewlines)
        if d.vulnerabilities.count > 10_000 {
            errors.add(
                "vulnerabilities", key: "error.too_long", "The vulnerabilities are longer than 10,000 characters.")
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
        if d.title.isEmpty { errors.add("title", key: "error.required", "Give the risk a title.") }
        if d.title.count > 200 {
            errors.add("title", key: "error.too_long", "The title is longer than 200 characters.")
        }
        if !threats.contains(where: { $0.key == threat }) {
            errors.add("threat", key: "error.risk_threat", "“\(threat)” is not in the operation's threat catalogue.")
        }
        if targets.isEmpty {
            errors.add(
                "targets", key: "error.risk_targets", "Say what is at risk: people, assets, programmes or reputation.")
        }
        func scale(_ value: Int?, _ field: String, _ steps: [String]) {
            guard let value, steps.isEmpty || !(1...steps.count).contains(value) else { return }
            errors.add(
                field, key: "error.risk_scale",
                "\(value) is outside the matrix: use 1 (\(steps.first ?? "")) to \(steps.count) (\(steps.last ?? "")).")
        }
        scale(likelihood, "likelihood", matrix.likelihoods)
        scale(impact, "impact", matrix.impacts)
        scale(residualLikelihood, "residual_likelihood", matrix.likelihoods)
        scale(residualImpact, "residual_impact", matrix.impacts)
        if (residualLikelihood == nil) != (residualImpact == nil) {
            errors.add(
                residualLikelihood == nil ? "residual_likelihood" : "residual_impact", key: "error.risk_residual_pair",
                "Assess the residual likelihood and impact together.")
        }
        d.measures = measures.map { measure in
            var m = measure
            m.description = measure.description.trimmingCharacters(in: .whitespacesAndNewlines)
            m.owner = measure.owner.trimmingCharacters(in: .whitespacesAndNewlines)
            m.tags = measure.tags.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }.filter {
                !$0.isEmpty
            }
            return m
        }
        for (i, measure) in d.measures.enumerated() where measure.description.isEmpty || measure.owner.isEmpty {
            errors.add(
                "measures[\(i)]", key: "error.risk_measure",
                "Measure \(i + 1) needs what is to be done and who owns it.")
        }
        for (i, measure) in d.measures.enumerated() where measure.description.count > 2_000 || measure.owner.count > 200
        {
            errors.add(
                "measures[\(i)]", key: "error.too_long", "Measure \(i + 1) is too long (2,000 characters, owner 200).")
        }
        if var acceptance {
            acceptance.decidedBy = acceptance.decidedBy.trimmingCharacters(in: .whitespacesAndNewlines)
            acceptance.rationale = acceptance.rationale.trimmingCharacters(in: .whitespacesAndNewlines)
            if acceptance.decidedBy.isEmpty || acceptance.rationale.isEmpty {
                errors.add(
                    "acceptance", key: "error.risk_acceptance", "An acceptance decision names who decided and why.")
            }
            if acceptance.decidedOn > now.addingTimeInterval(600) {
                errors.add("acceptance", key: "error.future", "The acceptance decision cannot be dated in the future.")
            }
            if d.residualLevel(matrix) == nil {
                errors.add(
                    "residual_likelihood", key: "error.risk_acceptance_residual",
                    "Assess the residual risk before deciding to accept it.")
            } else if let threshold = matrix.levels.firstIndex(of: rules.criticalityFromLevel),
                let residual = d.residualLevel(matrix),
                residual >= threshold, programmeCriticality == nil
            {
                errors.add(
                    "programme_criticality", key: "error.risk_criticality",
                    "A residual risk of \(matrix.levels[residual]) may only be accepted with the programme's criticality (PC1–PC4)."
                )
            }
            d.acceptance = acceptance
        }
        if nextReview < AnalysisPeriods.calendar.startOfDay(for: now) {
            errors.add("next_review", key: "error.risk_review_past", "The next review cannot be in the past.")
        }
        try errors.throwIfAny()
        return d
    }
}
