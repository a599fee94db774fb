import Domain
import Foundation
import Geo

extension RiskLabels {
    /// The protection register's scales and levels, named from the same catalogue as the security
    /// matrix's (the default steps share their names).
    public init(_ method: ExposureMethod, _ t: Strings) {
        self.init(
            likelihoods: method.likelihoods.map { t("risk_likelihood.\($0)", or: $0) },
            impacts: method.severities.map { t("risk_impact.\($0)", or: $0) },
            levels: method.levels.map { t("risk_level.\($0)", or: $0) })
    }
}

extension HTML {
    /// "GPC 15 · Unlawful impediments … — Pushback": the GPC risk with its number, and the sub-type.
    mutating func protectionCategory(_ d: ProtectionRiskDraft, _ t: Strings) {
        markup("<span dir=\"ltr\">GPC ")
        text(d.category.number)
        markup("</span> · ")
        text(t(d.category.labelKey))
        if let subtype = d.subtype {
            markup(" — <strong>")
            text(t(subtype.labelKey))
            markup("</strong>")
        }
    }

    /// The exposure method in words, with the operation's parameters: what a reader needs to redo a score.
    mutating func exposureMethod(_ method: ExposureMethod, _ t: Strings) {
        func percent(_ value: Int) -> String { (value > 0 ? "+" : "") + String(value) + " %" }
        markup("<details id=\"exposure-method\"><summary>")
        text(t("protection_risks.method_title"))
        markup("</summary><p>")
        text(t("protection_risks.method_intro"))
        markup("</p><ul><li>")
        text(t("protection_risks.method_contexts") + " ")
        let contexts = ProtectionContext.allCases.compactMap { c in
            method.contextAdjustments[c.rawValue].flatMap { $0 == 0 ? nil : t(c.labelKey) + " " + percent($0) }
        }
        text(contexts.isEmpty ? "–" : contexts.joined(separator: "; "))
        markup("</li><li>")
        text(t("protection_risks.method_phases") + " ")
        let phases = JourneyPhase.allCases.compactMap { p in
            method.phaseAdjustments[p.rawValue].flatMap { $0 == 0 ? nil : t(p.labelKey) + " " + percent($0) }
        }
        text(phases.isEmpty ? "–" : phases.joined(separator: "; "))
        markup("</li><li>")
        text(
            t("protection_risks.method_vulnerabilities").replacingOccurrences(
                of: "{each}", with: percent(method.perVulnerability)
            ).replacingOccurrences(of: "{cap}", with: percent(method.vulnerabilityCap)))
        markup("</li><li>")
        text(
            t("protection_risks.method_capacities").replacingOccurrences(
                of: "{each}", with: percent(-method.perCapacity)
            ).replacingOccurrences(of: "{cap}", with: percent(-method.capacityCap)))
        markup("</li><li>")
        let labels = RiskLabels(method, t)
        let bands = method.levels.indices.map { i in
            let upper = i + 1 < method.levelFloors.count ? method.levelFloors[i + 1] - 1 : method.maximum
            let floor = method.levelFloors.indices.contains(i) ? method.levelFloors[i] : 0
            return "\(labels.level(i)) \(floor)–\(upper)"
        }
        text(t("protection_risks.method_levels") + " " + bands.joined(separator: "; "))
        markup("</li></ul></details>\n")
    }

