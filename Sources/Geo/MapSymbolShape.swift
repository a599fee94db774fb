import Foundation

/// The outline of a site symbol; shape carries meaning for readers who cannot tell colours apart.
public enum MapSymbolShape: String, CaseIterable, Hashable, Sendable, Codable {
    case circle, square, triangle, invertedTriangle, diamond, star, cross, pentagon, hexagon, octagon

    /// Vertices of the shape centred on the origin with the given radius, y down (screen units); empty for a circle.
    public func vertices(radius r: Double) -> [Point] {
        switch self {
        case .circle:
            return []
        case .square:
            let h = r * 0.85
            return [Point(x: -h, y: -h), Point(x: h, y: -h), Point(x: h, y: h), Point(x: -h, y: h)]
        case .triangle:
            return MapSymbolShape.regular(sides: 3, radius: r * 1.15, rotation: -90)
        case .invertedTriangle:
            return MapSymbolShape.regular(sides: 3, radius: r * 1.15, rotation: 90)
        case .diamond:
            return MapSymbolShape.regular(sides: 4, radius: r * 1.15, rotation: -90)
        case .pentagon:
            return MapSymbolShape.regular(sides: 5, radius: r * 1.05, rotation: -90)
        case .hexagon:
            return MapSymbolShape.regular(sides: 6, radius: r, rotation: 0)
        case .octagon:
            return MapSymbolShape.regular(sides: 8, radius: r, rotation: 22.5)
        case .star:
            // Alternate outer and inner radius for a five-pointed star.
            return (0..<10).map { i in
                let angle = (-90 + Double(i) * 36) * Double.pi / 180
                let radius = i.isMultiple(of: 2) ? r * 1.3 : r * 0.55
                return Point(x: radius * cos(angle), y: radius * sin(angle))
            }
        case .cross:
            let a = r, w = r * 0.38
            return [
                Point(x: -w, y: -a), Point(x: w, y: -a), Point(x: w, y: -w), Point(x: a, y: -w),
                Point(x: a, y: w), Point(x: w, y: w), Point(x: w, y: a), Point(x: -w, y: a),
                Point(x: -w, y: w), Point(x: -a, y: w), Point(x: -a, y: -w), Point(x: -w, y: -w),
            ]
        }
    }

    private static func regular(sides: Int, radius: Double, rotation: Double) -> [Point] {
        (0..<sides).map { i in
            let angle = (rotation + Double(i) * 360 / Double(sides)) * Double.pi / 180
            return Point(x: radius * cos(angle), y: radius * sin(angle))
        }
    }
}
