import Domain
import Foundation

extension HTML {
    /// Women and men in two rows, UNHCR's six age brackets across, an input each named
    /// `field[f_0_4]` …: quick to fill on a phone (the tally form, a figure entered by hand).
    public mutating func sexAgeRows(field: String, values: [String: String], _ t: Strings) {
        for (sex, label) in [("f", "flows.women"), ("m", "flows.men")] {
            markup("<tr><th scope=\"row\">")
            text(t(label))
            markup("</th>")
            for age in DisaggregationScheme.unhcrAgeBrackets {
                markup("<td><input inputmode=\"numeric\" pattern=\"[0-9]*\" size=\"3\"")
                attribute("name", "\(field)[\(sex)_\(age)]")
                attribute("aria-label", t(label) + " " + t("flows.age_" + age))
                attribute("value", values["\(sex)_\(age)"] ?? "")
                markup("></td>")
            }
            markup("</tr>")
        }
    }
}

/// Flow monitoring: the points, the tallies recorded there a page at a time, exports and the import.
public enum FlowList {
    public struct Model: Sendable {
        public struct Point: Sendable {
            public let id: SiteID
            public let name: String
            public let profile: FlowPointProfile?

            public init(id: SiteID, name: String, profile: FlowPointProfile?) {
                self.id = id
                self.name = name
                self.profile = profile
            }
        }

        public struct Tally: Sendable {
            public let windowStart: Date
            public let point: String
            public let direction: FlowDirection
            public let total: Int
            public let nationality: String?
            public let origin: String?
            public let destination: String?
            public let vulnerable: Int

            public init(
                windowStart: Date, point: String, direction: FlowDirection, total: Int, nationality: String?,
                origin: String?,
                destination: String?, vulnerable: Int
            ) {
                self.windowStart = windowStart
                self.point = point
                self.direction = direction
                self.total = total
                self.nationality = nationality
                self.origin = origin
                self.destination = destination
                self.vulnerable = vulnerable
            }
        }

        public let code: String
        public let points: [Point]
        public let tallies: [Tally]
        /// The point the list is narrowed to, if any.
        public let point: SiteID?
        public let page: Int
        public let hasMore: Bool
        public let canRecord: Bool
        public let canDescribe: Bool
        /// An import's report, a line each.
        public let report: [String]

