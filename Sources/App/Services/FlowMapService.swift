import Domain
import Foundation
import Geo
import Persistence
import Vapor
import Views

/// The flow map of an operation's tallies: where people come from → the point that counted them
/// → where they head. Places are found among the operation's admin areas (P-code or name, in any
/// language), its sites the viewer may see (by name) and the world's countries (ISO3, or the name
/// in any of the four languages); what is found nowhere is said under the map with its people, not guessed.
struct FlowMapService {
    let request: Request

    struct Places {
        let nodes: [FlowMapRequest.Node]; let links: [FlowMapRequest.Link]; let unplaced: [(place: String, people: Int)]
    }

    /// The places and links of the tallies `selection` picks, largest link first.
    func places(_ operation: OperationRecord, scope: Scope, selection: FlowStore.Selection, points: [FlowPoint])
        async throws -> Places
    {
        let movements = try await FlowStore(request.db).movements(in: scope, selection)
        var resolver = try await PlaceResolver(request, operation, scope: scope, points: Set(points.map(\.site.id)))
        var nodes: [String: FlowMapRequest.Node] = [:]
        for point in points {
            nodes["p:\(point.site.id.uuidString)"] = FlowMapRequest.Node(
                id: "p:\(point.site.id.uuidString)", name: point.site.name,
                coordinate: Coordinate(longitude: point.site.longitude, latitude: point.site.latitude), kind: .point)
        }
        var totals: [String: FlowMapRequest.Link] = [:]
        var unplaced: [String: Int] = [:]
        func add(_ from: String, _ to: String, _ people: Int, _ kind: FlowMapRequest.LinkKind) {
            totals["\(from)>\(to)", default: FlowMapRequest.Link(from: from, to: to, people: 0, kind: kind)].people +=
                people
        }
        for movement in movements where movement.total > 0 {
            let point = "p:\(movement.pointID.uuidString)"
            guard nodes[point] != nil else { continue }
            // The area given first (more precise), else the country.
            if let node = movement.originArea.flatMap({ resolver.node(for: $0) })
                ?? movement.originCountry.flatMap({ resolver.node(for: $0) })
            {
                nodes[node.id] = node
                add(node.id, point, movement.total, .arriving)
            } else if let place = movement.originArea ?? movement.originCountry {
                unplaced[place, default: 0] += movement.total
            }
            if let destination = movement.destination {
                if let node = resolver.node(for: destination) {
                    nodes[node.id] = node
                    add(point, node.id, movement.total, .onward)
                } else {
                    unplaced[destination, default: 0] += movement.total
                }
            }
        }
        let links = totals.values.sorted { ($0.people, $1.from, $1.to) > ($1.people, $0.from, $0.to) }
        let used = Set(links.flatMap { [$0.from, $0.to] })
        return Places(
            nodes: nodes.values.filter { used.contains($0.id) }, links: links,
            unplaced: unplaced.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) })
    }

    /// The map of the analysis's places and links over the operation's outline (its coarsest level).
    func svg(_ flowMap: FlowAnalysisService.Report.FlowMap, operation: OperationRecord, width: Double = 960)
        async throws -> SVG
    {
        let outline = try await request.areaShapes.shapes(for: operation, on: request.db).shapes
        let coarsest = outline.map(\.row.level).min()
        let areas = outline.filter { $0.row.level == coarsest }.map {
            MapArea(
                id: $0.row.pcode, name: $0.row.name(in: request.language), level: $0.row.level, geometry: $0.geometry)
        }
        let nodes = flowMap.nodes.map {
            FlowMapRequest.Node(
                id: $0.id, name: $0.name, coordinate: Coordinate(longitude: $0.longitude, latitude: $0.latitude),
                kind: FlowMapRequest.NodeKind(rawValue: $0.kind) ?? .place)
        }
        let links = flowMap.links.map {
            FlowMapRequest.Link(
                from: $0.from, to: $0.to, people: $0.people,
                kind: FlowMapRequest.LinkKind(rawValue: $0.kind) ?? .arriving)
        }
        var map = FlowMapRequest(
            areas: areas, nodes: nodes, links: links, title: request.t("flow_analysis.map"),
            ariaLabel: request.t("flow_analysis.map"))
        map.width = width
        map.rightToLeft = Catalog.rightToLeft.contains(request.language)
        map.arrivingLabel = request.t("flow_analysis.map_arriving")
        map.onwardLabel = request.t("flow_analysis.map_onward")
        map.emptyText = request.t("flow_analysis.map_empty")
        map.omittedText = request.t("flow_analysis.map_omitted")
        map.number = DecimalText.grouped
        return SVGFlowMap.render(map)
    }
}

