import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// System administration: accounts, and the audit trail of an operation or a record.
struct AdminController {
    func requireAdmin(_ req: Request) throws -> CurrentUser {
        let current = try req.requireUser()
        guard current.user.isAdmin else { throw PageError(.forbidden, key: "error.forbidden") }
        return current
    }

    func users(_ req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        return try await renderUsers(req, error: nil, created: nil)
    }

    func renderUsers(_ req: Request, error: String?, created: String?, status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        let users = try await UserStore(req.db).list().items.map {
            UsersPage.Model.User(
                id: $0.id, email: $0.email, name: $0.displayName, isAdmin: $0.isAdmin, disabled: $0.isDisabled)
        }
        let model = UsersPage.Model(users: users, error: error, created: created)
        return Page.render(req, title: req.t("users.title"), status: status) { UsersPage.view(model, $0) }
    }

    struct CreateForm: Content {
        var email: String?; var name: String?; var password: String?; var isAdmin: String?
        enum CodingKeys: String, CodingKey { case email, name, password; case isAdmin = "is_admin" }
    }

    func createUser(_ req: Request) async throws -> Response {
        let current = try requireAdmin(req)
        let form = try req.content.decode(CreateForm.self)
        let email = form.email?.trimmingCharacters(in: .whitespaces) ?? ""
        let name = form.name?.trimmingCharacters(in: .whitespaces) ?? ""
        let password = form.password ?? ""
        if let problem = UserService.problem(email: email, name: name, password: password) {
            return try await renderUsers(req, error: problem.description, created: nil, status: .unprocessableEntity)
        }
        do {
            let hash = try await req.password.async.hash(password)
            try await UserStore(req.db).create(
                email: email, displayName: name, passwordHash: hash, isAdmin: form.isAdmin == "on",
                actorID: current.user.id, now: req.now)
        } catch let error as DomainError {
            return try await renderUsers(req, error: error.message, created: nil, status: .conflict)
        }
        return try await renderUsers(req, error: nil, created: email)
    }

    struct ToggleForm: Content { var disabled: String? }

    func setDisabled(_ req: Request) async throws -> Response {
        let current = try requireAdmin(req)
        guard let id = req.pathID(as: UserID.self) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        guard id != current.user.id else { throw PageError(.unprocessableEntity, key: "users.not_self") }
        let form = try req.content.decode(ToggleForm.self)
        try await UserStore(req.db).setDisabled(id, form.disabled == "1", actorID: current.user.id, now: req.now)
        return req.redirect(to: SiteURL.adminUsers.path)
    }

    // MARK: Audit

    typealias Change = AuditRow.Change

