/// Everything the SVG renderer needs to draw one map.
public struct MapRequest: Sendable {
    /// Areas to draw, any mix of levels.
    public var areas: [MapArea]
    /// Sites to draw as symbols.
    public var sites: [MapSite]
    /// Aggregates drawn as circles sized by their count, each with its number: many incidents
    /// grouped by grid square, so a map of any size stays readable and small.
    public var clusters: [MapCluster] = []
    /// Legend entries beyond the site categories (choropleth classes, the cluster symbol).
    public var extraLegend: [MapCategoryStyle] = []
    /// Styles for site categories, in legend order.
    public var categories: [MapCategoryStyle]
    /// The map title, shown above the map and as the SVG `<title>`.
    public var title: String
    /// Width in SVG user units; every size on the map scales with it.
    public var width: Double
    /// The level whose areas get labels; nil picks one (see `effectiveLabelLevel`).
    public var labelLevel: Int?
    /// The heading of the legend.
    public var legendTitle: String
    /// Unit of the scale bar: "km", "mi" or "nmi".
    public var scaleBarUnit: String
    /// Lays out text and legend for right-to-left languages.
    public var rightToLeft: Bool
    /// The accessible name of the image.
    public var ariaLabel: String

    /// Creates a request; the accessible name defaults to the title.
    public init(
        areas: [MapArea] = [],
        sites: [MapSite] = [],
        clusters: [MapCluster] = [],
        extraLegend: [MapCategoryStyle] = [],
        categories: [MapCategoryStyle] = [],
        title: String,
        width: Double = 960,
        labelLevel: Int? = nil,
        legendTitle: String = "Legend",
        scaleBarUnit: String = "km",
        rightToLeft: Bool = false,
        ariaLabel: String? = nil
    ) {
        self.areas = areas
        self.sites = sites
        self.clusters = clusters
        self.extraLegend = extraLegend
        self.categories = categories
        self.title = title
        self.width = width
        self.labelLevel = labelLevel
        self.legendTitle = legendTitle
        self.scaleBarUnit = scaleBarUnit
        self.rightToLeft = rightToLeft
        self.ariaLabel = ariaLabel ?? title
    }

    /// The labelled level: as requested, else the deepest level if it has at most 40 areas, else the level above.
    public var effectiveLabelLevel: Int? {
        if let labelLevel { return labelLevel }
        guard let deepest = areas.map(\.level).max() else { return nil }
        let deepestCount = areas.filter { $0.level == deepest }.count
        if deepestCount <= 40 { return deepest }
        // Too many small areas to label: use the nearest coarser level that is actually present.
        return areas.map(\.level).filter { $0 < deepest }.max() ?? deepest
    }
}

/// A group of points shown as one circle with its count.
public struct MapCluster: Sendable {
    public var coordinate: Coordinate
    public var count: Int
    public var title: String
    public init(coordinate: Coordinate, count: Int, title: String) {
        self.coordinate = coordinate
        self.count = count
        self.title = title
    }
}
