import Domain
import Foundation
import Persistence
import Vapor
import Views

/// MSR compliance: assessments of the operation or an office against the requirement catalogue,
/// scores per part and their trend, written exemptions, and the annual compliance pack for the
/// senior manager's written approval.
struct ComplianceController {
    func index(_ req: Request) async throws -> Response { try await render(req, error: nil) }

    func render(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewCompliance(in:by:))
        let operationID = context.operation.id
        let store = ComplianceStore(req.db)
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: operationID)
            .catalogue
        let exemptions = try await store.exemptions(in: operationID)
        let assessments = try await store.assessments(in: try context.requireScope())
        let sites = try await context.visibleSites(on: req.db)
        let parts = Array(Set(catalogue.map(\.part))).sorted()
        // Oldest first within each scope, to compare each assessment with the one before it.
        var previous: [SiteID?: [Int: Double?]] = [:]
        var rows: [ComplianceOverview.Model.Assessment] = []
        for record in assessments.reversed() {
            let scores = record.assessment.scores(catalogue: catalogue, exemptions: exemptions.map(\.exemption))
            rows.append(
                .init(
                    id: record.id, day: DateText.day(record.assessment.assessedOn),
                    scope: record.siteID.flatMap { id in sites.first { $0.id == id }?.name },
                    phase: record.assessment.phase,
                    scores: parts.map { part in
                        (
                            score: (scores[part] ?? nil).map { Int($0) },
                            previous: (previous[record.siteID]?[part] ?? nil).map { Int($0) }
                        )
                    }))
            previous[record.siteID] = scores
        }
        let now = req.now
        let model = ComplianceOverview.Model(
            code: context.operation.code, parts: parts, assessments: rows.reversed(),
            exemptions: exemptions.map {
                let e = $0.exemption
                return .init(
                    requirement: e.requirement, reason: e.reason, writtenReason: e.writtenReason,
                    grantedBy: e.grantedBy,
                    from: DateText.day(e.grantedOn), to: DateText.day(e.expiresOn), active: e.isActive(on: now))
            },
            requirements: catalogue.map { (code: $0.code, text: req.strings.ifrcText($0.text)) },
            canWrite: AccessPolicy.canWriteCompliance(in: operationID, by: context.viewer),
            today: DateText.day(now),
            error: error)
        return Page.render(req, title: req.t("compliance.title"), status: status) { ComplianceOverview.view(model, $0) }
    }

    // MARK: Assessments

    struct AssessmentForm: Content {
        var site: String?; var assessedOn: String?; var phase: String?; var status: [String: String]?;
        var evidence: [String: String]?
        enum CodingKeys: String, CodingKey { case site, phase, status, evidence; case assessedOn = "assessed_on" }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canWriteCompliance(in:by:))
        return try await renderForm(req, context, form: AssessmentForm(), errors: [:])
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, form: AssessmentForm, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let operationID = context.operation.id
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: operationID)
            .catalogue
        let rules = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: operationID).rules
        // The highest phase in force anywhere in the operation decides, by default, what applies.
        let inForce = try await PhaseStore(req.db).inForce(in: operationID).values.map(\.to)
        let phase =
            form.phase ?? inForce.max { (rules.rank($0) ?? 0) < (rules.rank($1) ?? 0) } ?? rules.phases.first ?? ""
        let offices = try await context.visibleSites(on: req.db).filter { $0.siteType == .office }
        let t = req.strings
        let model = ComplianceAssessmentForm.Model(
            code: context.operation.code,
            requirements: catalogue.map { requirement in
                .init(
                    part: requirement.part, code: requirement.code, text: t.ifrcText(requirement.text),
                    phases: requirement.phases.sorted { (rules.rank($0) ?? 0) < (rules.rank($1) ?? 0) }.map(t.phase),
                    chosen: form.status?[requirement.code]
                        ?? (requirement.applies(in: phase) ? "" : ComplianceStatus.notApplicable.rawValue),
                    evidence: form.evidence?[requirement.code] ?? "")
            },
            sites: [Choice(value: "", label: t("compliance.whole_operation"), selected: (form.site ?? "").isEmpty)]
                + offices.map {
                    Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == form.site)
                },
            phases: rules.phases.map { Choice(value: $0, label: t.phase($0), selected: $0 == phase) },
            assessedOn: form.assessedOn ?? DateText.day(req.now), errors: errors)
        return Page.render(req, title: req.t("compliance.new_assessment"), status: status) {
            ComplianceAssessmentForm.view(model, $0)
        }
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canWriteCompliance(in:by:))
        let form = try req.content.decode(AssessmentForm.self)
        let operationID = context.operation.id
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: operationID)
            .catalogue
        let phases = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: operationID).rules.phases
        var errors = ValidationErrors()
        let day = DateText.day(form.assessedOn ?? "")
        if day == nil { errors.add("assessed_on", key: "error.date", "Use a date like 2026-11-23.") }
        var findings: [ComplianceAssessment.Finding] = []
        for requirement in catalogue {
            let raw = form.status?[requirement.code] ?? ""
            guard let status = ComplianceStatus(rawValue: raw) else {
                errors.add(
                    "status[\(requirement.code)]", key: "error.compliance_status",
                    "Give requirement \(requirement.code) a status.")
                continue
            }
            findings.append(
                .init(requirement: requirement.code, status: status, evidence: form.evidence?[requirement.code] ?? ""))
        }
        // An office the writer may see, or the whole operation; never an office named blind.
        var siteID: SiteID?
        if let text = form.site, !text.isEmpty {
            let offices = try await context.visibleSites(on: req.db).filter { $0.siteType == .office }
            siteID = UUID(uuidString: text).map(SiteID.init(rawValue:)).flatMap { id in
                offices.first { $0.id == id }?.id
            }
            if siteID == nil { errors.add("site", key: "error.choose", "Choose one of the listed offices.") }
        }
        do {
            try errors.throwIfAny()
            let record = try await ComplianceStore(req.db).record(
                ComplianceAssessment(assessedOn: day ?? req.now, phase: form.phase ?? "", findings: findings),
                siteID: siteID, catalogue: catalogue,
                phases: phases, in: operationID, actorID: context.current.user.id, now: req.now)
            Page.flash("compliance.saved", on: req)
            return req.redirect(
                to: SiteURL.complianceAssessment(.value(context.operation.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, form: form, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewCompliance(in:by:))
        let operationID = context.operation.id
        guard let id = req.pathID(as: ComplianceAssessmentID.self),
            let record = try await ComplianceStore(req.db).assessments(in: try context.requireScope(), id: id).first
        else { throw PageError(.notFound, key: "error.not_found") }
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: operationID)
            .catalogue
        let exemptions = try await ComplianceStore(req.db).exemptions(in: operationID).map(\.exemption)
        let exempt = Set(exemptions.filter { $0.isActive(on: record.assessment.assessedOn) }.map(\.requirement))
        let site = try await context.visibleSites(on: req.db).first { $0.id == record.siteID }
        let model = ComplianceAssessmentPage.Model(
            code: context.operation.code, number: record.number, day: DateText.day(record.assessment.assessedOn),
            scope: site?.name,
            phase: record.assessment.phase,
            scores: Self.partScores(record.assessment.scores(catalogue: catalogue, exemptions: exemptions)),
            findings: record.assessment.findings.map { finding in
                .init(
                    code: finding.requirement,
                    text: req.strings.ifrcText(catalogue.first { $0.code == finding.requirement }?.text ?? ""),
                    status: finding.status,
                    exempt: exempt.contains(finding.requirement), evidence: finding.evidence)
            })
        return Page.render(req, title: req.t("compliance.title")) { ComplianceAssessmentPage.view(model, $0) }
    }

    /// Each MSR part's score, in part order; nil for a part with nothing to count.
    static func partScores(_ scores: [Int: Double?]) -> [(part: Int, score: Int?)] {
        scores.sorted { $0.key < $1.key }.map { (part: $0.key, score: $0.value.map { Int($0) }) }
    }

    // MARK: Exemptions

    struct ExemptionForm: Content {
        var requirement: String?; var grantedBy: String?; var reason: String?; var writtenReason: String?;
        var grantedOn: String?; var expiresOn: String?
        enum CodingKeys: String, CodingKey {
            case requirement, reason
            case grantedBy = "granted_by", writtenReason = "written_reason", grantedOn = "granted_on", expiresOn =
                "expires_on"
        }
    }

    func grant(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canWriteCompliance(in:by:))
        let form = try req.content.decode(ExemptionForm.self)
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: context.operation.id)
            .catalogue
        do {
            var errors = ValidationErrors()
            let granted = DateText.day(form.grantedOn ?? "")
            let expires = DateText.day(form.expiresOn ?? "")
            if granted == nil { errors.add("granted_on", key: "error.date", "Use a date like 2026-11-23.") }
            if expires == nil { errors.add("expires_on", key: "error.date", "Use a date like 2026-11-23.") }
            let reason = ExemptionReason(rawValue: form.reason ?? "")
            if reason == nil { errors.add("reason", key: "error.choice", "Choose why the exemption is granted.") }
            try errors.throwIfAny()
            let exemption = try ComplianceExemption(
                requirement: form.requirement ?? "", grantedBy: form.grantedBy ?? "", reason: reason ?? .other,
                writtenReason: form.writtenReason ?? "",
                grantedOn: granted ?? req.now, expiresOn: expires ?? req.now
            ).validated(catalogue: catalogue)
            _ = try await ComplianceStore(req.db).grant(
                exemption, in: context.operation.id, actorID: context.current.user.id, now: req.now)
            Page.flash("compliance.exemption_saved", on: req)
            return req.redirect(to: SiteURL.compliance(.value(context.operation.code)).path + "#exemptions")
        } catch let errors as ValidationErrors {
            return try await render(
                req, error: errors.messages(in: req).values.sorted().joined(separator: " "),
                status: .unprocessableEntity)
        }
    }

    // MARK: The annual pack

    func pack(_ req: Request) async throws -> Response { try await renderPack(req, error: nil) }

    func renderPack(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewCompliance(in:by:))
        let operationID = context.operation.id
        let now = req.now
        let year =
            (try req.queryInteger("year", in: 2000...2200)) ?? AnalysisPeriods.calendar.component(.year, from: now)
        let current = try await PlanStore(req.db).current(in: operationID)
        let scope = try context.requireScope()
        let risks = try await RiskStore(req.db).list(in: scope, now: req.now, page: Paging(page: 1, perPage: 1)).total
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: operationID)
            .catalogue
        let exemptionRecords = try await ComplianceStore(req.db).exemptions(in: operationID)
        let latest = try await ComplianceStore(req.db).assessments(in: scope, limit: 1).first
        let approval = try await ComplianceStore(req.db).pack(year: year, in: operationID)
        let held = try await PhaseStore(req.db).authorities(
            of: context.current.user.id, role: context.role, in: operationID)
        let approver =
            try await approval?.approvedBy.asyncMap { try await UserStore(req.db).find(id: $0)?.displayName } ?? nil
        let model = CompliancePack.Model(
            code: context.operation.code, operationName: context.operation.name, year: year,
            annexes: SecurityPlanKind.allCases.map { kind in
                let approved = current[kind]?.approved
                return .init(
                    kind: kind, approvedVersion: approved?.version, approvedOn: approved?.approvedAt.map(DateText.day))
            },
            risks: risks, assessedOn: latest.map { DateText.day($0.assessment.assessedOn) },
            scores: latest.map {
                Self.partScores(
                    $0.assessment.scores(catalogue: catalogue, exemptions: exemptionRecords.map(\.exemption)))
            } ?? [],
            exemptions: exemptionRecords.filter { $0.exemption.isActive(on: now) }.map {
                .init(
                    requirement: $0.exemption.requirement, writtenReason: $0.exemption.writtenReason,
                    grantedBy: $0.exemption.grantedBy,
                    expires: DateText.day($0.exemption.expiresOn))
            },
            approval: approval.map {
                .init(statement: $0.statement, by: approver ?? "—", at: req.strings.minute($0.approvedAt))
            },
            canApprove: approval == nil && held.contains(.seniorManager), error: error)
        return Page.render(req, title: req.t("compliance.pack"), status: status) { CompliancePack.view(model, $0) }
    }

    struct PackForm: Content { var year: Int?; var statement: String? }

    func approvePack(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewCompliance(in:by:))
        let form = try req.content.decode(PackForm.self)
        let year = form.year ?? AnalysisPeriods.calendar.component(.year, from: req.now)
        do {
            _ = try await ComplianceStore(req.db).approvePack(
                year: year, statement: form.statement ?? "",
                approverAuthorities: try await PhaseStore(req.db).authorities(
                    of: context.current.user.id, role: context.role, in: context.operation.id),
                in: context.operation.id, actorID: context.current.user.id, now: req.now)
        } catch let errors as ValidationErrors {
            return try await renderPack(
                req, error: errors.messages(in: req).values.sorted().joined(separator: " "),
                status: .unprocessableEntity)
        } catch let error as DomainError {
            return try await renderPack(req, error: req.message(error), status: error.httpStatus)
        }
        Page.flash("compliance.pack_approved", on: req)
        return req.redirect(
            to: SiteURL.compliancePack(.value(context.operation.code)).path(query: [("year", String(year))]))
    }
}
