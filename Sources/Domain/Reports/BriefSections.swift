import Foundation

/// Every section a document may hold, with the part it belongs to and the widest audience its kind
/// of content may ever reach (`fixedFloor`). Sections of records with an audience (incidents, risks,
/// meetings, products, flow points) may be narrower still: `BriefFloors` measures that on the data.
public enum BriefSection: String, CaseIterable, Codable, Sendable, Hashable {
    // Security
    case incidents = "security.incidents"
    case earlyWarnings = "security.early_warnings"
    case serious = "security.serious"
    case reportsOverdue = "security.reports_overdue"
    case risks = "security.risks"
    case phases = "security.phases"
    case plans = "security.plans"
    case compliance = "security.compliance"
    case people = "security.people"
    case movements = "security.movements"
    case criticalIncidents = "security.critical_incidents"
    case alerts = "security.alerts"
    // Migration
    case flows = "migration.flows"
    case displacement = "migration.displacement"
    case scenarios = "migration.scenarios"
    case protectionRisks = "migration.protection_risks"
    case referrals = "migration.referrals"
    case reach = "migration.reach"
    case products = "migration.products"
    // Coordination
    case meetings = "coordination.meetings"
    case actionPoints = "coordination.action_points"
    // The handover pack: the state of everything at the end of a mission
    case openRisks = "handover.risks"
    case phaseHistory = "handover.phases"
    case planClocks = "handover.plans"
    case complianceStatus = "handover.compliance"
    case peopleAndMovements = "handover.people"
    case ongoingCrises = "handover.critical_incidents"
    case network = "handover.network"
    case openActions = "handover.action_points"
    case scenarioAssumptions = "handover.scenarios"
    case protectionRegister = "handover.protection_risks"

    public var labelKey: String { "brief_section." + rawValue.replacingOccurrences(of: ".", with: "_") }

    public var part: BriefPart {
        switch self {
        case .incidents, .earlyWarnings, .serious, .reportsOverdue, .risks, .phases, .plans, .compliance, .people,
            .movements, .criticalIncidents, .alerts:
            .security
        case .flows, .displacement, .scenarios, .protectionRisks, .referrals, .reach, .products: .migration
        case .meetings, .actionPoints: .coordination
        case .openRisks, .phaseHistory, .planClocks, .complianceStatus, .peopleAndMovements, .ongoingCrises, .network,
            .openActions, .scenarioAssumptions, .protectionRegister:
            .handover
        }
    }

    public static func of(_ part: BriefPart) -> [BriefSection] { allCases.filter { $0.part == part } }

    /// The widest audience this kind of content may reach, whatever the data: personal data, plans,
    /// compliance, scenarios, critical incidents and alert health are the IFRC's; protection risks,
    /// referrals, phase declarations and the network are the Movement's (never partners').
    public var fixedFloor: AudienceLevel {
        switch self {
        case .incidents, .earlyWarnings, .serious, .risks, .flows, .displacement, .reach, .products: .public
        case .phases, .protectionRisks, .referrals, .meetings, .actionPoints, .phaseHistory, .network, .openActions,
            .protectionRegister:
            .movement
        case .reportsOverdue, .plans, .compliance, .people, .movements, .criticalIncidents, .alerts, .scenarios,
            .openRisks,
            .planClocks, .complianceStatus, .peopleAndMovements, .ongoingCrises, .scenarioAssumptions:
            .ifrcOnly
        }
    }

    /// Does the content depend on records' audiences, so that a wider audience may see less of it?
    public var dependsOnAudience: Bool {
        switch self {
        case .incidents, .earlyWarnings, .serious, .reportsOverdue, .risks, .flows, .products, .meetings,
            .actionPoints, .openRisks, .network, .openActions:
            true
        default: false
        }
    }
}

/// How a document is generated for one reader: through what audience its records are counted
/// (never a restricted record: a document names nobody), and which sections the reader may read.
public struct BriefLens: Sendable, Hashable {
    public let level: AudienceLevel
    public let sections: Set<BriefSection>

    public init(level: AudienceLevel, sections: Set<BriefSection>) {
        self.level = level
        self.sections = sections
    }

