import Domain
import Foundation
import Persistence
import Vapor

/// The demo's security risk register: risks a coordinator in Sudan would hold, with measures,
/// residual risk, one acceptance decision, links to the demo's incidents, a history that spans
/// weeks (a risk raised, one lowered, one closed) and one report issued to the HeOps.
enum DemoRisks {
    struct Entry {
        let title: String; let threat: String; let targets: Set<RiskTarget>; let areas: [String];
        let vulnerabilities: String
        let likelihood: Int; let impact: Int; let residual: (Int, Int)?;
        let measures: [(String, String, Int, MeasureStatus, MitigationStrategy)]
    }

    static let entries: [Entry] = [
        Entry(
            title: "Crossfire during clashes in El Fasher", threat: "armed_conflict", targets: [.people, .assets],
            areas: ["SD02"],
            vulnerabilities: "Office and guesthouse within 2 km of front lines; no hardened room.",
            likelihood: 4, impact: 5, residual: (3, 5),
            measures: [
                (
                    "Hibernation stock for 14 days in the guesthouse", "Logistics Coordinator", -5, .inProgress,
                    .protection
                ),
                (
                    "Safe room with sandbags and first-aid kit", "Security Officer North Darfur", 10, .planned,
                    .protection
                ),
            ]),
        Entry(
            title: "Detention of national staff at checkpoints", threat: "armed_conflict",
            targets: [.people, .programmes], areas: ["SD01", "SD15"],
            vulnerabilities: "National staff travel without ID letters in Arabic; drivers unbriefed.",
            likelihood: 4, impact: 4, residual: (3, 4),
            measures: [
                ("ID letters in Arabic for every staff member", "HR Officer", -12, .done, .acceptance),
                ("Checkpoint briefing for all drivers", "Fleet Manager", 7, .inProgress, .acceptance),
            ]),
        Entry(
            title: "Carjacking on the Kosti–El Obeid road", threat: "crime", targets: [.people, .assets],
            areas: ["SD09", "SD13"],
            vulnerabilities: "Single-vehicle movements; predictable departure times.",
            likelihood: 4, impact: 3, residual: (2, 3),
            measures: [
                ("Two-vehicle convoys with radio checks every 30 minutes", "Fleet Manager", -20, .done, .protection)
            ]),
        Entry(
            title: "Looting of the Port Sudan warehouse", threat: "civil_unrest", targets: [.assets, .programmes],
            areas: ["SD10"],
            vulnerabilities: "Stock visible from the street; one guard at night.",
            likelihood: 2, impact: 4, residual: nil,
            measures: [("Second night guard and lighting", "Logistics Coordinator", 21, .planned, .deterrence)]),
        Entry(
            title: "Kidnapping of international staff in Darfur", threat: "kidnapping",
            targets: [.people, .reputation], areas: ["SD02", "SD03", "SD04"],
            vulnerabilities: "Visible international presence in camps; routine routes.",
            likelihood: 3, impact: 5, residual: (2, 5),
            measures: [
                (
                    "Low-profile movements, varied routes and times", "Security Coordinator", -2, .inProgress,
                    .acceptance
                ),
                ("Proof-of-life forms for all international staff", "Security Coordinator", -30, .done, .protection),
            ]),
        Entry(
            title: "Cholera among staff and volunteers", threat: "health_medical", targets: [.people, .programmes],
            areas: [],
            vulnerabilities: "Volunteers in affected localities without oral rehydration stock.",
            likelihood: 3, impact: 3, residual: (2, 2),
            measures: [
                ("Oral rehydration salts and chlorine in every vehicle", "Health Coordinator", -3, .done, .protection)
            ]),
        Entry(
            title: "Road accidents on night movements", threat: "road_accident", targets: [.people], areas: [],
            vulnerabilities: "Long distances; fatigue; unlit roads.",
            likelihood: 3, impact: 4, residual: (2, 4),
            measures: [("No movement between sunset and sunrise", "Security Coordinator", -40, .done, .protection)]),
        Entry(
            title: "Misinformation about the Red Crescent on social media", threat: "reputational",
            targets: [.reputation, .people], areas: ["SD01"],
            vulnerabilities: "No monitoring of Arabic social media.",
            likelihood: 3, impact: 2, residual: nil,
            measures: [("Daily media monitoring and a rumour log", "Communications Delegate", 5, .planned, .acceptance)]
        ),
    ]

