import Domain
import Foundation

extension Strings {
    /// "Version 3".
    func planVersion(_ number: Int) -> String {
        self("plans.version_n").replacingOccurrences(of: "{count}", with: String(number))
    }
}

extension HTML {
    /// A plan's clocks as list items: what is due, its state, when; overdue ones marked.
    mutating func planDeadlines(_ deadlines: [PlanDeadline], _ t: Strings) {
        for deadline in deadlines {
            markup(deadline.state == .overdue ? "<li class=\"overdue\">" : "<li>")
            text(t(deadline.kind.labelKey))
            markup(": <strong>")
            text(t(deadline.state.labelKey))
            markup("</strong> <span dir=\"ltr\">")
            text(DateText.day(deadline.dueAt))
            markup("</span></li>")
        }
    }
}

/// "1.2 MB" or "340 KB", as a download's size is shown.
public enum FileSize {
    public static func text(_ bytes: Int64) -> String {
        bytes >= 1_048_576
            ? "\(DecimalText.fixed(Double(bytes) / 1_048_576, digits: 1)) MB" : "\(max(1, (bytes + 1023) / 1024)) KB"
    }
}

/// The six security plans: what is in force, what is in progress, and each plan's clocks.
public enum PlansOverview {
    public struct Model: Sendable {
        public struct Row: Sendable {
            public let kind: SecurityPlanKind
            public let approved: (version: Int, on: String)?
            public let open: (version: Int, status: PlanStatus)?
            public let deadlines: [PlanDeadline]

            public init(
                kind: SecurityPlanKind, approved: (version: Int, on: String)?,
                open: (version: Int, status: PlanStatus)?,
                deadlines: [PlanDeadline]
            ) {
                self.kind = kind
                self.approved = approved
                self.open = open
                self.deadlines = deadlines
            }
        }

        public let code: String
        public let rows: [Row]
        public let canEditSettings: Bool

        public init(code: String, rows: [Row], canEditSettings: Bool) {
            self.code = code
            self.rows = rows
            self.canEditSettings = canEditSettings
        }

        var overdue: Int { rows.reduce(0) { $0 + $1.deadlines.filter { $0.state == .overdue }.count } }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("plans_title"))
        html.markup("</h1>\n<p>")
        html.text(t("plans_intro"))
        html.markup("</p>\n")
        if m.overdue > 0 {
            html.markup("<p class=\"error\" id=\"plans-overdue\" role=\"status\">")
            html.text(t("plans_overdue_count"))
            html.markup(" <strong>")
            html.text(m.overdue)
            html.markup("</strong></p>\n")
        }
        html.markup("<table class=\"list\" id=\"plans\">\n")
        html.tableHead([t("plans_plan"), t("plans_in_force"), t("plans_in_progress"), t("plans_deadlines")])
        html.markup("\n<tbody>")
        for row in m.rows {
            html.markup("<tr")
            html.attribute("id", "plan-" + row.kind.rawValue)
            html.markup("><td>")
            html.link(.plan(code, .value(row.kind)), t(row.kind.labelKey))
            html.markup("</td><td>")
            if let approved = row.approved {
                html.text(t.planVersion(approved.version))
                html.markup(" · <span dir=\"ltr\">")
                html.text(approved.on)
                html.markup("</span>")
            } else {
                html.text(t("plans.none_approved"))
            }
            html.markup("</td><td>")
            if let open = row.open {
                html.text(t.planVersion(open.version) + " · " + t(open.status.labelKey))
            } else {
                html.markup("—")
            }
            html.markup("</td><td><ul class=\"plain\">")
            html.planDeadlines(row.deadlines, t)
            html.markup("</ul></td></tr>")
        }
        html.markup("</tbody>\n</table>\n")
        if m.canEditSettings {
            html.markup("<p><a href=\"")
            html.url(.securitySettings(code))
            html.markup("#plan_rules\">")
            html.text(t("settings_title"))
            html.markup("</a></p>\n")
        }
        return html
    }
}

/// What a plan version says: its text and its structured part (relocation or crisis team).
public struct PlanContent: Sendable {
    public struct Relocation: Sendable {
        /// The assembly points' names; a site the reader may not see is named only as a site.
        public let assemblyPoints: [String]
        public let routes: [String]
        /// (phase name, what triggers the move), in the order of the phases.
        public let triggers: [(phase: String, text: String)]
        public let whoGoes: String
        public let whoStays: String
        public let transport: String

