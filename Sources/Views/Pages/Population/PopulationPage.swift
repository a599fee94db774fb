import Domain
import Foundation
import Geo

/// Displacement figures: the filter, the stock over time by population type with its sources and
/// dates, rates per 100,000 where the whole population is known, the figures themselves, the
/// datasets imported, and, for those who may import, a figure entered by hand and the import.
public enum PopulationPage {
    /// The hand-entry form's fields as typed (text, not yet checked), named as the form names them.
    public struct EntryValues: Sendable, Equatable {
        public var populationType = PopulationType.idps.rawValue
        public var location = ""
        public var referenceDate = ""
        public var total = ""
        public var source = FigureSource.own.rawValue
        /// Empty: no method given.
        public var method = ""
        public var round = ""
        public var reportingDate = ""
        public var originIso3 = ""
        /// `f_0_4` … → people, as typed.
        public var breakdown: [String: String] = [:]

        public init() {}
    }

    public struct Model: Sendable {
        /// The stock over time: a chart, and a table a year a row with a column per population type.
        public struct Stock: Sendable {
            public struct Year: Sendable {
                public let year: Int
                /// One per type of `Stock.types`, in that order; nil where none was counted.
                public let totals: [Int64?]
                /// The sources' codes (`figure_source.<code>` names them), sorted.
                public let sources: [String]
                /// The latest reporting date of the year's figures, if any says one.
                public let reported: Date?

                public init(year: Int, totals: [Int64?], sources: [String], reported: Date?) {
                    self.year = year
                    self.totals = totals
                    self.sources = sources
                    self.reported = reported
                }
            }

            public let chart: SVG
            /// The columns: the population types with figures, in the filter's order.
            public let types: [PopulationType]
            /// Newest first.
            public let years: [Year]

            public init(chart: SVG, types: [PopulationType], years: [Year]) {
                self.chart = chart
                self.types = types
                self.years = years
            }
        }

        /// People of a type at a place against the place's whole population.
        public struct Rate: Sendable {
            public let place: String
            public let code: String
            public let type: PopulationType
            public let year: Int
            public let people: Int64
            public let population: Int64
            public let per100k: Double

            public init(
                place: String, code: String, type: PopulationType, year: Int, people: Int64, population: Int64,
                per100k: Double
            ) {
                self.place = place
                self.code = code
                self.type = type
                self.year = year
                self.people = people
                self.population = population
                self.per100k = per100k
            }
        }

        /// One figure: what, where, when, how many, from whom, how.
        public struct Figure: Sendable {
            public let type: PopulationType
            /// The place's name; empty when the source gives only its code.
            public let place: String
            public let code: String
            public let origin: String?
            /// The day it describes; nil for a yearly figure (shown by its year).
            public let referenceDate: Date?
            public let year: Int
            public let total: Int64
            public let source: FigureSource
            public let method: FigureMethod?
            public let round: Int?
            public let dataset: String

            public init(
                type: PopulationType, place: String, code: String, origin: String?, referenceDate: Date?,
                year: Int, total: Int64, source: FigureSource, method: FigureMethod?, round: Int?,
                dataset: String
            ) {
                self.type = type
                self.place = place
                self.code = code
                self.origin = origin
                self.referenceDate = referenceDate
                self.year = year
                self.total = total
                self.source = source
                self.method = method
                self.round = round
                self.dataset = dataset
            }
        }

        public let code: String
        /// An import's report, a line each.
        public let report: [String]
        public let datasets: [(name: String, figures: Int)]
        /// The filter: the dataset chosen (nil: all), the place typed, the population types ticked.
        public let dataset: String?
        public let location: String
        public let types: [PopulationType]
        /// The filter as given in the query, repeated by the export links.
        public let filter: [(String, String)]
        /// Nil when no figure matches the filter.
        public let stock: Stock?
        public let rates: [Rate]
        public let figures: [Figure]
        public let canViewScenarios: Bool
        public let canImport: Bool
        /// The import formats offered (`population_format.<format>` names them, dashes as underscores).
        public let formats: [String]
        public let entry: EntryValues
        public let entryErrors: [String: String]
        /// The hand-entry form opens when a figure entered was refused.
        public let entryOpen: Bool

