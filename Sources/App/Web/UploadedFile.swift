import Foundation
import Vapor

extension File {
    /// The upload written to a private temporary folder under its own name (tidied to letters,
    /// digits and `._-`), handed to `body` and removed after: the importers stream from a file.
    func withTemporaryCopy<T>(_ body: (URL) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = (filename as NSString).lastPathComponent.filter { $0.isLetter || $0.isNumber || "._-".contains($0) }
        let url = folder.appendingPathComponent(name.isEmpty || name.hasPrefix(".") ? "upload" : name)
        try Data(buffer: data).write(to: url, options: .withoutOverwriting)
        return try await body(url)
    }
}
