import Domain
import Foundation
import Testing

@Suite("EPoA activity rules")
struct ActivityRulesTests {
    static func valid() -> ActivityInput {
        var input = ActivityInput()
        input.name = "HSP at Gallabat"
        input.kind = "hsp"
        input.sector = "migration_and_displacement"
        input.area = "sd12"
        input.populationTypes = ["REF", "MIT"]
        input.startOn = "2026-05-01"
        input.implementer = "Sudanese Red Crescent Society"
        input.targeted = "1,000"
        input.reached = "400"
        return input
    }

    @Test("a valid activity: P-code upper-cased, grouped digits read, progress from reach and target")
    func valid() throws {
        let (draft, warnings) = try Self.valid().decoded()
        #expect(draft.areaPcode == "SD12" && draft.targeted == 1_000 && draft.reached == 400)
        #expect(draft.progress == 0.4)
        #expect(warnings.isEmpty)
        #expect(try ActivityInput(draft).decoded().draft == draft)
    }

    @Test("negative counts, unknown bins and totals that are not their sum are refused, field by field")
    func refused() throws {
        var input = Self.valid()
        input.targeted = "-5"
        input.scheme = "sex"
        input.reachedBins = ["f": "10", "x_9": "3"]
        input.reached = "11"
        input.endOn = "2026-04-01"
        input.populationTypes = []
        let errors = try #require(throws: ValidationErrors.self) { try input.decoded() }
        #expect(
            Set(errors.errors.compactMap(\.field)) == [
                "targeted", "reached_bins", "reached", "end_on", "population_types",
            ])
    }

    @Test("bins make the total when it is left empty; reach far above target is a warning, not a refusal")
    func binsAndWarnings() throws {
        var input = Self.valid()
        input.scheme = "unhcr"
        input.targeted = ""
        input.targetedBins = ["f_0_4": "100", "m_18_59": "150"]
        input.reached = "600"
        let (draft, warnings) = try input.decoded(warnAbove: 1.5)
        #expect(draft.targeted == 250)
        #expect(warnings.map(\.field) == ["reached"])
        #expect(warnings[0].message.contains("600") && warnings[0].message.contains("250"))
        input.reachedByType = ["REF": "500", "MIT": "200"]
        input.targetedByType = ["REF": "200", "HST": "60"]
        let errors = try #require(throws: ValidationErrors.self) { try input.decoded() }
        #expect(errors.errors.map(\.field) == ["targeted_by_type", "reached_by_type"])
        input.reachedByType = ["REF": "500", "mit": "100"]
        input.targetedByType = ["REF": "200", "HST": "50"]
        let (byType, _) = try input.decoded()
        #expect(byType.reachedByType == [.refugees: 500, .migrantsInTransit: 100])
        #expect(byType.targetedByType == [.refugees: 200, .hostCommunity: 50])
    }
}
