import Domain
import Foundation
import Persistence
import StoreTestSupport
import Testing

@Suite("The durable jobs table: one owner at a time, leases that expire, retries that back off")
struct JobStoreTests {
    @Test(
        "a key is queued once; a claim holds a job for its lease; an expired lease is taken up; only the holder finishes it",
        arguments: TestDatabases.kinds)
    func leases(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let jobs = JobStore(db)
            let now = Date()
            #expect(try await jobs.enqueue(kind: "k", payload: "1", key: "a", operationID: nil, runAt: now, now: now))
            #expect(
                !(try await jobs.enqueue(kind: "k", payload: "2", key: "a", operationID: nil, runAt: now, now: now)))
            try await jobs.enqueue(
                kind: "k", payload: "later", key: "b", operationID: nil, runAt: now.addingTimeInterval(60), now: now)
            let first = try await jobs.claim(worker: "w1", limit: 10, lease: 30, now: now)
            #expect(first.map(\.payload) == ["1"] && first[0].attempts == 1 && first[0].state == .running)
            #expect(try await jobs.claim(worker: "w2", limit: 10, lease: 30, now: now.addingTimeInterval(10)).isEmpty)
            // w1 died: after its lease, w2 takes the job (and the later one, now due).
            let second = try await jobs.claim(worker: "w2", limit: 10, lease: 30, now: now.addingTimeInterval(61))
            #expect(second.map(\.payload) == ["1", "later"] && second[0].attempts == 2)
            // w1's late word is ignored; w2's counts.
            try await jobs.complete(first[0].id, worker: "w1", now: now.addingTimeInterval(62))
            #expect(try await jobs.list(states: [.done]).isEmpty)
            #expect(!(try await jobs.renew([first[0].id], worker: "w1", until: now.addingTimeInterval(100))))
            #expect(try await jobs.renew(second.map(\.id), worker: "w2", until: now.addingTimeInterval(100)))
            try await jobs.complete(second[0].id, worker: "w2", now: now.addingTimeInterval(62))
            #expect(try await jobs.list(states: [.done]).map(\.payload) == ["1"])
            // A failure waits its backoff, then fails for good at the last attempt, with the reason kept.
            try await jobs.fail(
                second[1], worker: "w2", error: "down", backoff: JobBackoff(), now: now.addingTimeInterval(62))
            let waiting = try #require(try await jobs.find(key: "b"))
            #expect(waiting.state == .pending && waiting.lastError == "down")
            #expect(abs(waiting.runAt.timeIntervalSince(now.addingTimeInterval(92))) < 0.01)
            #expect(try await jobs.claim(worker: "w3", limit: 10, lease: 30, now: now.addingTimeInterval(91)).isEmpty)
            var retry = try await jobs.claim(worker: "w3", limit: 10, lease: 30, now: now.addingTimeInterval(93))
            #expect(retry.count == 1 && retry[0].attempts == 2)
            try await jobs.fail(
                retry[0], worker: "w3", error: "refused", permanent: true, backoff: JobBackoff(),
                now: now.addingTimeInterval(94))
            retry = try await jobs.list(states: [.failed])
            #expect(retry.count == 1 && retry[0].lastError == "refused")
            #expect(try await jobs.counts()["k"] == [.done: 1, .failed: 1])
        }
    }

    @Test("two workers claiming at once never hold the same job", arguments: TestDatabases.kinds)
    func concurrentClaims(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let jobs = JobStore(db)
            let now = Date()
            for i in 0..<200 {
                try await jobs.enqueue(
                    kind: "k", payload: String(i), key: "job-\(i)", operationID: nil, runAt: now, now: now)
            }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for w in 0..<4 {
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let batch = try await JobStore(db).claim(worker: "w\(w)", limit: 7, lease: 60, now: now)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.payload)
                        }
                    }
                }
                var all: [String] = []
                for try await part in group { all += part }
                return all
            }
            #expect(claimed.count == 200 && Set(claimed).count == 200)
        }
    }
}
