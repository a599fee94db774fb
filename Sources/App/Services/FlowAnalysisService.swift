import Domain
import Fluent
import Foundation
import Geo
import Persistence
import Vapor

/// The flow analysis's choices as they arrive in a URL (page, API, map, command line): one parser,
/// so the same link means the same tallies everywhere.
struct FlowQuery: Sendable {
    /// The first day and the day after the last (UTC).
    var from: Date
    var to: Date
    var weekly = false
    var point: SiteID?

    static let keys = ["from", "to", "period", "point"]

    /// The last day included.
    var lastDay: Date { to.addingTimeInterval(-86_400) }
    var selection: FlowStore.Selection { FlowStore.Selection(from: from, to: to, point: point) }

    /// Parses `query`. Without dates, the thirty days up to today; a range given backwards is turned round.
    static func parse(_ query: String?, now: Date) throws(ValidationErrors) -> FlowQuery {
        var values: [String: String] = [:]
        for (key, text) in QueryString.pairs(query) where keys.contains(key) {
            let value = text.trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { values[key] = value }
        }
        var errors = ValidationErrors()
        func day(_ key: String) -> Date? {
            guard let text = values[key] else { return nil }
            guard let date = DateText.day(String(text.prefix(10))) else {
                errors.add(key, key: "error.query_date", "\(key): “\(text)” is not a date (YYYY-MM-DD).")
                return nil
            }
            return date
        }
        let today = AnalysisPeriods.calendar.startOfDay(for: now)
        var first = day("from") ?? today.addingTimeInterval(-29 * 86_400)
        var last = day("to") ?? today
        if last < first { (first, last) = (last, first) }
        if last.timeIntervalSince(first) > 3_660 * 86_400 {
            errors.add("from", key: "error.query_range", "from: at most ten years at a time.")
        }
        var result = FlowQuery(from: first, to: last.addingTimeInterval(86_400))
        switch values["period"] {
        case nil, "day": break
        case "week": result.weekly = true
        case let other?: errors.add("period", key: "error.query_value", "period: “\(other)” is not day or week.")
        }
        if let text = values["point"] {
            if let id = UUID(uuidString: text) {
                result.point = SiteID(id)
            } else {
                errors.add("point", key: "error.query_value", "point: “\(text)” is not a flow-monitoring point's id.")
            }
        }
        try errors.throwIfAny()
        return result
    }

    /// The choices, as a link repeats them.
    var queryItems: [(String, String)] {
        var items = [("from", DateText.day(from)), ("to", DateText.day(lastDay)), ("period", weekly ? "week" : "day")]
        if let point { items.append(("point", point.uuidString)) }
        return items
    }
}

/// The flow analysis, computed once for the page, the API and `bearing analyse flows`: people per
/// day or week by direction with a 7-day moving average and the change against the period before,
/// totals per point, origin → destination, sex × age, people in vulnerable situations, and the
/// flow map's places and links. Every tally is read through the caller's scope.
struct FlowAnalysisService {
    let database: any Database

    struct Report: Content {
        struct Query: Codable, Sendable { let from: String; let to: String; let period: String; let point: SiteID? }
        struct Source: Codable, Sendable {
            let name: String; let points: Int; let from: String; let to: String; let note: String
        }
        struct Period: Codable, Sendable {
            let period: String; let incoming: Int; let outgoing: Int; let transit: Int; let total: Int
            /// Daily series only: the mean of this day and the six before (null for the first six).
            let movingAverage: Double?
            /// Against the period before (null when that had none).
            let changePercent: Double?
        }
        struct Direction: Codable, Sendable {
            let direction: String; let people: Int; let previous: Int; let changePercent: Double?
        }
        struct PointTotal: Codable, Sendable {
            let id: SiteID; let name: String; let incoming: Int; let outgoing: Int; let transit: Int
        }
        struct Pair: Codable, Sendable { let origin: String; let destination: String; let people: Int }
        struct Vulnerable: Codable, Sendable { let situation: String; let people: Int; let sharePercent: Double? }
        struct Profile: Codable, Sendable {
            /// People in all tallies of the period.
            let people: Int
            /// People in the tallies broken down by UNHCR's sex × age bins, and those bins.
            let disaggregatedPeople: Int
            let sexAge: [String: Int]
            let vulnerable: [Vulnerable]
        }
        struct Node: Codable, Sendable {
            let id: String; let name: String; let kind: String; let latitude: Double; let longitude: Double
        }
        struct Link: Codable, Sendable { let from: String; let to: String; let people: Int; let kind: String }
        struct Unplaced: Codable, Sendable { let place: String; let people: Int }
        struct FlowMap: Codable, Sendable { let nodes: [Node]; let links: [Link]; let unplaced: [Unplaced] }

        let query: Query
        let source: Source
        let series: [Period]
        let directions: [Direction]
        let points: [PointTotal]
        let originDestination: [Pair]
        let profile: Profile
        let flowMap: FlowMap
    }

    func analyse(_ query: FlowQuery, operation: OperationRecord, scope: Scope, on req: Request) async throws -> Report {
        let points = try await FlowStore(database).points(in: scope)
        return try await analyse(query, operation: operation, scope: scope, points: points, on: req)
    }

