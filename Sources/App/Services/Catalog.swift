import Fluent
import Foundation

/// UI strings for every language, loaded once from `Resources/Locales/<lang>.json`.
/// A key missing in a language falls back to English; the catalogue test proves none is missing.
struct Catalog: Sendable {
    static let languages = ["en", "fr", "es", "ar"]
    static let rightToLeft: Set<String> = ["ar"]

    let strings: [String: [String: String]]

    static func load(from directory: String) throws -> Catalog {
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

    func table(_ language: String) -> [String: String] { strings[language] ?? strings["en"] ?? [:] }

    /// Code names keys with dots ("role.staff"); templates cannot, so the catalogue uses underscores.
    func text(_ key: String, _ language: String) -> String {
        // Templates already use underscores; convert only dotted keys from code (this runs per string).
        // A byte swap, not Foundation's replacingOccurrences: this runs for every label on every page.
        let key = key.utf8.contains(UInt8(ascii: "."))
            ? String(decoding: key.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "_") : $0 }, as: UTF8.self) : key
        return table(language)[key] ?? strings["en"]?[key] ?? key
    }

    /// The text for `key` if the catalogue has one (in `language` or English), else nil: for names
    /// that may be the catalogue's or an administrator's (a renamed risk level, a new threat).
    func lookup(_ key: String, _ language: String) -> String? {
        let key = key.utf8.contains(UInt8(ascii: "."))
            ? String(decoding: key.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "_") : $0 }, as: UTF8.self) : key
        return table(language)[key] ?? strings["en"]?[key]
    }

    /// The best supported language from an Accept-Language header.
    static func negotiate(_ header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ",") {
            let tag = part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            let primary = String(tag.prefix(2))
            if languages.contains(primary) { return primary }
        }
        return nil
    }
}
