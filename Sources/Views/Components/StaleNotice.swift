import Foundation

/// What an edit form shows when its save was refused because someone else saved first: every
/// field where the stored record and the submitted form differ, both values side by side. The
/// form itself is shown again with the submitted values and the stored record's new version, so
/// nothing typed is lost and saving again is a decision taken knowing the other change.
public struct StaleNotice: Sendable {
    public struct Difference: Sendable {
        public let field: String
        public let theirs: String
        public let yours: String
    }

    public let differences: [Difference]

    /// `stored` and `submitted` are the same form's values (an Encodable of plain fields).
    public init<Values: Encodable>(stored: Values, submitted: Values, strings: Strings) {
        let theirs = Self.fields(stored), yours = Self.fields(submitted)
        differences = theirs.keys.sorted().compactMap { key in
            let a = theirs[key] ?? "", b = yours[key] ?? ""
            guard a != b else { return nil }
            return Difference(field: Self.label(key, strings), theirs: a.isEmpty ? "—" : a, yours: b.isEmpty ? "—" : b)
        }
    }

    /// Field name → its value as text (lists joined, nested values flattened), from the form's JSON.
    static func fields<Values: Encodable>(_ values: Values) -> [String: String] {
        guard let data = try? JSONEncoder().encode(values),
            let object = try? JSONDecoder().decode([String: Value].self, from: data)
        else { return [:] }
        return object.filter { $0.key != "version" }.mapValues(\.text)
    }

    /// A JSON value, read back to compare two forms field by field.
    enum Value: Decodable {
        case bool(Bool), number(Double), string(String), list([Value]), map([String: Value]), null

        init(from decoder: any Decoder) throws {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self = .null
            } else if let value = try? single.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? single.decode(Double.self) {
                self = .number(value)
            } else if let value = try? single.decode(String.self) {
                self = .string(value)
            } else if let value = try? single.decode([Value].self) {
                self = .list(value)
            } else {
                self = .map(try single.decode([String: Value].self))
            }
        }

        var text: String {
            switch self {
            case .bool(let value): value ? "✓" : ""
            case .number(let value):
                value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
            case .string(let value): value
            case .list(let values): values.map(\.text).filter { !$0.isEmpty }.joined(separator: ", ")
            case .map(let values):
                values.keys.sorted().compactMap { key in
                    let inner = values[key]!.text
                    return inner.isEmpty ? nil : "\(key): \(inner)"
                }.joined(separator: "; ")
            case .null: ""
            }
        }
    }

    /// The catalogue's label for a form field (`contactName` → `field_contact_name`), else the name.
    static func label(_ key: String, _ strings: Strings) -> String {
        let snake = key.reduce(into: "") { out, c in
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return strings("field_" + snake, or: snake.replacingOccurrences(of: "_", with: " "))
    }
}

extension HTML {
    /// The notice itself, above the form shown again.
    public mutating func staleNotice(_ notice: StaleNotice?, _ t: Strings) {
        guard let notice else { return }
        markup("<section id=\"stale-edit\" class=\"error\" role=\"alert\">\n<h2>")
        text(t("stale_title"))
        markup("</h2>\n<p>")
        text(t("stale_explain"))
        markup("</p>\n<table class=\"list\">\n")
        tableHead([t("stale_field"), t("stale_theirs"), t("stale_yours")])
        markup("\n<tbody>")
        for difference in notice.differences {
            markup("<tr><th scope=\"row\">")
            text(difference.field)
            markup("</th><td dir=\"auto\">")
            text(difference.theirs)
            markup("</td><td dir=\"auto\">")
            text(difference.yours)
            markup("</td></tr>")
        }
        markup("</tbody>\n</table>\n</section>\n")
    }
}
