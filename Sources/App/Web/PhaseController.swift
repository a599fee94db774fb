import Domain
import Foundation
import Geo
import Persistence
import Vapor
import Views

/// Security phases per area: the phase map, the phase in force per area, declarations waiting for
/// approval (never shown as in force), the approval chain, the requirements of each phase, the
/// history per area, and who holds which approving authority.
struct PhaseController {
    struct PhasesContext: Encodable {
        let code: String; let map: String; let areas: HTMLFragment; let hasAreas: Bool; let pending: HTMLFragment; let hasPending: Bool
        let history: HTMLFragment; let hasHistory: Bool; let phases: HTMLFragment; let canDetails: Bool; let canDeclare: Bool
        let canGrant: Bool; let phaseOptions: HTMLFragment; let indicatorOptions: HTMLFragment; let holders: HTMLFragment
        let memberOptions: HTMLFragment; let authorityOptions: HTMLFragment; let areaFilter: String; let error: String?
    }

    func index(_ req: Request) async throws -> Response {
        try await render(req, error: nil)
    }

    func render(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let context = try await OperationContext.load(req)
        let operationID = context.operation.id.uuidString
        guard AccessPolicy.canViewPhases(in: operationID, by: context.viewer) else { throw PageError(.notFound, key: "error.not_found") }
        let canDetails = AccessPolicy.canViewPhaseDeclarations(in: operationID, by: context.viewer)
        let store = PhaseStore(req.db)
        let settings = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: context.operation.id)
        let inForce = try await store.inForce(in: context.operation.id)
        let names = try await AreaShapeCache.shared.names(for: context.operation, language: req.language, on: req.db)
        let code = context.operation.code
        let rtl = Catalog.rightToLeft.contains(req.language)
        func areaName(_ pcode: String) -> String { names[pcode].map { "\($0) (\(pcode))" } ?? pcode }

        var areas = HTMLFragment()
        for (pcode, declaration) in inForce.sorted(by: { (settings.rules.rank($0.value.to) ?? 0, $1.key) > (settings.rules.rank($1.value.to) ?? 0, $0.key) }) {
            areas.markup("<tr><td>")
            areas.text(areaName(pcode))
            areas.markup("</td><td>")
            Self.phaseTag(declaration.to, settings, req, into: &areas)
            areas.markup("</td><td dir=\"ltr\" class=\"nowrap\">")
            areas.text(declaration.inForceAt.map(DateText.minute) ?? "")
            areas.markup("</td><td><a href=\"?area=")
            areas.text(pcode)
            areas.markup("#history\">")
            areas.text(req.t("phases.history"))
            areas.markup("</a></td></tr>")
        }

