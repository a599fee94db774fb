import Foundation
import MultipartKit
import NIOCore
import Vapor

/// A multipart upload read as it arrives: the part named `file` written straight to a private
/// temporary folder, the other fields (small) kept in memory. A 50 MB import never sits in memory
/// whole, and the folder is removed when the handler is done (`StreamedUpload.with`).
struct StreamedUpload: Sendable {
    struct SavedFile: Sendable { let url: URL; let filename: String; let size: Int }
    var fields: [String: String] = [:]
    /// Every file part by its name: `file`, and others a form may add (an XLSForm beside its export).
    var files: [String: SavedFile] = [:]
    /// The part named `file`.
    var file: SavedFile? { files["file"] }

    /// Fields other than the file are form text: a megabyte is far more than any form has.
    static let maxFieldBytes = 1_000_000

    /// Reads the request's multipart body (at most `maxBytes` of it, else 413), hands the upload to
    /// `body`, and removes the saved file afterwards whatever happens.
    static func with<T>(_ req: Request, maxBytes: Int, _ body: (StreamedUpload) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bearing-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let upload = try await read(req, into: folder, maxBytes: maxBytes)
        return try await body(upload)
    }

    static func read(_ req: Request, into folder: URL, maxBytes: Int) async throws -> StreamedUpload {
        guard let type = req.headers.contentType, type.type == "multipart", type.subType == "form-data",
            let boundary = type.parameters["boundary"], !boundary.isEmpty
        else {
            throw Abort(.unsupportedMediaType, reason: "Send the file as a form upload (multipart/form-data).")
        }
        let parser = MultipartParser(boundary: boundary)
        let state = PartState(folder: folder)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.complete() }
        var total = 0
        for try await chunk in req.body {
            total += chunk.readableBytes
            guard total <= maxBytes else { throw Abort(.payloadTooLarge) }
            try parser.execute(chunk)
            if let error = state.error { throw error }
        }
        try state.finish()
        return state.upload
    }

    /// The text fields as a URL-encoded form, decoded into `T` like any form (`team[0][name]` and all).
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        var pairs = URLComponents()
        pairs.queryItems = fields.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let encoded = (pairs.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return try URLEncodedFormDecoder().decode(T.self, from: encoded)
    }
}

/// The parser's callbacks run one after the other on the reading task; this keeps their state.
private final class PartState: @unchecked Sendable {
    let folder: URL
    var upload = StreamedUpload()
    var headers: [String: String] = [:]
    var text = ByteBuffer()
    var fieldBytes = 0
    var handle: FileHandle?
    var fileURL: URL?
    var fileName = ""
    var fileSize = 0
    var error: (any Error)?

    init(folder: URL) { self.folder = folder }

    func header(_ name: String, _ value: String) { headers[name.lowercased()] = value }

    /// `name="file"; filename="x.csv"` from the part's Content-Disposition.
    func parameter(_ key: String) -> String? {
        guard let disposition = headers["content-disposition"] else { return nil }
        for part in disposition.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == key {
                return String(pair[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    func body(_ buffer: inout ByteBuffer) {
        guard error == nil else { return }
        if let part = parameter("name"), let filename = parameter("filename") {
            // A file input left empty sends a part without a name and without bytes: nothing to keep.
            guard !filename.isEmpty else { return }
            do {
                if handle == nil {
                    let name = (filename as NSString).lastPathComponent.filter {
                        $0.isLetter || $0.isNumber || "._-".contains($0)
                    }
                    // Each part in its own folder: two uploads may carry the same file name.
                    let partFolder = folder.appendingPathComponent(
                        String(part.filter { $0.isLetter || $0.isNumber }.prefix(40)) + "-\(upload.files.count)")
                    try FileManager.default.createDirectory(at: partFolder, withIntermediateDirectories: true)
                    let url = partFolder.appendingPathComponent(name.isEmpty || name.hasPrefix(".") ? "upload" : name)
                    FileManager.default.createFile(atPath: url.path, contents: nil)
                    handle = try FileHandle(forWritingTo: url)
                    fileURL = url
                    fileName = filename
                }
                fileSize += buffer.readableBytes
                try handle?.write(contentsOf: buffer.readableBytesView)
            } catch { self.error = error }
        } else {
            fieldBytes += buffer.readableBytes
            guard fieldBytes <= StreamedUpload.maxFieldBytes else { error = Abort(.payloadTooLarge); return }
            text.writeBuffer(&buffer)
        }
    }

    func complete() {
        if let handle, let fileURL, let part = parameter("name") {
            try? handle.close()
            upload.files[part] = StreamedUpload.SavedFile(url: fileURL, filename: fileName, size: fileSize)
        } else if let name = parameter("name"), parameter("filename") == nil {
            upload.fields[name] = text.readString(length: text.readableBytes) ?? ""
        }
        headers = [:]; text.clear(); handle = nil; fileURL = nil; fileName = ""; fileSize = 0
    }

    func finish() throws {
        if let error { throw error }
        try? handle?.close()
    }
}
