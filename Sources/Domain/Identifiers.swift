import Foundation
// Re-exported: every layer that speaks of ids hashes, compares and encodes them, and Swift asks each
// file that does to see Tagged's conformances.
@_exported import Tagged

/// Tags that keep ids apart: a `UserID` cannot be passed where an `OperationID` is meant, and
/// neither is a bare string or UUID. Stored as the UUID itself (`Tagged` encodes its raw value).
public enum IdentifierTag {
    public enum User {}
    public enum Operation {}
}

/// An account's id.
public typealias UserID = Tagged<IdentifierTag.User, UUID>
/// An operation's id: every record belongs to one, and access is decided per operation.
public typealias OperationID = Tagged<IdentifierTag.Operation, UUID>
