import Domain
import FluentKit
import Foundation
import SQLKit

/// A site assessment as stored, with the checklist it was answered against.
public struct SiteAssessmentRecord: Sendable, Hashable {
    public var id: SiteAssessmentID
    public var siteID: SiteID
    public var checklist: SiteChecklist
    public var assessment: SiteAssessment
    public var score: Double?
    public var createdBy: UserID?
}

/// One line of the comparison across sites: each site's latest assessment.
public struct SiteAssessmentSummary: Sendable, Hashable {
    public var siteID: SiteID
    public var siteName: String
    public var siteType: SiteType
    public var assessmentID: SiteAssessmentID
    public var kind: SiteChecklistKind
    public var assessedOn: Date
    public var score: Double?
    public var openRecommendations: Int
    public var overdueRecommendations: Int
}

/// Site security assessments. A site's assessments are as visible as the site: every read goes
/// through the site's visibility (`VisibilityFilter` on `sites`).
public struct SiteAssessmentStore: Sendable {
    static let kind = "site_assessment"
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    /// Records an assessment of a site `scope` may see; the caller validated it against `checklist`.
    public func record(
        _ assessment: SiteAssessment, checklist: SiteChecklist, siteID: SiteID, scope: Scope, actorID: UserID, now: Date
    ) async throws -> SiteAssessmentRecord {
        guard let site = try await SiteStore(database).find(siteID, in: scope) else {
            throw DomainError(.notFound, key: "error.not_found", "No such site.")
        }
        if assessment.assessedOn > now.addingTimeInterval(600) {
            var errors = ValidationErrors()
            errors.add("assessed_on", key: "error.future", "An assessment is not dated in the future.")
            throw errors
        }
        let record = SiteAssessmentRecord(
            id: SiteAssessmentID(UUID()), siteID: siteID, checklist: checklist, assessment: assessment,
            score: assessment.score(checklist), createdBy: actorID)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let answers = String(decoding: try encoder.encode(assessment.answers.mapValues(\.rawValue)), as: UTF8.self)
        let items = String(decoding: try encoder.encode(checklist), as: UTF8.self)
        try await database.writing { db in
            try await db.sql.insert(into: "site_assessments")
                .columns(
                    "id", "operation_id", "site_id", "checklist_kind", "checklist", "assessed_on", "answers",
                    "findings", "score",
                    "created_by", "created_at"
                )
                .values(
                    SQLBind(record.id), SQLBind(site.operationId), SQLBind(siteID), SQLBind(assessment.kind.rawValue),
                    SQLBind(items),
                    SQLBind(assessment.assessedOn), SQLBind(answers), SQLBind(assessment.findings),
                    SQLBind(record.score),
                    SQLBind(actorID), SQLBind(now)
                ).run()
            for (position, recommendation) in assessment.recommendations.enumerated() {
                try await db.sql.insert(into: "site_recommendations").columns(
                    "id", "assessment_id", "position", "text", "owner", "due_on", "done"
                )
                .values(
                    SQLBind(UUID()), SQLBind(record.id), SQLBind(position), SQLBind(recommendation.text),
                    SQLBind(recommendation.owner),
                    SQLBind(recommendation.dueOn), SQLBind(recommendation.done)
                ).run()
            }
            try await AuditStore(db).append(
                actorID: actorID, operationID: site.operationId, recordKind: SiteStore.kind,
                recordID: siteID.uuidString, action: .update,
                after: [
                    "security_assessment":
                        "\(assessment.kind.rawValue) \(DateText.day(assessment.assessedOn)): \(record.score.map { "\(Int($0))" } ?? "–")",
                    "findings": assessment.findings.isEmpty ? nil : assessment.findings,
                    "recommendations": assessment.recommendations.map {
                        "\($0.text) — \($0.owner) (due \(DateText.day($0.dueOn)))"
                    }
                    .joined(separator: "; ").nilIfEmpty,
                ], at: now)
        }
        return record
    }

    /// The site's assessments, newest first, if `scope` may see the site.
    public func assessments(of siteID: SiteID, scope: Scope) async throws -> [SiteAssessmentRecord] {
        guard try await SiteStore(database).find(siteID, in: scope) != nil else { return [] }
        let rows = try await database.sql.select().column("*").from("site_assessments").where("site_id", .equal, siteID)
            .orderBy("assessed_on", .descending).orderBy("created_at", .descending).all()
        return try await withRecommendations(try rows.map(Self.record))
    }

    public func assessment(_ id: SiteAssessmentID, of siteID: SiteID, scope: Scope) async throws
        -> SiteAssessmentRecord?
    {
        try await assessments(of: siteID, scope: scope).first { $0.id == id }
    }

