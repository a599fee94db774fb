import Domain
import FluentKit
import Foundation
import SQLKit

public struct ScenarioRecord: Sendable, Hashable {
    public var id: ScenarioID
    public var draft: ScenarioDraft
    public var createdBy: UserID?
    public var updatedAt: Date
}

/// Planning scenarios of an operation: for every member to read (`AccessPolicy.canViewPopulationFigures`),
/// written by those who may import figures; audited.
public struct ScenarioStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    public func create(_ draft: ScenarioDraft, in operationID: OperationID, actorID: UserID, now: Date) async throws
        -> ScenarioRecord
    {
        let record = ScenarioRecord(id: ScenarioID(UUID()), draft: draft, createdBy: actorID, updatedAt: now)
        let figures = String(decoding: try Self.encoder().encode(draft.figures), as: UTF8.self)
        let projection = try draft.projection.map { String(decoding: try Self.encoder().encode($0), as: UTF8.self) }
        try await database.writing { db in
            try await db.sql.insert(into: "scenarios")
                .columns(
                    "id", "operation_id", "name", "kind", "assumptions", "triggers", "figures", "projection",
                    "created_by", "created_at", "updated_at"
                )
                .values(
                    SQLBind(record.id), SQLBind(operationID), SQLBind(draft.name), SQLBind(draft.kind.rawValue),
                    SQLBind(draft.assumptions),
                    SQLBind(draft.triggers), SQLBind(figures), SQLBind(projection), SQLBind(actorID), SQLBind(now),
                    SQLBind(now)
                ).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "scenario", recordID: record.id.uuidString,
                action: .create, after: ["name": draft.name, "kind": draft.kind.rawValue, "figures": figures], at: now)
        }
        return record
    }

    /// Revises a scenario: its name, kind, assumptions, triggers and figures. The projection it started
    /// from stays as it was made, so that it is still drawn against what happened since.
    public func update(
        _ id: ScenarioID, to draft: ScenarioDraft, in operationID: OperationID, actorID: UserID, now: Date
    )
        async throws
        -> ScenarioRecord?
    {
        guard let before = try await find(id, in: operationID) else { return nil }
        let figures = String(decoding: try Self.encoder().encode(draft.figures), as: UTF8.self)
        let previous = String(decoding: try Self.encoder().encode(before.draft.figures), as: UTF8.self)
        try await database.writing { db in
            try await db.sql.update("scenarios").set("name", to: draft.name).set("kind", to: draft.kind.rawValue).set(
                "assumptions", to: draft.assumptions
            )
            .set("triggers", to: draft.triggers).set("figures", to: figures).set("updated_at", to: now)
            .where("id", .equal, id).where("operation_id", .equal, operationID).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "scenario", recordID: id.uuidString,
                action: .update,
                before: [
                    "name": before.draft.name, "kind": before.draft.kind.rawValue,
                    "assumptions": before.draft.assumptions,
                    "triggers": before.draft.triggers, "figures": previous,
                ],
                after: [
                    "name": draft.name, "kind": draft.kind.rawValue, "assumptions": draft.assumptions,
                    "triggers": draft.triggers, "figures": figures,
                ],
                at: now)
        }
        var after = before
        after.draft = ScenarioDraft(
            name: draft.name, kind: draft.kind, assumptions: draft.assumptions, triggers: draft.triggers,
            figures: draft.figures, projection: before.draft.projection)
        after.updatedAt = now
        return after
    }

    public func list(in operationID: OperationID) async throws -> [ScenarioRecord] {
        try await database.sql.select().column("*").from("scenarios").where("operation_id", .equal, operationID)
            .orderBy("updated_at", .descending).all().map(Self.record)
    }

    public func find(_ id: ScenarioID, in operationID: OperationID) async throws -> ScenarioRecord? {
        try await database.sql.select().column("*").from("scenarios").where("operation_id", .equal, operationID).where(
            "id", .equal, id
        )
        .first().map(Self.record)
    }

    static func record(_ row: any SQLRow) throws -> ScenarioRecord {
        let figures = try decoder().decode(
            [ScenarioDraft.PlanningFigure].self, from: Data(try row.decode(column: "figures", as: String.self).utf8))
        let projection = try row.decodeOptional(column: "projection", as: String.self)
            .map { try decoder().decode(ScenarioDraft.Projection.self, from: Data($0.utf8)) }
        return ScenarioRecord(
            id: try row.decode(column: "id", as: ScenarioID.self),
            draft: ScenarioDraft(
                name: try row.decode(column: "name", as: String.self),
                kind: ScenarioDraft.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                assumptions: try row.decode(column: "assumptions", as: String.self),
                triggers: try row.decode(column: "triggers", as: String.self),
                figures: figures, projection: projection),
            createdBy: try row.decodeOptional(column: "created_by", as: UserID.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
