import FluentKit
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import StoreTestSupport
import Testing

@testable import Persistence

/// When PostgreSQL ends a session in the middle of a transaction (a fast shutdown, a restart, an
/// administrator), the writing request must fail at once and give its connection back, never wait
/// for an answer PostgresNIO will not give (a query written to a connection it has closed). The
/// restart drill (`Scripts/drill-pg-restart.py`) caught requests left hanging this way.
@Suite(
    "PostgreSQL ending a transaction's session",
    .enabled(if: TestDatabases.postgresURL != nil, "needs PostgreSQL (BEARING_TEST_POSTGRES_URL)"))
struct PostgresConnectionLossTests {
    /// The outcome of `work`, or nil if it has not ended within `seconds` (it is then left behind).
    func outcome(within seconds: Double, _ work: @escaping @Sendable () async throws -> Void) async -> (any Error)?? {
        let result = NIOLockedValueBox<(any Error)??>(nil)
        Task {
            do {
                try await work()
                result.withLockedValue { $0 = .some(nil) }
            } catch {
                result.withLockedValue { $0 = .some(error) }
            }
        }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let ended = result.withLockedValue({ $0 }) { return ended }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Ends this transaction's own session from inside it, as a fast shutdown does, and waits until
    /// PostgresNIO has seen the connection close.
    static func endOwnSession(_ tx: any Database) async throws -> any Error {
        do {
            try await tx.sql.raw("SELECT pg_terminate_backend(pg_backend_pid())").run()
        } catch {
            try await Task.sleep(for: .milliseconds(300))
            return error
        }
        Issue.record("PostgreSQL did not end the session")
        return CancellationError()
    }

    @Test("a statement after the session ended fails at once, and the pool serves the next request")
    func statementAfterLoss() async throws {
        try await withTestDatabase(.postgres) { db in
            let ended = await outcome(within: 10) {
                try await db.writing { tx in
                    _ = try await Self.endOwnSession(tx)
                    try await tx.sql.raw("SELECT 1").run()  // written to a closed connection
                }
            }
            let error = try #require(ended, "the transaction was still waiting after 10 s")
            #expect(error is PostgresConnectionClosed)
            let answer = try await db.sql.raw("SELECT 1 AS n").first()?.decode(column: "n", as: Int.self)
            #expect(answer == 1)
        }
    }

    @Test("the error that ended the session ends the transaction without a ROLLBACK left unanswered")
    func rollbackAfterLoss() async throws {
        try await withTestDatabase(.postgres) { db in
            let ended = await outcome(within: 10) {
                try await db.writing { tx in
                    throw try await Self.endOwnSession(tx)  // Fluent's transaction would now send ROLLBACK
                }
            }
            let error = try #require(ended, "the transaction was still waiting after 10 s")
            #expect(error.map { "\(String(reflecting: $0))" }?.contains("57P01") == true)
            let answer = try await db.sql.raw("SELECT 1 AS n").first()?.decode(column: "n", as: Int.self)
            #expect(answer == 1)
        }
    }
}
