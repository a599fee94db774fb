import Domain
import Foundation
import Geo

/// The EPoA's activities for people on the move: reach against target by sector (acute beside
/// protracted) and by area, and each activity with its progress.
public enum ActivityList {
    public struct Model: Sendable {
        public struct Row: Sendable {
            public let id: UUID
            public let draft: ActivityDraft
            public let area: String
            /// The protection risks whose mitigations this activity carries out (for their readers).
            public var mitigates: [(id: ProtectionRiskID, number: Int, title: String)] = []
            public init(id: UUID, draft: ActivityDraft, area: String) {
                self.id = id
                self.draft = draft
                self.area = area
            }
        }
        /// Reach against target for one key (a sector, an area), per phase.
        public struct Sum: Sendable {
            public let label: String
            public let acute: (targeted: Int, reached: Int)
            public let protracted: (targeted: Int, reached: Int)
            public init(label: String, acute: (targeted: Int, reached: Int), protracted: (targeted: Int, reached: Int))
            {
                self.label = label
                self.acute = acute
                self.protracted = protracted
            }
        }
        public let code: String
        public let rows: [Row]
        public let bySector: [Sum]
        public let byArea: [Sum]
        /// By population type, where activities state it; the rest under "not stated".
        public let byType: [Sum]
        public let asOf: Date
        public let canManage: Bool
        /// What the last save warned of (reach far above target).
        public var warning: String?
        /// Reach against target by sector, as a chart (the table below holds the same figures).
        public var chart: SVG?
        /// The list of activities is paged; the sums above cover every one.
        public var page = 1
        public var hasMore = false

        public init(
            code: String, rows: [Row], bySector: [Sum], byArea: [Sum], byType: [Sum] = [], asOf: Date,
            canManage: Bool
        ) {
            self.code = code
            self.rows = rows
            self.bySector = bySector
            self.byArea = byArea
            self.byType = byType
            self.asOf = asOf
            self.canManage = canManage
        }
    }

