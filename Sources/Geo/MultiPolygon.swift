/// A set of polygons forming one area (a country with islands, a district in two parts).
public struct MultiPolygon: Hashable, Sendable {
    /// The member polygons; setting them recomputes the cached boxes.
    public var polygons: [Polygon] {
        didSet { recomputeBoxes() }
    }
    /// The box around every exterior ring, or nil when there are no points.
    public private(set) var boundingBox: BoundingBox?
    // Per-polygon boxes, cached so point lookups skip far-away islands without touching their rings.
    private var polygonBoxes: [BoundingBox?] = []

    /// Creates a multipolygon from its member polygons.
    public init(polygons: [Polygon]) {
        self.polygons = polygons
        recomputeBoxes()
    }

    /// Creates a multipolygon holding one polygon.
    public init(_ polygon: Polygon) {
        self.init(polygons: [polygon])
    }

    private mutating func recomputeBoxes() {
        polygonBoxes = polygons.map(\.boundingBox)
        boundingBox = polygonBoxes.reduce(nil as BoundingBox?) { partial, box in
            guard let box else { return partial }
            return partial.map { $0.union(box) } ?? box
        }
    }

    /// Whether any member polygon contains the point (holes excluded).
    public func contains(_ c: Coordinate) -> Bool {
        guard let boundingBox, boundingBox.contains(c) else { return false }
        for (index, polygon) in polygons.enumerated() {
            guard let box = polygonBoxes[index], box.contains(c) else { continue }
            if polygon.contains(c) { return true }
        }
        return false
    }

    /// The number of positions in all rings, closing positions included.
    public var pointCount: Int {
        polygons.reduce(0) { sum, polygon in
            sum + polygon.exterior.count + polygon.holes.reduce(0) { $0 + $1.count }
        }
    }

    /// Planar area in square degrees, holes subtracted; for ranking, not for reporting.
    public var planarArea: Double {
        polygons.reduce(0) { $0 + $1.planarArea }
    }

    /// The area-weighted centroid in degrees; may fall outside a concave shape.
    public var centroid: Coordinate? {
        var sumX = 0.0, sumY = 0.0, sumArea = 0.0
        for polygon in polygons {
            for (index, ring) in polygon.rings.enumerated() {
                guard ring.count >= 3 else { continue }
                // Holes count negatively whatever their winding, exteriors positively.
                let sign: Double = (Polygon.signedArea(ring) >= 0) == (index == 0) ? 1 : -1
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let a = ring[j], b = ring[i]
                    let cross = a.longitude * b.latitude - b.longitude * a.latitude
                    sumX += sign * (a.longitude + b.longitude) * cross
                    sumY += sign * (a.latitude + b.latitude) * cross
                    sumArea += sign * cross
                    j = i
                }
            }
        }
        guard abs(sumArea) > 1e-15 else {
            // Degenerate (zero-area) shapes: fall back to the middle of the box.
            return boundingBox?.center
        }
        return Coordinate(longitude: sumX / (3 * sumArea), latitude: sumY / (3 * sumArea))
    }

    /// A point inside the largest polygon, away from its edges: where a label belongs.
    public var labelPoint: Coordinate? {
        guard let largest = polygons.max(by: { $0.planarArea < $1.planarArea }) else { return nil }
        return LabelPointFinder.point(inside: largest) ?? centroid
    }
}
