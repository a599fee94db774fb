import Domain
import Foundation
import Geo

/// A document as every view of it needs it: what it is, its period, its writers' part and its content.
public struct BriefDocument: Sendable {
    public let id: BriefID
    public let kind: BriefKind
    public let number: Int
    public let edition: Int
    public let state: BriefState
    public let period: ReportPeriod
    public let language: ProductLanguage
    public let audience: AudienceLevel
    public let audienceConfirmed: Bool
    public let issuedBy: String?
    public let issuedAt: Date?
    public let narrative: String
    public let recommendations: [(role: BriefRole, text: String)]
    public let content: BriefContent
    /// The document's own language: its headings read as its generated text does.
    public let strings: Strings

    public init(
        id: BriefID, kind: BriefKind, number: Int, edition: Int, state: BriefState, period: ReportPeriod,
        language: ProductLanguage, audience: AudienceLevel, audienceConfirmed: Bool, issuedBy: String?,
        issuedAt: Date?, narrative: String, recommendations: [(role: BriefRole, text: String)], content: BriefContent,
        strings: Strings
    ) {
        self.id = id
        self.kind = kind
        self.number = number
        self.edition = edition
        self.state = state
        self.period = period
        self.language = language
        self.audience = audience
        self.audienceConfirmed = audienceConfirmed
        self.issuedBy = issuedBy
        self.issuedAt = issuedAt
        self.narrative = narrative
        self.recommendations = recommendations
        self.content = content
        self.strings = strings
    }

    /// "HeOps weekly brief 12" (" · version 2" for a later edition), in `t`'s language.
    public func title(_ t: Strings) -> String { Self.title(kind: kind, number: number, edition: edition, t) }

    public static func title(kind: BriefKind, number: Int, edition: Int, _ t: Strings) -> String {
        var title = t(kind.labelKey) + " " + String(number)
        if edition > 1 { title += " · " + t("briefs_edition").replacingOccurrences(of: "{n}", with: String(edition)) }
        return title
    }

    /// "2026-11-30 – 2026-12-06"; the handover pack's one day.
    public var periodText: String { Self.periodText(kind: kind, period: period) }

    public static func periodText(kind: BriefKind, period: ReportPeriod) -> String {
        kind.hasPeriod
            ? DateText.day(period.first) + " – " + DateText.day(period.last) : DateText.day(period.last)
    }
}

extension HTML {
    /// The document's body in its own language and direction: the narrative, the recommendations,
    /// then each part's sections with their figures, tables and charts.
    mutating func briefBody(_ d: BriefDocument) {
        let t = d.strings
        markup("<article class=\"brief\"")
        attribute("lang", d.language.rawValue)
        markup(d.language.rightToLeft ? " dir=\"rtl\">" : " dir=\"ltr\">")
        if !d.narrative.isEmpty {
            markup("<section class=\"brief-narrative\"><h2>")
            text(t("briefs_narrative"))
            markup("</h2>")
            append(RichText.html(d.narrative))
            markup("</section>\n")
        }
        for (role, recommendations) in d.recommendations where !recommendations.isEmpty {
            markup("<section class=\"brief-recommendations\"><h2>")
            text(t(role.labelKey))
            markup("</h2><ol>")
            for line in recommendations.split(whereSeparator: \.isNewline) {
                let item = line.trimmingCharacters(in: .whitespaces)
                guard !item.isEmpty else { continue }
                markup("<li>")
                text(item.hasPrefix("- ") ? String(item.dropFirst(2)) : item)
                markup("</li>")
            }
            markup("</ol></section>\n")
        }
        for part in d.kind.parts {
            let sections = d.content.sections.filter { $0.part == part }
            guard !sections.isEmpty else { continue }
            markup("<section class=\"brief-part\"><h2>")
            text(t(part.labelKey))
            markup("</h2>\n")
            for section in sections { briefSection(section, t) }
            markup("</section>\n")
        }
        markup("</article>\n")
    }

