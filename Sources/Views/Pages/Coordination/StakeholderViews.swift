import Domain
import Foundation
import Geo

/// One registry entry as a list shows it: no contacts (those are on the entry's page, whose views
/// are recorded).
public struct StakeholderLine: Sendable {
    public let id: StakeholderID
    public let draft: StakeholderDraft
    public let organisationName: String?
    public let ownerName: String?
    /// Not verified within the operation's period.
    public let stale: Bool

    public init(id: StakeholderID, draft: StakeholderDraft, organisationName: String?, ownerName: String?, stale: Bool)
    {
        self.id = id
        self.draft = draft
        self.organisationName = organisationName
        self.ownerName = ownerName
        self.stale = stale
    }

    /// "UNHCR · UN Refugee Agency" or the name alone.
    public var title: String {
        guard let acronym = draft.acronym, acronym != draft.name else { return draft.name }
        return acronym + " · " + draft.name
    }
}

extension HTML {
    /// The registry's views and tools, above its pages.
    mutating func networkNav(_ t: Strings, code: Parameter<String>, current: String) {
        markup("<nav class=\"tabs\"")
        attribute("aria-label", t("network_title"))
        markup(">")
        for (key, url) in [
            ("network_security", SiteURL.stakeholders(code).path(query: [("view", "security")])),
            ("network_migration", SiteURL.stakeholders(code).path(query: [("view", "migration")])),
            ("network_all", SiteURL.stakeholders(code).path),
            ("network_map", SiteURL.stakeholderMap(code).path),
            ("meetings_title", SiteURL.meetings(code).path),
            ("actions_title", SiteURL.actionPoints(code).path),
            ("meetings_participation", SiteURL.meetingParticipation(code).path),
            ("handover_title", SiteURL.networkHandover(code).path),
        ] {
            markup("<a href=\"")
            text(url)
            markup(key == current ? "\" aria-current=\"page\">" : "\">")
            text(t(key))
            markup("</a> ")
        }
        markup("</nav>\n")
    }

    /// A "not verified" tag when the entry is stale.
    mutating func staleTag(_ stale: Bool, _ t: Strings) {
        guard stale else { return }
        markup(" <span class=\"tag overdue\">")
        text(t("network_unverified"))
        markup("</span>")
    }
}

/// The stakeholder registry: the security network and the migration actors are two views of it.
public enum StakeholderList {
    public struct Model: Sendable {
        public let code: String
        public let rows: [StakeholderLine]
        /// `security` or `migration` for one role's view; `both` for the whole registry.
        public let view: StakeholderTopic
        public let kind: StakeholderKind?
        public let group: StakeholderGroup?
        public let search: String
        public let unverifiedOnly: Bool
        public let unverifiedCount: Int
        public let verifyAfterDays: Int
        public let paging: PagePosition
        public let canManage: Bool

        public init(
            code: String, rows: [StakeholderLine], view: StakeholderTopic, kind: StakeholderKind?,
            group: StakeholderGroup?, search: String, unverifiedOnly: Bool, unverifiedCount: Int, verifyAfterDays: Int,
            paging: PagePosition, canManage: Bool
        ) {
            self.code = code
            self.rows = rows
            self.view = view
            self.kind = kind
            self.group = group
            self.search = search
            self.unverifiedOnly = unverifiedOnly
            self.unverifiedCount = unverifiedCount
            self.verifyAfterDays = verifyAfterDays
            self.paging = paging
            self.canManage = canManage
        }

        var query: [(String, String)] {
            var query: [(String, String)] = []
            if view != .both { query.append(("view", view.rawValue)) }
            if let kind { query.append(("kind", kind.rawValue)) }
            if let group { query.append(("group", group.rawValue)) }
            if !search.isEmpty { query.append(("q", search)) }
            if unverifiedOnly { query.append(("unverified", "1")) }
            return query
        }
    }

