import Domain
import Fluent
import Vapor

/// Every state-changing web request must carry the session's CSRF token in `_csrf`.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method != .GET && request.method != .HEAD {
            // Streamed bodies (file uploads) are not collected yet when middleware runs.
            if request.body.data == nil {
                let limit = request.application.bearingConfig.maxUploadBytes + 1_000_000
                _ = try await request.body.collect(max: limit).get()
            }
            let expected = request.session.data["csrf"]
            let given = Self.submittedToken(request)
            guard let expected, let given, Self.constantTimeEqual(expected, given) else {
                throw PageError(.forbidden, key: "error.csrf")
            }
        }
        return try await next.respond(to: request)
    }

    static func submittedToken(_ request: Request) -> String? {
        if let header = request.headers.first(name: "X-CSRF-Token") { return header }
        // Multipart forms (uploads) and url-encoded forms both decode a `_csrf` field.
        return try? request.content.get(String.self, at: field)
    }

    /// The session's token, created on first use.
    static func token(for request: Request) -> String {
        if let token = request.session.data["csrf"] { return token }
        let token = newToken()
        request.session.data["csrf"] = token
        return token
    }

    /// 24 random bytes as hex: safe in forms, headers and URLs without any escaping.
    static func newToken() -> String { Hex.random(byteCount: 24) }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
