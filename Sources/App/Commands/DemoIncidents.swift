import Domain
import Fluent
import Foundation
import Geo
import Persistence
import Vapor

/// The demo's security picture: about eighty own incidents over the last nine months, across
/// Sudan's states, with a recent rise around El Fasher (so the early warning has something to
/// say), a restricted incident, serious ones, reports still due; and AWSD's Sudan incidents as
/// context. Deterministic: the same seed gives the same incidents relative to today.
enum DemoIncidents {
    /// Towns incidents happen in (approximate public coordinates) and how often.
    static let towns: [(name: String, latitude: Double, longitude: Double, weight: Int)] = [
        ("Port Sudan", 19.6158, 37.2164, 3), ("Kassala", 15.4510, 36.3999, 4), ("Gedaref", 14.0354, 35.3834, 3),
        ("Kosti", 13.1629, 32.6635, 3), ("El Obeid", 13.1843, 30.2167, 3), ("Atbara", 17.7022, 33.9864, 1),
        ("Wad Madani", 14.4012, 33.5199, 3), ("Damazin", 11.7891, 34.3592, 2), ("Nyala", 12.0489, 24.8807, 3),
        ("El Fasher", 13.6279, 25.3494, 2), ("Geneina", 13.4526, 22.4473, 2), ("Omdurman", 15.6445, 32.4777, 2),
    ]

    static let kinds: [(IncidentCategory, IncidentSubtype, ActorType, IncidentMeans, IncidentLocationType, String)] = [
        (.crime, .theft, .criminal, .unknown, .officeOrCompound, "Theft from the compound in %@"),
        (.crime, .carjacking, .criminal, .firearm, .road, "Vehicle carjacked at gunpoint near %@"),
        (.crime, .robbery, .criminal, .bladedWeapon, .publicLocation, "Staff member robbed in the market, %@"),
        (
            .violence, .armedThreat, .nonStateArmedGroup, .firearm, .checkpoint,
            "Armed threat at a checkpoint outside %@"
        ),
        (.violence, .shooting, .unknown, .firearm, .road, "Shots fired at a convoy near %@"),
        (
            .harassment, .verbalThreat, .communityMembers, .threatOnly, .projectSite,
            "Volunteers threatened at a distribution, %@"
        ),
        (.actOfWar, .shelling, .nonStateArmedGroup, .shelling, .camp, "Shelling close to the camp at %@"),
        (.actOfWar, .crossfire, .unknown, .firearm, .publicLocation, "Team caught in crossfire in %@"),
        (.propertyAttack, .looting, .nonStateArmedGroup, .unknown, .warehouse, "Warehouse looted in %@"),
        (.vehicleAccident, .collision, .none, .vehicle, .road, "Road accident on the way to %@"),
        (
            .unlawfulActivity, .arrestOrDetention, .policeOrParamilitary, .unknown, .checkpoint,
            "Volunteer detained at a checkpoint in %@"
        ),
        (.securityBreach, .curfewBreach, .staffMember, .none, .home, "Curfew breach by a team returning to %@"),
    ]