    /// "4 × 4 = 16; Border area +20 %, …: +45 % → 23": one risk's score worked out.
    mutating func exposureWorking(_ e: Exposure, _ t: Strings) {
        // Each figure isolated left to right, each name in its own direction: the line reads in
        // order in Arabic too.
        func signed(_ value: Int) -> String { (value > 0 ? "+" : "") + String(value) + " %" }
        markup("<span class=\"working\"><span dir=\"ltr\">")
        text("\(e.likelihood) × \(e.severity) = \(e.base)")
        markup("</span>")
        for (i, part) in e.parts.enumerated() {
            markup(i == 0 ? "; " : ", ")
            markup("<bdi>")
            text(t(part.key))
            markup("</bdi> <span dir=\"ltr\">")
            text(signed(part.percent))
            markup("</span>")
        }
        if !e.parts.isEmpty {
            markup(" <span dir=\"ltr\">")
            text("= \(signed(e.adjustment)) → \(e.uncapped)")
            markup("</span>")
        }
        if e.uncapped != e.score {
            markup(" (")
            text(t("protection_risks.capped"))
            markup(")")
        }
        markup(" → <strong dir=\"ltr\">")
        text(e.score)
        markup("</strong></span>")
    }
}

/// The protection-risk register: the heat map of context × journey phase, the risks by exposure,
/// found by the role profile's names, GPC risk, context or phase; the method written out.
public enum ProtectionRiskRegister {
    public struct Model: Sendable {
        public struct Row: Sendable {
            public let id: ProtectionRiskID
            public let number: Int
            public let draft: ProtectionRiskDraft
            public let exposure: Int
            public let level: Int
            public let openMitigations: Int
            public let overdueMitigations: Int
            public let closed: Bool
            public init(
                id: ProtectionRiskID, number: Int, draft: ProtectionRiskDraft, exposure: Int, level: Int,
                openMitigations: Int, overdueMitigations: Int, closed: Bool
            ) {
                self.id = id; self.number = number; self.draft = draft; self.exposure = exposure; self.level = level
                self.openMitigations = openMitigations; self.overdueMitigations = overdueMitigations
                self.closed = closed
            }
        }
        public let code: String
        public let method: ExposureMethod
        public let rows: [Row]
        public let heatMap: SVG
        public let concern: ProtectionConcern?
        /// What the chosen name finds, said on the page ("GPC 8, 11, 13").
        public let concernMeaning: String
        public let category: ProtectionRiskCategory?
        public let context: ProtectionContext?
        public let phase: JourneyPhase?
        public let includeClosed: Bool
        public let asOf: Date
        public let canManage: Bool
        /// The heat map's counts as a table (contexts × phases), for a phone or a screen reader.
        public var heatTable: ChartData?