        public init(
            code: String, points: [Point], tallies: [Tally], point: SiteID?, page: Int, hasMore: Bool, canRecord: Bool,
            canDescribe: Bool, report: [String]
        ) {
            self.code = code
            self.points = points
            self.tallies = tallies
            self.point = point
            self.page = page
            self.hasMore = hasMore
            self.canRecord = canRecord
            self.canDescribe = canDescribe
            self.report = report
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        let filter = m.point.map { [("point", $0.uuidString)] } ?? []
        var html = HTML()
        html.crumbs(t, operation: m.code)
        html.markup("<h1>")
        html.text(t("flows_title"))
        html.markup("</h1>\n<p>")
        if m.canRecord {
            html.link(.newFlow(code), t("flows_new"), "id=\"record-tally\" class=\"button primary\"")
            html.markup(" ")
        }
        html.link(.flowAnalysis(code), t("flow_analysis_title"), "id=\"flow-analysis\" class=\"button\"")
        html.markup("\n")
        html.exportLinks(.flowExport(code), query: filter)
        html.markup("</p>\n")
        html.importReport(m.report)
        html.markup("<section id=\"points\">\n<h2>")
        html.text(t("flows_points"))
        html.markup("</h2>\n")
        if m.points.isEmpty {
            html.paragraph(t("flows_no_points"))
        } else {
            html.markup("<ul>")
            for point in m.points {
                html.markup("<li><a href=\"")
                html.text(SiteURL.flows(code).path(query: [("point", point.id.uuidString)]))
                html.markup("\">")
                html.text(point.name)
                html.markup("</a>")
                if let profile = point.profile {
                    html.markup(" <small>")
                    html.text(
                        ([t(profile.pointType.labelKey)]
                            + FlowDirection.allCases.filter(profile.movements.contains).map { t($0.labelKey) }
                            + (profile.operatingHours.isEmpty ? [] : [profile.operatingHours])).joined(separator: " · ")
                    )
                    html.markup("</small>")
                }
                if m.canDescribe {
                    html.markup(" ")
                    html.link(.flowPoint(code, .value(point.id)), t("flows.describe"))
                }
                html.markup("</li>")
            }
            html.markup("</ul><p>")
            html.link(.flows(code), t("all"))
            html.markup("</p>")
        }
        html.markup("\n")
        if m.canRecord {
            html.markup("<form id=\"flow-upload\" method=\"post\" action=\"")
            html.text(SiteURL.flowImport(code).path(query: [("_csrf", page.csrf)]))
            html.markup("\" enctype=\"multipart/form-data\" class=\"inline\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n  <label for=\"flow-format\">")
            html.text(t("population_format"))
            html.markup(
                "</label>\n  <select id=\"flow-format\" name=\"format\"><option value=\"csv\">CSV</option><option value=\"hxl\">HXL</option></select>\n  <label for=\"flow-file\">"
            )
            html.text(t("population_file"))
            html.markup(
                "</label>\n  <input id=\"flow-file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\" required>\n  <button type=\"submit\">"
            )
            html.text(t("population_import"))
            html.markup("</button>\n</form>\n")
        }
        html.markup("</section>\n<section id=\"tallies\">\n<h2>")
        html.text(t("flows_tallies"))
        html.markup("</h2>\n")
        if m.tallies.isEmpty {
            html.paragraph(t("flows_none"))
        } else {
            html.markup("<table class=\"list\">\n")
            html.tableHead([
                t("flows_window"), t("flows_point"), t("flows_direction"), t("flows_people"), t("flows_nationality"),
                t("flows_from_to"), t("flows_vulnerable"),
            ])
            html.markup("\n<tbody>")
            for tally in m.tallies {
                html.markup("<tr><td dir=\"ltr\" class=\"nowrap\">")
                html.text(t.minute(tally.windowStart))
                html.markup("</td><td>")
                html.text(tally.point)
                html.markup("</td><td>")
                html.text(t(tally.direction.labelKey))
                html.markup("</td><td class=\"score\">")
                html.text(tally.total)
                html.markup("</td><td dir=\"ltr\">")
                html.text(tally.nationality ?? "—")
                html.markup("</td><td>")
                html.text((tally.origin ?? "—") + " → " + (tally.destination ?? "—"))
                html.markup("</td><td>")
                html.text(tally.vulnerable)
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table>")
        }
        html.markup("\n")
        html.pager(t, page: m.page, hasMore: m.hasMore, base: .flows(code), query: filter)
        html.markup("\n</section>\n")
        return html
    }
}

/// The phone-first form an enumerator fills in for a point's count of a day or a few hours.
public enum TallyForm {
    /// The form's fields as typed, named as the form names them.
    public struct Values: Sendable, Equatable {
        public var point = ""
        public var date = ""
        public var from = ""
        public var to = ""
        public var direction = ""
        public var total = ""
        public var bins: [String: String] = [:]
        public var nationality = ""
        public var originCountry = ""
        public var originArea = ""
        public var lastTransit = ""
        public var nextDestination = ""
        public var finalDestination = ""
        public var transport = ""
        public var vulnerable: [String: String] = [:]
        public var reasons: [String] = []
        public var notes = ""

        public init() {}
    }

    public struct Model: Sendable {
        public let code: String
        public let points: [(id: SiteID, name: String)]
        public let values: Values
        public let errors: [String: String]
        /// ISO code → name in the reader's language, by name: the nationality and origin choices.
        public let countries: [(code: String, name: String)]
        /// An identical tally is already recorded: the form asks before saving it again.
        public var duplicate = false
        /// The tally just saved, said back with links to it and to the analysis.
        public var saved: Saved?

