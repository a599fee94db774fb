import Domain
import Fluent
import Foundation
import Geo
import Persistence
import Vapor
import Views

/// Builds SVG maps of an operation. Area geometry is read once per boundary version and kept in
/// memory; sites are always read fresh through the viewer's scope.
actor AreaShapeCache {
    private var entries: [OperationID: (version: Int, shapes: [AdminAreaShape], locator: AreaLocator)] = [:]
    private var names: [String: [String: String]] = [:]

    /// Area names by P-code in `language` (falling back to the reference name).
    func names(for operation: OperationRecord, language: String, on db: any Database) async throws -> [String: String] {
        let key = "\(operation.id)|\(operation.boundariesVersion)|\(language)"
        if let cached = names[key] { return cached }
        let (shapes, _) = try await shapes(for: operation, on: db)
        var table: [String: String] = [:]
        for shape in shapes { table[shape.row.pcode] = shape.row.name(in: language) }
        names[key] = table
        return table
    }

    func shapes(for operation: OperationRecord, on db: any Database) async throws -> (
        shapes: [AdminAreaShape], locator: AreaLocator
    ) {
        if let entry = entries[operation.id], entry.version == operation.boundariesVersion {
            return (entry.shapes, entry.locator)
        }
        names = names.filter { !$0.key.hasPrefix(operation.id.uuidString) }
        let shapes = try await AreaStore(db).shapes(operationID: operation.id)
        let locator = AreaLocator(shapes.map { (id: $0.row.pcode, level: $0.row.level, geometry: $0.geometry) })
        entries[operation.id] = (operation.boundariesVersion, shapes, locator)
        return (shapes, locator)
    }
}

/// Rendered maps, keyed by everything that shows on them, so that an unchanged map is not drawn
/// again for every page view. Holds a bounded number of entries.
actor RenderedMapCache {
    private var entries: [Int: SVG] = [:]
    private var order: [Int] = []
    private let capacity = 64

    func svg(for key: Int, render: () -> SVG) -> SVG {
        if let cached = entries[key] { return cached }
        let svg = render()
        entries[key] = svg
        order.append(key)
        if order.count > capacity { entries[order.removeFirst()] = nil }
        return svg
    }
}

/// The caches the application owns (set in `configure`) and hands to the services that need them:
/// not process-wide singletons, so two applications in one process (tests, or servers) never see
/// each other's entries.
struct MapCaches: Sendable {
    let areaShapes = AreaShapeCache()
    let renderedMaps = RenderedMapCache()
    let earlyWarnings = EarlyWarningCache()
}

/// The dashboard's early warnings, per operation and reader, for a minute. The statistic reads half
/// a year of incidents: without this cache the dashboard served 88 req/s instead of 267 at 100,000
/// incidents (BENCHMARKS.md). A warning a minute late is harmless for a 28-day statistic. Keyed by the reader, whose scope decides the counts, so
/// nobody is shown counts drawn from another's view. Bounded; expired entries go first.
actor EarlyWarningCache {
    /// The reader and their role (a changed role reads afresh), and the language the areas are named in.
    struct Key: Hashable {
        let operation: OperationID
        let reader: UserID
        let role: Role?
        let language: String
    }
    struct Entry {
        let at: Date
        let warnings: [IncidentAnalysisService.Report.Warning]
        let recentStart: Date
        let end: Date
    }
    static let lifetime: TimeInterval = 60
    private var entries: [Key: Entry] = [:]
    /// Reads under way: readers who miss while one runs wait for it instead of starting their own
    /// (32 dashboards opened at once read half a year of incidents once, not 32 times).
    private var running: [Key: Task<Entry, any Error>] = [:]
    private let capacity = 512

    func entry(
        _ key: Key, now: Date,
        compute:
            @escaping @Sendable () async throws -> (
                warnings: [IncidentAnalysisService.Report.Warning], recentStart: Date, end: Date
            )
    ) async throws -> Entry {
        if let cached = entries[key], now.timeIntervalSince(cached.at) >= 0,
            now.timeIntervalSince(cached.at) < Self.lifetime
        {
            return cached
        }
        if let read = running[key] { return try await read.value }
        let read = Task {
            let found = try await compute()
            return Entry(at: now, warnings: found.warnings, recentStart: found.recentStart, end: found.end)
        }
        running[key] = read
        defer { running[key] = nil }
        let entry = try await read.value
        if entries.count >= capacity {
            entries = entries.filter { now.timeIntervalSince($0.value.at) < Self.lifetime }
            if entries.count >= capacity, let oldest = entries.min(by: { $0.value.at < $1.value.at })?.key {
                entries[oldest] = nil
            }
        }
        entries[key] = entry
        return entry
    }

    /// Whether a read for the key is under way (for the tests).
    func isReading(_ key: Key) -> Bool { running[key] != nil }
}

extension Application {
    private struct MapCachesKey: StorageKey { typealias Value = MapCaches }

    var mapCaches: MapCaches {
        get {
            // Set by `configure`, before any request or command can ask: a missing one is a programming error.
            guard let caches = storage[MapCachesKey.self] else { preconditionFailure("configure sets mapCaches") }
            return caches
        }
        set { storage[MapCachesKey.self] = newValue }
    }

    var areaShapes: AreaShapeCache { mapCaches.areaShapes }
}

extension Request {
    var areaShapes: AreaShapeCache { application.mapCaches.areaShapes }
}

struct MapService {
    let request: Request

