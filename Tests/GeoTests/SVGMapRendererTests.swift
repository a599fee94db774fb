import Foundation
import Testing

@testable import Geo

@Suite struct SVGMapRendererTests {
    static let hostile = "\"><script>alert(1)</script>&'"

    static let styles = [
        MapCategoryStyle(category: "camp", label: "Camp", shape: .triangle, fill: "#E69F00"),
        MapCategoryStyle(category: "clinic", label: "Clinic", shape: .cross, fill: "#0072B2"),
        MapCategoryStyle(category: "warehouse", label: "Warehouse", shape: .square, fill: "#009E73"),
    ]

    func syntheticAreas() -> [MapArea] {
        [
            MapArea(
                id: "A", name: "West", level: 1,
                geometry: MultiPolygon(Polygon(exterior: TestData.square(30, 10, 31, 11))), href: "/areas/A"),
            MapArea(
                id: "B", name: "East", level: 1,
                geometry: MultiPolygon(Polygon(exterior: TestData.square(31, 10, 32, 11))), emphasis: true),
        ]
    }

    /// Numbers of a viewBox attribute.
    func viewBox(_ document: SVGDocument) -> [Double] {
        (document.all("svg").first?.attributes["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
    }

    @Test func outputIsASelfContainedAccessibleSVG() throws {
        let svg = SVGMapRenderer.text(MapRequest(areas: syntheticAreas(), title: "Two areas"))
        let document = SVGDocument(svg)
        #expect(document.parseError == nil)
        let root = try #require(document.elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["width"] == "960")  // drawn at its own size, never shrunk
        #expect(root.attributes["role"] == "img")
        #expect(root.attributes["aria-label"] == "Two areas")
        #expect(viewBox(document).count == 4)
        #expect(document.elements[1].name == "title" && document.elements[1].text == "Two areas")
        for forbidden in ["<script", "<image", "url(", "@import", "xlink:", "<foreignObject", "<style", "on" + "click"]
        {
            #expect(!svg.contains(forbidden), "contains \(forbidden)")
        }
        // The only http reference is the namespace.
        #expect(svg.components(separatedBy: "http").count == 2)
    }

    @Test func everyTextAndAttributeIsEscaped() throws {
        let hostile = Self.hostile
        let request = MapRequest(
            areas: [
                MapArea(
                    id: hostile, name: hostile, level: 1,
                    geometry: MultiPolygon(Polygon(exterior: TestData.square(30, 10, 34, 14))), href: "/a?x=\(hostile)")
            ],
            sites: [
                MapSite(
                    id: hostile, name: hostile, category: hostile, coordinate: Coordinate(longitude: 31, latitude: 11),
                    href: "javascript:alert(1)", highlighted: true),
                MapSite(
                    id: "2", name: "ok\u{0001}", category: "camp", coordinate: Coordinate(longitude: 32, latitude: 12),
                    href: "https://example.org/s?a=1&b=2"),
            ],
            categories: [MapCategoryStyle(category: "camp", label: hostile, shape: .star, fill: "\"/><script>")],
            title: hostile, labelLevel: 1, legendTitle: hostile, scaleBarUnit: hostile, ariaLabel: hostile
        )
        let svg = SVGMapRenderer.text(request)
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("javascript:"))
        let document = SVGDocument(svg)
        try #require(document.parseError == nil, "\(document.parseError ?? "")")
        #expect(document.elements[0].attributes["aria-label"] == hostile)
        #expect(document.elements[1].text == hostile)
        // Hostile text survives as text: in the area and site hover titles, the labels and the legend.
        let titles = document.all("title").map(\.text)
        #expect(titles.filter { $0 == hostile }.count == 3)
        #expect(titles.contains("ok"), "control characters are dropped")
        let texts = document.all("text").map(\.text)
        #expect(texts.contains(hostile), "legend title")
        #expect(texts.contains("\(hostile) (1)"), "legend entry for the unstyled hostile category")
        let links = document.all("a").compactMap { $0.attributes["href"] }
        #expect(links == ["/a?x=\(hostile)", "https://example.org/s?a=1&b=2"])
        #expect(
            document.all("g").allSatisfy {
                ($0.attributes["fill"] ?? "#").hasPrefix("#") || $0.attributes["fill"] == "none"
            })
    }

