import Domain
import Foundation

/// The sign-in page: e-mail and password, and where to go afterwards.
public enum SignInPage {
    public struct Model: Sendable {
        public let email: String
        public let error: String?
        public let notice: String?
        /// A local path, already checked.
        public let next: String

        public init(email: String, error: String?, notice: String?, next: String) {
            self.email = email
            self.error = error
            self.notice = notice
            self.next = next
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<section class=\"narrow\">\n<h1>")
        html.text(t("sign_in_title"))
        html.markup("</h1>\n")
        html.notice(m.notice)
        html.alert(m.error)
        html.markup("<form method=\"post\" action=\"")
        html.url(.signIn)
        html.markup("\" class=\"stack\">\n  ")
        html.csrfField(page.csrf)
        html.markup("\n  <input type=\"hidden\" name=\"next\"")
        html.attribute("value", m.next)
        html.markup(">\n  <label for=\"email\">")
        html.text(t("field_email"))
        html.markup("</label>\n  <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required")
        html.attribute("value", m.email)
        html.markup(" dir=\"ltr\">\n  <label for=\"password\">")
        html.text(t("field_password"))
        html.markup(
            "</label>\n  <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required dir=\"ltr\">\n"
        )
        html.markup("  <button id=\"sign-in\" type=\"submit\" class=\"primary\">")
        html.text(t("sign_in_button"))
        html.markup("</button>\n</form>\n</section>\n")
        return html
    }
}

/// What every refused or failed request shows: the status and what went wrong, nothing more.
public enum ErrorPage {
    public static func view(status: Int, message: String, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<section class=\"narrow\">\n<h1>")
        html.text(t("error_title"))
        html.markup(" <span dir=\"ltr\">(")
        html.text(status)
        html.markup(")</span></h1>\n")
        html.alert(message)
        html.markup("<p>")
        html.link(.home, t("nav_operations"))
        html.markup("</p>\n</section>\n")
        return html
    }
}

/// The signed-in user's own page: their API tokens, and a form to make one.
public enum AccountPage {
    public struct Model: Sendable {
        public struct Token: Sendable {
            public let id: APITokenID
            public let name: String
            public let created: String
            public let lastUsed: String?
            public let expires: String
            public let readOnly: Bool

            public init(
                id: APITokenID, name: String, created: String, lastUsed: String?, expires: String, readOnly: Bool
            ) {
                self.id = id
                self.name = name
                self.created = created
                self.lastUsed = lastUsed
                self.expires = expires
                self.readOnly = readOnly
            }
        }

        public let email: String
        public let tokens: [Token]
        /// A token's secret, shown once right after it was made.
        public let newSecret: String?
        public let error: String?
        public let defaultDays: Int
        public let maximumDays: Int