        public init(
            code: String, report: [String], datasets: [(name: String, figures: Int)], dataset: String?,
            location: String, types: [PopulationType], filter: [(String, String)], stock: Stock?, rates: [Rate],
            figures: [Figure], canViewScenarios: Bool, canImport: Bool, formats: [String], entry: EntryValues,
            entryErrors: [String: String], entryOpen: Bool
        ) {
            self.code = code
            self.report = report
            self.datasets = datasets
            self.dataset = dataset
            self.location = location
            self.types = types
            self.filter = filter
            self.stock = stock
            self.rates = rates
            self.figures = figures
            self.canViewScenarios = canViewScenarios
            self.canImport = canImport
            self.formats = formats
            self.entry = entry
            self.entryErrors = entryErrors
            self.entryOpen = entryOpen
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("population_title"))
        html.markup("</h1>\n")
        html.importReport(m.report)
        filterForm(m, t, into: &html)
        html.markup("<p>")
        if m.canViewScenarios {
            html.link(.scenarios(code), t("scenarios_title"), "id=\"scenarios\" class=\"button\"")
            html.markup(" ")
        }
        html.exportLinks(.populationExport(code), query: m.filter)
        html.markup("</p>\n<section id=\"stock\">\n<h2>")
        html.text(t("population_stock"))
        html.markup("</h2>\n")
        if let stock = m.stock {
            stockTable(stock, t, into: &html)
        } else {
            html.paragraph(t("population_none"))
        }
        html.markup("\n</section>\n")
        if !m.rates.isEmpty {
            html.markup("<section id=\"rates\">\n<h2>")
            html.text(t("population_rates"))
            html.markup("</h2>\n<table class=\"list\">")
            html.tableHead([
                t("population_location"), t("population_types"), t("population_year"), t("flows_people"),
                t("population_inhabitants"), t("population_per_100k"),
            ])
            html.markup("\n<tbody>")
            for rate in m.rates {
                html.markup("<tr><td>")
                html.text("\(rate.place) (\(rate.code))")
                html.markup("</td><td>")
                html.text(t(rate.type.labelKey))
                html.markup("</td><td dir=\"ltr\">")
                html.text(rate.year)
                html.markup("</td><td class=\"score\">")
                html.text(DecimalText.grouped(rate.people))
                html.markup("</td><td class=\"score\">")
                html.text(DecimalText.grouped(rate.population))
                html.markup("</td><td class=\"score\"><strong>")
                html.text(DecimalText.fixed(rate.per100k, digits: 0))
                html.markup("</strong></td></tr>")
            }
            html.markup("</tbody></table>\n</section>\n")
        }
        html.markup("<section id=\"figures\">\n<h2>")
        html.text(t("population_figures"))
        html.markup("</h2>\n<table class=\"list\">")
        html.tableHead([
            t("population_types"), t("population_location"), t("field_date"), t("flows_people"),
            t("population_sources"),
        ])
        html.markup("\n<tbody>")
        for figure in m.figures {
            figureRow(figure, t, into: &html)
        }
        html.markup("</tbody></table>\n</section>\n<section id=\"datasets\">\n<h2>")
        html.text(t("population_datasets"))
        html.markup("</h2>\n")
        if m.datasets.isEmpty {
            html.paragraph(t("population_none"))
        } else {
            html.markup("<ul>")
            for dataset in m.datasets {
                html.markup("<li><span dir=\"ltr\">")
                html.text(dataset.name)
                html.markup("</span>: ")
                html.text(t("population.figures_n").replacingOccurrences(of: "{count}", with: String(dataset.figures)))
                html.markup("</li>")
            }
            html.markup("</ul>")
        }
        html.markup("\n")
        if m.canImport {
            entryForm(m, page, into: &html)
            uploadForm(m, page, into: &html)
        }
        html.markup("</section>\n")
        return html
    }

    /// The filter: dataset, place and population types, sent back to the page.
    static func filterForm(_ m: Model, _ t: Strings, into html: inout HTML) {
        html.markup("<form id=\"population-filter\" method=\"get\" action=\"")
        html.url(.population(.value(m.code)))
        html.markup("\" class=\"inline\">\n  <label for=\"dataset\">")
        html.text(t("population_dataset"))
        html.markup("</label> <select id=\"dataset\" name=\"dataset\">")
        html.options(
            [Choice(value: "", label: t("all"), selected: m.dataset == nil)]
                + m.datasets.map { Choice(value: $0.name, label: $0.name, selected: $0.name == m.dataset) })
        html.markup("</select>\n  <label for=\"location\">")
        html.text(t("population_location"))
        html.markup("</label> <input id=\"location\" name=\"location\"")
        html.attribute("value", m.location)
        html.markup(" dir=\"ltr\" size=\"8\" placeholder=\"SDN, SD01\">\n  <fieldset class=\"inline-boxes\"><legend>")
        html.text(t("population_types"))
        html.markup("</legend>")
        for type in PopulationType.allCases {
            html.markup("<label class=\"check\"><input type=\"checkbox\" name=\"type\"")
            html.attribute("value", type.rawValue)
            html.markup(m.types.contains(type) ? " checked> " : "> ")
            html.text(t(type.labelKey) + " ")
            html.markup("<small dir=\"ltr\">")
            html.text(type.rawValue)
            html.markup("</small></label>")
        }
        html.markup("</fieldset>\n  <button type=\"submit\">")
        html.text(t("analysis_apply"))
        html.markup("</button>\n</form>\n")
    }

