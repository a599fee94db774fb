/// The person asking, as far as access decisions go.
public struct Viewer: Sendable, Hashable {
    /// Always an account: a viewer is someone signed in. The command line without an account has
    /// no viewer, only `AccessPolicy.unnamedOperatorScope`.
    public let userID: UserID
    public let isSystemAdministrator: Bool
    /// The viewer's role in each operation they belong to.
    public let roles: [OperationID: Role]

    public init(userID: UserID, isSystemAdministrator: Bool, roles: [OperationID: Role]) {
        self.userID = userID
        self.isSystemAdministrator = isSystemAdministrator
        self.roles = roles
    }

    public func role(in operationID: OperationID) -> Role? { roles[operationID] }

    /// Is `id` this viewer's own id? False for nil: a record by nobody is nobody's own.
    public func isUser(_ id: UserID?) -> Bool { id == userID }
}

/// What the access decision needs to know about a record.
public struct RecordAccess: Sendable, Hashable {
    public let operationID: OperationID
    public let audience: AudienceLevel
    public let createdBy: UserID?
    /// For `restricted` records: the users and roles named on the record.
    public let namedUserIDs: Set<UserID>
    public let namedRoles: Set<Role>

    public init(
        operationID: OperationID, audience: AudienceLevel, createdBy: UserID?,
        namedUserIDs: Set<UserID> = [], namedRoles: Set<Role> = []
    ) {
        self.operationID = operationID
        self.audience = audience
        self.createdBy = createdBy
        self.namedUserIDs = namedUserIDs
        self.namedRoles = namedRoles
    }
}

/// The one place that decides who may see or change what.
///
/// Every page, list, search, map, export and API path asks this policy, either directly
/// (`canView`, `canChange`) or through `Scope`, which carries the same decision into SQL.
/// A record is only ever visible to members of its operation; system administrators manage
/// accounts and operations but do not see records unless they are also members.
public enum AccessPolicy {
    /// Audience levels (other than `restricted`) that a role clears.
    public static func clearedLevels(for role: Role) -> Set<AudienceLevel> {
        switch role {
        case .headOfOperations, .securityCoordinator, .migrationCoordinator, .staff:
            [.public, .movement, .ifrcAndNationalSociety, .ifrcOnly]
        case .nationalSocietyFocalPoint:
            [.public, .movement, .ifrcAndNationalSociety]
        case .partner:
            // Partners may be outside the Red Cross Red Crescent Movement.
            [.public]
        }
    }

    /// May `viewer` see `record`?
    public static func canView(_ record: RecordAccess, by viewer: Viewer) -> Bool {
        guard let role = viewer.role(in: record.operationID) else { return false }
        if record.audience == .restricted {
            return viewer.isUser(record.createdBy) || record.namedUserIDs.contains(viewer.userID)
                || record.namedRoles.contains(role)
        }
        return clearedLevels(for: role).contains(record.audience)
    }

    /// May `viewer` change or delete `record`? Only what one can see, and never as a partner.
    public static func canChange(_ record: RecordAccess, by viewer: Viewer) -> Bool {
        guard canView(record, by: viewer), let role = viewer.role(in: record.operationID) else { return false }
        if role.managesRecords { return true }
        return role.mayCreate && viewer.isUser(record.createdBy)
    }

    /// `canChange` for a store that holds a `Scope` and has already kept to what it may see: those
    /// who manage records, or the record's author. The command line without an account names
    /// nobody; whoever runs it administers the server and changes what the scope sees.
    public static func canChange(createdBy: UserID?, through scope: Scope) -> Bool {
        guard case .user(let userID) = scope.reader else { return true }
        if scope.role.managesRecords { return true }
        return scope.role.mayCreate && createdBy == userID
    }

    /// May `viewer` create a record with this audience in the operation? One may not create
    /// what one could not see afterwards.
    public static func canCreate(_ record: RecordAccess, by viewer: Viewer) -> Bool {
        guard let role = viewer.role(in: record.operationID), role.mayCreate else { return false }
        return canView(record, by: viewer)
    }

    /// The operations a viewer may see, as a query can use it.
    public enum OperationSet: Sendable, Hashable {
        case all
        case only(Set<OperationID>)

        public func contains(_ operationID: OperationID) -> Bool {
            switch self {
            case .all: true
            case .only(let ids): ids.contains(operationID)
            }
        }
    }

    /// Operations `viewer` may see (name, map frame, member list): administrators all, others
    /// those they belong to.
    public static func visibleOperations(for viewer: Viewer) -> OperationSet {
        viewer.isSystemAdministrator ? .all : .only(Set(viewer.roles.keys))
    }

    /// May `viewer` see the operation itself?
    public static func canViewOperation(_ operationID: OperationID, by viewer: Viewer) -> Bool {
        visibleOperations(for: viewer).contains(operationID)
    }

