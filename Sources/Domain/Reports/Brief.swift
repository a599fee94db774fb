import Foundation

/// The documents the HeOps reads (issue 20): generated from live data for a period, edited (the
/// coordinators' recommendations and a narrative), then issued and frozen.
public enum BriefKind: String, CaseIterable, Codable, Sendable, Hashable {
    /// The HeOps weekly brief: both roles and coordination.
    case weekly
    /// The Security Coordinator's report.
    case securitySitrep = "security_sitrep"
    /// The Migration & Displacement Coordinator's report.
    case migrationUpdate = "migration_update"
    /// The end-of-mission handover pack: the state of everything, not what changed.
    case handover

    public var labelKey: String { "brief_kind.\(rawValue)" }

    /// The parts, in the order they are read.
    public var parts: [BriefPart] {
        switch self {
        case .weekly: [.security, .migration, .coordination]
        case .securitySitrep: [.security]
        case .migrationUpdate: [.migration, .coordination]
        case .handover: [.handover]
        }
    }

    /// Whose recommendations the document carries.
    public var recommendations: [BriefRole] {
        switch self {
        case .weekly, .handover: [.security, .migration]
        case .securitySitrep: [.security]
        case .migrationUpdate: [.migration]
        }
    }

    /// Does the document cover a period ("what changed"), or the state at one moment?
    public var hasPeriod: Bool { self != .handover }
}

/// The parts a document is made of; each holds sections.
public enum BriefPart: String, CaseIterable, Codable, Sendable, Hashable {
    case security, migration, coordination, handover
    public var labelKey: String { "brief_part.\(rawValue)" }
}

/// The two advisers whose recommendations a document carries.
public enum BriefRole: String, CaseIterable, Codable, Sendable, Hashable {
    case security, migration
    public var labelKey: String { "brief_recommendations.\(rawValue)" }
}

public enum BriefState: String, CaseIterable, Codable, Sendable, Hashable {
    case draft, issued
    public var labelKey: String { "brief_state.\(rawValue)" }
}

/// The days a document covers, first and last included, on the operation's calendar (each day is
/// stored as its midnight in UTC, as every day in Bearing).
public struct ReportPeriod: Sendable, Hashable, Codable {
    public let first: Date
    public let last: Date

    /// The longest period a document covers: a year.
    public static let maxDays = 366

    /// A period; refused when it ends before it starts or is longer than a year.
    public init(first: Date, last: Date) throws(ValidationErrors) {
        var errors = ValidationErrors()
        if last < first {
            errors.add("period_last", key: "briefs.period_reversed", "The period ends before it starts.")
        } else if Self.days(first, last) > Self.maxDays {
            errors.add("period_last", key: "briefs.period_too_long", "A period is at most \(Self.maxDays) days.")
        }
        try errors.throwIfAny()
        self.first = first
        self.last = last
    }

    /// The period as typed in a form or the API ("2026-11-30" to "2026-12-06").
    public static func read(first: String, last: String) throws(ValidationErrors) -> ReportPeriod {
        var read = FieldReader()
        let start = read.day(first, "period_first")
        let end = read.day(last, "period_last")
        if read.trimmed(first) == nil { read.errors.add("period_first", key: "error.required", "Give the first day.") }
        if read.trimmed(last) == nil { read.errors.add("period_last", key: "error.required", "Give the last day.") }
        try read.errors.throwIfAny()
        return try ReportPeriod(first: start!, last: end!)
    }

    /// The default period of a new document: the days since the last one of its kind ended, up to
    /// today; a week when there is none (or the last ended today or later).
    public static func following(lastEnded: Date?, today: Date) -> ReportPeriod {
        let day: TimeInterval = 86_400
        var first = lastEnded.map { $0.addingTimeInterval(day) } ?? today.addingTimeInterval(-6 * day)
        if first > today { first = today.addingTimeInterval(-6 * day) }
        if days(first, today) > maxDays { first = today.addingTimeInterval(-Double(maxDays - 1) * day) }
        // Both bounds are checked above: this cannot fail.
        return (try? ReportPeriod(first: first, last: today)) ?? ReportPeriod(unchecked: today)
    }

    private init(unchecked day: Date) {
        first = day
        last = day
    }

    /// Days from first to last, both counted.
    public var dayCount: Int { Self.days(first, last) }

    /// The period of the same length just before this one: what "against the previous period" compares with.
    public var previous: ReportPeriod {
        let length = Double(dayCount) * 86_400
        return ReportPeriod(first: first.addingTimeInterval(-length), lastUnchecked: first.addingTimeInterval(-86_400))
    }

    private init(first: Date, lastUnchecked: Date) {
        self.first = first
        self.last = lastUnchecked
    }

