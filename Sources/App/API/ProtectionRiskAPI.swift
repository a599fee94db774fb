import Domain
import Foundation
import Persistence
import Vapor
import Views

extension APIDTO {
    struct ProtectionMitigation: Content {
        let description: String; let owner: String; let dueOn: String?; let status: String; let activityIds: [UUID]
    }
    struct ProtectionRisk: Content {
        let id: ProtectionRiskID; let number: Int; let title: String; let category: String; let gpcNumber: Int
        let subtype: String?; let context: String; let phase: String; let areaPcodes: [String]
        let description: String; let groups: [String]; let vulnerabilities: [String]; let capacities: [String]
        let likelihood: Int; let severity: Int
        /// The adjusted score and its level's key, by the method in force at the last save.
        let exposure: Int; let level: String
        let mitigations: [ProtectionMitigation]; let nextReview: String?; let closedAt: Date?
        let closingNote: String?; let updatedAt: Date
        init(_ r: ProtectionRiskRecord, method: ExposureMethod) {
            let d = r.draft
            id = r.id; number = r.number; title = d.title; category = d.category.rawValue
            gpcNumber = d.category.number; subtype = d.subtype?.rawValue; context = d.context.rawValue
            phase = d.phase.rawValue; areaPcodes = d.areaPcodes; description = d.description
            groups = d.groups.map(\.rawValue); vulnerabilities = d.vulnerabilities.map(\.rawValue)
            capacities = d.capacities.map(\.rawValue); likelihood = d.likelihood; severity = d.severity
            exposure = r.exposure
            level = method.levels.indices.contains(r.level) ? method.levels[r.level] : String(r.level)
            mitigations = d.mitigations.map {
                .init(
                    description: $0.description, owner: $0.owner, dueOn: $0.dueOn.map(DateText.day),
                    status: $0.status.rawValue, activityIds: $0.activityIDs)
            }
            nextReview = d.nextReview.map(DateText.day); closedAt = r.closedAt; closingNote = r.closingNote
            updatedAt = r.updatedAt
        }
    }
    struct ProtectionRiskList: Content { let items: [ProtectionRisk] }
    struct ProtectionMitigationInput: Content {
        let description: String?; let owner: String?; let dueOn: String?; let status: String?
        let activityIds: [String]?
    }
    struct ProtectionRiskInput: Content {
        let title: String?; let category: String?; let subtype: String?; let context: String?; let phase: String?
        let areaPcodes: [String]?; let description: String?; let groups: [String]?; let vulnerabilities: [String]?
        let capacities: [String]?; let likelihood: Int?; let severity: Int?; let nextReview: String?
        let mitigations: [ProtectionMitigationInput]?

        /// Over `base`: a field left out keeps its value (PATCH), or is empty (POST).
        func applied(to base: Domain.ProtectionRiskInput) -> Domain.ProtectionRiskInput {
            var input = base
            let texts: [(String?, WritableKeyPath<Domain.ProtectionRiskInput, String>)] = [
                (title, \.title), (category, \.category), (subtype, \.subtype), (context, \.context),
                (phase, \.phase), (description, \.description), (likelihood.map(String.init), \.likelihood),
                (severity.map(String.init), \.severity), (nextReview, \.nextReview),
                (areaPcodes?.joined(separator: ","), \.areaPcodes),
            ]
            for (value, field) in texts { if let value { input[keyPath: field] = value } }
            if let groups { input.groups = groups }
            if let vulnerabilities { input.vulnerabilities = vulnerabilities }
            if let capacities { input.capacities = capacities }
            if let mitigations {
                input.mitigations = mitigations.map {
                    .init(
                        description: $0.description ?? "", owner: $0.owner ?? "", due: $0.dueOn ?? "",
                        status: $0.status ?? MeasureStatus.planned.rawValue, activities: $0.activityIds ?? [])
                }
            }
            return input
        }
    }
}

/// The protection-risk register in the API: the Movement reads it; the migration coordinator and
/// the HeOps write. A partner is refused (403), as on the pages.
struct ProtectionRiskAPI {
    static let notFound = APIError(.notFound, code: "not_found", "No such protection risk.")

