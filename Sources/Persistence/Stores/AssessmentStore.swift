import Domain
import FluentKit
import Foundation
import SQLKit

/// A needs assessment as stored.
public struct AssessmentRecord: Sendable, Hashable {
    public var id: UUID
    public var operationID: OperationID
    public var number: Int
    public var draft: NeedsAssessmentDraft
    public var createdBy: UserID?
    public var createdAt: Date
    public var updatedAt: Date
}

/// One import of submissions, as its report shows it.
public struct AssessmentImportRecord: Sendable, Hashable, Codable {
    public struct Report: Sendable, Hashable, Codable {
        /// Field → column used, and how it was found (saved, hxl, name).
        public var mapping: [String: String]
        public var sources: [String: String]
        /// Why rows were left out (the first 500), and what was wrong with the file as a whole.
        public var problems: [String]
        public var fileProblems: [String]
        public var problemCount: Int
        public init(
            mapping: [String: String], sources: [String: String], problems: [String], fileProblems: [String],
            problemCount: Int
        ) {
            self.mapping = mapping; self.sources = sources; self.problems = problems
            self.fileProblems = fileProblems; self.problemCount = problemCount
        }
    }
    public var id: UUID
    public var formKey: String
    public var fileName: String
    public var format: String
    public var added: Int
    public var alreadyThere: Int
    public var rejected: Int
    public var report: Report
    public var importedBy: UserID?
    public var importedAt: Date
}

/// Where an import's submissions come from: the rows of a file, decoded as they are read.
public protocol SubmissionBatches: AnyObject, Sendable {
    /// The next accepted submissions (at most `max`); nil or empty at the end.
    func next(max: Int) throws -> [AssessmentResponseDraft]?
    /// After the last batch: how many rows were refused, and the report.
    func finish() -> (rejected: Int, report: AssessmentImportRecord.Report)
}

/// What an assessment's submissions say, by group: the figures the results page shows.
public struct AssessmentFigures: Sendable, Hashable {
    public struct Group: Sendable, Hashable {
        public var respondents = 0
        /// People in the respondents' households, where the form asked.
        public var people = 0
        /// Respondents by "f_18_59"-style bin ("f_unknown" when no age, "unknown" when neither).
        public var bySexAge: [String: Int] = [:]
        /// Respondents with each need, and by bin.
        public var needs: [SpecificNeed: Int] = [:]
        public var needsBySexAge: [SpecificNeed: [String: Int]] = [:]
        public var prioritySectors: [IFRCSector: Int] = [:]
        public init() {}
    }
    public var groups: [PopulationType: Group] = [:]
    public var firstSubmission: Date?
    public var lastSubmission: Date?
    public var total: Int { groups.values.map(\.respondents).reduce(0, +) }
    public init() {}
}

/// Needs assessments and their imported submissions. Reads go through `VisibilityFilter.assessments`.
public struct AssessmentStore: Sendable {
    static let kind = "needs_assessment"
    static let importKind = "assessment_import"
    static let notFound = DomainError(.notFound, key: "error.not_found", "No such assessment.")
    let database: any Database
    public init(_ database: any Database) { self.database = database }

    // MARK: Assessments

