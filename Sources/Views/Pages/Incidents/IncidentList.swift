import Domain
import Foundation

/// An operation's own incidents, newest first, a page at a time, each with its reporting deadline.
public enum IncidentList {
    public struct Model: Sendable {
        public struct Row: Sendable {
            public let id: IncidentID
            public let number: Int
            public let title: String
            public let serious: Bool
            public let category: IncidentCategory
            public let occurredAt: Date
            public let areaPcode: String?
            public let status: IncidentStatus
            /// The deadline as it stands when the page is drawn.
            public let deadline: ReportingDeadline

            public init(
                id: IncidentID, number: Int, title: String, serious: Bool, category: IncidentCategory, occurredAt: Date,
                areaPcode: String?, status: IncidentStatus, deadline: ReportingDeadline
            ) {
                self.id = id
                self.number = number
                self.title = title
                self.serious = serious
                self.category = category
                self.occurredAt = occurredAt
                self.areaPcode = areaPcode
                self.status = status
                self.deadline = deadline
            }
        }

        public let code: String
        public let rows: [Row]
        public let page: Int
        public let hasMore: Bool
        public let canCreate: Bool

        public init(code: String, rows: [Row], page: Int, hasMore: Bool, canCreate: Bool) {
            self.code = code
            self.rows = rows
            self.page = page
            self.hasMore = hasMore
            self.canCreate = canCreate
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("incidents_title"))
        html.markup("</h1>\n<p>")
        if m.canCreate {
            html.link(.newIncident(code), t("incidents_new"), "id=\"report-incident\" class=\"button primary\"")
            html.markup(" ")
        }
        html.link(.incidentAnalysis(code), t("incidents_analysis"), "id=\"incident-analysis\" class=\"button\"")
        html.markup(" ")
        html.link(.incidentMap(code), t("incident_map_title"), "id=\"incident-map\" class=\"button\"")
        html.markup(" ")
        html.link(.contextSources(code), t("sources_title"), "id=\"context-sources-link\" class=\"button\"")
        html.markup("</p>\n")
        if m.rows.isEmpty {
            html.paragraph(t("incidents_none"))
        } else {
            html.markup("<table class=\"list\">\n")
            html.tableHead([
                t("field_number"), t("field_title"), t("field_category"), t("incidents_when"), t("field_area"),
                t("field_status"), t("field_deadline"),
            ])
            html.markup("\n<tbody>")
            let serious = t("incidents.serious")
            for row in m.rows {
                html.markup("<tr><td dir=\"ltr\">")
                html.text(row.number)
                html.markup("</td><td>")
                html.link(.incident(code, .value(row.id)), row.title)
                if row.serious {
                    html.markup(" <strong class=\"tag serious\">")
                    html.text(serious)
                    html.markup("</strong>")
                }
                html.markup("</td><td>")
                html.text(t(row.category.labelKey))
                html.markup("</td><td dir=\"ltr\" class=\"code\">")
                html.text(t.minute(row.occurredAt))
                html.markup("</td><td>")
                html.text(row.areaPcode ?? "—")
                html.markup("</td><td>")
                html.text(t(row.status.labelKey))
                html.markup("</td><td>")
                html.text(t.deadline(row.deadline))
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table>")
        }
        html.markup("\n")
        html.pager(t, page: m.page, hasMore: m.hasMore, base: .incidents(code))
        html.markup("\n")
        return html
    }
}
