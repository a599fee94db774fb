import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor
import Views

/// What the documents' pages share: the reader's scope, the lens their content is generated
/// through, and the operation's members (to name who issued).
struct BriefContext {
    let context: OperationContext
    let scope: Scope
    let lens: BriefLens

    static func load(
        _ req: Request, requiring rule: (OperationID, Viewer) -> Bool = AccessPolicy.canViewBriefs
    ) async throws -> BriefContext {
        let context = try await OperationContext.load(req)
        guard rule(context.operation.id, context.viewer) else {
            throw context.role == nil
                ? PageError(.notFound, key: "error.not_found") : PageError(.forbidden, key: "error.forbidden")
        }
        let reach = try await PersonnelContext.make(context, on: req.db)
        guard
            let lens = AccessPolicy.briefLens(
                in: context.operation.id, for: context.viewer, reachesEveryone: reach?.scope.reachesEveryone ?? false)
        else { throw PageError(.notFound, key: "error.not_found") }
        return BriefContext(context: context, scope: try context.requireScope(), lens: lens)
    }

    var code: String { context.operation.code }
    var operation: OperationRecord { context.operation }
    var user: UserID { context.current.user.id }
    var canWrite: Bool { AccessPolicy.canWriteBriefs(in: operation.id, by: context.viewer) }
    /// The recommendations this reader writes.
    var writes: Set<BriefRole> {
        guard let role = context.role, canWrite else { return [] }
        return Set(BriefRole.allCases.filter { AccessPolicy.canWriteRecommendations($0, as: role) })
    }

    func generator(_ req: Request, _ draft: BriefDraft) -> BriefGenerator {
        BriefGenerator(
            app: req.application, operation: operation, period: draft.period, language: draft.language, now: req.now)
    }

    /// The document as it reads: frozen once issued, else generated now for this reader.
    func document(_ r: BriefRecord, _ req: Request) async throws -> BriefDocument {
        var content = r.content
        if r.state == .draft || content == nil {
            content = try await generator(req, r.draft).content(r.kind, lens: lens)
        }
        let names = Dictionary(
            try await OperationStore(req.db).members(of: operation.id).map { ($0.userId, $0.displayName) },
            uniquingKeysWith: { a, _ in a })
        return BriefDocument(
            r, content: content ?? BriefContent(sections: [], generatedAt: req.now),
            issuedBy: r.issuedBy.flatMap { names[$0] } ?? (r.scheduleID != nil ? req.t("briefs_schedule") : nil),
            strings: Strings(req.application.catalog, language: r.draft.language.rawValue, clock: operation.time))
    }
}

extension BriefDocument {
    /// A stored document as the views, the files and the e-mails read it.
    init(_ r: BriefRecord, content: BriefContent, issuedBy: String?, strings: Strings) {
        self.init(
            id: r.id, kind: r.kind, number: r.number, edition: r.edition, state: r.state, period: r.draft.period,
            language: r.draft.language, audience: r.audience, audienceConfirmed: r.audienceConfirmed,
            issuedBy: issuedBy, issuedAt: r.issuedAt, narrative: r.draft.narrative,
            recommendations: r.kind.recommendations.map { ($0, r.draft.recommendations[$0] ?? "") }, content: content,
            strings: strings)
    }
}

/// The HeOps's documents (issue 20): the weekly brief, the security sitrep, the migration update
/// and the handover pack, drafted from live data, edited, issued once and frozen; printed, and
/// downloaded as Word; compared issue with issue.
struct BriefController {
    struct Form: Content {
        var kind: String?; var periodFirst: String?; var periodLast: String?; var language: String?
        var narrative: String?; var securityRecommendations: String?; var migrationRecommendations: String?
        var version: String?
        enum CodingKeys: String, CodingKey {
            case kind, language, narrative, version
            case periodFirst = "period_first", periodLast = "period_last"
            case securityRecommendations = "security_recommendations"
            case migrationRecommendations = "migration_recommendations"
        }

