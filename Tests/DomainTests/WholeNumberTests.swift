import Domain
import Foundation
import Testing

/// `WholeNumber.parse` itself (digits only) is tested with the decoders (InputDecoderTests).
@Suite("Whole numbers with their thousands grouped")
struct WholeNumberTests {
    @Test("digits, spaces around, thousands grouped by one kind of separator in threes")
    func read() {
        let cases: [(String, Int)] = [
            ("0", 0), ("42", 42), (" 42 ", 42), ("007", 7), ("1,200", 1_200), ("448 465", 448_465),
            ("12\u{202F}345", 12_345), ("1\u{00A0}234\u{00A0}567", 1_234_567), ("1,234,567", 1_234_567),
            ("999,999,999,999,999,999", 999_999_999_999_999_999),
        ]
        for (text, value) in cases { #expect(WholeNumber.parse(grouped: text) == value, "\(text)") }
        #expect(WholeNumber.parse(grouped: "x 1,200 y".dropFirst(2).dropLast(2)) == 1_200, "a part of a text")
    }

    @Test("no sign, no decimals, no other digits, no loose grouping, nothing beyond 18 digits")
    func refused() {
        let cases = [
            "", " ", "-3", "+3", "3.0", "1.200", "1,2345", "12,34", "1,,234", ",123", "123,", "1,234 567",
            "1 2345", "٣", "١,٢٠٠", "１２", "x", "12a", "9,223,372,036,854,775,808",
            String(repeating: "9", count: 10_000),
        ]
        for text in cases { #expect(WholeNumber.parse(grouped: text) == nil, "\(text.prefix(20))") }
    }

    @Test("the digits-only reader stays strict: grouping is asked for, never assumed")
    func strict() {
        #expect(WholeNumber.parse("1,200") == nil && WholeNumber.parse(" 12") == nil)
        #expect(WholeNumber.parse("2026"[...]) == 2_026)
    }
}
