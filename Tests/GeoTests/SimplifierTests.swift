import Foundation
import Testing

@testable import Geo

@Suite struct SimplifierTests {
    /// A wobbly circle: many points, most of them redundant at a coarse tolerance.
    func wobblyRing(points: Int) -> [Coordinate] {
        var ring = (0..<points).map { i -> Coordinate in
            let angle = Double(i) / Double(points) * 2 * Double.pi
            let radius = 1 + 0.001 * sin(Double(i) * 1.7)
            return Coordinate(longitude: 30 + radius * cos(angle), latitude: 15 + radius * sin(angle))
        }
        ring.append(ring[0])
        return ring
    }

    @Test func keepsClosureAndReducesPoints() {
        let shape = MultiPolygon(Polygon(exterior: wobblyRing(points: 5_000)))
        let simplified = Simplifier.simplify(shape, tolerance: 0.01)
        let ring = simplified.polygons[0].exterior
        #expect(ring.first == ring.last)
        #expect(ring.count >= 4)
        #expect(ring.count < 200)
        #expect(GeometryValidator.problems(in: simplified).isEmpty)
    }

    @Test func neverCollapsesBelowATriangle() {
        let shape = MultiPolygon(Polygon(exterior: wobblyRing(points: 100)))
        // A tolerance just under the ring's size would reduce it to a line without the safeguard.
        let ring = Simplifier.simplify(shape, tolerance: 1.5).polygons[0].exterior
        #expect(ring.count == 4)
        #expect(ring.first == ring.last)
    }

    @Test func dropsRingsSmallerThanTolerance() {
        let shape = MultiPolygon(polygons: [
            Polygon(exterior: TestData.square(0, 0, 10, 10), holes: [TestData.square(5, 5, 5.01, 5.01)]),
            Polygon(exterior: TestData.square(20, 20, 20.01, 20.01)),
        ])
        let simplified = Simplifier.simplify(shape, tolerance: 0.1)
        #expect(simplified.polygons.count == 1)
        #expect(simplified.polygons[0].holes.isEmpty)
        #expect(simplified.polygons[0].exterior == TestData.square(0, 0, 10, 10))
    }

    @Test func planarRingAndLine() throws {
        let ring = wobblyRing(points: 2_000).map { Point(x: $0.longitude * 100, y: $0.latitude * 100) }
        let simplified = try #require(Simplifier.simplify(ring: ring, tolerance: 0.5))
        #expect(simplified.first == simplified.last)
        #expect(simplified.count < ring.count / 5)
        #expect(
            Simplifier.simplify(
                ring: [Point(x: 0, y: 0), Point(x: 0.1, y: 0), Point(x: 0, y: 0.1), Point(x: 0, y: 0)], tolerance: 1)
                == nil)
        let line = (0...100).map { Point(x: Double($0), y: 0) }
        #expect(Simplifier.simplify(line: line, tolerance: 0.1) == [Point(x: 0, y: 0), Point(x: 100, y: 0)])
    }

    @Test func largeRingAtFineToleranceKeepsDetail() {
        // 100,000 vertices kept almost all: deep subdivision that the explicit stack handles without recursion.
        let ring = wobblyRing(points: 100_000)
        let simplified = Simplifier.simplify(MultiPolygon(Polygon(exterior: ring)), tolerance: 1e-7)
        #expect(simplified.polygons[0].exterior.count > 50_000)
        #expect(simplified.polygons[0].exterior.first == simplified.polygons[0].exterior.last)
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func sudanAdmin0StaysValid() throws {
        let sudan = try #require(TestData.sudanAdmin0.first).geometry
        let simplified = Simplifier.simplify(sudan, tolerance: 0.01)
        #expect(simplified.pointCount < sudan.pointCount / 3)
        #expect(simplified.polygons.allSatisfy { $0.exterior.first == $0.exterior.last })
    }
}
