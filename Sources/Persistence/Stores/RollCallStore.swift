import Domain
import FluentKit
import Foundation
import SQLKit

/// A roll-call as stored, with each person's answer.
public struct RollCallRecord: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public let personID: PersonID
        public let name: String
        public var answer: RollCallAnswer
        public var answeredAt: Date?
        public var answeredBy: UserID?
        public var note: String
    }

    public let id: RollCallID
    public let number: Int
    public let areaPcode: String
    public let reason: String
    public let openedAt: Date
    public let openedBy: UserID?
    public var closedAt: Date?
    public var lines: [Line]

    public var isOpen: Bool { closedAt == nil }
    /// People per answer, for the live count.
    public var counts: [RollCallAnswer: Int] {
        Dictionary(grouping: lines, by: \.answer).mapValues(\.count)
    }
}

/// Roll-calls (issue 16): after an incident or a phase change, everyone whose last known place is
/// in the area is called and marked safe, needing help, or not reached, until the coordinator
/// closes it. The people are fixed when it opens, so a later move does not drop anyone from it.
/// Kept by those who reach the whole register (`PersonnelScope.reachesEveryone`).
public struct RollCallStore: Sendable {
    static let kind = "roll_call"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// Opens a roll-call for the people present whose last known area is `areaPcode` or inside it.
    public func open(areaPcode: String, reason: String, scope: PersonnelScope, now: Date) async throws -> RollCallRecord
    {
        try PersonStore(database).requireKeeper(scope)
        let pcode = areaPcode.trimmingCharacters(in: .whitespaces).uppercased()
        let areas = AreaStore(database)
        guard try await areas.find(operationID: scope.operationID, pcode: pcode) != nil else {
            throw DomainError(
                .invalid, field: "area", key: "error.pcode_unknown",
                "No admin area of this operation has the P-code \(pcode.isEmpty ? "given" : pcode).")
        }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 300 else {
            throw DomainError(
                .invalid, field: "reason", key: "error.roll_call_reason", "Say why, in at most 300 characters.")
        }
        if try await openCalls(in: scope).contains(where: { $0.areaPcode == pcode }) {
            throw DomainError(
                .conflict, field: "area", key: "error.roll_call_open", "A roll-call of \(pcode) is already open.")
        }
        let inside = try await Self.descendants(of: pcode, in: scope.operationID, on: database)
        let people = try await PersonStore(database).all(in: scope).filter {
            $0.isPresent(at: now) && ($0.location?.areaPcode).map(inside.contains) == true
        }
        let id = RollCallID(UUID())
        try await database.writing { db in
            let number = try await db.sql.nextNumber(in: "roll_calls", operationID: scope.operationID)
            try await db.sql.insert(into: "roll_calls").columns(
                "id", "operation_id", "number", "area_pcode", "reason", "opened_at", "opened_by"
            ).values(
                SQLBind(id), SQLBind(scope.operationID), SQLBind(number), SQLBind(pcode), SQLBind(reason), SQLBind(now),
                SQLBind(scope.actorID)
            ).run()
            for person in people {
                try await db.sql.insert(into: "roll_call_people").columns("roll_call_id", "person_id", "answer", "note")
                    .values(SQLBind(id), SQLBind(person.id), SQLBind(RollCallAnswer.notReached.rawValue), SQLBind(""))
                    .run()
            }
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create, after: ["area_pcode": pcode, "reason": reason, "people": String(people.count)], at: now
            )
        }
        guard let record = try await find(id, scope: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such roll-call.")
        }
        return record
    }

    /// Records one person's answer while the roll-call is open. It does not move their location:
    /// the roll-call says they answered, not where they are.
    public func answer(
        _ answer: RollCallAnswer, for personID: PersonID, in id: RollCallID, note: String, scope: PersonnelScope,
        now: Date
    ) async throws {
        try PersonStore(database).requireKeeper(scope)
        guard let call = try await find(id, scope: scope), call.lines.contains(where: { $0.personID == personID })
        else { throw DomainError(.notFound, key: "error.not_found", "No such roll-call or person.") }
        guard call.isOpen else {
            throw DomainError(.conflict, key: "error.roll_call_closed", "This roll-call is closed.")
        }
        let note = String(note.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))
        try await database.writing { db in
            try await db.sql.update("roll_call_people").set("answer", to: answer.rawValue)
                .set("answered_at", to: now).set("answered_by", to: scope.actorID).set("note", to: note)
                .where("roll_call_id", .equal, id).where("person_id", .equal, personID).run()
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, after: ["person_id": personID.uuidString, "answer": answer.rawValue, "note": note],
                at: now)
        }
    }

    public func close(_ id: RollCallID, scope: PersonnelScope, now: Date) async throws {
        try PersonStore(database).requireKeeper(scope)
        guard let call = try await find(id, scope: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such roll-call.")
        }
        guard call.isOpen else {
            throw DomainError(.conflict, key: "error.roll_call_closed", "This roll-call is closed.")
        }
        try await database.writing { db in
            try await db.sql.update("roll_calls").set("closed_at", to: now).set("closed_by", to: scope.actorID)
                .where("id", .equal, id).run()
            let counts = call.counts
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update,
                after: Dictionary(
                    uniqueKeysWithValues: RollCallAnswer.allCases.map { ($0.rawValue, String(counts[$0] ?? 0)) }
                )
                .merging(["closed_at": DateText.minute(now)]) { a, _ in a }, at: now)
        }
    }

    /// A roll-call with its lines, for those who keep the register.
    public func find(_ id: RollCallID, scope: PersonnelScope) async throws -> RollCallRecord? {
        guard scope.reachesEveryone,
            let row = try await database.sql.select().column("*").from("roll_calls").where("id", .equal, id)
                .where("operation_id", .equal, scope.operationID).first()
        else { return nil }
        return try await record(row)
    }

    /// The open roll-calls, oldest first, with their lines.
    public func openCalls(in scope: PersonnelScope) async throws -> [RollCallRecord] {
        guard scope.reachesEveryone else { return [] }
        var calls: [RollCallRecord] = []
        for row in try await database.sql.select().column("*").from("roll_calls")
            .where("operation_id", .equal, scope.operationID).where("closed_at", .is, SQLLiteral.null)
            .orderBy("number").all()
        {
            calls.append(try await record(row))
        }
        return calls
    }

    /// The latest roll-calls, newest first, without their lines.
    public func recent(in scope: PersonnelScope, limit: Int = 10) async throws -> [RollCallRecord] {
        guard scope.reachesEveryone else { return [] }
        var calls: [RollCallRecord] = []
        for row in try await database.sql.select().column("*").from("roll_calls")
            .where("operation_id", .equal, scope.operationID).orderBy("number", .descending).limit(limit).all()
        {
            calls.append(try await record(row))
        }
        return calls
    }

    func record(_ row: any SQLRow) async throws -> RollCallRecord {
        let id = try row.decode(column: "id", as: RollCallID.self)
        let lines = try await database.sql.select()
            .column(SQLColumn("person_id", table: "r")).column(SQLColumn("answer", table: "r"))
            .column(SQLColumn("answered_at", table: "r")).column(SQLColumn("answered_by", table: "r"))
            .column(SQLColumn("note", table: "r")).column(SQLColumn("full_name", table: "p"))
            .from(SQLAlias(SQLIdentifier("roll_call_people"), as: SQLIdentifier("r")))
            .join(
                SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("id", table: "p"), .equal,
                SQLColumn("person_id", table: "r")
            )
            .where(SQLColumn("roll_call_id", table: "r"), .equal, SQLBind(id))
            .orderBy(SQLColumn("full_name", table: "p")).all().map {
                RollCallRecord.Line(
                    personID: try $0.decode(column: "person_id", as: PersonID.self),
                    name: try $0.decode(column: "full_name", as: String.self),
                    answer: RollCallAnswer(rawValue: try $0.decode(column: "answer", as: String.self)) ?? .notReached,
                    answeredAt: try $0.decodeOptional(column: "answered_at", as: Date.self),
                    answeredBy: try $0.decodeOptional(column: "answered_by", as: UserID.self),
                    note: try $0.decode(column: "note", as: String.self))
            }
        return RollCallRecord(
            id: id, number: try row.decode(column: "number", as: Int.self),
            areaPcode: try row.decode(column: "area_pcode", as: String.self),
            reason: try row.decode(column: "reason", as: String.self),
            openedAt: try row.decode(column: "opened_at", as: Date.self),
            openedBy: try row.decodeOptional(column: "opened_by", as: UserID.self),
            closedAt: try row.decodeOptional(column: "closed_at", as: Date.self), lines: lines)
    }

    /// The P-code and every area below it.
    static func descendants(of pcode: String, in operationID: OperationID, on database: any Database) async throws
        -> Set<String>
    {
        let rows = try await database.sql.select().columns("pcode", "parent_pcode").from("admin_areas")
            .where("operation_id", .equal, operationID).all()
        var children: [String: [String]] = [:]
        for row in rows {
            if let parent = try row.decodeOptional(column: "parent_pcode", as: String.self) {
                children[parent, default: []].append(try row.decode(column: "pcode", as: String.self))
            }
        }
        var found: Set<String> = [pcode]
        var queue = [pcode]
        while let next = queue.popLast() {
            for child in children[next] ?? [] where found.insert(child).inserted { queue.append(child) }
        }
        return found
    }
}
