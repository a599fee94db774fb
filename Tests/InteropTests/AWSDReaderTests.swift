import CSV
import Domain
import Foundation
import TestFiles
import Testing

@testable import Interop

@Suite("AWSD exports", .enabled(if: SharedDataFolder.url != nil, "../shared/data not found; real-data tests skipped"))
struct AWSDReaderTests {
    static let folder = SharedDataFolder.url?.appendingPathComponent("awsd")

    func read(_ name: String) async throws -> (AWSDReader.Summary, [ContextEvent]) {
        var events: [ContextEvent] = []
        let summary = try await AWSDReader.read(contentsOf: try #require(Self.folder).appendingPathComponent(name)) {
            events.append($0)
        }
        return (summary, events)
    }

    @Test("the full export with its HXL row: every row read, mapped, and an id that is not unique kept apart")
    func fullExport() async throws {
        let (summary, events) = try await read("awsd_2025-08_hxl.csv")
        #expect(summary.hadHXLRow && summary.hasDetainedColumns)
        #expect(summary.rowsRead == 4954 && summary.eventsRead == 4954 && events.count == 4954)
        #expect(summary.problems.filter { $0.severity == .rejected }.isEmpty)
        // Incident 4664 names two incidents; the key keeps them apart.
        let twins = events.filter { $0.sourceID == "4664" }
        #expect(twins.count == 2 && Set(twins.map(\.key)).count == 2)
        #expect(Set(events.map(\.key)).count == events.count)
        // Blank month or day lowers the precision instead of inventing a date.
        #expect(events.filter { $0.timePrecision == .year }.count == 52)
        #expect(events.filter { $0.latitude == nil }.count == 13)
        // Casualties agree with AWSD's own totals (the file obeys them; no warnings).
        #expect(summary.problems.isEmpty)
        let totals = events.reduce(0) { $0 + $1.casualties.total() }
        let stated = events.reduce(0) { $0 + (Int($1.original["Total affected"] ?? "0") ?? 0) }
        #expect(totals == stated)
        // Values with stray spaces or capitals still map: "Landmine ", "Host State".
        #expect(events.filter { $0.means == .landmine }.count == 39)
        #expect(events.filter { $0.original["Actor type"] == "Host State" }.allSatisfy { $0.actorType == .hostState })
        #expect(events.filter { $0.subtype == .aerialBombardment }.count == 515)
    }

