import Domain
import Foundation
import Persistence
import Vapor

extension APIDTO {
    struct Phone: Content {
        let kind: String; let text: String; let e164: String?
        init(_ number: PhoneNumber) { kind = number.kind.rawValue; text = number.text; e164 = number.e164 }
    }
    struct Location: Content {
        let kind: String; let siteId: SiteID?; let areaPcode: String?; let latitude: Double?; let longitude: Double?
        let precisionM: Int?; let confirmedAt: Date; let confirmedBy: UserID?; let source: String; let note: String
        init(_ location: PersonLocation) {
            var site: SiteID?, lat: Double?, lon: Double?, precision: Int?
            switch location.place {
            case .site(let id): kind = "site"; site = id
            case .area: kind = "area"
            case .point(let a, let b, let p): kind = "point"; lat = a; lon = b; precision = p
            }
            siteId = site; latitude = lat; longitude = lon; precisionM = precision
            areaPcode = location.areaPcode; confirmedAt = location.confirmedAt; confirmedBy = location.confirmedBy
            source = location.source.rawValue; note = location.note
        }
    }
    struct Person: Content {
        let id: PersonID; let fullName: String; let category: String; let organisation: String; let function: String
        let origin: String; let languages: [String]; let phones: [Phone]; let radioCallSign: String; let email: String?
        let emergencyContactName: String; let emergencyContactPhone: Phone?; let arrival: Date?
        let plannedDeparture: Date?; let residenceSiteId: SiteID?; let assemblyPointSiteId: SiteID?
        let relocationGroup: String; let relocationPriority: Int?; let accountId: UserID?; let externalId: String?
        let leftAt: Date?; let location: Location?; let locationFreshness: String; let updatedAt: Date
        init(_ row: PersonRecord, freshness: LocationFreshness) {
            let d = row.draft
            id = row.id; fullName = d.fullName; category = d.category.rawValue; organisation = d.organisation
            function = d.function; origin = d.origin.rawValue; languages = d.languages;
            phones = d.phones.map(Phone.init)
            radioCallSign = d.radioCallSign; email = d.email; emergencyContactName = d.emergencyContactName
            emergencyContactPhone = d.emergencyContactPhone.map(Phone.init); arrival = d.arrivalAt
            plannedDeparture = d.plannedDepartureAt; residenceSiteId = d.residenceSiteID
            assemblyPointSiteId = d.assemblyPointSiteID; relocationGroup = d.relocationGroup
            relocationPriority = d.relocationPriority; accountId = d.userID; externalId = d.externalID
            leftAt = row.leftAt; location = row.location.map(Location.init); locationFreshness = freshness.rawValue
            updatedAt = row.updatedAt
        }
    }
    struct PersonList: Content { let items: [Person]; let total: Int }
    /// A person as sent: every field optional. A POST starts from an empty person, a PATCH from the
    /// stored one; a field left out keeps what was there.
    struct PersonInput: Content {
        let fullName: String?; let category: String?; let organisation: String?; let function: String?
        let origin: String?; let languages: [String]?; let mobilePhone: String?; let satellitePhone: String?
        let otherPhone: String?; let radioCallSign: String?; let email: String?; let emergencyContactName: String?
        let emergencyContactPhone: String?; let arrival: String?; let plannedDeparture: String?
        let residenceSiteId: String?; let assemblyPointSiteId: String?; let relocationGroup: String?
        let relocationPriority: Int?; let accountId: String?; let externalId: String?

