import ArgumentParser
import Domain
import Foundation
import Interop
import Persistence
import Vapor

/// Choices shared by `bearing stats incidents` and `bearing export incidents`.
struct IncidentSelection: ParsableArguments {
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(
        help: "own, awsd, sind, acled, or an HXL import's name; repeat for several (default: all sources).")
    var source: [String] = []
    @ArgumentParser.Option(help: "First day, YYYY-MM-DD (inclusive).") var from: String?
    @ArgumentParser.Option(help: "Last day, YYYY-MM-DD (inclusive).") var to: String?
    @ArgumentParser.Option(
        name: .customLong("as"),
        help:
            "Read as this account (e-mail): its role decides which own incidents are included. Without it, restricted incidents are left out."
    )
    var account: String?

    func filter() throws -> IncidentFilter {
        func day(_ text: String?, option: String) throws -> Date? {
            guard let text else { return nil }
            guard let date = DateText.day(text) else {
                throw ValidationError("--\(option) \(text) is not a date (YYYY-MM-DD).")
            }
            return date
        }
        return IncidentFilter(
            from: try day(from, option: "from"), to: try day(to, option: "to").map { $0.addingTimeInterval(86_400) },
            sources: source.isEmpty ? nil : Set(source))
    }

    /// The operation and the scope its incidents are read through.
    func resolve(on app: Application) async throws -> (OperationRecord, Scope) {
        try await Self.resolve(operation: operation, account: account, on: app)
    }

    /// The operation and the scope `account` (none: what every member may see) reads it through.
    static func resolve(operation: String, account: String?, on app: Application) async throws -> (
        OperationRecord, Scope
    ) {
        guard let op = try await OperationStore(app.db).find(code: operation) else {
            throw ValidationError("No operation with code \(operation).")
        }
        guard let account else { return (op, AccessPolicy.unnamedOperatorScope(in: op.id)) }
        let users = UserStore(app.db)
        guard let user = try await users.find(email: account) else {
            throw ValidationError("No account with e-mail \(account).")
        }
        guard let scope = AccessPolicy.scope(in: op.id, for: try await users.viewer(for: user)) else {
            throw ValidationError("\(account) is not a member of \(operation).")
        }
        return (op, scope)
    }
}

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Print statistics.", subcommands: [Incidents.self, StatsPopulation.self])

    struct Incidents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Incidents and people killed, injured, kidnapped and detained, by year, month or country and year.",
            discussion: """
                One row per group: year (or month, or country_iso3,year), incidents, killed, injured, kidnapped, detained, affected.
                Context events marked missing by a later import, and ACLED's strategic developments, are not counted; events whose
                date is coarser than the grouping are reported on standard error. ACLED's fatalities count as killed.
                Example: bearing stats incidents --operation AFG-2026 --source awsd --by country,year --format csv
                """)
        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

        @OptionGroup var selection: IncidentSelection
        @ArgumentParser.Option(help: "year, month or country,year.") var by: IncidentAnalysisStore.Grouping = .year
        @ArgumentParser.Option(help: "csv or json.") var format: Format = .csv

        func run() async throws {
            let filter = try selection.filter()
            let stats = try await withApplication { app in
                let (op, scope) = try await selection.resolve(on: app)
                return try await IncidentAnalysisStore(app.db).stats(
                    in: scope, filter: filter, by: by, defaultCountry: op.countryCodes.first)
            }
            let names = by.keyColumns + ["incidents", "killed", "injured", "kidnapped", "detained", "affected"]
            func numbers(_ t: IncidentAnalysisStore.Totals) -> [Int] {
                [t.incidents, t.killed, t.injured, t.kidnapped, t.detained, t.affected]
            }
            switch format {
            case .csv:
                print(names.joined(separator: ","))
                for row in stats.rows { print((row.key + numbers(row.totals).map(String.init)).joined(separator: ",")) }
            case .json:
                let objects = stats.rows.map { row -> String in
                    let keys = zip(by.keyColumns, row.key).map { "\(JSONText.quoted($0)):\(JSONText.quoted($1))" }
                    let values = zip(names.dropFirst(by.keyColumns.count), numbers(row.totals)).map {
                        "\"\($0)\":\($1)"
                    }
                    return "{" + (keys + values).joined(separator: ",") + "}"
                }
                print("[" + objects.joined(separator: ",\n") + "]")
            }
            if stats.leftOut > 0 {
                FileHandle.standardError.write(
                    Data(
                        "\(stats.leftOut) context event(s) not counted: their date is coarser than a \(by.period.rawValue), or their source says not to count them in trends.\n"
                            .utf8))
            }
        }
    }
}

extension IncidentAnalysisStore.Grouping: ExpressibleByArgument {}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export data.",
        subcommands: [
            Incidents.self, ExportPopulation.self, ExportFlows.self, ExportPeople.self, ExportServices.self,
            ExportActivities.self, ExportStakeholders.self,
        ])

    struct Incidents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stream own incidents and context events to standard output as CSV, HXL-tagged CSV or GeoJSON.",
            discussion: """
                Free text that a spreadsheet would run as a formula is prefixed with an apostrophe. Reporters are never exported.
                Example: bearing export incidents --operation SDN-2026 --source own --format hxl --round-coordinates 2 > incidents.csv
                """)
        @OptionGroup var selection: IncidentSelection
        @ArgumentParser.Option(help: "csv, hxl or geojson.") var format: IncidentExchange.Format
        @ArgumentParser.Option(help: "Decimals kept in coordinates, 0–6 (2 is about 1 km).") var roundCoordinates = 6

        func validate() throws {
            guard (0...6).contains(roundCoordinates) else {
                throw ValidationError("--round-coordinates takes 0 to 6 decimals.")
            }
        }

        func run() async throws {
            let filter = try selection.filter()
            let out = FileHandle.standardOutput
            var writer = IncidentExchange.Writer(format: format, rounding: .init(decimals: roundCoordinates))
            try await withApplication { app in
                let (op, scope) = try await selection.resolve(on: app)
                out.write(Data(writer.begin().utf8))
                try await IncidentExchangeStore(app.db).records(
                    in: scope, filter: filter, defaultCountry: op.countryCodes.first
                ) { batch in
                    out.write(Data(writer.write(batch).utf8))
                }
                out.write(Data(writer.end().utf8))
            }
        }
    }
}

