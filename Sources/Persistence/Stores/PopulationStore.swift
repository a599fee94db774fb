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

    static let columns = [
        "id", "operation_id", "dataset", "source_key", "source", "method", "population_type", "location_kind",
        "location_code",
        "location_name", "origin_iso3", "asylum_iso3", "year", "reference_date", "round", "reporting_date", "total",
        "scheme",
        "breakdown", "content_hash", "imported_at", "updated_at",
    ]
    public static let batchSize = 500
    /// Audit entries name the dataset as their record.
    public static let auditKind = "population_figures"

    /// Imports figures in one transaction: a key the dataset does not have yet is added, one whose
    /// content differs is updated, the rest counted unchanged. `produce` hands the figures over in
    /// batches (the readers stream their files); nothing is kept if it throws. New zeros are
    /// skipped unless `keepZeros` (UNHCR's files are mostly zeros; a zero entered by hand is news).
    ///
    /// Memory stays flat whatever the dataset's size: each batch of keys is looked up in the table
    /// (the unique index on operation, dataset and key), and the keys already read are remembered
    /// only as 64-bit hashes, enough to tell a key listed twice in the file. A dataset new to the
    /// operation looks up only the keys its file lists again.
    /// The import is one audited change of the dataset (what was added, updated and left alone).
    public func importFigures(
        into operationID: OperationID, dataset: String, actorID: UserID? = nil, now: Date, keepZeros: Bool = false,
        produce: @escaping @Sendable (_ sink: ([PopulationFigure]) async throws -> Void) async throws -> Void
    ) async throws -> ImportResult {
        let result = try await database.writing { db in
            let sql = db.sql
            var result = ImportResult()
            var seen = Set<Int>()
            // A dataset new to the operation has nothing to look up but the keys its file repeats.
            let hadFigures =
                try await sql.select().column(SQLLiteral.numeric("1")).from("population_figures")
                .where("operation_id", .equal, operationID).where("dataset", .equal, dataset).limit(1).first() != nil
            // The readers hand over a row's few figures at a time: gathered into batches, so that a
            // batch costs one lookup and one insert (a round trip each on PostgreSQL), not a row.
            var buffer: [PopulationFigure] = []
            buffer.reserveCapacity(Self.batchSize)
            func drain(all: Bool) async throws {
                while buffer.count >= Self.batchSize || (all && !buffer.isEmpty) {
                    let batch = buffer.prefix(Self.batchSize)
                    try await Self.importBatch(
                        batch, into: operationID, dataset: dataset, now: now, keepZeros: keepZeros,
                        lookUpAll: hadFigures, seen: &seen, result: &result, on: sql)
                    buffer.removeFirst(batch.count)
                }
            }
            try await produce { figures in
                buffer += figures
                try await drain(all: false)
            }
            try await drain(all: true)
            if result.added + result.updated > 0 {
                try await AuditStore(db).append(
                    actorID: actorID, operationID: operationID, recordKind: Self.auditKind, recordID: dataset,
                    action: hadFigures ? .update : .create,
                    after: [
                        "added": String(result.added), "updated": String(result.updated),
                        "unchanged": String(result.unchanged),
                    ], at: now)
            }
            return result
        }
        // PostgreSQL plans the next import's lookups from its statistics: after a large import they
        // would still describe the table before it, and a lookup would read the whole table.
        if database.sql.isPostgres && result.added > 10_000 {
            try await database.sql.raw("ANALYZE population_figures").run()
        }
        return result
    }

    /// One batch: its keys looked up at once, its new figures inserted at once (before the next
    /// batch looks up its keys, so that a key listed again later is found).
    private static func importBatch(
        _ figures: ArraySlice<PopulationFigure>, into operationID: OperationID, dataset: String, now: Date,
        keepZeros: Bool,
        lookUpAll: Bool, seen: inout Set<Int>, result: inout ImportResult, on sql: any SQLDatabase
    ) async throws {
        var existing: [String: (id: UUID, hash: String)] = [:]
        var keys = Set<String>()
        for figure in figures where lookUpAll || seen.contains(figure.key.hashValue) { keys.insert(figure.key) }
        for row in keys.isEmpty
            ? []
            : try await sql.select().columns("id", "source_key", "content_hash").from("population_figures")
                .where("operation_id", .equal, operationID).where("dataset", .equal, dataset)
                .where("source_key", .in, Array(keys)).all()
        {
            existing[try row.decode(column: "source_key", as: String.self)] =
                (try row.decode(column: "id", as: UUID.self), try row.decode(column: "content_hash", as: String.self))
        }
        var pending: [[any SQLExpression]] = []
        var pendingIndex: [String: Int] = [:]
        for figure in figures {
            if !seen.insert(figure.key.hashValue).inserted { result.duplicatesInFile += 1 }
            let hash = Self.hash(figure)
            if let stored = existing[figure.key] {
                if stored.hash == hash { result.unchanged += 1; continue }
                if let waiting = pendingIndex[figure.key] {
                    // Listed twice in this batch and not inserted yet: the later row is the one inserted.
                    pending[waiting] =
                        [SQLBind(stored.id), SQLBind(operationID), SQLBind(dataset), SQLBind(figure.key)]
                        + Self.values(figure).map(\.1) + [SQLBind(hash), SQLBind(now), SQLBind(now)]
                    existing[figure.key] = (stored.id, hash)
                    continue
                }
                let update = sql.update("population_figures")
                for (column, value) in Self.values(figure) { update.set(SQLIdentifier(column), to: value) }
                try await update.set("content_hash", to: hash).set("updated_at", to: now).where("id", .equal, stored.id)
                    .run()
                existing[figure.key] = (stored.id, hash)
                result.updated += 1
            } else if figure.total == 0 && !keepZeros {
                result.zerosSkipped += 1
            } else {
                let id = UUID()
                pendingIndex[figure.key] = pending.count
                pending.append(
                    [SQLBind(id), SQLBind(operationID), SQLBind(dataset), SQLBind(figure.key)]
                        + Self.values(figure).map(\.1) + [SQLBind(hash), SQLBind(now), SQLBind(now)])
                existing[figure.key] = (id, hash)
                result.added += 1
            }
        }
        guard !pending.isEmpty else { return }
        let insert = sql.insert(into: "population_figures").columns(Self.columns)
        for row in pending { insert.values(row) }
        try await insert.run()
    }

    /// The figure's columns after the identity ones, in `columns` order.
    static func values(_ f: PopulationFigure) -> [(String, SQLBind)] {
        [
            ("source", SQLBind(f.source.rawValue)), ("method", SQLBind(f.method?.rawValue)),
            ("population_type", SQLBind(f.populationType.rawValue)),
            ("location_kind", SQLBind(f.location.kind.rawValue)), ("location_code", SQLBind(f.location.code)),
            ("location_name", SQLBind(f.location.name)),
            ("origin_iso3", SQLBind(f.originISO3)), ("asylum_iso3", SQLBind(f.asylumISO3)), ("year", SQLBind(f.year)),
            ("reference_date", SQLBind(f.referenceDate)), ("round", SQLBind(f.round)),
            ("reporting_date", SQLBind(f.reportingDate)),
            ("total", SQLBind(f.total)), ("scheme", SQLBind(f.scheme)),
            ("breakdown", SQLBind(breakdownJSON(f.breakdown))),
        ]
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
        var text =
            "\(f.source.rawValue)|\(f.method?.rawValue ?? "")|\(f.populationType.rawValue)|\(f.location.kind.rawValue)|\(f.location.code)|"
        text +=
            "\(f.location.name)|\(f.originISO3 ?? "")|\(f.asylumISO3 ?? "")|\(f.year)|\(f.referenceDate.map { "\($0.timeIntervalSince1970)" } ?? "")|"
        text +=
            "\(f.round.map(String.init) ?? "")|\(f.reportingDate.map { "\($0.timeIntervalSince1970)" } ?? "")|\(f.total)|\(f.scheme ?? "")|"
        text += f.breakdown.map { "\($0.label)=\($0.count)" }.joined(separator: ";")
        return Hex.sha256(text)
    }

    // MARK: Statistics

    public enum Grouping: String, Sendable, CaseIterable {
        case year, yearOrigin = "year,origin_iso3", yearAsylum = "year,asylum_iso3"

        /// The country column grouped by, besides the year.
        public var countryColumn: String? {
            switch self {
            case .year: nil
            case .yearOrigin: "origin_iso3"
            case .yearAsylum: "asylum_iso3"
            }
        }
    }

    public struct StatsRow: Sendable, Hashable {
        public var year: Int
        public var country: String?
        public var totals: [PopulationType: Int64]
    }

    /// Totals per year (and origin or asylum country) and population type, for the types asked.
    public func stats(
        in operationID: OperationID, by grouping: Grouping, types: [PopulationType], dataset: String? = nil
    )
        async throws -> [StatsRow]
    {
        let countryColumn = grouping.countryColumn
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
            guard let type = PopulationType(rawValue: try row.decode(column: "population_type", as: String.self)) else {
                continue
            }
            let n = try row.decode(column: "n", as: Int64.self)
            let key = "\(year)|\(country ?? "")"
            rows[key, default: StatsRow(year: year, country: country, totals: [:])].totals[type, default: 0] += n
        }
        return rows.values.sorted { ($0.year, $0.country ?? "") < ($1.year, $1.country ?? "") }
    }

    /// Datasets imported into the operation, with their number of figures.
    public func datasets(in operationID: OperationID) async throws -> [(name: String, figures: Int)] {
        try await database.sql.select().column("dataset").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("population_figures").where("operation_id", .equal, operationID).groupBy("dataset").orderBy("dataset")
            .all()
            .map { (try $0.decode(column: "dataset", as: String.self), try $0.decode(column: "n", as: Int.self)) }
    }
}

