import Domain
import Foundation

/// The untriaged inbox of messages from SMS and WhatsApp gateways (issue 21): nothing a message
/// says becomes a record until someone here decides what it is.
public enum InboxPage {
    public struct Line: Sendable {
        public let id: UUID
        public let sender: String
        /// The register's name for the sender, or the name the gateway gave.
        public let who: String?
        public let known: Bool
        public let text: String
        public let receivedAt: Date
        public let state: String
        public init(
            id: UUID, sender: String, who: String?, known: Bool, text: String, receivedAt: Date, state: String
        ) {
            self.id = id
            self.sender = sender
            self.who = who
            self.known = known
            self.text = text
            self.receivedAt = receivedAt
            self.state = state
        }
    }

    public struct Gateway: Sendable {
        public let name: String
        public let kind: String
        public let webhook: String
        public init(name: String, kind: String, webhook: String) {
            self.name = name
            self.kind = kind
            self.webhook = webhook
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let untriaged: [Line]
        public let triaged: [Line]
        public let gateways: [Gateway]
        public let canManageGateways: Bool
        public let errors: [String: String]
        /// Shown once, right after a gateway was added: the secret to give the gateway.
        public let newSecret: String?
        public init(
            code: String, untriaged: [Line], triaged: [Line], gateways: [Gateway], canManageGateways: Bool,
            errors: [String: String] = [:], newSecret: String? = nil
        ) {
            self.code = code
            self.untriaged = untriaged
            self.triaged = triaged
            self.gateways = gateways
            self.canManageGateways = canManageGateways
            self.errors = errors
            self.newSecret = newSecret
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        let code = SiteURL.Code.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("inbox_title"))
        html.markup("</h1>\n")
        html.paragraph(t("inbox_intro"))
        html.markup("<section id=\"untriaged\"><h2>")
        html.text(t("inbox_untriaged").replacingOccurrences(of: "{n}", with: String(m.untriaged.count)))
        html.markup("</h2>\n")
        lines(&html, m.untriaged, code, t, empty: "inbox_none")
        html.markup("</section>\n<section id=\"triaged\"><h2>")
        html.text(t("inbox_triaged"))
        html.markup("</h2>\n")
        lines(&html, m.triaged, code, t, empty: "inbox_none_triaged")
        html.markup("</section>\n<section id=\"gateways\"><h2>")
        html.text(t("inbox_gateways"))
        html.markup("</h2>\n")
        if let secret = m.newSecret {
            html.markup("<div class=\"saved\" role=\"status\"><p>")
            html.text(t("inbox_gateway_secret"))
            html.markup(" <code dir=\"ltr\" id=\"gateway-secret\">")
            html.text(secret)
            html.markup("</code></p></div>\n")
        }
        if m.gateways.isEmpty {
            html.paragraph(t("inbox_no_gateways"))
        } else {
            html.markup("<ul class=\"plain\">")
            for gateway in m.gateways {
                html.markup("<li><strong>")
                html.text(gateway.name)
                html.markup("</strong> (")
                html.text(t("gateway_kind." + gateway.kind))
                html.markup(") <code dir=\"ltr\">")
                html.text(gateway.webhook)
                html.markup("</code></li>")
            }
            html.markup("</ul>\n")
        }
        if m.canManageGateways {
            html.formErrors(t, m.errors)
            html.markup("<form method=\"post\" class=\"stack narrow\" id=\"gateway-form\" action=\"")
            html.url(.inboxGateways(code))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.textInput(t, "name", label: "inbox_gateway_name", value: "", errors: m.errors, "required")
            html.selectField(
                t, "kind", label: "inbox_gateway_kind",
                choices: GatewayKind.allCases.map {
                    Choice(value: $0.rawValue, label: t("gateway_kind." + $0.rawValue), selected: false)
                }, errors: m.errors)
            html.textInput(
                t, "secret", label: "inbox_gateway_token", value: "", errors: m.errors, "autocomplete=\"off\"",
                help: "inbox_gateway_token_help")
            html.markup("<button type=\"submit\">")
            html.text(t("inbox_gateway_add"))
            html.markup("</button></form>\n")
        }
        html.markup("</section>\n")
        return html
    }

