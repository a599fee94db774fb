import Domain
import Foundation

/// One person as the register's pages list them: who, how to reach them, and where they were last.
public struct PersonLine: Sendable {
    public let id: PersonID
    public let name: String
    public let category: PersonCategory
    public let function: String
    public let organisation: String
    public let phones: [PhoneNumber]
    public let radioCallSign: String
    public let email: String?
    /// "Khartoum office", "Kassala (SD11)", "15.50000, 32.56000 ±20 m"; nil when never located.
    public let place: String?
    public let confirmedAt: Date?
    public let freshness: LocationFreshness
    public let hasLeft: Bool

    public init(
        id: PersonID, name: String, category: PersonCategory, function: String, organisation: String,
        phones: [PhoneNumber], radioCallSign: String, email: String?, place: String?, confirmedAt: Date?,
        freshness: LocationFreshness, hasLeft: Bool
    ) {
        self.id = id
        self.name = name
        self.category = category
        self.function = function
        self.organisation = organisation
        self.phones = phones
        self.radioCallSign = radioCallSign
        self.email = email
        self.place = place
        self.confirmedAt = confirmedAt
        self.freshness = freshness
        self.hasLeft = hasLeft
    }
}

extension Strings {
    /// A time on the operation's clock, isolated left to right (U+2066 … U+2069), so that in
    /// Arabic "2026-12-05 11:02 UTC+2" keeps its order inside a sentence.
    public func isolatedMinute(_ date: Date) -> String { "\u{2066}" + minute(date) + "\u{2069}" }
}

extension HTML {
    /// A phone number as a `tel:` link, read left to right; a number that could not be read is
    /// shown as written and marked.
    mutating func phone(_ number: PhoneNumber, _ t: Strings) {
        markup("<a dir=\"ltr\" class=\"phone\" href=\"tel:")
        text(number.dialled)
        markup("\">")
        text(number.display)
        markup("</a>")
        if number.kind != .mobile {
            markup(" <small>")
            text(t(number.kind.labelKey))
            markup("</small>")
        }
        if number.e164 == nil {
            markup(" <small class=\"warning\">")
            text(t("person_phone_unread"))
            markup("</small>")
        }
    }

    /// Where a person was last confirmed, and how long ago, with a word when it is stale or unknown.
    mutating func whereabouts(_ line: PersonLine, _ t: Strings) {
        if let place = line.place {
            text(place)
            if let at = line.confirmedAt {
                markup(" <small class=\"nowrap\">")
                text(t.isolatedMinute(at))
                markup("</small>")
            }
            if line.freshness == .stale {
                markup(" <span class=\"tag serious\">")
                text(t("freshness_stale"))
                markup("</span>")
            }
        } else {
            markup("<span class=\"tag serious\">")
            text(t("freshness_unknown"))
            markup("</span>")
        }
    }

    /// Opens the frame of a list made for paper: "CONFIDENTIAL · operation · list as of …" in the
    /// head of one table that holds the whole list, which Chromium repeats at the top of every
    /// printed page (a fixed element does not print in the page margin). Hidden on screen.
    mutating func printFrameStart(_ t: Strings, operation: String, at time: Date) {
        markup("<table class=\"print-frame\" role=\"presentation\"><thead><tr><td><p class=\"print-header\"><strong>")
        text(t("contact_list_confidential"))
        markup("</strong> · ")
        text(operation)
        markup(" · ")
        text(t("contact_list_printed").replacingOccurrences(of: "{time}", with: t.isolatedMinute(time)))
        markup("</p></td></tr></thead><tbody><tr><td>\n")
    }

    mutating func printFrameEnd() { markup("</td></tr></tbody></table>\n") }

    /// A form's primary submit button and the form's end.
    mutating func submitButton(_ label: String, closing: StaticString = "</form>\n") {
        markup("<button type=\"submit\" class=\"primary\">")
        text(label)
        markup("</button>")
        markup(closing)
    }

