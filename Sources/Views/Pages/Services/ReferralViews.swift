import Domain
import Foundation

/// A referral as the list and its page show it.
public struct ReferralSummary: Sendable {
    public let id: ReferralID
    public let label: String
    public let personRef: String
    public let personName: String?
    public let service: String
    public let urgency: ReferralUrgency
    public let status: ReferralStatus
    public let followUpOn: Date?
    public let rfl: Bool

    public init(
        id: ReferralID, label: String, personRef: String, personName: String?, service: String,
        urgency: ReferralUrgency, status: ReferralStatus, followUpOn: Date?, rfl: Bool
    ) {
        self.id = id
        self.label = label
        self.personRef = personRef
        self.personName = personName
        self.service = service
        self.urgency = urgency
        self.status = status
        self.followUpOn = followUpOn
        self.rfl = rfl
    }
}

extension HTML {
    mutating func referralNav(_ t: Strings, code: Parameter<String>, referrals: Bool, caseWorkers: Bool) {
        markup("<p class=\"actions\">")
        if referrals {
            link(.referrals(code), t("referrals_title"), "class=\"button\"")
            markup(" ")
            link(.newReferral(code), t("referrals_new"), "class=\"button primary\"")
            markup(" ")
        }
        link(.referralFigures(code), t("referral_figures_title"), "class=\"button\"")
        if caseWorkers {
            markup(" ")
            link(.referralCaseWorkers(code), t("case_workers_title"), "class=\"button\"")
        }
        markup("</p>\n")
    }
}

/// The referrals a reader reaches: the coordinator's all, a caseworker's own.
public enum ReferralList {
    public struct Model: Sendable {
        public let code: String
        public let rows: [ReferralSummary]
        public let status: ReferralStatus?
        public let paging: PagePosition
        public let today: Date
        public let canNameCaseWorkers: Bool

        public init(
            code: String, rows: [ReferralSummary], status: ReferralStatus?, paging: PagePosition, today: Date,
            canNameCaseWorkers: Bool
        ) {
            self.code = code
            self.rows = rows
            self.status = status
            self.paging = paging
            self.today = today
            self.canNameCaseWorkers = canNameCaseWorkers
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("services_title"), .services(code))])
        html.markup("<h1>")
        html.text(t("referrals_title"))
        html.markup("</h1>\n<p>")
        html.text(t("referrals_intro"))
        html.markup("</p>\n")
        html.referralNav(t, code: code, referrals: true, caseWorkers: m.canNameCaseWorkers)
        html.markup("<form method=\"get\" class=\"inline filters\">\n  <label for=\"status\">")
        html.text(t("field_referral_status"))
        html.markup("</label><select id=\"status\" name=\"status\"><option value=\"\">")
        html.text(t("all"))
        html.markup("</option>")
        html.options(
            ReferralStatus.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.status) })
        html.markup("</select> <button type=\"submit\">")
        html.text(t("filter"))
        html.markup("</button>\n</form>\n")
        if m.rows.isEmpty {
            html.paragraph(t("referrals_none"))
            return html
        }
        html.markup("<div class=\"scroll\"><table class=\"list\" id=\"referrals\">")
        html.tableHead([
            t("field_referral"), t("field_person_ref"), t("field_service"), t("field_urgency"),
            t("field_referral_status"),
            t("field_follow_up_on"),
        ])
        html.markup("<tbody>")
        for row in m.rows {
            html.markup("<tr><th scope=\"row\">")
            html.link(.referral(code, .value(row.id)), row.label, "dir=\"ltr\"")
            html.markup("</th><td><bdi>")
            html.text(row.personRef)
            html.markup("</bdi>")
            if row.rfl { html.markup(" <span class=\"tag\">RFL</span>") }
            html.markup("</td><td>")
            html.text(row.service)
            html.markup("</td><td>")
            html.markup(row.urgency == .high ? "<span class=\"tag serious\">" : "<span class=\"tag\">")
            html.text(t(row.urgency.labelKey))
            html.markup("</span></td><td>")
            html.text(t(row.status.labelKey))
            html.markup("</td><td dir=\"ltr\">")
            if let day = row.followUpOn, row.status.isOpen {
                if day < m.today { html.markup("<strong class=\"overdue\">") }
                html.text(DateText.day(day))
                if day < m.today { html.markup("</strong>") }
            }
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table></div>\n")
        html.pager(t, m.paging, base: .referrals(code), query: m.status.map { [("status", $0.rawValue)] } ?? [])
        return html
    }
}