        public init(
            assemblyPoints: [String], routes: [String], triggers: [(phase: String, text: String)], whoGoes: String,
            whoStays: String, transport: String
        ) {
            self.assemblyPoints = assemblyPoints
            self.routes = routes
            self.triggers = triggers
            self.whoGoes = whoGoes
            self.whoStays = whoStays
            self.transport = transport
        }
    }

    public let version: Int
    public let status: PlanStatus
    public let text: String
    public let relocation: Relocation?
    public let team: [CIMPlan.Member]

    public init(version: Int, status: PlanStatus, text: String, relocation: Relocation?, team: [CIMPlan.Member]) {
        self.version = version
        self.status = status
        self.text = text
        self.relocation = relocation
        self.team = team
    }
}

/// One plan: its clocks, the version in force (or the newest), every version with its documents and
/// workflow buttons, and the reviews and yearly approvals recorded.
public enum PlanPage {
    public struct Model: Sendable {
        public struct Version: Sendable {
            public let id: PlanVersionID
            public let number: Int
            public let status: PlanStatus
            public let createdBy: String
            public let createdAt: String
            public let approved: (by: String, at: String)?
            public let attachments: [(id: PlanAttachmentID, filename: String, size: Int64)]
            /// The workflow steps the reader may take on it.
            public let canEdit: Bool
            public let canSubmit: Bool
            public let canSendBack: Bool
            public let canApprove: Bool

            public init(
                id: PlanVersionID, number: Int, status: PlanStatus, createdBy: String, createdAt: String,
                approved: (by: String, at: String)?,
                attachments: [(id: PlanAttachmentID, filename: String, size: Int64)], canEdit: Bool, canSubmit: Bool,
                canSendBack: Bool,
                canApprove: Bool
            ) {
                self.id = id
                self.number = number
                self.status = status
                self.createdBy = createdBy
                self.createdAt = createdAt
                self.approved = approved
                self.attachments = attachments
                self.canEdit = canEdit
                self.canSubmit = canSubmit
                self.canSendBack = canSendBack
                self.canApprove = canApprove
            }
        }

        public struct Event: Sendable {
            public let day: String
            public let event: String
            /// (who, name) of those who approved, in a stable order.
            public let approvers: [(role: PhaseRecipient, name: String)]
            public let note: String
            public let recordedBy: String

            public init(
                day: String, event: String, approvers: [(role: PhaseRecipient, name: String)], note: String,
                recordedBy: String
            ) {
                self.day = day
                self.event = event
                self.approvers = approvers
                self.note = note
                self.recordedBy = recordedBy
            }
        }

        public let code: String
        public let kind: SecurityPlanKind
        public let deadlines: [PlanDeadline]
        public let current: PlanContent?
        public let versions: [Version]
        public let events: [Event]
        public let canWrite: Bool
        public let canNew: Bool
        /// The yearly approval may be recorded for this plan.
        public let yearly: Bool
        public let today: String
        public let error: String?
        /// After-action reviews of critical incidents whose changes wait for the CIM plan's next version.
        public var reviews: [(number: Int, changes: String)] = []

