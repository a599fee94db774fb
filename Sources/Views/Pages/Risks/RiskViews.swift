import Domain
import Foundation
import Geo

/// The risk matrix's names in the reader's language: the catalogue's where the matrix uses the
/// default keys, the key itself for a scale an administrator renamed.
public struct RiskLabels: Sendable {
    public let likelihoods: [String]
    public let impacts: [String]
    public let levels: [String]

    public init(_ matrix: RiskMatrix, _ t: Strings) {
        likelihoods = matrix.likelihoods.map { t("risk_likelihood.\($0)", or: $0) }
        impacts = matrix.impacts.map { t("risk_impact.\($0)", or: $0) }
        levels = matrix.levels.map { t("risk_level.\($0)", or: $0) }
    }

    /// Names already in the reader's language.
    public init(likelihoods: [String], impacts: [String], levels: [String]) {
        self.likelihoods = likelihoods; self.impacts = impacts; self.levels = levels
    }

    /// A level's name, "?" for an index the matrix does not have.
    public func level(_ index: Int) -> String { levels.indices.contains(index) ? levels[index] : "?" }

    /// A CSS class for the level: its position on a five-step ramp, whatever the matrix calls it.
    public func levelClass(_ index: Int) -> String { "level-\(Self.step(index, levelCount: levels.count))" }

    /// Where level `index` of `levelCount` falls on a five-step ramp (0–4): the CSS class's and the
    /// heat map's colour.
    public static func step(_ index: Int, levelCount: Int) -> Int {
        let steps = max(1, levelCount - 1)
        // Clamped first, so no stored index can overflow the arithmetic.
        let step = min(max(index, 0), steps)
        return (step * 4 + steps / 2) / steps
    }

    /// "Likely × Severe": where a risk stands on the matrix; a step outside the scales as its number.
    public func position(likelihood: Int, impact: Int) -> String {
        // Compared before subtracting, so no stored step can overflow.
        let l = likelihood >= 1 && likelihood <= likelihoods.count ? likelihoods[likelihood - 1] : String(likelihood)
        let i = impact >= 1 && impact <= impacts.count ? impacts[impact - 1] : String(impact)
        return "\(l) × \(i)"
    }
}

extension Strings {
    /// A threat's name: the catalogue's for the default threats, else the name an administrator
    /// gave it in the settings, else its key.
    public func threatName(_ key: String, _ settings: RiskSettings) -> String {
        self("threat.\(key)", or: settings.threat(key)?.label ?? key)
    }

    /// "Security risk report 4".
    func riskReport(_ number: Int) -> String {
        self("risks.report_n").replacingOccurrences(of: "{count}", with: String(number))
    }
}

extension HTML {
    /// A risk level as a tag coloured by its step: `<span class="level level-3">Very high</span>`.
    public mutating func riskLevel(_ index: Int, _ labels: RiskLabels) {
        markup("<span class=\"level ")
        text(labels.levelClass(index))
        markup("\">")
        text(labels.level(index))
        markup("</span>")
    }

    /// "High → Very high" (or "←" right to left), the first level only when there was one.
    mutating func riskLevelChange(from: Int?, to: Int, _ labels: RiskLabels, _ t: Strings) {
        if let from {
            riskLevel(from, labels)
            markup(t.rightToLeft ? " ← " : " → ")
        }
        riskLevel(to, labels)
    }

    /// A level with where it stands on the matrix: "Very high <small>Likely × Severe</small>".
    mutating func riskPosition(_ position: (likelihood: Int, impact: Int, level: Int), _ labels: RiskLabels) {
        riskLevel(position.level, labels)
        markup(" <small>")
        text(labels.position(likelihood: position.likelihood, impact: position.impact))
        markup("</small>")
    }

    /// The five lists of a "what changed" view or report, each with its heading; empty lists are left out.
    mutating func riskChangeSections(_ changes: RiskChanges<RiskID>, code: String, _ labels: RiskLabels, _ t: Strings) {
        let operation = Parameter.value(code)
        riskChangeSections(changes, labels, t) { .risk(operation, .value($0)) }
    }

