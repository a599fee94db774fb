import Domain
import Foundation

/// An alert as a list or page shows it.
public struct AlertLine: Sendable {
    public let id: AlertID
    public let number: Int
    public let text: AlertText
    public let severity: AlertSeverity
    public let category: AlertCategory
    public let sentAt: Date
    /// The senders' figures; nil for a recipient.
    public let counts: AlertCounts?
    /// A recipient's own answer.
    public let ownAnswer: AlertAnswer?
    public init(
        id: AlertID, number: Int, text: AlertText, severity: AlertSeverity, category: AlertCategory, sentAt: Date,
        counts: AlertCounts?, ownAnswer: AlertAnswer?
    ) {
        self.id = id
        self.number = number
        self.text = text
        self.severity = severity
        self.category = category
        self.sentAt = sentAt
        self.counts = counts
        self.ownAnswer = ownAnswer
    }
}

extension HTML {
    /// The live figures of an alert: per channel sent, queued and failed; answers. Ids let the
    /// page's script update them (alerts.js).
    mutating func alertCounts(_ counts: AlertCounts, channels: [AlertChannel], _ t: Strings) {
        markup("<ul class=\"counts alert-counts\" aria-live=\"polite\">")
        func item(_ key: String, _ value: Int, _ label: String) {
            markup("<li")
            attribute("data-count", key)
            markup("><strong>")
            text(value)
            markup("</strong> ")
            text(label)
            markup("</li>")
        }
        item("recipients", counts.recipients, t("alert_recipients"))
        for channel in channels {
            for state in DeliveryState.allCases {
                item(
                    "\(channel.rawValue).\(state.rawValue)", counts.count(channel, state),
                    t(channel.labelKey) + " · " + t(state.labelKey))
            }
        }
        for answer in AlertAnswer.allCases {
            item(answer.rawValue, counts.answers[answer] ?? 0, t(answer.labelKey))
        }
        item("unanswered", counts.unanswered, t("alert_unanswered"))
        markup("</ul>")
    }

    mutating func severityTag(_ severity: AlertSeverity, _ t: Strings) {
        markup("<span")
        attribute("class", "tag severity-\(severity.rawValue)")
        markup(">")
        text(t(severity.labelKey))
        markup("</span>")
    }

    /// "I need help" answers waiting for the coordinator, each with its alert.
    mutating func helpAlarms(_ alarms: [HelpAlarm], code: String, csrf: String, _ t: Strings) {
        guard !alarms.isEmpty else { return }
        markup("<section class=\"alarm\" role=\"alert\"><h2>")
        text(t("alert_help_alarms"))
        markup("</h2><ul class=\"plain\">")
        for alarm in alarms {
            markup("<li><strong>")
            link(.person(.value(code), .value(alarm.personID)), alarm.name)
            markup("</strong> ")
            text(t("alert_answer.need_help"))
            markup(" · ")
            link(
                .alert(.value(code), .value(alarm.alertID)),
                t("alert_name").replacingOccurrences(of: "{n}", with: String(alarm.alertNumber)))
            markup(" <small>")
            text(t.isolatedMinute(alarm.answeredAt))
            markup("</small> <form method=\"post\" class=\"inline\" action=\"")
            url(.alertHelpHandled(.value(code), .value(alarm.alertID)))
            markup("\">")
            csrfField(csrf)
            markup("<input type=\"hidden\" name=\"recipient\"")
            attribute("value", alarm.recipientID.uuidString)
            markup("><button type=\"submit\" class=\"small\">")
            text(t("alert_help_handled"))
            markup("</button></form></li>")
        }
        markup("</ul></section>\n")
    }
}

