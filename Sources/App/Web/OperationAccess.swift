import Domain
import Fluent
import Persistence
import Vapor

/// Loads the operation named in the path and checks the viewer may see it. An operation the
/// viewer may not see answers 404, as if it did not exist.
struct OperationContext {
    let operation: OperationRecord
    let current: CurrentUser

    var viewer: Viewer { current.viewer }
    var role: Role? { viewer.role(in: operation.id) }
    var scope: Scope? { AccessPolicy.scope(in: operation.id, for: viewer) }
    var canManage: Bool { AccessPolicy.canManageOperation(operation.id, by: viewer) }
    var canCreateRecords: Bool { AccessPolicy.canCreateRecords(in: operation.id, by: viewer) }

    static func load(
        _ req: Request, notFound: @autoclosure () -> any Error = PageError(.notFound, key: "error.not_found")
    ) async throws -> OperationContext {
        let current = try req.requireUser()
        guard let code = req.parameters.get("code"), let operation = try await OperationStore(req.db).find(code: code),
            AccessPolicy.canViewOperation(operation.id, by: current.viewer)
        else { throw notFound() }
        // The page shows times on the operation's clock.
        req.storage[OperationClockKey.self] = operation.time
        return OperationContext(operation: operation, current: current)
    }

    /// The viewer's record scope, or 404 for administrators who are not members.
    func requireScope(notFound: @autoclosure () -> any Error = PageError(.notFound, key: "error.not_found")) throws
        -> Scope
    {
        guard let scope else { throw notFound() }
        return scope
    }

    func requireManage() throws {
        guard canManage else { throw PageError(.forbidden, key: "error.forbidden") }
    }
}

extension OperationContext {
    /// The operation, for those `rule` lets in (an `AccessPolicy` function). Members it refuses are
    /// told so (403); others do not learn the operation exists (404).
    static func load(_ req: Request, requiring rule: (OperationID, Viewer) -> Bool) async throws -> OperationContext {
        let context = try await OperationContext.load(req)
        guard rule(context.operation.id, context.viewer) else {
            throw PageError(
                context.role == nil ? .notFound : .forbidden,
                key: context.role == nil ? "error.not_found" : "error.forbidden")
        }
        return context
    }

    /// The operation's sites the viewer may see (assembly points, assessed offices are chosen among them).
    func visibleSites(on database: any Database) async throws -> [SiteRecord] {
        guard let scope else { return [] }
        return try await SiteStore(database).all(in: scope)
    }
}
