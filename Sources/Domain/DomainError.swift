import Foundation

/// A validation or business-rule failure, with the field it concerns.
public struct DomainError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case invalid, notFound, forbidden, conflict
    }

    public let kind: Kind
    /// The form or API field concerned, when there is one.
    public let field: String?
    /// Catalogue key of the message, so that pages can translate it.
    public let messageKey: String
    /// An English message that says what is wrong and where.
    public let message: String

    public init(_ kind: Kind, field: String? = nil, key: String, _ message: String) {
        self.kind = kind
        self.field = field
        self.messageKey = key
        self.message = message
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }
}

/// Collects every problem of a form at once, so the user fixes them in one pass.
public struct ValidationErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [DomainError] = []
    public init() {}
    public var isEmpty: Bool { errors.isEmpty }
    public mutating func add(_ field: String, key: String, _ message: String) {
        errors.append(DomainError(.invalid, field: field, key: key, message))
    }
    public func message(for field: String) -> DomainError? { errors.first { $0.field == field } }
    public func throwIfAny() throws(ValidationErrors) { if !errors.isEmpty { throw self } }
    /// Adds `other`'s problems for the fields not yet named: a form shows one message a field, the
    /// input's own (unreadable values) before the draft's rules.
    public mutating func merge(_ other: ValidationErrors) {
        for e in other.errors where !errors.contains(where: { $0.field == e.field }) { errors.append(e) }
    }
    public var description: String { errors.map(\.description).joined(separator: "; ") }
}

// Command-line tools print `localizedDescription`; make it the message that says what and where.
extension DomainError: LocalizedError {
    public var errorDescription: String? { description }
}

extension ValidationErrors: LocalizedError {
    public var errorDescription: String? { description }
}
