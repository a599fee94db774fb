import Domain
import Foundation

/// A critical incident as the list and the dashboard show it.
public struct CriticalIncidentLine: Sendable {
    public let id: UUID
    public let number: Int
    public let level: CriticalIncidentLevel
    public let what: String
    public let callBackAt: Date
    public let open: Bool
    public let openedAt: Date
    public init(
        id: UUID, number: Int, level: CriticalIncidentLevel, what: String, callBackAt: Date, open: Bool, openedAt: Date
    ) {
        self.id = id
        self.number = number
        self.level = level
        self.what = what
        self.callBackAt = callBackAt
        self.open = open
        self.openedAt = openedAt
    }
}

extension HTML {
    /// The call-back clock: the time agreed, and (with countdown.js) the time left, red once passed.
    mutating func callBackClock(_ at: Date, now: Date, _ t: Strings) {
        let late = at < now
        markup("<p")
        attribute("class", late ? "call-back late" : "call-back")
        attribute("data-deadline", ISO8601DateFormatter().string(from: at))
        attribute("data-ahead", t("ci_call_back_in"))
        attribute("data-late", t("ci_call_back_late"))
        markup("><strong>")
        text(t("ci_call_back_at"))
        markup("</strong> ")
        text(t.isolatedMinute(at))
        markup(" <span class=\"left\">")
        if late { text(t("ci_call_back_overdue")) }
        markup("</span></p>")
    }

    mutating func levelTag(_ level: CriticalIncidentLevel, _ t: Strings) {
        markup("<span")
        attribute("class", level == .minor ? "tag" : "tag serious")
        markup(">")
        text(t(level.labelKey))
        markup("</span>")
    }

    /// A labelled textarea of a `stack` form, with its error.
    mutating func area(_ name: String, label: String, value: String, rows: Int = 3, errors: [String: String]) {
        markup("\n  <label")
        attribute("for", name)
        markup(">")
        text(label)
        markup("</label><textarea")
        attribute("id", name)
        attribute("name", name)
        attribute("rows", String(rows))
        markup(">")
        text(value)
        markup("</textarea>")
        fieldError(errors, name)
    }

    /// Radio buttons of one name, the chosen one checked.
    mutating func radios(_ name: String, legend: String, _ choices: [Choice], errors: [String: String]) {
        markup("\n  <fieldset><legend>")
        text(legend)
        markup("</legend>")
        for choice in choices {
            markup("<label class=\"check\"><input type=\"radio\"")
            attribute("name", name)
            attribute("value", choice.value)
            markup(choice.selected ? " checked> " : "> ")
            text(choice.label)
            markup("</label>")
        }
        markup("</fieldset>")
        fieldError(errors, name)
    }
}

/// The critical incidents the reader reaches, open first.
public enum CriticalIncidentsPage {
    public struct Model: Sendable {
        public let code: String
        public let canOpen: Bool
        public let incidents: [CriticalIncidentLine]
        public let now: Date
        public init(code: String, canOpen: Bool, incidents: [CriticalIncidentLine], now: Date) {
            self.code = code
            self.canOpen = canOpen
            self.incidents = incidents
            self.now = now
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [])
        html.markup("<h1>")
        html.text(t("ci_title"))
        html.markup("</h1>\n<p><small>")
        html.text(t("ci_restricted"))
        html.markup("</small></p>\n")
        if m.canOpen {
            html.markup("<p>")
            html.link(.newCriticalIncident(code), t("ci_first_call"), "class=\"button primary\"")
            html.markup("</p>\n")
        }
        if m.incidents.isEmpty { html.paragraph(t("ci_none")) }
        html.markup("<ul class=\"plain alerts\">")
        for ci in m.incidents.sorted(by: { ($0.open ? 0 : 1, $1.openedAt) < ($1.open ? 0 : 1, $0.openedAt) }) {
            html.markup("<li>")
            html.levelTag(ci.level, t)
            html.markup(" <strong>")
            html.link(
                .criticalIncident(code, .value(ci.id)),
                t("ci_name").replacingOccurrences(of: "{n}", with: String(ci.number)))
            // What the caller said, in whatever language and direction it was written.
            html.markup("</strong> · <bdi>")
            html.text(String(String(ci.what.split(separator: "\n").first ?? "").prefix(120)))
            html.markup("</bdi> <small>")
            html.text(t(ci.open ? "ci_open" : "ci_stood_down") + " · " + t.isolatedMinute(ci.openedAt))
            html.markup("</small>")
            if ci.open { html.callBackClock(ci.callBackAt, now: m.now, t) }
            html.markup("</li>")
        }
        html.markup("</ul>\n<script src=\"")
        html.url(.countdownScript)
        html.markup("\" defer></script>\n")
        return html
    }
}

