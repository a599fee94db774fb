import Domain
import Foundation
import Persistence
import Vapor
import Views

extension APIDTO {
    struct StakeholderPhone: Content { let number: String; let kind: String; let note: String? }
    struct Stakeholder: Content {
        let id: StakeholderID; let kind: String; let name: String; let acronym: String?; let actorType: String
        let group: String; let organisationId: StakeholderID?; let position: String?; let mandate: String?
        let topic: String; let relation: String; let influence: Int; let interest: Int; let quadrant: String
        let ownerId: UserID?; let lastVerifiedOn: String?; let unverified: Bool
        /// Contacts, on one entry's answer only (a view of them is recorded, as on the page).
        let emails: [String]?; let phones: [StakeholderPhone]?
        let website: String?; let address: String?; let notes: String?; let audience: String; let updatedAt: Date

        init(_ r: StakeholderRecord, organisationVisible: Bool, unverified: Bool, withContacts: Bool) {
            let d = r.draft
            id = r.id; kind = d.kind.rawValue; name = d.name; acronym = d.acronym; actorType = d.actorType.rawValue
            group = d.actorType.group.rawValue; organisationId = organisationVisible ? d.organisationID : nil
            position = d.position; mandate = d.mandate; topic = d.topic.rawValue; relation = d.relation.rawValue
            influence = d.influence; interest = d.interest; quadrant = d.quadrant.rawValue; ownerId = d.ownerID
            lastVerifiedOn = d.lastVerifiedOn.map(DateText.day); self.unverified = unverified
            emails = withContacts ? d.emails : nil
            phones =
                withContacts
                ? d.phones.map { StakeholderPhone(number: $0.number, kind: $0.kind.rawValue, note: $0.note) } : nil
            website = d.website; address = d.address; notes = d.notes; audience = d.audience.rawValue
            updatedAt = r.updatedAt
        }
    }
    struct StakeholderList: Content { let items: [Stakeholder]; let total: Int; let page: Int; let pageCount: Int }
    /// An entry as the API takes it; a field left out keeps its stored value on PATCH.
    struct StakeholderInput: Content {
        let kind: String?; let name: String?; let acronym: String?; let actorType: String?; let organisationId: String?
        let position: String?; let mandate: String?; let topic: String?; let relation: String?; let influence: Int?
        let interest: Int?; let ownerId: String?; let lastVerifiedOn: String?; let emails: [String]?
        let phones: [String]?; let website: String?; let address: String?; let notes: String?; let audience: String?

        func applied(to base: Domain.StakeholderInput) -> Domain.StakeholderInput {
            var input = base
            let texts: [(String?, WritableKeyPath<Domain.StakeholderInput, String>)] = [
                (kind, \.kind), (name, \.name), (acronym, \.acronym), (actorType, \.actorType),
                (organisationId, \.organisationID), (position, \.position), (mandate, \.mandate), (topic, \.topic),
                (relation, \.relation), (influence.map(String.init), \.influence),
                (interest.map(String.init), \.interest),
                (ownerId, \.ownerID), (lastVerifiedOn, \.lastVerifiedOn), (website, \.website), (address, \.address),
                (notes, \.notes), (audience, \.audience),
            ]
            for (value, field) in texts { if let value { input[keyPath: field] = value } }
            if let emails { input.emails = emails }
            if let phones { input.phones = phones }
            return input
        }
    }

