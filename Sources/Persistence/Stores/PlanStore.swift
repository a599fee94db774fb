import Domain
import FluentKit
import Foundation
import SQLKit

/// One version of a security plan as stored.
public struct PlanVersionRecord: Sendable, Hashable {
    public var id: PlanVersionID
    public var operationID: OperationID
    public var kind: SecurityPlanKind
    public var version: Int
    public var status: PlanStatus
    public var draft: PlanDraft
    public var createdBy: UserID?
    public var createdAt: Date
    public var submittedBy: UserID?
    public var submittedAt: Date?
    public var approvedBy: UserID?
    public var approvedAt: Date?
}

/// A review or yearly approval recorded between versions.
public struct PlanEventRecord: Sendable, Hashable {
    public typealias Event = PlanEvent
    public var id: UUID
    public var kind: SecurityPlanKind
    public var event: Event
    public var occurredOn: Date
    /// For a yearly approval: who approved for the RSC and for the GSU.
    public var approvers: [PhaseRecipient: String]
    public var note: String
    public var recordedBy: UserID?
}

/// A document attached to a plan version.
public struct PlanAttachmentRecord: Sendable, Hashable {
    public var id: PlanAttachmentID
    public var versionID: PlanVersionID
    public var filename: String
    public var contentType: String
    public var size: Int64
    public var sha256: String
    public var uploadedAt: Date
}

/// The six security plans. Who may read and write them is `AccessPolicy.canViewSecurityPlans` and
/// friends, checked by the pages; every change is audited.
public struct PlanStore: Sendable {
    static let kind = "security_plan"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    // MARK: Versions

