/// How sites of one category look on a map and in its legend.
public struct MapCategoryStyle: Hashable, Sendable {
    /// The category key that `MapSite.category` refers to.
    public var category: String
    /// The text shown in the legend.
    public var label: String
    /// The symbol outline.
    public var shape: MapSymbolShape
    /// Fill colour as #rgb or #rrggbb; anything else falls back to grey when rendered.
    public var fill: String

    /// Creates a style for one category.
    public init(category: String, label: String, shape: MapSymbolShape, fill: String) {
        self.category = category
        self.label = label
        self.shape = shape
        self.fill = fill
    }

    /// The Okabe–Ito palette, distinguishable with the common colour-vision deficiencies.
    public static let palette = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000",
    ]

    /// Styles for the given categories, cycling through shapes and colours so no two look the same.
    public static func automatic(for categories: [(category: String, label: String)]) -> [MapCategoryStyle] {
        let shapes = MapSymbolShape.allCases
        return categories.enumerated().map { index, entry in
            MapCategoryStyle(
                category: entry.category,
                label: entry.label,
                shape: shapes[index % shapes.count],
                fill: palette[index % palette.count]
            )
        }
    }
}
