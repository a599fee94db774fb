import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

extension APIDTO {
    struct FlowObservation: Content {
        let id: FlowObservationID; let pointId: SiteID; let windowStart: Date; let windowEnd: Date;
        let direction: String;
        let total: Int
        let scheme: String
        /// Keyed by the scheme's bins, e.g. `f_18_59`.
        let bins: [String: Int]
        let nationality: String?; let originCountry: String?; let originArea: String?; let lastTransit: String?
        let nextDestination: String?; let finalDestination: String?; let transport: String?
        let vulnerable: [String: Int]; let reasons: [String]; let notes: String; let createdAt: Date

        init(_ record: FlowObservationRecord) {
            let d = record.draft
            id = record.id; pointId = d.pointID; windowStart = d.windowStart; windowEnd = d.windowEnd;
            direction = d.direction.rawValue
            total = d.total; scheme = d.scheme.rawValue; bins = d.bins; nationality = d.nationality;
            originCountry = d.originCountry
            originArea = d.originArea; lastTransit = d.lastTransit; nextDestination = d.nextDestination;
            finalDestination = d.finalDestination
            transport = d.transport?.rawValue;
            vulnerable = Dictionary(uniqueKeysWithValues: d.vulnerable.map { ($0.key.rawValue, $0.value) })
            reasons = MovementReason.allCases.filter(d.reasons.contains).map(\.rawValue); notes = d.notes;
            createdAt = record.createdAt
        }
    }
    struct FlowObservationInput: Content {
        let pointId: String
        /// ISO 8601, e.g. 2026-11-23T06:00:00Z.
        let windowStart: String; let windowEnd: String; let direction: String; let total: Int
        let bins: [String: Int]?; let nationality: String?; let originCountry: String?; let originArea: String?;
        let lastTransit: String?
        let nextDestination: String?; let finalDestination: String?; let transport: String?;
        let vulnerable: [String: Int]?
        let reasons: [String]?; let notes: String?
    }
    struct FlowPointInfo: Content {
        let id: SiteID; let name: String; let latitude: Double; let longitude: Double; let areaPcode: String?
        let pointType: String?; let movements: [String]; let operatingHours: String?; let transportModes: [String]
    }
    struct Figure: Content {
        struct Location: Content { let kind: String; let code: String; let name: String }
        struct Bin: Content { let label: String; let count: Int64 }
        let dataset: String; let key: String; let source: String; let method: String?; let populationType: String;
        let location: Location
        let originIso3: String?; let asylumIso3: String?; let year: Int; let referenceDate: String?; let round: Int?;
        let reportingDate: String?
        let total: Int64; let scheme: String?
        /// As the source published it: its own labels, never converted.
        let breakdown: [Bin]
        let updatedAt: Date

        init(_ stored: PopulationStore.StoredFigure) {
            let f = stored.figure
            dataset = f.dataset; key = f.key; source = f.source.rawValue; method = f.method?.rawValue;
            populationType = f.populationType.rawValue
            location = Location(kind: f.location.kind.rawValue, code: f.location.code, name: f.location.name);
            originIso3 = f.originISO3
            asylumIso3 = f.asylumISO3; year = f.year; referenceDate = f.referenceDate.map(DateText.day); round = f.round
            reportingDate = f.reportingDate.map(DateText.day); total = f.total; scheme = f.scheme
            breakdown = f.breakdown.map { Bin(label: $0.label, count: $0.count) }; updatedAt = stored.updatedAt
        }
    }
    struct FigureList: Content { let items: [Figure]; let page: Int; let perPage: Int }
    struct FigureInput: Content {
        let populationType: String
        /// A P-code or name of the operation's areas, an ISO3 country code, a site's name, or a place in words.
        let location: String
        /// A day, e.g. 2026-11-23.
        let referenceDate: String; let total: Int64; let source: String?; let method: String?; let round: Int?;
        let reportingDate: String?
        let originIso3: String?
        /// UNHCR's sex × age bins, e.g. {"f_0_4": 120}.
        let breakdown: [String: Int64]?
    }
    struct FigureSaved: Content { let outcome: String; let figure: Figure }
    struct StatsRow: Content { let year: Int; let country: String?; let totals: [String: Int64] }
    struct Stats: Content {
        let by: String; let countryColumn: String?; let populationTypes: [String]; let rows: [StatsRow]
    }
    struct StockRow: Content {
        let year: Int; let populationType: String; let total: Int64
        /// Who published the figures summed, and the latest reporting date among them.
        let sources: [String]; let reportedOn: String?
    }
    struct Rate: Content {
        let location: Figure.Location; let populationType: String; let year: Int; let total: Int64;
        let population: Int64; let per100k: Double
    }
    struct Stock: Content { let rows: [StockRow]; let rates: [Rate] }
}