    mutating func briefSection(_ s: BriefContent.Section, _ t: Strings) {
        markup("<section class=\"brief-section\"")
        attribute("id", s.key.replacingOccurrences(of: ".", with: "-"))
        markup("><h3>")
        text(s.title)
        markup("</h3>\n")
        let figures = s.items.filter { $0.display != nil }
        if !figures.isEmpty {
            markup("<div class=\"scroll\"><table class=\"list figures\">")
            tableHead([
                t("brief_column.figure"), t("brief_column.value"), t("brief_column.previous"), t("brief_column.change"),
            ])
            markup("<tbody>")
            for item in figures {
                markup(item.tone == .attention ? "<tr class=\"attention\"><td>" : "<tr><td>")
                if let link = item.link {
                    markup("<a href=\"")
                    text(link)
                    markup("\">")
                    text(item.label)
                    markup("</a>")
                } else {
                    text(item.label)
                }
                if let note = item.note {
                    markup("<br><small>")
                    text(note)
                    markup("</small>")
                }
                // The source and date under the figure's name: one column fewer on a phone.
                markup("<br><small class=\"source\">")
                text(item.source ?? "")
                if let asOf = item.asOf {
                    markup(" · <bdi dir=\"ltr\">")
                    text(asOf)
                    markup("</bdi>")
                }
                markup("</small></td><td class=\"number\"><bdi dir=\"ltr\">")
                text(item.display ?? "")
                markup("</bdi></td><td class=\"number\"><bdi dir=\"ltr\">")
                text(item.previousDisplay ?? "")
                markup("</bdi></td><td class=\"number\"><bdi dir=\"ltr\">")
                if let change = item.changePercent { text(DecimalText.signedPercent(change)) }
                markup("</bdi></td></tr>")
            }
            markup("</tbody></table></div>\n")
        }
        for item in s.items where item.display == nil {
            if let table = item.table {
                markup("<figure class=\"brief-table\"><figcaption>")
                text(item.label)
                markup("</figcaption><div class=\"scroll\"><table class=\"list\">")
                tableHead(table.columns)
                markup("<tbody>")
                for row in table.rows {
                    markup("<tr>")
                    for cell in row {
                        markup("<td>")
                        if let link = cell.link {
                            markup("<a href=\"")
                            text(link)
                            markup("\"><bdi>")
                            text(cell.text)
                            markup("</bdi></a>")
                        } else {
                            markup("<bdi>")
                            text(cell.text)
                            markup("</bdi>")
                        }
                        markup("</td>")
                    }
                    markup("</tr>")
                }
                markup("</tbody></table></div>")
                if table.more > 0 || item.source != nil {
                    markup("<p><small>")
                    if table.more > 0 {
                        text(t("briefs_more").replacingOccurrences(of: "{n}", with: String(table.more)) + " ")
                    }
                    text(item.source ?? "")
                    if let link = item.link {
                        markup(" · <a href=\"")
                        text(link)
                        markup("\">")
                        text(t("briefs_open"))
                        markup("</a>")
                    }
                    markup("</small></p>")
                }
                markup("</figure>\n")
            } else if let chart = item.chart {
                let colours = ["#1f5f8b", "#c8102e"]
                var bars = SVGBarChart(
                    labels: chart.labels,
                    series: chart.series.enumerated().map { i, s in
                        .init(
                            name: s.name,
                            values: s.values.map(SVGBarChart.whole),
                            colour: colours[i % colours.count])
                    }, title: item.label)
                bars.number = DecimalText.grouped
                let svg = bars.render()
                markup("<figure class=\"brief-chart\"><figcaption>")
                text(item.label)
                markup("</figcaption><div class=\"chart\">")
                self.svg(svg)
                markup("</div><p><small>")
                text(item.source ?? "")
                markup("</small></p></figure>\n")
            } else {
                markup("<p>")
                text(item.label)
                markup("</p>\n")
            }
        }
        markup("</section>\n")
    }

    mutating func briefState(_ state: BriefState, _ t: Strings) {
        markup(state == .issued ? "<span class=\"tag represented\">" : "<span class=\"tag\">")
        text(t(state.labelKey))
        markup("</span>")
    }
}

/// The documents of an operation: drafts, the series of each kind, and a new one.
public enum BriefList {
    public struct Line: Sendable {
        public let id: BriefID
        public let title: String
        public let kind: BriefKind
        public let period: String
        public let state: BriefState
        public let audience: AudienceLevel
        public let issuedAt: Date?
        public init(
            id: BriefID, title: String, kind: BriefKind, period: String, state: BriefState, audience: AudienceLevel,
            issuedAt: Date?
        ) {
            self.id = id
            self.title = title
            self.kind = kind
            self.period = period
            self.state = state
            self.audience = audience
            self.issuedAt = issuedAt
        }
    }

