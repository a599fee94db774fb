import Foundation

/// A spherical equal-area map projection from longitude/latitude to metres (y up).
public struct Projection: Sendable {
    /// A human-readable name with parameters, e.g. "Albers equal-area conic (10.9°, 20.0°)".
    public let name: String
    private let kind: Kind

    private enum Kind: Sendable {
        case albers(centralMeridian: Double, n: Double, c: Double, rho0: Double)
        case lambertAzimuthal(centerLongitude: Double, sinLatitude0: Double, cosLatitude0: Double)
        case equalEarth(centralMeridian: Double)
    }

    private static let radius = Coordinate.earthRadius
    private static let toRadians = Double.pi / 180

    /// Albers equal-area conic with the given standard parallels and origin, in degrees.
    public static func albers(standardParallels phi1: Double, _ phi2: Double, origin: Coordinate) -> Projection {
        let p1 = phi1 * toRadians, p2 = phi2 * toRadians, p0 = origin.latitude * toRadians
        let n = (sin(p1) + sin(p2)) / 2
        let c = cos(p1) * cos(p1) + 2 * n * sin(p1)
        let rho0 = radius * (c - 2 * n * sin(p0)).squareRoot() / n
        let label = String(format: "Albers equal-area conic (%.1f°, %.1f°)", phi1, phi2)
        return Projection(name: label, kind: .albers(centralMeridian: origin.longitude, n: n, c: c, rho0: rho0))
    }

    /// Lambert azimuthal equal-area centred on the given point.
    public static func lambertAzimuthal(center: Coordinate) -> Projection {
        let p0 = center.latitude * toRadians
        let label = String(format: "Lambert azimuthal equal-area (%.2f, %.2f)", center.longitude, center.latitude)
        return Projection(
            name: label,
            kind: .lambertAzimuthal(centerLongitude: center.longitude, sinLatitude0: sin(p0), cosLatitude0: cos(p0)))
    }

    /// Equal Earth, for continental or world extents where azimuthal and conic shapes fail.
    public static func equalEarth(centralMeridian: Double = 0) -> Projection {
        Projection(
            name: String(format: "Equal Earth (%.1f°)", centralMeridian),
            kind: .equalEarth(centralMeridian: centralMeridian))
    }

    /// The projection that keeps shapes and areas truest for this extent.
    public static func suited(to box: BoundingBox) -> Projection {
        let center = box.center
        // Past a hemisphere-sized extent only a world projection stays bounded.
        if box.width > 120 || box.height > 90 {
            return equalEarth(centralMeridian: center.longitude)
        }
        let groundWidth = box.width * cos(center.latitude * toRadians)
        let mostlyNorthSouth = box.height > 1.5 * groundWidth
        if abs(center.latitude) < 15 || mostlyNorthSouth {
            return lambertAzimuthal(center: center)
        }
        let phi1 = box.minLatitude + box.height / 6
        let phi2 = box.maxLatitude - box.height / 6
        // Parallels symmetric about the equator make the cone a cylinder (n = 0): fall back.
        if abs(sin(phi1 * toRadians) + sin(phi2 * toRadians)) < 0.05 {
            return lambertAzimuthal(center: center)
        }
        return albers(standardParallels: phi1, phi2, origin: center)
    }

    /// Projects a coordinate to planar metres, x east and y north.
    public func project(_ c: Coordinate) -> Point {
        let lambda = c.longitude * Projection.toRadians
        let phi = c.latitude * Projection.toRadians
        let r = Projection.radius
        switch kind {
        case let .albers(centralMeridian, n, cc, rho0):
            let rho = r * max(0, cc - 2 * n * sin(phi)).squareRoot() / n
            let theta = n * Projection.wrap(lambda - centralMeridian * Projection.toRadians)
            return Point(x: rho * sin(theta), y: rho0 - rho * cos(theta))
        case let .lambertAzimuthal(centerLongitude, sin0, cos0):
            let dLambda = lambda - centerLongitude * Projection.toRadians
            let denominator = 1 + sin0 * sin(phi) + cos0 * cos(phi) * cos(dLambda)
            // The antipode has no image; clamp so the result stays finite.
            let k = (2 / max(denominator, 1e-12)).squareRoot()
            return Point(
                x: r * k * cos(phi) * sin(dLambda), y: r * k * (cos0 * sin(phi) - sin0 * cos(phi) * cos(dLambda)))
        case let .equalEarth(centralMeridian):
            let a1 = 1.340264, a2 = -0.081106, a3 = 0.000893, a4 = 0.003796
            let m = 3.0.squareRoot() / 2
            let theta = asin(m * sin(phi))
            let t2 = theta * theta, t6 = t2 * t2 * t2
            let dLambda = Projection.wrap(lambda - centralMeridian * Projection.toRadians)
            let x =
                r * 2 * 3.0.squareRoot() * dLambda * cos(theta)
                / (3 * (9 * a4 * t6 * t2 + 7 * a3 * t6 + 3 * a2 * t2 + a1))
            let y = r * theta * (a4 * t6 * t2 + a3 * t6 + a2 * t2 + a1)
            return Point(x: x, y: y)
        }
    }

    /// Brings a longitude difference into −π…π so areas next to the antimeridian stay together.
    private static func wrap(_ angle: Double) -> Double {
        var a = angle
        while a > .pi { a -= 2 * .pi }
        while a < -.pi { a += 2 * .pi }
        return a
    }
}
