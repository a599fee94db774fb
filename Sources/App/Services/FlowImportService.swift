import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor

/// Imports tallies from Bearing's flow export (CSV or HXL) or any HXL file with its hashtags:
/// each row checked like the form's, its point found by code or name among the points the
/// importer may see; a tally already there (by id, or by content) is not added twice.
struct FlowImportService {
    /// What an import did. Only the first `shownProblems` problems are kept, with a count of the
    /// rest: a file of a million bad rows must not fill the memory or the page.
    struct Report: Sendable {
        static let shownProblems = 100
        var rowsRead = 0
        var added = 0
        var updated = 0
        var unchanged = 0
        var rejected = 0
        private(set) var problems: [ImportProblem] = []
        private(set) var moreProblems = 0

        mutating func add(_ more: [ImportProblem]) {
            let room = max(0, Self.shownProblems - problems.count)
            problems += more.prefix(room)
            moreProblems += max(0, more.count - room)
        }

        var lines: [String] {
            [
                "rows read: \(rowsRead)", "added: \(added)", "updated: \(updated)", "unchanged: \(unchanged)",
                "rejected: \(rejected)",
            ]
                + problems.map(\.description) + (moreProblems > 0 ? ["… and \(moreProblems) more problem(s)"] : [])
        }
    }

    let database: any Database

    /// Imports the file's rows; `points`, the points `scope` may see, when the caller read them already.
    func importFile(
        _ url: URL, format: FlowReader.Format, scope: Scope, points known: [FlowPoint]? = nil,
        actorID: UserID?, now: Date
    ) async throws -> Report {
        let rows = try FlowReader.open(url, format: format)
        let points: [FlowPoint]
        if let known { points = known } else { points = try await FlowStore(database).points(in: scope) }
        let byID = Dictionary(uniqueKeysWithValues: points.map { ($0.site.id.uuidString.uppercased(), $0.site.id) })
        let byName = Dictionary(
            points.map { ($0.site.name.lowercased(), $0.site.id) }, uniquingKeysWith: { first, _ in first })
        var report = Report()
        while let row = try rows.next() {
            report.rowsRead += 1
            var problems: [ImportProblem] = []
            func text(_ field: String) -> String { row.values[field] ?? "" }
            let code = text("point_code").uppercased(), name = text("point")
            let point = byID[code] ?? byName[name.lowercased()]
            if point == nil {
                problems.append(
                    ImportProblem(
                        row: row.number, field: code.isEmpty ? "point" : "point_code", severity: .rejected,
                        message: "No flow-monitoring point “\(code.isEmpty ? name : code)” "
                            + "that you can see in this operation."))
            }
            do {
                // Without a point the decoder refuses the row too, so nothing below runs for it.
                let draft = try Self.input(row, point: point).draft(now: now)
                let id = UUID(uuidString: text("id")).map(FlowObservationID.init(rawValue:))
                let store = FlowStore(database)
                switch try await store.importTally(draft, id: id, scope: scope, actorID: actorID, now: now) {
                case .added: report.added += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                case .notYours:
                    problems.append(
                        ImportProblem(
                            row: row.number, field: "id", severity: .rejected,
                            message: "This tally was recorded by someone else; "
                                + "only they, or a coordinator, may change it."))
                }
            } catch let errors as ValidationErrors {
                // The point is this file's to name (by code or name), not the decoder's.
                for error in errors.errors where !(point == nil && error.field == "point") {
                    problems.append(
                        ImportProblem(
                            row: row.number, field: Self.column(error.field ?? "row"),
                            severity: .rejected, message: error.message))
                }
            }
            report.add(problems)
            if !problems.isEmpty { report.rejected += 1 }
        }
        return report
    }

    /// A row as the one decoder's input (`FlowTallyInput`, the form's and the API's rules): the
    /// point as found, codes in lower case whatever the spreadsheet made of them, the reasons
    /// split on ";". Only the columns of the export are read; a tally's notes are never exported.
    static func input(_ row: FlowReader.Row, point: SiteID?) -> FlowTallyInput {
        func text(_ field: String) -> String { row.values[field] ?? "" }
        var input = FlowTallyInput()
        input.point = point?.uuidString ?? ""
        input.windowStart = text("window_start")
        input.windowEnd = text("window_end")
        input.direction = text("direction").lowercased()
        input.total = text("people")
        for bin in FlowTallyInput.knownBins where !text(bin).isEmpty { input.bins[bin] = text(bin) }
        // A file that gives UNHCR's sex-and-age bins and the sex totals beside them (as exports of a
        // KoBo form with both do) is read by its finest scheme, as before: the totals are dropped.
        if DisaggregationScheme.unhcr.bins.contains(where: { input.bins[$0] != nil }) {
            for bin in DisaggregationScheme.sex.bins { input.bins[bin] = nil }
        }
        for situation in FlowVulnerability.allCases where !text(situation.rawValue).isEmpty {
            input.vulnerable[situation.rawValue] = text(situation.rawValue)
        }
        input.nationality = text("nationality")
        input.originCountry = text("origin_country")
        input.originArea = text("origin_area")
        input.lastTransit = text("last_transit")
        input.nextDestination = text("next_destination")
        input.finalDestination = text("final_destination")
        input.transport = text("transport").lowercased()
        input.reasons = text("reasons").split(separator: ";")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return input
    }

    /// The file's column for a field the decoder names: people for the total, a situation's own
    /// column for its count; the others are named alike.
    static func column(_ field: String) -> String {
        if field == "total" { return "people" }
        if field.hasPrefix("vulnerable["), field.hasSuffix("]") { return String(field.dropFirst(11).dropLast()) }
        return field
    }
}
