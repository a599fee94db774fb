import Domain
import Foundation

/// A meeting as the log lists it.
public struct MeetingLine: Sendable {
    public let id: MeetingID
    public let draft: MeetingDraft
    /// The representatives' names (members), then the note.
    public let representatives: [String]
    /// The attendees the reader may see, by name.
    public let attendees: [(id: StakeholderID, name: String)]
    public let actions: [ActionLine]

    public init(
        id: MeetingID, draft: MeetingDraft, representatives: [String], attendees: [(id: StakeholderID, name: String)],
        actions: [ActionLine]
    ) {
        self.id = id
        self.draft = draft
        self.representatives = representatives
        self.attendees = attendees
        self.actions = actions
    }

    public var openActions: Int { actions.filter { $0.status == .open }.count }
}

extension HTML {
    mutating func representedTag(_ m: MeetingDraft, _ t: Strings) {
        markup(m.ifrcRepresented ? "<span class=\"tag represented\">" : "<span class=\"tag overdue\">")
        text(t(m.ifrcRepresented ? "meetings_represented" : "meetings_not_represented"))
        markup("</span>")
    }
}

/// The coordination log.
public enum MeetingList {
    public struct Model: Sendable {
        public let code: String
        public let rows: [MeetingLine]
        public let kind: MeetingKind?
        public let search: String
        public let paging: PagePosition
        public let canRecord: Bool
        public init(
            code: String, rows: [MeetingLine], kind: MeetingKind?, search: String, paging: PagePosition, canRecord: Bool
        ) {
            self.code = code
            self.rows = rows
            self.kind = kind
            self.search = search
            self.paging = paging
            self.canRecord = canRecord
        }
        var query: [(String, String)] {
            var query: [(String, String)] = []
            if let kind { query.append(("kind", kind.rawValue)) }
            if !search.isEmpty { query.append(("q", search)) }
            return query
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("network_title"), .stakeholders(code))])
        html.markup("<h1>")
        html.text(t("meetings_title"))
        html.markup("</h1>\n")
        html.networkNav(t, code: code, current: "meetings_title")
        if m.canRecord {
            html.markup("<p class=\"actions\">")
            html.link(.newMeeting(code), t("meetings_new"), "class=\"button primary\"")
            html.markup("</p>\n")
        }
        html.markup("<form method=\"get\" class=\"inline filters\" role=\"search\">\n  <label for=\"q\">")
        html.text(t("meetings_search"))
        html.markup("</label><input id=\"q\" name=\"q\"")
        html.attribute("value", m.search)
        html.markup(">\n  <label for=\"kind\">")
        html.text(t("field_meeting_kind"))
        html.markup("</label><select id=\"kind\" name=\"kind\"><option value=\"\">")
        html.text(t("all"))
        html.markup("</option>")
        html.options(
            MeetingKind.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.kind) })
        html.markup("</select>\n  <button type=\"submit\">")
        html.text(t("filter"))
        html.markup("</button>\n</form>\n")
        if m.rows.isEmpty {
            html.paragraph(t("meetings_none"))
            return html
        }
        html.markup("<div class=\"scroll\"><table class=\"list\" id=\"meetings\">")
        html.tableHead([
            t("field_held_on"), t("field_forum"), t("field_meeting_kind"), t("meetings_ifrc"), t("meetings_decisions"),
            t("actions_title"),
        ])
        html.markup("<tbody>")
        for row in m.rows {
            html.markup("<tr><td class=\"day\" dir=\"ltr\">")
            html.text(DateText.day(row.draft.heldOn))
            html.markup("</td><td>")
            html.link(.meeting(code, .value(row.id)), row.draft.forum)
            if let place = row.draft.place {
                html.markup("<br><small>")
                html.text(place)
                html.markup("</small>")
            }
            html.markup("</td><td>")
            html.text(t(row.draft.kind.labelKey))
            html.markup("</td><td>")
            html.representedTag(row.draft, t)
            if !row.representatives.isEmpty {
                html.markup("<br><small>")
                html.text(row.representatives.joined(separator: ", "))
                html.markup("</small>")
            }
            html.markup("</td><td class=\"num\">")
            html.text(row.draft.decisions.count)
            html.markup("</td><td class=\"num\">")
            html.text(row.openActions)
            html.markup(" / ")
            html.text(row.actions.count)
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table></div>\n")
        html.pager(t, m.paging, base: .meetings(code), query: m.query)
        return html
    }
}

