import Domain
import FluentKit
import Foundation
import SQLKit

/// An incident as stored: its facts (the draft) and what the system keeps about it.
public struct IncidentRecord: Sendable, Hashable {
    public var id: IncidentID
    public var operationID: OperationID
    public var number: Int
    public var draft: IncidentDraft
    public var serious: Bool
    public var status: IncidentStatus
    public var statusChangedAt: Date
    public var statusChangedBy: UserID?
    public var reporterID: UserID?
    public var reportedToRegionAt: Date?
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date

    public var access: RecordAccess {
        RecordAccess(
            operationID: operationID, audience: draft.audience, createdBy: createdBy,
            namedRoles: AccessPolicy.rolesNamedOnIncident(audience: draft.audience))
    }

    /// The IFRC reporting deadline this incident is under, as it stands at `now`.
    public func deadline(at now: Date, rules: ReportingRules = .ifrc) -> ReportingDeadline {
        ReportingClock.deadline(
            serious: serious, occurredAt: draft.occurredAt, knownAt: draft.knownAt,
            reportedAt: reportedToRegionAt, now: now, rules: rules)
    }
}

/// An incident whose report to the region is still due.
public struct DueReport: Sendable, Hashable {
    public var id: IncidentID
    public var number: Int
    public var title: String
    public var occurredAt: Date
    public var knownAt: Date?
    public var serious: Bool

    /// The deadline as it stands at `now` (nothing is reported yet, so it is open or overdue).
    public func deadline(at now: Date, rules: ReportingRules = .ifrc) -> ReportingDeadline {
        ReportingClock.deadline(
            serious: serious, occurredAt: occurredAt, knownAt: knownAt, reportedAt: nil, now: now, rules: rules)
    }
}

/// An incident as the web list shows it: light, decoded column by column.
public struct IncidentListItem: Sendable, Hashable {
    public var id: IncidentID
    public var number: Int
    public var title: String
    public var category: IncidentCategory
    public var occurredAt: Date
    public var knownAt: Date?
    public var areaPcode: String?
    public var serious: Bool
    public var status: IncidentStatus
    public var reportedToRegionAt: Date?

    public func deadline(at now: Date, rules: ReportingRules = .ifrc) -> ReportingDeadline {
        ReportingClock.deadline(
            serious: serious, occurredAt: occurredAt, knownAt: knownAt, reportedAt: reportedToRegionAt, now: now,
            rules: rules)
    }
}

/// One report in an incident's timeline.
public struct IncidentReport: Sendable, Hashable {
    public var id: UUID
    public var type: IncidentReportType
    public var reportedAt: Date
    public var authorID: UserID?
    public var summary: String
}

