import Domain
import Foundation
import SQLKit

/// Carries `Scope` — the decision made once in `AccessPolicy` — into SQL.
///
/// Every query that returns records goes through `predicate(_:table:kind:)`; the access matrix
/// tests check that it selects exactly the records `Scope.contains` accepts, on both databases.
enum VisibilityFilter {
    /// A WHERE expression true for the context events (published incidents) `scope` may see:
    /// `AccessPolicy.canViewContextEvents` lets every member see them, and a scope exists only for
    /// a member, so the operation is all there is to check.
    static func contextEvents(_ scope: Scope, table: String = "context_events") -> SQLQueryString {
        "\(ident: table).operation_id = \(bind: scope.operationID)"
    }

    /// A WHERE expression true for the referral directory's entries `scope` may see: every member
    /// reads the directory (`AccessPolicy.canViewServiceDirectory`), so the operation is all there is.
    static func services(_ scope: Scope, table: String = "services") -> SQLQueryString {
        "\(ident: table).operation_id = \(bind: scope.operationID)"
    }

    /// A WHERE expression true for the EPoA activities `scope` may see: figures without personal
    /// data, read by every member (`AccessPolicy.canViewActivities`), so the operation is all there is.
    static func activities(_ scope: Scope) -> SQLQueryString {
        "activities.operation_id = \(bind: scope.operationID)"
    }

    /// A WHERE expression true for the protection risks `scope` may see: the operation's, for a role
    /// that reads the register (`AccessPolicy.readsProtectionRisks`); none for any other.
    static func protectionRisks(_ scope: Scope, table: String = "protection_risks") -> SQLQueryString {
        guard AccessPolicy.readsProtectionRisks(scope.role) else { return "1 = 0" }
        return "\(ident: table).operation_id = \(bind: scope.operationID)"
    }

    /// A WHERE expression true for the needs assessments `scope` may see: their results are read
    /// by every member (`AccessPolicy.canViewAssessments`), small counts suppressed for most; the
    /// submissions themselves are never listed.
    static func assessments(_ scope: Scope) -> SQLQueryString {
        "needs_assessments.operation_id = \(bind: scope.operationID)"
    }

    /// A WHERE expression true for the referrals `scope` reaches (`AccessPolicy.referralScope`): the
    /// operation's for the coordinator; for a named caseworker those they made or follow up.
    static func referrals(_ scope: ReferralScope) -> SQLQueryString {
        guard let worker = scope.onlyCaseWorker else { return "referrals.operation_id = \(bind: scope.operationID)" }
        return """
            (referrals.operation_id = \(bind: scope.operationID) AND (referrals.created_by = \(bind: worker) \
            OR referrals.assigned_to = \(bind: worker)))
            """
    }

    /// A WHERE expression true for the people of the register `scope` reaches
    /// (`AccessPolicy.personnelScope`): the operation's, and only one's own for those who reach no more.
    static func people(_ scope: PersonnelScope, table: String = "people") -> SQLQueryString {
        guard let userID = scope.onlyUser else { return "\(ident: table).operation_id = \(bind: scope.operationID)" }
        return
            "(\(ident: table).operation_id = \(bind: scope.operationID) AND \(ident: table).user_id = \(bind: userID))"
    }

    /// A WHERE expression true for the movements `scope` reaches: the operation's for those who keep
    /// the register; for a member who reaches only their own record, those they travel on (as a
    /// passenger or the driver).
    static func movements(_ scope: PersonnelScope) -> SQLQueryString {
        guard let user = scope.onlyUser else { return "movements.operation_id = \(bind: scope.operationID)" }
        return """
            (movements.operation_id = \(bind: scope.operationID) AND EXISTS (SELECT 1 FROM people p \
            WHERE p.operation_id = movements.operation_id AND p.user_id = \(bind: user) \
            AND (p.id = movements.driver_id OR EXISTS (SELECT 1 FROM movement_passengers mp \
            WHERE mp.movement_id = movements.id AND mp.person_id = p.id))))
            """
    }

    /// A WHERE expression true for the alerts `scope` reaches: the operation's for those who keep the
    /// register (who send them); for anyone else, the alerts they received.
    static func alerts(_ scope: PersonnelScope) -> SQLQueryString {
        guard let user = scope.onlyUser else { return "alerts.operation_id = \(bind: scope.operationID)" }
        return """
            (alerts.operation_id = \(bind: scope.operationID) AND EXISTS (SELECT 1 FROM alert_recipients ar \
            WHERE ar.alert_id = alerts.id AND ar.user_id = \(bind: user)))
            """
    }