/// One meeting: who was there, whether the IFRC was, what was decided and who does what by when.
public enum MeetingPage {
    public struct Model: Sendable {
        public let code: String
        public let meeting: MeetingLine
        public let canChange: Bool
        public let canChangeActions: Bool
        public init(code: String, meeting: MeetingLine, canChange: Bool, canChangeActions: Bool) {
            self.code = code
            self.meeting = meeting
            self.canChange = canChange
            self.canChangeActions = canChangeActions
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), d = m.meeting.draft
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("meetings_title"), .meetings(code))])
        html.markup("<h1>")
        html.text(d.forum)
        html.markup("</h1>\n<p><span dir=\"ltr\">")
        html.text(DateText.day(d.heldOn))
        html.markup("</span> · ")
        html.text(t(d.kind.labelKey))
        if let place = d.place {
            html.markup(" · ")
            html.text(place)
        }
        html.markup(" <span class=\"tag\">")
        html.text(t(d.audience.labelKey))
        html.markup("</span></p>\n")
        if m.canChange {
            html.markup("<div class=\"actions\">")
            html.link(.editMeeting(code, .value(m.meeting.id)), t("form_edit"), "class=\"button\"")
            html.markup(" ")
            html.buttonForm(
                .deleteMeeting(code, .value(m.meeting.id)), csrf: page.csrf, label: t("form_delete"),
                buttonClass: "danger")
            html.markup("</div>\n")
        }
        html.markup("<dl class=\"facts\"><dt>")
        html.text(t("meetings_ifrc"))
        html.markup("</dt><dd id=\"represented\">")
        html.representedTag(d, t)
        if !m.meeting.representatives.isEmpty {
            html.markup(" ")
            html.text(m.meeting.representatives.joined(separator: ", "))
        }
        html.markup("</dd><dt>")
        html.text(t("field_attendees"))
        html.markup("</dt><dd id=\"attendees\">")
        if m.meeting.attendees.isEmpty { html.text("—") }
        for (n, attendee) in m.meeting.attendees.enumerated() {
            if n > 0 { html.markup(", ") }
            html.link(.stakeholder(code, .value(attendee.id)), attendee.name)
        }
        html.markup("</dd></dl>\n")
        if let notes = d.notes {
            html.markup("<h2>")
            html.text(t("field_notes"))
            html.markup("</h2>\n<div dir=\"auto\">")
            html.append(RichText.html(notes))
            html.markup("</div>\n")
        }
        html.markup("<h2>")
        html.text(t("meetings_decisions"))
        html.markup("</h2>\n")
        if d.decisions.isEmpty {
            html.paragraph(t("meetings_no_decisions"))
        } else {
            html.markup("<ol id=\"decisions\">")
            for decision in d.decisions {
                html.markup("<li><bdi>")
                html.text(decision)
                html.markup("</bdi></li>")
            }
            html.markup("</ol>\n")
        }
        html.markup("<h2>")
        html.text(t("actions_title"))
        html.markup("</h2>\n")
        if m.meeting.actions.isEmpty {
            html.paragraph(t("actions_none"))
        } else {
            html.actionTable(
                m.meeting.actions, code: code, t: t, csrf: page.csrf, canChange: m.canChangeActions, showMeeting: false)
        }
        return html
    }
}

/// The form of a meeting: attendees typed a line each (a name or an acronym of the registry), the
/// representatives ticked among the members, action points in rows.
public enum MeetingForm {
    public struct Model: Sendable {
        public let code: String
        public let id: MeetingID?
        public let values: MeetingInput
        /// The attendees as typed (or as the registry names them).
        public let attendees: String
        public let errors: [String: String]
        public let version: String
        public let stale: StaleNotice?
        public let members: [(id: UserID, name: String)]
        /// Who may carry an action: the members and the meeting's attendees.
        public let owners: [(value: String, name: String, member: Bool)]
        /// Action points kept as they are: their owner is an entry the editor may not see.
        public let keptActions: Int

