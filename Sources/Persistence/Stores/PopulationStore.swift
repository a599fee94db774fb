import Domain
import FluentKit
import Foundation
import SQLKit

/// Displacement figures (stock). Every member of an operation may read them (they come from
/// published sources or the operation's own counts, without personal data:
/// `AccessPolicy.canViewPopulationFigures`); imports reconcile with what the dataset holds.
public struct PopulationStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    public struct ImportResult: Sendable, Hashable {
        public var added = 0
        public var updated = 0
        public var unchanged = 0
        /// Zeros for figures the dataset never had: not stored (a sum reads them the same).
        public var zerosSkipped = 0
        /// A key given twice in the file: the last one counts.
        public var duplicatesInFile = 0
        public init() {}
    }

    static let columns = ["id", "operation_id", "dataset", "source_key", "source", "method", "population_type", "location_kind", "location_code",
                          "location_name", "origin_iso3", "asylum_iso3", "year", "reference_date", "round", "reporting_date", "total", "scheme",
                          "breakdown", "content_hash", "imported_at", "updated_at"]
    static let batchSize = 500

    /// Imports figures in one transaction: a key the dataset does not have yet is added, one whose
    /// content differs is updated, the rest counted unchanged. `produce` hands the figures over in
    /// batches (the readers stream their files); nothing is kept if it throws.
    public func importFigures(
        into operationID: UUID, dataset: String, now: Date = Date(),
        produce: @escaping @Sendable (_ sink: ([PopulationFigure]) async throws -> Void) async throws -> Void
    ) async throws -> ImportResult {
        try await database.transaction { db in
            let sql = db.sql
            var existing: [String: (id: UUID, hash: String)] = [:]
            for row in try await sql.select().columns("id", "source_key", "content_hash").from("population_figures")
                .where("operation_id", .equal, operationID).where("dataset", .equal, dataset).all() {
                existing[try row.decode(column: "source_key", as: String.self)] =
                    (try row.decode(column: "id", as: UUID.self), try row.decode(column: "content_hash", as: String.self))
            }
            var result = ImportResult()
            var seen = Set<String>()
            var pending: [[any SQLExpression]] = []
            func flush() async throws {
                guard !pending.isEmpty else { return }
                let insert = sql.insert(into: "population_figures").columns(Self.columns)
                for row in pending { insert.values(row) }
                try await insert.run()
                pending.removeAll(keepingCapacity: true)
            }
            try await produce { figures in
                for figure in figures {
                    if !seen.insert(figure.key).inserted { result.duplicatesInFile += 1 }
                    let hash = Self.hash(figure)
                    if let stored = existing[figure.key] {
                        if stored.hash == hash { result.unchanged += 1; continue }
                        let update = sql.update("population_figures")
                        for (column, value) in Self.values(figure) { update.set(SQLIdentifier(column), to: value) }
                        try await update.set("content_hash", to: hash).set("updated_at", to: now).where("id", .equal, stored.id).run()
                        existing[figure.key] = (stored.id, hash)
                        result.updated += 1
                    } else if figure.total == 0 {
                        result.zerosSkipped += 1
                    } else {
                        let id = UUID()
                        pending.append([SQLBind(id), SQLBind(operationID), SQLBind(dataset), SQLBind(figure.key)]
                                       + Self.values(figure).map(\.1) + [SQLBind(hash), SQLBind(now), SQLBind(now)])
                        existing[figure.key] = (id, hash)
                        result.added += 1
                        if pending.count >= Self.batchSize { try await flush() }
                    }
                }
            }
            try await flush()
            return result
        }
    }

    /// The figure's columns after the identity ones, in `columns` order.
    static func values(_ f: PopulationFigure) -> [(String, SQLBind)] {
        [("source", SQLBind(f.source.rawValue)), ("method", SQLBind(f.method?.rawValue)), ("population_type", SQLBind(f.populationType.rawValue)),
         ("location_kind", SQLBind(f.location.kind.rawValue)), ("location_code", SQLBind(f.location.code)), ("location_name", SQLBind(f.location.name)),
         ("origin_iso3", SQLBind(f.originISO3)), ("asylum_iso3", SQLBind(f.asylumISO3)), ("year", SQLBind(f.year)),
         ("reference_date", SQLBind(f.referenceDate)), ("round", SQLBind(f.round)), ("reporting_date", SQLBind(f.reportingDate)),
         ("total", SQLBind(f.total)), ("scheme", SQLBind(f.scheme)), ("breakdown", SQLBind(breakdownJSON(f.breakdown)))]
    }

    /// The bins as a JSON array of [label, count] pairs, in the source's order.
    static func breakdownJSON(_ bins: [FigureBin]) -> String? {
        guard !bins.isEmpty else { return nil }
        var text = "["
        for (i, bin) in bins.enumerated() {
            text += i == 0 ? "[" : ",["
            JSONText.appendQuoted(bin.label, to: &text)
            text += ",\(bin.count)]"
        }
        return text + "]"
    }

    /// What decides "unchanged": every value the figure carries.
    static func hash(_ f: PopulationFigure) -> String {
        var text = "\(f.source.rawValue)|\(f.method?.rawValue ?? "")|\(f.populationType.rawValue)|\(f.location.kind.rawValue)|\(f.location.code)|"
        text += "\(f.location.name)|\(f.originISO3 ?? "")|\(f.asylumISO3 ?? "")|\(f.year)|\(f.referenceDate.map { "\($0.timeIntervalSince1970)" } ?? "")|"
        text += "\(f.round.map(String.init) ?? "")|\(f.reportingDate.map { "\($0.timeIntervalSince1970)" } ?? "")|\(f.total)|\(f.scheme ?? "")|"
        text += f.breakdown.map { "\($0.label)=\($0.count)" }.joined(separator: ";")
        return Hex.sha256(text)
    }

    // MARK: Statistics

    public enum Grouping: String, Sendable, CaseIterable {
        case year, yearOrigin = "year,origin_iso3", yearAsylum = "year,asylum_iso3"
    }

    public struct StatsRow: Sendable, Hashable {
        public var year: Int
        public var country: String?
        public var totals: [PopulationType: Int64]
    }

    /// Totals per year (and origin or asylum country) and population type, for the types asked.
    public func stats(in operationID: UUID, by grouping: Grouping, types: [PopulationType], dataset: String? = nil) async throws -> [StatsRow] {
        let countryColumn: String? = switch grouping {
        case .year: nil
        case .yearOrigin: "origin_iso3"
        case .yearAsylum: "asylum_iso3"
        }
        var query = database.sql.select().column("year").column("population_type")
            .column(SQLRaw("CAST(SUM(total) AS BIGINT)"), as: "n")  // PostgreSQL's SUM of a BIGINT is NUMERIC
        if let countryColumn { query = query.column(SQLIdentifier(countryColumn), as: "country") }
        query = query.from("population_figures").where("operation_id", .equal, operationID)
            .where("population_type", .in, types.map(\.rawValue))
        if let dataset { query = query.where("dataset", .equal, dataset) }
        query = query.groupBy("year").groupBy("population_type")
        if let countryColumn { query = query.groupBy(countryColumn) }
        var rows: [String: StatsRow] = [:]
        for row in try await query.all() {
            let year = try row.decode(column: "year", as: Int.self)
            let country = countryColumn == nil ? nil : try row.decodeOptional(column: "country", as: String.self)
            guard let type = PopulationType(rawValue: try row.decode(column: "population_type", as: String.self)) else { continue }
            let n = try row.decode(column: "n", as: Int64.self)
            let key = "\(year)|\(country ?? "")"
            rows[key, default: StatsRow(year: year, country: country, totals: [:])].totals[type, default: 0] += n
        }
        return rows.values.sorted { ($0.year, $0.country ?? "") < ($1.year, $1.country ?? "") }
    }

    /// Datasets imported into the operation, with their number of figures.
    public func datasets(in operationID: UUID) async throws -> [(name: String, figures: Int)] {
        try await database.sql.select().column("dataset").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("population_figures").where("operation_id", .equal, operationID).groupBy("dataset").orderBy("dataset").all()
            .map { (try $0.decode(column: "dataset", as: String.self), try $0.decode(column: "n", as: Int.self)) }
    }
}
