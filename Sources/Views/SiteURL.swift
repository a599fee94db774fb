import Domain
import Foundation
import Tagged

/// A value in a path: printed percent-encoded in a link, or as its `:name` placeholder when a
/// route is registered (the pattern SwiftPackageIndex-Server's `SiteURL` uses).
public enum Parameter<Value: PathValue>: Sendable, Hashable {
    case key
    case value(Value)
}

/// What may stand in a path segment.
public protocol PathValue: Sendable, Hashable {
    var pathText: String { get }
}

extension String: PathValue { public var pathText: String { self } }
extension UUID: PathValue { public var pathText: String { uuidString } }
extension Int: PathValue { public var pathText: String { String(self) } }
extension SecurityPlanKind: PathValue { public var pathText: String { rawValue } }
extension Tagged: PathValue where RawValue: PathValue { public var pathText: String { rawValue.pathText } }

/// Every page, form target and file Bearing serves: routes are registered from it and every link
/// is printed from it, so no path is spelt twice. `path` is what a link prints; `pathComponents` is
/// what a route is registered with.
public enum SiteURL: Sendable, Hashable {
    public typealias Code = Parameter<String>
    public typealias Incident = Parameter<IncidentID>
    public typealias Site = Parameter<SiteID>
    public typealias Risk = Parameter<RiskID>

    case home
    case health
    case metrics
    case stylesheet
    case printScript
    case locateScript
    case alertsScript
    case countdownScript
    case captureScript
    /// The service worker: at the root, so its scope covers every page.
    case serviceWorker
    /// Who is signed in and their CSRF token, for the offline queue's sender.
    case captureState
    /// What the service worker shows for a page not kept for offline use.
    case offline
    /// A gateway's webhook: messages from SMS and WhatsApp (issue 21).
    case webhook(Parameter<UUID>)
    case inbox(Code)
    case inboxGateways(Code)
    case inboxMessage(Code, Parameter<UUID>)
    case inboxTriage(Code, Parameter<UUID>)
    case inboxReply(Code, Parameter<UUID>)
    case signIn
    case signOut
    case language
    case account
    case accountTokens
    case revokeToken(Parameter<APITokenID>)
    case adminUsers
    case userDisabled(Parameter<UserID>)

    case operations
    case newOperation
    case operation(Code)
    case operationDetails(Code)
    case editOperation(Code)
    case operationMap(Code)
    case members(Code)
    case removeMember(Code)
    case operationAudit(Code)
    case boundaries(Code)
    case securitySettings(Code)

    case incidents(Code)
    case newIncident(Code)
    case incidentsDue(Code)
    case incidentAnalysis(Code)
    case incidentExport(Code)
    case incidentMap(Code)
    case contextSources(Code)
    case incident(Code, Incident)
    case editIncident(Code, Incident)
    case incidentStatus(Code, Incident)
    case incidentReports(Code, Incident)
    case incidentActionDone(Code, Incident, index: Parameter<Int>)
    case incidentAudit(Code, Incident)

    case sites(Code)
    case newSite(Code)
    case site(Code, Site)
    case editSite(Code, Site)
    case deleteSite(Code, Site)
    case siteAudit(Code, Site)
    case siteAssessmentsCompared(Code)
    case siteAssessments(Code, site: Site)
    case newSiteAssessment(Code, site: Site)
    case siteAssessment(Code, site: Site, Parameter<SiteAssessmentID>)
    case siteRecommendationDone(Code, site: Site, Parameter<SiteAssessmentID>, index: Parameter<Int>)
    case referralPathway(Code, Site)

    case services(Code)
    case newService(Code)
    case servicesImport(Code)
    case servicesExport(Code)
    case service(Code, Parameter<ServiceID>)
    case editService(Code, Parameter<ServiceID>)
    case deleteService(Code, Parameter<ServiceID>)

