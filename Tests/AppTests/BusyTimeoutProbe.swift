import SQLKit
import TestSupport
import Testing
import Vapor

@testable import App

@Suite("SQLite waits for its writer")
struct BusyTimeoutProbe {
    @Test("every connection of the pool waits up to 5 s for the write lock")
    func busyTimeout() async throws {
        try await withTestApp { app in
            for loop in app.eventLoopGroup.makeIterator() {
                let db = app.databases.database(logger: app.logger, on: loop) as! any SQLDatabase
                let value = try await db.raw("PRAGMA busy_timeout").first()?.decode(column: "timeout", as: Int.self)
                #expect(value == 5000)
            }
        }
    }
}
