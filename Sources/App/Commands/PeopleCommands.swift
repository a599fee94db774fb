import ArgumentParser
import Domain
import Foundation
import Interop
import Persistence
import Vapor

/// The operation and the reach over its personnel register of `--as` (none: the operator, who
/// administers the server and reads the whole register; what they read is audited all the same).
func personnelScope(operation: String, account: String?, on app: Application) async throws -> (
    OperationRecord, PersonnelScope
) {
    guard let op = try await OperationStore(app.db).find(code: operation) else {
        throw ValidationError("No operation with code \(operation).")
    }
    guard let account else { return (op, AccessPolicy.operatorPersonnelScope(in: op.id)) }
    let users = UserStore(app.db)
    guard let user = try await users.find(email: account) else {
        throw ValidationError("No account with e-mail \(account).")
    }
    let named = try await PersonStore(app.db).isFocalPoint(user.id, in: op.id)
    guard
        let scope = AccessPolicy.personnelScope(
            in: op.id, for: try await users.viewer(for: user), isNamedFocalPoint: named)
    else { throw ValidationError("\(account) does not reach the personnel register of \(operation).") }
    return (op, scope)
}

/// `bearing import people`: an HR or surge roster (CSV) into an operation's personnel register.
struct ImportPeople: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "Import an HR or surge roster (CSV) into an operation's personnel register.",
        discussion: """
            Columns are found by name (Full name or First and Last name, Category, Function, Organisation, Mobile, Satellite phone,
            Radio call sign, E-mail, Staff ID, Arrival, Planned departure, …) or HXL hashtag (#contact+name, #contact+phone,
            #contact+email). A second import updates the same people, matched by staff id, then e-mail, and never duplicates them.
            Passport and ID numbers, dates of birth and proof-of-life questions are never imported. Prints how many were added,
            updated and unchanged, and every line not imported with its reason.
            Example: bearing import people roster.csv --operation SDN-2026 --as security@example.org
            """)
    @ArgumentParser.Argument(help: "The CSV file.") var file: String
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(
        name: .customLong("as"),
        help: "Import as this account (e-mail), who must keep the register; recorded as the author.")
    var account: String?

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: file) else {
            print("\(file): cannot be read. Nothing was imported.")
            throw ExitCode(1)
        }
        let name = URL(fileURLWithPath: file).lastPathComponent
        let lines: [String]
        do {
            lines = try await withApplication { app in
                let (op, scope) = try await personnelScope(operation: operation, account: account, on: app)
                guard scope.reachesEveryone else {
                    throw ValidationError("\(account ?? "") does not keep the personnel register of \(operation).")
                }
                return try await PeopleImportService(database: app.db).importFile(
                    try CSVRows(url: URL(fileURLWithPath: file)), named: name, scope: scope, operation: op,
                    now: app.wallClock.now()
                ).lines
            }
        } catch let error as PeopleImportError {
            print(error.message)
            throw ExitCode(1)
        }
        print(lines.first ?? "")
        lines.dropFirst().forEach { print("  " + $0) }
    }
}

/// `bearing export people`: the register as CSV (a roster an import reads back) or vCard.
struct ExportPeople: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "Write an operation's personnel register to standard output as CSV or vCard 3.0.",
        discussion: """
            The export is recorded in the audit trail (who exported whom, and when). Personal data: keep the file safe.
            Example: bearing export people --operation SDN-2026 --format vcf > team.vcf
            """)
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, vcf }
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(help: "csv or vcf.") var format: Format = .csv
    @ArgumentParser.Option(name: .customLong("as"), help: "Export as this account (e-mail): what it reaches.")
    var account: String?

    func run() async throws {
        let text = try await withApplication { app in
            let (op, scope) = try await personnelScope(operation: operation, account: account, on: app)
            let store = PersonStore(app.db)
            let people = try await store.all(in: scope)
            let sites = Dictionary(
                try await SiteStore(app.db).all(in: AccessPolicy.unnamedOperatorScope(in: op.id)).map {
                    ($0.id, $0.name)
                },
                uniquingKeysWith: { a, _ in a })
            try await store.recordView(
                of: people.map(\.id), what: "export_" + format.rawValue, scope: scope, now: app.wallClock.now())
            let rows = people.map {
                PersonExport.Row(
                    draft: $0.draft, residence: $0.draft.residenceSiteID.flatMap { sites[$0] },
                    assemblyPoint: $0.draft.assemblyPointSiteID.flatMap { sites[$0] },
                    place: $0.location.map { location -> String in
                        if case .site(let id) = location.place, let name = sites[id] { return name }
                        return location.areaPcode ?? ""
                    }, confirmedAt: $0.location?.confirmedAt)
            }
            return format == .csv ? PersonExport.csv(rows) : PersonExport.vcard(rows)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// `bearing headcount`: where everyone is, by phase, area and site, and who must be called.
struct HeadcountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "headcount",
        abstract:
            "Print an operation's headcount: people present by security phase, area and site; the stale and the never located.",
        discussion: "Example: bearing headcount --operation SDN-2026")
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(name: .customLong("as"), help: "As this account (e-mail), who must keep the register.")
    var account: String?

    func run() async throws {
        let lines = try await withApplication { app in
            let (op, scope) = try await personnelScope(operation: operation, account: account, on: app)
            guard scope.reachesEveryone else {
                throw ValidationError("\(account ?? "") does not keep the personnel register of \(operation).")
            }
            let now = app.wallClock.now()
            let store = PersonStore(app.db)
            let people = try await store.all(in: scope)
            let settings = try await SettingsStore(app.db).load(DutyOfCareSettings.self, operationID: op.id)
            let areas = try await AreaStore(app.db).shapes(operationID: op.id)
            let hierarchy = AreaHierarchy(areas.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) })
            let names = Dictionary(areas.map { ($0.row.pcode, $0.row.name) }, uniquingKeysWith: { a, _ in a })
            let phases = try await PhaseStore(app.db).inForce(in: op.id).mapValues(\.to)
            let sites = Dictionary(
                try await SiteStore(app.db).all(in: AccessPolicy.unnamedOperatorScope(in: op.id)).map {
                    ($0.id.uuidString, $0.name)
                }, uniquingKeysWith: { a, _ in a })
            let count = Headcount(
                present: people, now: now, staleAfterHours: settings.staleAfterHours,
                phase: { hierarchy.nearest($0, in: phases) })
            try await store.recordView(
                of: (count.stale + count.unknown).map(\.personID), what: "headcount", scope: scope, now: now)
            func table(_ title: String, _ groups: [Headcount.Group], _ label: (String) -> String) -> [String] {
                ["", title]
                    + groups.map { "  \(label($0.key)): \($0.total)" + ($0.stale > 0 ? " (\($0.stale) stale)" : "") }
            }
            var out = [
                "\(op.code): \(count.total) present, \(count.stale.count) stale, \(count.unknown.count) never located."
            ]
            out += table("By phase", count.byPhase) { $0.isEmpty ? "no phase" : $0 }
            out += table("By area", count.byArea) { $0.isEmpty ? "no area" : "\(names[$0] ?? $0) (\($0))" }
            out += table("By site", count.bySite) { $0.isEmpty ? "no site" : sites[$0] ?? $0 }
            out +=
                ["", "Stale (call them):"]
                + count.stale.map { "  \($0.name), last \(DateText.minute($0.confirmedAt!)) UTC" }
            out += ["", "Never located:"] + count.unknown.map { "  \($0.name)" }
            return out
        }
        lines.forEach { print($0) }
    }
}
