import Fluent
import Foundation

/// Rules for accounts shared by the admin page, the API and the CLI.
enum UserService {
    static let minimumPasswordLength = 10

    /// The first problem with new account details, in English, or nil.
    static func problem(email: String, name: String, password: String) -> String? {
        if email.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) == nil {
            return "email: not an e-mail address"
        }
        if name.isEmpty { return "name: a display name is required" }
        if password.count < minimumPasswordLength {
            return "password: at least \(minimumPasswordLength) characters"
        }
        return nil
    }
}