    struct ActionPoint: Content {
        let id: MeetingActionID; let meetingId: MeetingID; let text: String
        /// "user:<id>" or "stakeholder:<id>"; absent when the owner is an entry the reader may not see.
        let owner: String?; let dueOn: String; let status: String; let doneOn: String?; let overdue: Bool
        let forum: String; let heldOn: String
        init(_ a: MeetingActionRecord, today: Date) {
            id = a.id; meetingId = a.meetingID; text = a.text; owner = a.owner?.text; dueOn = DateText.day(a.dueOn)
            status = a.status.rawValue; doneOn = a.doneOn.map(DateText.day); overdue = a.isOverdue(today: today)
            forum = a.forum; heldOn = DateText.day(a.heldOn)
        }
    }
    struct ActionPointList: Content { let items: [ActionPoint] }
    struct Meeting: Content {
        let id: MeetingID; let kind: String; let forum: String; let heldOn: String; let place: String?
        /// The attendees the reader may see.
        let attendeeIds: [StakeholderID]; let ifrcRepresented: Bool; let representativeIds: [UserID]
        let representativeNote: String?; let notes: String?; let decisions: [String]; let actions: [ActionPoint]
        let audience: String; let updatedAt: Date
        init(_ m: MeetingRecord, today: Date) {
            let d = m.draft
            id = m.id; kind = d.kind.rawValue; forum = d.forum; heldOn = DateText.day(d.heldOn); place = d.place
            attendeeIds = d.attendeeIDs; ifrcRepresented = d.ifrcRepresented; representativeIds = d.representativeIDs
            representativeNote = d.representativeNote; notes = d.notes; decisions = d.decisions
            actions = m.actions.map { ActionPoint($0, today: today) }; audience = d.audience.rawValue
            updatedAt = m.updatedAt
        }
    }
    struct MeetingList: Content { let items: [Meeting]; let total: Int; let page: Int; let pageCount: Int }
    struct ActionPointInput: Content {
        let id: String?; let text: String?; let owner: String?; let dueOn: String?; let status: String?;
        let doneOn: String?
    }
    /// A meeting as the API takes it; on PATCH a field left out keeps its value, and `actions` (when
    /// given) is the whole list: an action point left out is removed, one with its `id` is kept.
    struct MeetingInput: Content {
        let kind: String?; let forum: String?; let heldOn: String?; let place: String?; let attendeeIds: [String]?
        let ifrcRepresented: Bool?; let representativeIds: [String]?; let representativeNote: String?
        let notes: String?; let decisions: [String]?; let actions: [ActionPointInput]?; let audience: String?

        func applied(to base: Domain.MeetingInput) -> Domain.MeetingInput {
            var input = base
            let texts: [(String?, WritableKeyPath<Domain.MeetingInput, String>)] = [
                (kind, \.kind), (forum, \.forum), (heldOn, \.heldOn), (place, \.place),
                (ifrcRepresented.map { $0 ? "yes" : "no" }, \.ifrcRepresented),
                (representativeNote, \.representativeNote), (notes, \.notes), (audience, \.audience),
            ]
            for (value, field) in texts { if let value { input[keyPath: field] = value } }
            if let attendeeIds { input.attendeeIDs = attendeeIds }
            if let representativeIds { input.representativeIDs = representativeIds }
            if let decisions { input.decisions = decisions }
            if let actions {
                input.actions = actions.map {
                    Domain.MeetingActionInput(
                        id: $0.id ?? "", text: $0.text ?? "", owner: $0.owner ?? "", dueOn: $0.dueOn ?? "",
                        status: $0.status ?? "open", doneOn: $0.doneOn ?? "")
                }
            }
            return input
        }
    }
    struct ActionStatusInput: Content { let status: String? }
}

/// The stakeholder registry, meetings and action points in the API, through the same rules as the
/// pages: partners are refused (403); each entry's and meeting's audience decides what is listed.
struct NetworkAPI {
    func context(_ req: Request, rule: (OperationID, Viewer) -> Bool = AccessPolicy.canViewNetwork, refusal: String)
        async throws -> NetworkContext
    {
        let operation = try await req.apiOperation()
        _ = try operation.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        guard AccessPolicy.canViewNetwork(in: operation.operation.id, by: operation.viewer) else {
            throw APIError(
                .forbidden, code: "forbidden", "Your role does not read the stakeholder registry or the meetings.")
        }
        guard rule(operation.operation.id, operation.viewer) else {
            throw APIError(.forbidden, code: "forbidden", refusal)
        }
        return try await NetworkContext.load(req, requiring: rule)
    }

    // MARK: Stakeholders

    func stakeholders(_ req: Request) async throws -> APIDTO.StakeholderList {
        let n = try await context(req, refusal: "")
        enum Flag: String { case yes = "true", no = "false" }
        let filter = StakeholderStore.Filter(
            view: try req.queryChoice("view", StakeholderTopic.self),
            kind: try req.queryChoice("kind", StakeholderKind.self),
            group: try req.queryChoice("group", StakeholderGroup.self),
            actorType: try req.queryChoice("actor_type", StakeholderType.self),
            unverifiedSince: try req.queryChoice("unverified", Flag.self) == .yes
                ? StakeholderController.verifiedSince(n) : nil,
            search: req.queryText("q") ?? "")
        let page = try await StakeholderStore(req.db).list(
            in: n.scope, filter: filter, page: try req.paging(perPage: 100))
        let organisations = try await StakeholderStore(req.db).find(
            page.items.compactMap(\.draft.organisationID), in: n.scope)
        return APIDTO.StakeholderList(
            items: page.items.map {
                APIDTO.Stakeholder(
                    $0, organisationVisible: $0.draft.organisationID.map { organisations[$0] != nil } ?? false,
                    unverified: $0.draft.isStale(today: n.today, afterDays: n.settings.verifyAfterDays),
                    withContacts: false)
            }, total: page.total, page: page.page, pageCount: page.pageCount)
    }

