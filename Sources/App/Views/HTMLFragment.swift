/// An HTML fragment built in Swift, for the loops of the busiest pages (table rows, option lists).
/// LeafKit spends tens of microseconds on every loop iteration (it copies the whole context and
/// starts a new serializer per item; see BENCHMARKS.md), which on a list page outweighs everything
/// else. Templates still own the page; they place a fragment with `#unsafeHTML(...)`.
///
/// Safe by construction: markup can only be a string literal (`StaticString`), and every value
/// known only at run time goes through `text(_:)`, which escapes it for both element content and
/// quoted attribute values.
struct HTMLFragment: Encodable, Sendable, CustomStringConvertible {
    private(set) var html = ""

    init() { html.reserveCapacity(4096) }

    var description: String { html }

    /// Literal markup, written as is.
    mutating func markup(_ literal: StaticString) {
        html += literal.description
    }

    /// A value, escaped.
    mutating func text(_ value: String) {
        HTMLFragment.escape(value, into: &html)
    }

    /// SVG drawn by our own renderers (`Geo`), which escape every text they place.
    mutating func trustedSVG(_ svg: String) {
        html += svg
    }

    /// A table's head row: one column header per label, escaped.
    mutating func tableHead(_ labels: [String]) {
        markup("<thead><tr>")
        for label in labels {
            markup("<th scope=\"col\">")
            text(label)
            markup("</th>")
        }
        markup("</tr></thead>")
    }

    /// Another fragment, already safe.
    mutating func append(_ fragment: HTMLFragment) {
        html += fragment.html
    }

    mutating func text(_ value: Int) {
        html += String(value)
    }

    /// `<option>`s of a select, the chosen one marked.
    mutating func options(_ options: [(value: String, label: String, selected: Bool)]) {
        for option in options {
            markup("<option value=\"")
            text(option.value)
            markup(option.selected ? "\" selected>" : "\">")
            text(option.label)
            markup("</option>")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(html)
    }

    /// Escapes `&`, `<`, `>`, `"` and `'` (as LeafKit does), scanning UTF-8 bytes: the five
    /// characters are ASCII, so no multi-byte character can contain them.
    static func escape(_ value: String, into out: inout String) {
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
