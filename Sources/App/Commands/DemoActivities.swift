import Domain
import Foundation
import Persistence
import Vapor

/// The demo's EPoA activities for people on the move in Sudan: HSPs at the border crossings and
/// transit centres, RFL, referrals, information, PSS, cash for host families; acute ones, and two
/// carried on into the protracted phase.
enum DemoActivities {
    static func load(_ app: Application, operation: OperationRecord, coordinator: UserID, now: Date) async throws {
        let scope = AccessPolicy.unnamedOperatorScope(in: operation.id)
        let store = ActivityStore(app.db)
        guard try await store.all(in: scope).isEmpty else { return }
        let start = DateText.day("2023-05-01") ?? now
        let later = DateText.day("2024-01-01") ?? now
        // (name, kind, sector, area, types, phase, targeted, reached, implementer)
        let plan: [(String, ActivityKind, IFRCSector, String, [PopulationType], ResponsePhase, Int, Int, String)] = [
            (
                "HSP at Argeen and Wadi Halfa: first aid, water, calls", .hsp, .migration, "SD17",
                [.refugees, .migrantsInTransit],
                .acute, 12_000, 9_840, "Sudanese Red Crescent Society"
            ),
            (
                "HSP at Gallabat–Metema crossing", .hsp, .migration, "SD12",
                [.refugees, .asylumSeekers, .returnedRefugees],
                .acute, 8_000, 8_950, "Sudanese Red Crescent Society"
            ),
            (
                "RFL: tracing requests and free calls", .rfl, .protection, "SD11", [.refugees, .idps], .acute, 1_500,
                1_120,
                "Sudanese Red Crescent Society"
            ),
            (
                "Referrals to protection services", .referrals, .protection, "SD11",
                [.refugees, .idps, .migrantsInTransit],
                .acute, 600, 410, "Sudanese Red Crescent Society"
            ),
            (
                "Information on services and safe routes", .information, .communityEngagement, "SD10",
                [.refugees, .idps, .migrantsInTransit, .hostCommunity], .acute, 20_000, 14_300,
                "Sudanese Red Crescent Society"
            ),
            (
                "Psychosocial support at transit centres", .psychosocial, .health, "SD12", [.refugees, .idps], .acute,
                2_400,
                1_900, "Danish Red Cross"
            ),
            (
                "Cash for host families", .cash, .cash, "SD16", [.hostCommunity, .idps], .acute, 1_200, 1_150,
                "Sudanese Red Crescent Society"
            ),
        ]
        var firstHSP: UUID?
        for (n, item) in plan.enumerated() {
            let (name, kind, sector, area, types, phase, targeted, reached, implementer) = item
            let women = targeted / 2
            let draft = ActivityDraft(
                name: name, kind: kind, sector: sector, areaPcode: area, populationTypes: types, phase: phase,
                startOn: start, endOn: later, implementer: implementer, scheme: n == 0 ? .sex : .notDisaggregated,
                targeted: targeted, reached: reached,
                targetedBins: n == 0 ? ["f": women, "m": targeted - women] : [:],
                reachedBins: n == 0 ? ["f": reached / 2, "m": reached - reached / 2] : [:],
                reachedByType: n == 0
                    ? [.refugees: reached * 3 / 4, .migrantsInTransit: reached - reached * 3 / 4] : [:])
            let row = try await store.create(draft, scope: scope, actorID: coordinator, now: now)
            if n == 0 { firstHSP = row.id }
        }
        // Into the protracted phase: the HSP becomes a fixed service point, RFL carries on.
        let protracted: [(String, ActivityKind, IFRCSector, String, Int, Int)] = [
            ("Fixed service point at Wadi Halfa", .hsp, .migration, "SD17", 6_000, 2_150),
            ("RFL: reunification follow-up", .rfl, .protection, "SD11", 400, 95),
        ]
        for (name, kind, sector, area, targeted, reached) in protracted {
            let draft = ActivityDraft(
                name: name, kind: kind, sector: sector, areaPcode: area, populationTypes: [.refugees, .hostCommunity],
                phase: .protracted, startOn: later, implementer: "Sudanese Red Crescent Society", targeted: targeted,
                reached: reached, continues: kind == .hsp ? firstHSP.map(ActivityDraftLink.init) : nil)
            _ = try await store.create(draft, scope: scope, actorID: coordinator, now: now)
        }
    }
}
