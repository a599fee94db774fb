/// Finds a point guaranteed inside a polygon by probing horizontal and vertical scanlines.
enum LabelPointFinder {
    /// Scanlines probed across the polygon's height; enough for admin areas, cheap for big rings.
    static let scanlineCount = 24

    /// The probe whose inside span is widest both across and up–down, or nil for degenerate rings.
    static func point(inside polygon: Polygon) -> Coordinate? {
        guard let box = polygon.boundingBox, box.height > 0, box.width > 0 else { return nil }
        let rings = polygon.rings
        var best: (point: Coordinate, score: Double)?
        for step in 0..<scanlineCount {
            // Offset by half a step so lines rarely pass exactly through vertices.
            let latitude = box.minLatitude + box.height * (Double(step) + 0.5) / Double(scanlineCount)
            let crossings = crossingsAlong(latitude: latitude, rings: rings)
            var index = 0
            while index + 1 < crossings.count {
                let west = crossings[index], east = crossings[index + 1]
                index += 2
                let midLongitude = (west + east) / 2
                let vertical = crossingsAlong(longitude: midLongitude, rings: rings)
                let onScanline = Coordinate(longitude: midLongitude, latitude: latitude)
                // The inside span up–down through the midpoint; the point then moves to its middle.
                let span = span(containing: latitude, in: vertical)
                let score = span.map { min(east - west, $0.upper - $0.lower) } ?? (east - west) * 1e-6
                guard best == nil || score > best?.score ?? 0 else { continue }
                var candidate = onScanline
                if let span {
                    let centred = Coordinate(longitude: midLongitude, latitude: (span.lower + span.upper) / 2)
                    // A meridian through a vertex can miscount; the scanline midpoint is inside regardless.
                    if polygon.contains(centred) { candidate = centred }
                }
                best = (candidate, score)
            }
        }
        return best?.point
    }

    /// Sorted longitudes where the rings cross a parallel.
    static func crossingsAlong(latitude: Double, rings: [[Coordinate]]) -> [Double] {
        var result: [Double] = []
        for ring in rings where ring.count >= 3 {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.latitude > latitude) != (b.latitude > latitude) {
                    let t = (latitude - a.latitude) / (b.latitude - a.latitude)
                    result.append(a.longitude + t * (b.longitude - a.longitude))
                }
                j = i
            }
        }
        return result.sorted()
    }

    /// Sorted latitudes where the rings cross a meridian.
    static func crossingsAlong(longitude: Double, rings: [[Coordinate]]) -> [Double] {
        var result: [Double] = []
        for ring in rings where ring.count >= 3 {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.longitude > longitude) != (b.longitude > longitude) {
                    let t = (longitude - a.longitude) / (b.longitude - a.longitude)
                    result.append(a.latitude + t * (b.latitude - a.latitude))
                }
                j = i
            }
        }
        return result.sorted()
    }

    /// The inside interval (between an odd and the next crossing) that holds the value.
    static func span(containing value: Double, in crossings: [Double]) -> (lower: Double, upper: Double)? {
        var index = 0
        while index + 1 < crossings.count {
            if crossings[index] <= value && value <= crossings[index + 1] {
                return (crossings[index], crossings[index + 1])
            }
            index += 2
        }
        return nil
    }
}
