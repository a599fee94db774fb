import ArgumentParser
import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// `bearing briefs generate`: a document from the command line, as the operation sees it (every
/// IFRC-readable record, never a restricted one), optionally issued, and written as Word and PDF.
/// For a cron job without the scheduler, and for the benchmarks, which read its timings.
struct BriefsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "briefs", abstract: "The HeOps's documents.", subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Generate a weekly brief, a sitrep, a migration update or a handover pack from live data.",
            discussion: """
                The period defaults to the days since the last issued document of the kind, up to today (the
                operation's calendar). Without --issue the document is kept as a draft. Timings go to stderr.
                Example: bearing briefs generate --operation SDN-DEMO --kind weekly --issue --docx brief.docx
                """)

        @ArgumentParser.Option(help: "The operation's code.") var operation: String
        @ArgumentParser.Option(help: "weekly, security_sitrep, migration_update or handover.") var kind = "weekly"
        @ArgumentParser.Option(help: "First day (YYYY-MM-DD).") var first: String?
        @ArgumentParser.Option(help: "Last day (YYYY-MM-DD).") var last: String?
        @ArgumentParser.Option(help: "en, fr, es or ar.") var language = "en"
        @ArgumentParser.Flag(help: "Issue it (frozen) at --audience.") var issue = false
        @ArgumentParser.Option(help: "public, movement, ifrc_ns or ifrc.") var audience = "ifrc"
        @ArgumentParser.Option(help: "Write the Word file here (needs --issue).") var docx: String?
        @ArgumentParser.Option(help: "Write the PDF here (needs --issue and Chromium).") var pdf: String?

        func run() async throws {
            try await withApplication { app in
                guard let operation = try await OperationStore(app.db).find(code: operation) else {
                    throw ValidationError("No operation with the code \(self.operation).")
                }
                guard let kind = BriefKind(rawValue: kind) else {
                    throw ValidationError(
                        "--kind is one of " + BriefKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                guard let language = ProductLanguage(rawValue: language) else {
                    throw ValidationError("--language is one of en, fr, es, ar")
                }
                guard let audience = AudienceLevel(rawValue: audience), audience != .restricted else {
                    throw ValidationError("--audience is one of public, movement, ifrc_ns, ifrc")
                }
                if (docx != nil || pdf != nil) && !issue { throw ValidationError("--docx and --pdf need --issue.") }
                let now = app.wallClock.now()
                let today = operation.time.calendarDay(now)
                var period = ReportPeriod.following(
                    lastEnded: try await BriefStore(app.db).lastIssuedDay(kind, in: operation.id), today: today)
                if first != nil || last != nil {
                    period = try ReportPeriod.read(
                        first: first ?? DateText.day(period.first), last: last ?? DateText.day(period.last))
                }
                let scope = AccessPolicy.scheduleScope(in: operation.id)
                let lens = AccessPolicy.operatorBriefLens()
                let generator = BriefGenerator(
                    app: app, operation: operation, period: period, language: language, now: now)
                var clock = ContinuousClock.now
                func lap(_ what: String) {
                    let elapsed = ContinuousClock.now - clock
                    let ms = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
                    FileHandle.standardError.write(Data("\(what): \(DecimalText.fixed(ms, digits: 0)) ms\n".utf8))
                    clock = ContinuousClock.now
                }
                let content = try await generator.content(kind, lens: lens)
                lap("generate")
                let draft = BriefDraft(kind: kind, period: period, language: language)
                var record = try await BriefStore(app.db).create(draft, scope: scope, actorID: nil, now: now)
                guard issue else {
                    print(
                        "Draft \(kind.rawValue) \(record.number) for \(DateText.day(period.first)) – \(DateText.day(period.last)): \(content.sections.count) sections."
                    )
                    return
                }
                let floored = try await generator.withFloors(content, lens: lens)
                lap("audience floors")
                record = try await BriefStore(app.db).issue(
                    record.id, content: floored, audience: audience, confirmedWider: false, scope: scope, actorID: nil,
                    now: now)
                print(
                    "Issued \(kind.rawValue) \(record.number) at \(audience.rawValue) for \(DateText.day(period.first)) – \(DateText.day(period.last)): \(floored.sections.count) sections."
                )
                let t = Strings(app.catalog, language: language.rawValue, clock: operation.time)
                let document = BriefDocument(record, content: floored, issuedBy: nil, strings: t)
                if let docx {
                    let bytes = try BriefFiles.word(document, operation: operation, t: t).data(created: now)
                    try bytes.write(to: URL(fileURLWithPath: docx))
                    lap("Word (\(bytes.count) bytes)")
                }
                if let pdf {
                    guard let chromium = BriefPDF.chromium() else {
                        throw ValidationError("\(BriefPDF.Failure.noChromium)")
                    }
                    let bytes = try await BriefPDF.make(
                        document, operationName: operation.name, printedAt: now, chromium: chromium)
                    try bytes.write(to: URL(fileURLWithPath: pdf))
                    lap("PDF (\(bytes.count) bytes)")
                }
            }
        }
    }
}
