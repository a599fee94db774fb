import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

extension APIDTO {
    struct FlowObservation: Content {
        let id: UUID; let pointId: UUID; let windowStart: Date; let windowEnd: Date; let direction: String; let total: Int
        let scheme: String
        /// Keyed by the scheme's bins, e.g. `f_18_59`.
        let bins: [String: Int]
        let nationality: String?; let originCountry: String?; let originArea: String?; let lastTransit: String?
        let nextDestination: String?; let finalDestination: String?; let transport: String?
        let vulnerable: [String: Int]; let reasons: [String]; let notes: String; let createdAt: Date

        init(_ record: FlowObservationRecord) {
            let d = record.draft
            id = record.id; pointId = d.pointID; windowStart = d.windowStart; windowEnd = d.windowEnd; direction = d.direction.rawValue
            total = d.total; scheme = d.scheme.rawValue; bins = d.bins; nationality = d.nationality; originCountry = d.originCountry
            originArea = d.originArea; lastTransit = d.lastTransit; nextDestination = d.nextDestination; finalDestination = d.finalDestination
            transport = d.transport?.rawValue; vulnerable = Dictionary(uniqueKeysWithValues: d.vulnerable.map { ($0.key.rawValue, $0.value) })
            reasons = MovementReason.allCases.filter(d.reasons.contains).map(\.rawValue); notes = d.notes; createdAt = record.createdAt
        }
    }
    struct FlowObservationInput: Content {
        let pointId: String
        /// ISO 8601, e.g. 2026-11-23T06:00:00Z.
        let windowStart: String; let windowEnd: String; let direction: String; let total: Int
        let bins: [String: Int]?; let nationality: String?; let originCountry: String?; let originArea: String?; let lastTransit: String?
        let nextDestination: String?; let finalDestination: String?; let transport: String?; let vulnerable: [String: Int]?
        let reasons: [String]?; let notes: String?
    }
    struct FlowPointInfo: Content {
        let id: UUID; let name: String; let latitude: Double; let longitude: Double; let areaPcode: String?
        let pointType: String?; let movements: [String]; let operatingHours: String?; let transportModes: [String]
    }
    struct Figure: Content {
        struct Location: Content { let kind: String; let code: String; let name: String }
        struct Bin: Content { let label: String; let count: Int64 }
        let dataset: String; let key: String; let source: String; let method: String?; let populationType: String; let location: Location
        let originIso3: String?; let asylumIso3: String?; let year: Int; let referenceDate: String?; let round: Int?; let reportingDate: String?
        let total: Int64; let scheme: String?
        /// As the source published it: its own labels, never converted.
        let breakdown: [Bin]
        let updatedAt: Date

        init(_ stored: PopulationStore.StoredFigure) {
            let f = stored.figure
            dataset = f.dataset; key = f.key; source = f.source.rawValue; method = f.method?.rawValue; populationType = f.populationType.rawValue
            location = Location(kind: f.location.kind.rawValue, code: f.location.code, name: f.location.name); originIso3 = f.originISO3
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
        let referenceDate: String; let total: Int64; let source: String?; let method: String?; let round: Int?; let reportingDate: String?
        let originIso3: String?
        /// UNHCR's sex × age bins, e.g. {"f_0_4": 120}.
        let breakdown: [String: Int64]?
    }
    struct FigureSaved: Content { let outcome: String; let figure: Figure }
    struct StatsRow: Content { let year: Int; let country: String?; let totals: [String: Int64] }
    struct Stats: Content { let by: String; let countryColumn: String?; let populationTypes: [String]; let rows: [StatsRow] }
    struct StockRow: Content {
        let year: Int; let populationType: String; let total: Int64
        /// Who published the figures summed, and the latest reporting date among them.
        let sources: [String]; let reportedOn: String?
    }
    struct Rate: Content {
        let location: Figure.Location; let populationType: String; let year: Int; let total: Int64; let population: Int64; let per100k: Double
    }
    struct Stock: Content { let rows: [StockRow]; let rates: [Rate] }
}

/// `/api/v1/operations/{code}/flows…` and `/population…`: the pages' stores, scope and rules.
struct PopulationAPI {
    let api = APIController()

    func tallies(_ req: Request) async throws -> APIDTO.PageOf<APIDTO.FlowObservation> {
        let context = try await api.operation(req)
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        let point = try req.queryText("point").map { text -> UUID in
            guard let id = UUID(uuidString: text) else { throw APIError(.badRequest, code: "bad_parameter", "point must be a flow-monitoring point's id.") }
            return id
        }
        return APIDTO.PageOf(try await FlowStore(req.db).observations(in: scope, point: point, page: try api.page(req))) { APIDTO.FlowObservation($0) }
    }

