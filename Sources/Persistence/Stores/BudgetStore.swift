import Domain
import FluentKit
import Foundation
import SQLKit

public struct BudgetLineRecord: Sendable, Hashable {
    public let id: BudgetLineID
    public let basis: String?
    public let draft: BudgetLineDraft
    public let edited: Bool
    public let position: Int
    public let updatedAt: Date
}

/// The security lines of the appeal budget: proposed by Bearing (each with its `basis`), edited by
/// the coordinator (then `edited`, and a new proposal leaves them), or added by hand.
public struct BudgetStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    static let kind = "budget_line"

    public func lines(in operationID: OperationID) async throws -> [BudgetLineRecord] {
        try await database.sql.select().column("*").from("budget_lines").where("operation_id", .equal, operationID)
            .orderBy("position").orderBy("created_at").all().map(Self.record)
    }

    public func find(_ id: BudgetLineID, in operationID: OperationID) async throws -> BudgetLineRecord? {
        try await database.sql.select().column("*").from("budget_lines").where("id", .equal, id)
            .where("operation_id", .equal, operationID).first().map(Self.record)
    }

    /// Applies a proposal: new lines added, proposed lines not edited since brought up to date, those
    /// whose basis is gone (a site closed) removed unless edited; lines added by hand untouched.
    /// Returns how many were added, updated and removed.
    public func applyProposal(
        _ proposed: [(basis: String, draft: BudgetLineDraft)], in operationID: OperationID, actorID: UserID?,
        now: Date
    ) async throws -> (added: Int, updated: Int, removed: Int) {
        try await database.writing { db in
            let existing = try await BudgetStore(db).lines(in: operationID)
            let byBasis = Dictionary(
                existing.compactMap { line in line.basis.map { ($0, line) } }, uniquingKeysWith: { a, _ in a })
            var counts = (added: 0, updated: 0, removed: 0)
            var position = (existing.map(\.position).max() ?? 0) + 1
            for (index, line) in proposed.enumerated() {
                if let current = byBasis[line.basis] {
                    guard !current.edited else { continue }
                    var draft = line.draft
                    // The coordinator's costs stay; Bearing proposes quantities and units.
                    draft.unitCost = current.draft.unitCost
                    draft.currency = current.draft.currency
                    guard draft != current.draft else { continue }
                    try await Self.write(draft, to: current.id, on: db.sql, actorID: actorID, now: now)
                    counts.updated += 1
                } else {
                    try await Self.insert(
                        line.draft, basis: line.basis, position: existing.isEmpty ? index : position,
                        operationID: operationID, actorID: actorID, on: db.sql, now: now)
                    position += 1
                    counts.added += 1
                }
            }
            let kept = Set(proposed.map(\.basis))
            for line in existing where line.basis != nil && !line.edited && !kept.contains(line.basis!) {
                try await db.sql.delete(from: "budget_lines").where("id", .equal, line.id).run()
                counts.removed += 1
            }
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: operationID.uuidString,
                action: .update,
                after: [
                    "proposal": "added \(counts.added), updated \(counts.updated), removed \(counts.removed)"
                ], at: now)
            return counts
        }
    }

    /// A line changed by the coordinator: marked edited, so that proposals leave it.
    public func update(
        _ id: BudgetLineID, draft: BudgetLineDraft, in operationID: OperationID, actorID: UserID?, now: Date
    ) async throws {
        try await database.writing { db in
            guard let before = try await BudgetStore(db).find(id, in: operationID) else {
                throw DomainError(.notFound, key: "error.not_found", "No such budget line.")
            }
            try await Self.write(draft, to: id, on: db.sql, actorID: actorID, now: now, edited: true)
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before.draft), after: Self.snapshot(draft), at: now)
        }
    }

    public func add(_ draft: BudgetLineDraft, in operationID: OperationID, actorID: UserID?, now: Date) async throws {
        try await database.writing { db in
            let position =
                (try await db.sql.select().column(SQLFunction("MAX", args: SQLIdentifier("position")), as: "p")
                    .from("budget_lines").where("operation_id", .equal, operationID).first()?
                    .decode(column: "p", as: Int?.self) ?? 0) + 1
            let id = try await Self.insert(
                draft, basis: nil, position: position, operationID: operationID, actorID: actorID, on: db.sql,
                now: now)
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create, after: Self.snapshot(draft), at: now)
        }
    }

    public func delete(_ id: BudgetLineID, in operationID: OperationID, actorID: UserID?, now: Date) async throws {
        try await database.writing { db in
            guard let before = try await BudgetStore(db).find(id, in: operationID) else { return }
            try await db.sql.delete(from: "budget_lines").where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .delete, before: Self.snapshot(before.draft), at: now)
        }
    }

    @discardableResult
    static func insert(
        _ d: BudgetLineDraft, basis: String?, position: Int, operationID: OperationID, actorID: UserID?,
        on sql: any SQLDatabase, now: Date
    ) async throws -> BudgetLineID {
        let id = BudgetLineID(UUID())
        let columns: [(String, SQLBind)] = [
            ("id", SQLBind(id)), ("operation_id", SQLBind(operationID)), ("category", SQLBind(d.category.rawValue)),
            ("basis", SQLBind(basis)), ("description", SQLBind(d.description)), ("quantity", SQLBind(d.quantity)),
            ("unit", SQLBind(d.unit)), ("unit_cost", SQLBind(d.unitCost)), ("currency", SQLBind(d.currency)),
            ("driver", SQLBind(d.driver)), ("edited", SQLBind(false)), ("position", SQLBind(position)),
            ("created_by", SQLBind(actorID)), ("updated_by", SQLBind(actorID)), ("created_at", SQLBind(now)),
            ("updated_at", SQLBind(now)),
        ]
        try await sql.insert(into: "budget_lines").columns(columns.map(\.0)).values(columns.map(\.1)).run()
        return id
    }

    static func write(
        _ d: BudgetLineDraft, to id: BudgetLineID, on sql: any SQLDatabase, actorID: UserID?, now: Date,
        edited: Bool? = nil
    ) async throws {
        let update = sql.update("budget_lines").set("category", to: d.category.rawValue)
            .set("description", to: d.description).set("quantity", to: d.quantity).set("unit", to: d.unit)
            .set("unit_cost", to: d.unitCost).set("currency", to: d.currency).set("driver", to: d.driver)
            .set("updated_by", to: actorID).set("updated_at", to: now)
        if let edited { update.set("edited", to: edited) }
        try await update.where("id", .equal, id).run()
    }

    static func snapshot(_ d: BudgetLineDraft) -> [String: String?] {
        [
            "category": d.category.rawValue, "description": d.description, "quantity": DecimalText.plain(d.quantity),
            "unit": d.unit, "unit_cost": d.unitCost.map(DecimalText.plain), "currency": d.currency,
        ]
    }

    static func record(_ row: any SQLRow) throws -> BudgetLineRecord {
        BudgetLineRecord(
            id: try row.decode(column: "id", as: BudgetLineID.self),
            basis: try row.decode(column: "basis", as: String?.self),
            draft: BudgetLineDraft(
                category: BudgetCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .other,
                description: try row.decode(column: "description", as: String.self),
                quantity: try row.decode(column: "quantity", as: Double.self),
                unit: try row.decode(column: "unit", as: String.self),
                unitCost: try row.decode(column: "unit_cost", as: Double?.self),
                currency: try row.decode(column: "currency", as: String.self),
                driver: try row.decode(column: "driver", as: String.self)),
            edited: try row.decode(column: "edited", as: Bool.self),
            position: try row.decode(column: "position", as: Int.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
