import Domain
import Foundation

/// "I am here": the phone page a person uses to say where they are, in one tap. The places they
/// are most often (their residence, the offices) are buttons; "use my position" sends the phone's
/// location; the emergency numbers are on the same page.
public enum MyLocationPage {
    public struct Model: Sendable {
        public let code: String
        /// Nil when the account has no record in the register.
        public let person: PersonLine?
        /// One-tap places: the residence first, then the offices.
        public let places: [(id: SiteID, name: String)]
        public let emergency: [EmergencyContacts.Contact]
        public let saved: Bool
        public let errors: [String: String]
        /// Movements the person travels on that are not closed.
        public var movements: [MovementLine] = []
        /// The Security Welcome Brief's approved version, when the person has not acknowledged it.
        public var welcomeBriefToAcknowledge: Int?
        public var grabBag: Date?

        public init(
            code: String, person: PersonLine?, places: [(id: SiteID, name: String)],
            emergency: [EmergencyContacts.Contact], saved: Bool, errors: [String: String]
        ) {
            self.code = code
            self.person = person
            self.places = places
            self.emergency = emergency
            self.saved = saved
            self.errors = errors
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("my_location_title"))
        html.markup("</h1>\n")
        if !m.emergency.isEmpty {
            html.markup("<ul class=\"call\" id=\"emergency-numbers\">")
            for contact in m.emergency {
                html.markup("<li><a class=\"button\" href=\"tel:")
                html.text(contact.dialled)
                html.markup("\"><bdi>")
                html.text(contact.name)
                html.markup("</bdi> <span dir=\"ltr\">")
                html.text(contact.phone)
                html.markup("</span></a></li>")
            }
            html.markup("</ul>\n")
        }
        guard let person = m.person else {
            html.paragraph(t("my_location_not_registered"))
            return html
        }
        if m.saved {
            html.markup("<div class=\"saved\" role=\"status\"><p>")
            html.text(t("my_location_saved"))
            html.markup("</p></div>\n")
        }
        html.formErrors(t, m.errors)
        html.captureStatus(t)
        html.markup("<p id=\"current-location\">")
        html.text(t("my_location_last"))
        html.markup(" ")
        html.whereabouts(person, t)
        html.markup("</p>\n<ul class=\"plain one-tap\">")
        let target = SiteURL.personLocation(code, .value(person.id))
        for place in m.places {
            html.markup("<li><form method=\"post\" action=\"")
            html.url(target)
            html.markup("\"")
            html.captureForm(t("my_location_title"))
            html.markup(">")
            html.csrfField(page.csrf)
            html.markup("<input type=\"hidden\" name=\"source\" value=\"self\"><input type=\"hidden\" name=\"site\"")
            html.attribute("value", place.id.uuidString)
            html.markup("><button type=\"submit\" class=\"primary\">")
            html.text(t("my_location_at").replacingOccurrences(of: "{place}", with: place.name))
            html.markup("</button></form></li>")
        }
        // Filled in by locate.js from the phone's position; without JavaScript the coordinates can be typed.
        html.markup("<li><form method=\"post\" class=\"stack\" id=\"position-form\" action=\"")
        html.url(target)
        html.markup("\"")
        html.captureForm(t("my_location_title"))
        html.markup(">")
        html.csrfField(page.csrf)
        html.markup(
            "<input type=\"hidden\" name=\"source\" value=\"self\"><input type=\"hidden\" name=\"precision\" id=\"precision\">"
        )
        html.markup("<button type=\"button\" class=\"primary\" id=\"locate\" data-submit=\"yes\" hidden")
        html.attribute("data-waiting", t("incidents_locating"))
        html.attribute("data-found", t("incidents_located"))
        html.attribute("data-failed", t("incidents_locate_failed"))
        html.markup(">")
        html.text(t("my_location_here"))
        html.markup("</button><span id=\"locate-status\" role=\"status\"></span><details><summary>")
        html.text(t("my_location_coordinates"))
        html.markup("</summary>")
        html.field(
            "latitude", label: t("field_latitude"), value: "", errors: m.errors,
            attributes: "inputmode=\"decimal\" dir=\"ltr\"")
        html.field(
            "longitude", label: t("field_longitude"), value: "", errors: m.errors,
            attributes: "inputmode=\"decimal\" dir=\"ltr\"")
        html.markup("<button type=\"submit\">")
        html.text(t("form_save"))
        html.markup("</button></details></form></li></ul>\n")
        if !m.movements.isEmpty {
            html.markup("<section id=\"my-movements\"><h2>")
            html.text(t("movements_title"))
            html.markup("</h2><ul class=\"plain one-tap\">")
            for line in m.movements {
                html.markup("<li>")
                html.link(
                    .movement(code, .value(line.id)),
                    t("movement_name").replacingOccurrences(of: "{n}", with: String(line.number)) + " · "
                        + line.route.joined(separator: t.rightToLeft ? " ← " : " → "), "class=\"button\"")
                html.markup(" ")
                html.movementStatus(line, t)
                html.markup("</li>")
            }
            html.markup("</ul></section>\n")
        }
        if let version = m.welcomeBriefToAcknowledge {
            html.markup("<form method=\"post\" action=\"")
            html.url(.personBriefings(code, .value(person.id)))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup(
                "<input type=\"hidden\" name=\"kind\" value=\"welcome_brief\"><button type=\"submit\" id=\"acknowledge\">"
            )
            html.text(t("welcome_brief_acknowledge").replacingOccurrences(of: "{n}", with: String(version)))
            html.markup("</button></form>\n")
        }
        html.markup("<p id=\"grab-bag\">")
        html.text(
            m.grabBag.map { t("readiness_grab_bag") + ": ✓ " + t.isolatedMinute($0) } ?? t("readiness_grab_bag_none"))
        html.markup("</p>")
        html.buttonForm(
            .personGrabBag(code, .value(person.id)), csrf: page.csrf, label: t("readiness_grab_bag_confirm"))
        html.markup("\n<p>")
        html.link(.editPerson(code, .value(person.id)), t("person_edit_own"))
        html.markup("</p>\n<script src=\"")
        html.url(.locateScript)
        html.markup("\" defer></script>\n")
        return html
    }
}

