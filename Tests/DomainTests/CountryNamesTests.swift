import Domain
import Testing

@Suite("Country names in the reader's language")
struct CountryNamesTests {
    @Test("a country is named in English, French, Spanish and Arabic; an unknown code has no name")
    func named() {
        #expect(Countries.name("SDN", in: "en") == "Sudan")
        #expect(Countries.name("SDN", in: "fr") == "Soudan")
        #expect(Countries.name("SDN", in: "es") == "Sudán")
        #expect(Countries.name("SDN", in: "ar") == "السودان")
        #expect(Countries.name("EGY", in: "ar") == "مصر")
        #expect(Countries.name("ZZZ", in: "ar") == nil)
        // Too small for the 1:110m map, so no alpha-2 code here: the English name rather than none.
        #expect(Countries.name("ABW", in: "ar") == "Aruba")
    }

    @Test("a place written in French, Spanish or Arabic is known as its country")
    func translatedNames() {
        #expect(Countries.codesByTranslatedName["مصر"] == "EGY")
        #expect(Countries.codesByTranslatedName["Tchad"] == "TCD")
        #expect(Countries.codesByTranslatedName["Etiopía"] == "ETH")
        #expect(Countries.codesByTranslatedName["Sudan"] == nil, "English names are in Countries.names")
    }
}