        public init(
            code: String, method: ExposureMethod, rows: [Row], heatMap: SVG, concern: ProtectionConcern?,
            concernMeaning: String, category: ProtectionRiskCategory?, context: ProtectionContext?,
            phase: JourneyPhase?, includeClosed: Bool, asOf: Date, canManage: Bool
        ) {
            self.code = code; self.method = method; self.rows = rows; self.heatMap = heatMap; self.concern = concern
            self.concernMeaning = concernMeaning; self.category = category; self.context = context
            self.phase = phase; self.includeClosed = includeClosed; self.asOf = asOf; self.canManage = canManage
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), labels = RiskLabels(m.method, t)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("protection_risks_title"))
        html.markup("</h1>\n<p class=\"actions\">")
        if m.canManage {
            html.link(.newProtectionRisk(code), t("protection_risks_new"), "id=\"new-risk\" class=\"button primary\"")
            html.markup(" ")
        }
        html.link(.protectionRiskChanges(code), t("risks_changes"), "id=\"risk-changes\" class=\"button\"")
        if m.canManage {
            html.markup(" ")
            html.link(
                .protectionRiskSettings(code), t("settings.protection_exposure_method"),
                "id=\"protection-settings\" class=\"button\"")
        }
        html.markup("</p>\n<p id=\"find-by-name\">")
        html.text(t("protection_risks.find_by_name") + " ")
        for (i, concern) in ProtectionConcern.allCases.enumerated() {
            if i > 0 { html.markup(" · ") }
            if concern == m.concern {
                html.markup("<strong>")
                html.text(t(concern.labelKey))
                html.markup("</strong>")
            } else {
                html.markup("<a href=\"")
                html.url(.protectionRisks(code))
                html.markup("?concern=")
                html.text(concern.rawValue)
                html.markup("\">")
                html.text(t(concern.labelKey))
                html.markup("</a>")
            }
        }
        html.markup("</p>\n")
        if m.concern != nil {
            html.markup("<p class=\"help\" id=\"concern-meaning\">")
            html.text(m.concernMeaning)
            html.markup("</p>\n")
        }
        html.markup("<form id=\"risk-filter\" method=\"get\" class=\"inline\" action=\"")
        html.url(.protectionRisks(code))
        html.markup("\">")
        if let concern = m.concern {
            html.markup("<input type=\"hidden\" name=\"concern\"")
            html.attribute("value", concern.rawValue)
            html.markup(">")
        }
        func filter<T: RawRepresentable & CaseIterable & Equatable>(
            _ name: String, _ key: String, _ chosen: T?, _ label: (T) -> String
        )
        where T.RawValue == String {
            html.markup("\n  <label")
            html.attribute("for", "filter-" + name)
            html.markup(">")
            html.text(t(key))
            html.markup("</label> <select")
            html.attribute("id", "filter-" + name)
            html.attribute("name", name)
            html.markup("><option value=\"\">—</option>")
            html.options(T.allCases.map { Choice(value: $0.rawValue, label: label($0), selected: $0 == chosen) })
            html.markup("</select>")
        }
        filter("category", "field_gpc_risk", m.category) { "\($0.number). " + t($0.labelKey) }
        filter("context", "field_protection_context", m.context) { t($0.labelKey) }
        filter("phase", "field_journey_phase", m.phase) { t($0.labelKey) }
        html.markup("\n  <label class=\"check\"><input type=\"checkbox\" name=\"closed\" value=\"on\"")
        if m.includeClosed { html.markup(" checked") }
        html.markup("> ")
        html.text(t("risks_include_closed"))
        html.markup("</label>\n  <button type=\"submit\">")
        html.text(t("analysis_apply"))
        html.markup("</button></form>\n")
        html.markup("<figure class=\"chart\" id=\"protection-heat-map\">")
        html.svg(m.heatMap)
        html.markup("<figcaption>")
        html.text(
            t("protection_risks.heat_caption").replacingOccurrences(of: "{date}", with: DateText.day(m.asOf)))
        html.markup("</figcaption></figure>\n")
        if let table = m.heatTable { html.chartTable(table, id: "heat-table", t) }
        html.exposureMethod(m.method, t)
        html.markup("<p id=\"risk-count\">")
        html.text(t("risks.count").replacingOccurrences(of: "{count}", with: String(m.rows.count)))
        html.markup("</p>\n")
        guard !m.rows.isEmpty else {
            html.paragraph(t("risks_none"))
            return html
        }
        html.markup("<div class=\"scroll\"><table class=\"list\" id=\"register\">")
        html.tableHead([
            t("field_number"), t("field_title"), t("field_gpc_risk"), t("field_protection_context"),
            t("field_journey_phase"), t("field_groups_exposed"), t("field_exposure"), t("protection_risks.mitigations"),
        ])
        html.markup("<tbody>")
        for row in m.rows {
            let d = row.draft
            html.markup(row.closed ? "<tr class=\"closed\"><td dir=\"ltr\">" : "<tr><td dir=\"ltr\">")
            html.text(row.number)
            html.markup("</td><td>")
            html.link(.protectionRisk(code, .value(row.id)), d.title)
            if row.closed {
                html.markup(" <span class=\"tag\">")
                html.text(t("risks_closed"))
                html.markup("</span>")
            }
            html.markup("</td><td>")
            html.protectionCategory(d, t)
            html.markup("</td><td>")
            html.text(t(d.context.labelKey))
            html.markup("</td><td>")
            html.text(t(d.phase.labelKey))
            html.markup("</td><td>")
            html.text(d.groups.map { t($0.labelKey) }.joined(separator: ", "))
            html.markup("</td><td><span dir=\"ltr\">")
            html.text(row.exposure)
            html.markup("</span> ")
            html.riskLevel(row.level, labels)
            html.markup("</td><td>")
            html.text(row.openMitigations)
            if row.overdueMitigations > 0 {
                html.markup(" <span class=\"tag overdue\">")
                html.text(
                    t("risks.overdue_count").replacingOccurrences(of: "{count}", with: String(row.overdueMitigations)))
                html.markup("</span>")
            }
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table></div>\n")
        return html
    }
}

