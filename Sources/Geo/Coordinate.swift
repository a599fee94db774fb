import Foundation

/// A WGS 84 position in decimal degrees, longitude first as in GeoJSON.
public struct Coordinate: Hashable, Sendable, Codable {
    /// Degrees east of Greenwich, −180…180.
    public var longitude: Double
    /// Degrees north of the equator, −90…90.
    public var latitude: Double

    /// Creates a coordinate from longitude and latitude in degrees.
    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }

    /// Whether the values lie within the longitude/latitude ranges (a projected CRS usually does not).
    public var isInGeographicRange: Bool {
        longitude.isFinite && latitude.isFinite && abs(longitude) <= 180 && abs(latitude) <= 90
    }

    /// Great-circle distance in metres (haversine on the WGS 84 mean radius).
    public func distance(to other: Coordinate) -> Double {
        let toRadians = Double.pi / 180
        let phi1 = latitude * toRadians
        let phi2 = other.latitude * toRadians
        let dPhi = phi2 - phi1
        let dLambda = (other.longitude - longitude) * toRadians
        let a = sin(dPhi / 2) * sin(dPhi / 2) + cos(phi1) * cos(phi2) * sin(dLambda / 2) * sin(dLambda / 2)
        return 2 * Coordinate.earthRadius * asin(min(1, sqrt(a)))
    }

    /// Mean Earth radius in metres, shared by distance and projection code so they agree.
    public static let earthRadius: Double = 6_371_008.8
}

extension Coordinate: CustomStringConvertible {
    /// "lon, lat" with four decimals (about 10 m), enough to find a spot on a map.
    public var description: String {
        String(format: "%.4f, %.4f", longitude, latitude)
    }
}