    public static func title(_ m: Model, _ t: Strings) -> String {
        switch m.view {
        case .security: t("network_security")
        case .migration: t("network_migration")
        case .both: t("network_title")
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(title(m, t))
        html.markup("</h1>\n")
        html.networkNav(
            t, code: code,
            current: m.view == .security
                ? "network_security" : m.view == .migration ? "network_migration" : "network_all")
        html.markup("<p>")
        html.text(t("network_intro"))
        html.markup("</p>\n<p class=\"actions\">")
        if m.canManage {
            html.link(.newStakeholder(code), t("network_new"), "class=\"button primary\"")
            html.markup(" ")
            html.link(.stakeholdersImport(code), t("network_import"), "class=\"button\"")
            html.markup(" ")
        }
        html.text(t("services_download") + ": ")
        for (n, format) in [("csv", "CSV"), ("vcf", "vCard")].enumerated() {
            if n > 0 { html.markup(" · ") }
            html.markup("<a href=\"")
            html.text(SiteURL.stakeholdersExport(code).path(query: m.query + [("format", format.0)]))
            html.markup("\">")
            html.text(format.1)
            html.markup("</a>")
        }
        html.markup("</p>\n")
        if m.unverifiedCount > 0 {
            html.markup("<p class=\"notice\" id=\"unverified\">")
            html.text(
                t("network_unverified_count").replacingOccurrences(of: "{count}", with: String(m.unverifiedCount))
                    .replacingOccurrences(of: "{days}", with: String(m.verifyAfterDays)))
            html.markup(" <a href=\"")
            html.text(
                SiteURL.stakeholders(code).path(
                    query: m.query.filter { $0.0 != "unverified" } + [("unverified", "1")]))
            html.markup("\">")
            html.text(t("network_show_unverified"))
            html.markup("</a></p>\n")
        }
        html.markup("<form method=\"get\" class=\"inline filters\" role=\"search\">")
        if m.view != .both {
            html.markup("<input type=\"hidden\" name=\"view\"")
            html.attribute("value", m.view.rawValue)
            html.markup(">")
        }
        html.markup("\n  <label for=\"q\">")
        html.text(t("network_search"))
        html.markup("</label><input id=\"q\" name=\"q\"")
        html.attribute("value", m.search)
        html.markup(">\n  <label for=\"kind\">")
        html.text(t("field_stakeholder_kind"))
        html.markup("</label><select id=\"kind\" name=\"kind\"><option value=\"\">")
        html.text(t("all"))
        html.markup("</option>")
        html.options(
            StakeholderKind.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.kind) })
        html.markup("</select>\n  <label for=\"group\">")
        html.text(t("field_stakeholder_group"))
        html.markup("</label><select id=\"group\" name=\"group\"><option value=\"\">")
        html.text(t("all"))
        html.markup("</option>")
        html.options(
            StakeholderGroup.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.group) }
        )
        html.markup("</select>\n  <label><input type=\"checkbox\" name=\"unverified\" value=\"1\"")
        if m.unverifiedOnly { html.markup(" checked") }
        html.markup("> ")
        html.text(t("network_filter_unverified"))
        html.markup("</label>\n  <button type=\"submit\">")
        html.text(t("filter"))
        html.markup("</button>\n</form>\n")
        if m.rows.isEmpty {
            html.paragraph(t("network_none"))
        } else {
            html.markup("<div class=\"scroll\"><table class=\"list\" id=\"stakeholders\">")
            html.tableHead([
                t("field_name"), t("field_stakeholder_type"), t("field_stakeholder_topic"), t("field_ifrc_relation"),
                t("field_relationship_owner"), t("field_last_verified"),
            ])
            html.markup("<tbody>")
            for row in m.rows {
                html.markup("<tr><td>")
                html.link(.stakeholder(code, .value(row.id)), row.title)
                if let organisation = row.organisationName {
                    html.markup("<br><small>")
                    html.text([row.draft.position, organisation].compactMap { $0 }.joined(separator: ", "))
                    html.markup("</small>")
                }
                html.markup("</td><td>")
                html.text(t(row.draft.actorType.labelKey))
                html.markup("</td><td>")
                html.text(t(row.draft.topic.labelKey))
                html.markup("</td><td>")
                html.text(t(row.draft.relation.labelKey))
                html.markup("</td><td>")
                html.text(row.ownerName ?? "—")
                html.markup("</td><td><span dir=\"ltr\">")
                html.text(row.draft.lastVerifiedOn.map(DateText.day) ?? "—")
                html.markup("</span>")
                html.staleTag(row.stale, t)
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div>\n")
            html.pager(t, m.paging, base: .stakeholders(code), query: m.query)
        }
        if m.canManage {
            html.markup("<details class=\"settings\"><summary>")
            html.text(t("network_settings"))
            html.markup("</summary><form method=\"post\" class=\"inline\" action=\"")
            html.url(.stakeholderSettings(code))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<label for=\"verify_after_days\">")
            html.text(t("field_verify_after_days"))
            html.markup(
                "</label><input id=\"verify_after_days\" name=\"verify_after_days\" inputmode=\"numeric\" dir=\"ltr\" size=\"5\""
            )
            html.attribute("value", String(m.verifyAfterDays))
            html.markup("> <button type=\"submit\">")
            html.text(t("form_save"))
            html.markup("</button></form></details>\n")
        }
        return html
    }
}

