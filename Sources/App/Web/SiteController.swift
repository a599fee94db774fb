import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// Sites of an operation: list, show, create, edit, delete. Every read goes through the scope.
struct SiteController {
    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let type = (try? req.query.get(String.self, at: "type")).flatMap(SiteType.init(rawValue:))
        let search = (try? req.query.get(String.self, at: "q")) ?? ""
        let page = try req.paging(perPage: 50)
        let result = try await SiteStore(req.db).list(
            in: scope, filter: .init(type: type, search: search), page: page)
        let areaNames = try await req.areaShapes.names(for: context.operation, language: req.language, on: req.db)
        let rows = result.items.map { site in
            SiteList.Model.Row(
                id: site.id, name: site.name, type: site.siteType,
                area: site.areaPcode.map { "\(areaNames[$0] ?? $0) (\($0))" }, latitude: site.latitude,
                longitude: site.longitude, audience: site.audienceLevel)
        }
        let model = SiteList.Model(
            code: context.operation.code, rows: rows, type: type, search: search,
            paging: PagePosition(page: result.page, pageCount: result.pageCount, total: result.total),
            canCreate: context.canCreateRecords)
        return Page.render(req, title: SiteList.title(req.strings)) { SiteList.view(model, $0) }
    }

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let id = req.pathID(as: SiteID.self),
            let site = try await SiteStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        let access = try await SiteStore(req.db).access(of: site)
        // The area and its parents, e.g. "Khartoum (SD01) › Khartoum (SD01001)".
        var path: [String] = []
        var pcode = site.areaPcode
        // At most one step a level (0–4): areas stored before cycles were refused at import must not loop.
        while let current = pcode, path.count < 5,
            let area = try await AreaStore(req.db).find(operationID: context.operation.id, pcode: current)
        {
            path.insert("\(area.name(in: req.language)) (\(area.pcode))", at: 0)
            pcode = area.parentPcode
        }
        let map = try await MapService(request: req).svg(operation: context.operation, scope: scope, highlight: site.id)
        // The site's security assessments, newest first (as visible as the site).
        let assessments = try await SiteAssessmentStore(req.db).assessments(of: site.id, scope: scope).prefix(10).map {
            record in
            SitePage.Model.Assessment(
                id: record.id, day: DateText.day(record.assessment.assessedOn), kind: record.assessment.kind,
                score: record.score.map { Int($0) },
                openRecommendations: record.assessment.recommendations.filter { !$0.done }.count)
        }
        let warning = req.session.data["site_warning"]
        req.session.data["site_warning"] = nil
        let model = SitePage.Model(
            code: context.operation.code, id: site.id, name: site.name, type: site.siteType, latitude: site.latitude,
            longitude: site.longitude, areaPath: site.areaPcode == nil ? [] : path, contactName: site.contactName,
            contactPhone: site.contactPhone, notes: site.notes, audience: site.audienceLevel, map: map,
            warning: warning,
            assessments: Array(assessments), canChange: AccessPolicy.canChange(access, by: context.viewer),
            canAudit: AccessPolicy.canReadAudit(of: context.operation.id, by: context.viewer),
            canAssess: AccessPolicy.canAssessSites(in: context.operation.id, by: context.viewer))
        return Page.render(req, title: site.name) { SitePage.view(model, $0) }
    }

    struct Submitted: Content {
        var name: String?; var type: String?; var latitude: String?; var longitude: String?; var contactName: String?
        var contactPhone: String?; var notes: String?; var audience: String?; var grantRoles: [String]?;
        var version: String?
        enum CodingKeys: String, CodingKey {
            case name, type, latitude, longitude, notes, audience, version
            case contactName = "contact_name", contactPhone = "contact_phone", grantRoles = "grant_roles"
        }

        /// The site as given: a field left out is empty.
        var input: SiteInput {
            var input = SiteInput()
            input.name = name ?? ""
            input.type = type ?? ""
            input.latitude = latitude ?? ""
            input.longitude = longitude ?? ""
            input.contactName = contactName ?? ""
            input.contactPhone = contactPhone ?? ""
            input.notes = notes ?? ""
            input.audience = audience ?? ""
            input.grantRoles = grantRoles ?? []
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        guard context.canCreateRecords else { throw PageError(.forbidden, key: "error.forbidden") }
        return try await renderForm(req, context, values: SiteInput(), errors: [:], id: nil)
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        let form = try req.content.decode(Submitted.self)
        do {
            let (valid, roles) = try form.input.decoded()
            let grants = SiteStore.Grants(roles: roles)
            let access = RecordAccess(
                operationID: context.operation.id, audience: valid.audience,
                createdBy: context.current.user.id,
                namedRoles: grants.roles)
            guard AccessPolicy.canCreate(access, by: context.viewer) else {
                throw PageError(.forbidden, key: "error.forbidden")
            }
            let area = try await MapService(request: req).resolveArea(
                operation: context.operation, latitude: valid.latitude ?? 0, longitude: valid.longitude ?? 0)
            let site = try await SiteStore(req.db).create(
                valid, areaPcode: area, grants: grants, in: context.operation.id, actorID: context.current.user.id,
                now: req.now)
            Page.flash("sites.created", on: req)
            if area == nil { req.session.data["site_warning"] = req.t("sites.outside_areas") }
            return req.redirect(to: SiteURL.site(.value(context.operation.code), .value(site.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: form.input, errors: errors.messages(in: req), id: nil,
                status: .unprocessableEntity)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let (context, site, _) = try await loadChangeable(req)
        return try await renderForm(
            req, context, values: try await Self.values(site, req), errors: [:], id: site.id,
            version: EditVersion.token(site.updatedAt))
    }

    /// The form's values for a stored site, with the roles named on it.
    static func values(_ site: SiteRecord, _ req: Request) async throws -> SiteInput {
        site.input(grantRoles: try await SiteStore(req.db).grants(of: site.id).roles)
    }

    func update(_ req: Request) async throws -> Response {
        let (context, site, scope) = try await loadChangeable(req)
        let form = try req.content.decode(Submitted.self)
        do {
            let (valid, roles) = try form.input.decoded()
            let grants = SiteStore.Grants(roles: roles)
            let access = RecordAccess(
                operationID: context.operation.id, audience: valid.audience,
                createdBy: site.createdBy, namedRoles: grants.roles)
            // Nobody may narrow a record so far that they lose sight of it themselves.
            guard AccessPolicy.canView(access, by: context.viewer) else {
                throw PageError(.forbidden, key: "error.audience_self")
            }
            let area = try await MapService(request: req).resolveArea(
                operation: context.operation, latitude: valid.latitude ?? 0, longitude: valid.longitude ?? 0)
            _ = try await SiteStore(req.db).update(
                site.id, with: valid, areaPcode: area, grants: grants, scope: scope, actorID: context.current.user.id,
                expecting: form.version ?? "", now: req.now)
            Page.flash("sites.updated", on: req)
            if area == nil { req.session.data["site_warning"] = req.t("sites.outside_areas") }
            return req.redirect(to: SiteURL.site(.value(context.operation.code), .value(site.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: form.input, errors: errors.messages(in: req), id: site.id,
                version: form.version ?? "", status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            guard let stored = try await SiteStore(req.db).find(site.id, in: scope) else {
                throw PageError(.notFound, key: "error.not_found")
            }
            return try await renderForm(
                req, context, values: form.input, errors: [:], id: site.id,
                version: EditVersion.token(stored.updatedAt),
                stale: StaleNotice(
                    stored: try await Self.values(stored, req), submitted: form.input, strings: req.strings),
                status: .conflict)
        }
    }

    func delete(_ req: Request) async throws -> Response {
        let (context, site, scope) = try await loadChangeable(req)
        try await SiteStore(req.db).delete(site.id, scope: scope, actorID: context.current.user.id, now: req.now)
        Page.flash("sites.deleted", on: req)
        return req.redirect(to: SiteURL.sites(.value(context.operation.code)).path)
    }

    func loadChangeable(_ req: Request) async throws -> (OperationContext, SiteRecord, Scope) {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let id = req.pathID(as: SiteID.self),
            let site = try await SiteStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        guard AccessPolicy.canChange(try await SiteStore(req.db).access(of: site), by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return (context, site, scope)
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, values: SiteInput, errors: [String: String], id: SiteID?,
        version: String = "", stale: StaleNotice? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let model = SiteForm.Model(
            code: context.operation.code, id: id, values: values, errors: errors, version: version, stale: stale)
        return Page.render(req, title: SiteForm.title(model, req.strings), status: status) { SiteForm.view(model, $0) }
    }
}
