import Domain
import Foundation
import Persistence
import Vapor

/// The demo's critical incident, closed: a vehicle hijacked at a checkpoint on the Kassala road nine
/// days ago, the driver injured, a delegate held for six hours; the GSU called, the CIMT activated
/// from the CIM plan and acknowledged, the log kept to the stand-down, and the review written.
enum DemoCrisis {
    static func load(_ app: Application, operation: OperationRecord, coordinator: UserID, now: Date) async throws {
        let db = app.db
        let scope = AccessPolicy.operatorCrisisScope(in: operation.id).acting(as: coordinator)
        let store = CriticalIncidentStore(db)
        guard try await store.list(in: scope).isEmpty else { return }
        let people = try await PersonStore(db).all(in: AccessPolicy.operatorPersonnelScope(in: operation.id))
        guard people.count >= 2 else { return }
        let driver = people[1], delegate = people[0]
        let minute: TimeInterval = 60
        let t0 = now.addingTimeInterval(-9 * 86_400)
        let draft = CriticalIncidentDraft(
            whoPeople: [driver.id, delegate.id], whoText: "",
            what:
                "Vehicle KSL-14 stopped and taken at a checkpoint 20 km west of Kassala. The driver was hit and is injured; the delegate was taken away by the armed men. The third passenger walked to the police post.",
            whereText: "Kassala road, checkpoint at km 20", areaPcode: "SD11",
            occurredAt: t0.addingTimeInterval(-25 * minute),
            knownAt: t0, why: "Unknown; possibly the vehicle itself.", callerName: "Omer (third passenger)",
            callerPhone: "+249 91 555 0101", callBackAt: t0.addingTimeInterval(30 * minute), riskToLife: .yes,
            level: .major)
        let names = Dictionary(people.map { ($0.id, $0.draft.fullName) }, uniquingKeysWith: { a, _ in a })
        let record = try await store.open(draft, names: names, scope: scope, now: t0)
        try await store.recordGSU(
            record.id, contact: "GSU duty officer (Anna Berg)", at: t0.addingTimeInterval(8 * minute),
            advice: "Activate the CIMT. No contact with the media. Keep the line to the caller open.", scope: scope,
            now: t0.addingTimeInterval(9 * minute))
        _ = try await CriticalIncidentService.decide(
            record, activate: true, decidedBy: "Hana Osman (HeOps)", at: t0.addingTimeInterval(12 * minute),
            reason: "A delegate taken and a driver injured: risk to life.", operation: operation, scope: scope, on: db,
            now: t0.addingTimeInterval(12 * minute))
        // The call-out went out and was acknowledged by every member, as a worker and the links record it.
        let sentAt = t0.addingTimeInterval(13 * minute)
        for job in try await JobStore(db).claim(worker: "demo", limit: 100, lease: 60, now: sentAt)
        where job.kind == AlertStore.deliveryJob {
            guard let id = UUID(uuidString: job.payload) else { continue }
            try await AlertStore(db).record(delivery: id, state: .sent, reason: "", now: sentAt)
            try await JobStore(db).complete(job.id, worker: "demo", now: sentAt)
        }
        for member in try await store.team(of: record.id, in: scope) {
            guard let recipient = member.recipientID else { continue }
            _ = try await AlertStore(db).answer(recipient, .acknowledged, now: t0.addingTimeInterval(16 * minute))
        }
        try await store.setPerson(
            try await store.people(of: record.id, in: scope).first { $0.personID == driver.id }?.id, in: record.id,
            personID: driver.id, name: driver.draft.fullName, status: .injured, liaison: "Mariam Haddad",
            note: "Taken to Kassala hospital; stable.", scope: scope, now: t0.addingTimeInterval(40 * minute))
        try await store.setPerson(
            try await store.people(of: record.id, in: scope).first { $0.personID == delegate.id }?.id, in: record.id,
            personID: delegate.id, name: delegate.draft.fullName, status: .missing, liaison: "Mariam Haddad", note: "",
            scope: scope, now: t0.addingTimeInterval(41 * minute))
        let action = try await store.append(
            CrisisLogDraft(
                kind: .action, at: t0.addingTimeInterval(45 * minute),
                text: "Ask the Sudanese Red Crescent branch in Kassala to reach the local elders.",
                owner: "Samuel Okello", dueAt: t0.addingTimeInterval(2 * 3_600)), to: record.id, scope: scope,
            now: t0.addingTimeInterval(45 * minute))
        let wrong = try await store.append(
            CrisisLogDraft(
                kind: .information, at: t0.addingTimeInterval(70 * minute),
                text: "Police say the vehicle was seen heading east."), to: record.id, scope: scope,
            now: t0.addingTimeInterval(70 * minute))
        try await store.append(
            CrisisLogDraft(
                kind: .information, at: t0.addingTimeInterval(95 * minute),
                text: "Correction: the vehicle was seen heading north, towards Aroma.", refersTo: wrong.id),
            to: record.id, scope: scope, now: t0.addingTimeInterval(95 * minute))
        try await store.append(
            CrisisLogDraft(
                kind: .meeting, at: t0.addingTimeInterval(2 * 3_600),
                text:
                    "Decisions: suspend all movements on the Kassala road; the HeOps speaks to the governor's office.",
                attendees: "Hana Osman, Samuel Okello, Mariam Haddad; GSU by phone"), to: record.id, scope: scope,
            now: t0.addingTimeInterval(2 * 3_600 + 10 * minute))
        try await store.append(
            CrisisLogDraft(
                kind: .actionDone, at: t0.addingTimeInterval(3 * 3_600),
                text: "The branch reached the elders; they are talking to the group.", refersTo: action.id),
            to: record.id, scope: scope, now: t0.addingTimeInterval(3 * 3_600))
        try await store.setPerson(
            try await store.people(of: record.id, in: scope).first { $0.personID == delegate.id }?.id, in: record.id,
            personID: delegate.id, name: delegate.draft.fullName, status: .safe, liaison: "Mariam Haddad",
            note: "Released unhurt after six hours; with the team in Kassala.", scope: scope,
            now: t0.addingTimeInterval(6 * 3_600))
        try await store.standDown(
            record.id, by: "Hana Osman (HeOps)", at: t0.addingTimeInterval(30 * 3_600),
            note: "Both safe; movements on the road suspended until the phase review.", scope: scope,
            now: t0.addingTimeInterval(30 * 3_600))
        try await store.review(
            record.id,
            lessons:
                "The call-back was kept every 30 minutes. The CIMT met within the hour. The family liaison was named late (40 minutes).",
            followed: .partly,
            planChanges:
                "Name the family liaison in the CIM plan itself; add the branch's night number to the contact list.",
            scope: scope, now: t0.addingTimeInterval(3 * 86_400))
    }
}
