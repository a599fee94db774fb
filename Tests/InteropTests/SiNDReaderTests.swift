import Domain
import Foundation
import TestFiles
import Testing

@testable import Interop

@Suite(
    "SiND aid-worker exports",
    .enabled(if: SharedDataFolder.url != nil, "../shared/data not found; real-data tests skipped"))
struct SiNDReaderTests {
    static let file = SharedDataFolder.url?.appendingPathComponent("sind/aidWorkerKIKA.json")

    @Test("every event of the real export reads; counts from strings; nationality and sex kept")
    func realExport() async throws {
        var events: [ContextEvent] = []
        let summary = try await SiNDReader.read(contentsOf: try #require(Self.file)) { events.append($0) }
        #expect(summary.rowsRead == 1299 && events.count == 1299)
        #expect(summary.problems.filter { $0.severity == .rejected }.isEmpty)
        #expect(Set(events.map(\.key)).count == events.count)
        // Totals survive the mapping, harm by harm.
        var stated = 0
        for event in events {
            for word in ["Killed", "Injured", "Kidnapped", "Arrested"] {
                stated += Int(event.original["Aid Workers \(word)"] ?? "0") ?? 0
            }
        }
        #expect(events.reduce(0) { $0 + $1.casualties.total() } == stated)
        // The first event: a PRCS paramedic killed in Gaza, national.
        let first = try #require(events.first { $0.sourceID == "44580" })
        #expect(
            first.occurredOn.year == 2024 && first.occurredOn.month == 2 && first.occurredOn.day == 26
                && first.timePrecision == .day)
        #expect(first.countryCode == "PSE" && first.countryName == "OPT" && first.admin1 == "Gaza Strip")
        #expect(first.casualties[.killed, .national, .unknown] == 1 && first.casualties.total() == 1)
        #expect(first.actorType == .hostState && first.actorName == "Israeli Defence Forces" && first.means == .firearm)
        #expect(first.category == .violence && first.subtype == .shooting && first.geoPrecision == .within25km)
        // "Geo Precision" with and without a trailing space map alike.
        #expect(
            events.filter { $0.original["Geo Precision"]?.hasPrefix("(2)") == true }.allSatisfy {
                $0.geoPrecision == .within25km
            })
        #expect(events.filter { $0.geoPrecision == .within25km }.count == 528 + 187)
        #expect(events.filter { $0.locationType == .camp }.count == 31)
        #expect(events.filter { $0.actorType == .nonStateArmedGroup }.count == 488)
    }

    @Test("sexes are placed when one nationality holds the count; bad events are named")
    func mapping() async throws {
        let json = """
            [{"SiND Event ID": 1, "Date": "2023-05-04", "Aid Workers Kidnapped": "3", "National Aid Workers Kidnapped": "3",
              "International Aid Workers Kidnapped": "0", "Female Aid Workers Kidnapped": "1", "Male Aid Workers Kidnapped": "1"},
             {"SiND Event ID": 2, "Date": "2023-05-04", "Aid Workers Killed": "2", "National Aid Workers Killed": "1",
              "International Aid Workers Killed": "1", "Female Aid Workers Killed": "1", "Male Aid Workers Killed": "1"},
             {"SiND Event ID": 3, "Date": "May 2023"},
             {"SiND Event ID": 4, "Date": "2023-05-04", "Aid Workers Injured": "x"},
             {"SiND Event ID": 5, "Date": "2023-05-04", "Aid Workers Injured": "2"}]
            """
        var events: [ContextEvent] = []
        let summary = try await SiNDReader.read(data: Data(json.utf8)) { events.append($0) }
        #expect(events.map(\.sourceID) == ["1", "2", "5"])
        let kidnap = events[0].casualties
        #expect(
            kidnap[.kidnapped, .national, .female] == 1 && kidnap[.kidnapped, .national, .male] == 1
                && kidnap[.kidnapped, .national, .unknown] == 1)
        #expect(events[0].category == .crime && events[0].subtype == .kidnapping)
        let killed = events[1].casualties
        #expect(
            killed[.killed, .national, .unknown] == 1 && killed[.killed, .international, .unknown] == 1
                && killed.total(sex: .female) == 0)
        #expect(events[2].casualties[.injured, .national, .unknown] == 2)
        #expect(
            summary.problems.map(\.description) == [
                "row 3, Date: rejected: No valid date: “May 2023”.",
                "row 4, Aid Workers Injured: rejected: “x” is not a count.",
                "row 5, Aid Workers Injured: warning: 2 of 2 have no nationality; counted as national.",
            ])
        await #expect(throws: SourceFileError.self) {
            _ = try await SiNDReader.read(data: Data(#"{"a": 1}"#.utf8)) { _ in }
        }
        await #expect(throws: SourceFileError.self) {
            _ = try await SiNDReader.read(data: Data(#"[{"name": 1}]"#.utf8)) { _ in }
        }
        await #expect(throws: SourceFileError.self) {
            _ = try await SiNDReader.read(data: Data("not json".utf8)) { _ in }
        }
    }
}