        public init(
            code: String, id: MeetingID?, values: MeetingInput, attendees: String, errors: [String: String],
            version: String, stale: StaleNotice?, members: [(id: UserID, name: String)],
            owners: [(value: String, name: String, member: Bool)], keptActions: Int
        ) {
            self.code = code
            self.id = id
            self.values = values
            self.attendees = attendees
            self.errors = errors
            self.version = version
            self.stale = stale
            self.members = members
            self.owners = owners
            self.keptActions = keptActions
        }
    }

    public static func title(_ m: Model, _ t: Strings) -> String {
        m.id == nil ? t("meetings_new") : t("meetings_edit") + ": " + m.values.forum
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), v = m.values
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("meetings_title"), .meetings(code))])
        html.staleNotice(m.stale, t)
        html.recordFormStart(
            t, heading: title(m, t), errors: m.errors,
            action: m.id.map { .editMeeting(code, .value($0)) } ?? .meetings(code), csrf: page.csrf,
            version: m.id == nil ? nil : m.version)
        html.selectField(
            t, "kind", label: "field_meeting_kind",
            choices: MeetingKind.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.kind)
            },
            errors: m.errors, blank: "form_choose")
        html.textInput(
            t, "forum", label: "field_forum", value: v.forum, errors: m.errors, "required maxlength=\"200\"",
            help: "help_forum")
        html.textInput(
            t, "held_on", label: "field_held_on", value: v.heldOn, errors: m.errors,
            "type=\"date\" required dir=\"ltr\"")
        html.textInput(t, "place", label: "field_place", value: v.place, errors: m.errors)
        html.textArea(
            t, "attendees", label: "field_attendees", value: m.attendees, errors: m.errors, rows: 4,
            help: "help_attendees")
        html.selectField(
            t, "ifrc_represented", label: "field_ifrc_represented",
            choices: [("yes", "yes"), ("no", "no")].map {
                Choice(value: $0.0, label: t($0.1), selected: $0.0 == v.ifrcRepresented)
            },
            errors: m.errors, blank: "form_choose")
        html.checkboxGroup(
            legend: t("field_representatives"), name: "representative_ids",
            m.members.map {
                Choice(
                    value: $0.id.uuidString, label: $0.name, selected: v.representativeIDs.contains($0.id.uuidString))
            })
        html.fieldError(m.errors, "representative_ids")
        html.textInput(
            t, "representative_note", label: "field_representative_note", value: v.representativeNote, errors: m.errors,
            help: "help_representative_note")
        html.textArea(t, "notes", label: "field_notes", value: v.notes, errors: m.errors, rows: 6)
        html.textArea(
            t, "decisions", label: "meetings_decisions", value: v.decisions.joined(separator: "\n"), errors: m.errors,
            rows: 4, help: "help_decisions")
        html.markup("\n  <fieldset id=\"action-rows\"><legend>")
        html.text(t("actions_title"))
        html.markup("</legend>")
        if m.keptActions > 0 {
            html.markup("<p class=\"help\">")
            html.text(t("actions_kept").replacingOccurrences(of: "{count}", with: String(m.keptActions)))
            html.markup("</p>")
        }
        html.fieldError(m.errors, "actions")
        let rows = v.actions + Array(repeating: MeetingActionInput(), count: 3)
        for (n, action) in rows.enumerated() {
            let number = String(n + 1)
            html.markup("\n  <div class=\"action-row\"><input type=\"hidden\" name=\"action_id[]\"")
            html.attribute("value", action.id)
            html.markup("><div><label")
            html.attribute("for", "action-text-" + number)
            html.markup(">")
            html.text(t("field_action") + " " + number)
            html.markup("</label><input name=\"action_text[]\" maxlength=\"1000\"")
            html.attribute("id", "action-text-" + number)
            html.attribute("value", action.text)
            html.markup("></div><div><label")
            html.attribute("for", "action-owner-" + number)
            html.markup(">")
            html.text(t("field_action_owner"))
            html.markup("</label><select name=\"action_owner[]\"")
            html.attribute("id", "action-owner-" + number)
            html.markup("><option value=\"\"></option><optgroup")
            html.attribute("label", t("meetings_team"))
            html.markup(">")
            html.options(
                m.owners.filter(\.member).map {
                    Choice(value: $0.value, label: $0.name, selected: $0.value == action.owner)
                })
            html.markup("</optgroup><optgroup")
            html.attribute("label", t("field_attendees"))
            html.markup(">")
            html.options(
                m.owners.filter { !$0.member }.map {
                    Choice(value: $0.value, label: $0.name, selected: $0.value == action.owner)
                })
            html.markup("</optgroup></select></div><div><label")
            html.attribute("for", "action-due-" + number)
            html.markup(">")
            html.text(t("field_due_on"))
            html.markup("</label><input type=\"date\" dir=\"ltr\" name=\"action_due[]\"")
            html.attribute("id", "action-due-" + number)
            html.attribute("value", action.dueOn)
            html.markup("></div><div><label")
            html.attribute("for", "action-status-" + number)
            html.markup(">")
            html.text(t("field_action_status"))
            html.markup("</label><select name=\"action_status[]\"")
            html.attribute("id", "action-status-" + number)
            html.markup(">")
            html.options(
                ActionStatus.allCases.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == action.status)
                })
            html.markup("</select></div><input type=\"hidden\" name=\"action_done[]\"")
            html.attribute("value", action.doneOn)
            html.markup("></div>")
        }
        html.markup("\n  <small class=\"help\">")
        html.text(t("help_action_rows"))
        html.markup("</small></fieldset>")
        html.audienceSelect(t, chosen: v.audience, help: t("help_meeting_audience"), errors: m.errors)
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