    /// The same for any register: `link` is a risk's page.
    mutating func riskChangeSections<ID>(
        _ changes: RiskChanges<ID>, _ labels: RiskLabels, _ t: Strings, link: (ID) -> SiteURL
    ) {
        func section(_ id: StaticString, _ heading: String, _ items: [(RiskState<ID>, Int?)]) {
            guard !items.isEmpty else { return }
            markup("<section class=\"change\" id=\"")
            markup(id)
            markup("\"><h2>")
            text(heading)
            markup("</h2><ul>")
            for (risk, from) in items {
                markup("<li><a href=\"")
                url(link(risk.id))
                markup("\"><bdi>")
                text(risk.title)
                markup("</bdi></a> — ")
                riskLevelChange(from: from, to: risk.level, labels, t)
                markup("</li>")
            }
            markup("</ul></section>")
        }
        section("raised", t("risks.raised"), changes.raised.map { ($0.risk, $0.from) })
        section("new", t("risks.new_risks"), changes.new.map { ($0, nil) })
        section("lowered", t("risks.lowered"), changes.lowered.map { ($0.risk, $0.from) })
        section("closed", t("risks.closed_risks"), changes.closed.map { ($0, nil) })
        guard !changes.overdue.isEmpty else { return }
        markup("<section class=\"change\" id=\"overdue\"><h2>")
        text(t("risks.measures_overdue"))
        markup("</h2><table class=\"list\">")
        tableHead([t("field_measure"), t("field_owner"), t("field_due"), t("risks.risk")])
        markup("<tbody>")
        for item in changes.overdue {
            markup("<tr><td>")
            text(item.measure)
            markup("</td><td>")
            text(item.owner)
            markup("</td><td dir=\"ltr\">")
            text(DateText.day(item.dueOn))
            markup("</td><td><bdi>")
            text(item.risk)
            markup("</bdi></td></tr>")
        }
        markup("</tbody></table></section>")
    }
}

/// The security risk register: the risks the reader may see, highest level first, a page at a
/// time, filtered by area, with the heat map of where the open ones stand now.
public enum RiskRegister {
    public struct Model: Sendable {
        public struct Row: Sendable {
            public let id: RiskID
            public let number: Int
            public let title: String
            /// The threat's key in the operation's catalogue.
            public let threat: String
            public let areaPcodes: [String]
            public let inherentLevel: Int
            /// Nil until the residual risk is assessed.
            public let residualLevel: Int?
            public let accepted: Bool
            public let openMeasures: Int
            public let overdueMeasures: Int
            public let nextReview: Date
            /// The review day has passed and the risk is still open (judged by the application's clock).
            public let reviewOverdue: Bool
            public let closed: Bool

            public init(
                id: RiskID, number: Int, title: String, threat: String, areaPcodes: [String], inherentLevel: Int,
                residualLevel: Int?, accepted: Bool, openMeasures: Int, overdueMeasures: Int, nextReview: Date,
                reviewOverdue: Bool, closed: Bool
            ) {
                self.id = id
                self.number = number
                self.title = title
                self.threat = threat
                self.areaPcodes = areaPcodes
                self.inherentLevel = inherentLevel
                self.residualLevel = residualLevel
                self.accepted = accepted
                self.openMeasures = openMeasures
                self.overdueMeasures = overdueMeasures
                self.nextReview = nextReview
                self.reviewOverdue = reviewOverdue
                self.closed = closed
            }
        }

        public let code: String
        /// The operation's matrix and threat catalogue, which name the levels and threats.
        public let settings: RiskSettings
        public let rows: [Row]
        /// How many risks the filter finds, on every page.
        public let total: Int
        public let heatMap: SVG
        /// The area filter as typed (upper-cased), empty for every area.
        public let area: String
        public let includeClosed: Bool
        public let page: Int
        public let hasMore: Bool
        public let canManage: Bool
        public let canEditSettings: Bool

        public init(
            code: String, settings: RiskSettings, rows: [Row], total: Int, heatMap: SVG, area: String,
            includeClosed: Bool, page: Int, hasMore: Bool, canManage: Bool, canEditSettings: Bool
        ) {
            self.code = code
            self.settings = settings
            self.rows = rows
            self.total = total
            self.heatMap = heatMap
            self.area = area
            self.includeClosed = includeClosed
            self.page = page
            self.hasMore = hasMore
            self.canManage = canManage
            self.canEditSettings = canEditSettings
        }
    }

