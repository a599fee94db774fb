import Domain
import Fluent
import Foundation
import Persistence
import Vapor

/// The security plans' clocks, as the plans pages and the dashboard show them.
enum PlanDeadlines {
    /// Every plan's deadlines now, from the operation's start, the phase changes in force, the
    /// plans' approvals and reviews, and the operation's plan rules.
    static func all(of operation: OperationRecord, on req: Request) async throws -> [SecurityPlanKind:
        [PlanDeadline]]
    {
        try await all(
            of: operation, in: req.db, now: req.now,
            rules: try await req.settings(PlanSettings.self, of: operation.id).rules)
    }

    /// The deadlines at `now`, for a document or a job that has no request.
    static func all(of operation: OperationRecord, in db: any Database, now: Date) async throws -> [SecurityPlanKind:
        [PlanDeadline]]
    {
        try await all(
            of: operation, in: db, now: now,
            rules: try await SettingsStore(db).load(PlanSettings.self, operationID: operation.id).rules)
    }

    /// The deadlines at `now` under the operation's plan `rules`.
    static func all(
        of operation: OperationRecord, in db: any Database, now: Date, rules: PlanRules
    ) async throws -> [SecurityPlanKind: [PlanDeadline]] {
        let operationID = operation.id
        let start = operation.startDate.flatMap(DateText.day) ?? operation.createdAt
        let phaseChanges = try await PhaseStore(db).phaseChanges(in: operationID, limit: 1_000)
        var result: [SecurityPlanKind: [PlanDeadline]] = [:]
        for history in try await PlanStore(db).histories(in: operationID) {
            result[history.kind] = PlanClock.deadlines(
                for: history, operationStart: start, phaseChanges: phaseChanges, now: now, rules: rules)
        }
        return result
    }
}
