import Domain
import Foundation
import Persistence
import Vapor

/// Site security assessments: a site answered against its checklist (office, warehouse,
/// residence), findings, recommendations with owners and due dates, a weighted score; shown on
/// the site's page and compared across sites. A site's assessments are as visible as the site.
struct SiteAssessmentController {
    // MARK: Comparison

    struct CompareContext: Encodable { let code: String; let rows: HTMLFragment; let hasRows: Bool }

    func compare(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        var rows = HTMLFragment()
        let summaries = try await SiteAssessmentStore(req.db).latestPerSite(in: scope)
        for summary in summaries {
            rows.markup("<tr><td><a href=\"/operations/")
            rows.text(context.operation.code)
            rows.markup("/sites/")
            rows.text(summary.siteID.uuidString)
            rows.markup("/assessments/")
            rows.text(summary.assessmentID.uuidString)
            rows.markup("\">")
            rows.text(summary.siteName)
            rows.markup("</a></td><td>")
            rows.text(req.t(summary.siteType.labelKey))
            rows.markup("</td><td>")
            rows.text(req.t(summary.kind.labelKey))
            rows.markup("</td><td dir=\"ltr\" class=\"nowrap\">")
            rows.text(AnalysisPeriods.day(summary.assessedOn))
            rows.markup("</td><td class=\"score\">")
            Self.score(summary.score, into: &rows)
            rows.markup("</td><td>")
            rows.text(summary.openRecommendations)
            if summary.overdueRecommendations > 0 {
                rows.markup(" <strong class=\"overdue\">(")
                rows.text(req.t("risks.overdue_count").replacingOccurrences(of: "{count}", with: String(summary.overdueRecommendations)))
                rows.markup(")</strong>")
            }
            rows.markup("</td></tr>")
        }
        return try await Page.render("site-assessments", CompareContext(code: context.operation.code, rows: rows, hasRows: !summaries.isEmpty),
                                     title: req.t("site_assessments.title"), for: req)
    }

    /// A score as a bar a screen reader reads as a number: "72" with a meter.
    static func score(_ score: Double?, into out: inout HTMLFragment) {
        guard let score else { out.markup("—"); return }
        out.markup("<meter min=\"0\" max=\"100\" low=\"50\" high=\"80\" optimum=\"100\" value=\"")
        out.text(Int(score))
        out.markup("\"></meter> ")
        out.text(Int(score))
    }

    // MARK: Form

    struct RecommendationRow: Content { var text: String?; var owner: String?; var due: String? }

    struct AssessmentForm: Content {
        var kind: String?; var assessedOn: String?; var answers: [String: String]?; var findings: String?; var recommendations: [RecommendationRow]?
        enum CodingKeys: String, CodingKey { case kind, answers, findings, recommendations; case assessedOn = "assessed_on" }
    }

    struct FormContext: Encodable {
        let code: String; let siteID: String; let siteName: String; let kind: String; let kindOptions: HTMLFragment; let items: HTMLFragment
        let assessedOn: String; let findings: String; let recommendations: HTMLFragment; let errors: [String: String]
    }

