import Foundation
import Geo
import Testing

@testable import Interop

@Suite struct BoundaryReaderTests {
    static let sudanAdmin1Pcodes: Set<String> = [
        "SD01", "SD02", "SD03", "SD04", "SD05", "SD06", "SD07", "SD08", "SD09", "SD10",
        "SD11", "SD12", "SD13", "SD14", "SD15", "SD16", "SD17", "SD18", "SD19",
    ]

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func sudanAdmin0() throws {
        let report = try BoundaryReader.read(TestData.file("sdn/sdn_admin0.geojson"))
        #expect(report.features.count == 1)
        #expect(report.detectedLevel == 0 && report.levelWasDetected)
        #expect(report.problems.isEmpty, "\(report.problems)")
        let sudan = try #require(report.features.first)
        #expect(sudan.pcode == "SD" && sudan.parentPcode == nil && sudan.name == "Sudan")
        #expect(sudan.names == ["en": "Sudan", "ar": "السودان"])
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func sudanAdmin1() throws {
        let report = try BoundaryReader.read(TestData.file("sdn/sdn_admin1.geojson"), knownParentPcodes: ["SD"])
        #expect(report.features.count == 19)
        #expect(report.featuresPerLevel == [1: 19])
        #expect(report.detectedLevel == 1 && report.levelWasDetected)
        #expect(report.isImportable, "\(report.problems)")
        #expect(Set(report.features.map(\.pcode)) == Self.sudanAdmin1Pcodes)
        #expect(report.features.allSatisfy { $0.parentPcode == "SD" })
        let khartoum = try #require(report.features.first { $0.pcode == "SD01" })
        #expect(khartoum.name == "Khartoum")
        #expect(khartoum.names["ar"] == "الخرطوم")
        let redSea = try #require(report.features.first { $0.pcode == "SD10" })
        #expect(redSea.names == ["en": "Red Sea", "ar": "البحر الأحمر"])
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func sudanAdmin2() throws {
        let data = TestData.file("sdn/sdn_admin2.geojson")
        var report: BoundaryImportReport?
        report = try BoundaryReader.read(data, knownParentPcodes: Self.sudanAdmin1Pcodes)
        let admin2 = try #require(report)
        #expect(admin2.features.count == 189)
        #expect(admin2.featuresPerLevel == [2: 189])
        #expect(admin2.detectedLevel == 2)
        #expect(admin2.problems.isEmpty, "\(admin2.problems)")
        #expect(admin2.features.allSatisfy { Self.sudanAdmin1Pcodes.contains($0.parentPcode ?? "") })
        #expect(admin2.features.allSatisfy { $0.pcode.hasPrefix($0.parentPcode ?? "-") })
        let abassiya = try #require(admin2.features.first { $0.pcode == "SD07090" })
        #expect(
            abassiya.index == 0 && abassiya.name == "Abassiya" && abassiya.names["ar"] == "العباسية"
                && abassiya.parentPcode == "SD07")
        #expect(admin2.features.allSatisfy { $0.names["ar"]?.isEmpty == false })
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func sudanAdmin2WithoutKnownParentsReportsEveryOrphan() throws {
        let report = try BoundaryReader.read(TestData.file("sdn/sdn_admin2.geojson"))
        #expect(report.problems.count == 189)
        #expect(report.problems.allSatisfy { $0.kind == .orphanParent })
        #expect(
            report.problems.first?.description
                == "feature 0 (Abassiya, SD07090): unknown parent P-code: parent SD07 is neither a level-1 feature in this file nor an existing area"
        )
        #expect(!report.isImportable)
        #expect(report.features.count == 189)
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func explicitLevelThatDoesNotMatch() throws {
        let report = try BoundaryReader.read(
            TestData.file("sdn/sdn_admin2.geojson"), level: 1, knownParentPcodes: ["SD"])
        #expect(report.detectedLevel == 1 && !report.levelWasDetected)
        #expect(report.features.isEmpty)
        #expect(report.problems.count == 189 && report.problems.allSatisfy { $0.kind == .levelMismatch })
        #expect(report.problems.first?.detail == "has adm2_pcode \"SD07090\", so it looks like level 2, not 1")
    }

    @Test(.enabled(if: TestData.available, TestData.skipMessage))
    func naturalEarthCountries() throws {
        let report = try BoundaryReader.read(TestData.file("naturalearth/ne_110m_admin_0_countries.geojson"))
        #expect(report.features.count == 177)
        #expect(report.featuresPerLevel == [0: 177])
        #expect(report.detectedLevel == 0 && report.levelWasDetected)
        // Exactly one invalid feature: Sudan's polygon crosses itself.
        #expect(report.problems.count == 1)
        let problem = try #require(report.problems.first)
        #expect(problem.kind == .invalidGeometry)
        #expect(problem.featureName == "Sudan" && problem.pcode == "SDN" && problem.featureIndex == 139)
        #expect(
            problem.description.hasPrefix(
                "feature 139 (Sudan, SDN): invalid geometry: ring 0 of polygon 0 intersects itself near "))
        // ADM0_A3 is the code, since ISO_A3 is -99 for France, Norway and Kosovo.
        let byName = Dictionary(report.features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName["France"]?.pcode == "FRA")
        #expect(byName["Norway"]?.pcode == "NOR")
        #expect(byName["Kosovo"]?.pcode == "KOS")
        // This release of the file has no NAME_AR/NAME_FR/NAME_ES columns, only NAME.
        #expect(byName["Sudan"]?.names == ["en": "Sudan"])
        #expect(Set(report.features.map(\.pcode)).count == 177)
    }

    @Test func syntheticProblems() throws {
        let data = TestData.collection([
            TestData.feature("\"adm1_pcode\": \"XY01\", \"adm1_name\": \"North\", \"adm0_pcode\": \"XY\""),
            TestData.feature(
                "\"adm1_pcode\": \"XY01\", \"adm1_name\": \"South\", \"adm0_pcode\": \"XY\"",
                geometry: TestData.square(30, 12)),
            TestData.feature(
                "\"adm1_pcode\": \"XY03\", \"adm1_name\": \"Camp\", \"adm0_pcode\": \"XY\"",
                geometry: "{\"type\": \"Point\", \"coordinates\": [30, 10]}"),
            TestData.feature("\"adm1_pcode\": null, \"adm1_name\": \"Nameless\", \"adm0_pcode\": \"XY\""),
            TestData.feature(
                "\"adm1_pcode\": \"XY05\", \"adm1_name\": \"Void\", \"adm0_pcode\": \"XY\"", geometry: nil),
            TestData.feature(
                "\"adm1_pcode\": \"XY06\", \"adm1_name\": \"Lost\", \"adm0_pcode\": \"ZZ\"",
                geometry: TestData.square(40, 12)),
            TestData.feature(
                "\"adm1_pcode\": \"XY07\", \"adm1_name\": \"Twisted\", \"adm0_pcode\": \"XY\"",
                geometry: "{\"type\": \"Polygon\", \"coordinates\": [[[0,0],[2,2],[2,0],[0,2],[0,0]]]}"),
        ])
        let report = try BoundaryReader.read(data, knownParentPcodes: ["XY"])
        #expect(
            report.problems.map(\.description) == [
                "feature 1 (South, XY01): duplicate P-code: XY01 is also used by feature 0 (North)",
                "feature 2 (Camp, XY03): unsupported geometry: Point geometry; boundaries must be Polygon or MultiPolygon",
                "feature 3 (Nameless): missing P-code: no adm1_pcode value",
                "feature 4 (Void, XY05): missing geometry: the geometry is null",
                "feature 5 (Lost, XY06): unknown parent P-code: parent ZZ is neither a level-0 feature in this file nor an existing area",
                "feature 6 (Twisted, XY07): invalid geometry: ring 0 of polygon 0 intersects itself near 1.0000, 1.0000",
            ])
        #expect(report.features.map(\.pcode) == ["XY01", "XY01", "XY06", "XY07"])
        #expect(!report.isImportable)
    }

