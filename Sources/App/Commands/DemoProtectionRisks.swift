import Domain
import Foundation
import Persistence
import Vapor

/// The demo's protection-risk register for Sudan: pushbacks and family separation at the
/// Gallabat–Metema crossing, extortion on the roads north, trafficking of children through the
/// transit centres, GBV in the self-settled sites, discrimination in host towns, detention of
/// people in transit, rumours about registration. Entered three weeks ago, two re-assessed since,
/// so that "what changed" has something to say.
enum DemoProtectionRisks {
    static func load(_ app: Application, operation: OperationRecord, coordinator: UserID, now: Date) async throws {
        let scope = AccessPolicy.unnamedOperatorScope(in: operation.id)
        let store = ProtectionRiskStore(app.db)
        guard try await store.list(in: scope, filter: .init(includeClosed: true)).isEmpty else { return }
        let method = try await SettingsStore(app.db).load(ProtectionRiskSettings.self, operationID: operation.id).method
        let activities = try await ActivityStore(app.db).all(in: scope)
        func activity(_ prefix: String) -> [UUID] { activities.filter { $0.name.hasPrefix(prefix) }.map(\.id) }
        let entered = now.addingTimeInterval(-21 * 86_400), review = now.addingTimeInterval(14 * 86_400)
        let overdue = now.addingTimeInterval(-3 * 86_400), soon = now.addingTimeInterval(10 * 86_400)
        let risks: [ProtectionRiskDraft] = [
            ProtectionRiskDraft(
                title: "Pushbacks of new arrivals at the Gallabat–Metema crossing", category: .movementRestrictions,
                subtype: .pushback, context: .borderArea, phase: .atBorders, areaPcodes: ["SD12"],
                description:
                    "Arrivals turned back at the crossing before they can ask for asylum, reported by HSP volunteers and returnees.",
                groups: [.refugees, .asylumSeekers, .migrantsInTransit],
                vulnerabilities: [.unaccompaniedOrSeparated, .womanAtRisk],
                likelihood: 2, severity: 5,
                mitigations: [
                    ProtectionMitigation(
                        description: "Protection monitoring and referral desk at the HSP",
                        owner: "SRCS protection focal point",
                        dueOn: soon, status: .inProgress, activityIDs: activity("HSP at Gallabat")),
                    ProtectionMitigation(
                        description: "Raise the pattern with UNHCR and the border authorities",
                        owner: "Migration coordinator",
                        dueOn: overdue, status: .planned),
                ], nextReview: review),
            ProtectionRiskDraft(
                title: "Children separated from their families in the crowds at the crossing",
                category: .familySeparation,
                context: .borderArea, phase: .atBorders, areaPcodes: ["SD12"],
                groups: [.refugees, .returnedRefugees], vulnerabilities: [.unaccompaniedOrSeparated, .childAtRisk],
                capacities: [.phoneAccess], likelihood: 4, severity: 4,
                mitigations: [
                    ProtectionMitigation(
                        description: "Free calls and tracing requests at the HSP", owner: "SRCS RFL officer",
                        dueOn: soon,
                        status: .inProgress, activityIDs: activity("RFL"))
                ], nextReview: review),
            ProtectionRiskDraft(
                title: "Extortion at checkpoints on the road to Wadi Halfa", category: .theftExtortion,
                subtype: .extortionOnRoute, context: .rural, phase: .inTransit, areaPcodes: ["SD17"],
                groups: [.refugees, .migrantsInTransit], capacities: [.resources, .networks], likelihood: 4,
                severity: 3,
                mitigations: [
                    ProtectionMitigation(
                        description: "Information on safe routes and fees at departure points",
                        owner: "SRCS CEA officer",
                        dueOn: soon, status: .planned, activityIDs: activity("Information"))
                ], nextReview: review),
            ProtectionRiskDraft(
                title: "Trafficking of unaccompanied adolescents through the transit centres",
                category: .trafficking, context: .transitCentre, phase: .inTransit, areaPcodes: ["SD11"],
                groups: [.refugees, .migrantsInTransit], vulnerabilities: [.unaccompaniedOrSeparated],
                likelihood: 3, severity: 5,
                mitigations: [
                    ProtectionMitigation(
                        description: "Referral of children at risk to child protection services",
                        owner: "Migration coordinator",
                        dueOn: soon, status: .inProgress, activityIDs: activity("Referrals"))
                ], nextReview: review),
            ProtectionRiskDraft(
                title: "Gender-based violence at water points in self-settled sites", category: .genderBasedViolence,
                context: .selfSettledCamp, phase: .destination, areaPcodes: ["SD12"],
                groups: [.refugees, .idps], vulnerabilities: [.womanAtRisk, .sgbvSurvivor], likelihood: 3, severity: 4,
                mitigations: [
                    ProtectionMitigation(
                        description: "Safe referral to GBV case management and PSS",
                        owner: "Danish Red Cross PSS delegate",
                        dueOn: overdue, status: .planned, activityIDs: activity("Psychosocial"))
                ], nextReview: review),
            ProtectionRiskDraft(
                title: "Refugees and returnees turned away from health centres in host towns",
                category: .discrimination,
                context: .urban, phase: .longTerm, areaPcodes: ["SD16"],
                groups: [.refugees, .returnedRefugees, .hostCommunity], capacities: [.networks], likelihood: 3,
                severity: 3,
                mitigations: [
                    ProtectionMitigation(
                        description: "Cash for host families and joint community meetings", owner: "SRCS branch",
                        dueOn: soon, status: .inProgress, activityIDs: activity("Cash"))
                ], nextReview: review),
            ProtectionRiskDraft(
                title: "People in transit held without papers in Wadi Halfa", category: .abductionDetention,
                subtype: .immigrationDetention, context: .detention, phase: .inTransit, areaPcodes: ["SD17"],
                groups: [.migrantsInTransit, .asylumSeekers], vulnerabilities: [.legalProtection], likelihood: 2,
                severity: 4, nextReview: review),
            ProtectionRiskDraft(
                title: "Rumours that registration leads to deportation", category: .disinformation,
                context: .camp, phase: .destination, groups: [.refugees, .asylumSeekers], capacities: [.phoneAccess],
                likelihood: 4, severity: 2, nextReview: review),
        ]
        var made: [ProtectionRiskRecord] = []
        for draft in risks {
            made.append(try await store.create(draft, method: method, scope: scope, actorID: coordinator, now: entered))
        }
        // Re-assessed last week: the pushbacks more likely, the extortion eased by the information campaign.
        let reassessed = now.addingTimeInterval(-5 * 86_400)
        var pushbacks = made[0].draft
        pushbacks.likelihood = 4
        _ = try await store.update(
            made[0].id, with: pushbacks, method: method, scope: scope, actorID: coordinator, now: reassessed)
        var extortion = made[2].draft
        extortion.likelihood = 2
        _ = try await store.update(
            made[2].id, with: extortion, method: method, scope: scope, actorID: coordinator, now: reassessed)
    }
}
