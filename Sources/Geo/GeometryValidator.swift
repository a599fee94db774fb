/// Checks polygons for the defects that break point lookups and rendering.
public enum GeometryValidator {
    /// All problems found, in polygon and ring order; at most one self-intersection per ring.
    public static func problems(in geometry: MultiPolygon) -> [GeometryProblem] {
        var problems: [GeometryProblem] = []
        if geometry.polygons.allSatisfy({ $0.exterior.isEmpty }) {
            return [.emptyGeometry]
        }
        var reportedOutOfRange = false
        for (polygonIndex, polygon) in geometry.polygons.enumerated() {
            for (ringIndex, ring) in polygon.rings.enumerated() {
                if ring.contains(where: { !$0.longitude.isFinite || !$0.latitude.isFinite }) {
                    problems.append(.nonFiniteCoordinate(polygon: polygonIndex, ring: ringIndex))
                    continue
                }
                // One out-of-range report is enough: a projected file has them on every vertex.
                if !reportedOutOfRange, let bad = ring.first(where: { !$0.isInGeographicRange }) {
                    problems.append(.coordinateOutOfRange(bad))
                    reportedOutOfRange = true
                }
                if ring.count < 4 {
                    problems.append(.ringTooShort(polygon: polygonIndex, ring: ringIndex))
                    continue
                }
                if ring.first != ring.last {
                    problems.append(.ringNotClosed(polygon: polygonIndex, ring: ringIndex))
                }
                if let near = firstSelfIntersection(in: ring) {
                    problems.append(.selfIntersection(polygon: polygonIndex, ring: ringIndex, near: near))
                }
            }
        }
        return problems
    }

    /// The first crossing or touching of non-adjacent edges found by a sweep over x, or nil.
    public static func firstSelfIntersection(in ring: [Coordinate]) -> Coordinate? {
        // Drop repeated consecutive vertices: a zero-length edge is noise, not an intersection.
        var points: [Coordinate] = []
        points.reserveCapacity(ring.count + 1)
        for c in ring where points.last != c {
            points.append(c)
        }
        if let first = points.first, points.last != first {
            points.append(first)
        }
        let segmentCount = points.count - 1
        guard segmentCount >= 3 else { return nil }

        // Segment extents precomputed once: the sweep reads them many times.
        var minXs = [Double](repeating: 0, count: segmentCount), maxXs = minXs, minYs = minXs, maxYs = minXs
        for i in 0..<segmentCount {
            let a = points[i], b = points[i + 1]
            minXs[i] = min(a.longitude, b.longitude); maxXs[i] = max(a.longitude, b.longitude)
            minYs[i] = min(a.latitude, b.latitude); maxYs[i] = max(a.latitude, b.latitude)
        }
        // Sweep: segments sorted by their west end; only those still overlapping in x are compared.
        let order = (0..<segmentCount).sorted { minXs[$0] < minXs[$1] }
        var active: [Int] = []
        active.reserveCapacity(64)
        for segment in order {
            let minX = minXs[segment], minY = minYs[segment], maxY = maxYs[segment]
            var kept = 0
            for slot in 0..<active.count {
                let other = active[slot]
                if maxXs[other] < minX { continue }
                active[kept] = other
                kept += 1
                if maxYs[other] < minY || minYs[other] > maxY { continue }
                let gap = abs(segment - other)
                // Neighbours share an endpoint by construction (including the last and first edge).
                if gap == 1 || gap == segmentCount - 1 { continue }
                if let point = intersection(points[segment], points[segment + 1], points[other], points[other + 1]) {
                    return point
                }
            }
            active.removeLast(active.count - kept)
            active.append(segment)
        }
        return nil
    }

    /// Where segments ab and cd meet (a crossing or a touch), or nil if they are disjoint.
    static func intersection(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate, _ d: Coordinate) -> Coordinate? {
        let d1 = orientation(c, d, a), d2 = orientation(c, d, b)
        let d3 = orientation(a, b, c), d4 = orientation(a, b, d)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
            let t = d1 / (d1 - d2)
            return Coordinate(
                longitude: a.longitude + t * (b.longitude - a.longitude),
                latitude: a.latitude + t * (b.latitude - a.latitude)
            )
        }
        // Touching: an endpoint lying on the other segment (also covers collinear overlap).
        if d1 == 0 && onSegment(c, d, a) { return a }
        if d2 == 0 && onSegment(c, d, b) { return b }
        if d3 == 0 && onSegment(a, b, c) { return c }
        if d4 == 0 && onSegment(a, b, d) { return d }
        return nil
    }

    /// Twice the signed area of triangle pqr: >0 left turn, <0 right turn, 0 collinear.
    static func orientation(_ p: Coordinate, _ q: Coordinate, _ r: Coordinate) -> Double {
        (q.longitude - p.longitude) * (r.latitude - p.latitude) - (q.latitude - p.latitude)
            * (r.longitude - p.longitude)
    }

    /// Whether r, known collinear with pq, lies within pq's extent.
    static func onSegment(_ p: Coordinate, _ q: Coordinate, _ r: Coordinate) -> Bool {
        r.longitude >= min(p.longitude, q.longitude) && r.longitude <= max(p.longitude, q.longitude)
            && r.latitude >= min(p.latitude, q.latitude) && r.latitude <= max(p.latitude, q.latitude)
    }
}
