import Domain
import Fluent
import Foundation
import Persistence
import Vapor

/// Watches the alert channels (issue 17, SECURITY.md §4.5: IFRC GO's e-mails stopped for nine
/// months and nobody noticed). A job, once an hour, writes a verdict per channel: the SMTP server
/// answers (connect, TLS, sign-in); something was delivered in the last N days while people are in a
/// register; today's failures stay under X %. Readers also see when the monitor itself has not run.
struct ChannelMonitor {
    static let job = "monitor.channels"
    /// Fewer messages than this today say nothing about a failure rate.
    static let minimumSample = 5
    /// A verdict older than this means no worker runs the monitor.
    static let stale: TimeInterval = 3 * 3_600

    let app: Application

    func check(now: Date) async throws {
        let config = app.bearingConfig
        let store = AlertStore(app.db)
        let quietSince = now.addingTimeInterval(-Double(config.monitorQuietDays) * 86_400)
        let recent = try await store.deliveryHealth(since: quietSince)
        let today = try await store.deliveryHealth(since: AnalysisPeriods.calendar.startOfDay(for: now))
        let active = try await store.anyonePresent()
        for channel in AlertChannel.allCases {
            let configured = channel == .email ? config.smtp != nil : config.gateway != nil
            var problems: [ChannelProblem] = []
            if !configured {
                // A channel nobody set up is only a problem once alerts ask for it.
                guard (recent[channel]?.failed ?? 0) > 0 else { continue }
                problems.append(.notConfigured)
            }
            if channel == .email, let smtp = config.smtp {
                do {
                    try await SMTPSession.with(smtp, on: app.eventLoopGroup) { _ in }
                } catch {
                    problems.append(.unreachable)
                }
            }
            if configured, active, (recent[channel]?.lastSent ?? .distantPast) < quietSince {
                problems.append(.quiet(days: config.monitorQuietDays))
            }
            if let day = today[channel], day.sent + day.failed >= Self.minimumSample,
                day.failed * 100 > config.monitorFailurePercent * (day.sent + day.failed)
            {
                problems.append(
                    .failing(
                        percent: day.failed * 100 / (day.sent + day.failed), threshold: config.monitorFailurePercent))
            }
            try await store.recordCheck(
                channel, ok: problems.isEmpty, detail: ChannelProblem.stored(problems), now: now)
        }
    }

    /// The channels' state for a page or the health endpoint: the newest verdicts, and a warning
    /// when none is recent.
    static func status(_ db: any Database, now: Date) async throws -> [(
        channel: AlertChannel?, problems: [ChannelProblem]
    )] {
        let checks = try await AlertStore(db).latestChecks()
        var problems: [(channel: AlertChannel?, problems: [ChannelProblem])] = checks.filter { !$0.ok }.map {
            (channel: $0.channel, problems: ChannelProblem.parse($0.detail))
        }
        if let newest = checks.map(\.checkedAt).max(), now.timeIntervalSince(newest) > stale {
            problems.append((nil, [.monitorSilent(hours: Int(now.timeIntervalSince(newest) / 3_600))]))
        }
        return problems
    }
}