    /// A small linear congruential generator: the demo must be the same on every machine.
    struct Seeded {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func load(_ app: Application, operation: OperationRecord, creator: UserID, scope: Scope, now: Date)
        async throws
    {
        let db = app.db
        let store = IncidentStore(db)
        if try await store.list(in: scope, page: Paging(page: 1, perPage: 1)).total == 0 {
            let shapes = try await AreaStore(db).shapes(operationID: operation.id)
            let locator = AreaLocator(shapes.map { (id: $0.row.pcode, level: $0.row.level, geometry: $0.geometry) })
            var random = Seeded(state: 20_261_123)
            let weighted = towns.flatMap { town in Array(repeating: town, count: town.weight) }
            var plan: [(daysAgo: Int, town: (name: String, latitude: Double, longitude: Double, weight: Int))] = []
            for _ in 0..<64 { plan.append((3 + random.next(270), weighted[random.next(weighted.count)])) }
            // The rise the early warning should catch: El Fasher, eight incidents in three weeks.
            let fasher = towns.first { $0.name == "El Fasher" }!
            for daysAgo in [1, 3, 4, 7, 9, 12, 15, 19] { plan.append((daysAgo, fasher)) }
            // Reported today and yesterday: their report to the region is still due.
            plan.append((0, towns[1]))
            plan.append((1, towns[4]))
            for (index, item) in plan.sorted(by: { $0.daysAgo > $1.daysAgo }).enumerated() {
                let kind = kinds[random.next(kinds.count)]
                let occurred = now.addingTimeInterval(-Double(item.daysAgo) * 86_400 - Double(random.next(20 * 3600)))
                var casualties = Casualties()
                if kind.0 == .actOfWar || kind.1 == .shooting || kind.1 == .carjacking, random.next(3) == 0 {
                    casualties[.injured, .national, random.next(2) == 0 ? .male : .female] = 1 + random.next(2)
                    if random.next(3) == 0 { casualties[.killed, .national, .male] = 1 }
                }
                if kind.1 == .arrestOrDetention { casualties[.detained, .national, .male] = 1 }
                // Within about 5 km of the town, to four decimals as a phone would give them.
                let latitude =
                    ((item.town.latitude + Double(random.next(200) - 100) / 2000) * 10_000).rounded() / 10_000
                let longitude =
                    ((item.town.longitude + Double(random.next(200) - 100) / 2000) * 10_000).rounded() / 10_000
                let restricted = index == 40
                let draft = try IncidentDraft(
                    title: restricted
                        ? "Sexual harassment of a staff member (restricted)" : String(format: kind.5, item.town.name),
                    description: restricted
                        ? "Details are held by the Security Coordinator." : "Demo incident near \(item.town.name).",
                    category: restricted ? .harassment : kind.0, subtype: restricted ? .sexualHarassment : kind.1,
                    occurredAt: occurred,
                    knownAt: occurred.addingTimeInterval(3600), latitude: latitude, longitude: longitude,
                    areaPcode: locator.locate(Coordinate(longitude: longitude, latitude: latitude)).first,
                    placeName: item.town.name,
                    geoPrecision: .exact, locationType: kind.4, affected: [.staff],
                    casualties: casualties, actorType: kind.2, means: kind.3,
                    severity: casualties.total(.killed) > 0
                        ? .critical
                        : casualties.isEmpty ? (random.next(2) == 0 ? .low : .moderate) : .high,
                    particularlySensitive: restricted, nearMiss: casualties.isEmpty && random.next(4) == 0,
                    immediateActions: "Team accounted for; movements in the area paused.",
                    followUpActions: index % 3 == 0
                        ? [
                            .init(
                                action: "Review the route and movement rules for \(item.town.name)",
                                owner: "Security Coordinator",
                                dueOn: AnalysisPeriods.calendar.startOfDay(for: occurred).addingTimeInterval(
                                    7 * 86_400), done: item.daysAgo > 10),
                            .init(
                                action: "Brief the branch and the drivers", owner: "Branch security focal point",
                                dueOn: AnalysisPeriods.calendar.startOfDay(for: occurred).addingTimeInterval(
                                    3 * 86_400), done: item.daysAgo > 5),
                        ] : [],
                    verification: item.daysAgo > 14 ? .verified : .unverified, reporterHidden: restricted,
                    audience: restricted ? .restricted : (random.next(4) == 0 ? .ifrcAndNationalSociety : .ifrcOnly)
                ).validated(now: now)
                let incident = try await store.create(
                    draft, reporterID: creator, in: operation.id, actorID: creator,
                    now: occurred.addingTimeInterval(3600))
                guard item.daysAgo >= 2 else { continue }
                _ = try await store.addReport(
                    to: incident.id, type: .update, summary: "Reported to the Regional Security Coordinator.",
                    sentToRegion: true,
                    scope: scope, actorID: creator, now: occurred.addingTimeInterval(6 * 3600))
                for (status, after) in [(IncidentStatus.verified, 14), (.analysed, 40), (.closed, 90)]
                where item.daysAgo > after {
                    _ = try await store.changeStatus(
                        incident.id, to: status, scope: scope, actorID: creator,
                        now: occurred.addingTimeInterval(Double(after) * 86_400))
                }
            }
        }
        if try await ContextEventStore(db).counts(source: .awsd, operationID: operation.id).total == 0 {
            let url = URL(fileURLWithPath: BundledResources.directory + "Demo/awsd_sudan_demo.csv")
            _ = try await ContextImportService(database: db, areaShapes: app.areaShapes).importFile(
                url, format: .awsd, into: operation, actorID: nil, now: now)
        }
    }
}
