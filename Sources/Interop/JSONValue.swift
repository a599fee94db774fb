import Foundation

/// Any JSON value, as found in GeoJSON feature properties.
public enum JSONValue: Hashable, Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    /// Scalars as text (integral numbers without ".0"); nil for null, arrays and objects.
    public var stringValue: String? {
        switch self {
        case let .string(s):
            return s
        case let .number(d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        case let .bool(b):
            return b ? "true" : "false"
        case .null, .array, .object:
            return nil
        }
    }

    /// The number, or a string that parses as one.
    public var doubleValue: Double? {
        switch self {
        case let .number(d): return d
        case let .string(s): return Double(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// Whether this is JSON null.
    public var isNull: Bool { self == .null }

    /// Converts the output of JSONSerialization, telling booleans from numbers by their Objective-C type.
    init(foundation value: Any) {
        switch value {
        case let s as String:
            self = .string(s)
        case let n as NSNumber:
            // JSONSerialization gives booleans as NSNumber with type "c" on every platform.
            if n.isJSONBoolean {
                self = .bool(n.boolValue)
            } else {
                self = .number(n.doubleValue)
            }
        case let a as [Any]:
            self = .array(a.map(JSONValue.init(foundation:)))
        case let o as [String: Any]:
            self = .object(o.mapValues(JSONValue.init(foundation:)))
        default:
            self = .null
        }
    }
}

extension NSNumber {
    /// Whether JSONSerialization produced this from true/false (type code "c" on every platform).
    var isJSONBoolean: Bool {
        objCType.pointee == CChar(UInt8(ascii: "c"))
    }
}