    public static func title(_ t: Strings) -> String { t("risks.title") }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), labels = RiskLabels(m.settings.matrix, t)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("risks_title"))
        html.markup("</h1>\n<p class=\"actions\">")
        if m.canManage {
            html.link(.newRisk(code), t("risks_new"), "id=\"new-risk\" class=\"button primary\"")
            html.markup(" ")
        }
        html.link(.riskChanges(code), t("risks_changes"), "id=\"risk-changes\" class=\"button\"")
        if m.canEditSettings {
            html.markup(" ")
            html.link(.securitySettings(code), t("settings_title"), "id=\"security-settings\" class=\"button\"")
        }
        html.markup("</p>\n<div class=\"grid register\">\n<section>\n<form id=\"risk-filter\" method=\"get\" action=\"")
        html.url(.risks(code))
        html.markup("\" class=\"inline\">\n  <label for=\"area\">")
        html.text(t("field_area_pcode"))
        html.markup("</label>\n  <input id=\"area\" name=\"area\"")
        html.attribute("value", m.area)
        html.markup(" dir=\"ltr\" size=\"10\">\n  ")
        html.markup("<label class=\"check\"><input type=\"checkbox\" name=\"closed\" value=\"on\"")
        if m.includeClosed { html.markup(" checked") }
        html.markup("> ")
        html.text(t("risks_include_closed"))
        html.markup("</label>\n  <button type=\"submit\">")
        html.text(t("analysis_apply"))
        html.markup("</button>\n</form>\n<p id=\"risk-count\">")
        html.text(t("risks.count").replacingOccurrences(of: "{count}", with: String(m.total)))
        html.markup("</p>\n")
        if m.rows.isEmpty {
            html.paragraph(t("risks_none"))
        } else {
            html.markup("<table class=\"list\" id=\"register\">\n")
            html.tableHead([
                t("field_number"), t("field_title"), t("field_threat"), t("field_area"),
                t("risks_inherent"), t("risks_residual"), t("risks_open_measures"), t("field_next_review"),
            ])
            html.markup("\n<tbody>")
            for row in m.rows {
                html.markup(row.closed ? "<tr class=\"closed\"><td dir=\"ltr\">" : "<tr><td dir=\"ltr\">")
                html.text(row.number)
                html.markup("</td><td>")
                html.link(.risk(code, .value(row.id)), row.title)
                if row.closed {
                    html.markup(" <span class=\"tag\">")
                    html.text(t("risks.closed"))
                    html.markup("</span>")
                }
                html.markup("</td><td>")
                html.text(t.threatName(row.threat, m.settings))
                html.markup("</td><td dir=\"ltr\" class=\"code\">")
                html.text(row.areaPcodes.isEmpty ? "—" : row.areaPcodes.joined(separator: ", "))
                html.markup("</td><td>")
                html.riskLevel(row.inherentLevel, labels)
                html.markup("</td><td>")
                if let residual = row.residualLevel {
                    html.riskLevel(residual, labels)
                } else {
                    html.text(t("risks.not_assessed"))
                }
                if row.accepted {
                    html.markup(" <span class=\"tag\">")
                    html.text(t("risks.accepted"))
                    html.markup("</span>")
                }
                html.markup("</td><td>")
                html.text(row.openMeasures)
                if row.overdueMeasures > 0 {
                    html.markup(" <strong class=\"overdue\">(")
                    let count = String(row.overdueMeasures)
                    html.text(t("risks.overdue_count").replacingOccurrences(of: "{count}", with: count))
                    html.markup(")</strong>")
                }
                html.markup(
                    row.reviewOverdue
                        ? "</td><td dir=\"ltr\" class=\"nowrap overdue\">"
                        : "</td><td dir=\"ltr\" class=\"nowrap\">")
                html.text(DateText.day(row.nextReview))
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table>")
        }
        html.markup("\n")
        var query = [("area", m.area)]
        if m.includeClosed { query.append(("closed", "on")) }
        html.pager(t, page: m.page, hasMore: m.hasMore, base: .risks(code), query: query)
        html.markup("\n</section>\n<section class=\"heat-panel\">\n<h2>")
        html.text(t("risks_heat_map"))
        html.markup("</h2>\n<figure class=\"heat\">")
        html.svg(m.heatMap)
        html.markup("<figcaption>")
        html.text(t("risks_heat_map_help"))
        html.markup("</figcaption></figure>\n")
        if !m.rows.isEmpty { html.tableLink("register", t) }
        html.markup("</section>\n</div>\n")
        return html
    }
}

