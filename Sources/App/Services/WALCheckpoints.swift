import Fluent
import SQLKit
import Vapor

/// SQLite only: resets the write-ahead log every minute while the server runs. SQLite's own
/// checkpoints, after each 1,000 pages written, never wait for readers; under a steady stream of
/// requests some reader always holds the log, so it is copied to the database but never started
/// again from the beginning, and the file grows with every import (the soak drill showed it:
/// 4 MB, then 7, then 10). A TRUNCATE checkpoint waits for the readers of the moment (within the
/// busy timeout) and empties the file. When it cannot, it tries again a minute later.
struct WALCheckpoints: LifecycleHandler {
    static let interval: Duration = .seconds(60)

    func didBootAsync(_ app: Application) async throws {
        guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        app.walCheckpointTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.interval)
                guard !Task.isCancelled else { break }
                do {
                    try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
                } catch {
                    app.logger.warning("WAL checkpoint: \(String(reflecting: error))")
                }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        app.walCheckpointTask?.cancel()
        await app.walCheckpointTask?.value
    }
}

extension Application {
    private struct WALCheckpointTaskKey: StorageKey { typealias Value = Task<Void, Never> }

    fileprivate var walCheckpointTask: Task<Void, Never>? {
        get { storage[WALCheckpointTaskKey.self] }
        set { storage[WALCheckpointTaskKey.self] = newValue }
    }
}
