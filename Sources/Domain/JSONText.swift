/// JSON text written by hand where a `JSONEncoder` per value costs too much (a million imported
/// rows, streamed exports): string escaping per RFC 8259.
public enum JSONText {
    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var out = ""
        appendQuoted(text, to: &out)
        return out
    }

    /// Appends `text` as a JSON string literal to `out`, in place.
    public static func appendQuoted(_ text: String, to out: inout String) {
        // Most text needs no escaping: check the bytes (every character to escape is ASCII).
        if !text.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) {
            out += "\""
            out += text
            out += "\""
        } else {
            var bytes: [UInt8] = []
            appendQuoted(text, to: &bytes)
            out += String(decoding: bytes, as: UTF8.self)
        }
    }

    /// A string-to-string object with its keys sorted, compact. Built as bytes: an import writes
    /// one per row (the source's original values), and appending to a `String` piece by piece was
    /// 15 % of an import's time (perf, 2026-12-06; BENCHMARKS.md, issue 22 point 1).
    public static func object(_ values: [String: String]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(values.reduce(2) { $0 + $1.key.utf8.count + $1.value.utf8.count + 8 })
        out.append(UInt8(ascii: "{"))
        for (i, pair) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendQuoted(pair.key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendQuoted(pair.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string literal appended as bytes: the one place the escaping rules are. Every byte to escape is ASCII, and no byte of a multi-byte UTF-8
    /// sequence is, so escaping byte by byte is exact.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
