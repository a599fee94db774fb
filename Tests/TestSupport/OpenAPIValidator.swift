import Foundation

/// Checks JSON values against the schemas of our OpenAPI 3.1 document: the subset of JSON Schema
/// the document uses (type, required, properties, additionalProperties, propertyNames, items, enum, $ref,
/// pattern, format uuid/date-time, minimum/maximum). Written here because no JSON Schema
/// validator is in the package mirror.
public struct OpenAPIValidator {
    public let document: [String: Any]

    public init(data: Data) throws {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Problem(path: "$", message: "the document is not a JSON object")
        }
        document = object
    }

    public struct Problem: Error, CustomStringConvertible {
        public let path: String
        public let message: String
        public var description: String { "\(path): \(message)" }
    }

    /// The response schema of `method path status`, e.g. ("get", "/operations/{code}/sites", "200").
    public func responseSchema(method: String, path: String, status: String) throws -> [String: Any] {
        guard let paths = document["paths"] as? [String: Any], let item = paths[path] as? [String: Any],
            let operation = item[method] as? [String: Any], let responses = operation["responses"] as? [String: Any],
            let response = responses[status] as? [String: Any], let content = response["content"] as? [String: Any],
            let json = content["application/json"] as? [String: Any], let schema = json["schema"] as? [String: Any]
        else { throw Problem(path: "\(method.uppercased()) \(path) \(status)", message: "not documented") }
        return schema
    }

    /// Every problem of `value` against `schema`.
    public func problems(_ value: Any, against schema: [String: Any], at path: String = "$") -> [Problem] {
        if let ref = schema["$ref"] as? String { return problems(value, against: resolve(ref), at: path) }
        var found: [Problem] = []
        if let types = Self.types(schema["type"]), !types.contains(where: { Self.matches(value, $0) }) {
            return [
                Problem(
                    path: path, message: "expected \(types.joined(separator: " or ")), got \(type(of: value)): \(value)"
                )
            ]
        }
        if let options = schema["enum"] as? [Any] {
            let isNull = value is NSNull
            if !options.contains(where: { ($0 is NSNull && isNull) || ("\($0)" == "\(value)" && !isNull) }) {
                found.append(Problem(path: path, message: "\(value) is not one of \(options)"))
            }
        }
        if let string = value as? String {
            if let pattern = schema["pattern"] as? String, string.range(of: pattern, options: .regularExpression) == nil
            {
                found.append(Problem(path: path, message: "\"\(string)\" does not match \(pattern)"))
            }
            if schema["format"] as? String == "uuid", UUID(uuidString: string) == nil {
                found.append(Problem(path: path, message: "\"\(string)\" is not a UUID"))
            }
            if schema["format"] as? String == "date-time", ISO8601DateFormatter().date(from: string) == nil {
                found.append(Problem(path: path, message: "\"\(string)\" is not an RFC 3339 date-time"))
            }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                found.append(Problem(path: path, message: "required property \(key) is missing"))
            }
            for (key, child) in object {
                if let names = schema["propertyNames"] as? [String: Any] {
                    found += problems(key, against: names, at: "\(path).\(key) (name)")
                }
                if let childSchema = properties[key] as? [String: Any] {
                    found += problems(child, against: childSchema, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    found += problems(child, against: additional, at: "\(path).\(key)")
                } else if (schema["additionalProperties"] as? Bool) == false {
                    found.append(Problem(path: path, message: "property \(key) is not in the schema"))
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, element) in array.enumerated() { found += problems(element, against: items, at: "\(path)[\(i)]") }
        }
        return found
    }

    func resolve(_ ref: String) -> [String: Any] {
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
        return node as? [String: Any] ?? [:]
    }

    /// JSONSerialization gives booleans as NSNumber; on Linux they are `Bool` when cast, and their
    /// objCType is "c".
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c" || type(of: value) == Bool.self
    }

    static func types(_ raw: Any?) -> [String]? {
        if let one = raw as? String { return [one] }
        return (raw as? [Any])?.compactMap { $0 as? String }
    }

    static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "boolean": return isBoolean(value)
        case "integer":
            guard let n = value as? NSNumber, !isBoolean(value) else { return false }
            return n.doubleValue == n.doubleValue.rounded()
        case "number": return value is NSNumber && !isBoolean(value)
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        default: return false
        }
    }
}
