/// A point of interest (camp, clinic, warehouse…) to draw as a symbol.
public struct MapSite: Sendable {
    /// A stable identifier.
    public var id: String
    /// The display name, shown on hover and as a label when highlighted.
    public var name: String
    /// The category key matched against `MapCategoryStyle.category`.
    public var category: String
    /// Where the site is.
    public var coordinate: Coordinate
    /// A link opened when the symbol is clicked; unsafe schemes are dropped when rendering.
    public var href: String?
    /// Whether to draw the site larger, ringed and labelled.
    public var highlighted: Bool

    /// Creates a map site.
    public init(
        id: String, name: String, category: String, coordinate: Coordinate, href: String? = nil,
        highlighted: Bool = false
    ) {
        self.id = id
        self.name = name
        self.category = category
        self.coordinate = coordinate
        self.href = href
        self.highlighted = highlighted
    }
}
