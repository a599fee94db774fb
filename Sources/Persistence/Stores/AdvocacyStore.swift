import Domain
import FluentKit
import Foundation
import SQLKit

/// An advocacy product as stored: its current version, its reviewers, what is cleared on that
/// version, and once approved the frozen figures and text.
public struct ProductRecord: Sendable, Hashable {
    public var id: ProductID
    public var operationID: OperationID
    public var number: Int
    public var state: ProductState
    public var version: Int
    public var draft: ProductDraft
    public var variantGroup: UUID
    public var reviewers: [ReviewArea: UserID]
    /// Areas cleared on the current version.
    public var cleared: Set<ReviewArea>
    public var frozenFigures: [FigureValue]
    public var approvedBody: String?
    public var approvedBy: UserID?
    public var approvedAt: Date?
    public var sharedWith: Set<UserID>
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date

    public var access: RecordAccess {
        RecordAccess(
            operationID: operationID, audience: draft.audience, createdBy: createdBy,
            namedUserIDs: Set(reviewers.values).union(sharedWith))
    }
}

public struct ProductVersion: Sendable, Hashable {
    public let version: Int
    public let draft: ProductDraft
    public let createdBy: UserID?
    public let createdAt: Date
}

public struct ProductReview: Sendable, Hashable {
    public let version: Int
    public let area: ReviewArea
    public let reviewerID: UserID?
    public let verdict: ReviewVerdict
    public let comment: String?
    public let createdAt: Date
}

/// One recipient of a distribution, as recorded.
public struct RecipientRecord: Sendable, Hashable {
    public let id: UUID
    public let stakeholderID: StakeholderID?
    public let userID: UserID?
    public let name: String
    public let address: String?
    public let status: String
    public let error: String?
    public let sentAt: Date?
}

public struct DistributionRecord: Sendable, Hashable {
    public let id: DistributionID
    public let channel: DistributionChannel
    public let listName: String?
    public let audience: AudienceLevel
    public let note: String?
    public let sentBy: UserID?
    public let sentAt: Date
    public var recipients: [RecipientRecord]
}

/// A recipient to record with a distribution.
public struct RecipientDraft: Sendable, Hashable {
    public var stakeholderID: StakeholderID?
    public var userID: UserID?
    public var name: String
    /// The e-mail address or the number the channel uses; nil when the entry has none.
    public var address: String?
    public init(stakeholderID: StakeholderID? = nil, userID: UserID? = nil, name: String, address: String?) {
        self.stakeholderID = stakeholderID
        self.userID = userID
        self.name = name
        self.address = address
    }
}

/// A distribution list: entries of the registry, by name.
public struct DistributionListRecord: Sendable, Hashable {
    public let id: DistributionListID
    public var name: String
    public var memberIDs: [StakeholderID]
    public let createdBy: UserID?
}

