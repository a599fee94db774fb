import Foundation

/// One point of a field movement's route: a site, an admin area, or coordinates.
public struct RoutePoint: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, Hashable { case site, area, point }
    public var kind: Kind
    public var siteID: SiteID?
    public var areaPcode: String?
    public var latitude: Double?
    public var longitude: Double?

    public init(site: SiteID) { kind = .site; siteID = site }
    public init(area: String) { kind = .area; areaPcode = area }
    public init(latitude: Double, longitude: Double, area: String? = nil) {
        kind = .point
        self.latitude = latitude
        self.longitude = longitude
        areaPcode = area
    }

    enum CodingKeys: String, CodingKey {
        case kind, latitude, longitude
        case siteID = "site_id", areaPcode = "area_pcode"
    }

    /// "site:UUID", "area:SD11", "15.5,36.4": how a form's route field names a point.
    public static func parse(_ text: String) -> RoutePoint? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("site:"), let id = UUID(uuidString: String(t.dropFirst(5))) {
            return RoutePoint(site: SiteID(id))
        }
        if t.hasPrefix("area:") {
            let pcode = String(t.dropFirst(5)).uppercased()
            guard !pcode.isEmpty, pcode.count <= 32, pcode.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            else { return nil }
            return RoutePoint(area: pcode)
        }
        let parts = t.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lat = Double(parts[0]), let lon = Double(parts[1]), (-90...90).contains(lat),
            (-180...180).contains(lon)
        else { return nil }
        return RoutePoint(latitude: lat, longitude: lon)
    }

    public var text: String {
        switch kind {
        case .site: "site:" + (siteID?.uuidString ?? "")
        case .area: "area:" + (areaPcode ?? "")
        case .point:
            DecimalText.fixed(latitude ?? 0, digits: 5) + "," + DecimalText.fixed(longitude ?? 0, digits: 5)
        }
    }
}

/// Where a movement is in its life.
public enum MovementStatus: String, CaseIterable, Sendable, Codable, Hashable {
    /// Waiting for the approvals its route's phases need.
    case requested
    case approved
    /// Refused, with the reasons (a passenger not briefed, a training missing, a forbidden area).
    case refused
    /// Departed, not yet arrived.
    case underway
    case arrived
    case cancelled
    public var labelKey: String { "movement_status.\(rawValue)" }
    /// No more check-ins.
    public var isClosed: Bool { self == .refused || self == .arrived || self == .cancelled }
}

/// Who approves a movement through an area of a given phase.
public enum MovementAuthority: String, CaseIterable, Sendable, Codable, Hashable {
    case securityCoordinator = "security_coordinator"
    case seniorManager = "senior_manager"
    case headOfGSU = "head_of_gsu"
    public var labelKey: String { "movement_authority.\(rawValue)" }
}

/// The field-movement rules per phase, as an operation setting with IFRC's defaults (SECURITY.md
/// §3.1.9: travel to Orange or Red needs an RSC or GSU briefing first; Red needs GSU approval).
public struct MovementSettings: Sendable, Hashable, SettingsGroup {
    public struct Rule: Sendable, Hashable, Codable {
        public var approvals: Set<MovementAuthority>
        /// Every passenger needs an RSC or GSU briefing for the area first.
        public var travelBriefing: Bool
        /// No movement through such an area at all.
        public var forbidden: Bool
        public init(approvals: Set<MovementAuthority> = [], travelBriefing: Bool = false, forbidden: Bool = false) {
            self.approvals = approvals
            self.travelBriefing = travelBriefing
            self.forbidden = forbidden
        }
        enum CodingKeys: String, CodingKey {
            case approvals, forbidden
            case travelBriefing = "travel_briefing"
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            approvals = try c.decodeIfPresent(Set<MovementAuthority>.self, forKey: .approvals) ?? []
            travelBriefing = try c.decodeIfPresent(Bool.self, forKey: .travelBriefing) ?? false
            forbidden = try c.decodeIfPresent(Bool.self, forKey: .forbidden) ?? false
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(approvals.map(\.rawValue).sorted(), forKey: .approvals)
            try c.encode(travelBriefing, forKey: .travelBriefing)
            try c.encode(forbidden, forKey: .forbidden)
        }
    }

