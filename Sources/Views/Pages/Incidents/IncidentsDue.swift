import Domain
import Foundation

/// Every incident still to be reported, by deadline (overdue first), a page at a time.
public enum IncidentsDue {
    public struct Model: Sendable {
        public let code: String
        public let items: [DueItem]
        public let total: Int
        public let page: Int
        public let hasMore: Bool

        public init(code: String, items: [DueItem], total: Int, page: Int, hasMore: Bool) {
            self.code = code
            self.items = items
            self.total = total
            self.page = page
            self.hasMore = hasMore
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("incidents_title"), .incidents(code))])
        html.markup("<h1>")
        html.text(t("incidents_awaiting"))
        html.markup("</h1>\n<p id=\"reports-due-count\">")
        html.text(t("incidents.due_count").replacingOccurrences(of: "{count}", with: String(m.total)))
        html.markup("</p>\n")
        if m.items.isEmpty {
            html.markup("<p>")
            html.text(t("incidents_awaiting_none"))
            html.markup("</p>")
        } else {
            html.markup("<ul class=\"deadlines\" id=\"reports-due\">")
            for item in m.items { html.dueItem(item, code: m.code, t) }
            html.markup("</ul>")
        }
        html.markup("\n<p class=\"pager\">")
        html.text(t("page"))
        html.markup(" ")
        html.text(m.page)
        html.markup("\n")
        if m.page > 1 {
            html.markup("<a href=\"")
            html.text(SiteURL.incidentsDue(code).path(query: [("page", String(m.page - 1))]))
            html.markup("\">")
            html.text(t("page_prev"))
            html.markup("</a>")
        }
        html.markup("\n")
        if m.hasMore {
            html.markup("<a href=\"")
            html.text(SiteURL.incidentsDue(code).path(query: [("page", String(m.page + 1))]))
            html.markup("\">")
            html.text(t("page_next"))
            html.markup("</a>")
        }
        html.markup("</p>\n")
        return html
    }
}
