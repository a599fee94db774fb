import Foundation

/// One entry of an audit trail as a page shows it: the values only when the reader may see them.
public struct AuditRow: Sendable {
    public struct Change: Sendable, Equatable {
        public let field: String
        public let before: String
        public let after: String

        public init(field: String, before: String, after: String) {
            self.field = field
            self.before = before
            self.after = after
        }
    }

    public let sequence: Int64
    public let at: String
    public let actor: String
    public let kind: String
    public let record: String
    public let action: String
    public let changes: [Change]
    /// Where the record is, when the reader may open it.
    public let link: SiteURL?

    public init(
        sequence: Int64, at: String, actor: String, kind: String, record: String, action: String, changes: [Change],
        link: SiteURL?
    ) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.kind = kind
        self.record = record
        self.action = action
        self.changes = changes
        self.link = link
    }
}

/// An operation's audit trail, newest first, a page at a time.
public enum AuditPage {
    public struct Model: Sendable {
        public let code: String
        public let rows: [AuditRow]
        public let paging: PagePosition

        public init(code: String, rows: [AuditRow], paging: PagePosition) {
            self.code = code
            self.rows = rows
            self.paging = paging
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("audit_title"))
        html.markup("</h1>\n")
        html.auditTable(m.rows, t, withRecord: true)
        html.markup("\n")
        html.pager(t, m.paging, base: .operationAudit(.value(m.code)), query: [])
        return html
    }
}

/// One record's audit trail.
public enum RecordAuditPage {
    public struct Model: Sendable {
        public let code: String
        public let recordName: String
        public let back: SiteURL
        public let rows: [AuditRow]

        public init(code: String, recordName: String, back: SiteURL, rows: [AuditRow]) {
            self.code = code
            self.recordName = recordName
            self.back = back
            self.rows = rows
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.crumbs(t, operation: m.code, [(m.recordName, m.back)])
        html.markup("<h1>")
        html.text(t("audit_title") + ": " + m.recordName)
        html.markup("</h1>\n")
        html.auditTable(m.rows, t, withRecord: false)
        html.markup("\n")
        return html
    }
}

extension HTML {
    mutating func auditTable(_ rows: [AuditRow], _ t: Strings, withRecord: Bool) {
        markup("<table class=\"list audit\">\n")
        tableHead(["#", t("audit_when"), t("audit_who"), t("audit_what"), t("audit_changes")])
        markup("\n<tbody>")
        for row in rows {
            markup("<tr><td dir=\"ltr\">")
            text(String(row.sequence))
            markup("</td><td dir=\"ltr\">")
            text(row.at)
            markup("</td><td dir=\"ltr\">")
            text(row.actor)
            markup("</td><td>")
            text(row.action)
            if withRecord {
                text(" · " + row.kind + " ")
                if let url = row.link {
                    link(url, row.record, "dir=\"ltr\"")
                } else {
                    markup("<span dir=\"ltr\">")
                    text(row.record)
                    markup("</span>")
                }
            }
            markup("</td>\n<td><ul class=\"changes\">")
            for change in row.changes {
                markup("<li><code dir=\"ltr\">")
                text(change.field)
                markup("</code>: <del dir=\"auto\">")
                text(change.before)
                markup(t.rightToLeft ? "</del> ← <ins dir=\"auto\">" : "</del> → <ins dir=\"auto\">")
                text(change.after)
                markup("</ins></li>")
            }
            markup("</ul></td></tr>")
        }
        markup("</tbody>\n</table>")
    }
}
