import Domain
import Foundation
import Persistence
import Vapor

/// The demo's security phases: Khartoum and Aj Jazirah Orange, North Darfur Red, Red Sea Yellow,
/// each approved as the IFRC chain requires; and South Darfur's Orange waiting for the Head of GSU.
enum DemoPhases {
    static func load(
        _ app: Application, operation: OperationRecord, heops: UserID, coordinator: UserID, gsu: UserID,
        director: UserID,
        now: Date
    ) async throws {
        let store = PhaseStore(app.db)
        guard try await store.history(in: operation.id, limit: 1).isEmpty else { return }
        try await store.grant(.headOfGSU, to: gsu, in: operation.id, actorID: heops, now: now)
        try await store.grant(.regionalDirector, to: director, in: operation.id, actorID: heops, now: now)
        // What each phase means here, as a Security Coordinator would write it in the settings (the
        // IFRC's own text for White, Yellow and Orange was not retrieved; Red's is the IFRC's).
        let written = [
            "white": "Normal situation in the demo operation: routine security measures; movements logged.",
            "yellow":
                "Heightened tension in the demo operation: every field movement is cleared by the security focal point, and plans are reviewed.",
            "orange":
                "Emergency in the demo operation: work continues only where the Orange requirements are met; no movement after dark.",
        ]
        let catalogue = PhaseDefinition.ifrc.map { definition in
            var definition = definition
            if definition.description.isEmpty { definition.description = written[definition.key] ?? "" }
            return definition
        }
        try await SettingsStore(app.db).save(
            PhaseSettings.self, .catalogue, json: PhaseSettings(catalogue: catalogue).json(.catalogue),
            operationID: operation.id, actorID: coordinator, now: now)
        // The numbers the incident form dials; made up, and said to be.
        let contacts = EmergencyContacts(contacts: [
            .init(name: "GSU 24/7 (demo number)", phone: "+41 00 000 0000"),
            .init(name: "Security Coordinator (demo number)", phone: "+249 91 000 0001"),
        ])
        try await SettingsStore(app.db).save(
            EmergencyContacts.self, .contacts, json: contacts.json(.contacts), operationID: operation.id,
            actorID: coordinator, now: now)
        let rules = PhaseRules.ifrc
        let day: TimeInterval = 86_400
        let plan: [(area: String, phase: String, daysAgo: Double, why: String, indicators: [String])] = [
            (
                "SD10", "yellow", 200,
                "Port Sudan hosts the displaced and the relocated offices; crime is rising around the port.",
                ["Rising crime or unrest affecting the population"]
            ),
            (
                "SD15", "orange", 120, "RSF advance into Aj Jazirah; looting of Wad Madani.",
                ["Armed confrontations in or near the area"]
            ),
            (
                "SD01", "orange", 90,
                "Fighting in Khartoum and Omdurman continues; humanitarian access negotiated day by day.",
                ["Armed confrontations in or near the area", "Direct threats against humanitarian personnel"]
            ),
            (
                "SD02", "red", 60,
                "Siege of El Fasher: shelling of the town and the camps; attacks on humanitarian premises.",
                ["Widespread armed confrontations", "Direct attack on RCRC personnel or premises"]
            ),
        ]
        for step in plan {
            let at = now.addingTimeInterval(-step.daysAgo * day)
            let declared = try await store.declare(
                areaPcode: step.area, phase: step.phase, justification: step.why, indicators: step.indicators,
                rules: rules, declarer: heops, declarerAuthorities: [.seniorManager], in: operation.id, now: at)
            for (index, authority) in declared.missing.sorted(by: { $0.rawValue < $1.rawValue }).enumerated() {
                let approver = authority == .headOfGSU ? gsu : director
                _ = try await store.approve(
                    declared.id, by: approver, holding: [authority], as: authority, in: operation.id,
                    now: at.addingTimeInterval(Double(index + 1) * 3 * 3600))
            }
            for recipient in declared.notify {
                try await store.markNotified(
                    declared.id, recipient, actorID: coordinator, in: operation.id, now: at.addingTimeInterval(3600))
            }
        }
        _ = try await store.declare(
            areaPcode: "SD03", phase: "orange",
            justification: "Clashes around Nyala; two attacks on aid convoys this month.",
            indicators: ["Armed confrontations in or near the area"], rules: rules, declarer: coordinator,
            declarerAuthorities: [], in: operation.id, now: now.addingTimeInterval(-2 * day))
    }
}
