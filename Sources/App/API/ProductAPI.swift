import Domain
import Foundation
import Persistence
import Vapor
import Views

extension APIDTO {
    struct ProductFigure: Content {
        let token: String; let value: Int; let source: String; let asOf: String
        init(_ f: FigureValue) { token = f.token; value = f.value; source = f.source; asOf = DateText.day(f.asOf) }
    }
    struct ProductProblem: Content { let token: String; let reason: String }
    struct ProductReviewer: Content { let area: String; let userId: UserID; let cleared: Bool }
    struct Product: Content {
        let id: ProductID; let number: Int; let kind: String; let title: String; let language: String
        let state: String; let version: Int; let audience: String; let intendedFor: String?
        /// The text as written (with its placeholders).
        let body: String
        /// The text as it reads: frozen once approved, with the current figures before.
        let text: String
        let figures: [ProductFigure]; let unresolved: [ProductProblem]
        let evidence: [String]; let reviewers: [ProductReviewer]; let variantIds: [ProductID]
        let approvedAt: Date?; let approvedBy: UserID?; let updatedAt: Date
    }
    struct ProductList: Content { let items: [Product]; let total: Int; let page: Int; let pageCount: Int }
    struct ProductInput: Content {
        let kind: String?; let title: String?; let language: String?; let body: String?; let intendedFor: String?
        let evidence: [String]?; let audience: String?; let variantOf: String?
        func applied(to base: Domain.ProductInput) -> Domain.ProductInput {
            var input = base
            let texts: [(String?, WritableKeyPath<Domain.ProductInput, String>)] = [
                (kind, \.kind), (title, \.title), (language, \.language), (body, \.body), (intendedFor, \.intendedFor),
                (audience, \.audience),
            ]
            for (value, field) in texts { if let value { input[keyPath: field] = value } }
            if let evidence { input.evidence = evidence }
            return input
        }
    }
    /// A step of the workflow: `submit` (with reviewers), `review` (area, verdict, comment),
    /// `approve`, or `distribute` (channel, list_id or member_ids, audience, note).
    struct ProductAction: Content {
        let action: String?
        let reviewers: [String: String]?
        let area: String?; let verdict: String?; let comment: String?
        let channel: String?; let listId: String?; let memberIds: [String]?; let audience: String?; let note: String?
    }
}

/// Advocacy products in the API: read, written, and moved through review, approval and
/// distribution by the same rules as the pages.
struct ProductAPI {
    func context(_ req: Request, _ rule: (OperationID, Viewer) -> Bool = AccessPolicy.canViewProducts)
        async throws -> ProductContext
    {
        let notFound = APIError(.notFound, code: "not_found", "No such operation.")
        do {
            return try await ProductContext.load(req, requiring: rule, notFound: notFound)
        } catch let error as PageError where error.status == .forbidden {
            throw APIError(.forbidden, code: "forbidden", "Your role may not do this with products.")
        }
    }

