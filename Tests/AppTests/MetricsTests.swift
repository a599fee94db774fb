import Domain
import Foundation
import Persistence
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("/metrics: Prometheus's counters, for administrators' tokens only")
struct MetricsTests {
    @Test(
        "an administrator's token reads the counters; every other role is refused, and so is a session or no token; no label names an operation or a record",
        arguments: TestDatabases.kinds)
    func metrics(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let fixture = try await Fixture.make(app)
            let everyone = try await AccessMatrixHTTPTests.everyone(app, fixture)
            // Some traffic to count: a page, a record's API answer, a refusal.
            let coordinator = try #require(everyone.first { $0.label == Role.securityCoordinator.rawValue })
            #expect(try await coordinator.browser.get("/operations/SDN-TEST").status == .ok)
            #expect(
                try await coordinator.browser.get("/api/v1/operations/SDN-TEST/sites", headers: coordinator.auth)
                    .status == .ok)
            // Methods a client makes up are counted under one name, not one counter each.
            for made in ["BREW", "WHEN", "XYZZY"] {
                _ = try await coordinator.browser.send(HTTPMethod(rawValue: made), "/operations/SDN-TEST") { _ in }
            }
            _ = try await JobStore(app.db).enqueue(
                kind: "test", payload: "", key: "metrics-test", operationID: nil, runAt: Date(), now: Date())

            #expect(try await Browser(app).get("/metrics").status == .unauthorized)
            for person in everyone {
                let isAdmin = person.label.hasPrefix("admin")
                let answer = try await person.browser.get("/metrics", headers: person.auth)
                #expect(answer.status == (isAdmin ? .ok : .forbidden), "\(person.label)")
                // The session alone is not enough: a scrape carries a token.
                #expect(try await person.browser.get("/metrics").status == .unauthorized, "\(person.label) session")
                guard isAdmin else { continue }
                #expect(answer.headers.first(name: .contentType)?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = answer.body
                #expect(
                    text.contains(#"bearing_http_requests_total{method="GET",route="/operations/:code",status="2xx"}"#))
                #expect(
                    text.contains(
                        #"bearing_http_requests_total{method="GET",route="/api/v1/operations/:code/sites",status="2xx"}"#
                    ))
                #expect(text.contains(#"bearing_http_requests_total{method="GET",route="/metrics",status="4xx"}"#))
                #expect(text.contains("# TYPE bearing_http_request_duration_seconds histogram"))
                #expect(text.contains(#"bearing_jobs{kind="test",state="pending"} 1"#))
                #expect(text.contains("# TYPE bearing_alert_messages gauge"))
                // Route patterns only: no operation code, no id, no address.
                #expect(!text.contains("SDN-TEST"))
                #expect(text.range(of: #"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-"#, options: .regularExpression) == nil)
                #expect(!text.contains("@"))
                #expect(text.contains(#"method="OTHER""#) && !text.contains("BREW") && !text.contains("XYZZY"))
            }
            // A read-only token is enough for a scrape (Prometheus reads).
            let reader = try await TokenStore(app.db).create(
                userID: fixture.admin.id, name: "prometheus", expiresAt: Date() + 86_400, readOnly: true, now: Date())
            #expect(
                try await Browser(app).get("/metrics", headers: ["Authorization": "Bearer \(reader.secret)"]).status
                    == .ok)
        }
    }
}
