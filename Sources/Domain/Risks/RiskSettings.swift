import Foundation

/// The risk register's data that an administrator may change without a release: the matrix, the
/// threat catalogue and the acceptance rule (issue 4: the IFRC texts behind the defaults are
/// partly unverified). Stored per operation, as JSON, one entry per `Key`.
public struct RiskSettings: Sendable, Hashable, SettingsGroup {
    public enum Key: String, CaseIterable, Sendable, SettingsKey {
        case matrix = "risk_matrix", threats = "risk_threats", rules = "risk_rules"
    }

    public var matrix: RiskMatrix
    public var threats: [ThreatDefinition]
    public var rules: RiskRules

    public init(
        matrix: RiskMatrix = .srm, threats: [ThreatDefinition] = ThreatDefinition.defaults, rules: RiskRules = .srm
    ) {
        self.matrix = matrix; self.threats = threats; self.rules = rules
    }

    public static let defaults = RiskSettings()

    /// The threat's class, or nil when the catalogue no longer has it (kept on old risks).
    public func threat(_ key: String) -> ThreatDefinition? { threats.first { $0.key == key } }

    /// Pretty, stable JSON of one entry, as the settings page shows it.
    public func json(_ key: Key) -> String {
        switch key {
        case .matrix: SettingsJSON.encode(matrix)
        case .threats: SettingsJSON.encode(threats)
        case .rules: SettingsJSON.encode(rules)
        }
    }

    /// These settings with one entry replaced by `json`, or every problem with it, each a sentence
    /// that says where. The entries are checked together: the rule must name a level of the matrix.
    public func replacing(_ key: Key, json: String) throws(ValidationErrors) -> RiskSettings {
        var next = self
        switch key {
        case .matrix: next.matrix = try SettingsJSON.decode(RiskMatrix.self, json, field: key.rawValue)
        case .threats: next.threats = try SettingsJSON.decode([ThreatDefinition].self, json, field: key.rawValue)
        case .rules: next.rules = try SettingsJSON.decode(RiskRules.self, json, field: key.rawValue)
        }
        var errors = ValidationErrors()
        for problem in next.problems() { errors.add(key.rawValue, key: "error.settings_invalid", problem) }
        try errors.throwIfAny()
        return next
    }

    /// What is wrong with the settings as a whole; empty when they can be used.
    public func problems() -> [String] {
        var problems = matrix.problems()
        if threats.isEmpty { problems.append("The threat catalogue needs at least one threat.") }
        let keys = threats.map(\.key)
        if Set(keys).count != keys.count { problems.append("A threat key is used twice.") }
        if keys.contains(where: { $0.isEmpty || $0.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) }) {
            problems.append("Threat keys are letters, digits and underscores (e.g. armed_conflict).")
        }
        if !matrix.levels.contains(rules.criticalityFromLevel) {
            problems.append(
                "The rule names the level “\(rules.criticalityFromLevel)”, which the matrix does not have (\(matrix.levels.joined(separator: ", ")))."
            )
        }
        return problems
    }

}

/// A key of a group of settings: stored under its raw value, named on the page by its label.
public protocol SettingsKey: RawRepresentable, CaseIterable, Sendable where RawValue == String {}

extension SettingsKey {
    public var labelKey: String { "settings.\(rawValue)" }
}

/// Settings edited together as JSON entries, each checked with the others before it is saved.
public protocol SettingsGroup: Sendable {
    associatedtype Key: SettingsKey
    static var defaults: Self { get }
    func json(_ key: Key) -> String
    func replacing(_ key: Key, json: String) throws(ValidationErrors) -> Self
}

/// The settings' JSON: pretty and stable to show and diff; decoding errors said so a user can act.
public enum SettingsJSON {
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ json: String, field: String) throws(ValidationErrors) -> T
    {
        do {
            return try JSONDecoder().decode(type, from: Data(json.utf8))
        } catch {
            var errors = ValidationErrors()
            errors.add(field, key: "error.settings_json", "This is not the expected JSON: \(describe(error)).")
            throw errors
        }
    }

    /// A decoding error as a user can act on it: what is missing or wrong, and where.
    static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty
                ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "“\(key.stringValue)” is missing at \(path(context.codingPath))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong kind of value at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "the text is not valid JSON" : "unreadable value at \(path(context.codingPath))"
        default: return "unreadable"
        }
    }
}
