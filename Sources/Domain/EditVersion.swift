import Foundation

/// The version of a record an edit was based on: its last change to the millisecond. An edit form
/// carries it in `version`, the API in `ETag` / `If-Match`; a save based on an older version is
/// refused (a lost update), never applied over the other person's.
public enum EditVersion {
    public static func token(_ updatedAt: Date) -> String {
        String(Int64((updatedAt.timeIntervalSince1970 * 1000).rounded()))
    }

    /// The error for a save based on an older version.
    public static func stale(_ what: String) -> DomainError {
        DomainError(
            .conflict, field: "version", key: "error.stale_edit",
            "Someone else saved this \(what) after you opened it: nothing was saved. Compare both versions and save again."
        )
    }

    public static func isStale(_ error: DomainError) -> Bool { error.messageKey == "error.stale_edit" }
}
