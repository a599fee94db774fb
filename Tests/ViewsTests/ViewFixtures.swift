import Domain
import Foundation
import Geo
import SnapshotTesting
import Testing
import Views

/// What the view tests render with: the real catalogue, a signed-in chrome in each language, and
/// the strings a hostile user would type.
enum ViewFixtures {
    static let catalog: Catalog = {
        do { return try Catalog.bundled() } catch { fatalError("the bundled catalogue does not load: \(error)") }
    }()

    static let languages = ["en", "ar"]

    static func chrome(_ language: String, title: String = "Title", flash: String? = nil, clock: OperationTime = .utc)
        -> PageChrome
    {
        PageChrome(
            title: title, strings: Strings(catalog, language: language, clock: clock), csrf: "CSRF-TOKEN",
            hasSession: true,
            user: .init(name: "Amal Haddad", isAdmin: false), path: "/operations/SDN-TEST", flash: flash)
    }

    /// Script, a quote that would end an attribute, a right-to-left override, and 10,000 characters.
    static let hostile = [
        "<script>alert(1)</script>", "\" onmouseover=\"alert(1)", "' autofocus onfocus='x", "\u{202E}evil\u{202C}",
        String(repeating: "W", count: 10_000),
    ]

    static let operationCode = "SDN-TEST"
    /// 2026-11-23 14:25 UTC.
    static let moment = Date(timeIntervalSince1970: 1_795_443_900)
    static let ids = (0..<20).map { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", $0))! }
    /// The `n`th fixed id, as whatever kind of id the model asks for.
    static func id(_ n: Int) -> UUID { ids[n] }
    static func id<Tag>(_ n: Int) -> Tagged<Tag, UUID> { Tagged(ids[n]) }

    /// A small map drawn by Geo, as every page with a map gets one.
    static let map = SVGMapRenderer.render(MapRequest(title: "Map"))

    /// Asserts that a hostile string reaches the page only escaped: never as typed when it holds
    /// markup or quotes (so no element starts and no attribute is broken out of), and always shown.
    static func expectShownEscaped(_ text: String, in html: HTML, sourceLocation: SourceLocation = #_sourceLocation) {
        var escaped = ""
        HTML.escape(text, into: &escaped)
        let page = html.html
        #expect(page.contains(escaped), "the text is not shown", sourceLocation: sourceLocation)
        if escaped != text {
            #expect(!page.contains(text), "the text is in the page unescaped", sourceLocation: sourceLocation)
        }
        #expect(!page.contains("<script>"), "a script element from the text", sourceLocation: sourceLocation)
    }

    /// The snapshot of a whole document, named by page, case and language.
    static func snapshot(
        _ html: HTML, _ name: String, fileID: StaticString = #fileID, file: StaticString = #filePath,
        testName: String = #function, line: UInt = #line, column: UInt = #column
    ) {
        // Asset paths carry their content's hash: a change to the stylesheet is not a change to the page.
        let stable = html.html.replacing(/\/assets\/[0-9a-f]{16}\//, with: "/assets/HASH/")
        assertSnapshot(
            of: stable, as: .lines, named: name, fileID: fileID, file: file, testName: testName,
            line: line, column: column)
    }
}
