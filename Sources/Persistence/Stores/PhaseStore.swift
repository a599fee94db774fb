import Domain
import FluentKit
import Foundation
import SQLKit

/// A phase declaration as stored, with its approvals.
public struct PhaseDeclarationRecord: Sendable, Hashable {
    public enum Status: String, Sendable { case pending, inForce = "in_force", withdrawn }
    public var id: PhaseDeclarationID
    public var operationID: OperationID
    public var number: Int
    public var areaPcode: String
    public var from: String?
    public var to: String
    public var justification: String
    public var indicators: [String]
    /// The approvals it needs, as the rules stood when it was declared.
    public var required: Set<PhaseAuthority>
    public var notify: Set<PhaseRecipient>
    public var notified: [PhaseRecipient: Date]
    public var status: Status
    public var declaredBy: UserID?
    public var declaredAt: Date
    public var inForceAt: Date?
    public var closedAt: Date?
    public var approvals: [PhaseApproval]

    /// What is still needed: the approvals fixed at declaration, never fewer than the IFRC floor.
    public var missing: Set<PhaseAuthority> {
        required.union(PhaseRules.ifrc.rules[to]?.approvals ?? []).subtracting(approvals.map(\.authority))
    }

    /// The declaration in the Domain's terms, with the rules it was declared under.
    var domain: (declaration: PhaseDeclaration, rules: PhaseRules) {
        let declaration = PhaseDeclaration(
            areaPcode: areaPcode, from: from, to: to, justification: justification, indicatorsMet: indicators,
            declaredBy: declaredBy ?? UserID(UUID()), declaredAt: declaredAt, approvals: approvals)
        // The stored requirement is the rule: the phase's approvals are exactly those recorded.
        let rules = PhaseRules(
            phases: [from, to].compactMap { $0 }, rules: [to: .init(approvals: required, notify: notify)])
        return (declaration, rules)
    }
}

/// Security phases per area: declarations, approvals and who holds which authority. Phases are
/// for every member of the operation to know (`AccessPolicy.canViewPhases`), so reads take the
/// operation, not a record scope; the pages check the policy.
public struct PhaseStore: Sendable {
    static let kind = "phase_declaration"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    // MARK: Authorities

    /// The authorities `userID` holds in the operation: those granted, and the senior manager's for
    /// the HeOps (the operation's senior manager) unless someone else was named to it.
    public func authorities(of userID: UserID, role: Role?, in operationID: OperationID) async throws -> Set<
        PhaseAuthority
    > {
        let holders = try await self.holders(in: operationID)
        var held = Set(holders.filter { $0.userID == userID }.map(\.authority))
        if role == .headOfOperations, !holders.contains(where: { $0.authority == .seniorManager }) {
            held.insert(.seniorManager)
        }
        return held
    }

    public struct Holder: Sendable, Hashable { public var userID: UserID; public var authority: PhaseAuthority }

    public func holders(in operationID: OperationID) async throws -> [Holder] {
        try await database.sql.select().columns("user_id", "authority").from("phase_authorities")
            .where("operation_id", .equal, operationID).orderBy("authority").all().compactMap { row in
                guard let authority = PhaseAuthority(rawValue: try row.decode(column: "authority", as: String.self))
                else { return nil }
                return Holder(userID: try row.decode(column: "user_id", as: UserID.self), authority: authority)
            }
    }

