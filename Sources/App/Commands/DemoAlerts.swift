import Domain
import Foundation
import Persistence
import Vapor

/// The demo's alert: a curfew in Kassala State sent yesterday by e-mail and SMS, with the states a
/// real one ends in: most sent, a mailbox that refused it, people with no address, one message still
/// waiting for the gateway; most answered safe, one call for help not yet taken in hand.
enum DemoAlerts {
    static func load(_ app: Application, operation: OperationRecord, coordinator: UserID, now: Date) async throws {
        let db = app.db
        let scope = AccessPolicy.operatorPersonnelScope(in: operation.id).acting(as: coordinator)
        guard try await AlertStore(db).list(in: scope).isEmpty else { return }
        let sentAt = now.addingTimeInterval(-26 * 3_600)
        let draft = AlertDraft(
            texts: [
                AlertText(
                    language: "en", title: "Curfew in Kassala from 18:00",
                    body:
                        "The state authorities declared a curfew from 18:00 to 06:00 until further notice. Stay at your residence; no field movement after 16:00. Answer with the link below."
                ),
                AlertText(
                    language: "ar", title: "حظر تجول في كسلا من الساعة 18:00",
                    body:
                        "أعلنت سلطات الولاية حظر تجول من 18:00 إلى 06:00 حتى إشعار آخر. ابقوا في مساكنكم؛ لا تحركات ميدانية بعد 16:00. أجيبوا عبر الرابط أدناه."
                ),
                AlertText(
                    language: "fr", title: "Couvre-feu à Kassala dès 18 h",
                    body:
                        "Les autorités de l’État ont décrété un couvre-feu de 18 h à 6 h jusqu’à nouvel ordre. Restez à votre résidence ; aucun déplacement sur le terrain après 16 h. Répondez avec le lien ci-dessous."
                ),
            ], severity: .severe, category: .security, audience: AlertAudience(areaPcodes: ["SD11"]),
            channels: [.email, .sms])
        let recipients = try await AlertAudienceService(database: db).recipients(
            of: draft, operationID: operation.id, people: scope,
            sites: AccessPolicy.unnamedOperatorScope(in: operation.id), now: sentAt)
        guard !recipients.isEmpty else { return }
        let alert = try await AlertStore(db).create(draft, recipients: recipients, scope: scope, now: sentAt)
        // Deliver as a worker would have: the jobs claimed, each outcome recorded with its job.
        let jobs = JobStore(db)
        let claimed = try await jobs.claim(worker: "demo", limit: 1_000, lease: 60, now: sentAt)
        var refused = false
        for (index, job) in claimed.enumerated() {
            guard let id = UUID(uuidString: job.payload), let work = try await AlertStore(db).delivery(id) else {
                continue
            }
            let at = sentAt.addingTimeInterval(Double(index) * 2)
            if work.channel == .email && index >= 4 && !refused {
                refused = true
                let reason = "The SMTP server answered 550 5.1.1 mailbox unavailable to RCPT TO <\(work.address)>."
                try await AlertStore(db).record(delivery: id, state: .failed, reason: reason, now: at)
                try await jobs.fail(job, worker: "demo", error: reason, permanent: true, backoff: JobBackoff(), now: at)
            } else if work.channel == .sms && index == claimed.count - 1 {
                // Still waiting: the gateway timed out; the job tries again.
                let reason = "Cannot reach the SMS gateway (connect timeout)."
                try await AlertStore(db).record(delivery: id, state: .queued, reason: reason, now: at)
                try await jobs.fail(job, worker: "demo", error: reason, backoff: JobBackoff(base: 86_400 * 2), now: at)
            } else {
                try await AlertStore(db).record(delivery: id, state: .sent, reason: "", now: at)
                try await jobs.complete(job.id, worker: "demo", now: at)
            }
        }
        let rows = try await AlertStore(db).recipients(of: alert.id, in: scope)
        for (index, row) in rows.enumerated() where index % 4 != 3 {
            let answer: AlertAnswer = index == 1 ? .needHelp : .safe
            _ = try await AlertStore(db).answer(
                row.id, answer, now: sentAt.addingTimeInterval(Double(10 + index * 7) * 60))
        }
    }
}
