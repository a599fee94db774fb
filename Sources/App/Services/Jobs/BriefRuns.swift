import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// A schedule's run (issue 20, point 4): at the schedule's moment, the document for the days since
/// the last of its kind up to the day before is generated as the operation sees it, issued at the
/// schedule's audience, and e-mailed to the list's members, one message each. When the content may
/// not be read that widely, it stays a draft and nothing is sent: the schedule records why.
struct BriefRuns {
    let app: Application

    func run(_ payload: String, now: Date) async throws {
        let parts = payload.split(separator: "|")
        guard parts.count == 2, let uuid = UUID(uuidString: String(parts[0])), let stamp = Double(parts[1]),
            let schedule = try await BriefScheduleStore(app.db).find(BriefScheduleID(uuid)),
            schedule.draft.active, schedule.nextRunAt.timeIntervalSince1970 == stamp,
            let operation = try await OperationStore(app.db).find(id: schedule.operationID)
        else { return }  // stopped, changed or gone since it was queued
        let run = schedule.nextRunAt
        let next = schedule.draft.nextRun(after: run)
        let scope = AccessPolicy.scheduleScope(in: operation.id)
        let period = schedule.draft.period(
            at: run, lastEnded: try await BriefStore(app.db).lastIssuedDay(schedule.draft.kind, in: operation.id))
        let draft = BriefDraft(kind: schedule.draft.kind, period: period, language: schedule.draft.language)
        let record = try await BriefStore(app.db).create(
            draft, scheduleID: schedule.id, scope: scope, actorID: nil, now: now)
        let lens = AccessPolicy.operatorBriefLens()
        let generator = BriefGenerator(
            app: app, operation: operation, period: period, language: draft.language, now: now)
        let content = try await generator.withFloors(try await generator.content(draft.kind, lens: lens), lens: lens)
        do {
            _ = try await BriefStore(app.db).issue(
                record.id, content: content, audience: schedule.draft.audience, confirmedWider: false, scope: scope,
                actorID: nil, now: now)
        } catch let error as DomainError {
            try await BriefScheduleStore(app.db).recordRun(
                schedule.id, briefID: record.id, error: error.message, next: next, operationID: operation.id, now: now)
            return
        }
        // The list's members the registry's readers see; their first e-mail address.
        let readers = AccessPolicy.audienceScope(in: operation.id, audience: .ifrcOnly)
        let list = try await AdvocacyStore(app.db).lists(in: readers).first { $0.id.rawValue == schedule.draft.listID }
        let entries = try await StakeholderStore(app.db).find(list?.memberIDs ?? [], in: readers).values.sorted {
            $0.draft.name < $1.draft.name
        }
        try await BriefScheduleStore(app.db).queueEmails(
            record.id, recipients: entries.map { ($0.shortName, $0.id, $0.draft.emails.first) },
            operationID: operation.id, now: now)
        try await BriefScheduleStore(app.db).recordRun(
            schedule.id, briefID: record.id, error: list == nil ? "The distribution list no longer exists." : nil,
            next: next, operationID: operation.id, now: now)
    }

    /// One recipient's message: the document as text in its language, and the link to it.
    func message(_ recipientID: UUID) async throws -> (address: String, subject: String, text: String)? {
        guard let recipient = try await BriefScheduleStore(app.db).recipient(recipientID),
            let address = recipient.address, recipient.status != "sent"
        else { return nil }
        guard let operationID = try await BriefStore(app.db).operation(of: recipient.briefID),
            let operation = try await OperationStore(app.db).find(id: operationID),
            let record = try await BriefStore(app.db).find(
                recipient.briefID, in: AccessPolicy.scheduleScope(in: operationID)),
            let content = record.content
        else { return nil }
        let t = Strings(app.catalog, language: record.draft.language.rawValue, clock: operation.time)
        let document = BriefDocument(record, content: content, issuedBy: nil, strings: t)
        let link =
            app.bearingConfig.publicURL + SiteURL.brief(.value(operation.code), .value(record.id)).path
        return (
            address, operation.code + " · " + document.title(t) + " · " + document.periodText,
            BriefFiles.text(document, operation: operation, link: link)
        )
    }
}
