import Domain
import Foundation

/// The form that assesses a risk or changes one: threat, what is at risk, likelihood × impact
/// before and after the measures, the measures, the acceptance decision, the next review and who
/// may read it; shown again with the values typed when a save is refused.
public enum RiskForm {
    /// One measure's fields as typed.
    public typealias Measure = RiskInput.Measure
    /// The form's fields as typed (text, not yet checked): the risk decoder's input.
    public typealias Values = RiskInput

    public struct Model: Sendable {
        public let code: String
        /// The risk being changed; nil for a new one.
        public let id: RiskID?
        public let values: Values
        public let errors: [String: String]
        /// The operation's matrix, threat catalogue and rules, which the choices come from.
        public let settings: RiskSettings
        /// The version an edit is based on (nil for a new risk), and what someone else saved when a save came too late.
        public let version: String?
        public let stale: StaleNotice?

        public init(
            code: String, id: RiskID?, values: Values, errors: [String: String], settings: RiskSettings,
            version: String?, stale: StaleNotice?
        ) {
            self.code = code
            self.id = id
            self.values = values
            self.errors = errors
            self.settings = settings
            self.version = version
            self.stale = stale
        }
    }

    public static func title(_ m: Model, _ t: Strings) -> String { t(m.id == nil ? "risks.new" : "risks.edit") }

    /// The `<option>`s of a select: an optional blank first (chosen when nothing is), then the values.
    static func choices(_ items: [(value: String, label: String)], selected: String, blank: String?) -> [Choice] {
        (blank.map { [Choice(value: "", label: $0, selected: selected.isEmpty)] } ?? [])
            + items.map { Choice(value: $0.value, label: $0.label, selected: $0.value == selected) }
    }

