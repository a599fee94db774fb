import Domain
import Foundation
import Geo

/// What an operation is (its facts), what it holds (areas, sites, the map) and who works in it
/// (its members, added and removed here by those who manage it).
public enum OperationDetails {
    public struct Model: Sendable {
        public struct Member: Sendable {
            public let userID: UserID
            public let name: String
            /// Shown only to those who may see members' contacts.
            public let email: String?
            public let role: String

            public init(userID: UserID, name: String, email: String?, role: String) {
                self.userID = userID
                self.name = name
                self.email = email
                self.role = role
            }
        }

        public let code: String
        public let name: String
        /// "SDN · Sudan", one per country.
        public let countries: [String]
        public let emergencyType: String
        public let glide: String?
        public let appeal: String?
        public let startDate: String?
        public let heops: String?
        public let role: Role?
        /// Areas per level, outermost first.
        public let areaCounts: [(level: Int, count: Int)]
        /// Sites per type the viewer may see; nil for those who are not members.
        public let siteCounts: [(type: SiteType, count: Int)]?
        public let map: SVG?
        public let members: [Member]
        public let showContacts: Bool
        public let canManage: Bool

        public init(
            code: String, name: String, countries: [String], emergencyType: String, glide: String?, appeal: String?,
            startDate: String?, heops: String?, role: Role?, areaCounts: [(level: Int, count: Int)],
            siteCounts: [(type: SiteType, count: Int)]?, map: SVG?, members: [Member], showContacts: Bool,
            canManage: Bool
        ) {
            self.code = code
            self.name = name
            self.countries = countries
            self.emergencyType = emergencyType
            self.glide = glide
            self.appeal = appeal
            self.startDate = startDate
            self.heops = heops
            self.role = role
            self.areaCounts = areaCounts
            self.siteCounts = siteCounts
            self.map = map
            self.members = members
            self.showContacts = showContacts
            self.canManage = canManage
        }

        var isMember: Bool { siteCounts != nil }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(m.name)
        html.markup("</h1>\n<dl class=\"facts\">\n")
        html.fact(t("field_code"), m.code, "dir=\"ltr\"")
        html.fact(t("field_countries"), m.countries.joined(separator: ", "))
        html.fact(t("field_emergency_type"), t("emergency_type." + m.emergencyType))
        if let glide = m.glide, !glide.isEmpty { html.fact(t("field_glide"), glide, "dir=\"ltr\"") }
        if let appeal = m.appeal, !appeal.isEmpty { html.fact(t("field_appeal"), appeal, "dir=\"ltr\"") }
        if let start = m.startDate, !start.isEmpty { html.fact(t("field_start_date"), start, "dir=\"ltr\"") }
        if let heops = m.heops { html.fact(t("role_heops"), heops) }
        html.fact(t("field_your_role"), m.role.map { t($0.labelKey) } ?? t("role_none"))
        html.markup("</dl>\n")
        if m.canManage {
            html.markup("<p class=\"actions\">")
            html.link(.editOperation(code), t("operations_edit"), "class=\"button\"")
            html.markup(" ")
            html.link(.operationAudit(code), t("audit_title"), "class=\"button\"")
            html.markup("</p>\n")
        }
        html.markup("<section>\n<h2>")
        html.text(t("dashboard_areas"))
        html.markup("</h2>\n")
        if m.areaCounts.isEmpty {
            html.paragraph(t("areas_none"))
        } else {
            html.counts(
                m.areaCounts.map {
                    (t("areas.level").replacingOccurrences(of: "{n}", with: String($0.level)), $0.count)
                })
        }
        html.markup("\n<h2>")
        html.text(t("dashboard_sites"))
        html.markup("</h2>\n")
        if let sites = m.siteCounts {
            if sites.isEmpty {
                html.paragraph(t("sites_none"))
            } else {
                html.counts(sites.map { (t($0.type.labelKey), $0.count) })
            }
        } else {
            html.paragraph(t("not_member"))
        }
        html.markup("\n</section>\n")
        if m.isMember {
            html.markup("<section class=\"map-panel\">\n<h2>")
            html.text(t("map_title"))
            html.markup("</h2>\n<figure class=\"map\">")
            if let map = m.map { html.svg(map) }
            // The list the map draws, one tap away.
            html.markup("</figure>\n<p>")
            html.link(.sites(code), t("map_as_list"))
            html.markup(" · ")
            html.link(.operationMap(code), t("map_download"))
            html.markup("</p>\n</section>\n")
        }
        html.markup("<section id=\"members\">\n<h2>")
        html.text(t("members_title"))
        html.markup("</h2>\n<table class=\"list\">\n<thead><tr><th scope=\"col\">")
        html.text(t("field_name"))
        html.markup("</th>")
        if m.showContacts {
            html.markup("<th scope=\"col\">")
            html.text(t("field_email"))
            html.markup("</th>")
        }
        html.markup("<th scope=\"col\">")
        html.text(t("field_role"))
        html.markup("</th>")
        if m.canManage {
            html.markup("<th scope=\"col\"><span class=\"sr-only\">")
            html.text(t("form_actions"))
            html.markup("</span></th>")
        }
        html.markup("</tr></thead>\n<tbody>\n")
        for member in m.members {
            html.markup("<tr><td>")
            html.text(member.name)
            if m.showContacts {
                html.markup("</td><td dir=\"ltr\">")
                html.text(member.email ?? "")
            }
            html.markup("</td><td>")
            html.text(member.role)
            html.markup("</td>")
            if m.canManage {
                html.markup("<td><form method=\"post\" action=\"")
                html.url(.removeMember(code))
                html.markup("\">")
                html.csrfField(page.csrf)
                html.markup("<input type=\"hidden\" name=\"user_id\"")
                html.attribute("value", member.userID.uuidString)
                html.markup("><button type=\"submit\" class=\"link\">")
                html.text(t("members.remove"))
                html.markup("</button></form></td>")
            }
            html.markup("</tr>\n")
        }
        html.markup("</tbody>\n</table>\n")
        if m.canManage {
            html.markup("<form id=\"add-member\" method=\"post\" action=\"")
            html.url(.members(code))
            html.markup("\" class=\"inline\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n  <label for=\"member_email\">")
            html.text(t("field_email"))
            html.markup(
                "</label>\n  <input id=\"member_email\" name=\"email\" type=\"email\" required dir=\"ltr\">\n  <label for=\"member_role\">"
            )
            html.text(t("field_role"))
            html.markup("</label>\n  <select id=\"member_role\" name=\"role\">")
            html.options(Role.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: false) })
            html.markup("</select>\n  <button id=\"add-member-submit\" type=\"submit\">")
            html.text(t("members_add"))
            html.markup("</button>\n</form>\n")
        }
        html.markup("</section>\n")
        return html
    }
}

extension HTML {
    /// `<ul class="counts">` with "label: **n**" per item.
    public mutating func counts(_ counts: [(label: String, count: Int)]) {
        markup("<ul class=\"counts\">")
        for count in counts {
            markup("<li>")
            text(count.label)
            markup(": <strong>")
            text(count.count)
            markup("</strong></li>")
        }
        markup("</ul>")
    }
}
