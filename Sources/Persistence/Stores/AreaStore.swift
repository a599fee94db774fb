import Domain
import FluentKit
import Foundation
import Geo
import SQLKit

/// One admin area ready to be stored.
public struct AdminAreaInput: Sendable, Hashable {
    public var level: Int
    public var pcode: String
    public var parentPcode: String?
    public var name: String
    public var names: [String: String]
    public var geometry: MultiPolygon

    public init(
        level: Int, pcode: String, parentPcode: String?, name: String, names: [String: String], geometry: MultiPolygon
    ) {
        self.level = level
        self.pcode = pcode
        self.parentPcode = parentPcode
        self.name = name
        self.names = names
        self.geometry = geometry
    }
}

/// An admin area with its geometry, for maps and point-in-polygon.
public struct AdminAreaShape: Sendable {
    public var row: AdminAreaRecord
    public var geometry: MultiPolygon
}

/// Admin boundaries of an operation, keyed by P-code.
public struct AreaStore: Sendable {
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// The outcome of storing one import.
    public struct ImportResult: Sendable, Hashable {
        public var inserted: Int
        public var updated: Int
    }

    /// Stores the areas in one transaction: new P-codes are inserted, known ones updated.
    /// Either every area is stored or none is.
    public func importAreas(_ areas: [AdminAreaInput], into operationID: OperationID, actorID: UserID?, now: Date)
        async throws
        -> ImportResult
    {
        try await database.writing { db in
            let sql = db.sql
            // The first statement writes, so SQLite takes its write lock before any read.
            try await sql.update("operations").set("boundaries_version", to: SQLRaw("boundaries_version + 1"))
                .set("updated_at", to: now).where("id", .equal, operationID).run()
            var existing: [String: AdminAreaRecord] = [:]
            for row in try await sql.select().columns(
                "id", "operation_id", "level", "pcode", "parent_pcode", "name", "names"
            )
            .from("admin_areas").where("operation_id", .equal, operationID).all() {
                let area = try row.decodeRow(AdminAreaRecord.self)
                existing[area.pcode] = area
            }
            var result = ImportResult(inserted: 0, updated: 0)
            let audit = AuditStore(db)
            for area in areas {
                let names = Self.encodeNames(area.names)
                let box = area.geometry.boundingBox
                let geometry = GeometryText.encode(area.geometry)
                let after: [String: String?] = [
                    "level": String(area.level), "parent_pcode": area.parentPcode, "name": area.name, "names": names,
                    "geometry_sha256": Hex.sha256(geometry),
                ]
                if let old = existing[area.pcode] {
                    try await sql.update("admin_areas").set("level", to: area.level).set(
                        "parent_pcode", to: area.parentPcode
                    )
                    .set("name", to: area.name).set("names", to: names).set("geometry", to: geometry)
                    .set("min_lon", to: box?.minLongitude ?? 0).set("min_lat", to: box?.minLatitude ?? 0)
                    .set("max_lon", to: box?.maxLongitude ?? 0).set("max_lat", to: box?.maxLatitude ?? 0)
                    .where("id", .equal, old.id).run()
                    try await audit.append(
                        actorID: actorID, operationID: operationID, recordKind: "admin_area", recordID: area.pcode,
                        action: .update,
                        before: [
                            "level": String(old.level), "parent_pcode": old.parentPcode, "name": old.name,
                            "names": old.names,
                        ],
                        after: after, at: now)
                    result.updated += 1
                } else {
                    try await sql.insert(into: "admin_areas")
                        .columns(
                            "id", "operation_id", "level", "pcode", "parent_pcode", "name", "names", "geometry",
                            "min_lon", "min_lat", "max_lon", "max_lat", "created_at"
                        )
                        .values(
                            SQLBind(UUID()), SQLBind(operationID), SQLBind(area.level), SQLBind(area.pcode),
                            SQLBind(area.parentPcode), SQLBind(area.name), SQLBind(names), SQLBind(geometry),
                            SQLBind(box?.minLongitude ?? 0), SQLBind(box?.minLatitude ?? 0),
                            SQLBind(box?.maxLongitude ?? 0), SQLBind(box?.maxLatitude ?? 0), SQLBind(now)
                        )
                        .run()
                    try await audit.append(
                        actorID: actorID, operationID: operationID, recordKind: "admin_area", recordID: area.pcode,
                        action: .create, after: after, at: now)
                    result.inserted += 1
                }
            }
            return result
        }
    }

    /// Areas of an operation without geometry, by level then P-code.
    public func list(operationID: OperationID, level: Int? = nil, page: Paging? = nil) async throws -> ResultPage<
        AdminAreaRecord
    > {
        let sql = database.sql
        let count = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("admin_areas")
            .where("operation_id", .equal, operationID)
        let query = sql.select().columns("id", "operation_id", "level", "pcode", "parent_pcode", "name", "names")
            .from("admin_areas").where("operation_id", .equal, operationID).orderBy("level").orderBy("pcode")
        if let level {
            count.where("level", .equal, level)
            query.where("level", .equal, level)
        }
        let total = try await count.first()?.decode(column: "n", as: Int.self) ?? 0
        if let page { query.limit(page.perPage).offset(page.offset) }
        let items = try await query.all().map { try $0.decodeRow(AdminAreaRecord.self) }
        return ResultPage(items: items, page: page?.page ?? 1, perPage: page?.perPage ?? max(total, 1), total: total)
    }

    public func find(operationID: OperationID, pcode: String) async throws -> AdminAreaRecord? {
        try await database.sql.select().columns("id", "operation_id", "level", "pcode", "parent_pcode", "name", "names")
            .from("admin_areas").where("operation_id", .equal, operationID).where("pcode", .equal, pcode)
            .first()?.decodeRow(AdminAreaRecord.self)
    }

    /// Number of areas per admin level.
    public func countsByLevel(operationID: OperationID) async throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for row in try await database.sql.select().column("level").column(
            SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
        )
        .from("admin_areas").where("operation_id", .equal, operationID).groupBy("level").all() {
            counts[try row.decode(column: "level", as: Int.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// P-codes already stored, to resolve parents of a lower level imported later.
    public func pcodes(operationID: OperationID) async throws -> Set<String> {
        Set(
            try await database.sql.select().column("pcode").from("admin_areas").where(
                "operation_id", .equal, operationID
            )
            .all().map { try $0.decode(column: "pcode", as: String.self) })
    }

    /// Every area with its geometry (for maps and point-in-polygon).
    public func shapes(operationID: OperationID) async throws -> [AdminAreaShape] {
        try await database.sql.select().column("*").from("admin_areas").where("operation_id", .equal, operationID)
            .orderBy("level").orderBy("pcode").all().map { row in
                AdminAreaShape(
                    row: try row.decodeRow(AdminAreaRecord.self),
                    geometry: try GeometryText.decode(try row.decode(column: "geometry", as: String.self)))
            }
    }

    static func encodeNames(_ names: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(names)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
