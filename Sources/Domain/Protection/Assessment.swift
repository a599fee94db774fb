import Foundation

/// How an assessment collected what it found (MIGRATION.md §1.5: the GPC's protection monitoring
/// methods and DTM's).
public enum AssessmentMethod: String, CaseIterable, Sendable, Codable, Hashable {
    case householdSurvey = "household_survey"
    case keyInformants = "key_informants"
    case focusGroups = "focus_groups"
    case phoneSurvey = "phone_survey"
    case observation
    case mixed
    public var labelKey: String { "assessment_method.\(rawValue)" }
}

/// A finding of an assessment in one IFRC sector, with how severe the assessors judge it (1–5).
public struct SectorFinding: Sendable, Codable, Hashable {
    public var sector: IFRCSector
    public var severity: Int?
    public var text: String
    public init(sector: IFRCSector, severity: Int? = nil, text: String) {
        self.sector = sector; self.severity = severity; self.text = text
    }
}

/// A count of people with a specific need, by group, sex and age bracket, entered by the assessors
/// (key informants, focus groups): what an assessment without individual submissions can say.
public struct NeedCount: Sendable, Codable, Hashable {
    public var group: PopulationType
    public var need: SpecificNeed
    /// `f_18_59`: a sex and one of UNHCR's age brackets.
    public var bin: String
    public var count: Int
    public init(group: PopulationType, need: SpecificNeed, bin: String, count: Int) {
        self.group = group; self.need = need; self.bin = bin; self.count = count
    }
}

/// A needs assessment as entered: where, when, how, by whom, for which groups (the host community
/// among them), what it found by sector, and counts of specific needs.
public struct NeedsAssessmentDraft: Sendable, Codable, Hashable {
    public var title: String
    public var areaPcode: String?
    public var siteID: SiteID?
    public var startOn: Date
    public var endOn: Date?
    public var method: AssessmentMethod
    public var team: String
    public var groups: [PopulationType]
    public var findings: [SectorFinding]
    public var needCounts: [NeedCount]

    public init(
        title: String, areaPcode: String? = nil, siteID: SiteID? = nil, startOn: Date, endOn: Date? = nil,
        method: AssessmentMethod, team: String, groups: [PopulationType], findings: [SectorFinding] = [],
        needCounts: [NeedCount] = []
    ) {
        self.title = title; self.areaPcode = areaPcode; self.siteID = siteID; self.startOn = startOn
        self.endOn = endOn; self.method = method; self.team = team; self.groups = groups; self.findings = findings
        self.needCounts = needCounts
    }
}

/// A needs assessment as given: the form's and the API's fields as text. `draft(…)` is the one decoder.
public struct NeedsAssessmentInput: Codable, Sendable, Equatable {
    public struct Finding: Codable, Sendable, Equatable {
        public var sector = ""
        public var severity = ""
        public var text = ""
        public init(sector: String = "", severity: String = "", text: String = "") {
            self.sector = sector; self.severity = severity; self.text = text
        }
        public var isBlank: Bool {
            [sector, severity, text].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
    }
    public var title = ""
    public var area = ""
    public var site = ""
    public var startOn = ""
    public var endOn = ""
    public var method = ""
    public var team = ""
    public var groups: [String] = []
    public var findings: [Finding] = []
    /// One count per line: "group, need, bin, count", e.g. "HST, DS-PM, f_18_59, 4".
    public var needCounts = ""

    public init() {}

    public init(_ d: NeedsAssessmentDraft) {
        title = d.title
        area = d.areaPcode ?? ""
        site = d.siteID?.uuidString ?? ""
        startOn = DateText.day(d.startOn)
        endOn = d.endOn.map(DateText.day) ?? ""
        method = d.method.rawValue
        team = d.team
        groups = d.groups.map(\.rawValue)
        findings = d.findings.map {
            Finding(sector: $0.sector.rawValue, severity: $0.severity.map(String.init) ?? "", text: $0.text)
        }
        needCounts = d.needCounts.map { "\($0.group.rawValue), \($0.need.rawValue), \($0.bin), \($0.count)" }
            .joined(separator: "\n")
    }

    /// The sex × age bins counts may use: UNHCR's brackets for women and men.
    public static let bins = ["f", "m"].flatMap { sex in DisaggregationScheme.unhcrAgeBrackets.map { "\(sex)_\($0)" } }