    /// A schedule as the list shows it.
    public struct Schedule: Sendable {
        public let id: BriefScheduleID
        public let draft: BriefScheduleDraft
        public let list: String
        public let nextRunAt: Date
        public let lastRunAt: Date?
        public let lastBrief: BriefID?
        public let lastError: String?
        public init(
            id: BriefScheduleID, draft: BriefScheduleDraft, list: String, nextRunAt: Date, lastRunAt: Date?,
            lastBrief: BriefID?, lastError: String?
        ) {
            self.id = id
            self.draft = draft
            self.list = list
            self.nextRunAt = nextRunAt
            self.lastRunAt = lastRunAt
            self.lastBrief = lastBrief
            self.lastError = lastError
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let rows: [Line]
        public let paging: PagePosition
        public let kind: BriefKind?
        public let canWrite: Bool
        public let values: BriefInput
        public let errors: [String: String]
        public let schedules: [Schedule]
        public let lists: [(id: DistributionListID, name: String)]
        public let schedule: BriefScheduleInput
        public let scheduleErrors: [String: String]
        /// The reader may read the security budget lines.
        public let budget: Bool
        public init(
            code: String, rows: [Line], paging: PagePosition, kind: BriefKind?, canWrite: Bool, values: BriefInput,
            errors: [String: String], schedules: [Schedule] = [], lists: [(id: DistributionListID, name: String)] = [],
            schedule: BriefScheduleInput = BriefScheduleInput(), scheduleErrors: [String: String] = [:],
            budget: Bool = false
        ) {
            self.code = code
            self.rows = rows
            self.paging = paging
            self.kind = kind
            self.canWrite = canWrite
            self.values = values
            self.errors = errors
            self.schedules = schedules
            self.lists = lists
            self.schedule = schedule
            self.scheduleErrors = scheduleErrors
            self.budget = budget
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("briefs_title"))
        html.markup("</h1>\n<p>")
        html.text(t("briefs_intro"))
        html.markup("</p>\n")
        if m.budget {
            html.markup("<p class=\"actions\">")
            html.link(.budget(code), t("budget_title"), "id=\"budget\" class=\"button\"")
            html.markup("</p>\n")
        }
        if m.canWrite {
            html.markup("<details class=\"panel\"")
            html.markup(m.errors.isEmpty ? ">" : " open>")
            html.markup("<summary>")
            html.text(t("briefs_new"))
            html.markup("</summary>")
            html.formErrors(t, m.errors)
            html.markup("<form method=\"post\" class=\"stack\" action=\"")
            html.url(.briefs(code))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.selectField(
                t, "kind", label: "briefs_kind",
                choices: BriefKind.allCases.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == m.values.kind)
                }, errors: m.errors)
            html.textInput(
                t, "period_first", label: "briefs_period_first", value: m.values.periodFirst, errors: m.errors,
                "type=\"date\"", help: t("help_brief_period"))
            html.textInput(
                t, "period_last", label: "briefs_period_last", value: m.values.periodLast, errors: m.errors,
                "type=\"date\"")
            html.selectField(
                t, "language", label: "briefs_language",
                choices: ProductLanguage.allCases.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == m.values.language)
                }, errors: m.errors)
            html.submitButton(t("briefs_generate"))
            html.markup("</details>\n")
        }
        html.markup("<nav class=\"tabs\" aria-label=\"")
        html.text(t("briefs_kind"))
        html.markup("\">")
        html.markup(m.kind == nil ? "<a aria-current=\"page\" href=\"" : "<a href=\"")
        html.url(.briefs(code))
        html.markup("\">")
        html.text(t("all"))
        html.markup("</a>")
        for kind in BriefKind.allCases {
            html.markup(m.kind == kind ? "<a aria-current=\"page\" href=\"" : "<a href=\"")
            html.text(SiteURL.briefs(code).path(query: [("kind", kind.rawValue)]))
            html.markup("\">")
            html.text(t(kind.labelKey))
            html.markup("</a>")
        }
        html.markup("</nav>\n")
        if m.canWrite { schedules(m, page, &html) }
        guard !m.rows.isEmpty else {
            html.paragraph(t("briefs_none"))
            return html
        }
        html.markup("<div class=\"scroll\"><table class=\"list\" id=\"briefs\">")
        html.tableHead([
            t("briefs_document"), t("briefs_period"), t("field_audience"), t("briefs_state"), t("briefs_issued_at"),
        ])
        html.markup("<tbody>")
        for row in m.rows {
            html.markup("<tr><td><a href=\"")
            html.url(.brief(code, .value(row.id)))
            html.markup("\">")
            html.text(row.title)
            html.markup("</a></td><td><bdi dir=\"ltr\">")
            html.text(row.period)
            html.markup("</bdi></td><td>")
            html.text(row.state == .issued ? t(row.audience.labelKey) : "—")
            html.markup("</td><td>")
            html.briefState(row.state, t)
            html.markup("</td><td><bdi dir=\"ltr\">")
            html.text(row.issuedAt.map(t.minute) ?? "")
            html.markup("</bdi></td></tr>")
        }
        html.markup("</tbody></table></div>\n")
        html.pager(t, m.paging, base: .briefs(code), query: m.kind.map { [("kind", $0.rawValue)] } ?? [])
        return html
    }
}

