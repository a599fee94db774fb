import Domain
import FluentKit
import Foundation
import SQLKit

/// A risk as stored: the facts (the draft) and what the register keeps about it.
public struct RiskRecord: Sendable, Hashable {
    public var id: RiskID
    public var operationID: OperationID
    public var number: Int
    public var draft: RiskDraft
    public var inherentLevel: Int
    public var residualLevel: Int?
    /// Residual when assessed, else inherent: what the register ranks by.
    public var level: Int
    public var closedAt: Date?
    public var closedBy: UserID?
    public var closingNote: String?
    public var version: Int
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date

    public var access: RecordAccess {
        RecordAccess(
            operationID: operationID, audience: draft.audience, createdBy: createdBy,
            namedRoles: AccessPolicy.rolesNamedOnRisk(audience: draft.audience))
    }
}

/// A risk as the register lists it.
public struct RiskListItem: Sendable, Hashable {
    public var id: RiskID
    public var number: Int
    public var title: String
    public var threat: String
    public var areaPcodes: [String]
    public var likelihood: Int
    public var impact: Int
    public var inherentLevel: Int
    public var residualLikelihood: Int?
    public var residualImpact: Int?
    public var residualLevel: Int?
    public var level: Int
    public var accepted: Bool
    public var nextReview: Date
    public var closed: Bool
    public var openMeasures: Int
    public var overdueMeasures: Int
}

/// One version of a risk, as its history lists it.
public struct RiskVersion: Sendable, Hashable {
    public enum Change: String, Sendable, CaseIterable { case created, updated, closed, reopened, releveled }
    public var version: Int
    public var recordedAt: Date
    public var actorID: UserID?
    public var change: Change
    public var level: Int
    public var closed: Bool
    public var draft: RiskDraft
}

/// A risk an incident evidences, or an incident evidencing a risk: what a link shows of the other side.
public struct RiskLink<Tag>: Sendable, Hashable {
    /// The other side's id: an incident's on a risk, a risk's on an incident.
    public var id: Tagged<Tag, UUID>
    public var number: Int
    public var title: String
}

/// A "what changed since …" report as issued to the HeOps.
public struct RiskReportRecord: Sendable, Hashable {
    public var id: RiskReportID
    public var operationID: OperationID
    public var number: Int
    public var since: Date
    public var issuedAt: Date
    public var recommendations: String
    public var audience: AudienceLevel
    public var createdBy: UserID?
}

/// The security risk register. Every read goes through the viewer's scope (`VisibilityFilter`);
/// every write records a version of the risk and an audit entry in the same transaction.
public struct RiskStore: Sendable {
    static let kind = "risk"
    static let reportKind = "risk_report"
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public struct Filter: Sendable, Hashable {
        public var includeClosed: Bool
        /// Risks scoped to this area, and those of the whole operation.
        public var areaPcode: String?
        public var minimumLevel: Int?
        public init(includeClosed: Bool = false, areaPcode: String? = nil, minimumLevel: Int? = nil) {
            self.includeClosed = includeClosed; self.areaPcode = areaPcode; self.minimumLevel = minimumLevel
        }
    }

    // MARK: Writing

