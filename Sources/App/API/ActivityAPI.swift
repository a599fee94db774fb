import Domain
import Foundation
import Persistence
import Vapor
import Views

extension APIDTO {
    struct Activity: Content {
        let id: UUID; let name: String; let kind: String; let sector: String; let areaPcode: String; let siteId: SiteID?
        let populationTypes: [String]; let phase: String; let startOn: String; let endOn: String?
        let implementer: String; let scheme: String; let targeted: Int; let reached: Int
        let targetedBins: [String: Int]; let reachedBins: [String: Int]; let targetedByType: [String: Int]
        let reachedByType: [String: Int]; let continuesId: UUID?; let updatedAt: Date
        init(_ r: ActivityRecord) {
            let d = r.draft
            id = r.id; name = d.name; kind = d.kind.rawValue; sector = d.sector.rawValue; areaPcode = d.areaPcode
            siteId = d.siteID; populationTypes = d.populationTypes.map(\.rawValue); phase = d.phase.rawValue
            startOn = DateText.day(d.startOn); endOn = d.endOn.map(DateText.day); implementer = d.implementer
            scheme = d.scheme.rawValue; targeted = d.targeted; reached = d.reached; targetedBins = d.targetedBins
            reachedBins = d.reachedBins
            targetedByType = Dictionary(uniqueKeysWithValues: d.targetedByType.map { ($0.key.rawValue, $0.value) })
            reachedByType = Dictionary(uniqueKeysWithValues: d.reachedByType.map { ($0.key.rawValue, $0.value) })
            continuesId = d.continues?.id; updatedAt = r.updatedAt
        }
    }
    struct ActivityList: Content { let items: [Activity]; let warnings: [String]? }
    struct ActivitySaved: Content { let activity: Activity; let warnings: [String] }
    struct ActivityInput: Content {
        let name: String?; let kind: String?; let sector: String?; let areaPcode: String?; let siteId: String?
        let populationTypes: [String]?; let phase: String?; let startOn: String?; let endOn: String?
        let implementer: String?; let scheme: String?; let targeted: Int?; let reached: Int?
        let targetedBins: [String: Int]?; let reachedBins: [String: Int]?; let targetedByType: [String: Int]?
        let reachedByType: [String: Int]?; let continuesId: String?

        /// Over `base`: a field left out keeps its value (PATCH), or the decoder's default (POST).
        func applied(to base: Domain.ActivityInput) -> Domain.ActivityInput {
            var input = base
            let texts: [(String?, WritableKeyPath<Domain.ActivityInput, String>)] = [
                (name, \.name), (kind, \.kind), (sector, \.sector), (areaPcode, \.area), (siteId, \.site),
                (phase, \.phase), (startOn, \.startOn), (endOn, \.endOn), (implementer, \.implementer),
                (scheme, \.scheme), (targeted.map(String.init), \.targeted), (reached.map(String.init), \.reached),
                (continuesId, \.continues),
            ]
            for (value, field) in texts { if let value { input[keyPath: field] = value } }
            if let populationTypes { input.populationTypes = populationTypes }
            if let targetedBins { input.targetedBins = targetedBins.mapValues(String.init) }
            if let reachedBins { input.reachedBins = reachedBins.mapValues(String.init) }
            if let targetedByType { input.targetedByType = targetedByType.mapValues(String.init) }
            if let reachedByType { input.reachedByType = reachedByType.mapValues(String.init) }
            return input
        }
    }
}

/// EPoA activities in the API: every member reads them; the migration coordinator and the HeOps write.
struct ActivityAPI {
    static let notFound = APIError(.notFound, code: "not_found", "No such activity.")

    func context(_ req: Request, writing: Bool = false) async throws -> (OperationContext, Scope) {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        if writing, !AccessPolicy.canManageActivities(in: context.operation.id, by: context.viewer) {
            throw APIError(.forbidden, code: "forbidden", "Your role does not keep the operation's activities.")
        }
        return (context, scope)
    }

    func list(_ req: Request) async throws -> APIDTO.ActivityList {
        let (_, scope) = try await context(req)
        let phase = try req.queryChoice("phase", ResponsePhase.self)
        return APIDTO.ActivityList(
            items: try await ActivityStore(req.db).all(in: scope, phase: phase).map(APIDTO.Activity.init), warnings: nil
        )
    }

    func create(_ req: Request) async throws -> Response {
        let (context, scope) = try await context(req, writing: true)
        let input = try req.apiBody(APIDTO.ActivityInput.self).applied(to: Domain.ActivityInput())
        let (draft, warnings) = try await Activities(database: req.db, areaShapes: req.areaShapes).checked(
            input, operation: context.operation, scope: scope, visibleSites: try await context.visibleSites(on: req.db))
        let row = try await ActivityStore(req.db).create(
            draft, scope: scope, actorID: context.current.user.id, now: req.now)
        let response = try await APIDTO.ActivitySaved(activity: .init(row), warnings: warnings.map(\.message))
            .encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.apiActivity(.value(context.operation.code), .value(row.id)).path)
        return response
    }

    func update(_ req: Request) async throws -> Response {
        let (context, scope) = try await context(req, writing: true)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let row = try await ActivityStore(req.db).find(id, in: scope)
        else { throw Self.notFound }
        let version = try req.ifMatch()
        let input = try req.apiBody(APIDTO.ActivityInput.self).applied(to: Domain.ActivityInput(row.draft))
        let (draft, warnings) = try await Activities(database: req.db, areaShapes: req.areaShapes).checked(
            input, operation: context.operation, scope: scope, visibleSites: try await context.visibleSites(on: req.db),
            editing: id)
        do {
            let updated = try await ActivityStore(req.db).update(
                id, with: draft, scope: scope, actorID: context.current.user.id, expecting: version, now: req.now)
            return try await APIVersioning.tagged(
                APIDTO.ActivitySaved(activity: .init(updated), warnings: warnings.map(\.message)),
                version: EditVersion.token(updated.updatedAt), req)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let current = try await ActivityStore(req.db).find(id, in: scope)
            throw APIVersioning.stale(current.map { EditVersion.token($0.updatedAt) } ?? "")
        }
    }
}
