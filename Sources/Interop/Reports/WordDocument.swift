import Foundation
import ZIPFoundation

/// A Word document (.docx) written as plain WordprocessingML (ECMA-376) in a ZIP: what the
/// Movement's partners open. Headings, paragraphs and tables only, with a header on every page
/// (operation, date, classification), A4 pages, and right-to-left paragraphs and tables for Arabic.
/// Written by hand because no library on the mirror writes .docx; ZIPFoundation does the packaging.
public struct WordDocument: Sendable {
    public enum Block: Sendable, Hashable {
        case heading(String, level: Int)
        case paragraph(String, bold: Bool = false, small: Bool = false)
        /// A table: the first row is the header, repeated on every page it runs over.
        case table([String], [[String]])
    }

    public var title: String
    public var header: String
    public var language: String
    public var rightToLeft: Bool
    public var blocks: [Block]

    public init(title: String, header: String, language: String, rightToLeft: Bool, blocks: [Block]) {
        self.title = title
        self.header = header
        self.language = language
        self.rightToLeft = rightToLeft
        self.blocks = blocks
    }

    public enum Failure: Error { case packaging }

    /// The .docx file's bytes.
    public func data(created: Date) throws -> Data {
        let archive: Archive
        do { archive = try Archive(data: Data(), accessMode: .create) } catch { throw Failure.packaging }
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes), ("_rels/.rels", packageRelationships),
            ("word/_rels/document.xml.rels", documentRelationships), ("word/document.xml", document),
            ("word/styles.xml", styles), ("word/header1.xml", headerPart), ("docProps/core.xml", core(created)),
        ]
        for (path, text) in parts {
            let bytes = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate,
                provider: { position, size in bytes.subdata(in: Int(position)..<Int(position) + size) })
        }
        guard let data = archive.data else { throw Failure.packaging }
        return data
    }

    // MARK: Parts

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    var contentTypes: String {
        Self.declaration
            + """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/word/document.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
            <Override PartName="/word/styles.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
            <Override PartName="/word/header1.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>\
            <Override PartName="/docProps/core.xml" \
            ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
            </Types>
            """
    }

    var packageRelationships: String {
        Self.declaration
            + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" \
            Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
            Target="word/document.xml"/>\
            <Relationship Id="rId2" \
            Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
            Target="docProps/core.xml"/>\
            </Relationships>
            """
    }

    var documentRelationships: String {
        Self.declaration
            + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(Self.relationships)/styles" Target="styles.xml"/>\
            <Relationship Id="rId2" Type="\(Self.relationships)/header" Target="header1.xml"/>\
            </Relationships>
            """
    }

    func core(_ created: Date) -> String {
        let stamp = ISO8601DateFormatter().string(from: created)
        return Self.declaration
            + """
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
            <dc:title>\(Self.escape(title))</dc:title><dc:creator>Bearing</dc:creator>\
            <dc:language>\(Self.escape(language))</dc:language>\
            <dcterms:created xsi:type="dcterms:W3CDTF">\(stamp)</dcterms:created>\
            </cp:coreProperties>
            """
    }

    var styles: String {
        // Arial covers Latin and Arabic in Word and LibreOffice alike.
        func heading(_ id: String, _ name: String, size: Int, level: Int) -> String {
            """
            <w:style w:type="paragraph" w:styleId="\(id)"><w:name w:val="\(name)"/><w:basedOn w:val="Normal"/>\
            <w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/>\
            <w:outlineLvl w:val="\(level)"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="1F1F1F"/>\
            <w:sz w:val="\(size)"/><w:szCs w:val="\(size)"/></w:rPr></w:style>
            """
        }
        return Self.declaration
            + """
            <w:styles xmlns:w="\(Self.main)"><w:docDefaults><w:rPrDefault><w:rPr>\
            <w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:eastAsia="Arial"/>\
            <w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="\(Self.escape(language))" \
            w:bidi="\(Self.escape(language))"/></w:rPr></w:rPrDefault>\
            <w:pPrDefault><w:pPr><w:spacing w:after="100" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>\
            </w:docDefaults>\
            <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>\
            <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>\
            <w:qFormat/><w:pPr><w:spacing w:after="120"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="36"/>\
            <w:szCs w:val="36"/></w:rPr></w:style>\
            \(heading("Heading1", "heading 1", size: 30, level: 0))\
            \(heading("Heading2", "heading 2", size: 25, level: 1))\
            \(heading("Heading3", "heading 3", size: 22, level: 2))\
            <w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/>\
            <w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/><w:color w:val="555555"/></w:rPr></w:style>\
            <w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>\
            <w:top w:val="single" w:sz="4" w:space="0" w:color="999999"/>\
            <w:left w:val="single" w:sz="4" w:space="0" w:color="999999"/>\
            <w:bottom w:val="single" w:sz="4" w:space="0" w:color="999999"/>\
            <w:right w:val="single" w:sz="4" w:space="0" w:color="999999"/>\
            <w:insideH w:val="single" w:sz="4" w:space="0" w:color="999999"/>\
            <w:insideV w:val="single" w:sz="4" w:space="0" w:color="999999"/>\
            </w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>\
            </w:tblCellMar></w:tblPr></w:style>\
            </w:styles>
            """
    }

    var headerPart: String {
        Self.declaration + "<w:hdr xmlns:w=\"\(Self.main)\">" + paragraph(header, style: "Header") + "</w:hdr>"
    }

    var document: String {
        var body = paragraph(title, style: "Title")
        for block in blocks {
            switch block {
            case .heading(let text, let level):
                body += paragraph(text, style: "Heading\(min(max(level, 1), 3))")
            case .paragraph(let text, let bold, let small):
                // A line break in the text is a new paragraph, as it reads on the page.
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    body += paragraph(String(line), bold: bold, size: small ? 17 : nil)
                }
            case .table(let header, let rows):
                body += table(header, rows)
            }
        }
        let section =
            "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId2\"/>"
            + "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
            + "<w:pgMar w:top=\"1134\" w:right=\"1020\" w:bottom=\"1134\" w:left=\"1020\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
            + (rightToLeft ? "<w:bidi/>" : "") + "</w:sectPr>"
        return Self.declaration
            + "<w:document xmlns:w=\"\(Self.main)\" xmlns:r=\"\(Self.relationships)\"><w:body>" + body + section
            + "</w:body></w:document>"
    }

    func paragraph(_ text: String, style: String? = nil, bold: Bool = false, size: Int? = nil) -> String {
        var properties = style.map { "<w:pStyle w:val=\"\($0)\"/>" } ?? ""
        if rightToLeft { properties += "<w:bidi/>" }
        return "<w:p>" + (properties.isEmpty ? "" : "<w:pPr>\(properties)</w:pPr>") + run(text, bold: bold, size: size)
            + "</w:p>"
    }

    func run(_ text: String, bold: Bool = false, size: Int? = nil) -> String {
        guard !text.isEmpty else { return "" }
        var properties = bold ? "<w:b/><w:bCs/>" : ""
        if let size { properties += "<w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/>" }
        if rightToLeft { properties += "<w:rtl/>" }
        return "<w:r>" + (properties.isEmpty ? "" : "<w:rPr>\(properties)</w:rPr>")
            + "<w:t xml:space=\"preserve\">\(Self.escape(text))</w:t></w:r>"
    }

    func table(_ header: [String], _ rows: [[String]]) -> String {
        let columns = max(header.count, rows.map(\.count).max() ?? 0)
        guard columns > 0 else { return "" }
        // The text width of an A4 page with these margins, shared equally.
        let width = 9866 / columns
        var xml =
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>"
            + (rightToLeft ? "<w:bidiVisual/>" : "") + "</w:tblPr><w:tblGrid>"
            + String(repeating: "<w:gridCol w:w=\"\(width)\"/>", count: columns) + "</w:tblGrid>"
        func row(_ cells: [String], header: Bool) -> String {
            var out =
                "<w:tr>"
                + (header ? "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" : "<w:trPr><w:cantSplit/></w:trPr>")
            for index in 0..<columns {
                let text = index < cells.count ? cells[index] : ""
                out +=
                    "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/></w:tcPr>"
                    + paragraph(text, bold: header, size: 18) + "</w:tc>"
            }
            return out + "</w:tr>"
        }
        if !header.isEmpty { xml += row(header, header: true) }
        for cells in rows { xml += row(cells, header: false) }
        // Word needs a paragraph between two tables, and after a table at the end of a cell.
        return xml + "</w:tbl><w:p/>"
    }

    /// Text as XML character data: the five escapes, and characters XML 1.0 forbids left out.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (0xFFFE...0xFFFF).contains(v) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
