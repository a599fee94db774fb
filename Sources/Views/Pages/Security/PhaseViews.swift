import Domain
import Foundation
import Geo

extension HTML {
    /// The phase's name with a swatch of its colour. An SVG fill, not a style attribute: the
    /// Content-Security-Policy allows no inline styles, and the colours are data (checked as
    /// #rrggbb when the settings were saved).
    public mutating func phaseTag(_ phase: String, _ settings: PhaseSettings, _ t: Strings) {
        markup("<span")
        attribute("class", "phase-tag phase-" + phase)
        markup(
            "><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" stroke=\"#0006\"")
        attribute("fill", settings.definition(phase)?.colour ?? "#cccccc")
        markup("/></svg> ")
        text(t.phase(phase))
        markup("</span>")
    }

    /// "from → to" (or "←" right to left), the from part only when there was one.
    mutating func phaseChange(from: String?, to: String, _ settings: PhaseSettings, _ t: Strings) {
        if let from {
            phaseTag(from, settings, t)
            markup(t.rightToLeft ? " ← " : " → ")
        }
        phaseTag(to, settings, t)
    }

    /// A heading and a list of texts; nothing when the list is empty.
    mutating func headedList(_ heading: String, _ items: [String]) {
        guard !items.isEmpty else { return }
        markup("<h4>")
        text(heading)
        markup("</h4><ul>")
        for item in items {
            markup("<li>")
            text(item)
            markup("</li>")
        }
        markup("</ul>")
    }
}

/// Security phases per area: the map, the phase in force per area, declarations waiting for
/// approval (never shown as in force), the history, who holds which authority, and what each phase asks.
public enum PhasesPage {
    public struct Model: Sendable {
        public struct InForce: Sendable {
            public let pcode: String
            public let area: String
            public let phase: String
            public let since: String

            public init(pcode: String, area: String, phase: String, since: String) {
                self.pcode = pcode
                self.area = area
                self.phase = phase
                self.since = since
            }
        }

        public struct Pending: Sendable {
            public struct Approval: Sendable {
                public let authority: PhaseAuthority
                /// Who approved and when, once given.
                public let given: (by: String, at: String)?
                /// The reader holds this authority and may give it.
                public let canGive: Bool

                public init(authority: PhaseAuthority, given: (by: String, at: String)?, canGive: Bool) {
                    self.authority = authority
                    self.given = given
                    self.canGive = canGive
                }
            }

            public let id: PhaseDeclarationID
            public let number: Int
            public let area: String
            public let from: String?
            public let to: String
            public let justification: String
            public let indicators: [String]
            public let approvals: [Approval]
            /// Who must be told, and when they were.
            public let notify: [(recipient: PhaseRecipient, at: String?)]

            public init(
                id: PhaseDeclarationID, number: Int, area: String, from: String?, to: String, justification: String,
                indicators: [String],
                approvals: [Approval], notify: [(recipient: PhaseRecipient, at: String?)]
            ) {
                self.id = id
                self.number = number
                self.area = area
                self.from = from
                self.to = to
                self.justification = justification
                self.indicators = indicators
                self.approvals = approvals
                self.notify = notify
            }
        }

        public struct Declared: Sendable {
            public let number: Int
            public let area: String
            public let from: String?
            public let to: String
            public let status: String
            public let at: String
            public let by: String
            public let justification: String

            public init(
                number: Int, area: String, from: String?, to: String, status: String, at: String, by: String,
                justification: String
            ) {
                self.number = number
                self.area = area
                self.from = from
                self.to = to
                self.status = status
                self.at = at
                self.by = by
                self.justification = justification
            }
        }

        public struct Holder: Sendable {
            public let authority: PhaseAuthority
            public let userID: UserID
            public let name: String
            /// False for the HeOps holding the senior manager's authority by default.
            public let explicit: Bool

            public init(authority: PhaseAuthority, userID: UserID, name: String, explicit: Bool) {
                self.authority = authority
                self.userID = userID
                self.name = name
                self.explicit = explicit
            }
        }

        public let code: String
        public let settings: PhaseSettings
        public let map: SVG?
        public let inForce: [InForce]
        /// The declarations' details, for those who may see them (nil otherwise).
        public let pending: [Pending]?
        public let history: [Declared]?
        public let holders: [Holder]?
        public let members: [(id: UserID, name: String)]
        public let areaFilter: String
        public let canDeclare: Bool
        public let canGrant: Bool
        /// May the reader edit the phase catalogue (Security settings)? Then an empty definition says so.
        public let canEditSettings: Bool
        public let error: String?