/// One risk: its assessment, the incidents that evidence it, its measures and its history, with
/// the forms that link an incident and close or reopen it for those who manage risks.
public enum RiskPage {
    public struct Model: Sendable {
        public struct Measure: Sendable {
            public let description: String
            public let owner: String
            public let tags: [String]
            public let dueOn: Date?
            public let status: MeasureStatus
            public let strategy: MitigationStrategy
            /// Planned or in progress and past its due day (judged by the application's clock).
            public let overdue: Bool

            public init(
                description: String, owner: String, tags: [String], dueOn: Date?, status: MeasureStatus,
                strategy: MitigationStrategy, overdue: Bool
            ) {
                self.description = description
                self.owner = owner
                self.tags = tags
                self.dueOn = dueOn
                self.status = status
                self.strategy = strategy
                self.overdue = overdue
            }
        }

        public struct Incident: Sendable {
            public let id: IncidentID
            public let number: Int
            public let title: String

            public init(id: IncidentID, number: Int, title: String) {
                self.id = id
                self.number = number
                self.title = title
            }
        }

        /// One version of the risk, as its history lists it.
        public struct Change: Sendable {
            public let at: Date
            /// What happened: `created`, `updated`, `closed`, `reopened` or `releveled`.
            public let change: String
            public let level: Int
            /// Who made the change, when known.
            public let actor: String?

            public init(at: Date, change: String, level: Int, actor: String?) {
                self.at = at
                self.change = change
                self.level = level
                self.actor = actor
            }
        }

        public let code: String
        public let id: RiskID
        public let number: Int
        public let title: String
        /// The operation's matrix and threat catalogue, which name the levels and threats.
        public let settings: RiskSettings
        /// The threat's key in the operation's catalogue.
        public let threat: String
        public let targets: Set<RiskTarget>
        public let vulnerabilities: String
        /// The areas' names with their P-codes ("Khartoum (SD01)"); empty for the whole operation.
        public let areas: [String]
        public let inherent: (likelihood: Int, impact: Int, level: Int)
        /// Nil until the residual risk is assessed.
        public let residual: (likelihood: Int, impact: Int, level: Int)?
        public let acceptance: RiskAcceptance?
        public let criticality: ProgrammeCriticality?
        public let nextReview: Date
        /// The review day has passed and the risk is still open (judged by the application's clock).
        public let reviewOverdue: Bool
        public let audience: AudienceLevel
        public let closed: Bool
        public let closingNote: String?
        public let measures: [Measure]
        public let incidents: [Incident]
        /// Newest first.
        public let history: [Change]
        public let canManage: Bool
        public let canAudit: Bool

