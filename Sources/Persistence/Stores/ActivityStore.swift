import Domain
import FluentKit
import Foundation
import SQLKit

/// One EPoA activity as stored.
public struct ActivityRecord: Codable, Sendable, Hashable {
    public var id: UUID
    public var operationId: OperationID
    public var name: String
    public var kind: String
    public var sector: String
    public var areaPcode: String
    public var siteId: SiteID?
    public var populationTypes: String
    public var phase: String
    public var startOn: Date
    public var endOn: Date?
    public var implementer: String
    public var scheme: String
    public var targeted: Int
    public var reached: Int
    public var targetedBins: String
    public var reachedBins: String
    public var targetedByType: String
    public var reachedByType: String
    public var continuesId: UUID?
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, kind, sector, phase, implementer, scheme, targeted, reached
        case operationId = "operation_id", areaPcode = "area_pcode", siteId = "site_id"
        case populationTypes = "population_types", startOn = "start_on", endOn = "end_on"
        case targetedBins = "targeted_bins", reachedBins = "reached_bins", reachedByType = "reached_by_type"
        case targetedByType = "targeted_by_type"
        case continuesId = "continues_id", createdBy = "created_by", createdAt = "created_at", updatedAt = "updated_at"
    }

    static func counts(_ json: String) -> [String: Int] {
        (try? JSONDecoder().decode([String: Int].self, from: Data(json.utf8))) ?? [:]
    }
    static func json(_ counts: [String: Int]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(counts)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func types(_ json: String) -> [PopulationType: Int] {
        Dictionary(
            uniqueKeysWithValues: counts(json).compactMap { key, value in
                PopulationType(rawValue: key).map { ($0, value) }
            })
    }
    static func json(_ types: [PopulationType: Int]) -> String {
        json(Dictionary(uniqueKeysWithValues: types.map { ($0.key.rawValue, $0.value) }))
    }

    public var draft: ActivityDraft {
        ActivityDraft(
            name: name, kind: ActivityKind(rawValue: kind) ?? .other,
            sector: IFRCSector(rawValue: sector) ?? .migration,
            areaPcode: areaPcode, siteID: siteId,
            populationTypes: ServiceRecord.list(populationTypes).compactMap(PopulationType.init(rawValue:)),
            phase: ResponsePhase(rawValue: phase) ?? .acute, startOn: startOn, endOn: endOn, implementer: implementer,
            scheme: DisaggregationScheme(rawValue: scheme) ?? .notDisaggregated, targeted: targeted, reached: reached,
            targetedBins: Self.counts(targetedBins), reachedBins: Self.counts(reachedBins),
            targetedByType: Self.types(targetedByType), reachedByType: Self.types(reachedByType),
            continues: continuesId.map(ActivityDraftLink.init))
    }

    mutating func apply(_ draft: ActivityDraft) {
        name = draft.name
        kind = draft.kind.rawValue
        sector = draft.sector.rawValue
        areaPcode = draft.areaPcode
        siteId = draft.siteID
        populationTypes = ServiceRecord.json(draft.populationTypes.map(\.rawValue))
        phase = draft.phase.rawValue
        startOn = draft.startOn
        endOn = draft.endOn
        implementer = draft.implementer
        scheme = draft.scheme.rawValue
        targeted = draft.targeted
        reached = draft.reached
        targetedBins = Self.json(draft.targetedBins)
        reachedBins = Self.json(draft.reachedBins)
        targetedByType = Self.json(draft.targetedByType)
        reachedByType = Self.json(draft.reachedByType)
        continuesId = draft.continues?.id
    }
}

/// The operation's EPoA activities for people on the move. Figures without personal data: every
/// member reads them (`AccessPolicy.canViewActivities`); a `Scope` exists only for a member.
public struct ActivityStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    static let kind = "activity"

    /// Adds an activity; the caller has checked `AccessPolicy.canManageActivities` and that the area,
    /// site and carried-on activity are the operation's.
    public func create(_ draft: ActivityDraft, scope: Scope, actorID: UserID?, now: Date) async throws
        -> ActivityRecord
    {
        var row = ActivityRecord(
            id: UUID(), operationId: scope.operationID, name: "", kind: "", sector: "", areaPcode: "",
            populationTypes: "[]", phase: "", startOn: now, implementer: "", scheme: "", targeted: 0, reached: 0,
            targetedBins: "{}", reachedBins: "{}", targetedByType: "{}", reachedByType: "{}", createdBy: actorID,
            createdAt: now,
            updatedAt: now)
        row.apply(draft)
        let final = row
        try await database.writing { db in
            try await db.sql.insert(into: "activities").model(final).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: final.id.uuidString,
                action: .create, after: Self.snapshot(final), at: now)
        }
        return final
    }

    /// Changes an activity (its reach as it grows, its target when revised).
    public func update(
        _ id: UUID, with draft: ActivityDraft, scope: Scope, actorID: UserID?, expecting version: String? = nil,
        now: Date
    ) async throws -> ActivityRecord {
        try await database.writing { db in
            guard let before = try await ActivityStore(db).find(id, in: scope) else {
                throw DomainError(.notFound, key: "error.not_found", "No such activity.")
            }
            try await db.sql.requireVersion(version, of: "activities", id: id, what: "activity", now: now)
            var after = before
            after.apply(draft)
            after.updatedAt = now
            // `.asNil`: a value taken away (an end day, a site) is cleared.
            try await db.sql.update("activities").set(model: after, nilEncodingStrategy: .asNil).where("id", .equal, id)
                .run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before), after: Self.snapshot(after), at: now)
            return after
        }
    }

    public func find(_ id: UUID, in scope: Scope) async throws -> ActivityRecord? {
        try await database.sql.select().column("*").from("activities").where("id", .equal, id)
            .where(VisibilityFilter.activities(scope)).first()?.decode(model: ActivityRecord.self)
    }

    /// Which of `ids` are activities `scope` sees: what a protection risk's mitigations may name.
    public func existing(_ ids: Set<UUID>, in scope: Scope) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        var found = Set<UUID>()
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(Array(ids)[$0..<min($0 + 500, ids.count)]) }) {
            for row in try await database.sql.select().column("id").from("activities").where("id", .in, chunk)
                .where(VisibilityFilter.activities(scope)).all()
            {
                found.insert(try row.decode(column: "id", as: UUID.self))
            }
        }
        return found
    }

    /// Every activity of the operation, by sector, area and name (the 3W, the pages, the analysis).
    public func all(in scope: Scope, phase: ResponsePhase? = nil) async throws -> [ActivityRecord] {
        let query = database.sql.select().column("*").from("activities").where(VisibilityFilter.activities(scope))
        if let phase { query.where("phase", .equal, phase.rawValue) }
        return try await query.orderBy("sector").orderBy("area_pcode").orderBy("name").orderBy("id").all().map {
            try $0.decode(model: ActivityRecord.self)
        }
    }

    static func snapshot(_ row: ActivityRecord) -> [String: String?] {
        [
            "name": row.name, "kind": row.kind, "sector": row.sector, "area_pcode": row.areaPcode,
            "site_id": row.siteId?.uuidString, "population_types": row.populationTypes, "phase": row.phase,
            "start_on": DateText.day(row.startOn), "end_on": row.endOn.map(DateText.day),
            "implementer": row.implementer, "scheme": row.scheme, "targeted": String(row.targeted),
            "reached": String(row.reached), "targeted_bins": row.targetedBins, "reached_bins": row.reachedBins,
            "targeted_by_type": row.targetedByType, "reached_by_type": row.reachedByType,
            "continues_id": row.continuesId?.uuidString,
        ]
    }
}