        public init(
            code: String, settings: PhaseSettings, map: SVG?, inForce: [InForce], pending: [Pending]?,
            history: [Declared]?,
            holders: [Holder]?, members: [(id: UserID, name: String)], areaFilter: String, canDeclare: Bool,
            canGrant: Bool, canEditSettings: Bool = false,
            error: String?
        ) {
            self.code = code
            self.settings = settings
            self.map = map
            self.inForce = inForce
            self.pending = pending
            self.history = history
            self.holders = holders
            self.members = members
            self.areaFilter = areaFilter
            self.canDeclare = canDeclare
            self.canGrant = canGrant
            self.canEditSettings = canEditSettings
            self.error = error
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), settings = m.settings
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("phases_title"))
        html.markup("</h1>\n")
        html.alert(m.error)
        html.markup("<div class=\"grid map-first\">\n<section>\n<figure class=\"map phase-map\">")
        if let map = m.map { html.svg(map) }
        html.markup("</figure>\n")
        html.tableLink("in-force", t)
        html.markup("<p><small>")
        html.text(t("phases_map_help"))
        html.markup("</small></p>\n</section>\n<section id=\"in-force\">\n<h2>")
        html.text(t("phases_in_force"))
        html.markup("</h2>\n")
        if m.inForce.isEmpty {
            html.paragraph(t("phases_none"))
        } else {
            html.markup("<table class=\"list\">\n")
            html.tableHead([t("field_area"), t("phases_phase"), t("phases_since")], actions: t("phases_history"))
            html.markup("\n<tbody>")
            for area in m.inForce {
                html.markup("<tr><td>")
                html.text(area.area)
                html.markup("</td><td>")
                html.phaseTag(area.phase, settings, t)
                html.markup("</td><td dir=\"ltr\" class=\"nowrap\">")
                html.text(area.since)
                html.markup("</td><td><a href=\"")
                html.text(SiteURL.phases(code).path(query: [("area", area.pcode)]) + "#history")
                html.markup("\">")
                html.text(t("phases.history"))
                html.markup("</a></td></tr>")
            }
            html.markup("</tbody>\n</table>")
        }
        html.markup("\n</section>\n</div>\n")
        if let pending = m.pending {
            html.markup("<section id=\"pending\">\n<h2>")
            html.text(t("phases_pending"))
            html.markup("</h2>\n")
            if pending.isEmpty {
                html.paragraph(t("phases_no_pending"))
            } else {
                html.markup("<ul class=\"declarations\">")
                for d in pending {
                    html.pendingDeclaration(
                        d, code: m.code, settings: settings, canDeclare: m.canDeclare, csrf: page.csrf, t)
                }
                html.markup("</ul>")
            }
            html.markup("\n</section>\n")
        }
        if m.canDeclare {
            html.markup("<section id=\"declaring\">\n<h2>")
            html.text(t("phases_declare"))
            html.markup("</h2>\n<form id=\"declare-phase\" method=\"post\" action=\"")
            html.url(.phases(code))
            html.markup("\" class=\"stack\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n  <label for=\"area_pcode\">")
            html.text(t("field_area_pcode"))
            html.markup(
                "</label>\n  <input id=\"area_pcode\" name=\"area_pcode\" dir=\"ltr\" required>\n  <label for=\"phase\">"
            )
            html.text(t("phases_phase"))
            html.markup("</label>\n  <select id=\"phase\" name=\"phase\">")
            html.options(settings.rules.phases.map { Choice(value: $0, label: t.phase($0), selected: false) })
            html.markup("</select>\n  <label for=\"justification\">")
            html.text(t("field_justification"))
            html.markup(
                "</label>\n  <textarea id=\"justification\" name=\"justification\" rows=\"3\" required></textarea>\n  <p><strong>"
            )
            html.text(t("phases_indicators_met"))
            html.markup("</strong></p>\n  ")
            for definition in settings.catalogue where !definition.indicators.isEmpty {
                html.markup("<fieldset class=\"indicators\"><legend>")
                html.text(t.phase(definition.key))
                html.markup("</legend>")
                for indicator in definition.indicators {
                    html.markup("<label class=\"check\"><input type=\"checkbox\" name=\"indicators[]\"")
                    html.attribute("value", indicator)
                    html.markup("> ")
                    html.text(t.ifrcText(indicator))
                    html.markup("</label>")
                }
                html.markup("</fieldset>")
            }
            html.markup("\n  <label for=\"other_indicators\">")
            html.text(t("field_other_indicators"))
            html.markup(
                "</label>\n  <textarea id=\"other_indicators\" name=\"other_indicators\" rows=\"2\"></textarea>\n  <button id=\"declare\" type=\"submit\" class=\"primary\">"
            )
            html.text(t("phases_declare"))
            html.markup("</button>\n</form>\n</section>\n")
        }
        if let history = m.history {
            html.markup("<section id=\"history\">\n<h2>")
            html.text(t("phases_history"))
            if !m.areaFilter.isEmpty {
                html.markup(" · <span dir=\"ltr\">")
                html.text(m.areaFilter)
                html.markup("</span> <a href=\"")
                html.url(.phases(code))
                html.markup("#history\">")
                html.text(t("all"))
                html.markup("</a>")
            }
            html.markup("</h2>\n")
            if history.isEmpty {
                html.paragraph(t("phases_none"))
            } else {
                html.markup("<table class=\"list\">\n")
                html.tableHead([
                    t("field_number"), t("field_area"), t("phases_phase"), t("phases_status"), t("phases_declared"),
                    t("phases_declared_by"), t("field_justification"),
                ])
                html.markup("\n<tbody>")
                for d in history {
                    html.markup("<tr><td dir=\"ltr\">")
                    html.text(d.number)
                    html.markup("</td><td>")
                    html.text(d.area)
                    html.markup("</td><td>")
                    html.phaseChange(from: d.from, to: d.to, settings, t)
                    html.markup("</td><td>")
                    html.text(t("phase_status." + d.status))
                    html.markup("</td><td dir=\"ltr\" class=\"nowrap\">")
                    html.text(d.at)
                    html.markup("</td><td>")
                    html.text(d.by)
                    html.markup("</td><td class=\"notes\" dir=\"auto\">")
                    html.text(d.justification)
                    html.markup("</td></tr>")
                }
                html.markup("</tbody>\n</table>")
            }
            html.markup("\n</section>\n")
        }
        if let holders = m.holders {
            html.markup("<section id=\"authorities\">\n<h2>")
            html.text(t("phases_authorities"))
            html.markup("</h2>\n<ul>")
            for holder in holders {
                html.markup("<li>")
                html.text(t(holder.authority.labelKey) + ": " + holder.name)
                if !holder.explicit {
                    html.markup(" <small>")
                    html.text(t("phases.heops_default"))
                    html.markup("</small>")
                }
                if holder.explicit && m.canGrant {
                    html.markup(" <form method=\"post\" class=\"inline\" action=\"")
                    html.url(.revokePhaseAuthority(code))
                    html.markup("\">")
                    html.csrfField(page.csrf)
                    html.markup("<input type=\"hidden\" name=\"user\"")
                    html.attribute("value", holder.userID.uuidString)
                    html.markup("><input type=\"hidden\" name=\"authority\"")
                    html.attribute("value", holder.authority.rawValue)
                    html.markup("><button type=\"submit\">")
                    html.text(t("phases.revoke"))
                    html.markup("</button></form>")
                }
                html.markup("</li>")
            }
            html.markup("</ul>\n")
            if m.canGrant {
                html.markup("<form id=\"grant-authority\" method=\"post\" action=\"")
                html.url(.phaseAuthorities(code))
                html.markup("\" class=\"inline\">\n  ")
                html.csrfField(page.csrf)
                html.markup("\n  <label for=\"grant_user\">")
                html.text(t("field_member"))
                html.markup("</label>\n  <select id=\"grant_user\" name=\"user\">")
                html.options(m.members.map { Choice(value: $0.id.uuidString, label: $0.name, selected: false) })
                html.markup("</select>\n  <label for=\"grant_authority\">")
                html.text(t("phases_authority"))
                html.markup("</label>\n  <select id=\"grant_authority\" name=\"authority\">")
                html.options(
                    PhaseAuthority.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: false) })
                html.markup("</select>\n  <button type=\"submit\">")
                html.text(t("phases_grant"))
                html.markup("</button>\n</form>\n")
            }
            html.markup("</section>\n")
        }
        html.markup("<section id=\"requirements\">\n<h2>")
        html.text(t("phases_requirements_title"))
        html.markup("</h2>\n")
        for phase in settings.rules.phases {
            let definition = settings.definition(phase)
            html.markup("<section class=\"phase\"")
            html.attribute("id", "phase-" + phase)
            html.markup("><h3>")
            html.phaseTag(phase, settings, t)
            html.markup("</h3>")
            // Data the Security Coordinator writes, in the words they chose. Until then readers see
            // nothing; those who may write it are told where.
            if let description = definition?.description, !description.isEmpty {
                html.markup("<p dir=\"auto\">")
                html.text(t.ifrcText(description))
                html.markup("</p>")
            } else if m.canEditSettings {
                html.markup("<p class=\"notice\">")
                html.text(t("phases.definition_unset"))
                html.markup(" ")
                html.link(.securitySettings(code), t("settings_title"))
                html.markup("</p>")
            }
            html.markup("<p><strong>")
            html.text(t("phases.approved_by"))
            html.markup("</strong> ")
            html.text(
                (settings.rules.rules[phase]?.approvals ?? []).map { t($0.labelKey) }.sorted().joined(separator: ", "))
            if let notify = settings.rules.rules[phase]?.notify, !notify.isEmpty {
                html.markup(" · <strong>")
                html.text(t("phases.notify"))
                html.markup("</strong> ")
                html.text(notify.map { t("phase_recipient." + $0.rawValue) }.sorted().joined(separator: ", "))
            }
            html.markup("</p>")
            html.headedList(t("phases.requirements"), (definition?.requirements ?? []).map(t.ifrcText))
            html.headedList(t("phases.indicators"), (definition?.indicators ?? []).map(t.ifrcText))
            html.markup("</section>")
        }
        html.markup("\n</section>\n")
        return html
    }
}

