/// An axis-aligned rectangle in longitude/latitude degrees.
public struct BoundingBox: Hashable, Sendable {
    /// Western edge.
    public var minLongitude: Double
    /// Southern edge.
    public var minLatitude: Double
    /// Eastern edge.
    public var maxLongitude: Double
    /// Northern edge.
    public var maxLatitude: Double

    /// Creates a box from its edges.
    public init(minLongitude: Double, minLatitude: Double, maxLongitude: Double, maxLatitude: Double) {
        self.minLongitude = minLongitude
        self.minLatitude = minLatitude
        self.maxLongitude = maxLongitude
        self.maxLatitude = maxLatitude
    }

    /// Whether the coordinate lies inside or on the edge of the box.
    public func contains(_ c: Coordinate) -> Bool {
        c.longitude >= minLongitude && c.longitude <= maxLongitude
            && c.latitude >= minLatitude && c.latitude <= maxLatitude
    }

    /// Whether the two boxes share at least one point.
    public func intersects(_ other: BoundingBox) -> Bool {
        minLongitude <= other.maxLongitude && other.minLongitude <= maxLongitude
            && minLatitude <= other.maxLatitude && other.minLatitude <= maxLatitude
    }

    /// The smallest box holding both boxes.
    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(
            minLongitude: Swift.min(minLongitude, other.minLongitude),
            minLatitude: Swift.min(minLatitude, other.minLatitude),
            maxLongitude: Swift.max(maxLongitude, other.maxLongitude),
            maxLatitude: Swift.max(maxLatitude, other.maxLatitude)
        )
    }

    /// East–west extent in degrees.
    public var width: Double { maxLongitude - minLongitude }
    /// North–south extent in degrees.
    public var height: Double { maxLatitude - minLatitude }

    /// The middle of the box.
    public var center: Coordinate {
        Coordinate(longitude: (minLongitude + maxLongitude) / 2, latitude: (minLatitude + maxLatitude) / 2)
    }

    /// The smallest box holding all coordinates, or nil for an empty sequence.
    public static func around(_ coordinates: some Sequence<Coordinate>) -> BoundingBox? {
        var iterator = coordinates.makeIterator()
        guard let first = iterator.next() else { return nil }
        var box = BoundingBox(
            minLongitude: first.longitude, minLatitude: first.latitude,
            maxLongitude: first.longitude, maxLatitude: first.latitude
        )
        while let c = iterator.next() {
            box.minLongitude = Swift.min(box.minLongitude, c.longitude)
            box.maxLongitude = Swift.max(box.maxLongitude, c.longitude)
            box.minLatitude = Swift.min(box.minLatitude, c.latitude)
            box.maxLatitude = Swift.max(box.maxLatitude, c.latitude)
        }
        return box
    }
}