/// The alerts: for those who keep the register, every alert with its figures and the calls for
/// help; for anyone else, the alerts they received and their answer.
public enum AlertsPage {
    public struct Model: Sendable {
        public let code: String
        public let canSend: Bool
        public let alerts: [AlertLine]
        public let alarms: [HelpAlarm]
        public let channelProblems: [String]
        public init(
            code: String, canSend: Bool, alerts: [AlertLine], alarms: [HelpAlarm], channelProblems: [String]
        ) {
            self.code = code
            self.canSend = canSend
            self.alerts = alerts
            self.alarms = alarms
            self.channelProblems = channelProblems
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [])
        html.markup("<h1>")
        html.text(t("alerts_title"))
        html.markup("</h1>\n")
        for problem in m.channelProblems {
            html.markup("<p class=\"error\" role=\"alert\">")
            html.text(problem)
            html.markup("</p>\n")
        }
        html.helpAlarms(m.alarms, code: m.code, csrf: page.csrf, t)
        if m.canSend {
            html.markup("<p>")
            html.link(.newAlert(code), t("alert_new"), "class=\"button primary\"")
            html.markup("</p>\n")
        }
        if m.alerts.isEmpty { html.paragraph(t("alerts_none")) }
        html.markup("<ul class=\"plain alerts\">")
        for alert in m.alerts {
            html.markup("<li>")
            html.severityTag(alert.severity, t)
            html.markup(" <strong>")
            html.link(
                .alert(code, .value(alert.id)),
                t("alert_name").replacingOccurrences(of: "{n}", with: String(alert.number)) + " · " + alert.text.title)
            html.markup("</strong> <small>")
            html.text(t(alert.category.labelKey) + " · ")
            html.text(t.isolatedMinute(alert.sentAt))
            html.markup("</small>")
            if let counts = alert.counts {
                html.markup("<br><small>")
                let sent = AlertChannel.allCases.map { counts.count($0, .sent) }.reduce(0, +)
                let failed = AlertChannel.allCases.map { counts.count($0, .failed) }.reduce(0, +)
                let queued = AlertChannel.allCases.map { counts.count($0, .queued) }.reduce(0, +)
                html.text(
                    "\(counts.recipients) \(t("alert_recipients")) · \(sent) \(t("delivery_state.sent")) · \(queued) \(t("delivery_state.queued")) · \(failed) \(t("delivery_state.failed")) · \(counts.answers[.safe] ?? 0) \(t("alert_answer.safe")) · \(counts.answers[.needHelp] ?? 0) \(t("alert_answer.need_help"))"
                )
                html.markup("</small>")
            } else {
                html.markup(" <span class=\"tag\">")
                html.text(alert.ownAnswer.map { t($0.labelKey) } ?? t("alert_unanswered"))
                html.markup("</span>")
            }
            html.markup("</li>")
        }
        html.markup("</ul>\n")
        return html
    }
}

/// The form of a new alert: its words in one or more of the four languages, severity and
/// category, who receives it (filters that narrow one another, people added by name), and how.
public enum AlertForm {
    public struct Model: Sendable {
        public let code: String
        public let input: AlertInput
        public let areas: [Choice]
        public let sites: [Choice]
        public let phases: [Choice]
        public let people: [Choice]
        public let errors: [String: String]
        public init(
            code: String, input: AlertInput, areas: [Choice], sites: [Choice], phases: [Choice], people: [Choice],
            errors: [String: String]
        ) {
            self.code = code
            self.input = input
            self.areas = areas
            self.sites = sites
            self.phases = phases
            self.people = people
            self.errors = errors
        }
    }

