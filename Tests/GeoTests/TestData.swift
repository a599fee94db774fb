import Foundation
import Geo
import TestFiles
import Testing

/// Real boundary files from the shared data folder, loaded with a minimal GeoJSON reader (GeoTests cannot use Interop).
enum TestData {
    /// The `shared/data/boundaries` folder, found by walking up from this file (also through the scratch-package symlink).
    static let boundaries: URL? = SharedDataFolder.url?.appendingPathComponent("boundaries")

    /// Whether the real data is present; tests using it are skipped otherwise.
    static var available: Bool { boundaries != nil }

    static let skipMessage: Comment = "shared/data/boundaries not found next to the package; real-data tests skipped"

    /// A feature's scalar properties as text, plus its areal geometry.
    struct Area: Sendable {
        let properties: [String: String]
        let geometry: MultiPolygon
        subscript(_ key: String) -> String { properties[key] ?? "" }
    }

    static let sudanAdmin0 = load("sdn/sdn_admin0.geojson")
    static let sudanAdmin1 = load("sdn/sdn_admin1.geojson")
    static let sudanAdmin2 = load("sdn/sdn_admin2.geojson")
    static let naturalEarth = load("naturalearth/ne_110m_admin_0_countries.geojson")

    static func load(_ relativePath: String) -> [Area] {
        guard let boundaries,
            let data = try? Data(contentsOf: boundaries.appendingPathComponent(relativePath)),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let features = root["features"] as? [[String: Any]]
        else { return [] }
        return features.map { feature in
            var properties: [String: String] = [:]
            for (key, value) in feature["properties"] as? [String: Any] ?? [:] {
                if let s = value as? String {
                    properties[key] = s
                } else if let n = value as? NSNumber {
                    properties[key] = n.stringValue
                }
            }
            return Area(properties: properties, geometry: geometry(feature["geometry"] as? [String: Any] ?? [:]))
        }
    }

    private static func geometry(_ object: [String: Any]) -> MultiPolygon {
        func ring(_ value: Any) -> [Coordinate] {
            (value as? [[Double]] ?? []).map { Coordinate(longitude: $0[0], latitude: $0[1]) }
        }
        func polygon(_ value: Any) -> Polygon {
            let rings = (value as? [Any] ?? []).map(ring)
            return Polygon(exterior: rings.first ?? [], holes: Array(rings.dropFirst()))
        }
        switch object["type"] as? String {
        case "Polygon": return MultiPolygon(polygon(object["coordinates"] as Any))
        case "MultiPolygon": return MultiPolygon(polygons: (object["coordinates"] as? [Any] ?? []).map(polygon))
        default: return MultiPolygon(polygons: [])
        }
    }

    /// Deterministic pseudo-random numbers (SplitMix64) so size measurements are repeatable.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A closed square ring.
    static func square(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) -> [Coordinate] {
        [
            Coordinate(longitude: minX, latitude: minY), Coordinate(longitude: maxX, latitude: minY),
            Coordinate(longitude: maxX, latitude: maxY), Coordinate(longitude: minX, latitude: maxY),
            Coordinate(longitude: minX, latitude: minY),
        ]
    }
}
