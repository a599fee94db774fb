import Domain
import FluentKit
import Foundation
import SQLKit

/// Per-operation settings that are data, not code: stored as JSON under a key, the defaults from
/// the Domain types where nothing was saved. Every change is audited with the JSON before and after.
public struct SettingsStore: Sendable {
    static let kind = "operation_settings"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// The operation's settings of one group; an entry that was never saved is the default.
    public func load<Group: SettingsGroup>(_ group: Group.Type, operationID: OperationID) async throws -> Group {
        try await stored(operationID: operationID, keys: Group.Key.allCases.map(\.rawValue)).group(group)
    }

    /// Every setting the operation has saved, in one query: for a page that shows several groups.
    public func stored(operationID: OperationID) async throws -> StoredSettings {
        try await stored(operationID: operationID, keys: nil)
    }

    private func stored(operationID: OperationID, keys: [String]?) async throws -> StoredSettings {
        var query = database.sql.select().columns("setting_key", "value").from("operation_settings")
            .where("operation_id", .equal, operationID)
        if let keys { query = query.where("setting_key", .in, keys) }
        var values: [String: String] = [:]
        for row in try await query.all() {
            values[try row.decode(column: "setting_key", as: String.self)] = try row.decode(
                column: "value", as: String.self)
        }
        return StoredSettings(values: values)
    }

    /// Saves one entry after validating it with the others. A new risk matrix re-levels every
    /// risk of the operation in the same transaction, so the register never ranks by an old matrix;
    /// a new exposure method re-scores every protection risk likewise.
    @discardableResult
    public func save<Group: SettingsGroup>(
        _ group: Group.Type, _ key: Group.Key, json: String, operationID: OperationID, actorID: UserID, now: Date
    ) async throws -> Group {
        let current = try await load(group, operationID: operationID)
        let next = try current.replacing(key, json: json)
        let value = next.json(key)
        try await database.writing { db in
            let sql = db.sql
            try await sql.delete(from: "operation_settings").where("operation_id", .equal, operationID)
                .where("setting_key", .equal, key.rawValue).run()
            try await sql.insert(into: "operation_settings").columns(
                "operation_id", "setting_key", "value", "updated_at", "updated_by"
            )
            .values(SQLBind(operationID), SQLBind(key.rawValue), SQLBind(value), SQLBind(now), SQLBind(actorID)).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind,
                recordID: "\(operationID.uuidString)/\(key.rawValue)",
                action: .update, before: [key.rawValue: current.json(key)], after: [key.rawValue: value], at: now)
            if let before = current as? RiskSettings, let after = next as? RiskSettings, before.matrix != after.matrix {
                try await RiskStore(db).relevel(
                    operationID: operationID, matrix: after.matrix, actorID: actorID, now: now)
            }
            if let before = current as? ProtectionRiskSettings, let after = next as? ProtectionRiskSettings,
                before.method != after.method
            {
                try await ProtectionRiskStore(db).rescore(
                    operationID: operationID, method: after.method, actorID: actorID, now: now)
            }
        }
        return next
    }
}

/// An operation's saved settings as stored (key → JSON), from which each group is made.
public struct StoredSettings: Sendable {
    let values: [String: String]

    /// The group, an entry that was never saved being the default. Entries are applied in the order of
    /// their keys (the table's own order), each validated with those before it.
    public func group<Group: SettingsGroup>(_ group: Group.Type) -> Group {
        var settings = Group.defaults
        for key in Group.Key.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
            // Saved values were validated when written; one that no longer decodes (a later
            // release changed the type) falls back to the default instead of breaking the pages.
            if let json = values[key.rawValue], let next = try? settings.replacing(key, json: json) {
                settings = next
            }
        }
        return settings
    }
}
