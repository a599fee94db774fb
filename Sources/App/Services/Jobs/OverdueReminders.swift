import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// The overdue reminders (issue 17, jobs): once an hour, each Security Coordinator and HeOps gets
/// one e-mail listing what went overdue in their operation since the last one: movements past their
/// arrival and grace, arrivals not briefed within 24 hours, incident reports past their deadline.
/// Each item is named once (`reminders_sent`); items they may not see (a restricted incident) are
/// never named to them.
struct OverdueReminders {
    static let job = "reminders.overdue"
    let app: Application

    func run(now: Date) async throws {
        guard let settings = app.bearingConfig.smtp else { return }
        let db = app.db
        for operation in try await OperationStore(db).list(.all) {
            let members = try await OperationStore(db).members(of: operation.id).filter {
                Role(rawValue: $0.role).map(AccessPolicy.isSecurityRole) ?? false
            }
            guard !members.isEmpty else { continue }
            let shared = try await sharedItems(operation, now: now)
            for member in members {
                guard let user = try await UserStore(db).find(id: member.userId), user.disabledAt == nil else {
                    continue
                }
                var items = shared
                if let scope = AccessPolicy.scope(in: operation.id, for: try await UserStore(db).viewer(for: user)) {
                    for report in try await IncidentStore(db).awaitingRegionalReport(in: scope)
                    where report.deadline(at: now).state == .overdue {
                        items.append(
                            (
                                "incident:\(report.id.uuidString)",
                                "Incident #\(report.number) (\(report.title)): the report to the region is overdue."
                            ))
                    }
                }
                let fresh = try await ReminderStore(db).unsent(items.map(\.key), to: user.id)
                let lines = items.filter { fresh.contains($0.key) }.map(\.text)
                guard !lines.isEmpty else { continue }
                let subject = "Bearing \(operation.code): \(lines.count) overdue"
                let link: String = app.bearingConfig.publicURL + SiteURL.operation(.value(operation.code)).path
                let list: String = lines.map { "- " + $0 }.joined(separator: "\n")
                let text = list + "\n\n" + link
                try await SMTPSession.with(settings, on: app.eventLoopGroup) {
                    try await $0.send(
                        to: user.email,
                        message: AlertMessage.plain(
                            to: user.email, subject: subject, text: text, from: settings.from,
                            fromName: settings.fromName,
                            id: "\(UUID().uuidString.lowercased())@bearing.reminders", now: now))
                }
                try await ReminderStore(db).markSent(
                    items.filter { fresh.contains($0.key) }.map(\.key), to: user.id, now: now)
            }
        }
    }

    /// What every security role of the operation may know: movements and briefings (they keep the register).
    private func sharedItems(_ operation: OperationRecord, now: Date) async throws -> [(key: String, text: String)] {
        let db = app.db
        let keeper = AccessPolicy.operatorPersonnelScope(in: operation.id)
        var items: [(key: String, text: String)] = []
        let grace = try await SettingsStore(db).load(MovementSettings.self, operationID: operation.id).graceMinutes
        for movement in try await MovementStore(db).board(in: keeper, closedSince: now)
        where movement.isOverdue(now: now, graceMinutes: grace) {
            items.append(
                (
                    "movement:\(movement.id.uuidString):\(Int(movement.draft.expectedArrivalAt.timeIntervalSince1970))",
                    "Movement #\(movement.number) (\(movement.draft.purpose)) has not arrived: expected \(DateText.minute(movement.draft.expectedArrivalAt))."
                ))
        }
        let people = try await PersonStore(db).all(in: keeper).filter { $0.isPresent(at: now) }
        let briefed = Dictionary(
            try await ReadinessStore(db).briefings(in: keeper).filter { $0.briefing.kind == .arrival }.map {
                ($0.personID, $0.briefing.givenAt)
            }, uniquingKeysWith: { a, _ in a })
        for person in people {
            if case .overdue = ArrivalBriefing.state(
                arrival: person.draft.arrivalAt, briefedAt: briefed[person.id], now: now)
            {
                items.append(
                    (
                        "briefing:\(person.id.uuidString)",
                        "\(person.draft.fullName) arrived \(person.draft.arrivalAt.map(DateText.minute) ?? "") and is not briefed (24 hours)."
                    ))
            }
        }
        return items
    }
}
