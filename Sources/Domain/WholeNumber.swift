import Foundation

/// The one reader of whole numbers typed as text (counts, likelihoods, years): ASCII digits only,
/// no sign, no grouping, no spaces, at most 18 digits so it always fits an `Int`. `Int(_:)` alone
/// would accept "+5" and Arabic-Indic digits differently on different paths.
///
/// Displacement figures and planning figures run to millions and are copied from reports and
/// published files as "448,465": `parse(grouped:)` reads those, and nothing else loosely.
public enum WholeNumber {
    public static func parse(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        return Int(text)
    }

    /// The characters that may group thousands: a comma, a space, a (narrow) no-break space.
    public static let separators: Set<Character> = [",", " ", "\u{00A0}", "\u{202F}"]

    /// `parse`, with spaces around the number ignored and its thousands grouped by one kind of
    /// separator, each group of three digits after a first of one to three: "1,200", "448 465",
    /// "12 345" (as Bearing prints them). "1,2345" is a typo, not twelve thousand; "1.200" is
    /// refused, as half the world reads it as one point two; a sign is never part of a count.
    public static func parse(grouped text: some StringProtocol) -> Int? {
        // Plain digits first: nearly every cell of an imported file is one, and trimming costs more.
        if let value = parse(text) { return value }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let value = parse(trimmed) { return value }
        guard let separator = trimmed.first(where: { !($0.isASCII && $0.isNumber) }), separators.contains(separator)
        else { return nil }
        let groups = trimmed.split(separator: separator, omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count), groups.dropFirst().allSatisfy({ $0.count == 3 })
        else { return nil }
        // A second kind of separator, or anything else, fails here: only digits may be left.
        let plain: String = groups.joined(separator: "")
        return parse(plain)
    }
}
