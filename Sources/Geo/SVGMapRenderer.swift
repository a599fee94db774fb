import Foundation

/// Draws areas and sites as one self-contained, accessible SVG element (no scripts, fonts or links to files).
public enum SVGMapRenderer {
    /// Simplification tolerance in user units: finer detail is invisible on screen and on paper.
    public static let simplificationTolerance = 0.5

    private static let fontFamily =
        "system-ui,-apple-system,Segoe UI,Roboto,Noto Sans,Noto Sans Arabic,Arial,sans-serif"
    private static let textColour = "#1a1a1a"
    private static let areaFill = "#f2efe9"
    private static let emphasisFill = "#fdd49e"
    private static let emphasisStroke = "#a63603"
    private static let fallbackSiteFill = "#7f7f7f"

    /// Sizes derived from the width so the map reads the same at any scale.
    private struct Metrics {
        let width: Double
        /// Linear scale: lines and margins follow the width exactly.
        let k: Double
        /// Text and symbols shrink and grow more slowly, so a narrow phone-sized map stays legible.
        let t: Double
        var margin: Double { 16 * k }
        var titleFont: Double { 24 * t }
        // Never below 12: the map is shown at its own size, so these are the sizes read.
        var labelFont: Double { max(12, 14 * t) }
        var legendFont: Double { max(12, 15 * t) }
        var smallFont: Double { max(12, 11 * t) }
        var titleBand: Double { titleFont * 2 }
        var siteRadius: Double { 4.5 * t }
        var highlightRadius: Double { 7 * t }
        var ringRadius: Double { 11 * t }
        init(width: Double) {
            self.width = width
            k = width / 960
            t = k.squareRoot()
        }
    }

    /// One area after projection and simplification.
    private struct DrawnArea {
        let area: MapArea
        let index: Int
        let path: String
        let screenArea: Double
    }

    /// Renders the request as an `<svg>` element string.
    public static func render(_ request: MapRequest) -> SVG { SVG(markup: markup(request)) }