    public func create(_ draft: NeedsAssessmentDraft, scope: Scope, actorID: UserID?, now: Date) async throws
        -> AssessmentRecord
    {
        try await database.writing { db in
            let sql = db.sql
            if sql.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(7243041)").run() }
            let number =
                try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("number")), as: "n")
                .from("needs_assessments").where("operation_id", .equal, scope.operationID).first()?
                .decode(column: "n", as: Int?.self) ?? 0
            let record = AssessmentRecord(
                id: UUID(), operationID: scope.operationID, number: number + 1, draft: draft, createdBy: actorID,
                createdAt: now, updatedAt: now)
            let columns =
                try Self.columns(draft) + [
                    ("id", SQLBind(record.id)), ("operation_id", SQLBind(scope.operationID)),
                    ("number", SQLBind(record.number)), ("created_by", SQLBind(actorID)), ("created_at", SQLBind(now)),
                    ("updated_at", SQLBind(now)),
                ]
            try await sql.insert(into: "needs_assessments").columns(columns.map(\.0)).values(columns.map(\.1)).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind,
                recordID: record.id.uuidString, action: .create, after: Self.snapshot(draft), at: now)
            return record
        }
    }

    public func update(
        _ id: UUID, with draft: NeedsAssessmentDraft, scope: Scope, actorID: UserID?, expecting version: String?,
        now: Date
    ) async throws -> AssessmentRecord {
        try await database.writing { db in
            guard var record = try await AssessmentStore(db).find(id, in: scope) else { throw Self.notFound }
            try await db.sql.requireVersion(version, of: "needs_assessments", id: id, what: "assessment", now: now)
            let before = record.draft
            record.draft = draft
            record.updatedAt = now
            let update = db.sql.update("needs_assessments")
            for (column, value) in try Self.columns(draft) + [("updated_at", SQLBind(now))] {
                update.set(SQLIdentifier(column), to: value)
            }
            try await update.where("id", .equal, id).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.kind, recordID: id.uuidString,
                action: .update, before: Self.snapshot(before), after: Self.snapshot(draft), at: now)
            return record
        }
    }

    public func find(_ id: UUID, in scope: Scope) async throws -> AssessmentRecord? {
        try await database.sql.select().column("*").from("needs_assessments").where("id", .equal, id)
            .where(VisibilityFilter.assessments(scope)).first().map(Self.record)
    }

    /// The operation's assessments, latest first.
    public func list(in scope: Scope) async throws -> [AssessmentRecord] {
        try await database.sql.select().column("*").from("needs_assessments")
            .where(VisibilityFilter.assessments(scope)).orderBy("start_on", .descending).orderBy("number", .descending)
            .all().map(Self.record)
    }

    // MARK: Submissions

    /// Stores an import's submissions in one transaction, pulled from `source` a batch at a time (so
    /// that a file of 100,000 submissions is never held whole): those already there (by their id)
    /// are left as they are, so a re-import of the same export adds only the new ones. Returns the
    /// import with how many were added.
    public func importSubmissions(
        from source: some SubmissionBatches, into assessmentID: UUID, formKey: String, fileName: String,
        format: String, scope: Scope, actorID: UserID?, now: Date
    ) async throws -> AssessmentImportRecord {
        try await database.writing { db in
            guard try await AssessmentStore(db).find(assessmentID, in: scope) != nil else { throw Self.notFound }
            let sql = db.sql
            func count() async throws -> Int {
                try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                    .from("assessment_responses").where("assessment_id", .equal, assessmentID).first()?
                    .decode(column: "n", as: Int.self) ?? 0
            }
            let before = try await count()
            let importID = UUID()
            try await sql.insert(into: "assessment_imports")
                .columns(
                    "id", "assessment_id", "form_key", "file_name", "format", "added", "already_there", "rejected",
                    "report", "imported_by", "imported_at"
                )
                .values(
                    SQLBind(importID), SQLBind(assessmentID), SQLBind(formKey), SQLBind(fileName), SQLBind(format),
                    SQLBind(0), SQLBind(0), SQLBind(0), SQLBind("{}"), SQLBind(actorID), SQLBind(now)
                ).run()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var read = 0
            // Batches of 200 rows (13 columns): under SQLite's and PostgreSQL's bind limits.
            while let batch = try source.next(max: 200), !batch.isEmpty {
                read += batch.count
                let insert = sql.insert(into: "assessment_responses").columns(
                    "id", "assessment_id", "import_id", "submission_id", "submitted_at", "area_pcode",
                    "population_group", "sex", "age_bracket", "needs", "priority_sectors", "household_size", "answers")
                for r in batch {
                    insert.values(
                        SQLBind(UUID()), SQLBind(assessmentID), SQLBind(importID), SQLBind(r.submissionID),
                        SQLBind(r.submittedAt), SQLBind(r.areaPcode), SQLBind(r.group.rawValue), SQLBind(r.sex),
                        SQLBind(r.ageBracket), SQLBind(r.needs.map(\.rawValue).joined(separator: " ")),
                        SQLBind(r.prioritySectors.map(\.rawValue).joined(separator: " ")), SQLBind(r.householdSize),
                        SQLBind(String(decoding: try encoder.encode(r.answers), as: UTF8.self)))
                }
                try await insert.ignoringConflicts(with: ["assessment_id", "submission_id"]).run()
            }
            let (rejected, report) = source.finish()
            let added = try await count() - before
            try await sql.update("assessment_imports").set("added", to: added)
                .set("already_there", to: read - added).set("rejected", to: rejected)
                .set("report", to: try StoredJSON.encode(report)).where("id", .equal, importID).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: Self.importKind,
                recordID: assessmentID.uuidString, action: .create,
                after: [
                    "file": fileName, "form": formKey, "added": String(added), "already_there": String(read - added),
                    "rejected": String(rejected),
                ], at: now)
            return AssessmentImportRecord(
                id: importID, formKey: formKey, fileName: fileName, format: format, added: added,
                alreadyThere: read - added, rejected: rejected, report: report, importedBy: actorID, importedAt: now)
        }
    }

    public func imports(of assessmentID: UUID, in scope: Scope) async throws -> [AssessmentImportRecord] {
        guard try await find(assessmentID, in: scope) != nil else { throw Self.notFound }
        return try await database.sql.select().column("*").from("assessment_imports")
            .where("assessment_id", .equal, assessmentID).orderBy("imported_at", .descending).all().map { row in
                AssessmentImportRecord(
                    id: try row.decode(column: "id", as: UUID.self),
                    formKey: try row.decode(column: "form_key", as: String.self),
                    fileName: try row.decode(column: "file_name", as: String.self),
                    format: try row.decode(column: "format", as: String.self),
                    added: try row.decode(column: "added", as: Int.self),
                    alreadyThere: try row.decode(column: "already_there", as: Int.self),
                    rejected: try row.decode(column: "rejected", as: Int.self),
                    report: try StoredJSON.decode(
                        AssessmentImportRecord.Report.self, try row.decode(column: "report", as: String.self)),
                    importedBy: try row.decodeOptional(column: "imported_by", as: UserID.self),
                    importedAt: try row.decode(column: "imported_at", as: Date.self))
            }
    }

    /// The submissions' figures by group, read row by row (a few columns each).
    public func figures(of assessmentID: UUID, in scope: Scope) async throws -> AssessmentFigures {
        guard try await find(assessmentID, in: scope) != nil else { throw Self.notFound }
        var figures = AssessmentFigures()
        let rows = try await database.sql.select().columns(
            "population_group", "sex", "age_bracket", "needs", "priority_sectors", "household_size", "submitted_at"
        )
        .from("assessment_responses").where("assessment_id", .equal, assessmentID).all()
        for row in rows {
            guard let group = PopulationType(rawValue: try row.decode(column: "population_group", as: String.self))
            else { continue }
            let sex = try row.decodeOptional(column: "sex", as: String.self)
            let age = try row.decodeOptional(column: "age_bracket", as: String.self)
            let bin = sex.map { "\($0)_\(age ?? "other")" } ?? "unknown"
            var g = figures.groups[group] ?? .init()
            g.respondents += 1
            g.people += try row.decodeOptional(column: "household_size", as: Int.self) ?? 0
            g.bySexAge[bin, default: 0] += 1
            for code in try row.decode(column: "needs", as: String.self).split(separator: " ") {
                guard let need = SpecificNeed(rawValue: String(code)) else { continue }
                g.needs[need, default: 0] += 1
                g.needsBySexAge[need, default: [:]][bin, default: 0] += 1
            }
            for key in try row.decode(column: "priority_sectors", as: String.self).split(separator: " ") {
                if let sector = IFRCSector(rawValue: String(key)) { g.prioritySectors[sector, default: 0] += 1 }
            }
            figures.groups[group] = g
            if let at = try row.decodeOptional(column: "submitted_at", as: Date.self) {
                figures.firstSubmission = min(figures.firstSubmission ?? at, at)
                figures.lastSubmission = max(figures.lastSubmission ?? at, at)
            }
        }
        return figures
    }

    // MARK: Mappings

    /// The mapping saved for a form, and the columns its last file had.
    public func mapping(forForm formKey: String, in scope: Scope) async throws -> (
        mapping: [AssessmentField: String], columns: [String]
    )? {
        guard
            let row = try await database.sql.select().columns("mapping", "columns").from("assessment_form_mappings")
                .where("operation_id", .equal, scope.operationID).where("form_key", .equal, formKey).first()
        else { return nil }
        let raw = try StoredJSON.decode([String: String].self, try row.decode(column: "mapping", as: String.self))
        var mapping: [AssessmentField: String] = [:]
        for (key, column) in raw { if let field = AssessmentField(rawValue: key) { mapping[field] = column } }
        return (mapping, try StoredJSON.decode([String].self, try row.decode(column: "columns", as: String.self)))
    }

    public func saveMapping(
        _ mapping: [AssessmentField: String], columns: [String], forForm formKey: String, scope: Scope,
        actorID: UserID?, now: Date
    ) async throws {
        let json = try StoredJSON.encode(Dictionary(uniqueKeysWithValues: mapping.map { ($0.key.rawValue, $0.value) }))
        try await database.writing { db in
            try await db.sql.delete(from: "assessment_form_mappings").where("operation_id", .equal, scope.operationID)
                .where("form_key", .equal, formKey).run()
            try await db.sql.insert(into: "assessment_form_mappings")
                .columns("operation_id", "form_key", "mapping", "columns", "updated_by", "updated_at")
                .values(
                    SQLBind(scope.operationID), SQLBind(formKey), SQLBind(json),
                    SQLBind(try StoredJSON.encode(columns)),
                    SQLBind(actorID), SQLBind(now)
                ).run()
            try await AuditStore(db).append(
                actorID: actorID, operationID: scope.operationID, recordKind: "assessment_mapping",
                recordID: "\(scope.operationID.uuidString)/\(formKey)", action: .update, after: ["mapping": json],
                at: now)
        }
    }

    // MARK: Rows

    static func columns(_ d: NeedsAssessmentDraft) throws -> [(String, SQLBind)] {
        [
            ("title", SQLBind(d.title)), ("area_pcode", SQLBind(d.areaPcode)), ("site_id", SQLBind(d.siteID)),
            ("start_on", SQLBind(d.startOn)), ("end_on", SQLBind(d.endOn)), ("method", SQLBind(d.method.rawValue)),
            ("team", SQLBind(d.team)), ("groups", SQLBind(try StoredJSON.encode(d.groups.map(\.rawValue)))),
            ("findings", SQLBind(try StoredJSON.encode(d.findings))),
            ("need_counts", SQLBind(try StoredJSON.encode(d.needCounts))),
        ]
    }

    static func record(_ row: any SQLRow) throws -> AssessmentRecord {
        let groups = try StoredJSON.decode([String].self, try row.decode(column: "groups", as: String.self))
        return AssessmentRecord(
            id: try row.decode(column: "id", as: UUID.self),
            operationID: try row.decode(column: "operation_id", as: OperationID.self),
            number: try row.decode(column: "number", as: Int.self),
            draft: NeedsAssessmentDraft(
                title: try row.decode(column: "title", as: String.self),
                areaPcode: try row.decodeOptional(column: "area_pcode", as: String.self),
                siteID: try row.decodeOptional(column: "site_id", as: SiteID.self),
                startOn: try row.decode(column: "start_on", as: Date.self),
                endOn: try row.decodeOptional(column: "end_on", as: Date.self),
                method: AssessmentMethod(rawValue: try row.decode(column: "method", as: String.self)) ?? .mixed,
                team: try row.decode(column: "team", as: String.self),
                groups: groups.compactMap(PopulationType.init(rawValue:)),
                findings: try StoredJSON.decode(
                    [SectorFinding].self, try row.decode(column: "findings", as: String.self)),
                needCounts: try StoredJSON.decode(
                    [NeedCount].self, try row.decode(column: "need_counts", as: String.self))),
            createdBy: try row.decodeOptional(column: "created_by", as: UserID.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    static func snapshot(_ d: NeedsAssessmentDraft) -> [String: String?] {
        [
            "title": d.title, "area_pcode": d.areaPcode, "site_id": d.siteID?.uuidString,
            "start_on": DateText.day(d.startOn), "end_on": d.endOn.map(DateText.day), "method": d.method.rawValue,
            "team": d.team.nilIfEmpty, "groups": d.groups.map(\.rawValue).joined(separator: ","),
            "findings": d.findings.map { "\($0.sector.rawValue)\($0.severity.map { " [\($0)]" } ?? ""): \($0.text)" }
                .joined(separator: "; ").nilIfEmpty,
            "need_counts": d.needCounts.map { "\($0.group.rawValue) \($0.need.rawValue) \($0.bin) \($0.count)" }
                .joined(separator: "; ").nilIfEmpty,
        ]
    }
}

/// JSON columns: sorted keys, so that a stored value is stable and diffs read well.
enum StoredJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
