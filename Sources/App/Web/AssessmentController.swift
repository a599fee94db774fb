import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor
import Views

/// Needs assessments (issue 18, part 1): the list, the form, the page with the results by group
/// (the host community beside the displaced), the import of KoBo or ODK submissions, and the
/// mapping of a form's columns saved for its next import. Every member reads the results (small
/// counts suppressed for most); the migration coordinator and the HeOps keep them.
struct AssessmentController {
    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewAssessments)
        let scope = try context.requireScope()
        let store = AssessmentStore(req.db)
        let names = try await req.areaShapes.names(for: context.operation, language: req.language, on: req.db)
        var rows: [AssessmentList.Model.Row] = []
        for record in try await store.list(in: scope) {
            rows.append(
                .init(
                    id: record.id, number: record.number, draft: record.draft,
                    area: record.draft.areaPcode.map { "\(names[$0] ?? $0) (\($0))" } ?? "",
                    submissions: try await store.figures(of: record.id, in: scope).total))
        }
        let model = AssessmentList.Model(
            code: context.operation.code, rows: rows,
            canManage: AccessPolicy.canManageAssessments(in: context.operation.id, by: context.viewer))
        return Page.render(req, title: req.t("assessments_title")) { AssessmentList.view(model, $0) }
    }

    static func load(_ req: Request, _ context: OperationContext) async throws -> AssessmentRecord {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let record = try await AssessmentStore(req.db).find(id, in: try context.requireScope())
        else { throw PageError(.notFound, key: "error.not_found") }
        return record
    }

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewAssessments)
        let record = try await Self.load(req, context)
        return try await render(req, context, record)
    }

    func render(
        _ req: Request, _ context: OperationContext, _ record: AssessmentRecord, status: HTTPResponseStatus = .ok,
        error: String? = nil
    ) async throws -> Response {
        let scope = try context.requireScope()
        let store = AssessmentStore(req.db)
        let figures = try await store.figures(of: record.id, in: scope)
        let imports = try await store.imports(of: record.id, in: scope)
        let t = req.strings
        let exact = AccessPolicy.seesExactAssessmentFigures(in: context.operation.id, by: context.viewer)
        let names = try await req.areaShapes.names(for: context.operation, language: req.language, on: req.db)
        let site = try await record.draft.siteID.asyncMap { id in
            try await context.visibleSites(on: req.db).first { $0.id == id }?.name
        }
        let canManage = AccessPolicy.canManageAssessments(in: context.operation.id, by: context.viewer)
        var mappingForm: AssessmentPage.Model.MappingForm?
        if canManage, let last = imports.first, let saved = try await store.mapping(forForm: last.formKey, in: scope) {
            mappingForm = .init(
                formKey: last.formKey, columns: saved.columns,
                chosen: Dictionary(uniqueKeysWithValues: saved.mapping.map { ($0.key.rawValue, $0.value) }))
        }
        var model = AssessmentPage.Model(
            code: context.operation.code, id: record.id, number: record.number, draft: record.draft,
            area: record.draft.areaPcode.map { "\(names[$0] ?? $0) (\($0))" } ?? "", site: (site ?? nil) ?? "",
            results: Assessments.results(record, figures, exact: exact, t),
            source: Self.source(record, figures, imports, t),
            imports: imports.map { item in
                .init(
                    at: item.importedAt, fileName: item.fileName, format: item.format, formKey: item.formKey,
                    added: item.added, alreadyThere: item.alreadyThere, rejected: item.rejected,
                    mapping: AssessmentField.allCases.compactMap { field in
                        item.report.mapping[field.rawValue].map { column in
                            (
                                t(field.labelKey),
                                column + " ("
                                    + t("assessments.found_by_" + (item.report.sources[field.rawValue] ?? "name"))
                                    + ")"
                            )
                        }
                    },
                    problems: canManage ? item.report.problems : [], fileProblems: item.report.fileProblems,
                    problemCount: canManage ? item.report.problemCount : 0)
            },
            mappingForm: mappingForm, canManage: canManage)
        model.version = EditVersion.token(record.updatedAt)
        model.error = error
        let page = model
        return Page.render(req, title: record.draft.title, status: status) { AssessmentPage.view(page, $0) }
    }

    /// Where every figure comes from, and when: the imports (files, formats, days submitted) and the
    /// counts the assessors entered.
    static func source(
        _ record: AssessmentRecord, _ figures: AssessmentFigures, _ imports: [AssessmentImportRecord], _ t: Strings
    ) -> String {
        var parts: [String] = []
        if figures.total > 0 {
            let formats = Set(imports.map { $0.format == "odk" ? "ODK" : "KoBoToolbox" }).sorted().joined(
                separator: ", ")
            var text = t("assessments.source_submissions").replacingOccurrences(
                of: "{count}", with: String(figures.total)
            )
            .replacingOccurrences(of: "{format}", with: formats)
            if let first = figures.firstSubmission, let last = figures.lastSubmission {
                text +=
                    " "
                    + t("assessments.source_period").replacingOccurrences(of: "{from}", with: DateText.day(first))
                    .replacingOccurrences(of: "{to}", with: DateText.day(last))
            }
            if let latest = imports.first {
                text += " " + t("assessments.source_imported") + " " + t.minute(latest.importedAt) + "."
            }
            parts.append(text)
        }
        if !record.draft.needCounts.isEmpty {
            parts.append(
                t("assessments.source_counts").replacingOccurrences(
                    of: "{method}", with: t(record.draft.method.labelKey)
                )
                .replacingOccurrences(
                    of: "{period}",
                    with: DateText.day(record.draft.startOn)
                        + (record.draft.endOn.map { " – " + DateText.day($0) } ?? "")))
        }
        return parts.isEmpty ? t("assessments.source_none") : parts.joined(separator: " ")
    }

    // MARK: Form

    struct FindingRow: Content { var sector: String?; var severity: String?; var text: String? }

    struct Submitted: Content {
        var title: String?; var area: String?; var site: String?; var startOn: String?; var endOn: String?
        var method: String?; var team: String?; var groups: [String]?; var findings: [String: FindingRow]?
        var needCounts: String?; var version: String?
        enum CodingKeys: String, CodingKey {
            case title, area, site, method, team, groups, findings, version
            case startOn = "start_on", endOn = "end_on", needCounts = "need_counts"
        }
        var input: NeedsAssessmentInput {
            var input = NeedsAssessmentInput()
            input.title = title ?? ""
            input.area = area ?? ""
            input.site = site ?? ""
            input.startOn = startOn ?? ""
            input.endOn = endOn ?? ""
            input.method = method ?? ""
            input.team = team ?? ""
            input.groups = groups ?? []
            input.findings = (findings ?? [:]).compactMap { key, row in Int(key).map { ($0, row) } }.sorted {
                $0.0 < $1.0
            }
            .map { .init(sector: $1.sector ?? "", severity: $1.severity ?? "", text: $1.text ?? "") }
            .filter { !$0.isBlank }
            input.needCounts = needCounts ?? ""
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageAssessments)
        var values = NeedsAssessmentInput()
        values.startOn = DateText.day(req.now)
        return try await renderForm(req, context, values: values, errors: [:], id: nil)
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageAssessments)
        let scope = try context.requireScope()
        let input = try req.content.decode(Submitted.self).input
        do {
            let draft = try await Self.checked(input, context, req)
            let record = try await AssessmentStore(req.db).create(
                draft, scope: scope, actorID: context.current.user.id, now: req.now)
            Page.flash("assessments.saved", on: req)
            return req.redirect(to: SiteURL.assessment(.value(context.operation.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: input, errors: errors.messages(in: req), id: nil, status: .unprocessableEntity)
        }
    }

    /// The decoder's draft, with the site checked to be one the reader sees.
    static func checked(_ input: NeedsAssessmentInput, _ context: OperationContext, _ req: Request) async throws
        -> NeedsAssessmentDraft
    {
        let draft = try input.draft(knownAreas: try await AreaStore(req.db).pcodes(operationID: context.operation.id))
        if let site = draft.siteID, !(try await context.visibleSites(on: req.db)).contains(where: { $0.id == site }) {
            var errors = ValidationErrors()
            errors.add("site", key: "error.choice", "No such site in this operation.")
            throw errors
        }
        return draft
    }

    func edit(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageAssessments)
        let record = try await Self.load(req, context)
        return try await renderForm(
            req, context, values: NeedsAssessmentInput(record.draft), errors: [:], id: record.id,
            version: EditVersion.token(record.updatedAt))
    }

    func update(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageAssessments)
        let record = try await Self.load(req, context)
        let form = try req.content.decode(Submitted.self)
        let input = form.input
        do {
            let draft = try await Self.checked(input, context, req)
            _ = try await AssessmentStore(req.db).update(
                record.id, with: draft, scope: try context.requireScope(), actorID: context.current.user.id,
                expecting: form.version ?? "", now: req.now)
            Page.flash("assessments.saved", on: req)
            return req.redirect(to: SiteURL.assessment(.value(context.operation.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: input, errors: errors.messages(in: req), id: record.id,
                version: form.version ?? "", status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            return try await renderForm(
                req, context, values: input, errors: ["version": req.t("error.stale")], id: record.id,
                version: form.version ?? "", status: .conflict)
        }
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, values: NeedsAssessmentInput, errors: [String: String], id: UUID?,
        version: String = "", status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let (shapes, _) = try await req.areaShapes.shapes(for: context.operation, on: req.db)
        let names = try await req.areaShapes.names(for: context.operation, language: req.language, on: req.db)
        let model = AssessmentForm.Model(
            code: context.operation.code, id: id, values: values, errors: errors, version: version,
            areas: shapes.filter { $0.row.level > 0 }.map {
                (pcode: $0.row.pcode, name: names[$0.row.pcode] ?? $0.row.pcode)
            }
            .sorted { $0.pcode < $1.pcode },
            sites: try await context.visibleSites(on: req.db).map { (id: $0.id, name: $0.name) })
        return Page.render(req, title: req.t(id == nil ? "assessments_new" : "assessments_edit"), status: status) {
            AssessmentForm.view(model, $0)
        }
    }

    // MARK: Import

    func upload(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageAssessments)
        let record = try await Self.load(req, context)
        let scope = try context.requireScope()
        return try await StreamedUpload.with(
            req, maxBytes: req.application.bearingConfig.maxUploadBytes * 2 + 1_000_000
        ) { upload in
            guard let file = upload.file, file.size > 0 else {
                return try await render(
                    req, context, record, status: .unprocessableEntity, error: req.t("boundaries.no_file"))
            }
            let format = KoboReader.Format(rawValue: upload.fields["format"] ?? "kobo") ?? .kobo
            var group: PopulationType?
            if let raw = upload.fields["group"], !raw.isEmpty {
                guard let type = PopulationType(rawValue: raw), type != .totalPopulation else {
                    return try await render(
                        req, context, record, status: .unprocessableEntity,
                        error: "group: “\(raw)” is not a population group.")
                }
                group = type
            }
            let form = upload.files["form"]
            do {
                let outcome = try await AssessmentImport.run(
                    export: file.url, exportName: file.filename,
                    form: try form.map { try Data(contentsOf: $0.url) }, formName: form?.filename, format: format,
                    defaultGroup: group, assessment: record, scope: scope, actorID: context.current.user.id,
                    on: req.db, now: req.now)
                let r = outcome.record
                req.session.data["flash"] = req.t("assessments.import_counts")
                    .replacingOccurrences(of: "{added}", with: String(r.added))
                    .replacingOccurrences(of: "{there}", with: String(r.alreadyThere))
                    .replacingOccurrences(of: "{rejected}", with: String(r.rejected))
                return req.redirect(to: SiteURL.assessment(.value(context.operation.code), .value(record.id)).path)
            } catch let refusal as AssessmentImport.Refusal {
                return try await render(
                    req, context, record, status: .unprocessableEntity,
                    error: "\(refusal.description) \(req.t("sources.nothing_imported"))")
            }
        }
    }

    struct MappingForm: Content {
        var formKey: String?
        var columns: [String: String]?
        enum CodingKeys: String, CodingKey { case formKey = "form_key", columns }
    }

    /// Saves the columns chosen for a form's fields, for its next import (a re-import of the same
    /// file then adds the rows the old mapping refused).
    func saveMapping(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageAssessments)
        let record = try await Self.load(req, context)
        let scope = try context.requireScope()
        let form = try req.content.decode(MappingForm.self)
        let store = AssessmentStore(req.db)
        guard let key = form.formKey, let saved = try await store.mapping(forForm: key, in: scope) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        var mapping: [AssessmentField: String] = [:]
        for (raw, column) in form.columns ?? [:] where !column.isEmpty {
            guard let field = AssessmentField(rawValue: raw), saved.columns.contains(column) else {
                return try await render(
                    req, context, record, status: .unprocessableEntity,
                    error: "“\(column)” is not a column of the form's last file.")
            }
            mapping[field] = column
        }
        try await store.saveMapping(
            mapping, columns: saved.columns, forForm: key, scope: scope, actorID: context.current.user.id, now: req.now)
        Page.flash("assessments.mapping_saved", on: req)
        return req.redirect(to: SiteURL.assessment(.value(context.operation.code), .value(record.id)).path + "#mapping")
    }
}
