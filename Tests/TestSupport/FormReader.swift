import Foundation

/// The fields a page's form would send as it stands, read from its HTML: text inputs and hidden
/// ones with their values, ticked boxes, each select's chosen option and each textarea's text.
/// Enough for Bearing's own forms (written by its views), to submit them as a person would.
public enum FormReader {
    /// The form whose `action` contains `action` (the first form when nil).
    public static func fields(in html: String, action: String? = nil) -> [String: String] {
        guard
            let form = html.matches(of: /<form([^>]*)>([\s\S]*?)<\/form>/).first(where: {
                action == nil || String($0.1).contains("action=\"\(action!)")
            })
        else { return [:] }
        let body = String(form.2)
        var fields: [String: String] = [:]
        for input in body.matches(of: /<input([^>]*)>/) {
            let attributes = String(input.1)
            guard let name = attribute("name", in: attributes) else { continue }
            let type = attribute("type", in: attributes) ?? "text"
            if type == "file" || type == "submit" { continue }
            if type == "checkbox" || type == "radio" {
                if attributes.contains(" checked") { fields[name] = attribute("value", in: attributes) ?? "on" }
                continue
            }
            fields[name] = attribute("value", in: attributes) ?? ""
        }
        for select in body.matches(of: /<select([^>]*)>([\s\S]*?)<\/select>/) {
            guard let name = attribute("name", in: String(select.1)) else { continue }
            let options = String(select.2).matches(of: /<option([^>]*)>/).map { String($0.1) }
            if let chosen = options.first(where: { $0.contains(" selected") }) ?? options.first {
                fields[name] = attribute("value", in: chosen) ?? ""
            }
        }
        for area in body.matches(of: /<textarea([^>]*)>([\s\S]*?)<\/textarea>/) {
            if let name = attribute("name", in: String(area.1)) { fields[name] = unescape(String(area.2)) }
        }
        return fields
    }

    static func attribute(_ name: String, in attributes: String) -> String? {
        guard let range = attributes.range(of: " \(name)=\"") else { return nil }
        let rest = attributes[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return unescape(String(rest[..<end]))
    }

    static func unescape(_ text: String) -> String {
        var out = text
        for (entity, character) in [
            ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&#43;", "+"),
            ("&#x2B;", "+"), ("&amp;", "&"),
        ] {
            out = out.replacingOccurrences(of: entity, with: character)
        }
        return out
    }
}

extension FormReader {
    /// One form of a page: where it posts, whether it sends files, what it would send, and the
    /// names of the fields a person types into (text inputs of any kind and text areas).
    public struct Form: Sendable {
        public let action: String
        public let method: String
        public let multipart: Bool
        public let fields: [String: String]
        public let typed: [String]
    }

    public static func forms(in html: String, page: String) -> [Form] {
        html.matches(of: /<form([^>]*)>([\s\S]*?)<\/form>/).compactMap { match in
            let attributes = String(match.1)
            let action = attribute("action", in: attributes) ?? page
            let method = (attribute("method", in: attributes) ?? "get").lowercased()
            let body = String(match.2)
            var typed: [String] = []
            for input in body.matches(of: /<input([^>]*)>/) {
                let a = String(input.1)
                guard let name = attribute("name", in: a) else { continue }
                let type = attribute("type", in: a) ?? "text"
                if !["hidden", "checkbox", "radio", "file", "submit", "button"].contains(type) { typed.append(name) }
            }
            for area in body.matches(of: /<textarea([^>]*)>/) {
                if let name = attribute("name", in: String(area.1)) { typed.append(name) }
            }
            let whole = "<form\(attributes)>\(body)</form>"
            return Form(
                action: action, method: method, multipart: attributes.contains("multipart/form-data"),
                fields: fields(in: whole), typed: typed)
        }
    }
}
