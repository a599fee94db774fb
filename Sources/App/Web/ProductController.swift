import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// What the products' pages and API share: the reader's scope and the operation's members.
struct ProductContext {
    let context: OperationContext
    let scope: Scope
    let members: [MemberRecord]

    static func load(
        _ req: Request, requiring rule: (OperationID, Viewer) -> Bool = AccessPolicy.canViewProducts,
        notFound: @autoclosure () -> any Error = PageError(.notFound, key: "error.not_found")
    ) async throws -> ProductContext {
        let context = try await OperationContext.load(req, notFound: notFound())
        guard rule(context.operation.id, context.viewer) else {
            throw context.role == nil ? notFound() : PageError(.forbidden, key: "error.forbidden")
        }
        return ProductContext(
            context: context, scope: try context.requireScope(notFound: notFound()),
            members: try await OperationStore(req.db).members(of: context.operation.id))
    }

    var code: String { context.operation.code }
    var viewer: Viewer { context.viewer }
    var user: UserID { context.current.user.id }
    var canWrite: Bool { AccessPolicy.canWriteProducts(in: context.operation.id, by: viewer) }
    var names: [UserID: String] {
        Dictionary(members.map { ($0.userId, $0.displayName) }, uniquingKeysWith: { a, _ in a })
    }

    func line(_ r: ProductRecord) -> ProductLine {
        ProductLine(
            id: r.id, number: r.number, kind: r.draft.kind, title: r.draft.title, language: r.draft.language,
            state: r.state, audience: r.draft.audience, version: r.version, updatedAt: r.updatedAt)
    }

    /// The text as it reads now: frozen once approved, else with the current figures in it.
    func reading(_ r: ProductRecord, _ req: Request) async throws -> (
        text: String, figures: [FigureValue], unresolved: [PlaceholderProblem]
    ) {
        if r.state == .approved { return (r.approvedBody ?? r.draft.body, r.frozenFigures, []) }
        let resolution = try await ProductFigures(database: req.db, catalog: req.application.catalog).resolve(
            r.draft, operation: context.operation, now: req.now)
        let ordered = r.draft.placeholders.compactMap { resolution.values[$0.token] }
        return (
            ProductWorkflow.substitute(r.draft.body, values: resolution.values.mapValues(\.value)), ordered,
            resolution.problems
        )
    }

    /// Members a product may be shared with in Bearing: those its audience lets in (a partner only a
    /// public product), the reader included.
    func shareable(_ audience: AudienceLevel) -> [MemberRecord] {
        members.filter { member in
            guard let role = Role(rawValue: member.role) else { return false }
            return AccessPolicy.canShareProduct(audience: audience, with: role)
        }
    }
}

