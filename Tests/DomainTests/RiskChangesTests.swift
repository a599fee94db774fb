import Domain
import Foundation
import Testing

@Suite("What changed in the risk register since a date (issue 4, domain)")
struct RiskChangesTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("new, raised, lowered and closed risks and overdue measures, highest level first; unchanged ones not listed")
    func changes() {
        let (a, b, c, d, e) = (RiskID(UUID()), RiskID(UUID()), RiskID(UUID()), RiskID(UUID()), RiskID(UUID()))
        let before = [
            RiskState(id: a, title: "Ambush on the Kassala road", level: 2),
            RiskState(id: b, title: "Looting of the warehouse", level: 3),
            RiskState(id: c, title: "Cholera among staff", level: 1),
            RiskState(id: d, title: "Arrest of volunteers", level: 2),
        ]
        let after = [
            RiskState(
                id: a, title: "Ambush on the Kassala road", level: 4,
                openMeasures: [
                    .init("Convoy rules", owner: "Security Coordinator", dueOn: now.addingTimeInterval(-86_400)),
                    .init("Armoured vehicle", owner: "Logistics", dueOn: now.addingTimeInterval(86_400)),
                ]),
            RiskState(id: b, title: "Looting of the warehouse", level: 1),
            RiskState(id: c, title: "Cholera among staff", level: 1, closed: true),
            RiskState(
                id: d, title: "Arrest of volunteers", level: 2,
                openMeasures: [.init("ID cards", owner: "NS focal point", dueOn: nil)]),
            RiskState(id: e, title: "Kidnapping of staff", level: 3),
            RiskState(id: RiskID(UUID()), title: "Opened and closed within the period", level: 1, closed: true),
        ]
        let changes = RiskChanges.between(before, after, now: now)
        #expect(changes.new.map(\.title) == ["Kidnapping of staff"])
        #expect(
            changes.raised.map { "\($0.risk.title) \($0.from)→\($0.risk.level)" } == ["Ambush on the Kassala road 2→4"])
        #expect(
            changes.lowered.map { "\($0.risk.title) \($0.from)→\($0.risk.level)" } == ["Looting of the warehouse 3→1"])
        #expect(changes.closed.map(\.title) == ["Cholera among staff", "Opened and closed within the period"])
        #expect(
            changes.overdue.map { "\($0.risk): \($0.measure) (\($0.owner))" } == [
                "Ambush on the Kassala road: Convoy rules (Security Coordinator)"
            ])
        #expect(!changes.isEmpty)
        #expect(RiskChanges.between(after, after, now: now.addingTimeInterval(-2 * 86_400)).isEmpty)
    }
}
