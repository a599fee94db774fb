import Foundation

/// A tally as given, field by field, before it is checked: what the phone form posts, what the
/// API's JSON says and what a row of an imported file holds, written as text. `draft(now:)` is
/// the one decoder they share, so the same tally gives the same draft, or the same field errors,
/// whichever way it came in.
///
/// Empty text means "not given". Codes are taken as written (an importer folds a file's case
/// itself); an unknown code is an error, never silently dropped. Counts are digits alone
/// (`WholeNumber.parse`), as the phone form's numeric fields send them and the export writes them.
public struct FlowTallyInput: Codable, Sendable, Equatable {
    /// The flow-monitoring point's id.
    public var point = ""
    /// When the count began: a time in UTC ("2026-11-23T06:00", "2026-11-23 06:00", a day alone)
    /// or ISO 8601 with a zone ("2026-11-23T06:00:00Z"), as `DateText.time` reads it.
    public var windowStart = ""
    /// When it ended: a time as above, or a time of day alone ("18:00", UTC) on the start's day,
    /// or on the next when it is at or before the start's time (a night shift, 18:00–06:00).
    /// Empty: the start (a count at one moment).
    public var windowEnd = ""
    /// incoming, outgoing or transit.
    public var direction = ""
    public var total = ""
    /// Bin (`f`, `m`, or UNHCR's `f_0_4` … `m_other`) → people; the scheme is the bins given.
    public var bins: [String: String] = [:]
    /// ISO3, or UNHCR's UNK and XXA.
    public var nationality = ""
    public var originCountry = ""
    /// A P-code or a place's name, as are the three below.
    public var originArea = ""
    public var lastTransit = ""
    public var nextDestination = ""
    public var finalDestination = ""
    public var transport = ""
    /// Situation (`uasc`, `older_people`, …) → people.
    public var vulnerable: [String: String] = [:]
    public var reasons: [String] = []
    public var notes = ""

    public init() {}

    /// The input that gives back a tally (its times to the second).
    public init(_ d: FlowObservationDraft) {
        point = d.pointID.uuidString
        windowStart = d.windowStart.ISO8601Format()
        windowEnd = d.windowEnd.ISO8601Format()
        direction = d.direction.rawValue
        total = String(d.total)
        bins = d.bins.mapValues { String($0) }
        nationality = d.nationality ?? ""
        originCountry = d.originCountry ?? ""
        originArea = d.originArea ?? ""
        lastTransit = d.lastTransit ?? ""
        nextDestination = d.nextDestination ?? ""
        finalDestination = d.finalDestination ?? ""
        transport = d.transport?.rawValue ?? ""
        vulnerable = Dictionary(uniqueKeysWithValues: d.vulnerable.map { ($0.key.rawValue, String($0.value)) })
        reasons = MovementReason.allCases.filter(d.reasons.contains).map(\.rawValue)
        notes = d.notes
    }

    /// Every bin a tally may name: the two sexes, and UNHCR's sex × age.
    public static let knownBins = DisaggregationScheme.sex.bins + DisaggregationScheme.unhcr.bins

