import Persistence
import Vapor

/// A query parameter that is present but outside what its route accepts. Answered 400 with the
/// parameter's name, on pages and in the API, instead of a default that hides the mistake or a
/// number that later overflows (a page of 6.7e18 once trapped in `Paging.offset`).
struct ParameterError: AbortError {
    let name: String
    let range: ClosedRange<Int>
    var status: HTTPResponseStatus { .badRequest }
    var reason: String { "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)." }
}

extension Request {
    /// The whole number in query parameter `name`, nil when it is absent or empty. Anything else
    /// outside `range` (text, decimals, NaN, 10,000 digits, a value past `Int`) is a `ParameterError`.
    func queryInteger(_ name: String, in range: ClosedRange<Int>) throws(ParameterError) -> Int? {
        guard let text = query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard text.utf8.count <= 20, let value = Int(text), range.contains(value) else { throw ParameterError(name: name, range: range) }
        return value
    }

    /// The page asked for by `?page=`, `perPage` rows to a page.
    func paging(perPage: Int) throws(ParameterError) -> Paging {
        Paging(page: try queryInteger("page", in: Paging.pages), perPage: perPage)
    }
}
