import Domain
import FluentKit
import Foundation
import SQLKit

/// Operations and their members.
public struct OperationStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// Creates an operation from a validated draft. Throws `conflict` when the code is taken.
    @discardableResult
    public func create(_ draft: OperationDraft, heopsUserID: UserID? = nil, actorID: UserID?, now: Date) async throws
        -> OperationRecord
    {
        if try await find(code: draft.code) != nil {
            throw DomainError(
                .conflict, field: "code", key: "error.code_taken",
                "An operation with code \(draft.code) already exists.")
        }
        let row = OperationRecord(
            id: OperationID(UUID()), code: draft.code, name: draft.name,
            countries: draft.countries.joined(separator: ","),
            emergencyType: draft.emergencyType.rawValue, glideNumber: draft.glideNumber, appealCode: draft.appealCode,
            startDate: draft.startDate.map(Self.isoDay), heopsUserId: heopsUserID, boundariesVersion: 0,
            timeZone: draft.timeZone, createdAt: now, updatedAt: now)
        try await database.writing { db in
            try await db.sql.insert(into: "operations").model(row).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: row.id, recordKind: "operation", recordID: row.id.uuidString,
                action: .create, after: Self.snapshot(row), at: now)
            if let heops = heopsUserID {
                try await Self.setMember(
                    on: db, operationID: row.id, userID: heops, role: .headOfOperations, actorID: actorID, now: now)
            }
        }
        return row
    }

    /// Updates an operation's descriptive fields (not its code).
    public func update(_ id: OperationID, with draft: OperationDraft, heopsUserID: UserID?, actorID: UserID?, now: Date)
        async throws -> OperationRecord
    {
        guard let before = try await find(id: id) else {
            throw DomainError(.notFound, key: "error.not_found", "No such operation.")
        }
        var after = before
        after.name = draft.name
        after.countries = draft.countries.joined(separator: ",")
        after.emergencyType = draft.emergencyType.rawValue
        after.glideNumber = draft.glideNumber
        after.appealCode = draft.appealCode
        after.startDate = draft.startDate.map(Self.isoDay)
        after.timeZone = draft.timeZone
        after.heopsUserId = heopsUserID
        after.updatedAt = now
        let final = after
        try await database.writing { db in
            let after = final
            try await db.sql.update("operations")
                .set("name", to: after.name).set("countries", to: after.countries)
                .set("emergency_type", to: after.emergencyType).set("glide_number", to: after.glideNumber)
                .set("appeal_code", to: after.appealCode).set("start_date", to: after.startDate)
                .set("time_zone", to: after.timeZone)
                .set("heops_user_id", to: after.heopsUserId).set("updated_at", to: now)
                .where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: id, recordKind: "operation", recordID: id.uuidString, action: .update,
                before: Self.snapshot(before), after: Self.snapshot(after), at: now)
            if let heops = heopsUserID {
                try await Self.setMember(
                    on: db, operationID: id, userID: heops, role: .headOfOperations, actorID: actorID, now: now)
            }
        }
        return final
    }

    public func find(code: String) async throws -> OperationRecord? {
        try await database.sql.select().column("*").from("operations")
            .where("code", .equal, code.uppercased()).first()?.decodeRow(OperationRecord.self)
    }

    public func find(id: OperationID) async throws -> OperationRecord? {
        try await database.sql.select().column("*").from("operations").where("id", .equal, id).first()?.decodeRow(
            OperationRecord.self)
    }

    /// The operations `viewer` may see, as `AccessPolicy.visibleOperations` decides.
    public func list(visibleTo viewer: Viewer) async throws -> [OperationRecord] {
        try await list(AccessPolicy.visibleOperations(for: viewer))
    }

    /// The operations in `set`: for a viewer, `list(visibleTo:)`; `.all` only for the server's
    /// operator on the command line, who administers every operation.
    public func list(_ set: AccessPolicy.OperationSet) async throws -> [OperationRecord] {
        let query = database.sql.select().column("*").from("operations").orderBy("code")
        if case .only(let visible) = set {
            if visible.isEmpty { return [] }
            query.where("id", .in, Array(visible))
        }
        return try await query.all().map { try $0.decodeRow(OperationRecord.self) }
    }

    /// Members with their roles, by name.
    public func members(of operationID: OperationID) async throws -> [MemberRecord] {
        try await database.sql.select()
            .column(SQLColumn("id", table: "users"), as: "user_id").column(SQLColumn("email", table: "users"))
            .column(SQLColumn("display_name", table: "users")).column(SQLColumn("role", table: "memberships"))
            .from("memberships").join(
                "users", on: SQLColumn("user_id", table: "memberships"), .equal, SQLColumn("id", table: "users")
            )
            .where(SQLColumn("operation_id", table: "memberships"), .equal, SQLBind(operationID))
            .orderBy(SQLColumn("display_name", table: "users")).all().map { try $0.decodeRow(MemberRecord.self) }
    }

    /// Gives `userID` `role` in the operation, replacing any earlier role.
    public func setMember(operationID: OperationID, userID: UserID, role: Role, actorID: UserID?, now: Date)
        async throws
    {
        try await database.writing { db in
            try await Self.setMember(
                on: db, operationID: operationID, userID: userID, role: role, actorID: actorID, now: now)
        }
    }

    /// Removes `userID` from the operation.
    public func removeMember(operationID: OperationID, userID: UserID, actorID: UserID?, now: Date) async throws {
        try await database.writing { db in
            let before = try await Self.role(on: db, operationID: operationID, userID: userID)
            guard let before else { return }
            try await db.sql.delete(from: "memberships").where("operation_id", .equal, operationID)
                .where("user_id", .equal, userID).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "membership", recordID: userID.uuidString,
                action: .delete, before: ["role": before.rawValue], at: now)
        }
    }

    static func role(on db: any Database, operationID: OperationID, userID: UserID) async throws -> Role? {
        let row = try await db.sql.select().column("role").from("memberships").where(
            "operation_id", .equal, operationID
        )
        .where("user_id", .equal, userID).first()
        guard let text = try row?.decode(column: "role", as: String.self) else { return nil }
        return Role(rawValue: text)
    }

    static func setMember(
        on db: any Database, operationID: OperationID, userID: UserID, role: Role, actorID: UserID?, now: Date
    )
        async throws
    {
        let before = try await Self.role(on: db, operationID: operationID, userID: userID)
        if before == role { return }
        if before == nil {
            try await db.sql.insert(into: "memberships").columns("id", "operation_id", "user_id", "role", "created_at")
                .values(SQLBind(UUID()), SQLBind(operationID), SQLBind(userID), SQLBind(role.rawValue), SQLBind(now))
                .run()
        } else {
            try await db.sql.update("memberships").set("role", to: role.rawValue)
                .where("operation_id", .equal, operationID).where("user_id", .equal, userID).run()
        }
        try await AuditStore(db).append(
            actorID: actorID, operationID: operationID, recordKind: "membership", recordID: userID.uuidString,
            action: before == nil ? .create : .update, before: ["role": before?.rawValue],
            after: ["role": role.rawValue],
            at: now)
    }

    static func isoDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }

    static func snapshot(_ row: OperationRecord) -> [String: String?] {
        [
            "code": row.code, "name": row.name, "countries": row.countries, "emergency_type": row.emergencyType,
            "glide_number": row.glideNumber, "appeal_code": row.appealCode, "start_date": row.startDate,
            "heops_user_id": row.heopsUserId?.uuidString, "time_zone": row.timeZone,
        ]
    }
}
