import CSQLiteBulk
import Domain
import FluentKit
import Foundation
import NIOCore
import NIOPosix
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

/// Random (version 4) UUIDs for rows written in bulk. Foundation's `UUID()` opens and reads
/// /dev/urandom on each call on Linux: 5 % of an import's time (perf, 2026-12-06; BENCHMARKS.md, issue 22 point 1).
struct RandomUUIDs {
    private var generator = SystemRandomNumberGenerator()

    mutating func next() -> UUID {
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = raw[6] & 0x0F | 0x40  // version 4
            raw[8] = raw[8] & 0x3F | 0x80  // RFC 4122 variant
            return UUID(
                uuid: (
                    raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7], raw[8], raw[9], raw[10], raw[11],
                    raw[12], raw[13], raw[14], raw[15]
                ))
        }
    }
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
        case .uuid(let value): Self.writeUUID(value, to: &buffer)
        case .bool(let value): buffer.writeStaticString(value ? "t" : "f")
        case .date(let value):
            // A date beyond what 64-bit microseconds hold (no reader lets one through) is PostgreSQL's
            // infinity, not a trap.
            let micros = (value.timeIntervalSince(Date(timeIntervalSince1970: 946_684_800)) * 1_000_000)
                .rounded(.towardZero)
            guard let since2000 = Int64(exactly: micros),
                case (let sinceEpoch, false) = since2000.addingReportingOverflow(946_684_800_000_000)
            else {
                buffer.writeString(micros.isNaN || micros < 0 ? "-infinity" : "infinity")
                return
            }
            let microsPerDay: Int64 = 86_400_000_000
            let days = sinceEpoch >= 0 ? sinceEpoch / microsPerDay : (sinceEpoch - microsPerDay + 1) / microsPerDay
            let ofDay = sinceEpoch - days * microsPerDay
            let (year, month, day) = CivilDay.civil(daysSinceEpoch: Int(days))
            let seconds = Int(ofDay / 1_000_000)
            // Digits written in place: five dates a row, a million rows.
            Self.writeDigits(year > 0 ? year : 1 - year, 4, to: &buffer)
            buffer.writeInteger(UInt8(ascii: "-"))
            Self.writeDigits(month, 2, to: &buffer)
            buffer.writeInteger(UInt8(ascii: "-"))
            Self.writeDigits(day, 2, to: &buffer)
            buffer.writeInteger(UInt8(ascii: " "))
            Self.writeDigits(seconds / 3600, 2, to: &buffer)
            buffer.writeInteger(UInt8(ascii: ":"))
            Self.writeDigits(seconds / 60 % 60, 2, to: &buffer)
            buffer.writeInteger(UInt8(ascii: ":"))
            Self.writeDigits(seconds % 60, 2, to: &buffer)
            buffer.writeInteger(UInt8(ascii: "."))
            Self.writeDigits(Int(ofDay % 1_000_000), 6, to: &buffer)
            buffer.writeStaticString(year > 0 ? "+00" : "+00 BC")
        }
    }
}

extension BulkValue {
    /// `value` (not negative) in decimal with at least `width` digits, zero-padded.
    static func writeDigits(_ value: Int, _ width: Int, to buffer: inout ByteBuffer) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor * 10 <= value { divisor *= 10 }
        while divisor > 0 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// As `uuidString` spells it (upper case), without building the string.
    static func writeUUID(_ value: UUID, to buffer: inout ByteBuffer) {
        let hex: StaticString = "0123456789ABCDEF"
        withUnsafeBytes(of: value.uuid) { bytes in
            hex.withUTF8Buffer { digits in
                for (i, byte) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 { buffer.writeInteger(UInt8(ascii: "-")) }
                    buffer.writeInteger(digits[Int(byte >> 4)])
                    buffer.writeInteger(digits[Int(byte & 0x0F)])
                }
            }
        }
    }
}

/// Inserts rows into one SQLite table, in the caller's transaction, while the caller builds the
/// next rows: one batch is stored on the thread pool at a time, so the transaction's statements
/// stay in order and the two cores share the work.
///
/// The rows go through one statement, prepared once and stepped once a row, as SQLite's own
/// floor does (`Scripts/bench-import-floor.py`). SQLiteNIO offers no such reuse: it prepares every
/// query anew, and a statement of many rows prepared each time stores about half as many rows a
/// second (SQLite 3.40: 19,319 against 35,328 rows/s for this table, BENCHMARKS.md). So the
/// statement is prepared on the connection's own handle, reached by reflection, with the C
/// functions of SQLiteNIO's embedded SQLite (CSQLiteBulk). Should an SQLiteNIO release hide the
/// handle, the rows go as statements of many rows through SQLiteNIO instead: slower, still right
/// (`ContextEventBulkTests` fails, so we notice).
struct SQLiteBulkInsert {
    private let database: any SQLiteDatabase
    private let columnCount: Int
    private let statement: PreparedStatement?
    private let rowsPerBatch: Int
    private let head: String
    private let suffix: String
    private var values: [BulkValue] = []
    private var inFlight: Task<Void, any Error>?

