import Foundation

/// The population types a displacement figure counts (MIGRATION.md §3.3): UNHCR's codes, and two
/// of our own for what UNHCR does not count, migrants in transit (DTM's category) and a place's
/// whole population (the baseline of COD-PS files, for rates per 100,000).
public enum PopulationType: String, CaseIterable, Sendable, Codable, Hashable {
    case refugees = "REF", asylumSeekers = "ASY", otherInNeedOfProtection = "OIP", idps = "IDP", returnedRefugees =
        "RET"
    case returnedIDPs = "RDP", stateless = "STA", othersOfConcern = "OOC", hostCommunity = "HST"
    case migrantsInTransit = "MIT", totalPopulation = "POP"
    public var labelKey: String { "population_type.\(rawValue.lowercased())" }
}

/// Who published a figure.
public enum FigureSource: String, CaseIterable, Sendable, Codable, Hashable {
    case own, government, dtm, unhcr, other
}

/// How a figure was obtained (DTM's assessment types, a registration, an estimate).
public enum FigureMethod: String, CaseIterable, Sendable, Codable, Hashable {
    case dtmBaseline = "dtm_ba", dtmEventTracking = "dtm_ett", dtmSiteAssessment = "dtm_sa", registration, estimate
}

/// Where a figure counts people: a country (ISO3, or one of UNHCR's own codes), an admin area
/// (P-code), a site, or a place a source names in words.
public struct FigureLocation: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable { case country, adminArea = "admin_area", site, place }
    public var kind: Kind
    public var code: String
    public var name: String
    public init(kind: Kind, code: String, name: String) { self.kind = kind; self.code = code; self.name = name }
}

/// One number of a breakdown, under the label the source gives it ("f_0_4", "Enfants_00_18"):
/// age brackets are kept exactly as published and never converted between schemes.
public struct FigureBin: Sendable, Codable, Hashable {
    public var label: String
    public var count: Int64
    public init(_ label: String, _ count: Int64) { self.label = label; self.count = count }
}

/// A displacement (stock) figure: how many people of a population type were at a location at a
/// date, with its source, method, round and reporting date, and its breakdown as published.
public struct PopulationFigure: Sendable, Hashable {
    /// The file or feed it came from ("unhcr_population"); with `key`, what a re-import updates.
    public var dataset: String
    /// Unique within the dataset: the source's own identity for this number.
    public var key: String
    public var source: FigureSource
    public var method: FigureMethod?
    public var populationType: PopulationType
    public var location: FigureLocation
    public var originISO3: String?
    public var asylumISO3: String?
    public var year: Int
    /// The day the figure describes, when the source gives one (UNHCR's yearly figures do not).
    public var referenceDate: Date?
    public var round: Int?
    public var reportingDate: Date?
    public var total: Int64
    /// The disaggregation scheme the bins belong to ("unhcr", "cod-ps"); nil when not disaggregated.
    public var scheme: String?
    public var breakdown: [FigureBin]

    public init(
        dataset: String, key: String, source: FigureSource, method: FigureMethod? = nil, populationType: PopulationType,
        location: FigureLocation, originISO3: String? = nil, asylumISO3: String? = nil, year: Int,
        referenceDate: Date? = nil,
        round: Int? = nil, reportingDate: Date? = nil, total: Int64, scheme: String? = nil, breakdown: [FigureBin] = []
    ) {
        self.dataset = dataset; self.key = key; self.source = source; self.method = method;
        self.populationType = populationType
        self.location = location; self.originISO3 = originISO3; self.asylumISO3 = asylumISO3; self.year = year
        self.referenceDate = referenceDate; self.round = round; self.reportingDate = reportingDate; self.total = total
        self.scheme = scheme; self.breakdown = breakdown
    }
}

/// Country codes as UNHCR's files give them in their ISO columns: ISO 3166 alpha-3, and the three
/// UNHCR keeps for people no ISO code describes.
public enum PopulationCountries {
    /// UNK: origin unknown; XXA: stateless; TIB: Tibetan (UNHCR's own; MIGRATION.md §2, SOURCES.md).
    public static let unhcrSpecial: Set<String> = ["UNK", "XXA", "TIB"]

    public static func isKnown(_ code: String) -> Bool { Countries.isKnown(code) || unhcrSpecial.contains(code) }
}

/// A figure entered by hand (the operation's own count, or one read off a government or partner
/// report): the same fields as an imported one, checked the same way, in the dataset `own_entries`.
/// Entering the same type, place, day, source, round and origin again corrects the figure.
public struct FigureEntry: Sendable, Hashable {
    public static let dataset = "own_entries"

