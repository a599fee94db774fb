import Domain
import Foundation
import Persistence
import Vapor
import Views

extension APIDTO {
    struct Referral: Content {
        let id: ReferralID; let number: Int; let personRef: String; let personName: String?; let serviceId: ServiceID?
        let serviceName: String; let needs: [String]; let needNote: String?; let urgency: String; let consent: String
        let consentBy: String; let consentOn: String; let overrideReason: String?; let overrideApprover: UserID?
        let rfl: Bool; let tracingAgency: String?; let tracingCaseNumber: String?; let status: String
        let followUpOn: String?; let outcome: String?; let assignedTo: UserID?; let createdAt: Date; let sentAt: Date?
        let answeredAt: Date?; let closedAt: Date?; let updatedAt: Date
        init(_ r: ReferralRecord) {
            id = r.id; number = r.number; personRef = r.personRef; personName = r.personName; serviceId = r.serviceId
            serviceName = r.serviceName; needs = r.specificNeeds.map(\.rawValue); needNote = r.needNote
            urgency = r.urgency; consent = r.consent; consentBy = r.consentBy; consentOn = DateText.day(r.consentOn)
            overrideReason = r.overrideReason; overrideApprover = r.overrideApprover; rfl = r.rfl
            tracingAgency = r.tracingAgency; tracingCaseNumber = r.tracingCaseNumber; status = r.status
            followUpOn = r.followUpOn.map(DateText.day); outcome = r.outcome; assignedTo = r.assignedTo
            createdAt = r.createdAt; sentAt = r.sentAt; answeredAt = r.answeredAt; closedAt = r.closedAt
            updatedAt = r.updatedAt
        }
    }
    struct ReferralList: Content { let items: [Referral]; let total: Int; let page: Int; let pageCount: Int }
    struct ReferralFigure: Content {
        let service: String; let byStatus: [String: String]; let total: String; let medianDaysToAcceptance: String
    }
    struct ReferralFigures: Content {
        let items: [ReferralFigure]; let suppressed: Bool; let asOf: Date; let source: String
    }
    struct ReferralInput: Content {
        let personRef: String?; let nameConsent: Bool?; let personName: String?; let serviceId: String?
        let needs: [String]?; let needNote: String?; let urgency: String?; let consent: String?; let consentBy: String?
        let consentOn: String?; let overrideReason: String?; let overrideApprover: String?; let rfl: Bool?
        let tracingAgency: String?; let tracingCaseNumber: String?; let followUpOn: String?; let assignedTo: String?

        var input: Domain.ReferralInput {
            var input = Domain.ReferralInput()
            input.personRef = personRef ?? ""
            input.nameConsent = nameConsent == true ? "yes" : "no"
            input.personName = personName ?? ""
            input.service = serviceId ?? ""
            input.needs = needs ?? []
            input.needNote = needNote ?? ""
            input.urgency = urgency ?? ReferralUrgency.medium.rawValue
            input.consent = consent ?? ""
            input.consentBy = consentBy ?? ""
            input.consentOn = consentOn ?? ""
            input.overrideReason = overrideReason ?? ""
            input.overrideApprover = overrideApprover ?? ""
            input.rfl = rfl == true ? "yes" : "no"
            input.tracingAgency = tracingAgency ?? ""
            input.tracingCaseNumber = tracingCaseNumber ?? ""
            input.followUpOn = followUpOn ?? ""
            input.assignedTo = assignedTo ?? ""
            return input
        }
    }
    struct ReferralStep: Content { let to: String; let note: String? }
}

/// Referrals in the API: the coordinator and named caseworkers read and write theirs; the rest of
/// the Movement reads the figures, counts under 5 suppressed.
struct ReferralAPI {
    static let notFound = APIError(.notFound, code: "not_found", "No such referral.")

    func context(_ req: Request) async throws -> ReferralContext {
        do { return try await ReferralContext.load(req) } catch let error as PageError where error.status == .forbidden
        {
            throw APIError(.forbidden, code: "forbidden", "Your role reads neither referrals nor their figures.")
        } catch is PageError {
            throw APIError(.notFound, code: "not_found", "No such operation.")
        }
    }