    /// May `viewer` create records (sites, incidents) in the operation at all? The record's own
    /// audience is judged by `canCreate` once it is known; this says whether to read the record at all.
    public static func canCreateRecords(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID)?.mayCreate ?? false
    }

    /// May `viewer` change the operation's settings, members and boundaries?
    public static func canManageOperation(_ operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.isSystemAdministrator || viewer.role(in: operationID) == .headOfOperations
    }

    /// Does `viewer` see only part of the operation's records, by design (the NS focal point and
    /// partners, who are not cleared for IFRC-only records)? Their counts are true for what they may
    /// see, but a trend or a map of zeros drawn from them would mislead; pages leave those out.
    public static func seesPartialPicture(in operationID: OperationID, by viewer: Viewer) -> Bool {
        guard let role = viewer.role(in: operationID) else { return true }
        return !clearedLevels(for: role).contains(.ifrcOnly)
    }

    /// May `viewer` read the operation's audit trail?
    public static func canReadAudit(of operationID: OperationID, by viewer: Viewer) -> Bool {
        canManageOperation(operationID, by: viewer)
    }

    /// The roles that run security follow-up: verifying, analysing and closing incidents, and
    /// seeing who reported an incident when the reporter asked to stay unnamed.
    public static func isSecurityRole(_ role: Role) -> Bool {
        role == .securityCoordinator || role == .headOfOperations
    }

    /// May `viewer` see who reported an incident they can see? Everyone who can see the incident,
    /// unless the reporter asked to be hidden: then only security roles and the reporter.
    public static func canSeeReporter(of record: RecordAccess, reporterID: UserID?, hidden: Bool, by viewer: Viewer)
        -> Bool
    {
        guard canView(record, by: viewer), let role = viewer.role(in: record.operationID) else { return false }
        return !hidden || isSecurityRole(role) || viewer.isUser(reporterID)
    }

    /// May `viewer` read the values of an audit entry about a record of `kind` that has no audience
    /// of its own? The same rule as for reading the record itself; nil for kinds with an audience,
    /// which are decided record by record (risk, site, incident, tally), and false for unknown ones.
    public static func canReadAuditedValues(ofKind kind: String, in operationID: OperationID, by viewer: Viewer)
        -> Bool?
    {
        switch kind {
        case "operation", "membership", "admin_area": canManageOperation(operationID, by: viewer)
        case "operation_settings": canEditSecuritySettings(in: operationID, by: viewer)
        case "phase_declaration", "phase_authority": canViewPhaseDeclarations(in: operationID, by: viewer)
        // Compliance is judged against the plans and shares their readers.
        case "security_plan", "compliance", "compliance_exemption", "compliance_pack":
            canViewSecurityPlans(in: operationID, by: viewer)
        case "scenario": canViewScenarios(in: operationID, by: viewer)
        case "context_import": canViewContextEvents(in: operationID, by: viewer)
        case "population_figures": canViewPopulationFigures(in: operationID, by: viewer)
        case "service", "service_import": canViewServiceDirectory(in: operationID, by: viewer)
        case "activity": canViewActivities(in: operationID, by: viewer)
        case "protection_risk": canViewProtectionRisks(in: operationID, by: viewer)
        case "needs_assessment", "assessment_import", "assessment_mapping":
            canViewAssessments(in: operationID, by: viewer)
        // A referral is about a person: only who keeps every referral reads what changed.
        case "referral", "referral_case_worker": viewer.role(in: operationID) == .migrationCoordinator
        // Personal data: the security roles who answer for it. A named focal point reads the
        // register, not the trail; an administrator who is not a member reads neither.
        case "person", "personnel_view", "roll_call", "security_focal_point", "movement", "training_session", "alert",
            "critical_incident":
            viewer.role(in: operationID).map(isSecurityRole) ?? false
        case "stakeholder_import": canViewNetwork(in: operationID, by: viewer)
        // Who looked at whose contacts names the entries: decided by whether the reader sees each.
        case "risk", "risk_report", "site", "incident", "flow_observation", "stakeholder", "meeting",
            "stakeholder_view":
            nil
        default: false
        }
    }

    /// May `scope` read a risk's wording as it was written for `audience` (a past version, an audit
    /// entry of its time)? The risk's own rule at that audience, with the roles always named on a
    /// restricted risk: widening a risk later does not open its earlier wording to the new readers.
    public static func canReadRiskWording(writtenFor audience: AudienceLevel, createdBy: UserID?, through scope: Scope)
        -> Bool
    {
        scope.contains(
            RecordAccess(
                operationID: scope.operationID, audience: audience, createdBy: createdBy,
                namedRoles: rolesNamedOnRisk(audience: audience)))
    }

    /// May `viewer` see the e-mail addresses of an operation's members? Those inside the Movement
    /// (every role but partner) and administrators; partners see names and roles only.
    public static func canSeeMemberContacts(in operationID: OperationID, by viewer: Viewer) -> Bool {
        if viewer.isSystemAdministrator { return true }
        guard let role = viewer.role(in: operationID) else { return false }
        return role != .partner
    }

    /// May `viewer` lift a hidden reporter's anonymity? The reporter alone: the protection is theirs.
    public static func canUnhideReporter(reporterID: UserID?, by viewer: Viewer) -> Bool {
        viewer.isUser(reporterID)
    }

    /// Whether an edit that asks for `requested` (nil: the field was left out) keeps the reporter
    /// hidden. Leaving the field out keeps what is stored; hiding is always allowed; un-hiding by
    /// anyone but the reporter is refused (`nil` here), so a form or `PUT` never weakens it silently.
    public static func reporterHidden(requested: Bool?, stored: Bool, reporterID: UserID?, by viewer: Viewer) -> Bool? {
        guard let requested else { return stored }
        if stored && !requested && !canUnhideReporter(reporterID: reporterID, by: viewer) { return nil }
        return requested
    }

    /// The roles named on every restricted incident: a report that security cannot read defeats
    /// its purpose, so the Security Coordinator and the HeOps always see it.
    public static func rolesNamedOnIncident(audience: AudienceLevel) -> Set<Role> {
        audience == .restricted ? [.securityCoordinator, .headOfOperations] : []
    }

    /// May `viewer` add a report to an incident's timeline? Those who may change it, and security roles.
    public static func canAddReport(to record: RecordAccess, by viewer: Viewer) -> Bool {
        canChange(record, by: viewer) || canFollowUp(record, by: viewer)
    }

    /// May `viewer` see the events an operation imported from published sources (AWSD, SiND,
    /// ACLED)? They are public data: every member of the operation, whatever the role.
    public static func canViewContextEvents(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID) != nil
    }

    /// May `viewer` import published incidents (AWSD, SiND, ACLED, HXL) into an operation? The
    /// security coordinator and the HeOps, who own the operation's security picture; administrators.
    public static func canImportContextEvents(in operationID: OperationID, by viewer: Viewer) -> Bool {
        if viewer.isSystemAdministrator { return true }
        guard let role = viewer.role(in: operationID) else { return false }
        return role == .securityCoordinator || role == .headOfOperations
    }

    /// May `viewer` set an incident's verification and source? The coordinator's judgement of the
    /// report, not the reporter's: security roles. Others' reports are unverified staff reports,
    /// and their edits keep what security set.
    public static func canJudgeIncidentReports(in operationID: OperationID, by viewer: Viewer) -> Bool {
        guard let role = viewer.role(in: operationID) else { return false }
        return isSecurityRole(role)
    }

    /// May `viewer` move an incident through verified → analysed → closed?
    public static func canFollowUp(_ record: RecordAccess, by viewer: Viewer) -> Bool {
        guard canView(record, by: viewer), let role = viewer.role(in: record.operationID) else { return false }
        return isSecurityRole(role)
    }

    /// May `viewer` write the operation's security risk assessment (risks, their measures, links to
    /// incidents, the "what changed" reports)? The security coordinator and the HeOps, who own it;
    /// everyone else reads it as far as each risk's audience allows.
    public static func canManageRisks(in operationID: OperationID, by viewer: Viewer) -> Bool {
        guard let role = viewer.role(in: operationID) else { return false }
        return isSecurityRole(role)
    }

    /// May `viewer` change the operation's security settings (risk matrix, threat catalogue,
    /// rules)? Those who own the risk assessment, and whoever manages the operation.
    public static func canEditSecuritySettings(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canManageRisks(in: operationID, by: viewer) || canManageOperation(operationID, by: viewer)
    }

    /// May `viewer` see the operation's security phases (the map and the phase in force per area)?
    /// Phases exist to tell everyone quickly how dangerous an area is: every member.
    public static func canViewPhases(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID) != nil
    }

    /// May `viewer` read the declarations behind the phases (justifications, indicators, approvals,
    /// pending ones)? Members of the Movement; not partners, who may be outside it.
    public static func canViewPhaseDeclarations(in operationID: OperationID, by viewer: Viewer) -> Bool {
        guard let role = viewer.role(in: operationID) else { return false }
        return role != .partner
    }

    /// May `viewer` declare a phase, withdraw a pending declaration or record who was told? The
    /// security coordinator, who prepares it, and the HeOps, the operation's senior manager.
    /// Approving is decided by the authority held (`PhaseDeclaration.approved`), not the role.
    public static func canDeclarePhase(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canManageRisks(in: operationID, by: viewer)
    }

    /// May `viewer` read the operation's security plans (versions, text, attachments, clocks)?
    /// They are IFRC documents: whoever is cleared for IFRC-only records, not the National
    /// Society's focal point or partners.
    public static func canViewSecurityPlans(in operationID: OperationID, by viewer: Viewer) -> Bool {
        guard let role = viewer.role(in: operationID) else { return false }
        return clearedLevels(for: role).contains(.ifrcOnly)
    }

    /// May `viewer` write a plan's versions, attach documents, send a version for review, and
    /// record reviews and yearly approvals? Security roles. Approving a version is the senior
    /// manager's authority (checked by the plans' store), never the author's own.
    public static func canWriteSecurityPlans(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canManageRisks(in: operationID, by: viewer)
    }

    /// May `viewer` read the operation's MSR compliance (assessments, exemptions, the pack)? The
    /// same IFRC readers as the security plans, which compliance checks.
    public static func canViewCompliance(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canViewSecurityPlans(in: operationID, by: viewer)
    }

    /// May `viewer` assess compliance and grant exemptions? Those who write the security plans.
    public static func canWriteCompliance(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canWriteSecurityPlans(in: operationID, by: viewer)
    }

    /// May `viewer` assess a site's security (checklist, score, recommendations) or tick a
    /// recommendation off? Those who own the risk assessment. Reading an assessment follows the
    /// site: whoever may see the site sees its assessments.
    public static func canAssessSites(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canManageRisks(in: operationID, by: viewer)
    }

    /// May `viewer` see the operation's displacement figures? Published and aggregate numbers,
    /// without personal data: every member.
    public static func canViewPopulationFigures(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID) != nil
    }

    /// May `viewer` import displacement figures? The migration coordinator, who owns the
    /// population picture, and the HeOps; administrators.
    public static func canImportPopulationFigures(in operationID: OperationID, by viewer: Viewer) -> Bool {
        if viewer.isSystemAdministrator { return true }
        guard let role = viewer.role(in: operationID) else { return false }
        return role == .migrationCoordinator || role == .headOfOperations
    }

    /// May `viewer` see the operation's scenarios? IFRC planning documents whose projection and
    /// actual figures sum the tallies of `scenarioScope`: whoever is cleared for IFRC-only records.
    public static func canViewScenarios(in operationID: OperationID, by viewer: Viewer) -> Bool {
        guard let role = viewer.role(in: operationID) else { return false }
        return clearedLevels(for: role).contains(.ifrcOnly)
    }

    /// May `viewer` write and revise scenarios? Those who own the population picture, as for its figures.
    public static func canWriteScenarios(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canImportPopulationFigures(in: operationID, by: viewer)
    }

    /// The tallies a scenario's projection and its actual arrivals are summed from. Not the author's
    /// scope: a kept projection is read by every reader of scenarios, so it must never sum a tally
    /// some of them may not see. Every reader is cleared for what a staff member sees.
    public static func scenarioScope(in operationID: OperationID) -> Scope {
        unnamedOperatorScope(in: operationID)
    }

    /// May `viewer` record tallies at the operation's flow-monitoring points? Enumerators are
    /// staff and National Society volunteers as much as coordinators: everyone who may create
    /// records (not partners). The point itself must be visible to them.
    public static func canRecordFlows(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canCreateRecords(in: operationID, by: viewer)
    }

    /// May `viewer` describe a site as a flow-monitoring point (type, movements, hours, transport)?
    /// Those who manage the operation's shared records: coordinators and the HeOps.
    public static func canDescribeFlowPoints(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID)?.managesRecords ?? false
    }

    /// How much of an operation's personnel register `viewer` reaches (SECURITY.md §3.1.9, issue 16):
    /// the Security Coordinator, the HeOps and the security focal points the HeOps names read and
    /// keep everyone's record; every other member of the Movement only their own; partners nothing.
    /// `isNamedFocalPoint` says whether the viewer is named a focal point in this operation
    /// (`PersonStore.focalPoints`). Administrators who are not members see no one.
    public static func personnelReach(in operationID: OperationID, by viewer: Viewer, isNamedFocalPoint: Bool)
        -> PersonnelReach
    {
        guard let role = viewer.role(in: operationID), role != .partner else { return .none }
        if isSecurityRole(role) || isNamedFocalPoint { return .everyone }
        return .own
    }

    /// The register as a query reads it for `viewer`; nil when they reach no one.
    public static func personnelScope(in operationID: OperationID, for viewer: Viewer, isNamedFocalPoint: Bool)
        -> PersonnelScope?
    {
        switch personnelReach(in: operationID, by: viewer, isNamedFocalPoint: isNamedFocalPoint) {
        case .none: nil
        case .own: PersonnelScope(operationID: operationID, actorID: viewer.userID, onlyUser: viewer.userID)
        case .everyone: PersonnelScope(operationID: operationID, actorID: viewer.userID, onlyUser: nil)
        }
    }

    /// The command line's reach without `--as`: the whole register. Whoever runs it administers
    /// the server and holds its database; the commands record what they read in the audit trail.
    public static func operatorPersonnelScope(in operationID: OperationID) -> PersonnelScope {
        PersonnelScope(operationID: operationID, actorID: nil, onlyUser: nil)
    }

    /// May `viewer` send an entry queued on a device under `account` (issue 21)? Only the account
    /// that made it: a device shared by two people never sends one's entries under the other.
    public static func canSendQueuedEntry(queuedBy account: String, by viewer: Viewer) -> Bool {
        account == viewer.userID.uuidString
    }

    /// May the reader triage the inbox of messages from SMS and WhatsApp gateways (issue 21), and
    /// answer them? Those who keep the register (the Security Coordinator, the HeOps, the named
    /// security focal points): a message names its sender and is matched to a person of the register.
    public static func canTriageInbox(through scope: PersonnelScope) -> Bool { scope.reachesEveryone }

    /// May `viewer` add a gateway to the operation? Its secret lets a sender post into the inbox, so
    /// the security roles only.
    public static func canManageGateways(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID).map(isSecurityRole) ?? false
    }

    /// May `viewer` name (or un-name) the operation's security focal points, who read the register?
    /// Whoever manages the operation: the HeOps, as with the approving authorities.
    public static func canNameSecurityFocalPoints(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canManageOperation(operationID, by: viewer)
    }

    /// May a member of this role be named a security focal point? Partners never read the register;
    /// the security roles read it already.
    public static func canBeNamedSecurityFocalPoint(_ role: Role) -> Bool {
        role != .partner && !isSecurityRole(role)
    }

    /// What a reader may record as a briefing: those who keep the register any briefing; a person
    /// of their own only that they read the Security Welcome Brief.
    public static func canRecordBriefing(_ kind: BriefingKind, through scope: PersonnelScope) -> Bool {
        scope.reachesEveryone || kind == .welcomeBrief
    }

    /// The field-movement authorities a member holds: the Security Coordinator's by role; the senior
    /// manager's and the Head of GSU's as the phases name them (`PhaseStore.authorities`).
    public static func movementAuthorities(role: Role?, phaseAuthorities: Set<PhaseAuthority>) -> Set<MovementAuthority>
    {
        var held = Set<MovementAuthority>()
        if role == .securityCoordinator { held.insert(.securityCoordinator) }
        if phaseAuthorities.contains(.seniorManager) { held.insert(.seniorManager) }
        if phaseAuthorities.contains(.headOfGSU) { held.insert(.headOfGSU) }
        return held
    }

    /// The approvals `viewer` may give a movement request now: those it still needs, of the ones
    /// they hold, and never on a request of their own.
    public static func movementApprovals(
        missing: Set<MovementAuthority>, requestedBy: UserID?, held: Set<MovementAuthority>, by viewer: Viewer
    ) -> Set<MovementAuthority> {
        viewer.isUser(requestedBy) ? [] : missing.intersection(held)
    }

    /// May the reader cancel a movement (not yet under way)? Those who keep the register, and whoever requested it.
    public static func canCancelMovement(requestedBy: UserID?, through scope: PersonnelScope) -> Bool {
        scope.reachesEveryone || (requestedBy != nil && requestedBy == scope.actorID)
    }

    /// May the reader send alerts to people of the register? Those who keep it: an alert is chosen
    /// by where people are, which only they may read.
    public static func canSendAlerts(through scope: PersonnelScope) -> Bool { scope.reachesEveryone }

    /// May the reader see who an alert went to, each delivery and each answer? Those who keep the
    /// register; a recipient reads the alert and their own answer only.
    public static func canSeeAlertRecipients(through scope: PersonnelScope) -> Bool { scope.reachesEveryone }

    /// May `viewer` see that alert deliveries are failing (the monitor)? The Security Coordinator,
    /// the HeOps and administrators, who can act on a channel that stopped.
    public static func canSeeChannelHealth(in operationID: OperationID?, by viewer: Viewer) -> Bool {
        if viewer.isSystemAdministrator { return true }
        guard let operationID, let role = viewer.role(in: operationID) else { return false }
        return isSecurityRole(role)
    }

    /// A reader's reach over the operation's critical incidents (SECURITY.md §3.1.6, issue 17): the
    /// Security Coordinator and the HeOps see every one; any other member only those whose crisis
    /// team names them (matched by their account). nil for non-members.
    public static func crisisScope(in operationID: OperationID, for viewer: Viewer) -> CrisisScope? {
        guard let role = viewer.role(in: operationID) else { return nil }
        return CrisisScope(operationID: operationID, actorID: viewer.userID, seesAll: isSecurityRole(role))
    }

    /// The command line's and the demo's reach: every critical incident.
    public static func operatorCrisisScope(in operationID: OperationID) -> CrisisScope {
        CrisisScope(operationID: operationID, actorID: nil, seesAll: true)
    }

    /// May the reader open a critical incident (take the first call)? The Security Coordinator and the HeOps.
    public static func canOpenCriticalIncident(through scope: CrisisScope) -> Bool { scope.seesAll }

    /// May `viewer` see the emergency numbers (coordinators, radio room)? Every member: a person in
    /// trouble must be able to call, even a partner.
    public static func canSeeEmergencyNumbers(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID) != nil
    }

    /// May `viewer` read the operation's referral directory (services, their places, hours and
    /// contacts)? A directory exists to be handed out: every member, partners included, who are often
    /// the providers. Referrals themselves are another matter (issue 18).
    public static func canViewServiceDirectory(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID) != nil
    }

    /// May `viewer` add, change, import or remove services? The Migration & Displacement
    /// Coordinator, who keeps the referral pathways, and the HeOps.
    public static func canManageServiceDirectory(in operationID: OperationID, by viewer: Viewer) -> Bool {
        guard let role = viewer.role(in: operationID) else { return false }
        return role == .migrationCoordinator || role == .headOfOperations
    }

    /// May `viewer` read the operation's EPoA activities for people on the move (targets, reach, the
    /// 3W)? Figures without personal data, shared with the Movement and partners alike: every member.
    public static func canViewActivities(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID) != nil
    }

    /// May `viewer` add activities and record their reach? Those who keep the directory: the
    /// Migration & Displacement Coordinator and the HeOps.
    public static func canManageActivities(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canManageServiceDirectory(in: operationID, by: viewer)
    }

    /// May a member of this role read the protection-risk register? It names what authorities,
    /// smugglers and others do to people on the move, and where: the Movement reads it, partners
    /// (who may be those authorities' contractors) never. Fixed by role rather than by a record's
    /// audience, so no earlier version is ever written for a narrower circle than its readers.
    public static func readsProtectionRisks(_ role: Role) -> Bool { role != .partner }

    /// May `viewer` read the operation's protection-risk register, its heat map and what changed?
    public static func canViewProtectionRisks(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID).map(readsProtectionRisks) ?? false
    }

    /// May `viewer` add, change and close protection risks, and set the exposure method? The
    /// Migration & Displacement Coordinator, who answers for them, and the HeOps.
    public static func canManageProtectionRisks(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canManageServiceDirectory(in: operationID, by: viewer)
    }

    /// May `viewer` read the operation's needs assessments and their results by group? Every member:
    /// assessments are shared to coordinate; their submissions are never shown one by one, and small
    /// counts are suppressed for those who do not keep them (`seesExactAssessmentFigures`).
    public static func canViewAssessments(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID) != nil
    }

    /// May `viewer` record assessments and import their KoBo or ODK submissions? Those who keep the
    /// directory and the activities: the Migration & Displacement Coordinator and the HeOps.
    public static func canManageAssessments(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canManageServiceDirectory(in: operationID, by: viewer)
    }

    /// Does `viewer` read assessment figures exact? Those who keep them; everyone else reads counts
    /// under 5 suppressed (`SmallCells`): a count of 2 unaccompanied girls at one site names them.
    public static func seesExactAssessmentFigures(in operationID: OperationID, by viewer: Viewer) -> Bool {
        canManageAssessments(in: operationID, by: viewer)
    }

    /// May a member of this role read the stakeholder registry and the coordination log? The
    /// Movement; partners never: the network names officials, community leaders and their numbers,
    /// and a partner may sit across the table from them. Within it, every entry's audience decides.
    public static func readsNetwork(_ role: Role) -> Bool { role != .partner }

    /// May `viewer` read the operation's stakeholder registry and meetings (at their audiences)?
    public static func canViewNetwork(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID).map(readsNetwork) ?? false
    }

    /// May `viewer` keep the registry (add, change, verify, import, merge, remove entries)? The two
    /// coordinators, whose network it is, and the HeOps.
    public static func canManageNetwork(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID)?.managesRecords ?? false
    }

    /// May `viewer` record meetings? Every member of the Movement who creates records: staff attend
    /// clusters and security cells too. They change their own; the coordinators and the HeOps any.
    public static func canRecordMeetings(in operationID: OperationID, by viewer: Viewer) -> Bool {
        guard let role = viewer.role(in: operationID) else { return false }
        return readsNetwork(role) && role.mayCreate
    }

    /// Who is named on a restricted registry entry besides its author: the member who owns the
    /// relationship. On a restricted meeting: the members who represented the IFRC.
    public static func namedOnStakeholder(ownerID: UserID?) -> Set<UserID> { ownerID.map { [$0] } ?? [] }

    /// May `viewer` read the operation's advocacy products? Every member, each product by its rules
    /// (`canViewProduct`): partners only those shared with them in Bearing.
    public static func canViewProducts(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID) != nil
    }

    /// May `viewer` write products, submit them for review and distribute approved ones? The two
    /// coordinators, whose advocacy agenda it is, and the HeOps.
    public static func canWriteProducts(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID)?.managesRecords ?? false
    }

    /// May `viewer` approve products? The HeOps, never their own (`ProductWorkflow`).
    public static func canApproveProducts(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID) == .headOfOperations
    }

    /// Does a role read products while they are drafted and reviewed? Those who write them; anyone
    /// else only the drafts they wrote or review.
    public static func readsProductDrafts(_ role: Role) -> Bool { role.managesRecords }

    /// May a member of this role be named a reviewer (technical, protection, communications)? The
    /// Movement's members.
    public static func canBeNamedReviewer(_ role: Role) -> Bool { role != .partner }

    /// May a member of this role review a product of `audience`? A member of the Movement cleared for
    /// it: naming a reviewer does not widen who reads a product (only a restricted one names its readers).
    public static func canReviewProduct(audience: AudienceLevel, role: Role) -> Bool {
        canBeNamedReviewer(role) && (audience == .restricted || clearedLevels(for: role).contains(audience))
    }

    /// May a product of `audience` be shared in Bearing with a member of this role? Those its audience
    /// lets in; a restricted product with members of the Movement (it then names them).
    public static func canShareProduct(audience: AudienceLevel, with role: Role) -> Bool {
        audience == .restricted ? role != .partner : clearedLevels(for: role).contains(audience)
    }

    /// May a member of this role represent the IFRC at a meeting? The Movement: a partner speaks for
    /// their own organisation.
    public static func canRepresentIFRC(_ role: Role) -> Bool { role != .partner }

    /// May `viewer` mark an action point done or open again? Who may change its meeting, or the member
    /// who carries it.
    public static func canMarkAction(owner: ActionOwner?, of meeting: RecordAccess, by viewer: Viewer) -> Bool {
        canChange(meeting, by: viewer) || owner == .member(viewer.userID)
    }

    /// May `viewer` see this product? Its audience first (a restricted one names its reviewers and
    /// the members it was shared with); then, in drafting, those who write products, its author and
    /// its reviewers; approved, everyone the audience lets in, but a partner only what was shared
    /// with them in Bearing.
    public static func canViewProduct(
        _ record: RecordAccess, approved: Bool, reviewers: Set<UserID>, sharedWith: Set<UserID>, by viewer: Viewer
    ) -> Bool {
        guard let role = viewer.role(in: record.operationID), canView(record, by: viewer) else { return false }
        if role == .partner { return approved && sharedWith.contains(viewer.userID) }
        return approved || readsProductDrafts(role) || viewer.isUser(record.createdBy)
            || reviewers.contains(viewer.userID)
    }

    /// A reader's reach over the operation's referrals (issue 18): restricted by default. The
    /// Migration & Displacement Coordinator reads and keeps every one; a caseworker the coordinator
    /// names (`isNamedCaseWorker`, `ReferralStore.caseWorkers`) those they made or follow up; nobody
    /// else any (the HeOps included, who reads the aggregates). nil for those who reach none.
    public static func referralScope(in operationID: OperationID, for viewer: Viewer, isNamedCaseWorker: Bool)
        -> ReferralScope?
    {
        let role = viewer.role(in: operationID)
        guard canFollowUpReferrals(role, isNamedCaseWorker: isNamedCaseWorker) else { return nil }
        return ReferralScope(
            operationID: operationID, actorID: viewer.userID,
            onlyCaseWorker: role == .migrationCoordinator ? nil : viewer.userID)
    }

    /// May a member of this role make and follow up referrals? The coordinator, and a caseworker
    /// the coordinator named (of a role that may be named): who `referralScope` reaches, and whom a
    /// referral may be given to.
    public static func canFollowUpReferrals(_ role: Role?, isNamedCaseWorker: Bool) -> Bool {
        guard let role else { return false }
        return role == .migrationCoordinator || isNamedCaseWorker && canBeNamedCaseWorker(role)
    }

    /// Does the reader see referral figures exact? Only who reaches every referral (the coordinator);
    /// everyone else, caseworkers included, reads counts under 5 suppressed (`SmallCells`).
    public static func seesExactReferralFigures(through scope: ReferralScope?) -> Bool {
        scope?.reachesAll == true
    }

    /// May the reader give a referral's follow-up to someone else? Who reaches every referral, so
    /// that a caseworker who leaves does not strand theirs.
    public static func canReassignReferrals(through scope: ReferralScope) -> Bool { scope.reachesAll }

    /// The command line's and the demo's reach: every referral.
    public static func operatorReferralScope(in operationID: OperationID) -> ReferralScope {
        ReferralScope(operationID: operationID, actorID: nil, onlyCaseWorker: nil)
    }

    /// May `viewer` read referral figures (by service, status, time to acceptance), never a referral?
    /// Members of the Movement; not partners, who may be the providers referred to.
    public static func canSeeReferralAggregates(in operationID: OperationID, by viewer: Viewer) -> Bool {
        guard let role = viewer.role(in: operationID) else { return false }
        return role != .partner
    }

    /// May `viewer` name (or un-name) the operation's caseworkers, who make referrals? The Migration
    /// & Displacement Coordinator, who answers for them.
    public static func canNameCaseWorkers(in operationID: OperationID, by viewer: Viewer) -> Bool {
        viewer.role(in: operationID) == .migrationCoordinator
    }

    /// May a member of this role be named a caseworker? Members of the Movement other than the HeOps,
    /// who oversees the response through its figures and cannot name themselves into its cases.
    public static func canBeNamedCaseWorker(_ role: Role) -> Bool {
        role != .partner && role != .headOfOperations
    }

    /// May a member of this role approve a referral made without consent? The coordinator.
    public static func canApproveReferralOverride(_ role: Role?) -> Bool { role == .migrationCoordinator }

    /// The roles named on every restricted risk: as with incidents, security always reads it.
    public static func rolesNamedOnRisk(audience: AudienceLevel) -> Set<Role> {
        rolesNamedOnIncident(audience: audience)
    }

    /// The visibility of records in one operation for one viewer, for queries.
    public static func scope(in operationID: OperationID, for viewer: Viewer) -> Scope? {
        guard let role = viewer.role(in: operationID) else { return nil }
        return Scope(
            operationID: operationID, reader: .user(viewer.userID), role: role, clearedLevels: clearedLevels(for: role))
    }

    /// The scope a product's figures are counted through: what its audience may see, and never a
    /// restricted record (it names nobody), so a figure never counts what its readers could not see.
    public static func audienceScope(in operationID: OperationID, audience: AudienceLevel) -> Scope {
        Scope(
            operationID: operationID, reader: .unnamedOperator, role: audience == .public ? .partner : .staff,
            clearedLevels: Set(AudienceLevel.allCases.filter { $0 != .restricted && $0 <= audience }))
    }

    /// The command line's scope when no account is named (`--as`): every audience a staff member
    /// is cleared for, and never a restricted record, whoever it names. Whoever runs the command
    /// administers the server, but a script's export should not carry restricted incidents.
    public static func unnamedOperatorScope(in operationID: OperationID) -> Scope {
        Scope(
            operationID: operationID, reader: .unnamedOperator, role: .staff, clearedLevels: clearedLevels(for: .staff))
    }
}