    public static let languageNames = ["en": "English", "fr": "Français", "es": "Español", "ar": "العربية"]

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), input = m.input
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("alerts_title"), .alerts(code))])
        html.markup("<h1>")
        html.text(t("alert_new"))
        html.markup("</h1>\n")
        html.formErrors(t, m.errors)
        html.markup("<form method=\"post\" class=\"stack\" action=\"")
        html.url(.alerts(code))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.fieldError(m.errors, "texts")
        for language in AlertText.languages {
            let given = input.texts.first { $0.language == language }
            // The labels speak the page's language; what is typed is in the fieldset's own (lang, dir).
            let dir = language == "ar" ? "rtl" : "ltr"
            html.markup("\n  <fieldset><legend")
            html.attribute("lang", language)
            html.markup(">")
            html.text(languageNames[language] ?? language)
            html.markup("</legend>\n  <label")
            html.attribute("for", "title_\(language)")
            html.markup(">")
            html.text(t("alert_title_field"))
            html.markup("</label>\n  <input maxlength=\"120\"")
            html.attribute("id", "title_\(language)")
            html.attribute("name", "title_\(language)")
            html.attribute("lang", language)
            html.attribute("dir", dir)
            html.attribute("value", given?.title ?? "")
            html.markup(">")
            html.fieldError(m.errors, "title_\(language)")
            html.markup("\n  <label")
            html.attribute("for", "body_\(language)")
            html.markup(">")
            html.text(t("alert_body_field"))
            html.markup("</label><textarea rows=\"4\" maxlength=\"1000\"")
            html.attribute("id", "body_\(language)")
            html.attribute("name", "body_\(language)")
            html.attribute("lang", language)
            html.attribute("dir", dir)
            html.markup(">")
            html.text(given?.body ?? "")
            html.markup("</textarea>")
            html.fieldError(m.errors, "body_\(language)")
            html.markup("</fieldset>")
        }
        html.select(
            "severity", label: t("alert_severity"),
            AlertSeverity.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == input.severity)
            }, blank: nil, errors: m.errors)
        html.select(
            "category", label: t("alert_category"),
            AlertCategory.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == input.category)
            }, blank: nil, errors: m.errors)

        html.markup("\n  <h2>")
        html.text(t("alert_audience"))
        html.markup("</h2><p><small>")
        html.text(t("alert_audience_help"))
        html.markup("</small></p>")
        html.fieldError(m.errors, "audience")
        html.markup("\n  <label class=\"check\"><input type=\"checkbox\" name=\"everyone\" value=\"yes\"")
        html.markup(input.everyone == "yes" ? " checked> " : "> ")
        html.text(t("alert_everyone"))
        html.markup("</label>")
        html.multiSelect("areas", label: t("alert_areas"), m.areas, errors: m.errors)
        html.multiSelect("sites", label: t("alert_sites"), m.sites, errors: m.errors)
        if !m.phases.isEmpty {
            html.checkboxGroup(legend: t("alert_phases"), name: "phases", m.phases)
            html.fieldError(m.errors, "phases")
        }
        html.checkboxGroup(
            legend: t("alert_roles"), name: "roles",
            Role.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: input.roles.contains($0.rawValue))
            })
        html.fieldError(m.errors, "roles")
        html.markup("\n  <fieldset class=\"row\"><legend>")
        html.text(t("alert_circle"))
        html.markup("</legend>")
        html.field(
            "latitude", label: t("field_latitude"), value: input.latitude, errors: m.errors,
            attributes: "inputmode=\"decimal\" dir=\"ltr\"")
        html.field(
            "longitude", label: t("field_longitude"), value: input.longitude, errors: m.errors,
            attributes: "inputmode=\"decimal\" dir=\"ltr\"")
        html.field(
            "radius_km", label: t("alert_radius_km"), value: input.radiusKm, errors: m.errors,
            attributes: "inputmode=\"decimal\" dir=\"ltr\"")
        html.markup("</fieldset>")
        html.multiSelect("people", label: t("alert_people"), m.people, errors: m.errors)
        html.checkboxGroup(
            legend: t("alert_channels"), name: "channels",
            AlertChannel.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: input.channels.contains($0.rawValue))
            })
        html.fieldError(m.errors, "channels")
        html.submitButton(t("alert_send"))
        return html
    }
}

extension HTML {
    /// A labelled select of several choices (`name[]`), with its error.
    mutating func multiSelect(_ name: String, label: String, _ choices: [Choice], errors: [String: String]) {
        guard !choices.isEmpty else { return }
        markup("\n  <label")
        attribute("for", name)
        markup(">")
        text(label)
        markup("</label>\n  <select multiple size=\"5\"")
        attribute("id", name)
        attribute("name", name + "[]")
        markup(">")
        options(choices)
        markup("</select>")
        fieldError(errors, name)
    }
}

