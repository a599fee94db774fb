import Domain
import Foundation

/// The incident report, built to be filled in on a phone: the essentials first, the rest folded
/// away. Shown again with what was typed when a save is refused.
public enum IncidentForm {
    public struct Model: Sendable {
        public let code: String
        /// Nil for a new report.
        public let id: IncidentID?
        /// The fields as typed, or as stored when an edit starts.
        public let values: IncidentInput
        /// Blank follow-up rows to add more (one on a new report, to keep the phone form short).
        public let blankFollowUpRows: Int
        /// Field → message, named as the form names its fields (`follow_up[0][due]`).
        public let errors: [String: String]
        /// Whether the form may offer the reporter_hidden box: not to others once the reporter hid.
        public let offersReporterHidden: Bool
        /// The version the form is based on, and what someone else saved when a save came too late.
        public let version: String
        public let stale: StaleNotice?
        /// Admin areas to pick from (levels 1 and 2), named in the reader's language.
        public var areas: [IncidentFilterForm.Area] = []
        /// Verification and source are the coordinator's to set; others' forms leave them out.
        public var coordinatorFields = true
        /// The numbers to call at once, as `tel:` links; and whether the reader may set them.
        public var contacts: [EmergencyContacts.Contact] = []
        public var canEditContacts = false
        /// The inbox message this report is made from (issue 21): kept with the form, marked triaged on saving.
        public var fromMessage: UUID?

        public init(
            code: String, id: IncidentID?, values: IncidentInput, blankFollowUpRows: Int, errors: [String: String],
            offersReporterHidden: Bool, version: String, stale: StaleNotice?
        ) {
            self.code = code
            self.id = id
            self.values = values
            self.blankFollowUpRows = blankFollowUpRows
            self.errors = errors
            self.offersReporterHidden = offersReporterHidden
            self.version = version
            self.stale = stale
        }
    }

