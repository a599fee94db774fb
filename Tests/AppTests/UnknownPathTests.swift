import Foundation
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Unknown paths")
struct UnknownPathTests {
    @Test("an unknown path answers a 404 page (in the browser's language), and the server keeps serving")
    func unknownPath() async throws {
        try await withTestApp(.sqlite) { app in
            let browser = Browser(app)
            let page = try await browser.get("/nowhere", headers: ["Accept-Language": "fr-FR,fr;q=0.9"])
            #expect(page.status == .notFound)
            #expect(page.body.contains(#"<html lang="fr""#))
            #expect(!page.body.contains("language-switch"), "no form that could not be posted without a session")
            let post = try await browser.post("/nowhere/else", ["a": "b"], csrf: false)
            #expect(post.status == .notFound)
            let api = try await browser.get("/api/v1/nowhere")
            #expect(api.status == .notFound)
            #expect(api.body.contains(#""code":"not_found""#))
            // A known API path with a method it does not take: 405 and the methods it does.
            let wrong = try await browser.send(.DELETE, "/api/v1/operations") { _ in }
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.headers.first(name: .allow) == "GET, POST")
            #expect(wrong.body.contains(#""code":"method_not_allowed""#))
            #expect(try await browser.get("/health").status == .ok)
        }
    }
}

@Suite("Shutdown")
struct ShutdownTests {
    struct Slow: AsyncResponder {
        let gate: AsyncStream<Void>
        func respond(to request: Request) async throws -> Response {
            for await _ in gate { break }
            return Response(status: .ok)
        }
    }

    @Test("shutdown waits for a request still being handled, and gives up after its timeout")
    func drain() async throws {
        let app = try await Application.make(.testing)
        let inFlight = InFlightRequests()
        let (gate, open) = AsyncStream<Void>.makeStream()
        let request = Request(application: app, on: app.eventLoopGroup.next())
        let handling = Task { try await inFlight.respond(to: request, chainingTo: Slow(gate: gate)) }
        while inFlight.current == 0 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await inFlight.drain(timeout: .milliseconds(50)) == false)
        open.yield()
        #expect(await inFlight.drain(timeout: .seconds(5)) == true)
        #expect(try await handling.value.status == .ok)
        #expect(inFlight.current == 0)
        try await app.asyncShutdown()
    }
}
