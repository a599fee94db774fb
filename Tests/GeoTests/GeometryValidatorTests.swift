import Foundation
import Testing

@testable import Geo

@Suite struct GeometryValidatorTests {
    @Test func bowTieIsReportedOnce() {
        let bowTie = [
            Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 2, latitude: 2),
            Coordinate(longitude: 2, latitude: 0), Coordinate(longitude: 0, latitude: 2),
            Coordinate(longitude: 0, latitude: 0),
        ]
        let problems = GeometryValidator.problems(in: MultiPolygon(Polygon(exterior: bowTie)))
        #expect(problems == [.selfIntersection(polygon: 0, ring: 0, near: Coordinate(longitude: 1, latitude: 1))])
        #expect(problems.first?.description == "ring 0 of polygon 0 intersects itself near 1.0000, 1.0000")
    }

    @Test func validSquareWithRepeatedVertexHasNoProblems() {
        var ring = TestData.square(0, 0, 1, 1)
        ring.insert(ring[1], at: 1)
        #expect(GeometryValidator.problems(in: MultiPolygon(Polygon(exterior: ring))).isEmpty)
    }

    @Test func ringTouchingItselfAtAVertexIsReported() {
        // Two squares sharing the corner (1, 1), traced as one ring: a self-touching "figure eight".
        let ring = [
            Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 1, latitude: 0),
            Coordinate(longitude: 1, latitude: 1), Coordinate(longitude: 2, latitude: 1),
            Coordinate(longitude: 2, latitude: 2), Coordinate(longitude: 1, latitude: 2),
            Coordinate(longitude: 1, latitude: 1), Coordinate(longitude: 0, latitude: 1),
            Coordinate(longitude: 0, latitude: 0),
        ]
        let problems = GeometryValidator.problems(in: MultiPolygon(Polygon(exterior: ring)))
        #expect(problems == [.selfIntersection(polygon: 0, ring: 0, near: Coordinate(longitude: 1, latitude: 1))])
    }

    @Test func structuralProblems() {
        #expect(GeometryValidator.problems(in: MultiPolygon(polygons: [])) == [.emptyGeometry])
        let short = Polygon(exterior: [
            Coordinate(longitude: 0, latitude: 0), Coordinate(longitude: 1, latitude: 0),
            Coordinate(longitude: 0, latitude: 0),
        ])
        #expect(GeometryValidator.problems(in: MultiPolygon(short)) == [.ringTooShort(polygon: 0, ring: 0)])
        let open = Polygon(
            exterior: Array(TestData.square(0, 0, 1, 1).dropLast()) + [Coordinate(longitude: 0, latitude: 0.5)])
        #expect(GeometryValidator.problems(in: MultiPolygon(open)) == [.ringNotClosed(polygon: 0, ring: 0)])
        let projected = Polygon(exterior: TestData.square(512_345, 1_734_567, 513_000, 1_735_000))
        let problems = GeometryValidator.problems(in: MultiPolygon(projected))
        #expect(problems == [.coordinateOutOfRange(Coordinate(longitude: 512_345, latitude: 1_734_567))])
        #expect(problems.first?.description.contains("looks projected") == true)
    }

    @Test func holeProblemsNameTheRing() {
        let hole = [
            Coordinate(longitude: 4, latitude: 4), Coordinate(longitude: 6, latitude: 6),
            Coordinate(longitude: 6, latitude: 4), Coordinate(longitude: 4, latitude: 6),
            Coordinate(longitude: 4, latitude: 4),
        ]
        let shape = MultiPolygon(polygons: [
            Polygon(exterior: TestData.square(20, 20, 21, 21)),
            Polygon(exterior: TestData.square(0, 0, 10, 10), holes: [hole]),
        ])
        #expect(
            GeometryValidator.problems(in: shape) == [
                .selfIntersection(polygon: 1, ring: 1, near: Coordinate(longitude: 5, latitude: 5))
            ])
    }

    @Test func largeRingIsCheckedQuickly() {
        // A 20,000-vertex star-shaped ring: valid, and an O(n²) check would take far too long.
        let count = 20_000
        var ring = (0..<count).map { i -> Coordinate in
            let angle = Double(i) / Double(count) * 2 * Double.pi
            let radius = 1 + 0.1 * sin(Double(i) * 0.37)
            return Coordinate(longitude: radius * cos(angle), latitude: radius * sin(angle))
        }
        ring.append(ring[0])
        var problems: [GeometryProblem] = []
        problems = GeometryValidator.problems(in: MultiPolygon(Polygon(exterior: ring)))
        #expect(problems.isEmpty)
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func sudanBoundariesAreValidAndFast() {
        for (name, areas) in [
            ("admin0", TestData.sudanAdmin0), ("admin1", TestData.sudanAdmin1), ("admin2", TestData.sudanAdmin2),
        ] {
            #expect(!areas.isEmpty)
            var invalid: [String] = []
            do {
                invalid = []
                for area in areas where !GeometryValidator.problems(in: area.geometry).isEmpty {
                    invalid.append(area["adm0_pcode"] + "/" + area["adm1_pcode"] + "/" + area["adm2_pcode"])
                }
            }
            let vertices = areas.reduce(0) { $0 + $1.geometry.pointCount }
            #expect(vertices > 0)
            #expect(invalid.isEmpty, "invalid: \(invalid)")
        }
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func naturalEarthHasExactlySudanInvalid() {
        var invalid: [String: [GeometryProblem]] = [:]
        do {
            invalid = [:]
            for area in TestData.naturalEarth {
                let problems = GeometryValidator.problems(in: area.geometry)
                if !problems.isEmpty { invalid[area["NAME"]] = problems }
            }
        }
        #expect(TestData.naturalEarth.count == 177)
        #expect(Array(invalid.keys) == ["Sudan"])
        guard case let .selfIntersection(polygon, ring, _)? = invalid["Sudan"]?.first else {
            Issue.record("Sudan should self-intersect")
            return
        }
        #expect(polygon == 0 && ring == 0)
    }
}
