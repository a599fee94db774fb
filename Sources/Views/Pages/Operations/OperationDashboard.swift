import Domain
import Foundation

/// An operation's start page: the way to every part, then what needs the reader's attention today,
/// one tile per concern, chosen by role (`DashboardTile.tiles(for:)`). What the operation is and
/// who works in it is on its own page (`OperationDetails`).
public enum OperationDashboard {
    public struct Model: Sendable {
        public let code: String
        public let name: String
        public let role: Role?
        public var links: Links
        public let tiles: [Tile]
        /// "I need help" answers to alerts, not yet taken in hand (those who keep the register).
        public var alarms: [HelpAlarm] = []
        /// What the delivery monitor found wrong (the Security Coordinator, the HeOps, administrators).
        public var channelProblems: [String] = []
        /// Open critical incidents the reader reaches, with their call-back clocks.
        public var criticalIncidents: [CriticalIncidentLine] = []
        public var now = Date()

        public init(code: String, name: String, role: Role?, links: Links, tiles: [Tile]) {
            self.code = code
            self.name = name
            self.role = role
            self.links = links
            self.tiles = tiles
        }
    }

    /// Which parts the reader may open.
    public struct Links: Sendable {
        public var member = false
        public var plans = false
        public var scenarios = false
        public var createSites = false
        /// Keeps the personnel register (the register's page), or reaches only one's own record ("Where I am").
        public var people = false
        public var whereIAm = false
        /// Reads the operation's alerts (those who keep the register), or the ones they received.
        public var alerts = false
        /// Opens the critical incidents (the security roles; a team member reaches theirs).
        public var criticalIncidents = false
        /// Reads the protection-risk register (the Movement, not partners).
        public var protectionRisks = false
        /// Reads the stakeholder registry and the coordination log (the Movement, not partners).
        public var network = false
        /// Triages the messages from SMS and WhatsApp gateways: how many wait (nil: no inbox for the reader).
        public var inboxWaiting: Int?
        public init() {}
    }

    public struct PhaseArea: Sendable {
        public let pcode: String
        public let area: String
        public let phase: String
        public let since: Date?
        public init(pcode: String, area: String, phase: String, since: Date?) {
            self.pcode = pcode
            self.area = area
            self.phase = phase
            self.since = since
        }
    }

    /// Something waiting for the reader's approval, with where to give it.
    public struct Approval: Sendable {
        public let label: String
        public let url: SiteURL
        public let since: Date
        public init(label: String, url: SiteURL, since: Date) {
            self.label = label
            self.url = url
            self.since = since
        }
    }

    public struct Serious: Sendable {
        public let id: IncidentID
        public let number: Int
        public let title: String
        public let category: IncidentCategory
        public let area: String?
        public let occurredAt: Date
        public init(
            id: IncidentID, number: Int, title: String, category: IncidentCategory, area: String?, occurredAt: Date
        ) {
            self.id = id
            self.number = number
            self.title = title
            self.category = category
            self.area = area
            self.occurredAt = occurredAt
        }
    }

    public struct Warning: Sendable {
        public let pcode: String
        public let area: String
        public let recent: Int
        public let expected: Double
        /// The incident map of the same window, filtered to and framed on the area.
        public let mapQuery: [(String, String)]
        public init(pcode: String, area: String, recent: Int, expected: Double, mapQuery: [(String, String)]) {
            self.pcode = pcode
            self.area = area
            self.recent = recent
            self.expected = expected
            self.mapQuery = mapQuery
        }
    }

    public struct RiskDue: Sendable {
        public let id: RiskID
        public let number: Int
        public let title: String
        public let level: Int
        public let nextReview: Date
        public let overdue: Bool
        public init(id: RiskID, number: Int, title: String, level: Int, nextReview: Date, overdue: Bool) {
            self.id = id
            self.number = number
            self.title = title
            self.level = level
            self.nextReview = nextReview
            self.overdue = overdue
        }
    }

    public struct Exemption: Sendable {
        public let requirement: String
        public let expiresOn: Date
        public init(requirement: String, expiresOn: Date) {
            self.requirement = requirement
            self.expiresOn = expiresOn
        }
    }

