import Domain
import Foundation
import Geo
import Testing
import Views

@Suite("Displacement figure views")
struct PopulationViewTests {
    typealias F = ViewFixtures

    /// The hand-entry form as typed, `text` in every field a person types in.
    static func entry(_ text: String) -> PopulationPage.EntryValues {
        var values = PopulationPage.EntryValues()
        values.populationType = PopulationType.refugees.rawValue
        values.location = text
        values.referenceDate = text
        values.total = text
        values.source = FigureSource.government.rawValue
        values.method = FigureMethod.registration.rawValue
        values.round = text
        values.reportingDate = text
        values.originIso3 = text
        values.breakdown = ["f_0_4": "100", "m_18_59": text]
        return values
    }

    static func empty() -> PopulationPage.Model {
        .init(
            code: F.operationCode, report: [], datasets: [], dataset: nil, location: "", types: [.refugees, .idps],
            filter: [], stock: nil, rates: [], figures: [], canViewScenarios: false, canImport: false,
            formats: ["unhcr-population", "cod-ps"], entry: .init(), entryErrors: [:], entryOpen: false)
    }

    /// A page with every part shown; `text` in every string a file, a source or a person gave. A refused
    /// entry (`errors` not empty) shows the form open with what was typed.
    static func model(_ text: String, errors: [String: String] = [:]) -> PopulationPage.Model {
        let stock = PopulationPage.Model.Stock(
            chart: F.map, types: [.refugees, .idps],
            years: [
                .init(year: 2026, totals: [1_200, nil], sources: ["government", text], reported: F.moment),
                .init(year: 2015, totals: [900, 118_695], sources: ["unhcr"], reported: nil),
            ])
        return .init(
            code: F.operationCode, report: ["\(text).csv: dataset \(text)", "figures added: 17"],
            datasets: [(name: text, figures: 17), (name: FigureEntry.dataset, figures: 2)], dataset: text,
            location: text, types: [.refugees, .idps],
            filter: [("dataset", text), ("location", text), ("type", "REF"), ("type", "IDP")],
            stock: stock,
            rates: [
                .init(
                    place: text, code: "CF43", type: .idps, year: 2015, people: 34_787, population: 347_873,
                    per100k: 10_000)
            ],
            figures: [
                .init(
                    type: .refugees, place: text, code: "SSD", origin: text, referenceDate: F.moment, year: 2026,
                    total: 1_200, source: .government, method: .registration, round: 2, dataset: text),
                .init(
                    type: .idps, place: "", code: "CF71", origin: nil, referenceDate: nil, year: 2015, total: 83_908,
                    source: .unhcr, method: nil, round: nil, dataset: "unhcr_population"),
            ],
            canViewScenarios: true, canImport: true, formats: ["unhcr-population", "dtm", "hxl", "cod-ps", text],
            entry: errors.isEmpty ? PopulationPage.EntryValues() : Self.entry(text), entryErrors: errors,
            entryOpen: !errors.isEmpty)
    }

    static let refusals = [
        "population_type": "Choose a population type.",
        "reference_date": "Use a day like 2026-11-23.",
        "total": "“many” is not a whole number.",
        "breakdown": "A count cannot be negative.",
    ]

    @Test(
        "The figures page: empty, with figures, and with a refused entry, in English and Arabic",
        arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        F.snapshot(PopulationPage.view(Self.empty(), page), "empty-\(language)")
        F.snapshot(PopulationPage.view(Self.model("Kassala"), page), "page-\(language)")
        F.snapshot(PopulationPage.view(Self.model("Kassala", errors: Self.refusals), page), "refused-\(language)")
    }

    @Test("A refused field is marked invalid and points at its message; the entry form opens")
    func refusedEntry() {
        let html = PopulationPage.view(Self.model("many", errors: Self.refusals), F.chrome("en")).html
        #expect(html.contains("<details id=\"figure-entry\" open>"))
        for field in ["population_type", "reference_date", "total", "breakdown"] {
            #expect(html.contains("<p class=\"field-error\" id=\"error-\(field)\">"), "\(field)")
        }
        #expect(
            html.contains(
                "name=\"total\" type=\"text\" required inputmode=\"numeric\" pattern=\"[0-9 ,]*\""
                    + " dir=\"ltr\" value=\"many\" aria-invalid=\"true\" aria-describedby=\"error-total\">"))
        #expect(!html.contains("aria-describedby=\"error-location\""))
        let closed = PopulationPage.view(Self.model("many"), F.chrome("en")).html
        #expect(closed.contains("<details id=\"figure-entry\"><summary>") && !closed.contains("aria-invalid"))
        #expect(!PopulationPage.view(Self.empty(), F.chrome("en")).html.contains("figure-entry-form"))
    }

    @Test("The filter is repeated by the export links and the upload carries its token in its address")
    func links() {
        let html = PopulationPage.view(Self.model("Kassala"), F.chrome("en")).html
        #expect(
            html.contains(
                "href=\"/operations/SDN-TEST/population/export?dataset=Kassala&amp;location=Kassala"
                    + "&amp;type=REF&amp;type=IDP&amp;format=csv\""))
        #expect(html.contains("action=\"/operations/SDN-TEST/population?_csrf=CSRF-TOKEN\""))
        #expect(html.contains("action=\"/operations/SDN-TEST/population/figures\""))
        // Each type by its name, with its code beside it.
        #expect(
            html.contains(
                "<input type=\"checkbox\" name=\"type\" value=\"REF\" checked> Refugees <small dir=\"ltr\">REF</small></label>"
            ))
        #expect(
            html.contains(
                "<input type=\"checkbox\" name=\"type\" value=\"ASY\"> Asylum-seekers <small dir=\"ltr\">ASY</small></label>"
            ))
        let empty = PopulationPage.view(Self.empty(), F.chrome("en")).html
        #expect(empty.contains("href=\"/operations/SDN-TEST/population/export?format=hxl\""))
        #expect(!empty.contains("id=\"scenarios\""))
        #expect(!empty.contains("id=\"rates\"") && !empty.contains("stock-table"))
    }

    @Test("Hostile text in every field is escaped")
    func hostile() {
        for language in ViewFixtures.languages {
            let page = F.chrome(language)
            for text in F.hostile {
                let errors = [
                    "population_type": text, "location": text, "reference_date": text, "total": text,
                    "source": text, "method": text, "round": text, "reporting_date": text,
                    "origin_iso3": text, "breakdown": text,
                ]
                F.expectShownEscaped(text, in: PopulationPage.view(Self.model(text, errors: errors), page))
                F.expectShownEscaped(text, in: PopulationPage.view(Self.model(text), page))
            }
        }
    }
}