        func applied(to base: Domain.PersonInput) -> Domain.PersonInput {
            var input = base
            let pairs: [(String?, WritableKeyPath<Domain.PersonInput, String>)] = [
                (fullName, \.fullName), (category, \.category), (organisation, \.organisation),
                (function, \.function), (origin, \.origin), (languages?.joined(separator: ", "), \.languages),
                (mobilePhone, \.mobilePhone), (satellitePhone, \.satellitePhone), (otherPhone, \.otherPhone),
                (radioCallSign, \.radioCallSign), (email, \.email), (emergencyContactName, \.emergencyContactName),
                (emergencyContactPhone, \.emergencyContactPhone), (arrival, \.arrival),
                (plannedDeparture, \.plannedDeparture), (residenceSiteId, \.residence),
                (assemblyPointSiteId, \.assemblyPoint), (relocationGroup, \.relocationGroup),
                (relocationPriority.map(String.init), \.relocationPriority), (accountId, \.account),
                (externalId, \.externalID),
            ]
            for (value, field) in pairs { if let value { input[keyPath: field] = value } }
            return input
        }
    }
    struct LocationInput: Content {
        let siteId: String?; let areaPcode: String?; let latitude: Double?; let longitude: Double?
        let precisionM: Double?; let note: String?
        var input: Domain.LocationInput {
            var input = Domain.LocationInput(
                site: siteId ?? "", area: areaPcode ?? "", latitude: latitude.map { String($0) } ?? "",
                longitude: longitude.map { String($0) } ?? "")
            input.precision = precisionM.map { String($0) } ?? ""
            input.note = note ?? ""
            return input
        }
    }
    struct PersonWhereabouts: Content { let current: Location?; let freshness: String; let history: [Location] }
    struct HeadcountGroup: Content { let key: String; let total: Int; let stale: Int }
    struct HeadcountPerson: Content { let id: PersonID; let fullName: String; let confirmedAt: Date? }
    struct Headcount: Content {
        let total: Int; let staleAfterHours: Int; let byPhase: [HeadcountGroup]; let byArea: [HeadcountGroup]
        let bySite: [HeadcountGroup]; let stale: [HeadcountPerson]; let unknown: [HeadcountPerson]
    }
}

/// `/api/v1/operations/{code}/people…`: the personnel register through the API, with the same
/// reach as the pages (`AccessPolicy.personnelScope`), every read of personal data audited.
struct PeopleAPI {
    static let notFound = APIError(.notFound, code: "not_found", "No such person.")

    func context(_ req: Request, keepers: Bool = false) async throws -> PersonnelContext {
        do {
            return try await PersonnelContext.load(req, keepers: keepers)
        } catch let error as PageError where error.status == .forbidden {
            throw APIError(.forbidden, code: "forbidden", "Your role does not reach the personnel register.")
        } catch is PageError {
            throw APIError(.notFound, code: "not_found", "No such operation.")
        }
    }

    func list(_ req: Request) async throws -> APIDTO.PersonList {
        let p = try await context(req)
        if let left = req.query[String.self, at: "left"], left != "yes" {
            throw APIError(.badRequest, code: "bad_parameter", "left: only 'yes' (also those who left the operation).")
        }
        let store = PersonStore(req.db)
        let people = try await store.all(
            in: p.scope,
            filter: .init(search: req.queryText("q"), includeLeft: req.query[String.self, at: "left"] == "yes"))
        try await store.recordView(of: people.map(\.id), what: "api_list", scope: p.scope, now: req.now)
        let places = try await PersonnelPlaces.load(req, p)
        return APIDTO.PersonList(
            items: people.map { APIDTO.Person($0, freshness: places.freshness($0.location)) }, total: people.count)
    }

    func show(_ req: Request) async throws -> Response {
        let (p, person) = try await load(req)
        try await PersonStore(req.db).recordView(of: [person.id], what: "api_person", scope: p.scope, now: req.now)
        let places = try await PersonnelPlaces.load(req, p)
        return try await APIVersioning.tagged(
            APIDTO.Person(person, freshness: places.freshness(person.location)),
            version: EditVersion.token(person.updatedAt), req)
    }

    func create(_ req: Request) async throws -> Response {
        let p = try await context(req, keepers: true)
        let body = try req.apiBody(APIDTO.PersonInput.self)
        let draft = try body.applied(to: Domain.PersonInput()).decoded(clock: p.operation.time, country: p.country)
        let person = try await PersonStore(req.db).create(draft, scope: p.scope, now: req.now)
        return try await APIVersioning.tagged(
            APIDTO.Person(person, freshness: .unknown), version: EditVersion.token(person.updatedAt), status: .created,
            req)
    }

    func update(_ req: Request) async throws -> Response {
        let (p, person) = try await load(req)
        let version = try req.ifMatch()
        let body = try req.apiBody(APIDTO.PersonInput.self)
        let draft = try body.applied(to: Domain.PersonInput(person.draft, clock: p.operation.time))
            .decoded(clock: p.operation.time, country: p.country)
        do {
            let saved = try await PersonStore(req.db).update(
                person.id, with: draft, scope: p.scope, expecting: version, now: req.now)
            let places = try await PersonnelPlaces.load(req, p)
            return try await APIVersioning.tagged(
                APIDTO.Person(saved, freshness: places.freshness(saved.location)),
                version: EditVersion.token(saved.updatedAt), req)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let current = try await PersonStore(req.db).find(person.id, in: p.scope)
            throw APIVersioning.stale(current.map { EditVersion.token($0.updatedAt) } ?? "")
        }
    }

