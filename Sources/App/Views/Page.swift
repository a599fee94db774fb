import Fluent
import Domain
import Foundation
import Persistence
import Vapor
import Views

/// Renders a Leaf page inside the layout with what every page needs: strings in the user's
/// language, text direction, the CSRF token, the signed-in user and the language switch.
enum Page {
    struct Layout<Body: Encodable>: Encodable {
        let title: String
        let lang: String
        let dir: String
        let csrf: String
        /// False on error pages raised before the web middleware: no forms can be posted there.
        let hasSession: Bool
        let user: UserSummary?
        /// `#if(user)` would make LeafKit convert a dictionary to a truth value, which is slow.
        let signedIn: Bool
        let languageOptions: HTMLFragment
        let path: String
        let flash: String?
        let body: Body
    }

    struct UserSummary: Encodable { let name: String; let email: String; let isAdmin: Bool }


    static func render<Body: Encodable>(_ template: String, _ body: Body, title: String, for request: Request, status: HTTPResponseStatus = .ok) async throws -> Response {
        let language = request.language
        let withSession = request.sessionIsReady
        let flash = withSession && request.currentUser != nil ? request.session.data["flash"] : nil
        if flash != nil { request.session.data["flash"] = nil }
        let layout = Layout(
            title: title, lang: language, dir: Catalog.rightToLeft.contains(language) ? "rtl" : "ltr",
            csrf: withSession ? CSRFMiddleware.token(for: request) : "", hasSession: withSession,
            user: request.currentUser.map { UserSummary(name: $0.user.displayName, email: $0.user.email, isAdmin: $0.user.isAdmin) },
            signedIn: request.currentUser != nil, languageOptions: languageOptions(current: language),
            path: request.url.path, flash: flash, body: body)
        let view = try await request.view.render(template, layout)
        let response = try await view.encodeResponse(for: request)
        response.status = status
        response.headers.replaceOrAdd(name: .contentType, value: "text/html; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// Renders a page's view inside the layout. `view` gets the page's chrome (strings, CSRF token,
    /// who is signed in) and returns the body.
    static func render(_ request: Request, title: String, status: HTTPResponseStatus = .ok,
                       _ view: (PageChrome) -> HTML) -> Response {
        let page = chrome(request, title: title)
        let document = Views.Layout.document(page, body: view(page))
        let response = Response(status: status, body: .init(string: document.html))
        response.headers.replaceOrAdd(name: .contentType, value: "text/html; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// What the layout needs from the request; takes the one-time message out of the session.
    static func chrome(_ request: Request, title: String) -> PageChrome {
        let withSession = request.sessionIsReady
        let flash = withSession && request.currentUser != nil ? request.session.data["flash"] : nil
        if flash != nil { request.session.data["flash"] = nil }
        return PageChrome(
            title: title, strings: request.strings, csrf: withSession ? CSRFMiddleware.token(for: request) : "",
            hasSession: withSession,
            user: request.currentUser.map { PageChrome.User(name: $0.user.displayName, isAdmin: $0.user.isAdmin) },
            path: request.url.path, flash: flash)
    }

    /// The language switch's options, each named in its own language.
    static func languageOptions(current: String) -> HTMLFragment {
        var html = HTMLFragment()
        for code in Catalog.languages {
            html.markup("<option value=\"")
            html.text(code)
            html.markup("\" lang=\"")
            html.text(code)
            html.markup(code == current ? "\" selected>" : "\">")
            html.text(Views.Layout.languageNames[code] ?? code)
            html.markup("</option>")
        }
        return html
    }

    /// Sets a one-time message for the next page (signed in only: anonymous visitors have no session).
    static func flash(_ key: String, on request: Request) {
        guard request.currentUser != nil else { return }
        request.session.data["flash"] = request.t(key)
    }
}