extension BriefList {
    /// The schedules: each with its next and last run (and why nothing was sent), a form to add one.
    static func schedules(_ m: Model, _ page: PageChrome, _ html: inout HTML) {
        let t = page.strings, code = Parameter.value(m.code)
        html.markup("<details class=\"panel\" id=\"schedules\"")
        html.markup(m.scheduleErrors.isEmpty ? ">" : " open>")
        html.markup("<summary>")
        html.text(t("briefs_schedules") + " (\(m.schedules.filter(\.draft.active).count))")
        html.markup("</summary>")
        if !m.schedules.isEmpty {
            html.markup("<div class=\"scroll\"><table class=\"list\">")
            html.tableHead([
                t("briefs_kind"), t("briefs_schedule_when"), t("field_audience"), t("briefs_schedule_list"),
                t("briefs_schedule_next"), t("briefs_schedule_last"),
            ])
            html.markup("<tbody>")
            for s in m.schedules {
                html.markup("<tr><td>")
                html.text(t(s.draft.kind.labelKey) + " · " + t(s.draft.language.labelKey))
                html.markup("</td><td>")
                html.text(t("weekday_\(s.draft.weekday)") + " ")
                html.markup("<bdi dir=\"ltr\">")
                html.text(s.draft.clockText + " " + s.draft.time.identifier)
                html.markup("</bdi></td><td>")
                html.text(t(s.draft.audience.labelKey))
                html.markup("</td><td>")
                html.text(s.list)
                html.markup("</td><td><bdi dir=\"ltr\">")
                html.text(s.draft.active ? t.minute(s.nextRunAt) : "")
                html.markup("</bdi>")
                if s.draft.active {
                    html.markup(" ")
                    html.buttonForm(
                        .stopBriefSchedule(code, .value(s.id)), csrf: page.csrf, label: t("briefs_schedule_stop"))
                } else {
                    html.markup("<span class=\"tag\">")
                    html.text(t("briefs_schedule_stopped"))
                    html.markup("</span>")
                }
                html.markup("</td><td>")
                if let last = s.lastRunAt {
                    html.markup("<bdi dir=\"ltr\">")
                    html.text(t.minute(last))
                    html.markup("</bdi>")
                    if let brief = s.lastBrief {
                        html.markup(" ")
                        html.link(.brief(code, .value(brief)), t("briefs_open"))
                    }
                }
                if let error = s.lastError {
                    html.markup("<br><small class=\"error\">")
                    html.text(error)
                    html.markup("</small>")
                }
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div>")
        }
        html.formErrors(t, m.scheduleErrors)
        guard !m.lists.isEmpty else {
            html.paragraph(t("briefs_schedule_no_lists"))
            html.markup("</details>\n")
            return
        }
        html.markup("<form method=\"post\" class=\"stack\" action=\"")
        html.url(.briefSchedules(code))
        html.markup("\">")
        html.csrfField(page.csrf)
        let v = m.schedule
        html.selectField(
            t, "schedule_kind", label: "briefs_kind",
            choices: BriefKind.allCases.filter { $0 != .handover }.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.kind)
            }, errors: m.scheduleErrors)
        html.selectField(
            t, "weekday", label: "briefs_schedule_weekday",
            choices: (1...7).map {
                Choice(value: String($0), label: t("weekday_\($0)"), selected: String($0) == v.weekday)
            },
            errors: m.scheduleErrors)
        html.textInput(
            t, "time", label: "briefs_schedule_time", value: v.time, errors: m.scheduleErrors, "type=\"time\"")
        html.textInput(
            t, "time_zone", label: "briefs_schedule_zone", value: v.timeZone, errors: m.scheduleErrors,
            "dir=\"ltr\" autocomplete=\"off\"", help: t("help_brief_schedule_zone"))
        html.selectField(
            t, "schedule_language", label: "briefs_language",
            choices: ProductLanguage.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.language)
            }, errors: m.scheduleErrors)
        html.selectField(
            t, "audience", label: "field_audience",
            choices: AudienceLevel.allCases.filter { $0 != .restricted }.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.audience)
            }, errors: m.scheduleErrors, help: t("help_brief_schedule_audience"))
        html.selectField(
            t, "list_id", label: "briefs_schedule_list",
            choices: m.lists.map {
                Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.listID)
            },
            errors: m.scheduleErrors)
        html.submitButton(t("briefs_schedule_add"))
        html.markup("</details>\n")
    }
}