/// Every open (or every) action point of the meetings the reader sees, the earliest due first.
public enum ActionPointList {
    public struct Model: Sendable {
        public let code: String
        public let rows: [ActionLine]
        /// "open", "overdue", "mine" or "all".
        public let show: String
        public let canChange: Bool
        public init(code: String, rows: [ActionLine], show: String, canChange: Bool) {
            self.code = code
            self.rows = rows
            self.show = show
            self.canChange = canChange
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("network_title"), .stakeholders(code))])
        html.markup("<h1>")
        html.text(t("actions_title"))
        html.markup("</h1>\n")
        html.networkNav(t, code: code, current: "actions_title")
        html.markup("<p class=\"filters\">")
        for (n, choice) in ["open", "overdue", "mine", "all"].enumerated() {
            if n > 0 { html.markup(" · ") }
            if choice == m.show {
                html.markup("<strong>")
                html.text(t("actions_show_" + choice))
                html.markup("</strong>")
            } else {
                html.markup("<a href=\"")
                html.text(SiteURL.actionPoints(code).path(query: [("show", choice)]))
                html.markup("\">")
                html.text(t("actions_show_" + choice))
                html.markup("</a>")
            }
        }
        html.markup("</p>\n")
        if m.rows.isEmpty {
            html.paragraph(t("actions_none"))
        } else {
            html.actionTable(m.rows, code: code, t: t, csrf: page.csrf, canChange: m.canChange)
        }
        return html
    }
}

