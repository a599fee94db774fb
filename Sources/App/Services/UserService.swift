import Domain
import Foundation

/// Rules for accounts shared by the admin page, the API and the CLI.
enum UserService {
    static let minimumPasswordLength = 10

    /// The first problem with new account details, naming its field, or nil.
    static func problem(email: String, name: String, password: String) -> DomainError? {
        if email.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) == nil {
            return DomainError(.invalid, field: "email", key: "error.email", "not an e-mail address")
        }
        if name.isEmpty {
            return DomainError(.invalid, field: "name", key: "error.required", "a display name is required")
        }
        if password.count < minimumPasswordLength {
            return DomainError(
                .invalid, field: "password", key: "error.password", "at least \(minimumPasswordLength) characters")
        }
        return nil
    }
}