    @Test func mixedLevelFileReportsTheCoarserFeature() throws {
        let data = TestData.collection([
            TestData.feature("\"adm0_pcode\": \"XY\", \"adm0_name\": \"Country\""),
            TestData.feature(
                "\"adm1_pcode\": \"XY01\", \"adm0_pcode\": \"XY\", \"ADM1_NAME\": \"Province\", \"adm1_name1\": \"Provincia\", \"lang1\": \"es\""
            ),
        ])
        // Level 1 is detected for the whole file; the level-0 feature lacks adm1_pcode and is reported, not
        // silently imported at another level, so its P-code does not count as a parent either.
        let report = try BoundaryReader.read(data)
        #expect(report.detectedLevel == 1)
        #expect(report.problems.map(\.kind) == [.missingPcode, .orphanParent])
        let province = try #require(report.features.first)
        #expect(province.names == ["en": "Province", "es": "Provincia"])
    }

    @Test func parentsFoundInTheSameFileWhenLevelIsGiven() throws {
        let data = TestData.collection([
            TestData.feature("\"adm1_pcode\": \"XY01\", \"adm0_pcode\": \"XY\", \"adm1_name\": \"North\""),
            TestData.feature(
                "\"adm1_pcode\": \"XY02\", \"adm0_pcode\": \"XY\", \"adm1_name\": \"South\"",
                geometry: TestData.square(30, 12)),
        ])
        let report = try BoundaryReader.read(data, level: 1, knownParentPcodes: ["XY"])
        #expect(report.isImportable)
        #expect(report.detectedLevel == 1 && !report.levelWasDetected)
        #expect(report.features.map(\.parentPcode) == ["XY", "XY"])
    }