extension IncidentExchange.Format: ExpressibleByArgument {}

struct AnalyseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyse", abstract: "Analyse data.", subcommands: [Incidents.self, Flows.self])

    struct Incidents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "The incident analysis as JSON: counts by week or month, area × category, change against the period before, casualties, early warning.",
            discussion: """
                The same figures as the analysis page and GET /api/v1/operations/{code}/incidents/analysis, with the same choices.
                Without --from and --to, the last twelve months.
                Example: bearing analyse incidents --operation SDN-2026 --category violence --period week --as amina@example.org
                """)
        @OptionGroup var selection: IncidentSelection
        @ArgumentParser.Option(help: "week or month (default: week for up to 120 days, else month).") var period:
            AnalysisPeriods.Unit?
        @ArgumentParser.Option(help: "An IFRC incident category; repeat for several.") var category:
            [IncidentCategory] = []
        @ArgumentParser.Option(help: "An actor type; repeat for several.") var actor: [ActorType] = []
        @ArgumentParser.Option(help: "A severity (own incidents only); repeat for several.") var severity:
            [IncidentSeverity] = []
        @ArgumentParser.Option(help: "An admin area's P-code: that area and the areas inside it.") var area: String?
        @ArgumentParser.Option(help: "The admin level areas are rolled up to (default 1).") var level: Int?

        func run() async throws {
            var items: [(String, String)] = []
            if let from = selection.from { items.append(("from", from)) }
            if let to = selection.to { items.append(("to", to)) }
            items +=
                selection.source.map { ("source", $0) } + category.map { ("category", $0.rawValue) }
                + actor.map { ("actor", $0.rawValue) } + severity.map { ("severity", $0.rawValue) }
            if let period { items.append(("period", period.rawValue)) }
            if let area { items.append(("area", area)) }
            if let level { items.append(("level", String(level))) }
            let queryString = items.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }.joined(separator: "&")
            let report = try await withApplication { app in
                // The period defaults to the one ending now, by the application's clock.
                let query: IncidentQuery
                do { query = try IncidentQuery.parse(queryString, now: app.wallClock.now()) } catch let error
                    as ValidationErrors
                {
                    throw ValidationError(error.errors.map(\.message).joined(separator: " "))
                }
                let (op, scope) = try await selection.resolve(on: app)
                return try await IncidentAnalysisService(database: app.db, areaShapes: app.areaShapes).analyse(
                    query, operation: op, scope: scope, now: app.wallClock.now())
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.keyEncodingStrategy = .convertToSnakeCase  // the API's JSON, key for key
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }
}

extension AnalyseCommand {
    struct Flows: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "The flow analysis as JSON: people per day or week and direction, 7-day average, change, points, origin → destination, sex × age, vulnerabilities, the flow map's links.",
            discussion: """
                The same figures as the flow analysis page and GET /api/v1/operations/{code}/flows/analysis, with the same choices.
                Without --from and --to, the thirty days up to today.
                Example: bearing analyse flows --operation SDN-2026 --from 2026-10-01 --to 2026-10-31 --period week --as amina@example.org
                """)
        @ArgumentParser.Option(help: "Operation code.") var operation: String
        @ArgumentParser.Option(help: "First day, YYYY-MM-DD (inclusive).") var from: String?
        @ArgumentParser.Option(help: "Last day, YYYY-MM-DD (inclusive).") var to: String?
        @ArgumentParser.Option(help: "day or week.") var period: String?
        @ArgumentParser.Option(help: "Only this flow-monitoring point (its id).") var point: String?
        @ArgumentParser.Option(
            name: .customLong("as"),
            help:
                "Read as this account (e-mail): its role decides which points' tallies are included. Without it, what a staff member sees, never a restricted point."
        )
        var account: String?

        func run() async throws {
            let items = [("from", from), ("to", to), ("period", period), ("point", point)].compactMap { key, value in
                value.map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            }
            let (operation, account) = (self.operation, self.account)
            let report = try await withApplication { app in
                let query: FlowQuery
                do {
                    query = try FlowQuery.parse(items.joined(separator: "&"), now: app.wallClock.now())
                } catch let error as ValidationErrors {
                    throw ValidationError(error.errors.map(\.message).joined(separator: " "))
                }
                let (op, scope) = try await IncidentSelection.resolve(operation: operation, account: account, on: app)
                let request = Request(application: app, on: app.eventLoopGroup.any())
                return try await FlowAnalysisService(database: app.db).analyse(
                    query, operation: op, scope: scope, on: request)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.keyEncodingStrategy = .convertToSnakeCase  // the API's JSON, key for key
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }
}

extension AnalysisPeriods.Unit: ExpressibleByArgument {}
extension IncidentCategory: ExpressibleByArgument {}
extension ActorType: ExpressibleByArgument {}
extension IncidentSeverity: ExpressibleByArgument {}
