import Foundation
import Geo

/// Stores a MultiPolygon as the `coordinates` array of a GeoJSON MultiPolygon (WGS 84), so the
/// column is readable by any GIS tool and exports need no conversion.
enum GeometryText {
    static func encode(_ geometry: MultiPolygon) -> String {
        var out = "["
        for (p, polygon) in geometry.polygons.enumerated() {
            if p > 0 { out += "," }
            out += "["
            for (r, ring) in ([polygon.exterior] + polygon.holes).enumerated() {
                if r > 0 { out += "," }
                out += "["
                for (i, c) in ring.enumerated() {
                    if i > 0 { out += "," }
                    out += "[\(format(c.longitude)),\(format(c.latitude))]"
                }
                out += "]"
            }
            out += "]"
        }
        return out + "]"
    }

    static func decode(_ text: String) throws -> MultiPolygon {
        let arrays = try JSONDecoder().decode([[[[Double]]]].self, from: Data(text.utf8))
        return MultiPolygon(
            polygons: arrays.compactMap { rings in
                let converted = rings.map { ring in
                    ring.compactMap { $0.count >= 2 ? Coordinate(longitude: $0[0], latitude: $0[1]) : nil }
                }
                guard let exterior = converted.first else { return nil }
                return Polygon(exterior: exterior, holes: Array(converted.dropFirst()))
            })
    }

    /// Seven decimals is ~1 cm: more is noise, less would move boundaries.
    static func format(_ value: Double) -> String {
        let rounded = (value * 1e7).rounded() / 1e7
        if rounded == rounded.rounded() { return String(Int64(rounded)) }
        return String(rounded)
    }
}