/// The referral figures: per service, by status, and the days to acceptance. Never a person.
public enum ReferralFigures {
    public struct Model: Sendable {
        public struct Row: Sendable {
            public let service: String
            public let counts: [String]
            public let total: String
            public let medianDays: String
            public init(service: String, counts: [String], total: String, medianDays: String) {
                self.service = service
                self.counts = counts
                self.total = total
                self.medianDays = medianDays
            }
        }
        public let code: String
        public let rows: [Row]
        /// Counts under 5 shown as "<5".
        public let suppressed: Bool
        public let asOf: Date
        public let canSeeReferrals: Bool
        public let canNameCaseWorkers: Bool

        public init(
            code: String, rows: [Row], suppressed: Bool, asOf: Date, canSeeReferrals: Bool, canNameCaseWorkers: Bool
        ) {
            self.code = code
            self.rows = rows
            self.suppressed = suppressed
            self.asOf = asOf
            self.canSeeReferrals = canSeeReferrals
            self.canNameCaseWorkers = canNameCaseWorkers
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("services_title"), .services(code))])
        html.markup("<h1>")
        html.text(t("referral_figures_title"))
        html.markup("</h1>\n<p>")
        html.text(t("referral_figures_intro"))
        if m.suppressed {
            html.markup(" ")
            html.text(t("referral_figures_suppressed"))
        }
        html.markup("</p>\n")
        html.referralNav(t, code: code, referrals: m.canSeeReferrals, caseWorkers: m.canNameCaseWorkers)
        html.markup("<p class=\"source\">")
        html.text(t("referral_figures_source") + " " + t.minute(m.asOf) + " · ")
        html.markup("<a href=\"")
        html.text(SiteURL.referralFiguresExport(code).path)
        html.markup("\">CSV</a></p>\n")
        if m.rows.isEmpty {
            html.paragraph(t("referrals_none"))
            return html
        }
        html.markup("<div class=\"scroll\"><table class=\"list\" id=\"referral-figures\">")
        html.tableHead(
            [t("field_service")] + ReferralStatus.allCases.map { t($0.labelKey) } + [
                t("referral_figures_total"), t("referral_figures_median_days"),
            ])
        html.markup("<tbody>")
        for row in m.rows {
            html.markup("<tr><th scope=\"row\">")
            html.text(row.service)
            html.markup("</th>")
            for count in row.counts + [row.total, row.medianDays] {
                // Isolated left to right: "<5" must not turn into "5>" in Arabic.
                html.markup("<td class=\"number\" dir=\"ltr\">")
                html.text(count)
                html.markup("</td>")
            }
            html.markup("</tr>")
        }
        html.markup("</tbody></table></div>\n")
        return html
    }
}

/// The form that makes a referral.
public enum ReferralForm {
    public struct Model: Sendable {
        public let code: String
        public let values: ReferralInput
        public let errors: [String: String]
        public let services: [(id: ServiceID, name: String, consentRequired: Bool)]
        public let caseWorkers: [(id: UserID, name: String)]
        public let approvers: [(id: UserID, name: String)]