    func whereabouts(_ req: Request) async throws -> APIDTO.PersonWhereabouts {
        let (p, person) = try await load(req)
        let store = PersonStore(req.db)
        try await store.recordView(of: [person.id], what: "api_location", scope: p.scope, now: req.now)
        let places = try await PersonnelPlaces.load(req, p)
        return APIDTO.PersonWhereabouts(
            current: person.location.map(APIDTO.Location.init), freshness: places.freshness(person.location).rawValue,
            history: try await store.history(of: person.id, in: p.scope).map(APIDTO.Location.init))
    }

    func confirmLocation(_ req: Request) async throws -> Response {
        let (p, person) = try await load(req)
        let body = try req.apiBody(APIDTO.LocationInput.self)
        let own = person.draft.userID == p.context.viewer.userID
        let location = try await PersonnelLocations.confirm(
            body.input, of: person.id, source: own ? .person : .radioRoom, p: p, req: req)
        return try await APIDTO.Location(location).encodeResponse(status: .created, for: req)
    }

    func headcount(_ req: Request) async throws -> APIDTO.Headcount {
        let p = try await context(req, keepers: true)
        let store = PersonStore(req.db)
        let people = try await store.all(in: p.scope)
        let places = try await PersonnelPlaces.load(req, p)
        let count = places.headcount(people)
        try await store.recordView(
            of: (count.stale + count.unknown).map(\.personID), what: "api_headcount", scope: p.scope, now: req.now)
        func groups(_ list: [Headcount.Group]) -> [APIDTO.HeadcountGroup] {
            list.map { .init(key: $0.key, total: $0.total, stale: $0.stale) }
        }
        func named(_ list: [Headcount.Entry]) -> [APIDTO.HeadcountPerson] {
            list.map { .init(id: $0.personID, fullName: $0.name, confirmedAt: $0.confirmedAt) }
        }
        return APIDTO.Headcount(
            total: count.total, staleAfterHours: places.staleAfterHours, byPhase: groups(count.byPhase),
            byArea: groups(count.byArea), bySite: groups(count.bySite), stale: named(count.stale),
            unknown: named(count.unknown))
    }

    func load(_ req: Request) async throws -> (PersonnelContext, PersonRecord) {
        let p = try await context(req)
        guard let id = req.pathID(as: PersonID.self), let person = try await PersonStore(req.db).find(id, in: p.scope)
        else { throw Self.notFound }
        return (p, person)
    }
}

extension APIDTO {
    struct CheckIn: Content {
        let kind: String; let waypoint: Int?; let at: Date; let recordedBy: UserID?; let source: String
        let latitude: Double?; let longitude: Double?; let note: String
        init(_ c: MovementRecord.CheckIn) {
            kind = c.kind.rawValue; waypoint = c.waypoint; at = c.at; recordedBy = c.recordedBy
            source = c.source.rawValue; latitude = c.latitude; longitude = c.longitude; note = c.note
        }
    }
    struct MovementApproval: Content {
        let authority: String; let userId: UserID?; let at: Date
    }
    struct Movement: Content {
        let id: MovementID; let number: Int; let purpose: String; let status: String; let overdue: Bool
        let passengers: [PersonID]; let driverId: PersonID?; let vehicles: String; let route: [RoutePoint]
        let routeAreas: [String]; let departure: Date; let expectedArrival: Date; let radioChannel: String
        let satellitePhone: String; let highestPhase: String?; let requiredApprovals: [String]
        let approvals: [MovementApproval]; let refusals: [String]; let checkIns: [CheckIn]; let updatedAt: Date
        init(_ m: MovementRecord, overdue: Bool) {
            id = m.id; number = m.number; purpose = m.draft.purpose; status = m.status.rawValue
            self.overdue = overdue; passengers = m.draft.passengers; driverId = m.draft.driver
            vehicles = m.draft.vehicles; route = m.draft.route; routeAreas = m.routeAreas
            departure = m.draft.departureAt; expectedArrival = m.draft.expectedArrivalAt
            radioChannel = m.draft.radioChannel; satellitePhone = m.draft.satellitePhone
            highestPhase = m.highestPhase; requiredApprovals = m.requiredApprovals.map(\.rawValue).sorted()
            approvals = m.approvals.map { .init(authority: $0.authority.rawValue, userId: $0.userID, at: $0.at) }
            refusals = m.refusals.map(Self.refusal)
            checkIns = m.checkIns.map(CheckIn.init); updatedAt = m.updatedAt
        }
        /// A refusal as a code and whom or where it concerns: "not_briefed:<person>", "forbidden:SD02:red".
        static func refusal(_ r: MovementRefusal) -> String {
            switch r {
            case .notBriefed(let p): "not_briefed:\(p.uuidString)"
            case .lacksTraining(let p, let course): "lacks_training:\(p.uuidString):\(course)"
            case .noTravelBriefing(let p, let area): "no_travel_briefing:\(p.uuidString):\(area)"
            case .forbidden(let area, let phase): "forbidden:\(area):\(phase)"
            }
        }
    }
    struct MovementList: Content { let items: [Movement]; let total: Int }
    struct MovementRequest: Content {
        let purpose: String?; let passengers: [String]?; let driverId: String?; let vehicles: String?
        let route: [String]?; let departure: String?; let expectedArrival: String?; let radioChannel: String?
        let satellitePhone: String?
        var values: Domain.MovementInput {
            var v = Domain.MovementInput()
            v.purpose = purpose ?? ""
            v.passengers = passengers ?? []
            v.driver = driverId ?? ""
            v.vehicles = vehicles ?? ""
            v.route = route ?? []
            v.departure = departure ?? ""
            v.expectedArrival = expectedArrival ?? ""
            v.radioChannel = radioChannel ?? ""
            v.satellitePhone = satellitePhone ?? ""
            return v
        }
    }
    struct CheckInInput: Content {
        let kind: String; let waypoint: Int?; let latitude: Double?; let longitude: Double?; let note: String?
    }
}