    /// Whether rows go through one prepared statement (the fast path).
    var reusesOneStatement: Bool { statement != nil }

    init(database: any SQLiteDatabase, table: String, columns: [String], suffix: String) async throws {
        self.database = database
        self.columnCount = columns.count
        self.head = "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES "
        self.suffix = suffix
        let connection = try await database.withConnection { $0 }
        if let handle = SQLiteStatement.handle(of: connection) {
            statement = try PreparedStatement(
                handle: handle, sql: head + Self.tuples(columns: columns.count, rows: 1) + " " + suffix)
            rowsPerBatch = 500
        } else {
            statement = nil
            // SQLite's limit is 32,766 bound values a statement.
            rowsPerBatch = 32_000 / columns.count
        }
        values.reserveCapacity(rowsPerBatch * columns.count)
    }

    private static func tuples(columns: Int, rows: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ",") + ")"
        return Array(repeating: tuple, count: rows).joined(separator: ",")
    }

    /// Appends one row's values (in column order), storing a batch once there are enough.
    mutating func append(_ row: some Sequence<BulkValue>) async throws {
        values.append(contentsOf: row)
        if values.count >= rowsPerBatch * columnCount { try await flush() }
    }

    private mutating func flush() async throws {
        guard !values.isEmpty else { return }
        let batch = values
        values.removeAll(keepingCapacity: true)
        try await inFlight?.value
        if let statement {
            let columnCount = self.columnCount
            inFlight = Task {
                try await NIOThreadPool.singleton.runIfActive { try statement.insert(batch, columns: columnCount) }
            }
        } else {
            let text = head + Self.tuples(columns: columnCount, rows: batch.count / columnCount) + " " + suffix
            let database = self.database
            let binds = batch.map(\.sqlite)
            inFlight = Task { try await database.query(text, binds) { _ in } }
        }
    }

    /// Stores what is left and waits for it.
    mutating func finish() async throws {
        try await flush()
        try await inFlight?.value
        inFlight = nil
        statement?.finalize()
    }

    /// After a failure: waits for the batch in flight, so nothing writes while the transaction
    /// rolls back.
    func abandon() async {
        _ = try? await inFlight?.value
        statement?.finalize()
    }
}

/// One prepared INSERT of one row on an SQLite connection, stepped once a row. Used by one batch
/// at a time (`SQLiteBulkInsert` keeps one in flight); SQLiteNIO opens its connections in
/// serialized mode, so which thread steps it does not matter.
/// A statement prepared on a connection's own handle, finalized once (at the latest when released).
class SQLiteStatement: @unchecked Sendable {
    fileprivate var raw: OpaquePointer?
    fileprivate let handle: OpaquePointer

    init(handle: OpaquePointer, sql: String, persistent: Bool) throws {
        self.handle = handle
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(
            handle, sql, -1, persistent ? UInt32(BULK_SQLITE_PREPARE_PERSISTENT) : 0, &statement, nil)
        guard status == BULK_SQLITE_OK, let statement else { throw SQLiteBulkError(handle, status) }
        raw = statement
    }

    func finalize() {
        if let raw { _ = sqlite_nio_sqlite3_finalize(raw) }
        raw = nil
    }

    deinit { finalize() }

    /// The connection's handle behind SQLiteNIO's `connection`, or nil if a release hides it.
    static func handle(of connection: SQLiteConnection) -> OpaquePointer? {
        Mirror(reflecting: connection).descendant("handle", "raw") as? OpaquePointer
    }
}

final class PreparedStatement: SQLiteStatement, @unchecked Sendable {
    init(handle: OpaquePointer, sql: String) throws {
        try super.init(handle: handle, sql: sql, persistent: true)
    }