    /// The chart, then the table: a year a row, newest first, the people per type, the sources and
    /// the latest reporting date.
    static func stockTable(_ stock: Model.Stock, _ t: Strings, into html: inout HTML) {
        html.markup("<figure class=\"chart\">")
        html.svg(stock.chart)
        html.markup("</figure>\n<table class=\"list\" id=\"stock-table\">")
        html.tableHead(
            [t("population_year")] + stock.types.map { "\(t($0.labelKey)) (\($0.rawValue))" }
                + [t("population_sources")])
        html.markup("<tbody>")
        for year in stock.years {
            html.markup("<tr><td dir=\"ltr\">")
            html.text(year.year)
            html.markup("</td>")
            for total in year.totals {
                html.markup("<td class=\"score\">")
                html.text(DecimalText.grouped(total))
                html.markup("</td>")
            }
            html.markup("<td><small>")
            html.text(year.sources.map { t("figure_source." + $0) }.joined(separator: ", "))
            if let reported = year.reported {
                html.markup(" · <span dir=\"ltr\">")
                html.text(DateText.day(reported))
                html.markup("</span>")
            }
            html.markup("</small></td></tr>")
        }
        html.markup("</tbody></table>")
    }

    /// One figure as a table row: what, where, when, how many, from whom, how.
    static func figureRow(_ f: Model.Figure, _ t: Strings, into html: inout HTML) {
        html.markup("<tr><td>")
        html.text("\(t(f.type.labelKey)) (\(f.type.rawValue))")
        html.markup("</td><td>")
        html.text(f.place.isEmpty ? f.code : "\(f.place) (\(f.code))")
        if let origin = f.origin {
            html.markup(" <small>")
            html.text(t("population.from").replacingOccurrences(of: "{country}", with: origin))
            html.markup("</small>")
        }
        html.markup("</td><td dir=\"ltr\" class=\"nowrap\">")
        html.text(f.referenceDate.map { DateText.day($0) } ?? String(f.year))
        html.markup("</td><td class=\"score\">")
        html.text(DecimalText.grouped(f.total))
        html.markup("</td><td><small>")
        let about: [String?] = [
            t("figure_source." + f.source.rawValue),
            f.method.map { t("figure_method." + $0.rawValue) },
            f.round.map { "#" + String($0) },
            f.dataset,
        ]
        html.text(about.compactMap { $0 }.joined(separator: " · "))
        html.markup("</small></td></tr>")
    }

    /// A figure entered by hand: its fields, each with what was wrong beside it, the field marked
    /// invalid and pointing at its message.
    static func entryForm(_ m: Model, _ page: PageChrome, into html: inout HTML) {
        let t = page.strings, v = m.entry, errors = m.entryErrors
        html.markup(
            m.entryOpen
                ? "<details id=\"figure-entry\" open><summary>"
                : "<details id=\"figure-entry\"><summary>")
        html.text(t("population_entry_title"))
        html.markup("</summary>\n<form id=\"figure-entry-form\" method=\"post\" action=\"")
        html.url(.populationFigures(.value(m.code)))
        html.markup("\" class=\"stack\">\n  ")
        html.csrfField(page.csrf)
        html.markup("\n  ")
        let types = PopulationType.allCases.map {
            Choice(
                value: $0.rawValue, label: "\(t($0.labelKey)) (\($0.rawValue))",
                selected: $0.rawValue == v.populationType)
        }
        let sources = FigureSource.allCases.map {
            Choice(value: $0.rawValue, label: t("figure_source." + $0.rawValue), selected: $0.rawValue == v.source)
        }
        let methods = FigureMethod.allCases.map {
            Choice(value: $0.rawValue, label: t("figure_method." + $0.rawValue), selected: $0.rawValue == v.method)
        }
        html.entrySelect("population_type", t("population.types"), types, errors: errors)
        html.entryInput(
            "location", t("population.entry_location"), v.location, errors: errors,
            attributes: " required dir=\"auto\" placeholder=\"SD01001, SSD, Gedaref town\"")
        html.entryInput(
            "reference_date", t("population.entry_date"), v.referenceDate, errors: errors, type: "date",
            attributes: " required dir=\"ltr\"")
        html.entryInput(
            "total", t("flows.people"), v.total, errors: errors,
            attributes: " required inputmode=\"numeric\" pattern=\"[0-9 ,]*\" dir=\"ltr\"")
        html.entrySelect("source", t("population.sources"), sources, errors: errors)
        let noMethod = Choice(value: "", label: "—", selected: v.method.isEmpty)
        html.entrySelect("method", t("population.entry_method"), [noMethod] + methods, errors: errors)
        html.entryInput(
            "round", t("population.entry_round"), v.round, errors: errors,
            attributes: " inputmode=\"numeric\" size=\"4\" dir=\"ltr\"")
        html.entryInput(
            "reporting_date", t("population.entry_reported"), v.reportingDate, errors: errors, type: "date",
            attributes: " dir=\"ltr\"")
        html.entryInput(
            "origin_iso3", t("population.entry_origin"), v.originIso3, errors: errors,
            attributes: " size=\"4\" maxlength=\"3\" dir=\"ltr\" placeholder=\"SSD\"")
        // Women and men × UNHCR's age brackets, as on the tally form; optional.
        html.markup("<fieldset><legend>")
        html.text(t("population.entry_breakdown"))
        html.markup("</legend><table class=\"bins\"><thead><tr><td></td><th scope=\"col\" dir=\"ltr\">0–4</th>")
        html.markup("<th scope=\"col\" dir=\"ltr\">5–11</th><th scope=\"col\" dir=\"ltr\">12–17</th>")
        html.markup("<th scope=\"col\" dir=\"ltr\">18–59</th><th scope=\"col\" dir=\"ltr\">60+</th>")
        html.markup("<th scope=\"col\">?</th></tr></thead><tbody>")
        html.sexAgeRows(field: "breakdown", values: v.breakdown, t)
        html.markup("</tbody></table>")
        html.describedFieldError(errors, "breakdown")
        html.markup("</fieldset>\n  <p><small>")
        html.text(t("population_entry_help"))
        html.markup("</small></p>\n  <button id=\"save-figure\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n</details>\n")
    }

