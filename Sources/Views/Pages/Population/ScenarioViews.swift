import Domain
import Foundation
import Geo

extension Strings {
    /// "next 6 months".
    func nextMonths(_ count: Int) -> String {
        self("scenarios.next_months").replacingOccurrences(of: "{count}", with: String(count))
    }
}

/// A planning scenario's form fields, as typed.
public struct ScenarioValues: Sendable, Equatable {
    public var name = ""
    public var kind = ScenarioDraft.Kind.mostLikely.rawValue
    public var assumptions = ""
    public var triggers = ""
    /// `type_horizon_phase` → people, as typed.
    public var figures: [String: String] = [:]

    public init() {}
}

/// One month of a projection, with what happened where it is known.
public struct ProjectionRow: Sendable {
    public let month: String
    public let value: Int64
    public let low: Int64
    public let high: Int64
    public let actual: Int64?

    public init(month: String, value: Int64, low: Int64, high: Int64, actual: Int64?) {
        self.month = month
        self.value = value
        self.low = low
        self.high = high
        self.actual = actual
    }
}

extension HTML {
    /// The projection month by month: projected, its interval, and the actual arrivals.
    mutating func projectionTable(_ rows: [ProjectionRow], _ t: Strings) {
        markup("<table class=\"list\">")
        tableHead([t("scenarios_month"), t("scenarios_projected"), t("scenarios_interval"), t("scenarios_actual")])
        markup("\n<tbody>")
        for row in rows {
            markup("<tr><td dir=\"ltr\">")
            text(row.month)
            markup("</td><td class=\"score\">")
            text(DecimalText.grouped(row.value))
            markup("</td><td class=\"score\">")
            text(DecimalText.grouped(row.low) + "–" + DecimalText.grouped(row.high))
            markup("</td><td class=\"score\">")
            text(row.actual.map { DecimalText.grouped($0) } ?? "—")
            markup("</td></tr>")
        }
        markup("</tbody></table>")
    }

    /// The scenario's fields: name, kind, assumptions, triggers and the planning-figures grid
    /// (population type × horizon × phase).
    mutating func scenarioFields(_ v: ScenarioValues, errors: [String: String], types: [PopulationType], _ t: Strings) {
        markup("  <label for=\"name\">")
        text(t("field_name"))
        markup("</label>\n  <input id=\"name\" name=\"name\"")
        attribute("value", v.name)
        markup(" required maxlength=\"200\">\n  ")
        fieldError(errors, "name")
        markup("\n  <label for=\"kind\">")
        text(t("scenarios_kind"))
        markup("</label>\n  <select id=\"kind\" name=\"kind\">")
        options(
            ScenarioDraft.Kind.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.kind)
            })
        markup("</select>\n  <label for=\"assumptions\">")
        text(t("scenarios_assumptions"))
        markup("</label>\n  <textarea id=\"assumptions\" name=\"assumptions\" rows=\"3\" dir=\"auto\">")
        text(v.assumptions)
        markup("</textarea>\n  <label for=\"triggers\">")
        text(t("scenarios_triggers"))
        markup("</label>\n  <textarea id=\"triggers\" name=\"triggers\" rows=\"3\" dir=\"auto\">")
        text(v.triggers)
        markup("</textarea>\n  <p><strong>")
        text(t("scenarios_figures"))
        markup("</strong></p>\n  <div class=\"scroll\"><table class=\"list bins wide-figures\">")
        tableHead(
            [t("population.types")]
                + ScenarioDraft.horizons.flatMap { horizon in
                    ScenarioDraft.Phase.allCases.map { t.nextMonths(horizon) + " · " + t($0.labelKey) }
                })
        markup("<tbody>")
        for type in types {
            markup("<tr><th scope=\"row\">")
            text(t(type.labelKey))
            markup("</th>")
            for horizon in ScenarioDraft.horizons {
                for phase in ScenarioDraft.Phase.allCases {
                    let name = "\(type.rawValue)_\(horizon)_\(phase.rawValue)"
                    markup("<td><input inputmode=\"numeric\" size=\"6\"")
                    attribute("name", "figures[\(name)]")
                    attribute("aria-label", "\(t(type.labelKey)), \(horizon), \(t(phase.labelKey))")
                    attribute("value", v.figures[name] ?? "")
                    markup("></td>")
                }
            }
            markup("</tr>")
        }
        markup("</tbody></table></div>\n  ")
        fieldError(errors, "figures")
        markup("\n")
    }
}