    func scope(_ r: ReferralContext) throws -> ReferralScope {
        guard let scope = r.scope else {
            throw APIError(
                .forbidden, code: "forbidden",
                "Referrals are restricted to the migration coordinator and named caseworkers; the figures are at /referrals/figures."
            )
        }
        return scope
    }

    func list(_ req: Request) async throws -> APIDTO.ReferralList {
        let r = try await context(req)
        let scope = try scope(r)
        var status: ReferralStatus?
        if let text = req.queryText("status") {
            guard let parsed = ReferralStatus(rawValue: text) else {
                throw APIError(.badRequest, code: "bad_parameter", "Unknown status '\(text)'.")
            }
            status = parsed
        }
        let result = try await ReferralStore(req.db).list(in: scope, status: status, page: try req.apiPaging())
        return APIDTO.ReferralList(
            items: result.items.map(APIDTO.Referral.init), total: result.total, page: result.page,
            pageCount: result.pageCount)
    }

    func figures(_ req: Request) async throws -> APIDTO.ReferralFigures {
        let r = try await context(req)
        guard r.canSeeFigures else {
            throw APIError(.forbidden, code: "forbidden", "Your role does not read referral figures.")
        }
        let suppressed = !AccessPolicy.seesExactReferralFigures(through: r.scope)
        let rows = ReferralService.figureRows(
            try await ReferralStore(req.db).aggregates(operationID: r.operation.id), suppressed: suppressed)
        return APIDTO.ReferralFigures(
            items: rows.map { row in
                APIDTO.ReferralFigure(
                    service: row.service,
                    byStatus: Dictionary(
                        uniqueKeysWithValues: zip(ReferralStatus.allCases.map(\.rawValue), row.counts)),
                    total: row.total, medianDaysToAcceptance: row.medianDays)
            }, suppressed: suppressed, asOf: req.now, source: "Bearing referrals of \(r.operation.code)")
    }

    func create(_ req: Request) async throws -> Response {
        let r = try await context(req)
        let scope = try scope(r)
        let member = try r.context.requireScope(notFound: Self.notFound)
        let input = try req.apiBody(APIDTO.ReferralInput.self).input
        let (draft, service) = try await ReferralService(database: req.db).checked(
            input, scope: scope, member: member, now: req.now)
        let row = try await ReferralStore(req.db).create(draft, serviceName: service.name, scope: scope, now: req.now)
        let response = try await APIDTO.Referral(row).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.apiReferral(.value(r.operation.code), .value(row.id)).path)
        return response
    }

    func find(_ req: Request) async throws -> (ReferralScope, ReferralRecord) {
        let r = try await context(req)
        guard let scope = r.scope, let id = req.pathID(as: ReferralID.self),
            let row = try await ReferralStore(req.db).find(id, in: scope)
        else { throw Self.notFound }
        return (scope, row)
    }

    func show(_ req: Request) async throws -> APIDTO.Referral { APIDTO.Referral(try await find(req).1) }

    /// One step: a status of `next`, or `withdrawn` when the person withdraws consent.
    func step(_ req: Request) async throws -> APIDTO.Referral {
        let (scope, row) = try await find(req)
        let body = try req.apiBody(APIDTO.ReferralStep.self)
        let note = body.note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let note, note.count > 2000 {
            throw APIError(.unprocessableEntity, code: "validation_failed", "note: at most 2,000 characters.")
        }
        let store = ReferralStore(req.db)
        do {
            if body.to == ReferralStatus.withdrawn.rawValue {
                return APIDTO.Referral(try await store.withdrawConsent(row.id, note: note, scope: scope, now: req.now))
            }
            guard let to = ReferralStatus(rawValue: body.to) else {
                throw APIError(.unprocessableEntity, code: "validation_failed", "to: unknown status '\(body.to)'.")
            }
            return APIDTO.Referral(try await store.move(row.id, to: to, note: note, scope: scope, now: req.now))
        } catch let error as DomainError where error.kind == .conflict {
            throw APIError(.conflict, code: "conflict", error.message)
        }
    }
}