    public enum Key: String, CaseIterable, Sendable, SettingsKey {
        case rules = "movement_rules"
        case graceMinutes = "movement_grace_minutes"
        case travelBriefingDays = "travel_briefing_valid_days"
    }

    /// Phase key → rule; a phase not listed needs nothing.
    public var rules: [String: Rule]
    /// How long after the expected arrival a movement is overdue.
    public var graceMinutes: Int
    /// How long a travel briefing counts for travel to its area.
    public var travelBriefingDays: Int

    public init(rules: [String: Rule], graceMinutes: Int, travelBriefingDays: Int) {
        self.rules = rules
        self.graceMinutes = graceMinutes
        self.travelBriefingDays = travelBriefingDays
    }

    public static let defaults = MovementSettings(
        rules: [
            "orange": Rule(approvals: [.securityCoordinator], travelBriefing: true),
            "red": Rule(approvals: [.securityCoordinator, .headOfGSU], travelBriefing: true),
        ], graceMinutes: 60, travelBriefingDays: 30)

    public func rule(_ phase: String?) -> Rule { phase.flatMap { rules[$0] } ?? Rule() }

    public func json(_ key: Key) -> String {
        switch key {
        case .rules: SettingsJSON.encode(rules)
        case .graceMinutes: String(graceMinutes)
        case .travelBriefingDays: String(travelBriefingDays)
        }
    }

    public func replacing(_ key: Key, json: String) throws(ValidationErrors) -> MovementSettings {
        var next = self
        var errors = ValidationErrors()
        switch key {
        case .rules: next.rules = try SettingsJSON.decode([String: Rule].self, json, field: key.rawValue)
        case .graceMinutes:
            next.graceMinutes = try SettingsJSON.decode(Int.self, json, field: key.rawValue)
            if !(0...1_440).contains(next.graceMinutes) {
                errors.add(key.rawValue, key: "error.settings_invalid", "Between 0 and 1,440 minutes (a day).")
            }
        case .travelBriefingDays:
            next.travelBriefingDays = try SettingsJSON.decode(Int.self, json, field: key.rawValue)
            if !(1...365).contains(next.travelBriefingDays) {
                errors.add(key.rawValue, key: "error.settings_invalid", "Between 1 and 365 days.")
            }
        }
        try errors.throwIfAny()
        return next
    }
}

/// A field movement as requested, checked for its own consistency.
public struct MovementDraft: Sendable, Hashable {
    public var purpose: String
    public var passengers: [PersonID]
    public var driver: PersonID?
    public var vehicles: String
    /// Origin first, destination last, waypoints between.
    public var route: [RoutePoint]
    public var departureAt: Date
    public var expectedArrivalAt: Date
    public var radioChannel: String
    public var satellitePhone: String

    public init(
        purpose: String, passengers: [PersonID], driver: PersonID? = nil, vehicles: String = "", route: [RoutePoint],
        departureAt: Date, expectedArrivalAt: Date, radioChannel: String = "", satellitePhone: String = ""
    ) {
        self.purpose = purpose
        self.passengers = passengers
        self.driver = driver
        self.vehicles = vehicles
        self.route = route
        self.departureAt = departureAt
        self.expectedArrivalAt = expectedArrivalAt
        self.radioChannel = radioChannel
        self.satellitePhone = satellitePhone
    }

    /// Everyone on board: the passengers and the driver, once each.
    public var travellers: [PersonID] {
        var seen = Set<PersonID>()
        return (passengers + [driver].compactMap { $0 }).filter { seen.insert($0).inserted }
    }

