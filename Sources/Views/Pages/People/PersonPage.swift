import Domain
import Foundation

/// One person of the register: who they are to IFRC, how to reach them, relocation details, where
/// they were confirmed, and (for those who keep the register) the radio room's form to confirm
/// where they are now.
public enum PersonPage {
    public struct Model: Sendable {
        public let code: String
        public let line: PersonLine
        public let draft: PersonDraft
        /// Names of the residence and assembly point, when the reader may see those sites.
        public let residence: String?
        public let assemblyPoint: String?
        public let accountName: String?
        public let history: [(place: String, at: Date, source: LocationSource, by: String?, note: String)]
        /// What the radio room's form offers.
        public let sites: [Choice]
        public let areas: [Choice]
        /// Keeps the register (edit everything, confirm locations, mark as left); else it is one's own record.
        public let canKeep: Bool
        public let errors: [String: String]
        public var readiness = Readiness()

        public init(
            code: String, line: PersonLine, draft: PersonDraft, residence: String?, assemblyPoint: String?,
            accountName: String?,
            history: [(place: String, at: Date, source: LocationSource, by: String?, note: String)],
            sites: [Choice], areas: [Choice], canKeep: Bool, errors: [String: String]
        ) {
            self.code = code
            self.line = line
            self.draft = draft
            self.residence = residence
            self.assemblyPoint = assemblyPoint
            self.accountName = accountName
            self.history = history
            self.sites = sites
            self.areas = areas
            self.canKeep = canKeep
            self.errors = errors
        }
    }

