import Domain
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
    /// `emptyMeansAbsent`: pages read `page=` from a GET form as no choice; the API refuses it.
    func queryInteger(_ name: String, in range: ClosedRange<Int>, emptyMeansAbsent: Bool = true) throws(ParameterError)
        -> Int?
    {
        let given = queryValues(name)
        guard given.count <= 1 else { throw ParameterError(name: name, range: range) }  // page=1&page=x: which one?
        guard let text = given.first?.trimmingCharacters(in: .whitespaces) else { return nil }
        if text.isEmpty { if emptyMeansAbsent { return nil } else { throw ParameterError(name: name, range: range) } }
        guard let value = WholeNumber.parse(text), range.contains(value) else {
            throw ParameterError(name: name, range: range)
        }
        return value
    }

    /// A query parameter's text, nil when absent or empty: a GET form sends its empty fields, and
    /// an empty filter means no filter.
    func queryText(_ name: String) -> String? {
        guard let text = queryValues(name).last?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }

    /// A closed vocabulary's value for `name`, exactly as given: nil when absent or empty; anything
    /// else that is not one of its values (a value with a stray space included) is refused, as the
    /// API's document says.
    func queryChoice<T: RawRepresentable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = queryValues(name).last, !text.isEmpty else { return nil }
        guard let value = T(rawValue: text) else {
            throw APIError(.badRequest, code: "bad_parameter", "\(name): “\(text)” is not one of its values.")
        }
        return value
    }

    /// Every value given for `name` in the query string, decoded, in order.
    func queryValues(_ name: String) -> [String] {
        QueryString.pairs(url.query).filter { $0.name == name }.map(\.value)
    }

    /// The page asked for by `?page=`, `perPage` rows to a page.
    func paging(perPage: Int) throws(ParameterError) -> Paging {
        Paging(page: try queryInteger("page", in: Paging.pages), perPage: perPage)
    }
}

/// A query string's name=value pairs, decoded (`+` as a space), in order, repeated names kept: the
/// filters that take a name several times (`source=own&source=awsd`) and the bounds on single ones
/// read it the same way.
enum QueryString {
    static func pairs(_ query: String?) -> [(name: String, value: String)] {
        func decoded(_ text: Substring) -> String {
            let spaced = text.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        return (query ?? "").split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decoded(parts[0]), parts.count > 1 ? decoded(parts[1]) : "")
        }
    }
}
