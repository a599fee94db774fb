import Foundation

/// The kinds of site a security assessment checklist exists for (issue 4, §5).
public enum SiteChecklistKind: String, CaseIterable, Sendable, Codable, Hashable {
    case office, warehouse, residence
}

/// An editable checklist: items with a weight (1 = useful, 3 = essential).
public struct SiteChecklist: Sendable, Codable, Hashable {
    public struct Item: Sendable, Codable, Hashable {
        public var code: String
        public var text: String
        public var weight: Int
        public init(_ code: String, _ text: String, weight: Int = 2) {
            self.code = code; self.text = text; self.weight = weight
        }
    }
    public var kind: SiteChecklistKind
    public var items: [Item]
    public init(kind: SiteChecklistKind, items: [Item]) { self.kind = kind; self.items = items }

    /// What is wrong with an edited checklist; empty when it can be used.
    public func problems() -> [String] {
        var problems: [String] = []
        if items.isEmpty { problems.append("The checklist has no item.") }
        if Set(items.map(\.code)).count != items.count { problems.append("An item code is used twice.") }
        for item in items where !(1...3).contains(item.weight) {
            problems.append("\(item.code): the weight is 1, 2 or 3.")
        }
        for item in items where item.text.trimmedASCIIWhitespace.isEmpty {
            problems.append("\(item.code): the item has no text.")
        }
        return problems
    }

    /// Starting checklists drawn from the MSR Part 2 topics (office and warehouse, residential
    /// security; SECURITY.md §3.1.2). The MSR's own lists were not available: edit them to it.
    public static let defaults: [SiteChecklistKind: SiteChecklist] = {
        let common: [Item] = [
            .init("perimeter", "Perimeter wall or fence in good repair", weight: 3),
            .init("access", "Controlled access: one gate, visitor log, ID checked", weight: 3),
            .init("guards", "Guards present whenever the site is open, briefed and with a means to call", weight: 2),
            .init("lighting", "Outside lighting covering the perimeter and entrances", weight: 2),
            .init("fire", "Fire extinguishers checked within the year, smoke detection, clear exits", weight: 3),
            .init("first_aid", "First-aid kit stocked, a trained first-aider on site", weight: 2),
            .init("comms", "Communications that work without the mobile network (radio or satellite phone)", weight: 3),
            .init("power", "Back-up power with fuel for at least three days", weight: 1),
            .init("assembly", "Assembly point and relocation route known to everyone", weight: 2),
            .init("contacts", "Emergency contact list posted and current", weight: 2),
        ]
        return [
            .office: SiteChecklist(
                kind: .office,
                items: common + [
                    .init("safe_room", "Safe room with communications, water and a lockable door", weight: 2),
                    .init("documents", "Sensitive documents locked; data backed up off site", weight: 1),
                ]),
            .warehouse: SiteChecklist(
                kind: .warehouse,
                items: common + [
                    .init("stock", "Stock under lock, with controlled keys and a stock register", weight: 3),
                    .init("loading", "Loading area separated from the public, watched during loading", weight: 2),
                ]),
            .residence: SiteChecklist(
                kind: .residence,
                items: common + [
                    .init("safe_room", "Safe room with communications, water and a lockable door", weight: 3),
                    .init("locks", "Doors and windows lockable; keys accounted for", weight: 3),
                    .init("neighbourhood", "Neighbourhood assessed; away from likely targets", weight: 2),
                ]),
        ]
    }()
}

public enum ChecklistAnswer: String, CaseIterable, Sendable, Codable, Hashable {
    case yes, partly, no, notApplicable = "not_applicable"
    public var credit: Double? {
        switch self {
        case .yes: 1;
        case .partly: 0.5;
        case .no: 0;
        case .notApplicable: nil
        }
    }
}

/// A recommendation of an assessment: what, who, by when.
public struct SiteRecommendation: Sendable, Codable, Hashable {
    public var text: String
    public var owner: String
    public var dueOn: Date
    public var done: Bool
    public init(text: String, owner: String, dueOn: Date, done: Bool = false) {
        self.text = text; self.owner = owner; self.dueOn = dueOn; self.done = done
    }
}

/// One security assessment of a site against its checklist.
public struct SiteAssessment: Sendable, Codable, Hashable {
    public var kind: SiteChecklistKind
    public var assessedOn: Date
    public var answers: [String: ChecklistAnswer]
    public var findings: String
    public var recommendations: [SiteRecommendation]

