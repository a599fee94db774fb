import Domain
import Foundation
import Testing
import Views

@Suite("Sign-in, error, account and users views")
struct AccountViewTests {
    typealias F = ViewFixtures

    static func account(_ text: String, tokens: Bool) -> AccountPage.Model {
        .init(
            email: "amal@example.org",
            tokens: tokens
                ? [
                    .init(
                        id: F.id(1), name: text, created: "2026-11-01T10:00:00Z", lastUsed: nil,
                        expires: "2027-01-30T10:00:00Z", readOnly: true),
                    .init(
                        id: F.id(2), name: "Sync", created: "2026-11-02T10:00:00Z", lastUsed: "2026-11-03T10:00:00Z",
                        expires: "2027-01-31T10:00:00Z", readOnly: false),
                ] : [], newSecret: tokens ? "brg_secret" : nil, error: tokens ? nil : text, defaultDays: 90,
            maximumDays: 365)
    }

    static func users(_ text: String) -> UsersPage.Model {
        .init(
            users: [
                .init(id: F.id(1), email: "admin@example.org", name: text, isAdmin: true, disabled: false),
                .init(
                    id: F.id(2), email: "old@example.org", name: "Old account", isAdmin: false, disabled: true),
            ],
            error: text, created: "new@example.org")
    }

    @Test("Each page, in English and Arabic", arguments: ViewFixtures.languages)
    func views(language: String) {
        let page = F.chrome(language)
        let anonymous = PageChrome(
            title: "Sign in", strings: page.strings, csrf: "CSRF", hasSession: true, user: nil, path: "/sign-in",
            flash: nil)
        F.snapshot(
            Layout.document(
                anonymous,
                body: SignInPage.view(.init(email: "", error: nil, notice: "Signed out.", next: "/"), anonymous)),
            "sign-in-\(language)")
        F.snapshot(
            SignInPage.view(
                .init(
                    email: "amal@example.org", error: "Wrong e-mail or password.", notice: nil,
                    next: "/operations/SDN-TEST"), anonymous), "sign-in-refused-\(language)")
        let bare = PageChrome(
            title: "Error", strings: page.strings, csrf: "", hasSession: false, user: nil, path: "/x", flash: nil)
        F.snapshot(
            Layout.document(bare, body: ErrorPage.view(status: 404, message: "Not found.", bare)), "error-\(language)")
        F.snapshot(AccountPage.view(Self.account("", tokens: false), page), "account-empty-\(language)")
        F.snapshot(AccountPage.view(Self.account("Laptop", tokens: true), page), "account-\(language)")
        F.snapshot(UsersPage.view(Self.users("Amal"), page), "users-\(language)")
    }

    @Test("Hostile text in every field is escaped")
    func hostile() {
        let page = F.chrome("en")
        for text in F.hostile {
            for html in [
                SignInPage.view(.init(email: text, error: text, notice: text, next: "/"), page),
                ErrorPage.view(status: 500, message: text, page),
                AccountPage.view(Self.account(text, tokens: true), page),
                AccountPage.view(Self.account(text, tokens: false), page),
                UsersPage.view(Self.users(text), page),
            ] {
                F.expectShownEscaped(text, in: html)
            }
            let chrome = PageChrome(
                title: text, strings: page.strings, csrf: text, hasSession: true,
                user: .init(name: text, isAdmin: true), path: text, flash: text)
            F.expectShownEscaped(text, in: Layout.document(chrome, body: HTML()))
        }
    }
}
