import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

extension CriticalIncidentRecord {
    /// As the list and the dashboard show it.
    var line: CriticalIncidentLine {
        CriticalIncidentLine(
            id: id, number: number, level: draft.level, what: draft.what, callBackAt: draft.callBackAt, open: isOpen,
            openedAt: createdAt)
    }
}

/// A request's operation and the viewer's reach over its critical incidents.
struct CrisisContext {
    let context: OperationContext
    let scope: CrisisScope
    var operation: OperationRecord { context.operation }

    /// 404 for whoever is not a member (administrators included); a member reaches the incidents
    /// whose team names them, the security roles every one.
    static func load(_ req: Request) async throws -> CrisisContext {
        let context = try await OperationContext.load(req)
        guard let scope = AccessPolicy.crisisScope(in: context.operation.id, for: context.viewer) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        return CrisisContext(context: context, scope: scope)
    }

    /// Whether the reader keeps the personnel register: only then may they name people from it on
    /// the incident or open a roll-call. A crisis team member who is not a keeper reads the people
    /// involved, not the register.
    func keepsRegister(_ req: Request) async throws -> Bool {
        try await PersonnelContext.make(context, on: req.db)?.keeps ?? false
    }

    /// The incident named in the path, or 404 when it is not in reach.
    func incident(_ req: Request) async throws -> CriticalIncidentRecord {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let record = try await CriticalIncidentStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return record
    }
}

extension CrisisWording {
    /// The log's own words in the language of whoever makes the change, times on the operation's clock.
    init(_ t: Strings) {
        self.init(template: { t("crisis_text." + $0) }, label: { t($0) }, time: { t.minute($0) })
    }
}

/// What the pages and the API do with a critical incident beyond one store call: the first call
/// with its call-back reminder, the CIMT call-out from the approved CIM plan, the roll-call.
struct CriticalIncidentService {
    static let callBackJob = "cim.call_back"

    let req: Request
    let c: CrisisContext

    func open(_ input: CriticalIncidentInput) async throws -> CriticalIncidentRecord {
        guard AccessPolicy.canOpenCriticalIncident(through: c.scope) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        var draft = try input.decoded(clock: c.operation.time, now: req.now)
        let people = try await PersonStore(req.db).names(in: AccessPolicy.operatorPersonnelScope(in: c.operation.id))
        if let category = draft.createIncident {
            draft.incidentID = try await reportIncident(draft, category: category)
        }
        let record = try await CriticalIncidentStore(req.db).open(
            draft, names: people, scope: c.scope, now: req.now, wording: CrisisWording(req.strings))
        try await scheduleCallBack(record.id, at: draft.callBackAt)
        return record
    }

    /// The incident report made from the first call ("created from it"): restricted, like the
    /// critical incident, in the area named, its severity from the level.
    private func reportIncident(_ draft: CriticalIncidentDraft, category: IncidentCategory) async throws -> IncidentID {
        guard let area = draft.areaPcode, let actor = c.scope.actorID else {
            var errors = ValidationErrors()
            errors.add(
                "incident_category", key: "error.ci_incident_area",
                "To report it as an incident, choose the admin area where it happened.")
            throw errors
        }
        let severity: IncidentSeverity =
            switch draft.level {
            case .major: .critical
            case .significant: .high
            case .minor: .moderate
            }
        let title = String(draft.what.split(separator: "\n").first ?? "").prefix(200)
        let incident = try IncidentDraft(
            title: String(title), description: draft.what, category: category, occurredAt: draft.occurredAt,
            knownAt: draft.knownAt, areaPcode: area, placeName: draft.whereText, severity: severity,
            audience: .restricted
        ).validated(now: req.now)
        return try await IncidentStore(req.db).create(
            incident, reporterID: actor, in: c.operation.id, actorID: actor, now: req.now
        ).id
    }

    func setCallBack(_ record: CriticalIncidentRecord, at: Date) async throws {
        try await CriticalIncidentStore(req.db).setCallBack(
            record.id, at: at, scope: c.scope, now: req.now, wording: CrisisWording(req.strings))
        try await scheduleCallBack(record.id, at: at)
    }

    /// A reminder to whoever took the call, at the call-back time; one per time agreed.
    private func scheduleCallBack(_ id: UUID, at: Date) async throws {
        let stamp = String(Int(at.timeIntervalSince1970))
        try await JobStore(req.db).enqueue(
            kind: Self.callBackJob, payload: "\(id.uuidString)|\(stamp)",
            key: "cim-call-back:\(id.uuidString):\(stamp)",
            operationID: c.operation.id, runAt: at, maxAttempts: 3, now: req.now)
    }

