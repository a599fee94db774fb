import Foundation

/// One incident as it leaves Bearing (CSV, HXL, GeoJSON exports) or enters it from a generic HXL
/// file: own incidents and context events flattened to the same columns, so a file can carry both
/// and be analysed without Bearing. Never carries who reported an incident.
public struct IncidentExchangeRecord: Sendable, Hashable {
    /// `own`, or the context source's name (`awsd`, `sind`, `acled`, an HXL file's name).
    public var source: String
    /// The incident number for own incidents; the source's id for context events.
    public var id: String
    public var occurredAt: Date
    public var timePrecision: TimePrecision
    public var countryISO3: String?
    public var admin1: String?
    public var admin2: String?
    /// The deepest admin area of the operation the incident lies in.
    public var areaPcode: String?
    public var latitude: Double?
    public var longitude: Double?
    public var geoPrecision: GeoPrecision?
    public var locationType: IncidentLocationType
    public var category: IncidentCategory
    public var subtype: IncidentSubtype?
    public var actorType: ActorType
    public var actorName: String?
    public var means: IncidentMeans
    public var context: IncidentContext
    public var motive: IncidentMotive
    /// Own incidents only: context sources do not grade severity.
    public var severity: IncidentSeverity?
    public var serious: Bool?
    public var verification: VerificationStatus
    /// Own incidents only: reported, verified, analysed or closed.
    public var status: IncidentStatus?
    public var casualties: Casualties
    /// Everyone killed where the source counts people in general, not aid workers (ACLED).
    public var fatalities: Int?
    public var title: String?
    public var description: String?

    public init(
        source: String, id: String, occurredAt: Date, timePrecision: TimePrecision, countryISO3: String? = nil,
        admin1: String? = nil, admin2: String? = nil, areaPcode: String? = nil, latitude: Double? = nil,
        longitude: Double? = nil,
        geoPrecision: GeoPrecision? = nil, locationType: IncidentLocationType = .unknown, category: IncidentCategory,
        subtype: IncidentSubtype? = nil, actorType: ActorType = .unknown, actorName: String? = nil,
        means: IncidentMeans = .unknown,
        context: IncidentContext = .unknown, motive: IncidentMotive = .unknown, severity: IncidentSeverity? = nil,
        serious: Bool? = nil,
        verification: VerificationStatus = .unverified, status: IncidentStatus? = nil,
        casualties: Casualties = Casualties(),
        fatalities: Int? = nil, title: String? = nil, description: String? = nil
    ) {
        self.source = source; self.id = id; self.occurredAt = occurredAt; self.timePrecision = timePrecision
        self.countryISO3 = countryISO3; self.admin1 = admin1; self.admin2 = admin2; self.areaPcode = areaPcode
        self.latitude = latitude; self.longitude = longitude; self.geoPrecision = geoPrecision;
        self.locationType = locationType
        self.category = category; self.subtype = subtype; self.actorType = actorType; self.actorName = actorName
        self.means = means; self.context = context; self.motive = motive; self.severity = severity;
        self.serious = serious
        self.verification = verification; self.status = status; self.casualties = casualties;
        self.fatalities = fatalities
        self.title = title; self.description = description
    }

    /// Everyone harmed: aid workers in every harm, plus the source's general fatalities (ACLED),
    /// which never overlap since a source counts one way or the other.
    public var affectedTotal: Int { casualties.total() + (fatalities ?? 0) }
    public var killedTotal: Int { casualties.total(.killed) + (fatalities ?? 0) }
}
