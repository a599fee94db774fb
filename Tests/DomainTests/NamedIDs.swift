import Foundation
import Tagged

extension Tagged where RawValue == UUID {
    /// A readable id for tests: the same name always gives the same id, and names that differ in
    /// their first 16 bytes give different ids.
    static func named(_ name: String) -> Self {
        let b = Array(name.utf8.prefix(16)) + Array(repeating: 0, count: Swift.max(0, 16 - name.utf8.count))
        return Self(
            UUID(
                uuid: (
                    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
                )))
    }
}
