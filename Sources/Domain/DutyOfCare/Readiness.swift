import Foundation

/// The briefings the MSR asks for (SECURITY.md §3.1.9, MSR Part 4): the security briefing within
/// 24 hours of arrival, the Security Welcome Brief acknowledged, the RSC or GSU briefing before
/// travel to an Orange or Red area, and the briefing on the relocation plan.
public enum BriefingKind: String, CaseIterable, Sendable, Codable, Hashable {
    case arrival = "security_briefing"
    case welcomeBrief = "welcome_brief"
    case travel = "travel_briefing"
    case relocationPlan = "relocation_plan"
    public var labelKey: String { "briefing_kind.\(rawValue)" }

    /// The security plan a briefing of this kind is given from, whose version it records.
    public var plan: SecurityPlanKind? {
        switch self {
        case .welcomeBrief: .welcomeBrief
        case .relocationPlan: .relocation
        case .arrival, .travel: nil
        }
    }
}

/// One briefing given: who gave it, when, from which plan version; for a travel briefing, the
/// area it was for.
public struct Briefing: Sendable, Hashable {
    public var kind: BriefingKind
    public var givenAt: Date
    /// A name: the RSC or a GSU officer is often not a member of the operation.
    public var givenBy: String
    public var planVersion: Int?
    public var areaPcode: String?
    public var note: String

    public init(
        kind: BriefingKind, givenAt: Date, givenBy: String, planVersion: Int? = nil, areaPcode: String? = nil,
        note: String = ""
    ) {
        self.kind = kind
        self.givenAt = givenAt
        self.givenBy = givenBy
        self.planVersion = planVersion
        self.areaPcode = areaPcode
        self.note = note
    }

    public func validated(now: Date) throws(ValidationErrors) -> Briefing {
        var errors = ValidationErrors()
        var b = self
        b.givenBy = givenBy.trimmingCharacters(in: .whitespacesAndNewlines)
        b.note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if b.givenBy.isEmpty || b.givenBy.count > 150 {
            errors.add("given_by", key: "error.briefing_by", "Say who gave the briefing (at most 150 characters).")
        }
        if b.note.count > 500 { errors.add("note", key: "error.too_long", "At most 500 characters.") }
        if givenAt > now.addingTimeInterval(3_600) {
            errors.add("given_at", key: "error.briefing_future", "A briefing is recorded once it was given.")
        }
        try errors.throwIfAny()
        return b
    }
}

/// The MSR's rule for newcomers: briefed within 24 hours of arrival, and no field movement before.
public enum ArrivalBriefing {
    public static let hours = 24

    public enum State: Sendable, Hashable {
        case briefed(Date)
        /// Not yet; the deadline is still ahead.
        case due(Date)
        case overdue(Date)
        /// No arrival recorded: nothing to count from.
        case unknown
    }

    public static func state(arrival: Date?, briefedAt: Date?, now: Date) -> State {
        if let briefedAt { return .briefed(briefedAt) }
        guard let arrival else { return .unknown }
        let deadline = arrival.addingTimeInterval(Double(hours) * 3_600)
        return now > deadline ? .overdue(deadline) : .due(deadline)
    }
}

/// The training catalogue and who must hold what, as an operation setting with IFRC's defaults
/// (SECURITY.md §3.1.9, MSR Part 5: Security & Critical Incident Management training within 12
/// months for managers in Orange and Red areas).
public struct TrainingSettings: Sendable, Hashable, SettingsGroup {
    public struct Course: Sendable, Hashable, Codable {
        public var code: String
        public var name: String
        /// Months a completion stays valid; 0: it does not expire.
        public var validityMonths: Int
        public init(code: String, name: String, validityMonths: Int) {
            self.code = code
            self.name = name
            self.validityMonths = validityMonths
        }
    }

    public struct Requirement: Sendable, Hashable, Codable {
        public var course: String
        /// The phases where the person is in which it is required; empty: every phase.
        public var phases: [String]
        /// Only people who manage a team.
        public var managersOnly: Bool
        /// Only these categories (`PersonCategory` raw values); empty: everyone.
        public var categories: [String]
        public init(course: String, phases: [String] = [], managersOnly: Bool = false, categories: [String] = []) {
            self.course = course
            self.phases = phases
            self.managersOnly = managersOnly
            self.categories = categories
        }

