import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The sheets of an .xlsx workbook as rows of text (KoBo's XLS exports, XLSForms). Written here
/// because no package on the mirror reads OOXML spreadsheets; it reads what those files use: shared
/// and inline strings, numbers (an Excel date stays its serial number: the caller knows which
/// columns are dates), booleans, and the sheets in the workbook's order. Unpacking is capped, as
/// for HSDS ZIPs: deflate can claim gigabytes.
public enum XLSXReader {
    public struct Sheet: Sendable {
        public let name: String
        /// Every row, as wide as the widest; a missing cell is "".
        public let rows: [[String]]
    }

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public static func isXLSX(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// Foundation's XMLParser on Linux keeps libxml2 state that is not safe across threads (tests
    /// reading two workbooks at once saw each other's cells): one workbook is parsed at a time.
    private static let parsing = NSLock()

    public static func sheets(_ data: Data, maxUnpacked: Int = 200_000_000) throws -> [Sheet] {
        parsing.lock()
        defer { parsing.unlock() }
        return try unlockedSheets(data, maxUnpacked: maxUnpacked)
    }

    static func unlockedSheets(_ data: Data, maxUnpacked: Int) throws -> [Sheet] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw Failure("This is not a readable .xlsx file (not a ZIP archive).")
        }
        var unpacked = 0
        func read(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var bytes = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    unpacked += chunk.count
                    guard unpacked <= maxUnpacked else {
                        throw Failure("The workbook unpacks to more than \(maxUnpacked / 1_000_000) MB.")
                    }
                    bytes.append(chunk)
                }
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure("\(path) could not be unpacked.")
            }
            return bytes
        }
        guard let workbook = try read("xl/workbook.xml") else {
            throw Failure("This .xlsx file has no workbook (xl/workbook.xml).")
        }
        let strings = try read("xl/sharedStrings.xml").map(SharedStrings.parse) ?? []
        let relations = try read("xl/_rels/workbook.xml.rels").map(Relations.parse) ?? [:]
        var sheets: [Sheet] = []
        for (index, sheet) in Workbook.parse(workbook).enumerated() {
            // A relation's target is relative to xl/ (or absolute from the root).
            let target = relations[sheet.relation] ?? "worksheets/sheet\(index + 1).xml"
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            guard let xml = try read(path) else { continue }
            sheets.append(Sheet(name: sheet.name, rows: try Worksheet.parse(xml, strings: strings)))
        }
        return sheets
    }

    /// An Excel serial day (days since 1899-12-30, the fraction the time of day) as a date, UTC.
    public static func date(serial text: String) -> Date? {
        guard let serial = Double(text), serial > 0, serial < 2_958_466 else { return nil }
        return Date(timeIntervalSince1970: (serial - 25_569) * 86_400)
    }

    // MARK: Parts

    final class SharedStrings: NSObject, XMLParserDelegate {
        var strings: [String] = []
        var current = ""
        var inItem = false, inText = false, inPhonetic = false

        static func parse(_ data: Data) -> [String] {
            let handler = SharedStrings()
            let parser = XMLParser(data: data)
            parser.delegate = handler
            parser.parse()
            return handler.strings
        }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch name {
            case "si": inItem = true; current = ""
            case "t": inText = true
            case "rPh": inPhonetic = true  // a reading aid, not the text
            default: break
            }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inItem, inText, !inPhonetic { current += string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "si": strings.append(current); inItem = false
            case "t": inText = false
            case "rPh": inPhonetic = false
            default: break
            }
        }
    }

    final class Relations: NSObject, XMLParserDelegate {
        var targets: [String: String] = [:]
        static func parse(_ data: Data) -> [String: String] {
            let handler = Relations()
            let parser = XMLParser(data: data)
            parser.delegate = handler
            parser.parse()
            return handler.targets
        }
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] {
                targets[id] = target
            }
        }
    }

    final class Workbook: NSObject, XMLParserDelegate {
        var sheets: [(name: String, relation: String)] = []
        static func parse(_ data: Data) -> [(name: String, relation: String)] {
            let handler = Workbook()
            let parser = XMLParser(data: data)
            parser.delegate = handler
            parser.parse()
            return handler.sheets
        }
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "sheet", let sheetName = attributes["name"] {
                sheets.append((sheetName, attributes["r:id"] ?? attributes["id"] ?? ""))
            }
        }
    }

    final class Worksheet: NSObject, XMLParserDelegate {
        let strings: [String]
        var rows: [[String]] = []
        var row: [Int: String] = [:]
        var rowIndex = 0
        var column = 0
        var type = ""
        var value = ""
        var inValue = false, inInline = false
        var failure: Failure?

        init(strings: [String]) { self.strings = strings }

        static func parse(_ data: Data, strings: [String]) throws -> [[String]] {
            let handler = Worksheet(strings: strings)
            let parser = XMLParser(data: data)
            parser.delegate = handler
            guard parser.parse() else { throw Failure("A sheet of this .xlsx file is not readable XML.") }
            if let failure = handler.failure { throw failure }
            let width = handler.rows.map(\.count).max() ?? 0
            return handler.rows.map { $0 + Array(repeating: "", count: width - $0.count) }
        }

        /// "AB12" → 27 (zero-based column).
        static func column(of reference: String) -> Int? {
            var index = 0
            var letters = 0
            for scalar in reference.unicodeScalars {
                guard (65...90).contains(scalar.value) else { break }
                index = index * 26 + Int(scalar.value - 64)
                letters += 1
            }
            return letters == 0 || letters > 3 ? nil : index - 1
        }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch name {
            case "row":
                row = [:]
                column = 0
                // Rows may skip: a row numbered 5 after row 2 leaves two empty rows between.
                if let r = attributes["r"].flatMap(Int.init), r > rowIndex + 1, r - rowIndex < 1_000_000 {
                    rows.append(contentsOf: Array(repeating: [], count: r - rowIndex - 1))
                    rowIndex = r - 1
                }
            case "c":
                if let reference = attributes["r"], let c = Self.column(of: reference) { column = c }
                type = attributes["t"] ?? "n"
                value = ""
            case "v": inValue = true
            case "is": inInline = true
            case "t" where inInline: inValue = true
            default: break
            }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inValue { value += string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "v", "t": inValue = false
            case "is": inInline = false
            case "c":
                var text = value
                if type == "s" {
                    guard let index = Int(value), strings.indices.contains(index) else {
                        failure = Failure("A cell points to a shared string the file does not have.")
                        parser.abortParsing()
                        return
                    }
                    text = strings[index]
                } else if type == "b" {
                    text = value == "1" ? "TRUE" : "FALSE"
                }
                if column < 16_384 { row[column] = text }
                column += 1
            case "row":
                let width = (row.keys.max() ?? -1) + 1
                rows.append((0..<width).map { row[$0] ?? "" })
                rowIndex += 1
            default: break
            }
        }
    }
}