    /// People counted in the last days against the same number of days before.
    public struct FlowTrend: Sendable {
        public struct Line: Sendable {
            public let direction: FlowDirection
            public let now: Int
            public let before: Int
            public init(direction: FlowDirection, now: Int, before: Int) {
                self.direction = direction
                self.now = now
                self.before = before
            }
        }
        public let from: String
        public let to: String
        public let lines: [Line]
        public let analysisQuery: [(String, String)]
        public init(from: String, to: String, lines: [Line], analysisQuery: [(String, String)]) {
            self.from = from
            self.to = to
            self.lines = lines
            self.analysisQuery = analysisQuery
        }
    }

    public struct Dataset: Sendable {
        public let name: String
        public let figures: Int
        public let updatedAt: Date
        public init(name: String, figures: Int, updatedAt: Date) {
            self.name = name
            self.figures = figures
            self.updatedAt = updatedAt
        }
    }

    /// A scenario's projection for the last month that is over, against the arrivals counted in it.
    public struct ScenarioCheck: Sendable {
        public let id: ScenarioID
        public let name: String
        public let month: String
        public let projected: Int64
        public let low: Int64
        public let high: Int64
        public let actual: Int
        public init(id: ScenarioID, name: String, month: String, projected: Int64, low: Int64, high: Int64, actual: Int)
        {
            self.id = id
            self.name = name
            self.month = month
            self.projected = projected
            self.low = low
            self.high = high
            self.actual = actual
        }
    }

    /// The duty-of-care tile: the headcount for those who keep the register, one's own place otherwise.
    public enum People: Sendable {
        public struct Call: Sendable {
            public let id: RollCallID
            public let label: String
            public let safe: Int
            public let needsHelp: Int
            public let notReached: Int
            public init(id: RollCallID, label: String, safe: Int, needsHelp: Int, notReached: Int) {
                self.id = id
                self.label = label
                self.safe = safe
                self.needsHelp = needsHelp
                self.notReached = notReached
            }
        }
        case headcount(present: Int, stale: Int, unknown: Int, briefingsOverdue: Int, calls: [Call])
        /// nil line: the reader is not in the register.
        case own(PersonLine?)
    }

    public enum Tile: Sendable {
        /// Overdue movements (with passengers and last known point), and how many are on the road.
        case movements(overdue: [MovementLine], onTheRoad: Int, waiting: Int)
        /// `pending` is nil for readers who may not see declarations.
        case phases(inForce: [PhaseArea], pending: Int?, settings: PhaseSettings)
        case approvals([Approval])
        case people(People)
        /// `atLeast`: `more` is where the count stopped, not all of them.
        case reportsDue([DueItem], more: Int, atLeast: Bool = false)
        case seriousIncidents([Serious], more: Bool)
        case earlyWarnings([Warning], from: String, to: String)
        case risksForReview([RiskDue], total: Int, labels: RiskLabels)
        case plansDue([PlanDeadline])
        case exemptionsExpiring([Exemption])
        /// nil: no monitoring point the reader may see.
        case flowTrend(FlowTrend?)
        case newFigures([Dataset])
        case scenarios([ScenarioCheck])
        /// Overdue action points (the first few) and how many there are.
        case actionPoints([ActionLine], total: Int)

        var tile: DashboardTile {
            switch self {
            case .movements: .movements
            case .phases: .phases
            case .approvals: .approvals
            case .people: .people
            case .reportsDue: .reportsDue
            case .seriousIncidents: .seriousIncidents
            case .earlyWarnings: .earlyWarnings
            case .risksForReview: .risksForReview
            case .plansDue: .plansDue
            case .exemptionsExpiring: .exemptionsExpiring
            case .flowTrend: .flowTrend
            case .newFigures: .newFigures
            case .scenarios: .scenarios
            case .actionPoints: .actionPoints
            }
        }
    }