    static func load(_ app: Application, operation: OperationRecord, creator: UserID, scope: Scope, now: Date)
        async throws
    {
        let store = RiskStore(app.db)
        guard
            try await store.list(
                in: scope, filter: .init(includeClosed: true), now: now, page: Paging(page: 1, perPage: 1)
            ).total == 0
        else { return }
        let day: TimeInterval = 86_400
        let created = now.addingTimeInterval(-45 * day)
        var risks: [RiskRecord] = []
        for (index, entry) in entries.enumerated() {
            // Two reviews come up within the dashboard's fortnight; the rest later.
            let review = index < 2 ? [3.0, 10.0][index] : 20
            let measures = entry.measures.map { m in
                MitigationMeasure(
                    description: m.0, owner: m.1,
                    dueOn: AnalysisPeriods.calendar.startOfDay(for: now.addingTimeInterval(Double(m.2) * day)),
                    status: m.3, strategy: m.4, tags: [])
            }
            let draft = RiskDraft(
                title: entry.title, threat: entry.threat, targets: entry.targets,
                vulnerabilities: entry.vulnerabilities, areaPcodes: entry.areas,
                likelihood: entry.likelihood, impact: entry.impact, measures: measures,
                residualLikelihood: entry.residual?.0,
                residualImpact: entry.residual?.1,
                nextReview: AnalysisPeriods.calendar.startOfDay(for: now.addingTimeInterval(review * day)))
            // Entered 45 days ago, reviewed since: the dates are set, not checked against `now`.
            risks.append(try await store.create(draft, in: operation.id, matrix: .srm, actorID: creator, now: created))
        }
        // The history a coordinator would have: El Fasher raised when the siege tightened, the
        // checkpoint risk accepted at PC1, the warehouse risk closed after relocation.
        var fasher = risks[0].draft
        fasher.likelihood = 5
        fasher.residualLikelihood = 4
        _ = try await store.update(
            risks[0].id, with: fasher, matrix: .srm, scope: scope, actorID: creator,
            now: now.addingTimeInterval(-10 * day))
        var checkpoints = risks[1].draft
        checkpoints.acceptance = RiskAcceptance(
            decidedBy: "Head of Emergency Operations", decidedOn: now.addingTimeInterval(-8 * day),
            rationale:
                "Food distributions in Khartoum and Aj Jazirah are life-saving; movement continues with the measures.")
        checkpoints.programmeCriticality = .pc1
        _ = try await store.update(
            risks[1].id, with: checkpoints, matrix: .srm, scope: scope, actorID: creator,
            now: now.addingTimeInterval(-8 * day))
        var roads = risks[6].draft
        roads.residualLikelihood = 1
        _ = try await store.update(
            risks[6].id, with: roads, matrix: .srm, scope: scope, actorID: creator,
            now: now.addingTimeInterval(-30 * day))
        _ = try await store.setClosed(
            risks[3].id, note: "Stock moved to the Atbara warehouse.", scope: scope, actorID: creator,
            now: now.addingTimeInterval(-4 * day))
        _ = try await store.issueReport(
            since: now.addingTimeInterval(-44 * day),
            recommendations: """
                Keep the hibernation stock in El Fasher at 14 days.
                Maintain the no-movement rule between sunset and sunrise.
                """, audience: .ifrcOnly, in: operation.id, actorID: creator, now: now.addingTimeInterval(-21 * day))
        // Evidence: the demo's incidents in El Fasher, and its detentions.
        let incidents = try await IncidentStore(app.db).list(in: scope, page: Paging(page: 1, perPage: 200)).items
        for incident in incidents where incident.draft.placeName == "El Fasher" {
            _ = try await store.link(
                risks[0].id, toIncidentNumber: incident.number, scope: scope, actorID: creator, now: now)
        }
        for incident in incidents where incident.draft.subtype == .arrestOrDetention {
            _ = try await store.link(
                risks[1].id, toIncidentNumber: incident.number, scope: scope, actorID: creator, now: now)
        }
    }
}
