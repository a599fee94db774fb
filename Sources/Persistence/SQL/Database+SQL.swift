import Domain
import FluentKit
import Foundation
import Logging
import NIOCore
import PostgresNIO
import SQLKit

extension Database {
    /// The SQLKit view of a Fluent database. Both drivers we ship (SQLite, PostgreSQL) are SQL.
    var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            preconditionFailure("Bearing needs an SQL database; \(type(of: self)) is not one")
        }
        if inTransaction, let postgres = self as? any PostgresDatabase {
            return PostgresOpenConnection(base: sql, postgres: postgres)
        }
        return sql
    }
}

/// PostgreSQL dropped the connection a transaction holds: the server ended the session (and so
/// rolled back its transaction). Answered as the database being unavailable.
public struct PostgresConnectionClosed: Error, CustomStringConvertible {
    public var description: String { "PostgreSQL closed the connection of this transaction" }
}

/// SQLKit on the one PostgreSQL connection a transaction holds, refusing a statement once that
/// connection has closed. PostgresNIO 1.33 writes a query to its channel without a promise, so a
/// query written after the server closed the connection (stopped, restarting: it ends idle sessions
/// too) is never answered: the request would hang and its pool slot be lost for good (the restart
/// drill caught it, `Scripts/drill-pg-restart.py`). Checked before each statement; closing just
/// between the check and the write is left to chance, a window of microseconds.
struct PostgresOpenConnection: SQLDatabase {
    let base: any SQLDatabase
    let postgres: any PostgresDatabase

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        if try await postgres.withConnection({ $0.eventLoop.makeSucceededFuture($0.isClosed) }).get() {
            throw PostgresConnectionClosed()
        }
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession(closure)
    }
}

extension SQLDatabase {
    var isPostgres: Bool { dialect.name == "postgresql" }
}

extension SQLRow {
    func decodeRow<T: Decodable>(_ type: T.Type) throws -> T {
        try decode(model: type)  // rows name their columns in CodingKeys: no key conversion per field
    }

    /// A column that may be NULL. Decoding `T?` directly sends every value through the drivers'
    /// generic `Decoder` (an allocation and dynamic casts a value); asking for NULL first lets a
    /// plain `String`, `Double` or `Int` take their direct conversion. Hot paths use it.
    func decodeOptional<T: Decodable>(column: String, as type: T.Type) throws -> T? {
        try decodeNil(column: column) ? nil : decode(column: column, as: type)
    }
}

extension SQLDatabase {
    /// One page of rows with the total across all pages, in one round trip: every row carries the
    /// filtered total as a window count (`COUNT(*) OVER ()`, SQLite ≥ 3.25 and PostgreSQL). Past the
    /// last page no row comes back to carry it, so only then is it counted on its own.
    /// `filter` adds the WHERE clauses; it is applied to both queries, so they count the same rows.
    func page<Item>(
        _ paging: Paging, columns: [String] = ["*"], from table: String,
        filter: (SQLSelectBuilder) -> SQLSelectBuilder, order: (SQLSelectBuilder) -> SQLSelectBuilder,
        decode: (any SQLRow) throws -> Item, countSeparately: Bool = false
    ) async throws -> ResultPage<Item> {
        // A window count makes the database read every matching row before it can stop at the
        // page; on a large table (100k incidents: 706 ms against 1.5 ms + 65 ms) two queries win.
        if countSeparately {
            let total =
                try await filter(select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table))
                .first()?.decode(column: "n", as: Int.self) ?? 0
            let rows = try await order(filter(select().columns(columns).from(table))).limit(paging.perPage).offset(
                paging.offset
            ).all()
            return ResultPage(items: try rows.map(decode), page: paging.page, perPage: paging.perPage, total: total)
        }
        let query = filter(
            select().columns(columns).column(SQLRaw("COUNT(*) OVER ()"), as: "bearing_total_rows").from(table))
        let rows = try await order(query).limit(paging.perPage).offset(paging.offset).all()
        let total: Int
        if let first = rows.first {
            total = try first.decode(column: "bearing_total_rows", as: Int.self)
        } else if paging.offset == 0 {
            total = 0
        } else {
            total =
                try await filter(select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table))
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return ResultPage(items: try rows.map(decode), page: paging.page, perPage: paging.perPage, total: total)
    }
}