    func points(_ req: Request) async throws -> [APIDTO.FlowPointInfo] {
        let context = try await api.operation(req)
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        return try await FlowStore(req.db).points(in: scope).map { p in
            APIDTO.FlowPointInfo(
                id: p.site.id, name: p.site.name, latitude: p.site.latitude, longitude: p.site.longitude, areaPcode: p.site.areaPcode,
                pointType: p.profile?.pointType.rawValue, movements: FlowDirection.allCases.filter { p.profile?.movements.contains($0) == true }.map(\.rawValue),
                operatingHours: p.profile?.operatingHours,
                transportModes: TransportMode.allCases.filter { p.profile?.transportModes.contains($0) == true }.map(\.rawValue))
        }
    }

    func record(_ req: Request) async throws -> Response {
        let context = try await api.operation(req)
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        guard AccessPolicy.canRecordFlows(in: context.operation.id.uuidString, by: context.viewer) else {
            throw APIError(.forbidden, code: "forbidden", "Your role may not record tallies.")
        }
        let draft = try Self.draft(try api.decode(APIDTO.FlowObservationInput.self, req)).validated()
        let record = try await FlowStore(req.db).record(draft, scope: scope, actorID: context.current.user.id)
        let response = try await APIDTO.FlowObservation(record).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: SiteURL.apiFlows(.value(context.operation.code)).path(query: [("point", draft.pointID.uuidString)]))
        return response
    }

    func analysis(_ req: Request) async throws -> FlowAnalysisService.Report {
        let context = try await api.operation(req)
        let scope = try context.requireScope(notFound: APIError(.notFound, code: "not_found", "No such operation."))
        let query: FlowQuery
        do { query = try FlowQuery.parse(req.url.query) } catch {
            throw APIError(.badRequest, code: "invalid_query", "The query names values Bearing cannot read.",
                           details: error.errors.map { .init(field: $0.field, message: $0.message) })
        }
        return try await FlowAnalysisService(database: req.db).analyse(query, operation: context.operation, scope: scope, on: req)
    }

