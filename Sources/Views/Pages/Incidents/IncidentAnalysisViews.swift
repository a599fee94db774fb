import Domain
import Foundation
import Geo

/// The filters the analysis and the map share: GET, so a view can be bookmarked and shared.
public struct IncidentFilterForm: Sendable {
    public struct Area: Sendable {
        public let pcode: String
        public let name: String
        public let level: Int

        public init(pcode: String, name: String, level: Int) {
            self.pcode = pcode
            self.name = name
            self.level = level
        }
    }

    /// "2026-11-01": the first and last day shown.
    public let from: String
    public let to: String
    public let period: AnalysisPeriods.Unit
    /// Areas of levels 1 and 2 to filter by, in the order offered.
    public let areas: [Area]
    public let area: String?
    /// The admin levels the operation's boundaries have, and the one drawn.
    public let levels: [Int]
    public let level: Int?
    /// Every source there is (own incidents first) and those chosen (nil: all).
    public let sources: [String]
    public let chosenSources: Set<String>?
    public let categories: Set<IncidentCategory>?
    public let actorTypes: Set<ActorType>?
    public let severities: Set<IncidentSeverity>?

    public init(
        from: String, to: String, period: AnalysisPeriods.Unit, areas: [Area], area: String?, levels: [Int],
        level: Int?, sources: [String], chosenSources: Set<String>?, categories: Set<IncidentCategory>?,
        actorTypes: Set<ActorType>?, severities: Set<IncidentSeverity>?
    ) {
        self.from = from
        self.to = to
        self.period = period
        self.areas = areas
        self.area = area
        self.levels = levels
        self.level = level
        self.sources = sources
        self.chosenSources = chosenSources
        self.categories = categories
        self.actorTypes = actorTypes
        self.severities = severities
    }
}