/// "Was IFRC represented?": each forum, how often it met, how often the IFRC was there, and when last.
public enum ParticipationPage {
    public struct Model: Sendable {
        public let code: String
        public let forums: [ForumParticipation]
        public let sinceWeeks: Int?
        public init(code: String, forums: [ForumParticipation], sinceWeeks: Int?) {
            self.code = code
            self.forums = forums
            self.sinceWeeks = sinceWeeks
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("meetings_title"), .meetings(code))])
        html.markup("<h1>")
        html.text(t("meetings_participation"))
        html.markup("</h1>\n")
        html.networkNav(t, code: code, current: "meetings_participation")
        html.markup("<p>")
        html.text(t("participation_intro"))
        html.markup("</p>\n<p class=\"filters\">")
        for (n, weeks) in [4, 12, 26, 0].enumerated() {
            if n > 0 { html.markup(" · ") }
            let label =
                weeks == 0
                ? t("participation_all")
                : t("participation_weeks").replacingOccurrences(of: "{weeks}", with: String(weeks))
            if (m.sinceWeeks ?? 0) == weeks {
                html.markup("<strong>")
                html.text(label)
                html.markup("</strong>")
            } else {
                html.markup("<a href=\"")
                html.text(SiteURL.meetingParticipation(code).path(query: weeks == 0 ? [] : [("weeks", String(weeks))]))
                html.markup("\">")
                html.text(label)
                html.markup("</a>")
            }
        }
        html.markup("</p>\n")
        if m.forums.isEmpty {
            html.paragraph(t("meetings_none"))
            return html
        }
        html.markup("<div class=\"scroll\"><table class=\"list\" id=\"participation\">")
        html.tableHead([
            t("field_forum"), t("field_meeting_kind"), t("participation_held"), t("participation_represented"),
            t("participation_last_held"), t("participation_last_represented"),
        ])
        html.markup("<tbody>")
        for f in m.forums {
            html.markup(f.represented < f.held ? "<tr class=\"gap\"><td>" : "<tr><td>")
            html.markup("<a href=\"")
            html.text(SiteURL.meetings(code).path(query: [("q", f.forum), ("kind", f.kind.rawValue)]))
            html.markup("\">")
            html.text(f.forum)
            html.markup("</a></td><td>")
            html.text(t(f.kind.labelKey))
            html.markup("</td><td class=\"num\">")
            html.text(f.held)
            html.markup("</td><td class=\"num\">")
            html.text(f.represented)
            html.markup(" (")
            html.text(f.held == 0 ? 0 : f.represented * 100 / f.held)
            html.markup("%)</td><td class=\"day\" dir=\"ltr\">")
            html.text(f.lastHeld.map(DateText.day) ?? "—")
            html.markup("</td><td class=\"day\" dir=\"ltr\">")
            html.text(f.lastRepresented.map(DateText.day) ?? "—")
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table></div>\n")
        return html
    }
}

/// The network's handover pack: one printable document with the stakeholders and who owns each
/// relationship, the open action points, and the meetings of the last weeks.
public enum NetworkHandoverPage {
    public struct Model: Sendable {
        public let code: String
        public let operationName: String
        public let printedAt: Date
        public let weeks: Int
        public let stakeholders: [StakeholderLine]
        /// Contacts per entry, for the pack's directory.
        public let contacts: [StakeholderID: (emails: [String], phones: [ServicePhone])]
        public let openActions: [ActionLine]
        public let meetings: [MeetingLine]
        public let participation: [ForumParticipation]

