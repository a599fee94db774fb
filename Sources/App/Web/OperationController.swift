import Domain
import Fluent
import Foundation
import Geo
import Interop
import Persistence
import Vapor
import Views

/// Operations: list, create, dashboard, settings, members, boundaries, audit.
struct OperationController {
    /// Reports due shown on the dashboard; the rest are one click away on the reports-due page.
    static let dueShown = 10

    func index(_ req: Request) async throws -> Response {
        let current = try req.requireUser()
        let rows = try await OperationStore(req.db).list(visibleTo: current.viewer).map {
            OperationList.Model.Row(
                code: $0.code, name: $0.name, countries: $0.countryCodes, emergencyType: $0.emergencyType,
                role: current.viewer.role(in: $0.id))
        }
        let model = OperationList.Model(rows: rows, canCreate: current.user.isAdmin)
        return Page.render(req, title: req.t("operations.title")) { OperationList.view(model, $0) }
    }

    struct Submitted: Content {
        var code: String?; var name: String?; var countries: String?; var emergencyType: String?
        var glide: String?; var appeal: String?; var startDate: String?; var timeZone: String?

        enum CodingKeys: String, CodingKey {
            case code, name, countries, glide, appeal
            case timeZone = "time_zone"
            case emergencyType = "emergency_type"
            case startDate = "start_date"
        }
    }

    func new(_ req: Request) async throws -> Response {
        guard try req.requireUser().user.isAdmin else { throw PageError(.forbidden, key: "error.forbidden") }
        return try await renderForm(req, values: OperationForm.Values(), errors: [:], isNew: true)
    }

