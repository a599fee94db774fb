import Domain
import Fluent
import Foundation
import Geo
import Interop
import Persistence
import Vapor
import Views

/// What the registry's pages share: the viewer's scope, the settings, and the members' names.
struct NetworkContext {
    let context: OperationContext
    let scope: Scope
    let settings: NetworkSettings
    let members: [MemberRecord]
    let today: Date

    static func load(_ req: Request, requiring rule: (OperationID, Viewer) -> Bool = AccessPolicy.canViewNetwork)
        async throws -> NetworkContext
    {
        let context = try await OperationContext.load(req, requiring: rule)
        let scope = try context.requireScope()
        return NetworkContext(
            context: context, scope: scope,
            settings: try await SettingsStore(req.db).load(NetworkSettings.self, operationID: context.operation.id),
            members: try await OperationStore(req.db).members(of: context.operation.id),
            today: context.operation.time.calendarDay(req.now))
    }

    var code: String { context.operation.code }
    var canManage: Bool { AccessPolicy.canManageNetwork(in: context.operation.id, by: context.viewer) }
    var memberNames: [UserID: String] {
        Dictionary(members.map { ($0.userId, $0.displayName) }, uniquingKeysWith: { a, _ in a })
    }

    /// Registry entries as lists show them, their organisations named through the scope.
    func lines(_ records: [StakeholderRecord], on db: any Database) async throws -> [StakeholderLine] {
        let organisations = try await StakeholderStore(db).find(records.compactMap(\.draft.organisationID), in: scope)
        let names = memberNames
        return records.map { r in
            StakeholderLine(
                id: r.id, draft: r.draft,
                organisationName: r.draft.organisationID.flatMap { organisations[$0]?.shortName },
                ownerName: r.draft.ownerID.flatMap { names[$0] },
                stale: r.draft.isStale(today: today, afterDays: settings.verifyAfterDays))
        }
    }

    /// Action points as tables show them: owners named (members, or entries the reader sees).
    func actionLines(_ actions: [MeetingActionRecord], on db: any Database) async throws -> [ActionLine] {
        let stakeholders = try await StakeholderStore(db).find(
            actions.compactMap { if case .stakeholder(let id) = $0.owner { id } else { nil } }, in: scope)
        let names = memberNames
        let code = Parameter.value(context.operation.code)
        return actions.map { a in
            var name: String?
            var link: SiteURL?
            switch a.owner {
            case .member(let user): name = names[user]
            case .stakeholder(let id):
                name = stakeholders[id]?.shortName
                link = name == nil ? nil : .stakeholder(code, .value(id))
            case nil: break
            }
            return ActionLine(
                id: a.id, meetingID: a.meetingID, text: a.text, ownerName: name, ownerLink: link, dueOn: a.dueOn,
                status: a.status, doneOn: a.doneOn, forum: a.forum, heldOn: a.heldOn, overdue: a.isOverdue(today: today)
            )
        }
    }

    /// May the reader mark this operation's action points done? Those who record meetings.
    var canChangeActions: Bool { AccessPolicy.canRecordMeetings(in: context.operation.id, by: context.viewer) }
}