/// One action point as a list shows it.
public struct ActionLine: Sendable {
    public let id: MeetingActionID
    public let meetingID: MeetingID
    public let text: String
    /// The member's or the stakeholder's name; nil when the reader may not see who.
    public let ownerName: String?
    public let ownerLink: SiteURL?
    public let dueOn: Date
    public let status: ActionStatus
    public let doneOn: Date?
    public let forum: String
    public let heldOn: Date
    public let overdue: Bool

    public init(
        id: MeetingActionID, meetingID: MeetingID, text: String, ownerName: String?, ownerLink: SiteURL?, dueOn: Date,
        status: ActionStatus, doneOn: Date?, forum: String, heldOn: Date, overdue: Bool
    ) {
        self.id = id
        self.meetingID = meetingID
        self.text = text
        self.ownerName = ownerName
        self.ownerLink = ownerLink
        self.dueOn = dueOn
        self.status = status
        self.doneOn = doneOn
        self.forum = forum
        self.heldOn = heldOn
        self.overdue = overdue
    }
}

extension HTML {
    /// Action points as a table: what, who, when due, the meeting, and (for those who may) done or reopen.
    mutating func actionTable(
        _ rows: [ActionLine], code: Parameter<String>, t: Strings, csrf: String, canChange: Bool,
        showMeeting: Bool = true, id: StaticString = "actions"
    ) {
        markup("<div class=\"scroll\"><table class=\"list\" id=\"")
        markup(id)
        markup("\">")
        var heads = [t("field_action"), t("field_action_owner"), t("field_due_on"), t("field_action_status")]
        if showMeeting { heads.append(t("field_meeting")) }
        tableHead(heads, actions: canChange ? t("actions_change") : nil)
        markup("<tbody>")
        for row in rows {
            markup(row.overdue ? "<tr class=\"overdue\"><td dir=\"auto\">" : "<tr><td dir=\"auto\">")
            text(row.text)
            markup("</td><td>")
            if let name = row.ownerName {
                if let link = row.ownerLink { self.link(link, name) } else { text(name) }
            } else {
                text("—")
            }
            markup("</td><td><span dir=\"ltr\">")
            text(DateText.day(row.dueOn))
            markup("</span>")
            if row.overdue {
                markup(" <span class=\"tag overdue\">")
                text(t("actions_overdue"))
                markup("</span>")
            }
            markup("</td><td>")
            text(t(row.status.labelKey))
            if let done = row.doneOn {
                markup(" <span dir=\"ltr\">")
                text(DateText.day(done))
                markup("</span>")
            }
            markup("</td>")
            if showMeeting {
                markup("<td>")
                self.link(.meeting(code, .value(row.meetingID)), row.forum)
                markup(" <small dir=\"ltr\">")
                text(DateText.day(row.heldOn))
                markup("</small></td>")
            }
            if canChange {
                markup("<td><form method=\"post\" class=\"inline\" action=\"")
                url(.actionPointStatus(code, .value(row.id)))
                markup("\">")
                csrfField(csrf)
                markup("<input type=\"hidden\" name=\"status\"")
                attribute("value", row.status == .open ? "done" : "open")
                markup("><button type=\"submit\">")
                text(t(row.status == .open ? "actions_mark_done" : "actions_reopen"))
                markup("</button></form></td>")
            }
            markup("</tr>")
        }
        markup("</tbody></table></div>\n")
    }
}