    /// A file of figures: its format and the file (the token in the address too: the upload is
    /// read as it streams, before any field of its body).
    static func uploadForm(_ m: Model, _ page: PageChrome, into html: inout HTML) {
        let t = page.strings
        html.markup("<form id=\"population-upload\" method=\"post\" action=\"")
        html.text(SiteURL.population(.value(m.code)).path(query: [("_csrf", page.csrf)]))
        html.markup("\" enctype=\"multipart/form-data\" class=\"stack\">\n  ")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"format\">")
        html.text(t("population_format"))
        html.markup("</label>\n  <select id=\"format\" name=\"format\">")
        html.options(
            m.formats.map { format in
                Choice(
                    value: format, label: t("population_format." + format.replacingOccurrences(of: "-", with: "_")),
                    selected: false)
            })
        html.markup("</select>\n  <label for=\"file\">")
        html.text(t("population_file"))
        html.markup("</label>\n  <input id=\"file\" name=\"file\" type=\"file\"")
        html.markup(" accept=\".csv,.json,text/csv,application/json\" required>")
        html.markup("\n  <button id=\"import\" type=\"submit\" class=\"primary\">")
        html.text(t("population_import"))
        html.markup("</button>\n</form>\n")
    }
}

extension HTML {
    /// The message under a refused field of the hand-entry form, with the id its field points to
    /// (`aria-describedby="error-<field>"`).
    fileprivate mutating func describedFieldError(_ errors: [String: String], _ field: String) {
        guard let message = errors[field] else { return }
        markup("<p class=\"field-error\"")
        attribute("id", "error-" + field)
        markup(">")
        text(message)
        markup("</p>")
    }

    /// A labelled input `entry-<name>` of the hand-entry form, marked invalid when refused, then its message.
    /// `attributes` are literal markup, written as given after the type (each with its leading space).
    fileprivate mutating func entryInput(
        _ name: String, _ label: String, _ value: String, errors: [String: String],
        type: StaticString = "text", attributes: StaticString = ""
    ) {
        markup("<label")
        attribute("for", "entry-" + name)
        markup(">")
        text(label)
        markup("</label><input")
        attribute("id", "entry-" + name)
        attribute("name", name)
        markup(" type=\"")
        markup(type)
        markup("\"")
        markup(attributes)
        attribute("value", value)
        if errors[name] != nil {
            markup(" aria-invalid=\"true\"")
            attribute("aria-describedby", "error-" + name)
        }
        markup(">")
        describedFieldError(errors, name)
    }

    /// A labelled select `entry-<name>` of the hand-entry form, then its message if refused.
    fileprivate mutating func entrySelect(
        _ name: String, _ label: String, _ choices: [Choice],
        errors: [String: String]
    ) {
        markup("<label")
        attribute("for", "entry-" + name)
        markup(">")
        text(label)
        markup("</label><select")
        attribute("id", "entry-" + name)
        attribute("name", name)
        markup(">")
        options(choices)
        markup("</select>")
        describedFieldError(errors, name)
    }
}
