import Domain
import Foundation
import Testing

@testable import Interop

/// ACLED data may not be redistributed: these files are written here, in the published shape.
@Suite("ACLED exports")
struct ACLEDReaderTests {
    static let currentHeader =
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"

    @Test("the current lower-case export, UTF-8, with quoted notes spanning lines")
    func current() async throws {
        let csv = [
            Self.currentHeader,
            #"SDN1001,2024-01-15,2024,1,Political violence,Battles,Armed clash,Military Forces of Sudan (2019-),,State forces,Rapid Support Forces,,Rebel group,State forces-Rebel group,,729,Northern Africa,Sudan,Khartoum,Jebel Awlia,,Jebel Awlia,15.5007,32.5599,1,Sudan Tribune,National,"Clashes near the market; ""heavy"" fire,\#nresidents fled.",5,,1705400000"#,
            "SDN1002,2024-01-16,2024,2,Political violence,Explosions/Remote violence,Air/drone strike,Military Forces of Sudan (2019-),,State forces,,,Civilians,,Civilian targeting,729,Northern Africa,Sudan,South Darfur,Nyala,,نيالا,12.05,24.88,2,Radio Dabanga,National,Strike on a market,12,,1705400000",
            "SDN1003,2024-01-17,2024,1,Strategic developments,Strategic developments,Agreement,Sudanese Armed Forces,,State forces,,,,,,729,Northern Africa,Sudan,Khartoum,,,Khartoum,15.6,32.5,3,Reuters,International,Ceasefire talks,0,,1705400000",
        ].joined(separator: "\r\n")
        var events: [ContextEvent] = []
        let summary = try await ACLEDReader.read(data: Data(csv.utf8)) { events.append($0) }
        #expect(summary.encoding == "UTF-8" && summary.problems.isEmpty && events.count == 3)
        let clash = events[0]
        #expect(
            clash.sourceID == "SDN1001" && clash.occurredOn.day == 15 && clash.timePrecision == .day
                && clash.countryCode == "729")
        #expect(
            clash.category == .actOfWar && clash.subtype == .crossfire && clash.actorType == .hostState
                && clash.fatalities == 5)
        #expect(clash.description == "Clashes near the market; \"heavy\" fire,\nresidents fled.")
        #expect(clash.geoPrecision == .exact && clash.latitude == 15.5007 && clash.casualties.isEmpty)
        let strike = events[1]
        #expect(
            strike.subtype == .aerialBombardment && strike.means == .aerialBombardment && strike.timePrecision == .week)
        #expect(strike.original["location"] == "نيالا" && strike.geoPrecision == .within25km)
        #expect(events[2].excludedFromTrends && !clash.excludedFromTrends)
    }

    @Test("the older upper-case export in Windows-1252, with day-month-year dates and numeric actor codes")
    func older() async throws {
        let csv =
            "EVENT_ID_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,SUB_EVENT_TYPE,ACTOR1,INTER1,ISO,COUNTRY,ADMIN1,ADMIN2,LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES\r\n"
            + "CAF500,15 January 2019,2019,1,Violence against civilians,Abduction/forced disappearance,Ex-Séléka,2,140,Central African Republic,Haute-Kotto,Bria,Bria,6.5423,21.9863,1,Corbeau News,Enlèvement de deux employés d'ONG,0\r\n"
        let bytes = try #require(csv.data(using: .windowsCP1252))
        #expect(String(data: bytes, encoding: .utf8) == nil)  // really not UTF-8
        var events: [ContextEvent] = []
        let summary = try await ACLEDReader.read(data: bytes) { events.append($0) }
        #expect(summary.encoding == "Windows-1252" && events.count == 1)
        let event = try #require(events.first)
        #expect(event.occurredOn.year == 2019 && event.occurredOn.month == 1 && event.occurredOn.day == 15)
        #expect(event.actorName == "Ex-Séléka" && event.actorType == .nonStateArmedGroup)
        #expect(event.category == .crime && event.subtype == .kidnapping && event.fatalities == 0)
        #expect(event.description == "Enlèvement de deux employés d'ONG" && event.original["EVENT_ID_CNTY"] == "CAF500")
    }

    @Test("a file that is not ACLED is refused; bad rows are named")
    func bad() async throws {
        await #expect(throws: SourceFileError.self) {
            _ = try await ACLEDReader.read(data: Data("a,b\n1,2\n".utf8)) { _ in }
        }
        let csv = [
            Self.currentHeader,
            "X1,15/01/2024,2024,1,,Battles,Armed clash,,,,,,,,,729,,Sudan,,,,,15,32,1,,,,1,,",
            "X2,2024-01-15,2024,1,,Battles,Armed clash,,,,,,,,,729,,Sudan,,,,,15,32,1,,,,many,,",
            "X3,2024-01-15,2024,1,,Battles,Armed clash,,,,,,,,,729,,Sudan,,,,,150,32,1,,,,1,,",
            "X4,2024-04-31,2024,1,,Battles,Armed clash,,,,,,,,,729,,Sudan,,,,,15,32,1,,,,1,,",
        ].joined(separator: "\n")
        var events: [ContextEvent] = []
        let summary = try await ACLEDReader.read(data: Data(csv.utf8)) { events.append($0) }
        #expect(events.map(\.sourceID) == ["X3"] && events.first?.latitude == nil)
        #expect(
            summary.problems.map(\.description) == [
                "row 2, event_date: rejected: No valid date: “15/01/2024”.",
                "row 3, fatalities: rejected: “many” is not a count.",
                "row 4, latitude: warning: Coordinates 150.0, 32.0 are out of range; kept without them.",
                "row 5, event_date: rejected: No valid date: “2024-04-31”.",
            ])
    }
}