        var pending = HTMLFragment()
        var history = HTMLFragment()
        let areaFilter = ((try? req.query.get(String.self, at: "area")) ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        var users: [UUID: String] = [:]
        func userName(_ id: UUID?) async throws -> String {
            guard let id else { return "—" }
            if let name = users[id] { return name }
            let name = try await UserStore(req.db).find(id: id)?.displayName ?? "—"
            users[id] = name
            return name
        }
        let held = try await store.authorities(of: context.current.user.id, role: context.role, in: context.operation.id)
        let canDeclare = AccessPolicy.canDeclarePhase(in: operationID, by: context.viewer)
        if canDetails {
            for declaration in try await store.pending(in: context.operation.id) {
                try await Self.declarationItem(declaration, settings: settings, areaName: areaName(declaration.areaPcode), code: code,
                                               held: held, canDeclare: canDeclare, userName: userName, req: req, into: &pending)
            }
            let declarations = try await store.history(in: context.operation.id, areaPcode: areaFilter.isEmpty ? nil : areaFilter, limit: 50)
            for declaration in declarations {
                history.markup("<tr><td dir=\"ltr\">")
                history.text(declaration.number)
                history.markup("</td><td>")
                history.text(areaName(declaration.areaPcode))
                history.markup("</td><td>")
                if let from = declaration.from {
                    Self.phaseTag(from, settings, req, into: &history)
                    history.markup(rtl ? " ← " : " → ")
                }
                Self.phaseTag(declaration.to, settings, req, into: &history)
                history.markup("</td><td>")
                history.text(req.t("phase_status.\(declaration.status.rawValue)"))
                history.markup("</td><td dir=\"ltr\" class=\"nowrap\">")
                history.text(DateText.minute(declaration.declaredAt))
                history.markup("</td><td>")
                history.text(try await userName(declaration.declaredBy))
                history.markup("</td><td class=\"notes\">")
                history.text(declaration.justification)
                history.markup("</td></tr>")
            }
        }

        var phases = HTMLFragment()
        for phase in settings.rules.phases {
            let definition = settings.definition(phase)
            phases.markup("<section class=\"phase\" id=\"phase-")
            phases.text(phase)
            phases.markup("\"><h3>")
            Self.phaseTag(phase, settings, req, into: &phases)
            phases.markup("</h3><p>")
            phases.text(definition?.description ?? "")  // data an administrator edits, in the words they chose
            phases.markup("</p><p><strong>")
            phases.text(req.t("phases.approved_by"))
            phases.markup("</strong> ")
            phases.text((settings.rules.rules[phase]?.approvals ?? []).map { req.t($0.labelKey) }.sorted().joined(separator: ", "))
            if let notify = settings.rules.rules[phase]?.notify, !notify.isEmpty {
                phases.markup(" · <strong>")
                phases.text(req.t("phases.notify"))
                phases.markup("</strong> ")
                phases.text(notify.map { req.t("phase_recipient.\($0.rawValue)") }.sorted().joined(separator: ", "))
            }
            phases.markup("</p>")
            Self.headedList(req.t("phases.requirements"), definition?.requirements ?? [], into: &phases)
            Self.headedList(req.t("phases.indicators"), definition?.indicators ?? [], into: &phases)
            phases.markup("</section>")
        }

        var phaseOptions = HTMLFragment()
        phaseOptions.options(settings.rules.phases.map { ($0, Self.phaseLabel($0, req), false) })
        var indicatorOptions = HTMLFragment()
        for definition in settings.catalogue where !definition.indicators.isEmpty {
            indicatorOptions.markup("<fieldset class=\"indicators\"><legend>")
            indicatorOptions.text(Self.phaseLabel(definition.key, req))
            indicatorOptions.markup("</legend>")
            for indicator in definition.indicators {
                indicatorOptions.markup("<label class=\"check\"><input type=\"checkbox\" name=\"indicators[]\" value=\"")
                indicatorOptions.text(indicator)
                indicatorOptions.markup("\"> ")
                indicatorOptions.text(indicator)
                indicatorOptions.markup("</label>")
            }
            indicatorOptions.markup("</fieldset>")
        }

        let canGrant = AccessPolicy.canManageOperation(operationID, by: context.viewer)
        var holders = HTMLFragment()
        var memberOptions = HTMLFragment()
        var authorityOptions = HTMLFragment()
        if canDetails {
            let members = try await OperationStore(req.db).members(of: context.operation.id)
            let heops = members.first { $0.role == Role.headOfOperations.rawValue }
            let granted = try await store.holders(in: context.operation.id)
            var rows: [(PhaseAuthority, UUID, Bool)] = granted.map { ($0.authority, $0.userID, true) }
            if let heops, !granted.contains(where: { $0.authority == .seniorManager }) { rows.insert((.seniorManager, heops.userId, false), at: 0) }
            for (authority, user, explicit) in rows {
                holders.markup("<li>")
                holders.text(req.t(authority.labelKey))
                holders.markup(": ")
                holders.text(try await userName(user))
                if !explicit {
                    holders.markup(" <small>")
                    holders.text(req.t("phases.heops_default"))
                    holders.markup("</small>")
                }
                if explicit && canGrant {
                    holders.markup(" <form method=\"post\" class=\"inline\" action=\"/operations/")
                    holders.text(code)
                    holders.markup("/phases/authorities/revoke\"><input type=\"hidden\" name=\"_csrf\" value=\"")
                    holders.text(CSRFMiddleware.token(for: req))
                    holders.markup("\"><input type=\"hidden\" name=\"user\" value=\"")
                    holders.text(user.uuidString)
                    holders.markup("\"><input type=\"hidden\" name=\"authority\" value=\"")
                    holders.text(authority.rawValue)
                    holders.markup("\"><button type=\"submit\">")
                    holders.text(req.t("phases.revoke"))
                    holders.markup("</button></form>")
                }
                holders.markup("</li>")
            }
            memberOptions.options(members.map { ($0.userId.uuidString, $0.displayName, false) })
            authorityOptions.options(PhaseAuthority.allCases.map { ($0.rawValue, req.t($0.labelKey), false) })
        }

        let map = try await Self.map(context, settings: settings, inForce: inForce, req: req)
        return try await Page.render("phases", PhasesContext(
            code: code, map: map, areas: areas, hasAreas: !inForce.isEmpty, pending: pending, hasPending: !pending.description.isEmpty,
            history: history, hasHistory: !history.description.isEmpty, phases: phases, canDetails: canDetails, canDeclare: canDeclare,
            canGrant: canGrant, phaseOptions: phaseOptions, indicatorOptions: indicatorOptions, holders: holders,
            memberOptions: memberOptions, authorityOptions: authorityOptions, areaFilter: areaFilter, error: error),
            title: req.t("phases.title"), for: req, status: status)
    }

