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
            ["rows read: \(rowsRead)", "added: \(added)", "updated: \(updated)", "unchanged: \(unchanged)", "rejected: \(rejected)"]
                + problems.map(\.description) + (moreProblems > 0 ? ["… and \(moreProblems) more problem(s)"] : [])
        }
    }

    let database: any Database

    func importFile(_ url: URL, format: FlowReader.Format, scope: Scope, actorID: UUID?, now: Date = Date()) async throws -> Report {
        let rows = try FlowReader.open(url, format: format)
        let points = try await FlowStore(database).points(in: scope)
        let byID = Dictionary(uniqueKeysWithValues: points.map { ($0.site.id.uuidString.uppercased(), $0.site.id) })
        let byName = Dictionary(points.map { ($0.site.name.lowercased(), $0.site.id) }, uniquingKeysWith: { first, _ in first })
        var report = Report()
        while let row = try rows.next() {
            report.rowsRead += 1
            var problems: [ImportProblem] = []
            func reject(_ field: String, _ message: String) {
                problems.append(ImportProblem(row: row.number, field: field, severity: .rejected, message: message))
            }
            func text(_ field: String) -> String { row.values[field] ?? "" }
            func count(_ field: String) -> Int? {
                let value = text(field)
                guard !value.isEmpty else { return nil }
                guard let n = Int(value), n >= 0 else { reject(field, "“\(value)” is not a count of people."); return nil }
                return n
            }
            let code = text("point_code").uppercased(), name = text("point")
            let point = byID[code] ?? byName[name.lowercased()]
            if point == nil { reject(code.isEmpty ? "point" : "point_code", "No flow-monitoring point “\(code.isEmpty ? name : code)” that you can see in this operation.") }
            let start = Self.time(text("window_start")), end = Self.time(text("window_end")) ?? start
            if start == nil { reject("window_start", "“\(text("window_start"))” is not a date and time (ISO 8601).") }
            let direction = FlowDirection(rawValue: text("direction").lowercased())
            if direction == nil { reject("direction", "“\(text("direction"))” is not incoming, outgoing or transit.") }
            let total = count("people")
            if total == nil && text("people").isEmpty { reject("people", "No number of people.") }
            var bins: [String: Int] = [:]
            for bin in DisaggregationScheme.unhcr.bins + ["f", "m"] { if let n = count(bin) { bins[bin] = n } }
            var vulnerable: [FlowVulnerability: Int] = [:]
            for vulnerability in FlowVulnerability.allCases { if let n = count(vulnerability.rawValue) { vulnerable[vulnerability] = n } }
            let transportText = text("transport").lowercased()
            let transport = TransportMode(rawValue: transportText)
            if !transportText.isEmpty && transport == nil { reject("transport", "“\(transportText)” is not a transport mode.") }
            var reasons = Set<MovementReason>()
            for part in text("reasons").split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !part.isEmpty {
                if let reason = MovementReason(rawValue: part) { reasons.insert(reason) } else { reject("reasons", "“\(part)” is not a reason for moving.") }
            }
            report.add(problems)
            if !problems.isEmpty { report.rejected += 1 }
            guard problems.isEmpty, let point, let start, let end, let direction, let total else { continue }
            let scheme = DisaggregationScheme.inferred(from: bins)
            do {
                let draft = try FlowObservationDraft(
                    pointID: point, windowStart: start, windowEnd: end, direction: direction, total: total, scheme: scheme,
                    bins: bins.filter { scheme.bins.contains($0.key) }, nationality: text("nationality").nilIfEmpty,
                    originCountry: text("origin_country").nilIfEmpty, originArea: text("origin_area").nilIfEmpty,
                    lastTransit: text("last_transit").nilIfEmpty, nextDestination: text("next_destination").nilIfEmpty,
                    finalDestination: text("final_destination").nilIfEmpty, transport: transport, vulnerable: vulnerable, reasons: reasons)
                    .validated(now: now)
                switch try await FlowStore(database).importTally(draft, id: UUID(uuidString: text("id")), scope: scope, actorID: actorID, now: now) {
                case .added: report.added += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                case .notYours:
                    report.rejected += 1
                    report.add([ImportProblem(row: row.number, field: "id", severity: .rejected,
                                              message: "This tally was recorded by someone else; only they, or a coordinator, may change it.")])
                }
            } catch let errors as ValidationErrors {
                report.rejected += 1
                report.add(errors.errors.map { ImportProblem(row: row.number, field: $0.field, severity: .rejected, message: $0.message) })
            }
        }
        return report
    }

    /// "2026-11-27T06:00:00Z" (the export's), "2026-11-27 06:00" or "2026-11-27", in UTC.
    static func time(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return DateText.time(text.replacingOccurrences(of: "Z", with: ""))
    }
}
