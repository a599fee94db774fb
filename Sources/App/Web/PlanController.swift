import Domain
import Foundation
import Interop
import Persistence
import Vapor
import Views

/// The six IFRC security plans: the clocks (due within 14 days of the start, reviewed every six
/// months or after a phase change, the evacuation and relocation plans approved yearly), each
/// plan's versions draft → in review → approved, its text and structured part, attached
/// documents (type-checked, size-limited), and the reviews and yearly approvals recorded.
struct PlanController {
    /// The largest document a plan version takes; the upload limit of the server applies too.
    static let maxAttachmentBytes = 20 * 1024 * 1024

    // MARK: Clocks

    func index(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewSecurityPlans(in:by:))
        let operationID = context.operation.id
        let current = try await PlanStore(req.db).current(in: operationID)
        let deadlines = try await PlanDeadlines.all(of: context.operation, on: req)
        let model = PlansOverview.Model(
            code: context.operation.code,
            rows: SecurityPlanKind.allCases.map { kind in
                let entry = current[kind]
                return .init(
                    kind: kind,
                    approved: entry?.approved.map { (version: $0.version, on: $0.approvedAt.map(DateText.day) ?? "") },
                    open: entry?.open.map { (version: $0.version, status: $0.status) }, deadlines: deadlines[kind] ?? []
                )
            },
            canEditSettings: AccessPolicy.canEditSecuritySettings(in: operationID, by: context.viewer))
        return Page.render(req, title: req.t("plans.title")) { PlansOverview.view(model, $0) }
    }

    // MARK: One plan

    func show(_ req: Request) async throws -> Response { try await renderPlan(req, error: nil) }

    func renderPlan(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewSecurityPlans(in:by:))
        let kind = try Self.kind(req)
        let operationID = context.operation.id
        let store = PlanStore(req.db)
        let versions = try await store.versions(of: kind, in: operationID)
        let attachments = Dictionary(grouping: try await store.attachments(of: versions.map(\.id)), by: \.versionID)
        let canWrite = AccessPolicy.canWriteSecurityPlans(in: operationID, by: context.viewer)
        let held = try await PhaseStore(req.db).authorities(
            of: context.current.user.id, role: context.role, in: operationID)
        var names: [UserID: String] = [:]
        for id in Set(versions.flatMap { [$0.createdBy, $0.approvedBy, $0.submittedBy].compactMap { $0 } }) {
            names[id] = try await UserStore(req.db).find(id: id)?.displayName
        }
        let list = versions.map { version in
            PlanPage.Model.Version(
                id: version.id, number: version.version, status: version.status,
                createdBy: version.createdBy.flatMap { names[$0] } ?? "—",
                createdAt: req.strings.minute(version.createdAt),
                approved: version.approvedAt.map {
                    (by: version.approvedBy.flatMap { names[$0] } ?? "—", at: req.strings.minute($0))
                },
                attachments: (attachments[version.id] ?? []).map { (id: $0.id, filename: $0.filename, size: $0.size) },
                canEdit: version.status == .draft && canWrite, canSubmit: version.status == .draft && canWrite,
                canSendBack: version.status == .inReview && canWrite,
                canApprove: version.status == .inReview && held.contains(.seniorManager)
                    && version.createdBy != context.current.user.id)
        }
        // The version in force, or the newest if none is approved yet.
        var current: PlanContent?
        if let shown = versions.first(where: { $0.status == .approved }) ?? versions.first {
            let sites = try await context.visibleSites(on: req.db)
            let phases = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: operationID).rules.phases
            current = Self.content(shown, sites: sites, phases: phases, req.strings)
        }
        var eventNames: [UserID: String] = [:]
        let recorded = try await store.events(of: kind, in: operationID)
        for by in Set(recorded.compactMap(\.recordedBy)) {
            eventNames[by] = try await UserStore(req.db).find(id: by)?.displayName
        }
        let rules = try await SettingsStore(req.db).load(PlanSettings.self, operationID: operationID).rules
        var model = PlanPage.Model(
            code: context.operation.code, kind: kind,
            deadlines: try await PlanDeadlines.all(of: context.operation, on: req)[kind] ?? [],
            current: current,
            versions: list,
            events: recorded.map { event in
                .init(
                    day: DateText.day(event.occurredOn), event: event.event.rawValue,
                    approvers: event.approvers.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                        (role: $0.key, name: $0.value)
                    },
                    note: event.note, recordedBy: event.recordedBy.flatMap { eventNames[$0] } ?? "—")
            },
            canWrite: canWrite,
            canNew: canWrite && !versions.contains { $0.status == .draft || $0.status == .inReview },
            yearly: rules.yearlyApproval.contains(kind), today: DateText.day(req.now), error: error)
        // The reviews that feed the CIM plan's next version, for those who read critical incidents.
        if kind == .criticalIncidentManagement,
            AccessPolicy.crisisScope(in: operationID, for: context.viewer)?.seesAll == true
        {
            let since = versions.first { $0.status == .approved }?.approvedAt
            model.reviews = try await CriticalIncidentStore(req.db).planChanges(in: operationID, since: since).map {
                ($0.number, $0.changes)
            }
        }
        let page = model
        return Page.render(req, title: req.t(kind.labelKey), status: status) { PlanPage.view(page, $0) }
    }

    /// A version's text and structured part, as the page shows it.
    static func content(_ version: PlanVersionRecord, sites: [SiteRecord], phases: [String], _ t: Strings)
        -> PlanContent
    {
        let relocation = version.draft.relocation.map { plan in
            // In the order of the phases, lowest first; a phase no longer in the rules last.
            let triggers = plan.triggers.sorted {
                (phases.firstIndex(of: $0.key) ?? .max, $0.key) < (phases.firstIndex(of: $1.key) ?? .max, $1.key)
            }
            return PlanContent.Relocation(
                // A site the reader may not see is named only as a site, never by its name.
                assemblyPoints: plan.assemblyPointIDs.map { id in
                    sites.first { $0.id == id }?.name ?? t("plans.site_not_visible")
                },
                routes: plan.routes, triggers: triggers.map { (phase: t.phase($0.key), text: $0.value) },
                whoGoes: plan.whoGoes,
                whoStays: plan.whoStays, transport: plan.transport)
        }
        return PlanContent(
            version: version.version, status: version.status, text: version.draft.content, relocation: relocation,
            team: version.draft.cim?.team ?? [])
    }

    // MARK: Writing a version

    struct TeamRow: Content { var name: String?; var role: String?; var phone: String?; var email: String? }

    struct VersionForm: Content {
        var content: String?; var assemblyPoints: [String]?; var routes: String?; var triggers: [String: String]?
        var whoGoes: String?; var whoStays: String?; var transport: String?; var team: [TeamRow]?; var file: File?
        var version: String?
        enum CodingKeys: String, CodingKey {
            case content, routes, triggers, transport, team, file, version
            case assemblyPoints = "assembly_points", whoGoes = "who_goes", whoStays = "who_stays"
        }
        /// `team[0][name]`, `team[1][phone]`, …: multipart forms read numbered rows as an array.
        var teamRows: [TeamRow] { team ?? [] }
    }

    /// A plan version's parts as the form shows them, to compare two versions field by field.
    struct Fields: Encodable {
        let content: String; let assemblyPoints: [String]; let routes: [String]; let triggers: [String: String]
        let whoGoes: String; let whoStays: String; let transport: String; let team: [String]
        init(_ draft: PlanDraft) {
            content = draft.content
            assemblyPoints = draft.relocation?.assemblyPointIDs.map(\.uuidString) ?? []
            routes = draft.relocation?.routes ?? []; triggers = draft.relocation?.triggers ?? [:]
            whoGoes = draft.relocation?.whoGoes ?? ""; whoStays = draft.relocation?.whoStays ?? "";
            transport = draft.relocation?.transport ?? ""
            team =
                draft.cim?.team.map {
                    [$0.name, $0.role, $0.phone, $0.email].filter { !$0.isEmpty }.joined(separator: " · ")
                } ?? []
        }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canWriteSecurityPlans(in:by:))
        let kind = try Self.kind(req)
        let latest = try await PlanStore(req.db).versions(of: kind, in: context.operation.id).first
        return try await renderForm(
            req, context, kind: kind, draft: latest?.draft ?? PlanDraft(kind: kind, content: ""), editing: nil,
            errors: [:])
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canWriteSecurityPlans(in:by:))
        let kind = try Self.kind(req)
        let form = try req.content.decode(VersionForm.self)
        let draft = Self.draft(form, kind: kind)
        do {
            let file = try Self.checkedFile(form.file, req)
            let valid = try await validate(draft, context, req, hasFile: file != nil)
            let version = try await PlanStore(req.db).createDraft(
                valid, in: context.operation.id, actorID: context.current.user.id, now: req.now)
            if let file { try await attach(file, to: version.id, context, req) }
            Page.flash("plans.saved", on: req)
            return req.redirect(to: SiteURL.plan(.value(context.operation.code), .value(kind)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, kind: kind, draft: draft, editing: nil, errors: errors.messages(in: req),
                status: .unprocessableEntity)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canWriteSecurityPlans(in:by:))
        let kind = try Self.kind(req)
        let version = try await Self.version(req, context, kind)
        return try await renderForm(
            req, context, kind: kind, draft: version.draft, editing: version.id, errors: [:],
            version: try await PlanStore(req.db).editVersion(version.id))
    }

    func update(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canWriteSecurityPlans(in:by:))
        let kind = try Self.kind(req)
        let version = try await Self.version(req, context, kind)
        let form = try req.content.decode(VersionForm.self)
        let draft = Self.draft(form, kind: kind)
        do {
            let file = try Self.checkedFile(form.file, req)
            let existing = try await PlanStore(req.db).attachments(of: [version.id])
            let valid = try await validate(draft, context, req, hasFile: file != nil || !existing.isEmpty)
            _ = try await PlanStore(req.db).updateDraft(
                version.id, with: valid, in: context.operation.id, actorID: context.current.user.id,
                expecting: form.version ?? "", now: req.now)
            if let file { try await attach(file, to: version.id, context, req) }
            Page.flash("plans.saved", on: req)
            return req.redirect(to: SiteURL.plan(.value(context.operation.code), .value(kind)).path)
        } catch let errors as ValidationErrors {
            return try await renderForm(
                req, context, kind: kind, draft: draft, editing: version.id, errors: errors.messages(in: req),
                version: form.version, status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let stored = try await Self.version(req, context, kind)
            return try await renderForm(
                req, context, kind: kind, draft: draft, editing: version.id, errors: [:],
                version: try await PlanStore(req.db).editVersion(version.id),
                stale: StaleNotice(stored: Fields(stored.draft), submitted: Fields(draft), strings: req.strings),
                status: .conflict)
        }
    }

    /// The draft checked against the operation's sites and phases; a plan may be only a document.
    func validate(_ draft: PlanDraft, _ context: OperationContext, _ req: Request, hasFile: Bool) async throws
        -> PlanDraft
    {
        let sites = try await context.visibleSites(on: req.db)
        let phases = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: context.operation.id).rules
            .phases
        return try draft.validated(sites: Set(sites.map(\.id)), phases: phases, hasDocument: hasFile)
    }

    /// A file the form carried, checked: within the size limit, and a PDF or DOCX by content as
    /// well as by name. Nil when the form had none.
    static func checkedFile(_ file: File?, _ req: Request) throws -> (name: String, type: AttachmentType, data: Data)? {
        guard let file, !file.filename.isEmpty else { return nil }
        var errors = ValidationErrors()
        let data = Data(buffer: file.data)
        let limit = min(maxAttachmentBytes, req.application.bearingConfig.maxUploadBytes)
        if data.count > limit {
            errors.add(
                "file", key: "error.attachment_size",
                "\(file.filename) is \(FileSize.text(Int64(data.count))); the limit is \(FileSize.text(Int64(limit))).")
            throw errors
        }
        do {
            return (file.filename, try AttachmentType.check(filename: file.filename, data: data), data)
        } catch .unsupported(let ext) {
            errors.add(
                "file", key: "error.attachment_type",
                "\(file.filename): .\(ext) is not accepted; attach a PDF or a Word (.docx) document.")
        } catch .mismatch(let expected) {
            errors.add(
                "file", key: "error.attachment_mismatch",
                "\(file.filename) is named .\(expected.rawValue) but its content is not a \(expected.rawValue.uppercased()) document."
            )
        } catch .empty {
            errors.add("file", key: "error.attachment_empty", "\(file.filename) is empty.")
        }
        throw errors
    }

    func attach(
        _ file: (name: String, type: AttachmentType, data: Data), to versionID: PlanVersionID,
        _ context: OperationContext,
        _ req: Request
    ) async throws {
        _ = try await PlanStore(req.db).attach(
            filename: file.name, contentType: file.type.contentType, data: file.data, to: versionID,
            in: context.operation.id,
            directory: Self.attachmentDirectory(req), actorID: context.current.user.id, now: req.now)
    }

    static func attachmentDirectory(_ req: Request) -> String {
        (req.application.bearingConfig.dataDirectory as NSString).appendingPathComponent("attachments")
    }

    static func draft(_ form: VersionForm, kind: SecurityPlanKind) -> PlanDraft {
        var draft = PlanDraft(kind: kind, content: form.content ?? "")
        if kind == .relocation {
            draft.relocation = RelocationPlan(
                assemblyPointIDs: (form.assemblyPoints ?? []).compactMap {
                    UUID(uuidString: $0).map(SiteID.init(rawValue:))
                },
                routes: (form.routes ?? "").split(whereSeparator: \.isNewline).map(String.init),
                triggers: form.triggers ?? [:],
                whoGoes: form.whoGoes ?? "", whoStays: form.whoStays ?? "", transport: form.transport ?? "")
        }
        if kind == .criticalIncidentManagement {
            draft.cim = CIMPlan(
                team: form.teamRows.map {
                    CIMPlan.Member(
                        name: $0.name ?? "", role: $0.role ?? "", phone: $0.phone ?? "", email: $0.email ?? "")
                })
        }
        return draft
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, kind: SecurityPlanKind, draft: PlanDraft, editing: PlanVersionID?,
        errors: [String: String],
        version: String? = nil, stale: StaleNotice? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var sites: [Choice] = []
        var triggers: [(phase: String, label: String, text: String)] = []
        if kind == .relocation {
            let chosen = Set(draft.relocation?.assemblyPointIDs ?? [])
            sites = try await context.visibleSites(on: req.db).map {
                Choice(value: $0.id.uuidString, label: $0.name, selected: chosen.contains($0.id))
            }
            let phases = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: context.operation.id)
                .rules.phases
            triggers = phases.map {
                (phase: $0, label: req.strings.phase($0), text: draft.relocation?.triggers[$0] ?? "")
            }
        }
        let team =
            kind == .criticalIncidentManagement
            ? (draft.cim?.team ?? []) + Array(repeating: CIMPlan.Member(name: "", role: "", phone: ""), count: 2) : []
        let relocation = draft.relocation ?? RelocationPlan()
        let model = PlanForm.Model(
            code: context.operation.code, kind: kind, editing: editing, content: draft.content, sites: sites,
            routes: relocation.routes.joined(separator: "\n"), triggers: triggers, whoGoes: relocation.whoGoes,
            whoStays: relocation.whoStays,
            transport: relocation.transport, team: team, errors: errors,
            maxMB: min(Self.maxAttachmentBytes, req.application.bearingConfig.maxUploadBytes) / (1024 * 1024),
            version: editing == nil ? nil : version, stale: stale)
        return Page.render(req, title: req.t(kind.labelKey), status: status) { PlanForm.view(model, $0) }
    }

    // MARK: Steps, events, files

    func step(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewSecurityPlans(in:by:))
        let kind = try Self.kind(req)
        guard let step = req.pathCode("step", as: PlanStore.Step.self) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        // Submitting and sending back are the writers'; approving is the senior manager's (checked by the store).
        if step != .approve
            && !AccessPolicy.canWriteSecurityPlans(in: context.operation.id, by: context.viewer)
        {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let version = try await Self.version(req, context, kind)
        do {
            _ = try await PlanStore(req.db).move(
                version.id, step, by: context.current.user.id,
                approverAuthorities: try await PhaseStore(req.db).authorities(
                    of: context.current.user.id, role: context.role, in: context.operation.id),
                in: context.operation.id, now: req.now)
        } catch let error as DomainError where error.kind != .notFound {
            return try await renderPlan(req, error: req.message(error), status: error.httpStatus)
        }
        Page.flash("plans.moved_\(step.rawValue)", on: req)
        return req.redirect(to: SiteURL.plan(.value(context.operation.code), .value(kind)).path)
    }

    struct EventForm: Content {
        var event: String?; var occurredOn: String?; var rsc: String?; var gsu: String?; var note: String?
        enum CodingKeys: String, CodingKey { case event, rsc, gsu, note; case occurredOn = "occurred_on" }
    }

    func recordEvent(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canWriteSecurityPlans(in:by:))
        let kind = try Self.kind(req)
        let form = try req.content.decode(EventForm.self)
        guard let event = PlanEventRecord.Event(rawValue: form.event ?? "") else {
            throw PageError(.badRequest, key: "error.bad_request")
        }
        do {
            guard let day = DateText.day(form.occurredOn ?? "") else {
                var errors = ValidationErrors()
                errors.add("occurred_on", key: "error.date", "Use a date like 2026-11-23.")
                throw errors
            }
            let rules = try await SettingsStore(req.db).load(PlanSettings.self, operationID: context.operation.id).rules
            _ = try await PlanStore(req.db).record(
                event, of: kind, on: day,
                approvers: [.regionalSecurityCoordinator: form.rsc ?? "", .globalSecurityUnit: form.gsu ?? ""],
                note: form.note ?? "", rules: rules, in: context.operation.id, actorID: context.current.user.id,
                now: req.now)
        } catch let errors as ValidationErrors {
            return try await renderPlan(
                req, error: errors.messages(in: req).values.sorted().joined(separator: " "),
                status: .unprocessableEntity)
        }
        Page.flash("plans.recorded", on: req)
        return req.redirect(to: SiteURL.plan(.value(context.operation.code), .value(kind)).path)
    }

    /// A document, to those who may read the plans; sent as a download, never shown inline.
    func download(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req, requiring: AccessPolicy.canViewSecurityPlans(in:by:))
        guard let id = req.pathID(as: PlanAttachmentID.self),
            let file = try await PlanStore(req.db).attachment(id, in: context.operation.id)
        else { throw PageError(.notFound, key: "error.not_found") }
        let path = (Self.attachmentDirectory(req) as NSString).appendingPathComponent(file.sha256)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: file.contentType)
        let ascii = String(file.filename.unicodeScalars.map { $0.isASCII && $0 != "\\" ? Character($0) : "_" })
        let encoded = file.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "document"
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    // MARK: Access and paths

    static func kind(_ req: Request) throws -> SecurityPlanKind {
        guard let kind = req.pathCode("kind", as: SecurityPlanKind.self) else {
            throw PageError(.notFound, key: "error.not_found")
        }
        return kind
    }

    static func version(_ req: Request, _ context: OperationContext, _ kind: SecurityPlanKind) async throws
        -> PlanVersionRecord
    {
        guard let id = req.pathID("version", as: PlanVersionID.self),
            let version = try await PlanStore(req.db).version(id, in: context.operation.id), version.kind == kind
        else { throw PageError(.notFound, key: "error.not_found") }
        return version
    }
}
