/// Something wrong with a geometry that would make maps or point lookups misbehave.
public enum GeometryProblem: Hashable, Sendable, CustomStringConvertible {
    /// No polygons, or only empty rings.
    case emptyGeometry
    /// A ring with fewer than four positions (a closed triangle needs four).
    case ringTooShort(polygon: Int, ring: Int)
    /// A ring whose last position differs from its first.
    case ringNotClosed(polygon: Int, ring: Int)
    /// A position outside ±180° longitude / ±90° latitude, typically from a projected CRS.
    case coordinateOutOfRange(Coordinate)
    /// A position that is not a finite number (NaN or infinity).
    case nonFiniteCoordinate(polygon: Int, ring: Int)
    /// Two non-adjacent edges of one ring cross or touch.
    case selfIntersection(polygon: Int, ring: Int, near: Coordinate)

    /// A plain-English sentence naming the polygon and ring (0 is the exterior).
    public var description: String {
        switch self {
        case .emptyGeometry:
            return "the geometry is empty"
        case let .ringTooShort(polygon, ring):
            return "ring \(ring) of polygon \(polygon) has fewer than 4 positions"
        case let .ringNotClosed(polygon, ring):
            return "ring \(ring) of polygon \(polygon) is not closed (its last position differs from its first)"
        case let .coordinateOutOfRange(c):
            return
                "coordinate (\(c.longitude), \(c.latitude)) is outside longitude/latitude range — the data looks projected"
        case let .nonFiniteCoordinate(polygon, ring):
            return "ring \(ring) of polygon \(polygon) contains a coordinate that is not a finite number"
        case let .selfIntersection(polygon, ring, near):
            return "ring \(ring) of polygon \(polygon) intersects itself near \(near)"
        }
    }
}