    /// The activation decision; when activated, each member of the approved CIM plan's team is
    /// called out (e-mail and SMS) and asked to acknowledge, through the alerts' deliveries.
    func decide(
        _ record: CriticalIncidentRecord, activate: Bool, decidedBy: String, at: Date, reason: String
    ) async throws -> Int {
        try await Self.decide(
            record, activate: activate, decidedBy: decidedBy, at: at, reason: reason, operation: c.operation,
            scope: c.scope, on: req.db, now: req.now, wording: CrisisWording(req.strings))
    }

    /// The same, for the pages, the API and the demo.
    static func decide(
        _ record: CriticalIncidentRecord, activate: Bool, decidedBy: String, at: Date, reason: String,
        operation: OperationRecord, scope: CrisisScope, on db: any Database, now: Date,
        wording: CrisisWording = .english
    ) async throws -> Int {
        let plans = try await PlanStore(db).current(in: operation.id)
        let plan = plans[.criticalIncidentManagement]?.approved
        let team = plan?.draft.cim?.team ?? []
        var accounts: [String: UserID] = [:]
        for member in team where !member.email.isEmpty {
            if let user = try await UserStore(db).find(email: member.email) {
                accounts[member.email.lowercased()] = user.id
            }
        }
        let store = CriticalIncidentStore(db)
        let alreadyCalled = try await store.team(of: record.id, in: scope).contains { $0.recipientID != nil }
        try await store.decideActivation(
            record.id, activate: activate, decidedBy: decidedBy, at: at, reason: reason, team: team,
            planVersion: plan?.version, accounts: accounts, scope: scope, now: now, wording: wording)
        guard activate, !alreadyCalled else { return 0 }
        let country = operation.countries.split(separator: ",").first.map {
            String($0).trimmingCharacters(in: .whitespaces)
        }
        var seeds: [AlertRecipientSeed] = []
        var links: [UUID: AlertRecipientID] = [:]
        for member in try await store.team(of: record.id, in: scope) {
            let seed = AlertRecipientSeed(
                personID: nil, name: member.name, userID: member.userID, language: "en",
                email: member.email.contains("@") ? member.email : nil,
                mobile: PhoneNumber(kind: .mobile, reading: member.phone, country: country).e164)
            seeds.append(seed)
            links[member.id] = seed.id
        }
        guard !seeds.isEmpty else { return 0 }
        // Only what a message may carry: the number, the level, the operation; the rest is on the page.
        let title = "Critical incident \(record.number) (\(record.draft.level.rawValue)): CIMT activated"
        let body =
            "\(operation.name) (\(operation.code)): the crisis management team is activated. Acknowledge with the link, then call the Security Coordinator."
        let draft = AlertDraft(
            texts: [AlertText(language: "en", title: title, body: body)], severity: .extreme, category: .security,
            audience: AlertAudience(), channels: [.email, .sms])
        let sender = AccessPolicy.operatorPersonnelScope(in: operation.id).acting(as: scope.actorID)
        _ = try await AlertStore(db).create(
            draft, recipients: seeds, scope: sender, now: now, purpose: .cimt, criticalIncidentID: record.id)
        try await store.linkCallOut(links)
        return seeds.count
    }

    /// A roll-call of the incident's area (or the area given), linked to the incident.
    func openRollCall(_ record: CriticalIncidentRecord, area: String) async throws -> RollCallID {
        guard let p = try await PersonnelContext.make(c.context, on: req.db), p.keeps else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let keeper = p.scope
        let call = try await RollCallStore(req.db).open(
            areaPcode: area, reason: "Critical incident \(record.number)", scope: keeper, now: req.now)
        try await CriticalIncidentStore(req.db).linkRollCall(
            record.id, rollCall: call.id, area: call.areaPcode, scope: c.scope, now: req.now,
            wording: CrisisWording(req.strings))
        return call.id
    }
}

/// The incident a critical incident concerns, read with the viewer's own visibility: a restricted
/// incident they may not see is neither listed nor named.
enum CriticalIncidentLinks {
    static func incident(_ db: any Database, _ id: IncidentID, scope: Scope) async throws -> (
        id: IncidentID, title: String
    )? {
        try await IncidentStore(db).find(id, in: scope).map { ($0.id, "#\($0.number) · \($0.draft.title)") }
    }

    /// The newest incidents the viewer may see (a page of 50), to choose from.
    static func recentIncidents(_ db: any Database, scope: Scope, since: Date) async throws -> [(
        id: IncidentID, title: String
    )] {
        try await IncidentStore(db).list(in: scope, page: Paging(page: 1, perPage: 50)).items
            .map { ($0.id, "#\($0.number) · \($0.draft.title)") }
    }
}
