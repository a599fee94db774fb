import Domain
import FluentKit
import Foundation
import SQLKit

/// One referral as stored.
public struct ReferralRecord: Codable, Sendable, Hashable {
    public var id: ReferralID
    public var operationId: OperationID
    public var number: Int
    public var personRef: String
    public var personName: String?
    public var serviceId: ServiceID?
    public var serviceName: String
    public var needs: String
    public var needNote: String?
    public var urgency: String
    public var consent: String
    public var consentBy: String
    public var consentOn: Date
    public var overrideReason: String?
    public var overrideApprover: UserID?
    public var rfl: Bool
    public var tracingAgency: String?
    public var tracingCaseNumber: String?
    public var status: String
    public var followUpOn: Date?
    public var outcome: String?
    public var assignedTo: UserID?
    public var createdBy: UserID?
    public var createdAt: Date
    public var sentAt: Date?
    public var answeredAt: Date?
    public var closedAt: Date?
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, number, needs, urgency, consent, rfl, status, outcome
        case operationId = "operation_id", personRef = "person_ref", personName = "person_name"
        case serviceId = "service_id", serviceName = "service_name", needNote = "need_note"
        case consentBy = "consent_by", consentOn = "consent_on", overrideReason = "override_reason"
        case overrideApprover = "override_approver", tracingAgency = "tracing_agency"
        case tracingCaseNumber = "tracing_case_number", followUpOn = "follow_up_on", assignedTo = "assigned_to"
        case createdBy = "created_by", createdAt = "created_at", sentAt = "sent_at", answeredAt = "answered_at"
        case closedAt = "closed_at", updatedAt = "updated_at"
    }

    public var referralStatus: ReferralStatus { ReferralStatus(rawValue: status) ?? .closed }
    public var specificNeeds: [SpecificNeed] { ServiceRecord.list(needs).compactMap(SpecificNeed.init(rawValue:)) }
    public var consentStatus: ConsentStatus { ConsentStatus(rawValue: consent) ?? .refused }
    public var urgencyLevel: ReferralUrgency { ReferralUrgency(rawValue: urgency) ?? .medium }
    /// "R-0007".
    public var label: String { "R-" + CivilDay.padded(number, 4) }
}

/// One step of a referral's timeline.
public struct ReferralEvent: Sendable, Hashable {
    public let at: Date
    public let actorID: UserID?
    public let from: ReferralStatus?
    public let to: ReferralStatus
    public let note: String?
}

/// Referral figures for one service: what may leave the desk (never a person).
public struct ReferralAggregate: Sendable, Hashable {
    public var serviceName: String
    public var byStatus: [ReferralStatus: Int] = [:]
    /// Days from sending to the service's acceptance, for the accepted ones.
    public var daysToAcceptance: [Double] = []
    public var total: Int { byStatus.values.reduce(0, +) }

    /// The median, or nil when none was accepted.
    public var medianDaysToAcceptance: Double? {
        let sorted = daysToAcceptance.sorted()
        guard !sorted.isEmpty else { return nil }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}

/// The operation's referrals. Every read of a referral takes a `ReferralScope`
/// (`AccessPolicy.referralScope`); the figures (`aggregates`) are counted without one, and are
/// shown only to whom `AccessPolicy.canSeeReferralAggregates` lets in.
public struct ReferralStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    static let kind = "referral"

    // MARK: Caseworkers

    /// The accounts named caseworkers in the operation.
    public func caseWorkers(operationID: OperationID) async throws -> [UserID] {
        try await database.sql.select().column("user_id").from("referral_case_workers")
            .where("operation_id", .equal, operationID).all().map { try $0.decode(column: "user_id", as: UserID.self) }
    }

    public func isCaseWorker(_ userID: UserID, operationID: OperationID) async throws -> Bool {
        try await caseWorkers(operationID: operationID).contains(userID)
    }