extension HTML {
    /// The filter fields (the form around them is the page's).
    mutating func incidentFilters(_ f: IncidentFilterForm, _ t: Strings) {
        markup("<div class=\"filters\"><label>")
        text(t("analysis.from"))
        markup(" <input type=\"date\" name=\"from\" dir=\"ltr\"")
        attribute("value", f.from)
        markup("></label> <label>")
        text(t("analysis.to"))
        markup(" <input type=\"date\" name=\"to\" dir=\"ltr\"")
        attribute("value", f.to)
        markup("></label> <label>")
        text(t("analysis.period"))
        markup(" <select name=\"period\">")
        options(
            AnalysisPeriods.Unit.allCases.map {
                Choice(value: $0.rawValue, label: t("analysis.period_\($0.rawValue)"), selected: $0 == f.period)
            })
        markup("</select></label> <label>")
        text(t("field_area"))
        markup(" <select name=\"area\"><option value=\"\">")
        text(t("analysis.all_areas"))
        markup("</option>")
        options(
            f.areas.map {
                Choice(value: $0.pcode, label: ($0.level == 2 ? "· " : "") + $0.name, selected: $0.pcode == f.area)
            })
        markup("</select></label> <label>")
        text(t("analysis.level"))
        markup(" <select name=\"level\">")
        options(
            f.levels.map {
                Choice(value: String($0), label: t("analysis.admin_level") + " " + String($0), selected: $0 == f.level)
            })
        markup("</select></label></div><fieldset><legend>")
        text(t("analysis.sources"))
        markup("</legend>")
        for origin in f.sources {
            markup("<label class=\"check\"><input type=\"checkbox\" name=\"source\"")
            attribute("value", origin)
            markup(f.chosenSources?.contains(origin) ?? true ? " checked> " : "> ")
            text(t.sourceName(origin))
            markup("</label> ")
        }
        markup("</fieldset><fieldset><legend>")
        text(t("field_category"))
        markup("</legend>")
        for category in IncidentCategory.allCases {
            markup("<label class=\"check\"><input type=\"checkbox\" name=\"category\"")
            attribute("value", category.rawValue)
            markup(f.categories?.contains(category) ?? false ? " checked> " : "> ")
            text(t(category.labelKey))
            markup("</label> ")
        }
        markup("</fieldset><div class=\"filters\"><label>")
        text(t("field_actor_type"))
        markup(" <select name=\"actor\"><option value=\"\">")
        text(t("analysis.any"))
        markup("</option>")
        options(
            ActorType.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: f.actorTypes?.contains($0) ?? false)
            })
        markup("</select></label> <label>")
        text(t("field_severity"))
        markup(" <select name=\"severity\"><option value=\"\">")
        text(t("analysis.any"))
        markup("</option>")
        options(
            IncidentSeverity.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: f.severities?.contains($0) ?? false)
            })
        markup("</select></label></div>")
    }

    /// Problems with the query, each quoting what was given (so they stay in English).
    mutating func queryErrors(_ errors: [String]) {
        for error in errors {
            markup("<p class=\"error\" role=\"alert\">")
            text(error)
            markup("</p>")
        }
    }

    /// The form's buttons: apply, or start again without filters.
    mutating func filterButtons(_ t: Strings) {
        markup("\n<p><button type=\"submit\" class=\"button primary\">")
        text(t("analysis_apply"))
        markup("</button> <a href=\"?\">")
        text(t("analysis_reset"))
        markup("</a></p>\n</form>\n</details>\n")
    }

    /// Opens the fold the filters sit in, so the results come first on a phone: one line that says
    /// what is chosen. Open when a filter was refused, so its message and field are seen.
    /// `filterButtons` closes it.
    mutating func filterFold(_ f: IncidentFilterForm, open: Bool, _ t: Strings) {
        markup("\n<details class=\"filter-fold\"")
        if open { markup(" open") }
        markup("><summary>")
        text(t("analysis_filters"))
        // The period left to right and on one line, so it reads the same in Arabic.
        markup(" <span class=\"hint\"><span dir=\"ltr\">")
        text("\(f.from) – \(f.to)")
        markup("</span>")
        for part in Self.filterSummary(f, t) {
            text(" · " + part)
        }
        markup("</span></summary>")
    }

    /// What narrows the period, in the order of the form: "Khartoum", "Own incidents", "Crime".
    static func filterSummary(_ f: IncidentFilterForm, _ t: Strings) -> [String] {
        var parts: [String] = []
        if let area = f.area, let named = f.areas.first(where: { $0.pcode == area }) { parts.append(named.name) }
        if let chosen = f.chosenSources, chosen.count < f.sources.count {
            parts.append(f.sources.filter(chosen.contains).map { t.sourceName($0) }.joined(separator: ", "))
        }
        if let categories = f.categories, !categories.isEmpty {
            parts.append(
                IncidentCategory.allCases.filter(categories.contains).map { t($0.labelKey) }.joined(separator: ", "))
        }
        if let actors = f.actorTypes, !actors.isEmpty {
            parts.append(ActorType.allCases.filter(actors.contains).map { t($0.labelKey) }.joined(separator: ", "))
        }
        if let severities = f.severities, !severities.isEmpty {
            parts.append(
                IncidentSeverity.allCases.filter(severities.contains).map { t($0.labelKey) }.joined(separator: ", "))
        }
        return parts
    }
}

/// Own incidents and context events over time, by category and area, casualties, the early
/// warning by area, and the export of what is shown.
public enum IncidentAnalysisPage {
    public struct Model: Sendable {
        public struct CategoryRow: Sendable {
            public let category: String
            public let count: Int
            public let previous: Int
            public let changePercent: Double?

            public init(category: String, count: Int, previous: Int, changePercent: Double?) {
                self.category = category
                self.count = count
                self.previous = previous
                self.changePercent = changePercent
            }
        }

        public struct AreaRow: Sendable {
            /// Nil for incidents placed in no area.
            public let pcode: String?
            public let name: String
            public let total: Int
            public let byCategory: [String: Int]

            public init(pcode: String?, name: String, total: Int, byCategory: [String: Int]) {
                self.pcode = pcode
                self.name = name
                self.total = total
                self.byCategory = byCategory
            }
        }

        public struct HarmRow: Sendable {
            public let harm: String
            /// National, international, female, male, unknown sex, total.
            public let counts: [Int]

            public init(harm: String, counts: [Int]) {
                self.harm = harm
                self.counts = counts
            }
        }

        public struct Warning: Sendable {
            public let pcode: String
            public let name: String
            public let recent: Int
            public let expected: Double
            public let pValue: Double
            public let flagged: Bool

            public init(pcode: String, name: String, recent: Int, expected: Double, pValue: Double, flagged: Bool) {
                self.pcode = pcode
                self.name = name
                self.recent = recent
                self.expected = expected
                self.pValue = pValue
                self.flagged = flagged
            }
        }

