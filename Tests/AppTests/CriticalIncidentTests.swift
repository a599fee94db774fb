import Domain
import Foundation
import Persistence
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("Critical incidents: the first call, the escalation, the crisis log, stand-down and review")
struct CriticalIncidentTests {
    static let code = "/operations/SDN-TEST"

    /// An approved CIM plan whose team names the staff member's account and one person outside Bearing.
    static func setUp(_ app: Application) async throws -> (Fixture, SiteRecord, PersonRecord) {
        let (fixture, office) = try await PeoplePageTests.setUp(app)
        let plans = PlanStore(app.db)
        let coordinator = fixture.users[.securityCoordinator]!.id
        let version = try await plans.createDraft(
            PlanDraft(
                kind: .criticalIncidentManagement, content: "CIMT within two hours.",
                cim: CIMPlan(team: [
                    .init(
                        name: "Team Staff", role: "CIMT member", phone: "+249 91 000 0009",
                        email: fixture.users[.staff]!.email),
                    .init(name: "Outside Liaison", role: "Family liaison", phone: "+249 91 000 0008"),
                ])), in: fixture.operation.id, actorID: coordinator, now: Date().addingTimeInterval(-86_400))
        _ = try await plans.move(
            version.id, .submit, by: coordinator, in: fixture.operation.id, now: Date().addingTimeInterval(-80_000))
        _ = try await plans.move(
            version.id, .approve, by: fixture.users[.headOfOperations]!.id, approverAuthorities: [.seniorManager],
            in: fixture.operation.id, now: Date().addingTimeInterval(-70_000))
        let amira = try await PersonStore(app.db).create(
            try PersonDraft(fullName: "Amira Salih", category: .delegate).validated(),
            scope: AccessPolicy.operatorPersonnelScope(in: fixture.operation.id), now: Date())
        _ = try await PersonStore(app.db).confirmLocation(
            of: amira.id, place: .site(office.id), areaPcode: "SD11", source: .radioRoom, note: "",
            scope: AccessPolicy.operatorPersonnelScope(in: fixture.operation.id), now: Date())
        return (fixture, office, amira)
    }

    static func firstCall(_ amira: PersonRecord, minutes: String = "30") -> [String: String] {
        [
            "who_people[0]": amira.id.uuidString, "what": "Vehicle hijacked at a checkpoint; the driver is injured.",
            "where_text": "Kassala road, km 20", "area_pcode": "SD11",
            "occurred_at": OperationTime.utc.formTime(Date().addingTimeInterval(-1_800)), "caller_name": "Omer",
            "caller_phone": "+249 91 555 0101", "call_back_minutes": minutes, "risk_to_life": "yes", "level": "major",
        ]
    }