    case stakeholders(Code)
    case newStakeholder(Code)
    case stakeholdersImport(Code)
    case stakeholdersExport(Code)
    case stakeholderMap(Code)
    case stakeholderSettings(Code)
    case stakeholder(Code, Parameter<StakeholderID>)
    case editStakeholder(Code, Parameter<StakeholderID>)
    case deleteStakeholder(Code, Parameter<StakeholderID>)
    case verifyStakeholder(Code, Parameter<StakeholderID>)
    case mergeStakeholder(Code, Parameter<StakeholderID>)
    case meetings(Code)
    case newMeeting(Code)
    case meetingParticipation(Code)
    case meeting(Code, Parameter<MeetingID>)
    case editMeeting(Code, Parameter<MeetingID>)
    case deleteMeeting(Code, Parameter<MeetingID>)
    case actionPoints(Code)
    case actionPointStatus(Code, Parameter<MeetingActionID>)
    case networkHandover(Code)
    case products(Code)
    case newProduct(Code)
    case distributionLists(Code)
    case product(Code, Parameter<ProductID>)
    case editProduct(Code, Parameter<ProductID>)
    case productSubmit(Code, Parameter<ProductID>)
    case productReview(Code, Parameter<ProductID>)
    case productApprove(Code, Parameter<ProductID>)
    case productDistribute(Code, Parameter<ProductID>)
    case productPrint(Code, Parameter<ProductID>)
    case productEmail(Code, Parameter<ProductID>)
    case briefs(Code)
    case brief(Code, Parameter<BriefID>)
    case briefIssue(Code, Parameter<BriefID>)
    case briefVersion(Code, Parameter<BriefID>)
    case briefDiscard(Code, Parameter<BriefID>)
    case briefPrint(Code, Parameter<BriefID>)
    case briefWord(Code, Parameter<BriefID>)
    case briefPDF(Code, Parameter<BriefID>)
    case briefCompare(Code, Parameter<BriefID>)
    case briefSchedules(Code)
    case budget(Code)
    case budgetPropose(Code)
    case budgetExport(Code)
    case budgetLine(Code, Parameter<BudgetLineID>)
    case deleteBudgetLine(Code, Parameter<BudgetLineID>)
    case stopBriefSchedule(Code, Parameter<BriefScheduleID>)
    case activities(Code)
    case newActivity(Code)
    case activitiesExport(Code)
    case editActivity(Code, Parameter<UUID>)
    case referrals(Code)
    case newReferral(Code)
    case referralFigures(Code)
    case referralFiguresExport(Code)
    case referralCaseWorkers(Code)
    case referral(Code, Parameter<ReferralID>)
    case referralStatus(Code, Parameter<ReferralID>)
    case referralFollowUp(Code, Parameter<ReferralID>)
    case referralWithdraw(Code, Parameter<ReferralID>)
    case referralAssign(Code, Parameter<ReferralID>)
    case assessments(Code)
    case newAssessment(Code)
    case assessment(Code, Parameter<UUID>)
    case editAssessment(Code, Parameter<UUID>)
    case assessmentImport(Code, Parameter<UUID>)
    case assessmentMapping(Code, Parameter<UUID>)
    case protectionRisks(Code)
    case newProtectionRisk(Code)
    case protectionRiskChanges(Code)
    case protectionRiskSettings(Code)
    case protectionRisk(Code, Parameter<ProtectionRiskID>)
    case editProtectionRisk(Code, Parameter<ProtectionRiskID>)
    case closeProtectionRisk(Code, Parameter<ProtectionRiskID>)
    case reopenProtectionRisk(Code, Parameter<ProtectionRiskID>)

    case risks(Code)
    case newRisk(Code)
    case riskChanges(Code)
    case riskReports(Code)
    case riskReport(Code, Parameter<RiskReportID>)
    case risk(Code, Risk)
    case editRisk(Code, Risk)
    case closeRisk(Code, Risk)
    case reopenRisk(Code, Risk)
    case riskIncidents(Code, Risk)
    case unlinkRiskIncident(Code, Risk, incident: Incident)
    case riskAudit(Code, Risk)

    case phases(Code)
    case phaseAuthorities(Code)
    case revokePhaseAuthority(Code)
    case approvePhase(Code, Parameter<PhaseDeclarationID>)
    case withdrawPhase(Code, Parameter<PhaseDeclarationID>)
    case phaseNotified(Code, Parameter<PhaseDeclarationID>)

    case plans(Code)
    case planAttachment(Code, Parameter<PlanAttachmentID>)
    case plan(Code, Parameter<SecurityPlanKind>)
    case newPlan(Code, Parameter<SecurityPlanKind>)
    case planEvents(Code, Parameter<SecurityPlanKind>)
    case editPlanVersion(Code, Parameter<SecurityPlanKind>, version: Parameter<PlanVersionID>)
    case planStep(Code, Parameter<SecurityPlanKind>, version: Parameter<PlanVersionID>, step: Parameter<String>)

    case compliance(Code)
    case newComplianceAssessment(Code)
    case complianceAssessments(Code)
    case complianceAssessment(Code, Parameter<ComplianceAssessmentID>)
    case complianceExemptions(Code)
    case compliancePack(Code)

    case flows(Code)
    case newFlow(Code)
    case flowAnalysis(Code)
    case flowMap(Code)
    case flowExport(Code)
    case flowImport(Code)
    case flowPoint(Code, Site)

    case population(Code)
    case populationExport(Code)
    case populationFigures(Code)

    case scenarios(Code)
    case scenario(Code, Parameter<ScenarioID>)