    /// Names a member of the operation to an authority; the caller has checked `canManageOperation`.
    public func grant(
        _ authority: PhaseAuthority, to userID: UserID, in operationID: OperationID, actorID: UserID, now: Date
    )
        async throws
    {
        let member = try await database.sql.select().column("user_id").from("memberships")
            .where("operation_id", .equal, operationID).where("user_id", .equal, userID).first()
        guard member != nil else {
            throw DomainError(
                .invalid, field: "user", key: "error.phase_holder_member",
                "Only a member of the operation can hold an approving authority.")
        }
        let held = Set(try await holders(in: operationID).filter { $0.userID == userID }.map(\.authority))
        if let problem = PhaseDeclaration.grantProblem(
            authority, to: userID, holding: held, isActor: userID == actorID,
            isSeniorManager: try await seniorManagers(in: operationID).contains(userID))
        {
            throw problem
        }
        try await database.writing { db in
            try await db.sql.delete(from: "phase_authorities").where("operation_id", .equal, operationID)
                .where("user_id", .equal, userID).where("authority", .equal, authority.rawValue).run()
            try await db.sql.insert(into: "phase_authorities").columns(
                "operation_id", "user_id", "authority", "granted_at", "granted_by"
            )
            .values(SQLBind(operationID), SQLBind(userID), SQLBind(authority.rawValue), SQLBind(now), SQLBind(actorID))
            .run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "phase_authority",
                recordID: "\(userID.uuidString)/\(authority.rawValue)", action: .create,
                after: ["authority": authority.rawValue, "user_id": userID.uuidString], at: now)
        }
    }

    /// Who holds the senior manager's authority: those named to it, else the operation's HeOps.
    public func seniorManagers(in operationID: OperationID) async throws -> Set<UserID> {
        let named = Set(try await holders(in: operationID).filter { $0.authority == .seniorManager }.map(\.userID))
        if !named.isEmpty { return named }
        return Set(
            try await database.sql.select().column("user_id").from("memberships").where(
                "operation_id", .equal, operationID
            )
            .where("role", .equal, Role.headOfOperations.rawValue).all().map {
                try $0.decode(column: "user_id", as: UserID.self)
            })
    }

    public func revoke(
        _ authority: PhaseAuthority, from userID: UserID, in operationID: OperationID, actorID: UserID, now: Date
    )
        async throws
    {
        try await database.writing { db in
            try await db.sql.delete(from: "phase_authorities").where("operation_id", .equal, operationID)
                .where("user_id", .equal, userID).where("authority", .equal, authority.rawValue).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "phase_authority",
                recordID: "\(userID.uuidString)/\(authority.rawValue)", action: .delete,
                before: ["authority": authority.rawValue, "user_id": userID.uuidString], at: now)
        }
    }

    // MARK: Declarations

    /// Records a declaration for an area. The phase it changes from is the one in force now; the
    /// approvals it needs are fixed by `rules` now. A declarer who holds the senior manager's
    /// authority gives that approval by declaring, so White and Yellow are in force at once.
    /// Refused while another declaration for the area waits for approval.
    public func declare(
        areaPcode: String, phase: String, justification: String, indicators: [String], rules: PhaseRules,
        declarer: UserID, declarerAuthorities: Set<PhaseAuthority>, in operationID: OperationID, now: Date
    ) async throws -> PhaseDeclarationRecord {
        let pcode = areaPcode.trimmingCharacters(in: .whitespaces).uppercased()
        guard try await AreaStore(database).find(operationID: operationID, pcode: pcode) != nil else {
            throw DomainError(
                .invalid, field: "area_pcode", key: "error.risk_area",
                "\(pcode.isEmpty ? "An area" : pcode) is not an admin area of this operation.")
        }
        let current = try await inForce(in: operationID)[pcode]
        let draft = try PhaseDeclaration(
            areaPcode: pcode, from: current?.to, to: phase, justification: justification,
            indicatorsMet: indicators, declaredBy: declarer, declaredAt: now
        ).validated(rules)
        let required = rules.requiredApprovals(from: draft.from, to: draft.to)
        let id = PhaseDeclarationID(UUID())
        return try await database.writing { db in
            let sql = db.sql
            if sql.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(7243017)").run() }
            let waiting = try await sql.select().column("id").from("phase_declarations").where(
                "operation_id", .equal, operationID
            )
            .where("area_pcode", .equal, pcode).where("status", .equal, PhaseDeclarationRecord.Status.pending.rawValue)
            .first()
            guard waiting == nil else {
                throw DomainError(
                    .conflict, field: "area_pcode", key: "error.phase_pending",
                    "A declaration for \(pcode) is waiting for approval: approve or withdraw it first.")
            }
            let number =
                try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("number")), as: "n").from(
                    "phase_declarations"
                )
                .where("operation_id", .equal, operationID).first()?.decode(column: "n", as: Int?.self) ?? 0
            var record = PhaseDeclarationRecord(
                id: id, operationID: operationID, number: number + 1, areaPcode: pcode, from: draft.from, to: draft.to,
                justification: draft.justification, indicators: draft.indicatorsMet, required: required,
                notify: rules.recipients(of: draft.to), notified: [:], status: .pending, declaredBy: declarer,
                declaredAt: now,
                inForceAt: nil, closedAt: nil, approvals: [])
            if required.contains(.seniorManager), declarerAuthorities.contains(.seniorManager) {
                record.approvals.append(PhaseApproval(userID: declarer, authority: .seniorManager, at: now))
            }
            if record.missing.isEmpty { record.status = .inForce; record.inForceAt = now }
            try await sql.insert(into: "phase_declarations")
                .columns(
                    "id", "operation_id", "number", "area_pcode", "from_phase", "to_phase", "justification",
                    "indicators",
                    "required_approvals", "notify", "notified", "status", "declared_by", "declared_at", "in_force_at",
                    "closed_at", "closed_by"
                )
                .values(
                    SQLBind(id), SQLBind(operationID), SQLBind(record.number), SQLBind(pcode), SQLBind(record.from),
                    SQLBind(record.to),
                    SQLBind(record.justification), SQLBind(record.indicators.joined(separator: "\n")),
                    SQLBind(Self.list(record.required)), SQLBind(Self.list(record.notify)), SQLBind(""),
                    SQLBind(record.status.rawValue), SQLBind(declarer), SQLBind(now), SQLBind(record.inForceAt),
                    SQLBind(Date?.none),
                    SQLBind(UUID?.none)
                ).run()
            for approval in record.approvals { try await Self.insert(approval, of: id, on: sql) }
            try await AuditStore(db).append(
                actorID: declarer, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create,
                after: [
                    "area_pcode": pcode, "from": record.from, "to": record.to, "justification": record.justification,
                    "indicators": record.indicators.joined(separator: "; "), "status": record.status.rawValue,
                ], at: now)
            return record
        }
    }

    /// `user`'s approval as `authority`; the last one required puts the phase in force.
    public func approve(
        _ id: PhaseDeclarationID, by user: UserID, holding authorities: Set<PhaseAuthority>,
        as authority: PhaseAuthority,
        in operationID: OperationID, now: Date
    ) async throws -> PhaseDeclarationRecord {
        let seniorManagers = try await seniorManagers(in: operationID)
        return try await database.writing { db in
            // Read and decide under the lock, so two approvals given at once cannot both count as the last.
            if db.sql.isPostgres { try await db.sql.raw("SELECT pg_advisory_xact_lock(7243017)").run() }
            guard var record = try await PhaseStore(db).find(id, in: operationID) else { throw Self.notFound }
            guard record.status == .pending else {
                throw DomainError(
                    .conflict, field: "authority", key: "error.phase_not_pending",
                    "This declaration is no longer waiting for approval.")
            }
            let (declaration, rules) = record.domain
            let approved = try declaration.approved(
                by: user, holding: authorities, as: authority, at: now, rules: rules,
                seniorManagers: seniorManagers)
            record.approvals = approved.approvals
            if record.missing.isEmpty { record.status = .inForce; record.inForceAt = now }
            let final = record
            try await Self.insert(PhaseApproval(userID: user, authority: authority, at: now), of: id, on: db.sql)
            if final.status == .inForce {
                try await db.sql.update("phase_declarations").set("status", to: final.status.rawValue).set(
                    "in_force_at", to: now
                )
                .where("id", .equal, id).run()
            }
            try await AuditStore(db).append(
                actorID: user, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, after: ["approved_as": authority.rawValue, "status": final.status.rawValue], at: now)
            return final
        }
    }

    /// Withdraws a declaration still waiting for approval.
    public func withdraw(_ id: PhaseDeclarationID, actorID: UserID, in operationID: OperationID, now: Date) async throws
    {
        guard let record = try await find(id, in: operationID) else { throw Self.notFound }
        guard record.status == .pending else {
            throw DomainError(
                .conflict, key: "error.phase_not_pending", "This declaration is no longer waiting for approval.")
        }
        try await database.writing { db in
            try await db.sql.update("phase_declarations").set(
                "status", to: PhaseDeclarationRecord.Status.withdrawn.rawValue
            )
            .set("closed_at", to: now).set("closed_by", to: actorID).where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: ["status": "pending"], after: ["status": "withdrawn"], at: now)
        }
    }

    /// Records that a recipient (the RSC, the GSU) was told of the declaration.
    public func markNotified(
        _ id: PhaseDeclarationID, _ recipient: PhaseRecipient, actorID: UserID, in operationID: OperationID, now: Date
    )
        async throws
    {
        guard var record = try await find(id, in: operationID) else { throw Self.notFound }
        guard record.notify.contains(recipient) else {
            throw DomainError(
                .invalid, key: "error.phase_not_needed",
                "This declaration does not call for telling \(recipient.rawValue).")
        }
        guard record.notified[recipient] == nil else { return }
        record.notified[recipient] = now
        let text = record.notified.sorted { $0.key.rawValue < $1.key.rawValue }.map {
            "\($0.key.rawValue)=\($0.value.ISO8601Format())"
        }
        .joined(separator: ",")
        try await database.writing { db in
            try await db.sql.update("phase_declarations").set("notified", to: text).where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, after: ["notified": recipient.rawValue], at: now)
        }
    }

    // MARK: Reading

    public func find(_ id: PhaseDeclarationID, in operationID: OperationID) async throws -> PhaseDeclarationRecord? {
        guard
            let row = try await database.sql.select().column("*").from("phase_declarations")
                .where("operation_id", .equal, operationID).where("id", .equal, id).first()
        else { return nil }
        return try await withApprovals([try Self.record(row)]).first
    }

    /// The declaration in force for each area that has one: the last to come into force.
    public func inForce(in operationID: OperationID) async throws -> [String: PhaseDeclarationRecord] {
        let rows = try await database.sql.select().column("*").from("phase_declarations").where(
            "operation_id", .equal, operationID
        )
        .where("status", .equal, PhaseDeclarationRecord.Status.inForce.rawValue).orderBy("in_force_at").orderBy(
            "number"
        ).all()
        var current: [String: PhaseDeclarationRecord] = [:]
        for row in rows { let record = try Self.record(row); current[record.areaPcode] = record }
        return current
    }

    /// Declarations waiting for approval, oldest first.
    public func pending(in operationID: OperationID) async throws -> [PhaseDeclarationRecord] {
        try await withApprovals(
            try await database.sql.select().column("*").from("phase_declarations").where(
                "operation_id", .equal, operationID
            )
            .where("status", .equal, PhaseDeclarationRecord.Status.pending.rawValue).orderBy("declared_at").all().map(
                Self.record))
    }

    /// Every declaration for one area, or all when `areaPcode` is nil, newest first.
    public func history(in operationID: OperationID, areaPcode: String? = nil, limit: Int = 200) async throws
        -> [PhaseDeclarationRecord]
    {
        var query = database.sql.select().column("*").from("phase_declarations").where(
            "operation_id", .equal, operationID)
        if let areaPcode { query = query.where("area_pcode", .equal, areaPcode) }
        return try await withApprovals(
            try await query.orderBy("number", .descending).limit(limit).all().map(Self.record))
    }

    /// When each of the newest `limit` declarations came into force (those that did), newest first: what
    /// the plans' clocks need of the history, without its approvals.
    public func phaseChanges(in operationID: OperationID, limit: Int = 1_000) async throws -> [Date] {
        try await database.sql.select().column("in_force_at").from("phase_declarations")
            .where("operation_id", .equal, operationID).orderBy("number", .descending).limit(limit).all()
            .compactMap { try $0.decode(column: "in_force_at", as: Date?.self) }
    }

    // MARK: Rows

    static let notFound = DomainError(.notFound, key: "error.not_found", "No such declaration.")

    static func list<T: RawRepresentable>(_ values: Set<T>) -> String where T.RawValue == String {
        values.map(\.rawValue).sorted().joined(separator: ",")
    }

    static func insert(_ approval: PhaseApproval, of id: PhaseDeclarationID, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "phase_approvals").columns("declaration_id", "authority", "user_id", "approved_at")
            .values(SQLBind(id), SQLBind(approval.authority.rawValue), SQLBind(approval.userID), SQLBind(approval.at))
            .run()
    }

    func withApprovals(_ records: [PhaseDeclarationRecord]) async throws -> [PhaseDeclarationRecord] {
        guard !records.isEmpty else { return [] }
        let rows = try await database.sql.select().columns("declaration_id", "authority", "user_id", "approved_at")
            .from("phase_approvals")
            .where("declaration_id", .in, records.map(\.id)).orderBy("approved_at").all()
        var approvals: [PhaseDeclarationID: [PhaseApproval]] = [:]
        for row in rows {
            guard let authority = PhaseAuthority(rawValue: try row.decode(column: "authority", as: String.self)),
                let user = try row.decodeOptional(column: "user_id", as: UserID.self)
            else { continue }
            approvals[try row.decode(column: "declaration_id", as: PhaseDeclarationID.self), default: []]
                .append(
                    PhaseApproval(
                        userID: user, authority: authority, at: try row.decode(column: "approved_at", as: Date.self)))
        }
        return records.map {
            var r = $0; r.approvals = approvals[r.id] ?? []; return r
        }
    }

    static func record(_ row: any SQLRow) throws -> PhaseDeclarationRecord {
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        var notified: [PhaseRecipient: Date] = [:]
        for pair in try text("notified").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let recipient = PhaseRecipient(rawValue: String(parts[0])),
                let date = try? Date(String(parts[1]), strategy: .iso8601)
            {
                notified[recipient] = date
            }
        }
        return PhaseDeclarationRecord(
            id: try row.decode(column: "id", as: PhaseDeclarationID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            number: try row.decode(column: "number", as: Int.self), areaPcode: try text("area_pcode"),
            from: try row.decodeOptional(column: "from_phase", as: String.self), to: try text("to_phase"),
            justification: try text("justification"),
            indicators: try text("indicators").split(separator: "\n").map(String.init),
            required: Set(
                try text("required_approvals").split(separator: ",").compactMap { PhaseAuthority(rawValue: String($0)) }
            ),
            notify: Set(try text("notify").split(separator: ",").compactMap { PhaseRecipient(rawValue: String($0)) }),
            notified: notified,
            status: PhaseDeclarationRecord.Status(rawValue: try text("status")) ?? .pending,
            declaredBy: try row.decodeOptional(column: "declared_by", as: UserID.self),
            declaredAt: try row.decode(column: "declared_at", as: Date.self),
            inForceAt: try row.decodeOptional(column: "in_force_at", as: Date.self),
            closedAt: try row.decodeOptional(column: "closed_at", as: Date.self),
            approvals: [])
    }
}
