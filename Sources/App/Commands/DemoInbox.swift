import Domain
import Foundation
import Persistence
import Vapor

/// The demo's inbox (issue 21): a field SMS relay and a WhatsApp number, and what came in today:
/// an "ARRIVED" from a driver of a movement under way, a report from a number no one registered,
/// a WhatsApp position from a member of staff, and a test message archived.
enum DemoInbox {
    static func load(_ app: Application, operation: OperationRecord, coordinator: UserID, now: Date) async throws {
        let store = InboxStore(app.db)
        guard try await store.gateways(in: operation.id).isEmpty else { return }
        let scope = AccessPolicy.operatorPersonnelScope(in: operation.id).acting(as: coordinator)
        let relay = try await store.createGateway(
            kind: .generic, name: "Field SMS relay", secret: Hex.random(byteCount: 24), in: operation.id,
            actorID: coordinator, now: now.addingTimeInterval(-30 * 86_400))
        let whatsapp = try await store.createGateway(
            kind: .whatsapp, name: "WhatsApp security line", secret: Hex.random(byteCount: 24), in: operation.id,
            actorID: coordinator, now: now.addingTimeInterval(-30 * 86_400))
        let people = try await PersonStore(app.db).all(in: scope).filter { person in
            person.isPresent(at: now) && person.draft.phones.contains { $0.e164 != nil }
        }
        let movement = try await MovementStore(app.db).board(in: scope, closedSince: now).first {
            $0.status == .underway || $0.status == .approved
        }
        var sms: [InboundMessage] = [
            InboundMessage(
                externalID: "demo-1", sender: "+249915550102",
                text: "Shooting heard near Kassala market since 14:10. We are inside the office, all staff safe.",
                sentAt: now.addingTimeInterval(-50 * 60)),
            InboundMessage(
                externalID: "demo-2", sender: "+249915550177", text: "test", sentAt: now.addingTimeInterval(-5 * 3_600)),
        ]
        if let movement,
            let driver = people.first(where: { movement.draft.travellers.contains($0.id) }) ?? people.first,
            let phone = driver.draft.phones.first(where: { $0.e164 != nil })?.e164
        {
            sms.append(
                InboundMessage(
                    externalID: "demo-3", sender: phone, text: "ARRIVED \(movement.number) road clear",
                    sentAt: now.addingTimeInterval(-20 * 60)))
        }
        var matched = try await store.people(matching: Set(sms.map(\.sender)), in: operation.id)
        _ = try await store.receive(sms, through: relay, people: matched, now: now.addingTimeInterval(-15 * 60))
        if let member = people.last, let phone = member.draft.phones.first(where: { $0.e164 != nil })?.e164 {
            let position = InboundMessage(
                externalID: "wamid.demo-4", sender: PhoneMatch.digits(phone), senderName: member.draft.fullName,
                text: "Safe at the guesthouse", sentAt: now.addingTimeInterval(-10 * 60), latitude: 15.4561,
                longitude: 36.3989)
            matched = try await store.people(matching: [position.sender], in: operation.id)
            _ = try await store.receive(
                [position], through: whatsapp, people: matched, now: now.addingTimeInterval(-9 * 60))
        }
        if let test = try await store.inbox(in: operation.id, untriaged: true).first(where: {
            $0.message.text == "test"
        }) {
            _ = try await store.triage(
                test.id, in: operation.id, as: .archived, outcome: "Gateway test from the radio room", by: coordinator,
                now: now.addingTimeInterval(-4 * 3_600))
        }
    }
}
