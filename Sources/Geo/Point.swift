/// A planar position, in projected metres (y up) or in screen units, depending on context.
public struct Point: Hashable, Sendable {
    /// Horizontal component.
    public var x: Double
    /// Vertical component.
    public var y: Double

    /// Creates a point from its components.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Straight-line distance to another point in the same units.
    public func distance(to other: Point) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}
