import Fluent
import Domain
import Foundation
import Interop
import Persistence
import Vapor

/// Operations: list, create, dashboard, settings, members, boundaries, audit.
struct OperationController {
    /// Reports due listed on the dashboard.
    /// Reports due shown on the dashboard; the rest are one click away on the reports-due page.
    static let dueShown = 10

    struct OperationItem: Encodable {
        let code: String; let name: String; let countries: String; let emergencyType: String; let role: String?
    }
    struct IndexContext: Encodable { let operations: [OperationItem]; let canCreate: Bool }

    func index(_ req: Request) async throws -> Response {
        let current = try req.requireUser()
        let operations = try await OperationStore(req.db).list(visibleTo: current.viewer).map {
            OperationItem(
                code: $0.code, name: $0.name, countries: $0.countryCodes.joined(separator: ", "),
                emergencyType: req.t("emergency_type.\($0.emergencyType)"),
                role: current.viewer.role(in: $0.id.uuidString).map { req.t($0.labelKey) })
        }
        return try await Page.render("operations", IndexContext(operations: operations, canCreate: current.user.isAdmin),
                                     title: req.t("operations.title"), for: req)
    }

    struct Option: Encodable { let value: String; let label: String; let selected: Bool }
    struct FormValues: Encodable {
        var code = ""; var name = ""; var countries = ""; var glide = ""; var appeal = ""; var startDate = ""
        var emergencyType = EmergencyType.complexEmergency.rawValue
    }
    struct FormContext: Encodable {
        let values: FormValues; let errors: [String: String]; let emergencyTypes: [Option]; let isNew: Bool; let code: String
    }
    struct OperationForm: Content {
        var code: String?; var name: String?; var countries: String?; var emergencyType: String?
        var glide: String?; var appeal: String?; var startDate: String?

        enum CodingKeys: String, CodingKey {
            case code, name, countries, glide, appeal
            case emergencyType = "emergency_type"
            case startDate = "start_date"
        }
    }

    func new(_ req: Request) async throws -> Response {
        guard try req.requireUser().user.isAdmin else { throw PageError(.forbidden, key: "error.forbidden") }
        return try await renderForm(req, values: FormValues(), errors: [:], isNew: true)
    }

    func create(_ req: Request) async throws -> Response {
        let current = try req.requireUser()
        guard current.user.isAdmin else { throw PageError(.forbidden, key: "error.forbidden") }
        let form = try req.content.decode(OperationForm.self)
        let values = Self.values(form)
        do {
            let draft = try Self.draft(form).validated()
            let operation = try await OperationStore(req.db).create(draft, actorID: current.user.id)
            Page.flash("operations.created", on: req)
            return req.redirect(to: "/operations/\(operation.code)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, values: values, errors: errors.messages(in: req), isNew: true, status: .unprocessableEntity)
        } catch let error as DomainError where error.kind == .conflict {
            return try await renderForm(req, values: values, errors: [error.field ?? "code": req.t(error.messageKey)], isNew: true, status: .conflict)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        try context.requireManage()
        let op = context.operation
        let values = FormValues(
            code: op.code, name: op.name, countries: op.countryCodes.joined(separator: ", "), glide: op.glideNumber ?? "",
            appeal: op.appealCode ?? "", startDate: op.startDate ?? "", emergencyType: op.emergencyType)
        return try await renderForm(req, values: values, errors: [:], isNew: false)
    }

    func update(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        try context.requireManage()
        var form = try req.content.decode(OperationForm.self)
        form.code = context.operation.code
        do {
            let draft = try Self.draft(form).validated()
            _ = try await OperationStore(req.db).update(
                context.operation.id, with: draft, heopsUserID: context.operation.heopsUserId, actorID: context.current.user.id)
            Page.flash("operations.updated", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, values: Self.values(form), errors: errors.messages(in: req), isNew: false, status: .unprocessableEntity)
        }
    }

    func renderForm(_ req: Request, values: FormValues, errors: [String: String], isNew: Bool, status: HTTPResponseStatus = .ok) async throws -> Response {
        let types = EmergencyType.allCases.map { Option(value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == values.emergencyType) }
        return try await Page.render(
            "operation-form", FormContext(values: values, errors: errors, emergencyTypes: types, isNew: isNew, code: values.code),
            title: req.t(isNew ? "operations.new" : "operations.edit"), for: req, status: status)
    }

    static func values(_ form: OperationForm) -> FormValues {
        FormValues(
            code: form.code ?? "", name: form.name ?? "", countries: form.countries ?? "", glide: form.glide ?? "",
            appeal: form.appeal ?? "", startDate: form.startDate ?? "",
            emergencyType: form.emergencyType ?? EmergencyType.complexEmergency.rawValue)
    }

    static func draft(_ form: OperationForm) throws(ValidationErrors) -> OperationDraft {
        var errors = ValidationErrors()
        let type = EmergencyType(rawValue: form.emergencyType ?? "") ?? {
            errors.add("emergency_type", key: "error.choose", "Choose an emergency type.")
            return .other
        }()
        var start: Date?
        if let text = form.startDate?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            start = Self.parseDay(text)
            if start == nil { errors.add("start_date", key: "error.date", "Use a date like 2026-11-23.") }
        }
        try errors.throwIfAny()
        return OperationDraft(
            code: form.code ?? "", name: form.name ?? "", countries: OperationDraft.parseCountries(form.countries ?? ""),
            emergencyType: type, glideNumber: form.glide, appealCode: form.appeal, startDate: start)
    }

    static func parseDay(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text)
    }