        public init(
            code: String, id: RiskID, number: Int, title: String, settings: RiskSettings, threat: String,
            targets: Set<RiskTarget>, vulnerabilities: String, areas: [String],
            inherent: (likelihood: Int, impact: Int, level: Int),
            residual: (likelihood: Int, impact: Int, level: Int)?, acceptance: RiskAcceptance?,
            criticality: ProgrammeCriticality?, nextReview: Date, reviewOverdue: Bool, audience: AudienceLevel,
            closed: Bool, closingNote: String?, measures: [Measure], incidents: [Incident], history: [Change],
            canManage: Bool, canAudit: Bool
        ) {
            self.code = code
            self.id = id
            self.number = number
            self.title = title
            self.settings = settings
            self.threat = threat
            self.targets = targets
            self.vulnerabilities = vulnerabilities
            self.areas = areas
            self.inherent = inherent
            self.residual = residual
            self.acceptance = acceptance
            self.criticality = criticality
            self.nextReview = nextReview
            self.reviewOverdue = reviewOverdue
            self.audience = audience
            self.closed = closed
            self.closingNote = closingNote
            self.measures = measures
            self.incidents = incidents
            self.history = history
            self.canManage = canManage
            self.canAudit = canAudit
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), risk = Parameter.value(m.id)
        let labels = RiskLabels(m.settings.matrix, t)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("risks_title"), .risks(code))])
        html.markup("<h1><span dir=\"ltr\">")
        html.text(m.number)
        html.markup("</span> · <bdi>")
        html.text(m.title)
        html.markup("</bdi></h1>\n")
        if m.closed {
            html.markup("<p class=\"tags\"><span class=\"tag\" id=\"closed-tag\">")
            html.text(t("risks_closed"))
            html.markup("</span> ")
            html.text(m.closingNote ?? "")
            html.markup("</p>")
        }
        html.markup("\n<div class=\"grid halves\">\n<section>\n<h2>")
        html.text(t("risks_assessment"))
        html.markup("</h2>\n<dl class=\"facts\">\n  <dt>")
        html.text(t("field_threat"))
        html.markup("</dt><dd>")
        html.text(t.threatName(m.threat, m.settings))
        html.markup(" <small>(")
        html.text(m.settings.threat(m.threat).map { t($0.threatClass.labelKey) } ?? "—")
        html.markup(")</small></dd>\n")
        let targets = RiskTarget.allCases.filter(m.targets.contains).map { t("risk_target.\($0.rawValue)") }
        html.fact(t("field_at_risk"), targets.joined(separator: ", "))
        if !m.vulnerabilities.isEmpty {
            html.fact(t("field_vulnerabilities"), m.vulnerabilities, "class=\"notes\"")
        }
        html.fact(
            t("field_area"), m.areas.isEmpty ? t("risks.whole_operation") : m.areas.joined(separator: ", "),
            "dir=\"auto\"")
        html.markup("  <dt>")
        html.text(t("risks_inherent"))
        html.markup("</dt><dd id=\"inherent\">")
        html.riskPosition(m.inherent, labels)
        html.markup("</dd>\n  <dt>")
        html.text(t("risks_residual"))
        html.markup("</dt><dd id=\"residual\">")
        if let residual = m.residual {
            html.riskPosition(residual, labels)
        } else {
            html.text(t("risks.not_assessed"))
        }
        html.markup("</dd>\n")
        if let acceptance = m.acceptance {
            html.fact(
                t("risks_acceptance"),
                "\(acceptance.decidedBy), \(DateText.day(acceptance.decidedOn)): \(acceptance.rationale)")
        }
        if let criticality = m.criticality {
            html.fact(t("field_programme_criticality"), t("criticality.\(criticality.rawValue)"))
        }
        html.markup("  <dt>")
        html.text(t("field_next_review"))
        html.markup(m.reviewOverdue ? "</dt><dd dir=\"ltr\" class=\"overdue\">" : "</dt><dd dir=\"ltr\">")
        html.text(DateText.day(m.nextReview))
        html.markup("</dd>\n")
        html.fact(t("field_audience"), t(m.audience.labelKey))
        html.markup("</dl>\n</section>\n<section id=\"incidents\">\n<h2>")
        html.text(t("risks_incidents"))
        html.markup("</h2>\n")
        if m.incidents.isEmpty {
            html.paragraph(t("risks_no_incidents"))
        } else {
            html.markup("<ul class=\"plain\">")
            for incident in m.incidents {
                html.markup("<li><a href=\"")
                html.url(.incident(code, .value(incident.id)))
                html.markup("\"><span dir=\"ltr\">")
                html.text(incident.number)
                html.markup("</span> · <bdi>")
                html.text(incident.title)
                html.markup("</bdi></a>")
                if m.canManage {
                    html.markup(" ")
                    html.buttonForm(
                        .unlinkRiskIncident(code, risk, incident: .value(incident.id)), csrf: page.csrf,
                        label: t("risks.unlink"))
                }
                html.markup("</li>")
            }
            html.markup("</ul>")
        }
        html.markup("\n")
        if m.canManage {
            html.markup("<form id=\"link-incident\" method=\"post\" action=\"")
            html.url(.riskIncidents(code, risk))
            html.markup("\" class=\"inline\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n  <label for=\"incident_number\">")
            html.text(t("field_incident_number"))
            html.markup("</label>\n  <input id=\"incident_number\" name=\"incident_number\" inputmode=\"numeric\"")
            html.markup(" dir=\"ltr\"")
            html.markup(" size=\"6\" required>\n  <button type=\"submit\">")
            html.text(t("risks_link"))
            html.markup("</button>\n</form>\n")
        }
        html.markup("</section>\n</div>\n<section id=\"measures\">\n<h2>")
        html.text(t("risks_measures"))
        html.markup("</h2>\n")
        if m.measures.isEmpty {
            html.paragraph(t("risks_no_measures"))
        } else {
            html.markup("<table class=\"list\">\n")
            html.tableHead([
                t("field_measure"), t("field_owner"), t("field_due"), t("field_measure_status"),
                t("field_strategy"),
            ])
            html.markup("\n<tbody>")
            for measure in m.measures {
                html.markup(measure.overdue ? "<tr class=\"late\"><td>" : "<tr><td>")
                html.text(measure.description)
                if !measure.tags.isEmpty {
                    html.markup(" <small>")
                    html.text(measure.tags.map { "#\($0)" }.joined(separator: " "))
                    html.markup("</small>")
                }
                html.markup("</td><td>")
                html.text(measure.owner)
                html.markup(
                    measure.overdue
                        ? "</td><td dir=\"ltr\" class=\"nowrap overdue\">"
                        : "</td><td dir=\"ltr\" class=\"nowrap\">")
                html.text(measure.dueOn.map(DateText.day) ?? "—")
                html.markup("</td><td>")
                html.text(t("measure_status.\(measure.status.rawValue)"))
                html.markup("</td><td>")
                html.text(t("strategy.\(measure.strategy.rawValue)"))
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table>")
        }
        html.markup("\n</section>\n<section id=\"history\">\n<h2>")
        html.text(t("risks_history"))
        html.markup("</h2>\n<ol class=\"timeline\">")
        for (i, change) in m.history.enumerated() {
            html.markup("<li><span dir=\"ltr\">")
            html.text(t.minute(change.at))
            html.markup("</span> · <strong>")
            html.text(t("risk_change.\(change.change)"))
            html.markup("</strong> · ")
            // The version before this one is the next in the list, newest first.
            let previous = m.history.indices.contains(i + 1) ? m.history[i + 1].level : nil
            html.riskLevelChange(from: previous == change.level ? nil : previous, to: change.level, labels, t)
            if let actor = change.actor {
                html.markup(" · ")
                html.text(actor)
            }
            html.markup("</li>")
        }
        html.markup("</ol>\n</section>\n<nav class=\"actions\">\n")
        if m.canManage {
            html.link(.editRisk(code, risk), t("form_edit"), "id=\"edit-risk\" class=\"button\"")
        }
        html.markup("\n")
        if m.canAudit {
            html.link(.riskAudit(code, risk), t("audit_record"), "class=\"button\"")
        }
        html.markup("\n</nav>\n")
        if m.canManage {
            if m.closed {
                html.markup("<form id=\"reopen-risk\" method=\"post\" action=\"")
                html.url(.reopenRisk(code, risk))
                html.markup("\" class=\"inline\">\n  ")
                html.csrfField(page.csrf)
                html.markup("<button type=\"submit\">")
                html.text(t("risks_reopen"))
                html.markup("</button>\n</form>\n")
            } else {
                html.markup("<form id=\"close-risk\" method=\"post\" action=\"")
                html.url(.closeRisk(code, risk))
                html.markup("\" class=\"inline\">\n  ")
                html.csrfField(page.csrf)
                html.markup("\n  <label for=\"closing_note\">")
                html.text(t("field_closing_note"))
                html.markup("</label>\n  <input id=\"closing_note\" name=\"closing_note\" required>\n  ")
                html.markup("<button type=\"submit\">")
                html.text(t("risks_close"))
                html.markup("</button>\n</form>\n")
            }
        }
        return html
    }
}