    public func validated() throws(ValidationErrors) -> MovementDraft {
        var errors = ValidationErrors()
        var d = self
        d.purpose = purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        d.vehicles = vehicles.trimmingCharacters(in: .whitespacesAndNewlines)
        d.radioChannel = radioChannel.trimmingCharacters(in: .whitespaces)
        d.satellitePhone = satellitePhone.trimmingCharacters(in: .whitespaces)
        if d.purpose.isEmpty || d.purpose.count > 300 {
            errors.add(
                "purpose", key: "error.movement_purpose", "Say what the movement is for (at most 300 characters).")
        }
        if passengers.isEmpty {
            errors.add("passengers", key: "error.movement_passengers", "Choose the passengers from the register.")
        }
        if d.travellers.count > 60 {
            errors.add("passengers", key: "error.movement_passengers", "At most 60 people in one movement.")
        }
        if route.count < 2 {
            errors.add("route", key: "error.movement_route", "Give at least an origin and a destination.")
        }
        if route.count > 12 { errors.add("route", key: "error.movement_route", "At most 10 waypoints.") }
        if expectedArrivalAt <= departureAt {
            errors.add(
                "expected_arrival", key: "error.movement_arrival", "The expected arrival must come after the departure."
            )
        }
        if expectedArrivalAt.timeIntervalSince(departureAt) > 14 * 86_400 {
            errors.add("expected_arrival", key: "error.movement_arrival", "A field movement lasts at most 14 days.")
        }
        for (field, text, limit) in [
            ("vehicles", d.vehicles, 300), ("radio_channel", d.radioChannel, 60),
            ("satellite_phone", d.satellitePhone, 40),
        ] where text.count > limit {
            errors.add(field, key: "error.too_long", "At most \(limit) characters.")
        }
        try errors.throwIfAny()
        return d
    }
}

/// Why a request is refused (SECURITY.md §3.1.9), each naming who or where.
public enum MovementRefusal: Sendable, Hashable, Codable {
    /// A newcomer without the security briefing makes no field movement.
    case notBriefed(PersonID)
    case lacksTraining(PersonID, course: String)
    /// An Orange or Red area without the RSC or GSU briefing for it.
    case noTravelBriefing(PersonID, area: String)
    case forbidden(area: String, phase: String)
}

/// What the decision on a request needs to know of each traveller.
public struct TravellerFacts: Sendable, Hashable {
    public let personID: PersonID
    public let arrivalBriefedAt: Date?
    /// Areas (P-codes) and when each travel briefing for it was given.
    public let travelBriefings: [(area: String?, at: Date)]
    public let trainings: [TrainingRecord]
    public let manager: Bool
    public let category: PersonCategory

    public init(
        personID: PersonID, arrivalBriefedAt: Date?, travelBriefings: [(area: String?, at: Date)],
        trainings: [TrainingRecord], manager: Bool, category: PersonCategory
    ) {
        self.personID = personID
        self.arrivalBriefedAt = arrivalBriefedAt
        self.travelBriefings = travelBriefings
        self.trainings = trainings
        self.manager = manager
        self.category = category
    }

    public static func == (a: TravellerFacts, b: TravellerFacts) -> Bool { a.personID == b.personID }
    public func hash(into hasher: inout Hasher) { hasher.combine(personID) }
}

/// The decision on a movement request: refused with reasons, or the approvals its route needs.
public struct MovementDecision: Sendable, Hashable {
    public let refusals: [MovementRefusal]
    public let approvals: Set<MovementAuthority>
    /// The highest phase the route crosses, by the phases' order.
    public let highestPhase: String?

    /// `areas` are the route's areas with the phase in force in each (nil: none declared), and the
    /// areas that hold each one (a travel briefing for Kassala state counts for a town in it).
    public static func decide(
        travellers: [TravellerFacts], areas: [(pcode: String, phase: String?, lineage: [String])],
        phases: [String], settings: MovementSettings, training: TrainingSettings, departure: Date
    ) -> MovementDecision {
        var refusals: [MovementRefusal] = []
        var approvals = Set<MovementAuthority>()
        let rank = { (phase: String?) in phase.flatMap { phases.firstIndex(of: $0) } ?? -1 }
        let highest = areas.map(\.phase).max { rank($0) < rank($1) } ?? nil
        for area in areas {
            let rule = settings.rule(area.phase)
            if rule.forbidden, let phase = area.phase, !refusals.contains(.forbidden(area: area.pcode, phase: phase)) {
                refusals.append(.forbidden(area: area.pcode, phase: phase))
            }
            approvals.formUnion(rule.approvals)
        }
        let window = Double(settings.travelBriefingDays) * 86_400
        for person in travellers {
            if person.arrivalBriefedAt == nil { refusals.append(.notBriefed(person.personID)) }
            for course in training.required(phase: highest, manager: person.manager, category: person.category)
            where !TrainingGap.gaps(required: [course], records: person.trainings, on: departure).isEmpty {
                refusals.append(.lacksTraining(person.personID, course: course))
            }
            for area in areas where settings.rule(area.phase).travelBriefing {
                let covered = person.travelBriefings.contains { briefing in
                    briefing.at <= departure && departure.timeIntervalSince(briefing.at) <= window
                        && (briefing.area == nil || area.lineage.contains(briefing.area!))
                }
                if !covered && !refusals.contains(.noTravelBriefing(person.personID, area: area.pcode)) {
                    refusals.append(.noTravelBriefing(person.personID, area: area.pcode))
                }
            }
        }
        return MovementDecision(refusals: refusals, approvals: refusals.isEmpty ? approvals : [], highestPhase: highest)
    }
}