    /// Records a new risk; the caller has validated the draft against `matrix` and checked
    /// `AccessPolicy.canManageRisks`. Numbers run per operation.
    public func create(
        _ draft: RiskDraft, in operationID: OperationID, matrix: RiskMatrix, actorID: UserID, now: Date
    ) async throws -> RiskRecord {
        let levels = try Self.levels(draft, matrix)
        let id = RiskID(UUID())
        return try await database.writing { db in
            let sql = db.sql
            if sql.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(7243017)").run() }
            let number =
                try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("number")), as: "n").from("risks")
                .where("operation_id", .equal, operationID).first()?.decode(column: "n", as: Int?.self) ?? 0
            var columns = Self.factColumns(draft, levels)
            columns += [
                ("id", SQLBind(id)), ("operation_id", SQLBind(operationID)), ("number", SQLBind(number + 1)),
                ("closed_at", SQLBind(Date?.none)), ("closed_by", SQLBind(UUID?.none)),
                ("closing_note", SQLBind(String?.none)),
                ("version", SQLBind(1)), ("created_by", SQLBind(actorID)), ("created_at", SQLBind(now)),
                ("updated_at", SQLBind(now)),
            ]
            try await sql.insert(into: "risks").columns(columns.map(\.0)).values(columns.map(\.1)).run()
            try await Self.replaceMeasures(draft.measures, of: id, on: sql)
            try await SiteStore.replaceGrants(
                on: db, kind: Self.kind, recordID: id,
                grants: .init(roles: AccessPolicy.rolesNamedOnRisk(audience: draft.audience)))
            try await Self.recordVersion(
                1, of: id, operationID: operationID, change: .created, draft: draft, level: levels.level,
                closed: false, actorID: actorID, at: now, on: sql)
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create, after: Self.snapshot(draft, matrix), at: now)
            return RiskRecord(
                id: id, operationID: operationID, number: number + 1, draft: draft, inherentLevel: levels.inherent,
                residualLevel: levels.residual, level: levels.level, closedAt: nil, closedBy: nil, closingNote: nil,
                version: 1, createdBy: actorID, createdAt: now, updatedAt: now)
        }
    }

    /// Replaces the risk's facts and measures; the caller has checked `AccessPolicy.canManageRisks`.
    public func update(
        _ id: RiskID, with draft: RiskDraft, matrix: RiskMatrix, scope: Scope, actorID: UserID,
        expecting version: String? = nil,
        publishingHistory: Bool = false, now: Date
    ) async throws -> RiskRecord {
        guard var record = try await find(id, in: scope) else { throw Self.notFound }
        let levels = try Self.levels(draft, matrix)
        let before = record
        record.draft = draft
        record.inherentLevel = levels.inherent
        record.residualLevel = levels.residual
        record.level = levels.level
        record.version += 1
        record.updatedAt = now
        let after = record
        try await database.writing { db in
            try await db.sql.requireVersion(version, of: "risks", id: id, what: "risk", now: now)
            // Widened, with the earlier wording published by the one who widened it: the new circle may read it too.
            if publishingHistory, draft.audience < before.draft.audience {
                try await db.sql.update("risk_versions").set("readable_audience", to: draft.audience.rawValue).where(
                    "risk_id", .equal, id
                ).run()
            }
            let update = db.sql.update("risks")
            for (column, value) in Self.factColumns(draft, levels) + [
                ("version", SQLBind(after.version)), ("updated_at", SQLBind(now)),
            ] {
                update.set(SQLIdentifier(column), to: value)
            }
            try await update.where("id", .equal, id).run()
            try await Self.replaceMeasures(draft.measures, of: id, on: db.sql)
            try await SiteStore.replaceGrants(
                on: db, kind: Self.kind, recordID: id,
                grants: .init(roles: AccessPolicy.rolesNamedOnRisk(audience: draft.audience)))
            try await Self.recordVersion(
                after.version, of: id, operationID: after.operationID, change: .updated, draft: draft,
                level: levels.level, closed: after.closedAt != nil, actorID: actorID, at: now, on: db.sql)
            try await AuditStore(db).append(
                actorID: actorID, operationID: after.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before.draft, matrix),
                after: Self.snapshot(draft, matrix), at: now)
        }
        return after
    }

    /// Closes a risk that no longer applies (with why), or reopens it (`note` nil).
    public func setClosed(_ id: RiskID, note: String?, scope: Scope, actorID: UserID, now: Date) async throws
        -> RiskRecord
    {
        guard var record = try await find(id, in: scope) else { throw Self.notFound }
        let closing = note != nil
        let text = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if closing, text?.isEmpty ?? true {
            throw DomainError(
                .invalid, field: "closing_note", key: "error.risk_closing_note", "Say why the risk is closed.")
        }
        guard closing != (record.closedAt != nil) else {
            throw DomainError(
                .invalid, field: "closing_note", key: closing ? "error.risk_already_closed" : "error.risk_not_closed",
                closing ? "This risk is already closed." : "This risk is open.")
        }
        record.closedAt = closing ? now : nil
        record.closedBy = closing ? actorID : nil
        record.closingNote = closing ? text : nil
        record.version += 1
        record.updatedAt = now
        let after = record
        try await database.writing { db in
            try await db.sql.update("risks").set("closed_at", to: after.closedAt).set("closed_by", to: after.closedBy)
                .set("closing_note", to: after.closingNote).set("version", to: after.version).set("updated_at", to: now)
                .where("id", .equal, id).run()
            try await Self.recordVersion(
                after.version, of: id, operationID: after.operationID, change: closing ? .closed : .reopened,
                draft: after.draft, level: after.level, closed: closing, actorID: actorID, at: now, on: db.sql)
            try await AuditStore(db).append(
                actorID: actorID, operationID: after.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: ["closed": closing ? nil : "yes"],
                after: ["closed": closing ? "yes" : nil, "closing_note": after.closingNote], at: now)
        }
        return after
    }

    /// Re-computes every risk's levels of an operation after its matrix changed, recording a
    /// version for each risk whose level moved. Runs inside the settings' transaction.
    func relevel(operationID: OperationID, matrix: RiskMatrix, actorID: UserID, now: Date) async throws {
        let rows = try await database.sql.select().column("*").from("risks").where("operation_id", .equal, operationID)
            .all()
        for row in rows {
            var record = try Self.record(row, measures: [])
            record.draft.measures = try await measures(of: record.id)
            let levels = try Self.levels(record.draft, matrix, checkScales: false)
            guard
                levels.inherent != record.inherentLevel || levels.residual != record.residualLevel
                    || levels.level != record.level
            else { continue }
            let before = record
            record.version += 1
            try await database.sql.update("risks").set("inherent_level", to: levels.inherent).set(
                "residual_level", to: levels.residual
            )
            .set("level", to: levels.level).set("version", to: record.version).set("updated_at", to: now)
            .where("id", .equal, record.id).run()
            try await Self.recordVersion(
                record.version, of: record.id, operationID: operationID, change: .releveled, draft: record.draft,
                level: levels.level, closed: record.closedAt != nil, actorID: actorID, at: now, on: database.sql)
            // The new matrix moved the risk: its history and the audit log both say so.
            try await AuditStore(database).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: record.id.uuidString,
                action: .update,
                before: [
                    "inherent_level": String(before.inherentLevel),
                    "residual_level": before.residualLevel.map(String.init), "level": String(before.level),
                ],
                after: [
                    "inherent_level": String(levels.inherent), "residual_level": levels.residual.map(String.init),
                    "level": String(levels.level),
                ], at: now)
        }
    }

    /// Links a risk to an incident that evidences it. Both must be visible to `scope`: nobody
    /// learns of an incident, even its number, through a link.
    public func link(_ riskID: RiskID, toIncidentNumber number: Int, scope: Scope, actorID: UserID, now: Date)
        async throws
        -> RiskLink<IdentifierTag.Incident>
    {
        guard let risk = try await find(riskID, in: scope) else { throw Self.notFound }
        guard
            let row = try await database.sql.select().columns("id", "number", "title").from("incidents")
                .where(VisibilityFilter.predicate(scope, table: "incidents", kind: IncidentStore.kind))
                .where("number", .equal, number).first()
        else {
            throw DomainError(
                .invalid, field: "incident_number", key: "error.risk_link_incident",
                "There is no incident \(number) you can see.")
        }
        let incident = RiskLink<IdentifierTag.Incident>(
            id: try row.decode(column: "id", as: IncidentID.self), number: number,
            title: try row.decode(column: "title", as: String.self))
        try await database.writing { db in
            let existing = try await db.sql.select().column("risk_id").from("risk_incidents")
                .where("risk_id", .equal, riskID).where("incident_id", .equal, incident.id).first()
            guard existing == nil else { return }
            try await db.sql.insert(into: "risk_incidents").columns("risk_id", "incident_id", "linked_at", "linked_by")
                .values(SQLBind(riskID), SQLBind(incident.id), SQLBind(now), SQLBind(actorID)).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: risk.operationID, recordKind: Self.kind, recordID: riskID.uuidString,
                action: .update, after: ["incident_linked": "\(number)"], at: now)
        }
        return incident
    }

    public func unlink(_ riskID: RiskID, incidentID: IncidentID, scope: Scope, actorID: UserID, now: Date) async throws
    {
        guard let risk = try await find(riskID, in: scope) else { throw Self.notFound }
        let linked = try await linkedIncidents(of: riskID, in: scope)
        guard let incident = linked.first(where: { $0.id == incidentID }) else { throw Self.notFound }
        try await database.writing { db in
            try await db.sql.delete(from: "risk_incidents").where("risk_id", .equal, riskID).where(
                "incident_id", .equal, incidentID
            ).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: risk.operationID, recordKind: Self.kind, recordID: riskID.uuidString,
                action: .update, before: ["incident_linked": "\(incident.number)"], at: now)
        }
    }

    // MARK: Reading

    /// The risk with its measures, if `scope` may see it.
    public func find(_ id: RiskID, in scope: Scope) async throws -> RiskRecord? {
        guard
            let row = try await database.sql.select().column("*").from("risks")
                .where(VisibilityFilter.predicate(scope, table: "risks", kind: Self.kind)).where("id", .equal, id)
                .first()
        else { return nil }
        return try Self.record(row, measures: try await measures(of: id))
    }

    /// The register: risks `scope` may see, highest level first, then by number.
    public func list(in scope: Scope, filter: Filter = Filter(), now: Date, page: Paging) async throws -> ResultPage<
        RiskListItem
    > {
        var result = try await database.sql.page(
            page, columns: Self.listColumns, from: "risks",
            filter: {
                self.filtered($0, scope: scope, filter: filter)
                    .column(SQLLiteral.numeric("0"), as: "open_measures").column(
                        SQLLiteral.numeric("0"), as: "overdue_measures")
            },
            order: { $0.orderBy("level", .descending).orderBy("number") }, decode: Self.listItem,
            countSeparately: true)
        // The measures are counted for the page's risks only, in one grouped read: as columns of
        // the page's query they were counted for every risk the window count reads (a third of
        // the register page's time with 500 risks).
        guard !result.items.isEmpty else { return result }
        let open = [MeasureStatus.planned.rawValue, MeasureStatus.inProgress.rawValue]
        let counts = try await database.sql.select().column("risk_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "open")
            .column(SQLQueryString("SUM(CASE WHEN due_on < \(bind: now) THEN 1 ELSE 0 END)"), as: "overdue")
            .from("risk_measures").where("risk_id", .in, result.items.map(\.id)).where("status", .in, open)
            .groupBy("risk_id").all()
        var byRisk: [RiskID: (Int, Int)] = [:]
        for row in counts {
            byRisk[try row.decode(column: "risk_id", as: RiskID.self)] = (
                try row.decode(column: "open", as: Int.self),
                try row.decodeOptional(column: "overdue", as: Int.self) ?? 0
            )
        }
        for i in result.items.indices {
            (result.items[i].openMeasures, result.items[i].overdueMeasures) = byRisk[result.items[i].id] ?? (0, 0)
        }
        return result
    }

    /// Open risks `scope` may see whose next review falls before `by`, the earliest first: the
    /// dashboard's list. At most `limit`, and how many there are in all.
    public func dueForReview(in scope: Scope, by: Date, limit: Int) async throws -> (items: [RiskListItem], total: Int)
    {
        let result = try await database.sql.page(
            Paging(page: 1, perPage: limit), columns: Self.listColumns, from: "risks",
            filter: {
                self.filtered($0, scope: scope, filter: Filter()).where("next_review", .lessThan, by)
                    .column(SQLLiteral.numeric("0"), as: "open_measures")
                    .column(SQLLiteral.numeric("0"), as: "overdue_measures")
            }, order: { $0.orderBy("next_review").orderBy("number") }, decode: Self.listItem, countSeparately: true)
        return (result.items, result.total)
    }

    /// One cell of the heat map: where open risks stand now (residual where assessed, else
    /// inherent), how many there are, and the first few of them by level.
    public struct HeatMapCell: Sendable, Hashable {
        public var likelihood: Int
        public var impact: Int
        public var count: Int
        public var risks: [(number: Int, title: String)]
        public static func == (a: Self, b: Self) -> Bool {
            a.likelihood == b.likelihood && a.impact == b.impact && a.count == b.count
                && a.risks.map(\.number) == b.risks.map(\.number)
        }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(likelihood); hasher.combine(impact); hasher.combine(count)
        }
    }

    /// The heat map of the open risks `scope` may see: per cell the count and the `namesPerCell`
    /// highest risks, counted and picked in SQL, so a register of hundreds of risks is not read
    /// row by row on every view (BENCHMARKS.md: the register at 500 risks, steps 1 and 3).
    public func heatMap(in scope: Scope, filter: Filter = Filter(), namesPerCell: Int = 8) async throws -> [HeatMapCell]
    {
        let l = "COALESCE(residual_likelihood, likelihood)", i = "COALESCE(residual_impact, impact)"
        let inner = filtered(
            database.sql.select()
                .column(SQLRaw(l), as: "l").column(SQLRaw(i), as: "i").column("number").column("title")
                .column(SQLRaw("ROW_NUMBER() OVER (PARTITION BY \(l), \(i) ORDER BY level DESC, number)"), as: "rn")
                .column(SQLRaw("COUNT(*) OVER (PARTITION BY \(l), \(i))"), as: "n")
                .from("risks"), scope: scope,
            filter: Filter(includeClosed: false, areaPcode: filter.areaPcode, minimumLevel: filter.minimumLevel))
        let rows = try await database.sql.select().columns("l", "i", "number", "title", "n")
            .from(SQLAlias(SQLGroupExpression(inner.select), as: SQLIdentifier("t")))
            .where("rn", .lessThanOrEqual, namesPerCell).orderBy("l").orderBy("i").orderBy("rn").all()
        var cells: [HeatMapCell] = []
        for row in rows {
            let (likelihood, impact) = (
                try row.decode(column: "l", as: Int.self), try row.decode(column: "i", as: Int.self)
            )
            let risk = (
                number: try row.decode(column: "number", as: Int.self),
                title: try row.decode(column: "title", as: String.self)
            )
            if let last = cells.last, last.likelihood == likelihood, last.impact == impact {
                cells[cells.count - 1].risks.append(risk)
            } else {
                cells.append(
                    HeatMapCell(
                        likelihood: likelihood, impact: impact, count: try row.decode(column: "n", as: Int.self),
                        risks: [risk]))
            }
        }
        return cells
    }

    func filtered(_ query: SQLSelectBuilder, scope: Scope, filter: Filter) -> SQLSelectBuilder {
        var query = query.where(VisibilityFilter.predicate(scope, table: "risks", kind: Self.kind))
        if !filter.includeClosed { query = query.where("closed_at", .is, SQLLiteral.null) }
        if let minimum = filter.minimumLevel { query = query.where("level", .greaterThanOrEqual, minimum) }
        if let area = filter.areaPcode {
            query = query.where(
                SQLQueryString(
                    "(risks.area_pcodes = '' OR ',' || risks.area_pcodes || ',' LIKE \(bind: "%," + SiteStore.escapeLike(area) + ",%"))"
                ))
        }
        return query
    }

    /// The risk's versions, newest first.
    public func versions(of id: RiskID, in scope: Scope) async throws -> [RiskVersion] {
        guard let risk = try await find(id, in: scope) else { throw Self.notFound }
        return try await database.sql.select().column("*").from("risk_versions").where("risk_id", .equal, id)
            .orderBy("version", .descending).all().map { row in
                let draft = try Self.decodeSnapshot(try row.decode(column: "snapshot", as: String.self))
                // As in `states(at:)`: a version written for a narrower circle than `scope` (the risk
                // was widened since, without publishing its history) keeps its wording and who wrote it
                // to that circle; it shows the risk's current wording and no actor.
                let published = try row.decodeOptional(column: "readable_audience", as: String.self).flatMap(
                    AudienceLevel.init(rawValue:))
                let readable = AccessPolicy.canReadRiskWording(
                    writtenFor: min(draft.audience, published ?? draft.audience),
                    createdBy: risk.createdBy, through: scope)
                return RiskVersion(
                    version: try row.decode(column: "version", as: Int.self),
                    recordedAt: try row.decode(column: "recorded_at", as: Date.self),
                    actorID: readable ? try row.decodeOptional(column: "actor_id", as: UserID.self) : nil,
                    change: RiskVersion.Change(rawValue: try row.decode(column: "change", as: String.self)) ?? .updated,
                    level: try row.decode(column: "level", as: Int.self),
                    closed: try row.decode(column: "closed", as: Bool.self),
                    draft: readable ? draft : risk.draft)
            }
    }

    /// The register as it stood at `moment`, for the risks `scope` may see now: the last version
    /// of each risk recorded at or before it. Risks created later are absent. Only `detailed`
    /// states carry their title and open measures (read from the version's snapshot); the others
    /// carry the level and whether the risk was closed, which is all a comparison needs of the past.
    /// A version whose wording was written for a narrower circle than `scope` (the risk was widened
    /// since, without publishing its history) shows the risk's current title and no measures.
    public func states(at moment: Date, in scope: Scope, detailed: Bool) async throws -> [RiskState<RiskID>] {
        var query = database.sql.select().column(SQLColumn("risk_id", table: "v")).column(
            SQLColumn("level", table: "v")
        )
        .column(SQLColumn("closed", table: "v"))
        if detailed {
            query = query.column(SQLColumn("snapshot", table: "v")).column(SQLColumn("readable_audience", table: "v"))
                .column(SQLColumn("title", table: "risks"), as: "current_title").column(
                    SQLColumn("created_by", table: "risks"), as: "risk_created_by")
        }
        let rows =
            try await query
            .from(SQLAlias(SQLIdentifier("risk_versions"), as: SQLIdentifier("v")))
            .join("risks", on: SQLColumn("id", table: "risks"), .equal, SQLColumn("risk_id", table: "v"))
            .where(VisibilityFilter.predicate(scope, table: "risks", kind: Self.kind))
            .where(
                SQLQueryString(
                    """
                    v.operation_id = \(bind: scope.operationID) AND v.recorded_at <= \(bind: moment) \
                    AND v.version = (SELECT MAX(w.version) FROM risk_versions w WHERE w.risk_id = v.risk_id AND w.recorded_at <= \(bind: moment))
                    """)
            )
            .all()
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try rows.map { row in
            var state = RiskState<RiskID>(
                id: try row.decode(column: "risk_id", as: RiskID.self), title: "",
                level: try row.decode(column: "level", as: Int.self),
                closed: try row.decode(column: "closed", as: Bool.self))
            if detailed {
                let summary = try decoder.decode(
                    SnapshotSummary.self, from: Data(try row.decode(column: "snapshot", as: String.self).utf8))
                // The wider of the version's own audience and the one its wording was published to.
                let published = try row.decodeOptional(column: "readable_audience", as: String.self).flatMap(
                    AudienceLevel.init(rawValue:))
                let readable = min(summary.audience, published ?? summary.audience)
                let createdBy = try row.decodeOptional(column: "risk_created_by", as: UserID.self)
                guard AccessPolicy.canReadRiskWording(writtenFor: readable, createdBy: createdBy, through: scope) else {
                    state.title = try row.decode(column: "current_title", as: String.self)
                    return state
                }
                state.title = summary.title
                state.openMeasures = summary.measures.filter { $0.status == .planned || $0.status == .inProgress }
                    .map { RiskState<RiskID>.OpenMeasure($0.description, owner: $0.owner, dueOn: $0.dueOn) }
            }
            return state
        }
    }

    /// What the "what changed" view reads of a snapshot: decoding the whole draft cost a third more.
    struct SnapshotSummary: Decodable {
        struct Measure: Decodable {
            let description: String; let owner: String; let dueOn: Date?; let status: MeasureStatus
        }
        let title: String
        let measures: [Measure]
        let audience: AudienceLevel
    }

    /// What changed in the register between `since` and `until`, as `scope` may see it.
    public func changes(since: Date, until: Date, in scope: Scope) async throws -> RiskChanges<RiskID> {
        let before = try await states(at: since, in: scope, detailed: false)
        let after = try await states(at: until, in: scope, detailed: true)
        return RiskChanges.between(before, after, now: until)
    }

    /// Incidents linked to the risk that `scope` may see.
    public func linkedIncidents(of riskID: RiskID, in scope: Scope) async throws -> [RiskLink<IdentifierTag.Incident>] {
        try await database.sql.select().column(SQLColumn("id", table: "incidents")).column(
            SQLColumn("number", table: "incidents")
        ).column(SQLColumn("title", table: "incidents")).from("incidents")
            .join(
                "risk_incidents", on: SQLColumn("incident_id", table: "risk_incidents"), .equal,
                SQLColumn("id", table: "incidents")
            )
            .where(VisibilityFilter.predicate(scope, table: "incidents", kind: IncidentStore.kind))
            .where(SQLColumn("risk_id", table: "risk_incidents"), .equal, SQLBind(riskID))
            .orderBy(SQLColumn("number", table: "incidents"), SQLDirection.descending).all().map(Self.link)
    }

    /// Risks the incident evidences that `scope` may see.
    public func risks(linkedTo incidentID: IncidentID, in scope: Scope) async throws -> [RiskLink<IdentifierTag.Risk>] {
        try await database.sql.select().column(SQLColumn("id", table: "risks")).column(
            SQLColumn("number", table: "risks")
        ).column(SQLColumn("title", table: "risks")).from("risks")
            .join(
                "risk_incidents", on: SQLColumn("risk_id", table: "risk_incidents"), .equal,
                SQLColumn("id", table: "risks")
            )
            .where(VisibilityFilter.predicate(scope, table: "risks", kind: Self.kind))
            .where(SQLColumn("incident_id", table: "risk_incidents"), .equal, SQLBind(incidentID))
            .orderBy(SQLColumn("number", table: "risks"), SQLDirection.ascending).all().map(Self.link)
    }

    // MARK: Reports

    /// Issues a "what changed" report: the period and the coordinator's recommendations. Its
    /// content is recomputed from the versions for each reader, so nobody reads through it a risk
    /// they may not see, and it reads the same on every later day.
    public func issueReport(
        since: Date, recommendations: String, audience: AudienceLevel, in operationID: OperationID, actorID: UserID,
        now: Date
    ) async throws -> RiskReportRecord {
        let text = recommendations.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = ValidationErrors()
        if since >= now { errors.add("since", key: "error.report_since", "The period must start before now.") }
        if text.count > 20_000 {
            errors.add(
                "recommendations", key: "error.too_long", "The recommendations are longer than 20,000 characters.")
        }
        try errors.throwIfAny()
        let id = RiskReportID(UUID())
        return try await database.writing { db in
            let sql = db.sql
            if sql.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(7243017)").run() }
            let number =
                try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("number")), as: "n").from(
                    "risk_reports"
                )
                .where("operation_id", .equal, operationID).first()?.decode(column: "n", as: Int?.self) ?? 0
            let report = RiskReportRecord(
                id: id, operationID: operationID, number: number + 1, since: since, issuedAt: now,
                recommendations: text, audience: audience, createdBy: actorID)
            try await sql.insert(into: "risk_reports")
                .columns(
                    "id", "operation_id", "number", "since", "issued_at", "recommendations", "audience", "created_by"
                )
                .values(
                    SQLBind(id), SQLBind(operationID), SQLBind(report.number), SQLBind(since), SQLBind(now),
                    SQLBind(text),
                    SQLBind(audience.rawValue), SQLBind(actorID)
                ).run()
            try await SiteStore.replaceGrants(
                on: db, kind: Self.reportKind, recordID: id,
                grants: .init(roles: AccessPolicy.rolesNamedOnRisk(audience: audience)))
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.reportKind, recordID: id.uuidString,
                action: .create, after: ["since": since.ISO8601Format(), "recommendations": text], at: now)
            return report
        }
    }

    public func report(_ id: RiskReportID, in scope: Scope) async throws -> RiskReportRecord? {
        try await database.sql.select().column("*").from("risk_reports")
            .where(VisibilityFilter.predicate(scope, table: "risk_reports", kind: Self.reportKind)).where(
                "id", .equal, id
            )
            .first().map(Self.reportRecord)
    }

    /// Reports issued, newest first.
    public func reports(in scope: Scope, limit: Int = 20) async throws -> [RiskReportRecord] {
        try await database.sql.select().column("*").from("risk_reports")
            .where(VisibilityFilter.predicate(scope, table: "risk_reports", kind: Self.reportKind))
            .orderBy("issued_at", .descending).limit(limit).all().map(Self.reportRecord)
    }

    // MARK: Rows

    static let notFound = DomainError(.notFound, key: "error.not_found", "No such risk.")

    struct Levels { let inherent: Int; let residual: Int?; var level: Int { residual ?? inherent } }

    static func levels(_ draft: RiskDraft, _ matrix: RiskMatrix, checkScales: Bool = true) throws -> Levels {
        guard let inherent = draft.inherentLevel(matrix) else {
            // A matrix shrunk under an old risk: keep the highest level rather than lose the risk.
            if !checkScales { return Levels(inherent: matrix.levels.count - 1, residual: nil) }
            throw DomainError(
                .invalid, field: "likelihood", key: "error.risk_scale",
                "The likelihood or impact is outside the matrix.")
        }
        return Levels(inherent: inherent, residual: draft.residualLevel(matrix))
    }

    static func factColumns(_ d: RiskDraft, _ levels: Levels) -> [(String, SQLBind)] {
        [
            ("title", SQLBind(d.title)), ("threat", SQLBind(d.threat)),
            ("targets", SQLBind(RiskTarget.allCases.filter(d.targets.contains).map(\.rawValue).joined(separator: ","))),
            ("vulnerabilities", SQLBind(d.vulnerabilities)),
            ("area_pcodes", SQLBind(d.areaPcodes.joined(separator: ","))),
            ("likelihood", SQLBind(d.likelihood)), ("impact", SQLBind(d.impact)),
            ("inherent_level", SQLBind(levels.inherent)),
            ("residual_likelihood", SQLBind(d.residualLikelihood)), ("residual_impact", SQLBind(d.residualImpact)),
            ("residual_level", SQLBind(levels.residual)), ("level", SQLBind(levels.level)),
            ("acceptance_by", SQLBind(d.acceptance?.decidedBy)), ("acceptance_on", SQLBind(d.acceptance?.decidedOn)),
            ("acceptance_rationale", SQLBind(d.acceptance?.rationale)),
            ("programme_criticality", SQLBind(d.programmeCriticality?.rawValue)),
            ("next_review", SQLBind(d.nextReview)), ("audience", SQLBind(d.audience.rawValue)),
        ]
    }

    static func replaceMeasures(_ measures: [MitigationMeasure], of id: RiskID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "risk_measures").where("risk_id", .equal, id).run()
        for (position, m) in measures.enumerated() {
            try await sql.insert(into: "risk_measures")
                .columns("id", "risk_id", "position", "description", "owner", "due_on", "status", "strategy", "tags")
                .values(
                    SQLBind(UUID()), SQLBind(id), SQLBind(position), SQLBind(m.description), SQLBind(m.owner),
                    SQLBind(m.dueOn),
                    SQLBind(m.status.rawValue), SQLBind(m.strategy.rawValue), SQLBind(m.tags.joined(separator: ","))
                ).run()
        }
    }

    func measures(of id: RiskID) async throws -> [MitigationMeasure] {
        try await database.sql.select().column("*").from("risk_measures").where("risk_id", .equal, id).orderBy(
            "position"
        ).all().map { row in
            MitigationMeasure(
                description: try row.decode(column: "description", as: String.self),
                owner: try row.decode(column: "owner", as: String.self),
                dueOn: try row.decodeOptional(column: "due_on", as: Date.self),
                status: MeasureStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .planned,
                strategy: MitigationStrategy(rawValue: try row.decode(column: "strategy", as: String.self))
                    ?? .protection,
                tags: try row.decode(column: "tags", as: String.self).split(separator: ",").map(String.init))
        }
    }

    static func recordVersion(
        _ version: Int, of id: RiskID, operationID: OperationID, change: RiskVersion.Change, draft: RiskDraft,
        level: Int,
        closed: Bool,
        actorID: UserID?, at now: Date, on sql: any SQLDatabase
    ) async throws {
        try await sql.insert(into: "risk_versions")
            .columns(
                "id", "risk_id", "operation_id", "version", "recorded_at", "actor_id", "change", "level", "closed",
                "snapshot"
            )
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(operationID), SQLBind(version), SQLBind(now), SQLBind(actorID),
                SQLBind(change.rawValue), SQLBind(level), SQLBind(closed), SQLBind(try encodeSnapshot(draft))
            ).run()
    }

    static func encodeSnapshot(_ draft: RiskDraft) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(draft), as: UTF8.self)
    }

    static func decodeSnapshot(_ text: String) throws -> RiskDraft {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RiskDraft.self, from: Data(text.utf8))
    }

    /// What the audit log keeps of a risk, as text per field.
    static func snapshot(_ d: RiskDraft, _ matrix: RiskMatrix) -> [String: String?] {
        var values: [String: String?] = [
            "title": d.title, "threat": d.threat,
            "targets": RiskTarget.allCases.filter(d.targets.contains).map(\.rawValue).joined(separator: ","),
            "vulnerabilities": d.vulnerabilities.nilIfEmpty,
            "area_pcodes": d.areaPcodes.joined(separator: ",").nilIfEmpty,
            "likelihood": String(d.likelihood), "impact": String(d.impact),
            "inherent_level": matrix.levelKey(likelihood: d.likelihood, impact: d.impact),
            "residual_likelihood": d.residualLikelihood.map(String.init),
            "residual_impact": d.residualImpact.map(String.init),
            "programme_criticality": d.programmeCriticality?.rawValue, "next_review": DateText.day(d.nextReview),
            "audience": d.audience.rawValue,
        ]
        if let l = d.residualLikelihood, let i = d.residualImpact {
            values["residual_level"] = matrix.levelKey(likelihood: l, impact: i)
        }
        if let a = d.acceptance {
            values["acceptance"] = "\(a.decidedBy), \(DateText.day(a.decidedOn)): \(a.rationale)"
        }
        values["measures"] =
            d.measures.map { m in
                "\(m.description) — \(m.owner) [\(m.strategy.rawValue), \(m.status.rawValue)]"
                    + (m.dueOn.map { " (due \(DateText.day($0)))" } ?? "")
            }.joined(separator: "; ").nilIfEmpty
        return values
    }

    static func record(_ row: any SQLRow, measures: [MitigationMeasure]) throws -> RiskRecord {
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        var acceptance: RiskAcceptance?
        if let by = try row.decodeOptional(column: "acceptance_by", as: String.self),
            let on = try row.decodeOptional(column: "acceptance_on", as: Date.self)
        {
            acceptance = RiskAcceptance(
                decidedBy: by, decidedOn: on,
                rationale: try row.decodeOptional(column: "acceptance_rationale", as: String.self) ?? "")
        }
        let draft = RiskDraft(
            title: try text("title"), threat: try text("threat"),
            targets: Set(try text("targets").split(separator: ",").compactMap { RiskTarget(rawValue: String($0)) }),
            vulnerabilities: try text("vulnerabilities"),
            areaPcodes: try text("area_pcodes").split(separator: ",").map(String.init),
            likelihood: try row.decode(column: "likelihood", as: Int.self),
            impact: try row.decode(column: "impact", as: Int.self),
            measures: measures, residualLikelihood: try row.decodeOptional(column: "residual_likelihood", as: Int.self),
            residualImpact: try row.decodeOptional(column: "residual_impact", as: Int.self), acceptance: acceptance,
            programmeCriticality: try row.decodeOptional(column: "programme_criticality", as: String.self).flatMap(
                ProgrammeCriticality.init(rawValue:)),
            nextReview: try row.decode(column: "next_review", as: Date.self),
            audience: AudienceLevel(rawValue: try text("audience")) ?? .restricted)
        return RiskRecord(
            id: try row.decode(column: "id", as: RiskID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            number: try row.decode(column: "number", as: Int.self), draft: draft,
            inherentLevel: try row.decode(column: "inherent_level", as: Int.self),
            residualLevel: try row.decodeOptional(column: "residual_level", as: Int.self),
            level: try row.decode(column: "level", as: Int.self),
            closedAt: try row.decodeOptional(column: "closed_at", as: Date.self),
            closedBy: try row.decodeOptional(column: "closed_by", as: UserID.self),
            closingNote: try row.decodeOptional(column: "closing_note", as: String.self),
            version: try row.decode(column: "version", as: Int.self),
            createdBy: try row.decodeOptional(column: "created_by", as: UserID.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    static let listColumns = [
        "id", "number", "title", "threat", "area_pcodes", "likelihood", "impact", "inherent_level",
        "residual_likelihood", "residual_impact", "residual_level", "level", "acceptance_by", "next_review",
        "closed_at",
    ]

    static func listItem(_ row: any SQLRow) throws -> RiskListItem {
        RiskListItem(
            id: try row.decode(column: "id", as: RiskID.self), number: try row.decode(column: "number", as: Int.self),
            title: try row.decode(column: "title", as: String.self),
            threat: try row.decode(column: "threat", as: String.self),
            areaPcodes: try row.decode(column: "area_pcodes", as: String.self).split(separator: ",").map(String.init),
            likelihood: try row.decode(column: "likelihood", as: Int.self),
            impact: try row.decode(column: "impact", as: Int.self),
            inherentLevel: try row.decode(column: "inherent_level", as: Int.self),
            residualLikelihood: try row.decodeOptional(column: "residual_likelihood", as: Int.self),
            residualImpact: try row.decodeOptional(column: "residual_impact", as: Int.self),
            residualLevel: try row.decodeOptional(column: "residual_level", as: Int.self),
            level: try row.decode(column: "level", as: Int.self),
            accepted: try row.decodeOptional(column: "acceptance_by", as: String.self) != nil,
            nextReview: try row.decode(column: "next_review", as: Date.self),
            closed: !(try row.decodeNil(column: "closed_at")),
            openMeasures: try row.decode(column: "open_measures", as: Int.self),
            overdueMeasures: try row.decode(column: "overdue_measures", as: Int.self))
    }

    static func link<Tag>(_ row: any SQLRow) throws -> RiskLink<Tag> {
        RiskLink(
            id: try row.decode(column: "id", as: Tagged<Tag, UUID>.self),
            number: try row.decode(column: "number", as: Int.self),
            title: try row.decode(column: "title", as: String.self))
    }

    static func reportRecord(_ row: any SQLRow) throws -> RiskReportRecord {
        RiskReportRecord(
            id: try row.decode(column: "id", as: RiskReportID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            number: try row.decode(column: "number", as: Int.self),
            since: try row.decode(column: "since", as: Date.self),
            issuedAt: try row.decode(column: "issued_at", as: Date.self),
            recommendations: try row.decode(column: "recommendations", as: String.self),
            audience: AudienceLevel(rawValue: try row.decode(column: "audience", as: String.self)) ?? .restricted,
            createdBy: try row.decodeOptional(column: "created_by", as: UserID.self))
    }
}
