import Domain
import Foundation
import Persistence
import Vapor

/// The incident filter as it arrives in a URL (analysis page, map, exports, API): repeated keys
/// for several values (`source=own&source=awsd`), days as YYYY-MM-DD. One parser for every path,
/// so the same link means the same incidents everywhere.
struct IncidentQuery: Sendable {
    var filter = IncidentFilter()
    var period: AnalysisPeriods.Unit = .month
    /// The admin level tables and the choropleth roll areas up to.
    var level: Int?
    /// Decimals kept in exported coordinates.
    var decimals = 6
    /// The form's values, to show the choices made.
    var values: [String: [String]] = [:]

    static let keys = ["from", "to", "source", "category", "actor", "severity", "area", "period", "level", "round"]

    /// Parses `query`. Without dates, the period is the last twelve months up to `now`'s day.
    /// An empty value is not given (the filter form sends its empty fields); any other value is
    /// read as it is, without trimming, so that the page, the API and the command line take the
    /// same text and refuse the same text (" 3" is not a number of decimals).
    static func parse(_ query: String?, now: Date) throws(ValidationErrors) -> IncidentQuery {
        var values: [String: [String]] = [:]
        for (key, text) in QueryString.pairs(query) where keys.contains(key) && !text.isEmpty {
            values[key, default: []].append(text)
        }
        var errors = ValidationErrors()
        var result = IncidentQuery()
        result.values = values
        func day(_ key: String) -> Date? {
            guard let text = values[key]?.last else { return nil }
            // DateText trims what people type in forms; a query's value is taken as it is.
            guard text == text.trimmingCharacters(in: .whitespaces), let date = DateText.day(text) else {
                errors.add(key, key: "error.query_date", "\(key): “\(text)” is not a date (YYYY-MM-DD).")
                return nil
            }
            return date
        }
        func set<V: RawRepresentable>(_ key: String, _ type: V.Type) -> Set<V>? where V.RawValue == String {
            guard let texts = values[key] else { return nil }
            var found = Set<V>()
            for text in texts {
                guard let value = V(rawValue: text) else {
                    errors.add(key, key: "error.query_value", "\(key): “\(text)” is not a known value.")
                    continue
                }
                found.insert(value)
            }
            return found
        }
        let today = AnalysisPeriods.calendar.startOfDay(for: now)
        let to = day("to").map { $0.addingTimeInterval(86_400) } ?? today.addingTimeInterval(86_400)
        let from =
            day("from") ?? AnalysisPeriods.calendar.date(
                byAdding: .month, value: -11, to: AnalysisPeriods.start(of: .month, containing: today))!
        if from >= to { errors.add("from", key: "error.query_range", "from: the first day must come before the last.") }
        result.filter = IncidentFilter(
            from: from, to: to, sources: values["source"].map(Set.init),
            categories: set("category", IncidentCategory.self),
            actorTypes: set("actor", ActorType.self), severities: set("severity", IncidentSeverity.self),
            areaPcode: values["area"]?.last)
        if let area = values["area"]?.last, !area.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            errors.add("area", key: "error.query_value", "area: “\(area)” is not a P-code.")
        }
        if let text = values["period"]?.last {
            if let unit = AnalysisPeriods.Unit(rawValue: text) {
                result.period = unit
            } else {
                errors.add("period", key: "error.query_value", "period: “\(text)” is not week or month.")
            }
        } else if to.timeIntervalSince(from) <= 120 * 86_400 {
            result.period = .week
        }
        if let text = values["level"]?.last {
            if let level = WholeNumber.parse(text), (0...4).contains(level) {
                result.level = level
            } else {
                errors.add("level", key: "error.query_value", "level: “\(text)” is not an admin level (0–4).")
            }
        }
        if let text = values["round"]?.last {
            if let decimals = WholeNumber.parse(text), (0...6).contains(decimals) {
                result.decimals = decimals
            } else {
                errors.add("round", key: "error.query_value", "round: “\(text)” is not a number of decimals (0–6).")
            }
        }
        try errors.throwIfAny()
        return result
    }

    /// The filters as given, by name, without the export's rounding: what links and the export
    /// form repeat.
    var queryItems: [(String, String)] {
        values.keys.sorted().filter { $0 != "round" }.flatMap { key in values[key]!.map { (key, $0) } }
    }

    /// The chosen first and last day, as the form shows them.
    var fromDay: String { DateText.day(filter.from!) }
    var toDay: String { DateText.day(filter.to!.addingTimeInterval(-86_400)) }
}
