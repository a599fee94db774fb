import Foundation

/// The documents a security plan may have attached, recognised by their first bytes as well as
/// their name: a file called .pdf that is not a PDF is refused (issue 4, "an attachment that is
/// not what its name says"). Written here rather than taken from a library: the mirror has no
/// content-type sniffer, and two formats need a dozen lines.
public enum AttachmentType: String, CaseIterable, Sendable {
    case pdf, docx

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
    }

    public enum Problem: Error, Equatable, Sendable {
        /// The name's extension is not one we accept.
        case unsupported(String)
        /// The name says one type and the bytes another (or none).
        case mismatch(expected: AttachmentType)
        case empty
    }

    /// The type a file is, judged by its name and confirmed by its content.
    public static func check(filename: String, data: Data) throws(Problem) -> AttachmentType {
        let ext = (filename as NSString).pathExtension.lowercased()
        guard let type = AttachmentType(rawValue: ext) else { throw .unsupported(ext) }
        guard !data.isEmpty else { throw .empty }
        switch type {
        case .pdf:
            // "%PDF-" at the start (some writers put a few bytes before it; the spec allows 1,024).
            guard data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil else { throw .mismatch(expected: .pdf) }
        case .docx:
            // A ZIP (PK\3\4) whose entries include the main document of a Word file.
            guard data.starts(with: [0x50, 0x4B, 0x03, 0x04]), data.range(of: Data("word/document.xml".utf8)) != nil
            else {
                throw .mismatch(expected: .docx)
            }
        }
        return type
    }
}