    @Test("a row maps onto our vocabularies and keeps its original values")
    func oneRow() async throws {
        let (summary, events) = try await read("awsd_2025-08_afghanistan.csv")
        #expect(!summary.hadHXLRow && summary.rowsRead == 617 && events.count == 617)
        let first = try #require(events.first { $0.sourceID == "27" })
        #expect(
            first.occurredOn.year == 1997 && first.occurredOn.month == 10 && first.occurredOn.day == 18
                && first.timePrecision == .day)
        #expect(first.countryCode == "AF" && first.admin1 == "Balkh" && first.admin2 == "Mazar-e Sharif")
        #expect(first.category == .violence && first.subtype == .shooting && first.means == .firearm)
        #expect(first.context == .combatOrCrossfire && first.locationType == .road && first.motive == .incidental)
        #expect(first.verification == .archived && first.actorType == .unknown)
        #expect(first.casualties[.killed, .national, .unknown] == 1 && first.casualties.total() == 1)
        #expect(first.latitude == 36.70904 && first.longitude == 67.11087)
        #expect(first.original["Means of attack"] == "Shooting" && first.original["Source"] == "Archived")
        #expect(first.description?.hasPrefix("1 ICRC national staff killed") == true)
    }

    @Test("the older schema without detained columns reads too")
    func olderSchema() async throws {
        // The real Afghanistan rows, with the three "detained" columns removed as in older exports.
        let url = try #require(Self.folder).appendingPathComponent("awsd_2025-08_afghanistan.csv")
        let reader = try CSVReader(stream: try #require(InputStream(url: url)), hasHeaderRow: true)
        let header = try #require(reader.headerRow)
        let keep = header.indices.filter { !header[$0].contains("detained") }
        let writer = try CSVWriter(stream: .toMemory())
        try writer.write(row: keep.map { header[$0] })
        var expectedKilled = 0
        while let row = reader.next() {
            try writer.write(row: keep.map { row[$0] })
            expectedKilled += Int(row[header.firstIndex(of: "Total killed")!]) ?? 0
        }
        writer.stream.close()
        let csv = String(
            decoding: try #require(writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data),
            as: UTF8.self)
        var events: [ContextEvent] = []
        let summary = try await AWSDReader.read(string: csv) { events.append($0) }
        #expect(!summary.hasDetainedColumns && events.count == 617)
        #expect(events.reduce(0) { $0 + $1.casualties.total(.killed) } == expectedKilled)
        #expect(events.allSatisfy { $0.casualties.total(.detained) == 0 })
    }

    @Test("a file that is not AWSD is refused whole; bad rows are named and skipped")
    func badInput() async throws {
        await #expect(throws: SourceFileError.self) {
            _ = try await AWSDReader.read(string: "name,value\na,1\n") { _ in }
        }
        await #expect(throws: SourceFileError.self) { _ = try await AWSDReader.read(string: "") { _ in } }
        let header = AWSDReader.requiredColumns.joined(separator: ",")
        func row(_ values: [String: String]) -> String {
            AWSDReader.requiredColumns.map { values[$0] ?? "" }.joined(separator: ",")
        }
        let csv = [
            header,
            row([
                "Incident ID": "1", "Year": "2024", "Month": "3", "Nationals killed": "two",
                "Means of attack": "Shooting",
            ]),
            row(["Incident ID": "2", "Year": "", "Means of attack": "Shooting"]),
            row([
                "Incident ID": "3", "Year": "2024", "Nationals wounded": "1", "Means of attack": "Kidnap-killing",
                "Latitude": "95", "Longitude": "10",
            ]),
            row(["Incident ID": "4", "Year": "2023", "Month": "2", "Day": "29", "Means of attack": "Shooting"]),
            row([
                "Incident ID": "5", "Year": "2024", "Month": "2", "Day": "29", "Means of attack": "Shooting",
                "Latitude": "\"1.407.092.855\"", "Longitude": "32.5",
            ]),
        ]
        .joined(separator: "\n")
        var events: [ContextEvent] = []
        let summary = try await AWSDReader.read(string: csv) { events.append($0) }
        #expect(events.map(\.sourceID) == ["3", "5"])
        #expect(
            summary.problems.map(\.description) == [
                "row 2, Nationals killed: rejected: “two” is not a count.",
                "row 3, Year: rejected: No valid year: “”.",
                "row 4, Latitude: warning: Coordinates 95.0, 10.0 are out of range; kept without them.",
                "row 5, Day: rejected: 2023-2-29 is not a date.",
                "row 6, Latitude: warning: “1.407.092.855, 32.5” are not decimal coordinates (a lost decimal separator?); kept without them.",
            ])
        #expect(events.last?.occurredOn == DateComponents(year: 2024, month: 2, day: 29), "2024 is a leap year")
        #expect(
            events.first?.timePrecision == .year && events.first?.latitude == nil
                && events.first?.subtype == .kidnapping)

        // Bytes that are not UTF-8 (a Windows-1252 export, say) stop the read with a message, not garbage.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("awsd-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        var bytes = Data((header + "\n").utf8)
        bytes += Data(row(["Incident ID": "9", "Year": "2024", "Means of attack": "Shooting"]).utf8)
        bytes += Data([0x0A, 0x39, 0x2C, 0xE9, 0x74, 0xE9, 0x0A])  // "9,été" in Windows-1252
        await #expect(throws: SourceFileError.self) { _ = try await AWSDReader.read(contentsOf: file) { _ in } }
        try bytes.write(to: file)
        do {
            _ = try await AWSDReader.read(contentsOf: file) { _ in }
            Issue.record("expected an error for invalid UTF-8")
        } catch let error as SourceFileError {
            #expect(error.message.contains("UTF-8"), "\(error.message)")
        }
    }
}