/// One protection risk: what it is, where, for whom, its exposure worked out, its mitigations with
/// the activities that carry them out, and its history.
public enum ProtectionRiskPage {
    public struct Model: Sendable {
        public struct Mitigation: Sendable {
            public let mitigation: ProtectionMitigation
            public let activities: [(id: UUID, name: String)]
            public let overdue: Bool
            public init(mitigation: ProtectionMitigation, activities: [(id: UUID, name: String)], overdue: Bool) {
                self.mitigation = mitigation; self.activities = activities; self.overdue = overdue
            }
        }
        public struct Change: Sendable {
            public let at: Date
            public let change: String
            public let exposure: Int
            public let level: Int
            public let actor: String?
            public init(at: Date, change: String, exposure: Int, level: Int, actor: String?) {
                self.at = at; self.change = change; self.exposure = exposure; self.level = level; self.actor = actor
            }
        }
        public let code: String
        public let id: ProtectionRiskID
        public let number: Int
        public let draft: ProtectionRiskDraft
        public let method: ExposureMethod
        /// As worked out now, by the method in force.
        public let exposure: Exposure
        public let areas: [String]
        public let mitigations: [Mitigation]
        public let history: [Change]
        public let closedAt: Date?
        public let closingNote: String?
        public let canManage: Bool

