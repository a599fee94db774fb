import Domain
import Foundation

/// What changed in the register since a day (by default the last report, or thirty days), the
/// form that issues it as a report with recommendations, and the reports issued before.
public enum RiskChangesPage {
    public struct Model: Sendable {
        public struct Report: Sendable {
            public let id: RiskReportID
            public let number: Int
            public let issuedAt: Date

            public init(id: RiskReportID, number: Int, issuedAt: Date) {
                self.id = id
                self.number = number
                self.issuedAt = issuedAt
            }
        }

        public let code: String
        /// The start of the period: the day asked for, else the last report's issue, else thirty days ago.
        public let since: Date
        /// The end of the period: when the page is drawn (the application's clock).
        public let until: Date
        /// The operation's matrix, which names the levels.
        public let matrix: RiskMatrix
        public let changes: RiskChanges<RiskID>
        /// Newest first.
        public let reports: [Report]
        public let canManage: Bool
        /// Why the day asked for was not taken, if it was not.
        public let error: String?

        public init(
            code: String, since: Date, until: Date, matrix: RiskMatrix, changes: RiskChanges<RiskID>, reports: [Report],
            canManage: Bool, error: String?
        ) {
            self.code = code
            self.since = since
            self.until = until
            self.matrix = matrix
            self.changes = changes
            self.reports = reports
            self.canManage = canManage
            self.error = error
        }
    }

    public static func title(_ t: Strings) -> String { t("risks.changes") }

    /// "2026-11-01" for a midnight, else the minute: what the since field shows and accepts back.
    static func sinceText(_ date: Date) -> String {
        AnalysisPeriods.calendar.startOfDay(for: date) == date ? DateText.day(date) : DateText.formTime(date)
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), since = sinceText(m.since)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("risks_title"), .risks(code))])
        html.markup("<h1>")
        html.text(t("risks_changes"))
        html.markup("</h1>\n")
        html.alert(m.error)
        html.markup("<form id=\"changes-since\" method=\"get\" action=\"")
        html.url(.riskChanges(code))
        html.markup("\" class=\"inline\">\n  <label for=\"since\">")
        html.text(t("field_since"))
        html.markup("</label>\n  <input id=\"since\" name=\"since\"")
        html.attribute("value", since)
        html.markup(" dir=\"ltr\" size=\"16\">\n  <button type=\"submit\">")
        html.text(t("analysis_apply"))
        html.markup("</button>\n</form>\n<p>")
        html.text(t("field_since"))
        html.markup(" <span dir=\"ltr\">")
        html.text(since)
        html.markup("</span> — <span dir=\"ltr\">")
        html.text(t.minute(m.until))
        html.markup("</span></p>\n")
        if m.changes.isEmpty {
            html.markup("<p id=\"no-changes\">")
            html.text(t("risks_no_changes"))
            html.markup("</p>")
        } else {
            html.riskChangeSections(m.changes, code: m.code, RiskLabels(m.matrix, t), t)
        }
        html.markup("\n")
        if m.canManage {
            html.markup("<form id=\"issue-report\" method=\"post\" action=\"")
            html.url(.riskReports(code))
            html.markup("\" class=\"stack\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n  <input type=\"hidden\" name=\"since\"")
            html.attribute("value", since)
            html.markup(">\n  <label for=\"recommendations\">")
            html.text(t("field_recommendations"))
            html.markup("</label>\n  <textarea id=\"recommendations\" name=\"recommendations\" rows=\"6\">")
            html.markup("</textarea>\n")
            html.markup("  <label for=\"report_audience\">")
            html.text(t("field_audience"))
            html.markup("</label>\n  <select id=\"report_audience\" name=\"audience\">")
            html.options(
                AudienceLevel.allCases.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == .ifrcOnly)
                })
            html.markup("</select>\n  <button type=\"submit\" class=\"primary\">")
            html.text(t("risks_issue_report"))
            html.markup("</button>\n</form>\n")
        }
        html.markup("<section id=\"reports\">\n<h2>")
        html.text(t("risks_reports"))
        html.markup("</h2>\n")
        if m.reports.isEmpty {
            html.paragraph(t("risks_no_reports"))
        } else {
            html.markup("<ul>")
            for report in m.reports {
                html.markup("<li>")
                html.link(.riskReport(code, .value(report.id)), t.riskReport(report.number))
                html.markup(" · <span dir=\"ltr\">")
                html.text(t.minute(report.issuedAt))
                html.markup("</span></li>")
            }
            html.markup("</ul>")
        }
        html.markup("\n</section>\n")
        return html
    }
}

/// A printable report as issued: the register's changes over its period, recomputed for its
/// reader as of its issue, with the recommendations made.
public enum RiskReportPage {
    public struct Model: Sendable {
        public let code: String
        public let operationName: String
        public let number: Int
        public let since: Date
        public let issuedAt: Date
        /// Who issued it, when known.
        public let author: String?
        /// The operation's matrix, which names the levels.
        public let matrix: RiskMatrix
        public let changes: RiskChanges<RiskID>
        public let recommendations: String
        public let audience: AudienceLevel

        public init(
            code: String, operationName: String, number: Int, since: Date, issuedAt: Date, author: String?,
            matrix: RiskMatrix, changes: RiskChanges<RiskID>, recommendations: String, audience: AudienceLevel
        ) {
            self.code = code
            self.operationName = operationName
            self.number = number
            self.since = since
            self.issuedAt = issuedAt
            self.author = author
            self.matrix = matrix
            self.changes = changes
            self.recommendations = recommendations
            self.audience = audience
        }
    }

    /// "Security risk report 4".
    public static func title(_ m: Model, _ t: Strings) -> String { t.riskReport(m.number) }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("risks_changes"), .riskChanges(code))])
        html.markup("<article class=\"report\">\n<h1>")
        html.text(title(m, t) + " · " + m.operationName)
        html.markup("</h1>\n<dl class=\"facts\">\n  <dt>")
        html.text(t("risks_period"))
        html.markup("</dt><dd><span dir=\"ltr\">")
        html.text(t.minute(m.since))
        html.markup("</span> — <span dir=\"ltr\">")
        html.text(t.minute(m.issuedAt))
        html.markup("</span></dd>\n")
        html.fact(t("risks_issued_by"), m.author ?? "—")
        html.fact(t("field_audience"), t(m.audience.labelKey))
        html.markup("</dl>\n")
        if m.changes.isEmpty {
            html.markup("<p id=\"no-changes\">")
            html.text(t("risks_no_changes"))
            html.markup("</p>")
        } else {
            html.riskChangeSections(m.changes, code: m.code, RiskLabels(m.matrix, t), t)
        }
        html.markup("\n<section id=\"recommendations\">\n<h2>")
        html.text(t("field_recommendations"))
        html.markup("</h2>\n<p class=\"notes\">")
        html.text(m.recommendations)
        html.markup("</p>\n</section>\n</article>\n<p class=\"actions\"><button id=\"print\" type=\"button\" hidden>")
        html.text(t("risks_print"))
        html.markup("</button></p>\n<script src=\"")
        html.url(.printScript)
        html.markup("\" defer></script>\n")
        return html
    }
}
