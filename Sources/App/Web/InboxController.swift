import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// The untriaged inbox (issue 21): messages from SMS and WhatsApp gateways, read and triaged by
/// those who keep the register (`AccessPolicy.canTriageInbox`), one at a time, into an incident
/// draft, a movement check-in, a location, or the archive with a reason; answered where the
/// gateway can carry a reply.
struct InboxController {
    static func load(_ req: Request) async throws -> PersonnelContext {
        let p = try await PersonnelContext.load(req, keepers: false)
        guard AccessPolicy.canTriageInbox(through: p.scope) else { throw PageError(.forbidden, key: "error.forbidden") }
        return p
    }

    func index(_ req: Request) async throws -> Response {
        try await render(req, try await Self.load(req), errors: [:], newSecret: nil)
    }

    func render(
        _ req: Request, _ p: PersonnelContext, errors: [String: String], newSecret: String?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let store = InboxStore(req.db)
        let names = try await Self.personNames(req, p)
        func line(_ m: InboxStore.Message) -> InboxPage.Line {
            InboxPage.Line(
                id: m.id, sender: m.message.sender, who: m.personID.flatMap { names[$0] } ?? m.message.senderName,
                known: m.personID != nil, text: m.message.text, receivedAt: m.receivedAt,
                state: m.state.rawValue)
        }
        let base = req.application.bearingConfig.publicURL
        let model = InboxPage.Model(
            code: p.operation.code,
            untriaged: try await store.inbox(in: p.operation.id, untriaged: true).map(line),
            triaged: try await store.inbox(in: p.operation.id, untriaged: false, limit: 50).map(line),
            gateways: try await store.gateways(in: p.operation.id).map {
                InboxPage.Gateway(
                    name: $0.name, kind: $0.kind.rawValue, webhook: base + SiteURL.webhook(.value($0.id)).path)
            },
            canManageGateways: AccessPolicy.canManageGateways(in: p.operation.id, by: p.context.viewer),
            errors: errors, newSecret: newSecret)
        return Page.render(req, title: req.t("inbox_title"), status: status) { InboxPage.view(model, $0) }
    }

    static func personNames(_ req: Request, _ p: PersonnelContext) async throws -> [PersonID: String] {
        Dictionary(
            try await PersonStore(req.db).all(in: p.scope).map { ($0.id, $0.draft.fullName) },
            uniquingKeysWith: { a, _ in a }
        )
    }

    struct GatewayForm: Content { var name: String?; var kind: String?; var secret: String? }

