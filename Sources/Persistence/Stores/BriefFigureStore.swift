import Domain
import FluentKit
import Foundation
import SQLKit

/// The figures a document needs over a period that no other store counts that way: alert
/// deliveries of one operation, referrals made and answered (aggregates only), products approved.
public struct BriefFigureStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// Alert messages of the operation's alerts raised in [from, to), by channel and state.
    public func alertDeliveries(in operationID: OperationID, from: Date, to: Date) async throws -> [(
        channel: String, state: String, count: Int
    )] {
        try await database.sql.select().column(SQLColumn("channel", table: "d")).column(SQLColumn("state", table: "d"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("alert_deliveries"), as: SQLIdentifier("d")))
            .join(
                SQLAlias(SQLIdentifier("alerts"), as: SQLIdentifier("a")), method: SQLJoinMethod.inner,
                on: SQLColumn("alert_id", table: "d"), .equal, SQLColumn("id", table: "a")
            )
            .where(SQLColumn("operation_id", table: "a"), .equal, SQLBind(operationID))
            .where(SQLColumn("created_at", table: "a"), .greaterThanOrEqual, SQLBind(from))
            .where(SQLColumn("created_at", table: "a"), .lessThan, SQLBind(to))
            .groupBy(SQLColumn("channel", table: "d")).groupBy(SQLColumn("state", table: "d")).all().map {
                (
                    try $0.decode(column: "channel", as: String.self), try $0.decode(column: "state", as: String.self),
                    try $0.decode(column: "n", as: Int.self)
                )
            }
    }

    public struct ReferralFigures: Sendable, Hashable {
        public var made = 0
        public var accepted = 0
        public var declined = 0
        public var open = 0
    }

    /// Referrals sent in [from, to); of those answered in it, accepted and declined; open at `to`.
    /// Counts only: never a person.
    public func referrals(in operationID: OperationID, from: Date, to: Date) async throws -> ReferralFigures {
        let sql = database.sql
        func count(_ build: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> Int {
            try await build(
                sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("referrals")
                    .where("operation_id", .equal, operationID)
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        var figures = ReferralFigures()
        figures.made = try await count {
            $0.where("sent_at", .greaterThanOrEqual, from).where("sent_at", .lessThan, to)
        }
        for (status, keyPath) in [
            (ReferralStatus.accepted, \ReferralFigures.accepted), (.declined, \ReferralFigures.declined),
        ] {
            figures[keyPath: keyPath] = try await count {
                $0.join(
                    SQLAlias(SQLIdentifier("referral_events"), as: SQLIdentifier("e")), method: SQLJoinMethod.inner,
                    on: SQLColumn("referral_id", table: "e"), .equal, SQLColumn("id", table: "referrals")
                )
                .where(SQLColumn("to_status", table: "e"), .equal, SQLBind(status.rawValue))
                .where(SQLColumn("at", table: "e"), .greaterThanOrEqual, SQLBind(from))
                .where(SQLColumn("at", table: "e"), .lessThan, SQLBind(to))
            }
        }
        figures.open = try await count {
            $0.where("status", .in, [ReferralStatus.sent, .accepted].map(\.rawValue))
                .where("created_at", .lessThan, to)
        }
        return figures
    }

    public struct ApprovedProduct: Sendable, Hashable {
        public let id: ProductID
        public let title: String
        public let kind: String
        public let approvedAt: Date
    }

    /// Products approved in [from, to) that `scope` may see.
    public func productsApproved(in scope: Scope, from: Date, to: Date) async throws -> [ApprovedProduct] {
        try await database.sql.select().columns("id", "title", "kind", "approved_at").from("advocacy_products")
            .where(VisibilityFilter.products(scope)).where("state", .equal, ProductState.approved.rawValue)
            .where("approved_at", .greaterThanOrEqual, from).where("approved_at", .lessThan, to)
            .orderBy("approved_at").orderBy("id").all().map {
                ApprovedProduct(
                    id: try $0.decode(column: "id", as: ProductID.self),
                    title: try $0.decode(column: "title", as: String.self),
                    kind: try $0.decode(column: "kind", as: String.self),
                    approvedAt: try $0.decode(column: "approved_at", as: Date.self))
            }
    }
}