        public init(
            code: String, values: ReferralInput, errors: [String: String],
            services: [(id: ServiceID, name: String, consentRequired: Bool)], caseWorkers: [(id: UserID, name: String)],
            approvers: [(id: UserID, name: String)]
        ) {
            self.code = code
            self.values = values
            self.errors = errors
            self.services = services
            self.caseWorkers = caseWorkers
            self.approvers = approvers
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, v = m.values, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("referrals_title"), .referrals(code))])
        html.markup("<h1>")
        html.text(t("referrals_new"))
        html.markup("</h1>\n<p>")
        html.text(t("referrals_form_intro"))
        html.markup("</p>\n")
        html.formErrors(t, m.errors)
        html.markup("<form method=\"post\" class=\"stack\" action=\"")
        html.url(.referrals(code))
        html.markup("\">")
        html.csrfField(page.csrf)
        func label(_ name: String, _ key: String) {
            html.markup("\n  <label")
            html.attribute("for", name)
            html.markup(">")
            html.text(t(key))
            html.markup("</label>\n  ")
        }
        // The register's labelled fields (PeopleViews), named by catalogue key here.
        func input(_ name: String, _ key: String, _ value: String, _ extra: StaticString = "") {
            html.field(name, label: t(key), value: value, errors: m.errors, attributes: extra)
        }
        func select(_ name: String, _ key: String, _ choices: [Choice], empty: String? = nil) {
            html.select(name, label: t(key), choices, blank: empty, errors: m.errors)
        }
        input("person_ref", "field_person_ref", v.personRef, "required dir=\"ltr\" autocomplete=\"off\"")
        html.markup("<small class=\"help\">")
        html.text(t("help_person_ref"))
        html.markup("</small>")
        select(
            "service", "field_service",
            m.services.map {
                Choice(
                    value: $0.id.uuidString,
                    label: $0.name + ($0.consentRequired ? " · " + t("services_consent_required") : ""),
                    selected: $0.id.uuidString == v.service)
            }, empty: t("referrals_choose_service"))
        // By UNHCR's categories, each code with its meaning; closed but for the categories already ticked.
        html.markup("\n  <fieldset><legend>")
        html.text(t("field_specific_needs"))
        html.markup("</legend>")
        var categories: [String] = []
        for need in SpecificNeed.allCases where !categories.contains(need.categoryKey) {
            categories.append(need.categoryKey)
        }
        for category in categories {
            let needs = SpecificNeed.allCases.filter { $0.categoryKey == category }
            html.markup(
                needs.contains { v.needs.contains($0.rawValue) } ? "<details open><summary>" : "<details><summary>")
            html.text(t(category))
            html.markup("</summary>")
            for need in needs {
                html.markup("<label class=\"check\"><input type=\"checkbox\" name=\"needs[]\"")
                html.attribute("value", need.rawValue)
                html.markup(v.needs.contains(need.rawValue) ? " checked> " : "> ")
                html.markup("<span dir=\"ltr\" class=\"code\">")
                html.text(need.rawValue)
                html.markup("</span> ")
                html.text(t(need.labelKey))
                html.markup("</label>")
            }
            html.markup("</details>")
        }
        html.markup("</fieldset>")
        html.fieldError(m.errors, "needs")
        label("need_note", "field_need_note")
        html.markup("<textarea id=\"need_note\" name=\"need_note\" rows=\"3\">")
        html.text(v.needNote)
        html.markup("</textarea>")
        html.fieldError(m.errors, "need_note")
        select(
            "urgency", "field_urgency",
            ReferralUrgency.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.urgency)
            })
        html.markup("\n  <fieldset><legend>")
        html.text(t("referrals_consent"))
        html.markup("</legend>")
        select(
            "consent", "field_consent",
            ConsentStatus.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.consent)
            },
            empty: t("referrals_choose_consent"))
        input("consent_by", "field_consent_by", v.consentBy)
        input("consent_on", "field_consent_on", v.consentOn, "type=\"date\" dir=\"ltr\"")
        select(
            "name_consent", "field_name_consent",
            [
                Choice(value: "no", label: t("no"), selected: v.nameConsent != "yes"),
                Choice(value: "yes", label: t("yes"), selected: v.nameConsent == "yes"),
            ])
        input("person_name", "field_person_name", v.personName, "autocomplete=\"off\"")
        html.markup("<p class=\"help\">")
        html.text(t("help_override"))
        html.markup("</p>")
        input("override_reason", "field_override_reason", v.overrideReason)
        select(
            "override_approver", "field_override_approver",
            m.approvers.map {
                Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.overrideApprover)
            },
            empty: "—")
        html.markup("\n  </fieldset>\n  <fieldset><legend>")
        html.text(t("referrals_rfl"))
        html.markup("</legend><p class=\"help\">")
        html.text(t("help_rfl"))
        html.markup("</p>")
        select(
            "rfl", "field_rfl",
            [
                Choice(value: "no", label: t("no"), selected: v.rfl != "yes"),
                Choice(value: "yes", label: t("yes"), selected: v.rfl == "yes"),
            ])
        select(
            "tracing_agency", "field_tracing_agency",
            TracingAgency.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.tracingAgency)
            },
            empty: "—")
        input(
            "tracing_case_number", "field_tracing_case_number", v.tracingCaseNumber, "dir=\"ltr\" autocomplete=\"off\"")
        html.markup("\n  </fieldset>")
        select(
            "assigned_to", "field_assigned_to",
            m.caseWorkers.map {
                Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.assignedTo)
            },
            empty: t("referrals_assign_me"))
        input("follow_up_on", "field_follow_up", v.followUpOn, "type=\"date\" dir=\"ltr\"")
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("referrals_save_draft"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

/// One referral, its steps, and what the reader may do next.
public enum ReferralPage {
    public struct Model: Sendable {
        public struct Step: Sendable {
            public let at: Date
            public let by: String
            public let to: ReferralStatus
            public let note: String?
            public init(at: Date, by: String, to: ReferralStatus, note: String?) {
                self.at = at
                self.by = by
                self.to = to
                self.note = note
            }
        }
        public let code: String
        public let summary: ReferralSummary
        public let needs: [SpecificNeed]
        public let needNote: String?
        public let consent: ConsentStatus
        public let consentBy: String
        public let consentOn: Date
        public let overrideReason: String?
        public let overrideApprover: String?
        public let tracing: String?
        public let assignedTo: String?
        public let outcome: String?
        public let steps: [Step]
        /// Whom the coordinator may give the follow-up to; empty for anyone else.
        public var assignable: [(id: UserID, name: String)] = []

        public init(
            code: String, summary: ReferralSummary, needs: [SpecificNeed], needNote: String?, consent: ConsentStatus,
            consentBy: String, consentOn: Date, overrideReason: String?, overrideApprover: String?, tracing: String?,
            assignedTo: String?, outcome: String?, steps: [Step]
        ) {
            self.code = code
            self.summary = summary
            self.needs = needs
            self.needNote = needNote
            self.consent = consent
            self.consentBy = consentBy
            self.consentOn = consentOn
            self.overrideReason = overrideReason
            self.overrideApprover = overrideApprover
            self.tracing = tracing
            self.assignedTo = assignedTo
            self.outcome = outcome
            self.steps = steps
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), s = m.summary, id = Parameter.value(s.id)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("referrals_title"), .referrals(code))])
        html.markup("<h1 dir=\"auto\">")
        html.text(s.label + " · " + s.service)
        html.markup("</h1>\n<p><span class=\"tag\" id=\"referral-status\">")
        html.text(t(s.status.labelKey))
        html.markup("</span> ")
        html.markup(s.urgency == .high ? "<span class=\"tag serious\">" : "<span class=\"tag\">")
        html.text(t(s.urgency.labelKey))
        html.markup("</span></p>\n<dl class=\"facts\">\n")
        html.fact(t("field_person_ref"), s.personRef, "dir=\"ltr\"")
        if let name = s.personName { html.fact(t("field_person_name"), name) }
        if !m.needs.isEmpty {
            html.fact(
                t("field_specific_needs"),
                m.needs.map { $0.rawValue + " " + t($0.labelKey) }.joined(separator: ", "))
        }
        if let note = m.needNote { html.fact(t("field_need_note"), note, "class=\"notes\"") }
        html.fact(t("field_consent"), t(m.consent.labelKey) + " · " + m.consentBy + " · " + DateText.day(m.consentOn))
        if let reason = m.overrideReason {
            html.fact(t("field_override_reason"), reason + (m.overrideApprover.map { " (" + $0 + ")" } ?? ""))
        }
        if let tracing = m.tracing { html.fact(t("field_tracing_case_number"), tracing, "dir=\"ltr\"") }
        if let worker = m.assignedTo { html.fact(t("field_assigned_to"), worker) }
        if let day = s.followUpOn { html.fact(t("field_follow_up_on"), DateText.day(day), "dir=\"ltr\"") }
        if let outcome = m.outcome { html.fact(t("field_outcome"), outcome, "class=\"notes\"") }
        html.markup("</dl>\n")
        if s.status.isOpen || !s.status.next.isEmpty {
            html.markup("<section id=\"referral-steps\"><h2>")
            html.text(t("referrals_next_step"))
            html.markup("</h2><form method=\"post\" class=\"stack\" action=\"")
            html.url(.referralStatus(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<label for=\"to\">")
            html.text(t("field_referral_status"))
            html.markup("</label><select id=\"to\" name=\"to\">")
            html.options(s.status.next.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: false) })
            html.markup("</select><label for=\"note\">")
            html.text(t("field_outcome_note"))
            html.markup("</label><textarea id=\"note\" name=\"note\" rows=\"2\"></textarea><button type=\"submit\">")
            html.text(t("referrals_record_step"))
            html.markup("</button></form>")
            if s.status.isOpen {
                html.markup("<form method=\"post\" class=\"stack\" action=\"")
                html.url(.referralFollowUp(code, id))
                html.markup("\">")
                html.csrfField(page.csrf)
                html.markup("<label for=\"follow_up_on\">")
                html.text(t("field_follow_up_on"))
                html.markup("</label><input id=\"follow_up_on\" name=\"follow_up_on\" type=\"date\" dir=\"ltr\"")
                html.attribute("value", s.followUpOn.map(DateText.day) ?? "")
                html.markup("><button type=\"submit\">")
                html.text(t("form_save"))
                html.markup("</button></form><form method=\"post\" class=\"stack\" action=\"")
                html.url(.referralWithdraw(code, id))
                html.markup("\">")
                html.csrfField(page.csrf)
                html.markup("<label for=\"withdraw-note\">")
                html.text(t("referrals_withdraw_note"))
                html.markup(
                    "</label><input id=\"withdraw-note\" name=\"note\"><button type=\"submit\" class=\"danger\">")
                html.text(t("referrals_withdraw"))
                html.markup("</button></form>")
            }
            html.markup("</section>\n")
        }
        if !m.assignable.isEmpty, s.status.isOpen {
            html.markup("<form method=\"post\" class=\"inline\" id=\"referral-assign\" action=\"")
            html.url(.referralAssign(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<label for=\"assign-to\">")
            html.text(t("field_assigned_to"))
            html.markup("</label> <select id=\"assign-to\" name=\"to\">")
            html.options(
                m.assignable.map { Choice(value: $0.id.uuidString, label: $0.name, selected: $0.name == m.assignedTo) })
            html.markup("</select> <button type=\"submit\">")
            html.text(t("form_save"))
            html.markup("</button></form>\n")
        }
        html.markup("<section id=\"referral-timeline\"><h2>")
        html.text(t("referrals_timeline"))
        html.markup("</h2><ol class=\"timeline\">")
        for step in m.steps {
            html.markup("<li><span dir=\"ltr\">")
            html.text(t.minute(step.at))
            html.markup("</span> · ")
            html.text(t(step.to.labelKey))
            html.markup(" · <bdi>")
            html.text(step.by)
            html.markup("</bdi>")
            if let note = step.note {
                html.markup("<br><bdi>")
                html.text(note)
                html.markup("</bdi>")
            }
            html.markup("</li>")
        }
        html.markup("</ol></section>\n")
        return html
    }
}

