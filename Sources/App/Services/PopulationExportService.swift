import Domain
import Fluent
import Foundation
import Geo
import Interop
import Persistence

/// The exports of displacement figures and flow tallies, written once for the download routes and
/// `bearing export population|flows`, a batch at a time so that neither holds the whole table.
struct PopulationExportService {
    let database: any Database
    let areaShapes: AreaShapeCache

    /// The operation's figures matching `query`. Whoever calls has decided the reader may see the
    /// operation's figures (`AccessPolicy.canViewPopulationFigures`): they carry no finer visibility.
    func figures(
        of operation: OperationRecord, _ query: PopulationStore.Query, format: FigureExchange.Format,
        emit: (String) async throws -> Void
    ) async throws {
        let shapes = try await areaShapes.shapes(for: operation, on: database).shapes
        var areas: [String: AdminAreaShape] = [:]
        var arabic: [String: String] = [:]
        for shape in shapes {
            areas[shape.row.pcode] = shape
            let name = shape.row.name(in: "ar")
            if name != shape.row.name { arabic[shape.row.pcode] = name }
        }
        // Each area's label point once: finding it inside a polygon is the costly part.
        var points: [String: Coordinate?] = [:]
        func point(_ f: PopulationFigure) -> Coordinate? {
            switch f.location.kind {
            case .country: return CountryPoints.points[f.location.code]
            case .adminArea:
                if let known = points[f.location.code] { return known }
                let found = areas[f.location.code]?.geometry.labelPoint
                points[f.location.code] = found
                return found
            case .site, .place: return nil  // a site's coordinates follow the site's own visibility, not the figures'
            }
        }
        let store = PopulationStore(database)
        try await emit(FigureExchange.begin(format))
        var offset = 0
        while true {
            let batch = try await store.figures(in: operation.id, query, limit: 5_000, offset: offset)
            let rows = batch.map { stored in
                let f = stored.figure
                let at = format == .geojson ? point(f) : nil
                return FigureExportRow(
                    figure: f, nameArabic: f.location.kind == .adminArea ? arabic[f.location.code] : nil,
                    longitude: at?.longitude, latitude: at?.latitude)
            }
            try await emit(FigureExchange.write(rows, format, first: offset == 0))
            guard batch.count == 5_000 else { break }
            offset += 5_000
        }
        try await emit(FigureExchange.end(format))
    }

    /// The tallies `scope` may see (of one point, or all), oldest first, read a thousand at a time.
    func tallies(in scope: Scope, point: SiteID?, format: FlowExchange.Format, emit: (String) async throws -> Void)
        async throws
    {
        let store = FlowStore(database)
        let sites = Dictionary(uniqueKeysWithValues: try await store.points(in: scope).map { ($0.site.id, $0.site) })
        try await emit(FlowExchange.begin(format))
        var first = true
        var last: FlowObservationRecord?
        while true {
            let batch = try await store.batch(in: scope, point: point, after: last, limit: 1_000)
            // A tally of a point the scope cannot see is left out, whatever the batch query returned.
            let rows = batch.compactMap { record in
                sites[record.draft.pointID].map {
                    FlowExportRow(
                        id: record.id.uuidString, pointName: $0.name, pointCode: $0.id.uuidString,
                        latitude: $0.latitude, longitude: $0.longitude, tally: record.draft)
                }
            }
            if !rows.isEmpty { try await emit(FlowExchange.write(rows, format, first: first)) }
            first = first && rows.isEmpty
            guard batch.count == 1_000 else { break }
            last = batch.last
        }
        try await emit(FlowExchange.end(format))
    }
}