    static func lines(_ html: inout HTML, _ lines: [Line], _ code: SiteURL.Code, _ t: Strings, empty: String) {
        guard !lines.isEmpty else {
            html.paragraph(t(empty))
            return
        }
        html.markup("<table class=\"list\"><thead><tr><th scope=\"col\">")
        html.text(t("inbox_received"))
        html.markup("</th><th scope=\"col\">")
        html.text(t("inbox_from"))
        html.markup("</th><th scope=\"col\">")
        html.text(t("inbox_text"))
        html.markup("</th><th scope=\"col\">")
        html.text(t("inbox_state"))
        html.markup("</th></tr></thead><tbody>")
        for line in lines {
            html.markup("<tr><td>")
            html.text(t.isolatedMinute(line.receivedAt))
            html.markup("</td><td>")
            if let who = line.who {
                html.markup("<bdi>")
                html.text(who)
                html.markup("</bdi> ")
            }
            html.markup("<span dir=\"ltr\">")
            html.text(line.sender)
            html.markup("</span>")
            if !line.known {
                html.markup(" <span class=\"badge\">")
                html.text(t("inbox_unknown_sender"))
                html.markup("</span>")
            }
            html.markup("</td><td><a href=\"")
            html.url(.inboxMessage(code, .value(line.id)))
            html.markup("\"><bdi>")
            html.text(line.text.isEmpty ? t("inbox_no_text") : String(line.text.prefix(120)))
            html.markup("</bdi></a></td><td>")
            html.text(t("inbox_state." + line.state))
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table>\n")
    }
}

/// One message: what it says, who sent it, and what it can become.
public enum InboxMessagePage {
    public struct Reply: Sendable {
        public let text: String
        public let by: String
        public let at: Date
        public let status: String
        public let error: String?
        public init(text: String, by: String, at: Date, status: String, error: String?) {
            self.text = text
            self.by = by
            self.at = at
            self.status = status
            self.error = error
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let id: UUID
        public let message: InboundMessage
        public let gateway: String
        public let receivedAt: Date
        public let state: String
        /// The page of what it became, or the reason it was archived.
        public let outcome: String?
        public let triagedBy: String?
        public let triagedAt: Date?
        /// The matched person of the register: name and page.
        public let person: (name: String, id: PersonID)?
        /// What the text reads as, if it is a check-in keyword.
        public let keyword: CheckInKeyword?
        public let canReply: Bool
        public let replies: [Reply]
        public let errors: [String: String]
        public init(
            code: String, id: UUID, message: InboundMessage, gateway: String, receivedAt: Date, state: String,
            outcome: String?, triagedBy: String?, triagedAt: Date?, person: (name: String, id: PersonID)?,
            keyword: CheckInKeyword?, canReply: Bool, replies: [Reply], errors: [String: String]
        ) {
            self.code = code
            self.id = id
            self.message = message
            self.gateway = gateway
            self.receivedAt = receivedAt
            self.state = state
            self.outcome = outcome
            self.triagedBy = triagedBy
            self.triagedAt = triagedAt
            self.person = person
            self.keyword = keyword
            self.canReply = canReply
            self.replies = replies
            self.errors = errors
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        let code = SiteURL.Code.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("inbox_title"), .inbox(code))])
        html.markup("<h1>")
        html.text(t("inbox_message_title"))
        html.markup("</h1>\n")
        html.formErrors(t, m.errors)
        html.markup("<blockquote id=\"message-text\"><p><bdi>")
        html.text(m.message.text.isEmpty ? t("inbox_no_text") : m.message.text)
        html.markup("</bdi></p></blockquote>\n<dl class=\"facts\">")
        func fact(_ label: String, _ body: (inout HTML) -> Void) {
            html.markup("<dt>")
            html.text(t(label))
            html.markup("</dt><dd>")
            body(&html)
            html.markup("</dd>")
        }
        fact("inbox_from") { h in
            h.markup("<span dir=\"ltr\">")
            h.text(m.message.sender)
            h.markup("</span>")
            if let name = m.message.senderName {
                h.markup(" (<bdi>")
                h.text(name)
                h.markup("</bdi>)")
            }
        }
        fact("inbox_person") { h in
            if let person = m.person {
                h.link(.person(code, .value(person.id)), person.name)
            } else {
                h.text(t("inbox_unknown_sender_long"))
            }
        }
        fact("inbox_gateway") { h in h.text(m.gateway) }
        if let sent = m.message.sentAt {
            fact("inbox_sent") { h in h.text(t.isolatedMinute(sent)) }
        }
        fact("inbox_received") { h in h.text(t.isolatedMinute(m.receivedAt)) }
        if let lat = m.message.latitude, let lon = m.message.longitude {
            fact("inbox_position") { h in
                h.markup("<span dir=\"ltr\" id=\"message-position\">")
                h.text(String(format: "%.5f, %.5f", lat, lon))
                h.markup("</span>")
            }
        }
        if !m.message.media.isEmpty {
            fact("inbox_media") { h in
                h.markup("<span dir=\"ltr\">")
                h.text(m.message.media.joined(separator: " · "))
                h.markup("</span>")
            }
        }
        fact("inbox_state") { h in
            h.text(t("inbox_state." + m.state))
            if let by = m.triagedBy, let at = m.triagedAt {
                h.text(" · " + by + " · " + t.isolatedMinute(at))
            }
            if let outcome = m.outcome {
                h.markup(" · ")
                if outcome.hasPrefix("/") {
                    h.markup("<a id=\"outcome\" href=\"")
                    h.text(outcome)
                    h.markup("\">")
                    h.text(t("inbox_outcome_open"))
                    h.markup("</a>")
                } else {
                    h.markup("<bdi id=\"outcome\">")
                    h.text(outcome)
                    h.markup("</bdi>")
                }
            }
        }
        html.markup("</dl>\n")
        if m.state == "untriaged" { triage(&html, m, code, page) }
        replies(&html, m, code, page)
        return html
    }

