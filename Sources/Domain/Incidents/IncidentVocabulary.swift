/// The controlled vocabularies of an incident report (SECURITY.md §3.1.5, §3.4). Raw values are
/// what is stored and exchanged; `labelKey` names the catalogue string shown to people.

/// IFRC incident categories: Bearing's primary taxonomy. External sources (AWSD, SiND, ACLED) are
/// mapped onto these and keep their own values beside them.
public enum IncidentCategory: String, CaseIterable, Sendable, Codable, Hashable {
    /// Crimes involving Federation personnel or property.
    case crime
    /// Threats with weapons or acts of violence.
    case violence
    /// Harassment or threatening behaviour.
    case harassment
    /// Acts of war: shelling, mines, gunfire, military aggression.
    case actOfWar = "act_of_war"
    /// Looting, attacks on property, vandalism.
    case propertyAttack = "property_attack"
    /// Any vehicle accident, regardless of seriousness.
    case vehicleAccident = "vehicle_accident"
    /// Relocation of delegates.
    case relocation
    /// Personnel involved in unlawful activities.
    case unlawfulActivity = "unlawful_activity"
    /// Breaches of security regulations.
    case securityBreach = "security_breach"

    public var labelKey: String { "incident_category.\(rawValue)" }

    /// The sub-types a report may name under this category.
    public var subtypes: [IncidentSubtype] { IncidentSubtype.allCases.filter { $0.category == self } }
}

/// Sub-types, each under exactly one category.
public enum IncidentSubtype: String, CaseIterable, Sendable, Codable, Hashable {
    case theft, burglary, robbery, carjacking, kidnapping, fraud
    case armedThreat = "armed_threat", bodilyAssault = "bodily_assault", shooting, sexualViolence = "sexual_violence"
    case explosiveAttack = "explosive_attack", killing
    case verbalThreat = "verbal_threat", intimidation, sexualHarassment = "sexual_harassment", extortion
    case shelling, aerialBombardment = "aerial_bombardment", landmineUXO = "landmine_uxo", crossfire,
        militaryAggression = "military_aggression"
    case looting, attackOnProperty = "attack_on_property", vandalism, arson
    case collision, rollover, pedestrianStruck = "pedestrian_struck", singleVehicle = "single_vehicle"
    case relocationOrdered = "relocation_ordered", evacuation, hibernation
    case arrestOrDetention = "arrest_or_detention", misconduct, smuggling
    case curfewBreach = "curfew_breach", movementRules = "movement_rules", communicationsProtocol =
        "communications_protocol"
    case informationSecurity = "information_security"

    public var category: IncidentCategory {
        switch self {
        case .theft, .burglary, .robbery, .carjacking, .kidnapping, .fraud: .crime
        case .armedThreat, .bodilyAssault, .shooting, .sexualViolence, .explosiveAttack, .killing: .violence
        case .verbalThreat, .intimidation, .sexualHarassment, .extortion: .harassment
        case .shelling, .aerialBombardment, .landmineUXO, .crossfire, .militaryAggression: .actOfWar
        case .looting, .attackOnProperty, .vandalism, .arson: .propertyAttack
        case .collision, .rollover, .pedestrianStruck, .singleVehicle: .vehicleAccident
        case .relocationOrdered, .evacuation, .hibernation: .relocation
        case .arrestOrDetention, .misconduct, .smuggling: .unlawfulActivity
        case .curfewBreach, .movementRules, .communicationsProtocol, .informationSecurity: .securityBreach
        }
    }

    public var labelKey: String { "incident_subtype.\(rawValue)" }
}

/// Who acted (after AWSD's actor types, which ACLED's inter codes map onto).
public enum ActorType: String, CaseIterable, Sendable, Codable, Hashable {
    case unknown
    case hostState = "host_state"
    case policeOrParamilitary = "police_or_paramilitary"
    case nonStateArmedGroup = "non_state_armed_group"
    case foreignForces = "foreign_forces"
    case criminal
    case communityMembers = "community_members"
    case aidRecipient = "aid_recipient"
    case staffMember = "staff_member"
    case unaffiliated
    case none  // an accident or hazard: nobody acted