/// "Where is everyone?": the count now by security phase, area and site, the people whose location
/// is stale or unknown to be called, and the roll-calls.
public enum HeadcountPage {
    public struct Group: Sendable {
        public let label: String
        public let total: Int
        public let stale: Int
        public init(label: String, total: Int, stale: Int) {
            self.label = label
            self.total = total
            self.stale = stale
        }
    }

    public struct Call: Sendable {
        public let id: RollCallID
        public let number: Int
        public let area: String
        public let openedAt: Date
        public let closedAt: Date?
        public let counts: [RollCallAnswer: Int]
        public init(
            id: RollCallID, number: Int, area: String, openedAt: Date, closedAt: Date?, counts: [RollCallAnswer: Int]
        ) {
            self.id = id
            self.number = number
            self.area = area
            self.openedAt = openedAt
            self.closedAt = closedAt
            self.counts = counts
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let total: Int
        public let byPhase: [Group]
        public let byArea: [Group]
        public let bySite: [Group]
        public let stale: [PersonLine]
        public let unknown: [PersonLine]
        public let staleAfterHours: Int
        public let calls: [Call]
        public let areas: [Choice]
        public let errors: [String: String]

        public init(
            code: String, total: Int, byPhase: [Group], byArea: [Group], bySite: [Group], stale: [PersonLine],
            unknown: [PersonLine], staleAfterHours: Int, calls: [Call], areas: [Choice], errors: [String: String]
        ) {
            self.code = code
            self.total = total
            self.byPhase = byPhase
            self.byArea = byArea
            self.bySite = bySite
            self.stale = stale
            self.unknown = unknown
            self.staleAfterHours = staleAfterHours
            self.calls = calls
            self.areas = areas
            self.errors = errors
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("people_title"), .people(code))])
        html.markup("<h1>")
        html.text(t("headcount_title"))
        html.markup("</h1>\n<p class=\"lede\" id=\"headcount-total\">")
        html.text(
            t("headcount_summary").replacingOccurrences(of: "{n}", with: String(m.total))
                .replacingOccurrences(of: "{stale}", with: String(m.stale.count))
                .replacingOccurrences(of: "{unknown}", with: String(m.unknown.count)))
        html.markup("</p>\n<p><small>")
        html.text(t("headcount_stale_rule").replacingOccurrences(of: "{hours}", with: String(m.staleAfterHours)))
        html.markup("</small></p>\n")
        html.append(calls(m, page))
        html.markup("<div class=\"grid\">")
        for (id, title, groups) in [
            ("by-phase", t("headcount_by_phase"), m.byPhase), ("by-area", t("headcount_by_area"), m.byArea),
            ("by-site", t("headcount_by_site"), m.bySite),
        ] {
            html.markup("<section><h2>")
            html.text(title)
            html.markup("</h2><table class=\"list compact\"")
            html.attribute("id", id)
            html.markup(">")
            html.tableHead([t("headcount_where"), t("headcount_people"), t("headcount_stale_column")])
            html.markup("<tbody>")
            for group in groups {
                html.markup("<tr><td>")
                html.text(group.label)
                html.markup("</td><td class=\"num\">")
                html.text(group.total)
                html.markup("</td><td class=\"num\">")
                html.text(group.stale)
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></section>")
        }
        html.markup("</div>\n")
        for (id, title, lines) in [
            ("stale", t("headcount_stale"), m.stale), ("unknown", t("headcount_unknown"), m.unknown),
        ] {
            html.markup("<section")
            html.attribute("id", id)
            html.markup("><h2>")
            html.text(title + " (" + String(lines.count) + ")")
            html.markup("</h2>")
            if lines.isEmpty {
                html.paragraph(t("headcount_nobody"))
            } else {
                html.markup("<ul class=\"plain call-list\">")
                for line in lines {
                    html.markup("<li>")
                    html.link(.person(code, .value(line.id)), line.name)
                    html.markup(" — ")
                    html.whereabouts(line, t)
                    for number in line.phones.prefix(2) {
                        html.markup(" ")
                        html.phone(number, t)
                    }
                    html.markup("</li>")
                }
                html.markup("</ul>")
            }
            html.markup("</section>\n")
        }
        return html
    }

