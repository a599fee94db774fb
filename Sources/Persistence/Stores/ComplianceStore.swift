import Domain
import FluentKit
import Foundation
import SQLKit

/// An assessment as stored.
public struct ComplianceAssessmentRecord: Sendable, Hashable {
    public var id: ComplianceAssessmentID
    public var number: Int
    /// The office assessed; nil for the whole operation.
    public var siteID: SiteID?
    public var assessment: ComplianceAssessment
    public var createdBy: UserID?
}

/// An exemption as stored.
public struct ComplianceExemptionRecord: Sendable, Hashable {
    public var id: UUID
    public var exemption: ComplianceExemption
    public var recordedBy: UserID?
}

/// The senior manager's written approval of one year's compliance pack.
public struct CompliancePackRecord: Sendable, Hashable {
    public var year: Int
    public var statement: String
    public var approvedBy: UserID?
    public var approvedAt: Date
}

/// MSR compliance. Who may read and write it is `AccessPolicy.canViewSecurityPlans` and
/// `canWriteSecurityPlans` (the same IFRC documents), checked by the pages; changes are audited.
public struct ComplianceStore: Sendable {
    static let kind = "compliance"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// Records an assessment: one finding per requirement of `catalogue`, each status given.
    /// Refused whole if a finding names a requirement not in the catalogue, or the date is ahead.
    public func record(
        _ assessment: ComplianceAssessment, siteID: SiteID?, catalogue: [MSRRequirement], phases: [String],
        in operationID: OperationID,
        actorID: UserID, now: Date
    ) async throws -> ComplianceAssessmentRecord {
        var errors = ValidationErrors()
        let codes = Set(catalogue.map(\.code))
        for finding in assessment.findings where !codes.contains(finding.requirement) {
            errors.add(
                "findings", key: "error.msr_unknown", "“\(finding.requirement)” is not in the requirement catalogue.")
        }
        for finding in assessment.findings where finding.evidence.count > 5_000 {
            errors.add(
                "evidence[\(finding.requirement)]", key: "error.too_long",
                "The evidence for \(finding.requirement) is longer than 5,000 characters.")
        }
        if !phases.contains(assessment.phase) {
            errors.add("phase", key: "error.phase_unknown", "“\(assessment.phase)” is not a phase.")
        }
        if assessment.assessedOn > now.addingTimeInterval(600) {
            errors.add("assessed_on", key: "error.future", "An assessment is not dated in the future.")
        }
        if let siteID {
            let site = try await database.sql.select().column("id").from("sites").where(
                "operation_id", .equal, operationID
            )
            .where("id", .equal, siteID).first()
            if site == nil {
                errors.add("site", key: "error.plan_site", "The office assessed is not a site of this operation.")
            }
        }
        try errors.throwIfAny()
        let id = ComplianceAssessmentID(UUID())
        return try await database.writing { db in
            let sql = db.sql
            if sql.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(7243017)").run() }
            let number =
                try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("number")), as: "n").from(
                    "compliance_assessments"
                )
                .where("operation_id", .equal, operationID).first()?.decode(column: "n", as: Int?.self) ?? 0
            try await sql.insert(into: "compliance_assessments")
                .columns("id", "operation_id", "number", "site_id", "assessed_on", "phase", "created_by", "created_at")
                .values(
                    SQLBind(id), SQLBind(operationID), SQLBind(number + 1), SQLBind(siteID),
                    SQLBind(assessment.assessedOn),
                    SQLBind(assessment.phase), SQLBind(actorID), SQLBind(now)
                ).run()
            for finding in assessment.findings {
                try await sql.insert(into: "compliance_findings").columns(
                    "assessment_id", "requirement_code", "status", "evidence"
                )
                .values(
                    SQLBind(id), SQLBind(finding.requirement), SQLBind(finding.status.rawValue),
                    SQLBind(finding.evidence.trimmingCharacters(in: .whitespacesAndNewlines))
                ).run()
            }
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .create,
                after: [
                    "assessed_on": DateText.day(assessment.assessedOn), "phase": assessment.phase,
                    "site_id": siteID?.uuidString,
                    "findings": assessment.findings.map { "\($0.requirement)=\($0.status.rawValue)" }.joined(
                        separator: ", "),
                ], at: now)
            return ComplianceAssessmentRecord(
                id: id, number: number + 1, siteID: siteID, assessment: assessment, createdBy: actorID)
        }
    }

    /// Assessments `scope` may see, newest first, with their findings: the whole operation's, and
    /// those of offices the scope may see (an office's scores and findings are about that office).
    /// `id` narrows to one assessment.
    public func assessments(in scope: Scope, id: ComplianceAssessmentID? = nil, limit: Int = 50) async throws
        -> [ComplianceAssessmentRecord]
    {
        var query = database.sql.select().column("*").from("compliance_assessments")
            .where("operation_id", .equal, scope.operationID)
            .where(
                SQLQueryString(
                    "(site_id IS NULL OR site_id IN (SELECT sites.id FROM sites WHERE \(VisibilityFilter.predicate(scope, table: "sites", kind: SiteStore.kind))))"
                ))
        if let id { query = query.where("id", .equal, id) }
        let rows = try await query.orderBy("assessed_on", .descending).orderBy("number", .descending).limit(limit).all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        var findings: [ComplianceAssessmentID: [ComplianceAssessment.Finding]] = [:]
        for row in try await database.sql.select().column("*").from("compliance_findings").where(
            "assessment_id", .in, ids
        ).all() {
            findings[try row.decode(column: "assessment_id", as: ComplianceAssessmentID.self), default: []].append(
                ComplianceAssessment.Finding(
                    requirement: try row.decode(column: "requirement_code", as: String.self),
                    status: ComplianceStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .notMet,
                    evidence: try row.decode(column: "evidence", as: String.self)))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: ComplianceAssessmentID.self)
            return ComplianceAssessmentRecord(
                id: id, number: try row.decode(column: "number", as: Int.self),
                siteID: try row.decodeOptional(column: "site_id", as: SiteID.self),
                assessment: ComplianceAssessment(
                    assessedOn: try row.decode(column: "assessed_on", as: Date.self),
                    phase: try row.decode(column: "phase", as: String.self),
                    findings: (findings[id] ?? []).sorted { $0.requirement < $1.requirement }),
                createdBy: try row.decodeOptional(column: "created_by", as: UserID.self))
        }
    }

    /// Records a written exemption; the caller validated it against the operation's catalogue.
    public func grant(_ exemption: ComplianceExemption, in operationID: OperationID, actorID: UserID, now: Date)
        async throws
        -> ComplianceExemptionRecord
    {
        let record = ComplianceExemptionRecord(id: UUID(), exemption: exemption, recordedBy: actorID)
        try await database.writing { db in
            try await db.sql.insert(into: "compliance_exemptions")
                .columns(
                    "id", "operation_id", "requirement_code", "granted_by", "reason", "written_reason", "granted_on",
                    "expires_on",
                    "recorded_by", "recorded_at"
                )
                .values(
                    SQLBind(record.id), SQLBind(operationID), SQLBind(exemption.requirement),
                    SQLBind(exemption.grantedBy),
                    SQLBind(exemption.reason.rawValue), SQLBind(exemption.writtenReason), SQLBind(exemption.grantedOn),
                    SQLBind(exemption.expiresOn), SQLBind(actorID), SQLBind(now)
                ).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "compliance_exemption",
                recordID: record.id.uuidString, action: .create,
                after: [
                    "requirement": exemption.requirement, "granted_by": exemption.grantedBy,
                    "reason": exemption.reason.rawValue,
                    "written_reason": exemption.writtenReason, "expires_on": DateText.day(exemption.expiresOn),
                ], at: now)
        }
        return record
    }

    public func exemptions(in operationID: OperationID) async throws -> [ComplianceExemptionRecord] {
        try await database.sql.select().column("*").from("compliance_exemptions").where(
            "operation_id", .equal, operationID
        )
        .orderBy("expires_on", .descending).all().map { row in
            ComplianceExemptionRecord(
                id: try row.decode(column: "id", as: UUID.self),
                exemption: ComplianceExemption(
                    requirement: try row.decode(column: "requirement_code", as: String.self),
                    grantedBy: try row.decode(column: "granted_by", as: String.self),
                    reason: ExemptionReason(rawValue: try row.decode(column: "reason", as: String.self)) ?? .other,
                    writtenReason: try row.decode(column: "written_reason", as: String.self),
                    grantedOn: try row.decode(column: "granted_on", as: Date.self),
                    expiresOn: try row.decode(column: "expires_on", as: Date.self)),
                recordedBy: try row.decodeOptional(column: "recorded_by", as: UserID.self))
        }
    }

    /// The senior manager's written approval of a year's pack; once per year, by the senior manager.
    public func approvePack(
        year: Int, statement: String, approverAuthorities: Set<PhaseAuthority>, in operationID: OperationID,
        actorID: UserID,
        now: Date
    ) async throws -> CompliancePackRecord {
        guard approverAuthorities.contains(.seniorManager) else {
            throw DomainError(
                .forbidden, key: "error.pack_approver", "Only the senior manager approves the compliance pack.")
        }
        let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = ValidationErrors()
        let thisYear = AnalysisPeriods.calendar.component(.year, from: now)
        if !(thisYear - 1...thisYear).contains(year) {
            errors.add("year", key: "error.pack_year", "Approve this year's pack or last year's.")
        }
        if text.isEmpty || text.count > 5_000 {
            errors.add(
                "statement", key: "error.pack_statement",
                "The approval is given in writing: write it (up to 5,000 characters).")
        }
        try errors.throwIfAny()
        if try await pack(year: year, in: operationID) != nil {
            throw DomainError(.conflict, field: "year", key: "error.pack_done", "The \(year) pack is already approved.")
        }
        let record = CompliancePackRecord(year: year, statement: text, approvedBy: actorID, approvedAt: now)
        try await database.writing { db in
            try await db.sql.insert(into: "compliance_packs").columns(
                "id", "operation_id", "year", "statement", "approved_by", "approved_at"
            )
            .values(SQLBind(UUID()), SQLBind(operationID), SQLBind(year), SQLBind(text), SQLBind(actorID), SQLBind(now))
            .run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: "compliance_pack", recordID: String(year),
                action: .create, after: ["statement": text], at: now)
        }
        return record
    }

    public func pack(year: Int, in operationID: OperationID) async throws -> CompliancePackRecord? {
        try await database.sql.select().column("*").from("compliance_packs").where("operation_id", .equal, operationID)
            .where("year", .equal, year).first().map { row in
                CompliancePackRecord(
                    year: year, statement: try row.decode(column: "statement", as: String.self),
                    approvedBy: try row.decodeOptional(column: "approved_by", as: UserID.self),
                    approvedAt: try row.decode(column: "approved_at", as: Date.self))
            }
    }
}
