import Domain
import Foundation
import TestFiles
import Testing

@testable import Interop

@Suite("Incident exchange files (CSV, HXL, GeoJSON) and the generic HXL reader")
struct IncidentExchangeTests {
    static func record(
        _ id: String, title: String? = nil, latitude: Double? = 15.50071234, longitude: Double? = 32.55991234
    ) -> IncidentExchangeRecord {
        var casualties = Casualties()
        casualties[.killed, .national, .female] = 1
        casualties[.injured, .international, .unknown] = 2
        return IncidentExchangeRecord(
            source: "own", id: id, occurredAt: Date(timeIntervalSince1970: 1_763_650_800), timePrecision: .minute,
            countryISO3: "SDN",
            areaPcode: "SD01001", latitude: latitude, longitude: longitude, geoPrecision: .exact, locationType: .road,
            category: .violence,
            subtype: .shooting, actorType: .criminal, means: .firearm, severity: .high, serious: true,
            verification: .verified,
            status: .analysed, casualties: casualties, title: title, description: "Two vehicles, one, \"quoted\"\nline")
    }

    func read(_ text: String, source: String = "partner.csv") async throws -> (
        HXLIncidentReader.Summary, [ContextEvent]
    ) {
        var events: [ContextEvent] = []
        let summary = try await HXLIncidentReader.read(string: text, source: .init(rawValue: source)) {
            events.append($0)
        }
        return (summary, events)
    }

    func export(_ records: [IncidentExchangeRecord], _ format: IncidentExchange.Format, decimals: Int = 6) -> String {
        var writer = IncidentExchange.Writer(format: format, rounding: .init(decimals: decimals))
        return writer.begin() + records.map { writer.write($0) }.joined() + writer.end()
    }

