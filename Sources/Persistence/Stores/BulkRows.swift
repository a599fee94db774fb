import Domain
import FluentKit
import Foundation
import NIOCore
import PostgresNIO
import SQLiteNIO

// Bulk writing below SQLKit, for imports of a million rows. SQLKit binds every value as an
// `Encodable` that SQLiteKit or PostgresKit then converts with dynamic casts, and serialises a
// 24,000-bind statement anew each batch: measured, that was half of the import's time beside
// SQLite's own (BENCHMARKS.md, "Import at the engine's floor"). Here a row is a list of plain
// values, bound straight to SQLiteNIO or streamed to PostgreSQL with COPY, each in exactly the
// representation SQLKit gives the same Swift type, so every other query reads them unchanged.

/// A database driver other than SQLite's and PostgreSQL's: no bulk path for it.
struct BulkWriteUnsupported: Error, CustomStringConvertible {
    let database: any Database
    var description: String { "bulk writing needs SQLite or PostgreSQL, not \(type(of: database))" }
}

/// A value of a row written in bulk.
enum BulkValue: Sendable {
    case null
    case integer(Int)
    case real(Double)
    case text(String)
    case uuid(UUID)
    case date(Date)
    case bool(Bool)

    init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    init(_ value: Int?) { self = value.map { .integer($0) } ?? .null }
    init(_ value: Double?) { self = value.map { .real($0) } ?? .null }

    /// As SQLiteKit's encoder binds it: a UUID as its (uppercase) text, a date as seconds since
    /// 1970, a Bool as 0 or 1.
    var sqlite: SQLiteData {
        switch self {
        case .null: .null
        case .integer(let value): .integer(value)
        case .real(let value): .float(value)
        case .text(let value): .text(value)
        case .uuid(let value): .text(value.uuidString)
        case .date(let value): .float(value.timeIntervalSince1970)
        case .bool(let value): .integer(value ? 1 : 0)
        }
    }

    /// Appends the value in COPY's text format: `\N` for NULL; backslash, tab, newline and
    /// carriage return escaped; a date in UTC to the microsecond, truncated as PostgresNIO's
    /// binary encoding truncates it.
    func writeCopyText(to buffer: inout ByteBuffer) {
        switch self {
        case .null: buffer.writeStaticString("\\N")
        case .integer(let value): buffer.writeString(String(value))
        case .real(let value):
            buffer.writeString(
                value.isFinite ? String(value) : value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity")
        case .text(let value):
            if !value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == 9 || $0 == 10 || $0 == 13 }) {
                buffer.writeString(value)
                return
            }
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case 9: buffer.writeStaticString("\\t")
                case 10: buffer.writeStaticString("\\n")
                case 13: buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        case .uuid(let value): buffer.writeString(value.uuidString)
        case .bool(let value): buffer.writeStaticString(value ? "t" : "f")
        case .date(let value):
            let sinceEpoch =
                Int64(value.timeIntervalSince(Date(timeIntervalSince1970: 946_684_800)) * 1_000_000)
                + 946_684_800_000_000
            let microsPerDay: Int64 = 86_400_000_000
            let days = sinceEpoch >= 0 ? sinceEpoch / microsPerDay : (sinceEpoch - microsPerDay + 1) / microsPerDay
            let ofDay = sinceEpoch - days * microsPerDay
            let (year, month, day) = CivilDay.civil(daysSinceEpoch: Int(days))
            let seconds = Int(ofDay / 1_000_000)
            buffer.writeString(
                CivilDay.padded(year > 0 ? year : 1 - year, 4) + "-" + CivilDay.padded(month, 2) + "-"
                    + CivilDay.padded(day, 2) + " " + CivilDay.padded(seconds / 3600, 2) + ":"
                    + CivilDay.padded(seconds / 60 % 60, 2) + ":" + CivilDay.padded(seconds % 60, 2) + "."
                    + CivilDay.padded(Int(ofDay % 1_000_000), 6) + "+00" + (year > 0 ? "" : " BC"))
        }
    }
}

/// Inserts rows into one SQLite table in statements of up to `rowsPerStatement` rows, with
/// `suffix` (an upsert clause) after the values. One statement is stored while the caller builds
/// the next, so the two cores share the work; never more than one is in flight, so the
/// transaction's statements stay in order. SQLiteNIO prepares each statement anew (it offers no
/// reuse of a prepared statement); at 400 rows a statement that is about 1 % of the time.
struct SQLiteBulkInsert {
    let database: any SQLiteDatabase
    let columnCount: Int
    let rowsPerStatement: Int
    private let head: String
    private let suffix: String
    private let fullStatement: String
    private var values: [BulkValue] = []
    private var inFlight: Task<Void, any Error>?

    init(database: any SQLiteDatabase, table: String, columns: [String], suffix: String) {
        self.database = database
        self.columnCount = columns.count
        // SQLite's limit is 32,766 bound values a statement.
        self.rowsPerStatement = 32_000 / columns.count
        self.head = "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES "
        self.suffix = suffix
        self.fullStatement = Self.statement(head: head, suffix: suffix, columns: columns.count, rows: rowsPerStatement)
        values.reserveCapacity(rowsPerStatement * columns.count)
    }

    private static func statement(head: String, suffix: String, columns: Int, rows: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ",") + ")"
        return head + Array(repeating: tuple, count: rows).joined(separator: ",") + " " + suffix
    }

    /// Appends one row's values (in column order), storing a full statement's worth.
    mutating func append(_ row: some Sequence<BulkValue>) async throws {
        values.append(contentsOf: row)
        if values.count >= rowsPerStatement * columnCount { try await flush() }
    }

    mutating func flush() async throws {
        guard !values.isEmpty else { return }
        let rows = values.count / columnCount
        let text =
            rows == rowsPerStatement
            ? fullStatement : Self.statement(head: head, suffix: suffix, columns: columnCount, rows: rows)
        let binds = values.map(\.sqlite)
        values.removeAll(keepingCapacity: true)
        try await inFlight?.value
        let database = self.database
        inFlight = Task { try await database.query(text, binds) { _ in } }
    }

    /// Stores what is left and waits for it.
    mutating func finish() async throws {
        try await flush()
        try await inFlight?.value
        inFlight = nil
    }

    /// After a failure: waits for the statement in flight, so nothing writes while the
    /// transaction rolls back.
    func abandon() async {
        _ = try? await inFlight?.value
    }
}

/// Streams rows into one PostgreSQL table with `COPY … FROM STDIN` in its text format, 256 KB
/// a message, on the connection that holds the caller's transaction.
struct PostgresBulkCopy {
    let connection: PostgresConnection

    /// The connection behind `database`. Inside a transaction Fluent's database is bound to one
    /// connection for the transaction's whole life, so it may be used directly until it ends.
    init?(_ database: any Database) async throws {
        guard let postgres = database as? any PostgresDatabase, database.inTransaction else { return nil }
        connection = try await postgres.withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
    }

    /// Runs `produce`, which hands over rows (values in `columns` order), and copies them into `table`.
    func copy(
        into table: String, columns: [String], logger: Logger,
        produce: (_ add: ([BulkValue]) async throws -> Void) async throws -> Void
    ) async throws {
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var buffer = ByteBufferAllocator().buffer(capacity: 300_000)
            try await produce { row in
                for (i, value) in row.enumerated() {
                    if i > 0 { buffer.writeInteger(UInt8(9)) }
                    value.writeCopyText(to: &buffer)
                }
                buffer.writeInteger(UInt8(10))
                if buffer.readableBytes >= 256 * 1024 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }
}