    /// The moments the period covers on the operation's clock, [start, end).
    public func instants(_ time: OperationTime) -> (start: Date, end: Date) {
        (time.startOfDay(first), time.startOfDay(last.addingTimeInterval(86_400)))
    }

    private static func days(_ a: Date, _ b: Date) -> Int { Int((b.timeIntervalSince(a) / 86_400).rounded()) + 1 }
}

extension OperationTime {
    /// The moment the operation's day (as stored: its midnight in UTC) begins on its clock.
    public func startOfDay(_ day: Date) -> Date {
        time(DateText.formTime(day)) ?? day
    }
}

/// What the writers of a document give: the period, the language, the narrative and the
/// recommendations. Everything else is generated.
public struct BriefDraft: Sendable, Hashable, Codable {
    public var kind: BriefKind
    public var period: ReportPeriod
    public var language: ProductLanguage
    public var narrative: String
    public var recommendations: [BriefRole: String]

    public init(
        kind: BriefKind, period: ReportPeriod, language: ProductLanguage = .en, narrative: String = "",
        recommendations: [BriefRole: String] = [:]
    ) {
        self.kind = kind
        self.period = period
        self.language = language
        self.narrative = narrative
        self.recommendations = recommendations
    }

    public static let narrativeLimit = 20_000
    public static let recommendationsLimit = 10_000
}

/// A document's fields as typed (the form and the API share it); `decoded` checks them all.
public struct BriefInput: Sendable, Hashable {
    public var kind = ""
    public var periodFirst = ""
    public var periodLast = ""
    public var language = ""
    public var narrative = ""
    public var securityRecommendations = ""
    public var migrationRecommendations = ""

    public init() {}

    public init(_ draft: BriefDraft) {
        kind = draft.kind.rawValue
        periodFirst = DateText.day(draft.period.first)
        periodLast = DateText.day(draft.period.last)
        language = draft.language.rawValue
        narrative = draft.narrative
        securityRecommendations = draft.recommendations[.security] ?? ""
        migrationRecommendations = draft.recommendations[.migration] ?? ""
    }

    public func decoded() throws(ValidationErrors) -> BriefDraft {
        var read = FieldReader()
        let kind = read.choice(kind, "kind", BriefKind.self)
        if read.trimmed(self.kind) == nil { read.errors.add("kind", key: "error.required", "Choose a kind.") }
        let language = read.choice(language, "language", ProductLanguage.self) ?? .en
        let narrative = read.limited(narrative, "narrative", BriefDraft.narrativeLimit) ?? ""
        var recommendations: [BriefRole: String] = [:]
        for (role, text, field) in [
            (BriefRole.security, securityRecommendations, "security_recommendations"),
            (.migration, migrationRecommendations, "migration_recommendations"),
        ] {
            if let value = read.limited(text, field, BriefDraft.recommendationsLimit) { recommendations[role] = value }
        }
        var period: ReportPeriod?
        do { period = try ReportPeriod.read(first: periodFirst, last: periodLast) } catch {
            read.errors.merge(error)
        }
        try read.errors.throwIfAny()
        return BriefDraft(
            kind: kind!, period: period!, language: language, narrative: narrative,
            recommendations: recommendations)
    }
}

/// The generated part of a document: sections of figures, each with its source, date and link,
/// in the document's language. Frozen as it is when the document is issued.
public struct BriefContent: Sendable, Hashable, Codable {
    public var sections: [Section]
    public var generatedAt: Date

    public init(sections: [Section], generatedAt: Date) {
        self.sections = sections
        self.generatedAt = generatedAt
    }

    public struct Section: Sendable, Hashable, Codable {
        /// Stable across issues ("security.incidents"): what the comparison of two issues pairs.
        public var key: String
        public var part: BriefPart
        public var title: String
        public var items: [Item]
        /// The widest audience this section's content may be read by.
        public var floor: AudienceLevel

        public init(key: String, part: BriefPart, title: String, items: [Item], floor: AudienceLevel) {
            self.key = key
            self.part = part
            self.title = title
            self.items = items
            self.floor = floor
        }
    }

    /// A figure (a value, perhaps against the previous period), a table, a chart or a line of text.
    public struct Item: Sendable, Hashable, Codable {
        public var key: String
        public var label: String
        public var value: Double?
        public var display: String?
        public var previous: Double?
        public var previousDisplay: String?
        public var tone: Tone?
        public var source: String?
        public var asOf: String?
        public var link: String?
        public var note: String?
        public var table: Table?
        public var chart: Chart?

        public init(
            key: String, label: String, value: Double? = nil, display: String? = nil, previous: Double? = nil,
            previousDisplay: String? = nil, tone: Tone? = nil, source: String? = nil, asOf: String? = nil,
            link: String? = nil, note: String? = nil, table: Table? = nil, chart: Chart? = nil
        ) {
            self.key = key
            self.label = label
            self.value = value
            self.display = display
            self.previous = previous
            self.previousDisplay = previousDisplay
            self.tone = tone
            self.source = source
            self.asOf = asOf
            self.link = link
            self.note = note
            self.table = table
            self.chart = chart
        }

