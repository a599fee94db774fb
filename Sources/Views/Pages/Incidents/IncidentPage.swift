import Domain
import Foundation

/// One incident: what, where, who, the response with its follow-up actions, the deadline, the
/// linked risks and the timeline of reports, with the buttons the viewer may use.
public enum IncidentPage {
    public struct Model: Sendable {
        /// Who reported it, as far as the viewer may know.
        public enum Reporter: Sendable, Equatable {
            case hidden
            case unknown
            case named(String)
        }

        public struct Report: Sendable {
            public let type: IncidentReportType
            public let at: Date
            public let summary: String

            public init(type: IncidentReportType, at: Date, summary: String) {
                self.type = type
                self.at = at
                self.summary = summary
            }
        }

        public struct Risk: Sendable {
            public let id: RiskID
            public let number: Int
            public let title: String

            public init(id: RiskID, number: Int, title: String) {
                self.id = id
                self.number = number
                self.title = title
            }
        }

        public let code: String
        public let id: IncidentID
        public let number: Int
        public let draft: IncidentDraft
        public let status: IncidentStatus
        public let serious: Bool
        /// The reporting deadline as it stands when the page is drawn.
        public let deadline: ReportingDeadline
        /// The start of today (UTC): follow-up actions due before it are overdue.
        public let today: Date
        public let reporter: Reporter
        public let reports: [Report]
        public let risks: [Risk]
        public let sentToRegion: Bool
        /// Whether the viewer may tick follow-up actions off.
        public let mayTick: Bool
        /// Whether the viewer may follow the incident up: then its next step is offered.
        public let canFollowUp: Bool
        public let canReport: Bool
        public let canChange: Bool
        public let canAudit: Bool

