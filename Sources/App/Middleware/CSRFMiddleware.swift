import Crypto
import Domain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Persistence
import Vapor

/// Every state-changing web request must carry a CSRF token in `_csrf` (or `X-CSRF-Token`).
///
/// Signed in, the token lives in the session. Anonymous visitors (the sign-in form, the language
/// switch) have no stored session: anonymous requests write nothing to the database. Their token is
/// a signed double-submit cookie instead: random bytes and an HMAC of them under a key every app
/// server shares (migration 0029), checked against the form's copy.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"
    static let cookie = "bearing-csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method != .GET && request.method != .HEAD {
            // Before any body is read: a form's body is read up to the ordinary limit only when its
            // token is not in a header or the action's query (upload forms put it there, so a file
            // is read only once the token has passed, and only by the upload route).
            if Self.tokenOutsideBody(request) == nil {
                let limit = request.application.routes.defaultMaxBodySize.value
                if let data = request.body.data {  // a body that came in one piece is already read
                    guard data.readableBytes <= limit else { throw Abort(.payloadTooLarge) }
                } else {
                    _ = try await request.body.collect(max: limit).get()
                }
            }
            guard let given = Self.submittedToken(request), try await Self.isValid(given, for: request) else {
                throw PageError(.forbidden, key: "error.csrf")
            }
        }
        if request.currentUser == nil, request.cookies[Self.cookie] == nil, request.method == .GET {
            // The anonymous token a page may put in its forms; set with the response.
            request.storage[AnonymousToken.self] = try await Self.anonymousToken(request)
        }
        let response = try await next.respond(to: request)
        if let token = request.storage[AnonymousToken.self], request.cookies[Self.cookie] == nil {
            response.cookies[Self.cookie] = HTTPCookies.Value(
                string: token, path: "/", isSecure: request.application.bearingConfig.secureCookies, isHTTPOnly: true,
                sameSite: .strict)
        }
        return response
    }

    struct AnonymousToken: StorageKey { typealias Value = String }

    static func isValid(_ submitted: String, for request: Request) async throws -> Bool {
        let given = unmask(submitted)
        if request.currentUser != nil {
            guard let expected = request.session.data["csrf"] else { return false }
            return Hex.constantTimeEqual(expected, given)
        }
        guard let cookie = request.cookies[Self.cookie]?.string, Hex.constantTimeEqual(cookie, given) else {
            return false
        }
        return try await isSigned(cookie, request)
    }

    /// The token in the request: a header, or the form's field. Upload forms carry it in their
    /// action's query, so it is checked before the file is read.
    static func submittedToken(_ request: Request) -> String? {
        if let outside = tokenOutsideBody(request) { return outside }
        guard request.body.data != nil else { return nil }
        return try? request.content.get(String.self, at: field)
    }

    static func tokenOutsideBody(_ request: Request) -> String? {
        request.headers.first(name: "X-CSRF-Token") ?? request.query[String.self, at: field]
    }

    /// The token for this request's forms: the session's when signed in (created on first use),
    /// else the anonymous cookie's.
    static func token(for request: Request) -> String {
        if request.currentUser != nil {
            if let token = request.session.data["csrf"] { return token }
            let token = newToken()
            request.session.data["csrf"] = token
            return token
        }
        return request.cookies[cookie]?.string ?? request.storage[AnonymousToken.self] ?? ""
    }

    /// The token as a page or the offline queue's state carries it: masked with a fresh pad each
    /// time, so a compressed page's size tells nothing about it (BREACH: responses are gzipped,
    /// and pages echo what a query held).
    static func formToken(for request: Request) -> String { mask(token(for: request)) }

    /// "m", then the pad and the token XOR the pad, in hex.
    static func mask(_ token: String) -> String {
        guard !token.isEmpty else { return "" }
        let bytes = Array(token.utf8)
        var generator = SystemRandomNumberGenerator()
        let pad = bytes.map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "m" + Hex.encode(pad) + Hex.encode(zip(pad, bytes).map { $0 ^ $1 })
    }

    /// The token a masked one stands for; one given as it is (a client's header) unchanged.
    static func unmask(_ given: String) -> String {
        guard given.hasPrefix("m"), let raw = Hex.decode(String(given.dropFirst())), raw.count % 2 == 0 else {
            return given
        }
        let half = raw.count / 2
        return String(decoding: zip(raw[..<half], raw[half...]).map { $0 ^ $1 }, as: UTF8.self)
    }

    /// 24 random bytes as hex: safe in forms, headers and URLs without any escaping.
    static func newToken() -> String { Hex.random(byteCount: 24) }

    static func anonymousToken(_ request: Request) async throws -> String {
        let nonce = newToken()
        return nonce + "." + (try await signature(of: nonce, request))
    }

    static func isSigned(_ token: String, _ request: Request) async throws -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return Hex.constantTimeEqual(String(parts[1]), try await signature(of: String(parts[0]), request))
    }

    static func signature(of nonce: String, _ request: Request) async throws -> String {
        let key = try await request.application.csrfKey(request.db)
        return Hex.encode(HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: key))
    }
}

extension Application {
    private struct InstanceKeysKey: StorageKey { typealias Value = NIOLockedValueBox<[String: SymmetricKey]> }

    /// Made empty at configuration (requests must not write the application's storage).
    func prepareInstanceKeys() { storage[InstanceKeysKey.self] = NIOLockedValueBox([:]) }

    /// A key every app server of the database shares (`InstanceSecretStore`), read once per process.
    func instanceKey(_ name: String, _ db: any Database) async throws -> SymmetricKey {
        guard let box = storage[InstanceKeysKey.self] else {
            throw Abort(.internalServerError, reason: "prepareInstanceKeys was not called")
        }
        if let key = box.withLockedValue({ $0[name] }) { return key }
        guard let text = try await InstanceSecretStore(db).value(name) else {
            throw Abort(.internalServerError, reason: "The database has no \(name): run `bearing migrate`.")
        }
        let key = SymmetricKey(data: Data(text.utf8))
        box.withLockedValue { $0[name] = key }
        return key
    }

    /// The shared CSRF key.
    func csrfKey(_ db: any Database) async throws -> SymmetricKey {
        try await instanceKey(InstanceSecretStore.csrfKey, db)
    }
}