/// `/api/v1/operations/{code}/flows…` and `/population…`: the pages' stores, scope and rules.
struct PopulationAPI {
    func tallies(_ req: Request) async throws -> APIDTO.PageOf<APIDTO.FlowObservation> {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        let point = try req.queryText("point").map { text -> SiteID in
            guard let id = UUID(uuidString: text).map(SiteID.init(rawValue:)) else {
                throw APIError(.badRequest, code: "bad_parameter", "point must be a flow-monitoring point's id.")
            }
            return id
        }
        return APIDTO.PageOf(
            try await FlowStore(req.db).observations(in: scope, point: point, page: try req.apiPaging())
        ) { APIDTO.FlowObservation($0) }
    }

    func points(_ req: Request) async throws -> [APIDTO.FlowPointInfo] {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        return try await FlowStore(req.db).points(in: scope).map { p in
            APIDTO.FlowPointInfo(
                id: p.site.id, name: p.site.name, latitude: p.site.latitude, longitude: p.site.longitude,
                areaPcode: p.site.areaPcode,
                pointType: p.profile?.pointType.rawValue,
                movements: FlowDirection.allCases.filter { p.profile?.movements.contains($0) == true }.map(\.rawValue),
                operatingHours: p.profile?.operatingHours,
                transportModes: TransportMode.allCases.filter { p.profile?.transportModes.contains($0) == true }.map(
                    \.rawValue))
        }
    }