        public init(
            code: String, kind: SecurityPlanKind, deadlines: [PlanDeadline], current: PlanContent?, versions: [Version],
            events: [Event], canWrite: Bool, canNew: Bool, yearly: Bool, today: String, error: String?
        ) {
            self.code = code
            self.kind = kind
            self.deadlines = deadlines
            self.current = current
            self.versions = versions
            self.events = events
            self.canWrite = canWrite
            self.canNew = canNew
            self.yearly = yearly
            self.today = today
            self.error = error
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), kind = Parameter.value(m.kind)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("plans_title"), .plans(code))])
        html.markup("<h1>")
        html.text(t(m.kind.labelKey))
        html.markup("</h1>\n")
        html.alert(m.error)
        html.markup("<ul class=\"plain\" id=\"deadlines\">")
        html.planDeadlines(m.deadlines, t)
        html.markup("</ul>\n")
        if !m.reviews.isEmpty {
            html.markup("<section class=\"notice\" id=\"reviews\"><h2>")
            html.text(t("ci_plan_reviews"))
            html.markup("</h2><ul class=\"plain\">")
            for review in m.reviews {
                html.markup("<li><strong>")
                html.text(t("ci_name").replacingOccurrences(of: "{n}", with: String(review.number)))
                html.markup("</strong>: ")
                html.text(review.changes)
                html.markup("</li>")
            }
            html.markup("</ul></section>\n")
        }
        if m.canNew {
            html.markup("<p>")
            html.link(.newPlan(code, kind), t("plans_new_version"), "id=\"new-version\" class=\"button primary\"")
            html.markup("</p>\n")
        }
        html.markup("<section id=\"current\">\n<h2>")
        html.text(t("plans_current"))
        html.markup("</h2>\n")
        if let current = m.current {
            html.planContent(current, t)
        } else {
            html.paragraph(t("plans_no_versions"))
        }
        html.markup("\n</section>\n<section id=\"versions\">\n<h2>")
        html.text(t("plans_versions"))
        html.markup("</h2>\n<ol class=\"timeline\">")
        for version in m.versions {
            html.markup("<li")
            html.attribute("id", "version-\(version.number)")
            html.markup("><strong>")
            html.text(t.planVersion(version.number))
            html.markup("</strong> · ")
            html.text(t(version.status.labelKey) + " · " + version.createdBy)
            html.markup(" <span dir=\"ltr\">")
            html.text(version.createdAt)
            html.markup("</span>")
            if let approved = version.approved {
                html.text(" · " + t("plans.approved_by") + " " + approved.by)
                html.markup(" <span dir=\"ltr\">")
                html.text(approved.at)
                html.markup("</span>")
            }
            for file in version.attachments {
                html.markup("<br><a href=\"")
                html.url(.planAttachment(code, .value(file.id)))
                html.markup("\" download>")
                html.text(file.filename)
                html.markup("</a> <small dir=\"ltr\">(")
                html.text(FileSize.text(file.size))
                html.markup(")</small>")
            }
            func step(_ step: String, _ label: String, primary: Bool = false) {
                html.markup(" <form method=\"post\" class=\"inline\" action=\"")
                html.url(.planStep(code, kind, version: .value(version.id), step: .value(step)))
                html.markup("\">")
                html.csrfField(page.csrf)
                html.markup(primary ? "<button type=\"submit\" class=\"primary\">" : "<button type=\"submit\">")
                html.text(t(label))
                html.markup("</button></form>")
            }
            if version.canEdit {
                html.markup(" ")
                html.link(.editPlanVersion(code, kind, version: .value(version.id)), t("form_edit"), "class=\"button\"")
            }
            if version.canSubmit { step("submit", "plans.submit") }
            if version.canSendBack { step("send_back", "plans.send_back") }
            if version.canApprove { step("approve", "plans.approve", primary: true) }
            html.markup("</li>")
        }
        html.markup("</ol>\n</section>\n<section id=\"events\">\n<h2>")
        html.text(t("plans_reviews"))
        html.markup("</h2>\n")
        if m.events.isEmpty {
            html.paragraph(t("plans_no_reviews"))
        } else {
            html.markup("<ul>")
            for event in m.events {
                html.markup("<li><span dir=\"ltr\">")
                html.text(event.day)
                html.markup("</span> · <strong>")
                html.text(t("plan_event." + event.event))
                html.markup("</strong>")
                for approver in event.approvers {
                    html.text(" · " + t("phase_recipient." + approver.role.rawValue) + ": " + approver.name)
                }
                if !event.note.isEmpty { html.text(" — " + event.note) }
                html.markup(" <small>(")
                html.text(event.recordedBy)
                html.markup(")</small></li>")
            }
            html.markup("</ul>")
        }
        html.markup("\n")
        if m.canWrite {
            html.markup("<form id=\"record-review\" method=\"post\" action=\"")
            html.url(.planEvents(code, kind))
            html.markup("\" class=\"stack\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n  <label for=\"event\">")
            html.text(t("plans_record"))
            html.markup("</label>\n  <select id=\"event\" name=\"event\"><option value=\"review\">")
            html.text(t("plan_event_review"))
            html.markup("</option>")
            if m.yearly {
                html.markup("<option value=\"yearly_approval\">")
                html.text(t("plan_event_yearly_approval"))
                html.markup("</option>")
            }
            html.markup("</select>\n  <label for=\"occurred_on\">")
            html.text(t("field_date"))
            html.markup("</label>\n  <input id=\"occurred_on\" name=\"occurred_on\" type=\"date\"")
            html.attribute("value", m.today)
            html.markup(" dir=\"ltr\" required>\n  ")
            if m.yearly {
                html.markup("<label for=\"rsc\">")
                html.text(t("plans_rsc_name"))
                html.markup("</label>\n  <input id=\"rsc\" name=\"rsc\">\n  <label for=\"gsu\">")
                html.text(t("plans_gsu_name"))
                html.markup("</label>\n  <input id=\"gsu\" name=\"gsu\">\n  ")
            }
            html.markup("<label for=\"note\">")
            html.text(t("field_notes"))
            html.markup(
                "</label>\n  <textarea id=\"note\" name=\"note\" rows=\"2\"></textarea>\n  <button type=\"submit\">")
            html.text(t("plans_record"))
            html.markup("</button>\n</form>\n")
        }
        html.markup("</section>\n")
        return html
    }
}

