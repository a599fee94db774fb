import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// Sign-in, sign-out and the language switch.
struct AuthController {
    struct SignInForm: Content { var email: String?; var password: String?; var next: String? }

    func showSignIn(_ req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: SiteURL.home.path) }
        let expired = (try? req.query.get(String.self, at: "expired")) != nil
        let next = Self.safeNext(try? req.query.get(String.self, at: "next"))
        let model = SignInPage.Model(
            email: "", error: nil, notice: expired ? req.t("sign_in.expired") : nil, next: next)
        return Page.render(req, title: req.t("sign_in.title")) { SignInPage.view(model, $0) }
    }

    func signIn(_ req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let email = form.email?.trimmingCharacters(in: .whitespaces) ?? ""
        let next = Self.safeNext(form.next)
        func again(_ key: String, _ extra: String = "", status: HTTPResponseStatus) async throws -> Response {
            let model = SignInPage.Model(email: email, error: req.t(key) + extra, notice: nil, next: next)
            return Page.render(req, title: req.t("sign_in.title"), status: status) { SignInPage.view(model, $0) }
        }
        guard !email.isEmpty, let password = form.password, !password.isEmpty else {
            return try await again("sign_in.missing", status: .unprocessableEntity)
        }
        switch try await SignInService(request: req).signIn(email: email, password: password, now: req.now) {
        case .throttled(let until):
            let seconds = max(1, Int(until.timeIntervalSince(req.now).rounded(.up)))
            let wait = seconds < 90 ? "\(seconds) s" : "\(Int((Double(seconds) / 60).rounded(.up))) min"
            return try await again("sign_in.throttled", " (\(wait))", status: .tooManyRequests)
        case .wrongCredentials:
            return try await again("sign_in.wrong", status: .unauthorized)
        case .signedIn(let user):
            // A fresh session id on sign-in prevents session fixation.
            // A language chosen before signing in (a cookie) carries over; else the account's own.
            let language = req.cookies[WebUserLoader.languageCookie].map(\.string).flatMap {
                Catalog.languages.contains($0) ? $0 : nil
            }
            if req.hasSession, let old = req.session.id { try await SessionStore(req.db).delete(id: old.string) }
            req.session.id = nil  // the middleware then stores the data under a new id
            req.session.data = SessionData()
            req.session.data["user_id"] = user.id.uuidString
            req.session.data["csrf"] = CSRFMiddleware.newToken()
            if let language { req.session.data["lang"] = language }
            return req.redirect(to: next)
        }
    }

    func signOut(_ req: Request) async throws -> Response {
        req.session.destroy()
        return req.redirect(to: SiteURL.signIn.path)
    }

    struct LanguageForm: Content { var lang: String; var back: String? }

    /// Sets the interface language for this session (and the account, when signed in).
    func setLanguage(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LanguageForm.self)
        guard Catalog.languages.contains(form.lang) else { throw PageError(.badRequest, key: "error.bad_request") }
        let response = req.redirect(to: Self.safeNext(form.back))
        if let user = req.currentUser?.user {
            req.session.data["lang"] = form.lang
            try await UserStore(req.db).setLanguage(user.id, form.lang)
        } else {
            response.cookies[WebUserLoader.languageCookie] = WebUserLoader.languageCookieValue(form.lang, req)
        }
        return response
    }

    /// Only local paths, so the redirect cannot send anyone to another site. Browsers drop tabs and
    /// line breaks from a URL and read a backslash as a slash, so `/\t/example.org` would become
    /// `//example.org`: only printable ASCII without backslashes is kept.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"),
            next.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") }),
            !next.hasPrefix("//"), URLComponents(string: next)?.host == nil
        else { return "/" }
        return next
    }
}