        public init(
            code: String, id: IncidentID, number: Int, draft: IncidentDraft, status: IncidentStatus, serious: Bool,
            deadline: ReportingDeadline, today: Date, reporter: Reporter, reports: [Report], risks: [Risk],
            sentToRegion: Bool, mayTick: Bool, canFollowUp: Bool, canReport: Bool, canChange: Bool,
            canAudit: Bool
        ) {
            self.code = code
            self.id = id
            self.number = number
            self.draft = draft
            self.status = status
            self.serious = serious
            self.deadline = deadline
            self.today = today
            self.reporter = reporter
            self.reports = reports
            self.risks = risks
            self.sentToRegion = sentToRegion
            self.mayTick = mayTick
            self.canFollowUp = canFollowUp
            self.canReport = canReport
            self.canChange = canChange
            self.canAudit = canAudit
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), id = Parameter.value(m.id), d = m.draft
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("incidents_title"), .incidents(code))])
        html.markup("<h1><span dir=\"ltr\">")
        html.text(m.number)
        html.markup("</span> · <bdi>")
        html.text(d.title)
        html.markup("</bdi></h1>\n<p class=\"tags\">")
        if m.serious {
            html.markup("<strong class=\"tag serious\">")
            html.text(t("incidents_serious"))
            html.markup("</strong> ")
        }
        if d.nearMiss {
            html.markup("<span class=\"tag\">")
            html.text(t("incidents_near_miss"))
            html.markup("</span> ")
        }
        html.markup("<span class=\"tag\">")
        html.text(t(m.status.labelKey))
        html.markup("</span></p>\n<p id=\"deadline\" class=\"deadline deadline-")
        html.text(m.deadline.state.rawValue)
        html.markup("\">")
        html.text(t(m.deadline.kind.labelKey))
        html.markup(": <strong>")
        html.text(t(m.deadline.state.labelKey))
        html.markup("</strong> · ")
        html.text(t("incidents_due"))
        html.markup(" ")
        html.deadlineTime(m.deadline.dueAt, t)
        html.markup("</p>\n<div class=\"grid halves\">\n<section>\n")
        what(d, t, into: &html)
        html.markup("</section>\n<section>\n")
        who(d, t, into: &html)
        response(m, t, csrf: page.csrf, into: &html)
        html.markup("</section>\n</div>\n")
        if m.canFollowUp, let next = m.status.offeredStep, let label = m.status.offeredStepLabelKey {
            html.markup("<form method=\"post\" action=\"")
            html.url(.incidentStatus(code, id))
            html.markup("\" class=\"inline\">\n")
            html.csrfField(page.csrf)
            html.markup("<input type=\"hidden\" name=\"status\"")
            html.attribute("value", next.rawValue)
            html.markup(">\n<button id=\"next-status\" type=\"submit\">")
            html.text(t(label))
            html.markup("</button></form>")
        }
        html.markup("\n")
        if !m.risks.isEmpty {
            html.markup("<section id=\"risks\">\n<h2>")
            html.text(t("incidents_risks"))
            html.markup("</h2>\n<ul class=\"plain\">")
            for risk in m.risks {
                html.markup("<li><a href=\"")
                html.url(.risk(code, .value(risk.id)))
                html.markup("\"><span dir=\"ltr\">")
                html.text(risk.number)
                html.markup("</span> · <bdi>")
                html.text(risk.title)
                html.markup("</bdi></a></li>")
            }
            html.markup("</ul>\n</section>")
        }
        html.markup("\n<section id=\"timeline\">\n<h2>")
        html.text(t("incidents_timeline"))
        html.markup("</h2>\n<ol class=\"timeline\">")
        for report in m.reports {
            html.markup("<li><strong>")
            html.text(t(report.type.labelKey))
            html.markup("</strong> · <span dir=\"ltr\">")
            html.text(t.minute(report.at))
            html.markup("</span><p class=\"notes\" dir=\"auto\">")
            html.text(report.summary)
            html.markup("</p></li>")
        }
        html.markup("</ol>\n")
        if m.canReport { reportForm(m, t, csrf: page.csrf, into: &html) }
        html.markup("</section>\n<nav class=\"actions\">\n")
        if m.canChange {
            html.markup("<a id=\"edit-incident\" class=\"button\" href=\"")
            html.url(.editIncident(code, id))
            html.markup("\">")
            html.text(t("form_edit"))
            html.markup("</a>")
        }
        html.markup("\n")
        if m.canAudit {
            html.link(.incidentAudit(code, id), t("audit_record"), "class=\"button\"")
        }
        html.markup("\n</nav>\n")
        return html
    }

    /// `<dt>label</dt><dd>value</dd>`.
    static func fact(_ label: String, _ value: String, into html: inout HTML) {
        html.markup("<dt>")
        html.text(label)
        html.markup("</dt><dd>")
        html.text(value)
        html.markup("</dd>")
    }

    /// A fact whose value reads left to right (times, codes), shown only when there is one.
    static func ltrFact(_ label: String, _ value: String?, code: Bool = false, into html: inout HTML) {
        guard let value, !value.isEmpty else { return }
        html.markup("<dt>")
        html.text(label)
        html.markup(code ? "</dt><dd dir=\"ltr\" class=\"code\">" : "</dt><dd dir=\"ltr\">")
        html.text(value)
        html.markup("</dd>")
    }

    /// A long text kept with its line breaks, shown only when there is one.
    static func notesFact(_ label: String, _ value: String?, into html: inout HTML) {
        guard let value, !value.isEmpty else { return }
        html.markup("<dt>")
        html.text(label)
        html.markup("</dt><dd class=\"notes\" dir=\"auto\">")
        html.text(value)
        html.markup("</dd>")
    }

    static func what(_ d: IncidentDraft, _ t: Strings, into html: inout HTML) {
        html.markup("<h2>")
        html.text(t("incidents_what"))
        html.markup("</h2>\n<dl class=\"facts\">\n  ")
        fact(
            t("field_category"), t(d.category.labelKey) + (d.subtype.map { " · " + t($0.labelKey) } ?? ""), into: &html)
        html.markup("\n  ")
        fact(t("field_severity"), t(d.severity.labelKey), into: &html)
        html.markup("\n  ")
        notesFact(t("field_description"), d.description, into: &html)
        html.markup("\n  ")
        ltrFact(t("incidents_when"), t.minute(d.occurredAt), into: &html)
        html.markup("\n  ")
        fact(t("field_time_precision"), t(d.timePrecision.labelKey), into: &html)
        html.markup("\n  ")
        ltrFact(t("field_known_at"), d.knownAt.map(t.minute), into: &html)
        html.markup("\n  ")
        if let place = d.placeName, !place.isEmpty { fact(t("field_place_name"), place, into: &html) }
        html.markup("\n  ")
        ltrFact(t("field_area_pcode"), d.areaPcode, code: true, into: &html)
        html.markup("\n  ")
        let coordinates = d.latitude.flatMap { lat in
            d.longitude.map { DecimalText.fixed(lat, digits: 5) + ", " + DecimalText.fixed($0, digits: 5) }
        }
        ltrFact(t("field_coordinates"), coordinates, code: true, into: &html)
        html.markup("\n  ")
        fact(t("field_location_type"), t(d.locationType.labelKey), into: &html)
        html.markup("\n</dl>\n")
    }

    static func who(_ d: IncidentDraft, _ t: Strings, into html: inout HTML) {
        html.markup("<h2>")
        html.text(t("incidents_who"))
        html.markup("</h2>\n<dl class=\"facts\">\n  ")
        let affected = AffectedGroup.allCases.filter(d.affected.contains).map { t($0.labelKey) }.joined(separator: ", ")
        fact(t("field_affected"), affected.isEmpty ? "—" : affected, into: &html)
        html.markup("\n  <dt>")
        html.text(t("field_casualties"))
        html.markup("</dt><dd>")
        if d.casualties.isEmpty {
            html.markup("0")
        } else {
            html.markup("<ul class=\"plain\">")
            casualties(d.casualties, t, into: &html)
            html.markup("</ul>")
        }
        html.markup("</dd>\n  ")
        fact(t("field_actor_type"), t(d.actorType.labelKey) + (d.actorName.map { " (\($0))" } ?? ""), into: &html)
        html.markup("\n  ")
        fact(t("field_means"), t(d.means.labelKey), into: &html)
        html.markup("\n  ")
        fact(t("field_context"), t(d.context.labelKey), into: &html)
        html.markup("\n  ")
        fact(t("field_motive"), t(d.motive.labelKey), into: &html)
        html.markup("\n</dl>\n")
    }

    /// Each kind of harm with its total and the cells that make it up.
    static func casualties(_ c: Casualties, _ t: Strings, into html: inout HTML) {
        for harm in Casualties.Harm.allCases where c.total(harm) > 0 {
            html.markup("<li>")
            html.text(t(harm.labelKey))
            html.markup(": <strong>")
            html.text(c.total(harm))
            html.markup("</strong> (")
            let parts = Casualties.Nationality.allCases.flatMap { nationality in
                Casualties.Sex.allCases.compactMap { sex -> String? in
                    let n = c[harm, nationality, sex]
                    return n > 0 ? "\(t(nationality.labelKey)) · \(t(sex.labelKey)): \(n)" : nil
                }
            }
            html.text(parts.joined(separator: "; "))
            html.markup(")</li>")
        }
    }

    static func response(_ m: Model, _ t: Strings, csrf: String, into html: inout HTML) {
        let d = m.draft
        html.markup("<h2>")
        html.text(t("incidents_response"))
        html.markup("</h2>\n<dl class=\"facts\">\n  ")
        notesFact(t("field_immediate_actions"), d.immediateActions, into: &html)
        html.markup("\n  ")
        if !d.followUpActions.isEmpty {
            html.markup("<dt>")
            html.text(t("field_follow_up"))
            html.markup("</dt><dd><ul class=\"plain\">")
            followUp(m, t, csrf: csrf, into: &html)
            html.markup("</ul></dd>")
        }
        html.markup("\n  ")
        fact(
            t("field_procedures_followed"), t(d.proceduresFollowed.map { $0 ? "yes" : "no" } ?? "unknown"), into: &html)
        html.markup("\n  ")
        fact(t("field_verification"), t(d.verification.labelKey), into: &html)
        html.markup("\n  ")
        fact(t("field_source"), t(d.source.labelKey), into: &html)
        html.markup("\n  <dt>")
        html.text(t("incidents_by"))
        html.markup("</dt><dd id=\"reporter\">")
        switch m.reporter {
        case .hidden: html.text(t("incidents.reporter_hidden"))
        case .unknown: html.markup("—")
        case .named(let name): html.text(name)
        }
        html.markup("</dd>\n  ")
        fact(t("field_audience"), t(d.audience.labelKey), into: &html)
        html.markup("\n</dl>\n")
    }

    /// Follow-up actions with their owner and due date; overdue ones stand out, and whoever may
    /// edit the incident or follow it up ticks them off here.
    static func followUp(_ m: Model, _ t: Strings, csrf: String, into html: inout HTML) {
        for (index, action) in m.draft.followUpActions.enumerated() {
            let overdue = !action.done && (action.dueOn.map { $0 < m.today } ?? false)
            html.markup(action.done ? "<li class=\"done\">" : overdue ? "<li class=\"overdue\">" : "<li>")
            html.text(action.action)
            html.markup(" — ")
            html.text(action.owner)
            if let due = action.dueOn {
                html.markup(" · ")
                html.text(t("field_due"))
                html.markup(" <span dir=\"ltr\">")
                html.text(DateText.day(due))
                html.markup("</span>")
                if overdue {
                    html.markup(" <strong class=\"tag serious\">")
                    html.text(t("deadline_state.overdue"))
                    html.markup("</strong>")
                }
            }
            if action.done {
                html.markup(" ✓ ")
                html.text(t("field_done"))
            }
            if m.mayTick {
                html.markup(" <form method=\"post\" class=\"inline\" action=\"")
                html.url(.incidentActionDone(.value(m.code), .value(m.id), index: .value(index)))
                html.markup("\">")
                html.csrfField(csrf)
                html.markup(
                    action.done
                        ? "<input type=\"hidden\" name=\"done\" value=\"no\">"
                        : "<input type=\"hidden\" name=\"done\" value=\"yes\">")
                html.markup("<button type=\"submit\" class=\"small\">")
                html.text(t(action.done ? "incidents.action_reopen" : "incidents.action_done"))
                html.markup("</button></form>")
            }
            html.markup("</li>")
        }
    }

    /// Adds an update or the post-incident report to the timeline.
    static func reportForm(_ m: Model, _ t: Strings, csrf: String, into html: inout HTML) {
        html.markup("\n<form id=\"add-report\" method=\"post\" action=\"")
        html.url(.incidentReports(.value(m.code), .value(m.id)))
        html.markup("\" class=\"stack\">\n  ")
        html.csrfField(csrf)
        html.markup("\n  <label for=\"report_type\">")
        html.text(t("incidents_add_report"))
        html.markup("</label>\n  <select id=\"report_type\" name=\"type\">")
        html.options(
            [IncidentReportType.update, .postIncident].map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == .update)
            })
        html.markup("</select>\n  <label for=\"report_summary\">")
        html.text(t("field_description"))
        html.markup("</label>\n  <textarea id=\"report_summary\" name=\"summary\" rows=\"3\" required></textarea>\n  ")
        if !m.sentToRegion {
            html.markup("<label class=\"check\"><input type=\"checkbox\" name=\"sent_to_region\" value=\"on\"> ")
            html.text(t("field_sent_to_region"))
            html.markup("</label>")
        }
        html.markup("\n  <button id=\"add-report-submit\" type=\"submit\">")
        html.text(t("incidents_add_report"))
        html.markup("</button>\n</form>\n")
    }
}
