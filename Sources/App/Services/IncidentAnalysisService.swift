import Domain
import Fluent
import Foundation
import Persistence
import Vapor

/// The incident analysis the page, the API and `bearing analyse incidents` share: counts by week
/// or month, an area × category table, the change against the period before, casualties, and the
/// early-warning list. Everything is read through the viewer's scope and the one filter.
struct IncidentAnalysisService {
    let database: any Database
    let areaShapes: AreaShapeCache

    struct Report: Content {
        struct Query: Codable, Sendable {
            let from: String
            let to: String
            let period: String
            let sources: [String]?
            let categories: [String]?
            let actorTypes: [String]?
            let severities: [String]?
            let area: String?
            let level: Int?
        }
        struct SeriesPoint: Codable, Sendable { let bucket: String; let origin: String; let count: Int }
        struct AreaRow: Codable, Sendable {
            let pcode: String?
            let name: String
            let total: Int
            let byCategory: [String: Int]
        }
        struct CategoryChange: Codable, Sendable {
            let category: String
            let count: Int
            let previous: Int
            let changePercent: Double?
        }
        struct Harm: Codable, Sendable {
            let harm: String
            let national: Int
            let international: Int
            let female: Int
            let male: Int
            let unknownSex: Int
            let total: Int
        }
        struct Warning: Codable, Sendable {
            let pcode: String
            let name: String
            let recent: Int
            let baseline: Int
            let expected: Double
            let pValue: Double
            let flagged: Bool
        }
        struct EarlyWarning: Codable, Sendable {
            let statistic: String
            let recentDays: Int
            let baselineDays: Int
            let alpha: Double
            let minimumCount: Int
            let windowEnd: String
            let areas: [Warning]
        }
        let query: Query
        let total: Int
        let previousTotal: Int
        let changePercent: Double?
        let buckets: [String]
        let origins: [String]
        let series: [SeriesPoint]
        /// Context events not in the series: dated too coarsely for the period, or kept out of trends by their source.
        let leftOutOfSeries: Int
        let areaLevel: Int?
        let areas: [AreaRow]
        let categories: [CategoryChange]
        let casualties: [Harm]
        /// Everyone killed, as context sources that count people in general report it (ACLED).
        let fatalities: Int
        let earlyWarning: EarlyWarning
    }

