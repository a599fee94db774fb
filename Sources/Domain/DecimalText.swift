import Foundation

/// Fixed-point decimal text. Foundation's `String(format:)` goes through `NSString` and is slow
/// enough to show in profiles of list pages that print two coordinates per row.
public enum DecimalText {
    /// A finite number as people type it, with a point or a comma for decimals; nil otherwise.
    public static func double(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, let value = Double(trimmed.replacingOccurrences(of: ",", with: ".")), value.isFinite
        else { return nil }
        return value
    }

    /// A change as a page shows it: "+12 %", "-3 %", "0 %", or "—" when there is nothing to
    /// compare with. Through `fixed`, so no value (not even infinity) can trap.
    public static func signedPercent(_ value: Double?) -> String {
        guard let value else { return "—" }
        return (value > 0 ? "+" : "") + fixed(value, digits: 0) + " %"
    }

    /// `value` rounded to `digits` decimals (0–9), e.g. `fixed(15.5, digits: 5)` is "15.50000".
    /// Never prints "-0": a value that rounds to zero has no sign.
    public static func fixed(_ value: Double, digits: Int) -> String {
        precondition((0...9).contains(digits), "digits must be 0–9")
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * Double(scale)).rounded()
        guard scaled.magnitude < 9e17 else { return String(value) }  // beyond Int: no coordinate gets here
        let units = Int(scaled)
        let magnitude = units.magnitude
        var text = units < 0 ? "-" : ""
        text += String(magnitude / UInt(scale))
        if digits > 0 {
            let fraction = String(magnitude % UInt(scale))
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }

    /// A number as a form shows it back: at most two decimals, none when whole ("12", "0.5", "7.25").
    public static func plain(_ value: Double) -> String {
        var text = fixed(value, digits: 2)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `grouped` for a chart's or a map's numbers.
    public static func grouped(_ value: Int) -> String { grouped(Int64(value)) }

    /// A whole number with its thousands grouped by a narrow no-break space, as in every language
    /// Bearing speaks ("12 345"); "—" for none.
    public static func grouped(_ value: Int64?) -> String {
        guard let value else { return "—" }
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "\u{202F}" }
            out.append(c)
        }
        return out
    }
}
