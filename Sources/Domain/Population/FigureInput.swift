import Foundation

/// A displacement figure entered by hand, field by field, before it is checked: what the
/// population page's entry form posts and what the API's JSON says, written as text.
/// `draft(now:locate:)` is the one decoder both share, so the same figure gives the same entry, or
/// the same field errors, whichever way it came in.
///
/// Empty text means "not given": the source is then the operation's own count; the type, the
/// place, the day and the number of people must be given. Counts are whole numbers as `WholeNumber`
/// reads them, their thousands possibly grouped ("1,200"); the round is digits alone. The files of
/// UNHCR, DTM, HXL and COD-PS do not come through here: each keeps its publisher's labels and keys
/// (`PopulationReaders`), and shares only the reading of counts.
public struct FigureInput: Codable, Sendable, Equatable {
    /// REF, ASY, IDP, … (any case).
    public var populationType = ""
    /// A P-code or name of the operation's areas, an ISO3 country code, or a place in words: what
    /// the caller's `locate` makes of it.
    public var location = ""
    /// The day the figure describes, e.g. 2026-11-23.
    public var referenceDate = ""
    public var total = ""
    /// own (when empty), government, dtm, unhcr or other.
    public var source = ""
    /// Empty: no method.
    public var method = ""
    public var round = ""
    /// The day it was reported; empty when not known.
    public var reportingDate = ""
    public var originISO3 = ""
    /// UNHCR's sex × age bins (`f_0_4` … `m_other`) → people.
    public var breakdown: [String: String] = [:]

    public init() {}

    /// The input that gives back an entry: its place as the code (a country, an area) or the words.
    public init(_ entry: FigureEntry) {
        populationType = entry.populationType.rawValue
        location = entry.location.kind == .place ? entry.location.name : entry.location.code
        referenceDate = DateText.day(entry.referenceDate)
        total = String(entry.total)
        source = entry.source.rawValue
        method = entry.method?.rawValue ?? ""
        round = entry.round.map { String($0) } ?? ""
        reportingDate = entry.reportingDate.map(DateText.day) ?? ""
        originISO3 = entry.originISO3 ?? ""
        breakdown = entry.breakdown.mapValues { String($0) }
    }

    /// The checked entry; every problem at once, each named by its field (`population_type`,
    /// `location`, `reference_date`, `total`, `source`, `method`, `round`, `reporting_date`,
    /// `origin_iso3`, `breakdown`), then the entry's own rules (`FigureEntry.validated`) for the
    /// fields still clean. `locate` finds the place the text names (it is not called for none).
    public func draft(now: Date, locate: (String) -> FigureLocation) throws(ValidationErrors) -> FigureEntry {
        var errors = ValidationErrors()
        func given(_ text: String) -> String? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        func day(_ text: String, _ field: String) -> Date? {
            guard let trimmed = given(text) else { return nil }
            if let date = DateText.day(trimmed) { return date }
            errors.add(field, key: "error.query_date", "“\(trimmed)” is not a date (YYYY-MM-DD).")
            return nil
        }
        // People may be written with their thousands grouped ("1,200"), as reports print them; a round may not.
        func count(_ text: String, _ field: String, in label: String? = nil, grouped: Bool = true) -> Int? {
            guard let trimmed = given(text) else { return nil }
            let value = grouped ? WholeNumber.parse(grouped: trimmed) : WholeNumber.parse(trimmed)
            if let value { return value }
            let place = label.map { "\($0): " } ?? ""
            errors.add(field, key: "error.number", "\(place)“\(trimmed)” is not a whole number.")
            return nil
        }
        func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ field: String) -> T?
        where T.RawValue == String {
            guard let trimmed = given(text) else { return nil }
            if let value = T(rawValue: trimmed) { return value }
            errors.add(
                field, key: "error.choose",
                "Unknown \(field) '\(trimmed)'; one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")).")
            return nil
        }

        let type = given(populationType).flatMap { PopulationType(rawValue: $0.uppercased()) }
        if type == nil {
            let known = PopulationType.allCases.map(\.rawValue).joined(separator: ", ")
            errors.add(
                "population_type", key: "error.population_type",
                "“\(populationType)” is not a population type (\(known)).")
        }
        // No place given stays empty, for the entry's rule to name (`location`).
        var place = FigureLocation(kind: .place, code: "", name: "")
        if let text = given(location) { place = locate(text) }
        let reference = day(referenceDate, "reference_date")
        if given(referenceDate) == nil {
            errors.add("reference_date", key: "error.required", "Give the day the figure describes.")
        }
        let total = count(self.total, "total")
        if given(self.total) == nil { errors.add("total", key: "error.required", "Give the number of people.") }
        let source: FigureSource? = choice(self.source, "source")
        let method: FigureMethod? = choice(self.method, "method")
        let round = count(self.round, "round", grouped: false)
        let reported = day(reportingDate, "reporting_date")
        var bins: [String: Int64] = [:]
        for (label, text) in breakdown.sorted(by: { $0.key < $1.key }) {
            if let value = count(text, "breakdown", in: label) { bins[label] = Int64(value) }
        }

        // What could not be read stands in for itself without a second error: a missing total is
        // as large as any breakdown, a missing day is the day it was reported (or today).
        let entry = FigureEntry(
            populationType: type ?? .idps, location: place, referenceDate: reference ?? reported ?? now,
            total: total.map { Int64($0) } ?? 2_000_000_000, source: source ?? .own, method: method, round: round,
            reportingDate: reported, originISO3: given(originISO3)?.uppercased(), breakdown: bins)
        // The entry's own rules run too, so every problem shows at once (one message a field).
        do { _ = try entry.validated(now: now) } catch {
            errors.merge(error)
            throw errors
        }
        try errors.throwIfAny()
        return entry
    }
}