        public init(
            code: String, id: ProtectionRiskID, number: Int, draft: ProtectionRiskDraft, method: ExposureMethod,
            exposure: Exposure, areas: [String], mitigations: [Mitigation], history: [Change], closedAt: Date?,
            closingNote: String?, canManage: Bool
        ) {
            self.code = code; self.id = id; self.number = number; self.draft = draft; self.method = method
            self.exposure = exposure; self.areas = areas; self.mitigations = mitigations; self.history = history
            self.closedAt = closedAt; self.closingNote = closingNote; self.canManage = canManage
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), d = m.draft, labels = RiskLabels(m.method, t)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("protection_risks_title"), .protectionRisks(code))])
        html.markup("<h1><span dir=\"ltr\">")
        html.text("\(m.number).")
        html.markup("</span> ")
        html.text(d.title)
        html.markup("</h1>\n")
        if let closedAt = m.closedAt {
            html.markup("<p class=\"notice\" id=\"closed\">")
            html.text(t("risks_closed") + " " + DateText.day(closedAt) + (m.closingNote.map { ": " + $0 } ?? ""))
            html.markup("</p>\n")
        }
        if m.canManage {
            html.markup("<p class=\"actions\">")
            html.link(.editProtectionRisk(code, .value(m.id)), t("form_edit"), "id=\"edit\" class=\"button\"")
            html.markup("</p>\n")
        }
        html.markup("<dl class=\"facts\" id=\"risk-facts\"><dt>")
        html.text(t("field_gpc_risk"))
        html.markup("</dt><dd>")
        html.protectionCategory(d, t)
        for (key, value) in [
            ("field_protection_context", t(d.context.labelKey)), ("field_journey_phase", t(d.phase.labelKey)),
            ("field_area", m.areas.isEmpty ? t("risks_whole_operation") : m.areas.joined(separator: ", ")),
            ("field_groups_exposed", d.groups.map { t($0.labelKey) }.joined(separator: ", ")),
            ("field_vulnerabilities", d.vulnerabilities.map { t($0.labelKey) }.joined(separator: ", ")),
            ("field_capacities", d.capacities.map { t($0.labelKey) }.joined(separator: ", ")),
            ("field_next_review", d.nextReview.map(DateText.day) ?? ""),
        ] where !value.isEmpty {
            html.markup("</dd><dt>")
            html.text(t(key))
            html.markup("</dt><dd>")
            html.text(value)
        }
        html.markup("</dd><dt>")
        html.text(t("field_exposure"))
        html.markup("</dt><dd id=\"exposure\">")
        html.riskLevel(m.exposure.level, labels)
        html.markup(" <small>")
        html.text(labels.position(likelihood: d.likelihood, impact: d.severity))
        html.markup("</small><br>")
        html.exposureWorking(m.exposure, t)
        html.markup("</dd></dl>\n")
        html.exposureMethod(m.method, t)
        if !d.description.isEmpty {
            html.markup("<h2>")
            html.text(t("protection_risks.description"))
            html.markup("</h2>")
            html.paragraph(d.description)
        }
        html.markup("<h2>")
        html.text(t("protection_risks.mitigations"))
        html.markup("</h2>")
        if m.mitigations.isEmpty {
            html.paragraph(t("protection_risks.no_mitigations"))
        } else {
            html.markup("<div class=\"scroll\"><table class=\"list\" id=\"mitigations\">")
            html.tableHead([
                t("field_measure"), t("field_owner"), t("field_due"), t("field_measure_status"),
                t("protection_risks.activities"),
            ])
            html.markup("<tbody>")
            for row in m.mitigations {
                let x = row.mitigation
                html.markup(row.overdue ? "<tr class=\"overdue\"><td>" : "<tr><td>")
                html.text(x.description)
                html.markup("</td><td><bdi>")
                html.text(x.owner)
                html.markup("</bdi></td><td dir=\"ltr\">")
                html.text(x.dueOn.map(DateText.day) ?? "")
                if row.overdue {
                    html.markup(" <span class=\"tag overdue\">")
                    html.text(t("deadline_state_overdue"))
                    html.markup("</span>")
                }
                html.markup("</td><td>")
                html.text(t("measure_status.\(x.status.rawValue)"))
                html.markup("</td><td>")
                for (i, activity) in row.activities.enumerated() {
                    if i > 0 { html.markup("<br>") }
                    if m.canManage {
                        html.link(.editActivity(code, .value(activity.id)), activity.name)
                    } else {
                        html.text(activity.name)
                    }
                }
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div>\n")
        }
        if m.canManage {
            if m.closedAt == nil {
                html.markup("<form method=\"post\" class=\"stack\" id=\"close-risk\" action=\"")
                html.url(.closeProtectionRisk(code, .value(m.id)))
                html.markup("\">")
                html.csrfField(page.csrf)
                html.field(
                    "closing_note", label: t("field_closing_note"), value: "", errors: [:], attributes: "required")
                html.markup("<button type=\"submit\">")
                html.text(t("risks_close"))
                html.markup("</button></form>\n")
            } else {
                html.buttonForm(.reopenProtectionRisk(code, .value(m.id)), csrf: page.csrf, label: t("risks_reopen"))
            }
        }
        html.markup("<h2>")
        html.text(t("risks_history"))
        html.markup("</h2><ol class=\"timeline\" id=\"history\">")
        for change in m.history {
            html.markup("<li><span dir=\"ltr\">")
            html.text(t.minute(change.at))
            html.markup("</span> · <strong>")
            html.text(t("risk_change.\(change.change)", or: change.change))
            html.markup("</strong> · ")
            html.riskLevel(change.level, labels)
            html.markup(" <span dir=\"ltr\">(")
            html.text(change.exposure)
            html.markup(")</span>")
            if let actor = change.actor {
                html.markup(" · <bdi>")
                html.text(actor)
                html.markup("</bdi>")
            }
            html.markup("</li>")
        }
        html.markup("</ol>\n")
        return html
    }
}

