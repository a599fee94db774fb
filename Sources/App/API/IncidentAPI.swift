import Domain
import Foundation
import Interop
import Persistence
import Vapor
import Views

extension APIDTO {
    struct Deadline: Content { let kind: String; let dueAt: Date; let state: String }
    struct FollowUp: Content { let action: String; let owner: String; let dueOn: Date?; let done: Bool }
    struct Incident: Content {
        let id: IncidentID; let number: Int; let title: String; let description: String?; let category: String;
        let subtype: String?
        let occurredAt: Date; let timePrecision: String; let knownAt: Date?; let latitude: Double?;
        let longitude: Double?
        let areaPcode: String?; let placeName: String?; let geoPrecision: String; let locationType: String;
        let affected: [String]
        /// Non-zero cells only, keyed like `killed_national_female`.
        let casualties: [String: Int]
        let actorType: String; let actorName: String?; let means: String; let context: String; let motive: String
        let severity: String; let serious: Bool; let seriousInjury: Bool; let particularlySensitive: Bool;
        let nearMiss: Bool
        let immediateActions: String?; let followUp: [FollowUp]; let lessonsLearned: String?;
        let proceduresFollowed: Bool?
        let verification: String; let source: String; let status: String; let reporterHidden: Bool
        /// Null when the reporter asked to stay unnamed and the caller is not a security role.
        let reporterId: UserID?
        let reportedToRegionAt: Date?; let deadline: Deadline; let audience: String; let createdAt: Date;
        let updatedAt: Date

        init(_ record: IncidentRecord, showReporter: Bool, now: Date) {
            let d = record.draft
            id = record.id; number = record.number; title = d.title; description = d.description;
            category = d.category.rawValue
            subtype = d.subtype?.rawValue; occurredAt = d.occurredAt; timePrecision = d.timePrecision.rawValue;
            knownAt = d.knownAt
            latitude = d.latitude; longitude = d.longitude; areaPcode = d.areaPcode; placeName = d.placeName
            geoPrecision = d.geoPrecision.rawValue; locationType = d.locationType.rawValue
            affected = AffectedGroup.allCases.filter(d.affected.contains).map(\.rawValue)
            casualties = Dictionary(uniqueKeysWithValues: d.casualties.counts.map { ($0.key.key, $0.value) })
            actorType = d.actorType.rawValue; actorName = d.actorName; means = d.means.rawValue;
            context = d.context.rawValue
            motive = d.motive.rawValue; severity = d.severity.rawValue; serious = record.serious;
            seriousInjury = d.seriousInjury
            particularlySensitive = d.particularlySensitive; nearMiss = d.nearMiss;
            immediateActions = d.immediateActions
            followUp = d.followUpActions.map {
                FollowUp(action: $0.action, owner: $0.owner, dueOn: $0.dueOn, done: $0.done)
            }
            lessonsLearned = d.lessonsLearned; proceduresFollowed = d.proceduresFollowed;
            verification = d.verification.rawValue
            source = d.source.rawValue; status = record.status.rawValue; reporterHidden = d.reporterHidden
            reporterId = showReporter ? record.reporterID : nil; reportedToRegionAt = record.reportedToRegionAt
            let deadline = record.deadline(at: now)
            self.deadline = Deadline(
                kind: deadline.kind.rawValue, dueAt: deadline.dueAt, state: deadline.state.rawValue)
            audience = d.audience.rawValue; createdAt = record.createdAt; updatedAt = record.updatedAt
        }
    }
    struct IncidentInput: Content {
        let title: String; let category: String; let subtype: String?; let description: String?
        /// ISO 8601, e.g. 2026-11-23T14:30:00Z.
        let occurredAt: String; let timePrecision: String?; let knownAt: String?
        let latitude: Double?; let longitude: Double?; let areaPcode: String?; let placeName: String?;
        let geoPrecision: String?
        let locationType: String?; let affected: [String]?; let casualties: [String: Int]?; let actorType: String?
        let actorName: String?; let means: String?; let context: String?; let motive: String?; let severity: String?
        let seriousInjury: Bool?; let particularlySensitive: Bool?; let nearMiss: Bool?; let immediateActions: String?
        let lessonsLearned: String?; let proceduresFollowed: Bool?; let verification: String?; let source: String?
        let reporterHidden: Bool?; let audience: String
        let followUp: [FollowUpInput]?
    }
    struct FollowUpInput: Content {
        let action: String; let owner: String
        /// A day, e.g. 2026-11-30.
        let dueOn: String?; let done: Bool?
    }
    struct StatusInput: Content { let status: String }
    struct ReportInput: Content { let type: String; let summary: String; let sentToRegion: Bool? }
    struct Report: Content {
        let id: UUID; let type: String; let reportedAt: Date; let authorId: UserID?; let summary: String
        init(_ report: IncidentReport, showAuthor: Bool) {
            id = report.id; type = report.type.rawValue; reportedAt = report.reportedAt;
            authorId = showAuthor ? report.authorID : nil
            summary = report.summary
        }
    }
}

