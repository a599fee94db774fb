import Domain
import FluentKit
import Foundation
import SQLKit

/// A tally as stored.
public struct FlowObservationRecord: Sendable, Hashable {
    public var id: FlowObservationID
    public var draft: FlowObservationDraft
    public var createdBy: UserID?
    public var createdAt: Date
}

/// A flow-monitoring point: the site and its profile (nil until someone describes it).
public struct FlowPoint: Sendable, Hashable {
    public var site: SiteRecord
    public var profile: FlowPointProfile?
}

/// Flow monitoring. Points are sites, and a tally is as visible as its point: every read joins
/// the site and goes through the one visibility rule (`VisibilityFilter` on `sites`).
public struct FlowStore: Sendable {
    static let kind = "flow_observation"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    // MARK: Points

    /// The flow-monitoring points `scope` may see: sites of that type, and any site with a profile.
    public func points(in scope: Scope) async throws -> [FlowPoint] {
        let sites = try await SiteStore(database).all(in: scope)
        let profiles = try await self.profiles(of: sites.map(\.id))
        return sites.filter { $0.siteType == .flowMonitoringPoint || profiles[$0.id] != nil }
            .map { FlowPoint(site: $0, profile: profiles[$0.id]) }
    }

    /// Whether `scope` sees any flow-monitoring point (as `points(in:)` counts them), in one statement:
    /// the dashboard asks on every view and needs no more than that.
    public func hasPoints(in scope: Scope) async throws -> Bool {
        try await database.sql.select().column(SQLLiteral.numeric("1")).from("sites")
            .where(VisibilityFilter.predicate(scope, table: "sites", kind: SiteStore.kind))
            .where(
                SQLQueryString(
                    "(\"sites\".\"type\" = \(bind: SiteType.flowMonitoringPoint.rawValue) OR EXISTS (SELECT 1 FROM \"flow_points\" WHERE \"flow_points\".\"site_id\" = \"sites\".\"id\"))"
                )
            )
            .limit(1).first() != nil
    }

    public func profiles(of siteIDs: [SiteID]) async throws -> [SiteID: FlowPointProfile] {
        guard !siteIDs.isEmpty else { return [:] }
        var result: [SiteID: FlowPointProfile] = [:]
        for row in try await database.sql.select().column("*").from("flow_points").where("site_id", .in, siteIDs).all()
        {
            result[try row.decode(column: "site_id", as: SiteID.self)] = FlowPointProfile(
                pointType: FlowPointType(rawValue: try row.decode(column: "point_type", as: String.self))
                    ?? .areaOfInterest,
                movements: Set(
                    try row.decode(column: "movements", as: String.self).split(separator: ",").compactMap {
                        FlowDirection(rawValue: String($0))
                    }),
                operatingHours: try row.decode(column: "operating_hours", as: String.self),
                transportModes: Set(
                    try row.decode(column: "transport_modes", as: String.self).split(separator: ",").compactMap {
                        TransportMode(rawValue: String($0))
                    }))
        }
        return result
    }