/// The operation's planning scenarios, the projection of arrivals offered as a start, and a new scenario.
public enum ScenarioList {
    public struct Model: Sendable {
        public struct Scenario: Sendable {
            public let id: ScenarioID
            public let name: String
            public let kind: ScenarioDraft.Kind
            public let updated: String

            public init(id: ScenarioID, name: String, kind: ScenarioDraft.Kind, updated: String) {
                self.id = id
                self.name = name
                self.kind = kind
                self.updated = updated
            }
        }

        public struct Projection: Sendable {
            public let method: String
            /// Per horizon: the sum projected and its interval.
            public let cumulative: [(months: Int, value: Int64, low: Int64, high: Int64)]
            public let rows: [ProjectionRow]

            public init(
                method: String, cumulative: [(months: Int, value: Int64, low: Int64, high: Int64)],
                rows: [ProjectionRow]
            ) {
                self.method = method
                self.cumulative = cumulative
                self.rows = rows
            }
        }

        public let code: String
        public let scenarios: [Scenario]
        public let projection: Projection?
        public let canWrite: Bool
        public let types: [PopulationType]
        public let values: ScenarioValues
        public let errors: [String: String]

        public init(
            code: String, scenarios: [Scenario], projection: Projection?, canWrite: Bool, types: [PopulationType],
            values: ScenarioValues, errors: [String: String]
        ) {
            self.code = code
            self.scenarios = scenarios
            self.projection = projection
            self.canWrite = canWrite
            self.types = types
            self.values = values
            self.errors = errors
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("population_title"), .population(code))])
        html.markup("<h1>")
        html.text(t("scenarios_title"))
        html.markup("</h1>\n<section id=\"scenario-list\">\n")
        if m.scenarios.isEmpty {
            html.paragraph(t("scenarios_none"))
        } else {
            html.markup("<ul>")
            for scenario in m.scenarios {
                html.markup("<li>")
                html.link(.scenario(code, .value(scenario.id)), scenario.name)
                html.text(" · " + t(scenario.kind.labelKey) + " · ")
                html.markup("<span dir=\"ltr\">")
                html.text(scenario.updated)
                html.markup("</span></li>")
            }
            html.markup("</ul>")
        }
        html.markup("\n</section>\n<section id=\"projection\">\n<h2>")
        html.text(t("scenarios_projection"))
        html.markup("</h2>\n")
        if let projection = m.projection {
            html.markup("<p><small>")
            html.text(projection.method)
            html.markup("</small></p>\n<ul>")
            for sum in projection.cumulative {
                html.markup("<li>")
                html.text(t.nextMonths(sum.months))
                html.markup(": <strong>")
                html.text(DecimalText.grouped(sum.value))
                html.markup("</strong> (")
                html.text(DecimalText.grouped(sum.low) + "–" + DecimalText.grouped(sum.high))
                html.markup(")</li>")
            }
            html.markup("</ul>\n")
            html.projectionTable(projection.rows, t)
        } else {
            html.paragraph(t("scenarios_no_projection"))
        }
        html.markup("\n</section>\n")
        if m.canWrite {
            html.markup("<section id=\"new-scenario\">\n<h2>")
            html.text(t("scenarios_new"))
            html.markup("</h2>\n")
            html.formErrors(t, m.errors)
            html.markup("<form id=\"scenario-form\" method=\"post\" action=\"")
            html.url(.scenarios(code))
            html.markup("\" class=\"stack\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n")
            html.scenarioFields(m.values, errors: m.errors, types: m.types, t)
            if m.projection != nil {
                html.markup(
                    "  <label class=\"check\"><input type=\"checkbox\" name=\"keep_projection\" value=\"on\" checked> ")
                html.text(t("scenarios_keep_projection"))
                html.markup("</label>\n")
            }
            html.markup("  <button id=\"save\" type=\"submit\" class=\"primary\">")
            html.text(t("form_save"))
            html.markup("</button>\n</form>\n</section>\n")
        }
        return html
    }
}

/// One scenario: assumptions, triggers, planning figures, its projection against what happened, and its revision.
public enum ScenarioPage {
    public struct Model: Sendable {
        public struct Figure: Sendable {
            public let type: PopulationType
            public let months: Int
            public let phase: ScenarioDraft.Phase
            public let people: Int

