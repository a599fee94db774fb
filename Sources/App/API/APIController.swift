import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// Wire formats of the JSON API (`/api/v1`). Conversions from stored rows live here only.
enum APIDTO {
    struct Operation: Content {
        let code: String; let name: String; let countries: [String]; let emergencyType: String; let glideNumber: String?
        let appealCode: String?; let startDate: String?; let timeZone: String; let role: String?
        init(_ row: OperationRecord, role: Role?) {
            code = row.code; name = row.name; countries = row.countryCodes; emergencyType = row.emergencyType
            glideNumber = row.glideNumber; appealCode = row.appealCode; startDate = row.startDate;
            timeZone = row.timeZone
            self.role = role?.rawValue
        }
    }
    struct Area: Content {
        let pcode: String; let parentPcode: String?; let level: Int; let name: String; let names: [String: String]
        init(_ row: AdminAreaRecord) {
            pcode = row.pcode; parentPcode = row.parentPcode; level = row.level; name = row.name
            names = (try? JSONDecoder().decode([String: String].self, from: Data(row.names.utf8))) ?? [:]
        }
    }
    struct Site: Content {
        let id: SiteID; let name: String; let type: String; let latitude: Double; let longitude: Double;
        let areaPcode: String?
        let contactName: String?; let contactPhone: String?; let notes: String?; let audience: String
        let createdAt: Date; let updatedAt: Date
        init(_ row: SiteRecord) {
            id = row.id; name = row.name; type = row.type; latitude = row.latitude; longitude = row.longitude
            areaPcode = row.areaPcode; contactName = row.contactName; contactPhone = row.contactPhone; notes = row.notes
            audience = row.audience; createdAt = row.createdAt; updatedAt = row.updatedAt
        }
    }
    struct SiteInput: Content {
        let name: String; let type: String; let latitude: Double?; let longitude: Double?; let contactName: String?
        let contactPhone: String?; let notes: String?; let audience: String

        /// The JSON as the one site decoder's input.
        var input: Domain.SiteInput {
            var input = Domain.SiteInput()
            input.name = name
            input.type = type
            input.latitude = latitude.map { String($0) } ?? ""
            input.longitude = longitude.map { String($0) } ?? ""
            input.contactName = contactName ?? ""
            input.contactPhone = contactPhone ?? ""
            input.notes = notes ?? ""
            input.audience = audience
            return input
        }
    }
    struct SitePatch: Content {
        let name: String?; let type: String?; let latitude: Double?; let longitude: Double?; let contactName: String?
        let contactPhone: String?; let notes: String?; let audience: String?
    }
    struct OperationInput: Content {
        let code: String; let name: String; let countries: [String]; let emergencyType: String?
        let glideNumber: String?; let appealCode: String?; let timeZone: String?
    }
    struct UserInput: Content { let email: String; let displayName: String; let password: String; let isAdmin: Bool? }
    struct User: Content {
        let id: UserID; let email: String; let displayName: String; let isAdmin: Bool; let disabled: Bool
        init(_ row: UserRecord) {
            id = row.id; email = row.email; displayName = row.displayName; isAdmin = row.isAdmin;
            disabled = row.isDisabled
        }
    }
    struct PageOf<Item: Content>: Content {
        let items: [Item]; let page: Int; let perPage: Int; let total: Int; let pageCount: Int
        init<Row>(_ page: Persistence.ResultPage<Row>, _ map: (Row) -> Item) {
            items = page.items.map(map); self.page = page.page; perPage = page.perPage; total = page.total;
            pageCount = page.pageCount
        }
    }
}

/// The JSON API. Every handler answers errors as `{"error": {"code", "message", "details"}}`.
struct APIController {
    func operations(_ req: Request) async throws -> [APIDTO.Operation] {
        let current = try req.requireUser()
        return try await OperationStore(req.db).list(visibleTo: current.viewer).map {
            APIDTO.Operation($0, role: current.viewer.role(in: $0.id))
        }
    }

    func showOperation(_ req: Request) async throws -> APIDTO.Operation {
        let context = try await req.apiOperation()
        return APIDTO.Operation(context.operation, role: context.role)
    }

    func areas(_ req: Request) async throws -> APIDTO.PageOf<APIDTO.Area> {
        let context = try await req.apiOperation()
        let level = try req.queryInteger("level", in: 0...4, emptyMeansAbsent: false)
        let result = try await AreaStore(req.db).list(
            operationID: context.operation.id, level: level, page: try req.apiPaging())
        return APIDTO.PageOf(result, APIDTO.Area.init)
    }