    func record(_ req: Request) async throws -> Response {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        guard AccessPolicy.canRecordFlows(in: context.operation.id, by: context.viewer) else {
            throw APIError(.forbidden, code: "forbidden", "Your role may not record tallies.")
        }
        let draft = try Self.input(try req.apiBody(APIDTO.FlowObservationInput.self)).draft(now: req.now)
        let record = try await FlowStore(req.db).record(
            draft, scope: scope, actorID: context.current.user.id, now: req.now)
        let response = try await APIDTO.FlowObservation(record).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location,
            value: SiteURL.apiFlows(.value(context.operation.code)).path(query: [("point", draft.pointID.uuidString)]))
        return response
    }

    func analysis(_ req: Request) async throws -> FlowAnalysisService.Report {
        let context = try await req.apiOperation()
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        let query: FlowQuery
        do { query = try FlowQuery.parse(req.url.query, now: req.now) } catch {
            throw APIError(
                .badRequest, code: "invalid_query", "The query names values Bearing cannot read.",
                details: error.errors.map { .init(field: $0.field, message: $0.message) })
        }
        return try await FlowAnalysisService(database: req.db).analyse(
            query, operation: context.operation, scope: scope, on: req)
    }

    /// The JSON as the one decoder's input: numbers written as the form would send them.
    static func input(_ json: APIDTO.FlowObservationInput) -> FlowTallyInput {
        var input = FlowTallyInput()
        input.point = json.pointId
        input.windowStart = json.windowStart
        input.windowEnd = json.windowEnd
        input.direction = json.direction
        input.total = String(json.total)
        for (key, count) in json.bins ?? [:] {
            input.bins[APIKeys.snakeCase(key, among: FlowTallyInput.knownBins)] = String(count)
        }
        input.nationality = json.nationality ?? ""
        input.originCountry = json.originCountry ?? ""
        input.originArea = json.originArea ?? ""
        input.lastTransit = json.lastTransit ?? ""
        input.nextDestination = json.nextDestination ?? ""
        input.finalDestination = json.finalDestination ?? ""
        input.transport = json.transport ?? ""
        let situations = FlowVulnerability.allCases.map(\.rawValue)
        for (key, count) in json.vulnerable ?? [:] {
            input.vulnerable[APIKeys.snakeCase(key, among: situations)] = String(count)
        }
        input.reasons = json.reasons ?? []
        input.notes = json.notes ?? ""
        return input
    }

    // MARK: Displacement figures

    func requireFigures(_ req: Request) async throws -> OperationContext {
        let context = try await req.apiOperation()
        guard AccessPolicy.canViewPopulationFigures(in: context.operation.id, by: context.viewer) else {
            throw APIError(.notFound, code: "not_found", "No such operation.")
        }
        return context
    }

    func figures(_ req: Request) async throws -> APIDTO.FigureList {
        let context = try await requireFigures(req)
        let paging = try req.apiPaging()
        let types = try Self.types(req.queryText("type"))
        let query = PopulationStore.Query(
            dataset: req.queryText("dataset"), location: req.queryText("location"),
            types: types ?? PopulationType.allCases)
        let rows = try await PopulationStore(req.db).figures(
            in: context.operation.id, query, limit: paging.perPage, offset: paging.offset)
        return APIDTO.FigureList(items: rows.map(APIDTO.Figure.init), page: paging.page, perPage: paging.perPage)
    }

    func stats(_ req: Request) async throws -> APIDTO.Stats {
        let context = try await requireFigures(req)
        let byText = req.queryText("by") ?? "year"
        guard let by = PopulationStore.Grouping(rawValue: byText) else {
            throw APIError(
                .badRequest, code: "bad_parameter", "by: choose year, year,origin_iso3 or year,asylum_iso3.",
                details: [.init(field: "by", message: "“\(byText)” is not year, year,origin_iso3 or year,asylum_iso3.")]
            )
        }
        let types =
            try Self.types(req.queryText("population_type"))
            ?? PopulationType.allCases.filter { $0 != .migrantsInTransit && $0 != .totalPopulation }
        let rows = try await PopulationStore(req.db).stats(
            in: context.operation.id, by: by, types: types, dataset: req.queryText("dataset"))
        return APIDTO.Stats(
            by: by.rawValue, countryColumn: by.countryColumn, populationTypes: types.map(\.rawValue),
            rows: rows.map { row in
                APIDTO.StatsRow(
                    year: row.year, country: row.country,
                    totals: Dictionary(uniqueKeysWithValues: types.map { ($0.rawValue, row.totals[$0] ?? 0) }))
            })
    }

    /// `GET …/population/stock`: the stock over time by population type (optionally at one place or
    /// of one dataset), with its sources and latest reporting date, and rates per 100,000 inhabitants
    /// where a whole-population figure exists for the same place and year: the page's tables.
    func stock(_ req: Request) async throws -> APIDTO.Stock {
        let context = try await requireFigures(req)
        let query = PopulationStore.Query(
            dataset: req.queryText("dataset"), location: req.queryText("location"),
            types: try Self.types(req.queryText("type")) ?? PopulationType.allCases)
        let store = PopulationStore(req.db)
        let rows = try await store.stockOverTime(in: context.operation.id, query).map {
            APIDTO.StockRow(
                year: $0.year, populationType: $0.type.rawValue, total: $0.total,
                sources: Set($0.sources.split(separator: ",").map(String.init)).sorted(),
                reportedOn: $0.reported.map(DateText.day))
        }
        let rates = try await store.rates(in: context.operation.id, query).map { figure, population, rate in
            APIDTO.Rate(
                location: .init(
                    kind: figure.location.kind.rawValue, code: figure.location.code, name: figure.location.name),
                populationType: figure.populationType.rawValue, year: figure.year, total: figure.total,
                population: population, per100k: rate)
        }
        return APIDTO.Stock(rows: rows, rates: rates)
    }

    /// `POST …/population/figures`: a figure entered by hand; the same type, place, day, source,
    /// round and origin again corrects it.
    func saveFigure(_ req: Request) async throws -> Response {
        let context = try await requireFigures(req)
        guard AccessPolicy.canImportPopulationFigures(in: context.operation.id, by: context.viewer) else {
            throw APIError(.forbidden, code: "forbidden", "Your role may not enter displacement figures.")
        }
        let input = Self.input(try req.apiBody(APIDTO.FigureInput.self))
        var resolver = try await PlaceResolver(req, context.operation, scope: try context.requireScope(), points: [])
        let entry = try input.draft(now: req.now) { resolver.figureLocation(for: $0) }
        let (outcome, stored) = try await FigureEntryService.save(entry, context: context, on: req.db, now: req.now)
        return try await APIDTO.FigureSaved(outcome: outcome, figure: APIDTO.Figure(stored))
            .encodeResponse(status: outcome == "added" ? .created : .ok, for: req)
    }

    /// The JSON as the one decoder's input (the page's form gives the same fields as text).
    static func input(_ json: APIDTO.FigureInput) -> FigureInput {
        var input = FigureInput()
        input.populationType = json.populationType
        input.location = json.location
        input.referenceDate = json.referenceDate
        input.total = String(json.total)
        input.source = json.source ?? ""
        input.method = json.method ?? ""
        input.round = json.round.map { String($0) } ?? ""
        input.reportingDate = json.reportingDate ?? ""
        input.originISO3 = json.originIso3 ?? ""
        for (label, count) in json.breakdown ?? [:] {
            input.breakdown[APIKeys.snakeCase(label, among: FigureEntry.bins)] = String(count)
        }
        return input
    }

    static func types(_ text: String?) throws -> [PopulationType]? {
        guard let text, !text.isEmpty else { return nil }
        var types: [PopulationType] = []
        for part in text.split(separator: ",") {
            let code = part.trimmingCharacters(in: .whitespaces).uppercased()
            guard let type = PopulationType(rawValue: code) else {
                throw APIError(
                    .badRequest, code: "bad_parameter", "Unknown population type \(code).",
                    details: [
                        .init(
                            field: "population_type",
                            message: "Use \(PopulationType.allCases.map(\.rawValue).joined(separator: ", ")).")
                    ])
            }
            types.append(type)
        }
        return types
    }
}

/// Figures entered by hand, from the page's form or the API: read and checked by `FigureInput`, stored here.
enum FigureEntryService {
    /// Stores the entry in the operation's `own_entries`: "added", "updated" or "unchanged", with the figure as stored.
    static func save(_ entry: FigureEntry, context: OperationContext, on db: any Database, now: Date) async throws -> (
        String, PopulationStore.StoredFigure
    ) {
        let figure = try entry.validated(now: now)
        let store = PopulationStore(db)
        let result = try await store.importFigures(
            into: context.operation.id, dataset: FigureEntry.dataset, actorID: context.current.user.id, now: now,
            keepZeros: true
        ) { sink in try await sink([figure]) }
        let outcome = result.added > 0 ? "added" : result.updated > 0 ? "updated" : "unchanged"
        guard
            let stored = try await store.figure(in: context.operation.id, dataset: FigureEntry.dataset, key: figure.key)
        else {
            throw Abort(.internalServerError, reason: "The figure was stored but cannot be read back.")
        }
        return (outcome, stored)
    }
}
