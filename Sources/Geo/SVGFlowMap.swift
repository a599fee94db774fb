import Foundation

/// What a flow map shows: places and flow-monitoring points, and the people moving between them.
public struct FlowMapRequest: Sendable {
    public enum NodeKind: String, Sendable { case place, point }
    /// A place (a country, an area, a town that is a site) or a flow-monitoring point.
    public struct Node: Sendable, Hashable {
        public var id: String; public var name: String; public var coordinate: Coordinate; public var kind: NodeKind
        public init(id: String, name: String, coordinate: Coordinate, kind: NodeKind) {
            self.id = id; self.name = name; self.coordinate = coordinate; self.kind = kind
        }
    }
    /// People arriving at a point from where they come, or going on from a point to where they head.
    public enum LinkKind: String, Sendable { case arriving, onward }
    public struct Link: Sendable, Hashable {
        public var from: String; public var to: String; public var people: Int; public var kind: LinkKind
        public init(from: String, to: String, people: Int, kind: LinkKind) {
            self.from = from; self.to = to; self.people = people; self.kind = kind
        }
    }

    /// Outlines drawn under the flows for orientation (the operation's country or states).
    public var areas: [MapArea]
    public var nodes: [Node]
    public var links: [Link]
    public var title: String
    public var ariaLabel: String
    public var width: Double = 960
    public var rightToLeft = false
    /// Only the largest links are drawn; the rest are counted in `omittedText`.
    public var maxLinks = 40
    public var arrivingLabel = "Arriving"
    public var onwardLabel = "Onward"
    /// Shown when nothing is drawn.
    public var emptyText = "No movements to draw."
    /// Said under the legend when links were left out; `{count}` links and `{people}` people.
    public var omittedText = "{count} smaller flows ({people} people) not drawn."
    /// How a number of people is written (thousands grouped the way the page does).
    public var number: @Sendable (Int) -> String = { String($0) }

    public init(areas: [MapArea], nodes: [Node], links: [Link], title: String, ariaLabel: String) {
        self.areas = areas; self.nodes = nodes; self.links = links; self.title = title; self.ariaLabel = ariaLabel
    }
}

/// Draws a flow map: curved arrows from origin to point and point to destination whose width is
/// proportional to the people they carry, over the operation's outline. One self-contained SVG
/// element, like the other maps (no scripts, fonts or links to files).
public enum SVGFlowMap {
    private static let fontFamily =
        "system-ui,-apple-system,Segoe UI,Roboto,Noto Sans,Noto Sans Arabic,Arial,sans-serif"
    static let colours: [FlowMapRequest.LinkKind: String] = [.arriving: "#1f78b4", .onward: "#d95f02"]
    static let pointColour = "#6a3d9a"

    /// The stroke width of a link carrying `people` when the largest carries `largest`: linear in
    /// volume between a hairline and `maximum`, so twice the people is (nearly) twice the width.
    public static func strokeWidth(_ people: Int, largest: Int, maximum: Double, minimum: Double) -> Double {
        guard largest > 0 else { return minimum }
        return max(minimum, maximum * Double(people) / Double(largest))
    }

    public static func render(_ request: FlowMapRequest) -> SVG { SVG(markup: markup(request)) }