    /// A scale's steps as choices, numbered as the matrix counts them: "4 · Likely".
    static func numbered(_ names: [String]) -> [(value: String, label: String)] {
        names.enumerated().map { (value: String($0.offset + 1), label: "\($0.offset + 1) · \($0.element)") }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, v = m.values, code = Parameter.value(m.code), settings = m.settings
        let labels = RiskLabels(settings.matrix, t)
        let likelihoods = numbered(labels.likelihoods), impacts = numbered(labels.impacts)
        let notAssessed = t("risks.not_assessed")
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("risks_title"), .risks(code))])
        html.markup("<h1>")
        html.text(t(m.id == nil ? "risks_new" : "risks_edit"))
        html.markup("</h1>\n")
        html.formErrors(t, m.errors)
        html.staleNotice(m.stale, t)
        html.markup("<form id=\"risk-form\" method=\"post\" action=\"")
        html.url(m.id.map { .editRisk(code, .value($0)) } ?? .risks(code))
        html.markup("\" class=\"stack\">\n")
        if let version = m.version {
            html.markup("<input type=\"hidden\" name=\"version\"")
            html.attribute("value", version)
            html.markup(">\n")
        }
        html.markup("  ")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"title\">")
        html.text(t("field_title"))
        html.markup("</label>\n  <input id=\"title\" name=\"title\"")
        html.attribute("value", v.title)
        html.markup(" required maxlength=\"200\">\n  ")
        html.fieldError(m.errors, "title")
        html.markup("\n  <label for=\"threat\">")
        html.text(t("field_threat"))
        html.markup("</label>\n  <select id=\"threat\" name=\"threat\">")
        // A threat since taken out of the catalogue stays chosen, so saving says so instead of
        // silently taking the list's first threat.
        if !v.threat.isEmpty, !settings.threats.contains(where: { $0.key == v.threat }) {
            html.options([Choice(value: v.threat, label: t.threatName(v.threat, settings), selected: true)])
        }
        for threatClass in ThreatClass.allCases {
            let members = settings.threats.filter { $0.threatClass == threatClass }
            guard !members.isEmpty else { continue }
            html.markup("<optgroup")
            html.attribute("label", t(threatClass.labelKey))
            html.markup(">")
            html.options(
                members.map {
                    Choice(value: $0.key, label: t.threatName($0.key, settings), selected: $0.key == v.threat)
                })
            html.markup("</optgroup>")
        }
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "threat")
        html.markup("\n  ")
        html.checkboxGroup(
            legend: t("field_at_risk"), name: "targets",
            RiskTarget.allCases.map {
                Choice(
                    value: $0.rawValue, label: t("risk_target.\($0.rawValue)"),
                    selected: v.targets.contains($0.rawValue))
            })
        html.markup("\n  ")
        html.fieldError(m.errors, "targets")
        html.markup("\n  <label for=\"vulnerabilities\">")
        html.text(t("field_vulnerabilities"))
        html.markup("</label>\n  <textarea id=\"vulnerabilities\" name=\"vulnerabilities\" rows=\"3\">")
        html.text(v.vulnerabilities)
        html.markup("</textarea>\n  ")
        html.fieldError(m.errors, "vulnerabilities")
        html.markup("\n  <label for=\"area_pcodes\">")
        html.text(t("field_area_pcodes"))
        html.markup("</label>\n  <input id=\"area_pcodes\" name=\"area_pcodes\"")
        html.attribute("value", v.areaPcodes)
        html.markup(" dir=\"ltr\" aria-describedby=\"areas-help\">\n  <small id=\"areas-help\">")
        html.text(t("risks_areas_help"))
        html.markup("</small>\n  ")
        html.fieldError(m.errors, "area_pcodes")
        html.markup("\n  <fieldset><legend>")
        html.text(t("risks_inherent"))
        html.markup("</legend>\n  <label for=\"likelihood\">")
        html.text(t("field_likelihood"))
        html.markup("</label>\n  <select id=\"likelihood\" name=\"likelihood\">")
        html.options(choices(likelihoods, selected: v.likelihood, blank: "—"))
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "likelihood")
        html.markup("\n  <label for=\"impact\">")
        html.text(t("field_impact"))
        html.markup("</label>\n  <select id=\"impact\" name=\"impact\">")
        html.options(choices(impacts, selected: v.impact, blank: "—"))
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "impact")
        html.markup("\n  </fieldset>\n  <h2>")
        html.text(t("risks_measures"))
        html.markup("</h2>\n  ")
        // The measures given, then an empty row to add one (two when there is none yet).
        let rows = v.measures + Array(repeating: Measure(), count: v.measures.isEmpty ? 2 : 1)
        for (i, row) in rows.enumerated() {
            html.riskMeasure(i, row, errors: m.errors, t)
        }
        html.markup("\n  <fieldset><legend>")
        html.text(t("risks_residual"))
        html.markup("</legend>\n  <label for=\"residual_likelihood\">")
        html.text(t("field_likelihood"))
        html.markup("</label>\n  <select id=\"residual_likelihood\" name=\"residual_likelihood\">")
        html.options(choices(likelihoods, selected: v.residualLikelihood, blank: notAssessed))
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "residual_likelihood")
        html.markup("\n  <label for=\"residual_impact\">")
        html.text(t("field_impact"))
        html.markup("</label>\n  <select id=\"residual_impact\" name=\"residual_impact\">")
        html.options(choices(impacts, selected: v.residualImpact, blank: notAssessed))
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "residual_impact")
        html.markup("\n  </fieldset>\n  <fieldset><legend>")
        html.text(t("risks_acceptance"))
        html.markup("</legend>\n  <label for=\"acceptance_by\">")
        html.text(t("field_decided_by"))
        html.markup("</label>\n  <input id=\"acceptance_by\" name=\"acceptance_by\"")
        html.attribute("value", v.acceptanceBy)
        html.markup(">\n  <label for=\"acceptance_on\">")
        html.text(t("field_decided_on"))
        html.markup("</label>\n  <input id=\"acceptance_on\" name=\"acceptance_on\" type=\"date\"")
        html.attribute("value", v.acceptanceOn)
        html.markup(" dir=\"ltr\">\n  <label for=\"acceptance_rationale\">")
        html.text(t("field_rationale"))
        html.markup("</label>\n  <textarea id=\"acceptance_rationale\" name=\"acceptance_rationale\" rows=\"2\">")
        html.text(v.acceptanceRationale)
        html.markup("</textarea>\n  ")
        html.fieldError(m.errors, "acceptance")
        html.markup("\n  <label for=\"programme_criticality\">")
        html.text(t("field_programme_criticality"))
        html.markup("</label>\n  <select id=\"programme_criticality\" name=\"programme_criticality\"")
        html.markup(" aria-describedby=\"criticality-help\">")
        let criticalities: [(value: String, label: String)] = ProgrammeCriticality.allCases.map {
            (value: $0.rawValue, label: t("criticality." + $0.rawValue))
        }
        html.options(choices(criticalities, selected: v.programmeCriticality, blank: "—"))
        html.markup("</select>\n  <small id=\"criticality-help\">")
        let level = settings.rules.criticalityFromLevel
        let levelName = t("risk_level.\(level)", or: level)
        html.text(t("risks.criticality_help").replacingOccurrences(of: "{level}", with: levelName))
        html.markup("</small>\n  ")
        html.fieldError(m.errors, "programme_criticality")
        html.markup("\n  </fieldset>\n  <label for=\"next_review\">")
        html.text(t("field_next_review"))
        html.markup("</label>\n  <input id=\"next_review\" name=\"next_review\" type=\"date\"")
        html.attribute("value", v.nextReview)
        html.markup(" dir=\"ltr\" required>\n  ")
        html.fieldError(m.errors, "next_review")
        html.audienceSelect(t, chosen: v.audience, help: t("help_audience"), errors: m.errors)
        if m.version != nil {
            html.markup("<label class=\"check\"><input type=\"checkbox\" name=\"publish_history\" value=\"on\"> ")
            html.text(t("risks_publish_history"))
            html.markup("</label>")
        }
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

