import Foundation

/// One requirement of the IFRC Minimum Security Requirements (SECURITY.md §3.1.2), as data: the
/// catalogue is edited by an administrator, since the MSR text itself is not in our hands.
public struct MSRRequirement: Sendable, Codable, Hashable {
    /// A stable code, e.g. "6.2".
    public var code: String
    /// MSR part, 1–7.
    public var part: Int
    public var text: String
    /// The phases in which it applies; empty means every phase.
    public var phases: Set<String>
    /// A staffing requirement: an exemption from it is never granted for financial reasons (MSR Part 6).
    public var isStaffing: Bool

    public init(code: String, part: Int, text: String, phases: Set<String> = [], isStaffing: Bool = false) {
        self.code = code; self.part = part; self.text = text; self.phases = phases; self.isStaffing = isStaffing
    }

    public func applies(in phase: String) -> Bool { phases.isEmpty || phases.contains(phase) }

    /// A starting catalogue at the level of detail the MSR's published structure gives: one
    /// requirement per topic of each part (SECURITY.md §3.1.2, §3.1.9). Edit it to the full text.
    public static let defaults: [MSRRequirement] = [
        .init(code: "1.1", part: 1, text: "A current security risk assessment and security risk register"),
        .init(code: "1.2", part: 1, text: "Security phases declared per area, with the approvals the phase needs"),
        .init(
            code: "2.1", part: 2,
            text: "The six security plans approved within 14 days and reviewed at least every six months"),
        .init(code: "2.2", part: 2, text: "Field movement requirements and movement control"),
        .init(code: "2.3", part: 2, text: "Office and warehouse security requirements"),
        .init(code: "2.4", part: 2, text: "Residential security requirements"),
        .init(code: "2.5", part: 2, text: "Field communications requirements"),
        .init(code: "3.1", part: 3, text: "Personnel location and contact list, current and accessible 24/7"),
        .init(
            code: "3.2", part: 3, text: "Medical evacuation and relocation plans, approved yearly by the RSC and GSU"),
        .init(code: "3.3", part: 3, text: "Critical incident management plan with current team contacts"),
        .init(code: "4.1", part: 4, text: "Incidents reported within the IFRC deadlines"),
        .init(code: "4.2", part: 4, text: "Security information shared with personnel and partners"),
        .init(code: "4.3", part: 4, text: "Security briefing of newcomers within 24 hours, before any field movement"),
        .init(
            code: "4.4", part: 4,
            text: "Travel security: briefing by the RSC or GSU before travel to Orange or Red areas",
            phases: ["orange", "red"]),
        .init(code: "5.1", part: 5, text: "Personnel have completed the required security training"),
        .init(
            code: "5.2", part: 5, text: "Senior managers and security personnel have completed their security training"),
        .init(code: "6.1", part: 6, text: "Security focal points meet the competency requirements"),
        .init(
            code: "6.2", part: 6, text: "At least one full-time qualified security delegate",
            phases: ["orange", "red"], isStaffing: true),
        .init(code: "6.3", part: 6, text: "Minimum security capacity kept during leave", isStaffing: true),
        .init(code: "7.1", part: 7, text: "Monitoring, control and accountability of security management"),
        .init(
            code: "7.2", part: 7,
            text: "Annual compliance documents reviewed and approved in writing by the senior manager"),
    ]
}

public enum ComplianceStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case met, partlyMet = "partly_met", notMet = "not_met", notApplicable = "not_applicable"
    /// The share of the requirement met; nil when it does not count.
    public var credit: Double? {
        switch self {
        case .met: 1;
        case .partlyMet: 0.5;
        case .notMet: 0;
        case .notApplicable: nil
        }
    }
}

/// Why an exemption is granted. A financial reason is refused for staffing requirements.
public enum ExemptionReason: String, CaseIterable, Sendable, Codable, Hashable {
    case operational, financial, other
}

/// A written exemption from one requirement (eramba's "exception" model, SECURITY.md §1.10).
public struct ComplianceExemption: Sendable, Codable, Hashable {
    public var requirement: String
    public var grantedBy: String
    public var reason: ExemptionReason
    public var writtenReason: String
    public var grantedOn: Date
    public var expiresOn: Date

    public init(
        requirement: String, grantedBy: String, reason: ExemptionReason, writtenReason: String, grantedOn: Date,
        expiresOn: Date
    ) {
        self.requirement = requirement; self.grantedBy = grantedBy; self.reason = reason;
        self.writtenReason = writtenReason
        self.grantedOn = grantedOn; self.expiresOn = expiresOn
    }

    public func isActive(on day: Date) -> Bool { grantedOn <= day && day < expiresOn }

