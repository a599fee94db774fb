import Domain
import FluentKit
import Foundation
import SQLKit

/// A protection risk as stored: the facts and what the register keeps about it.
public struct ProtectionRiskRecord: Sendable, Hashable {
    public var id: ProtectionRiskID
    public var operationID: OperationID
    public var number: Int
    public var draft: ProtectionRiskDraft
    /// The adjusted score and its level, by the method in force at the last save or re-scoring.
    public var exposure: Int
    public var level: Int
    public var closedAt: Date?
    public var closingNote: String?
    public var version: Int
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date
}

/// One version of a protection risk, as its history lists it.
public struct ProtectionRiskVersion: Sendable, Hashable {
    public var version: Int
    public var recordedAt: Date
    public var actorID: UserID?
    /// created, updated, closed, reopened, rescored
    public var change: String
    public var level: Int
    public var exposure: Int
    public var closed: Bool
}

/// A risk an activity's work mitigates, as the activity's row names it.
public struct MitigatedRisk: Sendable, Hashable {
    public var id: ProtectionRiskID
    public var number: Int
    public var title: String
}

/// One cell of the context × journey-phase heat map: how many open risks, and the highest level.
public struct ProtectionHeatCell: Sendable, Hashable {
    public var context: ProtectionContext
    public var phase: JourneyPhase
    public var count: Int
    public var highestLevel: Int
}

/// The protection-risk register. Every read goes through `VisibilityFilter.protectionRisks`;
/// every write records a version and an audit entry in the same transaction.
public struct ProtectionRiskStore: Sendable {
    static let kind = "protection_risk"
    static let notFound = DomainError(.notFound, key: "error.not_found", "No such protection risk.")
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public struct Filter: Sendable, Hashable {
        public var includeClosed: Bool
        /// A role-profile name (refoulement, abuse…), read through the settings' mapping.
        public var concern: ConcernMapping?
        public var category: ProtectionRiskCategory?
        public var context: ProtectionContext?
        public var phase: JourneyPhase?
        public init(
            includeClosed: Bool = false, concern: ConcernMapping? = nil, category: ProtectionRiskCategory? = nil,
            context: ProtectionContext? = nil, phase: JourneyPhase? = nil
        ) {
            self.includeClosed = includeClosed; self.concern = concern; self.category = category
            self.context = context; self.phase = phase
        }
    }

    // MARK: Writing