    func sites(_ req: Request) async throws -> APIDTO.PageOf<APIDTO.Site> {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        var filter = SiteStore.Filter()
        if let type = req.queryText("type") {
            guard let parsed = SiteType(rawValue: type) else {
                throw APIError(.badRequest, code: "bad_parameter", "Unknown site type '\(type)'.")
            }
            filter.type = parsed
        }
        filter.areaPcodePrefix = req.queryText("area")
        filter.search = req.queryText("q")
        let result = try await SiteStore(req.db).list(in: scope, filter: filter, page: try req.apiPaging())
        return APIDTO.PageOf(result, APIDTO.Site.init)
    }

    func site(_ req: Request) async throws -> Response {
        let context = try await req.apiOperation()
        let notFound = APIError(.notFound, code: "not_found", "No such site.")
        let scope = try context.requireScope(notFound: notFound)
        guard let id = req.pathID(as: SiteID.self),
            let site = try await SiteStore(req.db).find(id, in: scope)
        else { throw notFound }
        return try await APIVersioning.tagged(APIDTO.Site(site), version: EditVersion.token(site.updatedAt), req)
    }

    /// A record's answer with its version as `ETag`, for the `If-Match` of a later PUT or PATCH.
    func createSite(_ req: Request) async throws -> Response {
        let context = try await req.apiOperation()
        _ = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        // A role that may create no record at all is refused before its body is read: 403, not a
        // list of field errors it could never get past (the audience is checked once it is known).
        guard context.canCreateRecords else {
            throw APIError(.forbidden, code: "forbidden", "Your role may not create this record.")
        }
        let draft = try req.apiBody(APIDTO.SiteInput.self).input.decoded().draft
        let access = RecordAccess(
            operationID: context.operation.id, audience: draft.audience,
            createdBy: context.current.user.id)
        guard AccessPolicy.canCreate(access, by: context.viewer) else {
            throw APIError(.forbidden, code: "forbidden", "Your role may not create this record.")
        }
        let area = try await MapService(request: req).resolveArea(
            operation: context.operation, latitude: draft.latitude ?? 0, longitude: draft.longitude ?? 0)
        let site = try await SiteStore(req.db).create(
            draft, areaPcode: area, grants: .init(), in: context.operation.id, actorID: context.current.user.id,
            now: req.now)
        let response = try await APIDTO.Site(site).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.apiSite(.value(context.operation.code), .value(site.id)).path)
        return response
    }

    func createOperation(_ req: Request) async throws -> Response {
        let current = try req.requireAPIAdmin()
        let input = try req.apiBody(APIDTO.OperationInput.self)
        var errors = ValidationErrors()
        let type = EmergencyType(rawValue: input.emergencyType ?? EmergencyType.complexEmergency.rawValue)
        if type == nil {
            errors.add("emergency_type", key: "error.choose", "Unknown emergency type '\(input.emergencyType ?? "")'.")
        }
        try errors.throwIfAny()
        let draft = try OperationDraft(
            code: input.code, name: input.name, countries: input.countries.map { $0.uppercased() },
            emergencyType: type ?? .other, glideNumber: input.glideNumber, appealCode: input.appealCode,
            timeZone: input.timeZone ?? "UTC"
        ).validated()
        let row = try await OperationStore(req.db).create(draft, actorID: current.user.id, now: req.now)
        let response = try await APIDTO.Operation(row, role: nil).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: SiteURL.apiOperation(.value(row.code)).path)
        return response
    }

    func createUser(_ req: Request) async throws -> Response {
        let current = try req.requireAPIAdmin()
        let input = try req.apiBody(APIDTO.UserInput.self)
        if let problem = UserService.problem(email: input.email, name: input.displayName, password: input.password) {
            throw APIError(
                .unprocessableEntity, code: "validation_failed", "Some fields are invalid.",
                details: [.init(field: problem.field, message: problem.message)])
        }
        let hash = try await req.password.async.hash(input.password)
        let user = try await UserStore(req.db).create(
            email: input.email, displayName: input.displayName, passwordHash: hash, isAdmin: input.isAdmin ?? false,
            actorID: current.user.id, now: req.now)
        return try await APIDTO.User(user).encodeResponse(status: .created, for: req)
    }

    /// Changes the fields given; the others keep their values. Same rules as the edit page.
    func updateSite(_ req: Request) async throws -> Response {
        let (context, site, scope) = try await changeableSite(req)
        let version = try req.ifMatch()
        let patch = try req.apiBody(APIDTO.SitePatch.self)
        // What the patch leaves out stays as stored.
        var input = site.input()
        if let name = patch.name { input.name = name }
        if let type = patch.type { input.type = type }
        if let latitude = patch.latitude { input.latitude = String(latitude) }
        if let longitude = patch.longitude { input.longitude = String(longitude) }
        if let contactName = patch.contactName { input.contactName = contactName }
        if let contactPhone = patch.contactPhone { input.contactPhone = contactPhone }
        if let notes = patch.notes { input.notes = notes }
        if let audience = patch.audience { input.audience = audience }
        let draft = try input.decoded().draft
        let grants = try await SiteStore(req.db).grants(of: site.id)
        let access = RecordAccess(
            operationID: context.operation.id, audience: draft.audience,
            createdBy: site.createdBy,
            namedUserIDs: grants.userIDs, namedRoles: grants.roles)
        guard AccessPolicy.canView(access, by: context.viewer) else {
            throw APIError(
                .forbidden, code: "forbidden",
                "You cannot narrow the audience so far that you could no longer see the record yourself.")
        }
        let area = try await MapService(request: req).resolveArea(
            operation: context.operation, latitude: draft.latitude ?? 0, longitude: draft.longitude ?? 0)
        do {
            let updated = try await SiteStore(req.db).update(
                site.id, with: draft, areaPcode: area, grants: grants, scope: scope, actorID: context.current.user.id,
                expecting: version, now: req.now)
            return try await APIVersioning.tagged(
                APIDTO.Site(updated), version: EditVersion.token(updated.updatedAt), req)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let current = try await SiteStore(req.db).find(site.id, in: scope)
            throw APIVersioning.stale(current.map { EditVersion.token($0.updatedAt) } ?? "")
        }
    }

    func deleteSite(_ req: Request) async throws -> HTTPStatus {
        let (context, site, scope) = try await changeableSite(req)
        try await SiteStore(req.db).delete(site.id, scope: scope, actorID: context.current.user.id, now: req.now)
        return .noContent
    }

    /// The site in the path, visible to the caller (else 404) and changeable by them (else 403).
    func changeableSite(_ req: Request) async throws -> (OperationContext, SiteRecord, Scope) {
        let context = try await req.apiOperation()
        let notFound = APIError(.notFound, code: "not_found", "No such site.")
        let scope = try context.requireScope(notFound: notFound)
        guard let id = req.pathID(as: SiteID.self),
            let site = try await SiteStore(req.db).find(id, in: scope)
        else { throw notFound }
        guard AccessPolicy.canChange(try await SiteStore(req.db).access(of: site), by: context.viewer) else {
            throw APIError(.forbidden, code: "forbidden", "Your role may not change this site.")
        }
        return (context, site, scope)
    }

    func users(_ req: Request) async throws -> APIDTO.PageOf<APIDTO.User> {
        _ = try req.requireAPIAdmin()
        let result = try await UserStore(req.db).list(page: try req.apiPaging())
        return APIDTO.PageOf(result, APIDTO.User.init)
    }
}