/// One registry entry: what it is, who owns the relationship, its contacts (the view is recorded),
/// its people, the meetings it attended and the action points it carries.
public enum StakeholderPage {
    public struct MeetingLine: Sendable {
        public let id: MeetingID
        public let forum: String
        public let kind: MeetingKind
        public let heldOn: Date
        public init(id: MeetingID, forum: String, kind: MeetingKind, heldOn: Date) {
            self.id = id
            self.forum = forum
            self.kind = kind
            self.heldOn = heldOn
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let entry: StakeholderLine
        public let organisationID: StakeholderID?
        public let verifyAfterDays: Int
        public let people: [StakeholderLine]
        public let meetings: [MeetingLine]
        public let actions: [ActionLine]
        public let canManage: Bool
        public let canChangeActions: Bool

        public init(
            code: String, entry: StakeholderLine, organisationID: StakeholderID?, verifyAfterDays: Int,
            people: [StakeholderLine], meetings: [MeetingLine], actions: [ActionLine], canManage: Bool,
            canChangeActions: Bool
        ) {
            self.code = code
            self.entry = entry
            self.organisationID = organisationID
            self.verifyAfterDays = verifyAfterDays
            self.people = people
            self.meetings = meetings
            self.actions = actions
            self.canManage = canManage
            self.canChangeActions = canChangeActions
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), d = m.entry.draft
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("network_title"), .stakeholders(code))])
        html.markup("<h1>")
        html.text(m.entry.title)
        html.markup("</h1>\n<p><span class=\"tag\">")
        html.text(t(d.kind.labelKey))
        html.markup("</span> <span class=\"tag\">")
        html.text(t(d.actorType.labelKey))
        html.markup("</span> <span class=\"tag\">")
        html.text(t(d.topic.labelKey))
        html.markup("</span> <span class=\"tag\">")
        html.text(t(d.audience.labelKey))
        html.markup("</span>")
        html.staleTag(m.entry.stale, t)
        html.markup("</p>\n")
        if m.canManage {
            html.markup("<div class=\"actions\">")
            html.link(.editStakeholder(code, .value(m.entry.id)), t("form_edit"), "class=\"button\"")
            html.markup(" ")
            html.buttonForm(
                .verifyStakeholder(code, .value(m.entry.id)), csrf: page.csrf, label: t("network_verified_today"))
            html.markup("</div>\n")
        }
        html.markup("<dl class=\"facts\">")
        if let organisation = m.entry.organisationName, let id = m.organisationID {
            html.markup("<dt>")
            html.text(t("field_organisation"))
            html.markup("</dt><dd>")
            html.link(.stakeholder(code, .value(id)), organisation)
            html.markup("</dd>")
        }
        html.detail(t("field_position"), d.position)
        html.detail(t("field_mandate"), d.mandate)
        html.detail(t("field_ifrc_relation"), t(d.relation.labelKey))
        html.detail(
            t("field_influence_interest"),
            "\(d.influence) × \(d.interest) · " + t(d.quadrant.labelKey))
        html.detail(t("field_relationship_owner"), m.entry.ownerName ?? "—")
        html.markup("<dt>")
        html.text(t("field_last_verified"))
        html.markup("</dt><dd><span dir=\"ltr\">")
        html.text(d.lastVerifiedOn.map(DateText.day) ?? "—")
        html.markup("</span>")
        if m.entry.stale {
            html.markup(" <small>")
            html.text(t("network_unverified_after").replacingOccurrences(of: "{days}", with: String(m.verifyAfterDays)))
            html.markup("</small>")
        }
        html.markup("</dd></dl>\n<h2>")
        html.text(t("network_contacts"))
        html.markup("</h2>\n<dl class=\"facts\" id=\"contacts\">")
        if !d.emails.isEmpty {
            html.markup("<dt>")
            html.text(t("field_email"))
            html.markup("</dt><dd dir=\"ltr\">")
            for (n, email) in d.emails.enumerated() {
                if n > 0 { html.markup("<br>") }
                html.markup("<a href=\"mailto:")
                html.text(email)
                html.markup("\">")
                html.text(email)
                html.markup("</a>")
            }
            html.markup("</dd>")
        }
        if !d.phones.isEmpty {
            html.markup("<dt>")
            html.text(t("field_phone"))
            html.markup("</dt><dd>")
            html.servicePhones(d.phones, t)
            html.markup("</dd>")
        }
        html.detail(t("field_url"), d.website, ltr: true)
        html.detail(t("field_address"), d.address)
        html.markup("</dl>\n")
        if d.emails.isEmpty && d.phones.isEmpty { html.paragraph(t("network_no_contacts")) }
        if let notes = d.notes {
            html.markup("<h2>")
            html.text(t("field_notes"))
            html.markup("</h2>\n<div dir=\"auto\">")
            html.append(RichText.html(notes))
            html.markup("</div>\n")
        }
        if d.kind == .organisation {
            html.markup("<h2>")
            html.text(t("network_people"))
            html.markup("</h2>\n")
            if m.people.isEmpty {
                html.paragraph(t("network_no_people"))
            } else {
                html.markup("<ul id=\"people\">")
                for person in m.people {
                    html.markup("<li>")
                    html.link(.stakeholder(code, .value(person.id)), person.draft.name)
                    if let position = person.draft.position {
                        html.markup(", ")
                        html.text(position)
                    }
                    html.staleTag(person.stale, t)
                    html.markup("</li>")
                }
                html.markup("</ul>\n")
            }
        }
        html.markup("<h2>")
        html.text(t("network_meetings_attended"))
        html.markup("</h2>\n")
        if m.meetings.isEmpty {
            html.paragraph(t("meetings_none"))
        } else {
            html.markup("<ul id=\"attended\">")
            for meeting in m.meetings {
                html.markup("<li><span dir=\"ltr\">")
                html.text(DateText.day(meeting.heldOn))
                html.markup("</span> ")
                html.link(.meeting(code, .value(meeting.id)), meeting.forum)
                html.markup(" <small>")
                html.text(t(meeting.kind.labelKey))
                html.markup("</small></li>")
            }
            html.markup("</ul>\n")
        }
        if !m.actions.isEmpty {
            html.markup("<h2>")
            html.text(t("network_actions_carried"))
            html.markup("</h2>\n")
            html.actionTable(m.actions, code: code, t: t, csrf: page.csrf, canChange: m.canChangeActions)
        }
        if m.canManage {
            html.markup("<h2>")
            html.text(t("network_manage"))
            html.markup("</h2>\n")
            // The entry to merge into is named, as attendees are: a registry of thousands is no list to pick from.
            html.markup("<form method=\"post\" class=\"inline\" action=\"")
            html.url(.mergeStakeholder(code, .value(m.entry.id)))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<label for=\"into\">")
            html.text(t("network_merge_into"))
            html.markup(
                "</label><input id=\"into\" name=\"into\" required aria-describedby=\"merge-help\"> <button type=\"submit\">"
            )
            html.text(t("network_merge"))
            html.markup("</button><small class=\"help\" id=\"merge-help\">")
            html.text(t("network_merge_help"))
            html.markup("</small></form>\n")
            html.buttonForm(
                .deleteStakeholder(code, .value(m.entry.id)), csrf: page.csrf, label: t("form_delete"),
                buttonClass: "danger")
        }
        return html
    }
}