    /// Describes a site `scope` may see as a flow-monitoring point; the caller checked the right to change it.
    public func setProfile(_ profile: FlowPointProfile, of siteID: SiteID, scope: Scope, actorID: UserID, now: Date)
        async throws
    {
        guard let site = try await SiteStore(database).find(siteID, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such site.")
        }
        let hours = profile.operatingHours.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hours.count <= 200 else {
            throw DomainError(
                .invalid, field: "operating_hours", key: "error.too_long",
                "The operating hours are longer than 200 characters.")
        }
        try await database.writing { db in
            try await db.sql.delete(from: "flow_points").where("site_id", .equal, siteID).run()
            try await db.sql.insert(into: "flow_points").columns(
                "site_id", "operation_id", "point_type", "movements", "operating_hours", "transport_modes", "updated_at"
            )
            .values(
                SQLBind(siteID), SQLBind(site.operationId), SQLBind(profile.pointType.rawValue),
                SQLBind(
                    FlowDirection.allCases.filter(profile.movements.contains).map(\.rawValue).joined(separator: ",")),
                SQLBind(hours),
                SQLBind(
                    TransportMode.allCases.filter(profile.transportModes.contains).map(\.rawValue).joined(
                        separator: ",")), SQLBind(now)
            ).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: site.operationId, recordKind: SiteStore.kind,
                recordID: siteID.uuidString, action: .update,
                after: [
                    "flow_point":
                        "\(profile.pointType.rawValue); \(profile.movements.map(\.rawValue).sorted().joined(separator: ",")); \(hours)"
                ], at: now)
        }
    }

    // MARK: Tallies

    /// Records a tally at a point `scope` may see; the caller validated the draft and checked the right to record.
    public func record(_ draft: FlowObservationDraft, scope: Scope, actorID: UserID?, now: Date) async throws
        -> FlowObservationRecord
    {
        guard let site = try await SiteStore(database).find(draft.pointID, in: scope) else {
            throw DomainError(
                .invalid, field: "point", key: "error.flow_point", "That flow-monitoring point does not exist here.")
        }
        let record = FlowObservationRecord(
            id: FlowObservationID(UUID()), draft: draft, createdBy: actorID, createdAt: now)
        try await database.writing { db in
            try await db.sql.insert(into: "flow_observations")
                .columns(
                    [
                        "id", "operation_id", "point_id", "window_start", "window_end", "direction", "total", "scheme",
                        "bins", "nationality",
                        "origin_country", "origin_area", "last_transit", "next_destination", "final_destination",
                        "transport", "vulnerable",
                        "reasons", "notes", "created_by", "created_at",
                    ] + Self.countColumns(draft).map(\.0)
                )
                .values(
                    [
                        SQLBind(record.id), SQLBind(site.operationId), SQLBind(draft.pointID),
                        SQLBind(draft.windowStart), SQLBind(draft.windowEnd),
                        SQLBind(draft.direction.rawValue), SQLBind(draft.total), SQLBind(draft.scheme.rawValue),
                        SQLBind(Self.json(draft.bins)),
                        SQLBind(draft.nationality), SQLBind(draft.originCountry), SQLBind(draft.originArea),
                        SQLBind(draft.lastTransit),
                        SQLBind(draft.nextDestination), SQLBind(draft.finalDestination),
                        SQLBind(draft.transport?.rawValue),
                        SQLBind(
                            Self.json(
                                Dictionary(uniqueKeysWithValues: draft.vulnerable.map { ($0.key.rawValue, $0.value) }))),
                        SQLBind(
                            MovementReason.allCases.filter(draft.reasons.contains).map(\.rawValue).joined(
                                separator: ",")),
                        SQLBind(draft.notes), SQLBind(actorID), SQLBind(now),
                    ] + Self.countColumns(draft).map { SQLBind($0.1) }
                ).run()
            try await Self.summarise(draft, operationID: site.operationId, sign: 1, on: db)
            try await AuditStore(db).append(
                actorID: actorID, operationID: site.operationId, recordKind: Self.kind, recordID: record.id.uuidString,
                action: .create,
                after: [
                    "point": site.name, "direction": draft.direction.rawValue, "total": String(draft.total),
                    "window": "\(draft.windowStart.ISO8601Format()) – \(draft.windowEnd.ISO8601Format())",
                ], at: now)
        }
        return record
    }

    /// The tallies `scope` may see, as `o`, joined to their point (`sites`): the one place the
    /// visibility rule is put on tallies. Each read adds its conditions, order and limit.
    func visibleTallies(in scope: Scope, columns: [any SQLExpression] = FlowStore.recordColumns) -> SQLSelectBuilder {
        database.sql.select().columns(columns)
            .from(SQLAlias(SQLIdentifier("flow_observations"), as: SQLIdentifier("o")))
            .join("sites", on: SQLColumn("id", table: "sites"), .equal, SQLColumn("point_id", table: "o"))
            .where(VisibilityFilter.predicate(scope, table: "sites", kind: SiteStore.kind))
    }

    /// Whether a tally like `draft` (same point, window, direction and people) is already recorded
    /// at a point `scope` may see: the same count entered twice doubles a day's figure.
    public func hasIdentical(_ draft: FlowObservationDraft, in scope: Scope) async throws -> Bool {
        try await visibleTallies(in: scope)
            .where(SQLColumn("point_id", table: "o"), .equal, SQLBind(draft.pointID))
            .where(SQLColumn("window_start", table: "o"), .equal, SQLBind(draft.windowStart))
            .where(SQLColumn("window_end", table: "o"), .equal, SQLBind(draft.windowEnd))
            .where(SQLColumn("direction", table: "o"), .equal, SQLBind(draft.direction.rawValue))
            .where(SQLColumn("total", table: "o"), .equal, SQLBind(draft.total)).limit(1).first() != nil
    }

    /// One tally, if `scope` may see its point.
    public func observation(_ id: FlowObservationID, in scope: Scope) async throws -> FlowObservationRecord? {
        try await visibleTallies(in: scope).where(SQLColumn("id", table: "o"), .equal, SQLBind(id)).first()
            .map(Self.record)
    }

    /// Tallies `scope` may see, newest window first; optionally at one point.
    public func observations(in scope: Scope, point: SiteID? = nil, page: Paging) async throws -> ResultPage<
        FlowObservationRecord
    > {
        var query = visibleTallies(in: scope)
        if let point { query = query.where(SQLColumn("point_id", table: "o"), .equal, SQLBind(point)) }
        let rows = try await query.orderBy(SQLColumn("window_start", table: "o"), SQLDirection.descending)
            .orderBy(SQLColumn("created_at", table: "o"), SQLDirection.descending)
            .limit(page.perPage + 1).offset(page.offset).all()
        let items = try rows.prefix(page.perPage).map(Self.record)
        return ResultPage(items: items, page: page.page, perPage: page.perPage, total: page.offset + rows.count)
    }

    /// Up to `limit` tallies `scope` may see after `after` (the last of the previous batch), in a
    /// stable order: what the export reads, a batch at a time, without OFFSET (which made a
    /// million-row export read quadratically).
    public func batch(in scope: Scope, point: SiteID?, after: FlowObservationRecord?, limit: Int) async throws
        -> [FlowObservationRecord]
    {
        var query = visibleTallies(in: scope)
            .where(SQLColumn("operation_id", table: "o"), .equal, SQLBind(scope.operationID))
        if let point { query = query.where(SQLColumn("point_id", table: "o"), .equal, SQLBind(point)) }
        if let after {
            // A row value, which both databases read as a range of the (operation, window_start, id) index;
            // the same condition spelled with OR made SQLite start from the top of the index for every batch.
            query = query.where(
                SQLQueryString("(o.window_start, o.id) < (\(bind: after.draft.windowStart), \(bind: after.id))"))
        }
        return try await query.orderBy(SQLColumn("window_start", table: "o"), SQLDirection.descending).orderBy(
            SQLColumn("id", table: "o"), SQLDirection.descending
        )
        .limit(limit).all().map(Self.record)
    }

    /// The bins and vulnerabilities as the integer columns the analysis sums (migration 0026),
    /// zero where the tally gives none.
    static func countColumns(_ draft: FlowObservationDraft) -> [(String, Int)] {
        (DisaggregationScheme.unhcr.bins + DisaggregationScheme.sex.bins).map { ("c_\($0)", draft.bins[$0] ?? 0) }
            + FlowVulnerability.allCases.map { ("v_\($0.rawValue)", draft.vulnerable[$0] ?? 0) }
    }

    /// The summaries emptied and summed again from every tally, in one transaction.
    public func rebuildSummaries() async throws {
        try await database.writing { db in
            try await db.sql.delete(from: "flow_routes").run()
            try await db.sql.delete(from: "flow_daily").run()
            try await CreateFlowSummaries.fill(on: db.sql)
        }
    }

    /// Adds a tally to the per-day summaries (`sign` 1), or takes it out (−1), in the caller's
    /// transaction (migration 0027). Rows left with nothing in them are removed.
    static func summarise(_ draft: FlowObservationDraft, operationID: OperationID, sign: Int, on db: any Database)
        async throws
    {
        let sql = db.sql
        let day = DateText.day(draft.windowStart)
        let counts = countColumns(draft)
        let columns =
            ["operation_id", "point_id", "day", "direction", "tallies", "people", "disaggregated"] + counts.map(\.0)
        let values: [any Encodable & Sendable] =
            [
                operationID, draft.pointID, day, draft.direction.rawValue, sign, sign * draft.total,
                sign * (draft.scheme == .unhcr ? draft.total : 0),
            ] + counts.map { sign * $0.1 }
        let sums = columns.dropFirst(4).map { "\($0) = flow_daily.\($0) + excluded.\($0)" }.joined(separator: ", ")
        try await sql.raw(
            """
            INSERT INTO flow_daily (\(unsafeRaw: columns.joined(separator: ", "))) VALUES (\(binds: values))
            ON CONFLICT (point_id, day, direction) DO UPDATE SET \(unsafeRaw: sums)
            """
        ).run()
        let origin = draft.originArea ?? "", country = draft.originCountry ?? draft.nationality ?? ""
        let destination = draft.finalDestination ?? draft.nextDestination ?? ""
        try await sql.raw(
            """
            INSERT INTO flow_routes (operation_id, point_id, day, origin_area, origin_country, destination, people)
            VALUES (\(binds: [operationID, draft.pointID, day, origin, country, destination, sign * draft.total]))
            ON CONFLICT (point_id, day, origin_area, origin_country, destination) DO UPDATE SET people = flow_routes.people + excluded.people
            """
        ).run()
        if sign < 0 {
            try await sql.delete(from: "flow_daily").where("point_id", .equal, draft.pointID).where("day", .equal, day)
                .where("direction", .equal, draft.direction.rawValue).where("tallies", .lessThanOrEqual, 0).run()
            try await sql.delete(from: "flow_routes").where("point_id", .equal, draft.pointID).where("day", .equal, day)
                .where("origin_area", .equal, origin).where("origin_country", .equal, country).where(
                    "destination", .equal, destination
                )
                .where("people", .lessThanOrEqual, 0).run()
        }
    }

    static func json(_ values: [String: Int]) -> String? {
        guard !values.isEmpty else { return nil }
        var text = "{"
        for (i, key) in values.keys.sorted().enumerated() {
            if i > 0 { text += "," }
            JSONText.appendQuoted(key, to: &text)
            text += ":\(values[key]!)"
        }
        return text + "}"
    }

    static func counts(_ text: String?) -> [String: Int] {
        guard let text, let data = text.data(using: .utf8) else { return [:] }
        return (try? JSONDecoder().decode([String: Int].self, from: data)) ?? [:]
    }

    /// The columns `record` reads, and only those: decoding by name looks each one up among the
    /// row's columns, so the twenty count columns and the import key would only slow every read.
    static let recordColumns: [any SQLExpression] = [
        "id", "point_id", "window_start", "window_end", "direction", "total", "scheme", "bins",
        "nationality", "origin_country", "origin_area", "last_transit", "next_destination", "final_destination",
        "transport", "vulnerable",
        "reasons", "notes", "created_by", "created_at",
    ].map { SQLColumn($0, table: "o") }

    static func record(_ row: any SQLRow) throws -> FlowObservationRecord {
        func text(_ column: String) throws -> String? { try row.decodeOptional(column: column, as: String.self) }
        let draft = FlowObservationDraft(
            pointID: try row.decode(column: "point_id", as: SiteID.self),
            windowStart: try row.decode(column: "window_start", as: Date.self),
            windowEnd: try row.decode(column: "window_end", as: Date.self),
            direction: FlowDirection(rawValue: try row.decode(column: "direction", as: String.self)) ?? .incoming,
            total: try row.decode(column: "total", as: Int.self),
            scheme: DisaggregationScheme(rawValue: try row.decode(column: "scheme", as: String.self))
                ?? .notDisaggregated,
            bins: counts(try text("bins")), nationality: try text("nationality"),
            originCountry: try text("origin_country"),
            originArea: try text("origin_area"), lastTransit: try text("last_transit"),
            nextDestination: try text("next_destination"),
            finalDestination: try text("final_destination"),
            transport: try text("transport").flatMap(TransportMode.init(rawValue:)),
            vulnerable: Dictionary(
                uniqueKeysWithValues: counts(try text("vulnerable")).compactMap { key, value in
                    FlowVulnerability(rawValue: key).map { ($0, value) }
                }),
            reasons: Set(
                try row.decode(column: "reasons", as: String.self).split(separator: ",").compactMap {
                    MovementReason(rawValue: String($0))
                }),
            notes: try row.decode(column: "notes", as: String.self))
        return FlowObservationRecord(
            id: try row.decode(column: "id", as: FlowObservationID.self), draft: draft,
            createdBy: try row.decodeOptional(column: "created_by", as: UserID.self),
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}

/// What the flow analysis reads: totals per day, point and direction; origin × destination;
/// and, for the UNHCR-disaggregated tallies, sex × age and people in vulnerable situations.
extension FlowStore {
    public struct Daily: Sendable, Hashable {
        public var day: String
        public var pointID: SiteID
        public var direction: FlowDirection
        public var total: Int
    }

    public struct Selection: Sendable, Hashable {
        public var from: Date
        public var to: Date
        public var point: SiteID?
        public init(from: Date, to: Date, point: SiteID? = nil) { self.from = from; self.to = to; self.point = point }
    }

    /// The rows of a summary table (`flow_daily` or `flow_routes`, as `s`) at the points `scope`
    /// may see, for every UTC day `selection` touches (the analysis asks for whole days only).
    func summaries(_ table: String, _ selection: Selection, scope: Scope) -> SQLSelectBuilder {
        var query = database.sql.select().from(SQLAlias(SQLIdentifier(table), as: SQLIdentifier("s")))
            .join("sites", on: SQLColumn("id", table: "sites"), .equal, SQLColumn("point_id", table: "s"))
            .where(VisibilityFilter.predicate(scope, table: "sites", kind: SiteStore.kind))
            .where(SQLColumn("operation_id", table: "s"), .equal, SQLBind(scope.operationID))
            .where(SQLColumn("day", table: "s"), .greaterThanOrEqual, SQLBind(DateText.day(selection.from)))
            .where(
                SQLColumn("day", table: "s"), .lessThanOrEqual,
                SQLBind(DateText.day(selection.to.addingTimeInterval(-0.001))))
        if let point = selection.point {
            query = query.where(SQLColumn("point_id", table: "s"), .equal, SQLBind(point))
        }
        return query
    }

    /// Totals per day (UTC, the day the window starts), point and direction.
    public func daily(in scope: Scope, _ selection: Selection) async throws -> [Daily] {
        try await summaries("flow_daily", selection, scope: scope).column(SQLColumn("day", table: "s"), as: "day")
            .column(SQLColumn("point_id", table: "s"), as: "point").column(
                SQLColumn("direction", table: "s"), as: "direction"
            )
            .column(SQLColumn("people", table: "s"), as: "n").all().map { row in
                Daily(
                    day: try row.decode(column: "day", as: String.self),
                    pointID: try row.decode(column: "point", as: SiteID.self),
                    direction: FlowDirection(rawValue: try row.decode(column: "direction", as: String.self))
                        ?? .incoming,
                    total: try row.decode(column: "n", as: Int.self))
            }
    }

    /// People per origin (country, else nationality) and intended destination (final, else next).
    public func originDestination(in scope: Scope, _ selection: Selection) async throws -> [(
        origin: String, destination: String, total: Int
    )] {
        let origin = SQLRaw("CASE WHEN s.origin_country = '' THEN '?' ELSE s.origin_country END")
        let destination = SQLRaw("CASE WHEN s.destination = '' THEN '?' ELSE s.destination END")
        return try await summaries("flow_routes", selection, scope: scope).column(origin, as: "origin").column(
            destination, as: "destination"
        )
        .column(SQLRaw("CAST(SUM(s.people) AS BIGINT)"), as: "n").groupBy(origin).groupBy(destination).all().map {
            row in
            (
                try row.decode(column: "origin", as: String.self),
                try row.decode(column: "destination", as: String.self),
                try row.decode(column: "n", as: Int.self)
            )
        }
    }

    /// People per point, origin (the area given, and the country, else nationality) and intended
    /// destination (final, else next): what the flow map draws.
    public struct Movement: Sendable, Hashable {
        public var pointID: SiteID; public var originArea: String?; public var originCountry: String?;
        public var destination: String?; public var total: Int
    }

    public func movements(in scope: Scope, _ selection: Selection) async throws -> [Movement] {
        try await summaries("flow_routes", selection, scope: scope).column(
            SQLColumn("point_id", table: "s"), as: "point"
        )
        .column(SQLColumn("origin_area", table: "s"), as: "area").column(
            SQLColumn("origin_country", table: "s"), as: "country"
        )
        .column(SQLColumn("destination", table: "s"), as: "destination").column(
            SQLRaw("CAST(SUM(s.people) AS BIGINT)"), as: "n"
        )
        .groupBy(SQLColumn("point_id", table: "s")).groupBy(SQLColumn("origin_area", table: "s"))
        .groupBy(SQLColumn("origin_country", table: "s")).groupBy(SQLColumn("destination", table: "s"))
        .all().map { row in
            func text(_ column: String) throws -> String? {
                (try row.decode(column: column, as: String.self)).nilIfEmpty
            }
            return Movement(
                pointID: try row.decode(column: "point", as: SiteID.self), originArea: try text("area"),
                originCountry: try text("country"),
                destination: try text("destination"), total: try row.decode(column: "n", as: Int.self))
        }
    }

    /// Sex × age of the tallies disaggregated under UNHCR's scheme, the people those tallies count,
    /// and people in vulnerable situations over all tallies with the people they count: sums of the
    /// daily summaries, not of the tallies one by one (BENCHMARKS.md, flows over a million tallies).
    public func profile(in scope: Scope, _ selection: Selection) async throws
        -> (bins: [String: Int], disaggregatedPeople: Int, vulnerable: [FlowVulnerability: Int], people: Int)
    {
        var query = summaries("flow_daily", selection, scope: scope)
            .column(SQLRaw("CAST(COALESCE(SUM(s.people), 0) AS BIGINT)"), as: "people")
            .column(SQLRaw("CAST(COALESCE(SUM(s.disaggregated), 0) AS BIGINT)"), as: "disaggregated")
        // Only tallies under UNHCR's scheme fill these columns, so plain sums are the scheme's.
        for bin in DisaggregationScheme.unhcr.bins {
            query = query.column(SQLRaw("CAST(COALESCE(SUM(s.c_\(bin)), 0) AS BIGINT)"), as: "b_\(bin)")
        }
        for vulnerability in FlowVulnerability.allCases {
            query = query.column(
                SQLRaw("CAST(COALESCE(SUM(s.v_\(vulnerability.rawValue)), 0) AS BIGINT)"),
                as: "v_\(vulnerability.rawValue)")
        }
        guard let row = try await query.first() else { return ([:], 0, [:], 0) }
        var bins: [String: Int] = [:]
        for bin in DisaggregationScheme.unhcr.bins {
            let n = try row.decode(column: "b_\(bin)", as: Int.self)
            if n > 0 { bins[bin] = n }
        }
        var vulnerable: [FlowVulnerability: Int] = [:]
        for vulnerability in FlowVulnerability.allCases {
            let n = try row.decode(column: "v_\(vulnerability.rawValue)", as: Int.self)
            if n > 0 { vulnerable[vulnerability] = n }
        }
        return (
            bins, try row.decode(column: "disaggregated", as: Int.self), vulnerable,
            try row.decode(column: "people", as: Int.self)
        )
    }
}

extension FlowStore {
    public enum ImportOutcome: Sendable { case added, updated, unchanged, notYours }

    /// Imports one tally: the one named by `id` (from Bearing's own export) is updated when its
    /// content differs and the importer may change it (`AccessPolicy.canChange`: not someone
    /// else's tally unless they manage records); otherwise a tally whose content key is already
    /// there is unchanged, and a new one is added. The caller validated the draft and checked the
    /// right to record.
    public func importTally(
        _ draft: FlowObservationDraft, id: FlowObservationID?, scope: Scope, actorID: UserID?, now: Date
    )
        async throws -> ImportOutcome
    {
        let key = Self.importKey(draft)
        if let id, let current = try await observation(id, in: scope) {
            if Self.importKey(current.draft) == key { return .unchanged }
            guard AccessPolicy.canChange(createdBy: current.createdBy, through: scope) else {
                return .notYours
            }
            try await database.writing { db in
                let update = db.sql.update("flow_observations")
                    .set("point_id", to: draft.pointID).set("window_start", to: draft.windowStart).set(
                        "window_end", to: draft.windowEnd
                    )
                    .set("direction", to: draft.direction.rawValue).set("total", to: draft.total).set(
                        "scheme", to: draft.scheme.rawValue
                    )
                    .set("bins", to: Self.json(draft.bins)).set("nationality", to: draft.nationality).set(
                        "origin_country", to: draft.originCountry
                    )
                    .set("origin_area", to: draft.originArea).set("last_transit", to: draft.lastTransit).set(
                        "next_destination", to: draft.nextDestination
                    )
                    .set("final_destination", to: draft.finalDestination).set(
                        "transport", to: draft.transport?.rawValue
                    )
                    .set(
                        "vulnerable",
                        to: Self.json(
                            Dictionary(uniqueKeysWithValues: draft.vulnerable.map { ($0.key.rawValue, $0.value) }))
                    )
                    .set(
                        "reasons",
                        to: MovementReason.allCases.filter(draft.reasons.contains).map(\.rawValue).joined(
                            separator: ","))
                let counted = Self.countColumns(draft).reduce(update) { $0.set(SQLIdentifier($1.0), to: $1.1) }
                try await counted.where("id", .equal, id).run()
                // The summaries: the tally as it was out, as it is now in.
                try await Self.summarise(current.draft, operationID: scope.operationID, sign: -1, on: db)
                try await Self.summarise(draft, operationID: scope.operationID, sign: 1, on: db)
                try await AuditStore(db).append(
                    actorID: actorID, operationID: scope.operationID, recordKind: Self.kind,
                    recordID: id.uuidString, action: .update,
                    after: ["imported": "updated from a file", "total": String(draft.total)], at: now)
            }
            return .updated
        }
        let operationID = scope.operationID
        // Only among the tallies the scope sees: "unchanged" must not tell that a hidden one exists.
        let known = try await visibleTallies(in: scope, columns: [SQLColumn("id", table: "o")])
            .where(SQLColumn("operation_id", table: "o"), .equal, SQLBind(operationID))
            .where(SQLColumn("import_key", table: "o"), .equal, SQLBind(key)).first()
        if known != nil { return .unchanged }
        let record = try await record(draft, scope: scope, actorID: actorID, now: now)
        try await database.sql.update("flow_observations").set("import_key", to: key).where("id", .equal, record.id)
            .run()
        return .added
    }

    /// Everything a tally says (not its notes), as a digest.
    static func importKey(_ d: FlowObservationDraft) -> String {
        let parts: [String] = [
            d.pointID.uuidString, String(d.windowStart.timeIntervalSince1970),
            String(d.windowEnd.timeIntervalSince1970), d.direction.rawValue,
            String(d.total), d.scheme.rawValue, json(d.bins) ?? "", d.nationality ?? "", d.originCountry ?? "",
            d.originArea ?? "", d.lastTransit ?? "",
            d.nextDestination ?? "", d.finalDestination ?? "", d.transport?.rawValue ?? "",
            json(Dictionary(uniqueKeysWithValues: d.vulnerable.map { ($0.key.rawValue, $0.value) })) ?? "",
            MovementReason.allCases.filter(d.reasons.contains).map(\.rawValue).joined(separator: ","),
        ]
        return Hex.sha256(parts.joined(separator: "\u{1F}"))
    }
}
