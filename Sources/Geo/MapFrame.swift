/// Where projected metres land in SVG user units: the fitted map rectangle and its transform.
struct MapFrame: Sendable {
    let projection: Projection
    /// User units per projected metre.
    let scale: Double
    let projectedMinX: Double
    let projectedMaxY: Double
    /// The rectangle the map content fills.
    let mapRect: MapRect
    let originX: Double

    /// Fits the projected extent into the available width, centring it, with the height capped.
    init(
        projection: Projection, projectedPoints: [Point], availableWidth: Double, left: Double, top: Double,
        maxHeight: Double
    ) {
        self.projection = projection
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        for p in projectedPoints where p.x.isFinite && p.y.isFinite {
            minX = min(minX, p.x); maxX = max(maxX, p.x)
            minY = min(minY, p.y); maxY = max(maxY, p.y)
        }
        if minX > maxX { minX = 0; maxX = 1; minY = 0; maxY = 1 }
        let spanX = max(maxX - minX, 1), spanY = max(maxY - minY, 1)
        let scale = min(availableWidth / spanX, maxHeight / spanY)
        self.scale = scale
        projectedMinX = minX
        projectedMaxY = maxY
        originX = left + (availableWidth - spanX * scale) / 2
        mapRect = MapRect(x: left, y: top, width: availableWidth, height: spanY * scale)
    }

    /// Screen position of a projected point.
    func screen(projected p: Point) -> Point {
        Point(x: originX + (p.x - projectedMinX) * scale, y: mapRect.y + (projectedMaxY - p.y) * scale)
    }

    /// Screen position of a coordinate.
    func screen(_ c: Coordinate) -> Point {
        screen(projected: projection.project(c))
    }

    /// User units per kilometre of ground near the given coordinate, measured over a short east–west step.
    func unitsPerKilometre(near c: Coordinate) -> Double {
        let step = 0.25
        let a = Coordinate(longitude: c.longitude - step, latitude: c.latitude)
        let b = Coordinate(longitude: c.longitude + step, latitude: c.latitude)
        let ground = a.distance(to: b)
        guard ground > 0 else { return scale * 1000 }
        return screen(a).distance(to: screen(b)) / ground * 1000
    }
}
