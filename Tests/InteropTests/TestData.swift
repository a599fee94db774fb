import Foundation
import TestFiles
import Testing

/// Locates the shared boundary files and builds small synthetic GeoJSON documents.
enum TestData {
    /// The `shared/data/boundaries` folder, found by walking up from this file (also through the scratch-package symlink).
    static let boundaries: URL? = SharedDataFolder.url?.appendingPathComponent("boundaries")

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
        return Data(
            "{\"type\": \"FeatureCollection\", \(crsMember)\"features\": [\(features.joined(separator: ","))]}".utf8)
    }

    /// A Feature with the given properties JSON and geometry JSON.
    static func feature(_ properties: String, geometry: String? = square(30, 10)) -> String {
        "{\"type\": \"Feature\", \"properties\": {\(properties)}, \"geometry\": \(geometry ?? "null")}"
    }

    /// A one-degree square Polygon geometry with its south-west corner at the given position.
    static func square(_ lon: Double, _ lat: Double) -> String {
        "{\"type\": \"Polygon\", \"coordinates\": [[[\(lon), \(lat)], [\(lon + 1), \(lat)], [\(lon + 1), \(lat + 1)], [\(lon), \(lat + 1)], [\(lon), \(lat)]]]}"
    }

}