/// Advocacy products: drafts with versions and variants in other languages, review by area,
/// approval by the HeOps with the figures frozen, distribution to lists built from the registry,
/// and the approved text to print or send as an e-mail.
struct ProductController {
    func index(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req)
        let filter = AdvocacyStore.Filter(
            state: try req.queryChoice("state", ProductState.self), kind: try req.queryChoice("kind", ProductKind.self))
        let result = try await AdvocacyStore(req.db).list(
            in: p.scope, filter: filter, page: try req.paging(perPage: 50))
        let model = ProductList.Model(
            code: p.code, rows: result.items.map(p.line), state: filter.state, kind: filter.kind,
            paging: PagePosition(page: result.page, pageCount: result.pageCount, total: result.total),
            canWrite: p.canWrite)
        return Page.render(req, title: req.t("products_title")) { ProductList.view(model, $0) }
    }

    static func find(_ req: Request, _ p: ProductContext) async throws -> ProductRecord {
        guard let id = req.pathID(as: ProductID.self),
            let record = try await AdvocacyStore(req.db).find(id, in: p.scope)
        else { throw PageError(.notFound, key: "error.not_found") }
        return record
    }

    func show(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req)
        let record = try await Self.find(req, p)
        let store = AdvocacyStore(req.db)
        let reading = try await p.reading(record, req)
        let names = p.names
        let reviews = try await store.reviews(of: record.id)
        let variants = try await store.variants(of: record, in: p.scope)
        var approval: String?
        if AccessPolicy.canApproveProducts(in: p.context.operation.id, by: p.viewer) {
            do {
                try ProductWorkflow.checkApproval(
                    state: record.state, author: record.createdBy, approver: p.user, cleared: record.cleared,
                    unresolved: reading.unresolved)
            } catch {
                approval = req.t(error.messageKey)
                if case .notCleared(let areas) = error {
                    approval? += " " + areas.map { req.t($0.labelKey) }.joined(separator: req.t("list_separator"))
                }
            }
        }
        let lists = p.canWrite ? try await store.lists(in: p.scope) : []
        let model = ProductPage.Model(
            code: p.code, line: p.line(record), draft: record.draft, text: reading.text, figures: reading.figures,
            unresolved: reading.unresolved, author: record.createdBy.flatMap { names[$0] } ?? "—",
            approvedBy: record.approvedBy.flatMap { names[$0] }, approvedAt: record.approvedAt,
            variants: variants.map(p.line),
            missingLanguages: ProductLanguage.allCases.filter { l in
                l != record.draft.language && !variants.contains { $0.draft.language == l }
            },
            reviews: ReviewArea.allCases.compactMap { area in
                guard let reviewer = record.reviewers[area] else { return nil }
                let latest = reviews.first {
                    $0.area == area && $0.version == record.version && $0.reviewerID == reviewer
                }
                return .init(area: area, reviewer: names[reviewer], verdict: latest?.verdict, mine: reviewer == p.user)
            },
            comments: reviews.map {
                .init(
                    version: $0.version, area: $0.area, reviewer: $0.reviewerID.flatMap { names[$0] } ?? "—",
                    verdict: $0.verdict, text: $0.comment, at: $0.createdAt)
            },
            versions: try await store.versions(of: record.id).map {
                ($0.version, $0.createdBy.flatMap { names[$0] } ?? "—", $0.createdAt)
            },
            distributions: try await store.distributions(of: record.id).map { d in
                .init(
                    channel: d.channel, list: d.listName, audience: d.audience,
                    sentBy: d.sentBy.flatMap { names[$0] } ?? "—", at: d.sentAt,
                    recipients: d.recipients.map { ($0.name, $0.address, $0.status) })
            }, canWrite: p.canWrite,
            reviewerChoices: p.members.filter { m in
                guard m.userId != record.createdBy, let role = Role(rawValue: m.role) else { return false }
                return AccessPolicy.canReviewProduct(audience: record.draft.audience, role: role)
            }.map { ($0.userId, $0.displayName) }, approval: approval,
            canApprove: AccessPolicy.canApproveProducts(in: p.context.operation.id, by: p.viewer),
            lists: lists.map { ($0.id, $0.name, $0.memberIDs.count) },
            members: p.shareable(record.draft.audience).map { ($0.userId, $0.displayName) })
        return Page.render(req, title: record.draft.title) { ProductPage.view(model, $0) }
    }

    struct Submitted: Content {
        var kind: String?; var title: String?; var language: String?; var body: String?; var intendedFor: String?
        var evidence: String?; var audience: String?; var version: String?; var variantOf: String?
        enum CodingKeys: String, CodingKey {
            case kind, title, language, body, evidence, audience, version
            case intendedFor = "intended_for", variantOf = "variant_of"
        }
        func input(over base: ProductInput) -> ProductInput {
            var input = base
            let texts: [(String?, WritableKeyPath<ProductInput, String>)] = [
                (kind, \.kind), (title, \.title), (language, \.language), (body, \.body), (intendedFor, \.intendedFor),
                (audience, \.audience),
            ]
            for (value, field) in texts { if let value { input[keyPath: field] = value } }
            if let evidence { input.evidence = evidence.split(whereSeparator: \.isNewline).map(String.init) }
            return input
        }
    }

    func new(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req, requiring: AccessPolicy.canWriteProducts)
        var values = ProductInput()
        var variantOf: ProductID?
        if let raw = req.queryText("variant_of"), let id = UUID(uuidString: raw).map(ProductID.init(rawValue:)),
            let original = try await AdvocacyStore(req.db).find(id, in: p.scope)
        {
            values = ProductInput(original.draft)
            variantOf = original.id
            values.language = (try req.queryChoice("language", ProductLanguage.self) ?? .en).rawValue
        }
        return render(req, p, values: values, errors: [:], id: nil, variantOf: variantOf)
    }

    /// The one decoder, then: one may not write a product one could not see afterwards.
    static func checked(_ input: ProductInput, _ p: ProductContext) throws -> ProductDraft {
        let draft = try input.decoded()
        let access = RecordAccess(operationID: p.context.operation.id, audience: draft.audience, createdBy: p.user)
        guard AccessPolicy.canCreate(access, by: p.viewer) else {
            var errors = ValidationErrors()
            errors.add("audience", key: "error.audience_not_cleared", "You would not see a product with this audience.")
            throw errors
        }
        return draft
    }

    func create(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req, requiring: AccessPolicy.canWriteProducts)
        let form = try req.content.decode(Submitted.self)
        let input = form.input(over: ProductInput())
        let variantOf = form.variantOf.flatMap(UUID.init(uuidString:)).map(ProductID.init(rawValue:))
        do {
            let record = try await AdvocacyStore(req.db).create(
                try Self.checked(input, p), variantOf: variantOf, scope: p.scope, actorID: p.user, now: req.now)
            Page.flash("products.created", on: req)
            return req.redirect(to: SiteURL.product(.value(p.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return render(
                req, p, values: input, errors: errors.messages(in: req), id: nil, variantOf: variantOf,
                status: .unprocessableEntity)
        }
    }

    func edit(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req, requiring: AccessPolicy.canWriteProducts)
        let record = try await Self.find(req, p)
        guard record.state != .approved else { throw PageError(.conflict, key: "products.frozen") }
        return render(
            req, p, values: ProductInput(record.draft), errors: [:], id: record.id, variantOf: nil,
            version: EditVersion.token(record.updatedAt))
    }

    func update(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req, requiring: AccessPolicy.canWriteProducts)
        let record = try await Self.find(req, p)
        guard record.state != .approved else { throw PageError(.conflict, key: "products.frozen") }
        let form = try req.content.decode(Submitted.self)
        let input = form.input(over: ProductInput(record.draft))
        do {
            _ = try await AdvocacyStore(req.db).saveVersion(
                record.id, draft: try Self.checked(input, p), scope: p.scope, actorID: p.user,
                expecting: form.version ?? "", now: req.now)
            Page.flash("products.saved", on: req)
            return req.redirect(to: SiteURL.product(.value(p.code), .value(record.id)).path)
        } catch let errors as ValidationErrors {
            return render(
                req, p, values: input, errors: errors.messages(in: req), id: record.id, variantOf: nil,
                version: form.version ?? "", status: .unprocessableEntity)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let stored = try await Self.find(req, p)
            return render(
                req, p, values: input, errors: [:], id: record.id, variantOf: nil,
                version: EditVersion.token(stored.updatedAt),
                stale: StaleNotice(stored: ProductInput(stored.draft), submitted: input, strings: req.strings),
                status: .conflict)
        }
    }

    func render(
        _ req: Request, _ p: ProductContext, values: ProductInput, errors: [String: String], id: ProductID?,
        variantOf: ProductID?, version: String = "", stale: StaleNotice? = nil, status: HTTPResponseStatus = .ok
    ) -> Response {
        let model = ProductForm.Model(
            code: p.code, id: id, variantOf: variantOf, values: values, errors: errors, version: version, stale: stale)
        return Page.render(req, title: ProductForm.title(model, req.strings), status: status) {
            ProductForm.view(model, $0)
        }
    }

    // MARK: The workflow

    struct Reviewers: Content {
        var technical: String?; var protection: String?; var communications: String?
        enum CodingKeys: String, CodingKey {
            case technical = "reviewer_technical", protection = "reviewer_protection"
            case communications = "reviewer_communications"
        }
        var chosen: [ReviewArea: UserID] {
            var out: [ReviewArea: UserID] = [:]
            for (area, text) in [
                (ReviewArea.technical, technical), (.protection, protection), (.communications, communications),
            ] {
                if let id = text.flatMap(UUID.init(uuidString:)) { out[area] = UserID(id) }
            }
            return out
        }
    }

    func submit(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req, requiring: AccessPolicy.canWriteProducts)
        let record = try await Self.find(req, p)
        do {
            _ = try await AdvocacyStore(req.db).submit(
                record.id, reviewers: try req.content.decode(Reviewers.self).chosen, scope: p.scope, actorID: p.user,
                now: req.now)
        } catch is ValidationErrors {
            throw PageError(.unprocessableEntity, key: "products.reviewers_invalid")
        }
        Page.flash("products.submitted", on: req)
        return req.redirect(to: SiteURL.product(.value(p.code), .value(record.id)).path)
    }

    struct ReviewForm: Content { var area: String?; var verdict: String?; var comment: String? }

    func review(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req)
        let record = try await Self.find(req, p)
        let form = try req.content.decode(ReviewForm.self)
        guard let area = form.area.flatMap(ReviewArea.init(rawValue:)),
            let verdict = form.verdict.flatMap(ReviewVerdict.init(rawValue:))
        else { throw PageError(.unprocessableEntity, key: "error.choose") }
        guard record.reviewers[area] == p.user else { throw PageError(.forbidden, key: "error.forbidden") }
        let comment = form.comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let comment, comment.count > 5_000 { throw PageError(.unprocessableEntity, key: "error.too_long") }
        _ = try await AdvocacyStore(req.db).review(
            record.id, area: area, verdict: verdict, comment: comment, scope: p.scope, actorID: p.user, now: req.now)
        Page.flash("products.reviewed", on: req)
        return req.redirect(to: SiteURL.product(.value(p.code), .value(record.id)).path)
    }

    func approve(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req, requiring: AccessPolicy.canApproveProducts)
        let record = try await Self.find(req, p)
        do {
            _ = try await Self.approve(record, p, req)
        } catch let error as DomainError where error.kind == .conflict {
            throw PageError(.conflict, key: "products.cannot_approve")
        }
        Page.flash("products.approved", on: req)
        return req.redirect(to: SiteURL.product(.value(p.code), .value(record.id)).path)
    }

    /// Approval with the figures as they resolve at this moment, through the product's audience.
    static func approve(_ record: ProductRecord, _ p: ProductContext, _ req: Request) async throws -> ProductRecord {
        let resolution = try await ProductFigures(database: req.db, catalog: req.application.catalog).resolve(
            record.draft, operation: p.context.operation, now: req.now)
        return try await AdvocacyStore(req.db).approve(
            record.id, figures: record.draft.placeholders.compactMap { resolution.values[$0.token] },
            unresolved: resolution.problems, scope: p.scope, actorID: p.user, now: req.now)
    }

    struct DistributeForm: Content {
        var channel: String?; var listID: String?; var memberIDs: [String]?; var audience: String?; var note: String?
        enum CodingKeys: String, CodingKey {
            case channel, audience, note
            case listID = "list_id", memberIDs = "member_ids"
        }
    }

    func distribute(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req, requiring: AccessPolicy.canWriteProducts)
        let record = try await Self.find(req, p)
        let form = try req.content.decode(DistributeForm.self)
        do {
            _ = try await Self.distribute(
                record, channel: form.channel ?? "", listID: form.listID, memberIDs: form.memberIDs ?? [],
                audience: form.audience ?? record.draft.audience.rawValue, note: form.note, p, req)
        } catch let errors as ValidationErrors {
            throw PageError(.unprocessableEntity, key: errors.errors.first?.messageKey ?? "error.choose")
        } catch let error as DomainError where error.kind == .conflict {
            throw PageError(.conflict, key: "products.not_approved")
        }
        Page.flash("products.distributed", on: req)
        return req.redirect(to: SiteURL.product(.value(p.code), .value(record.id)).path)
    }

    /// Checks a distribution and records it: a channel, a list (or members for Bearing), an audience
    /// no wider than the product's.
    static func distribute(
        _ record: ProductRecord, channel: String, listID: String?, memberIDs: [String], audience: String, note: String?,
        _ p: ProductContext, _ req: Request
    ) async throws -> DistributionID {
        guard record.state == .approved else {
            throw DomainError(
                .conflict, field: "state", key: "products.not_approved", ProductWorkflow.Refusal.notApproved.message)
        }
        var read = FieldReader()
        let channel = read.choice(channel, "channel", DistributionChannel.self)
        if read.trimmed(channel?.rawValue ?? "") == nil, read.errors.isEmpty {
            read.errors.add("channel", key: "products.channel_required", "Choose a channel.")
        }
        let audience = read.choice(audience, "audience", AudienceLevel.self)
        if let audience, audience < record.draft.audience {
            read.errors.add(
                "audience", key: "products.audience_wider",
                "A distribution is not wider than the product's audience (\(record.draft.audience.rawValue)).")
        }
        let note = read.limited(note ?? "", "note", 500)
        var list: DistributionListRecord?
        var entries: [StakeholderRecord] = []
        var members: [MemberRecord] = []
        if channel == .bearing {
            let shareable = Dictionary(
                p.shareable(record.draft.audience).map { ($0.userId.uuidString, $0) }, uniquingKeysWith: { a, _ in a })
            for id in memberIDs where read.trimmed(id) != nil {
                if let member = shareable[id.uppercased()] ?? shareable[id] {
                    members.append(member)
                } else {
                    read.errors.add(
                        "member_ids", key: "products.member_not_cleared",
                        "A member it is shared with must be cleared for its audience: \(id).")
                }
            }
            if members.isEmpty, read.errors.message(for: "member_ids") == nil {
                read.errors.add("member_ids", key: "products.members_required", "Choose the members to share it with.")
            }
        } else if channel != nil {
            let lists = try await AdvocacyStore(req.db).lists(in: p.scope)
            list = lists.first { $0.id.uuidString == listID?.uppercased() || $0.id.uuidString == listID }
            if list == nil {
                read.errors.add("list_id", key: "products.list_required", "Choose a distribution list.")
            } else {
                entries = try await StakeholderStore(req.db).find(list!.memberIDs, in: p.scope).values.sorted {
                    $0.draft.name < $1.draft.name
                }
            }
        }
        try read.errors.throwIfAny()
        return try await AdvocacyStore(req.db).distribute(
            record.id, channel: channel!, list: list, audience: audience ?? record.draft.audience, note: note,
            recipients: Advocacy.recipients(channel: channel!, entries: entries, members: members), scope: p.scope,
            actorID: p.user, now: req.now)
    }

    // MARK: Print and e-mail

    func print(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req)
        let record = try await Self.find(req, p)
        let reading = try await p.reading(record, req)
        let model = ProductPrint.Model(
            operationName: p.context.operation.name, line: p.line(record), text: reading.text, figures: reading.figures,
            evidence: record.draft.evidence, approvedAt: record.approvedAt, printedAt: req.now)
        return Page.render(req, title: record.draft.title) { ProductPrint.view(model, $0) }
    }

    /// The product as the body of an e-mail (plain text), in the product's language.
    func email(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req)
        let record = try await Self.find(req, p)
        let reading = try await p.reading(record, req)
        let t = Strings(
            req.application.catalog, language: record.draft.language.rawValue, clock: p.context.operation.time)
        var text = Advocacy.emailText(
            title: record.draft.title, body: reading.text, figures: reading.figures, evidence: record.draft.evidence,
            approvedAt: record.approvedAt, audience: record.draft.audience, operation: p.context.operation.name, t: t)
        if record.state != .approved { text = t("products_draft_mark") + "\n\n" + text }
        // `format=text`: the body alone, to paste into a mail program; else a page that shows it.
        enum Format: String { case text }
        guard try req.queryChoice("format", Format.self) == nil else {
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
            headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return Response(status: .ok, headers: headers, body: .init(string: text))
        }
        let model = ProductEmailPage.Model(code: p.code, line: p.line(record), text: text)
        return Page.render(req, title: record.draft.title) { ProductEmailPage.view(model, $0) }
    }

    // MARK: Distribution lists

    func lists(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req, requiring: AccessPolicy.canWriteProducts)
        return try await renderLists(req, p, errors: [:], name: "", members: "")
    }

    func renderLists(
        _ req: Request, _ p: ProductContext, errors: [String: String], name: String, members: String,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let lists = try await AdvocacyStore(req.db).lists(in: p.scope)
        let entries = try await StakeholderStore(req.db).find(lists.flatMap(\.memberIDs), in: p.scope)
        let model = DistributionListsPage.Model(
            code: p.code,
            lists: lists.map { list in
                (list.id, list.name, list.memberIDs.compactMap { entries[$0]?.shortName }.sorted())
            },
            errors: errors, name: name, members: members)
        return Page.render(req, title: req.t("lists_title"), status: status) { DistributionListsPage.view(model, $0) }
    }

    struct ListForm: Content { var name: String?; var members: String? }

    func createList(_ req: Request) async throws -> Response {
        let p = try await ProductContext.load(req, requiring: AccessPolicy.canWriteProducts)
        let form = try req.content.decode(ListForm.self)
        var read = FieldReader()
        let name = read.limited(form.name ?? "", "name", 200)
        if name == nil { read.errors.add("name", key: "error.required", "A name is required.") }
        var ids: [StakeholderID] = []
        do {
            ids = try await Meetings(database: req.db).attendees(form.members ?? "", scope: p.scope)
        } catch let errors as ValidationErrors {
            for e in errors.errors { read.errors.add("members", key: "", e.message) }
        }
        if ids.isEmpty, read.errors.message(for: "members") == nil {
            read.errors.add("members", key: "lists.members_required", "Name at least one entry of the registry.")
        }
        guard read.errors.isEmpty, let name else {
            return try await renderLists(
                req, p, errors: read.errors.messages(in: req), name: form.name ?? "", members: form.members ?? "",
                status: .unprocessableEntity)
        }
        _ = try await AdvocacyStore(req.db).createList(
            name: name, members: ids, scope: p.scope, actorID: p.user, now: req.now)
        Page.flash("lists.created", on: req)
        return req.redirect(to: SiteURL.distributionLists(.value(p.code)).path)
    }
}
