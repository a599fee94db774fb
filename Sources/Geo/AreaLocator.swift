/// Answers "which areas contain this point?" quickly, using a coarse grid over the areas' boxes.
public struct AreaLocator: Sendable {
    private struct Entry: Sendable {
        let id: String
        let level: Int
        let order: Int
        let geometry: MultiPolygon
    }

    private let entries: [Entry]
    private let bounds: BoundingBox?
    private let columns: Int
    private let rows: Int
    // For each grid cell, the entries whose bounding box overlaps it.
    private let cells: [[Int]]

    /// Builds the index; ids need not be unique, geometries without points are ignored.
    public init(_ areas: [(id: String, level: Int, geometry: MultiPolygon)]) {
        let entries = areas.enumerated().compactMap { index, area -> Entry? in
            area.geometry.boundingBox == nil
                ? nil : Entry(id: area.id, level: area.level, order: index, geometry: area.geometry)
        }
        self.entries = entries
        let bounds = entries.compactMap(\.geometry.boundingBox).reduce(nil as BoundingBox?) { $0?.union($1) ?? $1 }
        self.bounds = bounds
        // About one cell per area along each axis keeps candidate lists short without much memory.
        let side = max(1, min(128, Int(Double(entries.count).squareRoot() * 2)))
        columns = side
        rows = side
        var cells = [[Int]](repeating: [], count: side * side)
        if let bounds {
            for (index, entry) in entries.enumerated() {
                guard let box = entry.geometry.boundingBox else { continue }
                let c0 = Self.cell(box.minLongitude, bounds.minLongitude, bounds.width, side)
                let c1 = Self.cell(box.maxLongitude, bounds.minLongitude, bounds.width, side)
                let r0 = Self.cell(box.minLatitude, bounds.minLatitude, bounds.height, side)
                let r1 = Self.cell(box.maxLatitude, bounds.minLatitude, bounds.height, side)
                for row in r0...r1 {
                    for column in c0...c1 {
                        cells[row * side + column].append(index)
                    }
                }
            }
        }
        self.cells = cells
    }

    private static func cell(_ value: Double, _ origin: Double, _ extent: Double, _ count: Int) -> Int {
        guard extent > 0 else { return 0 }
        return max(0, min(count - 1, Int((value - origin) / extent * Double(count))))
    }

    /// Ids of every area containing the point, deepest level first, then in input order.
    public func locate(_ c: Coordinate) -> [String] {
        guard let bounds, bounds.contains(c) else { return [] }
        let column = Self.cell(c.longitude, bounds.minLongitude, bounds.width, columns)
        let row = Self.cell(c.latitude, bounds.minLatitude, bounds.height, rows)
        let hits = cells[row * columns + column].filter { entries[$0].geometry.contains(c) }
        return
            hits
            .sorted { (entries[$0].level, -entries[$0].order) > (entries[$1].level, -entries[$1].order) }
            .map { entries[$0].id }
    }

    /// The number of indexed areas.
    public var count: Int { entries.count }
}
