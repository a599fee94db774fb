import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// The signed-in account and its access, attached to the request by `UserLoader`.
struct CurrentUser: Sendable {
    let user: UserRecord
    let viewer: Viewer
}

extension Request {
    private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }
    private struct LanguageKey: StorageKey { typealias Value = String }
    private struct SessionReadyKey: StorageKey { typealias Value = Bool }

    /// Whether this request went through the web middleware, so its session may be used.
    /// Errors raised before (an unknown path, say) render without one: touching
    /// `session` there would stop the process.
    var sessionIsReady: Bool {
        get { storage[SessionReadyKey.self] ?? false }
        set { storage[SessionReadyKey.self] = newValue }
    }

    var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    /// The signed-in account, or 401 (API) / redirect (web, via `RequireSignIn`).
    func requireUser() throws -> CurrentUser {
        guard let current = currentUser else { throw Abort(.unauthorized, reason: "Sign in first.") }
        return current
    }

    /// The language of this response (from the browser's Accept-Language before the web middleware ran).
    var language: String {
        get { storage[LanguageKey.self] ?? Catalog.negotiate(headers.first(name: .acceptLanguage)) ?? "en" }
        set { storage[LanguageKey.self] = newValue }
    }

    /// Where the client connects from, for sign-in throttling: the peer's address, or behind a
    /// configured trusted proxy the address it says it forwarded for (X-Forwarded-For, read from
    /// the right, skipping the trusted proxies). A client's own X-Forwarded-For is never believed.
    var clientAddress: String {
        ClientAddress.resolve(
            peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
            trustedProxies: application.bearingConfig.trustedProxies)
    }
}

/// Loads the account from the session cookie (web) and picks the language.
struct WebUserLoader: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.sessionIsReady = true
        // Without a session cookie the session is not touched: touching it would store one.
        if request.hasSession {
            if let id = request.session.data["user_id"].flatMap(UUID.init(uuidString:)).map(UserID.init(rawValue:)),
                let current = try await Self.account(id, for: request), !current.user.isDisabled
            {
                request.currentUser = current
            } else {
                request.session.destroy()  // expired, signed out elsewhere, or disabled: the cookie goes
            }
        }
        // `?lang=` (a link from a message, a bookmark) chooses the language as the switch does: for the
        // session and the account when signed in, for the browser (a cookie) when not.
        let asked = request.query[String.self, at: "lang"].flatMap { Catalog.languages.contains($0) ? $0 : nil }
        if let asked, let current = request.currentUser, request.session.data["lang"] != asked {
            request.session.data["lang"] = asked
            if current.user.language != asked { try await UserStore(request.db).setLanguage(current.user.id, asked) }
        }
        request.language = asked ?? Self.language(for: request)
        let response = try await next.respond(to: request)
        if let asked, request.currentUser == nil {
            response.cookies[Self.languageCookie] = Self.languageCookieValue(asked, request)
        }
        return response
    }

    /// The cookie that keeps a language chosen before signing in.
    static func languageCookieValue(_ language: String, _ request: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: language, maxAge: 365 * 86_400, path: "/",
            isSecure: request.application.bearingConfig.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
    }

    /// The account with its roles: as read together with the session, or else from the database.
    static func account(_ id: UserID, for request: Request) async throws -> CurrentUser? {
        if let loaded = request.storage[DatabaseSessionDriver.LoadedAccount.self], let user = loaded.user, user.id == id
        {
            return CurrentUser(user: user, viewer: UserStore.viewer(for: user, memberships: loaded.memberships))
        }
        let users = UserStore(request.db)
        guard let user = try await users.find(id: id) else { return nil }
        return CurrentUser(user: user, viewer: try await users.viewer(for: user))
    }

    /// An anonymous visitor's language choice: a cookie, not a stored session.
    static let languageCookie = "bearing-lang"

    static func language(for request: Request) -> String {
        if request.currentUser != nil, let chosen = request.session.data["lang"], Catalog.languages.contains(chosen) {
            return chosen
        }
        if let chosen = request.cookies[languageCookie]?.string, Catalog.languages.contains(chosen) { return chosen }
        if let user = request.currentUser?.user, Catalog.languages.contains(user.language) { return user.language }
        return Catalog.negotiate(request.headers.first(name: .acceptLanguage)) ?? "en"
    }
}

/// Sends visitors who are not signed in to the sign-in page, saying why when a session expired.
struct RequireSignIn: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.currentUser != nil { return try await next.respond(to: request) }
        let hadCookie = request.cookies["bearing-session"] != nil
        var target = SiteURL.signIn.path
        var query: [String] = []
        if hadCookie { query.append("expired=1") }  // a session cookie without a signed-in session
        if request.method == .GET,
            let next = request.url.path.addingPercentEncoding(
                withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_")))
        {
            query.append("next=\(next)")
        }
        if !query.isEmpty { target += "?" + query.joined(separator: "&") }
        return request.redirect(to: target)
    }
}

/// Authenticates API calls by personal token (`Authorization: Bearer brg_…`).
struct APITokenAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization?.token else {
            throw APIError(
                .unauthorized, code: "unauthenticated", "Send a personal API token as 'Authorization: Bearer <token>'.")
        }
        let lifetime = TimeInterval(request.application.bearingConfig.tokenMaximumDays) * 86_400
        guard
            let (user, token) = try await TokenStore(request.db).account(
                forSecret: bearer, maximumLifetime: lifetime, now: request.now)
        else {
            throw APIError(
                .unauthorized, code: "invalid_token",
                "The API token is unknown, expired or revoked, or its account is disabled.")
        }
        if token.readOnly, request.method != .GET, request.method != .HEAD {
            throw APIError(
                .forbidden, code: "read_only_token",
                "This API token may only read; make one that may write on your account page.")
        }
        request.currentUser = CurrentUser(user: user, viewer: try await UserStore(request.db).viewer(for: user))
        request.language = "en"
        return try await next.respond(to: request)
    }
}
