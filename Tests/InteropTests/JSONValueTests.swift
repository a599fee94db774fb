import Testing

@testable import Interop

@Suite struct JSONValueTests {
    @Test func stringValues() {
        #expect(JSONValue.number(5).stringValue == "5")
        #expect(JSONValue.number(-12).stringValue == "-12")
        #expect(JSONValue.number(5.25).stringValue == "5.25")
        #expect(JSONValue.string("SD01").stringValue == "SD01")
        #expect(JSONValue.bool(true).stringValue == "true")
        #expect(JSONValue.null.stringValue == nil)
        #expect(JSONValue.array([.number(1)]).stringValue == nil)
        #expect(JSONValue.object([:]).stringValue == nil)
    }

    @Test func booleansAndNumbersAreTold() throws {
        let features = try GeoJSONReader.features(
            from: TestData.collection([
                TestData.feature(
                    "\"a\": true, \"b\": 1, \"c\": 0, \"d\": null, \"e\": [false, 2.5], \"f\": {\"g\": \"h\"}")
            ]))
        let properties = try #require(features.first).properties
        #expect(properties["a"] == .bool(true))
        #expect(properties["b"] == .number(1))
        #expect(properties["c"] == .number(0))
        #expect(properties["d"] == .null)
        #expect(properties["e"] == .array([.bool(false), .number(2.5)]))
        #expect(properties["f"] == .object(["g": .string("h")]))
    }
}
