import Fluent
import Foundation
import Persistence
import Prometheus
import Vapor

/// Counters for Prometheus (`GET /metrics`, administrators' API tokens only). This process's own:
/// requests by method, route pattern and status class, their durations, and the jobs its worker
/// ran; the database's, read at each scrape: jobs by kind and state and alert messages by channel
/// and state (every server shows the same, since they share the database). Labels carry route
/// patterns (`/operations/:code/incidents`), never a path with an id or a code in it.
final class Metrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let durations: DurationHistogram

    init() {
        durations = registry.makeDurationHistogram(
            name: "bearing_http_request_duration_seconds",
            buckets: [
                .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(10),
            ],
            help: "Time from a request's arrival to its answer's head.")
    }

    /// Methods counted by name; any other a client makes up is "OTHER", so that no request can add
    /// counters without end (a label value is a counter kept for the process's life).
    static let namedMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    func request(method: HTTPMethod, route: String, status: HTTPResponseStatus, took: Duration) {
        let method = Self.namedMethods.contains(method.rawValue) ? method.rawValue : "OTHER"
        registry.makeCounter(
            name: "bearing_http_requests_total",
            labels: [("method", method), ("route", route), ("status", "\(status.code / 100)xx")],
            help: "Requests answered, by method, route pattern and status class."
        ).increment()
        if status == .serviceUnavailable {
            registry.makeCounter(
                name: "bearing_http_unavailable_total",
                help: "Requests answered 503: the database could not be reached or was busy."
            ).increment()
        }
        durations.record(took)
    }

    func jobRan(kind: String) {
        registry.makeCounter(
            name: "bearing_jobs_run_total", labels: [("kind", kind)],
            help: "Jobs this process's worker took up, by kind."
        ).increment()
    }

    /// The text Prometheus scrapes: this process's counters, then the database's counts. Those are
    /// written here rather than kept as the registry's gauges: a kind or state that no longer has
    /// any row would keep its last value there, and say it still had some.
    func exposition(_ db: any Database) async throws -> String {
        var text = registry.emitToString()
        text += "# HELP bearing_jobs Jobs in the database, by kind and state (done and failed only grow).\n"
        text += "# TYPE bearing_jobs gauge\n"
        for (kind, states) in try await JobStore(db).counts().sorted(by: { $0.key < $1.key }) {
            for (state, count) in states.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                text += "bearing_jobs{kind=\"\(Self.label(kind))\",state=\"\(state.rawValue)\"} \(count)\n"
            }
        }
        text +=
            "# HELP bearing_alert_messages Alert messages in the database, by channel and state (sent and failed only grow).\n"
        text += "# TYPE bearing_alert_messages gauge\n"
        for row in try await AlertStore(db).deliveryCounts().sorted(by: {
            ($0.channel, $0.state) < ($1.channel, $1.state)
        }) {
            text +=
                "bearing_alert_messages{channel=\"\(Self.label(row.channel))\",state=\"\(Self.label(row.state))\"} \(row.count)\n"
        }
        return text
    }

    /// A label value as the text format wants it.
    static func label(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// Counts every answer, outermost of the middleware, so error pages are counted with their status.
struct MetricsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "(no route)"
        do {
            let response = try await next.respond(to: request)
            request.application.metrics.request(
                method: request.method, route: route, status: response.status, took: ContinuousClock.now - started)
            return response
        } catch {
            request.application.metrics.request(
                method: request.method, route: route, status: .internalServerError,
                took: ContinuousClock.now - started)
            throw error
        }
    }
}

extension Application {
    private struct MetricsKey: StorageKey { typealias Value = Metrics }

    /// The process's counters, one registry for the application's life (set up by `configure`).
    var metrics: Metrics {
        get { storage[MetricsKey.self] ?? Metrics() }
        set { storage[MetricsKey.self] = newValue }
    }
}
