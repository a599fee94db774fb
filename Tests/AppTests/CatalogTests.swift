import Foundation
import Testing
import Views

@testable import App

@Suite("String catalogue")
struct CatalogTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Views/Resources").standardized

    @Test("French, Spanish and Arabic have every English key, with the same placeholders")
    func complete() throws {
        let catalog = try Catalog.load(from: Self.directory.appendingPathComponent("Locales").path)
        let raw = { (lang: String) throws -> [String: String] in
            try JSONDecoder().decode(
                [String: String].self,
                from: Data(contentsOf: Self.directory.appendingPathComponent("Locales/\(lang).json")))
        }
        let english = try raw("en")
        for language in ["fr", "es", "ar"] {
            let table = try raw(language)
            #expect(Set(table.keys) == Set(english.keys), "\(language) keys")
            for (key, text) in english {
                let placeholders = text.matches(of: /\{[a-z]+\}/).map { String($0.output) }
                for p in placeholders { #expect(table[key]?.contains(p) == true, "\(language).\(key) keeps \(p)") }
            }
        }
        #expect(catalog.text("role.partner", "ar") != catalog.text("role.partner", "en"))
    }

    @Test("every string a view uses is in the catalogue")
    func templatesCovered() throws {
        let english = try JSONDecoder().decode(
            [String: String].self, from: Data(contentsOf: Self.directory.appendingPathComponent("Locales/en.json")))
        let sources = Self.directory.appendingPathComponent("../..").standardized
        // Views say things with `t("key")` (dots or underscores); every literal key must exist.
        let views = sources.appendingPathComponent("Views")
        var checked = 0
        for case let file as String in FileManager.default.enumerator(atPath: views.path)!
        where file.hasSuffix(".swift") {
            let text = try String(contentsOf: views.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /[^A-Za-z]t\("([a-z_0-9.]+)"\)/) {
                let key = String(match.output.1).replacingOccurrences(of: ".", with: "_")
                #expect(english[key] != nil, "\(file) uses t(\"\(match.output.1)\")")
                checked += 1
            }
        }
        #expect(checked > 50, "the views' strings were found")
    }

    /// Messages that carry the values that say what is wrong (a line, a value, an id) and have no
    /// catalogue sentence yet: shown in English, with their values, in every language.
    static let errorsWithValues: Set<String> = [
        "error.action_owner", "error.actions", "error.attendee_unknown", "error.attendees", "error.audit_checkpoint",
        "error.evidence_line", "error.organisation_person", "error.password", "error.query_range",
        "error.query_value", "error.representative_not_member", "error.settings_json", "error.too_many",
    ]

    @Test("every error a form, the API or an import gives is in the catalogue, unless it carries values")
    func errorsCovered() throws {
        let english = try JSONDecoder().decode(
            [String: String].self, from: Data(contentsOf: Self.directory.appendingPathComponent("Locales/en.json")))
        let sources = Self.directory.appendingPathComponent("../..").standardized
        var checked = 0
        for case let file as String in FileManager.default.enumerator(atPath: sources.path)!
        where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /key: "(error\.[a-z_0-9]+)"/) {
                let key = String(match.output.1)
                checked += 1
                guard !Self.errorsWithValues.contains(key) else { continue }
                #expect(
                    english[key.replacingOccurrences(of: ".", with: "_")] != nil,
                    "\(file) gives \(key), which an Arabic, French or Spanish reader would read in English")
            }
        }
        #expect(checked > 100, "the errors were found")
    }
}

@Suite("HTML fragments")
struct HTMLFragmentTests {
    @Test("values are escaped as LeafKit escaped them; markup and other scripts pass unchanged")
    func escaping() {
        var html = HTML()
        html.markup("<td title=\"")
        html.text(#"a "quoted" & 'single' <b>"#)
        html.markup("\">")
        html.text("الخرطوم (SD01)")
        html.text(42)
        html.markup("</td>")
        #expect(
            html.description
                == #"<td title="a &quot;quoted&quot; &amp; &#39;single&#39; &lt;b&gt;">الخرطوم (SD01)42</td>"#)
        #expect(html.description.contains("&lt;b&gt;"))
    }

    @Test("options mark the chosen one and escape labels")
    func options() {
        var html = HTML()
        html.options([
            Choice(value: "a", label: "A & B", selected: false), Choice(value: "b\"", label: "<B>", selected: true),
        ])
        #expect(
            html.description
                == #"<option value="a">A &amp; B</option><option value="b&quot;" selected>&lt;B&gt;</option>"#)
    }
}
