/// The operation's security settings, each edited as JSON in its own form.
public enum SecuritySettingsPage {
    public struct Model: Sendable {
        public struct Entry: Sendable {
            public let key: String
            public let labelKey: String
            public let json: String
            public let error: String?

            public init(key: String, labelKey: String, json: String, error: String?) {
                self.key = key
                self.labelKey = labelKey
                self.json = json
                self.error = error
            }
        }

        public let code: String
        public let entries: [Entry]
        /// Where the forms post and the register they belong to: the security settings by default,
        /// the protection register's for its own.
        public var action: SiteURL?
        public var register: (titleKey: String, url: SiteURL)?

        public init(code: String, entries: [Entry]) {
            self.code = code
            self.entries = entries
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings, code = Parameter.value(m.code)
        var html = HTML()
        let register = m.register ?? (titleKey: "risks_title", url: .risks(code))
        html.crumbs(t, operation: m.code, [(t(register.titleKey), register.url)])
        html.markup("<h1>")
        html.text(t("settings_title"))
        html.markup("</h1>\n<p>")
        html.text(t("settings_intro"))
        html.markup("</p>\n")
        for entry in m.entries {
            html.markup("<form")
            html.attribute("id", entry.key)
            html.markup(" method=\"post\" action=\"")
            html.url(m.action ?? .securitySettings(code))
            html.markup("\" class=\"stack settings\">\n  ")
            html.csrfField(page.csrf)
            html.markup("\n  <input type=\"hidden\" name=\"key\"")
            html.attribute("value", entry.key)
            html.markup(">\n  <label")
            html.attribute("for", "json-" + entry.key)
            html.markup("><strong>")
            html.text(t(entry.labelKey))
            html.markup("</strong></label>\n  <small>")
            html.text(t(entry.labelKey + "_help"))
            html.markup("</small>\n  ")
            if let error = entry.error {
                html.markup("<p class=\"field-error\" role=\"alert\">")
                html.text(error)
                html.markup("</p>")
            }
            html.markup("\n  <textarea")
            html.attribute("id", "json-" + entry.key)
            html.markup(" name=\"json\" rows=\"12\" dir=\"ltr\" class=\"code\" spellcheck=\"false\">")
            html.text(entry.json)
            html.markup("</textarea>\n  <button type=\"submit\">")
            html.text(t("form_save"))
            html.markup("</button>\n</form>\n")
        }
        return html
    }
}
