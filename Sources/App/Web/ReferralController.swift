import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor
import Views

/// Referrals: restricted to the migration coordinator and the caseworkers they name
/// (`AccessPolicy.referralScope`); everyone else in the Movement reads the figures only, with
/// counts under 5 suppressed (`SmallCells`).
struct ReferralController {
    func index(_ req: Request) async throws -> Response {
        let r = try await ReferralContext.load(req)
        // Who reads only the figures is taken to them.
        guard let scope = r.scope else {
            return req.redirect(to: SiteURL.referralFigures(.value(r.operation.code)).path)
        }
        let status = req.query[String.self, at: "status"].flatMap(ReferralStatus.init(rawValue:))
        let result = try await ReferralStore(req.db).list(in: scope, status: status, page: try req.paging(perPage: 50))
        let model = ReferralList.Model(
            code: r.operation.code, rows: result.items.map(Self.summary), status: status,
            paging: PagePosition(page: result.page, pageCount: result.pageCount, total: result.total),
            today: req.now,
            canNameCaseWorkers: AccessPolicy.canNameCaseWorkers(in: r.operation.id, by: r.context.viewer))
        return Page.render(req, title: req.t("referrals_title")) { ReferralList.view(model, $0) }
    }

    static func summary(_ row: ReferralRecord) -> ReferralSummary {
        ReferralSummary(
            id: row.id, label: row.label, personRef: row.personRef, personName: row.personName,
            service: row.serviceName, urgency: row.urgencyLevel, status: row.referralStatus,
            followUpOn: row.followUpOn, rfl: row.rfl)
    }

    func figures(_ req: Request) async throws -> Response {
        let r = try await ReferralContext.load(req)
        guard r.canSeeFigures else { throw PageError(.forbidden, key: "error.forbidden") }
        let suppressed = !AccessPolicy.seesExactReferralFigures(through: r.scope)
        let model = ReferralFigures.Model(
            code: r.operation.code,
            rows: ReferralService.figureRows(
                try await ReferralStore(req.db).aggregates(operationID: r.operation.id), suppressed: suppressed),
            suppressed: suppressed, asOf: req.now, canSeeReferrals: r.scope != nil,
            canNameCaseWorkers: AccessPolicy.canNameCaseWorkers(in: r.operation.id, by: r.context.viewer))
        return Page.render(req, title: req.t("referral_figures_title")) { ReferralFigures.view(model, $0) }
    }

    /// The figures as CSV: what leaves the system, so always suppressed, whoever downloads it.
    func figuresExport(_ req: Request) async throws -> Response {
        let r = try await ReferralContext.load(req)
        guard r.canSeeFigures else { throw PageError(.forbidden, key: "error.forbidden") }
        let rows = ReferralService.figureRows(
            try await ReferralStore(req.db).aggregates(operationID: r.operation.id), suppressed: true)
        var csv = FlowExchange.line(
            ["service"] + ReferralStatus.allCases.map(\.rawValue) + ["total", "median_days_to_acceptance"])
        for row in rows { csv += FlowExchange.line([row.service] + row.counts + [row.total, row.medianDays]) }
        csv += FlowExchange.line([
            "# source: Bearing referrals of \(r.operation.code), as of \(DateText.minute(req.now)); counts from 1 to 4 shown as <5"
        ])
        let text = csv
        return ExportDownload.response(format: .csv, operation: r.operation, holding: "referral-figures", on: req.now) {
            try await $0(text)
        }
    }

    // MARK: Making a referral

    struct Submitted: Content {
        var personRef: String?; var nameConsent: String?; var personName: String?; var service: String?
        var needs: [String]?; var needNote: String?; var urgency: String?; var consent: String?; var consentBy: String?
        var consentOn: String?; var overrideReason: String?; var overrideApprover: String?; var rfl: String?
        var tracingAgency: String?; var tracingCaseNumber: String?; var followUpOn: String?; var assignedTo: String?

        enum CodingKeys: String, CodingKey {
            case service, needs, urgency, consent, rfl
            case personRef = "person_ref", nameConsent = "name_consent", personName = "person_name"
            case needNote = "need_note", consentBy = "consent_by", consentOn = "consent_on"
            case overrideReason = "override_reason", overrideApprover = "override_approver"
            case tracingAgency = "tracing_agency", tracingCaseNumber = "tracing_case_number"
            case followUpOn = "follow_up_on", assignedTo = "assigned_to"
        }

