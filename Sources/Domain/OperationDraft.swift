import Foundation

/// The kinds of emergency an operation responds to (IFRC GO disaster types, abridged).
public enum EmergencyType: String, CaseIterable, Codable, Sendable {
    case complexEmergency = "complex_emergency"
    case populationMovement = "population_movement"
    case civilUnrest = "civil_unrest"
    case epidemic
    case flood
    case cyclone
    case earthquake
    case drought
    case foodInsecurity = "food_insecurity"
    case other

    public var labelKey: String { "emergency_type.\(rawValue)" }
}

/// The fields of an operation as entered, validated before anything is stored.
public struct OperationDraft: Sendable, Hashable {
    public var code: String
    public var name: String
    public var countries: [String]
    public var emergencyType: EmergencyType
    public var glideNumber: String?
    public var appealCode: String?
    public var startDate: Date?
    /// An IANA name ("Africa/Khartoum"): times are entered and shown on this clock.
    public var timeZone: String

    public init(
        code: String, name: String, countries: [String], emergencyType: EmergencyType = .complexEmergency,
        glideNumber: String? = nil, appealCode: String? = nil, startDate: Date? = nil, timeZone: String = "UTC"
    ) {
        self.timeZone = timeZone
        self.code = code
        self.name = name
        self.countries = countries
        self.emergencyType = emergencyType
        self.glideNumber = glideNumber
        self.appealCode = appealCode
        self.startDate = startDate
    }

    /// Parses "SDN, TCD" or "sdn;tcd" into upper-case codes, dropping blanks and repeats.
    public static func parseCountries(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " })
            .map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Returns the draft normalised (trimmed, upper-cased codes) or every problem found.
    public func validated() throws(ValidationErrors) -> OperationDraft {
        var draft = self
        draft.code = code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        draft.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        draft.glideNumber = glideNumber?.trimmingCharacters(in: .whitespaces).uppercased().nilIfEmpty
        draft.appealCode = appealCode?.trimmingCharacters(in: .whitespaces).uppercased().nilIfEmpty
        var errors = ValidationErrors()
        draft.timeZone = timeZone.trimmingCharacters(in: .whitespaces)
        if OperationTime(identifier: draft.timeZone) == nil {
            errors.add(
                "time_zone", key: "error.time_zone", "Give the time zone's IANA name, such as Africa/Khartoum or UTC.")
        }
        if draft.code.range(of: #"^[A-Z0-9][A-Z0-9_-]{1,31}$"#, options: .regularExpression) == nil {
            errors.add("code", key: "error.operation_code", "Use 2–32 letters, digits, '-' or '_', e.g. SDN-2026.")
        }
        if draft.name.isEmpty || draft.name.count > 200 {
            errors.add("name", key: "error.required", "A name of 1–200 characters is required.")
        }
        if draft.countries.isEmpty {
            errors.add(
                "countries", key: "error.countries_required",
                "Give at least one ISO 3166 alpha-3 country code, e.g. SDN.")
        } else {
            let unknown = draft.countries.filter { !Countries.isKnown($0) }
            if !unknown.isEmpty {
                errors.add(
                    "countries", key: "error.countries_unknown",
                    "Unknown ISO 3166 alpha-3 code(s): \(unknown.joined(separator: ", ")).")
            }
        }
        // GLIDE numbers look like FL-2026-000123-SDN.
        if let glide = draft.glideNumber,
            glide.range(of: #"^[A-Z]{2}-\d{4}-\d{6}-[A-Z]{3}$"#, options: .regularExpression) == nil
        {
            errors.add("glide", key: "error.glide", "A GLIDE number looks like FL-2026-000123-SDN.")
        }
        // IFRC appeal codes look like MDRSD033.
        if let appeal = draft.appealCode,
            appeal.range(of: #"^M[A-Z]{2}[A-Z0-9]{2}\d{3}$"#, options: .regularExpression) == nil
        {
            errors.add("appeal", key: "error.appeal", "An IFRC appeal code looks like MDRSD033.")
        }
        try errors.throwIfAny()
        return draft
    }
}

extension String {
    /// nil for an empty string, so optional fields store NULL rather than "".
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks. Imports call this for every
    /// cell of every row; Foundation's `trimmingCharacters(in:)` bridges through NSString and
    /// costs more than parsing the row.
    public var trimmedASCIIWhitespace: String {
        let utf8 = self.utf8
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else { return self }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = utf8.lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