    public func draft(knownAreas: Set<String>?) throws(ValidationErrors) -> NeedsAssessmentDraft {
        var errors = ValidationErrors()
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors.add("title", key: "error.required", "Give the assessment a title.") }
        if title.count > 200 { errors.add("title", key: "error.too_long", "The title is longer than 200 characters.") }
        let team = team.trimmingCharacters(in: .whitespacesAndNewlines)
        if team.count > 500 { errors.add("team", key: "error.too_long", "The team is longer than 500 characters.") }
        let area = area.trimmingCharacters(in: .whitespaces).uppercased()
        if !area.isEmpty, let knownAreas, !knownAreas.contains(area) {
            errors.add("area", key: "error.risk_area", "Not an admin area of this operation: \(area).")
        }
        var siteID: SiteID?
        if !site.isEmpty {
            if let id = UUID(uuidString: site) {
                siteID = SiteID(id)
            } else {
                errors.add("site", key: "error.choice", "“\(site)” is not a site.")
            }
        }
        func day(_ text: String, _ field: String, required: Bool) -> Date? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if required { errors.add(field, key: "error.required", "Give the day (YYYY-MM-DD).") }
                return nil
            }
            guard let date = DateText.day(trimmed) else {
                errors.add(field, key: "error.date", "“\(trimmed)” is not a date (YYYY-MM-DD).")
                return nil
            }
            return date
        }
        let start = day(startOn, "start_on", required: true)
        let end = day(endOn, "end_on", required: false)
        if let start, let end, end < start {
            errors.add("end_on", key: "error.period", "The last day comes before the first.")
        }
        let method = AssessmentMethod(rawValue: method)
        if method == nil { errors.add("method", key: "error.choose", "Choose how the assessment was made.") }
        var groups: [PopulationType] = []
        for raw in self.groups where !raw.isEmpty {
            guard let group = PopulationType(rawValue: raw), group != .totalPopulation else {
                errors.add("groups", key: "error.choice", "“\(raw)” is not a population group.")
                continue
            }
            if !groups.contains(group) { groups.append(group) }
        }
        if groups.isEmpty {
            errors.add("groups", key: "error.protection_groups", "Say which groups the assessment covered.")
        }
        var findings: [SectorFinding] = []
        for (i, row) in self.findings.filter({ !$0.isBlank }).enumerated() {
            let field = "findings[\(i)]"
            let text = row.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let sector = IFRCSector(rawValue: row.sector) else {
                errors.add(field, key: "error.choice", "Finding \(i + 1): choose its sector.")
                continue
            }
            var severity: Int?
            if !row.severity.trimmingCharacters(in: .whitespaces).isEmpty {
                severity = WholeNumber.parse(row.severity.trimmingCharacters(in: .whitespaces))
                if severity.map({ !(1...5).contains($0) }) ?? true {
                    errors.add(field, key: "error.severity", "Finding \(i + 1): severity is 1 (minor) to 5 (extreme).")
                }
            }
            if text.isEmpty || text.count > 5_000 {
                errors.add(
                    field, key: "error.required", "Finding \(i + 1): say what was found (up to 5,000 characters).")
            }
            findings.append(SectorFinding(sector: sector, severity: severity, text: text))
        }
        var counts: [NeedCount] = []
        for (n, line) in needCounts.split(whereSeparator: \.isNewline).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let where_ = "Line \(n + 1) (“\(text)”)"
            guard parts.count == 4 else {
                errors.add("need_counts", key: "error.need_count", "\(where_): write group, need, bin, count.")
                continue
            }
            guard let group = PopulationType(rawValue: parts[0].uppercased()), group != .totalPopulation else {
                errors.add(
                    "need_counts", key: "error.need_count", "\(where_): “\(parts[0])” is not a population group.")
                continue
            }
            guard let need = SpecificNeed(code: parts[1]) else {
                errors.add(
                    "need_counts", key: "error.need_count",
                    "\(where_): “\(parts[1])” is not a UNHCR specific-needs code.")
                continue
            }
            let bin = parts[2].lowercased()
            guard Self.bins.contains(bin) else {
                errors.add(
                    "need_counts", key: "error.need_count",
                    "\(where_): “\(parts[2])” is not a sex and age bracket (f_0_4 … m_60, f_other, m_other).")
                continue
            }
            // Bounded: the results add counts up, and two of Int.max would trap.
            guard let count = WholeNumber.parse(parts[3]), (0...10_000_000).contains(count) else {
                errors.add(
                    "need_counts", key: "error.need_count",
                    "\(where_): the count is a whole number from 0 to 10,000,000.")
                continue
            }
            counts.append(NeedCount(group: group, need: need, bin: bin, count: count))
        }
        try errors.throwIfAny()
        return NeedsAssessmentDraft(
            title: title, areaPcode: area.isEmpty ? nil : area, siteID: siteID, startOn: start!, endOn: end,
            method: method!, team: team, groups: groups, findings: findings, needCounts: counts)
    }
}

extension SpecificNeed {
    /// A code as forms write it: "SC-UC", "sc_uc", "SC UC".
    public init?(code: String) {
        let normal = code.trimmingCharacters(in: .whitespaces).uppercased().replacingOccurrences(of: "_", with: "-")
            .replacingOccurrences(of: " ", with: "-")
        self.init(rawValue: normal)
    }
}
