import ArgumentParser
import Domain
import Foundation
import Interop
import Persistence
import Vapor

/// `bearing import services`: an Open Referral HSDS directory into an operation's referral directory.
struct ImportServices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract:
            "Import a service directory in Open Referral HSDS (3.0 or 1.1): a folder or ZIP of CSV tables, or JSON.",
        discussion: """
            Prints services read, added, updated and unchanged, every row not imported with its reason (a broken foreign key, a
            value the directory refuses), and every value left out of a row that was taken. A re-import of the same file updates
            what it imported before (by the HSDS ids). A service at several locations becomes one entry per location.
            Example: bearing import services --format hsds ./hsds-tables --operation SDN-2026
            """)
    enum Format: String, ExpressibleByArgument, CaseIterable { case hsds }
    @ArgumentParser.Argument(help: "The folder of CSV tables, the ZIP, or the JSON file.") var file: String
    @ArgumentParser.Option(help: "hsds.") var format: Format = .hsds
    @ArgumentParser.Option(help: "Operation code.") var operation: String

    func run() async throws {
        let read: HSDSReader.Result
        do { read = try HSDSReader.read(url: URL(fileURLWithPath: file)) } catch let failure as HSDSReader.Failure {
            print("\(file): \(failure.description) Nothing was imported.")
            throw ExitCode(1)
        }
        try await importAndReport(file, operation: operation) { app, op in
            let report = try await ServiceDirectory(database: app.db, areaShapes: app.areaShapes).importHSDS(
                read, file: (file as NSString).lastPathComponent, into: op,
                scope: AccessPolicy.unnamedOperatorScope(in: op.id), actorID: nil, now: app.wallClock.now())
            return report.lines
        }
    }
}