    static func markup(_ request: FlowMapRequest) -> String {
        let width = request.width.isFinite ? max(320, request.width) : 960
        let k = width / 960, t = k.squareRoot()
        let margin = 16 * k, titleFont = 22 * t, labelFont = max(12, 13 * t), legendFont = max(12, 14 * t)
        let titleBand = titleFont * 2
        let rtl = request.rightToLeft
        let direction = rtl ? " direction=\"rtl\"" : ""

        let nodes = Dictionary(request.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let placed = request.links.filter {
            $0.people > 0 && $0.from != $0.to && nodes[$0.from] != nil && nodes[$0.to] != nil
        }
        .sorted { ($0.people, $0.from, $0.to) > ($1.people, $1.from, $1.to) }
        let drawn = Array(placed.prefix(max(1, request.maxLinks)))
        let omitted = placed.dropFirst(drawn.count)
        let used = Set(drawn.flatMap { [$0.from, $0.to] })
        let shown = request.nodes.filter { used.contains($0.id) && $0.coordinate.isInGeographicRange }

        var body = ""
        var mapBottom = titleBand
        if let nodeBox = BoundingBox.around(shown.map(\.coordinate)) {
            let padX = max(0.5, nodeBox.width * 0.08), padY = max(0.5, nodeBox.height * 0.08)
            var box = BoundingBox(
                minLongitude: max(-180, nodeBox.minLongitude - padX), minLatitude: max(-85, nodeBox.minLatitude - padY),
                maxLongitude: min(180, nodeBox.maxLongitude + padX), maxLatitude: min(85, nodeBox.maxLatitude + padY))
            if let areaBox = request.areas.compactMap(\.geometry.boundingBox).reduce(
                nil as BoundingBox?, { $0?.union($1) ?? $1 })
            {
                box = box.union(areaBox)
            }
            let projection = Projection.suited(to: box)
            let extent = [
                Coordinate(longitude: box.minLongitude, latitude: box.minLatitude),
                Coordinate(longitude: box.maxLongitude, latitude: box.maxLatitude),
                Coordinate(longitude: box.minLongitude, latitude: box.maxLatitude),
                Coordinate(longitude: box.maxLongitude, latitude: box.minLatitude),
                Coordinate(longitude: box.center.longitude, latitude: box.maxLatitude),
                Coordinate(longitude: box.center.longitude, latitude: box.minLatitude),
            ].map(projection.project)
            let frame = MapFrame(
                projection: projection, projectedPoints: extent, availableWidth: width - 2 * margin, left: margin,
                top: titleBand,
                maxHeight: width * 0.9)
            mapBottom = frame.mapRect.maxY

            // Outlines for orientation.
            body +=
                "<g fill=\"#f2efe9\" stroke=\"#a6a6a6\" stroke-width=\"\(SVGText.number1(0.7 * k))\" fill-rule=\"evenodd\" stroke-linejoin=\"round\">"
            for area in request.areas {
                var path = ""
                for polygon in area.geometry.polygons {
                    for ring in polygon.rings {
                        let screen = ring.map { frame.screen($0) }
                        if let simplified = Simplifier.simplify(
                            ring: screen, tolerance: SVGMapRenderer.simplificationTolerance)
                        {
                            SVGText.appendRing(simplified, to: &path)
                        }
                    }
                }
                if !path.isEmpty { body += "<path d=\"\(path)\"><title>\(SVGText.escape(area.name))</title></path>" }
            }
            body += "</g>"

            // Flows, the largest first so that the smaller ones lie on top of them and stay visible.
            let largest = drawn.first?.people ?? 1
            let maxWidth = 22 * t, minWidth = 1.2 * t
            let nodeRadius = 5 * t
            body +=
                "<g class=\"flows\" fill-opacity=\"0.78\" stroke-opacity=\"0.78\" stroke-linecap=\"butt\" fill=\"none\">"
            for link in drawn {
                guard let a = nodes[link.from], let b = nodes[link.to] else { continue }
                let p0 = frame.screen(a.coordinate), p2 = frame.screen(b.coordinate)
                let w = strokeWidth(link.people, largest: largest, maximum: maxWidth, minimum: minWidth)
                let colour = colours[link.kind] ?? "#555"
                let dx = p2.x - p0.x, dy = p2.y - p0.y
                let length = (dx * dx + dy * dy).squareRoot()
                guard length > 1 else { continue }
                // Bent to the left of travel, so the two ways between the same places do not overlap.
                let c = Point(x: (p0.x + p2.x) / 2 + dy * 0.18, y: (p0.y + p2.y) / 2 - dx * 0.18)
                // The arrowhead sits just short of the target's symbol, pointing along the curve's end.
                let tx = p2.x - c.x, ty = p2.y - c.y
                let tl = max((tx * tx + ty * ty).squareRoot(), 0.001)
                let ux = tx / tl, uy = ty / tl
                let headLength = min(max(7 * t, w * 1.6), length * 0.4), headHalf = max(4.5 * t, w * 0.95)
                let tip = Point(x: p2.x - ux * nodeRadius * 1.3, y: p2.y - uy * nodeRadius * 1.3)
                let base = Point(x: tip.x - ux * headLength, y: tip.y - uy * headLength)
                let title = "\(a.name) → \(b.name): \(request.number(link.people))"
                body +=
                    "<g class=\"flow-link flow-\(link.kind.rawValue)\" data-people=\"\(link.people)\"><title>\(SVGText.escape(title))</title>"
                body +=
                    "<path d=\"M\(SVGText.number(p0.x)) \(SVGText.number(p0.y))Q\(SVGText.number(c.x)) \(SVGText.number(c.y)) \(SVGText.number(base.x)) \(SVGText.number(base.y))\""
                body += " stroke=\"\(colour)\" stroke-width=\"\(SVGText.number1(w))\"/>"
                let left = Point(x: base.x - uy * headHalf, y: base.y + ux * headHalf),
                    right = Point(x: base.x + uy * headHalf, y: base.y - ux * headHalf)
                body +=
                    "<polygon points=\"\(SVGText.number(tip.x)),\(SVGText.number(tip.y)) \(SVGText.number(left.x)),\(SVGText.number(left.y)) \(SVGText.number(right.x)),\(SVGText.number(right.y))\" fill=\"\(colour)\"/>"
                body += "</g>"
            }
            body += "</g>"

            // Places and points, then their names where they do not collide with one already written.
            body += "<g class=\"flow-nodes\" stroke=\"#1a1a1a\" stroke-width=\"\(SVGText.number1(1 * t))\">"
            for node in shown {
                let p = frame.screen(node.coordinate)
                if node.kind == .point {
                    let r = nodeRadius * 1.25
                    body +=
                        "<rect x=\"\(SVGText.number(p.x - r))\" y=\"\(SVGText.number(p.y - r))\" width=\"\(SVGText.number(2 * r))\" height=\"\(SVGText.number(2 * r))\" transform=\"rotate(45 \(SVGText.number(p.x)) \(SVGText.number(p.y)))\" fill=\"\(pointColour)\"><title>\(SVGText.escape(node.name))</title></rect>"
                } else {
                    body +=
                        "<circle cx=\"\(SVGText.number(p.x))\" cy=\"\(SVGText.number(p.y))\" r=\"\(SVGText.number(nodeRadius))\" fill=\"#fff\"><title>\(SVGText.escape(node.name))</title></circle>"
                }
            }
            body += "</g>"
            var taken: [MapRect] = []
            body +=
                "<g class=\"flow-labels\" font-size=\"\(SVGText.number1(labelFont))\" fill=\"#1a1a1a\" stroke=\"#fff\" stroke-width=\"\(SVGText.number1(3 * t))\" paint-order=\"stroke\" stroke-linejoin=\"round\">"
            // Points first: they are the operation's own and must be named.
            for node in shown.sorted(by: { ($0.kind == .point ? 0 : 1, $0.name) < ($1.kind == .point ? 0 : 1, $1.name) }
            ) {
                let p = frame.screen(node.coordinate)
                let text = node.name.count > 28 ? String(node.name.prefix(27)) + "…" : node.name
                let textWidth = Double(text.count) * labelFont * 0.58
                let x = rtl ? p.x - nodeRadius * 1.8 : p.x + nodeRadius * 1.8
                let rect = MapRect(
                    x: rtl ? x - textWidth : x, y: p.y - labelFont * 0.8, width: textWidth, height: labelFont * 1.1)
                guard !taken.contains(where: { $0.intersects(rect) }) else { continue }
                taken.append(rect)
                body +=
                    "<text x=\"\(SVGText.number(x))\" y=\"\(SVGText.number(p.y + labelFont * 0.35))\"\(direction)\(node.kind == .point ? " font-weight=\"bold\"" : "")>\(SVGText.escape(text))</text>"
            }
            body += "</g>"
        } else {
            body +=
                "<text x=\"\(SVGText.number(width / 2))\" y=\"\(SVGText.number(titleBand + legendFont * 2))\" font-size=\"\(SVGText.number1(legendFont))\" text-anchor=\"middle\" fill=\"#555\"\(direction)>\(SVGText.escape(request.emptyText))</text>"
            mapBottom = titleBand + legendFont * 3
        }

        // Legend: the two colours, then what three widths mean.
        var y = mapBottom + margin + legendFont
        var legend = "<g class=\"flow-legend\" font-size=\"\(SVGText.number1(legendFont))\" fill=\"#1a1a1a\">"
        func x(_ offset: Double) -> Double { rtl ? width - margin - offset : margin + offset }
        var offset = 0.0
        for kind in [FlowMapRequest.LinkKind.arriving, .onward] {
            let label = kind == .arriving ? request.arrivingLabel : request.onwardLabel
            let x0 = x(offset), x1 = x(offset + 28 * t)
            legend +=
                "<line x1=\"\(SVGText.number(x0))\" y1=\"\(SVGText.number(y - legendFont * 0.35))\" x2=\"\(SVGText.number(x1))\" y2=\"\(SVGText.number(y - legendFont * 0.35))\" stroke=\"\(colours[kind]!)\" stroke-width=\"\(SVGText.number1(6 * t))\"/>"
            legend +=
                "<text x=\"\(SVGText.number(x(offset + 34 * t)))\" y=\"\(SVGText.number(y))\"\(direction)>\(SVGText.escape(label))</text>"
            offset += 34 * t + Double(label.count) * legendFont * 0.6 + 24 * t
        }
        if let largest = drawn.first?.people {
            y += legendFont * 2.2
            offset = 0
            for share in [1.0, 0.5, 0.25] {
                let people = Int((Double(largest) * share).rounded())
                guard people > 0 else { continue }
                let w = strokeWidth(people, largest: largest, maximum: 22 * t, minimum: 1.2 * t)
                legend +=
                    "<line x1=\"\(SVGText.number(x(offset)))\" y1=\"\(SVGText.number(y - legendFont * 0.35))\" x2=\"\(SVGText.number(x(offset + 40 * t)))\" y2=\"\(SVGText.number(y - legendFont * 0.35))\" stroke=\"#777\" stroke-width=\"\(SVGText.number1(w))\"/>"
                let text = request.number(people)
                legend +=
                    "<text x=\"\(SVGText.number(x(offset + 46 * t)))\" y=\"\(SVGText.number(y))\"\(direction)>\(SVGText.escape(text))</text>"
                offset += 46 * t + Double(text.count) * legendFont * 0.6 + 28 * t
            }
        }
        if !omitted.isEmpty {
            y += legendFont * 1.9
            let text = request.omittedText.replacingOccurrences(of: "{count}", with: String(omitted.count))
                .replacingOccurrences(of: "{people}", with: request.number(omitted.reduce(0) { $0 + $1.people }))
            legend +=
                "<text class=\"flow-omitted\" x=\"\(SVGText.number(x(0)))\" y=\"\(SVGText.number(y))\" fill=\"#555\"\(direction)>\(SVGText.escape(text))</text>"
        }
        legend += "</g>"
        let height = y + margin

        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow-map\" viewBox=\"0 0 \(SVGText.number(width)) \(SVGText.number(height))\" width=\"\(SVGText.number(width))\" height=\"\(SVGText.number(height))\" role=\"img\""
        out += " aria-label=\"\(SVGText.escape(request.ariaLabel))\" font-family=\"\(fontFamily)\"\(direction)>"
        out += "<title>\(SVGText.escape(request.title))</title>"
        out += "<rect width=\"\(SVGText.number(width))\" height=\"\(SVGText.number(height))\" fill=\"#fff\"/>"
        out +=
            "<text x=\"\(SVGText.number(rtl ? width - margin : margin))\" y=\"\(SVGText.number(titleFont * 1.35))\" font-size=\"\(SVGText.number1(titleFont))\" font-weight=\"bold\" fill=\"#1a1a1a\"\(direction)>\(SVGText.escape(request.title))</text>"
        out += body + legend + "</svg>"
        return out
    }
}