/// Finds a named place: an admin area of the operation, a site the viewer may see, a country.
struct PlaceResolver {
    private var areas: [String: AdminAreaShape] = [:]
    private var sites: [String: SiteStore.MapPoint] = [:]
    private var countries: [String: String] = [:]
    private var found: [String: FlowMapRequest.Node?] = [:]
    private let language: String
    private let points: Set<SiteID>

    init(_ req: Request, _ operation: OperationRecord, scope: Scope, points: Set<SiteID>) async throws {
        language = req.language
        self.points = points
        for shape in try await req.areaShapes.shapes(for: operation, on: req.db).shapes {
            areas[shape.row.pcode.uppercased()] = shape
            for name in Self.names(of: shape.row) where areas[name] == nil { areas[name] = shape }
        }
        for site in try await SiteStore(req.db).mapPoints(in: scope) { sites[Self.key(site.name)] = site }
        for (name, code) in Countries.codesByTranslatedName { countries[Self.key(name)] = code }
        for (code, name) in Countries.names { countries[Self.key(name)] = code }
    }

    static func key(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }

    private static func names(of row: AdminAreaRecord) -> [String] {
        var names = [key(row.name)]
        if let data = row.names.data(using: .utf8),
            let map = try? JSONDecoder().decode([String: String].self, from: data)
        {
            names += map.values.map(key)
        }
        return names
    }

    mutating func node(for text: String) -> FlowMapRequest.Node? {
        if let known = found[text] { return known }
        let node = resolve(text)
        found[text] = node
        return node
    }

    private func resolve(_ text: String) -> FlowMapRequest.Node? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let upper = trimmed.uppercased()
        func country(_ code: String) -> FlowMapRequest.Node? {
            CountryPoints.points[code].map {
                FlowMapRequest.Node(
                    id: "c:\(code)", name: Countries.name(code, in: language) ?? code, coordinate: $0, kind: .place)
            }
        }
        if upper.count == 3, let node = country(upper) { return node }
        if let shape = areas[upper] ?? areas[Self.key(trimmed)], let point = shape.geometry.labelPoint {
            return FlowMapRequest.Node(
                id: "a:\(shape.row.pcode)", name: shape.row.name(in: language), coordinate: point, kind: .place)
        }
        if let site = sites[Self.key(trimmed)] {
            // A flow-monitoring point named as a destination is that point, not a second place on top of it.
            let isPoint = points.contains(site.id)
            return FlowMapRequest.Node(
                id: "\(isPoint ? "p" : "s"):\(site.id.uuidString)", name: site.name,
                coordinate: Coordinate(longitude: site.longitude, latitude: site.latitude),
                kind: isPoint ? .point : .place)
        }
        if let code = countries[Self.key(trimmed)] { return country(code) }
        return nil
    }
}

extension PlaceResolver {
    /// Where a figure entered by hand counts people: a country code, an admin area of the operation
    /// (P-code or name), or else the place as written. Never a site: figures are seen by every
    /// member, a site only by its audience, so a figure must not carry a site's id or position.
    mutating func figureLocation(for text: String) -> FigureLocation {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let upper = trimmed.uppercased()
        if upper.count == 3, PopulationCountries.isKnown(upper) {
            return FigureLocation(kind: .country, code: upper, name: Countries.names[upper] ?? upper)
        }
        guard let node = node(for: trimmed) else { return FigureLocation(kind: .place, code: trimmed, name: trimmed) }
        let code = String(node.id.dropFirst(2))
        switch node.id.prefix(2) {
        // The stored name is the source's (English, or the boundaries' own), whatever language the person entering reads.
        case "a:":
            return FigureLocation(kind: .adminArea, code: code, name: areas[code.uppercased()]?.row.name ?? node.name)
        case "c:": return FigureLocation(kind: .country, code: code, name: Countries.names[code] ?? node.name)
        default: return FigureLocation(kind: .place, code: trimmed, name: trimmed)
        }
    }
}