extension PopulationStore {
    /// Datasets with figures imported or updated since `since`, the latest first: how many of their
    /// figures changed, and when the last one did.
    public func recentDatasets(in operationID: OperationID, since: Date) async throws -> [(
        name: String, figures: Int, updatedAt: Date
    )] {
        try await database.sql.select().column("dataset").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("MAX", args: SQLIdentifier("updated_at")), as: "latest")
            .from("population_figures").where("operation_id", .equal, operationID)
            .where("updated_at", .greaterThanOrEqual, since).groupBy("dataset").all()
            .map {
                (
                    try $0.decode(column: "dataset", as: String.self), try $0.decode(column: "n", as: Int.self),
                    try $0.decode(column: "latest", as: Date.self)
                )
            }.sorted { ($0.2, $1.0) > ($1.2, $0.0) }
    }
}

/// What the population page and its exports read.
extension PopulationStore {
    public struct StoredFigure: Sendable, Hashable {
        public var figure: PopulationFigure
        public var updatedAt: Date
    }

    public struct Query: Sendable, Hashable {
        public var dataset: String?
        /// A country (ISO3) or a P-code: figures at that location, or of people from that country.
        public var location: String?
        public var types: [PopulationType]
        public init(dataset: String? = nil, location: String? = nil, types: [PopulationType] = PopulationType.allCases)
        {
            self.dataset = dataset; self.location = location; self.types = types
        }
    }

