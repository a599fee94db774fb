import Foundation

/// The security plans' rich text: a small Markdown subset turned into HTML, every character of
/// the text escaped. Headings (`#`, `##`, `###`), bullet lists (`-` or `*`), numbered lists
/// (`1.`), paragraphs separated by a blank line, line breaks within them, `**bold**` and
/// `*italic*`. No links, images or raw HTML: a plan is read by every IFRC member of the
/// operation, and the mirror's Markdown library (Ink) passes HTML and `javascript:` links through,
/// which we would then have to strip again. This is the whole of what the plans need.
public enum RichText {
    /// `topLevel`: the HTML level of `#` (3: the text sits under a page's h2). A heading never skips
    /// a level below the one before it (`#` then `###` gives h3 then h4), so screen readers'
    /// heading lists stay in order whatever the author typed.
    public static func html(_ text: String, topLevel: Int = 3) -> HTML {
        var out = HTML()
        var previous = topLevel - 1
        enum Block { case none, paragraph, bullets, numbers }
        var open = Block.none
        func close() {
            switch open {
            case .paragraph: out.markup("</p>")
            case .bullets: out.markup("</ul>")
            case .numbers: out.markup("</ol>")
            case .none: break
            }
            open = .none
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { close(); continue }
            if let (level, heading) = Self.heading(line) {
                close()
                previous = min(topLevel + level - 1, previous + 1, 6)
                out.heading(previous) { inline(heading, into: &$0) }
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                if open != .bullets { close(); out.markup("<ul>"); open = .bullets }
                out.markup("<li>")
                inline(String(line.dropFirst(2)), into: &out)
                out.markup("</li>")
            } else if let item = Self.numbered(line) {
                if open != .numbers { close(); out.markup("<ol>"); open = .numbers }
                out.markup("<li>")
                inline(item, into: &out)
                out.markup("</li>")
            } else {
                if open == .paragraph {
                    out.markup("<br>")
                } else {
                    close()
                    out.markup("<p>")
                    open = .paragraph
                }
                inline(line, into: &out)
            }
        }
        close()
        return out
    }

    static func heading(_ line: String) -> (Int, String)? {
        for level in (1...3).reversed() {
            let mark = String(repeating: "#", count: level) + " "
            if line.hasPrefix(mark) { return (level, String(line.dropFirst(mark.count))) }
        }
        return nil
    }

    /// "12. text" → "text".
    static func numbered(_ line: String) -> String? {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3, line.dropFirst(digits.count).hasPrefix(". ") else { return nil }
        return String(line.dropFirst(digits.count + 2))
    }

    /// Bold and italic within a line; an unclosed marker stays as written.
    static func inline(_ text: String, into out: inout HTML) {
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**"),
                end.lowerBound > rest.index(rest.startIndex, offsetBy: 2)
            {
                out.markup("<strong>")
                out.text(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound]))
                out.markup("</strong>")
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix("*"), let end = rest.dropFirst().firstIndex(of: "*"),
                end > rest.index(after: rest.startIndex)
            {
                out.markup("<em>")
                out.text(String(rest[rest.index(after: rest.startIndex)..<end]))
                out.markup("</em>")
                rest = rest[rest.index(after: end)...]
            } else {
                let next = rest.dropFirst().firstIndex(of: "*") ?? rest.endIndex
                out.text(String(rest[..<next]))
                rest = rest[next...]
            }
        }
    }
}