/// The form that adds or changes a protection risk.
public enum ProtectionRiskForm {
    public struct Model: Sendable {
        public let code: String
        public let id: ProtectionRiskID?
        public let values: ProtectionRiskInput
        public let errors: [String: String]
        public let version: String
        public let method: ExposureMethod
        public let activities: [(id: UUID, name: String)]
        public init(
            code: String, id: ProtectionRiskID?, values: ProtectionRiskInput, errors: [String: String],
            version: String, method: ExposureMethod, activities: [(id: UUID, name: String)]
        ) {
            self.code = code; self.id = id; self.values = values; self.errors = errors; self.version = version
            self.method = method; self.activities = activities
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, v = m.values, code = Parameter.value(m.code), labels = RiskLabels(m.method, t)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("protection_risks_title"), .protectionRisks(code))])
        html.recordFormStart(
            t, heading: t(m.id == nil ? "protection_risks_new" : "protection_risks_edit"), errors: m.errors,
            action: m.id.map { .editProtectionRisk(code, .value($0)) } ?? .protectionRisks(code), csrf: page.csrf,
            version: m.id == nil ? nil : m.version)
        func select(_ name: String, _ key: String, _ choices: [Choice], empty: String? = nil) {
            html.select(name, label: t(key), choices, blank: empty, errors: m.errors)
        }
        html.field("title", label: t("field_title"), value: v.title, errors: m.errors, attributes: "required")
        select(
            "category", "field_gpc_risk",
            ProtectionRiskCategory.allCases.map {
                Choice(
                    value: $0.rawValue, label: "\($0.number). " + t($0.labelKey), selected: $0.rawValue == v.category)
            }, empty: "—")
        select(
            "subtype", "field_risk_subtype",
            MigrationRiskSubtype.allCases.map {
                Choice(
                    value: $0.rawValue, label: t($0.labelKey) + " (GPC \($0.category.number))",
                    selected: $0.rawValue == v.subtype)
            }, empty: "—")
        select(
            "context", "field_protection_context",
            ProtectionContext.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.context)
            }, empty: "—")
        select(
            "phase", "field_journey_phase",
            JourneyPhase.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.phase)
            },
            empty: "—")
        html.field(
            "area_pcodes", label: t("field_area_pcodes"), value: v.areaPcodes, errors: m.errors,
            attributes: "dir=\"ltr\"")
        html.markup("\n  <label for=\"description\">")
        html.text(t("protection_risks.description"))
        html.markup("</label><textarea id=\"description\" name=\"description\" rows=\"4\">")
        html.text(v.description)
        html.markup("</textarea>")
        html.fieldError(m.errors, "description")
        html.checkboxGroup(
            legend: t("field_groups_exposed"), name: "groups",
            PopulationType.allCases.filter { $0 != .totalPopulation }.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: v.groups.contains($0.rawValue))
            })
        html.fieldError(m.errors, "groups")
        html.checkboxGroup(
            legend: t("field_vulnerabilities"), name: "vulnerabilities",
            VulnerabilityGroup.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: v.vulnerabilities.contains($0.rawValue))
            })
        html.checkboxGroup(
            legend: t("field_capacities"), name: "capacities",
            ProtectionCapacity.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: v.capacities.contains($0.rawValue))
            })
        select(
            "likelihood", "field_likelihood",
            labels.likelihoods.enumerated().map {
                Choice(
                    value: String($0.offset + 1), label: "\($0.offset + 1) · \($0.element)",
                    selected: String($0.offset + 1) == v.likelihood)
            }, empty: "—")
        select(
            "severity", "field_severity",
            labels.impacts.enumerated().map {
                Choice(
                    value: String($0.offset + 1), label: "\($0.offset + 1) · \($0.element)",
                    selected: String($0.offset + 1) == v.severity)
            }, empty: "—")
        html.exposureMethod(m.method, t)
        html.field(
            "next_review", label: t("field_next_review"), value: v.nextReview, errors: m.errors,
            attributes: "type=\"date\" dir=\"ltr\"")
        // Mitigations: those stored, and two spare rows; blank rows are left out when saved. Laid out
        // as the security register's measures: each a fieldset whose fields wrap on a phone.
        html.markup("\n  <h2>")
        html.text(t("protection_risks.mitigations"))
        html.markup("</h2>")
        let rows = v.mitigations + [ProtectionRiskInput.Mitigation(), ProtectionRiskInput.Mitigation()]
        for (i, row) in rows.enumerated() {
            let prefix = "mitigations[\(i)]"
            html.markup("\n  <fieldset class=\"measure\"")
            html.attribute("id", "mitigation-\(i)")
            html.markup("><legend>")
            html.text(t("protection_risks.mitigation_n").replacingOccurrences(of: "{count}", with: String(i + 1)))
            html.markup("</legend>")
            for (name, key, value, date) in [
                ("description", "field_measure", row.description, false), ("owner", "field_owner", row.owner, false),
                ("due", "field_due", row.due, true),
            ] {
                html.markup("<label>")
                html.text(t(key))
                html.markup(date ? " <input type=\"date\" dir=\"ltr\"" : " <input type=\"text\"")
                html.attribute("name", "\(prefix)[\(name)]")
                html.attribute("value", value)
                html.markup("></label>")
            }
            html.markup("<label>")
            html.text(t("field_measure_status"))
            html.markup(" <select")
            html.attribute("name", "\(prefix)[status]")
            html.markup(">")
            html.options(
                MeasureStatus.allCases.map {
                    Choice(
                        value: $0.rawValue, label: t("measure_status.\($0.rawValue)"),
                        selected: $0.rawValue == row.status)
                })
            html.markup("</select></label>")
            if !m.activities.isEmpty {
                html.markup("<label class=\"wide\">")
                html.text(t("protection_risks.activities"))
                html.markup(" <select multiple size=\"4\"")
                html.attribute("name", prefix + "[activities][]")
                html.markup(">")
                html.options(
                    m.activities.map {
                        Choice(
                            value: $0.id.uuidString, label: $0.name, selected: row.activities.contains($0.id.uuidString)
                        )
                    })
                html.markup("</select></label>")
            }
            html.fieldError(m.errors, prefix)
            html.markup("</fieldset>")
        }
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button></form>\n")
        return html
    }
}

