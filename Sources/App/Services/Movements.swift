import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// Field movements as the pages and the API both request, decide and follow them: the route's
/// areas and their phases, each traveller's briefings and trainings, the rules of the operation.
struct MovementService {
    let req: Request
    let p: PersonnelContext

    /// The areas a route crosses, in order, once each: a site's area, an area, a point's area.
    func routeAreas(_ route: [RoutePoint]) async throws -> (areas: [String], route: [RoutePoint]) {
        var areas: [String] = []
        var placed: [RoutePoint] = []
        var errors = ValidationErrors()
        let sites = try await p.context.visibleSites(on: req.db)
        for (index, point) in route.enumerated() {
            var point = point
            switch point.kind {
            case .site:
                guard let site = sites.first(where: { $0.id == point.siteID }) else {
                    errors.add("route", key: "error.movement_route_site", "Point \(index + 1): no such site.")
                    continue
                }
                point.areaPcode = site.areaPcode
            case .area:
                if let pcode = point.areaPcode,
                    try await AreaStore(req.db).find(operationID: p.operation.id, pcode: pcode) == nil
                {
                    errors.add(
                        "route", key: "error.pcode_unknown",
                        "Point \(index + 1): no admin area has the P-code \(pcode).")
                }
            case .point:
                if let lat = point.latitude, let lon = point.longitude {
                    point.areaPcode = try await MapService(request: req).resolveArea(
                        operation: p.operation, latitude: lat, longitude: lon)
                }
            }
            if let area = point.areaPcode, !areas.contains(area) { areas.append(area) }
            placed.append(point)
        }
        try errors.throwIfAny()
        return (areas, placed)
    }

    /// What the decision needs of each traveller.
    static func facts(_ travellers: [PersonID], scope: PersonnelScope, on db: any Database) async throws
        -> [TravellerFacts]
    {
        let people = try await PersonStore(db).all(in: scope, filter: .init(includeLeft: true))
        let byID = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let readiness = ReadinessStore(db)
        let briefings = try await readiness.briefings(in: scope, of: travellers)
        let trainings = try await readiness.trainings(in: scope, of: travellers)
        return travellers.compactMap { id in
            guard let person = byID[id] else { return nil }
            let mine = briefings.filter { $0.personID == id }
            return TravellerFacts(
                personID: id, arrivalBriefedAt: mine.first { $0.briefing.kind == .arrival }?.briefing.givenAt,
                travelBriefings: mine.filter { $0.briefing.kind == .travel }.map {
                    ($0.briefing.areaPcode, $0.briefing.givenAt)
                }, trainings: trainings.filter { $0.personID == id }.map(\.record), manager: person.draft.manager,
                category: person.draft.category)
        }
    }

    /// The decision on a route through `areas` for `draft`'s travellers, by the phases in force
    /// (an area's own, or the nearest area holding it) and the operation's rules.
    static func decide(_ draft: MovementDraft, areas: [String], scope: PersonnelScope, on db: any Database)
        async throws -> MovementDecision
    {
        let operationID = scope.operationID
        let shapes = try await AreaStore(db).shapes(operationID: operationID)
        let hierarchy = AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) })
        let inForce = try await PhaseStore(db).inForce(in: operationID).mapValues(\.to)
        let settings = SettingsStore(db)
        return MovementDecision.decide(
            travellers: try await facts(draft.travellers, scope: scope, on: db),
            areas: areas.map { ($0, hierarchy.nearest($0, in: inForce), hierarchy.lineage(of: $0)) },
            phases: try await settings.load(PhaseSettings.self, operationID: operationID).rules.phases,
            settings: try await settings.load(MovementSettings.self, operationID: operationID),
            training: try await settings.load(TrainingSettings.self, operationID: operationID),
            departure: draft.departureAt)
    }

    /// Requests a movement: the route placed, the decision taken, the request stored.
    func request(_ draft: MovementDraft) async throws -> MovementRecord {
        let (areas, route) = try await routeAreas(draft.route)
        var placed = draft
        placed.route = route
        let decision = try await Self.decide(placed, areas: areas, scope: p.scope, on: req.db)
        return try await MovementStore(req.db).request(
            placed, decision: decision, routeAreas: areas, scope: p.scope, now: req.now)
    }

    /// The movement authorities the viewer holds: the Security Coordinator's by role; the senior
    /// manager's and the Head of GSU's as the phases name them.
    func authorities() async throws -> Set<MovementAuthority> {
        AccessPolicy.movementAuthorities(
            role: p.context.role,
            phaseAuthorities: try await PhaseStore(req.db).authorities(
                of: p.context.viewer.userID, role: p.context.role, in: p.operation.id))
    }

    /// A refusal as the reader reads it, names and places included.
    static func text(
        _ refusal: MovementRefusal, names: [PersonID: String], courses: TrainingSettings, places: PersonnelPlaces,
        strings t: Strings
    ) -> String {
        func name(_ id: PersonID) -> String { names[id] ?? t("movement_someone") }
        switch refusal {
        case .notBriefed(let id):
            return t("movement_refused_briefing").replacingOccurrences(of: "{name}", with: name(id))
        case .lacksTraining(let id, let course):
            return t("movement_refused_training").replacingOccurrences(of: "{name}", with: name(id))
                .replacingOccurrences(of: "{course}", with: courses.course(course)?.name ?? course)
        case .noTravelBriefing(let id, let area):
            return t("movement_refused_travel").replacingOccurrences(of: "{name}", with: name(id))
                .replacingOccurrences(of: "{area}", with: places.area(area))
        case .forbidden(let area, let phase):
            return t("movement_refused_forbidden").replacingOccurrences(of: "{area}", with: places.area(area))
                .replacingOccurrences(of: "{phase}", with: t.phase(phase))
        }
    }

    /// A route point as the reader reads it.
    static func label(_ point: RoutePoint, places: PersonnelPlaces) -> String {
        switch point.kind {
        case .site: return point.siteID.flatMap { places.siteNames[$0] } ?? point.areaPcode.map(places.area) ?? "—"
        case .area: return point.areaPcode.map(places.area) ?? "—"
        case .point:
            let text =
                DecimalText.fixed(point.latitude ?? 0, digits: 4) + ", "
                + DecimalText.fixed(point.longitude ?? 0, digits: 4)
            return point.areaPcode.map { places.area($0) + " · " + text } ?? text
        }
    }
}
