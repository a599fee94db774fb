import ArgumentParser
import Domain
import Fluent
import Foundation
import Interop
import Persistence
import Vapor

extension PopulationImportService.Format: ExpressibleByArgument {}

/// `bearing import population`: UNHCR population statistics and demographics, COD-PS files.
struct ImportPopulation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population",
        abstract:
            "Import displacement figures (UNHCR population statistics or demographics, IOM DTM, any HXL-tagged CSV, an OCHA COD-PS file).",
        discussion: """
            Prints rows read, figures added, updated and unchanged, and every rejected row with its reason. A re-import of the
            same dataset updates its figures instead of adding them again. UNHCR's files are joined on their ISO3 columns.
            Example: bearing import population --format unhcr-population unhcr_population.csv --operation SDN-2026
            """)
    @ArgumentParser.Argument(help: "The file.") var file: String
    @ArgumentParser.Option(help: "unhcr-population, unhcr-demographics, dtm (API v3 JSON or its CSV), hxl or cod-ps.")
    var format: PopulationImportService.Format
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(help: "The year a COD-PS file counts (default: the year in its name).") var year: Int?

    func run() async throws {
        try await importAndReport(file, operation: operation) { app, op in
            try await PopulationImportService(database: app.db)
                .importFile(URL(fileURLWithPath: file), format: format, year: year, into: op, now: app.wallClock.now())
                .lines
        }
    }
}

/// `bearing stats population`: totals by year (and origin or asylum country), a column per type.
struct StatsPopulation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population",
        abstract:
            "Displacement figures summed by year, optionally by country of origin or asylum, one column per population type.",
        discussion:
            "Example: bearing stats population --operation SDN-2026 --by year,origin_iso3 --population-type REF,ASY --format csv"
    )
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(help: "year, year,origin_iso3 or year,asylum_iso3.") var by: PopulationStore.Grouping = .year
    @ArgumentParser.Option(
        help: "Population types, comma-separated: REF, ASY, OIP, IDP, RET, RDP, STA, OOC, HST, MIT, POP.")
    var populationType: String = "REF,ASY,OIP,IDP,RET,RDP,STA,OOC,HST"
    @ArgumentParser.Option(help: "Only this dataset (e.g. unhcr_population); default: every dataset of the operation.")
    var dataset: String?
    @ArgumentParser.Option(help: "csv or json.") var format: Format = .csv

    func validate() throws { _ = try populationTypes(populationType) }

    func run() async throws {
        let types = try populationTypes(populationType)
        let rows = try await withApplication { app in
            guard let op = try await OperationStore(app.db).find(code: operation) else {
                throw ValidationError("No operation with code \(operation).")
            }
            return try await PopulationStore(app.db).stats(in: op.id, by: by, types: types, dataset: dataset)
        }
        let countryColumn = by.countryColumn
        switch format {
        case .csv:
            print((["year"] + (countryColumn.map { [$0] } ?? []) + types.map(\.rawValue)).joined(separator: ","))
            for row in rows {
                print(
                    ([String(row.year)] + (countryColumn == nil ? [] : [row.country ?? ""])
                        + types.map { String(row.totals[$0] ?? 0) })
                        .joined(separator: ","))
            }
        case .json:
            var items: [String] = []
            for row in rows {
                var fields = ["\"year\":\(row.year)"]
                if let countryColumn {
                    var country = ""
                    JSONText.appendQuoted(row.country ?? "", to: &country)
                    fields.append("\"\(countryColumn)\":\(country)")
                }
                fields += types.map { "\"\($0.rawValue)\":\(row.totals[$0] ?? 0)" }
                items.append("{" + fields.joined(separator: ",") + "}")
            }
            print("[" + items.joined(separator: ",\n") + "]")
        }
    }
}

extension PopulationStore.Grouping: ExpressibleByArgument {}

/// `--population-type REF,ASY,…` read, or the unknown codes named.
private func populationTypes(_ list: String) throws -> [PopulationType] {
    let codes = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter {
        !$0.isEmpty
    }
    let unknown = codes.filter { PopulationType(rawValue: $0) == nil }
    if !unknown.isEmpty {
        throw ValidationError(
            "Unknown population type\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")); use \(PopulationType.allCases.map(\.rawValue).joined(separator: ", "))."
        )
    }
    return codes.compactMap(PopulationType.init(rawValue:))
}