/// `/api/v1/operations/{code}/movements…`: the movement board, requests and check-ins, with the
/// pages' reach and rules (the same decision, the same store).
struct MovementAPI {
    func list(_ req: Request) async throws -> APIDTO.MovementList {
        let p = try await PeopleAPI().context(req)
        let settings = try await SettingsStore(req.db).load(MovementSettings.self, operationID: p.operation.id)
        let board = try await MovementStore(req.db).board(
            in: p.scope, closedSince: req.now.addingTimeInterval(-2 * 86_400))
        return APIDTO.MovementList(
            items: board.map {
                APIDTO.Movement($0, overdue: $0.isOverdue(now: req.now, graceMinutes: settings.graceMinutes))
            },
            total: board.count)
    }

    func create(_ req: Request) async throws -> Response {
        let p = try await PeopleAPI().context(req)
        let body = try req.apiBody(APIDTO.MovementRequest.self)
        let draft = try body.values.decoded(clock: p.operation.time)
        let movement = try await MovementService(req: req, p: p).request(draft)
        return try await APIDTO.Movement(movement, overdue: false).encodeResponse(status: .created, for: req)
    }

    func show(_ req: Request) async throws -> APIDTO.Movement {
        let (p, movement) = try await load(req)
        let settings = try await SettingsStore(req.db).load(MovementSettings.self, operationID: p.operation.id)
        return APIDTO.Movement(movement, overdue: movement.isOverdue(now: req.now, graceMinutes: settings.graceMinutes))
    }

    func checkIns(_ req: Request) async throws -> [APIDTO.CheckIn] {
        try await load(req).1.checkIns.map(APIDTO.CheckIn.init)
    }

    func checkIn(_ req: Request) async throws -> Response {
        let (p, movement) = try await load(req)
        let body = try req.apiBody(APIDTO.CheckInInput.self)
        guard let kind = CheckInKind(rawValue: body.kind) else {
            throw APIError(
                .unprocessableEntity, code: "invalid", "kind: one of departed, waypoint, arrived.",
                details: [.init(field: "kind", message: "Unknown check-in '\(body.kind)'.")])
        }
        var area: String?
        if let lat = body.latitude, let lon = body.longitude {
            _ = try LocationInput(latitude: String(lat), longitude: String(lon)).decoded()
            area = try await MapService(request: req).resolveArea(operation: p.operation, latitude: lat, longitude: lon)
        }
        let saved = try await MovementStore(req.db).checkIn(
            kind, waypoint: body.waypoint, latitude: body.latitude, longitude: body.longitude, areaPcode: area,
            note: body.note ?? "", source: .api, of: movement.id, scope: p.scope, now: req.now)
        return try await APIDTO.Movement(saved, overdue: false).encodeResponse(status: .created, for: req)
    }

    func load(_ req: Request) async throws -> (PersonnelContext, MovementRecord) {
        let p = try await PeopleAPI().context(req)
        guard let id = req.pathID(as: MovementID.self),
            let movement = try await MovementStore(req.db).find(id, in: p.scope)
        else { throw APIError(.notFound, code: "not_found", "No such movement.") }
        return (p, movement)
    }
}