    public var labelKey: String { "actor_type.\(rawValue)" }
}

/// Means or weapon (after AWSD "Means of attack" and SiND "Weapon").
public enum IncidentMeans: String, CaseIterable, Sendable, Codable, Hashable {
    case unknown, firearm, bladedWeapon = "bladed_weapon", bodilyForce = "bodily_force", explosive
    case aerialBombardment = "aerial_bombardment", shelling, landmine, vehicle, arson, threatOnly = "threat_only"
    case none

    public var labelKey: String { "incident_means.\(rawValue)" }
}

/// The circumstances (AWSD "Attack context").
public enum IncidentContext: String, CaseIterable, Sendable, Codable, Hashable {
    case unknown, ambush, combatOrCrossfire = "combat_or_crossfire", individualAttack = "individual_attack", raid
    case mobViolence = "mob_violence", detention, checkpoint, roadTravel = "road_travel", notApplicable =
        "not_applicable"

    public var labelKey: String { "incident_context.\(rawValue)" }
}

/// Why, as far as known (AWSD "Motive").
public enum IncidentMotive: String, CaseIterable, Sendable, Codable, Hashable {
    case unknown, political, economic, incidental, disputed, other

    public var labelKey: String { "incident_motive.\(rawValue)" }
}

/// The kind of place (AWSD "Location", extended with SiND's).
public enum IncidentLocationType: String, CaseIterable, Sendable, Codable, Hashable {
    case unknown, road, publicLocation = "public_location", projectSite = "project_site", home
    case officeOrCompound = "office_or_compound", warehouse, healthFacility = "health_facility", camp, checkpoint
    case custody, airstrip, openSpace = "open_space"

    public var labelKey: String { "incident_location_type.\(rawValue)" }
}

/// How exactly the time is known (ACLED's 1 = day, 2 = week, 3 = month, plus minute and year).
public enum TimePrecision: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    case minute, day, week, month, year

    public var labelKey: String { "time_precision.\(rawValue)" }
    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// How exactly the place is known (SiND's geo precision, from exact to country).
public enum GeoPrecision: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    case exact, within25km = "within_25km", district, province, country

    public var labelKey: String { "geo_precision.\(rawValue)" }
    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

public enum IncidentSeverity: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    case low, moderate, high, critical

    public var labelKey: String { "incident_severity.\(rawValue)" }
    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// Whether the facts have been confirmed (AWSD "Verified": Yes / Pending / Archived).
public enum VerificationStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case unverified, verified, disputed, archived

    public var labelKey: String { "verification.\(rawValue)" }
}

/// Where the information came from.
public enum IncidentSource: String, CaseIterable, Sendable, Codable, Hashable {
    case staffReport = "staff_report", focalPoint = "focal_point", officialReport = "official_report", media
    case partner, authorities, other

    public var labelKey: String { "incident_source.\(rawValue)" }
}

/// Reports in an incident's timeline (GISF: flash, update, post-incident).
public enum IncidentReportType: String, CaseIterable, Sendable, Codable, Hashable {
    case immediate, update, postIncident = "post_incident"

    public var labelKey: String { "incident_report_type.\(rawValue)" }
}

/// What was hit besides people.
public enum AffectedGroup: String, CaseIterable, Sendable, Codable, Hashable {
    case staff, volunteers, assets, programme

    public var labelKey: String { "affected.\(rawValue)" }
}

/// A code list whose values are shown to people through the catalogue.
public protocol LabelledCode {
    /// The catalogue key of this value's label.
    var labelKey: String { get }
}

extension IncidentCategory: LabelledCode {}
extension IncidentSubtype: LabelledCode {}
extension ActorType: LabelledCode {}
extension IncidentMeans: LabelledCode {}
extension IncidentContext: LabelledCode {}
extension IncidentMotive: LabelledCode {}
extension IncidentLocationType: LabelledCode {}
extension TimePrecision: LabelledCode {}
extension GeoPrecision: LabelledCode {}
extension IncidentSeverity: LabelledCode {}
extension VerificationStatus: LabelledCode {}
extension IncidentSource: LabelledCode {}
extension IncidentReportType: LabelledCode {}
extension AffectedGroup: LabelledCode {}