    func filtered(_ query: SQLSelectBuilder, operationID: OperationID, _ q: Query) -> SQLSelectBuilder {
        var query = query.where("operation_id", .equal, operationID).where(
            "population_type", .in, q.types.map(\.rawValue))
        if let dataset = q.dataset { query = query.where("dataset", .equal, dataset) }
        if let location = q.location?.uppercased(), !location.isEmpty {
            query = query.where {
                $0.where("location_code", .equal, location).orWhere("asylum_iso3", .equal, location).orWhere(
                    "origin_iso3", .equal, location)
            }
        }
        return query
    }

    /// Totals per year and type for the query, with the sources and the latest reporting date behind them.
    public func stockOverTime(in operationID: OperationID, _ q: Query) async throws -> [(
        year: Int, type: PopulationType, total: Int64, sources: String, reported: Date?
    )] {
        let separator: any SQLExpression =
            database.sql.isPostgres
            ? SQLRaw("string_agg(DISTINCT source, ',')") : SQLRaw("group_concat(DISTINCT source)")
        return try await filtered(
            database.sql.select().column("year").column("population_type").column(
                SQLRaw("CAST(SUM(total) AS BIGINT)"), as: "n"
            )
            .column(separator, as: "sources").column(
                SQLFunction("MAX", args: SQLIdentifier("reporting_date")), as: "reported"
            )
            .from("population_figures"), operationID: operationID, q
        )
        .groupBy("year").groupBy("population_type").orderBy("year").all().compactMap { row in
            guard let type = PopulationType(rawValue: try row.decode(column: "population_type", as: String.self)) else {
                return nil
            }
            return (
                try row.decode(column: "year", as: Int.self), type, try row.decode(column: "n", as: Int64.self),
                try row.decodeOptional(column: "sources", as: String.self) ?? "",
                try row.decodeOptional(column: "reported", as: Date.self)
            )
        }
    }

