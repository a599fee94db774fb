import Foundation
import Testing

/// Locates the shared boundary files and builds small synthetic GeoJSON documents.
enum TestData {
    /// The `shared/data/boundaries` folder, found by walking up from this file (also through the scratch-package symlink).
    static let boundaries: URL? = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        var candidates: [URL] = []
        for start in [here, here.resolvingSymlinksInPath()] {
            var directory = start
            for _ in 0..<8 {
                candidates.append(directory.appendingPathComponent("shared/data/boundaries"))
                directory = directory.deletingLastPathComponent()
            }
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }()

    /// Whether the real data is present; tests using it are skipped otherwise.
    static var available: Bool { boundaries != nil }

    static let skipMessage: Comment = "shared/data/boundaries not found next to the package; real-data tests skipped"

    /// The bytes of a real file, or empty data when it is missing (tests using it are disabled then).
    static func file(_ relativePath: String) -> Data {
        guard let boundaries else { return Data() }
        return (try? Data(contentsOf: boundaries.appendingPathComponent(relativePath))) ?? Data()
    }

    /// A FeatureCollection from feature JSON snippets, optionally with a crs member.
    static func collection(_ features: [String], crs: String? = nil) -> Data {
        let crsMember = crs.map { "\"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"\($0)\"}}, " } ?? ""
        return Data("{\"type\": \"FeatureCollection\", \(crsMember)\"features\": [\(features.joined(separator: ","))]}".utf8)
    }

    /// A Feature with the given properties JSON and geometry JSON.
    static func feature(_ properties: String, geometry: String? = square(30, 10)) -> String {
        "{\"type\": \"Feature\", \"properties\": {\(properties)}, \"geometry\": \(geometry ?? "null")}"
    }

    /// A one-degree square Polygon geometry with its south-west corner at the given position.
    static func square(_ lon: Double, _ lat: Double) -> String {
        "{\"type\": \"Polygon\", \"coordinates\": [[[\(lon), \(lat)], [\(lon + 1), \(lat)], [\(lon + 1), \(lat + 1)], [\(lon), \(lat + 1)], [\(lon), \(lat)]]]}"
    }

    /// The fastest of a few runs of the closure, in seconds: other tests run in parallel on few cores,
    /// so the minimum is the fairest measure of the code itself.
    static func time(runs: Int = 3, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, runs) {
            let start = ContinuousClock.now
            try body()
            let duration = ContinuousClock.now - start
            best = min(best, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        return best
    }
}