    /// A heading and a list of texts; nothing when the list is empty.
    static func headedList(_ heading: String, _ items: [String], into out: inout HTMLFragment) {
        guard !items.isEmpty else { return }
        out.markup("<h4>")
        out.text(heading)
        out.markup("</h4><ul>")
        for item in items {
            out.markup("<li>")
            out.text(item)
            out.markup("</li>")
        }
        out.markup("</ul>")
    }

    /// One declaration waiting for approval: what, why, the approvals given and missing, who is
    /// told, and the buttons the viewer may use.
    static func declarationItem(
        _ d: PhaseDeclarationRecord, settings: PhaseSettings, areaName: String, code: String, held: Set<PhaseAuthority>, canDeclare: Bool,
        userName: (UUID?) async throws -> String, req: Request, into out: inout HTMLFragment
    ) async throws {
        let csrf = CSRFMiddleware.token(for: req)
        out.markup("<li class=\"pending\" id=\"declaration-")
        out.text(d.number)
        out.markup("\"><strong>")
        out.text(req.t("phases.pending_tag"))
        out.markup("</strong> · ")
        out.text(areaName)
        out.markup(": ")
        if let from = d.from {
            phaseTag(from, settings, req, into: &out)
            out.markup(Catalog.rightToLeft.contains(req.language) ? " ← " : " → ")
        }
        phaseTag(d.to, settings, req, into: &out)
        out.markup("<p class=\"notes\" dir=\"auto\">")
        out.text(d.justification)
        out.markup("</p>")
        if !d.indicators.isEmpty {
            out.markup("<ul class=\"indicators\" dir=\"auto\">")
            for indicator in d.indicators {
                out.markup("<li>")
                out.text(indicator)
                out.markup("</li>")
            }
            out.markup("</ul>")
        }
        out.markup("<ul class=\"approvals\">")
        for authority in d.required.sorted(by: { $0.rawValue < $1.rawValue }) {
            if let approval = d.approvals.first(where: { $0.authority == authority }) {
                out.markup("<li class=\"given\">✓ ")
                out.text(req.t(authority.labelKey))
                out.markup(": ")
                out.text(try await userName(approval.userID))
                out.markup(" <span dir=\"ltr\">")
                out.text(DateText.minute(approval.at))
                out.markup("</span></li>")
            } else {
                out.markup("<li class=\"missing\">… ")
                out.text(req.t(authority.labelKey))
                if held.contains(authority) {
                    out.markup(" <form method=\"post\" class=\"inline\" action=\"/operations/")
                    out.text(code)
                    out.markup("/phases/")
                    out.text(d.id.uuidString)
                    out.markup("/approve\"><input type=\"hidden\" name=\"_csrf\" value=\"")
                    out.text(csrf)
                    out.markup("\"><input type=\"hidden\" name=\"authority\" value=\"")
                    out.text(authority.rawValue)
                    out.markup("\"><button type=\"submit\" class=\"primary\">")
                    out.text(req.t("phases.approve_as").replacingOccurrences(of: "{authority}", with: req.t(authority.labelKey)))
                    out.markup("</button></form>")
                }
                out.markup("</li>")
            }
        }
        out.markup("</ul>")
        notifications(d, code: code, canDeclare: canDeclare, csrf: csrf, req: req, into: &out)
        if canDeclare {
            out.markup("<form method=\"post\" class=\"inline\" action=\"/operations/")
            out.text(code)
            out.markup("/phases/")
            out.text(d.id.uuidString)
            out.markup("/withdraw\"><input type=\"hidden\" name=\"_csrf\" value=\"")
            out.text(csrf)
            out.markup("\"><button type=\"submit\">")
            out.text(req.t("phases.withdraw"))
            out.markup("</button></form>")
        }
        out.markup("</li>")
    }

