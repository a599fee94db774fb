import Domain
import Fluent
import Foundation
import Interop
import Persistence

/// Imports KoBo or ODK submissions into an assessment (issue 18, part 1), for the page and the
/// command line: the form read (given, or carried in the JSON), the columns mapped (the mapping
/// saved for the form, else HXL, else names), every row decoded or given its reason, the
/// submissions stored in one transaction (those already there left alone), the mapping saved for
/// the next import of the form.
enum AssessmentImport {
    struct Outcome: Sendable {
        let record: AssessmentImportRecord
        let mapping: AssessmentMapping
        let columns: [String]
    }

    /// What is wrong with the file as a whole: said, and nothing is stored.
    struct Refusal: Error, CustomStringConvertible { let description: String }

    static func run(
        export: URL, exportName: String, form formData: Data?, formName: String?, format: KoboReader.Format,
        defaultGroup: PopulationType?, assessment: AssessmentRecord, scope: Scope, actorID: UserID?,
        on database: any Database, now: Date
    ) async throws -> Outcome {
        let table: KoboReader.Table
        var form: FormDefinition?
        do {
            table = try KoboReader.submissions(url: export, name: exportName)
            if let formData { form = try KoboReader.form(formData, name: formName ?? "form") }
        } catch let failure as KoboReader.Failure {
            throw Refusal(description: failure.description)
        }
        form = form ?? table.form
        guard !table.columns.isEmpty else { throw Refusal(description: "\(exportName) has no columns.") }
        // Kept under the form's id; a file without its form, under its columns.
        let formKey =
            form?.formID
            ?? "columns:" + String(SubmissionDecoder.digest(table.columns.sorted()).dropFirst(4).prefix(16))
        let store = AssessmentStore(database)
        var mapping = AssessmentMapping.detect(columns: table.columns, hxl: table.hxl, form: form)
        if let saved = try await store.mapping(forForm: formKey, in: scope) {
            mapping = mapping.applying(saved: saved.mapping, columns: table.columns)
        }
        if mapping.columns[.group] == nil, defaultGroup == nil {
            throw Refusal(
                description:
                    "No column gives the respondents' group, and none was named for the file: choose the group the submissions cover, or map a column to it."
            )
        }
        let areas = try await AreaStore(database).pcodes(operationID: scope.operationID)
        let batches = Batches(
            table: table,
            decoder: SubmissionDecoder(
                columns: table.columns, mapping: mapping, form: form, defaultGroup: defaultGroup,
                knownAreas: areas.isEmpty ? nil : areas),
            mapping: mapping, fileProblems: form.map { mismatches(table.columns, $0) } ?? [])
        let record: AssessmentImportRecord
        do {
            record = try await store.importSubmissions(
                from: batches, into: assessment.id, formKey: formKey, fileName: exportName, format: format.rawValue,
                scope: scope, actorID: actorID, now: now)
        } catch let failure as CSVRows.Failure {
            // A row that cannot be read stops the import: the transaction leaves nothing behind.
            throw Refusal(description: "\(exportName) could not be read: \(failure).")
        }
        try await store.saveMapping(
            mapping.columns, columns: table.columns, forForm: formKey, scope: scope, actorID: actorID, now: now)
        return Outcome(record: record, mapping: mapping, columns: table.columns)
    }

    /// The file's rows decoded as the store pulls them; the problems kept (the first 500) with
    /// their count, and the ids seen, to say a submission that is in the file twice.
    final class Batches: SubmissionBatches, @unchecked Sendable {
        let table: KoboReader.Table
        let decoder: SubmissionDecoder
        let mapping: AssessmentMapping
        let fileProblems: [String]
        var problems: [String] = []
        var problemCount = 0
        var seen = Set<String>()

        init(table: KoboReader.Table, decoder: SubmissionDecoder, mapping: AssessmentMapping, fileProblems: [String]) {
            self.table = table; self.decoder = decoder; self.mapping = mapping; self.fileProblems = fileProblems
        }

        func problem(_ problem: SubmissionProblem) {
            problemCount += 1
            if problems.count < 500 { problems.append(problem.description) }
        }

        func next(max: Int) throws -> [AssessmentResponseDraft]? {
            var batch: [AssessmentResponseDraft] = []
            while batch.count < max, let cells = try table.rows.next() {
                let row = table.rows.rowNumber
                switch decoder.decode(cells, row: row) {
                case .success(let response):
                    guard seen.insert(response.submissionID).inserted else {
                        problem(
                            SubmissionProblem(
                                row: row, field: "submission_id",
                                message: "Submission \(response.submissionID) is in the file twice: the first is kept.")
                        )
                        continue
                    }
                    batch.append(response)
                case .failure(let failure): problem(failure)
                }
            }
            return batch.isEmpty ? nil : batch
        }

        func finish() -> (rejected: Int, report: AssessmentImportRecord.Report) {
            (
                problemCount,
                AssessmentImportRecord.Report(
                    mapping: Dictionary(uniqueKeysWithValues: mapping.columns.map { ($0.key.rawValue, $0.value) }),
                    sources: Dictionary(
                        uniqueKeysWithValues: mapping.sources.map { ($0.key.rawValue, $0.value.rawValue) }),
                    problems: problems, fileProblems: fileProblems, problemCount: problemCount)
            )
        }
    }

    /// Where the export and its form disagree (the form changed after the data, or the wrong form):
    /// columns the form does not know, and questions with no column. KoBo's own columns ("_id",
    /// "_uuid", "__version__"), a select_multiple's 1/0 columns and a repeat's count are not questions.
    static func mismatches(_ columns: [String], _ form: FormDefinition) -> [String] {
        var problems: [String] = []
        let system = Set(["start", "end", "today", "deviceid", "key", "submissiondate", "instanceid"])
        let unknown = columns.filter { column in
            let lower = column.lowercased()
            return !lower.hasPrefix("_") && !lower.hasPrefix("meta/") && !lower.hasPrefix("meta-")
                && !lower.hasSuffix("/count") && !system.contains(lower)
                && form.question(forColumn: column) == nil
        }
        if !unknown.isEmpty {
            problems.append(
                "The export has columns its form does not: \(unknown.prefix(20).joined(separator: ", "))\(unknown.count > 20 ? ", …" : "")."
            )
        }
        let answered = Set(columns.compactMap { form.question(forColumn: $0)?.question.path })
        let missing = form.questions.filter { q in
            !q.repeated && [.selectOne, .selectMultiple, .integer, .decimal, .date, .text].contains(q.kind)
                && !answered.contains(q.path)
                && !columns.contains(where: { FormDefinition.normalPath($0).hasPrefix(q.path + "/") })
        }
        if !missing.isEmpty {
            problems.append(
                "The form has questions the export does not: \(missing.prefix(20).map { $0.path }.joined(separator: ", "))\(missing.count > 20 ? ", …" : "")."
            )
        }
        return problems
    }
}