    static func calls(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.markup("<section id=\"roll-calls\"><h2>")
        html.text(t("roll_calls_title"))
        html.markup("</h2>\n")
        if !m.calls.isEmpty {
            html.markup("<ul class=\"plain\">")
            for call in m.calls {
                html.markup(call.closedAt == nil ? "<li class=\"attention\">" : "<li>")
                html.link(
                    .rollCall(code, .value(call.id)),
                    t("roll_call_name").replacingOccurrences(of: "{n}", with: String(call.number)) + " · " + call.area)
                html.markup(" <small>")
                html.text(
                    t.isolatedMinute(call.openedAt) + " · "
                        + (call.closedAt == nil ? t("roll_call_open") : t("roll_call_closed")) + " · "
                        + RollCallAnswer.allCases.map { t($0.labelKey) + " " + String(call.counts[$0] ?? 0) }
                        .joined(separator: ", "))
                html.markup("</small></li>")
            }
            html.markup("</ul>\n")
        }
        html.markup("<details")
        html.markup(m.errors.isEmpty ? ">" : " open>")
        html.markup("<summary>")
        html.text(t("roll_call_start"))
        html.markup("</summary>")
        html.formErrors(t, m.errors)
        html.markup("<form method=\"post\" class=\"stack narrow\" action=\"")
        html.url(.rollCalls(code))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.select("area", label: t("field_area"), m.areas, blank: nil, errors: m.errors)
        html.field("reason", label: t("roll_call_reason"), value: "", errors: m.errors, attributes: "required")
        html.submitButton(t("roll_call_start"), closing: "</form></details></section>\n")
        return html
    }
}

