import Domain
import Foundation
import Persistence
import Vapor

/// The demo's flow monitoring: its three flow-monitoring points described, and a month of daily
/// tallies at each (people leaving Sudan for Egypt and Ethiopia, and returning from South Sudan).
enum DemoFlows {
    static func load(_ app: Application, operation: OperationRecord, coordinator: UserID, scope: Scope, now: Date)
        async throws
    {
        let store = FlowStore(app.db)
        let points = try await store.points(in: scope)
        guard !points.isEmpty, try await store.observations(in: scope, page: Paging(page: 1, perPage: 1)).items.isEmpty
        else { return }
        let plans: [String: (FlowPointType, FlowDirection, String, String, Int)] = [
            "FMP Argeen": (.borderCrossing, .outgoing, "EGY", "Cairo", 900),
            "FMP Gallabat": (.borderCrossing, .outgoing, "ETH", "Gondar", 300),
            "FMP Renk road, Joda": (.borderCrossing, .incoming, "SSD", "Kosti", 500),
        ]
        var seed: UInt64 = 20_261_128
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % UInt64(bound))
        }
        let today = AnalysisPeriods.calendar.startOfDay(for: now)
        for point in points {
            guard let (type, direction, country, destination, size) = plans[point.site.name] else { continue }
            try await store.setProfile(
                FlowPointProfile(
                    pointType: type, movements: [direction], operatingHours: "06:00–18:00, every day",
                    transportModes: [.bus, .truck, .foot]), of: point.site.id, scope: scope, actorID: coordinator,
                now: now)
            for daysAgo in 1...30 {
                let start = today.addingTimeInterval(Double(-daysAgo) * 86_400 + 6 * 3600)
                let total = size / 2 + next(size)
                let adults = total * 55 / 100, children = total * 38 / 100
                let bins = [
                    "f_18_59": adults / 2, "m_18_59": adults - adults / 2, "f_5_11": children / 2,
                    "m_5_11": children - children / 2,
                    "f_60": total * 3 / 100, "m_60": total * 3 / 100,
                ]
                let draft = try FlowObservationDraft(
                    pointID: point.site.id, windowStart: start, windowEnd: start.addingTimeInterval(12 * 3600),
                    direction: direction, total: total,
                    scheme: .unhcr, bins: bins, nationality: direction == .incoming ? "SSD" : "SDN",
                    originCountry: direction == .incoming ? "SSD" : "SDN",
                    originArea: direction == .incoming ? "Upper Nile" : "SD01", nextDestination: destination,
                    finalDestination: direction == .incoming ? destination : country, transport: .bus,
                    vulnerable: [
                        .unaccompaniedOrSeparatedChildren: next(8), .olderPeople: total * 3 / 100,
                        .seriousMedical: next(5),
                    ],
                    reasons: direction == .incoming ? [.conflictViolence, .familyReunification] : [.conflictViolence]
                ).validated(now: now)
                _ = try await store.record(draft, scope: scope, actorID: coordinator, now: now)
            }
        }
    }
}