/// `/api/v1/operations/{code}/incidents`: the same store, scope and rules as the pages.
struct IncidentAPI {
    func list(_ req: Request) async throws -> APIDTO.PageOf<APIDTO.Incident> {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        let result = try await IncidentStore(req.db).list(in: scope, page: try req.apiPaging())
        return APIDTO.PageOf(result) { APIDTO.Incident($0, showReporter: Self.showReporter($0, context), now: req.now) }
    }

    func show(_ req: Request) async throws -> Response {
        let context = try await req.apiOperation()
        let notFound = APIError(.notFound, code: "not_found", "No such incident.")
        let scope = try context.requireScope(notFound: notFound)
        guard let id = req.pathID(as: IncidentID.self),
            let incident = try await IncidentStore(req.db).find(id, in: scope)
        else { throw notFound }
        return try await APIVersioning.tagged(
            APIDTO.Incident(incident, showReporter: Self.showReporter(incident, context), now: req.now),
            version: EditVersion.token(incident.updatedAt), req)
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await req.apiOperation()
        _ = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        // A role that may report nothing is refused before its body is read.
        guard context.canCreateRecords else {
            throw APIError(.forbidden, code: "forbidden", "Your role may not create this record.")
        }
        let input = try req.apiBody(APIDTO.IncidentInput.self)
        var given = Self.input(input)
        if !AccessPolicy.canJudgeIncidentReports(in: context.operation.id, by: context.viewer) {
            given.keepJudgement(of: nil)
        }
        let draft = try await IncidentPlacement.placed(try given.draft(now: req.now), in: context, req)
        let access = RecordAccess(
            operationID: context.operation.id, audience: draft.audience,
            createdBy: context.current.user.id,
            namedRoles: AccessPolicy.rolesNamedOnIncident(audience: draft.audience))
        guard AccessPolicy.canCreate(access, by: context.viewer) else {
            throw APIError(.forbidden, code: "forbidden", "Your role may not create this record.")
        }
        let incident = try await IncidentStore(req.db).create(
            draft, reporterID: context.current.user.id, in: context.operation.id, actorID: context.current.user.id,
            now: req.now)
        let response = try await APIDTO.Incident(incident, showReporter: true, now: req.now).encodeResponse(
            status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.apiIncident(.value(context.operation.code), .value(incident.id)).path)
        return response
    }