    /// The operation's audit trail, for the HeOps and administrators. Changes to records the
    /// reader may not see are listed without their values, the record's id or who made them.
    func operationAudit(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canReadAudit(of: context.operation.id, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let page = try req.paging(perPage: 50)
        let entries = try await AuditStore(req.db).entries(operationID: context.operation.id, page: page)
        var items: [AuditRow] = []
        var actors = ActorNames()
        var riskWording = RiskWording()
        var audiences = AudienceHistory()
        for entry in entries.items {
            let record = try await auditedRecord(
                entry, context, req, riskWording: &riskWording, audiences: &audiences)
            items.append(
                try await item(
                    entry, visible: record.visible, link: record.link, hideActor: record.hideActor, actors: &actors, req
                ))
        }
        let model = AuditPage.Model(
            code: context.operation.code, rows: items,
            paging: PagePosition(page: entries.page, pageCount: entries.pageCount, total: entries.total))
        return Page.render(req, title: req.t("audit.title")) { AuditPage.view(model, $0) }
    }

    /// Whether the reader may see the values of an audited record, where it lives, and whether its
    /// actor must stay hidden (an incident whose reporter asked not to be named). A kind without an
    /// audience is shown to those who may read such records (`AccessPolicy.canReadAuditedValues`);
    /// records with an audience only to those who may see them now; a record that is gone, or of a
    /// kind not known here, keeps its values hidden.
    func auditedRecord(
        _ entry: AuditEntry, _ context: OperationContext, _ req: Request, riskWording: inout RiskWording,
        audiences: inout AudienceHistory
    ) async throws -> (visible: Bool, link: SiteURL?, hideActor: Bool) {
        let code = Parameter.value(context.operation.code)
        if let readable = AccessPolicy.canReadAuditedValues(
            ofKind: entry.recordKind, in: context.operation.id, by: context.viewer)
        {
            return (readable, nil, false)
        }
        switch entry.recordKind {
        case "risk":
            guard let id = entry.recordID(as: RiskID.self), let scope = context.scope,
                let risk = try await RiskStore(req.db).find(id, in: scope)
            else { return (false, nil, false) }
            // As on the risk's own history: wording written while the risk was hidden from the
            // reader stays hidden, even now that it is visible.
            let readable = try await riskWording.readable(entry, risk: risk, scope: scope, req)
            return (readable, .risk(code, .value(id)), false)
        case "risk_report":
            guard let id = entry.recordID(as: RiskReportID.self),
                let scope = context.scope,
                try await RiskStore(req.db).report(id, in: scope) != nil
            else { return (false, nil, false) }
            return (true, .riskReport(code, .value(id)), false)
        case "site":
            guard let id = entry.recordID(as: SiteID.self), let scope = context.scope,
                try await SiteStore(req.db).find(id, in: scope) != nil
            else { return (false, nil, false) }
            return (true, .site(code, .value(id)), false)
        case "incident":
            guard let id = entry.recordID(as: IncidentID.self), let scope = context.scope,
                let incident = try await IncidentStore(req.db).find(id, in: scope)
            else { return (false, nil, false) }
            let hideActor = !AccessPolicy.canSeeReporter(
                of: incident.access, reporterID: incident.reporterID, hidden: incident.draft.reporterHidden,
                by: context.viewer)
            return (true, .incident(code, .value(id)), hideActor && entry.actorID == incident.reporterID?.uuidString)
        case "stakeholder":
            guard let id = entry.recordID(as: StakeholderID.self), let scope = context.scope,
                let record = try await StakeholderStore(req.db).find(id, in: scope)
            else { return (false, nil, false) }
            let readable = try await audiences.readable(entry, access: record.access, scope: scope, req)
            return (readable, .stakeholder(code, .value(id)), false)
        case "meeting":
            guard let id = entry.recordID(as: MeetingID.self), let scope = context.scope,
                let record = try await MeetingStore(req.db).find(id, in: scope)
            else { return (false, nil, false) }
            let readable = try await audiences.readable(entry, access: record.access, scope: scope, req)
            return (readable, .meeting(code, .value(id)), false)
        case "stakeholder_view":
            // Readable when the reader may read the registry's keepers' work and sees every entry named.
            guard AccessPolicy.canManageNetwork(in: context.operation.id, by: context.viewer), let scope = context.scope
            else { return (false, nil, false) }
            let named =
                ((try? JSONDecoder().decode([String: [String?]].self, from: Data(entry.changes.utf8)))?[
                    "stakeholders"]?.last ?? nil)?.split(separator: ",").compactMap {
                    UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)).map(StakeholderID.init(rawValue:))
                } ?? []
            let seen = try await StakeholderStore(req.db).find(named, in: scope)
            return (!named.isEmpty && seen.count == Set(named).count, nil, false)
        case "flow_observation":
            guard let id = entry.recordID(as: FlowObservationID.self), let scope = context.scope,
                try await FlowStore(req.db).observation(id, in: scope) != nil
            else { return (false, nil, false) }
            return (true, nil, false)
        default:
            return (false, nil, false)
        }
    }

    /// The history of one incident (its versions), for those who may read the audit trail and see it.
    func incidentAudit(_ req: Request) async throws -> Response {
        try await recordAudit(req, kind: "incident", id: IncidentID.self) { context, scope, id in
            guard let incident = try await IncidentStore(req.db).find(id, in: scope) else { return nil }
            let hideReporter = !AccessPolicy.canSeeReporter(
                of: incident.access, reporterID: incident.reporterID, hidden: incident.draft.reporterHidden,
                by: context.viewer)
            return (
                "\(incident.number) · \(incident.draft.title)", .incident(.value(context.operation.code), .value(id)),
                hideReporter ? incident.reporterID?.uuidString : nil
            )
        }
    }

    /// The audit trail of one risk, field by field, for those who may read it and see the risk.
    func riskAudit(_ req: Request) async throws -> Response {
        var createdBy: UserID?
        return try await recordAudit(
            req, kind: "risk", id: RiskID.self,
            find: { context, scope, id in
                let risk = try await RiskStore(req.db).find(id, in: scope)
                createdBy = risk?.createdBy
                return risk.map {
                    ("\($0.number) · \($0.draft.title)", .risk(.value(context.operation.code), .value(id)), nil)
                }
            },
            readable: { entries, scope in Self.readableUnderTheirAudience(entries, createdBy: createdBy, scope: scope) }
        )
    }

    /// Which of a risk's audit entries `scope` may read the values of: those written while the risk's
    /// audience let it see them (before and after each change). Widening a risk later does not show
    /// its earlier wording to the new readers. `entries` are newest first, as the page lists them.
    static func readableUnderTheirAudience(_ entries: [AuditEntry], createdBy: UserID?, scope: Scope) -> [Bool] {
        readableUnderTheirAudience(entries) {
            AccessPolicy.canReadRiskWording(writtenFor: $0, createdBy: createdBy, through: scope)
        }
    }

    /// Which entries a reader may read the values of, by the audience the record had before and
    /// after each change (`canRead`): a record widened later does not open what it said before.
    static func readableUnderTheirAudience(_ entries: [AuditEntry], canRead: (AudienceLevel) -> Bool) -> [Bool] {
        var current: AudienceLevel?
        var readable: [Bool] = []
        for entry in entries.reversed() {
            let change = (try? JSONDecoder().decode([String: [String?]].self, from: Data(entry.changes.utf8)))?[
                "audience"]
            let written = (change?.last ?? nil).flatMap(AudienceLevel.init(rawValue:))
            // A creation has no "before": what it wrote was written for its first audience.
            let before =
                current ?? change?.first.flatMap { $0 }.flatMap(AudienceLevel.init(rawValue:))
                ?? (entry.action == .create ? written : nil)
            let after = written ?? before
            current = after
            // Unknown (no audience seen yet): hidden, as a record of unknown kind is.
            readable.append(
                [before, after].allSatisfy { level in level.map(canRead) ?? false })
        }
        return readable.reversed()
    }

    /// The history of one site, for those who may read the audit trail and see the site.
    func siteAudit(_ req: Request) async throws -> Response {
        try await recordAudit(req, kind: "site", id: SiteID.self) { context, scope, id in
            try await SiteStore(req.db).find(id, in: scope).map {
                ($0.name, .site(.value(context.operation.code), .value(id)), nil)
            }
        }
    }

    /// One record's audit page. `find` returns the record's name, its page and an actor to
    /// keep unnamed, or nil when the reader may not see the record (then: not found).
    func recordAudit<Tag>(
        _ req: Request, kind: String, id idKind: Tagged<Tag, UUID>.Type,
        find: (OperationContext, Scope, Tagged<Tag, UUID>) async throws -> (
            name: String, page: SiteURL, hiddenActor: String?
        )?,
        readable: ([AuditEntry], Scope) -> [Bool] = { entries, _ in entries.map { _ in true } }
    ) async throws -> Response {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canReadAudit(of: context.operation.id, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let scope = try context.requireScope()
        guard let id = req.pathID(as: idKind), let record = try await find(context, scope, id)
        else { throw PageError(.notFound, key: "error.not_found") }
        var actors = ActorNames()
        var items: [AuditRow] = []
        let entries = try await AuditStore(req.db).entries(recordKind: kind, recordID: id.uuidString)
        for (entry, visible) in zip(entries, readable(entries, scope)) {
            let hideActor = record.hiddenActor != nil && entry.actorID == record.hiddenActor
            items.append(try await item(entry, visible: visible, link: nil, hideActor: hideActor, actors: &actors, req))
        }
        let model = RecordAuditPage.Model(
            code: context.operation.code, recordName: record.name, back: record.page, rows: items)
        return Page.render(req, title: req.t("audit.title")) { RecordAuditPage.view(model, $0) }
    }

    /// Which entries of a risk the reader may read the values of, worked out once per risk a page shows.
    struct RiskWording {
        var bySequence: [RiskID: [Int64: Bool]] = [:]

        mutating func readable(_ entry: AuditEntry, risk: RiskRecord, scope: Scope, _ req: Request) async throws -> Bool
        {
            if bySequence[risk.id] == nil {
                let all = try await AuditStore(req.db).entries(recordKind: "risk", recordID: risk.id.uuidString)
                let readable = AdminController.readableUnderTheirAudience(
                    all, createdBy: risk.createdBy, scope: scope)
                bySequence[risk.id] = Dictionary(zip(all.map(\.sequence), readable)) { first, _ in first }
            }
            return bySequence[risk.id]?[entry.sequence] ?? false
        }
    }

    /// Whether each audit entry of a registry entry or a meeting was written where the reader may
    /// read it: the record's rule (its author and the users it names) at each audience it had.
    struct AudienceHistory {
        var bySequence: [String: [Int64: Bool]] = [:]

        mutating func readable(_ entry: AuditEntry, access: RecordAccess, scope: Scope, _ req: Request) async throws
            -> Bool
        {
            let key = entry.recordKind + "/" + entry.recordID
            if bySequence[key] == nil {
                let all = try await AuditStore(req.db).entries(recordKind: entry.recordKind, recordID: entry.recordID)
                let readable = AdminController.readableUnderTheirAudience(all) { level in
                    scope.contains(
                        RecordAccess(
                            operationID: access.operationID, audience: level, createdBy: access.createdBy,
                            namedUserIDs: access.namedUserIDs, namedRoles: access.namedRoles))
                }
                bySequence[key] = Dictionary(zip(all.map(\.sequence), readable)) { first, _ in first }
            }
            return bySequence[key]?[entry.sequence] ?? false
        }
    }

    /// E-mails of actors, looked up once each.
    struct ActorNames {
        var known: [String: String] = [:]
        mutating func name(_ id: String?, _ req: Request) async throws -> String {
            guard let id else { return "system" }
            if let name = known[id] { return name }
            var name = id
            if let uuid = UUID(uuidString: id), let email = try await UserStore(req.db).find(id: UserID(uuid))?.email {
                name = email
            }
            known[id] = name
            return name
        }
    }

    func item(
        _ entry: AuditEntry, visible: Bool, link: SiteURL?, hideActor: Bool = false, actors: inout ActorNames,
        _ req: Request
    ) async throws -> AuditRow {
        let changes =
            visible
            ? Self.decodeChanges(entry.changes)
            : [Change(field: "—", before: req.t("audit.hidden"), after: req.t("audit.hidden"))]
        return AuditRow(
            sequence: entry.sequence, at: ISO8601DateFormatter().string(from: entry.occurredAt),
            // An entry about a record the reader may not see names neither the record nor who changed it.
            actor: hideActor
                ? req.t("incidents.reporter_hidden") : visible ? try await actors.name(entry.actorID, req) : "—",
            kind: entry.recordKind, record: visible ? entry.recordID : "—",
            action: req.t("audit.action.\(entry.action.rawValue)"), changes: changes, link: link)
    }

    static func decodeChanges(_ json: String) -> [Change] {
        guard let map = try? JSONDecoder().decode([String: [String?]].self, from: Data(json.utf8)) else { return [] }
        return map.keys.sorted().map { key in
            let pair = map[key] ?? []
            return Change(
                field: key, before: (pair.first ?? nil) ?? "∅", after: (pair.count > 1 ? pair[1] : nil) ?? "∅")
        }
    }
}
