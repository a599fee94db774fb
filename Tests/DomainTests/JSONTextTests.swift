import Domain
import Testing

@Suite("JSON written by hand")
struct JSONTextTests {
    /// An import hashes the original values' JSON to tell a changed row: the byte-built object must
    /// give exactly the text the string-built quoting gives, or every stored row would look changed.
    @Test("an object is its sorted keys and values quoted exactly as `quoted` quotes them")
    func objectMatchesQuoted() throws {
        let values = [
            "notes": "He said \"stop\"\\ then\nleft\r\n\tquickly \u{1}\u{1F}", "event_date": "2024-01-05",
            "actor1": "قوات الدعم السريع", "empty": "", "emoji 🚑": "a/b <c> & 'd'", "Zeta": "upper before lower",
        ]
        let expected =
            "{"
            + values.keys.sorted().map { JSONText.quoted($0) + ":" + JSONText.quoted(values[$0]!) }
            .joined(separator: ",") + "}"
        #expect(JSONText.object(values) == expected)
        #expect(JSONText.quoted("a\"b\\c\nd\u{1}") == #""a\"b\\c\nd\u0001""#)
        // The exact text earlier releases stored (their hashes rest on it), written out.
        #expect(
            JSONText.object(["b": "x\"y\\", "a": "line\nbreak\r\t\u{1F}", "ج": "عربي"])
                == #"{"a":"line\nbreak\r\t\u001f","b":"x\"y\\","ج":"عربي"}"#)
        #expect(JSONText.object([:]) == "{}")
    }
}
