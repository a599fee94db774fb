import Foundation

extension Countries {
    private static let locales: [String: Locale] = Dictionary(
        uniqueKeysWithValues: ["fr", "es", "ar"].map { ($0, Locale(identifier: $0)) })

    /// The country's name in `language` (en, fr, es, ar), as the system's locale data (CLDR) gives
    /// it; the English name where the locale data has none. Nil for a code that is no country.
    public static func name(_ iso3: String, in language: String) -> String? {
        guard let english = names[iso3] else { return nil }
        guard let locale = locales[language], let code = alpha2[iso3],
            let local = locale.localizedString(forRegionCode: code), !local.isEmpty, local != code
        else { return english }
        return local
    }

    /// The French, Spanish and Arabic names of the countries that have them → ISO3, so that a place
    /// written in any of the four languages is found.
    public static let codesByTranslatedName: [String: String] = {
        var codes: [String: String] = [:]
        for iso3 in alpha2.keys.sorted() {
            for language in locales.keys.sorted() {
                if let local = name(iso3, in: language), local != names[iso3], codes[local] == nil {
                    codes[local] = iso3
                }
            }
        }
        return codes
    }()
}
