import Domain
import Persistence
import Vapor

/// What every API handler reads from its request, answered in the API's JSON errors.
extension Request {
    /// The operation named in the path: 404 when there is none or the caller is no member.
    func apiOperation() async throws -> OperationContext {
        try await OperationContext.load(self, notFound: APIError(.notFound, code: "not_found", "No such operation."))
    }

    /// `page` and `per_page` (1–200) from the query.
    func apiPaging() throws -> Paging {
        Paging(
            page: try queryInteger("page", in: Paging.pages, emptyMeansAbsent: false),
            perPage: try queryInteger("per_page", in: 1...200, emptyMeansAbsent: false))
    }

    /// A JSON body, answering 422 with the decoder's words when it does not fit.
    func apiBody<T: Decodable>(_ type: T.Type) throws -> T {
        do { return try content.decode(T.self) } catch {
            throw APIError(
                .unprocessableEntity, code: "bad_body", "The body does not match the documented schema: \(error)")
        }
    }

    /// The signed-in administrator, or 403.
    func requireAPIAdmin() throws -> CurrentUser {
        let current = try requireUser()
        guard current.user.isAdmin else { throw APIError(.forbidden, code: "forbidden", "Administrators only.") }
        return current
    }

    /// The version a PUT or PATCH is based on, from `If-Match` (the `ETag` its GET answered). Without
    /// it a change could overwrite someone else's unseen: 428.
    /// `If-Match: *` (RFC 9110: any current version) is a deliberate choice to overwrite: nil, no check.
    func ifMatch() throws -> String? {
        guard let header = headers.first(name: .ifMatch)?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
            throw APIError(
                .preconditionRequired, code: "version_required",
                "Send the record's ETag (from its GET) as If-Match, so a change made since is not overwritten.")
        }
        if header == "*" { return nil }
        return String(header.hasPrefix("W/") ? header.dropFirst(2) : Substring(header))
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}

/// Versioned answers: the record's version as its `ETag`, and the refusal of a save based on an older one.
enum APIVersioning {
    static func tagged<T: Content>(_ value: T, version: String, status: HTTPStatus = .ok, _ req: Request) async throws
        -> Response
    {
        let response = try await value.encodeResponse(status: status, for: req)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(version)\"")
        return response
    }

    /// A save refused because the record changed since the client's version: 412 with the current version.
    static func stale(_ current: String) -> APIError {
        APIError(
            .preconditionFailed, code: "stale_version",
            "The record changed after the version you sent in If-Match: nothing was saved. GET it again, merge, and send again.",
            details: [.init(field: "If-Match", message: "The current version is \"\(current)\".")])
    }
}

/// Keys of JSON dictionaries: the decoder turns their snake_case into camelCase, so a key is found
/// among the known ones either way.
enum APIKeys {
    /// The known key `key` stands for (`killedNationalFemale` or `killed_national_female`), else `key`.
    static func snakeCase(_ key: String, among known: [String]) -> String {
        known.first { $0 == key || camelCase($0) == key } ?? key
    }

    static func camelCase(_ snake: String) -> String {
        let parts = snake.split(separator: "_")
        return (parts.first.map(String.init) ?? "")
            + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