    /// `PUT …/incidents/{id}`: replaces the incident's facts (the whole input, as on create);
    /// versioned in its history. Nobody may narrow an incident so far that they lose sight of it.
    func update(_ req: Request) async throws -> Response {
        let (context, scope, incident) = try await load(req)
        guard AccessPolicy.canChange(incident.access, by: context.viewer) else {
            throw APIError(.forbidden, code: "forbidden", "Your role may not change this incident.")
        }
        let version = try req.ifMatch()
        let input = try req.apiBody(APIDTO.IncidentInput.self)
        // Left out, reporter_hidden stays as stored; only the reporter may turn it off.
        guard
            let hidden = AccessPolicy.reporterHidden(
                requested: input.reporterHidden, stored: incident.draft.reporterHidden,
                reporterID: incident.reporterID, by: context.viewer)
        else {
            throw APIError(
                .forbidden, code: "forbidden", "Only the person who reported this incident can show their name on it.",
                details: [
                    .init(field: "reporter_hidden", message: "Leave it out or true to keep the reporter unnamed.")
                ])
        }
        var given = Self.input(input)
        given.reporterHidden = hidden
        if !AccessPolicy.canJudgeIncidentReports(in: context.operation.id, by: context.viewer) {
            given.keepJudgement(of: incident.draft)
        }
        let draft = try await IncidentPlacement.placed(try given.draft(now: req.now), in: context, req)
        var after = incident
        after.draft = draft
        guard AccessPolicy.canView(after.access, by: context.viewer) else {
            throw APIError(
                .forbidden, code: "forbidden", "This audience would hide the incident from you; choose a wider one.")
        }
        do {
            let updated = try await IncidentStore(req.db).update(
                incident.id, with: draft, scope: scope, actorID: context.current.user.id, expecting: version,
                now: req.now)
            return try await APIVersioning.tagged(
                APIDTO.Incident(updated, showReporter: Self.showReporter(updated, context), now: req.now),
                version: EditVersion.token(updated.updatedAt), req)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let current = try await IncidentStore(req.db).find(incident.id, in: scope)
            throw APIVersioning.stale(current.map { EditVersion.token($0.updatedAt) } ?? "")
        }
    }

