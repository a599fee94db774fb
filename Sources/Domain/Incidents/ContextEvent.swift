import Foundation

/// An incident published by someone else (AWSD, Insecurity Insight SiND, ACLED), imported as
/// context: kept apart from the operation's own incidents but analysable with them. The fields
/// Bearing analyses are mapped onto its own vocabularies; every original value is kept as given.
public struct ContextEvent: Sendable, Hashable {
    /// Where events come from: the three published sources Bearing reads natively, or a generic
    /// HXL file, named by the file's name (so two HXL sources stay apart and re-import reconciles).
    public struct Source: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let awsd = Source(rawValue: "awsd")
        public static let sind = Source(rawValue: "sind")
        public static let acled = Source(rawValue: "acled")
        public static let published: [Source] = [.awsd, .sind, .acled]
        /// The name our own incidents go by wherever sources are chosen.
        public static let ownName = "own"
        public var isPublished: Bool { Self.published.contains(self) }
        public var labelKey: String { "context_source.\(rawValue)" }
        public var description: String { rawValue }
        public static func < (a: Source, b: Source) -> Bool { a.rawValue < b.rawValue }
    }

    public var source: Source
    /// The source's own id. Not unique on its own (AWSD 4664 names two incidents); see `key`.
    public var sourceID: String
    /// The start of the period the event is known to: the day, or the 1st of the month or year.
    public var occurredOn: DateComponents
    public var timePrecision: TimePrecision
    /// The country code as the source gives it: ISO alpha-2 (AWSD), alpha-3 (SiND), numeric (ACLED).
    public var countryCode: String?
    public var countryName: String?
    public var admin1: String?
    public var admin2: String?
    public var admin3: String?
    public var latitude: Double?
    public var longitude: Double?
    /// How exactly the place is known, where the source says.
    public var geoPrecision: GeoPrecision?
    public var category: IncidentCategory
    public var subtype: IncidentSubtype?
    public var means: IncidentMeans
    public var context: IncidentContext
    public var locationType: IncidentLocationType
    public var actorType: ActorType
    public var actorName: String?
    public var motive: IncidentMotive
    public var verification: VerificationStatus
    /// Aid workers harmed (AWSD, SiND).
    public var casualties: Casualties
    /// Everyone killed, where the source counts people in general rather than aid workers (ACLED).
    public var fatalities: Int? = nil
    /// ACLED's "Strategic developments" are not coded systematically; trend counts leave them out
    /// by default (ACLED's own advice).
    public var excludedFromTrends = false
    public var description: String?
    /// Every column of the source row, by its header, exactly as given.
    public var original: [String: String]

    public init(
        source: Source, sourceID: String, occurredOn: DateComponents, timePrecision: TimePrecision,
        countryCode: String?,
        countryName: String?, admin1: String?, admin2: String?, admin3: String?, latitude: Double?, longitude: Double?,
        geoPrecision: GeoPrecision?, category: IncidentCategory, subtype: IncidentSubtype?, means: IncidentMeans,
        context: IncidentContext, locationType: IncidentLocationType, actorType: ActorType, actorName: String?,
        motive: IncidentMotive, verification: VerificationStatus, casualties: Casualties, description: String?,
        original: [String: String]
    ) {
        self.source = source; self.sourceID = sourceID; self.occurredOn = occurredOn; self.timePrecision = timePrecision
        self.countryCode = countryCode; self.countryName = countryName; self.admin1 = admin1; self.admin2 = admin2
        self.admin3 = admin3; self.latitude = latitude; self.longitude = longitude; self.geoPrecision = geoPrecision
        self.category = category; self.subtype = subtype; self.means = means; self.context = context
        self.locationType = locationType; self.actorType = actorType; self.actorName = actorName; self.motive = motive
        self.verification = verification; self.casualties = casualties; self.description = description;
        self.original = original
    }

    /// The country as ISO alpha-3, from whichever code the source gives.
    public var countryISO3: String? { countryCode.flatMap(Countries.alpha3(from:)) }

    /// What identifies the event across re-imports of a newer export: the source id with the
    /// date and place, because a source id alone may name two different events.
    public var key: String {
        let day = [occurredOn.year, occurredOn.month, occurredOn.day].map { $0.map(String.init) ?? "-" }.joined(
            separator: "-")
        return [source.rawValue, sourceID, day, countryCode ?? countryName ?? "-"].joined(separator: "|")
    }
}

/// A row the importer could not use, or used with a doubt, named by its record number.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case rejected, warning }
    /// The record number in the file, the header being 1 (a quoted cell may span lines).
    public var row: Int
    public var field: String?
    public var severity: Severity
    public var message: String
    public var description: String { "row \(row)\(field.map { ", \($0)" } ?? ""): \(severity.rawValue): \(message)" }

    public init(row: Int, field: String?, severity: Severity, message: String) {
        self.row = row
        self.field = field
        self.severity = severity
        self.message = message
    }
}