    @Test func naturalEarthStyleNamesAndCodes() throws {
        let data = TestData.collection([
            TestData.feature(
                "\"ADM0_A3\": \"SDN\", \"ISO_A3\": \"SDN\", \"NAME\": \"Sudan\", \"NAME_AR\": \"السودان\", \"NAME_FR\": \"Soudan\", \"NAME_ES\": \"Sudán\", \"NAME_LONG\": \"Republic of the Sudan\""
            ),
            TestData.feature(
                "\"ADM0_A3\": \"-99\", \"ISO_A3\": \"TCD\", \"NAME\": \"Chad\"", geometry: TestData.square(20, 12)),
            TestData.feature(
                "\"ADM0_A3\": \"-99\", \"ISO_A3\": \"-99\", \"NAME\": \"Nowhere\"", geometry: TestData.square(40, 12)),
        ])
        let report = try BoundaryReader.read(data)
        #expect(report.detectedLevel == 0 && report.levelWasDetected)
        #expect(report.features.map(\.pcode) == ["SDN", "TCD"])
        #expect(report.features[0].names == ["en": "Sudan", "ar": "السودان", "fr": "Soudan", "es": "Sudán"])
        #expect(
            report.problems.map(\.description) == ["feature 2 (Nowhere): missing P-code: no ADM0_A3 or ISO_A3 value"])
    }

    @Test func namesFallBackToReferenceNameThenPcode() throws {
        let data = TestData.collection([
            TestData.feature(
                "\"adm1_pcode\": \"XY01\", \"adm0_pcode\": \"XY\", \"adm1_name\": \"الشمال\", \"lang\": \"ar\", \"adm1_ref_name\": \"Ash Shamal\""
            ),
            TestData.feature("\"adm1_pcode\": 12, \"adm0_pcode\": \"XY\""),
        ])
        let report = try BoundaryReader.read(data, knownParentPcodes: ["XY"])
        #expect(report.problems.isEmpty)
        #expect(report.features.map(\.name) == ["Ash Shamal", "12"])
        #expect(report.features[0].names == ["ar": "الشمال"])
    }
}
