import Domain
import Foundation

/// Reads tallies back from a CSV with Bearing's flow export headers, or from any HXL file whose
/// columns carry the export's hashtags (in any order, among others): each row as header → text.
public enum FlowReader {
    public enum Format: String, Sendable, CaseIterable { case csv, hxl }

    public struct Row: Sendable {
        public var number: Int
        public var values: [String: String]
    }

    /// The file's rows, read one at a time: memory stays flat whatever the file's size.
    public final class Rows {
        let reader: CSVRows
        let headers: [String?]
        let format: Format
        init(reader: CSVRows, headers: [String?], format: Format) {
            self.reader = reader; self.headers = headers; self.format = format
        }

        public func next() throws -> Row? {
            while let cells = try SourceCSV.next(reader) {
                if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
                if format == .csv, cells.first?.hasPrefix("#") == true { continue }
                var values: [String: String] = [:]
                for (i, header) in headers.enumerated() where i < cells.count {
                    if let header { values[header] = cells[i].trimmingCharacters(in: .whitespaces) }
                }
                return Row(number: reader.recordNumber, values: values)
            }
            return nil
        }
    }

    /// Opens the file and reads its header (and, for HXL, its hashtag row); a file that is not a
    /// flow export is refused here, before any row.
    public static func open(_ url: URL, format: Format) throws -> Rows {
        let reader = try SourceCSV.open(url)
        var headers: [String?]
        switch format {
        case .csv:
            guard let first = try SourceCSV.next(reader) else {
                throw SourceFileError("\(url.lastPathComponent) is empty.")
            }
            let known = Set(FlowExchange.headers)
            headers = first.map {
                let h = $0.trimmingCharacters(in: .whitespaces).lowercased(); return known.contains(h) ? h : nil
            }
        // Bearing's HXL export read as plain CSV: its hashtag row is not a tally.
        case .hxl:
            let columns = try HXL.columns(
                reader, example: "#loc+name,#date+start,#x_direction,#population+ind+x_observed")
            let byTag = FlowExchange.headerByHashtag
            headers = columns.tags.map { $0.flatMap { byTag[$0.spec] } }
        }
        let present = Set(headers.compactMap { $0 })
        let missing =
            ["window_start", "direction", "people"].filter { !present.contains($0) }
            + (present.contains("point") || present.contains("point_code") ? [] : ["point"])
        guard missing.isEmpty else {
            throw SourceFileError(
                "\(url.lastPathComponent) has no \(missing.joined(separator: ", ")) column\(format == .hxl ? " (by hashtag)" : ""): is it a flow-monitoring export?"
            )
        }
        return Rows(reader: reader, headers: headers, format: format)
    }
}
