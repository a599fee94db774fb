import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

/// Hostile text typed into every field of every form of every page: nothing answers a server
/// error, and no page shows it as markup afterwards (script, quotes, right-to-left overrides,
/// 10,000 characters).
@Suite("Hostile input through every form")
struct HostileFormTests {
    static let hostile = [
        #"<script>alert('bearing')</script>"#,
        #""><img src=x onerror=alert('bearing')>"#,
        "'; DROP TABLE sites; --",
        "\u{202E}cod.exe\u{202C} \u{2067}مرحبا\u{2069}",
        String(repeating: "W", count: 10_000),
    ]
    /// Forms that end a session, remove or withdraw something, or change who may sign in: typing
    /// into them tests nothing, and submitting them would cut the crawl short.
    static let skipped = [
        "sign-out", "/remove", "/revoke", "/disabled", "/delete", "/withdraw", "/language", "/unlink", "/sign-in",
    ]

    @Test("no form answers a server error for hostile text, and no page renders it as markup")
    func everyForm() async throws {
        try await withTestApp(.sqlite) { app in
            let (coordinator, heops, _) = try await HostileQueryTests.demo(app)
            let patterns = app.routes.all.filter { $0.method == .GET }.map(\.path)
            var found: [String: (url: String, parameters: Set<String>, browser: Browser)] = [:]
            for browser in [coordinator, heops] {
                try await HostileQueryTests.crawl(browser, start: ["/", "/account"], patterns: patterns, into: &found)
            }
            var failures: [String] = []
            var submitted = 0
            for (_, entry) in found.sorted(by: { $0.key < $1.key }) {
                let page = try await entry.browser.get(entry.url)
                for form in FormReader.forms(in: page.body, page: entry.url)
                where form.method == "post" && !form.typed.isEmpty {
                    guard !Self.skipped.contains(where: { form.action.contains($0) }) else { continue }
                    for round in Self.hostile.indices {
                        // The page again for each round: a fresh CSRF token and version.
                        let fresh =
                            FormReader.forms(in: try await entry.browser.get(entry.url).body, page: entry.url)
                            .first { $0.action == form.action } ?? form
                        var fields = fresh.fields
                        for (i, name) in fresh.typed.enumerated() {
                            fields[name] = Self.hostile[(round + i) % Self.hostile.count]
                        }
                        let path = fresh.action.hasPrefix("/") ? fresh.action : entry.url
                        let answer =
                            fresh.multipart
                            ? try await entry.browser.postMultipart(path, fields)
                            : try await entry.browser.post(path, fields)
                        submitted += 1
                        if answer.status.code >= 500 { failures.append("\(answer.status.code) POST \(path)") }
                        if Self.rendersMarkup(answer.body) { failures.append("markup in the answer to POST \(path)") }
                    }
                }
            }
            #expect(submitted > 100, "only \(submitted) submissions")
            // Every page again, as both: the hostile text stored by the forms is shown as text.
            for (_, entry) in found.sorted(by: { $0.key < $1.key }) {
                let page = try await entry.browser.get(entry.url)
                if page.status.code >= 500 { failures.append("\(page.status.code) GET \(entry.url)") }
                if Self.rendersMarkup(page.body) { failures.append("markup on GET \(entry.url)") }
            }
            #expect(failures.isEmpty, "\(failures.count) problems:\n\(failures.prefix(30).joined(separator: "\n"))")
            #expect(try await coordinator.get("/health").status == .ok)
        }
    }

    /// Whether a page shows hostile text as markup rather than as text.
    static func rendersMarkup(_ html: String) -> Bool {
        html.contains("<script>alert('bearing')") || html.contains("<img src=x onerror")
    }
}
