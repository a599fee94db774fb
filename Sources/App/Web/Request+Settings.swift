import Domain
import Persistence
import Vapor

extension Request {
    private struct StoredSettingsKey: StorageKey { typealias Value = [OperationID: StoredSettings] }

    /// The operation's settings of one group, every group read in one query the first time the
    /// request asks (a dashboard view asks for five). For pages that read settings; a request that
    /// saves them reads through `SettingsStore`.
    func settings<Group: SettingsGroup>(_ group: Group.Type, of operationID: OperationID) async throws -> Group {
        if let stored = storage[StoredSettingsKey.self]?[operationID] { return stored.group(group) }
        let stored = try await SettingsStore(db).stored(operationID: operationID)
        var all = storage[StoredSettingsKey.self] ?? [:]
        all[operationID] = stored
        storage[StoredSettingsKey.self] = all
        return stored.group(group)
    }
}
