import Domain
import Foundation

/// The operation's needs assessments: where, when, how, for whom, and how many submissions each holds.
public enum AssessmentList {
    public struct Model: Sendable {
        public struct Row: Sendable {
            public let id: UUID
            public let number: Int
            public let draft: NeedsAssessmentDraft
            public let area: String
            public let submissions: Int
            public init(id: UUID, number: Int, draft: NeedsAssessmentDraft, area: String, submissions: Int) {
                self.id = id; self.number = number; self.draft = draft; self.area = area; self.submissions = submissions
            }
        }
        public let code: String
        public let rows: [Row]
        public let canManage: Bool
        public init(code: String, rows: [Row], canManage: Bool) {
            self.code = code; self.rows = rows; self.canManage = canManage
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("assessments_title"))
        html.markup("</h1>\n")
        if m.canManage {
            html.markup("<p class=\"actions\">")
            html.link(.newAssessment(code), t("assessments_new"), "id=\"new-assessment\" class=\"button primary\"")
            html.markup("</p>\n")
        }
        guard !m.rows.isEmpty else {
            html.paragraph(t("assessments_none"))
            return html
        }
        html.markup("<div class=\"scroll\"><table class=\"list\" id=\"assessments\">")
        html.tableHead([
            t("field_number"), t("field_title"), t("field_area"), t("field_period"), t("field_assessment_method"),
            t("field_groups_covered"), t("assessments.submissions"),
        ])
        html.markup("<tbody>")
        for row in m.rows {
            let d = row.draft
            html.markup("<tr><td dir=\"ltr\">")
            html.text(row.number)
            html.markup("</td><td>")
            html.link(.assessment(code, .value(row.id)), d.title)
            html.markup("</td><td>")
            html.text(row.area)
            html.markup("</td><td dir=\"ltr\">")
            html.text(DateText.day(d.startOn) + (d.endOn.map { " – " + DateText.day($0) } ?? ""))
            html.markup("</td><td>")
            html.text(t(d.method.labelKey))
            html.markup("</td><td>")
            html.text(d.groups.map { t($0.labelKey) }.joined(separator: ", "))
            html.markup("</td><td class=\"number\">")
            html.text(row.submissions)
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table></div>\n")
        return html
    }
}

/// One assessment: what it is, its findings by sector, its results by group (the host community
/// beside the displaced), the imports of its submissions, and the import itself.
public enum AssessmentPage {
    public struct Model: Sendable {
        /// The results by group, as text (suppressed where the reader does not see exact counts).
        public struct Results: Sendable {
            public struct Row: Sendable {
                public let section: String
                public let label: String
                public let cells: [String]
                public init(section: String, label: String, cells: [String]) {
                    self.section = section; self.label = label; self.cells = cells
                }
            }
            public let groups: [String]
            public let rows: [Row]
            public let needColumns: [String]
            public let needRows: [Row]
            public let exact: Bool
            public init(groups: [String], rows: [Row], needColumns: [String], needRows: [Row], exact: Bool) {
                self.groups = groups; self.rows = rows; self.needColumns = needColumns; self.needRows = needRows
                self.exact = exact
            }
        }
        public struct Import: Sendable {
            public let at: Date
            public let fileName: String
            public let format: String
            public let formKey: String
            public let added: Int
            public let alreadyThere: Int
            public let rejected: Int
            /// Field label → "column (how found)".
            public let mapping: [(String, String)]
            public let problems: [String]
            public let fileProblems: [String]
            public let problemCount: Int
            public init(
                at: Date, fileName: String, format: String, formKey: String, added: Int, alreadyThere: Int,
                rejected: Int, mapping: [(String, String)], problems: [String], fileProblems: [String],
                problemCount: Int
            ) {
                self.at = at; self.fileName = fileName; self.format = format; self.formKey = formKey
                self.added = added; self.alreadyThere = alreadyThere; self.rejected = rejected; self.mapping = mapping
                self.problems = problems; self.fileProblems = fileProblems; self.problemCount = problemCount
            }
        }
        /// The saved mapping of the last import's form, to change for the next import.
        public struct MappingForm: Sendable {
            public let formKey: String
            public let columns: [String]
            public let chosen: [String: String]
            public init(formKey: String, columns: [String], chosen: [String: String]) {
                self.formKey = formKey; self.columns = columns; self.chosen = chosen
            }
        }
        public let code: String
        public let id: UUID
        public let number: Int
        public let draft: NeedsAssessmentDraft
        public let area: String
        public let site: String
        public let results: Results
        /// "12 submissions imported from KoBo, submitted 2026-05-01 to 2026-05-03; counts entered by the assessors".
        public let source: String
        public let imports: [Import]
        public let mappingForm: MappingForm?
        public let canManage: Bool
        public var version: String = ""
        /// What was wrong with an import or a mapping: said above the import form.
        public var error: String?
        public init(
            code: String, id: UUID, number: Int, draft: NeedsAssessmentDraft, area: String, site: String,
            results: Results, source: String, imports: [Import], mappingForm: MappingForm?, canManage: Bool
        ) {
            self.code = code; self.id = id; self.number = number; self.draft = draft; self.area = area
            self.site = site; self.results = results; self.source = source; self.imports = imports
            self.mappingForm = mappingForm; self.canManage = canManage
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), d = m.draft
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("assessments_title"), .assessments(code))])
        html.markup("<h1><span dir=\"ltr\">")
        html.text("\(m.number).")
        html.markup("</span> ")
        html.text(d.title)
        html.markup("</h1>\n")
        if m.canManage {
            html.markup("<p class=\"actions\">")
            html.link(.editAssessment(code, .value(m.id)), t("form_edit"), "id=\"edit\" class=\"button\"")
            html.markup("</p>\n")
        }
        html.markup("<dl class=\"facts\" id=\"assessment-facts\">")
        for (key, value) in [
            ("field_area", m.area), ("field_site", m.site),
            ("field_period", DateText.day(d.startOn) + (d.endOn.map { " – " + DateText.day($0) } ?? "")),
            ("field_assessment_method", t(d.method.labelKey)), ("field_team", d.team),
            ("field_groups_covered", d.groups.map { t($0.labelKey) }.joined(separator: ", ")),
        ] where !value.isEmpty {
            html.markup("<dt>")
            html.text(t(key))
            html.markup("</dt><dd>")
            html.text(value)
            html.markup("</dd>")
        }
        html.markup("</dl>\n")
        if !d.findings.isEmpty {
            html.markup("<h2>")
            html.text(t("assessments.findings"))
            html.markup("</h2><div class=\"scroll\"><table class=\"list\" id=\"findings\">")
            html.tableHead([t("field_sector"), t("field_severity"), t("assessments.finding")])
            html.markup("<tbody>")
            for finding in d.findings {
                html.markup("<tr><th scope=\"row\">")
                html.text(t(finding.sector.labelKey))
                html.markup("</th><td dir=\"ltr\">")
                html.text(finding.severity.map { "\($0)/5" } ?? "–")
                html.markup("</td><td>")
                html.text(finding.text)
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div>\n")
        }
        html.markup("<h2>")
        html.text(t("assessments.results_by_group"))
        html.markup("</h2>\n<p class=\"help\" id=\"results-source\">")
        html.text(m.source)
        if !m.results.exact {
            html.text(" " + t("assessments.suppressed"))
        }
        html.markup("</p>\n")
        if m.results.rows.isEmpty {
            html.paragraph(t("assessments.no_results"))
        } else {
            html.markup("<div class=\"scroll\"><table class=\"list\" id=\"results\">")
            html.tableHead([""] + m.results.groups)
            html.markup("<tbody>")
            var section = ""
            for row in m.results.rows {
                if row.section != section {
                    section = row.section
                    html.markup("<tr class=\"section\"><th scope=\"rowgroup\"")
                    html.attribute("colspan", String(m.results.groups.count + 1))
                    html.markup(">")
                    html.text(t("assessments.section_" + section))
                    html.markup("</th></tr>")
                }
                html.markup("<tr><th scope=\"row\">")
                html.text(row.label)
                html.markup("</th>")
                for cell in row.cells {
                    // Isolated left to right: "<5" must not turn into "5>" in Arabic.
                    html.markup("<td class=\"number\" dir=\"ltr\">")
                    html.text(cell)
                    html.markup("</td>")
                }
                html.markup("</tr>")
            }
            html.markup("</tbody></table></div>\n")
        }
        if !m.results.needRows.isEmpty {
            html.markup("<h3>")
            html.text(t("assessments.needs_by_sex_age"))
            html.markup("</h3><div class=\"scroll\"><table class=\"list\" id=\"needs-by-sex-age\">")
            html.tableHead([""] + m.results.needColumns)
            html.markup("<tbody>")
            for row in m.results.needRows {
                html.markup("<tr><th scope=\"row\">")
                html.text(row.label)
                html.markup("</th>")
                for cell in row.cells {
                    // Isolated left to right: "<5" must not turn into "5>" in Arabic.
                    html.markup("<td class=\"number\" dir=\"ltr\">")
                    html.text(cell)
                    html.markup("</td>")
                }
                html.markup("</tr>")
            }
            html.markup("</tbody></table></div>\n")
        }
        if let error = m.error {
            html.markup("<p class=\"error\" role=\"alert\" id=\"import-error\">")
            html.text(error)
            html.markup("</p>\n")
        }
        if m.canManage { importForm(m, page, into: &html) }
        if !m.imports.isEmpty {
            html.markup("<h2>")
            html.text(t("assessments.imports"))
            html.markup("</h2>\n")
            for (i, item) in m.imports.enumerated() {
                html.markup(i == 0 ? "<details open class=\"import\"><summary>" : "<details class=\"import\"><summary>")
                html.markup("<span dir=\"ltr\">")
                html.text(t.minute(item.at))
                html.markup("</span> · <bdi>")
                html.text(item.fileName)
                html.markup("</bdi> · ")
                html.text(
                    t("assessments.import_counts").replacingOccurrences(of: "{added}", with: String(item.added))
                        .replacingOccurrences(of: "{there}", with: String(item.alreadyThere))
                        .replacingOccurrences(of: "{rejected}", with: String(item.rejected)))
                html.markup("</summary><p>")
                html.text(t("assessments.form_key") + " ")
                html.markup("<code dir=\"ltr\">")
                html.text(item.formKey)
                html.markup("</code> · ")
                html.text(item.format == "odk" ? "ODK" : "KoBoToolbox")
                html.markup("</p><table class=\"list mapping\">")
                html.tableHead([t("assessments.field"), t("assessments.column")])
                html.markup("<tbody>")
                for (field, column) in item.mapping {
                    html.markup("<tr><th scope=\"row\">")
                    html.text(field)
                    html.markup("</th><td><code dir=\"ltr\">")
                    html.text(column)
                    html.markup("</code></td></tr>")
                }
                html.markup("</tbody></table>")
                if !item.fileProblems.isEmpty || !item.problems.isEmpty {
                    html.markup("<ul class=\"problems\">")
                    for problem in item.fileProblems + item.problems {
                        html.markup("<li>")
                        html.text(problem)
                        html.markup("</li>")
                    }
                    if item.problemCount > item.problems.count {
                        html.markup("<li>…</li>")
                    }
                    html.markup("</ul>")
                }
                html.markup("</details>\n")
            }
        }
        if m.canManage, let form = m.mappingForm { mappingForm(form, m, page, into: &html) }
        return html
    }

    static func importForm(_ m: Model, _ page: PageChrome, into html: inout HTML) {
        let t = page.strings, code = Parameter.value(m.code)
        html.markup("<h2>")
        html.text(t("assessments.import_title"))
        html.markup("</h2><p class=\"help\">")
        html.text(t("assessments.import_help"))
        // The token rides in the query too: a streamed upload is checked before its body is read.
        html.markup("</p><form method=\"post\" enctype=\"multipart/form-data\" class=\"stack\" id=\"import\" action=\"")
        html.text(SiteURL.assessmentImport(code, .value(m.id)).path(query: [("_csrf", page.csrf)]))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.markup("<label for=\"file\">")
        html.text(t("assessments.export_file"))
        html.markup("</label><input type=\"file\" id=\"file\" name=\"file\" required accept=\".csv,.xlsx,.json\">")
        html.markup("<label for=\"form\">")
        html.text(t("assessments.form_file"))
        html.markup("</label><input type=\"file\" id=\"form\" name=\"form\" accept=\".xlsx,.json\">")
        html.select(
            "format", label: t("assessments.format"),
            [
                Choice(value: "kobo", label: "KoBoToolbox", selected: true),
                Choice(value: "odk", label: "ODK", selected: false),
            ],
            blank: nil, errors: [:])
        html.select(
            "group", label: t("assessments.default_group"),
            m.draft.groups.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: false) }, blank: "—",
            errors: [:])
        html.markup("<button type=\"submit\" class=\"primary\">")
        html.text(t("assessments.import"))
        html.markup("</button></form>\n")
    }

    static func mappingForm(_ form: Model.MappingForm, _ m: Model, _ page: PageChrome, into html: inout HTML) {
        let t = page.strings, code = Parameter.value(m.code)
        html.markup("<h2>")
        html.text(t("assessments.mapping_title"))
        html.markup("</h2><p class=\"help\">")
        html.text(t("assessments.mapping_help"))
        html.markup("</p><form method=\"post\" class=\"stack\" id=\"mapping\" action=\"")
        html.url(.assessmentMapping(code, .value(m.id)))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.markup("<input type=\"hidden\" name=\"form_key\"")
        html.attribute("value", form.formKey)
        html.markup(">")
        for field in AssessmentField.allCases {
            html.select(
                "columns[\(field.rawValue)]", id: "map-" + field.rawValue, label: t(field.labelKey),
                form.columns.map { Choice(value: $0, label: $0, selected: form.chosen[field.rawValue] == $0) },
                blank: "—", errors: [:])
        }
        html.markup("<button type=\"submit\">")
        html.text(t("form_save"))
        html.markup("</button></form>\n")
    }
}