    func create(_ req: Request) async throws -> Response {
        let current = try req.requireUser()
        guard current.user.isAdmin else { throw PageError(.forbidden, key: "error.forbidden") }
        let form = try req.content.decode(Submitted.self)
        let values = Self.values(form)
        do {
            let draft = try Self.draft(form).validated()
            let operation = try await OperationStore(req.db).create(draft, actorID: current.user.id, now: req.now)
            Page.flash("operations.created", on: req)
            return req.redirect(to: SiteURL.operation(.value(operation.code)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, values: values, errors: errors.messages(in: req), isNew: true, status: .unprocessableEntity)
        } catch let error as DomainError where error.kind == .conflict {
            return try await renderForm(
                req, values: values, errors: [error.field ?? "code": req.t(error.messageKey)], isNew: true,
                status: .conflict)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        try context.requireManage()
        let op = context.operation
        var values = OperationForm.Values()
        values.code = op.code
        values.name = op.name
        values.countries = op.countryCodes.joined(separator: ", ")
        values.glide = op.glideNumber ?? ""
        values.appeal = op.appealCode ?? ""
        values.startDate = op.startDate ?? ""
        values.timeZone = op.timeZone
        values.emergencyType = op.emergencyType
        return try await renderForm(req, values: values, errors: [:], isNew: false)
    }

    func update(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        try context.requireManage()
        var form = try req.content.decode(Submitted.self)
        form.code = context.operation.code
        do {
            let draft = try Self.draft(form).validated()
            _ = try await OperationStore(req.db).update(
                context.operation.id, with: draft, heopsUserID: context.operation.heopsUserId,
                actorID: context.current.user.id, now: req.now)
            Page.flash("operations.updated", on: req)
            return req.redirect(to: SiteURL.operation(.value(context.operation.code)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, values: Self.values(form), errors: errors.messages(in: req), isNew: false,
                status: .unprocessableEntity)
        }
    }

    func renderForm(
        _ req: Request, values: OperationForm.Values, errors: [String: String], isNew: Bool,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let model = OperationForm.Model(values: values, errors: errors, isNew: isNew)
        return Page.render(req, title: OperationForm.title(model, req.strings), status: status) {
            OperationForm.view(model, $0)
        }
    }

    static func values(_ form: Submitted) -> OperationForm.Values {
        var values = OperationForm.Values()
        values.code = form.code ?? ""
        values.name = form.name ?? ""
        values.countries = form.countries ?? ""
        values.glide = form.glide ?? ""
        values.appeal = form.appeal ?? ""
        values.startDate = form.startDate ?? ""
        values.timeZone = form.timeZone ?? "UTC"
        values.emergencyType = form.emergencyType ?? EmergencyType.complexEmergency.rawValue
        return values
    }

    static func draft(_ form: Submitted) throws(ValidationErrors) -> OperationDraft {
        var errors = ValidationErrors()
        let type =
            EmergencyType(rawValue: form.emergencyType ?? "")
            ?? {
                errors.add("emergency_type", key: "error.choose", "Choose an emergency type.")
                return .other
            }()
        var start: Date?
        if let text = form.startDate?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            start = DateText.day(text)
            if start == nil { errors.add("start_date", key: "error.date", "Use a date like 2026-11-23.") }
        }
        try errors.throwIfAny()
        return OperationDraft(
            code: form.code ?? "", name: form.name ?? "",
            countries: OperationDraft.parseCountries(form.countries ?? ""),
            emergencyType: type, glideNumber: form.glide, appealCode: form.appeal, startDate: start,
            timeZone: form.timeZone ?? "UTC")
    }

    // MARK: Dashboard

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let op = context.operation
        var links = OperationDashboard.Links()
        var tiles: [OperationDashboard.Tile] = []
        let personnel = try await PersonnelContext.make(context, on: req.db)
        if let scope = context.scope {
            links.member = true
            tiles = try await DashboardTiles(context: context, scope: scope, req: req, personnel: personnel).tiles()
        }
        links.plans = AccessPolicy.canViewSecurityPlans(in: op.id, by: context.viewer)
        links.scenarios = AccessPolicy.canViewScenarios(in: op.id, by: context.viewer)
        links.protectionRisks = AccessPolicy.canViewProtectionRisks(in: op.id, by: context.viewer)
        links.network = AccessPolicy.canViewNetwork(in: op.id, by: context.viewer)
        links.createSites = context.canCreateRecords
        var alarms: [HelpAlarm] = []
        if let p = personnel {
            if p.keeps { links.people = true } else { links.whereIAm = true }
            if AccessPolicy.canTriageInbox(through: p.scope) {
                links.inboxWaiting = try await InboxStore(req.db).untriagedCount(in: op.id)
            }
            links.alerts = true
            alarms = try await AlertService.alarms(req, p)
        }
        var model = OperationDashboard.Model(
            code: op.code, name: op.name, role: context.role, links: links, tiles: tiles)
        model.alarms = alarms
        if let crisis = AccessPolicy.crisisScope(in: op.id, for: context.viewer) {
            let incidents = try await CriticalIncidentStore(req.db).list(in: crisis)
            model.criticalIncidents = incidents.filter(\.isOpen).map(\.line)
            model.now = req.now
            model.links.criticalIncidents = crisis.seesAll || !incidents.isEmpty
        }
        model.channelProblems = try await AlertService.channelProblems(req, operationID: op.id, viewer: context.viewer)
        let page = model
        return Page.render(req, title: op.name) { OperationDashboard.view(page, $0) }
    }

    /// What the operation is, what it holds, and who works in it.
    func details(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let op = context.operation
        // Counted from the cached shapes and the map's own site list.
        let (shapes, _) = try await req.areaShapes.shapes(for: op, on: req.db)
        let areaCounts = Dictionary(grouping: shapes, by: \.row.level).sorted { $0.key < $1.key }.map {
            (level: $0.key, count: $0.value.count)
        }
        var siteCounts: [(type: SiteType, count: Int)]?
        var map: SVG?
        if let scope = context.scope {
            let sites = try await SiteStore(req.db).mapPoints(in: scope)
            let counts = Dictionary(grouping: sites, by: \.siteType).mapValues(\.count)
            siteCounts = SiteType.allCases.compactMap { type in counts[type].map { (type: type, count: $0) } }
            map = try await MapService(request: req).svg(
                operation: op, visibleSites: sites, services: try await ServiceStore(req.db).all(in: scope))
        }
        let stored = try await OperationStore(req.db).members(of: op.id)
        let showContacts = AccessPolicy.canSeeMemberContacts(in: op.id, by: context.viewer)
        let model = OperationDetails.Model(
            code: op.code, name: op.name,
            countries: op.countryCodes.map { "\($0) · \(Countries.name($0, in: req.language) ?? $0)" },
            emergencyType: op.emergencyType, glide: op.glideNumber, appeal: op.appealCode, startDate: op.startDate,
            heops: stored.first { $0.role == Role.headOfOperations.rawValue }?.displayName, role: context.role,
            areaCounts: areaCounts, siteCounts: siteCounts, map: map,
            members: stored.map {
                .init(
                    userID: $0.userId, name: $0.displayName, email: showContacts ? $0.email : nil,
                    role: req.t("role.\($0.role)"))
            },
            showContacts: showContacts, canManage: context.canManage)
        return Page.render(req, title: req.t("operation_details_title") + " · " + op.name) {
            OperationDetails.view(model, $0)
        }
    }

    /// The operation map as a standalone SVG (for printing, saving, or embedding elsewhere).
    func mapSVG(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let highlight = (try? req.query.get(String.self, at: "site")).flatMap(UUID.init(uuidString:)).map(
            SiteID.init(rawValue:))
        let svg = try await MapService(request: req).svg(
            operation: context.operation, scope: scope, highlight: highlight)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(string: svg.markup))
    }

    // MARK: Members

    struct MemberForm: Content { var email: String?; var role: String? }

    func addMember(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        try context.requireManage()
        let form = try req.content.decode(MemberForm.self)
        guard let role = Role(rawValue: form.role ?? "") else {
            throw PageError(.unprocessableEntity, key: "error.choose")
        }
        guard let user = try await UserStore(req.db).find(email: form.email ?? "") else {
            Page.flash("members.unknown_user", on: req)
            return req.redirect(to: SiteURL.operationDetails(.value(context.operation.code)).path + "#members")
        }
        try await OperationStore(req.db).setMember(
            operationID: context.operation.id, userID: user.id, role: role, actorID: context.current.user.id,
            now: req.now)
        Page.flash("members.saved", on: req)
        return req.redirect(to: SiteURL.operationDetails(.value(context.operation.code)).path + "#members")
    }

    struct RemoveForm: Content { var userID: String?; enum CodingKeys: String, CodingKey { case userID = "user_id" } }

    func removeMember(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        try context.requireManage()
        let form = try req.content.decode(RemoveForm.self)
        guard let id = form.userID.flatMap(UUID.init(uuidString:)).map(UserID.init(rawValue:)) else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        try await OperationStore(req.db).removeMember(
            operationID: context.operation.id, userID: id, actorID: context.current.user.id, now: req.now)
        Page.flash("members.removed", on: req)
        return req.redirect(to: SiteURL.operationDetails(.value(context.operation.code)).path + "#members")
    }
}
