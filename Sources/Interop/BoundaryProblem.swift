/// A reason a boundary file should not be imported as is, tied to the feature concerned.
public struct BoundaryProblem: Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// No P-code property for the level.
        case missingPcode
        /// Two features share one P-code.
        case duplicatePcode
        /// The parent P-code is neither in the file nor among the known parents.
        case orphanParent
        /// The geometry fails validation (self-intersection, unclosed ring…).
        case invalidGeometry
        /// The geometry is null.
        case missingGeometry
        /// The geometry is not areal (Point, LineString…).
        case unsupportedGeometry
        /// The feature does not have the P-code of the requested level, or has a deeper one.
        case levelMismatch
        /// The feature's parent would not be above it (itself, a deeper area, or a loop of areas).
        case parentNotAbove

        /// A short phrase used in descriptions.
        public var phrase: String {
            switch self {
            case .missingPcode: return "missing P-code"
            case .duplicatePcode: return "duplicate P-code"
            case .orphanParent: return "unknown parent P-code"
            case .invalidGeometry: return "invalid geometry"
            case .missingGeometry: return "missing geometry"
            case .unsupportedGeometry: return "unsupported geometry"
            case .levelMismatch: return "level mismatch"
            case .parentNotAbove: return "parent not above the area"
            }
        }
    }

    /// The 0-based feature position, or nil for file-wide problems.
    public let featureIndex: Int?
    /// The feature's name, when it has one.
    public let featureName: String?
    /// The feature's P-code, when it has one.
    public let pcode: String?
    /// The kind of problem.
    public let kind: Kind
    /// Specifics, e.g. the geometry problem or the other feature using a P-code.
    public let detail: String

    /// Creates a problem.
    public init(featureIndex: Int?, featureName: String?, pcode: String?, kind: Kind, detail: String) {
        self.featureIndex = featureIndex
        self.featureName = featureName
        self.pcode = pcode
        self.kind = kind
        self.detail = detail
    }

    /// E.g. "feature 17 (Sudan, SDN): invalid geometry: ring 0 of polygon 0 intersects itself near 33.1, 22.0".
    public var description: String {
        var text = ""
        if let featureIndex {
            text = "feature \(featureIndex)"
            let identity = [featureName, pcode].compactMap { $0 }.filter { !$0.isEmpty }
            if !identity.isEmpty { text += " (\(identity.joined(separator: ", ")))" }
            text += ": "
        }
        text += kind.phrase
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}