/// The viewer's visibility in one operation, in a shape a query can use.
///
/// A record is in scope when it belongs to `operationID` and either its audience is in
/// `clearedLevels`, or it is restricted and created by, or names, the user or the role.
/// `contains` must agree with `AccessPolicy.canView`; the access matrix test proves it, and the
/// SQL form in Persistence is tested against this function.
public struct Scope: Sendable, Hashable {
    /// Who reads through the scope.
    public enum Reader: Sendable, Hashable {
        /// A signed-in account, who may be named on (or have created) restricted records.
        case user(UserID)
        /// The command line without `--as`: names nobody, so never reads a restricted record.
        case unnamedOperator
    }

    public let operationID: OperationID
    public let reader: Reader
    public let role: Role
    public let clearedLevels: Set<AudienceLevel>

    init(operationID: OperationID, reader: Reader, role: Role, clearedLevels: Set<AudienceLevel>) {
        self.operationID = operationID
        self.reader = reader
        self.role = role
        self.clearedLevels = clearedLevels
    }

    /// The reader's account; nil for a scope that names nobody.
    public var userID: UserID? {
        if case .user(let id) = reader { id } else { nil }
    }

    public func contains(_ record: RecordAccess) -> Bool {
        guard record.operationID == operationID else { return false }
        if record.audience == .restricted {
            guard let userID else { return false }
            return record.createdBy == userID || record.namedUserIDs.contains(userID)
                || record.namedRoles.contains(role)
        }
        return clearedLevels.contains(record.audience)
    }
}

