/// What reading a boundary file found: the usable features and everything wrong with the file.
public struct BoundaryImportReport: Sendable {
    /// Features with a P-code and an areal geometry (including ones whose geometry has problems).
    public let features: [BoundaryFeature]
    /// How many features there are at each level.
    public let featuresPerLevel: [Int: Int]
    /// Every problem found, in feature order.
    public let problems: [BoundaryProblem]
    /// The level used: the one requested, else the one detected from property names.
    public let detectedLevel: Int
    /// Whether the level came from the file's property names rather than from the caller or a default.
    public let levelWasDetected: Bool

    /// Creates a report.
    public init(
        features: [BoundaryFeature], featuresPerLevel: [Int: Int], problems: [BoundaryProblem], detectedLevel: Int,
        levelWasDetected: Bool
    ) {
        self.features = features
        self.featuresPerLevel = featuresPerLevel
        self.problems = problems
        self.detectedLevel = detectedLevel
        self.levelWasDetected = levelWasDetected
    }

    /// The same report with `more` problems added.
    public func adding(_ more: [BoundaryProblem]) -> BoundaryImportReport {
        BoundaryImportReport(
            features: features, featuresPerLevel: featuresPerLevel, problems: problems + more,
            detectedLevel: detectedLevel, levelWasDetected: levelWasDetected)
    }

    /// Whether the file can be imported without loss: no problems at all.
    public var isImportable: Bool { problems.isEmpty }

    /// The problems of one kind.
    public func problems(of kind: BoundaryProblem.Kind) -> [BoundaryProblem] {
        problems.filter { $0.kind == kind }
    }
}