        /// The input over what is stored: a field left out keeps its value; recommendations only
        /// from those who write them.
        func input(over base: BriefInput, writes: Set<BriefRole>) -> BriefInput {
            var input = base
            let texts: [(String?, WritableKeyPath<BriefInput, String>)] = [
                (kind, \.kind), (periodFirst, \.periodFirst), (periodLast, \.periodLast), (language, \.language),
                (narrative, \.narrative),
            ]
            for (value, field) in texts { if let value { input[keyPath: field] = value } }
            if writes.contains(.security), let securityRecommendations {
                input.securityRecommendations = securityRecommendations
            }
            if writes.contains(.migration), let migrationRecommendations {
                input.migrationRecommendations = migrationRecommendations
            }
            return input
        }
    }

    func index(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req)
        var values = BriefInput()
        values.kind = BriefKind.weekly.rawValue
        values.language = req.language
        let period = ReportPeriod.following(
            lastEnded: try await BriefStore(req.db).lastIssuedDay(.weekly, in: b.operation.id),
            today: b.operation.time.calendarDay(req.now))
        values.periodFirst = DateText.day(period.first)
        values.periodLast = DateText.day(period.last)
        return try await renderIndex(req, b, values: values, errors: [:])
    }

    func renderIndex(
        _ req: Request, _ b: BriefContext, values: BriefInput, errors: [String: String],
        schedule: BriefScheduleInput? = nil, scheduleErrors: [String: String] = [:], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let kind = try req.queryChoice("kind", BriefKind.self)
        let result = try await BriefStore(req.db).list(
            in: b.scope, filter: .init(kind: kind), page: try req.paging(perPage: 50))
        let t = req.strings
        let rows = result.items.map { r in
            BriefList.Line(
                id: r.id, title: Self.title(r, t), kind: r.kind, period: Self.periodText(r), state: r.state,
                audience: r.audience, issuedAt: r.issuedAt)
        }
        var schedules: [BriefList.Schedule] = []
        var lists: [(id: DistributionListID, name: String)] = []
        if b.canWrite {
            lists = try await AdvocacyStore(req.db).lists(in: b.scope).map { ($0.id, $0.name) }
            let names = Dictionary(lists.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { a, _ in a })
            schedules = try await BriefScheduleStore(req.db).list(in: b.operation.id).map {
                BriefList.Schedule(
                    id: $0.id, draft: $0.draft, list: names[$0.draft.listID] ?? "—", nextRunAt: $0.nextRunAt,
                    lastRunAt: $0.lastRunAt, lastBrief: $0.lastBriefID, lastError: $0.lastError)
            }
        }
        var defaults = BriefScheduleInput()
        defaults.kind = BriefKind.weekly.rawValue
        defaults.weekday = "1"
        defaults.time = "06:00"
        defaults.timeZone = b.operation.time.identifier
        defaults.language = req.language
        defaults.audience = AudienceLevel.ifrcOnly.rawValue
        let model = BriefList.Model(
            code: b.code, rows: rows,
            paging: PagePosition(page: result.page, pageCount: result.pageCount, total: result.total), kind: kind,
            canWrite: b.canWrite, values: values, errors: errors, schedules: schedules, lists: lists,
            schedule: schedule ?? defaults, scheduleErrors: scheduleErrors,
            budget: AccessPolicy.canViewSecurityBudget(in: b.operation.id, by: b.context.viewer))
        return Page.render(req, title: req.t("briefs_title"), status: status) { BriefList.view(model, $0) }
    }

    static func title(_ r: BriefRecord, _ t: Strings) -> String {
        BriefDocument.title(kind: r.kind, number: r.number, edition: r.edition, t)
    }

    static func periodText(_ r: BriefRecord) -> String {
        BriefDocument.periodText(kind: r.kind, period: r.draft.period)
    }

    func create(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req, requiring: AccessPolicy.canWriteBriefs)
        var input = try req.content.decode(Form.self).input(over: BriefInput(), writes: b.writes)
        // A handover pack is the state on one day.
        if input.kind == BriefKind.handover.rawValue, input.periodFirst.isEmpty { input.periodFirst = input.periodLast }
        do {
            let record = try await BriefStore(req.db).create(
                try input.decoded(), scope: b.scope, actorID: b.user, now: req.now)
            Page.flash("briefs.created", on: req)
            return req.redirect(to: SiteURL.brief(.value(b.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await renderIndex(
                req, b, values: input, errors: errors.messages(in: req), status: .unprocessableEntity)
        }
    }

    struct ScheduleForm: Content {
        var kind: String?; var weekday: String?; var time: String?; var timeZone: String?; var language: String?
        var audience: String?; var listID: String?
        enum CodingKeys: String, CodingKey {
            case weekday, time, audience
            case kind = "schedule_kind", language = "schedule_language", timeZone = "time_zone", listID = "list_id"
        }
    }

    /// A schedule: checked by the one decoder; its list must be one the writer sees.
    func createSchedule(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req, requiring: AccessPolicy.canWriteBriefs)
        let form = try req.content.decode(ScheduleForm.self)
        var input = BriefScheduleInput()
        input.kind = form.kind ?? ""
        input.weekday = form.weekday ?? ""
        input.time = form.time ?? ""
        input.timeZone = form.timeZone ?? ""
        input.language = form.language ?? ""
        input.audience = form.audience ?? ""
        input.listID = form.listID ?? ""
        do {
            let draft = try input.decoded()
            let lists = try await AdvocacyStore(req.db).lists(in: b.scope)
            guard lists.contains(where: { $0.id.rawValue == draft.listID }) else {
                var errors = ValidationErrors()
                errors.add("list_id", key: "products.list_required", "Choose a distribution list.")
                throw errors
            }
            _ = try await BriefScheduleStore(req.db).create(
                draft, operationID: b.operation.id, actorID: b.user, now: req.now)
            Page.flash("briefs.schedule_created", on: req)
            return req.redirect(to: SiteURL.briefs(.value(b.code)).path + "#schedules")
        } catch let errors as ValidationErrors {
            var values = BriefInput()
            values.kind = BriefKind.weekly.rawValue
            return try await renderIndex(
                req, b, values: values, errors: [:], schedule: input, scheduleErrors: errors.messages(in: req),
                status: .unprocessableEntity)
        }
    }

    func stopSchedule(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req, requiring: AccessPolicy.canWriteBriefs)
        guard let id = req.pathID(as: BriefScheduleID.self),
            try await BriefScheduleStore(req.db).find(id, in: b.operation.id) != nil
        else { throw PageError(.notFound, key: "error.not_found") }
        try await BriefScheduleStore(req.db).stop(id, in: b.operation.id, actorID: b.user, now: req.now)
        Page.flash("briefs.schedule_stopped", on: req)
        return req.redirect(to: SiteURL.briefs(.value(b.code)).path)
    }

    static func find(_ req: Request, _ b: BriefContext) async throws -> BriefRecord {
        guard let id = req.pathID(as: BriefID.self), let record = try await BriefStore(req.db).find(id, in: b.scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return record
    }

    func show(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req)
        let record = try await Self.find(req, b)
        return try await render(req, b, record, values: BriefInput(record.draft), errors: [:])
    }

    func render(
        _ req: Request, _ b: BriefContext, _ record: BriefRecord, values: BriefInput, errors: [String: String],
        widerAllowed: AudienceLevel? = nil, issueAudience: AudienceLevel? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let document = try await b.document(record, req)
        let series = record.state == .issued ? try await BriefStore(req.db).series(record.kind, in: b.scope) : []
        let position = series.firstIndex { $0.id == record.id }
        let model = BriefPage.Model(
            code: b.code, document: document, canWrite: b.canWrite, writes: b.writes, values: values, errors: errors,
            version: EditVersion.token(record.updatedAt),
            previous: position.flatMap { $0 > 0 ? series[$0 - 1].id : nil },
            later: position.flatMap { $0 + 1 < series.count ? series[$0 + 1].id : nil }, widerAllowed: widerAllowed,
            issueAudience: issueAudience ?? record.audience)
        return Page.render(req, title: document.title(req.strings), status: status) { BriefPage.view(model, $0) }
    }

    func update(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req, requiring: AccessPolicy.canWriteBriefs)
        let record = try await Self.find(req, b)
        guard record.state == .draft else { throw PageError(.conflict, key: "briefs.frozen") }
        let form = try req.content.decode(Form.self)
        var input = form.input(over: BriefInput(record.draft), writes: b.writes)
        input.kind = record.kind.rawValue
        if !record.kind.hasPeriod { input.periodFirst = input.periodLast }
        do {
            _ = try await BriefStore(req.db).update(
                record.id, draft: try input.decoded(), scope: b.scope, actorID: b.user, expecting: form.version ?? "",
                now: req.now)
            Page.flash("briefs.saved", on: req)
            return req.redirect(to: SiteURL.brief(.value(b.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return try await render(
                req, b, record, values: input, errors: errors.messages(in: req), status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            return try await render(
                req, b, try await Self.find(req, b), values: input,
                errors: ["narrative": req.t("briefs.saved_since")], status: .conflict)
        }
    }

    struct IssueForm: Content {
        var audience: String?
        var confirmWider: String?
        enum CodingKeys: String, CodingKey {
            case audience
            case confirmWider = "confirm_wider"
        }
    }

    func issue(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req, requiring: AccessPolicy.canWriteBriefs)
        let record = try await Self.find(req, b)
        guard record.state == .draft else { throw PageError(.conflict, key: "briefs.already_issued") }
        let form = try req.content.decode(IssueForm.self)
        var read = FieldReader()
        let audience = read.choice(form.audience ?? "", "audience", AudienceLevel.self) ?? .ifrcOnly
        let confirmed = read.yesNo(form.confirmWider ?? "", "confirm_wider") ?? false
        guard read.errors.isEmpty else {
            return try await render(
                req, b, record, values: BriefInput(record.draft), errors: read.errors.messages(in: req),
                status: .unprocessableEntity)
        }
        // Generated now through the issuer's lens, each section's floor measured: what is frozen, and
        // what says how widely it may be read when the audience chosen is wider.
        let generator = b.generator(req, record.draft)
        let content = try await generator.withFloors(
            try await generator.content(record.kind, lens: b.lens), lens: b.lens)
        do {
            _ = try await BriefStore(req.db).issue(
                record.id, content: content, audience: audience, confirmedWider: confirmed, scope: b.scope,
                actorID: b.user, now: req.now)
        } catch let error as DomainError
            where error.messageKey == BriefWorkflow.Refusal.audienceWider(allowed: .public).key
        {
            return try await render(
                req, b, record, values: BriefInput(record.draft), errors: [:], widerAllowed: content.floor,
                issueAudience: audience, status: .unprocessableEntity)
        } catch let error as DomainError where error.kind == .conflict {
            throw PageError(.conflict, key: error.messageKey)
        }
        Page.flash("briefs.issued", on: req)
        return req.redirect(to: SiteURL.brief(.value(b.code), .value(record.id)).path)
    }

    func newVersion(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req, requiring: AccessPolicy.canWriteBriefs)
        let record = try await Self.find(req, b)
        guard record.state == .issued else { throw PageError(.conflict, key: "briefs.not_issued") }
        let draft = try await BriefStore(req.db).create(
            record.draft, newVersionOf: record, scope: b.scope, actorID: b.user, now: req.now)
        Page.flash("briefs.version_created", on: req)
        return req.redirect(to: SiteURL.brief(.value(b.code), .value(draft.id)).path)
    }

    func discard(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req, requiring: AccessPolicy.canWriteBriefs)
        let record = try await Self.find(req, b)
        guard record.state == .draft else { throw PageError(.conflict, key: "briefs.already_issued") }
        try await BriefStore(req.db).discard(record.id, scope: b.scope, actorID: b.user, now: req.now)
        Page.flash("briefs.discarded", on: req)
        return req.redirect(to: SiteURL.briefs(.value(b.code)).path)
    }

    // MARK: Print, Word, comparison

    func print(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req)
        let record = try await Self.find(req, b)
        let document = try await b.document(record, req)
        let model = BriefPrint.Model(operationName: b.operation.name, document: document, printedAt: req.now)
        return Page.render(req, title: document.title(document.strings)) { BriefPrint.view(model, $0) }
    }

    func word(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req)
        let record = try await Self.find(req, b)
        guard record.state == .issued else { throw PageError(.conflict, key: "briefs.not_issued") }
        let bytes: Data
        if let stored = try await BriefStore(req.db).file(record.id, format: "docx") {
            bytes = stored
        } else {
            let document = try await b.document(record, req)
            bytes = try BriefFiles.word(document, operation: b.operation, t: document.strings).data(
                created: record.issuedAt ?? req.now)
            try await BriefStore(req.db).saveFile(record.id, format: "docx", bytes: bytes, now: req.now)
        }
        return BriefFiles.download(
            bytes, type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            name: BriefFiles.fileName(record, operation: b.operation, ext: "docx"))
    }

    /// The issued document as PDF, printed by Chromium from its print page (`BriefPDF`), made once.
    func pdf(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req)
        let record = try await Self.find(req, b)
        guard record.state == .issued else { throw PageError(.conflict, key: "briefs.not_issued") }
        let bytes: Data
        if let stored = try await BriefStore(req.db).file(record.id, format: "pdf") {
            bytes = stored
        } else {
            guard let chromium = BriefPDF.chromium() else {
                throw PageError(.serviceUnavailable, key: "briefs.no_pdf")
            }
            let document = try await b.document(record, req)
            do {
                bytes = try await BriefPDF.make(
                    document, operationName: b.operation.name, printedAt: record.issuedAt ?? req.now,
                    chromium: chromium)
            } catch {
                req.logger.error("PDF of brief \(record.id): \(error)")
                throw PageError(.serviceUnavailable, key: "briefs.no_pdf")
            }
            try await BriefStore(req.db).saveFile(record.id, format: "pdf", bytes: bytes, now: req.now)
        }
        return BriefFiles.download(
            bytes, type: "application/pdf", name: BriefFiles.fileName(record, operation: b.operation, ext: "pdf"))
    }

    func compare(_ req: Request) async throws -> Response {
        let b = try await BriefContext.load(req)
        let newer = try await Self.find(req, b)
        guard let text = req.queryText("with"), let id = UUID(uuidString: text).map(BriefID.init(rawValue:)),
            let older = try await BriefStore(req.db).find(id, in: b.scope), let after = newer.content,
            let before = older.content
        else { throw PageError(.notFound, key: "error.not_found") }
        let t = req.strings
        let model = BriefCompare.Model(
            code: b.code, newer: (newer.id, Self.title(newer, t), Self.periodText(newer)),
            older: (older.id, Self.title(older, t), Self.periodText(older)),
            comparison: BriefComparison.between(before, after))
        return Page.render(req, title: req.t("briefs_compare_title")) { BriefCompare.view(model, $0) }
    }
}