    /// The same with the points `scope` may see already read: a page that lists them too reads them once.
    func analyse(
        _ query: FlowQuery, operation: OperationRecord, scope: Scope, points: [FlowPoint],
        on req: Request
    ) async throws -> Report {
        let store = FlowStore(database)
        let point = query.point.flatMap { id in points.contains { $0.site.id == id } ? id : nil }
        var selection = query.selection
        selection.point = point
        let daily = try await store.daily(in: scope, selection)
        let previousWindow = AnalysisPeriods.previous(from: query.from, to: query.to)
        let previous = try await store.daily(
            in: scope, FlowStore.Selection(from: previousWindow.from, to: previousWindow.to, point: point))

        // Per day (or week) and direction.
        let days = FlowTrends.days(from: query.from, to: query.lastDay)
        var byDay: [String: [FlowDirection: Int]] = [:]
        for row in daily { byDay[row.day, default: [:]][row.direction, default: 0] += row.total }
        var labels = days
        var buckets = byDay
        if query.weekly {
            labels = AnalysisPeriods.labels(.week, from: query.from, to: query.to)
            // Each day's week once, not once per day, week and direction.
            var weekOf: [String: String] = [:]
            var day = query.from
            for label in days {
                weekOf[label] = AnalysisPeriods.label(.week, AnalysisPeriods.start(of: .week, containing: day))
                day = day.addingTimeInterval(86_400)
            }
            buckets = [:]
            for (label, values) in byDay {
                if let week = weekOf[label] { for (d, n) in values { buckets[week, default: [:]][d, default: 0] += n } }
            }
        }
        let totals = labels.map { label in buckets[label]?.values.reduce(0, +) ?? 0 }
        let averages = query.weekly ? labels.map { _ in nil } : FlowTrends.movingAverage(totals, window: 7)
        let series = labels.enumerated().map { i, label in
            Report.Period(
                period: label, incoming: buckets[label]?[.incoming] ?? 0, outgoing: buckets[label]?[.outgoing] ?? 0,
                transit: buckets[label]?[.transit] ?? 0, total: totals[i], movingAverage: averages[i],
                changePercent: i > 0 ? AnalysisPeriods.change(from: totals[i - 1], to: totals[i]) : nil)
        }
        let directions = FlowDirection.allCases.map { direction in
            let now = daily.filter { $0.direction == direction }.reduce(0) { $0 + $1.total }
            let before = previous.filter { $0.direction == direction }.reduce(0) { $0 + $1.total }
            return Report.Direction(
                direction: direction.rawValue, people: now, previous: before,
                changePercent: AnalysisPeriods.change(from: before, to: now))
        }
        // Per point.
        var pointTotals: [SiteID: [FlowDirection: Int]] = [:]
        for row in daily { pointTotals[row.pointID, default: [:]][row.direction, default: 0] += row.total }
        let perPoint = points.compactMap { p -> Report.PointTotal? in
            guard let values = pointTotals[p.site.id] else { return nil }
            return Report.PointTotal(
                id: p.site.id, name: p.site.name, incoming: values[.incoming] ?? 0, outgoing: values[.outgoing] ?? 0,
                transit: values[.transit] ?? 0)
        }.sorted { $0.name < $1.name }
        let pairs = try await store.originDestination(in: scope, selection)
            .map { Report.Pair(origin: $0.origin, destination: $0.destination, people: $0.total) }
            .sorted { ($0.people, $1.origin, $1.destination) > ($1.people, $0.origin, $0.destination) }
        let profile = try await store.profile(in: scope, selection)
        let vulnerable = FlowVulnerability.allCases.map { v in
            let n = profile.vulnerable[v] ?? 0
            return Report.Vulnerable(
                situation: v.rawValue, people: n,
                sharePercent: profile.people > 0 ? Double(n) / Double(profile.people) * 100 : nil)
        }
        let map = try await FlowMapService(request: req).places(
            operation, scope: scope, selection: selection, points: points)
        return Report(
            query: .init(
                from: DateText.day(query.from), to: DateText.day(query.lastDay), period: query.weekly ? "week" : "day",
                point: point),
            source: .init(
                name: "own_flow_monitoring", points: points.count, from: DateText.day(query.from),
                to: DateText.day(query.lastDay),
                note: "Counts are observations at a point during its hours, not totals of a population."),
            series: series, directions: directions, points: perPoint, originDestination: pairs,
            profile: .init(
                people: profile.people, disaggregatedPeople: profile.disaggregatedPeople, sexAge: profile.bins,
                vulnerable: vulnerable),
            flowMap: Self.flowMap(map))
    }

    /// The map's places and links as the report gives them.
    static func flowMap(_ places: FlowMapService.Places) -> Report.FlowMap {
        Report.FlowMap(
            nodes: places.nodes.sorted { $0.id < $1.id }.map {
                Report.Node(
                    id: $0.id, name: $0.name, kind: $0.kind.rawValue, latitude: $0.coordinate.latitude,
                    longitude: $0.coordinate.longitude)
            },
            links: places.links.map {
                Report.Link(from: $0.from, to: $0.to, people: $0.people, kind: $0.kind.rawValue)
            },
            unplaced: places.unplaced.map { Report.Unplaced(place: $0.place, people: $0.people) })
    }
}