/// The critical incidents a reader reaches, in a shape a query can use. Made only by
/// `AccessPolicy.crisisScope` and `operatorCrisisScope`.
public struct CrisisScope: Sendable, Hashable {
    public let operationID: OperationID
    /// Who reads and writes, for the audit trail and the log; nil for the command line.
    public let actorID: UserID?
    /// Every critical incident (the security roles); else only those whose team names the reader.
    public let seesAll: Bool

    init(operationID: OperationID, actorID: UserID?, seesAll: Bool) {
        self.operationID = operationID
        self.actorID = actorID
        self.seesAll = seesAll
    }

    /// The same reach, recorded as done by `actor` (the demo).
    public func acting(as actor: UserID?) -> CrisisScope {
        CrisisScope(operationID: operationID, actorID: actor, seesAll: seesAll)
    }
}

/// The referrals a reader reaches, in a shape a query can use. Made only by
/// `AccessPolicy.referralScope` and `operatorReferralScope`.
public struct ReferralScope: Sendable, Hashable {
    public let operationID: OperationID
    /// Who reads and writes, for the audit trail and the timeline; nil for the command line.
    public let actorID: UserID?
    /// Set for a caseworker: only the referrals they made or follow up.
    public let onlyCaseWorker: UserID?

    init(operationID: OperationID, actorID: UserID?, onlyCaseWorker: UserID?) {
        self.operationID = operationID
        self.actorID = actorID
        self.onlyCaseWorker = onlyCaseWorker
    }