/// `bearing export services`: the referral directory as HSDS.
struct ExportServices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "Write an operation's referral directory as Open Referral HSDS 3.0.",
        discussion: """
            hsds-zip writes every CSV table in one ZIP (to --output, or standard output); hsds-json a page of full services
            (the HSDS API's shape); hsds-csv one table (--table, default services). The humanitarian additions (accepts
            referrals, consent, population types, sectors, focal point) travel as attributes of the bearing-humanitarian taxonomy.
            Example: bearing export services --operation SDN-2026 --format hsds-zip --output directory.zip
            """)
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case hsdsZip = "hsds-zip", hsdsJSON = "hsds-json", hsdsCSV = "hsds-csv"
    }
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(help: "hsds-zip, hsds-json or hsds-csv.") var format: Format
    @ArgumentParser.Option(help: "With hsds-csv: the table (services, organizations, locations, phones, …).")
    var table: String = "services"
    @ArgumentParser.Option(help: "Write to this file instead of standard output.") var output: String?

    func run() async throws {
        let data = try await withApplication { app in
            guard let op = try await OperationStore(app.db).find(code: operation) else {
                throw ValidationError("No operation with code \(operation).")
            }
            let entries = try await ServiceDirectory(database: app.db, areaShapes: app.areaShapes).entries(
                in: AccessPolicy.unnamedOperatorScope(in: op.id))
            switch format {
            case .hsdsZip: return try HSDSWriter.zip(entries)
            case .hsdsJSON: return try HSDSWriter.json(entries)
            case .hsdsCSV:
                let tables = HSDSWriter.tables(entries)
                guard let chosen = tables.first(where: { $0.name == table }) else {
                    throw ValidationError("--table: one of " + tables.map(\.name).joined(separator: ", ") + ".")
                }
                return Data(HSDSWriter.csv(chosen).utf8)
            }
        }
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

/// `bearing export activities`: the EPoA's activities for people on the move as a 3W.
struct ExportActivities: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activities",
        abstract: "Write an operation's activities for people on the move as a 3W, in CSV or HXL-tagged CSV.",
        discussion: """
            Columns: organization (#org), sector (#sector), admin 1 code and name (#adm1+code, #adm1+name), the area,
            the activity (#activity), its type, the population types, the phase, the period, targeted (#targeted) and
            reached (#reached).
            Example: bearing export activities --operation SDN-2026 --format hxl > 3w.csv
            """)
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, hxl }
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(help: "csv or hxl.") var format: Format = .csv

    func run() async throws {
        let text = try await withApplication { app in
            guard let op = try await OperationStore(app.db).find(code: operation) else {
                throw ValidationError("No operation with code \(operation).")
            }
            let activities = Activities(database: app.db, areaShapes: app.areaShapes)
            let rows = try await activities.threeW(
                try await ActivityStore(app.db).all(in: AccessPolicy.unnamedOperatorScope(in: op.id)), operation: op,
                language: "en")
            return ThreeWExport.text(rows, format: format == .csv ? .csv : .hxl)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// `bearing import assessments`: KoBoToolbox or ODK submissions into a needs assessment.
struct ImportAssessments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assessments",
        abstract: "Import KoBoToolbox or ODK submissions (CSV, XLSX or JSON export) into a needs assessment.",
        discussion: """
            Columns are mapped to the assessment's fields by the mapping saved for the form, else by HXL hashtags (the
            export's HXL row, or the form's hxl column), else by their names; the mapping used is printed and saved for the
            next import of the form. With --form (the XLSForm .xlsx, or KoBo's form JSON), select answers are checked against
            the form's choices and the export's columns against its questions. Every row not imported is printed with its
            reason. A re-import of the same export adds only the submissions not there yet (by _uuid, instanceID or KEY).
            Only the mapped fields and the answers to closed questions are kept: never free text.
            Into an assessment recorded already (--assessment, its number), or a new one (--title, with --method,
            --start-on and --groups).
            Example: bearing import assessments --format kobo export.csv --form form.xlsx --operation SDN-2026 --assessment 3
            """)
    @ArgumentParser.Argument(help: "The export: CSV, XLSX or JSON.") var file: String
    @ArgumentParser.Option(help: "kobo or odk.") var format: KoboReader.Format
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(help: "The assessment's number in the operation.") var assessment: Int?
    @ArgumentParser.Option(help: "Or the title of a new assessment.") var title: String?
    @ArgumentParser.Option(help: "A new assessment's method (household_survey, key_informants, …).")
    var method: String = AssessmentMethod.householdSurvey.rawValue
    @ArgumentParser.Option(help: "A new assessment's first day (YYYY-MM-DD); today by default.") var startOn: String?
    @ArgumentParser.Option(help: "A new assessment's groups, e.g. REF,HST; --group by default.") var groups: String?
    @ArgumentParser.Option(help: "The form: an XLSForm (.xlsx) or KoBo's form JSON.") var form: String?
    @ArgumentParser.Option(help: "The group of rows that do not say theirs (REF, IDP, HST, MIT, …).") var group: String?

    func run() async throws {
        var defaultGroup: PopulationType?
        if let group {
            guard let type = PopulationType(rawValue: group.uppercased()), type != .totalPopulation else {
                print("--group: “\(group)” is not a population group. Nothing was imported.")
                throw ExitCode(1)
            }
            defaultGroup = type
        }
        let formData: Data?
        do { formData = try form.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } } catch {
            print("\(form ?? ""): cannot be read. Nothing was imported.")
            throw ExitCode(1)
        }
        guard (assessment == nil) != (title == nil) else {
            print("Name the assessment: --assessment (its number) or --title (a new one). Nothing was imported.")
            throw ExitCode(1)
        }
        let number = assessment
        var input = NeedsAssessmentInput()
        input.title = title ?? ""
        input.method = method
        input.startOn = startOn ?? ""
        input.groups = (groups ?? group ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).uppercased()
        }
        let newAssessment = input
        do {
            try await importAndReport(file, operation: operation) { app, op in
                let scope = AccessPolicy.unnamedOperatorScope(in: op.id)
                let record: AssessmentRecord
                if let number {
                    guard
                        let found = try await AssessmentStore(app.db).list(in: scope).first(where: {
                            $0.number == number
                        })
                    else { throw ValidationError("No assessment \(number) in \(op.code).") }
                    record = found
                } else {
                    var input = newAssessment
                    if input.startOn.isEmpty { input.startOn = DateText.day(app.wallClock.now()) }
                    let draft: NeedsAssessmentDraft
                    do { draft = try input.draft(knownAreas: nil) } catch let errors as ValidationErrors {
                        throw ValidationError(errors.errors.map { $0.description }.joined(separator: " "))
                    }
                    record = try await AssessmentStore(app.db).create(
                        draft, scope: scope, actorID: nil, now: app.wallClock.now())
                }
                let outcome = try await AssessmentImport.run(
                    export: URL(fileURLWithPath: file),
                    exportName: (file as NSString).lastPathComponent,
                    form: formData, formName: form.map { ($0 as NSString).lastPathComponent }, format: format,
                    defaultGroup: defaultGroup, assessment: record, scope: scope, actorID: nil, on: app.db,
                    now: app.wallClock.now())
                let r = outcome.record
                var lines = [
                    "\(r.added) submissions added, \(r.alreadyThere) already there, \(r.rejected) not imported (form \(r.formKey))."
                ]
                lines += AssessmentField.allCases.compactMap { field in
                    outcome.mapping.columns[field].map {
                        "\(field.rawValue) ← \($0) (\(outcome.mapping.sources[field]?.rawValue ?? "name"))"
                    }
                }
                lines += r.report.fileProblems + r.report.problems
                if r.report.problemCount > r.report.problems.count {
                    lines.append("… and \(r.report.problemCount - r.report.problems.count) more rows not imported.")
                }
                return lines
            }
        } catch let refusal as AssessmentImport.Refusal {
            print("\(file): \(refusal.description) Nothing was imported.")
            throw ExitCode(1)
        }
    }
}