/// A check-in on a movement: departed, a waypoint passed, arrived.
public enum CheckInKind: String, CaseIterable, Sendable, Codable, Hashable {
    case departed, waypoint, arrived
    public var labelKey: String { "check_in.\(rawValue)" }
}

/// Who recorded a check-in.
public enum CheckInSource: String, CaseIterable, Sendable, Codable, Hashable {
    case traveller
    case radioRoom = "radio_room"
    case api
    /// An SMS or WhatsApp message triaged from the inbox (issue 21).
    case message
    public var labelKey: String { "check_in_source.\(rawValue)" }
}

/// A movement request as given (the form, the API), as text: the one decoder both share.
public struct MovementInput: Sendable, Codable, Equatable {
    public var purpose = ""
    /// Person ids.
    public var passengers: [String] = []
    public var driver = ""
    public var vehicles = ""
    /// Route points: "site:UUID", "area:PCODE" or "lat,lon"; origin first, empty ones skipped.
    public var route: [String] = ["", "", "", ""]
    /// On the operation's clock, or ISO 8601 with a zone.
    public var departure = ""
    public var expectedArrival = ""
    public var radioChannel = ""
    public var satellitePhone = ""
    public init() {}

    /// The checked draft, every problem named by its field.
    public func decoded(clock: OperationTime) throws(ValidationErrors) -> MovementDraft {
        var errors = ValidationErrors()
        var people: [PersonID] = []
        for text in passengers where !text.isEmpty {
            if let id = UUID(uuidString: text) {
                people.append(PersonID(id))
            } else {
                errors.add("passengers", key: "error.movement_passenger", "“\(text)” is not a person of the register.")
            }
        }
        var driverID: PersonID?
        if !driver.isEmpty {
            if let id = UUID(uuidString: driver) {
                driverID = PersonID(id)
            } else {
                errors.add("driver", key: "error.movement_passenger", "“\(driver)” is not a person of the register.")
            }
        }
        var points: [RoutePoint] = []
        for (index, text) in route.enumerated() where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            if let point = RoutePoint.parse(text) {
                points.append(point)
            } else {
                errors.add(
                    "route", key: "error.movement_route_point",
                    "Point \(index + 1): “\(text)” is neither a site, an area nor coordinates like 15.45, 36.40.")
            }
        }
        let departureAt = clock.time(departure)
        if departureAt == nil { errors.add("departure", key: "error.date", "“\(departure)” is not a date and time.") }
        let arrivalAt = clock.time(expectedArrival)
        if arrivalAt == nil {
            errors.add("expected_arrival", key: "error.date", "“\(expectedArrival)” is not a date and time.")
        }
        let draft = MovementDraft(
            purpose: purpose, passengers: people, driver: driverID, vehicles: vehicles, route: points,
            departureAt: departureAt ?? .distantPast, expectedArrivalAt: arrivalAt ?? .distantFuture,
            radioChannel: radioChannel, satellitePhone: satellitePhone)
        do {
            let checked = try draft.validated()
            try errors.throwIfAny()
            return checked
        } catch {
            errors.merge(error)
            throw errors
        }
    }
}
