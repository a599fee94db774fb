import Domain
import Foundation

extension HTML {
    /// A score out of 100 as a meter a screen reader reads as a number: "72", or "—" before any answer.
    public mutating func score(_ score: Int?) {
        guard let score else { markup("—"); return }
        markup("<meter min=\"0\" max=\"100\" low=\"50\" high=\"80\" optimum=\"100\"")
        attribute("value", String(score))
        markup("></meter> ")
        text(score)
    }
}

/// The latest security assessment of every site the viewer may see, side by side.
public enum SiteAssessmentComparison {
    public struct Model: Sendable {
        public struct Row: Sendable {
            public let siteID: SiteID
            public let assessmentID: SiteAssessmentID
            public let siteName: String
            public let siteType: SiteType
            public let kind: SiteChecklistKind
            public let day: String
            public let score: Int?
            public let openRecommendations: Int
            public let overdueRecommendations: Int

            public init(
                siteID: SiteID, assessmentID: SiteAssessmentID, siteName: String, siteType: SiteType,
                kind: SiteChecklistKind,
                day: String, score: Int?, openRecommendations: Int, overdueRecommendations: Int
            ) {
                self.siteID = siteID
                self.assessmentID = assessmentID
                self.siteName = siteName
                self.siteType = siteType
                self.kind = kind
                self.day = day
                self.score = score
                self.openRecommendations = openRecommendations
                self.overdueRecommendations = overdueRecommendations
            }
        }

        public let code: String
        public let rows: [Row]

        public init(code: String, rows: [Row]) {
            self.code = code
            self.rows = rows
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("sites_title"), .sites(code))])
        html.markup("<h1>")
        html.text(t("site_assessments_title"))
        html.markup("</h1>\n<p>")
        html.text(t("site_assessments_compare_help"))
        html.markup("</p>\n")
        guard !m.rows.isEmpty else {
            html.markup("<p>")
            html.text(t("site_assessments_none"))
            html.markup("</p>\n")
            return html
        }
        html.markup("<table class=\"list\" id=\"site-comparison\">\n")
        html.tableHead([
            t("field_name"), t("field_type"), t("site_assessments_checklist"), t("field_date"),
            t("site_assessments_score"), t("site_assessments_open_recommendations"),
        ])
        html.markup("\n<tbody>")
        for row in m.rows {
            html.markup("<tr><td>")
            html.link(.siteAssessment(code, site: .value(row.siteID), .value(row.assessmentID)), row.siteName)
            html.markup("</td><td>")
            html.text(t(row.siteType.labelKey))
            html.markup("</td><td>")
            html.text(t(row.kind.labelKey))
            html.markup("</td><td dir=\"ltr\" class=\"nowrap\">")
            html.text(row.day)
            html.markup("</td><td class=\"score\">")
            html.score(row.score)
            html.markup("</td><td>")
            html.text(row.openRecommendations)
            if row.overdueRecommendations > 0 {
                html.markup(" <strong class=\"overdue\">(")
                html.text(
                    t("risks.overdue_count").replacingOccurrences(
                        of: "{count}", with: String(row.overdueRecommendations)))
                html.markup(")</strong>")
            }
            html.markup("</td></tr>")
        }
        html.markup("</tbody>\n</table>\n")
        return html
    }
}

/// The form that records a site's assessment against its checklist.
public enum SiteAssessmentForm {
    public struct Recommendation: Sendable, Equatable {
        public let text: String
        public let owner: String
        public let due: String

        public init(text: String, owner: String, due: String) {
            self.text = text
            self.owner = owner
            self.due = due
        }

        public var isEmpty: Bool { text.isEmpty && owner.isEmpty && due.isEmpty }
    }

    public struct Model: Sendable {
        public let code: String
        public let siteID: SiteID
        public let siteName: String
        public let kind: SiteChecklistKind
        public let items: [SiteChecklist.Item]
        /// Item code → the answer chosen so far (raw value).
        public let answers: [String: String]
        public let assessedOn: String
        public let findings: String
        /// The recommendations typed so far; the form adds empty rows to type more.
        public let recommendations: [Recommendation]
        public let errors: [String: String]