    /// Briefings, trainings, movements, documents and grab bag.
    public struct Readiness: Sendable {
        public var arrival: ArrivalBriefing.State = .unknown
        public var briefings: [Briefing] = []
        public var trainings: [(course: String, record: TrainingRecord, valid: Bool)] = []
        public var lacking: [String] = []
        public var movements: [MovementLine] = []
        public var grabBag: Date?
        /// The approved versions briefings are given from.
        public var welcomeBriefVersion: Int?
        public var relocationPlanVersion: Int?
        public var courses: [Choice] = []
        public init() {}
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), d = m.draft
        var html = HTML()
        html.crumbs(t, operation: m.code, m.canKeep ? [(t("people_title"), .people(code))] : [])
        html.markup("<h1>")
        html.text(m.line.name)
        html.markup("</h1>\n<p class=\"actions\">")
        html.link(
            .editPerson(code, .value(m.line.id)), t(m.canKeep ? "person_edit" : "person_edit_own"), "class=\"button\"")
        if m.canKeep {
            html.markup(" ")
            html.buttonForm(
                .personLeft(code, .value(m.line.id)), csrf: page.csrf,
                label: t(m.line.hasLeft ? "person_returned" : "person_mark_left"))
        }
        html.markup("</p>\n<p><small>")
        html.text(t("person_view_recorded"))
        html.markup("</small></p>\n<div class=\"grid halves\"><section><h2>")
        html.text(t("person_contact"))
        html.markup("</h2>\n<dl class=\"facts\">")
        func fact(_ label: String, _ body: (inout HTML) -> Void) {
            html.markup("<dt>")
            html.text(label)
            html.markup("</dt><dd>")
            body(&html)
            html.markup("</dd>")
        }
        fact(t("field_person_category")) { $0.text(t(d.category.labelKey) + " · " + t(d.origin.labelKey)) }
        if !d.function.isEmpty || !d.organisation.isEmpty {
            fact(t("field_function")) {
                $0.text([d.function, d.organisation].filter { !$0.isEmpty }.joined(separator: " · "))
            }
        }
        for number in d.phones { fact(t(number.kind.labelKey)) { $0.phone(number, t) } }
        if !d.radioCallSign.isEmpty {
            fact(t("field_radio_call_sign")) {
                $0.markup("<span dir=\"ltr\">")
                $0.text(d.radioCallSign)
                $0.markup("</span>")
            }
        }
        if let email = d.email {
            fact(t("field_email")) {
                $0.markup("<a dir=\"ltr\" href=\"mailto:")
                $0.text(email)
                $0.markup("\">")
                $0.text(email)
                $0.markup("</a>")
            }
        }
        if !d.languages.isEmpty { fact(t("field_languages")) { $0.text(d.languages.joined(separator: ", ")) } }
        if !d.emergencyContactName.isEmpty || d.emergencyContactPhone != nil {
            fact(t("field_emergency_contact")) {
                $0.text(d.emergencyContactName)
                if let number = d.emergencyContactPhone {
                    $0.markup(" ")
                    $0.phone(number, t)
                }
            }
        }
        if let arrival = d.arrivalAt { fact(t("field_arrival")) { $0.text(t.isolatedMinute(arrival)) } }
        if let departure = d.plannedDepartureAt {
            fact(t("field_planned_departure")) { $0.text(t.isolatedMinute(departure)) }
        }
        if let account = m.accountName { fact(t("field_account")) { $0.text(account) } }
        if let external = d.externalID {
            fact(t("field_external_id")) {
                $0.markup("<span dir=\"ltr\">")
                $0.text(external)
                $0.markup("</span>")
            }
        }
        html.markup("</dl></section>\n<section><h2>")
        html.text(t("person_relocation"))
        html.markup("</h2>\n<dl class=\"facts\">")
        fact(t("field_residence")) { $0.text(m.residence ?? "—") }
        fact(t("field_assembly_point")) { $0.text(m.assemblyPoint ?? "—") }
        fact(t("field_relocation_group")) { $0.text(d.relocationGroup.isEmpty ? "—" : d.relocationGroup) }
        fact(t("field_relocation_priority")) { $0.text(d.relocationPriority.map(String.init) ?? "—") }
        html.markup("</dl></section></div>\n<section id=\"location\"><h2>")
        html.text(t("person_where"))
        html.markup("</h2>\n<p id=\"current-location\">")
        html.whereabouts(m.line, t)
        html.markup("</p>\n")
        if m.canKeep { html.append(locationForm(m, page)) }
        if !m.history.isEmpty {
            html.markup("<h3>")
            html.text(t("person_location_history"))
            html.markup("</h3>\n<ul class=\"plain timeline\">")
            for entry in m.history {
                html.markup("<li>")
                html.text(entry.place)
                html.markup(" <small>")
                html.text(
                    t.isolatedMinute(entry.at) + " · " + t(entry.source.labelKey) + (entry.by.map { " · " + $0 } ?? ""))
                html.markup("</small>")
                if !entry.note.isEmpty {
                    html.markup("<br>")
                    html.text(entry.note)
                }
                html.markup("</li>")
            }
            html.markup("</ul>\n")
        }
        html.markup("</section>\n")
        html.append(readiness(m, page))
        return html
    }

    static func readiness(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), r = m.readiness, id = Parameter.value(m.line.id)
        var html = HTML()
        html.markup("<section id=\"briefings\"><h2>")
        html.text(t("person_briefings"))
        html.markup("</h2>\n<p id=\"arrival-briefing\">")
        switch r.arrival {
        case .briefed(let at):
            html.text(t("briefing_kind_security_briefing") + ": ✓ " + t.isolatedMinute(at))
        case .due(let deadline):
            html.text(t("readiness_due_by").replacingOccurrences(of: "{time}", with: t.isolatedMinute(deadline)))
        case .overdue(let deadline):
            html.markup("<span class=\"tag serious\">")
            html.text(t("readiness_overdue_since").replacingOccurrences(of: "{time}", with: t.isolatedMinute(deadline)))
            html.markup("</span> ")
            html.text(t("readiness_no_movement"))
        case .unknown:
            html.text(t("briefing_kind_security_briefing") + ": —")
        }
        html.markup("</p>\n")
        if !r.briefings.isEmpty {
            html.markup("<ul class=\"plain timeline\">")
            for b in r.briefings {
                html.markup("<li>")
                html.text(t(b.kind.labelKey))
                if let version = b.planVersion {
                    html.text(" · " + t("plan_version_short").replacingOccurrences(of: "{n}", with: String(version)))
                }
                if let area = b.areaPcode {
                    html.text(" · " + area)
                }
                html.markup(" <small>")
                html.text(t.isolatedMinute(b.givenAt) + " · " + b.givenBy)
                html.markup("</small></li>")
            }
            html.markup("</ul>\n")
        }
        if m.canKeep {
            html.markup("<details><summary>")
            html.text(t("briefing_record"))
            html.markup("</summary><form method=\"post\" class=\"stack narrow\" action=\"")
            html.url(.personBriefings(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.select(
                "kind", label: t("briefing_kind"),
                BriefingKind.allCases.map { kind in
                    var label = t(kind.labelKey)
                    let version =
                        kind == .welcomeBrief
                        ? r.welcomeBriefVersion : kind == .relocationPlan ? r.relocationPlanVersion : nil
                    if let version {
                        label +=
                            " (" + t("plan_version_short").replacingOccurrences(of: "{n}", with: String(version)) + ")"
                    }
                    return Choice(value: kind.rawValue, label: label, selected: false)
                }, blank: nil, errors: m.errors)
            html.field(
                "given_at", label: t("briefing_given_at"), value: "", errors: m.errors,
                attributes: "type=\"datetime-local\"")
            html.field("given_by", label: t("briefing_given_by"), value: "", errors: m.errors, attributes: "required")
            html.select("area", id: "briefing-area", label: t("briefing_area"), m.areas, blank: "—", errors: m.errors)
            html.submitButton(t("form_save"), closing: "</form></details>\n")
        }
        html.markup("</section>\n<section id=\"trainings\"><h2>")
        html.text(t("readiness_trainings"))
        html.markup("</h2>\n")
        if !r.lacking.isEmpty {
            html.markup("<p class=\"warning\" id=\"lacking\">")
            html.text(t("training_lacking") + " " + r.lacking.joined(separator: ", "))
            html.markup("</p>\n")
        }
        if !r.trainings.isEmpty {
            html.markup("<ul class=\"plain\">")
            for entry in r.trainings {
                html.markup(entry.valid ? "<li>" : "<li class=\"overdue\">")
                html.text(entry.course + " · " + DateText.day(entry.record.completedOn))
                html.markup(" <small>")
                if let expires = entry.record.expiresOn {
                    html.text(
                        t(entry.valid ? "training_valid_until" : "training_expired_on").replacingOccurrences(
                            of: "{day}", with: DateText.day(expires)))
                }
                if !entry.record.evidence.isEmpty { html.text(" · " + entry.record.evidence) }
                html.markup("</small></li>")
            }
            html.markup("</ul>\n")
        }
        if m.canKeep {
            html.markup("<details><summary>")
            html.text(t("training_record"))
            html.markup("</summary><form method=\"post\" class=\"stack narrow\" action=\"")
            html.url(.personTrainings(code, id))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.select("course", label: t("training_course"), r.courses, blank: nil, errors: m.errors)
            html.field(
                "completed_on", label: t("training_completed_on"), value: "", errors: m.errors,
                attributes: "type=\"date\" required")
            html.field("evidence", label: t("training_evidence"), value: "", errors: m.errors)
            html.submitButton(t("form_save"), closing: "</form></details>\n")
        }
        html.markup("</section>\n<section id=\"readiness\"><h2>")
        html.text(t("readiness_grab_bag"))
        html.markup("</h2><p>")
        html.text(r.grabBag.map { "✓ " + t.isolatedMinute($0) } ?? t("readiness_grab_bag_none"))
        html.markup("</p>")
        html.buttonForm(.personGrabBag(code, id), csrf: page.csrf, label: t("readiness_grab_bag_confirm"))
        html.markup("</section>\n")
        if !r.movements.isEmpty {
            html.markup("<section id=\"person-movements\"><h2>")
            html.text(t("movements_title"))
            html.markup("</h2><ul class=\"plain\">")
            for line in r.movements {
                html.markup("<li>")
                html.link(
                    .movement(code, .value(line.id)),
                    t("movement_name").replacingOccurrences(of: "{n}", with: String(line.number)))
                html.markup(" ")
                html.movementStatus(line, t)
                html.markup(" <small>")
                html.text(
                    line.route.joined(separator: t.rightToLeft ? " ← " : " → ") + " · "
                        + t.isolatedMinute(line.departure))
                html.markup("</small></li>")
            }
            html.markup("</ul></section>\n")
        }
        return html
    }

    /// The radio room's form: where the person said they are, on a call.
    static func locationForm(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<details")
        html.markup(m.errors.isEmpty ? ">" : " open>")
        html.markup("<summary>")
        html.text(t("person_confirm_location"))
        html.markup("</summary>\n")
        html.formErrors(t, m.errors)
        html.markup("<form method=\"post\" class=\"stack\" action=\"")
        html.url(.personLocation(.value(m.code), .value(m.line.id)))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.markup("<input type=\"hidden\" name=\"source\" value=\"radio_room\"><p><small>")
        html.text(t("person_location_one"))
        html.markup("</small></p>")
        html.select("site", id: "location-site", label: t("field_site"), m.sites, blank: "—", errors: m.errors)
        html.select("area", id: "location-area", label: t("field_area"), m.areas, blank: "—", errors: m.errors)
        html.markup("\n  <fieldset><legend>")
        html.text(t("field_coordinates"))
        html.markup("</legend>")
        html.field(
            "latitude", label: t("field_latitude"), value: "", errors: m.errors,
            attributes: "inputmode=\"decimal\" dir=\"ltr\"")
        html.field(
            "longitude", label: t("field_longitude"), value: "", errors: m.errors,
            attributes: "inputmode=\"decimal\" dir=\"ltr\"")
        html.markup("</fieldset>")
        html.field("note", id: "location-note", label: t("field_note"), value: "", errors: m.errors)
        html.submitButton(t("person_confirm_location_button"), closing: "</form></details>\n")
        return html
    }
}

