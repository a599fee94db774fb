import Foundation
import Geo
import Testing

@testable import Interop

@Suite struct GeoJSONReaderTests {
    func error(_ data: Data) -> GeoJSONError? {
        do {
            _ = try GeoJSONReader.features(from: data)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsCollectionFeatureAndBareGeometry() throws {
        let collection = try GeoJSONReader.features(
            from: TestData.collection([
                TestData.feature("\"name\": \"A\""),
                TestData.feature(
                    "\"name\": \"B\"",
                    geometry:
                        "{\"type\": \"MultiPolygon\", \"coordinates\": [[[[0,0],[1,0],[1,1],[0,0]]], [[[5,5],[6,5],[6,6],[5,5]]]]}"
                ),
                TestData.feature("\"name\": \"C\"", geometry: nil),
            ]))
        #expect(collection.map(\.index) == [0, 1, 2])
        #expect(collection[0].geometry?.areal?.polygons.count == 1)
        #expect(collection[1].geometry?.areal?.polygons.count == 2)
        #expect(collection[2].geometry == nil)

        let single = try GeoJSONReader.features(from: Data(TestData.feature("\"name\": \"Solo\"").utf8))
        #expect(single.count == 1 && single[0].properties["name"] == .string("Solo"))

        let bare = try GeoJSONReader.features(
            from: Data("{\"type\": \"Point\", \"coordinates\": [32.5, 15.6, 380]}".utf8))
        #expect(bare.count == 1 && bare[0].geometry == .point(Coordinate(longitude: 32.5, latitude: 15.6)))
        #expect(bare[0].geometry?.areal == nil)

        let collectionGeometry = try GeoJSONReader.features(
            from: Data(
                "{\"type\": \"GeometryCollection\", \"geometries\": [{\"type\": \"LineString\", \"coordinates\": [[0,0],[1,1]]}, \(TestData.square(3, 3))]}"
                    .utf8))
        #expect(collectionGeometry[0].geometry?.areal?.polygons.count == 1)
    }

    @Test func acceptsWGS84CRSNames() throws {
        for name in [
            "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326",
        ] {
            #expect(try GeoJSONReader.features(from: TestData.collection([TestData.feature("")], crs: name)).count == 1)
        }
    }

    @Test func rejectsOtherCRS() {
        let failure = error(TestData.collection([TestData.feature("")], crs: "EPSG:32636"))
        #expect(failure?.kind == .unsupportedCRS)
        #expect(
            failure?.message
                == "the file declares CRS \"EPSG:32636\"; only WGS 84 longitude/latitude (CRS84 / EPSG:4326) is accepted — reproject it, e.g. with ogr2ogr -t_srs EPSG:4326"
        )
    }

    @Test func rejectsProjectedCoordinates() {
        let projected =
            "{\"type\": \"Polygon\", \"coordinates\": [[[512345.0, 1734567.0], [513345.0, 1734567.0], [513345.0, 1735567.0], [512345.0, 1734567.0]]]}"
        let data = TestData.collection([
            TestData.feature(""), TestData.feature(""), TestData.feature(""), TestData.feature("", geometry: projected),
        ])
        let failure = error(data)
        #expect(failure?.kind == .projectedCoordinates)
        #expect(
            failure?.description
                == "feature 3: coordinate (512345.0, 1734567.0) is outside longitude/latitude range — the file looks projected"
        )
    }

    @Test func malformedAndTruncatedJSON() throws {
        let malformed = error(Data("{\"type\": \"FeatureCollection\", \"features\": [}".utf8))
        #expect(malformed?.kind == .invalidJSON)
        #expect(malformed?.message.hasPrefix("not valid JSON: ") == true)
        #expect((malformed?.message.count ?? 0) > "not valid JSON: ".count + 5, "includes the parser's reason")

        let empty = error(Data())
        #expect(empty?.kind == .invalidJSON)

        // A real-looking file cut off part way, as an interrupted download would leave it.
        let whole = TestData.collection((0..<20).map { _ in TestData.feature("\"name\": \"x\"") })
        let truncated = error(whole.prefix(whole.count / 2))
        #expect(truncated?.kind == .invalidJSON)
        #expect(truncated?.message.contains("truncated") == true, "\(truncated?.message ?? "")")
    }

    @Test func structuralErrorsSayWhere() {
        let badRing = "{\"type\": \"Polygon\", \"coordinates\": [[30, 10], [31, 10]]}"
        #expect(
            error(TestData.collection([TestData.feature(""), TestData.feature("", geometry: badRing)]))?.message
                == "feature 1: geometry.coordinates[0]: expected an array of positions")
        let badLine = "{\"type\": \"LineString\", \"coordinates\": 5}"
        #expect(
            error(TestData.collection([TestData.feature("", geometry: badLine)]))?.message
                == "feature 0: geometry.coordinates: expected an array of positions")
        let badPoint = "{\"type\": \"Point\", \"coordinates\": [\"east\", 10]}"
        #expect(
            error(TestData.collection([TestData.feature("", geometry: badPoint)]))?.message
                == "feature 0: geometry.coordinates: expected a position [longitude, latitude]")
        let unknown = "{\"type\": \"Circle\", \"coordinates\": [1, 2]}"
        #expect(
            error(TestData.collection([TestData.feature("", geometry: unknown)]))?.message
                == "feature 0: geometry.type: unknown geometry type \"Circle\"")
        #expect(error(Data("[1, 2]".utf8))?.message == "the top level is not a JSON object")
        #expect(
            error(Data("{\"type\": \"FeatureCollection\"}".utf8))?.message == "features: expected an array of features")
        #expect(error(Data("{\"type\": \"Topology\"}".utf8))?.message == "type: unknown GeoJSON type \"Topology\"")
        #expect(
            error(TestData.collection(["{\"type\": \"Feature\", \"properties\": [1], \"geometry\": null}"]))?.message
                == "feature 0: properties: expected an object or null")
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func readsSudanAdmin2Quickly() throws {
        let data = TestData.file("sdn/sdn_admin2.geojson")
        var features: [GeoJSONFeature] = []
        features = try GeoJSONReader.features(from: data)
        #expect(features.count == 189)
        #expect(features.allSatisfy { $0.geometry?.areal != nil })
    }
}
