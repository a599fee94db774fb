/// An administrative area to draw on a map.
public struct MapArea: Sendable {
    /// A stable identifier, such as a P-code.
    public var id: String
    /// The display name, used for labels and hover text.
    public var name: String
    /// The administrative level (0 = country).
    public var level: Int
    /// The area's outline in longitude/latitude.
    public var geometry: MultiPolygon
    /// A link opened when the area is clicked; unsafe schemes are dropped when rendering.
    public var href: String?
    /// Whether to highlight the area (for example the one being viewed).
    public var emphasis: Bool
    /// A fill of its own, such as a choropleth class colour; nil for the plain land colour.
    public var fill: String? = nil

    /// Creates a map area.
    public init(
        id: String, name: String, level: Int, geometry: MultiPolygon, href: String? = nil, emphasis: Bool = false
    ) {
        self.id = id
        self.name = name
        self.level = level
        self.geometry = geometry
        self.href = href
        self.emphasis = emphasis
    }
}
