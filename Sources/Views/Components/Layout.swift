/// What every page shows around its body: the title, the language and its direction, the CSRF
/// token for the forms in the header, who is signed in, and a one-time message.
public struct PageChrome: Sendable {
    public struct User: Sendable {
        public let name: String
        public let isAdmin: Bool
        /// The account's id: the offline queue files its entries under it and sends them under no other.
        public let account: String
        public init(name: String, isAdmin: Bool, account: String = "") {
            self.name = name
            self.isAdmin = isAdmin
            self.account = account
        }
    }

    public let title: String
    public let strings: Strings
    public let csrf: String
    /// False on error pages raised before the web middleware: no forms can be posted there.
    public let hasSession: Bool
    public let user: User?
    /// The page's own path, where the language switch comes back to.
    public let path: String
    public let flash: String?

    public init(
        title: String, strings: Strings, csrf: String, hasSession: Bool, user: User?, path: String, flash: String?
    ) {
        self.title = title
        self.strings = strings
        self.csrf = csrf
        self.hasSession = hasSession
        self.user = user
        self.path = path
        self.flash = flash
    }
}

public enum Layout {
    public static let languageNames = ["en": "English", "fr": "Français", "es": "Español", "ar": "العربية"]

    /// The whole document: head, header with navigation, language switch and sign-out, the body, the footer.
    public static func document(_ page: PageChrome, body: HTML) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<!doctype html>\n<html")
        html.attribute("lang", t.language)
        html.attribute("dir", t.direction)
        html.markup(
            ">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
        )
        html.text(page.title)
        html.markup(" · Bearing</title>\n<link rel=\"stylesheet\" href=\"")
        html.url(.stylesheet)
        html.markup("\">\n<link rel=\"icon\" href=\"data:,\">\n")
        if page.user != nil {
            // The offline queue and its service worker (capture.js): signed in only.
            html.markup("<script src=\"")
            html.url(.captureScript)
            html.markup("\" defer></script>\n")
        }
        html.markup("</head>\n<body data-signed-in=\"")
        html.markup(page.user != nil ? "true" : "false")
        html.markup("\"")
        if let user = page.user, !user.account.isEmpty { html.attribute("data-account", user.account) }
        html.markup(">\n<a class=\"skip\" href=\"#main\">")
        html.text(t("nav_skip"))
        html.markup("</a>\n<header class=\"top\">\n  <a class=\"brand\" href=\"")
        html.url(.home)
        html.markup("\">Bearing</a>\n")
        if let user = page.user {
            html.markup("  <nav")
            html.attribute("aria-label", t("nav_main"))
            html.markup(">\n    <a href=\"")
            html.url(.home)
            html.markup("\">")
            html.text(t("nav_operations"))
            html.markup("</a>\n    ")
            if user.isAdmin {
                html.markup("<a href=\"")
                html.url(.adminUsers)
                html.markup("\">")
                html.text(t("nav_users"))
                html.markup("</a>")
            }
            html.markup("\n    <a href=\"")
            html.url(.account)
            html.markup("\">")
            html.text(t("nav_account"))
            html.markup("</a>\n  </nav>\n")
        }
        if page.hasSession {
            html.markup("  <form class=\"language-switch\" method=\"post\" action=\"")
            html.url(.language)
            html.markup("\">\n    ")
            html.csrfField(page.csrf)
            html.markup("\n    <input type=\"hidden\" name=\"back\"")
            html.attribute("value", page.path)
            html.markup(">\n    <label for=\"lang-select\" class=\"lang-label\">")
            html.text(t("nav_language"))
            html.markup("</label>\n    <select id=\"lang-select\" name=\"lang\">\n      ")
            for code in Catalog.languages {
                html.markup("<option")
                html.attribute("value", code)
                html.attribute("lang", code)
                if code == t.language { html.markup(" selected") }
                html.markup(">")
                html.text(languageNames[code] ?? code)
                html.markup("</option>")
            }
            html.markup("\n    </select>\n    <button type=\"submit\">")
            html.text(t("nav_language_go"))
            html.markup("</button>\n  </form>\n")
        }
        if let user = page.user {
            html.markup("  <form method=\"post\" action=\"")
            html.url(.signOut)
            html.markup("\" class=\"sign-out\"")
            html.attribute("data-unsent", t("capture_unsent_warning"))
            html.markup(">\n    ")
            html.csrfField(page.csrf)
            html.markup("\n    <span class=\"who\">")
            html.text(user.name)
            html.markup("</span>\n    <button type=\"submit\">")
            html.text(t("nav_sign_out"))
            html.markup("</button>\n  </form>\n")
        }
        html.markup("</header>\n<main id=\"main\">\n")
        if let flash = page.flash {
            html.markup("<p class=\"flash\" role=\"status\">")
            html.text(flash)
            html.markup("</p>")
        }
        html.markup("\n")
        html.append(body)
        html.markup("\n</main>\n<footer class=\"foot\"><p>")
        html.text(t("footer"))
        html.markup("</p></footer>\n</body>\n</html>\n")
        return html
    }
}
