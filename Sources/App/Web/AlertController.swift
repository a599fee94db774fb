import Domain
import Foundation
import Persistence
import Vapor
import Views

/// Alerts (issue 17): the list, the form, and one alert with its live figures, for those who keep
/// the register; a member who received an alert reads it and their own answer.
struct AlertController {
    func index(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: false)
        let store = AlertStore(req.db)
        let alerts = try await store.list(in: p.scope)
        let counts = try await store.counts(of: alerts.map(\.id), in: p.scope)
        var lines: [AlertLine] = []
        for alert in alerts {
            let own = p.keeps ? nil : try await store.ownRecipient(of: alert.id, userID: p.context.viewer.userID)
            lines.append(line(alert, counts: counts[alert.id], own: own?.1, req))
        }
        let model = AlertsPage.Model(
            code: p.operation.code, canSend: AccessPolicy.canSendAlerts(through: p.scope), alerts: lines,
            alarms: try await AlertService.alarms(req, p),
            channelProblems: try await AlertService.channelProblems(
                req, operationID: p.operation.id, viewer: p.context.viewer))
        return Page.render(req, title: req.t("alerts_title")) { AlertsPage.view(model, $0) }
    }

    func new(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        var input = AlertInput()
        input.severity = AlertSeverity.moderate.rawValue
        input.category = AlertCategory.security.rawValue
        input.channels = [AlertChannel.email.rawValue]
        return try await renderForm(req, p, input: input, errors: [:])
    }

    struct Submitted: Content {
        var title_en: String?; var body_en: String?; var title_fr: String?; var body_fr: String?
        var title_es: String?; var body_es: String?; var title_ar: String?; var body_ar: String?
        var severity: String?; var category: String?; var areas: [String]?; var sites: [String]?
        var phases: [String]?; var roles: [String]?; var people: [String]?; var everyone: String?; var latitude: String?
        var longitude: String?; var radius_km: String?; var channels: [String]?

        var input: AlertInput {
            var input = AlertInput()
            input.texts = [
                .init(language: "en", title: title_en ?? "", body: body_en ?? ""),
                .init(language: "fr", title: title_fr ?? "", body: body_fr ?? ""),
                .init(language: "es", title: title_es ?? "", body: body_es ?? ""),
                .init(language: "ar", title: title_ar ?? "", body: body_ar ?? ""),
            ]
            input.severity = severity ?? ""
            input.category = category ?? ""
            input.areas = areas ?? []
            input.sites = sites ?? []
            input.phases = phases ?? []
            input.roles = roles ?? []
            input.people = people ?? []
            input.everyone = everyone ?? ""
            input.latitude = latitude ?? ""
            input.longitude = longitude ?? ""
            input.radiusKm = radius_km ?? ""
            input.channels = channels ?? []
            return input
        }
    }

    func create(_ req: Request) async throws -> Response {
        let p = try await PersonnelContext.load(req, keepers: true)
        let input = try req.content.decode(Submitted.self).input
        do {
            let alert = try await AlertService.send(input, p, on: req)
            return req.redirect(to: SiteURL.alert(.value(p.operation.code), .value(alert.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, p, input: input, errors: errors.messages(in: req), status: .unprocessableEntity)
        } catch let error as DomainError where error.kind == .invalid {
            var errors = ValidationErrors()
            errors.add(error.field ?? "audience", key: error.messageKey, error.message)
            return try await renderForm(
                req, p, input: input, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    func show(_ req: Request) async throws -> Response {
        let (p, alert) = try await Self.load(req)
        let store = AlertStore(req.db)
        let counts = try await store.counts(of: [alert.id], in: p.scope)[alert.id]
        let own = p.keeps ? nil : try await store.ownRecipient(of: alert.id, userID: p.context.viewer.userID)
        var recipients: [AlertPage.Recipient] = []
        var audience: [String] = []
        var sender: String?
        if AccessPolicy.canSeeAlertRecipients(through: p.scope) {
            let rows = try await store.recipients(of: alert.id, in: p.scope)
            try await PersonStore(req.db).recordView(
                of: rows.compactMap(\.personID), what: "alert", scope: p.scope, now: req.now)
            recipients = rows.map { r in
                AlertPage.Recipient(
                    personID: r.personID, name: r.name, answer: r.answer, answeredAt: r.answeredAt,
                    deliveries: r.deliveries.map { ($0.channel, $0.address, $0.state, $0.reason, $0.attempts) })
            }
            let places = try await PersonnelPlaces.load(req, p)
            let names = Dictionary(
                rows.compactMap { r in r.personID.map { ($0, r.name) } }, uniquingKeysWith: { a, _ in a })
            audience = AlertService.describe(alert.draft.audience, places: places, names: names, req.strings)
            let members = try await OperationStore(req.db).members(of: p.operation.id)
            sender = alert.createdBy.flatMap { id in members.first { $0.userId == id }?.displayName }
        }
        let model = AlertPage.Model(
            code: p.operation.code, alert: line(alert, counts: counts, own: own?.1, req),
            texts: alert.draft.texts, channels: AlertChannel.allCases.filter(alert.draft.channels.contains),
            audience: audience, sender: sender, recipients: recipients,
            alarms: try await AlertService.alarms(req, p).filter { $0.alertID == alert.id })
        return Page.render(req, title: alert.draft.text(in: req.language).title) { AlertPage.view(model, $0) }
    }

    /// The figures as the page's script reads them, keyed as the page's `data-count`s.
    func counts(_ req: Request) async throws -> Response {
        let (p, alert) = try await Self.load(req)
        guard AccessPolicy.canSeeAlertRecipients(through: p.scope) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        let counts = try await AlertStore(req.db).counts(of: [alert.id], in: p.scope)[alert.id] ?? AlertCounts()
        var figures = ["recipients": counts.recipients, "unanswered": counts.unanswered]
        for channel in AlertChannel.allCases {
            for state in DeliveryState.allCases {
                figures["\(channel.rawValue).\(state.rawValue)"] = counts.count(channel, state)
            }
        }
        for answer in AlertAnswer.allCases { figures[answer.rawValue] = counts.answers[answer] ?? 0 }
        let response = try await figures.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    struct HelpForm: Content { var recipient: String? }

    func helpHandled(_ req: Request) async throws -> Response {
        let (p, alert) = try await Self.load(req)
        guard let id = try req.content.decode(HelpForm.self).recipient.flatMap(UUID.init(uuidString:)) else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        do {
            try await AlertStore(req.db).handleAlarm(
                AlertRecipientID(id), in: alert.id, scope: p.scope, now: req.now)
        } catch let error as DomainError where error.kind == .notFound {
            throw PageError(.notFound, key: "error.not_found")
        }
        return req.redirect(to: SiteURL.alert(.value(p.operation.code), .value(alert.id)).path)
    }

    private func renderForm(
        _ req: Request, _ p: PersonnelContext, input: AlertInput, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let places = try await PersonnelPlaces.load(req, p)
        let phases = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: p.operation.id)
        let people = try await PersonStore(req.db).all(in: p.scope).filter { $0.isPresent(at: req.now) }
        let model = AlertForm.Model(
            code: p.operation.code, input: input,
            areas: places.areaChoices().map {
                Choice(value: $0.value, label: $0.label, selected: input.areas.contains($0.value))
            },
            sites: places.sites.map {
                Choice(value: $0.id.uuidString, label: $0.name, selected: input.sites.contains($0.id.uuidString))
            },
            phases: phases.rules.phases.map {
                Choice(value: $0, label: req.t("phase.\($0)", or: $0), selected: input.phases.contains($0))
            },
            people: people.map {
                Choice(
                    value: $0.id.uuidString, label: $0.draft.fullName, selected: input.people.contains($0.id.uuidString)
                )
            }, errors: errors)
        return Page.render(req, title: req.t("alert_new"), status: status) { AlertForm.view(model, $0) }
    }

    private func line(_ alert: AlertRecord, counts: AlertCounts?, own: AlertAnswer?, _ req: Request) -> AlertLine {
        AlertLine(
            id: alert.id, number: alert.number, text: alert.draft.text(in: req.language),
            severity: alert.draft.severity,
            category: alert.draft.category, sentAt: alert.createdAt, counts: counts, ownAnswer: own)
    }

    static func load(_ req: Request) async throws -> (PersonnelContext, AlertRecord) {
        let p = try await PersonnelContext.load(req, keepers: false)
        guard let id = req.pathID(as: AlertID.self), let alert = try await AlertStore(req.db).find(id, in: p.scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return (p, alert)
    }
}

/// The one-time links (no sign-in): opening shows the alert and two buttons; pressing one answers,
/// once. A forged or altered link is "not found", as any unknown page.
struct AcknowledgeController {
    func show(_ req: Request) async throws -> Response {
        let (token, recipient) = try await Self.recipient(req)
        return try await render(req, token: token, recipient: recipient, state: nil)
    }

    struct AnswerForm: Content { var answer: String? }

    func answer(_ req: Request) async throws -> Response {
        let (token, recipient) = try await Self.recipient(req)
        guard let answer = try req.content.decode(AnswerForm.self).answer.flatMap(AlertAnswer.init(rawValue:)) else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        guard let outcome = try await AlertStore(req.db).answer(recipient, answer, now: req.now) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        let state: AcknowledgePage.State =
            switch outcome {
            case .recorded(let a): .recorded(a)
            case .alreadyAnswered(let a): .alreadyAnswered(a)
            }
        return try await render(req, token: token, recipient: recipient, state: state)
    }

    private func render(
        _ req: Request, token: String, recipient: AlertRecipientID, state: AcknowledgePage.State?
    ) async throws -> Response {
        guard let view = try await AlertStore(req.db).acknowledgement(recipient) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        // Opened from a message, the page speaks the language the message was written in, unless the
        // visitor chose one (`?lang=`, the language cookie, their account).
        let chose =
            req.currentUser != nil || req.query[String.self, at: "lang"] != nil
            || req.cookies[WebUserLoader.languageCookie] != nil
        if !chose, Catalog.languages.contains(view.text.language) { req.language = view.text.language }
        // And the operation's clock, as the message said it.
        if let operation = try await OperationStore(req.db).find(id: view.operationID) {
            req.storage[OperationClockKey.self] = operation.time
        }
        var model = AcknowledgePage.Model(
            token: token, text: view.text, severity: view.severity, sentAt: view.sentAt,
            state: state ?? view.answer.map { .alreadyAnswered($0) } ?? .ask)
        model.callOut = view.purpose == .cimt
        let page = model
        return Page.render(req, title: view.text.title) { AcknowledgePage.view(page, $0) }
    }

    static func recipient(_ req: Request) async throws -> (String, AlertRecipientID) {
        let token = req.parameters.get("token") ?? ""
        let key = try await req.application.acknowledgementKey(req.db)
        guard let id = AcknowledgementLink.recipient(from: token, key: key) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        return (token, id)
    }
}