    func new(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.loadSite(req, write: true)
        let kind = (try? req.query.get(String.self, at: "kind")).flatMap(SiteChecklistKind.init(rawValue:)) ?? SiteChecklistKind(siteType: site.siteType)
        return try await renderForm(req, context, site: site, kind: kind, form: AssessmentForm(), errors: [:])
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, site: SiteRow, kind: SiteChecklistKind, form: AssessmentForm, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let settings = try await SettingsStore(req.db).load(SiteChecklistSettings.self, operationID: context.operation.id)
        let checklist = settings.checklist(kind) ?? SiteChecklist(kind: kind, items: [])
        var kinds = HTMLFragment()
        kinds.options(SiteChecklistKind.allCases.map { ($0.rawValue, req.t($0.labelKey), $0 == kind) })
        var items = HTMLFragment()
        for item in checklist.items {
            items.markup("<tr><td>")
            items.text(item.text)
            items.markup(" <small>")
            items.text(req.t("site_assessments.weight").replacingOccurrences(of: "{count}", with: String(item.weight)))
            items.markup("</small></td><td><select name=\"answers[")
            items.text(item.code)
            items.markup("]\">")
            let chosen = form.answers?[item.code] ?? ""
            items.options([("", "—", chosen.isEmpty)] + ChecklistAnswer.allCases.map { ($0.rawValue, req.t("checklist_answer.\($0.rawValue)"), $0.rawValue == chosen) })
            items.markup("</select></td></tr>")
        }
        var recommendations = HTMLFragment()
        let given = (form.recommendations ?? []).filter { !([$0.text, $0.owner, $0.due].allSatisfy { ($0 ?? "").isEmpty }) }
        for (i, row) in (given + Array(repeating: RecommendationRow(), count: given.isEmpty ? 2 : 1)).enumerated() {
            recommendations.markup("<fieldset class=\"measure\"><legend>")
            recommendations.text(req.t("site_assessments.recommendation_n").replacingOccurrences(of: "{count}", with: String(i + 1)))
            recommendations.markup("</legend>")
            for (field, label, value, type) in [("text", "site_assessments.recommendation", row.text, "text"), ("owner", "field_owner", row.owner, "text"),
                                                ("due", "field_due", row.due, "date")] {
                recommendations.markup("<label>")
                recommendations.text(req.t(label))
                recommendations.markup(type == "date" ? " <input type=\"date\" dir=\"ltr\" name=\"" : " <input name=\"")
                recommendations.text("recommendations[\(i)][\(field)]")
                recommendations.markup("\" value=\"")
                recommendations.text(value ?? "")
                recommendations.markup("\"></label>")
            }
            if let error = errors["recommendations[\(i)]"] {
                recommendations.markup("<p class=\"field-error\">")
                recommendations.text(error)
                recommendations.markup("</p>")
            }
            recommendations.markup("</fieldset>")
        }
        return try await Page.render("site-assessment-form", FormContext(
            code: context.operation.code, siteID: site.id.uuidString, siteName: site.name, kind: kind.rawValue, kindOptions: kinds, items: items,
            assessedOn: form.assessedOn ?? AnalysisPeriods.day(Date()), findings: form.findings ?? "", recommendations: recommendations, errors: errors),
            title: req.t("site_assessments.new"), for: req, status: status)
    }