/// `bearing export population`: the figures as the population page's download gives them.
struct ExportPopulation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population",
        abstract: "Stream displacement figures to standard output as CSV, HXL-tagged CSV or GeoJSON.",
        discussion: """
            The same columns as the download on the population page: dataset, source, method, population type, location, origin and
            asylum country, year, reference and reporting date, round, total, and the breakdown in the source's own age brackets.
            Example: bearing export population --operation SDN-2026 --dataset unhcr_population --population-type REF,ASY --format hxl > figures.csv
            """)
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(help: "Only this dataset (e.g. unhcr_population); default: every dataset of the operation.")
    var dataset: String?
    @ArgumentParser.Option(help: "Only figures at this place (P-code), or in or from this country (ISO3).")
    var location: String?
    @ArgumentParser.Option(
        help: "Population types, comma-separated (default: all): REF, ASY, OIP, IDP, RET, RDP, STA, OOC, HST, MIT, POP."
    )
    var populationType: String = PopulationType.allCases.map(\.rawValue).joined(separator: ",")
    @ArgumentParser.Option(help: "csv, hxl or geojson.") var format: FigureExchange.Format

    func validate() throws { _ = try populationTypes(populationType) }

    func run() async throws {
        let query = PopulationStore.Query(
            dataset: dataset, location: location, types: try populationTypes(populationType))
        let out = FileHandle.standardOutput
        try await withApplication { app in
            guard let op = try await OperationStore(app.db).find(code: operation) else {
                throw ValidationError("No operation with code \(operation).")
            }
            try await PopulationExportService(database: app.db, areaShapes: app.areaShapes).figures(
                of: op, query, format: format
            ) { out.write(Data($0.utf8)) }
        }
    }
}

/// `bearing export flows`: the tallies as the flow page's download gives them, through a reader's scope.
struct ExportFlows: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flows",
        abstract: "Stream flow-monitoring tallies to standard output as CSV, HXL-tagged CSV or GeoJSON.",
        discussion: """
            The same columns as the download on the flow page; `bearing import flows` reads the CSV and HXL back, updating the tallies by id.
            Example: bearing export flows --operation SDN-2026 --format hxl --as amina@example.org > tallies.csv
            """)
    @ArgumentParser.Option(help: "Operation code.") var operation: String
    @ArgumentParser.Option(help: "Only this flow-monitoring point (its id).") var point: String?
    @ArgumentParser.Option(
        name: .customLong("as"),
        help:
            "Read as this account (e-mail): its role decides which points' tallies are included. Without it, never a restricted point."
    )
    var account: String?
    @ArgumentParser.Option(help: "csv, hxl or geojson.") var format: FlowExchange.Format

    func validate() throws {
        if let point, UUID(uuidString: point) == nil { throw ValidationError("--point \(point) is not a point id.") }
    }

    func run() async throws {
        let out = FileHandle.standardOutput
        try await withApplication { app in
            let (_, scope) = try await IncidentSelection.resolve(operation: operation, account: account, on: app)
            try await PopulationExportService(database: app.db, areaShapes: app.areaShapes).tallies(
                in: scope, point: point.flatMap(UUID.init(uuidString:)).map(SiteID.init(rawValue:)), format: format
            ) {
                out.write(Data($0.utf8))
            }
        }
    }
}

/// `bearing import flows`: tallies from a flow export (CSV or HXL) or an HXL file with its hashtags.
struct ImportFlows: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flows",
        abstract: "Import flow-monitoring tallies (Bearing's CSV or HXL export, or an HXL file with its hashtags).",
        discussion: """
            Prints rows read, tallies added, updated and unchanged, and every rejected row with its reason. A tally with the id of one
            already stored updates it; the same tally imported twice is added once. Points are found by code or name among the
            points of the operation that are not restricted.
            Example: bearing import flows --format hxl flows.hxl.csv --operation SDN-2026
            """)
    @ArgumentParser.Argument(help: "The file.") var file: String
    @ArgumentParser.Option(help: "csv or hxl.") var format: FlowReader.Format
    @ArgumentParser.Option(help: "Operation code.") var operation: String

    func run() async throws {
        try await importAndReport(file, operation: operation) { app, op in
            // The operator who runs the command is no account: the audit log says "no actor", as for other imports.
            try await FlowImportService(database: app.db).importFile(
                URL(fileURLWithPath: file), format: format,
                scope: AccessPolicy.unnamedOperatorScope(in: op.id), actorID: nil, now: app.wallClock.now()
            ).lines
        }
    }
}

extension FlowReader.Format: ExpressibleByArgument {}
