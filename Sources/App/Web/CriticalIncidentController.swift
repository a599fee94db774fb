import Domain
import Foundation
import Persistence
import Vapor
import Views

/// Critical incidents (issue 17): the list, the first call, and one incident's desk with every
/// step of the CIM procedure; each change a crisis log entry. Restricted to the security roles and
/// the team members (`CrisisContext`).
struct CriticalIncidentController {
    func index(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        let incidents = try await CriticalIncidentStore(req.db).list(in: c.scope)
        let model = CriticalIncidentsPage.Model(
            code: c.operation.code, canOpen: AccessPolicy.canOpenCriticalIncident(through: c.scope),
            incidents: incidents.map(\.line), now: req.now)
        return Page.render(req, title: req.t("ci_title")) { CriticalIncidentsPage.view(model, $0) }
    }

    func new(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        guard AccessPolicy.canOpenCriticalIncident(through: c.scope) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        var input = CriticalIncidentInput()
        input.knownAt = c.operation.time.formTime(req.now)
        input.callBackMinutes = String(CriticalIncidentDraft.defaultCallBackMinutes)
        input.riskToLife = RiskToLife.unknown.rawValue
        return try await renderForm(req, c, input: input, errors: [:])
    }

    struct FirstCall: Content {
        var who_people: [String]?; var who_text: String?; var what: String?; var where_text: String?
        var area_pcode: String?; var occurred_at: String?; var known_at: String?; var why: String?
        var caller_name: String?; var caller_phone: String?; var call_back_at: String?; var call_back_minutes: String?
        var risk_to_life: String?; var level: String?; var incident_id: String?; var incident_category: String?

        var input: CriticalIncidentInput {
            var i = CriticalIncidentInput()
            i.whoPeople = who_people ?? []
            i.whoText = who_text ?? ""
            i.what = what ?? ""
            i.whereText = where_text ?? ""
            i.areaPcode = area_pcode ?? ""
            i.occurredAt = occurred_at ?? ""
            i.knownAt = known_at ?? ""
            i.why = why ?? ""
            i.callerName = caller_name ?? ""
            i.callerPhone = caller_phone ?? ""
            i.callBackAt = call_back_at ?? ""
            i.callBackMinutes = call_back_minutes ?? ""
            i.riskToLife = risk_to_life ?? ""
            i.level = level ?? ""
            i.incidentID = incident_id ?? ""
            i.incidentCategory = incident_category ?? ""
            return i
        }
    }