    func context(_ req: Request, writing: Bool = false) async throws -> (
        OperationContext, Scope, ProtectionRiskSettings
    ) {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        guard AccessPolicy.canViewProtectionRisks(in: context.operation.id, by: context.viewer) else {
            throw APIError(.forbidden, code: "forbidden", "Your role does not read the protection-risk register.")
        }
        if writing, !AccessPolicy.canManageProtectionRisks(in: context.operation.id, by: context.viewer) {
            throw APIError(.forbidden, code: "forbidden", "Your role does not keep the protection-risk register.")
        }
        let settings = try await SettingsStore(req.db).load(
            ProtectionRiskSettings.self, operationID: context.operation.id)
        return (context, scope, settings)
    }

    func list(_ req: Request) async throws -> APIDTO.ProtectionRiskList {
        let (_, scope, settings) = try await context(req)
        func choice<T: RawRepresentable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
            try req.queryChoice(name, type)
        }
        enum Flag: String { case yes = "true", no = "false" }
        let includeClosed = try req.queryChoice("include_closed", Flag.self) == .yes
        let filter = ProtectionRiskStore.Filter(
            includeClosed: includeClosed,
            concern: try choice("concern", ProtectionConcern.self).map(settings.mapping),
            category: try choice("category", ProtectionRiskCategory.self),
            context: try choice("context", ProtectionContext.self), phase: try choice("phase", JourneyPhase.self))
        return APIDTO.ProtectionRiskList(
            items: try await ProtectionRiskStore(req.db).list(in: scope, filter: filter).map {
                APIDTO.ProtectionRisk($0, method: settings.method)
            })
    }

    func show(_ req: Request) async throws -> Response {
        let (_, scope, settings) = try await context(req)
        let risk = try await load(req, scope)
        return try await APIVersioning.tagged(
            APIDTO.ProtectionRisk(risk, method: settings.method), version: EditVersion.token(risk.updatedAt), req)
    }

    func load(_ req: Request, _ scope: Scope) async throws -> ProtectionRiskRecord {
        guard let raw = req.parameters.get("id"), let id = UUID(uuidString: raw),
            let risk = try await ProtectionRiskStore(req.db).find(ProtectionRiskID(id), in: scope)
        else { throw Self.notFound }
        return risk
    }

    func create(_ req: Request) async throws -> Response {
        let (context, scope, settings) = try await context(req, writing: true)
        let input = try req.apiBody(APIDTO.ProtectionRiskInput.self).applied(to: Domain.ProtectionRiskInput())
        let draft = try await ProtectionRisks.checked(input, method: settings.method, scope: scope, on: req.db)
        let risk = try await ProtectionRiskStore(req.db).create(
            draft, method: settings.method, scope: scope, actorID: context.current.user.id, now: req.now)
        let response = try await APIDTO.ProtectionRisk(risk, method: settings.method)
            .encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.apiProtectionRisk(.value(context.operation.code), .value(risk.id)).path)
        return response
    }

    func update(_ req: Request) async throws -> Response {
        let (context, scope, settings) = try await context(req, writing: true)
        let risk = try await load(req, scope)
        let version = try req.ifMatch()
        let input = try req.apiBody(APIDTO.ProtectionRiskInput.self).applied(
            to: Domain.ProtectionRiskInput(risk.draft))
        let draft = try await ProtectionRisks.checked(input, method: settings.method, scope: scope, on: req.db)
        do {
            let updated = try await ProtectionRiskStore(req.db).update(
                risk.id, with: draft, method: settings.method, scope: scope, actorID: context.current.user.id,
                expecting: version, now: req.now)
            return try await APIVersioning.tagged(
                APIDTO.ProtectionRisk(updated, method: settings.method), version: EditVersion.token(updated.updatedAt),
                req)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let current = try await ProtectionRiskStore(req.db).find(risk.id, in: scope)
            throw APIVersioning.stale(current.map { EditVersion.token($0.updatedAt) } ?? "")
        }
    }
}