extension HTML {
    /// One declaration waiting for approval: what, why, the approvals given and missing, who is
    /// told, and the buttons the reader may use.
    mutating func pendingDeclaration(
        _ d: PhasesPage.Model.Pending, code: String, settings: PhaseSettings, canDeclare: Bool,
        csrf: String, _ t: Strings
    ) {
        let op = Parameter.value(code), id = Parameter.value(d.id)
        markup("<li class=\"pending\"")
        attribute("id", "declaration-\(d.number)")
        markup("><strong>")
        text(t("phases.pending_tag"))
        markup("</strong> · ")
        text(d.area + ": ")
        phaseChange(from: d.from, to: d.to, settings, t)
        markup("<p class=\"notes\" dir=\"auto\">")
        text(d.justification)
        markup("</p>")
        if !d.indicators.isEmpty {
            markup("<ul class=\"indicators\" dir=\"auto\">")
            for indicator in d.indicators {
                markup("<li>")
                text(t.ifrcText(indicator))
                markup("</li>")
            }
            markup("</ul>")
        }
        markup("<ul class=\"approvals\">")
        for approval in d.approvals {
            if let given = approval.given {
                markup("<li class=\"given\">✓ ")
                text(t(approval.authority.labelKey) + ": " + given.by)
                markup(" <span dir=\"ltr\">")
                text(given.at)
                markup("</span></li>")
            } else {
                markup("<li class=\"missing\">… ")
                text(t(approval.authority.labelKey))
                if approval.canGive {
                    markup(" <form method=\"post\" class=\"inline\" action=\"")
                    url(.approvePhase(op, id))
                    markup("\">")
                    csrfField(csrf)
                    markup("<input type=\"hidden\" name=\"authority\"")
                    attribute("value", approval.authority.rawValue)
                    markup("><button type=\"submit\" class=\"primary\">")
                    text(
                        t("phases.approve_as").replacingOccurrences(
                            of: "{authority}", with: t(approval.authority.labelKey)))
                    markup("</button></form>")
                }
                markup("</li>")
            }
        }
        markup("</ul>")
        if !d.notify.isEmpty {
            markup("<p class=\"notify\">")
            text(t("phases.notify"))
            for item in d.notify {
                markup(" ")
                text(t("phase_recipient." + item.recipient.rawValue))
                if let at = item.at {
                    markup(" ✓ <span dir=\"ltr\">")
                    text(at)
                    markup("</span>")
                } else if canDeclare {
                    markup(" <form method=\"post\" class=\"inline\" action=\"")
                    url(.phaseNotified(op, id))
                    markup("\">")
                    csrfField(csrf)
                    markup("<input type=\"hidden\" name=\"recipient\"")
                    attribute("value", item.recipient.rawValue)
                    markup("><button type=\"submit\">")
                    text(t("phases.mark_notified"))
                    markup("</button></form>")
                } else {
                    markup(" …")
                }
            }
            markup("</p>")
        }
        if canDeclare {
            buttonForm(.withdrawPhase(op, id), csrf: csrf, label: t("phases.withdraw"))
        }
        markup("</li>")
    }
}