    func loadStakeholder(_ req: Request, _ n: NetworkContext) async throws -> StakeholderRecord {
        guard let raw = req.parameters.get("id"), let id = UUID(uuidString: raw),
            let record = try await StakeholderStore(req.db).find(StakeholderID(id), in: n.scope)
        else { throw APIError(.notFound, code: "not_found", "No such stakeholder.") }
        return record
    }

    func stakeholderBody(_ r: StakeholderRecord, _ n: NetworkContext, _ req: Request) async throws -> APIDTO.Stakeholder
    {
        let organisationVisible =
            try await r.draft.organisationID.asyncMap {
                try await StakeholderStore(req.db).find($0, in: n.scope) != nil
            } ?? false
        try await StakeholderStore(req.db).recordView(of: [r.id], what: "api", scope: n.scope, now: req.now)
        return APIDTO.Stakeholder(
            r, organisationVisible: organisationVisible,
            unverified: r.draft.isStale(today: n.today, afterDays: n.settings.verifyAfterDays), withContacts: true)
    }

    func stakeholder(_ req: Request) async throws -> Response {
        let n = try await context(req, refusal: "")
        let record = try await loadStakeholder(req, n)
        return try await APIVersioning.tagged(
            try await stakeholderBody(record, n, req), version: EditVersion.token(record.updatedAt), req)
    }