    /// Names (or un-names) a caseworker; the caller has checked `AccessPolicy.canNameCaseWorkers`
    /// and `canBeNamedCaseWorker` for the account's role.
    public func setCaseWorker(
        _ userID: UserID, named: Bool, operationID: OperationID, by actorID: UserID?, now: Date
    ) async throws {
        try await database.writing { db in
            try await db.sql.delete(from: "referral_case_workers").where("operation_id", .equal, operationID)
                .where("user_id", .equal, userID).run()
            if named {
                try await db.sql.insert(into: "referral_case_workers")
                    .columns("id", "operation_id", "user_id", "named_by", "named_at")
                    .values(SQLBind(UUID()), SQLBind(operationID), SQLBind(userID), SQLBind(actorID), SQLBind(now))
                    .run()
            }
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "referral_case_worker",
                recordID: userID.uuidString, action: named ? .create : .delete, after: ["named": String(named)], at: now
            )
        }
    }

    // MARK: Referrals

    /// Records a referral as a draft; the caller has checked the service takes referrals and that
    /// an override's approver may approve it.
    public func create(_ draft: ReferralDraft, serviceName: String, scope: ReferralScope, now: Date) async throws
        -> ReferralRecord
    {
        try await database.writing { db in
            let number = try await db.sql.nextNumber(in: "referrals", operationID: scope.operationID)
            let row = ReferralRecord(
                id: ReferralID(UUID()), operationId: scope.operationID, number: number, personRef: draft.personRef,
                personName: draft.personName, serviceId: draft.serviceID, serviceName: serviceName,
                needs: ServiceRecord.json(draft.needs.map(\.rawValue)), needNote: draft.needNote,
                urgency: draft.urgency.rawValue, consent: draft.consent.rawValue, consentBy: draft.consentBy,
                consentOn: draft.consentOn, overrideReason: draft.overrideReason,
                overrideApprover: draft.overrideApprover, rfl: draft.rfl, tracingAgency: draft.tracingAgency?.rawValue,
                tracingCaseNumber: draft.tracingCaseNumber, status: ReferralStatus.draft.rawValue,
                followUpOn: draft.followUpOn, assignedTo: draft.assignedTo ?? scope.actorID, createdBy: scope.actorID,
                createdAt: now, updatedAt: now)
            try await db.sql.insert(into: "referrals").model(row).run()
            try await Self.event(row.id, from: nil, to: .draft, note: nil, scope: scope, now: now, on: db)
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind,
                recordID: row.id.uuidString, action: .create, after: Self.snapshot(row), at: now)
            return row
        }
    }

    static func event(
        _ id: ReferralID, from: ReferralStatus?, to: ReferralStatus, note: String?, scope: ReferralScope, now: Date,
        on db: any Database
    ) async throws {
        try await db.sql.insert(into: "referral_events")
            .columns("id", "referral_id", "at", "actor_id", "from_status", "to_status", "note")
            .values(
                SQLBind(UUID()), SQLBind(id), SQLBind(now), SQLBind(scope.actorID), SQLBind(from?.rawValue),
                SQLBind(to.rawValue), SQLBind(note)
            ).run()
    }

    /// The referral, if the scope reaches it. A hidden referral and a missing one look the same.
    public func find(_ id: ReferralID, in scope: ReferralScope) async throws -> ReferralRecord? {
        try await database.sql.select().column("*").from("referrals").where("id", .equal, id)
            .where(VisibilityFilter.referrals(scope)).first()?.decode(model: ReferralRecord.self)
    }

    /// The referrals the scope reaches, open ones first (by follow-up day), then by number.
    public func list(in scope: ReferralScope, status: ReferralStatus? = nil, page: Paging) async throws
        -> ResultPage<ReferralRecord>
    {
        try await database.sql.page(
            page, from: "referrals",
            filter: { builder in
                builder.where(VisibilityFilter.referrals(scope))
                if let status { builder.where("status", .equal, status.rawValue) }
                return builder
            }, order: { $0.orderBy("number", .descending) }, decode: { try $0.decode(model: ReferralRecord.self) })
    }

    /// The steps of a referral the scope reaches, oldest first; empty when it reaches none.
    public func events(of id: ReferralID, in scope: ReferralScope) async throws -> [ReferralEvent] {
        guard try await find(id, in: scope) != nil else { return [] }
        return try await database.sql.select().column("*").from("referral_events").where("referral_id", .equal, id)
            .orderBy("at").all().map { row in
                ReferralEvent(
                    at: try row.decode(column: "at", as: Date.self),
                    actorID: try row.decode(column: "actor_id", as: UserID?.self),
                    from: try row.decode(column: "from_status", as: String?.self).flatMap(
                        ReferralStatus.init(rawValue:)),
                    to: ReferralStatus(rawValue: try row.decode(column: "to_status", as: String.self)) ?? .closed,
                    note: try row.decode(column: "note", as: String?.self))
            }
    }

    /// Moves a referral one step (`ReferralStatus.next`); `note` is the outcome when it finishes.
    public func move(
        _ id: ReferralID, to status: ReferralStatus, note: String?, scope: ReferralScope, now: Date
    ) async throws -> ReferralRecord {
        try await database.writing { db in
            guard let before = try await ReferralStore(db).find(id, in: scope) else {
                throw DomainError(.notFound, key: "error.not_found", "No such referral.")
            }
            guard before.referralStatus.next.contains(status) else {
                throw DomainError(
                    .conflict, field: "status", key: "error.referral_step",
                    "A referral \(before.status) cannot become \(status.rawValue).")
            }
            var after = before
            after.status = status.rawValue
            after.updatedAt = now
            switch status {
            case .sent: after.sentAt = now
            case .accepted, .declined: after.answeredAt = now
            case .completed, .closed:
                after.closedAt = now
                after.outcome = note ?? before.outcome
            case .draft, .withdrawn: break
            }
            try await db.sql.update("referrals").set(model: after, nilEncodingStrategy: .asNil).where("id", .equal, id)
                .run()
            try await Self.event(
                id, from: before.referralStatus, to: status, note: note, scope: scope, now: now, on: db)
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before), after: Self.snapshot(after), at: now)
            return after
        }
    }

    /// The person withdrew consent: the referral stops and their name is erased.
    public func withdrawConsent(_ id: ReferralID, note: String?, scope: ReferralScope, now: Date) async throws
        -> ReferralRecord
    {
        try await database.writing { db in
            guard let before = try await ReferralStore(db).find(id, in: scope) else {
                throw DomainError(.notFound, key: "error.not_found", "No such referral.")
            }
            guard before.referralStatus.isOpen else {
                throw DomainError(
                    .conflict, field: "status", key: "error.referral_finished", "The referral is already finished.")
            }
            var after = before
            after.status = ReferralStatus.withdrawn.rawValue
            after.personName = nil
            after.closedAt = now
            after.updatedAt = now
            try await db.sql.update("referrals").set(model: after, nilEncodingStrategy: .asNil).where("id", .equal, id)
                .run()
            try await Self.event(
                id, from: before.referralStatus, to: .withdrawn, note: note, scope: scope, now: now, on: db)
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before), after: Self.snapshot(after), at: now)
            return after
        }
    }

    /// Gives the follow-up to another caseworker (or the coordinator): only a scope that reaches
    /// every referral may, so that a caseworker who leaves does not strand theirs. The caller has
    /// checked that `worker` may follow referrals up.
    public func assign(_ id: ReferralID, to worker: UserID, scope: ReferralScope, now: Date) async throws {
        guard AccessPolicy.canReassignReferrals(through: scope) else {
            throw DomainError(.forbidden, key: "error.forbidden", "Only the coordinator reassigns referrals.")
        }
        try await database.writing { db in
            guard let before = try await ReferralStore(db).find(id, in: scope) else {
                throw DomainError(.notFound, key: "error.not_found", "No such referral.")
            }
            var after = before
            after.assignedTo = worker
            after.updatedAt = now
            try await db.sql.update("referrals").set(model: after, nilEncodingStrategy: .asNil).where("id", .equal, id)
                .run()
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before), after: Self.snapshot(after), at: now)
        }
    }

    /// Sets (or clears) the follow-up day.
    public func setFollowUp(_ id: ReferralID, on day: Date?, scope: ReferralScope, now: Date) async throws {
        try await database.writing { db in
            guard let before = try await ReferralStore(db).find(id, in: scope) else {
                throw DomainError(.notFound, key: "error.not_found", "No such referral.")
            }
            var after = before
            after.followUpOn = day
            after.updatedAt = now
            try await db.sql.update("referrals").set(model: after, nilEncodingStrategy: .asNil).where("id", .equal, id)
                .run()
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before), after: Self.snapshot(after), at: now)
        }
    }

    /// Referral figures per service: counts by status and the days each accepted referral waited.
    /// No person, no reference, no note: what `canSeeReferralAggregates` readers may see.
    public func aggregates(operationID: OperationID) async throws -> [ReferralAggregate] {
        var byService: [String: ReferralAggregate] = [:]
        for row in try await database.sql.select().columns("service_name", "status", "sent_at", "answered_at")
            .from("referrals").where("operation_id", .equal, operationID).all()
        {
            let name = try row.decode(column: "service_name", as: String.self)
            let status = ReferralStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .closed
            var aggregate = byService[name] ?? ReferralAggregate(serviceName: name)
            aggregate.byStatus[status, default: 0] += 1
            if let sent = try row.decode(column: "sent_at", as: Date?.self),
                let answered = try row.decode(column: "answered_at", as: Date?.self),
                status == .accepted || status == .completed
            {
                aggregate.daysToAcceptance.append(answered.timeIntervalSince(sent) / 86_400)
            }
            byService[name] = aggregate
        }
        return byService.values.sorted { $0.serviceName < $1.serviceName }
    }

    static func snapshot(_ row: ReferralRecord) -> [String: String?] {
        [
            "person_ref": row.personRef, "person_name": row.personName, "service_id": row.serviceId?.uuidString,
            "service_name": row.serviceName, "needs": row.needs, "need_note": row.needNote, "urgency": row.urgency,
            "consent": row.consent, "consent_by": row.consentBy, "consent_on": DateText.day(row.consentOn),
            "override_reason": row.overrideReason, "override_approver": row.overrideApprover?.uuidString,
            "rfl": String(row.rfl), "tracing_agency": row.tracingAgency, "tracing_case_number": row.tracingCaseNumber,
            "status": row.status, "follow_up_on": row.followUpOn.map(DateText.day), "outcome": row.outcome,
            "assigned_to": row.assignedTo?.uuidString,
        ]
    }
}
