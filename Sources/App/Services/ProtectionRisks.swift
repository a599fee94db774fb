import Domain
import Fluent
import Foundation
import Persistence

/// The protection register's checks that need the operation: its admin areas and its EPoA
/// activities, which a mitigation may name. Shared by the pages, the API and the demo.
enum ProtectionRisks {
    /// The decoder's draft, its P-codes and activities checked to be the operation's; throws
    /// `ValidationErrors` for the input, anything else for the database.
    static func checked(
        _ input: ProtectionRiskInput, method: ExposureMethod, scope: Scope, on database: any Database
    ) async throws -> ProtectionRiskDraft {
        let areas = try await AreaStore(database).pcodes(operationID: scope.operationID)
        // Only the activities the mitigations name are looked up (an EPoA may hold thousands).
        let named = Set(input.mitigations.flatMap { $0.activities.compactMap(UUID.init(uuidString:)) })
        let activities = try await ActivityStore(database).existing(named, in: scope)
        return try input.draft(method: method, knownAreas: areas, knownActivities: activities)
    }
}