    func create(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.loadSite(req, write: true)
        let form = try req.content.decode(AssessmentForm.self)
        guard let kind = SiteChecklistKind(rawValue: form.kind ?? "") else { throw PageError(.badRequest, key: "error.bad_request") }
        let settings = try await SettingsStore(req.db).load(SiteChecklistSettings.self, operationID: context.operation.id)
        guard let checklist = settings.checklist(kind) else { throw PageError(.badRequest, key: "error.bad_request") }
        var errors = ValidationErrors()
        let day = IncidentController.parseTime(form.assessedOn ?? "")
        if day == nil { errors.add("assessed_on", key: "error.date", "Use a date like 2026-11-23.") }
        var answers: [String: ChecklistAnswer] = [:]
        for (code, raw) in form.answers ?? [:] where !raw.isEmpty {
            guard let answer = ChecklistAnswer(rawValue: raw) else { errors.add("answers", key: "error.choice", "“\(raw)” is not an answer."); continue }
            answers[code] = answer
        }
        var recommendations: [SiteRecommendation] = []
        for (i, row) in (form.recommendations ?? []).filter({ !([$0.text, $0.owner, $0.due].allSatisfy { ($0 ?? "").isEmpty }) }).enumerated() {
            guard let due = IncidentController.parseTime(row.due ?? "") else {
                errors.add("recommendations[\(i)]", key: "error.recommendation_due_date", "Recommendation \(i + 1) needs a due date.")
                continue
            }
            recommendations.append(SiteRecommendation(text: row.text ?? "", owner: row.owner ?? "", dueOn: due))
        }
        do {
            try errors.throwIfAny()
            let assessment = try SiteAssessment(kind: kind, assessedOn: day ?? Date(), answers: answers, findings: form.findings ?? "",
                                                recommendations: recommendations).validated(checklist)
            let record = try await SiteAssessmentStore(req.db).record(assessment, checklist: checklist, siteID: site.id,
                                                                      scope: try context.requireScope(), actorID: context.current.user.id)
            Page.flash("site_assessments.saved", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/sites/\(site.id.uuidString)/assessments/\(record.id.uuidString)")
        } catch let more as ValidationErrors {
            var all = errors
            for error in more.errors where !all.errors.contains(where: { $0.field == error.field }) { all.errors.append(error) }
            return try await renderForm(req, context, site: site, kind: kind, form: form, errors: all.messages(in: req), status: .unprocessableEntity)
        }
    }

    // MARK: One assessment

    struct ShowContext: Encodable {
        let code: String; let siteID: String; let siteName: String; let title: String; let score: HTMLFragment; let items: HTMLFragment
        let findings: String; let recommendations: HTMLFragment; let hasRecommendations: Bool
    }

    func show(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.loadSite(req, write: false)
        guard let id = req.parameters.get("assessment").flatMap(UUID.init(uuidString:)),
              let record = try await SiteAssessmentStore(req.db).assessment(id, of: site.id, scope: try context.requireScope())
        else { throw PageError(.notFound, key: "error.not_found") }
        let canWrite = AccessPolicy.canManageRisks(in: context.operation.id.uuidString, by: context.viewer)
        var items = HTMLFragment()
        for item in record.checklist.items {
            let answer = record.assessment.answers[item.code]
            items.markup(answer == ChecklistAnswer.no ? "<tr class=\"late\"><td>" : "<tr><td>")
            items.text(item.text)
            items.markup("</td><td>")
            items.text(answer.map { req.t("checklist_answer.\($0.rawValue)") } ?? "—")
            items.markup("</td></tr>")
        }
        var recommendations = HTMLFragment()
        let now = Date()
        for (i, r) in record.assessment.recommendations.enumerated() {
            recommendations.markup(!r.done && r.dueOn < now ? "<tr class=\"late\"><td>" : "<tr><td>")
            recommendations.text(r.text)
            recommendations.markup("</td><td>")
            recommendations.text(r.owner)
            recommendations.markup(!r.done && r.dueOn < now ? "</td><td dir=\"ltr\" class=\"nowrap overdue\">" : "</td><td dir=\"ltr\" class=\"nowrap\">")
            recommendations.text(AnalysisPeriods.day(r.dueOn))
            recommendations.markup("</td><td>")
            recommendations.text(req.t(r.done ? "site_assessments.done" : "site_assessments.open"))
            if canWrite {
                recommendations.markup(" <form method=\"post\" class=\"inline\" action=\"/operations/")
                recommendations.text(context.operation.code)
                recommendations.markup("/sites/")
                recommendations.text(site.id.uuidString)
                recommendations.markup("/assessments/")
                recommendations.text(record.id.uuidString)
                recommendations.markup("/recommendations/")
                recommendations.text(i)
                recommendations.markup("\"><input type=\"hidden\" name=\"_csrf\" value=\"")
                recommendations.text(CSRFMiddleware.token(for: req))
                recommendations.markup(r.done ? "\"><input type=\"hidden\" name=\"done\" value=\"no\"><button type=\"submit\">"
                                              : "\"><input type=\"hidden\" name=\"done\" value=\"yes\"><button type=\"submit\">")
                recommendations.text(req.t(r.done ? "site_assessments.reopen" : "site_assessments.mark_done"))
                recommendations.markup("</button></form>")
            }
            recommendations.markup("</td></tr>")
        }
        var score = HTMLFragment()
        Self.score(record.score, into: &score)
        return try await Page.render("site-assessment", ShowContext(
            code: context.operation.code, siteID: site.id.uuidString, siteName: site.name,
            title: "\(req.t(record.assessment.kind.labelKey)) · \(AnalysisPeriods.day(record.assessment.assessedOn))", score: score, items: items,
            findings: record.assessment.findings, recommendations: recommendations, hasRecommendations: !record.assessment.recommendations.isEmpty),
            title: site.name, for: req)
    }

    struct DoneForm: Content { var done: String? }

    func setDone(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.loadSite(req, write: true)
        guard let id = req.parameters.get("assessment").flatMap(UUID.init(uuidString:)),
              let index = req.parameters.get("index").flatMap(Int.init) else { throw PageError(.notFound, key: "error.not_found") }
        let done = try req.content.decode(DoneForm.self).done == "yes"
        try await SiteAssessmentStore(req.db).setDone(done, recommendation: index, of: id, siteID: site.id, scope: try context.requireScope(),
                                                      actorID: context.current.user.id)
        return req.redirect(to: "/operations/\(context.operation.code)/sites/\(site.id.uuidString)/assessments/\(id.uuidString)")
    }

    /// The site in the path, if the viewer may see it; for writing, only security roles.
    static func loadSite(_ req: Request, write: Bool) async throws -> (OperationContext, SiteRow) {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let site = try await SiteStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        if write && !AccessPolicy.canManageRisks(in: context.operation.id.uuidString, by: context.viewer) {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return (context, site)
    }
}
