import Domain
import Fluent
import Foundation
import Geo
import Interop
import Persistence

/// Imports a published incident export (AWSD, SiND, ACLED, or a generic HXL file) into an
/// operation as context events: read and check every row, keep the operation's countries, place
/// each event in the operation's admin areas, then reconcile with the last import in one
/// transaction. The web upload and the command line share it.
struct ContextImportService {
    let database: any Database
    let areaShapes: AreaShapeCache

    enum Format: String, CaseIterable, Sendable {
        case awsd, sind, acled, hxl
    }

    struct Report: Sendable {
        var fileDescription: String
        var source: ContextEvent.Source
        var rowsRead = 0
        var problems: [ImportProblem] = []
        /// Events in countries that are not the operation's (or, from a published source, of no
        /// known country), left out.
        var outsideCountries = 0
        var stored = ContextEventStore.ImportResult()
        var rejected: Int { Set(problems.filter { $0.severity == .rejected }.map(\.row)).count }
        var warnings: [ImportProblem] { problems.filter { $0.severity == .warning } }

        /// The report as lines, for the terminal and the page alike.
        var lines: [String] {
            var lines = [
                fileDescription,
                "rows read: \(rowsRead)",
                "added: \(stored.added)", "updated: \(stored.updated)", "unchanged: \(stored.unchanged)",
                "rejected: \(rejected)",
                "disappeared since the last import (kept, marked missing): \(stored.disappeared)",
            ]
            if outsideCountries > 0 {
                lines.append("outside the operation's countries or of no known country (left out): \(outsideCountries)")
            }
            if stored.duplicatesInFile > 0 {
                lines.append("listed twice in the file (the last one counts): \(stored.duplicatesInFile)")
            }
            lines += problems.map(\.description)
            return lines
        }
    }

    /// The source a file of `format` imports as: HXL files are named after the file.
    static func source(for format: Format, fileName: String) -> ContextEvent.Source {
        switch format {
        case .awsd: .awsd
        case .sind: .sind
        case .acled: .acled
        case .hxl: ContextEvent.Source(rawValue: fileName)
        }
    }

    /// Reads and imports `url`. Throws `SourceFileError` when the file cannot be read at all;
    /// then nothing is stored.
    func importFile(
        _ url: URL, format: Format, sourceName: String? = nil, into operation: OperationRecord,
        allCountries: Bool = false,
        actorID: UserID?, now: Date
    ) async throws -> Report {
        let source = Self.source(for: format, fileName: sourceName ?? url.lastPathComponent)
        let countries = Set(operation.countryCodes)
        let (_, locator) = try await areaShapes.shapes(for: operation, on: database)
        // Filled in by the reader while the store streams its events into the transaction.
        final class Outcome: @unchecked Sendable {
            var report: Report
            init(_ report: Report) { self.report = report }
        }
        let outcome = Outcome(Report(fileDescription: "", source: source))
        let stored = try await ContextEventStore(database).importStream(
            source: source, into: operation.id, actorID: actorID, now: now,
            areaAt: { longitude, latitude in locator.locate(Coordinate(longitude: longitude, latitude: latitude)).first
            }
        ) { add in
            let keep: (ContextEvent) async throws -> Void = { event in
                // A published export covers the world, so an event of no known country is not this
                // operation's; a generic HXL file was chosen for the operation, so its events are.
                if allCountries || countries.isEmpty || event.countryISO3.map(countries.contains) ?? !source.isPublished
                {
                    try await add(event)
                } else {
                    outcome.report.outsideCountries += 1
                }
            }
            switch format {
            case .awsd:
                let summary = try await AWSDReader.read(contentsOf: url, each: keep)
                outcome.report.fileDescription =
                    "AWSD export\(summary.hadHXLRow ? " with HXL row" : "")"
                    + (summary.hasDetainedColumns ? "" : ", older schema without detained columns")
                (outcome.report.rowsRead, outcome.report.problems) = (summary.rowsRead, summary.problems)
            case .sind:
                let summary = try await SiNDReader.read(contentsOf: url, each: keep)
                outcome.report.fileDescription = "SiND aid-worker export"
                (outcome.report.rowsRead, outcome.report.problems) = (summary.rowsRead, summary.problems)
            case .acled:
                let summary = try await ACLEDReader.read(contentsOf: url, each: keep)
                outcome.report.fileDescription = "ACLED export (\(summary.encoding))"
                (outcome.report.rowsRead, outcome.report.problems) = (summary.rowsRead, summary.problems)
            case .hxl:
                let summary = try await HXLIncidentReader.read(contentsOf: url, source: source, each: keep)
                outcome.report.fileDescription = "HXL incidents, source “\(source.rawValue)”"
                (outcome.report.rowsRead, outcome.report.problems) = (summary.rowsRead, summary.problems)
            }
        }
        var report = outcome.report
        report.stored = stored
        return report
    }
}
