import Domain

/// The pieces every page shares, written once: breadcrumbs, table heads, pagers, option lists,
/// checkbox groups, one-button forms with their CSRF field, field errors and notices.
extension HTML {
    /// The hidden field every posted form carries.
    public mutating func csrfField(_ token: String) {
        markup("<input type=\"hidden\" name=\"_csrf\"")
        attribute("value", token)
        markup(">")
    }

    /// A link: `<a href="…">label</a>`, with optional literal attributes (`class="button"`, `dir="ltr"`).
    public mutating func link(_ url: SiteURL, _ label: String, _ attributes: StaticString = "") {
        markup("<a href=\"")
        self.url(url)
        markup("\"")
        if attributes.utf8CodeUnitCount > 0 { markup(" "); markup(attributes) }
        markup(">")
        text(label)
        markup("</a>")
    }

    /// "Operations › CODE › …": the way back up, each step a link; codes read left to right.
    public mutating func crumbs(
        _ t: Strings, operation code: String? = nil, _ steps: [(label: String, url: SiteURL)] = []
    ) {
        markup("<p class=\"crumbs\">")
        link(.home, t("nav_operations"))
        if let code {
            markup(" › ")
            link(.operation(.value(code)), code, "dir=\"ltr\"")
        }
        for step in steps {
            markup(" › ")
            link(step.url, step.label)
        }
        markup("</p>\n")
    }

    /// A table's head row: one column header per label, and a last one for the row's buttons,
    /// named only for screen readers, when `actions` is given.
    public mutating func tableHead(_ labels: [String], actions: String? = nil) {
        markup("<thead><tr>")
        for label in labels {
            markup("<th scope=\"col\">")
            text(label)
            markup("</th>")
        }
        if let actions {
            markup("<th scope=\"col\"><span class=\"sr-only\">")
            text(actions)
            markup("</span></th>")
        }
        markup("</tr></thead>")
    }

    /// `<option>`s of a select, the chosen one marked.
    public mutating func options(_ options: [Choice]) {
        for option in options {
            markup("<option")
            attribute("value", option.value)
            markup(option.selected ? " selected>" : ">")
            text(option.label)
            markup("</option>")
        }
    }

    /// A fieldset of checkboxes sharing one name (`name[]`), the chosen ones checked.
    public mutating func checkboxGroup(legend: String, name: String, _ choices: [Choice]) {
        markup("<fieldset><legend>")
        text(legend)
        markup("</legend>\n  ")
        for choice in choices {
            markup("<label class=\"check\"><input type=\"checkbox\"")
            attribute("name", name + "[]")
            attribute("value", choice.value)
            markup(choice.selected ? " checked> " : "> ")
            text(choice.label)
            markup("</label>")
        }
        markup("\n  </fieldset>")
    }

    /// Who may see the record: the audience select of a record's form, with its help text.
    public mutating func audienceSelect(_ t: Strings, chosen: String, help: String, errors: [String: String]) {
        markup("\n  <label for=\"audience\">")
        text(t("field_audience"))
        markup("</label>\n  <select id=\"audience\" name=\"audience\" aria-describedby=\"audience-help\">")
        options(
            AudienceLevel.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == chosen)
            })
        markup("</select>")
        fieldError(errors, "audience")
        markup("\n  <small id=\"audience-help\">")
        text(help)
        markup("</small>\n  ")
    }

    /// The links that download what a list shows (its filters kept) as CSV, HXL or GeoJSON.
    public mutating func exportLinks(_ base: SiteURL, query: [(String, String)]) {
        for (index, format) in [("csv", "CSV"), ("hxl", "HXL"), ("geojson", "GeoJSON")].enumerated() {
            if index > 0 { markup(" · ") }
            markup("<a href=\"")
            text(base.path(query: query + [("format", format.0)]))
            markup("\">")
            text(format.1)
            markup("</a>")
        }
    }

    /// An import's report, a line each, above the page's lists; nothing when there was no import.
    public mutating func importReport(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        markup("<section id=\"import-report\" class=\"report-box\"><ul class=\"plain\">")
        for line in lines {
            markup("<li>")
            text(line)
            markup("</li>")
        }
        markup("</ul></section>\n")
    }

    /// A form with one button that posts to `action` (delete, close, mark done).
    public mutating func buttonForm(_ action: SiteURL, csrf: String, label: String, buttonClass: StaticString = "") {
        markup("<form method=\"post\" action=\"")
        url(action)
        markup("\" class=\"inline\">")
        csrfField(csrf)
        markup("<button type=\"submit\"")
        if buttonClass.utf8CodeUnitCount > 0 { markup(" class=\""); markup(buttonClass); markup("\"") }
        markup(">")
        text(label)
        markup("</button></form>")
    }

    /// `<p>text</p>`: what a page says when a list is empty, and other plain sentences.
    public mutating func paragraph(_ value: String) {
        markup("<p>")
        text(value)
        markup("</p>")
    }

    /// "Page 2" with links to the previous and next pages, for lists that are not counted
    /// (counting every row would cost more than the page): the next link shows when there is more.
    public mutating func pager(_ t: Strings, page: Int, hasMore: Bool, base: SiteURL, query: [(String, String)] = []) {
        markup("<p class=\"pager\">")
        text(t("page"))
        markup(" ")
        text(page)
        markup("\n")
        if page > 1 {
            markup("<a href=\"")
            text(base.path(query: query + [("page", String(page - 1))]))
            markup("\">")
            text(t("page_prev"))
            markup("</a>")
        }
        markup("\n")
        if hasMore, page < Int.max {
            markup("<a href=\"")
            text(base.path(query: query + [("page", String(page + 1))]))
            markup("\">")
            text(t("page_next"))
            markup("</a>")
        }
        markup("</p>")
    }

    /// The message under a field that was refused, if it was.
    public mutating func fieldError(_ errors: [String: String], _ field: String) {
        guard let message = errors[field] else { return }
        markup("<p class=\"field-error\">")
        text(message)
        markup("</p>")
    }

    /// "The form has errors" above a refused form.
    public mutating func formErrors(_ t: Strings, _ errors: [String: String]) {
        guard !errors.isEmpty else { return }
        markup("<p class=\"error\" role=\"alert\">")
        text(t("form_has_errors"))
        markup("</p>")
    }

    /// "Page 2 / 7 (312)" with links to the previous and next pages, keeping the page's filters.
    public mutating func pager(_ t: Strings, _ paging: PagePosition, base: SiteURL, query: [(String, String)]) {
        markup("<p class=\"pager\">")
        text(t("page"))
        markup(" ")
        text(paging.page)
        markup(" / ")
        text(paging.pageCount)
        markup(" (")
        text(paging.total)
        markup(")\n")
        if paging.page > 1 {
            markup("<a href=\"")
            text(base.path(query: [("page", String(paging.page - 1))] + query))
            markup("\">")
            text(t("page_prev"))
            markup("</a>")
        }
        markup("\n")
        if paging.page < paging.pageCount {
            markup("<a href=\"")
            text(base.path(query: [("page", String(paging.page + 1))] + query))
            markup("\">")
            text(t("page_next"))
            markup("</a>")
        }
        markup("</p>")
    }
}