extension HTML {
    /// A version's text and structured part.
    mutating func planContent(_ content: PlanContent, _ t: Strings) {
        markup("<p><strong>")
        text(t.planVersion(content.version))
        markup("</strong> · ")
        text(t(content.status.labelKey))
        markup("</p>")
        if !content.text.isEmpty {
            markup("<div class=\"plan-text\" dir=\"auto\">")
            append(RichText.html(content.text))
            markup("</div>")
        }
        if let plan = content.relocation {
            markup("<dl class=\"facts\"><dt>")
            text(t("plans.assembly_points"))
            markup("</dt><dd><ul class=\"plain\">")
            for name in plan.assemblyPoints {
                markup("<li>")
                text(name)
                markup("</li>")
            }
            markup("</ul></dd>")
            func fact(_ label: String, _ value: String) {
                guard !value.isEmpty else { return }
                markup("<dt>")
                text(t(label))
                markup("</dt><dd class=\"notes\" dir=\"auto\">")
                text(value)
                markup("</dd>")
            }
            fact("plans.routes", plan.routes.joined(separator: "\n"))
            fact("plans.triggers", plan.triggers.map { "\($0.phase): \($0.text)" }.joined(separator: "\n"))
            fact("plans.who_goes", plan.whoGoes)
            fact("plans.who_stays", plan.whoStays)
            fact("plans.transport", plan.transport)
            markup("</dl>")
        }
        if !content.team.isEmpty {
            markup("<table class=\"list\" id=\"cim-team\">")
            tableHead([t("field_name"), t("plans.team_role"), t("field_contact_phone"), t("field_email")])
            markup("<tbody>")
            for member in content.team {
                markup("<tr><td>")
                text(member.name)
                markup("</td><td>")
                text(member.role)
                markup("</td><td dir=\"ltr\">")
                text(member.phone)
                markup("</td><td dir=\"ltr\">")
                text(member.email)
                markup("</td></tr>")
            }
            markup("</tbody></table>")
        }
    }
}

/// The form that writes a plan version: its text, the relocation plan's or the crisis team's part,
/// and a document.
public enum PlanForm {
    public struct Model: Sendable {
        public let code: String
        public let kind: SecurityPlanKind
        /// The version being edited; nil for a new one.
        public let editing: PlanVersionID?
        public let content: String
        /// For the relocation plan: the sites to choose assembly points among, the phases with their triggers.
        public let sites: [Choice]
        public let routes: String
        public let triggers: [(phase: String, label: String, text: String)]
        public let whoGoes: String
        public let whoStays: String
        public let transport: String
        /// For the crisis management plan: the team, with blank rows to add more.
        public let team: [CIMPlan.Member]
        public let errors: [String: String]
        public let maxMB: Int
        public let version: String?
        public let stale: StaleNotice?