        enum CodingKeys: String, CodingKey {
            case course, phases, categories
            case managersOnly = "managers_only"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            course = try c.decode(String.self, forKey: .course)
            phases = try c.decodeIfPresent([String].self, forKey: .phases) ?? []
            managersOnly = try c.decodeIfPresent(Bool.self, forKey: .managersOnly) ?? false
            categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
        }
    }

    public enum Key: String, CaseIterable, Sendable, SettingsKey {
        case courses = "training_courses"
        case requirements = "training_requirements"
    }

    public var courses: [Course]
    public var requirements: [Requirement]

    public init(courses: [Course], requirements: [Requirement]) {
        self.courses = courses
        self.requirements = requirements
    }

    public static let defaults = TrainingSettings(
        courses: [
            Course(code: "stay_safe_personal", name: "Stay Safe: personal security", validityMonths: 36),
            Course(code: "stay_safe_management", name: "Stay Safe: security management", validityMonths: 36),
            Course(code: "heat", name: "HEAT (hostile environment awareness)", validityMonths: 36),
            Course(code: "scm", name: "Security & Critical Incident Management (SCM)", validityMonths: 12),
            Course(code: "defensive_driving", name: "Defensive driving", validityMonths: 36),
            Course(code: "radio", name: "Radio communications", validityMonths: 24),
            Course(code: "first_aid", name: "First aid", validityMonths: 24),
        ],
        requirements: [
            Requirement(course: "stay_safe_personal"),
            Requirement(course: "scm", phases: ["orange", "red"], managersOnly: true),
            Requirement(
                course: "heat", phases: ["red"],
                categories: [PersonCategory.delegate.rawValue, PersonCategory.surge.rawValue]),
        ])

    public func course(_ code: String) -> Course? { courses.first { $0.code == code } }

    /// When a completion on `day` stops being valid; nil when the course does not expire.
    public func expiry(of code: String, completedOn day: Date) -> Date? {
        guard let months = course(code)?.validityMonths, months > 0 else { return nil }
        return AnalysisPeriods.calendar.date(byAdding: .month, value: months, to: day)
    }

    /// The courses a person must hold where they are: by the phase there, whether they manage a
    /// team, and their category.
    public func required(phase: String?, manager: Bool, category: PersonCategory) -> [String] {
        requirements.filter { r in
            (r.phases.isEmpty || phase.map(r.phases.contains) == true) && (!r.managersOnly || manager)
                && (r.categories.isEmpty || r.categories.contains(category.rawValue))
        }.map(\.course)
    }

    public func json(_ key: Key) -> String {
        switch key {
        case .courses: SettingsJSON.encode(courses)
        case .requirements: SettingsJSON.encode(requirements)
        }
    }

    public func replacing(_ key: Key, json: String) throws(ValidationErrors) -> TrainingSettings {
        var next = self
        var errors = ValidationErrors()
        switch key {
        case .courses:
            let courses = try SettingsJSON.decode([Course].self, json, field: key.rawValue)
            for course in courses
            where course.code.isEmpty || course.name.isEmpty || !(0...120).contains(course.validityMonths) {
                errors.add(
                    key.rawValue, key: "error.settings_invalid",
                    "Course “\(course.code)”: give a code, a name and a validity of 0–120 months.")
            }
            if Set(courses.map(\.code)).count != courses.count {
                errors.add(key.rawValue, key: "error.settings_invalid", "Each course code once.")
            }
            next.courses = courses
        case .requirements:
            next.requirements = try SettingsJSON.decode([Requirement].self, json, field: key.rawValue)
        }
        for requirement in next.requirements where next.course(requirement.course) == nil {
            errors.add(
                key.rawValue, key: "error.settings_invalid",
                "A requirement names the course “\(requirement.course)”, which the catalogue does not have.")
        }
        for requirement in next.requirements {
            for category in requirement.categories where PersonCategory(rawValue: category) == nil {
                errors.add(key.rawValue, key: "error.settings_invalid", "“\(category)” is not a category of person.")
            }
        }
        try errors.throwIfAny()
        return next
    }
}

