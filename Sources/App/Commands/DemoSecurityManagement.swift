import Domain
import Foundation
import Persistence
import Vapor

/// The demo's security plans, MSR compliance and site assessments, as a coordinator months into
/// the operation would have them: most plans approved (one review overdue since the last phase
/// change, the welcome brief still in review), two compliance assessments showing progress with
/// one written exemption, and three sites assessed.
enum DemoSecurityManagement {
    static func load(
        _ app: Application, operation: OperationRecord, heops: UserID, coordinator: UserID, scope: Scope, now: Date
    ) async throws {
        let plans = PlanStore(app.db)
        guard try await plans.current(in: operation.id).isEmpty else { return }
        let day: TimeInterval = 86_400
        let sites = try await SiteStore(app.db).all(in: scope)
        func site(_ name: String) -> SiteRecord? { sites.first { $0.name == name } }

        func approved(_ draft: PlanDraft, daysAgo: Double) async throws {
            let written = now.addingTimeInterval(-(daysAgo + 3) * day)
            let version = try await plans.createDraft(draft, in: operation.id, actorID: coordinator, now: written)
            _ = try await plans.move(
                version.id, .submit, by: coordinator, in: operation.id, now: written.addingTimeInterval(day))
            _ = try await plans.move(
                version.id, .approve, by: heops, approverAuthorities: [.seniorManager], in: operation.id,
                now: now.addingTimeInterval(-daysAgo * day))
        }
        try await approved(
            PlanDraft(
                kind: .riskRegister,
                content: """
                    The register is kept in Bearing (Security risk register). This version records the assessment of the \
                    operation's areas after the outbreak of fighting, with the measures agreed with the HeOps.
                    """), daysAgo: 200)
        try await approved(
            PlanDraft(
                kind: .regulations,
                content: """
                    1. No movement between sunset and sunrise.
                    2. Every field movement is requested 24 hours ahead and approved by the Security Coordinator.
                    3. Two vehicles on roads outside towns; radio check every 30 minutes.
                    4. Every person signs the acknowledgement of risk before the first field movement.
                    """), daysAgo: 100)
        try await approved(
            PlanDraft(
                kind: .medicalEvacuation,
                content: """
                    Casualties are stabilised at Port Sudan Teaching Hospital; evacuation by air to Jeddah or Nairobi through the \
                    insurer's assistance line; the Health Coordinator keeps the list of blood groups.
                    """), daysAgo: 300)
        let relocation = RelocationPlan(
            assemblyPointIDs: [site("IFRC Country Delegation, Port Sudan"), site("IFRC Sub-office Kassala")].compactMap
            { $0?.id },
            routes: ["Kassala – Port Sudan by road (Highway 1)", "Port Sudan – Jeddah by sea or air"],
            triggers: [
                "yellow": "Staff reduced to essential; bags packed",
                "orange": "Dependants and non-essential staff relocate to Port Sudan",
                "red": "All international staff relocate; national staff supported to move with their families",
            ],
            whoGoes: "International staff first, then national staff who ask to move, with dependants",
            whoStays: "National staff who choose to stay, with communications and three months' salary in advance",
            transport: "Four Land Cruisers at the delegation, fuel for 1,000 km each; chartered flight through the GSU")
        try await approved(
            PlanDraft(
                kind: .relocation, content: "Relocation to Port Sudan, then out of the country if needed.",
                relocation: relocation), daysAgo: 40)
        try await approved(
            PlanDraft(
                kind: .criticalIncidentManagement, content: "The CIMT meets within two hours of a critical incident.",
                cim: CIMPlan(team: [
                    .init(
                        name: "Hana Osman", role: "CIMT lead (HeOps)", phone: "+249 91 000 0001",
                        email: "heops@demo.bearing.test"),
                    .init(
                        name: "Samuel Okello", role: "Security Coordinator", phone: "+249 91 000 0002",
                        email: "security@demo.bearing.test"),
                    .init(name: "Mariam Haddad", role: "Family liaison", phone: "+249 91 000 0003"),
                ])), daysAgo: 60)
        let brief = try await plans.createDraft(
            PlanDraft(kind: .welcomeBrief, content: "Welcome to the Sudan operation. Read the regulations first."),
            in: operation.id, actorID: coordinator, now: now.addingTimeInterval(-5 * day))
        _ = try await plans.move(
            brief.id, .submit, by: coordinator, in: operation.id, now: now.addingTimeInterval(-4 * day))
        let rules = PlanRules.ifrc
        _ = try await plans.record(
            .review, of: .regulations, on: now.addingTimeInterval(-20 * day), approvers: [:],
            note: "Curfew hours confirmed after the new phase.", rules: rules, in: operation.id, actorID: coordinator,
            now: now)
        _ = try await plans.record(
            .yearlyApproval, of: .medicalEvacuation, on: now.addingTimeInterval(-300 * day),
            approvers: [.regionalSecurityCoordinator: "Ahmed Rahman", .globalSecurityUnit: "Anna Berg"], note: "",
            rules: rules, in: operation.id, actorID: coordinator, now: now)
        _ = try await plans.record(
            .yearlyApproval, of: .relocation, on: now.addingTimeInterval(-40 * day),
            approvers: [.regionalSecurityCoordinator: "Ahmed Rahman", .globalSecurityUnit: "Anna Berg"], note: "",
            rules: rules, in: operation.id, actorID: coordinator, now: now)

        // Compliance: part 2 and part 6 weak four months ago, better now, the delegate's post exempted while recruited.
        let compliance = ComplianceStore(app.db)
        let catalogue = MSRRequirement.defaults
        func findings(_ weak: [String: ComplianceStatus]) -> [ComplianceAssessment.Finding] {
            catalogue.map {
                .init(
                    requirement: $0.code, status: weak[$0.code] ?? .met,
                    evidence: weak[$0.code] == nil ? "Seen on file" : "")
            }
        }
        _ = try await compliance.record(
            ComplianceAssessment(
                assessedOn: now.addingTimeInterval(-120 * day), phase: "orange",
                findings: findings([
                    "2.1": .partlyMet, "2.4": .notMet, "2.5": .partlyMet, "3.1": .partlyMet, "6.2": .notMet,
                    "5.1": .notMet,
                ])),
            siteID: nil, catalogue: catalogue, phases: PhaseRules.ifrc.phases, in: operation.id, actorID: coordinator,
            now: now)
        _ = try await compliance.record(
            ComplianceAssessment(
                assessedOn: now.addingTimeInterval(-10 * day), phase: "red",
                findings: findings(["2.1": .partlyMet, "5.1": .partlyMet, "6.2": .notMet])),
            siteID: nil, catalogue: catalogue, phases: PhaseRules.ifrc.phases, in: operation.id, actorID: coordinator,
            now: now)
        _ = try await compliance.grant(
            try ComplianceExemption(
                requirement: "6.2", grantedBy: "Anna Berg, Head of GSU", reason: .operational,
                writtenReason:
                    "Security delegate recruited; arrives within 12 days. The RSC covers the post meanwhile.",
                grantedOn: now.addingTimeInterval(-30 * day), expiresOn: now.addingTimeInterval(12 * day)
            ).validated(),
            in: operation.id, actorID: coordinator, now: now.addingTimeInterval(-30 * day))

        // Site assessments.
        let checklists = SiteChecklistSettings.defaults
        let assessments = SiteAssessmentStore(app.db)
        for (name, weak, findings, recommendation) in [
            (
                "IFRC Country Delegation, Port Sudan", ["power": ChecklistAnswer.partly],
                "Generator fuel for one day only.",
                ("Fuel for three days at the generator", "Logistics Coordinator", 10.0)
            ),
            (
                "Logistics Hub Port Sudan", ["stock": .no, "lighting": .partly],
                "Keys to the stock room held by three people; dark loading bay.",
                ("One key holder and a key register", "Logistics Coordinator", -3.0)
            ),
            (
                "Staff Guesthouse Port Sudan", ["safe_room": .partly], "The safe room has no radio.",
                ("Install a VHF base radio in the safe room", "Telecoms Officer", 20.0)
            ),
        ] {
            guard let site = site(name) else { continue }
            let kind = SiteChecklistKind(siteType: site.siteType)
            guard let checklist = checklists.checklist(kind) else { continue }
            var answers: [String: ChecklistAnswer] = [:]
            for item in checklist.items { answers[item.code] = weak[item.code] ?? .yes }
            let assessedOn = now.addingTimeInterval(-15 * day)
            let assessment = try SiteAssessment(
                kind: kind, assessedOn: assessedOn, answers: answers, findings: findings,
                recommendations: [
                    SiteRecommendation(
                        text: recommendation.0, owner: recommendation.1,
                        dueOn: AnalysisPeriods.calendar.startOfDay(for: now.addingTimeInterval(recommendation.2 * day)))
                ]
            )
            .validated(checklist)
            _ = try await assessments.record(
                assessment, checklist: checklist, siteID: site.id, scope: scope, actorID: coordinator, now: now)
        }
    }
}