/// One alert: its words, and for the senders the live figures, then every recipient with each
/// message's state and reason and their answer.
public enum AlertPage {
    public struct Recipient: Sendable {
        public let personID: PersonID?
        public let name: String
        public let answer: AlertAnswer?
        public let answeredAt: Date?
        public let deliveries:
            [(channel: AlertChannel, address: String, state: DeliveryState, reason: String, attempts: Int)]
        public init(
            personID: PersonID?, name: String, answer: AlertAnswer?, answeredAt: Date?,
            deliveries: [(channel: AlertChannel, address: String, state: DeliveryState, reason: String, attempts: Int)]
        ) {
            self.personID = personID
            self.name = name
            self.answer = answer
            self.answeredAt = answeredAt
            self.deliveries = deliveries
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let alert: AlertLine
        public let texts: [AlertText]
        public let channels: [AlertChannel]
        public let audience: [String]
        public let sender: String?
        public let recipients: [Recipient]
        public let alarms: [HelpAlarm]
        public init(
            code: String, alert: AlertLine, texts: [AlertText], channels: [AlertChannel], audience: [String],
            sender: String?, recipients: [Recipient], alarms: [HelpAlarm]
        ) {
            self.code = code
            self.alert = alert
            self.texts = texts
            self.channels = channels
            self.audience = audience
            self.sender = sender
            self.recipients = recipients
            self.alarms = alarms
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), alert = m.alert
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("alerts_title"), .alerts(code))])
        html.markup("<h1>")
        html.text(
            t("alert_name").replacingOccurrences(of: "{n}", with: String(alert.number)) + " · " + alert.text.title)
        html.markup("</h1>\n<p>")
        html.severityTag(alert.severity, t)
        html.markup(" ")
        html.text(t(alert.category.labelKey) + " · ")
        html.text(t.isolatedMinute(alert.sentAt))
        if let sender = m.sender {
            html.text(" · " + sender)
        }
        html.markup("</p>\n")
        // The reader's language first, then the others as written.
        for text in m.texts.sorted(by: { a, b in a.language == t.language && b.language != t.language }) {
            html.markup("<article class=\"alert-text\"")
            html.attribute("lang", text.language)
            html.attribute("dir", text.language == "ar" ? "rtl" : "ltr")
            html.markup("><h2>")
            html.text(text.title)
            html.markup("</h2>")
            if !text.body.isEmpty { html.paragraph(text.body) }
            html.markup("</article>\n")
        }
        if let counts = alert.counts {
            html.markup("<p><small>")
            html.text(t("alert_audience") + ": " + m.audience.joined(separator: " · "))
            html.markup("</small></p>\n<div id=\"alert-live\"")
            html.attribute("data-counts", SiteURL.alertCounts(code, .value(alert.id)).path)
            html.markup(">")
            html.alertCounts(counts, channels: m.channels, t)
            html.markup("</div>\n<script src=\"")
            html.url(.alertsScript)
            html.markup("\" defer></script>\n")
            html.helpAlarms(m.alarms, code: m.code, csrf: page.csrf, t)
            html.markup("<h2>")
            html.text(t("alert_recipients_title"))
            html.markup("</h2>\n<div class=\"scroll\"><table><thead><tr><th scope=\"col\">")
            html.text(t("field_name"))
            html.markup("</th>")
            for channel in m.channels {
                html.markup("<th scope=\"col\">")
                html.text(t(channel.labelKey))
                html.markup("</th>")
            }
            html.markup("<th scope=\"col\">")
            html.text(t("alert_answer"))
            html.markup("</th></tr></thead><tbody>")
            for r in m.recipients {
                html.markup("<tr><td>")
                if let id = r.personID { html.link(.person(code, .value(id)), r.name) } else { html.text(r.name) }
                html.markup("</td>")
                for channel in m.channels {
                    html.markup("<td>")
                    if let d = r.deliveries.first(where: { $0.channel == channel }) {
                        html.markup("<span")
                        html.attribute("class", "tag delivery-\(d.state.rawValue)")
                        html.markup(">")
                        html.text(t(d.state.labelKey))
                        html.markup("</span>")
                        if !d.address.isEmpty {
                            html.markup(" <small dir=\"ltr\">")
                            html.text(d.address)
                            html.markup("</small>")
                        }
                        if !d.reason.isEmpty {
                            html.markup("<br><small class=\"reason\">")
                            html.text(d.reason)
                            html.markup("</small>")
                        }
                    }
                    html.markup("</td>")
                }
                html.markup("<td>")
                if let answer = r.answer {
                    html.markup("<span")
                    html.attribute("class", "tag answer-\(answer.rawValue)")
                    html.markup(">")
                    html.text(t(answer.labelKey))
                    html.markup("</span>")
                    if let at = r.answeredAt {
                        html.markup(" <small>")
                        html.text(t.isolatedMinute(at))
                        html.markup("</small>")
                    }
                } else {
                    html.text("—")
                }
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div>\n")
        } else if let answer = alert.ownAnswer {
            html.markup("<p class=\"notice\">")
            html.text(t("alert_your_answer") + ": " + t(answer.labelKey))
            html.markup("</p>\n")
        }
        return html
    }
}