    /// The exemption as written, or every problem with it.
    public func validated(catalogue: [MSRRequirement] = MSRRequirement.defaults) throws(ValidationErrors)
        -> ComplianceExemption
    {
        var e = self
        var errors = ValidationErrors()
        e.grantedBy = grantedBy.trimmingCharacters(in: .whitespacesAndNewlines)
        e.writtenReason = writtenReason.trimmingCharacters(in: .whitespacesAndNewlines)
        let requirement = catalogue.first { $0.code == self.requirement }
        if requirement == nil {
            errors.add(
                "requirement", key: "error.msr_unknown", "“\(self.requirement)” is not in the requirement catalogue.")
        }
        if e.grantedBy.isEmpty {
            errors.add("granted_by", key: "error.exemption_granted_by", "Name who granted the exemption.")
        }
        if e.writtenReason.isEmpty {
            errors.add(
                "written_reason", key: "error.exemption_reason", "An exemption is granted in writing: give the reason.")
        }
        if expiresOn <= grantedOn {
            errors.add("expires_on", key: "error.exemption_expiry", "An exemption expires after the day it is granted.")
        }
        if reason == .financial, requirement?.isStaffing == true {
            errors.add(
                "reason", key: "error.exemption_financial_staffing",
                "A staffing requirement (\(self.requirement)) is never waived for financial reasons.")
        }
        try errors.throwIfAny()
        return e
    }
}

/// One assessment of an operation or office against the catalogue.
public struct ComplianceAssessment: Sendable, Codable, Hashable {
    public struct Finding: Sendable, Codable, Hashable {
        public var requirement: String
        public var status: ComplianceStatus
        public var evidence: String
        public init(requirement: String, status: ComplianceStatus, evidence: String = "") {
            self.requirement = requirement; self.status = status; self.evidence = evidence
        }
    }
    public var assessedOn: Date
    /// The phase the assessment was made in: it decides which requirements apply.
    public var phase: String
    public var findings: [Finding]

    public init(assessedOn: Date, phase: String, findings: [Finding]) {
        self.assessedOn = assessedOn; self.phase = phase; self.findings = findings
    }

    /// Score per MSR part, 0–100: met counts whole, partly met half, not met nothing. Requirements
    /// that do not apply in the phase, are marked not applicable, or are covered by an exemption
    /// in force that day are left out; a requirement applicable but not assessed counts as not
    /// met. A part with nothing to count has no score.
    public func scores(catalogue: [MSRRequirement] = MSRRequirement.defaults, exemptions: [ComplianceExemption] = [])
        -> [Int: Double?]
    {
        let status = Dictionary(findings.map { ($0.requirement, $0.status) }, uniquingKeysWith: { _, last in last })
        let exempt = Set(exemptions.filter { $0.isActive(on: assessedOn) }.map(\.requirement))
        var sums: [Int: (credit: Double, count: Int)] = [:]
        for requirement in catalogue {
            if sums[requirement.part] == nil { sums[requirement.part] = (0, 0) }
            guard requirement.applies(in: phase), !exempt.contains(requirement.code) else { continue }
            guard let credit = (status[requirement.code] ?? .notMet).credit else { continue }
            sums[requirement.part]!.credit += credit
            sums[requirement.part]!.count += 1
        }
        return sums.mapValues { $0.count == 0 ? nil : ($0.credit / Double($0.count) * 100).rounded() }
    }
}

/// The MSR requirement catalogue as settings an administrator edits, stored per operation.
public struct ComplianceSettings: Sendable, Hashable, SettingsGroup {
    public enum Key: String, CaseIterable, Sendable, SettingsKey { case catalogue = "msr_catalogue" }
    public var catalogue: [MSRRequirement]
    public init(catalogue: [MSRRequirement] = MSRRequirement.defaults) { self.catalogue = catalogue }
    public static let defaults = ComplianceSettings()

    public func json(_ key: Key) -> String { SettingsJSON.encode(catalogue) }

    public func replacing(_ key: Key, json: String) throws(ValidationErrors) -> ComplianceSettings {
        let catalogue = try SettingsJSON.decode([MSRRequirement].self, json, field: key.rawValue)
        var errors = ValidationErrors()
        let codes = catalogue.map(\.code)
        if catalogue.isEmpty {
            errors.add(key.rawValue, key: "error.settings_invalid", "The catalogue needs at least one requirement.")
        }
        if Set(codes).count != codes.count {
            errors.add(key.rawValue, key: "error.settings_invalid", "A requirement code is used twice.")
        }
        for requirement in catalogue where !(1...7).contains(requirement.part) {
            errors.add(
                key.rawValue, key: "error.settings_invalid",
                "Requirement \(requirement.code): the MSR has parts 1 to 7.")
        }
        for requirement in catalogue
        where requirement.code.trimmingCharacters(in: .whitespaces).isEmpty
            || requirement.text.trimmingCharacters(in: .whitespaces).isEmpty
        {
            errors.add(key.rawValue, key: "error.settings_invalid", "Every requirement needs a code and a text.")
        }
        try errors.throwIfAny()
        return ComplianceSettings(catalogue: catalogue)
    }
}

extension MSRRequirement {
    enum CodingKeys: String, CodingKey { case code, part, text, phases, isStaffing = "staffing" }
}