    /// A labelled text input of a `stack` form, with its error.
    mutating func field(
        _ name: String, id: String? = nil, label: String, value: String, errors: [String: String],
        attributes: StaticString = ""
    ) {
        markup("\n  <label")
        attribute("for", id ?? name)
        markup(">")
        text(label)
        markup("</label>\n  <input")
        attribute("id", id ?? name)
        attribute("name", name)
        attribute("value", value)
        if attributes.utf8CodeUnitCount > 0 { markup(" "); markup(attributes) }
        markup(">")
        fieldError(errors, name)
    }

    /// A labelled select of a `stack` form, with an empty first choice when `blank` is given.
    mutating func select(
        _ name: String, id: String? = nil, label: String, _ choices: [Choice], blank: String?,
        errors: [String: String]
    ) {
        markup("\n  <label")
        attribute("for", id ?? name)
        markup(">")
        text(label)
        markup("</label>\n  <select")
        attribute("id", id ?? name)
        attribute("name", name)
        markup(">")
        if let blank {
            markup("<option value=\"\">")
            text(blank)
            markup("</option>")
        }
        options(choices)
        markup("</select>")
        fieldError(errors, name)
    }
}

/// The personnel register: everyone under IFRC security responsibility in the operation, where
/// they are, and the ways to the headcount, the 24/7 list, the import and the exports.
public enum PeopleRegister {
    public struct Model: Sendable {
        public let code: String
        public let rows: [PersonLine]
        public let search: String
        public let category: PersonCategory?
        public let includeLeft: Bool
        /// The HeOps names focal points: the names now, and the members who could be named.
        public let focalPoints: [(id: UserID, name: String)]
        public let candidates: [(id: UserID, name: String)]
        public let canNameFocalPoints: Bool
        public let importReport: [String]