    /// Does the reader keep every referral (the coordinator)?
    public var reachesAll: Bool { onlyCaseWorker == nil }

    /// The same reach, recorded as done by `actor` (the demo).
    public func acting(as actor: UserID?) -> ReferralScope {
        ReferralScope(operationID: operationID, actorID: actor, onlyCaseWorker: onlyCaseWorker)
    }
}

/// How much of the personnel register a viewer reaches.
public enum PersonnelReach: Sendable, Hashable {
    case none
    /// Their own record, found by their account.
    case own
    case everyone
}

/// The personnel register as one reader reaches it, in a shape a query can use. Made only by
/// `AccessPolicy.personnelScope` and `operatorPersonnelScope`.
public struct PersonnelScope: Sendable, Hashable {
    public let operationID: OperationID
    /// Who reads, for the audit trail; nil for the command line without an account.
    public let actorID: UserID?
    /// Set when the reader reaches only the record linked to this account.
    public let onlyUser: UserID?

    init(operationID: OperationID, actorID: UserID?, onlyUser: UserID?) {
        self.operationID = operationID
        self.actorID = actorID
        self.onlyUser = onlyUser
    }

    /// The same reach, recorded as done by `actor`: the demo and the commands that act for a named account.
    public func acting(as actor: UserID?) -> PersonnelScope {
        PersonnelScope(operationID: operationID, actorID: actor, onlyUser: onlyUser)
    }

    /// Does the reader reach everyone (and so may keep the register)?
    public var reachesEveryone: Bool { onlyUser == nil }

    /// Is a person of `operationID`, linked to `userID`, in reach?
    public func contains(operationID: OperationID, userID: UserID?) -> Bool {
        guard operationID == self.operationID else { return false }
        guard let onlyUser else { return true }
        return userID == onlyUser
    }
}
