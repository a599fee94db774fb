import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// Who is ready, read once for a page: briefings, trainings, documents and grab bags of the people
/// in reach, the training rules, and the approved versions of the plans briefings are given from.
struct PersonnelReadiness {
    let briefings: [PersonID: [Briefing]]
    let trainings: [PersonID: [TrainingRecord]]
    let grabBags: [PersonID: Date]
    let training: TrainingSettings
    let welcomeBriefVersion: Int?
    let relocationPlan: PlanVersionRecord?
    let now: Date

    static func load(_ req: Request, _ p: PersonnelContext, of people: [PersonID]? = nil) async throws
        -> PersonnelReadiness
    {
        let store = ReadinessStore(req.db)
        let plans = try await PlanStore(req.db).current(in: p.operation.id)
        return PersonnelReadiness(
            briefings: Dictionary(grouping: try await store.briefings(in: p.scope, of: people), by: \.personID)
                .mapValues { $0.map(\.briefing) },
            trainings: Dictionary(grouping: try await store.trainings(in: p.scope, of: people), by: \.personID)
                .mapValues { $0.map(\.record) },
            grabBags: try await store.grabBags(in: p.scope),
            training: try await SettingsStore(req.db).load(TrainingSettings.self, operationID: p.operation.id),
            welcomeBriefVersion: plans[.welcomeBrief]?.approved?.version,
            relocationPlan: plans[.relocation]?.approved, now: req.now)
    }

    func arrival(_ person: PersonRecord) -> ArrivalBriefing.State {
        Self.arrival(person, briefings: briefings[person.id] ?? [], now: now)
    }

    /// Whether the person's arrival briefing is due, given their briefings newest first (as the
    /// store reads them); for a page that needs nothing else of their readiness.
    static func arrival(_ person: PersonRecord, briefings: [Briefing], now: Date) -> ArrivalBriefing.State {
        ArrivalBriefing.state(
            arrival: person.draft.arrivalAt, briefedAt: briefings.first { $0.kind == .arrival }?.givenAt, now: now)
    }

    /// The welcome brief version the person acknowledged last.
    func welcomeBrief(_ person: PersonRecord) -> Int? {
        briefings[person.id]?.first { $0.kind == .welcomeBrief }.map { $0.planVersion ?? 0 }
    }

    func briefedOnRelocation(_ person: PersonRecord) -> Bool {
        briefings[person.id]?.contains { $0.kind == .relocationPlan } ?? false
    }

    /// The courses the person's place requires and they lack, by name ("SCM (expired 2026-03-01)").
    func lacking(_ person: PersonRecord, places: PersonnelPlaces) -> [String] {
        let phase = person.location?.areaPcode.flatMap(places.phase(of:))
        let required = training.required(phase: phase, manager: person.draft.manager, category: person.draft.category)
        return TrainingGap.gaps(required: required, records: trainings[person.id] ?? [], on: now).map { gap in
            let name = training.course(gap.course)?.name ?? gap.course
            switch gap.kind {
            case .missing: return name
            case .expired(let day):
                return name + " ("
                    + places.strings("training_expired_on").replacingOccurrences(
                        of: "{day}", with: DateText.day(day)) + ")"
            }
        }
    }

    var courseChoices: [Choice] {
        training.courses.map { Choice(value: $0.code, label: $0.name, selected: false) }
    }
}

extension MovementRecord {
    /// The board's and the pages' line for a movement.
    func line(names: [PersonID: String], places: PersonnelPlaces, graceMinutes: Int, strings t: Strings)
        -> MovementLine
    {
        var last: String?
        if let checkIn = checkIns.last {
            var label = t(checkIn.kind.labelKey)
            if let index = checkIn.waypoint
                ?? (checkIn.kind == .arrived ? draft.route.count - 1 : checkIn.kind == .departed ? 0 : nil),
                index < draft.route.count
            {
                label += " · " + MovementService.label(draft.route[index], places: places)
            }
            if let lat = checkIn.latitude, let lon = checkIn.longitude {
                label += " · " + DecimalText.fixed(lat, digits: 4) + ", " + DecimalText.fixed(lon, digits: 4)
            }
            last = label + " · " + t.isolatedMinute(checkIn.at)
        }
        return MovementLine(
            id: id, number: number, purpose: draft.purpose, status: status,
            overdue: isOverdue(now: places.now, graceMinutes: graceMinutes),
            passengers: draft.travellers.map { ($0, names[$0] ?? t("movement_someone")) },
            route: draft.route.map { MovementService.label($0, places: places) }, departure: draft.departureAt,
            expectedArrival: draft.expectedArrivalAt, lastCheckIn: last,
            missingApprovals: MovementAuthority.allCases.filter(missingApprovals.contains))
    }
}