        public init(
            code: String, operationName: String, printedAt: Date, weeks: Int, stakeholders: [StakeholderLine],
            contacts: [StakeholderID: (emails: [String], phones: [ServicePhone])], openActions: [ActionLine],
            meetings: [MeetingLine], participation: [ForumParticipation]
        ) {
            self.code = code
            self.operationName = operationName
            self.printedAt = printedAt
            self.weeks = weeks
            self.stakeholders = stakeholders
            self.contacts = contacts
            self.openActions = openActions
            self.meetings = meetings
            self.participation = participation
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("network_title"), .stakeholders(code))])
        html.printFrameStart(t, operation: m.operationName, at: m.printedAt)
        html.markup("<article id=\"handover\"><h1>")
        html.text(t("handover_title") + " · " + m.operationName)
        html.markup("</h1>\n<p class=\"no-print actions\"><button type=\"button\" id=\"print\" data-print hidden>")
        html.text(t("network_print"))
        html.markup("</button></p>\n<form method=\"get\" class=\"inline filters no-print\"><label for=\"weeks\">")
        html.text(t("handover_weeks"))
        html.markup("</label><input id=\"weeks\" name=\"weeks\" inputmode=\"numeric\" dir=\"ltr\" size=\"3\"")
        html.attribute("value", String(m.weeks))
        html.markup("> <button type=\"submit\">")
        html.text(t("filter"))
        html.markup("</button></form>\n<h2>")
        html.text(t("handover_stakeholders"))
        html.markup("</h2>\n")
        if m.stakeholders.isEmpty { html.paragraph(t("network_none")) }
        for group in StakeholderGroup.allCases {
            let rows = m.stakeholders.filter { $0.draft.actorType.group == group }
            guard !rows.isEmpty else { continue }
            html.markup("<h3>")
            html.text(t(group.labelKey))
            html.markup("</h3>\n<div class=\"table-box\"><table class=\"list\">")
            html.tableHead([
                t("field_name"), t("field_stakeholder_topic"), t("field_relationship_owner"), t("network_contacts"),
                t("field_last_verified"),
            ])
            html.markup("<tbody>")
            for row in rows {
                html.markup("<tr><td>")
                html.link(.stakeholder(code, .value(row.id)), row.title)
                if let org = row.organisationName {
                    html.markup("<br><small>")
                    html.text([row.draft.position, org].compactMap { $0 }.joined(separator: ", "))
                    html.markup("</small>")
                }
                html.markup("</td><td>")
                html.text(t(row.draft.topic.labelKey))
                html.markup("</td><td>")
                html.text(row.ownerName ?? "—")
                html.markup("</td><td dir=\"ltr\">")
                if let c = m.contacts[row.id] {
                    html.text((c.emails + c.phones.map(\.number)).joined(separator: " · "))
                }
                html.markup("</td><td><span dir=\"ltr\">")
                html.text(row.draft.lastVerifiedOn.map(DateText.day) ?? "—")
                html.markup("</span>")
                html.staleTag(row.stale, t)
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div>\n")
        }
        html.markup("<h2>")
        html.text(t("handover_open_actions"))
        html.markup("</h2>\n")
        if m.openActions.isEmpty {
            html.paragraph(t("actions_none"))
        } else {
            html.actionTable(m.openActions, code: code, t: t, csrf: page.csrf, canChange: false, id: "open-actions")
        }
        html.markup("<h2>")
        html.text(t("handover_meetings").replacingOccurrences(of: "{weeks}", with: String(m.weeks)))
        html.markup("</h2>\n")
        if m.meetings.isEmpty { html.paragraph(t("meetings_none")) }
        for meeting in m.meetings {
            html.markup("<section class=\"meeting\"><h3><span dir=\"ltr\">")
            html.text(DateText.day(meeting.draft.heldOn))
            html.markup("</span> · ")
            html.markup("<bdi>")
            html.text(meeting.draft.forum)
            html.markup("</bdi>")
            html.markup("</h3>\n<p>")
            html.text(t(meeting.draft.kind.labelKey) + " · ")
            html.representedTag(meeting.draft, t)
            if !meeting.representatives.isEmpty {
                html.markup(" ")
                html.text(meeting.representatives.joined(separator: ", "))
            }
            html.markup("</p>\n")
            if !meeting.attendees.isEmpty {
                html.markup("<p>")
                html.text(t("field_attendees") + ": " + meeting.attendees.map(\.name).joined(separator: ", "))
                html.markup("</p>\n")
            }
            if !meeting.draft.decisions.isEmpty {
                html.markup("<ol>")
                for decision in meeting.draft.decisions {
                    html.markup("<li><bdi>")
                    html.text(decision)
                    html.markup("</bdi></li>")
                }
                html.markup("</ol>\n")
            }
            html.markup("</section>\n")
        }
        html.markup("<h2>")
        html.text(t("meetings_participation"))
        html.markup("</h2>\n<div class=\"table-box\"><table class=\"list\">")
        html.tableHead([t("field_forum"), t("participation_held"), t("participation_represented")])
        html.markup("<tbody>")
        for f in m.participation {
            html.markup("<tr><td>")
            html.text(f.forum)
            html.markup("</td><td class=\"num\">")
            html.text(f.held)
            html.markup("</td><td class=\"num\">")
            html.text(f.represented)
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table></div>\n</article>\n")
        html.printFrameEnd()
        html.markup("<script src=\"")
        html.url(.printScript)
        html.markup("\" defer></script>\n")
        return html
    }
}