    @Test func legendListsOnlyPresentCategoriesWithCounts() {
        let sites = [
            MapSite(id: "1", name: "Camp 1", category: "camp", coordinate: Coordinate(longitude: 30.5, latitude: 10.5)),
            MapSite(id: "2", name: "Camp 2", category: "camp", coordinate: Coordinate(longitude: 31.5, latitude: 10.5)),
            MapSite(
                id: "3", name: "Clinic", category: "clinic", coordinate: Coordinate(longitude: 31.2, latitude: 10.2)),
        ]
        let svg = SVGMapRenderer.text(
            MapRequest(
                areas: syntheticAreas(), sites: sites, categories: Self.styles, title: "Sites", legendTitle: "Key"))
        let document = SVGDocument(svg)
        #expect(document.parseError == nil)
        let legend = document.all("text", inGroupClass: "map-legend").map(\.text)
        #expect(legend == ["Key", "Camp (2)", "Clinic (1)"])
        // Every site has a hover title; without highlighting no site is labelled.
        #expect(document.all("title").map(\.text).filter { $0.hasPrefix("Camp ") || $0 == "Clinic" }.count == 3)
        #expect(!document.all("text", inGroupClass: "map-labels").contains { $0.text.hasPrefix("Camp") })
    }

    @Test func eachShapeIsDrawnOnceAndPlacedPerSite() {
        var sites: [MapSite] = []
        for i in 0..<300 {
            let longitude = 30.1 + Double(i % 19) * 0.1
            let latitude = 10.1 + Double(i % 7) * 0.1
            let category = i % 3 == 0 ? "clinic" : "camp"
            sites.append(
                MapSite(
                    id: "s\(i)", name: "Site \(i)", category: category,
                    coordinate: Coordinate(longitude: longitude, latitude: latitude), href: "/sites/s\(i)"))
        }
        let svg = SVGMapRenderer.text(
            MapRequest(areas: syntheticAreas(), sites: sites, categories: Self.styles, title: "Many"))
        let document = SVGDocument(svg)
        #expect(document.parseError == nil)
        let marks = document.all("use")
        #expect(marks.count == 300)
        #expect(Set(marks.compactMap { $0.attributes["data-site-id"] }) == Set(sites.map(\.id)))
        // One outline per shape (triangle for camps, cross for clinics), each referenced by its sites.
        let ids: [String] = document.elements.compactMap { element in element.attributes["id"] }
        let defined = Set(ids.filter { $0.hasPrefix("sm-") })
        #expect(defined == ["sm-triangle", "sm-cross"])
        #expect(Set(marks.compactMap { $0.attributes["href"] }) == ["#sm-triangle", "#sm-cross"])
        #expect(marks.filter { $0.attributes["href"] == "#sm-cross" }.count == 100)
        #expect(document.all("a").filter { $0.attributes["href"]?.hasPrefix("/sites/") == true }.count == 300)
    }

    @Test func areasAreLinkedEmphasisedAndLabelled() {
        let svg = SVGMapRenderer.text(MapRequest(areas: syntheticAreas(), title: "Areas"))
        let document = SVGDocument(svg)
        let linkedPaths = document.all("path").filter { path in
            path.ancestors.contains { document.elements[$0].name == "a" }
        }
        #expect(linkedPaths.count == 1)
        #expect(document.all("a").first?.attributes["href"] == "/areas/A")
        #expect(document.all("path").contains { $0.attributes["fill"] == "#fdd49e" })
        #expect(Set(document.all("text", inGroupClass: "map-labels").map(\.text)) == ["West", "East"])
        let labels = document.group("map-labels")
        #expect(labels?.attributes["paint-order"] == "stroke")
        #expect(labels?.attributes["stroke"] == "#fff")
    }