/// Own incidents. Every read goes through the viewer's scope (`VisibilityFilter`), like sites.
public struct IncidentStore: Sendable {
    static let kind = "incident"
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    /// Records a new incident with its first (immediate) report; the caller has checked
    /// `AccessPolicy.canCreate`. Numbers run per operation.
    public func create(
        _ draft: IncidentDraft, reporterID: UserID, in operationID: OperationID, actorID: UserID, now: Date
    ) async throws -> IncidentRecord {
        let id = IncidentID(UUID())
        let serious = draft.isSerious
        return try await database.writing { db in
            let sql = db.sql
            let number = try await sql.nextNumber(in: "incidents", operationID: operationID)
            var columns = Self.factColumns(draft)
            columns += [
                ("id", SQLBind(id)), ("operation_id", SQLBind(operationID)), ("number", SQLBind(number)),
                ("serious", SQLBind(serious)), ("reporter_id", SQLBind(reporterID)),
                ("reported_to_region_at", SQLBind(Date?.none)),
                ("status", SQLBind(IncidentStatus.reported.rawValue)), ("status_changed_at", SQLBind(now)),
                ("status_changed_by", SQLBind(actorID)), ("created_by", SQLBind(actorID)), ("created_at", SQLBind(now)),
                ("updated_at", SQLBind(now)),
            ]
            try await sql.insert(into: "incidents").columns(columns.map(\.0)).values(columns.map(\.1)).run()
            try await Self.replaceActions(draft.followUpActions, of: id, on: sql)
            try await SiteStore.replaceGrants(
                on: db, kind: Self.kind, recordID: id,
                grants: .init(roles: AccessPolicy.rolesNamedOnIncident(audience: draft.audience)))
            try await sql.insert(into: "incident_reports").columns(
                "id", "incident_id", "report_type", "reported_at", "author_id", "summary"
            )
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(IncidentReportType.immediate.rawValue), SQLBind(now),
                SQLBind(reporterID),
                SQLBind(draft.description ?? draft.title)
            ).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create,
                after: Self.snapshot(draft), at: now)
            return IncidentRecord(
                id: id, operationID: operationID, number: number, draft: draft, serious: serious, status: .reported,
                statusChangedAt: now, statusChangedBy: actorID, reporterID: reporterID, reportedToRegionAt: nil,
                createdBy: actorID, createdAt: now, updatedAt: now)
        }
    }

    /// Replaces the incident's facts; the caller has checked `AccessPolicy.canChange`. The audit
    /// log keeps every changed field before and after, which is the incident's version history.
    public func update(
        _ id: IncidentID, with draft: IncidentDraft, scope: Scope, actorID: UserID, expecting version: String? = nil,
        now: Date
    ) async throws -> IncidentRecord {
        guard let before = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such incident.")
        }
        var after = before
        after.draft = draft
        after.serious = draft.isSerious
        after.updatedAt = now
        let final = after
        try await database.writing { db in
            try await db.sql.requireVersion(version, of: "incidents", id: id.rawValue, what: "incident", now: now)
            let columns =
                Self.factColumns(draft) + [("serious", SQLBind(draft.isSerious)), ("updated_at", SQLBind(now))]
            let update = db.sql.update("incidents")
            for (column, value) in columns { update.set(SQLIdentifier(column), to: value) }
            try await update.where("id", .equal, id).run()
            try await Self.replaceActions(draft.followUpActions, of: id, on: db.sql)
            try await SiteStore.replaceGrants(
                on: db, kind: Self.kind, recordID: id,
                grants: .init(roles: AccessPolicy.rolesNamedOnIncident(audience: draft.audience)))
            try await AuditStore(db).append(
                actorID: actorID, operationID: before.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before.draft), after: Self.snapshot(draft), at: now)
        }
        return final
    }

    /// Places the operation's own incidents in the deepest admin area their coordinates fall in,
    /// after the boundaries changed: an incident with no area yet (reported before there were
    /// boundaries), or one with exact coordinates whose area is a larger one that contains them
    /// (its state, once the localities arrive). An area that does not contain the point, or one
    /// given with approximate coordinates, is someone's statement and is left alone. Each move is
    /// an audited change, so the incident's history shows it; returns the ids of those that moved
    /// (whoever may see them: count them for a viewer with `count(of:in:)`).
    /// `areasAt` gives every area containing a point, deepest first.
    public func placeByCoordinates(
        operationID: OperationID, actorID: UserID?, now: Date,
        areasAt: (_ longitude: Double, _ latitude: Double) -> [String]
    ) async throws -> [UUID] {
        let rows = try await database.sql.select().columns("id", "latitude", "longitude", "area_pcode").from(
            "incidents"
        )
        .where("operation_id", .equal, operationID)
        .where("latitude", .isNot, SQLLiteral.null).where("longitude", .isNot, SQLLiteral.null)
        .where {
            $0.where("area_pcode", .is, SQLLiteral.null).orWhere("geo_precision", .equal, GeoPrecision.exact.rawValue)
        }
        .all()
        var moves: [(id: UUID, from: String?, to: String)] = []
        for row in rows {
            let areas = areasAt(
                try row.decode(column: "longitude", as: Double.self),
                try row.decode(column: "latitude", as: Double.self))
            let current = try row.decodeOptional(column: "area_pcode", as: String.self)
            guard let deepest = areas.first, deepest != current, current.map(areas.contains) ?? true else { continue }
            moves.append((try row.decode(column: "id", as: UUID.self), current, deepest))
        }
        guard !moves.isEmpty else { return [] }
        let planned = moves
        try await database.writing { db in
            for move in planned {
                try await db.sql.update("incidents").set("area_pcode", to: move.to).set("updated_at", to: now)
                    .where("id", .equal, move.id).run()
                try await AuditStore(db).append(
                    actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: move.id.uuidString,
                    action: .update, before: ["area_pcode": move.from], after: ["area_pcode": move.to], at: now)
            }
        }
        return moves.map(\.id)
    }

    /// How many of `ids` `scope` may see: what a report of changes made to incidents may say to
    /// its reader, through the one visibility rule.
    public func count(of ids: [IncidentID], in scope: Scope) async throws -> Int {
        try await database.sql.visibleCount(of: ids.map(\.rawValue), in: "incidents", kind: Self.kind, scope: scope)
    }

    /// Moves the incident one step in its follow-up (or reopens it); the caller has checked
    /// `AccessPolicy.canFollowUp`. A step that is not allowed from the current status is refused.
    public func changeStatus(_ id: IncidentID, to status: IncidentStatus, scope: Scope, actorID: UserID, now: Date)
        async throws
        -> IncidentRecord
    {
        guard var record = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such incident.")
        }
        guard record.status.canMove(to: status) else {
            throw DomainError(
                .invalid, field: "status", key: "error.status_step",
                "An incident that is \(record.status.rawValue) cannot become \(status.rawValue).")
        }
        let previous = record.status
        let operationID = record.operationID
        try await database.writing { db in
            try await db.sql.update("incidents").set("status", to: status.rawValue).set("status_changed_at", to: now)
                .set("status_changed_by", to: actorID).set("updated_at", to: now).where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: ["status": previous.rawValue], after: ["status": status.rawValue], at: now)
        }
        record.status = status
        record.statusChangedAt = now
        record.statusChangedBy = actorID
        record.updatedAt = now
        return record
    }

    /// Adds a report to the timeline. The first report that went to the region (the RSC, or the
    /// GSU for a serious incident) stops the IFRC reporting clock.
    public func addReport(
        to id: IncidentID, type: IncidentReportType, summary: String, sentToRegion: Bool, scope: Scope, actorID: UserID,
        now: Date
    ) async throws -> IncidentReport {
        guard let record = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such incident.")
        }
        let text = try IncidentReportText.checked(summary)
        let report = IncidentReport(id: UUID(), type: type, reportedAt: now, authorID: actorID, summary: text)
        try await database.writing { db in
            try await db.sql.insert(into: "incident_reports").columns(
                "id", "incident_id", "report_type", "reported_at", "author_id", "summary"
            )
            .values(
                SQLBind(report.id), SQLBind(id), SQLBind(type.rawValue), SQLBind(now), SQLBind(actorID), SQLBind(text)
            ).run()
            var after: [String: String?] = ["report": "\(type.rawValue): \(text)"]
            if sentToRegion && record.reportedToRegionAt == nil {
                try await db.sql.update("incidents").set("reported_to_region_at", to: now).set("updated_at", to: now)
                    .where("id", .equal, id).run()
                after["reported_to_region_at"] = now.ISO8601Format()
            }
            try await AuditStore(db).append(
                actorID: actorID, operationID: record.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, after: after, at: now)
        }
        return report
    }

    /// The incident, if `scope` may see it.
    public func find(_ id: IncidentID, in scope: Scope) async throws -> IncidentRecord? {
        guard
            let row = try await database.sql.select().column("*").from("incidents").where("id", .equal, id)
                .where(VisibilityFilter.predicate(scope, table: "incidents", kind: Self.kind)).first()
        else { return nil }
        var record = try Self.record(row)
        record.draft.followUpActions = try await actions(of: id)
        return record
    }

    /// One page of the incidents `scope` may see, newest first (follow-up actions not loaded).
    public func list(in scope: Scope, page: Paging) async throws -> ResultPage<IncidentRecord> {
        try await database.sql.page(
            page, from: "incidents",
            filter: {
                $0.where(VisibilityFilter.predicate(scope, table: "incidents", kind: Self.kind))
            }, order: { $0.orderBy("occurred_at", .descending).orderBy("number", .descending) }, decode: Self.record,
            countSeparately: true)
    }

    /// One page for the web list, newest first, without the total: counting a hundred thousand
    /// visible incidents on every page view costs more than the page. `hasMore` says whether a
    /// next page exists (one row more than the page is read).
    public func browse(in scope: Scope, page: Paging) async throws -> (items: [IncidentListItem], hasMore: Bool) {
        let rows = try await database.sql.select().columns(Self.listColumns).from("incidents")
            .where(VisibilityFilter.predicate(scope, table: "incidents", kind: Self.kind))
            .orderBy("occurred_at", .descending).orderBy("number", .descending)
            .limit(page.perPage + 1).offset(page.offset).all()
        return (try rows.prefix(page.perPage).map(Self.listItem), rows.count > page.perPage)
    }

    /// Serious incidents `scope` may see that happened since `since`, newest first: the dashboard's
    /// list. At most `limit`, and whether there are more.
    public func recentSerious(in scope: Scope, since: Date, until: Date? = nil, limit: Int) async throws -> (
        items: [IncidentListItem], hasMore: Bool
    ) {
        let query = database.sql.select().columns(Self.listColumns).from("incidents")
            .where(VisibilityFilter.predicate(scope, table: "incidents", kind: Self.kind))
            .where("serious", .equal, true).where("occurred_at", .greaterThanOrEqual, since)
        if let until { query.where("occurred_at", .lessThan, until) }
        let rows =
            try await query
            .orderBy("occurred_at", .descending).orderBy("number", .descending).limit(limit + 1).all()
        return (try rows.prefix(limit).map(Self.listItem), rows.count > limit)
    }

    static let listColumns: [String] = [
        "id", "number", "title", "category", "occurred_at", "known_at", "area_pcode", "serious", "status",
        "reported_to_region_at",
    ]

    static func listItem(_ row: any SQLRow) throws -> IncidentListItem {
        IncidentListItem(
            id: try row.decode(column: "id", as: IncidentID.self),
            number: try row.decode(column: "number", as: Int.self),
            title: try row.decode(column: "title", as: String.self),
            category: try IncidentAnalysisStore.category(row),
            occurredAt: try row.decode(column: "occurred_at", as: Date.self),
            knownAt: try row.decode(column: "known_at", as: Date?.self),
            areaPcode: try row.decode(column: "area_pcode", as: String?.self),
            serious: try row.decode(column: "serious", as: Bool.self),
            status: IncidentStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .reported,
            reportedToRegionAt: try row.decode(column: "reported_to_region_at", as: Date?.self))
    }

    /// Incidents `scope` may see that have not yet been reported to the region, the earliest
    /// deadline first (so the overdue ones come first): what the dashboard lists. Serious and other
    /// incidents are each read in deadline order from `ix_incidents_reports_due` (migration 0015),
    /// at most `limit` of each, and merged by the deadline `ReportingClock` gives; so only the rows
    /// shown are read, whatever the backlog. Light rows, decoded column by column.
    public func awaitingRegionalReport(in scope: Scope, limit: Int = 50, rules: ReportingRules = .ifrc) async throws
        -> [DueReport]
    {
        let sql = database.sql
        func unreported(serious: Bool) -> SQLSelect {
            sql.select().columns("id", "number", "title", "occurred_at", "known_at", "serious").from("incidents")
                .where(VisibilityFilter.predicate(scope, table: "incidents", kind: Self.kind))
                .where("serious", .equal, serious)
                .where("reported_to_region_at", .is, SQLLiteral.null)
                .orderBy(SQLRaw("COALESCE(known_at, occurred_at)")).orderBy("number").limit(limit).select
        }
        // Both classes in one statement (one round trip on the dashboard); each keeps its own
        // index order and limit inside its subquery.
        let rows = try await sql.raw(
            """
            SELECT * FROM (\(unreported(serious: true))) AS serious_due
            UNION ALL SELECT * FROM (\(unreported(serious: false))) AS other_due
            """
        ).all()
        let due = try rows.map {
            DueReport(
                id: try $0.decode(column: "id", as: IncidentID.self),
                number: try $0.decode(column: "number", as: Int.self),
                title: try $0.decode(column: "title", as: String.self),
                occurredAt: try $0.decode(column: "occurred_at", as: Date.self),
                knownAt: try $0.decodeOptional(column: "known_at", as: Date.self),
                serious: try $0.decode(column: "serious", as: Bool.self))
        }
        // When a report falls due does not depend on the moment asked.
        return due.map { ($0, $0.deadline(at: .distantPast, rules: rules).dueAt) }
            .sorted { ($0.1, $0.0.number) < ($1.1, $1.0.number) }.prefix(limit).map(\.0)
    }

    /// How many incidents `scope` may see are still to be reported to the region; with `upTo`, the
    /// count stops there, so a page that only says "at least" does not read every such row.
    public func countAwaitingRegionalReport(in scope: Scope, upTo: Int? = nil) async throws -> Int {
        let awaiting = database.sql.select().column(SQLLiteral.numeric("1")).from("incidents")
            .where(VisibilityFilter.predicate(scope, table: "incidents", kind: Self.kind))
            .where("reported_to_region_at", .is, SQLLiteral.null)
        if let upTo { awaiting.limit(max(upTo, 0)) }
        return try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLGroupExpression(awaiting.select), as: SQLIdentifier("awaiting"))).first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// The incident's timeline, oldest first.
    public func reports(of id: IncidentID) async throws -> [IncidentReport] {
        try await database.sql.select().column("*").from("incident_reports").where("incident_id", .equal, id)
            .orderBy("reported_at").all().map {
                IncidentReport(
                    id: try $0.decode(column: "id", as: UUID.self),
                    type: IncidentReportType(rawValue: try $0.decode(column: "report_type", as: String.self))
                        ?? .update,
                    reportedAt: try $0.decode(column: "reported_at", as: Date.self),
                    authorID: try $0.decode(column: "author_id", as: UserID?.self),
                    summary: try $0.decode(column: "summary", as: String.self))
            }
    }

    func actions(of id: IncidentID) async throws -> [IncidentDraft.FollowUpAction] {
        try await database.sql.select().column("*").from("incident_actions").where("incident_id", .equal, id)
            .orderBy("position").all().map {
                IncidentDraft.FollowUpAction(
                    action: try $0.decode(column: "action", as: String.self),
                    owner: try $0.decode(column: "owner", as: String.self),
                    dueOn: try $0.decode(column: "due_on", as: Date?.self),
                    done: try $0.decode(column: "done", as: Bool.self))
            }
    }

    static func replaceActions(_ actions: [IncidentDraft.FollowUpAction], of id: IncidentID, on sql: any SQLDatabase)
        async throws
    {
        try await sql.delete(from: "incident_actions").where("incident_id", .equal, id).run()
        for (position, action) in actions.enumerated() {
            try await sql.insert(into: "incident_actions").columns(
                "id", "incident_id", "position", "action", "owner", "due_on", "done"
            )
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(position), SQLBind(action.action), SQLBind(action.owner),
                SQLBind(action.dueOn), SQLBind(action.done)
            ).run()
        }
    }

    /// The columns that hold the draft's facts (follow-up actions live in their own table).
    static func factColumns(_ d: IncidentDraft) -> [(String, SQLBind)] {
        var columns: [(String, SQLBind)] = [
            ("title", SQLBind(d.title)), ("description", SQLBind(d.description)),
            ("category", SQLBind(d.category.rawValue)),
            ("subtype", SQLBind(d.subtype?.rawValue)), ("occurred_at", SQLBind(d.occurredAt)),
            ("time_precision", SQLBind(d.timePrecision.rawValue)), ("known_at", SQLBind(d.knownAt)),
            ("site_id", SQLBind(d.siteID)),
            ("latitude", SQLBind(d.latitude)), ("longitude", SQLBind(d.longitude)),
            ("area_pcode", SQLBind(d.areaPcode)),
            ("place_name", SQLBind(d.placeName)), ("geo_precision", SQLBind(d.geoPrecision.rawValue)),
            ("location_type", SQLBind(d.locationType.rawValue)),
            (
                "affected",
                SQLBind(AffectedGroup.allCases.filter(d.affected.contains).map(\.rawValue).joined(separator: ","))
            ),
            ("actor_type", SQLBind(d.actorType.rawValue)), ("actor_name", SQLBind(d.actorName)),
            ("means", SQLBind(d.means.rawValue)),
            ("context", SQLBind(d.context.rawValue)), ("motive", SQLBind(d.motive.rawValue)),
            ("severity", SQLBind(d.severity.rawValue)),
            ("serious_injury", SQLBind(d.seriousInjury)), ("particularly_sensitive", SQLBind(d.particularlySensitive)),
            ("near_miss", SQLBind(d.nearMiss)), ("immediate_actions", SQLBind(d.immediateActions)),
            ("lessons_learned", SQLBind(d.lessonsLearned)), ("procedures_followed", SQLBind(d.proceduresFollowed)),
            ("verification", SQLBind(d.verification.rawValue)), ("source", SQLBind(d.source.rawValue)),
            ("reporter_hidden", SQLBind(d.reporterHidden)), ("audience", SQLBind(d.audience.rawValue)),
        ]
        for cell in Casualties.Cell.all { columns.append((cell.key, SQLBind(d.casualties[cell]))) }
        return columns
    }

    /// What the audit log keeps of the facts, as text per field.
    /// Empty text and zero casualty cells are left out (shown as ∅), so that the history of an
    /// incident lists what was said, not 24 zeros.
    static func snapshot(_ d: IncidentDraft) -> [String: String?] {
        var values: [String: String?] = [:]
        let cells = Set(Casualties.Cell.all.map(\.key))
        for (name, bind) in factColumns(d) {
            let text = Self.text(bind.encodable)?.nilIfEmpty
            values[name] = cells.contains(name) && text == "0" ? nil : text
        }
        values["follow_up"] =
            d.followUpActions.map { action in
                "\(action.action) — \(action.owner)" + (action.dueOn.map { " (due \(DateText.day($0)))" } ?? "")
                    + (action.done ? " ✓" : "")
            }.joined(separator: "; ").nilIfEmpty
        return values
    }

    static func text(_ value: any Encodable & Sendable) -> String? {
        switch value {
        case let v as String?: v
        case let v as Int: String(v)
        case let v as Double?: v.map { String($0) }
        case let v as Bool?: v.map { $0 ? "yes" : "no" }
        case let v as Date?: v.map { $0.ISO8601Format() }
        case let v as UUID?: v?.uuidString
        // Every typed id (a site's, since ids got their kinds): its UUID, never "Optional(…)".
        case let v as any TypedID: v.uuidString
        default: String(describing: value)
        }
    }

    static func record(_ row: any SQLRow) throws -> IncidentRecord {
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        func optionalText(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        var casualties = Casualties()
        for cell in Casualties.Cell.all { casualties[cell] = try row.decode(column: cell.key, as: Int.self) }
        let draft = IncidentDraft(
            title: try text("title"), description: try optionalText("description"),
            category: IncidentCategory(rawValue: try text("category")) ?? .securityBreach,
            subtype: try optionalText("subtype").flatMap(IncidentSubtype.init(rawValue:)),
            occurredAt: try row.decode(column: "occurred_at", as: Date.self),
            timePrecision: TimePrecision(rawValue: try text("time_precision")) ?? .day,
            knownAt: try row.decode(column: "known_at", as: Date?.self),
            siteID: try row.decode(column: "site_id", as: SiteID?.self),
            latitude: try row.decode(column: "latitude", as: Double?.self),
            longitude: try row.decode(column: "longitude", as: Double?.self),
            areaPcode: try optionalText("area_pcode"), placeName: try optionalText("place_name"),
            geoPrecision: GeoPrecision(rawValue: try text("geo_precision")) ?? .country,
            locationType: IncidentLocationType(rawValue: try text("location_type")) ?? .unknown,
            affected: Set(
                try text("affected").split(separator: ",").compactMap { AffectedGroup(rawValue: String($0)) }),
            casualties: casualties, actorType: ActorType(rawValue: try text("actor_type")) ?? .unknown,
            actorName: try optionalText("actor_name"), means: IncidentMeans(rawValue: try text("means")) ?? .unknown,
            context: IncidentContext(rawValue: try text("context")) ?? .unknown,
            motive: IncidentMotive(rawValue: try text("motive")) ?? .unknown,
            severity: IncidentSeverity(rawValue: try text("severity")) ?? .moderate,
            seriousInjury: try row.decode(column: "serious_injury", as: Bool.self),
            particularlySensitive: try row.decode(column: "particularly_sensitive", as: Bool.self),
            nearMiss: try row.decode(column: "near_miss", as: Bool.self),
            immediateActions: try optionalText("immediate_actions"),
            lessonsLearned: try optionalText("lessons_learned"),
            proceduresFollowed: try row.decode(column: "procedures_followed", as: Bool?.self),
            verification: VerificationStatus(rawValue: try text("verification")) ?? .unverified,
            source: IncidentSource(rawValue: try text("source")) ?? .other,
            reporterHidden: try row.decode(column: "reporter_hidden", as: Bool.self),
            // An unknown stored audience is treated as the narrowest.
            audience: AudienceLevel(rawValue: try text("audience")) ?? .restricted)
        return IncidentRecord(
            id: try row.decode(column: "id", as: IncidentID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            number: try row.decode(column: "number", as: Int.self), draft: draft,
            serious: try row.decode(column: "serious", as: Bool.self),
            status: IncidentStatus(rawValue: try text("status")) ?? .reported,
            statusChangedAt: try row.decode(column: "status_changed_at", as: Date.self),
            statusChangedBy: try row.decode(column: "status_changed_by", as: UserID?.self),
            reporterID: try row.decode(column: "reporter_id", as: UserID?.self),
            reportedToRegionAt: try row.decode(column: "reported_to_region_at", as: Date?.self),
            createdBy: try row.decode(column: "created_by", as: UserID?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