/// The first call, on one screen a coordinator fills in while on the phone: the 5 Ws, the caller
/// and the call-back, the risk to life, the level, the incident it concerns.
public enum FirstCallForm {
    public struct Model: Sendable {
        public let code: String
        public let input: CriticalIncidentInput
        public let people: [Choice]
        public let areas: [Choice]
        public let incidents: [Choice]
        public let errors: [String: String]
        public init(
            code: String, input: CriticalIncidentInput, people: [Choice], areas: [Choice], incidents: [Choice],
            errors: [String: String]
        ) {
            self.code = code
            self.input = input
            self.people = people
            self.areas = areas
            self.incidents = incidents
            self.errors = errors
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), input = m.input, e = m.errors
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("ci_title"), .criticalIncidents(code))])
        html.markup("<h1>")
        html.text(t("ci_first_call"))
        html.markup("</h1>\n<p class=\"notice\">")
        html.text(t("ci_procedure"))
        html.markup("</p>\n")
        html.formErrors(t, e)
        html.markup("<form method=\"post\" class=\"stack\" action=\"")
        html.url(.criticalIncidents(code))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.field("caller_name", label: t("ci_caller_name"), value: input.callerName, errors: e)
        html.field(
            "caller_phone", label: t("ci_caller_phone"), value: input.callerPhone, errors: e,
            attributes: "type=\"tel\" dir=\"ltr\"")
        html.field(
            "call_back_minutes", label: t("ci_call_back_minutes"), value: input.callBackMinutes, errors: e,
            attributes: "inputmode=\"numeric\" dir=\"ltr\"")
        html.fieldError(e, "call_back_at")
        html.markup("\n  <h2>")
        html.text(t("ci_five_ws"))
        html.markup("</h2>")
        html.multiSelect("who_people", label: t("ci_who_people"), m.people, errors: e)
        html.field("who_text", label: t("ci_who_text"), value: input.whoText, errors: e)
        html.area("what", label: t("ci_what"), value: input.what, rows: 4, errors: e)
        html.field("where_text", label: t("ci_where"), value: input.whereText, errors: e)
        html.select("area_pcode", label: t("ci_area"), m.areas, blank: "—", errors: e)
        html.field(
            "occurred_at", label: t("ci_occurred_at"), value: input.occurredAt, errors: e,
            attributes: "type=\"datetime-local\"")
        html.field(
            "known_at", label: t("ci_known_at"), value: input.knownAt, errors: e, attributes: "type=\"datetime-local\"")
        html.area("why", label: t("ci_why"), value: input.why, rows: 2, errors: e)
        html.radios(
            "risk_to_life", legend: t("ci_risk_to_life"),
            RiskToLife.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == input.riskToLife)
            },
            errors: e)
        html.radios(
            "level", legend: t("ci_level"),
            CriticalIncidentLevel.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == input.level)
            }, errors: e)
        html.select("incident_id", label: t("ci_incident"), m.incidents, blank: "—", errors: e)
        html.select(
            "incident_category", label: t("ci_create_incident"),
            IncidentCategory.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == input.incidentCategory)
            }, blank: "—", errors: e)
        html.submitButton(t("ci_open_action"))
        return html
    }
}

/// One critical incident: the call-back clock, the 5 Ws, the escalation, the team and their
/// acknowledgements, the people involved, the roll-call, the crisis log and its new entry, stand-down
/// and review. Everything a change needs is on this one page; every change is a log entry.
public enum CriticalIncidentPage {
    public struct TeamMember: Sendable {
        public let name: String, role: String, phone: String, email: String
        public let deliveries: [(channel: AlertChannel, state: DeliveryState, reason: String)]
        public let acknowledgedAt: Date?
        public init(
            name: String, role: String, phone: String, email: String,
            deliveries: [(channel: AlertChannel, state: DeliveryState, reason: String)], acknowledgedAt: Date?
        ) {
            self.name = name
            self.role = role
            self.phone = phone
            self.email = email
            self.deliveries = deliveries
            self.acknowledgedAt = acknowledgedAt
        }
    }