    static func markup(_ request: MapRequest) -> String {
        let width = request.width.isFinite ? max(240, request.width) : 960
        let m = Metrics(width: width)
        let rtl = request.rightToLeft

        let areaBox = request.areas.compactMap(\.geometry.boundingBox).reduce(nil as BoundingBox?) {
            $0?.union($1) ?? $1
        }
        let siteCoordinates = request.sites.map(\.coordinate).filter(\.isInGeographicRange)
        let geoBox = areaBox ?? BoundingBox.around(siteCoordinates).map(padded)

        var body = ""
        body.reserveCapacity(256 * 1024)
        var mapBottom = m.titleBand
        var frame: MapFrame?
        var centre = Coordinate(longitude: 0, latitude: 0)

        if let geoBox {
            let projection = Projection.suited(to: geoBox)
            centre = geoBox.center
            // Project every area ring once; the same points serve fitting, drawing and areas.
            let projectedAreas: [[[[Point]]]] = request.areas.map { area in
                area.geometry.polygons.map { polygon in polygon.rings.map { ring in ring.map(projection.project) } }
            }
            var extentPoints: [Point] = projectedAreas.flatMap { $0.flatMap { $0.first ?? [] } }
            if extentPoints.isEmpty {
                extentPoints = [
                    Coordinate(longitude: geoBox.minLongitude, latitude: geoBox.minLatitude),
                    Coordinate(longitude: geoBox.maxLongitude, latitude: geoBox.maxLatitude),
                    Coordinate(longitude: geoBox.minLongitude, latitude: geoBox.maxLatitude),
                    Coordinate(longitude: geoBox.maxLongitude, latitude: geoBox.minLatitude),
                    Coordinate(longitude: geoBox.center.longitude, latitude: geoBox.maxLatitude),
                    Coordinate(longitude: geoBox.center.longitude, latitude: geoBox.minLatitude),
                ].map(projection.project)
            }
            let fitted = MapFrame(
                projection: projection, projectedPoints: extentPoints,
                availableWidth: width - 2 * m.margin, left: m.margin, top: m.titleBand, maxHeight: width * 1.25
            )
            frame = fitted
            mapBottom = fitted.mapRect.maxY
            let drawn = drawnAreas(request.areas, projected: projectedAreas, frame: fitted)
            writeAreas(drawn, metrics: m, to: &body)
            writeClusters(request, frame: fitted, metrics: m, to: &body)
            let obstacles = writeSites(request, frame: fitted, metrics: m, to: &body)
            writeLabels(request, drawn: drawn, frame: fitted, obstacles: obstacles, metrics: m, to: &body)
        } else {
            body +=
                "<text x=\"\(SVGText.number(width / 2))\" y=\"\(SVGText.number(m.titleBand + m.legendFont * 2))\" font-size=\"\(SVGText.number(m.legendFont))\" text-anchor=\"middle\" fill=\"#555\">–</text>"
            mapBottom = m.titleBand + m.legendFont * 3
        }

        let bandTop = mapBottom + m.margin
        let legendHeight = writeLegend(request, top: bandTop, metrics: m, to: &body)
        var scaleHeight = 0.0
        if let frame {
            scaleHeight = writeScaleBar(request, frame: frame, centre: centre, top: bandTop, metrics: m, to: &body)
        }
        let height = bandTop + max(legendHeight, scaleHeight) + m.margin

        var out = ""
        out.reserveCapacity(body.utf8.count + 1024)
        out +=
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(SVGText.number(width)) \(SVGText.number(height))\" width=\"\(SVGText.number(width))\" height=\"\(SVGText.number(height))\" role=\"img\""
        out +=
            " aria-label=\"\(SVGText.escape(request.ariaLabel))\" font-family=\"\(fontFamily)\"\(rtl ? " direction=\"rtl\"" : "")>"
        out += "<title>\(SVGText.escape(request.title))</title>"
        out += "<rect width=\"\(SVGText.number(width))\" height=\"\(SVGText.number(height))\" fill=\"#fff\"/>"
        out += titleText(request.title, metrics: m, rtl: rtl)
        out += body
        out += "</svg>"
        return out
    }

    /// Gives a box around sites some room, and a minimum size so a single site still gets a map.
    private static func padded(_ box: BoundingBox) -> BoundingBox {
        let padX = max(0.1, box.width * 0.05), padY = max(0.1, box.height * 0.05)
        return BoundingBox(
            minLongitude: max(-180, box.minLongitude - padX), minLatitude: max(-90, box.minLatitude - padY),
            maxLongitude: min(180, box.maxLongitude + padX), maxLatitude: min(90, box.maxLatitude + padY)
        )
    }

    private static func titleText(_ title: String, metrics m: Metrics, rtl: Bool) -> String {
        let maxCharacters = max(4, Int((m.width - 2 * m.margin) / (m.titleFont * 0.6)))
        let text = truncated(title, to: maxCharacters)
        let x = rtl ? m.width - m.margin : m.margin
        let direction = rtl ? " direction=\"rtl\"" : ""
        return
            "<text x=\"\(SVGText.number(x))\" y=\"\(SVGText.number(m.titleFont * 1.35))\" font-size=\"\(SVGText.number(m.titleFont))\" font-weight=\"bold\" fill=\"\(textColour)\" text-anchor=\"start\"\(direction)>\(SVGText.escape(text))</text>"
    }

    private static func truncated(_ text: String, to maxCharacters: Int) -> String {
        let clean = text.trimmingWhitespace
        guard clean.count > maxCharacters else { return clean }
        return String(clean.prefix(max(1, maxCharacters - 1))) + "…"
    }

    // MARK: Areas

    private static func drawnAreas(_ areas: [MapArea], projected: [[[[Point]]]], frame: MapFrame) -> [DrawnArea] {
        var result: [DrawnArea] = []
        for (index, area) in areas.enumerated() {
            var path = ""
            var screenArea = 0.0
            for polygon in projected[index] {
                for (ringIndex, ring) in polygon.enumerated() {
                    let screen = ring.map(frame.screen(projected:))
                    guard let simplified = Simplifier.simplify(ring: screen, tolerance: simplificationTolerance) else {
                        continue
                    }
                    let before = path.utf8.count
                    SVGText.appendRing(simplified, to: &path)
                    if path.utf8.count > before {
                        let a = abs(shoelace(simplified))
                        screenArea += ringIndex == 0 ? a : -a
                    }
                }
            }
            guard !path.isEmpty else { continue }
            result.append(DrawnArea(area: area, index: index, path: path, screenArea: screenArea))
        }
        return result
    }

    private static func shoelace(_ ring: [Point]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var sum = 0.0
        var j = ring.count - 1
        for i in 0..<ring.count {
            sum += ring[j].x * ring[i].y - ring[i].x * ring[j].y
            j = i
        }
        return sum / 2
    }

    private static func writeAreas(_ drawn: [DrawnArea], metrics m: Metrics, to out: inout String) {
        guard let deepest = drawn.map(\.area.level).max() else { return }
        let levels = Set(drawn.map(\.area.level)).sorted()
        let singleLevel = levels.count == 1
        // Fills: coarse levels first so finer areas (and their links) end up on top.
        out += "<g fill-rule=\"evenodd\" stroke-linejoin=\"round\">"
        for level in levels {
            let isDeepest = level == deepest
            let stroke = isDeepest ? (singleLevel ? "#8c8c8c" : "#a6a6a6") : "none"
            let strokeWidth = (singleLevel ? 0.8 : 0.6) * m.k
            out += "<g fill=\"\(areaFill)\" stroke=\"\(stroke)\" stroke-width=\"\(SVGText.number1(strokeWidth))\">"
            for item in drawn where item.area.level == level {
                let link = SVGText.safeHref(item.area.href)
                if let link { out += "<a href=\"\(SVGText.escape(link))\">" }
                let fill =
                    item.area.emphasis
                    ? " fill=\"\(emphasisFill)\""
                    : item.area.fill.map { " fill=\"\(SVGText.colour($0, fallback: areaFill))\"" } ?? ""
                out += "<path d=\"\(item.path)\"\(fill)><title>\(SVGText.escape(item.area.name))</title></path>"
                if link != nil { out += "</a>" }
            }
            out += "</g>"
        }
        out += "</g>"
        // Outlines of coarser levels on top, thicker the coarser, so finer fills never hide them.
        let coarser = levels.filter { $0 < deepest }.sorted(by: >)
        let emphasised = drawn.filter(\.area.emphasis)
        if !coarser.isEmpty || !emphasised.isEmpty {
            out += "<g fill=\"none\" stroke-linejoin=\"round\" pointer-events=\"none\">"
            for level in coarser {
                let depth = Double(deepest - level)
                let colour = depth >= 2 ? "#2b2b2b" : "#5f5f5f"
                out += "<g stroke=\"\(colour)\" stroke-width=\"\(SVGText.number1((0.7 + 0.7 * depth) * m.k))\">"
                for item in drawn where item.area.level == level {
                    out += "<path d=\"\(item.path)\"/>"
                }
                out += "</g>"
            }
            if !emphasised.isEmpty {
                out += "<g stroke=\"\(emphasisStroke)\" stroke-width=\"\(SVGText.number1(2.2 * m.k))\">"
                for item in emphasised { out += "<path d=\"\(item.path)\"/>" }
                out += "</g>"
            }
            out += "</g>"
        }
    }

    // MARK: Clusters

    /// Circles with an area proportional to their count, and the count written inside.
    private static func writeClusters(_ request: MapRequest, frame: MapFrame, metrics m: Metrics, to out: inout String)
    {
        guard !request.clusters.isEmpty else { return }
        let largest = Double(request.clusters.map(\.count).max() ?? 1)
        out +=
            "<g class=\"clusters\" fill=\"#b2182b\" fill-opacity=\"0.78\" stroke=\"#fff\" stroke-width=\"\(SVGText.number1(1 * m.t))\" font-size=\"\(SVGText.number1(m.smallFont))\" text-anchor=\"middle\">"
        for cluster in request.clusters where cluster.coordinate.isInGeographicRange {
            let p = frame.screen(cluster.coordinate)
            let r = m.siteRadius * 1.4 + 16 * m.t * (Double(cluster.count) / largest).squareRoot()
            out += "<g data-count=\"\(cluster.count)\"><title>\(SVGText.escape(cluster.title))</title>"
            out += "<circle cx=\"\(SVGText.number(p.x))\" cy=\"\(SVGText.number(p.y))\" r=\"\(SVGText.number(r))\"/>"
            out +=
                "<text x=\"\(SVGText.number(p.x))\" y=\"\(SVGText.number(p.y + m.smallFont * 0.35))\" fill=\"#fff\" stroke=\"none\">\(cluster.count)</text></g>"
        }
        out += "</g>"
    }

    // MARK: Sites

    /// Styles for every category present, in the request's order, then unknown categories as grey circles.
    private static func presentStyles(_ request: MapRequest) -> [(style: MapCategoryStyle, count: Int)] {
        var counts: [String: Int] = [:]
        var firstSeen: [String] = []
        for site in request.sites {
            if counts[site.category] == nil { firstSeen.append(site.category) }
            counts[site.category, default: 0] += 1
        }
        var result: [(MapCategoryStyle, Int)] = []
        var styled = Set<String>()
        for style in request.categories where !styled.contains(style.category) {
            styled.insert(style.category)
            if let count = counts[style.category] { result.append((style, count)) }
        }
        for category in firstSeen where !styled.contains(category) {
            let style = MapCategoryStyle(category: category, label: category, shape: .circle, fill: fallbackSiteFill)
            result.append((style, counts[category] ?? 0))
        }
        return result
    }

    /// Writes site symbols; returns the boxes of highlighted symbols so labels keep clear of them.
    private static func writeSites(_ request: MapRequest, frame: MapFrame, metrics m: Metrics, to out: inout String)
        -> [MapRect]
    {
        guard !request.sites.isEmpty else { return [] }
        let styles = presentStyles(request)
        let visibleRect = MapRect(
            x: frame.mapRect.x - m.margin / 2, y: frame.mapRect.y - m.margin / 2, width: frame.mapRect.width + m.margin,
            height: frame.mapRect.height + m.margin)
        var positioned: [(site: MapSite, point: Point)] = []
        for site in request.sites where site.coordinate.isInGeographicRange {
            let p = frame.screen(site.coordinate)
            // Sites beyond the mapped areas are left out rather than drawn over the legend.
            guard p.x >= visibleRect.x, p.x <= visibleRect.maxX, p.y >= visibleRect.y, p.y <= visibleRect.maxY else {
                continue
            }
            positioned.append((site, p))
        }
        out += "<g stroke=\"#1a1a1a\" stroke-width=\"\(SVGText.number1(0.7 * m.t))\" stroke-linejoin=\"round\">"
        // Each shape is drawn once and placed with <use>: a thousand sites would otherwise repeat
        // the same outline a thousand times (the map's size budget is 300 KB).
        let groups = styles.map { entry in
            (entry.style, positioned.filter { $0.site.category == entry.style.category && !$0.site.highlighted })
        }
        .filter { !$0.1.isEmpty }
        let shapes = Set(groups.map(\.0.shape))
        if !shapes.isEmpty {
            out += "<defs>"
            for shape in MapSymbolShape.allCases where shapes.contains(shape) {
                let vertices = shape.vertices(radius: m.siteRadius)
                if vertices.isEmpty {
                    out += "<circle id=\"\(markID(shape))\" r=\"\(SVGText.number(m.siteRadius))\"/>"
                } else {
                    var d = ""
                    SVGText.appendRing(vertices, to: &d)
                    out += "<path id=\"\(markID(shape))\" d=\"\(d)\"/>"
                }
            }
            out += "</defs>"
        }
        for (style, members) in groups {
            out += "<g fill=\"\(SVGText.escape(SVGText.colour(style.fill, fallback: fallbackSiteFill)))\">"
            for member in members {
                writeMark(style.shape, at: member.point, site: member.site, to: &out)
            }
            out += "</g>"
        }
        out += "</g>"
        var obstacles: [MapRect] = []
        let highlighted = positioned.filter(\.site.highlighted)
        if !highlighted.isEmpty {
            out += "<g stroke-linejoin=\"round\">"
            for member in highlighted {
                let style = styles.first { $0.style.category == member.site.category }?.style
                let p = member.point
                let cx = SVGText.number(p.x), cy = SVGText.number(p.y), r = SVGText.number(m.ringRadius)
                // A white ring under a dark ring stays visible on any fill.
                out +=
                    "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(r)\" fill=\"none\" stroke=\"#fff\" stroke-width=\"\(SVGText.number1(4 * m.t))\"/>"
                out +=
                    "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(r)\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"\(SVGText.number1(1.8 * m.t))\"/>"
                out +=
                    "<g fill=\"\(SVGText.escape(SVGText.colour(style?.fill ?? fallbackSiteFill, fallback: fallbackSiteFill)))\" stroke=\"#1a1a1a\" stroke-width=\"\(SVGText.number1(1 * m.t))\">"
                writeSymbol(style?.shape ?? .circle, at: p, radius: m.highlightRadius, site: member.site, to: &out)
                out += "</g>"
                let extent = m.ringRadius + 2 * m.t
                obstacles.append(MapRect(x: p.x - extent, y: p.y - extent, width: 2 * extent, height: 2 * extent))
            }
            out += "</g>"
        }
        return obstacles
    }

    /// The id of a shape drawn once in the map's <defs>.
    private static func markID(_ shape: MapSymbolShape) -> String { "sm-" + shape.rawValue }

    /// A site as a <use> of its shape, linked and titled like `writeSymbol`.
    private static func writeMark(_ shape: MapSymbolShape, at p: Point, site: MapSite, to out: inout String) {
        let link = SVGText.safeHref(site.href)
        if let link { out += "<a href=\"\(SVGText.escape(link))\">" }
        out +=
            "<use data-site-id=\"\(SVGText.escape(site.id))\" href=\"#\(markID(shape))\" x=\"\(SVGText.number(p.x))\" y=\"\(SVGText.number(p.y))\">"
        out += "<title>\(SVGText.escape(site.name))</title></use>"
        if link != nil { out += "</a>" }
    }

    private static func writeSymbol(
        _ shape: MapSymbolShape, at p: Point, radius: Double, site: MapSite?, to out: inout String
    ) {
        let link = SVGText.safeHref(site?.href)
        if let link { out += "<a href=\"\(SVGText.escape(link))\">" }
        let title = site.map { "<title>\(SVGText.escape($0.name))</title>" } ?? ""
        // The id lets pages and tests find a site's symbol; it is escaped like every other value.
        let identity =
            site.map {
                " data-site-id=\"\(SVGText.escape($0.id))\"" + ($0.highlighted ? " data-highlighted=\"true\"" : "")
            } ?? ""
        let vertices = shape.vertices(radius: radius)
        if vertices.isEmpty {
            out +=
                "<circle\(identity) cx=\"\(SVGText.number(p.x))\" cy=\"\(SVGText.number(p.y))\" r=\"\(SVGText.number(radius))\">"
        } else {
            var d = ""
            SVGText.appendRing(vertices.map { Point(x: p.x + $0.x, y: p.y + $0.y) }, to: &d)
            out += "<path\(identity) d=\"\(d)\">"
        }
        out += title
        out += vertices.isEmpty ? "</circle>" : "</path>"
        if link != nil { out += "</a>" }
    }

    // MARK: Labels

    private static func writeLabels(
        _ request: MapRequest, drawn: [DrawnArea], frame: MapFrame, obstacles: [MapRect], metrics m: Metrics,
        to out: inout String
    ) {
        var candidates: [LabelCandidate] = []
        let font = m.labelFont
        for site in request.sites where site.highlighted && site.coordinate.isInGeographicRange {
            let p = frame.screen(site.coordinate)
            let text = site.name.trimmingWhitespace
            let half = LabelPlacer.estimatedBox(text: text, anchor: p, fontSize: font).width / 2
            let offset = m.ringRadius + 3 * m.t + half
            let anchor = Point(x: request.rightToLeft ? p.x - offset : p.x + offset, y: p.y)
            candidates.append(LabelCandidate(text: text, anchor: anchor, fontSize: font, priority: .infinity))
        }
        if let level = request.effectiveLabelLevel {
            for item in drawn where item.area.level == level {
                guard let point = item.area.geometry.labelPoint else { continue }
                candidates.append(
                    LabelCandidate(
                        text: item.area.name, anchor: frame.screen(point), fontSize: font, priority: item.screenArea))
            }
        }
        let bounds = MapRect(
            x: frame.mapRect.x - m.margin / 2, y: frame.mapRect.y - m.margin / 2, width: frame.mapRect.width + m.margin,
            height: frame.mapRect.height + m.margin)
        let placed = LabelPlacer.place(candidates, within: bounds, avoiding: obstacles)
        guard !placed.isEmpty else { return }
        let direction = request.rightToLeft ? " direction=\"rtl\"" : ""
        out +=
            "<g class=\"map-labels\" font-size=\"\(SVGText.number1(font))\" fill=\"\(textColour)\" stroke=\"#fff\" stroke-width=\"\(SVGText.number1(3 * m.t))\" stroke-linejoin=\"round\" paint-order=\"stroke\" text-anchor=\"middle\"\(direction)>"
        for label in placed {
            out +=
                "<text x=\"\(SVGText.number(label.anchor.x))\" y=\"\(SVGText.number(label.anchor.y + label.fontSize * 0.35))\">\(SVGText.escape(label.text))</text>"
        }
        out += "</g>"
    }

    // MARK: Legend and scale bar

    /// Writes the legend in its half of the band below the map; returns its height (0 when no sites).
    private static func writeLegend(_ request: MapRequest, top: Double, metrics m: Metrics, to out: inout String)
        -> Double
    {
        let entries = presentStyles(request) + request.extraLegend.map { (style: $0, count: -1) }
        guard !entries.isEmpty else { return 0 }
        let rtl = request.rightToLeft
        let regionX = rtl ? m.margin : m.width / 2
        let regionWidth = m.width / 2 - m.margin
        let font = m.legendFont
        let radius = 5.5 * m.t
        let textOffset = 2.6 * radius + 6 * m.t
        let rowHeight = font * 1.7
        // Extra entries (count -1) carry their own text; site categories show how many are drawn.
        let texts = entries.map {
            $0.count < 0 ? $0.style.label.trimmingWhitespace : "\($0.style.label.trimmingWhitespace) (\($0.count))"
        }
        let longest = texts.map(\.count).max() ?? 0
        let entryWidth = textOffset + Double(longest) * font * 0.6 + 18 * m.t
        let columns = max(1, min(entries.count, Int(regionWidth / entryWidth)))
        let rows = (entries.count + columns - 1) / columns
        let columnWidth = regionWidth / Double(columns)
        let maxCharacters = max(4, Int((columnWidth - textOffset - 6 * m.t) / (font * 0.6)))
        let direction = rtl ? " direction=\"rtl\"" : ""

        out += "<g class=\"map-legend\" font-size=\"\(SVGText.number1(font))\" fill=\"\(textColour)\">"
        let titleX = rtl ? regionX + regionWidth : regionX
        out +=
            "<text x=\"\(SVGText.number(titleX))\" y=\"\(SVGText.number(top + font))\" font-weight=\"bold\" text-anchor=\"start\"\(direction)>\(SVGText.escape(request.legendTitle))</text>"
        for (i, entry) in entries.enumerated() {
            // Column-major, so entries read down each column.
            let row = i % rows, column = i / rows
            let rowY = top + font * 1.6 + rowHeight * (Double(row) + 0.5)
            let symbolX: Double, textX: Double
            if rtl {
                let right = regionX + regionWidth - Double(column) * columnWidth
                symbolX = right - 1.3 * radius
                textX = right - textOffset
            } else {
                let left = regionX + Double(column) * columnWidth
                symbolX = left + 1.3 * radius
                textX = left + textOffset
            }
            out +=
                "<g fill=\"\(SVGText.escape(SVGText.colour(entry.style.fill, fallback: fallbackSiteFill)))\" stroke=\"#1a1a1a\" stroke-width=\"\(SVGText.number1(0.8 * m.t))\">"
            writeSymbol(entry.style.shape, at: Point(x: symbolX, y: rowY), radius: radius, site: nil, to: &out)
            out += "</g>"
            out +=
                "<text x=\"\(SVGText.number(textX))\" y=\"\(SVGText.number(rowY + font * 0.35))\" text-anchor=\"start\"\(direction)>\(SVGText.escape(truncated(texts[i], to: maxCharacters)))</text>"
        }
        out += "</g>"
        return font * 1.6 + rowHeight * Double(rows)
    }

    /// Writes a scale bar of a round length near a fifth of the width; returns its height.
    private static func writeScaleBar(
        _ request: MapRequest, frame: MapFrame, centre: Coordinate, top: Double, metrics m: Metrics,
        to out: inout String
    ) -> Double {
        let unit = request.scaleBarUnit.trimmingWhitespace.lowercased()
        let metresPerUnit: Double
        switch unit {
        case "mi": metresPerUnit = 1609.344
        case "nmi", "nm": metresPerUnit = 1852
        default: metresPerUnit = 1000
        }
        let unitLabel = ["mi", "nmi", "nm"].contains(unit) ? unit : "km"
        let unitsPerMapUnit = frame.unitsPerKilometre(near: centre) * metresPerUnit / 1000
        guard unitsPerMapUnit.isFinite, unitsPerMapUnit > 0 else { return 0 }
        let length = niceLength(near: m.width / 5 / unitsPerMapUnit)
        let barWidth = length * unitsPerMapUnit
        let barHeight = 6 * m.t
        let x0 = request.rightToLeft ? m.width - m.margin - barWidth : m.margin
        let barY = top + m.legendFont * 1.6
        let lengthText = length >= 1 ? String(Int(length.rounded())) : String(length)
        let label = "\(lengthText) \(unitLabel)"
        out += "<g class=\"map-scale\" stroke=\"#1a1a1a\" stroke-width=\"\(SVGText.number1(1 * m.k))\">"
        out +=
            "<rect x=\"\(SVGText.number(x0))\" y=\"\(SVGText.number(barY))\" width=\"\(SVGText.number(barWidth / 2))\" height=\"\(SVGText.number(barHeight))\" fill=\"#1a1a1a\"/>"
        out +=
            "<rect x=\"\(SVGText.number(x0 + barWidth / 2))\" y=\"\(SVGText.number(barY))\" width=\"\(SVGText.number(barWidth / 2))\" height=\"\(SVGText.number(barHeight))\" fill=\"#fff\"/>"
        out += "</g>"
        // Numbers and units read left to right even in a right-to-left map.
        out +=
            "<text x=\"\(SVGText.number(x0 + barWidth / 2))\" y=\"\(SVGText.number(barY - m.legendFont * 0.4))\" font-size=\"\(SVGText.number1(m.legendFont))\" fill=\"\(textColour)\" text-anchor=\"middle\" direction=\"ltr\">\(SVGText.escape(label))</text>"
        // The projection note hangs from the bar's outer end so it never runs off the edge.
        let noteX = request.rightToLeft ? x0 + barWidth : x0
        let noteAnchor = request.rightToLeft ? "end" : "start"
        out +=
            "<text x=\"\(SVGText.number(noteX))\" y=\"\(SVGText.number(barY + barHeight + m.smallFont * 1.4))\" font-size=\"\(SVGText.number1(m.smallFont))\" fill=\"#555\" text-anchor=\"\(noteAnchor)\" direction=\"ltr\">\(SVGText.escape(frame.projection.name))</text>"
        return m.legendFont * 1.6 + barHeight + m.smallFont * 1.8
    }

    /// The 1, 2 or 5 × 10ⁿ value closest (in ratio) to the given length.
    static func niceLength(near value: Double) -> Double {
        guard value.isFinite, value > 0 else { return 1 }
        let exponent = floor(log10(value))
        var best = 1.0, bestError = Double.infinity
        for e in [exponent - 1, exponent, exponent + 1] {
            for mantissa in [1.0, 2.0, 5.0] {
                let candidate = mantissa * pow(10, e)
                let error = abs(log(candidate / value))
                if error < bestError { bestError = error; best = candidate }
            }
        }
        return best
    }
}
