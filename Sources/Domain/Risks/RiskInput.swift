import Foundation

/// A risk as given, before it is checked: the form's fields as text. `draft(…)` is the one
/// decoder of a risk, with the operation's matrix, threats and rules and the areas it knows.
public struct RiskInput: Codable, Sendable, Equatable {
    /// One measure's fields as typed.
    public struct Measure: Codable, Sendable, Equatable {
        public var description: String
        public var owner: String
        public var due: String
        public var status: String
        public var strategy: String
        public var tags: String

        public init(
            description: String = "", owner: String = "", due: String = "",
            status: String = MeasureStatus.planned.rawValue,
            strategy: String = MitigationStrategy.protection.rawValue, tags: String = ""
        ) {
            self.description = description
            self.owner = owner
            self.due = due
            self.status = status
            self.strategy = strategy
            self.tags = tags
        }

        /// A row the form offered and nobody filled in.
        public var isBlank: Bool {
            [description, owner, due, tags].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
    }

    public var title = ""
    /// The threat's key; empty when none is chosen.
    public var threat = ""
    public var targets: [String] = []
    public var vulnerabilities = ""
    /// P-codes separated by commas, spaces, semicolons or lines.
    public var areaPcodes = ""
    public var likelihood = ""
    public var impact = ""
    public var residualLikelihood = ""
    public var residualImpact = ""
    public var acceptanceBy = ""
    public var acceptanceOn = ""
    public var acceptanceRationale = ""
    public var programmeCriticality = ""
    public var nextReview = ""
    /// The audience's raw value; required.
    public var audience = ""
    /// The measures given (blank ones left out).
    public var measures: [Measure] = []

    public init() {}

    /// A new risk as the form first shows it: reviewed in thirty days, seen by IFRC staff.
    public static func newRisk(at now: Date) -> RiskInput {
        var input = RiskInput()
        input.nextReview = DateText.day(now.addingTimeInterval(30 * 86_400))
        input.audience = AudienceLevel.ifrcOnly.rawValue
        return input
    }

    /// The input that gives back a stored risk.
    public init(_ d: RiskDraft) {
        title = d.title
        threat = d.threat
        targets = RiskTarget.allCases.filter(d.targets.contains).map(\.rawValue)
        vulnerabilities = d.vulnerabilities
        areaPcodes = d.areaPcodes.joined(separator: ", ")
        likelihood = String(d.likelihood)
        impact = String(d.impact)
        residualLikelihood = d.residualLikelihood.map(String.init) ?? ""
        residualImpact = d.residualImpact.map(String.init) ?? ""
        acceptanceBy = d.acceptance?.decidedBy ?? ""
        acceptanceOn = d.acceptance.map { DateText.day($0.decidedOn) } ?? ""
        acceptanceRationale = d.acceptance?.rationale ?? ""
        programmeCriticality = d.programmeCriticality?.rawValue ?? ""
        nextReview = DateText.day(d.nextReview)
        audience = d.audience.rawValue
        measures = d.measures.map {
            Measure(
                description: $0.description, owner: $0.owner, due: $0.dueOn.map(DateText.day) ?? "",
                status: $0.status.rawValue, strategy: $0.strategy.rawValue, tags: $0.tags.joined(separator: ", "))
        }
    }

    /// The checked draft, or every problem at once: the input's own (unreadable values) first, so
    /// a field shows its first problem, then the draft's rules.
    public func draft(settings: RiskSettings, knownAreas: Set<String>?, now: Date) throws(ValidationErrors) -> RiskDraft
    {
        var errors = ValidationErrors()
        func int(_ text: String, _ field: String, required: Bool) -> Int? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if required { errors.add(field, key: "error.required", "Choose a value.") }
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
        let likelihood = int(likelihood, "likelihood", required: true)
        let impact = int(impact, "impact", required: true)
        let residualLikelihood = int(residualLikelihood, "residual_likelihood", required: false)
        let residualImpact = int(residualImpact, "residual_impact", required: false)
        let nextReview = day(nextReview, "next_review")
        if nextReview == nil, self.nextReview.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add("next_review", key: "error.required", "Give the date of the next review.")
        }
        var targets = Set<RiskTarget>()
        for raw in self.targets where !raw.isEmpty {
            guard let target = RiskTarget(rawValue: raw) else {
                errors.add("targets", key: "error.choice", "“\(raw)” is not a choice.")
                continue
            }
            targets.insert(target)
        }
        var measures: [MitigationMeasure] = []
        for (i, row) in self.measures.filter({ !$0.isBlank }).enumerated() {
            let field = "measures[\(i)]"
            guard let status = MeasureStatus(rawValue: row.status),
                let strategy = MitigationStrategy(rawValue: row.strategy)
            else {
                errors.add(
                    field, key: "error.choice", "Measure \(i + 1) has a status or strategy that is not a choice.")
                continue
            }
            measures.append(
                MitigationMeasure(
                    description: row.description, owner: row.owner, dueOn: day(row.due, field), status: status,
                    strategy: strategy, tags: row.tags.split(separator: ",").map(String.init)))
        }
        var acceptance: RiskAcceptance?
        let acceptanceBy = acceptanceBy.trimmingCharacters(in: .whitespaces)
        let acceptanceRationale = acceptanceRationale.trimmingCharacters(in: .whitespacesAndNewlines)
        let acceptanceOn = day(acceptanceOn, "acceptance")
        if !acceptanceBy.isEmpty || !acceptanceRationale.isEmpty || acceptanceOn != nil {
            acceptance = RiskAcceptance(
                decidedBy: acceptanceBy, decidedOn: acceptanceOn ?? now, rationale: acceptanceRationale)
        }
        var criticality: ProgrammeCriticality?
        if !programmeCriticality.isEmpty {
            criticality = ProgrammeCriticality(rawValue: programmeCriticality)
            if criticality == nil {
                errors.add("programme_criticality", key: "error.choice", "“\(programmeCriticality)” is not a choice.")
            }
        }
        // Never a default: a form that left the audience out must not widen who may read the risk.
        let audience = AudienceLevel(rawValue: audience)
        if audience == nil {
            errors.add("audience", key: "error.choose", "Choose who may read this risk.")
        }
        let areaPcodes =
            areaPcodes
            .split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" || $0.isNewline }).map(String.init)
        let draft = RiskDraft(
            title: title, threat: threat, targets: targets, vulnerabilities: vulnerabilities, areaPcodes: areaPcodes,
            likelihood: likelihood ?? 0, impact: impact ?? 0, measures: measures,
            residualLikelihood: residualLikelihood, residualImpact: residualImpact, acceptance: acceptance,
            programmeCriticality: criticality, nextReview: nextReview ?? .distantFuture,
            audience: audience ?? .restricted)
        do {
            let valid = try draft.validated(
                matrix: settings.matrix, rules: settings.rules, threats: settings.threats,
                knownAreas: knownAreas, now: now)
            try errors.throwIfAny()
            return valid
        } catch let more {
            var all = errors
            all.merge(more)
            throw all
        }
    }
}
