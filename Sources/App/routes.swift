import Fluent
import Vapor
import Views

/// Every route, grouped into the web pages and the JSON API. Web paths come from `SiteURL`, which
/// also prints every link, so a path is spelt once.
func routes(_ app: Application) throws {
    // "ok" while the database answers; then what the delivery monitor found wrong, if anything
    // (no names, no addresses): a channel that stopped shows here for the machines that watch.
    app.get(.health) { req async throws -> String in
        let problems = try await ChannelMonitor.status(req.db, now: req.now)
        return (["ok"] + problems.map { "warning: alerts \($0.channel?.rawValue ?? "monitor"): \($0.problem)" })
            .joined(separator: "\n")
    }

    let web = app.grouped(app.sessions.middleware, WebUserLoader(), CSRFMiddleware())
    let auth = AuthController()
    web.get(.signIn, use: auth.showSignIn)
    web.post(.signIn, use: auth.signIn)
    web.post(.language, use: auth.setLanguage)

    let signedIn = web.grouped(RequireSignIn())
    signedIn.post(.signOut, use: auth.signOut)

    let operations = OperationController()
    signedIn.get(.home, use: operations.index)
    signedIn.get(.newOperation, use: operations.new)
    signedIn.post(.operations, use: operations.create)
    signedIn.get(.operation(.key), use: operations.show)
    signedIn.get(.operationDetails(.key), use: operations.details)
    signedIn.get(.editOperation(.key), use: operations.edit)
    signedIn.post(.editOperation(.key), use: operations.update)
    signedIn.get(.operationMap(.key), use: operations.mapSVG)
    signedIn.post(.members(.key), use: operations.addMember)
    signedIn.post(.removeMember(.key), use: operations.removeMember)

    let boundaries = BoundaryController()
    signedIn.get(.boundaries(.key), use: boundaries.index)
    // Uploads stream to disk as they arrive (StreamedUpload), read only after the session and the token.
    signedIn.on(.POST, .boundaries(.key), body: .stream, use: boundaries.upload)

    let incidents = IncidentController()
    signedIn.get(.incidents(.key), use: incidents.index)
    signedIn.get(.newIncident(.key), use: incidents.new)
    signedIn.get(.incidentsDue(.key), use: incidents.due)
    signedIn.post(.incidents(.key), use: incidents.create)
    let analysis = IncidentAnalysisController()
    signedIn.get(.incidentAnalysis(.key), use: analysis.page)
    signedIn.get(.incidentExport(.key), use: analysis.export)
    signedIn.get(.incidentMap(.key), use: analysis.map)
    let sources = ContextSourceController()
    signedIn.get(.contextSources(.key), use: sources.index)
    signedIn.on(.POST, .contextSources(.key), body: .stream, use: sources.upload)
    signedIn.get(.incident(.key, .key), use: incidents.show)
    signedIn.get(.editIncident(.key, .key), use: incidents.edit)
    signedIn.post(.editIncident(.key, .key), use: incidents.update)
    signedIn.post(.incidentStatus(.key, .key), use: incidents.changeStatus)
    signedIn.post(.incidentReports(.key, .key), use: incidents.addReport)
    signedIn.post(.incidentActionDone(.key, .key, index: .key), use: incidents.setActionDone)

    let sites = SiteController()
    signedIn.get(.sites(.key), use: sites.index)
    signedIn.get(.newSite(.key), use: sites.new)
    signedIn.post(.sites(.key), use: sites.create)
    let siteAssessments = SiteAssessmentController()
    signedIn.get(.siteAssessmentsCompared(.key), use: siteAssessments.compare)
    signedIn.get(.newSiteAssessment(.key, site: .key), use: siteAssessments.new)
    signedIn.post(.siteAssessments(.key, site: .key), use: siteAssessments.create)
    signedIn.get(.siteAssessment(.key, site: .key, .key), use: siteAssessments.show)
    signedIn.post(.siteRecommendationDone(.key, site: .key, .key, index: .key), use: siteAssessments.setDone)
    signedIn.get(.site(.key, .key), use: sites.show)
    signedIn.get(.editSite(.key, .key), use: sites.edit)
    signedIn.post(.editSite(.key, .key), use: sites.update)
    signedIn.post(.deleteSite(.key, .key), use: sites.delete)

    let risks = RiskController()
    signedIn.get(.risks(.key), use: risks.index)
    signedIn.get(.newRisk(.key), use: risks.new)
    signedIn.post(.risks(.key), use: risks.create)
    signedIn.get(.riskChanges(.key), use: risks.changes)
    signedIn.post(.riskReports(.key), use: risks.issue)
    signedIn.get(.riskReport(.key, .key), use: risks.report)
    signedIn.get(.risk(.key, .key), use: risks.show)
    signedIn.get(.editRisk(.key, .key), use: risks.edit)
    signedIn.post(.editRisk(.key, .key), use: risks.update)
    signedIn.post(.closeRisk(.key, .key), use: risks.close)
    signedIn.post(.reopenRisk(.key, .key), use: risks.reopen)
    signedIn.post(.riskIncidents(.key, .key), use: risks.link)
    signedIn.post(.unlinkRiskIncident(.key, .key, incident: .key), use: risks.unlink)
    let phases = PhaseController()
    signedIn.get(.phases(.key), use: phases.index)
    signedIn.post(.phases(.key), use: phases.declare)
    signedIn.post(.phaseAuthorities(.key), use: phases.grant)
    signedIn.post(.revokePhaseAuthority(.key), use: phases.revoke)
    signedIn.post(.approvePhase(.key, .key), use: phases.approve)
    signedIn.post(.withdrawPhase(.key, .key), use: phases.withdraw)
    signedIn.post(.phaseNotified(.key, .key), use: phases.notified)
    let plans = PlanController()
    let attachmentLimit = ByteCount(
        integerLiteral: min(PlanController.maxAttachmentBytes, app.bearingConfig.maxUploadBytes) + 1_000_000)
    signedIn.get(.plans(.key), use: plans.index)
    signedIn.get(.planAttachment(.key, .key), use: plans.download)
    signedIn.get(.plan(.key, .key), use: plans.show)
    signedIn.get(.newPlan(.key, .key), use: plans.new)
    signedIn.on(.POST, .plan(.key, .key), body: .collect(maxSize: attachmentLimit), use: plans.create)
    signedIn.post(.planEvents(.key, .key), use: plans.recordEvent)
    signedIn.get(.editPlanVersion(.key, .key, version: .key), use: plans.edit)
    signedIn.on(
        .POST, .editPlanVersion(.key, .key, version: .key), body: .collect(maxSize: attachmentLimit), use: plans.update)
    signedIn.post(.planStep(.key, .key, version: .key, step: .key), use: plans.step)
    let compliance = ComplianceController()
    signedIn.get(.compliance(.key), use: compliance.index)
    signedIn.get(.newComplianceAssessment(.key), use: compliance.new)
    signedIn.post(.complianceAssessments(.key), use: compliance.create)
    signedIn.get(.complianceAssessment(.key, .key), use: compliance.show)
    signedIn.post(.complianceExemptions(.key), use: compliance.grant)
    signedIn.get(.compliancePack(.key), use: compliance.pack)
    signedIn.post(.compliancePack(.key), use: compliance.approvePack)
    let flows = FlowController()
    let flowAnalysis = FlowAnalysisController()
    signedIn.get(.flows(.key), use: flows.index)
    signedIn.get(.newFlow(.key), use: flows.new)
    signedIn.get(.flowAnalysis(.key), use: flowAnalysis.page)
    signedIn.get(.flowMap(.key), use: flowAnalysis.map)
    signedIn.get(.flowExport(.key), use: flows.export)
    signedIn.on(.POST, .flowImport(.key), body: .stream, use: flows.upload)
    signedIn.post(.flows(.key), use: flows.create)
    signedIn.get(.flowPoint(.key, .key), use: flows.profile)
    signedIn.post(.flowPoint(.key, .key), use: flows.saveProfile)
    let population = PopulationController()
    signedIn.get(.population(.key), use: population.index)
    signedIn.get(.populationExport(.key), use: population.export)
    signedIn.post(.populationFigures(.key), use: population.enter)
    signedIn.on(.POST, .population(.key), body: .stream, use: population.upload)
    let scenarios = ScenarioController()
    signedIn.get(.scenarios(.key), use: scenarios.index)
    signedIn.post(.scenarios(.key), use: scenarios.create)
    signedIn.get(.scenario(.key, .key), use: scenarios.show)
    signedIn.post(.scenario(.key, .key), use: scenarios.update)
    let people = PeopleController()
    signedIn.get(.people(.key), use: people.index)
    signedIn.get(.newPerson(.key), use: people.new)
    signedIn.post(.people(.key), use: people.create)
    signedIn.on(.POST, .peopleImport(.key), body: .stream, use: people.upload)
    signedIn.get(.peopleExport(.key), use: people.export)
    signedIn.get(.myLocation(.key), use: people.myLocation)
    signedIn.get(.headcount(.key), use: people.headcount)
    signedIn.get(.contactList(.key), use: people.contactList)
    signedIn.post(.focalPoints(.key), use: people.setFocalPoint)
    signedIn.get(.person(.key, .key), use: people.show)
    signedIn.get(.editPerson(.key, .key), use: people.edit)
    signedIn.post(.editPerson(.key, .key), use: people.update)
    signedIn.post(.personLocation(.key, .key), use: people.confirmLocation)
    signedIn.post(.personLeft(.key, .key), use: people.setLeft)
    let readiness = ReadinessController()
    signedIn.get(.readiness(.key), use: readiness.index)
    signedIn.get(.trainingSessions(.key), use: readiness.sessions)
    signedIn.post(.trainingSessions(.key), use: readiness.recordSession)
    signedIn.get(.relocationList(.key), use: readiness.relocationList)
    signedIn.post(.personBriefings(.key, .key), use: readiness.recordBriefing)
    signedIn.post(.personTrainings(.key, .key), use: readiness.recordTraining)
    signedIn.post(.personGrabBag(.key, .key), use: readiness.confirmGrabBag)
    let movements = MovementController()
    signedIn.get(.movements(.key), use: movements.board)
    signedIn.post(.movements(.key), use: movements.create)
    signedIn.get(.newMovement(.key), use: movements.new)
    signedIn.get(.movement(.key, .key), use: movements.show)
    signedIn.post(.movementApprovals(.key, .key), use: movements.approve)
    signedIn.post(.movementCheckIns(.key, .key), use: movements.checkIn)
    signedIn.post(.cancelMovement(.key, .key), use: movements.cancel)
    signedIn.post(.resolveMovement(.key, .key), use: movements.resolve)
    let alerts = AlertController()
    signedIn.get(.alerts(.key), use: alerts.index)
    signedIn.post(.alerts(.key), use: alerts.create)
    signedIn.get(.newAlert(.key), use: alerts.new)
    signedIn.get(.alert(.key, .key), use: alerts.show)
    signedIn.get(.alertCounts(.key, .key), use: alerts.counts)
    signedIn.post(.alertHelpHandled(.key, .key), use: alerts.helpHandled)
    let crisis = CriticalIncidentController()
    signedIn.get(.criticalIncidents(.key), use: crisis.index)
    signedIn.post(.criticalIncidents(.key), use: crisis.create)
    signedIn.get(.newCriticalIncident(.key), use: crisis.new)
    signedIn.get(.criticalIncident(.key, .key), use: crisis.show)
    signedIn.post(.criticalIncident(.key, .key), use: crisis.setCallBack)
    signedIn.get(.criticalIncidentPrint(.key, .key), use: crisis.print)
    signedIn.post(.criticalIncidentLog(.key, .key), use: crisis.log)
    signedIn.post(.criticalIncidentGSU(.key, .key), use: crisis.gsu)
    signedIn.post(.criticalIncidentActivation(.key, .key), use: crisis.activation)
    signedIn.post(.criticalIncidentPeople(.key, .key), use: crisis.person)
    signedIn.post(.criticalIncidentRollCall(.key, .key), use: crisis.rollCall)
    signedIn.post(.criticalIncidentStandDown(.key, .key), use: crisis.standDown)
    signedIn.post(.criticalIncidentReview(.key, .key), use: crisis.review)
    // No sign-in: the person answers from the message on any phone.
    let acknowledge = AcknowledgeController()
    web.get(.acknowledge(.key), use: acknowledge.show)
    web.post(.acknowledge(.key), use: acknowledge.answer)

    let rollCalls = RollCallController()
    signedIn.post(.rollCalls(.key), use: rollCalls.open)
    signedIn.get(.rollCall(.key, .key), use: rollCalls.show)
    signedIn.post(.rollCallAnswers(.key, .key), use: rollCalls.answer)
    signedIn.post(.closeRollCall(.key, .key), use: rollCalls.close)
    let settings = SecuritySettingsController()
    signedIn.get(.securitySettings(.key), use: settings.show)
    signedIn.post(.securitySettings(.key), use: settings.save)

    let account = AccountController()
    signedIn.get(.account, use: account.show)
    signedIn.post(.accountTokens, use: account.createToken)
    signedIn.post(.revokeToken(.key), use: account.revokeToken)

    let admin = AdminController()
    signedIn.get(.siteAudit(.key, .key), use: admin.siteAudit)
    signedIn.get(.incidentAudit(.key, .key), use: admin.incidentAudit)
    signedIn.get(.riskAudit(.key, .key), use: admin.riskAudit)
    signedIn.get(.operationAudit(.key), use: admin.operationAudit)
    signedIn.get(.adminUsers, use: admin.users)
    signedIn.post(.adminUsers, use: admin.createUser)
    signedIn.post(.userDisabled(.key), use: admin.setDisabled)

    try apiRoutes(app)
}

/// Routes registered from `SiteURL`.
extension RoutesBuilder {
    @discardableResult
    func get<Output: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @escaping @Sendable (Request) async throws -> Output
    ) -> Route {
        on(.GET, url, use: closure)
    }

    @discardableResult
    func post<Output: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @escaping @Sendable (Request) async throws -> Output
    ) -> Route {
        on(.POST, url, use: closure)
    }

    @discardableResult
    func on<Output: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ url: SiteURL, body: HTTPBodyStreamStrategy = .collect,
        use closure: @escaping @Sendable (Request) async throws -> Output
    ) -> Route {
        on(method, url.pathComponents.map { PathComponent(stringLiteral: $0) }, body: body, use: closure)
    }
}
