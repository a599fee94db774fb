import Fluent
import Domain
import Foundation
import Persistence
import Vapor

/// Sites of an operation: list, show, create, edit, delete. Every read goes through the scope.
struct SiteController {
    struct Option: Encodable { let value: String; let label: String; let selected: Bool }
    struct ListContext: Encodable {
        let code: String; let opName: String; let hasSites: Bool; let rows: HTMLFragment; let typeOptions: HTMLFragment
        let search: String; let page: Int; let pageCount: Int; let total: Int; let canCreate: Bool; let prevPage: Int?
        let nextPage: Int?; let query: String
    }

    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let type = (try? req.query.get(String.self, at: "type")).flatMap(SiteType.init(rawValue:))
        let search = (try? req.query.get(String.self, at: "q")) ?? ""
        let page = try req.paging(perPage: 50)
        let result = try await SiteStore(req.db).list(
            in: scope, filter: .init(type: type, search: search), page: page)
        let areaNames = try await AreaShapeCache.shared.names(for: context.operation, language: req.language, on: req.db)
        let code = context.operation.code
        var rows = HTMLFragment()
        for site in result.items {
            rows.markup("<tr><td><a href=\"/operations/")
            rows.text(code)
            rows.markup("/sites/")
            rows.text(site.id.uuidString)
            rows.markup("\">")
            rows.text(site.name)
            rows.markup("</a></td><td>")
            rows.text(req.t(site.siteType.labelKey))
            rows.markup("</td><td>")
            if let pcode = site.areaPcode {
                rows.text("\(areaNames[pcode] ?? pcode) (\(pcode))")
            } else {
                rows.markup("—")
            }
            rows.markup("</td><td dir=\"ltr\" class=\"code\">")
            rows.text(DecimalText.fixed(site.latitude, digits: 5) + ", " + DecimalText.fixed(site.longitude, digits: 5))
            rows.markup("</td><td>")
            rows.text(req.t(site.audienceLevel.labelKey))
            rows.markup("</td></tr>")
        }
        var typeOptions = HTMLFragment()
        typeOptions.options(SiteType.allCases.map { (value: $0.rawValue, label: req.t($0.labelKey), selected: $0 == type) })
        var query: [String] = []
        if let type { query.append("type=\(type.rawValue)") }
        if !search.isEmpty, let q = search.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { query.append("q=\(q)") }
        return try await Page.render("sites", ListContext(
            code: code, opName: context.operation.name, hasSites: !result.items.isEmpty, rows: rows, typeOptions: typeOptions,
            search: search, page: result.page, pageCount: result.pageCount, total: result.total, canCreate: context.canCreateRecords,
            prevPage: result.page > 1 ? result.page - 1 : nil, nextPage: result.page < result.pageCount ? result.page + 1 : nil,
            query: query.map { "&" + $0 }.joined()), title: req.t("sites.title"), for: req)
    }

    struct ShowContext: Encodable {
        let code: String; let opName: String; let id: String; let name: String; let type: String; let latitude: String
        let longitude: String; let area: String?; let areaPath: [String]; let contactName: String?; let contactPhone: String?
        let notes: String?; let audience: String; let canChange: Bool; let canAudit: Bool; let map: String; let warning: String?
        let assessments: [AssessmentItem]; let canAssess: Bool
    }
    struct AssessmentItem: Encodable { let id: String; let date: String; let kind: String; let score: String; let open: Int }

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let site = try await SiteStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        let access = try await SiteStore(req.db).access(of: site)
        // The area and its parents, e.g. "Khartoum (SD01) › Khartoum (SD01001)".
        var path: [String] = []
        var pcode = site.areaPcode
        // At most one step a level (0–4): areas stored before cycles were refused at import must not loop.
        while let current = pcode, path.count < 5, let area = try await AreaStore(req.db).find(operationID: context.operation.id, pcode: current) {
            path.insert("\(area.name(in: req.language)) (\(area.pcode))", at: 0)
            pcode = area.parentPcode
        }
        let map = try await MapService(request: req).svg(operation: context.operation, scope: scope, highlight: site.id)
        // The site's security assessments, newest first (as visible as the site).
        let assessments = try await SiteAssessmentStore(req.db).assessments(of: site.id, scope: scope).prefix(10).map { record in
            AssessmentItem(id: record.id.uuidString, date: AnalysisPeriods.day(record.assessment.assessedOn),
                           kind: req.t(record.assessment.kind.labelKey), score: record.score.map { String(Int($0)) } ?? "—",
                           open: record.assessment.recommendations.filter { !$0.done }.count)
        }
        let warning = req.session.data["site_warning"]
        req.session.data["site_warning"] = nil
        return try await Page.render("site", ShowContext(
            code: context.operation.code, opName: context.operation.name, id: site.id.uuidString, name: site.name,
            type: req.t(site.siteType.labelKey), latitude: DecimalText.fixed(site.latitude, digits: 5),
            longitude: DecimalText.fixed(site.longitude, digits: 5), area: site.areaPcode, areaPath: path,
            contactName: site.contactName, contactPhone: site.contactPhone, notes: site.notes,
            audience: req.t(site.audienceLevel.labelKey), canChange: AccessPolicy.canChange(access, by: context.viewer),
            canAudit: AccessPolicy.canReadAudit(of: context.operation.id.uuidString, by: context.viewer),
            map: map, warning: warning, assessments: assessments,
            canAssess: AccessPolicy.canManageRisks(in: context.operation.id.uuidString, by: context.viewer)), title: site.name, for: req)
    }

    struct FormValues: Encodable {
        var name = ""; var type = SiteType.office.rawValue; var latitude = ""; var longitude = ""; var contactName = ""
        var contactPhone = ""; var notes = ""; var audience = AudienceLevel.ifrcOnly.rawValue
        var grantRoles: [String] = []
    }
    struct FormContext: Encodable {
        let code: String; let opName: String; let values: FormValues; let errors: [String: String]; let types: [Option]
        let audiences: [Option]; let roles: [Option]; let isNew: Bool; let id: String?
        /// The version the form is based on, and what someone else saved when a save came too late.
        let version: String; let stale: StaleNotice?
    }
    struct SiteForm: Content {
        var name: String?; var type: String?; var latitude: String?; var longitude: String?; var contactName: String?
        var contactPhone: String?; var notes: String?; var audience: String?; var grantRoles: [String]?; var version: String?
        enum CodingKeys: String, CodingKey {
            case name, type, latitude, longitude, notes, audience, version
            case contactName = "contact_name", contactPhone = "contact_phone", grantRoles = "grant_roles"
        }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        guard context.canCreateRecords else { throw PageError(.forbidden, key: "error.forbidden") }
        return try await renderForm(req, context, values: FormValues(), errors: [:], id: nil)
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        let form = try req.content.decode(SiteForm.self)
        do {
            let (draft, grants) = try Self.draft(form)
            let valid = try draft.validated()
            let access = RecordAccess(
                operationID: context.operation.id.uuidString, audience: valid.audience, createdBy: context.current.user.id.uuidString,
                namedRoles: grants.roles)
            guard AccessPolicy.canCreate(access, by: context.viewer) else { throw PageError(.forbidden, key: "error.forbidden") }
            let area = try await MapService(request: req).resolveArea(
                operation: context.operation, latitude: valid.latitude ?? 0, longitude: valid.longitude ?? 0)
            let site = try await SiteStore(req.db).create(
                valid, areaPcode: area, grants: grants, in: context.operation.id, actorID: context.current.user.id)
            Page.flash("sites.created", on: req)
            if area == nil { req.session.data["site_warning"] = req.t("sites.outside_areas") }
            return req.redirect(to: "/operations/\(context.operation.code)/sites/\(site.id.uuidString)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, context, values: Self.values(form), errors: errors.messages(in: req), id: nil, status: .unprocessableEntity)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let (context, site, _) = try await loadChangeable(req)
        return try await renderForm(req, context, values: try await Self.values(site, req), errors: [:], id: site.id.uuidString,
                                    version: EditVersion.token(site.updatedAt))
    }

    static func values(_ site: SiteRow, _ req: Request) async throws -> FormValues {
        FormValues(
            name: site.name, type: site.type, latitude: String(site.latitude), longitude: String(site.longitude),
            contactName: site.contactName ?? "", contactPhone: site.contactPhone ?? "", notes: site.notes ?? "",
            audience: site.audience, grantRoles: try await SiteStore(req.db).grants(of: site.id).roles.map(\.rawValue))
    }

    func update(_ req: Request) async throws -> Response {
        let (context, site, scope) = try await loadChangeable(req)
        let form = try req.content.decode(SiteForm.self)
        do {
            let (draft, grants) = try Self.draft(form)
            let valid = try draft.validated()
            let access = RecordAccess(
                operationID: context.operation.id.uuidString, audience: valid.audience,
                createdBy: site.createdBy?.uuidString, namedRoles: grants.roles)
            // Nobody may narrow a record so far that they lose sight of it themselves.
            guard AccessPolicy.canView(access, by: context.viewer) else { throw PageError(.forbidden, key: "error.audience_self") }
            let area = try await MapService(request: req).resolveArea(
                operation: context.operation, latitude: valid.latitude ?? 0, longitude: valid.longitude ?? 0)
            _ = try await SiteStore(req.db).update(
                site.id, with: valid, areaPcode: area, grants: grants, scope: scope, actorID: context.current.user.id, expecting: form.version ?? "")
            Page.flash("sites.updated", on: req)
            if area == nil { req.session.data["site_warning"] = req.t("sites.outside_areas") }
            return req.redirect(to: "/operations/\(context.operation.code)/sites/\(site.id.uuidString)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, context, values: Self.values(form), errors: errors.messages(in: req), id: site.id.uuidString,
                                        version: form.version ?? "", status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            guard let stored = try await SiteStore(req.db).find(site.id, in: scope) else { throw PageError(.notFound, key: "error.not_found") }
            return try await renderForm(req, context, values: Self.values(form), errors: [:], id: site.id.uuidString,
                                        version: EditVersion.token(stored.updatedAt),
                                        stale: StaleNotice(stored: try await Self.values(stored, req), submitted: Self.values(form), req), status: .conflict)
        }
    }

    func delete(_ req: Request) async throws -> Response {
        let (context, site, scope) = try await loadChangeable(req)
        try await SiteStore(req.db).delete(site.id, scope: scope, actorID: context.current.user.id)
        Page.flash("sites.deleted", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)/sites")
    }

    func loadChangeable(_ req: Request) async throws -> (OperationContext, SiteRow, Scope) {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let site = try await SiteStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        guard AccessPolicy.canChange(try await SiteStore(req.db).access(of: site), by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return (context, site, scope)
    }

    func renderForm(_ req: Request, _ context: OperationContext, values: FormValues, errors: [String: String], id: String?,
                    version: String = "", stale: StaleNotice? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let types = SiteType.allCases.map { Option(value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == values.type) }
        let audiences = AudienceLevel.allCases.map { Option(value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == values.audience) }
        let roles = Role.allCases.map { Option(value: $0.rawValue, label: req.t($0.labelKey), selected: values.grantRoles.contains($0.rawValue)) }
        return try await Page.render("site-form", FormContext(
            code: context.operation.code, opName: context.operation.name, values: values, errors: errors, types: types,
            audiences: audiences, roles: roles, isNew: id == nil, id: id, version: version, stale: stale),
            title: req.t(id == nil ? "sites.new" : "sites.edit"), for: req, status: status)
    }

    static func values(_ form: SiteForm) -> FormValues {
        FormValues(
            name: form.name ?? "", type: form.type ?? SiteType.office.rawValue, latitude: form.latitude ?? "",
            longitude: form.longitude ?? "", contactName: form.contactName ?? "", contactPhone: form.contactPhone ?? "",
            notes: form.notes ?? "", audience: form.audience ?? AudienceLevel.ifrcOnly.rawValue, grantRoles: form.grantRoles ?? [])
    }

    static func draft(_ form: SiteForm) throws(ValidationErrors) -> (SiteDraft, SiteStore.Grants) {
        var errors = ValidationErrors()
        let type = SiteType(rawValue: form.type ?? "")
        if type == nil { errors.add("type", key: "error.choose", "Choose a site type.") }
        let audience = AudienceLevel(rawValue: form.audience ?? "")
        if audience == nil { errors.add("audience", key: "error.choose", "Choose who may see this site.") }
        func number(_ text: String?, _ field: String, _ key: String) -> Double? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = Double(text.replacingOccurrences(of: ",", with: ".")) else {
                errors.add(field, key: key, "Not a number: \(text)")
                return nil
            }
            return value
        }
        let latitude = number(form.latitude, "latitude", "error.latitude")
        let longitude = number(form.longitude, "longitude", "error.longitude")
        try errors.throwIfAny()
        let roles = Set((form.grantRoles ?? []).compactMap(Role.init(rawValue:)))
        return (SiteDraft(
            name: form.name ?? "", type: type ?? .other, latitude: latitude, longitude: longitude,
            contactName: form.contactName, contactPhone: form.contactPhone, notes: form.notes,
            audience: audience ?? .restricted), SiteStore.Grants(roles: roles))
    }
}
