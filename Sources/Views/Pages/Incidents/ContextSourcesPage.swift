import Foundation

/// Published incident datasets of an operation (AWSD, SiND, ACLED, HXL): what is imported, and the upload.
public enum ContextSourcesPage {
    public struct Model: Sendable {
        public struct Source: Sendable {
            public let name: String
            public let total: Int
            public let missing: Int

            public init(name: String, total: Int, missing: Int) {
                self.name = name
                self.total = total
                self.missing = missing
            }
        }

        public let code: String
        public let sources: [Source]
        /// The formats the upload accepts (raw values), in order.
        public let formats: [String]
        public let canImport: Bool
        /// The import's report, a line each, when a file was just imported.
        public let report: [String]?
        public let error: String?
        public let maxMB: Int

        public init(
            code: String, sources: [Source], formats: [String], canImport: Bool, report: [String]?, error: String?,
            maxMB: Int
        ) {
            self.code = code
            self.sources = sources
            self.formats = formats
            self.canImport = canImport
            self.report = report
            self.error = error
            self.maxMB = maxMB
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("incidents_title"), .incidents(code))])
        html.markup("<h1>")
        html.text(t("sources_title"))
        html.markup("</h1>\n<p class=\"hint\">")
        html.text(t("sources_intro"))
        html.markup("</p>\n")
        html.alert(m.error)
        if let report = m.report {
            html.markup("<section id=\"import-report\"><h2>")
            html.text(t("sources_report"))
            html.markup("</h2><ol class=\"problems\" dir=\"ltr\">")
            for line in report {
                html.markup("<li>")
                html.text(line)
                html.markup("</li>")
            }
            html.markup("</ol></section>\n")
        }
        html.markup("<table class=\"list\" id=\"context-sources\">\n")
        html.tableHead([t("analysis_sources"), t("analysis_count"), t("sources_missing")])
        html.markup("\n<tbody>")
        for source in m.sources {
            html.markup("<tr><td>")
            html.text(t.sourceName(source.name))
            html.markup("</td><td class=\"num\">")
            html.text(source.total)
            html.markup("</td><td class=\"num\">")
            html.text(source.missing)
            html.markup("</td></tr>")
        }
        html.markup("</tbody>\n</table>\n")
        if m.canImport {
            html.markup("<form id=\"context-upload\" method=\"post\" action=\"")
            html.text(SiteURL.contextSources(code).path(query: [("_csrf", page.csrf)]))
            html.markup("\" enctype=\"multipart/form-data\" class=\"stack\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n  <label for=\"format\">")
            html.text(t("analysis_format"))
            html.markup("</label>\n  <select id=\"format\" name=\"format\">")
            html.options(m.formats.map { Choice(value: $0, label: t("sources.format_" + $0), selected: false) })
            html.markup("</select>\n  <label for=\"file\">")
            html.text(t("sources_file"))
            html.markup(
                "</label>\n  <input id=\"file\" name=\"file\" type=\"file\" accept=\".csv,.json,text/csv,application/json\" required aria-describedby=\"file-help\">\n  <small id=\"file-help\">"
            )
            html.text(t("sources_help") + " (≤ \(m.maxMB) MB)")
            html.markup(
                "</small>\n  <label class=\"check\"><input type=\"checkbox\" name=\"all_countries\" value=\"on\"> ")
            html.text(t("sources_all_countries"))
            html.markup("</label>\n  <button id=\"import\" type=\"submit\" class=\"primary\">")
            html.text(t("sources_import"))
            html.markup("</button>\n</form>\n")
        }
        return html
    }
}