    /// `POST …/incidents/{id}/status`: one follow-up step (reported → verified → analysed → closed) or reopening.
    func changeStatus(_ req: Request) async throws -> APIDTO.Incident {
        let (context, scope, incident) = try await load(req)
        guard AccessPolicy.canFollowUp(incident.access, by: context.viewer) else {
            throw APIError(.forbidden, code: "forbidden", "Only security roles move an incident through its follow-up.")
        }
        let input = try req.apiBody(APIDTO.StatusInput.self)
        guard let status = IncidentStatus(rawValue: input.status) else {
            throw APIError(
                .unprocessableEntity, code: "invalid", "Unknown status '\(input.status)'.",
                details: [
                    .init(
                        field: "status",
                        message: "One of: \(IncidentStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
                ])
        }
        let updated = try await IncidentStore(req.db).changeStatus(
            incident.id, to: status, scope: scope, actorID: context.current.user.id, now: req.now)
        return APIDTO.Incident(updated, showReporter: Self.showReporter(updated, context), now: req.now)
    }

    /// `GET …/incidents/{id}/reports`: the timeline, oldest first.
    func reports(_ req: Request) async throws -> [APIDTO.Report] {
        let (context, _, incident) = try await load(req)
        // The reporter's own reports name them: only to those who may see who reported.
        let showReporter = Self.showReporter(incident, context)
        return try await IncidentStore(req.db).reports(of: incident.id).map {
            APIDTO.Report($0, showAuthor: showReporter || $0.authorID != incident.reporterID)
        }
    }

    /// `POST …/incidents/{id}/reports`: an update or the post-incident report; `sent_to_region`
    /// on the first report that went to the region stops the IFRC reporting clock.
    func addReport(_ req: Request) async throws -> Response {
        let (context, scope, incident) = try await load(req)
        guard AccessPolicy.canAddReport(to: incident.access, by: context.viewer) else {
            throw APIError(.forbidden, code: "forbidden", "Your role may not add reports to this incident.")
        }
        let input = try req.apiBody(APIDTO.ReportInput.self)
        guard let type = IncidentReportType(rawValue: input.type) else {
            throw APIError(
                .unprocessableEntity, code: "invalid", "Unknown report type '\(input.type)'.",
                details: [
                    .init(
                        field: "type",
                        message: "One of: \(IncidentReportType.allCases.map(\.rawValue).joined(separator: ", ")).")
                ])
        }
        let report = try await IncidentStore(req.db).addReport(
            to: incident.id, type: type, summary: input.summary, sentToRegion: input.sentToRegion ?? false,
            scope: scope,
            actorID: context.current.user.id, now: req.now)
        return try await APIDTO.Report(report, showAuthor: true).encodeResponse(status: .created, for: req)
    }

    func load(_ req: Request) async throws -> (OperationContext, Scope, IncidentRecord) {
        let context = try await req.apiOperation()
        let notFound = APIError(.notFound, code: "not_found", "No such incident.")
        let scope = try context.requireScope(notFound: notFound)
        guard let id = req.pathID(as: IncidentID.self),
            let incident = try await IncidentStore(req.db).find(id, in: scope)
        else { throw notFound }
        return (context, scope, incident)
    }

    /// `GET …/incidents/analysis`: the analysis page's figures as JSON, with the same filters.
    func analysis(_ req: Request) async throws -> IncidentAnalysisService.Report {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        return try await IncidentAnalysisService(database: req.db, areaShapes: req.areaShapes).analyse(
            try Self.query(req), operation: context.operation, scope: scope, now: req.now)
    }

    /// `GET …/incidents/export?format=csv|hxl|geojson`: streamed, through the caller's scope.
    func export(_ req: Request) async throws -> Response {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        guard let format = req.query[String.self, at: "format"].flatMap(IncidentExchange.Format.init(rawValue:)) else {
            throw APIError(
                .badRequest, code: "invalid_query", "format: choose csv, hxl or geojson.",
                details: [.init(field: "format", message: "Choose csv, hxl or geojson.")])
        }
        return IncidentDownload.response(
            format: format, query: try Self.query(req), operation: context.operation, scope: scope, on: req)
    }

    static func query(_ req: Request) throws -> IncidentQuery {
        do { return try IncidentQuery.parse(req.url.query, now: req.now) } catch {
            throw APIError(
                .badRequest, code: "invalid_query", "The query names values Bearing cannot read.",
                details: error.errors.map { .init(field: $0.field, message: $0.message) })
        }
    }

    static func showReporter(_ incident: IncidentRecord, _ context: OperationContext) -> Bool {
        AccessPolicy.canSeeReporter(
            of: incident.access, reporterID: incident.reporterID,
            hidden: incident.draft.reporterHidden, by: context.viewer)
    }

    /// The JSON as the one decoder's input: numbers and flags written as the form would send them.
    static func input(_ json: APIDTO.IncidentInput) -> IncidentInput {
        var input = IncidentInput()
        input.title = json.title
        input.description = json.description ?? ""
        input.category = json.category
        input.subtype = json.subtype ?? ""
        input.occurredAt = json.occurredAt
        input.timePrecision = json.timePrecision ?? ""
        input.knownAt = json.knownAt ?? ""
        input.latitude = json.latitude.map { String($0) } ?? ""
        input.longitude = json.longitude.map { String($0) } ?? ""
        input.areaPcode = json.areaPcode ?? ""
        input.placeName = json.placeName ?? ""
        input.geoPrecision = json.geoPrecision ?? ""
        input.locationType = json.locationType ?? ""
        input.affected = json.affected ?? []
        for (key, count) in json.casualties ?? [:] {
            // The JSON decoder turns snake_case keys of dictionaries into camelCase; accept both.
            let cell = APIKeys.snakeCase(key, among: Casualties.Cell.all.map(\.key))
            input.casualties[cell] = String(count)
        }
        input.actorType = json.actorType ?? ""
        input.actorName = json.actorName ?? ""
        input.means = json.means ?? ""
        input.context = json.context ?? ""
        input.motive = json.motive ?? ""
        input.severity = json.severity ?? ""
        input.seriousInjury = json.seriousInjury ?? false
        input.particularlySensitive = json.particularlySensitive ?? false
        input.nearMiss = json.nearMiss ?? false
        input.immediateActions = json.immediateActions ?? ""
        input.followUp = (json.followUp ?? []).map {
            IncidentInput.FollowUp(action: $0.action, owner: $0.owner, due: $0.dueOn ?? "", done: $0.done ?? false)
        }
        input.lessonsLearned = json.lessonsLearned
        input.proceduresFollowed = json.proceduresFollowed.map { $0 ? "yes" : "no" } ?? ""
        input.verification = json.verification ?? ""
        input.source = json.source ?? ""
        input.reporterHidden = json.reporterHidden ?? false
        input.audience = json.audience
        return input
    }
}