    /// Areas listed in the phases tile; the phases page lists them all.
    public static let areasShown = 8

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.crumbs(t)
        html.markup("<h1><bdi>")
        html.text(m.name)
        html.markup("</bdi> <small dir=\"ltr\">")
        html.text(m.code)
        html.markup("</small></h1>\n<p class=\"lede\">")
        html.text(t("field_your_role") + ": " + (m.role.map { t($0.labelKey) } ?? t("role_none")))
        html.markup("</p>\n")
        for problem in m.channelProblems {
            html.markup("<p class=\"error\" role=\"alert\">")
            html.text(t("alert_channel_problem") + " " + problem)
            html.markup("</p>\n")
        }
        html.helpAlarms(m.alarms, code: m.code, csrf: page.csrf, t)
        if !m.criticalIncidents.isEmpty {
            html.markup("<section class=\"alarm\"><h2>")
            html.text(t("ci_title"))
            html.markup("</h2><ul class=\"plain\">")
            for ci in m.criticalIncidents {
                html.markup("<li>")
                html.levelTag(ci.level, t)
                html.markup(" <strong>")
                html.link(
                    .criticalIncident(.value(m.code), .value(ci.id)),
                    t("ci_name").replacingOccurrences(of: "{n}", with: String(ci.number)))
                html.markup("</strong> <bdi>")
                html.text(String(ci.what.split(separator: "\n").first ?? "").prefix(100).description)
                html.markup("</bdi>")
                html.callBackClock(ci.callBackAt, now: m.now, t)
                html.markup("</li>")
            }
            html.markup("</ul></section>\n<script src=\"")
            html.url(.countdownScript)
            html.markup("\" defer></script>\n")
        }
        // On a phone the tiles come first and the way to every part after them (`.dash` in the stylesheet).
        html.markup("<div class=\"dash\">\n")
        navigation(m, t, into: &html)
        if m.links.member {
            html.markup("<div class=\"tiles\">\n")
            for tile in m.tiles { self.tile(tile, m, t, into: &html) }
            html.markup("</div>\n")
        } else {
            html.paragraph(t("not_member"))
        }
        html.markup("</div>\n")
        return html
    }

    static func navigation(_ m: Model, _ t: Strings, into html: inout HTML) {
        let code = Parameter.value(m.code)
        html.markup("<nav class=\"actions\"")
        html.attribute("aria-label", t("nav_operation"))
        html.markup(">\n  ")
        var links: [(SiteURL, String, StaticString)] = []
        if m.links.member {
            links += [
                (.incidents(code), t("incidents_title"), "class=\"button\""),
                (.risks(code), t("risks_title"), "id=\"risk-register\" class=\"button\""),
                (.phases(code), t("phases_title"), "id=\"security-phases\" class=\"button\""),
            ]
            if m.links.plans {
                links += [
                    (.plans(code), t("plans_title"), "id=\"security-plans\" class=\"button\""),
                    (.compliance(code), t("compliance_title"), "id=\"compliance\" class=\"button\""),
                ]
            }
            links += [
                (.flows(code), t("flows_title"), "id=\"flow-monitoring\" class=\"button\""),
                (.population(code), t("population_title"), "id=\"population\" class=\"button\""),
                (.services(code), t("services_title"), "id=\"service-directory\" class=\"button\""),
                (.assessments(code), t("assessments_title"), "id=\"needs-assessments\" class=\"button\""),
            ]
            if m.links.protectionRisks {
                links.append(
                    (.protectionRisks(code), t("protection_risks_title"), "id=\"protection-risks\" class=\"button\""))
            }
            if m.links.network {
                links.append((.stakeholders(code), t("network_title"), "id=\"network\" class=\"button\""))
                links.append((.meetings(code), t("meetings_title"), "id=\"meetings\" class=\"button\""))
            }
            links.append((.products(code), t("products_title"), "id=\"products\" class=\"button\""))
            links.append((.briefs(code), t("briefs_title"), "id=\"briefs\" class=\"button\""))
            if m.links.scenarios { links.append((.scenarios(code), t("scenarios_title"), "class=\"button\"")) }
            links.append((.sites(code), t("sites_title"), "class=\"button\""))
            if m.links.people { links.append((.people(code), t("people_title"), "id=\"people\" class=\"button\"")) }
            if m.links.whereIAm {
                links.append((.myLocation(code), t("my_location_title"), "id=\"where-i-am\" class=\"button\""))
            }
            if m.links.alerts { links.append((.alerts(code), t("alerts_title"), "id=\"alerts\" class=\"button\"")) }
            if let waiting = m.links.inboxWaiting {
                links.append(
                    (
                        .inbox(code), t("dashboard.inbox").replacingOccurrences(of: "{n}", with: String(waiting)),
                        waiting > 0 ? "id=\"inbox\" class=\"button primary\"" : "id=\"inbox\" class=\"button\""
                    ))
            }
            if m.links.criticalIncidents {
                links.append((.criticalIncidents(code), t("ci_title"), "id=\"critical-incidents\" class=\"button\""))
            }
        }
        if m.links.createSites { links.append((.newSite(code), t("sites_new"), "class=\"button\"")) }
        links += [
            (.boundaries(code), t("boundaries_title"), "class=\"button\""),
            (.operationDetails(code), t("operation_details_title"), "id=\"operation-details\" class=\"button\""),
        ]
        for (index, link) in links.enumerated() {
            if index > 0 { html.markup("\n  ") }
            html.link(link.0, link.1, link.2)
        }
        html.markup("\n</nav>\n")
    }

    static func tile(_ tile: Tile, _ m: Model, _ t: Strings, into html: inout HTML) {
        let code = Parameter.value(m.code)
        html.markup("<section class=\"tile\"")
        html.attribute("id", "tile-" + tile.tile.rawValue.replacingOccurrences(of: "_", with: "-"))
        html.markup(">\n<h2>")
        html.text(t("dashboard_tile." + tile.tile.rawValue))
        html.markup("</h2>\n")
        switch tile {
        case .phases(let areas, let pending, let settings):
            if areas.isEmpty {
                html.paragraph(t("dashboard.phases_none"))
            } else {
                html.markup("<ul class=\"tile-list\">")
                for area in areas.prefix(areasShown) {
                    html.markup("<li>")
                    html.phaseTag(area.phase, settings, t)
                    html.markup(" <bdi>")
                    html.text(area.area)
                    html.markup("</bdi>")
                    if let since = area.since {
                        html.markup(" <small>")
                        html.text(t("dashboard.since") + " ")
                        html.markup("<span dir=\"ltr\">")
                        html.text(DateText.day(since))
                        html.markup("</span></small>")
                    }
                    html.markup("</li>")
                }
                html.markup("</ul>\n")
            }
            if let pending, pending > 0 {
                html.markup("<p class=\"attention\"><a href=\"")
                html.url(.phases(code))
                html.markup("#pending\">")
                html.text(t.counted("dashboard.phases_pending", pending))
                html.markup("</a></p>\n")
            }
            html.more(.phases(code), t("dashboard.phases_all"))
        case .approvals(let items):
            if items.isEmpty {
                html.paragraph(t("dashboard.approvals_none"))
            } else {
                html.markup("<ul class=\"tile-list\">")
                for item in items {
                    html.markup("<li><a href=\"")
                    html.url(item.url)
                    html.markup("\">")
                    html.text(item.label)
                    html.markup("</a> <small>")
                    html.text(t("dashboard.waiting_since") + " ")
                    html.markup("<span dir=\"ltr\">")
                    html.text(t.minute(item.since))
                    html.markup("</span></small></li>")
                }
                html.markup("</ul>\n")
            }
        case .movements(let overdue, let onTheRoad, let waiting):
            if overdue.isEmpty {
                html.paragraph(t("dashboard_movements_none_overdue"))
            } else {
                html.markup("<ul class=\"tile-list\" id=\"overdue-movements\">")
                for line in overdue {
                    html.markup("<li class=\"attention\"><a href=\"")
                    html.url(.movement(code, .value(line.id)))
                    html.markup("\">")
                    html.text(
                        t("movement_name").replacingOccurrences(of: "{n}", with: String(line.number)) + " · "
                            + t("movement_overdue"))
                    html.markup("</a> <small>")
                    html.text(line.passengers.map(\.name).joined(separator: ", "))
                    html.markup("<br>")
                    html.text(t("movement_expected_arrival") + ": " + t.isolatedMinute(line.expectedArrival))
                    html.markup("<br>")
                    html.text(t("movement_last_check_in") + ": " + (line.lastCheckIn ?? "—"))
                    html.markup("</small></li>")
                }
                html.markup("</ul>\n")
            }
            html.markup("<p>")
            html.text(
                t("dashboard_movements_summary").replacingOccurrences(of: "{road}", with: String(onTheRoad))
                    .replacingOccurrences(of: "{waiting}", with: String(waiting)))
            html.markup("</p><p class=\"more\">")
            html.link(.movements(code), t("movements_title"))
            html.markup("</p>\n")
        case .people(.headcount(let present, let stale, let unknown, let briefingsOverdue, let calls)):
            html.markup("<p id=\"people-present\">")
            html.text(
                t("headcount_summary").replacingOccurrences(of: "{n}", with: String(present))
                    .replacingOccurrences(of: "{stale}", with: String(stale))
                    .replacingOccurrences(of: "{unknown}", with: String(unknown)))
            html.markup("</p>\n")
            if briefingsOverdue > 0 {
                html.markup("<p class=\"attention\" id=\"briefings-overdue\">")
                html.link(
                    .readiness(code),
                    t("dashboard_briefings_overdue").replacingOccurrences(of: "{n}", with: String(briefingsOverdue)))
                html.markup("</p>\n")
            }
            if !calls.isEmpty {
                html.markup("<ul class=\"tile-list\">")
                for call in calls {
                    html.markup(call.needsHelp > 0 ? "<li class=\"attention\"><a href=\"" : "<li><a href=\"")
                    html.url(.rollCall(code, .value(call.id)))
                    html.markup("\">")
                    html.text(call.label)
                    html.markup("</a> <small>")
                    html.text(
                        [
                            (RollCallAnswer.safe, call.safe), (.needsHelp, call.needsHelp),
                            (.notReached, call.notReached),
                        ].map { t($0.0.labelKey) + " " + String($0.1) }.joined(separator: " · "))
                    html.markup("</small></li>")
                }
                html.markup("</ul>\n")
            }
            html.markup("<p class=\"more\">")
            html.link(.headcount(code), t("headcount_title"))
            html.markup(" · ")
            html.link(.contactList(code), t("contact_list_title"))
            html.markup(" · ")
            html.link(.readiness(code), t("readiness_title"))
            html.markup("</p>\n")
        case .people(.own(let line)):
            if let line {
                html.markup("<p id=\"my-location\">")
                html.text(t("my_location_last") + " ")
                html.whereabouts(line, t)
                html.markup("</p>\n")
            } else {
                html.paragraph(t("my_location_not_registered"))
            }
            html.markup("<p class=\"more\">")
            html.link(.myLocation(code), t("my_location_title"), "class=\"button primary\"")
            html.markup("</p>\n")
        case .reportsDue(let due, let more, let atLeast):
            if due.isEmpty {
                html.paragraph(t("incidents_awaiting_none"))
            } else {
                html.markup("<ul class=\"deadlines\">")
                for item in due { html.dueItem(item, code: m.code, t) }
                html.markup("</ul>\n")
                if more > 0 {
                    html.more(
                        .incidentsDue(code),
                        t.counted(atLeast ? "incidents.awaiting_at_least" : "incidents.awaiting_more", more),
                        id: "reports-due-more")
                }
            }
        case .seriousIncidents(let items, let more):
            if items.isEmpty {
                html.paragraph(t.counted("dashboard.serious_none", DashboardTile.recentDays))
            } else {
                html.markup("<ul class=\"tile-list\">")
                for item in items {
                    html.markup("<li><a href=\"")
                    html.url(.incident(code, .value(item.id)))
                    html.markup("\"><span dir=\"ltr\">")
                    html.text(item.number)
                    html.markup("</span> · <bdi>")
                    html.text(item.title)
                    html.markup("</bdi></a> <small>")
                    html.text(t(item.category.labelKey))
                    if let area = item.area {
                        html.markup(" · <bdi>")
                        html.text(area)
                        html.markup("</bdi>")
                    }
                    html.markup(" · <span dir=\"ltr\">")
                    html.text(t.minute(item.occurredAt))
                    html.markup("</span></small></li>")
                }
                html.markup("</ul>\n")
            }
            html.more(.incidents(code), more ? t("dashboard.serious_more") : t("dashboard.incidents_all"))
        case .earlyWarnings(let warnings, let from, let to):
            html.markup("<p><small>")
            html.text(t("dashboard.window") + " ")
            html.markup("<span dir=\"ltr\">")
            html.text(from + " – " + to)
            html.markup("</span></small></p>\n")
            if warnings.isEmpty {
                html.paragraph(t("dashboard.warnings_none"))
            } else {
                html.markup("<ul class=\"tile-list\">")
                for warning in warnings {
                    html.markup("<li class=\"attention\"><a href=\"")
                    html.text(SiteURL.incidentMap(code).path(query: warning.mapQuery))
                    html.markup("\"><bdi>")
                    html.text(warning.area)
                    html.markup("</bdi></a> <small>")
                    html.text(
                        t("dashboard.warning_counts").replacingOccurrences(of: "{count}", with: String(warning.recent))
                            .replacingOccurrences(
                                of: "{expected}", with: DecimalText.fixed(warning.expected, digits: 1))
                    )
                    html.markup("</small></li>")
                }
                html.markup("</ul>\n")
            }
            html.more(.incidentAnalysis(code), t("dashboard.analysis"))
        case .risksForReview(let risks, let total, let labels):
            if risks.isEmpty {
                html.paragraph(t.counted("dashboard.reviews_none", DashboardTile.comingDays))
            } else {
                html.markup("<ul class=\"tile-list\">")
                for risk in risks {
                    html.markup(risk.overdue ? "<li class=\"overdue\">" : "<li>")
                    html.riskLevel(risk.level, labels)
                    html.markup(" <a href=\"")
                    html.url(.risk(code, .value(risk.id)))
                    html.markup("\"><span dir=\"ltr\">R")
                    html.text(risk.number)
                    html.markup("</span> · <bdi>")
                    html.text(risk.title)
                    html.markup("</bdi></a> <small>")
                    html.text(t(risk.overdue ? "dashboard.review_overdue" : "dashboard.review_due") + " ")
                    html.markup("<span dir=\"ltr\">")
                    html.text(DateText.day(risk.nextReview))
                    html.markup("</span></small></li>")
                }
                html.markup("</ul>\n")
                if total > risks.count {
                    html.paragraph(t.counted("dashboard.reviews_more", total - risks.count))
                }
            }
            html.more(.risks(code), t("dashboard.risks_all"))
        case .plansDue(let deadlines):
            if deadlines.isEmpty {
                html.paragraph(t.counted("dashboard.plans_none", DashboardTile.comingDays))
            } else {
                html.markup("<ul class=\"tile-list\">")
                for deadline in deadlines {
                    html.markup(deadline.state == .overdue ? "<li class=\"overdue\"><a href=\"" : "<li><a href=\"")
                    html.url(.plan(code, .value(deadline.plan)))
                    html.markup("\">")
                    html.text(t(deadline.plan.labelKey))
                    html.markup("</a> — <strong>")
                    html.text(t(deadline.state.labelKey))
                    html.markup("</strong> <span dir=\"ltr\">")
                    html.text(DateText.day(deadline.dueAt))
                    html.markup("</span> (")
                    html.text(t(deadline.kind.labelKey))
                    html.markup(")</li>")
                }
                html.markup("</ul>\n")
            }
            html.more(.plans(code), t("dashboard.plans_all"))
        case .exemptionsExpiring(let exemptions):
            if exemptions.isEmpty {
                html.paragraph(t.counted("dashboard.exemptions_none", DashboardTile.comingDays))
            } else {
                html.markup("<ul class=\"tile-list\">")
                for exemption in exemptions {
                    html.markup("<li>")
                    html.text(t("dashboard.requirement") + " ")
                    html.markup("<span dir=\"ltr\">")
                    html.text(exemption.requirement)
                    html.markup("</span> — ")
                    html.text(t("dashboard.expires") + " ")
                    html.markup("<span dir=\"ltr\">")
                    html.text(DateText.day(exemption.expiresOn))
                    html.markup("</span></li>")
                }
                html.markup("</ul>\n")
            }
            html.more(.compliance(code), t("dashboard.compliance_all"))
        case .flowTrend(let trend):
            if let trend {
                html.markup("<p><small>")
                html.text(t("dashboard.window") + " ")
                html.markup("<span dir=\"ltr\">")
                html.text(trend.from + " – " + trend.to)
                html.markup("</span></small></p>\n<table class=\"compact\"><thead><tr><th scope=\"col\">")
                html.text(t("flows_direction"))
                html.markup("</th><th scope=\"col\">")
                html.text(t.counted("dashboard.last_days", DashboardTile.recentDays))
                html.markup("</th><th scope=\"col\">")
                html.text(t("dashboard.days_before"))
                html.markup("</th></tr></thead><tbody>")
                for line in trend.lines {
                    html.markup("<tr><th scope=\"row\">")
                    html.text(t(line.direction.labelKey))
                    html.markup("</th><td class=\"num\">")
                    html.text(line.now)
                    if let change = AnalysisPeriods.change(from: line.before, to: line.now) {
                        html.markup(" <small dir=\"ltr\">")
                        html.text(DecimalText.signedPercent(change))
                        html.markup("</small>")
                    }
                    html.markup("</td><td class=\"num\">")
                    html.text(line.before)
                    html.markup("</td></tr>")
                }
                html.markup("</tbody></table>\n<p class=\"more\"><a href=\"")
                html.text(SiteURL.flowAnalysis(code).path(query: trend.analysisQuery))
                html.markup("\">")
                html.text(t("dashboard.flows_analysis"))
                html.markup("</a></p>\n")
            } else {
                html.paragraph(t("flows_no_points"))
            }
        case .newFigures(let datasets):
            if datasets.isEmpty {
                html.paragraph(t.counted("dashboard.figures_none", DashboardTile.comingDays))
            } else {
                html.markup("<ul class=\"tile-list\">")
                for dataset in datasets {
                    html.markup("<li><bdi>")
                    html.text(dataset.name)
                    html.markup("</bdi> <small>")
                    html.text(t.counted("dashboard.figures_count", dataset.figures) + " · ")
                    html.markup("<span dir=\"ltr\">")
                    html.text(t.minute(dataset.updatedAt))
                    html.markup("</span></small></li>")
                }
                html.markup("</ul>\n")
            }
            html.more(.population(code), t("dashboard.population_all"))
        case .scenarios(let checks):
            if checks.isEmpty {
                html.paragraph(t("dashboard.scenarios_none"))
            } else {
                html.markup("<ul class=\"tile-list\">")
                for check in checks {
                    let outside = Int64(check.actual) < check.low || Int64(check.actual) > check.high
                    html.markup(outside ? "<li class=\"attention\"><a href=\"" : "<li><a href=\"")
                    html.url(.scenario(code, .value(check.id)))
                    html.markup("\"><bdi>")
                    html.text(check.name)
                    html.markup("</bdi></a> <small><span dir=\"ltr\">")
                    html.text(check.month)
                    html.markup("</span>: ")
                    html.text(
                        t("dashboard.scenario_line").replacingOccurrences(of: "{actual}", with: String(check.actual))
                            .replacingOccurrences(of: "{projected}", with: String(check.projected))
                            .replacingOccurrences(of: "{low}", with: String(check.low))
                            .replacingOccurrences(of: "{high}", with: String(check.high)))
                    html.markup(" — ")
                    html.text(t(outside ? "dashboard.scenario_outside" : "dashboard.scenario_inside"))
                    html.markup("</small></li>")
                }
                html.markup("</ul>\n")
            }
            html.more(.scenarios(code), t("dashboard.scenarios_all"))
        case .actionPoints(let actions, let total):
            if actions.isEmpty {
                html.paragraph(t("dashboard.actions_none"))
            } else {
                html.markup("<ul class=\"tile-list\">")
                for action in actions {
                    html.markup("<li class=\"overdue\"><a href=\"")
                    html.url(.meeting(code, .value(action.meetingID)))
                    html.markup("\"><bdi>")
                    html.text(action.text)
                    html.markup("</bdi></a> <small>")
                    html.text((action.ownerName.map { $0 + " · " } ?? "") + t("field_due_on") + " ")
                    html.markup("<span dir=\"ltr\">")
                    html.text(DateText.day(action.dueOn))
                    html.markup("</span> · <bdi>")
                    html.text(action.forum)
                    html.markup("</bdi></small></li>")
                }
                html.markup("</ul>\n")
                if total > actions.count {
                    html.paragraph(t.counted("dashboard.actions_more", total - actions.count))
                }
            }
            html.more(.actionPoints(code), t("dashboard.actions_all"))
        }
        html.markup("</section>\n")
    }

}

extension HTML {
    /// A tile's last line: where the whole list is.
    mutating func more(_ url: SiteURL, _ label: String, id: StaticString = "") {
        markup("<p class=\"more\"><a href=\"")
        self.url(url)
        if id.utf8CodeUnitCount > 0 {
            markup("\" id=\"")
            markup(id)
        }
        markup("\">")
        text(label)
        markup("</a></p>\n")
    }
}

extension Strings {
    /// A catalogue text with its `{count}` filled in.
    func counted(_ key: String, _ count: Int) -> String {
        self(key).replacingOccurrences(of: "{count}", with: String(count))
    }
}
