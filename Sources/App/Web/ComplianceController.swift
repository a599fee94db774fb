import Domain
import Foundation
import Persistence
import Vapor
import Views

/// MSR compliance: assessments of the operation or an office against the requirement catalogue,
/// scores per part and their trend, written exemptions, and the annual compliance pack for the
/// senior manager's written approval.
struct ComplianceController {
    struct IndexContext: Encodable {
        let code: String; let scores: HTMLFragment; let hasAssessments: Bool; let partHeaders: HTMLFragment; let exemptions: HTMLFragment
        let hasExemptions: Bool; let canWrite: Bool; let requirementOptions: HTMLFragment; let reasonOptions: HTMLFragment; let today: String
        let year: Int; let error: String?
    }

    func index(_ req: Request) async throws -> Response { try await render(req, error: nil) }

    func render(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let context = try await PlanController.requireReader(req)
        let operationID = context.operation.id
        let store = ComplianceStore(req.db)
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: operationID).catalogue
        let exemptions = try await store.exemptions(in: operationID)
        let assessments = try await store.assessments(in: operationID)
        let sites = try await PlanController.sites(context, req)
        let parts = Array(Set(catalogue.map(\.part))).sorted()
        var headers = HTMLFragment()
        for part in parts {
            headers.markup("<th scope=\"col\">")
            headers.text(req.t("compliance.part_n").replacingOccurrences(of: "{count}", with: String(part)))
            headers.markup("</th>")
        }
        // Oldest first within each scope, to compare each assessment with the one before it.
        var previous: [UUID?: [Int: Double?]] = [:]
        var rows: [HTMLFragment] = []
        for record in assessments.reversed() {
            let scores = record.assessment.scores(catalogue: catalogue, exemptions: exemptions.map(\.exemption))
            var row = HTMLFragment()
            row.markup("<tr><td><a href=\"/operations/")
            row.text(context.operation.code)
            row.markup("/compliance/assessments/")
            row.text(record.id.uuidString)
            row.markup("\" dir=\"ltr\">")
            row.text(DateText.day(record.assessment.assessedOn))
            row.markup("</a></td><td>")
            row.text(record.siteID.flatMap { id in sites.first { $0.id == id }?.name } ?? req.t("compliance.whole_operation"))
            row.markup("</td><td>")
            row.text(PhaseController.phaseLabel(record.assessment.phase, req))
            row.markup("</td>")
            for part in parts {
                let score = scores[part] ?? nil
                let before = previous[record.siteID]?[part] ?? nil
                row.markup("<td class=\"score\">")
                if let score {
                    row.text(Int(score))
                    if let before, before != score {
                        row.markup(score > before ? " <span class=\"up\" title=\"" : " <span class=\"down\" title=\"")
                        row.text(req.t("compliance.previous").replacingOccurrences(of: "{count}", with: String(Int(before))))
                        row.markup(score > before ? "\">▲</span>" : "\">▼</span>")
                    }
                } else {
                    row.text("—")
                }
                row.markup("</td>")
            }
            row.markup("</tr>")
            rows.append(row)
            previous[record.siteID] = scores
        }
        var scores = HTMLFragment()
        for row in rows.reversed() { scores.append(row) }
        let now = Date()
        var list = HTMLFragment()
        for record in exemptions {
            let e = record.exemption
            list.markup(e.isActive(on: now) ? "<tr><td dir=\"ltr\">" : "<tr class=\"closed\"><td dir=\"ltr\">")
            list.text(e.requirement)
            list.markup("</td><td>")
            list.text(req.t("exemption_reason.\(e.reason.rawValue)"))
            list.markup(" — ")
            list.text(e.writtenReason)
            list.markup("</td><td>")
            list.text(e.grantedBy)
            list.markup("</td><td dir=\"ltr\" class=\"nowrap\">")
            list.text("\(DateText.day(e.grantedOn)) – \(DateText.day(e.expiresOn))")
            list.markup("</td><td>")
            list.text(req.t(e.isActive(on: now) ? "compliance.active" : "compliance.expired"))
            list.markup("</td></tr>")
        }
        var requirementOptions = HTMLFragment()
        requirementOptions.options(catalogue.map { ($0.code, "\($0.code) · \($0.text)", false) })
        var reasonOptions = HTMLFragment()
        reasonOptions.options(ExemptionReason.allCases.map { ($0.rawValue, req.t("exemption_reason.\($0.rawValue)"), false) })
        return try await Page.render("compliance", IndexContext(
            code: context.operation.code, scores: scores, hasAssessments: !assessments.isEmpty, partHeaders: headers, exemptions: list,
            hasExemptions: !exemptions.isEmpty, canWrite: AccessPolicy.canWriteSecurityPlans(in: operationID.uuidString, by: context.viewer),
            requirementOptions: requirementOptions, reasonOptions: reasonOptions, today: DateText.day(now),
            year: AnalysisPeriods.calendar.component(.year, from: now), error: error),
            title: req.t("compliance.title"), for: req, status: status)
    }

    // MARK: Assessments

    struct AssessmentForm: Content {
        var site: String?; var assessedOn: String?; var phase: String?; var status: [String: String]?; var evidence: [String: String]?
        enum CodingKeys: String, CodingKey { case site, phase, status, evidence; case assessedOn = "assessed_on" }
    }

    struct FormContext: Encodable {
        let code: String; let rows: HTMLFragment; let siteOptions: HTMLFragment; let phaseOptions: HTMLFragment; let assessedOn: String
        let errors: [String: String]
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await PlanController.requireWriter(req)
        return try await renderForm(req, context, form: AssessmentForm(), errors: [:])
    }

    func renderForm(_ req: Request, _ context: OperationContext, form: AssessmentForm, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let operationID = context.operation.id
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: operationID).catalogue
        let rules = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: operationID).rules
        // The highest phase in force anywhere in the operation decides, by default, what applies.
        let inForce = try await PhaseStore(req.db).inForce(in: operationID).values.map(\.to)
        let phase = form.phase ?? inForce.max { (rules.rank($0) ?? 0) < (rules.rank($1) ?? 0) } ?? rules.phases.first ?? ""
        var rows = HTMLFragment()
        var part = 0
        for requirement in catalogue {
            if requirement.part != part {
                part = requirement.part
                rows.markup("<tr><th colspan=\"3\" scope=\"rowgroup\">")
                rows.text(req.t("compliance.part_n").replacingOccurrences(of: "{count}", with: String(part)))
                rows.markup(" · ")
                rows.text(req.t("msr_part.\(part)", or: ""))
                rows.markup("</th></tr>")
            }
            rows.markup("<tr><td><span dir=\"ltr\">")
            rows.text(requirement.code)
            rows.markup("</span> ")
            rows.text(requirement.text)
            if !requirement.phases.isEmpty {
                rows.markup(" <small>(")
                rows.text(requirement.phases.sorted { (rules.rank($0) ?? 0) < (rules.rank($1) ?? 0) }.map { PhaseController.phaseLabel($0, req) }
                    .joined(separator: ", "))
                rows.markup(")</small>")
            }
            rows.markup("</td><td><select name=\"status[")
            rows.text(requirement.code)
            rows.markup("]\">")
            let chosen = form.status?[requirement.code] ?? (requirement.applies(in: phase) ? "" : ComplianceStatus.notApplicable.rawValue)
            rows.options([("", "—", chosen.isEmpty)] + ComplianceStatus.allCases.map { ($0.rawValue, req.t("compliance_status.\($0.rawValue)"), $0.rawValue == chosen) })
            rows.markup("</select></td><td><input name=\"evidence[")
            rows.text(requirement.code)
            rows.markup("]\" value=\"")
            rows.text(form.evidence?[requirement.code] ?? "")
            rows.markup("\">")
            if let error = errors["status[\(requirement.code)]"] ?? errors["evidence[\(requirement.code)]"] {
                rows.markup("<p class=\"field-error\">")
                rows.text(error)
                rows.markup("</p>")
            }
            rows.markup("</td></tr>")
        }
        var siteOptions = HTMLFragment()
        let offices = try await PlanController.sites(context, req).filter { $0.siteType == .office }
        siteOptions.options([("", req.t("compliance.whole_operation"), (form.site ?? "").isEmpty)]
                            + offices.map { ($0.id.uuidString, $0.name, $0.id.uuidString == form.site) })
        var phaseOptions = HTMLFragment()
        phaseOptions.options(rules.phases.map { ($0, PhaseController.phaseLabel($0, req), $0 == phase) })
        return try await Page.render("compliance-form", FormContext(
            code: context.operation.code, rows: rows, siteOptions: siteOptions, phaseOptions: phaseOptions,
            assessedOn: form.assessedOn ?? DateText.day(Date()), errors: errors),
            title: req.t("compliance.new_assessment"), for: req, status: status)
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await PlanController.requireWriter(req)
        let form = try req.content.decode(AssessmentForm.self)
        let operationID = context.operation.id
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: operationID).catalogue
        let phases = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: operationID).rules.phases
        var errors = ValidationErrors()
        let day = DateText.time(form.assessedOn ?? "")
        if day == nil { errors.add("assessed_on", key: "error.date", "Use a date like 2026-11-23.") }
        var findings: [ComplianceAssessment.Finding] = []
        for requirement in catalogue {
            let raw = form.status?[requirement.code] ?? ""
            guard let status = ComplianceStatus(rawValue: raw) else {
                errors.add("status[\(requirement.code)]", key: "error.compliance_status", "Give requirement \(requirement.code) a status.")
                continue
            }
            findings.append(.init(requirement: requirement.code, status: status, evidence: form.evidence?[requirement.code] ?? ""))
        }
        let siteID = (form.site ?? "").isEmpty ? nil : UUID(uuidString: form.site ?? "")
        do {
            try errors.throwIfAny()
            let record = try await ComplianceStore(req.db).record(
                ComplianceAssessment(assessedOn: day ?? Date(), phase: form.phase ?? "", findings: findings), siteID: siteID, catalogue: catalogue,
                phases: phases, in: operationID, actorID: context.current.user.id)
            Page.flash("compliance.saved", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/compliance/assessments/\(record.id.uuidString)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, context, form: form, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    struct AssessmentContext: Encodable {
        let code: String; let title: String; let scope: String; let phase: String; let findings: HTMLFragment; let scores: HTMLFragment
    }

    func show(_ req: Request) async throws -> Response {
        let context = try await PlanController.requireReader(req)
        let operationID = context.operation.id
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let record = try await ComplianceStore(req.db).assessments(in: operationID, limit: 1_000).first(where: { $0.id == id })
        else { throw PageError(.notFound, key: "error.not_found") }
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: operationID).catalogue
        let exemptions = try await ComplianceStore(req.db).exemptions(in: operationID).map(\.exemption)
        let exempt = Set(exemptions.filter { $0.isActive(on: record.assessment.assessedOn) }.map(\.requirement))
        var findings = HTMLFragment()
        for finding in record.assessment.findings {
            let requirement = catalogue.first { $0.code == finding.requirement }
            findings.markup("<tr class=\"status-")
            findings.text(finding.status.rawValue)
            findings.markup("\"><td dir=\"ltr\">")
            findings.text(finding.requirement)
            findings.markup("</td><td>")
            findings.text(requirement?.text ?? "")
            findings.markup("</td><td>")
            findings.text(req.t("compliance_status.\(finding.status.rawValue)"))
            if exempt.contains(finding.requirement) {
                findings.markup(" <span class=\"tag\">")
                findings.text(req.t("compliance.exempt"))
                findings.markup("</span>")
            }
            findings.markup("</td><td class=\"notes\" dir=\"auto\">")
            findings.text(finding.evidence)
            findings.markup("</td></tr>")
        }
        var scores = HTMLFragment()
        Self.partScores(record.assessment.scores(catalogue: catalogue, exemptions: exemptions), req, into: &scores)
        let site = try await PlanController.sites(context, req).first { $0.id == record.siteID }
        return try await Page.render("compliance-assessment", AssessmentContext(
            code: context.operation.code,
            title: req.t("compliance.assessment_n").replacingOccurrences(of: "{count}", with: String(record.number))
                + " · " + DateText.day(record.assessment.assessedOn),
            scope: site?.name ?? req.t("compliance.whole_operation"), phase: PhaseController.phaseLabel(record.assessment.phase, req),
            findings: findings, scores: scores), title: req.t("compliance.title"), for: req)
    }

    /// The score of each MSR part as list items, "—" for a part with nothing to count.
    static func partScores(_ scores: [Int: Double?], _ req: Request, into out: inout HTMLFragment) {
        for (part, score) in scores.sorted(by: { $0.key < $1.key }) {
            out.markup("<li>")
            out.text(req.t("compliance.part_n").replacingOccurrences(of: "{count}", with: String(part)))
            out.markup(": <strong>")
            out.text(score.map { "\(Int($0))" } ?? "—")
            out.markup("</strong></li>")
        }
    }

    // MARK: Exemptions

    struct ExemptionForm: Content {
        var requirement: String?; var grantedBy: String?; var reason: String?; var writtenReason: String?; var grantedOn: String?; var expiresOn: String?
        enum CodingKeys: String, CodingKey {
            case requirement, reason
            case grantedBy = "granted_by", writtenReason = "written_reason", grantedOn = "granted_on", expiresOn = "expires_on"
        }
    }

    func grant(_ req: Request) async throws -> Response {
        let context = try await PlanController.requireWriter(req)
        let form = try req.content.decode(ExemptionForm.self)
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: context.operation.id).catalogue
        do {
            var errors = ValidationErrors()
            let granted = DateText.time(form.grantedOn ?? "")
            let expires = DateText.time(form.expiresOn ?? "")
            if granted == nil { errors.add("granted_on", key: "error.date", "Use a date like 2026-11-23.") }
            if expires == nil { errors.add("expires_on", key: "error.date", "Use a date like 2026-11-23.") }
            let reason = ExemptionReason(rawValue: form.reason ?? "")
            if reason == nil { errors.add("reason", key: "error.choice", "Choose why the exemption is granted.") }
            try errors.throwIfAny()
            let exemption = try ComplianceExemption(
                requirement: form.requirement ?? "", grantedBy: form.grantedBy ?? "", reason: reason ?? .other, writtenReason: form.writtenReason ?? "",
                grantedOn: granted ?? Date(), expiresOn: expires ?? Date()).validated(catalogue: catalogue)
            _ = try await ComplianceStore(req.db).grant(exemption, in: context.operation.id, actorID: context.current.user.id)
            Page.flash("compliance.exemption_saved", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/compliance#exemptions")
        } catch let errors as ValidationErrors {
            return try await render(req, error: errors.messages(in: req).values.sorted().joined(separator: " "), status: .unprocessableEntity)
        }
    }

    // MARK: The annual pack

    struct PackContext: Encodable {
        let code: String; let operationName: String; let year: Int; let plans: HTMLFragment; let risks: String; let scores: HTMLFragment
        let hasAssessment: Bool; let assessedOn: String; let exemptions: HTMLFragment; let approved: Bool; let statement: String
        let approvedBy: String; let approvedAt: String; let canApprove: Bool; let error: String?
    }

    func pack(_ req: Request) async throws -> Response { try await renderPack(req, error: nil) }

    func renderPack(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let context = try await PlanController.requireReader(req)
        let operationID = context.operation.id
        let now = Date()
        let year = (try req.queryInteger("year", in: 2000...2200)) ?? AnalysisPeriods.calendar.component(.year, from: now)
        let current = try await PlanStore(req.db).current(in: operationID)
        var plans = HTMLFragment()
        // Annexes in the order of MSR Part 7: A the register, B the regulations (with field movement control), then the plans.
        for (index, kind) in SecurityPlanKind.allCases.enumerated() {
            plans.markup("<li><strong>")
            plans.text(String(UnicodeScalar(UInt8(65 + index))))
            plans.markup("</strong> ")
            plans.text(req.t(kind.labelKey))
            plans.markup(" — ")
            if let approved = current[kind]?.approved {
                plans.text(req.t("plans.version_n").replacingOccurrences(of: "{count}", with: String(approved.version)))
                plans.markup(", ")
                plans.text(req.t("plans.approved_by"))
                plans.markup(" <span dir=\"ltr\">")
                plans.text(approved.approvedAt.map(DateText.day) ?? "")
                plans.markup("</span>")
            } else {
                plans.markup("<strong class=\"overdue\">")
                plans.text(req.t("plans.none_approved"))
                plans.markup("</strong>")
            }
            plans.markup("</li>")
        }
        let scope = try context.requireScope()
        let risks = try await RiskStore(req.db).list(in: scope, page: Paging(page: 1, perPage: 1)).total
        let catalogue = try await SettingsStore(req.db).load(ComplianceSettings.self, operationID: operationID).catalogue
        let exemptionRecords = try await ComplianceStore(req.db).exemptions(in: operationID)
        let latest = try await ComplianceStore(req.db).assessments(in: operationID, limit: 1).first
        var scores = HTMLFragment()
        if let latest {
            Self.partScores(latest.assessment.scores(catalogue: catalogue, exemptions: exemptionRecords.map(\.exemption)), req, into: &scores)
        }
        var exemptions = HTMLFragment()
        for record in exemptionRecords where record.exemption.isActive(on: now) {
            exemptions.markup("<li><span dir=\"ltr\">")
            exemptions.text(record.exemption.requirement)
            exemptions.markup("</span> — <bdi>")
            exemptions.text(record.exemption.writtenReason)
            exemptions.markup("</bdi> (<bdi>")
            exemptions.text(record.exemption.grantedBy)
            exemptions.markup("</bdi>, <span dir=\"ltr\">")
            exemptions.text(DateText.day(record.exemption.expiresOn))
            exemptions.markup("</span>)</li>")
        }
        let approval = try await ComplianceStore(req.db).pack(year: year, in: operationID)
        let held = try await PhaseStore(req.db).authorities(of: context.current.user.id, role: context.role, in: operationID)
        let approver = try await approval?.approvedBy.asyncMap { try await UserStore(req.db).find(id: $0)?.displayName } ?? nil
        return try await Page.render("compliance-pack", PackContext(
            code: context.operation.code, operationName: context.operation.name, year: year, plans: plans,
            risks: req.t("risks.count").replacingOccurrences(of: "{count}", with: String(risks)), scores: scores, hasAssessment: latest != nil,
            assessedOn: latest.map { DateText.day($0.assessment.assessedOn) } ?? "", exemptions: exemptions, approved: approval != nil,
            statement: approval?.statement ?? "", approvedBy: approver ?? "—", approvedAt: approval.map { DateText.minute($0.approvedAt) } ?? "",
            canApprove: approval == nil && held.contains(.seniorManager), error: error),
            title: req.t("compliance.pack"), for: req, status: status)
    }

    struct PackForm: Content { var year: Int?; var statement: String? }

    func approvePack(_ req: Request) async throws -> Response {
        let context = try await PlanController.requireReader(req)
        let form = try req.content.decode(PackForm.self)
        let year = form.year ?? AnalysisPeriods.calendar.component(.year, from: Date())
        do {
            _ = try await ComplianceStore(req.db).approvePack(
                year: year, statement: form.statement ?? "",
                approverAuthorities: try await PhaseStore(req.db).authorities(of: context.current.user.id, role: context.role, in: context.operation.id),
                in: context.operation.id, actorID: context.current.user.id)
        } catch let errors as ValidationErrors {
            return try await renderPack(req, error: errors.messages(in: req).values.sorted().joined(separator: " "), status: .unprocessableEntity)
        } catch let error as DomainError {
            return try await renderPack(req, error: PhaseController.message(error, req), status: error.httpStatus)
        }
        Page.flash("compliance.pack_approved", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)/compliance/pack?year=\(year)")
    }
}
