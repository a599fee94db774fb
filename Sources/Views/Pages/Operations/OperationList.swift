import Domain

/// The operations the viewer may see, with their role in each.
public enum OperationList {
    public struct Model: Sendable {
        public struct Row: Sendable {
            public let code: String
            public let name: String
            public let countries: [String]
            public let emergencyType: String
            public let role: Role?

            public init(code: String, name: String, countries: [String], emergencyType: String, role: Role?) {
                self.code = code
                self.name = name
                self.countries = countries
                self.emergencyType = emergencyType
                self.role = role
            }
        }

        public let rows: [Row]
        public let canCreate: Bool

        public init(rows: [Row], canCreate: Bool) {
            self.rows = rows
            self.canCreate = canCreate
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<h1>")
        html.text(t("operations_title"))
        html.markup("</h1>\n")
        if m.canCreate {
            html.markup("<p>")
            html.link(.newOperation, t("operations_new"), "class=\"button primary\"")
            html.markup("</p>\n")
        }
        guard !m.rows.isEmpty else {
            html.markup("<p>")
            html.text(t("operations_none"))
            html.markup("</p>\n")
            return html
        }
        html.markup("<table class=\"list\">\n")
        html.tableHead([
            t("field_code"), t("field_name"), t("field_countries"), t("field_emergency_type"), t("field_your_role"),
        ])
        html.markup("\n<tbody>\n")
        for row in m.rows {
            html.markup("<tr><td class=\"code\" dir=\"ltr\">")
            html.link(.operation(.value(row.code)), row.code)
            html.markup("</td><td>")
            html.text(row.name)
            html.markup("</td><td dir=\"ltr\">")
            html.text(row.countries.joined(separator: ", "))
            html.markup("</td><td>")
            html.text(t("emergency_type." + row.emergencyType))
            html.markup("</td><td>")
            if let role = row.role { html.text(t(role.labelKey)) } else { html.markup("—") }
            html.markup("</td></tr>\n")
        }
        html.markup("</tbody>\n</table>\n")
        return html
    }
}

/// The form that opens an operation or changes its settings (the code is fixed once made).
public enum OperationForm {
    public struct Values: Sendable, Equatable {
        public var code = ""
        public var name = ""
        public var countries = ""
        public var glide = ""
        public var appeal = ""
        public var startDate = ""
        public var timeZone = "UTC"
        public var emergencyType = EmergencyType.complexEmergency.rawValue

        public init() {}
    }

    public struct Model: Sendable {
        public let values: Values
        public let errors: [String: String]
        public let isNew: Bool

        public init(values: Values, errors: [String: String], isNew: Bool) {
            self.values = values
            self.errors = errors
            self.isNew = isNew
        }
    }

    public static func title(_ m: Model, _ t: Strings) -> String { t(m.isNew ? "operations.new" : "operations.edit") }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, v = m.values
        var html = HTML()
        html.markup("<h1>")
        html.text(title(m, t))
        html.markup("</h1>\n")
        html.formErrors(t, m.errors)
        html.markup("<form method=\"post\" action=\"")
        html.url(m.isNew ? .operations : .editOperation(.value(v.code)))
        html.markup("\" class=\"stack\">\n  ")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"code\">")
        html.text(t("field_code"))
        html.markup("</label>\n  <input id=\"code\" name=\"code\"")
        html.attribute("value", v.code)
        html.markup(m.isNew ? " dir=\"ltr\" required" : " dir=\"ltr\" readonly")
        html.markup(
            m.errors["code"] == nil ? " aria-describedby=\"code-help\">" : " aria-describedby=\"code-help code-error\">"
        )
        html.markup("\n  <small id=\"code-help\">")
        html.text(t("help_operation_code"))
        html.markup("</small>\n  ")
        if let error = m.errors["code"] {
            html.markup("<p class=\"field-error\" id=\"code-error\">")
            html.text(error)
            html.markup("</p>")
        }
        html.markup("\n  <label for=\"name\">")
        html.text(t("field_name"))
        html.markup("</label>\n  <input id=\"name\" name=\"name\"")
        html.attribute("value", v.name)
        html.markup(" required>\n  ")
        html.fieldError(m.errors, "name")
        html.markup("\n  <label for=\"countries\">")
        html.text(t("field_countries"))
        html.markup("</label>\n  <input id=\"countries\" name=\"countries\"")
        html.attribute("value", v.countries)
        html.markup(" dir=\"ltr\" required aria-describedby=\"countries-help\">\n  <small id=\"countries-help\">")
        html.text(t("help_countries"))
        html.markup("</small>\n  ")
        html.fieldError(m.errors, "countries")
        html.markup("\n  <label for=\"emergency_type\">")
        html.text(t("field_emergency_type"))
        html.markup("</label>\n  <select id=\"emergency_type\" name=\"emergency_type\">")
        html.options(
            EmergencyType.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.emergencyType)
            })
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "emergency_type")
        html.markup("\n  <label for=\"glide\">")
        html.text(t("field_glide"))
        html.markup("</label>\n  <input id=\"glide\" name=\"glide\"")
        html.attribute("value", v.glide)
        html.markup(" dir=\"ltr\" placeholder=\"CE-2023-000076-SDN\">\n  ")
        html.fieldError(m.errors, "glide")
        html.markup("\n  <label for=\"appeal\">")
        html.text(t("field_appeal"))
        html.markup("</label>\n  <input id=\"appeal\" name=\"appeal\"")
        html.attribute("value", v.appeal)
        html.markup(" dir=\"ltr\" placeholder=\"MDRSD033\">\n  ")
        html.fieldError(m.errors, "appeal")
        html.markup("\n  <label for=\"start_date\">")
        html.text(t("field_start_date"))
        html.markup("</label>\n  <input id=\"start_date\" name=\"start_date\" type=\"date\"")
        html.attribute("value", v.startDate)
        html.markup(" dir=\"ltr\">\n  ")
        html.fieldError(m.errors, "start_date")
        html.markup("\n  <label for=\"time_zone\">")
        html.text(t("field_time_zone"))
        html.markup(
            "</label>\n  <input id=\"time_zone\" name=\"time_zone\" list=\"time-zones\" required autocomplete=\"off\" aria-describedby=\"time-zone-help\""
        )
        html.attribute("value", v.timeZone)
        html.markup(" dir=\"ltr\">\n  <small id=\"time-zone-help\">")
        html.text(t("field_time_zone_help"))
        html.markup("</small>\n  ")
        html.fieldError(m.errors, "time_zone")
        html.markup("<datalist id=\"time-zones\">")
        for name in OperationTime.identifiers {
            html.markup("<option")
            html.attribute("value", name)
            html.markup(">")
        }
        html.markup("</datalist>\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}
