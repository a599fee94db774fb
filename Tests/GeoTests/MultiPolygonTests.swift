import Testing

@testable import Geo

@Suite struct MultiPolygonTests {
    let squareWithHole = Polygon(exterior: TestData.square(0, 0, 10, 10), holes: [TestData.square(4, 4, 6, 6)])

    @Test func pointInPolygonRespectsHoles() {
        let shape = MultiPolygon(squareWithHole)
        #expect(shape.contains(Coordinate(longitude: 2, latitude: 2)))
        #expect(!shape.contains(Coordinate(longitude: 5, latitude: 5)), "inside the hole")
        #expect(shape.contains(Coordinate(longitude: 7, latitude: 5)))
        #expect(!shape.contains(Coordinate(longitude: 11, latitude: 5)))
    }

    @Test func pointInsideBoundingBoxButOutsideConcaveShape() {
        // An L shape: its box covers the empty upper-right quarter.
        let ell = MultiPolygon(
            Polygon(exterior: [
                Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 10, latitude: 0),
                Coordinate(longitude: 10, latitude: 5), Coordinate(longitude: 5, latitude: 5),
                Coordinate(longitude: 5, latitude: 10), Coordinate(longitude: 0, latitude: 10),
                Coordinate(longitude: 0, latitude: 0),
            ]))
        let farCorner = Coordinate(longitude: 9, latitude: 9)
        #expect(ell.boundingBox?.contains(farCorner) == true)
        #expect(!ell.contains(farCorner))
        #expect(ell.contains(Coordinate(longitude: 9, latitude: 1)))
        #expect(ell.contains(Coordinate(longitude: 1, latitude: 9)))
    }

    @Test func multiplePolygonsAndBoxes() {
        let islands = MultiPolygon(polygons: [
            Polygon(exterior: TestData.square(0, 0, 1, 1)),
            Polygon(exterior: TestData.square(10, 10, 11, 11)),
        ])
        #expect(islands.contains(Coordinate(longitude: 10.5, latitude: 10.5)))
        #expect(!islands.contains(Coordinate(longitude: 5, latitude: 5)))
        #expect(islands.boundingBox == BoundingBox(minLongitude: 0, minLatitude: 0, maxLongitude: 11, maxLatitude: 11))
        #expect(islands.pointCount == 10)
        var edited = islands
        edited.polygons.removeLast()
        #expect(edited.boundingBox == BoundingBox(minLongitude: 0, minLatitude: 0, maxLongitude: 1, maxLatitude: 1))
    }

    @Test func boundingBoxHelpers() {
        let box = BoundingBox.around([Coordinate(longitude: 3, latitude: -1), Coordinate(longitude: -2, latitude: 4)])
        #expect(box == BoundingBox(minLongitude: -2, minLatitude: -1, maxLongitude: 3, maxLatitude: 4))
        #expect(BoundingBox.around([Coordinate]()) == nil)
        let other = BoundingBox(minLongitude: 5, minLatitude: 5, maxLongitude: 6, maxLatitude: 6)
        #expect(box?.union(other) == BoundingBox(minLongitude: -2, minLatitude: -1, maxLongitude: 6, maxLatitude: 6))
    }

    @Test func centroidAndLabelPoint() throws {
        let shape = MultiPolygon(squareWithHole)
        let centroid = try #require(shape.centroid)
        #expect(abs(centroid.longitude - 5) < 1e-9 && abs(centroid.latitude - 5) < 1e-9)
        // The centroid sits in the hole; the label point must not.
        let label = try #require(shape.labelPoint)
        #expect(shape.contains(label))
    }

    @Test func labelPointUsesLargestPolygonAndStaysInsideConcaveShape() throws {
        // A thin C shape whose centroid lies outside it, plus a tiny island.
        let cShape = Polygon(exterior: [
            Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 10, latitude: 0),
            Coordinate(longitude: 10, latitude: 2), Coordinate(longitude: 2, latitude: 2),
            Coordinate(longitude: 2, latitude: 8), Coordinate(longitude: 10, latitude: 8),
            Coordinate(longitude: 10, latitude: 10), Coordinate(longitude: 0, latitude: 10),
            Coordinate(longitude: 0, latitude: 0),
        ])
        let shape = MultiPolygon(polygons: [Polygon(exterior: TestData.square(20, 20, 20.5, 20.5)), cShape])
        let label = try #require(shape.labelPoint)
        #expect(MultiPolygon(cShape).contains(label))
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func labelPointsOfEverySudanLocalityAreInside() {
        for area in TestData.sudanAdmin2 {
            guard let label = area.geometry.labelPoint else {
                Issue.record("no label point for \(area["adm2_pcode"])")
                continue
            }
            #expect(area.geometry.contains(label), "label point outside \(area["adm2_pcode"])")
        }
    }
}
