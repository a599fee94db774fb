import Foundation

/// Calendar arithmetic of the incident analysis, in UTC: the buckets of a chart (ISO weeks
/// starting on Monday, or calendar months), the period before a period, and the change between.
public enum AnalysisPeriods {
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    public enum Unit: String, Sendable, CaseIterable, Codable {
        case week, month
    }

    /// Every bucket label from the one holding `from` to the one holding the last instant before
    /// `to`, so a chart shows empty weeks or months as zero: "2026-11-16" (the Monday) or "2026-11".
    public static func labels(_ unit: Unit, from: Date, to: Date, limit: Int = 520) -> [String] {
        guard from < to else { return [] }
        var labels: [String] = []
        var cursor = start(of: unit, containing: from)
        while cursor < to, labels.count < limit {
            labels.append(label(unit, cursor))
            cursor = calendar.date(byAdding: unit == .week ? .day : .month, value: unit == .week ? 7 : 1, to: cursor)!
        }
        return labels
    }

    public static func start(of unit: Unit, containing date: Date) -> Date {
        switch unit {
        case .week: calendar.dateInterval(of: .weekOfYear, for: date)!.start
        case .month: calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
        }
    }

    public static func label(_ unit: Unit, _ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        switch unit {
        case .week: return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        case .month: return String(format: "%04d-%02d", c.year!, c.month!)
        }
    }

    /// The period of the same length that ends where this one starts.
    public static func previous(from: Date, to: Date) -> (from: Date, to: Date) {
        (from.addingTimeInterval(-to.timeIntervalSince(from)), from)
    }

    /// The change from `previous` to `current` in percent; nil when there was nothing before.
    public static func change(from previous: Int, to current: Int) -> Double? {
        guard previous > 0 else { return nil }
        return (Double(current) - Double(previous)) / Double(previous) * 100
    }
}

/// Admin areas rolled up to one level: an incident placed in SD01001 (a locality) counts for
/// SD01 (its state) in a state-level table, following the parents the boundaries name.
public struct AreaHierarchy: Sendable {
    private let parent: [String: String]
    private let level: [String: Int]

    public init(_ areas: [(pcode: String, level: Int, parent: String?)]) {
        var parent: [String: String] = [:]
        var level: [String: Int] = [:]
        for area in areas {
            level[area.pcode] = area.level
            if let p = area.parent { parent[area.pcode] = p }
        }
        self.parent = parent
        self.level = level
    }

    public var isEmpty: Bool { level.isEmpty }
    /// The deepest level with areas, and the levels present.
    public var levels: [Int] { Array(Set(level.values)).sorted() }

    /// The area and the areas holding it, nearest first: SD01001, SD01, SD.
    public func lineage(of pcode: String) -> [String] {
        var chain = [pcode]
        while let up = parent[chain[chain.count - 1]], chain.count < 10, !chain.contains(up) { chain.append(up) }
        return chain
    }

    public func level(of pcode: String) -> Int? { level[pcode] }

    /// What `table` says for the area or the nearest area holding it: the phase in force where a
    /// P-code lies, when phases are declared for states and a place is in a locality.
    public func nearest<Value>(_ pcode: String, in table: [String: Value]) -> Value? {
        lineage(of: pcode).lazy.compactMap { table[$0] }.first
    }

    /// The area at `target` level holding `pcode`; the P-code itself if it is at or above that
    /// level or unknown to the boundaries.
    public func ancestor(of pcode: String, atLevel target: Int) -> String {
        var current = pcode
        var steps = 0
        while let l = level[current], l > target, let up = parent[current], steps < 10 {
            current = up
            steps += 1
        }
        return current
    }
}
