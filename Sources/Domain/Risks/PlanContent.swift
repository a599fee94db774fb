import Foundation

/// Where a version of a security plan stands: written, waiting for the senior manager, approved
/// (the one in force), or replaced by a later approved version.
public enum PlanStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case draft, inReview = "in_review", approved, superseded
    public var labelKey: String { "plan_status.\(rawValue)" }
}

/// The relocation plan's structured part (SECURITY.md §3.1.3, issue 4): where people gather, by
/// which routes, what triggers each step per phase, who goes and who stays, and how they travel.
public struct RelocationPlan: Sendable, Codable, Hashable {
    /// Sites of the operation (their ids) where personnel assemble.
    public var assemblyPointIDs: [SiteID]
    public var routes: [String]
    /// Phase key → what triggers relocation steps in that phase.
    public var triggers: [String: String]
    public var whoGoes: String
    public var whoStays: String
    public var transport: String

    public init(
        assemblyPointIDs: [SiteID] = [], routes: [String] = [], triggers: [String: String] = [:], whoGoes: String = "",
        whoStays: String = "", transport: String = ""
    ) {
        self.assemblyPointIDs = assemblyPointIDs; self.routes = routes; self.triggers = triggers; self.whoGoes = whoGoes
        self.whoStays = whoStays; self.transport = transport
    }

    enum CodingKeys: String, CodingKey {
        case routes, triggers, transport
        case assemblyPointIDs = "assembly_points", whoGoes = "who_goes", whoStays = "who_stays"
    }
}

/// The critical incident management plan's structured part: the team and how to reach them.
public struct CIMPlan: Sendable, Codable, Hashable {
    public struct Member: Sendable, Codable, Hashable {
        public var name: String
        public var role: String
        public var phone: String
        public var email: String
        public init(name: String, role: String, phone: String, email: String = "") {
            self.name = name; self.role = role; self.phone = phone; self.email = email
        }
    }
    public var team: [Member]
    public init(team: [Member] = []) { self.team = team }
}

/// One version of a plan as written: rich text for every plan, and the structured part of the
/// relocation and CIM plans.
public struct PlanDraft: Sendable, Hashable {
    public var kind: SecurityPlanKind
    public var content: String
    public var relocation: RelocationPlan?
    public var cim: CIMPlan?

    public init(kind: SecurityPlanKind, content: String, relocation: RelocationPlan? = nil, cim: CIMPlan? = nil) {
        self.kind = kind; self.content = content; self.relocation = relocation; self.cim = cim
    }

    /// The draft trimmed, or every problem at once. `sites` are the operation's site ids (assembly
    /// points must be among them); `phases` its phase keys (triggers are per phase).
    /// `hasDocument`: a document is (or will be) attached to the version, which may then have no text.
    public func validated(sites: Set<SiteID>, phases: [String], hasDocument: Bool = false) throws(ValidationErrors)
        -> PlanDraft
    {
        var d = self
        var errors = ValidationErrors()
        d.content = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if d.content.count > 200_000 {
            errors.add("content", key: "error.too_long", "The plan's text is longer than 200,000 characters.")
        }
        let structured = (relocation.map { $0 != RelocationPlan() } ?? false) || !(cim?.team.isEmpty ?? true)
        if d.content.isEmpty && !structured && !hasDocument {
            errors.add("content", key: "error.plan_empty", "Write the plan, or attach it as a document.")
        }
        if kind == .relocation, var plan = relocation {
            plan.routes = plan.routes.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            plan.triggers = plan.triggers.mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
                !$0.value.isEmpty
            }
            for id in plan.assemblyPointIDs where !sites.contains(id) {
                errors.add(
                    "assembly_points", key: "error.plan_site", "An assembly point is not a site of this operation.")
            }
            for phase in plan.triggers.keys where !phases.contains(phase) {
                errors.add("triggers", key: "error.phase_unknown", "“\(phase)” is not one of the operation's phases.")
            }
            d.relocation = plan
        } else if kind != .relocation {
            d.relocation = nil
        }
        if kind == .criticalIncidentManagement, var plan = cim {
            plan.team = plan.team.map { m in
                CIMPlan.Member(
                    name: m.name.trimmingCharacters(in: .whitespaces),
                    role: m.role.trimmingCharacters(in: .whitespaces),
                    phone: m.phone.trimmingCharacters(in: .whitespaces),
                    email: m.email.trimmingCharacters(in: .whitespaces))
            }.filter { !($0.name.isEmpty && $0.role.isEmpty && $0.phone.isEmpty && $0.email.isEmpty) }
            for (i, member) in plan.team.enumerated()
            where member.name.isEmpty || member.role.isEmpty || member.phone.isEmpty {
                errors.add(
                    "team[\(i)]", key: "error.plan_team",
                    "Team member \(i + 1) needs a name, a role in the team and a phone number.")
            }
            for (i, member) in plan.team.enumerated() where !member.email.isEmpty && !member.email.contains("@") {
                errors.add("team[\(i)]", key: "error.email", "Team member \(i + 1)'s e-mail address is not one.")
            }
            d.cim = plan
        } else if kind != .criticalIncidentManagement {
            d.cim = nil
        }
        try errors.throwIfAny()
        return d
    }
}

/// The plans' clocks as settings an administrator edits (`PlanRules`), stored per operation.
public struct PlanSettings: Sendable, Hashable, SettingsGroup {
    public enum Key: String, CaseIterable, Sendable, SettingsKey { case rules = "plan_rules" }
    public var rules: PlanRules
    public init(rules: PlanRules = .ifrc) { self.rules = rules }
    public static let defaults = PlanSettings()

    public func json(_ key: Key) -> String { SettingsJSON.encode(rules) }

    public func replacing(_ key: Key, json: String) throws(ValidationErrors) -> PlanSettings {
        let rules = try SettingsJSON.decode(PlanRules.self, json, field: key.rawValue)
        var errors = ValidationErrors()
        if rules.dueWithinDays < 1 || rules.dueWithinDays > 365 {
            errors.add(key.rawValue, key: "error.settings_invalid", "due_within_days must be 1–365.")
        }
        if rules.reviewEveryMonths < 1 || rules.reviewEveryMonths > 36 {
            errors.add(key.rawValue, key: "error.settings_invalid", "review_every_months must be 1–36.")
        }
        if rules.reviewAfterPhaseChangeDays < 0 || rules.reviewAfterPhaseChangeDays > 90 {
            errors.add(key.rawValue, key: "error.settings_invalid", "review_after_phase_change_days must be 0–90.")
        }
        try errors.throwIfAny()
        return PlanSettings(rules: rules)
    }
}