    // MARK: Dashboard

    struct Count { let label: String; let count: Int }
    struct DashboardContext: Encodable {
        let code: String; let name: String; let countries: String; let emergencyType: String
        let glide: String?; let appeal: String?; let startDate: String?; let role: String?
        let areaCounts: HTMLFragment; let hasAreas: Bool; let siteCounts: HTMLFragment; let hasSites: Bool; let siteTotal: Int
        let memberRows: HTMLFragment; let showContacts: Bool; let canManage: Bool; let canCreate: Bool; let isMember: Bool; let canPlans: Bool
        let roleOptions: HTMLFragment; let map: String; let heops: String?
        let deadlines: HTMLFragment; let hasDeadlines: Bool
    }

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let op = context.operation
        // Counted from the cached shapes and the map's own site list: no extra queries on the busiest page.
        let (shapes, _) = try await AreaShapeCache.shared.shapes(for: op, on: req.db)
        let areaCounts = Dictionary(grouping: shapes, by: \.row.level).sorted { $0.key < $1.key }
            .map { Count(label: req.t("areas.level").replacingOccurrences(of: "{n}", with: String($0.key)), count: $0.value.count) }
        var siteCounts: [Count] = []
        var map = ""
        // Incidents still to be reported to the region, overdue first, then by due time.
        var deadlines = HTMLFragment()
        var hasDeadlines = false
        if let scope = context.scope {
            let now = Date()
            // The most urgent ten (the store sorts by deadline, so overdue ones come first); the
            // rest are counted and listed on their own page, so the busiest page stays light.
            let due = try await IncidentStore(req.db).awaitingRegionalReport(in: scope, limit: Self.dueShown + 1)
            hasDeadlines = !due.isEmpty
            for incident in due.prefix(Self.dueShown) {
                IncidentController.dueItem(incident, code: op.code, now: now, req: req, into: &deadlines)
            }
            if due.count > Self.dueShown {
                let all = try await IncidentStore(req.db).countAwaitingRegionalReport(in: scope)
                deadlines.markup("<li class=\"more\"><a id=\"reports-due-more\" href=\"/operations/")
                deadlines.text(op.code)
                deadlines.markup("/incidents/due\">")
                deadlines.text(req.t("incidents.awaiting_more").replacingOccurrences(of: "{count}", with: String(all - Self.dueShown)))
                deadlines.markup("</a></li>")
            }
        }
        if let scope = context.scope {
            let sites = try await SiteStore(req.db).mapPoints(in: scope)
            let counts = Dictionary(grouping: sites, by: \.siteType).mapValues(\.count)
            siteCounts = SiteType.allCases.compactMap { type in counts[type].map { Count(label: req.t(type.labelKey), count: $0) } }
            map = try await MapService(request: req).svg(operation: op, visibleSites: sites)
        }
        let stored = try await OperationStore(req.db).members(of: op.id)
        let heops = stored.first { $0.role == Role.headOfOperations.rawValue }?.displayName
        let canManage = context.canManage
        let csrf = CSRFMiddleware.token(for: req)
        let showContacts = AccessPolicy.canSeeMemberContacts(in: op.id.uuidString, by: context.viewer)
        var memberRows = HTMLFragment()
        for member in stored {
            memberRows.markup("<tr><td>")
            memberRows.text(member.displayName)
            if showContacts {
                memberRows.markup("</td><td dir=\"ltr\">")
                memberRows.text(member.email)
            }
            memberRows.markup("</td><td>")
            memberRows.text(req.t("role.\(member.role)"))
            memberRows.markup("</td>")
            if canManage {
                memberRows.markup("<td><form method=\"post\" action=\"/operations/")
                memberRows.text(op.code)
                memberRows.markup("/members/remove\"><input type=\"hidden\" name=\"_csrf\" value=\"")
                memberRows.text(csrf)
                memberRows.markup("\"><input type=\"hidden\" name=\"user_id\" value=\"")
                memberRows.text(member.userId.uuidString)
                memberRows.markup("\"><button type=\"submit\" class=\"link\">")
                memberRows.text(req.t("members.remove"))
                memberRows.markup("</button></form></td>")
            }
            memberRows.markup("</tr>\n")
        }
        var roleOptions = HTMLFragment()
        roleOptions.options(Role.allCases.map { (value: $0.rawValue, label: req.t($0.labelKey), selected: false) })
        return try await Page.render("operation", DashboardContext(
            code: op.code, name: op.name, countries: op.countryCodes.map { "\($0) · \(Countries.name($0, in: req.language) ?? $0)" }.joined(separator: ", "),
            emergencyType: req.t("emergency_type.\(op.emergencyType)"), glide: op.glideNumber, appeal: op.appealCode,
            startDate: op.startDate, role: context.role.map { req.t($0.labelKey) }, areaCounts: Self.countList(areaCounts),
            hasAreas: !areaCounts.isEmpty, siteCounts: Self.countList(siteCounts), hasSites: !siteCounts.isEmpty,
            siteTotal: siteCounts.reduce(0) { $0 + $1.count }, memberRows: memberRows, showContacts: showContacts,
            canManage: canManage, canCreate: context.canCreateRecords, isMember: context.scope != nil,
            canPlans: AccessPolicy.canViewSecurityPlans(in: context.operation.id.uuidString, by: context.viewer),
            roleOptions: roleOptions, map: map, heops: heops, deadlines: deadlines, hasDeadlines: hasDeadlines), title: op.name, for: req)
    }

    /// `<li>label: <strong>n</strong></li>` per count.
    static func countList(_ counts: [Count]) -> HTMLFragment {
        var html = HTMLFragment()
        for count in counts {
            html.markup("<li>")
            html.text(count.label)
            html.markup(": <strong>")
            html.text(count.count)
            html.markup("</strong></li>")
        }
        return html
    }

    /// The operation map as a standalone SVG (for printing, saving, or embedding elsewhere).
    func mapSVG(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let highlight = (try? req.query.get(String.self, at: "site")).flatMap(UUID.init(uuidString:))
        let svg = try await MapService(request: req).svg(operation: context.operation, scope: scope, highlight: highlight)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(string: svg))
    }

    // MARK: Members

    struct MemberForm: Content { var email: String?; var role: String? }

    func addMember(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        try context.requireManage()
        let form = try req.content.decode(MemberForm.self)
        guard let role = Role(rawValue: form.role ?? "") else { throw PageError(.unprocessableEntity, key: "error.choose") }
        guard let user = try await UserStore(req.db).find(email: form.email ?? "") else {
            Page.flash("members.unknown_user", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)#members")
        }
        try await OperationStore(req.db).setMember(operationID: context.operation.id, userID: user.id, role: role, actorID: context.current.user.id)
        Page.flash("members.saved", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)#members")
    }

    struct RemoveForm: Content { var userID: String? ; enum CodingKeys: String, CodingKey { case userID = "user_id" } }

    func removeMember(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        try context.requireManage()
        let form = try req.content.decode(RemoveForm.self)
        guard let id = form.userID.flatMap(UUID.init(uuidString:)) else { throw PageError(.badRequest, key: "error.bad_request") }
        try await OperationStore(req.db).removeMember(operationID: context.operation.id, userID: id, actorID: context.current.user.id)
        Page.flash("members.removed", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)#members")
    }
}