        var input: ReferralInput {
            var input = ReferralInput()
            input.personRef = personRef ?? ""
            input.nameConsent = nameConsent ?? "no"
            input.personName = personName ?? ""
            input.service = service ?? ""
            input.needs = needs ?? []
            input.needNote = needNote ?? ""
            input.urgency = urgency ?? ReferralUrgency.medium.rawValue
            input.consent = consent ?? ""
            input.consentBy = consentBy ?? ""
            input.consentOn = consentOn ?? ""
            input.overrideReason = overrideReason ?? ""
            input.overrideApprover = overrideApprover ?? ""
            input.rfl = rfl ?? "no"
            input.tracingAgency = tracingAgency ?? ""
            input.tracingCaseNumber = tracingCaseNumber ?? ""
            input.followUpOn = followUpOn ?? ""
            input.assignedTo = assignedTo ?? ""
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let r = try await ReferralContext.load(req)
        _ = try r.requireScope()
        var values = ReferralInput()
        values.consentOn = DateText.day(req.now)
        values.service = req.query[String.self, at: "service"] ?? ""
        return try await renderForm(req, r, values: values, errors: [:])
    }

    func create(_ req: Request) async throws -> Response {
        let r = try await ReferralContext.load(req)
        let scope = try r.requireScope()
        let member = try r.context.requireScope()
        let input = try req.content.decode(Submitted.self).input
        do {
            let (draft, service) = try await ReferralService(database: req.db).checked(
                input, scope: scope, member: member, now: req.now)
            let row = try await ReferralStore(req.db).create(
                draft, serviceName: service.name, scope: scope, now: req.now)
            Page.flash("referrals.created", on: req)
            return req.redirect(to: SiteURL.referral(.value(r.operation.code), .value(row.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, r, values: input, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    func renderForm(
        _ req: Request, _ r: ReferralContext, values: ReferralInput, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let people = try await ReferralService(database: req.db).people(of: r.operation.id)
        let services = try await ServiceStore(req.db).all(
            in: try r.context.requireScope(), filter: .init(takesReferrals: true))
        let model = ReferralForm.Model(
            code: r.operation.code, values: values, errors: errors,
            services: services.map {
                (
                    id: $0.id, name: $0.name + ($0.locationName.map { " · " + $0 } ?? ""),
                    consentRequired: $0.consentRequired
                )
            },
            caseWorkers: people.caseWorkers, approvers: people.approvers)
        return Page.render(req, title: req.t("referrals_new"), status: status) { ReferralForm.view(model, $0) }
    }

    // MARK: One referral

    func load(_ req: Request) async throws -> (ReferralContext, ReferralScope, ReferralRecord) {
        let r = try await ReferralContext.load(req)
        // A reader of the figures only is told a referral does not exist, as anyone it does not reach.
        guard let scope = r.scope, let id = req.pathID(as: ReferralID.self),
            let row = try await ReferralStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return (r, scope, row)
    }

    func show(_ req: Request) async throws -> Response {
        let (r, scope, row) = try await load(req)
        let people = try await ReferralService(database: req.db).people(of: r.operation.id)
        func name(_ id: UserID?) -> String { id.flatMap { people.names[$0] } ?? req.t("someone_else") }
        let steps = try await ReferralStore(req.db).events(of: row.id, in: scope).map {
            ReferralPage.Model.Step(
                at: $0.at, by: $0.actorID == nil ? "Bearing" : name($0.actorID), to: $0.to, note: $0.note)
        }
        var model = ReferralPage.Model(
            code: r.operation.code, summary: Self.summary(row), needs: row.specificNeeds, needNote: row.needNote,
            consent: row.consentStatus, consentBy: row.consentBy, consentOn: row.consentOn,
            overrideReason: row.overrideReason, overrideApprover: row.overrideApprover.map { name($0) },
            tracing: row.tracingCaseNumber.map {
                (row.tracingAgency.map { req.t("tracing_agency." + $0) + " · " } ?? "") + $0
            },
            assignedTo: row.assignedTo.map { name($0) }, outcome: row.outcome, steps: steps)
        if AccessPolicy.canReassignReferrals(through: scope) { model.assignable = people.caseWorkers }
        let page = model
        return Page.render(req, title: row.label) { ReferralPage.view(page, $0) }
    }

    struct StepForm: Content { var to: String?; var note: String? }

    func step(_ req: Request) async throws -> Response {
        let (r, scope, row) = try await load(req)
        let form = try req.content.decode(StepForm.self)
        guard let to = form.to.flatMap(ReferralStatus.init(rawValue:)), row.referralStatus.next.contains(to) else {
            throw PageError(.unprocessableEntity, key: "error.referral_step")
        }
        let note = form.note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let note, note.count > 2000 { throw PageError(.unprocessableEntity, key: "error.too_long") }
        _ = try await ReferralStore(req.db).move(row.id, to: to, note: note, scope: scope, now: req.now)
        Page.flash("referrals.updated", on: req)
        return req.redirect(to: SiteURL.referral(.value(r.operation.code), .value(row.id)).path)
    }

    struct FollowUpForm: Content {
        var followUpOn: String?
        enum CodingKeys: String, CodingKey { case followUpOn = "follow_up_on" }
    }

    func followUp(_ req: Request) async throws -> Response {
        let (r, scope, row) = try await load(req)
        let text = try req.content.decode(FollowUpForm.self).followUpOn?.trimmingCharacters(in: .whitespaces) ?? ""
        let day = text.isEmpty ? nil : DateText.day(text)
        guard text.isEmpty || day != nil else { throw PageError(.unprocessableEntity, key: "error.date") }
        try await ReferralStore(req.db).setFollowUp(row.id, on: day, scope: scope, now: req.now)
        Page.flash("referrals.updated", on: req)
        return req.redirect(to: SiteURL.referral(.value(r.operation.code), .value(row.id)).path)
    }

    func withdraw(_ req: Request) async throws -> Response {
        let (r, scope, row) = try await load(req)
        let note = try req.content.decode(StepForm.self).note?.trimmingCharacters(in: .whitespacesAndNewlines)
            .nilIfEmpty
        do {
            _ = try await ReferralStore(req.db).withdrawConsent(row.id, note: note, scope: scope, now: req.now)
        } catch let error as DomainError where error.kind == .conflict {
            throw PageError(.conflict, key: error.messageKey)
        }
        Page.flash("referrals.withdrawn", on: req)
        return req.redirect(to: SiteURL.referral(.value(r.operation.code), .value(row.id)).path)
    }

    struct AssignForm: Content { var to: String? }

    /// The coordinator gives the follow-up to a named caseworker (or to themselves).
    func assign(_ req: Request) async throws -> Response {
        let (r, scope, row) = try await load(req)
        guard AccessPolicy.canReassignReferrals(through: scope) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let people = try await ReferralService(database: req.db).people(of: r.operation.id)
        guard
            let id = try req.content.decode(AssignForm.self).to.flatMap(UUID.init(uuidString:)).map(
                UserID.init(rawValue:)),
            people.caseWorkers.contains(where: { $0.id == id })
        else { throw PageError(.unprocessableEntity, key: "error.choose") }
        try await ReferralStore(req.db).assign(row.id, to: id, scope: scope, now: req.now)
        Page.flash("referrals.updated", on: req)
        return req.redirect(to: SiteURL.referral(.value(r.operation.code), .value(row.id)).path)
    }

    // MARK: Caseworkers

    func caseWorkers(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canNameCaseWorkers)
        let members = try await OperationStore(req.db).members(of: context.operation.id)
        let named = Set(try await ReferralStore(req.db).caseWorkers(operationID: context.operation.id))
        let eligible = members.filter { Role(rawValue: $0.role).map(AccessPolicy.canBeNamedCaseWorker) == true }
        let model = CaseWorkersPage.Model(
            code: context.operation.code,
            named: eligible.filter { named.contains($0.userId) }.map { (id: $0.userId, name: $0.displayName) },
            candidates: eligible.filter { !named.contains($0.userId) && $0.role != Role.migrationCoordinator.rawValue }
                .map { (id: $0.userId, name: $0.displayName) })
        return Page.render(req, title: req.t("case_workers_title")) { CaseWorkersPage.view(model, $0) }
    }

    struct CaseWorkerForm: Content { var user: String?; var named: String? }

    func setCaseWorker(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canNameCaseWorkers)
        let form = try req.content.decode(CaseWorkerForm.self)
        let members = try await OperationStore(req.db).members(of: context.operation.id)
        guard let id = form.user.flatMap(UUID.init(uuidString:)).map(UserID.init(rawValue:)),
            let member = members.first(where: { $0.userId == id }), let role = Role(rawValue: member.role),
            AccessPolicy.canBeNamedCaseWorker(role)
        else { throw PageError(.unprocessableEntity, key: "error.choose") }
        try await ReferralStore(req.db).setCaseWorker(
            id, named: form.named == "yes", operationID: context.operation.id, by: context.current.user.id, now: req.now
        )
        return req.redirect(to: SiteURL.referralCaseWorkers(.value(context.operation.code)).path)
    }
}