    /// Records a new risk; the caller has validated the draft and checked
    /// `AccessPolicy.canManageProtectionRisks`. Numbers run per operation.
    public func create(
        _ draft: ProtectionRiskDraft, method: ExposureMethod, scope: Scope, actorID: UserID?, now: Date
    ) async throws -> ProtectionRiskRecord {
        let exposure = draft.exposure(method)
        let id = ProtectionRiskID(UUID())
        return try await database.writing { db in
            let sql = db.sql
            if sql.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(7243040)").run() }
            let number =
                try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("number")), as: "n")
                .from("protection_risks").where("operation_id", .equal, scope.operationID).first()?
                .decode(column: "n", as: Int?.self) ?? 0
            let record = ProtectionRiskRecord(
                id: id, operationID: scope.operationID, number: number + 1, draft: draft, exposure: exposure.score,
                level: exposure.level, closedAt: nil, closingNote: nil, version: 1, createdBy: actorID,
                createdAt: now, updatedAt: now)
            let columns =
                try Self.factColumns(record) + [
                    ("id", SQLBind(id)), ("operation_id", SQLBind(scope.operationID)), ("number", SQLBind(number + 1)),
                    ("created_by", SQLBind(actorID)), ("created_at", SQLBind(now)),
                ]
            try await sql.insert(into: "protection_risks").columns(columns.map(\.0)).values(columns.map(\.1)).run()
            try await Self.replaceActivities(of: record, on: sql)
            try await Self.recordVersion(record, change: "created", actorID: actorID, at: now, on: sql)
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create, after: Self.snapshot(record), at: now)
            return record
        }
    }

    /// Replaces the risk's facts and mitigations, re-scored by `method`.
    public func update(
        _ id: ProtectionRiskID, with draft: ProtectionRiskDraft, method: ExposureMethod, scope: Scope,
        actorID: UserID?, expecting version: String? = nil, now: Date
    ) async throws -> ProtectionRiskRecord {
        try await database.writing { db in
            guard let before = try await ProtectionRiskStore(db).find(id, in: scope) else { throw Self.notFound }
            try await db.sql.requireVersion(version, of: "protection_risks", id: id, what: "protection risk", now: now)
            let exposure = draft.exposure(method)
            var after = before
            after.draft = draft
            after.exposure = exposure.score
            after.level = exposure.level
            after.version += 1
            after.updatedAt = now
            try await Self.write(after, on: db.sql)
            try await Self.replaceActivities(of: after, on: db.sql)
            try await Self.recordVersion(after, change: "updated", actorID: actorID, at: now, on: db.sql)
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before), after: Self.snapshot(after), at: now)
            return after
        }
    }

    /// Closes a risk that no longer applies (with why), or reopens it (`note` nil).
    public func setClosed(_ id: ProtectionRiskID, note: String?, scope: Scope, actorID: UserID?, now: Date)
        async throws -> ProtectionRiskRecord
    {
        let closing = note != nil
        let text = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if closing, text?.isEmpty ?? true {
            throw DomainError(
                .invalid, field: "closing_note", key: "error.risk_closing_note", "Say why the risk is closed.")
        }
        return try await database.writing { db in
            guard var record = try await ProtectionRiskStore(db).find(id, in: scope) else { throw Self.notFound }
            guard closing != (record.closedAt != nil) else {
                throw DomainError(
                    .invalid, field: "closing_note",
                    key: closing ? "error.risk_already_closed" : "error.risk_not_closed",
                    closing ? "This risk is already closed." : "This risk is open.")
            }
            record.closedAt = closing ? now : nil
            record.closingNote = closing ? text : nil
            record.version += 1
            record.updatedAt = now
            try await Self.write(record, on: db.sql)
            try await Self.recordVersion(
                record, change: closing ? "closed" : "reopened", actorID: actorID, at: now, on: db.sql)
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: ["closed": closing ? nil : "yes"],
                after: ["closed": closing ? "yes" : nil, "closing_note": record.closingNote], at: now)
            return record
        }
    }

    /// Re-scores every risk of an operation after its exposure method changed, recording a version
    /// for each whose score moved. Runs inside the settings' transaction.
    func rescore(operationID: OperationID, method: ExposureMethod, actorID: UserID, now: Date) async throws {
        let rows = try await database.sql.select().column("*").from("protection_risks")
            .where("operation_id", .equal, operationID).all()
        for row in rows {
            var record = try Self.record(row)
            let exposure = record.draft.exposure(method)
            guard exposure.score != record.exposure || exposure.level != record.level else { continue }
            record.exposure = exposure.score
            record.level = exposure.level
            record.version += 1
            try await database.sql.update("protection_risks").set("exposure", to: record.exposure)
                .set("level", to: record.level).set("version", to: record.version).where("id", .equal, record.id).run()
            try await Self.recordVersion(record, change: "rescored", actorID: actorID, at: now, on: database.sql)
        }
    }

    // MARK: Reading

    public func find(_ id: ProtectionRiskID, in scope: Scope) async throws -> ProtectionRiskRecord? {
        try await database.sql.select().column("*").from("protection_risks").where("id", .equal, id)
            .where(VisibilityFilter.protectionRisks(scope)).first().map(Self.record)
    }

    /// The register: highest level and exposure first, then by number.
    public func list(in scope: Scope, filter: Filter = Filter()) async throws -> [ProtectionRiskRecord] {
        try await filtered(database.sql.select().column("*").from("protection_risks"), scope: scope, filter: filter)
            .orderBy("level", .descending).orderBy("exposure", .descending).orderBy("number").all().map(Self.record)
    }

    /// How many open risks stand in each context × journey phase, and the highest level among them.
    public func heatMap(in scope: Scope, filter: Filter = Filter()) async throws -> [ProtectionHeatCell] {
        try await filtered(
            database.sql.select().column("context").column("phase")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .column(SQLFunction("MAX", args: SQLIdentifier("level")), as: "top").from("protection_risks"),
            scope: scope, filter: filter
        )
        .groupBy("context").groupBy("phase").all().compactMap { row in
            guard let context = ProtectionContext(rawValue: try row.decode(column: "context", as: String.self)),
                let phase = JourneyPhase(rawValue: try row.decode(column: "phase", as: String.self))
            else { return nil }
            return ProtectionHeatCell(
                context: context, phase: phase, count: try row.decode(column: "n", as: Int.self),
                highestLevel: try row.decode(column: "top", as: Int.self))
        }
    }

    func filtered(_ query: SQLSelectBuilder, scope: Scope, filter: Filter) -> SQLSelectBuilder {
        query.where(VisibilityFilter.protectionRisks(scope))
        if !filter.includeClosed { query.where(SQLColumn("closed_at"), .is, SQLLiteral.null) }
        if let category = filter.category { query.where("category", .equal, category.rawValue) }
        if let context = filter.context { query.where("context", .equal, context.rawValue) }
        if let phase = filter.phase { query.where("phase", .equal, phase.rawValue) }
        if let concern = filter.concern {
            // The closed vocabularies' keys, bound: a name finds its GPC risks or its sub-types.
            let categories = concern.categories.map(\.rawValue), subtypes = concern.subtypes.map(\.rawValue)
            query.where { group in
                if categories.isEmpty && subtypes.isEmpty { group.where(SQLLiteral.boolean(false)) }
                if !categories.isEmpty { group.orWhere("category", .in, categories) }
                if !subtypes.isEmpty { group.orWhere("subtype", .in, subtypes) }
                return group
            }
        }
        return query
    }

    /// Every version of a risk, newest first.
    public func versions(of id: ProtectionRiskID, in scope: Scope) async throws -> [ProtectionRiskVersion] {
        guard try await find(id, in: scope) != nil else { throw Self.notFound }
        return try await database.sql.select().columns(
            "version", "recorded_at", "actor_id", "change", "level", "exposure", "closed"
        )
        .from("protection_risk_versions").where("risk_id", .equal, id).orderBy("version", .descending).all().map {
            row in
            ProtectionRiskVersion(
                version: try row.decode(column: "version", as: Int.self),
                recordedAt: try row.decode(column: "recorded_at", as: Date.self),
                actorID: try row.decodeOptional(column: "actor_id", as: UserID.self),
                change: try row.decode(column: "change", as: String.self),
                level: try row.decode(column: "level", as: Int.self),
                exposure: try row.decode(column: "exposure", as: Int.self),
                closed: try row.decode(column: "closed", as: Bool.self))
        }
    }

    /// The register as it stood at `moment`: the last version of each risk recorded at or before
    /// it. Only `detailed` states carry the title and open mitigations, read from the snapshot.
    public func states(at moment: Date, in scope: Scope, detailed: Bool) async throws
        -> [RiskState<ProtectionRiskID>]
    {
        let query = database.sql.select().column(SQLColumn("risk_id", table: "v"))
            .column(SQLColumn("level", table: "v")).column(SQLColumn("closed", table: "v"))
        if detailed { query.column(SQLColumn("snapshot", table: "v")) }
        let rows =
            try await query
            .from(SQLAlias(SQLIdentifier("protection_risk_versions"), as: SQLIdentifier("v")))
            .join(
                "protection_risks", on: SQLColumn("id", table: "protection_risks"), .equal,
                SQLColumn("risk_id", table: "v")
            )
            .where(VisibilityFilter.protectionRisks(scope))
            .where(
                SQLQueryString(
                    """
                    v.operation_id = \(bind: scope.operationID) AND v.recorded_at <= \(bind: moment) \
                    AND v.version = (SELECT MAX(w.version) FROM protection_risk_versions w \
                    WHERE w.risk_id = v.risk_id AND w.recorded_at <= \(bind: moment))
                    """)
            ).all()
        return try rows.map { row in
            var state = RiskState<ProtectionRiskID>(
                id: try row.decode(column: "risk_id", as: ProtectionRiskID.self), title: "",
                level: try row.decode(column: "level", as: Int.self),
                closed: try row.decode(column: "closed", as: Bool.self))
            if detailed {
                let draft = try Self.decode(try row.decode(column: "snapshot", as: String.self))
                state.title = draft.title
                state.openMeasures = draft.mitigations.filter(\.isOpen).map {
                    RiskState<ProtectionRiskID>.OpenMeasure($0.description, owner: $0.owner, dueOn: $0.dueOn)
                }
            }
            return state
        }
    }

    /// What changed in the register between `since` and `until`, as `scope` may see it.
    public func changes(since: Date, until: Date, in scope: Scope) async throws -> RiskChanges<ProtectionRiskID> {
        RiskChanges.between(
            try await states(at: since, in: scope, detailed: false),
            try await states(at: until, in: scope, detailed: true), now: until)
    }

    /// The risks whose mitigations an activity carries out, for the activity's side of the link.
    public func risks(mitigatedBy activityID: UUID, in scope: Scope) async throws -> [ProtectionRiskRecord] {
        try await database.sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("protection_risks")))
            .from("protection_risks")
            .join(
                "protection_risk_activities", on: SQLColumn("risk_id", table: "protection_risk_activities"), .equal,
                SQLColumn("id", table: "protection_risks")
            )
            .where(SQLColumn("activity_id", table: "protection_risk_activities"), .equal, SQLBind(activityID))
            .where(VisibilityFilter.protectionRisks(scope)).orderBy(SQLColumn("number", table: "protection_risks"))
            .all().map(Self.record)
    }

    /// For each of `activityIDs`, the open risks whose mitigations it carries out: id, number and title.
    public func mitigatedRisks(by activityIDs: [UUID], in scope: Scope) async throws -> [UUID: [MitigatedRisk]] {
        guard !activityIDs.isEmpty else { return [:] }
        let rows = try await database.sql.select().column(SQLColumn("id", table: "protection_risks"))
            .column(SQLColumn("number", table: "protection_risks")).column(
                SQLColumn("title", table: "protection_risks")
            )
            .column(SQLColumn("activity_id", table: "protection_risk_activities"), as: "linked_activity")
            .from("protection_risks")
            .join(
                "protection_risk_activities", on: SQLColumn("risk_id", table: "protection_risk_activities"), .equal,
                SQLColumn("id", table: "protection_risks")
            )
            .where(VisibilityFilter.protectionRisks(scope))
            .where(SQLColumn("closed_at", table: "protection_risks"), .is, SQLLiteral.null)
            .where(
                SQLColumn("activity_id", table: "protection_risk_activities"), .in,
                SQLGroupExpression(activityIDs.map { SQLBind($0) })
            )
            .orderBy(SQLColumn("number", table: "protection_risks")).all()
        var linked: [UUID: [MitigatedRisk]] = [:]
        for row in rows {
            linked[try row.decode(column: "linked_activity", as: UUID.self), default: []].append(
                MitigatedRisk(
                    id: try row.decode(column: "id", as: ProtectionRiskID.self),
                    number: try row.decode(column: "number", as: Int.self),
                    title: try row.decode(column: "title", as: String.self)))
        }
        return linked
    }

    // MARK: Rows

    static func factColumns(_ r: ProtectionRiskRecord) throws -> [(String, SQLBind)] {
        let d = r.draft
        return [
            ("title", SQLBind(d.title)), ("category", SQLBind(d.category.rawValue)),
            ("subtype", SQLBind(d.subtype?.rawValue)), ("context", SQLBind(d.context.rawValue)),
            ("phase", SQLBind(d.phase.rawValue)), ("likelihood", SQLBind(d.likelihood)),
            ("severity", SQLBind(d.severity)), ("exposure", SQLBind(r.exposure)), ("level", SQLBind(r.level)),
            ("next_review", SQLBind(d.nextReview)), ("facts", SQLBind(try encode(d))),
            ("closed_at", SQLBind(r.closedAt)), ("closing_note", SQLBind(r.closingNote)),
            ("version", SQLBind(r.version)), ("updated_at", SQLBind(r.updatedAt)),
        ]
    }

    static func write(_ r: ProtectionRiskRecord, on sql: any SQLDatabase) async throws {
        let update = sql.update("protection_risks")
        for (column, value) in try factColumns(r) { update.set(SQLIdentifier(column), to: value) }
        try await update.where("id", .equal, r.id).run()
    }

    /// The link table mirrors the mitigations' activities, for the activity's side of the link.
    static func replaceActivities(of r: ProtectionRiskRecord, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "protection_risk_activities").where("risk_id", .equal, r.id).run()
        let ids = Set(r.draft.mitigations.flatMap(\.activityIDs))
        guard !ids.isEmpty else { return }
        let insert = sql.insert(into: "protection_risk_activities").columns("risk_id", "activity_id")
        for id in ids.sorted(by: { $0.uuidString < $1.uuidString }) { insert.values(SQLBind(r.id), SQLBind(id)) }
        try await insert.run()
    }

    static func recordVersion(
        _ r: ProtectionRiskRecord, change: String, actorID: UserID?, at now: Date, on sql: any SQLDatabase
    ) async throws {
        try await sql.insert(into: "protection_risk_versions")
            .columns(
                "id", "risk_id", "operation_id", "version", "recorded_at", "actor_id", "change", "level", "exposure",
                "closed", "snapshot"
            )
            .values(
                SQLBind(UUID()), SQLBind(r.id), SQLBind(r.operationID), SQLBind(r.version), SQLBind(now),
                SQLBind(actorID), SQLBind(change), SQLBind(r.level), SQLBind(r.exposure), SQLBind(r.closedAt != nil),
                SQLBind(try encode(r.draft))
            ).run()
    }

    static func encode(_ draft: ProtectionRiskDraft) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(draft), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> ProtectionRiskDraft {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ProtectionRiskDraft.self, from: Data(text.utf8))
    }

    static func record(_ row: any SQLRow) throws -> ProtectionRiskRecord {
        ProtectionRiskRecord(
            id: try row.decode(column: "id", as: ProtectionRiskID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            number: try row.decode(column: "number", as: Int.self),
            draft: try decode(try row.decode(column: "facts", as: String.self)),
            exposure: try row.decode(column: "exposure", as: Int.self),
            level: try row.decode(column: "level", as: Int.self),
            closedAt: try row.decodeOptional(column: "closed_at", as: Date.self),
            closingNote: try row.decodeOptional(column: "closing_note", as: String.self),
            version: try row.decode(column: "version", as: Int.self),
            createdBy: try row.decodeOptional(column: "created_by", as: UserID.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    /// What the audit log keeps of a risk, as text per field.
    static func snapshot(_ r: ProtectionRiskRecord) -> [String: String?] {
        let d = r.draft
        return [
            "title": d.title, "category": d.category.rawValue, "subtype": d.subtype?.rawValue,
            "context": d.context.rawValue, "phase": d.phase.rawValue,
            "area_pcodes": d.areaPcodes.joined(separator: ",").nilIfEmpty, "description": d.description.nilIfEmpty,
            "groups": d.groups.map(\.rawValue).joined(separator: ",").nilIfEmpty,
            "vulnerabilities": d.vulnerabilities.map(\.rawValue).joined(separator: ",").nilIfEmpty,
            "capacities": d.capacities.map(\.rawValue).joined(separator: ",").nilIfEmpty,
            "likelihood": String(d.likelihood), "severity": String(d.severity), "exposure": String(r.exposure),
            "next_review": d.nextReview.map(DateText.day),
            "mitigations": d.mitigations.map { m in
                "\(m.description) — \(m.owner) [\(m.status.rawValue)]"
                    + (m.dueOn.map { " (due \(DateText.day($0)))" } ?? "")
                    + (m.activityIDs.isEmpty
                        ? "" : " activities: " + m.activityIDs.map(\.uuidString).joined(separator: ","))
            }.joined(separator: "; ").nilIfEmpty,
        ]
    }
}
