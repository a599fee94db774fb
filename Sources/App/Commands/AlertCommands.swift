import ArgumentParser
import Domain
import Foundation
import Persistence
import Vapor

/// `bearing alerts …`: alerts from scripts.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Send alerts from scripts.", subcommands: [SendAlert.self])
}

/// `bearing alerts send`: an alert to the people chosen, through the same decoder and audience
/// rules as the page and the API. The worker (`serve` or `bearing jobs work`) delivers it.
struct SendAlert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send an alert to people of an operation's register.",
        discussion: """
            Filters narrow one another (an area and a role: that role in that area); --person adds people by their id.
            Example: bearing alerts send --operation SDN-2026 --as security@example.org --title "Curfew from 18:00" \\
              --text "Stay at your residence." --area SD01 --severity severe --category security --channel email --channel sms
            """)
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(name: .customLong("as"), help: "As this account (e-mail), who must keep the register.")
    var account: String?
    @ArgumentParser.Option(help: "Title.") var title: String
    @ArgumentParser.Option(help: "Text.") var text = ""
    @ArgumentParser.Option(help: "Language of --title and --text: en, fr, es or ar.") var language = "en"
    @ArgumentParser.Option(help: "Another language, as LANG|title|text (repeatable).") var translation: [String] = []
    @ArgumentParser.Option(help: "minor, moderate, severe or extreme.") var severity = "moderate"
    @ArgumentParser.Option(help: "security, safety, health, weather, movement or other.") var category = "security"
    @ArgumentParser.Flag(help: "Everyone present in the register (the other filters narrow it).") var everyone = false
    @ArgumentParser.Option(help: "Admin area P-code (repeatable).") var area: [String] = []
    @ArgumentParser.Option(help: "Site id (repeatable).") var site: [String] = []
    @ArgumentParser.Option(help: "Security phase in force where people are (repeatable).") var phase: [String] = []
    @ArgumentParser.Option(help: "Role of their account (repeatable).") var role: [String] = []
    @ArgumentParser.Option(help: "Person id (repeatable).") var person: [String] = []
    @ArgumentParser.Option(help: "Centre of a circle, as latitude,longitude.") var near: String?
    @ArgumentParser.Option(help: "Radius of the circle in km.") var radiusKm: String?
    @ArgumentParser.Option(help: "email or sms (repeatable; default email).") var channel: [String] = []

    func run() async throws {
        var input = AlertInput()
        input.severity = severity
        input.category = category
        input.texts = [.init(language: language, title: title, body: text)]
        for t in translation {
            let parts = t.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2 else { throw ValidationError("--translation is LANG|title|text (got \(t)).") }
            input.texts.append(.init(language: parts[0], title: parts[1], body: parts.count > 2 ? parts[2] : ""))
        }
        input.areas = area
        input.everyone = everyone ? "yes" : ""
        input.sites = site
        input.phases = phase
        input.roles = role
        input.people = person
        if let near {
            let parts = near.split(separator: ",").map(String.init)
            input.latitude = parts.first ?? ""
            input.longitude = parts.count > 1 ? parts[1] : ""
        }
        input.radiusKm = radiusKm ?? ""
        input.channels = channel.isEmpty ? ["email"] : channel
        let line = try await withApplication { app in
            let (op, scope) = try await personnelScope(operation: operation, account: account, on: app)
            let now = app.wallClock.now()
            do {
                let phases = try await SettingsStore(app.db).load(PhaseSettings.self, operationID: op.id).rules.phases
                let draft = try input.decoded(phases: phases)
                let recipients = try await AlertAudienceService(database: app.db).recipients(
                    of: draft, operationID: op.id, people: scope,
                    sites: AccessPolicy.unnamedOperatorScope(in: op.id), now: now)
                let alert = try await AlertStore(app.db).create(draft, recipients: recipients, scope: scope, now: now)
                let counts = try await AlertStore(app.db).counts(of: [alert.id], in: scope)[alert.id] ?? AlertCounts()
                let queued = AlertChannel.allCases.map { counts.count($0, .queued) }.reduce(0, +)
                let unreachable = AlertChannel.allCases.map { counts.count($0, .failed) }.reduce(0, +)
                return
                    "Alert #\(alert.number) to \(counts.recipients) people: \(queued) message(s) queued, \(unreachable) with no address."
            } catch let errors as ValidationErrors {
                throw ValidationError(
                    errors.errors.map { "\($0.field ?? "alert"): \($0.message)" }.joined(separator: "\n"))
            } catch let error as DomainError {
                throw ValidationError("\(error.field ?? "alert"): \(error.message)")
            }
        }
        print(line)
    }
}

/// `bearing jobs …`: the durable jobs.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "Run a job worker, or list pending and failed jobs.",
        subcommands: [WorkJobs.self, ListJobs.self])
}

/// `bearing jobs work`: a worker alone, beside or instead of the servers' own.
struct WorkJobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work", abstract: "Run a job worker until stopped (or, with --once, until nothing is due).",
        discussion: "Example: DATABASE_URL=postgres://bearing@db/bearing bearing jobs work")
    @ArgumentParser.Flag(help: "Stop when no job is due.") var once = false

    func run() async throws {
        try await withApplication { app in
            let worker = JobWorker(app: app)
            if once {
                while try await worker.runOnce() > 0 {}
                return
            }
            let task = Task { await worker.run() }
            // Stop cleanly on SIGINT and SIGTERM; a job in hand is finished or left to its lease.
            let signals = [SIGINT, SIGTERM].map { sig -> any DispatchSourceSignal in
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig)
                source.setEventHandler { task.cancel() }
                source.resume()
                return source
            }
            print("Worker \(worker.name) running (lease \(Int(app.bearingConfig.jobLease)) s).")
            await task.value
            signals.forEach { $0.cancel() }
        }
    }
}

/// `bearing jobs list`: what is pending and what failed, with the reason.
struct ListJobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List pending, running and failed jobs with their last error.",
        discussion: "Example: bearing jobs list --state failed")
    @ArgumentParser.Option(help: "pending, running, done or failed (repeatable; default pending, running, failed).")
    var state: [String] = []

    func run() async throws {
        let states = try Set(
            (state.isEmpty ? ["pending", "running", "failed"] : state).map {
                guard let s = JobState(rawValue: $0) else { throw ValidationError("\($0) is not a job state.") }
                return s
            })
        let (jobs, counts) = try await withApplication { app in
            (try await JobStore(app.db).list(states: states), try await JobStore(app.db).counts())
        }
        for (kind, byState) in counts.sorted(by: { $0.key < $1.key }) {
            print(
                "\(kind): "
                    + JobState.allCases.map { "\(byState[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
        }
        for job in jobs {
            print(
                "\(job.state.rawValue)\t\(job.kind)\t\(DateText.minute(job.runAt))\tattempt \(job.attempts)/\(job.maxAttempts)\t\(job.idempotencyKey)"
                    + (job.lastError.map { "\t\($0)" } ?? ""))
        }
    }
}