    /// One figure by its dataset and key.
    public func figure(in operationID: OperationID, dataset: String, key: String) async throws -> StoredFigure? {
        try await database.sql.select().column("*").from("population_figures").where(
            "operation_id", .equal, operationID
        )
        .where("dataset", .equal, dataset).where("source_key", .equal, key).first().map(Self.stored)
    }

    /// Figures of the query, newest year first, a page at a time (the export reads them all).
    public func figures(in operationID: OperationID, _ q: Query, limit: Int, offset: Int = 0) async throws
        -> [StoredFigure]
    {
        try await filtered(database.sql.select().column("*").from("population_figures"), operationID: operationID, q)
            .orderBy("year", .descending).orderBy("dataset").orderBy("source_key").limit(limit).offset(offset).all()
            .map(Self.stored)
    }

    /// Rates per 100,000 inhabitants: each figure at an admin area or country for which the same
    /// year has a whole-population figure (COD-PS), the two side by side.
    public func rates(in operationID: OperationID, _ q: Query) async throws -> [(
        figure: PopulationFigure, population: Int64, per100k: Double
    )] {
        let populations = try await database.sql.select().columns("location_code", "year", "total").from(
            "population_figures"
        )
        .where("operation_id", .equal, operationID).where(
            "population_type", .equal, PopulationType.totalPopulation.rawValue
        ).all()
        var baseline: [String: Int64] = [:]
        for row in populations {
            baseline[
                "\(try row.decode(column: "location_code", as: String.self))|\(try row.decode(column: "year", as: Int.self))"
            ] =
                try row.decode(column: "total", as: Int64.self)
        }
        guard !baseline.isEmpty else { return [] }
        var q = q
        q.types = q.types.filter { $0 != .totalPopulation }
        guard !q.types.isEmpty else { return [] }
        return try await figures(in: operationID, q, limit: 500).compactMap { stored in
            guard let population = baseline["\(stored.figure.location.code)|\(stored.figure.year)"], population > 0
            else { return nil }
            return (stored.figure, population, Double(stored.figure.total) / Double(population) * 100_000)
        }
    }

    static func stored(_ row: any SQLRow) throws -> StoredFigure {
        func text(_ column: String) throws -> String? { try row.decodeOptional(column: column, as: String.self) }
        var bins: [FigureBin] = []
        if let json = try text("breakdown"),
            let pairs = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]]
        {
            bins = pairs.compactMap { pair in
                guard pair.count == 2, let label = pair[0] as? String, let count = (pair[1] as? NSNumber)?.int64Value
                else { return nil }
                return FigureBin(label, count)
            }
        }
        let figure = PopulationFigure(
            dataset: try row.decode(column: "dataset", as: String.self),
            key: try row.decode(column: "source_key", as: String.self),
            source: FigureSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .other,
            method: try text("method").flatMap(FigureMethod.init(rawValue:)),
            populationType: PopulationType(rawValue: try row.decode(column: "population_type", as: String.self))
                ?? .othersOfConcern,
            location: FigureLocation(
                kind: FigureLocation.Kind(rawValue: try row.decode(column: "location_kind", as: String.self)) ?? .place,
                code: try row.decode(column: "location_code", as: String.self),
                name: try row.decode(column: "location_name", as: String.self)),
            originISO3: try text("origin_iso3"), asylumISO3: try text("asylum_iso3"),
            year: try row.decode(column: "year", as: Int.self),
            referenceDate: try row.decodeOptional(column: "reference_date", as: Date.self),
            round: try row.decodeOptional(column: "round", as: Int.self),
            reportingDate: try row.decodeOptional(column: "reporting_date", as: Date.self),
            total: try row.decode(column: "total", as: Int64.self),
            scheme: try text("scheme"), breakdown: bins)
        return StoredFigure(figure: figure, updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
