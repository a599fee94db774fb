/// The one reader of whole numbers typed as text (counts, likelihoods, years): ASCII digits only,
/// no sign, no grouping, no spaces, at most 18 digits so it always fits an `Int`. `Int(_:)` alone
/// would accept "+5" and Arabic-Indic digits differently on different paths.
public enum WholeNumber {
    public static func parse(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }
}
