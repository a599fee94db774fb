import Domain
import Foundation

/// UI strings for every language, loaded once from `Resources/Locales/<lang>.json`.
/// A key missing in a language falls back to English; the catalogue test proves none is missing.
public struct Catalog: Sendable {
    public static let languages = ["en", "fr", "es", "ar"]
    public static let rightToLeft: Set<String> = ["ar"]

    public let strings: [String: [String: String]]

    public init(strings: [String: [String: String]]) { self.strings = strings }

    /// The catalogue shipped with Bearing (`Sources/Views/Resources/Locales`).
    public static func bundled() throws -> Catalog {
        try load(from: Bundle.module.bundleURL.appendingPathComponent("Resources/Locales").path)
    }

    public static func load(from directory: String) throws -> Catalog {
        var strings: [String: [String: String]] = [:]
        for language in languages {
            let url = URL(fileURLWithPath: directory).appendingPathComponent("\(language).json")
            strings[language] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        let english = strings["en"] ?? [:]
        for language in languages where language != "en" {
            strings[language] = english.merging(strings[language] ?? [:]) { _, translated in translated }
        }
        return Catalog(strings: strings)
    }

    public func table(_ language: String) -> [String: String] { strings[language] ?? strings["en"] ?? [:] }

    /// Code names keys with dots ("role.staff"); templates cannot, so the catalogue uses underscores.
    public func text(_ key: String, _ language: String) -> String {
        // Templates already use underscores; convert only dotted keys from code (this runs per string).
        // A byte swap, not Foundation's replacingOccurrences: this runs for every label on every page.
        let key =
            key.utf8.contains(UInt8(ascii: "."))
            ? String(decoding: key.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "_") : $0 }, as: UTF8.self) : key
        return table(language)[key] ?? strings["en"]?[key] ?? key
    }

    /// The text for `key` if the catalogue has one (in `language` or English), else nil: for names
    /// that may be the catalogue's or an administrator's (a renamed risk level, a new threat).
    public func lookup(_ key: String, _ language: String) -> String? {
        let key =
            key.utf8.contains(UInt8(ascii: "."))
            ? String(decoding: key.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "_") : $0 }, as: UTF8.self) : key
        return table(language)[key] ?? strings["en"]?[key]
    }

    /// The best supported language from an Accept-Language header.
    public static func negotiate(_ header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ",") {
            let tag = part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            let primary = String(tag.prefix(2))
            if languages.contains(primary) { return primary }
        }
        return nil
    }
}

/// The catalogue in one language: what a view uses to say anything.
public struct Strings: Sendable {
    public let catalog: Catalog
    public let language: String
    /// The clock times are shown on: the operation's, on its pages.
    public let clock: OperationTime

    public init(_ catalog: Catalog, language: String, clock: OperationTime = .utc) {
        self.catalog = catalog
        self.language = Catalog.languages.contains(language) ? language : "en"
        self.clock = clock
    }

    /// "2026-12-05 17:14 UTC+2": a moment on the operation's clock.
    public func minute(_ date: Date) -> String { clock.minute(date) }

    /// "2026-12-05 17:14 UTC+2 (15:14 UTC)": a moment others elsewhere act on (a deadline).
    public func deadlineTime(_ date: Date) -> String { clock.minuteWithUTC(date) }

    public var rightToLeft: Bool { Catalog.rightToLeft.contains(language) }
    public var direction: String { rightToLeft ? "rtl" : "ltr" }

    /// The text for `key` ("sites.title" or "sites_title"), or the key itself if none exists.
    public func callAsFunction(_ key: String) -> String { catalog.text(key, language) }

    /// The catalogue's text if it has one, else `fallback` (an administrator's own name).
    public func callAsFunction(_ key: String, or fallback: String) -> String {
        catalog.lookup(key, language) ?? fallback
    }
}

extension Strings {
    /// A text of IFRC's own defaults (a phase's description, indicators, requirements) in the reader's
    /// language, when the catalogue has it; any other text (an operation's own words) as written.
    /// Stored texts stay English, so a declaration's indicators match the catalogue whatever the language.
    public func ifrcText(_ text: String) -> String {
        catalog.lookup(Self.ifrcKey(text), language) ?? text
    }

    /// "ifrc_text.security_regulations_signed_by_all_personnel": the catalogue key of an IFRC text.
    public static func ifrcKey(_ text: String) -> String {
        var slug = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || (48...57).contains(scalar.value) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("_") {
                slug += "_"
            }
        }
        while slug.hasSuffix("_") { slug.removeLast() }
        return "ifrc_text." + String(slug.prefix(60))
    }
}

extension Strings {
    /// What the delivery monitor found wrong, in the reader's language ("The SMTP server cannot be reached").
    public func channelProblem(_ problem: ChannelProblem) -> String {
        guard let (key, values) = problem.message else { return problem.english }
        return values.reduce(self(key)) { $0.replacingOccurrences(of: $1.key, with: String($1.value)) }
    }
}