    static let siteColours: [SiteType: (MapSymbolShape, String)] = [
        .office: (.square, "#0072B2"), .warehouse: (.square, "#8C564B"), .residence: (.circle, "#CC79A7"),
        .nationalSocietyBranch: (.cross, "#D55E00"), .camp: (.triangle, "#009E73"),
        .transitCentre: (.diamond, "#E69F00"), .receptionCentre: (.diamond, "#56B4E9"),
        .flowMonitoringPoint: (.star, "#6A3D9A"), .humanitarianServicePoint: (.pentagon, "#B2182B"),
        .borderCrossingLand: (.hexagon, "#333333"), .borderCrossingSeaRiver: (.hexagon, "#1F78B4"),
        .borderCrossingAir: (.hexagon, "#7F7F7F"), .checkpoint: (.triangle, "#444444"),
        .healthFacility: (.cross, "#C51B7D"), .other: (.circle, "#666666"),
    ]

    /// The operation's map with the sites the viewer may see and the referral directory's services
    /// (every member reads the directory); `highlight` marks one site, `highlightService` one service.
    func svg(
        operation: OperationRecord, scope: Scope, highlight: SiteID? = nil, highlightService: ServiceID? = nil,
        services filter: ServiceStore.Filter = .init(), width: Double = 960
    ) async throws -> SVG {
        try await svg(
            operation: operation, visibleSites: try await SiteStore(request.db).mapPoints(in: scope),
            services: try await ServiceStore(request.db).all(in: scope, filter: filter), highlight: highlight,
            highlightService: highlightService, width: width)
    }

    /// How services are drawn: one symbol for all, apart from the sites' own.
    static let serviceCategory = "service"

    /// The map with `visibleSites`, which must come from `SiteStore.mapPoints(in:)` with the viewer's
    /// scope; for pages that need the same list for something else too (the dashboard's counts).
    func svg(
        operation: OperationRecord, visibleSites sites: [SiteStore.MapPoint], services: [ServiceRecord] = [],
        highlight: SiteID? = nil, highlightService: ServiceID? = nil, width: Double = 960
    ) async throws -> SVG {
        let services = services.filter { $0.latitude != nil && $0.longitude != nil }
        let (shapes, _) = try await request.areaShapes.shapes(for: operation, on: request.db)
        let language = request.language
        // Everything drawn is in the key: boundaries, language, highlight, and each visible site.
        var hasher = Hasher()
        hasher.combine(operation.id)
        hasher.combine(operation.boundariesVersion)
        hasher.combine(operation.name)
        hasher.combine(language)
        hasher.combine(highlight)
        hasher.combine(width)
        for site in sites {
            hasher.combine(site.id)
            hasher.combine(site.updatedAt)
        }
        hasher.combine(highlightService)
        for service in services {
            hasher.combine(service.id)
            hasher.combine(service.updatedAt)
        }
        let present = Set(sites.map(\.siteType))
        var labels: [SiteType: String] = [:]
        for type in present { labels[type] = request.t(type.labelKey) }
        let serviceLabel = request.t("services_map_legend")
        let legendTitle = request.t("map.legend")
        let ariaLabel = request.t("map.aria").replacingOccurrences(of: "{name}", with: operation.name)
        // Only a map that is not cached yet is assembled and drawn.
        return await request.application.mapCaches.renderedMaps.svg(for: hasher.finalize()) {
            let maxLevel = shapes.map(\.row.level).max() ?? 0
            let areas = shapes.filter { $0.row.level == maxLevel || $0.row.level == max(0, maxLevel - 1) }.map {
                MapArea(id: $0.row.pcode, name: $0.row.name(in: language), level: $0.row.level, geometry: $0.geometry)
            }
            var categories = SiteType.allCases.filter(present.contains).map { type in
                let (shape, fill) = Self.siteColours[type] ?? (.circle, "#666666")
                return MapCategoryStyle(
                    category: type.rawValue, label: labels[type] ?? type.rawValue, shape: shape, fill: fill)
            }
            if !services.isEmpty {
                categories.append(
                    MapCategoryStyle(
                        category: Self.serviceCategory, label: serviceLabel, shape: .circle, fill: "#117733"))
            }
            let mapSites =
                sites.map {
                    MapSite(
                        id: $0.id.uuidString, name: $0.name, category: $0.type,
                        coordinate: Coordinate(longitude: $0.longitude, latitude: $0.latitude),
                        href: SiteURL.site(.value(operation.code), .value($0.id)).path, highlighted: $0.id == highlight)
                }
                + services.map {
                    MapSite(
                        id: $0.id.uuidString, name: $0.name + " · " + $0.organization, category: Self.serviceCategory,
                        coordinate: Coordinate(longitude: $0.longitude ?? 0, latitude: $0.latitude ?? 0),
                        href: SiteURL.service(.value(operation.code), .value($0.id)).path,
                        highlighted: $0.id == highlightService)
                }
            return SVGMapRenderer.render(
                MapRequest(
                    areas: areas, sites: mapSites, categories: categories, title: operation.name, width: width,
                    legendTitle: legendTitle, rightToLeft: Catalog.rightToLeft.contains(language), ariaLabel: ariaLabel)
            )
        }
    }

    /// The P-code of the deepest area containing the point, if any.
    func resolveArea(operation: OperationRecord, latitude: Double, longitude: Double) async throws -> String? {
        let (_, locator) = try await request.areaShapes.shapes(for: operation, on: request.db)
        return locator.locate(Coordinate(longitude: longitude, latitude: latitude)).first
    }
}
