import Domain
import Fluent
import Foundation
import Geo
import Persistence
import Vapor
import Views

/// The incident map: the operation's areas shaded by incident count (choropleth at the chosen
/// level), with the incidents as points when there are few and as counted grid squares when there
/// are many. Every figure comes through the viewer's scope and the analysis filter.
struct IncidentMapService {
    let request: Request

    /// Above this many located incidents, the map groups them in squares.
    static let pointLimit = 1_000
    /// The most squares a map draws: the square size doubles until they fit.
    static let squareLimit = 600
    static let classColours = ["#fee5d9", "#fcae91", "#fb6a4a", "#cb181d"]
    static let categoryColours: [IncidentCategory: (MapSymbolShape, String)] = [
        .crime: (.circle, "#0072B2"), .violence: (.triangle, "#b2182b"), .harassment: (.diamond, "#CC79A7"),
        .actOfWar: (.star, "#333333"), .propertyAttack: (.square, "#8C564B"), .vehicleAccident: (.pentagon, "#E69F00"),
        .relocation: (.hexagon, "#56B4E9"), .unlawfulActivity: (.cross, "#6A3D9A"),
        .securityBreach: (.circle, "#009E73"),
    ]

    struct Result {
        let svg: SVG
        let located: Int
        let unlocated: Int
        /// Nil when incidents are drawn one by one.
        let squareSize: Double?
        /// The counts the squares (or points) on the map add up to.
        let drawnTotal: Int
        /// The admin level the areas are shaded at.
        let level: Int
    }

    func render(_ query: IncidentQuery, operation: OperationRecord, scope: Scope, areasOnly: Bool, width: Double = 960)
        async throws -> Result
    {
        let db = request.db
        let language = request.language
        let filter = query.filter
        let mapStore = IncidentMapStore(db)
        let (shapes, _) = try await request.areaShapes.shapes(for: operation, on: db)
        let hierarchy = AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) })
        let level = query.level ?? (hierarchy.levels.contains(1) ? 1 : (hierarchy.levels.max() ?? 0))
        // Choropleth: incidents per area at `level`, in four classes of equal width up to the largest.
        var perArea: [String: Int] = [:]
        var total = 0
        for count in try await IncidentAnalysisStore(db).areaCategoryCounts(in: scope, filter: filter) {
            total += count.count
            guard let pcode = count.area else { continue }
            perArea[hierarchy.ancestor(of: pcode, atLevel: level), default: 0] += count.count
        }
        // The located incidents are counted by the finest squares, which the map needs anyway when
        // they are many: one pass over the rows fewer than counting them on their own. Same filter
        // as the area counts, so located + unlocated = total.
        var squares: [IncidentMapStore.Square] = []
        var squareSize = 0.25
        let located: Int
        if areasOnly {
            located = try await mapStore.counts(in: scope, filter: filter).located
        } else {
            squares = try await mapStore.squares(in: scope, filter: filter, size: squareSize)
            located = squares.reduce(0) { $0 + $1.count }
        }
        let unlocated = total - located
        let largest = perArea.values.max() ?? 0
        let step = max(1, Int((Double(largest) / 4).rounded(.up)))
        func classIndex(_ n: Int) -> Int? { n <= 0 ? nil : min(3, (n - 1) / step) }
        var drawnShapes = shapes.filter { $0.row.level == level || $0.row.level == 0 }
        // Filtered to one area, the map is framed on it: the area and the shaded areas inside it
        // (the dashboard's early warnings link here).
        if let focus = filter.areaPcode, let focusLevel = shapes.first(where: { $0.row.pcode == focus })?.row.level {
            drawnShapes = shapes.filter {
                ($0.row.level == focusLevel || $0.row.level == level) && $0.row.level >= focusLevel
                    && hierarchy.ancestor(of: $0.row.pcode, atLevel: focusLevel) == focus
            }
        }
        let areas = drawnShapes.map { shape -> MapArea in
            let n = perArea[shape.row.pcode] ?? 0
            var area = MapArea(
                id: shape.row.pcode, name: "\(shape.row.name(in: language)): \(n)", level: shape.row.level,
                geometry: shape.geometry)
            if shape.row.level == level, let index = classIndex(n) { area.fill = Self.classColours[index] }
            return area
        }
        var legend: [MapCategoryStyle] = []
        if largest > 0 {
            for index in 0...min(3, (largest - 1) / step) {
                let low = index * step + 1, high = min(largest, (index + 1) * step)
                legend.append(
                    MapCategoryStyle(
                        category: "class-\(index)",
                        // isolated: a range reads left to right in Arabic too
                        label: "\u{2066}" + (low == high ? "\(low)" : "\(low)–\(high)") + "\u{2069}",
                        shape: .square, fill: Self.classColours[index]))
            }
        }
        var sites: [MapSite] = []
        var clusters: [MapCluster] = []
        var drawnSquareSize: Double?
        var drawn = 0
        var categories: [MapCategoryStyle] = []
        if !areasOnly && located > 0 {
            if located <= Self.pointLimit {
                let points = try await mapStore.points(in: scope, filter: filter)
                drawn = points.count
                sites = points.map { point in
                    let name =
                        point.origin == ContextEvent.Source.ownName
                        ? "\(point.reference) · \(point.title ?? "") · \(DateText.day(point.occurredAt))"
                        : "\(point.origin) \(point.reference) · \(DateText.day(point.occurredAt))"
                    return MapSite(
                        id: point.id?.uuidString ?? "\(point.origin)-\(point.reference)", name: name,
                        category: point.category.rawValue,
                        coordinate: Coordinate(longitude: point.longitude, latitude: point.latitude),
                        href: point.id.map { SiteURL.incident(.value(operation.code), .value(IncidentID($0))).path })
                }
                categories = IncidentCategory.allCases.map { category in
                    let (shape, fill) = Self.categoryColours[category] ?? (.circle, "#666666")
                    return MapCategoryStyle(
                        category: category.rawValue, label: request.t(category.labelKey), shape: shape, fill: fill)
                }
            } else {
                while squares.count > Self.squareLimit && squareSize < 16 {
                    squareSize *= 2
                    squares = try await mapStore.squares(in: scope, filter: filter, size: squareSize)
                }
                drawnSquareSize = squareSize
                drawn = squares.reduce(0) { $0 + $1.count }
                clusters = squares.map {
                    MapCluster(
                        coordinate: Coordinate(longitude: $0.longitude, latitude: $0.latitude), count: $0.count,
                        title: "\($0.count)")
                }
            }
        }
        let svg = SVGMapRenderer.render(
            MapRequest(
                areas: areas, sites: sites, clusters: clusters, extraLegend: legend, categories: categories,
                title: request.t("incident_map.title") + " · " + operation.name, width: width,
                legendTitle: request.t("map.choropleth"),
                rightToLeft: Catalog.rightToLeft.contains(language), ariaLabel: request.t("incident_map.title")))
        return Result(
            svg: svg, located: located, unlocated: unlocated, squareSize: drawnSquareSize, drawnTotal: drawn,
            level: level)
    }
}