    /// A WHERE expression true for the critical incidents `scope` reaches: all of the operation's for
    /// the security roles; for anyone else those whose crisis team names their account.
    static func criticalIncidents(_ scope: CrisisScope) -> SQLQueryString {
        if scope.seesAll { return "critical_incidents.operation_id = \(bind: scope.operationID)" }
        guard let user = scope.actorID else { return "1 = 0" }
        return """
            (critical_incidents.operation_id = \(bind: scope.operationID) AND EXISTS (SELECT 1 FROM critical_incident_team t \
            WHERE t.critical_incident_id = critical_incidents.id AND t.user_id = \(bind: user)))
            """
    }

    /// A WHERE expression true for the registry entries `scope` may see: none for a role that does
    /// not read the network (`AccessPolicy.readsNetwork`), else each entry's audience decides.
    static func stakeholders(_ scope: Scope, table: String = "stakeholders") -> SQLQueryString {
        guard AccessPolicy.readsNetwork(scope.role) else { return "1 = 0" }
        return predicate(scope, table: table, kind: "stakeholder")
    }

    /// A WHERE expression true for the meetings `scope` may see, by the same rule.
    static func meetings(_ scope: Scope, table: String = "meetings") -> SQLQueryString {
        guard AccessPolicy.readsNetwork(scope.role) else { return "1 = 0" }
        return predicate(scope, table: table, kind: "meeting")
    }

    /// A WHERE expression true for the action points of the meetings `scope` may see.
    static func meetingActions(_ scope: Scope, table: String = "meeting_actions") -> SQLQueryString {
        "EXISTS (SELECT 1 FROM meetings vm WHERE vm.id = \(ident: table).meeting_id AND \(meetings(scope, table: "vm")))"
    }

    /// A WHERE expression true for the advocacy products `scope` may see (`AccessPolicy.canViewProduct`).
    /// The command line without an account reads drafts too: whoever runs it administers the server.
    static func products(_ scope: Scope, table: String = "advocacy_products") -> SQLQueryString {
        let base = predicate(scope, table: table, kind: "advocacy_product")
        guard let user = scope.userID else { return base }
        if scope.role == .partner {
            return """
                (\(base) AND \(ident: table).state = \(bind: ProductState.approved.rawValue) AND EXISTS (SELECT 1 \
                FROM advocacy_recipients vr WHERE vr.product_id = \(ident: table).id AND vr.user_id = \(bind: user)))
                """
        }
        if AccessPolicy.readsProductDrafts(scope.role) { return base }
        return """
            (\(base) AND (\(ident: table).state = \(bind: ProductState.approved.rawValue) \
            OR \(ident: table).created_by = \(bind: user) OR EXISTS (SELECT 1 FROM advocacy_reviewers vv \
            WHERE vv.product_id = \(ident: table).id AND vv.user_id = \(bind: user))))
            """
    }

    /// A WHERE expression true for the documents `scope` may read: issued ones by their audience
    /// (`AccessPolicy.canViewIssuedBrief`); drafts also for those who write them (`readsBriefDrafts`).
    /// A document is never restricted, so the audience is all there is to check.
    static func briefs(_ scope: Scope, table: String = "briefs") -> SQLQueryString {
        let base = predicate(scope, table: table, kind: "brief")
        if AccessPolicy.readsBriefDrafts(scope.role) { return base }
        return "(\(base) AND \(ident: table).state = \(bind: BriefState.issued.rawValue))"
    }

    /// A WHERE expression true for the rows of `table` that `scope` may see.
    static func predicate(_ scope: Scope, table: String, kind: String) -> SQLQueryString {
        let operationID = scope.operationID
        // Audience levels are a closed enum, so listing them as bound values is safe.
        let cleared = AudienceLevel.allCases.filter { scope.clearedLevels.contains($0) && $0 != .restricted }
        let levels: SQLQueryString = cleared.isEmpty ? "NULL" : "\(binds: cleared.map(\.rawValue))"
        guard let userID = scope.userID else {
            return "(\(ident: table).operation_id = \(bind: operationID) AND \(ident: table).audience IN (\(levels)))"
        }
        return """
            (\(ident: table).operation_id = \(bind: operationID) AND (\(ident: table).audience IN (\(levels)) \
            OR (\(ident: table).audience = \(bind: AudienceLevel.restricted.rawValue) AND (\(ident: table).created_by = \(bind: userID) \
            OR EXISTS (SELECT 1 FROM record_grants g WHERE g.record_kind = \(bind: kind) AND g.record_id = \(ident: table).id \
            AND (g.user_id = \(bind: userID) OR g.role = \(bind: scope.role.rawValue)))))))
            """
    }
}

extension SQLDatabase {
    /// How many of `ids` in `table` `scope` may see: what a report of changes made to records may
    /// say to its reader (a count is a disclosure too), through the one visibility rule.
    func visibleCount<ID: Encodable & Sendable>(of ids: [ID], in table: String, kind: String, scope: Scope) async throws
        -> Int
    {
        var visible = 0
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            visible +=
                try await select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
                .where(VisibilityFilter.predicate(scope, table: table, kind: kind))
                .where("id", .in, chunk).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return visible
    }
}