        public init(
            code: String, siteID: SiteID, siteName: String, kind: SiteChecklistKind, items: [SiteChecklist.Item],
            answers: [String: String], assessedOn: String, findings: String, recommendations: [Recommendation],
            errors: [String: String]
        ) {
            self.code = code
            self.siteID = siteID
            self.siteName = siteName
            self.kind = kind
            self.items = items
            self.answers = answers
            self.assessedOn = assessedOn
            self.findings = findings
            self.recommendations = recommendations
            self.errors = errors
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), site = Parameter.value(m.siteID)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(m.siteName, .site(code, site))])
        html.markup("<h1>")
        html.text(t("site_assessments_new"))
        html.markup("</h1>\n<form id=\"choose-checklist\" method=\"get\" action=\"")
        html.url(.newSiteAssessment(code, site: site))
        html.markup("\" class=\"inline\">\n  <label for=\"kind-choice\">")
        html.text(t("site_assessments_checklist"))
        html.markup("</label>\n  <select id=\"kind-choice\" name=\"kind\">")
        html.options(
            SiteChecklistKind.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.kind) }
        )
        html.markup("</select>\n  <button type=\"submit\">")
        html.text(t("site_assessments_use_checklist"))
        html.markup("</button>\n</form>\n")
        html.formErrors(t, m.errors)
        html.markup("<form id=\"site-assessment-form\" method=\"post\" action=\"")
        html.url(.siteAssessments(code, site: site))
        html.markup("\" class=\"stack\">\n  ")
        html.csrfField(page.csrf)
        html.markup("\n  <input type=\"hidden\" name=\"kind\"")
        html.attribute("value", m.kind.rawValue)
        html.markup(">\n  <label for=\"assessed_on\">")
        html.text(t("field_date"))
        html.markup("</label>\n  <input id=\"assessed_on\" name=\"assessed_on\" type=\"date\"")
        html.attribute("value", m.assessedOn)
        html.markup(" dir=\"ltr\" required>\n  ")
        html.fieldError(m.errors, "assessed_on")
        html.markup("\n  <table class=\"list\" id=\"checklist\">\n  ")
        html.tableHead([t("site_assessments_item"), t("site_assessments_answer")])
        html.markup("\n  <tbody>")
        for item in m.items {
            html.markup("<tr><td>")
            html.text(item.text)
            html.markup(" <small>")
            html.text(t("site_assessments.weight").replacingOccurrences(of: "{count}", with: String(item.weight)))
            html.markup("</small></td><td><select")
            html.attribute("name", "answers[\(item.code)]")
            html.attribute("aria-label", item.text)
            html.markup(">")
            let chosen = m.answers[item.code] ?? ""
            html.options(
                [Choice(value: "", label: "—", selected: chosen.isEmpty)]
                    + ChecklistAnswer.allCases.map {
                        Choice(
                            value: $0.rawValue, label: t("checklist_answer.\($0.rawValue)"),
                            selected: $0.rawValue == chosen)
                    })
            html.markup("</select></td></tr>")
        }
        html.markup("</tbody>\n  </table>\n  ")
        html.fieldError(m.errors, "answers")
        html.markup("\n  <label for=\"findings\">")
        html.text(t("site_assessments_findings"))
        html.markup("</label>\n  <textarea id=\"findings\" name=\"findings\" rows=\"4\" dir=\"auto\">")
        html.text(m.findings)
        html.markup("</textarea>\n  <h2>")
        html.text(t("site_assessments_recommendations"))
        html.markup("</h2>\n  ")
        let given = m.recommendations.filter { !$0.isEmpty }
        let blank = Recommendation(text: "", owner: "", due: "")
        for (i, row) in (given + Array(repeating: blank, count: given.isEmpty ? 2 : 1)).enumerated() {
            html.markup("<fieldset class=\"measure\"><legend>")
            html.text(t("site_assessments.recommendation_n").replacingOccurrences(of: "{count}", with: String(i + 1)))
            html.markup("</legend><label>")
            html.text(t("site_assessments.recommendation"))
            html.markup(" <input")
            html.attribute("name", "recommendations[\(i)][text]")
            html.attribute("value", row.text)
            html.markup("></label><label>")
            html.text(t("field_owner"))
            html.markup(" <input")
            html.attribute("name", "recommendations[\(i)][owner]")
            html.attribute("value", row.owner)
            html.markup("></label><label>")
            html.text(t("field_due"))
            html.markup(" <input type=\"date\" dir=\"ltr\"")
            html.attribute("name", "recommendations[\(i)][due]")
            html.attribute("value", row.due)
            html.markup("></label>")
            html.fieldError(m.errors, "recommendations[\(i)]")
            html.markup("</fieldset>")
        }
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

