import Fluent
import Domain
import Persistence
import Vapor

/// Loads the operation named in the path and checks the viewer may see it. An operation the
/// viewer may not see answers 404, as if it did not exist.
struct OperationContext {
    let operation: OperationRow
    let current: CurrentUser

    var viewer: Viewer { current.viewer }
    var role: Role? { viewer.role(in: operation.id.uuidString) }
    var scope: Scope? { AccessPolicy.scope(in: operation.id.uuidString, for: viewer) }
    var canManage: Bool { AccessPolicy.canManageOperation(operation.id.uuidString, by: viewer) }
    var canCreateRecords: Bool { role?.mayCreate ?? false }

    static func load(_ req: Request, notFound: @autoclosure () -> any Error = PageError(.notFound, key: "error.not_found")) async throws -> OperationContext {
        let current = try req.requireUser()
        guard let code = req.parameters.get("code"), let operation = try await OperationStore(req.db).find(code: code),
              AccessPolicy.canViewOperation(operation.id.uuidString, by: current.viewer)
        else { throw notFound() }
        return OperationContext(operation: operation, current: current)
    }

    /// The viewer's record scope, or 404 for administrators who are not members.
    func requireScope(notFound: @autoclosure () -> any Error = PageError(.notFound, key: "error.not_found")) throws -> Scope {
        guard let scope else { throw notFound() }
        return scope
    }

    func requireManage() throws {
        guard canManage else { throw PageError(.forbidden, key: "error.forbidden") }
    }
}
