/// One polygon: an exterior ring and optional holes, each ring closed (first == last).
public struct Polygon: Hashable, Sendable {
    /// The outer boundary.
    public var exterior: [Coordinate]
    /// Interior rings cut out of the exterior.
    public var holes: [[Coordinate]]

    /// Creates a polygon; rings are kept exactly as given so a validator can report unclosed ones.
    public init(exterior: [Coordinate], holes: [[Coordinate]] = []) {
        self.exterior = exterior
        self.holes = holes
    }

    /// The exterior followed by the holes, in GeoJSON order (ring 0 is the exterior).
    public var rings: [[Coordinate]] { [exterior] + holes }

    /// The smallest box around the exterior, or nil if it has no points.
    public var boundingBox: BoundingBox? { BoundingBox.around(exterior) }

    /// Area in square degrees (planar), holes subtracted; only meaningful for comparing nearby polygons.
    public var planarArea: Double {
        holes.reduce(abs(Polygon.signedArea(exterior))) { $0 - abs(Polygon.signedArea($1)) }
    }

    /// Whether the point is inside the exterior and outside every hole (even–odd rule).
    public func contains(_ c: Coordinate) -> Bool {
        guard Polygon.ringContains(exterior, c) else { return false }
        return !holes.contains { Polygon.ringContains($0, c) }
    }

    /// Ray casting: counts crossings of a ray going east from the point.
    static func ringContains(_ ring: [Coordinate], _ c: Coordinate) -> Bool {
        guard ring.count >= 3 else { return false }
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            // Half-open comparison so a vertex exactly at the ray's latitude is counted once.
            if (a.latitude > c.latitude) != (b.latitude > c.latitude) {
                let t = (c.latitude - a.latitude) / (b.latitude - a.latitude)
                let crossingLongitude = a.longitude + t * (b.longitude - a.longitude)
                if c.longitude < crossingLongitude { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// Shoelace formula in degree units; positive for counter-clockwise rings.
    static func signedArea(_ ring: [Coordinate]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var sum = 0.0
        var j = ring.count - 1
        for i in 0..<ring.count {
            sum += (ring[j].longitude * ring[i].latitude) - (ring[i].longitude * ring[j].latitude)
            j = i
        }
        return sum / 2
    }
}
