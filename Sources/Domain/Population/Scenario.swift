import Foundation

/// A planning scenario of an operation (MIGRATION.md §6): named (best, most likely, worst), with
/// its assumptions and triggers, and planning figures per population type, horizon and phase.
public struct ScenarioDraft: Sendable, Hashable, Codable {
    public enum Kind: String, CaseIterable, Sendable, Codable, Hashable {
        case best, mostLikely = "most_likely", worst, other
        public var labelKey: String { "scenario_kind.\(rawValue)" }
    }
    public enum Phase: String, CaseIterable, Sendable, Codable, Hashable {
        case acute, protracted
        public var labelKey: String { "scenario_phase.\(rawValue)" }
    }
    public static let horizons = [3, 6, 12]

    public struct PlanningFigure: Sendable, Hashable, Codable {
        public var populationType: PopulationType
        public var horizonMonths: Int
        public var phase: Phase
        public var people: Int
        public init(populationType: PopulationType, horizonMonths: Int, phase: Phase, people: Int) {
            self.populationType = populationType; self.horizonMonths = horizonMonths; self.phase = phase;
            self.people = people
        }
    }

    /// The projection the scenario started from, kept as it was made, so it can later be drawn
    /// against what happened.
    public struct Projection: Sendable, Hashable, Codable {
        /// What was projected, in words ("people arriving per month at every point").
        public var series: String
        public var method: String
        public var madeOn: Date
        /// The first projected month, as YYYY-MM.
        public var firstMonth: String
        public var points: [HoltForecast.Point]
        public init(series: String, method: String, madeOn: Date, firstMonth: String, points: [HoltForecast.Point]) {
            self.series = series; self.method = method; self.madeOn = madeOn; self.firstMonth = firstMonth;
            self.points = points
        }
    }

    public var name: String
    public var kind: Kind
    public var assumptions: String
    public var triggers: String
    public var figures: [PlanningFigure]
    public var projection: Projection?

    public init(
        name: String, kind: Kind, assumptions: String = "", triggers: String = "", figures: [PlanningFigure] = [],
        projection: Projection? = nil
    ) {
        self.name = name; self.kind = kind; self.assumptions = assumptions; self.triggers = triggers;
        self.figures = figures; self.projection = projection
    }

    public func validated() throws(ValidationErrors) -> ScenarioDraft {
        var d = self
        var errors = ValidationErrors()
        d.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        d.assumptions = assumptions.trimmingCharacters(in: .whitespacesAndNewlines)
        d.triggers = triggers.trimmingCharacters(in: .whitespacesAndNewlines)
        if d.name.isEmpty || d.name.count > 200 {
            errors.add("name", key: "error.required", "Name the scenario (up to 200 characters).")
        }
        if d.assumptions.count > 10_000 || d.triggers.count > 10_000 {
            errors.add(
                "assumptions", key: "error.too_long", "The assumptions and triggers are up to 10,000 characters each.")
        }
        for figure in figures {
            if figure.people < 0 {
                errors.add("figures", key: "error.flow_count", "A planning figure cannot be negative.")
            }
            if !Self.horizons.contains(figure.horizonMonths) {
                errors.add("figures", key: "error.scenario_horizon", "Horizons are 3, 6 or 12 months.")
            }
        }
        var seen = Set<String>()
        d.figures = figures.filter {
            seen.insert("\($0.populationType.rawValue)|\($0.horizonMonths)|\($0.phase.rawValue)").inserted
        }
        try errors.throwIfAny()
        return d
    }
}