/// One completed course.
public struct TrainingRecord: Sendable, Hashable {
    public var course: String
    public var completedOn: Date
    public var expiresOn: Date?
    /// A certificate number, a link, "seen by SO".
    public var evidence: String
    public init(course: String, completedOn: Date, expiresOn: Date?, evidence: String) {
        self.course = course
        self.completedOn = completedOn
        self.expiresOn = expiresOn
        self.evidence = evidence
    }

    public func isValid(on day: Date) -> Bool { expiresOn.map { $0 > day } ?? true }
}

/// What a person lacks of what their place requires.
public struct TrainingGap: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case missing
        case expired(Date)
    }
    public let course: String
    public let kind: Kind

    /// Gaps of one person: each required course without a valid completion.
    public static func gaps(required: [String], records: [TrainingRecord], on day: Date) -> [TrainingGap] {
        required.compactMap { course in
            let held = records.filter { $0.course == course }
            if held.contains(where: { $0.isValid(on: day) }) { return nil }
            if let last = held.compactMap(\.expiresOn).max() {
                return TrainingGap(course: course, kind: .expired(last))
            }
            return TrainingGap(course: course, kind: .missing)
        }
    }
}

/// A training the coordinator gave to National Society personnel (the role profile's duties 5b
/// and 5c): counted, not named.
public struct TrainingSession: Sendable, Hashable, Codable {
    public struct Participants: Sendable, Hashable, Codable {
        public var nationalSociety: String
        public var female: Int
        public var male: Int
        /// Not recorded, or neither.
        public var other: Int
        public init(nationalSociety: String, female: Int, male: Int, other: Int) {
            self.nationalSociety = nationalSociety
            self.female = female
            self.male = male
            self.other = other
        }
        public var total: Int { female.saturatingAdding(male).saturatingAdding(other) }
        enum CodingKeys: String, CodingKey {
            case female, male, other
            case nationalSociety = "national_society"
        }
    }

    public var topic: String
    public var heldOn: Date
    public var place: String
    public var trainers: String
    public var participants: [Participants]

    public init(topic: String, heldOn: Date, place: String, trainers: String, participants: [Participants]) {
        self.topic = topic
        self.heldOn = heldOn
        self.place = place
        self.trainers = trainers
        self.participants = participants
    }

    public var total: Int { participants.reduce(0) { $0.saturatingAdding($1.total) } }

    public func validated() throws(ValidationErrors) -> TrainingSession {
        var errors = ValidationErrors()
        var s = self
        s.topic = topic.trimmingCharacters(in: .whitespacesAndNewlines)
        s.place = place.trimmingCharacters(in: .whitespacesAndNewlines)
        s.trainers = trainers.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.topic.isEmpty || s.topic.count > 200 {
            errors.add("topic", key: "error.session_topic", "Give the topic (at most 200 characters).")
        }
        if s.place.count > 200 || s.trainers.count > 300 {
            errors.add("place", key: "error.too_long", "The place or the trainers are too long.")
        }
        s.participants = participants.map {
            var p = $0
            p.nationalSociety = p.nationalSociety.trimmingCharacters(in: .whitespaces)
            return p
        }.filter { !$0.nationalSociety.isEmpty || $0.total > 0 }
        for (index, p) in s.participants.enumerated() {
            if p.nationalSociety.isEmpty || p.nationalSociety.count > 100 {
                errors.add(
                    "participants[\(index)]", key: "error.session_society",
                    "Row \(index + 1): name the National Society.")
            }
            if [p.female, p.male, p.other].contains(where: { !(0...100_000).contains($0) }) {
                errors.add(
                    "participants[\(index)]", key: "error.session_count", "Row \(index + 1): counts from 0 to 100,000.")
            }
        }
        if s.participants.isEmpty || s.total == 0 {
            errors.add("participants", key: "error.session_participants", "Count the participants.")
        }
        try errors.throwIfAny()
        return s
    }
}