    /// Who must be told, and when they were.
    static func notifications(_ d: PhaseDeclarationRecord, code: String, canDeclare: Bool, csrf: String, req: Request, into out: inout HTMLFragment) {
        guard !d.notify.isEmpty else { return }
        out.markup("<p class=\"notify\">")
        out.text(req.t("phases.notify"))
        for recipient in d.notify.sorted(by: { $0.rawValue < $1.rawValue }) {
            out.markup(" ")
            out.text(req.t("phase_recipient.\(recipient.rawValue)"))
            if let at = d.notified[recipient] {
                out.markup(" ✓ <span dir=\"ltr\">")
                out.text(DateText.minute(at))
                out.markup("</span>")
            } else if canDeclare {
                out.markup(" <form method=\"post\" class=\"inline\" action=\"/operations/")
                out.text(code)
                out.markup("/phases/")
                out.text(d.id.uuidString)
                out.markup("/notified\"><input type=\"hidden\" name=\"_csrf\" value=\"")
                out.text(csrf)
                out.markup("\"><input type=\"hidden\" name=\"recipient\" value=\"")
                out.text(recipient.rawValue)
                out.markup("\"><button type=\"submit\">")
                out.text(req.t("phases.mark_notified"))
                out.markup("</button></form>")
            } else {
                out.markup(" …")
            }
        }
        out.markup("</p>")
    }

    static func phaseLabel(_ phase: String, _ req: Request) -> String { req.t("phase.\(phase)", or: phase) }

    /// The phase's name with a swatch of its colour. An SVG fill, not a style attribute: the
    /// Content-Security-Policy allows no inline styles, and the colours are data.
    static func phaseTag(_ phase: String, _ settings: PhaseSettings, _ req: Request, into out: inout HTMLFragment) {
        out.markup("<span class=\"phase-tag phase-")
        out.text(phase)
        out.markup("\"><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" stroke=\"#0006\" fill=\"")
        // The colour was checked as #rrggbb when the settings were saved.
        out.text(settings.definition(phase)?.colour ?? "#cccccc")
        out.markup("\"/></svg> ")
        out.text(phaseLabel(phase, req))
        out.markup("</span>")
    }