extension KoboReader.Format: ExpressibleByArgument {}

/// The registry's scope for a command: an account's (`--as`), or the operator's, who names nobody
/// and so never reads a restricted entry.
func networkScope(operation: String, account: String?, on app: Application) async throws -> (OperationRecord, Scope) {
    guard let op = try await OperationStore(app.db).find(code: operation) else {
        throw ValidationError("No operation with code \(operation).")
    }
    guard let account else { return (op, AccessPolicy.unnamedOperatorScope(in: op.id)) }
    let users = UserStore(app.db)
    guard let user = try await users.find(email: account) else {
        throw ValidationError("No account with e-mail \(account).")
    }
    let viewer = try await users.viewer(for: user)
    guard AccessPolicy.canViewNetwork(in: op.id, by: viewer), let scope = AccessPolicy.scope(in: op.id, for: viewer)
    else {
        throw ValidationError("\(account) does not read the stakeholder registry of \(operation).")
    }
    return (op, scope)
}

/// `bearing import stakeholders`: contacts (CSV or vCard) into an operation's stakeholder registry.
struct ImportStakeholders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stakeholders",
        abstract: "Import organisations and people (CSV or vCard) into an operation's stakeholder registry.",
        discussion: """
            CSV columns are found by name: \(StakeholderCSV.header.joined(separator: ", ")) (Bearing's own export reads
            back in; a row with its id updates that entry). vCard files (4.0, 3.0 or 2.1) from phones and mail programs give
            names, organisations, titles, numbers and addresses; --type says what the entries they do not type are.
            An organisation already in the registry, or named twice, is a duplicate: listed and left out, or merged with --merge.
            Prints entries read, added, merged, unchanged, and every entry not imported with its reason.
            Example: bearing import stakeholders network.csv --operation SDN-2026 --merge
            """)
    @ArgumentParser.Argument(help: "The CSV or vCard file.") var file: String
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Flag(help: "Merge duplicates into the entries they repeat.") var merge = false
    @ArgumentParser.Option(help: "The type of entries the file does not type (un_agency, ministry, ingo, …).")
    var type: String?
    @ArgumentParser.Option(help: "The topic of entries the file does not say: security, migration or both.")
    var topic: String?
    @ArgumentParser.Option(name: .customLong("as"), help: "Import as this account (e-mail).") var account: String?

    func run() async throws {
        var options = Network.ImportOptions()
        options.merge = merge
        if let type {
            guard let chosen = StakeholderType(rawValue: type) else {
                throw ValidationError(
                    "--type: one of " + StakeholderType.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            options.defaultType = chosen
        }
        if let topic {
            guard let chosen = StakeholderTopic(rawValue: topic) else {
                throw ValidationError("--topic: security, migration or both.")
            }
            options.defaultTopic = chosen
        }
        let read: StakeholderFile
        do {
            read = try Network.read(url: URL(fileURLWithPath: file), name: (file as NSString).lastPathComponent)
        } catch {
            print("\(file): \(error.description) Nothing was imported.")
            throw ExitCode(1)
        }
        try await importAndReport(file, operation: operation) { app, _ in
            let (_, scope) = try await networkScope(operation: operation, account: account, on: app)
            let actor = try await account.asyncMap { try await UserStore(app.db).find(email: $0)?.id } ?? nil
            return try await Network(database: app.db).importFile(
                read, name: (file as NSString).lastPathComponent, options: options, scope: scope, actorID: actor,
                now: app.wallClock.now()
            ).lines
        }
    }
}

/// `bearing export stakeholders`: the registry as CSV (which reads back in) or vCard 4.0.
struct ExportStakeholders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stakeholders",
        abstract: "Write an operation's stakeholder registry as CSV or vCard 4.0.",
        discussion: """
            --view security or migration writes one role's view (entries of that topic and of both). The export is recorded
            in the audit trail as a view of every entry's contacts. Personal data: keep the file safe.
            Example: bearing export stakeholders --operation SDN-2026 --format vcf > network.vcf
            """)
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, vcf }
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(help: "csv or vcf.") var format: Format = .csv
    @ArgumentParser.Option(help: "security, migration or both.") var view: String = "both"
    @ArgumentParser.Option(name: .customLong("as"), help: "Export as this account (e-mail): what it may see.")
    var account: String?
    @ArgumentParser.Option(help: "Write to this file instead of standard output.") var output: String?

    func run() async throws {
        guard let topic = StakeholderTopic(rawValue: view) else {
            throw ValidationError("--view: security, migration or both.")
        }
        let text = try await withApplication { app in
            let (_, scope) = try await networkScope(operation: operation, account: account, on: app)
            let network = Network(database: app.db)
            let filter = StakeholderStore.Filter(view: topic)
            return format == .csv
                ? try await network.csv(scope: scope, filter: filter, now: app.wallClock.now())
                : try await network.vcard(scope: scope, filter: filter, now: app.wallClock.now())
        }
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
