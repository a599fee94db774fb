import Fluent
import Vapor

/// Every route, grouped into the web pages and the JSON API.
func routes(_ app: Application) throws {
    app.get("health") { _ in "ok" }

    let web = app.grouped(app.sessions.middleware, WebUserLoader(), CSRFMiddleware())
    let auth = AuthController()
    web.get("sign-in", use: auth.showSignIn)
    web.post("sign-in", use: auth.signIn)
    web.post("language", use: auth.setLanguage)

    let signedIn = web.grouped(RequireSignIn())
    signedIn.post("sign-out", use: auth.signOut)

    let operations = OperationController()
    signedIn.get(use: operations.index)
    signedIn.get("operations", "new", use: operations.new)
    signedIn.post("operations", use: operations.create)
    let operation = signedIn.grouped("operations", ":code")
    operation.get(use: operations.show)
    operation.get("edit", use: operations.edit)
    operation.post("edit", use: operations.update)
    operation.get("map.svg", use: operations.mapSVG)
    operation.post("members", use: operations.addMember)
    operation.post("members", "remove", use: operations.removeMember)

    let boundaries = BoundaryController()
    operation.get("boundaries", use: boundaries.index)
    operation.on(.POST, "boundaries", body: .collect(maxSize: ByteCount(integerLiteral: app.bearingConfig.maxUploadBytes + 1_000_000)),
                 use: boundaries.upload)

    let incidents = IncidentController()
    operation.get("incidents", use: incidents.index)
    operation.get("incidents", "new", use: incidents.new)
    operation.get("incidents", "due", use: incidents.due)
    operation.post("incidents", use: incidents.create)
    let analysis = IncidentAnalysisController()
    operation.get("incidents", "analysis", use: analysis.page)
    operation.get("incidents", "export", use: analysis.export)
    operation.get("incidents", "map", use: analysis.map)
    let sources = ContextSourceController()
    operation.get("incidents", "sources", use: sources.index)
    operation.on(.POST, "incidents", "sources", body: .collect(maxSize: ByteCount(integerLiteral: app.bearingConfig.maxUploadBytes + 1_000_000)),
                 use: sources.upload)
    operation.get("incidents", ":id", use: incidents.show)
    operation.get("incidents", ":id", "edit", use: incidents.edit)
    operation.post("incidents", ":id", "edit", use: incidents.update)
    operation.post("incidents", ":id", "status", use: incidents.changeStatus)
    operation.post("incidents", ":id", "reports", use: incidents.addReport)
    operation.post("incidents", ":id", "actions", ":index", "done", use: incidents.setActionDone)

    let sites = SiteController()
    operation.get("sites", use: sites.index)
    operation.get("sites", "new", use: sites.new)
    operation.post("sites", use: sites.create)
    operation.get("sites", ":id", use: sites.show)
    operation.get("sites", ":id", "edit", use: sites.edit)
    operation.post("sites", ":id", "edit", use: sites.update)
    operation.post("sites", ":id", "delete", use: sites.delete)

    let risks = RiskController()
    operation.get("risks", use: risks.index)
    operation.get("risks", "new", use: risks.new)
    operation.post("risks", use: risks.create)
    operation.get("risks", "changes", use: risks.changes)
    operation.post("risks", "reports", use: risks.issue)
    operation.get("risks", "reports", ":report", use: risks.report)
    operation.get("risks", ":id", use: risks.show)
    operation.get("risks", ":id", "edit", use: risks.edit)
    operation.post("risks", ":id", "edit", use: risks.update)
    operation.post("risks", ":id", "close", use: risks.close)
    operation.post("risks", ":id", "reopen", use: risks.reopen)
    operation.post("risks", ":id", "incidents", use: risks.link)
    operation.post("risks", ":id", "incidents", ":incident", "unlink", use: risks.unlink)
    let settings = SecuritySettingsController()
    operation.get("security-settings", use: settings.show)
    operation.post("security-settings", use: settings.save)

    let account = AccountController()
    signedIn.get("account", use: account.show)
    signedIn.post("account", "tokens", use: account.createToken)
    signedIn.post("account", "tokens", ":id", "revoke", use: account.revokeToken)

    let admin = AdminController()
    operation.get("sites", ":id", "audit", use: admin.siteAudit)
    operation.get("incidents", ":id", "audit", use: admin.incidentAudit)
    operation.get("risks", ":id", "audit", use: admin.riskAudit)
    operation.get("audit", use: admin.operationAudit)
    signedIn.get("admin", "users", use: admin.users)
    signedIn.post("admin", "users", use: admin.createUser)
    signedIn.post("admin", "users", ":id", "disabled", use: admin.setDisabled)

    try apiRoutes(app)
}