/// One assessment: its score, findings, recommendations (each can be marked done) and answers.
public enum SiteAssessmentPage {
    public struct Model: Sendable {
        public struct Recommendation: Sendable {
            public let text: String
            public let owner: String
            public let due: String
            public let done: Bool
            public let overdue: Bool

            public init(text: String, owner: String, due: String, done: Bool, overdue: Bool) {
                self.text = text
                self.owner = owner
                self.due = due
                self.done = done
                self.overdue = overdue
            }
        }

        public let code: String
        public let siteID: SiteID
        public let siteName: String
        public let assessmentID: SiteAssessmentID
        public let kind: SiteChecklistKind
        public let day: String
        public let score: Int?
        /// Each checklist item with its answer, if it was answered.
        public let answers: [(text: String, answer: ChecklistAnswer?)]
        public let findings: String
        public let recommendations: [Recommendation]
        public let canWrite: Bool

        public init(
            code: String, siteID: SiteID, siteName: String, assessmentID: SiteAssessmentID, kind: SiteChecklistKind,
            day: String,
            score: Int?, answers: [(text: String, answer: ChecklistAnswer?)], findings: String,
            recommendations: [Recommendation], canWrite: Bool
        ) {
            self.code = code
            self.siteID = siteID
            self.siteName = siteName
            self.assessmentID = assessmentID
            self.kind = kind
            self.day = day
            self.score = score
            self.answers = answers
            self.findings = findings
            self.recommendations = recommendations
            self.canWrite = canWrite
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), site = Parameter.value(m.siteID)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(m.siteName, .site(code, site))])
        html.markup("<h1>")
        html.text(m.siteName + ": " + t(m.kind.labelKey) + " · " + m.day)
        html.markup("</h1>\n<p id=\"score\"><strong>")
        html.text(t("site_assessments_score"))
        html.markup("</strong>: ")
        html.score(m.score)
        html.markup("</p>\n")
        if !m.findings.isEmpty {
            html.markup("<h2>")
            html.text(t("site_assessments_findings"))
            html.markup("</h2><p class=\"notes\" dir=\"auto\">")
            html.text(m.findings)
            html.markup("</p>")
        }
        html.markup("\n<h2>")
        html.text(t("site_assessments_recommendations"))
        html.markup("</h2>\n")
        if m.recommendations.isEmpty {
            html.paragraph(t("site_assessments_no_recommendations"))
        } else {
            html.markup("<table class=\"list\" id=\"recommendations\">\n")
            html.tableHead([t("site_assessments_recommendation"), t("field_owner"), t("field_due"), t("phases_status")])
            html.markup("\n<tbody>")
            for (i, r) in m.recommendations.enumerated() {
                html.markup(r.overdue ? "<tr class=\"late\"><td>" : "<tr><td>")
                html.text(r.text)
                html.markup("</td><td>")
                html.text(r.owner)
                html.markup(
                    r.overdue
                        ? "</td><td dir=\"ltr\" class=\"nowrap overdue\">" : "</td><td dir=\"ltr\" class=\"nowrap\">")
                html.text(r.due)
                html.markup("</td><td>")
                html.text(t(r.done ? "site_assessments.done" : "site_assessments.open"))
                if m.canWrite {
                    html.markup(" <form method=\"post\" class=\"inline\" action=\"")
                    html.url(.siteRecommendationDone(code, site: site, .value(m.assessmentID), index: .value(i)))
                    html.markup("\">")
                    html.csrfField(page.csrf)
                    html.markup(
                        r.done
                            ? "<input type=\"hidden\" name=\"done\" value=\"no\">"
                            : "<input type=\"hidden\" name=\"done\" value=\"yes\">")
                    html.markup("<button type=\"submit\">")
                    html.text(t(r.done ? "site_assessments.reopen" : "site_assessments.mark_done"))
                    html.markup("</button></form>")
                }
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table>")
        }
        html.markup("\n<h2>")
        html.text(t("site_assessments_checklist"))
        html.markup("</h2>\n<table class=\"list\" id=\"answers\">\n")
        html.tableHead([t("site_assessments_item"), t("site_assessments_answer")])
        html.markup("\n<tbody>")
        for item in m.answers {
            html.markup(item.answer == .no ? "<tr class=\"late\"><td>" : "<tr><td>")
            html.text(item.text)
            html.markup("</td><td>")
            html.text(item.answer.map { t("checklist_answer.\($0.rawValue)") } ?? "—")
            html.markup("</td></tr>")
        }
        html.markup("</tbody>\n</table>\n")
        return html
    }
}
