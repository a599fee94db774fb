import Domain
import Foundation
import Testing

@Suite("The hand-entered figure decoder (page and API alike)")
struct FigureInputTests {
    /// 2026-11-23 00:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_795_392_000)

    /// The caller's place finder, as the app's resolver answers: a country by its code, one admin
    /// area by its P-code, anything else as written.
    static func locate(_ text: String) -> FigureLocation {
        let upper = text.uppercased()
        if upper.count == 3, PopulationCountries.isKnown(upper) {
            return FigureLocation(kind: .country, code: upper, name: upper)
        }
        if upper == "SD01" { return FigureLocation(kind: .adminArea, code: "SD01", name: "Khartoum") }
        return FigureLocation(kind: .place, code: text, name: text)
    }

    static func good() -> FigureInput {
        var input = FigureInput()
        input.populationType = "ref"
        input.location = "ssd"
        input.referenceDate = "2026-11-01"
        input.total = "1,200"
        input.source = "government"
        input.method = "registration"
        input.round = "2"
        input.reportingDate = "2026-11-05"
        input.originISO3 = " sdn "
        input.breakdown = ["f_0_4": "100", "m_0_4": ""]
        return input
    }

    static func draft(_ input: FigureInput) throws(ValidationErrors) -> FigureEntry {
        try input.draft(now: now) { locate($0) }
    }

    /// The fields refused, or none.
    static func fields(_ input: FigureInput) -> Set<String> {
        do {
            _ = try draft(input)
            return []
        } catch {
            return Set(error.errors.compactMap(\.field))
        }
    }

    @Test("a good figure: the type in any case, the place found, grouped thousands, empty is not given")
    func good() throws {
        let entry = try Self.draft(Self.good())
        let expected = FigureEntry(
            populationType: .refugees, location: FigureLocation(kind: .country, code: "SSD", name: "SSD"),
            referenceDate: try #require(DateText.day("2026-11-01")), total: 1_200, source: .government,
            method: .registration, round: 2, reportingDate: try #require(DateText.day("2026-11-05")), originISO3: "SDN",
            breakdown: ["f_0_4": 100])
        #expect(entry == expected)
        var plain = FigureInput()
        plain.populationType = "IDP"
        plain.location = "Gedaref town"
        plain.referenceDate = "2026-11-02"
        plain.total = "0"
        let own = try Self.draft(plain)
        #expect(own.source == .own && own.method == nil && own.round == nil)
        #expect(own.reportingDate == nil && own.breakdown.isEmpty)
        #expect(own.location == FigureLocation(kind: .place, code: "Gedaref town", name: "Gedaref town"))
    }

    @Test("what is required: the type, the place, the day and the number of people")
    func required() {
        #expect(Self.fields(FigureInput()) == ["population_type", "location", "reference_date", "total"])
    }

    @Test("bad input: every field named at once, then the entry's rules for the fields still clean")
    func refused() {
        var input = FigureInput()
        input.populationType = "XYZ"
        input.location = " "
        input.referenceDate = "1 Nov"
        input.total = "many"
        input.source = "rumour"
        input.method = "guess"
        input.round = "0"
        input.reportingDate = "soon"
        input.originISO3 = "QQQ"
        input.breakdown = ["f_0_4": "-", "x_9": "3"]
        #expect(
            Self.fields(input) == [
                "population_type", "location", "reference_date", "total", "source", "method",
                "round", "reporting_date", "origin_iso3", "breakdown",
            ])
        var loose = Self.good()
        loose.total = "1,2000"
        #expect(Self.fields(loose) == ["total"], "a thousands separator groups three digits")

        // The entry's own rules: a breakdown larger than the total, a day to come, reported before that day.
        var rules = Self.good()
        rules.total = "10"
        rules.breakdown = ["f_0_4": "11"]
        rules.referenceDate = "2026-12-01"
        rules.reportingDate = "2026-11-05"
        #expect(Self.fields(rules) == ["breakdown", "reference_date", "reporting_date"])
    }

    @Test("round trip: the input of an entry gives the same entry, wherever it counts people")
    func roundTrip() throws {
        var area = Self.good()
        area.location = "sd01"
        area.breakdown = [:]
        var place = Self.good()
        place.location = "Gedaref town"
        place.source = ""
        place.method = ""
        place.round = ""
        place.reportingDate = ""
        place.originISO3 = ""
        for input in [Self.good(), area, place] {
            let entry = try Self.draft(input)
            #expect(try Self.draft(FigureInput(entry)) == entry, "\(input.location)")
        }
    }
}
