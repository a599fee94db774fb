import Geo

/// A GeoJSON geometry in WGS 84 longitude/latitude.
public enum GeoJSONGeometry: Hashable, Sendable {
    case point(Coordinate)
    case multiPoint([Coordinate])
    case lineString([Coordinate])
    case multiLineString([[Coordinate]])
    case polygon(Polygon)
    case multiPolygon(MultiPolygon)
    case geometryCollection([GeoJSONGeometry])

    /// The polygons as one multipolygon, or nil when the geometry has no areal part.
    public var areal: MultiPolygon? {
        switch self {
        case let .polygon(polygon):
            return MultiPolygon(polygon)
        case let .multiPolygon(multiPolygon):
            return multiPolygon
        case let .geometryCollection(members):
            let polygons = members.compactMap(\.areal).flatMap(\.polygons)
            return polygons.isEmpty ? nil : MultiPolygon(polygons: polygons)
        case .point, .multiPoint, .lineString, .multiLineString:
            return nil
        }
    }

    /// The GeoJSON type name, e.g. "MultiPolygon".
    public var typeName: String {
        switch self {
        case .point: return "Point"
        case .multiPoint: return "MultiPoint"
        case .lineString: return "LineString"
        case .multiLineString: return "MultiLineString"
        case .polygon: return "Polygon"
        case .multiPolygon: return "MultiPolygon"
        case .geometryCollection: return "GeometryCollection"
        }
    }
}
