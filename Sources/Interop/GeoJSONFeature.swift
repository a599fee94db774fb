/// One feature of a GeoJSON file.
public struct GeoJSONFeature: Hashable, Sendable {
    /// The 0-based position in the file's feature list, for error messages.
    public let index: Int
    /// The feature's properties (empty when null or absent).
    public let properties: [String: JSONValue]
    /// The geometry, or nil when it is null.
    public let geometry: GeoJSONGeometry?

    /// Creates a feature.
    public init(index: Int, properties: [String: JSONValue], geometry: GeoJSONGeometry?) {
        self.index = index
        self.properties = properties
        self.geometry = geometry
    }
}
