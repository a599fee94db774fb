import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor
import Views

/// The referral directory's pages: list, one service, the form, HSDS import and export, and a
/// site's printable referral pathway. Every member reads it; the migration coordinator and the
/// HeOps keep it (`AccessPolicy.canManageServiceDirectory`).
struct ServiceController {
    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewServiceDirectory)
        let scope = try context.requireScope()
        let filter = ServiceStore.Filter(
            sector: req.query[String.self, at: "sector"].flatMap(IFRCSector.init(rawValue:)),
            populationType: req.query[String.self, at: "population_type"].flatMap(PopulationType.init(rawValue:)),
            takesReferrals: req.query[String.self, at: "referrals"] == "1",
            search: req.query[String.self, at: "q"] ?? "")
        let result = try await ServiceStore(req.db).list(in: scope, filter: filter, page: try req.paging(perPage: 50))
        let summaries = try await Self.summaries(result.items, context, req)
        let map = try await MapService(request: req).svg(operation: context.operation, scope: scope, services: filter)
        var model = ServiceList.Model(
            code: context.operation.code, rows: summaries, sector: filter.sector,
            populationType: filter.populationType, takesReferrals: filter.takesReferrals, search: filter.search,
            paging: PagePosition(page: result.page, pageCount: result.pageCount, total: result.total),
            canManage: AccessPolicy.canManageServiceDirectory(in: context.operation.id, by: context.viewer), map: map)
        model.referralsLink = AccessPolicy.canSeeReferralAggregates(in: context.operation.id, by: context.viewer)
        let page = model
        return Page.render(req, title: ServiceList.title(req.strings)) { ServiceList.view(page, $0) }
    }

    /// The page's view of stored entries: area names and site names resolved through the viewer's scope
    /// (a site the viewer may not see is not named).
    static func summaries(
        _ records: [ServiceRecord], _ context: OperationContext, _ req: Request, distances: [ServiceID: Double] = [:]
    ) async throws -> [ServiceSummary] {
        let areaNames = try await req.areaShapes.names(for: context.operation, language: req.language, on: req.db)
        let sites = Dictionary(
            try await context.visibleSites(on: req.db).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return records.map { record in
            ServiceSummary(
                id: record.id, draft: record.draft,
                area: record.areaPcode.map { "\(areaNames[$0] ?? $0) (\($0))" },
                siteName: record.siteId.flatMap { sites[$0] }, distanceKm: distances[record.id])
        }
    }

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewServiceDirectory)
        let scope = try context.requireScope()
        let record = try await Self.find(req, scope)
        let summary = try await Self.summaries([record], context, req)[0]
        let map =
            record.latitude == nil
            ? nil
            : try await MapService(request: req).svg(
                operation: context.operation, scope: scope, highlightService: record.id)
        let model = ServicePage.Model(
            code: context.operation.code, service: summary, map: map,
            canManage: AccessPolicy.canManageServiceDirectory(in: context.operation.id, by: context.viewer))
        return Page.render(req, title: record.name) { ServicePage.view(model, $0) }
    }

    static func find(_ req: Request, _ scope: Scope) async throws -> ServiceRecord {
        guard let id = req.pathID(as: ServiceID.self), let record = try await ServiceStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return record
    }

    /// The form as posted. Lists come as repeated fields (checkboxes) or as lines of a textarea; a
    /// field the form leaves out keeps the value the input started from.
    struct Submitted: Content {
        var organization: String?; var name: String?; var description: String?; var status: String?
        var url: String?; var email: String?; var phones: String?; var hours: String?; var hoursNote: String?
        var eligibility: String?; var minimumAge: String?; var maximumAge: String?; var languages: String?
        var fees: String?; var acceptsReferrals: String?; var consentRequired: String?
        var referralFocalPoint: String?; var populationTypes: [String]?; var sectors: [String]?
        var lastVerifiedOn: String?; var verifiedBy: String?; var locationName: String?; var address: String?
        var latitude: String?; var longitude: String?; var siteID: String?; var version: String?

        enum CodingKeys: String, CodingKey {
            case organization, name, description, status, url, email, phones, hours, eligibility, languages, fees
            case sectors, address, latitude, longitude, version
            case hoursNote = "hours_note", minimumAge = "minimum_age", maximumAge = "maximum_age"
            case acceptsReferrals = "accepts_referrals", consentRequired = "consent_required"
            case referralFocalPoint = "referral_focal_point", populationTypes = "population_types"
            case lastVerifiedOn = "last_verified_on", verifiedBy = "verified_by", locationName = "location_name"
            case siteID = "site_id"
        }

        func input(over base: ServiceInput, checkboxesPosted: Bool) -> ServiceInput {
            func lines(_ text: String?) -> [String]? {
                text.map { $0.split(whereSeparator: \.isNewline).map(String.init) }
            }
            var input = base
            input.organization = organization ?? base.organization
            input.name = name ?? base.name
            input.description = description ?? base.description
            input.status = status ?? base.status
            input.url = url ?? base.url
            input.email = email ?? base.email
            input.phones = lines(phones) ?? base.phones
            input.hours = lines(hours) ?? base.hours
            input.hoursNote = hoursNote ?? base.hoursNote
            input.eligibility = eligibility ?? base.eligibility
            input.minimumAge = minimumAge ?? base.minimumAge
            input.maximumAge = maximumAge ?? base.maximumAge
            input.languages = languages.map { [$0] } ?? base.languages
            input.fees = fees ?? base.fees
            input.acceptsReferrals = acceptsReferrals ?? base.acceptsReferrals
            input.consentRequired = consentRequired ?? base.consentRequired
            input.referralFocalPoint = referralFocalPoint ?? base.referralFocalPoint
            // An unticked checkbox sends nothing: the form always shows these groups, so on a
            // posted form "absent" means "none ticked".
            input.populationTypes = populationTypes ?? (checkboxesPosted ? [] : base.populationTypes)
            input.sectors = sectors ?? (checkboxesPosted ? [] : base.sectors)
            input.lastVerifiedOn = lastVerifiedOn ?? base.lastVerifiedOn
            input.verifiedBy = verifiedBy ?? base.verifiedBy
            input.locationName = locationName ?? base.locationName
            input.address = address ?? base.address
            input.latitude = latitude ?? base.latitude
            input.longitude = longitude ?? base.longitude
            input.siteID = siteID ?? base.siteID
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageServiceDirectory)
        _ = try context.requireScope()
        var values = ServiceInput()
        // A pathway's "add a service here" link names the site.
        if let site = req.query[String.self, at: "site"] { values.siteID = site }
        return try await renderForm(req, context, values: values, errors: [:], id: nil)
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageServiceDirectory)
        let scope = try context.requireScope()
        let form = try req.content.decode(Submitted.self)
        let input = form.input(over: ServiceInput(), checkboxesPosted: true)
        do {
            let draft = try await Self.checked(input, context, req)
            let record = try await ServiceStore(req.db).create(
                draft, areaPcode: try await directory(req).area(of: draft, in: context.operation), scope: scope,
                actorID: context.current.user.id, now: req.now)
            Page.flash("services.created", on: req)
            return req.redirect(to: SiteURL.service(.value(context.operation.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: input, errors: errors.messages(in: req), id: nil, status: .unprocessableEntity)
        }
    }

    static func checked(_ input: ServiceInput, _ context: OperationContext, _ req: Request) async throws -> ServiceDraft
    {
        try ServiceDirectory.checked(input, visibleSites: try await context.visibleSites(on: req.db), now: req.now)
    }

    func directory(_ req: Request) -> ServiceDirectory {
        ServiceDirectory(database: req.db, areaShapes: req.areaShapes)
    }

    func edit(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageServiceDirectory)
        let record = try await Self.find(req, try context.requireScope())
        return try await renderForm(
            req, context, values: ServiceInput(record.draft), errors: [:], id: record.id,
            version: EditVersion.token(record.updatedAt))
    }

    func update(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageServiceDirectory)
        let scope = try context.requireScope()
        let record = try await Self.find(req, scope)
        let form = try req.content.decode(Submitted.self)
        let input = form.input(over: ServiceInput(record.draft), checkboxesPosted: true)
        do {
            let draft = try await Self.checked(input, context, req)
            _ = try await ServiceStore(req.db).update(
                record.id, with: draft, areaPcode: try await directory(req).area(of: draft, in: context.operation),
                scope: scope, actorID: context.current.user.id, expecting: form.version ?? "", now: req.now)
            Page.flash("services.updated", on: req)
            return req.redirect(to: SiteURL.service(.value(context.operation.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: input, errors: errors.messages(in: req), id: record.id,
                version: form.version ?? "", status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let stored = try await Self.find(req, scope)
            return try await renderForm(
                req, context, values: input, errors: [:], id: record.id, version: EditVersion.token(stored.updatedAt),
                stale: StaleNotice(stored: ServiceInput(stored.draft), submitted: input, strings: req.strings),
                status: .conflict)
        }
    }

    func delete(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageServiceDirectory)
        let scope = try context.requireScope()
        let record = try await Self.find(req, scope)
        try await ServiceStore(req.db).delete(record.id, scope: scope, actorID: context.current.user.id, now: req.now)
        Page.flash("services.deleted", on: req)
        return req.redirect(to: SiteURL.services(.value(context.operation.code)).path)
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, values: ServiceInput, errors: [String: String], id: ServiceID?,
        version: String = "", stale: StaleNotice? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let sites = try await context.visibleSites(on: req.db).map { (id: $0.id, name: $0.name) }
        let model = ServiceForm.Model(
            code: context.operation.code, id: id, values: values, errors: errors, version: version, stale: stale,
            sites: sites)
        return Page.render(req, title: ServiceForm.title(model, req.strings), status: status) {
            ServiceForm.view(model, $0)
        }
    }

    // MARK: Import and export

    func importPage(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageServiceDirectory)
        _ = try context.requireScope()
        return renderImport(req, context, report: [], error: nil)
    }

    func renderImport(
        _ req: Request, _ context: OperationContext, report: [String], error: String?, status: HTTPResponseStatus = .ok
    ) -> Response {
        let model = ServiceImportPage.Model(code: context.operation.code, report: report, error: error)
        return Page.render(req, title: req.t("services_import"), status: status) { ServiceImportPage.view(model, $0) }
    }

    func upload(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canManageServiceDirectory)
        let scope = try context.requireScope()
        do {
            return try await StreamedUpload.with(
                req, maxBytes: req.application.bearingConfig.maxUploadBytes + 1_000_000
            ) {
                upload in
                guard let file = upload.file, file.size > 0 else {
                    return renderImport(
                        req, context, report: [], error: req.t("boundaries.no_file"), status: .unprocessableEntity)
                }
                do {
                    let read = try HSDSReader.read(data: try Data(contentsOf: file.url), name: file.filename)
                    let report = try await directory(req).importHSDS(
                        read, file: file.filename, into: context.operation, scope: scope,
                        actorID: context.current.user.id, now: req.now)
                    return renderImport(
                        req, context, report: ["\(file.filename): " + report.lines[0]] + report.lines.dropFirst(),
                        error: nil)
                } catch let failure as HSDSReader.Failure {
                    return renderImport(
                        req, context, report: [],
                        error: "\(file.filename): \(failure.description) \(req.t("sources.nothing_imported"))",
                        status: .unprocessableEntity)
                }
            }
        } catch let error as Abort where error.status == .unsupportedMediaType {
            return renderImport(req, context, report: [], error: req.t("boundaries.no_file"), status: .badRequest)
        }
    }

    /// The directory as HSDS: `format=zip` (every CSV table), `json` (a page of full services), or
    /// `csv` with `table=` (one table).
    func export(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewServiceDirectory)
        let scope = try context.requireScope()
        let entries = try await directory(req).entries(in: scope)
        let name = "\(context.operation.code)-services-\(DateText.day(req.now))"
        let body: Data
        let type: String
        let fileName: String
        switch req.query[String.self, at: "format"] ?? "zip" {
        case "zip":
            body = try HSDSWriter.zip(entries)
            type = "application/zip"
            fileName = name + "-hsds.zip"
        case "json":
            body = try HSDSWriter.json(entries)
            type = "application/json"
            fileName = name + "-hsds.json"
        case "csv":
            let tables = HSDSWriter.tables(entries)
            let wanted = req.query[String.self, at: "table"] ?? "services"
            guard let table = tables.first(where: { $0.name == wanted }) else {
                throw Abort(
                    .badRequest, reason: "table: one of " + tables.map(\.name).joined(separator: ", ") + ".")
            }
            body = Data(HSDSWriter.csv(table).utf8)
            type = "text/csv; charset=utf-8"
            fileName = name + "-\(table.name).csv"
        default:
            throw Abort(.badRequest, reason: "format: choose zip, json or csv.")
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(fileName)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: body))
    }

    // MARK: Referral pathway

    func pathway(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewServiceDirectory)
        let scope = try context.requireScope()
        guard let id = req.pathID(as: SiteID.self), let site = try await SiteStore(req.db).find(id, in: scope) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        let pathway = ServiceDirectory.pathway(for: site, services: try await ServiceStore(req.db).all(in: scope))
        let distances = Dictionary(pathway.nearby.map { ($0.record.id, $0.km) }, uniquingKeysWith: { a, _ in a })
        let all = try await Self.summaries(
            pathway.atSite + pathway.inArea + pathway.nearby.map(\.record) + pathway.elsewhere, context, req,
            distances: distances)
        let byID = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func pick(_ records: [ServiceRecord]) -> [ServiceSummary] { records.compactMap { byID[$0.id] } }
        let model = ReferralPathwayPage.Model(
            code: context.operation.code, operationName: context.operation.name, siteID: site.id, siteName: site.name,
            printedAt: req.now, atSite: pick(pathway.atSite), inArea: pick(pathway.inArea),
            nearby: pick(pathway.nearby.map(\.record)), everywhere: pick(pathway.elsewhere))
        return Page.render(req, title: req.t("pathway_title") + ": " + site.name) {
            ReferralPathwayPage.view(model, $0)
        }
    }
}