/// The form that records an assessment or changes it.
public enum AssessmentForm {
    public struct Model: Sendable {
        public let code: String
        public let id: UUID?
        public let values: NeedsAssessmentInput
        public let errors: [String: String]
        public let version: String
        public let areas: [(pcode: String, name: String)]
        public let sites: [(id: SiteID, name: String)]
        public init(
            code: String, id: UUID?, values: NeedsAssessmentInput, errors: [String: String], version: String,
            areas: [(pcode: String, name: String)], sites: [(id: SiteID, name: String)]
        ) {
            self.code = code; self.id = id; self.values = values; self.errors = errors; self.version = version
            self.areas = areas; self.sites = sites
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, v = m.values, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("assessments_title"), .assessments(code))])
        html.recordFormStart(
            t, heading: t(m.id == nil ? "assessments_new" : "assessments_edit"), errors: m.errors,
            action: m.id.map { .editAssessment(code, .value($0)) } ?? .assessments(code), csrf: page.csrf,
            version: m.id == nil ? nil : m.version)
        html.field("title", label: t("field_title"), value: v.title, errors: m.errors, attributes: "required")
        html.select(
            "area", label: t("field_area"),
            m.areas.map { Choice(value: $0.pcode, label: "\($0.name) (\($0.pcode))", selected: $0.pcode == v.area) },
            blank: "—", errors: m.errors)
        html.select(
            "site", label: t("field_site"),
            m.sites.map { Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.site) },
            blank: "—", errors: m.errors)
        html.field(
            "start_on", label: t("field_start_on"), value: v.startOn, errors: m.errors,
            attributes: "type=\"date\" dir=\"ltr\" required")
        html.field(
            "end_on", label: t("field_end_on"), value: v.endOn, errors: m.errors,
            attributes: "type=\"date\" dir=\"ltr\"")
        html.select(
            "method", label: t("field_assessment_method"),
            AssessmentMethod.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.method)
            },
            blank: "—", errors: m.errors)
        html.field("team", label: t("field_team"), value: v.team, errors: m.errors)
        html.checkboxGroup(
            legend: t("field_groups_covered"), name: "groups",
            PopulationType.allCases.filter { $0 != .totalPopulation }.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: v.groups.contains($0.rawValue))
            })
        html.fieldError(m.errors, "groups")
        html.markup("\n  <h2>")
        html.text(t("assessments.findings"))
        html.markup("</h2>")
        let rows = v.findings + Array(repeating: NeedsAssessmentInput.Finding(), count: 3)
        for (i, row) in rows.enumerated() {
            let prefix = "findings[\(i)]"
            html.markup("\n  <fieldset class=\"measure\"><legend>")
            html.text(t("assessments.finding_n").replacingOccurrences(of: "{count}", with: String(i + 1)))
            html.markup("</legend><label>")
            html.text(t("field_sector"))
            html.markup(" <select")
            html.attribute("name", prefix + "[sector]")
            html.markup("><option value=\"\">—</option>")
            html.options(
                IFRCSector.allCases.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == row.sector)
                })
            html.markup("</select></label><label>")
            html.text(t("field_severity"))
            html.markup(" <select")
            html.attribute("name", prefix + "[severity]")
            html.markup("><option value=\"\">—</option>")
            html.options(
                (1...5).map { Choice(value: String($0), label: "\($0)", selected: String($0) == row.severity) })
            html.markup("</select></label><label class=\"wide\">")
            html.text(t("assessments.finding"))
            html.markup(" <textarea rows=\"2\"")
            html.attribute("name", prefix + "[text]")
            html.markup(">")
            html.text(row.text)
            html.markup("</textarea></label>")
            html.fieldError(m.errors, prefix)
            html.markup("</fieldset>")
        }
        html.markup("\n  <label for=\"need_counts\">")
        html.text(t("assessments.need_counts"))
        html.markup("</label><small id=\"need-counts-help\">")
        html.text(t("assessments.need_counts_help"))
        html.markup(
            "</small><textarea id=\"need_counts\" name=\"need_counts\" rows=\"4\" dir=\"ltr\" aria-describedby=\"need-counts-help\">"
        )
        html.text(v.needCounts)
        html.markup("</textarea>")
        html.fieldError(m.errors, "need_counts")
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button></form>\n")
        return html
    }
}