        public init(
            code: String, rows: [PersonLine], search: String, category: PersonCategory?, includeLeft: Bool,
            focalPoints: [(id: UserID, name: String)], candidates: [(id: UserID, name: String)],
            canNameFocalPoints: Bool, importReport: [String]
        ) {
            self.code = code
            self.rows = rows
            self.search = search
            self.category = category
            self.includeLeft = includeLeft
            self.focalPoints = focalPoints
            self.candidates = candidates
            self.canNameFocalPoints = canNameFocalPoints
            self.importReport = importReport
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("people_title"))
        html.markup("</h1>\n<p class=\"actions\">")
        html.link(.newPerson(code), t("people_new"), "class=\"button primary\"")
        html.markup(" ")
        html.link(.headcount(code), t("headcount_title"), "class=\"button\"")
        html.markup(" ")
        html.link(.contactList(code), t("contact_list_title"), "class=\"button\"")
        html.markup(" ")
        html.link(.myLocation(code), t("my_location_title"), "class=\"button\"")
        html.markup("</p>\n")
        html.importReport(m.importReport)
        html.markup("<form method=\"get\" class=\"inline filters\" role=\"search\">\n  <label for=\"q\">")
        html.text(t("people_search"))
        html.markup("</label><input id=\"q\" name=\"q\"")
        html.attribute("value", m.search)
        html.markup(">\n  <label for=\"category\">")
        html.text(t("field_person_category"))
        html.markup("</label><select id=\"category\" name=\"category\"><option value=\"\">")
        html.text(t("all"))
        html.markup("</option>")
        html.options(
            PersonCategory.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.category)
            })
        html.markup("</select>\n  <label class=\"check\"><input type=\"checkbox\" name=\"left\" value=\"yes\"")
        html.markup(m.includeLeft ? " checked> " : "> ")
        html.text(t("people_include_left"))
        html.markup("</label>\n  <button type=\"submit\">")
        html.text(t("filter"))
        html.markup("</button>\n</form>\n<p id=\"people-count\">")
        html.text(t("people_count").replacingOccurrences(of: "{n}", with: String(m.rows.count)))
        html.markup("</p>\n")
        if m.rows.isEmpty {
            html.paragraph(t("people_none"))
        } else {
            html.markup("<div class=\"scroll\"><table class=\"list\" id=\"people\">\n")
            html.tableHead([
                t("field_name"), t("field_person_category"), t("field_function"), t("person_where"),
                t("field_phone"),
            ])
            html.markup("\n<tbody>")
            for row in m.rows {
                html.markup(row.hasLeft ? "<tr class=\"closed\"><td>" : "<tr><td>")
                html.link(.person(code, .value(row.id)), row.name)
                if row.hasLeft {
                    html.markup(" <small>")
                    html.text(t("person_has_left"))
                    html.markup("</small>")
                }
                html.markup("</td><td>")
                html.text(t(row.category.labelKey))
                html.markup("</td><td>")
                html.text(row.function)
                if !row.organisation.isEmpty {
                    html.markup(" <small>")
                    html.text(row.organisation)
                    html.markup("</small>")
                }
                html.markup("</td><td>")
                html.whereabouts(row, t)
                html.markup("</td><td>")
                if let phone = row.phones.first { html.phone(phone, t) }
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table></div>\n")
        }
        html.markup("<p>")
        html.text(t("people_export"))
        html.markup(" <a href=\"")
        html.text(SiteURL.peopleExport(code).path(query: [("format", "csv")]))
        html.markup("\">CSV</a> · <a href=\"")
        html.text(SiteURL.peopleExport(code).path(query: [("format", "vcf")]))
        html.markup("\">vCard</a></p>\n")
        importForm(m, page)
        focalPoints(m, page)
        return html
    }

    static func importForm(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<section id=\"import\"><h2>")
        html.text(t("people_import"))
        html.markup("</h2>\n<p><small>")
        html.text(t("people_import_help"))
        // The token rides in the query too: a streamed upload is checked before its body is read.
        html.markup(
            "</small></p>\n<form method=\"post\" enctype=\"multipart/form-data\" class=\"stack\" id=\"people-upload\" action=\""
        )
        html.text(SiteURL.peopleImport(.value(m.code)).path(query: [("_csrf", page.csrf)]))
        html.markup("\">")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"file\">")
        html.text(t("field_file"))
        html.markup("</label><input id=\"file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\" required>\n  ")
        html.markup("<button type=\"submit\">")
        html.text(t("people_import_button"))
        html.markup("</button>\n</form></section>\n")
        return html
    }

    static func focalPoints(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<section id=\"focal-points\"><h2>")
        html.text(t("focal_points_title"))
        html.markup("</h2>\n<p><small>")
        html.text(t("focal_points_help"))
        html.markup("</small></p>\n")
        if m.focalPoints.isEmpty {
            html.paragraph(t("focal_points_none"))
        } else {
            html.markup("<ul class=\"plain\">")
            for person in m.focalPoints {
                html.markup("<li>")
                html.text(person.name)
                if m.canNameFocalPoints {
                    html.markup(" <form method=\"post\" class=\"inline\" action=\"")
                    html.url(.focalPoints(.value(m.code)))
                    html.markup("\">")
                    html.csrfField(page.csrf)
                    html.markup("<input type=\"hidden\" name=\"user\"")
                    html.attribute("value", person.id.uuidString)
                    html.markup(
                        "><input type=\"hidden\" name=\"named\" value=\"no\"><button type=\"submit\" class=\"small\">")
                    html.text(t("focal_points_remove"))
                    html.markup("</button></form>")
                }
                html.markup("</li>")
            }
            html.markup("</ul>\n")
        }
        if m.canNameFocalPoints && !m.candidates.isEmpty {
            html.markup("<form method=\"post\" class=\"inline\" action=\"")
            html.url(.focalPoints(.value(m.code)))
            html.markup("\">")
            html.csrfField(page.csrf)
            html.markup("<input type=\"hidden\" name=\"named\" value=\"yes\"><label for=\"focal-user\">")
            html.text(t("focal_points_name"))
            html.markup("</label><select id=\"focal-user\" name=\"user\">")
            html.options(m.candidates.map { Choice(value: $0.id.uuidString, label: $0.name, selected: false) })
            html.markup("</select><button type=\"submit\">")
            html.text(t("focal_points_add"))
            html.markup("</button></form>\n")
        }
        html.markup("</section>\n")
        return html
    }
}
