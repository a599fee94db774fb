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
    func index(_ req: Request) async throws -> Response {
        try await render(req, error: nil)
    }

    func render(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let context = try await OperationContext.load(req)
        let operationID = context.operation.id
        guard AccessPolicy.canViewPhases(in: operationID, by: context.viewer) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        let canDetails = AccessPolicy.canViewPhaseDeclarations(in: operationID, by: context.viewer)
        let store = PhaseStore(req.db)
        let settings = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: context.operation.id)
        let inForce = try await store.inForce(in: context.operation.id)
        let names = try await req.areaShapes.names(for: context.operation, language: req.language, on: req.db)
        func areaName(_ pcode: String) -> String { names[pcode].map { "\($0) (\(pcode))" } ?? pcode }
        let areaFilter = ((try? req.query.get(String.self, at: "area")) ?? "").trimmingCharacters(in: .whitespaces)
            .uppercased()
        let canDeclare = AccessPolicy.canDeclarePhase(in: operationID, by: context.viewer)
        let canGrant = AccessPolicy.canManageOperation(operationID, by: context.viewer)

        var pending: [PhasesPage.Model.Pending]?
        var history: [PhasesPage.Model.Declared]?
        var holders: [PhasesPage.Model.Holder]?
        var members: [(id: UserID, name: String)] = []
        if canDetails {
            let waiting = try await store.pending(in: context.operation.id)
            let declarations = try await store.history(
                in: context.operation.id, areaPcode: areaFilter.isEmpty ? nil : areaFilter, limit: 50)
            let stored = try await OperationStore(req.db).members(of: context.operation.id)
            let granted = try await store.holders(in: context.operation.id)
            // Every name the page shows, read once before it is drawn.
            var userIDs = Set(declarations.compactMap(\.declaredBy))
            userIDs.formUnion(waiting.flatMap { $0.approvals.map(\.userID) })
            userIDs.formUnion(granted.map(\.userID))
            var users: [UserID: String] = [:]
            for id in userIDs { users[id] = try await UserStore(req.db).find(id: id)?.displayName }
            func name(_ id: UserID?) -> String { id.flatMap { users[$0] } ?? "—" }
            let held = try await store.authorities(
                of: context.current.user.id, role: context.role, in: context.operation.id)
            pending = waiting.map { d in
                .init(
                    id: d.id, number: d.number, area: areaName(d.areaPcode), from: d.from, to: d.to,
                    justification: d.justification,
                    indicators: d.indicators,
                    approvals: d.required.sorted { $0.rawValue < $1.rawValue }.map { authority in
                        let approval = d.approvals.first { $0.authority == authority }
                        return .init(
                            authority: authority,
                            given: approval.map { (by: name($0.userID), at: req.strings.minute($0.at)) },
                            canGive: approval == nil && held.contains(authority))
                    },
                    notify: d.notify.sorted { $0.rawValue < $1.rawValue }.map {
                        (recipient: $0, at: d.notified[$0].map(req.strings.minute))
                    })
            }
            history = declarations.map {
                .init(
                    number: $0.number, area: areaName($0.areaPcode), from: $0.from, to: $0.to,
                    status: $0.status.rawValue,
                    at: req.strings.minute($0.declaredAt), by: name($0.declaredBy), justification: $0.justification)
            }
            let heops = stored.first { $0.role == Role.headOfOperations.rawValue }
            var list = granted.map {
                PhasesPage.Model.Holder(
                    authority: $0.authority, userID: $0.userID, name: name($0.userID), explicit: true)
            }
            if let heops, !granted.contains(where: { $0.authority == .seniorManager }) {
                list.insert(
                    .init(authority: .seniorManager, userID: heops.userId, name: heops.displayName, explicit: false),
                    at: 0)
            }
            holders = list
            members = stored.map { (id: $0.userId, name: $0.displayName) }
        }
        let model = PhasesPage.Model(
            code: context.operation.code, settings: settings,
            map: try await Self.map(context, settings: settings, inForce: inForce, req: req),
            inForce: inForce.sorted {
                (settings.rules.rank($0.value.to) ?? 0, $1.key) > (settings.rules.rank($1.value.to) ?? 0, $0.key)
            }.map {
                .init(
                    pcode: $0.key, area: areaName($0.key), phase: $0.value.to,
                    since: $0.value.inForceAt.map(req.strings.minute) ?? "")
            },
            pending: pending, history: history, holders: holders, members: members, areaFilter: areaFilter,
            canDeclare: canDeclare,
            canGrant: canGrant,
            canEditSettings: AccessPolicy.canEditSecuritySettings(in: context.operation.id, by: context.viewer),
            error: error)
        return Page.render(req, title: req.t("phases.title"), status: status) { PhasesPage.view(model, $0) }
    }

    /// The phase map: every area at the deepest level that has a declaration, coloured by the phase
    /// in force there or in the nearest area holding it. Pending declarations do not colour it.
    static func map(
        _ context: OperationContext, settings: PhaseSettings, inForce: [String: PhaseDeclarationRecord], req: Request
    ) async throws -> SVG? {
        let (shapes, _) = try await req.areaShapes.shapes(for: context.operation, on: req.db)
        guard !shapes.isEmpty else { return nil }
        let hierarchy = AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) })
        let declaredLevels = inForce.keys.compactMap { hierarchy.level(of: $0) }
        let level = max(declaredLevels.max() ?? 1, min(1, hierarchy.levels.max() ?? 0))
        var legend: [MapCategoryStyle] = []
        for phase in settings.rules.phases {
            legend.append(
                MapCategoryStyle(
                    category: "phase-\(phase)", label: req.strings.phase(phase), shape: .square,
                    fill: settings.definition(phase)?.colour ?? "#cccccc"))
        }
        let areas = shapes.filter { $0.row.level == level || $0.row.level == 0 }.map { shape -> MapArea in
            let phase = hierarchy.nearest(shape.row.pcode, in: inForce)?.to
            let name = shape.row.name(in: req.language)
            var area = MapArea(
                id: shape.row.pcode, name: phase.map { "\(name): \(req.strings.phase($0))" } ?? name,
                level: shape.row.level, geometry: shape.geometry)
            if shape.row.level == level, let phase { area.fill = settings.definition(phase)?.colour }
            return area
        }
        return SVGMapRenderer.render(
            MapRequest(
                areas: areas, extraLegend: legend, title: req.t("phases.map") + " · " + context.operation.name,
                width: 720,
                legendTitle: req.t("phases.title"), rightToLeft: Catalog.rightToLeft.contains(req.language),
                ariaLabel: req.t("phases.map")))
    }

    // MARK: Writes

    struct DeclareForm: Content {
        var areaPcode: String?; var phase: String?; var justification: String?; var indicators: [String]?;
        var otherIndicators: String?
        enum CodingKeys: String, CodingKey {
            case phase, justification, indicators
            case areaPcode = "area_pcode", otherIndicators = "other_indicators"
        }
    }

    func declare(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canDeclarePhase(in: context.operation.id, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let form = try req.content.decode(DeclareForm.self)
        let settings = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: context.operation.id)
        let store = PhaseStore(req.db)
        let indicators =
            (form.indicators ?? []) + (form.otherIndicators ?? "").split(whereSeparator: \.isNewline).map(String.init)
        do {
            let record = try await store.declare(
                areaPcode: form.areaPcode ?? "", phase: form.phase ?? "", justification: form.justification ?? "",
                indicators: indicators,
                rules: settings.rules, declarer: context.current.user.id,
                declarerAuthorities: try await store.authorities(
                    of: context.current.user.id, role: context.role, in: context.operation.id),
                in: context.operation.id, now: req.now)
            Page.flash(record.status == .inForce ? "phases.in_force_flash" : "phases.pending_flash", on: req)
            return req.redirect(
                to: SiteURL.phases(.value(context.operation.code)).path + "#declaration-\(record.number)")
        } catch let errors as ValidationErrors {
            return try await render(
                req, error: errors.messages(in: req).values.sorted().joined(separator: " "),
                status: .unprocessableEntity)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await render(req, error: req.message(error), status: error.httpStatus)
        }
    }

    struct ApproveForm: Content { var authority: String? }

    func approve(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canViewPhaseDeclarations(in: context.operation.id, by: context.viewer),
            let id = req.pathID(as: PhaseDeclarationID.self)
        else { throw PageError(.notFound, key: "error.not_found") }
        let form = try req.content.decode(ApproveForm.self)
        guard let authority = PhaseAuthority(rawValue: form.authority ?? "") else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        let store = PhaseStore(req.db)
        do {
            let record = try await store.approve(
                id, by: context.current.user.id,
                holding: try await store.authorities(
                    of: context.current.user.id, role: context.role, in: context.operation.id),
                as: authority, in: context.operation.id, now: req.now)
            Page.flash(record.status == .inForce ? "phases.in_force_flash" : "phases.approved_flash", on: req)
            return req.redirect(to: SiteURL.phases(.value(context.operation.code)).path)
        } catch let error as DomainError where error.kind != .notFound {
            return try await render(req, error: req.message(error), status: error.httpStatus)
        }
    }

    func withdraw(_ req: Request) async throws -> Response {
        let context = try await requireDeclarer(req)
        guard let id = req.pathID(as: PhaseDeclarationID.self) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        try await PhaseStore(req.db).withdraw(
            id, actorID: context.current.user.id, in: context.operation.id, now: req.now)
        Page.flash("phases.withdrawn_flash", on: req)
        return req.redirect(to: SiteURL.phases(.value(context.operation.code)).path)
    }

    struct NotifiedForm: Content { var recipient: String? }

    func notified(_ req: Request) async throws -> Response {
        let context = try await requireDeclarer(req)
        guard let id = req.pathID(as: PhaseDeclarationID.self) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        guard let recipient = PhaseRecipient(rawValue: try req.content.decode(NotifiedForm.self).recipient ?? "") else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        try await PhaseStore(req.db).markNotified(
            id, recipient, actorID: context.current.user.id, in: context.operation.id, now: req.now)
        return req.redirect(to: SiteURL.phases(.value(context.operation.code)).path)
    }

    struct AuthorityForm: Content { var user: String?; var authority: String? }

    func grant(_ req: Request) async throws -> Response {
        let (context, user, authority) = try await authorityChange(req)
        do {
            try await PhaseStore(req.db).grant(
                authority, to: user, in: context.operation.id, actorID: context.current.user.id, now: req.now)
        } catch let error as DomainError where error.kind == .invalid {
            return try await render(req, error: req.message(error), status: error.httpStatus)
        }
        return req.redirect(to: SiteURL.phases(.value(context.operation.code)).path + "#authorities")
    }

    func revoke(_ req: Request) async throws -> Response {
        let (context, user, authority) = try await authorityChange(req)
        try await PhaseStore(req.db).revoke(
            authority, from: user, in: context.operation.id, actorID: context.current.user.id, now: req.now)
        return req.redirect(to: SiteURL.phases(.value(context.operation.code)).path + "#authorities")
    }

    func authorityChange(_ req: Request) async throws -> (OperationContext, UserID, PhaseAuthority) {
        let context = try await OperationContext.load(req)
        try context.requireManage()
        let form = try req.content.decode(AuthorityForm.self)
        guard let user = form.user.flatMap(UUID.init(uuidString:)).map(UserID.init(rawValue:)),
            let authority = PhaseAuthority(rawValue: form.authority ?? "")
        else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        return (context, user, authority)
    }

    func requireDeclarer(_ req: Request) async throws -> OperationContext {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canDeclarePhase(in: context.operation.id, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return context
    }
}
