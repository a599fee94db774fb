import Foundation
import Testing

@testable import Geo

@Suite struct AreaLocatorTests {
    @Test func deepestLevelFirstAndHoles() {
        let locator = AreaLocator([
            (id: "country", level: 0, geometry: MultiPolygon(Polygon(exterior: TestData.square(0, 0, 10, 10)))),
            (id: "district", level: 2, geometry: MultiPolygon(Polygon(exterior: TestData.square(1, 1, 4, 4)))),
            (
                id: "province", level: 1,
                geometry: MultiPolygon(
                    Polygon(exterior: TestData.square(0, 0, 5, 5), holes: [TestData.square(4.5, 4.5, 4.9, 4.9)]))
            ),
        ])
        #expect(locator.locate(Coordinate(longitude: 2, latitude: 2)) == ["district", "province", "country"])
        #expect(locator.locate(Coordinate(longitude: 4.7, latitude: 4.7)) == ["country"])
        #expect(locator.locate(Coordinate(longitude: 8, latitude: 8)) == ["country"])
        #expect(locator.locate(Coordinate(longitude: 11, latitude: 8)).isEmpty)
        #expect(AreaLocator([]).locate(Coordinate(longitude: 0, latitude: 0)).isEmpty)
    }

    static func sudanLocator() -> AreaLocator {
        AreaLocator(
            TestData.sudanAdmin1.map { (id: $0["adm1_pcode"], level: 1, geometry: $0.geometry) }
                + TestData.sudanAdmin2.map { (id: $0["adm2_pcode"], level: 2, geometry: $0.geometry) }
        )
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func khartoumCityCentreIsInKhartoumLocality() {
        let locator = Self.sudanLocator()
        // Khartoum state is SD01. In COD-AB v03 this point in the south of the city lies in
        // Jebel Awlia locality (SD01001): the Khartoum locality boundary runs just north of it.
        #expect(locator.locate(Coordinate(longitude: 32.5599, latitude: 15.5007)) == ["SD01001", "SD01"])
        // Central Khartoum, nearer the confluence: Khartoum locality (SD01007).
        #expect(locator.locate(Coordinate(longitude: 32.5325, latitude: 15.5890)) == ["SD01007", "SD01"])
        // Omdurman, across the Nile: Um Durman locality.
        #expect(locator.locate(Coordinate(longitude: 32.48, latitude: 15.65)).first == "SD01006")
        // Port Sudan is in Red Sea state (SD10); El Fasher in North Darfur (SD02).
        #expect(locator.locate(Coordinate(longitude: 37.2164, latitude: 19.6158)).last == "SD10")
        #expect(locator.locate(Coordinate(longitude: 25.3494, latitude: 13.6279)).last == "SD02")
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func pointsOutsideSudanResolveToNothing() {
        let locator = Self.sudanLocator()
        #expect(locator.locate(Coordinate(longitude: 38.5, latitude: 20.0)).isEmpty, "Red Sea")
        #expect(locator.locate(Coordinate(longitude: 15.0444, latitude: 12.1348)).isEmpty, "N'Djamena, Chad")
        #expect(
            locator.locate(Coordinate(longitude: 21.0, latitude: 13.0)).isEmpty,
            "eastern Chad, inside Sudan's box longitude band")
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func everyLocalityCentreResolvesToItselfAndThousandLookupsAreFast() throws {
        let locator = Self.sudanLocator()
        for area in TestData.sudanAdmin2 {
            let label = try #require(area.geometry.labelPoint)
            let found = locator.locate(label)
            #expect(found.first == area["adm2_pcode"])
            #expect(found.last == area["adm1_pcode"])
        }
        var generator = TestData.SeededGenerator(state: 42)
        let points = (0..<1_000).map { _ in
            Coordinate(
                longitude: Double.random(in: 21.8...38.6, using: &generator),
                latitude: Double.random(in: 8.7...22.2, using: &generator))
        }
        var hits = 0
        for point in points where !locator.locate(point).isEmpty { hits += 1 }
        #expect(hits > 400)
    }
}