    public var populationType: PopulationType
    public var location: FigureLocation
    public var referenceDate: Date
    public var total: Int64
    public var source: FigureSource
    public var method: FigureMethod?
    public var round: Int?
    public var reportingDate: Date?
    public var originISO3: String?
    /// UNHCR's sex × age bins (`f_0_4` …), or none.
    public var breakdown: [String: Int64]

    public init(
        populationType: PopulationType, location: FigureLocation, referenceDate: Date, total: Int64,
        source: FigureSource = .own,
        method: FigureMethod? = nil, round: Int? = nil, reportingDate: Date? = nil, originISO3: String? = nil,
        breakdown: [String: Int64] = [:]
    ) {
        self.populationType = populationType; self.location = location; self.referenceDate = referenceDate;
        self.total = total
        self.source = source; self.method = method; self.round = round; self.reportingDate = reportingDate;
        self.originISO3 = originISO3
        self.breakdown = breakdown
    }

    public static let bins = DisaggregationScheme.unhcr.bins

    /// The figure to store, or every problem at once.
    public func validated(now: Date) throws(ValidationErrors) -> PopulationFigure {
        var errors = ValidationErrors()
        if total < 0 { errors.add("total", key: "error.flow_count", "The number of people cannot be negative.") }
        if total > 2_000_000_000 {
            errors.add("total", key: "error.flow_count", "More than two billion people: check the number.")
        }
        let code = location.code.trimmingCharacters(in: .whitespacesAndNewlines)
        if code.isEmpty {
            errors.add(
                "location", key: "error.required",
                "Say where the people are: a P-code, a country code, a site or a place.")
        }
        if code.count > 200 {
            errors.add("location", key: "error.too_long", "The place is longer than 200 characters.")
        }
        if location.kind == .country, !PopulationCountries.isKnown(code.uppercased()) {
            errors.add(
                "location", key: "error.country_code",
                "“\(code)” is not an ISO 3166 alpha-3 country code (or UNK, XXA).")
        }
        let origin = originISO3?.trimmingCharacters(in: .whitespacesAndNewlines).uppercased().nilIfEmpty
        if let origin, !PopulationCountries.isKnown(origin) {
            errors.add(
                "origin_iso3", key: "error.country_code",
                "“\(origin)” is not an ISO 3166 alpha-3 country code (or UNK, XXA).")
        }
        if referenceDate > now.addingTimeInterval(86_400) {
            errors.add("reference_date", key: "error.future", "The figure cannot describe a day in the future.")
        }
        if let reportingDate, reportingDate < referenceDate.addingTimeInterval(-86_399) {
            errors.add(
                "reporting_date", key: "error.figure_reported_before",
                "The figure is reported before the day it describes.")
        }
        if let round, round < 1 { errors.add("round", key: "error.number", "A round is 1 or more.") }
        for label in breakdown.keys where !Self.bins.contains(label) {
            errors.add(
                "breakdown", key: "error.flow_bin",
                "“\(label)” is not one of UNHCR's sex and age bins (f_0_4 … m_other).")
        }
        if breakdown.values.contains(where: { $0 < 0 }) {
            errors.add("breakdown", key: "error.flow_count", "A count cannot be negative.")
        }
        let broken = breakdown.values.saturatingSum()
        if broken > total {
            errors.add(
                "breakdown", key: "error.flow_breakdown",
                "The breakdown by sex and age (\(broken)) is larger than the number of people (\(total)).")
        }
        try errors.throwIfAny()
        let place = FigureLocation(
            kind: location.kind, code: location.kind == .country ? code.uppercased() : code,
            name: location.name.trimmingCharacters(in: .whitespacesAndNewlines))
        let day = DateText.day(referenceDate)
        let bins = Self.bins.compactMap { label in breakdown[label].map { FigureBin(label, $0) } }
        return PopulationFigure(
            dataset: Self.dataset,
            key:
                "\(populationType.rawValue)|\(place.kind.rawValue):\(place.code)|\(day)|\(source.rawValue)|\(round ?? 0)|\(origin ?? "")",
            source: source, method: method, populationType: populationType, location: place, originISO3: origin,
            year: AnalysisPeriods.calendar.component(.year, from: referenceDate), referenceDate: referenceDate,
            round: round,
            reportingDate: reportingDate, total: total, scheme: bins.isEmpty ? nil : "unhcr", breakdown: bins)
    }
}
