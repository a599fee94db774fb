import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor

/// Imports population files into an operation's displacement figures and reports, per file,
/// rows read, figures added, updated and unchanged, and every rejected row with its reason.
struct PopulationImportService {
    enum Format: String, CaseIterable, Sendable {
        case unhcrPopulation = "unhcr-population", unhcrDemographics = "unhcr-demographics", dtm, hxl, codPS = "cod-ps"
    }

    struct Report: Sendable {
        var file: String
        var dataset: String
        var read = PopulationReadReport()
        var stored = PopulationStore.ImportResult()

        var lines: [String] {
            var lines = [
                "dataset \(dataset)", "rows read: \(read.rowsRead)",
                "figures added: \(stored.added)", "updated: \(stored.updated)", "unchanged: \(stored.unchanged)",
                "rejected rows: \(read.rejectedRows)",
            ]
            if stored.zerosSkipped > 0 {
                lines.append("zero counts not stored (no earlier figure to set back to zero): \(stored.zerosSkipped)")
            }
            if stored.duplicatesInFile > 0 {
                lines.append("figures listed twice in the file (the last one counts): \(stored.duplicatesInFile)")
            }
            lines += read.merged
            lines += read.problems.map(\.description)
            return lines
        }
    }

    let database: any Database

    /// The dataset a file imports as: UNHCR's files by their kind, so that next year's download
    /// updates this year's; a COD-PS file by its name (one per country and level).
    static func dataset(_ format: Format, url: URL) -> String {
        switch format {
        case .unhcrPopulation: "unhcr_population"
        case .unhcrDemographics: "unhcr_demographics"
        case .dtm: "dtm"
        case .codPS, .hxl: url.deletingPathExtension().lastPathComponent
        }
    }

    /// The year a COD-PS file counts, from its name (caf_admpop_adm2_2015_v2: 2015).
    static func year(inName name: String) -> Int? {
        guard let match = name.firstMatch(of: /(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)/) else { return nil }
        return Int(match.output.1)
    }

    func importFile(
        _ url: URL, format: Format, year: Int?, into operation: OperationRecord, actorID: UserID? = nil, now: Date
    ) async throws -> Report {
        let dataset = Self.dataset(format, url: url)
        var report = Report(file: url.lastPathComponent, dataset: dataset)
        let codYear: Int?
        if format == .codPS {
            guard let given = year ?? Self.year(inName: url.lastPathComponent) else {
                throw SourceFileError(
                    "\(url.lastPathComponent) does not say its year in its name: give it with --year.")
            }
            codYear = given
        } else {
            codYear = nil
        }
        // The reader's report comes back through an actor-free box: the store calls `produce` once.
        let box = ReadBox()
        report.stored = try await PopulationStore(database).importFigures(
            into: operation.id, dataset: dataset, actorID: actorID, now: now
        ) { sink in
            switch format {
            case .unhcrPopulation:
                box.report = try await PopulationReaders.unhcrPopulation(url, dataset: dataset, sink: sink)
            case .unhcrDemographics:
                box.report = try await PopulationReaders.unhcrDemographics(url, dataset: dataset, sink: sink)
            case .codPS:
                box.report = try await PopulationReaders.codPopulation(
                    url, dataset: dataset, year: codYear ?? 0, sink: sink)
            case .hxl: box.report = try await HXLPopulationReader.read(url, dataset: dataset, sink: sink)
            case .dtm:
                // The API's JSON or HDX's CSV, told apart by the first character.
                let head = (try? FileHandle(forReadingFrom: url).read(upToCount: 64)).flatMap { $0 } ?? Data()
                let first = String(decoding: head, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).first
                box.report =
                    first == "{" || first == "["
                    ? try await DTMReader.json(url, dataset: dataset, sink: sink)
                    : try await DTMReader.csv(url, dataset: dataset, sink: sink)
            }
        }
        report.read = box.report
        return report
    }

    /// Carries the reader's report out of the store's transaction.
    final class ReadBox: @unchecked Sendable {
        var report = PopulationReadReport()
    }
}