    /// A new draft version, numbered after the last. Refused while another version of the plan
    /// is a draft or in review: one version is worked on at a time.
    public func createDraft(_ draft: PlanDraft, in operationID: OperationID, actorID: UserID, now: Date) async throws
        -> PlanVersionRecord
    {
        let id = PlanVersionID(UUID())
        return try await database.writing { db in
            let sql = db.sql
            if sql.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(7243017)").run() }
            let open = try await sql.select().column("version").from("plan_versions").where(
                "operation_id", .equal, operationID
            )
            .where("plan_kind", .equal, draft.kind.rawValue).where(
                "status", .in, [PlanStatus.draft.rawValue, PlanStatus.inReview.rawValue]
            ).first()
            if let open {
                throw DomainError(
                    .conflict, key: "error.plan_open_version",
                    "Version \(try open.decode(column: "version", as: Int.self)) of this plan is still being written or reviewed."
                )
            }
            let last =
                try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("version")), as: "n").from(
                    "plan_versions"
                )
                .where("operation_id", .equal, operationID).where("plan_kind", .equal, draft.kind.rawValue).first()?
                .decode(column: "n", as: Int?.self) ?? 0
            let record = PlanVersionRecord(
                id: id, operationID: operationID, kind: draft.kind, version: last + 1, status: .draft, draft: draft,
                createdBy: actorID, createdAt: now)
            try await sql.insert(into: "plan_versions")
                .columns(
                    "id", "operation_id", "plan_kind", "version", "status", "content", "structured", "created_by",
                    "created_at", "updated_at"
                )
                .values(
                    SQLBind(id), SQLBind(operationID), SQLBind(draft.kind.rawValue), SQLBind(record.version),
                    SQLBind(PlanStatus.draft.rawValue),
                    SQLBind(draft.content), SQLBind(try Self.structured(draft)), SQLBind(actorID), SQLBind(now),
                    SQLBind(now)
                ).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create, after: Self.snapshot(record), at: now)
            return record
        }
    }

    /// Replaces a draft's text and structured part.
    /// The version token of a plan version (`EditVersion`), for its edit form.
    public func editVersion(_ id: PlanVersionID) async throws -> String? {
        try await database.sql.select().column("updated_at").from("plan_versions").where("id", .equal, id).first()
            .map { EditVersion.token(try $0.decode(column: "updated_at", as: Date.self)) }
    }

    public func updateDraft(
        _ id: PlanVersionID, with draft: PlanDraft, in operationID: OperationID, actorID: UserID,
        expecting version: String? = nil,
        now: Date
    ) async throws -> PlanVersionRecord {
        guard var record = try await self.version(id, in: operationID) else { throw Self.notFound }
        guard record.status == .draft else {
            throw DomainError(
                .conflict, key: "error.plan_not_draft",
                "Only a draft can be edited; this version is \(record.status.rawValue).")
        }
        let before = record
        record.draft = draft
        let after = record
        try await database.writing { db in
            try await db.sql.requireVersion(version, of: "plan_versions", id: id, what: "plan", now: now)
            try await db.sql.update("plan_versions").set("content", to: draft.content).set(
                "structured", to: try Self.structured(draft)
            )
            .set("updated_at", to: now).where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before), after: Self.snapshot(after), at: now)
        }
        return after
    }

    /// Moves a version one step (`PlanStatus.after` says which steps there are and who may take
    /// them); approving supersedes the version approved before.
    public typealias Step = PlanStep

    public func move(
        _ id: PlanVersionID, _ step: Step, by actorID: UserID, approverAuthorities: Set<PhaseAuthority> = [],
        in operationID: OperationID,
        now: Date
    ) async throws -> PlanVersionRecord {
        guard var record = try await version(id, in: operationID) else { throw Self.notFound }
        let from = record.status
        record.status = try from.after(
            step, by: actorID, author: record.createdBy, approverAuthorities: approverAuthorities)
        switch record.status {
        case .inReview: record.submittedBy = actorID; record.submittedAt = now
        case .approved: record.approvedBy = actorID; record.approvedAt = now
        case .draft, .superseded: break
        }
        let final = record
        try await database.writing { db in
            if final.status == .approved {
                try await db.sql.update("plan_versions").set("status", to: PlanStatus.superseded.rawValue)
                    .where("operation_id", .equal, operationID).where("plan_kind", .equal, final.kind.rawValue)
                    .where("status", .equal, PlanStatus.approved.rawValue).run()
            }
            try await db.sql.update("plan_versions").set("status", to: final.status.rawValue).set(
                "submitted_by", to: final.submittedBy
            )
            .set("submitted_at", to: final.submittedAt).set("approved_by", to: final.approvedBy).set(
                "approved_at", to: final.approvedAt
            )
            .set("updated_at", to: now).where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: ["status": from.rawValue], after: ["status": final.status.rawValue], at: now)
        }
        return final
    }

    public func version(_ id: PlanVersionID, in operationID: OperationID) async throws -> PlanVersionRecord? {
        try await database.sql.select().column("*").from("plan_versions").where("operation_id", .equal, operationID)
            .where("id", .equal, id).first().map(Self.record)
    }

    /// Every version of one plan, newest first.
    public func versions(of kind: SecurityPlanKind, in operationID: OperationID) async throws -> [PlanVersionRecord] {
        try await database.sql.select().column("*").from("plan_versions").where("operation_id", .equal, operationID)
            .where("plan_kind", .equal, kind.rawValue).orderBy("version", .descending).all().map(Self.record)
    }

    /// Per plan: the version in force (approved) and the one being worked on, if any.
    public func current(in operationID: OperationID) async throws -> [SecurityPlanKind: (
        approved: PlanVersionRecord?, open: PlanVersionRecord?
    )] {
        let rows = try await database.sql.select().column("*").from("plan_versions").where(
            "operation_id", .equal, operationID
        )
        .where("status", .in, [PlanStatus.approved.rawValue, PlanStatus.draft.rawValue, PlanStatus.inReview.rawValue])
        .all().map(Self.record)
        var current: [SecurityPlanKind: (approved: PlanVersionRecord?, open: PlanVersionRecord?)] = [:]
        for record in rows {
            var entry = current[record.kind] ?? (nil, nil)
            if record.status == .approved { entry.approved = record } else { entry.open = record }
            current[record.kind] = entry
        }
        return current
    }

    // MARK: Reviews and yearly approvals

    /// Records a review of the plan in force (it still holds), or the yearly approval of the
    /// evacuation or relocation plan by the RSC and the GSU (both named). Not in the future.
    public func record(
        _ event: PlanEventRecord.Event, of kind: SecurityPlanKind, on day: Date, approvers: [PhaseRecipient: String],
        note: String,
        rules: PlanRules, in operationID: OperationID, actorID: UserID, now: Date
    ) async throws -> PlanEventRecord {
        let names = approvers.mapValues { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.value.isEmpty }
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        try event.problems(
            of: kind, on: day, approvers: names, note: text, rules: rules,
            hasApprovedVersion: try await current(in: operationID)[kind]?.approved != nil, now: now
        ).throwIfAny()
        let record = PlanEventRecord(
            id: UUID(), kind: kind, event: event, occurredOn: day, approvers: event == .yearlyApproval ? names : [:],
            note: text, recordedBy: actorID)
        try await database.writing { db in
            try await db.sql.insert(into: "plan_events")
                .columns(
                    "id", "operation_id", "plan_kind", "event", "occurred_on", "approvers", "note", "recorded_by",
                    "recorded_at"
                )
                .values(
                    SQLBind(record.id), SQLBind(operationID), SQLBind(kind.rawValue), SQLBind(event.rawValue),
                    SQLBind(day),
                    SQLBind(
                        record.approvers.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                            "\($0.key.rawValue)=\($0.value)"
                        }.joined(separator: "\n")),
                    SQLBind(text), SQLBind(actorID), SQLBind(now)
                ).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind,
                recordID: "\(kind.rawValue)/\(event.rawValue)",
                action: .create,
                after: [
                    "event": event.rawValue, "on": DateText.day(day), "note": text.isEmpty ? nil : text,
                    "approvers": record.approvers.values.sorted().joined(separator: ", "),
                ], at: now)
        }
        return record
    }

    public func events(of kind: SecurityPlanKind, in operationID: OperationID) async throws -> [PlanEventRecord] {
        try await database.sql.select().column("*").from("plan_events").where("operation_id", .equal, operationID)
            .where("plan_kind", .equal, kind.rawValue).orderBy("occurred_on", .descending).all().map { row in
                var approvers: [PhaseRecipient: String] = [:]
                for line in try row.decode(column: "approvers", as: String.self).split(separator: "\n") {
                    let parts = line.split(separator: "=", maxSplits: 1)
                    if parts.count == 2, let who = PhaseRecipient(rawValue: String(parts[0])) {
                        approvers[who] = String(parts[1])
                    }
                }
                return PlanEventRecord(
                    id: try row.decode(column: "id", as: UUID.self), kind: kind,
                    event: PlanEventRecord.Event(rawValue: try row.decode(column: "event", as: String.self)) ?? .review,
                    occurredOn: try row.decode(column: "occurred_on", as: Date.self), approvers: approvers,
                    note: try row.decode(column: "note", as: String.self),
                    recordedBy: try row.decodeOptional(column: "recorded_by", as: UserID.self))
            }
    }

    /// What the clocks need of every plan: first approval, last review (an approval is one), last
    /// yearly approval.
    public func histories(in operationID: OperationID) async throws -> [PlanHistory] {
        var histories = Dictionary(uniqueKeysWithValues: SecurityPlanKind.allCases.map { ($0, PlanHistory(kind: $0)) })
        let approvals = try await database.sql.select().column("plan_kind").column("approved_at").from("plan_versions")
            .where("operation_id", .equal, operationID).where("approved_at", .isNot, SQLLiteral.null).all()
        for row in approvals {
            guard let kind = SecurityPlanKind(rawValue: try row.decode(column: "plan_kind", as: String.self)) else {
                continue
            }
            let at = try row.decode(column: "approved_at", as: Date.self)
            var history = histories[kind] ?? PlanHistory(kind: kind)
            history.firstApprovedAt = min(history.firstApprovedAt ?? at, at)
            history.lastReviewedAt = max(history.lastReviewedAt ?? at, at)
            histories[kind] = history
        }
        let events = try await database.sql.select().columns("plan_kind", "event", "occurred_on").from("plan_events")
            .where("operation_id", .equal, operationID).all()
        for row in events {
            guard let kind = SecurityPlanKind(rawValue: try row.decode(column: "plan_kind", as: String.self)) else {
                continue
            }
            let at = try row.decode(column: "occurred_on", as: Date.self)
            var history = histories[kind] ?? PlanHistory(kind: kind)
            if try row.decode(column: "event", as: String.self) == PlanEventRecord.Event.yearlyApproval.rawValue {
                history.lastYearlyApprovalAt = max(history.lastYearlyApprovalAt ?? at, at)
            } else {
                history.lastReviewedAt = max(history.lastReviewedAt ?? at, at)
            }
            histories[kind] = history
        }
        return SecurityPlanKind.allCases.compactMap { histories[$0] }
    }

    // MARK: Attachments

    /// Stores a document for a version: its type checked by name and content (`AttachmentType`
    /// in Interop does that; here the bytes arrive checked), the bytes written once under their
    /// SHA-256 in `directory`, the row in the database. The file is written before the row, so a
    /// failed write leaves no row pointing at nothing.
    public func attach(
        filename: String, contentType: String, data: Data, to versionID: PlanVersionID, in operationID: OperationID,
        directory: String,
        actorID: UserID,
        now: Date
    ) async throws -> PlanAttachmentRecord {
        guard try await version(versionID, in: operationID) != nil else { throw Self.notFound }
        let digest = Hex.sha256(data)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(digest)
        if !FileManager.default.fileExists(atPath: path) {
            let temporary = path + ".part-\(UUID().uuidString)"
            try data.write(to: URL(fileURLWithPath: temporary))
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        }
        let name = Self.safeName(filename)
        let record = PlanAttachmentRecord(
            id: PlanAttachmentID(UUID()), versionID: versionID, filename: name, contentType: contentType,
            size: Int64(data.count),
            sha256: digest, uploadedAt: now)
        try await database.writing { db in
            try await db.sql.insert(into: "plan_attachments")
                .columns(
                    "id", "plan_version_id", "operation_id", "filename", "content_type", "size", "sha256",
                    "uploaded_by", "uploaded_at"
                )
                .values(
                    SQLBind(record.id), SQLBind(versionID), SQLBind(operationID), SQLBind(name), SQLBind(contentType),
                    SQLBind(record.size),
                    SQLBind(digest), SQLBind(actorID), SQLBind(now)
                ).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: versionID.uuidString,
                action: .update, after: ["attachment": "\(name) (\(data.count) bytes, sha256 \(digest))"], at: now)
        }
        return record
    }

    public func attachments(of versionIDs: [PlanVersionID]) async throws -> [PlanAttachmentRecord] {
        guard !versionIDs.isEmpty else { return [] }
        return try await database.sql.select().column("*").from("plan_attachments").where(
            "plan_version_id", .in, versionIDs
        )
        .orderBy("uploaded_at").all().map(Self.attachment)
    }

    public func attachment(_ id: PlanAttachmentID, in operationID: OperationID) async throws -> PlanAttachmentRecord? {
        try await database.sql.select().column("*").from("plan_attachments").where("operation_id", .equal, operationID)
            .where("id", .equal, id).first().map(Self.attachment)
    }

    /// A file name safe to store and to send back in a header: the last path component, without
    /// control characters or quotes, at most 200 characters.
    static func safeName(_ filename: String) -> String {
        let last = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? "document"
        let cleaned = String(
            last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) && $0 != "\"" }.map(
                Character.init))
        return cleaned.isEmpty ? "document" : String(cleaned.prefix(200))
    }

    // MARK: Rows

    static let notFound = DomainError(.notFound, key: "error.not_found", "No such plan version.")

    static func structured(_ draft: PlanDraft) throws -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let relocation = draft.relocation { return String(decoding: try encoder.encode(relocation), as: UTF8.self) }
        if let cim = draft.cim { return String(decoding: try encoder.encode(cim), as: UTF8.self) }
        return nil
    }

    static func snapshot(_ record: PlanVersionRecord) -> [String: String?] {
        [
            "plan": record.kind.rawValue, "version": String(record.version), "status": record.status.rawValue,
            "content": record.draft.content.isEmpty ? nil : record.draft.content,
            "structured": (try? structured(record.draft)) ?? nil,
        ]
    }

    static func record(_ row: any SQLRow) throws -> PlanVersionRecord {
        let kind = SecurityPlanKind(rawValue: try row.decode(column: "plan_kind", as: String.self)) ?? .riskRegister
        var draft = PlanDraft(kind: kind, content: try row.decode(column: "content", as: String.self))
        if let structured = try row.decodeOptional(column: "structured", as: String.self) {
            let data = Data(structured.utf8)
            if kind == .relocation { draft.relocation = try? JSONDecoder().decode(RelocationPlan.self, from: data) }
            if kind == .criticalIncidentManagement { draft.cim = try? JSONDecoder().decode(CIMPlan.self, from: data) }
        }
        return PlanVersionRecord(
            id: try row.decode(column: "id", as: PlanVersionID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self), kind: kind,
            version: try row.decode(column: "version", as: Int.self),
            status: PlanStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft, draft: draft,
            createdBy: try row.decodeOptional(column: "created_by", as: UserID.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            submittedBy: try row.decodeOptional(column: "submitted_by", as: UserID.self),
            submittedAt: try row.decodeOptional(column: "submitted_at", as: Date.self),
            approvedBy: try row.decodeOptional(column: "approved_by", as: UserID.self),
            approvedAt: try row.decodeOptional(column: "approved_at", as: Date.self))
    }

    static func attachment(_ row: any SQLRow) throws -> PlanAttachmentRecord {
        PlanAttachmentRecord(
            id: try row.decode(column: "id", as: PlanAttachmentID.self),
            versionID: try row.decode(column: "plan_version_id", as: PlanVersionID.self),
            filename: try row.decode(column: "filename", as: String.self),
            contentType: try row.decode(column: "content_type", as: String.self),
            size: try row.decode(column: "size", as: Int64.self),
            sha256: try row.decode(column: "sha256", as: String.self),
            uploadedAt: try row.decode(column: "uploaded_at", as: Date.self))
    }
}