        public struct Saved: Sendable {
            public let point: String
            public let direction: FlowDirection
            public let total: Int
            public let windowStart: Date
            public let windowEnd: Date
            public let pointID: SiteID
            public init(
                point: String, direction: FlowDirection, total: Int, windowStart: Date, windowEnd: Date, pointID: SiteID
            ) {
                self.point = point
                self.direction = direction
                self.total = total
                self.windowStart = windowStart
                self.windowEnd = windowEnd
                self.pointID = pointID
            }
        }

        public init(
            code: String, points: [(id: SiteID, name: String)], values: Values, errors: [String: String],
            countries: [(code: String, name: String)]
        ) {
            self.code = code
            self.points = points
            self.values = values
            self.errors = errors
            self.countries = countries
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code), v = m.values
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("flows_title"), .flows(code))])
        html.markup("<h1>")
        html.text(t("flows_new"))
        html.markup("</h1>\n")
        if let saved = m.saved {
            html.markup("<div class=\"saved\" id=\"tally-saved\" role=\"status\"><p>")
            html.text(
                t("flows_saved_summary").replacingOccurrences(of: "{total}", with: String(saved.total))
                    .replacingOccurrences(of: "{direction}", with: t(saved.direction.labelKey).lowercased())
                    .replacingOccurrences(of: "{point}", with: saved.point))
            html.markup(" <span dir=\"ltr\">")
            html.text(t.minute(saved.windowStart) + " – " + t.minute(saved.windowEnd))
            html.markup("</span></p>\n<p><a href=\"")
            html.text(SiteURL.flows(code).path(query: [("point", saved.pointID.uuidString)]))
            html.markup("\">")
            html.text(t("flows_saved_list"))
            html.markup("</a> · <a href=\"")
            html.url(.flowAnalysis(code))
            html.markup("\">")
            html.text(t("dashboard.flows_analysis"))
            html.markup("</a></p></div>\n")
        }
        html.formErrors(t, m.errors)
        html.captureStatus(t)
        html.markup("<form id=\"tally-form\" method=\"post\" action=\"")
        html.url(.flows(code))
        html.markup("\" class=\"stack tally\"")
        html.captureForm(t("capture_tally"))
        html.markup(">\n  ")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"point\">")
        html.text(t("flows_point"))
        html.markup("</label>\n  <select id=\"point\" name=\"point\" required>")
        html.options(
            m.points.map { Choice(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == v.point) })
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "point")
        html.markup("\n  <div class=\"row3\">\n  <label>")
        html.text(t("field_date"))
        html.markup(" <input id=\"date\" name=\"date\" type=\"date\"")
        html.attribute("value", v.date)
        html.markup(" dir=\"ltr\" required></label>\n  <label>")
        html.text(t("flows_from"))
        html.markup(" <input id=\"from\" name=\"from\" type=\"time\"")
        html.attribute("value", v.from)
        html.markup(" dir=\"ltr\"></label>\n  <label>")
        html.text(t("flows_to"))
        html.markup(" <input id=\"to\" name=\"to\" type=\"time\"")
        html.attribute("value", v.to)
        html.markup(" dir=\"ltr\"></label>\n  </div>\n  <small>")
        html.text(t("flows_times_on").replacingOccurrences(of: "{zone}", with: t.clock.identifier))
        html.markup("</small>\n  ")
        for field in ["date", "window_end", "window_start"] { html.fieldError(m.errors, field) }
        html.markup("\n  <fieldset><legend>")
        html.text(t("flows_direction"))
        html.markup("</legend>")
        for direction in FlowDirection.allCases {
            html.markup("<label class=\"check\"><input type=\"radio\" name=\"direction\"")
            html.attribute("value", direction.rawValue)
            html.markup(v.direction == direction.rawValue ? " checked> " : "> ")
            html.text(t(direction.labelKey))
            html.markup("</label>")
        }
        html.markup("</fieldset>\n  ")
        html.fieldError(m.errors, "direction")
        html.markup("\n  <label for=\"total\">")
        html.text(t("flows_people"))
        html.markup("</label>\n  <input id=\"total\" name=\"total\" inputmode=\"numeric\" pattern=\"[0-9]*\"")
        html.attribute("value", v.total)
        html.markup(" required>\n  ")
        html.fieldError(m.errors, "total")
        html.markup(m.errors["bins"] == nil ? "\n  <details><summary>" : "\n  <details open><summary>")
        html.text(t("flows_by_sex_age"))
        html.markup(
            "</summary>\n  <table class=\"bins\"><thead><tr><td></td><th scope=\"col\" dir=\"ltr\">0–4</th><th scope=\"col\" dir=\"ltr\">5–11</th><th scope=\"col\" dir=\"ltr\">12–17</th><th scope=\"col\" dir=\"ltr\">18–59</th><th scope=\"col\" dir=\"ltr\">60+</th><th scope=\"col\">?</th></tr></thead>\n  <tbody>"
        )
        html.sexAgeRows(field: "bins", values: v.bins, t)
        html.markup("</tbody></table>\n  <small>")
        html.text(t("flows_bins_help"))
        html.markup("</small>\n  </details>\n  ")
        html.fieldError(m.errors, "bins")
        countrySelect("nationality", t("flows_nationality"), v.nationality, m, into: &html)
        html.markup("\n  <details><summary>")
        html.text(t("flows_route"))
        html.markup("</summary>")
        countrySelect("origin_country", t("flows_origin_country"), v.originCountry, m, into: &html)
        for (id, label, value) in [
            ("origin_area", "flows_origin_area", v.originArea), ("last_transit", "flows_last_transit", v.lastTransit),
            ("next_destination", "flows_next_destination", v.nextDestination),
            ("final_destination", "flows_final_destination", v.finalDestination),
        ] {
            html.markup("\n  <label")
            html.attribute("for", id)
            html.markup(">")
            html.text(t(label))
            html.markup("</label>\n  <input")
            html.attribute("id", id)
            html.attribute("name", id)
            html.attribute("value", value)
            html.markup(">")
        }
        html.markup("\n  <label for=\"transport\">")
        html.text(t("flows_transport"))
        html.markup("</label>\n  <select id=\"transport\" name=\"transport\">")
        html.options(
            [Choice(value: "", label: "—", selected: v.transport.isEmpty)]
                + TransportMode.allCases.map {
                    Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.transport)
                })
        html.markup("</select>")
        // The decoder names an unknown transport, situation or reason too; none is left unsaid.
        html.fieldError(m.errors, "transport")
        html.markup("\n  </details>\n  <details><summary>")
        html.text(t("flows_vulnerable"))
        html.markup("</summary>")
        for vulnerability in FlowVulnerability.allCases {
            html.markup("<label>")
            html.text(t(vulnerability.labelKey))
            html.markup(" <input inputmode=\"numeric\" pattern=\"[0-9]*\" size=\"4\"")
            html.attribute("name", "vulnerable[\(vulnerability.rawValue)]")
            html.attribute("value", v.vulnerable[vulnerability.rawValue] ?? "")
            html.markup("></label>")
            html.fieldError(m.errors, "vulnerable[\(vulnerability.rawValue)]")
        }
        html.fieldError(m.errors, "vulnerable")
        html.markup("</details>\n  <details><summary>")
        html.text(t("flows_reasons"))
        // The boxes are one question: a group with its own name, as a screen reader announces it.
        html.markup("</summary><fieldset class=\"inline-boxes\"><legend>")
        html.text(t("flows_reasons"))
        html.markup("</legend>")
        for reason in MovementReason.allCases {
            html.markup("<label class=\"check\"><input type=\"checkbox\" name=\"reasons[]\"")
            html.attribute("value", reason.rawValue)
            html.markup(v.reasons.contains(reason.rawValue) ? " checked> " : "> ")
            html.text(t(reason.labelKey))
            html.markup("</label>")
        }
        html.markup("</fieldset>")
        html.fieldError(m.errors, "reasons")
        html.markup("</details>\n  <label for=\"notes\">")
        html.text(t("field_notes"))
        html.markup("</label>\n  <textarea id=\"notes\" name=\"notes\" rows=\"2\">")
        html.text(v.notes)
        html.markup("</textarea>")
        html.fieldError(m.errors, "notes")
        if m.duplicate {
            // An identical tally exists: saving again needs a second, deliberate press.
            html.markup("\n  <p class=\"notice\" id=\"duplicate-warning\" role=\"alert\">")
            html.text(t("flows_duplicate"))
            html.markup(
                "</p>\n  <label class=\"check\"><input type=\"checkbox\" name=\"confirm_duplicate\" value=\"on\"> ")
            html.text(t("flows_duplicate_confirm"))
            html.markup("</label>")
        }
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }

    /// A country chosen by its name in the reader's language; the ISO code is what is sent. A code
    /// not in the list (typed through the API, an old tally) is kept as its own choice.
    static func countrySelect(_ id: String, _ label: String, _ value: String, _ m: Model, into html: inout HTML) {
        let chosen = value.trimmingCharacters(in: .whitespaces).uppercased()
        html.markup("\n  <label")
        html.attribute("for", id)
        html.markup(">")
        html.text(label)
        html.markup("</label>\n  <select")
        html.attribute("id", id)
        html.attribute("name", id)
        html.markup(">")
        var choices = [Choice(value: "", label: "—", selected: chosen.isEmpty)]
        if !chosen.isEmpty, !m.countries.contains(where: { $0.code == chosen }) {
            choices.append(Choice(value: chosen, label: chosen, selected: true))
        }
        choices += m.countries.map { Choice(value: $0.code, label: $0.name, selected: $0.code == chosen) }
        html.options(choices)
        html.markup("</select>\n  ")
        html.fieldError(m.errors, id)
    }
}