/// The form of a registry entry.
public enum StakeholderForm {
    public struct Model: Sendable {
        public let code: String
        public let id: StakeholderID?
        public let values: StakeholderInput
        public let errors: [String: String]
        public let version: String
        public let stale: StaleNotice?
        public let organisations: [(id: StakeholderID, name: String)]
        public let members: [(id: UserID, name: String)]

        public init(
            code: String, id: StakeholderID?, values: StakeholderInput, errors: [String: String], version: String,
            stale: StaleNotice?, organisations: [(id: StakeholderID, name: String)],
            members: [(id: UserID, name: String)]
        ) {
            self.code = code
            self.id = id
            self.values = values
            self.errors = errors
            self.version = version
            self.stale = stale
            self.organisations = organisations
            self.members = members
        }
    }

    public static func title(_ m: Model, _ t: Strings) -> String {
        m.id == nil ? t("network_new") : t("network_edit") + ": " + m.values.name
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), v = m.values
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("network_title"), .stakeholders(code))])
        html.staleNotice(m.stale, t)
        html.recordFormStart(
            t, heading: title(m, t), errors: m.errors,
            action: m.id.map { .editStakeholder(code, .value($0)) } ?? .stakeholders(code), csrf: page.csrf,
            version: m.id == nil ? nil : m.version)
        html.selectField(
            t, "kind", label: "field_stakeholder_kind",
            choices: StakeholderKind.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.kind)
            },
            errors: m.errors)
        html.textInput(t, "name", label: "field_name", value: v.name, errors: m.errors, "required maxlength=\"200\"")
        html.textInput(t, "acronym", label: "field_acronym", value: v.acronym, errors: m.errors, "maxlength=\"40\"")
        html.markup("\n  <label for=\"actor_type\">")
        html.text(t("field_stakeholder_type"))
        html.markup("</label>\n  <select id=\"actor_type\" name=\"actor_type\" required><option value=\"\"></option>")
        for group in StakeholderGroup.allCases {
            html.markup("<optgroup")
            html.attribute("label", t(group.labelKey))
            html.markup(">")
            html.options(
                StakeholderType.allCases.filter { $0.group == group }.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.actorType)
                })
            html.markup("</optgroup>")
        }
        html.markup("</select>")
        html.fieldError(m.errors, "actor_type")
        html.selectField(
            t, "organisation_id", label: "field_organisation",
            choices: m.organisations.map {
                Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.organisationID)
            },
            errors: m.errors, blank: "network_no_organisation", help: "help_stakeholder_organisation")
        html.textInput(t, "position", label: "field_position", value: v.position, errors: m.errors)
        html.textArea(t, "mandate", label: "field_mandate", value: v.mandate, errors: m.errors, rows: 2)
        html.selectField(
            t, "topic", label: "field_stakeholder_topic",
            choices: StakeholderTopic.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.topic)
            },
            errors: m.errors, help: "help_stakeholder_topic")
        html.selectField(
            t, "relation", label: "field_ifrc_relation",
            choices: IFRCRelation.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.relation)
            },
            errors: m.errors)
        let scale = (1...5).map { String($0) }
        html.selectField(
            t, "influence", label: "field_influence",
            choices: scale.map { Choice(value: $0, label: $0 + " · " + t("scale_" + $0), selected: $0 == v.influence) },
            errors: m.errors, help: "help_influence")
        html.selectField(
            t, "interest", label: "field_interest",
            choices: scale.map { Choice(value: $0, label: $0 + " · " + t("scale_" + $0), selected: $0 == v.interest) },
            errors: m.errors, help: "help_interest")
        html.selectField(
            t, "owner_id", label: "field_relationship_owner",
            choices: m.members.map {
                Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.ownerID)
            },
            errors: m.errors, blank: "network_no_owner")
        html.textInput(
            t, "last_verified_on", label: "field_last_verified", value: v.lastVerifiedOn, errors: m.errors,
            "type=\"date\" dir=\"ltr\"")
        html.textArea(
            t, "emails", label: "field_email", value: v.emails.joined(separator: "\n"), errors: m.errors, rows: 2,
            help: "help_emails", ltr: true)
        html.textArea(
            t, "phones", label: "field_phone", value: v.phones.joined(separator: "\n"), errors: m.errors, rows: 2,
            help: "help_service_phones", ltr: true)
        html.textInput(t, "website", label: "field_url", value: v.website, errors: m.errors, "type=\"url\" dir=\"ltr\"")
        html.textInput(t, "address", label: "field_address", value: v.address, errors: m.errors)
        html.textArea(t, "notes", label: "field_notes", value: v.notes, errors: m.errors, rows: 4)
        html.audienceSelect(t, chosen: v.audience, help: t("help_stakeholder_audience"), errors: m.errors)
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

