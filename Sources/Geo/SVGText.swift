/// Helpers for writing SVG text safely and compactly.
enum SVGText {
    /// Escapes the five XML special characters and drops characters XML 1.0 forbids.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result += " "
            default:
                // Control characters and non-characters would make the document ill-formed.
                let v = scalar.value
                if v < 0x20 || (0xFFFE...0xFFFF).contains(v) || (0x7F...0x9F).contains(v) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A number rounded to one decimal, without trailing ".0" or leading "0" (".5", "-.5").
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return tenths(Int((value * 10).rounded()))
    }

    /// Formats an integer count of tenths as a decimal number.
    static func tenths(_ t: Int) -> String {
        let sign = t < 0 ? "-" : ""
        let a = t.magnitude
        let whole = a / 10, fraction = a % 10
        if fraction == 0 { return whole == 0 ? "0" : sign + String(whole) }
        return sign + (whole == 0 ? "" : String(whole)) + "." + String(fraction)
    }

    /// The link if it is relative or uses http, https or mailto; anything else (javascript:, data:) is refused.
    static func safeHref(_ href: String?) -> String? {
        guard let href = href?.trimmingWhitespace, !href.isEmpty else { return nil }
        let lower = href.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") { return href }
        if let colon = lower.firstIndex(of: ":") {
            // A colon before any path separator means a scheme we do not trust.
            let beforeColon = lower[..<colon]
            if !beforeColon.contains(where: { "/?#".contains($0) }) { return nil }
        }
        return href
    }

    /// A #rgb or #rrggbb colour as given, else the fallback.
    static func colour(_ value: String, fallback: String) -> String {
        let hex = value.dropFirst()
        let valid = value.hasPrefix("#") && (hex.count == 3 || hex.count == 6) && hex.allSatisfy(\.isHexDigit)
        return valid ? value : fallback
    }

    /// A closed-ring path in relative moves over tenth-unit integers, so rounding never drifts.
    static func appendRing(_ ring: [Point], to out: inout String) {
        var points: [(x: Int, y: Int)] = []
        points.reserveCapacity(ring.count)
        for p in ring {
            let q = (x: Int((p.x * 10).rounded()), y: Int((p.y * 10).rounded()))
            if let last = points.last, last == q { continue }
            points.append(q)
        }
        // "z" closes the ring, so the repeated first position is not written.
        if points.count > 1, let first = points.first, let last = points.last, first == last { points.removeLast() }
        guard points.count >= 3 else { return }
        out += "M" + tenths(points[0].x)
        appendNumber(points[0].y, to: &out)
        out += "l" + tenths(points[1].x - points[0].x)
        appendNumber(points[1].y - points[0].y, to: &out)
        for i in 2..<points.count {
            appendNumber(points[i].x - points[i - 1].x, to: &out)
            appendNumber(points[i].y - points[i - 1].y, to: &out)
        }
        out += "z"
    }

    /// Appends a number, with a space separator unless its minus sign already separates it.
    private static func appendNumber(_ t: Int, to body: inout String) {
        if t >= 0 { body += " " }
        body += tenths(t)
    }
}

extension SVGText {
    /// A size (stroke width, font size) with one decimal, never rounded down to zero.
    static func number1(_ value: Double) -> String {
        number(max(value, 0.1))
    }
}