/// What a flow-monitoring point is: its type, the movements it sees, its hours and transport.
public enum FlowPointForm {
    public struct Model: Sendable {
        public let code: String
        public let id: SiteID
        public let name: String
        public let profile: FlowPointProfile?

        public init(code: String, id: SiteID, name: String, profile: FlowPointProfile?) {
            self.code = code
            self.id = id
            self.name = name
            self.profile = profile
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("flows_title"), .flows(code))])
        html.markup("<h1>")
        html.text(m.name)
        html.markup("</h1>\n<form id=\"flow-point-form\" method=\"post\" action=\"")
        html.url(.flowPoint(code, .value(m.id)))
        html.markup("\" class=\"stack\">\n  ")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"point_type\">")
        html.text(t("flows_point_type"))
        html.markup("</label>\n  <select id=\"point_type\" name=\"point_type\">")
        html.options(
            FlowPointType.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0 == m.profile?.pointType)
            })
        html.markup("</select>\n  ")
        html.checkboxGroup(
            legend: t("flows_movements"), name: "movements",
            FlowDirection.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: m.profile?.movements.contains($0) ?? false)
            })
        html.markup("\n  <label for=\"operating_hours\">")
        html.text(t("flows_hours"))
        html.markup("</label>\n  <input id=\"operating_hours\" name=\"operating_hours\"")
        html.attribute("value", m.profile?.operatingHours ?? "")
        html.markup(" placeholder=\"06:00–18:00, every day\">\n  ")
        html.checkboxGroup(
            legend: t("flows_transport_modes"), name: "transport_modes",
            TransportMode.allCases.map {
                Choice(
                    value: $0.rawValue, label: t($0.labelKey), selected: m.profile?.transportModes.contains($0) ?? false
                )
            })
        html.markup("\n  <button type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}