/// The stakeholder registry's pages: the list (the security network and the migration actors are
/// two views of it), an entry, the form, the influence × interest map, import and export, merge,
/// settings and the handover pack. The Movement reads it at each entry's audience; the two
/// coordinators and the HeOps keep it (`AccessPolicy.canManageNetwork`).
struct StakeholderController {
    func index(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req)
        let view = try req.queryChoice("view", StakeholderTopic.self) ?? .both
        let unverifiedOnly = req.queryText("unverified") == "1"
        let filter = StakeholderStore.Filter(
            view: view, kind: try req.queryChoice("kind", StakeholderKind.self),
            group: try req.queryChoice("group", StakeholderGroup.self),
            unverifiedSince: unverifiedOnly ? Self.verifiedSince(n) : nil, search: req.queryText("q") ?? "")
        let store = StakeholderStore(req.db)
        let result = try await store.list(in: n.scope, filter: filter, page: try req.paging(perPage: 50))
        var unverified = filter
        unverified.unverifiedSince = Self.verifiedSince(n)
        let model = StakeholderList.Model(
            code: n.code, rows: try await n.lines(result.items, on: req.db), view: view, kind: filter.kind,
            group: filter.group, search: filter.search, unverifiedOnly: unverifiedOnly,
            unverifiedCount: try await store.count(in: n.scope, filter: unverified),
            verifyAfterDays: n.settings.verifyAfterDays,
            paging: PagePosition(page: result.page, pageCount: result.pageCount, total: result.total),
            canManage: n.canManage)
        return Page.render(req, title: StakeholderList.title(model, req.strings)) { StakeholderList.view(model, $0) }
    }

    /// The first day an entry must have been verified on not to be flagged.
    static func verifiedSince(_ n: NetworkContext) -> Date {
        n.today.addingTimeInterval(-Double(n.settings.verifyAfterDays) * 86_400)
    }

    func map(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req)
        let view = try req.queryChoice("view", StakeholderTopic.self) ?? .both
        let cells = try await StakeholderStore(req.db).positions(
            in: n.scope, filter: .init(view: view), namesPerCell: 8)
        let t = req.strings
        let quadrantOrder: [EngagementQuadrant] = [.monitor, .keepInformed, .keepSatisfied, .manageClosely]
        var counts: [Int: Int] = [:]
        var names: [SVGRiskHeatMap.Risk] = []
        var byQuadrant: [EngagementQuadrant: (count: Int, names: [String])] = [:]
        for cell in cells {
            counts[(cell.influence - 1) * 5 + cell.interest - 1] = cell.count
            names += cell.names.map {
                SVGRiskHeatMap.Risk(likelihood: cell.influence, impact: cell.interest, title: $0)
            }
            let q = EngagementQuadrant(influence: cell.influence, interest: cell.interest)
            var entry = byQuadrant[q] ?? (0, [])
            entry.count += cell.count
            entry.names += cell.names
            byQuadrant[q] = entry
        }
        var svg = SVGRiskHeatMap(
            likelihoods: (1...5).map { "\($0) · " + t("scale_\($0)") },
            impacts: (1...5).map { "\($0) · " + t("scale_\($0)") },
            cells: (1...5).map { influence in
                (1...5).map { interest in
                    quadrantOrder.firstIndex(of: EngagementQuadrant(influence: influence, interest: interest)) ?? 0
                }
            },
            levels: quadrantOrder.map { t($0.labelKey) }, colours: ["#e0e0e0", "#fee08b", "#fdae61", "#d73027"],
            risks: names, title: t("network_map"))
        svg.counts = counts
        svg.likelihoodTitle = t("field_influence")
        svg.impactTitle = t("field_interest")
        svg.rightToLeft = t.rightToLeft
        let model = StakeholderMapPage.Model(
            code: n.code, view: view, map: svg.render(),
            quadrants: quadrantOrder.reversed().map { q in
                (q, byQuadrant[q]?.count ?? 0, (byQuadrant[q]?.names ?? []).sorted())
            })
        return Page.render(req, title: t("network_map")) { StakeholderMapPage.view(model, $0) }
    }

    static func find(_ req: Request, _ scope: Scope) async throws -> StakeholderRecord {
        guard let id = req.pathID(as: StakeholderID.self),
            let record = try await StakeholderStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return record
    }

    func show(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req)
        let record = try await Self.find(req, n.scope)
        let store = StakeholderStore(req.db)
        let line = try await n.lines([record], on: req.db)[0]
        let people =
            record.draft.kind == .organisation
            ? try await n.lines(try await store.all(in: n.scope, filter: .init(organisationID: record.id)), on: req.db)
            : []
        let meetings = try await MeetingStore(req.db).list(
            in: n.scope, filter: .init(attendee: record.id), page: Paging(page: 1, perPage: 50))
        let carried = try await MeetingStore(req.db).actions(in: n.scope).filter {
            $0.owner == .stakeholder(record.id) && $0.status == .open
        }
        try await store.recordView(of: [record.id], what: "stakeholder", scope: n.scope, now: req.now)
        let model = StakeholderPage.Model(
            code: n.code, entry: line, organisationID: record.draft.organisationID,
            verifyAfterDays: n.settings.verifyAfterDays, people: people,
            meetings: meetings.items.map {
                .init(id: $0.id, forum: $0.draft.forum, kind: $0.draft.kind, heldOn: $0.draft.heldOn)
            }, actions: try await n.actionLines(carried, on: req.db), canManage: n.canManage,
            canChangeActions: n.canChangeActions)
        return Page.render(req, title: line.title) { StakeholderPage.view(model, $0) }
    }

    /// The form as posted; a field the form leaves out keeps the value the input started from.
    struct Submitted: Content {
        var kind: String?; var name: String?; var acronym: String?; var actorType: String?
        var organisationID: String?; var position: String?; var mandate: String?; var topic: String?
        var relation: String?; var influence: String?; var interest: String?; var ownerID: String?
        var lastVerifiedOn: String?; var emails: String?; var phones: String?; var website: String?
        var address: String?; var notes: String?; var audience: String?; var version: String?

        enum CodingKeys: String, CodingKey {
            case kind, name, acronym, position, mandate, topic, relation, influence, interest, emails, phones
            case website, address, notes, audience, version
            case actorType = "actor_type", organisationID = "organisation_id", ownerID = "owner_id"
            case lastVerifiedOn = "last_verified_on"
        }

        func input(over base: StakeholderInput) -> StakeholderInput {
            func lines(_ text: String?) -> [String]? {
                text.map { $0.split(whereSeparator: \.isNewline).map(String.init) }
            }
            var input = base
            let texts: [(String?, WritableKeyPath<StakeholderInput, String>)] = [
                (kind, \.kind), (name, \.name), (acronym, \.acronym), (actorType, \.actorType),
                (organisationID, \.organisationID), (position, \.position), (mandate, \.mandate), (topic, \.topic),
                (relation, \.relation), (influence, \.influence), (interest, \.interest), (ownerID, \.ownerID),
                (lastVerifiedOn, \.lastVerifiedOn), (website, \.website), (address, \.address), (notes, \.notes),
                (audience, \.audience),
            ]
            for (value, field) in texts { if let value { input[keyPath: field] = value } }
            input.emails = lines(emails) ?? base.emails
            input.phones = lines(phones) ?? base.phones
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canManageNetwork)
        var values = StakeholderInput()
        if let organisation = req.queryText("organisation") {
            values.kind = StakeholderKind.person.rawValue
            values.organisationID = organisation
        }
        values.ownerID = n.context.current.user.id.uuidString
        return try await renderForm(req, n, values: values, errors: [:], id: nil)
    }

    func create(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canManageNetwork)
        let form = try req.content.decode(Submitted.self)
        let input = form.input(over: StakeholderInput())
        do {
            let draft = try Self.checked(input, n, req)
            let record = try await StakeholderStore(req.db).create(
                draft, scope: n.scope, actorID: n.context.current.user.id, now: req.now)
            Page.flash("network.created", on: req)
            return req.redirect(to: SiteURL.stakeholder(.value(n.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, n, values: input, errors: errors.messages(in: req), id: nil, status: .unprocessableEntity)
        }
    }

    /// The one decoder, then the rule every record form keeps: one may not create what one could
    /// not see afterwards.
    static func checked(_ input: StakeholderInput, _ n: NetworkContext, _ req: Request) throws -> StakeholderDraft {
        let draft = try input.decoded(today: n.today)
        let access = RecordAccess(
            operationID: n.context.operation.id, audience: draft.audience, createdBy: n.context.current.user.id,
            namedUserIDs: AccessPolicy.namedOnStakeholder(ownerID: draft.ownerID))
        guard AccessPolicy.canCreate(access, by: n.context.viewer) else {
            var errors = ValidationErrors()
            errors.add("audience", key: "error.audience_not_cleared", "You would not see an entry with this audience.")
            throw errors
        }
        return draft
    }

    func edit(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canManageNetwork)
        let record = try await Self.find(req, n.scope)
        return try await renderForm(
            req, n, values: StakeholderInput(record.draft), errors: [:], id: record.id,
            version: EditVersion.token(record.updatedAt))
    }

    func update(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canManageNetwork)
        let record = try await Self.find(req, n.scope)
        let form = try req.content.decode(Submitted.self)
        let input = form.input(over: StakeholderInput(record.draft))
        do {
            let draft = try Self.checked(input, n, req)
            _ = try await StakeholderStore(req.db).update(
                record.id, with: draft, scope: n.scope, actorID: n.context.current.user.id,
                expecting: form.version ?? "", now: req.now)
            Page.flash("network.updated", on: req)
            return req.redirect(to: SiteURL.stakeholder(.value(n.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, n, values: input, errors: errors.messages(in: req), id: record.id, version: form.version ?? "",
                status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let stored = try await Self.find(req, n.scope)
            return try await renderForm(
                req, n, values: input, errors: [:], id: record.id, version: EditVersion.token(stored.updatedAt),
                stale: StaleNotice(stored: StakeholderInput(stored.draft), submitted: input, strings: req.strings),
                status: .conflict)
        }
    }

    func renderForm(
        _ req: Request, _ n: NetworkContext, values: StakeholderInput, errors: [String: String], id: StakeholderID?,
        version: String = "", stale: StaleNotice? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let organisations = try await StakeholderStore(req.db).all(in: n.scope, filter: .init(kind: .organisation))
            .filter { $0.id != id }.map { ($0.id, $0.draft.name + ($0.draft.acronym.map { " (\($0))" } ?? "")) }
        let model = StakeholderForm.Model(
            code: n.code, id: id, values: values, errors: errors, version: version, stale: stale,
            organisations: organisations, members: n.members.map { ($0.userId, $0.displayName) })
        return Page.render(req, title: StakeholderForm.title(model, req.strings), status: status) {
            StakeholderForm.view(model, $0)
        }
    }

    func delete(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canManageNetwork)
        let record = try await Self.find(req, n.scope)
        try await StakeholderStore(req.db).delete(
            record.id, scope: n.scope, actorID: n.context.current.user.id, now: req.now)
        Page.flash("network.deleted", on: req)
        return req.redirect(to: SiteURL.stakeholders(.value(n.code)).path)
    }

    func verify(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canManageNetwork)
        let record = try await Self.find(req, n.scope)
        try await StakeholderStore(req.db).markVerified(
            record.id, on: n.today, scope: n.scope, actorID: n.context.current.user.id, now: req.now)
        Page.flash("network.verified", on: req)
        return req.redirect(to: SiteURL.stakeholder(.value(n.code), .value(record.id)).path)
    }

    struct MergeForm: Content { var into: String? }

    func merge(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canManageNetwork)
        let record = try await Self.find(req, n.scope)
        // The entry to merge into, by its id or its name (or acronym), of the same kind.
        let text = try req.content.decode(MergeForm.self).into?.trimmingCharacters(in: .whitespaces) ?? ""
        var target: StakeholderRecord?
        if let id = UUID(uuidString: text) {
            target = try await StakeholderStore(req.db).find(StakeholderID(id), in: n.scope)
        } else {
            let found = try await StakeholderStore(req.db).matching(text, in: n.scope).filter {
                $0.id != record.id && $0.draft.kind == record.draft.kind
            }
            target = found.count == 1 ? found[0] : nil
        }
        guard let target, target.id != record.id, target.draft.kind == record.draft.kind else {
            throw PageError(.unprocessableEntity, key: "network.merge_unknown")
        }
        _ = try await StakeholderStore(req.db).merge(
            record.id, into: target.id, scope: n.scope, actorID: n.context.current.user.id, now: req.now)
        Page.flash("network.merged", on: req)
        return req.redirect(to: SiteURL.stakeholder(.value(n.code), .value(target.id)).path)
    }

    struct SettingsForm: Content {
        var verifyAfterDays: String?
        enum CodingKeys: String, CodingKey { case verifyAfterDays = "verify_after_days" }
    }

    func saveSettings(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canManageNetwork)
        let form = try req.content.decode(SettingsForm.self)
        do {
            try await SettingsStore(req.db).save(
                NetworkSettings.self, .verifyAfterDays, json: form.verifyAfterDays ?? "",
                operationID: n.context.operation.id, actorID: n.context.current.user.id, now: req.now)
            Page.flash("network.settings_saved", on: req)
        } catch is ValidationErrors {
            throw PageError(.unprocessableEntity, key: "error.days")
        }
        return req.redirect(to: SiteURL.stakeholders(.value(n.code)).path)
    }

    // MARK: Import and export

    func importPage(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canManageNetwork)
        return renderImport(req, n, report: [], error: nil)
    }

    func renderImport(
        _ req: Request, _ n: NetworkContext, report: [String], error: String?, status: HTTPResponseStatus = .ok
    ) -> Response {
        let model = StakeholderImportPage.Model(
            code: n.code, report: report, error: error, columns: StakeholderCSV.header)
        return Page.render(req, title: req.t("network_import"), status: status) {
            StakeholderImportPage.view(model, $0)
        }
    }

    func upload(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req, requiring: AccessPolicy.canManageNetwork)
        do {
            return try await StreamedUpload.with(
                req, maxBytes: req.application.bearingConfig.maxUploadBytes + 1_000_000
            ) {
                upload in
                guard let file = upload.file, file.size > 0 else {
                    return renderImport(
                        req, n, report: [], error: req.t("boundaries.no_file"), status: .unprocessableEntity)
                }
                var options = Network.ImportOptions()
                options.merge = upload.fields["merge"] == "1"
                options.defaultType = upload.fields["default_type"].flatMap(StakeholderType.init(rawValue:))
                options.defaultTopic = upload.fields["default_topic"].flatMap(StakeholderTopic.init(rawValue:))
                do {
                    let read = try Network.read(url: file.url, name: file.filename)
                    let report = try await Network(database: req.db).importFile(
                        read, name: file.filename, options: options, scope: n.scope,
                        actorID: n.context.current.user.id, now: req.now)
                    return renderImport(req, n, report: report.lines, error: nil)
                } catch let failure as StakeholderFileFailure {
                    return renderImport(
                        req, n, report: [],
                        error: "\(file.filename): \(failure.description) \(req.t("sources.nothing_imported"))",
                        status: .unprocessableEntity)
                }
            }
        } catch let error as Abort where error.status == .unsupportedMediaType {
            return renderImport(req, n, report: [], error: req.t("boundaries.no_file"), status: .badRequest)
        }
    }

    /// The registry (its filters kept) as CSV or vCard; the export is recorded as a view of every entry.
    func export(_ req: Request) async throws -> Response {
        let n = try await NetworkContext.load(req)
        let view = try req.queryChoice("view", StakeholderTopic.self) ?? .both
        let filter = StakeholderStore.Filter(
            view: view, kind: try req.queryChoice("kind", StakeholderKind.self),
            group: try req.queryChoice("group", StakeholderGroup.self),
            unverifiedSince: req.queryText("unverified") == "1" ? Self.verifiedSince(n) : nil,
            search: req.queryText("q") ?? "")
        enum Format: String { case csv, vcf }
        let format = try req.queryChoice("format", Format.self) ?? .csv
        let network = Network(database: req.db)
        let name = "\(n.code)-stakeholders-\(DateText.day(req.now))"
        let body: String
        var headers = HTTPHeaders()
        switch format {
        case .csv:
            body = try await network.csv(scope: n.scope, filter: filter, now: req.now)
            headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).csv\"")
        case .vcf:
            body = try await network.vcard(scope: n.scope, filter: filter, now: req.now)
            headers.replaceOrAdd(name: .contentType, value: "text/vcard; charset=utf-8")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).vcf\"")
        }
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }
}
