import Domain
import FluentKit
import Foundation
import SQLKit

/// A field movement as stored, with its approvals and check-ins.
public struct MovementRecord: Sendable, Hashable {
    public struct Approval: Sendable, Hashable {
        public let authority: MovementAuthority
        public let userID: UserID?
        public let at: Date
    }
    public struct CheckIn: Sendable, Hashable {
        public let kind: CheckInKind
        public let waypoint: Int?
        public let at: Date
        public let recordedBy: UserID?
        public let source: CheckInSource
        public let latitude: Double?
        public let longitude: Double?
        public let note: String
    }

    public let id: MovementID
    public let operationID: OperationID
    public let number: Int
    public var draft: MovementDraft
    public var routeAreas: [String]
    public var status: MovementStatus
    public var highestPhase: String?
    public var requiredApprovals: Set<MovementAuthority>
    /// Why it was refused.
    public var refusals: [MovementRefusal]
    public let requestedBy: UserID?
    public let requestedAt: Date
    public var overdueResolvedAt: Date?
    public var overdueNote: String?
    public var approvals: [Approval]
    public var checkIns: [CheckIn]
    public var updatedAt: Date

    public var missingApprovals: Set<MovementAuthority> {
        requiredApprovals.subtracting(approvals.map(\.authority))
    }

    /// Open (approved or underway), its expected arrival and the grace passed, without an arrival,
    /// and not resolved since the last expected arrival was set.
    public func isOverdue(now: Date, graceMinutes: Int) -> Bool {
        guard status == .approved || status == .underway else { return false }
        let deadline = draft.expectedArrivalAt.addingTimeInterval(Double(graceMinutes) * 60)
        guard now > deadline else { return false }
        return overdueResolvedAt.map { $0 < deadline } ?? true
    }
}

