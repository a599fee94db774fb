import Foundation

/// What every HXL reader shares: hashtags compared as HXL compares them, and finding the hashtag
/// row of a file.
enum HXL {
    /// A hashtag with its attributes, compared without regard to order or case (HXL's rule).
    struct Hashtag: Hashable {
        let tag: String
        let attributes: Set<String>
        init?(_ text: String) {
            let parts = text.trimmingCharacters(in: .whitespaces).lowercased().split(separator: "+").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let first = parts.first, first.hasPrefix("#"), first.count > 1 else { return nil }
            tag = first
            attributes = Set(parts.dropFirst().filter { !$0.isEmpty })
        }

        /// The hashtag as written canonically: tag, then attributes in order.
        var spec: String { ([tag] + attributes.sorted()).joined(separator: "+") }
    }

    /// The header row above the hashtags (may be empty) and the hashtags, column by column.
    struct Columns {
        let headers: [String]
        let tags: [Hashtag?]
    }

    /// Reads to the hashtag row: HXL allows header rows above it; it is the first whose non-empty
    /// cells are all hashtags. Looks at the first 25 rows, as libhxl does. `example` shows what
    /// the file should carry, for the refusal.
    static func columns(_ reader: CSVRows, example: String) throws -> Columns {
        var headers: [String] = []
        while reader.recordNumber < 25, let cells = try SourceCSV.next(reader) {
            let filled = cells.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if !filled.isEmpty, filled.allSatisfy({ Hashtag($0) != nil }) {
                return Columns(headers: headers, tags: cells.map(Hashtag.init))
            }
            headers = cells
        }
        throw SourceFileError("No HXL hashtag row (like \(example)) in the first 25 rows: this is not an HXL file.")
    }
}
