import Domain
import Foundation
import Persistence
import Vapor
import Views

/// Site security assessments: a site answered against its checklist (office, warehouse,
/// residence), findings, recommendations with owners and due dates, a weighted score; shown on
/// the site's page and compared across sites. A site's assessments are as visible as the site.
struct SiteAssessmentController {
    // MARK: Comparison

    func compare(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let summaries = try await SiteAssessmentStore(req.db).latestPerSite(in: scope, now: req.now)
        let model = SiteAssessmentComparison.Model(
            code: context.operation.code,
            rows: summaries.map {
                .init(
                    siteID: $0.siteID, assessmentID: $0.assessmentID, siteName: $0.siteName, siteType: $0.siteType,
                    kind: $0.kind,
                    day: DateText.day($0.assessedOn), score: $0.score.map { Int($0) },
                    openRecommendations: $0.openRecommendations,
                    overdueRecommendations: $0.overdueRecommendations)
            })
        return Page.render(req, title: req.t("site_assessments.title")) { SiteAssessmentComparison.view(model, $0) }
    }

    // MARK: Form

    struct RecommendationRow: Content { var text: String?; var owner: String?; var due: String? }

    struct AssessmentForm: Content {
        var kind: String?; var assessedOn: String?; var answers: [String: String]?; var findings: String?;
        var recommendations: [RecommendationRow]?
        enum CodingKeys: String, CodingKey {
            case kind, answers, findings, recommendations; case assessedOn = "assessed_on"
        }
    }

    func new(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.loadSite(req, write: true)
        let kind =
            (try? req.query.get(String.self, at: "kind")).flatMap(SiteChecklistKind.init(rawValue:))
            ?? SiteChecklistKind(siteType: site.siteType)
        return try await renderForm(req, context, site: site, kind: kind, form: AssessmentForm(), errors: [:])
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, site: SiteRecord, kind: SiteChecklistKind, form: AssessmentForm,
        errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let settings = try await SettingsStore(req.db).load(
            SiteChecklistSettings.self, operationID: context.operation.id)
        let checklist = settings.checklist(kind) ?? SiteChecklist(kind: kind, items: [])
        let model = SiteAssessmentForm.Model(
            code: context.operation.code, siteID: site.id, siteName: site.name, kind: kind, items: checklist.items,
            answers: form.answers ?? [:], assessedOn: form.assessedOn ?? DateText.day(req.now),
            findings: form.findings ?? "",
            recommendations: (form.recommendations ?? []).map {
                .init(text: $0.text ?? "", owner: $0.owner ?? "", due: $0.due ?? "")
            },
            errors: errors)
        return Page.render(req, title: req.t("site_assessments.new"), status: status) {
            SiteAssessmentForm.view(model, $0)
        }
    }

    func create(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.loadSite(req, write: true)
        let form = try req.content.decode(AssessmentForm.self)
        guard let kind = SiteChecklistKind(rawValue: form.kind ?? "") else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        let settings = try await SettingsStore(req.db).load(
            SiteChecklistSettings.self, operationID: context.operation.id)
        guard let checklist = settings.checklist(kind) else { throw PageError(.badRequest, key: "error.bad_request") }
        var errors = ValidationErrors()
        let day = DateText.day(form.assessedOn ?? "")
        if day == nil { errors.add("assessed_on", key: "error.date", "Use a date like 2026-11-23.") }
        var answers: [String: ChecklistAnswer] = [:]
        for (code, raw) in form.answers ?? [:] where !raw.isEmpty {
            guard let answer = ChecklistAnswer(rawValue: raw) else {
                errors.add("answers", key: "error.choice", "“\(raw)” is not an answer."); continue
            }
            answers[code] = answer
        }
        var recommendations: [SiteRecommendation] = []
        for (i, row) in (form.recommendations ?? []).filter({
            !([$0.text, $0.owner, $0.due].allSatisfy { ($0 ?? "").isEmpty })
        }).enumerated() {
            guard let due = DateText.day(row.due ?? "") else {
                errors.add(
                    "recommendations[\(i)]", key: "error.recommendation_due_date",
                    "Recommendation \(i + 1) needs a due date.")
                continue
            }
            recommendations.append(SiteRecommendation(text: row.text ?? "", owner: row.owner ?? "", dueOn: due))
        }
        do {
            try errors.throwIfAny()
            let assessment = try SiteAssessment(
                kind: kind, assessedOn: day ?? req.now, answers: answers, findings: form.findings ?? "",
                recommendations: recommendations
            ).validated(checklist)
            let record = try await SiteAssessmentStore(req.db).record(
                assessment, checklist: checklist, siteID: site.id,
                scope: try context.requireScope(), actorID: context.current.user.id, now: req.now)
            Page.flash("site_assessments.saved", on: req)
            return req.redirect(
                to: SiteURL.siteAssessment(.value(context.operation.code), site: .value(site.id), .value(record.id))
                    .path)
        } catch let more as ValidationErrors {
            var all = errors
            all.merge(more)
            return try await renderForm(
                req, context, site: site, kind: kind, form: form, errors: all.messages(in: req),
                status: .unprocessableEntity)
        }
    }

    // MARK: One assessment

    func show(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.loadSite(req, write: false)
        guard let id = req.pathID("assessment", as: SiteAssessmentID.self),
            let record = try await SiteAssessmentStore(req.db).assessment(
                id, of: site.id, scope: try context.requireScope())
        else { throw PageError(.notFound, key: "error.not_found") }
        let now = req.now
        let model = SiteAssessmentPage.Model(
            code: context.operation.code, siteID: site.id, siteName: site.name, assessmentID: record.id,
            kind: record.assessment.kind,
            day: DateText.day(record.assessment.assessedOn), score: record.score.map { Int($0) },
            answers: record.checklist.items.map { (text: $0.text, answer: record.assessment.answers[$0.code]) },
            findings: record.assessment.findings,
            recommendations: record.assessment.recommendations.map {
                .init(
                    text: $0.text, owner: $0.owner, due: DateText.day($0.dueOn), done: $0.done,
                    overdue: !$0.done && $0.dueOn < now)
            },
            canWrite: AccessPolicy.canAssessSites(in: context.operation.id, by: context.viewer))
        return Page.render(req, title: site.name) { SiteAssessmentPage.view(model, $0) }
    }

    struct DoneForm: Content { var done: String? }

    func setDone(_ req: Request) async throws -> Response {
        let (context, site) = try await Self.loadSite(req, write: true)
        guard let id = req.pathID("assessment", as: SiteAssessmentID.self),
            let index = req.pathIndex()
        else { throw PageError(.notFound, key: "error.not_found") }
        let done = try req.content.decode(DoneForm.self).done == "yes"
        try await SiteAssessmentStore(req.db).setDone(
            done, recommendation: index, of: id, siteID: site.id, scope: try context.requireScope(),
            actorID: context.current.user.id, now: req.now)
        return req.redirect(
            to: SiteURL.siteAssessment(.value(context.operation.code), site: .value(site.id), .value(id)).path)
    }

    /// The site in the path, if the viewer may see it; for writing, only security roles.
    static func loadSite(_ req: Request, write: Bool) async throws -> (OperationContext, SiteRecord) {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let id = req.pathID(as: SiteID.self), let site = try await SiteStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        if write && !AccessPolicy.canAssessSites(in: context.operation.id, by: context.viewer) {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return (context, site)
    }
}