func apiRoutes(_ app: Application) throws {
    app.get(.apiDocument) { req async throws -> Response in
        let path = BundledResources.directory + "openapi.json"
        return try await req.fileio.asyncStreamFile(at: path, mediaType: .json)
    }
    let authed = app.grouped(APITokenAuthenticator())
    let controller = APIController()
    authed.get(.apiOperations, use: controller.operations)
    authed.post(.apiOperations, use: controller.createOperation)
    authed.post(.apiUsers, use: controller.createUser)
    authed.get(.apiOperation(.key), use: controller.showOperation)
    authed.get(.apiAreas(.key), use: controller.areas)
    authed.get(.apiSites(.key), use: controller.sites)
    authed.post(.apiSites(.key), use: controller.createSite)
    authed.get(.apiSite(.key, .key), use: controller.site)
    authed.on(.PATCH, .apiSite(.key, .key), use: controller.updateSite)
    authed.on(.DELETE, .apiSite(.key, .key), use: controller.deleteSite)
    authed.get(.apiUsers, use: controller.users)
    let incidents = IncidentAPI()
    authed.get(.apiIncidents(.key), use: incidents.list)
    authed.post(.apiIncidents(.key), use: incidents.create)
    authed.get(.apiIncidentAnalysis(.key), use: incidents.analysis)
    authed.get(.apiIncidentExport(.key), use: incidents.export)
    authed.get(.apiIncident(.key, .key), use: incidents.show)
    authed.on(.PUT, .apiIncident(.key, .key), use: incidents.update)
    authed.post(.apiIncidentStatus(.key, .key), use: incidents.changeStatus)
    authed.get(.apiIncidentReports(.key, .key), use: incidents.reports)
    authed.post(.apiIncidentReports(.key, .key), use: incidents.addReport)
    let population = PopulationAPI()
    authed.get(.apiFlows(.key), use: population.tallies)
    authed.post(.apiFlows(.key), use: population.record)
    authed.get(.apiFlowPoints(.key), use: population.points)
    authed.get(.apiFlowAnalysis(.key), use: population.analysis)
    authed.get(.apiPopulationFigures(.key), use: population.figures)
    authed.post(.apiPopulationFigures(.key), use: population.saveFigure)
    authed.get(.apiPopulationStats(.key), use: population.stats)
    authed.get(.apiPopulationStock(.key), use: population.stock)
    let services = ServiceAPI()
    authed.get(.apiServices(.key), use: services.list)
    authed.post(.apiServices(.key), use: services.create)
    authed.get(.apiService(.key, .key), use: services.show)
    authed.on(.PATCH, .apiService(.key, .key), use: services.update)
    authed.on(.DELETE, .apiService(.key, .key), use: services.delete)
    let activities = ActivityAPI()
    authed.get(.apiActivities(.key), use: activities.list)
    authed.post(.apiActivities(.key), use: activities.create)
    authed.on(.PATCH, .apiActivity(.key, .key), use: activities.update)
    let assessments = AssessmentAPI()
    authed.get(.apiAssessments(.key), use: assessments.list)
    authed.post(.apiAssessments(.key), use: assessments.create)
    authed.get(.apiAssessment(.key, .key), use: assessments.show)
    let protectionRisks = ProtectionRiskAPI()
    authed.get(.apiProtectionRisks(.key), use: protectionRisks.list)
    authed.post(.apiProtectionRisks(.key), use: protectionRisks.create)
    authed.get(.apiProtectionRisk(.key, .key), use: protectionRisks.show)
    authed.on(.PATCH, .apiProtectionRisk(.key, .key), use: protectionRisks.update)
    let network = NetworkAPI()
    authed.get(.apiStakeholders(.key), use: network.stakeholders)
    authed.post(.apiStakeholders(.key), use: network.createStakeholder)
    authed.get(.apiStakeholder(.key, .key), use: network.stakeholder)
    authed.on(.PATCH, .apiStakeholder(.key, .key), use: network.updateStakeholder)
    authed.get(.apiMeetings(.key), use: network.meetings)
    authed.post(.apiMeetings(.key), use: network.createMeeting)
    authed.get(.apiMeeting(.key, .key), use: network.meeting)
    authed.on(.PATCH, .apiMeeting(.key, .key), use: network.updateMeeting)
    authed.get(.apiActionPoints(.key), use: network.actionPoints)
    authed.on(.PATCH, .apiActionPoint(.key, .key), use: network.setActionPoint)
    let products = ProductAPI()
    authed.get(.apiProducts(.key), use: products.list)
    authed.post(.apiProducts(.key), use: products.create)
    authed.get(.apiProduct(.key, .key), use: products.show)
    authed.on(.PATCH, .apiProduct(.key, .key), use: products.update)
    authed.post(.apiProductActions(.key, .key), use: products.act)
    let referrals = ReferralAPI()
    authed.get(.apiReferrals(.key), use: referrals.list)
    authed.post(.apiReferrals(.key), use: referrals.create)
    authed.get(.apiReferralFigures(.key), use: referrals.figures)
    authed.get(.apiReferral(.key, .key), use: referrals.show)
    authed.post(.apiReferralStatus(.key, .key), use: referrals.step)
    let people = PeopleAPI()
    authed.get(.apiPeople(.key), use: people.list)
    authed.post(.apiPeople(.key), use: people.create)
    authed.get(.apiHeadcount(.key), use: people.headcount)
    authed.get(.apiPerson(.key, .key), use: people.show)
    authed.on(.PATCH, .apiPerson(.key, .key), use: people.update)
    authed.get(.apiPersonLocation(.key, .key), use: people.whereabouts)
    authed.post(.apiPersonLocation(.key, .key), use: people.confirmLocation)
    let crisis = CriticalIncidentAPI()
    authed.get(.apiCriticalIncidents(.key), use: crisis.list)
    authed.post(.apiCriticalIncidents(.key), use: crisis.create)
    authed.get(.apiCriticalIncident(.key, .key), use: crisis.show)
    authed.get(.apiCrisisLog(.key, .key), use: crisis.log)
    authed.post(.apiCrisisLog(.key, .key), use: crisis.append)
    let alerts = AlertAPI()
    authed.get(.apiAlerts(.key), use: alerts.list)
    authed.post(.apiAlerts(.key), use: alerts.create)
    authed.get(.apiAlert(.key, .key), use: alerts.show)
    let movements = MovementAPI()
    authed.get(.apiMovements(.key), use: movements.list)
    authed.post(.apiMovements(.key), use: movements.create)
    authed.get(.apiMovement(.key, .key), use: movements.show)
    authed.get(.apiMovementCheckIns(.key, .key), use: movements.checkIns)
    authed.post(.apiMovementCheckIns(.key, .key), use: movements.checkIn)
    // Unknown API paths answer JSON too.
    app.grouped("api", "v1").get("**") { _ -> Response in
        throw APIError(.notFound, code: "not_found", "No such API path.")
    }
}
