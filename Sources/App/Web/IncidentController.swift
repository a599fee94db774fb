import Domain
import Foundation
import Persistence
import Vapor
import Views

/// Own security incidents: list, report (a form built to be filled in on a phone), and the
/// incident page with its deadline and timeline. Every read goes through the viewer's scope.
struct IncidentController {
    // MARK: List

    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let page = try req.paging(perPage: 50)
        let result = try await IncidentStore(req.db).browse(in: scope, page: page)
        let now = req.now
        let model = IncidentList.Model(
            code: context.operation.code,
            rows: result.items.map {
                .init(
                    id: $0.id, number: $0.number, title: $0.title, serious: $0.serious, category: $0.category,
                    occurredAt: $0.occurredAt,
                    areaPcode: $0.areaPcode, status: $0.status, deadline: $0.deadline(at: now))
            },
            page: page.page, hasMore: result.hasMore, canCreate: context.canCreateRecords)
        return Page.render(req, title: req.t("incidents.title")) { IncidentList.view(model, $0) }
    }

    // MARK: Reports due

    /// Every incident the viewer may see that still awaits its report to the region, the earliest
    /// deadline first, fifty a page: where the dashboard's "and N more" leads.
    func due(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let page = try req.paging(perPage: 50)
        let store = IncidentStore(req.db)
        // The store merges two deadline-ordered reads, so a page is the slice after the ones before it.
        // So a far page number must not make one request read millions of rows: past 200 pages (10,000
        // unreported incidents, far beyond any operation) a page is empty, as any page past the end is.
        let limit = page.page <= 200 ? page.offset + page.perPage + 1 : 0
        let due = limit > 0 ? try await store.awaitingRegionalReport(in: scope, limit: limit) : []
        let shown = due.dropFirst(page.offset).prefix(page.perPage)
        let hasMore = due.count > page.offset + page.perPage
        // Everything up to this page was read: counted only when there is more after it.
        let total = hasMore || limit == 0 ? try await store.countAwaitingRegionalReport(in: scope) : due.count
        let now = req.now
        let model = IncidentsDue.Model(
            code: context.operation.code, items: shown.map { $0.dueItem(at: now) }, total: total, page: page.page,
            hasMore: hasMore)
        return Page.render(req, title: req.t("incidents.awaiting")) { IncidentsDue.view(model, $0) }
    }

    // MARK: Report

    /// One follow-up row as the form posts it: what, who, by when, and whether it is done.
    struct FollowUpRow: Content {
        var action: String?; var owner: String?; var due: String?; var done: String?
    }

    /// The form as posted, named as the form names its fields; `input` is what the one decoder reads.
    struct Posted: Content {
        var title: String?; var description: String?; var category: String?; var subtype: String?;
        var occurredAt: String?
        var timePrecision: String?; var knownAt: String?; var latitude: String?; var longitude: String?;
        var areaPcode: String?
        var placeName: String?; var geoPrecision: String?; var locationType: String?; var affected: [String]?
        var casualties: [String: String]?; var actorType: String?; var actorName: String?; var means: String?;
        var context: String?
        var motive: String?; var severity: String?; var seriousInjury: String?; var particularlySensitive: String?
        var nearMiss: String?; var immediateActions: String?; var proceduresFollowed: String?; var verification: String?
        var source: String?; var reporterHidden: String?; var audience: String?; var version: String?
        /// Set by the form when it offered the reporter_hidden box: only then does an absent box mean "no".
        var reporterHiddenOffered: String?
        /// `follow_up[0][action]`, `follow_up[0][owner]`, `follow_up[0][due]`, `follow_up[0][done]`, … by row number.
        var followUp: [String: FollowUpRow]?

        enum CodingKeys: String, CodingKey {
            case title, description, category, subtype, latitude, longitude, affected, casualties, means, context,
                motive, severity
            case verification, source, audience, version
            case occurredAt = "occurred_at", timePrecision = "time_precision", knownAt = "known_at", areaPcode =
                "area_pcode"
            case placeName = "place_name", geoPrecision = "geo_precision", locationType = "location_type", actorType =
                "actor_type"
            case actorName = "actor_name", seriousInjury = "serious_injury", particularlySensitive =
                "particularly_sensitive"
            case nearMiss = "near_miss", immediateActions = "immediate_actions", proceduresFollowed =
                "procedures_followed"
            case reporterHidden = "reporter_hidden", reporterHiddenOffered = "reporter_hidden_offered", followUp =
                "follow_up"
        }

        /// The incident as given: a box left unticked is "no", a field left out is empty.
        var input: IncidentInput {
            var input = IncidentInput()
            input.title = title ?? ""
            input.description = description ?? ""
            input.category = category ?? ""
            input.subtype = subtype ?? ""
            input.occurredAt = occurredAt ?? ""
            input.timePrecision = timePrecision ?? ""
            input.knownAt = knownAt ?? ""
            input.latitude = latitude ?? ""
            input.longitude = longitude ?? ""
            input.areaPcode = areaPcode ?? ""
            input.placeName = placeName ?? ""
            input.geoPrecision = geoPrecision ?? ""
            input.locationType = locationType ?? ""
            input.affected = affected ?? []
            input.casualties = casualties ?? [:]
            input.actorType = actorType ?? ""
            input.actorName = actorName ?? ""
            input.means = means ?? ""
            input.context = context ?? ""
            input.motive = motive ?? ""
            input.severity = severity ?? ""
            input.seriousInjury = seriousInjury != nil
            input.particularlySensitive = particularlySensitive != nil
            input.nearMiss = nearMiss != nil
            input.immediateActions = immediateActions ?? ""
            // In the order the form numbered them; blank rows are the form's spare ones.
            input.followUp = (followUp ?? [:]).compactMap { key, row in Int(key).map { ($0, row) } }.sorted {
                $0.0 < $1.0
            }
            .map {
                IncidentInput.FollowUp(
                    action: $0.1.action ?? "", owner: $0.1.owner ?? "", due: $0.1.due ?? "", done: $0.1.done != nil)
            }
            .filter { !$0.isBlank }
            input.proceduresFollowed = proceduresFollowed ?? ""
            input.verification = verification ?? ""
            input.source = source ?? ""
            input.reporterHidden = reporterHidden != nil
            input.audience = audience ?? ""
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        guard context.canCreateRecords else { throw PageError(.forbidden, key: "error.forbidden") }
        var values = IncidentInput.newReport(at: req.now, clock: context.operation.time)
        // From the inbox: the message's text, sender and time; nothing is made until it is saved.
        let message = try await Self.inboxMessage(req, context, (try? req.query.get(String.self, at: "message")))
        if let message {
            let text = message.message.text
            values.title = String(
                (text.split(whereSeparator: \.isNewline).first.map(String.init) ?? req.t("inbox_message_title")).prefix(
                    100))
            values.description =
                text + "\n\n"
                + req.t("inbox_incident_source").replacingOccurrences(of: "{sender}", with: message.message.sender)
                .replacingOccurrences(of: "{time}", with: context.operation.time.formTime(message.receivedAt))
            values.occurredAt = context.operation.time.formTime(message.message.sentAt ?? message.receivedAt)
            if let lat = message.message.latitude, let lon = message.message.longitude {
                (values.latitude, values.longitude) = (String(lat), String(lon))
            }
        }
        return try await renderForm(req, context, values: values, errors: [:], spareRows: 0, fromMessage: message?.id)
    }

    /// An untriaged inbox message the viewer may triage; nil otherwise (an id given by someone who
    /// may not read the inbox finds nothing).
    static func inboxMessage(_ req: Request, _ context: OperationContext, _ id: String?) async throws
        -> InboxStore.Message?
    {
        guard let id = id.flatMap(UUID.init(uuidString:)), let p = try await PersonnelContext.make(context, on: req.db),
            AccessPolicy.canTriageInbox(through: p.scope),
            let message = try await InboxStore(req.db).find(id, in: context.operation.id), message.state == .untriaged
        else { return nil }
        return message
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        guard context.canCreateRecords else { throw PageError(.forbidden, key: "error.forbidden") }
        let capture = try CaptureSubmission(req, kind: "incident")
        if let earlier = try await capture.earlier() { return earlier }
        var input = try req.content.decode(Posted.self).input
        if !AccessPolicy.canJudgeIncidentReports(in: context.operation.id, by: context.viewer) {
            input.keepJudgement(of: nil)
        }
        do {
            let draft = try await IncidentPlacement.placed(
                try input.draft(now: capture.entry?.madeAt(now: req.now) ?? req.now, clock: context.operation.time),
                in: context, req)
            let access = RecordAccess(
                operationID: context.operation.id, audience: draft.audience,
                createdBy: context.current.user.id,
                namedRoles: AccessPolicy.rolesNamedOnIncident(audience: draft.audience))
            guard AccessPolicy.canCreate(access, by: context.viewer) else {
                throw PageError(.forbidden, key: "error.audience_self")
            }
            let (code, userID, now) = (context.operation.code, context.current.user.id, req.now)
            let operationID = context.operation.id
            let message = try await Self.inboxMessage(
                req, context, try? req.content.get(String.self, at: "from_message"))
            if !capture.isQueued { Page.flash("incidents.created", on: req) }
            return try await capture.save { db in
                let incident = try await IncidentStore(db).create(
                    draft, reporterID: userID, in: operationID, actorID: userID, now: now)
                let path = SiteURL.incident(.value(code), .value(incident.id)).path
                if let message {
                    // Triaged with the record it became, in its transaction; a message triaged meanwhile keeps its first outcome.
                    _ = try await InboxStore(db).triage(
                        message.id, in: operationID, as: .incident, outcome: path, by: userID, now: now)
                }
                return path
            }
        } catch let errors as ValidationErrors {
            if let refused = capture.refused(Self.formMessages(errors, req)) { return refused }
            let message = try await Self.inboxMessage(
                req, context, try? req.content.get(String.self, at: "from_message"))
            return try await renderForm(
                req, context, values: input, errors: Self.formMessages(errors, req), status: .unprocessableEntity,
                fromMessage: message?.id)
        }
    }

    /// Field messages keyed as the form names its fields: the decoder says `follow_up[2].due_on`,
    /// the form `follow_up[2][due]`.
    static func formMessages(_ errors: ValidationErrors, _ req: Request) -> [String: String] {
        var messages: [String: String] = [:]
        for (field, message) in errors.messages(in: req) {
            if field.hasPrefix("follow_up["), let dot = field.lastIndex(of: ".") {
                let name = field[field.index(after: dot)...]
                messages[String(field[..<dot]) + "[" + (name == "due_on" ? "due" : name) + "]"] = message
            } else {
                messages[field] = message
            }
        }
        return messages
    }

    // MARK: Edit

    func edit(_ req: Request) async throws -> Response {
        let (context, _, incident) = try await loadForChange(req)
        guard AccessPolicy.canChange(incident.access, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return try await renderForm(
            req, context, values: IncidentInput(incident.draft, clock: context.operation.time), errors: [:],
            editing: incident.id,
            offersReporterHidden: Self.offersReporterHidden(incident, context.viewer),
            version: EditVersion.token(incident.updatedAt))
    }

    func update(_ req: Request) async throws -> Response {
        let (context, scope, incident) = try await loadForChange(req)
        guard AccessPolicy.canChange(incident.access, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let form = try req.content.decode(Posted.self)
        let requested: Bool? =
            form.reporterHiddenOffered != nil || form.reporterHidden != nil ? form.reporterHidden != nil : nil
        guard
            let hidden = AccessPolicy.reporterHidden(
                requested: requested, stored: incident.draft.reporterHidden,
                reporterID: incident.reporterID, by: context.viewer)
        else { throw PageError(.forbidden, key: "error.reporter_unhide") }
        var input = form.input
        // Fields this form does not carry (set through the API) stay as they are.
        input.lessonsLearned = incident.draft.lessonsLearned
        if !AccessPolicy.canJudgeIncidentReports(in: context.operation.id, by: context.viewer) {
            input.keepJudgement(of: incident.draft)
        }
        input.reporterHidden = hidden
        do {
            var draft = try input.draft(now: req.now, clock: context.operation.time)
            draft.siteID = incident.draft.siteID
            draft = try await IncidentPlacement.placed(draft, in: context, req)
            var after = incident
            after.draft = draft
            // Nobody may narrow an incident so far that they lose sight of it themselves.
            guard AccessPolicy.canView(after.access, by: context.viewer) else {
                throw PageError(.forbidden, key: "error.audience_self")
            }
            _ = try await IncidentStore(req.db).update(
                incident.id, with: draft, scope: scope, actorID: context.current.user.id,
                expecting: form.version ?? "", now: req.now)
            Page.flash("incidents.updated", on: req)
            return req.redirect(to: SiteURL.incident(.value(context.operation.code), .value(incident.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, values: input, errors: Self.formMessages(errors, req), editing: incident.id,
                offersReporterHidden: Self.offersReporterHidden(incident, context.viewer),
                version: form.version ?? "", status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            guard let stored = try await IncidentStore(req.db).find(incident.id, in: scope) else {
                throw PageError(.notFound, key: "error.not_found")
            }
            var theirs = IncidentInput(stored.draft, clock: context.operation.time)
            theirs.lessonsLearned = input.lessonsLearned  // not on this form: no difference to show
            return try await renderForm(
                req, context, values: input, errors: [:], editing: incident.id,
                offersReporterHidden: Self.offersReporterHidden(stored, context.viewer),
                version: EditVersion.token(stored.updatedAt),
                stale: StaleNotice(stored: theirs, submitted: input, strings: req.strings), status: .conflict)
        }
    }

    /// Anyone may hide a reporter; only the reporter may show their name again.
    static func offersReporterHidden(_ incident: IncidentRecord, _ viewer: Viewer) -> Bool {
        !incident.draft.reporterHidden
            || AccessPolicy.canUnhideReporter(reporterID: incident.reporterID, by: viewer)
    }

    /// The form. Spare follow-up rows: none on a fresh report (the phone form stays short), one on a
    /// refused report, two when editing.
    func renderForm(
        _ req: Request, _ context: OperationContext, values: IncidentInput, errors: [String: String],
        editing id: IncidentID? = nil, offersReporterHidden: Bool = true, version: String = "",
        stale: StaleNotice? = nil,
        status: HTTPResponseStatus = .ok, spareRows: Int? = nil, fromMessage: UUID? = nil
    ) async throws -> Response {
        var model = IncidentForm.Model(
            code: context.operation.code, id: id, values: values, blankFollowUpRows: spareRows ?? (id == nil ? 1 : 2),
            errors: errors,
            offersReporterHidden: offersReporterHidden, version: version, stale: stale)
        let operationID = context.operation.id
        model.coordinatorFields = AccessPolicy.canJudgeIncidentReports(in: operationID, by: context.viewer)
        model.contacts = try await SettingsStore(req.db).load(EmergencyContacts.self, operationID: operationID).contacts
        model.canEditContacts = AccessPolicy.canEditSecuritySettings(in: operationID, by: context.viewer)
        model.areas = try await Self.areaChoices(context.operation, req)
        model.fromMessage = fromMessage
        return Page.render(req, title: IncidentForm.title(model, req.strings), status: status) {
            IncidentForm.view(model, $0)
        }
    }

    // MARK: Show

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let store = IncidentStore(req.db)
        guard let id = req.pathID(as: IncidentID.self), let incident = try await store.find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        var reporter = IncidentPage.Model.Reporter.hidden
        if AccessPolicy.canSeeReporter(
            of: incident.access, reporterID: incident.reporterID,
            hidden: incident.draft.reporterHidden, by: context.viewer)
        {
            if let reporterID = incident.reporterID, let user = try await UserStore(req.db).find(id: reporterID) {
                reporter = .named(user.displayName)
            } else {
                reporter = .unknown
            }
        }
        let mayFollowUp = AccessPolicy.canFollowUp(incident.access, by: context.viewer)
        let canChange = AccessPolicy.canChange(incident.access, by: context.viewer)
        let now = req.now
        let model = IncidentPage.Model(
            code: context.operation.code, id: id, number: incident.number, draft: incident.draft,
            status: incident.status,
            serious: incident.serious, deadline: incident.deadline(at: now),
            today: AnalysisPeriods.calendar.startOfDay(for: now),
            reporter: reporter,
            reports: try await store.reports(of: id).map {
                .init(type: $0.type, at: $0.reportedAt, summary: $0.summary)
            },
            risks: try await RiskStore(req.db).risks(linkedTo: id, in: scope).map {
                .init(id: $0.id, number: $0.number, title: $0.title)
            },
            sentToRegion: incident.reportedToRegionAt != nil, mayTick: canChange || mayFollowUp,
            canFollowUp: mayFollowUp,
            canReport: AccessPolicy.canAddReport(to: incident.access, by: context.viewer), canChange: canChange,
            canAudit: AccessPolicy.canReadAudit(of: context.operation.id, by: context.viewer))
        return Page.render(req, title: incident.draft.title) { IncidentPage.view(model, $0) }
    }

    /// Loads the incident named in the path for a change, or answers 404 / 403.
    func loadForChange(_ req: Request) async throws -> (OperationContext, Scope, IncidentRecord) {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let id = req.pathID(as: IncidentID.self),
            let incident = try await IncidentStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return (context, scope, incident)
    }

    struct StatusForm: Content { var status: String? }

    /// Ticks a follow-up action off (or back on): an edit of the incident, versioned like any other.
    func setActionDone(_ req: Request) async throws -> Response {
        let (context, scope, incident) = try await loadForChange(req)
        guard
            AccessPolicy.canChange(incident.access, by: context.viewer)
                || AccessPolicy.canFollowUp(incident.access, by: context.viewer)
        else { throw PageError(.forbidden, key: "error.forbidden") }
        guard let index = req.pathIndex(), incident.draft.followUpActions.indices.contains(index)
        else { throw PageError(.notFound, key: "error.not_found") }
        var draft = incident.draft
        draft.followUpActions[index].done = (try? req.content.get(String.self, at: "done")) != "no"
        _ = try await IncidentStore(req.db).update(
            incident.id, with: draft, scope: scope, actorID: context.current.user.id, now: req.now)
        return req.redirect(to: SiteURL.incident(.value(context.operation.code), .value(incident.id)).path)
    }

    /// One follow-up step (verified, analysed, closed) or reopening; security roles only.
    func changeStatus(_ req: Request) async throws -> Response {
        let (context, scope, incident) = try await loadForChange(req)
        guard AccessPolicy.canFollowUp(incident.access, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        guard let status = try req.content.decode(StatusForm.self).status.flatMap(IncidentStatus.init(rawValue:)),
            incident.status.canMove(to: status)
        else { throw PageError(.unprocessableEntity, key: "error.status_step") }
        _ = try await IncidentStore(req.db).changeStatus(
            incident.id, to: status, scope: scope, actorID: context.current.user.id, now: req.now)
        return req.redirect(to: SiteURL.incident(.value(context.operation.code), .value(incident.id)).path)
    }

    struct ReportForm: Content {
        var type: String?; var summary: String?; var sentToRegion: String?
        enum CodingKeys: String, CodingKey { case type, summary, sentToRegion = "sent_to_region" }
    }

    /// Adds an update or the post-incident report to the timeline; the first one sent to the
    /// region stops the reporting clock.
    func addReport(_ req: Request) async throws -> Response {
        let (context, scope, incident) = try await loadForChange(req)
        guard AccessPolicy.canAddReport(to: incident.access, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let form = try req.content.decode(ReportForm.self)
        guard let type = form.type.flatMap(IncidentReportType.init(rawValue:)) else {
            throw PageError(.unprocessableEntity, key: "error.choose")
        }
        do {
            _ = try await IncidentStore(req.db).addReport(
                to: incident.id, type: type, summary: form.summary ?? "", sentToRegion: form.sentToRegion != nil,
                scope: scope,
                actorID: context.current.user.id, now: req.now)
        } catch let error as DomainError where error.kind == .invalid {
            throw PageError(.unprocessableEntity, key: error.messageKey)
        }
        return req.redirect(
            to: SiteURL.incident(.value(context.operation.code), .value(incident.id)).path + "#timeline")
    }

    // MARK: Place

    /// The admin areas an incident may be placed in from the form: each state (level 1), then its
    /// localities (level 2), by name in the reader's language.
    static func areaChoices(_ operation: OperationRecord, _ req: Request) async throws -> [IncidentFilterForm.Area] {
        let (shapes, _) = try await req.areaShapes.shapes(for: operation, on: req.db)
        let names = try await req.areaShapes.names(for: operation, language: req.language, on: req.db)
        let rows = shapes.map(\.row).filter { (1...2).contains($0.level) }
        func area(_ row: AdminAreaRecord) -> IncidentFilterForm.Area {
            .init(pcode: row.pcode, name: names[row.pcode] ?? row.name, level: row.level)
        }
        let children = Dictionary(grouping: rows.filter { $0.level == 2 }, by: { $0.parentPcode ?? "" })
        var choices: [IncidentFilterForm.Area] = []
        for state in rows.filter({ $0.level == 1 }).map(area).sorted(by: { $0.name < $1.name }) {
            choices.append(state)
            choices += (children[state.pcode] ?? []).map(area).sorted { $0.name < $1.name }
        }
        return choices
    }
}
