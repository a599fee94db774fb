import Domain
import Vapor
import Views

/// The server's side of offline capture (issue 21): the service worker, who is signed in for the
/// queue's sender, and the page shown offline for a page not kept.
struct CaptureController {
    /// The worker at the root (its scope is every page), with the hashed assets it keeps and a
    /// version that changes with them, so a browser installs the new worker when they change.
    func serviceWorker(_ req: Request) async throws -> Response {
        guard let source = Assets.all[Self.workerSource] else { throw Abort(.notFound) }
        let assets = Assets.all.values.filter { $0.name != Self.workerSource }.map(\.path).sorted()
        let version = String(Hex.sha256(assets.joined(separator: ",") + source.hash).prefix(16))
        var script = "// Made by the server: the assets to keep offline and their version.\n"
        script += "var VERSION = \"\(version)\";\n"
        script += "var ASSETS = [" + assets.map { "\"\($0)\"" }.joined(separator: ", ") + "];\n"
        script += "var OFFLINE = \"\(SiteURL.offline.path)\";\n"
        script += String(decoding: source.data, as: UTF8.self)
        let response = Response(status: .ok, body: .init(string: script))
        response.headers.replaceOrAdd(name: .contentType, value: "text/javascript; charset=utf-8")
        // Browsers check the worker for changes; never serve them a stale one.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return response
    }

    static let workerSource = "offline-worker.js"

    struct State: Content {
        let account: String
        let csrf: String
    }

    /// The account signed in and its CSRF token: the queue sends only that account's entries, with
    /// this token (the one in a page kept offline may belong to an ended session). 401 when signed out.
    func state(_ req: Request) async throws -> Response {
        guard let user = req.currentUser else {
            return CaptureAnswer.refused(req.t("capture_sign_in"), status: .unauthorized)
        }
        let response = Response(status: .ok)
        try response.content.encode(
            State(account: user.user.id.uuidString, csrf: CSRFMiddleware.formToken(for: req)), as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func offline(_ req: Request) async throws -> Response {
        Page.render(req, title: req.t("offline_title")) { OfflinePage.view($0) }
    }
}

/// Marks a page the service worker keeps for use offline (the capture forms): it caches a page
/// only when this header says so.
struct OfflinePageMiddleware: AsyncMiddleware {
    static let header = "X-Bearing-Offline"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if response.status == .ok { response.headers.replaceOrAdd(name: Self.header, value: "capture") }
        return response
    }
}

/// The bundled styles and scripts, from memory. Under their hashed path they are kept a year
/// (`immutable`: the path changes with the content); under a plain or outdated path they are
/// revalidated each time.
struct AssetMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET || request.method == .HEAD else { return try await next.respond(to: request) }
        let parts = request.url.path.split(separator: "/", omittingEmptySubsequences: true)
        let file: Assets.File?
        var current = false
        if parts.count == 3, parts[0] == "assets" {
            file = Assets.all[String(parts[2])]
            current = file?.hash == String(parts[1])
        } else if parts.count == 1, parts[0] != "sw.js" {
            file = Assets.all[String(parts[0])]
        } else {
            file = nil
        }
        guard let file, file.name != CaptureController.workerSource else { return try await next.respond(to: request) }
        let tag = "\"\(file.hash)\""
        let response: Response
        if request.headers.first(name: .ifNoneMatch) == tag {
            response = Response(status: .notModified)
        } else {
            response = Response(status: .ok, body: .init(data: file.data))
            response.headers.replaceOrAdd(name: .contentType, value: file.contentType)
        }
        response.headers.replaceOrAdd(name: .eTag, value: tag)
        response.headers.replaceOrAdd(
            name: .cacheControl, value: current ? "public, max-age=31536000, immutable" : "no-cache")
        return response
    }
}
