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
                .init(id: $0.id, number: $0.number, title: $0.title, serious: $0.serious, category: $0.category, occurredAt: $0.occurredAt,
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
        let due = try await store.awaitingRegionalReport(in: scope, limit: page.offset + page.perPage + 1)
        let shown = due.dropFirst(page.offset).prefix(page.perPage)
        let hasMore = due.count > page.offset + page.perPage
        // Everything up to this page was read: counted only when there is more after it.
        let total = hasMore ? try await store.countAwaitingRegionalReport(in: scope) : due.count
        let now = req.now
        let model = IncidentsDue.Model(
            code: context.operation.code, items: shown.map { $0.dueItem(at: now) }, total: total, page: page.page, hasMore: hasMore)
        return Page.render(req, title: req.t("incidents.awaiting")) { IncidentsDue.view(model, $0) }
    }

    // MARK: Report

    struct FormValues: Encodable {
        var title = ""; var description = ""; var category = ""; var subtype = ""; var occurredAt = ""; var timePrecision = "minute"
        var knownAt = ""; var latitude = ""; var longitude = ""; var areaPcode = ""; var placeName = ""; var geoPrecision = "exact"
        var locationType = "unknown"; var affected: [String] = []; var casualties: [String: String] = [:]; var actorType = "unknown"
        var actorName = ""; var means = "unknown"; var context = "unknown"; var motive = "unknown"; var severity = "moderate"
        var seriousInjury = false; var particularlySensitive = false; var nearMiss = false; var immediateActions = ""
        var proceduresFollowed = ""; var verification = "unverified"; var source = "staff_report"; var reporterHidden = false
        var audience = AudienceLevel.ifrcOnly.rawValue; var followUp: [FollowUpRow] = []
    }

    /// One follow-up row of the form: what, who, by when, and whether it is done.
    struct FollowUpRow: Content {
        var action: String?; var owner: String?; var due: String?; var done: String?
        var isBlank: Bool { [action, owner, due].allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty } }
    }

    /// The rows a form shows: those given, and blank ones to add more (one on a new report, to
    /// keep the phone form short; two when editing).
    static func formRows(_ rows: [FollowUpRow], blanks: Int) -> [FollowUpRow] {
        rows.filter { !$0.isBlank } + Array(repeating: FollowUpRow(), count: blanks)
    }

    struct IncidentForm: Content {
        var title: String?; var description: String?; var category: String?; var subtype: String?; var occurredAt: String?
        var timePrecision: String?; var knownAt: String?; var latitude: String?; var longitude: String?; var areaPcode: String?
        var placeName: String?; var geoPrecision: String?; var locationType: String?; var affected: [String]?
        var casualties: [String: String]?; var actorType: String?; var actorName: String?; var means: String?; var context: String?
        var motive: String?; var severity: String?; var seriousInjury: String?; var particularlySensitive: String?
        var nearMiss: String?; var immediateActions: String?; var proceduresFollowed: String?; var verification: String?
        var source: String?; var reporterHidden: String?; var audience: String?; var version: String?
        /// Set by the form when it offered the reporter_hidden box: only then does an absent box mean "no".
        var reporterHiddenOffered: String?
        /// `follow_up[0][action]`, `follow_up[0][owner]`, `follow_up[0][due]`, `follow_up[0][done]`, … by row number.
        var followUp: [String: FollowUpRow]?

        /// The follow-up rows in the order the form numbered them.
        var followUpRows: [FollowUpRow] {
            (followUp ?? [:]).compactMap { key, row in Int(key).map { ($0, row) } }.sorted { $0.0 < $1.0 }.map(\.1)
        }

        enum CodingKeys: String, CodingKey {
            case title, description, category, subtype, latitude, longitude, affected, casualties, means, context, motive, severity
            case verification, source, audience, version
            case occurredAt = "occurred_at", timePrecision = "time_precision", knownAt = "known_at", areaPcode = "area_pcode"
            case placeName = "place_name", geoPrecision = "geo_precision", locationType = "location_type", actorType = "actor_type"
            case actorName = "actor_name", seriousInjury = "serious_injury", particularlySensitive = "particularly_sensitive"
            case nearMiss = "near_miss", immediateActions = "immediate_actions", proceduresFollowed = "procedures_followed"
            case reporterHidden = "reporter_hidden", reporterHiddenOffered = "reporter_hidden_offered", followUp = "follow_up"
        }
    }

    struct Option: Encodable { let value: String; let label: String; let selected: Bool }
    struct CasualtyRow: Encodable { let label: String; let cells: [CasualtyCell] }
    struct CasualtyCell: Encodable { let name: String; let label: String; let value: String }
    struct FormContext: Encodable {
        let code: String; let action: String; let isNew: Bool; let values: FormValues; let errors: [String: String]; let hasErrors: Bool
        let categories: HTMLFragment; let subtypes: HTMLFragment; let timePrecisions: HTMLFragment; let geoPrecisions: HTMLFragment
        let locationTypes: HTMLFragment; let actorTypes: HTMLFragment; let means: HTMLFragment; let contexts: HTMLFragment
        let motives: HTMLFragment; let severities: HTMLFragment; let verifications: HTMLFragment; let sources: HTMLFragment
        let audiences: HTMLFragment; let procedures: HTMLFragment; let affected: [Option]; let casualtyRows: [CasualtyRow]
        let casualtyError: String?; let followUpRows: HTMLFragment
        /// Whether the form may offer the reporter_hidden box: not to others once the reporter hid.
        let offersReporterHidden: Bool
        /// The version the form is based on, and what someone else saved when a save came too late.
        let version: String; let stale: StaleNotice?
    }

    func new(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        guard context.canCreateRecords else { throw PageError(.forbidden, key: "error.forbidden") }
        var values = FormValues()
        values.occurredAt = DateText.formTime(Date())
        return try await renderForm(req, context, values: values, errors: [:])
    }

    func create(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        _ = try context.requireScope()
        guard context.canCreateRecords else { throw PageError(.forbidden, key: "error.forbidden") }
        let form = try req.content.decode(IncidentForm.self)
        let values = Self.values(form)
        do {
            let draft = try await IncidentPlacement.placed(try Self.draft(form).validated(), in: context, req)
            let access = RecordAccess(operationID: context.operation.id.uuidString, audience: draft.audience,
                                      createdBy: context.current.user.id.uuidString, namedRoles: AccessPolicy.rolesNamedOnIncident(audience: draft.audience))
            guard AccessPolicy.canCreate(access, by: context.viewer) else { throw PageError(.forbidden, key: "error.audience_self") }
            let incident = try await IncidentStore(req.db).create(
                draft, reporterID: context.current.user.id, in: context.operation.id, actorID: context.current.user.id)
            Page.flash("incidents.created", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/incidents/\(incident.id.uuidString)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, context, values: values, errors: Self.formMessages(errors, req), status: .unprocessableEntity)
        }
    }

    /// Field messages keyed as the form names its fields: the draft says `follow_up[2].owner`,
    /// the form `follow_up[2][owner]`.
    static func formMessages(_ errors: ValidationErrors, _ req: Request) -> [String: String] {
        var messages: [String: String] = [:]
        for (field, message) in errors.messages(in: req) {
            if field.hasPrefix("follow_up["), let dot = field.lastIndex(of: ".") {
                messages[String(field[..<dot]) + "[" + field[field.index(after: dot)...] + "]"] = message
            } else {
                messages[field] = message
            }
        }
        return messages
    }

    // MARK: Edit

    func edit(_ req: Request) async throws -> Response {
        let (context, _, incident) = try await loadForChange(req)
        guard AccessPolicy.canChange(incident.access, by: context.viewer) else { throw PageError(.forbidden, key: "error.forbidden") }
        return try await renderForm(req, context, values: Self.values(incident.draft), errors: [:], editing: incident.id,
                                    offersReporterHidden: Self.offersReporterHidden(incident, context.viewer),
                                    version: EditVersion.token(incident.updatedAt))
    }

    func update(_ req: Request) async throws -> Response {
        let (context, scope, incident) = try await loadForChange(req)
        guard AccessPolicy.canChange(incident.access, by: context.viewer) else { throw PageError(.forbidden, key: "error.forbidden") }
        let form = try req.content.decode(IncidentForm.self)
        let requested: Bool? = form.reporterHiddenOffered != nil || form.reporterHidden != nil ? form.reporterHidden != nil : nil
        guard let hidden = AccessPolicy.reporterHidden(requested: requested, stored: incident.draft.reporterHidden,
                                                       reporterID: incident.reporterID?.uuidString, by: context.viewer)
        else { throw PageError(.forbidden, key: "error.reporter_unhide") }
        do {
            var draft = try Self.draft(form)
            draft.reporterHidden = hidden
            // Fields this form does not carry (set through the API) stay as they are.
            draft.lessonsLearned = incident.draft.lessonsLearned
            draft.siteID = incident.draft.siteID
            draft = try await IncidentPlacement.placed(try draft.validated(), in: context, req)
            var after = incident
            after.draft = draft
            // Nobody may narrow an incident so far that they lose sight of it themselves.
            guard AccessPolicy.canView(after.access, by: context.viewer) else { throw PageError(.forbidden, key: "error.audience_self") }
            _ = try await IncidentStore(req.db).update(incident.id, with: draft, scope: scope, actorID: context.current.user.id,
                                                       expecting: form.version ?? "")
            Page.flash("incidents.updated", on: req)
            return req.redirect(to: "/operations/\(context.operation.code)/incidents/\(incident.id.uuidString)")
        } catch let errors as ValidationErrors {
            return try await renderForm(req, context, values: Self.values(form), errors: Self.formMessages(errors, req),
                                        editing: incident.id, offersReporterHidden: Self.offersReporterHidden(incident, context.viewer),
                                        version: form.version ?? "", status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            guard let stored = try await IncidentStore(req.db).find(incident.id, in: scope) else { throw PageError(.notFound, key: "error.not_found") }
            return try await renderForm(req, context, values: Self.values(form), errors: [:], editing: incident.id,
                                        offersReporterHidden: Self.offersReporterHidden(stored, context.viewer),
                                        version: EditVersion.token(stored.updatedAt),
                                        stale: StaleNotice(stored: Self.values(stored.draft), submitted: Self.values(form), strings: req.strings), status: .conflict)
        }
    }

    /// The form's values for a stored incident.
    static func values(_ d: IncidentDraft) -> FormValues {
        var casualties: [String: String] = [:]
        for (cell, count) in d.casualties.counts { casualties[cell.key] = String(count) }
        return FormValues(
            title: d.title, description: d.description ?? "", category: d.category.rawValue, subtype: d.subtype?.rawValue ?? "",
            occurredAt: DateText.formTime(d.occurredAt), timePrecision: d.timePrecision.rawValue, knownAt: d.knownAt.map(DateText.formTime) ?? "",
            latitude: d.latitude.map { String($0) } ?? "", longitude: d.longitude.map { String($0) } ?? "", areaPcode: d.areaPcode ?? "",
            placeName: d.placeName ?? "", geoPrecision: d.geoPrecision.rawValue, locationType: d.locationType.rawValue,
            affected: d.affected.map(\.rawValue), casualties: casualties, actorType: d.actorType.rawValue, actorName: d.actorName ?? "",
            means: d.means.rawValue, context: d.context.rawValue, motive: d.motive.rawValue, severity: d.severity.rawValue,
            seriousInjury: d.seriousInjury, particularlySensitive: d.particularlySensitive, nearMiss: d.nearMiss,
            immediateActions: d.immediateActions ?? "", proceduresFollowed: d.proceduresFollowed.map { $0 ? "yes" : "no" } ?? "",
            verification: d.verification.rawValue, source: d.source.rawValue, reporterHidden: d.reporterHidden,
            audience: d.audience.rawValue, followUp: formRows(d.followUpActions.map {
                FollowUpRow(action: $0.action, owner: $0.owner, due: $0.dueOn.map(DateText.day), done: $0.done ? "on" : nil)
            }, blanks: 2))
    }

    /// Anyone may hide a reporter; only the reporter may show their name again.
    static func offersReporterHidden(_ incident: IncidentRecord, _ viewer: Viewer) -> Bool {
        !incident.draft.reporterHidden || AccessPolicy.canUnhideReporter(reporterID: incident.reporterID?.uuidString, by: viewer)
    }

    func renderForm(_ req: Request, _ context: OperationContext, values: FormValues, errors: [String: String],
                    editing id: UUID? = nil, offersReporterHidden: Bool = true, version: String = "", stale: StaleNotice? = nil,
                    status: HTTPResponseStatus = .ok) async throws -> Response {
        func options<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ chosen: String, label: (T) -> String) -> HTMLFragment
        where T.RawValue == String {
            var html = HTMLFragment()
            html.options(T.allCases.map { (value: $0.rawValue, label: label($0), selected: $0.rawValue == chosen) })
            return html
        }
        // Sub-types grouped under their category, so the list stays short to scan on a phone.
        var subtypes = HTMLFragment()
        subtypes.markup("<option value=\"\">")
        subtypes.text(req.t("none_chosen"))
        subtypes.markup("</option>")
        for category in IncidentCategory.allCases {
            subtypes.markup("<optgroup label=\"")
            subtypes.text(req.t(category.labelKey))
            subtypes.markup("\">")
            subtypes.options(category.subtypes.map { (value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == values.subtype) })
            subtypes.markup("</optgroup>")
        }
        var categories = HTMLFragment()
        categories.markup("<option value=\"\">")
        categories.text(req.t("none_chosen"))
        categories.markup("</option>")
        categories.options(IncidentCategory.allCases.map { (value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == values.category) })
        var procedures = HTMLFragment()
        procedures.options([("", req.t("unknown"), values.proceduresFollowed.isEmpty), ("yes", req.t("yes"), values.proceduresFollowed == "yes"),
                            ("no", req.t("no"), values.proceduresFollowed == "no")])
        let casualtyRows = Casualties.Harm.allCases.map { harm in
            CasualtyRow(label: req.t(harm.labelKey), cells: Casualties.Nationality.allCases.flatMap { nationality in
                Casualties.Sex.allCases.map { sex in
                    let cell = Casualties.Cell(harm, nationality, sex)
                    return CasualtyCell(name: cell.key, label: "\(req.t(harm.labelKey)), \(req.t(nationality.labelKey)), \(req.t(sex.labelKey))",
                                        value: values.casualties[cell.key] ?? "")
                }
            })
        }
        // Follow-up rows: what, who, by when, done; each field named and its error beside it.
        var followUpRows = HTMLFragment()
        for (index, row) in values.followUp.enumerated() {
            let n = String(index)
            followUpRows.markup("<fieldset class=\"follow-up-row\"><legend>")
            followUpRows.text(req.t("field_follow_up") + " " + String(index + 1))
            followUpRows.markup("</legend>")
            for (field, labelKey, type, value) in [("action", "field_action", "text", row.action ?? ""), ("owner", "field_owner", "text", row.owner ?? ""),
                                                   ("due", "field_due", "date", row.due ?? "")] {
                let name = "follow_up[\(n)][\(field)]"
                followUpRows.markup("<label for=\"")
                followUpRows.text("follow_up_\(n)_\(field)")
                followUpRows.markup("\">")
                followUpRows.text(req.t(labelKey))
                followUpRows.markup("</label><input id=\"")
                followUpRows.text("follow_up_\(n)_\(field)")
                followUpRows.markup("\" name=\"")
                followUpRows.text(name)
                followUpRows.markup("\" type=\"")
                followUpRows.text(type)
                followUpRows.markup("\" value=\"")
                followUpRows.text(value)
                followUpRows.markup("\">")
                if let message = errors[name] {
                    followUpRows.markup("<p class=\"field-error\">")
                    followUpRows.text(message)
                    followUpRows.markup("</p>")
                }
            }
            followUpRows.markup("<label class=\"check\"><input type=\"checkbox\" name=\"")
            followUpRows.text("follow_up[\(n)][done]")
            followUpRows.markup(row.done != nil ? "\" value=\"on\" checked> " : "\" value=\"on\"> ")
            followUpRows.text(req.t("field_done"))
            followUpRows.markup("</label></fieldset>")
        }
        let base = "/operations/\(context.operation.code)/incidents"
        return try await Page.render("incident-form", FormContext(
            code: context.operation.code, action: id.map { "\(base)/\($0.uuidString)/edit" } ?? base, isNew: id == nil, values: values, errors: errors, hasErrors: !errors.isEmpty,
            categories: categories, subtypes: subtypes,
            timePrecisions: options(TimePrecision.self, values.timePrecision) { req.t($0.labelKey) },
            geoPrecisions: options(GeoPrecision.self, values.geoPrecision) { req.t($0.labelKey) },
            locationTypes: options(IncidentLocationType.self, values.locationType) { req.t($0.labelKey) },
            actorTypes: options(ActorType.self, values.actorType) { req.t($0.labelKey) },
            means: options(IncidentMeans.self, values.means) { req.t($0.labelKey) },
            contexts: options(IncidentContext.self, values.context) { req.t($0.labelKey) },
            motives: options(IncidentMotive.self, values.motive) { req.t($0.labelKey) },
            severities: options(IncidentSeverity.self, values.severity) { req.t($0.labelKey) },
            verifications: options(VerificationStatus.self, values.verification) { req.t($0.labelKey) },
            sources: options(IncidentSource.self, values.source) { req.t($0.labelKey) },
            audiences: options(AudienceLevel.self, values.audience) { req.t($0.labelKey) },
            procedures: procedures,
            affected: AffectedGroup.allCases.map { Option(value: $0.rawValue, label: req.t($0.labelKey), selected: values.affected.contains($0.rawValue)) },
            casualtyRows: casualtyRows, casualtyError: Casualties.Cell.all.lazy.compactMap { errors[$0.key] }.first,
            followUpRows: followUpRows, offersReporterHidden: offersReporterHidden, version: version, stale: stale),
            title: req.t(id == nil ? "incidents.new" : "incidents.edit"), for: req, status: status)
    }

    static func values(_ f: IncidentForm) -> FormValues {
        FormValues(
            title: f.title ?? "", description: f.description ?? "", category: f.category ?? "", subtype: f.subtype ?? "",
            occurredAt: f.occurredAt ?? "", timePrecision: f.timePrecision ?? "minute", knownAt: f.knownAt ?? "",
            latitude: f.latitude ?? "", longitude: f.longitude ?? "", areaPcode: f.areaPcode ?? "", placeName: f.placeName ?? "",
            geoPrecision: f.geoPrecision ?? "exact", locationType: f.locationType ?? "unknown", affected: f.affected ?? [],
            casualties: f.casualties ?? [:], actorType: f.actorType ?? "unknown", actorName: f.actorName ?? "",
            means: f.means ?? "unknown", context: f.context ?? "unknown", motive: f.motive ?? "unknown", severity: f.severity ?? "moderate",
            seriousInjury: f.seriousInjury != nil, particularlySensitive: f.particularlySensitive != nil, nearMiss: f.nearMiss != nil,
            immediateActions: f.immediateActions ?? "", proceduresFollowed: f.proceduresFollowed ?? "",
            verification: f.verification ?? "unverified", source: f.source ?? "staff_report", reporterHidden: f.reporterHidden != nil,
            audience: f.audience ?? AudienceLevel.ifrcOnly.rawValue, followUp: formRows(f.followUpRows, blanks: 1))
    }

    /// The form's text as a draft; problems of form (unknown choices, unreadable numbers and times)
    /// are collected with the draft's own validation so the reporter sees them all at once.
    static func draft(_ f: IncidentForm) throws(ValidationErrors) -> IncidentDraft {
        var errors = ValidationErrors()
        func choice<T: RawRepresentable>(_ type: T.Type, _ text: String?, field: String, default fallback: T? = nil) -> T?
        where T.RawValue == String {
            if let text, !text.isEmpty {
                if let value = T(rawValue: text) { return value }
                errors.add(field, key: "error.choose", "Choose one of the listed values.")
                return fallback
            }
            if fallback == nil { errors.add(field, key: "error.choose", "Choose one of the listed values.") }
            return fallback
        }
        func number(_ text: String?, field: String) -> Double? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = Double(text.replacingOccurrences(of: ",", with: ".")) else {
                errors.add(field, key: field == "latitude" ? "error.latitude" : "error.longitude", "Use decimal degrees, e.g. 15.5007.")
                return nil
            }
            return value
        }
        let category = choice(IncidentCategory.self, f.category, field: "category")
        let subtype = (f.subtype ?? "").isEmpty ? nil : choice(IncidentSubtype.self, f.subtype, field: "subtype")
        var occurredAt = Date()
        if let text = f.occurredAt, let parsed = DateText.time(text) { occurredAt = parsed } else {
            errors.add("occurred_at", key: "error.datetime", "Use a date and time like 2026-11-23 14:30.")
        }
        var knownAt: Date?
        if let text = f.knownAt?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            knownAt = DateText.time(text)
            if knownAt == nil { errors.add("known_at", key: "error.datetime", "Use a date and time like 2026-11-23 14:30.") }
        }
        var casualties = Casualties()
        for cell in Casualties.Cell.all {
            guard let text = f.casualties?[cell.key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { continue }
            if let count = Int(text), count >= 0 { casualties[cell] = count } else {
                errors.add(cell.key, key: "error.count", "Counts are whole numbers from 0 to 100,000.")
            }
        }
        let latitude = number(f.latitude, field: "latitude")
        let longitude = number(f.longitude, field: "longitude")
        let procedures: Bool? = f.proceduresFollowed == "yes" ? true : f.proceduresFollowed == "no" ? false : nil
        var actions: [IncidentDraft.FollowUpAction] = []
        for row in f.followUpRows where !row.isBlank {
            var due: Date?
            if let text = row.due?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                due = DateText.day(text)
                if due == nil { errors.add("follow_up[\(actions.count)].due", key: "error.date", "Use a date like 2026-11-30.") }
            }
            actions.append(.init(action: row.action ?? "", owner: row.owner ?? "", dueOn: due, done: row.done != nil))
        }
        let draft = IncidentDraft(
            title: f.title ?? "", description: f.description, category: category ?? .securityBreach, subtype: subtype,
            occurredAt: occurredAt, timePrecision: choice(TimePrecision.self, f.timePrecision, field: "time_precision", default: .minute) ?? .minute,
            knownAt: knownAt, latitude: latitude, longitude: longitude, areaPcode: f.areaPcode, placeName: f.placeName,
            geoPrecision: choice(GeoPrecision.self, f.geoPrecision, field: "geo_precision", default: .exact) ?? .exact,
            locationType: choice(IncidentLocationType.self, f.locationType, field: "location_type", default: .unknown) ?? .unknown,
            affected: Set((f.affected ?? []).compactMap(AffectedGroup.init(rawValue:))), casualties: casualties,
            actorType: choice(ActorType.self, f.actorType, field: "actor_type", default: .unknown) ?? .unknown, actorName: f.actorName,
            means: choice(IncidentMeans.self, f.means, field: "means", default: .unknown) ?? .unknown,
            context: choice(IncidentContext.self, f.context, field: "context", default: .unknown) ?? .unknown,
            motive: choice(IncidentMotive.self, f.motive, field: "motive", default: .unknown) ?? .unknown,
            severity: choice(IncidentSeverity.self, f.severity, field: "severity", default: .moderate) ?? .moderate,
            seriousInjury: f.seriousInjury != nil, particularlySensitive: f.particularlySensitive != nil, nearMiss: f.nearMiss != nil,
            immediateActions: f.immediateActions, followUpActions: actions, proceduresFollowed: procedures,
            verification: choice(VerificationStatus.self, f.verification, field: "verification", default: .unverified) ?? .unverified,
            source: choice(IncidentSource.self, f.source, field: "source", default: .staffReport) ?? .staffReport,
            reporterHidden: f.reporterHidden != nil,
            audience: choice(AudienceLevel.self, f.audience, field: "audience") ?? .restricted)
        // The draft's own rules run too, so every problem shows at once.
        do { _ = try draft.validated() } catch { errors.errors.append(contentsOf: error.errors) }
        try errors.throwIfAny()
        return draft
    }

    // MARK: Show

    struct ReportItem: Encodable { let type: String; let at: String; let summary: String }
    struct ShowContext: Encodable {
        let code: String; let number: Int; let title: String; let description: String?; let category: String; let subtype: String?
        let occurredAt: String; let timePrecision: String; let knownAt: String?; let place: String?; let areaPcode: String?
        let coordinates: String?; let locationType: String; let affected: String; let casualties: HTMLFragment; let hasCasualties: Bool
        let actor: String; let means: String; let context: String; let motive: String; let severity: String; let serious: Bool
        let nearMiss: Bool; let immediateActions: String?; let followUp: HTMLFragment; let hasFollowUp: Bool
        let proceduresFollowed: String; let verification: String; let source: String; let status: String
        let deadlineKind: String; let deadlineState: String; let deadlineStateRaw: String; let dueAt: String
        let reporter: String; let audience: String; let reports: [ReportItem]; let canAudit: Bool; let id: String
        let nextStatus: String?; let nextStatusLabel: String?; let canReport: Bool; let reportTypes: HTMLFragment
        let sentToRegion: Bool; let canChange: Bool; let risks: [RiskItem]
    }
    struct RiskItem: Encodable { let id: String; let number: Int; let title: String }

    func show(_ req: Request) async throws -> Response {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        let store = IncidentStore(req.db)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let incident = try await store.find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        let d = incident.draft
        let deadline = incident.deadline(at: Date())
        var reporter = req.t("incidents.reporter_hidden")
        if AccessPolicy.canSeeReporter(of: incident.access, reporterID: incident.reporterID?.uuidString, hidden: d.reporterHidden, by: context.viewer) {
            if let reporterID = incident.reporterID, let user = try await UserStore(req.db).find(id: reporterID) {
                reporter = user.displayName
            } else {
                reporter = "—"
            }
        }
        var casualties = HTMLFragment()
        for harm in Casualties.Harm.allCases where d.casualties.total(harm) > 0 {
            casualties.markup("<li>")
            casualties.text(req.t(harm.labelKey))
            casualties.markup(": <strong>")
            casualties.text(d.casualties.total(harm))
            casualties.markup("</strong> (")
            let parts = Casualties.Nationality.allCases.flatMap { nationality in
                Casualties.Sex.allCases.compactMap { sex -> String? in
                    let n = d.casualties[harm, nationality, sex]
                    return n > 0 ? "\(req.t(nationality.labelKey)) · \(req.t(sex.labelKey)): \(n)" : nil
                }
            }
            casualties.text(parts.joined(separator: "; "))
            casualties.markup(")</li>")
        }
        // Follow-up actions with their owner and due date; overdue ones stand out, and whoever
        // may edit the incident or follow it up ticks them off here.
        var followUp = HTMLFragment()
        let mayTick = AccessPolicy.canChange(incident.access, by: context.viewer) || AccessPolicy.canFollowUp(incident.access, by: context.viewer)
        let today = AnalysisPeriods.calendar.startOfDay(for: Date())
        for (index, action) in d.followUpActions.enumerated() {
            let overdue = !action.done && (action.dueOn.map { $0 < today } ?? false)
            followUp.markup(action.done ? "<li class=\"done\">" : overdue ? "<li class=\"overdue\">" : "<li>")
            followUp.text(action.action)
            followUp.markup(" — ")
            followUp.text(action.owner)
            if let due = action.dueOn {
                followUp.markup(" · ")
                followUp.text(req.t("field_due"))
                followUp.markup(" <span dir=\"ltr\">")
                followUp.text(DateText.day(due))
                followUp.markup("</span>")
                if overdue {
                    followUp.markup(" <strong class=\"tag serious\">")
                    followUp.text(req.t("deadline_state.overdue"))
                    followUp.markup("</strong>")
                }
            }
            if action.done {
                followUp.markup(" ✓ ")
                followUp.text(req.t("field_done"))
            }
            if mayTick {
                followUp.markup(" <form method=\"post\" class=\"inline\" action=\"/operations/")
                followUp.text(context.operation.code)
                followUp.markup("/incidents/")
                followUp.text(incident.id.uuidString)
                followUp.markup("/actions/")
                followUp.text(index)
                followUp.markup("/done\"><input type=\"hidden\" name=\"_csrf\" value=\"")
                followUp.text(CSRFMiddleware.token(for: req))
                followUp.markup("\"><input type=\"hidden\" name=\"done\" value=\"")
                followUp.markup(action.done ? "no\"><button type=\"submit\" class=\"small\">" : "yes\"><button type=\"submit\" class=\"small\">")
                followUp.text(req.t(action.done ? "incidents.action_reopen" : "incidents.action_done"))
                followUp.markup("</button></form>")
            }
            followUp.markup("</li>")
        }
        let nextStatus: IncidentStatus? = AccessPolicy.canFollowUp(incident.access, by: context.viewer)
            ? (incident.status == .closed ? .analysed : incident.status.next) : nil
        let canReport = AccessPolicy.canAddReport(to: incident.access, by: context.viewer)
        var reportTypes = HTMLFragment()
        reportTypes.options([IncidentReportType.update, .postIncident].map { (value: $0.rawValue, label: req.t($0.labelKey), selected: $0 == .update) })
        let reports = try await store.reports(of: id).map {
            ReportItem(type: req.t($0.type.labelKey), at: DateText.minute($0.reportedAt), summary: $0.summary)
        }
        return try await Page.render("incident", ShowContext(
            code: context.operation.code, number: incident.number, title: d.title, description: d.description,
            category: req.t(d.category.labelKey), subtype: d.subtype.map { req.t($0.labelKey) }, occurredAt: DateText.minute(d.occurredAt),
            timePrecision: req.t(d.timePrecision.labelKey), knownAt: d.knownAt.map(DateText.minute), place: d.placeName, areaPcode: d.areaPcode,
            coordinates: d.latitude.flatMap { lat in d.longitude.map { "\(DecimalText.fixed(lat, digits: 5)), \(DecimalText.fixed($0, digits: 5))" } },
            locationType: req.t(d.locationType.labelKey),
            affected: AffectedGroup.allCases.filter(d.affected.contains).map { req.t($0.labelKey) }.joined(separator: ", ").nilIfEmpty ?? "—",
            casualties: casualties, hasCasualties: !d.casualties.isEmpty,
            actor: req.t(d.actorType.labelKey) + (d.actorName.map { " (\($0))" } ?? ""), means: req.t(d.means.labelKey),
            context: req.t(d.context.labelKey), motive: req.t(d.motive.labelKey), severity: req.t(d.severity.labelKey),
            serious: incident.serious, nearMiss: d.nearMiss, immediateActions: d.immediateActions, followUp: followUp,
            hasFollowUp: !d.followUpActions.isEmpty,
            proceduresFollowed: req.t(d.proceduresFollowed.map { $0 ? "yes" : "no" } ?? "unknown"),
            verification: req.t(d.verification.labelKey), source: req.t(d.source.labelKey), status: req.t(incident.status.labelKey),
            deadlineKind: req.t(deadline.kind.labelKey), deadlineState: req.t(deadline.state.labelKey), deadlineStateRaw: deadline.state.rawValue,
            dueAt: DateText.minute(deadline.dueAt), reporter: reporter, audience: req.t(d.audience.labelKey), reports: reports,
            canAudit: AccessPolicy.canReadAudit(of: context.operation.id.uuidString, by: context.viewer), id: id.uuidString,
            nextStatus: nextStatus?.rawValue, nextStatusLabel: nextStatus.map { req.t(incident.status == .closed ? "incident_step.reported" : "incident_step.\($0.rawValue)") },
            canReport: canReport, reportTypes: reportTypes, sentToRegion: incident.reportedToRegionAt != nil,
            canChange: AccessPolicy.canChange(incident.access, by: context.viewer),
            risks: try await RiskStore(req.db).risks(linkedTo: id, in: scope).map { RiskItem(id: $0.id.uuidString, number: $0.number, title: $0.title) }),
            title: d.title, for: req)
    }

    /// Loads the incident named in the path for a change, or answers 404 / 403.
    func loadForChange(_ req: Request) async throws -> (OperationContext, Scope, IncidentRecord) {
        let context = try await OperationContext.load(req)
        let scope = try context.requireScope()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let incident = try await IncidentStore(req.db).find(id, in: scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return (context, scope, incident)
    }

    struct StatusForm: Content { var status: String? }

    /// Ticks a follow-up action off (or back on): an edit of the incident, versioned like any other.
    func setActionDone(_ req: Request) async throws -> Response {
        let (context, scope, incident) = try await loadForChange(req)
        guard AccessPolicy.canChange(incident.access, by: context.viewer) || AccessPolicy.canFollowUp(incident.access, by: context.viewer)
        else { throw PageError(.forbidden, key: "error.forbidden") }
        guard let index = req.parameters.get("index").flatMap(Int.init), incident.draft.followUpActions.indices.contains(index)
        else { throw PageError(.notFound, key: "error.not_found") }
        var draft = incident.draft
        draft.followUpActions[index].done = (try? req.content.get(String.self, at: "done")) != "no"
        _ = try await IncidentStore(req.db).update(incident.id, with: draft, scope: scope, actorID: context.current.user.id)
        return req.redirect(to: "/operations/\(context.operation.code)/incidents/\(incident.id.uuidString)")
    }

    /// One follow-up step (verified, analysed, closed) or reopening; security roles only.
    func changeStatus(_ req: Request) async throws -> Response {
        let (context, scope, incident) = try await loadForChange(req)
        guard AccessPolicy.canFollowUp(incident.access, by: context.viewer) else { throw PageError(.forbidden, key: "error.forbidden") }
        guard let status = try req.content.decode(StatusForm.self).status.flatMap(IncidentStatus.init(rawValue:)),
              incident.status.canMove(to: status)
        else { throw PageError(.unprocessableEntity, key: "error.status_step") }
        _ = try await IncidentStore(req.db).changeStatus(incident.id, to: status, scope: scope, actorID: context.current.user.id)
        return req.redirect(to: "/operations/\(context.operation.code)/incidents/\(incident.id.uuidString)")
    }

    struct ReportForm: Content {
        var type: String?; var summary: String?; var sentToRegion: String?
        enum CodingKeys: String, CodingKey { case type, summary, sentToRegion = "sent_to_region" }
    }

    /// Adds an update or the post-incident report to the timeline; the first one sent to the
    /// region stops the reporting clock.
    func addReport(_ req: Request) async throws -> Response {
        let (context, scope, incident) = try await loadForChange(req)
        guard AccessPolicy.canAddReport(to: incident.access, by: context.viewer) else { throw PageError(.forbidden, key: "error.forbidden") }
        let form = try req.content.decode(ReportForm.self)
        guard let type = form.type.flatMap(IncidentReportType.init(rawValue:)) else { throw PageError(.unprocessableEntity, key: "error.choose") }
        do {
            _ = try await IncidentStore(req.db).addReport(
                to: incident.id, type: type, summary: form.summary ?? "", sentToRegion: form.sentToRegion != nil, scope: scope,
                actorID: context.current.user.id)
        } catch let error as DomainError where error.kind == .invalid {
            throw PageError(.unprocessableEntity, key: error.messageKey)
        }
        return req.redirect(to: "/operations/\(context.operation.code)/incidents/\(incident.id.uuidString)#timeline")
    }

    // MARK: Place
}

