import Foundation

/// A telephone number as a person gave it, with its E.164 form when it can be read: "+249912345678".
/// A number that cannot be read keeps its text, so nothing typed is lost, and says so.
public struct PhoneNumber: Sendable, Hashable, Codable {
    public enum Kind: String, CaseIterable, Sendable, Codable, Hashable {
        case mobile, satellite, landline, other
        public var labelKey: String { "phone_kind.\(rawValue)" }
    }

    public var kind: Kind
    /// As given, trimmed.
    public var text: String
    /// "+" and digits; nil when the text could not be read as a number.
    public var e164: String?

    public init(kind: Kind, text: String, e164: String?) {
        self.kind = kind
        self.text = text
        self.e164 = e164
    }

    /// Reads `text`: international numbers ("+249 91 234 5678", "00249…") on their own; national
    /// ones ("091 234 5678") with the country's calling code, when `country` (ISO alpha-3) is known.
    public init(kind: Kind, reading text: String, country: String?) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        self.init(kind: kind, text: trimmed, e164: Self.e164(trimmed, country: country))
    }

    /// The number as people read it aloud: "+249 912 345 678", the calling code apart and the rest
    /// in threes (a last four rather than a one); the text as given when it could not be read.
    public var display: String {
        guard let e164 else { return text }
        let digits = Array(e164.utf8.dropFirst())
        // Only what `e164(_:country:)` writes is grouped: "+" and 7 to 15 digits.
        guard (7...15).contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return e164 }
        var code = 0, codeLength = 0
        for length in 1...min(3, digits.count) {
            code = code * 10 + Int(digits[length - 1] &- 0x30)
            if Self.callingCodes.contains(code) {
                codeLength = length
                break
            }
        }
        var out = "+"
        out.unicodeScalars.append(contentsOf: digits[..<codeLength].map { Unicode.Scalar($0) })
        var index = codeLength
        while index < digits.count {
            let rest = digits.count - index
            let size = rest == 4 ? 4 : min(3, rest)
            out.append(" ")
            out.unicodeScalars.append(contentsOf: digits[index..<(index + size)].map { Unicode.Scalar($0) })
            index += size
        }
        return out
    }

    /// What a `tel:` link dials: the E.164 form, else the digits given.
    public var dialled: String { e164 ?? text.filter { $0 == "+" || $0.isASCII && $0.isNumber } }

    /// Calling codes without a country: Inmarsat (870), global mobile satellite systems (881, with
    /// Iridium and Thuraya's 8816/8821…), international networks (882, 883).
    static let nonGeographic: Set<Int> = [870, 881, 882, 883]
    static let callingCodes: Set<Int> = Set(Countries.dialling.values.map(\.callingCode)).union(nonGeographic)

    static func e164(_ text: String, country: String?) -> String? {
        // Separators people write between digits; anything else (letters, "ext.") is not read.
        let separators: Set<Character> = [" ", "-", ".", "(", ")", "/", "\u{00A0}"]
        var body = Substring(text)
        var international = false
        if body.hasPrefix("+") {
            international = true
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy({ ($0.isASCII && $0.isNumber) || separators.contains($0) }) else {
            return nil
        }
        var digits = String(body.filter { $0.isASCII && $0.isNumber })
        if !international && digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        }
        if international {
            guard (7...15).contains(digits.count),
                (1...3).contains(where: { callingCodes.contains(Int(digits.prefix($0)) ?? -1) })
            else { return nil }
            return "+" + digits
        }
        guard let country, let dialling = Countries.dialling[country.uppercased()] else { return nil }
        // The trunk prefix ("0" in "0912…") is dialled only inside the country; a number written
        // without it is read as it is.
        var candidates = [digits]
        if let trunk = dialling.trunkPrefix, digits.hasPrefix(trunk) {
            candidates.insert(String(digits.dropFirst(trunk.count)), at: 0)
        }
        let lengths = dialling.nationalLengths
        guard
            let national = candidates.first(where: {
                lengths.isEmpty ? (4...14).contains($0.count) : lengths.contains($0.count)
            })
        else { return nil }
        let full = String(dialling.callingCode) + national
        return full.count <= 15 ? "+" + full : nil
    }
}
