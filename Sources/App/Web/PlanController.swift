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

    struct IndexContext: Encodable { let code: String; let rows: HTMLFragment; let overdue: Int; let canWrite: Bool; let settings: Bool }

    func index(_ req: Request) async throws -> Response {
        let context = try await Self.requireReader(req)
        let operationID = context.operation.id
        let store = PlanStore(req.db)
        let current = try await store.current(in: operationID)
        let deadlines = try await Self.deadlines(context, req)
        var rows = HTMLFragment()
        var overdue = 0
        for kind in SecurityPlanKind.allCases {
            let entry = current[kind]
            rows.markup("<tr id=\"plan-")
            rows.text(kind.rawValue)
            rows.markup("\"><td><a href=\"/operations/")
            rows.text(context.operation.code)
            rows.markup("/plans/")
            rows.text(kind.rawValue)
            rows.markup("\">")
            rows.text(req.t(kind.labelKey))
            rows.markup("</a></td><td>")
            if let approved = entry?.approved {
                rows.text(req.t("plans.version_n").replacingOccurrences(of: "{count}", with: String(approved.version)))
                rows.markup(" · <span dir=\"ltr\">")
                rows.text(approved.approvedAt.map(DateText.day) ?? "")
                rows.markup("</span>")
            } else {
                rows.text(req.t("plans.none_approved"))
            }
            rows.markup("</td><td>")
            if let open = entry?.open {
                rows.text(req.t("plans.version_n").replacingOccurrences(of: "{count}", with: String(open.version)))
                rows.markup(" · ")
                rows.text(req.t(open.status.labelKey))
            } else {
                rows.text("—")
            }
            rows.markup("</td><td><ul class=\"plain\">")
            overdue += (deadlines[kind] ?? []).filter { $0.state == .overdue }.count
            Self.deadlineItems(deadlines[kind] ?? [], req, into: &rows)
            rows.markup("</ul></td></tr>")
        }
        return try await Page.render("plans", IndexContext(
            code: context.operation.code, rows: rows, overdue: overdue,
            canWrite: AccessPolicy.canWriteSecurityPlans(in: operationID.uuidString, by: context.viewer),
            settings: AccessPolicy.canEditSecuritySettings(in: operationID.uuidString, by: context.viewer)),
            title: req.t("plans.title"), for: req)
    }

    /// Every plan's deadlines now, from the operation's start, the phase changes in force, the
    /// plans' approvals and reviews, and the operation's plan rules.
    static func deadlines(_ context: OperationContext, _ req: Request, now: Date = Date()) async throws -> [SecurityPlanKind: [PlanDeadline]] {
        let operationID = context.operation.id
        let rules = try await SettingsStore(req.db).load(PlanSettings.self, operationID: operationID).rules
        let start = context.operation.startDate.flatMap(DateText.day) ?? context.operation.createdAt
        let phaseChanges = try await PhaseStore(req.db).history(in: operationID, limit: 1_000).compactMap(\.inForceAt)
        var result: [SecurityPlanKind: [PlanDeadline]] = [:]
        for history in try await PlanStore(req.db).histories(in: operationID) {
            result[history.kind] = PlanClock.deadlines(for: history, operationStart: start, phaseChanges: phaseChanges, now: now, rules: rules)
        }
        return result
    }

    /// A plan's clocks as list items: what is due, its state, when; overdue ones marked.
    static func deadlineItems(_ deadlines: [PlanDeadline], _ req: Request, into out: inout HTMLFragment) {
        for deadline in deadlines {
            out.markup(deadline.state == .overdue ? "<li class=\"overdue\">" : "<li>")
            out.text(req.t(deadline.kind.labelKey))
            out.markup(": <strong>")
            out.text(req.t(deadline.state.labelKey))
            out.markup("</strong> <span dir=\"ltr\">")
            out.text(DateText.day(deadline.dueAt))
            out.markup("</span></li>")
        }
    }

    // MARK: One plan

    struct PlanContext: Encodable {
        let code: String; let kind: String; let name: String; let versions: HTMLFragment; let current: HTMLFragment; let hasCurrent: Bool
        let events: HTMLFragment; let hasEvents: Bool; let canWrite: Bool; let canNew: Bool; let yearly: Bool; let today: String
        let deadlines: HTMLFragment; let error: String?
    }

    func show(_ req: Request) async throws -> Response { try await renderPlan(req, error: nil) }

    func renderPlan(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let context = try await Self.requireReader(req)
        let kind = try Self.kind(req)
        let operationID = context.operation.id
        let store = PlanStore(req.db)
        let versions = try await store.versions(of: kind, in: operationID)
        let attachments = Dictionary(grouping: try await store.attachments(of: versions.map(\.id)), by: \.versionID)
        let canWrite = AccessPolicy.canWriteSecurityPlans(in: operationID.uuidString, by: context.viewer)
        let held = try await PhaseStore(req.db).authorities(of: context.current.user.id, role: context.role, in: operationID)
        let code = context.operation.code
        var names: [UUID: String] = [:]
        for id in Set(versions.flatMap { [$0.createdBy, $0.approvedBy, $0.submittedBy].compactMap { $0 } }) {
            names[id] = try await UserStore(req.db).find(id: id)?.displayName
        }
        let csrf = CSRFMiddleware.token(for: req)
        var list = HTMLFragment()
        for version in versions {
            list.markup("<li id=\"version-")
            list.text(version.version)
            list.markup("\"><strong>")
            list.text(req.t("plans.version_n").replacingOccurrences(of: "{count}", with: String(version.version)))
            list.markup("</strong> · ")
            list.text(req.t(version.status.labelKey))
            list.markup(" · ")
            list.text(version.createdBy.flatMap { names[$0] } ?? "—")
            list.markup(" <span dir=\"ltr\">")
            list.text(DateText.minute(version.createdAt))
            list.markup("</span>")
            if let approvedAt = version.approvedAt {
                list.markup(" · ")
                list.text(req.t("plans.approved_by"))
                list.markup(" ")
                list.text(version.approvedBy.flatMap { names[$0] } ?? "—")
                list.markup(" <span dir=\"ltr\">")
                list.text(DateText.minute(approvedAt))
                list.markup("</span>")
            }
            for file in attachments[version.id] ?? [] {
                list.markup("<br><a href=\"/operations/")
                list.text(code)
                list.markup("/plans/attachments/")
                list.text(file.id.uuidString)
                list.markup("\" download>")
                list.text(file.filename)
                list.markup("</a> <small dir=\"ltr\">(")
                list.text(Self.size(file.size))
                list.markup(")</small>")
            }
            func action(_ step: PlanStore.Step, _ label: String, primary: Bool = false) {
                list.markup(" <form method=\"post\" class=\"inline\" action=\"/operations/")
                list.text(code)
                list.markup("/plans/")
                list.text(kind.rawValue)
                list.markup("/versions/")
                list.text(version.id.uuidString)
                list.markup("/")
                list.text(step.rawValue)
                list.markup("\"><input type=\"hidden\" name=\"_csrf\" value=\"")
                list.text(csrf)
                list.markup(primary ? "\"><button type=\"submit\" class=\"primary\">" : "\"><button type=\"submit\">")
                list.text(req.t(label))
                list.markup("</button></form>")
            }
            if version.status == .draft && canWrite {
                list.markup(" <a class=\"button\" href=\"/operations/")
                list.text(code)
                list.markup("/plans/")
                list.text(kind.rawValue)
                list.markup("/versions/")
                list.text(version.id.uuidString)
                list.markup("/edit\">")
                list.text(req.t("form_edit"))
                list.markup("</a>")
                action(.submit, "plans.submit")
            }
            if version.status == .inReview {
                if canWrite { action(.sendBack, "plans.send_back") }
                if held.contains(.seniorManager) && version.createdBy != context.current.user.id { action(.approve, "plans.approve", primary: true) }
            }
            list.markup("</li>")
        }
        // The version in force, or the newest if none is approved yet.
        let shown = versions.first { $0.status == .approved } ?? versions.first
        var current = HTMLFragment()
        if let shown {
            let sites = try await Self.sites(context, req)
            let phases = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: operationID).rules.phases
            Self.content(shown, sites: sites, phases: phases, req: req, into: &current)
        }
        var events = HTMLFragment()
        var eventNames: [UUID: String] = [:]
        let recorded = try await store.events(of: kind, in: operationID)
        for event in recorded {
            if let by = event.recordedBy, eventNames[by] == nil { eventNames[by] = try await UserStore(req.db).find(id: by)?.displayName }
            events.markup("<li><span dir=\"ltr\">")
            events.text(DateText.day(event.occurredOn))
            events.markup("</span> · <strong>")
            events.text(req.t("plan_event.\(event.event.rawValue)"))
            events.markup("</strong>")
            for (who, name) in event.approvers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                events.markup(" · ")
                events.text(req.t("phase_recipient.\(who.rawValue)"))
                events.markup(": ")
                events.text(name)
            }
            if !event.note.isEmpty {
                events.markup(" — ")
                events.text(event.note)
            }
            events.markup(" <small>(")
            events.text(event.recordedBy.flatMap { eventNames[$0] } ?? "—")
            events.markup(")</small></li>")
        }
        var deadlines = HTMLFragment()
        Self.deadlineItems(try await Self.deadlines(context, req)[kind] ?? [], req, into: &deadlines)
        let rules = try await SettingsStore(req.db).load(PlanSettings.self, operationID: operationID).rules
        return try await Page.render("plan", PlanContext(
            code: code, kind: kind.rawValue, name: req.t(kind.labelKey), versions: list, current: current, hasCurrent: shown != nil,
            events: events, hasEvents: !recorded.isEmpty, canWrite: canWrite,
            canNew: canWrite && !versions.contains { $0.status == .draft || $0.status == .inReview },
            yearly: rules.yearlyApproval.contains(kind), today: DateText.day(Date()), deadlines: deadlines, error: error),
            title: req.t(kind.labelKey), for: req, status: status)
    }

    /// A version's text and structured part.
    static func content(_ version: PlanVersionRecord, sites: [SiteRow], phases: [String], req: Request, into out: inout HTMLFragment) {
        out.markup("<p><strong>")
        out.text(req.t("plans.version_n").replacingOccurrences(of: "{count}", with: String(version.version)))
        out.markup("</strong> · ")
        out.text(req.t(version.status.labelKey))
        out.markup("</p>")
        if !version.draft.content.isEmpty {
            out.markup("<div class=\"plan-text\" dir=\"auto\">")
            out.append(RichText.html(version.draft.content))
            out.markup("</div>")
        }
        if let plan = version.draft.relocation {
            out.markup("<dl class=\"facts\"><dt>")
            out.text(req.t("plans.assembly_points"))
            out.markup("</dt><dd><ul class=\"plain\">")
            for id in plan.assemblyPointIDs {
                out.markup("<li>")
                // A site the reader may not see is named only as a site, never by its name.
                out.text(sites.first { $0.id == id }?.name ?? req.t("plans.site_not_visible"))
                out.markup("</li>")
            }
            out.markup("</ul></dd>")
            func fact(_ label: String, _ value: String) {
                guard !value.isEmpty else { return }
                out.markup("<dt>")
                out.text(req.t(label))
                out.markup("</dt><dd class=\"notes\" dir=\"auto\">")
                out.text(value)
                out.markup("</dd>")
            }
            fact("plans.routes", plan.routes.joined(separator: "\n"))
            // In the order of the phases, lowest first; a phase no longer in the rules last.
            let triggers = plan.triggers.sorted { (phases.firstIndex(of: $0.key) ?? .max, $0.key) < (phases.firstIndex(of: $1.key) ?? .max, $1.key) }
            fact("plans.triggers", triggers.map { "\(PhaseController.phaseLabel($0.key, req)): \($0.value)" }.joined(separator: "\n"))
            fact("plans.who_goes", plan.whoGoes)
            fact("plans.who_stays", plan.whoStays)
            fact("plans.transport", plan.transport)
            out.markup("</dl>")
        }
        if let plan = version.draft.cim, !plan.team.isEmpty {
            out.markup("<table class=\"list\" id=\"cim-team\">")
            out.tableHead([req.t("field_name"), req.t("plans.team_role"), req.t("field_contact_phone"), req.t("field_email")])
            out.markup("<tbody>")
            for member in plan.team {
                out.markup("<tr><td>")
                out.text(member.name)
                out.markup("</td><td>")
                out.text(member.role)
                out.markup("</td><td dir=\"ltr\">")
                out.text(member.phone)
                out.markup("</td><td dir=\"ltr\">")
                out.text(member.email)
                out.markup("</td></tr>")
            }
            out.markup("</tbody></table>")
        }
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

    struct FormContext: Encodable {
        let code: String; let kind: String; let name: String; let action: String; let content: String; let relocation: Bool; let cim: Bool
        let sites: HTMLFragment; let routes: String; let triggers: HTMLFragment; let whoGoes: String; let whoStays: String
        let transport: String; let team: HTMLFragment; let errors: [String: String]; let maxMB: Int
        /// The version the form is based on, and what someone else saved when a save came too late.
        let version: String?; let stale: StaleNotice?
    }

    /// A plan version's parts as the form shows them, to compare two versions field by field.
    struct Fields: Encodable {
        let content: String; let assemblyPoints: [String]; let routes: [String]; let triggers: [String: String]
        let whoGoes: String; let whoStays: String; let transport: String; let team: [String]
        init(_ draft: PlanDraft) {
            content = draft.content
            assemblyPoints = draft.relocation?.assemblyPointIDs.map(\.uuidString) ?? []
            routes = draft.relocation?.routes ?? []; triggers = draft.relocation?.triggers ?? [:]
            whoGoes = draft.relocation?.whoGoes ?? ""; whoStays = draft.relocation?.whoStays ?? ""; transport = draft.relocation?.transport ?? ""
            team = draft.cim?.team.map { [$0.name, $0.role, $0.phone, $0.email].filter { !$0.isEmpty }.joined(separator: " · ") } ?? []
        }
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await Self.requireWriter(req)
        let kind = try Self.kind(req)
        let latest = try await PlanStore(req.db).versions(of: kind, in: context.operation.id).first
        return try await renderForm(req, context, kind: kind, draft: latest?.draft ?? PlanDraft(kind: kind, content: ""), editing: nil, errors: [:])
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await Self.requireWriter(req)
        let kind = try Self.kind(req)
        let form = try req.content.decode(VersionForm.self)
        let draft = Self.draft(form, kind: kind)
        do {
            let file = try Self.checkedFile(form.file, req)
            let valid = try await validate(draft, context, req, hasFile: file != nil)
            let version = try await PlanStore(req.db).createDraft(valid, in: context.operation.id, actorID: context.current.user.id)
            if let file { try await attach(file, to: version.id, context, req) }
            Page.flash("plans.saved", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/plans/\(kind.rawValue)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, context, kind: kind, draft: draft, editing: nil, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let context = try await Self.requireWriter(req)
        let kind = try Self.kind(req)
        let version = try await Self.version(req, context, kind)
        return try await renderForm(req, context, kind: kind, draft: version.draft, editing: version.id, errors: [:],
                                    version: try await PlanStore(req.db).editVersion(version.id))
    }

    func update(_ req: Request) async throws -> Response {
        let context = try await Self.requireWriter(req)
        let kind = try Self.kind(req)
        let version = try await Self.version(req, context, kind)
        let form = try req.content.decode(VersionForm.self)
        let draft = Self.draft(form, kind: kind)
        do {
            let file = try Self.checkedFile(form.file, req)
            let existing = try await PlanStore(req.db).attachments(of: [version.id])
            let valid = try await validate(draft, context, req, hasFile: file != nil || !existing.isEmpty)
            _ = try await PlanStore(req.db).updateDraft(version.id, with: valid, in: context.operation.id, actorID: context.current.user.id,
                                                        expecting: form.version ?? "")
            if let file { try await attach(file, to: version.id, context, req) }
            Page.flash("plans.saved", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/plans/\(kind.rawValue)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, context, kind: kind, draft: draft, editing: version.id, errors: errors.messages(in: req),
                                        version: form.version, status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let stored = try await Self.version(req, context, kind)
            return try await renderForm(req, context, kind: kind, draft: draft, editing: version.id, errors: [:],
                                        version: try await PlanStore(req.db).editVersion(version.id),
                                        stale: StaleNotice(stored: Fields(stored.draft), submitted: Fields(draft), strings: req.strings), status: .conflict)
        }
    }

    /// The draft checked against the operation's sites and phases; a plan may be only a document.
    func validate(_ draft: PlanDraft, _ context: OperationContext, _ req: Request, hasFile: Bool) async throws -> PlanDraft {
        let sites = try await Self.sites(context, req)
        let phases = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: context.operation.id).rules.phases
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
            errors.add("file", key: "error.attachment_size", "\(file.filename) is \(size(Int64(data.count))); the limit is \(size(Int64(limit))).")
            throw errors
        }
        do {
            return (file.filename, try AttachmentType.check(filename: file.filename, data: data), data)
        } catch .unsupported(let ext) {
            errors.add("file", key: "error.attachment_type", "\(file.filename): .\(ext) is not accepted; attach a PDF or a Word (.docx) document.")
        } catch .mismatch(let expected) {
            errors.add("file", key: "error.attachment_mismatch", "\(file.filename) is named .\(expected.rawValue) but its content is not a \(expected.rawValue.uppercased()) document.")
        } catch .empty {
            errors.add("file", key: "error.attachment_empty", "\(file.filename) is empty.")
        }
        throw errors
    }

    func attach(_ file: (name: String, type: AttachmentType, data: Data), to versionID: UUID, _ context: OperationContext, _ req: Request) async throws {
        _ = try await PlanStore(req.db).attach(
            filename: file.name, contentType: file.type.contentType, data: file.data, to: versionID, in: context.operation.id,
            directory: Self.attachmentDirectory(req), actorID: context.current.user.id)
    }

    static func attachmentDirectory(_ req: Request) -> String {
        (req.application.bearingConfig.dataDirectory as NSString).appendingPathComponent("attachments")
    }

    static func draft(_ form: VersionForm, kind: SecurityPlanKind) -> PlanDraft {
        var draft = PlanDraft(kind: kind, content: form.content ?? "")
        if kind == .relocation {
            draft.relocation = RelocationPlan(
                assemblyPointIDs: (form.assemblyPoints ?? []).compactMap(UUID.init(uuidString:)),
                routes: (form.routes ?? "").split(whereSeparator: \.isNewline).map(String.init), triggers: form.triggers ?? [:],
                whoGoes: form.whoGoes ?? "", whoStays: form.whoStays ?? "", transport: form.transport ?? "")
        }
        if kind == .criticalIncidentManagement {
            draft.cim = CIMPlan(team: form.teamRows.map {
                CIMPlan.Member(name: $0.name ?? "", role: $0.role ?? "", phone: $0.phone ?? "", email: $0.email ?? "")
            })
        }
        return draft
    }

    func renderForm(
        _ req: Request, _ context: OperationContext, kind: SecurityPlanKind, draft: PlanDraft, editing: UUID?, errors: [String: String],
        version: String? = nil, stale: StaleNotice? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let code = context.operation.code
        var sites = HTMLFragment()
        var triggers = HTMLFragment()
        var team = HTMLFragment()
        if kind == .relocation {
            let chosen = Set(draft.relocation?.assemblyPointIDs ?? [])
            for site in try await Self.sites(context, req) {
                sites.markup("<label class=\"check\"><input type=\"checkbox\" name=\"assembly_points[]\" value=\"")
                sites.text(site.id.uuidString)
                sites.markup(chosen.contains(site.id) ? "\" checked> " : "\"> ")
                sites.text(site.name)
                sites.markup("</label>")
            }
            let phases = try await SettingsStore(req.db).load(PhaseSettings.self, operationID: context.operation.id).rules.phases
            for phase in phases {
                triggers.markup("<label>")
                triggers.text(PhaseController.phaseLabel(phase, req))
                triggers.markup(" <textarea rows=\"2\" name=\"triggers[")
                triggers.text(phase)
                triggers.markup("]\">")
                triggers.text(draft.relocation?.triggers[phase] ?? "")
                triggers.markup("</textarea></label>")
            }
        }
        if kind == .criticalIncidentManagement {
            let members = (draft.cim?.team ?? []) + Array(repeating: CIMPlan.Member(name: "", role: "", phone: ""), count: 2)
            for (i, member) in members.enumerated() {
                team.markup("<fieldset class=\"measure\"><legend>")
                team.text(req.t("plans.member_n").replacingOccurrences(of: "{count}", with: String(i + 1)))
                team.markup("</legend>")
                for (field, label, value, ltr) in [("name", "field_name", member.name, false), ("role", "plans.team_role", member.role, false),
                                                   ("phone", "field_contact_phone", member.phone, true), ("email", "field_email", member.email, true)] {
                    team.markup("<label>")
                    team.text(req.t(label))
                    team.markup(ltr ? " <input dir=\"ltr\" name=\"" : " <input name=\"")
                    team.text("team[\(i)][\(field)]")
                    team.markup("\" value=\"")
                    team.text(value)
                    team.markup("\"></label>")
                }
                if let error = errors["team[\(i)]"] {
                    team.markup("<p class=\"field-error\">")
                    team.text(error)
                    team.markup("</p>")
                }
                team.markup("</fieldset>")
            }
        }
        let relocation = draft.relocation ?? RelocationPlan()
        return try await Page.render("plan-form", FormContext(
            code: code, kind: kind.rawValue, name: req.t(kind.labelKey),
            action: editing.map { "/operations/\(code)/plans/\(kind.rawValue)/versions/\($0.uuidString)/edit" } ?? "/operations/\(code)/plans/\(kind.rawValue)",
            content: draft.content, relocation: kind == .relocation, cim: kind == .criticalIncidentManagement, sites: sites,
            routes: relocation.routes.joined(separator: "\n"), triggers: triggers, whoGoes: relocation.whoGoes, whoStays: relocation.whoStays,
            transport: relocation.transport, team: team, errors: errors,
            maxMB: min(Self.maxAttachmentBytes, req.application.bearingConfig.maxUploadBytes) / (1024 * 1024),
            version: editing == nil ? nil : version, stale: stale),
            title: req.t(kind.labelKey), for: req, status: status)
    }

    // MARK: Steps, events, files

    func step(_ req: Request) async throws -> Response {
        let context = try await Self.requireReader(req)
        let kind = try Self.kind(req)
        guard let step = req.parameters.get("step").flatMap(PlanStore.Step.init(rawValue:)) else { throw PageError(.notFound, key: "error.not_found") }
        // Submitting and sending back are the writers'; approving is the senior manager's (checked by the store).
        if step != .approve && !AccessPolicy.canWriteSecurityPlans(in: context.operation.id.uuidString, by: context.viewer) {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        let version = try await Self.version(req, context, kind)
        do {
            _ = try await PlanStore(req.db).move(
                version.id, step, by: context.current.user.id,
                approverAuthorities: try await PhaseStore(req.db).authorities(of: context.current.user.id, role: context.role, in: context.operation.id),
                in: context.operation.id)
        } catch let error as DomainError where error.kind != .notFound {
            return try await renderPlan(req, error: PhaseController.message(error, req), status: error.httpStatus)
        }
        Page.flash("plans.moved_\(step.rawValue)", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)/plans/\(kind.rawValue)")
    }

    struct EventForm: Content {
        var event: String?; var occurredOn: String?; var rsc: String?; var gsu: String?; var note: String?
        enum CodingKeys: String, CodingKey { case event, rsc, gsu, note; case occurredOn = "occurred_on" }
    }

    func recordEvent(_ req: Request) async throws -> Response {
        let context = try await Self.requireWriter(req)
        let kind = try Self.kind(req)
        let form = try req.content.decode(EventForm.self)
        guard let event = PlanEventRecord.Event(rawValue: form.event ?? "") else { throw PageError(.badRequest, key: "error.bad_request") }
        do {
            guard let day = DateText.time(form.occurredOn ?? "") else {
                var errors = ValidationErrors()
                errors.add("occurred_on", key: "error.date", "Use a date like 2026-11-23.")
                throw errors
            }
            let rules = try await SettingsStore(req.db).load(PlanSettings.self, operationID: context.operation.id).rules
            _ = try await PlanStore(req.db).record(event, of: kind, on: day,
                                                   approvers: [.regionalSecurityCoordinator: form.rsc ?? "", .globalSecurityUnit: form.gsu ?? ""],
                                                   note: form.note ?? "", rules: rules, in: context.operation.id, actorID: context.current.user.id)
        } catch let errors as ValidationErrors {
            return try await renderPlan(req, error: errors.messages(in: req).values.sorted().joined(separator: " "), status: .unprocessableEntity)
        }
        Page.flash("plans.recorded", on: req)
        return req.redirect(to: "/operations/\(context.operation.code)/plans/\(kind.rawValue)")
    }

    /// A document, to those who may read the plans; sent as a download, never shown inline.
    func download(_ req: Request) async throws -> Response {
        let context = try await Self.requireReader(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let file = try await PlanStore(req.db).attachment(id, in: context.operation.id) else { throw PageError(.notFound, key: "error.not_found") }
        let path = (Self.attachmentDirectory(req) as NSString).appendingPathComponent(file.sha256)
        guard let data = FileManager.default.contents(atPath: path) else { throw PageError(.notFound, key: "error.not_found") }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: file.contentType)
        let ascii = String(file.filename.unicodeScalars.map { $0.isASCII && $0 != "\\" ? Character($0) : "_" })
        let encoded = file.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "document"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    // MARK: Access and paths

    static func requireReader(_ req: Request) async throws -> OperationContext {
        let context = try await OperationContext.load(req)
        guard AccessPolicy.canViewSecurityPlans(in: context.operation.id.uuidString, by: context.viewer) else {
            // Members who may not read the plans are told so; others do not learn the operation exists.
            throw PageError(context.role == nil ? .notFound : .forbidden, key: context.role == nil ? "error.not_found" : "error.forbidden")
        }
        return context
    }

    static func requireWriter(_ req: Request) async throws -> OperationContext {
        let context = try await requireReader(req)
        guard AccessPolicy.canWriteSecurityPlans(in: context.operation.id.uuidString, by: context.viewer) else {
            throw PageError(.forbidden, key: "error.forbidden")
        }
        return context
    }

    /// The operation's sites the viewer may see: assembly points are chosen among them.
    static func sites(_ context: OperationContext, _ req: Request) async throws -> [SiteRow] {
        guard let scope = context.scope else { return [] }
        return try await SiteStore(req.db).all(in: scope)
    }

    static func kind(_ req: Request) throws -> SecurityPlanKind {
        guard let kind = req.parameters.get("kind").flatMap(SecurityPlanKind.init(rawValue:)) else { throw PageError(.notFound, key: "error.not_found") }
        return kind
    }

    static func version(_ req: Request, _ context: OperationContext, _ kind: SecurityPlanKind) async throws -> PlanVersionRecord {
        guard let id = req.parameters.get("version").flatMap(UUID.init(uuidString:)),
              let version = try await PlanStore(req.db).version(id, in: context.operation.id), version.kind == kind
        else { throw PageError(.notFound, key: "error.not_found") }
        return version
    }

    static func size(_ bytes: Int64) -> String {
        bytes >= 1_048_576 ? "\(DecimalText.fixed(Double(bytes) / 1_048_576, digits: 1)) MB" : "\(max(1, (bytes + 1023) / 1024)) KB"
    }
}