        public let code: String
        public let filters: IncidentFilterForm
        public let errors: [String]
        public let total: Int
        public let previousTotal: Int
        public let changePercent: Double?
        /// The reader sees part of the records by design: counts say "that you may see", and no
        /// comparison with the period before is drawn from them.
        public let partial: Bool
        public let chart: SVG
        /// The chart's figures: one row per week or month, one column per source.
        public let chartTable: ChartData
        public let leftOutOfSeries: Int
        public let categories: [CategoryRow]
        public let areas: [AreaRow]
        public let casualties: [HarmRow]
        public let fatalities: Int
        public let rule: EarlyWarningRule
        /// The last day of the early-warning window.
        public let windowEnd: String
        public let warnings: [Warning]
        /// The filters as given, to repeat in the export form and the map link.
        public let query: [(String, String)]

        public init(
            code: String, filters: IncidentFilterForm, errors: [String], total: Int, previousTotal: Int,
            changePercent: Double?, partial: Bool = false, chart: SVG, chartTable: ChartData, leftOutOfSeries: Int,
            categories: [CategoryRow], areas: [AreaRow],
            casualties: [HarmRow], fatalities: Int, rule: EarlyWarningRule, windowEnd: String, warnings: [Warning],
            query: [(String, String)]
        ) {
            self.code = code
            self.filters = filters
            self.errors = errors
            self.total = total
            self.previousTotal = previousTotal
            self.changePercent = changePercent
            self.partial = partial
            self.chart = chart
            self.chartTable = chartTable
            self.leftOutOfSeries = leftOutOfSeries
            self.categories = categories
            self.areas = areas
            self.casualties = casualties
            self.fatalities = fatalities
            self.rule = rule
            self.windowEnd = windowEnd
            self.warnings = warnings
            self.query = query
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("incidents_title"), .incidents(code))])
        html.markup("<h1>")
        html.text(t("analysis_title"))
        html.markup("</h1>\n")
        html.queryErrors(m.errors)
        html.filterFold(m.filters, open: !m.errors.isEmpty, t)
        html.markup("\n<form method=\"get\" class=\"analysis-filter\" id=\"analysis-filter\">\n")
        html.incidentFilters(m.filters, t)
        html.filterButtons(t)
        html.markup("<p id=\"analysis-summary\" class=\"summary\">")
        if m.partial {
            html.text(t.counted("analysis.summary_partial", m.total))
        } else {
            html.text(
                t("analysis.summary")
                    .replacingOccurrences(of: "{total}", with: String(m.total))
                    .replacingOccurrences(of: "{previous}", with: String(m.previousTotal))
                    // Isolated, so it reads the same in Arabic.
                    .replacingOccurrences(
                        of: "{change}", with: "\u{2066}" + DecimalText.signedPercent(m.changePercent) + "\u{2069}"))
        }
        html.markup("</p>\n<section>\n<h2>")
        html.text(t("analysis_over_time"))
        html.markup("</h2>\n<div class=\"chart\" id=\"analysis-chart\">")
        html.svg(m.chart)
        html.markup("</div>\n")
        html.chartTable(m.chartTable, id: "analysis-series", t)
        if m.leftOutOfSeries > 0 {
            html.markup("<p class=\"hint\">")
            html.text(t("analysis.left_out").replacingOccurrences(of: "{count}", with: String(m.leftOutOfSeries)))
            html.markup("</p>")
        }
        html.markup("\n</section>\n")
        earlyWarning(m, t, into: &html)
        if m.total > 0 {
            tables(m, t, into: &html)
        } else {
            html.paragraph(t("analysis_none"))
        }
        html.markup("\n<section>\n<h2>")
        html.text(t("analysis_export"))
        html.markup("</h2>\n<p class=\"hint\">")
        html.text(t("analysis_export_hint"))
        html.markup("</p>\n<form method=\"get\" action=\"")
        html.url(.incidentExport(code))
        html.markup("\" class=\"filters\" id=\"analysis-export\">\n")
        // The export form repeats the filters as hidden fields, so the file holds what the page shows.
        for (key, value) in m.query where key != "round" {
            html.markup("<input type=\"hidden\"")
            html.attribute("name", key)
            html.attribute("value", value)
            html.markup(">")
        }
        html.markup("\n<label>")
        html.text(t("analysis_format"))
        html.markup(" <select name=\"format\"><option value=\"csv\">CSV</option><option value=\"hxl\">HXL</option>")
        html.markup("<option value=\"geojson\">GeoJSON</option></select></label>\n<label>")
        html.text(t("analysis_round"))
        html.markup(" <select name=\"round\"><option value=\"6\">")
        html.text(t("analysis_round_exact"))
        html.markup("</option><option value=\"3\">0.001° (~100 m)</option><option value=\"2\">0.01° (~1 km)</option>")
        html.markup(
            "<option value=\"1\">0.1° (~10 km)</option></select></label>\n<button type=\"submit\" class=\"button\">")
        html.text(t("analysis_download"))
        html.markup("</button>\n</form>\n<p><a href=\"")
        html.text(SiteURL.incidentMap(code).path(query: m.query))
        html.markup("\" id=\"analysis-map-link\">")
        html.text(t("analysis_map_link"))
        html.markup("</a></p>\n</section>\n")
        return html
    }

    static func earlyWarning(_ m: Model, _ t: Strings, into html: inout HTML) {
        html.markup("<section id=\"early-warning\">\n<h2>")
        html.text(t("analysis_early_warning"))
        html.markup("</h2>\n<p class=\"hint\">")
        html.text(
            t("analysis.warning_statement")
                .replacingOccurrences(of: "{recent}", with: String(m.rule.recentDays))
                .replacingOccurrences(of: "{baseline}", with: String(m.rule.baselineDays))
                .replacingOccurrences(of: "{alpha}", with: String(m.rule.alpha))
                .replacingOccurrences(of: "{minimum}", with: String(m.rule.minimumCount))
                .replacingOccurrences(of: "{end}", with: m.windowEnd))
        html.markup("</p>\n")
        if m.warnings.isEmpty {
            html.paragraph(t("analysis_no_recent"))
        } else {
            html.markup("\n<table class=\"list\">")
            html.tableHead([t("field_area"), t("analysis_recent"), t("analysis_expected"), "p", t("analysis_signal")])
            html.markup("\n<tbody>")
            for warning in m.warnings.prefix(25) {
                html.markup(warning.flagged ? "<tr class=\"flagged\"><th scope=\"row\">" : "<tr><th scope=\"row\">")
                html.text(warning.name)
                html.markup(" <span class=\"code\" dir=\"ltr\">")
                html.text(warning.pcode)
                html.markup("</span></th><td class=\"num\">")
                html.text(warning.recent)
                html.markup("</td><td class=\"num\" dir=\"ltr\">")
                html.text(DecimalText.fixed(warning.expected, digits: 2))
                html.markup("</td><td class=\"num\" dir=\"ltr\">")
                html.text(warning.pValue < 0.001 ? "< 0.001" : DecimalText.fixed(warning.pValue, digits: 3))
                html.markup("</td><td>")
                html.text(warning.flagged ? t("analysis.flagged") : "—")
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table>\n")
        }
        html.markup("</section>\n")
    }

    static func tables(_ m: Model, _ t: Strings, into html: inout HTML) {
        html.markup("\n<section>\n<h2>")
        html.text(t("analysis_by_category"))
        html.markup("</h2>\n<table class=\"list\" id=\"analysis-categories\">")
        html.tableHead(
            [t("field_category"), t("analysis_count")]
                + (m.partial ? [] : [t("analysis_previous"), t("analysis_change")]))
        html.markup("\n<tbody>")
        for row in m.categories where !m.partial || row.count > 0 {
            html.markup("<tr><td>")
            html.text(IncidentCategory(rawValue: row.category).map { t($0.labelKey) } ?? row.category)
            html.markup("</td><td class=\"num\">")
            html.text(row.count)
            if !m.partial {
                html.markup("</td><td class=\"num\">")
                html.text(row.previous)
                html.markup("</td><td class=\"num\"><bdi dir=\"ltr\">")
                html.text(DecimalText.signedPercent(row.changePercent))
                html.markup("</bdi>")
            }
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table>\n</section>\n<section>\n<h2>")
        html.text(t("analysis_by_area"))
        html.markup("</h2>\n<div class=\"scroll\"><table class=\"list\" id=\"analysis-areas\">")
        // Area × category: the categories that occur, as columns.
        let shown = IncidentCategory.allCases.filter { c in m.areas.contains { $0.byCategory[c.rawValue] != nil } }
        html.tableHead([t("field_area")] + shown.map { t($0.labelKey) } + [t("analysis.total")])
        html.markup("<tbody>")
        for area in m.areas {
            html.markup("<tr><th scope=\"row\">")
            if let pcode = area.pcode {
                html.text(area.name)
                html.markup(" <span class=\"code\" dir=\"ltr\">")
                html.text(pcode)
                html.markup("</span>")
            } else {
                html.text(t("analysis.unplaced"))
            }
            html.markup("</th>")
            for category in shown {
                html.markup("<td class=\"num\">")
                html.text(area.byCategory[category.rawValue] ?? 0)
                html.markup("</td>")
            }
            html.markup("<td class=\"num\"><strong>")
            html.text(area.total)
            html.markup("</strong></td></tr>")
        }
        html.markup("</tbody></table></div>\n</section>\n<section>\n<h2>")
        html.text(t("analysis_casualties"))
        html.markup("</h2>\n<table class=\"list\" id=\"analysis-casualties\">")
        html.tableHead([
            "", t("nationality_national"), t("nationality_international"), t("sex_female"), t("sex_male"),
            t("sex_unknown"), t("analysis_total"),
        ])
        html.markup("\n<tbody>")
        for harm in m.casualties {
            html.markup("<tr><th scope=\"row\">")
            html.text(Casualties.Harm(rawValue: harm.harm).map { t($0.labelKey) } ?? harm.harm)
            html.markup("</th>")
            for value in harm.counts {
                html.markup("<td class=\"num\">")
                html.text(value)
                html.markup("</td>")
            }
            html.markup("</tr>")
        }
        html.markup("</tbody></table>\n")
        if m.fatalities > 0 {
            html.markup("<p class=\"hint\">")
            html.text(t("analysis.fatalities").replacingOccurrences(of: "{count}", with: String(m.fatalities)))
            html.markup("</p>")
        }
        html.markup("\n</section>\n")
    }
}

/// The incident map: a choropleth of the filtered incidents, with points or counted squares.
public enum IncidentMapPage {
    public struct Model: Sendable {
        public let code: String
        public let filters: IncidentFilterForm
        public let errors: [String]
        /// Areas only (no points or squares).
        public let areasOnly: Bool
        public let map: SVG
        /// What is drawn ("12 incidents in squares of 5 km"), when anything is.
        public let drawn: String?
        /// Incidents with no place to draw them.
        public let unplaced: Int
        public let query: [(String, String)]
        /// A reader who sees part of the records and none of them here: the map of zeros is left out.
        public let noneVisible: Bool

        public init(
            code: String, filters: IncidentFilterForm, errors: [String], areasOnly: Bool, map: SVG, drawn: String?,
            unplaced: Int, query: [(String, String)], noneVisible: Bool = false
        ) {
            self.noneVisible = noneVisible
            self.code = code
            self.filters = filters
            self.errors = errors
            self.areasOnly = areasOnly
            self.map = map
            self.drawn = drawn
            self.unplaced = unplaced
            self.query = query
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("incidents_title"), .incidents(code))])
        html.markup("<h1>")
        html.text(t("incident_map_title"))
        html.markup("</h1>\n")
        html.queryErrors(m.errors)
        html.filterFold(m.filters, open: !m.errors.isEmpty, t)
        html.markup("\n<form method=\"get\" class=\"analysis-filter\" id=\"map-filter\">\n")
        html.incidentFilters(m.filters, t)
        html.markup("<div class=\"filters\"><label>")
        html.text(t("map.mode"))
        html.markup(" <select name=\"show\">")
        html.options([
            Choice(value: "", label: t("map.mode_auto"), selected: !m.areasOnly),
            Choice(value: "areas", label: t("map.mode_areas"), selected: m.areasOnly),
        ])
        html.markup("</select></label></div>")
        html.filterButtons(t)
        if let drawn = m.drawn {
            html.markup("<p id=\"map-drawn\" class=\"summary\">")
            html.text(drawn)
            html.markup("</p>")
        }
        html.markup("\n")
        if m.unplaced > 0 {
            html.markup("<p id=\"map-unplaced\" class=\"hint\">")
            html.text(t("map.unplaced").replacingOccurrences(of: "{count}", with: String(m.unplaced)))
            html.markup("</p>")
        }
        if m.noneVisible {
            html.markup("\n<p id=\"map-none\">")
            html.text(t("incident_map.none_visible"))
            html.markup("</p>\n<p><a href=\"")
        } else {
            html.markup("\n<div class=\"map\" id=\"incident-map\">")
            html.svg(m.map)
            html.markup("</div>\n<p><a href=\"")
        }
        html.text(SiteURL.incidentAnalysis(code).path(query: m.query))
        html.markup("\">")
        html.text(t("incidents_analysis"))
        html.markup("</a></p>\n")
        return html
    }
}