    /// The same reader's lens narrowed to a wider audience: only the sections that audience may read.
    public func widened(to audience: AudienceLevel) -> BriefLens {
        BriefLens(level: audience, sections: sections.filter { $0.fixedFloor <= audience })
    }
}

extension AccessPolicy {
    /// May `viewer` read the operation's documents? Every member, each issued document by its audience;
    /// drafts only those who write them (`readsBriefDrafts`).
    public static func canViewBriefs(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID) != nil
    }

    /// May `viewer` draft, edit and issue documents, and schedule them? The HeOps, whose documents they
    /// are, and the two coordinators who advise them.
    public static func canWriteBriefs(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID)?.managesRecords ?? false
    }

    /// May a member of `role` write these recommendations? Their coordinator, and the HeOps, who may add theirs.
    public static func canWriteRecommendations(_ recommendations: BriefRole, as role: Role) -> Bool {
        switch recommendations {
        case .security: role == .securityCoordinator || role == .headOfOperations
        case .migration: role == .migrationCoordinator || role == .headOfOperations
        }
    }

    /// May `viewer` read the security lines of the appeal budget? Those who read the security plans
    /// (the IFRC's): the lines say what protects whom, where.
    public static func canViewSecurityBudget(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canViewSecurityPlans(in: operationID, by: viewer)
    }

    /// May `viewer` propose, cost and edit the lines? Those who write the security plans.
    public static func canWriteSecurityBudget(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canWriteSecurityPlans(in: operationID, by: viewer)
    }

    /// Does a role read documents still in draft? Those who write them.
    public static func readsBriefDrafts(_ role: Role) -> Bool { role.managesRecords }

    /// The lens a reader's documents are generated through: their widest clearance (restricted
    /// records never count), and the sections each area's own rule lets them read.
    /// `reachesEveryone`: the reader keeps the personnel register (`personnelScope`).
    public static func briefLens(in operationID: OperationID, for viewer: Viewer, reachesEveryone: Bool) -> BriefLens? {
        guard let role = viewer.role(in: operationID) else { return nil }
        let level = clearedLevels(for: role).max() ?? .public
        let security = isSecurityRole(role)
        let sections = BriefSection.allCases.filter { section in
            guard section.fixedFloor <= level else { return false }
            switch section {
            case .reportsOverdue, .criticalIncidents, .alerts, .ongoingCrises: return security
            case .people, .movements, .peopleAndMovements: return reachesEveryone
            case .plans, .planClocks: return canViewSecurityPlans(in: operationID, by: viewer)
            case .compliance, .complianceStatus: return canViewCompliance(in: operationID, by: viewer)
            case .scenarios, .scenarioAssumptions: return canViewScenarios(in: operationID, by: viewer)
            case .phases, .phaseHistory: return canViewPhaseDeclarations(in: operationID, by: viewer)
            case .protectionRisks, .protectionRegister: return readsProtectionRisks(role)
            case .referrals: return canSeeReferralAggregates(in: operationID, by: viewer)
            case .meetings, .actionPoints, .network, .openActions: return readsNetwork(role)
            default: return true
            }
        }
        return BriefLens(level: level, sections: Set(sections))
    }

    /// The lens of the command line and the scheduled runs, which issue as the operation: everything
    /// the IFRC may read.
    public static func operatorBriefLens() -> BriefLens {
        BriefLens(level: .ifrcOnly, sections: Set(BriefSection.allCases))
    }

    /// May `viewer` read this issued document? Whoever its audience lets in.
    public static func canViewIssuedBrief(audience: AudienceLevel, operationID: OperationID, by viewer: Viewer) -> Bool
    {
        guard audience != .restricted, let role = viewer.role(in: operationID) else { return false }
        return clearedLevels(for: role).contains(audience)
    }
}

extension AccessPolicy {
    /// The scope a schedule issues through, as the operation (no account): the documents it drafts
    /// are found again, and what it counts is never restricted (the lens sees to that).
    public static func scheduleScope(in operationID: OperationID) -> Scope {
        Scope(
            operationID: operationID, reader: .unnamedOperator, role: .headOfOperations,
            clearedLevels: clearedLevels(for: .headOfOperations))
    }
}