extension SQLDatabase {
    /// Inside a creating transaction: the next number of an operation's records in `table`
    /// (incidents, movements, roll-calls). On PostgreSQL it first takes the audit chain's lock, so
    /// two app servers never hand out the same number (the unique index would refuse the second).
    func nextNumber(in table: String, operationID: OperationID) async throws -> Int {
        if isPostgres { try await raw("SELECT pg_advisory_xact_lock(7243017)").run() }
        let last =
            try await select().column(SQLFunction("MAX", args: SQLIdentifier("number")), as: "n").from(table)
            .where("operation_id", .equal, operationID).first()?.decode(column: "n", as: Int?.self) ?? 0
        return last + 1
    }

    /// Inside a saving transaction: refuses the save when the row changed since `version` was read
    /// (`EditVersion`); on PostgreSQL the row stays locked until the save commits, so two saves of
    /// one version cannot both pass. nil: the caller edits without a version (imports, the system).
    /// Versions are milliseconds, so a save in the same millisecond as the last one would leave the
    /// version unchanged, and whoever still held it could then overwrite this save unseen: such a
    /// save is refused too (it goes through when sent again).
    func requireVersion(
        _ version: String?, of table: String, id: some Encodable & Sendable, what: String, now: Date
    ) async throws {
        guard let version else { return }
        var query = select().column("updated_at").from(table).where("id", .equal, id)
        if isPostgres { query = query.for(.update) }
        guard let stored = try await query.first()?.decode(column: "updated_at", as: Date.self) else { return }
        guard EditVersion.token(stored) == version, EditVersion.token(now) != version else {
            throw EditVersion.stale(what)
        }
    }
}

extension Database {
    /// A transaction that holds SQLite's one write lock from its first statement. A deferred
    /// transaction that reads first and writes later fails at once with "database is locked" (a
    /// stale snapshot) when another connection committed in between, whatever the busy timeout; the
    /// job worker writes beside the requests, so every write transaction takes the lock at its start
    /// with a write that changes nothing. PostgreSQL needs no lock, but its own ending (below).
    public func writing<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard sql.isPostgres, !inTransaction else {
            return try await transaction { db in
                if !db.sql.isPostgres {
                    try await db.sql.raw("UPDATE instance_secrets SET name = name WHERE 1 = 0").run()
                }
                return try await body(db)
            }
        }
        return try await withConnection { db in
            db.eventLoop.makeFutureWithTask { try await Self.postgresTransaction(on: db, body) }
        }.get()
    }

    /// BEGIN … COMMIT on one pooled connection, as Fluent's own transaction does, except after
    /// PostgreSQL dropped the connection (stopped, restarting, the session ended): then no ROLLBACK
    /// is sent, because the server has already rolled back the ended session's transaction, and
    /// PostgresNIO 1.33 never answers a query written to a connection it has closed (the write
    /// fails unseen), so the request would hang and its pool slot be lost for good. The restart
    /// drill caught it (`Scripts/drill-pg-restart.py`).
    private static func postgresTransaction<T: Sendable>(
        on db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await db.sql.raw("BEGIN").run()
        do {
            let result = try await body(db)
            try await db.sql.raw("COMMIT").run()
            return result
        } catch {
            // A ROLLBACK written to a connection the server ended would never be answered; once it
            // has closed, `PostgresOpenConnection` refuses the ROLLBACK, and that is fine too.
            if !PostgresConnectionLost.matches(error) {
                do { try await db.sql.raw("ROLLBACK").run() } catch is PostgresConnectionClosed {}
            }
            throw error
        }
    }
}

/// Errors that say PostgreSQL's connection is gone: it closed (`PostgresConnectionClosed` included),
/// could not be opened, or the server says it is shutting down, starting up or lost the session
/// (SQLSTATE classes 08 and 57P).
public enum PostgresConnectionLost {
    public static func matches(_ error: any Error) -> Bool {
        if error is PostgresConnectionClosed { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57P")
        default:
            return false
        }
    }
}

/// A column of a table joined under an alias, written `alias.column` or `alias.*`.
func aliased(_ dotted: String) -> SQLColumn {
    let parts = dotted.split(separator: ".", maxSplits: 1).map(String.init)
    let name: any SQLExpression = parts.count > 1 && parts[1] == "*" ? SQLLiteral.all : SQLIdentifier(parts.last ?? "")
    return SQLColumn(name, table: parts.count > 1 ? SQLIdentifier(parts[0]) : nil)
}