/// The form that adds a person or changes one; a person changing their own record sees only how
/// to reach them.
public enum PersonForm {
    public struct Model: Sendable {
        public let code: String
        public let id: PersonID?
        public let values: PersonInput
        public let errors: [String: String]
        public let version: String
        public let stale: StaleNotice?
        public let sites: [(id: SiteID, name: String)]
        public let members: [(id: UserID, name: String)]
        /// False for one's own record: the contact fields only.
        public let canKeep: Bool

        public init(
            code: String, id: PersonID?, values: PersonInput, errors: [String: String], version: String,
            stale: StaleNotice?, sites: [(id: SiteID, name: String)], members: [(id: UserID, name: String)],
            canKeep: Bool
        ) {
            self.code = code
            self.id = id
            self.values = values
            self.errors = errors
            self.version = version
            self.stale = stale
            self.sites = sites
            self.members = members
            self.canKeep = canKeep
        }
    }

    public static func title(_ m: Model, _ t: Strings) -> String {
        t(m.id == nil ? "people_new" : (m.canKeep ? "person_edit" : "person_edit_own"))
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, v = m.values, code = Parameter.value(m.code), e = m.errors
        var html = HTML()
        html.crumbs(t, operation: m.code, m.canKeep ? [(t("people_title"), .people(code))] : [])
        html.markup("<h1>")
        html.text(title(m, t))
        html.markup("</h1>\n<p><small>")
        html.text(t("person_minimum_data"))
        html.markup("</small></p>\n")
        html.formErrors(t, e)
        html.staleNotice(m.stale, t)
        html.markup("<form method=\"post\" class=\"stack narrow\" action=\"")
        html.url(m.id.map { .editPerson(code, .value($0)) } ?? .people(code))
        html.markup("\">\n  ")
        html.csrfField(page.csrf)
        if m.id != nil {
            html.markup("<input type=\"hidden\" name=\"version\"")
            html.attribute("value", m.version)
            html.markup(">")
        }
        if m.canKeep {
            html.field(
                "full_name", label: t("field_full_name"), value: v.fullName, errors: e,
                attributes: "required")
            html.select(
                "category", label: t("field_person_category"),
                PersonCategory.allCases.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.category)
                },
                blank: nil, errors: e)
            html.select(
                "origin", label: t("field_origin"),
                StaffOrigin.allCases.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.origin)
                },
                blank: nil, errors: e)
            html.field("organisation", label: t("field_organisation"), value: v.organisation, errors: e)
            html.field("function", label: t("field_function"), value: v.function, errors: e)
        }
        html.field("languages", label: t("field_languages"), value: v.languages, errors: e)
        html.markup("\n  <fieldset><legend>")
        html.text(t("person_phones"))
        html.markup("</legend>")
        html.field(
            "mobile_phone", label: t("phone_kind_mobile"), value: v.mobilePhone, errors: e,
            attributes: "type=\"tel\" dir=\"ltr\"")
        html.field(
            "satellite_phone", label: t("phone_kind_satellite"), value: v.satellitePhone, errors: e,
            attributes: "type=\"tel\" dir=\"ltr\"")
        html.field(
            "other_phone", label: t("phone_kind_other"), value: v.otherPhone, errors: e,
            attributes: "type=\"tel\" dir=\"ltr\"")
        html.markup("</fieldset>")
        html.field(
            "radio_call_sign", label: t("field_radio_call_sign"), value: v.radioCallSign, errors: e,
            attributes: "dir=\"ltr\"")
        if m.canKeep {
            html.field(
                "email", label: t("field_email"), value: v.email, errors: e,
                attributes: "type=\"email\" dir=\"ltr\"")
        }
        html.field(
            "emergency_contact_name", label: t("field_emergency_contact"), value: v.emergencyContactName, errors: e)
        html.field(
            "emergency_contact_phone", label: t("field_emergency_contact_phone"), value: v.emergencyContactPhone,
            errors: e, attributes: "type=\"tel\" dir=\"ltr\"")
        if m.canKeep {
            html.field(
                "arrival", label: t("field_arrival"), value: v.arrival, errors: e, attributes: "type=\"datetime-local\""
            )
            html.field(
                "planned_departure", label: t("field_planned_departure"), value: v.plannedDeparture, errors: e,
                attributes: "type=\"datetime-local\"")
            let sites = m.sites.map { Choice(value: $0.id.uuidString, label: $0.name, selected: false) }
            func chosen(_ id: String) -> [Choice] {
                sites.map { Choice(value: $0.value, label: $0.label, selected: $0.value == id) }
            }
            html.select("residence", label: t("field_residence"), chosen(v.residence), blank: "—", errors: e)
            html.select(
                "assembly_point", label: t("field_assembly_point"), chosen(v.assemblyPoint), blank: "—", errors: e)
            // The hidden field says the box was on the form: unticked then means "no", not "left out".
            html.markup(
                "\n  <input type=\"hidden\" name=\"manager_shown\" value=\"yes\"><label class=\"check\"><input type=\"checkbox\" name=\"manager\" value=\"yes\""
            )
            html.markup(v.manager == "yes" ? " checked> " : "> ")
            html.text(t("field_manager"))
            html.markup("</label>")
            html.select(
                "relocation", label: t("field_relocation"),
                RelocationChoice.allCases.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.relocation)
                },
                blank: t("relocation_undecided"), errors: e)
            html.field("relocation_group", label: t("field_relocation_group"), value: v.relocationGroup, errors: e)
            html.field(
                "relocation_priority", label: t("field_relocation_priority"), value: v.relocationPriority, errors: e,
                attributes: "inputmode=\"numeric\" dir=\"ltr\"")
            html.select(
                "account", label: t("field_account"),
                m.members.map {
                    Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.account)
                },
                blank: t("person_no_account"), errors: e)
            html.field(
                "external_id", label: t("field_external_id"), value: v.externalID, errors: e, attributes: "dir=\"ltr\"")
        }
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}