    @Test func highlightedSiteIsLargerRingedAndLabelled() {
        let sites = [
            MapSite(
                id: "1", name: "Main warehouse", category: "warehouse",
                coordinate: Coordinate(longitude: 30.3, latitude: 10.5), highlighted: true),
            MapSite(
                id: "2", name: "Other", category: "warehouse", coordinate: Coordinate(longitude: 31.7, latitude: 10.5)),
        ]
        let svg = SVGMapRenderer.text(
            MapRequest(areas: syntheticAreas(), sites: sites, categories: Self.styles, title: "H", labelLevel: 99))
        let document = SVGDocument(svg)
        #expect(document.all("text", inGroupClass: "map-labels").map(\.text) == ["Main warehouse"])
        #expect(
            document.all("circle").filter { $0.attributes["fill"] == "none" }.count == 2,
            "white halo ring and dark ring")
    }

    @Test func rightToLeftPutsLegendOnTheLeft() throws {
        let sites = [
            MapSite(id: "1", name: "مخيم", category: "camp", coordinate: Coordinate(longitude: 30.5, latitude: 10.5))
        ]
        let styles = [MapCategoryStyle(category: "camp", label: "مخيمات", shape: .triangle, fill: "#E69F00")]
        let ltr = SVGDocument(
            SVGMapRenderer.text(
                MapRequest(
                    areas: syntheticAreas(), sites: sites, categories: styles, title: "خريطة", legendTitle: "مفتاح")))
        let rtl = SVGDocument(
            SVGMapRenderer.text(
                MapRequest(
                    areas: syntheticAreas(), sites: sites, categories: styles, title: "خريطة", legendTitle: "مفتاح",
                    rightToLeft: true)))
        #expect(rtl.parseError == nil)
        let width = try #require(viewBox(rtl).dropFirst(2).first)
        func legendX(_ document: SVGDocument) -> Double? {
            document.all("text", inGroupClass: "map-legend").first { $0.text == "مخيمات (1)" }?.attributes["x"].flatMap(
                Double.init)
        }
        #expect(try #require(legendX(ltr)) > width / 2)
        #expect(try #require(legendX(rtl)) < width / 2)
        #expect(rtl.elements[0].attributes["direction"] == "rtl")
        #expect(rtl.all("text", inGroupClass: "map-legend").allSatisfy { $0.attributes["direction"] == "rtl" })
        // The scale bar's number and unit stay left-to-right.
        let scaleLabel = try #require(rtl.all("text").first { $0.text.hasSuffix(" km") })
        #expect(scaleLabel.attributes["direction"] == "ltr")
        let scaleRect = try #require(rtl.all("rect", inGroupClass: "map-scale").first)
        #expect(try #require(Double(scaleRect.attributes["x"] ?? "")) > width / 2, "scale bar moves to the right")
    }

    @Test func niceLengths() {
        #expect(SVGMapRenderer.niceLength(near: 372) == 500)
        #expect(SVGMapRenderer.niceLength(near: 180) == 200)
        #expect(SVGMapRenderer.niceLength(near: 1.1) == 1)
        #expect(SVGMapRenderer.niceLength(near: 0.03) == 0.02)
        #expect(SVGMapRenderer.niceLength(near: 7600) == 10000)
        #expect(SVGMapRenderer.niceLength(near: 6000) == 5000)
    }

    @Test func emptyAndSiteOnlyRequestsRender() {
        #expect(SVGDocument(SVGMapRenderer.text(MapRequest(title: "Nothing"))).parseError == nil)
        let single = SVGMapRenderer.text(
            MapRequest(
                sites: [
                    MapSite(
                        id: "1", name: "Alone", category: "camp",
                        coordinate: Coordinate(longitude: 32.5, latitude: 15.5))
                ], categories: Self.styles, title: "One site"))
        let document = SVGDocument(single)
        #expect(document.parseError == nil)
        #expect(document.all("title").map(\.text).contains("Alone"))
    }

    // MARK: Real data

    static func sudanAreas(level: Int) -> [MapArea] {
        let source = level == 1 ? TestData.sudanAdmin1 : TestData.sudanAdmin2
        return source.map { area in
            let pcode = area["adm\(level)_pcode"]
            return MapArea(
                id: pcode, name: area["adm\(level)_name"], level: level, geometry: area.geometry,
                href: "/areas/\(pcode)")
        }
    }

    static func pseudoRandomSites(_ count: Int) -> [MapSite] {
        var generator = TestData.SeededGenerator(state: 7)
        return (0..<count).map { i in
            MapSite(
                id: "site-\(i)", name: "Site \(i)", category: styles[i % 3].category,
                coordinate: Coordinate(
                    longitude: Double.random(in: 21.8...38.6, using: &generator),
                    latitude: Double.random(in: 8.7...22.2, using: &generator)),
                href: "/sites/\(i)", highlighted: i == 500
            )
        }
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func sudanAdmin2WithThousandSitesIsSmallFastAndWellFormed() throws {
        let request = MapRequest(
            areas: Self.sudanAreas(level: 2), sites: Self.pseudoRandomSites(1_000), categories: Self.styles,
            title: "Sudan localities")
        var svg = ""
        svg = SVGMapRenderer.text(request)
        let bytes = svg.utf8.count
        #expect(bytes < 400_000)
        let document = SVGDocument(svg)
        try #require(document.parseError == nil, "\(document.parseError ?? "")")
        #expect(document.all("a").count > 1_000)
        // Default label level: 189 localities is too many and there is no level above, so the placer thins them.
        let labels = document.all("text", inGroupClass: "map-labels")
        #expect(labels.count > 10)
        #expect(labels.contains { $0.text == "Site 500" })
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func sudanLabelsNeverOverlapAndStayOnTheMap() throws {
        for request in [
            MapRequest(areas: Self.sudanAreas(level: 2), title: "Localities", labelLevel: 2),
            MapRequest(areas: Self.sudanAreas(level: 1) + Self.sudanAreas(level: 2), title: "States", width: 480),
        ] {
            let document = SVGDocument(SVGMapRenderer.text(request))
            try #require(document.parseError == nil)
            let group = try #require(document.group("map-labels"))
            let fontSize = try #require(Double(group.attributes["font-size"] ?? ""))
            let box = viewBox(document)
            let boxes = document.all("text", inGroupClass: "map-labels").map { text -> MapRect in
                let x = Double(text.attributes["x"] ?? "") ?? .nan, y = Double(text.attributes["y"] ?? "") ?? .nan
                // The renderer writes the baseline 0.35 em below the box centre; rounding moves it up to 0.05.
                return LabelPlacer.estimatedBox(
                    text: text.text, anchor: Point(x: x, y: y - fontSize * 0.35), fontSize: fontSize)
            }
            #expect(boxes.count > 5)
            for (i, a) in boxes.enumerated() {
                #expect(a.x >= 0 && a.maxX <= box[2] && a.y >= 0 && a.maxY <= box[3])
                for b in boxes[(i + 1)...] {
                    let shrunk = MapRect(x: b.x + 0.1, y: b.y + 0.1, width: b.width - 0.2, height: b.height - 0.2)
                    #expect(!a.intersects(shrunk))
                }
            }
            if request.width == 480 {
                // With states present, only states are labelled.
                let stateNames = Set(TestData.sudanAdmin1.map { $0["adm1_name"] })
                #expect(document.all("text", inGroupClass: "map-labels").allSatisfy { stateNames.contains($0.text) })
            }
        }
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func scaleBarHasRoundLengthNearAFifthOfTheWidth() throws {
        let document = SVGDocument(SVGMapRenderer.text(MapRequest(areas: Self.sudanAreas(level: 1), title: "States")))
        let label = try #require(document.all("text").first { $0.text.hasSuffix(" km") }).text
        let kilometres = try #require(Double(label.dropLast(3)))
        let mantissa = kilometres / pow(10, floor(log10(kilometres)))
        #expect([1.0, 2.0, 5.0].contains(mantissa))
        let bars = document.all("rect", inGroupClass: "map-scale")
        let barWidth = bars.compactMap { Double($0.attributes["width"] ?? "") }.reduce(0, +)
        #expect(barWidth > 960 / 5 / 1.6 && barWidth < 960 / 5 * 1.6)
        // Sudan is about 1,800 km across 928 units: the bar's length must agree with that scale.
        let unitsPerKilometre = barWidth / kilometres
        #expect(unitsPerKilometre > 0.45 && unitsPerKilometre < 0.6, "\(unitsPerKilometre)")
    }
}
