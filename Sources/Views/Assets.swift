import Domain
import Foundation

/// The styles and scripts the pages load, read once from the bundle. Each is addressed by its
/// content's hash (`/assets/<hash>/<name>`), so a browser keeps it until it changes: on a 2G link
/// a page then costs its HTML alone.
public enum Assets {
    public struct File: Sendable {
        public let name: String
        public let data: Data
        /// The first 16 hex digits of the content's SHA-256.
        public let hash: String
        public let contentType: String
        public var path: String { "/assets/\(hash)/\(name)" }
    }

    public static let directory = Bundle.module.bundleURL.appendingPathComponent("Resources/Public").path + "/"

    public static let all: [String: File] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var files: [String: File] = [:]
        for name in names {
            guard let data = FileManager.default.contents(atPath: directory + name) else { continue }
            let type =
                name.hasSuffix(".css")
                ? "text/css; charset=utf-8" : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "text/plain"
            files[name] = File(name: name, data: data, hash: String(Hex.sha256(data).prefix(16)), contentType: type)
        }
        return files
    }()

    /// The hashed path of `name` (the plain one if the bundle lacks it).
    public static func path(_ name: String) -> String { all[name]?.path ?? "/" + name }
}
