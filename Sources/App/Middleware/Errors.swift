import Domain
import Fluent
import Vapor
import Views

/// An error for an HTML page: a status and a catalogue key for the message.
struct PageError: AbortError {
    let status: HTTPResponseStatus
    let key: String
    init(_ status: HTTPResponseStatus, key: String) {
        self.status = status
        self.key = key
    }
    var reason: String { key }
}

/// A JSON API error: `{"error": {"code": "...", "message": "...", "details": [...]}}`.
struct APIError: AbortError {
    let status: HTTPResponseStatus
    let code: String
    let message: String
    var details: [Detail] = []

    struct Detail: Content { let field: String?; let message: String }

    init(_ status: HTTPResponseStatus, code: String, _ message: String, details: [Detail] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }
    var reason: String { message }
}

/// Renders HTML error pages for the web and JSON errors for `/api`.
struct ErrorPageMiddleware: AsyncMiddleware {
    let environment: Environment

    struct Body: Content {
        struct Inner: Content { let code: String; let message: String; let details: [APIError.Detail] }
        let error: Inner
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            if request.url.path.hasPrefix("/api/") {
                // A known API path asked with a method it does not take: 405 naming the ones it does.
                if error is RouteNotFound {
                    let allowed = Self.methods(for: request.url.path, in: request.application.routes.all)
                    if !allowed.isEmpty, !allowed.contains(request.method) {
                        let response = Self.json(
                            for: APIError(
                                .methodNotAllowed, code: "method_not_allowed",
                                "This resource takes \(allowed.map(\.rawValue).joined(separator: ", ")).",
                                details: []), request: request)
                        response.headers.replaceOrAdd(
                            name: .allow, value: allowed.map(\.rawValue).joined(separator: ", "))
                        return response
                    }
                }
                return Self.json(for: error, request: request)
            }
            return await page(for: error, request: request)
        }
    }

    /// The methods of the resource at `path`: of the routes matching it, those of the most
    /// specific pattern (a constant segment wins over a parameter, as in the router:
    /// `incidents/analysis` is not `incidents/:id`).
    static func methods(for path: String, in routes: [Route]) -> [HTTPMethod] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var best: [Int] = []
        var found: [HTTPMethod] = []
        for route in routes where route.path.count == parts.count {
            var score: [Int] = []
            let fits = zip(route.path, parts).allSatisfy { component, part in
                switch component {
                case .constant(let text): score.append(1); return text == part
                case .parameter: score.append(0); return true
                default: return false
                }
            }
            guard fits else { continue }
            if best.lexicographicallyPrecedes(score) { (best, found) = (score, []) }
            if score == best, !found.contains(route.method) { found.append(route.method) }
        }
        return found
    }

    static func json(for error: any Error, request: Request) -> Response {
        var status = HTTPResponseStatus.internalServerError
        var code = "internal_error"
        var message = "Something went wrong on the server; the error was logged."
        var details: [APIError.Detail] = []
        switch error {
        case _ where DatabaseOutage.matches(error):
            request.logger.warning("database unavailable: \(String(reflecting: error))")
            return unavailable(
                Response(status: .serviceUnavailable),
                json: Body(
                    error: .init(
                        code: "database_unavailable",
                        message: "The database cannot be reached just now. Try again in a minute; "
                            + "if you sent a change, check whether it was saved.", details: [])))
        case let error as APIError:
            (status, code, message, details) = (error.status, error.code, error.message, error.details)
        case let error as ParameterError:
            (status, code, message, details) = (
                error.status, "bad_parameter", error.reason, [.init(field: error.name, message: error.reason)]
            )
        case let error as ValidationErrors:
            status = .unprocessableEntity
            code = "validation_failed"
            message = "Some fields are invalid."
            details = error.errors.map { .init(field: $0.field, message: $0.message) }
        case let error as DomainError:
            status = error.httpStatus
            code = error.kind.rawValue
            message = error.message
            if let field = error.field { details = [.init(field: field, message: error.message)] }
        case let error as any AbortError:
            status = error.status
            code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            message = error.status == .notFound ? "No such resource." : error.reason
        default:
            request.logger.report(error: error)
        }
        let response = Response(status: status)
        try? response.content.encode(Body(error: .init(code: code, message: message, details: details)), as: .json)
        return response
    }

    func page(for error: any Error, request: Request) async -> Response {
        var status = HTTPResponseStatus.internalServerError
        var key = "error.internal"
        var message: String?
        switch error {
        case _ where DatabaseOutage.matches(error):
            request.logger.warning("database unavailable: \(String(reflecting: error))")
            (status, key) = (.serviceUnavailable, "error.unavailable")
        case let error as PageError: (status, key) = (error.status, error.key)
        case let error as ParameterError:
            status = error.status
            message = request.t("error.bad_parameter").replacingOccurrences(of: "{name}", with: error.name)
                .replacingOccurrences(of: "{from}", with: String(error.range.lowerBound))
                .replacingOccurrences(of: "{to}", with: String(error.range.upperBound))
        case let error as DomainError: (status, key) = (error.httpStatus, error.messageKey)
        case let error as CaptureRefusal:
            if CaptureAnswer.isQueued(request) {
                return CaptureAnswer.refused(request.t(error.key), errors: error.errors, status: error.status)
            }
            (status, key) = (error.status, error.key)
        case let error as any AbortError:
            status = error.status
            key =
                switch error.status.code {
                case 404: "error.not_found"
                case 403: "error.forbidden"
                case 413: "error.too_large"
                case 400, 415, 422: "error.bad_request"
                default: "error.internal"
                }
        default:
            request.logger.report(error: error)
        }
        let text = message ?? request.catalog.text(key, request.language)
        // The offline queue's sender reads the reason to show it on the entry.
        let response: Response
        if CaptureAnswer.isQueued(request) {
            response = CaptureAnswer.refused(text, status: status)
        } else {
            response = Page.render(
                request, title: request.catalog.text("error.title", request.language), status: status
            ) {
                ErrorPage.view(status: Int(status.code), message: text, $0)
            }
        }
        return status == .serviceUnavailable ? Self.unavailable(response) : response
    }

    /// A 503 says when to try again.
    static func unavailable(_ response: Response, json body: Body? = nil) -> Response {
        if let body { try? response.content.encode(body, as: .json) }
        response.headers.replaceOrAdd(name: .retryAfter, value: String(DatabaseOutage.retryAfterSeconds))
        return response
    }

}