    /// The input as a draft; unknown codes and unreadable times are named by field, all at once.
    static func draft(_ input: APIDTO.FlowObservationInput) throws(ValidationErrors) -> FlowObservationDraft {
        var errors = ValidationErrors()
        func code<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ text: String, _ field: String) -> T? where T.RawValue == String {
            if let value = T(rawValue: text) { return value }
            errors.add(field, key: "error.choose", "Unknown \(field) '\(text)'; one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")).")
            return nil
        }
        func time(_ text: String, _ field: String) -> Date? {
            if let date = try? Date(text, strategy: .iso8601) { return date }
            errors.add(field, key: "error.datetime", "'\(text)' is not an ISO 8601 date-time such as 2026-11-23T06:00:00Z.")
            return nil
        }
        let point = UUID(uuidString: input.pointId)
        if point == nil { errors.add("point_id", key: "error.flow_point", "point_id is not a flow-monitoring point's id.") }
        let start = time(input.windowStart, "window_start"), end = time(input.windowEnd, "window_end")
        let direction = code(FlowDirection.self, input.direction, "direction")
        let transport = input.transport.flatMap { code(TransportMode.self, $0, "transport") }
        // The decoder turns snake_case dictionary keys into camelCase; accept both spellings.
        func snake<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> T? where T.RawValue == String {
            T.allCases.first { $0.rawValue == key || IncidentAPI.camelCase($0.rawValue) == key }
        }
        var bins: [String: Int] = [:]
        let allBins = DisaggregationScheme.sex.bins + DisaggregationScheme.unhcr.bins
        for (key, value) in input.bins ?? [:] {
            guard let bin = allBins.first(where: { $0 == key || IncidentAPI.camelCase($0) == key }) else {
                errors.add("bins", key: "error.flow_bin", "“\(key)” is not a bin: f and m, or UNHCR's f_0_4 … m_other.")
                continue
            }
            bins[bin] = value
        }
        var vulnerable: [FlowVulnerability: Int] = [:]
        for (key, value) in input.vulnerable ?? [:] {
            guard let v = snake(key, FlowVulnerability.self) else {
                errors.add("vulnerable", key: "error.choose", "Unknown situation '\(key)'; one of: \(FlowVulnerability.allCases.map(\.rawValue).joined(separator: ", ")).")
                continue
            }
            vulnerable[v] = value
        }
        var reasons = Set<MovementReason>()
        for text in input.reasons ?? [] { if let reason = code(MovementReason.self, text, "reasons") { reasons.insert(reason) } }
        try errors.throwIfAny()
        return FlowObservationDraft(
            pointID: point!, windowStart: start!, windowEnd: end!, direction: direction!, total: input.total, scheme: DisaggregationScheme.inferred(from: bins),
            bins: bins, nationality: input.nationality, originCountry: input.originCountry, originArea: input.originArea, lastTransit: input.lastTransit,
            nextDestination: input.nextDestination, finalDestination: input.finalDestination, transport: transport, vulnerable: vulnerable,
            reasons: reasons, notes: input.notes ?? "")
    }

    // MARK: Displacement figures

    func requireFigures(_ req: Request) async throws -> OperationContext {
        let context = try await api.operation(req)
        guard AccessPolicy.canViewPopulationFigures(in: context.operation.id.uuidString, by: context.viewer) else {
            throw APIError(.notFound, code: "not_found", "No such operation.")
        }
        return context
    }

    func figures(_ req: Request) async throws -> APIDTO.FigureList {
        let context = try await requireFigures(req)
        let paging = try api.page(req)
        let types = try Self.types(req.queryText("type"))
        let query = PopulationStore.Query(dataset: req.queryText("dataset"), location: req.queryText("location"),
                                          types: types ?? PopulationType.allCases)
        let rows = try await PopulationStore(req.db).figures(in: context.operation.id, query, limit: paging.perPage, offset: paging.offset)
        return APIDTO.FigureList(items: rows.map(APIDTO.Figure.init), page: paging.page, perPage: paging.perPage)
    }

    func stats(_ req: Request) async throws -> APIDTO.Stats {
        let context = try await requireFigures(req)
        let byText = req.queryText("by") ?? "year"
        guard let by = PopulationStore.Grouping(rawValue: byText) else {
            throw APIError(.badRequest, code: "bad_parameter", "by: choose year, year,origin_iso3 or year,asylum_iso3.",
                           details: [.init(field: "by", message: "“\(byText)” is not year, year,origin_iso3 or year,asylum_iso3.")])
        }
        let types = try Self.types(req.queryText("population_type")) ?? PopulationType.allCases.filter { $0 != .migrantsInTransit && $0 != .totalPopulation }
        let rows = try await PopulationStore(req.db).stats(in: context.operation.id, by: by, types: types, dataset: req.queryText("dataset"))
        return APIDTO.Stats(by: by.rawValue, countryColumn: by.countryColumn, populationTypes: types.map(\.rawValue), rows: rows.map { row in
            APIDTO.StatsRow(year: row.year, country: row.country, totals: Dictionary(uniqueKeysWithValues: types.map { ($0.rawValue, row.totals[$0] ?? 0) }))
        })
    }

    /// `GET …/population/stock`: the stock over time by population type (optionally at one place or
    /// of one dataset), with its sources and latest reporting date, and rates per 100,000 inhabitants
    /// where a whole-population figure exists for the same place and year: the page's tables.
    func stock(_ req: Request) async throws -> APIDTO.Stock {
        let context = try await requireFigures(req)
        let query = PopulationStore.Query(dataset: req.queryText("dataset"), location: req.queryText("location"),
                                          types: try Self.types(req.queryText("type")) ?? PopulationType.allCases)
        let store = PopulationStore(req.db)
        let rows = try await store.stockOverTime(in: context.operation.id, query).map {
            APIDTO.StockRow(year: $0.year, populationType: $0.type.rawValue, total: $0.total,
                            sources: Set($0.sources.split(separator: ",").map(String.init)).sorted(), reportedOn: $0.reported.map(DateText.day))
        }
        let rates = try await store.rates(in: context.operation.id, query).map { figure, population, rate in
            APIDTO.Rate(location: .init(kind: figure.location.kind.rawValue, code: figure.location.code, name: figure.location.name),
                        populationType: figure.populationType.rawValue, year: figure.year, total: figure.total, population: population, per100k: rate)
        }
        return APIDTO.Stock(rows: rows, rates: rates)
    }

    /// `POST …/population/figures`: a figure entered by hand; the same type, place, day, source,
    /// round and origin again corrects it.
    func saveFigure(_ req: Request) async throws -> Response {
        let context = try await requireFigures(req)
        guard AccessPolicy.canImportPopulationFigures(in: context.operation.id.uuidString, by: context.viewer) else {
            throw APIError(.forbidden, code: "forbidden", "Your role may not enter displacement figures.")
        }
        let input = try api.decode(APIDTO.FigureInput.self, req)
        var resolver = try await PlaceResolver(req, context.operation, scope: try context.requireScope(), points: [])
        let (outcome, stored) = try await FigureEntryService.save(try FigureEntryService.entry(input, resolver: &resolver), context: context, on: req.db)
        return try await APIDTO.FigureSaved(outcome: outcome, figure: APIDTO.Figure(stored))
            .encodeResponse(status: outcome == "added" ? .created : .ok, for: req)
    }

    static func types(_ text: String?) throws -> [PopulationType]? {
        guard let text, !text.isEmpty else { return nil }
        var types: [PopulationType] = []
        for part in text.split(separator: ",") {
            let code = part.trimmingCharacters(in: .whitespaces).uppercased()
            guard let type = PopulationType(rawValue: code) else {
                throw APIError(.badRequest, code: "bad_parameter", "Unknown population type \(code).",
                               details: [.init(field: "population_type", message: "Use \(PopulationType.allCases.map(\.rawValue).joined(separator: ", ")).")])
            }
            types.append(type)
        }
        return types
    }
}

