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
        let activities = Set(try await ActivityStore(database).all(in: scope).map(\.id))
        return try input.draft(method: method, knownAreas: areas, knownActivities: activities)
    }
}