        public init(
            code: String, kind: SecurityPlanKind, editing: PlanVersionID?, content: String, sites: [Choice],
            routes: String,
            triggers: [(phase: String, label: String, text: String)], whoGoes: String, whoStays: String,
            transport: String,
            team: [CIMPlan.Member], errors: [String: String], maxMB: Int, version: String?, stale: StaleNotice?
        ) {
            self.code = code
            self.kind = kind
            self.editing = editing
            self.content = content
            self.sites = sites
            self.routes = routes
            self.triggers = triggers
            self.whoGoes = whoGoes
            self.whoStays = whoStays
            self.transport = transport
            self.team = team
            self.errors = errors
            self.maxMB = maxMB
            self.version = version
            self.stale = stale
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), kind = Parameter.value(m.kind)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("plans_title"), .plans(code)), (t(m.kind.labelKey), .plan(code, kind))])
        html.markup("<h1>")
        html.text(t(m.kind.labelKey))
        html.markup("</h1>\n")
        html.formErrors(t, m.errors)
        html.staleNotice(m.stale, t)
        // The token also rides in the query: the body is multipart.
        let action = m.editing.map { SiteURL.editPlanVersion(code, kind, version: .value($0)) } ?? .plan(code, kind)
        html.markup("<form id=\"plan-form\" method=\"post\" action=\"")
        html.text(action.path(query: [("_csrf", page.csrf)]))
        html.markup("\" enctype=\"multipart/form-data\" class=\"stack\">\n")
        if let version = m.version {
            html.markup("<input type=\"hidden\" name=\"version\"")
            html.attribute("value", version)
            html.markup(">\n")
        }
        html.markup("  ")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"content\">")
        html.text(t("plans_text"))
        html.markup(
            "</label>\n  <textarea id=\"content\" name=\"content\" rows=\"14\" dir=\"auto\" aria-describedby=\"formatting-help\">"
        )
        html.text(m.content)
        html.markup("</textarea>\n  <small id=\"formatting-help\">")
        html.text(t("plans_formatting"))
        html.markup("</small>\n  ")
        html.fieldError(m.errors, "content")
        html.markup("\n")
        if m.kind == .relocation {
            html.markup("  <fieldset><legend>")
            html.text(t("plans_assembly_points"))
            html.markup("</legend>")
            for site in m.sites {
                html.markup("<label class=\"check\"><input type=\"checkbox\" name=\"assembly_points[]\"")
                html.attribute("value", site.value)
                html.markup(site.selected ? " checked> " : "> ")
                html.text(site.label)
                html.markup("</label>")
            }
            html.markup("</fieldset>\n  ")
            html.fieldError(m.errors, "assembly_points")
            html.markup("\n  <label for=\"routes\">")
            html.text(t("plans_routes"))
            html.markup(" <small>")
            html.text(t("plans_one_per_line"))
            html.markup("</small></label>\n  <textarea id=\"routes\" name=\"routes\" rows=\"3\" dir=\"auto\">")
            html.text(m.routes)
            html.markup("</textarea>\n  <fieldset><legend>")
            html.text(t("plans_triggers"))
            html.markup("</legend>")
            for trigger in m.triggers {
                html.markup("<label>")
                html.text(trigger.label)
                html.markup(" <textarea rows=\"2\"")
                html.attribute("name", "triggers[\(trigger.phase)]")
                html.markup(">")
                html.text(trigger.text)
                html.markup("</textarea></label>")
            }
            html.markup("</fieldset>\n  ")
            html.fieldError(m.errors, "triggers")
            for (id, label, value) in [
                ("who_goes", "plans_who_goes", m.whoGoes), ("who_stays", "plans_who_stays", m.whoStays),
                ("transport", "plans_transport", m.transport),
            ] {
                html.markup("\n  <label")
                html.attribute("for", id)
                html.markup(">")
                html.text(t(label))
                html.markup("</label>\n  <textarea")
                html.attribute("id", id)
                html.attribute("name", id)
                html.markup(" rows=\"2\" dir=\"auto\">")
                html.text(value)
                html.markup("</textarea>")
            }
            html.markup("\n")
        }
        if m.kind == .criticalIncidentManagement {
            html.markup("  <h2>")
            html.text(t("plans_team"))
            html.markup("</h2>\n  ")
            for (i, member) in m.team.enumerated() {
                html.markup("<fieldset class=\"measure\"><legend>")
                html.text(t("plans.member_n").replacingOccurrences(of: "{count}", with: String(i + 1)))
                html.markup("</legend>")
                for (field, label, value, ltr) in [
                    ("name", "field_name", member.name, false), ("role", "plans.team_role", member.role, false),
                    ("phone", "field_contact_phone", member.phone, true), ("email", "field_email", member.email, true),
                ] {
                    html.markup("<label>")
                    html.text(t(label))
                    html.markup(ltr ? " <input dir=\"ltr\"" : " <input")
                    html.attribute("name", "team[\(i)][\(field)]")
                    html.attribute("value", value)
                    html.markup("></label>")
                }
                html.fieldError(m.errors, "team[\(i)]")
                html.markup("</fieldset>")
            }
            html.markup("\n")
        }
        html.markup("  <label for=\"file\">")
        html.text(t("plans_attach"))
        html.markup(" <small>")
        html.text(t("plans_attach_help") + " (\(m.maxMB) MB)")
        html.markup(
            "</small></label>\n  <input id=\"file\" name=\"file\" type=\"file\" accept=\".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document\">\n  "
        )
        html.fieldError(m.errors, "file")
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}