extension HTML {
    /// One measure's fieldset: what, who, by when, status, strategy, tags, and what was wrong with it.
    mutating func riskMeasure(_ i: Int, _ row: RiskForm.Measure, errors: [String: String], _ t: Strings) {
        let prefix = "measures[\(i)]"
        markup("<fieldset class=\"measure\"><legend>")
        text(t("risks.measure_n").replacingOccurrences(of: "{count}", with: String(i + 1)))
        markup("</legend>")
        func input(_ name: String, _ label: String, _ value: String, type: StaticString = "text", ltr: Bool = false) {
            markup("<label>")
            text(t(label))
            markup(" <input type=\"")
            markup(type)
            markup("\"")
            attribute("name", "\(prefix)[\(name)]")
            if ltr { markup(" dir=\"ltr\"") }
            attribute("value", value)
            markup("></label>")
        }
        input("description", "field_measure", row.description)
        input("owner", "field_owner", row.owner)
        input("due", "field_due", row.due, type: "date", ltr: true)
        markup("<label>")
        text(t("field_measure_status"))
        markup(" <select")
        attribute("name", "\(prefix)[status]")
        markup(">")
        options(
            MeasureStatus.allCases.map {
                Choice(
                    value: $0.rawValue, label: t("measure_status.\($0.rawValue)"), selected: $0.rawValue == row.status)
            })
        markup("</select></label><label>")
        text(t("field_strategy"))
        markup(" <select")
        attribute("name", "\(prefix)[strategy]")
        markup(">")
        options(
            MitigationStrategy.allCases.map {
                Choice(value: $0.rawValue, label: t("strategy.\($0.rawValue)"), selected: $0.rawValue == row.strategy)
            })
        markup("</select></label>")
        input("tags", "field_tags", row.tags)
        fieldError(errors, prefix)
        markup("</fieldset>")
    }
}