extension DomainError {
    var httpStatus: HTTPResponseStatus {
        switch kind {
        case .invalid: .unprocessableEntity
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .conflict: .conflict
        }
    }
}

extension Request {
    var catalog: Catalog { application.catalog }
    func t(_ key: String) -> String { catalog.text(key, language) }

    /// What a refused change says, in the request's language (the catalogue's words, else the rule's own).
    func message(_ error: DomainError) -> String { t(error.messageKey, or: error.message) }

    /// The catalogue's text for `key`, or `fallback` when the catalogue has none (a name an
    /// administrator gave in the settings).
    func t(_ key: String, or fallback: String) -> String {
        catalog.lookup(key, language) ?? fallback
    }

    /// The moment this request is judged at (the application's clock).
    var now: Date { application.wallClock.now() }

    /// The catalogue in this request's language, for views, with the clock of the operation the
    /// request is about (UTC elsewhere).
    var strings: Strings { Strings(catalog, language: language, clock: storage[OperationClockKey.self] ?? .utc) }
}

extension ValidationErrors {
    /// Field → message in the request's language (the English text where the catalogue has none).
    func messages(in req: Request) -> [String: String] {
        var messages: [String: String] = [:]
        for error in errors {
            let text = req.t(error.messageKey)
            // The catalogue answers a missing key with the key itself (dots as underscores).
            let missing = text == error.messageKey || text == error.messageKey.replacingOccurrences(of: ".", with: "_")
            messages[error.field ?? "form"] = missing ? error.message : text
        }
        return messages
    }
}

/// The operation a request is about, as far as its times go: set once the operation is loaded.
struct OperationClockKey: StorageKey { typealias Value = OperationTime }