/// Field movements (issue 16): requests decided by the phases of every area the route crosses,
/// refused with reasons, approved by the authorities the phases need, and followed by check-ins
/// until they arrive. Those who keep the register see every movement; a member sees those they
/// travel on. A check-in moves the travellers' locations too.
public struct MovementStore: Sendable {
    static let kind = "movement"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// Stores a request with its decision: refused (with the reasons), approved at once when the
    /// route needs no approval, else requested. The travellers must all be in the register, in reach.
    public func request(
        _ draft: MovementDraft, decision: MovementDecision, routeAreas: [String],
        scope: PersonnelScope, now: Date
    ) async throws -> MovementRecord {
        let people = PersonStore(database)
        var errors = ValidationErrors()
        for id in draft.travellers where try await people.find(id, in: scope) == nil {
            errors.add(
                "passengers", key: "error.movement_passenger",
                "A passenger is not in this operation's register (\(id.uuidString)).")
        }
        try errors.throwIfAny()
        let status: MovementStatus =
            !decision.refusals.isEmpty ? .refused : decision.approvals.isEmpty ? .approved : .requested
        let id = MovementID(UUID())
        try await database.writing { db in
            let number = try await db.sql.nextNumber(in: "movements", operationID: scope.operationID)
            try await db.sql.insert(into: "movements").columns(
                "id", "operation_id", "number", "purpose", "driver_id", "vehicles", "route", "route_areas",
                "departure_at", "expected_arrival_at", "radio_channel", "satellite_phone", "status", "highest_phase",
                "required_approvals", "refusals", "requested_by", "requested_at", "updated_at"
            ).values(
                SQLBind(id), SQLBind(scope.operationID), SQLBind(number), SQLBind(draft.purpose), SQLBind(draft.driver),
                SQLBind(draft.vehicles), SQLBind(PersonStore.json(draft.route)),
                SQLBind(routeAreas.joined(separator: ",")), SQLBind(draft.departureAt),
                SQLBind(draft.expectedArrivalAt), SQLBind(draft.radioChannel), SQLBind(draft.satellitePhone),
                SQLBind(status.rawValue), SQLBind(decision.highestPhase),
                SQLBind(decision.approvals.map(\.rawValue).sorted().joined(separator: ",")),
                SQLBind(PersonStore.json(decision.refusals)), SQLBind(scope.actorID), SQLBind(now), SQLBind(now)
            ).run()
            for person in draft.passengers {
                try await db.sql.insert(into: "movement_passengers").columns("movement_id", "person_id")
                    .values(SQLBind(id), SQLBind(person)).run()
            }
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create,
                after: [
                    "purpose": draft.purpose, "status": status.rawValue,
                    "passengers": draft.passengers.map(\.uuidString).joined(separator: ","),
                    "route": routeAreas.joined(separator: ","), "refusals": PersonStore.json(decision.refusals),
                ], at: now)
        }
        guard let record = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such movement.")
        }
        return record
    }

    /// Gives one of the approvals the route needs. The caller has checked the user holds `authority`.
    public func approve(
        _ id: MovementID, as authority: MovementAuthority, by user: UserID, scope: PersonnelScope, now: Date
    ) async throws -> MovementRecord {
        guard let movement = try await find(id, in: scope), scope.reachesEveryone else {
            throw DomainError(.notFound, key: "error.not_found", "No such movement.")
        }
        guard movement.status == .requested, movement.missingApprovals.contains(authority) else {
            throw DomainError(
                .conflict, field: "authority", key: "error.movement_not_needed", "This approval is not needed now.")
        }
        if movement.requestedBy == user {
            throw DomainError(
                .forbidden, field: "authority", key: "error.movement_own", "Nobody approves a movement they requested.")
        }
        let complete = movement.missingApprovals == [authority]
        try await database.writing { db in
            try await db.sql.insert(into: "movement_approvals").columns(
                "movement_id", "authority", "user_id", "approved_at"
            )
            .values(SQLBind(id), SQLBind(authority.rawValue), SQLBind(user), SQLBind(now)).run()
            if complete {
                try await db.sql.update("movements").set("status", to: MovementStatus.approved.rawValue)
                    .set("updated_at", to: now).where("id", .equal, id).run()
            }
            try await AuditStore(db).append(
                actorID: user, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update,
                after: ["approval": authority.rawValue, "status": complete ? MovementStatus.approved.rawValue : nil],
                at: now)
        }
        return try await find(id, in: scope) ?? movement
    }

    /// Cancels a movement that has not departed.
    public func cancel(_ id: MovementID, scope: PersonnelScope, now: Date) async throws {
        guard let movement = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such movement.")
        }
        guard movement.status == .requested || movement.status == .approved else {
            throw DomainError(
                .conflict, key: "error.movement_closed", "Only a movement not yet under way is cancelled.")
        }
        try await setStatus(.cancelled, of: movement, scope: scope, now: now)
    }

    func setStatus(_ status: MovementStatus, of movement: MovementRecord, scope: PersonnelScope, now: Date)
        async throws
    {
        try await database.writing { db in
            try await db.sql.update("movements").set("status", to: status.rawValue).set("updated_at", to: now)
                .where("id", .equal, movement.id).run()
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind,
                recordID: movement.id.uuidString, action: .update, before: ["status": movement.status.rawValue],
                after: ["status": status.rawValue], at: now)
        }
    }

    /// Records a check-in. Refused on a movement that is closed (refused, arrived, cancelled) or
    /// not yet approved. A check-in with a position, or at a waypoint, confirms where the travellers are.
    public func checkIn(
        _ kind: CheckInKind, waypoint: Int?, latitude: Double?, longitude: Double?, areaPcode: String?, note: String,
        source: CheckInSource, of id: MovementID, scope: PersonnelScope, now: Date, madeAt: Date? = nil
    ) async throws -> MovementRecord {
        // A check-in made offline counts from when it was made; it is recorded now.
        let at = madeAt ?? now
        guard let movement = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such movement.")
        }
        guard !movement.status.isClosed else {
            throw DomainError(
                .conflict, field: "kind", key: "error.movement_closed",
                "Movement \(movement.number) is \(movement.status.rawValue): no more check-ins.")
        }
        guard movement.status != .requested else {
            throw DomainError(
                .conflict, field: "kind", key: "error.movement_not_approved", "The movement is not approved yet.")
        }
        if let waypoint, !(0..<movement.draft.route.count).contains(waypoint) {
            throw DomainError(
                .invalid, field: "waypoint", key: "error.movement_waypoint", "No such point on the route.")
        }
        let note = String(note.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))
        let next: MovementStatus = kind == .arrived ? .arrived : .underway
        // Where the travellers are now: the point given, else the route's point for this check-in.
        let routeIndex = waypoint ?? (kind == .arrived ? movement.draft.route.count - 1 : kind == .departed ? 0 : nil)
        var place: PersonPlace?
        var area = areaPcode
        if let latitude, let longitude {
            place = .point(latitude: latitude, longitude: longitude, precisionMeters: nil)
        } else if let routeIndex {
            let point = movement.draft.route[routeIndex]
            switch point.kind {
            case .site: place = point.siteID.map(PersonPlace.site)
            case .area: place = point.areaPcode.map(PersonPlace.area)
            case .point:
                if let lat = point.latitude, let lon = point.longitude {
                    place = .point(latitude: lat, longitude: lon, precisionMeters: nil)
                }
            }
            if point.kind != .site { area = point.areaPcode }
        }
        if case .site(let siteID) = place {
            area = try await database.sql.select().column("area_pcode").from("sites").where("id", .equal, siteID)
                .first()?.decodeOptional(column: "area_pcode", as: String.self)
        }
        let confirmed = place
        let resolvedArea = area
        try await database.writing { db in
            try await db.sql.insert(into: "movement_check_ins").columns(
                "id", "movement_id", "kind", "waypoint", "at", "recorded_by", "source", "latitude", "longitude", "note"
            ).values(
                SQLBind(UUID()), SQLBind(id), SQLBind(kind.rawValue), SQLBind(waypoint), SQLBind(at),
                SQLBind(scope.actorID), SQLBind(source.rawValue), SQLBind(latitude), SQLBind(longitude), SQLBind(note)
            ).run()
            if next != movement.status {
                try await db.sql.update("movements").set("status", to: next.rawValue).set("updated_at", to: now)
                    .where("id", .equal, id).run()
            }
            if let confirmed {
                let location = PersonLocation(
                    place: confirmed, areaPcode: resolvedArea, confirmedAt: at, confirmedBy: scope.actorID,
                    source: .checkIn, note: "Movement \(movement.number): \(kind.rawValue)")
                for person in movement.draft.travellers {
                    try await PersonStore.writeLocation(location, of: person, operationID: scope.operationID, on: db)
                }
            }
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update,
                after: [
                    "check_in": kind.rawValue, "waypoint": waypoint.map(String.init), "source": source.rawValue,
                    "status": next.rawValue, "note": note,
                ], at: now)
        }
        return try await find(id, in: scope) ?? movement
    }

    /// Resolves an overdue movement: what was learnt, and a new expected arrival when they are
    /// delayed but safe. Until then it heads the dashboard.
    public func resolveOverdue(
        _ id: MovementID, note: String, newExpectedArrival: Date?, scope: PersonnelScope, now: Date
    ) async throws {
        guard scope.reachesEveryone, let movement = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such movement.")
        }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = ValidationErrors()
        if note.isEmpty || note.count > 500 {
            errors.add("note", key: "error.movement_resolution", "Say what is known (at most 500 characters).")
        }
        if let next = newExpectedArrival, next <= now {
            errors.add("expected_arrival", key: "error.movement_arrival", "A new expected arrival is in the future.")
        }
        try errors.throwIfAny()
        try await database.writing { db in
            let update = db.sql.update("movements").set("overdue_resolved_at", to: now)
                .set("overdue_resolved_by", to: scope.actorID).set("overdue_note", to: note).set("updated_at", to: now)
            if let next = newExpectedArrival { update.set("expected_arrival_at", to: next) }
            try await update.where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: scope.actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update,
                before: ["expected_arrival_at": DateText.minute(movement.draft.expectedArrivalAt)],
                after: [
                    "overdue_note": note,
                    "expected_arrival_at": DateText.minute(newExpectedArrival ?? movement.draft.expectedArrivalAt),
                ], at: now)
        }
    }

    // MARK: Reading

    /// Movements in reach: those who keep the register see all; a member those they travel on.
    func scoped(_ scope: PersonnelScope) -> SQLSelectBuilder {
        database.sql.select().column("*").from("movements").where(VisibilityFilter.movements(scope))
    }

    /// A movement by its number in the operation (a check-in sent by message names it so).
    public func find(number: Int, in scope: PersonnelScope) async throws -> MovementRecord? {
        guard let row = try await scoped(scope).where("number", .equal, number).first() else { return nil }
        return try await records([row]).first
    }

    public func find(_ id: MovementID, in scope: PersonnelScope) async throws -> MovementRecord? {
        guard let row = try await scoped(scope).where("id", .equal, id).first() else { return nil }
        return try await records([row]).first
    }

    /// The board: every movement not closed, and those closed since `since`, by departure.
    public func board(in scope: PersonnelScope, closedSince since: Date) async throws -> [MovementRecord] {
        let open = [MovementStatus.requested, .approved, .underway].map(\.rawValue)
        let rows = try await scoped(scope).where { group in
            group.where("status", .in, open).orWhere("updated_at", .greaterThanOrEqual, since)
        }.orderBy("departure_at").all()
        return try await records(rows)
    }

    /// Movements a person travels on, newest first.
    public func movements(of personID: PersonID, in scope: PersonnelScope, limit: Int = 10) async throws
        -> [MovementRecord]
    {
        let travels: SQLQueryString = """
            (movements.driver_id = \(bind: personID) OR EXISTS (SELECT 1 FROM movement_passengers mp2 \
            WHERE mp2.movement_id = movements.id AND mp2.person_id = \(bind: personID)))
            """
        let rows = try await scoped(scope).where(travels).orderBy("departure_at", .descending).limit(limit).all()
        return try await records(rows)
    }

    func records(_ rows: [any SQLRow]) async throws -> [MovementRecord] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: MovementID.self) }
        var passengers: [MovementID: [PersonID]] = [:]
        var approvals: [MovementID: [MovementRecord.Approval]] = [:]
        var checkIns: [MovementID: [MovementRecord.CheckIn]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for row in try await database.sql.select().columns("movement_id", "person_id").from("movement_passengers")
                .where("movement_id", .in, chunk).all()
            {
                passengers[try row.decode(column: "movement_id", as: MovementID.self), default: []].append(
                    try row.decode(column: "person_id", as: PersonID.self))
            }
            for row in try await database.sql.select().column("*").from("movement_approvals")
                .where("movement_id", .in, chunk).orderBy("approved_at").all()
            {
                guard let authority = MovementAuthority(rawValue: try row.decode(column: "authority", as: String.self))
                else { continue }
                approvals[try row.decode(column: "movement_id", as: MovementID.self), default: []].append(
                    .init(
                        authority: authority, userID: try row.decodeOptional(column: "user_id", as: UserID.self),
                        at: try row.decode(column: "approved_at", as: Date.self)))
            }
            for row in try await database.sql.select().column("*").from("movement_check_ins")
                .where("movement_id", .in, chunk).orderBy("at").all()
            {
                checkIns[try row.decode(column: "movement_id", as: MovementID.self), default: []].append(
                    .init(
                        kind: CheckInKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .waypoint,
                        waypoint: try row.decodeOptional(column: "waypoint", as: Int.self),
                        at: try row.decode(column: "at", as: Date.self),
                        recordedBy: try row.decodeOptional(column: "recorded_by", as: UserID.self),
                        source: CheckInSource(rawValue: try row.decode(column: "source", as: String.self))
                            ?? .radioRoom,
                        latitude: try row.decodeOptional(column: "latitude", as: Double.self),
                        longitude: try row.decodeOptional(column: "longitude", as: Double.self),
                        note: try row.decode(column: "note", as: String.self)))
            }
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: MovementID.self)
            let draft = MovementDraft(
                purpose: try row.decode(column: "purpose", as: String.self), passengers: passengers[id] ?? [],
                driver: try row.decodeOptional(column: "driver_id", as: PersonID.self),
                vehicles: try row.decode(column: "vehicles", as: String.self),
                route: PersonStore.decodeJSON([RoutePoint].self, try row.decode(column: "route", as: String.self))
                    ?? [],
                departureAt: try row.decode(column: "departure_at", as: Date.self),
                expectedArrivalAt: try row.decode(column: "expected_arrival_at", as: Date.self),
                radioChannel: try row.decode(column: "radio_channel", as: String.self),
                satellitePhone: try row.decode(column: "satellite_phone", as: String.self))
            return MovementRecord(
                id: id, operationID: try row.decode(column: "operation_id", as: OperationID.self),
                number: try row.decode(column: "number", as: Int.self), draft: draft,
                routeAreas: try row.decode(column: "route_areas", as: String.self).split(separator: ",").map(
                    String.init),
                status: MovementStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .requested,
                highestPhase: try row.decodeOptional(column: "highest_phase", as: String.self),
                requiredApprovals: Set(
                    try row.decode(column: "required_approvals", as: String.self).split(separator: ",").compactMap {
                        MovementAuthority(rawValue: String($0))
                    }),
                refusals: Self.refusals(try row.decode(column: "refusals", as: String.self)),
                requestedBy: try row.decodeOptional(column: "requested_by", as: UserID.self),
                requestedAt: try row.decode(column: "requested_at", as: Date.self),
                overdueResolvedAt: try row.decodeOptional(column: "overdue_resolved_at", as: Date.self),
                overdueNote: try row.decodeOptional(column: "overdue_note", as: String.self),
                approvals: approvals[id] ?? [], checkIns: checkIns[id] ?? [],
                updatedAt: try row.decode(column: "updated_at", as: Date.self))
        }
    }

    /// Most movements were not refused: their "[]" needs no JSONDecoder.
    static func refusals(_ text: String) -> [MovementRefusal] {
        text == "[]" ? [] : PersonStore.decodeJSON([MovementRefusal].self, text) ?? []
    }
}