/// Advocacy products, their versions, reviews, approval and distributions. Reads go through
/// `VisibilityFilter.products`; the workflow's rules are `ProductWorkflow`'s, checked here in the
/// same transaction as the change they guard.
public struct AdvocacyStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    static let kind = "advocacy_product"
    public static let emailJob = "advocacy_email"
    static let notFound = DomainError(.notFound, key: "error.not_found", "No such product.")

    static func refused(_ refusal: ProductWorkflow.Refusal) -> DomainError {
        DomainError(.conflict, field: "state", key: refusal.messageKey, refusal.message)
    }

    // MARK: Writing

    /// A new product, version 1; `variantOf` makes it a variant (another language) of that product.
    public func create(
        _ draft: ProductDraft, variantOf: ProductID? = nil, scope: Scope, actorID: UserID?, now: Date
    ) async throws -> ProductRecord {
        let id = ProductID(UUID())
        try await database.writing { db in
            let sql = db.sql
            var group = UUID()
            if let variantOf {
                guard let original = try await AdvocacyStore(db).find(variantOf, in: scope) else { throw Self.notFound }
                group = original.variantGroup
            }
            if sql.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(7243019)").run() }
            let number =
                try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("number")), as: "n")
                .from("advocacy_products").where("operation_id", .equal, scope.operationID).first()?
                .decode(column: "n", as: Int?.self) ?? 0
            let columns: [(String, SQLBind)] = [
                ("id", SQLBind(id)), ("operation_id", SQLBind(scope.operationID)), ("number", SQLBind(number + 1)),
                ("kind", SQLBind(draft.kind.rawValue)), ("title", SQLBind(draft.title)),
                ("language", SQLBind(draft.language.rawValue)), ("variant_group", SQLBind(group)),
                ("state", SQLBind(ProductState.draft.rawValue)), ("audience", SQLBind(draft.audience.rawValue)),
                ("version", SQLBind(1)), ("created_by", SQLBind(actorID)), ("created_at", SQLBind(now)),
                ("updated_at", SQLBind(now)),
            ]
            try await sql.insert(into: "advocacy_products").columns(columns.map(\.0)).values(columns.map(\.1)).run()
            try await Self.insertVersion(1, of: id, draft: draft, actorID: actorID, now: now, on: sql)
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create, after: Self.snapshot(draft, state: .draft, version: 1), at: now)
        }
        guard let record = try await find(id, in: scope) else { throw Self.notFound }
        return record
    }

    /// A new version of the text. Refused once approved; in review, the product stays in review and
    /// the reviewers clear the new version again.
    public func saveVersion(
        _ id: ProductID, draft: ProductDraft, scope: Scope, actorID: UserID?, expecting version: String?, now: Date
    ) async throws -> ProductRecord {
        try await database.writing { db in
            guard let before = try await AdvocacyStore(db).find(id, in: scope) else { throw Self.notFound }
            guard before.state != .approved else { throw Self.refused(.approvedIsFrozen) }
            try await db.sql.requireVersion(version, of: "advocacy_products", id: id, what: "product", now: now)
            let next = before.version + 1
            try await Self.insertVersion(next, of: id, draft: draft, actorID: actorID, now: now, on: db.sql)
            try await db.sql.update("advocacy_products").set("version", to: next).set("title", to: draft.title)
                .set("kind", to: draft.kind.rawValue).set("language", to: draft.language.rawValue)
                .set("audience", to: draft.audience.rawValue).set("updated_at", to: now).where("id", .equal, id).run()
            try await Self.replaceGrants(of: id, on: db)
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before.draft, state: before.state, version: before.version),
                after: Self.snapshot(draft, state: before.state, version: next), at: now)
        }
        guard let record = try await find(id, in: scope) else { throw Self.notFound }
        return record
    }

    /// Sends a draft for review, naming a reviewer for each area (members of the Movement, not the
    /// author); the reviewers may be changed while it is in review.
    public func submit(
        _ id: ProductID, reviewers: [ReviewArea: UserID], scope: Scope, actorID: UserID?, now: Date
    ) async throws -> ProductRecord {
        try await database.writing { db in
            guard let before = try await AdvocacyStore(db).find(id, in: scope) else { throw Self.notFound }
            guard before.state != .approved else { throw Self.refused(.approvedIsFrozen) }
            var errors = ValidationErrors()
            let roles = try await Self.roles(in: scope.operationID, on: db.sql)
            for area in ReviewArea.allCases {
                guard let user = reviewers[area] else {
                    errors.add(
                        "reviewer_\(area.rawValue)", key: "error.reviewer_required", "Name a \(area.rawValue) reviewer."
                    )
                    continue
                }
                if user == before.createdBy {
                    errors.add(
                        "reviewer_\(area.rawValue)", key: "error.reviewer_author",
                        ProductWorkflow.Refusal.reviewerIsAuthor.message)
                } else if !(roles[user].map(AccessPolicy.canBeNamedReviewer) ?? false) {
                    errors.add(
                        "reviewer_\(area.rawValue)", key: "error.reviewer_not_member",
                        "A reviewer is a member of the operation from the Movement.")
                } else if let role = roles[user],
                    !AccessPolicy.canReviewProduct(audience: before.draft.audience, role: role)
                {
                    errors.add(
                        "reviewer_\(area.rawValue)", key: "error.reviewer_not_cleared",
                        "This reviewer is not cleared for the product's audience (\(before.draft.audience.rawValue)).")
                }
            }
            try errors.throwIfAny()
            try await db.sql.delete(from: "advocacy_reviewers").where("product_id", .equal, id).run()
            for (area, user) in reviewers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try await db.sql.insert(into: "advocacy_reviewers").columns("product_id", "area", "user_id")
                    .values(SQLBind(id), SQLBind(area.rawValue), SQLBind(user)).run()
            }
            try await db.sql.update("advocacy_products").set("state", to: ProductState.inReview.rawValue)
                .set("updated_at", to: now).where("id", .equal, id).run()
            try await Self.replaceGrants(of: id, on: db)
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: ["state": before.state.rawValue],
                after: [
                    "state": ProductState.inReview.rawValue,
                    "reviewers": reviewers.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                        "\($0.key.rawValue): \($0.value.uuidString)"
                    }.joined(separator: ", "),
                ], at: now)
        }
        guard let record = try await find(id, in: scope) else { throw Self.notFound }
        return record
    }

    /// A reviewer's comment or clearance on the current version, for the area they were named for.
    public func review(
        _ id: ProductID, area: ReviewArea, verdict: ReviewVerdict, comment: String?, scope: Scope, actorID: UserID,
        now: Date
    ) async throws -> ProductRecord {
        try await database.writing { db in
            guard let before = try await AdvocacyStore(db).find(id, in: scope) else { throw Self.notFound }
            guard before.state == .inReview else { throw Self.refused(.notInReview) }
            guard before.reviewers[area] == actorID else {
                throw DomainError(
                    .forbidden, field: "area", key: "error.not_reviewer", "You are not the \(area.rawValue) reviewer.")
            }
            try await db.sql.insert(into: "advocacy_reviews")
                .columns("id", "product_id", "version", "area", "reviewer_id", "verdict", "comment", "created_at")
                .values(
                    SQLBind(UUID()), SQLBind(id), SQLBind(before.version), SQLBind(area.rawValue), SQLBind(actorID),
                    SQLBind(verdict.rawValue), SQLBind(comment), SQLBind(now)
                ).run()
            try await db.sql.update("advocacy_products").set("updated_at", to: now).where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update,
                after: [
                    "review": "\(area.rawValue): \(verdict.rawValue) (version \(before.version))", "comment": comment,
                ],
                at: now)
        }
        guard let record = try await find(id, in: scope) else { throw Self.notFound }
        return record
    }

    /// Approves the product with its figures as they are now: the text with them in it is frozen,
    /// with each figure's source and date. `figures` resolved every placeholder (the caller's
    /// `ProductFigures`); the workflow is checked again here, in the transaction.
    public func approve(
        _ id: ProductID, figures: [FigureValue], unresolved: [PlaceholderProblem], scope: Scope, actorID: UserID,
        now: Date
    ) async throws -> ProductRecord {
        try await database.writing { db in
            guard let before = try await AdvocacyStore(db).find(id, in: scope) else { throw Self.notFound }
            do {
                try ProductWorkflow.checkApproval(
                    state: before.state, author: before.createdBy, approver: actorID, cleared: before.cleared,
                    unresolved: unresolved)
            } catch let refusal as ProductWorkflow.Refusal { throw Self.refused(refusal) }
            let body = ProductWorkflow.substitute(
                before.draft.body,
                values: Dictionary(figures.map { ($0.token, $0.value) }, uniquingKeysWith: { a, _ in a }))
            try await db.sql.update("advocacy_products").set("state", to: ProductState.approved.rawValue)
                .set("frozen_figures", to: try Self.json(figures)).set("approved_body", to: body)
                .set("approved_by", to: actorID).set("approved_at", to: now).set("updated_at", to: now)
                .where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: ["state": before.state.rawValue],
                after: [
                    "state": ProductState.approved.rawValue, "version": String(before.version),
                    "figures": figures.map { "\($0.token) = \($0.value)" }.joined(separator: "; "),
                ], at: now)
        }
        guard let record = try await find(id, in: scope) else { throw Self.notFound }
        return record
    }

    /// Records a distribution of an approved product and its recipients; e-mails are queued as jobs
    /// in the same transaction, so none is lost and none is sent for a distribution not recorded.
    public func distribute(
        _ id: ProductID, channel: DistributionChannel, list: DistributionListRecord?, audience: AudienceLevel,
        note: String?, recipients: [RecipientDraft], scope: Scope, actorID: UserID?, now: Date
    ) async throws -> DistributionID {
        let distribution = DistributionID(UUID())
        try await database.writing { db in
            guard let product = try await AdvocacyStore(db).find(id, in: scope) else { throw Self.notFound }
            guard product.state == .approved else { throw Self.refused(.notApproved) }
            try await db.sql.insert(into: "advocacy_distributions")
                .columns(
                    "id", "product_id", "operation_id", "channel", "list_id", "list_name", "audience", "note",
                    "sent_by", "sent_at"
                )
                .values(
                    SQLBind(distribution), SQLBind(id), SQLBind(scope.operationID), SQLBind(channel.rawValue),
                    SQLBind(list?.id), SQLBind(list?.name), SQLBind(audience.rawValue), SQLBind(note), SQLBind(actorID),
                    SQLBind(now)
                ).run()
            for recipient in recipients {
                let rowID = UUID()
                let status =
                    recipient.address == nil && channel != .bearing && channel != .print && channel != .meeting
                    ? "no_address" : channel.isSent ? "queued" : "recorded"
                try await db.sql.insert(into: "advocacy_recipients")
                    .columns(
                        "id", "distribution_id", "product_id", "stakeholder_id", "user_id", "name", "address", "status",
                        "sent_at"
                    )
                    .values(
                        SQLBind(rowID), SQLBind(distribution), SQLBind(id), SQLBind(recipient.stakeholderID),
                        SQLBind(recipient.userID), SQLBind(recipient.name), SQLBind(recipient.address), SQLBind(status),
                        SQLBind(status == "recorded" ? now : nil)
                    ).run()
                if status == "queued" {
                    _ = try await JobStore(db).enqueue(
                        kind: Self.emailJob, payload: rowID.uuidString, key: "advocacy:" + rowID.uuidString,
                        operationID: scope.operationID, runAt: now, now: now)
                }
            }
            try await Self.replaceGrants(of: id, on: db)
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update,
                after: [
                    "distribution": "\(channel.rawValue) to \(list?.name ?? "members") (\(recipients.count))",
                    "audience": audience.rawValue,
                ], at: now)
        }
        return distribution
    }

    /// The people and roles named on a restricted product: its reviewers and the members it was shared with.
    static func replaceGrants(of id: ProductID, on db: any Database) async throws {
        let reviewers = try await db.sql.select().column("user_id").from("advocacy_reviewers")
            .where("product_id", .equal, id).all().map { try $0.decode(column: "user_id", as: UserID.self) }
        let shared = try await db.sql.select().column("user_id").from("advocacy_recipients")
            .where("product_id", .equal, id).where("user_id", .isNot, SQLLiteral.null).all().map {
                try $0.decode(column: "user_id", as: UserID.self)
            }
        try await SiteStore.replaceGrants(
            on: db, kind: kind, recordID: id, grants: .init(userIDs: Set(reviewers + shared)))
    }

    static func insertVersion(
        _ version: Int, of id: ProductID, draft: ProductDraft, actorID: UserID?, now: Date, on sql: any SQLDatabase
    ) async throws {
        try await sql.insert(into: "advocacy_versions")
            .columns("id", "product_id", "version", "draft", "created_by", "created_at")
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(version), SQLBind(try json(draft)), SQLBind(actorID), SQLBind(now)
            )
            .run()
    }

    static func roles(in operationID: OperationID, on sql: any SQLDatabase) async throws -> [UserID: Role] {
        var roles: [UserID: Role] = [:]
        for row in try await sql.select().columns("user_id", "role").from("memberships")
            .where("operation_id", .equal, operationID).all()
        {
            if let role = Role(rawValue: try row.decode(column: "role", as: String.self)) {
                roles[try row.decode(column: "user_id", as: UserID.self)] = role
            }
        }
        return roles
    }

    // MARK: E-mail delivery (the job worker)

    /// What the worker needs to send one recipient's e-mail; nil when the row is gone.
    public struct EmailWork: Sendable {
        public let recipientID: UUID
        public let address: String
        public let status: String
        public let productID: ProductID
        public let operationID: OperationID
        public let number: Int
        public let title: String
        public let language: ProductLanguage
        public let body: String
        public let figures: [FigureValue]
        public let evidence: [FeedbackCitation]
        public let approvedAt: Date?
        public let audience: AudienceLevel
    }

    public func emailWork(_ recipientID: UUID) async throws -> EmailWork? {
        guard
            let row = try await database.sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("r")))
                .column(SQLColumn("operation_id", table: "p")).column(SQLColumn("number", table: "p"))
                .column(SQLColumn("approved_body", table: "p")).column(SQLColumn("frozen_figures", table: "p"))
                .column(SQLColumn("approved_at", table: "p")).column(SQLColumn("version", table: "p"))
                .column(SQLColumn("audience", table: "p"))
                .from(SQLAlias(SQLIdentifier("advocacy_recipients"), as: SQLIdentifier("r")))
                .join(
                    SQLAlias(SQLIdentifier("advocacy_products"), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                    on: SQLColumn("product_id", table: "r"), .equal, SQLColumn("id", table: "p")
                )
                .where(SQLColumn("id", table: "r"), .equal, SQLBind(recipientID)).first(),
            let address = try row.decode(column: "address", as: String?.self)
        else { return nil }
        let productID = try row.decode(column: "product_id", as: ProductID.self)
        let version = try row.decode(column: "version", as: Int.self)
        guard let draft = try await versions(of: productID).first(where: { $0.version == version })?.draft else {
            return nil
        }
        return EmailWork(
            recipientID: recipientID, address: address, status: try row.decode(column: "status", as: String.self),
            productID: productID, operationID: try row.decode(column: "operation_id", as: OperationID.self),
            number: try row.decode(column: "number", as: Int.self), title: draft.title, language: draft.language,
            body: try row.decode(column: "approved_body", as: String?.self) ?? draft.body,
            figures: Self.decode([FigureValue].self, try row.decode(column: "frozen_figures", as: String?.self)) ?? [],
            evidence: draft.evidence, approvedAt: try row.decode(column: "approved_at", as: Date?.self),
            audience: AudienceLevel(rawValue: try row.decode(column: "audience", as: String.self)) ?? .restricted)
    }

    public func markRecipient(_ id: UUID, sent: Bool, error: String?, now: Date) async throws {
        try await database.sql.update("advocacy_recipients").set("status", to: sent ? "sent" : "failed")
            .set("error", to: SQLBind(error)).set("sent_at", to: SQLBind(sent ? now : nil)).where("id", .equal, id)
            .run()
    }

    // MARK: Reading

    public func find(_ id: ProductID, in scope: Scope) async throws -> ProductRecord? {
        guard
            let row = try await database.sql.select().column("*").from("advocacy_products").where("id", .equal, id)
                .where(VisibilityFilter.products(scope)).first()
        else { return nil }
        return try await records([row]).first
    }

    public struct Filter: Sendable, Hashable {
        public var state: ProductState?
        public var kind: ProductKind?
        public init(state: ProductState? = nil, kind: ProductKind? = nil) {
            self.state = state
            self.kind = kind
        }
    }

    /// One page of products, the latest changed first.
    public func list(in scope: Scope, filter: Filter = Filter(), page: Paging) async throws -> ResultPage<ProductRecord>
    {
        let rows = try await database.sql.page(
            page, from: "advocacy_products",
            filter: { builder in
                builder.where(VisibilityFilter.products(scope))
                if let state = filter.state { builder.where("state", .equal, state.rawValue) }
                if let kind = filter.kind { builder.where("kind", .equal, kind.rawValue) }
                return builder
            }, order: { $0.orderBy("updated_at", .descending).orderBy("id") }, decode: { $0 })
        return ResultPage(
            items: try await records(rows.items), page: rows.page, perPage: rows.perPage, total: rows.total)
    }

    /// The product's variants in other languages that `scope` may see.
    public func variants(of record: ProductRecord, in scope: Scope) async throws -> [ProductRecord] {
        let rows = try await database.sql.select().column("*").from("advocacy_products")
            .where("variant_group", .equal, record.variantGroup).where("id", .notEqual, record.id)
            .where(VisibilityFilter.products(scope)).orderBy("language").all()
        return try await records(rows)
    }

    public func versions(of id: ProductID) async throws -> [ProductVersion] {
        try await database.sql.select().columns("version", "draft", "created_by", "created_at").from(
            "advocacy_versions"
        )
        .where("product_id", .equal, id).orderBy("version", .descending).all().compactMap { row in
            guard let draft = Self.decode(ProductDraft.self, try row.decode(column: "draft", as: String.self)) else {
                return nil
            }
            return ProductVersion(
                version: try row.decode(column: "version", as: Int.self), draft: draft,
                createdBy: try row.decode(column: "created_by", as: UserID?.self),
                createdAt: try row.decode(column: "created_at", as: Date.self))
        }
    }

    public func reviews(of id: ProductID) async throws -> [ProductReview] {
        try await database.sql.select().column("*").from("advocacy_reviews").where("product_id", .equal, id)
            .orderBy("created_at", .descending).all().compactMap { row in
                guard let area = ReviewArea(rawValue: try row.decode(column: "area", as: String.self)),
                    let verdict = ReviewVerdict(rawValue: try row.decode(column: "verdict", as: String.self))
                else { return nil }
                return ProductReview(
                    version: try row.decode(column: "version", as: Int.self), area: area,
                    reviewerID: try row.decode(column: "reviewer_id", as: UserID?.self), verdict: verdict,
                    comment: try row.decode(column: "comment", as: String?.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self))
            }
    }

    public func distributions(of id: ProductID) async throws -> [DistributionRecord] {
        var out: [DistributionRecord] = []
        for row in try await database.sql.select().column("*").from("advocacy_distributions")
            .where("product_id", .equal, id).orderBy("sent_at", .descending).all()
        {
            let distribution = try row.decode(column: "id", as: DistributionID.self)
            let recipients = try await database.sql.select().column("*").from("advocacy_recipients")
                .where("distribution_id", .equal, distribution).orderBy("name").all().map { r in
                    RecipientRecord(
                        id: try r.decode(column: "id", as: UUID.self),
                        stakeholderID: try r.decode(column: "stakeholder_id", as: StakeholderID?.self),
                        userID: try r.decode(column: "user_id", as: UserID?.self),
                        name: try r.decode(column: "name", as: String.self),
                        address: try r.decode(column: "address", as: String?.self),
                        status: try r.decode(column: "status", as: String.self),
                        error: try r.decode(column: "error", as: String?.self),
                        sentAt: try r.decode(column: "sent_at", as: Date?.self))
                }
            out.append(
                DistributionRecord(
                    id: distribution,
                    channel: DistributionChannel(rawValue: try row.decode(column: "channel", as: String.self))
                        ?? .print,
                    listName: try row.decode(column: "list_name", as: String?.self),
                    audience: AudienceLevel(rawValue: try row.decode(column: "audience", as: String.self))
                        ?? .restricted,
                    note: try row.decode(column: "note", as: String?.self),
                    sentBy: try row.decode(column: "sent_by", as: UserID?.self),
                    sentAt: try row.decode(column: "sent_at", as: Date.self), recipients: recipients))
        }
        return out
    }

    func records(_ rows: [any SQLRow]) async throws -> [ProductRecord] {
        var out: [ProductRecord] = []
        for row in rows {
            let id = try row.decode(column: "id", as: ProductID.self)
            let version = try row.decode(column: "version", as: Int.self)
            guard
                let draftText = try await database.sql.select().column("draft").from("advocacy_versions")
                    .where("product_id", .equal, id).where("version", .equal, version).first()?
                    .decode(column: "draft", as: String.self),
                let draft = Self.decode(ProductDraft.self, draftText)
            else { continue }
            var reviewers: [ReviewArea: UserID] = [:]
            for r in try await database.sql.select().columns("area", "user_id").from("advocacy_reviewers")
                .where("product_id", .equal, id).all()
            {
                if let area = ReviewArea(rawValue: try r.decode(column: "area", as: String.self)) {
                    reviewers[area] = try r.decode(column: "user_id", as: UserID.self)
                }
            }
            // An area is cleared when the latest word of its named reviewer on this version is "cleared".
            var latest: [ReviewArea: ReviewVerdict] = [:]
            for r in try await database.sql.select().columns("area", "verdict", "reviewer_id").from("advocacy_reviews")
                .where("product_id", .equal, id).where("version", .equal, version).orderBy("created_at").all()
            {
                guard let area = ReviewArea(rawValue: try r.decode(column: "area", as: String.self)),
                    try r.decode(column: "reviewer_id", as: UserID?.self) == reviewers[area]
                else { continue }
                latest[area] = ReviewVerdict(rawValue: try r.decode(column: "verdict", as: String.self))
            }
            let shared = try await database.sql.select().column("user_id").from("advocacy_recipients")
                .where("product_id", .equal, id).where("user_id", .isNot, SQLLiteral.null).all().map {
                    try $0.decode(column: "user_id", as: UserID.self)
                }
            var current = draft
            current.audience =
                AudienceLevel(rawValue: try row.decode(column: "audience", as: String.self)) ?? .restricted
            out.append(
                ProductRecord(
                    id: id, operationID: try row.decode(column: "operation_id", as: OperationID.self),
                    number: try row.decode(column: "number", as: Int.self),
                    state: ProductState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
                    version: version, draft: current,
                    variantGroup: try row.decode(column: "variant_group", as: UUID.self), reviewers: reviewers,
                    cleared: Set(latest.filter { $0.value == .cleared }.keys),
                    frozenFigures: Self.decode(
                        [FigureValue].self, try row.decode(column: "frozen_figures", as: String?.self)) ?? [],
                    approvedBody: try row.decode(column: "approved_body", as: String?.self),
                    approvedBy: try row.decode(column: "approved_by", as: UserID?.self),
                    approvedAt: try row.decode(column: "approved_at", as: Date?.self), sharedWith: Set(shared),
                    createdBy: try row.decode(column: "created_by", as: UserID?.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self),
                    updatedAt: try row.decode(column: "updated_at", as: Date.self)))
        }
        return out
    }

    // MARK: Distribution lists

    public func createList(name: String, members: [StakeholderID], scope: Scope, actorID: UserID?, now: Date)
        async throws -> DistributionListRecord
    {
        let id = DistributionListID(UUID())
        try await database.writing { db in
            try await db.sql.insert(into: "distribution_lists").columns(
                "id", "operation_id", "name", "created_by", "created_at", "updated_at"
            )
            .values(
                SQLBind(id), SQLBind(scope.operationID), SQLBind(name), SQLBind(actorID), SQLBind(now), SQLBind(now)
            ).run()
            for member in Array(Set(members)) {
                try await db.sql.insert(into: "distribution_list_members").columns("list_id", "stakeholder_id")
                    .values(SQLBind(id), SQLBind(member)).run()
            }
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: "distribution_list",
                recordID: id.uuidString,
                action: .create, after: ["name": name, "members": String(Set(members).count)], at: now)
        }
        return DistributionListRecord(id: id, name: name, memberIDs: members, createdBy: actorID)
    }

    /// The operation's lists; each names only the members the reader sees.
    public func lists(in scope: Scope) async throws -> [DistributionListRecord] {
        guard AccessPolicy.readsNetwork(scope.role) else { return [] }
        var out: [DistributionListRecord] = []
        for row in try await database.sql.select().column("*").from("distribution_lists")
            .where("operation_id", .equal, scope.operationID).orderBy("name").all()
        {
            let id = try row.decode(column: "id", as: DistributionListID.self)
            let members = try await database.sql.select().column(SQLColumn("stakeholder_id", table: "m"))
                .from(SQLAlias(SQLIdentifier("distribution_list_members"), as: SQLIdentifier("m")))
                .join(
                    SQLAlias(SQLIdentifier("stakeholders"), as: SQLIdentifier("stakeholders")),
                    method: SQLJoinMethod.inner, on: SQLColumn("stakeholder_id", table: "m"), .equal,
                    SQLColumn("id", table: "stakeholders")
                )
                .where(SQLColumn("list_id", table: "m"), .equal, SQLBind(id)).where(
                    VisibilityFilter.stakeholders(scope)
                )
                .all().map {
                    try $0.decode(column: "stakeholder_id", as: StakeholderID.self)
                }
            out.append(
                DistributionListRecord(
                    id: id, name: try row.decode(column: "name", as: String.self), memberIDs: members,
                    createdBy: try row.decode(column: "created_by", as: UserID?.self)))
        }
        return out
    }

    // MARK: Rows

    // Drafts and frozen figures are stored as the assessments' JSON is (`StoredJSON`); one that no
    // longer decodes is left out rather than failing the page.
    static func json<T: Encodable>(_ value: T) throws -> String { try StoredJSON.encode(value) }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        text.flatMap { try? StoredJSON.decode(type, $0) }
    }

    static func snapshot(_ d: ProductDraft, state: ProductState, version: Int) -> [String: String?] {
        [
            "kind": d.kind.rawValue, "title": d.title, "language": d.language.rawValue, "body": d.body,
            "intended_for": d.intendedFor, "evidence": d.evidence.map(\.line).joined(separator: " | "),
            "audience": d.audience.rawValue, "state": state.rawValue, "version": String(version),
        ]
    }
}