    func body(_ r: ProductRecord, _ p: ProductContext, _ req: Request) async throws -> APIDTO.Product {
        let reading = try await p.reading(r, req)
        let variants = try await AdvocacyStore(req.db).variants(of: r, in: p.scope)
        return APIDTO.Product(
            id: r.id, number: r.number, kind: r.draft.kind.rawValue, title: r.draft.title,
            language: r.draft.language.rawValue, state: r.state.rawValue, version: r.version,
            audience: r.draft.audience.rawValue, intendedFor: r.draft.intendedFor, body: r.draft.body,
            text: reading.text,
            figures: reading.figures.map(APIDTO.ProductFigure.init),
            unresolved: reading.unresolved.map { .init(token: $0.token, reason: $0.reason) },
            evidence: r.draft.evidence.map(\.line),
            reviewers: r.reviewers.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                .init(area: $0.key.rawValue, userId: $0.value, cleared: r.cleared.contains($0.key))
            }, variantIds: variants.map(\.id), approvedAt: r.approvedAt, approvedBy: r.approvedBy,
            updatedAt: r.updatedAt)
    }

    func load(_ req: Request, _ p: ProductContext) async throws -> ProductRecord {
        guard let raw = req.parameters.get("id"), let id = UUID(uuidString: raw),
            let record = try await AdvocacyStore(req.db).find(ProductID(id), in: p.scope)
        else { throw APIError(.notFound, code: "not_found", "No such product.") }
        return record
    }

    func list(_ req: Request) async throws -> APIDTO.ProductList {
        let p = try await context(req)
        let page = try await AdvocacyStore(req.db).list(
            in: p.scope,
            filter: .init(
                state: try req.queryChoice("state", ProductState.self),
                kind: try req.queryChoice("kind", ProductKind.self)),
            page: try req.paging(perPage: 50))
        var items: [APIDTO.Product] = []
        for record in page.items { items.append(try await body(record, p, req)) }
        return APIDTO.ProductList(items: items, total: page.total, page: page.page, pageCount: page.pageCount)
    }

    func show(_ req: Request) async throws -> Response {
        let p = try await context(req)
        let record = try await load(req, p)
        return try await APIVersioning.tagged(
            try await body(record, p, req), version: EditVersion.token(record.updatedAt), req)
    }

    func create(_ req: Request) async throws -> Response {
        let p = try await context(req, AccessPolicy.canWriteProducts)
        let dto = try req.apiBody(APIDTO.ProductInput.self)
        let draft = try ProductController.checked(dto.applied(to: Domain.ProductInput()), p)
        let variantOf = dto.variantOf.flatMap(UUID.init(uuidString:)).map(ProductID.init(rawValue:))
        let record = try await AdvocacyStore(req.db).create(
            draft, variantOf: variantOf, scope: p.scope, actorID: p.user, now: req.now)
        let response = try await APIVersioning.tagged(
            try await body(record, p, req), version: EditVersion.token(record.updatedAt), status: .created, req)
        response.headers.replaceOrAdd(
            name: .location, value: SiteURL.apiProduct(.value(p.code), .value(record.id)).path)
        return response
    }

    /// A new version: a field left out keeps its value. Refused (409) once approved.
    func update(_ req: Request) async throws -> Response {
        let p = try await context(req, AccessPolicy.canWriteProducts)
        let record = try await load(req, p)
        let version = try req.ifMatch()
        let draft = try ProductController.checked(
            req.apiBody(APIDTO.ProductInput.self).applied(to: Domain.ProductInput(record.draft)), p)
        do {
            let updated = try await AdvocacyStore(req.db).saveVersion(
                record.id, draft: draft, scope: p.scope, actorID: p.user, expecting: version, now: req.now)
            return try await APIVersioning.tagged(
                try await body(updated, p, req), version: EditVersion.token(updated.updatedAt), req)
        } catch let error as DomainError where EditVersion.isStale(error) {
            let current = try await AdvocacyStore(req.db).find(record.id, in: p.scope)
            throw APIVersioning.stale(current.map { EditVersion.token($0.updatedAt) } ?? "")
        }
    }

    func act(_ req: Request) async throws -> APIDTO.Product {
        let p = try await context(req)
        let record = try await load(req, p)
        let action = try req.apiBody(APIDTO.ProductAction.self)
        let operation = p.context.operation.id
        func require(_ allowed: Bool) throws {
            guard allowed else {
                throw APIError(.forbidden, code: "forbidden", "Your role may not do this with products.")
            }
        }
        let updated: ProductRecord
        switch action.action {
        case "submit":
            try require(AccessPolicy.canWriteProducts(in: operation, by: p.viewer))
            var reviewers: [ReviewArea: UserID] = [:]
            for (key, value) in action.reviewers ?? [:] {
                guard let area = ReviewArea(rawValue: key), let id = UUID(uuidString: value) else {
                    throw APIError(
                        .unprocessableEntity, code: "invalid",
                        "reviewers: areas are technical, protection, communications; values are user ids.",
                        details: [.init(field: "reviewers", message: "\(key): \(value)")])
                }
                reviewers[area] = UserID(id)
            }
            updated = try await AdvocacyStore(req.db).submit(
                record.id, reviewers: reviewers, scope: p.scope, actorID: p.user, now: req.now)
        case "review":
            guard let area = action.area.flatMap(ReviewArea.init(rawValue:)),
                let verdict = action.verdict.flatMap(ReviewVerdict.init(rawValue:))
            else {
                throw APIError(
                    .unprocessableEntity, code: "invalid", "area and verdict are required.",
                    details: [
                        .init(
                            field: "area",
                            message: "technical, protection or communications; verdict comment or cleared")
                    ])
            }
            updated = try await AdvocacyStore(req.db).review(
                record.id, area: area, verdict: verdict,
                comment: action.comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty.map {
                    String($0.prefix(5_000))
                },
                scope: p.scope, actorID: p.user, now: req.now)
        case "approve":
            try require(AccessPolicy.canApproveProducts(in: operation, by: p.viewer))
            updated = try await ProductController.approve(record, p, req)
        case "distribute":
            try require(AccessPolicy.canWriteProducts(in: operation, by: p.viewer))
            _ = try await ProductController.distribute(
                record, channel: action.channel ?? "", listID: action.listId, memberIDs: action.memberIds ?? [],
                audience: action.audience ?? record.draft.audience.rawValue, note: action.note, p, req)
            updated = try await load(req, p)
        default:
            throw APIError(
                .unprocessableEntity, code: "invalid", "action: one of submit, review, approve, distribute.",
                details: [.init(field: "action", message: "one of submit, review, approve, distribute")])
        }
        return try await body(updated, p, req)
    }
}
