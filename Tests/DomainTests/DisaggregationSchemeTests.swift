import Domain
import Testing

@Suite("Disaggregation schemes")
struct DisaggregationSchemeTests {
    @Test("UNHCR's bins are women then men across the one list of age brackets, written out by hand here")
    func unhcrBins() {
        #expect(DisaggregationScheme.unhcrAgeBrackets == ["0_4", "5_11", "12_17", "18_59", "60", "other"])
        #expect(
            DisaggregationScheme.unhcr.bins == [
                "f_0_4", "f_5_11", "f_12_17", "f_18_59", "f_60", "f_other",
                "m_0_4", "m_5_11", "m_12_17", "m_18_59", "m_60", "m_other",
            ])
        #expect(DisaggregationScheme.sex.bins == ["f", "m"] && DisaggregationScheme.notDisaggregated.bins.isEmpty)
    }
}
