import Domain
import Foundation
import Persistence
import Vapor

extension APIDTO {
    /// The first call as sent: the same fields as the form.
    struct FirstCall: Content {
        let whoPeople: [String]?; let whoText: String?; let what: String; let whereText: String
        let areaPcode: String?; let occurredAt: String; let knownAt: String?; let why: String?
        let callerName: String; let callerPhone: String; let callBackAt: String?; let callBackMinutes: Int?
        let riskToLife: String; let level: String; let incidentId: String?; let incidentCategory: String?

        var input: CriticalIncidentInput {
            var i = CriticalIncidentInput()
            i.whoPeople = whoPeople ?? []
            i.whoText = whoText ?? ""
            i.what = what
            i.whereText = whereText
            i.areaPcode = areaPcode ?? ""
            i.occurredAt = occurredAt
            i.knownAt = knownAt ?? ""
            i.why = why ?? ""
            i.callerName = callerName
            i.callerPhone = callerPhone
            i.callBackAt = callBackAt ?? ""
            i.callBackMinutes = callBackMinutes.map(String.init) ?? ""
            i.riskToLife = riskToLife
            i.level = level
            i.incidentID = incidentId ?? ""
            i.incidentCategory = incidentCategory ?? ""
            return i
        }
    }
    struct CrisisLogEntryDTO: Content {
        let id: UUID; let sequence: Int; let kind: String; let at: Date; let text: String; let decidedBy: String?
        let reason: String?; let owner: String?; let dueAt: Date?; let attendees: String?; let refersTo: UUID?
        let recordedAt: Date
        init(_ e: CrisisLogEntry) {
            id = e.id; sequence = e.sequence; kind = e.kind.rawValue; at = e.at; text = e.text
            decidedBy = e.decidedBy.isEmpty ? nil : e.decidedBy; reason = e.reason.isEmpty ? nil : e.reason
            owner = e.owner.isEmpty ? nil : e.owner; dueAt = e.dueAt
            attendees = e.attendees.isEmpty ? nil : e.attendees; refersTo = e.refersTo; recordedAt = e.recordedAt
        }
    }
    struct CrisisLogRequest: Content {
        let kind: String; let text: String; let at: String?; let decidedBy: String?; let reason: String?
        let owner: String?; let dueAt: String?; let attendees: String?; let refersTo: String?
        var input: CrisisLogInput {
            var i = CrisisLogInput()
            i.kind = kind
            i.text = text
            i.at = at ?? ""
            i.decidedBy = decidedBy ?? ""
            i.reason = reason ?? ""
            i.owner = owner ?? ""
            i.dueAt = dueAt ?? ""
            i.attendees = attendees ?? ""
            i.refersTo = refersTo ?? ""
            return i
        }
    }
    struct TeamMemberDTO: Content {
        let name: String; let role: String; let acknowledgedAt: Date?; let deliveries: [String]
    }
    struct CriticalIncident: Content {
        let id: UUID; let number: Int; let level: String; let riskToLife: String; let what: String
        let whereText: String; let occurredAt: Date; let knownAt: Date; let callerName: String
        let callBackAt: Date; let open: Bool; let cimtActivated: Bool?; let standDownAt: Date?
        let team: [TeamMemberDTO]?; let log: [CrisisLogEntryDTO]?
        init(_ r: CriticalIncidentRecord, team: [CrisisTeamMember]?, log: [CrisisLogEntry]?) {
            id = r.id; number = r.number; level = r.draft.level.rawValue; riskToLife = r.draft.riskToLife.rawValue
            what = r.draft.what; whereText = r.draft.whereText; occurredAt = r.draft.occurredAt
            knownAt = r.draft.knownAt; callerName = r.draft.callerName; callBackAt = r.draft.callBackAt
            open = r.isOpen; cimtActivated = r.activation?.activated; standDownAt = r.standDown?.at
            self.team = team?.map {
                TeamMemberDTO(
                    name: $0.name, role: $0.role, acknowledgedAt: $0.acknowledgedAt,
                    deliveries: $0.deliveries.map { "\($0.channel.rawValue):\($0.state.rawValue)" })
            }
            self.log = log?.map(CrisisLogEntryDTO.init)
        }
    }
    struct CriticalIncidentList: Content { let items: [CriticalIncident]; let total: Int }
}

/// Critical incidents over the API (issue 17): open one from a first call, list them, read one with
/// its team and log, and write to the log. The same reach as the pages.
struct CriticalIncidentAPI {
    func context(_ req: Request) async throws -> CrisisContext {
        do {
            return try await CrisisContext.load(req)
        } catch is PageError {
            throw APIError(.notFound, code: "not_found", "No such operation.")
        }
    }

    func incident(_ req: Request, _ c: CrisisContext) async throws -> CriticalIncidentRecord {
        do { return try await c.incident(req) } catch is PageError {
            throw APIError(.notFound, code: "not_found", "No such critical incident.")
        }
    }

    func list(_ req: Request) async throws -> APIDTO.CriticalIncidentList {
        let c = try await context(req)
        let items = try await CriticalIncidentStore(req.db).list(in: c.scope).map {
            APIDTO.CriticalIncident($0, team: nil, log: nil)
        }
        return APIDTO.CriticalIncidentList(items: items, total: items.count)
    }

    func create(_ req: Request) async throws -> Response {
        let c = try await context(req)
        guard AccessPolicy.canOpenCriticalIncident(through: c.scope) else {
            throw APIError(
                .forbidden, code: "forbidden", "Only the Security Coordinator and the HeOps open a critical incident.")
        }
        let body = try req.apiBody(APIDTO.FirstCall.self)
        let record = try await CriticalIncidentService(req: req, c: c).open(body.input)
        return try await APIDTO.CriticalIncident(record, team: [], log: nil).encodeResponse(status: .created, for: req)
    }

    func show(_ req: Request) async throws -> APIDTO.CriticalIncident {
        let c = try await context(req)
        let record = try await incident(req, c)
        let store = CriticalIncidentStore(req.db)
        return APIDTO.CriticalIncident(
            record, team: try await store.team(of: record.id, in: c.scope),
            log: try await store.log(of: record.id, in: c.scope))
    }

    func log(_ req: Request) async throws -> [APIDTO.CrisisLogEntryDTO] {
        let c = try await context(req)
        let record = try await incident(req, c)
        return try await CriticalIncidentStore(req.db).log(of: record.id, in: c.scope).map(
            APIDTO.CrisisLogEntryDTO.init)
    }

    /// Adds an entry. There is no way to change or remove one: a correction is a new entry (`refers_to`).
    func append(_ req: Request) async throws -> Response {
        let c = try await context(req)
        let record = try await incident(req, c)
        let body = try req.apiBody(APIDTO.CrisisLogRequest.self)
        let draft = try body.input.decoded(clock: c.operation.time, now: req.now)
        let entry = try await CriticalIncidentStore(req.db).append(draft, to: record.id, scope: c.scope, now: req.now)
        return try await APIDTO.CrisisLogEntryDTO(entry).encodeResponse(status: .created, for: req)
    }
}
