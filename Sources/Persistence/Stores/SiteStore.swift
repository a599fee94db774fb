import Domain
import FluentKit
import Foundation
import SQLKit

/// Sites of an operation. Every read takes a `Scope`: there is no unscoped read for users.
public struct SiteStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    static let kind = "site"

    /// Filters for the site list.
    public struct Filter: Sendable, Hashable {
        public var type: SiteType?
        public var areaPcodePrefix: String?
        public var search: String?
        public init(type: SiteType? = nil, areaPcodePrefix: String? = nil, search: String? = nil) {
            self.type = type
            self.areaPcodePrefix = areaPcodePrefix
            self.search = search
        }
    }

    /// People and roles named on a restricted site.
    public struct Grants: Sendable, Hashable {
        public var userIDs: Set<UserID>
        public var roles: Set<Role>
        public init(userIDs: Set<UserID> = [], roles: Set<Role> = []) {
            self.userIDs = userIDs
            self.roles = roles
        }
    }

    /// Creates a site; the caller has checked `AccessPolicy.canCreate`.
    public func create(
        _ draft: SiteDraft, areaPcode: String?, grants: Grants, in operationID: OperationID, actorID: UserID, now: Date
    ) async throws -> SiteRecord {
        let row = SiteRecord(
            id: SiteID(UUID()), operationId: operationID, name: draft.name, type: draft.type.rawValue,
            latitude: draft.latitude ?? 0, longitude: draft.longitude ?? 0, areaPcode: areaPcode,
            contactName: draft.contactName, contactPhone: draft.contactPhone, notes: draft.notes,
            audience: draft.audience.rawValue, createdBy: actorID, createdAt: now, updatedAt: now)
        try await database.writing { db in
            try await db.sql.insert(into: "sites").model(row).run()
            try await Self.replaceGrants(
                on: db, siteID: row.id, grants: draft.audience == .restricted ? grants : Grants())
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: row.id.uuidString,
                action: .create, after: Self.snapshot(row), at: now)
        }
        return row
    }

    /// Updates a site; the caller has checked `AccessPolicy.canChange`.
    public func update(
        _ id: SiteID, with draft: SiteDraft, areaPcode: String?, grants: Grants, scope: Scope, actorID: UserID,
        expecting version: String? = nil, now: Date
    ) async throws -> SiteRecord {
        guard let before = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such site.")
        }
        var after = before
        after.name = draft.name
        after.type = draft.type.rawValue
        after.latitude = draft.latitude ?? before.latitude
        after.longitude = draft.longitude ?? before.longitude
        after.areaPcode = areaPcode
        after.contactName = draft.contactName
        after.contactPhone = draft.contactPhone
        after.notes = draft.notes
        after.audience = draft.audience.rawValue
        after.updatedAt = now
        let final = after
        try await database.writing { db in
            try await db.sql.requireVersion(version, of: "sites", id: id, what: "site", now: now)
            let after = final
            try await db.sql.update("sites")
                .set("name", to: after.name).set("type", to: after.type).set("latitude", to: after.latitude)
                .set("longitude", to: after.longitude).set("area_pcode", to: after.areaPcode)
                .set("contact_name", to: after.contactName).set("contact_phone", to: after.contactPhone)
                .set("notes", to: after.notes).set("audience", to: after.audience).set("updated_at", to: now)
                .where("id", .equal, id).run()
            try await Self.replaceGrants(on: db, siteID: id, grants: draft.audience == .restricted ? grants : Grants())
            try await AuditStore(db).append(
                actorID: actorID, operationID: before.operationId, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before), after: Self.snapshot(after), at: now)
        }
        return final
    }

    /// Deletes a site; the audit log keeps its last state.
    public func delete(_ id: SiteID, scope: Scope, actorID: UserID, now: Date) async throws {
        guard let before = try await find(id, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such site.")
        }
        try await database.writing { db in
            try await db.sql.delete(from: "sites").where("id", .equal, id).run()
            try await db.sql.delete(from: "record_grants").where("record_kind", .equal, Self.kind).where(
                "record_id", .equal, id
            ).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: before.operationId, recordKind: Self.kind, recordID: id.uuidString,
                action: .delete, before: Self.snapshot(before), at: now)
        }
    }

    /// The site, if it exists and `scope` may see it. A hidden site and a missing one look the same.
    public func find(_ id: SiteID, in scope: Scope) async throws -> SiteRecord? {
        try await database.sql.select().column("*").from("sites").where("id", .equal, id)
            .where(VisibilityFilter.predicate(scope, table: "sites", kind: Self.kind))
            .first()?.siteRow()
    }

    /// One page of the sites `scope` may see, by name.
    public func list(in scope: Scope, filter: Filter = Filter(), page: Paging) async throws -> ResultPage<SiteRecord> {
        try await database.sql.page(
            page, from: "sites",
            filter: { builder in
                builder.where(VisibilityFilter.predicate(scope, table: "sites", kind: Self.kind))
                if let type = filter.type { builder.where("type", .equal, type.rawValue) }
                if let prefix = filter.areaPcodePrefix, !prefix.isEmpty {
                    builder.where("area_pcode", .like, Self.likePrefix(prefix))
                }
                if let search = filter.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
                    builder.where(
                        SQLFunction("LOWER", args: SQLIdentifier("name")), .like,
                        SQLBind("%" + Self.escapeLike(search.lowercased()) + "%"))
                }
                return builder
            }, order: { $0.orderBy("name").orderBy("id") }, decode: { try $0.siteRow() })
    }

    /// Every site `scope` may see (for maps and exports), by name.
    public func all(in scope: Scope) async throws -> [SiteRecord] {
        try await database.sql.select().column("*").from("sites")
            .where(VisibilityFilter.predicate(scope, table: "sites", kind: Self.kind))
            .orderBy("name").all().map { try $0.siteRow() }
    }

    /// What a map draws of a site: a light row for the busiest queries (the dashboard draws every
    /// visible site on each view), decoded column by column rather than through `Codable`.
    public struct MapPoint: Sendable, Hashable {
        public var id: SiteID
        public var name: String
        public var type: String
        public var latitude: Double
        public var longitude: Double
        public var updatedAt: Date

        public var siteType: SiteType { SiteType(rawValue: type) ?? .other }
    }

    /// Every site `scope` may see, as map points, by name.
    public func mapPoints(in scope: Scope) async throws -> [MapPoint] {
        try await database.sql.select().columns("id", "name", "type", "latitude", "longitude", "updated_at").from(
            "sites"
        )
        .where(VisibilityFilter.predicate(scope, table: "sites", kind: Self.kind))
        .orderBy("name").all().map {
            MapPoint(
                id: try $0.decode(column: "id", as: SiteID.self), name: try $0.decode(column: "name", as: String.self),
                type: try $0.decode(column: "type", as: String.self),
                latitude: try $0.decode(column: "latitude", as: Double.self),
                longitude: try $0.decode(column: "longitude", as: Double.self),
                updatedAt: try $0.decode(column: "updated_at", as: Date.self))
        }
    }

    /// The people and roles named on a site.
    public func grants(of siteID: SiteID) async throws -> Grants {
        var grants = Grants()
        for row in try await database.sql.select().columns("user_id", "role").from("record_grants")
            .where("record_kind", .equal, Self.kind).where("record_id", .equal, siteID).all()
        {
            if let user = try row.decode(column: "user_id", as: UserID?.self) { grants.userIDs.insert(user) }
            if let role = try row.decode(column: "role", as: String?.self).flatMap(Role.init(rawValue:)) {
                grants.roles.insert(role)
            }
        }
        return grants
    }

    /// What the access policy needs to know about a site.
    public func access(of site: SiteRecord) async throws -> RecordAccess {
        let grants = site.audienceLevel == .restricted ? try await grants(of: site.id) : Grants()
        return RecordAccess(
            operationID: site.operationId, audience: site.audienceLevel,
            createdBy: site.createdBy,
            namedUserIDs: grants.userIDs, namedRoles: grants.roles)
    }

    /// Coordinates of every site of an operation, for re-resolving admin areas after a boundary
    /// import. System maintenance only: the result never reaches a user.
    public func coordinatesForMaintenance(operationID: OperationID) async throws -> [(
        id: UUID, latitude: Double, longitude: Double, areaPcode: String?
    )] {
        try await database.sql.select().columns("id", "latitude", "longitude", "area_pcode").from("sites")
            .where("operation_id", .equal, operationID).all().map {
                (
                    try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "latitude", as: Double.self),
                    try $0.decode(column: "longitude", as: Double.self),
                    try $0.decode(column: "area_pcode", as: String?.self)
                )
            }
    }

    /// Moves sites to the admin area they now fall in (after a boundary import), in one
    /// transaction, each move an audited change so the site's history shows it.
    public func relocate(
        _ moves: [(id: UUID, from: String?, to: String?)], operationID: OperationID, actorID: UserID?, now: Date
    ) async throws {
        guard !moves.isEmpty else { return }
        try await database.writing { db in
            for move in moves {
                try await db.sql.update("sites").set("area_pcode", to: move.to).set("updated_at", to: now).where(
                    "id", .equal, move.id
                ).run()
                try await AuditStore(db).append(
                    actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: move.id.uuidString,
                    action: .update, before: ["area_pcode": move.from], after: ["area_pcode": move.to], at: now)
            }
        }
    }

    /// How many of `ids` `scope` may see (see `SQLDatabase.visibleCount`).
    public func count(of ids: [SiteID], in scope: Scope) async throws -> Int {
        try await database.sql.visibleCount(of: ids, in: "sites", kind: Self.kind, scope: scope)
    }

    static func replaceGrants(on db: any Database, siteID: SiteID, grants: Grants) async throws {
        try await replaceGrants(on: db, kind: kind, recordID: siteID, grants: grants)
    }

    /// Replaces the people and roles named on a restricted record of any kind.
    static func replaceGrants(on db: any Database, kind: String, recordID: some Encodable & Sendable, grants: Grants)
        async throws
    {
        try await db.sql.delete(from: "record_grants").where("record_kind", .equal, kind).where(
            "record_id", .equal, recordID
        ).run()
        for user in grants.userIDs.sorted(by: { $0.uuidString < $1.uuidString }) {
            try await db.sql.insert(into: "record_grants").columns("id", "record_kind", "record_id", "user_id", "role")
                .values(SQLBind(UUID()), SQLBind(kind), SQLBind(recordID), SQLBind(user), SQLBind(String?.none)).run()
        }
        for role in grants.roles.sorted(by: { $0.rawValue < $1.rawValue }) {
            try await db.sql.insert(into: "record_grants").columns("id", "record_kind", "record_id", "user_id", "role")
                .values(SQLBind(UUID()), SQLBind(kind), SQLBind(recordID), SQLBind(UUID?.none), SQLBind(role.rawValue))
                .run()
        }
    }

    static func likePrefix(_ prefix: String) -> SQLBind { SQLBind(escapeLike(prefix) + "%") }

    /// LIKE wildcards in user input match themselves (we use no ESCAPE clause, so drop them).
    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
    }

    static func snapshot(_ row: SiteRecord) -> [String: String?] {
        [
            "name": row.name, "type": row.type, "latitude": String(row.latitude), "longitude": String(row.longitude),
            "area_pcode": row.areaPcode, "contact_name": row.contactName, "contact_phone": row.contactPhone,
            "notes": row.notes, "audience": row.audience,
        ]
    }
}

extension SQLRow {
    /// A site row, column by column: the sites list decodes up to a page of these per view, and
    /// `Codable` row decoding was the largest single cost of that page (BENCHMARKS.md).
    func siteRow() throws -> SiteRecord {
        SiteRecord(
            id: try decode(column: "id", as: SiteID.self),
            operationId: try decode(column: "operation_id", as: OperationID.self),
            name: try decode(column: "name", as: String.self),
            type: try decode(column: "type", as: String.self),
            latitude: try decode(column: "latitude", as: Double.self),
            longitude: try decode(column: "longitude", as: Double.self),
            areaPcode: try decode(column: "area_pcode", as: String?.self),
            contactName: try decode(column: "contact_name", as: String?.self),
            contactPhone: try decode(column: "contact_phone", as: String?.self),
            notes: try decode(column: "notes", as: String?.self),
            audience: try decode(column: "audience", as: String.self),
            createdBy: try decode(column: "created_by", as: UserID?.self),
            createdAt: try decode(column: "created_at", as: Date.self),
            updatedAt: try decode(column: "updated_at", as: Date.self))
    }
}