    /// Marks one recommendation done (or not).
    public func setDone(
        _ done: Bool, recommendation position: Int, of assessmentID: SiteAssessmentID, siteID: SiteID, scope: Scope,
        actorID: UserID,
        now: Date
    ) async throws {
        guard let record = try await assessment(assessmentID, of: siteID, scope: scope),
            record.assessment.recommendations.indices.contains(position)
        else {
            throw DomainError(.notFound, key: "error.not_found", "No such recommendation.")
        }
        let operationID = try await database.sql.select().column("operation_id").from("sites").where(
            "id", .equal, siteID
        ).first()?
        .decode(column: "operation_id", as: OperationID.self)
        try await database.writing { db in
            try await db.sql.update("site_recommendations").set("done", to: done).where(
                "assessment_id", .equal, assessmentID
            )
            .where("position", .equal, position).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: operationID, recordKind: SiteStore.kind, recordID: siteID.uuidString,
                action: .update,
                after: [
                    "recommendation_done": "\(record.assessment.recommendations[position].text): \(done ? "yes" : "no")"
                ],
                at: now)
        }
    }

    /// Each site's latest assessment, for the sites `scope` may see, lowest score first.
    public func latestPerSite(in scope: Scope, now: Date) async throws -> [SiteAssessmentSummary] {
        let rows = try await database.sql.select()
            .column(SQLColumn("id", table: "a"), as: "assessment_id").column(SQLColumn("site_id", table: "a"))
            .column(SQLColumn("checklist_kind", table: "a")).column(SQLColumn("assessed_on", table: "a")).column(
                SQLColumn("score", table: "a")
            )
            .column(SQLColumn("name", table: "sites")).column(SQLColumn("type", table: "sites"))
            .column(
                SQLQueryString(
                    "(SELECT COUNT(*) FROM site_recommendations r WHERE r.assessment_id = a.id AND r.done = \(bind: false))"
                ), as: "open"
            )
            .column(
                SQLQueryString(
                    "(SELECT COUNT(*) FROM site_recommendations r WHERE r.assessment_id = a.id AND r.done = \(bind: false) AND r.due_on < \(bind: now))"
                ),
                as: "overdue"
            )
            .from(SQLAlias(SQLIdentifier("site_assessments"), as: SQLIdentifier("a")))
            .join("sites", on: SQLColumn("id", table: "sites"), .equal, SQLColumn("site_id", table: "a"))
            .where(VisibilityFilter.predicate(scope, table: "sites", kind: SiteStore.kind))
            .where(
                SQLQueryString(
                    """
                    NOT EXISTS (SELECT 1 FROM site_assessments b WHERE b.site_id = a.site_id \
                    AND (b.assessed_on > a.assessed_on OR (b.assessed_on = a.assessed_on AND b.created_at > a.created_at)))
                    """)
            )
            .all()
        return try rows.map { row in
            SiteAssessmentSummary(
                siteID: try row.decode(column: "site_id", as: SiteID.self),
                siteName: try row.decode(column: "name", as: String.self),
                siteType: SiteType(rawValue: try row.decode(column: "type", as: String.self)) ?? .other,
                assessmentID: try row.decode(column: "assessment_id", as: SiteAssessmentID.self),
                kind: SiteChecklistKind(rawValue: try row.decode(column: "checklist_kind", as: String.self)) ?? .office,
                assessedOn: try row.decode(column: "assessed_on", as: Date.self),
                score: try row.decodeOptional(column: "score", as: Double.self),
                openRecommendations: try row.decode(column: "open", as: Int.self),
                overdueRecommendations: try row.decode(column: "overdue", as: Int.self))
        }.sorted { ($0.score ?? 101, $0.siteName) < ($1.score ?? 101, $1.siteName) }
    }

    func withRecommendations(_ records: [SiteAssessmentRecord]) async throws -> [SiteAssessmentRecord] {
        guard !records.isEmpty else { return [] }
        var byAssessment: [SiteAssessmentID: [SiteRecommendation]] = [:]
        for row in try await database.sql.select().column("*").from("site_recommendations").where(
            "assessment_id", .in, records.map(\.id)
        )
        .orderBy("position").all() {
            byAssessment[try row.decode(column: "assessment_id", as: SiteAssessmentID.self), default: []].append(
                SiteRecommendation(
                    text: try row.decode(column: "text", as: String.self),
                    owner: try row.decode(column: "owner", as: String.self),
                    dueOn: try row.decode(column: "due_on", as: Date.self),
                    done: try row.decode(column: "done", as: Bool.self)))
        }
        return records.map {
            var r = $0; r.assessment.recommendations = byAssessment[r.id] ?? []; return r
        }
    }

    static func record(_ row: any SQLRow) throws -> SiteAssessmentRecord {
        let kind = SiteChecklistKind(rawValue: try row.decode(column: "checklist_kind", as: String.self)) ?? .office
        let checklist = try JSONDecoder().decode(
            SiteChecklist.self, from: Data(try row.decode(column: "checklist", as: String.self).utf8))
        let answers = try JSONDecoder().decode(
            [String: String].self, from: Data(try row.decode(column: "answers", as: String.self).utf8)
        )
        .compactMapValues(ChecklistAnswer.init(rawValue:))
        return SiteAssessmentRecord(
            id: try row.decode(column: "id", as: SiteAssessmentID.self),
            siteID: try row.decode(column: "site_id", as: SiteID.self),
            checklist: checklist,
            assessment: SiteAssessment(
                kind: kind, assessedOn: try row.decode(column: "assessed_on", as: Date.self), answers: answers,
                findings: try row.decode(column: "findings", as: String.self)),
            score: try row.decodeOptional(column: "score", as: Double.self),
            createdBy: try row.decodeOptional(column: "created_by", as: UserID.self))
    }
}
