import App
import Foundation
import NIOCore
import Persistence
import Vapor
import VaporTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal browser over the in-process test client: keeps the session cookie and the CSRF
/// token of the last page, like a person's browser would.
public final class Browser: @unchecked Sendable {
    let app: Application
    /// The cookies Bearing set, by name (the session, the anonymous CSRF token, the language).
    public private(set) var cookies: [String: String] = [:]
    public var cookie: String? { cookies["bearing-session"].map { "bearing-session=\($0)" } }
    public private(set) var csrf: String?

    /// Uploads over a real HTTP server (`liveUploads`), where bodies stream as in production; in
    /// memory they arrive whole. (The live client follows redirects itself, so only uploads go live.)
    let liveUploads: Bool
    /// A port nothing listens on: the kernel's choice for a socket bound to port 0. A random number
    /// could fall on a port another process (a database client, a browser) holds.
    let port = Browser.freePort()

    public init(_ app: Application, liveUploads: Bool = false) {
        self.app = app
        self.liveUploads = liveUploads
    }

    public struct Page: Sendable {
        public let status: HTTPStatus
        public let body: String
        public let headers: HTTPHeaders
        /// The body's bytes, for downloads that are not text (a ZIP).
        public var data = Data()
        public var location: String? { headers.first(name: .location) }
    }

    @discardableResult
    public func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> Page {
        try await send(.GET, path, headers: headers) { _ in }
    }

    /// Posts a url-encoded form; adds the CSRF token unless `csrf: false`.
    @discardableResult
    public func post(_ path: String, _ form: [String: String], csrf: Bool = true) async throws -> Page {
        var fields = form
        if csrf, fields["_csrf"] == nil, let token = self.csrf { fields["_csrf"] = token }
        let encoded = fields
        return try await send(.POST, path) { req in try req.content.encode(encoded, as: .urlEncodedForm) }
    }

    /// Posts a multipart form with one file.
    @discardableResult
    public func upload(_ path: String, file: Data, filename: String, fields: [String: String] = [:]) async throws
        -> Page
    {
        struct Upload: Content { var file: File; var level: String?; var format: String?; var all_countries: String? }
        let body = Upload(
            file: File(data: ByteBuffer(data: file), filename: filename), level: fields["level"],
            format: fields["format"], all_countries: fields["all_countries"])
        return try await send(.POST, Self.withToken(path, csrf), live: liveUploads) { req in
            try req.content.encode(body, as: .formData)
        }
    }

    /// Posts a multipart form with any fields and, if given, one file in the field `file`; adds
    /// the CSRF token to the action's query, as Bearing's upload forms do.
    @discardableResult
    public func postMultipart(
        _ path: String, _ form: [String: String], file: (filename: String, data: Data)? = nil,
        files: [(name: String, filename: String, data: Data)] = []
    ) async throws -> Page {
        let boundary = "bearing-test-\(UUID().uuidString)"
        let fields = form
        let path = form["_csrf"] == nil ? Self.withToken(path, csrf) : path
        var body = Data()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for part in (file.map { [(name: "file", filename: $0.filename, data: $0.data)] } ?? []) + files {
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"; filename=\"\(part.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        .utf8))
            body.append(part.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        let bytes = body
        return try await send(.POST, path, live: liveUploads) { req in
            req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            req.body = ByteBuffer(data: bytes)
        }
    }

    /// A browser signed in as `user` (with the fixtures' password), holding a CSRF token for its next form.
    public static func signedIn(_ app: Application, _ user: UserRecord) async throws -> Browser {
        let browser = Browser(app)
        let page = try await browser.signIn(user.email, Fixture.password)
        guard page.status == .seeOther else {
            throw Abort(.unauthorized, reason: "\(user.email) could not sign in (\(page.status))")
        }
        _ = try await browser.get("/")
        return browser
    }

    public func signIn(_ email: String, _ password: String) async throws -> Page {
        try await get("/sign-in")
        return try await post("/sign-in", ["email": email, "password": password])
    }

    public func send(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], live: Bool = false,
        _ prepare: @escaping @Sendable (inout TestingHTTPRequest) throws -> Void
    ) async throws -> Page {
        var all = headers
        if !cookies.isEmpty {
            all.replaceOrAdd(
                name: .cookie,
                value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var result: Page?
        let tester = try live ? app.testing(method: .running(hostname: "127.0.0.1", port: port)) : app.testing()
        try await tester.test(
            method, path, headers: all, beforeRequest: { req in try prepare(&req) },
            afterResponse: { res in
                let body = res.body.string
                result = Page(
                    status: res.status, body: body, headers: res.headers,
                    data: Data(res.body.getBytes(at: res.body.readerIndex, length: res.body.readableBytes) ?? []))
            })
        guard let page = result else { throw Abort(.internalServerError) }
        for value in page.headers[.setCookie] {
            guard let pair = value.split(separator: ";").first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]), content = String(pair[pair.index(after: equals)...])
            // Only the attributes after the value say it expired (a random value may well contain "1970").
            let attributes = value.split(separator: ";").dropFirst().map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            let expired =
                content.isEmpty || attributes.contains("max-age=0")
                || attributes.contains { $0.hasPrefix("expires=") && $0.contains("1970") }
            cookies[name] = expired ? nil : content
        }
        if let token = Self.csrfToken(in: page.body) { csrf = token }
        return page
    }

    static func withToken(_ path: String, _ token: String?) -> String {
        guard let token else { return path }
        return path + (path.contains("?") ? "&" : "?") + "_csrf=" + token
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&#43;", with: "+").replacingOccurrences(
            of: "&#x2B;", with: "+")
    }
}

extension Browser {
    /// The version an edit form at `path` is based on (its hidden `version` field), as a person's
    /// browser would send it back.
    public func editVersion(_ path: String) async throws -> String {
        let page = try await get(path).body
        return FormReader.forms(in: page, page: path).compactMap { $0.fields["version"] }.first ?? ""
    }
}

extension Browser {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, closed).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return Int.random(in: 30000...60000) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : Int.random(in: 30000...60000)
    }
}
