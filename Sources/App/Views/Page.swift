import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// Renders a page's view inside the layout with what every page needs: strings in the user's
/// language, text direction, the CSRF token, the signed-in user and the language switch.
enum Page {
    /// Renders a page's view inside the layout. `view` gets the page's chrome (strings, CSRF token,
    /// who is signed in) and returns the body.
    static func render(
        _ request: Request, title: String, status: HTTPResponseStatus = .ok,
        _ view: (PageChrome) -> HTML
    ) -> Response {
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
            title: title, strings: request.strings, csrf: withSession ? CSRFMiddleware.formToken(for: request) : "",
            hasSession: withSession,
            user: request.currentUser.map {
                PageChrome.User(
                    name: $0.user.displayName, isAdmin: $0.user.isAdmin, account: $0.user.id.uuidString)
            },
            path: request.url.path, flash: flash)
    }

    /// Sets a one-time message for the next page (signed in only: anonymous visitors have no session).
    static func flash(_ key: String, on request: Request) {
        guard request.currentUser != nil else { return }
        request.session.data["flash"] = request.t(key)
    }
}