/// One document: a draft with its live content, the writers' form and the issue step; or an issued
/// one, frozen, with its files, the previous issue to compare with, and a new version to draft.
public enum BriefPage {
    public struct Model: Sendable {
        public let code: String
        public let document: BriefDocument
        public let canWrite: Bool
        /// The recommendations this reader may write (the rest are kept as they are).
        public let writes: Set<BriefRole>
        public let values: BriefInput
        public let errors: [String: String]
        public let version: String
        public let previous: BriefID?
        public let later: BriefID?
        /// After an issue that was refused because the audience is wider than the content allows.
        public let widerAllowed: AudienceLevel?
        public let issueAudience: AudienceLevel
        public init(
            code: String, document: BriefDocument, canWrite: Bool, writes: Set<BriefRole>, values: BriefInput,
            errors: [String: String], version: String, previous: BriefID?, later: BriefID?,
            widerAllowed: AudienceLevel?, issueAudience: AudienceLevel
        ) {
            self.code = code
            self.document = document
            self.canWrite = canWrite
            self.writes = writes
            self.values = values
            self.errors = errors
            self.version = version
            self.previous = previous
            self.later = later
            self.widerAllowed = widerAllowed
            self.issueAudience = issueAudience
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), d = m.document, id = Parameter.value(d.id)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("briefs_title"), .briefs(code))])
        html.markup("<h1>")
        html.text(d.title(t))
        html.markup("</h1>\n<p>")
        html.briefState(d.state, t)
        html.markup(" <bdi dir=\"ltr\">")
        html.text(d.periodText)
        html.markup("</bdi> · ")
        html.text(t(d.language.labelKey))
        if d.state == .issued {
            html.markup(" · ")
            html.text(t(d.audience.labelKey))
            html.markup(" · ")
            html.text(
                t("briefs_issued_by").replacingOccurrences(of: "{name}", with: d.issuedBy ?? "—")
                    .replacingOccurrences(of: "{time}", with: d.issuedAt.map(t.minute) ?? ""))
            if d.audienceConfirmed {
                html.markup(" <span class=\"tag\">")
                html.text(t("briefs_audience_confirmed"))
                html.markup("</span>")
            }
        } else {
            html.markup(" · ")
            html.text(t("briefs_live"))
        }
        html.markup("</p>\n<p class=\"actions\">")
        html.link(.briefPrint(code, id), t("briefs_print"), "class=\"button\"")
        if d.state == .issued {
            html.markup(" ")
            html.link(.briefWord(code, id), t("briefs_word"), "class=\"button\"")
            html.markup(" ")
            html.link(.briefPDF(code, id), t("briefs_pdf"), "class=\"button\"")
            if let previous = m.previous {
                html.markup(" ")
                html.markup("<a class=\"button\" href=\"")
                html.text(SiteURL.briefCompare(code, id).path(query: [("with", previous.uuidString)]))
                html.markup("\">")
                html.text(t("briefs_compare_previous"))
                html.markup("</a>")
            }
        }
        html.markup("</p>\n")
        if let previous = m.previous {
            html.markup("<nav class=\"tabs\" aria-label=\"")
            html.text(t("briefs_series"))
            html.markup("\">")
            html.link(.brief(code, .value(previous)), t("briefs_previous_issue"))
            if let later = m.later { html.link(.brief(code, .value(later)), t("briefs_next_issue")) }
            html.markup("</nav>\n")
        } else if let later = m.later {
            html.markup("<nav class=\"tabs\">")
            html.link(.brief(code, .value(later)), t("briefs_next_issue"))
            html.markup("</nav>\n")
        }
        if d.state == .issued, m.canWrite {
            html.markup("<p>")
            html.text(t("briefs_frozen"))
            html.markup("</p>")
            html.buttonForm(.briefVersion(code, id), csrf: page.csrf, label: t("briefs_new_version"))
        }
        if d.state == .draft, m.canWrite { form(m, page, &html) }
        html.briefBody(d)
        return html
    }

    static func form(_ m: Model, _ page: PageChrome, _ html: inout HTML) {
        let t = page.strings, code = Parameter.value(m.code), id = Parameter.value(m.document.id)
        html.markup("<details class=\"panel\" open><summary>")
        html.text(t("briefs_edit"))
        html.markup("</summary>")
        html.formErrors(t, m.errors)
        html.markup("<form method=\"post\" class=\"stack\" action=\"")
        html.url(.brief(code, id))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.markup("<input type=\"hidden\" name=\"version\"")
        html.attribute("value", m.version)
        html.markup(">")
        if m.document.kind.hasPeriod {
            html.textInput(
                t, "period_first", label: "briefs_period_first", value: m.values.periodFirst, errors: m.errors,
                "type=\"date\"")
        }
        html.textInput(
            t, "period_last", label: m.document.kind.hasPeriod ? "briefs_period_last" : "briefs_as_of",
            value: m.values.periodLast, errors: m.errors, "type=\"date\"")
        html.selectField(
            t, "language", label: "briefs_language",
            choices: ProductLanguage.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == m.values.language)
            }, errors: m.errors, help: t("help_brief_language"))
        html.textArea(
            t, "narrative", label: "briefs_narrative", value: m.values.narrative, errors: m.errors, rows: 6,
            help: t("help_brief_narrative"))
        for role in m.document.kind.recommendations where m.writes.contains(role) {
            html.textArea(
                t, role.rawValue + "_recommendations", label: role.labelKey,
                value: role == .security ? m.values.securityRecommendations : m.values.migrationRecommendations,
                errors: m.errors, rows: 5, help: t("help_brief_recommendations"))
        }
        html.submitButton(t("form_save"))
        html.markup("</details>\n<details class=\"panel\"")
        html.markup(m.widerAllowed == nil ? ">" : " open>")
        html.markup("<summary>")
        html.text(t("briefs_issue"))
        html.markup("</summary><form method=\"post\" class=\"stack\" action=\"")
        html.url(.briefIssue(code, id))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.markup("<p>")
        html.text(t("briefs_issue_intro"))
        html.markup("</p>")
        html.selectField(
            t, "audience", label: "field_audience",
            choices: AudienceLevel.allCases.filter { $0 != .restricted }.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.issueAudience)
            }, errors: m.errors)
        if let allowed = m.widerAllowed {
            html.markup("<p class=\"error\" id=\"audience-wider\">")
            html.text(t("briefs_audience_wider").replacingOccurrences(of: "{audience}", with: t(allowed.labelKey)))
            html.markup("</p><label class=\"check\"><input type=\"checkbox\" name=\"confirm_wider\" value=\"yes\"> ")
            html.text(t("briefs_confirm_wider"))
            html.markup("</label>")
        }
        html.submitButton(t("briefs_issue"))
        html.markup("</details>\n")
        html.buttonForm(.briefDiscard(code, id), csrf: page.csrf, label: t("briefs_discard"))
    }
}

