import Domain
import Foundation

/// The form that adds a site or changes one; shown again with the values typed when a save is refused.
public enum SiteForm {
    /// The form's fields as typed (text, not yet checked): the site decoder's input.
    public typealias Values = SiteInput

    public struct Model: Sendable {
        public let code: String
        /// Nil for a new site.
        public let id: SiteID?
        public let values: Values
        public let errors: [String: String]
        /// The version the form is based on, and what someone else saved when a save came too late.
        public let version: String
        public let stale: StaleNotice?

        public init(
            code: String, id: SiteID?, values: Values, errors: [String: String], version: String, stale: StaleNotice?
        ) {
            self.code = code
            self.id = id
            self.values = values
            self.errors = errors
            self.version = version
            self.stale = stale
        }
    }

    public static func title(_ m: Model, _ t: Strings) -> String { t(m.id == nil ? "sites.new" : "sites.edit") }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, v = m.values, code = Parameter.value(m.code)
        var html = HTML()
        html.crumbs(t, operation: m.code, [(t("sites_title"), .sites(code))])
        html.markup("<h1>")
        html.text(title(m, t))
        html.markup("</h1>\n")
        html.formErrors(t, m.errors)
        html.staleNotice(m.stale, t)
        html.markup("<form method=\"post\" action=\"")
        html.url(m.id.map { .editSite(code, .value($0)) } ?? .sites(code))
        html.markup("\" class=\"stack\">\n")
        if m.id != nil {
            html.markup("<input type=\"hidden\" name=\"version\"")
            html.attribute("value", m.version)
            html.markup(">\n")
        }
        html.markup("  ")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"name\">")
        html.text(t("field_name"))
        html.markup("</label>\n  <input id=\"name\" name=\"name\"")
        html.attribute("value", v.name)
        html.markup(" required>\n  ")
        html.fieldError(m.errors, "name")
        html.markup("\n  <label for=\"type\">")
        html.text(t("field_type"))
        html.markup("</label>\n  <select id=\"type\" name=\"type\">")
        html.options(
            SiteType.allCases.map { Choice(value: $0.rawValue, label: t($0.labelKey), selected: $0.rawValue == v.type) }
        )
        html.markup("</select>\n  ")
        html.fieldError(m.errors, "type")
        html.markup("\n  <fieldset><legend>")
        html.text(t("field_coordinates"))
        html.markup(" (WGS 84)</legend>\n  <label for=\"latitude\">")
        html.text(t("field_latitude"))
        html.markup("</label>\n  <input id=\"latitude\" name=\"latitude\"")
        html.attribute("value", v.latitude)
        html.markup(" inputmode=\"decimal\" dir=\"ltr\" required placeholder=\"15.5007\">\n  ")
        html.fieldError(m.errors, "latitude")
        html.markup("\n  <label for=\"longitude\">")
        html.text(t("field_longitude"))
        html.markup("</label>\n  <input id=\"longitude\" name=\"longitude\"")
        html.attribute("value", v.longitude)
        html.markup(" inputmode=\"decimal\" dir=\"ltr\" required placeholder=\"32.5599\">\n  ")
        html.fieldError(m.errors, "longitude")
        html.markup("\n  </fieldset>\n  <label for=\"contact_name\">")
        html.text(t("field_contact_name"))
        html.markup("</label>\n  <input id=\"contact_name\" name=\"contact_name\"")
        html.attribute("value", v.contactName)
        html.markup(">\n  <label for=\"contact_phone\">")
        html.text(t("field_contact_phone"))
        html.markup("</label>\n  <input id=\"contact_phone\" name=\"contact_phone\"")
        html.attribute("value", v.contactPhone)
        html.markup(" type=\"tel\" dir=\"ltr\">\n  ")
        html.fieldError(m.errors, "contact_phone")
        html.markup("\n  <label for=\"notes\">")
        html.text(t("field_notes"))
        html.markup("</label>\n  <textarea id=\"notes\" name=\"notes\" rows=\"4\">")
        html.text(v.notes)
        html.markup("</textarea>\n  ")
        html.fieldError(m.errors, "notes")
        html.audienceSelect(t, chosen: v.audience, help: t("help_audience"), errors: m.errors)
        html.checkboxGroup(
            legend: t("field_grant_roles"), name: "grant_roles",
            Role.allCases.map {
                Choice(value: $0.rawValue, label: t($0.labelKey), selected: v.grantRoles.contains($0.rawValue))
            })
        html.markup("\n  <button id=\"save\" type=\"submit\" class=\"primary\">")
        html.text(t("form_save"))
        html.markup("</button>\n</form>\n")
        return html
    }
}