    case people(Code)
    case newPerson(Code)
    case peopleImport(Code)
    case peopleExport(Code)
    case myLocation(Code)
    case headcount(Code)
    case contactList(Code)
    case focalPoints(Code)
    case person(Code, Parameter<PersonID>)
    case editPerson(Code, Parameter<PersonID>)
    case personLocation(Code, Parameter<PersonID>)
    case personLeft(Code, Parameter<PersonID>)
    case readiness(Code)
    case trainingSessions(Code)
    case relocationList(Code)
    case personBriefings(Code, Parameter<PersonID>)
    case personTrainings(Code, Parameter<PersonID>)
    case personGrabBag(Code, Parameter<PersonID>)
    case movements(Code)
    case newMovement(Code)
    case movement(Code, Parameter<MovementID>)
    case movementApprovals(Code, Parameter<MovementID>)
    case movementCheckIns(Code, Parameter<MovementID>)
    case cancelMovement(Code, Parameter<MovementID>)
    case resolveMovement(Code, Parameter<MovementID>)
    case rollCalls(Code)
    case rollCall(Code, Parameter<RollCallID>)
    case rollCallAnswers(Code, Parameter<RollCallID>)
    case closeRollCall(Code, Parameter<RollCallID>)
    case alerts(Code)
    case newAlert(Code)
    case alert(Code, Parameter<AlertID>)
    case alertCounts(Code, Parameter<AlertID>)
    case alertHelpHandled(Code, Parameter<AlertID>)
    case criticalIncidents(Code)
    case newCriticalIncident(Code)
    case criticalIncident(Code, Parameter<UUID>)
    case criticalIncidentLog(Code, Parameter<UUID>)
    case criticalIncidentGSU(Code, Parameter<UUID>)
    case criticalIncidentActivation(Code, Parameter<UUID>)
    case criticalIncidentPeople(Code, Parameter<UUID>)
    case criticalIncidentRollCall(Code, Parameter<UUID>)
    case criticalIncidentStandDown(Code, Parameter<UUID>)
    case criticalIncidentReview(Code, Parameter<UUID>)
    case criticalIncidentPrint(Code, Parameter<UUID>)
    /// The one-time answer to an alert, opened from a message without signing in.
    case acknowledge(Parameter<String>)

    // The JSON API, under /api/v1.
    case apiDocument
    case apiOperations
    case apiUsers
    case apiOperation(Code)
    case apiAreas(Code)
    case apiSites(Code)
    case apiSite(Code, Site)
    case apiIncidents(Code)
    case apiIncidentAnalysis(Code)
    case apiIncidentExport(Code)
    case apiIncident(Code, Incident)
    case apiIncidentStatus(Code, Incident)
    case apiIncidentReports(Code, Incident)
    case apiFlows(Code)
    case apiFlowPoints(Code)
    case apiFlowAnalysis(Code)
    case apiPopulationFigures(Code)
    case apiPopulationStats(Code)
    case apiPopulationStock(Code)
    case apiServices(Code)
    case apiService(Code, Parameter<ServiceID>)
    case apiActivities(Code)
    case apiActivity(Code, Parameter<UUID>)
    case apiAssessments(Code)
    case apiAssessment(Code, Parameter<UUID>)
    case apiProtectionRisks(Code)
    case apiProtectionRisk(Code, Parameter<ProtectionRiskID>)
    case apiStakeholders(Code)
    case apiStakeholder(Code, Parameter<StakeholderID>)
    case apiMeetings(Code)
    case apiMeeting(Code, Parameter<MeetingID>)
    case apiActionPoints(Code)
    case apiActionPoint(Code, Parameter<MeetingActionID>)
    case apiProducts(Code)
    case apiProduct(Code, Parameter<ProductID>)
    case apiProductActions(Code, Parameter<ProductID>)
    case apiReferrals(Code)
    case apiReferralFigures(Code)
    case apiReferral(Code, Parameter<ReferralID>)
    case apiReferralStatus(Code, Parameter<ReferralID>)
    case apiPeople(Code)
    case apiPerson(Code, Parameter<PersonID>)
    case apiPersonLocation(Code, Parameter<PersonID>)
    case apiHeadcount(Code)
    case apiMovements(Code)
    case apiMovement(Code, Parameter<MovementID>)
    case apiMovementCheckIns(Code, Parameter<MovementID>)
    case apiAlerts(Code)
    case apiAlert(Code, Parameter<AlertID>)
    case apiCriticalIncidents(Code)
    case apiCriticalIncident(Code, Parameter<UUID>)
    case apiCrisisLog(Code, Parameter<UUID>)

    /// A segment: literal text, or a parameter's name with its value if it has one.
    enum Segment: Equatable {
        case literal(String)
        case parameter(String, String?)
    }

    /// The path a link prints: parameters percent-encoded.
    public var path: String {
        var out = ""
        for segment in segments {
            out += "/"
            switch segment {
            case .literal(let text): out += text
            case .parameter(let name, let value):
                out += value.map(Self.encodedSegment) ?? ":" + name
            }
        }
        return out.isEmpty ? "/" : out
    }