    /// The checked draft; every problem at once, each named by its field (`point`, `window_start`,
    /// `window_end`, `direction`, `total`, `bins`, `vulnerable[uasc]`, `transport`, `reasons`, …),
    /// then the draft's own rules (`FlowObservationDraft.validated`) for the fields still clean.
    /// A time without a zone is on `clock` (the operation's, for the form; UTC for the API and imports).
    public func draft(now: Date, clock: OperationTime = .utc) throws(ValidationErrors) -> FlowObservationDraft {
        var errors = ValidationErrors()
        func given(_ text: String) -> String? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        func count(_ text: String, _ field: String, in label: String? = nil) -> Int? {
            guard let trimmed = given(text) else { return nil }
            if let value = WholeNumber.parse(trimmed) { return value }
            let place = label.map { "\($0): " } ?? ""
            errors.add(field, key: "error.number", "\(place)“\(trimmed)” is not a whole number.")
            return nil
        }

        let pointText = given(point)
        let pointID = pointText.flatMap(UUID.init(uuidString:)).map(SiteID.init(rawValue:))
        if pointID == nil {
            let message = pointText.map { "“\($0)” is not a flow-monitoring point's id." }
            errors.add("point", key: "error.flow_point", message ?? "Choose the flow-monitoring point.")
        }

        var start: Date?
        if let text = given(windowStart) {
            start = clock.time(text)
            if start == nil {
                errors.add(
                    "window_start", key: "error.datetime",
                    "“\(text)” is not a date and time such as 2026-11-23T06:00Z.")
            }
        } else {
            errors.add("window_start", key: "error.datetime", "Say when the count began, e.g. 2026-11-23T06:00Z.")
        }
        var end = start
        if let text = given(windowEnd) {
            if !text.contains("-") {
                // A time of day alone: placed once the start is known (its error is said already).
                end = start.flatMap { start in
                    clock.time(clock.day(start) + "T" + text)
                        .map { $0 > start ? $0 : $0.addingTimeInterval(86_400) }
                }
                if start != nil, end == nil {
                    errors.add("window_end", key: "error.datetime", "“\(text)” is not a time of day such as 18:00.")
                }
            } else {
                end = clock.time(text)
                if end == nil {
                    errors.add(
                        "window_end", key: "error.datetime",
                        "“\(text)” is not a date and time such as 2026-11-23T18:00Z.")
                }
            }
        }

        var direction: FlowDirection?
        if let text = given(self.direction) {
            direction = FlowDirection(rawValue: text)
            if direction == nil {
                errors.add("direction", key: "error.choice", "“\(text)” is not incoming, outgoing or transit.")
            }
        } else {
            errors.add("direction", key: "error.choose", "Choose incoming, outgoing or transit.")
        }

        let total = count(self.total, "total")
        if given(self.total) == nil { errors.add("total", key: "error.required", "Give the number of people.") }

        var bins: [String: Int] = [:]
        for (bin, text) in self.bins.sorted(by: { $0.key < $1.key }) where given(text) != nil {
            guard Self.knownBins.contains(bin) else {
                errors.add("bins", key: "error.flow_bin", "“\(bin)” is not a bin: f and m, or UNHCR's f_0_4 … m_other.")
                continue
            }
            if let value = count(text, "bins", in: bin) { bins[bin] = value }
        }
        var vulnerable: [FlowVulnerability: Int] = [:]
        for (key, text) in self.vulnerable.sorted(by: { $0.key < $1.key }) where given(text) != nil {
            guard let situation = FlowVulnerability(rawValue: key) else {
                let known = FlowVulnerability.allCases.map(\.rawValue).joined(separator: ", ")
                errors.add("vulnerable", key: "error.choice", "“\(key)” is not a situation: \(known).")
                continue
            }
            if let value = count(text, "vulnerable[\(key)]") { vulnerable[situation] = value }
        }

        var transport: TransportMode?
        if let text = given(self.transport) {
            transport = TransportMode(rawValue: text)
            if transport == nil { errors.add("transport", key: "error.choice", "“\(text)” is not a transport mode.") }
        }
        var reasons = Set<MovementReason>()
        for text in self.reasons.compactMap(given) {
            if let reason = MovementReason(rawValue: text) {
                reasons.insert(reason)
            } else {
                errors.add("reasons", key: "error.choice", "“\(text)” is not a reason for moving.")
            }
        }

        // What could not be read stands in for itself without a second error: a missing total is
        // as large as any breakdown, a missing window is the moment given (or now).
        let from = start ?? end ?? now
        let draft = FlowObservationDraft(
            pointID: pointID ?? Self.noPoint, windowStart: from, windowEnd: end ?? from,
            direction: direction ?? .incoming,
            total: total ?? 1_000_000, scheme: DisaggregationScheme.inferred(from: bins), bins: bins,
            nationality: nationality, originCountry: originCountry, originArea: originArea, lastTransit: lastTransit,
            nextDestination: nextDestination, finalDestination: finalDestination, transport: transport,
            vulnerable: vulnerable, reasons: reasons, notes: notes)
        // The draft's own rules run too, so every problem shows at once (one message a field).
        let checked: FlowObservationDraft
        do { checked = try draft.validated(now: now) } catch {
            errors.merge(error)
            throw errors
        }
        try errors.throwIfAny()
        return checked
    }

    /// Stands in for a point that was not given; never stored (the decoder has said so).
    static let noPoint = SiteID(rawValue: UUID(uuidString: "00000000-0000-0000-0000-000000000000")!)
}