    func analyse(
        _ query: IncidentQuery, operation: OperationRecord, scope: Scope, rule: EarlyWarningRule = EarlyWarningRule(),
        language: String = "en", now: Date
    ) async throws -> Report {
        let store = IncidentAnalysisStore(database)
        let filter = query.filter
        let (from, to) = (filter.from!, filter.to!)
        // Counts by period and origin, with empty buckets shown as zero.
        let counted = try await store.counts(in: scope, filter: filter, by: query.period == .week ? .week : .month)
        var perBucket: [String: [String: Int]] = [:]
        for count in counted.counts { perBucket[count.bucket, default: [:]][count.origin, default: 0] += count.count }
        let buckets = AnalysisPeriods.labels(query.period, from: from, to: to)
        let origins = Array(Set(counted.counts.map(\.origin))).sorted {
            ($0 == "own" ? "" : $0) < ($1 == "own" ? "" : $1)
        }
        var series: [Report.SeriesPoint] = []
        for bucket in buckets {
            for origin in origins {
                series.append(.init(bucket: bucket, origin: origin, count: perBucket[bucket]?[origin] ?? 0))
            }
        }
        // Areas rolled up to one level, with the names of the operation's boundaries.
        let (shapes, _) = try await areaShapes.shapes(for: operation, on: database)
        let hierarchy = AreaHierarchy(shapes.map { ($0.row.pcode, $0.row.level, $0.row.parentPcode) })
        let names = try await areaShapes.names(for: operation, language: language, on: database)
        let level = query.level ?? (hierarchy.levels.contains(1) ? 1 : hierarchy.levels.first)
        func rolled(_ pcode: String?) -> String? {
            guard let pcode else { return nil }
            guard let level else { return pcode }
            return hierarchy.ancestor(of: pcode, atLevel: level)
        }
        let areaCounts = try await store.areaCategoryCounts(in: scope, filter: filter)
        var byArea: [String?: [String: Int]] = [:]
        var byCategory: [IncidentCategory: Int] = [:]
        for count in areaCounts {
            byArea[rolled(count.area), default: [:]][count.category.rawValue, default: 0] += count.count
            byCategory[count.category, default: 0] += count.count
        }
        let areas = byArea.map { area, counts in
            Report.AreaRow(
                pcode: area, name: area.map { names[$0] ?? $0 } ?? "", total: counts.values.reduce(0, +),
                byCategory: counts)
        }.sorted { ($0.total, $1.name) > ($1.total, $0.name) }
        // The period before, of the same length, with the same choices.
        var before = filter
        (before.from, before.to) = AnalysisPeriods.previous(from: from, to: to)
        var previousByCategory: [IncidentCategory: Int] = [:]
        for count in try await store.areaCategoryCounts(in: scope, filter: before) {
            previousByCategory[count.category, default: 0] += count.count
        }
        let total = byCategory.values.reduce(0, +)
        let previousTotal = previousByCategory.values.reduce(0, +)
        let categories = IncidentCategory.allCases.compactMap { category -> Report.CategoryChange? in
            let (now, then) = (byCategory[category] ?? 0, previousByCategory[category] ?? 0)
            guard now + then > 0 else { return nil }
            return .init(
                category: category.rawValue, count: now, previous: then,
                changePercent: AnalysisPeriods.change(from: then, to: now))
        }
        // Casualties by harm.
        let (casualties, fatalities) = try await store.casualties(in: scope, filter: filter)
        let harms = Casualties.Harm.allCases.map { harm in
            Report.Harm(
                harm: harm.rawValue, national: casualties.total(harm, nationality: .national),
                international: casualties.total(harm, nationality: .international),
                female: casualties.total(harm, sex: .female),
                male: casualties.total(harm, sex: .male), unknownSex: casualties.total(harm, sex: .unknown),
                total: casualties.total(harm))
        }
        let early = try await earlyWarnings(
            scope: scope, filter: filter, rule: rule, names: names, rolled: rolled, to: to, now: now)
        return Report(
            query: .init(
                from: query.fromDay, to: query.toDay, period: query.period.rawValue, sources: filter.sources?.sorted(),
                categories: filter.categories?.map(\.rawValue).sorted(),
                actorTypes: filter.actorTypes?.map(\.rawValue).sorted(),
                severities: filter.severities?.map(\.rawValue).sorted(), area: filter.areaPcode, level: level),
            total: total, previousTotal: previousTotal,
            changePercent: AnalysisPeriods.change(from: previousTotal, to: total),
            buckets: buckets, origins: origins, series: series, leftOutOfSeries: counted.leftOut, areaLevel: level,
            areas: areas,
            categories: categories, casualties: harms, fatalities: fatalities,
            earlyWarning: .init(
                statistic: rule.statement, recentDays: rule.recentDays, baselineDays: rule.baselineDays,
                alpha: rule.alpha,
                minimumCount: rule.minimumCount, windowEnd: DateText.day(early.end.addingTimeInterval(-86_400)),
                areas: early.warnings))
    }

    /// The early-warning test for every area: the recent window ends with the analysed period (or
    /// today, if sooner); the flagged areas first, then by p-value. Incidents are rolled up to the
    /// areas `rolled` names; an unplaced incident has no area to warn about.
    func earlyWarnings(
        scope: Scope, filter: IncidentFilter, rule: EarlyWarningRule, names: [String: String],
        rolled: (String?) -> String?, to: Date, now: Date
    ) async throws -> (warnings: [Report.Warning], recentStart: Date, end: Date) {
        let end = min(to, AnalysisPeriods.calendar.startOfDay(for: now).addingTimeInterval(86_400))
        let recentStart = end.addingTimeInterval(-Double(rule.recentDays) * 86_400)
        let baselineStart = recentStart.addingTimeInterval(-Double(rule.baselineDays) * 86_400)
        let windows = try await IncidentAnalysisStore(database).areaWindows(
            in: scope, filter: filter, baselineStart: baselineStart, recentStart: recentStart, end: end)
        var rolledWindows: [String: (recent: Int, baseline: Int)] = [:]
        for (area, counts) in windows {
            guard let key = rolled(area) else { continue }
            let sum = rolledWindows[key] ?? (0, 0)
            rolledWindows[key] = (sum.recent + counts.recent, sum.baseline + counts.baseline)
        }
        let warnings = rolledWindows.map { pcode, counts in
            let finding = rule.evaluate(recent: counts.recent, baseline: counts.baseline)
            return Report.Warning(
                pcode: pcode, name: names[pcode] ?? pcode, recent: counts.recent, baseline: counts.baseline,
                expected: (finding.expected * 100).rounded() / 100, pValue: finding.pValue, flagged: finding.flagged)
        }.filter { $0.recent > 0 }.sorted {
            ($0.flagged ? 0 : 1, $0.pValue, $0.name) < ($1.flagged ? 0 : 1, $1.pValue, $1.name)
        }
        return (warnings, recentStart, end)
    }
}