    @Test("what the HXL writer writes, the HXL reader reads back: facts, casualty cells and quoted text")
    func roundTrip() async throws {
        let text = export([Self.record("14", title: "Shots at checkpoint")], .hxl)
        let (summary, events) = try await read(text)
        #expect(summary.rowsRead == 1 && summary.problems.isEmpty)
        let event = try #require(events.first)
        #expect(event.source.rawValue == "partner.csv" && event.sourceID == "14")
        #expect(event.occurredOn == DateComponents(year: 2025, month: 11, day: 20) && event.timePrecision == .minute)
        #expect(
            event.category == .violence && event.subtype == .shooting && event.actorType == .criminal
                && event.means == .firearm)
        #expect(
            event.casualties[.killed, .national, .female] == 1
                && event.casualties[.injured, .international, .unknown] == 2)
        #expect(event.casualties.total() == 3 && event.fatalities == nil)
        #expect(event.latitude == 15.500712 && event.longitude == 32.559912)
        #expect(event.countryISO3 == "SDN")
        #expect(event.description == "Shots at checkpoint: Two vehicles, one, \"quoted\"\nline")
        #expect(event.original["title"] == "Shots at checkpoint")
    }

    @Test("free text that a spreadsheet would run is defused; codes and negative coordinates are not")
    func formulaInjection() async throws {
        let hostile = Self.record(
            "=HYPERLINK(\"http://evil\")", title: "+cmd|' /C calc'!A0", latitude: -1.5, longitude: -70.25)
        let csv = export([hostile], .csv)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[1].contains("\"'=HYPERLINK(\"\"http://evil\"\")\""))
        #expect(lines[1].contains("'+cmd|' /C calc'!A0"))
        #expect(lines[1].contains(",-1.5,-70.25,"), "coordinates stay numbers")
        for prefix in ["=", "+", "-", "@", "\t", "\r"] {
            #expect(IncidentExchange.defused(prefix + "x") == "'" + prefix + "x")
        }
        #expect(IncidentExchange.defused("Kassala") == "Kassala")
        // And the reader takes the apostrophe off again.
        let (_, events) = try await read(export([hostile], .hxl))
        #expect(events.first?.sourceID == "=HYPERLINK(\"http://evil\")")
    }

    @Test("every CSV cell of every export is guarded, codes included; signed numbers stay numbers")
    func everyCellGuarded() {
        let figure = PopulationFigure(
            dataset: "@SUM(1+1)", key: "k", source: .own, populationType: .idps,
            location: FigureLocation(kind: .place, code: "=cmd|' /C calc'!A0", name: "Kosti"), originISO3: "-SDN",
            year: 2025, total: 12)
        for format in [FigureExchange.Format.csv, .hxl] {
            let text =
                FigureExchange.begin(format)
                + FigureExchange.write([FigureExportRow(figure: figure)], format, first: true)
            #expect(text.contains("'=cmd|' /C calc'!A0"), "location_code in \(format)")
            #expect(text.contains("'@SUM(1+1)") && text.contains("'-SDN"))
            #expect(!text.contains(",=") && !text.contains(",@") && !text.contains(",-S"))
        }
        for number in ["-1.5", "+3", "-70.25", "-0"] { #expect(IncidentExchange.defused(number) == number) }
        for text in ["-", "+", "-1e9", "-inf", "-1.5+A1", "--1"] {
            #expect(IncidentExchange.defused(text) == "'" + text)
        }
    }

    @Test("coordinates are rounded to the chosen decimals in every format")
    func rounding() async throws {
        let record = Self.record("1")
        #expect(export([record], .csv, decimals: 2).contains(",15.5,32.56,"))
        #expect(export([record], .csv, decimals: 0).contains(",16,33,"))
        let geojson = export([record, Self.record("2", latitude: nil, longitude: nil)], .geojson, decimals: 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(geojson.utf8)) as? [String: Any])
        let features = try #require(object["features"] as? [[String: Any]])
        #expect(features.count == 2)
        let geometry = try #require(features[0]["geometry"] as? [String: Any])
        #expect(geometry["coordinates"] as? [Double] == [32.56, 15.501])
        #expect(features[1]["geometry"] is NSNull, "an incident without coordinates is kept, without a geometry")
        let properties = try #require(features[0]["properties"] as? [String: Any])
        #expect(
            properties["killed"] as? Int == 1 && properties["affected"] as? Int == 3
                && properties["category"] as? String == "violence")
        #expect(properties["latitude"] == nil, "the geometry carries the position")
    }

    @Test("the HXL row may come after header rows, columns in any order, attributes in any order")
    func tagsFoundAnywhere() async throws {
        let text = """
            Partner incident sheet,,,,
            Date,Kind,People killed,Lat,Lon
            #date+occurred,#event+category,#affected+killed,#geo+lat,#geo+lon
            2025-03-04,crime,2,15.1,32.2
            2024-11,act_of_war,0,,
            """
        let (summary, events) = try await read(text)
        #expect(summary.rowsRead == 2 && summary.eventsRead == 2)
        #expect(events[0].fatalities == 2, "a killed total without nationality cells is read as people killed")
        #expect(events[1].timePrecision == .month)
        #expect(events[0].original["People killed"] == "2", "the original values are kept under the file's headers")
        #expect(events[0].sourceID.hasPrefix("row-") && events[0].sourceID != events[1].sourceID)
    }

    @Test("bad rows get a reason naming row and field; good rows are kept")
    func badRows() async throws {
        let text = """
            #event+id,#date+occurred,#event+category,#affected+killed+national+f,#affected+killed,#geo+lat,#geo+lon
            1,2025-02-30,crime,0,0,,
            2,2025-03-01,crime,-1,0,,
            3,2025-03-01,riot,0,0,,
            4,2025-03-01,crime,1,5,,
            5,2025-03-01,crime,0,0,1.407.092.855,32.1
            6,2025-03-01,crime,0,0,15.2,32.1
            """
        let (summary, events) = try await read(text)
        #expect(events.map(\.sourceID) == ["4", "5", "6"])
        let messages = summary.problems.map(\.description)
        #expect(messages.contains("row 2, date: rejected: “2025-02-30” is not a date (2026-11-20, 2026-11 or 2026)."))
        #expect(messages.contains("row 3, killed_national_female: rejected: “-1” is not a count."))
        #expect(messages.contains { $0.hasPrefix("row 4, category: rejected: “riot” is not an incident category") })
        #expect(messages.contains("row 5, killed: warning: killed is 5 but the counts add up to 1."))
        #expect(
            messages.contains {
                $0.hasPrefix("row 6, latitude: warning: “1.407.092.855, 32.1” are not decimal coordinates")
            })
        #expect(events[1].latitude == nil && events[2].latitude == 15.2)
    }

    @Test("a file that is not HXL, or lacks the date or category, is refused whole")
    func refusedFiles() async throws {
        await #expect(throws: SourceFileError.self) { try await read("Date,Kind\n2025-01-01,crime\n") }
        do {
            _ = try await read("#date+occurred,#geo+lat\n2025-01-01,1\n")
            Issue.record("a file without categories was read")
        } catch let error as SourceFileError {
            #expect(error.message == "The HXL file has no column tagged #event+category.")
        }
    }

    @Test("country codes in every form the sources use become ISO alpha-3")
    func countryCodes() {
        #expect(Countries.alpha3(from: "SD") == "SDN")  // AWSD
        #expect(Countries.alpha3(from: "729") == "SDN")  // ACLED
        #expect(Countries.alpha3(from: "004") == "AFG")
        #expect(Countries.alpha3(from: "sdn") == "SDN")  // SiND
        #expect(Countries.alpha3(from: "XK") == "XKX")
        #expect(Countries.alpha3(from: "ZZ") == nil && Countries.alpha3(from: "") == nil)
    }

    @Test("coordinates are written as printf would round them, at every precision, without its cost")
    func roundingAgreesWithPrintf() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [
            0, -0.0, 1e-9, -1e-9, 0.5, -0.5, 2.5, 179.9999995, -179.9999995, 13.1388, 32.5591234, 15.0000005, 1e20,
            -1e20,
        ]
        for _ in 0..<20_000 { values.append(Double.random(in: -180...180, using: &generator)) }
        // Seven-decimal ties, where a scaled product's rounding could tip.
        for i in 0..<2_000 { values.append(Double(i) / 10_000_000 + 13.0000005) }
        for decimals in 0...6 {
            let rounding = IncidentExchange.Rounding(decimals: decimals)
            let differing = values.filter { rounding.format($0) != rounding.printf($0) }
            #expect(differing.isEmpty, "\(decimals) decimals: \(differing.prefix(5))")
        }
        #expect(IncidentExchange.Rounding(decimals: 2).format(-0.001) == "0")
        #expect(IncidentExchange.Rounding(decimals: 6).format(-13.25) == "-13.25")
        #expect(IncidentExchange.Rounding(decimals: 0).format(15.7) == "16")
    }

    @Test("dates are written at their precision as the UTC Gregorian calendar says, before and after 1970")
    func datesAgreeWithCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for seconds in stride(from: -2_208_988_800, through: 4_102_444_800, by: 7_777_777) + [
            -1, 0, 59, 86_399, 1_763_650_800,
        ] {
            let date = Date(timeIntervalSince1970: Double(seconds) + 0.25)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            let day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
            #expect(IncidentExchange.date(date, .minute) == day + String(format: "T%02d:%02dZ", c.hour!, c.minute!))
            #expect(IncidentExchange.date(date, .day) == day)
            #expect(IncidentExchange.date(date, .month) == String(day.prefix(7)))
            #expect(IncidentExchange.date(date, .year) == String(day.prefix(4)))
        }
    }
}
