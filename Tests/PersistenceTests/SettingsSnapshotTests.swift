import Domain
import FluentKit
import Foundation
import Persistence
import StoreTestSupport
import Testing

/// Reads a dashboard view makes once instead of once per tile: every settings group from one
/// query, and the newest check of every alert channel in one statement.
@Suite("Settings read once and channel checks in one statement")
struct SettingsSnapshotTests {
    @Test(
        "every group made from one read equals the group read alone, and other operations' settings stay out",
        arguments: TestDatabases.kinds)
    func settingsFromOneRead(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let fixture = try await StoreFixture.make(db)
            let heops = fixture.users[.headOfOperations]!.id
            let store = SettingsStore(db)
            let id = fixture.operation.id
            try await store.save(
                DutyOfCareSettings.self, .staleAfterHours, json: "12", operationID: id, actorID: heops, now: Date())
            try await store.save(
                MovementSettings.self, .graceMinutes, json: "45", operationID: id, actorID: heops, now: Date())
            let other = try await OperationStore(db).create(
                try OperationDraft(code: "OTHER", name: "Other", countries: ["TCD"]).validated(), actorID: nil,
                now: Date())
            try await store.save(
                DutyOfCareSettings.self, .staleAfterHours, json: "72", operationID: other.id, actorID: heops,
                now: Date())

            let stored = try await store.stored(operationID: id)
            #expect(stored.group(DutyOfCareSettings.self).staleAfterHours == 12)
            #expect(stored.group(MovementSettings.self).graceMinutes == 45)
            #expect(
                stored.group(DutyOfCareSettings.self)
                    == (try await store.load(DutyOfCareSettings.self, operationID: id)))
            #expect(
                stored.group(MovementSettings.self) == (try await store.load(MovementSettings.self, operationID: id)))
            // A group never saved is its defaults.
            #expect(stored.group(PlanSettings.self) == PlanSettings.defaults)
            #expect(try await store.stored(operationID: other.id).group(DutyOfCareSettings.self).staleAfterHours == 72)
            #expect(try await store.stored(operationID: other.id).group(MovementSettings.self) == .defaults)
        }
    }

    @Test("the newest check of each channel, one statement for all", arguments: TestDatabases.kinds)
    func newestChecks(kind: TestDatabases.Kind) async throws {
        try await withTestDatabase(kind) { db in
            let store = AlertStore(db)
            #expect(try await store.latestChecks().isEmpty)
            let now = Date()
            try await store.recordCheck(.email, ok: false, detail: "old email", now: now.addingTimeInterval(-7_200))
            try await store.recordCheck(.email, ok: true, detail: "new email", now: now.addingTimeInterval(-60))
            try await store.recordCheck(.email, ok: false, detail: "middle email", now: now.addingTimeInterval(-3_600))
            #expect(try await store.latestChecks().map(\.detail) == ["new email"])
            try await store.recordCheck(.sms, ok: false, detail: "new sms", now: now)
            try await store.recordCheck(.sms, ok: true, detail: "old sms", now: now.addingTimeInterval(-600))
            let checks = try await store.latestChecks()
            #expect(checks.map(\.channel) == [.email, .sms])
            #expect(checks.map(\.detail) == ["new email", "new sms"])
            #expect(checks.map(\.ok) == [true, false])
        }
    }
}