    /// A path segment percent-encoded. Ids and codes (letters, digits, "-", "_", ".") need none, and
    /// are most of what a page prints: Foundation's encoder was about 7 % of the 24/7 list's time
    /// at 2,000 people (BENCHMARKS.md, measured with perf).
    static func encodedSegment(_ value: String) -> String {
        let plain = value.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D
                || $0 == 0x5F || $0 == 0x2E
        }
        if plain && value != "." && value != ".." { return value }
        return value.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? value
    }

    /// The path with a query: pairs in order, names and values percent-encoded.
    public func path(query: [(String, String)]) -> String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { Self.queryEncoded($0.0) + "=" + Self.queryEncoded($0.1) }.joined(separator: "&")
    }

    /// What a route is registered with: literals and `:name` placeholders.
    public var pathComponents: [String] {
        segments.map {
            switch $0 {
            case .literal(let text): text
            case .parameter(let name, _): ":" + name
            }
        }
    }

    static let segmentCharacters: CharacterSet = {
        var set = CharacterSet.urlPathAllowed
        set.remove(charactersIn: "/;?#")
        return set
    }()

    static let queryCharacters: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()

    public static func queryEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: queryCharacters) ?? ""
    }

    var segments: [Segment] {
        func p<V>(_ name: String, _ parameter: Parameter<V>) -> Segment {
            switch parameter {
            case .key: .parameter(name, nil)
            case .value(let value): .parameter(name, value.pathText)
            }
        }
        func op(_ code: Code, _ rest: Segment...) -> [Segment] { [.literal("operations"), p("code", code)] + rest }
        func l(_ text: String) -> Segment { .literal(text) }
        func asset(_ name: String) -> [Segment] {
            [l("assets"), l(Assets.all[name]?.hash ?? "none"), l(name)]
        }
        func api(_ rest: Segment...) -> [Segment] { api(rest) }
        func api(_ rest: [Segment]) -> [Segment] { [.literal("api"), .literal("v1")] + rest }
        switch self {
        case .home: return []
        case .health: return [l("health")]
        case .metrics: return [l("metrics")]
        case .stylesheet: return asset("bearing.css")
        case .printScript: return asset("print.js")
        case .locateScript: return asset("locate.js")
        case .alertsScript: return asset("alerts.js")
        case .countdownScript: return asset("countdown.js")
        case .captureScript: return asset("capture.js")
        case .serviceWorker: return [l("sw.js")]
        case .captureState: return [l("capture"), l("state")]
        case .offline: return [l("offline")]
        case .webhook(let id): return [l("webhooks"), p("gateway", id)]
        case .inbox(let code): return op(code, l("inbox"))
        case .inboxGateways(let code): return op(code, l("inbox"), l("gateways"))
        case .inboxMessage(let code, let id): return op(code, l("inbox"), p("id", id))
        case .inboxTriage(let code, let id): return op(code, l("inbox"), p("id", id), l("triage"))
        case .inboxReply(let code, let id): return op(code, l("inbox"), p("id", id), l("reply"))
        case .signIn: return [l("sign-in")]
        case .signOut: return [l("sign-out")]
        case .language: return [l("language")]
        case .account: return [l("account")]
        case .accountTokens: return [l("account"), l("tokens")]
        case .revokeToken(let id): return [l("account"), l("tokens"), p("id", id), l("revoke")]
        case .adminUsers: return [l("admin"), l("users")]
        case .userDisabled(let id): return [l("admin"), l("users"), p("id", id), l("disabled")]

        case .operations: return [l("operations")]
        case .newOperation: return [l("operations"), l("new")]
        case .operation(let code): return op(code)
        case .operationDetails(let code): return op(code, l("about"))
        case .editOperation(let code): return op(code, l("edit"))
        case .operationMap(let code): return op(code, l("map.svg"))
        case .members(let code): return op(code, l("members"))
        case .removeMember(let code): return op(code, l("members"), l("remove"))
        case .operationAudit(let code): return op(code, l("audit"))
        case .boundaries(let code): return op(code, l("boundaries"))
        case .securitySettings(let code): return op(code, l("security-settings"))

        case .incidents(let code): return op(code, l("incidents"))
        case .newIncident(let code): return op(code, l("incidents"), l("new"))
        case .incidentsDue(let code): return op(code, l("incidents"), l("due"))
        case .incidentAnalysis(let code): return op(code, l("incidents"), l("analysis"))
        case .incidentExport(let code): return op(code, l("incidents"), l("export"))
        case .incidentMap(let code): return op(code, l("incidents"), l("map"))
        case .contextSources(let code): return op(code, l("incidents"), l("sources"))
        case .incident(let code, let id): return op(code, l("incidents"), p("id", id))
        case .editIncident(let code, let id): return op(code, l("incidents"), p("id", id), l("edit"))
        case .incidentStatus(let code, let id): return op(code, l("incidents"), p("id", id), l("status"))
        case .incidentReports(let code, let id): return op(code, l("incidents"), p("id", id), l("reports"))
        case .incidentActionDone(let code, let id, let index):
            return op(code, l("incidents"), p("id", id), l("actions"), p("index", index), l("done"))
        case .incidentAudit(let code, let id): return op(code, l("incidents"), p("id", id), l("audit"))

        case .referralPathway(let code, let id): return op(code, l("sites"), p("id", id), l("pathway"))
        case .services(let code): return op(code, l("services"))
        case .newService(let code): return op(code, l("services"), l("new"))
        case .servicesImport(let code): return op(code, l("services"), l("import"))
        case .servicesExport(let code): return op(code, l("services"), l("export"))
        case .service(let code, let id): return op(code, l("services"), p("id", id))
        case .editService(let code, let id): return op(code, l("services"), p("id", id), l("edit"))
        case .deleteService(let code, let id): return op(code, l("services"), p("id", id), l("delete"))
        case .stakeholders(let code): return op(code, l("stakeholders"))
        case .newStakeholder(let code): return op(code, l("stakeholders"), l("new"))
        case .stakeholdersImport(let code): return op(code, l("stakeholders"), l("import"))
        case .stakeholdersExport(let code): return op(code, l("stakeholders"), l("export"))
        case .stakeholderMap(let code): return op(code, l("stakeholders"), l("map"))
        case .stakeholderSettings(let code): return op(code, l("stakeholders"), l("settings"))
        case .stakeholder(let code, let id): return op(code, l("stakeholders"), p("id", id))
        case .editStakeholder(let code, let id): return op(code, l("stakeholders"), p("id", id), l("edit"))
        case .deleteStakeholder(let code, let id): return op(code, l("stakeholders"), p("id", id), l("delete"))
        case .verifyStakeholder(let code, let id): return op(code, l("stakeholders"), p("id", id), l("verified"))
        case .mergeStakeholder(let code, let id): return op(code, l("stakeholders"), p("id", id), l("merge"))
        case .meetings(let code): return op(code, l("meetings"))
        case .newMeeting(let code): return op(code, l("meetings"), l("new"))
        case .meetingParticipation(let code): return op(code, l("meetings"), l("participation"))
        case .meeting(let code, let id): return op(code, l("meetings"), p("id", id))
        case .editMeeting(let code, let id): return op(code, l("meetings"), p("id", id), l("edit"))
        case .deleteMeeting(let code, let id): return op(code, l("meetings"), p("id", id), l("delete"))
        case .actionPoints(let code): return op(code, l("action-points"))
        case .actionPointStatus(let code, let id): return op(code, l("action-points"), p("id", id), l("status"))
        case .networkHandover(let code): return op(code, l("stakeholders"), l("handover"))
        case .products(let code): return op(code, l("products"))
        case .newProduct(let code): return op(code, l("products"), l("new"))
        case .distributionLists(let code): return op(code, l("products"), l("lists"))
        case .product(let code, let id): return op(code, l("products"), p("id", id))
        case .editProduct(let code, let id): return op(code, l("products"), p("id", id), l("edit"))
        case .productSubmit(let code, let id): return op(code, l("products"), p("id", id), l("submit"))
        case .productReview(let code, let id): return op(code, l("products"), p("id", id), l("review"))
        case .productApprove(let code, let id): return op(code, l("products"), p("id", id), l("approve"))
        case .productDistribute(let code, let id): return op(code, l("products"), p("id", id), l("distribute"))
        case .productPrint(let code, let id): return op(code, l("products"), p("id", id), l("print"))
        case .productEmail(let code, let id): return op(code, l("products"), p("id", id), l("email"))
        case .briefs(let code): return op(code, l("briefs"))
        case .brief(let code, let id): return op(code, l("briefs"), p("id", id))
        case .briefIssue(let code, let id): return op(code, l("briefs"), p("id", id), l("issue"))
        case .briefVersion(let code, let id): return op(code, l("briefs"), p("id", id), l("version"))
        case .briefDiscard(let code, let id): return op(code, l("briefs"), p("id", id), l("discard"))
        case .briefPrint(let code, let id): return op(code, l("briefs"), p("id", id), l("print"))
        case .briefWord(let code, let id): return op(code, l("briefs"), p("id", id), l("brief.docx"))
        case .briefPDF(let code, let id): return op(code, l("briefs"), p("id", id), l("brief.pdf"))
        case .briefCompare(let code, let id): return op(code, l("briefs"), p("id", id), l("compare"))
        case .briefSchedules(let code): return op(code, l("briefs"), l("schedules"))
        case .budget(let code): return op(code, l("budget"))
        case .budgetPropose(let code): return op(code, l("budget"), l("propose"))
        case .budgetExport(let code): return op(code, l("budget"), l("budget.csv"))
        case .budgetLine(let code, let id): return op(code, l("budget"), p("id", id))
        case .deleteBudgetLine(let code, let id): return op(code, l("budget"), p("id", id), l("delete"))
        case .stopBriefSchedule(let code, let id): return op(code, l("briefs"), l("schedules"), p("id", id), l("stop"))
        case .activities(let code): return op(code, l("activities"))
        case .newActivity(let code): return op(code, l("activities"), l("new"))
        case .activitiesExport(let code): return op(code, l("activities"), l("3w"))
        case .editActivity(let code, let id): return op(code, l("activities"), p("id", id), l("edit"))
        case .referrals(let code): return op(code, l("referrals"))
        case .newReferral(let code): return op(code, l("referrals"), l("new"))
        case .referralFigures(let code): return op(code, l("referrals"), l("figures"))
        case .referralFiguresExport(let code): return op(code, l("referrals"), l("figures.csv"))
        case .referralCaseWorkers(let code): return op(code, l("referrals"), l("case-workers"))
        case .referral(let code, let id): return op(code, l("referrals"), p("id", id))
        case .referralStatus(let code, let id): return op(code, l("referrals"), p("id", id), l("status"))
        case .referralFollowUp(let code, let id): return op(code, l("referrals"), p("id", id), l("follow-up"))
        case .referralWithdraw(let code, let id): return op(code, l("referrals"), p("id", id), l("withdraw"))
        case .referralAssign(let code, let id): return op(code, l("referrals"), p("id", id), l("assign"))
        case .assessments(let code): return op(code, l("assessments"))
        case .newAssessment(let code): return op(code, l("assessments"), l("new"))
        case .assessment(let code, let id): return op(code, l("assessments"), p("id", id))
        case .editAssessment(let code, let id): return op(code, l("assessments"), p("id", id), l("edit"))
        case .assessmentImport(let code, let id): return op(code, l("assessments"), p("id", id), l("import"))
        case .assessmentMapping(let code, let id): return op(code, l("assessments"), p("id", id), l("mapping"))
        case .protectionRisks(let code): return op(code, l("protection-risks"))
        case .newProtectionRisk(let code): return op(code, l("protection-risks"), l("new"))
        case .protectionRiskChanges(let code): return op(code, l("protection-risks"), l("changes"))
        case .protectionRiskSettings(let code): return op(code, l("protection-risks"), l("settings"))
        case .protectionRisk(let code, let id): return op(code, l("protection-risks"), p("id", id))
        case .editProtectionRisk(let code, let id): return op(code, l("protection-risks"), p("id", id), l("edit"))
        case .closeProtectionRisk(let code, let id): return op(code, l("protection-risks"), p("id", id), l("close"))
        case .reopenProtectionRisk(let code, let id):
            return op(code, l("protection-risks"), p("id", id), l("reopen"))
        case .sites(let code): return op(code, l("sites"))
        case .newSite(let code): return op(code, l("sites"), l("new"))
        case .site(let code, let id): return op(code, l("sites"), p("id", id))
        case .editSite(let code, let id): return op(code, l("sites"), p("id", id), l("edit"))
        case .deleteSite(let code, let id): return op(code, l("sites"), p("id", id), l("delete"))
        case .siteAudit(let code, let id): return op(code, l("sites"), p("id", id), l("audit"))
        case .siteAssessmentsCompared(let code): return op(code, l("sites"), l("assessments"))
        case .siteAssessments(let code, let site): return op(code, l("sites"), p("id", site), l("assessments"))
        case .newSiteAssessment(let code, let site):
            return op(code, l("sites"), p("id", site), l("assessments"), l("new"))
        case .siteAssessment(let code, let site, let id):
            return op(code, l("sites"), p("id", site), l("assessments"), p("assessment", id))
        case .siteRecommendationDone(let code, let site, let id, let index):
            return op(
                code, l("sites"), p("id", site), l("assessments"), p("assessment", id), l("recommendations"),
                p("index", index))

        case .risks(let code): return op(code, l("risks"))
        case .newRisk(let code): return op(code, l("risks"), l("new"))
        case .riskChanges(let code): return op(code, l("risks"), l("changes"))
        case .riskReports(let code): return op(code, l("risks"), l("reports"))
        case .riskReport(let code, let id): return op(code, l("risks"), l("reports"), p("report", id))
        case .risk(let code, let id): return op(code, l("risks"), p("id", id))
        case .editRisk(let code, let id): return op(code, l("risks"), p("id", id), l("edit"))
        case .closeRisk(let code, let id): return op(code, l("risks"), p("id", id), l("close"))
        case .reopenRisk(let code, let id): return op(code, l("risks"), p("id", id), l("reopen"))
        case .riskIncidents(let code, let id): return op(code, l("risks"), p("id", id), l("incidents"))
        case .unlinkRiskIncident(let code, let id, let incident):
            return op(code, l("risks"), p("id", id), l("incidents"), p("incident", incident), l("unlink"))
        case .riskAudit(let code, let id): return op(code, l("risks"), p("id", id), l("audit"))

        case .phases(let code): return op(code, l("phases"))
        case .phaseAuthorities(let code): return op(code, l("phases"), l("authorities"))
        case .revokePhaseAuthority(let code): return op(code, l("phases"), l("authorities"), l("revoke"))
        case .approvePhase(let code, let id): return op(code, l("phases"), p("id", id), l("approve"))
        case .withdrawPhase(let code, let id): return op(code, l("phases"), p("id", id), l("withdraw"))
        case .phaseNotified(let code, let id): return op(code, l("phases"), p("id", id), l("notified"))

        case .plans(let code): return op(code, l("plans"))
        case .planAttachment(let code, let id): return op(code, l("plans"), l("attachments"), p("id", id))
        case .plan(let code, let kind): return op(code, l("plans"), p("kind", kind))
        case .newPlan(let code, let kind): return op(code, l("plans"), p("kind", kind), l("new"))
        case .planEvents(let code, let kind): return op(code, l("plans"), p("kind", kind), l("events"))
        case .editPlanVersion(let code, let kind, let version):
            return op(code, l("plans"), p("kind", kind), l("versions"), p("version", version), l("edit"))
        case .planStep(let code, let kind, let version, let step):
            return op(code, l("plans"), p("kind", kind), l("versions"), p("version", version), p("step", step))

        case .compliance(let code): return op(code, l("compliance"))
        case .newComplianceAssessment(let code): return op(code, l("compliance"), l("assessments"), l("new"))
        case .complianceAssessments(let code): return op(code, l("compliance"), l("assessments"))
        case .complianceAssessment(let code, let id): return op(code, l("compliance"), l("assessments"), p("id", id))
        case .complianceExemptions(let code): return op(code, l("compliance"), l("exemptions"))
        case .compliancePack(let code): return op(code, l("compliance"), l("pack"))

        case .flows(let code): return op(code, l("flows"))
        case .newFlow(let code): return op(code, l("flows"), l("new"))
        case .flowAnalysis(let code): return op(code, l("flows"), l("analysis"))
        case .flowMap(let code): return op(code, l("flows"), l("map.svg"))
        case .flowExport(let code): return op(code, l("flows"), l("export"))
        case .flowImport(let code): return op(code, l("flows"), l("import"))
        case .flowPoint(let code, let id): return op(code, l("flows"), l("points"), p("id", id))

        case .population(let code): return op(code, l("population"))
        case .populationExport(let code): return op(code, l("population"), l("export"))
        case .populationFigures(let code): return op(code, l("population"), l("figures"))

        case .scenarios(let code): return op(code, l("scenarios"))
        case .scenario(let code, let id): return op(code, l("scenarios"), p("id", id))

        case .people(let code): return op(code, l("people"))
        case .newPerson(let code): return op(code, l("people"), l("new"))
        case .peopleImport(let code): return op(code, l("people"), l("import"))
        case .peopleExport(let code): return op(code, l("people"), l("export"))
        case .myLocation(let code): return op(code, l("people"), l("me"))
        case .headcount(let code): return op(code, l("people"), l("headcount"))
        case .contactList(let code): return op(code, l("people"), l("contacts"))
        case .focalPoints(let code): return op(code, l("people"), l("focal-points"))
        case .person(let code, let id): return op(code, l("people"), p("id", id))
        case .editPerson(let code, let id): return op(code, l("people"), p("id", id), l("edit"))
        case .personLocation(let code, let id): return op(code, l("people"), p("id", id), l("location"))
        case .personLeft(let code, let id): return op(code, l("people"), p("id", id), l("left"))
        case .readiness(let code): return op(code, l("people"), l("readiness"))
        case .trainingSessions(let code): return op(code, l("people"), l("sessions"))
        case .relocationList(let code): return op(code, l("people"), l("relocation"))
        case .personBriefings(let code, let id): return op(code, l("people"), p("id", id), l("briefings"))
        case .personTrainings(let code, let id): return op(code, l("people"), p("id", id), l("trainings"))
        case .personGrabBag(let code, let id): return op(code, l("people"), p("id", id), l("grab-bag"))
        case .movements(let code): return op(code, l("movements"))
        case .newMovement(let code): return op(code, l("movements"), l("new"))
        case .movement(let code, let id): return op(code, l("movements"), p("id", id))
        case .movementApprovals(let code, let id): return op(code, l("movements"), p("id", id), l("approvals"))
        case .movementCheckIns(let code, let id): return op(code, l("movements"), p("id", id), l("check-ins"))
        case .cancelMovement(let code, let id): return op(code, l("movements"), p("id", id), l("cancel"))
        case .resolveMovement(let code, let id): return op(code, l("movements"), p("id", id), l("resolve"))
        case .rollCalls(let code): return op(code, l("roll-calls"))
        case .rollCall(let code, let id): return op(code, l("roll-calls"), p("id", id))
        case .rollCallAnswers(let code, let id): return op(code, l("roll-calls"), p("id", id), l("answers"))
        case .closeRollCall(let code, let id): return op(code, l("roll-calls"), p("id", id), l("close"))
        case .alerts(let code): return op(code, l("alerts"))
        case .newAlert(let code): return op(code, l("alerts"), l("new"))
        case .alert(let code, let id): return op(code, l("alerts"), p("id", id))
        case .alertCounts(let code, let id): return op(code, l("alerts"), p("id", id), l("counts.json"))
        case .alertHelpHandled(let code, let id): return op(code, l("alerts"), p("id", id), l("help-handled"))
        case .acknowledge(let token): return [l("ack"), p("token", token)]
        case .criticalIncidents(let code): return op(code, l("critical-incidents"))
        case .newCriticalIncident(let code): return op(code, l("critical-incidents"), l("new"))
        case .criticalIncident(let code, let id): return op(code, l("critical-incidents"), p("id", id))
        case .criticalIncidentLog(let code, let id): return op(code, l("critical-incidents"), p("id", id), l("log"))
        case .criticalIncidentGSU(let code, let id): return op(code, l("critical-incidents"), p("id", id), l("gsu"))
        case .criticalIncidentActivation(let code, let id):
            return op(code, l("critical-incidents"), p("id", id), l("activation"))
        case .criticalIncidentPeople(let code, let id):
            return op(code, l("critical-incidents"), p("id", id), l("people"))
        case .criticalIncidentRollCall(let code, let id):
            return op(code, l("critical-incidents"), p("id", id), l("roll-call"))
        case .criticalIncidentStandDown(let code, let id):
            return op(code, l("critical-incidents"), p("id", id), l("stand-down"))
        case .criticalIncidentReview(let code, let id):
            return op(code, l("critical-incidents"), p("id", id), l("review"))
        case .criticalIncidentPrint(let code, let id): return op(code, l("critical-incidents"), p("id", id), l("print"))

        case .apiDocument: return api(l("openapi.json"))
        case .apiOperations: return api(l("operations"))
        case .apiUsers: return api(l("users"))
        case .apiOperation(let code): return api(op(code))
        case .apiAreas(let code): return api(op(code, l("areas")))
        case .apiSites(let code): return api(op(code, l("sites")))
        case .apiSite(let code, let id): return api(op(code, l("sites"), p("id", id)))
        case .apiIncidents(let code): return api(op(code, l("incidents")))
        case .apiIncidentAnalysis(let code): return api(op(code, l("incidents"), l("analysis")))
        case .apiIncidentExport(let code): return api(op(code, l("incidents"), l("export")))
        case .apiIncident(let code, let id): return api(op(code, l("incidents"), p("id", id)))
        case .apiIncidentStatus(let code, let id): return api(op(code, l("incidents"), p("id", id), l("status")))
        case .apiIncidentReports(let code, let id): return api(op(code, l("incidents"), p("id", id), l("reports")))
        case .apiFlows(let code): return api(op(code, l("flows")))
        case .apiFlowPoints(let code): return api(op(code, l("flows"), l("points")))
        case .apiFlowAnalysis(let code): return api(op(code, l("flows"), l("analysis")))
        case .apiPopulationFigures(let code): return api(op(code, l("population"), l("figures")))
        case .apiPopulationStats(let code): return api(op(code, l("population"), l("stats")))
        case .apiPopulationStock(let code): return api(op(code, l("population"), l("stock")))
        case .apiServices(let code): return api(op(code, l("services")))
        case .apiService(let code, let id): return api(op(code, l("services"), p("id", id)))
        case .apiActivities(let code): return api(op(code, l("activities")))
        case .apiActivity(let code, let id): return api(op(code, l("activities"), p("id", id)))
        case .apiAssessments(let code): return api(op(code, l("assessments")))
        case .apiAssessment(let code, let id): return api(op(code, l("assessments"), p("id", id)))
        case .apiProtectionRisks(let code): return api(op(code, l("protection-risks")))
        case .apiProtectionRisk(let code, let id): return api(op(code, l("protection-risks"), p("id", id)))
        case .apiStakeholders(let code): return api(op(code, l("stakeholders")))
        case .apiStakeholder(let code, let id): return api(op(code, l("stakeholders"), p("id", id)))
        case .apiMeetings(let code): return api(op(code, l("meetings")))
        case .apiMeeting(let code, let id): return api(op(code, l("meetings"), p("id", id)))
        case .apiActionPoints(let code): return api(op(code, l("action-points")))
        case .apiActionPoint(let code, let id): return api(op(code, l("action-points"), p("id", id)))
        case .apiProducts(let code): return api(op(code, l("products")))
        case .apiProduct(let code, let id): return api(op(code, l("products"), p("id", id)))
        case .apiProductActions(let code, let id): return api(op(code, l("products"), p("id", id), l("actions")))
        case .apiReferrals(let code): return api(op(code, l("referrals")))
        case .apiReferralFigures(let code): return api(op(code, l("referrals"), l("figures")))
        case .apiReferral(let code, let id): return api(op(code, l("referrals"), p("id", id)))
        case .apiReferralStatus(let code, let id): return api(op(code, l("referrals"), p("id", id), l("status")))
        case .apiPeople(let code): return api(op(code, l("people")))
        case .apiPerson(let code, let id): return api(op(code, l("people"), p("id", id)))
        case .apiPersonLocation(let code, let id): return api(op(code, l("people"), p("id", id), l("location")))
        case .apiHeadcount(let code): return api(op(code, l("people"), l("headcount")))
        case .apiMovements(let code): return api(op(code, l("movements")))
        case .apiAlerts(let code): return api(op(code, l("alerts")))
        case .apiAlert(let code, let id): return api(op(code, l("alerts"), p("id", id)))
        case .apiCriticalIncidents(let code): return api(op(code, l("critical-incidents")))
        case .apiCriticalIncident(let code, let id): return api(op(code, l("critical-incidents"), p("id", id)))
        case .apiCrisisLog(let code, let id): return api(op(code, l("critical-incidents"), p("id", id), l("log")))
        case .apiMovement(let code, let id): return api(op(code, l("movements"), p("id", id)))
        case .apiMovementCheckIns(let code, let id): return api(op(code, l("movements"), p("id", id), l("check-ins")))
        }
    }
}