        /// The change against the previous period, in percent; nil without both, or from nothing.
        public var changePercent: Double? {
            guard let value, let previous, previous != 0 else { return nil }
            return (value - previous) / previous * 100
        }
    }

    /// Whether a figure calls for attention (overdue, raised) or reassures.
    public enum Tone: String, Sendable, Hashable, Codable { case attention, good }

    public struct Table: Sendable, Hashable, Codable {
        public var columns: [String]
        public var rows: [[Cell]]
        /// Rows left out to keep the document short, with the link to all of them.
        public var more: Int
        public init(columns: [String], rows: [[Cell]], more: Int = 0) {
            self.columns = columns
            self.rows = rows
            self.more = more
        }
    }

    public struct Cell: Sendable, Hashable, Codable {
        public var text: String
        public var link: String?
        public init(_ text: String, link: String? = nil) {
            self.text = text
            self.link = link
        }
    }

    /// Bars by period (weeks), one or two series: drawn as SVG on the page and in print.
    public struct Chart: Sendable, Hashable, Codable {
        public var labels: [String]
        public var series: [Series]
        public init(labels: [String], series: [Series]) {
            self.labels = labels
            self.series = series
        }
        public struct Series: Sendable, Hashable, Codable {
            public var name: String
            public var values: [Double]
            public init(name: String, values: [Double]) {
                self.name = name
                self.values = values
            }
        }
    }

    /// The widest audience the whole content may be read by: the narrowest of its sections.
    public var floor: AudienceLevel { sections.map(\.floor).max() ?? .public }

    public func section(_ key: String) -> Section? { sections.first { $0.key == key } }
}

/// What changed between two issues of a series: each figure present in both whose value moved,
/// and the sections or figures one of them lacks.
public struct BriefComparison: Sendable, Hashable {
    public struct Change: Sendable, Hashable {
        public let section: String
        public let label: String
        public let before: String?
        public let after: String?
        public let delta: Double?
    }
    public var changes: [Change] = []
    public var unchanged = 0

    public static func between(_ older: BriefContent, _ newer: BriefContent) -> BriefComparison {
        var result = BriefComparison()
        let before = Dictionary(
            older.sections.flatMap { s in s.items.filter { $0.value != nil }.map { (s.key + "/" + $0.key, $0) } },
            uniquingKeysWith: { a, _ in a })
        var seen: Set<String> = []
        for section in newer.sections {
            for item in section.items where item.value != nil {
                let key = section.key + "/" + item.key
                seen.insert(key)
                guard let old = before[key] else {
                    result.changes.append(
                        Change(
                            section: section.title, label: item.label, before: nil, after: item.display, delta: nil))
                    continue
                }
                if old.value == item.value {
                    result.unchanged += 1
                } else {
                    result.changes.append(
                        Change(
                            section: section.title, label: item.label, before: old.display, after: item.display,
                            delta: (item.value ?? 0) - (old.value ?? 0)))
                }
            }
        }
        for section in older.sections {
            for item in section.items where item.value != nil && !seen.contains(section.key + "/" + item.key) {
                result.changes.append(
                    Change(section: section.title, label: item.label, before: item.display, after: nil, delta: nil))
            }
        }
        return result
    }
}

/// The rules of issuing: once, by someone who may, at an audience no wider than the content allows
/// unless the issuer says so.
public enum BriefWorkflow {
    public enum Refusal: Error, Sendable, Hashable {
        case alreadyIssued
        case audienceWider(allowed: AudienceLevel)
        case restrictedAudience

        public var message: String {
            switch self {
            case .alreadyIssued: "This document is issued already; a new version can be drafted from it."
            case .audienceWider(let allowed):
                "Its content may be read by \(allowed.rawValue) at the widest; confirm the wider audience to issue it."
            case .restrictedAudience: "A document is issued to an audience level, not to named people."
            }
        }

        public var key: String {
            switch self {
            case .alreadyIssued: "briefs.already_issued"
            case .audienceWider: "briefs.audience_wider"
            case .restrictedAudience: "briefs.audience_restricted"
            }
        }
    }

    /// May a draft be issued at `audience`, its content allowing `floor` at the widest?
    public static func checkIssue(
        state: BriefState, audience: AudienceLevel, floor: AudienceLevel, confirmedWider: Bool
    )
        throws(Refusal)
    {
        guard state == .draft else { throw .alreadyIssued }
        guard audience != .restricted else { throw .restrictedAudience }
        if audience < floor && !confirmedWider { throw .audienceWider(allowed: floor) }
    }
}