/// Import of a CSV or vCard file into the registry, and its report.
public enum StakeholderImportPage {
    public struct Model: Sendable {
        public let code: String
        public let report: [String]
        public let error: String?
        /// The CSV columns the import reads.
        public let columns: [String]
        public init(code: String, report: [String], error: String?, columns: [String]) {
            self.code = code
            self.report = report
            self.error = error
            self.columns = columns
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("network_title"), .stakeholders(code))])
        html.markup("<h1>")
        html.text(t("network_import"))
        html.markup("</h1>\n<p>")
        html.text(t("network_import_intro"))
        html.markup("</p>\n<p><code dir=\"ltr\">")
        html.text(m.columns.joined(separator: ", "))
        html.markup("</code></p>\n")
        if let error = m.error {
            html.markup("<p class=\"error\" role=\"alert\" id=\"import-error\">")
            html.text(error)
            html.markup("</p>\n")
        }
        html.importReport(m.report)
        html.markup("<form method=\"post\" enctype=\"multipart/form-data\" class=\"stack\" action=\"")
        html.url(.stakeholdersImport(code))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"file\">")
        html.text(t("network_import_file"))
        html.markup(
            "</label>\n  <input id=\"file\" name=\"file\" type=\"file\" accept=\".csv,.vcf,.vcard,text/csv,text/vcard\" required>"
        )
        html.selectField(
            t, "default_type", label: "network_default_type",
            choices: StakeholderType.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: false)
            },
            errors: [:], blank: "network_no_default", help: "help_default_type")
        html.selectField(
            t, "default_topic", label: "network_default_topic",
            choices: StakeholderTopic.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: false)
            },
            errors: [:], blank: "network_no_default")
        html.markup("\n  <label class=\"check\"><input type=\"checkbox\" name=\"merge\" value=\"1\"> ")
        html.text(t("network_merge_duplicates"))
        html.markup("</label>\n  <button type=\"submit\" class=\"primary\">")
        html.text(t("import"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

/// The influence × interest map of the registry (or one role's view of it).
public enum StakeholderMapPage {
    public struct Model: Sendable {
        public let code: String
        public let view: StakeholderTopic
        public let map: SVG
        /// Each quadrant's entries, by name (the map's figures as text).
        public let quadrants: [(quadrant: EngagementQuadrant, count: Int, names: [String])]
        public init(
            code: String, view: StakeholderTopic, map: SVG,
            quadrants: [(quadrant: EngagementQuadrant, count: Int, names: [String])]
        ) {
            self.code = code
            self.view = view
            self.map = map
            self.quadrants = quadrants
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("network_title"), .stakeholders(code))])
        html.markup("<h1>")
        html.text(t("network_map"))
        html.markup("</h1>\n")
        html.networkNav(t, code: code, current: "network_map")
        html.markup("<form method=\"get\" class=\"inline filters\"><label for=\"view\">")
        html.text(t("network_view"))
        html.markup("</label><select id=\"view\" name=\"view\">")
        html.options(
            [("both", "network_all"), ("security", "network_security"), ("migration", "network_migration")].map {
                Choice(value: $0.0, label: t($0.1), selected: $0.0 == m.view.rawValue)
            })
        html.markup("</select> <button type=\"submit\">")
        html.text(t("filter"))
        html.markup("</button></form>\n<figure class=\"chart\">")
        html.svg(m.map)
        html.markup("</figure>\n")
        html.tableLink("quadrants", t)
        html.markup("<div class=\"table-box\"><table class=\"list\" id=\"quadrants\">")
        html.tableHead([t("field_quadrant"), t("network_count"), t("field_name")])
        html.markup("<tbody>")
        for q in m.quadrants {
            html.markup("<tr><th scope=\"row\">")
            html.text(t(q.quadrant.labelKey))
            html.markup("</th><td class=\"num\">")
            html.text(q.count)
            html.markup("</td><td>")
            html.text(q.names.joined(separator: ", ") + (q.count > q.names.count ? " …" : ""))
            html.markup("</td></tr>")
        }
        html.markup("</tbody></table></div>\n")
        return html
    }
}
