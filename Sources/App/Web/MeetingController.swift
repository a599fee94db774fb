import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// The coordination log's pages: meetings, their form, the action points, the participation record
/// by forum, and the network's handover pack. Members of the Movement record meetings
/// (`AccessPolicy.canRecordMeetings`); each meeting's audience decides who reads it.
struct MeetingController {
    func index(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req)
        let filter = MeetingStore.Filter(
            kind: try req.queryChoice("kind", MeetingKind.self), search: req.queryText("q") ?? "")
        let result = try await MeetingStore(req.db).list(in: n.scope, filter: filter, page: try req.paging(perPage: 50))
        let model = MeetingList.Model(
            code: n.code, rows: try await Meetings(database: req.db).lines(result.items, n), kind: filter.kind,
            search: filter.search,
            paging: PagePosition(page: result.page, pageCount: result.pageCount, total: result.total),
            canRecord: AccessPolicy.canRecordMeetings(in: n.context.operation.id, by: n.context.viewer))
        return Page.render(req, title: req.t("meetings_title")) { MeetingList.view(model, $0) }
    }

    static func find(_ req: Request, _ scope: Scope) async throws -> MeetingRecord {
        guard let id = req.pathID(as: MeetingID.self), let record = try await MeetingStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return record
    }

    func show(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req)
        let record = try await Self.find(req, n.scope)
        let line = try await Meetings(database: req.db).lines([record], n)[0]
        let canChange = AccessPolicy.canChange(record.access, by: n.context.viewer)
        let model = MeetingPage.Model(
            code: n.code, meeting: line, canChange: canChange, canChangeActions: canChange)
        return Page.render(req, title: record.draft.forum) { MeetingPage.view(model, $0) }
    }

    /// The form as posted: lists as lines or repeated fields; action points as parallel rows.
    struct Submitted: Content {
        var kind: String?; var forum: String?; var heldOn: String?; var place: String?; var attendees: String?
        var ifrcRepresented: String?; var representativeIDs: [String]?; var representativeNote: String?
        var notes: String?; var decisions: String?; var audience: String?; var version: String?
        var actionID: [String]?; var actionText: [String]?; var actionOwner: [String]?; var actionDue: [String]?
        var actionStatus: [String]?; var actionDone: [String]?

        enum CodingKeys: String, CodingKey {
            case kind, forum, place, attendees, notes, decisions, audience, version
            case heldOn = "held_on", ifrcRepresented = "ifrc_represented", representativeIDs = "representative_ids"
            case representativeNote = "representative_note", actionID = "action_id", actionText = "action_text"
            case actionOwner = "action_owner", actionDue = "action_due", actionStatus = "action_status"
            case actionDone = "action_done"
        }

        func input(over base: MeetingInput) -> MeetingInput {
            var input = base
            let texts: [(String?, WritableKeyPath<MeetingInput, String>)] = [
                (kind, \.kind), (forum, \.forum), (heldOn, \.heldOn), (place, \.place),
                (ifrcRepresented, \.ifrcRepresented), (representativeNote, \.representativeNote), (notes, \.notes),
                (audience, \.audience),
            ]
            for (value, field) in texts { if let value { input[keyPath: field] = value } }
            // The form always shows the representatives: none ticked sends nothing.
            input.representativeIDs = representativeIDs ?? []
            if let decisions { input.decisions = decisions.split(whereSeparator: \.isNewline).map(String.init) }
            if let texts = actionText {
                func at(_ list: [String]?, _ i: Int) -> String { list.flatMap { i < $0.count ? $0[i] : nil } ?? "" }
                input.actions = texts.indices.map { i in
                    MeetingActionInput(
                        id: at(actionID, i), text: texts[i], owner: at(actionOwner, i), dueOn: at(actionDue, i),
                        status: at(actionStatus, i), doneOn: at(actionDone, i))
                }
            }
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canRecordMeetings)
        var values = MeetingInput()
        values.heldOn = DateText.day(n.today)
        if let kind = req.queryText("kind") { values.kind = kind }
        if let forum = req.queryText("forum") { values.forum = forum }
        return try await renderForm(req, n, values: values, attendees: "", errors: [:], record: nil)
    }

    func create(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canRecordMeetings)
        let form = try req.content.decode(Submitted.self)
        var input = form.input(over: MeetingInput())
        let attendees = form.attendees ?? ""
        do {
            input.attendeeIDs = try await Meetings(database: req.db).attendees(attendees, scope: n.scope).map(
                \.uuidString)
            let draft = try Self.checked(input, n)
            let record = try await MeetingStore(req.db).create(
                draft, scope: n.scope, actorID: n.context.current.user.id, now: req.now)
            Page.flash("meetings.created", on: req)
            return req.redirect(to: SiteURL.meeting(.value(n.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, n, values: input, attendees: attendees, errors: try await Self.allErrors(errors, input, n, req),
                record: nil, status: .unprocessableEntity)
        }
    }

    /// The attendees' problems with the rest of the form's, so one post says everything.
    static func allErrors(_ errors: ValidationErrors, _ input: MeetingInput, _ n: NetworkContext, _ req: Request)
        async throws -> [String: String]
    {
        var all = errors
        if errors.message(for: "attendees") != nil {
            do { _ = try checked(input, n) } catch { all.merge(error) }
        }
        return all.messages(in: req)
    }

    /// The one decoder, then: one may not record a meeting one could not see afterwards.
    static func checked(_ input: MeetingInput, _ n: NetworkContext) throws(ValidationErrors) -> MeetingDraft {
        let draft = try input.decoded(today: n.today)
        let access = RecordAccess(
            operationID: n.context.operation.id, audience: draft.audience, createdBy: n.context.current.user.id,
            namedUserIDs: Set(draft.representativeIDs))
        guard AccessPolicy.canCreate(access, by: n.context.viewer) else {
            var errors = ValidationErrors()
            errors.add("audience", key: "error.audience_not_cleared", "You would not see a meeting with this audience.")
            throw errors
        }
        return draft
    }

    func edit(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canRecordMeetings)
        let record = try await Self.find(req, n.scope)
        guard AccessPolicy.canChange(record.access, by: n.context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return try await renderForm(
            req, n, values: MeetingInput(record.draft),
            attendees: try await Meetings(database: req.db).attendeeText(record.draft.attendeeIDs, scope: n.scope),
            errors: [:], record: record, version: EditVersion.token(record.updatedAt))
    }

    func update(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canRecordMeetings)
        let record = try await Self.find(req, n.scope)
        guard AccessPolicy.canChange(record.access, by: n.context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let form = try req.content.decode(Submitted.self)
        var input = form.input(over: MeetingInput(record.draft))
        let meetings = Meetings(database: req.db)
        var attendees = form.attendees ?? ""
        if form.attendees == nil {
            attendees = try await meetings.attendeeText(record.draft.attendeeIDs, scope: n.scope)
        }
        do {
            input.attendeeIDs = try await meetings.attendees(attendees, scope: n.scope).map(\.uuidString)
            let draft = try Self.checked(input, n)
            _ = try await MeetingStore(req.db).update(
                record.id, with: draft, scope: n.scope, actorID: n.context.current.user.id,
                expecting: form.version ?? "", now: req.now)
            Page.flash("meetings.updated", on: req)
            return req.redirect(to: SiteURL.meeting(.value(n.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, n, values: input, attendees: attendees, errors: try await Self.allErrors(errors, input, n, req),
                record: record, version: form.version ?? "", status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let stored = try await Self.find(req, n.scope)
            return try await renderForm(
                req, n, values: input, attendees: attendees, errors: [:], record: stored,
                version: EditVersion.token(stored.updatedAt),
                stale: StaleNotice(stored: MeetingInput(stored.draft), submitted: input, strings: req.strings),
                status: .conflict)
        }
    }

    func renderForm(
        _ req: Request, _ n: NetworkContext, values: MeetingInput, attendees: String, errors: [String: String],
        record: MeetingRecord?, version: String = "", stale: StaleNotice? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        // Who may carry an action: the members, and the entries named on the meeting or its actions.
        var stakeholderIDs = record?.draft.attendeeIDs ?? []
        stakeholderIDs += values.actions.compactMap {
            if case .stakeholder(let id)? = ActionOwner(text: $0.owner) { id } else { nil }
        }
        let entries = try await StakeholderStore(req.db).find(stakeholderIDs, in: n.scope)
        var owners = n.members.map { (value: ActionOwner.member($0.userId).text, name: $0.displayName, member: true) }
        owners += entries.values.sorted { $0.draft.name < $1.draft.name }.map {
            (value: ActionOwner.stakeholder($0.id).text, name: $0.shortName, member: false)
        }
        let model = MeetingForm.Model(
            code: n.code, id: record?.id, values: values, attendees: attendees, errors: errors, version: version,
            stale: stale,
            members: n.members.filter { Role(rawValue: $0.role).map(AccessPolicy.canRepresentIFRC) ?? false }.map {
                ($0.userId, $0.displayName)
            },
            owners: owners,
            keptActions: record.map { $0.actions.filter { $0.owner == nil }.count } ?? 0)
        return Page.render(req, title: MeetingForm.title(model, req.strings), status: status) {
            MeetingForm.view(model, $0)
        }
    }

    func delete(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canRecordMeetings)
        let record = try await Self.find(req, n.scope)
        guard AccessPolicy.canChange(record.access, by: n.context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        try await MeetingStore(req.db).delete(
            record.id, scope: n.scope, actorID: n.context.current.user.id, now: req.now)
        Page.flash("meetings.deleted", on: req)
        return req.redirect(to: SiteURL.meetings(.value(n.code)).path)
    }

    // MARK: Action points

    func actions(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req)
        enum Show: String { case open, overdue, mine, all }
        let show = try req.queryChoice("show", Show.self) ?? .open
        let filter: MeetingStore.ActionFilter =
            switch show {
            case .open: .init(status: .open)
            case .overdue: .init(overdueOn: n.today)
            case .mine: .init(status: .open, ownerUserID: n.context.current.user.id)
            case .all: .init()
            }
        let rows = try await MeetingStore(req.db).actions(in: n.scope, filter: filter)
        let model = ActionPointList.Model(
            code: n.code, rows: try await n.actionLines(rows, on: req.db), show: show.rawValue,
            canChange: n.canManage)
        return Page.render(req, title: req.t("actions_title")) { ActionPointList.view(model, $0) }
    }

    struct StatusForm: Content { var status: String? }

    /// Marks an action point done or open again: those who may change its meeting, or the member who carries it.
    func setActionStatus(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canRecordMeetings)
        guard let id = req.pathID(as: MeetingActionID.self),
            let action = try await MeetingStore(req.db).action(id, in: n.scope),
            let meeting = try await MeetingStore(req.db).find(action.meetingID, in: n.scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        guard
            AccessPolicy.canMarkAction(owner: action.owner, of: meeting.access, by: n.context.viewer)
        else { throw PageError(.forbidden, key: "error.forbidden") }
        guard let status = try req.content.decode(StatusForm.self).status.flatMap(ActionStatus.init(rawValue:)) else {
            throw PageError(.unprocessableEntity, key: "error.choose")
        }
        _ = try await MeetingStore(req.db).setAction(
            id, status: status, day: n.today, scope: n.scope, actorID: n.context.current.user.id, now: req.now)
        Page.flash(status == .done ? "actions.done" : "actions.reopened", on: req)
        let back =
            req.headers.first(name: .referer).flatMap { URL(string: $0)?.path }
            ?? SiteURL.actionPoints(.value(n.code)).path
        return req.redirect(to: back.hasPrefix("/operations/") ? back : SiteURL.actionPoints(.value(n.code)).path)
    }

    // MARK: Participation and handover

    func participation(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req)
        let weeks = try req.queryInteger("weeks", in: 1...520)
        let since = weeks.map { n.today.addingTimeInterval(-Double($0) * 7 * 86_400) }
        let model = ParticipationPage.Model(
            code: n.code, forums: try await MeetingStore(req.db).participation(in: n.scope, since: since),
            sinceWeeks: weeks)
        return Page.render(req, title: req.t("meetings_participation")) { ParticipationPage.view(model, $0) }
    }

    /// The network at the end of a mission, in one printable document; its contacts are a view of
    /// every entry, and recorded so.
    func handover(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req)
        let weeks = try req.queryInteger("weeks", in: 1...520) ?? 8
        let since = n.today.addingTimeInterval(-Double(weeks) * 7 * 86_400)
        let stakeholderStore = StakeholderStore(req.db)
        let entries = try await stakeholderStore.all(in: n.scope)
        let meetingStore = MeetingStore(req.db)
        let meetings = try await meetingStore.all(in: n.scope, filter: .init(from: since))
        let open = try await meetingStore.actions(in: n.scope, filter: .init(status: .open), limit: 5_000)
        try await stakeholderStore.recordView(of: entries.map(\.id), what: "handover", scope: n.scope, now: req.now)
        let model = NetworkHandoverPage.Model(
            code: n.code, operationName: n.context.operation.name, printedAt: req.now, weeks: weeks,
            stakeholders: try await n.lines(entries, on: req.db),
            contacts: Dictionary(
                entries.map { ($0.id, (emails: $0.draft.emails, phones: $0.draft.phones)) },
                uniquingKeysWith: { a, _ in a }),
            openActions: try await n.actionLines(open, on: req.db),
            meetings: try await Meetings(database: req.db).lines(meetings, n),
            participation: try await meetingStore.participation(in: n.scope, since: since))
        return Page.render(req, title: req.t("handover_title")) { NetworkHandoverPage.view(model, $0) }
    }
}