/// Figures entered by hand, from the page's form or the API: read, checked, stored.
enum FigureEntryService {
    struct Fields {
        var populationType: String; var location: String; var referenceDate: String; var total: String; var source: String?; var method: String?
        var round: String?; var reportingDate: String?; var originISO3: String?; var breakdown: [String: String]
    }

    static func entry(_ input: APIDTO.FigureInput, resolver: inout PlaceResolver) throws(ValidationErrors) -> FigureEntry {
        try entry(Fields(populationType: input.populationType, location: input.location, referenceDate: input.referenceDate, total: String(input.total),
                         source: input.source, method: input.method, round: input.round.map(String.init), reportingDate: input.reportingDate,
                         originISO3: input.originIso3, breakdown: (input.breakdown ?? [:]).mapValues(String.init)), resolver: &resolver)
    }

    /// Every field read, every problem named at once.
    static func entry(_ f: Fields, resolver: inout PlaceResolver) throws(ValidationErrors) -> FigureEntry {
        var errors = ValidationErrors()
        let type = PopulationType(rawValue: f.populationType.trimmingCharacters(in: .whitespaces).uppercased())
        if type == nil {
            errors.add("population_type", key: "error.population_type", "“\(f.populationType)” is not a population type (\(PopulationType.allCases.map(\.rawValue).joined(separator: ", "))).")
        }
        func day(_ text: String?, _ field: String) -> Date? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let date = DateText.day(text) else { errors.add(field, key: "error.query_date", "“\(text)” is not a date (YYYY-MM-DD)."); return nil }
            return date
        }
        let reference = day(f.referenceDate, "reference_date")
        if f.referenceDate.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("reference_date", key: "error.required", "Give the day the figure describes.") }
        func whole(_ text: String?, _ field: String) -> Int64? {
            guard let text = text?.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: " ", with: ""), !text.isEmpty else { return nil }
            guard let value = Int64(text) else { errors.add(field, key: "error.number", "“\(text)” is not a whole number."); return nil }
            return value
        }
        let total = whole(f.total, "total")
        if f.total.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("total", key: "error.required", "Give the number of people.") }
        let source = (f.source ?? "").isEmpty ? FigureSource.own : FigureSource(rawValue: f.source!)
        if source == nil { errors.add("source", key: "error.choose", "Unknown source '\(f.source!)'; one of: \(FigureSource.allCases.map(\.rawValue).joined(separator: ", ")).") }
        let method = (f.method ?? "").isEmpty ? nil : FigureMethod(rawValue: f.method!)
        if !(f.method ?? "").isEmpty, method == nil {
            errors.add("method", key: "error.choose", "Unknown method '\(f.method!)'; one of: \(FigureMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let round = whole(f.round, "round")
        var bins: [String: Int64] = [:]
        for (label, text) in f.breakdown { if let value = whole(text, "breakdown") { bins[label] = value } }
        try errors.throwIfAny()
        return FigureEntry(populationType: type!, location: resolver.figureLocation(for: f.location), referenceDate: reference!, total: total!,
                           source: source!, method: method, round: round.map { Int(clamping: $0) }, reportingDate: day(f.reportingDate, "reporting_date"),
                           originISO3: f.originISO3, breakdown: bins)
    }

    /// Stores the entry in the operation's `own_entries`: "added", "updated" or "unchanged", with the figure as stored.
    static func save(_ entry: FigureEntry, context: OperationContext, on db: any Database) async throws -> (String, PopulationStore.StoredFigure) {
        let figure = try entry.validated()
        let store = PopulationStore(db)
        let result = try await store.importFigures(into: context.operation.id, dataset: FigureEntry.dataset, actorID: context.current.user.id, keepZeros: true) { sink in try await sink([figure]) }
        let outcome = result.added > 0 ? "added" : result.updated > 0 ? "updated" : "unchanged"
        guard let stored = try await store.figure(in: context.operation.id, dataset: FigureEntry.dataset, key: figure.key) else {
            throw Abort(.internalServerError, reason: "The figure was stored but cannot be read back.")
        }
        return (outcome, stored)
    }
}
