import Domain
import Foundation
import Persistence
import Vapor

extension APIDTO {
    struct AlertTextDTO: Content {
        let language: String; let title: String; let body: String?
    }
    /// An alert as sent: the same fields as the form; arrays may be left out.
    struct AlertRequest: Content {
        let texts: [AlertTextDTO]; let severity: String; let category: String; let areas: [String]?
        let sites: [String]?; let phases: [String]?; let roles: [String]?; let people: [String]?; let everyone: Bool?
        let latitude: Double?; let longitude: Double?; let radiusKm: Double?; let channels: [String]

        var input: AlertInput {
            var input = AlertInput()
            input.texts = texts.map { .init(language: $0.language, title: $0.title, body: $0.body ?? "") }
            input.severity = severity
            input.category = category
            input.areas = areas ?? []
            input.sites = sites ?? []
            input.phases = phases ?? []
            input.roles = roles ?? []
            input.people = people ?? []
            input.everyone = everyone == true ? "yes" : ""
            input.latitude = latitude.map { String($0) } ?? ""
            input.longitude = longitude.map { String($0) } ?? ""
            input.radiusKm = radiusKm.map { String($0) } ?? ""
            input.channels = channels
            return input
        }
    }
    struct AlertCountsDTO: Content {
        let recipients: Int; let queued: Int; let sent: Int; let failed: Int; let safe: Int; let needHelp: Int
        let unanswered: Int
        init(_ c: AlertCounts) {
            recipients = c.recipients
            queued = AlertChannel.allCases.map { c.count($0, .queued) }.reduce(0, +)
            sent = AlertChannel.allCases.map { c.count($0, .sent) }.reduce(0, +)
            failed = AlertChannel.allCases.map { c.count($0, .failed) }.reduce(0, +)
            safe = c.answers[.safe] ?? 0
            needHelp = c.answers[.needHelp] ?? 0
            unanswered = c.unanswered
        }
    }
    struct AlertDeliveryDTO: Content {
        let channel: String; let state: String; let reason: String; let attempts: Int; let sentAt: Date?
    }
    struct AlertRecipientDTO: Content {
        let personId: PersonID?; let fullName: String; let language: String; let answer: String?
        let answeredAt: Date?; let deliveries: [AlertDeliveryDTO]
    }
    /// An alert; `counts` and `recipients` for those who keep the register, `own_answer` for a recipient.
    struct Alert: Content {
        let id: AlertID; let number: Int; let texts: [AlertTextDTO]; let severity: String; let category: String
        let channels: [String]; let createdAt: Date; let counts: AlertCountsDTO?
        let recipients: [AlertRecipientDTO]?; let ownAnswer: String?
        init(_ a: AlertRecord, counts: AlertCounts?, recipients: [AlertRecipientRecord]?, own: AlertAnswer?) {
            id = a.id; number = a.number; severity = a.draft.severity.rawValue; category = a.draft.category.rawValue
            texts = a.draft.texts.map { .init(language: $0.language, title: $0.title, body: $0.body) }
            channels = AlertChannel.allCases.filter(a.draft.channels.contains).map(\.rawValue)
            createdAt = a.createdAt; self.counts = counts.map(AlertCountsDTO.init); ownAnswer = own?.rawValue
            self.recipients = recipients?.map { r in
                AlertRecipientDTO(
                    personId: r.personID, fullName: r.name, language: r.language, answer: r.answer?.rawValue,
                    answeredAt: r.answeredAt,
                    deliveries: r.deliveries.map {
                        .init(
                            channel: $0.channel.rawValue, state: $0.state.rawValue, reason: $0.reason,
                            attempts: $0.attempts, sentAt: $0.sentAt)
                    })
            }
        }
    }
    struct AlertList: Content { let items: [Alert]; let total: Int }
}

/// Alerts over the API (issue 17): send one (those who keep the register), list them, and read one
/// with each message's state. A recipient reads the alerts they received and their own answer.
struct AlertAPI {
    func list(_ req: Request) async throws -> APIDTO.AlertList {
        let p = try await PeopleAPI().context(req)
        let store = AlertStore(req.db)
        let alerts = try await store.list(in: p.scope)
        let counts = try await store.counts(of: alerts.map(\.id), in: p.scope)
        var items: [APIDTO.Alert] = []
        for alert in alerts {
            let own = p.keeps ? nil : try await store.ownRecipient(of: alert.id, userID: p.context.viewer.userID)?.1
            items.append(APIDTO.Alert(alert, counts: counts[alert.id], recipients: nil, own: own))
        }
        return APIDTO.AlertList(items: items, total: items.count)
    }

    func create(_ req: Request) async throws -> Response {
        let p = try await PeopleAPI().context(req, keepers: true)
        let body = try req.apiBody(APIDTO.AlertRequest.self)
        let alert = try await AlertService.send(body.input, p, on: req)
        let store = AlertStore(req.db)
        return try await APIDTO.Alert(
            alert, counts: try await store.counts(of: [alert.id], in: p.scope)[alert.id], recipients: nil, own: nil
        ).encodeResponse(status: .created, for: req)
    }

    func show(_ req: Request) async throws -> APIDTO.Alert {
        let p = try await PeopleAPI().context(req)
        let store = AlertStore(req.db)
        guard let id = req.pathID(as: AlertID.self), let alert = try await store.find(id, in: p.scope) else {
            throw APIError(.notFound, code: "not_found", "No such alert.")
        }
        if p.keeps {
            let recipients = try await store.recipients(of: alert.id, in: p.scope)
            try await PersonStore(req.db).recordView(
                of: recipients.compactMap(\.personID), what: "api_alert", scope: p.scope, now: req.now)
            return APIDTO.Alert(
                alert, counts: try await store.counts(of: [alert.id], in: p.scope)[alert.id], recipients: recipients,
                own: nil)
        }
        let own = try await store.ownRecipient(of: alert.id, userID: p.context.viewer.userID)?.1
        return APIDTO.Alert(alert, counts: nil, recipients: nil, own: own)
    }
}