    public static func title(_ m: Model, _ t: Strings) -> String { t(m.id == nil ? "incidents.new" : "incidents.edit") }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, v = m.values, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("incidents_title"), .incidents(code))])
        html.markup("<h1>")
        html.text(t(m.id == nil ? "incidents_new" : "incidents_edit"))
        html.markup("</h1>\n<p class=\"help\">")
        html.text(t("help_serious"))
        html.markup("</p>\n")
        if !m.contacts.isEmpty {
            html.markup("<ul class=\"call\" id=\"emergency-numbers\" aria-label=\"")
            html.text(t("incidents_call"))
            html.markup("\">")
            for contact in m.contacts {
                html.markup("<li><a class=\"button\" href=\"tel:")
                html.text(contact.dialled)
                html.markup("\"><bdi>")
                html.text(contact.name)
                html.markup("</bdi> <span dir=\"ltr\">")
                html.text(contact.phone)
                html.markup("</span></a></li>")
            }
            html.markup("</ul>\n")
        } else if m.canEditContacts {
            html.markup("<p class=\"notice\" id=\"emergency-numbers-unset\">")
            html.text(t("incidents_no_numbers") + " ")
            html.markup("<a href=\"")
            html.url(.securitySettings(code))
            html.markup("#emergency_contacts\">")
            html.text(t("settings_title"))
            html.markup("</a></p>\n")
        }
        html.formErrors(t, m.errors)
        html.staleNotice(m.stale, t)
        if m.id == nil { html.captureStatus(t) }
        html.markup("<form method=\"post\" action=\"")
        html.url(m.id.map { .editIncident(code, .value($0)) } ?? .incidents(code))
        html.markup("\" class=\"stack\"")
        if m.id == nil { html.captureForm(t("capture_incident")) }
        html.markup(">\n")
        if let message = m.fromMessage {
            html.markup("<p class=\"notice\" id=\"from-message\">")
            html.text(t("inbox_incident_from"))
            html.markup(" ")
            html.link(.inboxMessage(code, .value(message)), t("inbox_message_title"))
            html.markup("<input type=\"hidden\" name=\"from_message\"")
            html.attribute("value", message.uuidString)
            html.markup("></p>\n")
        }
        if m.id != nil {
            html.markup("<input type=\"hidden\" name=\"version\"")
            html.attribute("value", m.version)
            html.markup(">")
        }
        html.markup("\n  ")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"title\">")
        html.text(t("field_title"))
        html.markup("</label>\n  <input id=\"title\" name=\"title\"")
        html.attribute("value", v.title)
        html.markup(" required maxlength=\"200\">\n  ")
        html.fieldError(m.errors, "title")
        label("category", t("field_category"), into: &html)
        html.markup("<select id=\"category\" name=\"category\" required>")
        noneChosen(t, into: &html)
        html.options(
            IncidentCategory.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.category)
            })
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "category")
        label("subtype", t("field_subtype"), into: &html)
        html.markup("<select id=\"subtype\" name=\"subtype\">")
        noneChosen(t, into: &html)
        // Sub-types grouped under their category, so the list stays short to scan on a phone; the
        // stylesheet shows only the chosen category's group (`data-category`), with no script.
        for category in IncidentCategory.allCases {
            html.markup("<optgroup")
            html.attribute("label", t(category.labelKey))
            html.attribute("data-category", category.rawValue)
            html.markup(">")
            html.options(
                category.subtypes.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.subtype)
                })
            html.markup("</optgroup>")
        }
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "subtype")
        label("occurred_at", t("field_occurred_at") + " (" + t.clock.identifier + ")", into: &html)
        html.markup("<input id=\"occurred_at\" name=\"occurred_at\" type=\"datetime-local\"")
        html.attribute("value", v.occurredAt)
        html.markup(" required dir=\"ltr\">\n  ")
        html.fieldError(m.errors, "occurred_at")
        html.markup("\n  <fieldset><legend>")
        html.text(t("incidents_where"))
        html.markup("</legend>\n  <small>")
        html.text(t("help_where"))
        html.markup("</small>\n  <button type=\"button\" id=\"locate\" hidden")
        html.attribute("data-waiting", t("incidents_locating"))
        html.attribute("data-found", t("incidents_located"))
        html.attribute("data-failed", t("incidents_locate_failed"))
        html.markup(">")
        html.text(t("incidents_locate"))
        html.markup("</button> <output id=\"locate-status\" aria-live=\"polite\"></output>")
        areaPicker(m, t, into: &html)
        label("latitude", t("field_latitude"), into: &html)
        html.markup("<input id=\"latitude\" name=\"latitude\"")
        html.attribute("value", v.latitude)
        html.markup(" inputmode=\"decimal\" dir=\"ltr\" autocomplete=\"off\">\n  ")
        html.fieldError(m.errors, "latitude")
        label("longitude", t("field_longitude"), into: &html)
        html.markup("<input id=\"longitude\" name=\"longitude\"")
        html.attribute("value", v.longitude)
        html.markup(" inputmode=\"decimal\" dir=\"ltr\" autocomplete=\"off\">\n  ")
        html.fieldError(m.errors, "longitude")
        html.fieldError(m.errors, "location")
        textField("place_name", t("field_place_name"), v.placeName, m.errors, into: &html)
        select(
            "location_type", t("field_location_type"), IncidentLocationType.self, v.locationType, t, m.errors,
            into: &html)
        html.markup("\n  </fieldset>")
        label("description", t("field_description"), into: &html)
        html.markup("<textarea id=\"description\" name=\"description\" rows=\"4\">")
        html.text(v.description)
        html.markup("</textarea>")
        html.fieldError(m.errors, "description")
        html.markup("\n  <fieldset><legend>")
        html.text(t("incidents_who"))
        html.markup("</legend>\n  ")
        for group in AffectedGroup.allCases {
            html.markup("<label class=\"check\"><input type=\"checkbox\" name=\"affected[]\"")
            html.attribute("value", group.rawValue)
            html.markup(v.affected.contains(group.rawValue) ? " checked> " : "> ")
            html.text(t(group.labelKey))
            html.markup("</label>")
        }
        // The group holds only its own boxes, so a screen reader announces it as one question.
        html.markup("\n  </fieldset>")
        html.fieldError(m.errors, "affected")
        casualties(m, t, into: &html)
        check("serious_injury", t("field_serious_injury"), v.seriousInjury, into: &html)
        check("particularly_sensitive", t("field_particularly_sensitive"), v.particularlySensitive, into: &html)
        check("near_miss", t("field_near_miss"), v.nearMiss, into: &html)
        html.markup("\n  ")
        html.fieldError(m.errors, "near_miss")
        select("severity", t("field_severity"), IncidentSeverity.self, v.severity, t, m.errors, into: &html)
        // A folded section opens when one of its fields is refused, so the message is seen.
        html.markup("\n  <details")
        if howFields.contains(where: { m.errors[$0] != nil }) { html.markup(" open") }
        html.markup("><summary>")
        html.text(t("incidents_how"))
        html.markup("</summary>")
        select("actor_type", t("field_actor_type"), ActorType.self, v.actorType, t, m.errors, into: &html)
        textField("actor_name", t("field_actor_name"), v.actorName, m.errors, into: &html)
        select("means", t("field_means"), IncidentMeans.self, v.means, t, m.errors, into: &html)
        select("context", t("field_context"), IncidentContext.self, v.context, t, m.errors, into: &html)
        select("motive", t("field_motive"), IncidentMotive.self, v.motive, t, m.errors, into: &html)
        select(
            "time_precision", t("field_time_precision"), TimePrecision.self, v.timePrecision, t, m.errors, into: &html)
        label("known_at", t("field_known_at") + " (" + t.clock.identifier + ")", into: &html)
        html.markup("<input id=\"known_at\" name=\"known_at\" type=\"datetime-local\"")
        html.attribute("value", v.knownAt)
        html.markup(" dir=\"ltr\">\n  ")
        html.fieldError(m.errors, "known_at")
        select("geo_precision", t("field_geo_precision"), GeoPrecision.self, v.geoPrecision, t, m.errors, into: &html)
        html.markup("\n  </details>\n  <details")
        if m.errors.keys.contains(where: { responseFields.contains($0) || $0.hasPrefix("follow_up[") }) {
            html.markup(" open")
        }
        html.markup("><summary>")
        html.text(t("incidents_response"))
        html.markup("</summary>")
        label("immediate_actions", t("field_immediate_actions"), into: &html)
        html.markup("<textarea id=\"immediate_actions\" name=\"immediate_actions\" rows=\"3\">")
        html.text(v.immediateActions)
        html.markup("</textarea>")
        html.fieldError(m.errors, "immediate_actions")
        html.markup("\n  ")
        followUpRows(m, t, into: &html)
        label("procedures_followed", t("field_procedures_followed"), into: &html)
        html.markup("<select id=\"procedures_followed\" name=\"procedures_followed\">")
        html.options([
            Choice(value: "", label: t("unknown"), selected: v.proceduresFollowed.isEmpty),
            Choice(value: "yes", label: t("yes"), selected: v.proceduresFollowed == "yes"),
            Choice(value: "no", label: t("no"), selected: v.proceduresFollowed == "no"),
        ])
        html.markup("</select>")
        html.fieldError(m.errors, "procedures_followed")
        if m.coordinatorFields {
            select(
                "verification", t("field_verification"), VerificationStatus.self, v.verification, t, m.errors,
                into: &html)
            select("source", t("field_source"), IncidentSource.self, v.source, t, m.errors, into: &html)
        }
        html.markup("\n  </details>")
        html.audienceSelect(t, chosen: v.audience, help: t("help_audience_incident"), errors: m.errors)
        if m.offersReporterHidden {
            html.markup("\n  <input type=\"hidden\" name=\"reporter_hidden_offered\" value=\"1\">")
            check("reporter_hidden", t("field_reporter_hidden"), v.reporterHidden, into: &html)
            html.markup("\n  ")
        } else {
            html.markup("\n  <p id=\"reporter-hidden-note\">")
            html.text(t("incidents_reporter_hidden_kept"))
            html.markup("</p>\n  ")
        }
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t(m.id == nil ? "incidents_new" : "form_save"))
        html.markup("</button>\n</form>\n<script src=\"")
        html.url(.locateScript)
        html.markup("\" defer></script>\n")
        return html
    }

    /// The admin area as a list of names (state, then its localities), the P-code kept as the
    /// value; a stored area deeper than the list is kept as its own first choice.
    static func areaPicker(_ m: Model, _ t: Strings, into html: inout HTML) {
        let chosen = m.values.areaPcode
        label("area_pcode", t("field_area"), into: &html)
        html.markup("<select id=\"area_pcode\" name=\"area_pcode\">")
        var choices = [Choice(value: "", label: "—", selected: chosen.isEmpty)]
        if !chosen.isEmpty, !m.areas.contains(where: { $0.pcode == chosen }) {
            choices.append(Choice(value: chosen, label: chosen, selected: true))
        }
        choices += m.areas.map {
            Choice(
                value: $0.pcode, label: ($0.level > 1 ? "· " : "") + $0.name + " (" + $0.pcode + ")",
                selected: $0.pcode == chosen)
        }
        html.options(choices)
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "area_pcode")
    }

    /// The fields folded under "How" and "Response".
    static let howFields = [
        "actor_type", "actor_name", "means", "context", "motive", "time_precision", "known_at", "geo_precision",
    ]
    static let responseFields: Set = ["immediate_actions", "procedures_followed", "verification", "source"]

    /// `<label for="id">text</label>` on its own line.
    static func label(_ id: StaticString, _ text: String, into html: inout HTML) {
        html.markup("\n  <label for=\"")
        html.markup(id)
        html.markup("\">")
        html.text(text)
        html.markup("</label>\n  ")
    }

    static func noneChosen(_ t: Strings, into html: inout HTML) {
        html.markup("<option value=\"\">")
        html.text(t("none_chosen"))
        html.markup("</option>")
    }

    /// A labelled text input whose id and name are the field's.
    static func textField(
        _ id: StaticString, _ labelText: String, _ value: String, _ errors: [String: String], into html: inout HTML
    ) {
        label(id, labelText, into: &html)
        html.markup("<input id=\"")
        html.markup(id)
        html.markup("\" name=\"")
        html.markup(id)
        html.markup("\"")
        html.attribute("value", value)
        html.markup(">")
        html.fieldError(errors, id.description)
    }

    /// A labelled select of every case of a code list, the chosen one marked.
    static func select<T: RawRepresentable & CaseIterable & LabelledCode>(
        _ id: StaticString, _ labelText: String, _ type: T.Type, _ chosen: String, _ t: Strings,
        _ errors: [String: String], into html: inout HTML
    ) where T.RawValue == String {
        label(id, labelText, into: &html)
        html.markup("<select id=\"")
        html.markup(id)
        html.markup("\" name=\"")
        html.markup(id)
        html.markup("\">")
        html.options(
            T.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == chosen) })
        html.markup("</select>")
        html.fieldError(errors, id.description)
    }

    /// A checkbox posting "on" when ticked.
    static func check(_ name: StaticString, _ labelText: String, _ checked: Bool, into html: inout HTML) {
        html.markup("\n  <label class=\"check\"><input type=\"checkbox\" name=\"")
        html.markup(name)
        html.markup(checked ? "\" value=\"on\" checked> " : "\" value=\"on\"> ")
        html.text(labelText)
        html.markup("</label>")
    }

    /// Casualties by harm, nationality and sex: a small grid folded away, open when one is refused.
    static func casualties(_ m: Model, _ t: Strings, into html: inout HTML) {
        let error = Casualties.Cell.all.lazy.compactMap { m.errors[$0.key] }.first
        html.markup("\n  <details")
        if error != nil { html.markup(" open") }
        html.markup("><summary>")
        html.text(t("field_casualties"))
        html.markup("</summary>\n  ")
        // A grid with visible headings: nationality over sex, one row per harm. It scrolls inside its
        // own box on a phone rather than widening the page.
        html.markup("<div class=\"table-box\"><table class=\"casualties\">\n  <thead><tr><td rowspan=\"2\"></td>")
        for nationality in Casualties.Nationality.allCases {
            html.markup("<th scope=\"colgroup\"")
            html.attribute("colspan", String(Casualties.Sex.allCases.count))
            html.markup(">")
            html.text(t(nationality.labelKey))
            html.markup("</th>")
        }
        html.markup("</tr>\n  <tr>")
        for _ in Casualties.Nationality.allCases {
            for sex in Casualties.Sex.allCases {
                html.markup("<th scope=\"col\">")
                html.text(t(sex.labelKey))
                html.markup("</th>")
            }
        }
        html.markup("</tr></thead>\n  <tbody>")
        for harm in Casualties.Harm.allCases {
            html.markup("<tr><th scope=\"row\">")
            html.text(t(harm.labelKey))
            html.markup("</th>")
            for nationality in Casualties.Nationality.allCases {
                for sex in Casualties.Sex.allCases {
                    let cell = Casualties.Cell(harm, nationality, sex)
                    let name = "\(t(harm.labelKey)), \(t(nationality.labelKey)), \(t(sex.labelKey))"
                    html.markup("<td><input")
                    html.attribute("name", "casualties[\(cell.key)]")
                    html.attribute("value", m.values.casualties[cell.key] ?? "")
                    html.markup(" inputmode=\"numeric\" size=\"2\"")
                    html.attribute("aria-label", name)
                    html.markup(" dir=\"ltr\"></td>")
                }
            }
            html.markup("</tr>\n  ")
        }
        html.markup("</tbody></table></div>\n  </details>\n  ")
        if let error {
            html.markup("<p class=\"field-error\">")
            html.text(error)
            html.markup("</p>")
        }
    }

    /// Follow-up rows: what, who, by when, done; each field named and its error beside it.
    static func followUpRows(_ m: Model, _ t: Strings, into html: inout HTML) {
        let rows =
            m.values.followUp.filter { !$0.isBlank }
            + Array(repeating: IncidentInput.FollowUp(), count: max(0, m.blankFollowUpRows))
        for (index, row) in rows.enumerated() {
            let n = String(index)
            html.markup("<fieldset class=\"follow-up-row\"><legend>")
            html.text(t("field_follow_up") + " " + String(index + 1))
            html.markup("</legend>")
            for (field, labelKey, type, value) in [
                ("action", "field_action", "text", row.action),
                ("owner", "field_owner", "text", row.owner),
                ("due", "field_due", "date", row.due),
            ] {
                let name = "follow_up[\(n)][\(field)]"
                html.markup("<label")
                html.attribute("for", "follow_up_\(n)_\(field)")
                html.markup(">")
                html.text(t(labelKey))
                html.markup("</label><input")
                html.attribute("id", "follow_up_\(n)_\(field)")
                html.attribute("name", name)
                html.attribute("type", type)
                html.attribute("value", value)
                html.markup(">")
                html.fieldError(m.errors, name)
            }
            html.markup("<label class=\"check\"><input type=\"checkbox\"")
            html.attribute("name", "follow_up[\(n)][done]")
            html.markup(row.done ? " value=\"on\" checked> " : " value=\"on\"> ")
            html.text(t("field_done"))
            html.markup("</label></fieldset>")
        }
    }
}