    func create(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        let input = try req.content.decode(FirstCall.self).input
        do {
            let record = try await CriticalIncidentService(req: req, c: c).open(input)
            return req.redirect(to: SiteURL.criticalIncident(.value(c.operation.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, c, input: input, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    func show(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        return try await Self.render(req, c, try await c.incident(req))
    }

    func print(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        let model = try await Self.model(req, c, try await c.incident(req), errors: [:], logInput: CrisisLogInput())
        return Page.render(req, title: req.t("ci_log")) { CrisisLogPrintPage.view(model, $0) }
    }

    struct CallBackForm: Content { var call_back_minutes: String? }

    func setCallBack(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        let record = try await c.incident(req)
        let text = try req.content.decode(CallBackForm.self).call_back_minutes ?? ""
        guard let minutes = WholeNumber.parse(text.trimmingCharacters(in: .whitespaces)), (1...1_440).contains(minutes)
        else {
            return try await Self.render(
                req, c, record, errors: ["call_back_at": req.t("error.ci_call_back_minutes")],
                status: .unprocessableEntity)
        }
        return try await changing(req, c, record) {
            try await CriticalIncidentService(req: req, c: c).setCallBack(
                record, at: req.now.addingTimeInterval(Double(minutes) * 60))
        }
    }

    struct GSUForm: Content { var gsu_contact: String?; var gsu_at: String?; var gsu_advice: String? }

    func gsu(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        let record = try await c.incident(req)
        let form = try req.content.decode(GSUForm.self)
        let contact = (form.gsu_contact ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let advice = (form.gsu_advice ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String: String] = [:]
        if contact.isEmpty || contact.count > 200 { errors["gsu_contact"] = req.t("error.ci_gsu_contact") }
        if advice.isEmpty || advice.count > 4_000 { errors["gsu_advice"] = req.t("error.ci_gsu_advice") }
        let at = try Self.time(form.gsu_at, c, req, field: "gsu_at", into: &errors)
        guard errors.isEmpty else {
            return try await Self.render(req, c, record, errors: errors, status: .unprocessableEntity)
        }
        return try await changing(req, c, record) {
            try await CriticalIncidentStore(req.db).recordGSU(
                record.id, contact: contact, at: at, advice: advice, scope: c.scope, now: req.now,
                wording: CrisisWording(req.strings))
        }
    }

    struct ActivationForm: Content { var activate: String?; var decided_by: String?; var reason: String? }

    func activation(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        let record = try await c.incident(req)
        let form = try req.content.decode(ActivationForm.self)
        let by = (form.decided_by ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String: String] = [:]
        if !["yes", "no"].contains(form.activate ?? "") { errors["activate"] = req.t("error.ci_activate") }
        if by.isEmpty || by.count > 200 { errors["decided_by"] = req.t("error.crisis_decided_by") }
        if reason.isEmpty || reason.count > 2_000 { errors["reason"] = req.t("error.crisis_reason") }
        guard errors.isEmpty else {
            return try await Self.render(req, c, record, errors: errors, status: .unprocessableEntity)
        }
        return try await changing(req, c, record) {
            _ = try await CriticalIncidentService(req: req, c: c).decide(
                record, activate: form.activate == "yes", decidedBy: by, at: req.now, reason: reason)
        }
    }

    struct PersonForm: Content {
        var row: String?; var person: String?; var name: String?; var status: String?; var family_liaison: String?
        var note: String?
    }

    func person(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        let record = try await c.incident(req)
        let form = try req.content.decode(PersonForm.self)
        guard let status = InvolvedStatus(rawValue: form.status ?? "") else {
            return try await Self.render(
                req, c, record, errors: ["status": req.t("error.ci_status")], status: .unprocessableEntity)
        }
        let row = form.row.flatMap(UUID.init(uuidString:))
        var personID: PersonID?
        var name = form.name ?? ""
        if row == nil, let text = form.person, !text.isEmpty {
            guard try await c.keepsRegister(req) else { throw PageError(.forbidden, key: "error.forbidden") }
            guard let uuid = UUID(uuidString: text),
                let found = try await PersonStore(req.db).names(
                    in: AccessPolicy.operatorPersonnelScope(in: c.operation.id))[PersonID(uuid)]
            else {
                return try await Self.render(
                    req, c, record, errors: ["person": req.t("error.alert_person")], status: .unprocessableEntity)
            }
            personID = PersonID(uuid)
            name = found
        }
        do {
            return try await changing(req, c, record) {
                try await CriticalIncidentStore(req.db).setPerson(
                    row, in: record.id, personID: personID, name: name, status: status,
                    liaison: form.family_liaison ?? "", note: form.note ?? "", scope: c.scope, now: req.now,
                    wording: CrisisWording(req.strings))
            }
        } catch let error as DomainError where error.kind == .invalid {
            return try await Self.render(
                req, c, record, errors: ["name": req.t(error.messageKey)], status: .unprocessableEntity)
        }
    }

    struct RollCallForm: Content { var area: String? }

    func rollCall(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        let record = try await c.incident(req)
        let area = try req.content.decode(RollCallForm.self).area ?? record.draft.areaPcode ?? ""
        do {
            _ = try await CriticalIncidentService(req: req, c: c).openRollCall(record, area: area)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await Self.render(
                req, c, record, errors: ["area": req.t(error.messageKey)], status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.criticalIncident(.value(c.operation.code), .value(record.id)).path)
    }

    struct StandDownForm: Content { var by: String?; var note: String? }

    func standDown(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        let record = try await c.incident(req)
        let form = try req.content.decode(StandDownForm.self)
        let by = (form.by ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !by.isEmpty, by.count <= 200 else {
            return try await Self.render(
                req, c, record, errors: ["by": req.t("error.ci_stand_down_by")], status: .unprocessableEntity)
        }
        return try await changing(req, c, record) {
            try await CriticalIncidentStore(req.db).standDown(
                record.id, by: by, at: req.now, note: String((form.note ?? "").prefix(2_000)), scope: c.scope,
                now: req.now, wording: CrisisWording(req.strings))
        }
    }

    struct ReviewForm: Content { var lessons: String?; var followed: String?; var plan_changes: String? }

    func review(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        let record = try await c.incident(req)
        let form = try req.content.decode(ReviewForm.self)
        guard let followed = ProceduresFollowed(rawValue: form.followed ?? "") else {
            return try await Self.render(
                req, c, record, errors: ["followed": req.t("error.ci_followed")], status: .unprocessableEntity)
        }
        do {
            return try await changing(req, c, record) {
                try await CriticalIncidentStore(req.db).review(
                    record.id, lessons: form.lessons ?? "", followed: followed, planChanges: form.plan_changes ?? "",
                    scope: c.scope, now: req.now, wording: CrisisWording(req.strings))
            }
        } catch let error as DomainError where error.kind == .invalid {
            return try await Self.render(
                req, c, record, errors: ["lessons": req.t(error.messageKey)], status: .unprocessableEntity)
        }
    }

    struct LogForm: Content {
        var kind: String?; var at: String?; var text: String?; var decided_by: String?; var reason: String?
        var owner: String?; var due_at: String?; var attendees: String?; var refers_to: String?

        var input: CrisisLogInput {
            var i = CrisisLogInput()
            i.kind = kind ?? ""
            i.at = at ?? ""
            i.text = text ?? ""
            i.decidedBy = decided_by ?? ""
            i.reason = reason ?? ""
            i.owner = owner ?? ""
            i.dueAt = due_at ?? ""
            i.attendees = attendees ?? ""
            i.refersTo = refers_to ?? ""
            return i
        }
    }

    func log(_ req: Request) async throws -> Response {
        let c = try await CrisisContext.load(req)
        let record = try await c.incident(req)
        let input = try req.content.decode(LogForm.self).input
        do {
            let draft = try input.decoded(clock: c.operation.time, now: req.now)
            try await CriticalIncidentStore(req.db).append(draft, to: record.id, scope: c.scope, now: req.now)
        } catch let errors as ValidationErrors {
            return try await Self.render(
                req, c, record, errors: errors.messages(in: req), logInput: input, status: .unprocessableEntity)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await Self.render(
                req, c, record, errors: [error.field ?? "text": req.t(error.messageKey)], logInput: input,
                status: error.kind == .conflict ? .conflict : .unprocessableEntity)
        }
        return req.redirect(
            to: SiteURL.criticalIncident(.value(c.operation.code), .value(record.id)).path + "#" + "log")
    }

    // MARK: Helpers

    /// Runs a change and comes back to the incident; "stood down" and the like are said on the page.
    private func changing(
        _ req: Request, _ c: CrisisContext, _ record: CriticalIncidentRecord, _ body: () async throws -> Void
    ) async throws -> Response {
        do {
            try await body()
        } catch let error as DomainError where error.kind == .conflict {
            return try await Self.render(
                req, c, record, errors: [error.field ?? "text": req.t(error.messageKey)], status: .conflict)
        }
        return req.redirect(to: SiteURL.criticalIncident(.value(c.operation.code), .value(record.id)).path)
    }

    static func time(
        _ text: String?, _ c: CrisisContext, _ req: Request, field: String, into errors: inout [String: String]
    ) throws -> Date {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return req.now }
        guard let date = c.operation.time.time(t), date <= req.now.addingTimeInterval(300) else {
            errors[field] = req.t("error.datetime")
            return req.now
        }
        return date
    }

    private func renderForm(
        _ req: Request, _ c: CrisisContext, input: CriticalIncidentInput, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let people = try await PersonStore(req.db).all(in: AccessPolicy.operatorPersonnelScope(in: c.operation.id))
            .filter { $0.isPresent(at: req.now) }
        let incidents = try await Self.recentIncidents(req, c)
        let model = FirstCallForm.Model(
            code: c.operation.code, input: input,
            people: people.map {
                Choice(
                    value: $0.id.uuidString, label: $0.draft.fullName,
                    selected: input.whoPeople.contains($0.id.uuidString))
            },
            areas: try await Self.areaChoices(req, c, selected: input.areaPcode),
            incidents: incidents.map {
                Choice(value: $0.id.uuidString, label: $0.title, selected: $0.id.uuidString == input.incidentID)
            }, errors: errors)
        return Page.render(req, title: req.t("ci_first_call"), status: status) { FirstCallForm.view(model, $0) }
    }

    static func areaChoices(_ req: Request, _ c: CrisisContext, selected: String) async throws -> [Choice] {
        let names = try await req.areaShapes.names(for: c.operation, language: req.language, on: req.db)
        return names.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map {
            Choice(value: $0.key, label: "\($0.value) (\($0.key))", selected: $0.key == selected)
        }
    }

    /// The incidents of the last 30 days the viewer may see, to link the critical incident to.
    static func recentIncidents(_ req: Request, _ c: CrisisContext) async throws -> [(id: IncidentID, title: String)] {
        guard let scope = c.context.scope else { return [] }
        return try await CriticalIncidentLinks.recentIncidents(
            req.db, scope: scope, since: req.now.addingTimeInterval(-30 * 86_400))
    }

    static func render(
        _ req: Request, _ c: CrisisContext, _ record: CriticalIncidentRecord, errors: [String: String] = [:],
        logInput: CrisisLogInput = CrisisLogInput(), status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let model = try await model(req, c, record, errors: errors, logInput: logInput)
        return Page.render(
            req, title: req.t("ci_name").replacingOccurrences(of: "{n}", with: String(record.number)), status: status
        ) {
            CriticalIncidentPage.view(model, $0)
        }
    }

    static func model(
        _ req: Request, _ c: CrisisContext, _ record: CriticalIncidentRecord, errors: [String: String],
        logInput: CrisisLogInput
    ) async throws -> CriticalIncidentPage.Model {
        let store = CriticalIncidentStore(req.db)
        let log = try await store.log(of: record.id, in: c.scope)
        let team = try await store.team(of: record.id, in: c.scope)
        let people = try await store.people(of: record.id, in: c.scope)
        let members = try await OperationStore(req.db).members(of: c.operation.id)
        let names = Dictionary(members.map { ($0.userId, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let sequences = Dictionary(log.map { ($0.id, $0.sequence) }, uniquingKeysWith: { a, _ in a })
        let entries = log.map { entry in
            CriticalIncidentPage.Entry(
                id: entry.id, sequence: entry.sequence, kind: entry.kind, at: entry.at, text: entry.text,
                decidedBy: entry.decidedBy, reason: entry.reason, owner: entry.owner, dueAt: entry.dueAt,
                attendees: entry.attendees, refersTo: entry.refersTo.flatMap { sequences[$0] },
                correctedBy: log.filter { $0.refersTo == entry.id && $0.kind != .actionDone }.map(\.sequence),
                doneBy: log.first { $0.refersTo == entry.id && $0.kind == .actionDone }?.sequence,
                recordedBy: entry.recordedBy.flatMap { names[$0] } ?? "")
        }
        let areaNames = try await req.areaShapes.names(for: c.operation, language: req.language, on: req.db)
        var incident: (id: IncidentID, title: String)?
        if let id = record.draft.incidentID, let scope = c.context.scope {
            incident = try await CriticalIncidentLinks.incident(req.db, id, scope: scope)
        }
        let plans = try await PlanStore(req.db).current(in: c.operation.id)
        // The register's names only for those who keep it (a team member may not).
        let keeps = try await c.keepsRegister(req)
        let register =
            keeps
            ? try await PersonStore(req.db).all(in: AccessPolicy.operatorPersonnelScope(in: c.operation.id))
                .filter { $0.isPresent(at: req.now) } : []
        return CriticalIncidentPage.Model(
            code: c.operation.code, operationName: c.operation.name, id: record.id, number: record.number,
            draft: record.draft, area: record.draft.areaPcode.map { p in areaNames[p].map { "\($0) (\(p))" } ?? p },
            incident: incident, gsu: record.gsu.map { ($0.contact, $0.at, $0.advice) },
            activation: record.activation.map { ($0.activated, $0.decidedBy, $0.at, $0.reason) },
            planVersion: record.cimPlanVersion,
            hasApprovedPlan: plans[.criticalIncidentManagement]?.approved?.draft.cim?.team.isEmpty == false,
            team: team.map {
                .init(
                    name: $0.name, role: $0.role, phone: $0.phone, email: $0.email, deliveries: $0.deliveries,
                    acknowledgedAt: $0.acknowledgedAt)
            },
            people: people.map {
                .init(
                    id: $0.id, name: $0.name, status: $0.status, familyLiaison: $0.familyLiaison, note: $0.note,
                    updatedAt: $0.updatedAt)
            },
            rollCall: record.rollCallID,
            standDown: record.standDown.map { ($0.at, $0.by, $0.note) },
            review: record.review.map { ($0.lessons, $0.followed, $0.planChanges, $0.at) }, log: entries,
            registerPeople: register.map { Choice(value: $0.id.uuidString, label: $0.draft.fullName, selected: false) },
            areas: keeps ? try await areaChoices(req, c, selected: record.draft.areaPcode ?? "") : [], now: req.now,
            errors: errors, logInput: logInput)
    }
}