    func insert(_ values: [BulkValue], columns: Int) throws {
        guard let raw else { throw SQLiteBulkError(message: "the statement was finalized", code: 21) }
        var column: Int32 = 0
        for value in values {
            column += 1
            let status: Int32
            switch value {
            case .null: status = sqlite_nio_sqlite3_bind_null(raw, column)
            case .integer(let value): status = sqlite_nio_sqlite3_bind_int64(raw, column, Int64(value))
            case .real(let value): status = sqlite_nio_sqlite3_bind_double(raw, column, value)
            case .bool(let value): status = sqlite_nio_sqlite3_bind_int64(raw, column, value ? 1 : 0)
            case .date(let value): status = sqlite_nio_sqlite3_bind_double(raw, column, value.timeIntervalSince1970)
            case .uuid(let value): status = Self.bind(value.uuidString, raw, column)
            case .text(let value): status = Self.bind(value, raw, column)
            }
            guard status == BULK_SQLITE_OK else { throw SQLiteBulkError(handle, status) }
            if column == Int32(columns) {
                let stepped = sqlite_nio_sqlite3_step(raw)
                let reset = sqlite_nio_sqlite3_reset(raw)
                guard stepped == BULK_SQLITE_DONE else { throw SQLiteBulkError(handle, stepped) }
                guard reset == BULK_SQLITE_OK else { throw SQLiteBulkError(handle, reset) }
                column = 0
            }
        }
    }

    static func bind(_ text: String, _ statement: OpaquePointer, _ column: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                // An empty buffer may have no address, and a null pointer would bind NULL, not "".
                guard let start = chars.baseAddress else {
                    return "".withCString { bulk_bind_text(statement, column, $0, 0) }
                }
                return bulk_bind_text(statement, column, start, Int32(chars.count))
            }
        }
    }

}

/// SQLite refused a bulk-inserted row (a constraint, a full disk): its message and result code.
struct SQLiteBulkError: Error, CustomStringConvertible {
    let message: String
    let code: Int32
    var description: String { "SQLite error \(code): \(message)" }

    init(message: String, code: Int32) {
        self.message = message
        self.code = code
    }

    /// The connection's last error message, for `status`.
    init(_ handle: OpaquePointer, _ status: Int32) {
        self.init(message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown", code: status)
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

/// One SELECT on an SQLite connection's own handle (as `SQLiteBulkInsert` reaches it), stepped
/// below SQLiteNIO, for exports of a million rows: SQLiteNIO hands every row to the event loop as
/// its own future and decodes each value into an enum and then by column name; stepping here and
/// reading columns by position took the CSV export of a million events from 2.30 to 0.99 times
/// the sqlite3 shell's time (BENCHMARKS.md). One statement for the whole export also reads one
/// consistent snapshot, where pages of a keyset could each see a different one.
final class SQLiteCursor: SQLiteStatement, @unchecked Sendable {
    private var done = false

    /// The cursor for `sql` with `binds` on `connection`, or nil when SQLiteNIO hides its handle.
    static func open(connection: SQLiteConnection, sql: String, binds: [SQLiteData]) throws -> SQLiteCursor? {
        guard let handle = handle(of: connection) else { return nil }
        let cursor = try SQLiteCursor(handle: handle, sql: sql, persistent: false)
        guard let statement = cursor.raw else { return nil }
        for (i, bind) in binds.enumerated() {
            let column = Int32(i + 1)
            let status: Int32
            switch bind {
            case .null: status = sqlite_nio_sqlite3_bind_null(statement, column)
            case .integer(let value): status = sqlite_nio_sqlite3_bind_int64(statement, column, Int64(value))
            case .float(let value): status = sqlite_nio_sqlite3_bind_double(statement, column, value)
            case .text(let value): status = PreparedStatement.bind(value, statement, column)
            case .blob: throw SQLiteBulkError(message: "a cursor binds no blobs", code: 25)
            }
            guard status == BULK_SQLITE_OK else { throw SQLiteBulkError(handle, status) }
        }
        return cursor
    }

    /// The columns of the current row, by position.
    struct Row {
        fileprivate let statement: OpaquePointer

        func isNull(_ column: Int) -> Bool {
            sqlite_nio_sqlite3_column_type(statement, Int32(column)) == BULK_SQLITE_NULL
        }
        func text(_ column: Int) -> String? {
            guard !isNull(column), let bytes = sqlite_nio_sqlite3_column_text(statement, Int32(column)) else {
                return nil
            }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, Int32(column)))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
        func double(_ column: Int) -> Double? {
            isNull(column) ? nil : sqlite_nio_sqlite3_column_double(statement, Int32(column))
        }
        func int(_ column: Int) -> Int? {
            isNull(column) ? nil : Int(sqlite_nio_sqlite3_column_int64(statement, Int32(column)))
        }
    }

    /// Up to `limit` more rows, each made by `make`; fewer (or none) at the end.
    func next<T>(_ limit: Int, _ make: (Row) throws -> T) throws -> [T] {
        guard !done, let raw else { return [] }
        var rows: [T] = []
        rows.reserveCapacity(limit)
        while rows.count < limit {
            let status = sqlite_nio_sqlite3_step(raw)
            if status == BULK_SQLITE_DONE {
                done = true
                break
            }
            guard status == BULK_SQLITE_ROW else { throw SQLiteBulkError(handle, status) }
            rows.append(try make(Row(statement: raw)))
        }
        return rows
    }

}
