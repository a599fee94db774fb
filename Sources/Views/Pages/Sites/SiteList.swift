import Domain
import Foundation

/// The sites of an operation: search, filter by type, one page of the list.
public enum SiteList {
    public struct Model: Sendable {
        public struct Row: Sendable {
            public let id: SiteID
            public let name: String
            public let type: SiteType
            /// "Khartoum (SD01)", or nil when the site lies outside every imported area.
            public let area: String?
            public let latitude: Double
            public let longitude: Double
            public let audience: AudienceLevel

            public init(
                id: SiteID, name: String, type: SiteType, area: String?, latitude: Double, longitude: Double,
                audience: AudienceLevel
            ) {
                self.id = id
                self.name = name
                self.type = type
                self.area = area
                self.latitude = latitude
                self.longitude = longitude
                self.audience = audience
            }
        }

        public let code: String
        public let rows: [Row]
        public let type: SiteType?
        public let search: String
        public let paging: PagePosition
        public let canCreate: Bool

        public init(code: String, rows: [Row], type: SiteType?, search: String, paging: PagePosition, canCreate: Bool) {
            self.code = code
            self.rows = rows
            self.type = type
            self.search = search
            self.paging = paging
            self.canCreate = canCreate
        }

        /// The filters a pager link keeps.
        var query: [(String, String)] {
            var query: [(String, String)] = []
            if let type { query.append(("type", type.rawValue)) }
            if !search.isEmpty { query.append(("q", search)) }
            return query
        }
    }

    public static func title(_ t: Strings) -> String { t("sites.title") }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("sites_title"))
        html.markup("</h1>\n<p>")
        if m.canCreate {
            html.link(.newSite(.value(m.code)), t("sites_new"), "class=\"button primary\"")
            html.markup(" ")
        }
        html.link(
            .siteAssessmentsCompared(.value(m.code)), t("site_assessments_compare"),
            "id=\"compare-site-security\" class=\"button\"")
        html.markup("</p>\n<form method=\"get\" class=\"inline filters\" role=\"search\">\n  <label for=\"q\">")
        html.text(t("sites_search"))
        html.markup("</label><input id=\"q\" name=\"q\"")
        html.attribute("value", m.search)
        html.markup(">\n  <label for=\"type-filter\">")
        html.text(t("field_type"))
        html.markup("</label>\n  <select id=\"type-filter\" name=\"type\"><option value=\"\">")
        html.text(t("all"))
        html.markup("</option>")
        html.options(
            SiteType.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.type) })
        html.markup("</select>\n  <button type=\"submit\">")
        html.text(t("filter"))
        html.markup("</button>\n</form>\n")
        if m.rows.isEmpty {
            html.paragraph(t("sites_none"))
        } else {
            html.markup("<table class=\"list\">\n")
            html.tableHead([
                t("field_name"), t("field_type"), t("field_area"), t("field_coordinates"), t("field_audience"),
            ])
            html.markup("\n<tbody>")
            for site in m.rows {
                html.markup("<tr><td>")
                html.link(.site(.value(m.code), .value(site.id)), site.name)
                html.markup("</td><td>")
                html.text(t(site.type.labelKey))
                html.markup("</td><td>")
                if let area = site.area { html.text(area) } else { html.markup("—") }
                html.markup("</td><td dir=\"ltr\" class=\"code\">")
                html.text(
                    DecimalText.fixed(site.latitude, digits: 5) + ", " + DecimalText.fixed(site.longitude, digits: 5))
                html.markup("</td><td>")
                html.text(t(site.audience.labelKey))
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table>")
        }
        html.markup("\n")
        html.pager(t, m.paging, base: .sites(.value(m.code)), query: m.query)
        return html
    }
}
