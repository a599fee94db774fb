/// Douglas–Peucker line simplification for polygon rings.
public enum Simplifier {
    /// Simplifies every ring in the geometry's own units (degrees), dropping rings smaller than the tolerance.
    public static func simplify(_ geometry: MultiPolygon, tolerance: Double) -> MultiPolygon {
        var polygons: [Polygon] = []
        for polygon in geometry.polygons {
            guard let exterior = simplifiedRing(polygon.exterior, tolerance: tolerance) else { continue }
            let holes = polygon.holes.compactMap { simplifiedRing($0, tolerance: tolerance) }
            polygons.append(Polygon(exterior: exterior, holes: holes))
        }
        return MultiPolygon(polygons: polygons)
    }

    /// Simplifies one closed ring of planar points; nil when the ring's box is smaller than the tolerance.
    public static func simplify(ring: [Point], tolerance: Double) -> [Point]? {
        guard let box = extent(of: ring, x: \.x, y: \.y) else { return nil }
        if max(box.width, box.height) < tolerance { return nil }
        let kept = keptIndices(count: ring.count, tolerance: tolerance) {
            ring[$0].x
        } y: {
            ring[$0].y
        }
        return kept.map { ring[$0] }
    }

    /// Simplifies an open polyline of planar points, keeping both ends.
    public static func simplify(line: [Point], tolerance: Double) -> [Point] {
        guard line.count > 2 else { return line }
        let kept = douglasPeucker(first: 0, last: line.count - 1, tolerance: tolerance) {
            line[$0].x
        } y: {
            line[$0].y
        }
        return kept.map { line[$0] }
    }

    private static func simplifiedRing(_ ring: [Coordinate], tolerance: Double) -> [Coordinate]? {
        guard let box = extent(of: ring, x: \.longitude, y: \.latitude) else { return nil }
        if max(box.width, box.height) < tolerance { return nil }
        let kept = keptIndices(count: ring.count, tolerance: tolerance) {
            ring[$0].longitude
        } y: {
            ring[$0].latitude
        }
        return kept.map { ring[$0] }
    }

    private static func extent<T>(of ring: [T], x: (T) -> Double, y: (T) -> Double) -> (width: Double, height: Double)?
    {
        guard let first = ring.first else { return nil }
        var minX = x(first), maxX = minX, minY = y(first), maxY = minY
        for p in ring {
            minX = min(minX, x(p)); maxX = max(maxX, x(p))
            minY = min(minY, y(p)); maxY = max(maxY, y(p))
        }
        return (maxX - minX, maxY - minY)
    }

    /// Indices to keep from a closed ring, at least four (a closed triangle) when the ring had them.
    static func keptIndices(count: Int, tolerance: Double, x: (Int) -> Double, y: (Int) -> Double) -> [Int] {
        guard count > 4 else { return Array(0..<count) }
        let last = count - 1
        // A closed ring's ends coincide, so split it at the vertex farthest from the start.
        var split = 1
        var farthest = -1.0
        for i in 1..<last {
            let d = (x(i) - x(0)) * (x(i) - x(0)) + (y(i) - y(0)) * (y(i) - y(0))
            if d > farthest { farthest = d; split = i }
        }
        var kept = douglasPeucker(first: 0, last: split, tolerance: tolerance, x: x, y: y)
        kept.removeLast()
        kept += douglasPeucker(first: split, last: last, tolerance: tolerance, x: x, y: y)
        if kept.count < 4 {
            // Keep the vertex farthest from the chord to stay a valid triangle rather than collapse.
            var best = -1, bestDistance = -1.0
            for i in 1..<last where i != split {
                let d = segmentDistance(i, 0, split, x: x, y: y)
                if d > bestDistance { bestDistance = d; best = i }
            }
            if best > 0 {
                kept.append(best)
                kept.sort()
            }
        }
        return kept
    }

    /// Iterative Douglas–Peucker between two indices (inclusive), returning kept indices in order.
    static func douglasPeucker(first: Int, last: Int, tolerance: Double, x: (Int) -> Double, y: (Int) -> Double)
        -> [Int]
    {
        var keep = [Bool](repeating: false, count: last - first + 1)
        keep[0] = true
        keep[last - first] = true
        // An explicit stack: rings with tens of thousands of vertices would overflow recursion.
        var stack: [(Int, Int)] = [(first, last)]
        while let (start, end) = stack.popLast() {
            guard end > start + 1 else { continue }
            var maxDistance = -1.0
            var index = start
            for i in (start + 1)..<end {
                let d = segmentDistance(i, start, end, x: x, y: y)
                if d > maxDistance { maxDistance = d; index = i }
            }
            if maxDistance > tolerance {
                keep[index - first] = true
                stack.append((start, index))
                stack.append((index, end))
            }
        }
        return keep.indices.filter { keep[$0] }.map { $0 + first }
    }

    /// Distance from point i to the segment between points a and b.
    private static func segmentDistance(_ i: Int, _ a: Int, _ b: Int, x: (Int) -> Double, y: (Int) -> Double) -> Double
    {
        let px = x(i), py = y(i), ax = x(a), ay = y(a), bx = x(b), by = y(b)
        let dx = bx - ax, dy = by - ay
        let lengthSquared = dx * dx + dy * dy
        var t = 0.0
        if lengthSquared > 0 {
            t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared))
        }
        let cx = ax + t * dx - px, cy = ay + t * dy - py
        return (cx * cx + cy * cy).squareRoot()
    }
}
