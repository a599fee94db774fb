import Domain
import FluentKit
import Foundation
import SQLKit

/// A briefing as stored.
public struct BriefingRecord: Sendable, Hashable {
    public let id: UUID
    public let personID: PersonID
    public let briefing: Briefing
    public let recordedBy: UserID?
}

/// A completed course as stored.
public struct TrainingRecordRow: Sendable, Hashable {
    public let id: UUID
    public let personID: PersonID
    public let record: TrainingRecord
}

/// A training session as stored.
public struct TrainingSessionRecord: Sendable, Hashable {
    public let id: UUID
    public let session: TrainingSession
    public let recordedAt: Date
}

/// Readiness of the people in the register (issue 16): briefings, trainings, documents and grab
/// bag, and the sessions the coordinator gives National Society personnel. Reads and writes go
/// through the same `PersonnelScope` as the register: a person reaches their own, keepers everyone.
public struct ReadinessStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    // MARK: Briefings

    /// Records a briefing; those who keep the register record anyone's, a person only their own
    /// acknowledgement of the welcome brief.
    public func recordBriefing(_ briefing: Briefing, for personID: PersonID, scope: PersonnelScope, now: Date)
        async throws -> BriefingRecord
    {
        guard try await PersonStore(database).find(personID, in: scope) != nil else {
            throw DomainError(.notFound, key: "error.not_found", "No such person.")
        }
        if !AccessPolicy.canRecordBriefing(briefing.kind, through: scope) {
            throw DomainError(.forbidden, key: "error.forbidden", "Only the security team records this briefing.")
        }
        let b = try briefing.validated(now: now)
        if let area = b.areaPcode,
            try await AreaStore(database).find(operationID: scope.operationID, pcode: area) == nil
        {
            var errors = ValidationErrors()
            errors.add("area", key: "error.pcode_unknown", "No admin area of this operation has the P-code \(area).")
            throw errors
        }
        let id = UUID()
        try await database.writing { db in
            try await db.sql.insert(into: "person_briefings").columns(
                "id", "person_id", "operation_id", "kind", "given_at", "given_by", "plan_version", "area_pcode", "note",
                "recorded_by", "recorded_at"
            ).values(
                SQLBind(id), SQLBind(personID), SQLBind(scope.operationID), SQLBind(b.kind.rawValue),
                SQLBind(b.givenAt),
                SQLBind(b.givenBy), SQLBind(b.planVersion), SQLBind(b.areaPcode), SQLBind(b.note),
                SQLBind(scope.actorID), SQLBind(now)
            ).run()
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: PersonStore.kind,
                recordID: personID.uuidString, action: .update,
                after: [
                    "briefing": b.kind.rawValue, "briefing_given_at": DateText.minute(b.givenAt),
                    "briefing_given_by": b.givenBy, "briefing_plan_version": b.planVersion.map(String.init),
                    "briefing_area": b.areaPcode,
                ], at: now)
        }
        return BriefingRecord(id: id, personID: personID, briefing: b, recordedBy: scope.actorID)
    }

    /// Briefings of the people in reach (all of them, or `personIDs`), newest first.
    public func briefings(in scope: PersonnelScope, of personIDs: [PersonID]? = nil) async throws -> [BriefingRecord] {
        let query = database.sql.select().column(table: "b", column: "*")
            .from(SQLAlias(SQLIdentifier("person_briefings"), as: SQLIdentifier("b")))
            .join(
                SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("people")), on: SQLColumn("id", table: "people"),
                .equal, SQLColumn("person_id", table: "b")
            )
            .where(VisibilityFilter.people(scope))
        if let personIDs { query.where(SQLColumn("person_id", table: "b"), .in, SQLBind.group(personIDs)) }
        return try await query.orderBy(
            SQLOrderBy(expression: SQLColumn("given_at", table: "b"), direction: SQLDirection.descending)
        ).all().map {
            BriefingRecord(
                id: try $0.decode(column: "id", as: UUID.self),
                personID: try $0.decode(column: "person_id", as: PersonID.self),
                briefing: Briefing(
                    kind: BriefingKind(rawValue: try $0.decode(column: "kind", as: String.self)) ?? .arrival,
                    givenAt: try $0.decode(column: "given_at", as: Date.self),
                    givenBy: try $0.decode(column: "given_by", as: String.self),
                    planVersion: try $0.decodeOptional(column: "plan_version", as: Int.self),
                    areaPcode: try $0.decodeOptional(column: "area_pcode", as: String.self),
                    note: try $0.decode(column: "note", as: String.self)),
                recordedBy: try $0.decodeOptional(column: "recorded_by", as: UserID.self))
        }
    }

    // MARK: Trainings

    public func recordTraining(_ record: TrainingRecord, for personID: PersonID, scope: PersonnelScope, now: Date)
        async throws
    {
        guard scope.reachesEveryone else {
            throw DomainError(.forbidden, key: "error.forbidden", "Only the security team records trainings.")
        }
        guard try await PersonStore(database).find(personID, in: scope) != nil else {
            throw DomainError(.notFound, key: "error.not_found", "No such person.")
        }
        var errors = ValidationErrors()
        let evidence = record.evidence.trimmingCharacters(in: .whitespacesAndNewlines)
        if evidence.count > 300 { errors.add("evidence", key: "error.too_long", "At most 300 characters.") }
        if record.completedOn > now { errors.add("completed_on", key: "error.training_future", "Not completed yet.") }
        if let expires = record.expiresOn, expires <= record.completedOn {
            errors.add("expires_on", key: "error.training_expiry", "The expiry comes after the completion.")
        }
        try errors.throwIfAny()
        try await database.writing { db in
            try await db.sql.insert(into: "person_trainings").columns(
                "id", "person_id", "operation_id", "course", "completed_on", "expires_on", "evidence", "recorded_by",
                "recorded_at"
            ).values(
                SQLBind(UUID()), SQLBind(personID), SQLBind(scope.operationID), SQLBind(record.course),
                SQLBind(record.completedOn), SQLBind(record.expiresOn), SQLBind(evidence), SQLBind(scope.actorID),
                SQLBind(now)
            ).run()
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: PersonStore.kind,
                recordID: personID.uuidString, action: .update,
                after: [
                    "training": record.course, "training_completed_on": DateText.day(record.completedOn),
                    "training_expires_on": record.expiresOn.map(DateText.day), "training_evidence": evidence,
                ], at: now)
        }
    }

    public func trainings(in scope: PersonnelScope, of personIDs: [PersonID]? = nil) async throws -> [TrainingRecordRow]
    {
        let query = database.sql.select().column(table: "t", column: "*")
            .from(SQLAlias(SQLIdentifier("person_trainings"), as: SQLIdentifier("t")))
            .join(
                SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("people")), on: SQLColumn("id", table: "people"),
                .equal, SQLColumn("person_id", table: "t")
            )
            .where(VisibilityFilter.people(scope))
        if let personIDs { query.where(SQLColumn("person_id", table: "t"), .in, SQLBind.group(personIDs)) }
        return try await query.orderBy(
            SQLOrderBy(expression: SQLColumn("completed_on", table: "t"), direction: SQLDirection.descending)
        ).all().map {
            TrainingRecordRow(
                id: try $0.decode(column: "id", as: UUID.self),
                personID: try $0.decode(column: "person_id", as: PersonID.self),
                record: TrainingRecord(
                    course: try $0.decode(column: "course", as: String.self),
                    completedOn: try $0.decode(column: "completed_on", as: Date.self),
                    expiresOn: try $0.decodeOptional(column: "expires_on", as: Date.self),
                    evidence: try $0.decode(column: "evidence", as: String.self)))
        }
    }

    // MARK: Documents and grab bag

    /// The person (or the security team) confirms documents and grab bag are ready.
    public func confirmGrabBag(of personID: PersonID, scope: PersonnelScope, now: Date) async throws {
        guard try await PersonStore(database).find(personID, in: scope) != nil else {
            throw DomainError(.notFound, key: "error.not_found", "No such person.")
        }
        try await database.writing { db in
            try await db.sql.update("people").set("grab_bag_confirmed_at", to: now).where("id", .equal, personID).run()
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: PersonStore.kind,
                recordID: personID.uuidString, action: .update, after: ["grab_bag_confirmed_at": DateText.minute(now)],
                at: now)
        }
    }

    /// When each person in reach last confirmed documents and grab bag.
    public func grabBags(in scope: PersonnelScope) async throws -> [PersonID: Date] {
        var out: [PersonID: Date] = [:]
        for row in try await database.sql.select().columns("id", "grab_bag_confirmed_at").from("people")
            .where(VisibilityFilter.people(scope)).where("grab_bag_confirmed_at", .isNot, SQLLiteral.null).all()
        {
            out[try row.decode(column: "id", as: PersonID.self)] = try row.decode(
                column: "grab_bag_confirmed_at", as: Date.self)
        }
        return out
    }

    // MARK: Sessions given to National Society personnel

    public func recordSession(_ session: TrainingSession, scope: PersonnelScope, now: Date) async throws
        -> TrainingSessionRecord
    {
        guard scope.reachesEveryone else {
            throw DomainError(.forbidden, key: "error.forbidden", "Only the security team records sessions.")
        }
        let s = try session.validated()
        let id = UUID()
        let participants = PersonStore.json(s.participants)
        try await database.writing { db in
            try await db.sql.insert(into: "training_sessions").columns(
                "id", "operation_id", "topic", "held_on", "place", "trainers", "participants", "total", "recorded_by",
                "recorded_at"
            ).values(
                SQLBind(id), SQLBind(scope.operationID), SQLBind(s.topic), SQLBind(s.heldOn), SQLBind(s.place),
                SQLBind(s.trainers), SQLBind(participants), SQLBind(s.total), SQLBind(scope.actorID), SQLBind(now)
            ).run()
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: "training_session",
                recordID: id.uuidString, action: .create,
                after: [
                    "topic": s.topic, "held_on": DateText.day(s.heldOn), "place": s.place, "trainers": s.trainers,
                    "participants": participants,
                ], at: now)
        }
        return TrainingSessionRecord(id: id, session: s, recordedAt: now)
    }

    /// Sessions, newest first.
    public func sessions(in operationID: OperationID) async throws -> [TrainingSessionRecord] {
        try await database.sql.select().column("*").from("training_sessions").where("operation_id", .equal, operationID)
            .orderBy("held_on", .descending).all().map {
                TrainingSessionRecord(
                    id: try $0.decode(column: "id", as: UUID.self),
                    session: TrainingSession(
                        topic: try $0.decode(column: "topic", as: String.self),
                        heldOn: try $0.decode(column: "held_on", as: Date.self),
                        place: try $0.decode(column: "place", as: String.self),
                        trainers: try $0.decode(column: "trainers", as: String.self),
                        participants: PersonStore.decodeJSON(
                            [TrainingSession.Participants].self, try $0.decode(column: "participants", as: String.self))
                            ?? []),
                    recordedAt: try $0.decode(column: "recorded_at", as: Date.self))
            }
    }
}