            public init(type: PopulationType, months: Int, phase: ScenarioDraft.Phase, people: Int) {
                self.type = type
                self.months = months
                self.phase = phase
                self.people = people
            }
        }

        public struct Projection: Sendable {
            public let method: String
            public let madeOn: String
            public let chart: SVG
            public let rows: [ProjectionRow]

            public init(method: String, madeOn: String, chart: SVG, rows: [ProjectionRow]) {
                self.method = method
                self.madeOn = madeOn
                self.chart = chart
                self.rows = rows
            }
        }

        public let code: String
        public let id: ScenarioID
        public let name: String
        public let kind: ScenarioDraft.Kind
        public let assumptions: String
        public let triggers: String
        public let figures: [Figure]
        public let projection: Projection?
        public let canWrite: Bool
        public let types: [PopulationType]
        public let values: ScenarioValues
        public let errors: [String: String]
        /// The revision form opens when a revision was refused.
        public let editOpen: Bool

        public init(
            code: String, id: ScenarioID, name: String, kind: ScenarioDraft.Kind, assumptions: String, triggers: String,
            figures: [Figure],
            projection: Projection?, canWrite: Bool, types: [PopulationType], values: ScenarioValues,
            errors: [String: String],
            editOpen: Bool
        ) {
            self.code = code
            self.id = id
            self.name = name
            self.kind = kind
            self.assumptions = assumptions
            self.triggers = triggers
            self.figures = figures
            self.projection = projection
            self.canWrite = canWrite
            self.types = types
            self.values = values
            self.errors = errors
            self.editOpen = editOpen
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("scenarios_title"), .scenarios(code))])
        html.markup("<h1>")
        html.text(m.name)
        html.markup(" <small>(")
        html.text(t(m.kind.labelKey))
        html.markup(")</small></h1>\n<div class=\"grid halves\">\n<section><h2>")
        html.text(t("scenarios_assumptions"))
        html.markup("</h2><p class=\"notes\" dir=\"auto\">")
        html.text(m.assumptions)
        html.markup("</p></section>\n<section><h2>")
        html.text(t("scenarios_triggers"))
        html.markup("</h2><p class=\"notes\" dir=\"auto\">")
        html.text(m.triggers)
        html.markup("</p></section>\n</div>\n<section id=\"planning-figures\"><h2>")
        html.text(t("scenarios_figures"))
        html.markup("</h2>\n")
        if m.figures.isEmpty {
            html.markup("<p>—</p>")
        } else {
            html.markup("<table class=\"list\"><tbody>")
            for figure in m.figures {
                html.markup("<tr><td>")
                html.text(t(figure.type.labelKey))
                html.markup("</td><td>")
                html.text(t.nextMonths(figure.months))
                html.markup("</td><td>")
                html.text(t(figure.phase.labelKey))
                html.markup("</td><td class=\"score\">")
                html.text(DecimalText.grouped(Int64(figure.people)))
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table>")
        }
        html.markup("</section>\n")
        if let projection = m.projection {
            html.markup("<section id=\"against-actual\"><h2>")
            html.text(t("scenarios_against_actual"))
            html.markup("</h2>\n<p><small>")
            html.text(projection.method + " ")
            html.markup("<span dir=\"ltr\">")
            html.text(projection.madeOn)
            html.markup("</span></small></p>\n<figure class=\"chart\">")
            html.svg(projection.chart)
            html.markup("</figure>\n")
            html.projectionTable(projection.rows, t)
            html.markup("</section>\n")
        }
        if m.canWrite {
            html.markup(
                m.editOpen
                    ? "<details id=\"revise-scenario\" open><summary>" : "<details id=\"revise-scenario\"><summary>")
            html.text(t("scenarios_revise"))
            html.markup("</summary>\n")
            html.formErrors(t, m.errors)
            html.markup("<form id=\"scenario-form\" method=\"post\" action=\"")
            html.url(.scenario(code, .value(m.id)))
            html.markup("\" class=\"stack\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n")
            html.scenarioFields(m.values, errors: m.errors, types: m.types, t)
            html.markup("  <p><small>")
            html.text(t("scenarios_revise_help"))
            html.markup("</small></p>\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
            html.text(t("form_save"))
            html.markup("</button>\n</form>\n</details>\n")
        }
        return html
    }
}