    public init(
        kind: SiteChecklistKind, assessedOn: Date, answers: [String: ChecklistAnswer], findings: String = "",
        recommendations: [SiteRecommendation] = []
    ) {
        self.kind = kind; self.assessedOn = assessedOn; self.answers = answers; self.findings = findings
        self.recommendations = recommendations
    }

    /// The weighted score, 0–100: yes counts whole, partly half, no nothing, each times its
    /// item's weight; not applicable items are left out. Nil when nothing counts.
    public func score(_ checklist: SiteChecklist) -> Double? {
        var credit = 0.0, weight = 0
        for item in checklist.items {
            guard let answer = answers[item.code], let share = answer.credit else { continue }
            credit += share * Double(item.weight)
            weight += item.weight
        }
        return weight == 0 ? nil : (credit / Double(weight) * 100).rounded()
    }

    /// The assessment, or every problem: each item answered and no unknown one, each
    /// recommendation with an owner and a due date not before the assessment.
    public func validated(_ checklist: SiteChecklist) throws(ValidationErrors) -> SiteAssessment {
        var a = self
        var errors = ValidationErrors()
        let codes = Set(checklist.items.map(\.code))
        let unanswered = checklist.items.map(\.code).filter { answers[$0] == nil }
        if !unanswered.isEmpty {
            errors.add(
                "answers", key: "error.checklist_unanswered",
                "Answer every item (not applicable is an answer): \(unanswered.joined(separator: ", ")).")
        }
        let unknown = answers.keys.filter { !codes.contains($0) }.sorted()
        if !unknown.isEmpty {
            errors.add(
                "answers", key: "error.checklist_unknown",
                "Not on the \(kind.rawValue) checklist: \(unknown.joined(separator: ", ")).")
        }
        a.findings = findings.trimmingCharacters(in: .whitespacesAndNewlines)
        a.recommendations = recommendations.map {
            var r = $0
            r.text = $0.text.trimmingCharacters(in: .whitespacesAndNewlines)
            r.owner = $0.owner.trimmingCharacters(in: .whitespacesAndNewlines)
            return r
        }
        for (i, r) in a.recommendations.enumerated() {
            if r.text.isEmpty || r.owner.isEmpty {
                errors.add(
                    "recommendations[\(i)]", key: "error.recommendation",
                    "Recommendation \(i + 1) needs what is to be done and who owns it.")
            } else if r.dueOn < assessedOn {
                errors.add(
                    "recommendations[\(i)]", key: "error.recommendation_due",
                    "Recommendation \(i + 1) falls due before the assessment.")
            }
        }
        try errors.throwIfAny()
        return a
    }
}

/// The checklists as settings an administrator edits, stored per operation.
public struct SiteChecklistSettings: Sendable, Hashable, SettingsGroup {
    public enum Key: String, CaseIterable, Sendable, SettingsKey { case checklists = "site_checklists" }
    public var checklists: [SiteChecklist]
    public init(checklists: [SiteChecklist] = SiteChecklistKind.allCases.compactMap { SiteChecklist.defaults[$0] }) {
        self.checklists = checklists
    }
    public static let defaults = SiteChecklistSettings()

    public func checklist(_ kind: SiteChecklistKind) -> SiteChecklist? { checklists.first { $0.kind == kind } }

    public func json(_ key: Key) -> String { SettingsJSON.encode(checklists) }

    public func replacing(_ key: Key, json: String) throws(ValidationErrors) -> SiteChecklistSettings {
        let checklists = try SettingsJSON.decode([SiteChecklist].self, json, field: key.rawValue)
        var errors = ValidationErrors()
        for kind in SiteChecklistKind.allCases where !checklists.contains(where: { $0.kind == kind }) {
            errors.add(key.rawValue, key: "error.settings_invalid", "There is no \(kind.rawValue) checklist.")
        }
        if Set(checklists.map(\.kind)).count != checklists.count {
            errors.add(key.rawValue, key: "error.settings_invalid", "A kind of site has two checklists.")
        }
        for checklist in checklists {
            for problem in checklist.problems() {
                errors.add(key.rawValue, key: "error.settings_invalid", "\(checklist.kind.rawValue): \(problem)")
            }
        }
        try errors.throwIfAny()
        return SiteChecklistSettings(checklists: checklists)
    }
}

extension SiteChecklistKind {
    /// The checklist a site of this type is assessed with by default.
    public init(siteType: SiteType) {
        switch siteType {
        case .warehouse: self = .warehouse
        case .residence: self = .residence
        default: self = .office
        }
    }
    public var labelKey: String { "checklist.\(rawValue)" }
}