    @Test(
        "the first call: what is missing or wrong said by field, a call-back in the past refused; opened with the call as the log's first entry, a countdown and a reminder",
        arguments: TestDatabases.kinds)
    func firstCall(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, _, amira) = try await Self.setUp(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            #expect(try await coordinator.get(Self.code + "/critical-incidents/new").status == .ok)
            var form = Self.firstCall(amira)
            form["call_back_at"] = OperationTime.utc.formTime(Date().addingTimeInterval(-600))
            form["what"] = ""
            form["caller_phone"] = ""
            form["risk_to_life"] = "maybe"
            let refused = try await coordinator.post(Self.code + "/critical-incidents", form)
            #expect(refused.status == .unprocessableEntity)
            for message in [
                "The call-back time has passed: agree a time to come.",
                "Say what happened, what was done and who is hurt.",
                "The number to call them back on.", "Is there a risk to life: yes, no or unknown?",
            ] {
                #expect(refused.body.contains(message), "\(message)")
            }
            #expect(
                try await CriticalIncidentStore(app.db).list(
                    in: AccessPolicy.operatorCrisisScope(in: fixture.operation.id)
                ).isEmpty)
            // Not a coordinator: refused.
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.post(Self.code + "/critical-incidents", Self.firstCall(amira)).status == .forbidden)

            // "Created from it": an incident report needs the area.
            var report = Self.firstCall(amira)
            report["incident_category"] = "crime"
            report["area_pcode"] = ""
            let noArea = try await coordinator.post(Self.code + "/critical-incidents", report)
            #expect(noArea.status == .unprocessableEntity && noArea.body.contains("choose the admin area"))
            report["area_pcode"] = "SD11"
            let opened = try await coordinator.post(Self.code + "/critical-incidents", report)
            #expect(opened.status == .seeOther)
            let path = try #require(opened.location)
            let page = try await coordinator.get(path)
            #expect(page.body.contains("data-deadline") && page.body.contains("First call from Omer"))
            #expect(page.body.contains("Amira Salih"))
            let scope = AccessPolicy.operatorCrisisScope(in: fixture.operation.id)
            let record = try #require(try await CriticalIncidentStore(app.db).list(in: scope).first)
            #expect(abs(record.draft.callBackAt.timeIntervalSinceNow - 1_800) < 60)
            // The incident report made from it: restricted, linked, named on the page.
            let incidentID = try #require(record.draft.incidentID)
            let viewer = try await fixture.viewer(app, fixture.users[.securityCoordinator]!)
            let incidentScope = try #require(AccessPolicy.scope(in: fixture.operation.id, for: viewer))
            let found = try await IncidentStore(app.db).find(incidentID, in: incidentScope)
            let incident = try #require(found)
            #expect(incident.draft.audience == .restricted && incident.draft.category == .crime)
            #expect(page.body.contains("#\(incident.number) · Vehicle hijacked at a checkpoint"))
            let reminder = try #require(
                try await JobStore(app.db).list(states: [.pending]).first {
                    $0.kind == CriticalIncidentService.callBackJob
                })
            #expect(abs(reminder.runAt.timeIntervalSince(record.draft.callBackAt)) < 1)
            // The dashboard shows it to the security roles, with its clock; not to the staff member.
            #expect(try await coordinator.get(Self.code).body.contains("Critical incident 1"))
            #expect(!(try await staff.get(Self.code)).body.contains("Critical incident 1"))
            #expect(try await staff.get(path).status == .notFound)
        }
    }

    @Test(
        "escalation and log: the GSU's advice, the CIMT activated from the approved plan and called out, a member's acknowledgement and reach; people involved; entries never changed, only corrected; every entry in the audit chain; stand-down, then the review",
        arguments: TestDatabases.kinds)
    func escalationAndLog(kind: TestDatabases.Kind) async throws {
        try await withTestApp(kind) { app in
            let (fixture, _, amira) = try await Self.setUp(app)
            let coordinator = try await Browser.signedIn(app, fixture.users[.securityCoordinator]!)
            let path = try #require(
                try await coordinator.post(Self.code + "/critical-incidents", Self.firstCall(amira)).location)
            let scope = AccessPolicy.operatorCrisisScope(in: fixture.operation.id)
            let store = CriticalIncidentStore(app.db)
            let record = try #require(try await store.list(in: scope).first)

            #expect(
                try await coordinator.post(path + "/gsu", ["gsu_contact": "", "gsu_advice": ""]).status
                    == .unprocessableEntity)
            #expect(
                try await coordinator.post(
                    path + "/gsu", ["gsu_contact": "GSU duty officer", "gsu_advice": "Activate."]
                ).status
                    == .seeOther)
            #expect(
                try await coordinator.post(
                    path + "/activation", ["activate": "yes", "decided_by": "HeOps", "reason": "Risk to life"]
                )
                .status == .seeOther)
            let team = try await store.team(of: record.id, in: scope)
            #expect(team.map(\.name) == ["Team Staff", "Outside Liaison"])
            #expect(team[0].userID == fixture.users[.staff]!.id && team.allSatisfy { $0.recipientID != nil })
            // The call-out: e-mail to the member with an address, SMS to both; not on the alerts pages.
            #expect(team[0].deliveries.map(\.channel) == [.email, .sms] && team[1].deliveries.count == 2)
            #expect(team[1].deliveries.first { $0.channel == .email }?.state == .failed)
            #expect(
                try await AlertStore(app.db).list(in: AccessPolicy.operatorPersonnelScope(in: fixture.operation.id))
                    .isEmpty)
            // A second activation does not call the team out again.
            _ = try await coordinator.post(
                path + "/activation", ["activate": "yes", "decided_by": "HeOps", "reason": "Again"])
            #expect(
                try await JobStore(app.db).list(states: [.pending]).filter { $0.kind == AlertStore.deliveryJob }.count
                    == 3)

            // The member acknowledges with their link: only "acknowledged" is accepted.
            let recipient = try #require(team[0].recipientID)
            let key = try await app.acknowledgementKey(app.db)
            let link = "/ack/" + AcknowledgementLink.token(for: recipient, key: key)
            let anonymous = Browser(app)
            #expect(try await anonymous.get(link).body.contains("acknowledged"))
            #expect(try await anonymous.post(link, ["answer": "safe"]).status == .notFound)
            #expect(try await anonymous.post(link, ["answer": "acknowledged"]).status == .ok)
            #expect(try await store.team(of: record.id, in: scope)[0].acknowledgedAt != nil)
            // Named on the team, the staff member now reads and writes the incident.
            let staff = try await Browser.signedIn(app, fixture.users[.staff]!)
            #expect(try await staff.get(path).status == .ok)
            #expect(
                try await staff.post(path + "/log", ["kind": "information", "text": "Called the branch."]).status
                    == .seeOther)
            let migration = try await Browser.signedIn(app, fixture.users[.migrationCoordinator]!)
            #expect(try await migration.get(path).status == .notFound)
            #expect(try await migration.post(path + "/log", ["kind": "information", "text": "x"]).status == .notFound)

            // People involved: status and family liaison, each change in the log.
            let people = try await store.people(of: record.id, in: scope)
            #expect(people.map(\.name) == ["Amira Salih"])
            #expect(
                try await coordinator.post(
                    path + "/people",
                    ["row": people[0].id.uuidString, "status": "detained", "family_liaison": "Mariam", "note": ""]
                ).status == .seeOther)
            #expect(
                try await coordinator.post(path + "/people", ["name": "Driver Omer", "status": "injured"]).status
                    == .seeOther)
            #expect(
                try await store.people(of: record.id, in: scope).map(\.status).sorted { $0.rawValue < $1.rawValue } == [
                    .detained, .injured,
                ])
            // The roll-call of the area, linked.
            #expect(try await coordinator.post(path + "/roll-call", ["area": "SD11"]).status == .seeOther)
            #expect(try await store.find(record.id, in: scope)?.rollCallID != nil)

            // The log: bad entries said; an action closed once; a correction points back; nothing edited.
            let bad = try await coordinator.post(path + "/log", ["kind": "decision", "text": "Suspend movements"])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("Who decided?"))
            #expect(
                try await coordinator.post(
                    path + "/log", ["kind": "action", "text": "Call the family", "owner": "Mariam", "due_at": ""]
                ).status == .seeOther)
            var log = try await store.log(of: record.id, in: scope)
            let action = try #require(log.last)
            #expect(
                try await coordinator.post(
                    path + "/log", ["kind": "action_done", "text": "Done", "refers_to": action.id.uuidString]
                )
                .status == .seeOther)
            #expect(
                try await coordinator.post(
                    path + "/log", ["kind": "action_done", "text": "Again", "refers_to": action.id.uuidString]
                )
                .status == .conflict)
            let before = try #require(log.first)
            #expect(
                try await coordinator.post(
                    path + "/log",
                    ["kind": "information", "text": "Correction: 25 km", "refers_to": before.id.uuidString]
                ).status == .seeOther)
            #expect(
                try await coordinator.post(
                    path + "/log", ["kind": "information", "text": "x", "refers_to": UUID().uuidString]
                )
                .status == .unprocessableEntity)
            log = try await store.log(of: record.id, in: scope)
            #expect(log.first == before, "the first entry is as it was")
            #expect(log.map(\.sequence) == Array(1...log.count))
            // No route edits or deletes an entry, on the pages or the API.
            for method in [HTTPMethod.PUT, .PATCH, .DELETE] {
                let status = try await coordinator.send(method, path + "/log") { _ in }.status
                #expect([.notFound, .methodNotAllowed].contains(status), "\(method)")
            }
            // Every entry's words are in the hash-chained audit trail, and the chain holds.
            let audit = try await AuditStore(app.db).entries(
                recordKind: "critical_incident", recordID: record.id.uuidString)
            for entry in log {
                #expect(
                    audit.contains { $0.changes.contains(entry.text.prefix(40)) }, "entry #\(entry.sequence) audited")
            }
            #expect(try await AuditStore(app.db).verify().firstBreak == nil)

            // A review before stand-down is refused; then stand down, review, and the plan shows its changes.
            let early = try await coordinator.post(path + "/review", ["lessons": "x", "followed": "yes"])
            #expect(early.status == .conflict)
            #expect(
                try await coordinator.post(path + "/stand-down", ["by": "HeOps", "note": "All safe"]).status
                    == .seeOther)
            #expect(try await coordinator.post(path + "/stand-down", ["by": "HeOps"]).status == .conflict)
            #expect(
                try await coordinator.post(
                    path + "/review",
                    [
                        "lessons": "Liaison named late.", "followed": "partly",
                        "plan_changes": "Name the family liaison in the plan.",
                    ]
                ).status == .seeOther)
            let done = try #require(try await store.find(record.id, in: scope))
            #expect(!done.isOpen && done.review?.followed == .partly)
            #expect(
                try await coordinator.get(Self.code + "/plans/critical_incident_management").body.contains(
                    "Name the family liaison in the plan."))
            // A coordinator working in Arabic: the log's own words in Arabic, times on the operation's clock.
            _ = try await coordinator.get(path + "?lang=ar")
            #expect(
                try await coordinator.post(path + "/gsu", ["gsu_contact": "GSU", "gsu_advice": "Keep calling."]).status
                    == .seeOther)
            #expect(
                try await store.log(of: record.id, in: scope).last?.text.hasPrefix("تمت استشارة وحدة الأمن العالمية")
                    == true)
            _ = try await coordinator.get(path + "?lang=en")
            // The printable log.
            let print = try await coordinator.get(path + "/print")
            #expect(
                print.status == .ok && print.body.contains("print-frame") && print.body.contains("Correction: 25 km"))
        }
    }
}