/// One roll-call: everyone called, their answer, the live count, and closing it.
public enum RollCallPage {
    public struct Model: Sendable {
        public let code: String
        public let id: RollCallID
        public let number: Int
        public let area: String
        public let reason: String
        public let openedAt: Date
        public let closedAt: Date?
        public let lines: [(line: RollCallRecordLine, phones: [PhoneNumber])]
        public init(
            code: String, id: RollCallID, number: Int, area: String, reason: String, openedAt: Date, closedAt: Date?,
            lines: [(line: RollCallRecordLine, phones: [PhoneNumber])]
        ) {
            self.code = code
            self.id = id
            self.number = number
            self.area = area
            self.reason = reason
            self.openedAt = openedAt
            self.closedAt = closedAt
            self.lines = lines
        }
    }

    /// A person's line as the page shows it.
    public struct RollCallRecordLine: Sendable {
        public let personID: PersonID
        public let name: String
        public let answer: RollCallAnswer
        public let answeredAt: Date?
        public let note: String
        public init(personID: PersonID, name: String, answer: RollCallAnswer, answeredAt: Date?, note: String) {
            self.personID = personID
            self.name = name
            self.answer = answer
            self.answeredAt = answeredAt
            self.note = note
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(
            t, operation: m.code, [(t("people_title"), .people(code)), (t("headcount_title"), .headcount(code))])
        html.markup("<h1>")
        html.text(t("roll_call_name").replacingOccurrences(of: "{n}", with: String(m.number)) + " · " + m.area)
        html.markup("</h1>\n<p>")
        html.text(m.reason)
        html.markup(" <small>")
        html.text(t.isolatedMinute(m.openedAt))
        html.markup("</small></p>\n<ul class=\"counts\" id=\"roll-call-counts\" aria-live=\"polite\">")
        for answer in RollCallAnswer.allCases {
            html.markup("<li")
            html.attribute("data-answer", answer.rawValue)
            html.markup("><strong>")
            html.text(m.lines.filter { $0.line.answer == answer }.count)
            html.markup("</strong> ")
            html.text(t(answer.labelKey))
            html.markup("</li>")
        }
        html.markup("</ul>\n")
        if let closed = m.closedAt {
            html.markup("<p class=\"notice\">")
            html.text(t("roll_call_closed_at").replacingOccurrences(of: "{time}", with: t.isolatedMinute(closed)))
            html.markup("</p>\n")
        }
        if m.lines.isEmpty { html.paragraph(t("roll_call_nobody")) }
        html.markup("<ul class=\"plain roll-call\">")
        for (line, phones) in m.lines {
            html.markup("<li")
            html.attribute("data-answer", line.answer.rawValue)
            html.markup("><strong>")
            html.link(.person(code, .value(line.personID)), line.name)
            html.markup("</strong> ")
            for number in phones.prefix(2) {
                html.phone(number, t)
                html.markup(" ")
            }
            html.markup("<span class=\"tag\">")
            html.text(t(line.answer.labelKey))
            html.markup("</span>")
            if let at = line.answeredAt {
                html.markup(" <small>")
                html.text(t.isolatedMinute(at))
                html.markup("</small>")
            }
            if !line.note.isEmpty {
                html.markup("<br><small>")
                html.text(line.note)
                html.markup("</small>")
            }
            if m.closedAt == nil {
                html.markup("<form method=\"post\" class=\"inline answers\" action=\"")
                html.url(.rollCallAnswers(code, .value(m.id)))
                html.markup("\">")
                html.csrfField(page.csrf)
                html.markup("<input type=\"hidden\" name=\"person\"")
                html.attribute("value", line.personID.uuidString)
                html.markup("><input name=\"note\" class=\"note\"")
                html.attribute("aria-label", t("field_note") + " · " + line.name)
                html.attribute("placeholder", t("field_note"))
                html.markup(">")
                for answer in RollCallAnswer.allCases {
                    html.markup("<button type=\"submit\" name=\"answer\" class=\"small\"")
                    html.attribute("value", answer.rawValue)
                    html.markup(">")
                    html.text(t(answer.labelKey))
                    html.markup("</button>")
                }
                html.markup("</form>")
            }
            html.markup("</li>")
        }
        html.markup("</ul>\n")
        if m.closedAt == nil {
            html.buttonForm(
                .closeRollCall(code, .value(m.id)), csrf: page.csrf, label: t("roll_call_close"), buttonClass: "danger")
        }
        return html
    }
}

/// The 24/7 list: everyone present, one table per location, numbers large, made to be printed (A4,
/// "confidential" and the printing time on every page) so it still reads when the network is down.
public enum ContactListPage {
    public struct Group: Sendable {
        public let place: String
        public let people: [PersonLine]
        public init(place: String, people: [PersonLine]) {
            self.place = place
            self.people = people
        }
    }