/// The page a one-time link opens, without signing in: the alert's words and two buttons. Opening
/// the link changes nothing (mail scanners open links); only pressing a button answers.
public enum AcknowledgePage {
    public enum State: Sendable, Equatable {
        case ask
        case recorded(AlertAnswer)
        case alreadyAnswered(AlertAnswer)
    }

    public struct Model: Sendable {
        public let token: String
        public let text: AlertText
        public let severity: AlertSeverity
        public let sentAt: Date
        public let state: State
        /// A CIMT call-out: one button, "I acknowledge".
        public var callOut = false
        public init(token: String, text: AlertText, severity: AlertSeverity, sentAt: Date, state: State) {
            self.token = token
            self.text = text
            self.severity = severity
            self.sentAt = sentAt
            self.state = state
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<article class=\"alert-text\"")
        html.attribute("lang", m.text.language)
        html.attribute("dir", m.text.language == "ar" ? "rtl" : "ltr")
        html.markup("><h1>")
        html.text(m.text.title)
        html.markup("</h1><p>")
        html.severityTag(m.severity, t)
        html.markup(" <small>")
        html.text(t.isolatedMinute(m.sentAt))
        html.markup("</small></p>")
        if !m.text.body.isEmpty { html.paragraph(m.text.body) }
        html.markup("</article>\n")
        switch m.state {
        case .ask:
            html.markup("<form method=\"post\" class=\"acknowledge\" action=\"")
            html.url(.acknowledge(.value(m.token)))
            html.markup("\">")
            html.csrfField(page.csrf)
            if m.callOut {
                html.markup("<button type=\"submit\" name=\"answer\" value=\"acknowledged\" class=\"primary\">")
                html.text(t("alert_answer.acknowledged"))
                html.markup("</button></form>\n")
            } else {
                html.markup("<button type=\"submit\" name=\"answer\" value=\"safe\" class=\"primary\">")
                html.text(t("alert_answer.safe"))
                html.markup("</button> <button type=\"submit\" name=\"answer\" value=\"need_help\" class=\"danger\">")
                html.text(t("alert_answer.need_help"))
                html.markup("</button></form>\n")
            }
        case .recorded(let answer):
            html.markup("<p class=\"notice\" role=\"status\">")
            html.text(t(answer == .needHelp ? "alert_ack_help_recorded" : "alert_ack_recorded"))
            html.markup("</p>\n")
        case .alreadyAnswered(let answer):
            html.markup("<p class=\"notice\" role=\"status\">")
            html.text(t("alert_ack_already").replacingOccurrences(of: "{answer}", with: t(answer.labelKey)))
            html.markup("</p>\n")
        }
        return html
    }
}
