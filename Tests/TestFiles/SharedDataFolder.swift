import Foundation

/// Finds `shared/data`, the real public data beside the repository, by walking up from the
/// source file (also through symlinks). Tests that need it are skipped when it is absent.
public enum SharedDataFolder {
    public static let url: URL? = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        var candidates: [URL] = []
        for start in [here, here.resolvingSymlinksInPath()] {
            var directory = start
            for _ in 0..<8 {
                candidates.append(directory.appendingPathComponent("shared/data"))
                directory = directory.deletingLastPathComponent()
            }
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }()
}
