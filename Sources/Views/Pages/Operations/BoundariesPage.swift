import Foundation

/// An operation's admin boundaries: what is stored, level by level, and the import of OCHA COD-AB GeoJSON.
public enum BoundariesPage {
    public struct Report: Sendable {
        public let imported: Bool
        public let fileName: String
        /// Features per level in the file.
        public let levels: [(level: Int, count: Int)]
        public let problems: [String]
        public let inserted: Int
        public let updated: Int
        public let relocated: Int
        public let incidentsPlaced: Int

        public init(
            imported: Bool, fileName: String, levels: [(level: Int, count: Int)], problems: [String], inserted: Int,
            updated: Int, relocated: Int, incidentsPlaced: Int
        ) {
            self.imported = imported
            self.fileName = fileName
            self.levels = levels
            self.problems = problems
            self.inserted = inserted
            self.updated = updated
            self.relocated = relocated
            self.incidentsPlaced = incidentsPlaced
        }
    }

    public struct Model: Sendable {
        public struct Area: Sendable {
            public let level: Int
            public let pcode: String
            public let parent: String?
            public let name: String
            /// The Arabic name, when it differs from the name.
            public let nameAr: String?

            public init(level: Int, pcode: String, parent: String?, name: String, nameAr: String?) {
                self.level = level
                self.pcode = pcode
                self.parent = parent
                self.name = name
                self.nameAr = nameAr
            }
        }

        public let code: String
        public let counts: [(level: Int, count: Int)]
        public let areas: [Area]
        public let paging: PagePosition
        public let canManage: Bool
        public let report: Report?
        public let error: String?
        public let maxMB: Int

        public init(
            code: String, counts: [(level: Int, count: Int)], areas: [Area], paging: PagePosition, canManage: Bool,
            report: Report?, error: String?, maxMB: Int
        ) {
            self.code = code
            self.counts = counts
            self.areas = areas
            self.paging = paging
            self.canManage = canManage
            self.report = report
            self.error = error
            self.maxMB = maxMB
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("boundaries_title"))
        html.markup("</h1>\n")
        html.alert(m.error)
        if let report = m.report {
            html.markup(
                report.imported
                    ? "<section id=\"import-report\" data-imported=\"true\" aria-labelledby=\"report-title\">\n"
                    : "<section id=\"import-report\" data-imported=\"false\" aria-labelledby=\"report-title\">\n")
            html.markup("<h2 id=\"report-title\">")
            html.text(t("boundaries_report"))
            html.markup(" · <span dir=\"ltr\">")
            html.text(report.fileName)
            html.markup("</span></h2>\n")
            html.levelCounts(report.levels, t, id: nil)
            html.markup("\n")
            if report.imported {
                html.markup("<p class=\"ok\" role=\"status\">")
                html.text(
                    t("boundaries_imported") + " (+\(report.inserted) / ↻\(report.updated); "
                        + t("boundaries_relocated")
                        + ": \(report.relocated); " + t("boundaries_incidents_placed") + ": \(report.incidentsPlaced))")
                html.markup("</p>\n")
            } else {
                html.alert(t("boundaries_refused"))
            }
            if !report.problems.isEmpty {
                html.markup("<h3>")
                html.text(t("boundaries_problems") + " (\(report.problems.count))")
                html.markup("</h3><ol class=\"problems\" dir=\"ltr\">")
                for problem in report.problems {
                    html.markup("<li>")
                    html.text(problem)
                    html.markup("</li>")
                }
                html.markup("</ol>")
            }
            html.markup("\n</section>\n")
        }
        if m.canManage {
            // The token also rides in the query: the upload streams, so the body is read only after the check.
            html.markup("<form id=\"boundary-upload\" method=\"post\" action=\"")
            html.text(SiteURL.boundaries(code).path(query: [("_csrf", page.csrf)]))
            html.markup("\" enctype=\"multipart/form-data\" class=\"stack\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n  <label for=\"file\">")
            html.text(t("boundaries_file"))
            html.markup(
                "</label>\n  <input id=\"file\" name=\"file\" type=\"file\" accept=\".geojson,.json,application/geo+json\" required aria-describedby=\"file-help\">\n  <small id=\"file-help\">"
            )
            html.text(t("boundaries_help") + " (≤ \(m.maxMB) MB)")
            html.markup("</small>\n  <label for=\"level\">")
            html.text(t("boundaries_level"))
            html.markup("</label>\n  <select id=\"level\" name=\"level\"><option value=\"\">")
            html.text(t("boundaries_detect"))
            html.markup(
                "</option><option value=\"0\">0</option><option value=\"1\">1</option><option value=\"2\">2</option><option value=\"3\">3</option></select>\n  <button id=\"upload\" type=\"submit\" class=\"primary\">"
            )
            html.text(t("boundaries_upload"))
            html.markup("</button>\n</form>\n")
        }
        html.markup("<h2>")
        html.text(t("boundaries_current"))
        html.markup("</h2>\n")
        html.levelCounts(m.counts, t, id: "area-counts")
        html.markup("\n")
        if !m.areas.isEmpty {
            html.markup("<table class=\"list\">\n<thead><tr><th scope=\"col\">")
            html.text(t("areas_level_label"))
            html.markup("</th><th scope=\"col\">P-code</th><th scope=\"col\">")
            html.text(t("areas_parent"))
            html.markup("</th><th scope=\"col\">")
            html.text(t("field_name"))
            html.markup("</th><th scope=\"col\" lang=\"ar\">العربية</th></tr></thead>\n<tbody>")
            for area in m.areas {
                html.markup("<tr><td>")
                html.text(area.level)
                html.markup("</td><td class=\"code\" dir=\"ltr\">")
                html.text(area.pcode)
                html.markup("</td><td class=\"code\" dir=\"ltr\">")
                html.text(area.parent ?? "")
                html.markup("</td><td>")
                html.text(area.name)
                html.markup("</td><td lang=\"ar\" dir=\"rtl\">")
                html.text(area.nameAr ?? "")
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table>\n")
            html.pager(t, m.paging, base: .boundaries(code), query: [])
        }
        return html
    }
}

extension HTML {
    /// "Level 1: **18**" per level, each item marked with its level.
    mutating func levelCounts(_ counts: [(level: Int, count: Int)], _ t: Strings, id: StaticString?) {
        markup("<ul class=\"counts\"")
        if let id { markup(" id=\""); markup(id); markup("\"") }
        markup(">")
        for count in counts {
            markup("<li")
            attribute("data-level", String(count.level))
            markup(">")
            text(t("areas_level_label") + " \(count.level): ")
            markup("<strong>")
            text(count.count)
            markup("</strong></li>")
        }
        markup("</ul>")
    }
}