    static func percent(_ reached: Int, _ targeted: Int) -> String {
        targeted > 0 ? String(Int((Double(reached) / Double(targeted) * 100).rounded())) + " %" : "–"
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("services_title"), .services(code))])
        html.markup("<h1>")
        html.text(t("activities_title"))
        html.markup("</h1>\n")
        if let warning = m.warning {
            html.markup("<p class=\"warning\" role=\"alert\" id=\"activity-warning\">")
            html.text(warning)
            html.markup("</p>\n")
        }
        html.markup("<p>")
        html.text(t("activities_intro"))
        html.markup("</p>\n<p class=\"actions\">")
        if m.canManage {
            html.link(.newActivity(code), t("activities_new"), "class=\"button primary\"")
            html.markup(" ")
        }
        html.text("3W: ")
        for (n, format) in [("csv", "CSV"), ("hxl", "HXL")].enumerated() {
            if n > 0 { html.markup(" · ") }
            html.markup("<a href=\"")
            html.text(SiteURL.activitiesExport(code).path(query: [("format", format.0)]))
            html.markup("\">")
            html.text(format.1)
            html.markup("</a>")
        }
        html.markup("</p>\n<p class=\"source\">")
        html.text(t("activities_source") + " " + t.minute(m.asOf))
        html.markup("</p>\n")
        if m.rows.isEmpty {
            html.paragraph(t("activities_none"))
            return html
        }
        if let chart = m.chart {
            html.markup("<figure class=\"chart\" id=\"reach-chart\">")
            html.svg(chart)
            html.markup("</figure>\n")
        }
        for (title, id, sums) in [
            ("activities_by_sector", StaticString("reach-by-sector"), m.bySector),
            ("activities_by_area", StaticString("reach-by-area"), m.byArea),
            ("activities_by_type", StaticString("reach-by-type"), m.byType),
        ] where !sums.isEmpty {
            html.markup("<h2>")
            html.text(t(title))
            html.markup("</h2><div class=\"scroll\"><table class=\"list\" id=\"")
            html.markup(id)
            html.markup("\">")
            html.tableHead([
                "", t("response_phase.acute") + " · " + t("field_targeted"), t("field_reached"),
                t("response_phase.protracted") + " · " + t("field_targeted"), t("field_reached"),
                t("activities_progress"),
            ])
            html.markup("<tbody>")
            for sum in sums {
                html.markup("<tr><th scope=\"row\">")
                html.text(sum.label)
                html.markup("</th>")
                let total = (sum.acute.targeted + sum.protracted.targeted, sum.acute.reached + sum.protracted.reached)
                for value in [
                    String(sum.acute.targeted), String(sum.acute.reached), String(sum.protracted.targeted),
                    String(sum.protracted.reached), percent(total.1, total.0),
                ] {
                    html.markup("<td class=\"number\">")
                    html.text(value)
                    html.markup("</td>")
                }
                html.markup("</tr>")
            }
            html.markup("</tbody></table></div>\n")
        }
        html.markup("<h2>")
        html.text(t("activities_each"))
        html.markup("</h2><div class=\"scroll\"><table class=\"list\" id=\"activities\">")
        html.tableHead([
            t("field_activity"), t("field_sector"), t("field_area"), t("field_response_phase"), t("field_implementer"),
            t("field_targeted"), t("field_reached"), t("activities_progress"),
        ])
        html.markup("<tbody>")
        for row in m.rows {
            let d = row.draft
            html.markup("<tr><th scope=\"row\">")
            if m.canManage {
                html.link(.editActivity(code, .value(row.id)), d.name)
            } else {
                html.text(d.name)
            }
            html.markup("<br><small>")
            html.text(t(d.kind.labelKey) + " · " + d.populationTypes.map { t($0.labelKey) }.joined(separator: ", "))
            if !row.mitigates.isEmpty {
                html.markup("<br>")
                html.text(t("activities_mitigates") + " ")
                for (i, risk) in row.mitigates.enumerated() {
                    if i > 0 { html.markup(", ") }
                    html.link(.protectionRisk(code, .value(risk.id)), "\(risk.number). \(risk.title)")
                }
            }
            html.markup("</small></th><td>")
            html.text(t(d.sector.labelKey))
            html.markup("</td><td>")
            html.text(row.area)
            html.markup("</td><td>")
            html.text(t(d.phase.labelKey))
            html.markup("</td><td><bdi>")
            html.text(d.implementer)
            html.markup("</bdi></td><td class=\"number\">")
            html.text(d.targeted)
            html.markup("</td><td class=\"number\">")
            html.text(d.reached)
            html.markup("</td><td>")
            if d.targeted > 0 {
                html.markup("<progress max=\"")
                html.text(d.targeted)
                html.markup("\" value=\"")
                html.text(min(d.reached, d.targeted))
                html.markup("\"></progress> ")
            }
            html.text(percent(d.reached, d.targeted))
            html.markup("</td></tr>")
        }

        html.markup("</tbody></table></div>\n")
        if m.page > 1 || m.hasMore { html.pager(t, page: m.page, hasMore: m.hasMore, base: .activities(code)) }
        return html
    }
}

/// The form that adds an activity or records its reach.
public enum ActivityForm {
    public struct Model: Sendable {
        public let code: String
        public let id: UUID?
        public let values: ActivityInput
        public let errors: [String: String]
        public let version: String
        public let areas: [(pcode: String, name: String)]
        public let sites: [(id: SiteID, name: String)]
        public let acuteActivities: [(id: UUID, name: String)]

