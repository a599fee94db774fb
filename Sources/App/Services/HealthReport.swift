import Fluent
import Foundation
import Persistence
import SQLKit

/// What `/health` answers, for load balancers, systemd and whoever watches: the database (the
/// answer is 503 when it cannot be reached), the jobs (due and waiting, failed in the last day) and
/// the alert channels (the delivery monitor's verdicts). Plain text, one line each, nothing that
/// names a person, an address or a record; a problem is a line that starts with "warning:".
struct HealthReport {
    var lines: [String]
    var reachable: Bool

    /// A due job waiting longer than this means no worker is taking them.
    static let jobsWaitingTooLong: TimeInterval = 10 * 60

    static func check(_ db: any Database, now: Date, log: (any Error) -> Void) async -> HealthReport {
        do {
            try await (db as? any SQLDatabase)?.raw("SELECT 1").run()
        } catch {
            log(error)
            return HealthReport(lines: ["unavailable", "database: unreachable"], reachable: false)
        }
        var lines = ["ok", "database: ok"]
        do {
            let jobs = try await JobStore(db).backlog(now: now, failedSince: now.addingTimeInterval(-86_400))
            let waited = jobs.oldestDue.map { now.timeIntervalSince($0) } ?? 0
            lines.append("jobs: \(jobs.due) due; \(jobs.failed) failed in the last 24 hours")
            if waited > jobsWaitingTooLong {
                lines.append(
                    "warning: jobs: the oldest due job has waited \(Int(waited / 60)) minutes; is a worker running? (bearing jobs work)"
                )
            }
            if jobs.failed > 0 {
                lines.append("warning: jobs: \(jobs.failed) failed in the last 24 hours (bearing jobs list)")
            }
            let channels = try await ChannelMonitor.status(db, now: now)
            lines.append(channels.isEmpty ? "alerts: ok" : "alerts: \(channels.count) problem(s)")
            lines += channels.map { found in
                "warning: alerts \(found.channel?.rawValue ?? "monitor"): "
                    + found.problems.map(\.english).joined(separator: "; ")
            }
        } catch {
            log(error)
            return HealthReport(lines: ["unavailable", "database: failing"], reachable: false)
        }
        return HealthReport(lines: lines, reachable: true)
    }
}