        public init(
            email: String, tokens: [Token], newSecret: String?, error: String?, defaultDays: Int, maximumDays: Int
        ) {
            self.email = email
            self.tokens = tokens
            self.newSecret = newSecret
            self.error = error
            self.defaultDays = defaultDays
            self.maximumDays = maximumDays
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<h1>")
        html.text(t("account_title"))
        html.markup("</h1>\n<p dir=\"ltr\">")
        html.text(m.email)
        html.markup("</p>\n")
        html.alert(m.error)
        if let secret = m.newSecret {
            html.markup("<div class=\"ok\" role=\"status\"><p>")
            html.text(t("account_token_once"))
            html.markup("</p><p><code id=\"new-token\" dir=\"ltr\">")
            html.text(secret)
            html.markup("</code></p></div>\n")
        }
        html.markup("<h2>")
        html.text(t("account_tokens"))
        html.markup("</h2>\n")
        if m.tokens.isEmpty {
            html.markup("<p>")
            html.text(t("account_no_tokens"))
            html.markup("</p>\n")
        } else {
            html.markup("<table class=\"list\">\n")
            html.tableHead(
                [
                    t("field_name"), t("account_created"), t("account_last_used"), t("account_expires"),
                    t("account_access"),
                ],
                actions: t("form_actions"))
            html.markup("\n<tbody>")
            for token in m.tokens {
                html.markup("<tr><td>")
                html.text(token.name)
                html.markup("</td><td dir=\"ltr\">")
                html.text(token.created)
                html.markup("</td><td dir=\"ltr\">")
                html.text(token.lastUsed ?? "—")
                html.markup("</td><td dir=\"ltr\">")
                html.text(token.expires)
                html.markup("</td><td>")
                html.text(t(token.readOnly ? "account_read_only" : "account_read_write"))
                html.markup("</td>\n<td>")
                html.buttonForm(
                    .revokeToken(.value(token.id)), csrf: page.csrf, label: t("account_revoke"), buttonClass: "link")
                html.markup("</td></tr>")
            }
            html.markup("</tbody>\n</table>\n")
        }
        html.markup("<h2>")
        html.text(t("account_new_token"))
        html.markup("</h2>\n<form method=\"post\" action=\"")
        html.url(.accountTokens)
        html.markup("\" class=\"stack\">\n  ")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"token-name\">")
        html.text(t("field_name"))
        html.markup(
            "</label><input id=\"token-name\" name=\"name\" required maxlength=\"100\">\n  <label for=\"token-days\">")
        html.text(t("account_days"))
        html.markup("</label><input id=\"token-days\" name=\"days\" type=\"number\" min=\"1\"")
        html.attribute("max", String(m.maximumDays))
        html.attribute("value", String(m.defaultDays))
        html.markup(" dir=\"ltr\">\n  <fieldset><legend>")
        html.text(t("account_access"))
        html.markup(
            "</legend>\n  <label class=\"check\"><input type=\"radio\" name=\"access\" value=\"read\" checked> ")
        html.text(t("account_read_only"))
        html.markup("</label>\n  <label class=\"check\"><input type=\"radio\" name=\"access\" value=\"write\"> ")
        html.text(t("account_read_write"))
        html.markup("</label>\n  </fieldset>\n  <label for=\"token-password\">")
        html.text(t("account_password_again"))
        html.markup(
            "</label><input id=\"token-password\" name=\"password\" type=\"password\" required autocomplete=\"current-password\">\n"
        )
        html.markup("  <button type=\"submit\" class=\"primary\">")
        html.text(t("account_create_token"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

/// The administrator's list of accounts: enable, disable, create.
public enum UsersPage {
    public struct Model: Sendable {
        public struct User: Sendable {
            public let id: UserID
            public let email: String
            public let name: String
            public let isAdmin: Bool
            public let disabled: Bool

            public init(id: UserID, email: String, name: String, isAdmin: Bool, disabled: Bool) {
                self.id = id
                self.email = email
                self.name = name
                self.isAdmin = isAdmin
                self.disabled = disabled
            }
        }

        public let users: [User]
        public let error: String?
        /// The e-mail of the account just made.
        public let created: String?

        public init(users: [User], error: String?, created: String?) {
            self.users = users
            self.error = error
            self.created = created
        }
    }

    public static func view(_ m: Model, _ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<h1>")
        html.text(t("users_title"))
        html.markup("</h1>\n")
        html.alert(m.error)
        if let created = m.created {
            html.markup("<p class=\"ok\" role=\"status\">")
            html.text(t("users_created"))
            html.markup(": <span dir=\"ltr\">")
            html.text(created)
            html.markup("</span></p>\n")
        }
        html.markup("<table class=\"list\">\n")
        html.tableHead([t("field_email"), t("field_name"), t("users_admin"), t("users_status")])
        html.markup("\n<tbody>")
        for user in m.users {
            html.markup("<tr><td dir=\"ltr\">")
            html.text(user.email)
            html.markup("</td><td>")
            html.text(user.name)
            html.markup(
                user.isAdmin
                    ? "</td><td>✓</td>\n<td><form method=\"post\" action=\""
                    : "</td><td></td>\n<td><form method=\"post\" action=\"")
            html.url(.userDisabled(.value(user.id)))
            html.markup("\" class=\"inline\">")
            html.csrfField(page.csrf)
            html.markup("\n")
            html.text(t(user.disabled ? "users_disabled" : "users_active"))
            html.markup(
                user.disabled
                    ? " <input type=\"hidden\" name=\"disabled\" value=\"0\"><button type=\"submit\" class=\"link\">"
                    : " <input type=\"hidden\" name=\"disabled\" value=\"1\"><button type=\"submit\" class=\"link\">")
            html.text(t(user.disabled ? "users_enable" : "users_disable"))
            html.markup("</button>\n</form></td></tr>")
        }
        html.markup("</tbody>\n</table>\n<h2>")
        html.text(t("users_new"))
        html.markup("</h2>\n<form method=\"post\" action=\"")
        html.url(.adminUsers)
        html.markup("\" class=\"stack\">\n  ")
        html.csrfField(page.csrf)
        html.markup("\n  <label for=\"new-email\">")
        html.text(t("field_email"))
        html.markup(
            "</label><input id=\"new-email\" name=\"email\" type=\"email\" required dir=\"ltr\">\n  <label for=\"new-name\">"
        )
        html.text(t("field_name"))
        html.markup("</label><input id=\"new-name\" name=\"name\" required>\n  <label for=\"new-password\">")
        html.text(t("field_password"))
        html.markup(
            "</label><input id=\"new-password\" name=\"password\" type=\"password\" minlength=\"10\" required autocomplete=\"new-password\" dir=\"ltr\">\n"
        )
        html.markup("  <label class=\"check\"><input type=\"checkbox\" name=\"is_admin\"> ")
        html.text(t("users_admin"))
        html.markup("</label>\n  <button type=\"submit\" class=\"primary\">")
        html.text(t("users_create"))
        html.markup("</button>\n</form>\n")
        return html
    }
}

extension HTML {
    /// A message that something went wrong, read out at once.
    public mutating func alert(_ message: String?) {
        guard let message else { return }
        markup("<p class=\"error\" role=\"alert\">")
        text(message)
        markup("</p>\n")
    }

    /// A neutral message, read out politely.
    public mutating func notice(_ message: String?) {
        guard let message else { return }
        markup("<p class=\"notice\" role=\"status\">")
        text(message)
        markup("</p>\n")
    }
}

/// What the service worker shows, offline, for a page it did not keep.
public enum OfflinePage {
    public static func view(_ page: PageChrome) -> HTML {
        let t = page.strings
        var html = HTML()
        html.markup("<section class=\"narrow\">\n<h1>")
        html.text(t("offline_title"))
        html.markup("</h1>\n")
        html.paragraph(t("offline_text"))
        html.markup("<p>")
        html.link(.home, t("nav_operations"))
        html.markup("</p>\n</section>\n")
        return html
    }
}