/// What changed in the protection-risk register since a day: risks new, raised, lowered, closed,
/// and mitigations overdue now.
public enum ProtectionRiskChangesPage {
    public struct Model: Sendable {
        public let code: String
        public let since: Date
        public let until: Date
        public let method: ExposureMethod
        public let changes: RiskChanges<ProtectionRiskID>
        public init(
            code: String, since: Date, until: Date, method: ExposureMethod, changes: RiskChanges<ProtectionRiskID>
        ) {
            self.code = code; self.since = since; self.until = until; self.method = method; self.changes = changes
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("protection_risks_title"), .protectionRisks(code))])
        html.markup("<h1>")
        html.text(t("risks_changes"))
        html.markup("</h1>\n<form method=\"get\" class=\"inline\" id=\"since-form\" action=\"")
        html.url(.protectionRiskChanges(code))
        html.markup("\"><label for=\"since\">")
        html.text(t("field_since"))
        html.markup("</label> <input type=\"date\" id=\"since\" name=\"since\" dir=\"ltr\"")
        html.attribute("value", DateText.day(m.since))
        html.markup("> <button type=\"submit\">")
        html.text(t("analysis_apply"))
        html.markup("</button></form>\n<p class=\"help\">")
        html.text(
            t("protection_risks.changes_between").replacingOccurrences(of: "{since}", with: DateText.day(m.since))
                .replacingOccurrences(of: "{until}", with: t.minute(m.until)))
        html.markup("</p>\n")
        if m.changes.isEmpty {
            html.paragraph(t("risks_no_changes"))
        } else {
            html.riskChangeSections(m.changes, RiskLabels(m.method, t), t) { .protectionRisk(code, .value($0)) }
        }
        return html
    }
}