/// The caseworkers the coordinator names: who may make and follow up referrals.
public enum CaseWorkersPage {
    public struct Model: Sendable {
        public let code: String
        public let named: [(id: UserID, name: String)]
        public let candidates: [(id: UserID, name: String)]
        public init(code: String, named: [(id: UserID, name: String)], candidates: [(id: UserID, name: String)]) {
            self.code = code
            self.named = named
            self.candidates = candidates
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("referrals_title"), .referrals(code))])
        html.markup("<h1>")
        html.text(t("case_workers_title"))
        html.markup("</h1>\n<p>")
        html.text(t("case_workers_intro"))
        html.markup("</p>\n<ul id=\"case-workers\">")
        if m.named.isEmpty {
            html.markup("<li>")
            html.text(t("case_workers_none"))
            html.markup("</li>")
        }
        for worker in m.named {
            html.markup("<li><form method=\"post\" class=\"inline\" action=\"")
            html.url(.referralCaseWorkers(code))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.text(worker.name)
            html.markup(" <input type=\"hidden\" name=\"named\" value=\"no\"><input type=\"hidden\" name=\"user\"")
            html.attribute("value", worker.id.uuidString)
            html.markup("><button type=\"submit\">")
            html.text(t("case_workers_remove"))
            html.markup("</button></form></li>")
        }
        html.markup("</ul>\n")
        if !m.candidates.isEmpty {
            html.markup("<form method=\"post\" class=\"inline\" action=\"")
            html.url(.referralCaseWorkers(code))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<input type=\"hidden\" name=\"named\" value=\"yes\"><label for=\"user\">")
            html.text(t("case_workers_add"))
            html.markup("</label><select id=\"user\" name=\"user\">")
            html.options(m.candidates.map { Choice(value: $0.id.uuidString, label: $0.name, selected: false) })
            html.markup("</select><button type=\"submit\" class=\"primary\">")
            html.text(t("case_workers_name"))
            html.markup("</button></form>\n")
        }
        return html
    }
}