    /// The phase map: every area at the deepest level that has a declaration, coloured by the phase
    /// in force there or in the nearest area holding it. Pending declarations do not colour it.
    static func map(_ context: OperationContext, settings: PhaseSettings, inForce: [String: PhaseDeclarationRecord], req: Request) async throws -> String {
        let (shapes, _) = try await AreaShapeCache.shared.shapes(for: context.operation, on: req.db)
        guard !shapes.isEmpty else { return "" }
        let hierarchy = AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) })
        let declaredLevels = inForce.keys.compactMap { hierarchy.level(of: $0) }
        let level = max(declaredLevels.max() ?? 1, min(1, hierarchy.levels.max() ?? 0))
        var legend: [MapCategoryStyle] = []
        for phase in settings.rules.phases {
            legend.append(MapCategoryStyle(category: "phase-\(phase)", label: phaseLabel(phase, req), shape: .square,
                                           fill: settings.definition(phase)?.colour ?? "#cccccc"))
        }
        let areas = shapes.filter { $0.row.level == level || $0.row.level == 0 }.map { shape -> MapArea in
            let phase = hierarchy.lineage(of: shape.row.pcode).lazy.compactMap { inForce[$0]?.to }.first
            let name = shape.row.name(in: req.language)
            var area = MapArea(id: shape.row.pcode, name: phase.map { "\(name): \(phaseLabel($0, req))" } ?? name,
                               level: shape.row.level, geometry: shape.geometry)
            if shape.row.level == level, let phase { area.fill = settings.definition(phase)?.colour }
            return area
        }
        return SVGMapRenderer.render(MapRequest(
            areas: areas, extraLegend: legend, title: req.t("phases.map") + " · " + context.operation.name, width: 720,
            legendTitle: req.t("phases.title"), rightToLeft: Catalog.rightToLeft.contains(req.language), ariaLabel: req.t("phases.map"))).markup
    }

    // MARK: Writes

    struct DeclareForm: Content {
        var areaPcode: String?; var phase: String?; var justification: String?; var indicators: [String]?; var otherIndicators: String?
        enum CodingKeys: String, CodingKey {
            case phase, justification, indicators
            case areaPcode = "area_pcode", otherIndicators = "other_indicators"
        }
    }

    func declare(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canDeclarePhase(in: context.operation.id.uuidString, by: context.viewer) else { throw PageError(.forbidden, key: "error.forbidden") }
        let form = try req.content.decode(DeclareForm.self)
        let settings = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: context.operation.id)
        let store = PhaseStore(req.db)
        let indicators = (form.indicators ?? []) + (form.otherIndicators ?? "").split(whereSeparator: \.isNewline).map(String.init)
        do {
            let record = try await store.declare(
                areaPcode: form.areaPcode ?? "", phase: form.phase ?? "", justification: form.justification ?? "", indicators: indicators,
                rules: settings.rules, declarer: context.current.user.id,
                declarerAuthorities: try await store.authorities(of: context.current.user.id, role: context.role, in: context.operation.id),
                in: context.operation.id)
            Page.flash(record.status == .inForce ? "phases.in_force_flash" : "phases.pending_flash", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/phases#declaration-\(record.number)")
        } catch let errors as ValidationErrors {
            return try await render(req, error: errors.messages(in: req).values.sorted().joined(separator: " "), status: .unprocessableEntity)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(req, error: req.message(error), status: error.httpStatus)
        }
    }

    struct ApproveForm: Content { var authority: String? }

    func approve(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canViewPhaseDeclarations(in: context.operation.id.uuidString, by: context.viewer),
              let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageError(.notFound, key: "error.not_found") }
        let form = try req.content.decode(ApproveForm.self)
        guard let authority = PhaseAuthority(rawValue: form.authority ?? "") else { throw PageError(.badRequest, key: "error.bad_request") }
        let store = PhaseStore(req.db)
        do {
            let record = try await store.approve(
                id, by: context.current.user.id,
                holding: try await store.authorities(of: context.current.user.id, role: context.role, in: context.operation.id),
                as: authority, in: context.operation.id)
            Page.flash(record.status == .inForce ? "phases.in_force_flash" : "phases.approved_flash", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/phases")
        } catch let error as DomainError where error.kind != .notFound {
            return try await render(req, error: req.message(error), status: error.httpStatus)
        }
    }

    func withdraw(_ req: Request) async throws -> Response {
        let context = try await requireDeclarer(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageError(.notFound, key: "error.not_found") }
        try await PhaseStore(req.db).withdraw(id, actorID: context.current.user.id, in: context.operation.id)
        Page.flash("phases.withdrawn_flash", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)/phases")
    }

    struct NotifiedForm: Content { var recipient: String? }

    func notified(_ req: Request) async throws -> Response {
        let context = try await requireDeclarer(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageError(.notFound, key: "error.not_found") }
        guard let recipient = PhaseRecipient(rawValue: try req.content.decode(NotifiedForm.self).recipient ?? "") else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        try await PhaseStore(req.db).markNotified(id, recipient, actorID: context.current.user.id, in: context.operation.id)
        return req.redirect(to: "/operations/\(context.operation.code)/phases")
    }

    struct AuthorityForm: Content { var user: String?; var authority: String? }

    func grant(_ req: Request) async throws -> Response {
        let (context, user, authority) = try await authorityChange(req)
        do {
            try await PhaseStore(req.db).grant(authority, to: user, in: context.operation.id, actorID: context.current.user.id)
        } catch let error as DomainError where error.kind == .invalid {
            return try await render(req, error: req.message(error), status: error.httpStatus)
        }
        return req.redirect(to: "/operations/\(context.operation.code)/phases#authorities")
    }

    func revoke(_ req: Request) async throws -> Response {
        let (context, user, authority) = try await authorityChange(req)
        try await PhaseStore(req.db).revoke(authority, from: user, in: context.operation.id, actorID: context.current.user.id)
        return req.redirect(to: "/operations/\(context.operation.code)/phases#authorities")
    }

    func authorityChange(_ req: Request) async throws -> (OperationContext, UUID, PhaseAuthority) {
        let context = try await OperationContext.load(req)
        try context.requireManage()
        let form = try req.content.decode(AuthorityForm.self)
        guard let user = form.user.flatMap(UUID.init(uuidString:)), let authority = PhaseAuthority(rawValue: form.authority ?? "") else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        return (context, user, authority)
    }

    func requireDeclarer(_ req: Request) async throws -> OperationContext {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canDeclarePhase(in: context.operation.id.uuidString, by: context.viewer) else { throw PageError(.forbidden, key: "error.forbidden") }
        return context
    }
}
