import Geo

/// One administrative area read from a boundary file (OCHA COD-AB or Natural Earth style).
public struct BoundaryFeature: Sendable, Hashable {
    /// The 0-based position in the file.
    public let index: Int
    /// The administrative level (0 = country).
    public let level: Int
    /// The area's P-code (or ISO 3166 alpha-3 code for country files without P-codes).
    public let pcode: String
    /// The P-code of the containing area one level up; nil at level 0.
    public let parentPcode: String?
    /// The English name, else the reference name, else the first name given, else the P-code.
    public let name: String
    /// Names by language code, e.g. "en", "ar", "fr", "es".
    public let names: [String: String]
    /// The outline.
    public let geometry: MultiPolygon

    /// Creates a feature.
    public init(
        index: Int, level: Int, pcode: String, parentPcode: String?, name: String, names: [String: String],
        geometry: MultiPolygon
    ) {
        self.index = index
        self.level = level
        self.pcode = pcode
        self.parentPcode = parentPcode
        self.name = name
        self.names = names
        self.geometry = geometry
    }
}
