import ArgumentParser
import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage accounts.",
        subcommands: [Create.self, List.self, Disable.self, ResetPassword.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account.",
            discussion:
                "Example: bearing users create --email amina@example.org --name 'Amina Yusuf' --admin (the password is read from BEARING_PASSWORD or asked for)"
        )
        @ArgumentParser.Option(help: "E-mail address (the sign-in name).") var email: String
        @ArgumentParser.Option(help: "Display name.") var name: String
        @ArgumentParser.Flag(help: "Make the account a system administrator.") var admin = false

        func run() async throws {
            let password = try readPassword()
            if let problem = UserService.problem(email: email, name: name, password: password) {
                throw ValidationError(problem.description)
            }
            try await withApplication { app in
                let hash = try await app.password.async.hash(password)
                let user = try await UserStore(app.db).create(
                    email: email, displayName: name, passwordHash: hash, isAdmin: admin, actorID: nil,
                    now: app.wallClock.now())
                print("Created \(user.email)\(admin ? " (system administrator)" : "").")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List accounts.", discussion: "Example: bearing users list")
        func run() async throws {
            try await withApplication { app in
                for user in try await UserStore(app.db).list().items {
                    print(
                        [
                            user.email, user.displayName, user.isAdmin ? "admin" : "-",
                            user.isDisabled ? "disabled" : "active",
                        ].joined(separator: "\t"))
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account and end its sessions.",
            discussion: "Example: bearing users disable --email amina@example.org")
        @ArgumentParser.Option(help: "E-mail address.") var email: String
        @ArgumentParser.Flag(help: "Enable the account again instead.") var enable = false
        func run() async throws {
            try await withApplication { app in
                guard let user = try await UserStore(app.db).find(email: email) else {
                    throw ValidationError("No account with e-mail \(email).")
                }
                try await UserStore(app.db).setDisabled(user.id, !enable, actorID: nil, now: app.wallClock.now())
                print("\(user.email) is now \(enable ? "enabled" : "disabled").")
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a new password and end the account's sessions and API tokens.",
            discussion:
                "Example: BEARING_PASSWORD='a long new secret' bearing users reset-password --email amina@example.org")
        @ArgumentParser.Option(help: "E-mail address.") var email: String
        func run() async throws {
            let password = try readPassword()
            if password.count < UserService.minimumPasswordLength {
                throw ValidationError("password: at least \(UserService.minimumPasswordLength) characters")
            }
            try await withApplication { app in
                guard let user = try await UserStore(app.db).find(email: email) else {
                    throw ValidationError("No account with e-mail \(email).")
                }
                try await UserStore(app.db).setPasswordHash(
                    user.id, try await app.password.async.hash(password), actorID: nil, now: app.wallClock.now())
                print("The password of \(user.email) was reset; its sessions and API tokens were ended.")
            }
        }
    }
}

/// The password from BEARING_PASSWORD, or asked for on the terminal without echo.
func readPassword() throws -> String {
    if let password = ProcessInfo.processInfo.environment["BEARING_PASSWORD"], !password.isEmpty { return password }
    guard let raw = getpass("Password: ") else { throw ValidationError("No password given (set BEARING_PASSWORD).") }
    return String(cString: raw)
}

struct OperationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operations", abstract: "Manage operations.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an operation.",
            discussion:
                "Example: bearing operations create --code SDN-2026 --name 'Sudan Complex Emergency' --countries SDN,TCD"
        )
        @ArgumentParser.Option(help: "Short code, e.g. SDN-2026.") var code: String
        @ArgumentParser.Option(help: "Name.") var name: String
        @ArgumentParser.Option(help: "ISO 3166 alpha-3 country codes, comma-separated.") var countries: String
        @ArgumentParser.Option(
            help: "Emergency type: \(EmergencyType.allCases.map(\.rawValue).joined(separator: ", ")).") var type =
            EmergencyType.complexEmergency.rawValue
        @ArgumentParser.Option(help: "GLIDE number, e.g. CE-2023-000076-SDN.") var glide: String?
        @ArgumentParser.Option(help: "IFRC appeal code, e.g. MDRSD033.") var appeal: String?
        @ArgumentParser.Option(help: "E-mail of the Head of Emergency Operations.") var heops: String?
        @ArgumentParser.Option(
            name: .customLong("time-zone"), help: "The operation's time zone, an IANA name such as Africa/Khartoum.")
        var timeZone = "UTC"

        func run() async throws {
            guard let emergency = EmergencyType(rawValue: type) else {
                throw ValidationError("Unknown emergency type '\(type)'.")
            }
            let draft: OperationDraft
            do {
                draft = try OperationDraft(
                    code: code, name: name, countries: OperationDraft.parseCountries(countries),
                    emergencyType: emergency,
                    glideNumber: glide, appealCode: appeal, timeZone: timeZone
                ).validated()
            } catch { throw ValidationError(error.description) }
            try await withApplication { app in
                var heopsID: UserID?
                if let heops {
                    guard let user = try await UserStore(app.db).find(email: heops) else {
                        throw ValidationError("No account with e-mail \(heops).")
                    }
                    heopsID = user.id
                }
                let operation = try await OperationStore(app.db).create(
                    draft, heopsUserID: heopsID, actorID: nil, now: app.wallClock.now())
                print("Created operation \(operation.code): \(operation.name) (\(operation.countries)).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List operations.", discussion: "Example: bearing operations list")
        func run() async throws {
            try await withApplication { app in
                for operation in try await OperationStore(app.db).list(.all) {
                    print(
                        [operation.code, operation.name, operation.countries, operation.emergencyType].joined(
                            separator: "\t"))
                }
            }
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import data.",
        subcommands: [
            Boundaries.self, Incidents.self, ImportPopulation.self, ImportFlows.self, ImportPeople.self,
            ImportServices.self,
            ImportAssessments.self, ImportStakeholders.self,
        ])

    /// Published incidents as context events of an operation (AWSD, SiND, ACLED, generic HXL).
    struct Incidents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import published incidents (AWSD CSV, SiND JSON, ACLED CSV, HXL CSV) as context events, reconciled with the last import.",
            discussion: """
                Prints how many records were added, updated, unchanged and rejected, with a reason for every rejected row.
                Only events in the operation's countries are kept unless --all-countries is given.
                An HXL file is imported as the source named after the file (or --source-name).
                Example: bearing import incidents --format awsd awsd_2025-08_hxl.csv --operation SDN-2026
                """)
        @ArgumentParser.Argument(help: "The export file.") var file: String
        @ArgumentParser.Option(help: "awsd, sind, acled or hxl.") var format: ContextImportService.Format
        @ArgumentParser.Option(help: "Operation code.") var operation: String
        @ArgumentParser.Option(help: "The source name of an HXL import (default: the file's name).") var sourceName:
            String?
        @ArgumentParser.Flag(help: "Keep events in every country, not only the operation's.") var allCountries = false

        func run() async throws {
            try await importAndReport(file, operation: operation) { app, op in
                try await ContextImportService(database: app.db, areaShapes: app.areaShapes).importFile(
                    URL(fileURLWithPath: file), format: format, sourceName: sourceName, into: op,
                    allCountries: allCountries,
                    actorID: nil, now: app.wallClock.now()
                ).lines
            }
        }
    }

    struct Boundaries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import OCHA COD-AB admin boundaries (GeoJSON) and print the validation report.",
            discussion:
                "Example: bearing import boundaries sdn_admin1.geojson --operation SDN-2026 (the level is detected from adm<N>_pcode when --level is not given)"
        )
        @ArgumentParser.Argument(help: "A GeoJSON file in WGS 84.") var file: String
        @ArgumentParser.Option(help: "Operation code.") var operation: String
        @ArgumentParser.Option(help: "Admin level 0–4 (detected when omitted).") var level: Int?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("Cannot read \(file).")
            }
            let ok = try await withApplication { app in
                guard let op = try await OperationStore(app.db).find(code: operation) else {
                    throw ValidationError("No operation with code \(operation).")
                }
                do {
                    let outcome = try await BoundaryImportService(database: app.db).importFile(
                        data, level: level, into: op, actorID: nil,
                        // The unnamed operator sees what the other commands without --as see.
                        viewer: AccessPolicy.unnamedOperatorScope(in: op.id),
                        maxBytes: app.bearingConfig.maxUploadBytes, now: app.wallClock.now())
                    print("\(file):")
                    BoundaryImportService.lines(for: outcome).forEach { print($0) }
                    return outcome.imported
                } catch let error as DomainError {
                    print("\(file): \(error.message)")
                    return false
                }
            }
            if !ok { throw ExitCode(1) }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the audit log.", subcommands: [Verify.self, Checkpoint.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Verify the hash chain of the audit log and report the first broken link; against kept checkpoints, find entries removed or rewritten.",
            discussion: "Example: bearing audit verify --checkpoints /secure/bearing-checkpoints.txt")
        @ArgumentParser.Option(
            help: "A file of checkpoints kept outside the database (lines written by `bearing audit checkpoint`).")
        var checkpoints: String?
        func run() async throws {
            var kept: [AuditCheckpoint] = []
            if let checkpoints {
                guard let text = try? String(contentsOfFile: checkpoints, encoding: .utf8) else {
                    throw ValidationError("Cannot read \(checkpoints).")
                }
                do { kept = try AuditCheckpoint.parse(text) } catch {
                    throw ValidationError("\(checkpoints): \(error.message)")
                }
                if kept.isEmpty { throw ValidationError("\(checkpoints) holds no checkpoint.") }
            }
            let broken = try await withApplication { app in
                let store = AuditStore(app.db)
                let (checked, firstBreak) = try await store.verify()
                if let firstBreak {
                    print("BROKEN after \(checked) good entries: \(firstBreak.description)")
                    return true
                }
                let disagreements = try await store.disagreements(with: kept)
                for problem in disagreements { print("BROKEN: \(problem)") }
                if !disagreements.isEmpty { return true }
                print(
                    "OK: \(checked) entries, chain intact"
                        + (kept.isEmpty
                            ? "."
                            : "; it agrees with \(kept.count) checkpoint(s), the latest at entry \(kept.map(\.sequence).max() ?? 0).")
                )
                return false
            }
            if broken { throw ExitCode(1) }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print the audit log's newest entry and hash, to keep outside the database (and append it to a file).",
            discussion:
                "Keep the line where whoever can write the database cannot: a file on another machine, a printed page, a message to yourself. Example: bearing audit checkpoint --append /secure/bearing-checkpoints.txt"
        )
        @ArgumentParser.Option(help: "Also append the line to this file.") var append: String?
        func run() async throws {
            let checkpoint = try await withApplication { app in
                try await AuditStore(app.db).checkpoint(now: app.wallClock.now())
            }
            guard let checkpoint else {
                throw ValidationError("The audit log is empty: there is nothing to checkpoint yet.")
            }
            print(checkpoint.line)
            if let append {
                let url = URL(fileURLWithPath: append)
                if !FileManager.default.fileExists(atPath: append) {
                    FileManager.default.createFile(atPath: append, contents: nil)
                }
                guard let handle = try? FileHandle(forWritingTo: url) else {
                    throw ValidationError("Cannot write \(append).")
                }
                defer { try? handle.close() }
                try handle.seekToEnd()
                try handle.write(contentsOf: Data((checkpoint.line + "\n").utf8))
            }
        }
    }
}

extension ContextImportService.Format: ExpressibleByArgument {}

struct MaintenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance", abstract: "Repair derived data.", subcommands: [RebuildFlowSummaries.self])

    struct RebuildFlowSummaries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebuild-flow-summaries",
            abstract: "Sum every flow tally again into the per-day summaries the flow analysis reads.",
            discussion:
                "Bearing keeps them up to date itself; run this after tallies were changed outside Bearing (SQL, a repair). Example: bearing maintenance rebuild-flow-summaries"
        )
        func run() async throws {
            let started = ContinuousClock.now
            try await withApplication { app in try await FlowStore(app.db).rebuildSummaries() }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("Flow summaries rebuilt in \(DecimalText.fixed(seconds, digits: 1)) s.")
        }
    }
}