    func createStakeholder(_ req: Request) async throws -> Response {
        let n = try await context(
            req, rule: AccessPolicy.canManageNetwork, refusal: "Your role does not keep the registry.")
        let input = try req.apiBody(APIDTO.StakeholderInput.self).applied(to: Domain.StakeholderInput())
        let draft = try StakeholderController.checked(input, n, req)
        let record = try await StakeholderStore(req.db).create(
            draft, scope: n.scope, actorID: n.context.current.user.id, now: req.now)
        let response = try await APIVersioning.tagged(
            try await stakeholderBody(record, n, req), version: EditVersion.token(record.updatedAt), status: .created,
            req)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.apiStakeholder(.value(n.code), .value(record.id)).path)
        return response
    }

    func updateStakeholder(_ req: Request) async throws -> Response {
        let n = try await context(
            req, rule: AccessPolicy.canManageNetwork, refusal: "Your role does not keep the registry.")
        let record = try await loadStakeholder(req, n)
        let version = try req.ifMatch()
        let input = try req.apiBody(APIDTO.StakeholderInput.self).applied(to: Domain.StakeholderInput(record.draft))
        let draft = try StakeholderController.checked(input, n, req)
        do {
            let updated = try await StakeholderStore(req.db).update(
                record.id, with: draft, scope: n.scope, actorID: n.context.current.user.id, expecting: version,
                now: req.now)
            return try await APIVersioning.tagged(
                try await stakeholderBody(updated, n, req), version: EditVersion.token(updated.updatedAt), req)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let current = try await StakeholderStore(req.db).find(record.id, in: n.scope)
            throw APIVersioning.stale(current.map { EditVersion.token($0.updatedAt) } ?? "")
        }
    }

    // MARK: Meetings

    func meetings(_ req: Request) async throws -> APIDTO.MeetingList {
        let n = try await context(req, refusal: "")
        func day(_ name: String) throws -> Date? {
            guard let text = req.queryText(name) else { return nil }
            guard let day = DateText.day(text) else {
                throw APIError(.badRequest, code: "bad_parameter", "\(name): “\(text)” is not a day (YYYY-MM-DD).")
            }
            return day
        }
        let filter = MeetingStore.Filter(
            kind: try req.queryChoice("kind", MeetingKind.self), from: try day("from"),
            until: try day("until").map { $0.addingTimeInterval(86_400) }, search: req.queryText("q") ?? "")
        let page = try await MeetingStore(req.db).list(in: n.scope, filter: filter, page: try req.paging(perPage: 100))
        return APIDTO.MeetingList(
            items: page.items.map { APIDTO.Meeting($0, today: n.today) }, total: page.total, page: page.page,
            pageCount: page.pageCount)
    }

    func loadMeeting(_ req: Request, _ n: NetworkContext) async throws -> MeetingRecord {
        guard let raw = req.parameters.get("id"), let id = UUID(uuidString: raw),
            let record = try await MeetingStore(req.db).find(MeetingID(id), in: n.scope)
        else { throw APIError(.notFound, code: "not_found", "No such meeting.") }
        return record
    }

    func meeting(_ req: Request) async throws -> Response {
        let n = try await context(req, refusal: "")
        let record = try await loadMeeting(req, n)
        return try await APIVersioning.tagged(
            APIDTO.Meeting(record, today: n.today), version: EditVersion.token(record.updatedAt), req)
    }

    func createMeeting(_ req: Request) async throws -> Response {
        let n = try await context(
            req, rule: AccessPolicy.canRecordMeetings, refusal: "Your role does not record meetings.")
        let input = try req.apiBody(APIDTO.MeetingInput.self).applied(to: Domain.MeetingInput())
        let draft = try MeetingController.checked(input, n)
        let record = try await MeetingStore(req.db).create(
            draft, scope: n.scope, actorID: n.context.current.user.id, now: req.now)
        let response = try await APIVersioning.tagged(
            APIDTO.Meeting(record, today: n.today), version: EditVersion.token(record.updatedAt), status: .created, req)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.apiMeeting(.value(n.code), .value(record.id)).path)
        return response
    }

    func updateMeeting(_ req: Request) async throws -> Response {
        let n = try await context(
            req, rule: AccessPolicy.canRecordMeetings, refusal: "Your role does not record meetings.")
        let record = try await loadMeeting(req, n)
        guard AccessPolicy.canChange(record.access, by: n.context.viewer) else {
            throw APIError(
                .forbidden, code: "forbidden", "Only the meeting’s author, the coordinators and the HeOps change it.")
        }
        let version = try req.ifMatch()
        let input = try req.apiBody(APIDTO.MeetingInput.self).applied(to: Domain.MeetingInput(record.draft))
        let draft = try MeetingController.checked(input, n)
        do {
            let updated = try await MeetingStore(req.db).update(
                record.id, with: draft, scope: n.scope, actorID: n.context.current.user.id, expecting: version,
                now: req.now)
            return try await APIVersioning.tagged(
                APIDTO.Meeting(updated, today: n.today), version: EditVersion.token(updated.updatedAt), req)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let current = try await MeetingStore(req.db).find(record.id, in: n.scope)
            throw APIVersioning.stale(current.map { EditVersion.token($0.updatedAt) } ?? "")
        }
    }

    // MARK: Action points

    func actionPoints(_ req: Request) async throws -> APIDTO.ActionPointList {
        let n = try await context(req, refusal: "")
        enum Flag: String { case yes = "true", no = "false" }
        let overdue = try req.queryChoice("overdue", Flag.self) == .yes
        let filter = MeetingStore.ActionFilter(
            status: try req.queryChoice("status", ActionStatus.self), overdueOn: overdue ? n.today : nil)
        return APIDTO.ActionPointList(
            items: try await MeetingStore(req.db).actions(in: n.scope, filter: filter, limit: 5_000).map {
                APIDTO.ActionPoint($0, today: n.today)
            })
    }

    /// Marks an action point done or open: those who may change its meeting, or the member who carries it.
    func setActionPoint(_ req: Request) async throws -> APIDTO.ActionPoint {
        let n = try await context(
            req, rule: AccessPolicy.canRecordMeetings, refusal: "Your role does not record meetings.")
        guard let raw = req.parameters.get("id"), let id = UUID(uuidString: raw).map(MeetingActionID.init(rawValue:)),
            let action = try await MeetingStore(req.db).action(id, in: n.scope),
            let meeting = try await MeetingStore(req.db).find(action.meetingID, in: n.scope)
        else { throw APIError(.notFound, code: "not_found", "No such action point.") }
        guard
            AccessPolicy.canMarkAction(owner: action.owner, of: meeting.access, by: n.context.viewer)
        else {
            throw APIError(.forbidden, code: "forbidden", "Only who may change its meeting, or its owner, marks it.")
        }
        let body = try req.apiBody(APIDTO.ActionStatusInput.self)
        guard let status = body.status.flatMap(ActionStatus.init(rawValue:)) else {
            throw APIError(
                .unprocessableEntity, code: "invalid", "status: one of open, done.",
                details: [.init(field: "status", message: "One of open, done.")])
        }
        let updated = try await MeetingStore(req.db).setAction(
            id, status: status, day: n.today, scope: n.scope, actorID: n.context.current.user.id, now: req.now)
        return APIDTO.ActionPoint(updated, today: n.today)
    }
}
