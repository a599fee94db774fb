import Foundation
import Geo

/// Reads GeoJSON (RFC 7946) into features, refusing anything that is not WGS 84 longitude/latitude.
public enum GeoJSONReader {
    /// CRS names that mean WGS 84 longitude/latitude (compared case-insensitively).
    public static let acceptedCRSNames: Set<String> = [
        "urn:ogc:def:crs:ogc:1.3:crs84",
        "urn:ogc:def:crs:ogc::crs84",
        "epsg:4326",
        "urn:ogc:def:crs:epsg::4326",
    ]

    private static let geometryTypes: Set<String> = [
        "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection",
    ]

    /// The features of a FeatureCollection, a single Feature, or a bare geometry (as one feature).
    public static func features(from data: Data) throws(GeoJSONError) -> [GeoJSONFeature] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw GeoJSONError(kind: .invalidJSON, message: "not valid JSON: \(underlyingMessage(error))")
        }
        guard let object = root as? [String: Any] else {
            throw structure("the top level is not a JSON object")
        }
        try checkCRS(object["crs"], context: "the file")
        guard let type = object["type"] as? String else {
            throw structure("type: missing (expected \"FeatureCollection\", \"Feature\" or a geometry type)")
        }
        switch type {
        case "FeatureCollection":
            guard let list = object["features"] as? [Any] else {
                throw structure("features: expected an array of features")
            }
            var result: [GeoJSONFeature] = []
            result.reserveCapacity(list.count)
            for (index, item) in list.enumerated() {
                result.append(try feature(item, index: index))
            }
            return result
        case "Feature":
            return [try feature(object, index: 0)]
        case _ where geometryTypes.contains(type):
            return [
                GeoJSONFeature(
                    index: 0, properties: [:], geometry: try geometry(object, feature: nil, path: "geometry"))
            ]
        default:
            throw structure("type: unknown GeoJSON type \"\(type)\"")
        }
    }

    /// The parser's own explanation (e.g. "Unexpected end of file"), with a hint for cut-off files.
    private static func underlyingMessage(_ error: any Error) -> String {
        let nsError = error as NSError
        let detail = (nsError.userInfo["NSDebugDescription"] as? String) ?? nsError.localizedDescription
        if detail.lowercased().contains("end of file") || detail.lowercased().contains("unexpected end") {
            return "\(detail) (the file may be truncated or empty)"
        }
        return detail
    }

    private static func structure(_ message: String) -> GeoJSONError {
        GeoJSONError(kind: .invalidStructure, message: message)
    }

    private static func prefix(_ feature: Int?) -> String {
        feature.map { "feature \($0): " } ?? ""
    }

    /// Accepts no crs, a null crs, or a named CRS meaning WGS 84 longitude/latitude.
    private static func checkCRS(_ value: Any?, context: String) throws(GeoJSONError) {
        guard let value, !(value is NSNull) else { return }
        let properties = (value as? [String: Any])?["properties"] as? [String: Any]
        guard let name = properties?["name"] as? String else {
            throw GeoJSONError(
                kind: .unsupportedCRS,
                message:
                    "\(context) declares a CRS that is not given by name; only WGS 84 longitude/latitude (CRS84 / EPSG:4326) is accepted — reproject it, e.g. with ogr2ogr -t_srs EPSG:4326"
            )
        }
        guard acceptedCRSNames.contains(name.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw GeoJSONError(
                kind: .unsupportedCRS,
                message:
                    "\(context) declares CRS \"\(name)\"; only WGS 84 longitude/latitude (CRS84 / EPSG:4326) is accepted — reproject it, e.g. with ogr2ogr -t_srs EPSG:4326"
            )
        }
    }

    private static func feature(_ item: Any, index: Int) throws(GeoJSONError) -> GeoJSONFeature {
        guard let object = item as? [String: Any] else {
            throw structure("feature \(index): expected an object")
        }
        if let type = object["type"] as? String, type != "Feature" {
            throw structure("feature \(index): type is \"\(type)\", expected \"Feature\"")
        }
        try checkCRS(object["crs"], context: "feature \(index)")
        var properties: [String: JSONValue] = [:]
        switch object["properties"] {
        case nil, is NSNull:
            break
        case let values as [String: Any]:
            properties = values.mapValues(JSONValue.init(foundation:))
        default:
            throw structure("feature \(index): properties: expected an object or null")
        }
        var parsedGeometry: GeoJSONGeometry?
        switch object["geometry"] {
        case nil, is NSNull:
            parsedGeometry = nil
        case let value?:
            parsedGeometry = try geometry(value, feature: index, path: "geometry")
        }
        return GeoJSONFeature(index: index, properties: properties, geometry: parsedGeometry)
    }

    private static func geometry(_ value: Any, feature: Int?, path: String) throws(GeoJSONError) -> GeoJSONGeometry {
        guard let object = value as? [String: Any] else {
            throw structure("\(prefix(feature))\(path): expected a geometry object")
        }
        guard let type = object["type"] as? String else {
            throw structure("\(prefix(feature))\(path).type: missing")
        }
        if type == "GeometryCollection" {
            guard let members = object["geometries"] as? [Any] else {
                throw structure("\(prefix(feature))\(path).geometries: expected an array of geometries")
            }
            var parsed: [GeoJSONGeometry] = []
            for (i, member) in members.enumerated() {
                parsed.append(try geometry(member, feature: feature, path: "\(path).geometries[\(i)]"))
            }
            return .geometryCollection(parsed)
        }
        let coordinatesPath = "\(path).coordinates"
        guard let coordinates = object["coordinates"] else {
            throw structure("\(prefix(feature))\(coordinatesPath): missing")
        }
        let reader = CoordinateReader(feature: feature)
        switch type {
        case "Point":
            return .point(try reader.position(coordinates, path: coordinatesPath))
        case "MultiPoint":
            return .multiPoint(try reader.positions(coordinates, path: coordinatesPath))
        case "LineString":
            return .lineString(try reader.positions(coordinates, path: coordinatesPath))
        case "MultiLineString":
            return .multiLineString(
                try reader.lists(
                    coordinates, path: coordinatesPath, expected: "an array of lines (arrays of positions)"))
        case "Polygon":
            return .polygon(try reader.polygon(coordinates, path: coordinatesPath))
        case "MultiPolygon":
            guard let list = coordinates as? [Any] else {
                throw structure("\(prefix(feature))\(coordinatesPath): expected an array of polygons")
            }
            var polygons: [Polygon] = []
            polygons.reserveCapacity(list.count)
            for (i, item) in list.enumerated() {
                polygons.append(try reader.polygon(item, path: "\(coordinatesPath)[\(i)]"))
            }
            return .multiPolygon(MultiPolygon(polygons: polygons))
        default:
            throw structure("\(prefix(feature))\(path).type: unknown geometry type \"\(type)\"")
        }
    }

    /// Reads nested coordinate arrays, checking each position is a longitude/latitude pair.
    private struct CoordinateReader {
        let feature: Int?

        func polygon(_ value: Any, path: String) throws(GeoJSONError) -> Polygon {
            let rings = try lists(value, path: path, expected: "an array of rings (arrays of positions)")
            guard let exterior = rings.first else {
                throw structure("\(prefix(feature))\(path): a polygon needs at least one ring")
            }
            return Polygon(exterior: exterior, holes: Array(rings.dropFirst()))
        }

        func lists(_ value: Any, path: String, expected: String) throws(GeoJSONError) -> [[Coordinate]] {
            guard let list = value as? [Any] else {
                throw structure("\(prefix(feature))\(path): expected \(expected)")
            }
            var result: [[Coordinate]] = []
            result.reserveCapacity(list.count)
            for (i, item) in list.enumerated() {
                result.append(try positions(item, path: "\(path)[\(i)]"))
            }
            return result
        }

        func positions(_ value: Any, path: String) throws(GeoJSONError) -> [Coordinate] {
            guard let list = value as? [Any] else {
                throw structure("\(prefix(feature))\(path): expected an array of positions")
            }
            var result: [Coordinate] = []
            result.reserveCapacity(list.count)
            for item in list {
                // A number where a position belongs means the nesting is one level short.
                guard item is [Any] else {
                    throw structure("\(prefix(feature))\(path): expected an array of positions")
                }
                result.append(try position(item, path: path))
            }
            return result
        }

        func position(_ value: Any, path: String) throws(GeoJSONError) -> Coordinate {
            guard let pair = value as? [Any], pair.count >= 2,
                let x = pair[0] as? NSNumber, let y = pair[1] as? NSNumber,
                !x.isJSONBoolean, !y.isJSONBoolean
            else {
                throw structure("\(prefix(feature))\(path): expected a position [longitude, latitude]")
            }
            let c = Coordinate(longitude: x.doubleValue, latitude: y.doubleValue)
            guard c.isInGeographicRange else {
                throw GeoJSONError(
                    kind: .projectedCoordinates,
                    message:
                        "\(prefix(feature))coordinate (\(c.longitude), \(c.latitude)) is outside longitude/latitude range — the file looks projected"
                )
            }
            return c
        }
    }
}