/// The files made from an issued document.
enum BriefFiles {
    static func fileName(_ r: BriefRecord, operation: OperationRecord, ext: String) -> String {
        "\(operation.code)-\(r.kind.rawValue)-\(r.number)"
            + (r.edition > 1 ? "-v\(r.edition)" : "") + "-\(DateText.day(r.draft.period.last)).\(ext)"
    }

    static func download(_ bytes: Data, type: String, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: bytes))
    }

    /// The document as the text of an e-mail: the same order as the page, figures a line each.
    static func text(_ d: BriefDocument, operation: OperationRecord, link: String) -> String {
        let t = d.strings
        var lines = [
            d.title(t), d.periodText + " · " + operation.name + " · " + t(d.audience.labelKey), "",
        ]
        if !d.narrative.isEmpty { lines += [t("briefs_narrative").uppercased(), d.narrative, ""] }
        for (role, text) in d.recommendations where !text.isEmpty {
            lines.append(t(role.labelKey).uppercased())
            for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() {
                lines.append("\(i + 1). " + line.trimmingCharacters(in: .whitespaces))
            }
            lines.append("")
        }
        for part in d.kind.parts {
            let sections = d.content.sections.filter { $0.part == part }
            guard !sections.isEmpty else { continue }
            lines += [t(part.labelKey).uppercased(), ""]
            for section in sections {
                lines.append("## " + section.title)
                for item in section.items {
                    if let display = item.display {
                        var line = "- " + item.label + ": " + display
                        if let previous = item.previousDisplay {
                            line += " (" + t("brief_column.previous") + ": " + previous
                            if let change = item.changePercent { line += ", " + DecimalText.signedPercent(change) }
                            line += ")"
                        }
                        lines.append(line + " — " + (item.source ?? "") + (item.asOf.map { ", " + $0 } ?? ""))
                    } else if let table = item.table {
                        lines.append(item.label + ":")
                        for row in table.rows { lines.append("  - " + row.map(\.text).joined(separator: " · ")) }
                        if table.more > 0 {
                            lines.append(
                                "  " + t("briefs_more").replacingOccurrences(of: "{n}", with: String(table.more)))
                        }
                    } else if item.chart == nil {
                        lines.append(item.label)
                    }
                }
                lines.append("")
            }
        }
        lines.append(link)
        return lines.joined(separator: "\n")
    }

    /// The document as Word blocks: the same order as the page; a chart as the table of its values
    /// (a drawing would not survive every word processor the partners use).
    static func word(_ d: BriefDocument, operation: OperationRecord, t: Strings) -> WordDocument {
        var blocks: [WordDocument.Block] = [
            .paragraph(
                d.periodText + " · " + operation.name + " · " + t(d.audience.labelKey)
                    + (d.issuedAt.map { " · " + t.minute($0) } ?? ""), small: true)
        ]
        if !d.narrative.isEmpty {
            blocks.append(.heading(t("briefs_narrative"), level: 1))
            blocks.append(.paragraph(d.narrative))
        }
        for (role, text) in d.recommendations where !text.isEmpty {
            blocks.append(.heading(t(role.labelKey), level: 1))
            for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() {
                blocks.append(.paragraph("\(i + 1). " + line.trimmingCharacters(in: .whitespaces)))
            }
        }
        for part in d.kind.parts {
            let sections = d.content.sections.filter { $0.part == part }
            guard !sections.isEmpty else { continue }
            blocks.append(.heading(t(part.labelKey), level: 1))
            for section in sections {
                blocks.append(.heading(section.title, level: 2))
                let figures = section.items.filter { $0.display != nil }
                if !figures.isEmpty {
                    blocks.append(
                        .table(
                            [
                                t("brief_column.figure"), t("brief_column.value"), t("brief_column.previous"),
                                t("brief_column.change"), t("brief_column.source"),
                            ],
                            figures.map {
                                [
                                    $0.label + ($0.note.map { " (\($0))" } ?? ""), $0.display ?? "",
                                    $0.previousDisplay ?? "",
                                    $0.changePercent.map(DecimalText.signedPercent) ?? "",
                                    ($0.source ?? "") + ($0.asOf.map { " · " + $0 } ?? ""),
                                ]
                            }))
                }
                for item in section.items where item.display == nil {
                    if let table = item.table {
                        blocks.append(.paragraph(item.label, bold: true))
                        blocks.append(.table(table.columns, table.rows.map { $0.map(\.text) }))
                        if table.more > 0 {
                            blocks.append(
                                .paragraph(
                                    t("briefs_more").replacingOccurrences(of: "{n}", with: String(table.more)),
                                    small: true))
                        }
                    } else if let chart = item.chart {
                        blocks.append(.paragraph(item.label, bold: true))
                        blocks.append(
                            .table(
                                [t("brief_column.period")] + chart.series.map(\.name),
                                chart.labels.indices.map { i in
                                    [chart.labels[i]]
                                        + chart.series.map {
                                            i < $0.values.count ? ProductWorkflow.grouped(Int($0.values[i])) : ""
                                        }
                                }))
                    } else {
                        blocks.append(.paragraph(item.label))
                    }
                }
            }
        }
        return WordDocument(
            title: d.title(t),
            header: t(d.audience.labelKey) + " · " + operation.name + " · " + d.title(t) + " · "
                + (d.issuedAt.map(DateText.day) ?? d.periodText),
            language: d.language.rawValue, rightToLeft: d.language.rightToLeft, blocks: blocks)
    }
}