    /// Adds a gateway; the secret (given, for Twilio's auth token or Meta's app secret, or made here)
    /// is shown once, to be given to the gateway.
    func addGateway(_ req: Request) async throws -> Response {
        let p = try await Self.load(req)
        guard AccessPolicy.canManageGateways(in: p.operation.id, by: p.context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let form = try req.content.decode(GatewayForm.self)
        var errors: [String: String] = [:]
        let name = (form.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 100 { errors["name"] = req.t("inbox_gateway_name_required") }
        let kind = GatewayKind(rawValue: form.kind ?? "")
        if kind == nil { errors["kind"] = req.t("error.bad_request") }
        var secret = (form.secret ?? "").trimmingCharacters(in: .whitespaces)
        if secret.isEmpty, let kind, kind != .twilio, kind != .whatsapp { secret = Hex.random(byteCount: 24) }
        if secret.count < 8 || secret.count > 200 { errors["secret"] = req.t("inbox_gateway_token_required") }
        guard errors.isEmpty, let kind else {
            return try await render(req, p, errors: errors, newSecret: nil, status: .unprocessableEntity)
        }
        _ = try await InboxStore(req.db).createGateway(
            kind: kind, name: name, secret: secret, in: p.operation.id, actorID: p.context.viewer.userID, now: req.now)
        return try await render(req, p, errors: [:], newSecret: secret)
    }

    static func message(_ req: Request, _ p: PersonnelContext) async throws -> InboxStore.Message {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let message = try await InboxStore(req.db).find(id, in: p.operation.id)
        else { throw PageError(.notFound, key: "error.not_found") }
        return message
    }

    func show(_ req: Request) async throws -> Response {
        let p = try await Self.load(req)
        return try await renderMessage(req, p, try await Self.message(req, p), errors: [:])
    }

    func renderMessage(
        _ req: Request, _ p: PersonnelContext, _ m: InboxStore.Message, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let store = InboxStore(req.db)
        var person: PersonRecord?
        if let personID = m.personID { person = try await PersonStore(req.db).find(personID, in: p.scope) }
        var users: [UserID: String] = [:]
        func name(_ id: UserID?) async throws -> String {
            guard let id else { return "" }
            if let known = users[id] { return known }
            let found = try await UserStore(req.db).find(id: id)?.displayName ?? ""
            users[id] = found
            return found
        }
        var replies: [InboxMessagePage.Reply] = []
        for reply in try await store.replies(to: m.id) {
            replies.append(
                .init(
                    text: reply.text, by: try await name(reply.sentBy), at: reply.createdAt, status: reply.status,
                    error: reply.error))
        }
        let model = InboxMessagePage.Model(
            code: p.operation.code, id: m.id, message: m.message, gateway: m.gatewayName, receivedAt: m.receivedAt,
            state: m.state.rawValue, outcome: m.outcome, triagedBy: try await name(m.triagedBy), triagedAt: m.triagedAt,
            person: person.map { ($0.draft.fullName, $0.id) }, keyword: CheckInKeyword.parse(m.message.text),
            canReply: Self.canReply(m, req), replies: replies, errors: errors)
        return Page.render(req, title: req.t("inbox_message_title"), status: status) {
            InboxMessagePage.view(model, $0)
        }
    }

    /// Replies go out through the operation's SMS gateway (the alerts' own) to a phone number; a
    /// WhatsApp or Telegram sender is answered in that app.
    static func canReply(_ m: InboxStore.Message, _ req: Request) -> Bool {
        req.application.bearingConfig.gateway != nil && m.gatewayKind != .whatsapp && m.gatewayKind != .telegram
            && PhoneMatch.digits(m.message.sender).count >= 7
    }

    struct TriageForm: Content {
        var action: String?; var reason: String?; var kind: String?; var movement: String?; var waypoint: String?
    }

    func triage(_ req: Request) async throws -> Response {
        let p = try await Self.load(req)
        let m = try await Self.message(req, p)
        guard m.state == .untriaged else { throw PageError(.conflict, key: "inbox_already_triaged") }
        let form = try req.content.decode(TriageForm.self)
        let (id, operationID, actor, now) = (m.id, p.operation.id, p.context.viewer.userID, req.now)
        let back = SiteURL.inboxMessage(.value(p.operation.code), .value(m.id)).path
        func refused(_ field: String, _ key: String, _ fallback: String) async throws -> Response {
            try await renderMessage(req, p, m, errors: [field: req.t(key, or: fallback)], status: .unprocessableEntity)
        }
        switch form.action {
        case "archive":
            let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else { return try await refused("reason", "inbox_reason_required", "Give a reason.") }
            _ = try await InboxStore(req.db).triage(
                id, in: operationID, as: .archived, outcome: String(reason.prefix(300)), by: actor, now: now)
        case "check_in":
            guard let kind = CheckInKind(rawValue: form.kind ?? "") else {
                return try await refused("kind", "error.bad_request", "Choose a check-in.")
            }
            guard let number = WholeNumber.parse(form.movement ?? ""), number > 0 else {
                return try await refused("movement", "inbox_movement_required", "Give the movement's number.")
            }
            var waypoint: Int?
            if kind == .waypoint {
                guard let point = WholeNumber.parse(form.waypoint ?? ""), point > 0 else {
                    return try await refused("waypoint", "inbox_waypoint_required", "Give the route's point.")
                }
                waypoint = point
            }
            guard let movement = try await MovementStore(req.db).find(number: number, in: p.scope) else {
                return try await refused(
                    "movement", "inbox_no_movement", "No movement \(number) in this operation.")
            }
            let keyword = CheckInKeyword.parse(m.message.text)
            let note = String(
                (req.t("inbox_check_in_note").replacingOccurrences(of: "{sender}", with: m.message.sender) + " "
                    + (keyword?.note ?? "")).trimmingCharacters(in: .whitespaces).prefix(300))
            let (scope, lat, lon, madeAt) = (p.scope, m.message.latitude, m.message.longitude, m.message.sentAt)
            let point = waypoint
            let path = SiteURL.movement(.value(p.operation.code), .value(movement.id)).path
            do {
                try await req.db.writing { db in
                    _ = try await MovementStore(db).checkIn(
                        kind, waypoint: point, latitude: lat, longitude: lon, areaPcode: nil, note: note,
                        source: .message, of: movement.id, scope: scope, now: now,
                        madeAt: madeAt.map { min($0, now) })
                    guard
                        try await InboxStore(db).triage(
                            id, in: operationID, as: .checkIn, outcome: path, by: actor, now: now)
                    else { throw PageError(.conflict, key: "inbox_already_triaged") }
                }
            } catch let error as DomainError where error.kind == .conflict || error.kind == .invalid {
                return try await refused(
                    error.field == "waypoint" ? "waypoint" : "movement", error.messageKey, error.message)
            }
        case "location":
            guard let personID = m.personID, let lat = m.message.latitude, let lon = m.message.longitude else {
                return try await refused(
                    "location", "inbox_location_needs", "The message has no position, or no person.")
            }
            let given = PersonnelLocations.Given(
                place: .point(latitude: lat, longitude: lon, precisionMeters: nil),
                note: req.t("inbox_check_in_note").replacingOccurrences(of: "{sender}", with: m.message.sender),
                area: try await MapService(request: req).resolveArea(
                    operation: p.operation, latitude: lat, longitude: lon))
            let (scope, at) = (p.scope, m.message.sentAt.map { min($0, now) } ?? now)
            let path = SiteURL.person(.value(p.operation.code), .value(personID)).path
            try await req.db.writing { db in
                try await PersonnelLocations.store(
                    given, of: personID, source: .radioRoom, scope: scope, db: db, now: now, at: at)
                guard
                    try await InboxStore(db).triage(
                        id, in: operationID, as: .location, outcome: path, by: actor, now: now)
                else { throw PageError(.conflict, key: "inbox_already_triaged") }
            }
        default:
            throw PageError(.badRequest, key: "error.bad_request")
        }
        return req.redirect(to: back)
    }

    struct ReplyForm: Content { var text: String? }

    func reply(_ req: Request) async throws -> Response {
        let p = try await Self.load(req)
        let m = try await Self.message(req, p)
        guard Self.canReply(m, req), let settings = req.application.bearingConfig.gateway else {
            throw PageError(.conflict, key: "inbox_no_reply")
        }
        let text = (try req.content.decode(ReplyForm.self).text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 480 else {
            return try await renderMessage(
                req, p, m, errors: ["text": req.t("inbox_reply_length")], status: .unprocessableEntity)
        }
        let id = UUID()
        var status = "sent"
        var problem: String?
        do {
            try await GatewayClient(settings: settings, client: req.client).send(
                .init(
                    id: id.uuidString, to: m.message.sender, text: text, language: req.language, alert: nil,
                    replyTo: m.message.externalID), now: req.now)
        } catch let failure as GatewayClient.Failure {
            (status, problem) = ("failed", failure.description)
        }
        try await InboxStore(req.db).addReply(
            text, to: m.id, by: p.context.viewer.userID, status: status, error: problem, id: id, now: req.now)
        return req.redirect(to: SiteURL.inboxMessage(.value(p.operation.code), .value(m.id)).path)
    }
}