/// A document as printed: A4, its classification, the operation and its date on every page.
public enum BriefPrint {
    public struct Model: Sendable {
        public let operationName: String
        public let document: BriefDocument
        public let printedAt: Date
        public init(operationName: String, document: BriefDocument, printedAt: Date) {
            self.operationName = operationName
            self.document = document
            self.printedAt = printedAt
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let d = m.document, t = d.strings
        var html = HTML()
        html.markup(
            "<table class=\"print-frame\" role=\"presentation\"><thead><tr><td><p class=\"print-header\"><strong>")
        html.text(d.state == .issued ? t(d.audience.labelKey) : t("briefs_draft_mark"))
        html.markup("</strong> · ")
        html.text(m.operationName + " · " + d.title(t))
        html.markup(" · <bdi dir=\"ltr\">")
        html.text(d.issuedAt.map(DateText.day) ?? DateText.day(m.printedAt))
        // The document in its own language and direction, whatever the reader's pages are in.
        html.markup("</bdi></p></td></tr></thead><tbody><tr><td>\n<div class=\"brief-print\"")
        html.attribute("lang", d.language.rawValue)
        html.markup(d.language.rightToLeft ? " dir=\"rtl\">" : " dir=\"ltr\">")
        html.markup("<p class=\"no-print actions\"><button type=\"button\" id=\"print\" hidden>")
        html.text(t("briefs_print"))
        html.markup("</button></p>")
        html.markup("<h1>")
        html.text(d.title(t))
        html.markup("</h1><p><bdi dir=\"ltr\">")
        html.text(d.periodText)
        html.markup("</bdi> · ")
        html.text(m.operationName)
        html.markup("</p>\n")
        if d.state != .issued {
            html.markup("<p class=\"error\" id=\"draft-mark\">")
            html.text(t("briefs_draft_mark"))
            html.markup("</p>")
        }
        html.briefBody(d)
        html.markup("</div>")
        html.printFrameEnd()
        html.markup("<script src=\"")
        html.url(.printScript)
        html.markup("\"></script>")
        return html
    }
}

/// What changed between two issues of a series.
public enum BriefCompare {
    public struct Model: Sendable {
        public let code: String
        public let newer: (id: BriefID, title: String, period: String)
        public let older: (id: BriefID, title: String, period: String)
        public let comparison: BriefComparison
        public init(
            code: String, newer: (id: BriefID, title: String, period: String),
            older: (id: BriefID, title: String, period: String), comparison: BriefComparison
        ) {
            self.code = code
            self.newer = newer
            self.older = older
            self.comparison = comparison
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("briefs_title"), .briefs(code))])
        html.markup("<h1>")
        html.text(t("briefs_compare_title"))
        html.markup("</h1>\n<p>")
        html.link(.brief(code, .value(m.older.id)), m.older.title)
        html.markup(" (<bdi dir=\"ltr\">")
        html.text(m.older.period)
        html.markup(t.rightToLeft ? "</bdi>) ← " : "</bdi>) → ")
        html.link(.brief(code, .value(m.newer.id)), m.newer.title)
        html.markup(" (<bdi dir=\"ltr\">")
        html.text(m.newer.period)
        html.markup("</bdi>)</p>\n")
        guard !m.comparison.changes.isEmpty else {
            html.paragraph(t("briefs_compare_none"))
            return html
        }
        html.markup("<div class=\"scroll\"><table class=\"list\" id=\"changes\">")
        html.tableHead([
            t("briefs_section"), t("brief_column.figure"), m.older.title, m.newer.title, t("brief_column.change"),
        ])
        html.markup("<tbody>")
        for c in m.comparison.changes {
            html.markup("<tr><td>")
            html.text(c.section)
            html.markup("</td><td>")
            html.text(c.label)
            html.markup("</td><td class=\"number\"><bdi dir=\"ltr\">")
            html.text(c.before ?? "—")
            html.markup("</bdi></td><td class=\"number\"><bdi dir=\"ltr\">")
            html.text(c.after ?? "—")
            html.markup("</bdi></td><td class=\"number\"><bdi dir=\"ltr\">")
            if let delta = c.delta { html.text(delta > 0 ? "+" + String(Int(delta)) : String(Int(delta))) }
            html.markup("</bdi></td></tr>")
        }
        html.markup("</tbody></table></div>\n<p><small>")
        html.text(t("briefs_compare_unchanged").replacingOccurrences(of: "{n}", with: String(m.comparison.unchanged)))
        html.markup("</small></p>")
        return html
    }
}