/// One choice of a select or a checkbox group.
public struct Choice: Sendable, Equatable {
    public let value: String
    public let label: String
    public let selected: Bool

    public init(value: String, label: String, selected: Bool) {
        self.value = value
        self.label = label
        self.selected = selected
    }
}

/// Where a list is: the page shown, how many pages, how many records in all.
public struct PagePosition: Sendable, Equatable {
    public let page: Int
    public let pageCount: Int
    public let total: Int

    public init(page: Int, pageCount: Int, total: Int) {
        self.page = page
        self.pageCount = pageCount
        self.total = total
    }
}

/// A chart's figures as rows and columns: the table that stands beside every chart, so what the
/// drawing shows can be read exactly, by anyone, on any screen.
public struct ChartData: Sendable {
    public let rowHeading: String
    public let columns: [String]
    public let rows: [(label: String, values: [Int])]

    public init(rowHeading: String, columns: [String], rows: [(label: String, values: [Int])]) {
        self.rowHeading = rowHeading
        self.columns = columns
        self.rows = rows
    }
}

extension HTML {
    /// The chart's table, folded under "See as a table" right below the chart.
    public mutating func chartTable(_ data: ChartData, id: StaticString, _ t: Strings) {
        guard !data.rows.isEmpty else { return }
        markup("<details class=\"chart-table\"><summary>")
        text(t("chart_as_table"))
        markup("</summary>\n<div class=\"table-box\"><table class=\"list\" id=\"")
        markup(id)
        markup("\"><thead><tr><th scope=\"col\">")
        text(data.rowHeading)
        markup("</th>")
        for column in data.columns {
            markup("<th scope=\"col\" class=\"num\">")
            text(column)
            markup("</th>")
        }
        markup("</tr></thead><tbody>")
        for row in data.rows {
            markup("<tr><th scope=\"row\"><span dir=\"ltr\">")
            text(row.label)
            markup("</span></th>")
            for value in row.values {
                markup("<td class=\"num\">")
                text(value)
                markup("</td>")
            }
            markup("</tr>")
        }
        markup("</tbody></table></div></details>\n")
    }

    /// A link from a chart to the table on the same page that holds its figures.
    public mutating func tableLink(_ id: StaticString, _ t: Strings) {
        markup("<p class=\"alt\"><a href=\"#")
        markup(id)
        markup("\">")
        text(t("chart_as_table"))
        markup("</a></p>\n")
    }
}

extension HTML {
    /// A record form's opening: the heading, every problem above the fields, the form posting to
    /// `action` with its CSRF token, and the version an edit is based on (a stale save is refused).
    /// `level` 2 for a form below a page's own heading.
    public mutating func recordFormStart(
        _ t: Strings, heading: String, errors: [String: String], action: SiteURL, csrf: String, version: String?,
        level: Int = 1
    ) {
        self.heading(level) { $0.text(heading) }
        markup("\n")
        formErrors(t, errors)
        markup("<form method=\"post\" class=\"stack\" action=\"")
        url(action)
        markup("\">")
        csrfField(csrf)
        if let version {
            markup("<input type=\"hidden\" name=\"version\"")
            attribute("value", version)
            markup(">")
        }
    }
}
