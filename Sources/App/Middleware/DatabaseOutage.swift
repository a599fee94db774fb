import FluentPostgresDriver
import FluentSQLiteDriver
import Persistence
import Vapor

/// Errors that say the database cannot be reached or is busy just now, not that the request was
/// wrong: PostgreSQL stopped, restarting or unreachable, no pooled connection in time, SQLite's
/// file locked past the busy timeout. They are answered 503 with Retry-After (ErrorPageMiddleware),
/// so clients, proxies and the offline queue try again, and Bearing recovers by itself when the
/// database is back: the pools open new connections on their next use.
enum DatabaseOutage {
    static let retryAfterSeconds = 10

    static func matches(_ error: any Error) -> Bool {
        switch error {
        case is PSQLError, is PostgresConnectionClosed:
            return PostgresConnectionLost.matches(error)
        // PostgresNIO wraps its connection failures in PSQLError; a bare NIO error comes from elsewhere
        // (an SMTP server, a gateway) and is not the database's.
        case is ConnectionPoolTimeoutError:
            return true
        case let error as SQLiteError:
            return error.reason == .busy || error.reason == .locked
        default:
            return false
        }
    }
}
