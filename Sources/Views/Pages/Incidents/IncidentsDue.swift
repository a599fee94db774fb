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
            html.paragraph(t("incidents_awaiting_none"))
        } else {
            html.markup("<ul class=\"deadlines\" id=\"reports-due\">")
            for item in m.items { html.dueItem(item, code: m.code, t) }
            html.markup("</ul>")
        }
        html.markup("\n")
        html.pager(t, page: m.page, hasMore: m.hasMore, base: .incidentsDue(code))
        html.markup("\n")
        return html
    }
}