    static func triage(_ html: inout HTML, _ m: Model, _ code: SiteURL.Code, _ page: PageChrome) {
        let t = page.strings
        let action = SiteURL.inboxTriage(code, .value(m.id))
        html.markup("<section id=\"triage\"><h2>")
        html.text(t("inbox_triage"))
        html.markup("</h2>\n<ul class=\"plain one-tap\">")
        // An incident: the form, prefilled with the text and the sender; nothing is made until it is saved.
        html.markup("<li><a class=\"button primary\" id=\"to-incident\" href=\"")
        html.text(SiteURL.newIncident(code).path(query: [("message", m.id.uuidString)]))
        html.markup("\">")
        html.text(t("inbox_to_incident"))
        html.markup("</a></li></ul>\n")

        html.markup("<form method=\"post\" class=\"stack triage-form\" id=\"check-in-form\" action=\"")
        html.url(action)
        html.markup("\">")
        html.csrfField(page.csrf)
        html.markup("<input type=\"hidden\" name=\"action\" value=\"check_in\"><h3>")
        html.text(t("inbox_to_check_in"))
        html.markup("</h3>")
        html.selectField(
            t, "kind", label: "inbox_check_in_kind",
            choices: CheckInKind.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: m.keyword?.kind == $0)
            }, errors: m.errors)
        html.textInput(
            t, "movement", label: "inbox_movement_number", value: m.keyword.map { String($0.movementNumber) } ?? "",
            errors: m.errors, "inputmode=\"numeric\" dir=\"ltr\"", help: "inbox_keywords_help")
        html.textInput(
            t, "waypoint", label: "inbox_waypoint", value: m.keyword?.waypoint.map(String.init) ?? "",
            errors: m.errors, "inputmode=\"numeric\" dir=\"ltr\"")
        html.markup("<button type=\"submit\">")
        html.text(t("inbox_record_check_in"))
        html.markup("</button></form>\n")

        if m.person != nil, m.message.latitude != nil {
            html.markup("<form method=\"post\" class=\"inline\" id=\"location-form\" action=\"")
            html.url(action)
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<input type=\"hidden\" name=\"action\" value=\"location\"><button type=\"submit\">")
            html.text(t("inbox_to_location"))
            html.markup("</button></form>\n")
        }

        html.markup("<form method=\"post\" class=\"stack triage-form\" id=\"archive-form\" action=\"")
        html.url(action)
        html.markup("\">")
        html.csrfField(page.csrf)
        html.markup("<input type=\"hidden\" name=\"action\" value=\"archive\">")
        html.textInput(t, "reason", label: "inbox_archive_reason", value: "", errors: m.errors, "required")
        html.markup("<button type=\"submit\" class=\"danger\">")
        html.text(t("inbox_archive"))
        html.markup("</button></form>\n</section>\n")
    }

    static func replies(_ html: inout HTML, _ m: Model, _ code: SiteURL.Code, _ page: PageChrome) {
        let t = page.strings
        html.markup("<section id=\"replies\"><h2>")
        html.text(t("inbox_replies"))
        html.markup("</h2>\n")
        if !m.replies.isEmpty {
            html.markup("<ul class=\"plain\">")
            for reply in m.replies {
                html.markup("<li><bdi>")
                html.text(reply.text)
                html.markup("</bdi> · ")
                html.text(reply.by + " · " + t.isolatedMinute(reply.at) + " · " + t("reply_status." + reply.status))
                if let error = reply.error {
                    html.markup(" <span class=\"field-error\">")
                    html.text(error)
                    html.markup("</span>")
                }
                html.markup("</li>")
            }
            html.markup("</ul>\n")
        }
        guard m.canReply else {
            html.paragraph(t("inbox_no_reply"))
            html.markup("</section>\n")
            return
        }
        html.markup("<form method=\"post\" class=\"stack triage-form\" id=\"reply-form\" action=\"")
        html.url(.inboxReply(code, .value(m.id)))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.textArea(t, "text", label: "inbox_reply_text", value: "", errors: m.errors, rows: 3)
        html.markup("<button type=\"submit\">")
        html.text(t("inbox_send_reply"))
        html.markup("</button></form>\n</section>\n")
    }
}