        public init(
            code: String, id: UUID?, values: ActivityInput, errors: [String: String], version: String,
            areas: [(pcode: String, name: String)], sites: [(id: SiteID, name: String)],
            acuteActivities: [(id: UUID, name: String)]
        ) {
            self.code = code
            self.id = id
            self.values = values
            self.errors = errors
            self.version = version
            self.areas = areas
            self.sites = sites
            self.acuteActivities = acuteActivities
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, v = m.values, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("activities_title"), .activities(code))])
        html.recordFormStart(
            t, heading: t(m.id == nil ? "activities_new" : "activities_edit"), errors: m.errors,
            action: m.id.map { .editActivity(code, .value($0)) } ?? .activities(code), csrf: page.csrf,
            version: m.id == nil ? nil : m.version)
        // The register's labelled fields (PeopleViews), named by catalogue key here.
        func input(_ name: String, _ key: String, _ value: String, _ extra: StaticString = "") {
            html.field(name, label: t(key), value: value, errors: m.errors, attributes: extra)
        }
        func select(_ name: String, _ key: String, _ choices: [Choice], empty: String? = nil) {
            html.select(name, label: t(key), choices, blank: empty, errors: m.errors)
        }
        input("name", "field_activity", v.name, "required")
        select(
            "kind", "field_activity_kind",
            ActivityKind.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.kind)
            })
        select(
            "sector", "field_sector",
            IFRCSector.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.sector)
            })
        select(
            "area", "field_area",
            m.areas.map { Choice(value: $0.pcode, label: "\($0.name) (\($0.pcode))", selected: $0.pcode == v.area) },
            empty: "—")
        select(
            "site", "field_site",
            m.sites.map { Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.site) },
            empty: "—")
        html.checkboxGroup(
            legend: t("field_population_types"), name: "population_types",
            PopulationType.allCases.filter { $0 != .totalPopulation }.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: v.populationTypes.contains($0.rawValue))
            })
        html.fieldError(m.errors, "population_types")
        select(
            "phase", "field_response_phase",
            ResponsePhase.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.phase)
            })
        select(
            "continues", "field_continues",
            m.acuteActivities.map {
                Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.continues)
            },
            empty: "—")
        input("start_on", "field_start_on", v.startOn, "type=\"date\" dir=\"ltr\" required")
        input("end_on", "field_end_on", v.endOn, "type=\"date\" dir=\"ltr\"")
        input("implementer", "field_implementer", v.implementer, "required")
        input("targeted", "field_targeted", v.targeted, "inputmode=\"numeric\" dir=\"ltr\"")
        input("reached", "field_reached", v.reached, "inputmode=\"numeric\" dir=\"ltr\"")
        // By sex and age in UNHCR's brackets: optional; a total left empty is their sum.
        let open = !v.targetedBins.isEmpty || !v.reachedBins.isEmpty
        html.markup(open ? "\n  <details open><summary>" : "\n  <details><summary>")
        html.text(t("activities_breakdown"))
        html.markup("</summary><p class=\"help\">")
        html.text(t("help_activity_bins"))
        html.markup("</p>")
        for (field, values, key) in [
            ("targeted_bins", v.targetedBins, "field_targeted"), ("reached_bins", v.reachedBins, "field_reached"),
        ] {
            html.markup("<div class=\"scroll\"><table class=\"list bins\"><caption>")
            html.text(t(key))
            html.markup("</caption>")
            html.tableHead([""] + DisaggregationScheme.unhcrAgeBrackets.map { t("flows.age_" + $0) })
            html.markup("<tbody>")
            html.sexAgeRows(field: field, values: values, t)
            html.markup("</tbody></table></div>")
            html.fieldError(m.errors, field)
        }
        html.markup("</details>")
        // By population type: optional, each adding up to no more than its total.
        let byType = !v.targetedByType.isEmpty || !v.reachedByType.isEmpty
        html.markup(byType ? "\n  <details open><summary>" : "\n  <details><summary>")
        html.text(t("activities_by_type"))
        html.markup("</summary><div class=\"scroll\"><table class=\"list bins\">")
        html.tableHead(["", t("field_targeted"), t("field_reached")])
        html.markup("<tbody>")
        for type in PopulationType.allCases where type != .totalPopulation {
            html.markup("<tr><th scope=\"row\">")
            html.text(t(type.labelKey))
            html.markup("</th>")
            for (field, values, key) in [
                ("targeted_by_type", v.targetedByType, "field_targeted"),
                ("reached_by_type", v.reachedByType, "field_reached"),
            ] {
                html.markup("<td><input inputmode=\"numeric\" dir=\"ltr\" size=\"6\"")
                html.attribute("name", field + "[" + type.rawValue + "]")
                html.attribute("aria-label", t(key) + " · " + t(type.labelKey))
                html.attribute("value", values[type.rawValue] ?? "")
                html.markup("></td>")
            }
            html.markup("</tr>")
        }
        html.markup("</tbody></table></div>")
        html.fieldError(m.errors, "targeted_by_type")
        html.fieldError(m.errors, "reached_by_type")
        html.markup("</details>")
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}
