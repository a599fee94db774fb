import Geo

/// HTML built in Swift: every page's view writes into one of these.
///
/// Safe by construction: markup can only be a string literal (`StaticString`), every value known
/// only at run time goes through `text(_:)`, which escapes it for element content and quoted
/// attribute values alike, and SVG enters only as Geo's `SVG`, which only Geo's renderers make.
///
/// Why not Leaf's loops or a tree-building DSL (Plot): LeafKit spends tens of microseconds on every
/// loop iteration (it copies the whole context and starts a new serializer per item; BENCHMARKS.md),
/// and a node tree allocates per element. Appending to one string is the floor.
public struct HTML: Sendable, Equatable, CustomStringConvertible {
    public private(set) var html = ""

    public init() { html.reserveCapacity(4096) }

    public var description: String { html }

    /// Literal markup, written as is.
    public mutating func markup(_ literal: StaticString) {
        html += literal.description
    }

    /// A heading of `level` (1–6, clamped) around `content`.
    public mutating func heading(_ level: Int, _ content: (inout HTML) -> Void) {
        let tags: [(StaticString, StaticString)] = [
            ("<h1>", "</h1>"), ("<h2>", "</h2>"), ("<h3>", "</h3>"), ("<h4>", "</h4>"), ("<h5>", "</h5>"),
            ("<h6>", "</h6>"),
        ]
        let (open, close) = tags[min(max(level, 1), 6) - 1]
        markup(open)
        content(&self)
        markup(close)
    }

    /// A value, escaped.
    public mutating func text(_ value: String) {
        HTML.escape(value, into: &html)
    }

    public mutating func text(_ value: Int) {
        html += String(value)
    }

    /// A link target or any other URL Bearing prints: escaped like every value.
    public mutating func url(_ url: SiteURL) {
        HTML.escape(url.path, into: &html)
    }

    /// SVG drawn by Geo's renderers, which escape every text they place.
    public mutating func svg(_ svg: SVG) {
        html += svg.markup
    }

    /// Another fragment, already safe.
    public mutating func append(_ fragment: HTML) {
        html += fragment.html
    }

    /// ` name="value"`, the value escaped.
    public mutating func attribute(_ name: StaticString, _ value: String) {
        html += " "
        html += name.description
        html += "=\""
        HTML.escape(value, into: &html)
        html += "\""
    }

    /// Escapes `&`, `<`, `>`, `"` and `'` (as LeafKit does), scanning UTF-8 bytes: the five
    /// characters are ASCII, so no multi-byte character can contain them.
    public static func escape(_ value: String, into out: inout String) {
        let utf8 = value.utf8
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            out += value
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case 0x26: bytes.append(contentsOf: "&amp;".utf8)
            case 0x3C: bytes.append(contentsOf: "&lt;".utf8)
            case 0x3E: bytes.append(contentsOf: "&gt;".utf8)
            case 0x22: bytes.append(contentsOf: "&quot;".utf8)
            case 0x27: bytes.append(contentsOf: "&#39;".utf8)
            default: bytes.append(byte)
            }
        }
        out += String(decoding: bytes, as: UTF8.self)
    }
}