    public struct Person: Sendable {
        public let id: UUID, name: String, status: InvolvedStatus, familyLiaison: String, note: String
        public let updatedAt: Date
        public init(
            id: UUID, name: String, status: InvolvedStatus, familyLiaison: String, note: String, updatedAt: Date
        ) {
            self.id = id
            self.name = name
            self.status = status
            self.familyLiaison = familyLiaison
            self.note = note
            self.updatedAt = updatedAt
        }
    }

    public struct Entry: Sendable {
        public let id: UUID, sequence: Int, kind: CrisisLogKind, at: Date, text: String
        public let decidedBy: String, reason: String, owner: String, dueAt: Date?, attendees: String
        /// The sequence of the entry this one corrects or closes.
        public let refersTo: Int?
        /// Later entries that correct this one, or close it (an action).
        public let correctedBy: [Int]
        public let doneBy: Int?
        public let recordedBy: String
        public init(
            id: UUID, sequence: Int, kind: CrisisLogKind, at: Date, text: String, decidedBy: String, reason: String,
            owner: String, dueAt: Date?, attendees: String, refersTo: Int?, correctedBy: [Int], doneBy: Int?,
            recordedBy: String
        ) {
            self.id = id
            self.sequence = sequence
            self.kind = kind
            self.at = at
            self.text = text
            self.decidedBy = decidedBy
            self.reason = reason
            self.owner = owner
            self.dueAt = dueAt
            self.attendees = attendees
            self.refersTo = refersTo
            self.correctedBy = correctedBy
            self.doneBy = doneBy
            self.recordedBy = recordedBy
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let operationName: String
        public let id: UUID
        public let number: Int
        public let draft: CriticalIncidentDraft
        public let area: String?
        public let incident: (id: IncidentID, title: String)?
        public let gsu: (contact: String, at: Date, advice: String)?
        public let activation: (activated: Bool, decidedBy: String, at: Date, reason: String)?
        public let planVersion: Int?
        public let hasApprovedPlan: Bool
        public let team: [TeamMember]
        public let people: [Person]
        public let rollCall: RollCallID?
        public let standDown: (at: Date, by: String, note: String)?
        public let review: (lessons: String, followed: ProceduresFollowed, planChanges: String, at: Date)?
        public let log: [Entry]
        public let registerPeople: [Choice]
        public let areas: [Choice]
        public let now: Date
        public let errors: [String: String]
        public let logInput: CrisisLogInput

        public init(
            code: String, operationName: String, id: UUID, number: Int, draft: CriticalIncidentDraft, area: String?,
            incident: (id: IncidentID, title: String)?, gsu: (contact: String, at: Date, advice: String)?,
            activation: (activated: Bool, decidedBy: String, at: Date, reason: String)?, planVersion: Int?,
            hasApprovedPlan: Bool, team: [TeamMember], people: [Person], rollCall: RollCallID?,
            standDown: (at: Date, by: String, note: String)?,
            review: (lessons: String, followed: ProceduresFollowed, planChanges: String, at: Date)?, log: [Entry],
            registerPeople: [Choice], areas: [Choice], now: Date, errors: [String: String], logInput: CrisisLogInput
        ) {
            self.code = code
            self.operationName = operationName
            self.id = id
            self.number = number
            self.draft = draft
            self.area = area
            self.incident = incident
            self.gsu = gsu
            self.activation = activation
            self.planVersion = planVersion
            self.hasApprovedPlan = hasApprovedPlan
            self.team = team
            self.people = people
            self.rollCall = rollCall
            self.standDown = standDown
            self.review = review
            self.log = log
            self.registerPeople = registerPeople
            self.areas = areas
            self.now = now
            self.errors = errors
            self.logInput = logInput
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), id = Parameter.value(m.id), e = m.errors
        let open = m.standDown == nil
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("ci_title"), .criticalIncidents(code))])
        html.markup("<h1>")
        html.text(t("ci_name").replacingOccurrences(of: "{n}", with: String(m.number)))
        html.markup(" ")
        html.levelTag(m.draft.level, t)
        html.markup("</h1>\n<p><small>")
        html.text(t("ci_restricted") + " · ")
        html.link(.criticalIncidentPrint(code, id), t("ci_print"))
        html.markup("</small></p>\n")
        html.formErrors(t, e)

        // The call-back.
        html.markup("<section class=\"panel\"><h2>")
        html.text(t("ci_caller"))
        html.markup("</h2><p>")
        html.text(m.draft.callerName + " · ")
        html.markup("<a dir=\"ltr\"")
        html.attribute("href", "tel:" + m.draft.callerPhone.filter { $0.isNumber || $0 == "+" })
        html.markup(">")
        html.text(m.draft.callerPhone)
        html.markup("</a></p>")
        if open {
            html.callBackClock(m.draft.callBackAt, now: m.now, t)
            html.markup("<form method=\"post\" class=\"inline\" action=\"")
            html.url(.criticalIncident(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<label for=\"next_call_back\">")
            html.text(t("ci_next_call_back"))
            html.markup(
                "</label> <input id=\"next_call_back\" name=\"call_back_minutes\" inputmode=\"numeric\" dir=\"ltr\" size=\"4\" value=\"30\"> <button type=\"submit\" class=\"small\">"
            )
            html.text(t("ci_set_call_back"))
            html.markup("</button></form>")
            html.fieldError(e, "call_back_at")
        }
        html.markup("</section>\n")

        // The 5 Ws.
        html.markup("<section><h2>")
        html.text(t("ci_five_ws"))
        html.markup("</h2><dl class=\"facts\">")
        func fact(_ label: String, _ value: String) {
            guard !value.isEmpty else { return }
            html.markup("<dt>")
            html.text(label)
            html.markup("</dt><dd dir=\"auto\">")
            html.text(value)
            html.markup("</dd>")
        }
        fact(t("ci_who"), ([m.draft.whoText] + m.people.map(\.name)).filter { !$0.isEmpty }.joined(separator: ", "))
        fact(t("ci_what"), m.draft.what)
        fact(t("ci_where"), m.draft.whereText + (m.area.map { " · \($0)" } ?? ""))
        fact(t("ci_occurred_at"), t.isolatedMinute(m.draft.occurredAt))
        fact(t("ci_known_at"), t.isolatedMinute(m.draft.knownAt))
        fact(t("ci_why"), m.draft.why)
        fact(t("ci_risk_to_life"), t(m.draft.riskToLife.labelKey))
        html.markup("</dl>")
        if let incident = m.incident {
            html.markup("<p>")
            html.text(t("ci_incident") + ": ")
            html.link(.incident(code, .value(incident.id)), incident.title)
            html.markup("</p>")
        }
        html.markup("</section>\n")

        // Escalation: the GSU, then the CIMT.
        html.markup("<section><h2>")
        html.text(t("ci_escalation"))
        html.markup("</h2>")
        if let gsu = m.gsu {
            html.markup("<p><strong>")
            html.text(t("ci_gsu_consulted"))
            html.markup("</strong> ")
            html.text(gsu.contact + " · " + t.isolatedMinute(gsu.at))
            html.markup("<br>")
            html.text(gsu.advice)
            html.markup("</p>")
        }
        if open {
            html.markup("<details")
            html.markup(m.gsu == nil ? " open><summary>" : "><summary>")
            html.text(t("ci_gsu_form"))
            html.markup("</summary><form method=\"post\" class=\"stack\" action=\"")
            html.url(.criticalIncidentGSU(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.field("gsu_contact", label: t("ci_gsu_contact"), value: "", errors: e)
            html.field("gsu_at", label: t("ci_at"), value: "", errors: e, attributes: "type=\"datetime-local\"")
            html.area("gsu_advice", label: t("ci_gsu_advice"), value: "", errors: e)
            html.submitButton(t("ci_record"), closing: "</form></details>\n")
        }
        if let a = m.activation {
            html.markup("<p><strong>")
            html.text(t(a.activated ? "ci_cimt_activated" : "ci_cimt_not_activated"))
            html.markup("</strong> ")
            html.text(a.decidedBy + " · " + t.isolatedMinute(a.at) + " · " + a.reason)
            html.markup("</p>")
        }
        if open && m.activation?.activated != true {
            html.markup("<form method=\"post\" class=\"stack\" action=\"")
            html.url(.criticalIncidentActivation(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            if !m.hasApprovedPlan {
                html.markup("<p class=\"error\">")
                html.text(t("ci_no_plan"))
                html.markup("</p>")
            }
            html.radios(
                "activate", legend: t("ci_cimt_decision"),
                [
                    Choice(value: "yes", label: t("ci_activate_yes"), selected: true),
                    Choice(value: "no", label: t("ci_activate_no"), selected: false),
                ], errors: e)
            html.field("decided_by", label: t("ci_decided_by"), value: "", errors: e)
            html.area("reason", label: t("ci_reason"), value: "", rows: 2, errors: e)
            html.submitButton(t("ci_record_decision"))
        }
        if !m.team.isEmpty {
            html.markup("<h3>")
            html.text(
                t("ci_team")
                    + (m.planVersion.map {
                        " · " + t("ci_plan_version").replacingOccurrences(of: "{n}", with: String($0))
                    } ?? ""))
            html.markup("</h3><div class=\"scroll\"><table><thead><tr>")
            for label in [t("field_name"), t("ci_team_role"), t("ci_contact"), t("ci_call_out"), t("ci_acknowledged")] {
                html.markup("<th scope=\"col\">")
                html.text(label)
                html.markup("</th>")
            }
            html.markup("</tr></thead><tbody>")
            for member in m.team {
                html.markup("<tr><td>")
                html.text(member.name)
                html.markup("</td><td>")
                html.text(member.role)
                html.markup("</td><td dir=\"ltr\">")
                html.text(member.phone)
                if !member.email.isEmpty {
                    html.markup("<br>")
                    html.text(member.email)
                }
                html.markup("</td><td>")
                for d in member.deliveries {
                    html.markup("<span")
                    html.attribute("class", "tag delivery-\(d.state.rawValue)")
                    html.attribute("title", d.reason)
                    html.markup(">")
                    html.text(t(d.channel.labelKey) + " · " + t(d.state.labelKey))
                    html.markup("</span> ")
                }
                html.markup("</td><td>")
                if let at = member.acknowledgedAt {
                    html.markup("<span class=\"tag answer-safe\">")
                    html.text(t("alert_answer.acknowledged"))
                    html.markup("</span> <small>")
                    html.text(t.isolatedMinute(at))
                    html.markup("</small>")
                } else {
                    html.markup("<span class=\"tag delivery-queued\">")
                    html.text(t("ci_not_acknowledged"))
                    html.markup("</span>")
                }
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div>")
        }
        html.markup("</section>\n")

        // People involved.
        html.markup("<section><h2>")
        html.text(t("ci_people"))
        html.markup("</h2>")
        for person in m.people {
            html.markup("<form method=\"post\" class=\"person-status\" action=\"")
            html.url(.criticalIncidentPeople(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<input type=\"hidden\" name=\"row\"")
            html.attribute("value", person.id.uuidString)
            html.markup("><strong>")
            html.text(person.name)
            html.markup("</strong> <span")
            html.attribute("class", [.safe, .unknown].contains(person.status) ? "tag" : "tag serious")
            html.markup(">")
            html.text(t(person.status.labelKey))
            html.markup("</span>")
            if !person.familyLiaison.isEmpty {
                html.markup(" <small>")
                html.text(t("ci_family_liaison") + ": " + person.familyLiaison)
                html.markup("</small>")
            }
            if !person.note.isEmpty {
                html.markup("<br><small>")
                html.text(person.note)
                html.markup("</small>")
            }
            if open {
                html.markup("<br><select name=\"status\"")
                html.attribute("aria-label", t("ci_status") + " · " + person.name)
                html.markup(">")
                html.options(
                    InvolvedStatus.allCases.map {
                        Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == person.status)
                    })
                html.markup("</select> <input name=\"family_liaison\"")
                html.attribute("aria-label", t("ci_family_liaison") + " · " + person.name)
                html.attribute("placeholder", t("ci_family_liaison"))
                html.attribute("value", person.familyLiaison)
                html.markup("> <input name=\"note\"")
                html.attribute("aria-label", t("field_note") + " · " + person.name)
                html.attribute("placeholder", t("field_note"))
                html.markup("> <button type=\"submit\" class=\"small\">")
                html.text(t("ci_update"))
                html.markup("</button>")
            }
            html.markup("</form>")
        }
        if open {
            html.markup("<details><summary>")
            html.text(t("ci_add_person"))
            html.markup("</summary><form method=\"post\" class=\"stack\" action=\"")
            html.url(.criticalIncidentPeople(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            if !m.registerPeople.isEmpty {
                html.select("person", label: t("ci_from_register"), m.registerPeople, blank: "—", errors: e)
            }
            html.field("name", label: t("ci_or_name"), value: "", errors: e)
            html.select(
                "status", label: t("ci_status"),
                InvolvedStatus.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: false) },
                blank: nil, errors: e)
            html.field("family_liaison", label: t("ci_family_liaison"), value: "", errors: e)
            html.submitButton(t("ci_add_person"), closing: "</form></details>\n")
        }
        html.markup("</section>\n")

        // Roll-call.
        html.markup("<section><h2>")
        html.text(t("roll_calls_title"))
        html.markup("</h2>")
        if let call = m.rollCall {
            html.markup("<p>")
            html.link(.rollCall(code, .value(call)), t("ci_roll_call_open"))
            html.markup("</p>")
        } else if open && !m.areas.isEmpty {
            html.markup("<form method=\"post\" class=\"inline\" action=\"")
            html.url(.criticalIncidentRollCall(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<label for=\"roll_area\">")
            html.text(t("ci_area"))
            html.markup("</label> <select id=\"roll_area\" name=\"area\">")
            html.options(m.areas)
            html.markup("</select> <button type=\"submit\" class=\"small\">")
            html.text(t("ci_open_roll_call"))
            html.markup("</button></form>")
            html.fieldError(e, "area")
        }
        html.markup("</section>\n")

        // The log.
        html.markup("<section><h2>")
        html.text(t("ci_log"))
        html.markup("</h2>")
        html.crisisLog(m.log, t)
        html.markup("<form method=\"post\" class=\"stack\" action=\"")
        html.url(.criticalIncidentLog(code, id))
        html.markup("\"><h3>")
        html.text(t("ci_log_new"))
        html.markup("</h3>")
        html.csrfField(page.csrf)
        let li = m.logInput
        html.select(
            "kind", label: t("ci_log_kind"),
            CrisisLogKind.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == li.kind)
            },
            blank: nil, errors: e)
        html.area("text", label: t("ci_log_text"), value: li.text, errors: e)
        html.field("at", label: t("ci_at"), value: li.at, errors: e, attributes: "type=\"datetime-local\"")
        html.field("decided_by", label: t("ci_decided_by"), value: li.decidedBy, errors: e)
        html.field("reason", label: t("ci_reason"), value: li.reason, errors: e)
        html.field("owner", label: t("ci_owner"), value: li.owner, errors: e)
        html.field("due_at", label: t("ci_due_at"), value: li.dueAt, errors: e, attributes: "type=\"datetime-local\"")
        html.field("attendees", label: t("ci_attendees"), value: li.attendees, errors: e)
        html.select(
            "refers_to", label: t("ci_refers_to"),
            m.log.map {
                Choice(
                    value: $0.id.uuidString,
                    label: "#\($0.sequence) · " + t($0.kind.labelKey) + " · " + String($0.text.prefix(60)),
                    selected: $0.id.uuidString == li.refersTo)
            }, blank: "—", errors: e)
        html.submitButton(t("ci_log_add"))
        html.markup("</section>\n")

        // Stand-down and review.
        html.markup("<section><h2>")
        html.text(t("ci_stand_down"))
        html.markup("</h2>")
        if let s = m.standDown {
            html.markup("<p>")
            html.text(
                t("ci_stood_down_by").replacingOccurrences(of: "{who}", with: s.by) + " · " + t.isolatedMinute(s.at))
            if !s.note.isEmpty { html.text(" · " + s.note) }
            html.markup("</p>")
            if let r = m.review {
                html.markup("<h3>")
                html.text(t("ci_review"))
                html.markup("</h3><dl class=\"facts\">")
                fact(t("ci_lessons"), r.lessons)
                fact(t("ci_procedures_followed"), t(r.followed.labelKey))
                fact(t("ci_plan_changes"), r.planChanges)
                html.markup("</dl>")
            } else {
                html.markup("<form method=\"post\" class=\"stack\" action=\"")
                html.url(.criticalIncidentReview(code, id))
                html.markup("\"><h3>")
                html.text(t("ci_review"))
                html.markup("</h3>")
                html.csrfField(page.csrf)
                html.area("lessons", label: t("ci_lessons"), value: "", rows: 4, errors: e)
                html.radios(
                    "followed", legend: t("ci_procedures_followed"),
                    ProceduresFollowed.allCases.map {
                        Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == .yes)
                    },
                    errors: e)
                html.area("plan_changes", label: t("ci_plan_changes"), value: "", rows: 3, errors: e)
                html.submitButton(t("ci_review_save"))
            }
        } else {
            html.markup("<form method=\"post\" class=\"stack\" action=\"")
            html.url(.criticalIncidentStandDown(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.field("by", label: t("ci_stand_down_by"), value: "", errors: e)
            html.area("note", label: t("field_note"), value: "", rows: 2, errors: e)
            html.markup("<button type=\"submit\" class=\"danger\">")
            html.text(t("ci_stand_down_action"))
            html.markup("</button></form>")
        }
        html.markup("</section>\n<script src=\"")
        html.url(.countdownScript)
        html.markup("\" defer></script>\n")
        return html
    }
}

extension HTML {
    /// The crisis log in its order: each entry with its time, kind, words, and what corrects or closes it.
    mutating func crisisLog(_ log: [CriticalIncidentPage.Entry], _ t: Strings) {
        if log.isEmpty { paragraph(t("ci_log_empty")) }
        markup("<ol class=\"crisis-log\">")
        for entry in log {
            markup("<li")
            attribute("id", "entry-\(entry.sequence)")
            attribute(
                "class",
                entry.correctedBy.isEmpty ? "log-\(entry.kind.rawValue)" : "log-\(entry.kind.rawValue) corrected")
            markup("><p class=\"log-head\"><strong>#")
            text(entry.sequence)
            markup("</strong> <span class=\"tag\">")
            text(t(entry.kind.labelKey))
            markup("</span> ")
            text(t.isolatedMinute(entry.at))
            if !entry.recordedBy.isEmpty {
                markup(" <small>")
                text(t("ci_recorded_by").replacingOccurrences(of: "{who}", with: entry.recordedBy))
                markup("</small>")
            }
            markup("</p><p class=\"log-text\" dir=\"auto\">")
            text(entry.text)
            markup("</p>")
            var details: [String] = []
            if !entry.decidedBy.isEmpty { details.append(t("ci_decided_by") + ": " + entry.decidedBy) }
            if !entry.reason.isEmpty { details.append(t("ci_reason") + ": " + entry.reason) }
            if !entry.owner.isEmpty { details.append(t("ci_owner") + ": " + entry.owner) }
            if let due = entry.dueAt { details.append(t("ci_due_at") + ": " + t.isolatedMinute(due)) }
            if !entry.attendees.isEmpty { details.append(t("ci_attendees") + ": " + entry.attendees) }
            if let target = entry.refersTo {
                details.append(
                    t(entry.kind == .actionDone ? "ci_closes" : "ci_corrects").replacingOccurrences(
                        of: "{n}", with: String(target)))
            }
            if entry.kind == .action {
                details.append(
                    entry.doneBy.map { t("ci_action_done_in").replacingOccurrences(of: "{n}", with: String($0)) }
                        ?? t("ci_action_open"))
            }
            if !entry.correctedBy.isEmpty {
                details.append(
                    t("ci_corrected_by").replacingOccurrences(
                        of: "{n}", with: entry.correctedBy.map { "#\($0)" }.joined(separator: ", ")))
            }
            if !details.isEmpty {
                markup("<p class=\"log-details\"><small>")
                text(details.joined(separator: " · "))
                markup("</small></p>")
            }
            markup("</li>")
        }
        markup("</ol>")
    }
}

/// The crisis log made for paper: the header on every printed page, the 5 Ws, the log.
public enum CrisisLogPrintPage {
    public static func view(_ m: CriticalIncidentPage.Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.printFrameStart(t, operation: m.operationName, at: m.now)
        html.markup("<h1>")
        html.text(
            t("ci_name").replacingOccurrences(of: "{n}", with: String(m.number)) + " · " + t(m.draft.level.labelKey))
        html.markup("</h1><p>")
        html.text(m.draft.what)
        html.markup("</p><p><small>")
        html.text(
            [
                t("ci_where") + ": " + m.draft.whereText,
                t("ci_occurred_at") + ": " + t.isolatedMinute(m.draft.occurredAt),
                t("ci_caller") + ": " + m.draft.callerName + " " + m.draft.callerPhone,
                t("ci_risk_to_life") + ": " + t(m.draft.riskToLife.labelKey),
            ].joined(separator: " · "))
        html.markup("</small></p><h2>")
        html.text(t("ci_log"))
        html.markup("</h2>")
        html.crisisLog(m.log, t)
        html.printFrameEnd()
        return html
    }
}
