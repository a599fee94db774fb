import Foundation
import Testing

@testable import Geo

@Suite struct ProjectionTests {
    @Test func choosesByExtent() {
        let sudanLike = BoundingBox(minLongitude: 21.8, minLatitude: 8.7, maxLongitude: 38.6, maxLatitude: 22.2)
        #expect(Projection.suited(to: sudanLike).name.hasPrefix("Albers"))
        let equatorial = BoundingBox(minLongitude: 29, minLatitude: -5, maxLongitude: 35, maxLatitude: 5)
        #expect(Projection.suited(to: equatorial).name.hasPrefix("Lambert azimuthal"))
        let tall = BoundingBox(minLongitude: -76, minLatitude: -56, maxLongitude: -66, maxLatitude: -17)
        #expect(Projection.suited(to: tall).name.hasPrefix("Lambert azimuthal"))
        let world = BoundingBox(minLongitude: -180, minLatitude: -90, maxLongitude: 180, maxLatitude: 84)
        #expect(Projection.suited(to: world).name.hasPrefix("Equal Earth"))
    }

    /// Projected distance between two coordinates divided by their great-circle distance.
    func scaleRatio(_ projection: Projection, _ a: Coordinate, _ b: Coordinate) -> Double {
        projection.project(a).distance(to: projection.project(b)) / a.distance(to: b)
    }

    @Test func distancesNearTheCentreMatchHaversine() {
        for box in [
            BoundingBox(minLongitude: 21.8, minLatitude: 8.7, maxLongitude: 38.6, maxLatitude: 22.2),
            BoundingBox(minLongitude: 29, minLatitude: -5, maxLongitude: 35, maxLatitude: 5),
            BoundingBox(minLongitude: 60, minLatitude: 29, maxLongitude: 75, maxLatitude: 38),
        ] {
            let projection = Projection.suited(to: box)
            let c = box.center
            for (dLon, dLat) in [(1.0, 0.0), (0.0, 1.0), (0.7, 0.7), (-0.7, 0.7), (-1.0, -0.3)] {
                let ratio = scaleRatio(
                    projection, Coordinate(longitude: c.longitude - dLon / 2, latitude: c.latitude - dLat / 2),
                    Coordinate(longitude: c.longitude + dLon / 2, latitude: c.latitude + dLat / 2))
                #expect(abs(ratio - 1) < 0.01, "\(projection.name): scale \(ratio) in direction \(dLon), \(dLat)")
            }
        }
    }

    @Test func projectionsAreEqualArea() {
        // A 1° × 1° cell's projected area matches its area on the sphere.
        let r = Coordinate.earthRadius, toRadians = Double.pi / 180
        for (projection, cell) in [
            (
                Projection.albers(standardParallels: 11, 20, origin: Coordinate(longitude: 30, latitude: 15)),
                Coordinate(longitude: 36, latitude: 20)
            ),
            (
                Projection.lambertAzimuthal(center: Coordinate(longitude: 32, latitude: 0)),
                Coordinate(longitude: 35, latitude: 3)
            ),
            (Projection.equalEarth(), Coordinate(longitude: 100, latitude: 60)),
        ] {
            let corners = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)].map {
                projection.project(Coordinate(longitude: cell.longitude + $0.0, latitude: cell.latitude + $0.1))
            }
            var projectedArea = 0.0
            for i in 0..<4 {
                let a = corners[i], b = corners[(i + 1) % 4]
                projectedArea += a.x * b.y - b.x * a.y
            }
            projectedArea = abs(projectedArea) / 2
            let sphericalArea =
                r * r * toRadians * (sin((cell.latitude + 1) * toRadians) - sin(cell.latitude * toRadians))
            #expect(abs(projectedArea / sphericalArea - 1) < 0.005, "\(projection.name)")
        }
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func sudanShapeIsNotDistorted() throws {
        let sudan = try #require(TestData.sudanAdmin0.first).geometry
        let box = try #require(sudan.boundingBox)
        let projection = Projection.suited(to: box)
        let c = box.center
        let west = Coordinate(longitude: box.minLongitude, latitude: c.latitude),
            east = Coordinate(longitude: box.maxLongitude, latitude: c.latitude)
        let south = Coordinate(longitude: c.longitude, latitude: box.minLatitude),
            north = Coordinate(longitude: c.longitude, latitude: box.maxLatitude)
        let groundRatio = west.distance(to: east) / south.distance(to: north)
        let projectedRatio =
            projection.project(west).distance(to: projection.project(east))
            / projection.project(south).distance(to: projection.project(north))
        #expect(abs(projectedRatio / groundRatio - 1) < 0.03, "cross ratio \(projectedRatio) vs ground \(groundRatio)")

        let points = sudan.polygons.flatMap(\.exterior).map(projection.project)
        let xs = points.map(\.x), ys = points.map(\.y)
        let width = (xs.max() ?? 0) - (xs.min() ?? 0), height = (ys.max() ?? 0) - (ys.min() ?? 0)
        print("Sudan with \(projection.name): projected width/height \(width / height), ground \(groundRatio)")
        #expect(abs((width / height) / groundRatio - 1) < 0.05)
    }
}