    public struct Model: Sendable {
        public let code: String
        public let operationName: String
        public let groups: [Group]
        public let emergency: [EmergencyContacts.Contact]
        public let printedAt: Date
        public init(
            code: String, operationName: String, groups: [Group], emergency: [EmergencyContacts.Contact],
            printedAt: Date
        ) {
            self.code = code
            self.operationName = operationName
            self.groups = groups
            self.emergency = emergency
            self.printedAt = printedAt
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("people_title"), .people(code))])
        // Repeated on every printed page (a fixed element prints on each page in Chromium).
        html.printFrameStart(t, operation: m.operationName, at: m.printedAt)
        html.markup("<h1>")
        html.text(t("contact_list_title"))
        html.markup("</h1>\n<p class=\"no-print actions\"><button type=\"button\" id=\"print\" data-print hidden>")
        html.text(t("contact_list_print"))
        html.markup("</button> <a href=\"")
        html.text(SiteURL.peopleExport(code).path(query: [("format", "csv")]))
        html.markup("\">CSV</a> · <a href=\"")
        html.text(SiteURL.peopleExport(code).path(query: [("format", "vcf")]))
        html.markup("\">vCard</a></p>\n")
        if !m.emergency.isEmpty {
            html.markup("<section class=\"contact-group\"><h2>")
            html.text(t("contact_list_emergency"))
            html.markup("</h2><div class=\"scroll\"><table class=\"list contacts\"><tbody>")
            for contact in m.emergency {
                html.markup("<tr><th scope=\"row\">")
                html.text(contact.name)
                html.markup("</th><td><a class=\"phone\" dir=\"ltr\" href=\"tel:")
                html.text(contact.dialled)
                html.markup("\">")
                html.text(contact.phone)
                html.markup("</a></td></tr>")
            }
            html.markup("</tbody></table></div></section>\n")
        }
        if m.groups.isEmpty { html.paragraph(t("people_none")) }
        for group in m.groups {
            html.markup("<section class=\"contact-group\"><h2>")
            html.text(group.place + " (" + String(group.people.count) + ")")
            html.markup("</h2><div class=\"scroll\"><table class=\"list contacts\">")
            html.tableHead([t("field_name"), t("field_phone"), t("field_radio_call_sign"), t("field_email")])
            html.markup("<tbody>")
            for person in group.people {
                html.markup("<tr><th scope=\"row\">")
                html.link(.person(code, .value(person.id)), person.name)
                html.markup("<br><small>")
                html.text(
                    [person.function, t(person.category.labelKey)].filter { !$0.isEmpty }.joined(separator: " · "))
                if person.freshness != .current {
                    html.markup(" · ")
                    html.text(t(person.freshness.labelKey))
                }
                html.markup("</small></th><td>")
                for (index, number) in person.phones.enumerated() {
                    if index > 0 { html.markup("<br>") }
                    html.phone(number, t)
                }
                html.markup("</td><td dir=\"ltr\">")
                html.text(person.radioCallSign)
                html.markup("</td><td dir=\"ltr\">")
                html.text(person.email ?? "")
                html.markup("</td></tr>")
            }
            html.markup("</tbody></table></div></section>\n")
        }
        html.printFrameEnd()
        html.markup("<script src=\"")
        html.url(.printScript)
        html.markup("\" defer></script>\n")
        return html
    }
}
